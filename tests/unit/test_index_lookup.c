/*
 * test_index_lookup.c — the lookups the commands share (index/lookup.c):
 * namespace resolution, one revision, a whole history; and the one
 * payload -> release decoder (hr_codec_release_json) on stored payloads,
 * Helm 3 and Helm 2, and on bodies that are not a release.
 */
#include "testutil.h"
#include "codec/codec.h"
#include "index/index.h"
#include "model/release.h"
#include "model/revision.h"
#include "scan/scan.h"

#include <stdlib.h>
#include <string.h>

static hr_index *corpus_index(void)
{
	static const char *const inputs[] = { "testdata/corpus/dumps/all-secrets-configmaps.yaml",
					      "testdata/corpus/helm2/dumps/helm2-dump.yaml" };
	hr_error err = HR_ERROR_INIT;
	hr_scan_opts so;
	hr_scan_summary sum;
	hr_index *idx = NULL;

	memset(&so, 0, sizeof(so));
	CU_ASSERT_FATAL(hr_index_open(&idx, NULL, HR_INDEX_CREATE, &err) == 0);
	CU_ASSERT_FATAL(hr_scan(idx, inputs, 2, &so, &sum, &err) == 0);
	return idx;
}

static void test_resolve_ns(void)
{
	hr_index *idx = corpus_index();
	hr_error err = HR_ERROR_INIT;
	char *ns = NULL;

	/* one namespace has it */
	CU_ASSERT_EQUAL(hr_index_resolve_ns(idx, "legacy", &ns, &err), 0);
	CU_ASSERT_STRING_EQUAL(ns, "migrate");
	free(ns);
	/* nobody has it: "default" (the lookups then find nothing) */
	CU_ASSERT_EQUAL(hr_index_resolve_ns(idx, "no-such-release", &ns, &err), 0);
	CU_ASSERT_STRING_EQUAL(ns, "default");
	free(ns);
	/* two have it, neither is default: the message the commands print */
	CU_ASSERT_EQUAL(hr_index_resolve_ns(idx, "web", &ns, &err), HR_ECONFLICT);
	CU_ASSERT_PTR_NULL(ns);
	CU_ASSERT_STRING_EQUAL(err.msg, "release \"web\" exists in several namespaces (shop, staging); pick one with -n");
	CU_ASSERT_EQUAL(hr_index_resolve_ns(idx, "cache", &ns, &err), HR_ECONFLICT);
	CU_ASSERT_STRING_EQUAL(err.msg, "release \"cache\" exists in several namespaces (apps, pruned, shop); pick one with -n");
	/* in default: default */
	CU_ASSERT_EQUAL(hr_index_resolve_ns(idx, "legacy-cron", &ns, &err), 0);
	CU_ASSERT_STRING_EQUAL(ns, "default");
	free(ns);
	hr_index_close(idx);
}

static void test_load_revision(void)
{
	hr_index *idx = corpus_index();
	hr_error err = HR_ERROR_INIT;
	struct json_object *rel = NULL, *labels = NULL;

	/* 0 = the highest revision */
	CU_ASSERT_EQUAL_FATAL(hr_index_load_revision(idx, "shop", "web", 0, 0, &rel, &labels, &err), 0);
	CU_ASSERT_EQUAL(hr_release_version(rel), 6);
	CU_ASSERT_STRING_EQUAL(hr_release_name(rel), "web");
	CU_ASSERT_PTR_NOT_NULL(labels);
	json_object_put(rel);
	json_object_put(labels);
	CU_ASSERT_EQUAL_FATAL(hr_index_load_revision(idx, "shop", "web", 3, 0, &rel, &labels, &err), 0);
	CU_ASSERT_EQUAL(hr_release_version(rel), 3);
	json_object_put(rel);
	json_object_put(labels);
	/* absent: helm's words, outputs NULL */
	CU_ASSERT_EQUAL(hr_index_load_revision(idx, "shop", "web", 99, 0, &rel, &labels, &err), HR_ENOTFOUND);
	CU_ASSERT_STRING_EQUAL(err.msg, "release: not found");
	CU_ASSERT_PTR_NULL(rel);
	CU_ASSERT_PTR_NULL(labels);
	CU_ASSERT_EQUAL(hr_index_load_revision(idx, "default", "web", 0, 0, &rel, &labels, &err), HR_ENOTFOUND);
	/* a Helm 2 record loads as its helm-2to3 conversion */
	CU_ASSERT_EQUAL_FATAL(hr_index_load_revision(idx, "apps", "worker", 2, 0, &rel, &labels, &err), 0);
	CU_ASSERT_STRING_EQUAL(hr_release_namespace(rel), "apps");
	CU_ASSERT_EQUAL(hr_release_version(rel), 2);
	json_object_put(rel);
	json_object_put(labels);
	hr_index_close(idx);
}

static void test_load_history(void)
{
	hr_index *idx = corpus_index();
	hr_error err = HR_ERROR_INIT;
	hr_rev_summary *rows = NULL;
	hr_revision *revs = NULL;
	size_t n = 0, nrows = 0;

	CU_ASSERT_EQUAL_FATAL(hr_index_history(idx, "shop", "web", 0, &rows, &nrows, &err), 0);
	CU_ASSERT_EQUAL_FATAL(hr_index_load_history(idx, "shop", "web", 0, &revs, &n, &err), 0);
	CU_ASSERT_EQUAL_FATAL(n, nrows);
	CU_ASSERT(n >= 2);
	for (size_t i = 0; i < n; i++) {
		hr_rev_summary s;

		/* the summary is the query's row; the tree is that row's body */
		CU_ASSERT_EQUAL(revs[i].sum.id, rows[i].id);
		CU_ASSERT_EQUAL(revs[i].sum.version, rows[i].version);
		CU_ASSERT_STRING_EQUAL(revs[i].sum.status, rows[i].status);
		CU_ASSERT_EQUAL(hr_release_version(revs[i].rel), revs[i].sum.version);
		CU_ASSERT_PTR_NOT_NULL(revs[i].labels);
		CU_ASSERT(i == 0 || revs[i - 1].sum.version < revs[i].sum.version);
		/* and reading a summary out of the tree agrees with the index's columns */
		hr_rev_summary_from_json(&s, revs[i].rel);
		CU_ASSERT_STRING_EQUAL(s.status, revs[i].sum.status);
		CU_ASSERT_STRING_EQUAL(s.chart_name, revs[i].sum.chart_name);
		CU_ASSERT_EQUAL(s.has_chart, revs[i].sum.has_chart);
	}
	hr_revisions_free(revs, n);
	hr_rev_summaries_free(rows, nrows);
	CU_ASSERT_EQUAL(hr_index_load_history(idx, "shop", "no-such-release", 0, &revs, &n, &err), HR_ENOTFOUND);
	CU_ASSERT_STRING_EQUAL(err.msg, "release: not found");
	CU_ASSERT_PTR_NULL(revs);
	CU_ASSERT_EQUAL(n, 0);
	hr_index_close(idx);
}

/* Helm-encode `json` and run it through hr_codec_release_json. */
static int release_of(const char *json, hr_decoded *dec, struct json_object **rel, hr_error *err)
{
	hr_buf helm = HR_BUF_INIT;
	int rc;

	CU_ASSERT_EQUAL_FATAL(hr_codec_encode(&helm, json, strlen(json), err), 0);
	rc = hr_codec_release_json(dec, rel, helm.ptr, helm.len, HR_PAYLOAD_HELM, 0, HR_RELEASE_FULL, err);
	hr_buf_free(&helm);
	return rc;
}

static void test_codec_release_json(void)
{
	hr_decoded dec = HR_DECODED_INIT;
	hr_error err = HR_ERROR_INIT;
	struct json_object *rel = NULL;

	CU_ASSERT_EQUAL(release_of("{\"name\":\"a\",\"version\":2}", &dec, &rel, &err), 0);
	CU_ASSERT_EQUAL(dec.layers, HR_LAYER_HELM_B64 | HR_LAYER_GZIP | HR_LAYER_JSON);
	CU_ASSERT_STRING_EQUAL(hr_release_name(rel), "a");
	json_object_put(rel);
	hr_decoded_free(&dec);

	/* not a release: the codec already refuses a body that does not start with '{' */
	CU_ASSERT_EQUAL(release_of("[1]", &dec, &rel, &err), HR_EFORMAT);
	CU_ASSERT_PTR_NULL(rel);
	hr_decoded_free(&dec);

	CU_ASSERT_NOT_EQUAL(release_of("{\"name\":", &dec, &rel, &err), 0);
	CU_ASSERT_EQUAL(strncmp(err.msg, "release JSON: ", 14), 0);
	CU_ASSERT_PTR_NULL(rel);
	hr_decoded_free(&dec);

	/* no tree wanted: the body only (JSON not checked beyond the codec's sniff) */
	CU_ASSERT_EQUAL(hr_codec_release_json(&dec, NULL, "{\"x\"", 4, HR_PAYLOAD_SNIFF, 0, 0, &err), 0);
	CU_ASSERT_EQUAL(dec.body.len, 4);
	hr_decoded_free(&dec);

	/* the cap holds */
	CU_ASSERT_EQUAL(hr_codec_release_json(&dec, &rel, "{\"name\":\"a\"}", 12, HR_PAYLOAD_SNIFF, 4, 0, &err),
			HR_ETOOBIG);
	hr_decoded_free(&dec);
}

/* A Helm 2 record as stored: PROTOBUF stays set, the body is hr_index_body's JSON. */
static void test_codec_release_json_helm2(void)
{
	hr_index *idx = corpus_index();
	hr_error err = HR_ERROR_INIT;
	hr_rev_summary *rows = NULL;
	size_t n = 0;

	CU_ASSERT_EQUAL_FATAL(hr_index_history(idx, "apps", "worker", 0, &rows, &n, &err), 0);
	CU_ASSERT_EQUAL_FATAL(n, 3);
	for (size_t i = 0; i < n; i++) {
		hr_buf payload = HR_BUF_INIT, body = HR_BUF_INIT;
		hr_decoded dec = HR_DECODED_INIT;
		struct json_object *rel = NULL;
		int is_helm = 0;

		CU_ASSERT_EQUAL_FATAL(hr_index_payload(idx, rows[i].id, &payload, &is_helm, &err), 0);
		CU_ASSERT_EQUAL_FATAL(hr_codec_release_json(&dec, &rel, payload.ptr, payload.len,
							    is_helm ? HR_PAYLOAD_HELM : HR_PAYLOAD_SNIFF, 0,
							    HR_RELEASE_SCAN, &err), 0);
		CU_ASSERT(dec.layers & HR_LAYER_PROTOBUF);
		CU_ASSERT(dec.helm.len > 0);
		CU_ASSERT_EQUAL(hr_release_version(rel), rows[i].version);
		CU_ASSERT_EQUAL_FATAL(hr_index_body(idx, rows[i].id, &body, &err), 0);
		CU_ASSERT(body.len == dec.body.len && !memcmp(body.ptr, dec.body.ptr, body.len));
		json_object_put(rel);
		hr_decoded_free(&dec);
		hr_buf_free(&payload);
		hr_buf_free(&body);
	}
	hr_rev_summaries_free(rows, n);
	hr_index_close(idx);
}

HR_TEST_MAIN("index_lookup",
	     { "resolve_ns", test_resolve_ns },
	     { "load_revision", test_load_revision },
	     { "load_history", test_load_history },
	     { "codec_release_json", test_codec_release_json },
	     { "codec_release_json_helm2", test_codec_release_json_helm2 })
