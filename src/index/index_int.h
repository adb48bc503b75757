/*
 * index_int.h — internals shared by the files of src/index/ (not public).
 */
#ifndef HR_INDEX_INT_H
#define HR_INDEX_INT_H

#include <stdlib.h>
#include <string.h>
#include "index/db.h"
#include "index/index.h"
#include "util/array.h"

enum {
	ST_SOURCE_FIND, ST_SOURCE_INSERT, ST_SOURCE_END, ST_SOURCE_IDENTIFY, ST_SOURCE_SET_SHA,
	ST_RELEASE_UPSERT, ST_RELEASE_ID, ST_REV_FIND, ST_REV_INSERT, ST_SIGHT_INSERT,
	ST_RES_INSERT, ST_HOOK_INSERT, ST_VALUE_INSERT, ST_FINDING_INSERT, ST_PAYLOAD_INSERT,
	ST_LIVE_INSERT, ST_LIVE_MANAGER_INSERT,   /* live.c */
	ST__COUNT
};

struct hr_index {
	hr_db *db;
	char *path;
	int readonly;
	int journal_truncate;      /* PRAGMA journal_mode=TRUNCATE was set: reset to DELETE at close */
	int64_t at;   /* time travel: datastore revision, 0 = head */
	char *cluster;             /* hr_index_set_cluster; NULL = "default" */
	hr_db_stmt *stmts[ST__COUNT];
};

/*
 * One more row in a result array (`elem` bytes each, *cnt used of *cap):
 * grown with hr_array_grow, zeroed and counted; NULL out of memory (the
 * array untouched).  HR_INDEX_ROW_ADD(arr, cnt, cap) is the typed form.
 */
static inline void *hr_index_row_add(void **arr, size_t elem, size_t *cnt, size_t *cap)
{
	char *r;

	if (hr_array_grow(arr, elem, *cnt + 1, cap))
		return NULL;
	r = (char *)*arr + elem * (*cnt)++;
	memset(r, 0, elem);
	return r;
}
#define HR_INDEX_ROW_ADD(arr, cnt, cap) hr_index_row_add((void **)&(arr), sizeof *(arr), &(cnt), &(cap))

/* Copy text column `i` of a row (NULL stays NULL, and so does a copy that fails). */
static inline char *hr_index_col_dup(hr_db_stmt *st, int i)
{
	const unsigned char *t = hr_db_column_text(st, i);

	return t ? strdup((const char *)t) : NULL;
}

/* Copy text column `i` of a row (NULL stays NULL); *oom set when the copy fails. */
static inline char *hr_index_col_text(hr_db_stmt *st, int i, int *oom)
{
	const unsigned char *t = hr_db_column_text(st, i);
	char *s;

	if (!t)
		return NULL;
	s = strdup((const char *)t);
	if (!s)
		*oom = 1;
	return s;
}

/* Bind `s` (copied) to parameter i, or NULL when s is NULL. */
static inline void hr_index_bind_opt(hr_db_stmt *st, int i, const char *s)
{
	if (s)
		hr_db_bind_text(st, i, s, -1, HR_DB_TRANSIENT);
	else
		hr_db_bind_null(st, i);
}

/*
 * The v6 query indexes (schema/index.sql keeps them in step): the 5 -> 6
 * step creates them, and the v7 step again after it rebuilds revision and
 * live_object.
 */
#define HR_INDEX_QUERY_INDEXES_SQL \
	"CREATE INDEX IF NOT EXISTS revision_body_latest ON revision(COALESCE(body_namespace, namespace)," \
	" COALESCE(body_name, name), is_current, is_live, version, body_namespace, namespace, body_name, name);" \
	"CREATE INDEX IF NOT EXISTS sighting_by_object ON sighting(object_name);" \
	"CREATE INDEX IF NOT EXISTS live_object_by_source ON live_object(source_id, api_group, kind);"
/*
 * revision.newest (v8): the rows helm list shows, kept by hr_index_finish so
 * that list reads them through the partial index revision_newest instead of
 * grouping every revision.  Bits, per release as helm list keys it
 * (cluster, COALESCE(body_namespace, namespace), COALESCE(body_name, name)):
 *   1  its newest current live row (list),
 *   2  its newest current row (list --include-deleted),
 *   4, 8  the same within each object namespace (list -n NS).
 * Newest: the highest version; on a tie, the row the v7 GROUP BY over
 * revision_body_latest kept (not live first, then body_namespace,
 * namespace, body_name, name and id ascending).  HR_INDEX_NEWEST_SELECT
 * gives (id, newest) for the rows of `revision r` that `rows` (a JOIN
 * and/or WHERE) selects: whole releases, or the bits are wrong.  Both
 * engines run it (index.c, index_pg.c).
 */
#define HR_INDEX_NEWEST_ORDER \
	" ORDER BY version DESC, is_live, body_namespace NULLS FIRST, namespace, body_name NULLS FIRST, name, id" \
	" ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)"
/* (a running count of the rows that qualify: the first to qualify is the newest; two window sorts, not four) */
#define HR_INDEX_NEWEST_SELECT(rows) \
	"SELECT id, CASE WHEN l = 1 AND COUNT(*) FILTER (WHERE l = 1) OVER wr = 1 THEN 1 ELSE 0 END" \
	" + CASE WHEN c = 1 AND COUNT(*) FILTER (WHERE c = 1) OVER wr = 1 THEN 2 ELSE 0 END" \
	" + CASE WHEN l = 1 AND COUNT(*) FILTER (WHERE l = 1) OVER wn = 1 THEN 4 ELSE 0 END" \
	" + CASE WHEN c = 1 AND COUNT(*) FILTER (WHERE c = 1) OVER wn = 1 THEN 8 ELSE 0 END AS newest" \
	" FROM (SELECT r.id, r.cluster, r.namespace, r.name, r.body_namespace, r.body_name, r.version, r.is_live," \
	" COALESCE(r.body_namespace, r.namespace) AS bns, COALESCE(r.body_name, r.name) AS bname," \
	" CASE WHEN r.is_current AND r.is_live THEN 1 ELSE 0 END AS l, CASE WHEN r.is_current THEN 1 ELSE 0 END AS c" \
	" FROM revision r " rows ") w" \
	" WINDOW wr AS (PARTITION BY cluster, bns, bname" HR_INDEX_NEWEST_ORDER "," \
	" wn AS (PARTITION BY cluster, namespace, bns, bname" HR_INDEX_NEWEST_ORDER
/*
 * The releases of the keys in temp.touched (hr_index_finish) into
 * temp.bodies, then their rows' bits into temp.newest, then revision.
 * The temporary tables are created by the engine's finish SQL.
 */
#define HR_INDEX_NEWEST_FINISH_SQL \
	"DELETE FROM temp.bodies;" \
	"INSERT OR IGNORE INTO temp.bodies SELECT DISTINCT r.cluster, COALESCE(r.body_namespace, r.namespace)," \
	"  COALESCE(r.body_name, r.name) FROM revision r JOIN temp.touched t USING(cluster, namespace, name, version);" \
	"DELETE FROM temp.newest;" \
	"INSERT INTO temp.newest(id, newest) " HR_INDEX_NEWEST_SELECT("JOIN temp.bodies b ON b.cluster = r.cluster" \
	"  AND b.bns = COALESCE(r.body_namespace, r.namespace) AND b.bname = COALESCE(r.body_name, r.name)") ";" \
	"UPDATE revision SET newest = n.newest FROM temp.newest n WHERE n.id = revision.id AND revision.newest <> n.newest;"
/*
 * What list reads (SQLite): covering, so the ~1 row in 10 it returns comes
 * from a few contiguous pages instead of one table page each.  PostgreSQL's
 * is narrower (schema/index-pg.sql): its index entries have a size limit
 * and descriptions can be long.
 */
#define HR_INDEX_NEWEST_INDEX_SQL \
	"CREATE INDEX IF NOT EXISTS revision_newest ON revision(namespace, newest, cluster, body_namespace, body_name," \
	" name, version, status, chart_name, chart_version, app_version, description, has_chart, first_deployed," \
	" last_deployed, deleted, apply_method, driver, is_live, conflict, state_order) WHERE newest > 0;"
/* The v7 → v8 step: the column, its bits for every row, and the partial index list reads. */
#define HR_INDEX_NEWEST_STEP_SQL(index) \
	"ALTER TABLE revision ADD COLUMN newest INTEGER NOT NULL DEFAULT 0;" \
	"UPDATE revision SET newest = n.newest FROM (" HR_INDEX_NEWEST_SELECT("") ") n" \
	" WHERE n.id = revision.id AND n.newest <> 0;" index
/* The v6 → v7 migration step (cluster.c). */
extern const char hr_index_cluster_step_sql[];
/*
 * What schema version `v` of an open index means (either engine): 1 it is
 * current, 0 it must be migrated (writable), or an error: newer than this
 * helmrec, or read-only and not current ("run helmrec scan").
 */
int hr_index_version_check(hr_index *idx, int v, hr_error *err);
int hr_index_dberr(hr_index *idx, hr_error *err, const char *what);
int hr_index_exec(hr_index *idx, const char *sql, hr_error *err);
/* Run `sql`, then `then` (the version it leaves), in one transaction (rolled back on failure). */
int hr_index_exec_tx(hr_index *idx, const char *sql, const char *then, hr_error *err);
/* Cached prepared statement in `slot`, reset and unbound. */
int hr_index_prepare(hr_index *idx, int slot, const char *sql, hr_db_stmt **out, hr_error *err);
/* Fill the derived tables (resource, hook, value) of a new body from rows built by the caller. */
int hr_index_derive(hr_index *idx, int64_t revision_id, const hr_derived *derived, hr_error *err);

#endif
