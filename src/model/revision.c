/*
 * revision.c — revision summaries: reading one out of a release tree, and
 * freeing the arrays the index fills (see revision.h for who owns what).
 */
#include "model/revision.h"
#include "model/release.h"

#include <stdlib.h>
#include <string.h>

static const char *nonempty(const char *s)
{
	return s && *s ? s : NULL;
}

void hr_rev_summary_from_json(hr_rev_summary *out, struct json_object *rel)
{
	struct json_object *info, *meta, *v;

	memset(out, 0, sizeof(*out));
	if (!rel)
		return;
	out->name = hr_release_member_str(rel, "name", NULL);
	out->namespace = hr_release_member_str(rel, "namespace", NULL);
	if (json_object_object_get_ex(rel, "version", &v))
		out->version = json_object_get_int64(v);
	if ((info = hr_release_member_type(rel, "info", json_type_object))) {
		out->status = hr_release_member_str(info, "status", NULL);
		out->description = hr_release_member_str(info, "description", NULL);
		out->first_deployed = nonempty(hr_release_member_str(info, "first_deployed", NULL));
		out->last_deployed = nonempty(hr_release_member_str(info, "last_deployed", NULL));
	}
	if ((meta = hr_release_member_type(hr_release_member_type(rel, "chart", json_type_object), "metadata",
					   json_type_object))) {
		out->has_chart = 1;
		out->chart_name = hr_release_member_str(meta, "name", NULL);
		out->chart_version = hr_release_member_str(meta, "version", NULL);
		out->app_version = hr_release_member_str(meta, "appVersion", NULL);
	}
}

/* Free the strings of one index-filled summary (one block, or each strdup'd: const only to readers). */
static void summary_release(hr_rev_summary *r)
{
	if (r->strings) {
		free(r->strings);
		memset(r, 0, sizeof(*r));
		return;
	}
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
