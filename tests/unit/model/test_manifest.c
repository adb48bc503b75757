/*
 * test_manifest.c — helm's SplitManifests, kind order and hook order,
 * checked against an independent regex oracle (testdata/manifest/
 * split_oracle.py, which runs helm's two separator regexes) and against
 * every manifest and hook list helm stored in the corpus.
 */
#include "model/manifest.h"
#include "model/release.h"
#include "testcorpus.h"

#include <stdlib.h>
#include <string.h>

static void check_style(struct json_object *want, const char *in, size_t len, hr_split_style st)
{
	hr_error err = HR_ERROR_INIT;
	hr_span *d = NULL;
	size_t n = 0;

	CU_ASSERT_EQUAL_FATAL(hr_manifest_split(in, len, st, &d, &n, &err), 0);
	CU_ASSERT_EQUAL(n, json_object_array_length(want));
	if (n != json_object_array_length(want))
		fprintf(stderr, "style %d input %s: %zu docs, want %zu\n", (int)st, in, n,
			json_object_array_length(want));
	for (size_t i = 0; i < n && i < json_object_array_length(want); i++) {
		struct json_object *w = json_object_array_get_idx(want, i);
		size_t wl = (size_t)json_object_get_string_len(w);

		CU_ASSERT_EQUAL(d[i].len, wl);
		CU_ASSERT(d[i].len == wl && memcmp(in + d[i].off, json_object_get_string(w), wl) == 0);
	}
	free(d);
}

/* Every oracle case, all three helm behaviours. */
static void test_split_oracle(void)
{
	struct json_object *cases = tu_load_json("testdata/manifest/split-cases.json");
	size_t n;

	CU_ASSERT_FATAL(cases != NULL);
	n = json_object_array_length(cases);
	CU_ASSERT(n >= 20);
	for (size_t i = 0; i < n; i++) {
		struct json_object *c = json_object_array_get_idx(cases, i), *in, *o, *a, *b;

		json_object_object_get_ex(c, "input", &in);
		json_object_object_get_ex(c, "old", &o);
		json_object_object_get_ex(c, "h42", &a);
		json_object_object_get_ex(c, "h424", &b);
		check_style(o, json_object_get_string(in), (size_t)json_object_get_string_len(in), HR_SPLIT_OLD);
		check_style(a, json_object_get_string(in), (size_t)json_object_get_string_len(in), HR_SPLIT_H42);
		check_style(b, json_object_get_string(in), (size_t)json_object_get_string_len(in), HR_SPLIT_H424);
	}
	json_object_put(cases);
}

/*
 * Every stored manifest: helm built it as the concatenation of
 * "---\n" + doc + "\n" over its split documents (H3 and H4 <= 4.1), so
 * splitting must give back exactly those documents, each starting with
 * its "# Source:" line, with a readable head, already in install order.
 */
static void check_release_manifest(struct json_object *rel)
{
	const char *m = hr_release_str(rel, "manifest");
	hr_resource_list l = HR_RESOURCE_LIST_INIT;
	hr_split_style st;
	hr_kind_order ord;
	hr_error err = HR_ERROR_INIT;
	hr_buf re = HR_BUF_INIT;

	if (!m)
		return;
	hr_manifest_style_for(rel, &st, &ord);
	CU_ASSERT_EQUAL_FATAL(hr_manifest_resources(&l, m, strlen(m), st, ord, &err), 0);
	CU_ASSERT(l.n > 0);
	for (size_t i = 0; i < l.n; i++) {
		hr_resource *r = &l.items[i];

		/* the stored order is helm's install order: sorting moved nothing */
		CU_ASSERT_EQUAL(r->index, i);
		CU_ASSERT(!r->bad_yaml);
		CU_ASSERT(*r->kind && *r->name && *r->api_version);
		CU_ASSERT(strncmp(r->source, hr_release_str(rel, "chart.metadata.name"),
				  strlen(hr_release_str(rel, "chart.metadata.name"))) == 0);
		if (i)
			CU_ASSERT(!hr_kind_less(ord, r->kind, l.items[i - 1].kind));
		hr_buf_puts(&re, "---\n");
		hr_buf_put(&re, r->text, r->len);
		hr_buf_puts(&re, "\n");
	}
	CU_ASSERT_EQUAL(re.len, strlen(m));
	CU_ASSERT(re.len == strlen(m) && memcmp(re.ptr, m, re.len) == 0);
	hr_buf_free(&re);
	hr_resource_list_free(&l);
}

/* Hooks: each stored hook manifest is one split document; storage is in kind order. */
static void check_release_hooks(struct json_object *rel)
{
	hr_hook_ref *h = NULL;
	hr_error err = HR_ERROR_INIT;
	hr_split_style st;
	hr_kind_order ord;
	size_t n = 0;

	hr_manifest_style_for(rel, &st, &ord);
	CU_ASSERT_EQUAL_FATAL(hr_manifest_hooks(rel, NULL, &h, &n, &err), 0);
	for (size_t i = 0; i < n; i++) {
		hr_span *d = NULL;
		size_t nd = 0;
		char *av, *k, *ns, *name;

		CU_ASSERT_EQUAL(hr_manifest_split(h[i].manifest, h[i].manifest_len, st, &d, &nd, &err), 0);
		CU_ASSERT_EQUAL(nd, 1);
		CU_ASSERT(nd == 1 && d[0].len == h[i].manifest_len);
		free(d);
		CU_ASSERT_EQUAL(hr_manifest_head(h[i].manifest, h[i].manifest_len, &av, &k, &ns, &name, &err), 0);
		CU_ASSERT_STRING_EQUAL(k, h[i].kind);
		CU_ASSERT_STRING_EQUAL(name, h[i].name);
		free(av), free(k), free(ns), free(name);
		if (i)
			CU_ASSERT(!hr_kind_less(ord, h[i].kind, h[i - 1].kind));
	}
	free(h);
}

static void test_corpus_manifests(void)
{
	static const char *const drivers[] = { "secret", "configmap", "sql" };
	size_t total = 0;

	for (size_t d = 0; d < 3; d++) {
		struct json_object **rels;
		size_t n = corpus_all_releases(drivers[d], &rels);

		for (size_t i = 0; i < n; i++) {
			check_release_manifest(rels[i]);
			check_release_hooks(rels[i]);
			json_object_put(rels[i]);
			total++;
		}
		free(rels);
	}
	CU_ASSERT(total >= 30);
}

/*
 * A manifest helm stored with an unusual order must be put in install
 * order, stably: taking a real manifest, reversing its documents and
 * sorting again gives helm's order back for distinct kinds.
 */
static void test_kind_sort(void)
{
	struct json_object *rel = corpus_release("secret", "shop", "web", 3);
	const char *m;
	hr_resource_list l = HR_RESOURCE_LIST_INIT, l2 = HR_RESOURCE_LIST_INIT;
	hr_buf rev = HR_BUF_INIT;
	hr_error err = HR_ERROR_INIT;

	CU_ASSERT_FATAL(rel != NULL);
	m = hr_release_str(rel, "manifest");
	CU_ASSERT_EQUAL_FATAL(hr_manifest_resources(&l, m, strlen(m), HR_SPLIT_OLD, HR_KINDS_H4, &err), 0);
	CU_ASSERT_FATAL(l.n >= 3);
	for (size_t i = l.n; i-- > 0;) {
		hr_buf_puts(&rev, "---\n");
		hr_buf_put(&rev, l.items[i].text, l.items[i].len);
		hr_buf_puts(&rev, "\n");
	}
	CU_ASSERT_EQUAL_FATAL(hr_manifest_resources(&l2, rev.ptr, rev.len, HR_SPLIT_OLD, HR_KINDS_H4, &err), 0);
	CU_ASSERT_EQUAL_FATAL(l2.n, l.n);
	for (size_t i = 0; i < l.n; i++) {
		CU_ASSERT_STRING_EQUAL(l2.items[i].kind, l.items[i].kind);
		CU_ASSERT_STRING_EQUAL(l2.items[i].name, l.items[i].name);
	}
	/* helm's lessByKind: unknown kinds last, alphabetical among themselves */
	CU_ASSERT(hr_kind_less(HR_KINDS_H4, "Service", "Deployment"));
	CU_ASSERT(hr_kind_less(HR_KINDS_H4, "Ingress", "Gizmo"));
	CU_ASSERT(hr_kind_less(HR_KINDS_H4, "Alpha", "Gizmo"));
	CU_ASSERT(!hr_kind_less(HR_KINDS_H4, "Gizmo", "Alpha"));
	CU_ASSERT(!hr_kind_less(HR_KINDS_H4, "Gizmo", "Gizmo"));
	/* Helm 3 does not know the webhook kinds; 3.12 not PriorityClass */
	CU_ASSERT(hr_kind_less(HR_KINDS_H4, "MutatingWebhookConfiguration", "Alpha"));
	CU_ASSERT(!hr_kind_less(HR_KINDS_H3, "MutatingWebhookConfiguration", "Alpha"));
	CU_ASSERT(hr_kind_less(HR_KINDS_H3, "PriorityClass", "Namespace"));
	CU_ASSERT(!hr_kind_less(HR_KINDS_H3_OLD, "PriorityClass", "Namespace"));
	hr_buf_free(&rev);
	hr_resource_list_free(&l);
	hr_resource_list_free(&l2);
	json_object_put(rel);
}

/* Heads: namespace, odd shapes, unreadable YAML. */
static void test_heads(void)
{
	static const char doc[] =
		"# Source: x/templates/a.yaml\n"
		"kind: ConfigMap\n"
		"data:\n  kind: NotThis\n  metadata: {name: no}\n"
		"metadata:\n  labels: {name: nope}\n  annotations:\n    name: nope\n  name: real\n  namespace: ns1\n"
		"apiVersion: v1\n";
	hr_error err = HR_ERROR_INIT;
	char *av, *k, *ns, *name;
	hr_resource r = { 0 };
	hr_buf key = HR_BUF_INIT;

	CU_ASSERT_EQUAL(hr_manifest_head(doc, sizeof(doc) - 1, &av, &k, &ns, &name, &err), 0);
	CU_ASSERT_STRING_EQUAL(av, "v1");
	CU_ASSERT_STRING_EQUAL(k, "ConfigMap");
	CU_ASSERT_STRING_EQUAL(ns, "ns1");
	CU_ASSERT_STRING_EQUAL(name, "real");
	free(av), free(k), free(ns), free(name);

	CU_ASSERT_EQUAL(hr_manifest_head("a: [1, 2\nb: {", 13, &av, &k, &ns, &name, &err), HR_EFORMAT);
	CU_ASSERT_STRING_EQUAL(k, "");
	free(av), free(k), free(ns), free(name);

	r.api_version = "apps/v1";
	r.kind = "Deployment";
	r.namespace = "";
	r.name = "web";
	CU_ASSERT_EQUAL(hr_resource_key(&key, &r, "shop"), 0);
	CU_ASSERT_STRING_EQUAL(key.ptr, "apps/Deployment/shop/web");
	hr_buf_free(&key);
}

/* Hooks of one event in helm's execution order: weight, then name, stable. */
static void test_hook_order(void)
{
	static const char rel_json[] =
		"{\"hooks\":["
		"{\"name\":\"b\",\"kind\":\"Job\",\"events\":[\"pre-rollback\"],\"weight\":5},"
		"{\"name\":\"a\",\"kind\":\"ConfigMap\",\"events\":[\"post-rollback\",\"pre-rollback\"],\"weight\":5},"
		"{\"name\":\"z\",\"kind\":\"Job\",\"events\":[\"pre-rollback\"],\"weight\":-1},"
		"{\"name\":\"c\",\"kind\":\"Job\",\"events\":[\"pre-install\"]},"
		"{\"name\":\"a\",\"kind\":\"Pod\",\"events\":[\"pre-rollback\"],\"weight\":5}"
		"]}";
	struct json_object *rel = json_tokener_parse(rel_json);
	hr_hook_ref *h;
	hr_error err = HR_ERROR_INIT;
	size_t n;

	CU_ASSERT_FATAL(rel != NULL);
	CU_ASSERT_EQUAL(hr_manifest_hooks(rel, "pre-rollback", &h, &n, &err), 0);
	CU_ASSERT_EQUAL_FATAL(n, 4);
	CU_ASSERT_STRING_EQUAL(h[0].name, "z");
	CU_ASSERT_STRING_EQUAL(h[1].name, "a");
	CU_ASSERT_STRING_EQUAL(h[1].kind, "ConfigMap");
	CU_ASSERT_STRING_EQUAL(h[2].name, "a");
	CU_ASSERT_STRING_EQUAL(h[2].kind, "Pod");
	CU_ASSERT_STRING_EQUAL(h[3].name, "b");
	free(h);
	CU_ASSERT_EQUAL(hr_manifest_hooks(rel, "post-rollback", &h, &n, &err), 0);
	CU_ASSERT_EQUAL(n, 1);
	free(h);
	json_object_put(rel);
}

/* The quick head (indexing) agrees with libyaml's on helm-shaped documents, and says NULL for absent. */
static void test_head_quick(void)
{
	static const char doc[] =
		"# Source: app/templates/svc.yaml\napiVersion: v1\nkind: Service\nmetadata:\n"
		"  name: \"web\"\n  labels:\n    name: not-this\n  namespace: shop \nspec:\n  name: nor-this\n";
	hr_doc_head h = HR_DOC_HEAD_INIT;
	char *api, *kind, *ns, *name;
	hr_error err = HR_ERROR_INIT;

	CU_ASSERT_EQUAL_FATAL(hr_manifest_head_quick(&h, doc, strlen(doc)), 0);
	CU_ASSERT_EQUAL_FATAL(hr_manifest_head(doc, strlen(doc), &api, &kind, &ns, &name, &err), 0);
	CU_ASSERT_STRING_EQUAL(h.source, "app/templates/svc.yaml");
	CU_ASSERT_STRING_EQUAL(h.api_version, api);
	CU_ASSERT_STRING_EQUAL(h.kind, kind);
	CU_ASSERT_STRING_EQUAL(h.name, name);
	CU_ASSERT_STRING_EQUAL(h.namespace, ns);
	free(api);
	free(kind);
	free(ns);
	free(name);
	hr_doc_head_release(&h);
	CU_ASSERT_EQUAL(hr_manifest_head_quick(&h, "kind: ConfigMap\n", 16), 0);
	CU_ASSERT_STRING_EQUAL(h.kind, "ConfigMap");
	CU_ASSERT_PTR_NULL(h.api_version);
	CU_ASSERT_PTR_NULL(h.name);
	CU_ASSERT_PTR_NULL(h.source);
	hr_doc_head_release(&h);
}

/* One document's sure head: 1 when sure, and then equal to libyaml's. */
static int sure_matches(const char *d, size_t n)
{
	char *s[4], *y[4];
	hr_error err = HR_ERROR_INIT;
	int sure = hr_manifest_head_sure(d, n, &s[0], &s[1], &s[2], &s[3]);

	if (sure != 1)
		return sure;
	CU_ASSERT_EQUAL(hr_manifest_head(d, n, &y[0], &y[1], &y[2], &y[3], &err), 0);
	for (int i = 0; i < 4; i++) {
		CU_ASSERT_STRING_EQUAL(s[i], y[i]);
		free(s[i]);
		free(y[i]);
	}
	return 1;
}

/*
 * The sure head reads every document helm rendered in the corpus (manifests
 * and hooks) without libyaml, with libyaml's answer; documents it cannot be
 * sure of go to libyaml.
 */
static void test_head_sure(void)
{
	static const char *const drivers[] = { "secret", "configmap", "sql" };
	static const char *const unsure[] = {
		"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n",            /* flow metadata */
		"apiVersion: v1\nkind: ConfigMap\nmetadata:\n    name: deep\n",       /* keys at four spaces */
		"apiVersion: v1\nkind: A\nkind: B\n",                                /* duplicate */
		"apiVersion: v1 # c\nkind: Secret\n",                                 /* comment in the value */
		"spec: {\nkind: Fake\n}\napiVersion: v1\n",                            /* open flow mapping */
		"note: \"a\nkind: Fake\nb\"\napiVersion: v1\n",                          /* open quote */
		"apiVersion: v1\nkind: ConfigMap\nmetadata: &m\n  name: x\n",          /* anchor */
		"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: *n\n",           /* alias */
		"  apiVersion: v1\n  kind: X\n",                                      /* indented root */
		"apiVersion: v1\r\nkind: X\r\n",                                       /* CR */
		"apiVersion: v1\nkind: X\nmetadata:\n\tname: x\n",                      /* tab */
		"- apiVersion: v1\n",                                                  /* a sequence root */
		"\"kind\": X\napiVersion: v1\n",                                        /* quoted key */
		"apiVersion: v1\n  kdX:in\n",                                          /* a plain scalar continued */
		"ports:\n  tar image: \"x\napiVersion: apps/v1\nkind: D\"\n",             /* a key with a blank opens a quote */
		"apiVersion: v1\nkind: X\nmetadata:\n  name: a\n# c\n    b\n",          /* ... past a comment */
	};
	size_t docs = 0, sure = 0;

	for (size_t d = 0; d < 3; d++) {
		struct json_object **rels;
		size_t n = corpus_all_releases(drivers[d], &rels);

		for (size_t i = 0; i < n; i++) {
			struct json_object *hooks = hr_release_get(rels[i], "hooks");
			size_t nh = hooks && json_object_is_type(hooks, json_type_array) ? json_object_array_length(hooks) : 0;

			for (size_t h = 0; h <= nh; h++) {
				const char *m = h == nh ? hr_release_str(rels[i], "manifest")
					: json_object_get_string(json_object_object_get(json_object_array_get_idx(hooks, h),
											"manifest"));
				hr_span *sp = NULL;
				size_t ns = 0;
				hr_error err = HR_ERROR_INIT;

				if (!m || hr_manifest_split(m, strlen(m), HR_SPLIT_OLD, &sp, &ns, &err))
					continue;
				for (size_t k = 0; k < ns; k++, docs++) {
					int r = sure_matches(m + sp[k].off, sp[k].len);

					sure += r == 1;
					if (r != 1)
						fprintf(stderr, "not sure of:\n%.*s\n", (int)sp[k].len, m + sp[k].off);
				}
				free(sp);
			}
			json_object_put(rels[i]);
		}
		free(rels);
	}
	CU_ASSERT(docs >= 100);
	CU_ASSERT_EQUAL(sure, docs);
	for (size_t i = 0; i < sizeof(unsure) / sizeof(unsure[0]); i++) {
		if (sure_matches(unsure[i], strlen(unsure[i])) != 0)
			fprintf(stderr, "sure of: %s\n", unsure[i]);
		CU_ASSERT_EQUAL(sure_matches(unsure[i], strlen(unsure[i])), 0);
	}
	/* plain, quoted and RBAC-style values; metadata's deeper keys ignored; block scalars */
	{
		static const char plain[] = "apiVersion: \"apps/v1\"\nkind: 'Deployment'\nmetadata:\n  labels:\n    name: lab\n"
					    "  name: \"web\"\n  namespace: shop\ndata:\n  a: |\n    name: fake\n";
		static const char rbac[] = "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n"
					   "  name: system:helm-x\n";

		CU_ASSERT_EQUAL(sure_matches(plain, strlen(plain)), 1);
		CU_ASSERT_EQUAL(sure_matches(rbac, strlen(rbac)), 1);
	}
}

HR_TEST_MAIN("manifest",
	     { "split: helm's regexes (oracle cases)", test_split_oracle },
	     { "split: every corpus manifest and hook", test_corpus_manifests },
	     { "install kind order", test_kind_sort },
	     { "document heads and resource keys", test_heads },
	     { "quick document heads (index)", test_head_quick },
	     { "sure document heads (audit)", test_head_sure },
	     { "hook execution order", test_hook_order })
