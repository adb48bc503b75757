/*
 * derive_rows.h — the search rows of one release body (model/derived.h),
 * built by the scan's decode workers in parallel, so that the single index
 * writer only inserts them.
 */
#ifndef HR_SCAN_DERIVE_ROWS_H
#define HR_SCAN_DERIVE_ROWS_H

#include <json-c/json.h>
#include "model/derived.h"
#include "util/error.h"

/*
 * Fill `d` (cleared first; reusable) from the release `rel`:
 *   resources: the manifest split with helm's line-start separator
 *     (HR_SPLIT_H424), each document's head read by hr_manifest_head_quick;
 *     a document with a kind or apiVersion is a row, with the sha256 of the
 *     document from its first non-blank byte up to the next separator;
 *   hooks: one row per element of `hooks` (events and delete policies
 *     comma-joined);
 *   values: the user values (`config`, when an object) flattened to dotted
 *     paths, one row per leaf with its compact JSON text.
 * d->built is 1 on success.  0 or HR_ENOMEM.
 */
int hr_scan_derive_rows(hr_derived *d, struct json_object *rel, hr_error *err);

#endif
