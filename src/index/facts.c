/*
 * facts.c — the audit's read (and write-back) queries over the index.
 *
 * The rules in src/audit/ reason about revisions, storage objects and
 * conflicts; this file is the only place their SQL lives, so the schema can
 * change under them without touching a rule.  Each query fills an array of
 * owned rows (see facts.h); findings are written back into `finding`
 * replacing those of the same rules from an earlier audit.
 */
#include "index/index_int.h"
#include "index/facts.h"
#include "util/array.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

static int prepare(hr_index *idx, const char *sql, hr_db_stmt **st, hr_error *err)
{
	if (hr_db_prepare(idx->db, sql, -1, st, NULL) != HR_DB_OK)
		return hr_index_dberr(idx, err, "audit query");
	return 0;
}

static void bind_ns(hr_db_stmt *st, const char *ns)
{
	if (ns)
		hr_db_bind_text(st, 1, ns, -1, HR_DB_STATIC);
	else
		hr_db_bind_null(st, 1);
}

/* How one result column lands in a row: a copied string, an int64 or an int. */
enum { COL_TEXT, COL_I64, COL_INT };
typedef struct fact_col {
	int type;
	size_t off;               /* offsetof the row member */
} fact_col;

/*
 * One row query: `sql` (?1 = namespace or NULL, ?2 = `arg2` when >= 0) read
 * into an owned array of `size`-byte rows, result column i going to
 * cols[i].  Freed by free_rows (the COL_TEXT members, then the array).
 */
typedef struct fact_query {
	const char *sql;
	const char *what;         /* "read revisions", for errors */
	size_t size;
	const fact_col *cols;
	int ncols;
} fact_query;

#define MEMBER(row, c, T) ((T *)(void *)((char *)(row) + (c)->off))

static void free_rows(const fact_query *q, void *rows, size_t n)
{
	for (size_t i = 0; rows && i < n; i++)
		for (int k = 0; k < q->ncols; k++)
			if (q->cols[k].type == COL_TEXT)
				free(*MEMBER((char *)rows + i * q->size, &q->cols[k], char *));
	free(rows);
}

/* Fill `row` from the current result row; nonzero when out of memory. */
static int fill_row(const fact_query *q, hr_db_stmt *st, void *row)
{
	int oom = 0;

	for (int k = 0; k < q->ncols; k++) {
		const fact_col *c = &q->cols[k];

		if (c->type == COL_TEXT)
			*MEMBER(row, c, char *) = hr_index_col_text(st, k, &oom);
		else if (c->type == COL_I64)
			*MEMBER(row, c, int64_t) = hr_db_column_int64(st, k);
		else
			*MEMBER(row, c, int) = hr_db_column_int(st, k);
	}
	return oom;
}

static int run_query(hr_index *idx, const fact_query *q, const char *ns, int arg2, void **out, size_t *n,
		     hr_error *err)
{
	char *rows = NULL;
	size_t cnt = 0, cap = 0;
	hr_db_stmt *st = NULL;
	int rc, oom = 0;

	*out = NULL;
	*n = 0;
	if ((rc = prepare(idx, q->sql, &st, err)))
		return rc;
	bind_ns(st, ns);
	if (arg2 >= 0)
		hr_db_bind_int(st, 2, arg2);
	while ((rc = hr_db_step(st)) == HR_DB_ROW) {
		void *row;

		if (hr_array_grow((void **)&rows, q->size, cnt + 1, &cap)) {
			oom = 1;
			break;
		}
		row = rows + cnt++ * q->size;
		memset(row, 0, q->size);
		if ((oom = fill_row(q, st, row)))
			break;
	}
	if (oom)
		rc = hr_error_set(err, HR_ENOMEM, "out of memory");
	else if (rc != HR_DB_DONE)
		rc = hr_index_dberr(idx, err, q->what);
	else
		rc = 0;
	hr_db_finalize(st);
	if (rc) {
		free_rows(q, rows, cnt);
		return rc;
	}
	*out = rows;
	*n = cnt;
	return 0;
}

#define T(S, m) { COL_TEXT, offsetof(S, m) }
#define I64(S, m) { COL_I64, offsetof(S, m) }
#define QUERY(sql, what, S, cols) { sql, what, sizeof(S), cols, (int)(sizeof(cols) / sizeof(cols[0])) }

static const fact_col rev_cols[] = {
	I64(hr_fact_rev, id), T(hr_fact_rev, namespace), T(hr_fact_rev, name), I64(hr_fact_rev, version),
	T(hr_fact_rev, status), T(hr_fact_rev, chart_name), T(hr_fact_rev, chart_version),
	T(hr_fact_rev, apply_method), T(hr_fact_rev, body_name), T(hr_fact_rev, driver),
	T(hr_fact_rev, object_name), T(hr_fact_rev, sources), I64(hr_fact_rev, payload_size),
	I64(hr_fact_rev, json_size), { COL_INT, offsetof(hr_fact_rev, is_live) },
};
static const fact_query q_revisions = QUERY(
	"SELECT r.id, r.namespace, r.name, r.version, r.status, r.chart_name, r.chart_version,"
	" r.apply_method, r.body_name, r.driver,"
	" (SELECT s.object_name FROM sighting s WHERE s.revision_id = r.id"
	"  ORDER BY s.state = 'live' DESC, s.ds_revision DESC, s.id DESC LIMIT 1),"
	" (SELECT group_concat(DISTINCT src.path) FROM sighting s JOIN source src ON src.id = s.source_id"
	"  WHERE s.revision_id = r.id),"
	" r.payload_size, r.json_size, r.is_live"
	" FROM revision r WHERE r.is_current = 1 AND (?2 OR r.is_live = 1) AND (?1 IS NULL OR r.namespace = ?1)"
	" ORDER BY r.namespace, r.name, r.version, r.id",
	"read revisions", hr_fact_rev, rev_cols);

static const fact_col sighting_cols[] = {
	I64(hr_fact_sighting, revision_id), T(hr_fact_sighting, namespace), T(hr_fact_sighting, name),
	I64(hr_fact_sighting, version), T(hr_fact_sighting, status), T(hr_fact_sighting, body_name),
	T(hr_fact_sighting, driver), T(hr_fact_sighting, object_name), T(hr_fact_sighting, labels),
	T(hr_fact_sighting, source), T(hr_fact_sighting, location),
};
static const fact_query q_live_objects = QUERY(
	"SELECT r.id, r.namespace, r.name, r.version, r.status, COALESCE(r.body_name, r.name),"
	" s.driver, s.object_name, s.labels, src.path, s.location"
	" FROM sighting s JOIN revision r ON r.id = s.revision_id JOIN source src ON src.id = s.source_id"
	" WHERE s.state = 'live' AND s.driver IN ('secret', 'configmap') AND (?1 IS NULL OR r.namespace = ?1)"
	" ORDER BY r.namespace, r.name, r.version, s.id",
	"read sightings", hr_fact_sighting, sighting_cols);

static const fact_col conflict_cols[] = {
	T(hr_fact_conflict, namespace), T(hr_fact_conflict, name), I64(hr_fact_conflict, version),
	I64(hr_fact_conflict, bodies), T(hr_fact_conflict, statuses), T(hr_fact_conflict, sources),
};
static const fact_query q_conflicts = QUERY(
	"SELECT r.namespace, r.name, r.version, COUNT(DISTINCT r.json_sha256), group_concat(DISTINCT r.status),"
	" (SELECT group_concat(DISTINCT src.path) FROM revision x JOIN sighting s ON s.revision_id = x.id"
	"  JOIN source src ON src.id = s.source_id WHERE x.namespace = r.namespace AND x.name = r.name"
	"  AND x.version = r.version AND x.conflict = 1 AND s.state = 'live')"
	" FROM revision r WHERE r.conflict = 1 AND (?1 IS NULL OR r.namespace = ?1)"
	" GROUP BY r.namespace, r.name, r.version ORDER BY r.namespace, r.name, r.version",
	"read conflicts", hr_fact_conflict, conflict_cols);

int hr_facts_revisions(hr_index *idx, const char *ns, int include_deleted, hr_fact_rev **out, size_t *n,
		       hr_error *err)
{
	return run_query(idx, &q_revisions, ns, !!include_deleted, (void **)out, n, err);
}

int hr_facts_live_objects(hr_index *idx, const char *ns, hr_fact_sighting **out, size_t *n, hr_error *err)
{
	return run_query(idx, &q_live_objects, ns, -1, (void **)out, n, err);
}

int hr_facts_conflicts(hr_index *idx, const char *ns, hr_fact_conflict **out, size_t *n, hr_error *err)
{
	return run_query(idx, &q_conflicts, ns, -1, (void **)out, n, err);
}

void hr_fact_revs_free(hr_fact_rev *rows, size_t n)
{
	free_rows(&q_revisions, rows, n);
}

void hr_fact_sightings_free(hr_fact_sighting *rows, size_t n)
{
	free_rows(&q_live_objects, rows, n);
}

void hr_fact_conflicts_free(hr_fact_conflict *rows, size_t n)
{
	free_rows(&q_conflicts, rows, n);
}

int hr_facts_store_findings(hr_index *idx, const char *ns, const char *const *rules, size_t nrules,
			    const hr_finding_row *rows, size_t n, hr_error *err)
{
	hr_db_stmt *del = NULL, *ins = NULL;
	int rc;

	if ((rc = hr_index_exec(idx, "BEGIN", err)))
		return rc;
	if ((rc = prepare(idx, "DELETE FROM finding WHERE (?1 IS NULL OR namespace = ?1) AND (?2 IS NULL OR rule = ?2)",
			  &del, err)) ||
	    (rc = prepare(idx, "INSERT OR IGNORE INTO finding(rule, severity, namespace, name, version, revisions,"
			  " message, evidence, remedy) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9)", &ins, err)))
		goto out;
	for (size_t i = 0; i < (nrules ? nrules : 1); i++) {
		bind_ns(del, ns);
		if (nrules)
			hr_db_bind_text(del, 2, rules[i], -1, HR_DB_STATIC);
		else
			hr_db_bind_null(del, 2);
		if (hr_db_step(del) != HR_DB_DONE) {
			rc = hr_index_dberr(idx, err, "clear findings");
			goto out;
		}
		hr_db_reset(del);
	}
	for (size_t i = 0; i < n; i++) {
		const hr_finding_row *f = &rows[i];

		hr_db_bind_text(ins, 1, f->rule, -1, HR_DB_STATIC);
		hr_db_bind_text(ins, 2, f->severity, -1, HR_DB_STATIC);
		hr_db_bind_text(ins, 3, f->namespace, -1, HR_DB_STATIC);
		hr_db_bind_text(ins, 4, f->name, -1, HR_DB_STATIC);
		hr_db_bind_int64(ins, 5, f->version);
		hr_db_bind_text(ins, 6, f->revisions, -1, HR_DB_STATIC);
		hr_db_bind_text(ins, 7, f->message, -1, HR_DB_STATIC);
		hr_db_bind_text(ins, 8, f->evidence, -1, HR_DB_STATIC);
		hr_db_bind_text(ins, 9, f->remedy, -1, HR_DB_STATIC);
		if (hr_db_step(ins) != HR_DB_DONE) {
			rc = hr_index_dberr(idx, err, "store finding");
			goto out;
		}
		hr_db_reset(ins);
		hr_db_clear_bindings(ins);
	}
	rc = hr_index_exec(idx, "COMMIT", err);
out:
	hr_db_finalize(del);
	hr_db_finalize(ins);
	if (rc)
		hr_index_exec(idx, "ROLLBACK", NULL);
	return rc;
}
