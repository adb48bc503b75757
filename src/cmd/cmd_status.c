/*
 * cmd_status.c — `helmrec status RELEASE`: helm status as far as it can be
 * derived offline (RESOURCES from the backup's live objects, src/drift/).
 */
#include "cmd/common.h"
#include "drift/drift.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const hr_command_help help = {
	"status", "status RELEASE [-n NS] [--revision N] [--show-desc] [-o table|json|yaml]",
	"Print the status of a release, as helm status does (offline)",
	"Differences from helm: no live resource state, because there is no cluster.\n"
	"When the inputs hold the release's live objects (kubectl dumps, Velero\n"
	"backups), a RESOURCES section lists them as of the backup, and the manifest's\n"
	"resources missing from it; everything else comes from the stored record."
};

int cmd_status(int argc, char **argv, hr_ctx *ctx)
{
	hr_cmd_query q = HR_CMD_QUERY_INIT("table");
	int show_desc = 0;
	hr_option opts[] = {
		HR_CMD_OPT_NAMESPACE_(&q, "namespace of the release"),
		HR_CMD_OPT_OUTPUT_(&q, "table|json|yaml", "table (default), json or yaml"),
		HR_CMD_OPT_REVISION_(&q, "show the status of the named revision"),
		HR_OPT_BOOL_(0, "show-desc", &show_desc, "show the description (helm 3; helm 4 always does)"),
		HR_OPT_BOOL_(0, "include-deleted", &ctx->include_deleted, "also consider revisions recovered from datastore history"),
		HR_OPT_END_,
	};
	struct json_object *rel = NULL, *labels = NULL;
	hr_buf resources = HR_BUF_INIT;
	hr_drift_report rep = { 0 };
	const char *name;
	int rc;

	if ((rc = hr_cmd_query_start(&q, argc, argv, &help, opts, ctx, 1, 1, "RELEASE")))
		return rc < 0 ? 0 : rc;
	name = q.pos.items[0];
	if ((rc = hr_cmd_helm3_only(ctx, argc, argv, opts, 0, "show-desc")) ||
	    (rc = hr_cmd_query_open(&q, ctx, name)) ||
	    (rc = hr_cmd_load_revision(ctx, q.idx, q.ns, name, q.revision, &rel, &labels)))
		goto out;
	/* RESOURCES from the backup's live objects, when it holds any of this release */
	if (!q.revision && !strcmp(q.fmt, "table") && !hr_drift_run(q.idx, q.ns, name, HR_DRIFT_KEEP_LIVE, &rep, &q.err))
		hr_drift_resources_text(&resources, &rep, &q.err);
	rc = hr_cmd_emit(hr_render_status_resources(&q.out, rel, show_desc, ctx->helm_major, q.fmt, resources.ptr,
						    ctx->color_on, &q.err), &q.err, &q.out);
out:
	json_object_put(rel);
	json_object_put(labels);
	hr_buf_free(&resources);
	hr_drift_report_free(&rep);
	return hr_cmd_query_free(&q, rc);
}
