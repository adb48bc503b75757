/*
 * values.h — `helm get values` and `helm get all` for a stored release.
 *
 * A release here is the json-c tree of the decoded release record (the JSON
 * Helm stores: name, info, chart, config, manifest, hooks, version,
 * namespace).  Nothing is looked up elsewhere: a stored chart carries no
 * sub-charts, so Helm's computed values reduce to "user config over the
 * chart's own values".
 *
 * Ownership: trees passed in are borrowed and never modified; *out results
 * are new trees the caller frees with json_object_put(); text is appended
 * to the caller's hr_buf (on failure the buffer keeps its original length).
 */
#ifndef HR_RENDER_VALUES_H
#define HR_RENDER_VALUES_H

#include <json-c/json.h>

#include "util/buf.h"
#include "util/error.h"

/*
 * Helm's CoalesceValues(chart, config) for a chart without sub-charts, as
 * `helm get values --all` and `helm get all` compute it.  `chart_values`
 * and `config` may be NULL (or JSON null): no chart defaults / no user
 * values.  Rules (helm v4.1.4 pkg/chart/common/util/coalesce.go and v3.17.1
 * pkg/chartutil/coalesce.go):
 *  - start from a deep copy of config ({} when there is none);
 *  - top level, for each key of the chart values: absent in config -> the
 *    chart value is copied (a chart-default null included); config null ->
 *    the key is removed; both maps -> merged as below; otherwise the config
 *    value stays;
 *  - nested maps: a chart key absent on the user side is copied; a user
 *    null over a non-null default removes the key; a user null with no
 *    default stays null; a user null over a null default is removed by
 *    helm 3 (helm_major 3) and kept by helm 4.0/4.1 (helm_major 4); map
 *    versus non-map conflicts keep the user value; lists are never merged.
 * *out is always a JSON object (possibly empty).
 */
int hr_values_coalesce(struct json_object **out, struct json_object *chart_values,
		       struct json_object *config, int helm_major, hr_error *err);

/*
 * Reorder every object in `v` (recursively, in place) by byte-wise key
 * order, the order Go's encoding/json writes map keys in, so that a
 * key-order-preserving JSON writer prints what `helm ... -o json` prints.
 * Returns 0 or HR_ENOMEM (the tree is unchanged on failure only for the
 * object being reordered; callers treat failure as fatal).
 */
int hr_values_sort(struct json_object *v);

/*
 * Append Go's json.Encoder output for a map-of-interfaces value: compact,
 * keys sorted byte-wise, HTML characters escaped (\u003c \u003e \u0026),
 * U+2028/U+2029 escaped, invalid UTF-8 as \ufffd, numbers as float64, and a
 * final "\n".  NULL writes "null\n".
 */
int hr_values_write_json(hr_buf *out, struct json_object *v, hr_error *err);

/*
 * `helm get values RELEASE [--all] [-o table|json|yaml]` for a decoded
 * release: `all` selects the computed values; fmt "table" (or NULL) prints
 * "USER-SUPPLIED VALUES:\n" / "COMPUTED VALUES:\n" and the YAML, "yaml"
 * the YAML alone, "json" one line of JSON.  A release without `config`
 * prints null.  Unknown fmt -> HR_EINVAL.
 */
int hr_render_get_values(hr_buf *out, struct json_object *release, int all, const char *fmt,
			 int helm_major, hr_error *err);

/*
 * `helm get all RELEASE` (no --template) for a decoded release, as helm
 * `helm_major` (3 or 4) prints it: the status header (LAST DEPLOYED in
 * time.ANSIC in the stored offset, omitted for a zero time; DESCRIPTION
 * line on helm 4 only), TEST SUITE lines, USER-SUPPLIED and COMPUTED
 * VALUES, HOOKS, MANIFEST and the trimmed NOTES.  Defined in getall.c.
 */
int hr_render_get_all(hr_buf *out, struct json_object *release, int helm_major, hr_error *err);

#endif
