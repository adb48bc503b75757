/*
 * html.c — the HTML report (html.h, docs/report.md): a page skeleton with
 * the inline stylesheet and script embedded at build time
 * (src/render/html/report.css, report.js via scripts/embed.cmake), a
 * header and an overview table written as HTML, and per release one
 * <details> section plus a <script type="application/json"> block the
 * script draws when the section is opened (html_release.c writes those).
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
#define WORST_SHOWN 25

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

int hr_html_status_span(hr_buf *b, const char *st)
{
	int rc = hr_buf_puts(b, "<span class=\"st st-");

	rc = rc ? rc : hr_html_escape(b, st);
	rc = rc ? rc : hr_buf_puts(b, "\">");
	rc = rc ? rc : hr_html_escape(b, st);
	return rc ? rc : hr_buf_puts(b, "</span>");
}

static int td(hr_buf *b, const char *s)
{
	int rc = hr_buf_puts(b, "<td>");

	rc = rc ? rc : hr_html_escape(b, s);
	return rc ? rc : hr_buf_puts(b, "</td>");
}

static int header(hr_html_page *p, hr_index *idx, const hr_html_opts *o, const hr_audit_result *res, hr_error *err)
{
	hr_report_rows src = HR_REPORT_ROWS_INIT, cnt = HR_REPORT_ROWS_INIT;
	hr_buf *b = &p->b;
	const char *title = o->title ? o->title : "helmrec report";
	size_t sev[4] = { 0 };
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
	for (size_t i = 0; i < res->n; i++)
		sev[res->items[i].severity & 3]++;
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
		rc = rc ? rc : hr_buf_printf(b, "<div><dt>findings</dt><dd>%zu error, %zu warning, %zu info</dd></div>",
					     sev[HR_SEV_ERROR], sev[HR_SEV_WARNING], sev[HR_SEV_INFO]);
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
	rc = rc ? rc : hr_buf_puts(b, "</tbody></table></details>\n<section class=\"worst\"><h2>Worst findings</h2>\n");
	if (!rc && !res->n)
		rc = hr_buf_puts(b, "<p>No findings.</p>\n");
	else if (!rc)
		rc = hr_buf_puts(b, "<ul>\n");
	for (size_t i = 0; !rc && i < res->n && i < WORST_SHOWN; i++) {
		const hr_finding *f = &res->items[i];

		rc = hr_buf_printf(b, "<li class=\"sev-%s\"><b>%s</b> <code>%s</code> ", hr_severity_name(f->severity),
				   hr_severity_name(f->severity), f->rule);
		rc = rc ? rc : hr_html_escape(b, f->namespace);
		rc = rc ? rc : hr_buf_puts(b, "/");
		rc = rc ? rc : hr_html_escape(b, f->release);
		for (size_t k = 0; !rc && k < f->nrev; k++)
			rc = hr_buf_printf(b, "%s%lld", k ? "," : " revision ", (long long)f->revisions[k]);
		rc = rc ? rc : hr_buf_puts(b, ": ");
		rc = rc ? rc : hr_html_escape(b, f->message);
		rc = rc ? rc : hr_buf_puts(b, "</li>\n");
	}
	if (!rc && res->n)
		rc = hr_buf_printf(b, "</ul>\n%s", res->n > WORST_SHOWN ? "<p>More in each release's section.</p>\n" : "");
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

static int overview(hr_html_page *p, hr_index *idx, const hr_html_opts *o, const hr_rev_summary *latest, size_t n,
		    const hr_html_findings *f, hr_error *err)
{
	hr_buf *b = &p->b;
	int rc;

	rc = hr_buf_puts(b, "<main>\n<section id=\"overview\"><h2>Releases</h2>\n<div class=\"controls\">"
		"<input id=\"q\" type=\"search\" placeholder=\"search namespace, name, chart, status…\" "
		"aria-label=\"search\"> <select id=\"status\" aria-label=\"status\"><option value=\"\">every status"
		"</option></select> <span id=\"shown\"></span></div>\n"
		"<table id=\"rels\"><thead><tr><th>namespace</th><th>name</th><th>chart</th><th>app version</th>"
		"<th>status</th><th>revisions</th><th>last deployed</th><th>findings</th></tr></thead><tbody>\n");
	for (size_t i = 0; !rc && i < n; i++) {
		const hr_rev_summary *s = &latest[i];
		const hr_finding *w;
		hr_rev_summary *h = NULL;
		size_t nh = 0, lo, hi;

		if ((rc = hr_index_history(idx, s->namespace, s->name, o->flags, &h, &nh, err)))
			break;
		hr_rev_summaries_free(h, nh);
		hr_html_findings_of(f, s->namespace, s->name, &lo, &hi);
		w = worst_of(f, lo, hi);
		rc = hr_buf_printf(b, "<tr data-i=\"%zu\" data-st=\"", i);
		rc = rc ? rc : hr_html_escape(b, s->status ? s->status : "unknown");
		rc = rc ? rc : hr_buf_puts(b, "\">");
		rc = rc ? rc : td(b, s->namespace);
		rc = rc ? rc : hr_buf_printf(b, "<td><a href=\"#rel-%zu\">", i);
		rc = rc ? rc : hr_html_escape(b, s->name);
		rc = rc ? rc : hr_buf_puts(b, "</a></td><td>");
		rc = rc ? rc : hr_html_escape(b, s->chart_name);
		rc = rc ? rc : hr_buf_puts(b, s->chart_version ? "-" : "");
		rc = rc ? rc : hr_html_escape(b, s->chart_version);
		rc = rc ? rc : hr_buf_puts(b, "</td>");
		rc = rc ? rc : td(b, s->app_version);
		rc = rc ? rc : hr_buf_puts(b, "<td>");
		rc = rc ? rc : hr_html_status_span(b, s->status ? s->status : "unknown");
		rc = rc ? rc : hr_buf_printf(b, "</td><td class=\"num\">%zu</td>", nh);
		rc = rc ? rc : td(b, s->last_deployed);
		if (!rc && w) {
			size_t sev[4] = { 0 };
			const char *sep = "";

			for (size_t k = lo; k < hi; k++)
				sev[f->res->items[f->order[k]].severity & 3]++;
			rc = hr_buf_printf(b, "<td class=\"num\" data-v=\"%d%06zu\"><span class=\"sev-%s\">",
					   (int)w->severity, hi - lo, hr_severity_name(w->severity));
			for (int v = HR_SEV_ERROR; !rc && v >= HR_SEV_INFO; v--)
				if (sev[v]) {
					rc = hr_buf_printf(b, "%s%zu %s", sep, sev[v], hr_severity_name((hr_severity)v));
					sep = ", ";
				}
			rc = rc ? rc : hr_buf_puts(b, "</span></td>");
		} else if (!rc) {
			rc = hr_buf_puts(b, "<td class=\"num\" data-v=\"0\"></td>");
		}
		rc = rc ? rc : hr_buf_puts(b, "</tr>\n");
		rc = rc ? rc : hr_html_flush(p, 0);
	}
	rc = rc ? rc : hr_buf_puts(b, "</tbody></table>\n</section>\n");
	if (rc == HR_ENOMEM && err && !err->code)
		hr_error_set(err, rc, "out of memory");
	return rc;
}

int hr_html_report(hr_index *idx, const hr_html_opts *o, hr_html_write_fn write, void *wctx, hr_error *err)
{
	hr_html_page p = { HR_BUF_INIT, write, wctx, err };
	hr_audit_opts ao = HR_AUDIT_OPTS_INIT;
	hr_audit_result res = HR_AUDIT_RESULT_INIT;
	hr_report_rows rows = HR_REPORT_ROWS_INIT;
	hr_rev_summary *latest = NULL;
	size_t nlatest = 0;
	hr_html_findings f = { &res, NULL, 0 };
	int rc;

	ao.namespace = o->namespace;
	ao.kube_major = o->kube_major;
	ao.kube_minor = o->kube_minor;
	ao.show_secrets = o->show_secrets;
	ao.include_deleted = !!(o->flags & HR_Q_INCLUDE_DELETED);
	if ((rc = hr_audit_run(idx, &ao, &res, err)))
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
	if ((rc = hr_index_all(idx, o->namespace, o->flags | HR_Q_LATEST, &latest, &nlatest, err)))
		goto out;
	if ((rc = header(&p, idx, o, &res, err)) || (rc = hr_html_flush(&p, 0)) ||
	    (rc = overview(&p, idx, o, latest, nlatest, &f, err)))
		goto out;
	rc = hr_buf_puts(&p.b, "<section id=\"releases\"><h2>Release details</h2>\n"
		"<p class=\"hint\">Each section opens on click; its revisions are drawn then.</p>\n");
	for (size_t i = 0; !rc && i < nlatest; i++)
		rc = hr_html_release_section(&p, idx, o, i, &latest[i], &f, &rows, err);
	rc = rc ? rc : hr_buf_puts(&p.b, "</section>\n</main>\n<footer><p>Generated by helmrec ");
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
	free(f.order);
	hr_report_rows_release(&rows);
	hr_rev_summaries_free(latest, nlatest);
	hr_audit_result_free(&res);
	hr_buf_free(&p.b);
	return rc;
}
