/*
 * test_codec_hostile.c — the codec on broken, hostile and unusual input,
 * and the base64/sha256 helpers against independent references (OpenSSL's
 * EVP_EncodeBlock, the FIPS 180-2 "abc" vector).
 *
 * Broken inputs are made from a real corpus payload (the ConfigMap
 * cm/sh.helm.release.v1.cfg.v1 and a Secret from the kubectl dump) so the
 * errors are the ones a damaged dump would give.
 */
#include "testutil.h"
#include "codec/codec.h"

#include <json-c/json.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define DUMP "testdata/corpus/dumps/all-secrets-configmaps.json"

/* data.release of the named object in the kubectl dump (malloc'd). */
static char *dump_payload(const char *ns, const char *name)
{
	struct json_object *root = json_object_from_file(DUMP), *items;
	char *res = NULL;
	size_t i;

	if (!root || !json_object_object_get_ex(root, "items", &items))
		return NULL;
	for (i = 0; i < json_object_array_length(items); i++) {
		struct json_object *it = json_object_array_get_idx(items, i), *md, *v, *d, *r;

		json_object_object_get_ex(it, "metadata", &md);
		json_object_object_get_ex(md, "name", &v);
		if (strcmp(json_object_get_string(v), name))
			continue;
		json_object_object_get_ex(md, "namespace", &v);
		if (strcmp(json_object_get_string(v), ns))
			continue;
		if (json_object_object_get_ex(it, "data", &d) &&
		    json_object_object_get_ex(d, "release", &r))
			res = strdup(json_object_get_string(r));
		break;
	}
	json_object_put(root);
	return res;
}

/* Decode expecting failure `code` and a message containing `needle`. */
static void expect_fail(const char *in, size_t len, hr_payload_form form, size_t cap,
			int code, const char *needle)
{
	hr_decoded d = HR_DECODED_INIT;
	hr_error err = HR_ERROR_INIT;
	int rc = hr_codec_decode(&d, in, len, form, cap, &err);

	if (rc != code || !strstr(err.msg, needle))
		fprintf(stderr, "expected %d '%s', got %d '%s'\n", code, needle, rc, err.msg);
	CU_ASSERT_EQUAL(rc, code);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, needle));
	CU_ASSERT_EQUAL(d.layers, 0);
	CU_ASSERT_EQUAL(d.body.len, 0);
	hr_decoded_free(&d);
}

static void test_empty(void)
{
	expect_fail("", 0, HR_PAYLOAD_SNIFF, 0, HR_EFORMAT, "empty payload");
	expect_fail("", 0, HR_PAYLOAD_HELM, 0, HR_EFORMAT, "empty payload");
	expect_fail("", 0, HR_PAYLOAD_K8S_B64, 0, HR_EFORMAT, "empty payload");
	expect_fail("\n\r\n", 3, HR_PAYLOAD_SNIFF, 0, HR_EFORMAT, "empty");
	/* Go-gzip of zero bytes: a valid stream with an empty body */
	{
		hr_buf gz = HR_BUF_INIT, b64 = HR_BUF_INIT;

		CU_ASSERT_EQUAL(hr_gzip_deflate(&gz, "", 0, NULL), 0);
		CU_ASSERT_EQUAL(hr_base64_encode(&b64, gz.ptr, gz.len), 0);
		expect_fail(b64.ptr, b64.len, HR_PAYLOAD_HELM, 0, HR_EFORMAT, "body is empty");
		hr_buf_free(&gz);
		hr_buf_free(&b64);
	}
}

static void test_truncated_and_garbled_base64(void)
{
	char *cm = dump_payload("cm", "sh.helm.release.v1.cfg.v1");
	char *sec = dump_payload("shop", "sh.helm.release.v1.web.v1");
	size_t n;

	CU_ASSERT_PTR_NOT_NULL_FATAL(cm);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sec);
	n = strlen(cm);
	/* cut inside a quantum */
	expect_fail(cm, n - 3, HR_PAYLOAD_HELM, 0, HR_EFORMAT, "helm base64 layer: bad base64 at byte");
	/* cut on a quantum boundary: base64 is fine, the gzip is short */
	expect_fail(cm, (n / 2) & ~(size_t)3, HR_PAYLOAD_HELM, 0, HR_EFORMAT, "gzip: truncated");
	expect_fail(cm, (n / 2) & ~(size_t)3, HR_PAYLOAD_SNIFF, 0, HR_EFORMAT, "gzip: truncated");
	/* a bad character names its offset */
	{
		char *g = strdup(cm);

		g[1234] = '!';
		expect_fail(g, n, HR_PAYLOAD_HELM, 0, HR_EFORMAT, "bad base64 at byte 1234: unexpected character '!'");
		g[1234] = '\x80';
		expect_fail(g, n, HR_PAYLOAD_HELM, 0, HR_EFORMAT, "at byte 1234: unexpected byte 0x80");
		free(g);
	}
	/* Secret: the outer layer is named */
	{
		char *g = strdup(sec);

		g[77] = '*';
		expect_fail(g, strlen(g), HR_PAYLOAD_K8S_B64, 0, HR_EFORMAT,
			    "kubernetes base64 layer: bad base64 at byte 77");
		free(g);
	}
	/* a Secret value handed over as if it were the Helm string */
	{
		hr_decoded d = HR_DECODED_INIT;
		hr_error err = HR_ERROR_INIT;

		CU_ASSERT_EQUAL(hr_codec_decode(&d, sec, strlen(sec), HR_PAYLOAD_HELM, 0, &err),
				HR_EFORMAT);
		CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "not JSON"));
		hr_decoded_free(&d);
	}
	free(cm);
	free(sec);
}

/* The gzip bytes of a real payload, for surgery. */
static void real_gzip(hr_buf *gz)
{
	char *cm = dump_payload("cm", "sh.helm.release.v1.cfg.v1");

	CU_ASSERT_PTR_NOT_NULL_FATAL(cm);
	CU_ASSERT_EQUAL_FATAL(hr_base64_decode(gz, cm, strlen(cm), NULL), 0);
	free(cm);
}

static void expect_gzip_fail(const hr_buf *gz, const char *needle)
{
	hr_buf b64 = HR_BUF_INIT;

	hr_base64_encode(&b64, gz->ptr, gz->len);
	expect_fail(b64.ptr, b64.len, HR_PAYLOAD_HELM, 0, HR_EFORMAT, needle);
	/* raw gzip handed over directly */
	expect_fail(gz->ptr, gz->len, HR_PAYLOAD_SNIFF, 0, HR_EFORMAT, needle);
	hr_buf_free(&b64);
}

static void test_bad_gzip(void)
{
	hr_buf gz = HR_BUF_INIT, t = HR_BUF_INIT;

	real_gzip(&gz);
	CU_ASSERT_FATAL(gz.len > 100);
	/* CRC trailer damaged */
	hr_buf_put(&t, gz.ptr, gz.len);
	t.ptr[t.len - 6] ^= 0x55;
	expect_gzip_fail(&t, "CRC-32 mismatch");
	/* ISIZE damaged */
	hr_buf_clear(&t);
	hr_buf_put(&t, gz.ptr, gz.len);
	t.ptr[t.len - 1] ^= 0x01;
	expect_gzip_fail(&t, "size mismatch");
	/* trailer missing */
	hr_buf_clear(&t);
	hr_buf_put(&t, gz.ptr, gz.len - 8);
	expect_gzip_fail(&t, "missing CRC-32/ISIZE trailer");
	/* reserved header flag */
	hr_buf_clear(&t);
	hr_buf_put(&t, gz.ptr, gz.len);
	t.ptr[3] = (char)0x80;
	expect_gzip_fail(&t, "reserved header flags");
	/* trailing garbage after the member (Go's reader refuses it too) */
	hr_buf_clear(&t);
	hr_buf_put(&t, gz.ptr, gz.len);
	hr_buf_put(&t, "\0\0\0\0", 4);
	expect_gzip_fail(&t, "trailing garbage at byte");
	/* corrupt deflate data: a block type 3 (reserved) at the first block */
	hr_buf_clear(&t);
	hr_buf_put(&t, gz.ptr, gz.len);
	t.ptr[10] = (char)0xff;
	{
		hr_decoded d = HR_DECODED_INIT;
		hr_error err = HR_ERROR_INIT;

		CU_ASSERT_EQUAL(hr_codec_decode(&d, t.ptr, t.len, HR_PAYLOAD_SNIFF, 0, &err), HR_EFORMAT);
		CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "gzip: corrupt deflate data near byte"));
		hr_decoded_free(&d);
	}
	/* two members concatenated are read as one stream, like Go's reader */
	{
		hr_buf two = HR_BUF_INIT, a = HR_BUF_INIT;
		hr_decoded d = HR_DECODED_INIT;
		hr_error err = HR_ERROR_INIT;

		CU_ASSERT_EQUAL(hr_gzip_deflate(&two, "{\"a\":", 5, &err), 0);
		CU_ASSERT_EQUAL(hr_gzip_deflate(&two, "1}", 2, &err), 0);
		CU_ASSERT_EQUAL(hr_base64_encode(&a, two.ptr, two.len), 0);
		CU_ASSERT_EQUAL(hr_codec_decode(&d, a.ptr, a.len, HR_PAYLOAD_HELM, 0, &err), 0);
		CU_ASSERT_STRING_EQUAL(d.body.ptr, "{\"a\":1}");
		hr_decoded_free(&d);
		hr_buf_free(&two);
		hr_buf_free(&a);
	}
	hr_buf_free(&t);
	hr_buf_free(&gz);
}

/* gzip of `total` zero bytes, streamed so the input is never in memory. */
static void zero_bomb(hr_buf *out, size_t total, int lie_isize)
{
	static unsigned char zeros[1 << 20];
	unsigned char tmp[1 << 16];
	z_stream z;
	uLong crc = crc32(0, NULL, 0);
	size_t left = total;
	int flush;

	memset(&z, 0, sizeof(z));
	CU_ASSERT_FATAL(deflateInit2(&z, 9, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY) == Z_OK);
	do {
		size_t chunk = left < sizeof(zeros) ? left : sizeof(zeros);

		z.next_in = zeros;
		z.avail_in = (uInt)chunk;
		left -= chunk;
		crc = crc32(crc, zeros, (uInt)chunk);
		flush = left ? Z_NO_FLUSH : Z_FINISH;
		do {
			z.next_out = tmp;
			z.avail_out = sizeof(tmp);
			deflate(&z, flush);
			hr_buf_put(out, tmp, sizeof(tmp) - z.avail_out);
		} while (z.avail_out == 0);
	} while (flush != Z_FINISH);
	deflateEnd(&z);
	if (lie_isize)
		memset(out->ptr + out->len - 4, 0, 4);
}

static void test_gzip_bomb(void)
{
	hr_buf bomb = HR_BUF_INIT, b64 = HR_BUF_INIT;

	/* 300 MB of zeros against the default 256 MiB cap */
	zero_bomb(&bomb, 300u << 20, 0);
	CU_ASSERT(bomb.len < (1u << 20));
	CU_ASSERT_EQUAL(hr_base64_encode(&b64, bomb.ptr, bomb.len), 0);
	expect_fail(b64.ptr, b64.len, HR_PAYLOAD_HELM, 0, HR_ETOOBIG,
		    "inflated size exceeds cap of 268435456 bytes");
	/* a lying ISIZE against a small cap: the hint grows, the cap still holds */
	hr_buf_clear(&bomb);
	hr_buf_clear(&b64);
	zero_bomb(&bomb, 64u << 20, 1);
	expect_fail(bomb.ptr, bomb.len, HR_PAYLOAD_SNIFF, 8u << 20, HR_ETOOBIG,
		    "exceeds cap of 8388608 bytes");
	/* under the cap, the same bomb (true ISIZE) inflates */
	{
		hr_buf ok = HR_BUF_INIT;
		hr_error err = HR_ERROR_INIT;

		hr_buf_clear(&bomb);
		zero_bomb(&bomb, 5u << 20, 0);
		CU_ASSERT_EQUAL(hr_gzip_inflate(&ok, bomb.ptr, bomb.len, 5u << 20, &err), 0);
		CU_ASSERT_EQUAL(ok.len, 5u << 20);
		CU_ASSERT_EQUAL(hr_gzip_inflate(&ok, bomb.ptr, bomb.len, (5u << 20) - 1, &err),
				HR_ETOOBIG);
		hr_buf_free(&ok);
	}
	hr_buf_free(&bomb);
	hr_buf_free(&b64);
}

static void test_not_json(void)
{
	hr_buf gz = HR_BUF_INIT, b64 = HR_BUF_INIT;
	static const char text[] = "hello: this is YAML, not a release\n";

	CU_ASSERT_EQUAL(hr_gzip_deflate(&gz, text, sizeof(text) - 1, NULL), 0);
	CU_ASSERT_EQUAL(hr_base64_encode(&b64, gz.ptr, gz.len), 0);
	expect_fail(b64.ptr, b64.len, HR_PAYLOAD_HELM, 0, HR_EFORMAT, "not JSON (starts with 'h')");
	expect_fail(b64.ptr, b64.len, HR_PAYLOAD_SNIFF, 0, HR_EFORMAT, "not JSON");
	expect_fail(gz.ptr, gz.len, HR_PAYLOAD_SNIFF, 0, HR_EFORMAT, "not JSON");
	hr_buf_free(&gz);
	hr_buf_free(&b64);
}

static void test_binary_junk_and_mutations(void)
{
	unsigned long long x = 88172645463325252ull;
	char *sec = dump_payload("shop", "sh.helm.release.v1.web.v2");
	unsigned char junk[4096];
	size_t i, n;
	int k;

	/* random bytes: always a clean error */
	for (k = 0; k < 200; k++) {
		hr_decoded d = HR_DECODED_INIT;
		hr_error err = HR_ERROR_INIT;

		for (i = 0; i < sizeof(junk); i++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			junk[i] = (unsigned char)x;
		}
		if (k & 1)
			junk[0] = 0x01;   /* not '{', not gzip, not base64 */
		int rc = hr_codec_decode(&d, (char *)junk, sizeof(junk), HR_PAYLOAD_SNIFF, 0, &err);

		CU_ASSERT(rc < 0 && err.msg[0] != '\0');
		if (k & 1)
			CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "not a Helm payload: byte 0x01 at 0"));
		hr_decoded_free(&d);
	}
	/* single-byte mutations of a real Secret value: 0 or a clean error */
	CU_ASSERT_PTR_NOT_NULL_FATAL(sec);
	n = strlen(sec);
	for (k = 0; k < 300; k++) {
		hr_decoded d = HR_DECODED_INIT;
		hr_error err = HR_ERROR_INIT;
		char *m = strdup(sec);
		int rc;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		m[x % n] = (char)(x >> 32);
		rc = hr_codec_decode(&d, m, n, HR_PAYLOAD_SNIFF, 0, &err);
		CU_ASSERT(rc == 0 || (rc < 0 && err.msg[0] != '\0'));
		if (rc == 0)
			CU_ASSERT(d.layers & (HR_LAYER_JSON | HR_LAYER_PROTOBUF));
		hr_decoded_free(&d);
		free(m);
	}
	free(sec);
}

static void test_unusual_forms(void)
{
	static const char json[] = "{\"name\":\"x\",\"version\":1}";
	hr_buf b1 = HR_BUF_INIT, b2 = HR_BUF_INIT, gz = HR_BUF_INIT;
	hr_decoded d = HR_DECODED_INIT;
	hr_error err = HR_ERROR_INIT;

	/* plain JSON, with leading whitespace */
	CU_ASSERT_EQUAL(hr_codec_decode(&d, " \n{}", 4, HR_PAYLOAD_SNIFF, 0, &err), 0);
	CU_ASSERT_EQUAL(d.layers, HR_LAYER_JSON);
	CU_ASSERT_EQUAL(d.helm.len, 0);
	/* Helm base64 of uncompressed JSON (pre-compression records): "eyJ" */
	hr_base64_encode(&b1, json, sizeof(json) - 1);
	CU_ASSERT(strncmp(b1.ptr, "eyJ", 3) == 0);
	CU_ASSERT_EQUAL(hr_codec_decode(&d, b1.ptr, b1.len, HR_PAYLOAD_HELM, 0, &err), 0);
	CU_ASSERT_EQUAL(d.layers, HR_LAYER_HELM_B64 | HR_LAYER_JSON);
	CU_ASSERT_STRING_EQUAL(d.body.ptr, json);
	CU_ASSERT_EQUAL(hr_codec_decode(&d, b1.ptr, b1.len, HR_PAYLOAD_SNIFF, 0, &err), 0);
	CU_ASSERT_EQUAL(d.layers, HR_LAYER_HELM_B64 | HR_LAYER_JSON);
	/* ...and its Kubernetes encoding: "ZXlK" */
	hr_base64_encode(&b2, b1.ptr, b1.len);
	CU_ASSERT(strncmp(b2.ptr, "ZXlK", 4) == 0);
	CU_ASSERT_EQUAL(hr_codec_decode(&d, b2.ptr, b2.len, HR_PAYLOAD_SNIFF, 0, &err), 0);
	CU_ASSERT_EQUAL(d.layers, HR_LAYER_K8S_B64 | HR_LAYER_HELM_B64 | HR_LAYER_JSON);
	CU_ASSERT_EQUAL(d.helm.len, b1.len);
	CU_ASSERT_STRING_EQUAL(d.body.ptr, json);
	/* raw gzip */
	hr_gzip_deflate(&gz, json, sizeof(json) - 1, &err);
	CU_ASSERT_EQUAL(hr_codec_decode(&d, gz.ptr, gz.len, HR_PAYLOAD_SNIFF, 0, &err), 0);
	CU_ASSERT_EQUAL(d.layers, HR_LAYER_GZIP | HR_LAYER_JSON);
	/* Helm string wrapped at 76 columns with CRLF (Go skips them) */
	{
		hr_buf w = HR_BUF_INIT, enc = HR_BUF_INIT;
		size_t i;

		hr_codec_encode(&enc, json, sizeof(json) - 1, &err);
		for (i = 0; i < enc.len; i++) {
			if (i && i % 76 == 0)
				hr_buf_put(&w, "\r\n", 2);
			hr_buf_putc(&w, enc.ptr[i]);
		}
		CU_ASSERT_EQUAL(hr_codec_decode(&d, w.ptr, w.len, HR_PAYLOAD_SNIFF, 0, &err), 0);
		CU_ASSERT_STRING_EQUAL(d.body.ptr, json);
		hr_buf_free(&w);
		hr_buf_free(&enc);
	}
	/* body cap applies to uncompressed bodies too */
	CU_ASSERT_EQUAL(hr_codec_decode(&d, b1.ptr, b1.len, HR_PAYLOAD_HELM, 8, &err), HR_ETOOBIG);
	CU_ASSERT_EQUAL(hr_codec_decode(&d, "{}", 2, 99, 0, &err), HR_EINVAL);
	hr_decoded_free(&d);
	hr_buf_free(&b1);
	hr_buf_free(&b2);
	hr_buf_free(&gz);
}

static void test_base64_against_openssl(void)
{
	unsigned char data[1000], ref[1400];
	unsigned long long x = 0x2545F4914F6CDD1Dull;
	size_t len, i;

	for (len = 0; len < sizeof(data); len += 7) {
		hr_buf enc = HR_BUF_INIT, dec = HR_BUF_INIT;
		hr_error err = HR_ERROR_INIT;
		int n;

		for (i = 0; i < len; i++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			data[i] = (unsigned char)x;
		}
		n = EVP_EncodeBlock(ref, data, (int)len);
		CU_ASSERT_EQUAL(hr_base64_encode(&enc, data, len), 0);
		CU_ASSERT_EQUAL(enc.len, (size_t)n);
		CU_ASSERT(memcmp(enc.ptr ? enc.ptr : "", ref, (size_t)n) == 0);
		CU_ASSERT_EQUAL(hr_base64_decode(&dec, (char *)ref, (size_t)n, &err), 0);
		CU_ASSERT_EQUAL(dec.len, len);
		CU_ASSERT(len == 0 || memcmp(dec.ptr, data, len) == 0);
		hr_buf_free(&enc);
		hr_buf_free(&dec);
	}
}

static void b64_bad(const char *in, const char *needle)
{
	hr_buf out = HR_BUF_INIT;
	hr_error err = HR_ERROR_INIT;

	hr_buf_put(&out, "keep", 4);
	CU_ASSERT_EQUAL(hr_base64_decode(&out, in, strlen(in), &err), HR_EFORMAT);
	if (!strstr(err.msg, needle))
		fprintf(stderr, "b64 '%s': %s\n", in, err.msg);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, needle));
	/* what was in the buffer before is untouched */
	CU_ASSERT_EQUAL(out.len, 4);
	CU_ASSERT_STRING_EQUAL(out.ptr, "keep");
	hr_buf_free(&out);
}

static void test_base64_rules(void)
{
	hr_buf out = HR_BUF_INIT;
	hr_error err = HR_ERROR_INIT;

	/* Go's StdEncoding: newlines skipped anywhere, even inside padding */
	CU_ASSERT_EQUAL(hr_base64_decode(&out, "SGVs\r\nbG8=\n", 11, &err), 0);
	CU_ASSERT_STRING_EQUAL(out.ptr, "Hello");
	hr_buf_clear(&out);
	CU_ASSERT_EQUAL(hr_base64_decode(&out, "QQ=\n=", 5, &err), 0);
	CU_ASSERT_STRING_EQUAL(out.ptr, "A");
	hr_buf_clear(&out);
	/* non-zero trailing bits are accepted (StdEncoding is not Strict) */
	CU_ASSERT_EQUAL(hr_base64_decode(&out, "QR==", 4, &err), 0);
	CU_ASSERT_STRING_EQUAL(out.ptr, "A");
	hr_buf_free(&out);

	b64_bad("QQ=", "byte 2: incomplete padding");
	b64_bad("QQ", "byte 0: input ends inside a quantum");
	b64_bad("QUJDRA", "byte 4: input ends inside a quantum");
	b64_bad("QQ==QQ==", "byte 4: data after padding");
	b64_bad("Q===", "byte 1: misplaced padding");
	b64_bad("QQ=A", "byte 3: unexpected character 'A'");
	b64_bad("QUJD RA==", "byte 4: unexpected character ' '");
	b64_bad("QUJD-A==", "byte 4: unexpected character '-'");   /* URL alphabet */
}

static void test_sha256_and_layers(void)
{
	char hex[65], s[128];

	hr_sha256_hex("abc", 3, hex);
	CU_ASSERT_STRING_EQUAL(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	hr_codec_layers_str(HR_LAYER_K8S_B64 | HR_LAYER_HELM_B64 | HR_LAYER_GZIP | HR_LAYER_JSON,
			    s, sizeof(s));
	CU_ASSERT_STRING_EQUAL(s, "k8s-base64+helm-base64+gzip+json");
	hr_codec_layers_str(HR_LAYER_HELM_B64 | HR_LAYER_GZIP | HR_LAYER_PROTOBUF, s, sizeof(s));
	CU_ASSERT_STRING_EQUAL(s, "helm-base64+gzip+protobuf");
	hr_codec_layers_str(0, s, sizeof(s));
	CU_ASSERT_STRING_EQUAL(s, "none");
	hr_codec_layers_str(HR_LAYER_K8S_B64 | HR_LAYER_HELM_B64, s, 12);
	CU_ASSERT(strlen(s) < 12);
}

HR_TEST_MAIN("codec-hostile",
	{ "empty inputs", test_empty },
	{ "truncated and garbled base64", test_truncated_and_garbled_base64 },
	{ "bad gzip", test_bad_gzip },
	{ "gzip bomb hits the cap", test_gzip_bomb },
	{ "valid gzip of non-JSON", test_not_json },
	{ "binary junk and mutations", test_binary_junk_and_mutations },
	{ "unusual but legal forms", test_unusual_forms },
	{ "base64 matches OpenSSL", test_base64_against_openssl },
	{ "base64 follows Go's StdEncoding", test_base64_rules },
	{ "sha256 vector and layer names", test_sha256_and_layers })
