/*
 * db_pg_int.h — the PostgreSQL engine's connection and statement (db_pg.c)
 * and its pipeline of queued writes (db_pg_pipe.c); internal to src/index/.
 */
#ifndef HR_INDEX_DB_PG_INT_H
#define HR_INDEX_DB_PG_INT_H

#include "index/db_int.h"
#include "index/db_pg_lib.h"

#include <libpq-fe.h>

/*
 * libpq is never linked: every call goes through the table db_pg_lib.c
 * fills when a PostgreSQL index is first opened (hr_pq.PQexec(...)); a
 * direct PQ* call would not link.  The functions are listed once, in
 * HR_PQ_FUNCS (db_pg_lib.h).
 */

enum { OID_BOOL = 16, OID_BYTEA = 17, OID_INT8 = 20, OID_INT2 = 21, OID_INT4 = 23, OID_TEXT = 25,
       OID_OID = 26, OID_FLOAT4 = 700, OID_FLOAT8 = 701, OID_NUMERIC = 1700 };

/* statements queued before the pipeline is synced (their results are a few bytes each) */
#define PIPE_MAX 256

typedef struct pg_db {
	hr_db base;
	PGconn *conn;
	char *err;
	int64_t changes;
	unsigned names;  /* prepared statement names handed out */
	int piped;       /* in pipeline mode */
	int pending;     /* results owed by the pipeline */
	char what[PIPE_MAX][48];  /* the queued statements' beginnings, for an error */
} pg_db;

typedef struct pg_stmt {
	hr_db_stmt base;
	char *orig, *sql;
	int nparams;
	char **vals;
	int *lens, *fmts;
	unsigned char *owned;
	Oid *types;
	int persistent, prepared;
	int queueable;  /* persistent and returns no rows: may be queued (pipeline) */
	char name[24];
	PGresult *res, *desc;
	int row, nrows;
	unsigned char *blob;  /* unescaped bytea of (row, blob_col) */
	size_t blob_len;
	int blob_row, blob_col;
} pg_stmt;

#define PDB(d) ((pg_db *)(d))
#define PST(s) ((pg_stmt *)(s))

/* Replace the connection's error message with msg (copied; a trailing newline dropped). */
void hr_db_pg_set_err(pg_db *d, const char *msg);
/*
 * Sync the pipeline, read every queued result and leave pipeline mode (no-op
 * outside it).  HR_DB_OK, or HR_DB_ERROR with the first failed statement named.
 */
int hr_db_pg_flush(pg_db *d);
/* Queue statement s (bound, queueable) in the pipeline: HR_DB_DONE or HR_DB_ERROR. */
int hr_db_pg_queue(pg_db *d, pg_stmt *s);

#endif
