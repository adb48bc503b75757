/*
 * pgsql.c — the lexical layer of the pg_dump reader: PostgreSQL's COPY
 * text format (tab-separated values, \\N for NULL, backslash escapes) and
 * the literals of INSERT statements ('...' with '' for a quote, E'...' with
 * backslash escapes, NULL, bare numbers, ::casts), plus identifiers and the
 * quote tracking that tells where a statement spanning lines ends.  It knows
 * nothing about Helm; see pgsql.h for the contracts.
 */
#include "sources/pgsql.h"
#include "util/array.h"
#include "util/error.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- rows ---- */

void hr_pgsql_row_reset(hr_pgsql_row *r)
{
	hr_buf_clear(&r->data);
	r->n = 0;
}

void hr_pgsql_row_release(hr_pgsql_row *r)
{
	hr_buf_free(&r->data);
	free(r->off);
	free(r->null);
}

/* Start a new value at the end of data. */
static int row_begin(hr_pgsql_row *r)
{
	if (r->n == r->cap) {
		size_t ncap = r->cap;

		/* two arrays, one capacity: grow the one without the counter first */
		if (HR_ARRAY_GROW(r->null, r->n + 1, ncap) || HR_ARRAY_GROW(r->off, r->n + 1, r->cap))
			return HR_ENOMEM;
	}
	r->off[r->n] = r->data.len;
	r->null[r->n] = 0;
	r->n++;
	return 0;
}

static int row_end(hr_pgsql_row *r)
{
	return hr_buf_putc(&r->data, '\0');
}

static int row_add_null(hr_pgsql_row *r)
{
	int rc = row_begin(r);

	if (rc < 0 || (rc = row_end(r)) < 0)
		return rc;
	r->null[r->n - 1] = 1;
	return 0;
}

const char *hr_pgsql_row_get(const hr_pgsql_row *r, int i)
{
	if (i < 0 || (size_t)i >= r->n || r->null[i])
		return NULL;
	return r->data.ptr + r->off[i];
}

size_t hr_pgsql_row_len(const hr_pgsql_row *r, int i)
{
	size_t end = (size_t)i + 1 < r->n ? r->off[i + 1] : r->data.len;

	return end - r->off[i] - 1;
}

/* ---- identifiers and keywords ---- */

const char *hr_pgsql_skip_ws(const char *s, const char *end)
{
	while (s < end && isspace((unsigned char)*s))
		s++;
	return s;
}

int hr_pgsql_is_kw(const char *s, const char *end, const char *kw)
{
	size_t n = strlen(kw);

	if ((size_t)(end - s) < n || strncasecmp(s, kw, n))
		return 0;
	return s + n == end || !(isalnum((unsigned char)s[n]) || s[n] == '_');
}

const char *hr_pgsql_ident(const char *s, const char *end, char *out, size_t cap)
{
	size_t n = 0;

	if (s < end && *s == '"') {
		for (s++; s < end; s++) {
			if (*s == '"') {
				if (s + 1 < end && s[1] == '"')
					s++;
				else
					break;
			}
			if (n + 1 < cap)
				out[n++] = *s;
		}
		if (s >= end)
			return NULL;
		out[n] = '\0';
		return s + 1;
	}
	if (s >= end || !(isalpha((unsigned char)*s) || *s == '_'))
		return NULL;
	for (; s < end && (isalnum((unsigned char)*s) || *s == '_' || *s == '$'); s++)
		if (n + 1 < cap)
			out[n++] = (char)tolower((unsigned char)*s);
	out[n] = '\0';
	return s;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/*
 * The byte a backslash escape stands for; *p is at the backslash and ends
 * on the escape's last character.  \b \f \n \r \t, \v only in COPY text
 * (`copy`), \xH[H] hex, \O[O[O]] octal (low 8 bits), any other character
 * stands for itself.  The caller checked that *p + 1 < end.
 */
static int unescape(const char **p, const char *end, int copy)
{
	const char *c = *p + 1;
	int ch;

	switch (*c) {
	case 'b': ch = '\b'; break;
	case 'f': ch = '\f'; break;
	case 'n': ch = '\n'; break;
	case 'r': ch = '\r'; break;
	case 't': ch = '\t'; break;
	case 'x':
		if (c + 1 < end && hexval((unsigned char)c[1]) >= 0) {
			ch = hexval((unsigned char)*++c);
			if (c + 1 < end && hexval((unsigned char)c[1]) >= 0)
				ch = ch * 16 + hexval((unsigned char)*++c);
		} else {
			ch = 'x';
		}
		break;
	default:
		if (*c == 'v' && copy) {
			ch = '\v';
		} else if (*c >= '0' && *c <= '7') {
			ch = *c - '0';
			for (int k = 0; k < 2 && c + 1 < end && c[1] >= '0' && c[1] <= '7'; k++)
				ch = ch * 8 + (*++c - '0');
			ch &= 0xff;
		} else {
			ch = (unsigned char)*c;
		}
	}
	*p = c;
	return ch;
}

int hr_pgsql_copy_split(hr_pgsql_row *r, const char *s, size_t len)
{
	const char *end = s + len;
	int rc;

	hr_pgsql_row_reset(r);
	for (;;) {
		const char *f = s;

		while (s < end && *s != '\t')
			s++;
		if (s - f == 2 && f[0] == '\\' && f[1] == 'N') {
			if ((rc = row_add_null(r)) < 0)
				return rc;
		} else {
			if ((rc = row_begin(r)) < 0)
				return rc;
			for (const char *c = f; c < s; c++) {
				int ch = (unsigned char)*c;

				if (ch == '\\' && c + 1 < s)
					ch = unescape(&c, s, 1);
				if ((rc = hr_buf_putc(&r->data, (char)ch)) < 0)
					return rc;
			}
			if ((rc = row_end(r)) < 0)
				return rc;
		}
		if (s == end)
			return 0;
		s++;            /* the tab */
	}
}

void hr_pgsql_quotes_scan(hr_pgsql_quotes *q, const char *s, size_t n, int std_strings)
{
	size_t i;

	for (i = q->pos; i < n; i++) {
		char c = s[i];

		if (!q->in) {
			if (c == '\'') {
				q->in = 1;
				q->e = !std_strings ||
				       (i > 0 && (s[i - 1] == 'E' || s[i - 1] == 'e') &&
					!(i > 1 && (isalnum((unsigned char)s[i - 2]) || s[i - 2] == '_')));
			}
		} else if (c == '\\' && q->e) {
			i++;
		} else if (c == '\'') {
			if (i + 1 < n && s[i + 1] == '\'')
				i++;
			else
				q->in = 0;
		}
	}
	q->pos = i > n ? n : i;
}

int hr_pgsql_stmt_complete(const hr_pgsql_quotes *q, const char *s, size_t n)
{
	if (q->in)
		return 0;
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	return n && s[n - 1] == ';';
}

/* Parse a quoted literal at s (the opening quote; `e`: backslash escapes). */
static const char *parse_string(hr_pgsql_row *r, const char *s, const char *end, int e)
{
	int rc;

	if ((rc = row_begin(r)) < 0)
		return NULL;
	for (s++; s < end; s++) {
		int ch = (unsigned char)*s;

		if (ch == '\'') {
			if (s + 1 < end && s[1] == '\'') {
				s++;
			} else {
				return row_end(r) < 0 ? NULL : s + 1;
			}
		} else if (ch == '\\' && e && s + 1 < end) {
			ch = unescape(&s, end, 0);
		}
		if (hr_buf_putc(&r->data, (char)ch) < 0)
			return NULL;
	}
	return NULL;    /* unterminated */
}

const char *hr_pgsql_value(hr_pgsql_row *r, const char *s, const char *end, int std_strings)
{
	if (s < end && *s == '\'') {
		s = parse_string(r, s, end, !std_strings);
	} else if (s + 1 < end && (*s == 'E' || *s == 'e') && s[1] == '\'') {
		s = parse_string(r, s + 1, end, 1);
	} else if (hr_pgsql_is_kw(s, end, "null")) {
		if (row_add_null(r) < 0)
			return NULL;
		s += 4;
	} else {
		const char *t = s;

		while (s < end && (isalnum((unsigned char)*s) || *s == '-' || *s == '+' || *s == '.' || *s == '_'))
			s++;
		if (s == t || row_begin(r) < 0 || hr_buf_put(&r->data, t, (size_t)(s - t)) < 0 ||
		    row_end(r) < 0)
			return NULL;
	}
	if (!s)
		return NULL;
	s = hr_pgsql_skip_ws(s, end);
	if (end - s >= 2 && s[0] == ':' && s[1] == ':') {   /* a cast: skip the type name */
		for (s += 2; s < end && *s != ',' && *s != ')'; s++)
			;
	}
	return s;
}
