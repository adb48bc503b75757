/*
 * test_export.c — the export library on the real corpus: an unchanged
 * release keeps helm's payload bytes (checked against the sha256 helm's
 * payloads have in records.tsv), a moved one decodes to the original body
 * with only name/namespace changed, labels follow Helm's rules, pruning is
 * Helm's removeLeastRecent, and every output format parses back.
 */
#include "testutil.h"
#include "export/export.h"
#include "codec/record_write.h"
#include "codec/codec.h"
#include "codec/gojson.h"
#include "index/index.h"
#include "scan/scan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

#define DUMP "testdata/corpus/dumps/all-secrets-configmaps.yaml"

static hr_index *corpus_index(void)
{
	static const char *const inputs[] = { DUMP, "testdata/corpus/sql/helm-sql-full.sql" };
	hr_error err = HR_ERROR_INIT;
	hr_scan_opts so;
	hr_scan_summary sum;
	hr_index *idx = NULL;

	memset(&so, 0, sizeof(so));
	CU_ASSERT_FATAL(hr_index_open(&idx, NULL, HR_INDEX_CREATE, &err) == 0);
	CU_ASSERT_FATAL(hr_scan(idx, inputs, 2, &so, &sum, &err) == 0);
	CU_ASSERT_FATAL(sum.records >= 30);
	return idx;
}

/* payload_sha256 of (namespace, object) in records.tsv, or NULL. */
static const char *expected_sha(const char *ns, const char *object)
{
	static char line[4096];
	FILE *f = fopen("testdata/corpus/records.tsv", "r");
	const char *found = NULL;

	if (!f)
		return NULL;
	while (!found && fgets(line, sizeof(line), f)) {
		char *fields[10];
		size_t nf = 0;

		for (char *p = strtok(line, "\t\n"); p && nf < 10; p = strtok(NULL, "\t\n"))
			fields[nf++] = p;
		if (nf >= 8 && !strcmp(fields[1], ns) && !strcmp(fields[2], object))
			found = fields[7];
	}
	fclose(f);
	return found;
}

static void test_prune_like_helm(void)
{
	/* Scenario E of the corpus: --history-max 3 over six revisions left v4..v6. */
	int64_t v[] = { 1, 2, 3, 4, 5, 6 };
	const char *s[] = { "superseded", "superseded", "superseded", "superseded", "superseded", "deployed" };
	unsigned char keep[6];

	CU_ASSERT_EQUAL(hr_export_prune(v, s, 6, 3, keep), 3);
	CU_ASSERT(!keep[0] && !keep[1] && !keep[2] && keep[3] && keep[4] && keep[5]);
	/* The deployed revision is never dropped, even when it is the oldest. */
	{
		const char *s2[] = { "deployed", "failed", "failed", "failed", "failed", "failed" };
		CU_ASSERT_EQUAL(hr_export_prune(v, s2, 6, 2, keep), 2);
		CU_ASSERT(keep[0] && !keep[1] && !keep[2] && !keep[3] && !keep[4] && keep[5]);
	}
	/* Several "deployed" (concurrent runs): Helm's Deployed() is the highest. */
	{
		const char *s3[] = { "deployed", "superseded", "deployed", "superseded", "failed", "failed" };
		CU_ASSERT_EQUAL(hr_export_prune(v, s3, 6, 1, keep), 1);
		CU_ASSERT(!keep[0] && !keep[1] && keep[2] && !keep[3] && !keep[4] && !keep[5]);
	}
	CU_ASSERT_EQUAL(hr_export_prune(v, s, 6, 0, keep), 6);
	CU_ASSERT_EQUAL(hr_export_prune(v, s, 6, 10, keep), 6);
}

static void test_maps_and_names(void)
{
	hr_export_map m = HR_EXPORT_MAP_INIT;
	hr_error err = HR_ERROR_INIT;

	CU_ASSERT(hr_export_parse_map(&m, "shop=prod,cm=cm2", HR_EXPORT_MAP_NAMESPACE, &err) == 0);
	CU_ASSERT(hr_export_parse_map(&m, "x=y", HR_EXPORT_MAP_NAMESPACE, &err) == 0);
	CU_ASSERT_EQUAL(m.n, 3);
	CU_ASSERT_STRING_EQUAL(hr_export_map_lookup(&m, "shop"), "prod");
	CU_ASSERT_STRING_EQUAL(hr_export_map_lookup(&m, "other"), "other");
	CU_ASSERT_EQUAL(hr_export_parse_map(&m, "shop=again", HR_EXPORT_MAP_NAMESPACE, &err), HR_EINVAL);
	CU_ASSERT(strstr(err.msg, "mapped twice") != NULL);
	CU_ASSERT_EQUAL(hr_export_parse_map(&m, "a=Bad", HR_EXPORT_MAP_NAMESPACE, &err), HR_EINVAL);
	CU_ASSERT_EQUAL(hr_export_parse_map(&m, "noequals", HR_EXPORT_MAP_NAMESPACE, &err), HR_EINVAL);
	CU_ASSERT_EQUAL(hr_export_parse_map(&m, "=b", HR_EXPORT_MAP_NAMESPACE, &err), HR_EINVAL);
	CU_ASSERT_EQUAL(hr_export_parse_map(&m, "", HR_EXPORT_MAP_NAMESPACE, &err), HR_EINVAL);
	/* Dots are fine in release names, not in namespaces. */
	CU_ASSERT_EQUAL(hr_export_parse_map(&m, "q=a.b", HR_EXPORT_MAP_NAMESPACE, &err), HR_EINVAL);
	hr_export_map_free(&m);
	CU_ASSERT(hr_export_parse_map(&m, "web=api.v2", HR_EXPORT_MAP_RELEASE, &err) == 0);
	hr_export_map_free(&m);
	CU_ASSERT(hr_export_valid_release_name("web"));
	CU_ASSERT(hr_export_valid_release_name("a.b-c"));
	CU_ASSERT(!hr_export_valid_release_name("-web"));
	CU_ASSERT(!hr_export_valid_release_name("web."));
	CU_ASSERT(!hr_export_valid_release_name("a..b"));
	CU_ASSERT(!hr_export_valid_release_name("Web"));
	CU_ASSERT(hr_export_valid_release_name("a2345678901234567890123456789012345678901234567890123"));
	CU_ASSERT(!hr_export_valid_release_name("a23456789012345678901234567890123456789012345678901234"));
	CU_ASSERT(!hr_export_valid_namespace(""));
	CU_ASSERT(hr_export_valid_namespace("kube-system"));
}

static void test_labels(void)
{
	struct json_object *orig = json_tokener_parse(
		"{\"status\":\"deployed\",\"velero.io/restore-name\":\"r1\",\"team\":\"payments\",\"name\":\"api\","
		"\"modifiedAt\":\"1795478076\",\"owner\":\"helm\",\"version\":\"2\",\"velero.io/backup-name\":\"b\"}");
	struct json_object *l = hr_record_write_labels(orig, "api2", "superseded", 2, HR_RECORD_STAMP_KEEP, 99);
	const char *want = "{\"modifiedAt\":\"1795478076\",\"name\":\"api2\",\"owner\":\"helm\",\"status\":\"superseded\","
			   "\"team\":\"payments\",\"version\":\"2\"}";
	hr_buf b = HR_BUF_INIT;

	CU_ASSERT_FATAL(l != NULL);
	hr_gojson_write(&b, l, 0);
	CU_ASSERT_STRING_EQUAL(hr_buf_cstr(&b), want);
	json_object_put(l);
	/* No timestamp label at all: createdAt as Helm's Create writes it. */
	hr_buf_clear(&b);
	l = hr_record_write_labels(NULL, "web", "deployed", 7, HR_RECORD_STAMP_KEEP, 1795478000);
	hr_gojson_write(&b, l, 0);
	CU_ASSERT_STRING_EQUAL(hr_buf_cstr(&b), "{\"createdAt\":\"1795478000\",\"name\":\"web\",\"owner\":\"helm\","
			       "\"status\":\"deployed\",\"version\":\"7\"}");
	json_object_put(l);
	json_object_put(orig);
	hr_buf_free(&b);
}

static void test_unchanged_keeps_helm_bytes(void)
{
	hr_buf pl = HR_BUF_INIT, js = HR_BUF_INIT;
	hr_index *idx = corpus_index();
	hr_export_opts o;
	hr_export_sel sel = { 0 };
	hr_export_set set = HR_EXPORT_SET_INIT;
	hr_error err = HR_ERROR_INIT;
	hr_buf key = HR_BUF_INIT;
	size_t checked = 0;

	memset(&o, 0, sizeof(o));
	CU_ASSERT_FATAL(hr_export_collect(&set, idx, &sel, &o, &err) == 0);
	CU_ASSERT(set.n >= 30);
	CU_ASSERT_EQUAL(set.reencoded, 0);
	for (size_t i = 0; i < set.n; i++) {
		const hr_export_item *it = &set.items[i];
		char sha[65];
		const char *want;

		hr_buf_clear(&key);
		hr_record_write_key(&key, it->name, it->version);
		want = expected_sha(it->namespace, key.ptr);
		CU_ASSERT_PTR_NOT_NULL(want);
		if (!want)
			continue;
		CU_ASSERT_FATAL(hr_export_materialize(&set, it, &o, 0, &pl, &js, &err) == 0);
		hr_sha256_hex(pl.ptr, pl.len, sha);
		CU_ASSERT_STRING_EQUAL(sha, want);
		CU_ASSERT_FALSE(it->changed);
		checked++;
	}
	CU_ASSERT_EQUAL(checked, set.n);
	hr_buf_free(&pl);
	hr_buf_free(&js);
	hr_buf_free(&key);
	hr_export_set_free(&set);
	hr_index_close(idx);
}

/* Every key but name/namespace equal; those two equal to ns/name. */
static void assert_moved_body(const char *orig, size_t olen, const char *moved, size_t mlen,
			      const char *ns, const char *name)
{
	struct json_object *a = NULL, *b = NULL;
	hr_error err = HR_ERROR_INIT;

	CU_ASSERT_FATAL(hr_gojson_parse(&a, orig, olen, &err) == 0);
	CU_ASSERT_FATAL(hr_gojson_parse(&b, moved, mlen, &err) == 0);
	CU_ASSERT_STRING_EQUAL(json_object_get_string(json_object_object_get(b, "namespace")), ns);
	CU_ASSERT_STRING_EQUAL(json_object_get_string(json_object_object_get(b, "name")), name);
	CU_ASSERT_EQUAL(json_object_object_length(a), json_object_object_length(b));
	{
		json_object_object_foreach(a, k, v) {
			if (!strcmp(k, "name") || !strcmp(k, "namespace"))
				continue;
			CU_ASSERT(json_object_equal(v, json_object_object_get(b, k)));
		}
	}
	/* Same key order as helm wrote. */
	{
		struct json_object_iterator ia = json_object_iter_begin(a), ib = json_object_iter_begin(b);
		struct json_object_iterator ea = json_object_iter_end(a);
		while (!json_object_iter_equal(&ia, &ea)) {
			CU_ASSERT_STRING_EQUAL(json_object_iter_peek_name(&ia), json_object_iter_peek_name(&ib));
			json_object_iter_next(&ia);
			json_object_iter_next(&ib);
		}
	}
	json_object_put(a);
	json_object_put(b);
}

static void test_moved_reencodes(void)
{
	hr_buf pl = HR_BUF_INIT, js = HR_BUF_INIT;
	hr_index *idx = corpus_index();
	hr_export_map nsmap = HR_EXPORT_MAP_INIT, rename = HR_EXPORT_MAP_INIT;
	hr_export_opts o;
	const char *names[] = { "web" };
	hr_export_sel sel = { "shop", names, NULL, 1 };
	hr_export_set set = HR_EXPORT_SET_INIT;
	hr_error err = HR_ERROR_INIT;
	hr_rev_summary *rows = NULL;
	size_t n = 0;

	memset(&o, 0, sizeof(o));
	CU_ASSERT_FATAL(hr_export_parse_map(&nsmap, "shop=prod", HR_EXPORT_MAP_NAMESPACE, &err) == 0);
	CU_ASSERT_FATAL(hr_export_parse_map(&rename, "web=site", HR_EXPORT_MAP_RELEASE, &err) == 0);
	o.ns_map = &nsmap;
	o.rename = &rename;
	CU_ASSERT_FATAL(hr_export_collect(&set, idx, &sel, &o, &err) == 0);
	CU_ASSERT_FATAL(hr_index_history(idx, "shop", "web", 0, &rows, &n, &err) == 0);
	CU_ASSERT_EQUAL_FATAL(set.n, n);
	CU_ASSERT_EQUAL(set.n, 6);
	CU_ASSERT_EQUAL(set.reencoded, 6);
	for (size_t i = 0; i < set.n; i++) {
		const hr_export_item *it = &set.items[i];
		hr_decoded dec = HR_DECODED_INIT;
		hr_buf orig = HR_BUF_INIT;

		CU_ASSERT_STRING_EQUAL(it->namespace, "prod");
		CU_ASSERT_STRING_EQUAL(it->name, "site");
		CU_ASSERT_STRING_EQUAL(it->src_namespace, "shop");
		CU_ASSERT(it->changed);
		CU_ASSERT_STRING_EQUAL(json_object_get_string(json_object_object_get(it->labels, "name")), "site");
		/* The payload is Helm-encoded (Go gzip header) and decodes to the JSON. */
		CU_ASSERT_FATAL(hr_export_materialize(&set, it, &o, 1, &pl, &js, &err) == 0);
		CU_ASSERT(pl.len > 12 && !memcmp(pl.ptr, "H4sIAAAAAAAC/", 13));
		CU_ASSERT_FATAL(hr_codec_decode(&dec, pl.ptr, pl.len, HR_PAYLOAD_HELM, 0, &err) == 0);
		CU_ASSERT(dec.body.len == js.len && !memcmp(dec.body.ptr, js.ptr, js.len));
		CU_ASSERT_FATAL(hr_index_body(idx, rows[i].id, &orig, &err) == 0);
		assert_moved_body(orig.ptr, orig.len, js.ptr, js.len, "prod", "site");
		/* Only the two values differ in the bytes, too. */
		CU_ASSERT_EQUAL(js.len, orig.len + strlen("prod") - strlen("shop") + strlen("site") - strlen("web"));
		hr_decoded_free(&dec);
		hr_buf_free(&orig);
		hr_buf_free(&pl);
		hr_buf_free(&js);
	}
	hr_rev_summaries_free(rows, n);
	hr_export_set_free(&set);

	/* Two releases landing on one name is refused. */
	hr_export_map_free(&nsmap);
	CU_ASSERT_FATAL(hr_export_parse_map(&nsmap, "shop=staging", HR_EXPORT_MAP_NAMESPACE, &err) == 0);
	o.rename = NULL;
	sel.ns = NULL;
	sel.names = NULL;
	sel.n = 0;
	CU_ASSERT_EQUAL(hr_export_collect(&set, idx, &sel, &o, &err), HR_ECONFLICT);
	CU_ASSERT(strstr(err.msg, "staging/web") != NULL);
	CU_ASSERT_EQUAL(set.n, 0);
	/* A release that is not there. */
	{
		const char *nope[] = { "nope" };
		hr_export_sel s2 = { NULL, nope, NULL, 1 };
		CU_ASSERT_EQUAL(hr_export_collect(&set, idx, &s2, &o, &err), HR_ENOTFOUND);
	}
	hr_export_map_free(&nsmap);
	hr_export_map_free(&rename);
	hr_index_close(idx);
}

static void test_filters(void)
{
	hr_index *idx = corpus_index();
	hr_export_opts o;
	const char *names[] = { "web" };
	const char *st[] = { "superseded", "deployed" };
	hr_export_sel sel = { "shop", names, NULL, 1 };
	hr_export_set set = HR_EXPORT_SET_INIT;
	hr_error err = HR_ERROR_INIT;

	memset(&o, 0, sizeof(o));
	o.history_max = 2;
	CU_ASSERT_FATAL(hr_export_collect(&set, idx, &sel, &o, &err) == 0);
	CU_ASSERT_EQUAL(set.n, 2);
	CU_ASSERT_EQUAL(set.pruned, 4);
	CU_ASSERT(set.n == 2 && set.items[0].version == 5 && set.items[1].version == 6);
	hr_export_set_free(&set);
	o.history_max = 0;
	o.statuses = st;
	o.nstatuses = 2;
	CU_ASSERT_FATAL(hr_export_collect(&set, idx, &sel, &o, &err) == 0);
	CU_ASSERT_EQUAL(set.n, 5);  /* v4 failed is left out */
	CU_ASSERT_EQUAL(set.filtered, 1);
	for (size_t i = 0; i < set.n; i++)
		CU_ASSERT(set.items[i].version != 4);
	hr_export_set_free(&set);
	hr_index_close(idx);
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

static void test_render_formats(void)
{
	hr_buf pl = HR_BUF_INIT, js = HR_BUF_INIT;
	hr_index *idx = corpus_index();
	hr_export_opts o;
	hr_export_sel sel = { 0 };
	hr_export_set set = HR_EXPORT_SET_INIT;
	hr_error err = HR_ERROR_INIT;
	hr_buf out = HR_BUF_INIT;
	struct json_object *doc = NULL, *items;

	memset(&o, 0, sizeof(o));
	CU_ASSERT_FATAL(hr_export_collect(&set, idx, &sel, &o, &err) == 0);

	/* JSON List of Secrets: parses, one item per revision, only create-time metadata. */
	o.driver = HR_DRIVER_SECRET;
	o.format = HR_EXPORT_JSON;
	CU_ASSERT_FATAL(hr_export_render(&out, &set, &o, &err) == 0);
	CU_ASSERT_FATAL(hr_gojson_parse(&doc, out.ptr, out.len, &err) == 0);
	CU_ASSERT_FATAL(json_object_object_get_ex(doc, "items", &items));
	CU_ASSERT_EQUAL(json_object_array_length(items), set.n);
	for (size_t i = 0; i < set.n; i++) {
		struct json_object *obj = json_object_array_get_idx(items, i), *md = json_object_object_get(obj, "metadata");
		hr_buf helm = HR_BUF_INIT;
		const char *rel = json_object_get_string(json_object_object_get(json_object_object_get(obj, "data"), "release"));

		CU_ASSERT_EQUAL(json_object_object_length(md), 3);  /* name, namespace, labels */
		CU_ASSERT_STRING_EQUAL(json_object_get_string(json_object_object_get(obj, "type")), "helm.sh/release.v1");
		CU_ASSERT_FATAL(hr_base64_decode(&helm, rel, strlen(rel), &err) == 0);
		CU_ASSERT_FATAL(hr_export_materialize(&set, &set.items[i], &o, 0, &pl, &js, &err) == 0);
		CU_ASSERT(helm.len == pl.len && !memcmp(helm.ptr, pl.ptr, helm.len));
		hr_buf_free(&helm);
		hr_buf_free(&pl);
		hr_buf_free(&js);
	}
	json_object_put(doc);

	/* YAML stream of ConfigMaps: libyaml reads one document per revision. */
	hr_buf_clear(&out);
	o.driver = HR_DRIVER_CONFIGMAP;
	o.format = HR_EXPORT_YAML;
	CU_ASSERT_FATAL(hr_export_render(&out, &set, &o, &err) == 0);
	{
		yaml_parser_t p;
		yaml_event_t ev;
		size_t docs = 0;
		int ok = 1;

		yaml_parser_initialize(&p);
		yaml_parser_set_input_string(&p, (const unsigned char *)out.ptr, out.len);
		while (ok) {
			if (!yaml_parser_parse(&p, &ev)) {
				ok = 0;
				break;
			}
			if (ev.type == YAML_DOCUMENT_START_EVENT)
				docs++;
			if (ev.type == YAML_STREAM_END_EVENT) {
				yaml_event_delete(&ev);
				break;
			}
			yaml_event_delete(&ev);
		}
		yaml_parser_delete(&p);
		CU_ASSERT(ok);
		CU_ASSERT_EQUAL(docs, set.n);
		CU_ASSERT_EQUAL(count(out.ptr, "\nkind: ConfigMap\n"), set.n);
		CU_ASSERT_EQUAL(count(out.ptr, "type: helm.sh/release.v1"), 0);
	}

	/* Memory: a JSON array of the bodies, in order. */
	hr_buf_clear(&out);
	o.driver = HR_DRIVER_MEMORY;
	CU_ASSERT_FATAL(hr_export_render(&out, &set, &o, &err) == 0);
	CU_ASSERT_FATAL(hr_gojson_parse(&doc, out.ptr, out.len, &err) == 0);
	CU_ASSERT_EQUAL_FATAL(json_object_array_length(doc), set.n);
	for (size_t i = 0; i < set.n; i++) {
		struct json_object *b = NULL;
		CU_ASSERT_FATAL(hr_export_materialize(&set, &set.items[i], &o, 1, &pl, &js, &err) == 0);
		CU_ASSERT_FATAL(hr_gojson_parse(&b, js.ptr, js.len, &err) == 0);
		CU_ASSERT(json_object_equal(b, json_object_array_get_idx(doc, i)));
		json_object_put(b);
	}
	json_object_put(doc);

	/* SQL: one releases_v1 row per revision; custom labels of labels/api (2 in v1, 3 in v2). */
	hr_buf_clear(&out);
	o.driver = HR_DRIVER_SQL;
	CU_ASSERT_FATAL(hr_export_render(&out, &set, &o, &err) == 0);
	CU_ASSERT_EQUAL(count(out.ptr, "INSERT INTO releases_v1 "), set.n);
	CU_ASSERT(count(out.ptr, "INSERT INTO custom_labels_v1 ") >= 5);
	CU_ASSERT(count(out.ptr, "'sh.helm.release.v1.api.v2', 'labels', 'team', 'payments');") == 1);
	CU_ASSERT(strstr(out.ptr, "BEGIN;\n") && strstr(out.ptr, "COMMIT;\n"));
	hr_buf_free(&out);
	hr_buf_free(&pl);
	hr_buf_free(&js);
	hr_export_set_free(&set);
	hr_index_close(idx);
}

static void test_memory_escapes_yaml_unsafe(void)
{
	/* DEL, a C1 control, NEL (allowed), U+FFFE inside a string. */
	static const char body[] = "{\"name\":\"a\x7f" "b\xc2\x80" "c\xc2\x85" "d\xef\xbf\xbe\"}";
	hr_buf out = HR_BUF_INIT;
	hr_error err = HR_ERROR_INIT;
	struct json_object *doc = NULL;

	CU_ASSERT_FATAL(hr_buf_putc(&out, '[') == 0);
	CU_ASSERT_FATAL(hr_export_memory_json(&out, body, sizeof(body) - 1) == 0);
	CU_ASSERT_FATAL(hr_buf_puts(&out, "]\n") == 0);
	CU_ASSERT_STRING_EQUAL(out.ptr, "[{\"name\":\"a\\u007fb\\u0080c\xc2\x85" "d\\ufffe\"}]\n");
	CU_ASSERT_FATAL(hr_gojson_parse(&doc, out.ptr, out.len, &err) == 0);
	CU_ASSERT_STRING_EQUAL(json_object_get_string(json_object_object_get(json_object_array_get_idx(doc, 0), "name")),
			       "a\x7f" "b\xc2\x80" "c\xc2\x85" "d\xef\xbf\xbe");
	json_object_put(doc);
	hr_buf_free(&out);
}

static void test_manifest_namespaces(void)
{
	static const char m[] =
		"---\n# Source: a/templates/sa.yaml\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n"
		"  name: a\n  namespace: shop\n  labels:\n    namespace: shop\n"
		"---\n# Source: a/templates/rb.yaml\nkind: RoleBinding\nmetadata:\n  name: rb\n"
		"  namespace: \"shop\" # pinned\nsubjects:\n- kind: ServiceAccount\n  namespace: shop\n"
		"---\n# Source: a/templates/cm.yaml\nkind: ConfigMap\nmetadata:\n    name: c\n    namespace: shopping\n"
		"data:\n  namespace: shop\n"
		"---\nkind: Secret\nmetadata:\n    namespace: 'shop'\n    name: s";
	static const char want[] =
		"---\n# Source: a/templates/sa.yaml\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n"
		"  name: a\n  namespace: prod\n  labels:\n    namespace: shop\n"
		"---\n# Source: a/templates/rb.yaml\nkind: RoleBinding\nmetadata:\n  name: rb\n"
		"  namespace: \"prod\" # pinned\nsubjects:\n- kind: ServiceAccount\n  namespace: shop\n"
		"---\n# Source: a/templates/cm.yaml\nkind: ConfigMap\nmetadata:\n    name: c\n    namespace: shopping\n"
		"data:\n  namespace: shop\n"
		"---\nkind: Secret\nmetadata:\n    namespace: 'prod'\n    name: s";
	hr_buf out = HR_BUF_INIT;
	size_t n = 99;

	CU_ASSERT(hr_export_manifest_ns(NULL, m, "shop", "prod", &n) == 0);
	CU_ASSERT_EQUAL(n, 3);
	CU_ASSERT(hr_export_manifest_ns(&out, m, "shop", "prod", &n) == 0);
	CU_ASSERT_EQUAL(n, 3);
	CU_ASSERT_STRING_EQUAL(hr_buf_cstr(&out), want);
	hr_buf_clear(&out);
	/* Nothing to do: the text comes back unchanged. */
	CU_ASSERT(hr_export_manifest_ns(&out, m, "elsewhere", "prod", &n) == 0);
	CU_ASSERT_EQUAL(n, 0);
	CU_ASSERT_STRING_EQUAL(hr_buf_cstr(&out), m);
	hr_buf_free(&out);
}

static void test_write_file_atomic(void)
{
	const char *dir = tu_tmpdir();
	hr_buf path = HR_BUF_INIT, got = HR_BUF_INIT, cmd = HR_BUF_INIT;
	hr_error err = HR_ERROR_INIT;
	struct stat sb;

	hr_buf_printf(&path, "%s/out.yaml", dir);
	CU_ASSERT_FATAL(hr_file_write_atomic(path.ptr, "old\n", 4, &err) == 0);
	CU_ASSERT_FATAL(hr_file_write_atomic(path.ptr, "new\n", 4, &err) == 0);
	CU_ASSERT(tu_read_file(&got, path.ptr) == 0 && !strcmp(hr_buf_cstr(&got), "new\n"));
	CU_ASSERT(stat(path.ptr, &sb) == 0 && (sb.st_mode & 0777) == 0600);
	hr_buf_printf(&cmd, "ls -A %s | wc -l", dir);
	hr_buf_clear(&got);
	CU_ASSERT(tu_run(&got, cmd.ptr) == 0 && atoi(got.ptr) == 1);  /* no temporary left */
	hr_buf_clear(&path);
	hr_buf_printf(&path, "%s/missing-dir/out.yaml", dir);
	CU_ASSERT_EQUAL(hr_file_write_atomic(path.ptr, "x", 1, &err), HR_EIO);
	CU_ASSERT(strstr(err.msg, "missing-dir") != NULL);
	hr_buf_free(&path);
	hr_buf_free(&got);
	hr_buf_free(&cmd);
}

HR_TEST_MAIN("export",
	{ "prune like helm", test_prune_like_helm },
	{ "maps and names", test_maps_and_names },
	{ "labels", test_labels },
	{ "unchanged keeps helm bytes", test_unchanged_keeps_helm_bytes },
	{ "moved re-encodes", test_moved_reencodes },
	{ "filters", test_filters },
	{ "render formats", test_render_formats },
	{ "memory escapes yaml-unsafe", test_memory_escapes_yaml_unsafe },
	{ "manifest namespaces", test_manifest_namespaces },
	{ "write file atomic", test_write_file_atomic })
