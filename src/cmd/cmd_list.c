/*
 * cmd_list.c — `helmrec list`: helm list with helm's flags, byte for byte.
 */
#include "cmd/common.h"

#include <stdio.h>
#include <stdlib.h>

static const hr_command_help help = {
	"list", "list [-n NS | -A] [-a] [--deployed] [--failed] [--pending] [--superseded] [--uninstalled]\n"
		"          [--uninstalling] [-f REGEX] [-o table|json|yaml] [-m N] [--offset N] [-r] [-d] [-q]",
	"List releases, as helm list does",
	"As helm: without -A, only the namespace given by -n (else $HELM_NAMESPACE,\n"
	"else default).  Helm 4 shows every state by default; with --helm-compat 3,\n"
	"only deployed and failed unless -a.  On a terminal (or --color always) the\n"
	"table is coloured as helm 4 colours it: bold headers, namespace, status."
};

int cmd_list(int argc, char **argv, hr_ctx *ctx)
{
	hr_list_opts lo = HR_LIST_OPTS_INIT;
	const char *ns = NULL;
	int all_ns = 0, only_superseded;
	long max = 256, offset = 0;
	hr_option opts[] = {
		HR_OPT_BOOL_('a', "all", &lo.all, "show all releases without any filter applied (helm 3)"),
		HR_OPT_BOOL_('A', "all-namespaces", &all_ns, "list releases across all namespaces"),
		HR_OPT_BOOL_('d', "date", &lo.by_date, "sort by release date"),
		HR_OPT_BOOL_(0, "deployed", &lo.deployed, "show deployed releases"),
		HR_OPT_BOOL_(0, "failed", &lo.failed, "show failed releases"),
		HR_OPT_STR_('f', "filter", &lo.filter, "REGEX", "only releases whose name matches (POSIX extended regex)"),
		HR_OPT_INT_('m', "max", &max, "N", "maximum number of releases to fetch (default 256)"),
		HR_OPT_STR_('n', "namespace", &ns, "NS", "only releases in this namespace"),
		HR_OPT_BOOL_(0, "no-headers", &lo.no_headers, "don't print headers in table output"),
		HR_OPT_INT_(0, "offset", &offset, "N", "next release index in the list"),
		HR_OPT_ENUM_('o', "output", &lo.format, "FORMAT", "table|json|yaml", "table (default), json or yaml"),
		HR_OPT_BOOL_(0, "pending", &lo.pending, "show pending releases"),
		HR_OPT_BOOL_('q', "short", &lo.short_names, "output short (quiet) listing format"),
		HR_OPT_BOOL_('r', "reverse", &lo.reverse, "reverse the sort order"),
		HR_OPT_BOOL_(0, "superseded", &lo.superseded, "show superseded releases"),
		HR_OPT_STR_(0, "time-format", &lo.time_format, "LAYOUT", "Go time layout for UPDATED"),
		HR_OPT_BOOL_(0, "uninstalled", &lo.uninstalled, "show uninstalled releases (if kept with --keep-history)"),
		HR_OPT_BOOL_(0, "uninstalling", &lo.uninstalling, "show releases being uninstalled"),
		HR_OPT_BOOL_(0, "include-deleted", &ctx->include_deleted, "also use revisions recovered from datastore history"),
		HR_OPT_END_,
	};
	hr_error err = HR_ERROR_INIT;
	hr_index *idx = NULL;
	hr_rev_summary *rows = NULL;
	hr_buf out = HR_BUF_INIT;
	hr_strlist pos;
	size_t n = 0;
	int rc;

	if ((rc = hr_cmd_start(argc, argv, &help, opts, ctx, &pos, 0, 0, NULL)))
		return rc < 0 ? 0 : rc;
	if ((rc = hr_cmd_helm3_only(ctx, argc, argv, opts, 'a', "all")))
		goto out;
	lo.helm_major = ctx->helm_major;
	lo.color = ctx->color_on;
	ns = hr_cmd_namespace(ns);
	lo.max = (int)max;
	lo.offset = (int)offset;
	if ((rc = hr_cmd_open_index(ctx, &idx)))
		goto out;
	/*
	 * helm lists the newest revision of each release, except that
	 * --superseded alone lists every superseded revision: only then does
	 * the renderer need them all.
	 */
	only_superseded = lo.superseded && !lo.deployed && !lo.failed && !lo.pending && !lo.uninstalled &&
			  !lo.uninstalling && !lo.all;
	if (hr_index_all(idx, all_ns ? NULL : ns, (ctx->include_deleted ? HR_Q_INCLUDE_DELETED : 0) |
			 (only_superseded ? 0 : HR_Q_LATEST) | HR_Q_BODY_ID, &rows, &n, &err)) {
		rc = hr_cmd_fail(&err);
		goto out;
	}
	rc = hr_cmd_emit(hr_render_list(&out, rows, n, &lo, &err), &err, &out);
out:
	hr_rev_summaries_free(rows, n);
	hr_buf_free(&out);
	hr_index_close(idx);
	hr_strlist_free(&pos);
	return rc;
}
