/*
 * test_yaml.c — hr_yaml_write against helm's own output and go-yaml v2's
 * documented behaviour.
 *
 * 1. Goldens: for every revision helm v4.1.4 and v3.17.1 printed, the JSON
 *    of `helm get values [--all] -o json` must become, byte for byte, the
 *    YAML blocks helm printed in `helm get all`.
 * 2. Vectors: input/output pairs from go-yaml v2's encode_test.go
 *    (marshalTests, TestLineWrapping, TestSortedOutput) that apply to
 *    generic JSON values.
 * 3. Cases derived from reading emitterc.go/resolve.go (the expected text
 *    follows the upstream rules; see the comments per case).
 */
#include "testutil.h"
#include "render/yaml.h"

#include <json-c/json.h>
#include <yaml.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The text between `from` and `to` in s (exclusive of both), or NULL. */
static char *between(const char *s, const char *from, const char *to)
{
	const char *a = strstr(s, from), *b;
	char *r;

	if (!a)
		return NULL;
	a += strlen(from);
	b = strstr(a, to);
	if (!b)
		return NULL;
	r = malloc((size_t)(b - a) + 1);
	memcpy(r, a, (size_t)(b - a));
	r[b - a] = '\0';
	return r;
}

static int check_yaml(const char *json_path, const char *expect, const char *what)
{
	struct json_object *v = tu_load_json(json_path);
	hr_buf out = HR_BUF_INIT;
	hr_error err = HR_ERROR_INIT;
	int ok;

	/* values.json of a release without config is the text "null" */
	if (hr_yaml_write(&out, v, &err) != 0) {
		fprintf(stderr, "%s: %s\n", json_path, err.msg);
		ok = 0;
	} else {
		ok = expect && !strcmp(hr_buf_cstr(&out), expect);
		if (!ok)
			fprintf(stderr, "%s (%s) differs:\n--- got\n%s--- want\n%s", json_path, what,
				hr_buf_cstr(&out), expect ? expect : "(missing)\n");
	}
	json_object_put(v);
	hr_buf_free(&out);
	return ok;
}

static void test_goldens(void)
{
	static const char *const versions[] = { "helm-v4.1.4", "helm-v3.17.1" };
	struct json_object *index = tu_load_json("testdata/corpus/goldens/index.json");
	size_t i, r, v, checked = 0;

	CU_ASSERT_FATAL(index != NULL);
	for (v = 0; v < 2; v++) {
		for (i = 0; i < json_object_array_length(index); i++) {
			struct json_object *e = json_object_array_get_idx(index, i), *revs, *dir;

			CU_ASSERT_FATAL(json_object_object_get_ex(e, "dir", &dir));
			CU_ASSERT_FATAL(json_object_object_get_ex(e, "revisions", &revs));
			for (r = 0; r < json_object_array_length(revs); r++) {
				char base[512], path[600];
				hr_buf all = HR_BUF_INIT;
				char *user, *computed;

				snprintf(base, sizeof(base), "testdata/corpus/goldens/%s/%s/rev-%d",
					 versions[v], json_object_get_string(dir),
					 json_object_get_int(json_object_array_get_idx(revs, r)));
				snprintf(path, sizeof(path), "%s/all.txt", base);
				CU_ASSERT_FATAL(tu_read_file(&all, path) == 0);
				user = between(hr_buf_cstr(&all), "USER-SUPPLIED VALUES:\n",
					       "\nCOMPUTED VALUES:\n");
				computed = between(hr_buf_cstr(&all), "COMPUTED VALUES:\n", "\nHOOKS:\n");
				snprintf(path, sizeof(path), "%s/values.json", base);
				CU_ASSERT(check_yaml(path, user, "user-supplied"));
				snprintf(path, sizeof(path), "%s/values-all.json", base);
				CU_ASSERT(check_yaml(path, computed, "computed"));
				free(user);
				free(computed);
				hr_buf_free(&all);
				checked++;
			}
		}
	}
	CU_ASSERT(checked >= 30);
	json_object_put(index);
}

/* Emit the JSON text `in` and compare with `want`. */
static int yaml_is(const char *in, const char *want)
{
	struct json_object *v = json_tokener_parse(in);
	hr_buf out = HR_BUF_INIT;
	hr_error err = HR_ERROR_INIT;
	int ok;

	if (!v && strcmp(in, "null")) {
		fprintf(stderr, "bad test json: %s\n", in);
		return 0;
	}
	ok = hr_yaml_write(&out, v, &err) == 0 && !strcmp(hr_buf_cstr(&out), want);
	if (!ok)
		fprintf(stderr, "input %s\n--- got\n%s--- want\n%s", in, hr_buf_cstr(&out), want);
	json_object_put(v);
	hr_buf_free(&out);
	return ok;
}

/* go-yaml v2 encode_test.go marshalTests that apply to JSON-shaped data. */
static void test_upstream_vectors(void)
{
	CU_ASSERT(yaml_is("null", "null\n"));
	CU_ASSERT(yaml_is("{}", "{}\n"));
	CU_ASSERT(yaml_is("{\"v\":\"hi\"}", "v: hi\n"));
	CU_ASSERT(yaml_is("{\"v\":\"true\"}", "v: \"true\"\n"));
	CU_ASSERT(yaml_is("{\"v\":\"false\"}", "v: \"false\"\n"));
	CU_ASSERT(yaml_is("{\"v\":true}", "v: true\n"));
	CU_ASSERT(yaml_is("{\"v\":false}", "v: false\n"));
	CU_ASSERT(yaml_is("{\"v\":10}", "v: 10\n"));
	CU_ASSERT(yaml_is("{\"v\":-10}", "v: -10\n"));
	CU_ASSERT(yaml_is("{\"v\":4294967296}", "v: 4294967296\n"));
	CU_ASSERT(yaml_is("{\"v\":\"10\"}", "v: \"10\"\n"));
	CU_ASSERT(yaml_is("{\"v\":0.1}", "v: 0.1\n"));
	CU_ASSERT(yaml_is("{\"v\":-0.1}", "v: -0.1\n"));
	CU_ASSERT(yaml_is("{\"v\":null}", "v: null\n"));
	CU_ASSERT(yaml_is("{\"v\":\"\"}", "v: \"\"\n"));
	CU_ASSERT(yaml_is("{\"v\":[\"A\",\"B\"]}", "v:\n- A\n- B\n"));
	CU_ASSERT(yaml_is("{\"v\":[\"A\",\"B\\nC\"]}", "v:\n- A\n- |-\n  B\n  C\n"));
	CU_ASSERT(yaml_is("{\"v\":[\"A\",1,{\"B\":[2,3]}]}", "v:\n- A\n- 1\n- B:\n  - 2\n  - 3\n"));
	CU_ASSERT(yaml_is("{\"a\":{\"b\":\"c\"}}", "a:\n  b: c\n"));
	CU_ASSERT(yaml_is("{\"a\":\"-\"}", "a: '-'\n"));
	CU_ASSERT(yaml_is("{\"a\":\"<foo>\"}", "a: <foo>\n"));
	CU_ASSERT(yaml_is("{\"a\":\"1:1\"}", "a: \"1:1\"\n"));
	CU_ASSERT(yaml_is("{\"a\":\"\\u0000\"}", "a: \"\\0\"\n"));
	CU_ASSERT(yaml_is("{\"a\":\"\xe4\xbd\xa0\xe5\xa5\xbd\"}", "a: \xe4\xbd\xa0\xe5\xa5\xbd\n"));
	CU_ASSERT(yaml_is("{\"a\":\"2015-02-24T18:19:39Z\"}", "a: \"2015-02-24T18:19:39Z\"\n"));
	CU_ASSERT(yaml_is("{\"a\":\"b: c\"}", "a: 'b: c'\n"));
	CU_ASSERT(yaml_is("{\"a\":\"Hello #comment\"}", "a: 'Hello #comment'\n"));
	CU_ASSERT(yaml_is("{\"a\":\"\xe4\xbd\xa0\xe5\xa5\xbd #comment\"}",
			  "a: '\xe4\xbd\xa0\xe5\xa5\xbd #comment'\n"));
	CU_ASSERT(yaml_is("{\"a\":100.5}", "a: 100.5\n"));
	/* TestLineWrapping (default width 80) */
	CU_ASSERT(yaml_is("{\"a\":\"abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 1234567890 "
			  "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 1234567890 \"}",
			  "a: 'abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 1234567890 "
			  "abcdefghijklmnopqrstuvwxyz\n  ABCDEFGHIJKLMNOPQRSTUVWXYZ 1234567890 '\n"));
}

/* TestSortedOutput: the string keys of its expected order. */
static void test_key_order(void)
{
	static const char *const order[] = {
		"", ".1", ".2", ".a", "1", "2", "a!10", "a/0001", "a/002", "a/3", "a/10", "a/11",
		"a/0012", "a/100", "a~10", "ab/1", "b/1", "b/01", "b/2", "b/02", "b/3", "b/03",
		"b1", "b01", "b3", "c2.10", "c10.2", "d1", "d7", "d7abc", "d12", "d12a", NULL
	};
	struct json_object *o = json_object_new_object();
	hr_buf out = HR_BUF_INIT;
	hr_error err = HR_ERROR_INIT;
	const char *p;
	size_t i, n;

	for (n = 0; order[n]; n++)
		;
	/* insert in a scrambled order */
	for (i = 0; i < n; i++)
		json_object_object_add(o, order[(i * 7) % n], json_object_new_int(1));
	CU_ASSERT_FATAL(json_object_object_length(o) == (int)n);
	CU_ASSERT_FATAL(hr_yaml_write(&out, o, &err) == 0);
	p = hr_buf_cstr(&out);
	for (i = 0; i < n; i++) {
		char line[64];
		const char *k = order[i];

		/* keys that read as numbers or null are quoted */
		if (!*k || !strcmp(k, ".1") || !strcmp(k, ".2") || !strcmp(k, "1") || !strcmp(k, "2"))
			snprintf(line, sizeof(line), "\"%s\": 1\n", k);
		else
			snprintf(line, sizeof(line), "%s: 1\n", k);
		CU_ASSERT(!strncmp(p, line, strlen(line)));
		if (strncmp(p, line, strlen(line))) {
			fprintf(stderr, "at key %s:\n%s", k, p);
			break;
		}
		p += strlen(line);
	}
	CU_ASSERT(*p == '\0');
	hr_buf_free(&out);
	json_object_put(o);
}

/* Strings that YAML 1.1 would read as something else must be quoted. */
static void test_quoting(void)
{
	CU_ASSERT(yaml_is("{\"a\":\"yes\"}", "a: \"yes\"\n"));
	CU_ASSERT(yaml_is("{\"a\":\"on\"}", "a: \"on\"\n"));
	CU_ASSERT(yaml_is("{\"a\":\"Off\"}", "a: \"Off\"\n"));
	CU_ASSERT(yaml_is("{\"a\":\"y\"}", "a: \"y\"\n"));
	CU_ASSERT(yaml_is("{\"a\":\"~\"}", "a: \"~\"\n"));
	CU_ASSERT(yaml_is("{\"a\":\"null\"}", "a: \"null\"\n"));
	CU_ASSERT(yaml_is("{\"a\":\"NULL\"}", "a: \"NULL\"\n"));
	CU_ASSERT(yaml_is("{\"a\":\"nULL\"}", "a: nULL\n"));
	CU_ASSERT(yaml_is("{\"a\":\"012\"}", "a: \"012\"\n"));
	CU_ASSERT(yaml_is("{\"a\":\"08\"}", "a: \"08\"\n"));        /* float 8 */
	CU_ASSERT(yaml_is("{\"a\":\"0x1F\"}", "a: \"0x1F\"\n"));
	CU_ASSERT(yaml_is("{\"a\":\"0o17\"}", "a: \"0o17\"\n"));
	CU_ASSERT(yaml_is("{\"a\":\"0b101\"}", "a: \"0b101\"\n"));
	CU_ASSERT(yaml_is("{\"a\":\"1_000\"}", "a: \"1_000\"\n"));
	CU_ASSERT(yaml_is("{\"a\":\"+1\"}", "a: \"+1\"\n"));
	CU_ASSERT(yaml_is("{\"a\":\"1e3\"}", "a: \"1e3\"\n"));
	CU_ASSERT(yaml_is("{\"a\":\"1.\"}", "a: \"1.\"\n"));
	CU_ASSERT(yaml_is("{\"a\":\".5\"}", "a: \".5\"\n"));
	CU_ASSERT(yaml_is("{\"a\":\"-.5\"}", "a: \"-.5\"\n"));
	CU_ASSERT(yaml_is("{\"a\":\".inf\"}", "a: \".inf\"\n"));
	CU_ASSERT(yaml_is("{\"a\":\".iNf\"}", "a: .iNf\n"));
	CU_ASSERT(yaml_is("{\"a\":\"1e400\"}", "a: 1e400\n"));       /* ParseFloat overflows */
	CU_ASSERT(yaml_is("{\"a\":\"99999999999999999999\"}", "a: \"99999999999999999999\"\n"));
	CU_ASSERT(yaml_is("{\"a\":\"1.25.3\"}", "a: 1.25.3\n"));
	CU_ASSERT(yaml_is("{\"a\":\"0x\"}", "a: 0x\n"));
	CU_ASSERT(yaml_is("{\"a\":\"2024-01-15\"}", "a: \"2024-01-15\"\n"));
	CU_ASSERT(yaml_is("{\"a\":\"2024-1-5\"}", "a: \"2024-1-5\"\n"));
	CU_ASSERT(yaml_is("{\"a\":\"2024-02-30\"}", "a: 2024-02-30\n"));  /* day out of range */
	CU_ASSERT(yaml_is("{\"a\":\"2024-01-15 10:00:00\"}", "a: \"2024-01-15 10:00:00\"\n"));
	CU_ASSERT(yaml_is("{\"a\":\"2024-01-15T10:00:00+02:00\"}", "a: \"2024-01-15T10:00:00+02:00\"\n"));
	CU_ASSERT(yaml_is("{\"a\":\"12:30\"}", "a: \"12:30\"\n"));
	CU_ASSERT(yaml_is("{\"a\":\"12:70\"}", "a: 12:70\n"));  /* not base 60: a string */
	CU_ASSERT(yaml_is("{\"a\":\"<<\"}", "a: <<\n"));
	CU_ASSERT(yaml_is("{\"a\":\"a:b\"}", "a: a:b\n"));
	CU_ASSERT(yaml_is("{\"a\":\"a#b\"}", "a: a#b\n"));
	CU_ASSERT(yaml_is("{\"a\":\"-x\"}", "a: -x\n"));
	CU_ASSERT(yaml_is("{\"a\":\"- x\"}", "a: '- x'\n"));
	CU_ASSERT(yaml_is("{\"a\":\"*x\"}", "a: '*x'\n"));
	CU_ASSERT(yaml_is("{\"a\":\"it's\"}", "a: it's\n"));
	CU_ASSERT(yaml_is("{\"a\":\"'q'\"}", "a: '''q'''\n"));
	CU_ASSERT(yaml_is("{\"a\":\" lead\"}", "a: ' lead'\n"));
	CU_ASSERT(yaml_is("{\"a\":\"trail \"}", "a: 'trail '\n"));
	CU_ASSERT(yaml_is("{\"a\":\"tab\\there\"}", "a: \"tab\\there\"\n"));
	CU_ASSERT(yaml_is("{\"a\":\"q\\\"x\"}", "a: q\"x\n"));
	CU_ASSERT(yaml_is("{\"a\":\"\\\"x\\\"\"}", "a: '\"x\"'\n"));
	CU_ASSERT(yaml_is("{\"a\":\"---\"}", "a: '---'\n"));
	CU_ASSERT(yaml_is("{\"a\":\"caf\xc3\xa9\"}", "a: caf\xc3\xa9\n"));
	/* characters outside the BMP are not "printable" to go-yaml */
	CU_ASSERT(yaml_is("{\"a\":\"x\xf0\x9f\x98\x80\"}", "a: \"x\\U0001F600\"\n"));
	CU_ASSERT(yaml_is("{\"a\":\"\\u00a0x\"}", "a: \xc2\xa0x\n"));
	CU_ASSERT(yaml_is("{\"a\":\"x\\u0001\"}", "a: \"x\\x01\"\n"));
	CU_ASSERT(yaml_is("{\"a\":\"x\\ufeff\"}", "a: \"x\\uFEFF\"\n"));
	CU_ASSERT(yaml_is("{\"yes\":1,\"123\":2}", "\"123\": 2\n\"yes\": 1\n"));
}

static void test_numbers(void)
{
	CU_ASSERT(yaml_is("{\"a\":1.0}", "a: 1\n"));
	CU_ASSERT(yaml_is("{\"a\":1e3}", "a: 1000\n"));
	CU_ASSERT(yaml_is("{\"a\":1000000}", "a: 1000000\n"));
	CU_ASSERT(yaml_is("{\"a\":1234567.5}", "a: 1.2345675e+06\n"));
	CU_ASSERT(yaml_is("{\"a\":123456.5}", "a: 123456.5\n"));
	CU_ASSERT(yaml_is("{\"a\":0.0001}", "a: 0.0001\n"));
	CU_ASSERT(yaml_is("{\"a\":0.00001}", "a: 1e-05\n"));
	CU_ASSERT(yaml_is("{\"a\":1e21}", "a: 1e+21\n"));
	CU_ASSERT(yaml_is("{\"a\":1e20}", "a: 1e+20\n"));            /* > uint64: float */
	CU_ASSERT(yaml_is("{\"a\":12345678901234567890}", "a: 12345678901234567000\n"));
	CU_ASSERT(yaml_is("{\"a\":9007199254740993}", "a: 9007199254740992\n"));
	CU_ASSERT(yaml_is("{\"a\":-0.0}", "a: 0\n"));
	CU_ASSERT(yaml_is("{\"a\":-9223372036854775808}", "a: -9.223372036854776e+18\n"));
	CU_ASSERT(yaml_is("{\"a\":0.1e-6}", "a: 1e-07\n"));
	CU_ASSERT(yaml_is("{\"a\":[1.5,2]}", "a:\n- 1.5\n- 2\n"));
}

static void test_blocks(void)
{
	CU_ASSERT(yaml_is("{\"a\":\"x\\n\"}", "a: |\n  x\n"));
	CU_ASSERT(yaml_is("{\"a\":\"x\\n\\n\"}", "a: |+\n  x\n\n"));
	CU_ASSERT(yaml_is("{\"a\":\"x\\ny\"}", "a: |-\n  x\n  y\n"));
	CU_ASSERT(yaml_is("{\"a\":\" x\\ny\\n\"}", "a: |2\n   x\n  y\n"));
	CU_ASSERT(yaml_is("{\"a\":\"\\nx\"}", "a: |2-\n\n  x\n"));
	CU_ASSERT(yaml_is("{\"a\":\"x\\n\\ny\\n\",\"b\":1}", "a: |\n  x\n\n  y\nb: 1\n"));
	CU_ASSERT(yaml_is("{\"a\":{\"b\":\"x\\ny\"}}", "a:\n  b: |-\n    x\n    y\n"));
	CU_ASSERT(yaml_is("[\"x\\ny\"]", "- |-\n  x\n  y\n"));
	/* trailing space or space before a break: no block, double quotes */
	CU_ASSERT(yaml_is("{\"a\":\"x\\ny \"}", "a: \"x\\ny \"\n"));
	CU_ASSERT(yaml_is("{\"a\":\"x \\ny\"}", "a: \"x \\ny\"\n"));
	CU_ASSERT(yaml_is("{\"a\":\"\\n\"}", "a: |2+\n\n"));
	/* multi-line key: complex key with a literal block */
	CU_ASSERT(yaml_is("{\"a\\nb\":1}", "? |-\n  a\n  b\n: 1\n"));
}

static void test_structure(void)
{
	CU_ASSERT(yaml_is("[]", "[]\n"));
	CU_ASSERT(yaml_is("\"\"", "\"\"\n"));
	CU_ASSERT(yaml_is("\"x\"", "x\n"));
	CU_ASSERT(yaml_is("[[1,2],[]]", "- - 1\n  - 2\n- []\n"));
	CU_ASSERT(yaml_is("[{\"a\":1,\"b\":[{\"c\":{}}]}]", "- a: 1\n  b:\n  - c: {}\n"));
	CU_ASSERT(yaml_is("{\"a\":[[1]]}", "a:\n- - 1\n"));
	CU_ASSERT(yaml_is("{\"a\":{\"b\":{\"c\":[]}}}", "a:\n  b:\n    c: []\n"));
}

static void test_folding(void)
{
	char in[600], want[600];
	const char *w80 = "aaaaaaaaa bbbbbbbbb ccccccccc ddddddddd eeeeeeeee fffffffff ggggggggg hhhhhhhhh";

	/* plain: folded at the first space found past column 80 (w80 ends at 82) */
	snprintf(in, sizeof(in), "{\"k\":\"%s iiii jjjj\"}", w80);
	snprintf(want, sizeof(want), "k: %s\n  iiii jjjj\n", w80);
	CU_ASSERT(yaml_is(in, want));
	/* keys are never folded */
	snprintf(in, sizeof(in), "{\"%s iiii jjjj\":1}", w80);
	snprintf(want, sizeof(want), "%s iiii jjjj: 1\n", w80);
	CU_ASSERT(yaml_is(in, want));
	/* double-quoted: a fold followed by another space escapes that space */
	snprintf(in, sizeof(in), "{\"k\":\"%s  iiii\\tj\"}", w80);
	snprintf(want, sizeof(want), "k: \"%s\n  \\ iiii\\tj\"\n", w80);
	CU_ASSERT(yaml_is(in, want));
	/* no space to fold at: one long line */
	memset(in, 0, sizeof(in));
	strcpy(in, "{\"k\":\"");
	memset(in + 6, 'x', 200);
	strcat(in, "\"}");
	snprintf(want, sizeof(want), "k: %.200s\n", in + 6);
	CU_ASSERT(yaml_is(in, want));
	/* inside a list item the continuation is indented by 2 */
	snprintf(in, sizeof(in), "[\"%s iiii jjjj\"]", w80);
	snprintf(want, sizeof(want), "- %s\n  iiii jjjj\n", w80);
	CU_ASSERT(yaml_is(in, want));
}

static void test_roundtrip_and_errors(void)
{
	hr_buf out = HR_BUF_INIT;
	hr_error err = HR_ERROR_INIT;
	struct json_object *o;

	/* invalid UTF-8 becomes U+FFFD as encoding/json writes it */
	o = json_object_new_object();
	json_object_object_add(o, "a", json_object_new_string("x\xff"));
	CU_ASSERT(hr_yaml_write(&out, o, &err) == 0);
	CU_ASSERT_STRING_EQUAL(hr_buf_cstr(&out), "a: x\xef\xbf\xbd\n");
	json_object_put(o);
	hr_buf_clear(&out);

	/* DEL survives encoding/json raw and go-yaml's reader rejects it */
	o = json_object_new_object();
	json_object_object_add(o, "a", json_object_new_string("x\x7f"));
	CU_ASSERT(hr_yaml_write(&out, o, &err) == HR_EFORMAT);
	CU_ASSERT(strstr(err.msg, "control characters are not allowed") != NULL);
	CU_ASSERT(out.len == 0);
	json_object_put(o);

	/* raw NEL is a line break to the YAML scanner: folded to a space */
	CU_ASSERT(yaml_is("{\"a\":\"x \xc2\x85 y\"}", "a: x y\n"));
	CU_ASSERT(yaml_is("{\"a\":\"x\xc2\x85\xc2\x85y\"}", "a: |-\n  x\n  y\n"));

	/* absurd nesting is refused, not a stack overflow */
	o = json_object_new_array();
	{
		struct json_object *cur = o;
		int d;

		for (d = 0; d < 5000; d++) {
			struct json_object *next = json_object_new_array();

			json_object_array_add(cur, next);
			cur = next;
		}
	}
	CU_ASSERT(hr_yaml_write(&out, o, &err) == HR_EINVAL);
	CU_ASSERT(out.len == 0);
	json_object_put(o);

	/* NaN cannot be marshalled */
	o = json_object_new_double(0.0 / 0.0);
	CU_ASSERT(hr_yaml_write(&out, o, &err) == HR_EINVAL);
	json_object_put(o);
	hr_buf_free(&out);
}

/*
 * Read `text` with libyaml (a YAML 1.1 reader like go-yaml's) and append
 * every scalar value, NUL-separated, to `out`.  Returns 0 or -1.
 */
static int libyaml_scalars(const char *text, size_t len, hr_buf *out)
{
	yaml_parser_t p;
	yaml_event_t ev;
	int done = 0, rc = 0;

	if (!yaml_parser_initialize(&p))
		return -1;
	yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
	while (!done) {
		if (!yaml_parser_parse(&p, &ev)) {
			rc = -1;
			break;
		}
		if (ev.type == YAML_SCALAR_EVENT) {
			hr_buf_put(out, ev.data.scalar.value, ev.data.scalar.length);
			hr_buf_putc(out, '\0');
		}
		done = ev.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&p);
	return rc;
}

/* Emit `doc`, read it back with libyaml, compare the scalars with `want`. */
static int reads_back_as(struct json_object *doc, const char *want, size_t want_len)
{
	hr_buf out = HR_BUF_INIT, got = HR_BUF_INIT;
	hr_error err = HR_ERROR_INIT;
	int ok;

	ok = hr_yaml_write(&out, doc, &err) == 0 && libyaml_scalars(out.ptr, out.len, &got) == 0 &&
	     got.len == want_len && !memcmp(got.ptr, want, want_len);
	if (!ok)
		fprintf(stderr, "does not read back:\n%s", hr_buf_cstr(&out));
	json_object_put(doc);
	hr_buf_free(&out);
	hr_buf_free(&got);
	return ok;
}

/*
 * Property: whatever style and folding the writer picks, a YAML reader gets
 * the same string back, as a list item, a map value (at two depths, so folds
 * happen at other columns) and a key.
 */
static void test_reads_back(void)
{
	static const char *const pieces[] = {
		" ", "  ", "\n", "\t", "\xe2\x80\xa8", "\xef\xbb\xbf", "\xf0\x9f\x98\x80", "a", "0",
		"1", ":", "#", "-", "'", "\"", "\\", ".", "e", "_", "\xc3\xa9", "yes", "2024-01-02",
		"wordword", "---", "0x", "+", "\r", "\x01", "~", "null", "? ", "[", "}", ",", "&", "*",
		"!", "|", ">", "%", "@", "`", "\xc2\xa0", "longerwordsforfolding"
	};
	unsigned long long st = 0x9E3779B97F4A7C15ULL;
	int iter, failed = 0;

	for (iter = 0; iter < 4000 && failed < 3; iter++) {
		hr_buf s = HR_BUF_INIT, w = HR_BUF_INIT;
		struct json_object *doc, *m;
		int k, parts;

		st ^= st << 13, st ^= st >> 7, st ^= st << 17;
		parts = (int)(st % 60);
		for (k = 0; k < parts; k++) {
			st ^= st << 13, st ^= st >> 7, st ^= st << 17;
			hr_buf_puts(&s, pieces[st % (sizeof(pieces) / sizeof(pieces[0]))]);
		}
		hr_buf_putc(&s, '\0'); /* scalars are compared NUL-terminated */
		s.len--;

		doc = json_object_new_array();
		json_object_array_add(doc, json_object_new_string_len(s.ptr, (int)s.len));
		failed += !reads_back_as(doc, s.ptr, s.len + 1);

		doc = json_object_new_object();
		json_object_object_add(doc, "k", json_object_new_string_len(s.ptr, (int)s.len));
		hr_buf_put(&w, "k", 2);
		hr_buf_put(&w, s.ptr, s.len + 1);
		failed += !reads_back_as(doc, w.ptr, w.len);

		doc = json_object_new_object();
		m = json_object_new_object();
		json_object_object_add(m, "kk", json_object_new_string_len(s.ptr, (int)s.len));
		json_object_object_add(doc, "k", m);
		hr_buf_clear(&w);
		hr_buf_put(&w, "k\0kk", 5);
		hr_buf_put(&w, s.ptr, s.len + 1);
		failed += !reads_back_as(doc, w.ptr, w.len);

		doc = json_object_new_object();
		json_object_object_add(doc, s.ptr, json_object_new_int(1));
		hr_buf_clear(&w);
		hr_buf_put(&w, s.ptr, s.len + 1);
		hr_buf_put(&w, "1", 2);
		failed += !reads_back_as(doc, w.ptr, w.len);

		hr_buf_free(&s);
		hr_buf_free(&w);
	}
	CU_ASSERT(failed == 0);
}

HR_TEST_MAIN("yaml",
	     { "reads_back", test_reads_back },
	     { "goldens", test_goldens },
	     { "upstream_vectors", test_upstream_vectors },
	     { "key_order", test_key_order },
	     { "quoting", test_quoting },
	     { "numbers", test_numbers },
	     { "blocks", test_blocks },
	     { "structure", test_structure },
	     { "folding", test_folding },
	     { "roundtrip_and_errors", test_roundtrip_and_errors })
