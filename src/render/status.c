/*
 * status.c — `helm status` without a cluster: the table form of helm's
 * statusPrinter (no RESOURCES, which need live objects) and the json/yaml
 * form, which is the release without its chart as helm re-encodes it.
 * Follows helm v4.1.4 pkg/cmd/status.go and v3.17.1 cmd/helm/status.go;
 * the JSON shapes follow pkg/release(/v1) info.go and hook.go.
 */
#include "render/helm.h"

#include <string.h>
#include <strings.h>
#include "util/gotime.h"


static int nomem(hr_error *err)
{
	return hr_error_set(err, HR_ENOMEM, "out of memory");
}

/* Length of a Unicode white space (Go's unicode.IsSpace) at s, 0 if none. */
static size_t space_len(const unsigned char *s, size_t len)
{
	static const unsigned long wide[] = { 0x85, 0xA0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003,
		0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200A, 0x2028, 0x2029, 0x202F,
		0x205F, 0x3000 };
	unsigned long cp;
	size_t n;

	if (s[0] == ' ' || (s[0] >= '\t' && s[0] <= '\r'))
		return 1;
	if (s[0] >= 0xC2 && s[0] <= 0xDF && len >= 2 && (s[1] & 0xC0) == 0x80) {
		cp = ((unsigned long)(s[0] & 0x1F) << 6) | (s[1] & 0x3F);
		n = 2;
	} else if ((s[0] & 0xF0) == 0xE0 && len >= 3 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80) {
		cp = ((unsigned long)(s[0] & 0x0F) << 12) | ((unsigned long)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
		n = 3;
	} else {
		return 0;
	}
	for (size_t i = 0; i < sizeof(wide) / sizeof(wide[0]); i++)
		if (cp == wide[i])
			return n;
	return 0;
}

/* strings.TrimSpace: returns the start and sets *len. */
static const char *trim_space(const char *s, size_t *len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), k;

	while (n && (k = space_len(p, n))) {
		p += k;
		n -= k;
	}
	for (;;) {
		size_t cut = 0;
		/* find a trailing space sequence: try 1, 2 and 3 byte forms */
		for (k = 1; k <= 3 && k <= n; k++)
			if (space_len(p + n - k, k) == k) {
				cut = k;
				break;
			}
		if (!cut)
			break;
		n -= cut;
	}
	*len = n;
	return (const char *)p;
}

static int ansic(hr_buf *b, const char *rfc, hr_error *err)
{
	hr_gotime t;
	int rc;

	if ((rc = hr_gotime_parse(&t, rfc, err)))
		return rc;
	return hr_gotime_format(b, &t, HR_GOTIME_ANSIC) ? nomem(err) : 0;
}

static int has_event(struct json_object *hook, const char *ev, size_t *count)
{
	struct json_object *evs = hr_render__member(hook, "events", json_type_array);

	*count = 0;
	for (size_t i = 0; evs && i < json_object_array_length(evs); i++) {
		struct json_object *e = json_object_array_get_idx(evs, i);
		if (json_object_is_type(e, json_type_string) && strcmp(json_object_get_string(e), ev) == 0)
			(*count)++;
	}
	return *count > 0;
}

static int test_suite(hr_buf *out, struct json_object *rel, hr_error *err)
{
	struct json_object *hooks = hr_render__member(rel, "hooks", json_type_array);
	size_t n = hooks ? json_object_array_length(hooks) : 0, tests = 0, c;
	int rc;

	for (size_t i = 0; i < n; i++)
		if (has_event(json_object_array_get_idx(hooks, i), "test", &c))
			tests += c;
	if (!tests)
		return hr_buf_puts(out, "TEST SUITE: None\n") ? nomem(err) : 0;
	for (size_t i = 0; i < n; i++) {
		struct json_object *h = json_object_array_get_idx(hooks, i);
		struct json_object *run = hr_render__member(h, "last_run", json_type_object);
		hr_gotime started;

		if (!has_event(h, "test", &c))
			continue;
		if ((rc = hr_gotime_parse(&started, hr_render__str(run, "started_at"), err)))
			return hr_error_prefix(err, rc, "hook %s: started_at", hr_render__str(h, "name"));
		if (hr_gotime_is_zero(&started))
			continue;
		while (c--) {
			if (hr_buf_printf(out, "TEST SUITE:     %s\nLast Started:   ", hr_render__str(h, "name")) ||
			    (rc = ansic(out, hr_render__str(run, "started_at"), err)) ||
			    hr_buf_puts(out, "\nLast Completed: ") ||
			    (rc = ansic(out, hr_render__str(run, "completed_at"), err)) ||
			    hr_buf_printf(out, "\nPhase:          %s\n", hr_render__str(run, "phase")))
				return rc ? hr_error_prefix(err, rc, "hook %s", hr_render__str(h, "name")) : nomem(err);
		}
	}
	return 0;
}

static int status_table(hr_buf *out, struct json_object *rel, int show_desc, hr_error *err)
{
	struct json_object *info = hr_render__member(rel, "info", json_type_object);
	struct json_object *ver = hr_render__member(rel, "version", json_type_int);
	struct json_object *hooks = hr_render__member(rel, "hooks", json_type_array);
	const char *notes = hr_render__str(info, "notes"), *trimmed;
	hr_gotime last;
	size_t tlen;
	int rc;

	if ((rc = hr_gotime_parse(&last, hr_render__str(info, "last_deployed"), err)))
		return hr_error_prefix(err, rc, "release %s: last_deployed", hr_render__str(rel, "name"));
	if (hr_buf_printf(out, "NAME: %s\n", hr_render__str(rel, "name")))
		return nomem(err);
	if (!hr_gotime_is_zero(&last) &&
	    (hr_buf_puts(out, "LAST DEPLOYED: ") || hr_gotime_format(out, &last, HR_GOTIME_ANSIC) ||
	     hr_buf_putc(out, '\n')))
		return nomem(err);
	if (hr_buf_printf(out, "NAMESPACE: %s\nSTATUS: %s\nREVISION: %lld\n", hr_render__str(rel, "namespace"),
			  hr_render__str(info, "status"), ver ? (long long)json_object_get_int64(ver) : 0LL))
		return nomem(err);
	if (show_desc && hr_buf_printf(out, "DESCRIPTION: %s\n", hr_render__str(info, "description")))
		return nomem(err);
	if ((rc = test_suite(out, rel, err)))
		return rc;
	if (strcasecmp(hr_render__str(info, "description"), "Dry run complete") == 0) {
		if (hr_buf_puts(out, "HOOKS:\n"))
			return nomem(err);
		for (size_t i = 0; hooks && i < json_object_array_length(hooks); i++) {
			struct json_object *h = json_object_array_get_idx(hooks, i);
			if (hr_buf_printf(out, "---\n# Source: %s\n%s\n", hr_render__str(h, "path"), hr_render__str(h, "manifest")))
				return nomem(err);
		}
		if (hr_buf_printf(out, "MANIFEST:\n%s\n", hr_render__str(rel, "manifest")))
			return nomem(err);
	}
	if (*notes) {
		trimmed = trim_space(notes, &tlen);
		if (hr_buf_puts(out, "NOTES:\n") || hr_buf_put(out, trimmed, tlen) || hr_buf_putc(out, '\n'))
			return nomem(err);
	}
	return 0;
}

/* ---- json/yaml: the release as helm re-encodes it ---- */

static int copy_key(struct json_object *dst, struct json_object *src, const char *key, int omit_empty)
{
	struct json_object *v;

	if (!json_object_object_get_ex(src, key, &v))
		return 0;
	if (omit_empty) {
		if (!v)
			return 0;
		if (json_object_is_type(v, json_type_string) && json_object_get_string_len(v) == 0)
			return 0;
		if (json_object_is_type(v, json_type_array) && json_object_array_length(v) == 0)
			return 0;
		if (json_object_is_type(v, json_type_object) && json_object_object_length(v) == 0)
			return 0;
		if (json_object_is_type(v, json_type_int) && json_object_get_int64(v) == 0)
			return 0;
	}
	return json_object_object_add(dst, key, json_object_get(v)) ? HR_ENOMEM : 0;
}

/* A Go time field: v3 writes "" when zero, v4 omits it; others re-encoded as Go would. */
static int copy_time(struct json_object *dst, struct json_object *src, const char *key, int major,
		     hr_error *err)
{
	hr_gotime t;
	hr_buf b = HR_BUF_INIT;
	int rc;

	if ((rc = hr_gotime_parse(&t, hr_render__str(src, key), err)))
		return hr_error_prefix(err, rc, "%s", key);
	if (hr_gotime_is_zero(&t)) {
		if (major >= 4)
			return 0;
	} else if ((rc = hr_gotime_json(&b, &t, err))) {
		return rc;
	}
	rc = json_object_object_add(dst, key, json_object_new_string(hr_buf_cstr(&b))) ? HR_ENOMEM : 0;
	hr_buf_free(&b);
	return rc;
}

static int build_info(struct json_object **out, struct json_object *info, int major, hr_error *err)
{
	struct json_object *o = json_object_new_object();
	int rc;

	if (!o)
		return HR_ENOMEM;
	if ((rc = copy_time(o, info, "first_deployed", major, err)) ||
	    (rc = copy_time(o, info, "last_deployed", major, err)) ||
	    (rc = copy_time(o, info, "deleted", major, err)) ||
	    (rc = copy_key(o, info, "description", 1)) || (rc = copy_key(o, info, "status", 1)) ||
	    (rc = copy_key(o, info, "notes", 1)) || (rc = copy_key(o, info, "resources", 1))) {
		json_object_put(o);
		return rc;
	}
	*out = o;
	return 0;
}

static int build_hook(struct json_object **out, struct json_object *h, int major, hr_error *err)
{
	static const char *const before[] = { "name", "kind", "path", "manifest", "events" };
	struct json_object *o = json_object_new_object(), *run = NULL;
	struct json_object *lr = hr_render__member(h, "last_run", json_type_object);
	int rc = HR_ENOMEM;

	if (!o || !(run = json_object_new_object()))
		goto fail;
	for (size_t i = 0; i < 5; i++)
		if ((rc = copy_key(o, h, before[i], 1)))
			goto fail;
	if ((rc = copy_time(run, lr, "started_at", major, err)) ||
	    (rc = copy_time(run, lr, "completed_at", major, err)))
		goto fail;
	rc = HR_ENOMEM;
	if (json_object_object_add(run, "phase", json_object_new_string(hr_render__str(lr, "phase"))) ||
	    json_object_object_add(o, "last_run", run))
		goto fail;
	run = NULL;
	if ((rc = copy_key(o, h, "weight", 1)) || (rc = copy_key(o, h, "delete_policies", 1)) ||
	    (major >= 4 && (rc = copy_key(o, h, "output_log_policies", 1))))
		goto fail;
	*out = o;
	return 0;
fail:
	json_object_put(run);
	json_object_put(o);
	return rc;
}

static int build_release(struct json_object **out, struct json_object *rel, int major, hr_error *err)
{
	struct json_object *o = json_object_new_object(), *info = hr_render__member(rel, "info", json_type_object);
	struct json_object *hooks = hr_render__member(rel, "hooks", json_type_array), *x = NULL;
	int rc = HR_ENOMEM;

	if (!o || (rc = copy_key(o, rel, "name", 1)))
		goto fail;
	if (info) {
		if ((rc = build_info(&x, info, major, err)))
			goto fail;
		rc = HR_ENOMEM;
		if (json_object_object_add(o, "info", x))
			goto fail;
		x = NULL;
	}
	if ((rc = copy_key(o, rel, "config", 1)) || (rc = copy_key(o, rel, "manifest", 1)))
		goto fail;
	if (hooks && json_object_array_length(hooks)) {
		rc = HR_ENOMEM;
		if (!(x = json_object_new_array()))
			goto fail;
		for (size_t i = 0; i < json_object_array_length(hooks); i++) {
			struct json_object *h = NULL;
			if ((rc = build_hook(&h, json_object_array_get_idx(hooks, i), major, err)))
				goto fail;
			if (json_object_array_add(x, h)) {
				json_object_put(h);
				rc = HR_ENOMEM;
				goto fail;
			}
		}
		rc = HR_ENOMEM;
		if (json_object_object_add(o, "hooks", x))
			goto fail;
		x = NULL;
	}
	if ((rc = copy_key(o, rel, "version", 1)) || (rc = copy_key(o, rel, "namespace", 1)) ||
	    (major >= 4 && (rc = copy_key(o, rel, "apply_method", 1))))
		goto fail;
	*out = o;
	return 0;
fail:
	json_object_put(x);
	json_object_put(o);
	return rc;
}

int hr_render_status(hr_buf *out, struct json_object *release, int show_desc, int helm_major,
		     const char *format, hr_error *err)
{
	struct json_object *tree = NULL;
	hr_render__fmt fmt;
	int rc;

	if ((rc = hr_render__parse_format(format, &fmt, err)))
		return rc;
	if (helm_major == 0)
		helm_major = 4;
	if (!release || !json_object_is_type(release, json_type_object))
		return hr_error_set(err, HR_EFORMAT, "release is not a JSON object");
	if (fmt == HR_RENDER__TABLE)
		return status_table(out, release, helm_major >= 4 || show_desc, err);
	if ((rc = build_release(&tree, release, helm_major, err))) {
		if (rc == HR_ENOMEM)
			nomem(err);
		else
			hr_error_prefix(err, rc, "release %s", hr_render__str(release, "name"));
		return rc;
	}
	rc = hr_render__encode(out, tree, fmt, err);
	json_object_put(tree);
	return rc;
}
