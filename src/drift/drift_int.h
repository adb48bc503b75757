/*
 * drift_int.h — semi-private to src/drift/: what drift.c (the release walk)
 * and drift_compare.c (the field comparison) share.  Not for other folders.
 */
#ifndef HR_DRIFT_INT_H
#define HR_DRIFT_INT_H

#include <json-c/json.h>
#include "drift/drift.h"
#include "index/live.h"
#include "util/buf.h"

/* One comparison: the item its differences go to and the live row whose managedFields name owners. */
typedef struct hr_drift_cmp {
	hr_drift_item *it;
	const hr_live_row *row;
	int secret;
	int oom;
} hr_drift_cmp;

/* strdup of s ("" for NULL); *oom set when the copy fails. */
char *hr_drift_dup(const char *s, int *oom);

/*
 * Compare manifest value m against live value l under JSON pointer `path`
 * (restored on return), adding a difference to c->it for each field m sets
 * that l lacks or holds differently; c->oom set when out of memory.
 */
void hr_drift_compare(hr_drift_cmp *c, struct json_object *m, struct json_object *l, hr_buf *path, int depth);

/* A Secret's stringData as the API server stores it: base64 into data.  0 or HR_ENOMEM. */
int hr_drift_fold_string_data(struct json_object *doc);

#endif
