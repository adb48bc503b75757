/*
 * test_render_status.c — `helm status` offline.  The corpus has no status
 * goldens, but `helm get all` prints through the same statusPrinter (with
 * CHART/VERSION/APP_VERSION lines and the values/hooks/manifest blocks
 * added), so each all.txt golden of helm v4.1.4 and v3.17.1 minus those
 * parts is what status prints for that revision.  The json form is checked
 * on every record against the record itself minus its chart, in the shape
 * of the helm major that wrote it (v3 records carry info.deleted).
 */
#include "testcorpus.h"
#include "render/helm.h"

static char *status_from_all(const char *all)
{
	hr_buf b = HR_BUF_INIT;
	const char *p = all, *end = strstr(all, "USER-SUPPLIED VALUES:\n"), *notes;

	while (p && p < end) {
		const char *nl = strchr(p, '\n');
		if (strncmp(p, "CHART: ", 7) && strncmp(p, "VERSION: ", 9) && strncmp(p, "APP_VERSION: ", 13))
			hr_buf_put(&b, p, (size_t)(nl - p + 1));
		p = nl + 1;
	}
	/* the NOTES block closes the output when present */
	notes = NULL;
	for (const char *q = all; (q = strstr(q, "\nNOTES:\n")); q++)
		notes = q;
	if (notes)
		hr_buf_puts(&b, notes + 1);
	return hr_buf_detach(&b, NULL);
}

static void test_table_goldens(void)
{
	struct json_object *index = tu_load_json(CORPUS "/goldens/index.json");
	size_t checked = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(index);
	for (size_t e = 0; e < json_object_array_length(index); e++) {
		struct json_object *entry = json_object_array_get_idx(index, e), *revs;

		json_object_object_get_ex(entry, "revisions", &revs);
		for (size_t i = 0; i < json_object_array_length(revs); i++) {
			long ver = (long)json_object_get_int64(json_object_array_get_idx(revs, i));
			struct json_object *rel = corpus_release(corpus_str(entry, "driver"),
								 corpus_str(entry, "namespace"),
								 corpus_str(entry, "release"), ver);
			char dir[256];

			snprintf(dir, sizeof(dir), "%s/rev-%ld", corpus_str(entry, "dir"), ver);
			for (int v = 0; v < 2; v++) {
				char *all = corpus_golden(corpus_versions[v], dir, "all.txt"), *want, what[300];
				hr_buf got = HR_BUF_INIT;
				hr_error err = HR_ERROR_INIT;

				if (!all)
					continue;
				want = status_from_all(all);
				CU_ASSERT_EQUAL(hr_render_status(&got, rel, 0, corpus_majors[v], "table", &err), 0);
				snprintf(what, sizeof(what), "%s %s status", corpus_versions[v], dir);
				CU_ASSERT(corpus_same(what, hr_buf_cstr(&got), want));
				checked++;
				free(all);
				free(want);
				hr_buf_free(&got);
			}
			json_object_put(rel);
		}
	}
	CU_ASSERT(checked >= 50);
	json_object_put(index);
}

static void test_json_shape(void)
{
	static const char *const drivers[] = { "secret", "configmap", "sql" };
	size_t checked = 0;

	for (int d = 0; d < 3; d++) {
		struct json_object **rels;
		size_t n = corpus_all_releases(drivers[d], &rels);

		for (size_t i = 0; i < n; i++) {
			struct json_object *info, *copy = NULL;
			hr_buf got = HR_BUF_INIT, want = HR_BUF_INIT;
			hr_error err = HR_ERROR_INIT;
			int major;

			json_object_object_get_ex(rels[i], "info", &info);
			major = json_object_object_get_ex(info, "deleted", NULL) ? 3 : 4;
			CU_ASSERT_EQUAL(hr_render_status(&got, rels[i], 0, major, "json", &err), 0);
			json_object_deep_copy(rels[i], &copy, NULL);
			json_object_object_del(copy, "chart");
			hr_render__encode(&want, copy, HR_RENDER__JSON, NULL);
			CU_ASSERT(corpus_same("status json", hr_buf_cstr(&got), hr_buf_cstr(&want)));
			checked++;
			json_object_put(copy);
			json_object_put(rels[i]);
			hr_buf_free(&got);
			hr_buf_free(&want);
		}
		free(rels);
	}
	CU_ASSERT(checked >= 30);
}

/* Cross-version shapes: a v3 record shown by helm 4 and the other way round. */
static void test_json_cross(void)
{
	struct json_object *h3 = corpus_release("secret", "batch", "etl", 1);
	struct json_object *h4 = corpus_release("secret", "shop", "web", 6);
	hr_buf got = HR_BUF_INIT;

	CU_ASSERT_EQUAL(hr_render_status(&got, h3, 0, 4, "json", NULL), 0);
	CU_ASSERT(strstr(hr_buf_cstr(&got), "\"deleted\"") == NULL);
	/* the pre-delete hook never ran, the migrate hook did */
	CU_ASSERT(strstr(hr_buf_cstr(&got), "\"last_run\":{\"phase\":\"\"}") != NULL);
	CU_ASSERT(strstr(hr_buf_cstr(&got), "\"started_at\":\"\"") == NULL);
	CU_ASSERT(strstr(hr_buf_cstr(&got), "\"last_run\":{\"started_at\":\"2026-11-23T23:54:14.581138053Z\",\"completed_at\":\"2026-11-23T23:54:14.73212706Z\",\"phase\":\"Succeeded\"}") != NULL);
	CU_ASSERT(strstr(hr_buf_cstr(&got), "\"chart\"") == NULL);
	hr_buf_clear(&got);
	CU_ASSERT_EQUAL(hr_render_status(&got, h4, 0, 3, "json", NULL), 0);
	CU_ASSERT(strstr(hr_buf_cstr(&got), "\"last_deployed\":\"2026-11-23T23:54:09.954016879Z\",\"deleted\":\"\",\"description\"") != NULL);
	CU_ASSERT(strstr(hr_buf_cstr(&got), "apply_method") == NULL);
	hr_buf_clear(&got);
	/* helm 3 prints DESCRIPTION only with --show-desc; web's test hook never ran: no TEST SUITE */
	CU_ASSERT_EQUAL(hr_render_status(&got, h4, 1, 3, "table", NULL), 0);
	CU_ASSERT(strstr(hr_buf_cstr(&got), "\nREVISION: 6\nDESCRIPTION: Upgrade complete\nNOTES:\n") != NULL);
	json_object_put(h3);
	json_object_put(h4);
	hr_buf_free(&got);
}

/* Dry-run releases show hooks and manifest; notes are trimmed. */
static void test_dry_run_and_notes(void)
{
	struct json_object *rel = corpus_release("secret", "batch", "etl", 1), *info;
	hr_buf got = HR_BUF_INIT;
	hr_error err = HR_ERROR_INIT;

	json_object_object_get_ex(rel, "info", &info);
	json_object_object_add(info, "description", json_object_new_string("dry RUN complete"));
	json_object_object_add(info, "notes", json_object_new_string(" \n\u00a0hello\t\n"));
	CU_ASSERT_EQUAL(hr_render_status(&got, rel, 0, 4, NULL, &err), 0);
	CU_ASSERT(strstr(hr_buf_cstr(&got), "HOOKS:\n---\n# Source: hooked/templates/") != NULL);
	CU_ASSERT(strstr(hr_buf_cstr(&got), "\nMANIFEST:\n---\n") != NULL);
	CU_ASSERT(strstr(hr_buf_cstr(&got), "\nNOTES:\nhello\n") != NULL);
	json_object_object_add(info, "last_deployed", json_object_new_string("bogus"));
	CU_ASSERT_EQUAL(hr_render_status(&got, rel, 0, 4, NULL, &err), HR_EFORMAT);
	CU_ASSERT(strstr(err.msg, "release etl: last_deployed") != NULL);
	json_object_put(rel);
	hr_buf_free(&got);
}

HR_TEST_MAIN("render_status", { "table vs get all goldens", test_table_goldens },
	     { "json shape per writer", test_json_shape }, { "json across versions", test_json_cross },
	     { "dry run and notes", test_dry_run_and_notes })
