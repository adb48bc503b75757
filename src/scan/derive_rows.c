/*
 * derive_rows.c — the `resource`, `hook` and `value` rows of a release body
 * (see derive_rows.h), built off the index writer's thread.
 *
 * Manifests are read with the manifest model (model/manifest.h): split
 * with helm's line-start separator `(?m)^---[ \t]*` (HR_SPLIT_H424, the
 * rule this table has always used), and each document's head read by
 * hr_manifest_head_quick (by line, no libyaml).  Exact, writer-specific
 * splitting and libyaml heads are for rollback and diff.
 */
#include "scan/derive_rows.h"
#include "codec/codec.h"
#include "model/manifest.h"
#include "model/release.h"
#include "util/array.h"

#include <stdlib.h>
#include <string.h>

static int put(hr_derived *d, const char *s, size_t *off)
{
	return hr_derived_put(d, s, s ? strlen(s) : 0, off);
}

static int add_resources(hr_derived *d, const char *manifest, hr_error *err)
{
	hr_span *docs = NULL;
	size_t n = 0;
	int seq = 0, rc = 0;

	if (!manifest)
		return 0;
	if ((rc = hr_manifest_split(manifest, strlen(manifest), HR_SPLIT_H424, &docs, &n, err)))
		return rc;
	for (size_t i = 0; i < n && !rc; i++) {
		const char *doc = manifest + docs[i].off;
		hr_doc_head h = HR_DOC_HEAD_INIT;
		hr_resource_row *r;

		if (hr_manifest_head_quick(&h, doc, docs[i].len)) {
			rc = HR_ENOMEM;
		} else if (h.kind || h.api_version) {
			if (HR_ARRAY_GROW(d->resources, d->nresources + 1, d->resources_alloc)) {
				rc = HR_ENOMEM;
			} else {
				r = &d->resources[d->nresources++];
				r->seq = seq++;
				hr_sha256_hex(doc, docs[i].len, r->sha256);
				if (put(d, h.api_version, &r->api_version) || put(d, h.kind, &r->kind) ||
				    put(d, h.namespace, &r->namespace) || put(d, h.name, &r->name) ||
				    put(d, h.source, &r->source_path))
					rc = HR_ENOMEM;
			}
		}
		hr_doc_head_release(&h);
	}
	free(docs);
	return rc ? hr_error_set(err, HR_ENOMEM, "out of memory") : 0;   /* (only allocations fail in the loop) */
}

/* The strings of array `arr` joined by ',' into d->text (NULL when not a non-empty array). */
static int put_joined(hr_derived *d, struct json_object *arr, size_t *off)
{
	size_t n = arr && json_object_is_type(arr, json_type_array) ? json_object_array_length(arr) : 0;
	int rc = 0;

	*off = HR_DERIVED_NULL;
	if (!n)
		return 0;
	*off = d->text.len;
	for (size_t i = 0; i < n && !rc; i++) {
		const char *s = json_object_get_string(json_object_array_get_idx(arr, i));

		if (i)
			rc = hr_buf_putc(&d->text, ',');
		if (!rc)
			rc = hr_buf_puts(&d->text, s ? s : "");
	}
	return rc ? rc : hr_buf_putc(&d->text, '\0');
}

static int add_hooks(hr_derived *d, struct json_object *hooks)
{
	size_t n = hooks && json_object_is_type(hooks, json_type_array) ? json_object_array_length(hooks) : 0;

	for (size_t i = 0; i < n; i++) {
		struct json_object *h = json_object_array_get_idx(hooks, i);
		hr_hook_row *r;

		if (HR_ARRAY_GROW(d->hooks, d->nhooks + 1, d->hooks_alloc))
			return HR_ENOMEM;
		r = &d->hooks[d->nhooks++];
		r->seq = (int)i;
		r->weight = hr_release_int(h, "weight", 0);
		if (put(d, hr_release_str(h, "name"), &r->name) || put(d, hr_release_str(h, "kind"), &r->kind) ||
		    put(d, hr_release_str(h, "path"), &r->path) ||
		    put_joined(d, hr_release_get(h, "events"), &r->events) ||
		    put_joined(d, hr_release_get(h, "delete_policies"), &r->delete_policies) ||
		    put(d, hr_release_str_nonempty(h, "last_run.phase"), &r->last_run_phase) ||
		    put(d, hr_release_str_nonempty(h, "last_run.started_at"), &r->last_run_started) ||
		    put(d, hr_release_str_nonempty(h, "last_run.completed_at"), &r->last_run_completed))
			return HR_ENOMEM;
	}
	return 0;
}

static int flatten(hr_derived *d, hr_buf *path, struct json_object *v, int depth)
{
	size_t mark = path->len;
	hr_value_row *r;
	int rc = 0;

	if (depth > 64)
		return 0;
	if (v && json_object_is_type(v, json_type_object)) {
		json_object_object_foreach(v, k, child) {
			if (path->len)
				hr_buf_putc(path, '.');
			hr_buf_puts(path, k);
			rc = flatten(d, path, child, depth + 1);
			hr_buf_truncate(path, mark);
			if (rc)
				return rc;
		}
		return 0;
	}
	if (v && json_object_is_type(v, json_type_array)) {
		size_t n = json_object_array_length(v);

		for (size_t i = 0; i < n; i++) {
			hr_buf_printf(path, "[%zu]", i);
			rc = flatten(d, path, json_object_array_get_idx(v, i), depth + 1);
			hr_buf_truncate(path, mark);
			if (rc)
				return rc;
		}
		return 0;
	}
	if (HR_ARRAY_GROW(d->values, d->nvalues + 1, d->values_alloc))
		return HR_ENOMEM;
	r = &d->values[d->nvalues++];
	if (put(d, hr_buf_cstr(path), &r->path) ||
	    put(d, json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE),
		&r->value))
		return HR_ENOMEM;
	return 0;
}

int hr_scan_derive_rows(hr_derived *d, struct json_object *rel, hr_error *err)
{
	struct json_object *config = hr_release_get(rel, "config");
	hr_buf path = HR_BUF_INIT;
	int rc;

	hr_derived_clear(d);
	if ((rc = add_resources(d, hr_release_str(rel, "manifest"), err)))
		return rc;
	if (add_hooks(d, hr_release_get(rel, "hooks")))
		return hr_error_set(err, HR_ENOMEM, "out of memory");
	if (config && json_object_is_type(config, json_type_object) && flatten(d, &path, config, 0)) {
		hr_buf_free(&path);
		return hr_error_set(err, HR_ENOMEM, "out of memory");
	}
	hr_buf_free(&path);
	d->built = 1;
	return 0;
}
