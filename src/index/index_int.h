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
	ST_SOURCE_FIND, ST_SOURCE_INSERT, ST_SOURCE_END,
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
