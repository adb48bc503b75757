/*
 * sql.h — the index for people and for shells: run SQL against an index
 * file strictly read-only (`helmrec sql`, shell completion).
 *
 * hr_index_sql_open() never creates a file: a missing index is an error.  The
 * connection is opened SQLITE_OPEN_READONLY with `PRAGMA query_only`, no
 * ATTACH, and every statement is checked with sqlite3_stmt_readonly() before
 * it runs, so a write is refused with a clear error before anything happens.
 *
 * Ownership: the handle from hr_index_sql_open() is closed with
 * hr_index_sql_close().  Row values passed to the callback are borrowed for
 * the duration of the call.
 */
#ifndef HR_INDEX_SQL_H
#define HR_INDEX_SQL_H

#include <stddef.h>
#include "util/error.h"

typedef struct hr_index_sql hr_index_sql;

/* Column kinds of a row value (SQLite's storage classes). */
enum { HR_SQL_INT = 1, HR_SQL_REAL, HR_SQL_TEXT, HR_SQL_BLOB, HR_SQL_NULL };

typedef struct hr_sql_row {
	int ncol;
	const char *const *names;   /* column names */
	const char *const *values;  /* text of each value; NULL for NULL */
	const int *kinds;           /* HR_SQL_* of each value */
} hr_sql_row;

/*
 * Called once per statement with `row->values` NULL (the header: names only,
 * so a query with no rows still has columns), then once per row.  Return 0
 * to go on, non-zero to stop (hr_index_sql_exec then returns HR_EIO).
 */
typedef int (*hr_sql_row_fn)(void *user, const hr_sql_row *row);

/* Open `path` read-only; HR_ENOTFOUND if it does not exist. */
int hr_index_sql_open(hr_index_sql **out, const char *path, hr_error *err);
void hr_index_sql_close(hr_index_sql *db);

/*
 * Run `sql` (one or more statements).  `params` (may be NULL) are bound as
 * text to ?1..?nparams of each statement.  A statement that would write
 * gives HR_EINVAL ("... is read-only ...") before it runs.
 */
int hr_index_sql_exec(hr_index_sql *db, const char *sql, const char *const *params, size_t nparams,
		      hr_sql_row_fn fn, void *user, hr_error *err);

#endif
