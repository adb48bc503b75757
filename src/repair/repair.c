/*
 * repair.c — the plan of `helmrec repair`: which records change and how
 * (repair.h).  Each changed body is the stored tree reshaped in its own
 * writer's JSON shape (hr_release_reshape) with only the repaired fields
 * set, encoded as helm encodes it (codec.h) and labelled by the one record
 * writer (codec/record_write.h).  The apiVersion rewrite of --map-apis
 * is repair_map.c; rendering is repair_out.c.
 */
#include "repair/repair.h"
#include "repair/repair_int.h"
#include "codec/codec.h"
#include "codec/gojson.h"
#include "codec/record_write.h"
#include "model/kubeapi.h"
#include "model/manifest.h"
#include "model/release.h"
#include "util/array.h"
#include "util/gotime.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- small helpers ---- */

static int is_pending(const char *s)
{
	return s && (!strcmp(s, "pending-install") || !strcmp(s, "pending-upgrade") ||
		     !strcmp(s, "pending-rollback") || !strcmp(s, "uninstalling"));
}

/* The status helm's queries see: the object label if known, else the body. */
static const char *rev_status(const hr_revision *r)
{
	struct json_object *s = hr_release_member(r->labels, "status");

	if (s && json_object_is_type(s, json_type_string))
		return json_object_get_string(s);
	return hr_release_status(r->rel);
}

static int set_str(struct json_object *o, const char *k, const char *s)
{
	struct json_object *v;

	if (!o)
		return HR_EFORMAT;
	if (!(v = json_object_new_string(s)))
		return HR_ENOMEM;
	if (json_object_object_add(o, k, v)) {
		json_object_put(v);
		return HR_ENOMEM;
	}
	return 0;
}

/* ---- the plan ---- */

static void rec_release(hr_repair_rec *r)
{
	free(r->was_status);
	free(r->status);
	json_object_put(r->rel);
	free(r->json);
	free(r->payload);
	json_object_put(r->labels);
	memset(r, 0, sizeof(*r));
}

void hr_repair_plan_release(hr_repair_plan *p)
{
	if (!p)
		return;
	free(p->name);
	free(p->namespace);
	for (size_t i = 0; i < p->nrecs; i++)
		rec_release(&p->recs[i]);
	free(p->recs);
	for (size_t i = 0; i < p->nchanges; i++) {
		free(p->changes[i].where);
		free(p->changes[i].kind);
		free(p->changes[i].name);
		free(p->changes[i].from);
		free(p->changes[i].to);
	}
	free(p->changes);
	free(p->next);
	memset(p, 0, sizeof(*p));
}

/* A new record slot in p (zeroed). */
static hr_repair_rec *rec_new(hr_repair_plan *p, size_t *cap)
{
	hr_repair_rec *r;

	if (HR_ARRAY_GROW(p->recs, p->nrecs + 1, *cap) < 0)
		return NULL;
	r = &p->recs[p->nrecs++];
	memset(r, 0, sizeof(*r));
	return r;
}

/*
 * Reshape `src` as its own writer marshals it into r->rel and fill
 * version, writer_major, was_status and status.
 */
static int rec_start(hr_repair_rec *r, const hr_revision *src, const char *status, int added, hr_error *err)
{
	int rc;

	r->added = added;
	r->version = hr_release_version(src->rel);
	r->writer_major = hr_release_writer_major(src->rel);
	r->was_status = strdup(added ? "" : (rev_status(src) ? rev_status(src) : "unknown"));
	r->status = strdup(status);
	if (!r->was_status || !r->status)
		return hr_error_set(err, HR_ENOMEM, "out of memory");
	if ((rc = hr_release_reshape(&r->rel, src->rel, r->writer_major, 0, err)) < 0)
		return rc;
	if ((rc = set_str(hr_release_member(r->rel, "info"), "status", status)) < 0)
		return hr_error_set(err, rc, "revision %lld: %s", (long long)r->version,
				    rc == HR_ENOMEM ? "out of memory" : "release has no info");
	return 0;
}

/* Custom (non-system) labels of `labels` as a new object, or NULL when out of memory. */
static struct json_object *custom_labels(struct json_object *labels)
{
	struct json_object *o = json_object_new_object();

	if (!o || !labels || !json_object_is_type(labels, json_type_object))
		return o;
	json_object_object_foreach(labels, k, v) {
		if (hr_record_write_is_system_label(k))
			continue;
		if (json_object_object_add(o, k, json_object_get(v))) {
			json_object_put(v);
			json_object_put(o);
			return NULL;
		}
	}
	return o;
}

/* Marshal r->rel, encode it, and label it (helm's Create for an added record, else Update). */
static int rec_finish(hr_repair_rec *r, struct json_object *orig_labels, const char *name, int64_t when,
		      hr_error *err)
{
	hr_buf j = HR_BUF_INIT, p = HR_BUF_INIT;
	struct json_object *custom = NULL;
	int rc;

	if ((rc = hr_gojson_write(&j, r->rel, 0)) < 0) {
		rc = hr_error_set(err, rc, "encoding revision %lld: %s", (long long)r->version,
				  rc == HR_ENOMEM ? "out of memory" : "value Go cannot marshal");
		goto out;
	}
	if ((rc = hr_codec_encode(&p, j.ptr, j.len, err)) < 0)
		goto out;
	if (r->added) {
		if (!(custom = custom_labels(orig_labels))) {
			rc = hr_error_set(err, HR_ENOMEM, "out of memory");
			goto out;
		}
		r->labels = hr_record_write_labels(custom, name, r->status, r->version, HR_RECORD_STAMP_KEEP, when);
	} else {
		r->labels = hr_record_write_labels(orig_labels, name, r->status, r->version, HR_RECORD_STAMP_UPDATE,
						   when);
	}
	if (!r->labels) {
		rc = hr_error_set(err, HR_ENOMEM, "out of memory");
		goto out;
	}
	r->json = hr_buf_detach(&j, &r->json_len);
	r->payload = hr_buf_detach(&p, &r->payload_len);
out:
	json_object_put(custom);
	hr_buf_free(&j);
	hr_buf_free(&p);
	return rc;
}

/* Re-save every revision labelled deployed (other than `except`) as superseded. */
static int supersede_others(hr_repair_plan *p, size_t *cap, const hr_revision *revs, size_t n, int64_t except,
			    int64_t when, hr_error *err)
{
	int rc;

	for (size_t i = 0; i < n; i++) {
		const char *s = rev_status(&revs[i]);
		hr_repair_rec *r;

		if (!s || strcmp(s, "deployed") || hr_release_version(revs[i].rel) == except)
			continue;
		if (!(r = rec_new(p, cap)))
			return hr_error_set(err, HR_ENOMEM, "out of memory");
		if ((rc = rec_start(r, &revs[i], "superseded", 0, err)) < 0 ||
		    (rc = rec_finish(r, revs[i].labels, p->name, when, err)) < 0)
			return rc;
	}
	return 0;
}

static int cmp_rec(const void *a, const void *b)
{
	const hr_repair_rec *x = a, *y = b;

	if (x->added != y->added)
		return x->added ? -1 : 1;
	return x->version < y->version ? -1 : x->version > y->version;
}

/* ---- the three repairs ---- */

static int plan_unlock(hr_repair_plan *p, size_t *cap, const hr_revision *revs, size_t n,
		       const hr_revision *last, const char *now, int64_t when, hr_error *err)
{
	const char *st = rev_status(last), *bst = hr_release_status(last->rel);
	const hr_revision *good = NULL;
	hr_buf desc = HR_BUF_INIT;
	hr_repair_rec *r;
	int rc;

	if (!is_pending(st) && !is_pending(bst))
		return hr_error_set(err, HR_ESKIP, "release \"%s\" does not need --unlock: its newest revision %lld is %s "
				    "(not pending-install, pending-upgrade, pending-rollback or uninstalling)",
				    p->name, (long long)p->source, st ? st : "unknown");
	if (!is_pending(st))
		st = bst;
	for (size_t i = 0; i < n; i++) {
		const char *s = rev_status(&revs[i]);

		if (&revs[i] != last && s && !strcmp(s, "deployed"))
			good = &revs[i];
	}
	if (!(r = rec_new(p, cap)))
		return hr_error_set(err, HR_ENOMEM, "out of memory");
	if ((rc = rec_start(r, last, "failed", 0, err)) < 0)
		goto out;
	free(r->was_status);
	if (!(r->was_status = strdup(st)) || hr_buf_printf(&desc, "stuck in %s; marked failed by helmrec on %s", st, now)) {
		rc = hr_error_set(err, HR_ENOMEM, "out of memory");
		goto out;
	}
	if ((rc = set_str(hr_release_member(r->rel, "info"), "description", desc.ptr)) < 0) {
		rc = hr_error_set(err, rc, "out of memory");
		goto out;
	}
	if ((rc = rec_finish(r, last->labels, p->name, when, err)) < 0)
		goto out;
	hr_buf_clear(&desc);
	if (good)
		rc = hr_buf_printf(&desc, "after applying, revision %lld (deployed) is current again: helm upgrade and "
				   "helm rollback work", (long long)hr_release_version(good->rel));
	else if (n == 1 || !strcmp(st, "pending-install"))
		rc = hr_buf_printf(&desc, "the release was never deployed: after applying, run helm upgrade --install "
				   "%s CHART -n %s, or helm uninstall %s -n %s", p->name, p->namespace, p->name,
				   p->namespace);
	else
		rc = hr_buf_printf(&desc, "after applying, helm upgrade works (from the failed revision, as helm allows "
				   "when none is deployed); helm rollback %s REVISION -n %s restores an earlier one",
				   p->name, p->namespace);
	if (rc || !(p->next = hr_buf_detach(&desc, NULL)))
		rc = hr_error_set(err, HR_ENOMEM, "out of memory");
out:
	hr_buf_free(&desc);
	return rc;
}

static int plan_map(hr_repair_plan *p, size_t *cap, const hr_revision *revs, size_t n,
		    const hr_revision *last, const hr_repair_opts *o, const char *now, int64_t when, hr_error *err)
{
	const hr_revision *src = NULL;
	const char *lst = rev_status(last);
	hr_repair_rec *r;
	struct json_object *v;
	int rc;

	for (size_t i = 0; i < n; i++) {
		const char *s = rev_status(&revs[i]);

		if (s && !strcmp(s, "deployed") &&
		    (!src || hr_release_version(revs[i].rel) > hr_release_version(src->rel)))
			src = &revs[i];
	}
	if (!src)
		return hr_error_set(err, HR_ESKIP, "release \"%s\" has no deployed revision to map: mark one with "
				    "--mark-deployed REV (or --unlock a stuck one) first", p->name);
	if (src != last && !o->force && (is_pending(lst) || (lst && !strcmp(lst, "failed"))))
		return hr_error_set(err, HR_ESKIP, "refusing --map-apis: the newest revision %lld of \"%s\" is %s, so the "
				    "new revision would follow an operation that did not finish; resolve it first "
				    "(--unlock for a pending one) or pass --force", (long long)p->source, p->name,
				    lst ? lst : "unknown");
	if (!(r = rec_new(p, cap)))
		return hr_error_set(err, HR_ENOMEM, "out of memory");
	if ((rc = rec_start(r, src, "deployed", 1, err)) < 0)
		return rc;
	p->source = r->version;
	r->version = hr_release_version(last->rel) + 1;
	if ((rc = hr_repair_map_release(p, r->rel, o->kube_major, o->kube_minor, err)) < 0)
		return rc;
	if (rc == 0) {
		if (o->kube_major || o->kube_minor)
			return hr_error_set(err, HR_ESKIP, "release \"%s\" does not need --map-apis: no apiVersion in "
					    "revision %lld's manifest or hooks is deprecated or removed in Kubernetes %d.%d",
					    p->name, (long long)p->source, o->kube_major, o->kube_minor);
		return hr_error_set(err, HR_ESKIP, "release \"%s\" does not need --map-apis: no apiVersion in revision "
				    "%lld's manifest or hooks is a removed Kubernetes API", p->name,
				    (long long)p->source);
	}
	if (!(v = json_object_new_int64(r->version)) || json_object_object_add(r->rel, "version", v) ||
	    set_str(hr_release_member(r->rel, "info"), "description", HR_REPAIR_MAP_DESCRIPTION) ||
	    set_str(hr_release_member(r->rel, "info"), "last_deployed", now))
		return hr_error_set(err, HR_ENOMEM, "out of memory");
	if ((rc = rec_finish(r, src->labels, p->name, when, err)) < 0)
		return rc;
	if ((rc = supersede_others(p, cap, revs, n, 0, when, err)) < 0)
		return rc;
	if (!(p->next = strdup("after applying, helm upgrade works from the new revision; do not roll back to "
			       "revisions before it (they hold the removed APIs)")))
		return hr_error_set(err, HR_ENOMEM, "out of memory");
	return 0;
}

static int plan_mark(hr_repair_plan *p, size_t *cap, const hr_revision *revs, size_t n,
		     const hr_revision *last, const hr_repair_opts *o, const char *now, int64_t when, hr_error *err)
{
	const hr_revision *tgt = NULL;
	const char *lst = rev_status(last), *tst;
	struct json_object *info;
	hr_buf desc = HR_BUF_INIT;
	hr_repair_rec *r;
	size_t others = 0;
	int rc;

	for (size_t i = 0; i < n; i++) {
		const char *s = rev_status(&revs[i]);

		if (hr_release_version(revs[i].rel) == o->revision)
			tgt = &revs[i];
		else if (s && !strcmp(s, "deployed"))
			others++;
	}
	if (!tgt)
		return hr_error_set(err, HR_ENOTFOUND, "release has no %lld version", (long long)o->revision);
	p->source = o->revision;
	tst = rev_status(tgt);
	if (tst && !strcmp(tst, "deployed") && !others)
		return hr_error_set(err, HR_ESKIP, "release \"%s\" does not need --mark-deployed: revision %lld is "
				    "already its only deployed revision", p->name, (long long)o->revision);
	if (tgt != last && is_pending(lst) && !o->force)
		return hr_error_set(err, HR_ESKIP, "refusing --mark-deployed: the newest revision %lld of \"%s\" is %s "
				    "(an operation in progress or stuck); --unlock it first or pass --force",
				    (long long)hr_release_version(last->rel), p->name, lst);
	if (!(r = rec_new(p, cap)))
		return hr_error_set(err, HR_ENOMEM, "out of memory");
	if ((rc = rec_start(r, tgt, "deployed", 0, err)) < 0)
		goto out;
	info = hr_release_member(r->rel, "info");
	if (hr_release_member(info, "deleted")) {
		if (r->writer_major >= 4)
			json_object_object_del(info, "deleted");
		else if (set_str(info, "deleted", "")) {
			rc = hr_error_set(err, HR_ENOMEM, "out of memory");
			goto out;
		}
	}
	if (hr_buf_printf(&desc, "marked deployed by helmrec on %s (was %s)", now, r->was_status) ||
	    set_str(info, "description", desc.ptr)) {
		rc = hr_error_set(err, HR_ENOMEM, "out of memory");
		goto out;
	}
	if ((rc = rec_finish(r, tgt->labels, p->name, when, err)) < 0)
		goto out;
	if ((rc = supersede_others(p, cap, revs, n, o->revision, when, err)) < 0)
		goto out;
	hr_buf_clear(&desc);
	if (hr_buf_printf(&desc, "after applying, revision %lld is the deployed one: helm upgrade and helm rollback "
			  "start from it", (long long)o->revision) ||
	    !(p->next = hr_buf_detach(&desc, NULL)))
		rc = hr_error_set(err, HR_ENOMEM, "out of memory");
out:
	hr_buf_free(&desc);
	return rc;
}

int hr_repair_build(hr_repair_plan *out, const hr_revision *revs, size_t n, const hr_repair_opts *o,
		    hr_error *err)
{
	const hr_revision *last = NULL;
	hr_buf now = HR_BUF_INIT;
	size_t cap = 0;
	int64_t when;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!o || o->kind < HR_REPAIR_UNLOCK || o->kind > HR_REPAIR_MARK_DEPLOYED)
		return hr_error_set(err, HR_EINVAL, "repair: no repair chosen");
	for (size_t i = 0; i < n; i++)
		if (!last || hr_release_version(revs[i].rel) > hr_release_version(last->rel))
			last = &revs[i];
	if (!last)
		return hr_error_set(err, HR_ENOTFOUND, "release: not found");
	out->kind = o->kind;
	out->name = strdup(hr_release_name(last->rel) ? hr_release_name(last->rel) : "");
	out->namespace = strdup(hr_release_namespace(last->rel) ? hr_release_namespace(last->rel) : "");
	out->source = hr_release_version(last->rel);
	if (!out->name || !out->namespace) {
		rc = hr_error_set(err, HR_ENOMEM, "out of memory");
		goto out;
	}
	if (!*out->name || out->source <= 0) {
		rc = hr_error_set(err, HR_EINVAL, "repair: release name or version missing");
		goto out;
	}
	when = o->now_unix ? o->now_unix : (int64_t)time(NULL);
	if (o->now)
		rc = hr_buf_puts(&now, o->now) ? hr_error_set(err, HR_ENOMEM, "out of memory") : 0;
	else {
		hr_gotime t;

		hr_gotime_now_utc(&t);
		rc = hr_gotime_json(&now, &t, err);
	}
	if (rc < 0)
		goto out;
	if (o->kind == HR_REPAIR_UNLOCK)
		rc = plan_unlock(out, &cap, revs, n, last, now.ptr, when, err);
	else if (o->kind == HR_REPAIR_MAP_APIS)
		rc = plan_map(out, &cap, revs, n, last, o, now.ptr, when, err);
	else
		rc = plan_mark(out, &cap, revs, n, last, o, now.ptr, when, err);
	if (rc >= 0) {
		qsort(out->recs, out->nrecs, sizeof(*out->recs), cmp_rec);
		rc = 0;
	}
out:
	hr_buf_free(&now);
	if (rc < 0)
		hr_repair_plan_release(out);
	return rc;
}
