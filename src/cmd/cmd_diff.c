/*
 * cmd_diff.c — `helmrec diff RELEASE REV_A REV_B`: what changed between
 * two revisions (render/diff.h), from one index or from two (--db-b /
 * --from-b, to compare two backups).
 */
#include "cmd/common.h"
#include "render/diff.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const hr_command_help help = {
	"diff",
	"diff RELEASE REV_A REV_B [-n NS] [--context N] [-o text|json] [--show-secrets] [--db-b FILE | --from-b INPUT]",
	"Show what changed between two revisions (resources, hooks, values)",
	"Resources are matched as helm matches them (API group, kind, namespace,\n"
	"name) and reported added, removed or changed with a unified diff, in the\n"
	"style of helm-diff's `revision` output.  Secret data is masked unless\n"
	"--show-secrets.  REV_B is read from the second index given by --db-b or\n"
	"--from-b when present (comparing two backups), else from the same one.\n"
	"Colour on a terminal unless NO_COLOR is set (see --color)."
};

static int parse_rev(const char *s, long *out)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (!*s || *end || v <= 0)
		return hr_cmd_error(HR_EXIT_USAGE, "invalid revision \"%s\"", s);
	*out = v;
	return 0;
}

int cmd_diff(int argc, char **argv, hr_ctx *ctx)
{
	const char *ns = NULL, *fmt = "text", *db_b = NULL;
	long context = 3, ra, rb;
	int show = 0;
	hr_ctx ctx_b;
	hr_strlist from_b = { NULL, 0, 0 };
	hr_option opts[] = {
		HR_OPT_INT_(0, "context", &context, "N", "lines of context (default 3; -1: whole documents)"),
		HR_OPT_STR_(0, "db-b", &db_b, "FILE", "read REV_B from this index"),
		HR_OPT_LIST_(0, "from-b", &from_b, "INPUT", "read REV_B from these inputs (repeatable)"),
		HR_OPT_BOOL_(0, "include-deleted", &ctx->include_deleted, "also consider revisions recovered from datastore history"),
		HR_OPT_STR_('n', "namespace", &ns, "NS", "namespace of the release"),
		HR_OPT_ENUM_('o', "output", &fmt, "FORMAT", "text|json", "text (default) or json"),
		HR_OPT_BOOL_(0, "show-secrets", &show, "do not mask Secret data"),
		HR_OPT_END_,
	};
	hr_error err = HR_ERROR_INIT;
	hr_index *idx = NULL, *idx_b = NULL;
	struct json_object *a = NULL, *b = NULL, *la = NULL, *lb = NULL;
	hr_buf out = HR_BUF_INIT;
	hr_diff_opts o = { 0 };
	char *owned = NULL, *owned_b = NULL;
	const char *ns_b = NULL;
	hr_strlist pos = { NULL, 0, 0 };
	int rc;

	if ((rc = hr_cmd_start(argc, argv, &help, opts, ctx, &pos, 3, 3, "RELEASE REV_A REV_B"))) {
		rc = rc < 0 ? 0 : rc;
		goto out;
	}
	if ((rc = parse_rev(pos.items[1], &ra)) || (rc = parse_rev(pos.items[2], &rb)))
		goto out;
	if (context < -1 || context > 1000000) {
		rc = hr_cmd_error(HR_EXIT_USAGE, "--context must be -1 or a number of lines");
		goto out;
	}
	if (db_b && from_b.n) {
		rc = hr_cmd_error(HR_EXIT_USAGE, "--db-b and --from-b exclude each other");
		goto out;
	}
	if ((rc = hr_cmd_open_release(ctx, pos.items[0], &idx, &ns, &owned)))
		goto out;
	if ((rc = hr_cmd_load_revision(ctx, idx, ns, pos.items[0], ra, &a, &la)))
		goto out;
	if (db_b || from_b.n) {
		ctx_b = *ctx;
		ctx_b.db = db_b ? db_b : ctx->db;
		ctx_b.from = from_b;
		if ((rc = hr_cmd_open_index(&ctx_b, &idx_b)) ||
		    (rc = hr_cmd_resolve_ns(idx_b, pos.items[0], ns ? ns : NULL, &ns_b, &owned_b)) ||
		    (rc = hr_cmd_load_revision(&ctx_b, idx_b, ns_b, pos.items[0], rb, &b, &lb)))
			goto out;
	} else if ((rc = hr_cmd_load_revision(ctx, idx, ns, pos.items[0], rb, &b, &lb))) {
		goto out;
	}
	o.context = (int)context;
	o.as_json = !strcmp(fmt, "json");
	if (!o.as_json && ctx->color_on)
		o.flags |= HR_DIFF_COLOR;
	if (show)
		o.flags |= HR_DIFF_SHOW_SECRETS;
	if (hr_diff_releases(&out, a, b, &o, NULL, &err)) {
		rc = hr_cmd_error(HR_EXIT_FAIL, "%s", err.msg);
		goto out;
	}
	rc = hr_cmd_write(out.ptr, out.len);
out:
	json_object_put(a);
	json_object_put(b);
	json_object_put(la);
	json_object_put(lb);
	hr_buf_free(&out);
	free(owned);
	free(owned_b);
	hr_index_close(idx);
	hr_index_close(idx_b);
	hr_strlist_free(&pos);
	hr_strlist_free(&from_b);
	return rc;
}
