/*
 * test_codec.c — payload decode/encode against the real-helm corpus.
 *
 * Every Helm 3/4 record of testdata/corpus (Secrets and ConfigMaps from the
 * kubectl JSON dump, SQL bodies from the pg_dump INSERTs) is decoded, and
 * the SHA-256 of the Helm string and of the JSON body are compared with
 * records.tsv, which was computed independently when the corpus was made.
 * Helm 2 records must come out as protobuf bodies whose first field is the
 * release name from generated-records.json.  Re-encoding must round-trip.
 */
#include "testutil.h"
#include "codec/codec.h"

#include <json-c/json.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define TSV "testdata/corpus/records.tsv"
#define DUMP "testdata/corpus/dumps/all-secrets-configmaps.json"
#define SQL "testdata/corpus/sql/helm-sql-data-inserts.sql"
#define H2DUMP "testdata/corpus/helm2/dumps/helm2-dump.json"
#define H2GEN "testdata/corpus/helm2/generated-records.json"
#define PREFIX "sh.helm.release.v1."

typedef struct row {
	char driver[16], ns[64], object[128];
	char payload_sha[65], json_sha[65];
	int seen;
} row;

static row rows[256];
static size_t nrows;

static void load_tsv(void)
{
	hr_buf b = HR_BUF_INIT;
	char *line, *save = NULL;

	nrows = 0;
	CU_ASSERT_FATAL(tu_read_file(&b, TSV) == 0);
	line = strtok_r(b.ptr, "\n", &save);   /* header */
	CU_ASSERT_FATAL(line && strncmp(line, "driver\t", 7) == 0);
	while ((line = strtok_r(NULL, "\n", &save)) && nrows < 256) {
		char *f[9], *s2 = NULL, *t;
		int n = 0;

		for (t = strtok_r(line, "\t", &s2); t && n < 9; t = strtok_r(NULL, "\t", &s2))
			f[n++] = t;
		CU_ASSERT_FATAL(n == 9);
		row *r = &rows[nrows++];
		snprintf(r->driver, sizeof(r->driver), "%s", f[0]);
		snprintf(r->ns, sizeof(r->ns), "%s", f[1]);
		snprintf(r->object, sizeof(r->object), "%s", f[2]);
		snprintf(r->payload_sha, sizeof(r->payload_sha), "%s", f[7]);
		snprintf(r->json_sha, sizeof(r->json_sha), "%s", f[8]);
		r->seen = 0;
	}
	hr_buf_free(&b);
	CU_ASSERT_FATAL(nrows > 30);
}

static row *find_row(const char *driver, const char *ns, const char *object)
{
	size_t i;

	for (i = 0; i < nrows; i++)
		if (!strcmp(rows[i].driver, driver) && !strcmp(rows[i].ns, ns) &&
		    !strcmp(rows[i].object, object))
			return &rows[i];
	return NULL;
}

static size_t count_rows(const char *driver)
{
	size_t i, n = 0;

	for (i = 0; i < nrows; i++)
		n += !strcmp(rows[i].driver, driver);
	return n;
}

static size_t count_seen(const char *driver)
{
	size_t i, n = 0;

	for (i = 0; i < nrows; i++)
		n += !strcmp(rows[i].driver, driver) && rows[i].seen;
	return n;
}

/* Decode one payload in the given form and check it against its row. */
static void check_record(row *r, const char *payload, size_t len, hr_payload_form form,
			 unsigned want_layers)
{
	hr_decoded d = HR_DECODED_INIT;
	hr_error err = HR_ERROR_INIT;
	char hex[65];
	int rc;

	rc = hr_codec_decode(&d, payload, len, form, 0, &err);
	if (rc)
		fprintf(stderr, "%s/%s: %s\n", r->ns, r->object, err.msg);
	CU_ASSERT_EQUAL_FATAL(rc, 0);
	CU_ASSERT_EQUAL(d.layers, want_layers);
	hr_sha256_hex(d.helm.ptr, d.helm.len, hex);
	CU_ASSERT_STRING_EQUAL(hex, r->payload_sha);
	hr_sha256_hex(d.body.ptr, d.body.len, hex);
	CU_ASSERT_STRING_EQUAL(hex, r->json_sha);
	/* the body is NUL-terminated and holds no NUL (it is JSON text) */
	CU_ASSERT_EQUAL(strlen(d.body.ptr), d.body.len);
	r->seen = 1;
	hr_decoded_free(&d);
}

static void test_corpus_dump(void)
{
	struct json_object *root, *items;
	size_t i, n;

	load_tsv();
	root = json_object_from_file(DUMP);
	CU_ASSERT_FATAL(root != NULL);
	CU_ASSERT_FATAL(json_object_object_get_ex(root, "items", &items));
	n = json_object_array_length(items);
	for (i = 0; i < n; i++) {
		struct json_object *it = json_object_array_get_idx(items, i), *md, *data, *rel, *v;
		const char *kind, *name, *ns, *payload;
		int secret;
		row *r;

		json_object_object_get_ex(it, "kind", &v);
		kind = json_object_get_string(v);
		json_object_object_get_ex(it, "metadata", &md);
		json_object_object_get_ex(md, "name", &v);
		name = json_object_get_string(v);
		json_object_object_get_ex(md, "namespace", &v);
		ns = json_object_get_string(v);
		if (strncmp(name, PREFIX, strlen(PREFIX)) != 0)
			continue;
		CU_ASSERT_FATAL(json_object_object_get_ex(it, "data", &data));
		CU_ASSERT_FATAL(json_object_object_get_ex(data, "release", &rel));
		payload = json_object_get_string(rel);
		secret = !strcmp(kind, "Secret");
		r = find_row(secret ? "secret" : "configmap", ns, name);
		CU_ASSERT_PTR_NOT_NULL_FATAL(r);
		unsigned want = HR_LAYER_HELM_B64 | HR_LAYER_GZIP | HR_LAYER_JSON |
				(secret ? HR_LAYER_K8S_B64 : 0);
		check_record(r, payload, strlen(payload),
			     secret ? HR_PAYLOAD_K8S_B64 : HR_PAYLOAD_HELM, want);
		check_record(r, payload, strlen(payload), HR_PAYLOAD_SNIFF, want);
	}
	json_object_put(root);
	CU_ASSERT_EQUAL(count_seen("secret"), count_rows("secret"));
	CU_ASSERT_EQUAL(count_seen("configmap"), count_rows("configmap"));
	CU_ASSERT(count_rows("configmap") > 0);
}

/* The n-th '...' literal of an INSERT line (no quotes occur in the values). */
static int sql_field(const char *line, int n, char *dst, size_t dstsz, const char **big, size_t *biglen)
{
	const char *p = strstr(line, "VALUES (");
	int k;

	if (!p)
		return -1;
	p += 8;
	for (k = 0; k <= n; k++) {
		const char *q, *e;

		q = strchr(p, '\'');
		if (!q)
			return -1;
		e = strchr(q + 1, '\'');
		if (!e)
			return -1;
		if (k == n) {
			if (big) {
				*big = q + 1;
				*biglen = (size_t)(e - q - 1);
			} else {
				snprintf(dst, dstsz, "%.*s", (int)(e - q - 1), q + 1);
			}
			return 0;
		}
		p = e + 1;
	}
	return -1;
}

static void test_corpus_sql(void)
{
	hr_buf b = HR_BUF_INIT;
	char *line, *save = NULL;
	size_t found = 0;

	load_tsv();
	CU_ASSERT_FATAL(tu_read_file(&b, SQL) == 0);
	for (line = strtok_r(b.ptr, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char key[128], ns[64];
		const char *body = NULL;
		size_t bodylen = 0;
		row *r;

		if (strncmp(line, "INSERT INTO public.releases_v1 ", 31) != 0)
			continue;
		CU_ASSERT_FATAL(sql_field(line, 0, key, sizeof(key), NULL, NULL) == 0);
		CU_ASSERT_FATAL(sql_field(line, 2, NULL, 0, &body, &bodylen) == 0);
		CU_ASSERT_FATAL(sql_field(line, 4, ns, sizeof(ns), NULL, NULL) == 0);
		r = find_row("sql", ns, key);
		CU_ASSERT_PTR_NOT_NULL_FATAL(r);
		check_record(r, body, bodylen, HR_PAYLOAD_HELM,
			     HR_LAYER_HELM_B64 | HR_LAYER_GZIP | HR_LAYER_JSON);
		check_record(r, body, bodylen, HR_PAYLOAD_SNIFF,
			     HR_LAYER_HELM_B64 | HR_LAYER_GZIP | HR_LAYER_JSON);
		found++;
	}
	hr_buf_free(&b);
	CU_ASSERT(found > 0);
	CU_ASSERT_EQUAL(count_seen("sql"), count_rows("sql"));
}

/* Release name of record `name` in `ns` from generated-records.json. */
static const char *h2_release_name(struct json_object *gen, const char *ns, const char *name)
{
	struct json_object *recs, *v;
	size_t i;

	if (!json_object_object_get_ex(gen, "records", &recs))
		return NULL;
	for (i = 0; i < json_object_array_length(recs); i++) {
		struct json_object *r = json_object_array_get_idx(recs, i), *rel;

		json_object_object_get_ex(r, "namespace", &v);
		if (strcmp(json_object_get_string(v), ns))
			continue;
		json_object_object_get_ex(r, "name", &v);
		if (strcmp(json_object_get_string(v), name))
			continue;
		if (!json_object_object_get_ex(r, "release", &rel) ||
		    !json_object_object_get_ex(rel, "name", &v))
			return NULL;
		return json_object_get_string(v);
	}
	return NULL;
}

static void test_helm2_protobuf(void)
{
	struct json_object *root, *gen, *items;
	size_t i, n, checked = 0;

	root = json_object_from_file(H2DUMP);
	gen = json_object_from_file(H2GEN);
	CU_ASSERT_FATAL(root && gen);
	CU_ASSERT_FATAL(json_object_object_get_ex(root, "items", &items));
	n = json_object_array_length(items);
	for (i = 0; i < n; i++) {
		struct json_object *it = json_object_array_get_idx(items, i), *md, *data, *rel, *v;
		hr_decoded d = HR_DECODED_INIT;
		hr_error err = HR_ERROR_INIT;
		const char *kind, *name, *ns, *payload, *relname;
		int secret;

		json_object_object_get_ex(it, "kind", &v);
		kind = json_object_get_string(v);
		secret = !strcmp(kind, "Secret");
		json_object_object_get_ex(it, "metadata", &md);
		json_object_object_get_ex(md, "name", &v);
		name = json_object_get_string(v);
		json_object_object_get_ex(md, "namespace", &v);
		ns = json_object_get_string(v);
		/* Tiller's records only: labels OWNER=TILLER */
		if (!json_object_object_get_ex(md, "labels", &v) ||
		    !json_object_object_get_ex(v, "OWNER", &v) ||
		    strcmp(json_object_get_string(v), "TILLER") != 0)
			continue;
		CU_ASSERT_FATAL(json_object_object_get_ex(it, "data", &data));
		CU_ASSERT_FATAL(json_object_object_get_ex(data, "release", &rel));
		payload = json_object_get_string(rel);
		CU_ASSERT_EQUAL_FATAL(hr_codec_decode(&d, payload, strlen(payload),
						      HR_PAYLOAD_SNIFF, 0, &err), 0);
		CU_ASSERT_EQUAL(d.layers, HR_LAYER_HELM_B64 | HR_LAYER_GZIP | HR_LAYER_PROTOBUF |
				(secret ? HR_LAYER_K8S_B64 : 0));
		/* field 1 (name), wire type 2: the release name */
		relname = h2_release_name(gen, ns, name);
		CU_ASSERT_PTR_NOT_NULL_FATAL(relname);
		CU_ASSERT_FATAL(d.body.len > 2 + strlen(relname));
		CU_ASSERT_EQUAL((unsigned char)d.body.ptr[0], 0x0a);
		CU_ASSERT_EQUAL((unsigned char)d.body.ptr[1], strlen(relname));
		CU_ASSERT(memcmp(d.body.ptr + 2, relname, strlen(relname)) == 0);
		/* the explicit form agrees */
		CU_ASSERT_EQUAL(hr_codec_decode(&d, payload, strlen(payload),
						secret ? HR_PAYLOAD_K8S_B64 : HR_PAYLOAD_HELM,
						0, &err), 0);
		CU_ASSERT(d.layers & HR_LAYER_PROTOBUF);
		hr_decoded_free(&d);
		checked++;
	}
	json_object_put(root);
	json_object_put(gen);
	CU_ASSERT(checked >= 20);
}

/* hr_gzip_deflate_level: any level 1..12 gunzips back to the input; 0 and 13 are refused. */
static void test_deflate_level(void)
{
	static const char text[] = "{\"a\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\",\"b\":[1,2,3]}";
	hr_error err = HR_ERROR_INIT;

	for (int level = 1; level <= 12; level += 5) {
		hr_buf gz = HR_BUF_INIT, back = HR_BUF_INIT;

		CU_ASSERT_EQUAL(hr_gzip_deflate_level(&gz, text, sizeof(text) - 1, level, &err), 0);
		CU_ASSERT(gz.len > 18 && (unsigned char)gz.ptr[0] == 0x1f && (unsigned char)gz.ptr[1] == 0x8b);
		CU_ASSERT_EQUAL(hr_gzip_inflate(&back, gz.ptr, gz.len, 0, &err), 0);
		CU_ASSERT(back.len == sizeof(text) - 1 && !memcmp(back.ptr, text, back.len));
		hr_buf_free(&gz);
		hr_buf_free(&back);
	}
	{
		hr_buf gz = HR_BUF_INIT;

		CU_ASSERT_EQUAL(hr_gzip_deflate_level(&gz, text, 3, 0, &err), HR_EINVAL);
		CU_ASSERT_EQUAL(hr_gzip_deflate_level(&gz, text, 3, 13, &err), HR_EINVAL);
		CU_ASSERT_EQUAL(gz.len, 0);
		hr_buf_free(&gz);
	}
}

/* decode(encode(body)) == body for every corpus record; Go's header. */
static void test_round_trip(void)
{
	struct json_object *root, *items;
	size_t i, n, done = 0;

	root = json_object_from_file(DUMP);
	CU_ASSERT_FATAL(root && json_object_object_get_ex(root, "items", &items));
	n = json_object_array_length(items);
	for (i = 0; i < n; i++) {
		struct json_object *it = json_object_array_get_idx(items, i), *data, *rel, *md, *v;
		hr_decoded d = HR_DECODED_INIT, d2 = HR_DECODED_INIT;
		hr_error err = HR_ERROR_INIT;
		hr_buf helm = HR_BUF_INIT, gz = HR_BUF_INIT;
		const char *payload;

		json_object_object_get_ex(it, "metadata", &md);
		json_object_object_get_ex(md, "name", &v);
		if (strncmp(json_object_get_string(v), PREFIX, strlen(PREFIX)) != 0)
			continue;
		json_object_object_get_ex(it, "data", &data);
		json_object_object_get_ex(data, "release", &rel);
		payload = json_object_get_string(rel);
		CU_ASSERT_EQUAL_FATAL(hr_codec_decode(&d, payload, strlen(payload),
						      HR_PAYLOAD_SNIFF, 0, &err), 0);
		CU_ASSERT_EQUAL_FATAL(hr_codec_encode(&helm, d.body.ptr, d.body.len, &err), 0);
		CU_ASSERT(strncmp(helm.ptr, "H4sIAAAAAAAC/", 13) == 0);
		/* helm's own payload starts the same way (Go's header) */
		CU_ASSERT(strncmp(d.helm.ptr, "H4sIAAAAAAAC/", 13) == 0);
		CU_ASSERT_EQUAL_FATAL(hr_codec_decode(&d2, helm.ptr, helm.len, HR_PAYLOAD_HELM,
						      0, &err), 0);
		CU_ASSERT_EQUAL(d2.body.len, d.body.len);
		CU_ASSERT(memcmp(d2.body.ptr, d.body.ptr, d.body.len) == 0);
		/* the 10 header bytes and the ISIZE trailer, byte for byte */
		CU_ASSERT_EQUAL(hr_base64_decode(&gz, helm.ptr, helm.len, &err), 0);
		CU_ASSERT(gz.len > 18 && memcmp(gz.ptr, "\x1f\x8b\x08\0\0\0\0\0\x02\xff", 10) == 0);
		{
			const unsigned char *t = (const unsigned char *)gz.ptr + gz.len - 4;
			size_t isz = t[0] | t[1] << 8 | t[2] << 16 | (size_t)t[3] << 24;

			CU_ASSERT_EQUAL(isz, d.body.len);
		}
		hr_buf_free(&gz);
		hr_buf_free(&helm);
		hr_decoded_free(&d);
		hr_decoded_free(&d2);
		done++;
	}
	json_object_put(root);
	CU_ASSERT(done >= 30);
}

/* Worker threads decoding at once (the scan's decode pool) agree with records.tsv. */
typedef struct job {
	const char **payloads;
	row **rows;
	size_t n;
	int bad;
} job;

static void *decode_worker(void *arg)
{
	job *j = arg;
	hr_decoded d = HR_DECODED_INIT;
	int rep;
	size_t k;

	for (rep = 0; rep < 20; rep++) {
		for (k = 0; k < j->n; k++) {
			char hex[65];

			if (hr_codec_decode(&d, j->payloads[k], strlen(j->payloads[k]),
					    HR_PAYLOAD_SNIFF, 0, NULL)) {
				j->bad++;
				continue;
			}
			hr_sha256_hex(d.body.ptr, d.body.len, hex);
			j->bad += strcmp(hex, j->rows[k]->json_sha) != 0;
		}
	}
	hr_decoded_free(&d);
	return NULL;
}

static void test_threads(void)
{
	struct json_object *root, *items;
	const char *payloads[64];
	row *prow[64];
	pthread_t th[4];
	job jobs[4];
	size_t i, n = 0;
	int t;

	load_tsv();
	root = json_object_from_file(DUMP);
	CU_ASSERT_FATAL(root && json_object_object_get_ex(root, "items", &items));
	for (i = 0; i < json_object_array_length(items) && n < 64; i++) {
		struct json_object *it = json_object_array_get_idx(items, i), *md, *v, *data, *rel;
		const char *name, *ns;
		row *r;

		json_object_object_get_ex(it, "metadata", &md);
		json_object_object_get_ex(md, "name", &v);
		name = json_object_get_string(v);
		json_object_object_get_ex(md, "namespace", &v);
		ns = json_object_get_string(v);
		if (strncmp(name, PREFIX, strlen(PREFIX)) != 0)
			continue;
		json_object_object_get_ex(it, "kind", &v);
		r = find_row(strcmp(json_object_get_string(v), "Secret") ? "configmap" : "secret", ns, name);
		CU_ASSERT_PTR_NOT_NULL_FATAL(r);
		json_object_object_get_ex(it, "data", &data);
		json_object_object_get_ex(data, "release", &rel);
		payloads[n] = json_object_get_string(rel);
		prow[n++] = r;
	}
	for (t = 0; t < 4; t++) {
		jobs[t] = (job){ payloads, prow, n, 0 };
		CU_ASSERT_FATAL(pthread_create(&th[t], NULL, decode_worker, &jobs[t]) == 0);
	}
	for (t = 0; t < 4; t++) {
		pthread_join(th[t], NULL);
		CU_ASSERT_EQUAL(jobs[t].bad, 0);
	}
	json_object_put(root);
}

/* The worked example of formats/helm-payload.md. */
static void test_doc_example(void)
{
	hr_buf json = HR_BUF_INIT, helm = HR_BUF_INIT, k8s = HR_BUF_INIT, enc = HR_BUF_INIT;
	hr_decoded d = HR_DECODED_INIT;
	hr_error err = HR_ERROR_INIT;
	char layers[128];

	CU_ASSERT_FATAL(tu_read_file(&json, "testdata/codec/example.json") == 0);
	CU_ASSERT_FATAL(tu_read_file(&helm, "testdata/codec/example.helm") == 0);
	CU_ASSERT_FATAL(tu_read_file(&k8s, "testdata/codec/example.k8s") == 0);
	CU_ASSERT_EQUAL_FATAL(hr_codec_decode(&d, k8s.ptr, k8s.len, HR_PAYLOAD_SNIFF, 0, &err), 0);
	hr_codec_layers_str(d.layers, layers, sizeof(layers));
	CU_ASSERT_STRING_EQUAL(layers, "k8s-base64+helm-base64+gzip+json");
	CU_ASSERT_STRING_EQUAL(d.helm.ptr, helm.ptr);
	CU_ASSERT_STRING_EQUAL(d.body.ptr, json.ptr);
	/* re-encoding gives a payload with the same header that decodes the same */
	CU_ASSERT_EQUAL(hr_codec_encode(&enc, json.ptr, json.len, &err), 0);
	CU_ASSERT(strncmp(enc.ptr, helm.ptr, 13) == 0);
	CU_ASSERT_EQUAL(hr_codec_decode(&d, enc.ptr, enc.len, HR_PAYLOAD_HELM, 0, &err), 0);
	CU_ASSERT_STRING_EQUAL(d.body.ptr, json.ptr);
	hr_decoded_free(&d);
	hr_buf_free(&json);
	hr_buf_free(&helm);
	hr_buf_free(&k8s);
	hr_buf_free(&enc);
}

/*
 * base64 against a byte-at-a-time model: every length 0..80 round-trips;
 * a line break at any offset is skipped; a bad character, padding in the
 * middle, or junk after the padding at any offset fails at its byte.
 */
static void test_base64_offsets(void)
{
	unsigned char data[80];
	hr_buf enc = HR_BUF_INIT, dec = HR_BUF_INIT, text = HR_BUF_INIT;
	hr_error err = HR_ERROR_INIT;

	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (unsigned char)(i * 151 + 7);
	for (size_t len = 0; len <= sizeof(data); len++) {
		hr_buf_clear(&enc);
		hr_buf_clear(&dec);
		CU_ASSERT_EQUAL_FATAL(hr_base64_encode(&enc, data, len), 0);
		CU_ASSERT_EQUAL(hr_base64_decode(&dec, enc.ptr, enc.len, &err), 0);
		CU_ASSERT(dec.len == len && !memcmp(dec.ptr, data, len));
	}
	hr_buf_clear(&enc);
	CU_ASSERT_EQUAL_FATAL(hr_base64_encode(&enc, data, 60), 0);   /* 80 characters, no padding */
	for (size_t at = 0; at <= enc.len; at++) {
		char want[40];

		hr_buf_clear(&text);
		hr_buf_put(&text, enc.ptr, at);
		hr_buf_put(&text, "\n", 1);
		hr_buf_put(&text, enc.ptr + at, enc.len - at);
		hr_buf_clear(&dec);
		CU_ASSERT_EQUAL(hr_base64_decode(&dec, text.ptr, text.len, &err), 0);
		CU_ASSERT(dec.len == 60 && !memcmp(dec.ptr, data, 60));
		if (at == enc.len)
			continue;
		text.ptr[at] = '*';   /* the break becomes a bad character */
		hr_buf_clear(&dec);
		snprintf(want, sizeof(want), "at byte %zu:", at);
		CU_ASSERT_EQUAL(hr_base64_decode(&dec, text.ptr, text.len, &err), HR_EFORMAT);
		CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, want));
		text.ptr[at] = '=';   /* padding with characters after it */
		hr_buf_clear(&dec);
		CU_ASSERT_EQUAL(hr_base64_decode(&dec, text.ptr, text.len, &err), HR_EFORMAT);
	}
	hr_buf_free(&enc);
	hr_buf_free(&dec);
	hr_buf_free(&text);
}

HR_TEST_MAIN("codec",
	{ "formats/helm-payload.md example", test_doc_example },
	{ "every dump record matches records.tsv hashes", test_corpus_dump },
	{ "every sql body matches records.tsv hashes", test_corpus_sql },
	{ "helm 2 records decode to protobuf", test_helm2_protobuf },
	{ "encode round trip with Go gzip header", test_round_trip },
	{ "gzip at a chosen libdeflate level", test_deflate_level },
	{ "concurrent decoding", test_threads },
	{ "base64 at every offset", test_base64_offsets })
