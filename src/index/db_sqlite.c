/*
 * db_sqlite.c — the SQLite engine behind db.h: a thin veneer over the
 * sqlite3 C API, whose shape db.h copies (see there).  Statements prepared
 * "persistent" use SQLITE_PREPARE_PERSISTENT.
 */
#include "index/db_int.h"

#include <sqlite3.h>
#include <stdlib.h>

typedef struct lite_db {
	hr_db base;
	sqlite3 *db;
} lite_db;

typedef struct lite_stmt {
	hr_db_stmt base;
	sqlite3_stmt *st;
} lite_stmt;

#define LDB(d) (((lite_db *)(d))->db)
#define LST(s) (((lite_stmt *)(s))->st)

static int rc_of(int rc)
{
	switch (rc) {
	case SQLITE_OK: return HR_DB_OK;
	case SQLITE_ROW: return HR_DB_ROW;
	case SQLITE_DONE: return HR_DB_DONE;
	default: return HR_DB_ERROR;
	}
}

static void lite_close(hr_db *d)
{
	sqlite3_close(LDB(d));
	free(d);
}

static int lite_exec(hr_db *d, const char *sql)
{
	return rc_of(sqlite3_exec(LDB(d), sql, NULL, NULL, NULL));
}

static const char *lite_errmsg(hr_db *d) { return sqlite3_errmsg(LDB(d)); }
static int64_t lite_changes(hr_db *d) { return sqlite3_changes(LDB(d)); }
static int64_t lite_last_insert_rowid(hr_db *d) { return sqlite3_last_insert_rowid(LDB(d)); }

static int lite_prepare(hr_db *d, const char *sql, int len, int persistent, hr_db_stmt **out, const char **tail)
{
	sqlite3_stmt *st = NULL;
	lite_stmt *s;

	*out = NULL;
	if (sqlite3_prepare_v3(LDB(d), sql, len, persistent ? SQLITE_PREPARE_PERSISTENT : 0, &st, tail) != SQLITE_OK)
		return HR_DB_ERROR;
	if (!st)
		return HR_DB_OK;
	if (!(s = calloc(1, sizeof(*s)))) {
		sqlite3_finalize(st);
		return HR_DB_ERROR;
	}
	s->base.db = d;
	s->st = st;
	*out = &s->base;
	return HR_DB_OK;
}

static int lite_step(hr_db_stmt *s) { return rc_of(sqlite3_step(LST(s))); }
static int lite_reset(hr_db_stmt *s) { return rc_of(sqlite3_reset(LST(s))); }
static int lite_clear_bindings(hr_db_stmt *s) { return rc_of(sqlite3_clear_bindings(LST(s))); }

static void lite_finalize(hr_db_stmt *s)
{
	sqlite3_finalize(LST(s));
	free(s);
}

static int lite_stmt_readonly(hr_db_stmt *s) { return sqlite3_stmt_readonly(LST(s)); }
static const char *lite_sql(hr_db_stmt *s) { return sqlite3_sql(LST(s)); }
static int lite_bind_parameter_count(hr_db_stmt *s) { return sqlite3_bind_parameter_count(LST(s)); }

static int lite_bind_text(hr_db_stmt *s, int i, const char *t, int n, int lifetime)
{
	return rc_of(sqlite3_bind_text(LST(s), i, t, n, lifetime == HR_DB_STATIC ? SQLITE_STATIC : SQLITE_TRANSIENT));
}

static int lite_bind_blob(hr_db_stmt *s, int i, const void *p, size_t n, int lifetime)
{
	return rc_of(sqlite3_bind_blob64(LST(s), i, p, n, lifetime == HR_DB_STATIC ? SQLITE_STATIC : SQLITE_TRANSIENT));
}

static int lite_bind_int64(hr_db_stmt *s, int i, int64_t v) { return rc_of(sqlite3_bind_int64(LST(s), i, v)); }
static int lite_bind_null(hr_db_stmt *s, int i) { return rc_of(sqlite3_bind_null(LST(s), i)); }
static int lite_column_count(hr_db_stmt *s) { return sqlite3_column_count(LST(s)); }
static const char *lite_column_name(hr_db_stmt *s, int i) { return sqlite3_column_name(LST(s), i); }

static int lite_column_type(hr_db_stmt *s, int i)
{
	switch (sqlite3_column_type(LST(s), i)) {
	case SQLITE_INTEGER: return HR_DB_INTEGER;
	case SQLITE_FLOAT: return HR_DB_FLOAT;
	case SQLITE_BLOB: return HR_DB_BLOB;
	case SQLITE_NULL: return HR_DB_NULL;
	default: return HR_DB_TEXT;
	}
}

static int64_t lite_column_int64(hr_db_stmt *s, int i) { return sqlite3_column_int64(LST(s), i); }
static const unsigned char *lite_column_text(hr_db_stmt *s, int i) { return sqlite3_column_text(LST(s), i); }
static const void *lite_column_blob(hr_db_stmt *s, int i) { return sqlite3_column_blob(LST(s), i); }
static int lite_column_bytes(hr_db_stmt *s, int i) { return sqlite3_column_bytes(LST(s), i); }

static const hr_db_ops lite_ops = HR_DB_OPS_OF(lite);

int hr_db_sqlite_open(hr_db **out, const char *path, unsigned flags, int busy_ms, hr_error *err)
{
	lite_db *d = calloc(1, sizeof(*d));
	int oflags = (flags & HR_DB_OPEN_READONLY) ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;

	*out = NULL;
	if (!d)
		return hr_error_set(err, HR_ENOMEM, "out of memory");
	d->base.ops = &lite_ops;
	d->base.backend = HR_DB_SQLITE;
	if (flags & HR_DB_OPEN_URI)
		oflags |= SQLITE_OPEN_URI;
	if (sqlite3_open_v2(path, &d->db, oflags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		int rc = hr_error_set(err, HR_EDB, "%s", d->db ? sqlite3_errmsg(d->db) : "out of memory");

		sqlite3_close(d->db);
		free(d);
		return rc;
	}
	if (busy_ms > 0)
		sqlite3_busy_timeout(d->db, busy_ms);
	/* no ATTACH through a read-only connection (helmrec sql) */
	if (flags & HR_DB_OPEN_READONLY)
		sqlite3_limit(d->db, SQLITE_LIMIT_ATTACHED, 0);
	*out = &d->base;
	return 0;
}
