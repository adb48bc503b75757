/*
 * db_pg_sql.c — the index's SQL, written once in SQLite's dialect, in the
 * form PostgreSQL accepts (hr_db_pg_translate, db.h).
 *
 * Rewrites, outside string literals, quoted identifiers and comments:
 *  - `?N` → `$N` (a bare `?` is the next number, as in SQLite);
 *  - `INSERT OR IGNORE INTO …` → `INSERT INTO … ON CONFLICT DO NOTHING`;
 *  - `a IS NOT b` / `a IS b` (b not NULL/TRUE/FALSE) → `IS [NOT] DISTINCT FROM`;
 *  - a derived table without an alias gets one (PostgreSQL 15 wants it);
 *  - SQLite's bare-column aggregate `SELECT cols, MAX(version) FROM … GROUP
 *    BY g [ORDER BY o]` (the row holding the maximum) → `SELECT * FROM
 *    (SELECT DISTINCT ON (g) cols FROM … ORDER BY g, version DESC) [ORDER
 *    BY o]`;
 *  - `temp.x` → `pg_temp.x`, `WITHOUT ROWID` dropped, `BEGIN IMMEDIATE` →
 *    `BEGIN`, the column name `offset` (lower case; the keyword is
 *    written OFFSET) quoted.
 * The rest of the dialect gap is closed by the schema (schema/index-pg.sql
 * defines group_concat, instr and `boolean = integer`).
 */
#include "index/db_int.h"
#include "util/buf.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Length of the literal, quoted identifier or comment starting at s[0] (0 if none). */
static size_t skip_quoted(const char *s, size_t n)
{
	size_t i = 1;

	if (s[0] == '\'' || s[0] == '"') {
		for (; i < n; i++)
			if (s[i] == s[0]) {
				if (i + 1 < n && s[i + 1] == s[0])
					i++;
				else
					return i + 1;
			}
		return n;
	}
	if (s[0] == '-' && n > 1 && s[1] == '-') {
		while (i < n && s[i] != '\n')
			i++;
		return i;
	}
	if (s[0] == '/' && n > 1 && s[1] == '*') {
		for (i = 2; i + 1 < n; i++)
			if (s[i] == '*' && s[i + 1] == '/')
				return i + 2;
		return n;
	}
	return 0;
}

static int is_word(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

/* Does `w` (a keyword, upper case) start at s[i] as a whole word (case-insensitive)? */
static int word_at(const char *s, size_t n, size_t i, const char *w)
{
	size_t k = strlen(w);

	return i + k <= n && !strncasecmp(s + i, w, k) && (i == 0 || !is_word(s[i - 1])) &&
	       (i + k == n || !is_word(s[i + k]));
}

static size_t skip_ws(const char *s, size_t n, size_t i)
{
	while (i < n && isspace((unsigned char)s[i]))
		i++;
	return i;
}

/*
 * Position of the next top-level (relative to `from`'s depth) keyword `w`
 * in s[from, end), or `end`.  Stops at a ')' that closes the level.
 */
static size_t find_kw(const char *s, size_t end, size_t from, const char *w)
{
	int depth = 0;

	for (size_t i = from; i < end; i++) {
		size_t q = skip_quoted(s + i, end - i);

		if (q) {
			i += q - 1;
			continue;
		}
		if (s[i] == '(')
			depth++;
		else if (s[i] == ')' && --depth < 0)
			return end;
		else if (!depth && word_at(s, end, i, w))
			return i;
	}
	return end;
}

/* End of the level that `from` is in: the ')' that closes it, or `end`. */
static size_t level_end(const char *s, size_t end, size_t from)
{
	int depth = 0;

	for (size_t i = from; i < end; i++) {
		size_t q = skip_quoted(s + i, end - i);

		if (q)
			i += q - 1;
		else if (s[i] == '(')
			depth++;
		else if (s[i] == ')' && --depth < 0)
			return i;
	}
	return end;
}

/*
 * One bare-column MAX(version) rewrite of s[0, n) into `out`; 1 if done,
 * 0 if there is none, negative out of memory.
 */
static int rewrite_bare_max(const char *s, size_t n, hr_buf *out)
{
	static const char agg[] = ", MAX(version)";
	const char *m = NULL;
	size_t sel, mx, from, grp, ord, end;
	int depth = 0;

	for (const char *p = s; (p = strstr(p, agg)) && (size_t)(p - s) < n; p++)
		m = p;  /* the innermost is the last one */
	if (!m)
		return 0;
	mx = (size_t)(m - s);
	/* the SELECT of this level: scan back at the same depth */
	for (sel = mx; sel > 0; sel--) {
		if (s[sel - 1] == ')')
			depth++;
		else if (s[sel - 1] == '(' && --depth < 0)
			break;
		if (!depth && word_at(s, n, sel - 1, "SELECT"))
			break;
	}
	if (!sel || !word_at(s, n, sel - 1, "SELECT"))
		return 0;
	sel--;
	from = find_kw(s, n, mx, "FROM");
	end = level_end(s, n, mx);
	grp = find_kw(s, end, from, "GROUP");
	if (from >= end || grp >= end)
		return 0;
	ord = find_kw(s, end, grp, "ORDER");
	{
		size_t g0 = skip_ws(s, end, grp + 5);
		size_t gs = skip_ws(s, end, word_at(s, end, g0, "BY") ? g0 + 2 : g0);
		size_t ge = ord < end ? ord : end, fe = grp;

		while (ge > gs && isspace((unsigned char)s[ge - 1]))
			ge--;
		while (fe > from && isspace((unsigned char)s[fe - 1]))
			fe--;
		if (hr_buf_put(out, s, sel) || hr_buf_puts(out, "SELECT * FROM (SELECT DISTINCT ON (") ||
		    hr_buf_put(out, s + gs, ge - gs) || hr_buf_puts(out, ")") ||
		    hr_buf_put(out, s + sel + 6, mx - sel - 6) || hr_buf_puts(out, " ") ||
		    hr_buf_put(out, s + from, fe - from) || hr_buf_puts(out, " ORDER BY ") ||
		    hr_buf_put(out, s + gs, ge - gs) || hr_buf_puts(out, ", version DESC) AS hr_max") ||
		    hr_buf_put(out, s + ge, n - ge))
			return HR_ENOMEM;
	}
	return 1;
}

/* Words after which ")" ends a derived table that has no alias. */
static int alias_follows(const char *s, size_t n, size_t i)
{
	static const char *const next[] = { "WHERE", "GROUP", "ORDER", "JOIN", "LEFT", "INNER", "CROSS", "ON",
					    "UNION", "LIMIT", "USING" };

	i = skip_ws(s, n, i);
	if (i >= n || s[i] == ')' || s[i] == ',' || s[i] == ';')
		return 0;
	for (size_t k = 0; k < sizeof(next) / sizeof(next[0]); k++)
		if (word_at(s, n, i, next[k]))
			return 0;
	return 1;
}

enum { MAX_PARAMS = 999 };

/*
 * The token pass (see the file comment); `s` already has no bare MAX.
 * *nulltests counts parameters written before IS [NOT] NULL, from which
 * PostgreSQL cannot infer a type; with `probe` they are written NULL, so
 * that the statement can be described for the types the other places give.
 */
static int token_pass(const char *s, size_t n, hr_buf *b, int *nparams, int *nulltests, int probe)
{
	int maxp = 0, ignore = 0, aliases = 0, rc = 0;
	/* derived-table parens: depth at which a "FROM (" opened */
	int depth = 0, dstack[64], dn = 0;
	size_t i = 0;

	while (i < n && !rc) {
		size_t q = skip_quoted(s + i, n - i);
		char c = s[i];

		if (q) {
			rc = hr_buf_put(b, s + i, q);
			i += q;
		} else if (c == '?') {
			long v = 0;
			size_t j = i + 1;

			while (j < n && isdigit((unsigned char)s[j]) && v < MAX_PARAMS)
				v = v * 10 + (s[j++] - '0');
			if (j == i + 1)
				v = maxp + 1;
			if (v >= MAX_PARAMS)
				v = MAX_PARAMS - 1;
			if (v > maxp)
				maxp = (int)v;
			{
				size_t k = skip_ws(s, n, j);
				int nulltest = word_at(s, n, k, "IS") &&
					(word_at(s, n, skip_ws(s, n, k + 2), "NULL") ||
					 (word_at(s, n, skip_ws(s, n, k + 2), "NOT") &&
					  word_at(s, n, skip_ws(s, n, skip_ws(s, n, k + 2) + 3), "NULL")));

				*nulltests += nulltest;
				rc = probe && nulltest ? hr_buf_puts(b, "NULL") : hr_buf_printf(b, "$%ld", v);
			}
			i = j;
		} else if (word_at(s, n, i, "INSERT") && word_at(s, n, skip_ws(s, n, i + 6), "OR") &&
			   word_at(s, n, skip_ws(s, n, skip_ws(s, n, i + 6) + 2), "IGNORE")) {
			rc = hr_buf_puts(b, "INSERT");
			i = skip_ws(s, n, skip_ws(s, n, i + 6) + 2) + 6;
			ignore = 1;
		} else if (word_at(s, n, i, "IS")) {
			size_t j = skip_ws(s, n, i + 2);
			int neg = word_at(s, n, j, "NOT");
			size_t k = neg ? skip_ws(s, n, j + 3) : j;

			if (word_at(s, n, k, "NULL") || word_at(s, n, k, "TRUE") || word_at(s, n, k, "FALSE") ||
			    word_at(s, n, k, "DISTINCT") || (!neg && word_at(s, n, k, "NOT"))) {
				rc = hr_buf_put(b, s + i, 2);
				i += 2;
			} else {
				rc = hr_buf_puts(b, neg ? "IS DISTINCT FROM " : "IS NOT DISTINCT FROM ");
				i = k;
			}
		} else if (word_at(s, n, i, "BEGIN") && word_at(s, n, skip_ws(s, n, i + 5), "IMMEDIATE")) {
			rc = hr_buf_puts(b, "BEGIN");
			i = skip_ws(s, n, i + 5) + 9;
		} else if (word_at(s, n, i, "WITHOUT") && word_at(s, n, skip_ws(s, n, i + 7), "ROWID")) {
			i = skip_ws(s, n, i + 7) + 5;
		} else if (word_at(s, n, i, "temp") && i + 4 < n && s[i + 4] == '.') {
			rc = hr_buf_puts(b, "pg_temp");
			i += 4;
		} else if (!strncmp(s + i, "offset", 6) && word_at(s, n, i, "offset")) {
			rc = hr_buf_puts(b, "\"offset\"");
			i += 6;
		} else if (c == '(') {
			size_t j = i;

			/* "FROM (" or "JOIN (": a derived table opens here */
			while (j > 0 && isspace((unsigned char)s[j - 1]))
				j--;
			if (dn < 64 && j >= 4 && (word_at(s, n, j - 4, "FROM") || word_at(s, n, j - 4, "JOIN")))
				dstack[dn++] = depth;
			depth++;
			rc = hr_buf_putc(b, c);
			i++;
		} else if (c == ')') {
			depth--;
			rc = hr_buf_putc(b, c);
			i++;
			if (!rc && dn && dstack[dn - 1] == depth) {
				dn--;
				if (!alias_follows(s, n, i) && !word_at(s, n, skip_ws(s, n, i), "AS"))
					rc = hr_buf_printf(b, " AS hr_d%d", ++aliases);
			}
		} else {
			rc = hr_buf_putc(b, c);
			i++;
		}
	}
	if (!rc && ignore) {
		/* before a trailing ';' and blanks */
		size_t len = b->len;

		while (len && (isspace((unsigned char)b->ptr[len - 1]) || b->ptr[len - 1] == ';'))
			len--;
		hr_buf_truncate(b, len);
		rc = hr_buf_puts(b, " ON CONFLICT DO NOTHING");
	}
	*nparams = maxp;
	return rc ? HR_ENOMEM : 0;
}

int hr_db_pg_translate(const char *sql, size_t len, char **out, int *nparams)
{
	return hr_db_pg_translate_probe(sql, len, out, NULL, nparams);
}

int hr_db_pg_translate_probe(const char *sql, size_t len, char **out, char **probe, int *nparams)
{
	hr_buf cur = HR_BUF_INIT, next = HR_BUF_INIT;
	int rc, guard = 0, nulltests = 0, np;

	*out = NULL;
	*nparams = 0;
	if (probe)
		*probe = NULL;
	if ((rc = hr_buf_put(&cur, sql, len)) < 0)
		goto out;
	while (guard++ < 16 && (rc = rewrite_bare_max(hr_buf_cstr(&cur), cur.len, &next)) == 1) {
		hr_buf tmp = cur;

		cur = next;
		next = tmp;
		hr_buf_clear(&next);
	}
	if (rc < 0)
		goto out;
	hr_buf_clear(&next);
	if ((rc = token_pass(hr_buf_cstr(&cur), cur.len, &next, nparams, &nulltests, 0)) < 0)
		goto out;
	if (!(*out = strdup(hr_buf_cstr(&next)))) {
		rc = HR_ENOMEM;
		goto out;
	}
	if (probe && nulltests) {
		hr_buf_clear(&next);
		if ((rc = token_pass(hr_buf_cstr(&cur), cur.len, &next, &np, &nulltests, 1)) < 0 ||
		    !(*probe = strdup(hr_buf_cstr(&next)))) {
			free(*out);
			*out = NULL;
			rc = HR_ENOMEM;
		}
	}
out:
	hr_buf_free(&cur);
	hr_buf_free(&next);
	return rc < 0 ? rc : 0;
}

/* Length of the first statement of sql[0, n) including its ';' (n if none). */
size_t hr_db_pg_stmt_len(const char *sql, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		size_t q = skip_quoted(sql + i, n - i);

		if (q)
			i += q - 1;
		else if (sql[i] == ';')
			return i + 1;
	}
	return n;
}
