/*
 * test_gojson.c — Go-compatible JSON parse/write.
 *
 * The main check is the real corpus: every release JSON body Helm 3/4
 * wrote (Secrets, ConfigMaps, SQL rows) and every Helm-3 JSON file the
 * helm2 conversion corpus holds must re-encode to exactly its own bytes.
 * The other tests pin the rules of Go's encoding/json (escaping, float
 * format, number texts) and the parser's limits on hostile input.
 */
#include "testutil.h"
#include "codec/codec.h"
#include "codec/gojson.h"

#include <dirent.h>
#include <float.h>
#include <json-c/json.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define DUMP "testdata/corpus/dumps/all-secrets-configmaps.json"
#define SQL "testdata/corpus/sql/helm-sql-data-inserts.sql"
#define H2V3 "testdata/corpus/helm2/expected-v3"
#define PREFIX "sh.helm.release.v1."

/* parse + write must give back exactly `text` */
static int reencodes(const char *text, size_t len, unsigned flags)
{
	struct json_object *o = NULL;
	hr_error err = HR_ERROR_INIT;
	hr_buf out = HR_BUF_INIT;
	int ok;

	if (hr_gojson_parse(&o, text, len, &err)) {
		fprintf(stderr, "parse: %s\n", err.msg);
		return 0;
	}
	ok = hr_gojson_write(&out, o, flags) == 0 && out.len == len &&
	     memcmp(out.ptr, text, len) == 0;
	if (!ok) {
		size_t i = 0;

		while (i < len && i < out.len && out.ptr[i] == text[i])
			i++;
		fprintf(stderr, "re-encode differs at byte %zu: got \"%.40s\" want \"%.40s\"\n",
			i, out.ptr ? out.ptr + i : "", text + i);
	}
	hr_buf_free(&out);
	json_object_put(o);
	return ok;
}

static void test_corpus_dump_bodies(void)
{
	struct json_object *root, *items;
	size_t i, n, done = 0, h4 = 0;

	root = json_object_from_file(DUMP);
	CU_ASSERT_FATAL(root && json_object_object_get_ex(root, "items", &items));
	n = json_object_array_length(items);
	for (i = 0; i < n; i++) {
		struct json_object *it = json_object_array_get_idx(items, i), *md, *v, *data, *rel;
		hr_decoded d = HR_DECODED_INIT;
		hr_error err = HR_ERROR_INIT;
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
		CU_ASSERT(reencodes(d.body.ptr, d.body.len, 0));
		/* Helm 4 bodies carry apply_method */
		if (strstr(d.body.ptr, "\"apply_method\":"))
			h4++;
		hr_decoded_free(&d);
		done++;
	}
	json_object_put(root);
	CU_ASSERT(done >= 30);
	CU_ASSERT(h4 > 0 && h4 < done);   /* both Helm 3 and Helm 4 records */
}

static void test_corpus_sql_bodies(void)
{
	hr_buf b = HR_BUF_INIT;
	char *line, *save = NULL;
	size_t done = 0;

	CU_ASSERT_FATAL(tu_read_file(&b, SQL) == 0);
	for (line = strtok_r(b.ptr, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		hr_decoded d = HR_DECODED_INIT;
		hr_error err = HR_ERROR_INIT;
		char *q, *e;

		if (strncmp(line, "INSERT INTO public.releases_v1 ", 31) != 0)
			continue;
		/* third quoted value is the body */
		q = strstr(line, "VALUES (");
		CU_ASSERT_FATAL(q != NULL);
		q = strchr(q, '\'');
		q = strchr(strchr(q + 1, '\'') + 1, '\'');
		q = strchr(strchr(q + 1, '\'') + 1, '\'');
		e = strchr(q + 1, '\'');
		CU_ASSERT_FATAL(q && e);
		CU_ASSERT_EQUAL_FATAL(hr_codec_decode(&d, q + 1, (size_t)(e - q - 1),
						      HR_PAYLOAD_HELM, 0, &err), 0);
		CU_ASSERT(reencodes(d.body.ptr, d.body.len, 0));
		hr_decoded_free(&d);
		done++;
	}
	hr_buf_free(&b);
	CU_ASSERT(done >= 5);
}

static void test_corpus_helm2_v3_json(void)
{
	DIR *top = opendir(H2V3), *sub;
	struct dirent *de, *fe;
	size_t done = 0;

	CU_ASSERT_FATAL(top != NULL);
	while ((de = readdir(top))) {
		char dir[512];

		if (de->d_name[0] == '.')
			continue;
		snprintf(dir, sizeof(dir), "%s/%s", H2V3, de->d_name);
		sub = opendir(dir);
		if (!sub)
			continue;
		while ((fe = readdir(sub))) {
			char path[1024];
			hr_buf b = HR_BUF_INIT;
			size_t l = strlen(fe->d_name);

			if (l < 5 || strcmp(fe->d_name + l - 5, ".json"))
				continue;
			snprintf(path, sizeof(path), "%s/%s", dir, fe->d_name);
			CU_ASSERT_FATAL(tu_read_file(&b, path) == 0);
			/* helm prints a newline after -o json output */
			while (b.len && b.ptr[b.len - 1] == '\n')
				b.len--;
			if (!reencodes(b.ptr, b.len, 0)) {
				fprintf(stderr, "%s\n", path);
				CU_FAIL("helm2 expected-v3 JSON does not re-encode");
			}
			hr_buf_free(&b);
			done++;
		}
		closedir(sub);
	}
	closedir(top);
	CU_ASSERT(done >= 20);
}

/* Write one C string as a Go string literal and compare. */
static int str_is(const char *in, size_t len, unsigned flags, const char *want)
{
	hr_buf out = HR_BUF_INIT;
	int ok;

	ok = hr_gojson_write_string(&out, in, len, flags) == 0 && !strcmp(out.ptr, want);
	if (!ok)
		fprintf(stderr, "string: got %s want %s\n", out.ptr, want);
	hr_buf_free(&out);
	return ok;
}

#define S(lit) lit, sizeof(lit) - 1

static void test_string_escaping(void)
{
	CU_ASSERT(str_is(S(""), 0, "\"\""));
	CU_ASSERT(str_is(S("plain / text"), 0, "\"plain / text\""));
	CU_ASSERT(str_is(S("q\"b\\"), 0, "\"q\\\"b\\\\\""));
	CU_ASSERT(str_is(S("a\nb\rc\td"), 0, "\"a\\nb\\rc\\td\""));
	CU_ASSERT(str_is(S("\b\f"), 0, "\"\\b\\f\""));
	CU_ASSERT(str_is(S("\b\f"), HR_GOJSON_GO_PRE122, "\"\\u0008\\u000c\""));
	CU_ASSERT(str_is(S("\x01\x1f\x7f"), 0, "\"\\u0001\\u001f\x7f\""));
	CU_ASSERT(str_is(S("x\0y"), 0, "\"x\\u0000y\""));
	CU_ASSERT(str_is(S("<b>&</b>"), 0, "\"\\u003cb\\u003e\\u0026\\u003c/b\\u003e\""));
	CU_ASSERT(str_is(S("<b>&</b>"), HR_GOJSON_NO_HTML_ESCAPE, "\"<b>&</b>\""));
	/* raw UTF-8, U+2028/2029 escaped even without HTML escaping */
	CU_ASSERT(str_is(S("W\xc3\xa9lcome \xe2\x9c\x93 \xf0\x9f\x98\x80"), 0,
			 "\"W\xc3\xa9lcome \xe2\x9c\x93 \xf0\x9f\x98\x80\""));
	CU_ASSERT(str_is(S("a\xe2\x80\xa8" "b\xe2\x80\xa9"), HR_GOJSON_NO_HTML_ESCAPE,
			 "\"a\\u2028b\\u2029\""));
	/* invalid UTF-8: one \ufffd per bad byte, as utf8.DecodeRune steps */
	CU_ASSERT(str_is(S("a\xffz"), 0, "\"a\\ufffdz\""));
	CU_ASSERT(str_is(S("\xc0\xaf"), 0, "\"\\ufffd\\ufffd\""));          /* overlong */
	CU_ASSERT(str_is(S("\xed\xa0\x80"), 0, "\"\\ufffd\\ufffd\\ufffd\"")); /* surrogate */
	CU_ASSERT(str_is(S("\xf4\x90\x80\x80"), 0, "\"\\ufffd\\ufffd\\ufffd\\ufffd\""));
	CU_ASSERT(str_is(S("end\xe2\x82"), 0, "\"end\\ufffd\\ufffd\""));      /* truncated */
	/* a real U+FFFD stays raw */
	CU_ASSERT(str_is(S("\xef\xbf\xbd"), 0, "\"\xef\xbf\xbd\""));
}

static int float_is(double f, const char *want)
{
	hr_buf out = HR_BUF_INIT;
	int ok = hr_gojson_write_float(&out, f) == 0 && !strcmp(out.ptr, want);

	if (!ok)
		fprintf(stderr, "float %.17g: got %s want %s\n", f, out.ptr, want);
	hr_buf_free(&out);
	return ok;
}

static void test_float_format(void)
{
	/* values and texts as Go's encoding/json documents/produces them */
	CU_ASSERT(float_is(0.0, "0"));
	CU_ASSERT(float_is(-0.0, "-0"));
	CU_ASSERT(float_is(1, "1"));
	CU_ASSERT(float_is(100, "100"));
	CU_ASSERT(float_is(-42.5, "-42.5"));
	CU_ASSERT(float_is(0.1, "0.1"));
	CU_ASSERT(float_is(0.1 + 0.2, "0.30000000000000004"));
	CU_ASSERT(float_is(1.0 / 3, "0.3333333333333333"));
	CU_ASSERT(float_is(9007199254740993.0, "9007199254740992"));
	CU_ASSERT(float_is(1e20, "100000000000000000000"));
	CU_ASSERT(float_is(123456789012345678901.0, "123456789012345680000"));
	CU_ASSERT(float_is(1e21, "1e+21"));
	CU_ASSERT(float_is(1.5e300, "1.5e+300"));
	CU_ASSERT(float_is(DBL_MAX, "1.7976931348623157e+308"));
	CU_ASSERT(float_is(0.000001, "0.000001"));
	CU_ASSERT(float_is(0.0000012345, "0.0000012345"));
	CU_ASSERT(float_is(1e-7, "1e-7"));
	CU_ASSERT(float_is(-1.5e-7, "-1.5e-7"));
	CU_ASSERT(float_is(1.2345e-10, "1.2345e-10"));
	CU_ASSERT(float_is(1e-100, "1e-100"));
	CU_ASSERT(float_is(5e-324, "5e-324"));
	{
		hr_buf out = HR_BUF_INIT;

		CU_ASSERT_EQUAL(hr_gojson_write_float(&out, NAN), HR_EINVAL);
		CU_ASSERT_EQUAL(hr_gojson_write_float(&out, INFINITY), HR_EINVAL);
		hr_buf_free(&out);
	}
}

/* Random doubles: the text reads back to the same value and is never longer than %.17g. */
static void test_float_round_trip(void)
{
	unsigned long long x = 0x9e3779b97f4a7c15ull;
	int i, bad = 0;

	for (i = 0; i < 20000; i++) {
		hr_buf out = HR_BUF_INIT;
		char ref[40];
		double f;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		memcpy(&f, &x, sizeof(f));
		if (isnan(f) || isinf(f))
			continue;
		if (hr_gojson_write_float(&out, f) || strtod(out.ptr, NULL) != f)
			bad++;
		snprintf(ref, sizeof(ref), "%.17g", f);
		/* shortest: significant digits never exceed 17 */
		{
			int digits = 0;
			const char *p;

			for (p = out.ptr; *p && *p != 'e'; p++)
				digits += *p >= '0' && *p <= '9';
			if (fabs(f) < 1e-6 || fabs(f) >= 1e21)
				bad += digits > 17;
		}
		hr_buf_free(&out);
	}
	CU_ASSERT_EQUAL(bad, 0);
}

static void test_number_texts(void)
{
	static const char arr[] =
		"[1,-0,0.0,-0.0,1e+21,1.5e-7,12345678901234567890,123456789012345678901234,"
		"-9223372036854775808,9223372036854775807,9223372036854775808,-9223372036854775809,"
		"100000000000000000000,1E5,1.0,0,-1]";
	struct json_object *o = NULL;
	hr_error err = HR_ERROR_INIT;

	CU_ASSERT(reencodes(S(arr), 0));
	CU_ASSERT_EQUAL_FATAL(hr_gojson_parse(&o, S(arr), &err), 0);
	CU_ASSERT(json_object_is_type(json_object_array_get_idx(o, 0), json_type_int));
	CU_ASSERT(json_object_is_type(json_object_array_get_idx(o, 1), json_type_double));
	CU_ASSERT(signbit(json_object_get_double(json_object_array_get_idx(o, 1))));
	CU_ASSERT_EQUAL(json_object_get_int64(json_object_array_get_idx(o, 8)), INT64_MIN);
	CU_ASSERT_EQUAL(json_object_get_int64(json_object_array_get_idx(o, 9)), INT64_MAX);
	CU_ASSERT(json_object_is_type(json_object_array_get_idx(o, 10), json_type_double));
	CU_ASSERT(json_object_get_double(json_object_array_get_idx(o, 12)) == 1e20);
	/* changing a parsed double drops its source text: the new value prints */
	{
		hr_buf out = HR_BUF_INIT;
		struct json_object *d = json_object_array_get_idx(o, 14);   /* "1.0" */

		CU_ASSERT_EQUAL(hr_gojson_write(&out, d, 0), 0);
		CU_ASSERT_STRING_EQUAL(out.ptr, "1.0");
		json_object_set_double(d, 2.5e-8);
		hr_buf_clear(&out);
		CU_ASSERT_EQUAL(hr_gojson_write(&out, d, 0), 0);
		CU_ASSERT_STRING_EQUAL(out.ptr, "2.5e-8");
		hr_buf_free(&out);
	}
	json_object_put(o);
	/* a tree built by code (no source text) prints Go's float form */
	{
		struct json_object *a = json_object_new_array();
		hr_buf out = HR_BUF_INIT;

		json_object_array_add(a, json_object_new_double(1e21));
		json_object_array_add(a, json_object_new_double(0.5));
		json_object_array_add(a, json_object_new_int64(-7));
		json_object_array_add(a, NULL);
		json_object_array_add(a, json_object_new_boolean(1));
		CU_ASSERT_EQUAL(hr_gojson_write(&out, a, 0), 0);
		CU_ASSERT_STRING_EQUAL(out.ptr, "[1e+21,0.5,-7,null,true]");
		hr_buf_free(&out);
		json_object_put(a);
	}
}

static void test_strings_keys_dups(void)
{
	struct json_object *o = NULL, *v;
	hr_error err = HR_ERROR_INIT;
	hr_buf out = HR_BUF_INIT;

	CU_ASSERT(reencodes(S("{\"z\":\"x\\u0000y\",\"a\":[],\"m\":{},\"e\":\"\"}"), 0));
	CU_ASSERT_EQUAL_FATAL(hr_gojson_parse(&o, S("{\"s\":\"x\\u0000y\"}"), &err), 0);
	CU_ASSERT(json_object_object_get_ex(o, "s", &v));
	CU_ASSERT_EQUAL(json_object_get_string_len(v), 3);
	json_object_put(o);
	/* escapes decode, and re-encode in Go's spelling */
	CU_ASSERT_EQUAL_FATAL(hr_gojson_parse(&o, S(" [\"\\/\\u00e9\\ud83d\\ude00\\u003c\", \"\\ud800x\"] "), &err), 0);
	CU_ASSERT_EQUAL(hr_gojson_write(&out, o, 0), 0);
	CU_ASSERT_STRING_EQUAL(out.ptr, "[\"/\xc3\xa9\xf0\x9f\x98\x80\\u003c\",\"\xef\xbf\xbdx\"]");
	json_object_put(o);
	/* duplicate keys: last value, first position */
	hr_buf_clear(&out);
	CU_ASSERT_EQUAL_FATAL(hr_gojson_parse(&o, S("{\"a\":1,\"b\":2,\"a\":{\"x\":3}}"), &err), 0);
	CU_ASSERT_EQUAL(hr_gojson_write(&out, o, 0), 0);
	CU_ASSERT_STRING_EQUAL(out.ptr, "{\"a\":{\"x\":3},\"b\":2}");
	json_object_put(o);
	/* top-level null */
	CU_ASSERT_EQUAL(hr_gojson_parse(&o, S("null"), &err), 0);
	CU_ASSERT_PTR_NULL(o);
	/* key with NUL is refused, not truncated */
	CU_ASSERT_EQUAL(hr_gojson_parse(&o, S("{\"a\\u0000b\":1}"), &err), HR_EUNSUPPORTED);
	CU_ASSERT_PTR_NULL(o);
	hr_buf_free(&out);
}

/*
 * The string scanner reads eight bytes at a time: put a quote, an escape,
 * a control character or a high byte at every offset around a word
 * boundary, alone and in runs, and check the string against json-c's
 * reading of the same text (for the control character: the error and its
 * byte).
 */
static void test_string_offsets(void)
{
	static const char *const specials[] = { "\\n", "\\\"", "\\\\", "\\u00e9", "\xc3\xa9", "\x7f", "\\t\\n" };

	for (size_t k = 0; k < 20; k++) {
		for (size_t j = 0; j < sizeof(specials) / sizeof(*specials); j++) {
			char text[128], pre[32];
			struct json_object *o = NULL, *ref, *v, *rv;
			hr_error err = HR_ERROR_INIT;

			memset(pre, 'a' + (int)(k % 26), k);
			pre[k] = '\0';
			snprintf(text, sizeof(text), "{\"s\":\"%s%s%sxyz%s\"}", pre, specials[j], pre, specials[j]);
			ref = json_tokener_parse(text);
			CU_ASSERT_PTR_NOT_NULL_FATAL(ref);
			CU_ASSERT_EQUAL_FATAL(hr_gojson_parse(&o, text, strlen(text), &err), 0);
			CU_ASSERT(json_object_object_get_ex(o, "s", &v) && json_object_object_get_ex(ref, "s", &rv));
			CU_ASSERT_EQUAL(json_object_get_string_len(v), json_object_get_string_len(rv));
			CU_ASSERT(!strcmp(json_object_get_string(v), json_object_get_string(rv)));
			json_object_put(o);
			json_object_put(ref);
		}
		/* a raw control character at offset 6 + k is refused at its byte */
		{
			char text[64];
			struct json_object *o = NULL;
			hr_error err = HR_ERROR_INIT;
			char want[32];

			snprintf(text, sizeof(text), "{\"s\":\"%.*s\x01tail\"}", (int)k, "bbbbbbbbbbbbbbbbbbbbbbbb");
			CU_ASSERT_EQUAL(hr_gojson_parse(&o, text, strlen(text), &err), HR_EFORMAT);
			snprintf(want, sizeof(want), "byte %zu", 6 + k);
			CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, want));
		}
	}
}

/* Each bad text fails with HR_EFORMAT and a message naming byte `at`. */
static void bad(const char *text, size_t len, size_t at)
{
	struct json_object *o = (struct json_object *)1;
	hr_error err = HR_ERROR_INIT;
	char want[32];
	int rc = hr_gojson_parse(&o, text, len, &err);

	snprintf(want, sizeof(want), "byte %zu", at);
	if (rc != HR_EFORMAT || !strstr(err.msg, want))
		fprintf(stderr, "bad(%.*s): rc %d msg %s\n", (int)len, text, rc, err.msg);
	CU_ASSERT_EQUAL(rc, HR_EFORMAT);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, want));
	CU_ASSERT_PTR_NULL(o);
}

static void test_hostile(void)
{
	bad(S(""), 0);
	bad(S("   "), 3);
	bad(S("[1,]"), 3);
	bad(S("{'a':1}"), 1);
	bad(S("{\"a\":1,}"), 7);
	bad(S("[01]"), 2);
	bad(S("[1.]"), 3);
	bad(S("[-]"), 2);
	bad(S("[+1]"), 1);
	bad(S("[1e]"), 3);
	bad(S("[NaN]"), 1);
	bad(S("[nul]"), 1);
	bad(S("[\"a\tb\"]"), 3);
	bad(S("[\"\\x\"]"), 2);
	bad(S("[\"\\u12g4\"]"), 2);
	bad(S("[\"abc"), 1);
	bad(S("[\"ab\\"), 5);
	bad(S("{\"a\" 1}"), 5);
	bad(S("{\"a\":1"), 6);
	bad(S("[1] x"), 4);
	bad(S("{} {}"), 3);
	bad(S("\x1f\x8b\x08"), 0);
}

static void test_depth(void)
{
	size_t n = 1000000, i;
	char *deep = malloc(2 * n);
	struct json_object *o = NULL;
	hr_error err = HR_ERROR_INIT;
	hr_buf out = HR_BUF_INIT;

	CU_ASSERT_FATAL(deep != NULL);
	for (i = 0; i < n; i++) {
		deep[i] = '[';
		deep[2 * n - 1 - i] = ']';
	}
	/* a million levels: refused with a message, no stack overflow */
	CU_ASSERT_EQUAL(hr_gojson_parse(&o, deep, 2 * n, &err), HR_EFORMAT);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "nesting"));
	/* exactly the limit is fine, one more is not */
	{
		size_t m = HR_GOJSON_MAX_DEPTH;
		const char *t = deep + (n - m);

		CU_ASSERT_EQUAL(hr_gojson_parse(&o, t, 2 * m, &err), 0);
		CU_ASSERT_EQUAL(hr_gojson_write(&out, o, 0), 0);
		CU_ASSERT_EQUAL(out.len, 2 * m);
		json_object_put(o);
		CU_ASSERT_EQUAL(hr_gojson_parse(&o, t - 1, 2 * m + 2, &err), HR_EFORMAT);
	}
	hr_buf_free(&out);
	free(deep);
}

/*
 * Random byte mutations of a real release body: the parser answers 0 or a
 * located error; whatever it accepts re-encodes to a fixed point.
 */
/* The writer of a body, from its escapes, and a parse + write in that dialect keeps its bytes. */
static void test_dialect(void)
{
	static const char *const bodies[] = {
		"{\"v\":\"a\\u0008b\\u000cc\",\"h\":\"\\u003cx\\u003e\"}",   /* Go < 1.22 */
		"{\"v\":\"a\\bb\\fc\",\"h\":\"\\u003cx\\u003e\"}",             /* Go >= 1.22 */
		"{\"v\":\"<a&b>\\b\"}",                                           /* HTML escaping off */
		"{\"v\":\"\\\\u0008 is text, not an escape\"}",                   /* escaped backslash */
	};
	static const unsigned want[] = { HR_GOJSON_GO_PRE122, 0, HR_GOJSON_NO_HTML_ESCAPE, 0 };
	hr_error err = HR_ERROR_INIT;

	for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		struct json_object *v = NULL;
		hr_buf out = HR_BUF_INIT;
		unsigned f = hr_gojson_dialect(bodies[i], strlen(bodies[i]));

		CU_ASSERT_EQUAL(f, want[i]);
		CU_ASSERT_FATAL(hr_gojson_parse(&v, bodies[i], strlen(bodies[i]), &err) == 0);
		CU_ASSERT(hr_gojson_write(&out, v, f) == 0);
		CU_ASSERT(out.len == strlen(bodies[i]) && !memcmp(out.ptr, bodies[i], out.len));
		json_object_put(v);
		hr_buf_free(&out);
	}
}

static void test_mutations(void)
{
	struct json_object *root, *items;
	unsigned long long x = 0x853c49e6748fea9bull;
	hr_decoded d = HR_DECODED_INIT;
	hr_error err = HR_ERROR_INIT;
	const char *payload = NULL;
	size_t i;
	int k, accepted = 0;

	root = json_object_from_file(DUMP);
	CU_ASSERT_FATAL(root && json_object_object_get_ex(root, "items", &items));
	for (i = 0; i < json_object_array_length(items) && !payload; i++) {
		struct json_object *it = json_object_array_get_idx(items, i), *md, *v, *data, *rel;

		json_object_object_get_ex(it, "metadata", &md);
		json_object_object_get_ex(md, "name", &v);
		if (strcmp(json_object_get_string(v), PREFIX "web.v6") != 0)
			continue;
		json_object_object_get_ex(it, "data", &data);
		json_object_object_get_ex(data, "release", &rel);
		payload = json_object_get_string(rel);
	}
	CU_ASSERT_PTR_NOT_NULL_FATAL(payload);
	CU_ASSERT_EQUAL_FATAL(hr_codec_decode(&d, payload, strlen(payload), HR_PAYLOAD_SNIFF, 0, &err), 0);
	for (k = 0; k < 400; k++) {
		hr_buf m = HR_BUF_INIT, w1 = HR_BUF_INIT, w2 = HR_BUF_INIT;
		struct json_object *o = NULL, *o2 = NULL;
		static const char pool[] = "{}[],:\"\\0-.eE \x01\xff\xe2";
		int rc, j;

		hr_buf_put(&m, d.body.ptr, d.body.len);
		for (j = 0; j < 3; j++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			m.ptr[x % m.len] = pool[(x >> 40) % (sizeof(pool) - 1)];
		}
		rc = hr_gojson_parse(&o, m.ptr, m.len, &err);
		CU_ASSERT(rc == 0 || (rc < 0 && strstr(err.msg, "byte ")));
		if (rc == 0) {
			accepted++;
			CU_ASSERT_EQUAL(hr_gojson_write(&w1, o, 0), 0);
			CU_ASSERT_EQUAL(hr_gojson_parse(&o2, w1.ptr, w1.len, &err), 0);
			CU_ASSERT_EQUAL(hr_gojson_write(&w2, o2, 0), 0);
			/*
			 * Invalid UTF-8 is written as the escape \ufffd, which
			 * reads back as a real U+FFFD (raw on the next write),
			 * exactly as with Go's Marshal/Unmarshal; otherwise the
			 * first write is already stable.  The second always is.
			 */
			if (!(w1.len == w2.len && memcmp(w1.ptr, w2.ptr, w1.len) == 0))
				CU_ASSERT_PTR_NOT_NULL(strstr(w1.ptr, "\\ufffd"));
			{
				struct json_object *o3 = NULL;
				hr_buf w3 = HR_BUF_INIT;

				CU_ASSERT_EQUAL(hr_gojson_parse(&o3, w2.ptr, w2.len, &err), 0);
				CU_ASSERT_EQUAL(hr_gojson_write(&w3, o3, 0), 0);
				CU_ASSERT(w2.len == w3.len && memcmp(w2.ptr, w3.ptr, w2.len) == 0);
				json_object_put(o3);
				hr_buf_free(&w3);
			}
		}
		json_object_put(o);
		json_object_put(o2);
		hr_buf_free(&m);
		hr_buf_free(&w1);
		hr_buf_free(&w2);
	}
	CU_ASSERT(accepted > 0);   /* some mutations land inside strings */
	hr_decoded_free(&d);
	json_object_put(root);
}

HR_TEST_MAIN("gojson",
	{ "mutated bodies: located errors or stable output", test_mutations },
	{ "dump bodies re-encode byte for byte", test_corpus_dump_bodies },
	{ "sql bodies re-encode byte for byte", test_corpus_sql_bodies },
	{ "helm2 conversion JSON re-encodes", test_corpus_helm2_v3_json },
	{ "string escaping follows encoding/json", test_string_escaping },
	{ "the writer's dialect is detected and kept", test_dialect },
	{ "float format follows encoding/json", test_float_format },
	{ "float output reads back exactly", test_float_round_trip },
	{ "number texts survive", test_number_texts },
	{ "NUL, escapes, duplicate keys, null", test_strings_keys_dups },
	{ "strings read the same at every offset", test_string_offsets },
	{ "hostile JSON gives located errors", test_hostile },
	{ "nesting is capped", test_depth })
