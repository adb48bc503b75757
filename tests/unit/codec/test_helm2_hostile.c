/*
 * test_helm2_hostile.c — the Helm 2 protobuf reader and values reader on
 * hand-made and mutated input: every malformed shape is a clear HR_ESKIP
 * naming the field and byte offset, never a crash or a hang; the proto3
 * decoding rules (unknown fields, packed enums, message merge) and the
 * go-yaml v2 / ghodss value rules Helm 2 applied (YAML 1.1 scalars, key
 * stringification, merge keys, aliases) hold on small cases.
 */
#include "testutil.h"
#include "codec/codec.h"
#include "codec/helm2.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- building protobuf by hand ---- */

static void pb_varint(hr_buf *b, uint64_t v)
{
	while (v >= 0x80) {
		hr_buf_putc(b, (char)(v | 0x80));
		v >>= 7;
	}
	hr_buf_putc(b, (char)v);
}

static void pb_tag(hr_buf *b, unsigned field, unsigned wt)
{
	pb_varint(b, (uint64_t)field << 3 | wt);
}

static void pb_bytes(hr_buf *b, unsigned field, const void *p, size_t n)
{
	pb_tag(b, field, 2);
	pb_varint(b, n);
	hr_buf_put(b, p, n);
}

static void pb_str(hr_buf *b, unsigned field, const char *s)
{
	pb_bytes(b, field, s, strlen(s));
}

static void pb_msg(hr_buf *b, unsigned field, const hr_buf *m)
{
	pb_bytes(b, field, m->ptr ? m->ptr : "", m->len);
}

static void pb_int(hr_buf *b, unsigned field, uint64_t v)
{
	pb_tag(b, field, 0);
	pb_varint(b, v);
}

/* A minimal valid release: name, info{status{code}, last_deployed}, chart{metadata{name,version}}, version, namespace. */
static void minimal_release(hr_buf *rel, int code, const char *extra_info, size_t extra_len)
{
	hr_buf st = HR_BUF_INIT, ts = HR_BUF_INIT, info = HR_BUF_INIT, md = HR_BUF_INIT, chart = HR_BUF_INIT;

	pb_int(&st, 1, (uint64_t)code);
	pb_int(&ts, 1, 1568897107);
	pb_int(&ts, 2, 5000);
	pb_msg(&info, 1, &st);
	pb_msg(&info, 3, &ts);
	if (extra_info)
		hr_buf_put(&info, extra_info, extra_len);
	pb_str(&md, 1, "demo");
	pb_str(&md, 4, "0.1.0");
	pb_msg(&chart, 1, &md);
	pb_str(rel, 1, "demo");
	pb_msg(rel, 2, &info);
	pb_msg(rel, 3, &chart);
	pb_int(rel, 7, 3);
	pb_str(rel, 8, "ns1");
	hr_buf_free(&st);
	hr_buf_free(&ts);
	hr_buf_free(&info);
	hr_buf_free(&md);
	hr_buf_free(&chart);
}

static int convert(hr_buf *out, const hr_buf *pb, hr_error *err)
{
	hr_buf_clear(out);
	return hr_helm2_convert(out, pb->ptr ? pb->ptr : "", pb->len, err);
}

static void expect_skip(const char *pb, size_t len, const char *needle)
{
	hr_buf out = HR_BUF_INIT;
	hr_error err = HR_ERROR_INIT;
	int rc = hr_helm2_convert(&out, pb, len, &err);

	CU_ASSERT_EQUAL(rc, HR_ESKIP);
	CU_ASSERT_EQUAL(out.len, 0);
	if (!strstr(err.msg, needle)) {
		fprintf(stderr, "want \"%s\" in \"%s\"\n", needle, err.msg);
		CU_FAIL("error message");
	}
	hr_buf_free(&out);
}

static void test_wire_errors(void)
{
	hr_buf b = HR_BUF_INIT;

	expect_skip("\x0a\x05" "ab", 4, "Release: length runs past the end of the message at byte 1");
	expect_skip("\x38\xff\xff", 3, "truncated varint at byte 1");
	expect_skip("\x0a", 1, "truncated varint at byte 1");
	expect_skip("\x08\x01", 2, "Release.name: wrong wire type");
	expect_skip("\x0b", 1, "group wire type");
	expect_skip("\x0f", 1, "invalid wire type");
	expect_skip("\x00\x01", 2, "invalid field number at byte 0");
	expect_skip("\x38\xff\xff\xff\xff\xff\xff\xff\xff\xff\x7f", 11, "varint overflows 64 bits at byte 1");
	expect_skip("\xa5\x01\x01\x02", 4, "truncated fixed-size field");   /* unknown field 20, fixed32 */
	/* inside a sub-message the path and the absolute offset are named */
	hr_buf_puts(&b, "\x12\x04\x0a\x05\x08\x07");  /* info{status of length 5 in 2 bytes} */
	expect_skip(b.ptr, b.len, "Release.info: length runs past the end of the message at byte 3");
	hr_buf_clear(&b);
	hr_buf_put(&b, "\x12\x04\x0a\x02\x0a\x00", 6);
	expect_skip(b.ptr, b.len, "Release.info.status.code: wrong wire type (want varint) at byte 4");
	hr_buf_free(&b);
}

/* Sub-charts nested deeper than HR_HELM2_MAX_DEPTH are refused, not recursed into. */
static void test_deep_nesting(void)
{
	hr_buf cur = HR_BUF_INIT, next = HR_BUF_INIT, rel = HR_BUF_INIT;

	for (int i = 0; i < 3 * HR_HELM2_MAX_DEPTH; i++) {
		hr_buf_clear(&next);
		pb_msg(&next, 3, &cur);    /* Chart.dependencies */
		hr_buf_clear(&cur);
		hr_buf_put(&cur, next.ptr, next.len);
	}
	pb_msg(&rel, 3, &cur);
	expect_skip(rel.ptr, rel.len, "messages nested too deeply");
	hr_buf_free(&cur);
	hr_buf_free(&next);
	hr_buf_free(&rel);
}

/* Many tiny repeated messages cannot make the decoder allocate without bound. */
static void test_budget(void)
{
	hr_buf b = HR_BUF_INIT;

	for (int i = 0; i < 200000; i++)
		hr_buf_put(&b, "\x32\x00", 2);     /* empty Hook */
	expect_skip(b.ptr, b.len, "decoded size exceeds the budget");
	hr_buf_free(&b);
}

/* Unknown fields of every wire type are skipped; a message seen twice is merged; enums packed or not. */
static void test_proto3_rules(void)
{
	hr_buf rel = HR_BUF_INIT, hook = HR_BUF_INIT, out = HR_BUF_INIT, info2 = HR_BUF_INIT, d = HR_BUF_INIT;
	hr_error err = HR_ERROR_INIT;
	hr_helm2_release *r = NULL;

	minimal_release(&rel, 1, NULL, 0);
	pb_int(&rel, 99, 5);
	pb_tag(&rel, 98, 1);
	hr_buf_put(&rel, "12345678", 8);
	pb_tag(&rel, 97, 5);
	hr_buf_put(&rel, "1234", 4);
	pb_str(&rel, 96, "skipped");
	/* a second info: Description merged into the first */
	pb_str(&info2, 5, "merged");
	pb_msg(&rel, 2, &info2);
	/* hook: events packed [1,5] then one unpacked 9, delete policies packed [2,0] */
	pb_str(&hook, 1, "h");
	pb_bytes(&hook, 5, "\x01\x05", 2);
	pb_int(&hook, 5, 9);
	pb_bytes(&hook, 8, "\x02\x00", 2);
	pb_int(&hook, 7, (uint64_t)-5);     /* int32 -5 as a 10-byte varint */
	pb_msg(&rel, 6, &hook);
	CU_ASSERT_EQUAL_FATAL(hr_helm2_decode(&r, rel.ptr, rel.len, &err), 0);
	CU_ASSERT_EQUAL(r->info.status.code, 1);
	CU_ASSERT(r->info.last_deployed.present);
	CU_ASSERT_EQUAL(r->info.description.len, 6);
	CU_ASSERT_EQUAL(r->nhooks, 1);
	CU_ASSERT_EQUAL(r->hooks[0].nevents, 3);
	CU_ASSERT_EQUAL(r->hooks[0].weight, -5);
	CU_ASSERT_EQUAL(hr_helm2_to_json(&out, r, &err), 0);
	hr_buf_puts(&d, "{\"name\":\"demo\",\"info\":{\"first_deployed\":\"\",\"last_deployed\":\"2019-09-19T12:45:07.000005Z\","
		    "\"deleted\":\"\",\"description\":\"merged\",\"status\":\"deployed\"},\"chart\":{\"metadata\":{\"name\":\"demo\","
		    "\"version\":\"0.1.0\",\"type\":\"application\"},\"lock\":null,\"templates\":null,\"values\":null,"
		    "\"schema\":null,\"files\":null},\"hooks\":[{\"name\":\"h\",\"events\":[\"pre-install\",\"pre-upgrade\",\"test\"],"
		    "\"last_run\":{\"started_at\":\"\",\"completed_at\":\"\",\"phase\":\"\"},\"weight\":-5,"
		    "\"delete_policies\":[\"before-hook-creation\",\"hook-succeeded\"]}],\"version\":3,\"namespace\":\"ns1\"}");
	if (strcmp(out.ptr, d.ptr))
		fprintf(stderr, "got  %s\nwant %s\n", out.ptr, d.ptr);
	CU_ASSERT_STRING_EQUAL(out.ptr, d.ptr);
	/* the result is JSON helm can read */
	{
		struct json_object *o = json_tokener_parse(out.ptr);

		CU_ASSERT_PTR_NOT_NULL(o);
		json_object_put(o);
	}
	hr_helm2_release_free(r);
	hr_buf_free(&rel);
	hr_buf_free(&hook);
	hr_buf_free(&out);
	hr_buf_free(&info2);
	hr_buf_free(&d);
}

/* Where helm-2to3 refuses a release, so do we, saying why. */
static void test_conversion_errors(void)
{
	hr_buf rel = HR_BUF_INIT, out = HR_BUF_INIT, x = HR_BUF_INIT, y = HR_BUF_INIT;
	hr_error err = HR_ERROR_INIT;

	pb_str(&rel, 1, "nochart");
	CU_ASSERT_EQUAL(convert(&out, &rel, &err), HR_ESKIP);
	CU_ASSERT(strstr(err.msg, "No v2 chart or info metadata") != NULL);

	hr_buf_clear(&rel);
	minimal_release(&rel, 42, NULL, 0);
	CU_ASSERT_EQUAL(convert(&out, &rel, &err), HR_ESKIP);
	CU_ASSERT(strstr(err.msg, "Failed to get v2 status (code 42)") != NULL);

	/* deleted timestamp in year 10000 */
	hr_buf_clear(&rel);
	pb_int(&x, 1, 253402300800LL);
	pb_msg(&y, 4, &x);
	minimal_release(&rel, 2, y.ptr, y.len);
	CU_ASSERT_EQUAL(convert(&out, &rel, &err), HR_ESKIP);
	CU_ASSERT(strstr(err.msg, "info.deleted: timestamp") != NULL);

	/* nanos out of range */
	hr_buf_clear(&rel);
	hr_buf_clear(&x);
	hr_buf_clear(&y);
	pb_int(&x, 2, 1000000000);
	pb_msg(&y, 2, &x);
	minimal_release(&rel, 1, y.ptr, y.len);
	CU_ASSERT_EQUAL(convert(&out, &rel, &err), HR_ESKIP);

	/* hook event 12 does not exist */
	hr_buf_clear(&rel);
	hr_buf_clear(&x);
	minimal_release(&rel, 1, NULL, 0);
	pb_int(&x, 5, 12);
	pb_msg(&rel, 6, &x);
	CU_ASSERT_EQUAL(convert(&out, &rel, &err), HR_ESKIP);
	CU_ASSERT(strstr(err.msg, "hook event (value 12)") != NULL);

	/* config that is not a YAML mapping */
	hr_buf_clear(&rel);
	hr_buf_clear(&x);
	minimal_release(&rel, 1, NULL, 0);
	pb_str(&x, 1, "- a\n- b\n");
	pb_msg(&rel, 4, &x);
	CU_ASSERT_EQUAL(convert(&out, &rel, &err), HR_ESKIP);
	CU_ASSERT(strstr(err.msg, "config: values YAML") != NULL);
	CU_ASSERT_EQUAL(out.len, 0);

	/* an empty config map is omitted, "0001-01-01T00:00:00Z" (Go's zero time) prints as "" */
	hr_buf_clear(&rel);
	hr_buf_clear(&x);
	hr_buf_clear(&y);
	pb_int(&y, 1, (uint64_t)-62135596800LL);
	pb_msg(&x, 4, &y);
	minimal_release(&rel, 2, x.ptr, x.len);
	hr_buf_clear(&x);
	pb_str(&x, 1, "# only a comment\n");
	pb_msg(&rel, 4, &x);
	CU_ASSERT_EQUAL(convert(&out, &rel, &err), 0);
	CU_ASSERT(strstr(out.ptr, "\"config\"") == NULL);
	CU_ASSERT(strstr(out.ptr, "\"deleted\":\"\",") != NULL);
	CU_ASSERT(strstr(out.ptr, "\"status\":\"uninstalled\"") != NULL);
	hr_buf_free(&rel);
	hr_buf_free(&out);
	hr_buf_free(&x);
	hr_buf_free(&y);
}

/* Every prefix and many byte mutations of a real record: errors or output, never a crash. */
static void test_mutations(void)
{
	hr_buf file = HR_BUF_INIT, out = HR_BUF_INIT;
	hr_decoded d = HR_DECODED_INIT;
	hr_error err = HR_ERROR_INIT;
	const char *p, *e;
	size_t ok = 0, bad = 0;
	unsigned seed = 12345;
	char *body;

	CU_ASSERT_EQUAL_FATAL(tu_read_file(&file, "testdata/corpus/helm2/dumps/single-record.yaml"), 0);
	p = strstr(file.ptr, "release: ");
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	p += strlen("release: ");
	e = strchr(p, '\n');
	CU_ASSERT_EQUAL_FATAL(hr_codec_decode(&d, p, (size_t)(e - p), HR_PAYLOAD_HELM, 0, &err), 0);
	CU_ASSERT_FATAL(d.layers & HR_LAYER_PROTOBUF);
	body = malloc(d.body.len);
	CU_ASSERT_FATAL(body != NULL);
	for (size_t n = 0; n < d.body.len; n++) {
		hr_buf_clear(&out);
		if (hr_helm2_convert(&out, d.body.ptr, n, &err))
			bad++;
		else
			ok++;
	}
	for (int k = 0; k < 3000; k++) {
		memcpy(body, d.body.ptr, d.body.len);
		for (int j = 0; j < 1 + k % 4; j++) {
			seed = seed * 1103515245u + 12345u;
			body[(seed >> 8) % d.body.len] ^= (char)(1u << ((seed >> 3) % 8));
		}
		hr_buf_clear(&out);
		if (hr_helm2_convert(&out, body, d.body.len, &err)) {
			CU_ASSERT(err.code == HR_ESKIP);
			bad++;
		} else {
			ok++;
		}
	}
	CU_ASSERT(ok > 0 && bad > 0);
	free(body);
	hr_decoded_free(&d);
	hr_buf_free(&file);
	hr_buf_free(&out);
}

/* ---- values YAML ---- */

static void values_is(const char *yaml, const char *want)
{
	hr_buf out = HR_BUF_INIT;
	hr_error err = HR_ERROR_INIT;
	int rc = hr_helm2_values_json(&out, yaml, strlen(yaml), &err);

	if (rc || strcmp(out.ptr ? out.ptr : "", want))
		fprintf(stderr, "yaml %s\n  want %s\n  got  %s (%s)\n", yaml, want, out.ptr ? out.ptr : "", err.msg);
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_STRING_EQUAL(out.ptr ? out.ptr : "", want);
	hr_buf_free(&out);
}

static void values_fail(const char *yaml, const char *needle)
{
	hr_buf out = HR_BUF_INIT;
	hr_error err = HR_ERROR_INIT;
	int rc = hr_helm2_values_json(&out, yaml, strlen(yaml), &err);

	CU_ASSERT_EQUAL(rc, HR_ESKIP);
	CU_ASSERT_EQUAL(out.len, 0);
	if (!strstr(err.msg, needle)) {
		fprintf(stderr, "yaml %.60s: want \"%s\" in \"%s\"\n", yaml, needle, err.msg);
		CU_FAIL("error message");
	}
	hr_buf_free(&out);
}

/* YAML 1.1 scalars as go-yaml v2 resolves them, then float64 as encoding/json prints it. */
static void test_values_scalars(void)
{
	values_is("mode: 0644\nhex: 0x1F\noct: 0o17\nbin: 0b101\nnine: 09\nunder: 1_000\n",
		  "{\"bin\":5,\"hex\":31,\"mode\":420,\"nine\":9,\"oct\":15,\"under\":1000}");
	values_is("a: yes\nb: off\nc: On\nd: n\ne: TRUE\nf: nope\n",
		  "{\"a\":true,\"b\":false,\"c\":true,\"d\":false,\"e\":true,\"f\":\"nope\"}");
	values_is("e: 1e3\nh: .5\ni: -.5e1\nj: 1.\nk: -0\nl: -0.0\nm: 2.10\n",
		  "{\"e\":1000,\"h\":0.5,\"i\":-5,\"j\":1,\"k\":0,\"l\":-0,\"m\":2.1}");
	values_is("big: 12345678901234567890\nbigger: 1e400\nneg: -9223372036854775809\ntiny: 1e-7\n",
		  "{\"big\":12345678901234567000,\"bigger\":\"1e400\",\"neg\":-9223372036854776000,\"tiny\":1e-7}");
	values_is("q: '0644'\nr: \"yes\"\ns: ~\nt:\nu: null\nv: 2019-06-11\nw: 1.2.3\n",
		  "{\"q\":\"0644\",\"r\":\"yes\",\"s\":null,\"t\":null,\"u\":null,\"v\":\"2019-06-11\",\"w\":\"1.2.3\"}");
	values_is("a: !!str 5\nb: !!float 1\nc: !!binary aGVsbG8=\nd: !custom 7\ne: !!binary /w==\n",
		  "{\"a\":\"5\",\"b\":1,\"c\":\"hello\",\"d\":\"7\",\"e\":\"\xef\xbf\xbd\"}");
	values_is("html: <a href=\"x\">&</a>\n", "{\"html\":\"\\u003ca href=\\\"x\\\"\\u003e\\u0026\\u003c/a\\u003e\"}");
	values_fail("a: !!int abc\n", "cannot decode !!str `abc` as a !!int");
	values_fail("a: .nan\n", "unsupported value: NaN");
	values_fail("a: [1, -.inf]\n", "unsupported value: -Inf");
	values_fail("a: !!binary '***'\n", "invalid base64");
}

/* Keys become strings as ghodss/yaml makes them; Go's encoding/json sorts them bytewise. */
static void test_values_keys(void)
{
	values_is("y: 1\n2: a\n1.5: b\n1e7: c\n0.1: d\nb: 1\nB: 2\n",
		  "{\"0.1\":\"d\",\"1.5\":\"b\",\"1e+07\":\"c\",\"2\":\"a\",\"B\":2,\"b\":1,\"true\":1}");
	values_is("outer:\n  z: 1\n  a: {w: [1, {c: 2, b: 1}]}\n",
		  "{\"outer\":{\"a\":{\"w\":[1,{\"b\":1,\"c\":2}]},\"z\":1}}");
	values_is("k: 1\nk: 2\n", "{\"k\":2}");
	values_fail("~: 1\n", "Unsupported map key of type: <nil>");
	values_fail("18446744073709551615: 1\n", "Unsupported map key of type: uint64");
	values_fail("? [a]\n: 1\n", "invalid map key");
}

/* Anchors, aliases and merge keys (v2: merges overwrite in order). */
static void test_values_aliases(void)
{
	values_is("base: &b {x: 1, w: 2}\nd:\n  <<: *b\n  w: 3\n",
		  "{\"base\":{\"w\":2,\"x\":1},\"d\":{\"w\":3,\"x\":1}}");
	values_is("b: &b {w: 2}\nd:\n  w: 3\n  <<: *b\n", "{\"b\":{\"w\":2},\"d\":{\"w\":2}}");
	values_is("a: &a {p: 1}\nb: &b {p: 2, q: 2}\nc:\n  <<: [*a, *b]\n",
		  "{\"a\":{\"p\":1},\"b\":{\"p\":2,\"q\":2},\"c\":{\"p\":1,\"q\":2}}");
	values_is("l: &l [1, 2]\nm: *l\n\"<<\": 5\n", "{\"\\u003c\\u003c\":5,\"l\":[1,2],\"m\":[1,2]}");
	values_fail("a: &a [*a]\n", "anchor 'a' value contains itself");
	values_fail("a: *nowhere\n", "unknown anchor 'nowhere' referenced");
	values_fail("a: &s scalar\nb:\n  <<: *s\n", "map merge requires map");
	values_fail("a: &a [x, x, x, x, x, x, x, x, x, x]\n"
		    "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
		    "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
		    "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
		    "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
		    "f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
		    "g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\n"
		    "h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g, *g]\n",
		    "excessive aliasing");
}

/* Document shapes: empty, comments only, null, non-mappings, several documents, syntax errors, nesting. */
static void test_values_documents(void)
{
	hr_buf deep = HR_BUF_INIT;

	values_is("", "{}");
	values_is("# comment only\n", "{}");
	values_is("~\n", "{}");
	values_is("---\n", "{}");
	values_is("{}\n", "{}");
	values_is("a: 1\n---\nb: 2\n", "{\"a\":1}");
	values_fail("- a\n", "cannot unmarshal array into Go value of type chartutil.Values");
	values_fail("just text\n", "cannot unmarshal string");
	values_fail("a: [1, 2\n", "yaml: line");
	values_fail("a:\n\tb: 1\n", "yaml: line");
	for (int i = 0; i < 3 * HR_HELM2_MAX_YAML_DEPTH; i++)
		hr_buf_putc(&deep, '[');
	values_fail(deep.ptr, "yaml");
	hr_buf_clear(&deep);
	hr_buf_puts(&deep, "a: ");
	for (int i = 0; i < HR_HELM2_MAX_YAML_DEPTH + 10; i++)
		hr_buf_putc(&deep, '[');
	for (int i = 0; i < HR_HELM2_MAX_YAML_DEPTH + 10; i++)
		hr_buf_putc(&deep, ']');
	values_fail(deep.ptr, "nesting");
	hr_buf_free(&deep);
}

HR_TEST_MAIN("helm2_hostile",
	     { "malformed wire data is a clear skip", test_wire_errors },
	     { "deep sub-chart nesting is refused", test_deep_nesting },
	     { "decoded size is budgeted", test_budget },
	     { "proto3 rules: unknown fields, merge, packed enums", test_proto3_rules },
	     { "conversion refuses what helm-2to3 refuses", test_conversion_errors },
	     { "prefixes and mutations of a real record", test_mutations },
	     { "values: YAML 1.1 scalars", test_values_scalars },
	     { "values: keys", test_values_keys },
	     { "values: anchors, aliases, merges", test_values_aliases },
	     { "values: documents", test_values_documents })
