/*
 * sql.c — read-only SQL over an index file, for `helmrec sql` and for the
 * shell completion's dynamic candidates (namespaces, releases, revisions).
 * Kept apart from the index's own reader and writer: it opens its own
 * connection, never creates or migrates a file, and refuses any statement
 * that would write (see sql.h).
 */
#include "index/sql.h"
#include "index/db.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct hr_index_sql {
	hr_db *db;
};

int hr_index_sql_open(hr_index_sql **out, const char *path, hr_error *err)
{
	hr_index_sql *s = NULL;
	struct stat st;
	int rc = 0;

	*out = NULL;
	if (!path || !*path || (!hr_db_is_pg(path) && stat(path, &st)))
		return hr_error_set(err, HR_ENOTFOUND, "%s: no such index (run helmrec scan first)", path ? path : "");
	s = calloc(1, sizeof(*s));
	if (!s)
		return hr_error_set(err, HR_ENOMEM, "out of memory");
	if ((rc = hr_db_open(&s->db, path, HR_DB_OPEN_READONLY, 2000, err))) {
		hr_error_prefix(err, rc, "%s: ", path);
		goto out;
	}
	/* PostgreSQL: every statement runs in a read-only transaction */
	if (hr_db_exec(s->db, hr_db_backend(s->db) == HR_DB_PG ? "SET default_transaction_read_only = on"
			: "PRAGMA query_only = 1") != HR_DB_OK) {
		rc = hr_error_set(err, HR_EDB, "%s: %s", path, hr_db_errmsg(s->db));
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
	hr_db_close(s->db);
	free(s);
}

static int kind_of(int t)
{
	switch (t) {
	case HR_DB_INTEGER: return HR_SQL_INT;
	case HR_DB_FLOAT: return HR_SQL_REAL;
	case HR_DB_BLOB: return HR_SQL_BLOB;
	case HR_DB_NULL: return HR_SQL_NULL;
	default: return HR_SQL_TEXT;
	}
}

/* Run one prepared statement, calling fn for its header and rows. */
static int run_stmt(hr_db *db, hr_db_stmt *st, const char *const *params, size_t nparams,
		    hr_sql_row_fn fn, void *user, hr_error *err)
{
	int ncol = hr_db_column_count(st), rc = 0, step;
	const char **names = calloc((size_t)ncol + 1, sizeof(*names));
	const char **values = calloc((size_t)ncol + 1, sizeof(*values));
	int *kinds = calloc((size_t)ncol + 1, sizeof(*kinds));
	hr_sql_row row = { ncol, names, NULL, kinds };

	if (!names || !values || !kinds) {
		rc = hr_error_set(err, HR_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < nparams && (int)i < hr_db_bind_parameter_count(st); i++)
		hr_db_bind_text(st, (int)i + 1, params[i], -1, HR_DB_STATIC);
	for (int c = 0; c < ncol; c++)
		names[c] = hr_db_column_name(st, c);
	if (ncol && fn(user, &row)) {
		rc = hr_error_set(err, HR_EIO, "output failed");
		goto out;
	}
	row.values = values;
	while ((step = hr_db_step(st)) == HR_DB_ROW) {
		for (int c = 0; c < ncol; c++) {
			kinds[c] = kind_of(hr_db_column_type(st, c));
			values[c] = kinds[c] == HR_SQL_NULL ? NULL : (const char *)hr_db_column_text(st, c);
		}
		if (fn(user, &row)) {
			rc = hr_error_set(err, HR_EIO, "output failed");
			goto out;
		}
	}
	if (step != HR_DB_DONE)
		rc = hr_error_set(err, HR_EDB, "%s", hr_db_errmsg(db));
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
	hr_db_stmt *st = NULL;
	int rc = 0;

	while (tail && *tail) {
		if (hr_db_prepare(s->db, tail, -1, &st, &tail) != HR_DB_OK) {
			rc = hr_error_set(err, HR_EINVAL, "%s", hr_db_errmsg(s->db));
			goto out;
		}
		if (!st)  /* whitespace or a comment */
			continue;
		if (!hr_db_stmt_readonly(st)) {
			rc = hr_error_set(err, HR_EINVAL, "the index is read-only here: refusing \"%.60s\" "
					  "(helmrec sql only reads; use sqlite3 on a copy to change it)", hr_db_sql(st));
			goto out;
		}
		rc = run_stmt(s->db, st, params, nparams, fn, user, err);
		hr_db_finalize(st);
		st = NULL;
		if (rc)
			goto out;
	}
out:
	hr_db_finalize(st);
	return rc;
}
