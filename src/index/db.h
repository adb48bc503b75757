/*
 * db.h — the index's storage interface: one connection and prepared
 * statement API over two engines, SQLite (db_sqlite.c, the embedded
 * default) and PostgreSQL through libpq (db_pg.c, for a fleet index that
 * many scanners write at once).
 *
 * The calls are shaped like SQLite's C API (prepare / bind / step / column
 * / reset / finalize) so the index code reads the same over both engines.
 * SQL is written once, in SQLite's dialect with numbered placeholders
 * `?N`; the PostgreSQL backend rewrites it (hr_db_pg_translate: `?N` →
 * `$N`, and the few SQLite-isms the index uses, see db_pg.c) before it
 * prepares a statement.
 *
 * Ownership: hr_db_open() returns a connection closed with hr_db_close();
 * a statement from hr_db_prepare() is finalized with hr_db_finalize()
 * (before its connection is closed).  Values returned by hr_db_column_*
 * and hr_db_errmsg are borrowed until the next step/reset/finalize (or the
 * next call on the connection).  A connection is used by one thread.
 */
#ifndef HR_INDEX_DB_H
#define HR_INDEX_DB_H

#include <stddef.h>
#include <stdint.h>
#include "util/error.h"

typedef struct hr_db hr_db;
typedef struct hr_db_stmt hr_db_stmt;

/* Result codes (SQLite's values, so a trace reads the same). */
enum { HR_DB_OK = 0, HR_DB_ERROR = 1, HR_DB_ROW = 100, HR_DB_DONE = 101 };
/* Column value kinds. */
enum { HR_DB_INTEGER = 1, HR_DB_FLOAT = 2, HR_DB_TEXT = 3, HR_DB_BLOB = 4, HR_DB_NULL = 5 };
/* Bound text/blob lifetime: HR_DB_STATIC = valid until the next step; TRANSIENT = copied now. */
enum { HR_DB_STATIC = 0, HR_DB_TRANSIENT = 1 };
/* Engines. */
enum { HR_DB_SQLITE = 1, HR_DB_PG = 2 };
/* Open flags. */
enum {
	HR_DB_OPEN_READONLY = 1u << 0,
	HR_DB_OPEN_URI = 1u << 1,     /* SQLite: `path` is a file: URI */
	HR_DB_OPEN_NOCREATE = 1u << 2 /* SQLite: read-write, but never create */
};

/*
 * 1 when `target` names a PostgreSQL database: a postgresql:// or
 * postgres:// URI, or a libpq keyword string ("host=... dbname=...").
 * Anything else is an SQLite path.
 */
int hr_db_is_pg(const char *target);

/*
 * Open `target` with the engine hr_db_is_pg() picks.  SQLite: a file path
 * (or ":memory:"), opened read-write unless HR_DB_OPEN_READONLY (the file
 * must exist; index.c creates it); `busy_ms` is the lock wait.  On failure
 * *out is NULL and err says why (HR_EDB).
 */
int hr_db_open(hr_db **out, const char *target, unsigned flags, int busy_ms, hr_error *err);
void hr_db_close(hr_db *db);
int hr_db_backend(const hr_db *db);

/*
 * Run one or more statements that return no rows.  HR_DB_OK or
 * HR_DB_ERROR (hr_db_errmsg says why).
 */
int hr_db_exec(hr_db *db, const char *sql);
const char *hr_db_errmsg(hr_db *db);
/* Rows changed by the last INSERT/UPDATE/DELETE statement. */
int64_t hr_db_changes(hr_db *db);
/* Id of the last row inserted on this connection (PostgreSQL: lastval()). */
int64_t hr_db_last_insert_rowid(hr_db *db);

/*
 * Prepare the first statement of `sql` (`len` -1 = NUL-terminated); *tail
 * (may be NULL) is set past it.  *st is NULL when `sql` held only blanks or
 * comments.  HR_DB_OK or HR_DB_ERROR.  The _persistent form hints that
 * the statement is cached for the whole connection.
 */
int hr_db_prepare(hr_db *db, const char *sql, int len, hr_db_stmt **st, const char **tail);
int hr_db_prepare_persistent(hr_db *db, const char *sql, int len, hr_db_stmt **st, const char **tail);
int hr_db_step(hr_db_stmt *st);          /* HR_DB_ROW, HR_DB_DONE or HR_DB_ERROR */
int hr_db_reset(hr_db_stmt *st);
int hr_db_clear_bindings(hr_db_stmt *st);
void hr_db_finalize(hr_db_stmt *st);     /* NULL is fine */
int hr_db_stmt_readonly(hr_db_stmt *st); /* 1 if it cannot write */
const char *hr_db_sql(hr_db_stmt *st);
int hr_db_bind_parameter_count(hr_db_stmt *st);

/* Parameters are numbered from 1; `n` -1 = NUL-terminated text; s NULL binds NULL. */
int hr_db_bind_text(hr_db_stmt *st, int i, const char *s, int n, int lifetime);
int hr_db_bind_blob(hr_db_stmt *st, int i, const void *p, size_t n, int lifetime);
int hr_db_bind_int64(hr_db_stmt *st, int i, int64_t v);
int hr_db_bind_int(hr_db_stmt *st, int i, int v);
int hr_db_bind_null(hr_db_stmt *st, int i);

/* Columns are numbered from 0. */
int hr_db_column_count(hr_db_stmt *st);
const char *hr_db_column_name(hr_db_stmt *st, int i);
int hr_db_column_type(hr_db_stmt *st, int i);
int64_t hr_db_column_int64(hr_db_stmt *st, int i);
int hr_db_column_int(hr_db_stmt *st, int i);
const unsigned char *hr_db_column_text(hr_db_stmt *st, int i);
const void *hr_db_column_blob(hr_db_stmt *st, int i);
int hr_db_column_bytes(hr_db_stmt *st, int i);

/*
 * PostgreSQL's form of `sql` (SQLite dialect, `?N` placeholders) into a
 * malloc'd string *out; *nparams = the highest N.  String literals, quoted
 * identifiers and comments are copied unchanged.  HR_ENOMEM.  Exposed for
 * the unit test.
 */
int hr_db_pg_translate(const char *sql, size_t len, char **out, int *nparams);

#endif
