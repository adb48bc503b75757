/*
 * history.c — `helm history` output (table, json, yaml) from revision
 * summaries (model/revision.h).  Behaviour follows helm v4.1.4 pkg/cmd/history.go and v3.17.1
 * cmd/helm/history.go (see helm.h for the rules).
 */
#include "render/helm.h"
#include "model/release.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "render/table.h"
#include "util/gotime.h"

static int by_version_desc(const void *a, const void *b)
{
	const hr_rev_summary *x = *(const hr_rev_summary *const *)a;
	const hr_rev_summary *y = *(const hr_rev_summary *const *)b;

	return x->version < y->version ? 1 : x->version > y->version ? -1 : 0;
}

static const char *s_or_empty(const char *s)
{
	return s ? s : "";
}

/* "<name>-<version>" or MISSING, as helm's formatChartName. */
static int chart_label(hr_buf *b, const hr_rev_summary *r)
{
	if (!r->has_chart)
		return hr_buf_puts(b, "MISSING");
	return hr_buf_printf(b, "%s-%s", s_or_empty(r->chart_name), s_or_empty(r->chart_version));
}

/* One history entry as helm's releaseHistory JSON/YAML (ctx: the selected summaries). */
typedef struct history_ctx {
	const hr_rev_summary **sel;
	int helm_major;
} history_ctx;

/* r->last_deployed as a Go time; errors name the revision. */
static int parse_deployed(hr_gotime *tm, const hr_rev_summary *r, hr_error *err)
{
	int rc = hr_gotime_parse(tm, r->last_deployed, err);

	if (rc)
		hr_error_prefix(err, rc, "release %s revision %lld: last_deployed",
				s_or_empty(r->name), (long long)r->version);
	return rc;
}

static int history_row(const void *ctx, size_t i, const char **cells, hr_buf b[3], hr_error *err)
{
	const hr_rev_summary *r = ((const history_ctx *)ctx)->sel[i];
	hr_gotime tm;
	int rc;

	if ((rc = parse_deployed(&tm, r, err)))
		return rc;
	if ((rc = hr_buf_printf(&b[0], "%lld", (long long)r->version)) ||
	    (rc = hr_gotime_format(&b[1], &tm, HR_GOTIME_ANSIC)) || (rc = chart_label(&b[2], r)))
		return rc;
	cells[0] = hr_buf_cstr(&b[0]);
	cells[1] = hr_buf_cstr(&b[1]);
	cells[2] = s_or_empty(r->status);
	cells[3] = hr_buf_cstr(&b[2]);
	cells[4] = r->has_chart ? s_or_empty(r->app_version) : "MISSING";
	cells[5] = s_or_empty(r->description);
	return 0;
}

static int history_item(const void *ctx, size_t i, struct json_object **v, hr_buf *b, hr_error *err)
{
	const history_ctx *c = ctx;
	const hr_rev_summary *r = c->sel[i];
	struct json_object *o = NULL;
	hr_gotime tm;
	int rc;

	if ((rc = parse_deployed(&tm, r, err)))
		return rc;
	if (!(o = json_object_new_object()) || (rc = hr_release_add(o, "revision", json_object_new_int64(r->version))))
		rc = HR_ENOMEM;
	else if (!hr_gotime_is_zero(&tm)) {
		if (!(rc = hr_gotime_json(b, &tm, err)))
			rc = hr_release_add_str(o, "updated", hr_buf_cstr(b));
	} else if (c->helm_major == 3) {
		rc = hr_release_add_str(o, "updated", "");
	}
	hr_buf_clear(b);
	if (!rc && !(rc = hr_release_add_str(o, "status", r->status)) && !(rc = chart_label(b, r)) &&
	    !(rc = hr_release_add_str(o, "chart", hr_buf_cstr(b))) &&
	    !(rc = hr_release_add_str(o, "app_version", r->has_chart ? r->app_version : "MISSING")))
		rc = hr_release_add_str(o, "description", r->description);
	if (rc)
		json_object_put(o);
	else
		*v = o;
	return rc;
}

int hr_render_history(hr_buf *out, const hr_rev_summary *revs, size_t n, int max,
		      int helm_major, const char *format, hr_error *err)
{
	static const char *const head[] = { "REVISION", "UPDATED", "STATUS", "CHART", "APP VERSION",
		"DESCRIPTION" };
	const hr_rev_summary **sel = NULL, *tmp;
	history_ctx c;
	hr_render__fmt fmt;
	size_t keep, i;
	int rc;

	if ((rc = hr_render__parse_format(format, &fmt, err)))
		return rc;
	if (helm_major == 0)
		helm_major = 4;
	if (n && !(sel = calloc(n, sizeof(*sel))))
		return hr_error_set(err, HR_ENOMEM, "out of memory");
	for (i = 0; i < n; i++)
		sel[i] = &revs[i];
	/* newest first, keep `max`, then print oldest first */
	if (n)
		qsort(sel, n, sizeof(*sel), by_version_desc);
	keep = max <= 0 ? 0 : (size_t)max < n ? (size_t)max : n;
	for (i = 0; i < keep / 2; i++) {
		tmp = sel[i];
		sel[i] = sel[keep - 1 - i];
		sel[keep - 1 - i] = tmp;
	}
	c.sel = sel;
	c.helm_major = helm_major;
	if (fmt == HR_RENDER__TABLE)
		rc = hr_render__table(out, head, 6, keep, history_row, &c, "history", err);
	else
		rc = hr_render__items(out, fmt, keep, history_item, &c, "history", err);
	free(sel);
	return rc;
}
