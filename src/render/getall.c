/*
 * getall.c — `helm get all RELEASE` (without --template) for a decoded
 * release record.
 *
 * Helm prints it with its status printer in debug + metadata mode
 * (pkg/cmd/status.go in helm 4.1, cmd/helm/status.go in helm 3.17): a
 * header of NAME / LAST DEPLOYED / NAMESPACE / STATUS / REVISION / CHART /
 * VERSION / APP_VERSION (+ DESCRIPTION on helm 4), the TEST SUITE lines,
 * both values blocks as YAML, every hook, the manifest and the notes.
 * Times are Go's time.ANSIC layout of the stored RFC 3339 text, in the
 * offset it was stored with.  Stored records never carry live resources,
 * so the RESOURCES block never appears.
 */
#include "render/values.h"
#include "render/yaml.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* ---- time ----------------------------------------------------------------- */

typedef struct gtime {
	long year;
	int mon, day, hour, min, sec;
	long nsec;
	int offset; /* seconds east of UTC */
} gtime;

static int two(const char *s, int *v)
{
	if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
		return -1;
	*v = (s[0] - '0') * 10 + (s[1] - '0');
	return 0;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static long days_from_civil(long y, int m, int d)
{
	long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/*
 * Parse Go's RFC 3339 text (time.Time.UnmarshalJSON): YYYY-MM-DDTHH:MM:SS,
 * optional fraction, Z or ±HH:MM.  "" and a missing value are the zero
 * time (helm 3 writes "" for it).  Returns 0 or -1.
 */
static int gtime_parse(gtime *t, const char *s)
{
	size_t n = s ? strlen(s) : 0, i;

	memset(t, 0, sizeof(*t));
	t->year = 1;
	t->mon = t->day = 1;
	if (!n)
		return 0;
	if (n < 20 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't') ||
	    s[13] != ':' || s[16] != ':')
		return -1;
	for (i = 0; i < 4; i++)
		if (s[i] < '0' || s[i] > '9')
			return -1;
	t->year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	if (two(s + 5, &t->mon) || two(s + 8, &t->day) || two(s + 11, &t->hour) ||
	    two(s + 14, &t->min) || two(s + 17, &t->sec))
		return -1;
	if (t->mon < 1 || t->mon > 12 || t->day < 1 || t->day > 31 || t->hour > 23 ||
	    t->min > 59 || t->sec > 59)
		return -1;
	i = 19;
	if (s[i] == '.' || s[i] == ',') {
		long scale = 100000000;

		for (i++; s[i] >= '0' && s[i] <= '9'; i++) {
			t->nsec += (s[i] - '0') * scale;
			scale /= 10;
		}
	}
	if (s[i] == 'Z' && !s[i + 1])
		return 0;
	if ((s[i] == '+' || s[i] == '-') && strlen(s + i) == 6 && s[i + 3] == ':') {
		int h, m;

		if (two(s + i + 1, &h) || two(s + i + 4, &m) || h > 23 || m > 59)
			return -1;
		t->offset = (h * 60 + m) * 60 * (s[i] == '-' ? -1 : 1);
		return 0;
	}
	return -1;
}

/* time.Time.IsZero: the instant is 0001-01-01T00:00:00Z. */
static int gtime_is_zero(const gtime *t)
{
	long long secs = (long long)days_from_civil(t->year, t->mon, t->day) * 86400 +
			 t->hour * 3600 + t->min * 60 + t->sec - t->offset;

	return t->nsec == 0 && secs == (long long)days_from_civil(1, 1, 1) * 86400;
}

/* time.ANSIC: "Mon Jan _2 15:04:05 2006". */
static int gtime_ansic(hr_buf *out, const gtime *t)
{
	static const char *const wd[] = { "Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed" };
	static const char *const mo[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	long d = days_from_civil(t->year, t->mon, t->day) % 7;

	if (d < 0)
		d += 7;
	return hr_buf_printf(out, "%s %s %2d %02d:%02d:%02d %04ld", wd[d], mo[t->mon - 1],
			     t->day, t->hour, t->min, t->sec, t->year);
}

/* ---- release fields --------------------------------------------------------- */

static struct json_object *field(struct json_object *o, const char *key)
{
	struct json_object *v = NULL;

	if (json_object_is_type(o, json_type_object))
		json_object_object_get_ex(o, key, &v);
	return v;
}

static const char *str(struct json_object *o, const char *key)
{
	struct json_object *v = field(o, key);

	return json_object_is_type(v, json_type_string) ? json_object_get_string(v) : "";
}

/* Append a string field whole (it may hold NUL bytes); missing -> "". */
static int put_field(hr_buf *out, struct json_object *o, const char *key)
{
	struct json_object *v = field(o, key);

	if (!json_object_is_type(v, json_type_string))
		return 0;
	return hr_buf_put(out, json_object_get_string(v), (size_t)json_object_get_string_len(v));
}

/* Go's unicode.IsSpace for strings.TrimSpace. */
static size_t space_len(const unsigned char *s, size_t n)
{
	if (!n)
		return 0;
	if (s[0] == ' ' || (s[0] >= '\t' && s[0] <= '\r'))
		return 1;
	if (n >= 2 && s[0] == 0xC2 && (s[1] == 0x85 || s[1] == 0xA0))
		return 2;
	if (n >= 3 && s[0] == 0xE1 && s[1] == 0x9A && s[2] == 0x80)
		return 3; /* U+1680 */
	if (n >= 3 && s[0] == 0xE2 && s[1] == 0x80 &&
	    ((s[2] >= 0x80 && s[2] <= 0x8A) || s[2] == 0xA8 || s[2] == 0xA9 || s[2] == 0xAF))
		return 3; /* U+2000..U+200A, U+2028, U+2029, U+202F */
	if (n >= 3 && s[0] == 0xE2 && s[1] == 0x81 && s[2] == 0x9F)
		return 3; /* U+205F */
	if (n >= 3 && s[0] == 0xE3 && s[1] == 0x80 && s[2] == 0x80)
		return 3; /* U+3000 */
	return 0;
}

static int put_trimmed(hr_buf *out, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t b = 0, e = n, w, k;

	while (b < e && (w = space_len(p + b, e - b)))
		b += w;
	/* trailing: step back over whole characters */
	while (e > b) {
		for (k = e - 1; k > b && (p[k] & 0xC0) == 0x80; k--)
			;
		if (space_len(p + k, e - k) != e - k)
			break;
		e = k;
	}
	return hr_buf_put(out, s + b, e - b);
}

static int put_time_line(hr_buf *out, const char *label, const char *rfc3339, hr_error *err)
{
	gtime t;
	int rc;

	if (gtime_parse(&t, rfc3339))
		return hr_error_set(err, HR_EFORMAT, "get all: bad time \"%s\"", rfc3339);
	rc = hr_buf_puts(out, label);
	rc = rc ? rc : gtime_ansic(out, &t);
	return rc ? rc : hr_buf_putc(out, '\n');
}

static int has_test_event(struct json_object *hook)
{
	struct json_object *ev = field(hook, "events");
	size_t i;
	int count = 0;

	for (i = 0; json_object_is_type(ev, json_type_array) && i < json_object_array_length(ev); i++) {
		struct json_object *e = json_object_array_get_idx(ev, i);

		if (json_object_is_type(e, json_type_string) && !strcmp(json_object_get_string(e), "test"))
			count++;
	}
	return count;
}

static int test_suite(hr_buf *out, struct json_object *hooks, hr_error *err)
{
	size_t i, n = json_object_is_type(hooks, json_type_array) ? json_object_array_length(hooks) : 0;
	int rc = 0, tests = 0, k;

	for (i = 0; i < n; i++)
		tests += has_test_event(json_object_array_get_idx(hooks, i));
	if (!tests)
		return hr_buf_puts(out, "TEST SUITE: None\n");
	for (i = 0; !rc && i < n; i++) {
		struct json_object *h = json_object_array_get_idx(hooks, i);
		struct json_object *run = field(h, "last_run");
		gtime started;

		for (k = has_test_event(h); !rc && k > 0; k--) {
			if (gtime_parse(&started, str(run, "started_at")))
				return hr_error_set(err, HR_EFORMAT, "get all: hook %s: bad started_at",
						    str(h, "name"));
			if (gtime_is_zero(&started))
				continue;
			rc = hr_buf_printf(out, "TEST SUITE:     %s\n", str(h, "name"));
			rc = rc ? rc : put_time_line(out, "Last Started:   ", str(run, "started_at"), err);
			rc = rc ? rc : put_time_line(out, "Last Completed: ", str(run, "completed_at"), err);
			rc = rc ? rc : hr_buf_printf(out, "Phase:          %s\n", str(run, "phase"));
		}
	}
	return rc;
}

static int header(hr_buf *out, struct json_object *rel, int helm_major, hr_error *err)
{
	struct json_object *info = field(rel, "info");
	struct json_object *md = field(field(rel, "chart"), "metadata");
	const char *last = str(info, "last_deployed");
	gtime t;
	int rc;

	rc = hr_buf_printf(out, "NAME: %s\n", str(rel, "name"));
	if (!rc && gtime_parse(&t, last))
		return hr_error_set(err, HR_EFORMAT, "get all: bad last_deployed \"%s\"", last);
	if (!rc && !gtime_is_zero(&t))
		rc = put_time_line(out, "LAST DEPLOYED: ", last, err);
	rc = rc ? rc : hr_buf_printf(out, "NAMESPACE: %s\nSTATUS: %s\nREVISION: %lld\n",
				      str(rel, "namespace"), str(info, "status"),
				      (long long)json_object_get_int64(field(rel, "version")));
	rc = rc ? rc : hr_buf_printf(out, "CHART: %s\nVERSION: %s\nAPP_VERSION: %s\n",
				      str(md, "name"), str(md, "version"), str(md, "appVersion"));
	if (!rc && helm_major >= 4)
		rc = hr_buf_printf(out, "DESCRIPTION: %s\n", str(info, "description"));
	return rc;
}

int hr_render_get_all(hr_buf *out, struct json_object *release, int helm_major, hr_error *err)
{
	struct json_object *hooks = field(release, "hooks");
	struct json_object *notes = field(field(release, "info"), "notes");
	size_t n0 = out->len, i, n;
	int rc;

	if (!json_object_is_type(release, json_type_object))
		return hr_error_set(err, HR_EINVAL, "get all: release is not a JSON object");
	rc = header(out, release, helm_major, err);
	rc = rc ? rc : test_suite(out, hooks, err);
	rc = rc ? rc : hr_render_get_values(out, release, 0, "table", helm_major, err);
	rc = rc ? rc : hr_buf_putc(out, '\n');
	rc = rc ? rc : hr_render_get_values(out, release, 1, "table", helm_major, err);
	rc = rc ? rc : hr_buf_puts(out, "\nHOOKS:\n");
	n = json_object_is_type(hooks, json_type_array) ? json_object_array_length(hooks) : 0;
	for (i = 0; !rc && i < n; i++) {
		struct json_object *h = json_object_array_get_idx(hooks, i);

		rc = hr_buf_puts(out, "---\n# Source: ");
		rc = rc ? rc : put_field(out, h, "path");
		rc = rc ? rc : hr_buf_putc(out, '\n');
		rc = rc ? rc : put_field(out, h, "manifest");
		rc = rc ? rc : hr_buf_putc(out, '\n');
	}
	rc = rc ? rc : hr_buf_puts(out, "MANIFEST:\n");
	rc = rc ? rc : put_field(out, release, "manifest");
	rc = rc ? rc : hr_buf_putc(out, '\n');
	if (!rc && notes && json_object_get_string_len(notes) > 0) {
		rc = hr_buf_puts(out, "NOTES:\n");
		rc = rc ? rc : put_trimmed(out, json_object_get_string(notes),
					   (size_t)json_object_get_string_len(notes));
		rc = rc ? rc : hr_buf_putc(out, '\n');
	}
	if (rc) {
		if (rc == HR_ENOMEM)
			hr_error_set(err, rc, "get all: out of memory");
		if (out->ptr)
			hr_buf_truncate(out, n0);
	}
	return rc;
}
