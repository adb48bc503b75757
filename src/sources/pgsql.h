/*
 * pgsql.h — lexing the text of PostgreSQL dumps: the values of one table
 * row as written by COPY (text format) or by INSERT statements, plus
 * identifiers, keywords and the quote tracking that finds where a statement
 * spanning several lines ends.  Semi-private: used by pgdump.c.
 *
 * Ownership: an hr_pgsql_row owns its memory; initialise with
 * HR_PGSQL_ROW_INIT (or zero it), release with hr_pgsql_row_release().
 * Every other function only reads its input text.
 */
#ifndef HR_SOURCES_PGSQL_H
#define HR_SOURCES_PGSQL_H

#include <stddef.h>
#include "util/buf.h"

/* The values of one row, each stored NUL-terminated in `data` (a value may hold NULs too). */
typedef struct hr_pgsql_row {
	hr_buf data;
	size_t *off;            /* start of each value in data */
	unsigned char *null;    /* 1 for SQL NULL */
	size_t n, cap;
} hr_pgsql_row;

#define HR_PGSQL_ROW_INIT { HR_BUF_INIT, NULL, NULL, 0, 0 }

/* Forget the values, keeping the memory. */
void hr_pgsql_row_reset(hr_pgsql_row *r);
/* Free the memory; the row is reusable (empty) afterwards. */
void hr_pgsql_row_release(hr_pgsql_row *r);
/* Value i (borrowed, NUL-terminated), or NULL when it is SQL NULL or i is out of range (i < 0 too). */
const char *hr_pgsql_row_get(const hr_pgsql_row *r, int i);
/* Length in bytes of value i (which must exist). */
size_t hr_pgsql_row_len(const hr_pgsql_row *r, int i);

/*
 * Split one line of COPY text-format data (without its newline) into r,
 * which is reset first: values are separated by tabs, a value that is
 * exactly \N is NULL, and the escapes \b \f \n \r \t \v \\, octal \NNN and
 * hex \xHH are undone (any other backslashed character stands for itself).
 * Returns 0 or HR_ENOMEM.
 */
int hr_pgsql_copy_split(hr_pgsql_row *r, const char *s, size_t len);

/*
 * Append to r the INSERT value at s (leading blanks already skipped): a
 * '...' string ('' is a quote; backslash escapes too when std_strings is 0,
 * i.e. standard_conforming_strings = off), an E'...' string (backslash
 * escapes), NULL, or a bare token (number, true/false).  A ::type cast after
 * it is skipped.  Returns the position after the value and blanks, or NULL
 * when the text is not a value (or memory ran out).
 */
const char *hr_pgsql_value(hr_pgsql_row *r, const char *s, const char *end, int std_strings);

/*
 * Quote tracking over a growing statement text: call hr_pgsql_quotes_scan()
 * after each append with the whole text so far (it resumes at q->pos).
 * hr_pgsql_stmt_complete() is true when the text is outside any string and
 * ends with ';' (trailing blanks allowed).  Zero the struct to start.
 */
typedef struct hr_pgsql_quotes {
	size_t pos;             /* bytes scanned */
	int in;                 /* inside a string */
	int e;                  /* that string takes backslash escapes */
} hr_pgsql_quotes;

void hr_pgsql_quotes_scan(hr_pgsql_quotes *q, const char *s, size_t n, int std_strings);
int hr_pgsql_stmt_complete(const hr_pgsql_quotes *q, const char *s, size_t n);

/* Skip blanks. */
const char *hr_pgsql_skip_ws(const char *s, const char *end);
/* Keyword kw (case-insensitive) at s, not followed by an identifier character. */
int hr_pgsql_is_kw(const char *s, const char *end, const char *kw);
/*
 * One identifier at s into out (cap bytes, truncated, NUL-terminated): plain
 * ones are lower-cased, "quoted" ones kept ("" is a quote).  Returns the
 * position after it, or NULL when there is none.
 */
const char *hr_pgsql_ident(const char *s, const char *end, char *out, size_t cap);

#endif
