/*
 * gojson.c — read release JSON into json-c trees without losing anything
 * Go wrote, and write trees back byte-for-byte as Go's encoding/json does.
 *
 * Why our own parser: json-c 0.16's tokener clamps integers beyond uint64
 * to 18446744073709551615, reads "-0" as integer 0, and even in strict mode
 * accepts single-quoted strings and raw control characters.  Go writes
 * float64 values up to 1e21 as plain digits ("100000000000000000000"), so
 * clamping would corrupt real records.  The parser below is a strict
 * RFC 8259 recursive-descent reader (nesting capped at Go's own limit of
 * 10000) that builds json-c objects: integers that fit int64 become int64
 * objects, every other number a double that keeps its source text
 * (json_object_new_double_s), so re-encoding prints the original digits.
 *
 * Duplicate object keys: the last value wins at the position of the first
 * (json-c replaces in place); Go's decoder also keeps the last value.
 * Invalid UTF-8 inside strings is kept as bytes (evidence is not rewritten);
 * the writer then emits \ufffd for each bad byte, as json.Marshal does.
 * Lone UTF-16 surrogates in \u escapes become U+FFFD, as in Go's decoder.
 */
#include "codec/gojson.h"
#include "util/gostrconv.h"
#include "util/goutf8.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- parser */

typedef struct parser {
	const unsigned char *p;
	size_t n, i;
	int depth;
	hr_buf scratch;   /* unescaped strings and number texts */
	hr_error *err;
	int scan_only;    /* hr_gojson_parse_scan: leave out the chart's bulk */
	int in_chart;     /* parsing the value of the top-level "chart" key */
} parser;

static int perr(parser *ps, size_t at, const char *what)
{
	if (at >= ps->n)
		return hr_error_set(ps->err, HR_EFORMAT, "json: %s at byte %zu (end of input)", what, at);
	if (ps->p[at] >= 0x20 && ps->p[at] < 0x7f)
		return hr_error_set(ps->err, HR_EFORMAT, "json: %s at byte %zu ('%c')",
				    what, at, ps->p[at]);
	return hr_error_set(ps->err, HR_EFORMAT, "json: %s at byte %zu (0x%02x)",
			    what, at, ps->p[at]);
}

static int nomem(parser *ps)
{
	return hr_error_set(ps->err, HR_ENOMEM, "json: out of memory at byte %zu", ps->i);
}

static void skip_ws(parser *ps)
{
	while (ps->i < ps->n) {
		unsigned char c = ps->p[ps->i];

		if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
			break;
		ps->i++;
	}
}

static int hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Four hex digits at ps->p[at]; -1 if not. */
static long read_hex4(parser *ps, size_t at)
{
	long v = 0;
	int k;

	if (ps->n - at < 4)
		return -1;
	for (k = 0; k < 4; k++) {
		int h = hexval(ps->p[at + k]);

		if (h < 0)
			return -1;
		v = v << 4 | h;
	}
	return v;
}

/* JSON's one-letter escapes: the letter after the backslash, and the byte it stands for. */
/* The byte each one-letter escape stands for (0: not an escape letter). */
static const unsigned char esc_byte[256] = {
	['"'] = '"', ['\\'] = '\\', ['/'] = '/', ['b'] = '\b', ['f'] = '\f', ['n'] = '\n', ['r'] = '\r', ['t'] = '\t',
};

/*
 * The \uXXXX escape at *at (a surrogate pair takes two): its rune onto
 * ps->scratch in UTF-8 (a lone or broken surrogate is U+FFFD, as Go
 * decodes it), and *at past it.  0, or the error.
 */
static int unicode_escape(parser *ps, size_t *at)
{
	const unsigned char *p = ps->p;
	size_t i = *at;
	long cp = read_hex4(ps, i + 2);

	if (cp < 0)
		return perr(ps, i, "bad \\u escape");
	i += 6;
	if (cp >= 0xd800 && cp < 0xdc00) {
		long lo = -1;

		if (ps->n - i >= 6 && p[i] == '\\' && p[i + 1] == 'u')
			lo = read_hex4(ps, i + 2);
		if (lo >= 0xdc00 && lo < 0xe000) {
			cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
			i += 6;
		} else {
			cp = 0xfffd;
		}
	} else if (cp >= 0xdc00 && cp < 0xe000) {
		cp = 0xfffd;
	}
	*at = i;
	return hr_goutf8_put_rune(&ps->scratch, (uint32_t)cp) ? nomem(ps) : 0;
}

/*
 * End of the run of string bytes from i that need no attention: not a
 * quote, a backslash or a control character.  Eight bytes at a time with
 * the "has a zero byte" / "has a byte less than" word tests: a borrow can
 * only mark bytes above a real match, so on a little-endian machine the
 * lowest marked byte is the first match.
 */
static size_t plain_span(const unsigned char *p, size_t i, size_t n)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;

	while (i + 8 <= n) {
		uint64_t w, q, b, t;

		memcpy(&w, p + i, 8);
		q = w ^ (ones * '"');
		b = w ^ (ones * '\\');
		t = (((q - ones) & ~q) | ((b - ones) & ~b) | ((w - ones * 0x20) & ~w)) & highs;
		if (t)
			return i + ((size_t)__builtin_ctzll(t) >> 3);
		i += 8;
	}
#endif
	while (i < n && p[i] != '"' && p[i] != '\\' && p[i] >= 0x20)
		i++;
	return i;
}

/*
 * Parse the string starting at the opening quote.  On success *s and *len
 * point either into the input (no escapes) or into ps->scratch.
 */
static int parse_string(parser *ps, const char **s, size_t *len)
{
	size_t start = ++ps->i, i = start;
	const unsigned char *p = ps->p;
	int rc;

	/* fast path: no escapes */
	i = plain_span(p, i, ps->n);
	if (i < ps->n && p[i] == '"') {
		*s = (const char *)p + start;
		*len = i - start;
		ps->i = i + 1;
		return 0;
	}
	/*
	 * The runs and escapes are written straight into scratch, its room
	 * checked per run (hr_buf_grow doubles it); scratch.len is brought up
	 * to date only at the end and around the \u escapes, which append
	 * through scratch themselves.
	 */
	hr_buf_clear(&ps->scratch);
	char *o;

#define ROOM(k)                                                                    \
	do {                                                                       \
		size_t used_ = (size_t)(o - ps->scratch.ptr);                      \
		if (used_ + (k) >= ps->scratch.cap) {                              \
			ps->scratch.len = used_;                                   \
			if (hr_buf_grow(&ps->scratch, (k)))                        \
				return nomem(ps);                                  \
			o = ps->scratch.ptr + used_;                               \
		}                                                                  \
	} while (0)
	if (hr_buf_grow(&ps->scratch, i - start + 1))
		return nomem(ps);
	o = ps->scratch.ptr;
	memcpy(o, p + start, i - start);
	o += i - start;
	for (;;) {
		size_t run = i;

		i = plain_span(p, i, ps->n);
		ROOM(i - run + 1);
		memcpy(o, p + run, i - run);
		o += i - run;
		if (i >= ps->n)
			return hr_error_set(ps->err, HR_EFORMAT,
					    "json: unterminated string starting at byte %zu", start - 1);
		if (p[i] == '"')
			break;
		if (p[i] < 0x20)
			return perr(ps, i, "control character in string");
		/* backslash */
		if (i + 1 >= ps->n)
			return perr(ps, i + 1, "unterminated escape");
		if (p[i + 1] == 'u') {
			ps->scratch.len = (size_t)(o - ps->scratch.ptr);
			if ((rc = unicode_escape(ps, &i)))
				return rc;
			o = ps->scratch.ptr + ps->scratch.len;
			continue;
		}
		if (!esc_byte[p[i + 1]])
			return perr(ps, i, "bad escape");
		*o++ = (char)esc_byte[p[i + 1]];
		i += 2;
	}
#undef ROOM
	ps->scratch.len = (size_t)(o - ps->scratch.ptr);
	ps->scratch.ptr[ps->scratch.len] = '\0';
	ps->i = i + 1;
	*s = ps->scratch.ptr;
	*len = ps->scratch.len;
	return 0;
}

static int parse_number(parser *ps, struct json_object **out)
{
	const unsigned char *p = ps->p;
	size_t start = ps->i, i = start;
	int is_int = 1;
	int64_t iv;
	double dv = 0;

	if (i < ps->n && p[i] == '-')
		i++;
	if (i >= ps->n || p[i] < '0' || p[i] > '9')
		return perr(ps, i, "bad number");
	if (p[i] == '0') {
		i++;
	} else {
		while (i < ps->n && p[i] >= '0' && p[i] <= '9')
			i++;
	}
	if (i < ps->n && p[i] == '.') {
		is_int = 0;
		i++;
		if (i >= ps->n || p[i] < '0' || p[i] > '9')
			return perr(ps, i, "bad number: digit expected after '.'");
		while (i < ps->n && p[i] >= '0' && p[i] <= '9')
			i++;
	}
	if (i < ps->n && (p[i] == 'e' || p[i] == 'E')) {
		is_int = 0;
		i++;
		if (i < ps->n && (p[i] == '+' || p[i] == '-'))
			i++;
		if (i >= ps->n || p[i] < '0' || p[i] > '9')
			return perr(ps, i, "bad number: digit expected in exponent");
		while (i < ps->n && p[i] >= '0' && p[i] <= '9')
			i++;
	}
	ps->i = i;
	hr_buf_clear(&ps->scratch);
	if (hr_buf_put(&ps->scratch, p + start, i - start))
		return nomem(ps);

	const char *text = ps->scratch.ptr;

	/* int64 when it fits and is not "-0"; else a double that keeps the text */
	if (is_int && strcmp(text, "-0") != 0 && !hr_go_parse_int(text, ps->scratch.len, 10, &iv)) {
		*out = json_object_new_int64(iv);
		return *out ? 0 : nomem(ps);
	}
	/* an overflow reads as ±Inf (HR_ETOOBIG), as strtod gives it */
	if (hr_go_parse_float(text, ps->scratch.len, &dv) == HR_ENOMEM)
		return nomem(ps);
	*out = json_object_new_double_s(dv, text);
	return *out ? 0 : nomem(ps);
}

static int parse_value(parser *ps, struct json_object **out);

/*
 * Skip one value without building it: strings are jumped over with memchr
 * (only quotes and backslashes matter), containers by counting brackets
 * outside strings.  The skipped text is checked for balance, not for full
 * JSON grammar.
 */
static int skip_value(parser *ps)
{
	const unsigned char *p = ps->p;
	size_t i, start;
	int depth = 0;

	skip_ws(ps);
	i = start = ps->i;
	if (i >= ps->n)
		return perr(ps, i, "value expected");
	do {
		if (i >= ps->n)
			return perr(ps, start, "unterminated value");
		switch (p[i]) {
		case '"':
			for (i++;;) {
				const unsigned char *q = memchr(p + i, '"', ps->n - i);
				size_t bs = 0;

				if (!q)
					return hr_error_set(ps->err, HR_EFORMAT,
							    "json: unterminated string starting at byte %zu", i - 1);
				i = (size_t)(q - p);
				while (bs < i && p[i - 1 - bs] == '\\')
					bs++;
				i++;
				if (!(bs & 1))
					break;
			}
			continue;
		case '{': case '[':
			if (++depth > HR_GOJSON_MAX_DEPTH - ps->depth)
				return perr(ps, i, "nesting too deep");
			i++;
			continue;
		case '}': case ']':
			if (--depth < 0)
				return perr(ps, i, "unbalanced bracket");
			i++;
			continue;
		default:
			if (!depth) {
				/* a scalar: up to the next delimiter */
				while (i < ps->n && !strchr(",}] \t\r\n", p[i]))
					i++;
				ps->i = i;
				return i > start ? 0 : perr(ps, start, "value expected");
			}
			i++;
		}
	} while (depth > 0);
	ps->i = i;
	return 0;
}

static int scan_skips(const parser *ps, const char *key)
{
	return ps->scan_only && ps->in_chart && ps->depth == 2 &&
	       (!strcmp(key, "templates") || !strcmp(key, "files") || !strcmp(key, "schema") ||
		!strcmp(key, "values"));
}

/*
 * At '{' (close '}') or '[' (close ']'): make the container in *c and step
 * past the bracket.  When `close` follows at once it is consumed, *out = *c
 * and 1 is returned; 0 when members follow; nomem() on failure.
 */
static int open_container(parser *ps, struct json_object **c, struct json_object **out, char close)
{
	if (!(*c = close == '}' ? json_object_new_object() : json_object_new_array()))
		return nomem(ps);
	ps->i++;
	skip_ws(ps);
	if (ps->i < ps->n && ps->p[ps->i] == close) {
		ps->i++;
		*out = *c;
		return 1;
	}
	return 0;
}

/* After a member or element: 1 past ',' (another follows), 0 past `close`, else the error `what`. */
static int more_items(parser *ps, char close, const char *what)
{
	skip_ws(ps);
	if (ps->i < ps->n && (ps->p[ps->i] == ',' || ps->p[ps->i] == close))
		return ps->p[ps->i++] == ',';
	return perr(ps, ps->i, what);
}

/* One `"key": value` member of an object, added to obj. */
static int object_member(parser *ps, struct json_object *obj)
{
	struct json_object *v = NULL;
	const char *ks;
	char *key;
	size_t klen, kat;
	int rc;

	skip_ws(ps);
	kat = ps->i;
	if (ps->i >= ps->n || ps->p[ps->i] != '"')
		return perr(ps, ps->i, "object key expected");
	if ((rc = parse_string(ps, &ks, &klen)))
		return rc;
	if (memchr(ks, 0, klen))
		return hr_error_set(ps->err, HR_EUNSUPPORTED,
				    "json: object key at byte %zu contains NUL (not representable)", kat);
	if (!(key = strndup(ks, klen)))
		return nomem(ps);
	skip_ws(ps);
	if (ps->i >= ps->n || ps->p[ps->i] != ':') {
		rc = perr(ps, ps->i, "':' expected after object key");
		goto out;
	}
	ps->i++;
	if (scan_skips(ps, key)) {
		rc = skip_value(ps);
		goto out;
	}
	if (ps->depth == 1)
		ps->in_chart = ps->scan_only && !strcmp(key, "chart");
	rc = parse_value(ps, &v);
	if (ps->depth == 1)
		ps->in_chart = 0;
	if (!rc && json_object_object_add(obj, key, v)) {
		json_object_put(v);
		rc = nomem(ps);
	}
out:
	free(key);
	return rc;
}

/*
 * An object (at '{', close '}') or an array (at '[', close ']'): the one
 * loop over members or elements and their separators.  Elements are parsed
 * here, not in a function of their own, so that deep arrays take no more
 * stack than before.
 */
static int parse_container(parser *ps, struct json_object **out, char close)
{
	struct json_object *c, *v = NULL;
	int rc;

	if ((rc = open_container(ps, &c, out, close)))
		return rc < 0 ? rc : 0;
	do {
		if (close == '}') {
			rc = object_member(ps, c);
		} else if (!(rc = parse_value(ps, &v)) && json_object_array_add(c, v)) {
			json_object_put(v);
			rc = nomem(ps);
		}
		if (rc)
			break;
	} while ((rc = more_items(ps, close, close == '}' ? "',' or '}' expected in object"
							 : "',' or ']' expected in array")) > 0);
	if (rc) {
		json_object_put(c);
		return rc;
	}
	*out = c;
	return 0;
}

static int literal(parser *ps, const char *word)
{
	size_t n = strlen(word);

	if (ps->n - ps->i < n || memcmp(ps->p + ps->i, word, n) != 0)
		return perr(ps, ps->i, "invalid literal");
	ps->i += n;
	return 0;
}

static int parse_value(parser *ps, struct json_object **out)
{
	const char *s;
	size_t len;
	int rc;

	*out = NULL;
	skip_ws(ps);
	if (ps->i >= ps->n)
		return perr(ps, ps->i, "value expected");
	switch (ps->p[ps->i]) {
	case '{':
	case '[':
		if (++ps->depth > HR_GOJSON_MAX_DEPTH)
			return hr_error_set(ps->err, HR_EFORMAT,
					    "json: nesting deeper than %d at byte %zu",
					    HR_GOJSON_MAX_DEPTH, ps->i);
		rc = parse_container(ps, out, ps->p[ps->i] == '{' ? '}' : ']');
		ps->depth--;
		return rc;
	case '"':
		rc = parse_string(ps, &s, &len);
		if (rc)
			return rc;
		if (len > INT32_MAX)
			return hr_error_set(ps->err, HR_ETOOBIG,
					    "json: string of %zu bytes before byte %zu is too long", len, ps->i);
		*out = json_object_new_string_len(s, (int)len);
		return *out ? 0 : nomem(ps);
	case 't':
		rc = literal(ps, "true");
		if (!rc && !(*out = json_object_new_boolean(1)))
			rc = nomem(ps);
		return rc;
	case 'f':
		rc = literal(ps, "false");
		if (!rc && !(*out = json_object_new_boolean(0)))
			rc = nomem(ps);
		return rc;
	case 'n':
		return literal(ps, "null");
	default:
		if (ps->p[ps->i] == '-' || (ps->p[ps->i] >= '0' && ps->p[ps->i] <= '9'))
			return parse_number(ps, out);
		return perr(ps, ps->i, "unexpected character");
	}
}

static int parse_text(struct json_object **out, const char *text, size_t len, int scan_only, hr_error *err)
{
	parser ps = { (const unsigned char *)text, len, 0, 0, HR_BUF_INIT, err, scan_only, 0 };
	struct json_object *v = NULL;
	int rc;

	*out = NULL;
	rc = parse_value(&ps, &v);
	if (rc)
		goto done;
	skip_ws(&ps);
	if (ps.i < ps.n) {
		json_object_put(v);
		v = NULL;
		rc = perr(&ps, ps.i, "trailing data after JSON value");
		goto done;
	}
	*out = v;
done:
	hr_buf_free(&ps.scratch);
	return rc;
}

int hr_gojson_parse(struct json_object **out, const char *text, size_t len, hr_error *err)
{
	return parse_text(out, text, len, 0, err);
}

int hr_gojson_parse_scan(struct json_object **out, const char *text, size_t len, hr_error *err)
{
	return parse_text(out, text, len, 1, err);
}
