/*
 * sightings.h — provenance of a release's revisions: every place each body
 * was seen (input file, object or key, datastore revision, live or
 * deleted, carved), for `helmrec sightings`.
 *
 * Ownership: hr_index_sightings() fills a malloc'd array the caller frees
 * with hr_sighting_rows_free().
 */
#ifndef HR_INDEX_SIGHTINGS_H
#define HR_INDEX_SIGHTINGS_H

#include <stddef.h>
#include <stdint.h>
#include "index/index.h"

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

/*
 * Every sighting of release ns/name, by version, body, source, datastore
 * revision; `version` 0 = every version.  *n 0 when there is none (not an
 * error).  HR_EDB, HR_ENOMEM.
 */
int hr_index_sightings(hr_index *idx, const char *ns, const char *name, int64_t version,
		       hr_sighting_row **rows, size_t *n, hr_error *err);
void hr_sighting_rows_free(hr_sighting_row *rows, size_t n);

#endif
