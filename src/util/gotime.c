/*
 * gotime.c — parse RFC 3339 times and format them with Go layouts, so that
 * the dates Helm prints (history, list, status, get metadata) come out
 * byte-identical.  Calendar arithmetic is proleptic Gregorian on a 64-bit
 * day count, like Go's; the local zone is asked from the C library
 * (localtime_r), which reads $TZ the way Go's time.Local does.
 */
#include "util/gotime.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#define SECS_PER_DAY 86400
/* Unix time of 0001-01-01T00:00:00Z, Go's zero time. */
#define ZERO_UNIX (-62135596800LL)

static const char *const short_months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
	"Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
static const char *const long_months[] = { "January", "February", "March", "April", "May",
	"June", "July", "August", "September", "October", "November", "December" };
static const char *const short_days[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
static const char *const long_days[] = { "Sunday", "Monday", "Tuesday", "Wednesday",
	"Thursday", "Friday", "Saturday" };

/* Days since 1970-01-01 of a proleptic Gregorian date (month 1..12). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	if (m <= 2)
		y -= 1;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static int is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in(int m, int64_t y)
{
	static const int dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	return m == 2 && is_leap(y) ? 29 : dm[m - 1];
}

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

void hr_gotime_zero(hr_gotime *t)
{
	memset(t, 0, sizeof(*t));
	t->unix = ZERO_UNIX;
	t->zone = HR_GOTIME_UTC;
	memcpy(t->name, "UTC", 4);
}

void hr_gotime_now_utc(hr_gotime *t)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	memset(t, 0, sizeof(*t));
	t->unix = (int64_t)ts.tv_sec;
	t->nsec = (int32_t)ts.tv_nsec;
	t->zone = HR_GOTIME_UTC;
	memcpy(t->name, "UTC", 4);
}

int hr_gotime_is_zero(const hr_gotime *t)
{
	return t->unix == ZERO_UNIX && t->nsec == 0;
}

static int digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

/* Go's time.Local at instant `unix`: offset and abbreviation. */
static void local_zone(int64_t unix, int32_t *offset, char *name, size_t name_size)
{
	time_t tt = (time_t)unix;
	struct tm tm;

	tzset();
	*offset = 0;
	snprintf(name, name_size, "UTC");
	if (!localtime_r(&tt, &tm))
		return;
	*offset = (int32_t)tm.tm_gmtoff;
	snprintf(name, name_size, "%s", tm.tm_zone ? tm.tm_zone : "");
}

int hr_gotime_parse(hr_gotime *out, const char *s, hr_error *err)
{
	int year, month, day, hour, min, sec, nsec = 0;
	int32_t off = 0, loff;
	const char *p;
	int sign = 0;
	char lname[16];

	hr_gotime_zero(out);
	if (!s || !*s)
		return 0;
	if (strlen(s) < 20 || digits(s, 4, &year) || s[4] != '-' || digits(s + 5, 2, &month) ||
	    s[7] != '-' || digits(s + 8, 2, &day) || s[10] != 'T' || digits(s + 11, 2, &hour) ||
	    s[13] != ':' || digits(s + 14, 2, &min) || s[16] != ':' || digits(s + 17, 2, &sec))
		goto bad;
	if (month < 1 || month > 12 || day < 1 || day > days_in(month, year) || hour > 23 ||
	    min > 59 || sec > 59)
		goto bad;
	p = s + 19;
	if (*p == '.' || *p == ',') {
		int n = 0;
		p++;
		while (*p >= '0' && *p <= '9') {
			if (n < 9)
				nsec = nsec * 10 + (*p - '0');
			n++;
			p++;
		}
		if (n == 0)
			goto bad;
		for (; n < 9; n++)
			nsec *= 10;
	}
	if (p[0] == 'Z' && p[1] == 0) {
		sign = 0;
	} else if ((p[0] == '+' || p[0] == '-') && strlen(p) == 6 && p[3] == ':') {
		int oh, om;
		if (digits(p + 1, 2, &oh) || digits(p + 4, 2, &om) || oh > 23 || om > 59)
			goto bad;
		sign = p[0] == '-' ? -1 : 1;
		off = sign * (oh * 3600 + om * 60);
	} else {
		goto bad;
	}
	out->unix = days_from_civil(year, month, day) * SECS_PER_DAY + hour * 3600 + min * 60 + sec - off;
	out->nsec = nsec;
	out->offset = off;
	if (!sign)
		return 0; /* "Z": UTC, already set */
	local_zone(out->unix, &loff, lname, sizeof(lname));
	if (loff == off) {
		out->zone = HR_GOTIME_LOCAL;
		memcpy(out->name, lname, sizeof(out->name));
	} else {
		out->zone = HR_GOTIME_FIXED;
		out->name[0] = 0;
	}
	return 0;
bad:
	hr_gotime_zero(out);
	return hr_error_set(err, HR_EFORMAT, "bad RFC 3339 time \"%.64s\"", s);
}

/* Go's appendInt: optional '-', then |x| zero-padded to `width` digits. */
static int put_int(hr_buf *b, int64_t x, int width)
{
	char tmp[24];
	int n = 0, rc;
	uint64_t u = x < 0 ? (uint64_t)(-(x + 1)) + 1 : (uint64_t)x;

	if (x < 0 && (rc = hr_buf_putc(b, '-')))
		return rc;
	do {
		tmp[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	while (n < width)
		tmp[n++] = '0';
	while (n > 0)
		if ((rc = hr_buf_putc(b, tmp[--n])))
			return rc;
	return 0;
}

/* Broken-down wall clock of a time in its own zone. */
struct wall {
	int64_t year;
	int month, day, hour, min, sec, wday, yday;
};

static void to_wall(const hr_gotime *t, struct wall *w)
{
	int64_t s = t->unix + t->offset;
	int64_t days = floor_div(s, SECS_PER_DAY);
	int64_t rem = s - days * SECS_PER_DAY;

	civil_from_days(days, &w->year, &w->month, &w->day);
	w->hour = (int)(rem / 3600);
	w->min = (int)(rem / 60 % 60);
	w->sec = (int)(rem % 60);
	/* 1970-01-01 was a Thursday (weekday 4, Sunday = 0) */
	w->wday = (int)(days + 4 - 7 * floor_div(days + 4, 7));
	w->yday = (int)(days - days_from_civil(w->year, 1, 1)) + 1;
}

enum std {
	STD_NONE, STD_MONTH, STD_LONG_MONTH, STD_NUM_MONTH, STD_ZERO_MONTH,
	STD_WEEKDAY, STD_LONG_WEEKDAY, STD_DAY, STD_UNDER_DAY, STD_ZERO_DAY,
	STD_UNDER_YDAY, STD_ZERO_YDAY, STD_HOUR, STD_HOUR12, STD_ZERO_HOUR12,
	STD_MINUTE, STD_ZERO_MINUTE, STD_SECOND, STD_ZERO_SECOND,
	STD_LONG_YEAR, STD_YEAR, STD_PM, STD_pm, STD_TZ,
	STD_ISO_TZ, STD_ISO_COLON_TZ, STD_ISO_SHORT_TZ, STD_ISO_SECS_TZ, STD_ISO_COLON_SECS_TZ,
	STD_NUM_TZ, STD_NUM_COLON_TZ, STD_NUM_SHORT_TZ, STD_NUM_SECS_TZ, STD_NUM_COLON_SECS_TZ,
	STD_FRAC0, STD_FRAC9
};

struct chunk {
	size_t prefix;   /* literal bytes before the element */
	enum std std;    /* STD_NONE: no element, the rest is literal */
	size_t len;      /* bytes of the element in the layout */
	int ndig;        /* fraction digits */
	char sep;        /* fraction separator */
};

static int starts(const char *s, const char *p)
{
	return strncmp(s, p, strlen(p)) == 0;
}

/* Find the next layout element, as Go's nextStdChunk does. */
static void next_chunk(const char *l, struct chunk *c)
{
	static const struct { const char *text; enum std std; } tz[] = {
		{ "Z07:00:00", STD_ISO_COLON_SECS_TZ }, { "Z070000", STD_ISO_SECS_TZ },
		{ "Z07:00", STD_ISO_COLON_TZ }, { "Z0700", STD_ISO_TZ }, { "Z07", STD_ISO_SHORT_TZ },
		{ "-07:00:00", STD_NUM_COLON_SECS_TZ }, { "-070000", STD_NUM_SECS_TZ },
		{ "-07:00", STD_NUM_COLON_TZ }, { "-0700", STD_NUM_TZ }, { "-07", STD_NUM_SHORT_TZ },
	};
	static const enum std zero_x[] = { STD_ZERO_MONTH, STD_ZERO_DAY, STD_ZERO_HOUR12,
		STD_ZERO_MINUTE, STD_ZERO_SECOND, STD_YEAR };

	for (size_t i = 0; l[i]; i++) {
		const char *s = l + i;
		c->prefix = i;
		c->ndig = 0;
		switch (s[0]) {
		case 'J':
			if (starts(s, "January")) { c->std = STD_LONG_MONTH; c->len = 7; return; }
			if (starts(s, "Jan")) { c->std = STD_MONTH; c->len = 3; return; }
			break;
		case 'M':
			if (starts(s, "Monday")) { c->std = STD_LONG_WEEKDAY; c->len = 6; return; }
			if (starts(s, "Mon")) { c->std = STD_WEEKDAY; c->len = 3; return; }
			if (starts(s, "MST")) { c->std = STD_TZ; c->len = 3; return; }
			break;
		case '0':
			if (s[1] >= '1' && s[1] <= '6') { c->std = zero_x[s[1] - '1']; c->len = 2; return; }
			if (s[1] == '0' && s[2] == '2') { c->std = STD_ZERO_YDAY; c->len = 3; return; }
			break;
		case '1':
			if (s[1] == '5') { c->std = STD_HOUR; c->len = 2; return; }
			c->std = STD_NUM_MONTH; c->len = 1;
			return;
		case '2':
			if (starts(s, "2006")) { c->std = STD_LONG_YEAR; c->len = 4; return; }
			c->std = STD_DAY; c->len = 1;
			return;
		case '_':
			if (s[1] == '2') {
				if (starts(s + 1, "2006")) {
					c->prefix = i + 1; c->std = STD_LONG_YEAR; c->len = 4;
					return;
				}
				c->std = STD_UNDER_DAY; c->len = 2;
				return;
			}
			if (s[1] == '_' && s[2] == '2') { c->std = STD_UNDER_YDAY; c->len = 3; return; }
			break;
		case '3': c->std = STD_HOUR12; c->len = 1; return;
		case '4': c->std = STD_MINUTE; c->len = 1; return;
		case '5': c->std = STD_SECOND; c->len = 1; return;
		case 'P':
			if (s[1] == 'M') { c->std = STD_PM; c->len = 2; return; }
			break;
		case 'p':
			if (s[1] == 'm') { c->std = STD_pm; c->len = 2; return; }
			break;
		case '-':
		case 'Z':
			for (size_t k = 0; k < sizeof(tz) / sizeof(tz[0]); k++) {
				if (starts(s, tz[k].text)) {
					c->std = tz[k].std;
					c->len = strlen(tz[k].text);
					return;
				}
			}
			break;
		case '.':
		case ',':
			if (s[1] == '0' || s[1] == '9') {
				size_t j = 1;
				while (s[j] == s[1])
					j++;
				if (!(s[j] >= '0' && s[j] <= '9')) {
					c->std = s[1] == '0' ? STD_FRAC0 : STD_FRAC9;
					c->len = j;
					c->ndig = (int)(j - 1);
					c->sep = s[0];
					return;
				}
			}
			break;
		}
	}
	c->prefix = strlen(l);
	c->std = STD_NONE;
	c->len = 0;
}

static int put_zone(hr_buf *b, const hr_gotime *t, enum std std)
{
	int32_t zone = t->offset / 60, abs_off = t->offset;
	int rc, colon, secs, shrt;

	if (std >= STD_ISO_TZ && std <= STD_ISO_COLON_SECS_TZ && t->offset == 0)
		return hr_buf_putc(b, 'Z');
	colon = std == STD_ISO_COLON_TZ || std == STD_NUM_COLON_TZ ||
		std == STD_ISO_COLON_SECS_TZ || std == STD_NUM_COLON_SECS_TZ;
	secs = std == STD_ISO_SECS_TZ || std == STD_NUM_SECS_TZ ||
	       std == STD_ISO_COLON_SECS_TZ || std == STD_NUM_COLON_SECS_TZ;
	shrt = std == STD_ISO_SHORT_TZ || std == STD_NUM_SHORT_TZ;
	if (zone < 0) {
		zone = -zone;
		abs_off = -abs_off;
	}
	if ((rc = hr_buf_putc(b, t->offset / 60 < 0 ? '-' : '+')) || (rc = put_int(b, zone / 60, 2)))
		return rc;
	if (colon && (rc = hr_buf_putc(b, ':')))
		return rc;
	if (!shrt && (rc = put_int(b, zone % 60, 2)))
		return rc;
	if (secs) {
		if (colon && (rc = hr_buf_putc(b, ':')))
			return rc;
		if ((rc = put_int(b, abs_off % 60, 2)))
			return rc;
	}
	return 0;
}

static int put_frac(hr_buf *b, const hr_gotime *t, const struct chunk *c)
{
	char dig[10];
	int n = c->ndig > 9 ? 9 : c->ndig, rc;

	snprintf(dig, sizeof(dig), "%09d", (int)t->nsec);
	if (c->std == STD_FRAC9) {
		while (n > 0 && dig[n - 1] == '0')
			n--;
		if (n == 0)
			return 0;
	}
	if ((rc = hr_buf_putc(b, c->sep)))
		return rc;
	return hr_buf_put(b, dig, (size_t)n);
}

int hr_gotime_format(hr_buf *b, const hr_gotime *t, const char *layout)
{
	struct wall w;
	struct chunk c = { 0, STD_NONE, 0, 0, 0 };
	int rc = 0;

	to_wall(t, &w);
	while (*layout) {
		int hr12;

		next_chunk(layout, &c);
		if (c.prefix && (rc = hr_buf_put(b, layout, c.prefix)))
			return rc;
		if (c.std == STD_NONE)
			break;
		layout += c.prefix + c.len;
		hr12 = w.hour % 12 == 0 ? 12 : w.hour % 12;
		switch (c.std) {
		case STD_YEAR: rc = put_int(b, w.year % 100, 2); break;
		case STD_LONG_YEAR: rc = put_int(b, w.year, 4); break;
		case STD_MONTH: rc = hr_buf_puts(b, short_months[w.month - 1]); break;
		case STD_LONG_MONTH: rc = hr_buf_puts(b, long_months[w.month - 1]); break;
		case STD_NUM_MONTH: rc = put_int(b, w.month, 0); break;
		case STD_ZERO_MONTH: rc = put_int(b, w.month, 2); break;
		case STD_WEEKDAY: rc = hr_buf_puts(b, short_days[w.wday]); break;
		case STD_LONG_WEEKDAY: rc = hr_buf_puts(b, long_days[w.wday]); break;
		case STD_DAY: rc = put_int(b, w.day, 0); break;
		case STD_UNDER_DAY:
			if (w.day < 10 && (rc = hr_buf_putc(b, ' ')))
				return rc;
			rc = put_int(b, w.day, 0);
			break;
		case STD_ZERO_DAY: rc = put_int(b, w.day, 2); break;
		case STD_UNDER_YDAY:
			if (w.yday < 100 && (rc = hr_buf_putc(b, ' ')))
				return rc;
			if (w.yday < 10 && (rc = hr_buf_putc(b, ' ')))
				return rc;
			rc = put_int(b, w.yday, 0);
			break;
		case STD_ZERO_YDAY: rc = put_int(b, w.yday, 3); break;
		case STD_HOUR: rc = put_int(b, w.hour, 2); break;
		case STD_HOUR12: rc = put_int(b, hr12, 0); break;
		case STD_ZERO_HOUR12: rc = put_int(b, hr12, 2); break;
		case STD_MINUTE: rc = put_int(b, w.min, 0); break;
		case STD_ZERO_MINUTE: rc = put_int(b, w.min, 2); break;
		case STD_SECOND: rc = put_int(b, w.sec, 0); break;
		case STD_ZERO_SECOND: rc = put_int(b, w.sec, 2); break;
		case STD_PM: rc = hr_buf_puts(b, w.hour >= 12 ? "PM" : "AM"); break;
		case STD_pm: rc = hr_buf_puts(b, w.hour >= 12 ? "pm" : "am"); break;
		case STD_TZ:
			if (t->name[0])
				rc = hr_buf_puts(b, t->name);
			else
				rc = put_zone(b, t, STD_NUM_TZ);
			break;
		case STD_FRAC0:
		case STD_FRAC9: rc = put_frac(b, t, &c); break;
		default: rc = put_zone(b, t, c.std); break;
		}
		if (rc)
			return rc;
	}
	return 0;
}

int hr_gotime_json(hr_buf *out, const hr_gotime *t, hr_error *err)
{
	struct wall w;

	to_wall(t, &w);
	if (w.year < 0 || w.year > 9999)
		return hr_error_set(err, HR_EINVAL,
				    "Time.MarshalJSON: year outside of range [0,9999]");
	return hr_gotime_format(out, t, HR_GOTIME_RFC3339NANO);
}
