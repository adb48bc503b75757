/*
 * db.c — the storage interface's dispatch (db.h): picks the engine for a
 * --db target and forwards each call to the engine's operation table.
 */
#include "index/db_int.h"

#include <string.h>

int hr_db_is_pg(const char *target)
{
	const char *p = target;

	if (!target)
		return 0;
	if (!strncmp(target, "postgresql://", 13) || !strncmp(target, "postgres://", 11))
		return 1;
	/* libpq keyword/value form: starts with "keyword=" ("host=/run/pg dbname=fleet") */
	while ((*p >= 'a' && *p <= 'z') || *p == '_')
		p++;
	return p > target && *p == '=';
}

int hr_db_open(hr_db **out, const char *target, unsigned flags, int busy_ms, hr_error *err)
{
	*out = NULL;
	if (hr_db_is_pg(target))
		return hr_db_pg_open(out, target, flags, err);
	return hr_db_sqlite_open(out, target, flags, busy_ms, err);
}

void hr_db_close(hr_db *db)
{
	if (db)
		db->ops->close(db);
}

int hr_db_backend(const hr_db *db) { return db->backend; }
int hr_db_exec(hr_db *db, const char *sql) { return db->ops->exec(db, sql); }
const char *hr_db_errmsg(hr_db *db) { return db->ops->errmsg(db); }
int64_t hr_db_changes(hr_db *db) { return db->ops->changes(db); }
int64_t hr_db_last_insert_rowid(hr_db *db) { return db->ops->last_insert_rowid(db); }

int hr_db_prepare(hr_db *db, const char *sql, int len, hr_db_stmt **st, const char **tail)
{
	return db->ops->prepare(db, sql, len, 0, st, tail);
}

int hr_db_prepare_persistent(hr_db *db, const char *sql, int len, hr_db_stmt **st, const char **tail)
{
	return db->ops->prepare(db, sql, len, 1, st, tail);
}

int hr_db_step(hr_db_stmt *st) { return st->db->ops->step(st); }
int hr_db_reset(hr_db_stmt *st) { return st->db->ops->reset(st); }
int hr_db_clear_bindings(hr_db_stmt *st) { return st->db->ops->clear_bindings(st); }

void hr_db_finalize(hr_db_stmt *st)
{
	if (st)
		st->db->ops->finalize(st);
}

int hr_db_stmt_readonly(hr_db_stmt *st) { return st->db->ops->stmt_readonly(st); }
const char *hr_db_sql(hr_db_stmt *st) { return st->db->ops->sql(st); }
int hr_db_bind_parameter_count(hr_db_stmt *st) { return st->db->ops->bind_parameter_count(st); }

int hr_db_bind_text(hr_db_stmt *st, int i, const char *s, int n, int lifetime)
{
	return s ? st->db->ops->bind_text(st, i, s, n, lifetime) : st->db->ops->bind_null(st, i);
}

int hr_db_bind_blob(hr_db_stmt *st, int i, const void *p, size_t n, int lifetime)
{
	return p ? st->db->ops->bind_blob(st, i, p, n, lifetime) : st->db->ops->bind_null(st, i);
}

int hr_db_bind_int64(hr_db_stmt *st, int i, int64_t v) { return st->db->ops->bind_int64(st, i, v); }
int hr_db_bind_int(hr_db_stmt *st, int i, int v) { return st->db->ops->bind_int64(st, i, v); }
int hr_db_bind_null(hr_db_stmt *st, int i) { return st->db->ops->bind_null(st, i); }
int hr_db_column_count(hr_db_stmt *st) { return st->db->ops->column_count(st); }
const char *hr_db_column_name(hr_db_stmt *st, int i) { return st->db->ops->column_name(st, i); }
int hr_db_column_type(hr_db_stmt *st, int i) { return st->db->ops->column_type(st, i); }
int64_t hr_db_column_int64(hr_db_stmt *st, int i) { return st->db->ops->column_int64(st, i); }
int hr_db_column_int(hr_db_stmt *st, int i) { return (int)st->db->ops->column_int64(st, i); }
const unsigned char *hr_db_column_text(hr_db_stmt *st, int i) { return st->db->ops->column_text(st, i); }
const void *hr_db_column_blob(hr_db_stmt *st, int i) { return st->db->ops->column_blob(st, i); }
int hr_db_column_bytes(hr_db_stmt *st, int i) { return st->db->ops->column_bytes(st, i); }
