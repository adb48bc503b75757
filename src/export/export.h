/*
 * export.h — re-encode release history for another cluster or another
 * Helm storage driver.
 *
 * Two steps, so that the command can print a dry-run summary before
 * writing anything:
 *
 *   hr_export_collect()   index -> an ordered hr_export_set: the revisions
 *                         selected (release names / namespace / all,
 *                         status filter, deleted or not, --history-max
 *                         pruning as Helm's removeLeastRecent), each with
 *                         its target namespace and name (namespace map,
 *                         rename), its payload (the original Helm string
 *                         untouched when nothing changed, else the JSON
 *                         re-serialized by the Go-compatible writer and
 *                         re-encoded as Helm encodes) and its labels
 *                         (Helm's system labels recomputed from the body,
 *                         custom labels carried over, cluster-assigned
 *                         metadata and Velero restore labels dropped:
 *                         hr_record_write_labels, HR_RECORD_STAMP_KEEP);
 *   hr_export_render()    a set -> bytes in one driver's format: Secret or
 *                         ConfigMap objects (YAML stream or JSON List),
 *                         SQL statements for Helm's PostgreSQL tables
 *                         (both written by codec/record_write.h), or
 *                         the JSON array HELM_MEMORY_DRIVER_DATA reads.
 *
 * The formats are specified in formats/helm-memory-driver.md and
 * docs/export.md.
 *
 * Ownership: an hr_export_set owns everything in it; free with
 * hr_export_set_free().  Maps from hr_export_parse_map() are freed with
 * hr_export_map_free().
 */
#ifndef HR_EXPORT_EXPORT_H
#define HR_EXPORT_EXPORT_H

#include <stddef.h>
#include <stdint.h>
#include <json-c/json.h>
#include "index/index.h"
#include "model/record.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/fileio.h"

typedef enum hr_export_format {
	HR_EXPORT_YAML = 0,   /* Secret/ConfigMap: a YAML stream, one document per object */
	HR_EXPORT_JSON        /* Secret/ConfigMap: one JSON `kind: List` */
} hr_export_format;

/* One OLD=NEW pair of --namespace-map / --rename. */
typedef struct hr_export_pair {
	char *from, *to;
} hr_export_pair;

typedef struct hr_export_map {
	hr_export_pair *pairs;
	size_t n;
} hr_export_map;

#define HR_EXPORT_MAP_INIT { NULL, 0 }

enum {
	HR_EXPORT_MAP_NAMESPACE = 0,  /* values must be DNS labels (Kubernetes namespaces) */
	HR_EXPORT_MAP_RELEASE         /* values must be valid Helm release names */
};

/*
 * Append the pairs of `spec` ("OLD=NEW[,OLD=NEW...]") to `map`, checking
 * both sides with the `kind` rules.  A name mapped twice is HR_EINVAL.
 */
int hr_export_parse_map(hr_export_map *map, const char *spec, int kind, hr_error *err);
void hr_export_map_free(hr_export_map *map);
/* The target of `name` under `map`, or `name` itself. Borrowed. */
const char *hr_export_map_lookup(const hr_export_map *map, const char *name);

/* Helm's ValidateReleaseName (<= 53 chars, DNS-1123 subdomain shape). */
int hr_export_valid_release_name(const char *s);
/* A Kubernetes namespace: DNS-1123 label, <= 63 chars. */
int hr_export_valid_namespace(const char *s);

typedef struct hr_export_opts {
	hr_driver driver;                /* HR_DRIVER_SECRET, _CONFIGMAP, _SQL or _MEMORY */
	hr_export_format format;
	const hr_export_map *ns_map;     /* may be NULL */
	const hr_export_map *rename;     /* may be NULL */
	long history_max;                /* keep the newest N per release (0 = all) */
	const char *const *statuses;     /* keep only these body statuses (NULL = all) */
	size_t nstatuses;
	int include_deleted;             /* also revisions only seen deleted/historical */
	int rewrite_manifest_ns;         /* rewrite metadata.namespace in manifests of moved releases */
	int normalize;                   /* align bodies whose name/namespace disagree with their object */
} hr_export_opts;

/*
 * One revision to write.  Its payload is not held: hr_export_materialize
 * makes it when the item is written, so memory stays bounded by the
 * largest record.
 */
typedef struct hr_export_item {
	char *src_namespace, *src_name;  /* where it came from (index record) */
	char *namespace, *name;          /* where it goes */
	int64_t version;
	int64_t rev_id;                  /* index row of the body */
	char *status;                    /* info.status of the body */
	int changed;                     /* payload re-encoded (body edited, JSON-only or Tiller record) */
	int edit;                        /* body name/namespace set to the target (moved, renamed, --normalize) */
	char *body_ns;                   /* namespace inside the body as found */
	struct json_object *labels;      /* object labels to write, sorted by key */
	int64_t created_at, modified_at; /* SQL columns (Unix seconds; modified 0 = never) */
	size_t hardcoded_ns;             /* objects (manifest + hooks) whose metadata.namespace is
					    the old namespace and stays so (no rewrite asked) */
	size_t ns_rewritten;             /* such objects rewritten to the new namespace */
	char *warning;                   /* the body disagrees with its object and was kept as found
					    (no --normalize); NULL when consistent */
} hr_export_item;

typedef struct hr_export_set {
	hr_export_item *items;           /* by target namespace, name, version */
	size_t n, cap;
	size_t releases;                 /* distinct releases in items */
	size_t pruned, filtered;         /* revisions dropped by --history-max / --status */
	size_t reencoded;                /* items with changed = 1 */
	size_t inconsistent;             /* items with a warning */
	hr_index *idx;                   /* where the payloads are read from (borrowed: keep it open
					    while the set is written) */
} hr_export_set;

#define HR_EXPORT_SET_INIT { NULL, 0, 0, 0, 0, 0, 0, 0, NULL }

void hr_export_set_free(hr_export_set *set);

/*
 * Which releases to export: `names` (n of them) in namespace `ns` (NULL =
 * any namespace), or in nss[i] for names[i] when `nss` is given; or, with
 * no names, every release in `ns`, or in the whole index when ns is NULL.
 * A name that matches nothing is HR_ENOTFOUND.
 */
typedef struct hr_export_sel {
	const char *ns;
	const char *const *names;
	const char *const *nss;          /* may be NULL */
	size_t n;
} hr_export_sel;

/*
 * Fill `set` (which must be empty) from the index.  Two source releases
 * that would land on the same target namespace/name are HR_ECONFLICT.
 * On error `set` is left empty.
 */
int hr_export_collect(hr_export_set *set, hr_index *idx, const hr_export_sel *sel,
		      const hr_export_opts *opts, hr_error *err);

/*
 * Helm's history pruning (pkg/storage removeLeastRecent) applied to one
 * release whose revisions are given oldest first: mark in keep[i] (1/0)
 * the newest `max` revisions, dropping from the oldest up but never the
 * deployed revision Helm would find (the highest-numbered one whose status
 * is "deployed").  max <= 0 keeps all.  Returns how many are kept.
 */
size_t hr_export_prune(const int64_t *versions, const char *const *statuses, size_t n, long max,
		       unsigned char *keep);

/*
 * The payload of item `it` into `payload` (the Helm string: the original
 * one, copied without decoding, unless the item changed) and, when
 * `want_json` or the item changed, its release JSON into `json`.  Both are
 * cleared first.
 */
int hr_export_materialize(const hr_export_set *set, const hr_export_item *it, const hr_export_opts *o,
			  int want_json, hr_buf *payload, hr_buf *json, hr_error *err);

/*
 * Write items [from, to) in the driver's format to `sink`, one record at a
 * time (memory bounded by the largest record).  `sink` returns 0 or a
 * negative HR_E* code with `err` filled.
 */
typedef int (*hr_export_sink)(void *ctx, const char *data, size_t len, hr_error *err);
int hr_export_write(const hr_export_set *set, size_t from, size_t to, const hr_export_opts *o,
		    hr_export_sink sink, void *ctx, hr_error *err);
/* hr_export_write to file descriptor `fd` (stdout), or to `path` atomically (mode 0600, fsync, rename). */
int hr_export_write_fd(int fd, const hr_export_set *set, size_t from, size_t to, const hr_export_opts *o,
		       hr_error *err);
int hr_export_write_file(const char *path, const hr_export_set *set, size_t from, size_t to,
			 const hr_export_opts *o, hr_error *err);

/*
 * Append release JSON `s` to `b` as the memory-driver file holds it: the
 * characters sigs.k8s.io/yaml refuses inside strings (DEL, C1 controls but
 * NEL, U+FFFE/U+FFFF) escaped, every other byte kept.  HR_ENOMEM.
 */
int hr_export_memory_json(hr_buf *b, const char *s, size_t len);

/*
 * Append the whole set in the driver's format to `out`.  For
 * Secret/ConfigMap the format is opts->format; SQL and memory ignore it.
 */
int hr_export_render(hr_buf *out, const hr_export_set *set, const hr_export_opts *opts, hr_error *err);

/*
 * Like hr_export_render for items [from, to) only (one file per release
 * with --out DIR).
 */
int hr_export_render_range(hr_buf *out, const hr_export_set *set, size_t from, size_t to,
			   const hr_export_opts *opts, hr_error *err);

/*
 * Objects of a rendered manifest whose `metadata.namespace` is `old_ns`
 * (the direct child of a top-level `metadata:` mapping, quoted or not):
 * their number in *count; with `out` non-NULL the manifest is appended to
 * it with those values replaced by `new_ns`, every other byte kept.
 */
int hr_export_manifest_ns(hr_buf *out, const char *manifest, const char *old_ns, const char *new_ns,
			  size_t *count);

#endif
