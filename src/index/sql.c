/*
 * sql.c — read-only SQL over an index file, for `helmrec sql` and for the
 * shell completion's dynamic candidates (namespaces, releases, revisions).
 * Kept apart from the index's own reader and writer: it opens its own
 * connection, never creates or migrates a file, and refuses any statement
 * that would write (see sql.h).
 */
#include "index/sql.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct hr_index_sql {
	sqlite3 *db;
};

int hr_index_sql_open(hr_index_sql **out, const char *path, hr_error *err)
{
	hr_index_sql *s = NULL;
	struct stat st;
	int rc = 0;

	*out = NULL;
	if (!path || !*path || stat(path, &st))
		return hr_error_set(err, HR_ENOTFOUND, "%s: no such index (run helmrec scan first)", path ? path : "");
	s = calloc(1, sizeof(*s));
	if (!s)
		return hr_error_set(err, HR_ENOMEM, "out of memory");
	if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		rc = hr_error_set(err, HR_EDB, "%s: %s", path, s->db ? sqlite3_errmsg(s->db) : "cannot open");
		goto out;
	}
	sqlite3_limit(s->db, SQLITE_LIMIT_ATTACHED, 0);
	sqlite3_busy_timeout(s->db, 2000);
	if (sqlite3_exec(s->db, "PRAGMA query_only = 1", NULL, NULL, NULL) != SQLITE_OK) {
		rc = hr_error_set(err, HR_EDB, "%s: %s", path, sqlite3_errmsg(s->db));
		goto out;
	}
out:
	if (rc) {
		hr_index_sql_close(s);
		return rc;
	}
	*out = s;
	return 0;
}

void hr_index_sql_close(hr_index_sql *s)
{
	if (!s)
		return;
	sqlite3_close(s->db);
	free(s);
}

static int kind_of(int t)
{
	switch (t) {
	case SQLITE_INTEGER: return HR_SQL_INT;
	case SQLITE_FLOAT: return HR_SQL_REAL;
	case SQLITE_BLOB: return HR_SQL_BLOB;
	case SQLITE_NULL: return HR_SQL_NULL;
	default: return HR_SQL_TEXT;
	}
}

/* Run one prepared statement, calling fn for its header and rows. */
static int run_stmt(sqlite3 *db, sqlite3_stmt *st, const char *const *params, size_t nparams,
		    hr_sql_row_fn fn, void *user, hr_error *err)
{
	int ncol = sqlite3_column_count(st), rc = 0, step;
	const char **names = calloc((size_t)ncol + 1, sizeof(*names));
	const char **values = calloc((size_t)ncol + 1, sizeof(*values));
	int *kinds = calloc((size_t)ncol + 1, sizeof(*kinds));
	hr_sql_row row = { ncol, names, NULL, kinds };

	if (!names || !values || !kinds) {
		rc = hr_error_set(err, HR_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < nparams && (int)i < sqlite3_bind_parameter_count(st); i++)
		sqlite3_bind_text(st, (int)i + 1, params[i], -1, SQLITE_STATIC);
	for (int c = 0; c < ncol; c++)
		names[c] = sqlite3_column_name(st, c);
	if (ncol && fn(user, &row)) {
		rc = hr_error_set(err, HR_EIO, "output failed");
		goto out;
	}
	row.values = values;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		for (int c = 0; c < ncol; c++) {
			kinds[c] = kind_of(sqlite3_column_type(st, c));
			values[c] = kinds[c] == HR_SQL_NULL ? NULL : (const char *)sqlite3_column_text(st, c);
		}
		if (fn(user, &row)) {
			rc = hr_error_set(err, HR_EIO, "output failed");
			goto out;
		}
	}
	if (step != SQLITE_DONE)
		rc = hr_error_set(err, HR_EDB, "%s", sqlite3_errmsg(db));
out:
	free(names);
	free(values);
	free(kinds);
	return rc;
}

int hr_index_sql_exec(hr_index_sql *s, const char *sql, const char *const *params, size_t nparams,
		      hr_sql_row_fn fn, void *user, hr_error *err)
{
	const char *tail = sql;
	sqlite3_stmt *st = NULL;
	int rc = 0;

	while (tail && *tail) {
		if (sqlite3_prepare_v2(s->db, tail, -1, &st, &tail) != SQLITE_OK) {
			rc = hr_error_set(err, HR_EINVAL, "%s", sqlite3_errmsg(s->db));
			goto out;
		}
		if (!st)  /* whitespace or a comment */
			continue;
		if (!sqlite3_stmt_readonly(st)) {
			rc = hr_error_set(err, HR_EINVAL, "the index is read-only here: refusing \"%.60s\" "
					  "(helmrec sql only reads; use sqlite3 on a copy to change it)", sqlite3_sql(st));
			goto out;
		}
		rc = run_stmt(s->db, st, params, nparams, fn, user, err);
		sqlite3_finalize(st);
		st = NULL;
		if (rc)
			goto out;
	}
out:
	sqlite3_finalize(st);
	return rc;
}
