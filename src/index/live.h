/*
 * live.h — the live Kubernetes objects of a backup (schema v6: tables
 * live_object and live_manager), as the scan stores them and drift/status
 * read them back.
 *
 * A live object is any non-record object of a dump that Helm owns
 * (annotations meta.helm.sh/release-name / -namespace, or the label
 * app.kubernetes.io/managed-by=Helm) or that a stored manifest names.  The
 * scan stores every candidate (see hr_scan's filter) and
 * hr_index_live_prune() drops, after the scan, the candidates that are
 * neither.  One row per (kind, namespace, name, resourceVersion): Velero's
 * second, preferred-version copy of an object is the same row.
 *
 * Ownership: hr_live_object owns its strings and arrays (free with
 * hr_live_object_clear); hr_live_row arrays are the caller's (free with
 * hr_live_rows_free).
 */
#ifndef HR_INDEX_LIVE_H
#define HR_INDEX_LIVE_H

#include <stddef.h>
#include <stdint.h>
#include "index/index.h"
#include "util/buf.h"
#include "util/error.h"

/* One managedFields entry: who owns which fields (JSON pointers, resolved against the object). */
typedef struct hr_live_manager {
	char *manager, *operation, *subresource, *time;
	char *fields;            /* JSON pointers owned, one per line ("" when none) */
} hr_live_manager;

/* One object as the scan decoded it. */
typedef struct hr_live_object {
	char *api_version, *kind, *namespace, *name;
	char *uid, *resource_version, *created;
	char *release_name, *release_namespace;  /* meta.helm.sh annotations, NULL if absent */
	int managed_by_helm;                     /* label app.kubernetes.io/managed-by=Helm */
	char *observed;                          /* newest timestamp in the object (creation, managedFields) */
	hr_live_manager *managers;
	size_t nmanagers, managers_alloc;
	hr_buf body;                             /* gzip of the object's compact JSON */
	size_t body_size;                        /* JSON bytes before compression */
	char *location;                          /* provenance: "line 12", "entry resources/..." */
} hr_live_object;

void hr_live_object_clear(hr_live_object *o);

/* Store one object seen in source `source_id` (idempotent per identity + resourceVersion). */
int hr_index_live_add(hr_index *idx, int64_t source_id, const hr_live_object *o, hr_error *err);

/*
 * Drop the candidates that neither Helm owns nor any stored manifest names
 * (api group, kind, namespace — the release's when the manifest leaves it
 * out — and name).  Run once after a scan.  *kept is the number of live
 * objects left (may be NULL).
 */
int hr_index_live_prune(hr_index *idx, int64_t *kept, hr_error *err);

/* A stored live object as read back. */
typedef struct hr_live_row {
	int64_t id;
	char *api_version, *kind, *namespace, *name, *resource_version, *created, *observed;
	char *release_name, *release_namespace;
	char *source;            /* path of the input it came from */
	hr_live_manager *managers;
	size_t nmanagers;
} hr_live_row;

void hr_live_rows_free(hr_live_row *rows, size_t n);

/* Number of live objects in the index (0 on an index from before v6 data). */
int hr_index_live_count(hr_index *idx, int64_t *n, hr_error *err);

/*
 * The newest stored object (highest resourceVersion) with this API group
 * ("" = core), kind, namespace ("" for cluster-scoped) and name.  Returns 1
 * with *row filled (free with hr_live_rows_free(row, 1)), 0 when there is
 * none.
 */
int hr_index_live_find(hr_index *idx, const char *group, const char *kind, const char *ns, const char *name,
		       hr_live_row **row, hr_error *err);

/*
 * Every object whose Helm annotations name a release, newest per identity,
 * by release namespace, release name, kind, namespace, name.  rel_ns /
 * rel_name NULL = any.
 */
int hr_index_live_owned(hr_index *idx, const char *rel_ns, const char *rel_name, hr_live_row **rows, size_t *n,
			hr_error *err);

/* Does the index hold any live object in namespace `ns`? (1/0) */
int hr_index_live_has_namespace(hr_index *idx, const char *ns, hr_error *err);

/*
 * The inputs that contributed live objects (of API group `group` and kind
 * `kind` when both are given; NULL = any), comma-separated, sorted, into
 * out (cleared).
 */
int hr_index_live_sources(hr_index *idx, const char *group, const char *kind, hr_buf *out, hr_error *err);

/* The object's JSON (gunzipped body) into json (cleared). */
int hr_index_live_body(hr_index *idx, int64_t id, hr_buf *json, hr_error *err);

/* SQL of the v5 -> v6 migration step (the two tables, their indexes). */
extern const char hr_index_live_schema_sql[];

#endif
