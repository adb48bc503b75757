/*
 * collect.c — choose what `helmrec export` writes: the revisions of the
 * selected releases (status filter, deleted or not, Helm's history pruning),
 * where each one goes (namespace map, rename), and what each carries: the
 * original Helm payload when the release does not change, else the release
 * JSON with `namespace`/`name` edited, re-serialized as Go does and
 * re-encoded as Helm does; plus the object labels Helm would have.
 */
#include "export/export.h"
#include "util/array.h"
#include "codec/codec.h"
#include "codec/gojson.h"
#include "codec/helm2.h"
#include "codec/record_write.h"
#include "model/release.h"
#include "util/gotime.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

size_t hr_export_prune(const int64_t *versions, const char *const *statuses, size_t n, long max,
		       unsigned char *keep)
{
	size_t kept = n;
	long deployed = -1;

	for (size_t i = 0; i < n; i++) {
		keep[i] = 1;
		if (statuses[i] && !strcmp(statuses[i], "deployed") &&
		    (deployed < 0 || versions[i] > versions[deployed]))
			deployed = (long)i;
	}
	if (max <= 0)
		return n;
	/* Oldest first (the caller's order is by version), skipping the deployed one. */
	for (size_t i = 0; i < n && kept > (size_t)max; i++) {
		if ((long)i == deployed)
			continue;
		keep[i] = 0;
		kept--;
	}
	return kept;
}

/* RFC 3339 ("2026-11-23T23:54:04.1234Z", "...+02:00") to Unix seconds; 0 if absent or unparsable. */
static int64_t rfc3339_seconds(const char *s)
{
	hr_error ignored = HR_ERROR_INIT;
	hr_gotime t;

	return s && !hr_gotime_parse(&t, s, &ignored) ? t.unix : 0;
}

static int64_t label_int(struct json_object *labels, const char *key)
{
	const char *s = json_object_get_string(hr_release_member(labels, key));
	char *end;
	long long x;

	if (!s || !*s)
		return 0;
	x = strtoll(s, &end, 10);
	return *end ? 0 : (int64_t)x;
}

/*
 * Count (and with `rewrite`, replace in the tree) the objects of the
 * release's manifest and hook manifests that live in `old_ns` explicitly.
 */
static int manifests_ns(struct json_object *rel, const char *old_ns, const char *new_ns, int rewrite,
			size_t *hits, hr_error *err)
{
	struct json_object *hooks = hr_release_member_type(rel, "hooks", json_type_array);
	size_t nhooks = hooks ? json_object_array_length(hooks) : 0;

	*hits = 0;
	for (size_t i = 0; i <= nhooks; i++) {
		struct json_object *holder = i == 0 ? rel : json_object_array_get_idx(hooks, i - 1);
		struct json_object *m = hr_release_member_type(holder, "manifest", json_type_string);
		hr_buf out = HR_BUF_INIT;
		size_t n = 0;

		if (!m)
			continue;
		if (hr_export_manifest_ns(rewrite ? &out : NULL, json_object_get_string(m), old_ns, new_ns, &n)) {
			hr_buf_free(&out);
			return hr_error_set(err, HR_ENOMEM, "out of memory");
		}
		if (rewrite && n)
			json_object_object_add(holder, "manifest", json_object_new_string_len(out.ptr, (int)out.len));
		hr_buf_free(&out);
		*hits += n;
	}
	return 0;
}

static void item_free(hr_export_item *it)
{
	free(it->src_namespace);
	free(it->src_name);
	free(it->namespace);
	free(it->name);
	free(it->status);
	free(it->body_ns);
	free(it->warning);
	json_object_put(it->labels);
}

void hr_export_set_free(hr_export_set *set)
{
	for (size_t i = 0; i < set->n; i++)
		item_free(&set->items[i]);
	free(set->items);
	memset(set, 0, sizeof(*set));
}

/*
 * Decode row `rev_id` into *rel (and dec): the release tree of its body
 * (a Tiller record as its helm-2to3 conversion).
 */
static int load_tree(hr_index *idx, int64_t rev_id, int is_helm, hr_buf *payload, hr_decoded *dec,
		     struct json_object **rel, hr_error *err)
{
	int stored_helm = 0, rc;

	if ((rc = hr_index_payload(idx, rev_id, payload, &stored_helm, err)))
		return rc;
	return hr_codec_release_json(dec, rel, payload->ptr, payload->len,
				     is_helm && stored_helm ? HR_PAYLOAD_HELM : HR_PAYLOAD_SNIFF, 0, HR_RELEASE_FULL, err);
}

int hr_export_materialize(const hr_export_set *set, const hr_export_item *it, const hr_export_opts *o,
			  int want_json, hr_buf *payload, hr_buf *json, hr_error *err)
{
	hr_decoded dec = HR_DECODED_INIT;
	struct json_object *rel = NULL;
	size_t hits = 0;
	int rc, is_helm = 0;

	hr_buf_clear(payload);
	hr_buf_clear(json);
	/* Unchanged: the stored Helm string as found, decoded only when the JSON itself is wanted. */
	if (!it->changed && !want_json) {
		rc = hr_index_payload(set->idx, it->rev_id, payload, &is_helm, err);
		goto out;
	}
	if ((rc = load_tree(set->idx, it->rev_id, 1, payload, &dec, &rel, err)))
		goto out;
	if (!it->changed)
		goto out_json;   /* payload holds the original string */
	if (it->edit) {
		/* Edit in place: json-c keeps the key position, so field order stays Helm's. */
		if (it->ns_rewritten &&
		    (rc = manifests_ns(rel, it->body_ns, it->namespace, 1, &hits, err)))
			goto out;
		json_object_object_add(rel, "name", json_object_new_string(it->name));
		json_object_object_add(rel, "namespace", json_object_new_string(it->namespace));
		/* In the dialect of the writer that made the body (Go's \b/\f change of 1.22). */
		if ((rc = hr_gojson_write(json, rel, hr_gojson_dialect(dec.body.ptr, dec.body.len)))) {
			rc = hr_error_set(err, rc, "cannot re-serialize the release JSON");
			goto out;
		}
	} else if ((rc = hr_buf_put(json, dec.body.ptr ? dec.body.ptr : "", dec.body.len))) {
		rc = hr_error_set(err, HR_ENOMEM, "out of memory");
		goto out;
	}
	hr_buf_clear(payload);
	rc = hr_codec_encode(payload, json->ptr ? json->ptr : "", json->len, err);
	goto out;
out_json:
	if (hr_buf_put(json, dec.body.ptr ? dec.body.ptr : "", dec.body.len))
		rc = hr_error_set(err, HR_ENOMEM, "out of memory");
out:
	if (rc)
		hr_error_prefix(err, rc, "export %s/%s revision %lld: ", it->src_namespace, it->src_name,
				(long long)it->version);
	json_object_put(rel);
	hr_decoded_free(&dec);
	(void)o;
	return rc;
}

/*
 * Plan one item from revision row `r` going to (ns, name), decoding nothing
 * unless the body must change (then only to count the manifest objects
 * that name the old namespace, for the summary).  The payload itself is
 * made when the item is written (hr_export_materialize).
 */
static int build_item(hr_export_item *it, hr_index *idx, const hr_rev_summary *r, const char *ns, const char *name,
		      const hr_export_opts *o, hr_error *err)
{
	hr_buf payload = HR_BUF_INIT;
	hr_decoded dec = HR_DECODED_INIT;
	struct json_object *rel = NULL, *orig_labels = NULL;
	char *body_ns = NULL, *body_name = NULL;
	const char *when;
	int is_helm = 0, helm2, asked, disagrees, rc;
	size_t hits = 0;

	memset(it, 0, sizeof(*it));
	helm2 = r->driver && !strncmp(r->driver, "helm2-", 6);
	if ((rc = hr_index_identity(idx, r->id, &body_ns, &body_name, &is_helm, err)))
		goto fail_ctx;
	/*
	 * Evidence is kept: the body is edited only when the user moved or
	 * renamed the release, or asked to align (--normalize) a body whose
	 * name/namespace disagree with its object.  Otherwise the original
	 * payload goes out as found, with a warning.
	 */
	asked = strcmp(ns, r->namespace) || strcmp(name, r->name);
	disagrees = strcmp(body_ns, r->namespace) || strcmp(body_name, r->name);
	it->edit = (asked || (disagrees && o->normalize)) && (strcmp(body_ns, ns) || strcmp(body_name, name));
	if (disagrees && !asked && !o->normalize && !helm2) {
		hr_buf w = HR_BUF_INIT;

		if (hr_buf_printf(&w, "%s/%s revision %lld: the body says release %s/%s; payload kept as found"
				  " (--normalize aligns it with its object)", r->namespace, r->name,
				  (long long)r->version, body_ns, body_name))
			goto nomem;
		it->warning = hr_buf_detach(&w, NULL);
	}
	if (it->edit && strcmp(body_ns, ns)) {
		if ((rc = load_tree(idx, r->id, is_helm, &payload, &dec, &rel, err)) ||
		    (rc = manifests_ns(rel, body_ns, ns, 0, &hits, err)))
			goto fail_ctx;
		if (o->rewrite_manifest_ns)
			it->ns_rewritten = hits;
		else
			it->hardcoded_ns = hits;
	}
	it->changed = it->edit || !is_helm || helm2;
	/* Tiller's own labels (NAME, OWNER=TILLER, ...) do not carry over: helm-2to3 writes helm's set only. */
	if (helm2)
		orig_labels = json_object_new_object();
	else if ((rc = hr_index_labels(idx, r->id, &orig_labels, err)))
		goto fail_ctx;
	when = r->last_deployed ? r->last_deployed : r->first_deployed;
	it->created_at = label_int(orig_labels, "createdAt");
	it->modified_at = label_int(orig_labels, "modifiedAt");
	if (!it->created_at)
		it->created_at = rfc3339_seconds(when);
	it->labels = hr_record_write_labels(orig_labels, name, r->status, r->version, HR_RECORD_STAMP_KEEP,
					    rfc3339_seconds(when));
	it->rev_id = r->id;
	it->src_namespace = strdup(r->namespace);
	it->src_name = strdup(r->name);
	it->namespace = strdup(ns);
	it->name = strdup(name);
	it->status = strdup(r->status ? r->status : "unknown");
	it->body_ns = body_ns;
	body_ns = NULL;
	it->version = r->version;
	if (!it->labels || !it->src_namespace || !it->src_name || !it->namespace || !it->name || !it->status)
		goto nomem;
	goto out;
nomem:
	rc = hr_error_set(err, HR_ENOMEM, "out of memory");
fail_ctx:
	hr_error_prefix(err, rc, "export %s/%s revision %lld: ", r->namespace, r->name, (long long)r->version);
	item_free(it);
	memset(it, 0, sizeof(*it));
out:
	free(body_ns);
	free(body_name);
	json_object_put(orig_labels);
	json_object_put(rel);
	hr_decoded_free(&dec);
	hr_buf_free(&payload);
	return rc;
}

static int set_push(hr_export_set *set, hr_export_item *it, hr_error *err)
{
	if (HR_ARRAY_GROW(set->items, set->n + 1, set->cap))
		return hr_error_set(err, HR_ENOMEM, "out of memory");
	set->items[set->n++] = *it;
	return 0;
}

static int status_wanted(const hr_export_opts *o, const char *status)
{
	if (!o->statuses)
		return 1;
	for (size_t i = 0; i < o->nstatuses; i++)
		if (status && !strcmp(o->statuses[i], status))
			return 1;
	return 0;
}

/* Export one release: rows [0, n) are its revisions, oldest first. */
static int add_release(hr_export_set *set, hr_index *idx, const hr_rev_summary *rows, size_t n,
		       const hr_export_opts *o, hr_error *err)
{
	const char *ns = hr_export_map_lookup(o->ns_map, rows[0].namespace);
	const char *name = hr_export_map_lookup(o->rename, rows[0].name);
	int64_t *versions = calloc(n ? n : 1, sizeof(*versions));
	const char **statuses = calloc(n ? n : 1, sizeof(*statuses));
	unsigned char *keep = calloc(n ? n : 1, 1);
	size_t *sel = calloc(n ? n : 1, sizeof(*sel)), m = 0, before = set->n;
	int rc = 0;

	if (!versions || !statuses || !keep || !sel) {
		rc = hr_error_set(err, HR_ENOMEM, "out of memory");
		goto out;
	}
	if (!hr_export_valid_release_name(name)) {
		rc = hr_error_set(err, HR_EINVAL, "%s/%s: \"%s\" is not a valid Helm release name (use --rename)",
				  rows[0].namespace, rows[0].name, name);
		goto out;
	}
	if (!hr_export_valid_namespace(ns)) {
		rc = hr_error_set(err, HR_EINVAL, "%s/%s: \"%s\" is not a valid namespace (use --namespace-map)",
				  rows[0].namespace, rows[0].name, ns);
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		if (!status_wanted(o, rows[i].status)) {
			set->filtered++;
			continue;
		}
		versions[m] = rows[i].version;
		statuses[m] = rows[i].status;
		sel[m++] = i;
	}
	set->pruned += m - hr_export_prune(versions, statuses, m, o->history_max, keep);
	for (size_t j = 0; j < m; j++) {
		hr_export_item it;

		if (!keep[j])
			continue;
		if ((rc = build_item(&it, idx, &rows[sel[j]], ns, name, o, err)))
			goto out;
		if ((rc = set_push(set, &it, err))) {
			item_free(&it);
			goto out;
		}
		if (it.changed)
			set->reencoded++;
		if (it.warning)
			set->inconsistent++;
	}
	if (set->n > before)
		set->releases++;
out:
	free(versions);
	free(statuses);
	free(keep);
	free(sel);
	return rc;
}

static int cmp_item(const void *a, const void *b)
{
	const hr_export_item *x = a, *y = b;
	int c = strcmp(x->namespace, y->namespace);

	if (!c)
		c = strcmp(x->name, y->name);
	if (!c)
		c = x->version < y->version ? -1 : x->version > y->version;
	return c;
}

/* Add every release found in rows (sorted by namespace, name, version). */
static int add_rows(hr_export_set *set, hr_index *idx, const hr_rev_summary *rows, size_t n,
		    const hr_export_opts *o, hr_error *err)
{
	size_t i = 0;

	while (i < n) {
		size_t j = i + 1;
		int rc;

		while (j < n && !strcmp(rows[j].namespace, rows[i].namespace) && !strcmp(rows[j].name, rows[i].name))
			j++;
		if ((rc = add_release(set, idx, rows + i, j - i, o, err)))
			return rc;
		i = j;
	}
	return 0;
}

int hr_export_collect(hr_export_set *set, hr_index *idx, const hr_export_sel *sel,
		      const hr_export_opts *o, hr_error *err)
{
	unsigned flags = o->include_deleted ? HR_Q_INCLUDE_DELETED : 0;
	hr_rev_summary *rows = NULL;
	size_t n = 0;
	int rc = 0;

	memset(set, 0, sizeof(*set));
	set->idx = idx;
	if (!sel->n) {
		if ((rc = hr_index_all(idx, sel->ns, flags, &rows, &n, err)))
			goto fail;
		rc = add_rows(set, idx, rows, n, o, err);
		hr_rev_summaries_free(rows, n);
		if (rc)
			goto fail;
	}
	for (size_t k = 0; k < sel->n; k++) {
		const char *ns = sel->nss ? sel->nss[k] : sel->ns;

		if ((rc = hr_index_history(idx, ns, sel->names[k], flags, &rows, &n, err)))
			goto fail;
		if (!n) {
			rc = hr_error_set(err, HR_ENOTFOUND, "release \"%s\" not found%s%s", sel->names[k],
					  ns ? " in namespace " : "", ns ? ns : "");
			goto fail;
		}
		rc = add_rows(set, idx, rows, n, o, err);
		hr_rev_summaries_free(rows, n);
		if (rc)
			goto fail;
	}
	qsort(set->items, set->n, sizeof(*set->items), cmp_item);
	for (size_t i = 1; i < set->n; i++) {
		hr_export_item *a = &set->items[i - 1], *b = &set->items[i];
		int same_src = !strcmp(a->src_namespace, b->src_namespace) && !strcmp(a->src_name, b->src_name);

		if (strcmp(a->namespace, b->namespace) || strcmp(a->name, b->name))
			continue;
		if (!same_src) {
			rc = hr_error_set(err, HR_ECONFLICT, "%s/%s and %s/%s would both become release %s/%s",
					  a->src_namespace, a->src_name, b->src_namespace, b->src_name,
					  a->namespace, a->name);
			goto fail;
		}
		if (a->version == b->version) {
			rc = hr_error_set(err, HR_EINVAL, "release %s/%s selected twice", a->src_namespace, a->src_name);
			goto fail;
		}
	}
	return 0;
fail:
	hr_export_set_free(set);
	return rc;
}
