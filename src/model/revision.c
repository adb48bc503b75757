/*
 * revision.c — revision summaries: reading one out of a release tree, and
 * freeing the arrays the index fills (see revision.h for who owns what).
 */
#include "model/revision.h"

#include <stdlib.h>
#include <string.h>

static const char *get_str(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!o || !json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

static const char *nonempty(const char *s)
{
	return s && *s ? s : NULL;
}

void hr_rev_summary_from_json(hr_rev_summary *out, struct json_object *rel)
{
	struct json_object *info = NULL, *chart = NULL, *meta = NULL, *v;

	memset(out, 0, sizeof(*out));
	if (!rel)
		return;
	out->name = get_str(rel, "name");
	out->namespace = get_str(rel, "namespace");
	if (json_object_object_get_ex(rel, "version", &v))
		out->version = json_object_get_int64(v);
	if (json_object_object_get_ex(rel, "info", &info) && json_object_is_type(info, json_type_object)) {
		out->status = get_str(info, "status");
		out->description = get_str(info, "description");
		out->first_deployed = nonempty(get_str(info, "first_deployed"));
		out->last_deployed = nonempty(get_str(info, "last_deployed"));
	}
	if (json_object_object_get_ex(rel, "chart", &chart) && json_object_is_type(chart, json_type_object) &&
	    json_object_object_get_ex(chart, "metadata", &meta) && json_object_is_type(meta, json_type_object)) {
		out->has_chart = 1;
		out->chart_name = get_str(meta, "name");
		out->chart_version = get_str(meta, "version");
		out->app_version = get_str(meta, "appVersion");
	}
}

/* Free the strings of one index-filled summary (they were strdup'd: const only to readers). */
static void summary_release(hr_rev_summary *r)
{
	free((char *)r->namespace);
	free((char *)r->name);
	free((char *)r->status);
	free((char *)r->chart_name);
	free((char *)r->chart_version);
	free((char *)r->app_version);
	free((char *)r->description);
	free((char *)r->first_deployed);
	free((char *)r->last_deployed);
	free((char *)r->deleted);
	free((char *)r->apply_method);
	free((char *)r->driver);
	memset(r, 0, sizeof(*r));
}

void hr_rev_summaries_free(hr_rev_summary *revs, size_t n)
{
	for (size_t i = 0; revs && i < n; i++)
		summary_release(&revs[i]);
	free(revs);
}

void hr_revisions_free(hr_revision *revs, size_t n)
{
	for (size_t i = 0; revs && i < n; i++) {
		summary_release(&revs[i].sum);
		json_object_put(revs[i].rel);
		json_object_put(revs[i].labels);
	}
	free(revs);
}
