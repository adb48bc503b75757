/*
 * index_pg.c — open, create and migrate an index held in PostgreSQL
 * (`--db postgresql://…`), and the PostgreSQL form of the post-scan pass.
 *
 * The schema is schema/index-pg.sql, embedded at build time.  Its version
 * and the application identity are rows of the `meta` table; a database
 * with tables but no helmrec `meta` is refused, never written.  Creating
 * or migrating the schema holds a session advisory lock only for that
 * moment, so scanners that start together do not race; scans themselves
 * hold no lock beyond their short per-batch transactions, each of which
 * takes its cluster's transaction-level advisory lock (hr_index_pg_begin).
 */
#include "index/index_int.h"
#include "index/index_pg.h"

#include <stdio.h>
#include <stdlib.h>

extern const char hr_schema_pg_sql[];

#define APPLICATION "helmrec index"
/* "HRIX", as SQLite's application_id */
#define LOCK "SELECT pg_advisory_lock(1213352280)"
#define UNLOCK "SELECT pg_advisory_unlock(1213352280)"
/* a cluster's writers: "HRIX" + 1 and the hash of the cluster's name */
#define CLUSTER_LOCK "SELECT pg_advisory_xact_lock(1213352281, hashtext(?1))"

/* What list reads (v8; schema/index-pg.sql keeps it in step, index_int.h says why it is narrow). */
#define PG_NEWEST_INDEX "CREATE INDEX IF NOT EXISTS revision_newest ON revision(namespace, newest) WHERE newest > 0;"

#define PG_V_LATEST \
	"CREATE OR REPLACE VIEW v_latest AS SELECT r.* FROM revision r WHERE r.is_current AND r.version = (" \
	" SELECT MAX(version) FROM revision x WHERE x.cluster = r.cluster AND x.namespace = r.namespace" \
	" AND x.name = r.name AND x.is_current);"

/*
 * Migration steps: pg_steps[v] turns a version-v PostgreSQL index into
 * v+1, as index.c does.  The first PostgreSQL schema was version 7.
 */
static const char *const pg_steps[HR_INDEX_SCHEMA_VERSION + 1] = {
	/* revision.newest; v_latest (r.*) again, as PostgreSQL fixed its columns when it was created */
	[7] = HR_INDEX_NEWEST_STEP_SQL(PG_NEWEST_INDEX PG_V_LATEST),
};

const char hr_index_pg_finish_sql[] =
	"CREATE TEMP TABLE IF NOT EXISTS touched(cluster TEXT COLLATE \"C\", namespace TEXT COLLATE \"C\","
	"  name TEXT COLLATE \"C\", version BIGINT, PRIMARY KEY(cluster, namespace, name, version));"
	"DELETE FROM pg_temp.touched;"
	"INSERT INTO pg_temp.touched SELECT DISTINCT r.cluster, r.namespace, r.name, r.version FROM revision r"
	"  WHERE ?1 = 0 OR r.id IN (SELECT revision_id FROM sighting WHERE source_id = ?1) ON CONFLICT DO NOTHING;"
	"CREATE TEMP TABLE IF NOT EXISTS flags(id BIGINT PRIMARY KEY, cluster TEXT COLLATE \"C\", namespace TEXT COLLATE \"C\","
	"  name TEXT COLLATE \"C\", version BIGINT, is_live BOOLEAN, state_order BIGINT, conflict BOOLEAN,"
	"  is_current BOOLEAN);"
	"DELETE FROM pg_temp.flags;"
	"INSERT INTO pg_temp.flags(id, cluster, namespace, name, version, is_live, state_order)"
	"  SELECT r.id, r.cluster, r.namespace, r.name, r.version,"
	"    EXISTS(SELECT 1 FROM sighting s WHERE s.revision_id = r.id AND s.state = 'live'),"
	"    COALESCE((SELECT MAX(ds_revision) FROM sighting s WHERE s.revision_id = r.id), 0)"
	"  FROM revision r JOIN pg_temp.touched t USING(cluster, namespace, name, version);"
	"UPDATE pg_temp.flags SET conflict = is_live AND (SELECT COUNT(*) FROM pg_temp.flags f WHERE f.is_live"
	"  AND f.cluster = flags.cluster AND f.namespace = flags.namespace AND f.name = flags.name"
	"  AND f.version = flags.version) > 1,"
	"  is_current = (id = (SELECT f.id FROM pg_temp.flags f WHERE f.cluster = flags.cluster"
	"  AND f.namespace = flags.namespace"
	"  AND f.name = flags.name AND f.version = flags.version"
	"  ORDER BY f.is_live DESC, f.state_order DESC, f.id DESC LIMIT 1));"
	"UPDATE revision SET is_live = f.is_live, state_order = f.state_order, conflict = f.conflict,"
	"  is_current = f.is_current FROM pg_temp.flags f WHERE f.id = revision.id"
	"  AND (revision.is_live <> f.is_live OR revision.state_order <> f.state_order"
	"  OR revision.conflict <> f.conflict OR revision.is_current <> f.is_current);"
	"CREATE TEMP TABLE IF NOT EXISTS bodies(cluster TEXT COLLATE \"C\", bns TEXT COLLATE \"C\","
	"  bname TEXT COLLATE \"C\", PRIMARY KEY(cluster, bns, bname));"
	"CREATE TEMP TABLE IF NOT EXISTS newest(id BIGINT PRIMARY KEY, newest INTEGER);"
	HR_INDEX_NEWEST_FINISH_SQL;

/* One text value of a one-row query (malloc'd, NULL when no row). */
static int query_text(hr_index *idx, const char *sql, char **out, hr_error *err)
{
	hr_db_stmt *st = NULL;
	int rc = 0, step;

	*out = NULL;
	if (hr_db_prepare(idx->db, sql, -1, &st, NULL) != HR_DB_OK)
		return hr_index_dberr(idx, err, "read schema");
	step = hr_db_step(st);
	if (step == HR_DB_ROW && hr_db_column_text(st, 0) && !(*out = strdup((const char *)hr_db_column_text(st, 0))))
		rc = hr_error_set(err, HR_ENOMEM, "out of memory");
	else if (step != HR_DB_ROW && step != HR_DB_DONE)
		rc = hr_index_dberr(idx, err, "read schema");
	hr_db_finalize(st);
	return rc;
}

/* Version of the index in this database: 0 = empty database; refuses a foreign one. */
static int pg_version(hr_index *idx, int *v, hr_error *err)
{
	char *s = NULL;
	int rc;

	*v = 0;
	if ((rc = query_text(idx, "SELECT to_regclass('meta') IS NOT NULL", &s, err)))
		return rc;
	if (s && *s == '1') {
		free(s);
		if ((rc = query_text(idx, "SELECT value FROM meta WHERE key = 'application_id'", &s, err)))
			return rc;
		if (!s || strcmp(s, APPLICATION)) {
			free(s);
			return hr_error_set(err, HR_EINVAL, "%s: not a helmrec index: its meta table belongs to "
					    "another application", idx->path);
		}
		free(s);
		if ((rc = query_text(idx, "SELECT value FROM meta WHERE key = 'schema_version'", &s, err)))
			return rc;
		*v = s ? (int)strtol(s, NULL, 10) : 0;
		free(s);
		return 0;
	}
	free(s);
	if ((rc = query_text(idx, "SELECT COUNT(*) FROM information_schema.tables"
			     " WHERE table_schema = current_schema()", &s, err)))
		return rc;
	rc = s && strcmp(s, "0") ? hr_error_set(err, HR_EINVAL, "%s: not a helmrec index: the database holds "
						 "tables of another application; use an empty database", idx->path) : 0;
	free(s);
	return rc;
}

/* Run `sql` and record version `to`, in one transaction. */
static int pg_step_to(hr_index *idx, const char *sql, int to, int create, hr_error *err)
{
	char meta[320];

	snprintf(meta, sizeof(meta), "%sINSERT INTO meta(key, value) VALUES('schema_version', '%d')"
		 " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
		 create ? "INSERT INTO meta(key, value) VALUES('application_id', '" APPLICATION "');" : "", to);
	return hr_index_exec_tx(idx, sql, meta, err);
}

static int pg_migrate(hr_index *idx, hr_error *err)
{
	int v, rc;

	if ((rc = pg_version(idx, &v, err)))
		return rc;
	if (idx->readonly && !v)
		return hr_error_set(err, HR_ENOTFOUND, "%s: no index here; run 'helmrec scan INPUT --db %s' first",
				    idx->path, idx->path);
	if ((rc = hr_index_version_check(idx, v, err)))
		return rc < 0 ? rc : 0;
	if (v == 0)
		return pg_step_to(idx, hr_schema_pg_sql, HR_INDEX_SCHEMA_VERSION, 1, err);
	for (; v < HR_INDEX_SCHEMA_VERSION; v++) {
		if (!pg_steps[v])
			return hr_error_set(err, HR_EDB, "%s: no migration from index schema version %d", idx->path, v);
		if ((rc = pg_step_to(idx, pg_steps[v], v + 1, 0, err)) < 0)
			return rc;
	}
	return 0;
}

int hr_index_pg_open(hr_index *idx, hr_error *err)
{
	int rc;

	if ((rc = hr_db_open(&idx->db, idx->path, idx->readonly ? HR_DB_OPEN_READONLY : 0, 0, err)))
		return hr_error_prefix(err, rc, "%s: cannot open index: ", idx->path);
	if (idx->readonly)
		return pg_migrate(idx, err);
	if ((rc = hr_index_exec(idx, LOCK, err)))
		return rc;
	rc = pg_migrate(idx, err);
	hr_index_exec(idx, UNLOCK, NULL);
	return rc;
}

int hr_index_pg_begin(hr_index *idx, hr_error *err)
{
	hr_db_stmt *st = NULL;
	int rc;

	if ((rc = hr_index_exec(idx, "BEGIN", err)) < 0)
		return rc;
	if (hr_db_prepare(idx->db, CLUSTER_LOCK, -1, &st, NULL) != HR_DB_OK) {
		rc = hr_index_dberr(idx, err, "lock cluster");
		goto out;
	}
	hr_db_bind_text(st, 1, hr_index_cluster(idx), -1, HR_DB_STATIC);
	if (hr_db_step(st) != HR_DB_ROW)
		rc = hr_index_dberr(idx, err, "lock cluster");
out:
	hr_db_finalize(st);
	if (rc < 0)
		hr_index_exec(idx, "ROLLBACK", NULL);
	return rc;
}
