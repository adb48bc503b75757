/*
 * sightings.h — `helmrec sightings` output: a table (one line per place a
 * revision was seen) or JSON (an array of objects, one per sighting).
 */
#ifndef HR_RENDER_SIGHTINGS_H
#define HR_RENDER_SIGHTINGS_H

#include <stddef.h>
#include "model/sighting.h"
#include "util/buf.h"
#include "util/error.h"

/* Append the rows to `out` as "table" or "json"; HR_EINVAL for another format, HR_ENOMEM. */
int hr_render_sightings(hr_buf *out, const hr_sighting_row *rows, size_t n, const char *format, hr_error *err);

#endif
