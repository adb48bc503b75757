/*
 * yaml11.c — go-yaml v2.4's resolve.go in C: the hint table on the first
 * character, the map of YAML 1.1 words, Go's number syntax through
 * util/gostrconv, and parseTimestamp with the layouts
 * "2006-1-2T15:4:5.999999999Z07:00", the same with 't',
 * "2006-1-2 15:4:5.999999999" and "2006-1-2" (Go's time.Parse rules for
 * one- or two-digit fields, fractions, and day-of-month checks).
 */
#include "util/yaml11.h"
#include "util/error.h"
#include "util/gostrconv.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int is_dig(char c)
{
	return c >= '0' && c <= '9';
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
	if (i < n && (s[i] | 0x20) == 'e') {
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
int hr_yaml11_is_base60_float(const char *s, size_t n)
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

int hr_yaml11_is_timestamp(const char *s, size_t n)
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

static const struct {
	const char *word;
	hr_yaml11_kind kind;
	int b;          /* BOOL: the value; FLOAT: 0 NaN, 1 +Inf, -1 -Inf */
} words[] = {
	{ "y", HR_YAML11_BOOL, 1 }, { "Y", HR_YAML11_BOOL, 1 }, { "yes", HR_YAML11_BOOL, 1 },
	{ "Yes", HR_YAML11_BOOL, 1 }, { "YES", HR_YAML11_BOOL, 1 }, { "true", HR_YAML11_BOOL, 1 },
	{ "True", HR_YAML11_BOOL, 1 }, { "TRUE", HR_YAML11_BOOL, 1 }, { "on", HR_YAML11_BOOL, 1 },
	{ "On", HR_YAML11_BOOL, 1 }, { "ON", HR_YAML11_BOOL, 1 },
	{ "n", HR_YAML11_BOOL, 0 }, { "N", HR_YAML11_BOOL, 0 }, { "no", HR_YAML11_BOOL, 0 },
	{ "No", HR_YAML11_BOOL, 0 }, { "NO", HR_YAML11_BOOL, 0 }, { "false", HR_YAML11_BOOL, 0 },
	{ "False", HR_YAML11_BOOL, 0 }, { "FALSE", HR_YAML11_BOOL, 0 }, { "off", HR_YAML11_BOOL, 0 },
	{ "Off", HR_YAML11_BOOL, 0 }, { "OFF", HR_YAML11_BOOL, 0 },
	{ "~", HR_YAML11_NULL, 0 }, { "null", HR_YAML11_NULL, 0 }, { "Null", HR_YAML11_NULL, 0 },
	{ "NULL", HR_YAML11_NULL, 0 },
	{ ".nan", HR_YAML11_FLOAT, 0 }, { ".NaN", HR_YAML11_FLOAT, 0 }, { ".NAN", HR_YAML11_FLOAT, 0 },
	{ ".inf", HR_YAML11_FLOAT, 1 }, { ".Inf", HR_YAML11_FLOAT, 1 }, { ".INF", HR_YAML11_FLOAT, 1 },
	{ "+.inf", HR_YAML11_FLOAT, 1 }, { "+.Inf", HR_YAML11_FLOAT, 1 }, { "+.INF", HR_YAML11_FLOAT, 1 },
	{ "-.inf", HR_YAML11_FLOAT, -1 }, { "-.Inf", HR_YAML11_FLOAT, -1 }, { "-.INF", HR_YAML11_FLOAT, -1 },
};

/* Go's int/uint/float readings of the text without its underscores. */
static void resolve_number(const char *t, size_t k, hr_yaml11_value *out)
{
	if (!hr_go_parse_int(t, k, 0, &out->i)) {
		out->kind = HR_YAML11_INT;
	} else if (!hr_go_parse_uint(t, k, 0, &out->u)) {
		out->kind = HR_YAML11_UINT;
	} else if (yaml_style_float(t, k) && !hr_go_parse_float(t, k, &out->f)) {
		out->kind = HR_YAML11_FLOAT;
	}
	/* resolve's 0b / -0b retries are already covered by base-0 ParseInt */
}

int hr_yaml11_resolve(const char *s, size_t n, hr_yaml11_value *out)
{
	char small[64], *t;
	size_t i, k;
	char c;

	memset(out, 0, sizeof(*out));
	out->kind = HR_YAML11_STR;
	if (!n) {
		out->kind = HR_YAML11_NULL;
		return 0;
	}
	c = s[0];
	if (!(c == '+' || c == '-' || is_dig(c) || c == '.' || strchr("yYnNtTfFoO~", c)) || memchr(s, '\0', n))
		return 0;
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		if (strlen(words[i].word) != n || memcmp(words[i].word, s, n))
			continue;
		out->kind = words[i].kind;
		if (out->kind == HR_YAML11_BOOL)
			out->b = words[i].b;
		else if (out->kind == HR_YAML11_FLOAT)
			out->f = words[i].b ? words[i].b * (double)INFINITY : (double)NAN;
		return 0;
	}
	if (c == '.') {
		if (!hr_go_parse_float(s, n, &out->f))
			out->kind = HR_YAML11_FLOAT;
		return 0;
	}
	if (!(c == '+' || c == '-' || is_dig(c)))
		return 0;
	if (hr_yaml11_is_timestamp(s, n)) {
		out->kind = HR_YAML11_TIMESTAMP;
		return 0;
	}
	t = n < sizeof(small) ? small : malloc(n);
	if (!t)
		return HR_ENOMEM;
	for (i = k = 0; i < n; i++)
		if (s[i] != '_')
			t[k++] = s[i];
	resolve_number(t, k, out);
	if (t != small)
		free(t);
	return 0;
}
