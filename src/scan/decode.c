/*
 * decode.c — hr_scan_decode_record: a scanned record's payload through
 * hr_codec_release_json, with the record's provenance in the error; and
 * hr_scan_decode_live: a live object of the dump to the index's row
 * (identity, managedFields owners as JSON pointers, gzip'd body).
 */
#include "scan/decode.h"
#include "util/array.h"

#include <libdeflate.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int hr_scan_decode_record(const hr_record *rec, size_t max_payload, int full, hr_decoded *dec,
			  struct json_object **rel, hr_error *err)
{
	const char *where = rec->location ? rec->location : "";
	int rc;

	rc = hr_codec_release_json(dec, rel, rec->payload, rec->payload_len, rec->form, max_payload,
				   full ? HR_RELEASE_FULL : HR_RELEASE_SCAN, err);
	if (rc)
		return hr_error_prefix(err, rc, "%s: %s%s%s/%s: ", rec->source_path ? rec->source_path : "-", where,
				       *where ? ": " : "", rec->namespace ? rec->namespace : "",
				       rec->name ? rec->name : "(bare payload)");
	return 0;
}

static struct json_object *member(struct json_object *o, const char *key)
{
	struct json_object *v = NULL;

	if (!o || !json_object_is_type(o, json_type_object) || !json_object_object_get_ex(o, key, &v))
		return NULL;
	return v;
}

static const char *text(struct json_object *o, const char *key)
{
	struct json_object *v = member(o, key);

	return v && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

/* strdup that keeps NULL; *oom set on failure. */
static char *dup_opt(const char *s, int *oom)
{
	char *d;

	if (!s)
		return NULL;
	d = strdup(s);
	if (!d)
		*oom = 1;
	return d;
}

/* Append "/" and `seg` escaped as a JSON pointer token (~ -> ~0, / -> ~1). */
static int put_token(hr_buf *b, const char *seg, size_t len)
{
	int rc = hr_buf_putc(b, '/');

	for (size_t i = 0; i < len && !rc; i++)
		rc = seg[i] == '~' ? hr_buf_puts(b, "~0") : seg[i] == '/' ? hr_buf_puts(b, "~1") : hr_buf_putc(b, seg[i]);
	return rc;
}

/* Index of the element of array `live` whose members equal every member of `keys` (as text); -1 if none. */
static long find_keyed(struct json_object *live, struct json_object *keys)
{
	size_t n = live && json_object_is_type(live, json_type_array) ? json_object_array_length(live) : 0;

	for (size_t i = 0; i < n; i++) {
		struct json_object *el = json_object_array_get_idx(live, i);
		int all = 1;

		json_object_object_foreach(keys, k, want) {
			struct json_object *got = member(el, k);

			if (!got || strcmp(json_object_get_string(got), json_object_get_string(want))) {
				all = 0;
				break;
			}
		}
		if (all)
			return (long)i;
	}
	return -1;
}

/* Index of the element of array `live` equal (as JSON text) to `value`; -1 if none. */
static long find_value(struct json_object *live, struct json_object *value)
{
	size_t n = live && json_object_is_type(live, json_type_array) ? json_object_array_length(live) : 0;
	const char *want = json_object_to_json_string_ext(value, JSON_C_TO_STRING_PLAIN);

	for (size_t i = 0; i < n; i++)
		if (!strcmp(json_object_to_json_string_ext(json_object_array_get_idx(live, i), JSON_C_TO_STRING_PLAIN),
			    want))
			return (long)i;
	return -1;
}

/*
 * Flatten a fieldsV1 tree into the JSON pointers it owns, one a line, into
 * `out`: the leaves (empty objects: a scalar, or an atomic list or map).  `live` is
 * the object's node at `path` (list keys "k:" / "v:" resolve to indexes).
 */
static int flatten_fields(struct json_object *fv, struct json_object *live, hr_buf *path, hr_buf *out, int depth)
{
	int rc = 0;

	if (!fv || depth > 64 || !json_object_is_type(fv, json_type_object))
		return 0;
	if (json_object_object_length(fv) == 0)
		return hr_buf_printf(out, "%s\n", path->len ? path->ptr : "");
	json_object_object_foreach(fv, k, sub) {
		size_t base = path->len;
		struct json_object *child = NULL;
		char idx[32];

		if (!strcmp(k, ".")) {
			/* "." owns the element's presence, not its fields: no pointer */
		} else if (!strncmp(k, "f:", 2)) {
			child = member(live, k + 2);
			if (!(rc = put_token(path, k + 2, strlen(k + 2))))
				rc = flatten_fields(sub, child, path, out, depth + 1);
		} else if (!strncmp(k, "k:", 2) || !strncmp(k, "v:", 2) || !strncmp(k, "i:", 2)) {
			struct json_object *parsed = k[0] == 'i' ? NULL : json_tokener_parse(k + 2);
			long i = -1;

			if (k[0] == 'i') {
				char *end;
				long v = strtol(k + 2, &end, 10);

				i = *end ? -1 : v;
			} else if (parsed) {
				i = k[0] == 'k' && json_object_is_type(parsed, json_type_object) ? find_keyed(live, parsed)
												  : find_value(live, parsed);
			}
			json_object_put(parsed);
			if (i >= 0) {
				snprintf(idx, sizeof(idx), "%ld", i);
				child = json_object_is_type(live, json_type_array) ? json_object_array_get_idx(live, (size_t)i)
										  : NULL;
				if (!(rc = put_token(path, idx, strlen(idx))))
					rc = flatten_fields(sub, child, path, out, depth + 1);
			}
		}
		hr_buf_truncate(path, base);
		if (rc)
			break;
	}
	return rc;
}

static int add_managers(hr_live_object *o, struct json_object *obj, struct json_object *mf)
{
	size_t n = mf && json_object_is_type(mf, json_type_array) ? json_object_array_length(mf) : 0;
	hr_buf path = HR_BUF_INIT, fields = HR_BUF_INIT;
	int rc = 0, oom = 0;

	for (size_t i = 0; i < n && !rc; i++) {
		struct json_object *e = json_object_array_get_idx(mf, i);
		const char *t = text(e, "time");
		hr_live_manager *m;

		if (HR_ARRAY_GROW(o->managers, o->nmanagers + 1, o->managers_alloc)) {
			rc = HR_ENOMEM;
			break;
		}
		m = &o->managers[o->nmanagers++];
		memset(m, 0, sizeof(*m));
		m->manager = dup_opt(text(e, "manager") ? text(e, "manager") : "", &oom);
		m->operation = dup_opt(text(e, "operation"), &oom);
		m->subresource = dup_opt(text(e, "subresource"), &oom);
		m->time = dup_opt(t, &oom);
		hr_buf_clear(&fields);
		hr_buf_clear(&path);
		if ((rc = flatten_fields(member(e, "fieldsV1"), obj, &path, &fields, 0)) == 0)
			m->fields = dup_opt(hr_buf_cstr(&fields), &oom);
		if (t && (!o->observed || strcmp(t, o->observed) > 0)) {
			free(o->observed);
			o->observed = dup_opt(t, &oom);
		}
	}
	hr_buf_free(&path);
	hr_buf_free(&fields);
	return rc ? rc : oom ? HR_ENOMEM : 0;
}

/*
 * gzip at libdeflate's level 1: bodies are read back rarely (drift, status),
 * and zlib's level 9 (hr_gzip_deflate, for Helm's exact bytes) took a
 * quarter of a scan of a dump full of objects.  Any gunzip reads it.
 */
static int gzip_fast(hr_buf *out, const char *in, size_t len, hr_error *err)
{
	struct libdeflate_compressor *c = libdeflate_alloc_compressor(1);
	size_t bound, n;
	int rc = 0;

	if (!c)
		return hr_error_set(err, HR_ENOMEM, "out of memory");
	bound = libdeflate_gzip_compress_bound(c, len);
	if (hr_buf_grow(out, bound)) {
		rc = hr_error_set(err, HR_ENOMEM, "out of memory");
	} else if ((n = libdeflate_gzip_compress(c, in, len, out->ptr + out->len, bound)) == 0) {
		rc = hr_error_set(err, HR_EFORMAT, "gzip: cannot compress the object");
	} else {
		out->len += n;
		out->ptr[out->len] = '\0';
	}
	libdeflate_free_compressor(c);
	return rc;
}

int hr_scan_decode_live(const hr_record *rec, hr_live_object *o, hr_error *err)
{
	struct json_object *obj = NULL, *meta, *ann;
	const char *where = rec->location ? rec->location : "";
	int rc = 0, oom = 0;

	memset(o, 0, sizeof(*o));
	obj = json_tokener_parse(rec->payload ? rec->payload : "");
	meta = member(obj, "metadata");
	if (!text(obj, "apiVersion") || !text(obj, "kind") || !text(meta, "name")) {
		rc = hr_error_set(err, HR_ESKIP, "%s: %s: not a Kubernetes object", rec->source_path ? rec->source_path : "-",
				  where);
		goto out;
	}
	ann = member(meta, "annotations");
	o->api_version = dup_opt(text(obj, "apiVersion"), &oom);
	o->kind = dup_opt(text(obj, "kind"), &oom);
	o->namespace = dup_opt(text(meta, "namespace") ? text(meta, "namespace") : "", &oom);
	o->name = dup_opt(text(meta, "name"), &oom);
	o->uid = dup_opt(text(meta, "uid"), &oom);
	o->resource_version = dup_opt(text(meta, "resourceVersion") ? text(meta, "resourceVersion") : "", &oom);
	o->created = dup_opt(text(meta, "creationTimestamp"), &oom);
	o->observed = dup_opt(o->created, &oom);
	o->release_name = dup_opt(text(ann, "meta.helm.sh/release-name"), &oom);
	o->release_namespace = dup_opt(text(ann, "meta.helm.sh/release-namespace"), &oom);
	o->location = dup_opt(where, &oom);
	{
		const char *mb = text(member(meta, "labels"), "app.kubernetes.io/managed-by");

		o->managed_by_helm = mb && !strcmp(mb, "Helm");
	}
	if (oom || (rc = add_managers(o, obj, member(meta, "managedFields"))) < 0) {
		rc = hr_error_set(err, HR_ENOMEM, "out of memory");
		goto out;
	}
	o->body_size = rec->payload_len;
	if ((rc = gzip_fast(&o->body, rec->payload, rec->payload_len, err)) < 0)
		goto out;
out:
	json_object_put(obj);
	if (rc)
		hr_live_object_clear(o);
	return rc;
}
