/*
 * yaml.c — Helm's YAML output (sigs.k8s.io/yaml.Marshal) for json-c trees.
 *
 * Helm marshals a Go value to JSON, reads the JSON back with go-yaml v2 and
 * prints it with go-yaml v2's emitter (a Go port of libyaml's).  This file
 * reproduces the three stages without building Go values:
 *
 *  1. what the JSON round trip does to scalars: numbers become the int or
 *     float go-yaml resolves from encoding/json's text; strings get invalid
 *     UTF-8 replaced, raw NEL characters folded by the YAML scanner, and
 *     characters the YAML reader rejects turn into an error;
 *  2. go-yaml's encoder choices: map keys in its sorter's order, the scalar
 *     style it asks for (plain if the text resolves back to a string, a
 *     literal block if it holds "\n", else double-quoted);
 *  3. the emitter's state machine, reduced to the block-style subset this
 *     input can produce (flow style only for {} and []), with its column
 *     bookkeeping so that line folding at best_width 80 and the choice
 *     between plain, single-quoted, double-quoted and literal scalars come
 *     out byte for byte.
 *
 * Upstream references: go-yaml v2.4 encode.go (stringv, floatv), resolve.go
 * (resolve, parseTimestamp), sorter.go (keyList.Less), emitterc.go
 * (analyze_scalar, select_scalar_style, the write_* functions).
 */
#include "render/yaml.h"
#include "render/yaml_int.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BEST_WIDTH 80
#define BEST_INDENT 2
#define SIMPLE_KEY_MAX 128

/* ---- Go number formatting --------------------------------------------- */

void hr_yaml__shortest(double d, char digits[24], int *nd, int *dp)
{
	char tmp[40];
	int p, n = 0, e;
	char *s;

	for (p = 1; p <= 17; p++) {
		snprintf(tmp, sizeof(tmp), "%.*e", p - 1, d);
		if (p == 17 || strtod(tmp, NULL) == d)
			break;
	}
	/* tmp is D[.DDD]e±XX */
	for (s = tmp; *s && *s != 'e'; s++)
		if (*s >= '0' && *s <= '9')
			digits[n++] = *s;
	e = atoi(s + 1);
	while (n > 1 && digits[n - 1] == '0')
		n--;
	digits[n] = '\0';
	*nd = n;
	*dp = e + 1;
}

/* strconv.AppendFloat(f, 'e' or 'f', -1, 64) for finite f. */
static int go_format(hr_buf *out, double f, char fmt)
{
	char digits[24];
	int nd, dp, i, rc = 0;

	if (signbit(f))
		rc = hr_buf_putc(out, '-');
	f = fabs(f);
	if (f == 0) {
		digits[0] = '0';
		nd = 1;
		dp = 1;
		if (fmt == 'e')
			return rc ? rc : hr_buf_puts(out, "0e+00");
	} else {
		hr_yaml__shortest(f, digits, &nd, &dp);
	}
	if (fmt == 'e') {
		int x = dp - 1;

		rc = rc ? rc : hr_buf_putc(out, digits[0]);
		if (!rc && nd > 1) {
			rc = hr_buf_putc(out, '.');
			rc = rc ? rc : hr_buf_put(out, digits + 1, (size_t)nd - 1);
		}
		return rc ? rc : hr_buf_printf(out, "e%c%02d", x < 0 ? '-' : '+', abs(x));
	}
	if (dp <= 0) {
		rc = rc ? rc : hr_buf_puts(out, "0.");
		for (i = 0; !rc && i < -dp; i++)
			rc = hr_buf_putc(out, '0');
		return rc ? rc : hr_buf_put(out, digits, (size_t)nd);
	}
	for (i = 0; !rc && i < dp; i++)
		rc = hr_buf_putc(out, i < nd ? digits[i] : '0');
	if (!rc && nd > dp) {
		rc = hr_buf_putc(out, '.');
		rc = rc ? rc : hr_buf_put(out, digits + dp, (size_t)(nd - dp));
	}
	return rc;
}

int hr_yaml__go_json_float(hr_buf *out, double d)
{
	double a = fabs(d);
	size_t n0 = out->len;
	int rc;

	if (isnan(d) || isinf(d))
		return HR_EINVAL;
	if (a != 0 && (a < 1e-6 || a >= 1e21)) {
		rc = go_format(out, d, 'e');
		/* encoding/json: e-07 -> e-7 */
		if (!rc && out->len - n0 >= 4 && out->ptr[out->len - 4] == 'e' &&
		    out->ptr[out->len - 3] == '-' && out->ptr[out->len - 2] == '0') {
			out->ptr[out->len - 2] = out->ptr[out->len - 1];
			hr_buf_truncate(out, out->len - 1);
		}
		return rc;
	}
	return go_format(out, d, 'f');
}

/* strconv.FormatFloat(f, 'g', -1, 64): %e when exp < -4 || exp >= 6. */
static int go_format_g(hr_buf *out, double f)
{
	char digits[24];
	int nd, dp;

	if (f == 0)
		return hr_buf_puts(out, signbit(f) ? "-0" : "0");
	hr_yaml__shortest(fabs(f), digits, &nd, &dp);
	if (dp - 1 < -4 || dp - 1 >= 6)
		return go_format(out, f, 'e');
	return go_format(out, f, 'f');
}

/* Does the decimal text (no sign) fit below or at the limit text? */
static int fits(const char *t, size_t n, const char *limit)
{
	size_t ln = strlen(limit);

	if (n != ln)
		return n < ln;
	return memcmp(t, limit, n) <= 0;
}

/*
 * The scalar go-yaml prints for a float64 that went through encoding/json:
 * integral text fitting int64 or uint64 resolves to an int and prints as
 * is, anything else resolves to a float.
 */
static int number_text(hr_buf *out, double d, hr_error *err)
{
	hr_buf t = HR_BUF_INIT;
	const char *s;
	size_t n;
	int rc, neg;

	rc = hr_yaml__go_json_float(&t, d);
	if (rc == HR_EINVAL) {
		rc = hr_error_set(err, HR_EINVAL, "json: unsupported value: %g", d);
		goto done;
	}
	if (rc)
		goto done;
	s = t.ptr;
	n = t.len;
	if (!strpbrk(s, ".e")) {
		neg = s[0] == '-';
		if (neg ? fits(s + 1, n - 1, "9223372036854775808")
			: fits(s, n, "18446744073709551615")) {
			rc = hr_buf_puts(out, strcmp(s, "-0") ? s : "0");
			goto done;
		}
	}
	rc = go_format_g(out, d);
done:
	hr_buf_free(&t);
	return rc;
}

/* ---- strings after the JSON round trip --------------------------------- */

/* Length of the valid UTF-8 sequence at s (Go's rules), 0 if invalid. */
static size_t utf8_len(const unsigned char *s, size_t n, uint32_t *cp)
{
	unsigned char c = s[0];

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		if (n < 2 || (s[1] & 0xC0) != 0x80)
			return 0;
		*cp = ((uint32_t)(c & 0x1F) << 6) | (s[1] & 0x3F);
		return 2;
	}
	if (c >= 0xE0 && c <= 0xEF) {
		unsigned char lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;

		if (n < 3 || s[1] < lo || s[1] > hi || (s[2] & 0xC0) != 0x80)
			return 0;
		*cp = ((uint32_t)(c & 0x0F) << 12) | ((uint32_t)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
		return 3;
	}
	if (c >= 0xF0 && c <= 0xF4) {
		unsigned char lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;

		if (n < 4 || s[1] < lo || s[1] > hi || (s[2] & 0xC0) != 0x80 ||
		    (s[3] & 0xC0) != 0x80)
			return 0;
		*cp = ((uint32_t)(c & 0x07) << 18) | ((uint32_t)(s[1] & 0x3F) << 12) |
		      ((uint32_t)(s[2] & 0x3F) << 6) | (s[3] & 0x3F);
		return 4;
	}
	return 0;
}

int hr_yaml__go_utf8(hr_buf *out, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, start = 0, w;
	uint32_t cp;
	int rc = 0;

	while (!rc && i < len) {
		w = utf8_len(p + i, len - i, &cp);
		if (w) {
			i += w;
			continue;
		}
		rc = hr_buf_put(out, s + start, i - start);
		rc = rc ? rc : hr_buf_puts(out, "\xEF\xBF\xBD");
		start = ++i;
	}
	return rc ? rc : hr_buf_put(out, s + start, i - start);
}

static int is_nel(const unsigned char *p, size_t n, size_t i)
{
	return i + 1 < n && p[i] == 0xC2 && p[i + 1] == 0x85;
}

/*
 * The string go-yaml reads back from encoding/json's text of `s`: invalid
 * UTF-8 -> U+FFFD; characters the YAML reader refuses -> error; raw NEL
 * (U+0085, which encoding/json leaves unescaped) is a line break to the YAML
 * scanner, so spaces before it vanish, spaces after it are skipped, one
 * break folds to a space and n > 1 breaks to n-1 newlines.  A break followed
 * by "---" or "..." and a blank is a document marker: error.
 */
static int roundtrip_string(hr_buf *out, const char *s, size_t len, hr_error *err)
{
	hr_buf v = HR_BUF_INIT;
	const unsigned char *p;
	size_t i, n, w;
	uint32_t cp;
	int rc, has_nel = 0;

	rc = hr_yaml__go_utf8(&v, s, len);
	if (rc)
		goto done;
	p = (const unsigned char *)v.ptr;
	n = v.len;
	for (i = 0; i < n; i += w) {
		w = utf8_len(p + i, n - i, &cp);
		if (cp == 0x7F || (cp >= 0x80 && cp <= 0x9F && cp != 0x85) ||
		    cp == 0xFFFE || cp == 0xFFFF) {
			rc = hr_error_set(err, HR_EFORMAT,
					  "yaml: control characters are not allowed");
			goto done;
		}
		if (cp == 0x85)
			has_nel = 1;
	}
	if (!has_nel) {
		rc = hr_buf_put(out, v.ptr ? v.ptr : "", n);
		goto done;
	}
	i = 0;
	while (!rc && i < n) {
		size_t ws = 0, breaks = 0;
		int lead = 0, last_nel = 0;

		while (!rc && i < n && p[i] != ' ' && !is_nel(p, n, i))
			rc = hr_buf_putc(out, (char)p[i++]);
		if (rc || i >= n)
			break;
		while (i < n && (p[i] == ' ' || is_nel(p, n, i))) {
			last_nel = p[i] != ' ';
			if (!last_nel) {
				if (!lead)
					ws++;
				i++;
				continue;
			}
			if (!lead) {
				ws = 0;
				lead = 1;
			} else {
				breaks++;
			}
			i += 2;
		}
		if (last_nel && i + 3 < n &&
		    (!memcmp(p + i, "---", 3) || !memcmp(p + i, "...", 3)) &&
		    (p[i + 3] == ' ' || is_nel(p, n, i + 3))) {
			rc = hr_error_set(err, HR_EFORMAT, "yaml: found unexpected document indicator");
			goto done;
		}
		if (lead) {
			if (!breaks)
				rc = hr_buf_putc(out, ' ');
			while (!rc && breaks--)
				rc = hr_buf_putc(out, '\n');
		} else {
			while (!rc && ws--)
				rc = hr_buf_putc(out, ' ');
		}
	}
done:
	hr_buf_free(&v);
	return rc;
}

/* ---- go-yaml resolve: would this plain text read back as a string? ---- */

static int is_dig(char c)
{
	return c >= '0' && c <= '9';
}

static int lower(int c)
{
	return c | 0x20;
}

/* strconv.ParseUint(s, 0, 64) without underscores; 1 if it succeeds. */
static int go_parse_uint0(const char *s, size_t n, uint64_t *out)
{
	unsigned base = 10;
	uint64_t v = 0;
	size_t i = 0;

	if (!n)
		return 0;
	if (s[0] == '0') {
		if (n >= 3 && lower(s[1]) == 'b')
			base = 2, i = 2;
		else if (n >= 3 && lower(s[1]) == 'o')
			base = 8, i = 2;
		else if (n >= 3 && lower(s[1]) == 'x')
			base = 16, i = 2;
		else
			base = 8, i = 1;
	}
	for (; i < n; i++) {
		unsigned d;
		int c = (unsigned char)s[i];

		if (is_dig((char)c))
			d = (unsigned)(c - '0');
		else if (lower(c) >= 'a' && lower(c) <= 'z')
			d = (unsigned)(lower(c) - 'a' + 10);
		else
			return 0;
		if (d >= base || v > (UINT64_MAX - d) / base)
			return 0;
		v = v * base + d;
	}
	*out = v;
	return 1;
}

/* strconv.ParseInt(s, 0, 64) without underscores. */
static int go_parse_int0(const char *s, size_t n)
{
	int neg = 0;
	uint64_t v;

	if (n && (s[0] == '+' || s[0] == '-')) {
		neg = s[0] == '-';
		s++;
		n--;
	}
	if (!go_parse_uint0(s, n, &v))
		return 0;
	return neg ? v <= (uint64_t)1 << 63 : v < (uint64_t)1 << 63;
}

/* strconv's underscoreOK. */
static int underscore_ok(const char *s, size_t n)
{
	char saw = '^';
	size_t i = 0;
	int hex = 0;

	if (n && (s[0] == '-' || s[0] == '+'))
		s++, n--;
	if (n >= 2 && s[0] == '0' && (lower(s[1]) == 'b' || lower(s[1]) == 'o' || lower(s[1]) == 'x')) {
		i = 2;
		saw = '0';
		hex = lower(s[1]) == 'x';
	}
	for (; i < n; i++) {
		if (is_dig(s[i]) || (hex && lower(s[i]) >= 'a' && lower(s[i]) <= 'f')) {
			saw = '0';
			continue;
		}
		if (s[i] == '_') {
			if (saw != '0')
				return 0;
			saw = '_';
			continue;
		}
		if (saw == '_')
			return 0;
		saw = '!';
	}
	return saw != '_';
}

/*
 * strconv.ParseFloat(s, 64) succeeds, for decimal syntax (the only syntax
 * reaching it here: the text starts with '.' or passed go-yaml's float
 * pattern): digits with an optional '.', at least one digit, optional
 * exponent, underscores between digits, and no overflow to infinity.
 */
static int go_parse_float_dec(const char *s, size_t n)
{
	char buf[512];
	size_t i = 0, k = 0;
	int digits = 0, dot = 0, unders = 0;
	double v;

	if (i < n && (s[i] == '+' || s[i] == '-'))
		i++;
	for (; i < n; i++) {
		if (s[i] == '_')
			unders = 1;
		else if (s[i] == '.' && !dot)
			dot = 1;
		else if (is_dig(s[i]))
			digits = 1;
		else
			break;
	}
	if (!digits)
		return 0;
	if (i < n && lower(s[i]) == 'e') {
		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			i++;
		if (i >= n || !is_dig(s[i]))
			return 0;
		for (; i < n && (is_dig(s[i]) || s[i] == '_'); i++)
			if (s[i] == '_')
				unders = 1;
	}
	if (i != n || (unders && !underscore_ok(s, n)))
		return 0;
	if (n >= sizeof(buf))
		return 1; /* absurdly long: overflow is only possible via the exponent */
	for (i = 0; i < n; i++)
		if (s[i] != '_')
			buf[k++] = s[i];
	buf[k] = '\0';
	errno = 0;
	v = strtod(buf, NULL);
	return !(errno == ERANGE && isinf(v));
}

/* ^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$ */
static int yaml_style_float(const char *s, size_t n)
{
	size_t i = 0, d;

	if (i < n && (s[i] == '+' || s[i] == '-'))
		i++;
	if (i < n && s[i] == '.') {
		for (d = ++i; i < n && is_dig(s[i]); i++)
			;
		if (i == d)
			return 0;
	} else {
		for (d = i; i < n && is_dig(s[i]); i++)
			;
		if (i == d)
			return 0;
		if (i < n && s[i] == '.')
			for (i++; i < n && is_dig(s[i]); i++)
				;
	}
	if (i < n && lower(s[i]) == 'e') {
		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			i++;
		for (d = i; i < n && is_dig(s[i]); i++)
			;
		if (i == d)
			return 0;
	}
	return i == n;
}

/* ^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$ */
static int base60_float(const char *s, size_t n)
{
	size_t i = 0, d;
	int groups = 0;

	if (!n || !memchr(s, ':', n))
		return 0;
	if (s[0] == '+' || s[0] == '-')
		i++;
	if (i >= n || !is_dig(s[i]))
		return 0;
	while (i < n && (is_dig(s[i]) || s[i] == '_'))
		i++;
	while (i < n && s[i] == ':') {
		for (d = ++i; i < n && is_dig(s[i]); i++)
			;
		if (i - d == 0 || i - d > 2 || (i - d == 2 && s[d] > '5'))
			return 0;
		groups++;
	}
	if (!groups)
		return 0;
	if (i < n && s[i] == '.')
		for (i++; i < n && (is_dig(s[i]) || s[i] == '_'); i++)
			;
	return i == n;
}

/* Go's time getnum(s, fixed=false): one or two digits. */
static int getnum(const char **p, const char *end, int *v)
{
	const char *s = *p;

	if (s >= end || !is_dig(*s))
		return -1;
	if (s + 1 >= end || !is_dig(s[1])) {
		*v = *s - '0';
		*p = s + 1;
		return 0;
	}
	*v = (s[0] - '0') * 10 + (s[1] - '0');
	*p = s + 2;
	return 0;
}

static int days_in(int m, int y)
{
	static const int dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return dm[m - 1];
}

/*
 * go-yaml's parseTimestamp: time.Parse with "2006-1-2T15:4:5.999999999Z07:00",
 * the same with 't', "2006-1-2 15:4:5.999999999" and "2006-1-2".
 */
static int timestamp_layout(const char *s, const char *end, int layout)
{
	const char *p = s + 5;
	int y, mo, d, h, mi, sec;

	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	if (getnum(&p, end, &mo) || mo < 1 || mo > 12)
		return 0;
	if (p >= end || *p++ != '-')
		return 0;
	if (getnum(&p, end, &d))
		return 0;
	if (layout == 3) {
		if (p != end)
			return 0;
		goto check_day;
	}
	if (layout == 2) {
		if (p < end && *p != ' ')
			return 0;
		while (p < end && *p == ' ')
			p++;
	} else {
		if (p >= end || *p++ != (layout == 0 ? 'T' : 't'))
			return 0;
	}
	if (getnum(&p, end, &h) || h > 23)
		return 0;
	if (p >= end || *p++ != ':')
		return 0;
	if (getnum(&p, end, &mi) || mi > 59)
		return 0;
	if (p >= end || *p++ != ':')
		return 0;
	if (getnum(&p, end, &sec) || sec > 59)
		return 0;
	if (end - p >= 2 && (*p == '.' || *p == ',') && is_dig(p[1]))
		for (p++; p < end && is_dig(*p); p++)
			;
	if (layout != 2) {
		if (p < end && *p == 'Z') {
			p++;
		} else {
			if (end - p < 6 || p[3] != ':' || (*p != '+' && *p != '-'))
				return 0;
			if (!is_dig(p[1]) || !is_dig(p[2]) || !is_dig(p[4]) || !is_dig(p[5]))
				return 0;
			if ((p[1] - '0') * 10 + (p[2] - '0') > 24 ||
			    (p[4] - '0') * 10 + (p[5] - '0') > 60)
				return 0;
			p += 6;
		}
	}
	if (p != end)
		return 0;
check_day:
	return d >= 1 && d <= days_in(mo, y);
}

static int is_timestamp(const char *s, size_t n)
{
	int k;

	if (n < 5 || !is_dig(s[0]) || !is_dig(s[1]) || !is_dig(s[2]) || !is_dig(s[3]) ||
	    s[4] != '-')
		return 0;
	for (k = 0; k < 4; k++)
		if (timestamp_layout(s, s + n, k))
			return 1;
	return 0;
}

static const char *const resolve_words[] = {
	"y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON",
	"n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF",
	"~", "null", "Null", "NULL", ".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF",
	"+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF", NULL
};

/* go-yaml resolve("", s) == "!!str" && !isBase60Float(s). */
static int plain_is_string(const char *s, size_t n)
{
	char c, small[64], *t;
	size_t i, k;
	uint64_t u;
	int r;
	const char *const *w;

	if (!n)
		return 0; /* "" resolves to null */
	c = s[0];
	if (!(c == '+' || c == '-' || is_dig(c) || c == '.' || strchr("yYnNtTfFoO~", c)))
		return 1;
	for (w = resolve_words; *w; w++)
		if (strlen(*w) == n && !memcmp(*w, s, n))
			return 0;
	if (c == '.')
		return !go_parse_float_dec(s, n);
	if (!(c == '+' || c == '-' || is_dig(c)))
		return 1;
	if (base60_float(s, n) || is_timestamp(s, n))
		return 0;
	t = n < sizeof(small) ? small : malloc(n);
	if (!t)
		return 1;
	for (i = k = 0; i < n; i++)
		if (s[i] != '_')
			t[k++] = s[i];
	/* resolve's 0b / -0b retries are already covered by base-0 ParseInt */
	r = !(go_parse_int0(t, k) || go_parse_uint0(t, k, &u) ||
	      (yaml_style_float(t, k) && go_parse_float_dec(t, k)));
	if (t != small)
		free(t);
	return r;
}

/* ---- key order (sorter.go keyList.Less for string keys) ----------------- */

typedef struct ykey {
	const char *key;          /* original json-c key */
	struct json_object *val;
	char *text;               /* round-tripped key text */
	size_t len;
	uint32_t *runes;
	size_t nrunes;
} ykey;

static int key_less(const ykey *a, const ykey *b)
{
	const uint32_t *ar = a->runes, *br = b->runes;
	size_t i, ai, bi;

	for (i = 0; i < a->nrunes && i < b->nrunes; i++) {
		int al, bl;
		uint64_t an = 0, bn = 0;

		if (ar[i] == br[i])
			continue;
		al = hr_yaml__is_letter(ar[i]);
		bl = hr_yaml__is_letter(br[i]);
		if (al && bl)
			return ar[i] < br[i];
		if (al || bl)
			return bl;
		if (ar[i] == '0' || br[i] == '0') {
			size_t j;

			for (j = i; j-- > 0 && hr_yaml__is_digit(ar[j]);) {
				if (ar[j] != '0') {
					an = bn = 1;
					break;
				}
			}
		}
		for (ai = i; ai < a->nrunes && hr_yaml__is_digit(ar[ai]); ai++)
			an = an * 10 + (uint64_t)((int64_t)ar[ai] - '0');
		for (bi = i; bi < b->nrunes && hr_yaml__is_digit(br[bi]); bi++)
			bn = bn * 10 + (uint64_t)((int64_t)br[bi] - '0');
		if (an != bn)
			return (int64_t)an < (int64_t)bn;
		if (ai != bi)
			return ai < bi;
		return ar[i] < br[i];
	}
	return a->nrunes < b->nrunes;
}

static int key_cmp(const void *x, const void *y)
{
	const ykey *a = x, *b = y;

	if (key_less(a, b))
		return -1;
	if (key_less(b, a))
		return 1;
	return 0;
}

/* ---- the emitter -------------------------------------------------------- */

enum { CTX_ROOT = 1, CTX_SEQ = 2, CTX_MAP = 4, CTX_SIMPLE_KEY = 8 };
enum { ST_PLAIN, ST_SINGLE, ST_DOUBLE, ST_LITERAL };

typedef struct yemit {
	hr_buf *out;
	int column;      /* characters on the current line */
	int indent;      /* -1 before the root node */
	int whitespace;  /* the last thing written was whitespace */
	int indention;   /* only indentation written on this line so far */
	int depth;
	hr_error *err;
} yemit;

typedef struct yscan {
	int multiline, block_plain, single_ok, block_ok;
} yscan;

#define MAX_DEPTH 10000

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
static void analyze(yscan *sc, const unsigned char *v, size_t n)
{
	int block_ind = 0, flow_ind = 0, line_breaks = 0, special = 0;
	int leading_space = 0, leading_break = 0, trailing_space = 0, trailing_break = 0;
	int break_space = 0, space_break = 0, prev_space = 0, prev_break = 0;
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
		if (is_space_at(v, n, i)) {
			if (i == 0)
				leading_space = 1;
			if (i + w == n)
				trailing_space = 1;
			if (prev_break)
				break_space = 1;
			prev_space = 1;
			prev_break = 0;
		} else if (is_break_at(v, n, i)) {
			line_breaks = 1;
			if (i == 0)
				leading_break = 1;
			if (i + w == n)
				trailing_break = 1;
			if (prev_space)
				space_break = 1;
			prev_space = 0;
			prev_break = 1;
		} else {
			prev_space = prev_break = 0;
		}
		preceded_ws = is_blankz_at(v, n, i);
	}
	(void)flow_ind;
	sc->multiline = line_breaks;
	sc->block_plain = 1;
	sc->single_ok = 1;
	sc->block_ok = 1;
	if (leading_space || leading_break || trailing_space || trailing_break)
		sc->block_plain = 0;
	if (trailing_space)
		sc->block_ok = 0;
	if (break_space)
		sc->block_plain = sc->single_ok = 0;
	if (space_break || special)
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

static int e_indent(yemit *e)
{
	int ind = e->indent < 0 ? 0 : e->indent, rc = 0;

	if (!e->indention || e->column > ind || (e->column == ind && !e->whitespace))
		rc = e_break(e);
	while (!rc && e->column < ind)
		rc = e_put(e, ' ');
	e->whitespace = e->indention = 1;
	return rc;
}

static int e_indicator(yemit *e, const char *ind, int need_ws, int is_ws, int is_indention)
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

static int write_plain(yemit *e, const unsigned char *v, size_t n, int allow_breaks)
{
	int spaces = 0, breaks = 0, rc = 0;
	size_t i = 0;

	if (!e->whitespace)
		rc = e_put(e, ' ');
	while (!rc && i < n) {
		if (is_space_at(v, n, i)) {
			if (allow_breaks && !spaces && e->column > BEST_WIDTH && !is_space_at(v, n, i + 1)) {
				rc = e_indent(e);
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
				rc = e_indent(e);
			rc = rc ? rc : e_write(e, v, n, &i);
			e->indention = 0;
			spaces = breaks = 0;
		}
	}
	e->whitespace = e->indention = 0;
	return rc;
}

static int write_single(yemit *e, const unsigned char *v, size_t n, int allow_breaks)
{
	int spaces = 0, breaks = 0, rc;
	size_t i = 0;

	rc = e_indicator(e, "'", 1, 0, 0);
	while (!rc && i < n) {
		if (is_space_at(v, n, i)) {
			if (allow_breaks && !spaces && e->column > BEST_WIDTH && i > 0 && i < n - 1 &&
			    !is_space_at(v, n, i + 1)) {
				rc = e_indent(e);
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
				rc = e_indent(e);
			if (!rc && v[i] == '\'')
				rc = e_put(e, '\'');
			rc = rc ? rc : e_write(e, v, n, &i);
			e->indention = 0;
			spaces = breaks = 0;
		}
	}
	rc = rc ? rc : e_indicator(e, "'", 0, 0, 0);
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

	rc = e_indicator(e, "\"", 1, 0, 0);
	while (!rc && i < n) {
		if (!is_printable_at(v, n, i) || bom || is_break_at(v, n, i) ||
		    v[i] == '"' || v[i] == '\\') {
			uint32_t c;
			size_t w = utf8_len(v + i, n - i, &c);

			if (!w) {
				c = v[i];
				w = 1;
			}
			i += w;
			rc = write_escape(e, c);
			spaces = 0;
		} else if (is_space_at(v, n, i)) {
			if (allow_breaks && !spaces && e->column > BEST_WIDTH && i > 0 && i < n - 1) {
				rc = e_indent(e);
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
	rc = rc ? rc : e_indicator(e, "\"", 0, 0, 0);
	e->whitespace = e->indention = 0;
	return rc;
}

static int write_literal(yemit *e, const unsigned char *v, size_t n)
{
	int breaks = 1, rc;
	size_t i, last;
	char hint[3] = { 0 };

	rc = e_indicator(e, "|", 1, 0, 0);
	/* block scalar hints: indentation digit, chomping */
	if (!rc && (is_space_at(v, n, 0) || is_break_at(v, n, 0))) {
		hint[0] = '0' + BEST_INDENT;
		rc = e_indicator(e, hint, 0, 0, 0);
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
			rc = e_indicator(e, hint, 0, 0, 0);
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
				rc = e_indent(e);
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
static int emit_scalar(yemit *e, const char *s, size_t n, int style, int ctx)
{
	const unsigned char *v = (const unsigned char *)s;
	int saved = e->indent, rc;
	yscan sc;

	analyze(&sc, v, n);
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
		rc = write_plain(e, v, n, !(ctx & CTX_SIMPLE_KEY));
		break;
	case ST_SINGLE:
		rc = write_single(e, v, n, !(ctx & CTX_SIMPLE_KEY));
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

/* encode.go stringv: the style go-yaml requests for a string. */
static int string_style(const char *s, size_t n)
{
	if (memchr(s, '\n', n))
		return ST_LITERAL;
	if (plain_is_string(s, n) && !base60_float(s, n))
		return ST_PLAIN;
	return ST_DOUBLE;
}

static int emit_string(yemit *e, const char *s, size_t n, int ctx)
{
	return emit_scalar(e, s, n, string_style(s, n), ctx);
}

static int emit_node(yemit *e, struct json_object *v, int ctx);

static void free_keys(ykey *keys, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(keys[i].text);
		free(keys[i].runes);
	}
	free(keys);
}

static int load_key(ykey *k, const char *key, struct json_object *val, hr_error *err)
{
	hr_buf t = HR_BUF_INIT;
	size_t i, w, n = 0;
	uint32_t cp;
	int rc;

	k->key = key;
	k->val = val;
	rc = roundtrip_string(&t, key, strlen(key), err);
	if (rc)
		goto fail;
	k->text = hr_buf_detach(&t, &k->len);
	k->runes = malloc((k->len + 1) * sizeof(uint32_t));
	if (!k->runes)
		return HR_ENOMEM;
	for (i = 0; i < k->len; i += w) {
		w = utf8_len((const unsigned char *)k->text + i, k->len - i, &cp);
		if (!w) {
			cp = 0xFFFD;
			w = 1;
		}
		k->runes[n++] = cp;
	}
	k->nrunes = n;
	return 0;
fail:
	hr_buf_free(&t);
	return rc;
}

static int emit_mapping(yemit *e, struct json_object *v, int ctx)
{
	size_t n = (size_t)json_object_object_length(v), i = 0;
	int saved = e->indent, rc = 0;
	ykey *keys;

	(void)ctx;
	if (n == 0) {
		rc = e_indicator(e, "{", 1, 1, 0);
		return rc ? rc : e_indicator(e, "}", 0, 0, 0);
	}
	keys = calloc(n, sizeof(*keys));
	if (!keys)
		return HR_ENOMEM;
	{
		json_object_object_foreach(v, key, val) {
			if (i >= n)
				break;
			rc = load_key(&keys[i++], key, val, e->err);
			if (rc)
				goto done;
		}
	}
	n = i;
	qsort(keys, n, sizeof(*keys), key_cmp);

	e->indent = e->indent < 0 ? 0 : e->indent + BEST_INDENT;
	for (i = 0; !rc && i < n; i++) {
		yscan sc;
		ykey *k = &keys[i];

		rc = e_indent(e);
		if (rc)
			break;
		analyze(&sc, (const unsigned char *)k->text, k->len);
		if (!sc.multiline && k->len <= SIMPLE_KEY_MAX) {
			rc = emit_string(e, k->text, k->len, CTX_MAP | CTX_SIMPLE_KEY);
			rc = rc ? rc : e_indicator(e, ":", 0, 0, 0);
		} else {
			rc = e_indicator(e, "?", 1, 0, 1);
			rc = rc ? rc : emit_string(e, k->text, k->len, CTX_MAP);
			rc = rc ? rc : e_indent(e);
			rc = rc ? rc : e_indicator(e, ":", 1, 0, 1);
		}
		rc = rc ? rc : emit_node(e, k->val, CTX_MAP);
	}
	e->indent = saved;
done:
	free_keys(keys, n);
	return rc;
}

static int emit_sequence(yemit *e, struct json_object *v, int ctx)
{
	size_t n = json_object_array_length(v), i;
	int saved = e->indent, rc = 0;

	if (n == 0) {
		rc = e_indicator(e, "[", 1, 1, 0);
		return rc ? rc : e_indicator(e, "]", 0, 0, 0);
	}
	if (e->indent < 0)
		e->indent = 0;
	else if (!((ctx & CTX_MAP) && !e->indention))
		e->indent += BEST_INDENT;
	for (i = 0; !rc && i < n; i++) {
		rc = e_indent(e);
		rc = rc ? rc : e_indicator(e, "-", 1, 0, 1);
		rc = rc ? rc : emit_node(e, json_object_array_get_idx(v, i), CTX_SEQ);
	}
	e->indent = saved;
	return rc;
}

static int emit_node(yemit *e, struct json_object *v, int ctx)
{
	hr_buf t = HR_BUF_INIT;
	int rc;

	if (++e->depth > MAX_DEPTH) {
		rc = hr_error_set(e->err, HR_EINVAL, "yaml: value nested deeper than %d levels",
				  MAX_DEPTH);
		goto done;
	}
	switch (json_object_get_type(v)) {
	case json_type_null:
		rc = emit_scalar(e, "null", 4, ST_PLAIN, ctx);
		break;
	case json_type_boolean:
		rc = json_object_get_boolean(v) ? emit_scalar(e, "true", 4, ST_PLAIN, ctx)
						: emit_scalar(e, "false", 5, ST_PLAIN, ctx);
		break;
	case json_type_int:
	case json_type_double:
		rc = number_text(&t, json_object_get_double(v), e->err);
		rc = rc ? rc : emit_scalar(e, t.ptr, t.len, ST_PLAIN, ctx);
		break;
	case json_type_string:
		rc = roundtrip_string(&t, json_object_get_string(v),
				      (size_t)json_object_get_string_len(v), e->err);
		rc = rc ? rc : emit_string(e, t.ptr ? t.ptr : "", t.len, ctx);
		break;
	case json_type_object:
		rc = emit_mapping(e, v, ctx);
		break;
	case json_type_array:
		rc = emit_sequence(e, v, ctx);
		break;
	default:
		rc = hr_error_set(e->err, HR_EINVAL, "yaml: unsupported json-c type");
		break;
	}
done:
	e->depth--;
	hr_buf_free(&t);
	return rc;
}

int hr_yaml_write(hr_buf *out, struct json_object *v, hr_error *err)
{
	yemit e = { out, 0, -1, 1, 1, 0, err };
	size_t n0 = out->len;
	int rc;

	rc = emit_node(&e, v, CTX_ROOT);
	/* document end: yaml_emitter_write_indent at indent -1 */
	if (!rc)
		rc = e_indent(&e);
	if (rc) {
		if (rc == HR_ENOMEM)
			hr_error_set(err, rc, "yaml: out of memory");
		if (out->ptr)
			hr_buf_truncate(out, n0);
	}
	return rc;
}
