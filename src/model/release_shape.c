/*
 * release_shape.c — a release tree re-marshalled in the JSON shape of the
 * helm major that writes it (model/release.h, hr_release_reshape): Helm's
 * Release, Info, Chart, Hook and HookExecution structs in field order,
 * with Go's omitempty / omitzero rules and time.Time's MarshalJSON.  Used
 * by rollback (the new revision and the re-saved superseded ones) and by
 * any command that re-saves a record as helm would.
 */
#include "model/release.h"
#include "model/manifest.h"
#include "util/buf.h"
#include "util/gotime.h"

#include <string.h>

static int is_empty_value(struct json_object *v)
{
	if (!v)
		return 1;
	switch (json_object_get_type(v)) {
	case json_type_string:
		return json_object_get_string_len(v) == 0;
	case json_type_object:
		return json_object_object_length(v) == 0;
	case json_type_array:
		return json_object_array_length(v) == 0;
	case json_type_int:
		return json_object_get_int64(v) == 0;
	default:
		return 0;
	}
}

/*
 * A stored time re-marshalled by Go: parse as time.Time.UnmarshalJSON,
 * print as MarshalJSON.  *zero set for an absent / "" / zero time.
 */
static int go_time(hr_buf *out, struct json_object *v, int *zero, hr_error *err)
{
	const char *s = v && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
	hr_gotime t;
	int rc;

	hr_buf_clear(out);
	*zero = 1;
	if (!s || !*s)
		return 0;
	if ((rc = hr_gotime_parse(&t, s, err)))
		return rc;
	if (hr_gotime_is_zero(&t))
		return 0;
	*zero = 0;
	/* Go prints the instant with its stored offset; the zone name is not in the text */
	return hr_gotime_json(out, &t, err);
}

/*
 * Add time key `k` the way writer `major` marshals it: H4 omits zero
 * times; H3 writes "" for them.  `always` = H3 writes the key even when
 * absent (all of Info's times and HookExecution's).
 */
static int add_time(struct json_object *dst, const char *k, struct json_object *v, int major, hr_error *err)
{
	hr_buf b = HR_BUF_INIT;
	int zero, rc;

	if ((rc = go_time(&b, v, &zero, err)))
		goto out;
	if (zero && major >= 4)
		goto out;
	rc = hr_release_add_str(dst, k, zero ? "" : b.ptr);
out:
	hr_buf_free(&b);
	return rc;
}

/* ---- reshaping for a writer ---- */

static int reshape_info(struct json_object **out, struct json_object *info, int major, hr_error *err)
{
	static const char *const rest[] = { "description", "status", "rollback_revision", "notes", "resources", NULL };
	struct json_object *o = json_object_new_object();
	int rc;

	*out = NULL;
	if (!o)
		return hr_error_set(err, HR_ENOMEM, "out of memory");
	if ((rc = add_time(o, "first_deployed", hr_release_member(info, "first_deployed"), major, err)) ||
	    (rc = add_time(o, "last_deployed", hr_release_member(info, "last_deployed"), major, err)) ||
	    (rc = add_time(o, "deleted", hr_release_member(info, "deleted"), major, err)))
		goto fail;
	for (size_t i = 0; rest[i]; i++) {
		struct json_object *v = hr_release_member(info, rest[i]);

		/* rollback_revision exists only in Helm 4 after 4.1 (main): kept when present */
		if (is_empty_value(v))
			continue;
		if ((rc = hr_release_add_copy(o, rest[i], v)))
			goto fail;
	}
	*out = o;
	return 0;
fail:
	json_object_put(o);
	return rc == HR_ENOMEM ? hr_error_set(err, rc, "out of memory") : rc;
}

/* HookExecution: started_at, completed_at, phase (always). */
static int reshape_last_run(struct json_object **out, struct json_object *lr, int major, hr_error *err)
{
	struct json_object *o = json_object_new_object(), *ph = hr_release_member(lr, "phase");
	int rc;

	*out = o;
	if (!o)
		return hr_error_set(err, HR_ENOMEM, "out of memory");
	if ((rc = add_time(o, "started_at", hr_release_member(lr, "started_at"), major, err)) ||
	    (rc = add_time(o, "completed_at", hr_release_member(lr, "completed_at"), major, err)) ||
	    (rc = hr_release_add_str(o, "phase", ph && json_object_is_type(ph, json_type_string) ? json_object_get_string(ph) : "")))
		return rc;
	return 0;
}

/*
 * A hook in struct order.  rollback_policy: set the default delete policy
 * (before-hook-creation) when none is set, as execHook does before a run.
 */
static int reshape_hook(struct json_object **out, struct json_object *h, int major, int rollback_policy,
			hr_error *err)
{
	static const char *const head[] = { "name", "kind", "path", "manifest", "events", NULL };
	static const char *const tail[] = { "weight", "delete_policies", "output_log_policies", NULL };
	struct json_object *o = json_object_new_object(), *lr = NULL;
	int rc = 0;

	*out = NULL;
	if (!o)
		return hr_error_set(err, HR_ENOMEM, "out of memory");
	for (size_t i = 0; head[i]; i++)
		if (!is_empty_value(hr_release_member(h, head[i])) && (rc = hr_release_add_copy(o, head[i], hr_release_member(h, head[i]))))
			goto fail;
	if ((rc = reshape_last_run(&lr, hr_release_member(h, "last_run"), major, err)))
		goto fail;
	json_object_object_add(o, "last_run", lr);
	for (size_t i = 0; tail[i]; i++) {
		struct json_object *v = hr_release_member(h, tail[i]);

		if (!strcmp(tail[i], "delete_policies") && rollback_policy && is_empty_value(v)) {
			struct json_object *a = json_object_new_array(), *s = json_object_new_string("before-hook-creation");

			if (!a || !s || json_object_array_add(a, s) || json_object_object_add(o, tail[i], a)) {
				rc = HR_ENOMEM;
				goto fail;
			}
			continue;
		}
		if (!is_empty_value(v) && (rc = hr_release_add_copy(o, tail[i], v)))
			goto fail;
	}
	*out = o;
	return 0;
fail:
	json_object_put(o);
	return rc == HR_ENOMEM ? hr_error_set(err, rc, "out of memory") : rc;
}

static int reshape_hooks(struct json_object **out, struct json_object *hooks, int major, int rollback_policy,
			 hr_error *err)
{
	struct json_object *a;
	size_t n = hooks && json_object_is_type(hooks, json_type_array) ? json_object_array_length(hooks) : 0;

	*out = NULL;
	if (!n)
		return 0;
	if (!(a = json_object_new_array()))
		return hr_error_set(err, HR_ENOMEM, "out of memory");
	for (size_t i = 0; i < n; i++) {
		struct json_object *h = json_object_array_get_idx(hooks, i), *r;
		int rb = rollback_policy && (hr_hook_has_event(h, "pre-rollback") || hr_hook_has_event(h, "post-rollback"));
		int rc = reshape_hook(&r, h, major, rb, err);

		if (rc || json_object_array_add(a, r)) {
			json_object_put(a);
			return rc ? rc : hr_error_set(err, HR_ENOMEM, "out of memory");
		}
	}
	*out = a;
	return 0;
}

/* Drop "modtime" from each File of an array (Helm 3 has no such field). */
static int files_without_modtime(struct json_object **out, struct json_object *files)
{
	size_t n = json_object_array_length(files);
	struct json_object *a = json_object_new_array();

	*out = a;
	if (!a)
		return HR_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		struct json_object *f = json_object_array_get_idx(files, i), *c = NULL;

		if (f && json_object_is_type(f, json_type_object)) {
			if (!(c = json_object_new_object()))
				return HR_ENOMEM;
			json_object_object_foreach(f, k, v) {
				if (!strcmp(k, "modtime"))
					continue;
				if (hr_release_add_copy(c, k, v)) {
					json_object_put(c);
					return HR_ENOMEM;
				}
			}
		} else if (f && json_object_deep_copy(f, &c, NULL)) {
			return HR_ENOMEM;
		}
		if (json_object_array_add(a, c)) {
			json_object_put(c);
			return HR_ENOMEM;
		}
	}
	return 0;
}

/*
 * The chart in the writer's shape.  Helm 4's Chart has schemamodtime
 * (time.Time, omitempty: always written, zero "0001-01-01T00:00:00Z")
 * after schema and modtime (omitzero) at the end; Helm 3 has neither.
 */
static int reshape_chart(struct json_object **out, struct json_object *chart, int major, hr_error *err)
{
	struct json_object *o;
	int rc = 0, have_smt = hr_release_member(chart, "schemamodtime") != NULL;

	*out = NULL;
	if (!chart)
		return 0;
	if (!json_object_is_type(chart, json_type_object))
		return json_object_deep_copy(chart, out, NULL) ? hr_error_set(err, HR_ENOMEM, "out of memory") : 0;
	if (!(o = json_object_new_object()))
		return hr_error_set(err, HR_ENOMEM, "out of memory");
	json_object_object_foreach(chart, k, v) {
		if (major < 4 && (!strcmp(k, "schemamodtime") || !strcmp(k, "modtime")))
			continue;
		if (major < 4 && (!strcmp(k, "templates") || !strcmp(k, "files")) && v &&
		    json_object_is_type(v, json_type_array)) {
			struct json_object *a;

			if ((rc = files_without_modtime(&a, v)) || json_object_object_add(o, k, a)) {
				json_object_put(a);
				rc = HR_ENOMEM;
				goto fail;
			}
			continue;
		}
		if ((rc = hr_release_add_copy(o, k, v)))
			goto fail;
		if (major >= 4 && !have_smt && !strcmp(k, "schema") &&
		    (rc = hr_release_add_str(o, "schemamodtime", "0001-01-01T00:00:00Z")))
			goto fail;
	}
	*out = o;
	return 0;
fail:
	json_object_put(o);
	return hr_error_set(err, HR_ENOMEM, "out of memory");
}

/*
 * Assemble a release in struct order from parts (each may be NULL:
 * omitted).  Takes ownership of info/chart/hooks; copies the rest.
 */
static int assemble(struct json_object **out, const char *name, struct json_object *info,
		    struct json_object *chart, struct json_object *config, struct json_object *manifest,
		    struct json_object *hooks, int64_t version, const char *ns, const char *apply_method,
		    hr_error *err)
{
	struct json_object *o = json_object_new_object();
	int rc = 0;

	*out = NULL;
	if (!o)
		goto nomem;
	if (name && *name && hr_release_add_str(o, "name", name))
		goto nomem;
	if (info && json_object_object_add(o, "info", info))
		goto nomem;
	info = NULL;
	if (chart && json_object_object_add(o, "chart", chart))
		goto nomem;
	chart = NULL;
	if (!is_empty_value(config) && json_object_is_type(config, json_type_object) && hr_release_add_copy(o, "config", config))
		goto nomem;
	if (!is_empty_value(manifest) && hr_release_add_copy(o, "manifest", manifest))
		goto nomem;
	if (hooks && json_object_array_length(hooks) && json_object_object_add(o, "hooks", hooks))
		goto nomem;
	else if (hooks && !json_object_array_length(hooks))
		json_object_put(hooks);
	hooks = NULL;
	if (version) {
		struct json_object *v = json_object_new_int64(version);

		if (!v || json_object_object_add(o, "version", v))
			goto nomem;
	}
	if (ns && *ns && hr_release_add_str(o, "namespace", ns))
		goto nomem;
	if (apply_method && *apply_method && hr_release_add_str(o, "apply_method", apply_method))
		goto nomem;
	*out = o;
	return rc;
nomem:
	json_object_put(o);
	json_object_put(info);
	json_object_put(chart);
	json_object_put(hooks);
	return hr_error_set(err, HR_ENOMEM, "out of memory");
}

int hr_release_reshape(struct json_object **out, struct json_object *rel, int writer_major, unsigned flags,
		       hr_error *err)
{
	struct json_object *info = NULL, *chart = NULL, *hooks = NULL;
	int major = writer_major ? writer_major : 4, rc;

	*out = NULL;
	if (!rel || !json_object_is_type(rel, json_type_object))
		return hr_error_set(err, HR_EINVAL, "release is not a JSON object");
	if (hr_release_member(rel, "info") && (rc = reshape_info(&info, hr_release_member(rel, "info"), major, err)))
		return rc;
	if ((rc = reshape_chart(&chart, hr_release_member(rel, "chart"), major, err)) ||
	    (rc = reshape_hooks(&hooks, hr_release_member(rel, "hooks"), major,
				 (flags & HR_RESHAPE_ROLLBACK_HOOKS) != 0, err))) {
		json_object_put(info);
		json_object_put(chart);
		return rc;
	}
	return assemble(out, hr_release_name(rel), info, chart, hr_release_member(rel, "config"),
			hr_release_member(rel, "manifest"), hooks, hr_release_version(rel), hr_release_namespace(rel),
			major >= 4 ? hr_release_str(rel, "apply_method") : NULL, err);
}

