/*
 * report.h — what the HTML report (src/render/html.c) reads from the index
 * beyond the history and list queries: the inputs, the counts of the
 * header, and where each revision was seen.
 *
 * Every query returns a table of text cells (SQL NULL = NULL cell), in the
 * column order given at each function, so the report stays the only place
 * that decides how to show them.
 *
 * Ownership: an hr_report_rows filled here is the caller's; release it
 * with hr_report_rows_release() (also safe on a zeroed struct).
 */
#ifndef HR_INDEX_REPORT_H
#define HR_INDEX_REPORT_H

#include <stddef.h>
#include <stdint.h>
#include "index/index.h"

typedef struct hr_report_rows {
	char **cells;     /* n * ncols strings, row-major; NULL for SQL NULL */
	size_t n, ncols, cap;
} hr_report_rows;

#define HR_REPORT_ROWS_INIT { NULL, 0, 0, 0 }

/* Cell (row, col): borrowed, NULL for SQL NULL. */
static inline const char *hr_report_cell(const hr_report_rows *r, size_t row, size_t col)
{
	return r->cells[row * r->ncols + col];
}

void hr_report_rows_release(hr_report_rows *r);

/*
 * The inputs, in scan order: path, kind, size, sha256, scanned_at,
 * records, skipped, head_revision.  `out` must be empty.
 */
int hr_report_sources(hr_index *idx, hr_report_rows *out, hr_error *err);

/*
 * One row of counts over the current revisions (namespace `ns`, NULL =
 * all; `include_deleted` counts revisions seen only as deleted too):
 * namespaces, releases, revisions, sightings, skipped records (over all
 * inputs), first and last scan time.
 */
int hr_report_counts(hr_index *idx, const char *ns, int include_deleted, hr_report_rows *out, hr_error *err);

/*
 * Where revision row `revision_id` was seen: input path, driver, object
 * namespace, object name, location, state (live, historical, deleted,
 * carved), datastore revision (0 = none).  Ordered by input, location.
 * `out` is cleared first (so one table serves a loop).
 */
int hr_report_sightings(hr_index *idx, int64_t revision_id, hr_report_rows *out, hr_error *err);

#endif
