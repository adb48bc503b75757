/*
 * html.h — `helmrec report --html`: one self-contained HTML page showing a
 * whole index at a glance (docs/report.md).
 *
 * The page has a header (inputs with kind, size and sha256, scan time,
 * counts, the worst audit findings), an overview table of releases
 * (sortable, filterable by a search box and by status; the fragment
 * `#q=TEXT&status=WORD` pre-fills both), and per release a collapsed
 * section whose data is embedded as JSON and drawn by a small inline script
 * only when opened (the table, the sections, the worst findings and the
 * counts are drawn by the script from compact JSON blocks too): a revision timeline (SVG; rollbacks as arrows to their
 * target), findings beside their revisions, per revision the user values,
 * manifest resources (text collapsible), hooks, notes, the diff to the
 * previous revision (render/diff.h) and where the revision was seen.  No
 * external resource of any kind; a Content-Security-Policy forbids
 * network access.  Every string is HTML-escaped; embedded JSON escapes
 * <, >, &, U+2028 and U+2029 (Go's encoder rules), so no value can close
 * the script element.
 *
 * Credential values (the audit's test, hr_audit_credential_kind) are
 * masked in values, and their text removed from manifests, hooks, notes
 * and diffs, unless opts.show_secrets; Secret data is masked as the diff
 * masks it; PEM private key bodies are cut out.
 *
 * Memory: the report is written release by release through `write` while
 * the audit decodes the bodies (each once: the audit's on_body hook); two
 * decoded release trees at a time, the revision summaries of the page (one
 * query) and the audit findings are held, not the bodies of the index.
 *
 * Ownership: everything passed in is borrowed.
 */
#ifndef HR_RENDER_HTML_H
#define HR_RENDER_HTML_H

#include <stddef.h>
#include "index/index.h"
#include "util/error.h"

/* Receives the page in pieces; 0 or a negative HR_E* code (err filled) to stop. */
typedef int (*hr_html_write_fn)(void *ctx, const char *data, size_t len, hr_error *err);

typedef struct hr_html_opts {
	const char *namespace;      /* NULL = every namespace */
	unsigned flags;             /* HR_Q_INCLUDE_DELETED */
	int kube_major, kube_minor; /* audit's deprecated-api target (0.0 = newest known) */
	int show_secrets;           /* do not mask credential values */
	const char *title;          /* NULL = "helmrec report" */
	const char *version;        /* helmrec version for the footer */
	const char *command;        /* the command line that produced the page (footer) */
} hr_html_opts;

#define HR_HTML_OPTS_INIT { NULL, 0, 0, 0, 0, NULL, NULL, NULL }

/*
 * Run the audit over the index and write the page.  Returns 0, or the
 * first failure (index, audit, HR_ENOMEM, or what `write` returned).
 */
int hr_html_report(hr_index *idx, const hr_html_opts *o, hr_html_write_fn write, void *wctx, hr_error *err);

/* Append `s` (NULL = nothing) HTML-escaped (& < > " ') to `out`.  0 or HR_ENOMEM. */
int hr_html_escape(hr_buf *out, const char *s);

#endif
