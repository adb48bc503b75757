/*
 * test_values.c — computed values, `get values` and `get all` against
 * what helm v4.1.4 and v3.17.1 printed for the corpus records.
 *
 * For every revision in goldens/index.json the decoded release record
 * (testdata/corpus/decoded/DRIVER/NS/sh.helm.release.v1.NAME.vN.json) is
 * rendered and compared byte for byte with values.json, values-all.json
 * and all.txt of both helm versions.  The coalescing rules that the corpus
 * does not exercise (nulls) are checked against the cases read from helm's
 * coalesce.go of both versions.
 */
#include "testutil.h"
#include "render/values.h"
#include "render/yaml.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int same_as_file(const hr_buf *got, const char *path)
{
	hr_buf want = HR_BUF_INIT;
	int ok;

	if (tu_read_file(&want, path)) {
		fprintf(stderr, "cannot read %s\n", path);
		return 0;
	}
	ok = got->len == want.len && !memcmp(hr_buf_cstr(got), hr_buf_cstr(&want), want.len);
	if (!ok)
		fprintf(stderr, "%s differs:\n--- got\n%s--- want\n%s", path, hr_buf_cstr(got),
			hr_buf_cstr(&want));
	hr_buf_free(&want);
	return ok;
}

typedef void (*rev_fn)(struct json_object *rel, const char *golden_dir, int major);

/* Call fn for every (helm version, release, revision) of the corpus. */
static size_t for_each_revision(rev_fn fn)
{
	static const struct { const char *dir; int major; } versions[] = {
		{ "helm-v4.1.4", 4 }, { "helm-v3.17.1", 3 }
	};
	struct json_object *index = tu_load_json("testdata/corpus/goldens/index.json");
	size_t i, r, v, n = 0;

	CU_ASSERT_FATAL(index != NULL);
	for (v = 0; v < 2; v++) {
		for (i = 0; i < json_object_array_length(index); i++) {
			struct json_object *e = json_object_array_get_idx(index, i);
			struct json_object *revs, *dir, *drv, *ns, *name, *rel;

			CU_ASSERT_FATAL(json_object_object_get_ex(e, "dir", &dir) &&
					json_object_object_get_ex(e, "revisions", &revs) &&
					json_object_object_get_ex(e, "driver", &drv) &&
					json_object_object_get_ex(e, "namespace", &ns) &&
					json_object_object_get_ex(e, "release", &name));
			for (r = 0; r < json_object_array_length(revs); r++) {
				int rev = json_object_get_int(json_object_array_get_idx(revs, r));
				char path[512], golden[512];

				snprintf(path, sizeof(path),
					 "testdata/corpus/decoded/%s/%s/sh.helm.release.v1.%s.v%d.json",
					 json_object_get_string(drv), json_object_get_string(ns),
					 json_object_get_string(name), rev);
				snprintf(golden, sizeof(golden), "testdata/corpus/goldens/%s/%s/rev-%d",
					 versions[v].dir, json_object_get_string(dir), rev);
				rel = tu_load_json(path);
				CU_ASSERT_FATAL(rel != NULL);
				fn(rel, golden, versions[v].major);
				json_object_put(rel);
				n++;
			}
		}
	}
	json_object_put(index);
	return n;
}

static void check_values_json(struct json_object *rel, const char *dir, int major)
{
	hr_buf out = HR_BUF_INIT;
	hr_error err = HR_ERROR_INIT;
	char path[600];

	CU_ASSERT(hr_render_get_values(&out, rel, 0, "json", major, &err) == 0);
	snprintf(path, sizeof(path), "%s/values.json", dir);
	CU_ASSERT(same_as_file(&out, path));
	hr_buf_clear(&out);
	CU_ASSERT(hr_render_get_values(&out, rel, 1, "json", major, &err) == 0);
	snprintf(path, sizeof(path), "%s/values-all.json", dir);
	CU_ASSERT(same_as_file(&out, path));
	hr_buf_free(&out);
}

static void test_get_values_json(void)
{
	CU_ASSERT(for_each_revision(check_values_json) >= 30);
}

static void check_coalesce(struct json_object *rel, const char *dir, int major)
{
	struct json_object *chart = NULL, *cv = NULL, *config = NULL, *vals = NULL, *want;
	hr_error err = HR_ERROR_INIT;
	char path[600];

	json_object_object_get_ex(rel, "chart", &chart);
	json_object_object_get_ex(chart, "values", &cv);
	json_object_object_get_ex(rel, "config", &config);
	CU_ASSERT_FATAL(hr_values_coalesce(&vals, cv, config, major, &err) == 0);
	snprintf(path, sizeof(path), "%s/values-all.json", dir);
	want = tu_load_json(path);
	CU_ASSERT(want != NULL && json_object_equal(vals, want));
	json_object_put(want);
	json_object_put(vals);
}

static void test_coalesce_corpus(void)
{
	CU_ASSERT(for_each_revision(check_coalesce) >= 30);
}

/* The table and -o yaml forms print the same YAML. */
static void check_values_table(struct json_object *rel, const char *dir, int major)
{
	hr_buf out = HR_BUF_INIT, yaml = HR_BUF_INIT, all = HR_BUF_INIT;
	hr_error err = HR_ERROR_INIT;
	char path[600];
	const char *a;
	int k;

	snprintf(path, sizeof(path), "%s/all.txt", dir);
	CU_ASSERT_FATAL(tu_read_file(&all, path) == 0);
	for (k = 0; k < 2; k++) {
		const char *head = k ? "COMPUTED VALUES:\n" : "USER-SUPPLIED VALUES:\n";

		hr_buf_clear(&out);
		hr_buf_clear(&yaml);
		CU_ASSERT(hr_render_get_values(&out, rel, k, "table", major, &err) == 0);
		CU_ASSERT(hr_render_get_values(&yaml, rel, k, "yaml", major, &err) == 0);
		CU_ASSERT(out.len == strlen(head) + yaml.len);
		CU_ASSERT(!strncmp(hr_buf_cstr(&out), head, strlen(head)));
		CU_ASSERT(!strcmp(hr_buf_cstr(&out) + strlen(head), hr_buf_cstr(&yaml)));
		/* and that text is what helm get all shows, followed by a blank line */
		a = strstr(hr_buf_cstr(&all), hr_buf_cstr(&out));
		CU_ASSERT(a != NULL && a[out.len] == '\n');
	}
	hr_buf_free(&out);
	hr_buf_free(&yaml);
	hr_buf_free(&all);
}

static void test_get_values_table(void)
{
	CU_ASSERT(for_each_revision(check_values_table) >= 30);
}

static void check_get_all(struct json_object *rel, const char *dir, int major)
{
	hr_buf out = HR_BUF_INIT;
	hr_error err = HR_ERROR_INIT;
	char path[600];

	CU_ASSERT(hr_render_get_all(&out, rel, major, &err) == 0);
	snprintf(path, sizeof(path), "%s/all.txt", dir);
	CU_ASSERT(same_as_file(&out, path));
	hr_buf_free(&out);
}

static void test_get_all(void)
{
	CU_ASSERT(for_each_revision(check_get_all) >= 30);
}

static struct json_object *coalesced(const char *chart, const char *config, int major)
{
	struct json_object *c = json_tokener_parse(chart), *u = json_tokener_parse(config);
	struct json_object *out = NULL;
	hr_error err = HR_ERROR_INIT;

	CU_ASSERT(hr_values_coalesce(&out, c, u, major, &err) == 0);
	json_object_put(c);
	json_object_put(u);
	return out;
}

static int coalesces_to(const char *chart, const char *config, int major, const char *want)
{
	struct json_object *got = coalesced(chart, config, major), *w = json_tokener_parse(want);
	int ok = json_object_equal(got, w);

	if (!ok)
		fprintf(stderr, "helm %d: %s over %s\n--- got %s\n--- want %s\n", major, config, chart,
			json_object_to_json_string(got), want);
	json_object_put(got);
	json_object_put(w);
	return ok;
}

/* Cases read from coalesceValues / coalesceTablesFullKey of both versions. */
static void test_coalesce_rules(void)
{
	const char *chart = "{\"a\":1,\"b\":{\"c\":1,\"d\":null,\"e\":2,\"m\":{\"z\":1}},"
			    "\"n\":null,\"l\":[1,2],\"t\":{\"k\":1},\"s\":\"x\"}";
	const char *config = "{\"a\":null,\"b\":{\"c\":null,\"d\":null,\"x\":null,\"m\":3},"
			     "\"u\":null,\"l\":[3],\"t\":\"scalar\",\"s\":{\"k\":1}}";

	/* helm 4.1: a user null over a null default survives */
	CU_ASSERT(coalesces_to(chart, config, 4,
			       "{\"b\":{\"d\":null,\"e\":2,\"x\":null,\"m\":3},\"n\":null,"
			       "\"u\":null,\"l\":[3],\"t\":\"scalar\",\"s\":{\"k\":1}}"));
	/* helm 3.17: it is removed */
	CU_ASSERT(coalesces_to(chart, config, 3,
			       "{\"b\":{\"e\":2,\"x\":null,\"m\":3},\"n\":null,"
			       "\"u\":null,\"l\":[3],\"t\":\"scalar\",\"s\":{\"k\":1}}"));
	/* no config: the chart values; no chart values: the config */
	CU_ASSERT(coalesces_to("{\"a\":{\"b\":null}}", "null", 4, "{\"a\":{\"b\":null}}"));
	CU_ASSERT(coalesces_to("null", "{\"a\":null}", 3, "{\"a\":null}"));
	CU_ASSERT(coalesces_to("null", "null", 3, "{}"));
	/* maps merge at every depth, the user side wins */
	CU_ASSERT(coalesces_to("{\"a\":{\"b\":{\"c\":1,\"d\":2}}}", "{\"a\":{\"b\":{\"c\":9}}}", 4,
			       "{\"a\":{\"b\":{\"c\":9,\"d\":2}}}"));
}

static void test_get_values_edge(void)
{
	struct json_object *rel = json_tokener_parse(
		"{\"name\":\"x\",\"chart\":{\"values\":{\"b\":\"<&>\",\"a\":1.5}}}");
	hr_buf out = HR_BUF_INIT;
	hr_error err = HR_ERROR_INIT;

	/* a release without config: null */
	CU_ASSERT(hr_render_get_values(&out, rel, 0, "table", 4, &err) == 0);
	CU_ASSERT_STRING_EQUAL(hr_buf_cstr(&out), "USER-SUPPLIED VALUES:\nnull\n");
	hr_buf_clear(&out);
	CU_ASSERT(hr_render_get_values(&out, rel, 0, "json", 4, &err) == 0);
	CU_ASSERT_STRING_EQUAL(hr_buf_cstr(&out), "null\n");
	hr_buf_clear(&out);
	/* -o json: Go map order and HTML escaping */
	CU_ASSERT(hr_render_get_values(&out, rel, 1, "json", 4, &err) == 0);
	CU_ASSERT_STRING_EQUAL(hr_buf_cstr(&out), "{\"a\":1.5,\"b\":\"\\u003c\\u0026\\u003e\"}\n");
	hr_buf_clear(&out);
	CU_ASSERT(hr_render_get_values(&out, rel, 1, "yaml", 4, &err) == 0);
	CU_ASSERT_STRING_EQUAL(hr_buf_cstr(&out), "a: 1.5\nb: <&>\n");
	hr_buf_clear(&out);
	CU_ASSERT(hr_render_get_values(&out, rel, 1, "xml", 4, &err) == HR_EINVAL);
	CU_ASSERT(out.len == 0);
	hr_buf_free(&out);
	json_object_put(rel);
}

/* Hand-made releases: zero times, test hooks that never ran, notes trimming. */
static void test_get_all_edge(void)
{
	struct json_object *rel = json_tokener_parse(
		"{\"name\":\"n\",\"namespace\":\"ns\",\"version\":3,"
		"\"info\":{\"last_deployed\":\"0001-01-01T00:00:00Z\",\"status\":\"deployed\","
		"\"description\":\"d\",\"notes\":\"\\n  hello \\u3000\\n\"},"
		"\"chart\":{\"metadata\":{\"name\":\"c\",\"version\":\"1\"}},"
		"\"hooks\":[{\"name\":\"t\",\"path\":\"p\",\"manifest\":\"m\",\"events\":[\"test\"],"
		"\"last_run\":{\"started_at\":\"\",\"phase\":\"\"}}],\"manifest\":\"x\"}");
	hr_buf out = HR_BUF_INIT;
	hr_error err = HR_ERROR_INIT;

	CU_ASSERT_FATAL(rel != NULL);
	CU_ASSERT(hr_render_get_all(&out, rel, 4, &err) == 0);
	CU_ASSERT_STRING_EQUAL(hr_buf_cstr(&out),
			       "NAME: n\nNAMESPACE: ns\nSTATUS: deployed\nREVISION: 3\nCHART: c\n"
			       "VERSION: 1\nAPP_VERSION: \nDESCRIPTION: d\n"
			       "USER-SUPPLIED VALUES:\nnull\n\nCOMPUTED VALUES:\n{}\n\n"
			       "HOOKS:\n---\n# Source: p\nm\nMANIFEST:\nx\nNOTES:\nhello\n");
	json_object_put(rel);
	hr_buf_clear(&out);

	/* a stored offset is kept, not converted */
	rel = json_tokener_parse("{\"info\":{\"last_deployed\":\"2024-02-29T23:30:00.5-05:00\"}}");
	CU_ASSERT(hr_render_get_all(&out, rel, 3, &err) == 0);
	CU_ASSERT(strstr(hr_buf_cstr(&out), "\nLAST DEPLOYED: Thu Feb 29 23:30:00 2024\n") != NULL);
	json_object_put(rel);
	hr_buf_clear(&out);

	rel = json_tokener_parse("{\"info\":{\"last_deployed\":\"yesterday\"}}");
	CU_ASSERT(hr_render_get_all(&out, rel, 3, &err) == HR_EFORMAT);
	CU_ASSERT(out.len == 0);
	json_object_put(rel);
	rel = json_tokener_parse("[1]");
	CU_ASSERT(hr_render_get_all(&out, rel, 3, &err) == HR_EINVAL);
	json_object_put(rel);
	hr_buf_free(&out);
}

static void test_sort(void)
{
	struct json_object *v = json_tokener_parse("{\"b\":{\"y\":1,\"x\":[{\"d\":1,\"c\":2}]},\"a\":2,\"B\":3}");

	CU_ASSERT_FATAL(hr_values_sort(v) == 0);
	CU_ASSERT_STRING_EQUAL(json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN),
			       "{\"B\":3,\"a\":2,\"b\":{\"x\":[{\"c\":2,\"d\":1}],\"y\":1}}");
	json_object_put(v);
}

HR_TEST_MAIN("values",
	     { "coalesce_corpus", test_coalesce_corpus },
	     { "coalesce_rules", test_coalesce_rules },
	     { "get_values_json", test_get_values_json },
	     { "get_values_table", test_get_values_table },
	     { "get_values_edge", test_get_values_edge },
	     { "get_all", test_get_all },
	     { "get_all_edge", test_get_all_edge },
	     { "sort", test_sort })
