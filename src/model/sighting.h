/*
 * sighting.h — one place a revision's body was seen (the provenance row of
 * `helmrec sightings`): filled by the index (index/sightings.h), printed by
 * render/sightings.h.
 *
 * Ownership: every string is malloc'd and owned by the row; free an array of
 * rows with hr_sighting_rows_free().
 */
#ifndef HR_MODEL_SIGHTING_H
#define HR_MODEL_SIGHTING_H

#include <stddef.h>
#include <stdint.h>

typedef struct hr_sighting_row {
	int64_t version;
	char *status;            /* info.status of the body */
	char *body;              /* first 12 hex digits of the body's json sha256 */
	int is_current;          /* the body helm would read for this revision */
	int conflict;            /* another live body disagrees for the same revision */
	char *source;            /* input path as scanned */
	char *driver;            /* secret, configmap, sql, ... */
	char *object;            /* object namespace/name or datastore key; may be NULL */
	char *location;          /* "line 120", "key ... rev 42"...; may be NULL */
	char *state;             /* live, historical, deleted, carved */
	int64_t ds_revision, ds_until;  /* etcd/kine revision seen at / superseded at (0: none) */
} hr_sighting_row;

/* Free `n` rows and the array (NULL is fine). */
void hr_sighting_rows_free(hr_sighting_row *rows, size_t n);

#endif
