/*
 * cmd_history.c — `helmrec history RELEASE`: helm history, byte for byte.
 */
#include "cmd/common.h"

#include <stdio.h>
#include <stdlib.h>

static const hr_command_help help = {
	"history", "history RELEASE [-n NS] [--max N] [-o table|json|yaml] [--include-deleted]",
	"Print the revision history of a release, as helm history does",
	"Revisions are those helm would see at the head of the indexed inputs;\n"
	"--include-deleted adds revisions recovered from datastore history\n"
	"(pruned, uninstalled or overwritten)."
};

int cmd_history(int argc, char **argv, hr_ctx *ctx)
{
	const char *ns = NULL, *fmt = "table";
	long max = 256;
	hr_option opts[] = {
		HR_OPT_STR_('n', "namespace", &ns, "NS", "namespace of the release (default: the only one holding it, else default)"),
		HR_OPT_INT_(0, "max", &max, "N", "maximum number of revisions to include (default 256)"),
		HR_OPT_ENUM_('o', "output", &fmt, "FORMAT", "table|json|yaml", "table (default), json or yaml"),
		HR_OPT_BOOL_(0, "include-deleted", &ctx->include_deleted, "also show revisions recovered from datastore history"),
		HR_OPT_END_,
	};
	hr_error err = HR_ERROR_INIT;
	hr_index *idx = NULL;
	hr_rev_summary *rows = NULL;
	hr_buf out = HR_BUF_INIT;
	char *owned = NULL;
	hr_strlist pos;
	size_t n = 0;
	int rc;

	rc = hr_opt_parse(argc, argv, &help, opts, hr_global_options(ctx), &pos);
	if (rc)
		return rc > 0 ? 0 : HR_EXIT_USAGE;
	if ((rc = hr_ctx_finish(ctx)))
		goto out;
	if (pos.n != 1) {
		rc = hr_cmd_error(HR_EXIT_USAGE, "\"helmrec history\" requires 1 argument (RELEASE)");
		goto out;
	}
	if ((rc = hr_cmd_open_index(ctx, &idx)) || (rc = hr_cmd_resolve_ns(idx, pos.items[0], ns, &ns, &owned)))
		goto out;
	if (hr_index_history(idx, ns, pos.items[0], (ctx->include_deleted ? HR_Q_INCLUDE_DELETED : 0) | HR_Q_PER_OBJECT, &rows, &n, &err)) {
		rc = hr_cmd_error(HR_EXIT_FAIL, "%s", err.msg);
		goto out;
	}
	if (!n) {
		rc = hr_cmd_error(HR_EXIT_NOTFOUND, "release: not found");
		goto out;
	}
	if (hr_render_history(&out, rows, n, (int)max, ctx->helm_major, fmt, &err)) {
		rc = hr_cmd_error(err.code == HR_EINVAL ? HR_EXIT_USAGE : HR_EXIT_FAIL, "%s", err.msg);
		goto out;
	}
	rc = hr_cmd_write(out.ptr, out.len);
out:
	hr_rev_summaries_free(rows, n);
	hr_buf_free(&out);
	free(owned);
	hr_index_close(idx);
	hr_strlist_free(&pos);
	return rc;
}
