/*
 * rules_live.c — the audit rules over the backup's live objects: `drift`
 * (a deployed resource differs from its manifest, or is missing) and
 * `orphan` (an object carries a release's ownership annotations but its
 * deployed manifest does not hold it).  The judging is src/drift/'s; these
 * rules only turn its report into findings with remedies.  Nothing is
 * reported when the index holds no live objects.
 */
#include "audit/audit_int.h"
#include "drift/drift.h"

#include <string.h>

static int emit_item(hr_audit_ctx *c, const hr_drift_item *it, hr_error *err)
{
	hr_buf msg = HR_BUF_INIT, ev = HR_BUF_INIT, fix = HR_BUF_INIT;
	int orphan = it->state == HR_DRIFT_ORPHAN;
	int rc = 0;

	/* a kind the backup did not capture at all says nothing about the cluster */
	if (it->state == HR_DRIFT_IN_SYNC || (it->state == HR_DRIFT_MISSING && !it->kind_captured))
		return 0;
	if (orphan)
		rc = hr_buf_printf(&msg, "%s %s%s%s is an orphan: %s", it->kind, it->namespace, *it->namespace ? "/" : "",
				   it->name, it->note ? it->note : "");
	else if (it->state == HR_DRIFT_MISSING)
		rc = hr_buf_printf(&msg, "%s %s/%s of the deployed manifest is missing: %s", it->kind, it->namespace,
				   it->name, it->note ? it->note : "");
	else
		rc = hr_buf_printf(&msg, "%s %s/%s drifted from the deployed manifest (%zu field(s))", it->kind,
				   it->namespace, it->name, it->ndiffs);
	/* evidence: paths and managers, never values (a Secret's are masked anyway) */
	for (size_t d = 0; d < it->ndiffs && !rc; d++) {
		const hr_drift_diff *df = &it->diffs[d];

		rc = hr_buf_printf(&ev, "%s%s changed", d ? "; " : "", df->path);
		for (size_t m = 0; m < df->nmanagers && !rc; m++)
			rc = hr_buf_printf(&ev, "%s%s", m ? ", " : " by ", df->managers[m]);
	}
	if (!rc && orphan)
		rc = hr_buf_printf(&fix, "Delete it (kubectl delete %s %s%s%s), or adopt it by adding it to the "
				   "release's chart and upgrading.", it->kind, it->name, *it->namespace ? " -n " : "",
				   it->namespace);
	else if (!rc)
		rc = hr_buf_printf(&fix, "Reconcile with helm upgrade %s -n %s (same chart and values), or move the "
				   "change into the chart or values if it is wanted; see helmrec drift %s -n %s.",
				   it->release, it->release_namespace, it->release, it->release_namespace);
	if (!rc)
		rc = hr_audit_emit(c->res, orphan ? "orphan" : "drift", HR_SEV_WARNING, it->release_namespace,
				   it->release, it->revision, hr_buf_cstr(&msg), ev.len ? ev.ptr : NULL, fix.ptr);
	hr_buf_free(&msg);
	hr_buf_free(&ev);
	hr_buf_free(&fix);
	return rc ? hr_error_set(err, HR_ENOMEM, "out of memory") : 0;
}

int hr_audit_live_rules(hr_audit_ctx *c, hr_error *err)
{
	hr_drift_report rep = { 0 };
	int rc;

	if (!hr_audit_want(c->opts, "drift") && !hr_audit_want(c->opts, "orphan"))
		return 0;
	if ((rc = hr_drift_run(c->idx, c->opts->namespace, NULL, HR_DRIFT_ORPHANS, &rep, err)))
		return rc;
	for (size_t i = 0; i < rep.n && !rc; i++) {
		const hr_drift_item *it = &rep.items[i];

		if (hr_audit_want(c->opts, it->state == HR_DRIFT_ORPHAN ? "orphan" : "drift"))
			rc = emit_item(c, it, err);
	}
	hr_drift_report_free(&rep);
	return rc;
}
