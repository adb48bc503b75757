/*
 * test_diff.c — the line diff (checked as a patch and against an LCS
 * oracle for minimality) and release comparisons on known corpus pairs:
 * web v3 -> v4 (the imagePullPolicy change of the failed upgrade), web
 * v5 -> v6 (a rotated password: masked), etl v1 -> v2 (a hook changed),
 * and resources added/removed.
 */
#include "render/diff.h"
#include "codec/gojson.h"
#include "model/release.h"
#include "testcorpus.h"

#include <stdlib.h>
#include <string.h>

/* Rebuild both sides from a whole-text diff (context -1) and count edits. */
static void check_patch(const char *a, const char *b)
{
	hr_buf d = HR_BUF_INIT, ra = HR_BUF_INIT, rb = HR_BUF_INIT;
	size_t edits = 0, i = 0;
	int changed;

	CU_ASSERT_EQUAL_FATAL(hr_diff_text(&d, a, strlen(a), b, strlen(b), -1, 0, &changed), 0);
	CU_ASSERT_EQUAL(changed, strcmp(a, b) != 0);
	while (d.ptr && i < d.len) {
		size_t e = i;

		while (e < d.len && d.ptr[e] != '\n')
			e++;
		if (d.ptr[i] == ' ' || d.ptr[i] == '-') {
			hr_buf_put(&ra, d.ptr + i + 1, e - i - 1);
			hr_buf_putc(&ra, '\n');
		}
		if (d.ptr[i] == ' ' || d.ptr[i] == '+') {
			hr_buf_put(&rb, d.ptr + i + 1, e - i - 1);
			hr_buf_putc(&rb, '\n');
		}
		edits += d.ptr[i] == '-' || d.ptr[i] == '+';
		i = e + 1;
	}
	if (changed) {
		CU_ASSERT_STRING_EQUAL(hr_buf_cstr(&ra), a);
		CU_ASSERT_STRING_EQUAL(hr_buf_cstr(&rb), b);
	}
	/* minimal: edits == N + M - 2 * LCS (dynamic programming oracle) */
	{
		const char *la[64], *lb[64];
		size_t na = 0, nb = 0, L[65][65];

		for (const char *p = a; *p; p = strchr(p, '\n') + 1)
			la[na++] = p;
		for (const char *p = b; *p; p = strchr(p, '\n') + 1)
			lb[nb++] = p;
		for (size_t x = 0; x <= na; x++)
			for (size_t y = 0; y <= nb; y++) {
				if (!x || !y)
					L[x][y] = 0;
				else if (strcspn(la[x - 1], "\n") == strcspn(lb[y - 1], "\n") &&
					 !strncmp(la[x - 1], lb[y - 1], strcspn(la[x - 1], "\n")))
					L[x][y] = L[x - 1][y - 1] + 1;
				else
					L[x][y] = L[x - 1][y] > L[x][y - 1] ? L[x - 1][y] : L[x][y - 1];
			}
		CU_ASSERT_EQUAL(edits, na + nb - 2 * L[na][nb]);
	}
	hr_buf_free(&d);
	hr_buf_free(&ra);
	hr_buf_free(&rb);
}

static void test_text_random(void)
{
	unsigned seed = 12345;

	for (int t = 0; t < 500; t++) {
		char a[256], b[256];
		size_t la = 0, lb = 0;
		int na, nb;

		seed = seed * 1103515245 + 12345;
		na = (int)(seed >> 16) % 30;
		seed = seed * 1103515245 + 12345;
		nb = (int)(seed >> 16) % 30;
		for (int i = 0; i < na; i++) {
			seed = seed * 1103515245 + 12345;
			la += (size_t)snprintf(a + la, sizeof(a) - la, "%c\n", 'a' + (int)((seed >> 16) % 4));
		}
		a[la] = 0;
		for (int i = 0; i < nb; i++) {
			seed = seed * 1103515245 + 12345;
			lb += (size_t)snprintf(b + lb, sizeof(b) - lb, "%c\n", 'a' + (int)((seed >> 16) % 4));
		}
		b[lb] = 0;
		check_patch(a, b);
	}
}

static void test_text_hunks(void)
{
	hr_buf d = HR_BUF_INIT;
	int ch;

	CU_ASSERT_EQUAL(hr_diff_text(&d, "1\n2\n3\n4\n5\n6\n7\n8\n9\n", 18, "1\n2\n3\n4\nX\n6\n7\n8\n9\n", 18, 1, 0, &ch), 0);
	CU_ASSERT_STRING_EQUAL(d.ptr, "@@ -4,3 +4,3 @@\n 4\n-5\n+X\n 6\n");
	hr_buf_clear(&d);
	CU_ASSERT_EQUAL(hr_diff_text(&d, "a\n", 2, "", 0, 3, 0, &ch), 0);
	CU_ASSERT_STRING_EQUAL(d.ptr, "@@ -1,1 +0,0 @@\n-a\n");
	hr_buf_clear(&d);
	CU_ASSERT_EQUAL(hr_diff_text(&d, "same", 4, "same", 4, 3, 0, &ch), 0);
	CU_ASSERT_EQUAL(ch, 0);
	CU_ASSERT_EQUAL(d.len, 0);
	hr_buf_free(&d);
}

static struct json_object *rel(const char *drv, const char *ns, const char *name, long v)
{
	return corpus_release(drv, ns, name, v);
}

static void test_web_3_4(void)
{
	struct json_object *a = rel("secret", "shop", "web", 3), *b = rel("secret", "shop", "web", 4);
	hr_diff_opts o = { 3, 0, 0 };
	hr_error err = HR_ERROR_INIT;
	hr_buf out = HR_BUF_INIT;
	size_t n;

	CU_ASSERT_EQUAL_FATAL(hr_diff_releases(&out, a, b, &o, &n, &err), 0);
	CU_ASSERT_EQUAL(n, 2);   /* the Deployment and the values */
	CU_ASSERT(strstr(out.ptr, "shop, web-webapp, Deployment (apps) has changed:\n@@ ") != NULL);
	CU_ASSERT(strstr(out.ptr, "\n-          imagePullPolicy: IfNotPresent\n+          imagePullPolicy: NoSuchPolicy\n") != NULL);
	CU_ASSERT(strstr(out.ptr, "user-supplied values has changed:") != NULL);
	CU_ASSERT(strstr(out.ptr, "\n+image.pullPolicy: \"NoSuchPolicy\"\n") != NULL);
	CU_ASSERT(strstr(out.ptr, "\033[") == NULL);
	/* colour when asked */
	hr_buf_clear(&out);
	o.flags = HR_DIFF_COLOR;
	CU_ASSERT_EQUAL(hr_diff_releases(&out, a, b, &o, &n, &err), 0);
	CU_ASSERT(strstr(out.ptr, "\033[31m-          imagePullPolicy: IfNotPresent\033[0m") != NULL);
	/* JSON */
	hr_buf_clear(&out);
	o.flags = 0;
	o.as_json = 1;
	CU_ASSERT_EQUAL(hr_diff_releases(&out, a, b, &o, &n, &err), 0);
	{
		struct json_object *j = json_tokener_parse(out.ptr), *c;

		CU_ASSERT_FATAL(j && json_object_object_get_ex(j, "changes", &c));
		CU_ASSERT_EQUAL(json_object_array_length(c), 2);
		CU_ASSERT_STRING_EQUAL(hr_release_str(json_object_array_get_idx(c, 0), "kind"), "Deployment");
		CU_ASSERT_STRING_EQUAL(hr_release_str(json_object_array_get_idx(c, 0), "change"), "changed");
		json_object_put(j);
	}
	/* identical revisions: nothing */
	hr_buf_clear(&out);
	o.as_json = 0;
	CU_ASSERT_EQUAL(hr_diff_releases(&out, a, a, &o, &n, &err), 0);
	CU_ASSERT_EQUAL(n, 0);
	CU_ASSERT_EQUAL(out.len, 0);
	json_object_put(a);
	json_object_put(b);
	hr_buf_free(&out);
}

/* web v5 -> v6 rotated the password in the Secret's stringData. */
static void test_masked_secret(void)
{
	struct json_object *a = rel("secret", "shop", "web", 5), *b = rel("secret", "shop", "web", 6);
	hr_diff_opts o = { 3, 0, 0 };
	hr_error err = HR_ERROR_INIT;
	hr_buf out = HR_BUF_INIT;
	size_t n;

	CU_ASSERT_EQUAL_FATAL(hr_diff_releases(&out, a, b, &o, &n, &err), 0);
	CU_ASSERT(strstr(out.ptr, "Secret has changed:") != NULL);
	CU_ASSERT(strstr(out.ptr, "-  password: '-------- # (17 bytes)'\n+  password: '++++++++ # (20 bytes)'") != NULL);
	CU_ASSERT(strstr(out.ptr, "  username: 'REDACTED # (5 bytes)'") != NULL);
	/* no secret value leaks from the Secret document */
	{
		const char *s = strstr(out.ptr, "Secret has changed:"), *e = strstr(s, "\n\n");
		char *part = strndup(s, (size_t)(e - s));

		CU_ASSERT(strstr(part, "init-ecmz8u5pqj92") == NULL);
		CU_ASSERT(strstr(part, "rotated-3gfptjfyhpvu") == NULL);
		free(part);
	}
	hr_buf_clear(&out);
	o.flags = HR_DIFF_SHOW_SECRETS;
	CU_ASSERT_EQUAL(hr_diff_releases(&out, a, b, &o, &n, &err), 0);
	CU_ASSERT(strstr(out.ptr, "+  password: \"rotated-3gfptjfyhpvu\"") != NULL);
	/* base64 data: decoded length */
	{
		static const char d1[] = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  k: aGVsbG8=\n  j: |\n    eA==\n";
		hr_buf m = HR_BUF_INIT;

		CU_ASSERT_EQUAL(hr_diff_mask_secret(&m, d1, sizeof(d1) - 1, NULL, 0, "++++++++"), 0);
		CU_ASSERT_STRING_EQUAL(m.ptr, "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n"
					      "  k: '++++++++ # (5 bytes)'\n  j: '++++++++ # (10 bytes)'\n");
		hr_buf_free(&m);
	}
	json_object_put(a);
	json_object_put(b);
	hr_buf_free(&out);
}

/* etl v1 -> v2: the hook Job changed; hooks are compared apart from resources. */
static void test_hook_change(void)
{
	struct json_object *a = rel("secret", "batch", "etl", 1), *b = rel("secret", "batch", "etl", 2);
	hr_diff_opts o = { 3, 0, 0 };
	hr_error err = HR_ERROR_INIT;
	hr_buf out = HR_BUF_INIT;
	size_t n;

	CU_ASSERT_EQUAL_FATAL(hr_diff_releases(&out, a, b, &o, &n, &err), 0);
	CU_ASSERT(strstr(out.ptr, "batch, etl-hooked-migrate, Job [hook] has changed:") != NULL);
	CU_ASSERT(strstr(out.ptr, "+          command: [\"sh\", \"-c\", \"echo migrating schema 2\"]") != NULL);
	json_object_put(a);
	json_object_put(b);
	hr_buf_free(&out);
}

/* Added and removed: revision 3 against itself with one document swapped for another. */
static void test_added_removed(void)
{
	struct json_object *a = rel("secret", "shop", "web", 3), *b = rel("secret", "shop", "web", 3);
	const char *m = hr_release_str(b, "manifest"), *cm = strstr(m, "---\n# Source: webapp/templates/configmap.yaml");
	const char *next = strstr(cm + 4, "\n---\n");
	hr_diff_opts o = { 3, 0, 0 };
	hr_error err = HR_ERROR_INIT;
	hr_buf nm = HR_BUF_INIT, out = HR_BUF_INIT;
	size_t n;

	CU_ASSERT_FATAL(cm && next);
	hr_buf_put(&nm, m, (size_t)(cm - m));
	hr_buf_puts(&nm, "---\n# Source: webapp/templates/extra.yaml\napiVersion: policy/v1\nkind: PodDisruptionBudget\n"
			 "metadata:\n  name: web-pdb\nspec:\n  minAvailable: 1\n");
	hr_buf_puts(&nm, next + 1);
	json_object_object_add(b, "manifest", json_object_new_string(nm.ptr));
	CU_ASSERT_EQUAL_FATAL(hr_diff_releases(&out, a, b, &o, &n, &err), 0);
	CU_ASSERT_EQUAL(n, 2);
	CU_ASSERT(strstr(out.ptr, "shop, web-pdb, PodDisruptionBudget (policy) has been added:\n@@ -0,0 +1,7 @@\n") != NULL);
	CU_ASSERT(strstr(out.ptr, "shop, web-webapp-settings, ConfigMap has been removed:\n@@ -1,") != NULL);
	json_object_put(a);
	json_object_put(b);
	hr_buf_free(&nm);
	hr_buf_free(&out);
}

HR_TEST_MAIN("diff",
	     { "line diff: patch and minimality (500 random cases)", test_text_random },
	     { "line diff: hunks", test_text_hunks },
	     { "web v3 -> v4: imagePullPolicy, values, colour, JSON", test_web_3_4 },
	     { "web v5 -> v6: masked Secret", test_masked_secret },
	     { "etl v1 -> v2: hook change", test_hook_change },
	     { "added and removed resources", test_added_removed })
