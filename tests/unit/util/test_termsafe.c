/*
 * test_termsafe.c — util/termsafe: which characters become visible escapes
 * in helmrec's own output (text and JSON), and that everything else is
 * copied byte for byte.
 */
#include <string.h>
#include "testutil.h"
#include "util/termsafe.h"

static const char *esc(const char *s, size_t n)
{
	static char res[512];
	hr_buf b = HR_BUF_INIT;

	CU_ASSERT_EQUAL(hr_termsafe_put(&b, s, n), 0);
	snprintf(res, sizeof(res), "%s", hr_buf_cstr(&b));
	hr_buf_free(&b);
	return res;
}

#define E(s) esc(s, sizeof(s) - 1)

static void test_escaped(void)
{
	CU_ASSERT_STRING_EQUAL(E("w\033[31mred\001"), "w\\x1b[31mred\\x01");
	CU_ASSERT_STRING_EQUAL(E("\033]0;title\007"), "\\x1b]0;title\\x07");
	CU_ASSERT_STRING_EQUAL(E("a\rb\x7f"), "a\\x0db\\x7f");
	CU_ASSERT_STRING_EQUAL(esc("a\0b", 3), "a\\x00b");
	CU_ASSERT_STRING_EQUAL(E("\xc2\x9b" "31m"), "\\u009b31m");           /* C1 CSI */
	CU_ASSERT_STRING_EQUAL(E("x\xe2\x80\xaey"), "x\\u202ey");            /* RIGHT-TO-LEFT OVERRIDE */
	CU_ASSERT_STRING_EQUAL(E("\xe2\x81\xa6\xe2\x81\xa9"), "\\u2066\\u2069"); /* isolates */
	CU_ASSERT_STRING_EQUAL(E("\xff\xc2"), "\\xff\\xc2");                /* invalid UTF-8, cut C1 lead */
	CU_ASSERT_STRING_EQUAL(E("a\x9b" "31m"), "a\\x9b31m");              /* lone 8-bit CSI */
	CU_ASSERT_STRING_EQUAL(E("caf\xe9!"), "caf\\xe9!");                 /* Latin-1 */
	CU_ASSERT_STRING_EQUAL(E("\xed\xa0\x80"), "\\xed\\xa0\\x80");     /* a surrogate, as Go rejects it */
}

static void test_kept(void)
{
	CU_ASSERT_STRING_EQUAL(E("web\tshop\n"), "web\tshop\n");
	CU_ASSERT_STRING_EQUAL(E("caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xc2\xa0"), "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xc2\xa0");
	CU_ASSERT_STRING_EQUAL(E("\xe2\x80\xa9\xe2\x80\xaf"), "\xe2\x80\xa9\xe2\x80\xaf"); /* neighbours of the bidi range */
	CU_ASSERT_STRING_EQUAL(E(""), "");
}

static void test_str(void)
{
	hr_buf b = HR_BUF_INIT;

	CU_ASSERT_STRING_EQUAL(hr_termsafe_str(&b, "a\033b"), "a\\x1bb");
	CU_ASSERT_STRING_EQUAL(hr_termsafe_str(&b, NULL), "");
	CU_ASSERT_STRING_EQUAL(hr_termsafe_str(&b, "plain"), "plain");
	hr_buf_free(&b);
}

static void test_json(void)
{
	static const char in[] = "{\"k\x7f\": \"a\\u001b\xc2\x85\xc2\x9b\x9b\xff\xe2\x80\xae\tok \xc3\xa9\"}\n";
	hr_buf b = HR_BUF_INIT;

	CU_ASSERT_EQUAL(hr_termsafe_json(&b, in, sizeof(in) - 1), 0);
	CU_ASSERT_STRING_EQUAL(hr_buf_cstr(&b),
			       "{\"k\\u007f\": \"a\\u001b\\u0085\\u009b\\ufffd\\ufffd\\u202e\tok \xc3\xa9\"}\n");
	hr_buf_free(&b);
}

HR_TEST_MAIN("termsafe", { "escaped", test_escaped }, { "kept", test_kept }, { "hr_termsafe_str", test_str },
	     { "hr_termsafe_json", test_json })
