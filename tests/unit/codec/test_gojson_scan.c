/*
 * test_gojson_scan.c — hr_gojson_parse_scan (the scan's partial parse)
 * gives exactly the full tree minus the chart's bulk, on every corpus body,
 * and still rejects damaged text inside the parts it skips.
 */
#include "testutil.h"
#include "codec/gojson.h"

#include <dirent.h>
#include <stdio.h>
#include <string.h>

static int check_file(const char *path)
{
	hr_buf text = HR_BUF_INIT;
	struct json_object *full = NULL, *scan = NULL, *chart;
	hr_error err = HR_ERROR_INIT;
	int same = 0;

	if (tu_read_file(&text, path))
		return -1;
	if (hr_gojson_parse(&full, text.ptr, text.len, &err) ||
	    hr_gojson_parse_scan(&scan, text.ptr, text.len, &err))
		goto out;
	if (json_object_object_get_ex(full, "chart", &chart) && json_object_is_type(chart, json_type_object)) {
		json_object_object_del(chart, "templates");
		json_object_object_del(chart, "files");
		json_object_object_del(chart, "schema");
		json_object_object_del(chart, "values");
	}
	same = json_object_equal(full, scan);
out:
	json_object_put(full);
	json_object_put(scan);
	hr_buf_free(&text);
	return same ? 1 : 0;
}

static void test_corpus(void)
{
	static const char *const dirs[] = { "secret", "configmap", "sql" };
	int files = 0;

	for (size_t d = 0; d < 3; d++) {
		char base[256];
		DIR *nsdir;
		struct dirent *ns;

		snprintf(base, sizeof(base), "testdata/corpus/decoded/%s", dirs[d]);
		nsdir = opendir(base);
		CU_ASSERT_PTR_NOT_NULL_FATAL(nsdir);
		while ((ns = readdir(nsdir))) {
			char sub[512];
			DIR *rd;
			struct dirent *f;

			if (ns->d_name[0] == '.')
				continue;
			snprintf(sub, sizeof(sub), "%s/%s", base, ns->d_name);
			if (!(rd = opendir(sub)))
				continue;
			while ((f = readdir(rd))) {
				char path[1024];

				if (!strstr(f->d_name, ".json"))
					continue;
				snprintf(path, sizeof(path), "%s/%s", sub, f->d_name);
				CU_ASSERT_EQUAL(check_file(path), 1);
				files++;
			}
			closedir(rd);
		}
		closedir(nsdir);
	}
	CU_ASSERT_EQUAL(files, 35);
}

static void test_skipped_parts_still_checked(void)
{
	static const char good[] =
		"{\"name\":\"x\",\"chart\":{\"metadata\":{\"name\":\"c\"},\"templates\":[{\"name\":\"t\","
		"\"data\":\"a\\\\\\\"b}]\\\\\"}],\"values\":{\"a\":[1,{\"b\":null}]},\"schema\":null},\"version\":2}";
	static const char *const bad[] = {
		"{\"chart\":{\"templates\":[{\"data\":\"unterminated}]}",
		"{\"chart\":{\"templates\":[[[]]},\"version\":1}",
		"{\"chart\":{\"values\":}}",
		"{\"chart\":{\"files\":[\"a\"]]}}",
	};
	struct json_object *v = NULL, *x;
	hr_error err = HR_ERROR_INIT;

	CU_ASSERT_EQUAL_FATAL(hr_gojson_parse_scan(&v, good, strlen(good), &err), 0);
	CU_ASSERT_TRUE(json_object_object_get_ex(v, "version", &x));
	CU_ASSERT_EQUAL(json_object_get_int(x), 2);
	CU_ASSERT_TRUE(json_object_object_get_ex(v, "chart", &x));
	CU_ASSERT_EQUAL(json_object_object_length(x), 1);   /* metadata only */
	json_object_put(v);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		v = NULL;
		hr_error_clear(&err);
		CU_ASSERT_NOT_EQUAL(hr_gojson_parse_scan(&v, bad[i], strlen(bad[i]), &err), 0);
		CU_ASSERT_PTR_NULL(v);
		CU_ASSERT_TRUE(strlen(err.msg) > 0);
	}
}

HR_TEST_MAIN("gojson_scan",
	{ "partial parse equals the full tree minus the chart's bulk", test_corpus },
	{ "skipped parts are still checked for balance", test_skipped_parts_still_checked })
