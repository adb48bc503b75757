/*
 * rollback.h — what `helm rollback RELEASE T` would write and apply,
 * computed offline from the stored history.
 *
 * helm's rollback (pkg/action/rollback.go, v3.17 and v4.1 alike) stores a
 * new revision last+1 built as follows (see docs/rollback.md for the
 * field-by-field table and the code it was checked against):
 *
 *   from the target revision T   chart, config, manifest, hooks, custom
 *                                labels, info.notes;
 *   from the last revision       namespace, info.first_deployed,
 *                                version (+1);
 *   set                          name; info.last_deployed = now;
 *                                info.status deployed (after success);
 *                                info.description "Rollback to T";
 *                                Helm 4: apply_method from --server-side
 *                                (auto: "ssa" if T's is "ssa", else "csa");
 *   dropped                      info.deleted, everything else of T.
 *
 * On success every revision labelled status=deployed is re-saved as
 * superseded (DeployedAll), re-encoded by the writing helm (a Helm 3 body
 * re-saved by Helm 4 takes Helm 4's JSON shape: hr_release_reshape in
 * model/release.h; labels as helm's Update writes them:
 * hr_record_write_labels in codec/record_write.h).  Hooks are T's: a hook
 * bound to pre-/post-rollback that has no delete policy gets
 * "before-hook-creation", as helm sets before running it; its last_run
 * (times of the run) cannot be known offline and stays as in T.
 *
 * Ownership: hr_rollback_bundle owns everything in it; free with
 * hr_rollback_bundle_free().  Trees returned by the single-record
 * functions are the caller's (json_object_put()).
 */
#ifndef HR_ROLLBACK_ROLLBACK_H
#define HR_ROLLBACK_ROLLBACK_H

#include <stddef.h>
#include <stdint.h>
#include <json-c/json.h>
#include "model/manifest.h"
#include "model/record.h"
#include "util/buf.h"
#include "util/fileio.h"
#include "util/error.h"

typedef struct hr_rollback_opts {
	int writer_major;          /* helm that performs the rollback: 3 or 4 (0 = 4) */
	const char *server_side;   /* Helm 4 --server-side: "auto" (NULL), "true", "false" */
	const char *now;           /* info.last_deployed, RFC 3339; NULL = current time in UTC */
	const char *description;   /* NULL = "Rollback to T" */
	int64_t now_unix;          /* modifiedAt label; 0 = current time */
} hr_rollback_opts;

/*
 * The new revision of a rollback of `last` (the highest revision) to
 * `target` (revision number target_version), with status `status`
 * ("deployed" as after success; "pending-rollback" is what is stored
 * while hooks run).  HR_EINVAL if last or target lack a version/name or
 * server_side is not auto/true/false.
 */
int hr_rollback_record(struct json_object **out, struct json_object *last, struct json_object *target,
		       const char *status, const hr_rollback_opts *o, hr_error *err);

/* One record to (re)write. */
typedef struct hr_rollback_rec {
	int64_t version;
	struct json_object *rel;      /* the release tree */
	char *json;                   /* its Go-exact JSON */
	size_t json_len;
	char *payload;                /* helm string: base64(gzip(json)) */
	size_t payload_len;
	struct json_object *labels;   /* object labels, sorted */
	const char *was_status;       /* status before (superseded records) */
} hr_rollback_rec;

/* One revision of the history given to hr_rollback_plan (borrowed). */
typedef struct hr_rollback_rev {
	struct json_object *rel;
	struct json_object *labels;   /* object labels (NULL if unknown, e.g. SQL) */
} hr_rollback_rev;

typedef struct hr_rollback_bundle {
	char *name, *namespace;
	int64_t target, last, version;     /* T, last, the new revision */
	hr_rollback_rec record;            /* the new revision */
	hr_rollback_rec *superseded;       /* revisions re-marked superseded */
	size_t nsuperseded;
	hr_resource_list resources;        /* T's manifest, install order */
	hr_resource_list current;          /* last's manifest */
	size_t *removed;                   /* indexes into current absent from T (helm deletes them) */
	size_t nremoved;
	hr_hook_ref *pre, *post;           /* rollback hooks (borrow from record.rel) */
	size_t npre, npost;
	/*
	 * Namespaced built-in resources written without metadata.namespace get
	 * the release's (as helm's client does); these many are left without
	 * one: custom resources, whose scope is their CRD's, or odd layouts.
	 */
	size_t unscoped;
} hr_rollback_bundle;

#define HR_ROLLBACK_BUNDLE_INIT { 0 }

/*
 * Plan the rollback of one release to revision `target` (0 = last - 1, as
 * helm) from all its revisions `revs` (any order).  HR_ENOTFOUND with
 * helm's message "release has no N version" when T is absent.
 */
int hr_rollback_plan(hr_rollback_bundle *out, const hr_rollback_rev *revs, size_t n, int64_t target,
		     const hr_rollback_opts *o, hr_error *err);
void hr_rollback_bundle_free(hr_rollback_bundle *b);

/*
 * The record objects (new revision, then superseded ones) as a YAML
 * stream of Secrets or ConfigMaps ready for `kubectl apply -f -`
 * (as_json: one JSON `kind: List`), written by the record writer
 * (codec/record_write.h, sorted style).  `drv` is HR_DRIVER_SECRET or
 * HR_DRIVER_CONFIGMAP, here and below.
 */
int hr_rollback_render_records(hr_buf *out, const hr_rollback_bundle *b, hr_driver drv, int as_json,
			       hr_error *err);
/* T's manifest as one stream for `kubectl apply -f -` (install order). */
int hr_rollback_render_manifest(hr_buf *out, const hr_rollback_bundle *b, hr_error *err);
/* Hooks of one phase (0 pre, 1 post) in run order, each preceded by a comment naming policies. */
int hr_rollback_render_hooks(hr_buf *out, const hr_rollback_bundle *b, int post, hr_error *err);
/* The short human plan (what is created, replaced, deleted, which hooks). */
int hr_rollback_render_plan(hr_buf *out, const hr_rollback_bundle *b, hr_driver drv, hr_error *err);
/* The bundle as one JSON document (-o json). */
int hr_rollback_render_json(hr_buf *out, const hr_rollback_bundle *b, hr_driver drv, hr_error *err);

/*
 * Write the bundle under `dir` (created if missing, mode 0700): one file
 * per resource manifests/NNN-kind-name.yaml, manifest.yaml (all of them),
 * hooks/pre-rollback/NN-kind-name.yaml and hooks/post-rollback/...,
 * records.yaml, plan.txt.  what: 1 records only, 2 manifests only, 0 all.
 * Every file is written atomically (temporary file + rename, mode 0600).
 */
int hr_rollback_write_dir(const char *dir, const hr_rollback_bundle *b, hr_driver drv, int what,
			  hr_error *err);

#endif
