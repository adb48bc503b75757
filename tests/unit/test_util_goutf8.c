/*
 * test_util_goutf8.c — util/goutf8 against Go's unicode/utf8 (DecodeRune,
 * Valid, EncodeRune) and encoding/json's U+FFFD replacement.
 */
#include <string.h>
#include "testutil.h"
#include "util/goutf8.h"

static void test_decode(void)
{
	static const struct {
		const char *in;
		size_t n;
		uint32_t rune;
		size_t width;
		int valid;      /* utf8.Valid of the whole input */
	} cases[] = {
		{ "", 0, 0xFFFD, 0, 1 }, { "a", 1, 'a', 1, 1 }, { "\xC3\xA9", 2, 0xE9, 2, 1 },
		{ "\xE2\x82\xAC", 3, 0x20AC, 3, 1 }, { "\xF0\x9F\x98\x80", 4, 0x1F600, 4, 1 },
		{ "\xEF\xBF\xBD", 3, 0xFFFD, 3, 1 }, { "\xC0\x80", 2, 0xFFFD, 1, 0 },      /* overlong */
		{ "\xE0\x80\xAF", 3, 0xFFFD, 1, 0 }, { "\xED\xA0\x80", 3, 0xFFFD, 1, 0 },  /* surrogate */
		{ "\xF4\x90\x80\x80", 4, 0xFFFD, 1, 0 }, { "\xF5\x80\x80\x80", 4, 0xFFFD, 1, 0 },
		{ "\xE2\x82", 2, 0xFFFD, 1, 0 }, { "\x80", 1, 0xFFFD, 1, 0 }, { "\xC3\x28", 2, 0xFFFD, 1, 0 },
		{ "\x00", 1, 0, 1, 1 }, { "\xF4\x8F\xBF\xBF", 4, 0x10FFFF, 4, 1 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint32_t r = 0;
		size_t w = hr_goutf8_decode(cases[i].in, cases[i].n, &r);

		CU_ASSERT_EQUAL(r, cases[i].rune);
		CU_ASSERT_EQUAL(w, cases[i].width);
		CU_ASSERT_EQUAL(hr_goutf8_valid(cases[i].in, cases[i].n), cases[i].valid);
		CU_ASSERT_EQUAL(hr_goutf8_valid_len(cases[i].in, cases[i].n, &r),
				(cases[i].rune == 0xFFFD && cases[i].width != 3) ? 0 : cases[i].width);
	}
}

static void test_encode_fix(void)
{
	static const struct {
		uint32_t r;
		const char *want;
	} enc[] = {
		{ 'x', "x" }, { 0xE9, "\xC3\xA9" }, { 0x20AC, "\xE2\x82\xAC" }, { 0x1F600, "\xF0\x9F\x98\x80" },
		{ 0xD800, "\xEF\xBF\xBD" }, { 0x110000, "\xEF\xBF\xBD" },
	};
	static const struct {
		const char *in, *want;
	} fix[] = {
		{ "plain", "plain" }, { "a\xFF" "b", "a\xEF\xBF\xBD" "b" }, { "\xE2\x82", "\xEF\xBF\xBD\xEF\xBF\xBD" },
		{ "\xC3\xA9\xC0", "\xC3\xA9\xEF\xBF\xBD" },
	};
	hr_buf b = HR_BUF_INIT;
	char u[4];

	for (size_t i = 0; i < sizeof(enc) / sizeof(enc[0]); i++) {
		size_t w = hr_goutf8_encode(u, enc[i].r);

		CU_ASSERT_EQUAL(w, strlen(enc[i].want));
		CU_ASSERT(!memcmp(u, enc[i].want, w));
	}
	for (size_t i = 0; i < sizeof(fix) / sizeof(fix[0]); i++) {
		hr_buf_clear(&b);
		CU_ASSERT_EQUAL(hr_goutf8_put_fixed(&b, fix[i].in, strlen(fix[i].in)), 0);
		CU_ASSERT_STRING_EQUAL(hr_buf_cstr(&b), fix[i].want);
	}
	hr_buf_free(&b);
}

HR_TEST_MAIN("util_goutf8", { "DecodeRune and Valid", test_decode }, { "EncodeRune and U+FFFD", test_encode_fix })
