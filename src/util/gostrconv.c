/*
 * gostrconv.c — the one copy of Go's strconv rules helmrec needs: integer
 * parsing with base prefixes and underscores, decimal float parsing with
 * Go's syntax checks, shortest round-trip float formatting ('e', 'f', 'g'
 * at precision -1, float64 and float32), and encoding/json's float text.
 * go-yaml's resolver (util/yaml11.c), ghodss key strings (codec/helm2_*),
 * Helm's JSON writer (codec/gojson*.c) and the YAML printer (render/yaml*.c)
 * all call these, so an edge case is fixed once.
 *
 * Conversions between text and binary floating point go through the C
 * library in the "C" locale (strtod_l / strtof_l), whatever LC_NUMERIC the
 * program runs with; glibc rounds correctly, as Go does.
 */
#include "util/gostrconv.h"
#include "util/error.h"

#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static locale_t c_locale;
static pthread_once_t c_locale_once = PTHREAD_ONCE_INIT;

static void make_c_locale(void)
{
	c_locale = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
}

static double c_strtod(const char *s)
{
	pthread_once(&c_locale_once, make_c_locale);
	return c_locale ? strtod_l(s, NULL, c_locale) : strtod(s, NULL);
}

static float c_strtof(const char *s)
{
	pthread_once(&c_locale_once, make_c_locale);
	return c_locale ? strtof_l(s, NULL, c_locale) : strtof(s, NULL);
}

static int is_dig(char c)
{
	return c >= '0' && c <= '9';
}

static int lower(int c)
{
	return c | 0x20;
}

/* ---- parsing ---------------------------------------------------------- */

int hr_go_underscore_ok(const char *s, size_t n)
{
	char saw = '^';
	size_t i = 0;
	int hex = 0;

	if (n && (s[0] == '-' || s[0] == '+'))
		s++, n--;
	if (n >= 2 && s[0] == '0' && (lower(s[1]) == 'b' || lower(s[1]) == 'o' || lower(s[1]) == 'x')) {
		i = 2;
		saw = '0';   /* a base prefix counts as a digit */
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

int hr_go_parse_uint(const char *s, size_t n, int base, uint64_t *out)
{
	const char *s0 = s;
	size_t n0 = n, i = 0;
	int base0 = base == 0, underscores = 0;
	uint64_t v = 0;

	if (!n)
		return HR_EFORMAT;
	if (base0) {
		base = 10;
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
	} else if (base < 2 || base > 36) {
		return HR_EINVAL;
	}
	for (; i < n; i++) {
		int c = (unsigned char)s[i];
		unsigned d;

		if (c == '_' && base0) {
			underscores = 1;
			continue;
		}
		if (is_dig((char)c))
			d = (unsigned)(c - '0');
		else if (lower(c) >= 'a' && lower(c) <= 'z')
			d = (unsigned)(lower(c) - 'a' + 10);
		else
			return HR_EFORMAT;
		if (d >= (unsigned)base)
			return HR_EFORMAT;
		if (v > (UINT64_MAX - d) / (unsigned)base)
			return HR_ETOOBIG;
		v = v * (unsigned)base + d;
	}
	if (underscores && !hr_go_underscore_ok(s0, n0))
		return HR_EFORMAT;
	*out = v;
	return 0;
}

int hr_go_parse_int(const char *s, size_t n, int base, int64_t *out)
{
	int neg = 0, rc;
	uint64_t u;

	if (n && (s[0] == '+' || s[0] == '-')) {
		neg = s[0] == '-';
		s++;
		n--;
	}
	rc = hr_go_parse_uint(s, n, base, &u);
	if (rc)
		return rc;
	if (neg ? u > (uint64_t)INT64_MAX + 1 : u > (uint64_t)INT64_MAX)
		return HR_ETOOBIG;
	*out = neg ? (u == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)u) : (int64_t)u;
	return 0;
}

/* Length of the common prefix of s and the lower-case word, ignoring case. */
static size_t prefix_nocase(const char *s, size_t n, const char *word)
{
	size_t i;

	for (i = 0; i < n && word[i] && lower((unsigned char)s[i]) == word[i]; i++)
		;
	return i;
}

/* strconv's special(): "inf"/"infinity" with an optional sign, "nan"; 1 if all of s is one. */
static int special(const char *s, size_t n, double *out)
{
	size_t sign = 0, k;

	if (!n)
		return 0;
	if (s[0] == '+' || s[0] == '-' || lower((unsigned char)s[0]) == 'i') {
		sign = s[0] == '+' || s[0] == '-';
		k = prefix_nocase(s + sign, n - sign, "infinity");
		if (k > 3 && k < 8)
			k = 3;
		if ((k == 3 || k == 8) && sign + k == n) {
			*out = s[0] == '-' ? -INFINITY : INFINITY;
			return 1;
		}
		return 0;
	}
	if (n == 3 && prefix_nocase(s, n, "nan") == 3) {
		*out = NAN;
		return 1;
	}
	return 0;
}

int hr_go_parse_float(const char *s, size_t n, double *out)
{
	char small[128], *buf;
	size_t i = 0, k = 0;
	int digits = 0, dot = 0, unders = 0;
	double v;

	if (special(s, n, out))
		return 0;
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
		return HR_EFORMAT;
	if (i < n && lower((unsigned char)s[i]) == 'e') {
		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			i++;
		if (i >= n || !is_dig(s[i]))
			return HR_EFORMAT;
		for (; i < n && (is_dig(s[i]) || s[i] == '_'); i++)
			if (s[i] == '_')
				unders = 1;
	}
	if (i != n || (unders && !hr_go_underscore_ok(s, n)))
		return HR_EFORMAT;
	buf = n < sizeof(small) ? small : malloc(n + 1);
	if (!buf)
		return HR_ENOMEM;
	for (i = 0; i < n; i++)
		if (s[i] != '_')
			buf[k++] = s[i];
	buf[k] = '\0';
	v = c_strtod(buf);
	if (buf != small)
		free(buf);
	*out = v;
	return isinf(v) ? HR_ETOOBIG : 0;
}

/* ---- formatting ------------------------------------------------------- */

void hr_go_shortest(double d, int bits, char digits[24], int *nd, int *dp)
{
	char tmp[48];
	int p, maxp = bits == 32 ? 9 : 17, n = 0, e = 0, eneg = 0;
	float x = (float)d;
	const char *s;

	if (bits == 32)
		d = (double)x;
	for (p = 1; p <= maxp; p++) {
		snprintf(tmp, sizeof(tmp), "%.*e", p - 1, d);
		if (p == maxp || (bits == 32 ? c_strtof(tmp) == x : c_strtod(tmp) == d))
			break;
	}
	/* tmp is [-]D[.DDD]e±XX, whatever the locale's decimal point */
	for (s = tmp; *s && *s != 'e'; s++)
		if (is_dig(*s))
			digits[n++] = *s;
	if (*s == 'e')
		s++;
	if (*s == '-' || *s == '+')
		eneg = *s++ == '-';
	for (; is_dig(*s); s++)
		e = e * 10 + (*s - '0');
	while (n > 1 && digits[n - 1] == '0')
		n--;
	digits[n] = '\0';
	*nd = n;
	*dp = (eneg ? -e : e) + 1;
}

/* strconv's fmtE / fmtF for shortest digits of a finite f. */
static int format_ef(hr_buf *out, double f, char fmt, int bits)
{
	char digits[24];
	int nd, dp, i, rc = 0;

	if (signbit(f))
		rc = hr_buf_putc(out, '-');
	f = fabs(f);
	if (f == 0) {
		if (fmt == 'e')
			return rc ? rc : hr_buf_puts(out, "0e+00");
		memcpy(digits, "0", 2);
		nd = dp = 1;
	} else {
		hr_go_shortest(f, bits, digits, &nd, &dp);
	}
	if (fmt == 'e') {
		int x = dp - 1;

		rc = rc ? rc : hr_buf_putc(out, digits[0]);
		if (!rc && nd > 1) {
			rc = hr_buf_putc(out, '.');
			rc = rc ? rc : hr_buf_put(out, digits + 1, (size_t)nd - 1);
		}
		return rc ? rc : hr_buf_printf(out, "e%c%02d", x < 0 ? '-' : '+', x < 0 ? -x : x);
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

int hr_go_format_float(hr_buf *out, double f, char fmt, int bits)
{
	char digits[24];
	int nd, dp;

	if (bits == 32)
		f = (double)(float)f;
	if (isnan(f))
		return hr_buf_puts(out, "NaN");
	if (isinf(f))
		return hr_buf_puts(out, f > 0 ? "+Inf" : "-Inf");
	if (fmt == 'g') {
		/* %e when the exponent is < -4 or >= 6 (eprec 6 for shortest) */
		fmt = 'f';
		if (f != 0) {
			hr_go_shortest(fabs(f), bits, digits, &nd, &dp);
			if (dp - 1 < -4 || dp - 1 >= 6)
				fmt = 'e';
		}
	}
	return format_ef(out, f, fmt, bits);
}

int hr_go_json_float(hr_buf *out, double f)
{
	double a = fabs(f);
	size_t n0 = out->len;
	int rc;

	if (isnan(f) || isinf(f))
		return HR_EINVAL;
	if (a != 0 && (a < 1e-6 || a >= 1e21)) {
		rc = format_ef(out, f, 'e', 64);
		/* encoding/json: e-07 -> e-7 */
		if (!rc && out->len - n0 >= 4 && out->ptr[out->len - 4] == 'e' &&
		    out->ptr[out->len - 3] == '-' && out->ptr[out->len - 2] == '0') {
			out->ptr[out->len - 2] = out->ptr[out->len - 1];
			hr_buf_truncate(out, out->len - 1);
		}
		return rc;
	}
	return format_ef(out, f, 'f', 64);
}
