/*
 * index.c — open/create/migrate the SQLite index, transactions (sources:
 * source.c; PostgreSQL: index_pg.c),
 * and the post-scan pass that decides which body of each revision is the
 * one helm would read.
 *
 * The file is created 0600 before SQLite opens it (umask alone is not
 * trusted).  The schema lives in schema/index.sql and is embedded at build
 * time; PRAGMA user_version carries its version, and a file from a newer
 * helmrec is refused rather than guessed at.
 */
#include "index/index_int.h"
#include "index/index_pg.h"
#include "index/live.h"
#include "util/array.h"
#include "util/buf.h"

#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

extern const char hr_schema_sql[];

/*
 * PRAGMA application_id of a helmrec index: "HRIX" as a big-endian 32-bit
 * number.  Written when the schema is created (and added to an older index
 * on its next write), so that nothing is ever written into a file that is
 * not ours: evidence such as a kine state.db is also SQLite.
 */
#define HR_INDEX_APPLICATION_ID 0x48524958

/*
 * What a non-empty file that is not a helmrec index looks like, for the
 * refusal message ("" when it is an SQLite file to be checked further;
 * *ours then says whether its header carries our application_id).
 */
static const char *sniff_foreign(const char *path, int *ours)
{
	unsigned char h[72] = { 0 };
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return "";
	n = read(fd, h, sizeof(h));
	close(fd);
	if (n <= 0)
		return "";
	if (n >= 16 && !memcmp(h, "SQLite format 3", 16)) {
		*ours = n >= 72 && ((uint32_t)h[68] << 24 | (uint32_t)h[69] << 16 | (uint32_t)h[70] << 8 | h[71]) ==
					   HR_INDEX_APPLICATION_ID;
		return "";
	}
	/* bbolt (etcd snapshot / member db): meta page magic 0xED0CDAED at byte 16. */
	if (n >= 20 && ((h[16] == 0xED && h[17] == 0xDA && h[18] == 0x0C && h[19] == 0xED) ||
			(h[19] == 0xED && h[18] == 0xDA && h[17] == 0x0C && h[16] == 0xED)))
		return "this is an etcd snapshot (bbolt): read it with --from or scan it into another --db";
	return "this file is not an SQLite database: read it with --from or scan it into another --db";
}

static int pragma_int(hr_index *idx, const char *sql, int *v)
{
	hr_db_stmt *st;
	int rc;

	*v = 0;
	if (hr_db_prepare(idx->db, sql, -1, &st, NULL) != HR_DB_OK)
		return -1;
	rc = hr_db_step(st);
	if (rc == HR_DB_ROW)
		*v = hr_db_column_int(st, 0);
	hr_db_finalize(st);
	return rc == HR_DB_ROW || rc == HR_DB_DONE ? 0 : -1;
}

/*
 * Is the open SQLite file a helmrec index (or an empty database)?  Reads
 * only.  An index from before application_id existed is recognised by its
 * tables.  Fails with a message saying what the file looks like.
 */
static int recognise(hr_index *idx, hr_error *err)
{
	int app, tables, ours, kine;

	if (pragma_int(idx, "PRAGMA application_id", &app) ||
	    pragma_int(idx, "SELECT COUNT(*) FROM sqlite_master", &tables))
		return hr_error_set(err, HR_EDB, "%s: not a helmrec index (%s)", idx->path, hr_db_errmsg(idx->db));
	if (app == HR_INDEX_APPLICATION_ID || (!app && !tables))
		return 0;
	if (pragma_int(idx, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN"
			    " ('source', 'release', 'revision', 'sighting')", &ours) ||
	    pragma_int(idx, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'kine'", &kine))
		return hr_error_set(err, HR_EDB, "%s: not a helmrec index (%s)", idx->path, hr_db_errmsg(idx->db));
	if (!app && ours == 4)
		return 0;
	if (kine)
		return hr_error_set(err, HR_EINVAL, "%s: not a helmrec index: this is a k3s/kine datastore: "
				    "read it with --from or scan it into another --db", idx->path);
	return hr_error_set(err, HR_EINVAL, "%s: not a helmrec index: this is an SQLite database of another "
			    "application; read it with --from or scan it into another --db", idx->path);
}

int hr_index_dberr(hr_index *idx, hr_error *err, const char *what)
{
	return hr_error_set(err, HR_EDB, "%s: %s: %s", idx->path, what, hr_db_errmsg(idx->db));
}

int hr_index_exec(hr_index *idx, const char *sql, hr_error *err)
{
	if (hr_db_exec(idx->db, sql) != HR_DB_OK)
		return hr_error_set(err, HR_EDB, "%s: %s", idx->path, hr_db_errmsg(idx->db));
	return 0;
}

static int user_version(hr_index *idx, int *v, hr_error *err)
{
	hr_db_stmt *st;
	int rc;

	rc = hr_db_prepare(idx->db, "PRAGMA user_version", -1, &st, NULL);
	if (rc != HR_DB_OK)
		return hr_error_set(err, HR_EDB, "%s: not a helmrec index (%s)", idx->path,
				    hr_db_errmsg(idx->db));
	rc = hr_db_step(st);
	*v = rc == HR_DB_ROW ? hr_db_column_int(st, 0) : 0;
	hr_db_finalize(st);
	if (rc != HR_DB_ROW)
		return hr_error_set(err, HR_EDB, "%s: not a helmrec index (%s)", idx->path,
				    hr_db_errmsg(idx->db));
	return 0;
}

/* Give an index recognised by its tables (older helmrec) our application_id. */
static int mark_ours(hr_index *idx, hr_error *err)
{
	char sql[64];
	int app;

	if (idx->readonly || pragma_int(idx, "PRAGMA application_id", &app) || app == HR_INDEX_APPLICATION_ID)
		return 0;
	snprintf(sql, sizeof(sql), "PRAGMA application_id = %d", HR_INDEX_APPLICATION_ID);
	return hr_index_exec(idx, sql, err);
}

/*
 * Migration steps: steps[v] turns a version-v index into version v+1.  A new
 * schema version adds its step here (and schema/index.sql holds the whole
 * current schema, which a new index gets in one go).
 */
static const char *const steps[] = {
	[1] = "ALTER TABLE sighting ADD COLUMN ds_until INTEGER NOT NULL DEFAULT 0;"
	      "CREATE UNIQUE INDEX IF NOT EXISTS finding_once ON finding(rule, namespace, name, version, message);",
	[2] = "CREATE TABLE payload (revision_id INTEGER PRIMARY KEY REFERENCES revision(id),"
	      " data BLOB NOT NULL);"
	      "INSERT INTO payload(revision_id, data) SELECT id, payload FROM revision WHERE payload IS NOT NULL;"
	      "ALTER TABLE revision DROP COLUMN payload;"
	      "CREATE INDEX IF NOT EXISTS revision_latest ON revision(namespace, name, is_current, is_live, version, id);",
	[3] = "ALTER TABLE finding ADD COLUMN revisions TEXT;"
	      "ALTER TABLE finding ADD COLUMN evidence TEXT;"
	      "CREATE VIEW IF NOT EXISTS v_findings AS"
	      " SELECT severity, rule, namespace, name AS release, version AS revision, revisions, message,"
	      " evidence, remedy FROM finding ORDER BY CASE severity WHEN 'error' THEN 0"
	      " WHEN 'warning' THEN 1 ELSE 2 END, namespace, name, version, rule;",
	[4] = hr_index_live_schema_sql,  /* live objects of the backup (src/index/live.c) */
	[5] = HR_INDEX_QUERY_INDEXES_SQL,  /* query indexes (index_int.h) */
	[6] = hr_index_cluster_step_sql, /* clusters (src/index/cluster.c) */
	[7] = HR_INDEX_NEWEST_STEP_SQL(HR_INDEX_NEWEST_INDEX_SQL), /* revision.newest (index_int.h) */
};

/* Run `sql` and set user_version to `to`, in one transaction. */
static int migrate_step(hr_index *idx, const char *sql, int to, hr_error *err)
{
	char pragma[64];

	snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", to);
	return hr_index_exec_tx(idx, sql, pragma, err);
}

int hr_index_exec_tx(hr_index *idx, const char *sql, const char *then, hr_error *err)
{
	int rc;

	if ((rc = hr_index_exec(idx, "BEGIN", err)) < 0)
		return rc;
	if ((rc = hr_index_exec(idx, sql, err)) < 0 || (rc = hr_index_exec(idx, then, err)) < 0 ||
	    (rc = hr_index_exec(idx, "COMMIT", err)) < 0)
		hr_index_exec(idx, "ROLLBACK", NULL);
	return rc;
}

int hr_index_version_check(hr_index *idx, int v, hr_error *err)
{
	if (v > HR_INDEX_SCHEMA_VERSION)
		return hr_error_set(err, HR_EDB, "%s: index schema version %d is newer than this helmrec (%d)",
				    idx->path, v, HR_INDEX_SCHEMA_VERSION);
	if (v == HR_INDEX_SCHEMA_VERSION)
		return 1;
	if (idx->readonly)
		return hr_error_set(err, HR_EDB, "%s: index is empty or needs migration; run helmrec scan", idx->path);
	return 0;
}

static int migrate(hr_index *idx, hr_error *err)
{
	int v, rc;

	if ((rc = user_version(idx, &v, err)))
		return rc;
	if ((rc = hr_index_version_check(idx, v, err)))
		return rc < 0 ? rc : mark_ours(idx, err);
	/* v0: the whole current schema.  Older versions: one step each, in order. */
	if (v == 0)
		return (rc = migrate_step(idx, hr_schema_sql, HR_INDEX_SCHEMA_VERSION, err)) < 0 ? rc : mark_ours(idx, err);
	/* steps may rebuild a table that others reference: foreign keys off meanwhile */
	if ((rc = hr_index_exec(idx, "PRAGMA foreign_keys=OFF", err)) < 0)
		return rc;
	for (; v < HR_INDEX_SCHEMA_VERSION && (size_t)v < sizeof(steps) / sizeof(steps[0]) && steps[v]; v++)
		if ((rc = migrate_step(idx, steps[v], v + 1, err)) < 0)
			break;
	hr_index_exec(idx, "PRAGMA foreign_keys=ON", NULL);
	return rc < 0 ? rc : mark_ours(idx, err);
}

/*
 * Recognise a file whose header does not carry our application_id through
 * an immutable connection: a read-write (or even read-only) open of a
 * WAL-mode database such as kine's would create -wal and -shm files next
 * to the evidence.
 */
static int probe(hr_index *idx, hr_error *err)
{
	static const char hex[] = "0123456789ABCDEF";
	hr_buf uri = HR_BUF_INIT;
	hr_db *db = NULL;
	int rc = hr_buf_puts(&uri, "file:");

	for (const unsigned char *p = (const unsigned char *)idx->path; !rc && *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    strchr("/-._~", *p))
			rc = hr_buf_putc(&uri, (char)*p);
		else if (!(rc = hr_buf_putc(&uri, '%')) && !(rc = hr_buf_putc(&uri, hex[*p >> 4])))
			rc = hr_buf_putc(&uri, hex[*p & 15]);
	}
	if (!rc)
		rc = hr_buf_puts(&uri, "?immutable=1");
	if (rc) {
		hr_buf_free(&uri);
		return hr_error_set(err, HR_ENOMEM, "out of memory");
	}
	if ((rc = hr_db_open(&db, hr_buf_cstr(&uri), HR_DB_OPEN_READONLY | HR_DB_OPEN_URI, 0, err)))
		hr_error_prefix(err, rc, "%s: cannot open index: ", idx->path);
	else {
		idx->db = db;
		rc = recognise(idx, err);
		idx->db = NULL;
	}
	hr_db_close(db);
	hr_buf_free(&uri);
	return rc;
}

/*
 * A scan killed mid-transaction leaves a hot journal that a read-only
 * connection cannot roll back ("attempt to write a readonly database").
 * When one is there, open the index read-write once and read it, which
 * makes SQLite roll the journal back, then let the read-only open go on.
 * Only a file already recognised as ours is touched.
 */
static int recover_hot_journal(hr_index *idx, hr_error *err)
{
	char jpath[4096];
	struct stat sb;
	hr_db *db = NULL;
	int n, rc = 0;

	/*
	 * (an empty journal too: a scan killed between two transactions leaves
	 * TRUNCATE mode's empty -journal behind, more often now that commits do
	 * not wait for fsync)
	 */
	n = snprintf(jpath, sizeof(jpath), "%s-journal", idx->path);
	if (n < 0 || (size_t)n >= sizeof(jpath) || stat(jpath, &sb) < 0)
		return 0;
	if (!hr_db_open(&db, idx->path, 0, 0, NULL)) {
		idx->db = db;
		rc = recognise(idx, err);
		idx->db = NULL;
		/* a stale (not hot) journal left by a killed scan: leaving PERSIST for DELETE removes it */
		if (!rc)
			hr_db_exec(db, "PRAGMA journal_mode=PERSIST; PRAGMA journal_mode=DELETE");
	}
	hr_db_close(db);
	return rc;
}

int hr_index_open(hr_index **out, const char *path, unsigned flags, hr_error *err)
{
	hr_index *idx;
	int memory = !path || !strcmp(path, ":memory:");
	const char *foreign;
	int oflags, rc, ours = 0;

	*out = NULL;
	idx = calloc(1, sizeof(*idx));
	if (!idx)
		return hr_error_set(err, HR_ENOMEM, "out of memory");
	idx->path = strdup(memory ? ":memory:" : path);
	idx->readonly = !!(flags & HR_INDEX_READONLY);
	if (!idx->path) {
		free(idx);
		return hr_error_set(err, HR_ENOMEM, "out of memory");
	}
	if (hr_db_is_pg(path)) {
		if ((rc = hr_index_pg_open(idx, err)))
			goto fail;
		*out = idx;
		return 0;
	}
	if (!memory) {
		struct stat stbuf;

		if (stat(path, &stbuf) < 0) {
			int fd;

			if (errno != ENOENT || !(flags & HR_INDEX_CREATE)) {
				rc = hr_error_set(err, HR_ENOTFOUND, "%s: no index here (%s); run 'helmrec scan INPUT --db %s' first",
						  path, strerror(errno), path);
				goto fail;
			}
			fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
			if (fd < 0) {
				rc = hr_error_set(err, HR_EIO, "%s: cannot create index: %s", path, strerror(errno));
				goto fail;
			}
			fchmod(fd, 0600);
			close(fd);
		} else if (!S_ISREG(stbuf.st_mode)) {
			rc = hr_error_set(err, HR_EIO, "%s: not a regular file", path);
			goto fail;
		} else if (stbuf.st_size > 0 && *(foreign = sniff_foreign(path, &ours))) {
			rc = hr_error_set(err, HR_EINVAL, "%s: not a helmrec index: %s", path, foreign);
			goto fail;
		} else if (stbuf.st_size > 0 && !ours && (rc = probe(idx, err))) {
			goto fail;
		}
		if (idx->readonly && (rc = recover_hot_journal(idx, err)))
			goto fail;
	}
	oflags = idx->readonly ? HR_DB_OPEN_READONLY : 0;
	if ((rc = hr_db_open(&idx->db, idx->path, oflags, 5000, err))) {
		hr_error_prefix(err, rc, "%s: cannot open index: ", idx->path);
		goto fail;
	}
	/* Nothing is written before the file is known to be ours. */
	if (!memory && (rc = recognise(idx, err)))
		goto fail;
	/*
	 * Big pages: bodies are stored compressed as blobs of tens to hundreds
	 * of KB, and 64 KiB pages cut the page I/O of a scan by ~16x (the page
	 * size only takes effect on a new, empty file).  A rollback journal
	 * rather than WAL: a scan mostly appends new pages, which a rollback
	 * journal does not copy, while WAL writes every blob twice (measured:
	 * 1 GB dump 7.9 s with WAL, 6.8 s without).  Each batch is still one
	 * atomic transaction, so a killed scan leaves a consistent file.
	 * No fsync per transaction (synchronous=OFF): a killed process loses
	 * nothing the kernel was given, and the journal still rolls back a
	 * half-written batch; only a crash of the machine itself needs the
	 * data on disk, and hr_index_close syncs the file once at the end.
	 */
	if (!idx->readonly && !memory &&
	    (rc = hr_index_exec(idx, "PRAGMA page_size=65536; PRAGMA journal_mode=TRUNCATE; PRAGMA synchronous=OFF;"
				"PRAGMA cache_size=-4096;", err))) {
		hr_error_prefix(err, rc, "not a helmrec index: ");
		goto fail;
	}
	idx->journal_truncate = !idx->readonly && !memory;
	/*
	 * Temporary tables and sorts in memory for queries; a writer keeps
	 * them in SQLite's own (unlinked, 0600) temp file instead, so that
	 * hr_index_finish's per-release sorts over every touched revision do
	 * not grow the scan's memory with the input (issue 16: flat RSS).
	 */
	if ((rc = hr_index_exec(idx, idx->readonly || memory ? "PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;"
							     : "PRAGMA foreign_keys=ON; PRAGMA temp_store=FILE;",
				err)))
		goto fail;
	/*
	 * Queries read the file through a memory map rather than pread()
	 * into the page cache: a command touching a few MB of 64 KiB pages
	 * spent most of its time copying them (status at 100 000 revisions).
	 */
	if (idx->readonly && (rc = hr_index_exec(idx, "PRAGMA mmap_size=1073741824;", err)))
		goto fail;
	if ((rc = migrate(idx, err)))
		goto fail;
	*out = idx;
	return 0;
fail:
	hr_index_close(idx);
	return rc;
}

int hr_index_read_mostly(hr_index *idx, hr_error *err)
{
	if (idx->readonly || !idx->journal_truncate || hr_db_backend(idx->db) != HR_DB_SQLITE)
		return 0;       /* read-only: mapped already; memory, PostgreSQL: nothing to map */
	return hr_index_exec(idx, "PRAGMA mmap_size=1073741824;", err);
}

void hr_index_close(hr_index *idx)
{
	if (!idx)
		return;
	for (size_t i = 0; i < sizeof(idx->stmts) / sizeof(idx->stmts[0]); i++)
		hr_db_finalize(idx->stmts[i]);
	/* TRUNCATE mode leaves an empty -journal: switching to DELETE removes it. */
	if (idx->db && idx->journal_truncate)
		hr_db_exec(idx->db, "PRAGMA journal_mode=DELETE");
	hr_db_close(idx->db);
	/* the one sync of a written index (synchronous=OFF while writing) */
	if (idx->journal_truncate) {
		int fd = open(idx->path, O_RDONLY | O_CLOEXEC);

		if (fd >= 0) {
			fsync(fd);
			close(fd);
		}
	}
	free(idx->path);
	free(idx->cluster);
	free(idx);
}

struct hr_db *hr_index_db(hr_index *idx)
{
	return idx->db;
}

int hr_index_begin(hr_index *idx, hr_error *err)
{
	if (hr_db_backend(idx->db) == HR_DB_PG)
		return hr_index_pg_begin(idx, err);
	return hr_index_exec(idx, "BEGIN IMMEDIATE", err);
}

int hr_index_commit(hr_index *idx, hr_error *err)
{
	return hr_index_exec(idx, "COMMIT", err);
}

void hr_index_rollback(hr_index *idx)
{
	hr_index_exec(idx, "ROLLBACK", NULL);
}

int hr_index_prepare(hr_index *idx, int slot, const char *sql, hr_db_stmt **out, hr_error *err)
{
	if (!idx->stmts[slot] &&
	    hr_db_prepare_persistent(idx->db, sql, -1, &idx->stmts[slot], NULL) != HR_DB_OK)
		return hr_index_dberr(idx, err, "prepare");
	hr_db_reset(idx->stmts[slot]);
	hr_db_clear_bindings(idx->stmts[slot]);
	*out = idx->stmts[slot];
	return 0;
}

int hr_index_finish(hr_index *idx, int64_t source_id, hr_error *err)
{
	/*
	 * A body is live if any sighting of it is live.  The current body of a
	 * key is the live one (or, with none live, the latest state seen); two
	 * different live bodies for one key are a conflict, whatever ordering
	 * a datastore gives, because both claim to be the head.  Only the keys
	 * the source touched are recomputed, and only rows whose flags change
	 * are written.  Then `newest` (what list shows, index_int.h) of every
	 * release those keys belong to.
	 */
	static const char sql[] =
		"CREATE TEMP TABLE IF NOT EXISTS touched(cluster TEXT, namespace TEXT, name TEXT, version INTEGER,"
		"  PRIMARY KEY(cluster, namespace, name, version)) WITHOUT ROWID;"
		"DELETE FROM temp.touched;"
		"INSERT OR IGNORE INTO temp.touched SELECT DISTINCT r.cluster, r.namespace, r.name, r.version FROM revision r"
		"  WHERE ?1 = 0 OR r.id IN (SELECT revision_id FROM sighting WHERE source_id = ?1);"
		"CREATE TEMP TABLE IF NOT EXISTS flags(id INTEGER PRIMARY KEY, is_live, state_order, conflict, is_current);"
		"DELETE FROM temp.flags;"
		"INSERT INTO temp.flags(id, is_live, state_order)"
		"  SELECT r.id, EXISTS(SELECT 1 FROM sighting s WHERE s.revision_id = r.id AND s.state = 'live'),"
		"    COALESCE((SELECT MAX(ds_revision) FROM sighting s WHERE s.revision_id = r.id), 0)"
		"  FROM revision r JOIN temp.touched t USING(cluster, namespace, name, version);"
		"UPDATE temp.flags SET conflict = is_live AND (SELECT COUNT(*) FROM temp.flags f JOIN revision a ON a.id = f.id"
		"  JOIN revision b ON b.id = flags.id WHERE f.is_live AND a.cluster = b.cluster AND a.namespace = b.namespace"
		"  AND a.name = b.name AND a.version = b.version) > 1;"
		"UPDATE temp.flags SET is_current = (id = (SELECT f.id FROM temp.flags f JOIN revision a ON a.id = f.id"
		"  JOIN revision b ON b.id = flags.id WHERE a.cluster = b.cluster AND a.namespace = b.namespace"
		"  AND a.name = b.name AND a.version = b.version ORDER BY f.is_live DESC, f.state_order DESC, f.id DESC LIMIT 1));"
		"UPDATE revision SET is_live = f.is_live, state_order = f.state_order, conflict = f.conflict,"
		"  is_current = f.is_current FROM temp.flags f WHERE f.id = revision.id AND (revision.is_live IS NOT f.is_live"
		"  OR revision.state_order IS NOT f.state_order OR revision.conflict IS NOT f.conflict"
		"  OR revision.is_current IS NOT f.is_current);"
		"CREATE TEMP TABLE IF NOT EXISTS bodies(cluster TEXT, bns TEXT, bname TEXT,"
		"  PRIMARY KEY(cluster, bns, bname)) WITHOUT ROWID;"
		"CREATE TEMP TABLE IF NOT EXISTS newest(id INTEGER PRIMARY KEY, newest INTEGER);"
		HR_INDEX_NEWEST_FINISH_SQL;
	hr_db_stmt *st = NULL;
	const char *tail = hr_db_backend(idx->db) == HR_DB_PG ? hr_index_pg_finish_sql : sql;
	int rc = 0;

	while (!rc && tail && *tail) {
		if (hr_db_prepare(idx->db, tail, -1, &st, &tail) != HR_DB_OK)
			return hr_index_dberr(idx, err, "finish");
		if (!st)
			break;
		if (hr_db_bind_parameter_count(st))
			hr_db_bind_int64(st, 1, source_id);
		if (hr_db_step(st) != HR_DB_DONE)
			rc = hr_index_dberr(idx, err, "finish");
		hr_db_finalize(st);
	}
	return rc;
}

int hr_index_count(hr_index *idx, hr_index_counts *out, hr_error *err)
{
	static const char sql[] =
		"SELECT (SELECT COUNT(*) FROM release),"
		" (SELECT COUNT(*) FROM revision WHERE is_current),"
		" (SELECT COUNT(*) FROM revision),"
		" (SELECT COUNT(*) FROM sighting),"
		" (SELECT COUNT(DISTINCT namespace || '/' || name || '/' || version) FROM revision WHERE conflict)";
	hr_db_stmt *st;

	memset(out, 0, sizeof(*out));
	if (hr_db_prepare(idx->db, sql, -1, &st, NULL) != HR_DB_OK)
		return hr_index_dberr(idx, err, "count");
	if (hr_db_step(st) == HR_DB_ROW) {
		out->releases = hr_db_column_int64(st, 0);
		out->revisions = hr_db_column_int64(st, 1);
		out->bodies = hr_db_column_int64(st, 2);
		out->sightings = hr_db_column_int64(st, 3);
		out->conflicts = hr_db_column_int64(st, 4);
	}
	hr_db_finalize(st);
	return 0;
}
