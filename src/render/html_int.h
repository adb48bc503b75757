/*
 * html_int.h — semi-private to src/render/: what html.c (the page
 * skeleton, header and overview) and html_release.c (one release's
 * section) share.  Not for other folders.
 */
#ifndef HR_HTML_INT_H
#define HR_HTML_INT_H

#include <stddef.h>
#include "audit/audit.h"
#include "index/index.h"
#include "index/report.h"
#include "render/html.h"
#include "util/buf.h"
#include "util/error.h"

/* The page being written: buffered text handed to write() in chunks. */
typedef struct hr_html_page {
	hr_buf b;
	hr_html_write_fn write;
	void *wctx;
	hr_error *err;
} hr_html_page;

/* Hand the buffered text to p->write when it is long enough, or always when `force`; the buffer is emptied. */
int hr_html_flush(hr_html_page *p, int force);

/* A release status as a <span> classed by it. */
int hr_html_status_span(hr_buf *b, const char *st);

/* The audit findings, ordered by release. */
typedef struct hr_html_findings {
	const hr_audit_result *res;
	size_t *order;     /* finding indexes by namespace, release, then severity order */
	size_t n;
} hr_html_findings;

/* The findings of ns/name: order[*lo .. *hi). */
void hr_html_findings_of(const hr_html_findings *f, const char *ns, const char *name, size_t *lo, size_t *hi);

/*
 * Append release i (newest revision s) to the page: its <details> section
 * and its JSON data block with findings from f and every revision of its
 * history.  `rows` is scratch space reused between releases.
 */
int hr_html_release_section(hr_html_page *p, hr_index *idx, const hr_html_opts *o, size_t i,
			    const hr_rev_summary *s, const hr_html_findings *f, hr_report_rows *rows, hr_error *err);

#endif
