/*
 * cmd_export.c — `helmrec export`: re-encode release history for another
 * cluster or another Helm storage driver (Secret, ConfigMap, SQL, memory),
 * optionally moving releases to other namespaces or names and trimming
 * history as Helm would.  The library (src/export/) does the work; this
 * file parses flags, prints the dry-run summary (names from the records
 * with terminal controls made visible) and writes the output.
 */
#include "cmd/common.h"
#include "export/export.h"
#include "util/array.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const hr_command_help help = {
	"export",
	"export [RELEASE...] [-n NS | -A] --driver secret|configmap|sql|memory [flags]",
	"Re-encode release history for another cluster or storage driver",
	"Writes the selected releases' revisions as Helm would store them with the\n"
	"chosen driver: Secret or ConfigMap objects (YAML stream or JSON List, for\n"
	"`kubectl create -f`), SQL statements for Helm's PostgreSQL tables (schema and\n"
	"migration bookkeeping included; load with `psql -v ON_ERROR_STOP=1 -f`), or the\n"
	"JSON array HELM_MEMORY_DRIVER_DATA reads.\n\n"
	"A revision whose release keeps its namespace and name is written with its\n"
	"original payload bytes.  --namespace-map and --rename edit the release JSON\n"
	"(namespace, name), object names, namespaces and labels together and re-encode\n"
	"it as Helm does.  Manifests are not rewritten unless --rewrite-manifest-namespaces\n"
	"(then only metadata.namespace equal to the old namespace); without it a warning\n"
	"names the revisions whose manifest puts objects in the old namespace explicitly.\n\n"
	"Without --out the result goes to stdout.  --out FILE is written atomically;\n"
	"--out DIR (an existing directory) gets one file per release, NS.NAME.EXT.\n"
	"A summary goes to stderr; --dry-run prints only the summary."
};

/* Split a comma-separated list; empty items are skipped (",a,,b," is a, b). */
static int split_list(const char *s, char ***out, size_t *n)
{
	char **arr = NULL;
	size_t cnt = 0, cap = 0;
	const char *p = s ? s : "";
	int rc = 0;

	while (*p) {
		size_t len = strcspn(p, ",");

		if (len) {
			if ((rc = HR_ARRAY_GROW(arr, cnt + 1, cap)) < 0)
				goto out;
			if (!(arr[cnt] = strndup(p, len))) {
				rc = HR_ENOMEM;
				goto out;
			}
			cnt++;
		}
		p += len;
		if (*p == ',')
			p++;
	}
out:
	if (rc < 0) {
		for (size_t i = 0; i < cnt; i++)
			free(arr[i]);
		free(arr);
		arr = NULL;
		cnt = 0;
	}
	*out = arr;
	*n = cnt;
	return rc;
}

static const char *driver_ext(hr_driver d, hr_export_format f)
{
	if (d == HR_DRIVER_SQL)
		return "sql";
	if (d == HR_DRIVER_MEMORY)
		return "json";
	return f == HR_EXPORT_JSON ? "json" : "yaml";
}

static void print_summary(const hr_export_set *set, const char *driver, const char *dest, int dry)
{
	size_t i = 0;

	hr_cmd_note("export: %zu release(s), %zu revision(s) as %s to %s%s\n", set->releases, set->n, driver,
		    dest, dry ? " (dry run: nothing written)" : "");
	while (i < set->n) {
		const hr_export_item *a = &set->items[i];
		size_t j = i, re = 0;

		while (j < set->n && !strcmp(set->items[j].namespace, a->namespace) &&
		       !strcmp(set->items[j].name, a->name)) {
			re += set->items[j].changed;
			j++;
		}
		hr_cmd_note("  %s/%s", a->src_namespace, a->src_name);
		if (strcmp(a->src_namespace, a->namespace) || strcmp(a->src_name, a->name))
			hr_cmd_note(" -> %s/%s", a->namespace, a->name);
		hr_cmd_note(": %zu revision(s) (v%lld..v%lld), %s\n", j - i, (long long)a->version,
			    (long long)set->items[j - 1].version,
			    re == j - i ? "re-encoded" : re ? "partly re-encoded" : "original payloads");
		for (size_t k = i; k < j; k++) {
			const hr_export_item *it = &set->items[k];

			if (it->warning)
				hr_cmd_note("warning: %s\n", it->warning);
			if (it->hardcoded_ns)
				hr_cmd_note("warning: %s/%s revision %lld: the manifest puts %zu object(s) in namespace"
					    " \"%s\" explicitly (not rewritten: --rewrite-manifest-namespaces)\n",
					    a->src_namespace, a->src_name, (long long)it->version, it->hardcoded_ns,
					    a->src_namespace);
			if (it->ns_rewritten)
				hr_cmd_note("  revision %lld: metadata.namespace of %zu manifest object(s) rewritten"
					    " to \"%s\"\n", (long long)it->version, it->ns_rewritten, a->namespace);
		}
		i = j;
	}
	if (set->pruned || set->filtered)
		hr_cmd_note("  dropped: %zu revision(s) by --history-max, %zu by --status\n", set->pruned,
			    set->filtered);
}

/* --out DIR: one file per release, all written before any is renamed over... each atomically. */
static int write_dir(const char *dir, const hr_export_set *set, const hr_export_opts *o)
{
	hr_error err = HR_ERROR_INIT;
	size_t i = 0;

	while (i < set->n) {
		const hr_export_item *a = &set->items[i];
		hr_buf path = HR_BUF_INIT;
		size_t j = i;
		int rc;

		while (j < set->n && !strcmp(set->items[j].namespace, a->namespace) &&
		       !strcmp(set->items[j].name, a->name))
			j++;
		rc = 0;
		if (hr_buf_printf(&path, "%s/%s.%s.%s", dir, a->namespace, a->name, driver_ext(o->driver, o->format)))
			rc = hr_error_set(&err, HR_ENOMEM, "out of memory");
		if (!rc)
			rc = hr_export_write_file(path.ptr, set, i, j, o, &err);
		hr_buf_free(&path);
		if (rc)
			return hr_cmd_error(HR_EXIT_FAIL, "%s", err.msg);
		i = j;
	}
	return 0;
}

int cmd_export(int argc, char **argv, hr_ctx *ctx)
{
	const char *ns = NULL, *driver = NULL, *fmt = "yaml", *out = NULL, *status = NULL;
	int all = 0, dry = 0, include_deleted = 0, rewrite_ns = 0, force = 0, normalize = 0;
	long history_max = 0;
	hr_strlist nsmaps = { NULL, 0, 0 }, renames = { NULL, 0, 0 };
	hr_option opts[] = {
		HR_OPT_STR_('n', "namespace", &ns, "NS", "export releases of namespace NS"),
		HR_OPT_BOOL_('A', "all-namespaces", &all, "export releases of every namespace"),
		HR_OPT_ENUM_(0, "driver", &driver, "DRIVER", "secret|configmap|sql|memory", "secret, configmap, sql or memory (required)"),
		HR_OPT_LIST_(0, "namespace-map", &nsmaps, "OLD=NEW,...", "move releases of namespace OLD to NEW (repeatable)"),
		HR_OPT_LIST_(0, "rename", &renames, "OLD=NEW", "rename release OLD to NEW (repeatable)"),
		HR_OPT_INT_(0, "history-max", &history_max, "N", "keep the newest N revisions per release, as helm prunes (0 = all)"),
		HR_OPT_STR_(0, "status", &status, "LIST", "keep only revisions with these statuses (comma-separated)"),
		HR_OPT_BOOL_(0, "include-deleted", &include_deleted, "also export revisions seen only as deleted/historical"),
		HR_OPT_BOOL_(0, "rewrite-manifest-namespaces", &rewrite_ns,
			     "in moved releases, rewrite metadata.namespace OLD to NEW in manifests and hooks"),
		HR_OPT_BOOL_(0, "normalize", &normalize,
			     "align bodies whose name/namespace disagree with their object (else kept as found)"),
		HR_OPT_ENUM_('o', "output", &fmt, "FORMAT", "yaml|json", "yaml (default) or json, for the secret and configmap drivers"),
		HR_OPT_STR_(0, "out", &out, "FILE|DIR", "write to FILE (atomically) or one file per release in DIR"),
		HR_OPT_BOOL_(0, "dry-run", &dry, "print the summary only"),
		HR_OPT_BOOL_(0, "force", &force, "replace the --out FILE if it exists"),
		HR_OPT_END_,
	};
	hr_export_map nsmap = HR_EXPORT_MAP_INIT, rename = HR_EXPORT_MAP_INIT;
	hr_export_opts o;
	hr_export_sel sel = { 0 };
	hr_export_set set = HR_EXPORT_SET_INIT;
	hr_error err = HR_ERROR_INIT;
	hr_index *idx = NULL;
	hr_strlist pos = { NULL, 0, 0 };
	char **statuses = NULL, **owned_ns = NULL;
	const char **nss = NULL;
	size_t nstatuses = 0;
	struct stat sb;
	int rc;

	memset(&o, 0, sizeof(o));
	if ((rc = hr_cmd_start(argc, argv, &help, opts, ctx, &pos, 0, -1, NULL))) {
		rc = rc < 0 ? 0 : rc;
		goto done;
	}
	rc = HR_EXIT_USAGE;
	if (!driver) {
		hr_cmd_error(rc, "--driver is required: secret, configmap, sql or memory");
		goto done;
	}
	o.driver = hr_driver_parse(driver);
	if (o.driver != HR_DRIVER_SECRET && o.driver != HR_DRIVER_CONFIGMAP && o.driver != HR_DRIVER_SQL &&
	    o.driver != HR_DRIVER_MEMORY) {
		hr_cmd_error(rc, "unknown driver \"%s\": use secret, configmap, sql or memory", driver);
		goto done;
	}
	if (!strcmp(fmt, "json"))
		o.format = HR_EXPORT_JSON;
	if (ns && all) {
		hr_cmd_error(rc, "-n and -A cannot be used together");
		goto done;
	}
	if (!pos.n && !ns && !all) {
		hr_cmd_error(rc, "name RELEASE..., or use -n NAMESPACE or -A");
		goto done;
	}
	if (history_max < 0) {
		hr_cmd_error(rc, "--history-max must be 0 or more");
		goto done;
	}
	for (int i = 0; i < nsmaps.n; i++)
		if (hr_export_parse_map(&nsmap, nsmaps.items[i], HR_EXPORT_MAP_NAMESPACE, &err)) {
			hr_cmd_error(rc, "--namespace-map: %s", err.msg);
			goto done;
		}
	for (int i = 0; i < renames.n; i++)
		if (hr_export_parse_map(&rename, renames.items[i], HR_EXPORT_MAP_RELEASE, &err)) {
			hr_cmd_error(rc, "--rename: %s", err.msg);
			goto done;
		}
	if (status && (split_list(status, &statuses, &nstatuses) || !nstatuses)) {
		hr_cmd_error(rc, "--status needs a comma-separated list of statuses");
		goto done;
	}
	o.ns_map = &nsmap;
	o.rename = &rename;
	o.history_max = history_max;
	o.statuses = (const char *const *)statuses;
	o.nstatuses = nstatuses;
	o.include_deleted = include_deleted || ctx->include_deleted;
	o.rewrite_manifest_ns = rewrite_ns;
	o.normalize = normalize;

	if ((rc = hr_cmd_open_index(ctx, &idx)))
		goto done;
	sel.ns = ns;
	sel.names = pos.items;
	sel.n = (size_t)pos.n;
	if (pos.n && !ns && !all) {
		nss = calloc((size_t)pos.n, sizeof(*nss));
		owned_ns = calloc((size_t)pos.n, sizeof(*owned_ns));
		if (!nss || !owned_ns) {
			rc = hr_cmd_error(HR_EXIT_FAIL, "out of memory");
			goto done;
		}
		for (int i = 0; i < pos.n; i++)
			if ((rc = hr_cmd_resolve_ns(idx, pos.items[i], NULL, &nss[i], &owned_ns[i])))
				goto done;
		sel.nss = nss;
	}
	if (hr_export_collect(&set, idx, &sel, &o, &err)) {
		rc = err.code == HR_ENOTFOUND ? hr_cmd_error(HR_EXIT_NOTFOUND, "%s", err.msg) : hr_cmd_fail(&err);
		goto done;
	}
	if (!set.n) {
		rc = hr_cmd_error(HR_EXIT_NOTFOUND, "nothing to export: no revision matches");
		goto done;
	}
	/* As chart: an existing file is replaced only with --force (a refusal is a failure, 1). */
	if (out && !dry && !force && !lstat(out, &sb) && !S_ISDIR(sb.st_mode)) {
		rc = hr_cmd_error(HR_EXIT_FAIL, "%s exists (use --force to replace it)", out);
		goto done;
	}
	/* The summary of an --out write comes once the files are in place: a
	 * failed write is never announced as written. */
	if (!ctx->quiet && (dry || !out))
		print_summary(&set, driver, out ? out : "stdout", dry);
	rc = 0;
	if (dry)
		goto done;
	if (out && !stat(out, &sb) && S_ISDIR(sb.st_mode)) {
		rc = write_dir(out, &set, &o);
	} else {
		/* Streamed: one record in memory at a time. */
		fflush(stdout);
		if (out ? hr_export_write_file(out, &set, 0, set.n, &o, &err)
			: hr_export_write_fd(STDOUT_FILENO, &set, 0, set.n, &o, &err))
			rc = hr_cmd_error(HR_EXIT_FAIL, "%s", err.msg);
	}
	if (!rc && out && !ctx->quiet)
		print_summary(&set, driver, out, 0);
done:
	hr_export_set_free(&set);
	hr_export_map_free(&nsmap);
	hr_export_map_free(&rename);
	for (size_t i = 0; i < nstatuses; i++)
		free(statuses[i]);
	free(statuses);
	for (int i = 0; owned_ns && i < pos.n; i++)
		free(owned_ns[i]);
	free(owned_ns);
	free(nss);
	if (idx)
		hr_index_close(idx);
	hr_strlist_free(&pos);
	hr_strlist_free(&nsmaps);
	hr_strlist_free(&renames);
	return rc;
}
