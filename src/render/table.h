/*
 * table.h — text tables laid out exactly as github.com/gosuri/uitable v0.0.4
 * (the table package Helm prints `history` and `list` with), including its
 * display-width rules from github.com/mattn/go-runewidth v0.0.9.
 *
 * Layout rules reproduced:
 *  - a column is as wide as its widest line (in display cells: East Asian
 *    wide/fullwidth characters count 2, control and combining characters 0,
 *    ANSI colour sequences are not counted), capped at max_col_width if set;
 *  - every cell is right-padded with spaces to its column width, the last
 *    column too, cells are joined with "\t" and rows with "\n";
 *  - a cell holding "\n" spreads over several physical lines; the other
 *    cells of that row print as blanks on the extra lines (a blank cell of
 *    an empty column is one space, as uitable prints it);
 *  - quirk kept on purpose: uitable sizes a multi-line cell against the
 *    *sum* of its line widths, so when that sum exceeds the column width the
 *    cell is cut to (width - 3) cells and "..." appended before splitting;
 *  - a cell wider than max_col_width is cut the same way.
 * hr_table_write() then adds one "\n", as Helm's output.EncodeTable does.
 *
 * Ownership: hr_table_new() allocates, hr_table_free() frees; cells are
 * copied when added.
 */
#ifndef HR_RENDER_TABLE_H
#define HR_RENDER_TABLE_H

#include <stddef.h>
#include "util/buf.h"
#include "util/error.h"

typedef struct hr_table hr_table;

int hr_table_new(hr_table **out);
void hr_table_free(hr_table *t);

/* Cap for column widths (uitable's MaxColWidth); 0 = none (Helm's default). */
void hr_table_set_max_col_width(hr_table *t, size_t width);

/* Append a row of `ncells` NUL-terminated cells (NULL cell = ""). */
int hr_table_add_row(hr_table *t, size_t ncells, const char *const *cells);

/*
 * Append the table's text followed by "\n" (Helm's EncodeTable).  A table
 * with no rows writes just "\n".  Returns 0 or HR_ENOMEM.
 */
int hr_table_write(hr_buf *out, const hr_table *t);

/*
 * Display width of `len` bytes of UTF-8 (go-runewidth StringWidth after
 * uitable strips ANSI escape sequences).  Invalid UTF-8 bytes count as
 * U+FFFD (1 cell), as Go's rune conversion makes them.  East Asian
 * ambiguous characters count 2 when $RUNEWIDTH_EASTASIAN=1 or a CJK locale
 * is set in LC_ALL/LC_CTYPE/LANG (go-runewidth's rule), else 1.
 */
size_t hr_text_width(const char *s, size_t len);

/* Width of one code point (go-runewidth RuneWidth). */
int hr_rune_width(unsigned long cp);

#endif
