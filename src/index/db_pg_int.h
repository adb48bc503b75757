/*
 * db_pg_int.h — the PostgreSQL engine's connection and statement (db_pg.c)
 * and its pipeline of queued writes (db_pg_pipe.c); internal to src/index/.
 */
#ifndef HR_INDEX_DB_PG_INT_H
#define HR_INDEX_DB_PG_INT_H

#include "index/db_int.h"
#include "index/db_pg_lib.h"

#include <libpq-fe.h>

/* libpq through the table db_pg_lib.c fills (loaded by hr_db_pg_open), never linked */
#define PQclear hr_pq.PQclear
#define PQcmdTuples hr_pq.PQcmdTuples
#define PQconnectdb hr_pq.PQconnectdb
#define PQdescribePrepared hr_pq.PQdescribePrepared
#define PQenterPipelineMode hr_pq.PQenterPipelineMode
#define PQerrorMessage hr_pq.PQerrorMessage
#define PQexec hr_pq.PQexec
#define PQexecParams hr_pq.PQexecParams
#define PQexecPrepared hr_pq.PQexecPrepared
#define PQexitPipelineMode hr_pq.PQexitPipelineMode
#define PQfinish hr_pq.PQfinish
#define PQfname hr_pq.PQfname
#define PQfreemem hr_pq.PQfreemem
#define PQftype hr_pq.PQftype
#define PQgetResult hr_pq.PQgetResult
#define PQgetisnull hr_pq.PQgetisnull
#define PQgetlength hr_pq.PQgetlength
#define PQgetvalue hr_pq.PQgetvalue
#define PQnfields hr_pq.PQnfields
#define PQnparams hr_pq.PQnparams
#define PQntuples hr_pq.PQntuples
#define PQparamtype hr_pq.PQparamtype
#define PQpipelineSync hr_pq.PQpipelineSync
#define PQprepare hr_pq.PQprepare
#define PQresultErrorMessage hr_pq.PQresultErrorMessage
#define PQresultStatus hr_pq.PQresultStatus
#define PQsendPrepare hr_pq.PQsendPrepare
#define PQsendQueryPrepared hr_pq.PQsendQueryPrepared
#define PQsetNoticeProcessor hr_pq.PQsetNoticeProcessor
#define PQstatus hr_pq.PQstatus
#define PQtransactionStatus hr_pq.PQtransactionStatus
#define PQunescapeBytea hr_pq.PQunescapeBytea

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
