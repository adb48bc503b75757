/*
 * db_pg.c — the PostgreSQL engine behind db.h, over libpq.
 *
 * A statement is translated once (db_pg_sql.c) and run with the extended
 * protocol: a "persistent" statement (the index's cached inserts) is
 * PQprepare'd once per connection and run with PQexecPrepared; any other
 * runs with PQexecParams (one round trip).  Parameters travel as text,
 * blobs as binary; results come back as text (bytea unescaped on demand,
 * booleans read as 1/0 like SQLite's integers).  The whole result set of a
 * step is fetched at once and handed out row by row.
 *
 * Bulk writes: inside a transaction, a cached statement that returns no
 * rows (the scan's INSERTs without RETURNING, UPDATEs) is not waited for:
 * it is queued in libpq's pipeline mode and its step answers DONE at once.
 * The queue is synced and its results read before anything that needs an
 * answer (another statement, exec — COMMIT included —, a description) and
 * every PIPE_MAX statements, so a batch costs a few round trips instead of
 * one per row.  A queued statement's error surfaces at that point, naming
 * the statement, and the transaction is then aborted as it would have been.
 */
#include "index/db_pg_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void hr_db_pg_set_err(pg_db *d, const char *msg)
{
	size_t n;

	free(d->err);
	d->err = strdup(msg && *msg ? msg : "PostgreSQL error");
	if (d->err && (n = strlen(d->err)) && d->err[n - 1] == '\n')
		d->err[n - 1] = 0;
}

static void pg_close(hr_db *db)
{
	hr_pq.PQfinish(PDB(db)->conn);
	free(PDB(db)->err);
	free(db);
}

static int result_rc(pg_db *d, PGresult *r)
{
	ExecStatusType t = hr_pq.PQresultStatus(r);

	if (t == PGRES_EMPTY_QUERY) {
		d->changes = 0;
		return HR_DB_OK;
	}
	if (t == PGRES_COMMAND_OK || t == PGRES_TUPLES_OK) {
		const char *c = hr_pq.PQcmdTuples(r);

		d->changes = c && *c ? strtoll(c, NULL, 10) : 0;
		return HR_DB_OK;
	}
	hr_db_pg_set_err(d, hr_pq.PQresultErrorMessage(r));
	return HR_DB_ERROR;
}

static int pg_exec(hr_db *db, const char *sql)
{
	pg_db *d = PDB(db);
	size_t n = strlen(sql);

	if (hr_db_pg_flush(d) != HR_DB_OK)
		return HR_DB_ERROR;
	while (n) {
		size_t k = hr_db_pg_stmt_len(sql, n);
		char *t = NULL;
		int np, rc;
		PGresult *r;

		if (hr_db_pg_translate(sql, k, &t, &np)) {
			hr_db_pg_set_err(d, "out of memory");
			return HR_DB_ERROR;
		}
		r = hr_pq.PQexec(d->conn, t);
		free(t);
		rc = result_rc(d, r);
		hr_pq.PQclear(r);
		if (rc != HR_DB_OK)
			return rc;
		sql += k;
		n -= k;
	}
	return HR_DB_OK;
}

static const char *pg_errmsg(hr_db *db)
{
	return PDB(db)->err ? PDB(db)->err : hr_pq.PQerrorMessage(PDB(db)->conn);
}

/* (a queued statement's count is known once the pipeline is synced) */
static int64_t pg_changes(hr_db *db)
{
	return hr_db_pg_flush(PDB(db)) == HR_DB_OK ? PDB(db)->changes : 0;
}

static int64_t pg_last_insert_rowid(hr_db *db)
{
	PGresult *r;
	int64_t v = 0;

	if (hr_db_pg_flush(PDB(db)) != HR_DB_OK)
		return 0;
	r = hr_pq.PQexec(PDB(db)->conn, "SELECT lastval()");
	if (hr_pq.PQresultStatus(r) == PGRES_TUPLES_OK && hr_pq.PQntuples(r) == 1)
		v = strtoll(hr_pq.PQgetvalue(r, 0, 0), NULL, 10);
	hr_pq.PQclear(r);
	return v;
}

/* Only blanks and comments in sql[0, n)? */
static int blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '-' && i + 1 < n && s[i + 1] == '-') {
			while (i < n && s[i] != '\n')
				i++;
		} else if (s[i] == '/' && i + 1 < n && s[i + 1] == '*') {
			for (i += 2; i + 1 < n && !(s[i] == '*' && s[i + 1] == '/'); i++)
				;
			i++;
		} else if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r' && s[i] != ';') {
			return 0;
		}
	}
	return 1;
}

static void stmt_free(pg_stmt *s);

static int pg_prepare(hr_db *db, const char *sql, int len, int persistent, hr_db_stmt **out, const char **tail)
{
	pg_db *d = PDB(db);
	size_t n = len < 0 ? strlen(sql) : (size_t)len, k;
	char *probe = NULL;
	pg_stmt *s;

	*out = NULL;
	for (;;) {
		k = hr_db_pg_stmt_len(sql, n);
		if (!k || !blank(sql, k))
			break;
		sql += k;
		n -= k;
	}
	if (tail)
		*tail = sql + k;
	if (!k)
		return HR_DB_OK;
	if (!(s = calloc(1, sizeof(*s))) || !(s->orig = strndup(sql, k)) ||
	    hr_db_pg_translate_probe(sql, k, &s->sql, &probe, &s->nparams)) {
		stmt_free(s);
		hr_db_pg_set_err(d, "out of memory");
		return HR_DB_ERROR;
	}
	s->base.db = db;
	s->persistent = persistent;
	if (s->nparams &&
	    (!(s->vals = calloc((size_t)s->nparams, sizeof(*s->vals))) ||
	     !(s->lens = calloc((size_t)s->nparams, sizeof(*s->lens))) ||
	     !(s->fmts = calloc((size_t)s->nparams, sizeof(*s->fmts))) ||
	     !(s->owned = calloc((size_t)s->nparams, 1)) || !(s->types = calloc((size_t)s->nparams, sizeof(Oid))))) {
		free(probe);
		stmt_free(s);
		hr_db_pg_set_err(d, "out of memory");
		return HR_DB_ERROR;
	}
	/* a parameter that no place gives a type (never named, or only tested for NULL) is text */
	for (int i = 0; i < s->nparams; i++) {
		char ref[16];
		const char *p = probe ? probe : s->sql;
		int seen = 0;

		snprintf(ref, sizeof(ref), "$%d", i + 1);
		while (!seen && (p = strstr(p, ref))) {
			p += strlen(ref);
			seen = *p < '0' || *p > '9';
		}
		s->types[i] = seen ? 0 : OID_TEXT;
	}
	if (probe && hr_db_pg_flush(d) != HR_DB_OK) {
		free(probe);
		stmt_free(s);
		return HR_DB_ERROR;
	}
	if (probe) {
		/* PostgreSQL infers nothing from `$N IS NULL`: ask it what the other places say */
		PGresult *r = hr_pq.PQprepare(d->conn, "", probe, s->nparams, s->types), *desc = NULL;

		if (hr_pq.PQresultStatus(r) == PGRES_COMMAND_OK && (desc = hr_pq.PQdescribePrepared(d->conn, "")) &&
		    hr_pq.PQresultStatus(desc) == PGRES_COMMAND_OK)
			for (int i = 0; i < s->nparams && i < hr_pq.PQnparams(desc); i++)
				s->types[i] = hr_pq.PQparamtype(desc, i);
		hr_pq.PQclear(r);
		hr_pq.PQclear(desc);
		free(probe);
	}
	if (persistent)
		snprintf(s->name, sizeof(s->name), "hr%u", ++d->names);
	s->queueable = persistent && !strstr(s->sql, "RETURNING") &&
		       (!strncasecmp(s->sql, "INSERT", 6) || !strncasecmp(s->sql, "UPDATE", 6) ||
			!strncasecmp(s->sql, "DELETE", 6));
	s->blob_row = -1;
	*out = &s->base;
	return HR_DB_OK;
}

static void drop_result(pg_stmt *s)
{
	hr_pq.PQclear(s->res);
	s->res = NULL;
	hr_pq.PQfreemem(s->blob);
	s->blob = NULL;
	s->blob_row = -1;
}

static int pg_step(hr_db_stmt *st)
{
	pg_stmt *s = PST(st);
	pg_db *d = PDB(st->db);
	int rc;

	if (!s->res) {
		if (s->queueable && (d->piped || hr_pq.PQtransactionStatus(d->conn) == PQTRANS_INTRANS))
			return hr_db_pg_queue(d, s);
		if (hr_db_pg_flush(d) != HR_DB_OK)
			return HR_DB_ERROR;
		if (s->persistent && !s->prepared) {
			PGresult *r = hr_pq.PQprepare(d->conn, s->name, s->sql, s->nparams, s->types);

			rc = result_rc(d, r);
			hr_pq.PQclear(r);
			if (rc != HR_DB_OK)
				return rc;
			s->prepared = 1;
		}
		s->res = s->persistent ?
			hr_pq.PQexecPrepared(d->conn, s->name, s->nparams, (const char *const *)s->vals, s->lens, s->fmts, 0) :
			hr_pq.PQexecParams(d->conn, s->sql, s->nparams, s->types, (const char *const *)s->vals, s->lens,
				     s->fmts, 0);
		if ((rc = result_rc(d, s->res)) != HR_DB_OK) {
			drop_result(s);
			return rc;
		}
		s->nrows = hr_pq.PQresultStatus(s->res) == PGRES_TUPLES_OK ? hr_pq.PQntuples(s->res) : 0;
		s->row = -1;
	}
	if (s->row + 1 < s->nrows) {
		s->row++;
		return HR_DB_ROW;
	}
	s->row = s->nrows;
	return HR_DB_DONE;
}

static int pg_reset(hr_db_stmt *st)
{
	drop_result(PST(st));
	return HR_DB_OK;
}

static void unbind(pg_stmt *s, int i)
{
	if (s->owned[i])
		free(s->vals[i]);
	s->vals[i] = NULL;
	s->owned[i] = 0;
	s->lens[i] = 0;
	s->fmts[i] = 0;
}

static int pg_clear_bindings(hr_db_stmt *st)
{
	pg_stmt *s = PST(st);

	for (int i = 0; i < s->nparams; i++)
		unbind(s, i);
	return HR_DB_OK;
}

static void stmt_free(pg_stmt *s)
{
	if (!s)
		return;
	drop_result(s);
	hr_pq.PQclear(s->desc);
	if (s->vals && s->lens && s->fmts && s->owned)
		pg_clear_bindings(&s->base);
	free(s->vals);
	free(s->lens);
	free(s->fmts);
	free(s->owned);
	free(s->types);
	free(s->orig);
	free(s->sql);
	free(s);
}

static void pg_finalize(hr_db_stmt *st)
{
	pg_stmt *s = PST(st);

	if (s->prepared && hr_db_pg_flush(PDB(st->db)) == HR_DB_OK) {
		char sql[48];

		snprintf(sql, sizeof(sql), "DEALLOCATE %s", s->name);
		hr_pq.PQclear(hr_pq.PQexec(PDB(st->db)->conn, sql));
	}
	stmt_free(s);
}

static int pg_stmt_readonly(hr_db_stmt *st)
{
	static const char *const ro[] = { "SELECT", "WITH", "VALUES", "EXPLAIN", "SHOW", "TABLE" };
	const char *p = PST(st)->sql;

	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '(')
		p++;
	for (size_t i = 0; i < sizeof(ro) / sizeof(ro[0]); i++)
		if (!strncasecmp(p, ro[i], strlen(ro[i])))
			return 1;
	return 0;
}

static const char *pg_sql(hr_db_stmt *st) { return PST(st)->orig; }
static int pg_bind_parameter_count(hr_db_stmt *st) { return PST(st)->nparams; }

/* Bind p[0, n) (copied when `copy`) as parameter i in format `fmt`. */
static int bind(hr_db_stmt *st, int i, const void *p, size_t n, int copy, int fmt)
{
	pg_stmt *s = PST(st);

	if (i < 1 || i > s->nparams)
		return HR_DB_ERROR;  /* SQLite's SQLITE_RANGE: callers ignore it */
	if (n > (size_t)0x7fffffff)
		return HR_DB_ERROR;
	unbind(s, i - 1);
	if (copy) {
		char *c = malloc(n + 1);

		if (!c)
			return HR_DB_ERROR;
		memcpy(c, p, n);
		c[n] = 0;
		p = c;
		s->owned[i - 1] = 1;
	}
	s->vals[i - 1] = (char *)p;
	s->lens[i - 1] = (int)n;
	s->fmts[i - 1] = fmt;
	return HR_DB_OK;
}

static int pg_bind_text(hr_db_stmt *st, int i, const char *t, int n, int lifetime)
{
	/* text parameters must be NUL-terminated: copy unless whole and static */
	return bind(st, i, t, n < 0 ? strlen(t) : (size_t)n, n >= 0 || lifetime != HR_DB_STATIC, 0);
}

static int pg_bind_blob(hr_db_stmt *st, int i, const void *p, size_t n, int lifetime)
{
	return bind(st, i, p, n, lifetime != HR_DB_STATIC, 1);
}

static int pg_bind_int64(hr_db_stmt *st, int i, int64_t v)
{
	char num[24];
	int n = snprintf(num, sizeof(num), "%lld", (long long)v);

	return bind(st, i, num, (size_t)n, 1, 0);
}

static int pg_bind_null(hr_db_stmt *st, int i)
{
	pg_stmt *s = PST(st);

	if (i < 1 || i > s->nparams)
		return HR_DB_ERROR;
	unbind(s, i - 1);
	return HR_DB_OK;
}

/* The result describing the columns: the rows, or (before a step) a description. */
static PGresult *cols(pg_stmt *s)
{
	if (s->res)
		return s->res;
	if (!s->desc && hr_db_pg_flush(PDB(s->base.db)) == HR_DB_OK) {
		PGconn *c = PDB(s->base.db)->conn;
		PGresult *r = hr_pq.PQprepare(c, "", s->sql, s->nparams, s->types);

		if (hr_pq.PQresultStatus(r) == PGRES_COMMAND_OK)
			s->desc = hr_pq.PQdescribePrepared(c, "");
		hr_pq.PQclear(r);
	}
	return s->desc;
}

static int pg_column_count(hr_db_stmt *st)
{
	PGresult *r = cols(PST(st));

	return r ? hr_pq.PQnfields(r) : 0;
}

static const char *pg_column_name(hr_db_stmt *st, int i)
{
	PGresult *r = cols(PST(st));

	return r ? hr_pq.PQfname(r, i) : NULL;
}

static int valid(pg_stmt *s, int i)
{
	return s->res && s->row >= 0 && s->row < s->nrows && i >= 0 && i < hr_pq.PQnfields(s->res);
}

static int pg_column_type(hr_db_stmt *st, int i)
{
	pg_stmt *s = PST(st);

	if (!valid(s, i) || hr_pq.PQgetisnull(s->res, s->row, i))
		return HR_DB_NULL;
	switch (hr_pq.PQftype(s->res, i)) {
	case OID_BOOL: case OID_INT2: case OID_INT4: case OID_INT8: case OID_OID: return HR_DB_INTEGER;
	case OID_FLOAT4: case OID_FLOAT8: case OID_NUMERIC: return HR_DB_FLOAT;
	case OID_BYTEA: return HR_DB_BLOB;
	default: return HR_DB_TEXT;
	}
}

static int64_t pg_column_int64(hr_db_stmt *st, int i)
{
	pg_stmt *s = PST(st);
	const char *v;

	if (!valid(s, i) || hr_pq.PQgetisnull(s->res, s->row, i))
		return 0;
	v = hr_pq.PQgetvalue(s->res, s->row, i);
	if (hr_pq.PQftype(s->res, i) == OID_BOOL)
		return *v == 't';
	return strtoll(v, NULL, 10);
}

/* The bytes of a bytea value, unescaped once per row and column. */
static const unsigned char *bytea(pg_stmt *s, int i)
{
	if (s->blob_row != s->row || s->blob_col != i) {
		hr_pq.PQfreemem(s->blob);
		s->blob = hr_pq.PQunescapeBytea((const unsigned char *)hr_pq.PQgetvalue(s->res, s->row, i), &s->blob_len);
		s->blob_row = s->blob ? s->row : -1;
		s->blob_col = i;
	}
	return s->blob;
}

static const unsigned char *pg_column_text(hr_db_stmt *st, int i)
{
	pg_stmt *s = PST(st);

	if (!valid(s, i) || hr_pq.PQgetisnull(s->res, s->row, i))
		return NULL;
	if (hr_pq.PQftype(s->res, i) == OID_BOOL)
		return (const unsigned char *)(*hr_pq.PQgetvalue(s->res, s->row, i) == 't' ? "1" : "0");
	return (const unsigned char *)hr_pq.PQgetvalue(s->res, s->row, i);
}

static const void *pg_column_blob(hr_db_stmt *st, int i)
{
	pg_stmt *s = PST(st);

	if (!valid(s, i) || hr_pq.PQgetisnull(s->res, s->row, i))
		return NULL;
	if (hr_pq.PQftype(s->res, i) == OID_BYTEA)
		return bytea(s, i);
	return hr_pq.PQgetvalue(s->res, s->row, i);
}

static int pg_column_bytes(hr_db_stmt *st, int i)
{
	pg_stmt *s = PST(st);

	if (!valid(s, i) || hr_pq.PQgetisnull(s->res, s->row, i))
		return 0;
	if (hr_pq.PQftype(s->res, i) == OID_BYTEA)
		return bytea(s, i) ? (int)s->blob_len : 0;
	return hr_pq.PQgetlength(s->res, s->row, i);
}

static const hr_db_ops pg_ops = HR_DB_OPS_OF(pg);

/* Server notices (CREATE … IF NOT EXISTS says "already exists") are not ours to print. */
static void quiet(void *arg, const char *msg)
{
	(void)arg;
	(void)msg;
}

int hr_db_pg_open(hr_db **out, const char *conninfo, unsigned flags, hr_error *err)
{
	pg_db *d;
	int rc;

	*out = NULL;
	if ((rc = hr_pq_load(err)))
		return rc;
	if (!(d = calloc(1, sizeof(*d))))
		return hr_error_set(err, HR_ENOMEM, "out of memory");
	d->base.ops = &pg_ops;
	d->base.backend = HR_DB_PG;
	d->conn = hr_pq.PQconnectdb(conninfo);
	if (!d->conn || hr_pq.PQstatus(d->conn) != CONNECTION_OK) {
		hr_db_pg_set_err(d, d->conn ? hr_pq.PQerrorMessage(d->conn) : "out of memory");
		rc = hr_error_set(err, HR_EDB, "%s", d->err ? d->err : "out of memory");
		goto out;
	}
	hr_pq.PQsetNoticeProcessor(d->conn, quiet, NULL);
	if (pg_exec(&d->base, (flags & HR_DB_OPEN_READONLY) ?
		    "SET client_min_messages = warning; SET default_transaction_read_only = on" :
		    "SET client_min_messages = warning") != HR_DB_OK)
		rc = hr_error_set(err, HR_EDB, "%s", pg_errmsg(&d->base));
out:
	if (rc) {
		pg_close(&d->base);
		return rc;
	}
	*out = &d->base;
	return 0;
}
