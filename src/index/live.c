/*
 * live.c — storage of the live Kubernetes objects a backup holds (tables
 * live_object and live_manager, schema v6), for `helmrec drift`, the
 * RESOURCES section of `helmrec status` and the drift/orphan audit rules.
 *
 * The scan hands every candidate object here (decoded by src/scan/decode.c:
 * identity, managers with the JSON pointers each owns, gzip'd body); rows
 * are unique per (api group, kind, namespace, name, resourceVersion), so
 * Velero's preferred-version copy of an object lands on the same row.  After
 * the scan, hr_index_live_prune() keeps only what Helm owns or a stored
 * manifest names: memory stays bounded by one object, the pruning is SQL.
 */
#include "index/index_int.h"
#include "index/live.h"
#include "codec/codec.h"
#include "util/array.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char hr_index_live_schema_sql[] =
	"CREATE TABLE IF NOT EXISTS live_object ("
	" id INTEGER PRIMARY KEY,"
	" source_id INTEGER NOT NULL REFERENCES source(id),"
	" api_version TEXT NOT NULL, api_group TEXT NOT NULL, kind TEXT NOT NULL,"
	" namespace TEXT NOT NULL, name TEXT NOT NULL,"
	" uid TEXT, resource_version TEXT NOT NULL, rv_order INTEGER NOT NULL DEFAULT 0,"
	" created TEXT, observed TEXT,"
	" release_name TEXT, release_namespace TEXT,"
	" managed_by_helm INTEGER NOT NULL DEFAULT 0,"
	" location TEXT, body_size INTEGER, body BLOB NOT NULL,"
	" UNIQUE(api_group, kind, namespace, name, resource_version));"
	"CREATE INDEX IF NOT EXISTS live_object_by_owner ON live_object(release_namespace, release_name);"
	"CREATE TABLE IF NOT EXISTS live_manager ("
	" object_id INTEGER NOT NULL REFERENCES live_object(id),"
	" seq INTEGER NOT NULL,"
	" manager TEXT NOT NULL, operation TEXT, subresource TEXT, time TEXT,"
	" fields TEXT,"
	" PRIMARY KEY(object_id, seq));"
	"CREATE INDEX IF NOT EXISTS resource_by_name ON resource(name, kind);";

static void free_managers(hr_live_manager *m, size_t n)
{
	for (size_t i = 0; m && i < n; i++) {
		free(m[i].manager); free(m[i].operation); free(m[i].subresource); free(m[i].time);
		free(m[i].fields);
	}
	free(m);
}

void hr_live_object_clear(hr_live_object *o)
{
	free(o->api_version); free(o->kind); free(o->namespace); free(o->name);
	free(o->uid); free(o->resource_version); free(o->created);
	free(o->release_name); free(o->release_namespace); free(o->observed); free(o->location);
	free_managers(o->managers, o->nmanagers);
	hr_buf_free(&o->body);
	memset(o, 0, sizeof(*o));
}

void hr_live_rows_free(hr_live_row *rows, size_t n)
{
	for (size_t i = 0; rows && i < n; i++) {
		hr_live_row *r = &rows[i];

		free(r->api_version); free(r->kind); free(r->namespace); free(r->name);
		free(r->resource_version); free(r->created); free(r->observed);
		free(r->release_name); free(r->release_namespace); free(r->source);
		free_managers(r->managers, r->nmanagers);
	}
	free(rows);
}

/* "apps/v1" -> "apps" (length), "v1" -> "" */
static size_t group_len(const char *api_version)
{
	const char *slash = strchr(api_version, '/');

	return slash ? (size_t)(slash - api_version) : 0;
}

/* resourceVersion as a number for ordering (etcd revisions are decimal); 0 if not. */
static int64_t rv_order(const char *rv)
{
	int64_t v = 0;

	for (const char *c = rv; c && *c; c++) {
		if (*c < '0' || *c > '9' || v > (INT64_MAX - 9) / 10)
			return 0;
		v = v * 10 + (*c - '0');
	}
	return v;
}

int hr_index_live_add(hr_index *idx, int64_t source_id, const hr_live_object *o, hr_error *err)
{
	hr_db_stmt *st = NULL;
	int64_t id;
	int rc = 0;

	if ((rc = hr_index_prepare(idx, ST_LIVE_INSERT,
			"INSERT OR IGNORE INTO live_object(source_id, api_version, api_group, kind, namespace, name, uid,"
			" resource_version, rv_order, created, observed, release_name, release_namespace, managed_by_helm,"
			" location, body_size, body, cluster)"
			" VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18)", &st, err)))
		goto out;
	hr_db_bind_text(st, 18, hr_index_cluster(idx), -1, HR_DB_STATIC);
	hr_db_bind_int64(st, 1, source_id);
	hr_db_bind_text(st, 2, o->api_version, -1, HR_DB_STATIC);
	hr_db_bind_text(st, 3, o->api_version, (int)group_len(o->api_version), HR_DB_STATIC);
	hr_db_bind_text(st, 4, o->kind, -1, HR_DB_STATIC);
	hr_db_bind_text(st, 5, o->namespace ? o->namespace : "", -1, HR_DB_STATIC);
	hr_db_bind_text(st, 6, o->name, -1, HR_DB_STATIC);
	hr_index_bind_opt(st, 7, o->uid);
	hr_db_bind_text(st, 8, o->resource_version ? o->resource_version : "", -1, HR_DB_STATIC);
	hr_db_bind_int64(st, 9, rv_order(o->resource_version));
	hr_index_bind_opt(st, 10, o->created);
	hr_index_bind_opt(st, 11, o->observed);
	hr_index_bind_opt(st, 12, o->release_name);
	hr_index_bind_opt(st, 13, o->release_namespace);
	hr_db_bind_int(st, 14, o->managed_by_helm);
	hr_index_bind_opt(st, 15, o->location);
	hr_db_bind_int64(st, 16, (int64_t)o->body_size);
	hr_db_bind_blob(st, 17, o->body.ptr ? o->body.ptr : "", (int)o->body.len, HR_DB_STATIC);
	if (hr_db_step(st) != HR_DB_DONE) {
		rc = hr_index_dberr(idx, err, "insert live object");
		goto out;
	}
	if (hr_db_changes(idx->db) == 0)
		goto out;       /* the same object seen again (Velero's second copy, a rescan) */
	id = hr_db_last_insert_rowid(idx->db);
	if ((rc = hr_index_prepare(idx, ST_LIVE_MANAGER_INSERT,
			"INSERT INTO live_manager(object_id, seq, manager, operation, subresource, time, fields)"
			" VALUES(?1,?2,?3,?4,?5,?6,?7)", &st, err)))
		goto out;
	for (size_t i = 0; i < o->nmanagers; i++) {
		const hr_live_manager *m = &o->managers[i];

		hr_db_reset(st);
		hr_db_bind_int64(st, 1, id);
		hr_db_bind_int(st, 2, (int)i);
		hr_db_bind_text(st, 3, m->manager ? m->manager : "", -1, HR_DB_STATIC);
		hr_index_bind_opt(st, 4, m->operation);
		hr_index_bind_opt(st, 5, m->subresource);
		hr_index_bind_opt(st, 6, m->time);
		hr_index_bind_opt(st, 7, m->fields);
		if (hr_db_step(st) != HR_DB_DONE) {
			rc = hr_index_dberr(idx, err, "insert live manager");
			goto out;
		}
	}
out:
	if (st)
		hr_db_reset(st);    /* cached statement: keep it, release its row */
	return rc;
}

int hr_index_live_prune(hr_index *idx, int64_t *kept, hr_error *err)
{
	static const char orphaned[] =
		" FROM live_object l WHERE l.release_name IS NULL AND l.managed_by_helm = 0 AND NOT EXISTS ("
		" SELECT 1 FROM resource s JOIN revision r ON r.id = s.revision_id"
		" WHERE s.name = l.name AND s.kind = l.kind"
		" AND (CASE WHEN instr(s.api_version, '/') > 0"
		"  THEN substr(s.api_version, 1, instr(s.api_version, '/') - 1) ELSE '' END) = l.api_group"
		" AND (s.namespace = l.namespace OR (COALESCE(s.namespace, '') = ''"
		"  AND (l.namespace = r.namespace OR l.namespace = ''))))";
	char sql[1024];
	int rc;

	snprintf(sql, sizeof(sql), "DELETE FROM live_manager WHERE object_id IN (SELECT l.id%s);", orphaned);
	if ((rc = hr_index_exec(idx, sql, err)))
		return rc;
	snprintf(sql, sizeof(sql), "DELETE FROM live_object WHERE id IN (SELECT l.id%s);", orphaned);
	if ((rc = hr_index_exec(idx, sql, err)))
		return rc;
	if (kept)
		return hr_index_live_count(idx, kept, err);
	return 0;
}

int hr_index_live_count(hr_index *idx, int64_t *n, hr_error *err)
{
	hr_db_stmt *st = NULL;

	*n = 0;
	if (hr_db_prepare(idx->db, "SELECT COUNT(*) FROM live_object", -1, &st, NULL) != HR_DB_OK) {
		hr_db_finalize(st);
		return 0;       /* no table: an index written before v6 (read-only open) */
	}
	if (hr_db_step(st) == HR_DB_ROW)
		*n = hr_db_column_int64(st, 0);
	hr_db_finalize(st);
	(void)err;
	return 0;
}

#define ROW_COLUMNS "l.id, l.api_version, l.kind, l.namespace, l.name, l.resource_version, l.created, l.observed," \
	" l.release_name, l.release_namespace, src.path"

static int load_managers(hr_index *idx, hr_live_row *r, hr_error *err)
{
	hr_db_stmt *st = NULL;
	size_t cap = 0;
	int rc = 0, oom = 0, step;

	if (hr_db_prepare(idx->db, "SELECT manager, operation, subresource, time, fields FROM live_manager"
			       " WHERE object_id = ?1 ORDER BY seq", -1, &st, NULL) != HR_DB_OK) {
		rc = hr_index_dberr(idx, err, "live managers");
		goto out;
	}
	hr_db_bind_int64(st, 1, r->id);
	while ((step = hr_db_step(st)) == HR_DB_ROW) {
		hr_live_manager *m;

		if (!(m = HR_INDEX_ROW_ADD(r->managers, r->nmanagers, cap))) {
			oom = 1;
			break;
		}
		m->manager = hr_index_col_text(st, 0, &oom);
		m->operation = hr_index_col_text(st, 1, &oom);
		m->subresource = hr_index_col_text(st, 2, &oom);
		m->time = hr_index_col_text(st, 3, &oom);
		m->fields = hr_index_col_text(st, 4, &oom);
	}
	if (oom)
		rc = hr_error_set(err, HR_ENOMEM, "out of memory");
	else if (step != HR_DB_DONE && step != HR_DB_ROW)
		rc = hr_index_dberr(idx, err, "live managers");
out:
	hr_db_finalize(st);
	return rc;
}

/* Run a prepared row query into *rows. */
static int fetch_rows(hr_index *idx, hr_db_stmt *st, hr_live_row **rows, size_t *n, hr_error *err)
{
	size_t cap = 0;
	int rc = 0, oom = 0, step;

	*rows = NULL;
	*n = 0;
	while ((step = hr_db_step(st)) == HR_DB_ROW) {
		hr_live_row *r;

		if (!(r = HR_INDEX_ROW_ADD(*rows, *n, cap))) {
			oom = 1;
			break;
		}
		r->id = hr_db_column_int64(st, 0);
		r->api_version = hr_index_col_text(st, 1, &oom);
		r->kind = hr_index_col_text(st, 2, &oom);
		r->namespace = hr_index_col_text(st, 3, &oom);
		r->name = hr_index_col_text(st, 4, &oom);
		r->resource_version = hr_index_col_text(st, 5, &oom);
		r->created = hr_index_col_text(st, 6, &oom);
		r->observed = hr_index_col_text(st, 7, &oom);
		r->release_name = hr_index_col_text(st, 8, &oom);
		r->release_namespace = hr_index_col_text(st, 9, &oom);
		r->source = hr_index_col_text(st, 10, &oom);
	}
	if (oom)
		rc = hr_error_set(err, HR_ENOMEM, "out of memory");
	else if (step != HR_DB_DONE && step != HR_DB_ROW)
		rc = hr_index_dberr(idx, err, "live objects");
	for (size_t i = 0; !rc && i < *n; i++)
		rc = load_managers(idx, &(*rows)[i], err);
	if (rc) {
		hr_live_rows_free(*rows, *n);
		*rows = NULL;
		*n = 0;
	}
	return rc;
}

int hr_index_live_find(hr_index *idx, const char *group, const char *kind, const char *ns, const char *name,
		       hr_live_row **row, hr_error *err)
{
	hr_db_stmt *st = NULL;
	size_t n = 0;
	int rc;

	*row = NULL;
	/*
	 * `cluster IN (the sources' clusters)` changes no answer but lets the
	 * unique key (cluster, api_group, kind, namespace, name, ...) find the
	 * row: without it every call read the whole table (drift and audit
	 * call this once or twice per manifest resource of every release).
	 */
	if (hr_db_prepare(idx->db, "SELECT " ROW_COLUMNS " FROM live_object l JOIN source src ON src.id = l.source_id"
			       " WHERE l.cluster IN (SELECT cluster FROM source) AND l.api_group = ?1 AND l.kind = ?2"
			       " AND l.namespace = ?3 AND l.name = ?4"
			       " ORDER BY l.rv_order DESC, l.id DESC LIMIT 1", -1, &st, NULL) != HR_DB_OK &&
	    (hr_db_finalize(st), st = NULL,
	     hr_db_prepare(idx->db, "SELECT " ROW_COLUMNS " FROM live_object l JOIN source src ON src.id = l.source_id"
			   " WHERE l.api_group = ?1 AND l.kind = ?2 AND l.namespace = ?3 AND l.name = ?4"
			   " ORDER BY l.rv_order DESC, l.id DESC LIMIT 1", -1, &st, NULL) != HR_DB_OK)) {
		hr_db_finalize(st);
		return 0;       /* no live tables (or none with clusters, before v7): nothing found */
	}
	hr_db_bind_text(st, 1, group, -1, HR_DB_STATIC);
	hr_db_bind_text(st, 2, kind, -1, HR_DB_STATIC);
	hr_db_bind_text(st, 3, ns ? ns : "", -1, HR_DB_STATIC);
	hr_db_bind_text(st, 4, name, -1, HR_DB_STATIC);
	rc = fetch_rows(idx, st, row, &n, err);
	hr_db_finalize(st);
	if (rc)
		return rc;
	return n ? 1 : 0;
}

int hr_index_live_owned(hr_index *idx, const char *rel_ns, const char *rel_name, hr_live_row **rows, size_t *n,
			hr_error *err)
{
	hr_db_stmt *st = NULL;
	int rc;

	*rows = NULL;
	*n = 0;
	/*
	 * The newest copy of each object (highest rv_order, then id) in one
	 * pass: a NOT EXISTS over (api_group, kind, namespace, name) has no
	 * index to use and scanned the table once per owned row (15 s on 5 766
	 * live objects).  Ties in the order fall to l.id, as the index scan did.
	 */
	if (hr_db_prepare(idx->db, "SELECT " ROW_COLUMNS " FROM live_object l JOIN source src ON src.id = l.source_id"
			       " JOIN (SELECT id, ROW_NUMBER() OVER (PARTITION BY api_group, kind, namespace, name"
			       "  ORDER BY rv_order DESC, id DESC) AS rn FROM live_object) nw ON nw.id = l.id AND nw.rn = 1"
			       " WHERE l.release_name IS NOT NULL"
			       " AND (?1 IS NULL OR COALESCE(l.release_namespace, '') = ?1)"
			       " AND (?2 IS NULL OR l.release_name = ?2)"
			       " ORDER BY l.release_namespace, l.release_name, l.kind, l.namespace, l.name, l.id",
			       -1, &st, NULL) != HR_DB_OK) {
		hr_db_finalize(st);
		return 0;
	}
	hr_index_bind_opt(st, 1, rel_ns);
	hr_index_bind_opt(st, 2, rel_name);
	rc = fetch_rows(idx, st, rows, n, err);
	hr_db_finalize(st);
	return rc;
}

int hr_index_live_has_namespace(hr_index *idx, const char *ns, hr_error *err)
{
	hr_db_stmt *st = NULL;
	int found = 0;

	(void)err;
	/* two probes: the first one by index (live_object_by_owner), usually enough */
	if (hr_db_prepare(idx->db, "SELECT CASE WHEN EXISTS (SELECT 1 FROM live_object WHERE release_namespace = ?1)"
			       " OR EXISTS (SELECT 1 FROM live_object WHERE namespace = ?1) THEN 1 ELSE 0 END",
			       -1, &st, NULL) != HR_DB_OK) {
		hr_db_finalize(st);
		return 0;
	}
	hr_db_bind_text(st, 1, ns ? ns : "", -1, HR_DB_STATIC);
	found = hr_db_step(st) == HR_DB_ROW && hr_db_column_int64(st, 0);
	hr_db_finalize(st);
	return found;
}

int hr_index_live_sources(hr_index *idx, const char *group, const char *kind, hr_buf *out, hr_error *err)
{
	hr_db_stmt *st = NULL;
	int rc = 0;

	hr_buf_clear(out);
	/* per source, one probe of live_object_by_source(source_id, api_group, kind) */
	if (hr_db_prepare(idx->db, kind ? "SELECT DISTINCT path FROM source s WHERE EXISTS (SELECT 1 FROM live_object l"
					  " WHERE l.source_id = s.id AND l.api_group = ?1 AND l.kind = ?2) ORDER BY path"
					: "SELECT DISTINCT path FROM source s WHERE EXISTS (SELECT 1 FROM live_object l"
					  " WHERE l.source_id = s.id) ORDER BY path", -1, &st, NULL) != HR_DB_OK) {
		hr_db_finalize(st);
		return 0;
	}
	hr_index_bind_opt(st, 1, group);
	hr_index_bind_opt(st, 2, kind);
	while (!rc && hr_db_step(st) == HR_DB_ROW) {
		if (out->len)
			rc = hr_buf_puts(out, ", ");
		if (!rc)
			rc = hr_buf_puts(out, (const char *)hr_db_column_text(st, 0));
	}
	hr_db_finalize(st);
	return rc ? hr_error_set(err, HR_ENOMEM, "out of memory") : 0;
}

int hr_index_live_body(hr_index *idx, int64_t id, hr_buf *json, hr_error *err)
{
	hr_db_stmt *st = NULL;
	int rc = 0;

	hr_buf_clear(json);
	if (hr_db_prepare(idx->db, "SELECT body FROM live_object WHERE id = ?1", -1, &st, NULL) != HR_DB_OK) {
		rc = hr_index_dberr(idx, err, "live object body");
		goto out;
	}
	hr_db_bind_int64(st, 1, id);
	if (hr_db_step(st) != HR_DB_ROW) {
		rc = hr_error_set(err, HR_ENOTFOUND, "live object %lld: not found", (long long)id);
		goto out;
	}
	rc = hr_gzip_inflate(json, hr_db_column_blob(st, 0), (size_t)hr_db_column_bytes(st, 0), 0, err);
out:
	hr_db_finalize(st);
	return rc;
}
