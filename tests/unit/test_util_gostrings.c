/*
 * test_util_gostrings.c — util/gostrings against Go's strings.TrimSpace
 * (unicode.IsSpace over decoded runes).
 */
#include <string.h>
#include "testutil.h"
#include "util/gostrings.h"

static void test_trim_space(void)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{ "", "" }, { "   ", "" }, { " a b ", "a b" }, { "\t\n\v\f\rx\r\n", "x" },
		{ "\xC2\x85x\xC2\xA0", "x" }, { "\xE3\x80\x80x\xE2\x80\x8A", "x" }, { "\xE1\x9A\x80x\xE2\x81\x9F", "x" },
		{ "\xE2\x80\xA8\xE2\x80\xA9x\xE2\x80\xAF", "x" }, { "\xE2\x80\x8Bx", "\xE2\x80\x8Bx" }, /* U+200B no */
		{ "x\xC2", "x\xC2" }, { "\xE0\x80\x85x", "\xE0\x80\x85x" },     /* invalid bytes stay */
		{ "x\xE2\x80\x85", "x" }, { "\x1cx", "\x1cx" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t len;
		const char *p = hr_go_trim_space(cases[i].in, strlen(cases[i].in), &len);

		CU_ASSERT_EQUAL(len, strlen(cases[i].want));
		CU_ASSERT(!memcmp(p, cases[i].want, len));
	}
	CU_ASSERT_EQUAL(hr_go_space_len("\xC2\xA0", 2), 2);
	CU_ASSERT_EQUAL(hr_go_space_len("\xC2", 1), 0);
	CU_ASSERT_EQUAL(hr_go_space_len_before("a\xE3\x80\x80", 4), 3);
}

HR_TEST_MAIN("util_gostrings", { "TrimSpace", test_trim_space })
