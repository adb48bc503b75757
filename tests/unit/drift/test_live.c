/*
 * test_live.c — live objects of a backup: the scan's decode (identity,
 * Helm ownership, managedFields resolved to JSON pointers), the index's
 * live_object rows (one per resourceVersion, body round trip, pruning of
 * candidates nobody owns).  The drift rules are exercised end to end by
 * tests/cli/test_drift.sh.
 */
#include "scan/decode.h"
#include "index/live.h"
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

static const char deployment[] =
	"{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"web\",\"namespace\":\"shop\","
	"\"uid\":\"u1\",\"resourceVersion\":\"42\",\"creationTimestamp\":\"2026-01-01T00:00:00Z\","
	"\"annotations\":{\"meta.helm.sh/release-name\":\"web\",\"meta.helm.sh/release-namespace\":\"shop\"},"
	"\"managedFields\":["
	"{\"manager\":\"helm\",\"operation\":\"Update\",\"time\":\"2026-01-01T00:00:00Z\",\"fieldsType\":\"FieldsV1\","
	"\"fieldsV1\":{\"f:metadata\":{\"f:annotations\":{\".\":{},\"f:meta.helm.sh/release-name\":{}}},"
	"\"f:spec\":{\"f:template\":{\"f:spec\":{\"f:containers\":{\"k:{\\\"name\\\":\\\"side\\\"}\":{\".\":{},"
	"\"f:name\":{}}}}}}}},"
	"{\"manager\":\"kubectl-set\",\"operation\":\"Update\",\"time\":\"2026-01-02T00:00:00Z\","
	"\"fieldsV1\":{\"f:spec\":{\"f:template\":{\"f:spec\":{\"f:containers\":{\"k:{\\\"name\\\":\\\"side\\\"}\":"
	"{\"f:image\":{}}}}}}}},"
	"{\"manager\":\"horizontal-pod-autoscaler\",\"subresource\":\"scale\",\"fieldsV1\":{\"f:spec\":{\"f:replicas\":{}}}}]},"
	"\"spec\":{\"replicas\":5,\"template\":{\"spec\":{\"containers\":[{\"name\":\"app\",\"image\":\"a\"},"
	"{\"name\":\"side\",\"image\":\"b\"}]}}}}";

static void decode(hr_live_object *o, const char *json)
{
	hr_record *rec = NULL;
	hr_error err = HR_ERROR_INIT;

	CU_ASSERT_EQUAL_FATAL(hr_record_new(&rec), 0);
	rec->is_object = 1;
	CU_ASSERT_EQUAL_FATAL(hr_record_set_payload(rec, json, strlen(json)), 0);
	CU_ASSERT_EQUAL_FATAL(hr_scan_decode_live(rec, o, &err), 0);
	hr_record_free(rec);
}

static void test_decode(void)
{
	hr_live_object o;

	decode(&o, deployment);
	CU_ASSERT_STRING_EQUAL(o.api_version, "apps/v1");
	CU_ASSERT_STRING_EQUAL(o.kind, "Deployment");
	CU_ASSERT_STRING_EQUAL(o.namespace, "shop");
	CU_ASSERT_STRING_EQUAL(o.resource_version, "42");
	CU_ASSERT_STRING_EQUAL(o.release_name, "web");
	CU_ASSERT_STRING_EQUAL(o.release_namespace, "shop");
	CU_ASSERT_STRING_EQUAL(o.observed, "2026-01-02T00:00:00Z");
	CU_ASSERT_EQUAL_FATAL(o.nmanagers, 3);
	/* "." owns an element's presence only; k:{name} resolves to the live index; "/" escapes as ~1 */
	CU_ASSERT_STRING_EQUAL(o.managers[0].fields, "/metadata/annotations/meta.helm.sh~1release-name\n"
						     "/spec/template/spec/containers/1/name\n");
	CU_ASSERT_STRING_EQUAL(o.managers[1].fields, "/spec/template/spec/containers/1/image\n");
	CU_ASSERT_STRING_EQUAL(o.managers[2].manager, "horizontal-pod-autoscaler");
	CU_ASSERT_STRING_EQUAL(o.managers[2].subresource, "scale");
	CU_ASSERT_STRING_EQUAL(o.managers[2].fields, "/spec/replicas\n");
	CU_ASSERT(o.body.len > 10 && (unsigned char)o.body.ptr[0] == 0x1f);
	hr_live_object_clear(&o);
}

static void test_not_an_object(void)
{
	hr_record *rec = NULL;
	hr_live_object o;
	hr_error err = HR_ERROR_INIT;

	CU_ASSERT_EQUAL_FATAL(hr_record_new(&rec), 0);
	rec->is_object = 1;
	CU_ASSERT_EQUAL_FATAL(hr_record_set_payload(rec, "[1,2]", 5), 0);
	CU_ASSERT_EQUAL(hr_scan_decode_live(rec, &o, &err), HR_ESKIP);
	hr_record_free(rec);
}

static void test_index(void)
{
	hr_index *idx = NULL;
	hr_error err = HR_ERROR_INIT;
	hr_source_row src = { .path = "backup.json", .kind = "json" };
	hr_live_object o, stray;
	hr_live_row *row = NULL, *rows = NULL;
	hr_buf body = HR_BUF_INIT;
	int64_t sid, kept = -1;
	size_t n = 0;
	int already;

	CU_ASSERT_EQUAL_FATAL(hr_index_open(&idx, NULL, HR_INDEX_CREATE, &err), 0);
	CU_ASSERT_EQUAL_FATAL(hr_index_begin(idx, &err), 0);
	CU_ASSERT_EQUAL_FATAL(hr_index_source_begin(idx, &src, &sid, &already, &err), 0);
	decode(&o, deployment);
	decode(&stray, "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"x\",\"namespace\":\"n\","
		       "\"resourceVersion\":\"7\"}}");
	/* the same object twice (Velero's preferred-version copy): one row */
	CU_ASSERT_EQUAL(hr_index_live_add(idx, sid, &o, &err), 0);
	CU_ASSERT_EQUAL(hr_index_live_add(idx, sid, &o, &err), 0);
	CU_ASSERT_EQUAL(hr_index_live_add(idx, sid, &stray, &err), 0);
	CU_ASSERT_EQUAL(hr_index_live_prune(idx, &kept, &err), 0);
	CU_ASSERT_EQUAL(kept, 1);   /* the ConfigMap nobody owns or names is gone */
	CU_ASSERT_EQUAL_FATAL(hr_index_live_find(idx, "apps", "Deployment", "shop", "web", &row, &err), 1);
	CU_ASSERT_STRING_EQUAL(row->release_name, "web");
	CU_ASSERT_STRING_EQUAL(row->source, "backup.json");
	CU_ASSERT_EQUAL(row->nmanagers, 3);
	CU_ASSERT_EQUAL(hr_index_live_body(idx, row->id, &body, &err), 0);
	CU_ASSERT(body.len == strlen(deployment) && !memcmp(body.ptr, deployment, body.len));
	CU_ASSERT_EQUAL(hr_index_live_find(idx, "", "Deployment", "shop", "web", &rows, &err), 0);
	CU_ASSERT_EQUAL(hr_index_live_owned(idx, "shop", NULL, &rows, &n, &err), 0);
	CU_ASSERT_EQUAL(n, 1);
	CU_ASSERT_EQUAL(hr_index_live_has_namespace(idx, "shop", &err), 1);
	CU_ASSERT_EQUAL(hr_index_live_has_namespace(idx, "n", &err), 0);
	hr_live_rows_free(rows, n);
	hr_live_rows_free(row, 1);
	hr_buf_free(&body);
	hr_live_object_clear(&o);
	hr_live_object_clear(&stray);
	hr_index_rollback(idx);
	hr_index_close(idx);
}

HR_TEST_MAIN("live",
	     { "decode: identity, owners, managedFields as JSON pointers", test_decode },
	     { "decode: not an object", test_not_an_object },
	     { "index: one row per version, body, pruning, lookups", test_index })
