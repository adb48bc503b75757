/*
 * test_helm2.c — Helm 2 (Tiller) records: protobuf decoding checked against
 * the generator's ground truth (generated-records.json), and the helm-2to3
 * conversion checked byte for byte against expected-v3/NS/NAME.vN.json for
 * every record of the kubectl JSON and YAML dumps and the Velero tarball.
 */
#include "testutil.h"
#include "codec/codec.h"
#include "codec/helm2.h"
#include "sources/source.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define H2 "testdata/corpus/helm2"

static struct json_object *get(struct json_object *o, const char *k)
{
	struct json_object *v = NULL;

	if (o && json_object_is_type(o, json_type_object))
		json_object_object_get_ex(o, k, &v);
	return v;
}

static const char *gets(struct json_object *o, const char *k)
{
	struct json_object *v = get(o, k);

	return v ? json_object_get_string(v) : NULL;
}

static int str_is(hr_h2_str s, const char *want)
{
	if (!want)
		return s.len == 0;
	return s.len == strlen(want) && (!s.len || !memcmp(s.ptr, want, s.len));
}

/* Expected-v3 JSON of one converted record (the golden, trailing newline dropped). */
static int expected_json(hr_buf *out, const char *ns, const char *name, int version)
{
	char path[512];

	snprintf(path, sizeof(path), H2 "/expected-v3/%s/%s.v%d.json", ns, name, version);
	if (tu_read_file(out, path))
		return -1;
	while (out->len && out->ptr[out->len - 1] == '\n')
		out->len--;
	out->ptr[out->len] = '\0';
	return 0;
}

/* Convert one payload and compare; returns 1 if it matched. */
static int check_payload(const char *payload, size_t len, hr_payload_form form, const char *where)
{
	hr_decoded d = HR_DECODED_INIT;
	hr_error err = HR_ERROR_INIT;
	hr_helm2_release *r = NULL;
	hr_buf json = HR_BUF_INIT, exp = HR_BUF_INIT;
	char ns[128], name[128];
	int ok = 0;

	if (hr_codec_decode(&d, payload, len, form, 0, &err) || !(d.layers & HR_LAYER_PROTOBUF)) {
		fprintf(stderr, "%s: decode: %s\n", where, err.msg);
		goto done;
	}
	if (hr_helm2_decode(&r, d.body.ptr, d.body.len, &err) || hr_helm2_to_json(&json, r, &err)) {
		fprintf(stderr, "%s: convert: %s\n", where, err.msg);
		goto done;
	}
	snprintf(ns, sizeof(ns), "%.*s", (int)r->namespace.len, r->namespace.ptr);
	snprintf(name, sizeof(name), "%.*s", (int)r->name.len, r->name.ptr);
	if (expected_json(&exp, ns, name, r->version)) {
		fprintf(stderr, "%s: no expected file for %s/%s v%d\n", where, ns, name, r->version);
		goto done;
	}
	ok = exp.len == json.len && !memcmp(exp.ptr, json.ptr, json.len);
	if (!ok) {
		size_t i = 0;

		while (i < exp.len && i < json.len && exp.ptr[i] == json.ptr[i])
			i++;
		fprintf(stderr, "%s: %s/%s v%d differs at byte %zu:\n  want ...%.80s\n  got  ...%.80s\n", where,
			ns, name, r->version, i, exp.ptr + (i > 20 ? i - 20 : 0), json.ptr + (i > 20 ? i - 20 : 0));
	}
done:
	hr_helm2_release_free(r);
	hr_decoded_free(&d);
	hr_buf_free(&json);
	hr_buf_free(&exp);
	return ok;
}

/* Every Tiller record of the kubectl JSON dump converts to its expected-v3 file. */
static void test_json_dump_converts(void)
{
	struct json_object *root = json_object_from_file(H2 "/dumps/helm2-dump.json");
	struct json_object *items = get(root, "items");
	size_t n = items ? json_object_array_length(items) : 0, tiller = 0, matched = 0;

	CU_ASSERT_FATAL(n > 0);
	for (size_t i = 0; i < n; i++) {
		struct json_object *it = json_object_array_get_idx(items, i);
		const char *owner = gets(get(get(it, "metadata"), "labels"), "OWNER");
		const char *rel = gets(get(it, "data"), "release");
		int secret = !strcmp(gets(it, "kind"), "Secret");

		if (!owner || strcmp(owner, "TILLER") || !rel)
			continue;
		tiller++;
		matched += (size_t)check_payload(rel, strlen(rel), secret ? HR_PAYLOAD_K8S_B64 : HR_PAYLOAD_HELM,
						 gets(get(it, "metadata"), "name"));
	}
	CU_ASSERT_EQUAL(tiller, 25);
	CU_ASSERT_EQUAL(matched, tiller);
	json_object_put(root);
}

/* The same through the sources: YAML dump and Velero tarball yield Helm 2 records that convert exactly. */
static void check_source(const char *path, size_t want)
{
	hr_source *src = NULL;
	hr_source_opts o;
	hr_error err = HR_ERROR_INIT;
	hr_record *rec = NULL;
	size_t seen = 0, matched = 0;
	int rc;

	memset(&o, 0, sizeof(o));
	CU_ASSERT_EQUAL_FATAL(hr_source_open(&src, path, &o, &err), 0);
	while ((rc = hr_source_next(src, &rec, &err)) != 0) {
		if (rc < 0) {
			fprintf(stderr, "%s: %s\n", path, err.msg);
			CU_FAIL("source error");
			break;
		}
		CU_ASSERT(rec->driver == HR_DRIVER_HELM2_CONFIGMAP || rec->driver == HR_DRIVER_HELM2_SECRET);
		seen++;
		matched += (size_t)check_payload(rec->payload, rec->payload_len, rec->form, rec->name);
		hr_record_free(rec);
		rec = NULL;
	}
	hr_source_close(src);
	CU_ASSERT_EQUAL(seen, want);
	CU_ASSERT_EQUAL(matched, want);
}

static void test_yaml_dump_converts(void)
{
	check_source(H2 "/dumps/helm2-dump.yaml", 25);
}

static void test_velero_converts(void)
{
	/* the backup holds each object twice (resources/ and the namespaced copy) */
	check_source(H2 "/velero/backup-helm2.tar.gz", 50);
}

static int time_is(hr_h2_time t, struct json_object *pair)
{
	if (!pair)
		return !t.present;
	return t.present && t.seconds == json_object_get_int64(json_object_array_get_idx(pair, 0)) &&
	       t.nanos == json_object_get_int(json_object_array_get_idx(pair, 1));
}

/* Decoded fields equal the generator's ground truth. */
static void test_decode_ground_truth(void)
{
	struct json_object *gen = json_object_from_file(H2 "/generated-records.json");
	struct json_object *dump = json_object_from_file(H2 "/dumps/helm2-dump.json");
	struct json_object *recs = get(gen, "records"), *items = get(dump, "items");
	size_t n = recs ? json_object_array_length(recs) : 0, checked = 0;

	CU_ASSERT_FATAL(n == 25 && items);
	for (size_t i = 0; i < n; i++) {
		struct json_object *g = json_object_array_get_idx(recs, i), *gr = get(g, "release");
		struct json_object *gi = get(gr, "info"), *gc = get(gr, "chart"), *gm = get(gc, "metadata");
		struct json_object *ghooks = get(gr, "hooks");
		const char *payload = NULL;
		int secret = 0;
		hr_decoded d = HR_DECODED_INIT;
		hr_helm2_release *r = NULL;
		hr_error err = HR_ERROR_INIT;

		for (size_t k = 0; k < json_object_array_length(items); k++) {
			struct json_object *it = json_object_array_get_idx(items, k), *md = get(it, "metadata");

			if (!strcmp(gets(md, "name"), gets(g, "name")) && !strcmp(gets(md, "namespace"), gets(g, "namespace"))) {
				payload = gets(get(it, "data"), "release");
				secret = !strcmp(gets(it, "kind"), "Secret");
			}
		}
		CU_ASSERT_PTR_NOT_NULL_FATAL(payload);
		CU_ASSERT_EQUAL_FATAL(hr_codec_decode(&d, payload, strlen(payload),
						      secret ? HR_PAYLOAD_K8S_B64 : HR_PAYLOAD_HELM, 0, &err), 0);
		CU_ASSERT_EQUAL_FATAL(hr_helm2_decode(&r, d.body.ptr, d.body.len, &err), 0);
		CU_ASSERT(str_is(r->name, gets(gr, "name")));
		CU_ASSERT(str_is(r->namespace, gets(gr, "namespace")));
		CU_ASSERT_EQUAL(r->version, json_object_get_int(get(gr, "version")));
		CU_ASSERT(str_is(r->manifest, gets(gr, "manifest")));
		CU_ASSERT(str_is(r->info.description, gets(gi, "description")));
		CU_ASSERT_EQUAL(r->info.status.code, json_object_get_int(get(get(gi, "status"), "code")));
		CU_ASSERT(str_is(r->info.status.notes, gets(get(gi, "status"), "notes")));
		CU_ASSERT(time_is(r->info.first_deployed, get(gi, "first_deployed")));
		CU_ASSERT(time_is(r->info.last_deployed, get(gi, "last_deployed")));
		CU_ASSERT(time_is(r->info.deleted, get(gi, "deleted")));
		CU_ASSERT(str_is(r->chart.metadata.name, gets(gm, "name")));
		CU_ASSERT(str_is(r->chart.metadata.version, gets(gm, "version")));
		CU_ASSERT(str_is(r->chart.metadata.engine, gets(gm, "engine")));
		CU_ASSERT(str_is(r->chart.metadata.app_version, gets(gm, "appVersion")));
		CU_ASSERT(str_is(r->chart.metadata.tiller_version, gets(gm, "tillerVersion")));
		CU_ASSERT_EQUAL(r->chart.ntemplates, json_object_array_length(get(gc, "templates")));
		CU_ASSERT_EQUAL(r->chart.nfiles, get(gc, "files") ? json_object_array_length(get(gc, "files")) : 0);
		CU_ASSERT_EQUAL(r->chart.ndependencies,
				get(gc, "dependencies") ? json_object_array_length(get(gc, "dependencies")) : 0);
		CU_ASSERT(str_is(r->config.raw, gets(get(gr, "config"), "raw")));
		CU_ASSERT_EQUAL(r->nhooks, ghooks ? json_object_array_length(ghooks) : 0);
		for (size_t h = 0; h < r->nhooks && ghooks; h++) {
			struct json_object *gh = json_object_array_get_idx(ghooks, h), *ev = get(gh, "events");

			CU_ASSERT(str_is(r->hooks[h].name, gets(gh, "name")));
			CU_ASSERT(str_is(r->hooks[h].kind, gets(gh, "kind")));
			CU_ASSERT_EQUAL(r->hooks[h].nevents, ev ? json_object_array_length(ev) : 0);
			for (size_t e = 0; ev && e < r->hooks[h].nevents; e++)
				CU_ASSERT_EQUAL(r->hooks[h].events[e], json_object_get_int(json_object_array_get_idx(ev, e)));
			CU_ASSERT_EQUAL(r->hooks[h].weight, get(gh, "weight") ? json_object_get_int(get(gh, "weight")) : 0);
		}
		hr_helm2_release_free(r);
		hr_decoded_free(&d);
		checked++;
	}
	CU_ASSERT_EQUAL(checked, 25);
	json_object_put(gen);
	json_object_put(dump);
}

HR_TEST_MAIN("helm2",
	     { "decoded fields equal the generator's ground truth", test_decode_ground_truth },
	     { "JSON dump records convert to expected-v3 byte for byte", test_json_dump_converts },
	     { "YAML dump records (via the source) convert exactly", test_yaml_dump_converts },
	     { "Velero tarball records convert exactly", test_velero_converts })
