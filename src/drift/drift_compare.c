/*
 * drift_compare.c — the field comparison of `helmrec drift` (drift.h,
 * docs/drift.md): walk a manifest document against its live object,
 * comparing only the fields the manifest sets (named lists by name, other
 * arrays by index, numbers by value), record each difference under its
 * JSON pointer path with Secret values masked, and name the managedFields
 * owners of each differing field.  Which resources and releases are judged,
 * and orphans, are drift.c.
 */
#include "drift/drift.h"
#include "drift/drift_int.h"
#include "codec/codec.h"
#include "index/live.h"
#include "util/array.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int is_number(struct json_object *v)
{
	return json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double);
}

/* Scalars equal as Kubernetes would hold them (numbers by value, "80" == 80). */
static int scalar_equal(struct json_object *m, struct json_object *l)
{
	if (is_number(m) && is_number(l))
		return json_object_get_double(m) == json_object_get_double(l) ||
		       json_object_get_int64(m) == json_object_get_int64(l);
	if (json_object_get_type(m) == json_object_get_type(l) || is_number(m) || is_number(l)) {
		const char *a = json_object_get_string(m), *b = json_object_get_string(l);

		if (is_number(m) && floor(json_object_get_double(m)) == json_object_get_double(m) &&
		    fabs(json_object_get_double(m)) < 1e15) {
			char buf[32];

			snprintf(buf, sizeof(buf), "%lld", (long long)json_object_get_double(m));
			return !strcmp(buf, b ? b : "");
		}
		return a && b && !strcmp(a, b);
	}
	return 0;
}

/* What the API server leaves out when the manifest sets it empty (omitempty). */
static int empty_value(struct json_object *m)
{
	switch (json_object_get_type(m)) {
	case json_type_null: return 1;
	case json_type_object: return json_object_object_length(m) == 0;
	case json_type_array: return json_object_array_length(m) == 0;
	case json_type_string: return json_object_get_string_len(m) == 0;
	case json_type_boolean: return !json_object_get_boolean(m);
	case json_type_int: return json_object_get_int64(m) == 0;
	case json_type_double: return json_object_get_double(m) == 0;
	}
	return 0;
}

static int path_owned(const char *fields, const char *path)
{
	size_t pl = strlen(path);

	for (const char *line = fields; line && *line;) {
		const char *nl = strchr(line, '\n');
		size_t ll = nl ? (size_t)(nl - line) : strlen(line);

		if (ll == pl && !strncmp(line, path, pl))
			return 1;
		if (ll < pl && !strncmp(line, path, ll) && path[ll] == '/' && ll > 0)
			return 1;
		if (ll > pl && !strncmp(line, path, pl) && line[pl] == '/')
			return 1;
		line = nl ? nl + 1 : NULL;
	}
	return 0;
}

static void add_diff(hr_drift_cmp *c, const char *path, struct json_object *m, struct json_object *l)
{
	hr_drift_item *it = c->it;
	hr_drift_diff *d;
	int mask = c->secret && (!strncmp(path, "/data", 5) || !strncmp(path, "/stringData", 11));

	if (HR_ARRAY_GROW(it->diffs, it->ndiffs + 1, it->diffs_alloc)) {
		c->oom = 1;
		return;
	}
	d = &it->diffs[it->ndiffs++];
	memset(d, 0, sizeof(*d));
	d->path = hr_drift_dup(path, &c->oom);
	if (m)
		d->stored = hr_drift_dup(mask ? HR_DRIFT_MASKED : json_object_to_json_string_ext(m, JSON_C_TO_STRING_PLAIN |
											   JSON_C_TO_STRING_NOSLASHESCAPE), &c->oom);
	if (l)
		d->live = hr_drift_dup(mask ? HR_DRIFT_MASKED : json_object_to_json_string_ext(l, JSON_C_TO_STRING_PLAIN |
											  JSON_C_TO_STRING_NOSLASHESCAPE), &c->oom);
	for (size_t i = 0; c->row && i < c->row->nmanagers; i++) {
		const hr_live_manager *mg = &c->row->managers[i];
		int seen = 0;

		if (!path_owned(mg->fields, path))
			continue;
		for (size_t k = 0; k < d->nmanagers && !seen; k++)
			seen = !strcmp(d->managers[k], mg->manager);
		if (seen)
			continue;
		{
			char **grown = realloc(d->managers, (d->nmanagers + 1) * sizeof(*grown));

			if (!grown) {
				c->oom = 1;
				return;
			}
			d->managers = grown;
			d->managers[d->nmanagers++] = hr_drift_dup(mg->manager, &c->oom);
		}
	}
}

/* Append "/" + key escaped as a JSON pointer token. */
static int push_token(hr_buf *p, const char *key)
{
	int rc = hr_buf_putc(p, '/');

	for (const char *c = key; *c && !rc; c++)
		rc = *c == '~' ? hr_buf_puts(p, "~0") : *c == '/' ? hr_buf_puts(p, "~1") : hr_buf_putc(p, *c);
	return rc;
}


/* Every element of `a` an object with a string "name": Kubernetes merges such lists by name. */
static int named_list(struct json_object *a)
{
	size_t n = json_object_array_length(a);

	for (size_t i = 0; i < n; i++) {
		struct json_object *name = NULL;

		if (!json_object_object_get_ex(json_object_array_get_idx(a, i), "name", &name) ||
		    !json_object_is_type(name, json_type_string))
			return 0;
	}
	return n > 0;
}

static void compare_array(hr_drift_cmp *c, struct json_object *m, struct json_object *l, hr_buf *path, int depth)
{
	size_t n = json_object_array_length(m), ln = json_object_array_length(l);
	size_t base = path->len;
	char idx[32];

	if (named_list(m)) {
		for (size_t i = 0; i < n && !c->oom; i++) {
			struct json_object *me = json_object_array_get_idx(m, i), *mn = NULL;
			size_t k;

			json_object_object_get_ex(me, "name", &mn);
			for (k = 0; k < ln; k++) {
				struct json_object *ln_ = NULL;

				if (json_object_object_get_ex(json_object_array_get_idx(l, k), "name", &ln_) &&
				    !strcmp(json_object_get_string(ln_), json_object_get_string(mn)))
					break;
			}
			snprintf(idx, sizeof(idx), "%zu", k < ln ? k : i);
			if (hr_buf_putc(path, '/') || hr_buf_puts(path, idx)) {
				c->oom = 1;
				return;
			}
			if (k < ln)
				hr_drift_compare(c, me, json_object_array_get_idx(l, k), path, depth + 1);
			else
				add_diff(c, path->ptr, me, NULL);
			hr_buf_truncate(path, base);
		}
		return;
	}
	if (n != ln) {
		add_diff(c, path->ptr, m, l);
		return;
	}
	for (size_t i = 0; i < n && !c->oom; i++) {
		snprintf(idx, sizeof(idx), "%zu", i);
		if (hr_buf_putc(path, '/') || hr_buf_puts(path, idx)) {
			c->oom = 1;
			return;
		}
		hr_drift_compare(c, json_object_array_get_idx(m, i), json_object_array_get_idx(l, i), path, depth + 1);
		hr_buf_truncate(path, base);
	}
}

/* Compare the fields manifest node `m` sets with live node `l` (NULL = absent) at `path`. */
void hr_drift_compare(hr_drift_cmp *c, struct json_object *m, struct json_object *l, hr_buf *path, int depth)
{
	if (c->oom || depth > 100)
		return;
	if (!l || json_object_is_type(l, json_type_null)) {
		if (m && !empty_value(m))
			add_diff(c, path->ptr, m, NULL);
		return;
	}
	if (!m || json_object_is_type(m, json_type_null))
		return;        /* null in a manifest unsets: nothing is asked of the live value */
	if (json_object_is_type(m, json_type_object)) {
		if (!json_object_is_type(l, json_type_object)) {
			add_diff(c, path->ptr, m, l);
			return;
		}
		json_object_object_foreach(m, k, mv) {
			struct json_object *lv = NULL;
			size_t base = path->len;

			json_object_object_get_ex(l, k, &lv);
			if (push_token(path, k)) {
				c->oom = 1;
				return;
			}
			hr_drift_compare(c, mv, lv, path, depth + 1);
			hr_buf_truncate(path, base);
		}
		return;
	}
	if (json_object_is_type(m, json_type_array)) {
		if (!json_object_is_type(l, json_type_array))
			add_diff(c, path->ptr, m, l);
		else
			compare_array(c, m, l, path, depth);
		return;
	}
	if (!scalar_equal(m, l))
		add_diff(c, path->ptr, m, l);
}

/* A Secret's stringData as the API server stores it: base64 into data. */
int hr_drift_fold_string_data(struct json_object *doc)
{
	struct json_object *sd = NULL, *data = NULL;

	if (!json_object_object_get_ex(doc, "stringData", &sd) || !json_object_is_type(sd, json_type_object))
		return 0;
	if (!json_object_object_get_ex(doc, "data", &data) || !json_object_is_type(data, json_type_object)) {
		data = json_object_new_object();
		if (!data || json_object_object_add(doc, "data", data))
			return HR_ENOMEM;
	}
	json_object_object_foreach(sd, k, v) {
		hr_buf b = HR_BUF_INIT;
		const char *s = json_object_get_string(v);
		struct json_object *enc;

		if (hr_base64_encode(&b, s ? s : "", s ? strlen(s) : 0)) {
			hr_buf_free(&b);
			return HR_ENOMEM;
		}
		enc = json_object_new_string(hr_buf_cstr(&b));
		hr_buf_free(&b);
		if (!enc || json_object_object_add(data, k, enc))
			return HR_ENOMEM;
	}
	json_object_object_del(doc, "stringData");
	return 0;
}
