/*
 * test_kine.c — the kine reader against the state.db of every corpus
 * variant: every kine row of a Helm Secret/ConfigMap listed in
 * expected.json must come out once with its id as revision, the state
 * implied by the next row of the same key (worked out here from the
 * expected rows), its labels and the expected payload hash; compacted rows
 * whose content survives in a superseding row's old_value come out too,
 * with the compacted row's revision and (where the uncompacted history is
 * known) the same payload.  Hostile inputs: not SQLite, no kine table, a
 * truncated file, a path with URI-special characters, wrong keys.
 */
#include "test_datastore_util.h"

#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

static int is_object_key(const char *k)
{
	return strstr(k, "/secrets/") || strstr(k, "/configmaps/");
}

static struct json_object *row_by_id(struct json_object *rows, int64_t id)
{
	for (size_t i = 0; i < json_object_array_length(rows); i++) {
		struct json_object *r = json_object_array_get_idx(rows, i);
		if (ds_int(r, "id") == id)
			return r;
	}
	return NULL;
}

/* The next row (by id) with the same key, or NULL. */
static struct json_object *next_row(struct json_object *rows, struct json_object *row)
{
	struct json_object *best = NULL;

	for (size_t i = 0; i < json_object_array_length(rows); i++) {
		struct json_object *r = json_object_array_get_idx(rows, i);
		if (ds_int(r, "id") > ds_int(row, "id") && !strcmp(ds_str(r, "key"), ds_str(row, "key")) &&
		    (!best || ds_int(r, "id") < ds_int(best, "id")))
			best = r;
	}
	return best;
}

static void check_record(const hr_record *rec, struct json_object *row, int64_t rev, hr_sighting_state st)
{
	char loc[512];

	CU_ASSERT_EQUAL(rec->state, st);
	snprintf(loc, sizeof(loc), "key %s rev %lld", ds_str(row, "key"), (long long)rev);
	CU_ASSERT_PTR_NOT_NULL(strstr(rec->location, loc));
	CU_ASSERT_EQUAL(rec->driver, !strcmp(ds_str(row, "kind"), "Secret") ? HR_DRIVER_SECRET : HR_DRIVER_CONFIGMAP);
	CU_ASSERT_STRING_EQUAL(hr_record_label(rec, "name"), json_object_get_string(ds_get(ds_get(row, "labels"), "name")));
}

/*
 * Compare a run with expected.json's kine rows.  `ref` is the kine rows of
 * the uncompacted history (or NULL) used to check recovered payloads.
 */
static void check_against(const tu_drain *run, struct json_object *kine, struct json_object *ref, int decrypted)
{
	struct json_object *rows = ds_get(kine, "rows");
	size_t want = 0, recovered = 0;
	uint64_t tombs = 0, other = 0, undecryptable = 0;
	int64_t head = 0;

	for (size_t i = 0; i < json_object_array_length(rows); i++) {
		struct json_object *r = json_object_array_get_idx(rows, i);
		const char *key = ds_str(r, "key"), *enc = ds_str(r, "encryption");
		int64_t id = ds_int(r, "id"), prev = ds_int(r, "prev_revision");
		struct json_object *rel = ds_get(r, "release");

		if (id > head)
			head = id;
		if (!is_object_key(key))
			continue;
		if (ds_int(r, "deleted")) {
			tombs++;
			continue;
		}
		if (!decrypted && enc && strcmp(enc, "identity")) {
			undecryptable++;
			continue;
		}
		/* A compacted predecessor whose content survives in old_value. */
		if (!ds_int(r, "created") && prev && !row_by_id(rows, prev) && ds_str(r, "old_value_sha256")) {
			if (!rel) {
				other++;
			} else {
				const hr_record *rec = ds_find(run, ds_str(r, "namespace"), ds_str(r, "name"), prev);
				want++;
				recovered++;
				CU_ASSERT_PTR_NOT_NULL(rec);
				if (rec) {
					check_record(rec, r, prev, HR_STATE_HISTORICAL);
					CU_ASSERT_PTR_NOT_NULL(strstr(rec->location, "recovered from superseding row"));
					struct json_object *orig = ref ? row_by_id(ds_get(ref, "rows"), prev) : NULL;
					if (orig) {
						char hex[65];
						tu_helm_sha256(rec, hex);
						CU_ASSERT_STRING_EQUAL(hex, ds_str(ds_get(orig, "release"), "release_sha256"));
					}
				}
			}
		}
		if (!rel) {
			other++;
			continue;
		}
		want++;
		struct json_object *nx = next_row(rows, r);
		hr_sighting_state st = !nx ? HR_STATE_LIVE : ds_int(nx, "deleted") ? HR_STATE_DELETED : HR_STATE_HISTORICAL;
		const hr_record *rec = ds_find(run, ds_str(r, "namespace"), ds_str(r, "name"), id);
		if (!rec) {
			fprintf(stderr, "missing: %s row %lld\n", key, (long long)id);
			CU_FAIL("expected row not found");
			continue;
		}
		char hex[65];
		check_record(rec, r, id, st);
		CU_ASSERT_EQUAL(rec->ds_create_revision, ds_int(r, "created") ? id : ds_int(r, "create_revision"));
		tu_helm_sha256(rec, hex);
		CU_ASSERT_STRING_EQUAL(hex, ds_str(rel, "release_sha256"));
	}
	CU_ASSERT_EQUAL(run->nrec, want);
	CU_ASSERT_EQUAL(run->stats.records, want);
	CU_ASSERT_EQUAL(run->stats.tombstones, tombs);
	CU_ASSERT_EQUAL(run->stats.skipped_other, other);
	CU_ASSERT_EQUAL(run->nskips, undecryptable);
	CU_ASSERT_EQUAL(run->stats.head_revision, head);
	CU_ASSERT_EQUAL(run->stats.compact_revision, ds_int(kine, "compact_revision"));
	if (ds_int(kine, "compact_revision") && decrypted)
		CU_ASSERT(recovered > 0);
}

static void check_variant(const char *variant, const char *ref_variant, const char *config)
{
	struct json_object *exp = ds_expected(variant), *ref = ref_variant ? ds_expected(ref_variant) : NULL;
	hr_source_opts o = { 0 };
	char path[256], cfg[256];
	tu_drain run;

	CU_ASSERT_PTR_NOT_NULL_FATAL(exp);
	snprintf(path, sizeof(path), DS_DIR "%s/state.db", variant);
	if (config) {
		snprintf(cfg, sizeof(cfg), DS_DIR "%s/%s", variant, config);
		o.encryption_config = cfg;
	}
	ds_collect(&run, hr_reader_kine_open, path, &o);
	CU_ASSERT_EQUAL_FATAL(run.open_rc, 0);
	CU_ASSERT_EQUAL(run.end_rc, 0);
	for (size_t i = 0; i < run.nskips; i++)
		fprintf(stderr, "skip: %s\n", run.skips[i]);
	CU_ASSERT(run.nrec > 0);
	check_against(&run, ds_get(exp, "kine"), ref ? ds_get(ref, "kine") : NULL, 1);
	tu_drain_free(&run);
	json_object_put(exp);
	json_object_put(ref);
}

static void test_plain(void) { check_variant("plain", NULL, NULL); }
static void test_compacted(void) { check_variant("compacted", "plain", NULL); }
static void test_encrypted(void) { check_variant("encrypted", NULL, "encryption-config.yaml"); }
static void test_json_v016(void) { check_variant("json-kine016", NULL, NULL); }

static void test_encrypted_without_config(void)
{
	struct json_object *exp = ds_expected("encrypted");
	tu_drain run;

	ds_collect(&run, hr_reader_kine_open, DS_DIR "encrypted/state.db", NULL);
	CU_ASSERT_EQUAL_FATAL(run.open_rc, 0);
	check_against(&run, ds_get(exp, "kine"), NULL, 0);
	CU_ASSERT(ds_any_skip_contains(&run, "no encryption configuration given"));
	tu_drain_free(&run);
	json_object_put(exp);
}

/* A copy under a name full of URI-special characters reads the same, and nothing is written next to it. */
static void test_odd_path_no_side_files(void)
{
	hr_buf data = HR_BUF_INIT;
	char dir[512], path[600], side[700];
	struct stat st;
	tu_drain run, ref;

	snprintf(dir, sizeof(dir), "%s", tu_tmpdir());
	snprintf(path, sizeof(path), "%s/st ate%%20?x=1#frag.db", dir);
	CU_ASSERT_EQUAL_FATAL(tu_read_file(&data, DS_DIR "plain/state.db"), 0);
	CU_ASSERT_EQUAL_FATAL(tu_write_file(path, data.ptr, data.len), 0);
	ds_collect(&run, hr_reader_kine_open, path, NULL);
	ds_collect(&ref, hr_reader_kine_open, DS_DIR "plain/state.db", NULL);
	CU_ASSERT_EQUAL(run.open_rc, 0);
	CU_ASSERT_EQUAL(run.nrec, ref.nrec);
	CU_ASSERT(run.nrec > 0);
	snprintf(side, sizeof(side), "%s-shm", path);
	CU_ASSERT_NOT_EQUAL(stat(side, &st), 0);
	snprintf(side, sizeof(side), "%s-wal", path);
	CU_ASSERT_NOT_EQUAL(stat(side, &st), 0);
	tu_drain_free(&run);
	tu_drain_free(&ref);
	hr_buf_free(&data);
	unlink(path);
	rmdir(dir);
}

static void test_not_sqlite(void)
{
	tu_drain run;

	ds_collect(&run, hr_reader_kine_open, DS_DIR "plain/etcd-snapshot.db", NULL);
	CU_ASSERT(run.open_rc < 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(run.err.msg, "plain/etcd-snapshot.db"));
	tu_drain_free(&run);

	ds_collect(&run, hr_reader_kine_open, DS_DIR "does-not-exist.db", NULL);
	CU_ASSERT(run.open_rc < 0);
	tu_drain_free(&run);
}

static void test_no_kine_table(void)
{
	char dir[512], path[600];
	sqlite3 *db;
	tu_drain run;

	snprintf(dir, sizeof(dir), "%s", tu_tmpdir());
	snprintf(path, sizeof(path), "%s/other.db", dir);
	CU_ASSERT_EQUAL_FATAL(sqlite3_open(path, &db), SQLITE_OK);
	CU_ASSERT_EQUAL(sqlite3_exec(db, "CREATE TABLE releases_v1 (key TEXT)", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	ds_collect(&run, hr_reader_kine_open, path, NULL);
	CU_ASSERT_EQUAL(run.open_rc, HR_EFORMAT);
	CU_ASSERT_PTR_NOT_NULL(strstr(run.err.msg, "not a kine datastore"));
	tu_drain_free(&run);
	unlink(path);
	rmdir(dir);
}

/* Cut state.db in half: an error naming the file, never a crash or a hang. */
static void test_truncated(void)
{
	hr_buf data = HR_BUF_INIT;
	char dir[512], path[600];
	tu_drain run;
	size_t whole;

	ds_collect(&run, hr_reader_kine_open, DS_DIR "plain/state.db", NULL);
	whole = run.nrec;
	tu_drain_free(&run);
	snprintf(dir, sizeof(dir), "%s", tu_tmpdir());
	snprintf(path, sizeof(path), "%s/state.db", dir);
	CU_ASSERT_EQUAL_FATAL(tu_read_file(&data, DS_DIR "plain/state.db"), 0);
	CU_ASSERT_EQUAL_FATAL(tu_write_file(path, data.ptr, data.len / 2), 0);
	ds_collect(&run, hr_reader_kine_open, path, NULL);
	CU_ASSERT(run.open_rc < 0 || run.end_rc < 0 || run.nskips > 0 || run.nrec < whole);
	if (run.open_rc < 0 || run.end_rc < 0)
		CU_ASSERT_PTR_NOT_NULL(strstr(run.err.msg, path));
	tu_drain_free(&run);
	hr_buf_free(&data);
	unlink(path);
	rmdir(dir);
}

/*
 * Rows committed to the -wal but not checkpointed (a running k3s) are read
 * too: a writer keeps its connection open while the reader runs; the WAL
 * file is left as it was and no files appear next to the database.
 */
static void test_uncheckpointed_wal(void)
{
	hr_buf data = HR_BUF_INIT, wal_before = HR_BUF_INIT, wal_after = HR_BUF_INIT;
	char dir[512], path[600], wal[640], shm[640];
	sqlite3 *w;
	tu_drain base, run;
	int64_t newid = 0, oldhead = 0;

	snprintf(dir, sizeof(dir), "%s", tu_tmpdir());
	snprintf(path, sizeof(path), "%s/state.db", dir);
	snprintf(wal, sizeof(wal), "%s-wal", path);
	snprintf(shm, sizeof(shm), "%s-shm", path);
	CU_ASSERT_EQUAL_FATAL(tu_read_file(&data, DS_DIR "plain/state.db"), 0);
	CU_ASSERT_EQUAL_FATAL(tu_write_file(path, data.ptr, data.len), 0);
	ds_collect(&base, hr_reader_kine_open, path, NULL);
	CU_ASSERT_EQUAL_FATAL(sqlite3_open(path, &w), SQLITE_OK);
	CU_ASSERT_EQUAL(sqlite3_exec(w, "PRAGMA journal_mode=WAL; PRAGMA wal_autocheckpoint=0;", NULL, NULL, NULL), SQLITE_OK);
	/* An update of the newest helm row: the old head becomes historical. */
	CU_ASSERT_EQUAL(sqlite3_exec(w,
		"INSERT INTO kine (name, created, deleted, create_revision, prev_revision, lease, value, old_value) "
		"SELECT name, 0, 0, create_revision, id, 0, value, value FROM kine "
		"WHERE id = (SELECT max(id) FROM kine WHERE name LIKE '%/secrets/%')", NULL, NULL, NULL), SQLITE_OK);
	newid = sqlite3_last_insert_rowid(w);
	oldhead = newid - 1;
	CU_ASSERT_EQUAL_FATAL(tu_read_file(&wal_before, wal), 0);
	CU_ASSERT(wal_before.len > 0);

	ds_collect(&run, hr_reader_kine_open, path, NULL);
	CU_ASSERT_EQUAL(run.open_rc, 0);
	CU_ASSERT_EQUAL(run.nrec, base.nrec + 1);
	CU_ASSERT_EQUAL(run.stats.head_revision, newid);
	int found_new = 0, old_hist = 0;
	for (size_t i = 0; i < run.nrec; i++) {
		if (run.rec[i]->ds_revision == newid)
			found_new = run.rec[i]->state == HR_STATE_LIVE;
		if (run.rec[i]->ds_revision == oldhead)
			old_hist = run.rec[i]->state == HR_STATE_HISTORICAL;
	}
	CU_ASSERT(found_new);
	CU_ASSERT(old_hist);
	CU_ASSERT_EQUAL_FATAL(tu_read_file(&wal_after, wal), 0);
	CU_ASSERT(wal_after.len == wal_before.len && !memcmp(wal_after.ptr, wal_before.ptr, wal_after.len));
	sqlite3_close(w);
	tu_drain_free(&base);
	tu_drain_free(&run);
	hr_buf_free(&data);
	hr_buf_free(&wal_before);
	hr_buf_free(&wal_after);
	unlink(wal);
	unlink(shm);
	unlink(path);
	rmdir(dir);
}

HR_TEST_MAIN("kine",
	{ "uncheckpointed WAL", test_uncheckpointed_wal },
	{ "plain state.db", test_plain },
	{ "compacted state.db (old_value recovery)", test_compacted },
	{ "encrypted state.db with keys", test_encrypted },
	{ "encrypted state.db without keys", test_encrypted_without_config },
	{ "JSON values, kine 0.16 rows", test_json_v016 },
	{ "URI-special path, no side files", test_odd_path_no_side_files },
	{ "not SQLite", test_not_sqlite },
	{ "SQLite without kine table", test_no_kine_table },
	{ "truncated state.db", test_truncated })
