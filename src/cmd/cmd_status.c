/*
 * cmd_status.c — `helmrec status RELEASE`: helm status as far as it can be
 * derived offline (no RESOURCES section: there is no cluster to ask).
 */
#include "cmd/common.h"

#include <stdio.h>
#include <stdlib.h>

static const hr_command_help help = {
	"status", "status RELEASE [-n NS] [--revision N] [--show-desc] [-o table|json|yaml]",
	"Print the status of a release, as helm status does (offline)",
	"Differences from helm: no RESOURCES section and no live resource state,\n"
	"because there is no cluster; everything else comes from the stored record."
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
	hr_buf out = HR_BUF_INIT;
	char *owned = NULL;
	hr_strlist pos;
	int rc;

	rc = hr_opt_parse(argc, argv, &help, opts, hr_global_options(ctx), &pos);
	if (rc)
		return rc > 0 ? 0 : HR_EXIT_USAGE;
	if ((rc = hr_ctx_finish(ctx)) || (rc = hr_cmd_helm3_only(ctx, argc, argv, opts, 0, "show-desc")))
		goto out;
	if (pos.n != 1) {
		rc = hr_cmd_error(HR_EXIT_USAGE, "\"helmrec status\" requires 1 argument (RELEASE)");
		goto out;
	}
	if ((rc = hr_cmd_open_index(ctx, &idx)) || (rc = hr_cmd_resolve_ns(idx, pos.items[0], ns, &ns, &owned)))
		goto out;
	if ((rc = hr_cmd_load_revision(ctx, idx, ns, pos.items[0], revision, &rel, &labels)))
		goto out;
	if (hr_render_status(&out, rel, show_desc, ctx->helm_major, fmt, &err)) {
		rc = hr_cmd_error(err.code == HR_EINVAL ? HR_EXIT_USAGE : HR_EXIT_FAIL, "%s", err.msg);
		goto out;
	}
	rc = hr_cmd_write(out.ptr, out.len);
out:
	json_object_put(rel);
	json_object_put(labels);
	hr_buf_free(&out);
	free(owned);
	hr_index_close(idx);
	hr_strlist_free(&pos);
	return rc;
}
