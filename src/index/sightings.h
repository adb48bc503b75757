/*
 * sightings.h — provenance of a release's revisions: every place each body
 * was seen (input file, object or key, datastore revision, live or
 * deleted, carved), for `helmrec sightings`.
 *
 * Ownership: hr_index_sightings() fills a malloc'd array the caller frees
 * with hr_sighting_rows_free() (model/sighting.h).
 */
#ifndef HR_INDEX_SIGHTINGS_H
#define HR_INDEX_SIGHTINGS_H

#include <stddef.h>
#include <stdint.h>
#include "index/index.h"
#include "model/sighting.h"


/*
 * Every sighting of release ns/name, by version, body, source, datastore
 * revision; `version` 0 = every version.  *n 0 when there is none (not an
 * error).  HR_EDB, HR_ENOMEM.
 */
int hr_index_sightings(hr_index *idx, const char *ns, const char *name, int64_t version,
		       hr_sighting_row **rows, size_t *n, hr_error *err);

#endif
