/*
 * source.c — the inputs of an index: registering an input (the same
 * content is the same source, per cluster), the cheap path/size/mtime
 * shortcut, marking a scan complete (or, when the input ended in an
 * error, read only in part), and the inputs whose scan was interrupted or
 * stopped at an error.  (Moved out of index.c unchanged but for the
 * cluster.)
 */
#include "index/index_int.h"
#include "util/array.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void now_rfc3339(char *buf, size_t n)
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* ?1 path, ?2 size, ?3 mtime, ?4 sha256 (NULL when unknown) of a source, ?5 the cluster. */
static void bind_source(hr_index *idx, hr_db_stmt *st, const hr_source_row *src)
{
	hr_db_bind_text(st, 5, hr_index_cluster(idx), -1, HR_DB_STATIC);
	hr_db_bind_text(st, 1, src->path, -1, HR_DB_STATIC);
	hr_db_bind_int64(st, 2, src->size);
	hr_db_bind_int64(st, 3, src->mtime);
	if (src->sha256)
		hr_db_bind_text(st, 4, src->sha256, -1, HR_DB_STATIC);
}

/*
 * The same content as source row ?1/?4 (path, sha256): a complete source
 * with that hash anywhere in the cluster, or an interrupted scan of it
 * under the same path; the best such row first.  Shared by
 * hr_index_source_begin and hr_index_source_identify.
 */
#define SAME_CONTENT "sha256 = ?4 AND (complete = 1 OR path = ?1)"
#define BEST_MATCH " ORDER BY complete DESC, path = ?1 DESC, id LIMIT 1"

int hr_index_source_begin(hr_index *idx, const hr_source_row *src, int64_t *id, int *already, hr_error *err)
{
	hr_db_stmt *st;
	char now[32];
	int rc;

	*already = 0;
	*id = 0;
	if (!strcmp(src->path, "-"))
		goto insert;  /* stdin is never the same input twice */
	/*
	 * The same content is the same source: matched by path, size and mtime
	 * (the cheap shortcut), else by content hash, complete anywhere or
	 * interrupted under the same path.  A match by hash under the same path
	 * takes the file's new size/mtime, so the shortcut works next time.
	 */
	rc = hr_index_prepare(idx, ST_SOURCE_FIND,
		"SELECT id, complete, path = ?1 AND (size IS NOT ?2 OR mtime IS NOT ?3) FROM source"
		" WHERE cluster = ?5 AND ((path = ?1 AND size = ?2 AND mtime = ?3)"
		" OR (?4 IS NOT NULL AND " SAME_CONTENT "))" BEST_MATCH, &st, err);
	if (rc)
		return rc;
	bind_source(idx, st, src);
	rc = hr_db_step(st);
	if (rc == HR_DB_ROW) {
		/* A complete source is done; an incomplete one (interrupted scan) is resumed. */
		int moved = hr_db_column_int(st, 2);
		char sql[128];

		*id = hr_db_column_int64(st, 0);
		*already = hr_db_column_int(st, 1);
		if (!moved)
			return 0;
		snprintf(sql, sizeof(sql), "UPDATE source SET size = %lld, mtime = %lld WHERE id = %lld",
			 (long long)src->size, (long long)src->mtime, (long long)*id);
		return hr_index_exec(idx, sql, err);
	}
	if (rc != HR_DB_DONE)
		return hr_index_dberr(idx, err, "find source");
insert:
	now_rfc3339(now, sizeof(now));
	rc = hr_index_prepare(idx, ST_SOURCE_INSERT,
		"INSERT INTO source(path, size, mtime, sha256, cluster, kind, scanned_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)",
		&st, err);
	if (rc)
		return rc;
	bind_source(idx, st, src);
	hr_db_bind_text(st, 6, src->kind ? src->kind : "unknown", -1, HR_DB_STATIC);
	hr_db_bind_text(st, 7, now, -1, HR_DB_STATIC);
	if (hr_db_step(st) != HR_DB_DONE)
		return hr_index_dberr(idx, err, "insert source");
	*id = hr_db_last_insert_rowid(idx->db);
	return 0;
}

int hr_index_source_identify(hr_index *idx, int64_t id, const hr_source_row *src, int64_t *same, int *complete,
			      hr_error *err)
{
	hr_db_stmt *st;
	int rc;

	*same = 0;
	*complete = 0;
	if (!src->sha256)
		return 0;
	/* the match hr_index_source_begin makes by content, with the row's own id left out */
	rc = hr_index_prepare(idx, ST_SOURCE_IDENTIFY,
		"SELECT id, complete FROM source WHERE cluster = ?5 AND id != ?6 AND " SAME_CONTENT BEST_MATCH,
		&st, err);
	if (rc)
		return rc;
	bind_source(idx, st, src);
	hr_db_bind_int64(st, 6, id);
	rc = hr_db_step(st);
	if (rc == HR_DB_ROW) {
		*same = hr_db_column_int64(st, 0);
		*complete = hr_db_column_int(st, 1);
		return 0;
	}
	if (rc != HR_DB_DONE)
		return hr_index_dberr(idx, err, "find source");
	rc = hr_index_prepare(idx, ST_SOURCE_SET_SHA, "UPDATE source SET sha256 = ?1 WHERE id = ?2", &st, err);
	if (rc)
		return rc;
	hr_db_bind_text(st, 1, src->sha256, -1, HR_DB_STATIC);
	hr_db_bind_int64(st, 2, id);
	if (hr_db_step(st) != HR_DB_DONE)
		return hr_index_dberr(idx, err, "record source hash");
	return 0;
}

int hr_index_source_known(hr_index *idx, const hr_source_row *src, int *complete, hr_error *err)
{
	hr_db_stmt *st;
	int rc;

	*complete = 0;
	if (hr_db_prepare(idx->db, "SELECT complete FROM source WHERE path = ?1 AND size = ?2 AND mtime = ?3"
			       " AND cluster = ?4 ORDER BY complete DESC LIMIT 1", -1, &st, NULL) != HR_DB_OK)
		return hr_index_dberr(idx, err, "find source");
	hr_db_bind_text(st, 4, hr_index_cluster(idx), -1, HR_DB_STATIC);
	hr_db_bind_text(st, 1, src->path, -1, HR_DB_STATIC);
	hr_db_bind_int64(st, 2, src->size);
	hr_db_bind_int64(st, 3, src->mtime);
	rc = hr_db_step(st);
	if (rc == HR_DB_ROW)
		*complete = hr_db_column_int(st, 0);
	hr_db_finalize(st);
	if (rc != HR_DB_ROW && rc != HR_DB_DONE)
		return hr_index_dberr(idx, err, "find source");
	return rc == HR_DB_ROW;
}

int hr_index_source_end(hr_index *idx, int64_t id, int complete, uint64_t records, uint64_t skipped,
			int64_t head_rev, int64_t compact_rev, const char *sha256, hr_error *err)
{
	hr_db_stmt *st;
	int rc = hr_index_prepare(idx, ST_SOURCE_END,
		"UPDATE source SET complete = ?7, records = ?2, skipped = ?3, head_revision = ?4, "
		"compact_revision = ?5, sha256 = COALESCE(?6, sha256) WHERE id = ?1", &st, err);

	if (rc)
		return rc;
	hr_db_bind_int64(st, 7, complete ? 1 : 0);
	hr_db_bind_int64(st, 1, id);
	hr_db_bind_int64(st, 2, (int64_t)records);
	hr_db_bind_int64(st, 3, (int64_t)skipped);
	if (head_rev)
		hr_db_bind_int64(st, 4, head_rev);
	if (compact_rev)
		hr_db_bind_int64(st, 5, compact_rev);
	if (sha256)
		hr_db_bind_text(st, 6, sha256, -1, HR_DB_STATIC);
	if (hr_db_step(st) != HR_DB_DONE)
		return hr_index_dberr(idx, err, "finish source");
	return 0;
}

int hr_index_incomplete_sources(hr_index *idx, int damaged, char ***paths, size_t *n, hr_error *err)
{
	hr_db_stmt *st;
	char **out = NULL;
	size_t cnt = 0, cap = 0;
	int rc = 0, step;

	*paths = NULL;
	*n = 0;
	/*
	 * Stopped at an error: the scan ran to hr_index_source_end, which
	 * counted the error in `skipped`; unless a later scan of the same path
	 * (the input repaired) read it to the end.
	 */
	if (hr_db_prepare(idx->db, damaged ? "SELECT path FROM source s WHERE complete = 0 AND skipped > 0"
					     " AND NOT EXISTS (SELECT 1 FROM source c WHERE c.path = s.path"
					     " AND c.cluster = s.cluster AND c.complete = 1 AND c.id > s.id)"
					     " GROUP BY path ORDER BY MIN(id)"
					   : "SELECT path FROM source WHERE complete = 0 AND skipped = 0"
					     " GROUP BY path ORDER BY MIN(id)", -1, &st, NULL) != HR_DB_OK)
		return hr_index_dberr(idx, err, "sources");
	while ((step = hr_db_step(st)) == HR_DB_ROW) {
		char *p = strdup((const char *)hr_db_column_text(st, 0));

		if (!p || HR_ARRAY_GROW(out, cnt + 1, cap)) {
			free(p);
			rc = hr_error_set(err, HR_ENOMEM, "out of memory");
			break;
		}
		out[cnt++] = p;
	}
	if (!rc && step != HR_DB_DONE)
		rc = hr_index_dberr(idx, err, "sources");
	hr_db_finalize(st);
	if (rc) {
		for (size_t i = 0; i < cnt; i++)
			free(out[i]);
		free(out);
		return rc;
	}
	*paths = out;
	*n = cnt;
	return 0;
}
