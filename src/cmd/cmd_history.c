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
	hr_cmd_query q = HR_CMD_QUERY_INIT("table");
	long max = 256;
	hr_option opts[] = {
		HR_CMD_OPT_NAMESPACE_(&q, "namespace of the release (default: the only one holding it, else default)"),
		HR_OPT_INT_(0, "max", &max, "N", "maximum number of revisions to include (default 256)"),
		HR_CMD_OPT_OUTPUT_(&q, "table|json|yaml", "table (default), json or yaml"),
		HR_OPT_BOOL_(0, "include-deleted", &ctx->include_deleted, "also show revisions recovered from datastore history"),
		HR_OPT_END_,
	};
	hr_rev_summary *rows = NULL;
	const char *name;
	size_t n = 0, recovered = 0;
	int rc;

	if ((rc = hr_cmd_query_release(&q, argc, argv, &help, opts, ctx)))
		return rc < 0 ? 0 : rc;
	name = q.pos.items[0];
	if (hr_index_history(q.idx, q.ns, name, (ctx->include_deleted ? HR_Q_INCLUDE_DELETED : 0) | HR_Q_PER_OBJECT, &rows, &n, &q.err)) {
		rc = hr_cmd_fail(&q.err);
		goto out;
	}
	if (!n) {
		rc = hr_cmd_error(HR_EXIT_NOTFOUND, "release: not found");
		goto out;
	}
	if (hr_render_history(&q.out, rows, n, (int)max, ctx->helm_major, q.fmt, &q.err)) {
		rc = hr_cmd_fail(&q.err);
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		recovered += !rows[i].is_live;
	if (recovered && !ctx->quiet)
		fprintf(stderr, "note: %zu revision%s shown %s recovered from datastore history, not live "
			"(see 'helmrec sightings %s -n %s')\n", recovered, recovered == 1 ? "" : "s",
			recovered == 1 ? "was" : "were", name, q.ns);
	rc = hr_cmd_write(q.out.ptr, q.out.len);
out:
	hr_rev_summaries_free(rows, n);
	return hr_cmd_query_free(&q, rc);
}
