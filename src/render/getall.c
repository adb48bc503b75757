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
 * offset it was stored with (util/gotime.h).  Stored records never carry live resources,
 * so the RESOURCES block never appears.
 */
#include "render/values.h"
#include "render/yaml.h"
#include "util/gotime.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

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
	hr_gotime t;
	int rc;

	rc = hr_gotime_parse(&t, rfc3339, err);
	if (rc)
		return hr_error_prefix(err, rc, "get all: ");
	rc = hr_buf_puts(out, label);
	rc = rc ? rc : hr_gotime_format(out, &t, HR_GOTIME_ANSIC);
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
		hr_gotime started;

		for (k = has_test_event(h); !rc && k > 0; k--) {
			rc = hr_gotime_parse(&started, str(run, "started_at"), err);
			if (rc)
				return hr_error_prefix(err, rc, "get all: hook %s: ", str(h, "name"));
			if (hr_gotime_is_zero(&started))
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
	hr_gotime t;
	int rc;

	rc = hr_buf_printf(out, "NAME: %s\n", str(rel, "name"));
	if (!rc && hr_gotime_parse(&t, last, err))
		return hr_error_prefix(err, HR_EFORMAT, "get all: last_deployed: ");
	if (!rc && !hr_gotime_is_zero(&t))
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
