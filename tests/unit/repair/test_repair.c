/*
 * test_repair.c — the records `helmrec repair` writes, checked byte by byte
 * against the corpus records helm wrote: a repaired body must be the
 * original JSON with only the repaired fields changed (Helm 4 body:
 * stuck/hung and labels/api; Helm 3 body: stuck/fresh), labelled as helm's
 * Update / Create label; the apiVersion rewrite changes only the value on
 * the apiVersion line of the affected documents (manifest and hooks).
 */
#include "repair/repair.h"
#include "codec/codec.h"
#include "codec/gojson.h"
#include "codec/record_write.h"
#include "model/release.h"
#include "testcorpus.h"

#include <stdlib.h>
#include <string.h>

#define NOW "2026-12-07T12:00:00Z"
#define NOW_UNIX 1796644800

/* json_sha256 of a record in records.json (the decoded bytes helm stored). */
static const char *stored_sha(const char *ns, const char *name, long v)
{
	static char hex[65];
	struct json_object *all = json_object_from_file(CORPUS "/records.json");

	hex[0] = 0;
	for (size_t i = 0; all && i < json_object_array_length(all); i++) {
		struct json_object *r = json_object_array_get_idx(all, i);

		if (!strcmp(hr_release_member_str(r, "namespace", ""), ns) &&
		    !strcmp(hr_release_member_str(r, "release", ""), name) && hr_release_int(r, "version", 0) == v)
			snprintf(hex, sizeof(hex), "%s", hr_release_member_str(r, "json_sha256", ""));
	}
	json_object_put(all);
	return hex;
}

/*
 * A corpus record's tree and, in `bytes`, the exact JSON helm stored: the
 * decoded file (pretty-printed) re-marshalled compact, checked against the
 * stored bytes' sha256.
 */
static struct json_object *exact(hr_buf *bytes, const char *ns, const char *name, long v)
{
	char path[512], hex[65];
	struct json_object *o = NULL;
	hr_error err = HR_ERROR_INIT;
	hr_buf text = HR_BUF_INIT;

	snprintf(path, sizeof(path), CORPUS "/decoded/secret/%s/sh.helm.release.v1.%s.v%ld.json", ns, name, v);
	hr_buf_clear(bytes);
	if (tu_read_file(&text, path) == 0 && hr_gojson_parse(&o, text.ptr, text.len, &err) != 0)
		o = NULL;
	hr_buf_free(&text);
	if (o && hr_gojson_write(bytes, o, 0) == 0) {
		hr_sha256_hex(bytes->ptr, bytes->len, hex);
		CU_ASSERT_STRING_EQUAL(hex, stored_sha(ns, name, v));
	}
	return o;
}

/* bytes with the first `from` replaced by `to` (into out). */
static void subst(hr_buf *out, const hr_buf *bytes, const char *from, const char *to)
{
	const char *p = strstr(bytes->ptr, from);

	hr_buf_clear(out);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	hr_buf_put(out, bytes->ptr, (size_t)(p - bytes->ptr));
	hr_buf_puts(out, to);
	hr_buf_puts(out, p + strlen(from));
}

static struct json_object *labels_of(const char *json)
{
	return json_tokener_parse(json);
}

static const hr_repair_opts unlock_opts = { .kind = HR_REPAIR_UNLOCK, .now = NOW, .now_unix = NOW_UNIX };

static void test_unlock_helm4(void)
{
	hr_buf b1 = HR_BUF_INIT, b2 = HR_BUF_INIT, want = HR_BUF_INIT;
	hr_revision revs[2];
	hr_repair_plan p = HR_REPAIR_PLAN_INIT;
	hr_error err = HR_ERROR_INIT;

	memset(revs, 0, sizeof(revs));
	revs[1].rel = exact(&b2, "stuck", "hung", 2);
	revs[0].rel = exact(&b1, "stuck", "hung", 1);
	revs[0].labels = labels_of("{\"name\":\"hung\",\"owner\":\"helm\",\"status\":\"deployed\",\"version\":\"1\"}");
	revs[1].labels = labels_of("{\"createdAt\":\"1795478070\",\"modifiedAt\":\"1795478069\",\"name\":\"hung\","
				   "\"owner\":\"helm\",\"status\":\"pending-upgrade\",\"team\":\"a\",\"version\":\"2\"}");
	CU_ASSERT_PTR_NOT_NULL_FATAL(revs[0].rel);
	CU_ASSERT_PTR_NOT_NULL_FATAL(revs[1].rel);
	CU_ASSERT_EQUAL_FATAL(hr_repair_build(&p, revs, 2, &unlock_opts, &err), 0);
	CU_ASSERT_EQUAL_FATAL(p.nrecs, 1);
	CU_ASSERT_EQUAL(p.recs[0].version, 2);
	CU_ASSERT_EQUAL(p.recs[0].writer_major, 4);
	CU_ASSERT_STRING_EQUAL(p.recs[0].was_status, "pending-upgrade");
	subst(&want, &b2, "\"description\":\"Preparing upgrade\",\"status\":\"pending-upgrade\"",
	      "\"description\":\"stuck in pending-upgrade; marked failed by helmrec on " NOW "\",\"status\":\"failed\"");
	CU_ASSERT(p.recs[0].json_len == want.len && !memcmp(p.recs[0].json, want.ptr, want.len));
	/* helm's Update labels: custom kept, createdAt dropped, modifiedAt now, status failed */
	CU_ASSERT_STRING_EQUAL(json_object_to_json_string_ext(p.recs[0].labels, JSON_C_TO_STRING_PLAIN),
			       "{\"modifiedAt\":\"1796644800\",\"name\":\"hung\",\"owner\":\"helm\",\"status\":\"failed\","
			       "\"team\":\"a\",\"version\":\"2\"}");
	CU_ASSERT(strstr(p.next, "revision 1 (deployed) is current again") != NULL);
	hr_repair_plan_release(&p);

	/* the other repairs: not needed / refused, with the reason */
	{
		hr_repair_opts o = { .kind = HR_REPAIR_MAP_APIS, .now = NOW };

		CU_ASSERT_EQUAL(hr_repair_build(&p, revs, 2, &o, &err), HR_ESKIP);
		CU_ASSERT(strstr(err.msg, "refusing --map-apis: the newest revision 2") != NULL);
		o.force = 1;
		CU_ASSERT_EQUAL(hr_repair_build(&p, revs, 2, &o, &err), HR_ESKIP);
		CU_ASSERT(strstr(err.msg, "does not need --map-apis") != NULL);
		CU_ASSERT_EQUAL(hr_repair_build(&p, revs, 1, &unlock_opts, &err), HR_ESKIP);
		CU_ASSERT(strstr(err.msg, "does not need --unlock: its newest revision 1 is deployed") != NULL);
		CU_ASSERT_EQUAL(p.nrecs, 0);
	}
	for (int i = 0; i < 2; i++) {
		json_object_put(revs[i].rel);
		json_object_put(revs[i].labels);
	}
	hr_buf_free(&b1);
	hr_buf_free(&b2);
	hr_buf_free(&want);
}

static void test_unlock_helm3(void)
{
	hr_buf b = HR_BUF_INIT, want = HR_BUF_INIT, out = HR_BUF_INIT;
	hr_revision rev;
	hr_repair_plan p = HR_REPAIR_PLAN_INIT;
	hr_error err = HR_ERROR_INIT;

	memset(&rev, 0, sizeof(rev));
	rev.rel = exact(&b, "stuck", "fresh", 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(rev.rel);
	CU_ASSERT(strstr(b.ptr, "\"deleted\":\"\"") != NULL);   /* a Helm 3 body */
	CU_ASSERT_EQUAL_FATAL(hr_repair_build(&p, &rev, 1, &unlock_opts, &err), 0);
	CU_ASSERT_EQUAL(p.recs[0].writer_major, 3);
	subst(&want, &b, "\"description\":\"Initial install underway\",\"status\":\"pending-install\"",
	      "\"description\":\"stuck in pending-install; marked failed by helmrec on " NOW "\",\"status\":\"failed\"");
	CU_ASSERT(p.recs[0].json_len == want.len && !memcmp(p.recs[0].json, want.ptr, want.len));
	CU_ASSERT(strstr(p.recs[0].json, "apply_method") == NULL);
	CU_ASSERT(strstr(p.next, "helm upgrade --install fresh CHART -n stuck") != NULL);

	/* renderings: kubectl stream, SQL (UPDATE as helm's Update), plan */
	CU_ASSERT_EQUAL(hr_repair_render_records(&out, &p, HR_DRIVER_CONFIGMAP, 0, &err), 0);
	CU_ASSERT(strstr(out.ptr, "kind: ConfigMap") != NULL && strstr(out.ptr, "name: sh.helm.release.v1.fresh.v1") != NULL);
	hr_buf_clear(&out);
	CU_ASSERT_EQUAL(hr_repair_render_records(&out, &p, HR_DRIVER_SECRET, 1, &err), 0);
	CU_ASSERT(strncmp(out.ptr, "{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":[{", 43) == 0);
	hr_buf_clear(&out);
	CU_ASSERT_EQUAL(hr_repair_render_sql(&out, &p, &err), 0);
	CU_ASSERT(strncmp(out.ptr, "BEGIN;\nUPDATE releases_v1 SET body = '", 38) == 0);
	CU_ASSERT(strstr(out.ptr, ", version = 1, status = 'failed', owner = 'helm', modifiedAt = 1796644800 WHERE key = "
			 "'sh.helm.release.v1.fresh.v1' AND namespace = 'stuck';\nCOMMIT;\n") != NULL);
	hr_buf_clear(&out);
	CU_ASSERT_EQUAL(hr_repair_render_plan(&out, &p, HR_DRIVER_SECRET, &err), 0);
	CU_ASSERT(strstr(out.ptr, "replace  Secret sh.helm.release.v1.fresh.v1: revision 1, pending-install -> failed") != NULL);
	CU_ASSERT(strstr(out.ptr, "as Helm 3 writes it") != NULL);
	hr_repair_plan_release(&p);
	json_object_put(rev.rel);
	hr_buf_free(&b);
	hr_buf_free(&want);
	hr_buf_free(&out);
}

/* map one manifest at kube x.y; the rewritten text and the number of changes */
static int map_text(hr_buf *out, const char *m, int maj, int min, hr_repair_change **ch, size_t *nch)
{
	hr_error err = HR_ERROR_INIT;
	struct json_object *rel = json_object_new_object();
	int rc;

	hr_buf_clear(out);
	rc = hr_repair_map_manifest(out, m, strlen(m), rel, maj, min, "manifest", ch, nch, &err);
	json_object_put(rel);
	return rc;
}

static void free_changes(hr_repair_change *c, size_t n)
{
	hr_repair_plan p = HR_REPAIR_PLAN_INIT;

	p.changes = c;
	p.nchanges = n;
	hr_repair_plan_release(&p);
}

static void test_map_manifest(void)
{
	static const char in[] =
		"---\n# Source: c/templates/pdb.yaml\napiVersion: policy/v1beta1\nkind: PodDisruptionBudget\n"
		"metadata:\n  name: p\nspec:\n  minAvailable: 1\n"
		"---\n# Source: c/templates/dep.yaml\napiVersion: \"extensions/v1beta1\"  # old\nkind: Deployment\n"
		"metadata:\n  name: d\nspec:\n  template:\n    spec:\n      x:\n        apiVersion: policy/v1beta1\n"
		"---\n# Source: c/templates/ok.yaml\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ok\n"
		"---\n# Source: c/templates/psp.yaml\nkind: PodSecurityPolicy\napiVersion: extensions/v1beta1\n"
		"metadata:\n  name: s";
	static const char want[] =
		"---\n# Source: c/templates/pdb.yaml\napiVersion: policy/v1\nkind: PodDisruptionBudget\n"
		"metadata:\n  name: p\nspec:\n  minAvailable: 1\n"
		"---\n# Source: c/templates/dep.yaml\napiVersion: \"apps/v1\"  # old\nkind: Deployment\n"
		"metadata:\n  name: d\nspec:\n  template:\n    spec:\n      x:\n        apiVersion: policy/v1beta1\n"
		"---\n# Source: c/templates/ok.yaml\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ok\n"
		"---\n# Source: c/templates/psp.yaml\nkind: PodSecurityPolicy\napiVersion: policy/v1beta1\n"
		"metadata:\n  name: s";
	hr_buf out = HR_BUF_INIT;
	hr_repair_change *ch = NULL;
	size_t nch = 0;

	/* every removed API (0.0) */
	CU_ASSERT_EQUAL(map_text(&out, in, 0, 0, &ch, &nch), 3);
	CU_ASSERT_STRING_EQUAL(out.ptr, want);
	CU_ASSERT_EQUAL_FATAL(nch, 3);
	CU_ASSERT_STRING_EQUAL(ch[0].kind, "PodDisruptionBudget");
	CU_ASSERT_STRING_EQUAL(ch[0].name, "p");
	CU_ASSERT_STRING_EQUAL(ch[0].to, "policy/v1");
	CU_ASSERT_STRING_EQUAL(ch[1].from, "extensions/v1beta1");
	CU_ASSERT_STRING_EQUAL(ch[1].to, "apps/v1");
	free_changes(ch, nch);
	ch = NULL;
	nch = 0;
	/* Kubernetes 1.20: policy/v1beta1 PDB (deprecated 1.21) stays; 1.21: mapped as deprecated */
	CU_ASSERT_EQUAL(map_text(&out, in, 1, 20, &ch, &nch), 2);
	CU_ASSERT(strstr(out.ptr, "apiVersion: policy/v1beta1\nkind: PodDisruptionBudget") != NULL);
	free_changes(ch, nch);
	ch = NULL;
	nch = 0;
	CU_ASSERT_EQUAL(map_text(&out, in, 1, 21, &ch, &nch), 3);
	CU_ASSERT_EQUAL_FATAL(nch, 3);
	CU_ASSERT_EQUAL(ch[0].removed, 0);
	CU_ASSERT_EQUAL(ch[1].removed, 1);
	free_changes(ch, nch);
	ch = NULL;
	nch = 0;
	/* nothing to map: the same bytes, 0 */
	CU_ASSERT_EQUAL(map_text(&out, "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n", 0, 0, &ch, &nch), 0);
	CU_ASSERT_STRING_EQUAL(out.ptr, "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n");
	/* flow style cannot be rewritten on a line: refused, not guessed */
	CU_ASSERT_EQUAL(map_text(&out, "{\"apiVersion\": \"policy/v1beta1\", \"kind\": \"PodDisruptionBudget\", "
				 "\"metadata\": {\"name\": \"f\"}}", 0, 0, &ch, &nch), HR_EUNSUPPORTED);
	free_changes(ch, nch);
	hr_buf_free(&out);
}

/* labels/api (Helm 4, ssa) with a removed PDB planted in v2's manifest and a removed CronJob in its hook */
static void test_map_plan(void)
{
	hr_buf b1 = HR_BUF_INIT, b2 = HR_BUF_INIT, j = HR_BUF_INIT, want = HR_BUF_INIT;
	hr_revision revs[2];
	hr_repair_plan p = HR_REPAIR_PLAN_INIT;
	hr_repair_opts o = { .kind = HR_REPAIR_MAP_APIS, .kube_major = 1, .kube_minor = 25, .now = NOW,
			     .now_unix = NOW_UNIX };
	hr_error err = HR_ERROR_INIT;
	struct json_object *hook, *orig_hook_manifest;
	const char *m;
	hr_buf nm = HR_BUF_INIT;

	memset(revs, 0, sizeof(revs));
	revs[0].rel = exact(&b1, "labels", "api", 1);
	revs[1].rel = exact(&b2, "labels", "api", 2);
	CU_ASSERT_PTR_NOT_NULL_FATAL(revs[0].rel);
	CU_ASSERT_PTR_NOT_NULL_FATAL(revs[1].rel);
	revs[0].labels = labels_of("{\"name\":\"api\",\"owner\":\"helm\",\"status\":\"superseded\",\"team\":\"payments\","
				   "\"version\":\"1\"}");
	revs[1].labels = labels_of("{\"modifiedAt\":\"1795478073\",\"name\":\"api\",\"owner\":\"helm\",\"release-train\":"
				   "\"r28\",\"status\":\"deployed\",\"team\":\"payments\",\"version\":\"2\"}");
	/* plant */
	m = hr_release_str(revs[1].rel, "manifest");
	hr_buf_puts(&nm, "---\n# Source: webapp/templates/pdb.yaml\napiVersion: policy/v1beta1\nkind: PodDisruptionBudget\n"
		    "metadata:\n  name: api-webapp\nspec:\n  minAvailable: 1\n");
	hr_buf_puts(&nm, m);
	json_object_object_add(revs[1].rel, "manifest", json_object_new_string(nm.ptr));
	hook = json_object_array_get_idx(hr_release_get(revs[1].rel, "hooks"), 0);
	orig_hook_manifest = json_object_get(hr_release_member(hook, "manifest"));
	hr_buf_clear(&nm);
	hr_buf_puts(&nm, "apiVersion: batch/v1beta1\nkind: CronJob\nmetadata:\n  name: \"api-webapp-test-connection\"\n");
	json_object_object_add(hook, "manifest", json_object_new_string(nm.ptr));
	hr_buf_clear(&b2);
	CU_ASSERT_EQUAL_FATAL(hr_gojson_write(&b2, revs[1].rel, 0), 0);

	CU_ASSERT_EQUAL_FATAL(hr_repair_build(&p, revs, 2, &o, &err), 0);
	CU_ASSERT_EQUAL_FATAL(p.nrecs, 2);
	CU_ASSERT_EQUAL(p.source, 2);
	CU_ASSERT(p.recs[0].added && p.recs[0].version == 3);
	CU_ASSERT(!p.recs[1].added && p.recs[1].version == 2);
	CU_ASSERT_EQUAL_FATAL(p.nchanges, 2);
	CU_ASSERT_STRING_EQUAL(p.changes[0].where, "manifest");
	CU_ASSERT_STRING_EQUAL(p.changes[1].where, "hook api-webapp-test-connection");
	CU_ASSERT_STRING_EQUAL(p.changes[1].to, "batch/v1");

	/* v2 re-saved: only info.status differs */
	subst(&want, &b2, "\"status\":\"deployed\"", "\"status\":\"superseded\"");
	CU_ASSERT(p.recs[1].json_len == want.len && !memcmp(p.recs[1].json, want.ptr, want.len));
	CU_ASSERT_STRING_EQUAL(json_object_to_json_string_ext(p.recs[1].labels, JSON_C_TO_STRING_PLAIN),
			       "{\"modifiedAt\":\"1796644800\",\"name\":\"api\",\"owner\":\"helm\",\"release-train\":\"r28\","
			       "\"status\":\"superseded\",\"team\":\"payments\",\"version\":\"2\"}");

	/* v3: v2's bytes with the two apiVersion values, version, last_deployed and description changed */
	subst(&j, &b2, "apiVersion: policy/v1beta1", "apiVersion: policy/v1");
	subst(&want, &j, "apiVersion: batch/v1beta1", "apiVersion: batch/v1");
	subst(&j, &want, "\"last_deployed\":\"2026-11-23T23:54:34.293683399Z\",\"description\":\"Upgrade complete\"",
	      "\"last_deployed\":\"" NOW "\",\"description\":\"" HR_REPAIR_MAP_DESCRIPTION "\"");
	subst(&want, &j, "\"version\":2,", "\"version\":3,");
	CU_ASSERT(p.recs[0].json_len == want.len && !memcmp(p.recs[0].json, want.ptr, want.len));
	CU_ASSERT(strstr(p.recs[0].json, "\"apply_method\":\"ssa\"") != NULL);
	/* helm's Create labels: v2's custom labels, createdAt now */
	CU_ASSERT_STRING_EQUAL(json_object_to_json_string_ext(p.recs[0].labels, JSON_C_TO_STRING_PLAIN),
			       "{\"createdAt\":\"1796644800\",\"name\":\"api\",\"owner\":\"helm\",\"release-train\":\"r28\","
			       "\"status\":\"deployed\",\"team\":\"payments\",\"version\":\"3\"}");
	hr_buf_clear(&j);
	CU_ASSERT_EQUAL(hr_repair_render_sql(&j, &p, &err), 0);
	CU_ASSERT(strstr(j.ptr, "INSERT INTO releases_v1 (") != NULL);
	CU_ASSERT(strstr(j.ptr, "'sh.helm.release.v1.api.v3', 'labels', 'release-train', 'r28');\n") != NULL);
	CU_ASSERT(strstr(j.ptr, "WHERE key = 'sh.helm.release.v1.api.v2' AND namespace = 'labels';\n") != NULL);
	hr_repair_plan_release(&p);

	/* below the removal (1.20): nothing deprecated there either -> not needed */
	o.kube_minor = 20;
	CU_ASSERT_EQUAL(hr_repair_build(&p, revs, 2, &o, &err), HR_ESKIP);
	CU_ASSERT(strstr(err.msg, "Kubernetes 1.20") != NULL);
	json_object_put(orig_hook_manifest);
	for (int i = 0; i < 2; i++) {
		json_object_put(revs[i].rel);
		json_object_put(revs[i].labels);
	}
	hr_buf_free(&b1);
	hr_buf_free(&b2);
	hr_buf_free(&j);
	hr_buf_free(&want);
	hr_buf_free(&nm);
}

static void test_mark_deployed(void)
{
	hr_buf b1 = HR_BUF_INIT, b2 = HR_BUF_INIT, want = HR_BUF_INIT, j = HR_BUF_INIT;
	hr_revision revs[2];
	hr_repair_plan p = HR_REPAIR_PLAN_INIT;
	hr_repair_opts o = { .kind = HR_REPAIR_MARK_DEPLOYED, .revision = 2, .now = NOW, .now_unix = NOW_UNIX };
	hr_error err = HR_ERROR_INIT;
	struct json_object *info;

	/* labels/api as after `helm uninstall --keep-history` (Helm 4: info.deleted set) */
	memset(revs, 0, sizeof(revs));
	revs[0].rel = exact(&b1, "labels", "api", 1);
	revs[1].rel = exact(&b2, "labels", "api", 2);
	CU_ASSERT_PTR_NOT_NULL_FATAL(revs[1].rel);
	info = hr_release_member(revs[1].rel, "info");
	json_object_object_add(info, "deleted", json_object_new_string("2026-11-24T00:00:00Z"));
	json_object_object_add(info, "status", json_object_new_string("uninstalled"));
	json_object_object_add(info, "description", json_object_new_string("Deletion in progress (or silently failed)"));
	hr_buf_clear(&b2);
	hr_gojson_write(&b2, revs[1].rel, 0);
	CU_ASSERT_EQUAL_FATAL(hr_repair_build(&p, revs, 2, &o, &err), 0);
	CU_ASSERT_EQUAL_FATAL(p.nrecs, 1);
	subst(&j, &b2, "\"description\":\"Deletion in progress (or silently failed)\",\"status\":\"uninstalled\",",
	      "\"description\":\"marked deployed by helmrec on " NOW " (was uninstalled)\",\"status\":\"deployed\",");
	subst(&want, &j, ",\"deleted\":\"2026-11-24T00:00:00Z\"", "");
	CU_ASSERT(p.recs[0].json_len == want.len && !memcmp(p.recs[0].json, want.ptr, want.len));
	hr_repair_plan_release(&p);
	/* REV 1 while 2 is deployed: 1 deployed, 2 superseded */
	json_object_object_add(info, "status", json_object_new_string("deployed"));
	o.revision = 1;
	CU_ASSERT_EQUAL_FATAL(hr_repair_build(&p, revs, 2, &o, &err), 0);
	CU_ASSERT_EQUAL_FATAL(p.nrecs, 2);
	CU_ASSERT_STRING_EQUAL(p.recs[0].status, "deployed");
	CU_ASSERT_STRING_EQUAL(p.recs[1].status, "superseded");
	hr_repair_plan_release(&p);
	/* the newest revision pending: refused unless forced */
	json_object_object_add(info, "status", json_object_new_string("pending-upgrade"));
	o.revision = 1;
	CU_ASSERT_EQUAL(hr_repair_build(&p, revs, 2, &o, &err), HR_ESKIP);
	CU_ASSERT(strstr(err.msg, "refusing --mark-deployed: the newest revision 2") != NULL);
	o.force = 1;
	CU_ASSERT_EQUAL_FATAL(hr_repair_build(&p, revs, 2, &o, &err), 0);
	CU_ASSERT_EQUAL(p.nrecs, 1);
	hr_repair_plan_release(&p);
	o.force = 0;
	json_object_object_add(info, "status", json_object_new_string("deployed"));
	/* not needed; missing revision */
	o.revision = 2;
	CU_ASSERT_EQUAL(hr_repair_build(&p, revs, 2, &o, &err), HR_ESKIP);
	o.revision = 9;
	CU_ASSERT_EQUAL(hr_repair_build(&p, revs, 2, &o, &err), HR_ENOTFOUND);
	CU_ASSERT_STRING_EQUAL(err.msg, "release has no 9 version");
	for (int i = 0; i < 2; i++)
		json_object_put(revs[i].rel);
	hr_buf_free(&b1);
	hr_buf_free(&b2);
	hr_buf_free(&want);
	hr_buf_free(&j);
}

HR_TEST_MAIN("repair",
	     { "unlock a Helm 4 body: only status and description differ", test_unlock_helm4 },
	     { "unlock a Helm 3 body; renderings", test_unlock_helm3 },
	     { "apiVersion rewrite per document", test_map_manifest },
	     { "map-apis plan: new revision, superseded, labels", test_map_plan },
	     { "mark-deployed", test_mark_deployed })
