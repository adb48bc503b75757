/*
 * values.c — Helm's computed values and `helm get values` output.
 *
 * Coalescing follows Helm's CoalesceValues for a chart without sub-charts
 * (stored charts never carry them): the user's config is deep-copied and
 * the chart's values fill what the user did not set; a user null removes
 * a default.  Helm 3.17 and 4.1 differ in one nested case (user null over
 * a null default), selected by helm_major.  The printers reproduce Helm's
 * output.EncodeYAML (sigs.k8s.io/yaml, see yaml.c) and output.EncodeJSON
 * (json.Encoder: compact, Go map order, HTML escaping, newline).
 */
#include "render/values.h"
#include "model/release.h"
#include "codec/gojson.h"
#include "render/yaml.h"
#include "render/yaml_int.h"
#include "util/gostrconv.h"

#include <stdlib.h>
#include <string.h>

/* ---- coalescing --------------------------------------------------------- */

static int is_table(struct json_object *v)
{
	return json_object_is_type(v, json_type_object);
}

/* coalesceTablesFullKey(dst, src, merge=false): dst (user side) wins. */
static int coalesce_tables(struct json_object *dst, struct json_object *src, int major,
			   int depth, hr_error *err)
{
	int rc = 0;

	if (depth > 1000)
		return hr_error_set(err, HR_EINVAL, "values nested too deeply");
	{
		json_object_object_foreach(src, key, val) {
			struct json_object *dv = NULL;
			int has = json_object_object_get_ex(dst, key, &dv);

			if (has && !dv) {
				/* user null: removes a non-null default; over a null
				 * default helm 3 removes it, helm 4.0/4.1 keep it */
				if (val || major < 4)
					json_object_object_del(dst, key);
			} else if (!has) {
				rc = hr_release_add_copy(dst, key, val);
			} else if (is_table(val) && is_table(dv)) {
				rc = coalesce_tables(dv, val, major, depth + 1, err);
			}
			/* map vs non-map: Helm warns and keeps the user value */
			if (rc)
				return rc;
		}
	}
	return 0;
}

int hr_values_coalesce(struct json_object **out, struct json_object *chart_values,
		       struct json_object *config, int helm_major, hr_error *err)
{
	struct json_object *v = NULL;
	int rc = 0;

	*out = NULL;
	if (is_table(config)) {
		if (json_object_deep_copy(config, &v, NULL)) {
			rc = hr_error_set(err, HR_ENOMEM, "values: out of memory");
			goto done;
		}
	} else {
		v = json_object_new_object();
		if (!v) {
			rc = hr_error_set(err, HR_ENOMEM, "values: out of memory");
			goto done;
		}
	}
	if (is_table(chart_values)) {
		json_object_object_foreach(chart_values, key, val) {
			struct json_object *uv = NULL;

			if (!json_object_object_get_ex(v, key, &uv))
				rc = hr_release_add_copy(v, key, val);
			else if (!uv)
				json_object_object_del(v, key);
			else if (is_table(uv) && is_table(val))
				rc = coalesce_tables(uv, val, helm_major, 1, err);
			if (rc)
				break;
		}
	}
	if (rc) {
		if (rc == HR_ENOMEM)
			hr_error_set(err, rc, "values: out of memory");
		goto done;
	}
	*out = v;
	v = NULL;
done:
	json_object_put(v);
	return rc;
}

/* ---- Go map order for JSON ---------------------------------------------- */

typedef struct kv {
	const char *key;
	struct json_object *val;
} kv;

static int kv_cmp(const void *a, const void *b)
{
	return strcmp(((const kv *)a)->key, ((const kv *)b)->key);
}

int hr_values_sort(struct json_object *v)
{
	size_t n, i = 0, j;
	kv *items = NULL;
	int rc = 0;

	if (json_object_is_type(v, json_type_array)) {
		for (j = 0; !rc && j < json_object_array_length(v); j++)
			rc = hr_values_sort(json_object_array_get_idx(v, j));
		return rc;
	}
	if (!is_table(v) || !(n = (size_t)json_object_object_length(v)))
		return 0;
	items = calloc(n, sizeof(*items));
	if (!items)
		return HR_ENOMEM;
	{
		json_object_object_foreach(v, key, val) {
			char *k = i < n ? strdup(key) : NULL;

			if (!k) {
				rc = HR_ENOMEM;
				goto done;
			}
			items[i].key = k;
			items[i++].val = json_object_get(val);
		}
	}
	qsort(items, i, sizeof(*items), kv_cmp);
	for (j = 0; j < i; j++)
		json_object_object_del(v, items[j].key);
	for (j = 0; !rc && j < i; j++) {
		/* on success the object takes over our reference */
		if (json_object_object_add(v, items[j].key, items[j].val)) {
			rc = HR_ENOMEM;
			break;
		}
		rc = hr_values_sort(items[j].val);
		items[j].val = NULL;
	}
done:
	for (j = 0; j < i; j++) {
		free((char *)items[j].key);
		json_object_put(items[j].val);
	}
	free(items);
	return rc;
}

/* ---- Go encoding/json --------------------------------------------------- */

/*
 * Strings as Go's encoder writes them; numbers are NOT written from their
 * text (unlike hr_gojson_write): helm decoded the values into float64 and
 * re-encodes those, so 1000000 prints as 1e+06.
 */
static int json_string(hr_buf *out, const char *s, size_t len)
{
	return hr_gojson_write_string(out, s, len, 0);
}

static int json_value(hr_buf *out, struct json_object *v, int depth, hr_error *err)
{
	size_t i, n;
	int rc = 0;

	if (depth > 1000)
		return hr_error_set(err, HR_EINVAL, "json: value nested too deeply");
	switch (json_object_get_type(v)) {
	case json_type_null:
		return hr_buf_puts(out, "null");
	case json_type_boolean:
		return hr_buf_puts(out, json_object_get_boolean(v) ? "true" : "false");
	case json_type_int:
	case json_type_double:
		rc = hr_go_json_float(out, json_object_get_double(v));
		if (rc == HR_EINVAL)
			return hr_error_set(err, rc, "json: unsupported value: %g",
					    json_object_get_double(v));
		return rc;
	case json_type_string:
		return json_string(out, json_object_get_string(v),
				   (size_t)json_object_get_string_len(v));
	case json_type_array:
		rc = hr_buf_putc(out, '[');
		n = json_object_array_length(v);
		for (i = 0; !rc && i < n; i++) {
			if (i)
				rc = hr_buf_putc(out, ',');
			rc = rc ? rc : json_value(out, json_object_array_get_idx(v, i), depth + 1, err);
		}
		return rc ? rc : hr_buf_putc(out, ']');
	case json_type_object: {
		kv *items;

		n = (size_t)json_object_object_length(v);
		items = calloc(n ? n : 1, sizeof(*items));
		if (!items)
			return HR_ENOMEM;
		i = 0;
		{
			json_object_object_foreach(v, key, val) {
				if (i >= n)
					break;
				items[i].key = key;
				items[i++].val = val;
			}
		}
		qsort(items, i, sizeof(*items), kv_cmp);
		rc = hr_buf_putc(out, '{');
		for (n = 0; !rc && n < i; n++) {
			if (n)
				rc = hr_buf_putc(out, ',');
			rc = rc ? rc : json_string(out, items[n].key, strlen(items[n].key));
			rc = rc ? rc : hr_buf_putc(out, ':');
			rc = rc ? rc : json_value(out, items[n].val, depth + 1, err);
		}
		free(items);
		return rc ? rc : hr_buf_putc(out, '}');
	}
	default:
		return hr_error_set(err, HR_EINVAL, "json: unsupported json-c type");
	}
}

int hr_values_write_json(hr_buf *out, struct json_object *v, hr_error *err)
{
	size_t n0 = out->len;
	int rc;

	rc = json_value(out, v, 0, err);
	rc = rc ? rc : hr_buf_putc(out, '\n');
	return hr_yaml__undo(out, n0, rc, "json", err);
}

/* ---- get values ----------------------------------------------------------- */

int hr_render_get_values(hr_buf *out, struct json_object *release, int all, const char *fmt,
			 int helm_major, hr_error *err)
{
	struct json_object *config = NULL, *chart = NULL, *cv = NULL, *vals = NULL;
	size_t n0 = out->len;
	int rc = 0, table;

	if (!fmt)
		fmt = "table";
	table = !strcmp(fmt, "table");
	if (!table && strcmp(fmt, "json") && strcmp(fmt, "yaml"))
		return hr_error_set(err, HR_EINVAL, "invalid format type \"%s\"", fmt);
	json_object_object_get_ex(release, "config", &config);
	if (all) {
		if (json_object_object_get_ex(release, "chart", &chart))
			json_object_object_get_ex(chart, "values", &cv);
		rc = hr_values_coalesce(&vals, cv, config, helm_major, err);
		if (rc)
			goto done;
	} else {
		vals = json_object_get(config);
	}
	if (table)
		rc = hr_buf_puts(out, all ? "COMPUTED VALUES:\n" : "USER-SUPPLIED VALUES:\n");
	if (rc)
		goto done;
	if (!strcmp(fmt, "json"))
		rc = hr_values_write_json(out, vals, err);
	else
		rc = hr_yaml_write(out, vals, err);
done:
	if (rc) {
		if (rc == HR_ENOMEM && err && !err->code)
			hr_error_set(err, rc, "get values: out of memory");
		if (out->ptr)
			hr_buf_truncate(out, n0);
	}
	json_object_put(vals);
	return rc;
}
