/*
 * test_audit.c — the audit library without the binary: the embedded
 * deprecation table, version parsing, rule lookup, severities, and the
 * rules run on an in-memory index of the corpus (stuck releases found,
 * sorted worst first, no credential value in any finding, SARIF levels).
 */
#include <string.h>
#include "testutil.h"
#include "audit/audit.h"
#include "scan/scan.h"

static void test_table(void)
{
	const hr_deprecation *t, *d;
	size_t n;
	int seen16 = 0, seen32 = 0;

	CU_ASSERT_EQUAL_FATAL(hr_deprecations(&t, &n, NULL), 0);
	CU_ASSERT(n >= 50);
	for (size_t i = 0; i < n; i++) {
		CU_ASSERT(t[i].rem_major == 1 && t[i].rem_minor >= 16 && t[i].rem_minor <= 32);
		CU_ASSERT(t[i].dep_minor < t[i].rem_minor);
		seen16 |= t[i].rem_minor == 16;
		seen32 |= t[i].rem_minor == 32;
	}
	CU_ASSERT(seen16 && seen32);
	d = hr_deprecation_find("policy/v1beta1", "PodSecurityPolicy");
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	CU_ASSERT_STRING_EQUAL(d->replacement, "");
	d = hr_deprecation_find("batch/v1beta1", "CronJob");
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	CU_ASSERT_STRING_EQUAL(d->replacement, "batch/v1");
	CU_ASSERT_PTR_NULL(hr_deprecation_find("apps/v1", "Deployment"));
}

static void test_parse(void)
{
	int ma = 0, mi = 0;

	CU_ASSERT_EQUAL(hr_kube_version_parse("1.29", &ma, &mi), 0);
	CU_ASSERT(ma == 1 && mi == 29);
	CU_ASSERT_EQUAL(hr_kube_version_parse("v1.25.3", &ma, &mi), 0);
	CU_ASSERT(ma == 1 && mi == 25);
	CU_ASSERT_NOT_EQUAL(hr_kube_version_parse("1", &ma, &mi), 0);
	CU_ASSERT_NOT_EQUAL(hr_kube_version_parse("x.y", &ma, &mi), 0);
	CU_ASSERT_NOT_EQUAL(hr_kube_version_parse("1.2x", &ma, &mi), 0);
	CU_ASSERT_EQUAL(hr_severity_parse("warning"), HR_SEV_WARNING);
	CU_ASSERT_EQUAL(hr_severity_parse("fatal"), -1);
	CU_ASSERT_PTR_NOT_NULL(hr_audit_rule_find("stuck-operation"));
	CU_ASSERT_PTR_NULL(hr_audit_rule_find("nope"));
}

static void test_corpus(void)
{
	const char *in[] = { "testdata/corpus/dumps/all-secrets-configmaps.yaml" };
	hr_index *idx = NULL;
	hr_scan_opts so = { 0 };
	hr_scan_summary sum;
	hr_audit_opts o = HR_AUDIT_OPTS_INIT;
	hr_audit_result r = HR_AUDIT_RESULT_INIT;
	hr_buf out = HR_BUF_INIT;
	hr_error err = HR_ERROR_INIT;
	size_t stuck = 0;

	so.threads = 0;
	CU_ASSERT_EQUAL_FATAL(hr_index_open(&idx, NULL, HR_INDEX_CREATE, &err), 0);
	CU_ASSERT_EQUAL_FATAL(hr_scan(idx, in, 1, &so, &sum, &err), 0);
	CU_ASSERT_EQUAL_FATAL(hr_audit_run(idx, &o, &r, &err), 0);
	for (size_t i = 0; i < r.n; i++) {
		if (!strcmp(r.items[i].rule, "stuck-operation"))
			stuck++;
		if (i)
			CU_ASSERT(r.items[i - 1].severity >= r.items[i].severity);
		CU_ASSERT(!r.items[i].evidence || !strstr(r.items[i].evidence, "init-ecmz8u5pqj92"));
	}
	CU_ASSERT_EQUAL(stuck, 2);
	CU_ASSERT_EQUAL(hr_audit_worst(&r), HR_SEV_ERROR);
	CU_ASSERT_EQUAL(hr_audit_format_sarif(&out, &r, "test", &err), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out.ptr, "\"version\": \"2.1.0\""));
	CU_ASSERT_PTR_NULL(strstr(out.ptr, "\"level\": \"info\""));
	CU_ASSERT_EQUAL(hr_audit_store(idx, &o, &r, &err), 0);
	hr_buf_free(&out);
	hr_audit_result_free(&r);
	/* --rule narrows; an unknown id is refused. */
	{
		const char *only[] = { "revision-gap" };

		o.rules = only;
		o.nrules = 1;
		CU_ASSERT_EQUAL(hr_audit_run(idx, &o, &r, &err), 0);
		for (size_t i = 0; i < r.n; i++)
			CU_ASSERT_STRING_EQUAL(r.items[i].rule, "revision-gap");
		hr_audit_result_free(&r);
		only[0] = "nope";
		CU_ASSERT_EQUAL(hr_audit_run(idx, &o, &r, &err), HR_EINVAL);
	}
	hr_index_close(idx);
}

HR_TEST_MAIN("audit", { "deprecation table", test_table }, { "parsing", test_parse },
	     { "corpus", test_corpus })
