/*
 * cmd_repair.c — `helmrec repair RELEASE (--unlock | --map-apis |
 * --mark-deployed REV)`: the records that un-stick a release or map removed
 * Kubernetes APIs, for the user to review and apply (repair/repair.h,
 * docs/repair.md).  Parses, calls the planner, prints: records on stdout
 * or --out, the plan on stderr.
 */
#include "cmd/common.h"
#include "model/kubeapi.h"
#include "repair/repair.h"
#include "util/fileio.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const hr_command_help help = {
	"repair",
	"repair RELEASE [-n NS] (--unlock | --map-apis [--kube-version X.Y] | --mark-deployed REV) "
	"[--driver secret|configmap|sql] [-o yaml|json] [--out FILE [--force]] [--dry-run]",
	"Write the records that un-stick a release or map removed Kubernetes APIs, offline",
	"--unlock          the newest revision is pending-* or uninstalling: re-write\n"
	"                  it as failed (label and body), so helm upgrade/rollback run.\n"
	"--map-apis        copy the newest deployed revision as a new revision with\n"
	"                  removed/deprecated apiVersions (for --kube-version; default:\n"
	"                  every removed API) rewritten in its manifest and hooks, as\n"
	"                  helm-mapkubeapis does; the deployed revision becomes superseded.\n"
	"--mark-deployed   mark revision REV deployed, other deployed ones superseded.\n"
	"Only changed or added records are written (kubectl apply -f, or SQL for\n"
	"--driver sql), each body in the JSON shape of the helm that wrote it; the plan\n"
	"goes to stderr.  Exit 1 with the reason when the release does not need the\n"
	"repair.  Inputs are never written; see docs/repair.md."
};

int cmd_repair(int argc, char **argv, hr_ctx *ctx)
{
	const char *ns = NULL, *fmt = "yaml", *outfile = NULL, *drv_s = NULL, *kube = NULL, *now = NULL;
	int unlock = 0, map_apis = 0, force = 0, dry_run = 0;
	long mark = 0;
	hr_option opts[] = {
		HR_OPT_STR_(0, "driver", &drv_s, "secret|configmap|sql", "records to write (default: the release's driver, else secret)"),
		HR_OPT_BOOL_(0, "dry-run", &dry_run, "print the plan only"),
		HR_OPT_BOOL_(0, "force", &force, "overwrite --out; map or mark even when the newest revision failed or is pending"),
		HR_OPT_BOOL_(0, "include-deleted", &ctx->include_deleted, "also use revisions recovered from datastore history"),
		HR_OPT_STR_(0, "kube-version", &kube, "X.Y", "--map-apis: target Kubernetes version (default: every removed API)"),
		HR_OPT_BOOL_(0, "map-apis", &map_apis, "map removed/deprecated apiVersions into a new revision"),
		HR_OPT_INT_(0, "mark-deployed", &mark, "REV", "mark revision REV deployed"),
		HR_OPT_STR_('n', "namespace", &ns, "NS", "namespace of the release"),
		HR_OPT_STR_(0, "now", &now, "TIME", "RFC 3339 time to record (default: now)"),
		HR_OPT_ENUM_('o', "output", &fmt, "FORMAT", "yaml|json", "yaml (a kubectl stream) or json (a List)"),
		HR_OPT_STR_(0, "out", &outfile, "FILE", "write the records to FILE (atomically, mode 0600)"),
		HR_OPT_BOOL_(0, "unlock", &unlock, "mark a stuck pending-*/uninstalling revision failed"),
		HR_OPT_END_,
	};
	hr_error err = HR_ERROR_INIT;
	hr_index *idx = NULL;
	hr_repair_plan plan = HR_REPAIR_PLAN_INIT;
	hr_repair_opts ro = { 0 };
	hr_driver drv = HR_DRIVER_SECRET;
	hr_buf out = HR_BUF_INIT, text = HR_BUF_INIT;
	hr_revision *hist = NULL;
	char *owned = NULL;
	size_t n = 0;
	hr_strlist pos;
	struct stat sb;
	int rc, r;

	rc = hr_opt_parse(argc, argv, &help, opts, hr_global_options(ctx), &pos);
	if (rc)
		return rc > 0 ? 0 : HR_EXIT_USAGE;
	if ((rc = hr_ctx_finish(ctx)))
		goto out;
	if (pos.n != 1) {
		rc = hr_cmd_error(HR_EXIT_USAGE, "\"helmrec repair\" requires 1 argument (RELEASE)");
		goto out;
	}
	if (unlock + map_apis + (mark != 0) != 1) {
		rc = hr_cmd_error(HR_EXIT_USAGE, "choose exactly one of --unlock, --map-apis, --mark-deployed REV");
		goto out;
	}
	if (mark < 0) {
		rc = hr_cmd_error(HR_EXIT_USAGE, "invalid release revision \"%ld\"", mark);
		goto out;
	}
	if (kube && !map_apis) {
		rc = hr_cmd_error(HR_EXIT_USAGE, "--kube-version goes with --map-apis");
		goto out;
	}
	if (kube && hr_kube_version_parse(kube, &ro.kube_major, &ro.kube_minor)) {
		rc = hr_cmd_error(HR_EXIT_USAGE, "--kube-version: \"%s\" is not a Kubernetes version (X.Y)", kube);
		goto out;
	}
	if (strcmp(fmt, "yaml") && strcmp(fmt, "json")) {
		rc = hr_cmd_error(HR_EXIT_USAGE, "invalid format type \"%s\" (use yaml or json)", fmt);
		goto out;
	}
	if (drv_s && hr_driver_parse(drv_s) != HR_DRIVER_SECRET && hr_driver_parse(drv_s) != HR_DRIVER_CONFIGMAP &&
	    hr_driver_parse(drv_s) != HR_DRIVER_SQL) {
		rc = hr_cmd_error(HR_EXIT_USAGE, "--driver must be secret, configmap or sql, not \"%s\"", drv_s);
		goto out;
	}
	if (now) {
		if ((rc = hr_cmd_parse_now(now, &ro.now_unix)))
			goto out;
		ro.now = now;
	}
	if (outfile && !force && !dry_run && stat(outfile, &sb) == 0) {
		rc = hr_cmd_error(HR_EXIT_FAIL, "%s exists (use --force to replace it)", outfile);
		goto out;
	}
	ro.kind = unlock ? HR_REPAIR_UNLOCK : map_apis ? HR_REPAIR_MAP_APIS : HR_REPAIR_MARK_DEPLOYED;
	ro.revision = mark;
	ro.force = force;
	if ((rc = hr_cmd_open_index(ctx, &idx)) || (rc = hr_cmd_resolve_ns(idx, pos.items[0], ns, &ns, &owned)))
		goto out;
	if ((r = hr_index_load_history(idx, ns, pos.items[0], ctx->include_deleted ? HR_Q_INCLUDE_DELETED : 0, &hist,
					&n, &err)) < 0) {
		rc = hr_cmd_error(r == HR_ENOTFOUND ? HR_EXIT_NOTFOUND : HR_EXIT_FAIL, "%s", err.msg);
		goto out;
	}
	if (drv_s)
		drv = hr_driver_parse(drv_s);
	else if (n && hist[n - 1].sum.driver)
		drv = hr_driver_parse(hist[n - 1].sum.driver) == HR_DRIVER_CONFIGMAP ? HR_DRIVER_CONFIGMAP :
		      hr_driver_parse(hist[n - 1].sum.driver) == HR_DRIVER_SQL ? HR_DRIVER_SQL : HR_DRIVER_SECRET;
	if ((r = hr_repair_build(&plan, hist, n, &ro, &err)) < 0) {
		rc = hr_cmd_error(r == HR_ENOTFOUND ? HR_EXIT_NOTFOUND : HR_EXIT_FAIL, "%s", err.msg);
		goto out;
	}
	if ((r = hr_repair_render_plan(&text, &plan, drv, &err)) < 0) {
		rc = hr_cmd_error(HR_EXIT_FAIL, "%s", err.msg);
		goto out;
	}
	hr_cmd_note("%s", text.ptr);
	if (dry_run)
		goto out;
	if (drv == HR_DRIVER_SQL)
		r = hr_repair_render_sql(&out, &plan, &err);
	else
		r = hr_repair_render_records(&out, &plan, drv, !strcmp(fmt, "json"), &err);
	if (r < 0) {
		rc = hr_cmd_error(HR_EXIT_FAIL, "%s", err.msg);
		goto out;
	}
	if (outfile) {
		if (hr_file_write_atomic(outfile, out.ptr, out.len, &err)) {
			rc = hr_cmd_error(HR_EXIT_FAIL, "%s", err.msg);
			goto out;
		}
		hr_cmd_note("records written to %s\n", outfile);
	} else {
		rc = hr_cmd_write(out.ptr, out.len);
	}
out:
	hr_repair_plan_release(&plan);
	hr_revisions_free(hist, n);
	hr_buf_free(&out);
	hr_buf_free(&text);
	free(owned);
	hr_index_close(idx);
	hr_strlist_free(&pos);
	return rc;
}
