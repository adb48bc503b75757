/*
 * test_util_yaml11.c — util/yaml11 against go-yaml v2.4's resolve() (the
 * cases of its resolve tests and decode_test.go) and isBase60Float.
 */
#include <math.h>
#include <string.h>
#include "testutil.h"
#include "util/yaml11.h"

#define S HR_YAML11_STR
#define N HR_YAML11_NULL
#define B HR_YAML11_BOOL
#define I HR_YAML11_INT
#define U HR_YAML11_UINT
#define F HR_YAML11_FLOAT
#define T HR_YAML11_TIMESTAMP

static void test_resolve(void)
{
	static const struct {
		const char *in;
		hr_yaml11_kind kind;
		double num;     /* bool value, integer or float */
	} cases[] = {
		{ "", N, 0 }, { "~", N, 0 }, { "null", N, 0 }, { "Null", N, 0 }, { "nULL", S, 0 },
		{ "y", B, 1 }, { "Yes", B, 1 }, { "ON", B, 1 }, { "n", B, 0 }, { "off", B, 0 }, { "FALSE", B, 0 },
		{ "yEs", S, 0 }, { "0", I, 0 }, { "-0", I, 0 }, { "0644", I, 420 }, { "0o17", I, 15 },
		{ "0x1F", I, 31 }, { "0b11", I, 3 }, { "-0b11", I, -3 }, { "1_000", I, 1000 }, { "1__0", I, 10 },
		{ "+7", I, 7 }, { "09", F, 9 }, { "18446744073709551615", U, 18446744073709551615.0 },
		{ "18446744073709551616", F, 18446744073709551616.0 }, { "1.5", F, 1.5 }, { ".5", F, 0.5 },
		{ "1.", F, 1 }, { "1e3", F, 1000 }, { "-1.5E-2", F, -0.015 }, { "1_0.5", F, 10.5 },
		{ ".5_0", F, 0.5 }, { "._5", S, 0 }, { "1e999", S, 0 }, { ".inf", F, INFINITY },
		{ "-.Inf", F, -INFINITY }, { "+.INF", F, INFINITY }, { ".nan", F, NAN }, { ".NaN", F, NAN },
		{ ".Nan", S, 0 }, { "2001-12-14", T, 0 }, { "2001-12-14t21:59:43.10-05:00", T, 0 },
		{ "2001-12-14 21:59:43.10", T, 0 }, { "2002-12-14T21:59:43Z", T, 0 }, { "2001-02-30", S, 0 },
		{ "2001-1-2", T, 0 }, { "20011-12-14", S, 0 }, { "1:20", S, 0 }, { "0x", S, 0 },
		{ "abc", S, 0 }, { "true ", S, 0 }, { "-", S, 0 }, { "+", S, 0 }, { ".", S, 0 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		hr_yaml11_value v;

		CU_ASSERT_EQUAL(hr_yaml11_resolve(cases[i].in, strlen(cases[i].in), &v), 0);
		CU_ASSERT_EQUAL(v.kind, cases[i].kind);
		if (v.kind != cases[i].kind) {
			fprintf(stderr, "resolve(%s): kind %d, want %d\n", cases[i].in, v.kind, cases[i].kind);
			continue;
		}
		if (v.kind == B)
			CU_ASSERT_EQUAL(v.b, (int)cases[i].num);
		if (v.kind == I)
			CU_ASSERT_EQUAL(v.i, (int64_t)cases[i].num);
		if (v.kind == U)
			CU_ASSERT_EQUAL(v.u, UINT64_MAX);
		if (v.kind == F)
			CU_ASSERT(isnan(cases[i].num) ? isnan(v.f) : v.f == cases[i].num);
	}
}

static void test_base60(void)
{
	static const struct {
		const char *in;
		int want;
	} cases[] = {
		{ "1:20", 1 }, { "-1:20", 1 }, { "190:20:30.15", 1 }, { "1_0:59", 1 }, { "1:60", 0 }, { "1:2:3", 1 },
		{ "1:", 0 }, { ":1", 0 }, { "1:123", 0 }, { "12", 0 }, { "a:1", 0 }, { "1:20.5_", 1 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		CU_ASSERT_EQUAL(hr_yaml11_is_base60_float(cases[i].in, strlen(cases[i].in)), cases[i].want);
}

HR_TEST_MAIN("util_yaml11", { "resolve", test_resolve }, { "isBase60Float", test_base60 })
