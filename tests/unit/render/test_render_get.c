/*
 * test_render_get.c — `helm get manifest|hooks|notes|metadata` against
 * every revision golden of helm v4.1.4 and v3.17.1 (manifest.yaml,
 * hooks.yaml, notes.txt, metadata.json), from the decoded records and the
 * object labels listed in testdata/corpus/records.json (SQL: the custom
 * label table).  The goldens were taken with --revision N, so helm 4 shows
 * custom labels only.
 */
#include "testcorpus.h"
#include "render/helm.h"

/* Labels of one record from records.json (object labels, or SQL custom labels). */
static size_t record_labels(struct json_object *records, const char *driver, const char *ns,
			    const char *name, long version, hr_label *out, size_t cap)
{
	size_t n = 0;

	for (size_t i = 0; i < json_object_array_length(records); i++) {
		struct json_object *r = json_object_array_get_idx(records, i), *l, *v;
		if (strcmp(corpus_str(r, "driver"), driver) || strcmp(corpus_str(r, "namespace"), ns) ||
		    strcmp(corpus_str(r, "release"), name) || !json_object_object_get_ex(r, "version", &v) ||
		    json_object_get_int64(v) != version)
			continue;
		if (!json_object_object_get_ex(r, strcmp(driver, "sql") ? "labels" : "custom_labels", &l))
			continue;
		json_object_object_foreach(l, k, val) {
			if (n < cap) {
				out[n].key = k;
				out[n].value = (char *)json_object_get_string(val);
				n++;
			}
		}
	}
	return n;
}

static void test_goldens(void)
{
	struct json_object *index = tu_load_json(CORPUS "/goldens/index.json");
	struct json_object *records = tu_load_json(CORPUS "/records.json");
	size_t checked = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(index);
	CU_ASSERT_PTR_NOT_NULL_FATAL(records);
	for (size_t e = 0; e < json_object_array_length(index); e++) {
		struct json_object *entry = json_object_array_get_idx(index, e), *revs;
		const char *driver = corpus_str(entry, "driver"), *ns = corpus_str(entry, "namespace");
		const char *name = corpus_str(entry, "release");

		json_object_object_get_ex(entry, "revisions", &revs);
		for (size_t i = 0; i < json_object_array_length(revs); i++) {
			long ver = (long)json_object_get_int64(json_object_array_get_idx(revs, i));
			struct json_object *rel = corpus_release(driver, ns, name, ver);
			hr_label labels[32];
			size_t nl = record_labels(records, driver, ns, name, ver, labels, 32);
			char dir[256];

			CU_ASSERT_PTR_NOT_NULL_FATAL(rel);
			snprintf(dir, sizeof(dir), "%s/rev-%ld", corpus_str(entry, "dir"), ver);
			for (int v = 0; v < 2; v++) {
				static const char *const files[] = { "manifest.yaml", "hooks.yaml", "notes.txt",
					"metadata.json" };
				for (int f = 0; f < 4; f++) {
					char *want = corpus_golden(corpus_versions[v], dir, files[f]), what[300];
					hr_buf got = HR_BUF_INIT;
					hr_error err = HR_ERROR_INIT;
					int rc = -100;

					if (!want)
						continue;
					switch (f) {
					case 0: rc = hr_render_get_manifest(&got, rel, &err); break;
					case 1: rc = hr_render_get_hooks(&got, rel, &err); break;
					case 2: rc = hr_render_get_notes(&got, rel, &err); break;
					case 3:
						rc = hr_render_get_metadata(&got, rel, labels, nl, 0, corpus_majors[v],
									    "json", &err);
						break;
					}
					CU_ASSERT_EQUAL(rc, 0);
					snprintf(what, sizeof(what), "%s %s %s", corpus_versions[v], dir, files[f]);
					CU_ASSERT(corpus_same(what, hr_buf_cstr(&got), want));
					checked++;
					free(want);
					hr_buf_free(&got);
				}
			}
			json_object_put(rel);
		}
	}
	/* 30 revision dirs x 4 files x 2 versions */
	CU_ASSERT(checked >= 200);
	json_object_put(index);
	json_object_put(records);
}

/* The table form carries the same facts as the golden JSON. */
static void test_metadata_table(void)
{
	struct json_object *rel = corpus_release("secret", "labels", "api", 2);
	struct json_object *records = tu_load_json(CORPUS "/records.json");
	hr_label labels[32];
	size_t nl = record_labels(records, "secret", "labels", "api", 2, labels, 32);
	hr_buf got = HR_BUF_INIT;

	CU_ASSERT_EQUAL(hr_render_get_metadata(&got, rel, labels, nl, 0, 4, NULL, NULL), 0);
	CU_ASSERT_STRING_EQUAL(hr_buf_cstr(&got),
			       "NAME: api\nCHART: webapp\nVERSION: 0.1.0\nAPP_VERSION: 1.16.0\nANNOTATIONS: \n"
			       "LABELS: release-train=r28,team=payments,tier=backend\nDEPENDENCIES: \n"
			       "NAMESPACE: labels\nREVISION: 2\nSTATUS: deployed\n"
			       "DEPLOYED_AT: 2026-11-23T23:54:34Z\nAPPLY_METHOD: server-side apply\n");
	/* without --revision helm 4 lists by label query: system labels shown too */
	hr_buf_clear(&got);
	CU_ASSERT_EQUAL(hr_render_get_metadata(&got, rel, labels, nl, 1, 4, "json", NULL), 0);
	CU_ASSERT(strstr(hr_buf_cstr(&got), "\"labels\":{\"modifiedAt\":\"") != NULL);
	CU_ASSERT(strstr(hr_buf_cstr(&got), "\"owner\":\"helm\",\"release-train\":\"r28\",\"status\":\"deployed\",\"team\":\"payments\",\"tier\":\"backend\",\"version\":\"2\"}") != NULL);
	/* helm 3: no LABELS, no APPLY_METHOD */
	hr_buf_clear(&got);
	CU_ASSERT_EQUAL(hr_render_get_metadata(&got, rel, labels, nl, 1, 3, "table", NULL), 0);
	CU_ASSERT(strstr(hr_buf_cstr(&got), "LABELS") == NULL);
	CU_ASSERT(strstr(hr_buf_cstr(&got), "APPLY_METHOD") == NULL);
	CU_ASSERT(strstr(hr_buf_cstr(&got), "\nDEPLOYED_AT: 2026-11-23T23:54:34Z\n") != NULL);
	json_object_put(rel);

	/* dependencies sorted by name; apply method absent = defaulted */
	rel = corpus_release("secret", "platform", "plat", 1);
	hr_buf_clear(&got);
	CU_ASSERT_EQUAL(hr_render_get_metadata(&got, rel, NULL, 0, 0, 4, "table", NULL), 0);
	CU_ASSERT(strstr(hr_buf_cstr(&got), "\nDEPENDENCIES: cachelet\n") != NULL);
	CU_ASSERT(strstr(hr_buf_cstr(&got), "\nAPPLY_METHOD: client-side apply (defaulted)\n") != NULL);
	json_object_object_add(rel, "apply_method", json_object_new_string("x\"y"));
	hr_buf_clear(&got);
	CU_ASSERT_EQUAL(hr_render_get_metadata(&got, rel, NULL, 0, 0, 4, "table", NULL), 0);
	CU_ASSERT(strstr(hr_buf_cstr(&got), "\nAPPLY_METHOD: unknown (\"x\\\"y\")\n") != NULL);
	json_object_put(rel);
	json_object_put(records);
	hr_buf_free(&got);
}

/* Hostile shapes: no chart, wrong types, no hooks — errors or empty output, no crash. */
static void test_hostile(void)
{
	struct json_object *rel = json_tokener_parse("{\"name\":\"x\",\"hooks\":[1,{\"path\":5}],\"info\":[],\"manifest\":7}");
	hr_buf got = HR_BUF_INIT;
	hr_error err = HR_ERROR_INIT;

	CU_ASSERT_EQUAL(hr_render_get_metadata(&got, rel, NULL, 0, 0, 4, "json", &err), HR_EFORMAT);
	CU_ASSERT_STRING_EQUAL(err.msg, "release x has no chart metadata");
	hr_buf_clear(&got);
	CU_ASSERT_EQUAL(hr_render_get_manifest(&got, rel, &err), 0);
	CU_ASSERT_STRING_EQUAL(hr_buf_cstr(&got), "\n");
	hr_buf_clear(&got);
	CU_ASSERT_EQUAL(hr_render_get_hooks(&got, rel, &err), 0);
	CU_ASSERT_STRING_EQUAL(hr_buf_cstr(&got), "---\n# Source: \n\n---\n# Source: \n\n");
	hr_buf_clear(&got);
	CU_ASSERT_EQUAL(hr_render_get_notes(&got, rel, &err), 0);
	CU_ASSERT_STRING_EQUAL(hr_buf_cstr(&got), "");
	json_object_put(rel);
	hr_buf_free(&got);
}

HR_TEST_MAIN("render_get", { "corpus goldens", test_goldens }, { "metadata table", test_metadata_table },
	     { "hostile input", test_hostile })
