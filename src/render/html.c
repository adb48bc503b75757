/*
 * html.c — the HTML report (html.h, docs/report.md): a page skeleton with
 * the inline stylesheet and script embedded at build time
 * (src/render/html/report.css, report.js via scripts/embed.cmake), a
 * header written as HTML, and per release a <script type="application/json">
 * block the script draws when the release's section is opened
 * (html_release.c writes those).
 *
 * The overview table and the <details> sections are drawn by the script
 * from one compact JSON array (data block "ov", written after the release
 * blocks, when each release's revision count is known), so the browser
 * parses a small DOM whatever the size of the backup.
 *
 * The index is read release by release (hr_index_all for the newest
 * revision of each, hr_index_history and hr_index_body for one release
 * at a time), and the page goes out through the caller's write function in
 * chunks, so memory is bounded by the largest release, not the backup.
 */
#include "render/html.h"
#include "render/html_int.h"
#include "render/diff.h"
#include "render/yaml.h"
#include "audit/audit.h"
#include "index/facts.h"
#include "index/report.h"
#include "codec/codec.h"
#include "codec/gojson.h"
#include "model/manifest.h"
#include "model/release.h"
#include "util/array.h"
#include "util/buf.h"

#include <stdlib.h>
#include <string.h>

extern const char hr_html_css[];
extern const char hr_html_js[];

#define FLUSH_AT (256u * 1024u)

int hr_html_flush(hr_html_page *p, int force)
{
	int rc = 0;

	if (p->b.len && (force || p->b.len >= FLUSH_AT)) {
		rc = p->write(p->wctx, p->b.ptr, p->b.len, p->err);
		hr_buf_clear(&p->b);
	}
	return rc;
}

int hr_html_escape(hr_buf *out, const char *s)
{
	const char *run = s;
	int rc = 0;

	if (!s)
		return 0;
	for (; *s && !rc; s++) {
		const char *rep = NULL;

		switch (*s) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: continue;
		}
		rc = hr_buf_put(out, run, (size_t)(s - run));
		rc = rc ? rc : hr_buf_puts(out, rep);
		run = s + 1;
	}
	return rc ? rc : hr_buf_puts(out, run);
}

/* ---- findings, grouped by release ---- */

static const hr_audit_result *sort_res;

static int finding_cmp(const void *x, const void *y)
{
	const hr_finding *a = &sort_res->items[*(const size_t *)x], *b = &sort_res->items[*(const size_t *)y];
	int c = strcmp(a->namespace ? a->namespace : "", b->namespace ? b->namespace : "");

	if (!c)
		c = strcmp(a->release ? a->release : "", b->release ? b->release : "");
	if (!c)
		c = (*(const size_t *)x > *(const size_t *)y) - (*(const size_t *)x < *(const size_t *)y);
	return c;
}

void hr_html_findings_of(const hr_html_findings *f, const char *ns, const char *name, size_t *lo, size_t *hi)
{
	size_t a = 0, b = f->n;

	while (a < b) {
		size_t m = a + (b - a) / 2;
		const hr_finding *x = &f->res->items[f->order[m]];
		int c = strcmp(x->namespace ? x->namespace : "", ns);

		if (!c)
			c = strcmp(x->release ? x->release : "", name);
		if (c < 0)
			a = m + 1;
		else
			b = m;
	}
	*lo = a;
	while (a < f->n && !strcmp(f->res->items[f->order[a]].namespace ? f->res->items[f->order[a]].namespace : "", ns) &&
	       !strcmp(f->res->items[f->order[a]].release ? f->res->items[f->order[a]].release : "", name))
		a++;
	*hi = a;
}

/* ---- page parts ---- */

static int td(hr_buf *b, const char *s)
{
	int rc = hr_buf_puts(b, "<td>");

	rc = rc ? rc : hr_html_escape(b, s);
	return rc ? rc : hr_buf_puts(b, "</td>");
}

/*
 * The page's head and header: counts and inputs; the findings count and the
 * worst findings are drawn by the script from the findings data block
 * (written after the audit, which runs while the release blocks are).
 */
static int header(hr_html_page *p, hr_index *idx, const hr_html_opts *o, hr_error *err)
{
	hr_report_rows src = HR_REPORT_ROWS_INIT, cnt = HR_REPORT_ROWS_INIT;
	hr_buf *b = &p->b;
	const char *title = o->title ? o->title : "helmrec report";
	int rc;

	rc = hr_buf_puts(b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
		"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
		"style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n"
		"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		"<meta name=\"generator\" content=\"helmrec ");
	rc = rc ? rc : hr_html_escape(b, o->version);
	rc = rc ? rc : hr_buf_puts(b, "\">\n<title>");
	rc = rc ? rc : hr_html_escape(b, title);
	rc = rc ? rc : hr_buf_puts(b, "</title>\n<style>\n");
	rc = rc ? rc : hr_buf_puts(b, hr_html_css);
	rc = rc ? rc : hr_buf_puts(b, "</style>\n</head>\n<body>\n<header>\n<h1>");
	rc = rc ? rc : hr_html_escape(b, title);
	rc = rc ? rc : hr_buf_puts(b, "</h1>\n");
	if (rc)
		goto out;
	if ((rc = hr_report_sources(idx, &src, err)) ||
	    (rc = hr_report_counts(idx, o->namespace, !!(o->flags & HR_Q_INCLUDE_DELETED), &cnt, err)))
		goto out;
	if (cnt.n == 1) {
		static const char *const labels[] = { "namespaces", "releases", "revisions", "sightings",
						      "skipped records" };

		rc = hr_buf_puts(b, "<dl class=\"counts\">");
		for (size_t i = 0; !rc && i < 5; i++) {
			rc = hr_buf_puts(b, "<div><dt>");
			rc = rc ? rc : hr_buf_puts(b, labels[i]);
			rc = rc ? rc : hr_buf_puts(b, "</dt><dd>");
			rc = rc ? rc : hr_html_escape(b, hr_report_cell(&cnt, 0, i));
			rc = rc ? rc : hr_buf_puts(b, "</dd></div>");
		}
		rc = rc ? rc : hr_buf_puts(b, "<div><dt>findings</dt><dd id=\"fcount\"></dd></div>");
		rc = rc ? rc : hr_buf_puts(b, "</dl>\n<p class=\"scan\">Scanned ");
		rc = rc ? rc : hr_html_escape(b, hr_report_cell(&cnt, 0, 5));
		if (!rc && hr_report_cell(&cnt, 0, 6) && hr_report_cell(&cnt, 0, 5) &&
		    strcmp(hr_report_cell(&cnt, 0, 5), hr_report_cell(&cnt, 0, 6))) {
			rc = hr_buf_puts(b, " to ");
			rc = rc ? rc : hr_html_escape(b, hr_report_cell(&cnt, 0, 6));
		}
		rc = rc ? rc : hr_buf_puts(b, o->namespace ? " · namespace " : " · all namespaces");
		rc = rc ? rc : hr_html_escape(b, o->namespace);
		rc = rc ? rc : hr_buf_puts(b, "</p>\n");
	}
	rc = rc ? rc : hr_buf_puts(b, "<details class=\"inputs\" open><summary>Inputs</summary>\n<table><thead><tr>"
		"<th>file</th><th>kind</th><th>size (bytes)</th><th>sha256</th><th>scanned</th><th>records</th>"
		"<th>skipped</th><th>datastore head</th></tr></thead><tbody>\n");
	for (size_t i = 0; !rc && i < src.n; i++) {
		rc = hr_buf_puts(b, "<tr>");
		for (size_t k = 0; !rc && k < src.ncols; k++)
			rc = td(b, hr_report_cell(&src, i, k));
		rc = rc ? rc : hr_buf_puts(b, "</tr>\n");
	}
	rc = rc ? rc : hr_buf_puts(b, "</tbody></table></details>\n<section class=\"worst\"><h2>Worst findings</h2>\n"
				   "<div id=\"worst\"></div>\n");
	rc = rc ? rc : hr_buf_puts(b, "</section>\n</header>\n");
out:
	hr_report_rows_release(&src);
	hr_report_rows_release(&cnt);
	if (rc == HR_ENOMEM && err && !err->code)
		hr_error_set(err, rc, "out of memory");
	return rc;
}

static const hr_finding *worst_of(const hr_html_findings *f, size_t lo, size_t hi)
{
	const hr_finding *w = NULL;

	for (size_t i = lo; i < hi; i++)
		if (!w || f->res->items[f->order[i]].severity > w->severity)
			w = &f->res->items[f->order[i]];
	return w;
}

/*
 * The page's releases: every revision (hr_index_all, by namespace, name,
 * version) grouped by release; release i is all[start[i] .. start[i + 1]),
 * oldest first, its newest revision last.
 */
typedef struct rel_set {
	hr_rev_summary *all;
	size_t nall;
	size_t *start;   /* n + 1 entries */
	size_t n;
} rel_set;

#define REL_FIRST(rs, i) (&(rs)->all[(rs)->start[i]])
#define REL_LAST(rs, i) (&(rs)->all[(rs)->start[(i) + 1] - 1])
#define REL_NREV(rs, i) ((rs)->start[(i) + 1] - (rs)->start[i])

/* Order of a revision's release against ns/name: namespace, then name (as the index sorts). */
static int rel_cmp(const hr_rev_summary *s, const char *ns, const char *name)
{
	int c = strcmp(s->namespace ? s->namespace : "", ns ? ns : "");

	return c ? c : strcmp(s->name ? s->name : "", name ? name : "");
}

/* The overview's controls and empty table; the script fills it from the "ov" data block. */
static int overview_head(hr_buf *b)
{
	return hr_buf_puts(b, "<main>\n<section id=\"overview\"><h2>Releases</h2>\n<div class=\"controls\">"
		"<input id=\"q\" type=\"search\" placeholder=\"search namespace, name, chart, status…\" "
		"aria-label=\"search\"> <select id=\"status\" aria-label=\"status\"><option value=\"\">every status"
		"</option></select> <span id=\"shown\"></span></div>\n"
		"<table id=\"rels\"><thead><tr><th>namespace</th><th>name</th><th>chart</th><th>app version</th>"
		"<th>status</th><th>revisions</th><th>last deployed</th><th>findings</th></tr></thead><tbody>\n"
		"</tbody></table>\n<noscript><p class=\"warn\">This page draws its tables with its own inline script: "
		"allow scripts to see them.</p></noscript>\n</section>\n");
}

/*
 * The overview as one compact JSON array, one row per release in page order:
 * [namespace, name, chart, app version, status, revisions, last deployed,
 * worst severity (0 none .. 3 error), findings, "1 error, 2 warning"].
 */
static int overview_json(hr_html_page *p, const rel_set *rs, const hr_html_findings *f, hr_error *err)
{
	struct json_object *arr = json_object_new_array();
	hr_buf txt = HR_BUF_INIT, chart = HR_BUF_INIT;
	int rc = arr ? 0 : HR_ENOMEM;

	for (size_t i = 0; !rc && i < rs->n; i++) {
		const hr_rev_summary *s = REL_LAST(rs, i);
		struct json_object *row = json_object_new_array();
		size_t lo, hi, sev[4] = { 0 };
		const hr_finding *w;
		const char *sep = "";

		if (!row || json_object_array_add(arr, row)) {
			json_object_put(row);
			rc = HR_ENOMEM;
			break;
		}
		hr_html_findings_of(f, s->namespace, s->name, &lo, &hi);
		w = worst_of(f, lo, hi);
		hr_buf_clear(&txt);
		hr_buf_clear(&chart);
		for (size_t k = lo; k < hi; k++)
			sev[f->res->items[f->order[k]].severity & 3]++;
		for (int v = HR_SEV_ERROR; !rc && v >= HR_SEV_INFO; v--)
			if (sev[v]) {
				rc = hr_buf_printf(&txt, "%s%zu %s", sep, sev[v], hr_severity_name((hr_severity)v));
				sep = ", ";
			}
		rc = rc ? rc : hr_buf_printf(&chart, "%s%s%s", s->chart_name ? s->chart_name : "",
					     s->chart_version ? "-" : "", s->chart_version ? s->chart_version : "");
		rc = rc ? rc : json_object_array_add(row, json_object_new_string(s->namespace ? s->namespace : ""));
		rc = rc ? rc : json_object_array_add(row, json_object_new_string(s->name ? s->name : ""));
		rc = rc ? rc : json_object_array_add(row, json_object_new_string(hr_buf_cstr(&chart)));
		rc = rc ? rc : json_object_array_add(row, json_object_new_string(s->app_version ? s->app_version : ""));
		rc = rc ? rc : json_object_array_add(row, json_object_new_string(s->status ? s->status : "unknown"));
		rc = rc ? rc : json_object_array_add(row, json_object_new_int64((int64_t)REL_NREV(rs, i)));
		rc = rc ? rc : json_object_array_add(row, json_object_new_string(s->last_deployed ? s->last_deployed : ""));
		rc = rc ? rc : json_object_array_add(row, json_object_new_int(w ? (int)w->severity : 0));
		rc = rc ? rc : json_object_array_add(row, json_object_new_int64((int64_t)(hi - lo)));
		rc = rc ? rc : json_object_array_add(row, json_object_new_string(hr_buf_cstr(&txt)));
		rc = rc ? HR_ENOMEM : 0;
	}
	rc = rc ? rc : hr_buf_puts(&p->b, "<script type=\"application/json\" id=\"ov\">");
	rc = rc ? rc : hr_gojson_write(&p->b, arr, HR_GOJSON_COMPACT);
	rc = rc ? rc : hr_buf_puts(&p->b, "</script>\n");
	json_object_put(arr);
	hr_buf_free(&txt);
	hr_buf_free(&chart);
	if (rc == HR_ENOMEM && err && !err->code)
		hr_error_set(err, rc, "out of memory");
	return rc;
}

/* The index in rs of release ns/name, or -1. */
static long release_index(const rel_set *rs, const char *ns, const char *name)
{
	size_t a = 0, b = rs->n;

	while (a < b) {
		size_t m = a + (b - a) / 2;
		int c = rel_cmp(REL_LAST(rs, m), ns, name);

		if (!c)
			return (long)m;
		if (c < 0)
			a = m + 1;
		else
			b = m;
	}
	return -1;
}

/*
 * Every finding, worst first (the audit's order), as one compact JSON array
 * (data block "fd"): [severity 1..3, rule, namespace, release, [revisions],
 * message, evidence, remedy, index of the release's section or -1].
 */
static int findings_json(hr_html_page *p, const hr_audit_result *res, const rel_set *rs, hr_error *err)
{
	struct json_object *arr = json_object_new_array();
	int rc = arr ? 0 : HR_ENOMEM;

	for (size_t i = 0; !rc && i < res->n; i++) {
		const hr_finding *f = &res->items[i];
		struct json_object *row = json_object_new_array(), *revs = json_object_new_array();

		if (!row || !revs || json_object_array_add(arr, row)) {
			json_object_put(row);
			json_object_put(revs);
			rc = HR_ENOMEM;
			break;
		}
		for (size_t k = 0; !rc && k < f->nrev; k++)
			rc = json_object_array_add(revs, json_object_new_int64(f->revisions[k]));
		rc = rc ? rc : json_object_array_add(row, json_object_new_int((int)f->severity));
		rc = rc ? rc : json_object_array_add(row, json_object_new_string(f->rule));
		rc = rc ? rc : json_object_array_add(row, json_object_new_string(f->namespace ? f->namespace : ""));
		rc = rc ? rc : json_object_array_add(row, json_object_new_string(f->release ? f->release : ""));
		if (rc || json_object_array_add(row, revs)) {
			json_object_put(revs);
			rc = HR_ENOMEM;
			break;
		}
		rc = json_object_array_add(row, json_object_new_string(f->message ? f->message : ""));
		rc = rc ? rc : json_object_array_add(row, f->evidence ? json_object_new_string(f->evidence) : NULL);
		rc = rc ? rc : json_object_array_add(row, f->remedy ? json_object_new_string(f->remedy) : NULL);
		rc = rc ? rc : json_object_array_add(row, json_object_new_int64(release_index(rs, f->namespace, f->release)));
		rc = rc ? HR_ENOMEM : 0;
	}
	rc = rc ? rc : hr_buf_puts(&p->b, "<script type=\"application/json\" id=\"fd\">");
	rc = rc ? rc : hr_gojson_write(&p->b, arr, HR_GOJSON_COMPACT);
	rc = rc ? rc : hr_buf_puts(&p->b, "</script>\n");
	json_object_put(arr);
	if (rc == HR_ENOMEM && err && !err->code)
		hr_error_set(err, rc, "out of memory");
	return rc;
}

/*
 * The release blocks, written while the audit decodes the bodies (its
 * on_body hook): the audit and rs both go by namespace, then name, so the
 * releases are walked in step; a release of the page the audit does not
 * reach is written on its own (its bodies decoded here).
 */
typedef struct rel_walk {
	hr_html_page *p;
	hr_index *idx;
	const hr_html_opts *o;
	const rel_set *rs;
	size_t next;             /* release `next` of rs is the next to begin */
	hr_html_rel *cur;        /* the release being built (next - 1), or NULL */
	hr_report_rows rows;
} rel_walk;

static int walk_end_current(rel_walk *w, hr_error *err)
{
	hr_html_rel *r = w->cur;

	w->cur = NULL;
	return r ? hr_html_rel_end(r, err) : 0;
}

static int walk_begin(rel_walk *w, hr_error *err)
{
	size_t i = w->next++;

	return hr_html_rel_begin(&w->cur, w->p, w->idx, w->o, i, REL_FIRST(w->rs, i), REL_NREV(w->rs, i), &w->rows,
				 err);
}

/* Finish the current release and every release of the page before ns/name (all when ns is NULL). */
static int walk_until(rel_walk *w, const char *ns, const char *name, hr_error *err)
{
	int rc = walk_end_current(w, err);

	while (!rc && w->next < w->rs->n && (!ns || rel_cmp(REL_LAST(w->rs, w->next), ns, name) < 0))
		if (!(rc = walk_begin(w, err)))
			rc = walk_end_current(w, err);
	return rc;
}

static int walk_body(void *user, const struct hr_fact_rev *rev, struct json_object *rel, hr_error *err)
{
	rel_walk *w = user;
	int rc;

	if (w->cur && !rel_cmp(REL_LAST(w->rs, w->next - 1), rev->namespace, rev->name))
		return hr_html_rel_add(w->cur, rev->id, rel, err);
	if ((rc = walk_until(w, rev->namespace, rev->name, err)))
		return rc;
	if (w->next >= w->rs->n || rel_cmp(REL_LAST(w->rs, w->next), rev->namespace, rev->name))
		return 0;   /* a release the page does not show */
	if ((rc = walk_begin(w, err)))
		return rc;
	return hr_html_rel_add(w->cur, rev->id, rel, err);
}

/* Read every revision of the page (one query) and group it by release. */
static int rel_set_load(rel_set *rs, hr_index *idx, const hr_html_opts *o, hr_error *err)
{
	size_t cap = 0;
	int rc;

	if ((rc = hr_index_all(idx, o->namespace, o->flags, &rs->all, &rs->nall, err)))
		return rc;
	for (size_t i = 0; i <= rs->nall; i++) {
		if (i && i < rs->nall && !rel_cmp(&rs->all[i - 1], rs->all[i].namespace, rs->all[i].name))
			continue;
		if (HR_ARRAY_GROW(rs->start, rs->n + 1, cap))
			return hr_error_set(err, HR_ENOMEM, "out of memory");
		rs->start[rs->n++] = i;
	}
	rs->n--;   /* the last start is the end of the last release */
	return 0;
}

int hr_html_report(hr_index *idx, const hr_html_opts *o, hr_html_write_fn write, void *wctx, hr_error *err)
{
	hr_html_page p = { HR_BUF_INIT, write, wctx, err };
	hr_audit_opts ao = HR_AUDIT_OPTS_INIT;
	hr_audit_result res = HR_AUDIT_RESULT_INIT;
	rel_set rs = { NULL, 0, NULL, 0 };
	rel_walk w = { &p, idx, o, &rs, 0, NULL, HR_REPORT_ROWS_INIT };
	hr_html_findings f = { &res, NULL, 0 };
	int rc;

	if ((rc = rel_set_load(&rs, idx, o, err)))
		goto out;
	if ((rc = header(&p, idx, o, err)) || (rc = hr_html_flush(&p, 0)))
		goto out;
	rc = overview_head(&p.b);
	rc = rc ? rc : hr_buf_puts(&p.b, "<section id=\"releases\"><h2>Release details</h2>\n"
		"<p class=\"hint\">Each section opens on click; its revisions are drawn then.</p>\n"
		"<div id=\"rel-list\"></div>\n");
	if (rc) {
		rc = hr_error_set(err, HR_ENOMEM, "out of memory");
		goto out;
	}
	/* the audit decodes every body once; walk_body builds the release blocks from them */
	ao.namespace = o->namespace;
	ao.kube_major = o->kube_major;
	ao.kube_minor = o->kube_minor;
	ao.show_secrets = o->show_secrets;
	ao.include_deleted = !!(o->flags & HR_Q_INCLUDE_DELETED);
	ao.on_body = walk_body;
	ao.on_body_user = &w;
	if ((rc = hr_audit_run(idx, &ao, &res, err)) || (rc = walk_until(&w, NULL, NULL, err)))
		goto out;
	if (res.n && !(f.order = malloc(res.n * sizeof(*f.order)))) {
		rc = hr_error_set(err, HR_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < res.n; i++)
		f.order[i] = i;
	f.n = res.n;
	sort_res = &res;
	if (res.n)
		qsort(f.order, res.n, sizeof(*f.order), finding_cmp);
	if ((rc = findings_json(&p, &res, &rs, err)) || (rc = overview_json(&p, &rs, &f, err)))
		goto out;
	rc = hr_buf_puts(&p.b, "</section>\n</main>\n<footer><p>Generated by helmrec ");
	rc = rc ? rc : hr_html_escape(&p.b, o->version);
	rc = rc ? rc : hr_buf_puts(&p.b, " with <code id=\"cmdline\">");
	rc = rc ? rc : hr_html_escape(&p.b, o->command);
	rc = rc ? rc : hr_buf_puts(&p.b, "</code></p>");
	rc = rc ? rc : hr_buf_puts(&p.b, o->show_secrets ? "<p class=\"warn\">This page shows credential values "
				   "(--show-secrets): share it like the backup itself.</p>" :
				   "<p>Credential values are masked.</p>");
	rc = rc ? rc : hr_buf_puts(&p.b, "</footer>\n<script>\n");
	rc = rc ? rc : hr_buf_puts(&p.b, hr_html_js);
	rc = rc ? rc : hr_buf_puts(&p.b, "</script>\n</body>\n</html>\n");
	if (rc == HR_ENOMEM && !err->code)
		hr_error_set(err, rc, "out of memory");
	rc = rc ? rc : hr_html_flush(&p, 1);
out:
	sort_res = NULL;
	hr_html_rel_abort(w.cur);
	free(f.order);
	hr_report_rows_release(&w.rows);
	hr_rev_summaries_free(rs.all, rs.nall);
	free(rs.start);
	hr_audit_result_free(&res);
	hr_buf_free(&p.b);
	return rc;
}
