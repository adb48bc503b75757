/*
 * test_table.c — render/table: gosuri/uitable v0.0.4 layout rules (read
 * from its table.go / strutil.go) and go-runewidth v0.0.9 widths.  The
 * corpus goldens (test_render_history, test_render_list) cover real helm
 * tables; this covers the corners they do not reach.
 */
#include <stdlib.h>
#include <string.h>
#include "testutil.h"
#include "render/table.h"

static char *render(size_t ncols, const char *const *cells, size_t nrows, size_t maxw)
{
	hr_table *t;
	hr_buf b = HR_BUF_INIT;

	CU_ASSERT_EQUAL_FATAL(hr_table_new(&t), 0);
	hr_table_set_max_col_width(t, maxw);
	for (size_t r = 0; r < nrows; r++)
		CU_ASSERT_EQUAL(hr_table_add_row(t, ncols, cells + r * ncols), 0);
	CU_ASSERT_EQUAL(hr_table_write(&b, t), 0);
	hr_table_free(t);
	return hr_buf_detach(&b, NULL);
}

#define CHECK(ncols, maxw, want, ...)                                                   \
	do {                                                                            \
		static const char *const c_[] = { __VA_ARGS__ };                        \
		char *got_ = render(ncols, c_, sizeof(c_) / sizeof(c_[0]) / (ncols), maxw); \
		CU_ASSERT_STRING_EQUAL(got_, want);                                     \
		free(got_);                                                             \
	} while (0)

static void test_padding(void)
{
	CHECK(2, 0, "a  \tbb\nccc\td \n", "a", "bb", "ccc", "d");
	/* an all-empty column has width 0: no padding at all */
	CHECK(2, 0, "A\t\nB\t\n", "A", "", "B", "");
	/* NULL cells are empty strings */
	CHECK(2, 0, "x\t\n", "x", NULL);
	{
		hr_table *t;
		hr_buf b = HR_BUF_INIT;
		hr_table_new(&t);
		hr_table_write(&b, t);
		CU_ASSERT_STRING_EQUAL(hr_buf_cstr(&b), "\n");
		hr_table_free(t);
		hr_buf_free(&b);
	}
}

static void test_widths(void)
{
	setenv("RUNEWIDTH_EASTASIAN", "0", 1);
	/* wide characters count 2 cells, combining marks 0, invalid bytes 1 */
	CHECK(2, 0, "\xe6\x97\xa5\xe6\x9c\xac\tx \nabc \tyy\n", "\xe6\x97\xa5\xe6\x9c\xac", "x", "abc", "yy");
	CU_ASSERT_EQUAL(hr_text_width("e\xcc\x81", 3), 1);
	CU_ASSERT_EQUAL(hr_text_width("\xff" "a", 2), 2);
	CHECK(2, 0, "\xff" "a \tx\nabc\ty\n", "\xff" "a", "x", "abc", "y");
	/* the corpus motd: e-acute and check mark are one cell each outside CJK locales */
	CU_ASSERT_EQUAL(hr_text_width("W\xc3\xa9lcome \xe2\x9c\x93", 11), 10);
	/* ANSI colour sequences take no room */
	CHECK(2, 0, "\x1b[31mred\x1b[0m \tz\nabcd\ty\n", "\x1b[31mred\x1b[0m", "z", "abcd", "y");
	CU_ASSERT_EQUAL(hr_text_width("\x1b]0;title\x07x", 12), 1);
	/* East Asian ambiguous (e-acute) is 2 cells in a CJK locale */
	setenv("RUNEWIDTH_EASTASIAN", "1", 1);
	CU_ASSERT_EQUAL(hr_text_width("\xc3\xa9", 2), 2);
	setenv("RUNEWIDTH_EASTASIAN", "", 1);
	setenv("LC_ALL", "ja_JP.UTF-8", 1);
	CU_ASSERT_EQUAL(hr_text_width("\xc3\xa9", 2), 2);
	setenv("LC_ALL", "en_US.UTF-8", 1);
	CU_ASSERT_EQUAL(hr_text_width("\xc3\xa9", 2), 1);
	setenv("LC_ALL", "zh_CN.UTF-8@cjk_narrow", 1);
	CU_ASSERT_EQUAL(hr_text_width("\xc3\xa9", 2), 1);
	unsetenv("LC_ALL");
	unsetenv("RUNEWIDTH_EASTASIAN");
}

static void test_multiline(void)
{
	/* lines fit: each spreads over its own physical line, the other cells blank */
	CHECK(2, 0, "HEADER-LONG\tx\na          \ty\nb          \t \n", "HEADER-LONG", "x", "a\nb", "y");
	/* uitable quirk: the sum of the line widths (4) exceeds the column (2): cut with "..." */
	CHECK(2, 0, "H\tD \n1\tl...\n", "H", "D", "1", "l1\nl2");
}

static void test_max_col_width(void)
{
	CHECK(2, 5, "ab...\tx\n", "abcdefgh", "x");
	CHECK(2, 5, "abc  \tx\nab...\ty\n", "abc", "x", "abcdefgh", "y");
}

HR_TEST_MAIN("table", { "padding", test_padding }, { "display widths", test_widths },
	     { "multi-line cells", test_multiline }, { "max column width", test_max_col_width })
