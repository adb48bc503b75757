/*
 * release.h — typed access to a Helm release JSON (a json-c tree), the
 * JSON member helpers the whole tree uses, and the release re-marshalled
 * in the JSON shape of the helm major that writes it.
 *
 * The tree keeps every field, known or not, so re-encoding is faithful;
 * the readers only read.  A missing or mistyped field reads as NULL
 * (strings, objects), `dflt` where one is given, or 0 (numbers).
 *
 * The json-c ownership rule, stated once for the project:
 *   - a json_object or string READ from a tree (these helpers,
 *     json_object_object_get_ex, json_object_array_get_idx,
 *     json_object_get_string) is BORROWED: valid while the tree lives,
 *     never json_object_put() by the reader; json_object_get() it to keep
 *     it longer or to add it to a second parent;
 *   - json_object_object_add / json_object_array_add TAKE the reference
 *     they are given on success; on failure (-1) it stays the caller's,
 *     who must json_object_put() it;
 *   - a tree returned through `**out` or as a new object is the caller's:
 *     free it with json_object_put().
 */
#ifndef HR_MODEL_RELEASE_H
#define HR_MODEL_RELEASE_H

#include <stdint.h>
#include <json-c/json.h>
#include "util/error.h"

/* ---- members of any JSON object (the one set of member helpers) ---- */

/* Member `key` of `o`, any type; NULL when `o` is NULL, not an object, or lacks `key`. */
struct json_object *hr_release_member(struct json_object *o, const char *key);
/* Member `key` of `o` if it has JSON type `type`, else NULL. */
struct json_object *hr_release_member_type(struct json_object *o, const char *key, json_type type);
/* String member `key` of `o`; `dflt` when absent or not a string. */
const char *hr_release_member_str(struct json_object *o, const char *key, const char *dflt);

/* ---- adding members (the one set of setters; they TAKE `v`, see above) ---- */

/* Add `v` (a new reference) under `key`, replacing a previous value; on failure `v` is put.  HR_ENOMEM when `v` is NULL (a failed allocation) or the add fails. */
int hr_release_add(struct json_object *o, const char *key, struct json_object *v);
/* Add a new string `s` (NULL adds ""); 0 or HR_ENOMEM. */
int hr_release_add_str(struct json_object *o, const char *key, const char *s);
/* Add a deep copy of `v` (borrowed; NULL adds JSON null); 0 or HR_ENOMEM. */
int hr_release_add_copy(struct json_object *o, const char *key, struct json_object *v);

/* ---- fields of a release ---- */

/* Field at a dotted path ("info.status", "chart.metadata.name"), or NULL. */
struct json_object *hr_release_get(struct json_object *rel, const char *path);
/* String at a path, NULL if absent or not a string. */
const char *hr_release_str(struct json_object *rel, const char *path);
/* Like hr_release_str but "" counts as absent (returns NULL). */
const char *hr_release_str_nonempty(struct json_object *rel, const char *path);
/* Integer at a path (JSON number), `dflt` if absent. */
int64_t hr_release_int(struct json_object *rel, const char *path, int64_t dflt);

/* Common fields. */
static inline const char *hr_release_name(struct json_object *r) { return hr_release_str(r, "name"); }
static inline const char *hr_release_namespace(struct json_object *r) { return hr_release_str(r, "namespace"); }
static inline int64_t hr_release_version(struct json_object *r) { return hr_release_int(r, "version", 0); }
static inline const char *hr_release_status(struct json_object *r) { return hr_release_str(r, "info.status"); }

/*
 * Which helm major version most likely wrote this body: 4 when it carries
 * Helm 4-only keys (apply_method, chart.schemamodtime), 3 when info.deleted
 * is present as "" or no Helm 4 key is seen.
 */
int hr_release_writer_major(struct json_object *rel);

/* ---- the Helm 3 / Helm 4 JSON shape (release_shape.c) ---- */

enum {
	/*
	 * Hooks bound to pre-/post-rollback that have no delete policy get
	 * "before-hook-creation", as helm's execHook sets before running them
	 * (what a rollback stores).
	 */
	HR_RESHAPE_ROLLBACK_HOOKS = 1u << 0
};

/*
 * Reshape a release tree as `writer_major` helm (3 or 4; 0 = 4) would
 * marshal it after reading it (helm only knows its own struct fields):
 * Release, Info, Chart, Hook and HookExecution in struct field order with
 * Go's omitempty rules.  Helm 4 omits zero times and info.deleted, adds
 * chart.schemamodtime (zero time) and writes hook last_run without zero
 * times; Helm 3 writes zero times as "", always writes info.deleted, drops
 * apply_method and the chart/file modtime fields.  Times are re-marshalled
 * as Go does (RFC3339Nano, "Z" for a zero offset).  `flags`: HR_RESHAPE_*.
 * Returns a new tree in *out; HR_EINVAL if `rel` is not an object,
 * HR_EFORMAT for an unparsable time, HR_ENOMEM.
 */
int hr_release_reshape(struct json_object **out, struct json_object *rel, int writer_major, unsigned flags,
		       hr_error *err);

#endif
