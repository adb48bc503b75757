/*
 * kine.c — the kine reader: Helm records in a k3s/kine SQLite datastore
 * (state.db), one per surviving row, live, historical and deleted alike.
 *
 * kine stores etcd's MVCC history as an append-only table: every put or
 * delete is a row whose id is the revision.  A row's state is read off the
 * next row of the same name: none (live), a delete row (deleted) or an
 * update (historical).  Delete rows are tombstones and yield nothing of
 * their own.  When compaction removed a row, its content usually survives in
 * the `old_value` of the row that superseded it (or, for kine <= 0.15, in
 * the `value` of the delete row): those values are recovered with the
 * compacted row's revision.  The database is opened read-only through an
 * immutable URI so that nothing (not even a -shm file) is written next to
 * the evidence; when a non-empty -wal file sits beside it, both are copied
 * to a private temporary directory and the copy is opened instead, so the
 * WAL's committed rows are seen.  Layout: formats/kine.md.
 */
#include "sources/reader.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sqlite3.h>
#include "sources/dsvalue.h"
#include "sources/encryption.h"

enum { COL_ID, COL_NAME, COL_CREATED, COL_DELETED, COL_CREATE_REV, COL_PREV_REV, COL_VALUE, COL_OLD_VALUE,
       COL_NEXT_DELETED, COL_NEXT_ID, COL_PREV_PRESENT };

typedef struct kine_state {
	char *path;
	sqlite3 *db;
	sqlite3_stmt *rows;
	hr_enc_config *enc;
	hr_source_stats *stats;
	hr_buf scratch;
	int have_row;           /* rows holds a row still being worked on */
	int phase;              /* 0: recovery from old_value pending, 1: own value, 2: done */
	char *copy_dir;         /* private copy of a database with a -wal file, removed at close */
} kine_state;

static int db_error(kine_state *s, hr_error *err, const char *what)
{
	return hr_error_set(err, HR_EDB, "%s: %s: %s", s->path, what, sqlite3_errmsg(s->db));
}

static int copy_file(const char *from, const char *to, hr_error *err)
{
	char buf[65536];
	int in = open(from, O_RDONLY | O_CLOEXEC), out = -1, rc = 0;
	ssize_t n;

	if (in < 0)
		return hr_error_set(err, HR_EIO, "%s: %s", from, strerror(errno));
	if ((out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) < 0) {
		rc = hr_error_set(err, HR_EIO, "%s: %s", to, strerror(errno));
		goto out;
	}
	while ((n = read(in, buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || write(out, buf, (size_t)n) != n) {
			rc = hr_error_set(err, HR_EIO, "copying %s to %s: %s", from, to, strerror(errno));
			goto out;
		}
	}
out:
	if (out >= 0 && close(out) < 0 && !rc)
		rc = hr_error_set(err, HR_EIO, "%s: %s", to, strerror(errno));
	close(in);
	return rc;
}

/*
 * A database with a non-empty -wal holds committed rows that only SQLite's
 * WAL code can see, and an immutable open ignores the WAL.  Copy both files
 * into a private temporary directory and open the copy normally, so that
 * the evidence stays untouched.  *copy_out is the copy's path (NULL when
 * there is no WAL).
 */
static int wal_copy(kine_state *s, const char *path, char **copy_out, hr_error *err)
{
	const char *tmp = getenv("TMPDIR");
	hr_buf wal = HR_BUF_INIT, dir = HR_BUF_INIT, dst = HR_BUF_INIT;
	struct stat st;
	int rc = 0;

	*copy_out = NULL;
	if (hr_buf_printf(&wal, "%s-wal", path) < 0)
		goto oom;
	if (stat(wal.ptr, &st) < 0 || st.st_size == 0)
		goto out;
	if (hr_buf_printf(&dir, "%s/helmrec-kine.XXXXXX", tmp && *tmp ? tmp : "/tmp") < 0)
		goto oom;
	if (!mkdtemp(dir.ptr)) {
		rc = hr_error_set(err, HR_EIO, "%s: has a -wal file; cannot make a private copy in %s: %s",
				  path, dir.ptr, strerror(errno));
		goto out;
	}
	s->copy_dir = hr_buf_detach(&dir, NULL);
	if (hr_buf_printf(&dst, "%s/state.db", s->copy_dir) < 0)
		goto oom;
	if ((rc = copy_file(path, dst.ptr, err)) < 0)
		goto out;
	if (hr_buf_puts(&dst, "-wal") < 0)
		goto oom;
	if ((rc = copy_file(wal.ptr, dst.ptr, err)) < 0)
		goto out;
	hr_buf_truncate(&dst, dst.len - 4);
	*copy_out = hr_buf_detach(&dst, NULL);
	goto out;
oom:
	rc = hr_error_set(err, HR_ENOMEM, "%s: out of memory", path);
out:
	hr_buf_free(&wal);
	hr_buf_free(&dir);
	hr_buf_free(&dst);
	return rc;
}

/* "file:<path>?mode=ro&immutable=1" with the URI-special characters escaped. */
static char *make_uri(const char *path)
{
	hr_buf b = HR_BUF_INIT;

	if (hr_buf_puts(&b, "file:") < 0)
		goto fail;
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		int rc = (*p == '%' || *p == '?' || *p == '#' || *p < 0x21 || *p >= 0x7f) ?
			 hr_buf_printf(&b, "%%%02X", *p) : hr_buf_putc(&b, (char)*p);
		if (rc < 0)
			goto fail;
	}
	if (hr_buf_puts(&b, "?mode=ro&immutable=1") < 0)
		goto fail;
	return hr_buf_detach(&b, NULL);
fail:
	hr_buf_free(&b);
	return NULL;
}

static int has_column(kine_state *s, const char *col, int *out, hr_error *err)
{
	sqlite3_stmt *st;
	int rc;

	*out = 0;
	if (sqlite3_prepare_v2(s->db, "SELECT name FROM pragma_table_info('kine')", -1, &st, NULL) != SQLITE_OK)
		return db_error(s, err, "reading the kine table's columns");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (!strcmp((const char *)sqlite3_column_text(st, 0), col))
			*out = 1;
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_error(s, err, "reading the kine table's columns");
}

static int query_int(kine_state *s, const char *sql, const char *what, int64_t *out, hr_error *err)
{
	sqlite3_stmt *st;
	int rc;

	*out = 0;
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return db_error(s, err, what);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_error(s, err, what);
}

static void kine_close(void *state)
{
	kine_state *s = state;

	if (!s)
		return;
	sqlite3_finalize(s->rows);
	sqlite3_close(s->db);
	if (s->copy_dir) {
		static const char *const files[] = { "state.db", "state.db-wal", "state.db-shm", "state.db-journal" };
		hr_buf f = HR_BUF_INIT;
		for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
			hr_buf_clear(&f);
			if (hr_buf_printf(&f, "%s/%s", s->copy_dir, files[i]) == 0)
				unlink(f.ptr);
		}
		hr_buf_free(&f);
		rmdir(s->copy_dir);
		free(s->copy_dir);
	}
	hr_enc_config_free(s->enc);
	hr_buf_free(&s->scratch);
	free(s->path);
	free(s);
}

/* Build a record from one value of row `id`'s key; same contract as next(). */
static int make_record(kine_state *s, hr_record **out, const char *name, const void *val, size_t len,
		       int64_t rev, int64_t create_rev, int64_t until, hr_sighting_state state, const char *how,
		       hr_error *err)
{
	hr_record *r = NULL;
	hr_buf loc = HR_BUF_INIT;
	int rc;

	s->stats->objects++;
	rc = hr_ds_value_to_record(&r, name, val, len, s->enc, &s->scratch, s->stats, err);
	if (rc == HR_ESKIP) {
		s->stats->errors++;
		hr_error_prefix(err, HR_ESKIP, "%s: key %s rev %" PRId64 ": ", s->path, name, rev);
		return HR_ESKIP;
	}
	if (rc <= 0)
		return rc;
	r->state = state;
	r->ds_revision = rev;
	r->ds_create_revision = create_rev;
	r->ds_until_revision = until;
	if (hr_buf_printf(&loc, "key %s rev %" PRId64 "%s", name, rev, how) < 0 ||
	    hr_record_set_str(&r->location, hr_buf_cstr(&loc)) < 0 ||
	    hr_record_set_str(&r->source_path, s->path) < 0) {
		hr_record_free(r);
		hr_buf_free(&loc);
		return hr_error_set(err, HR_ENOMEM, "%s: out of memory", s->path);
	}
	hr_buf_free(&loc);
	s->stats->records++;
	*out = r;
	return 1;
}

/* Work on the current row; returns like next(), or 0 when the row is exhausted. */
static int row_step(kine_state *s, hr_record **out, hr_error *err)
{
	sqlite3_stmt *st = s->rows;
	const char *name = (const char *)sqlite3_column_text(st, COL_NAME);
	int64_t id = sqlite3_column_int64(st, COL_ID);
	int64_t prev = sqlite3_column_int64(st, COL_PREV_REV);
	int64_t crev = sqlite3_column_int64(st, COL_CREATE_REV);
	int created = sqlite3_column_int(st, COL_CREATED) != 0;
	int deleted = sqlite3_column_int(st, COL_DELETED) != 0;
	int prev_gone = prev != 0 && !sqlite3_column_int(st, COL_PREV_PRESENT);
	char how[96];

	if (!name)
		return 0;
	if (s->phase == 0) {
		s->phase = 1;
		if (deleted)
			s->stats->tombstones++;
		/*
		 * Compaction removed the row this one superseded: its content is in
		 * old_value (and, for kine <= 0.15 delete rows, in value as well).
		 * A create row's old_value belongs to the previous generation, whose
		 * revision is unknown: not recovered.
		 */
		if (prev_gone && !created) {
			const void *v = sqlite3_column_blob(st, COL_OLD_VALUE);
			int n = sqlite3_column_bytes(st, COL_OLD_VALUE);
			if (!v && deleted) {
				v = sqlite3_column_blob(st, COL_VALUE);
				n = sqlite3_column_bytes(st, COL_VALUE);
			}
			if (v) {
				snprintf(how, sizeof(how), " (recovered from %s row %" PRId64 ")",
					 deleted ? "delete" : "superseding", id);
				int rc = make_record(s, out, name, v, (size_t)n, prev, crev, id,
						     deleted ? HR_STATE_DELETED : HR_STATE_HISTORICAL, how, err);
				if (rc != 0)
					return rc;
			}
		}
	}
	if (s->phase == 1) {
		s->phase = 2;
		if (deleted)
			return 0;
		const void *v = sqlite3_column_blob(st, COL_VALUE);
		int n = sqlite3_column_bytes(st, COL_VALUE);
		hr_sighting_state state = HR_STATE_LIVE;
		int64_t until = 0;
		how[0] = 0;
		if (sqlite3_column_type(st, COL_NEXT_DELETED) != SQLITE_NULL) {
			until = (int64_t)sqlite3_column_int64(st, COL_NEXT_ID);
			if (sqlite3_column_int(st, COL_NEXT_DELETED)) {
				state = HR_STATE_DELETED;
				snprintf(how, sizeof(how), " (deleted at rev %" PRId64 ")",
					 (int64_t)sqlite3_column_int64(st, COL_NEXT_ID));
			} else {
				state = HR_STATE_HISTORICAL;
			}
		}
		return make_record(s, out, name, v ? v : "", (size_t)n, id, created ? id : crev, until, state, how, err);
	}
	return 0;
}

static int kine_next(void *state, hr_record **out, hr_error *err)
{
	kine_state *s = state;
	int rc;

	*out = NULL;
	for (;;) {
		if (!s->have_row) {
			rc = sqlite3_step(s->rows);
			if (rc == SQLITE_DONE)
				return 0;
			if (rc != SQLITE_ROW)
				return db_error(s, err, "reading the kine table");
			s->have_row = 1;
			s->phase = 0;
			if (hr_ds_key_kind(sqlite3_column_text(s->rows, COL_NAME),
					   (size_t)sqlite3_column_bytes(s->rows, COL_NAME)) == HR_DSKEY_OTHER) {
				s->have_row = 0;
				continue;
			}
		}
		if ((rc = row_step(s, out, err)) != 0)
			return rc;
		s->have_row = 0;
	}
}

int hr_reader_kine_open(hr_reader *r, const char *path, const hr_source_opts *o, hr_source_stats *stats,
			hr_error *err)
{
	kine_state *s = calloc(1, sizeof(*s));
	char *uri = NULL, *copy = NULL, sql[1024];
	int64_t ntab = 0;
	int old_value = 0, rc;
	struct stat st;

	if (!s || !(s->path = strdup(path)) || !(uri = make_uri(path))) {
		if (s)
			free(s->path);
		free(s);
		return hr_error_set(err, HR_ENOMEM, "%s: out of memory", path);
	}
	s->stats = stats;
	if (stat(path, &st) == 0)
		stats->bytes_total = (uint64_t)st.st_size;
	if ((rc = wal_copy(s, path, &copy, err)) < 0)
		goto fail;
	if (copy)
		rc = sqlite3_open_v2(copy, &s->db, SQLITE_OPEN_READWRITE, NULL);
	else
		rc = sqlite3_open_v2(uri, &s->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL);
	if (rc != SQLITE_OK) {
		rc = db_error(s, err, "cannot open as SQLite");
		goto fail;
	}
	if ((rc = query_int(s, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'kine'",
			    "not a readable SQLite database", &ntab, err)) < 0)
		goto fail;
	if (!ntab) {
		rc = hr_error_set(err, HR_EFORMAT, "%s: SQLite database without a kine table: not a kine datastore", path);
		goto fail;
	}
	if ((rc = has_column(s, "old_value", &old_value, err)) < 0 ||
	    (rc = query_int(s, "SELECT max(id) FROM kine", "reading the head revision", &stats->head_revision, err)) < 0 ||
	    (rc = query_int(s, "SELECT prev_revision FROM kine WHERE name = 'compact_rev_key' ORDER BY id DESC LIMIT 1",
			    "reading the compaction revision", &stats->compact_revision, err)) < 0)
		goto fail;
	snprintf(sql, sizeof(sql),
		 "SELECT k.id, k.name, k.created, k.deleted, k.create_revision, k.prev_revision, k.value, %s,"
		 " (SELECT n.deleted FROM kine n WHERE n.name = k.name AND n.id > k.id ORDER BY n.id LIMIT 1),"
		 " (SELECT n.id FROM kine n WHERE n.name = k.name AND n.id > k.id ORDER BY n.id LIMIT 1),"
		 " EXISTS (SELECT 1 FROM kine p WHERE p.id = k.prev_revision)"
		 " FROM kine k WHERE k.name LIKE '%%/secrets/%%' OR k.name LIKE '%%/configmaps/%%' ORDER BY k.id",
		 old_value ? "k.old_value" : "NULL");
	if (sqlite3_prepare_v2(s->db, sql, -1, &s->rows, NULL) != SQLITE_OK) {
		rc = db_error(s, err, "preparing the kine query (unexpected schema?)");
		goto fail;
	}
	if (o && o->encryption_config && (rc = hr_enc_config_load(&s->enc, o->encryption_config, err)) < 0)
		goto fail;
	free(uri);
	free(copy);
	*r = (hr_reader){ "kine", s, kine_next, kine_close };
	return 0;
fail:
	free(uri);
	free(copy);
	kine_close(s);
	return rc;
}
