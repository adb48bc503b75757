/*
 * db_pg_pipe.c — the PostgreSQL engine's bulk writes: inside a
 * transaction, a cached statement that returns no rows is queued in libpq's
 * pipeline mode instead of waited for (db_pg.c decides which, and syncs the
 * queue before anything that needs an answer).  The queue is synced every
 * PIPE_MAX statements, so that the few bytes of each result never fill the
 * socket while the client is still sending.
 */
#include "index/db_pg_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int hr_db_pg_flush(pg_db *d)
{
	int rc = HR_DB_OK;
	char msg[512];

	if (!d->piped)
		return HR_DB_OK;
	if (!hr_pq.PQpipelineSync(d->conn)) {
		hr_db_pg_set_err(d, hr_pq.PQerrorMessage(d->conn));
		rc = HR_DB_ERROR;
	}
	for (int i = 0; i < d->pending && hr_pq.PQstatus(d->conn) == CONNECTION_OK; i++) {
		PGresult *r;

		while ((r = hr_pq.PQgetResult(d->conn))) {
			ExecStatusType t = hr_pq.PQresultStatus(r);

			if (t == PGRES_COMMAND_OK && *hr_pq.PQcmdTuples(r))
				d->changes = strtoll(hr_pq.PQcmdTuples(r), NULL, 10);  /* the last statement's */
			if (rc == HR_DB_OK && t != PGRES_COMMAND_OK && t != PGRES_TUPLES_OK &&
			    t != PGRES_PIPELINE_ABORTED) {
				const char *m = hr_pq.PQresultErrorMessage(r);

				/* its first line (ERROR: …), then which statement */
				snprintf(msg, sizeof(msg), "%.*s (queued statement: %s…)", (int)strcspn(m, "\n"), m,
					 d->what[i]);
				hr_db_pg_set_err(d, msg);
				rc = HR_DB_ERROR;
			}
			hr_pq.PQclear(r);
		}
	}
	/* then the sync's own result */
	for (PGresult *r; (r = hr_pq.PQgetResult(d->conn));) {
		int sync = hr_pq.PQresultStatus(r) == PGRES_PIPELINE_SYNC;

		hr_pq.PQclear(r);
		if (sync)
			break;
	}
	d->pending = 0;
	if (!hr_pq.PQexitPipelineMode(d->conn) && rc == HR_DB_OK) {
		hr_db_pg_set_err(d, hr_pq.PQerrorMessage(d->conn));
		rc = HR_DB_ERROR;
	}
	d->piped = 0;
	return rc;
}

/* Note a queued statement (or its preparation), beginning `sql`. */
static void queued(pg_db *d, const char *sql)
{
	size_t n = strlen(sql), cap = sizeof(d->what[0]) - 1;

	if (n > cap)
		n = cap;
	memcpy(d->what[d->pending], sql, n);
	d->what[d->pending][n] = 0;
	d->pending++;
}

int hr_db_pg_queue(pg_db *d, pg_stmt *s)
{
	if (d->pending + 2 > PIPE_MAX && hr_db_pg_flush(d) != HR_DB_OK)
		return HR_DB_ERROR;
	if (!d->piped) {
		if (!hr_pq.PQenterPipelineMode(d->conn)) {
			hr_db_pg_set_err(d, hr_pq.PQerrorMessage(d->conn));
			return HR_DB_ERROR;
		}
		d->piped = 1;
	}
	if (!s->prepared) {
		if (!hr_pq.PQsendPrepare(d->conn, s->name, s->sql, s->nparams, s->types)) {
			hr_db_pg_set_err(d, hr_pq.PQerrorMessage(d->conn));
			return HR_DB_ERROR;
		}
		queued(d, s->orig);
		s->prepared = 1;
	}
	if (!hr_pq.PQsendQueryPrepared(d->conn, s->name, s->nparams, (const char *const *)s->vals, s->lens, s->fmts, 0)) {
		hr_db_pg_set_err(d, hr_pq.PQerrorMessage(d->conn));
		return HR_DB_ERROR;
	}
	queued(d, s->orig);
	return HR_DB_DONE;
}
