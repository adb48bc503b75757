/*
 * test_render_list.c — `helm list` against the per-driver goldens of helm
 * v4.1.4 (`list -A`) and v3.17.1 (`list -A -a`), built from every decoded
 * record of that driver, plus the filters, sorting and paging options on
 * the same real records.
 *
 * Helm orders releases with the same name (web in shop and in staging)
 * randomly (Go map iteration before an unstable sort): the v4 golden is
 * compared byte for byte (our tie order, namespace ascending, matches it);
 * the v3 golden, which happened to come out the other way, is compared
 * with the rows of equal names put in namespace order.
 */
#include "testcorpus.h"
#include "render/helm.h"

static const char *const drivers[] = { "secret", "configmap", "sql" };

struct corpus_rows {
	struct json_object **rels;
	hr_rev_summary *sums;
	size_t n;
};

static void load_rows(struct corpus_rows *c, const char *driver)
{
	c->n = corpus_all_releases(driver, &c->rels);
	c->sums = calloc(c->n + 1, sizeof(*c->sums));
	for (size_t i = 0; i < c->n; i++)
		hr_rev_summary_from_json(&c->sums[i], c->rels[c->n - 1 - i]); /* glob order reversed */
}

static void free_rows(struct corpus_rows *c)
{
	for (size_t i = 0; i < c->n; i++)
		json_object_put(c->rels[i]);
	free(c->rels);
	free(c->sums);
}

/*
 * Put runs of rows with the same release name in namespace order.  Table:
 * rows are lines, NAME then NAMESPACE are the first two cells.  JSON: the
 * flat objects of the array, "name" then "namespace" first.
 */
static char *tie_order(const char *text, int json)
{
	char *s = strdup(text), *parts[256], *out, *body = s;
	const char *sep = json ? "},{" : "\n";
	size_t n = 0, len = strlen(text), seplen = strlen(sep);
	char *p;

	if (json) {
		/* "[{...},{...}]\n": keep only the inside of the outer braces */
		body = s + 2;
		s[len - 3] = 0;
	}
	p = body;
	while (n < 256) {
		char *q = strstr(p, sep);
		parts[n++] = p;
		if (!q)
			break;
		*q = 0;
		p = q + seplen;
	}
	/* bubble sort adjacent rows of equal name by the namespace cell (row 0 of a table is the header) */
	for (size_t pass = 0; pass < n; pass++) {
		for (size_t i = json ? 0 : 1; i + 1 < n; i++) {
			char na[128] = "", nb[128] = "", sa[128] = "", sb[128] = "";
			const char *fmt = json ? "\"name\":\"%127[^\"]\",\"namespace\":\"%127[^\"]"
					       : "%127[^\t]\t%127[^\t]";
			sscanf(parts[i], fmt, na, sa);
			sscanf(parts[i + 1], fmt, nb, sb);
			if (strcmp(na, nb) == 0 && strcmp(sa, sb) > 0) {
				char *x = parts[i];
				parts[i] = parts[i + 1];
				parts[i + 1] = x;
			}
		}
	}
	out = calloc(len + 1, 1);
	if (json)
		strcat(out, "[{");
	for (size_t i = 0; i < n; i++) {
		if (i)
			strcat(out, sep);
		strcat(out, parts[i]);
	}
	if (json)
		strcat(out, "}]\n");
	free(s);
	return out;
}

static void test_goldens(void)
{
	size_t checked = 0;

	for (size_t d = 0; d < 3; d++) {
		struct corpus_rows c;

		load_rows(&c, drivers[d]);
		CU_ASSERT(c.n > 0);
		for (int v = 0; v < 2; v++) {
			for (int json = 0; json < 2; json++) {
				hr_list_opts o = HR_LIST_OPTS_INIT;
				hr_buf got = HR_BUF_INIT;
				hr_error err = HR_ERROR_INIT;
				char file[64], what[128], *want, *norm;

				snprintf(file, sizeof(file), "%s.%s", drivers[d], json ? "json" : "txt");
				want = corpus_golden(corpus_versions[v], "_list", file);
				CU_ASSERT_PTR_NOT_NULL_FATAL(want);
				o.helm_major = corpus_majors[v];
				o.all = corpus_majors[v] == 3;
				o.format = json ? "json" : "table";
				CU_ASSERT_EQUAL(hr_render_list(&got, c.sums, c.n, &o, &err), 0);
				snprintf(what, sizeof(what), "%s list %s", corpus_versions[v], file);
				norm = corpus_majors[v] == 3 ? tie_order(want, json) : strdup(want);
				CU_ASSERT(corpus_same(what, hr_buf_cstr(&got), norm));
				checked++;
				free(norm);
				free(want);
				hr_buf_free(&got);
			}
		}
		free_rows(&c);
	}
	CU_ASSERT_EQUAL(checked, 12);
}

static char *run(const struct corpus_rows *c, hr_list_opts *o)
{
	hr_buf got = HR_BUF_INIT;
	hr_error err = HR_ERROR_INIT;

	CU_ASSERT_EQUAL(hr_render_list(&got, c->sums, c->n, o, &err), 0);
	return hr_buf_detach(&got, NULL);
}

static void test_options(void)
{
	struct corpus_rows c;
	hr_list_opts o = HR_LIST_OPTS_INIT;
	char *s;

	load_rows(&c, "secret");
	/* -q: names in name order */
	o.short_names = 1;
	s = run(&c, &o);
	CU_ASSERT_STRING_EQUAL(s, "api\ncache\netl\nfresh\ngizmo\nhung\nlegacy\nplat\nweb\nweb\n");
	free(s);
	o.format = "json";
	s = run(&c, &o);
	CU_ASSERT_STRING_EQUAL(s, "[\"api\",\"cache\",\"etl\",\"fresh\",\"gizmo\",\"hung\",\"legacy\",\"plat\",\"web\",\"web\"]\n");
	free(s);
	/* helm 3 default: deployed + failed only (etl is uninstalled, hung/fresh pending) */
	o.format = "table";
	o.helm_major = 3;
	s = run(&c, &o);
	CU_ASSERT_STRING_EQUAL(s, "api\ncache\ngizmo\nlegacy\nplat\nweb\nweb\n");
	free(s);
	/* --pending, -r */
	o.helm_major = 4;
	o.pending = 1;
	o.reverse = 1;
	s = run(&c, &o);
	CU_ASSERT_STRING_EQUAL(s, "hung\nfresh\n");
	free(s);
	/* --superseded alone lists every superseded revision, not only the latest */
	o.pending = 0;
	o.reverse = 0;
	o.superseded = 1;
	o.short_names = 0;
	o.no_headers = 1;
	o.time_format = "2006-01-02";
	s = run(&c, &o);
	CU_ASSERT(strstr(s, "\nweb   \tshop    \t1\t2026-11-23\tsuperseded\twebapp-0.1.0  \t1.16.0\n") != NULL);
	CU_ASSERT(strstr(s, "\nweb   \tshop    \t5\t") != NULL);
	CU_ASSERT(strstr(s, "NAME") == NULL);
	free(s);
	/* -f regex, -d by date (oldest first), --offset, --max */
	o.superseded = 0;
	o.no_headers = 0;
	o.time_format = NULL;
	o.short_names = 1;
	o.filter = "^(web|cache|api)$";
	o.by_date = 1;
	s = run(&c, &o);
	CU_ASSERT_STRING_EQUAL(s, "web\nweb\ncache\napi\n");
	free(s);
	o.reverse = 1;
	o.offset = 1;
	o.max = 2;
	s = run(&c, &o);
	CU_ASSERT_STRING_EQUAL(s, "cache\nweb\n");
	free(s);
	o.offset = 10;
	s = run(&c, &o);
	CU_ASSERT_STRING_EQUAL(s, "");
	free(s);
	/* no match: the header only (json: []) */
	o.offset = 0;
	o.short_names = 0;
	o.filter = "nothing-matches";
	s = run(&c, &o);
	CU_ASSERT_STRING_EQUAL(s, "NAME\tNAMESPACE\tREVISION\tUPDATED\tSTATUS\tCHART\tAPP VERSION\n");
	free(s);
	o.format = "json";
	s = run(&c, &o);
	CU_ASSERT_STRING_EQUAL(s, "[]\n");
	free(s);
	{
		hr_buf b = HR_BUF_INIT;
		hr_error err = HR_ERROR_INIT;
		o.filter = "web(";
		CU_ASSERT_EQUAL(hr_render_list(&b, c.sums, c.n, &o, &err), HR_EINVAL);
		CU_ASSERT(strstr(err.msg, "error parsing regexp") != NULL);
		hr_buf_free(&b);
	}
	free_rows(&c);
}

HR_TEST_MAIN("render_list", { "corpus goldens", test_goldens }, { "options", test_options })
