/*
 * test_gotime.c — util/gotime against Go's documented behaviour and the
 * dates helm printed in the corpus goldens.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "testutil.h"
#include "util/gotime.h"

static char *fmt(const char *rfc, const char *layout)
{
	static char res[256];
	hr_gotime t;
	hr_buf b = HR_BUF_INIT;

	if (hr_gotime_parse(&t, rfc, NULL) != 0)
		return "PARSE ERROR";
	hr_gotime_format(&b, &t, layout);
	snprintf(res, sizeof(res), "%s", hr_buf_cstr(&b));
	hr_buf_free(&b);
	return res;
}

static void set_tz(const char *tz)
{
	setenv("TZ", tz, 1);
	tzset();
}

/* Values from the corpus: history.txt and _list/secret.txt for the same stored times. */
static void test_corpus_values(void)
{
	set_tz("UTC");
	CU_ASSERT_STRING_EQUAL(fmt("2026-11-23T23:54:04.26097121Z", HR_GOTIME_ANSIC), "Mon Nov 23 23:54:04 2026");
	CU_ASSERT_STRING_EQUAL(fmt("2026-11-23T23:54:34.293683399Z", HR_GOTIME_STRING),
			       "2026-11-23 23:54:34.293683399 +0000 UTC");
	CU_ASSERT_STRING_EQUAL(fmt("2026-11-23T23:54:09.954016879Z", HR_GOTIME_RFC3339), "2026-11-23T23:54:09Z");
	CU_ASSERT_STRING_EQUAL(fmt("2026-11-23T23:54:04.26097121Z", HR_GOTIME_RFC3339NANO),
			       "2026-11-23T23:54:04.26097121Z");
}

static void test_zero(void)
{
	hr_gotime t;
	hr_buf b = HR_BUF_INIT;

	set_tz("UTC");
	CU_ASSERT_EQUAL(hr_gotime_parse(&t, "", NULL), 0);
	CU_ASSERT(hr_gotime_is_zero(&t));
	CU_ASSERT_EQUAL(hr_gotime_parse(&t, NULL, NULL), 0);
	CU_ASSERT(hr_gotime_is_zero(&t));
	hr_gotime_format(&b, &t, HR_GOTIME_ANSIC);
	CU_ASSERT_STRING_EQUAL(hr_buf_cstr(&b), "Mon Jan  1 00:00:00 0001");
	hr_buf_clear(&b);
	hr_gotime_format(&b, &t, HR_GOTIME_STRING);
	CU_ASSERT_STRING_EQUAL(hr_buf_cstr(&b), "0001-01-01 00:00:00 +0000 UTC");
	hr_buf_clear(&b);
	CU_ASSERT_EQUAL(hr_gotime_json(&b, &t, NULL), 0);
	CU_ASSERT_STRING_EQUAL(hr_buf_cstr(&b), "0001-01-01T00:00:00Z");
	/* the zero instant written with an offset is still zero */
	CU_ASSERT_EQUAL(hr_gotime_parse(&t, "0001-01-01T02:00:00+02:00", NULL), 0);
	CU_ASSERT(hr_gotime_is_zero(&t));
	CU_ASSERT_EQUAL(hr_gotime_parse(&t, "2024-01-01T00:00:00Z", NULL), 0);
	CU_ASSERT(!hr_gotime_is_zero(&t));
	hr_buf_free(&b);
}

/* Offsets: wall clock kept; zone name per Go's parse rules. */
static void test_offsets(void)
{
	set_tz("UTC");
	CU_ASSERT_STRING_EQUAL(fmt("2024-05-01T10:00:00.12345+02:00", HR_GOTIME_STRING),
			       "2024-05-01 10:00:00.12345 +0200 +0200");
	CU_ASSERT_STRING_EQUAL(fmt("2024-05-01T10:00:00.12345+02:00", HR_GOTIME_ANSIC), "Wed May  1 10:00:00 2024");
	CU_ASSERT_STRING_EQUAL(fmt("2024-05-01T10:00:00+00:00", HR_GOTIME_STRING), "2024-05-01 10:00:00 +0000 UTC");
	CU_ASSERT_STRING_EQUAL(fmt("2024-05-01T10:00:00-05:30", HR_GOTIME_RFC3339NANO), "2024-05-01T10:00:00-05:30");
	CU_ASSERT_STRING_EQUAL(fmt("2024-05-01T10:00:00.500+00:00", HR_GOTIME_RFC3339NANO), "2024-05-01T10:00:00.5Z");
	set_tz("Europe/Berlin");
	/* local offset matches: the local abbreviation (CEST in May, CET in January) */
	CU_ASSERT_STRING_EQUAL(fmt("2024-05-01T10:00:00+02:00", HR_GOTIME_STRING), "2024-05-01 10:00:00 +0200 CEST");
	CU_ASSERT_STRING_EQUAL(fmt("2024-01-15T10:00:00+01:00", HR_GOTIME_STRING), "2024-01-15 10:00:00 +0100 CET");
	/* +02:00 in January is not Berlin's offset then: nameless fixed zone */
	CU_ASSERT_STRING_EQUAL(fmt("2024-01-15T10:00:00+02:00", HR_GOTIME_STRING),
			       "2024-01-15 10:00:00 +0200 +0200");
	/* Z stays UTC whatever the local zone */
	CU_ASSERT_STRING_EQUAL(fmt("2024-01-15T10:00:00Z", HR_GOTIME_STRING), "2024-01-15 10:00:00 +0000 UTC");
	set_tz("UTC");
}

static void test_layouts(void)
{
	set_tz("UTC");
	CU_ASSERT_STRING_EQUAL(fmt("2024-02-29T15:04:05.000123Z", "Monday, 02-Jan-06 3:04:05.000PM MST"),
			       "Thursday, 29-Feb-24 3:04:05.000PM UTC");
	CU_ASSERT_STRING_EQUAL(fmt("2024-02-09T00:04:05Z", "January _2 __2 002 03pm Z0700 -07"),
			       "February  9  40 040 12am Z +00");
	CU_ASSERT_STRING_EQUAL(fmt("2024-12-31T23:59:59.999999999-07:30", "2006-01-02 15:04:05,999 Z07:00:00 -070000"),
			       "2024-12-31 23:59:59,999 -07:30:00 -073000");
	/* "2006" after '_' is the year, the '_' literal; digits after a fraction make it literal */
	CU_ASSERT_STRING_EQUAL(fmt("2024-02-09T00:04:05.5Z", "_2006 .01 1 2"), "_2024 .02 2 9");
}

static void test_bad(void)
{
	hr_gotime t;
	hr_error err = HR_ERROR_INIT;
	const char *bad[] = { "2024-13-01T00:00:00Z", "2024-02-30T00:00:00Z", "2024-01-01 00:00:00Z",
		"2024-01-01T00:00:00", "2024-01-01T00:00:00+2:00", "2024-01-01T24:00:00Z",
		"2024-01-01T00:00:00.Z", "garbage", "2024-01-01T00:00:00Zjunk", NULL };

	for (int i = 0; bad[i]; i++) {
		CU_ASSERT_EQUAL(hr_gotime_parse(&t, bad[i], &err), HR_EFORMAT);
		CU_ASSERT(strstr(err.msg, "bad RFC 3339") != NULL);
	}
}

HR_TEST_MAIN("gotime", { "corpus values", test_corpus_values }, { "zero time", test_zero },
	     { "offsets and zones", test_offsets }, { "layouts", test_layouts }, { "bad input", test_bad })
