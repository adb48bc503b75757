/*
 * repair_map.c — the apiVersion rewrite of `helmrec repair --map-apis`
 * (repair.h, docs/repair.md): which (apiVersion, kind) the deprecation
 * table (model/kubeapi.h) maps at a target Kubernetes version, and the
 * rewrite of a stored manifest and its hook manifests.  The manifest is
 * split as helm does (model/manifest.h), each document's head is read with
 * libyaml and only the value on its top-level apiVersion line is replaced;
 * every other byte is copied.  The plan that records the result is
 * repair.c.
 */
#include "repair/repair.h"
#include "repair/repair_int.h"
#include "model/kubeapi.h"
#include "model/manifest.h"
#include "model/release.h"
#include "util/array.h"

#include <stdlib.h>
#include <string.h>

/* ---- the apiVersion rewrite ---- */

/* Does table entry `d` apply at the target (0.0 = every entry)? *removed: removed there. */
static int applies(const hr_deprecation *d, int kmaj, int kmin, int *removed)
{
	if (!kmaj && !kmin) {
		*removed = 1;
		return 1;
	}
	*removed = d->rem_major < kmaj || (d->rem_major == kmaj && d->rem_minor <= kmin);
	return *removed || d->dep_major < kmaj || (d->dep_major == kmaj && d->dep_minor <= kmin);
}

/* The apiVersion `api` of `kind` maps to at the target (following replacements that are deprecated too), or NULL. */
static const char *mapped_api(const char *api, const char *kind, int kmaj, int kmin, int *removed)
{
	const hr_deprecation *d = hr_deprecation_find(api, kind);
	const char *to = NULL;
	int r = 0, first = 1;

	*removed = 0;
	for (int hop = 0; d && d->replacement[0] && applies(d, kmaj, kmin, &r) && hop < 8; hop++) {
		if (first)
			*removed = r;
		first = 0;
		to = d->replacement;
		d = hr_deprecation_find(to, kind);
	}
	return to;
}

/*
 * Find the value of the top-level `apiVersion:` line in doc[0, len): a line
 * starting in column 0.  Sets *vs and *ve to the value's bytes (inside quotes
 * when quoted).  0 or HR_EUNSUPPORTED.
 */
static int find_api_value(const char *doc, size_t len, size_t *vs, size_t *ve)
{
	static const char key[] = "apiVersion:";
	size_t i = 0;

	while (i < len) {
		size_t eol = i;

		while (eol < len && doc[eol] != '\n')
			eol++;
		if (eol - i >= sizeof(key) - 1 && !memcmp(doc + i, key, sizeof(key) - 1)) {
			size_t s = i + sizeof(key) - 1, e;
			char q = 0;

			while (s < eol && (doc[s] == ' ' || doc[s] == '\t'))
				s++;
			if (s < eol && (doc[s] == '"' || doc[s] == '\''))
				q = doc[s++];
			e = s;
			while (e < eol && (q ? doc[e] != q : (doc[e] != ' ' && doc[e] != '\t' && doc[e] != '\r')))
				e++;
			if (q && e >= eol)
				return HR_EUNSUPPORTED;
			*vs = s;
			*ve = e;
			return 0;
		}
		i = eol + 1;
	}
	return HR_EUNSUPPORTED;
}

static int add_change(hr_repair_change **changes, size_t *n, size_t *cap, const char *where, const char *kind,
		      const char *name, const char *from, const char *to, int removed)
{
	hr_repair_change *c;

	if (HR_ARRAY_GROW(*changes, *n + 1, *cap) < 0)
		return HR_ENOMEM;
	c = &(*changes)[*n];
	c->where = strdup(where);
	c->kind = strdup(kind);
	c->name = strdup(name);
	c->from = strdup(from);
	c->to = strdup(to);
	c->removed = removed;
	++*n;
	return c->where && c->kind && c->name && c->from && c->to ? 0 : HR_ENOMEM;
}

int hr_repair_map_manifest(hr_buf *out, const char *manifest, size_t len, struct json_object *rel,
			   int kube_major, int kube_minor, const char *where, hr_repair_change **changes,
			   size_t *nchanges, hr_error *err)
{
	hr_split_style st;
	hr_kind_order ord;
	hr_span *docs = NULL;
	hr_buf check = HR_BUF_INIT;
	char *api = NULL, *kind = NULL, *ns = NULL, *name = NULL;
	size_t ndocs = 0, pos = 0, cap = *nchanges;
	int rc, count = 0;

	hr_manifest_style_for(rel, &st, &ord);
	if ((rc = hr_manifest_split(manifest, len, st, &docs, &ndocs, err)) < 0)
		goto out;
	for (size_t i = 0; i < ndocs; i++) {
		const char *doc = manifest + docs[i].off, *to;
		size_t vs, ve;
		int removed, r;

		free(api), free(kind), free(ns), free(name);
		api = kind = ns = name = NULL;
		r = hr_manifest_head(doc, docs[i].len, &api, &kind, &ns, &name, NULL);
		if (r == HR_ENOMEM) {
			rc = hr_error_set(err, r, "out of memory");
			goto out;
		}
		if (r < 0 || !(to = mapped_api(api, kind, kube_major, kube_minor, &removed)))
			continue;
		if (find_api_value(doc, docs[i].len, &vs, &ve) < 0 || ve - vs != strlen(api) ||
		    memcmp(doc + vs, api, ve - vs)) {
			rc = hr_error_set(err, HR_EUNSUPPORTED, "%s: %s %s: no top-level \"apiVersion: %s\" line to rewrite "
					  "in place", where, kind, name, api);
			goto out;
		}
		/* the document as rewritten must read back with the new apiVersion and nothing else changed */
		hr_buf_clear(&check);
		if (hr_buf_put(&check, doc, vs) || hr_buf_puts(&check, to) ||
		    hr_buf_put(&check, doc + ve, docs[i].len - ve)) {
			rc = hr_error_set(err, HR_ENOMEM, "out of memory");
			goto out;
		}
		{
			char *a2 = NULL, *k2 = NULL, *n2 = NULL, *m2 = NULL;
			int ok = hr_manifest_head(check.ptr, check.len, &a2, &k2, &n2, &m2, NULL) == 0 &&
				 !strcmp(a2, to) && !strcmp(k2, kind) && !strcmp(n2, ns) && !strcmp(m2, name);

			free(a2), free(k2), free(n2), free(m2);
			if (!ok) {
				rc = hr_error_set(err, HR_EUNSUPPORTED, "%s: %s %s: rewriting apiVersion %s in place does "
						  "not read back as %s", where, kind, name, api, to);
				goto out;
			}
		}
		if (hr_buf_put(out, manifest + pos, docs[i].off + vs - pos) || hr_buf_puts(out, to) ||
		    add_change(changes, nchanges, &cap, where, kind, name, api, to, removed)) {
			rc = hr_error_set(err, HR_ENOMEM, "out of memory");
			goto out;
		}
		pos = docs[i].off + ve;
		count++;
	}
	if (hr_buf_put(out, manifest + pos, len - pos)) {
		rc = hr_error_set(err, HR_ENOMEM, "out of memory");
		goto out;
	}
	rc = count;
out:
	free(api), free(kind), free(ns), free(name);
	free(docs);
	hr_buf_free(&check);
	return rc;
}

/*
 * Map the "manifest" member of `holder` (the release, or one of its hooks)
 * in place; `where` names it in p->changes.  The number of resources
 * mapped (0 also when there is no manifest) or a negative HR_E*.
 */
static int map_member(hr_repair_plan *p, struct json_object *holder, struct json_object *rel, int kmaj, int kmin,
		      const char *where, hr_error *err)
{
	const char *s = hr_release_str(holder, "manifest");
	struct json_object *m;
	hr_buf nm = HR_BUF_INIT;
	int rc;

	if (!s)
		return 0;
	rc = hr_repair_map_manifest(&nm, s, strlen(s), rel, kmaj, kmin, where, &p->changes, &p->nchanges, err);
	if (rc > 0 && (!(m = json_object_new_string_len(nm.ptr ? nm.ptr : "", (int)nm.len)) ||
		       json_object_object_add(holder, "manifest", m)))
		rc = hr_error_set(err, HR_ENOMEM, "out of memory");
	hr_buf_free(&nm);
	return rc;
}

int hr_repair_map_release(hr_repair_plan *p, struct json_object *rel, int kmaj, int kmin, hr_error *err)
{
	struct json_object *hooks = hr_release_member_type(rel, "hooks", json_type_array);
	hr_buf where = HR_BUF_INIT;
	int rc, total;

	if ((rc = map_member(p, rel, rel, kmaj, kmin, "manifest", err)) < 0)
		goto out;
	total = rc;
	for (size_t i = 0; hooks && i < json_object_array_length(hooks); i++) {
		struct json_object *h = json_object_array_get_idx(hooks, i);

		if (!hr_release_str(h, "manifest"))
			continue;
		hr_buf_clear(&where);
		if (hr_buf_printf(&where, "hook %s", hr_release_member_str(h, "name", "?"))) {
			rc = hr_error_set(err, HR_ENOMEM, "out of memory");
			goto out;
		}
		if ((rc = map_member(p, h, rel, kmaj, kmin, where.ptr, err)) < 0)
			goto out;
		total += rc;
	}
	rc = total;
out:
	hr_buf_free(&where);
	return rc;
}
