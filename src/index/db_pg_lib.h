/*
 * db_pg_lib.h — libpq, loaded when the first PostgreSQL index is opened
 * (not linked): libpq and what it pulls in (Kerberos, LDAP, GnuTLS, ...)
 * cost every command ~3-5 ms of process start, and only `--db
 * postgresql://` needs them.  Internal to the PostgreSQL engine (db_pg_int.h).
 */
#ifndef HR_INDEX_DB_PG_LIB_H
#define HR_INDEX_DB_PG_LIB_H

#include "util/error.h"

#include <libpq-fe.h>

/* The libpq functions db_pg.c and db_pg_pipe.c call. */
#define HR_PQ_FUNCS(X) \
	X(PQclear) X(PQresultStatus) X(PQgetvalue) X(PQgetisnull) X(PQftype) X(PQprepare) X(PQexec) \
	X(PQntuples) X(PQnfields) X(PQfreemem) X(PQexecPrepared) X(PQexecParams) X(PQerrorMessage) \
	X(PQdescribePrepared) X(PQunescapeBytea) X(PQstatus) X(PQsetNoticeProcessor) \
	X(PQresultErrorMessage) X(PQparamtype) X(PQnparams) X(PQgetlength) X(PQfname) X(PQfinish) \
	X(PQconnectdb) X(PQcmdTuples) X(PQtransactionStatus) X(PQenterPipelineMode) X(PQexitPipelineMode) \
	X(PQpipelineSync) X(PQgetResult) X(PQsendPrepare) X(PQsendQueryPrepared)

typedef struct hr_pq_api {
#define HR_PQ_MEMBER(f) __typeof__(f) *f;
	HR_PQ_FUNCS(HR_PQ_MEMBER)
#undef HR_PQ_MEMBER
} hr_pq_api;

/* Filled by hr_pq_load; valid once it has returned 0. */
extern hr_pq_api hr_pq;

/* Load libpq once (thread-safe); 0, or HR_EDB with dlerror's reason in err. */
int hr_pq_load(hr_error *err);

#endif
