/*
 * chart.c — turn the chart inside a release record back into chart files.
 *
 * helm's loader (pkg/chart/v2/loader/load.go) splits a chart directory into
 * metadata, values, schema, lock, templates and files before the release is
 * stored; this file puts the pieces back where the loader found them, in
 * the order `helm package` writes them (Chart.yaml, Chart.lock, values.yaml,
 * values.schema.json, templates, files).  YAML files are printed with
 * hr_yaml_write, which is what helm's own SaveDir would print for the same
 * in-memory chart.  Every path from the record is checked before anything
 * is written (chart_write.c does the writing), and what the record cannot
 * give back (sub-charts, comments, aliased names) is collected as notes.
 */
#include "chart/chart.h"
#include "util/array.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec/codec.h"
#include "codec/gojson.h"
#include "chart/chart_int.h"
#include "model/release.h"
#include "render/yaml.h"
#include "util/gotime.h"

typedef struct build {
	hr_chart *c;
	char **origin;       /* parallel to c->files: "chart.templates[3]" ... */
	size_t cap;
	const char *what;    /* record name for messages, "" for none */
} build;

static const char *quoted(char *dst, size_t cap, const char *s, size_t len);

static int fail(build *b, int code, hr_error *err, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static int fail(build *b, int code, hr_error *err, const char *fmt, ...)
{
	char msg[HR_ERROR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (b->what[0])
		return hr_error_set(err, code, "%s: %s", b->what, msg);
	return hr_error_set(err, code, "%s", msg);
}

int hr__chart_add_note(hr_chart *c, hr_error *err, const char *fmt, ...)
{
	hr_buf s = HR_BUF_INIT;
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = hr_buf_vprintf(&s, fmt, ap);
	va_end(ap);
	if (r || HR_ARRAY_GROW(c->notes, c->nnotes + 1, c->capnotes)) {
		hr_buf_free(&s);
		return hr_error_set(err, HR_ENOMEM, "out of memory");
	}
	c->notes[c->nnotes++] = hr_buf_detach(&s, NULL);
	return 0;
}

/*
 * Is `p` (len bytes, from the record) a safe chart-relative path?  Returns
 * NULL if so, else why not.
 */
static const char *path_problem(const char *p, size_t len)
{
	size_t start = 0;

	if (len == 0)
		return "empty file name";
	if (strlen(p) != len)
		return "file name holds a NUL byte";
	if (p[0] == '/')
		return "absolute path";
	/* Deeper than this and the tree could not be removed by path again (PATH_MAX). */
	if (len > HR_CHART_PATH_MAX)
		return "file name too long";
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)p[i];

		if (ch < 0x20 || ch == 0x7f)
			return "file name holds a control character";
		if (ch == '\\')
			return "file name holds a backslash";
	}
	for (size_t i = 0; i <= len; i++) {
		if (i < len && p[i] != '/')
			continue;
		if (i == start)
			return "empty path component";
		if (i - start > 255)
			return "path component too long";
		if (i - start == 2 && p[start] == '.' && p[start + 1] == '.')
			return "\"..\" escapes the chart directory";
		if (i - start == 1 && p[start] == '.')
			return "\".\" path component";
		start = i + 1;
	}
	return NULL;
}

/* Append one file, taking over the bytes in `take` (left empty, also on failure). */
static int add_file(build *b, const char *origin, const char *path, hr_buf *take, int64_t mtime, int has_mtime,
		    hr_error *err)
{
	hr_chart *c = b->c;
	hr_chart_file *f;
	char *o = NULL, *p = NULL;
	unsigned char *d = NULL;
	size_t len = 0;

	if (c->nfiles == b->cap) {
		size_t ncap = b->cap;

		/* two arrays, one capacity: grow the one without the counter first */
		if (HR_ARRAY_GROW(c->files, c->nfiles + 1, ncap) || HR_ARRAY_GROW(b->origin, c->nfiles + 1, b->cap))
			goto nomem;
	}
	if (!(o = strdup(origin)) || !(p = strdup(path)))
		goto nomem;
	if (take->len)
		d = (unsigned char *)hr_buf_detach(take, &len);
	hr_buf_free(take);
	f = &c->files[c->nfiles];
	f->path = p;
	f->data = d;
	f->len = len;
	f->mtime = mtime;
	f->has_mtime = has_mtime;
	b->origin[c->nfiles++] = o;
	return 0;
nomem:
	free(o);
	free(p);
	hr_buf_free(take);
	return hr_error_set(err, HR_ENOMEM, "out of memory");
}

/* Parse an RFC 3339 time from the record; zero/absent/bad = no mtime. */
static void mtime_of(const char *s, int64_t *mtime, int *has)
{
	hr_gotime t;

	*has = 0;
	if (!s || !*s || hr_gotime_parse(&t, s, NULL) || hr_gotime_is_zero(&t))
		return;
	*mtime = t.unix;
	*has = 1;
}

/* A YAML file printed from a json-c value. */
static int add_yaml(build *b, const char *origin, const char *path, struct json_object *v, int64_t mtime,
		    int has_mtime, hr_error *err)
{
	hr_buf y = HR_BUF_INIT;
	hr_error e = HR_ERROR_INIT;

	if (hr_yaml_write(&y, v, &e)) {
		hr_buf_free(&y);
		return fail(b, e.code, err, "%s: %s", origin, e.msg);
	}
	return add_file(b, origin, path, &y, mtime, has_mtime, err);
}

/* `s` quoted for a message (control characters escaped), into a static-size buffer. */
static const char *quoted(char *dst, size_t cap, const char *s, size_t len)
{
	hr_buf q = HR_BUF_INIT;

	if (len > 200)
		len = 200;
	if (hr_gojson_write_string(&q, s, len, HR_GOJSON_NO_HTML_ESCAPE))
		snprintf(dst, cap, "\"?\"");
	else
		snprintf(dst, cap, "%s", q.ptr);
	hr_buf_free(&q);
	return dst;
}

/* chart.templates or chart.files: [{name, data (base64), modtime}, ...] */
static int add_file_list(build *b, struct json_object *chart, const char *key, hr_error *err)
{
	struct json_object *arr = hr_release_member(chart, key);
	size_t n;

	if (!arr)
		return 0;
	if (!json_object_is_type(arr, json_type_array))
		return fail(b, HR_EFORMAT, err, "chart.%s is not a list", key);
	n = json_object_array_length(arr);
	for (size_t i = 0; i < n; i++) {
		struct json_object *f = json_object_array_get_idx(arr, i);
		struct json_object *name = hr_release_member(f, "name"), *data = hr_release_member(f, "data");
		char origin[64], q[512];
		const char *nm, *why;
		hr_buf bytes = HR_BUF_INIT;
		hr_error e = HR_ERROR_INIT;
		size_t nlen;
		int64_t mt = 0;
		int has = 0, r;

		snprintf(origin, sizeof(origin), "chart.%s[%zu]", key, i);
		if (!f || !json_object_is_type(f, json_type_object))
			return fail(b, HR_EFORMAT, err, "%s is not an object", origin);
		if (!name || !json_object_is_type(name, json_type_string))
			return fail(b, HR_EFORMAT, err, "%s has no name", origin);
		nm = json_object_get_string(name);
		nlen = (size_t)json_object_get_string_len(name);
		if ((why = path_problem(nm, nlen)))
			return fail(b, HR_EFORMAT, err, "%s %s: unsafe file name: %s", origin,
				    quoted(q, sizeof(q), nm, nlen), why);
		if (data && !json_object_is_type(data, json_type_string))
			return fail(b, HR_EFORMAT, err, "%s %s: data is not a base64 string", origin, nm);
		if (data && hr_base64_decode(&bytes, json_object_get_string(data),
					     (size_t)json_object_get_string_len(data), &e)) {
			hr_buf_free(&bytes);
			return fail(b, e.code, err, "%s %s: %s", origin, nm, e.msg);
		}
		mtime_of(hr_release_member_str(f, "modtime", NULL), &mt, &has);
		if ((r = add_file(b, origin, nm, &bytes, mt, has, err)))
			return r;
		if (!strcmp(key, "templates") && strncmp(nm, "templates/", 10) &&
		    (r = hr__chart_add_note(b->c, err, "%s \"%s\" is not under templates/: helm will load it as a plain file, not a template",
				  origin, nm)))
			return r;
	}
	return 0;
}

typedef struct path_ref {
	const char *path;
	size_t i;
} path_ref;

/* Byte order with '/' first, so "a", "a/b", "a-c": a file's children follow it directly. */
static int path_cmp(const void *x, const void *y)
{
	const unsigned char *a = (const unsigned char *)((const path_ref *)x)->path;
	const unsigned char *c = (const unsigned char *)((const path_ref *)y)->path;

	for (;; a++, c++) {
		unsigned ka = *a == '/' ? 1 : *a, kc = *c == '/' ? 1 : *c;

		if (ka != kc)
			return ka < kc ? -1 : 1;
		if (!ka)
			return 0;
	}
}

/* No two files at one path, no file that another needs as a directory. */
static int check_paths(build *b, hr_error *err)
{
	const hr_chart *c = b->c;
	path_ref *refs;
	int r = 0;

	if (c->nfiles < 2)
		return 0;
	if (!(refs = calloc(c->nfiles, sizeof(*refs))))
		return hr_error_set(err, HR_ENOMEM, "out of memory");
	for (size_t i = 0; i < c->nfiles; i++) {
		refs[i].path = c->files[i].path;
		refs[i].i = i;
	}
	qsort(refs, c->nfiles, sizeof(*refs), path_cmp);
	for (size_t k = 1; k < c->nfiles && !r; k++) {
		const path_ref *p = &refs[k - 1], *q = &refs[k];
		size_t pl = strlen(p->path);

		if (!strcmp(p->path, q->path)) {
			size_t first = p->i < q->i ? p->i : q->i, second = p->i < q->i ? q->i : p->i;

			r = fail(b, HR_EFORMAT, err, "%s \"%s\": unsafe file name: same path as %s", b->origin[second],
				 c->files[second].path, b->origin[first]);
		} else if (!strncmp(p->path, q->path, pl) && q->path[pl] == '/') {
			r = fail(b, HR_EFORMAT, err, "%s \"%s\": unsafe file name: %s \"%s\" is a file of that name",
				 b->origin[q->i], q->path, b->origin[p->i], p->path);
		}
	}
	free(refs);
	return r;
}

/* The lock entry a dependency came from: same repository (and version when that is ambiguous). */
static const char *lock_name_for(struct json_object *ldeps, struct json_object *dep)
{
	const char *repo = hr_release_member_str(dep, "repository", NULL);
	const char *ver = hr_release_member_str(dep, "version", NULL), *found = NULL;
	size_t n = ldeps && json_object_is_type(ldeps, json_type_array) ? json_object_array_length(ldeps) : 0;
	int hits = 0;

	for (int pass = 0; pass < 2 && hits != 1; pass++) {
		hits = 0;
		for (size_t i = 0; i < n; i++) {
			struct json_object *l = json_object_array_get_idx(ldeps, i);
			const char *lr = hr_release_member_str(l, "repository", NULL), *lv = hr_release_member_str(l, "version", NULL);

			if (!hr_release_member_str(l, "name", NULL) || strcmp(lr ? lr : "", repo ? repo : ""))
				continue;
			if (pass == 1 && strcmp(lv ? lv : "", ver ? ver : ""))
				continue;
			found = hr_release_member_str(l, "name", NULL);
			hits++;
		}
	}
	return hits == 1 ? found : NULL;
}

/*
 * metadata.dependencies as Chart.yaml should hold them: without the
 * `enabled` flags helm computed, with chart names helm overwrote by the
 * alias restored from chart.lock where possible.  *out NULL when none.
 */
static int fix_deps(build *b, struct json_object *meta, struct json_object *lock, struct json_object **out,
		    hr_error *err)
{
	struct json_object *deps = hr_release_member(meta, "dependencies"), *arr;
	struct json_object *ldeps = hr_release_member(lock, "dependencies");
	size_t n;
	int r = 0;

	*out = NULL;
	if (!deps)
		return 0;
	if (!json_object_is_type(deps, json_type_array))
		return fail(b, HR_EFORMAT, err, "chart.metadata.dependencies is not a list");
	if (!(arr = json_object_new_array()))
		return hr_error_set(err, HR_ENOMEM, "out of memory");
	n = json_object_array_length(deps);
	for (size_t i = 0; i < n && !r; i++) {
		struct json_object *d = json_object_array_get_idx(deps, i), *nd;
		const char *name = hr_release_member_str(d, "name", NULL), *alias = hr_release_member_str(d, "alias", NULL), *real;

		if (!d || !json_object_is_type(d, json_type_object)) {
			r = fail(b, HR_EFORMAT, err, "chart.metadata.dependencies[%zu] is not an object", i);
			break;
		}
		if (!(nd = json_object_new_object()) || json_object_array_add(arr, nd)) {
			json_object_put(nd);
			r = hr_error_set(err, HR_ENOMEM, "out of memory");
			break;
		}
		json_object_object_foreach(d, k, v) {
			if (strcmp(k, "enabled") && json_object_object_add(nd, k, json_object_get(v)))
				r = hr_error_set(err, HR_ENOMEM, "out of memory");
		}
		if (r || !alias || !*alias || !name || strcmp(name, alias))
			continue;
		real = lock_name_for(ldeps, d);
		if (real && strcmp(real, alias)) {
			if (json_object_object_add(nd, "name", json_object_new_string(real)))
				r = hr_error_set(err, HR_ENOMEM, "out of memory");
			else
				r = hr__chart_add_note(b->c, err, "dependency alias \"%s\": helm stored the alias as the chart name; "
					     "the name \"%s\" was taken back from chart.lock (check it)", alias, real);
		} else if (!real) {
			r = hr__chart_add_note(b->c, err, "dependency alias \"%s\": helm stored the alias in place of the chart name "
				     "and the record does not say what it was; set name: in Chart.yaml before "
				     "`helm dependency build`", alias);
		}
	}
	if (r)
		json_object_put(arr);
	else
		*out = arr;
	return r;
}

/* Chart.yaml's content: metadata with the fixed dependencies (none for v1 charts). */
static int chart_yaml_object(struct json_object *meta, struct json_object *deps, int v1, struct json_object **out,
			     hr_error *err)
{
	struct json_object *o = json_object_new_object();
	int r = 0;

	if (!o)
		return hr_error_set(err, HR_ENOMEM, "out of memory");
	json_object_object_foreach(meta, k, v) {
		struct json_object *val = strcmp(k, "dependencies") ? v : v1 ? NULL : deps;

		if (!strcmp(k, "dependencies") && !val)
			continue;
		if (json_object_object_add(o, k, json_object_get(val)))
			r = hr_error_set(err, HR_ENOMEM, "out of memory");
	}
	if (r) {
		json_object_put(o);
		return r;
	}
	*out = o;
	return 0;
}

static int check_chart_name(build *b, const char *name, hr_error *err)
{
	char q[512];

	if (!name || !*name)
		return fail(b, HR_EFORMAT, err, "chart.metadata.name is missing");
	if (path_problem(name, strlen(name)) || strchr(name, '/'))
		return fail(b, HR_EFORMAT, err, "chart.metadata.name %s: unsafe chart name: not a single path component",
			    quoted(q, sizeof(q), name, strlen(name)));
	return 0;
}

static int build_chart(build *b, struct json_object *rel, hr_error *err)
{
	hr_chart *c = b->c;
	struct json_object *chart = hr_release_member(rel, "chart"), *meta = hr_release_member(chart, "metadata");
	struct json_object *lock, *values, *schema;
	struct json_object *deps = NULL, *cy = NULL;
	const char *api;
	int64_t mt = 0;
	int has = 0, v1, r;

	if (!chart || !json_object_is_type(chart, json_type_object))
		return fail(b, HR_EFORMAT, err, "the release holds no chart");
	if (!meta || !json_object_is_type(meta, json_type_object))
		return fail(b, HR_EFORMAT, err, "chart.metadata is missing");
	if ((r = check_chart_name(b, hr_release_member_str(meta, "name", NULL), err)))
		return r;
	api = hr_release_member_str(meta, "apiVersion", NULL);
	if (!(c->name = strdup(hr_release_member_str(meta, "name", NULL))) ||
	    !(c->version = strdup(hr_release_member_str(meta, "version", ""))) ||
	    !(c->api_version = strdup(api && *api ? api : "v1")))
		return hr_error_set(err, HR_ENOMEM, "out of memory");
	v1 = !strcmp(c->api_version, "v1");
	lock = hr_release_member(chart, "lock");
	if (lock && !json_object_is_type(lock, json_type_object))
		return fail(b, HR_EFORMAT, err, "chart.lock is not an object");

	if ((r = fix_deps(b, meta, lock, &deps, err)) || (r = chart_yaml_object(meta, deps, v1, &cy, err)))
		goto out;
	mtime_of(hr_release_member_str(chart, "modtime", NULL), &mt, &has);
	if ((r = add_yaml(b, "chart.metadata", "Chart.yaml", cy, mt, has, err)))
		goto out;
	mtime_of(hr_release_member_str(lock, "generated", NULL), &mt, &has);
	if (lock && !v1 && (r = add_yaml(b, "chart.lock", "Chart.lock", lock, mt, has, err)))
		goto out;
	if ((values = hr_release_member(chart, "values"))) {
		if ((r = add_yaml(b, "chart.values", "values.yaml", values, 0, 0, err)))
			goto out;
		if ((r = hr__chart_add_note(c, err, "values.yaml and Chart.yaml are rebuilt from what helm parsed: "
				  "comments, blank lines and the original key order are lost")))
			goto out;
	}
	if ((schema = hr_release_member(chart, "schema"))) {
		hr_buf bytes = HR_BUF_INIT;
		hr_error e = HR_ERROR_INIT;

		if (!json_object_is_type(schema, json_type_string)) {
			r = fail(b, HR_EFORMAT, err, "chart.schema is not a base64 string");
			goto out;
		}
		if (hr_base64_decode(&bytes, json_object_get_string(schema), (size_t)json_object_get_string_len(schema), &e)) {
			hr_buf_free(&bytes);
			r = fail(b, e.code, err, "chart.schema: %s", e.msg);
			goto out;
		}
		mtime_of(hr_release_member_str(chart, "schemamodtime", NULL), &mt, &has);
		if ((r = add_file(b, "chart.schema", "values.schema.json", &bytes, mt, has, err)))
			goto out;
	}
	if ((r = add_file_list(b, chart, "templates", err)) || (r = add_file_list(b, chart, "files", err)))
		goto out;
	if (v1 && lock && !hr_chart_find(c, "requirements.lock")) {
		mtime_of(hr_release_member_str(lock, "generated", NULL), &mt, &has);
		if ((r = add_yaml(b, "chart.lock", "requirements.lock", lock, mt, has, err)))
			goto out;
	}
	if (v1 && deps && json_object_array_length(deps) && !hr_chart_find(c, "requirements.yaml")) {
		struct json_object *req = json_object_new_object();

		if (!req || json_object_object_add(req, "dependencies", json_object_get(deps))) {
			json_object_put(req);
			r = hr_error_set(err, HR_ENOMEM, "out of memory");
			goto out;
		}
		r = add_yaml(b, "chart.metadata.dependencies", "requirements.yaml", req, 0, 0, err);
		json_object_put(req);
		if (r)
			goto out;
	}
	if ((r = check_paths(b, err)))
		goto out;
	r = hr__chart_note_subcharts(c, rel, deps, lock, err);
out:
	json_object_put(cy);
	json_object_put(deps);
	return r;
}

int hr_chart_from_release(hr_chart **out, struct json_object *rel, const char *what, hr_error *err)
{
	build b = { NULL, NULL, 0, what ? what : "" };
	int r;

	*out = NULL;
	if (!(b.c = calloc(1, sizeof(*b.c))))
		return hr_error_set(err, HR_ENOMEM, "out of memory");
	r = build_chart(&b, rel, err);
	for (size_t i = 0; i < b.c->nfiles; i++)
		free(b.origin[i]);
	free(b.origin);
	if (r) {
		hr_chart_free(b.c);
		return r;
	}
	*out = b.c;
	return 0;
}

void hr_chart_free(hr_chart *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->nfiles; i++) {
		free(c->files[i].path);
		free(c->files[i].data);
	}
	for (size_t i = 0; i < c->nnotes; i++)
		free(c->notes[i]);
	for (size_t i = 0; i < c->nmissing; i++)
		free(c->missing[i]);
	free(c->files);
	free(c->notes);
	free(c->missing);
	free(c->name);
	free(c->version);
	free(c->api_version);
	free(c);
}

const hr_chart_file *hr_chart_find(const hr_chart *c, const char *path)
{
	for (size_t i = 0; c && i < c->nfiles; i++)
		if (!strcmp(c->files[i].path, path))
			return &c->files[i];
	return NULL;
}

int hr_chart_tgz_name(hr_buf *out, const hr_chart *c, hr_error *err)
{
	size_t start = out->len;
	char q[512];

	if (hr_buf_printf(out, "%s-%s.tgz", c->name, c->version))
		return hr_error_set(err, HR_ENOMEM, "out of memory");
	if (path_problem(out->ptr + start, out->len - start) || strchr(out->ptr + start, '/')) {
		hr_buf_truncate(out, start);
		return hr_error_set(err, HR_EFORMAT, "chart.metadata.version %s: unsafe in a file name",
				    quoted(q, sizeof(q), c->version, strlen(c->version)));
	}
	return 0;
}
