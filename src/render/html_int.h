/*
 * html_int.h — semi-private to src/render/: what html.c (the page
 * skeleton, header, overview and findings blocks) and html_release.c (one
 * release's data block) share.  Not for other folders.
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

/* The audit findings, ordered by release. */
typedef struct hr_html_findings {
	const hr_audit_result *res;
	size_t *order;     /* finding indexes by namespace, release, then severity order */
	size_t n;
} hr_html_findings;

/* The findings of ns/name: order[*lo .. *hi). */
void hr_html_findings_of(const hr_html_findings *f, const char *ns, const char *name, size_t *lo, size_t *hi);

/*
 * One release's JSON data block (id "j-i"), built while its revisions'
 * bodies come by (from the audit's hook, decoded once): begin takes its
 * history h[0..nh) (borrowed until end; oldest first, nh > 0); add takes
 * the decoded body of revision row `id` (borrowed, may be changed; NULL:
 * decode it here), revisions of the history before it that did not come by
 * are decoded here; end decodes those still missing, writes the block
 * (gzip'd and base64'd when large) and frees the builder.  The script draws
 * the release's <details> section from the overview data.  `rows` is
 * scratch space shared between releases.  Abort frees without writing.
 */
typedef struct hr_html_rel hr_html_rel;
int hr_html_rel_begin(hr_html_rel **out, hr_html_page *p, hr_index *idx, const hr_html_opts *o, size_t i,
		      const hr_rev_summary *h, size_t nh, hr_report_rows *rows, hr_error *err);
int hr_html_rel_add(hr_html_rel *r, int64_t id, struct json_object *rel, hr_error *err);
int hr_html_rel_end(hr_html_rel *r, hr_error *err);
void hr_html_rel_abort(hr_html_rel *r);

#endif
