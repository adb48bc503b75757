/*
 * test_util_gostrconv.c — util/gostrconv against values Go's strconv and
 * encoding/json give (from the Go documentation and go test runs).
 */
#include <math.h>
#include <string.h>
#include "testutil.h"
#include "util/error.h"
#include "util/gostrconv.h"

static void test_parse_int(void)
{
	static const struct {
		const char *in;
		int base, rc;
		int64_t want;
	} cases[] = {
		{ "0", 0, 0, 0 }, { "-0", 0, 0, 0 }, { "+12", 0, 0, 12 }, { "0x1F", 0, 0, 31 },
		{ "0o17", 0, 0, 15 }, { "017", 0, 0, 15 }, { "0b101", 0, 0, 5 }, { "-0b101", 0, 0, -5 },
		{ "1_000", 0, 0, 1000 }, { "0x_1f", 0, 0, 31 }, { "1__0", 0, HR_EFORMAT, 0 },
		{ "_1", 0, HR_EFORMAT, 0 }, { "1_", 0, HR_EFORMAT, 0 }, { "1_0", 10, HR_EFORMAT, 0 },
		{ "09", 0, HR_EFORMAT, 0 }, { "0x", 0, HR_EFORMAT, 0 }, { "", 0, HR_EFORMAT, 0 },
		{ "-", 0, HR_EFORMAT, 0 }, { "9223372036854775807", 10, 0, INT64_MAX },
		{ "-9223372036854775808", 0, 0, INT64_MIN }, { "9223372036854775808", 0, HR_ETOOBIG, 0 },
		{ "99999999999999999999", 0, HR_ETOOBIG, 0 }, { "12a", 10, HR_EFORMAT, 0 }, { "zz", 36, 0, 1295 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int64_t v = -1;
		int rc = hr_go_parse_int(cases[i].in, strlen(cases[i].in), cases[i].base, &v);

		CU_ASSERT_EQUAL(rc, cases[i].rc);
		if (!cases[i].rc)
			CU_ASSERT_EQUAL(v, cases[i].want);
		if (rc != cases[i].rc || (!rc && v != cases[i].want))
			fprintf(stderr, "ParseInt(%s): rc %d v %lld\n", cases[i].in, rc, (long long)v);
	}
}

static void test_parse_uint_float(void)
{
	static const struct {
		const char *in;
		int rc;
		double want;
	} fl[] = {
		{ "1.5", 0, 1.5 }, { ".5", 0, 0.5 }, { "5.", 0, 5 }, { "-1e3", 0, -1000 }, { "1_0.5", 0, 10.5 },
		{ "1e", HR_EFORMAT, 0 }, { ".", HR_EFORMAT, 0 }, { "1.2.3", HR_EFORMAT, 0 }, { "1e999", HR_ETOOBIG, 0 },
		{ "1e-400", 0, 0 }, { "+Inf", 0, INFINITY }, { "-infinity", 0, -INFINITY }, { "infin", HR_EFORMAT, 0 },
		{ "1_", HR_EFORMAT, 0 }, { "0x1p3", HR_EFORMAT, 0 }, { "", HR_EFORMAT, 0 },
	};
	uint64_t u = 0;
	double f;

	CU_ASSERT_EQUAL(hr_go_parse_uint("18446744073709551615", 20, 0, &u), 0);
	CU_ASSERT_EQUAL(u, UINT64_MAX);
	CU_ASSERT_EQUAL(hr_go_parse_uint("18446744073709551616", 20, 0, &u), HR_ETOOBIG);
	CU_ASSERT_EQUAL(hr_go_parse_uint("+1", 2, 0, &u), HR_EFORMAT);
	for (size_t i = 0; i < sizeof(fl) / sizeof(fl[0]); i++) {
		int rc = hr_go_parse_float(fl[i].in, strlen(fl[i].in), &f);

		CU_ASSERT_EQUAL(rc, fl[i].rc);
		if (!rc)
			CU_ASSERT_EQUAL(f, fl[i].want);
		if (rc != fl[i].rc)
			fprintf(stderr, "ParseFloat(%s): rc %d\n", fl[i].in, rc);
	}
	CU_ASSERT_EQUAL(hr_go_parse_float("nan", 3, &f), 0);
	CU_ASSERT(isnan(f));
}

static void test_format(void)
{
	static const struct {
		double f;
		char fmt;
		int bits;
		const char *want;
	} cases[] = {
		{ 0, 'g', 64, "0" }, { -0.0, 'g', 64, "-0" }, { 1, 'g', 64, "1" }, { 0.1, 'g', 64, "0.1" },
		{ 123456, 'g', 64, "123456" }, { 1234567, 'g', 64, "1.234567e+06" }, { 1e21, 'g', 64, "1e+21" },
		{ 0.0001, 'g', 64, "0.0001" }, { 0.00001, 'g', 64, "1e-05" }, { 0.1, 'g', 32, "0.1" },
		{ 3.14159265358979, 'g', 32, "3.1415927" }, { 1e7, 'g', 32, "1e+07" }, { 0, 'e', 64, "0e+00" },
		{ 1.5, 'e', 64, "1.5e+00" }, { 1e10, 'f', 64, "10000000000" }, { 0.000123, 'f', 64, "0.000123" },
		{ NAN, 'g', 64, "NaN" }, { INFINITY, 'g', 64, "+Inf" }, { -INFINITY, 'f', 32, "-Inf" },
		{ 5e-324, 'g', 64, "5e-324" }, { 1.7976931348623157e308, 'g', 64, "1.7976931348623157e+308" },
	};
	static const struct {
		double f;
		const char *want;
	} json[] = {
		{ 0, "0" }, { -0.0, "-0" }, { 1e20, "100000000000000000000" }, { 1e21, "1e+21" },
		{ 1e-7, "1e-7" }, { 1.5e-6, "0.0000015" }, { -2.5e-10, "-2.5e-10" }, { 123.456, "123.456" },
	};
	hr_buf b = HR_BUF_INIT;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		hr_buf_clear(&b);
		CU_ASSERT_EQUAL(hr_go_format_float(&b, cases[i].f, cases[i].fmt, cases[i].bits), 0);
		CU_ASSERT_STRING_EQUAL(hr_buf_cstr(&b), cases[i].want);
		if (strcmp(hr_buf_cstr(&b), cases[i].want))
			fprintf(stderr, "FormatFloat %zu: %s\n", i, hr_buf_cstr(&b));
	}
	for (size_t i = 0; i < sizeof(json) / sizeof(json[0]); i++) {
		hr_buf_clear(&b);
		CU_ASSERT_EQUAL(hr_go_json_float(&b, json[i].f), 0);
		CU_ASSERT_STRING_EQUAL(hr_buf_cstr(&b), json[i].want);
	}
	CU_ASSERT_EQUAL(hr_go_json_float(&b, NAN), HR_EINVAL);
	hr_buf_free(&b);
}

HR_TEST_MAIN("util_gostrconv", { "ParseInt/ParseUint", test_parse_int }, { "ParseUint/ParseFloat", test_parse_uint_float },
	     { "FormatFloat and JSON floats", test_format })
