/*
 * release.h — typed access to a Helm release JSON (a json-c tree).
 *
 * The tree keeps every field, known or not, so re-encoding is faithful;
 * these helpers only read.  Strings returned are borrowed from the tree
 * and live as long as it does.  A missing or mistyped field reads as NULL
 * (strings), 0 (numbers) or NULL (objects).
 */
#ifndef HR_MODEL_RELEASE_H
#define HR_MODEL_RELEASE_H

#include <stdint.h>
#include <json-c/json.h>

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

#endif
