/*
 * yaml_scalar.c — what Helm's JSON-then-YAML round trip does to scalars.
 *
 * sigs.k8s.io/yaml.Marshal writes the value as JSON and lets go-yaml v2
 * read that JSON back before printing it.  This file answers the three
 * questions the emitter (yaml.c) asks about each scalar:
 *
 *  - which text does a float64 number print as (encoding/json's text,
 *    resolved by go-yaml to an int or a float, printed by strconv);
 *  - which string does go-yaml actually hold (invalid UTF-8 replaced by
 *    encoding/json; raw NEL folded and control characters refused by
 *    go-yaml's reader and scanner);
 *  - would the string, written plain, read back as a string (go-yaml's
 *    resolve(): YAML 1.1 booleans and nulls, Go integer and float syntax,
 *    timestamps, base-60 numbers)?
 *
 * Upstream references: go-yaml v2.4 resolve.go and encode.go, Go's
 * strconv (ParseInt/ParseUint base 0, ParseFloat, FormatFloat) and time
 * (Parse with go-yaml's timestamp layouts), encoding/json's float encoder.
 */
#include "render/yaml_int.h"
#include "util/error.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
int hr_yaml__number_text(hr_buf *out, double d, hr_error *err)
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
size_t hr_yaml__utf8_len(const unsigned char *s, size_t n, uint32_t *cp)
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
		w = hr_yaml__utf8_len(p + i, len - i, &cp);
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
int hr_yaml__roundtrip_string(hr_buf *out, const char *s, size_t len, hr_error *err)
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
		w = hr_yaml__utf8_len(p + i, n - i, &cp);
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
int hr_yaml__plain_is_string(const char *s, size_t n)
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
