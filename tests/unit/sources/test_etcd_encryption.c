/*
 * test_etcd_encryption.c — encryption at rest on the corpus's encrypted
 * snapshot: every stored value decrypts to exactly the plaintext whose hash
 * expected.json gives (aesgcm, aescbc, secretbox, identity); AES-GCM needs
 * the right etcd key as additional data; the same keys load from k3s-style
 * JSON; KMS values are counted, not decrypted; bad configurations and short
 * ciphertexts give clear errors.
 */
#include "test_datastore_util.h"

#include <unistd.h>
#include "sources/bbolt.h"
#include "sources/dsvalue.h"
#include "sources/encryption.h"
#include "sources/k8sproto.h"

#define ENC DS_DIR "encrypted/"

/* expected.json revision entry for key/main revision. */
static struct json_object *expected_rev(struct json_object *exp, const char *key, int64_t main)
{
	struct json_object *keys = ds_get(ds_get(exp, "etcd"), "keys");

	for (size_t i = 0; i < json_object_array_length(keys); i++) {
		struct json_object *k = json_object_array_get_idx(keys, i);
		if (strcmp(ds_str(k, "key"), key))
			continue;
		struct json_object *revs = ds_get(k, "revisions");
		for (size_t j = 0; j < json_object_array_length(revs); j++)
			if (ds_int(json_object_array_get_idx(revs, j), "main_rev") == main)
				return json_object_array_get_idx(revs, j);
	}
	return NULL;
}

static void decrypt_all(const char *config_path)
{
	struct json_object *exp = ds_expected("encrypted");
	hr_error err = HR_ERROR_INIT;
	hr_enc_config *cfg;
	hr_bbolt *db;
	hr_bbolt_bucket root, kb;
	hr_bbolt_cursor *c;
	hr_bbolt_kv kv;
	hr_buf out = HR_BUF_INIT;
	int seen[HR_ENC_UNKNOWN + 1] = { 0 };

	CU_ASSERT_EQUAL_FATAL(hr_enc_config_load(&cfg, config_path, &err), 0);
	CU_ASSERT_EQUAL(hr_enc_config_nkeys(cfg), 3);
	CU_ASSERT_EQUAL_FATAL(hr_bbolt_open(&db, ENC "etcd-snapshot.db", &err), 0);
	hr_bbolt_root(db, &root);
	CU_ASSERT_EQUAL_FATAL(hr_bbolt_bucket_open(db, &root, "key", 3, &kb, &err), 1);
	CU_ASSERT_EQUAL_FATAL(hr_bbolt_cursor_open(&c, db, &kb, &err), 0);
	while (hr_bbolt_cursor_next(c, &kv, &err) == 1) {
		hr_mvcc_kv m;
		hr_enc_provider prov;
		char key[256], hex[65], name[64];
		size_t hdr;
		CU_ASSERT_EQUAL_FATAL(hr_mvcc_kv_decode(&m, kv.val, kv.vlen, &err), 0);
		if (!m.vlen)
			continue;  /* tombstone */
		snprintf(key, sizeof(key), "%.*s", (int)m.klen, (const char *)m.key);
		struct json_object *want = expected_rev(exp, key, m.mod_revision);
		CU_ASSERT_PTR_NOT_NULL_FATAL(want);
		CU_ASSERT_EQUAL_FATAL(hr_enc_decrypt(cfg, m.value, m.vlen, key, &out, &prov, &err), 0);
		hr_sha256_hex(out.ptr, out.len, hex);
		CU_ASSERT_STRING_EQUAL(hex, ds_str(want, "plaintext_sha256"));
		/* The provider:key the fixture used is what the prefix says. */
		hr_enc_sniff(m.value, m.vlen, &prov, name, sizeof(name), &hdr);
		char label[96];
		snprintf(label, sizeof(label), prov == HR_ENC_IDENTITY ? "%s" : "%s:%s", hr_enc_provider_name(prov), name);
		CU_ASSERT_STRING_EQUAL(label, ds_str(want, "encryption"));
		seen[prov]++;
		if (prov == HR_ENC_AESGCM) {
			/* Moved to another key, the value no longer authenticates. */
			CU_ASSERT_EQUAL(hr_enc_decrypt(cfg, m.value, m.vlen, "/registry/secrets/x/y", &out, NULL, &err),
					HR_ECRYPTO);
			CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "does not decrypt"));
		}
	}
	CU_ASSERT(seen[HR_ENC_AESGCM] && seen[HR_ENC_AESCBC] && seen[HR_ENC_SECRETBOX] && seen[HR_ENC_IDENTITY]);
	hr_bbolt_cursor_free(c);
	hr_bbolt_bucket_release(&kb);
	hr_bbolt_close(db);
	hr_enc_config_free(cfg);
	hr_buf_free(&out);
	json_object_put(exp);
}

static void test_decrypt_every_value(void) { decrypt_all(ENC "encryption-config.yaml"); }

/* k3s writes its configuration as JSON: the same keys in JSON form work the same. */
static void test_json_config(void)
{
	hr_buf yaml = HR_BUF_INIT, json = HR_BUF_INIT;
	char path[600];
	const char *provs[] = { "aesgcm", "aescbc", "secretbox" };
	const char *names[] = { "gcm-key-2024", "cbc-key-2023", "sb-key-2022" };

	CU_ASSERT_EQUAL_FATAL(tu_read_file(&yaml, ENC "encryption-config.yaml"), 0);
	hr_buf_puts(&json, "{\"kind\":\"EncryptionConfiguration\",\"apiVersion\":\"apiserver.config.k8s.io/v1\","
			   "\"resources\":[{\"resources\":[\"secrets\"],\"providers\":[");
	for (int i = 0; i < 3; i++) {
		/* Take each key's secret from the YAML file. */
		const char *at = strstr(yaml.ptr, names[i]);
		CU_ASSERT_PTR_NOT_NULL_FATAL(at);
		at = strstr(at, "secret: ");
		CU_ASSERT_PTR_NOT_NULL_FATAL(at);
		at += 8;
		hr_buf_printf(&json, "{\"%s\":{\"keys\":[{\"name\":\"%s\",\"secret\":\"%.*s\"}]}},", provs[i], names[i],
			      (int)strcspn(at, "\n"), at);
	}
	hr_buf_puts(&json, "{\"identity\":{}}]}]}\n");
	snprintf(path, sizeof(path), "%s/encryption-config.json", tu_tmpdir());
	CU_ASSERT_EQUAL_FATAL(tu_write_file(path, json.ptr, json.len), 0);
	decrypt_all(path);
	unlink(path);
	hr_buf_free(&yaml);
	hr_buf_free(&json);
}

static void test_kms_counted(void)
{
	static const unsigned char v1[] = "k8s:enc:kms:v1:my-kms:\x00\x04WXYZciphertext";
	static const unsigned char v2[] = "k8s:enc:kms:v2:vault:\x0a\x03xyz";
	hr_source_stats st = { 0 };
	hr_error err = HR_ERROR_INIT;
	hr_buf scratch = HR_BUF_INIT;
	hr_record *r;
	hr_enc_provider p;
	char name[32];
	size_t hdr;

	hr_enc_sniff(v1, sizeof(v1) - 1, &p, name, sizeof(name), &hdr);
	CU_ASSERT_EQUAL(p, HR_ENC_KMS);
	CU_ASSERT_STRING_EQUAL(name, "my-kms");
	CU_ASSERT_EQUAL(hdr, strlen("k8s:enc:kms:v1:my-kms:"));
	CU_ASSERT_EQUAL(hr_enc_decrypt(NULL, v1, sizeof(v1) - 1, "k", &scratch, &p, &err), HR_EUNSUPPORTED);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "KMS provider \"my-kms\""));
	CU_ASSERT_EQUAL(hr_ds_value_to_record(&r, "/registry/secrets/a/b", v1, sizeof(v1) - 1, NULL, &scratch, &st, &err), 0);
	CU_ASSERT_EQUAL(hr_ds_value_to_record(&r, "/registry/secrets/a/b", v2, sizeof(v2) - 1, NULL, &scratch, &st, &err), 0);
	CU_ASSERT_EQUAL(st.encrypted_kms, 2);
	CU_ASSERT_EQUAL(st.errors, 0);
	hr_buf_free(&scratch);
}

static void test_bad_values(void)
{
	hr_enc_config *cfg;
	hr_error err = HR_ERROR_INIT;
	hr_buf out = HR_BUF_INIT;
	hr_enc_provider p;

	CU_ASSERT_EQUAL_FATAL(hr_enc_config_load(&cfg, ENC "encryption-config.yaml", &err), 0);
	static const char shortcbc[] = "k8s:enc:aescbc:v1:cbc-key-2023:0123456789abcdef0123";
	CU_ASSERT_EQUAL(hr_enc_decrypt(cfg, (const unsigned char *)shortcbc, sizeof(shortcbc) - 1, "k", &out, &p, &err),
			HR_EFORMAT);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "not a valid length"));
	static const char nokey[] = "k8s:enc:aesgcm:v1:rotated-away:0123456789abcdef0123456789abcdef";
	CU_ASSERT_EQUAL(hr_enc_decrypt(cfg, (const unsigned char *)nokey, sizeof(nokey) - 1, "k", &out, &p, &err),
			HR_ECRYPTO);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "no such key"));
	static const char other[] = "k8s:enc:rot13:v1:k:abc";
	CU_ASSERT_EQUAL(hr_enc_decrypt(cfg, (const unsigned char *)other, sizeof(other) - 1, "k", &out, &p, &err),
			HR_EUNSUPPORTED);
	CU_ASSERT_EQUAL(p, HR_ENC_UNKNOWN);
	static const char sb[] = "k8s:enc:secretbox:v1:sb-key-2022:0123456789abcdef01234567"
				 "0123456789abcdef0123456789";
	CU_ASSERT_EQUAL(hr_enc_decrypt(cfg, (const unsigned char *)sb, sizeof(sb) - 1, "k", &out, &p, &err), HR_ECRYPTO);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "secretbox key \"sb-key-2022\" does not decrypt"));
	hr_enc_config_free(cfg);
	hr_buf_free(&out);
}

static void test_bad_configs(void)
{
	static const struct { const char *text, *needle; } cases[] = {
		{ "resources:\n  - providers:\n      - aescbc:\n          keys:\n            - name: k\n"
		  "              secret: not*base64\n", "line 6: aescbc key \"k\": secret is not base64" },
		{ "resources:\n  - providers:\n      - secretbox:\n          keys:\n            - name: s\n"
		  "              secret: AAECAwQFBgcICQoLDA0ODw==\n", "secretbox key \"s\": 16-byte secret, expected 32" },
		{ "kind: Something\n", "not an EncryptionConfiguration" },
		{ "resources: [\n  - {", "config: line" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		hr_enc_config *cfg = NULL;
		hr_error err = HR_ERROR_INIT;
		CU_ASSERT(hr_enc_config_parse(&cfg, cases[i].text, strlen(cases[i].text), "config", &err) < 0);
		CU_ASSERT_PTR_NULL(cfg);
		if (!strstr(err.msg, cases[i].needle)) {
			fprintf(stderr, "message: %s\n(wanted \"%s\")\n", err.msg, cases[i].needle);
			CU_FAIL("config error message");
		}
	}
	hr_enc_config *cfg;
	hr_error err = HR_ERROR_INIT;
	CU_ASSERT_EQUAL(hr_enc_config_load(&cfg, ENC "no-such-config.yaml", &err), HR_EIO);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "no-such-config.yaml"));
}

HR_TEST_MAIN("etcd-encryption",
	{ "every stored value decrypts to the expected plaintext", test_decrypt_every_value },
	{ "k3s JSON configuration", test_json_config },
	{ "KMS values are counted", test_kms_counted },
	{ "bad ciphertexts and missing keys", test_bad_values },
	{ "bad configurations", test_bad_configs })
