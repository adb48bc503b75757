/*
 * test_rollback.c — the records helmrec builds for "rollback to T" against
 * the records real helm wrote for the same rollbacks in the corpus:
 * shop/web v5 (helm 4.1.4, Secret, rollback to 3), cm/cfg v4 (helm 3.17.1,
 * ConfigMap, rollback to 2), migrate/legacy v4 (helm 4.1.4 rolling back to
 * a revision helm 3.17.1 wrote), sqlapp/ledger v4 (helm 4.1.4, SQL).
 *
 * Each generated record is computed only from the revisions before it and
 * must equal helm's JSON byte for byte once info.last_deployed (the clock
 * at rollback time) is set to helm's.  One later change is excluded and
 * restored in the expectation: web v5's info.status, which helm's own
 * later upgrade (v6) turned from deployed into superseded.
 */
#include "rollback/rollback.h"
#include "codec/record_write.h"
#include "codec/codec.h"
#include "codec/gojson.h"
#include "model/release.h"
#include "testcorpus.h"

#include <stdlib.h>
#include <string.h>

#define DUMP CORPUS "/dumps/all-secrets-configmaps.json"

/* A decoded corpus record parsed exactly (key order, number texts). */
static struct json_object *load_exact(const char *driver, const char *ns, const char *name, long v)
{
	char path[512];
	hr_buf b = HR_BUF_INIT;
	struct json_object *o = NULL;
	hr_error err = HR_ERROR_INIT;

	snprintf(path, sizeof(path), CORPUS "/decoded/%s/%s/sh.helm.release.v1.%s.v%ld.json", driver, ns, name, v);
	if (tu_read_file(&b, path) == 0 && hr_gojson_parse(&o, b.ptr, b.len, &err) != 0)
		o = NULL;
	hr_buf_free(&b);
	return o;
}

/* The exact release JSON bytes helm stored, from the kubectl dump (Secret/ConfigMap). */
static int dump_body(hr_buf *out, const char *ns, const char *name, long v, struct json_object **labels)
{
	struct json_object *root = json_object_from_file(DUMP), *items;
	char obj[256];
	int rc = -1;

	snprintf(obj, sizeof(obj), "sh.helm.release.v1.%s.v%ld", name, v);
	if (!root || !json_object_object_get_ex(root, "items", &items))
		goto out;
	for (size_t i = 0; i < json_object_array_length(items); i++) {
		struct json_object *it = json_object_array_get_idx(items, i);
		const char *n = hr_release_str(it, "metadata.name"), *s = hr_release_str(it, "metadata.namespace");
		const char *kind = hr_release_str(it, "kind"), *p = hr_release_str(it, "data.release");
		hr_decoded d = HR_DECODED_INIT;
		hr_error err = HR_ERROR_INIT;

		if (!n || !s || !p || strcmp(n, obj) || strcmp(s, ns))
			continue;
		if (hr_codec_decode(&d, p, strlen(p), !strcmp(kind, "Secret") ? HR_PAYLOAD_K8S_B64 : HR_PAYLOAD_HELM,
				    0, &err) == 0) {
			hr_buf_clear(out);
			hr_buf_put(out, d.body.ptr, d.body.len);
			if (labels)
				*labels = json_object_get(hr_release_get(it, "metadata.labels"));
			rc = 0;
		}
		hr_decoded_free(&d);
		break;
	}
out:
	json_object_put(root);
	return rc;
}

typedef struct case_t {
	const char *driver, *ns, *name;
	long version, target;
	int writer;
	int status_changed_later;
} case_t;

static const case_t cases[] = {
	{ "secret", "shop", "web", 5, 3, 4, 1 },
	{ "configmap", "cm", "cfg", 4, 2, 3, 0 },
	{ "secret", "migrate", "legacy", 4, 2, 4, 0 },
	{ "sql", "sqlapp", "ledger", 4, 2, 4, 0 },
};

static void check_case(const case_t *c)
{
	hr_rollback_rev revs[16];
	struct json_object *helm = load_exact(c->driver, c->ns, c->name, c->version), *info;
	hr_rollback_opts o = { 0 };
	hr_rollback_bundle b = HR_ROLLBACK_BUNDLE_INIT;
	hr_error err = HR_ERROR_INIT;
	hr_buf want = HR_BUF_INIT, raw = HR_BUF_INIT;
	size_t n = 0;

	CU_ASSERT_FATAL(helm != NULL);
	for (long v = 1; v < c->version; v++) {
		revs[n].rel = load_exact(c->driver, c->ns, c->name, v);
		revs[n].labels = NULL;
		CU_ASSERT_FATAL(revs[n].rel != NULL);
		n++;
	}
	o.writer_major = c->writer;
	o.now = hr_release_str(helm, "info.last_deployed");
	o.now_unix = 1;
	CU_ASSERT_EQUAL_FATAL(hr_rollback_plan(&b, revs, n, c->target, &o, &err), 0);
	CU_ASSERT_EQUAL(b.version, c->version);
	CU_ASSERT_EQUAL(b.target, c->target);

	/* the exclusion: a later operation of helm's changed this status */
	info = hr_release_get(helm, "info");
	if (c->status_changed_later) {
		CU_ASSERT_STRING_EQUAL(hr_release_str(helm, "info.status"), "superseded");
		json_object_object_add(info, "status", json_object_new_string("deployed"));
	}
	CU_ASSERT_EQUAL(hr_gojson_write(&want, helm, 0), 0);
	CU_ASSERT_EQUAL(b.record.json_len, want.len);
	CU_ASSERT(b.record.json_len == want.len && memcmp(b.record.json, want.ptr, want.len) == 0);
	if (b.record.json_len != want.len || memcmp(b.record.json, want.ptr, want.len)) {
		size_t i = 0;

		while (i < want.len && i < b.record.json_len && want.ptr[i] == b.record.json[i])
			i++;
		fprintf(stderr, "%s/%s v%ld differs at byte %zu:\n got  %.120s\n want %.120s\n", c->ns, c->name,
			c->version, i, b.record.json + (i > 40 ? i - 40 : 0), want.ptr + (i > 40 ? i - 40 : 0));
	}

	/* and against the very bytes in the dump (not a re-serialization of ours) */
	if (strcmp(c->driver, "sql") != 0 && !c->status_changed_later) {
		CU_ASSERT_EQUAL_FATAL(dump_body(&raw, c->ns, c->name, c->version, NULL), 0);
		CU_ASSERT(raw.len == b.record.json_len && memcmp(raw.ptr, b.record.json, raw.len) == 0);
	}
	/* the payload decodes back to the record */
	{
		hr_decoded d = HR_DECODED_INIT;

		CU_ASSERT_EQUAL(hr_codec_decode(&d, b.record.payload, b.record.payload_len, HR_PAYLOAD_HELM, 0, &err), 0);
		CU_ASSERT(d.body.len == b.record.json_len && !memcmp(d.body.ptr, b.record.json, d.body.len));
		hr_decoded_free(&d);
	}
	hr_rollback_bundle_free(&b);
	for (size_t i = 0; i < n; i++)
		json_object_put(revs[i].rel);
	json_object_put(helm);
	hr_buf_free(&want);
	hr_buf_free(&raw);
}

static void test_corpus_rollbacks(void)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check_case(&cases[i]);
}

/*
 * Labels of the new object: helm's Update leaves name, owner, status,
 * version, modifiedAt and the custom labels.  cm/cfg v4 in the dump is
 * exactly that (modifiedAt aside).
 */
static void test_labels(void)
{
	hr_buf raw = HR_BUF_INIT;
	struct json_object *l = NULL, *mine;
	const char *mod;

	CU_ASSERT_EQUAL_FATAL(dump_body(&raw, "cm", "cfg", 4, &l), 0);
	mod = hr_release_str(l, "modifiedAt");
	CU_ASSERT_FATAL(mod != NULL);
	mine = hr_record_write_labels(l, "cfg", "deployed", 4, HR_RECORD_STAMP_UPDATE, atoll(mod));
	CU_ASSERT_FATAL(mine != NULL);
	CU_ASSERT(json_object_equal(mine, l));
	json_object_put(mine);
	/* custom labels kept, system ones replaced, sorted */
	{
		struct json_object *o = json_tokener_parse(
			"{\"team\":\"a\",\"createdAt\":\"9\",\"status\":\"failed\",\"name\":\"x\",\"owner\":\"helm\",\"version\":\"3\",\"app\":\"z\"}");
		struct json_object *r = hr_record_write_labels(o, "web", "superseded", 7, HR_RECORD_STAMP_UPDATE, 100);
		const char *order[] = { "app", "modifiedAt", "name", "owner", "status", "team", "version" };
		size_t i = 0;

		CU_ASSERT_FATAL(r != NULL);
		json_object_object_foreach(r, k, v) {
			(void)v;
			CU_ASSERT(i < 7 && !strcmp(k, order[i]));
			i++;
		}
		CU_ASSERT_EQUAL(i, 7);
		CU_ASSERT_STRING_EQUAL(hr_release_str(r, "version"), "7");
		CU_ASSERT_STRING_EQUAL(hr_release_str(r, "status"), "superseded");
		CU_ASSERT_STRING_EQUAL(hr_release_str(r, "modifiedAt"), "100");
		json_object_put(o);
		json_object_put(r);
	}
	json_object_put(l);
	hr_buf_free(&raw);
}

/*
 * Re-saving: every corpus record reshaped by the helm major that wrote it
 * is a fixed point (byte for byte); and the superseding helm 3.17 did when
 * rolling cm/cfg back (v2 deployed -> superseded) is reproduced exactly.
 */
static void test_reshape(void)
{
	static const char *const drivers[] = { "secret", "configmap", "sql" };
	size_t total = 0;

	for (size_t d = 0; d < 3; d++) {
		struct json_object **rels;
		size_t n = corpus_all_releases(drivers[d], &rels);

		for (size_t i = 0; i < n; i++) {
			struct json_object *exact, *r = NULL;
			hr_buf a = HR_BUF_INIT, b = HR_BUF_INIT;
			hr_error err = HR_ERROR_INIT;

			exact = load_exact(drivers[d], hr_release_namespace(rels[i]), hr_release_name(rels[i]),
					   (long)hr_release_version(rels[i]));
			CU_ASSERT_FATAL(exact != NULL);
			CU_ASSERT_EQUAL(hr_release_reshape(&r, exact, hr_release_writer_major(exact), 0, &err), 0);
			hr_gojson_write(&a, exact, 0);
			hr_gojson_write(&b, r, 0);
			CU_ASSERT(a.len == b.len && !memcmp(a.ptr, b.ptr, a.len));
			if (a.len != b.len || memcmp(a.ptr, b.ptr, a.len))
				fprintf(stderr, "reshape not a fixed point: %s/%s v%lld\n", hr_release_namespace(exact),
					hr_release_name(exact), (long long)hr_release_version(exact));
			json_object_put(r);
			json_object_put(exact);
			json_object_put(rels[i]);
			hr_buf_free(&a);
			hr_buf_free(&b);
			total++;
		}
		free(rels);
	}
	CU_ASSERT(total >= 30);
}

/* helm 3.17's rollback of cm/cfg re-saved v2 (then deployed) as superseded. */
static void test_supersede(void)
{
	hr_rollback_rev revs[3];
	struct json_object *v2final = load_exact("configmap", "cm", "cfg", 2);
	hr_rollback_opts o = { 0 };
	hr_rollback_bundle b = HR_ROLLBACK_BUNDLE_INIT;
	hr_error err = HR_ERROR_INIT;
	hr_buf want = HR_BUF_INIT, raw = HR_BUF_INIT;

	CU_ASSERT_FATAL(v2final != NULL);
	for (int i = 0; i < 3; i++) {
		revs[i].rel = load_exact("configmap", "cm", "cfg", i + 1);
		revs[i].labels = NULL;
	}
	/* the state before the rollback: v2 was the deployed revision */
	json_object_object_add(hr_release_get(revs[1].rel, "info"), "status", json_object_new_string("deployed"));
	o.writer_major = 3;
	o.now_unix = 5;
	CU_ASSERT_EQUAL_FATAL(hr_rollback_plan(&b, revs, 3, 2, &o, &err), 0);
	CU_ASSERT_EQUAL_FATAL(b.nsuperseded, 1);
	CU_ASSERT_EQUAL(b.superseded[0].version, 2);
	CU_ASSERT_EQUAL_FATAL(dump_body(&raw, "cm", "cfg", 2, NULL), 0);
	CU_ASSERT(raw.len == b.superseded[0].json_len && !memcmp(raw.ptr, b.superseded[0].json, raw.len));
	CU_ASSERT_STRING_EQUAL(hr_release_str(b.superseded[0].labels, "status"), "superseded");
	/* manifests: T's resources in install order, nothing removed (same chart) */
	CU_ASSERT(b.resources.n >= 3);
	CU_ASSERT_EQUAL(b.nremoved, 0);
	CU_ASSERT_EQUAL(b.npre + b.npost, 0);
	hr_rollback_bundle_free(&b);
	/* helm's errors */
	CU_ASSERT_EQUAL(hr_rollback_plan(&b, revs, 3, 9, &o, &err), HR_ENOTFOUND);
	CU_ASSERT_STRING_EQUAL(err.msg, "release has no 9 version");
	o.server_side = "maybe";
	o.writer_major = 4;
	CU_ASSERT_EQUAL(hr_rollback_plan(&b, revs, 3, 1, &o, &err), HR_EINVAL);
	/* 0 = previous revision, as helm rollback without REVISION */
	o.server_side = NULL;
	CU_ASSERT_EQUAL(hr_rollback_plan(&b, revs, 3, 0, &o, &err), 0);
	CU_ASSERT_EQUAL(b.target, 2);
	CU_ASSERT_EQUAL(b.version, 4);
	/* Helm 4 writing a Helm 3 history: H4 shape, csa for a target without apply_method */
	CU_ASSERT_STRING_EQUAL(hr_release_str(b.record.rel, "apply_method"), "csa");
	CU_ASSERT(hr_release_get(b.record.rel, "info.deleted") == NULL);
	CU_ASSERT_STRING_EQUAL(hr_release_str(b.record.rel, "chart.schemamodtime"), "0001-01-01T00:00:00Z");
	hr_rollback_bundle_free(&b);
	for (int i = 0; i < 3; i++)
		json_object_put(revs[i].rel);
	json_object_put(v2final);
	hr_buf_free(&want);
	hr_buf_free(&raw);
}

/* Rollback hooks: T's hooks bound to pre/post-rollback get helm's default delete policy. */
static void test_rollback_hooks(void)
{
	struct json_object *last = json_tokener_parse(
		"{\"name\":\"r\",\"info\":{\"first_deployed\":\"2025-01-02T03:04:05.5+00:00\",\"status\":\"failed\"},"
		"\"version\":3,\"namespace\":\"ns\"}");
	struct json_object *tgt = json_tokener_parse(
		"{\"name\":\"r\",\"info\":{\"status\":\"superseded\",\"notes\":\"hi\"},\"config\":{},"
		"\"hooks\":[{\"name\":\"h1\",\"kind\":\"Job\",\"events\":[\"pre-rollback\"],\"last_run\":{\"phase\":\"\"}},"
		"{\"name\":\"h2\",\"kind\":\"Job\",\"events\":[\"test\"],\"last_run\":{\"phase\":\"\"}},"
		"{\"name\":\"h0\",\"kind\":\"Job\",\"events\":[\"post-rollback\"],\"last_run\":{\"phase\":\"\"},"
		"\"delete_policies\":[\"hook-succeeded\"]}],"
		"\"version\":1,\"namespace\":\"ns\",\"apply_method\":\"ssa\"}");
	struct json_object *r = NULL;
	hr_rollback_opts o = { 0 };
	hr_error err = HR_ERROR_INIT;
	hr_buf j = HR_BUF_INIT;

	o.now = "2025-02-01T00:00:00Z";
	CU_ASSERT_EQUAL_FATAL(hr_rollback_record(&r, last, tgt, "deployed", &o, &err), 0);
	hr_gojson_write(&j, r, 0);
	CU_ASSERT_STRING_EQUAL(j.ptr,
		"{\"name\":\"r\",\"info\":{\"first_deployed\":\"2025-01-02T03:04:05.5Z\","
		"\"last_deployed\":\"2025-02-01T00:00:00Z\",\"description\":\"Rollback to 1\",\"status\":\"deployed\","
		"\"notes\":\"hi\"},"
		"\"hooks\":[{\"name\":\"h1\",\"kind\":\"Job\",\"events\":[\"pre-rollback\"],\"last_run\":{\"phase\":\"\"},"
		"\"delete_policies\":[\"before-hook-creation\"]},"
		"{\"name\":\"h2\",\"kind\":\"Job\",\"events\":[\"test\"],\"last_run\":{\"phase\":\"\"}},"
		"{\"name\":\"h0\",\"kind\":\"Job\",\"events\":[\"post-rollback\"],\"last_run\":{\"phase\":\"\"},"
		"\"delete_policies\":[\"hook-succeeded\"]}],"
		"\"version\":4,\"namespace\":\"ns\",\"apply_method\":\"ssa\"}");
	json_object_put(r);
	/* Helm 3 writer: zero times as "", deleted always, no apply_method */
	o.writer_major = 3;
	hr_buf_clear(&j);
	CU_ASSERT_EQUAL_FATAL(hr_rollback_record(&r, last, tgt, "pending-rollback", &o, &err), 0);
	hr_gojson_write(&j, r, 0);
	CU_ASSERT(strstr(j.ptr, "\"deleted\":\"\",\"description\":\"Rollback to 1\",\"status\":\"pending-rollback\"") != NULL);
	CU_ASSERT(strstr(j.ptr, "\"last_run\":{\"started_at\":\"\",\"completed_at\":\"\",\"phase\":\"\"}") != NULL);
	CU_ASSERT(strstr(j.ptr, "apply_method") == NULL);
	json_object_put(r);
	json_object_put(last);
	json_object_put(tgt);
	hr_buf_free(&j);
}

/* The bundle: record objects decode back to the record; files on disk. */
static void test_bundle_output(void)
{
	hr_rollback_rev revs[4];
	hr_rollback_opts o = { 0 };
	hr_rollback_bundle b = HR_ROLLBACK_BUNDLE_INIT;
	hr_error err = HR_ERROR_INIT;
	hr_buf out = HR_BUF_INIT, f = HR_BUF_INIT, path = HR_BUF_INIT;
	struct json_object *list, *items;
	const char *dir = tu_tmpdir();

	for (int i = 0; i < 4; i++) {
		revs[i].rel = load_exact("secret", "shop", "web", i + 1);
		revs[i].labels = NULL;
	}
	/* as before helm's rollback: v3 deployed, v4 failed */
	json_object_object_add(hr_release_get(revs[2].rel, "info"), "status", json_object_new_string("deployed"));
	CU_ASSERT_EQUAL_FATAL(hr_rollback_plan(&b, revs, 4, 3, &o, &err), 0);
	CU_ASSERT_EQUAL(b.nsuperseded, 1);
	CU_ASSERT_EQUAL(hr_rollback_render_records(&out, &b, HR_DRIVER_SECRET, 1, &err), 0);
	list = json_tokener_parse(out.ptr);
	CU_ASSERT_FATAL(list && json_object_object_get_ex(list, "items", &items));
	CU_ASSERT_EQUAL_FATAL(json_object_array_length(items), 2);
	for (size_t i = 0; i < 2; i++) {
		struct json_object *it = json_object_array_get_idx(items, i);
		const char *p = hr_release_str(it, "data.release");
		const hr_rollback_rec *r = i ? &b.superseded[0] : &b.record;
		hr_decoded d = HR_DECODED_INIT;

		CU_ASSERT_STRING_EQUAL(hr_release_str(it, "type"), "helm.sh/release.v1");
		CU_ASSERT_STRING_EQUAL(hr_release_str(it, "metadata.namespace"), "shop");
		CU_ASSERT_EQUAL_FATAL(hr_codec_decode(&d, p, strlen(p), HR_PAYLOAD_K8S_B64, 0, &err), 0);
		CU_ASSERT(d.body.len == r->json_len && !memcmp(d.body.ptr, r->json, r->json_len));
		hr_decoded_free(&d);
	}
	CU_ASSERT_STRING_EQUAL(hr_release_str(json_object_array_get_idx(items, 0), "metadata.name"),
			       "sh.helm.release.v1.web.v5");
	json_object_put(list);

	CU_ASSERT_EQUAL_FATAL(hr_rollback_write_dir(dir, &b, HR_DRIVER_SECRET, 0, &err), 0);
	hr_buf_printf(&path, "%s/manifest.yaml", dir);
	CU_ASSERT_EQUAL(tu_read_file(&f, path.ptr), 0);
	/*
	 * the combined stream is the stored manifest of revision 3, document for
	 * document, with the release namespace set on the namespaced resources
	 * written without one (as helm's client does)
	 */
	CU_ASSERT_PTR_NOT_NULL(strstr(f.ptr, "metadata:\n  namespace: shop\n"));
	{
		char *p;

		while ((p = strstr(f.ptr, "\n  namespace: shop\n")))
			memmove(p + 1, p + 19, strlen(p + 19) + 1);
	}
	CU_ASSERT_STRING_EQUAL(f.ptr, hr_release_str(revs[2].rel, "manifest"));
	hr_buf_clear(&path);
	hr_buf_printf(&path, "%s/manifests/001-%s-%s.yaml", dir, "serviceaccount", "web-webapp");
	CU_ASSERT_EQUAL(tu_read_file(&f, path.ptr), 0);
	hr_buf_clear(&path);
	hr_buf_printf(&path, "%s/plan.txt", dir);
	CU_ASSERT_EQUAL(tu_read_file(&f, path.ptr), 0);
	CU_ASSERT(strstr(f.ptr, "update  sh.helm.release.v1.web.v3  deployed -> superseded") != NULL);
	hr_rollback_bundle_free(&b);
	for (int i = 0; i < 4; i++)
		json_object_put(revs[i].rel);
	hr_buf_free(&out);
	hr_buf_free(&f);
	hr_buf_free(&path);
}

HR_TEST_MAIN("rollback",
	     { "bundle output", test_bundle_output },
	     { "corpus rollbacks equal helm's records", test_corpus_rollbacks },
	     { "record object labels", test_labels },
	     { "reshape is a fixed point for every corpus record", test_reshape },
	     { "supersede as helm 3.17 did; helm errors", test_supersede },
	     { "rollback hooks and writer shapes", test_rollback_hooks })
