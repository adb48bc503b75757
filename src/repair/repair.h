/*
 * repair.h — the release records that un-stick a release or map removed
 * Kubernetes APIs, computed offline from the stored history, for the user
 * to review and apply (`helmrec repair`, docs/repair.md).
 *
 * Three repairs:
 *
 *   HR_REPAIR_UNLOCK         the newest revision is pending-install,
 *                            pending-upgrade, pending-rollback or
 *                            uninstalling: it is re-written as `failed`
 *                            (label and body), its description saying what
 *                            it was stuck in and when helmrec marked it;
 *   HR_REPAIR_MAP_APIS       the newest deployed revision's manifest and
 *                            hook manifests with each removed/deprecated
 *                            apiVersion (model/kubeapi.h, for the target
 *                            Kubernetes version) replaced — only that line
 *                            of each affected document — stored as a new
 *                            revision latest+1, deployed, described
 *                            "Kubernetes deprecated API upgrade - DO NOT
 *                            rollback from this version" (helm-mapkubeapis'
 *                            wording), last_deployed now; every revision
 *                            labelled deployed becomes superseded;
 *   HR_REPAIR_MARK_DEPLOYED  revision REV becomes deployed (info.deleted
 *                            cleared), every other deployed one superseded.
 *
 * Every changed body is re-marshalled in the JSON shape of the helm
 * major that wrote it (hr_release_writer_major + hr_release_reshape,
 * model/release.h), so a Helm 3 body keeps Helm 3's shape and a Helm 4
 * body keeps apply_method; only the fields the repair names differ.
 * Re-saved records are labelled as helm's Update labels them (custom
 * labels kept, modifiedAt now), the added record as helm's Create
 * (custom labels of its source, createdAt now) — codec/record_write.h.
 *
 * Nothing here prints or writes files.
 *
 * Ownership: hr_repair_plan owns everything in it; release it with
 * hr_repair_plan_release().  The history (hr_revision, model/revision.h:
 * only rel and labels are read; labels may be NULL, e.g. SQL) is borrowed
 * for the call.  Render functions append to the caller's hr_buf.
 */
#ifndef HR_REPAIR_REPAIR_H
#define HR_REPAIR_REPAIR_H

#include <stddef.h>
#include <stdint.h>
#include <json-c/json.h>
#include "model/record.h"
#include "model/revision.h"
#include "util/buf.h"
#include "util/error.h"

/* mapkubeapis' description of the revision it adds (common.UpgradeDescription). */
#define HR_REPAIR_MAP_DESCRIPTION "Kubernetes deprecated API upgrade - DO NOT rollback from this version"

typedef enum hr_repair_kind {
	HR_REPAIR_UNLOCK = 1,
	HR_REPAIR_MAP_APIS,
	HR_REPAIR_MARK_DEPLOYED
} hr_repair_kind;

typedef struct hr_repair_opts {
	hr_repair_kind kind;
	int64_t revision;            /* MARK_DEPLOYED: the revision to mark */
	int kube_major, kube_minor;  /* MAP_APIS target (0.0 = every API the table lists as removed) */
	int force;                   /* MAP_APIS / MARK_DEPLOYED on a failed or pending newest revision */
	const char *now;             /* RFC 3339 time for descriptions and last_deployed; NULL = now (UTC) */
	int64_t now_unix;            /* createdAt / modifiedAt labels; 0 = now */
} hr_repair_opts;

/* One record to write. */
typedef struct hr_repair_rec {
	int64_t version;
	int added;                   /* a new revision (Create), else a re-saved one (Update) */
	int writer_major;            /* helm major whose JSON shape the body keeps */
	char *was_status;            /* status before ("" for an added record) */
	char *status;                /* status written (label and body) */
	struct json_object *rel;     /* the release tree written */
	char *json;                  /* its Go-exact JSON */
	size_t json_len;
	char *payload;               /* helm string: base64(gzip(json)) */
	size_t payload_len;
	struct json_object *labels;  /* object labels, sorted */
} hr_repair_rec;

/* One apiVersion line rewritten by MAP_APIS. */
typedef struct hr_repair_change {
	char *where;                 /* "manifest" or "hook NAME" */
	char *kind, *name;           /* the document's kind and metadata.name */
	char *from, *to;             /* apiVersions */
	int removed;                 /* `from` is removed (not only deprecated) at the target */
} hr_repair_change;

typedef struct hr_repair_plan {
	hr_repair_kind kind;
	char *name, *namespace;
	int64_t source;              /* UNLOCK: the stuck revision; MAP_APIS: the one mapped; MARK: REV */
	hr_repair_rec *recs;         /* added first, then re-saved in version order */
	size_t nrecs;
	hr_repair_change *changes;
	size_t nchanges;
	char *next;                  /* what to run after applying (one sentence), or NULL */
} hr_repair_plan;

#define HR_REPAIR_PLAN_INIT { 0 }

/*
 * Plan the repair `o->kind` of one release from all its revisions `revs`
 * (any order).  HR_ESKIP when the release does not need that repair, or
 * refuses it (newest revision failed/pending for MAP_APIS without force):
 * err says why.  HR_ENOTFOUND for an empty history or a missing REV,
 * HR_EUNSUPPORTED when an apiVersion line cannot be rewritten in place
 * (flow-style document), HR_EINVAL, HR_EFORMAT, HR_ENOMEM.  On error `out`
 * is left empty.
 */
int hr_repair_build(hr_repair_plan *out, const hr_revision *revs, size_t n, const hr_repair_opts *o,
		    hr_error *err);
void hr_repair_plan_release(hr_repair_plan *p);

/*
 * Rewrite the apiVersion of every document of `manifest` (one or more YAML
 * documents as helm stores them, split as `rel`'s writer splits) whose
 * (apiVersion, kind) the table maps at kube_major.kube_minor, appending
 * the new manifest to `out` and one change per document to *changes
 * (grown; `where` is copied into each).  Only the value on the top-level
 * `apiVersion:` line changes; every other byte is copied.  Returns the
 * number of documents changed (>= 0), HR_EUNSUPPORTED when the top-level
 * apiVersion line cannot be found or the rewritten head does not read
 * back as the new apiVersion, HR_ENOMEM.
 */
int hr_repair_map_manifest(hr_buf *out, const char *manifest, size_t len, struct json_object *rel,
			   int kube_major, int kube_minor, const char *where, hr_repair_change **changes,
			   size_t *nchanges, hr_error *err);

/*
 * The records as a stream for `kubectl apply -f -`: YAML documents, or
 * (as_json) one JSON `kind: List` and a newline; `drv` is
 * HR_DRIVER_SECRET or HR_DRIVER_CONFIGMAP.  Written by the record writer
 * (sorted style).
 */
int hr_repair_render_records(hr_buf *out, const hr_repair_plan *p, hr_driver drv, int as_json, hr_error *err);

/*
 * The records as SQL for Helm's PostgreSQL driver, in one transaction:
 * an UPDATE (body, status, modifiedAt) per re-saved record, as helm's SQL
 * Update; INSERTs (release and custom labels) per added record.
 */
int hr_repair_render_sql(hr_buf *out, const hr_repair_plan *p, hr_error *err);

/* The human plan: what changes in which record and why, how to apply, what next. */
int hr_repair_render_plan(hr_buf *out, const hr_repair_plan *p, hr_driver drv, hr_error *err);

#endif
