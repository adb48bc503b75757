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
	size_t n = 0, recovered = 0;
	int rc;

	if ((rc = hr_cmd_start(argc, argv, &help, opts, ctx, &pos, 1, 1, "RELEASE")))
		return rc < 0 ? 0 : rc;
	if ((rc = hr_cmd_open_release(ctx, pos.items[0], &idx, &ns, &owned)))
		goto out;
	if (hr_index_history(idx, ns, pos.items[0], (ctx->include_deleted ? HR_Q_INCLUDE_DELETED : 0) | HR_Q_PER_OBJECT, &rows, &n, &err)) {
		rc = hr_cmd_fail(&err);
		goto out;
	}
	if (!n) {
		rc = hr_cmd_error(HR_EXIT_NOTFOUND, "release: not found");
		goto out;
	}
	if (hr_render_history(&out, rows, n, (int)max, ctx->helm_major, fmt, &err)) {
		rc = hr_cmd_fail(&err);
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		recovered += !rows[i].is_live;
	if (recovered && !ctx->quiet)
		fprintf(stderr, "note: %zu revision%s shown %s recovered from datastore history, not live "
			"(see 'helmrec sightings %s -n %s')\n", recovered, recovered == 1 ? "" : "s",
			recovered == 1 ? "was" : "were", pos.items[0], ns);
	rc = hr_cmd_write(out.ptr, out.len);
out:
	hr_rev_summaries_free(rows, n);
	hr_buf_free(&out);
	free(owned);
	hr_index_close(idx);
	hr_strlist_free(&pos);
	return rc;
}
