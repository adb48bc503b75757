/*
 * release.c — the JSON member helpers and the dotted-path readers over a
 * release JSON tree.
 */
#include "model/release.h"

#include <string.h>

struct json_object *hr_release_member(struct json_object *o, const char *key)
{
	struct json_object *v = NULL;

	if (!o || !json_object_is_type(o, json_type_object) || !json_object_object_get_ex(o, key, &v))
		return NULL;
	return v;
}

struct json_object *hr_release_member_type(struct json_object *o, const char *key, json_type type)
{
	struct json_object *v = hr_release_member(o, key);

	return v && json_object_is_type(v, type) ? v : NULL;
}

const char *hr_release_member_str(struct json_object *o, const char *key, const char *dflt)
{
	struct json_object *v = hr_release_member_type(o, key, json_type_string);

	return v ? json_object_get_string(v) : dflt;
}

int hr_release_add(struct json_object *o, const char *key, struct json_object *v)
{
	if (!v || json_object_object_add(o, key, v)) {
		json_object_put(v);
		return HR_ENOMEM;
	}
	return 0;
}

int hr_release_add_str(struct json_object *o, const char *key, const char *s)
{
	return hr_release_add(o, key, json_object_new_string(s ? s : ""));
}

int hr_release_add_copy(struct json_object *o, const char *key, struct json_object *v)
{
	struct json_object *c = NULL;

	if (v && json_object_deep_copy(v, &c, NULL))
		return HR_ENOMEM;
	if (json_object_object_add(o, key, c)) {
		json_object_put(c);
		return HR_ENOMEM;
	}
	return 0;
}

struct json_object *hr_release_get(struct json_object *rel, const char *path)
{
	struct json_object *cur = rel;
	char key[128];

	while (cur && *path) {
		const char *dot = strchr(path, '.');
		size_t len = dot ? (size_t)(dot - path) : strlen(path);

		if (len >= sizeof(key) || !json_object_is_type(cur, json_type_object))
			return NULL;
		memcpy(key, path, len);
		key[len] = '\0';
		if (!(cur = hr_release_member(cur, key)))
			return NULL;
		path += len + (dot ? 1 : 0);
	}
	return cur;
}

const char *hr_release_str(struct json_object *rel, const char *path)
{
	struct json_object *v = hr_release_get(rel, path);

	return v && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

const char *hr_release_str_nonempty(struct json_object *rel, const char *path)
{
	const char *s = hr_release_str(rel, path);

	return s && *s ? s : NULL;
}

int64_t hr_release_int(struct json_object *rel, const char *path, int64_t dflt)
{
	struct json_object *v = hr_release_get(rel, path);

	if (!v)
		return dflt;
	if (json_object_is_type(v, json_type_int))
		return json_object_get_int64(v);
	if (json_object_is_type(v, json_type_double))
		return (int64_t)json_object_get_double(v);
	return dflt;
}

int hr_release_writer_major(struct json_object *rel)
{
	if (hr_release_get(rel, "apply_method") || hr_release_get(rel, "chart.schemamodtime"))
		return 4;
	return 3;
}
