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

#include <stdlib.h>
#include <string.h>

/* Copy text column `i` (NULL stays NULL); *oom set on allocation failure. */
static char *col(sqlite3_stmt *st, int i, int *oom)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	char *s;

	if (!t)
		return NULL;
	s = strdup((const char *)t);
	if (!s)
		*oom = 1;
	return s;
}

static int prepare(hr_index *idx, const char *sql, sqlite3_stmt **st, hr_error *err)
{
	if (sqlite3_prepare_v2(idx->db, sql, -1, st, NULL) != SQLITE_OK)
		return hr_index_dberr(idx, err, "audit query");
	return 0;
}

static void bind_ns(sqlite3_stmt *st, const char *ns)
{
	if (ns)
		sqlite3_bind_text(st, 1, ns, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 1);
}

/*
 * One row query: `sql` (?1 = namespace or NULL, ?2 = `arg2` when >= 0) read
 * into an owned array of `size`-byte rows, each filled by `fill` (which
 * returns nonzero on out of memory) and emptied by `release`.
 */
typedef struct fact_query {
	const char *sql;
	const char *what;         /* "read revisions", for errors */
	size_t size;
	int (*fill)(sqlite3_stmt *st, void *row);
	void (*release)(void *row);
} fact_query;

static void free_rows(const fact_query *q, void *rows, size_t n)
{
	for (size_t i = 0; rows && i < n; i++)
		q->release((char *)rows + i * q->size);
	free(rows);
}

static int run_query(hr_index *idx, const fact_query *q, const char *ns, int arg2, void **out, size_t *n,
		     hr_error *err)
{
	char *rows = NULL;
	size_t cnt = 0, cap = 0;
	sqlite3_stmt *st = NULL;
	int rc, oom = 0;

	*out = NULL;
	*n = 0;
	if ((rc = prepare(idx, q->sql, &st, err)))
		return rc;
	bind_ns(st, ns);
	if (arg2 >= 0)
		sqlite3_bind_int(st, 2, arg2);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		void *row;

		if (hr_array_grow((void **)&rows, q->size, cnt + 1, &cap)) {
			oom = 1;
			break;
		}
		row = rows + cnt++ * q->size;
		memset(row, 0, q->size);
		if ((oom = q->fill(st, row)))
			break;
	}
	if (oom)
		rc = hr_error_set(err, HR_ENOMEM, "out of memory");
	else if (rc != SQLITE_DONE)
		rc = hr_index_dberr(idx, err, q->what);
	else
		rc = 0;
	sqlite3_finalize(st);
	if (rc) {
		free_rows(q, rows, cnt);
		return rc;
	}
	*out = rows;
	*n = cnt;
	return 0;
}

static void rev_release(void *row)
{
	hr_fact_rev *r = row;

	free(r->namespace); free(r->name); free(r->status); free(r->chart_name);
	free(r->chart_version); free(r->apply_method); free(r->body_name); free(r->driver);
	free(r->object_name); free(r->sources);
}

static int rev_fill(sqlite3_stmt *st, void *row)
{
	hr_fact_rev *r = row;
	int oom = 0;

	r->id = sqlite3_column_int64(st, 0);
	r->namespace = col(st, 1, &oom);
	r->name = col(st, 2, &oom);
	r->version = sqlite3_column_int64(st, 3);
	r->status = col(st, 4, &oom);
	r->chart_name = col(st, 5, &oom);
	r->chart_version = col(st, 6, &oom);
	r->apply_method = col(st, 7, &oom);
	r->body_name = col(st, 8, &oom);
	r->driver = col(st, 9, &oom);
	r->object_name = col(st, 10, &oom);
	r->sources = col(st, 11, &oom);
	r->payload_size = sqlite3_column_int64(st, 12);
	r->json_size = sqlite3_column_int64(st, 13);
	r->is_live = sqlite3_column_int(st, 14);
	return oom;
}

static const fact_query q_revisions = {
	"SELECT r.id, r.namespace, r.name, r.version, r.status, r.chart_name, r.chart_version,"
	" r.apply_method, r.body_name, r.driver,"
	" (SELECT s.object_name FROM sighting s WHERE s.revision_id = r.id"
	"  ORDER BY s.state = 'live' DESC, s.ds_revision DESC, s.id DESC LIMIT 1),"
	" (SELECT group_concat(DISTINCT src.path) FROM sighting s JOIN source src ON src.id = s.source_id"
	"  WHERE s.revision_id = r.id),"
	" r.payload_size, r.json_size, r.is_live"
	" FROM revision r WHERE r.is_current = 1 AND (?2 OR r.is_live = 1) AND (?1 IS NULL OR r.namespace = ?1)"
	" ORDER BY r.namespace, r.name, r.version, r.id",
	"read revisions", sizeof(hr_fact_rev), rev_fill, rev_release
};

void hr_fact_revs_free(hr_fact_rev *rows, size_t n)
{
	free_rows(&q_revisions, rows, n);
}

int hr_facts_revisions(hr_index *idx, const char *ns, int include_deleted, hr_fact_rev **out, size_t *n,
		       hr_error *err)
{
	return run_query(idx, &q_revisions, ns, !!include_deleted, (void **)out, n, err);
}

static void sighting_release(void *row)
{
	hr_fact_sighting *s = row;

	free(s->namespace); free(s->name); free(s->status); free(s->body_name); free(s->driver);
	free(s->object_name); free(s->labels); free(s->source); free(s->location);
}

static int sighting_fill(sqlite3_stmt *st, void *row)
{
	hr_fact_sighting *s = row;
	int oom = 0;

	s->revision_id = sqlite3_column_int64(st, 0);
	s->namespace = col(st, 1, &oom);
	s->name = col(st, 2, &oom);
	s->version = sqlite3_column_int64(st, 3);
	s->status = col(st, 4, &oom);
	s->body_name = col(st, 5, &oom);
	s->driver = col(st, 6, &oom);
	s->object_name = col(st, 7, &oom);
	s->labels = col(st, 8, &oom);
	s->source = col(st, 9, &oom);
	s->location = col(st, 10, &oom);
	return oom;
}

static const fact_query q_live_objects = {
	"SELECT r.id, r.namespace, r.name, r.version, r.status, COALESCE(r.body_name, r.name),"
	" s.driver, s.object_name, s.labels, src.path, s.location"
	" FROM sighting s JOIN revision r ON r.id = s.revision_id JOIN source src ON src.id = s.source_id"
	" WHERE s.state = 'live' AND s.driver IN ('secret', 'configmap') AND (?1 IS NULL OR r.namespace = ?1)"
	" ORDER BY r.namespace, r.name, r.version, s.id",
	"read sightings", sizeof(hr_fact_sighting), sighting_fill, sighting_release
};

void hr_fact_sightings_free(hr_fact_sighting *rows, size_t n)
{
	free_rows(&q_live_objects, rows, n);
}

int hr_facts_live_objects(hr_index *idx, const char *ns, hr_fact_sighting **out, size_t *n, hr_error *err)
{
	return run_query(idx, &q_live_objects, ns, -1, (void **)out, n, err);
}

static void conflict_release(void *row)
{
	hr_fact_conflict *c = row;

	free(c->namespace); free(c->name); free(c->statuses); free(c->sources);
}

static int conflict_fill(sqlite3_stmt *st, void *row)
{
	hr_fact_conflict *c = row;
	int oom = 0;

	c->namespace = col(st, 0, &oom);
	c->name = col(st, 1, &oom);
	c->version = sqlite3_column_int64(st, 2);
	c->bodies = sqlite3_column_int64(st, 3);
	c->statuses = col(st, 4, &oom);
	c->sources = col(st, 5, &oom);
	return oom;
}

static const fact_query q_conflicts = {
	"SELECT r.namespace, r.name, r.version, COUNT(DISTINCT r.json_sha256), group_concat(DISTINCT r.status),"
	" (SELECT group_concat(DISTINCT src.path) FROM revision x JOIN sighting s ON s.revision_id = x.id"
	"  JOIN source src ON src.id = s.source_id WHERE x.namespace = r.namespace AND x.name = r.name"
	"  AND x.version = r.version AND x.conflict = 1 AND s.state = 'live')"
	" FROM revision r WHERE r.conflict = 1 AND (?1 IS NULL OR r.namespace = ?1)"
	" GROUP BY r.namespace, r.name, r.version ORDER BY r.namespace, r.name, r.version",
	"read conflicts", sizeof(hr_fact_conflict), conflict_fill, conflict_release
};

void hr_fact_conflicts_free(hr_fact_conflict *rows, size_t n)
{
	free_rows(&q_conflicts, rows, n);
}

int hr_facts_conflicts(hr_index *idx, const char *ns, hr_fact_conflict **out, size_t *n, hr_error *err)
{
	return run_query(idx, &q_conflicts, ns, -1, (void **)out, n, err);
}

int hr_facts_store_findings(hr_index *idx, const char *ns, const char *const *rules, size_t nrules,
			    const hr_finding_row *rows, size_t n, hr_error *err)
{
	sqlite3_stmt *del = NULL, *ins = NULL;
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
			sqlite3_bind_text(del, 2, rules[i], -1, SQLITE_STATIC);
		else
			sqlite3_bind_null(del, 2);
		if (sqlite3_step(del) != SQLITE_DONE) {
			rc = hr_index_dberr(idx, err, "clear findings");
			goto out;
		}
		sqlite3_reset(del);
	}
	for (size_t i = 0; i < n; i++) {
		const hr_finding_row *f = &rows[i];

		sqlite3_bind_text(ins, 1, f->rule, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 2, f->severity, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 3, f->namespace, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 4, f->name, -1, SQLITE_STATIC);
		sqlite3_bind_int64(ins, 5, f->version);
		sqlite3_bind_text(ins, 6, f->revisions, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 7, f->message, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 8, f->evidence, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 9, f->remedy, -1, SQLITE_STATIC);
		if (sqlite3_step(ins) != SQLITE_DONE) {
			rc = hr_index_dberr(idx, err, "store finding");
			goto out;
		}
		sqlite3_reset(ins);
		sqlite3_clear_bindings(ins);
	}
	rc = hr_index_exec(idx, "COMMIT", err);
out:
	sqlite3_finalize(del);
	sqlite3_finalize(ins);
	if (rc)
		hr_index_exec(idx, "ROLLBACK", NULL);
	return rc;
}
