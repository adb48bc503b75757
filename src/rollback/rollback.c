/*
 * rollback.c — the release records `helm rollback` writes, rebuilt offline:
 * the new revision copied from the target the way pkg/action/rollback.go
 * does, the deployed revisions re-saved as superseded, each re-marshalled
 * in the JSON shape of the helm that writes it and encoded as helm
 * encodes (codec.h).  Rendering and writing the bundle is rollback_out.c.
 */
#include "rollback/rollback.h"
#include "codec/codec.h"
#include "codec/gojson.h"
#include "model/release.h"
#include "util/gotime.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- small json-c helpers ---- */

static struct json_object *get(struct json_object *o, const char *k)
{
	struct json_object *v = NULL;

	if (o && json_object_is_type(o, json_type_object))
		json_object_object_get_ex(o, k, &v);
	return v;
}

/* Add a deep copy of src (may be NULL = JSON null) under key k. */
static int add_copy(struct json_object *dst, const char *k, struct json_object *src)
{
	struct json_object *c = NULL;

	if (src && json_object_deep_copy(src, &c, NULL) != 0)
		return HR_ENOMEM;
	if (json_object_object_add(dst, k, c)) {
		json_object_put(c);
		return HR_ENOMEM;
	}
	return 0;
}

static int add_str(struct json_object *dst, const char *k, const char *s)
{
	struct json_object *v = json_object_new_string(s);

	if (!v || json_object_object_add(dst, k, v)) {
		json_object_put(v);
		return HR_ENOMEM;
	}
	return 0;
}

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
	rc = add_str(dst, k, zero ? "" : b.ptr);
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
	if ((rc = add_time(o, "first_deployed", get(info, "first_deployed"), major, err)) ||
	    (rc = add_time(o, "last_deployed", get(info, "last_deployed"), major, err)) ||
	    (rc = add_time(o, "deleted", get(info, "deleted"), major, err)))
		goto fail;
	for (size_t i = 0; rest[i]; i++) {
		struct json_object *v = get(info, rest[i]);

		/* rollback_revision exists only in Helm 4 after 4.1 (main): kept when present */
		if (is_empty_value(v))
			continue;
		if ((rc = add_copy(o, rest[i], v)))
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
	struct json_object *o = json_object_new_object(), *ph = get(lr, "phase");
	int rc;

	*out = o;
	if (!o)
		return hr_error_set(err, HR_ENOMEM, "out of memory");
	if ((rc = add_time(o, "started_at", get(lr, "started_at"), major, err)) ||
	    (rc = add_time(o, "completed_at", get(lr, "completed_at"), major, err)) ||
	    (rc = add_str(o, "phase", ph && json_object_is_type(ph, json_type_string) ? json_object_get_string(ph) : "")))
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
		if (!is_empty_value(get(h, head[i])) && (rc = add_copy(o, head[i], get(h, head[i]))))
			goto fail;
	if ((rc = reshape_last_run(&lr, get(h, "last_run"), major, err)))
		goto fail;
	json_object_object_add(o, "last_run", lr);
	for (size_t i = 0; tail[i]; i++) {
		struct json_object *v = get(h, tail[i]);

		if (!strcmp(tail[i], "delete_policies") && rollback_policy && is_empty_value(v)) {
			struct json_object *a = json_object_new_array(), *s = json_object_new_string("before-hook-creation");

			if (!a || !s || json_object_array_add(a, s) || json_object_object_add(o, tail[i], a)) {
				rc = HR_ENOMEM;
				goto fail;
			}
			continue;
		}
		if (!is_empty_value(v) && (rc = add_copy(o, tail[i], v)))
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
				if (add_copy(c, k, v)) {
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
	int rc = 0, have_smt = get(chart, "schemamodtime") != NULL;

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
		if ((rc = add_copy(o, k, v)))
			goto fail;
		if (major >= 4 && !have_smt && !strcmp(k, "schema") &&
		    (rc = add_str(o, "schemamodtime", "0001-01-01T00:00:00Z")))
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
	if (name && *name && add_str(o, "name", name))
		goto nomem;
	if (info && json_object_object_add(o, "info", info))
		goto nomem;
	info = NULL;
	if (chart && json_object_object_add(o, "chart", chart))
		goto nomem;
	chart = NULL;
	if (!is_empty_value(config) && json_object_is_type(config, json_type_object) && add_copy(o, "config", config))
		goto nomem;
	if (!is_empty_value(manifest) && add_copy(o, "manifest", manifest))
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
	if (ns && *ns && add_str(o, "namespace", ns))
		goto nomem;
	if (apply_method && *apply_method && add_str(o, "apply_method", apply_method))
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

int hr_release_reshape(struct json_object **out, struct json_object *rel, int writer_major, hr_error *err)
{
	struct json_object *info = NULL, *chart = NULL, *hooks = NULL;
	int major = writer_major ? writer_major : 4, rc;

	*out = NULL;
	if (!rel || !json_object_is_type(rel, json_type_object))
		return hr_error_set(err, HR_EINVAL, "release is not a JSON object");
	if (get(rel, "info") && (rc = reshape_info(&info, get(rel, "info"), major, err)))
		return rc;
	if ((rc = reshape_chart(&chart, get(rel, "chart"), major, err)) ||
	    (rc = reshape_hooks(&hooks, get(rel, "hooks"), major, 0, err))) {
		json_object_put(info);
		json_object_put(chart);
		return rc;
	}
	return assemble(out, hr_release_name(rel), info, chart, get(rel, "config"), get(rel, "manifest"), hooks,
			hr_release_version(rel), hr_release_namespace(rel),
			major >= 4 ? hr_release_str(rel, "apply_method") : NULL, err);
}

/* ---- the new revision ---- */

static void now_utc(hr_gotime *t)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	memset(t, 0, sizeof(*t));
	t->unix = (int64_t)ts.tv_sec;
	t->nsec = (int32_t)ts.tv_nsec;
	t->zone = HR_GOTIME_UTC;
	strcpy(t->name, "UTC");
}

int hr_rollback_record(struct json_object **out, struct json_object *last, struct json_object *target,
		       const char *status, const hr_rollback_opts *o, hr_error *err)
{
	static const hr_rollback_opts dflt = { 0 };
	struct json_object *info = NULL, *chart = NULL, *hooks = NULL, *lastinfo, *tinfo, *now = NULL;
	const char *ss, *am = NULL, *name;
	int major, rc;
	int64_t tv, lv;
	hr_buf b = HR_BUF_INIT;

	*out = NULL;
	o = o ? o : &dflt;
	major = o->writer_major ? o->writer_major : 4;
	ss = o->server_side ? o->server_side : "auto";
	name = hr_release_name(last);
	tv = hr_release_version(target);
	lv = hr_release_version(last);
	if (!name || !*name || tv <= 0 || lv <= 0)
		return hr_error_set(err, HR_EINVAL, "rollback: release name or version missing");
	if (major >= 4) {
		if (!strcmp(ss, "auto")) {
			const char *t = hr_release_str(target, "apply_method");

			am = t && !strcmp(t, "ssa") ? "ssa" : "csa";
		} else if (!strcmp(ss, "true")) {
			am = "ssa";
		} else if (!strcmp(ss, "false")) {
			am = "csa";
		} else {
			return hr_error_set(err, HR_EINVAL, "invalid/unknown release server-side apply method: %s", ss);
		}
	}
	if (o->now) {
		now = json_object_new_string(o->now);
	} else {
		hr_gotime t;

		now_utc(&t);
		if ((rc = hr_gotime_json(&b, &t, err)))
			goto fail;
		now = json_object_new_string(b.ptr);
	}
	info = json_object_new_object();
	if (!now || !info)
		goto nomem;
	lastinfo = get(last, "info");
	tinfo = get(target, "info");
	if ((rc = add_time(info, "first_deployed", get(lastinfo, "first_deployed"), major, err)) ||
	    (rc = add_time(info, "last_deployed", now, major, err)) ||
	    (rc = add_time(info, "deleted", NULL, major, err)))
		goto fail;
	hr_buf_clear(&b);
	if (o->description)
		rc = hr_buf_puts(&b, o->description);
	else
		rc = hr_buf_printf(&b, "Rollback to %lld", (long long)tv);
	if (rc || add_str(info, "description", b.ptr) || add_str(info, "status", status ? status : "deployed"))
		goto nomem;
	if (!is_empty_value(get(tinfo, "notes")) && add_copy(info, "notes", get(tinfo, "notes")))
		goto nomem;
	if ((rc = reshape_chart(&chart, get(target, "chart"), major, err)) ||
	    (rc = reshape_hooks(&hooks, get(target, "hooks"), major, 1, err)))
		goto fail;
	rc = assemble(out, name, info, chart, get(target, "config"), get(target, "manifest"), hooks, lv + 1,
		      hr_release_namespace(last), am, err);
	info = chart = hooks = NULL;
	goto done;
nomem:
	rc = hr_error_set(err, HR_ENOMEM, "out of memory");
fail:
	json_object_put(info);
	json_object_put(chart);
	json_object_put(hooks);
done:
	json_object_put(now);
	hr_buf_free(&b);
	return rc;
}

/* ---- labels ---- */

static int is_system_label(const char *k)
{
	static const char *const sys[] = { "name", "owner", "status", "version", "createdAt", "modifiedAt", NULL };

	for (size_t i = 0; sys[i]; i++)
		if (!strcmp(sys[i], k))
			return 1;
	return 0;
}

static int cmp_keys(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

struct json_object *hr_rollback_labels(struct json_object *orig, const char *name, const char *status,
				       int64_t version, int64_t modified_unix)
{
	struct json_object *tmp = json_object_new_object(), *out = NULL;
	const char **keys = NULL;
	char num[32];
	size_t n = 0, i = 0;

	if (!tmp)
		return NULL;
	if (orig && json_object_is_type(orig, json_type_object)) {
		json_object_object_foreach(orig, k, v) {
			if (!is_system_label(k) && json_object_is_type(v, json_type_string) && add_copy(tmp, k, v))
				goto out;
		}
	}
	snprintf(num, sizeof(num), "%lld", (long long)modified_unix);
	if (add_str(tmp, "modifiedAt", num) || add_str(tmp, "name", name) || add_str(tmp, "owner", "helm") ||
	    add_str(tmp, "status", status))
		goto out;
	snprintf(num, sizeof(num), "%lld", (long long)version);
	if (add_str(tmp, "version", num))
		goto out;
	n = (size_t)json_object_object_length(tmp);
	if (!(keys = calloc(n, sizeof(*keys))))
		goto out;
	{
		json_object_object_foreach(tmp, k, v) {
			(void)v;
			keys[i++] = k;
		}
	}
	qsort(keys, n, sizeof(*keys), cmp_keys);
	if (!(out = json_object_new_object()))
		goto out;
	for (i = 0; i < n; i++)
		if (add_copy(out, keys[i], get(tmp, keys[i]))) {
			json_object_put(out);
			out = NULL;
			goto out;
		}
out:
	free(keys);
	json_object_put(tmp);
	return out;
}

/* ---- the plan ---- */

static void rec_free(hr_rollback_rec *r)
{
	json_object_put(r->rel);
	json_object_put(r->labels);
	free(r->json);
	free(r->payload);
	memset(r, 0, sizeof(*r));
}

void hr_rollback_bundle_free(hr_rollback_bundle *b)
{
	if (!b)
		return;
	free(b->name);
	free(b->namespace);
	rec_free(&b->record);
	for (size_t i = 0; i < b->nsuperseded; i++)
		rec_free(&b->superseded[i]);
	free(b->superseded);
	hr_resource_list_free(&b->resources);
	hr_resource_list_free(&b->current);
	free(b->removed);
	free(b->pre);
	free(b->post);
	memset(b, 0, sizeof(*b));
}

/* Fill json and payload of r from r->rel; labels from orig. */
static int rec_encode(hr_rollback_rec *r, struct json_object *orig_labels, const char *name, const char *status,
		      int64_t modified, hr_error *err)
{
	hr_buf j = HR_BUF_INIT, p = HR_BUF_INIT;
	int rc;

	if ((rc = hr_gojson_write(&j, r->rel, 0)))
		goto out;
	if ((rc = hr_codec_encode(&p, j.ptr, j.len, err)))
		goto out;
	r->labels = hr_rollback_labels(orig_labels, name, status, r->version, modified);
	if (!r->labels) {
		rc = HR_ENOMEM;
		goto out;
	}
	r->json = hr_buf_detach(&j, &r->json_len);
	r->payload = hr_buf_detach(&p, &r->payload_len);
out:
	hr_buf_free(&j);
	hr_buf_free(&p);
	if (rc == HR_ENOMEM || rc == HR_EINVAL)
		hr_error_set(err, rc, "encoding revision %lld: %s", (long long)r->version,
			     rc == HR_ENOMEM ? "out of memory" : "value Go cannot marshal");
	return rc;
}

/* The status helm's DeployedAll sees: the object label if known, else the body. */
static const char *label_status(const hr_rollback_rev *r)
{
	struct json_object *s = get(r->labels, "status");

	if (s && json_object_is_type(s, json_type_string))
		return json_object_get_string(s);
	return hr_release_status(r->rel);
}

int hr_rollback_plan(hr_rollback_bundle *out, const hr_rollback_rev *revs, size_t n, int64_t target,
		     const hr_rollback_opts *o, hr_error *err)
{
	static const hr_rollback_opts dflt = { 0 };
	const hr_rollback_rev *last = NULL, *tgt = NULL;
	hr_split_style st;
	hr_kind_order ord;
	int64_t modified;
	const char *m;
	hr_buf k1 = HR_BUF_INIT, k2 = HR_BUF_INIT;
	int rc, major;

	memset(out, 0, sizeof(*out));
	o = o ? o : &dflt;
	major = o->writer_major ? o->writer_major : 4;
	modified = o->now_unix ? o->now_unix : (int64_t)time(NULL);
	for (size_t i = 0; i < n; i++)
		if (!last || hr_release_version(revs[i].rel) > hr_release_version(last->rel))
			last = &revs[i];
	if (!last)
		return hr_error_set(err, HR_ENOTFOUND, "release: not found");
	if (target == 0)
		target = hr_release_version(last->rel) - 1;
	if (target < 0)
		return hr_error_set(err, HR_EINVAL, "invalid release revision");
	for (size_t i = 0; i < n; i++)
		if (hr_release_version(revs[i].rel) == target)
			tgt = &revs[i];
	if (!tgt)
		return hr_error_set(err, HR_ENOTFOUND, "release has no %lld version", (long long)target);
	out->name = strdup(hr_release_name(last->rel) ? hr_release_name(last->rel) : "");
	out->namespace = strdup(hr_release_namespace(last->rel) ? hr_release_namespace(last->rel) : "");
	if (!out->name || !out->namespace)
		goto nomem;
	out->target = target;
	out->last = hr_release_version(last->rel);
	out->version = out->last + 1;

	/* the new revision */
	if ((rc = hr_rollback_record(&out->record.rel, last->rel, tgt->rel, "deployed", o, err)))
		goto fail;
	out->record.version = out->version;
	if ((rc = rec_encode(&out->record, tgt->labels, out->name, "deployed", modified, err)))
		goto fail;

	/* DeployedAll -> superseded, re-saved by the writer */
	for (size_t i = 0; i < n; i++) {
		const char *s = label_status(&revs[i]);
		hr_rollback_rec *r;
		struct json_object *info, *sv;

		if (!s || strcmp(s, "deployed"))
			continue;
		r = realloc(out->superseded, (out->nsuperseded + 1) * sizeof(*r));
		if (!r)
			goto nomem;
		out->superseded = r;
		r = &out->superseded[out->nsuperseded++];
		memset(r, 0, sizeof(*r));
		r->version = hr_release_version(revs[i].rel);
		r->was_status = s;
		if ((rc = hr_release_reshape(&r->rel, revs[i].rel, major, err)))
			goto fail;
		info = get(r->rel, "info");
		if (info && !(sv = json_object_new_string("superseded")))
			goto nomem;
		if (info)
			json_object_object_add(info, "status", sv);
		if ((rc = rec_encode(r, revs[i].labels, out->name, "superseded", modified, err)))
			goto fail;
	}

	/* what is applied: T's manifest; what helm deletes: last's resources not in T */
	hr_manifest_style_for(tgt->rel, &st, &ord);
	m = hr_release_str(tgt->rel, "manifest");
	if ((rc = hr_manifest_resources(&out->resources, m, m ? strlen(m) : 0, st, ord, err)))
		goto fail;
	hr_manifest_style_for(last->rel, &st, &ord);
	m = hr_release_str(last->rel, "manifest");
	if ((rc = hr_manifest_resources(&out->current, m, m ? strlen(m) : 0, st, ord, err)))
		goto fail;
	if (out->current.n && !(out->removed = calloc(out->current.n, sizeof(*out->removed))))
		goto nomem;
	for (size_t i = 0; i < out->current.n; i++) {
		int found = 0;

		if (hr_resource_key(&k1, &out->current.items[i], out->namespace))
			goto nomem;
		for (size_t j = 0; j < out->resources.n && !found; j++) {
			if (hr_resource_key(&k2, &out->resources.items[j], out->namespace))
				goto nomem;
			found = !strcmp(k1.ptr, k2.ptr);
		}
		if (!found)
			out->removed[out->nremoved++] = i;
	}
	if ((rc = hr_manifest_hooks(out->record.rel, "pre-rollback", &out->pre, &out->npre, err)) ||
	    (rc = hr_manifest_hooks(out->record.rel, "post-rollback", &out->post, &out->npost, err)))
		goto fail;
	hr_buf_free(&k1);
	hr_buf_free(&k2);
	return 0;
nomem:
	rc = hr_error_set(err, HR_ENOMEM, "out of memory");
fail:
	hr_buf_free(&k1);
	hr_buf_free(&k2);
	hr_rollback_bundle_free(out);
	return rc;
}
