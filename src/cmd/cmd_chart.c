/*
 * cmd_chart.c — `helmrec chart RELEASE --out DIR [--tgz]`: write the chart
 * stored in a revision back as a chart directory (and a .tgz next to it),
 * and say on stderr what the record could not give back.
 */
#include "cmd/common.h"
#include "chart/chart.h"

#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const hr_command_help help = {
	"chart", "chart RELEASE --out DIR [-n NS] [--revision N] [--tgz] [--force]",
	"Recover the chart stored in a release revision as a chart directory",
	"Writes Chart.yaml, values.yaml, values.schema.json, Chart.lock, templates/ and the\n"
	"chart's other files (crds/, README, .helmignore...) as they were stored, into DIR\n"
	"(atomically: built next to DIR, then renamed).  With --tgz, also writes\n"
	"NAME-VERSION.tgz next to DIR, laid out as `helm package` lays it out.\n"
	"Helm does not store sub-charts (charts/*.tgz) nor the comments of values.yaml;\n"
	"what is missing is listed on stderr.\n"
	"Without --revision, the highest revision (whatever its status) is used."
};

/* "DIR/../NAME-VERSION.tgz": the archive goes next to the chart directory. */
static int tgz_path(hr_buf *out, const char *dir, const hr_chart *c, hr_error *err)
{
	char *d = strdup(dir);
	size_t n;
	int r;

	if (!d)
		return hr_error_set(err, HR_ENOMEM, "out of memory");
	for (n = strlen(d); n > 1 && d[n - 1] == '/'; n--)
		d[n - 1] = 0;
	r = hr_buf_printf(out, "%s/", dirname(d)) ? hr_error_set(err, HR_ENOMEM, "out of memory")
						   : hr_chart_tgz_name(out, c, err);
	free(d);
	return r;
}

/* Refuse early, before the directory is written, when the archive would not be. */
static int tgz_exists(const char *path, hr_error *err)
{
	struct stat st;

	if (lstat(path, &st))
		return 0;
	return hr_error_set(err, HR_EINVAL, "%s exists (use --force to replace it)", path);
}

int cmd_chart(int argc, char **argv, hr_ctx *ctx)
{
	hr_cmd_query q = HR_CMD_QUERY_INIT(NULL);
	const char *dir = NULL, *name;
	int tgz = 0, force = 0;
	hr_option opts[] = {
		HR_OPT_BOOL_(0, "force", &force, "replace DIR (and the .tgz) if they exist"),
		HR_OPT_BOOL_(0, "include-deleted", &ctx->include_deleted, "also consider revisions recovered from datastore history"),
		HR_CMD_OPT_NAMESPACE_(&q, "namespace of the release"),
		HR_OPT_STR_(0, "out", &dir, "DIR", "the chart directory to write (required)"),
		HR_CMD_OPT_REVISION_(&q, "recover the chart of the named revision"),
		HR_OPT_BOOL_(0, "tgz", &tgz, "also write NAME-VERSION.tgz next to DIR"),
		HR_OPT_END_,
	};
	struct json_object *rel = NULL, *labels = NULL;
	hr_chart *chart = NULL;
	hr_buf what = HR_BUF_INIT, arch = HR_BUF_INIT;
	int rc;

	if ((rc = hr_cmd_query_start(&q, argc, argv, &help, opts, ctx, 1, 1, "RELEASE")))
		return rc < 0 ? 0 : rc;
	name = q.pos.items[0];
	if (!dir || !*dir) {
		rc = hr_cmd_error(HR_EXIT_USAGE, "--out DIR is required");
		goto out;
	}
	if (q.revision < 0) {
		rc = hr_cmd_error(HR_EXIT_USAGE, "--revision must be a positive number");
		goto out;
	}
	if ((rc = hr_cmd_query_open(&q, ctx, name)) ||
	    (rc = hr_cmd_load_revision(ctx, q.idx, q.ns, name, q.revision, &rel, &labels)))
		goto out;
	if (hr_buf_printf(&what, "%s/%s revision %d", q.ns, name,
			  json_object_get_int(json_object_object_get(rel, "version"))) ||
	    hr_chart_from_release(&chart, rel, what.ptr, &q.err) ||
	    (tgz && tgz_path(&arch, dir, chart, &q.err)) ||
	    (tgz && !force && tgz_exists(arch.ptr, &q.err)) ||
	    hr_chart_write_dir(chart, dir, force, &q.err) ||
	    (tgz && hr_chart_write_tgz(chart, arch.ptr, force, &q.err))) {
		/* a refusal to overwrite is a failure (1), not a usage error */
		rc = hr_cmd_error(HR_EXIT_FAIL, "%s", q.err.code ? q.err.msg : "out of memory");
		goto out;
	}
	for (size_t i = 0; !ctx->quiet && i < chart->nnotes; i++)
		hr_cmd_note("Note: %s\n", chart->notes[i]);
	if (chart->nmissing)
		fprintf(stderr, "WARNING: the recovered chart is incomplete: %zu sub-chart%s missing (see above)\n",
			chart->nmissing, chart->nmissing == 1 ? " is" : "s are");
	if (hr_buf_printf(&q.out, "Recovered chart %s-%s (%zu files) into %s\n", chart->name, chart->version,
			  chart->nfiles, dir) ||
	    (tgz && hr_buf_printf(&q.out, "Packaged it as %s\n", arch.ptr))) {
		rc = hr_cmd_error(HR_EXIT_FAIL, "out of memory");
		goto out;
	}
	rc = hr_cmd_write_safe(q.out.ptr, q.out.len);
out:
	hr_chart_free(chart);
	json_object_put(rel);
	json_object_put(labels);
	hr_buf_free(&what);
	hr_buf_free(&arch);
	return hr_cmd_query_free(&q, rc);
}
