/*
 * db_int.h — what the two storage engines behind db.h implement (not
 * public): one table of operations per engine; db.c dispatches to it.
 */
#ifndef HR_INDEX_DB_INT_H
#define HR_INDEX_DB_INT_H

#include "index/db.h"

typedef struct hr_db_ops {
	void (*close)(hr_db *db);
	int (*exec)(hr_db *db, const char *sql);
	const char *(*errmsg)(hr_db *db);
	int64_t (*changes)(hr_db *db);
	int64_t (*last_insert_rowid)(hr_db *db);
	int (*prepare)(hr_db *db, const char *sql, int len, int persistent, hr_db_stmt **st, const char **tail);
	int (*step)(hr_db_stmt *st);
	int (*reset)(hr_db_stmt *st);
	int (*clear_bindings)(hr_db_stmt *st);
	void (*finalize)(hr_db_stmt *st);
	int (*stmt_readonly)(hr_db_stmt *st);
	const char *(*sql)(hr_db_stmt *st);
	int (*bind_parameter_count)(hr_db_stmt *st);
	int (*bind_text)(hr_db_stmt *st, int i, const char *s, int n, int lifetime);
	int (*bind_blob)(hr_db_stmt *st, int i, const void *p, size_t n, int lifetime);
	int (*bind_int64)(hr_db_stmt *st, int i, int64_t v);
	int (*bind_null)(hr_db_stmt *st, int i);
	int (*column_count)(hr_db_stmt *st);
	const char *(*column_name)(hr_db_stmt *st, int i);
	int (*column_type)(hr_db_stmt *st, int i);
	int64_t (*column_int64)(hr_db_stmt *st, int i);
	const unsigned char *(*column_text)(hr_db_stmt *st, int i);
	const void *(*column_blob)(hr_db_stmt *st, int i);
	int (*column_bytes)(hr_db_stmt *st, int i);
} hr_db_ops;

/*
 * An engine's table of operations from its functions named PREFIX_close,
 * PREFIX_exec, ... (the order above, written once).
 */
#define HR_DB_OPS_OF(p) { \
	p##_close, p##_exec, p##_errmsg, p##_changes, p##_last_insert_rowid, p##_prepare, \
	p##_step, p##_reset, p##_clear_bindings, p##_finalize, p##_stmt_readonly, p##_sql, \
	p##_bind_parameter_count, p##_bind_text, p##_bind_blob, p##_bind_int64, p##_bind_null, \
	p##_column_count, p##_column_name, p##_column_type, p##_column_int64, p##_column_text, \
	p##_column_blob, p##_column_bytes, \
}

/* The head of every engine's connection and statement. */
struct hr_db {
	const hr_db_ops *ops;
	int backend;
};
struct hr_db_stmt {
	hr_db *db;
};

int hr_db_sqlite_open(hr_db **out, const char *path, unsigned flags, int busy_ms, hr_error *err);
/*
 * hr_db_pg_translate, and *probe (malloc'd; NULL when not needed): the
 * same statement with every `$N IS [NOT] NULL` parameter written NULL, to
 * be described for the parameter types the other places give.
 */
int hr_db_pg_translate_probe(const char *sql, size_t len, char **out, char **probe, int *nparams);
/* Length of the first statement of sql[0, n), its ';' included. */
size_t hr_db_pg_stmt_len(const char *sql, size_t n);
int hr_db_pg_open(hr_db **out, const char *conninfo, unsigned flags, hr_error *err);

#endif
