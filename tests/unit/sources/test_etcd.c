/*
 * test_etcd.c — the etcd reader against every variant of the datastore
 * corpus: each surviving MVCC revision of a Helm Secret/ConfigMap listed in
 * expected.json must come out exactly once with its revision numbers, its
 * state (live / historical / deleted, worked out here from the expected
 * revision list), its labels and a payload whose hash is the expected
 * release_sha256; tombstones, non-Helm objects, compaction and head
 * revisions must show in the stats.  Also: encryption without or with
 * wrong keys, the third-party auger file, and carving of free pages.
 */
#include "test_datastore_util.h"

#include <unistd.h>
#include "sources/k8sproto.h"
#include "sources/bbolt.h"

static int is_object_key(const char *k)
{
	return strstr(k, "/secrets/") || strstr(k, "/configmaps/");
}

static void check_labels(const hr_record *rec, struct json_object *labels)
{
	size_t n = 0;

	json_object_object_foreach(labels, k, v) {
		const char *got = hr_record_label(rec, k);
		CU_ASSERT_PTR_NOT_NULL(got);
		if (got)
			CU_ASSERT_STRING_EQUAL(got, json_object_get_string(v));
		n++;
	}
	CU_ASSERT_EQUAL(rec->nlabels, n);
}

/*
 * Compare a run with the `etcd` section of expected.json.  Returns how many
 * expected records there were.  `decrypted` = 0 means encrypted values are
 * expected to be skipped (no configuration).
 */
static size_t check_against(const tu_drain *run, struct json_object *etcd, int decrypted)
{
	struct json_object *keys = ds_get(etcd, "keys");
	size_t want = 0;
	uint64_t tombs = 0, other = 0, undecryptable = 0;

	for (size_t i = 0; i < json_object_array_length(keys); i++) {
		struct json_object *k = json_object_array_get_idx(keys, i);
		struct json_object *revs = ds_get(k, "revisions");
		const char *key = ds_str(k, "key");
		size_t n = json_object_array_length(revs);

		if (!is_object_key(key))
			continue;
		for (size_t j = 0; j < n; j++) {
			struct json_object *r = json_object_array_get_idx(revs, j);
			struct json_object *rel = ds_get(r, "release");
			const char *enc = ds_str(r, "encryption");
			if (json_object_get_boolean(ds_get(r, "tombstone"))) {
				tombs++;
				continue;
			}
			if (!decrypted && enc && strcmp(enc, "identity")) {
				undecryptable++;
				continue;
			}
			if (!rel) {
				other++;
				continue;
			}
			want++;
			hr_sighting_state st = HR_STATE_LIVE;
			if (j + 1 < n)
				st = json_object_get_boolean(ds_get(json_object_array_get_idx(revs, j + 1), "tombstone")) ?
				     HR_STATE_DELETED : HR_STATE_HISTORICAL;
			const hr_record *rec = ds_find(run, ds_str(r, "namespace"), ds_str(r, "name"),
						       ds_int(r, "mod_revision"));
			if (!rec) {
				fprintf(stderr, "missing: %s rev %lld\n", key, (long long)ds_int(r, "mod_revision"));
				CU_FAIL("expected revision not found");
				continue;
			}
			char hex[65], loc[512];
			CU_ASSERT_EQUAL(rec->state, st);
			CU_ASSERT_EQUAL(rec->ds_create_revision, ds_int(r, "create_revision"));
			CU_ASSERT_EQUAL(rec->ds_version, ds_int(r, "version"));
			CU_ASSERT_EQUAL(rec->driver, !strcmp(ds_str(r, "kind"), "Secret") ? HR_DRIVER_SECRET : HR_DRIVER_CONFIGMAP);
			tu_helm_sha256(rec, hex);
			CU_ASSERT_STRING_EQUAL(hex, ds_str(rel, "release_sha256"));
			snprintf(loc, sizeof(loc), "key %s rev %lld", key, (long long)ds_int(r, "mod_revision"));
			CU_ASSERT_PTR_NOT_NULL(strstr(rec->location, loc));
			CU_ASSERT(rec->offset > 0);
			check_labels(rec, ds_get(r, "labels"));
		}
	}
	CU_ASSERT_EQUAL(run->nrec, want);
	CU_ASSERT_EQUAL(run->stats.records, want);
	CU_ASSERT_EQUAL(run->stats.tombstones, tombs);
	CU_ASSERT_EQUAL(run->stats.skipped_other, other);
	CU_ASSERT_EQUAL(run->nskips, undecryptable);
	CU_ASSERT_EQUAL(run->stats.errors, undecryptable);
	CU_ASSERT_EQUAL(run->stats.head_revision, ds_int(etcd, "current_revision"));
	CU_ASSERT_EQUAL(run->stats.compact_revision, ds_int(ds_get(etcd, "meta"), "finishedCompactRev"));
	return want;
}

static void check_variant(const char *variant, const char *file, const char *config)
{
	struct json_object *exp = ds_expected(variant);
	hr_source_opts o = { 0 };
	char path[256], cfg[256];
	tu_drain run;

	CU_ASSERT_PTR_NOT_NULL_FATAL(exp);
	snprintf(path, sizeof(path), DS_DIR "%s/%s", variant, file);
	if (config) {
		snprintf(cfg, sizeof(cfg), DS_DIR "%s/%s", variant, config);
		o.encryption_config = cfg;
	}
	ds_collect(&run, hr_reader_etcd_open, path, &o);
	CU_ASSERT_EQUAL_FATAL(run.open_rc, 0);
	CU_ASSERT_EQUAL(run.end_rc, 0);
	for (size_t i = 0; i < run.nskips; i++)
		fprintf(stderr, "skip: %s\n", run.skips[i]);
	CU_ASSERT(check_against(&run, ds_get(exp, "etcd"), 1) > 0);
	tu_drain_free(&run);
	json_object_put(exp);
}

static void test_plain(void) { check_variant("plain", "etcd-snapshot.db", NULL); }
static void test_raw_member_db(void) { check_variant("plain", "etcd-member-db.raw", NULL); }
static void test_compacted(void) { check_variant("compacted", "etcd-snapshot.db", NULL); }
static void test_encrypted(void) { check_variant("encrypted", "etcd-snapshot.db", "encryption-config.yaml"); }
static void test_json(void) { check_variant("json-kine016", "etcd-snapshot.db", NULL); }

/* Without keys every encrypted value is skipped with a message naming it; plain ones still come out. */
static void test_encrypted_without_config(void)
{
	struct json_object *exp = ds_expected("encrypted");
	tu_drain run;

	ds_collect(&run, hr_reader_etcd_open, DS_DIR "encrypted/etcd-snapshot.db", NULL);
	CU_ASSERT_EQUAL_FATAL(run.open_rc, 0);
	CU_ASSERT(check_against(&run, ds_get(exp, "etcd"), 0) > 0);
	CU_ASSERT(ds_any_skip_contains(&run, "key /registry/secrets/default/sh.helm.release.v1.webapp.v1 rev 2: "
					     "encrypted with aesgcm key \"gcm-key-2024\": no encryption configuration"));
	tu_drain_free(&run);
	json_object_put(exp);
}

/* Right key names, wrong key material: each provider says the key does not decrypt; nothing crashes. */
static void test_wrong_keys(void)
{
	static const char cfg[] =
		"apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources:\n"
		"  - resources: [secrets, configmaps]\n    providers:\n"
		"      - aesgcm:\n          keys:\n            - name: gcm-key-2024\n"
		"              secret: AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n"
		"      - aescbc:\n          keys:\n            - name: cbc-key-2023\n"
		"              secret: AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n"
		"      - secretbox:\n          keys:\n            - name: sb-key-2022\n"
		"              secret: AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n"
		"      - identity: {}\n";
	struct json_object *exp = ds_expected("encrypted");
	hr_source_opts o = { 0 };
	char path[600];
	tu_drain run;

	snprintf(path, sizeof(path), "%s/wrong.yaml", tu_tmpdir());
	CU_ASSERT_EQUAL_FATAL(tu_write_file(path, cfg, sizeof(cfg) - 1), 0);
	o.encryption_config = path;
	ds_collect(&run, hr_reader_etcd_open, DS_DIR "encrypted/etcd-snapshot.db", &o);
	CU_ASSERT_EQUAL_FATAL(run.open_rc, 0);
	CU_ASSERT(check_against(&run, ds_get(exp, "etcd"), 0) > 0);
	CU_ASSERT(ds_any_skip_contains(&run, "aesgcm key \"gcm-key-2024\" does not decrypt"));
	CU_ASSERT(ds_any_skip_contains(&run, "aescbc key \"cbc-key-2023\" does not decrypt"));
	CU_ASSERT(ds_any_skip_contains(&run, "secretbox key \"sb-key-2022\" does not decrypt"));
	tu_drain_free(&run);
	json_object_put(exp);
	unlink(path);
}

/*
 * The auger file holds real kube-apiserver values from Kubernetes 1.7: each
 * must decode to the kind, namespace and name its key says.
 */
static void test_auger_values(void)
{
	static const struct { const char *res, *kind; } kinds[] = {
		{ "pods", "Pod" }, { "jobs", "Job" }, { "namespaces", "Namespace" },
	};
	hr_error err = HR_ERROR_INIT;
	hr_bbolt *db;
	hr_bbolt_bucket root, kb;
	hr_bbolt_cursor *c;
	hr_bbolt_kv kv;
	int decoded = 0;

	CU_ASSERT_EQUAL_FATAL(hr_bbolt_open(&db, DS_DIR "third-party/auger-testdata-etcd.db", &err), 0);
	hr_bbolt_root(db, &root);
	CU_ASSERT_EQUAL_FATAL(hr_bbolt_bucket_open(db, &root, "key", 3, &kb, &err), 1);
	CU_ASSERT_EQUAL_FATAL(hr_bbolt_cursor_open(&c, db, &kb, &err), 0);
	while (hr_bbolt_cursor_next(c, &kv, &err) == 1) {
		hr_mvcc_kv m;
		hr_k8s_object o;
		char key[256], *parts[5] = { 0 }, *save = NULL;
		int np = 0;
		CU_ASSERT_EQUAL_FATAL(hr_mvcc_kv_decode(&m, kv.val, kv.vlen, &err), 0);
		if (m.klen < 10 || memcmp(m.key, "/registry/", 10))
			continue;
		snprintf(key, sizeof(key), "%.*s", (int)m.klen, (const char *)m.key);
		for (char *t = strtok_r(key, "/", &save); t && np < 5; t = strtok_r(NULL, "/", &save))
			parts[np++] = t;
		CU_ASSERT_EQUAL_FATAL(hr_k8s_decode(&o, m.value, m.vlen, &err), 0);
		for (size_t i = 0; i < 3; i++)
			if (!strcmp(parts[1], kinds[i].res))
				CU_ASSERT_STRING_EQUAL(o.kind, kinds[i].kind);
		CU_ASSERT_STRING_EQUAL(o.name, parts[np - 1]);
		if (np == 4)
			CU_ASSERT_STRING_EQUAL(o.namespace, parts[2]);
		CU_ASSERT_PTR_NOT_NULL(o.created);
		CU_ASSERT_PTR_NOT_NULL(o.uid);
		decoded++;
		hr_k8s_object_release(&o);
	}
	CU_ASSERT_EQUAL(decoded, 3);
	hr_bbolt_cursor_free(c);
	hr_bbolt_bucket_release(&kb);
	hr_bbolt_close(db);

	/* Through the reader: no Secrets or ConfigMaps, no errors. */
	tu_drain run;
	ds_collect(&run, hr_reader_etcd_open, DS_DIR "third-party/auger-testdata-etcd.db", NULL);
	CU_ASSERT_EQUAL(run.open_rc, 0);
	CU_ASSERT_EQUAL(run.end_rc, 0);
	CU_ASSERT_EQUAL(run.nrec, 0);
	CU_ASSERT_EQUAL(run.nskips, 0);
	tu_drain_free(&run);
}

/*
 * Carving the compacted snapshot: every carved record must be a revision
 * that the uncompacted history (plain) has and the compacted tree lacks,
 * with the same payload.
 */
static void test_carve_compacted(void)
{
	struct json_object *plain = ds_expected("plain"), *comp = ds_expected("compacted");
	hr_source_opts o = { 0 };
	size_t carved = 0, live = 0;
	tu_drain run;

	o.carve = 1;
	ds_collect(&run, hr_reader_etcd_open, DS_DIR "compacted/etcd-snapshot.db", &o);
	CU_ASSERT_EQUAL_FATAL(run.open_rc, 0);
	CU_ASSERT_EQUAL(run.end_rc, 0);
	for (size_t i = 0; i < run.nrec; i++) {
		const hr_record *r = run.rec[i];
		if (r->state != HR_STATE_CARVED) {
			live++;
			continue;
		}
		carved++;
		CU_ASSERT_PTR_NOT_NULL(strstr(r->location, "carved from free page"));
		int in_plain = 0, in_comp = 0;
		struct json_object *sides[2] = { ds_get(ds_get(plain, "etcd"), "keys"), ds_get(ds_get(comp, "etcd"), "keys") };
		for (int s = 0; s < 2; s++) {
			for (size_t k = 0; k < json_object_array_length(sides[s]); k++) {
				struct json_object *revs = ds_get(json_object_array_get_idx(sides[s], k), "revisions");
				for (size_t j = 0; j < json_object_array_length(revs); j++) {
					struct json_object *rv = json_object_array_get_idx(revs, j);
					const char *nm = ds_str(rv, "name"), *ns = ds_str(rv, "namespace");
					if (!nm || !ns || strcmp(nm, r->name) || strcmp(ns, r->namespace) ||
					    ds_int(rv, "mod_revision") != r->ds_revision)
						continue;
					if (s == 1) {
						in_comp = 1;
						continue;
					}
					char hex[65];
					in_plain = 1;
					tu_helm_sha256(r, hex);
					CU_ASSERT_STRING_EQUAL(hex, ds_str(ds_get(rv, "release"), "release_sha256"));
				}
			}
		}
		CU_ASSERT(in_plain);
		CU_ASSERT(!in_comp);
	}
	CU_ASSERT(carved >= 10);
	tu_drain_free(&run);
	/* Carving adds records, it does not change the others. */
	ds_collect(&run, hr_reader_etcd_open, DS_DIR "compacted/etcd-snapshot.db", NULL);
	CU_ASSERT_EQUAL(run.nrec, live);
	tu_drain_free(&run);

	/* Nothing to carve in an uncompacted snapshot: no duplicates of live revisions. */
	ds_collect(&run, hr_reader_etcd_open, DS_DIR "plain/etcd-snapshot.db", NULL);
	live = run.nrec;
	tu_drain_free(&run);
	ds_collect(&run, hr_reader_etcd_open, DS_DIR "plain/etcd-snapshot.db", &o);
	CU_ASSERT_EQUAL(run.nrec, live);
	for (size_t i = 0; i < run.nrec; i++)
		CU_ASSERT_NOT_EQUAL(run.rec[i]->state, HR_STATE_CARVED);
	tu_drain_free(&run);
	json_object_put(plain);
	json_object_put(comp);
}

HR_TEST_MAIN("etcd",
	{ "plain snapshot", test_plain },
	{ "raw member db", test_raw_member_db },
	{ "compacted snapshot", test_compacted },
	{ "encrypted snapshot with keys", test_encrypted },
	{ "encrypted snapshot without keys", test_encrypted_without_config },
	{ "encrypted snapshot with wrong keys", test_wrong_keys },
	{ "JSON-stored values", test_json },
	{ "auger third-party values", test_auger_values },
	{ "carving free pages", test_carve_compacted })
