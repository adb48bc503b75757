/*
 * status.c — helm's statusPrinter without a cluster: its table form (the
 * RESOURCES section only when the caller has it from the backup's live
 * objects), shared by `status` and `get all`
 * as helm shares it (hr_render__status_table), and the json/yaml form of
 * `status`, which is the release without its chart as helm re-encodes it.
 * Follows helm v4.1.4 pkg/cmd/status.go and v3.17.1 cmd/helm/status.go;
 * the JSON shapes follow pkg/release(/v1) info.go and hook.go.
 */
#include "render/helm.h"

#include <string.h>
#include <strings.h>
#include "model/release.h"
#include "render/values.h"
#include "util/gostrings.h"
#include "util/gotime.h"


static int nomem(hr_error *err)
{
	return hr_error_set(err, HR_ENOMEM, "out of memory");
}

/* Append strings.TrimSpace of s (n bytes, may hold NUL bytes). */
static int put_trimmed(hr_buf *out, const char *s, size_t n)
{
	const char *t = hr_go_trim_space(s, n, &n);

	return hr_buf_put(out, t, n);
}

/* Append a string member whole (Go strings may hold NUL bytes); absent -> nothing. */
static int put_member(hr_buf *out, struct json_object *o, const char *key)
{
	struct json_object *v = hr_release_member_type(o, key, json_type_string);

	return v ? hr_buf_put(out, json_object_get_string(v), (size_t)json_object_get_string_len(v)) : 0;
}

/* `label` then the RFC 3339 time `rfc` in time.ANSIC, then a newline. */
static int ansic_line(hr_buf *out, const char *label, const char *rfc, hr_error *err)
{
	hr_gotime t;
	int rc;

	if ((rc = hr_gotime_parse(&t, rfc, err)))
		return rc;
	if (hr_buf_puts(out, label) || hr_gotime_format(out, &t, HR_GOTIME_ANSIC) || hr_buf_putc(out, '\n'))
		return nomem(err);
	return 0;
}

/* How many times `hook` lists event `ev` (helm's executionsByHookEvent counts each). */
static size_t event_count(struct json_object *hook, const char *ev)
{
	struct json_object *evs = hr_release_member_type(hook, "events", json_type_array);
	size_t count = 0;

	for (size_t i = 0; evs && i < json_object_array_length(evs); i++) {
		struct json_object *e = json_object_array_get_idx(evs, i);

		if (json_object_is_type(e, json_type_string) && strcmp(json_object_get_string(e), ev) == 0)
			count++;
	}
	return count;
}

static int test_suite(hr_buf *out, struct json_object *rel, hr_error *err)
{
	struct json_object *hooks = hr_release_member_type(rel, "hooks", json_type_array);
	size_t n = hooks ? json_object_array_length(hooks) : 0, tests = 0;
	int rc;

	for (size_t i = 0; i < n; i++)
		tests += event_count(json_object_array_get_idx(hooks, i), "test");
	if (!tests)
		return hr_buf_puts(out, "TEST SUITE: None\n") ? nomem(err) : 0;
	for (size_t i = 0; i < n; i++) {
		struct json_object *h = json_object_array_get_idx(hooks, i);
		struct json_object *run = hr_release_member_type(h, "last_run", json_type_object);
		const char *name = hr_release_member_str(h, "name", "");
		size_t c = event_count(h, "test");
		hr_gotime started;

		if (!c)
			continue;
		if ((rc = hr_gotime_parse(&started, hr_release_member_str(run, "started_at", ""), err)))
			return hr_error_prefix(err, rc, "hook %s: started_at", name);
		if (hr_gotime_is_zero(&started))
			continue;
		while (c--) {
			if (hr_buf_printf(out, "TEST SUITE:     %s\n", name))
				return nomem(err);
			if ((rc = ansic_line(out, "Last Started:   ", hr_release_member_str(run, "started_at", ""), err)) ||
			    (rc = ansic_line(out, "Last Completed: ", hr_release_member_str(run, "completed_at", ""), err)))
				return hr_error_prefix(err, rc, "hook %s", name);
			if (hr_buf_printf(out, "Phase:          %s\n", hr_release_member_str(run, "phase", "")))
				return nomem(err);
		}
	}
	return 0;
}

int hr_render__status_table(hr_buf *out, struct json_object *rel, const hr_render__status_opts *o, hr_error *err)
{
	struct json_object *info = hr_release_member_type(rel, "info", json_type_object);
	struct json_object *md = hr_release_member_type(hr_release_member_type(rel, "chart", json_type_object),
							"metadata", json_type_object);
	struct json_object *hooks = hr_release_member_type(rel, "hooks", json_type_array);
	struct json_object *notes = hr_release_member_type(info, "notes", json_type_string);
	const char *name = hr_release_member_str(rel, "name", ""), *desc = hr_release_member_str(info, "description", "");
	const char *last = hr_release_member_str(info, "last_deployed", ""), *status, *status_color = "";
	hr_gotime t;
	int rc;

	if ((rc = hr_gotime_parse(&t, last, err)))
		return hr_error_prefix(err, rc, "release %s: last_deployed", name);
	if (hr_buf_printf(out, "NAME: %s\n", name))
		return nomem(err);
	if (!hr_gotime_is_zero(&t) && (rc = ansic_line(out, "LAST DEPLOYED: ", last, err)))
		return rc;
	status = hr_release_member_str(info, "status", "");
	if (o->color)
		status_color = hr_render__status_escape(status);
	if (hr_buf_printf(out, "NAMESPACE: %s%s%s\nSTATUS: %s%s%s\nREVISION: %lld\n", o->color ? "\033[36m" : "",
			  hr_release_member_str(rel, "namespace", ""), o->color ? "\033[0m" : "", status_color, status,
			  *status_color ? "\033[0m" : "", (long long)hr_release_int(rel, "version", 0)))
		return nomem(err);
	if (o->show_metadata &&
	    hr_buf_printf(out, "CHART: %s\nVERSION: %s\nAPP_VERSION: %s\n", hr_release_member_str(md, "name", ""),
			  hr_release_member_str(md, "version", ""), hr_release_member_str(md, "appVersion", "")))
		return nomem(err);
	if (o->show_desc && hr_buf_printf(out, "DESCRIPTION: %s\n", desc))
		return nomem(err);
	if (o->resources && *o->resources && hr_buf_printf(out, "RESOURCES:\n%s\n", o->resources))
		return nomem(err);
	if ((rc = test_suite(out, rel, err)))
		return rc;
	if (o->debug) {
		/* each values block is followed by an extra newline */
		if ((rc = hr_render_get_values(out, rel, 0, "table", o->helm_major, err)))
			return rc;
		if (hr_buf_putc(out, '\n'))
			return nomem(err);
		if ((rc = hr_render_get_values(out, rel, 1, "table", o->helm_major, err)))
			return rc;
		if (hr_buf_putc(out, '\n'))
			return nomem(err);
	}
	if (o->debug || strcasecmp(desc, "Dry run complete") == 0) {
		if (hr_buf_puts(out, "HOOKS:\n"))
			return nomem(err);
		for (size_t i = 0; hooks && i < json_object_array_length(hooks); i++) {
			struct json_object *h = json_object_array_get_idx(hooks, i);

			if (hr_buf_puts(out, "---\n# Source: ") || put_member(out, h, "path") || hr_buf_putc(out, '\n') ||
			    put_member(out, h, "manifest") || hr_buf_putc(out, '\n'))
				return nomem(err);
		}
		if (hr_buf_puts(out, "MANIFEST:\n") || put_member(out, rel, "manifest") || hr_buf_putc(out, '\n'))
			return nomem(err);
	}
	if (notes && json_object_get_string_len(notes) > 0 &&
	    (hr_buf_puts(out, "NOTES:\n") ||
	     put_trimmed(out, json_object_get_string(notes), (size_t)json_object_get_string_len(notes)) ||
	     hr_buf_putc(out, '\n')))
		return nomem(err);
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

	if ((rc = hr_gotime_parse(&t, hr_release_member_str(src, key, ""), err)))
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
	struct json_object *lr = hr_release_member_type(h, "last_run", json_type_object);
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
	if (json_object_object_add(run, "phase", json_object_new_string(hr_release_member_str(lr, "phase", ""))) ||
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
	struct json_object *o = json_object_new_object(), *info = hr_release_member_type(rel, "info", json_type_object);
	struct json_object *hooks = hr_release_member_type(rel, "hooks", json_type_array), *x = NULL;
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
	return hr_render_status_resources(out, release, show_desc, helm_major, format, NULL, 0, err);
}

int hr_render_status_resources(hr_buf *out, struct json_object *release, int show_desc, int helm_major,
			       const char *format, const char *resources, int color, hr_error *err)
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
	if (fmt == HR_RENDER__TABLE) {
		hr_render__status_opts o = { .show_desc = helm_major >= 4 || show_desc, .helm_major = helm_major,
					     .resources = resources, .color = color && helm_major >= 4 };

		return hr_render__status_table(out, release, &o, err);
	}
	if ((rc = build_release(&tree, release, helm_major, err))) {
		if (rc == HR_ENOMEM)
			nomem(err);
		else
			hr_error_prefix(err, rc, "release %s", hr_release_member_str(release, "name", ""));
		return rc;
	}
	rc = hr_render__encode(out, tree, fmt, err);
	json_object_put(tree);
	return rc;
}
