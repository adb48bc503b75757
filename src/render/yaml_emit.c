/*
 * yaml_emit.c — the scalar half of go-yaml v2's emitter (emitterc.go, a Go
 * port of libyaml's): yaml_emitter_analyze_scalar, select_scalar_style and
 * the write_* functions for plain, single-quoted, double-quoted and literal
 * scalars, with the emitter's column bookkeeping so that line folding at
 * best_width 80 comes out byte for byte.  yaml.c drives it (key order,
 * mappings, sequences); the types are in yaml_int.h.
 */
#include "render/yaml_int.h"
#include "util/goutf8.h"
#include "util/error.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>


static int u8w(unsigned char c)
{
	if (c < 0x80)
		return 1;
	if ((c & 0xE0) == 0xC0)
		return 2;
	if ((c & 0xF0) == 0xE0)
		return 3;
	return 4;
}

static int at(const unsigned char *v, size_t n, size_t i)
{
	return i < n ? v[i] : 0;
}

static int is_space_at(const unsigned char *v, size_t n, size_t i)
{
	return at(v, n, i) == ' ';
}

static int is_blank_at(const unsigned char *v, size_t n, size_t i)
{
	return at(v, n, i) == ' ' || at(v, n, i) == '\t';
}

static int is_break_at(const unsigned char *v, size_t n, size_t i)
{
	int c = at(v, n, i);

	return c == '\r' || c == '\n' ||
	       (c == 0xC2 && at(v, n, i + 1) == 0x85) ||
	       (c == 0xE2 && at(v, n, i + 1) == 0x80 &&
		(at(v, n, i + 2) == 0xA8 || at(v, n, i + 2) == 0xA9));
}

static int is_blankz_at(const unsigned char *v, size_t n, size_t i)
{
	return i >= n || at(v, n, i) == 0 || is_blank_at(v, n, i) || is_break_at(v, n, i);
}

static int is_printable_at(const unsigned char *v, size_t n, size_t i)
{
	int b = at(v, n, i), b1 = at(v, n, i + 1), b2 = at(v, n, i + 2);

	return b == 0x0A || (b >= 0x20 && b <= 0x7E) || (b == 0xC2 && b1 >= 0xA0) ||
	       (b > 0xC2 && b < 0xED) || (b == 0xED && b1 < 0xA0) || b == 0xEE ||
	       (b == 0xEF && !(b1 == 0xBB && b2 == 0xBF) &&
		!(b1 == 0xBF && (b2 == 0xBE || b2 == 0xBF)));
}

/* emitterc.go yaml_emitter_analyze_scalar (unicode output on). */
void hr_yaml__analyze(yscan *sc, const unsigned char *v, size_t n)
{
	int block_ind = 0, flow_ind = 0, line_breaks = 0, special = 0;
	/* [0] spaces, [1] breaks: libyaml's leading_space/leading_break, ..., break_space/space_break */
	int leading[2] = { 0, 0 }, trailing[2] = { 0, 0 }, after_other[2] = { 0, 0 }, prev[2] = { 0, 0 }, k;
	int preceded_ws = 1, followed_ws;
	size_t i, w;

	if (!n) {
		sc->multiline = 0;
		sc->block_plain = 1;
		sc->single_ok = 1;
		sc->block_ok = 0;
		return;
	}
	if (n >= 3 && ((v[0] == '-' && v[1] == '-' && v[2] == '-') ||
		       (v[0] == '.' && v[1] == '.' && v[2] == '.')))
		block_ind = flow_ind = 1;
	for (i = 0; i < n; i += w) {
		w = (size_t)u8w(v[i]);
		followed_ws = i + w >= n || is_blank_at(v, n, i + w);
		if (i == 0) {
			switch (v[i]) {
			case '#': case ',': case '[': case ']': case '{': case '}':
			case '&': case '*': case '!': case '|': case '>': case '\'':
			case '"': case '%': case '@': case '`':
				flow_ind = block_ind = 1;
				break;
			case '?': case ':':
				flow_ind = 1;
				if (followed_ws)
					block_ind = 1;
				break;
			case '-':
				if (followed_ws)
					flow_ind = block_ind = 1;
				break;
			}
		} else {
			switch (v[i]) {
			case ',': case '?': case '[': case ']': case '{': case '}':
				flow_ind = 1;
				break;
			case ':':
				flow_ind = 1;
				if (followed_ws)
					block_ind = 1;
				break;
			case '#':
				if (preceded_ws)
					flow_ind = block_ind = 1;
				break;
			}
		}
		if (!is_printable_at(v, n, i))
			special = 1;
		/* k: 0 a space, 1 a break; at the start, at the end, right after the other kind */
		k = is_space_at(v, n, i) ? 0 : is_break_at(v, n, i) ? 1 : -1;
		if (k >= 0) {
			leading[k] |= i == 0;
			trailing[k] |= i + w == n;
			after_other[k] |= prev[!k];
			prev[k] = 1;
			prev[!k] = 0;
		} else {
			prev[0] = prev[1] = 0;
		}
		line_breaks |= k == 1;
		preceded_ws = is_blankz_at(v, n, i);
	}
	(void)flow_ind;
	sc->multiline = line_breaks;
	sc->block_plain = 1;
	sc->single_ok = 1;
	sc->block_ok = 1;
	if (leading[0] || leading[1] || trailing[0] || trailing[1])
		sc->block_plain = 0;
	if (trailing[0])
		sc->block_ok = 0;
	if (after_other[0])          /* a space after a break */
		sc->block_plain = sc->single_ok = 0;
	if (after_other[1] || special)   /* a break after a space */
		sc->block_plain = sc->single_ok = sc->block_ok = 0;
	if (line_breaks || block_ind)
		sc->block_plain = 0;
}

static int e_put(yemit *e, char c)
{
	e->column++;
	return hr_buf_putc(e->out, c);
}

static int e_break(yemit *e)
{
	e->column = 0;
	return hr_buf_putc(e->out, '\n');
}

/* copy one character */
static int e_write(yemit *e, const unsigned char *v, size_t n, size_t *i)
{
	size_t w = (size_t)u8w(v[*i]);

	if (*i + w > n)
		w = n - *i;
	e->column++;
	*i += w;
	return hr_buf_put(e->out, v + *i - w, w);
}

static int e_write_break(yemit *e, const unsigned char *v, size_t n, size_t *i)
{
	int rc;

	if (v[*i] == '\n') {
		(*i)++;
		return e_break(e);
	}
	rc = e_write(e, v, n, i);
	e->column = 0;
	return rc;
}

int hr_yaml__indent(yemit *e)
{
	int ind = e->indent < 0 ? 0 : e->indent, rc = 0;

	if (!e->indention || e->column > ind || (e->column == ind && !e->whitespace))
		rc = e_break(e);
	while (!rc && e->column < ind)
		rc = e_put(e, ' ');
	e->whitespace = e->indention = 1;
	return rc;
}

int hr_yaml__indicator(yemit *e, const char *ind, int need_ws, int is_ws, int is_indention)
{
	int rc = 0;

	if (need_ws && !e->whitespace)
		rc = e_put(e, ' ');
	if (!rc) {
		rc = hr_buf_puts(e->out, ind);
		e->column += (int)strlen(ind);
	}
	e->whitespace = is_ws;
	e->indention = e->indention && is_indention;
	return rc;
}

/*
 * A plain (single = 0) or single-quoted (single = 1) scalar, as libyaml's
 * yaml_emitter_write_plain_scalar / _single_quoted write them: the same
 * folding of spaces and breaks, quotes doubled inside single quotes.
 */
static int write_flow(yemit *e, const unsigned char *v, size_t n, int allow_breaks, int single)
{
	int spaces = 0, breaks = 0, rc = 0;
	size_t i = 0;

	if (single)
		rc = hr_yaml__indicator(e, "'", 1, 0, 0);
	else if (!e->whitespace)
		rc = e_put(e, ' ');
	while (!rc && i < n) {
		if (is_space_at(v, n, i)) {
			if (allow_breaks && !spaces && e->column > BEST_WIDTH && (!single || (i > 0 && i < n - 1)) &&
			    !is_space_at(v, n, i + 1)) {
				rc = hr_yaml__indent(e);
				i++;
			} else {
				rc = e_write(e, v, n, &i);
			}
			spaces = 1;
		} else if (is_break_at(v, n, i)) {
			if (!breaks && v[i] == '\n')
				rc = e_break(e);
			rc = rc ? rc : e_write_break(e, v, n, &i);
			e->indention = 1;
			breaks = 1;
		} else {
			if (breaks)
				rc = hr_yaml__indent(e);
			if (!rc && single && v[i] == '\'')
				rc = e_put(e, '\'');
			rc = rc ? rc : e_write(e, v, n, &i);
			e->indention = 0;
			spaces = breaks = 0;
		}
	}
	if (single && !rc)
		rc = hr_yaml__indicator(e, "'", 0, 0, 0);
	e->whitespace = e->indention = 0;
	return rc;
}

static int write_escape(yemit *e, uint32_t c)
{
	static const char hex[] = "0123456789ABCDEF";
	int rc = e_put(e, '\\'), digits, k;
	char x;

	switch (c) {
	case 0x00: x = '0'; break;
	case 0x07: x = 'a'; break;
	case 0x08: x = 'b'; break;
	case 0x09: x = 't'; break;
	case 0x0A: x = 'n'; break;
	case 0x0B: x = 'v'; break;
	case 0x0C: x = 'f'; break;
	case 0x0D: x = 'r'; break;
	case 0x1B: x = 'e'; break;
	case 0x22: x = '"'; break;
	case 0x5C: x = '\\'; break;
	case 0x85: x = 'N'; break;
	case 0xA0: x = '_'; break;
	case 0x2028: x = 'L'; break;
	case 0x2029: x = 'P'; break;
	default: x = 0; break;
	}
	if (x)
		return rc ? rc : e_put(e, x);
	if (c <= 0xFF)
		x = 'x', digits = 2;
	else if (c <= 0xFFFF)
		x = 'u', digits = 4;
	else
		x = 'U', digits = 8;
	rc = rc ? rc : e_put(e, x);
	for (k = (digits - 1) * 4; !rc && k >= 0; k -= 4)
		rc = e_put(e, hex[(c >> k) & 0xF]);
	return rc;
}

static int write_double(yemit *e, const unsigned char *v, size_t n, int allow_breaks)
{
	int spaces = 0, rc;
	int bom = n >= 3 && v[0] == 0xEF && v[1] == 0xBB && v[2] == 0xBF;
	size_t i = 0;

	rc = hr_yaml__indicator(e, "\"", 1, 0, 0);
	while (!rc && i < n) {
		if (!is_printable_at(v, n, i) || bom || is_break_at(v, n, i) ||
		    v[i] == '"' || v[i] == '\\') {
			uint32_t c;
			size_t w = hr_goutf8_valid_len(v + i, n - i, &c);

			if (!w) {
				c = v[i];
				w = 1;
			}
			i += w;
			rc = write_escape(e, c);
			spaces = 0;
		} else if (is_space_at(v, n, i)) {
			if (allow_breaks && !spaces && e->column > BEST_WIDTH && i > 0 && i < n - 1) {
				rc = hr_yaml__indent(e);
				if (!rc && is_space_at(v, n, i + 1))
					rc = e_put(e, '\\');
				i++;
			} else {
				rc = e_write(e, v, n, &i);
			}
			spaces = 1;
		} else {
			rc = e_write(e, v, n, &i);
			spaces = 0;
		}
	}
	rc = rc ? rc : hr_yaml__indicator(e, "\"", 0, 0, 0);
	e->whitespace = e->indention = 0;
	return rc;
}

static int write_literal(yemit *e, const unsigned char *v, size_t n)
{
	int breaks = 1, rc;
	size_t i, last;
	char hint[3] = { 0 };

	rc = hr_yaml__indicator(e, "|", 1, 0, 0);
	/* block scalar hints: indentation digit, chomping */
	if (!rc && (is_space_at(v, n, 0) || is_break_at(v, n, 0))) {
		hint[0] = '0' + BEST_INDENT;
		rc = hr_yaml__indicator(e, hint, 0, 0, 0);
	}
	if (!rc) {
		last = n - 1;
		while (last > 0 && (v[last] & 0xC0) == 0x80)
			last--;
		hint[0] = 0;
		if (!is_break_at(v, n, last)) {
			hint[0] = '-';
		} else if (last == 0) {
			hint[0] = '+';
		} else {
			size_t p = last - 1;

			while (p > 0 && (v[p] & 0xC0) == 0x80)
				p--;
			if (is_break_at(v, n, p))
				hint[0] = '+';
		}
		hint[1] = 0;
		if (hint[0])
			rc = hr_yaml__indicator(e, hint, 0, 0, 0);
	}
	rc = rc ? rc : e_break(e);
	e->indention = e->whitespace = 1;
	for (i = 0; !rc && i < n;) {
		if (is_break_at(v, n, i)) {
			rc = e_write_break(e, v, n, &i);
			e->indention = 1;
			breaks = 1;
		} else {
			if (breaks)
				rc = hr_yaml__indent(e);
			rc = rc ? rc : e_write(e, v, n, &i);
			e->indention = 0;
			breaks = 0;
		}
	}
	return rc;
}

/*
 * Emit one scalar: `style` is what go-yaml's encoder asked for; the
 * emitter may downgrade it (select_scalar_style).
 */
int hr_yaml__emit_scalar(yemit *e, const char *s, size_t n, int style, int ctx)
{
	const unsigned char *v = (const unsigned char *)s;
	int saved = e->indent, rc;
	yscan sc;

	hr_yaml__analyze(&sc, v, n);
	if ((ctx & CTX_SIMPLE_KEY) && sc.multiline)
		style = ST_DOUBLE;
	if (style == ST_PLAIN && !sc.block_plain)
		style = ST_SINGLE;
	if (style == ST_PLAIN && n == 0 && (ctx & CTX_SIMPLE_KEY))
		style = ST_SINGLE;
	if (style == ST_SINGLE && !sc.single_ok)
		style = ST_DOUBLE;
	if (style == ST_LITERAL && (!sc.block_ok || (ctx & CTX_SIMPLE_KEY)))
		style = ST_DOUBLE;

	e->indent = e->indent < 0 ? BEST_INDENT : e->indent + BEST_INDENT;
	switch (style) {
	case ST_PLAIN:
		rc = write_flow(e, v, n, !(ctx & CTX_SIMPLE_KEY), 0);
		break;
	case ST_SINGLE:
		rc = write_flow(e, v, n, !(ctx & CTX_SIMPLE_KEY), 1);
		break;
	case ST_DOUBLE:
		rc = write_double(e, v, n, !(ctx & CTX_SIMPLE_KEY));
		break;
	default:
		rc = write_literal(e, v, n);
		break;
	}
	e->indent = saved;
	return rc;
}
