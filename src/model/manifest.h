/*
 * manifest.h — a stored release manifest as the resources helm applies,
 * and the hooks of a release as helm runs them.
 *
 * Splitting follows helm's SplitManifests of the version that wrote (or
 * will re-read) the record; three behaviours exist (see
 * docs/rollback.md and reference §8.2):
 *
 *   HR_SPLIT_OLD    every Helm 3, and Helm 4.0.x / 4.1.x: separator regex
 *                   `(?:^|\s*\n)---\s*`, whole input and every piece
 *                   TrimSpace'd, empty pieces dropped;
 *   HR_SPLIT_H42    Helm 4.2.0 - 4.2.3: same regex, only leading space
 *                   trimmed, whitespace-only pieces dropped;
 *   HR_SPLIT_H424   Helm 4.2.4 and later: regex `(?m)^---[ \t]*`, only
 *                   leading space trimmed, whitespace-only pieces dropped.
 *
 * Each document's head is read with libyaml (apiVersion, kind,
 * metadata.name, metadata.namespace) and its `# Source: PATH` comment (the
 * first line of every document helm stores) is kept.  Resources are then
 * stable-sorted by helm's install kind order (kind_sorter.go, per writer
 * version); on a record helm wrote that sort changes nothing.
 *
 * Ownership: an hr_resource_list owns its strings; free with
 * hr_resource_list_free().  hr_hook_ref arrays borrow from the release
 * tree; free the array with free().
 */
#ifndef HR_MODEL_MANIFEST_H
#define HR_MODEL_MANIFEST_H

#include <stddef.h>
#include <stdint.h>
#include <json-c/json.h>
#include "util/buf.h"
#include "util/error.h"

typedef enum hr_split_style {
	HR_SPLIT_OLD = 0,
	HR_SPLIT_H42,
	HR_SPLIT_H424
} hr_split_style;

/* One piece of a split: a slice of the input (borrowed). */
typedef struct hr_span {
	size_t off, len;
} hr_span;

/*
 * Split `len` bytes of `text` into documents exactly as SplitManifests of
 * `style` does, in input order.  *docs is malloc'd (free()); *n may be 0.
 * Returns 0 or HR_ENOMEM.
 */
int hr_manifest_split(const char *text, size_t len, hr_split_style style, hr_span **docs, size_t *n,
		      hr_error *err);

/*
 * Kind orders (kind_sorter.go InstallOrder) by writer:
 *   HR_KINDS_H3_OLD  Helm 3.9 - 3.12 (no PriorityClass);
 *   HR_KINDS_H3      Helm 3.13 - 3.x (PriorityClass first);
 *   HR_KINDS_H4      Helm 4 (adds Mutating/ValidatingWebhookConfiguration).
 */
typedef enum hr_kind_order {
	HR_KINDS_H3_OLD = 0,
	HR_KINDS_H3,
	HR_KINDS_H4
} hr_kind_order;

/*
 * Rank of `kind` in `order` (0-based), or -1 for a kind not in the list.
 * Unknown kinds sort after every known kind, alphabetically among
 * themselves (helm's lessByKind).
 */
int hr_kind_rank(hr_kind_order order, const char *kind);
/* helm's lessByKind: non-zero if kind `a` goes strictly before `b`. */
int hr_kind_less(hr_kind_order order, const char *a, const char *b);

/* One resource of a manifest. */
typedef struct hr_resource {
	char *source;        /* path from the "# Source: " line, "" if none */
	char *api_version;   /* "" when absent */
	char *kind;
	char *namespace;     /* metadata.namespace as written ("" = the release's) */
	char *name;
	char *text;          /* the document as split (no trailing newline for HR_SPLIT_OLD) */
	size_t len;
	size_t index;        /* position in the stored manifest */
	int bad_yaml;        /* the head could not be parsed (fields left "") */
} hr_resource;

typedef struct hr_resource_list {
	hr_resource *items;
	size_t n;
} hr_resource_list;

#define HR_RESOURCE_LIST_INIT { NULL, 0 }

/*
 * Split `manifest` and read each document's head into `out` (which must be
 * empty), then stable-sort by `order` (install order).  A document libyaml
 * cannot read is kept with bad_yaml set (helm itself would refuse to apply
 * it).  Returns 0 or HR_ENOMEM; on error `out` is left empty.
 */
int hr_manifest_resources(hr_resource_list *out, const char *manifest, size_t len, hr_split_style style,
			  hr_kind_order order, hr_error *err);
void hr_resource_list_free(hr_resource_list *l);
/*
 * The same with flags.  HR_RESOURCES_UNCHECKED: a document whose head
 * hr_manifest_head_sure can read is not parsed by libyaml (bad_yaml is
 * then 0 whatever the rest of it holds) — for readers of many manifests
 * that want the heads, not the documents' validity (audit).
 */
#define HR_RESOURCES_UNCHECKED 1u
int hr_manifest_resources_ex(hr_resource_list *out, const char *manifest, size_t len, hr_split_style style,
			     hr_kind_order order, unsigned flags, hr_error *err);

/*
 * Head of one YAML document: allocates *api_version, *kind, *ns, *name
 * ("" when absent; free each).  HR_EFORMAT when libyaml rejects it (the
 * outputs are then still valid empty strings), HR_ENOMEM.
 */
int hr_manifest_head(const char *doc, size_t len, char **api_version, char **kind, char **ns, char **name,
		     hr_error *err);

/*
 * hr_manifest_head's four strings without libyaml, when the document is
 * plain enough for them to be certain: every line blank, a comment, a
 * plain `key:` at the root, or indented under one; metadata's own keys at
 * two spaces; no tab, line break other than LF (libyaml also breaks at CR,
 * NEL, LS, PS), anchor on metadata, duplicate of a key looked
 * for, or quote or flow collection left open at a line's end; no deeper
 * line after a value looked for (it would continue the scalar); the values
 * looked for plain ([A-Za-z0-9._/-] and inner ':', bare or in one pair of
 * quotes).  1 with the strings set ("" when absent; free each) — equal to
 * hr_manifest_head's whenever libyaml reads the whole document
 * (tests/fuzz/fuzz_manifest_head checks it); 0 when not sure (nothing
 * set); HR_ENOMEM.  Nothing here checks the rest of the document.
 */
int hr_manifest_head_sure(const char *doc, size_t len, char **api_version, char **kind, char **ns, char **name);

/*
 * The quick head of one document, for indexing many manifests fast: read
 * by line at the indentation helm's templates use, without libyaml and
 * without validating the document.  Top-level "apiVersion:" and "kind:",
 * "  name:" / "  namespace:" under a top-level "metadata:", and the first
 * "# Source: " line; values are trimmed of blanks and one pair of
 * surrounding quotes (no unescaping).  Fields not found stay NULL.  Use
 * hr_manifest_head when the answer must be libyaml's (rollback, diff).
 * Free with hr_doc_head_release().  Returns 0 or HR_ENOMEM.
 */
typedef struct hr_doc_head {
	char *api_version, *kind, *name, *namespace, *source;
} hr_doc_head;

#define HR_DOC_HEAD_INIT { NULL, NULL, NULL, NULL, NULL }

int hr_manifest_head_quick(hr_doc_head *out, const char *doc, size_t len);
void hr_doc_head_release(hr_doc_head *h);

/* The API group of an apiVersion ("apps/v1" -> "apps", "v1" -> ""), into out (cleared). */
int hr_api_group(hr_buf *out, const char *api_version);

/*
 * The identity helm matches resources by (kube client isMatchingInfo:
 * group, kind, namespace, name — not the version), as
 * "group/kind/namespace/name" into `out` (cleared); an empty namespace is
 * replaced by `default_ns` (the release namespace, where helm creates
 * namespaced objects without one).
 */
int hr_resource_key(hr_buf *out, const hr_resource *r, const char *default_ns);

/*
 * Writer-dependent defaults: the split style and kind order of the helm
 * that wrote `rel` (hr_release_writer_major: 4 -> OLD split for 4.0/4.1,
 * the H4 order; 3 -> OLD split, the 3.13+ order).
 */
void hr_manifest_style_for(struct json_object *rel, hr_split_style *style, hr_kind_order *order);

/* One hook of a release (borrowed from the release tree). */
typedef struct hr_hook_ref {
	struct json_object *hook;      /* the hooks[] element */
	const char *name, *kind, *path;
	const char *manifest;
	size_t manifest_len;
	int64_t weight;
	size_t index;                  /* position in hooks[] */
} hr_hook_ref;

/*
 * The hooks of `rel` bound to `event` ("pre-rollback", ...), in the order
 * helm runs them: hooks[] order (kind order) stable-sorted by weight, then
 * by name (hooks.go hookByWeight).  event NULL = every hook, in stored
 * order.  *out is malloc'd (free()); may be empty.
 */
int hr_manifest_hooks(struct json_object *rel, const char *event, hr_hook_ref **out, size_t *n, hr_error *err);

/* Does hook `h` carry `event` in its events[]? */
int hr_hook_has_event(struct json_object *h, const char *event);

#endif
