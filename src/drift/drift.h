/*
 * drift.h — what Helm thinks it deployed against what was really running,
 * offline: the deployed revision's manifest compared with the live objects
 * the backup holds (src/index/live.h).  docs/drift.md states the rules.
 *
 * For each release (its highest revision with status "deployed"), each
 * manifest resource is
 *   missing   no object with its group, kind, namespace and name in the backup;
 *   in-sync   every field the manifest sets has the same value live;
 *   drifted   some field the manifest sets differs live (server defaults,
 *             status and fields only others set are not drift);
 * and an object carrying Helm's ownership annotations for a release whose
 * deployed manifest does not hold it is an
 *   orphan    (left behind by a failed upgrade, or its release is gone).
 * Differences carry the JSON pointer, the stored and the live value (JSON
 * text; a Secret's data is masked) and the managedFields managers that own
 * the field live.  Releases whose namespace holds no live object at all are
 * not judged (the backup did not capture them): counted in `unchecked`.
 *
 * The module returns values; src/cmd/cmd_drift.c prints (drift_out.c
 * formats).  Ownership: a report owns everything in it; free with
 * hr_drift_report_free().
 */
#ifndef HR_DRIFT_DRIFT_H
#define HR_DRIFT_DRIFT_H

#include <stddef.h>
#include <stdint.h>
#include <json-c/json.h>
#include "index/index.h"
#include "util/buf.h"
#include "util/error.h"

typedef enum hr_drift_state {
	HR_DRIFT_IN_SYNC = 0,
	HR_DRIFT_DRIFTED,
	HR_DRIFT_MISSING,
	HR_DRIFT_ORPHAN
} hr_drift_state;

/* "in-sync", "drifted", "missing", "orphan" */
const char *hr_drift_state_name(hr_drift_state s);

#define HR_DRIFT_MASKED "\"(masked)\""

typedef struct hr_drift_diff {
	char *path;              /* JSON pointer, e.g. /spec/template/spec/containers/0/image */
	char *stored, *live;     /* compact JSON text; NULL = absent; HR_DRIFT_MASKED for Secret data */
	char **managers;         /* managedFields managers owning the field live */
	size_t nmanagers;
} hr_drift_diff;

typedef struct hr_drift_item {
	char *release_namespace, *release;
	int64_t revision;        /* deployed revision; 0 for an orphan of a release with none */
	char *api_version, *kind, *namespace, *name;   /* namespace "" for cluster-scoped */
	hr_drift_state state;
	hr_drift_diff *diffs;
	size_t ndiffs, diffs_alloc;
	char *note;              /* why missing / orphan, in words */
	int kind_captured;       /* missing: some input held objects of this kind (so it was deleted) */
	int64_t live_id;         /* live_object row, 0 when missing */
	struct json_object *live; /* the live object (only with HR_DRIFT_KEEP_LIVE), owned */
	char *observed;          /* newest timestamp of the live object */
} hr_drift_item;

typedef struct hr_drift_report {
	hr_drift_item *items;    /* by release namespace, release; manifest (install) order; orphans last */
	size_t n, alloc;
	size_t checked, unchecked; /* releases judged / passed over (no live objects of their namespace) */
	int64_t live_objects;    /* live objects in the index */
	char *live_sources;      /* inputs that held live objects, comma-separated */
} hr_drift_report;

enum {
	HR_DRIFT_ORPHANS = 1u << 0,   /* also look for orphans */
	HR_DRIFT_KEEP_LIVE = 1u << 1  /* keep each item's live object tree (status RESOURCES) */
};

/*
 * Judge the releases of namespace `ns` (NULL = all) named `release` (NULL
 * = all) into *out (zeroed first).  With no live objects in the index at
 * all, the report is empty with live_objects 0.  Returns 0, HR_ENOMEM,
 * HR_EDB, or a release's load error.
 */
int hr_drift_run(hr_index *idx, const char *ns, const char *release, unsigned flags, hr_drift_report *out,
		 hr_error *err);
void hr_drift_report_free(hr_drift_report *r);

/* The report as JSON (the array of docs/drift.md) into out, with a newline. */
int hr_drift_json(hr_buf *out, const hr_drift_report *r, hr_error *err);
/* The report as a table with difference lines under each drifted resource. */
int hr_drift_table(hr_buf *out, const hr_drift_report *r, hr_error *err);

/*
 * The body of helm's RESOURCES section for one release from a report made
 * with HR_DRIFT_KEEP_LIVE: a note line, "==> VERSION/KIND" groups sorted by
 * that key with kubectl-like columns (NAME ... AGE, ages as of the newest
 * timestamp among the release's objects), then the manifest resources
 * missing from the backup.  Empty when no item has a live object.
 */
int hr_drift_resources_text(hr_buf *out, const hr_drift_report *r, hr_error *err);

#endif
