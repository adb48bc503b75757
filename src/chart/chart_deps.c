/*
 * chart_deps.c — name the sub-charts a recovered chart lacks.
 *
 * Helm never stores sub-charts (the chart's dependency list is an
 * unexported Go field), so charts/ always comes back empty.  What the
 * record does keep are traces of them: metadata.dependencies, chart.lock,
 * for apiVersion v1 charts requirements.yaml/requirements.lock among the
 * files, and — the only trace of a sub-chart vendored under charts/
 * without being declared — the "# Source: CHART/charts/SUB/..." comments
 * of the stored manifest and the paths of the stored hooks.  This file
 * gathers them into one list so the user is told exactly what to restore.
 */
#include "chart/chart_int.h"
#include "util/array.h"
#include "model/release.h"

#include <stdlib.h>
#include <string.h>
#include <yaml.h>

typedef struct dep {
	char *name, *version, *repo, *alias;
	int rendered_only;   /* seen only in the manifest/hooks */
} dep;

typedef struct deplist {
	dep *d;
	size_t n, cap;
} deplist;

static int set_str(char **dst, const char *s, size_t len)
{
	if (*dst || !s || !len)
		return 0;
	if (!(*dst = malloc(len + 1)))
		return HR_ENOMEM;
	memcpy(*dst, s, len);
	(*dst)[len] = 0;
	return 0;
}

/* Find or add the entry for `name` (an alias matches too); fill what it lacks. */
static int remember(deplist *l, const char *name, size_t nlen, const char *version, const char *repo,
		    const char *alias, int rendered_only)
{
	dep *e = NULL;

	if (!name || !nlen)
		return 0;
	for (size_t i = 0; i < l->n && !e; i++)
		if ((strlen(l->d[i].name) == nlen && !memcmp(l->d[i].name, name, nlen)) ||
		    (l->d[i].alias && strlen(l->d[i].alias) == nlen && !memcmp(l->d[i].alias, name, nlen)))
			e = &l->d[i];
	if (!e) {
		if (HR_ARRAY_GROW(l->d, l->n + 1, l->cap))
			return HR_ENOMEM;
		e = &l->d[l->n++];
		memset(e, 0, sizeof(*e));
		e->rendered_only = rendered_only;
		if (set_str(&e->name, name, nlen))
			return HR_ENOMEM;
	}
	if (!rendered_only)
		e->rendered_only = 0;
	if ((version && set_str(&e->version, version, strlen(version))) ||
	    (repo && set_str(&e->repo, repo, strlen(repo))) || (alias && set_str(&e->alias, alias, strlen(alias))))
		return HR_ENOMEM;
	return 0;
}

static int from_json_list(deplist *l, struct json_object *arr)
{
	size_t n = arr && json_object_is_type(arr, json_type_array) ? json_object_array_length(arr) : 0;
	int r = 0;

	for (size_t i = 0; i < n && !r; i++) {
		struct json_object *d = json_object_array_get_idx(arr, i);
		const char *name = hr_release_member_str(d, "name", NULL);

		if (name)
			r = remember(l, name, strlen(name), hr_release_member_str(d, "version", NULL),
				     hr_release_member_str(d, "repository", NULL), hr_release_member_str(d, "alias", NULL), 0);
	}
	return r;
}

/* The scalar value of `key` in mapping node `m`, or NULL. */
static yaml_node_t *map_get(yaml_document_t *doc, yaml_node_t *m, const char *key)
{
	if (!m || m->type != YAML_MAPPING_NODE)
		return NULL;
	for (yaml_node_pair_t *p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(doc, p->key);

		if (k && k->type == YAML_SCALAR_NODE && k->data.scalar.length == strlen(key) &&
		    !memcmp(k->data.scalar.value, key, k->data.scalar.length))
			return yaml_document_get_node(doc, p->value);
	}
	return NULL;
}

static char *scalar_dup(yaml_node_t *n)
{
	char *s;

	if (!n || n->type != YAML_SCALAR_NODE || !(s = malloc(n->data.scalar.length + 1)))
		return NULL;
	memcpy(s, n->data.scalar.value, n->data.scalar.length);
	s[n->data.scalar.length] = 0;
	return s;
}

/*
 * dependencies[] of a requirements.yaml / requirements.lock file.  A file
 * that does not parse is not an error here: it is written back as stored
 * and helm will complain about it; it just gives no names.
 */
static int from_requirements(deplist *l, const hr_chart_file *f)
{
	yaml_parser_t p;
	yaml_document_t doc;
	yaml_node_t *seq;
	int r = 0;

	if (!f || !f->len)
		return 0;
	if (!yaml_parser_initialize(&p))
		return HR_ENOMEM;
	yaml_parser_set_input_string(&p, f->data, f->len);
	if (!yaml_parser_load(&p, &doc)) {
		yaml_parser_delete(&p);
		return 0;
	}
	seq = map_get(&doc, yaml_document_get_root_node(&doc), "dependencies");
	if (seq && seq->type == YAML_SEQUENCE_NODE) {
		for (yaml_node_item_t *it = seq->data.sequence.items.start; it < seq->data.sequence.items.top && !r; it++) {
			yaml_node_t *m = yaml_document_get_node(&doc, *it);
			char *name = scalar_dup(map_get(&doc, m, "name")), *ver = scalar_dup(map_get(&doc, m, "version"));
			char *repo = scalar_dup(map_get(&doc, m, "repository")), *alias = scalar_dup(map_get(&doc, m, "alias"));

			if (name)
				r = remember(l, name, strlen(name), ver, repo, alias, 0);
			free(name);
			free(ver);
			free(repo);
			free(alias);
		}
	}
	yaml_document_delete(&doc);
	yaml_parser_delete(&p);
	return r;
}

/* SUB of "CHART/charts/SUB/..." in a render path (`p`, `len` bytes), remembered as rendered. */
static int from_path(deplist *l, const char *chart, const char *p, size_t len)
{
	size_t cl = strlen(chart), k;

	if (len < cl + 8 || memcmp(p, chart, cl) || memcmp(p + cl, "/charts/", 8))
		return 0;
	p += cl + 8;
	len -= cl + 8;
	for (k = 0; k < len && p[k] != '/'; k++)
		;
	if (k == len || !k)
		return 0;
	return remember(l, p, k, NULL, NULL, NULL, 1);
}

static int from_release(deplist *l, const char *chart, struct json_object *rel)
{
	static const char src[] = "# Source: ";
	const char *m = hr_release_member_str(rel, "manifest", NULL), *line, *end;
	struct json_object *hooks;
	int r = 0;

	for (line = m; line && *line && !r; line = end ? end + 1 : NULL) {
		end = strchr(line, '\n');
		if (!strncmp(line, src, sizeof(src) - 1))
			r = from_path(l, chart, line + sizeof(src) - 1,
				      (end ? (size_t)(end - line) : strlen(line)) - (sizeof(src) - 1));
	}
	if ((hooks = hr_release_member_type(rel, "hooks", json_type_array)))
		for (size_t i = 0; i < json_object_array_length(hooks) && !r; i++) {
			const char *p = hr_release_member_str(json_object_array_get_idx(hooks, i), "path", NULL);

			if (p)
				r = from_path(l, chart, p, strlen(p));
		}
	return r;
}

static void deplist_free(deplist *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->d[i].name);
		free(l->d[i].version);
		free(l->d[i].repo);
		free(l->d[i].alias);
	}
	free(l->d);
}

static int add_missing(hr_chart *c, const dep *d)
{
	hr_buf s = HR_BUF_INIT;

	if (hr_buf_printf(&s, "%s%s%s", d->name, d->version ? " " : "", d->version ? d->version : "") ||
	    HR_ARRAY_GROW(c->missing, c->nmissing + 1, c->capmissing)) {
		hr_buf_free(&s);
		return HR_ENOMEM;
	}
	c->missing[c->nmissing++] = hr_buf_detach(&s, NULL);
	return 0;
}

int hr__chart_note_subcharts(hr_chart *c, struct json_object *rel, struct json_object *deps,
			     struct json_object *lock, hr_error *err)
{
	deplist l = { NULL, 0, 0 };
	hr_buf list = HR_BUF_INIT;
	struct json_object *ldeps = NULL;
	int r, declared = 0;

	ldeps = hr_release_member(lock, "dependencies");
	/* The lock first: it has the exact versions `helm dependency build` will fetch. */
	r = from_json_list(&l, ldeps);
	if (!r)
		r = from_json_list(&l, deps);
	if (!r)
		r = from_requirements(&l, hr_chart_find(c, "requirements.lock"));
	if (!r)
		r = from_requirements(&l, hr_chart_find(c, "requirements.yaml"));
	if (!r)
		r = from_release(&l, c->name, rel);
	for (size_t i = 0; i < l.n && !r; i++) {
		const dep *d = &l.d[i];

		declared += !d->rendered_only;
		r = add_missing(c, d);
		if (!r)
			r = hr_buf_printf(&list, "%s%s%s%s%s%s%s", i ? ", " : "", d->name, d->version ? " " : "",
					  d->version ? d->version : "", d->repo ? " (" : "", d->repo ? d->repo : "",
					  d->repo ? ")" : d->rendered_only ? " (rendered in the manifest, not declared)" : "");
	}
	if (r)
		goto nomem;
	if (l.n)
		r = hr__chart_add_note(c, err, "sub-charts are not stored in Helm release records: charts/ is missing %s; %s",
				       list.ptr, declared == (int)l.n
				       ? "run `helm dependency build` in the chart directory (it needs the charts' "
					 "repositories) before helm template/install/package"
				       : "put the missing charts under charts/ (`helm dependency build` fetches only "
					 "declared dependencies) before helm template/install/package");
	if (!r && declared)
		r = hr__chart_add_note(c, err, "helm merges the sub-charts' default values into the chart's values before "
				       "storing them, so values.yaml may also carry sub-chart defaults (and global: {})");
	deplist_free(&l);
	hr_buf_free(&list);
	return r;
nomem:
	deplist_free(&l);
	hr_buf_free(&list);
	return hr_error_set(err, HR_ENOMEM, "out of memory");
}
