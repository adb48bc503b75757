/*
 * report.c — the index queries of the HTML report (helmrec report): the
 * input table, the header counts, the sightings of one revision.  Rows
 * come back as text cells (report.h) so the SQL stays here and the
 * presentation in src/render/html.c.
 */
#include "index/index_int.h"
#include "index/report.h"
#include "util/array.h"

#include <stdlib.h>
#include <string.h>

void hr_report_rows_release(hr_report_rows *r)
{
	for (size_t i = 0; r->cells && i < r->n * r->ncols; i++)
		free(r->cells[i]);
	free(r->cells);
	r->cells = NULL;
	r->n = r->ncols = r->cap = 0;
}

/* Run `st` (bound) to the end, appending every row as text cells to `out`. */
static int collect(hr_index *idx, hr_db_stmt *st, hr_report_rows *out, const char *what, hr_error *err)
{
	int rc, oom = 0;
	size_t ncols = (size_t)hr_db_column_count(st);

	out->ncols = ncols;
	while (!oom && (rc = hr_db_step(st)) == HR_DB_ROW) {
		size_t base = out->n * ncols;

		if (HR_ARRAY_GROW(out->cells, base + ncols, out->cap)) {
			oom = 1;
			break;
		}
		for (size_t i = 0; i < ncols; i++) {
			const unsigned char *t = hr_db_column_text(st, (int)i);

			out->cells[base + i] = t ? strdup((const char *)t) : NULL;
			if (t && !out->cells[base + i])
				oom = 1;
		}
		out->n++;
	}
	if (oom)
		return hr_error_set(err, HR_ENOMEM, "out of memory");
	if (rc != HR_DB_DONE)
		return hr_index_dberr(idx, err, what);
	return 0;
}

static int run(hr_index *idx, const char *sql, const char *text1, int64_t int1, int int2, hr_report_rows *out,
	       const char *what, hr_error *err)
{
	hr_db_stmt *st = NULL;
	int rc;

	if (hr_db_prepare(idx->db, sql, -1, &st, NULL) != HR_DB_OK)
		return hr_index_dberr(idx, err, what);
	/* parameters a statement does not use are ignored (SQLITE_RANGE) */
	if (text1)
		hr_db_bind_text(st, 1, text1, -1, HR_DB_STATIC);
	else
		hr_db_bind_null(st, 1);
	hr_db_bind_int64(st, 2, int1);
	hr_db_bind_int(st, 3, int2);
	rc = collect(idx, st, out, what, err);
	hr_db_finalize(st);
	return rc;
}

int hr_report_sources(hr_index *idx, hr_report_rows *out, hr_error *err)
{
	static const char sql[] =
		"SELECT path, kind, size, sha256, scanned_at, records, skipped, head_revision FROM source ORDER BY id";

	return run(idx, sql, NULL, 0, 0, out, "read inputs", err);
}

int hr_report_counts(hr_index *idx, const char *ns, int include_deleted, hr_report_rows *out, hr_error *err)
{
	static const char sql[] =
		"WITH cur AS (SELECT id, namespace, name FROM revision WHERE is_current = 1"
		"  AND (?1 IS NULL OR namespace = ?1) AND (?3 OR is_live = 1))"
		" SELECT (SELECT COUNT(DISTINCT namespace) FROM cur),"
		"  (SELECT COUNT(*) FROM (SELECT DISTINCT namespace, name FROM cur)),"
		"  (SELECT COUNT(*) FROM cur),"
		"  (SELECT COUNT(*) FROM sighting WHERE revision_id IN (SELECT id FROM cur)),"
		"  (SELECT COALESCE(SUM(skipped), 0) FROM source),"
		"  (SELECT MIN(scanned_at) FROM source), (SELECT MAX(scanned_at) FROM source)";

	return run(idx, sql, ns, 0, include_deleted, out, "count revisions", err);
}

int hr_report_sightings(hr_index *idx, int64_t revision_id, hr_report_rows *out, hr_error *err)
{
	static const char sql[] =
		"SELECT src.path, s.driver, s.object_namespace, s.object_name, s.location, s.state, s.ds_revision"
		" FROM sighting s JOIN source src ON src.id = s.source_id"
		" WHERE s.revision_id = ?2 ORDER BY s.source_id, s.id";

	hr_report_rows_release(out);
	return run(idx, sql, NULL, revision_id, 0, out, "read sightings", err);
}
