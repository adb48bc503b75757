/*
 * cmd_rollback.c — `helmrec rollback RELEASE REVISION`: what `helm
 * rollback` would apply and store, as files or a stream for kubectl,
 * without a cluster (export/rollback.h).  The plan and the notes on stderr
 * show terminal controls from the records as visible escapes; the bundle
 * (stdout, files) is data and keeps them.
 */
#include "cmd/common.h"
#include "rollback/rollback.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const hr_command_help help = {
	"rollback",
	"rollback RELEASE [REVISION] [-n NS] [--out DIR | -o yaml|json] [--driver secret|configmap] "
	"[--records-only | --manifests-only]",
	"Build what helm rollback would apply and store, offline",
	"REVISION defaults to the revision before the last one (as helm).\n"
	"The new record (last+1, \"Rollback to N\", deployed) is copied from the\n"
	"target the way helm's rollback copies it, encoded as the helm given by\n"
	"--helm-compat (default 4) encodes it; revisions labelled deployed are\n"
	"re-marked superseded.  The plan goes to stderr.\n"
	"Without --out, stdout is one stream for `kubectl apply -f -`: the\n"
	"target's resources in install order, then the record objects.  Hooks\n"
	"(pre-/post-rollback) are only listed in the plan and written with --out\n"
	"(hooks/pre-rollback/, hooks/post-rollback/), since kubectl does not run them."
};

/*
 * Every revision of the release (hr_index_load_history) as the rollback
 * planner's borrowed view; helm's error printed on failure.  *driver is the
 * newest revision's storage driver (borrowed from *hist).
 */
static int load_history(hr_ctx *ctx, hr_index *idx, const char *ns, const char *name, hr_revision **hist,
			hr_rollback_rev **out, size_t *nout, const char **driver)
{
	hr_error err = HR_ERROR_INIT;
	size_t n = 0;
	int rc;

	*out = NULL;
	*nout = 0;
	rc = hr_index_load_history(idx, ns, name, ctx->include_deleted ? HR_Q_INCLUDE_DELETED : 0, hist, &n, &err);
	if (rc)
		return hr_cmd_error(rc == HR_ENOTFOUND ? HR_EXIT_NOTFOUND : HR_EXIT_FAIL, "%s", err.msg);
	*nout = n;   /* also counts *hist, which the caller frees */
	if (!(*out = calloc(n, sizeof(**out))))
		return hr_cmd_error(HR_EXIT_FAIL, "out of memory");
	for (size_t i = 0; i < n; i++) {
		(*out)[i].rel = (*hist)[i].rel;
		(*out)[i].labels = (*hist)[i].labels;
	}
	*driver = (*hist)[n - 1].sum.driver;
	return 0;
}

int cmd_rollback(int argc, char **argv, hr_ctx *ctx)
{
	const char *ns = NULL, *fmt = "yaml", *outdir = NULL, *drv_s = NULL, *server_side = "auto", *now = NULL;
	int records_only = 0, manifests_only = 0;
	hr_option opts[] = {
		HR_OPT_STR_(0, "driver", &drv_s, "secret|configmap", "record objects to write (default: the release's driver, else secret)"),
		HR_OPT_BOOL_(0, "include-deleted", &ctx->include_deleted, "also use revisions recovered from datastore history"),
		HR_OPT_BOOL_(0, "manifests-only", &manifests_only, "only the resources (and hooks), no records"),
		HR_OPT_STR_('n', "namespace", &ns, "NS", "namespace of the release"),
		HR_OPT_STR_(0, "now", &now, "TIME", "RFC 3339 time to record as last_deployed (default: now)"),
		HR_OPT_ENUM_('o', "output", &fmt, "FORMAT", "yaml|json", "yaml (default: a kubectl stream) or json (the whole bundle)"),
		HR_OPT_STR_(0, "out", &outdir, "DIR", "write the bundle as files under DIR"),
		HR_OPT_BOOL_(0, "records-only", &records_only, "only the release records"),
		HR_OPT_STR_(0, "server-side", &server_side, "auto|true|false", "Helm 4 apply method of the new record (auto: the target's)"),
		HR_OPT_END_,
	};
	hr_error err = HR_ERROR_INIT;
	hr_index *idx = NULL;
	hr_rollback_rev *revs = NULL;
	hr_rollback_bundle b = HR_ROLLBACK_BUNDLE_INIT;
	hr_rollback_opts ro = { 0 };
	hr_driver drv = HR_DRIVER_SECRET;
	hr_buf out = HR_BUF_INIT, plan = HR_BUF_INIT;
	char *owned = NULL, *end = NULL;
	const char *driver = NULL;
	hr_revision *hist = NULL;
	long long target = 0;
	size_t n = 0, n_dir;
	hr_strlist pos;
	int rc, r;

	if ((rc = hr_cmd_start(argc, argv, &help, opts, ctx, &pos, 1, 2, "RELEASE [REVISION]")))
		return rc < 0 ? 0 : rc;
	if (pos.n == 2) {
		target = strtoll(pos.items[1], &end, 10);
		if (!*pos.items[1] || *end || target < 0) {
			rc = hr_cmd_error(HR_EXIT_USAGE, "invalid release revision \"%s\"", pos.items[1]);
			goto out;
		}
	}
	if (records_only && manifests_only) {
		rc = hr_cmd_error(HR_EXIT_USAGE, "--records-only and --manifests-only exclude each other");
		goto out;
	}
	if (drv_s && hr_driver_parse(drv_s) != HR_DRIVER_SECRET && hr_driver_parse(drv_s) != HR_DRIVER_CONFIGMAP) {
		rc = hr_cmd_error(HR_EXIT_USAGE, "--driver must be secret or configmap, not \"%s\"", drv_s);
		goto out;
	}
	ro.writer_major = ctx->helm_major;
	ro.server_side = server_side;
	if (now) {
		if ((rc = hr_cmd_parse_now(now, &ro.now_unix)))
			goto out;
		ro.now = now;
	}
	if ((rc = hr_cmd_open_release(ctx, pos.items[0], &idx, &ns, &owned)))
		goto out;
	if ((rc = load_history(ctx, idx, ns, pos.items[0], &hist, &revs, &n, &driver)))
		goto out;
	if (drv_s)
		drv = hr_driver_parse(drv_s);
	else if (driver && hr_driver_parse(driver) == HR_DRIVER_CONFIGMAP)
		drv = HR_DRIVER_CONFIGMAP;
	if ((r = hr_rollback_plan(&b, revs, n, target, &ro, &err))) {
		rc = hr_cmd_error(r == HR_ENOTFOUND ? HR_EXIT_NOTFOUND : r == HR_EINVAL ? HR_EXIT_USAGE : HR_EXIT_FAIL,
				  "%s", err.msg);
		goto out;
	}
	if (hr_rollback_render_plan(&plan, &b, drv, &err)) {
		rc = hr_cmd_error(HR_EXIT_FAIL, "%s", err.msg);
		goto out;
	}
	if (outdir) {
		if (hr_rollback_write_dir(outdir, &b, drv, records_only ? 1 : manifests_only ? 2 : 0, &err)) {
			rc = hr_cmd_error(HR_EXIT_FAIL, "%s", err.msg);
			goto out;
		}
		if (!ctx->quiet)
			hr_cmd_note("%s", plan.ptr);
		/* where it goes, spelled out: a path without "//" and the release namespace */
		for (n_dir = strlen(outdir); n_dir > 1 && outdir[n_dir - 1] == '/'; n_dir--)
			;
		hr_cmd_note("Bundle written to %.*s (apply: kubectl apply -n %s -f %.*s/manifest.yaml, then "
			"kubectl apply -n %s -f %.*s/records.yaml)\n", (int)n_dir, outdir, ns, (int)n_dir, outdir, ns,
			(int)n_dir, outdir);
		goto out;
	}
	if (!strcmp(fmt, "json"))
		r = hr_rollback_render_json(&out, &b, drv, &err);
	else {
		r = records_only ? 0 : hr_rollback_render_manifest(&out, &b, &err);
		if (!r && !manifests_only)
			r = hr_rollback_render_records(&out, &b, drv, 0, &err);
	}
	if (r) {
		rc = hr_cmd_error(HR_EXIT_FAIL, "%s", err.msg);
		goto out;
	}
	if (!ctx->quiet)
		hr_cmd_note("%s", plan.ptr);
	rc = hr_cmd_write(out.ptr, out.len);
out:
	hr_rollback_bundle_free(&b);
	free(revs);
	hr_revisions_free(hist, n);
	hr_buf_free(&out);
	hr_buf_free(&plan);
	free(owned);
	hr_index_close(idx);
	hr_strlist_free(&pos);
	return rc;
}
