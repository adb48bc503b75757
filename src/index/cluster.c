/*
 * cluster.c — clusters as a dimension of the index: which cluster a scan
 * writes (hr_index_set_cluster), the scoping of a query connection to one
 * cluster (hr_index_use_cluster), the list of clusters (`helmrec
 * clusters`), and the v6 → v7 migration that added them.
 *
 * Scoping works below the queries: when the index holds several clusters,
 * the connection gets temporary views named source, release, revision,
 * sighting and live_object that show only the chosen cluster's rows.  Both
 * engines look up an unqualified name in the temporary schema first, so
 * every query of src/index/ answers for that cluster unchanged, and an
 * index of one cluster gets no views at all (nothing costs more than before).
 */
#include "index/index_int.h"
#include "util/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * v6 → v7 (steps[6] in index.c): source.cluster, and revision, release
 * and live_object rebuilt with a cluster column in their unique keys
 * (SQLite cannot change a constraint in place; index.c runs steps with
 * foreign keys off).  The
 * views that name revision are dropped first and created again with the
 * cluster column, as in schema/index.sql.
 */
const char hr_index_cluster_step_sql[] =
	"ALTER TABLE source ADD COLUMN cluster TEXT NOT NULL DEFAULT 'default';"
	"CREATE INDEX IF NOT EXISTS source_by_cluster ON source(cluster);"
	"DROP VIEW IF EXISTS v_history; DROP VIEW IF EXISTS v_latest;"
	"DROP VIEW IF EXISTS v_resources; DROP VIEW IF EXISTS v_sightings;"
	"CREATE TABLE revision_v7 (id INTEGER PRIMARY KEY, release_id INTEGER NOT NULL REFERENCES release(id),"
	" cluster TEXT NOT NULL DEFAULT 'default', namespace TEXT NOT NULL, name TEXT NOT NULL,"
	" version INTEGER NOT NULL, status TEXT, chart_name TEXT, chart_version TEXT, app_version TEXT,"
	" has_chart INTEGER NOT NULL DEFAULT 1, description TEXT, first_deployed TEXT, last_deployed TEXT,"
	" deleted TEXT, apply_method TEXT, body_namespace TEXT, body_name TEXT, driver TEXT, payload_sha256 TEXT,"
	" json_sha256 TEXT NOT NULL, payload_size INTEGER, json_size INTEGER,"
	" state_order INTEGER NOT NULL DEFAULT 0, is_current INTEGER NOT NULL DEFAULT 0,"
	" is_live INTEGER NOT NULL DEFAULT 0, conflict INTEGER NOT NULL DEFAULT 0,"
	" UNIQUE(cluster, namespace, name, version, json_sha256));"
	"INSERT INTO revision_v7 SELECT id, release_id, 'default', namespace, name, version, status, chart_name,"
	" chart_version, app_version, has_chart, description, first_deployed, last_deployed, deleted, apply_method,"
	" body_namespace, body_name, driver, payload_sha256, json_sha256, payload_size, json_size, state_order,"
	" is_current, is_live, conflict FROM revision;"
	"DROP TABLE revision;"
	"ALTER TABLE revision_v7 RENAME TO revision;"
	"CREATE TABLE release_v7 (id INTEGER PRIMARY KEY, cluster TEXT NOT NULL DEFAULT 'default',"
	" namespace TEXT NOT NULL, name TEXT NOT NULL, UNIQUE(cluster, namespace, name));"
	"INSERT INTO release_v7 SELECT id, 'default', namespace, name FROM release;"
	"DROP TABLE release;"
	"ALTER TABLE release_v7 RENAME TO release;"
	"CREATE TABLE live_object_v7 (id INTEGER PRIMARY KEY, source_id INTEGER NOT NULL REFERENCES source(id),"
	" cluster TEXT NOT NULL DEFAULT 'default', api_version TEXT NOT NULL, api_group TEXT NOT NULL,"
	" kind TEXT NOT NULL, namespace TEXT NOT NULL, name TEXT NOT NULL, uid TEXT, resource_version TEXT NOT NULL,"
	" rv_order INTEGER NOT NULL DEFAULT 0, created TEXT, observed TEXT, release_name TEXT, release_namespace TEXT,"
	" managed_by_helm INTEGER NOT NULL DEFAULT 0, location TEXT, body_size INTEGER, body BLOB NOT NULL,"
	" UNIQUE(cluster, api_group, kind, namespace, name, resource_version));"
	"INSERT INTO live_object_v7 SELECT id, source_id, 'default', api_version, api_group, kind, namespace, name,"
	" uid, resource_version, rv_order, created, observed, release_name, release_namespace, managed_by_helm,"
	" location, body_size, body FROM live_object;"
	"DROP TABLE live_object;"
	"ALTER TABLE live_object_v7 RENAME TO live_object;"
	"CREATE INDEX live_object_by_owner ON live_object(release_namespace, release_name);"
	"CREATE INDEX revision_by_key ON revision(namespace, name, version, cluster);"
	"CREATE INDEX revision_latest ON revision(namespace, name, is_current, is_live, version, id, cluster);"
	"CREATE VIEW v_history AS SELECT cluster, namespace, name, version AS revision, last_deployed AS updated,"
	" status, chart_name || '-' || chart_version AS chart, app_version, description"
	" FROM revision WHERE is_current = 1 ORDER BY cluster, namespace, name, version;"
	"CREATE VIEW v_latest AS SELECT r.* FROM revision r WHERE r.is_current = 1 AND r.version = ("
	" SELECT MAX(version) FROM revision x WHERE x.cluster = r.cluster AND x.namespace = r.namespace"
	" AND x.name = r.name AND x.is_current = 1);"
	"CREATE VIEW v_resources AS SELECT r.cluster, r.namespace AS release_namespace, r.name AS release,"
	" r.version AS revision, s.seq, s.api_version, s.kind, s.namespace, s.name, s.source_path"
	" FROM resource s JOIN revision r ON r.id = s.revision_id WHERE r.is_current = 1;"
	"CREATE VIEW v_sightings AS SELECT r.cluster, r.namespace, r.name, r.version, r.status, s.state, s.driver,"
	" s.object_name, src.path AS source, s.location, s.ds_revision"
	" FROM sighting s JOIN revision r ON r.id = s.revision_id JOIN source src ON src.id = s.source_id;"
	HR_INDEX_QUERY_INDEXES_SQL;

/* Cluster names: letters, digits, '.', '_', '-' (so they never need quoting), 1 to 253 bytes. */
static int check_name(const char *name, hr_error *err)
{
	size_t n = name ? strlen(name) : 0;

	if (!n || n > 253 || strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") != n)
		return hr_error_set(err, HR_EINVAL, "invalid cluster name \"%s\": use letters, digits, '.', '_' and '-'",
				    name ? name : "");
	return 0;
}

int hr_index_set_cluster(hr_index *idx, const char *name, hr_error *err)
{
	char *c;
	int rc;

	if ((rc = check_name(name, err)))
		return rc;
	if (!(c = strdup(name)))
		return hr_error_set(err, HR_ENOMEM, "out of memory");
	free(idx->cluster);
	idx->cluster = c;
	return 0;
}

const char *hr_index_cluster(const hr_index *idx)
{
	return idx->cluster ? idx->cluster : "default";
}

/* Names of the clusters that have inputs, sorted: "a, b, c" into *list; *n of them. */
static int cluster_names(hr_index *idx, hr_buf *list, size_t *n, char **only, hr_error *err)
{
	hr_db_stmt *st = NULL;
	int rc = 0, step;

	*n = 0;
	*only = NULL;
	if (hr_db_prepare(idx->db, "SELECT DISTINCT cluster FROM source ORDER BY cluster", -1, &st, NULL) != HR_DB_OK)
		return hr_index_dberr(idx, err, "clusters");
	while (!rc && (step = hr_db_step(st)) == HR_DB_ROW) {
		const char *c = (const char *)hr_db_column_text(st, 0);

		if ((*n && hr_buf_puts(list, ", ")) || hr_buf_puts(list, c ? c : ""))
			rc = hr_error_set(err, HR_ENOMEM, "out of memory");
		else if (!*n && !(*only = strdup(c ? c : "")))
			rc = hr_error_set(err, HR_ENOMEM, "out of memory");
		++*n;
	}
	if (!rc && step != HR_DB_DONE)
		rc = hr_index_dberr(idx, err, "clusters");
	hr_db_finalize(st);
	return rc;
}

/* The temporary views that scope this connection to cluster `c` (checked name). */
static int scope(hr_index *idx, const char *c, hr_error *err)
{
	hr_buf sql = HR_BUF_INIT;
	char *schema = NULL;
	int pg = hr_db_backend(idx->db) == HR_DB_PG, rc = 0;
	const char *m = "main";

	if (pg) {
		hr_db_stmt *st = NULL;

		if (hr_db_prepare(idx->db, "SELECT current_schema()", -1, &st, NULL) != HR_DB_OK ||
		    hr_db_step(st) != HR_DB_ROW || !hr_db_column_text(st, 0)) {
			hr_db_finalize(st);
			return hr_index_dberr(idx, err, "cluster scope");
		}
		schema = strdup((const char *)hr_db_column_text(st, 0));
		hr_db_finalize(st);
		if (!schema || check_name(schema, NULL)) {
			free(schema);
			return hr_error_set(err, HR_EDB, "%s: cannot scope to a cluster in this schema", idx->path);
		}
		m = schema;
	}
	if (hr_buf_printf(&sql, "%s"
			  "CREATE TEMP VIEW source AS SELECT * FROM %s.source WHERE cluster = '%s';"
			  "CREATE TEMP VIEW revision AS SELECT * FROM %s.revision WHERE cluster = '%s';"
			  "CREATE TEMP VIEW sighting AS SELECT * FROM %s.sighting WHERE source_id IN"
			  " (SELECT id FROM %s.source WHERE cluster = '%s');"
			  "CREATE TEMP VIEW release AS SELECT * FROM %s.release WHERE cluster = '%s';"
			  "CREATE TEMP VIEW live_object AS SELECT * FROM %s.live_object WHERE cluster = '%s';%s",
			  pg && idx->readonly ? "SET default_transaction_read_only = off;" : "",
			  m, c, m, c, m, m, c, m, c, m, c,
			  pg && idx->readonly ? "SET default_transaction_read_only = on;" : ""))
		rc = hr_error_set(err, HR_ENOMEM, "out of memory");
	else
		rc = hr_index_exec(idx, hr_buf_cstr(&sql), err);
	hr_buf_free(&sql);
	free(schema);
	return rc;
}

/* Is `name` one of the names of "a, b, c"? */
static int listed(const char *list, const char *name)
{
	size_t k = strlen(name);

	for (const char *p = list; *p;) {
		const char *next = strstr(p, ", ");

		if (!strncmp(p, name, k) && (p[k] == ',' || !p[k]))
			return 1;
		p = next ? next + 2 : p + strlen(p);
	}
	return 0;
}

int hr_index_use_cluster(hr_index *idx, const char *name, hr_error *err)
{
	hr_buf list = HR_BUF_INIT;
	char *only = NULL;
	size_t n = 0;
	int rc;

	if (name && (rc = check_name(name, err)))
		return rc;
	if ((rc = cluster_names(idx, &list, &n, &only, err)))
		goto out;
	if (!name) {
		if (n > 1)
			rc = hr_error_set(err, HR_EINVAL, "%s holds %zu clusters (%s): pick one with --cluster NAME",
					  idx->path, n, hr_buf_cstr(&list));
		else if (n == 1)
			rc = hr_index_set_cluster(idx, only, err);
		goto out;
	}
	if (!listed(hr_buf_cstr(&list), name) && (n || strcmp(name, "default"))) {
		rc = hr_error_set(err, HR_ENOTFOUND, "%s has no cluster \"%s\" (clusters: %s)", idx->path, name,
				  n ? hr_buf_cstr(&list) : "none");
		goto out;
	}
	if ((rc = hr_index_set_cluster(idx, name, err)))
		goto out;
	if (n > 1)
		rc = scope(idx, name, err);
out:
	hr_buf_free(&list);
	free(only);
	return rc;
}

void hr_cluster_rows_free(hr_cluster_row *rows, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(rows[i].name);
		free(rows[i].first_scan);
		free(rows[i].last_scan);
	}
	free(rows);
}

int hr_index_clusters(hr_index *idx, hr_cluster_row **out, size_t *n, hr_error *err)
{
	static const char sql[] =
		"SELECT c.cluster, COUNT(*), SUM(c.complete), MIN(c.scanned_at), MAX(c.scanned_at),"
		" (SELECT COUNT(*) FROM (SELECT DISTINCT namespace, name FROM revision r"
		"   WHERE r.cluster = c.cluster AND r.is_current = 1) AS k),"
		" (SELECT COUNT(*) FROM revision r WHERE r.cluster = c.cluster AND r.is_current = 1),"
		" SUM(c.records), SUM(c.skipped)"
		" FROM source c GROUP BY c.cluster ORDER BY c.cluster";
	hr_cluster_row *rows = NULL;
	size_t cnt = 0, cap = 0;
	hr_db_stmt *st = NULL;
	int rc = 0, step, oom = 0;

	*out = NULL;
	*n = 0;
	if (hr_db_prepare(idx->db, sql, -1, &st, NULL) != HR_DB_OK)
		return hr_index_dberr(idx, err, "clusters");
	while ((step = hr_db_step(st)) == HR_DB_ROW) {
		hr_cluster_row *r = HR_INDEX_ROW_ADD(rows, cnt, cap);

		if (!r) {
			oom = 1;
			break;
		}
		r->name = hr_index_col_text(st, 0, &oom);
		r->inputs = hr_db_column_int64(st, 1);
		r->complete = hr_db_column_int64(st, 2);
		r->first_scan = hr_index_col_text(st, 3, &oom);
		r->last_scan = hr_index_col_text(st, 4, &oom);
		r->releases = hr_db_column_int64(st, 5);
		r->revisions = hr_db_column_int64(st, 6);
		r->records = hr_db_column_int64(st, 7);
		r->skipped = hr_db_column_int64(st, 8);
	}
	if (oom)
		rc = hr_error_set(err, HR_ENOMEM, "out of memory");
	else if (step != HR_DB_DONE)
		rc = hr_index_dberr(idx, err, "clusters");
	hr_db_finalize(st);
	if (rc) {
		hr_cluster_rows_free(rows, cnt);
		return rc;
	}
	*out = rows;
	*n = cnt;
	return 0;
}
