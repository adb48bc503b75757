/*
 * cmd_drift.c — `helmrec drift [RELEASE] [-n NS | -A] [-o table|json]`:
 * parse flags, run the drift module (src/drift/) over the index's live
 * objects, print the report.  The rules are in docs/drift.md.
 */
#include "cmd/common.h"
#include "drift/drift.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const hr_command_help help = {
	"drift", "drift [RELEASE] [--db FILE | --from INPUT...] [-n NS | -A] [-o table|json]",
	"Compare each release's deployed manifest with the live objects of the backup",
	"For the deployed revision of each release, each manifest resource is missing\n"
	"(not in the backup), in-sync, or drifted (a field the manifest sets differs\n"
	"live; the managedFields managers owning it are named).  Objects carrying a\n"
	"release's ownership annotations that its deployed manifest does not hold are\n"
	"orphans.  Secret data is masked.  Needs the live objects in the inputs\n"
	"(kubectl get ... -o yaml dumps, Velero backups).  Rules: docs/drift.md."
};

int cmd_drift(int argc, char **argv, hr_ctx *ctx)
{
	hr_cmd_query q = HR_CMD_QUERY_INIT("table");
	int all_ns = 0;
	hr_option opts[] = {
		HR_OPT_BOOL_('A', "all-namespaces", &all_ns, "every namespace"),
		HR_CMD_OPT_NAMESPACE_(&q, "only this namespace (default: $HELM_NAMESPACE, else default)"),
		HR_CMD_OPT_OUTPUT_(&q, "table|json", "table (default) or json"),
		HR_OPT_END_,
	};
	hr_drift_report rep = { 0 };
	const char *release = NULL;
	int rc;

	if ((rc = hr_cmd_query_start(&q, argc, argv, &help, opts, ctx, 0, 1, "RELEASE")))
		return rc < 0 ? 0 : rc;
	if (strcmp(q.fmt, "table") && strcmp(q.fmt, "json")) {
		rc = hr_cmd_error(HR_EXIT_USAGE, "invalid format type \"%s\" (table or json)", q.fmt);
		goto out;
	}
	if ((rc = hr_cmd_open_index(ctx, &q.idx)))
		goto out;
	if (q.pos.n == 1) {
		release = q.pos.items[0];
		if (all_ns)
			q.ns = NULL;
		else if ((rc = hr_cmd_resolve_ns(q.idx, release, q.ns, &q.ns, &q.owned)))
			goto out;
	} else if (all_ns) {
		q.ns = NULL;
	} else if (!q.ns) {
		q.ns = getenv("HELM_NAMESPACE");
		if (!q.ns || !*q.ns)
			q.ns = "default";
	}
	if (hr_drift_run(q.idx, q.ns, release, HR_DRIFT_ORPHANS, &rep, &q.err)) {
		rc = hr_cmd_error(HR_EXIT_FAIL, "%s", q.err.msg);
		goto out;
	}
	if (!rep.live_objects)
		fprintf(stderr, "warning: the index holds no live objects: scan a dump or backup that has them "
			"(kubectl get all,cm,secret,... -A -o yaml, a Velero backup)\n");
	else if (rep.unchecked)
		fprintf(stderr, "note: %zu release(s) not judged: the backup holds no live objects of their namespace\n",
			rep.unchecked);
	if (!strcmp(q.fmt, "json"))
		rc = hr_drift_json(&q.out, &rep, &q.err);
	else if (rep.n)
		rc = hr_drift_table(&q.out, &rep, &q.err);
	if (rc) {
		rc = hr_cmd_error(HR_EXIT_FAIL, "%s", q.err.msg);
		goto out;
	}
	rc = hr_cmd_write(q.out.ptr, q.out.len);
out:
	hr_drift_report_free(&rep);
	return hr_cmd_query_free(&q, rc);
}
