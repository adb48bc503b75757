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
	const char *ns = NULL, *fmt = "table";
	long revision = 0;
	int show_desc = 0;
	hr_option opts[] = {
		HR_OPT_STR_('n', "namespace", &ns, "NS", "namespace of the release"),
		HR_OPT_ENUM_('o', "output", &fmt, "FORMAT", "table|json|yaml", "table (default), json or yaml"),
		HR_OPT_INT_(0, "revision", &revision, "N", "show the status of the named revision"),
		HR_OPT_BOOL_(0, "show-desc", &show_desc, "show the description (helm 3; helm 4 always does)"),
		HR_OPT_BOOL_(0, "include-deleted", &ctx->include_deleted, "also consider revisions recovered from datastore history"),
		HR_OPT_END_,
	};
	hr_error err = HR_ERROR_INIT;
	struct json_object *rel = NULL, *labels = NULL;
	hr_index *idx = NULL;
	hr_buf out = HR_BUF_INIT, resources = HR_BUF_INIT;
	hr_drift_report rep = { 0 };
	char *owned = NULL;
	hr_strlist pos;
	int rc;

	if ((rc = hr_cmd_start(argc, argv, &help, opts, ctx, &pos, 1, 1, "RELEASE")))
		return rc < 0 ? 0 : rc;
	if ((rc = hr_cmd_helm3_only(ctx, argc, argv, opts, 0, "show-desc")) ||
	    (rc = hr_cmd_open_release(ctx, pos.items[0], &idx, &ns, &owned)) ||
	    (rc = hr_cmd_load_revision(ctx, idx, ns, pos.items[0], revision, &rel, &labels)))
		goto out;
	/* RESOURCES from the backup's live objects, when it holds any of this release */
	if (!revision && !strcmp(fmt, "table") && !hr_drift_run(idx, ns, pos.items[0], HR_DRIFT_KEEP_LIVE, &rep, &err))
		hr_drift_resources_text(&resources, &rep, &err);
	rc = hr_cmd_emit(hr_render_status_resources(&out, rel, show_desc, ctx->helm_major, fmt, resources.ptr,
								ctx->color_on, &err),
			 &err, &out);
out:
	json_object_put(rel);
	json_object_put(labels);
	hr_buf_free(&out);
	hr_buf_free(&resources);
	hr_drift_report_free(&rep);
	free(owned);
	hr_index_close(idx);
	hr_strlist_free(&pos);
	return rc;
}
