/*
 * drift.c — judge each release's deployed manifest against the live
 * objects of the backup (see drift.h and docs/drift.md): find each
 * resource's object, compare only the fields the manifest sets, name the
 * managedFields owners of each differing field, mask Secret data, and find
 * the objects Helm's annotations attribute to a release that does not hold
 * them (orphans).
 */
#include "drift/drift.h"
#include "drift/drift_int.h"
#include "codec/codec.h"
#include "codec/helm2.h"
#include "index/live.h"
#include "model/manifest.h"
#include "model/release.h"
#include "util/array.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *hr_drift_state_name(hr_drift_state s)
{
	switch (s) {
	case HR_DRIFT_IN_SYNC: return "in-sync";
	case HR_DRIFT_DRIFTED: return "drifted";
	case HR_DRIFT_MISSING: return "missing";
	case HR_DRIFT_ORPHAN: return "orphan";
	}
	return "unknown";
}

static void item_clear(hr_drift_item *it)
{
	free(it->release_namespace); free(it->release); free(it->api_version); free(it->kind);
	free(it->namespace); free(it->name); free(it->note); free(it->observed);
	for (size_t i = 0; i < it->ndiffs; i++) {
		hr_drift_diff *d = &it->diffs[i];

		free(d->path); free(d->stored); free(d->live);
		for (size_t m = 0; m < d->nmanagers; m++)
			free(d->managers[m]);
		free(d->managers);
	}
	free(it->diffs);
	json_object_put(it->live);
}

void hr_drift_report_free(hr_drift_report *r)
{
	for (size_t i = 0; r->items && i < r->n; i++)
		item_clear(&r->items[i]);
	free(r->items);
	free(r->live_sources);
	memset(r, 0, sizeof(*r));
}

char *hr_drift_dup(const char *s, int *oom)
{
	char *d = strdup(s ? s : "");

	if (!d)
		*oom = 1;
	return d;
}

/* A new item at the end of the report with its identity (copied); NULL when out of memory. */
static hr_drift_item *new_item(hr_drift_report *r, const char *rel_ns, const char *rel, int64_t revision,
			       const char *api_version, const char *kind, const char *ns, const char *name)
{
	hr_drift_item *it;
	int oom = 0;

	if (HR_ARRAY_GROW(r->items, r->n + 1, r->alloc))
		return NULL;
	it = &r->items[r->n++];
	memset(it, 0, sizeof(*it));
	it->release_namespace = hr_drift_dup(rel_ns, &oom);
	it->release = hr_drift_dup(rel, &oom);
	it->revision = revision;
	it->api_version = hr_drift_dup(api_version, &oom);
	it->kind = hr_drift_dup(kind, &oom);
	it->namespace = hr_drift_dup(ns, &oom);
	it->name = hr_drift_dup(name, &oom);
	return oom ? NULL : it;
}

/* ---- one release ---- */

typedef struct keyset {
	char *release_namespace, *release;
	int64_t revision;
	char **keys;             /* "group/kind/ns/name" of the deployed manifest */
	size_t n, alloc;
} keyset;

static void keysets_free(keyset *ks, size_t n)
{
	for (size_t i = 0; ks && i < n; i++) {
		for (size_t k = 0; k < ks[i].n; k++)
			free(ks[i].keys[k]);
		free(ks[i].keys);
		free(ks[i].release_namespace);
		free(ks[i].release);
	}
	free(ks);
}

static int live_json(hr_index *idx, int64_t id, struct json_object **out, hr_error *err)
{
	hr_buf body = HR_BUF_INIT;
	int rc;

	*out = NULL;
	if ((rc = hr_index_live_body(idx, id, &body, err)) == 0) {
		*out = json_tokener_parse(hr_buf_cstr(&body));
		if (!*out)
			rc = hr_error_set(err, HR_EFORMAT, "live object %lld: stored body is not JSON", (long long)id);
	}
	hr_buf_free(&body);
	return rc;
}

static int judge_resource(hr_index *idx, const hr_resource *res, const char *rel_ns, hr_drift_item *it,
			  unsigned flags, hr_error *err)
{
	hr_buf group = HR_BUF_INIT, js = HR_BUF_INIT, path = HR_BUF_INIT;
	hr_live_row *row = NULL;
	struct json_object *doc = NULL, *live = NULL;
	const char *ns = *res->namespace ? res->namespace : rel_ns;
	hr_drift_cmp c = { 0 };
	int rc, found;

	if ((rc = hr_api_group(&group, res->api_version)) < 0) {
		rc = hr_error_set(err, HR_ENOMEM, "out of memory");
		goto out;
	}
	found = hr_index_live_find(idx, hr_buf_cstr(&group), res->kind, ns, res->name, &row, err);
	if (found == 0 && !*res->namespace)
		found = hr_index_live_find(idx, hr_buf_cstr(&group), res->kind, "", res->name, &row, err);
	if (found < 0) {
		rc = found;
		goto out;
	}
	if (!found) {
		it->state = HR_DRIFT_MISSING;
		rc = 0;
		goto out;
	}
	free(it->namespace);
	it->namespace = strdup(row->namespace);
	it->observed = row->observed ? strdup(row->observed) : NULL;
	it->live_id = row->id;
	if (!it->namespace || (row->observed && !it->observed)) {
		rc = hr_error_set(err, HR_ENOMEM, "out of memory");
		goto out;
	}
	if ((rc = live_json(idx, row->id, &live, err)))
		goto out;
	/* the manifest document as sigs.k8s.io/yaml reads it */
	if ((rc = hr_helm2_values_json(&js, res->text, res->len, err)) < 0) {
		/* a document we cannot read: judge it by its presence only */
		rc = 0;
		it->state = HR_DRIFT_IN_SYNC;
		goto keep;
	}
	doc = json_tokener_parse(hr_buf_cstr(&js));
	c.it = it;
	c.row = row;
	c.secret = !strcmp(res->kind, "Secret") && !*hr_buf_cstr(&group);
	if (doc && c.secret && hr_drift_fold_string_data(doc)) {
		rc = hr_error_set(err, HR_ENOMEM, "out of memory");
		goto out;
	}
	if (doc && json_object_is_type(doc, json_type_object)) {
		/* identity and status are not what drift is about */
		json_object_object_del(doc, "status");
		if (hr_buf_puts(&path, "")) {
			rc = hr_error_set(err, HR_ENOMEM, "out of memory");
			goto out;
		}
		hr_drift_compare(&c, doc, live, &path, 0);
	}
	if (c.oom) {
		rc = hr_error_set(err, HR_ENOMEM, "out of memory");
		goto out;
	}
	it->state = it->ndiffs ? HR_DRIFT_DRIFTED : HR_DRIFT_IN_SYNC;
keep:
	if (flags & HR_DRIFT_KEEP_LIVE) {
		it->live = live;
		live = NULL;
	}
out:
	json_object_put(doc);
	json_object_put(live);
	hr_live_rows_free(row, row ? 1 : 0);
	hr_buf_free(&group);
	hr_buf_free(&js);
	hr_buf_free(&path);
	return rc;
}

/*
 * Why a resource is missing, naming the inputs that could have held it:
 * those with objects of its kind (then it was deleted, or never created),
 * else the kind was not captured at all.
 */
static int missing_note(hr_index *idx, const hr_drift_report *r, hr_drift_item *it, hr_error *err)
{
	hr_buf group = HR_BUF_INIT, holders = HR_BUF_INIT, note = HR_BUF_INIT;
	int rc;

	if ((rc = hr_api_group(&group, it->api_version)) < 0 ||
	    (rc = hr_index_live_sources(idx, hr_buf_cstr(&group), it->kind, &holders, err)) < 0)
		goto out;
	it->kind_captured = holders.len > 0;
	if (holders.len)
		rc = hr_buf_printf(&note, "not in the backup although %s held %s objects: deleted by hand (or never created)",
				   holders.ptr, it->kind);
	else
		rc = hr_buf_printf(&note, "not captured: no input held %s objects (inputs with live objects: %s)",
				   it->kind, r->live_sources ? r->live_sources : "none");
	if (!rc && !(it->note = hr_buf_detach(&note, NULL)))
		rc = HR_ENOMEM;
out:
	if (rc == HR_ENOMEM)
		hr_error_set(err, HR_ENOMEM, "out of memory");
	hr_buf_free(&group);
	hr_buf_free(&holders);
	hr_buf_free(&note);
	return rc;
}

/*
 * Collect the manifest keys of revision `rev` into ks and, when `judge`,
 * judge each resource into r.
 */
static int judge_release(hr_index *idx, const hr_rev_summary *rev, hr_drift_report *r, keyset *ks,
			 int judge, unsigned flags, hr_error *err)
{
	struct json_object *rel = NULL, *labels = NULL;
	hr_resource_list list = HR_RESOURCE_LIST_INIT;
	hr_split_style style;
	hr_kind_order order;
	hr_buf key = HR_BUF_INIT;
	const char *manifest;
	int rc;

	if ((rc = hr_index_load_revision(idx, rev->namespace, rev->name, rev->version, 0, &rel, &labels, err)))
		goto out;
	manifest = hr_release_member_str(rel, "manifest", "");
	hr_manifest_style_for(rel, &style, &order);
	if ((rc = hr_manifest_resources(&list, manifest, strlen(manifest), style, order, err)))
		goto out;
	for (size_t i = 0; i < list.n && !rc; i++) {
		const hr_resource *res = &list.items[i];
		hr_drift_item *it;

		if (res->bad_yaml || !*res->kind || !*res->name)
			continue;
		if (hr_resource_key(&key, res, rev->namespace) ||
		    HR_ARRAY_GROW(ks->keys, ks->n + 1, ks->alloc) || !(ks->keys[ks->n] = strdup(hr_buf_cstr(&key)))) {
			rc = hr_error_set(err, HR_ENOMEM, "out of memory");
			break;
		}
		ks->n++;
		if (!judge)
			continue;
		if (!(it = new_item(r, rev->namespace, rev->name, rev->version, res->api_version, res->kind,
				    *res->namespace ? res->namespace : rev->namespace, res->name))) {
			rc = hr_error_set(err, HR_ENOMEM, "out of memory");
			break;
		}
		if ((rc = judge_resource(idx, res, rev->namespace, it, flags, err)))
			break;
		if (it->state == HR_DRIFT_MISSING && (rc = missing_note(idx, r, it, err)))
			break;
	}
out:
	json_object_put(rel);
	json_object_put(labels);
	hr_resource_list_free(&list);
	hr_buf_free(&key);
	if (rc)
		hr_error_prefix(err, rc, "%s/%s revision %lld: ", rev->namespace, rev->name, (long long)rev->version);
	return rc;
}

/* ---- orphans ---- */

static int find_orphans(hr_index *idx, const char *ns, const char *release, hr_drift_report *r, keyset *ks,
			size_t nks, hr_error *err)
{
	hr_live_row *rows = NULL;
	hr_buf key = HR_BUF_INIT, group = HR_BUF_INIT;
	size_t n = 0;
	int rc, oom = 0;

	if ((rc = hr_index_live_owned(idx, ns, release, &rows, &n, err)))
		return rc;
	for (size_t i = 0; i < n && !rc; i++) {
		const hr_live_row *o = &rows[i];
		const keyset *owner = NULL;
		int held = 0;
		hr_drift_item *it;

		for (size_t k = 0; k < nks && !owner; k++)
			if (!strcmp(ks[k].release, o->release_name) &&
			    !strcmp(ks[k].release_namespace, o->release_namespace ? o->release_namespace : ""))
				owner = &ks[k];
		if (owner) {
			hr_buf_clear(&key);
			if (hr_api_group(&group, o->api_version) || hr_buf_printf(&key, "%s/%s/%s/%s", hr_buf_cstr(&group), o->kind, o->namespace, o->name)) {
				rc = hr_error_set(err, HR_ENOMEM, "out of memory");
				break;
			}
			for (size_t k = 0; k < owner->n && !held; k++)
				held = !strcmp(owner->keys[k], hr_buf_cstr(&key));
			/* a cluster-scoped object: the manifest key carries the release namespace */
			if (!held && !*o->namespace) {
				hr_buf_clear(&key);
				if (hr_buf_printf(&key, "%s/%s/%s/%s", hr_buf_cstr(&group), o->kind, owner->release_namespace,
						  o->name)) {
					rc = hr_error_set(err, HR_ENOMEM, "out of memory");
					break;
				}
				for (size_t k = 0; k < owner->n && !held; k++)
					held = !strcmp(owner->keys[k], hr_buf_cstr(&key));
			}
		}
		if (held)
			continue;
		if (!(it = new_item(r, o->release_namespace, o->release_name, owner ? owner->revision : 0, o->api_version,
				    o->kind, o->namespace, o->name))) {
			rc = hr_error_set(err, HR_ENOMEM, "out of memory");
			break;
		}
		it->state = HR_DRIFT_ORPHAN;
		it->live_id = o->id;
		it->observed = o->observed ? hr_drift_dup(o->observed, &oom) : NULL;
		it->note = hr_drift_dup(owner ? "carries the release's ownership annotations but its manifest does not hold it"
				     : "carries ownership annotations of a release the inputs hold no live revision of "
				       "(uninstalled, or its records were not captured)",
			       &oom);
		if (oom)
			rc = hr_error_set(err, HR_ENOMEM, "out of memory");
	}
	hr_live_rows_free(rows, n);
	hr_buf_free(&key);
	hr_buf_free(&group);
	return rc;
}

int hr_drift_run(hr_index *idx, const char *ns, const char *release, unsigned flags, hr_drift_report *out,
		 hr_error *err)
{
	hr_rev_summary *revs = NULL;
	keyset *ks = NULL;
	size_t nrevs = 0, nks = 0, ksalloc = 0;
	hr_buf sources = HR_BUF_INIT;
	const char *seen_ns = NULL;   /* the namespace hr_index_live_has_namespace last answered for */
	int rc, seen_has = 0;

	memset(out, 0, sizeof(*out));
	if ((rc = hr_index_live_count(idx, &out->live_objects, err)) || !out->live_objects)
		goto out;
	if ((rc = hr_index_live_sources(idx, NULL, NULL, &sources, err)))
		goto out;
	if (!(out->live_sources = strdup(hr_buf_cstr(&sources)))) {
		rc = hr_error_set(err, HR_ENOMEM, "out of memory");
		goto out;
	}
	if ((rc = release ? hr_index_history(idx, ns, release, 0, &revs, &nrevs, err)
		          : hr_index_all(idx, ns, 0, &revs, &nrevs, err)))
		goto out;
	/* rows come by namespace, name, version: the last "deployed" of each release wins */
	for (size_t i = 0; i < nrevs && !rc; i++) {
		const hr_rev_summary *rev = &revs[i];
		size_t j = i + 1, pick = (size_t)-1;

		while (j < nrevs && !strcmp(revs[j].namespace, rev->namespace) && !strcmp(revs[j].name, rev->name))
			j++;
		int judge;

		for (size_t k = i; k < j; k++)
			if (revs[k].status && !strcmp(revs[k].status, "deployed"))
				pick = k;
		i = j - 1;
		if (release && strcmp(rev->name, release))
			continue;
		judge = pick != (size_t)-1;
		/* revisions come namespace by namespace: ask the index once per namespace */
		if (judge && (!seen_ns || strcmp(seen_ns, revs[pick].namespace))) {
			seen_ns = revs[pick].namespace;
			seen_has = hr_index_live_has_namespace(idx, seen_ns, err);
		}
		if (judge && !seen_has) {
			out->unchecked++;
			continue;
		}
		if (!judge) {
			/* nothing deployed: the newest revision still owns its objects, unless uninstalled */
			const char *st = revs[j - 1].status ? revs[j - 1].status : "";

			if (!(flags & HR_DRIFT_ORPHANS) || !strncmp(st, "uninstall", 9))
				continue;
			pick = j - 1;
		}
		if (HR_ARRAY_GROW(ks, nks + 1, ksalloc)) {
			rc = hr_error_set(err, HR_ENOMEM, "out of memory");
			break;
		}
		memset(&ks[nks], 0, sizeof(ks[nks]));
		ks[nks].release_namespace = strdup(revs[pick].namespace);
		ks[nks].release = strdup(revs[pick].name);
		ks[nks].revision = revs[pick].version;
		nks++;
		if (!ks[nks - 1].release_namespace || !ks[nks - 1].release) {
			rc = hr_error_set(err, HR_ENOMEM, "out of memory");
			break;
		}
		out->checked += judge;
		rc = judge_release(idx, &revs[pick], out, &ks[nks - 1], judge, flags, err);
	}
	if (!rc && (flags & HR_DRIFT_ORPHANS))
		rc = find_orphans(idx, ns, release, out, ks, nks, err);
out:
	hr_rev_summaries_free(revs, nrevs);
	keysets_free(ks, nks);
	hr_buf_free(&sources);
	if (rc)
		hr_drift_report_free(out);
	return rc;
}
