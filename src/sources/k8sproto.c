/*
 * k8sproto.c — the Kubernetes storage encodings of Secrets and ConfigMaps as
 * found in etcd and kine values: a minimal, bounds-checked protobuf walker
 * for `k8s\0` + runtime.Unknown + v1.Secret / v1.ConfigMap / ObjectMeta, a
 * json-c reader for the JSON storage form, and the rule that tells a Helm
 * release record from any other object.
 *
 * Unknown protobuf fields are skipped by wire type, so newer apiservers'
 * additions (managedFields, ownerReferences, immutable ...) do not matter.
 * Every length is checked against the enclosing message before use; errors
 * carry the byte offset inside the stored value.
 */
#include "sources/k8sproto.h"
#include "util/array.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <json-c/json.h>

/* ---- protobuf walking ---- */

typedef struct pb {
	const unsigned char *p;
	size_t len;
	size_t pos;
	size_t base;            /* offset of p[0] in the whole value, for messages */
} pb;

typedef struct pb_field {
	uint32_t num;
	int wt;
	uint64_t u;             /* varint / fixed value */
	const unsigned char *ptr; /* length-delimited payload */
	size_t plen;
	size_t off;             /* absolute offset of the payload */
} pb_field;

static int pb_varint(pb *b, uint64_t *v, hr_error *err)
{
	uint64_t x = 0;

	for (int shift = 0; shift < 64; shift += 7) {
		if (b->pos >= b->len)
			return hr_error_set(err, HR_EFORMAT, "protobuf: truncated varint at byte %zu",
					    b->base + b->pos);
		unsigned char c = b->p[b->pos++];
		x |= (uint64_t)(c & 0x7f) << shift;
		if (!(c & 0x80)) {
			*v = x;
			return 0;
		}
	}
	return hr_error_set(err, HR_EFORMAT, "protobuf: varint too long at byte %zu", b->base + b->pos);
}

/* 1 with *f filled, 0 at the end of the message, or HR_EFORMAT. */
static int pb_next(pb *b, pb_field *f, hr_error *err)
{
	uint64_t tag, n;
	int rc;

	if (b->pos >= b->len)
		return 0;
	size_t at = b->base + b->pos;
	if ((rc = pb_varint(b, &tag, err)) < 0)
		return rc;
	f->num = (uint32_t)(tag >> 3);
	f->wt = (int)(tag & 7);
	f->ptr = NULL;
	f->plen = 0;
	if (f->num == 0 || tag >> 3 > UINT32_MAX)
		return hr_error_set(err, HR_EFORMAT, "protobuf: bad field number at byte %zu", at);
	switch (f->wt) {
	case 0:
		return pb_varint(b, &f->u, err) < 0 ? HR_EFORMAT : 1;
	case 1:
	case 5:
		n = f->wt == 1 ? 8 : 4;
		if (b->len - b->pos < n)
			return hr_error_set(err, HR_EFORMAT, "protobuf: truncated fixed field %u at byte %zu",
					    f->num, at);
		f->u = 0;
		for (uint64_t i = 0; i < n; i++)
			f->u |= (uint64_t)b->p[b->pos + i] << (8 * i);
		b->pos += n;
		return 1;
	case 2:
		if ((rc = pb_varint(b, &n, err)) < 0)
			return rc;
		if (n > b->len - b->pos)
			return hr_error_set(err, HR_EFORMAT,
					    "protobuf: field %u at byte %zu: length %llu runs past the end of its message",
					    f->num, at, (unsigned long long)n);
		f->ptr = b->p + b->pos;
		f->plen = (size_t)n;
		f->off = b->base + b->pos;
		b->pos += (size_t)n;
		return 1;
	default:
		return hr_error_set(err, HR_EFORMAT, "protobuf: unsupported wire type %d at byte %zu",
				    f->wt, at);
	}
}

static pb pb_sub(const pb_field *f)
{
	pb s = { f->ptr, f->plen, 0, f->off };
	return s;
}

static int need_bytes(const pb_field *f, const char *what, hr_error *err)
{
	if (f->wt != 2)
		return hr_error_set(err, HR_EFORMAT, "protobuf: %s (field %u) is not length-delimited at byte %zu",
				    what, f->num, f->off);
	return 0;
}

static char *dupn(const void *p, size_t n)
{
	char *s = malloc(n + 1);

	if (s) {
		memcpy(s, p, n);
		s[n] = 0;
	}
	return s;
}

static int set_str(char **dst, const pb_field *f, const char *what, hr_error *err)
{
	if (need_bytes(f, what, err) < 0)
		return HR_EFORMAT;
	free(*dst);
	if (!(*dst = dupn(f->ptr, f->plen)))
		return hr_error_set(err, HR_ENOMEM, "out of memory");
	return 0;
}

/* Decode a map entry message {1 key, 2 value}. */
static int map_entry(const pb_field *f, char **key, unsigned char **val, size_t *vlen, hr_error *err)
{
	pb s = pb_sub(f);
	pb_field e;
	const unsigned char *vp = (const unsigned char *)"";
	size_t vn = 0;
	const unsigned char *kp = (const unsigned char *)"";
	size_t kn = 0;
	int rc;

	if (need_bytes(f, "map entry", err) < 0)
		return HR_EFORMAT;
	while ((rc = pb_next(&s, &e, err)) == 1) {
		if ((e.num == 1 || e.num == 2) && need_bytes(&e, "map key/value", err) < 0)
			return HR_EFORMAT;
		if (e.num == 1) {
			kp = e.ptr;
			kn = e.plen;
		} else if (e.num == 2) {
			vp = e.ptr;
			vn = e.plen;
		}
	}
	if (rc < 0)
		return rc;
	*key = dupn(kp, kn);
	*val = (unsigned char *)dupn(vp, vn);
	*vlen = vn;
	if (!*key || !*val) {
		free(*key);
		free(*val);
		return hr_error_set(err, HR_ENOMEM, "out of memory");
	}
	return 0;
}

static int add_pair(hr_label **arr, size_t *n, size_t *cap, const pb_field *f, hr_error *err)
{
	char *k, *v;
	size_t vl;
	int rc;

	if ((rc = map_entry(f, &k, (unsigned char **)&v, &vl, err)) < 0)
		return rc;
	if (HR_ARRAY_GROW(*arr, *n + 1, *cap)) {
		free(k);
		free(v);
		return hr_error_set(err, HR_ENOMEM, "out of memory");
	}
	(*arr)[*n].key = k;
	(*arr)[(*n)++].value = v;
	return 0;
}

static int add_entry(hr_k8s_object *o, const pb_field *f, hr_error *err)
{
	hr_k8s_entry e;
	int rc;

	if ((rc = map_entry(f, &e.key, &e.val, &e.len, err)) < 0)
		return rc;
	if (HR_ARRAY_GROW(o->data, o->ndata + 1, o->capdata)) {
		free(e.key);
		free(e.val);
		return hr_error_set(err, HR_ENOMEM, "out of memory");
	}
	o->data[o->ndata++] = e;
	return 0;
}

static int set_time(char **dst, int64_t secs)
{
	struct tm tm;
	time_t t = (time_t)secs;
	char buf[64];

	if (!gmtime_r(&t, &tm) || tm.tm_year + 1900 > 9999 || tm.tm_year + 1900 < 0)
		snprintf(buf, sizeof(buf), "@%lld", (long long)secs);
	else
		strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	free(*dst);
	*dst = strdup(buf);
	return *dst ? 0 : HR_ENOMEM;
}

static int decode_time(char **dst, const pb_field *f, hr_error *err)
{
	pb s = pb_sub(f);
	pb_field e;
	int64_t secs = 0;
	int rc, any = 0;

	if (need_bytes(f, "creationTimestamp", err) < 0)
		return HR_EFORMAT;
	while ((rc = pb_next(&s, &e, err)) == 1) {
		if (e.num == 1 && e.wt == 0) {
			secs = (int64_t)e.u;
			any = 1;
		}
	}
	if (rc < 0)
		return rc;
	if (!any && f->plen == 0)
		return 0;   /* unset Time */
	if (set_time(dst, secs) < 0)
		return hr_error_set(err, HR_ENOMEM, "out of memory");
	return 0;
}

static int decode_meta(hr_k8s_object *o, const pb_field *mf, hr_error *err)
{
	pb s = pb_sub(mf);
	pb_field f;
	int rc;

	if (need_bytes(mf, "metadata", err) < 0)
		return HR_EFORMAT;
	while ((rc = pb_next(&s, &f, err)) == 1) {
		switch (f.num) {
		case 1: rc = set_str(&o->name, &f, "metadata.name", err); break;
		case 3: rc = set_str(&o->namespace, &f, "metadata.namespace", err); break;
		case 5: rc = set_str(&o->uid, &f, "metadata.uid", err); break;
		case 8: rc = decode_time(&o->created, &f, err); break;
		case 11: rc = add_pair(&o->labels, &o->nlabels, &o->caplabels, &f, err); break;
		case 12: rc = add_pair(&o->annotations, &o->nannotations, &o->capannotations, &f, err); break;
		default: rc = 0;
		}
		if (rc < 0)
			return rc;
	}
	return rc;
}

/*
 * Every top-level object has ObjectMeta as field 1.  v1.Secret adds
 * {2 data, 3 type}, v1.ConfigMap {2 data, 3 binaryData (ignored)}.
 */
static int decode_object(hr_k8s_object *o, const pb_field *raw, hr_error *err)
{
	int secret = !strcmp(o->kind, "Secret"), cm = !strcmp(o->kind, "ConfigMap");
	pb s = pb_sub(raw);
	pb_field f;
	int rc;

	if (secret && !(o->type = strdup("")))
		return hr_error_set(err, HR_ENOMEM, "out of memory");
	while ((rc = pb_next(&s, &f, err)) == 1) {
		if (f.num == 1)
			rc = decode_meta(o, &f, err);
		else if (f.num == 2 && (secret || cm))
			rc = add_entry(o, &f, err);
		else if (f.num == 3 && secret)
			rc = set_str(&o->type, &f, "type", err);
		if (rc < 0)
			return rc;
	}
	return rc;
}

int hr_k8s_decode_proto(hr_k8s_object *out, const unsigned char *buf, size_t len, hr_error *err)
{
	hr_k8s_object o = HR_K8S_OBJECT_INIT;
	pb s = { buf, len, 4, 0 };
	pb_field f, raw = { 0 };
	int rc, have_raw = 0;

	memset(out, 0, sizeof(*out));
	if (len < 4 || memcmp(buf, "k8s\0", 4))
		return hr_error_set(err, HR_EFORMAT, "not a Kubernetes protobuf value (no k8s\\0 magic)");
	while ((rc = pb_next(&s, &f, err)) == 1) {
		if (f.num == 1) {
			pb t;
			pb_field tf;
			if (need_bytes(&f, "typeMeta", err) < 0) {
				rc = HR_EFORMAT;
				goto fail;
			}
			t = pb_sub(&f);
			while ((rc = pb_next(&t, &tf, err)) == 1) {
				if (tf.num == 1)
					rc = set_str(&o.api_version, &tf, "apiVersion", err);
				else if (tf.num == 2)
					rc = set_str(&o.kind, &tf, "kind", err);
				if (rc < 0)
					goto fail;
			}
		} else if (f.num == 2) {
			if (need_bytes(&f, "raw", err) < 0) {
				rc = HR_EFORMAT;
				goto fail;
			}
			raw = f;
			have_raw = 1;
		} else if (f.num == 3 && f.wt == 2 && f.plen) {
			rc = hr_error_set(err, HR_EUNSUPPORTED, "protobuf: contentEncoding \"%.*s\" is not supported",
					  (int)(f.plen > 40 ? 40 : f.plen), (const char *)f.ptr);
		}
		if (rc < 0)
			goto fail;
	}
	if (rc < 0)
		goto fail;
	if (!o.kind || !have_raw) {
		rc = hr_error_set(err, HR_EFORMAT, "protobuf: runtime.Unknown without %s",
				  o.kind ? "raw object" : "kind");
		goto fail;
	}
	if ((rc = decode_object(&o, &raw, err)) < 0) {
		hr_error_prefix(err, rc, "%s: ", o.kind);
		goto fail;
	}
	*out = o;
	return 0;
fail:
	hr_k8s_object_release(&o);
	return rc;
}

int hr_mvcc_kv_decode(hr_mvcc_kv *out, const unsigned char *buf, size_t len, hr_error *err)
{
	pb s = { buf, len, 0, 0 };
	pb_field f;
	int rc;

	memset(out, 0, sizeof(*out));
	out->key = out->value = (const unsigned char *)"";
	while ((rc = pb_next(&s, &f, err)) == 1) {
		if ((f.num == 1 || f.num == 5) && need_bytes(&f, "KeyValue key/value", err) < 0)
			return HR_EFORMAT;
		switch (f.num) {
		case 1: out->key = f.ptr; out->klen = f.plen; break;
		case 2: out->create_revision = (int64_t)f.u; break;
		case 3: out->mod_revision = (int64_t)f.u; break;
		case 4: out->version = (int64_t)f.u; break;
		case 5: out->value = f.ptr; out->vlen = f.plen; out->value_off = f.off; break;
		case 6: out->lease = (int64_t)f.u; break;
		}
	}
	return rc;
}

/* ---- JSON ---- */

static int json_str(char **dst, struct json_object *obj, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(obj, key, &v) || !json_object_is_type(v, json_type_string))
		return 0;
	free(*dst);
	*dst = dupn(json_object_get_string(v), (size_t)json_object_get_string_len(v));
	return *dst ? 0 : HR_ENOMEM;
}

static int json_pairs(hr_label **arr, size_t *n, size_t *cap, struct json_object *obj, const char *key)
{
	struct json_object *m;
	int rc;

	if (!json_object_object_get_ex(obj, key, &m) || !json_object_is_type(m, json_type_object))
		return 0;
	json_object_object_foreach(m, k, v) {
		if (json_object_is_type(v, json_type_string) &&
		    (rc = hr_labels_add(arr, n, cap, k, json_object_get_string(v))) < 0)
			return rc;
	}
	return 0;
}

static int json_data(hr_k8s_object *o, struct json_object *obj)
{
	struct json_object *m;

	if (!json_object_object_get_ex(obj, "data", &m) || !json_object_is_type(m, json_type_object))
		return 0;
	json_object_object_foreach(m, k, v) {
		hr_k8s_entry *p;
		if (!json_object_is_type(v, json_type_string))
			continue;
		if (HR_ARRAY_GROW(o->data, o->ndata + 1, o->capdata))
			return HR_ENOMEM;
		p = o->data;
		p[o->ndata].key = strdup(k);
		p[o->ndata].len = (size_t)json_object_get_string_len(v);
		p[o->ndata].val = (unsigned char *)dupn(json_object_get_string(v), p[o->ndata].len);
		if (!p[o->ndata].key || !p[o->ndata].val) {
			free(p[o->ndata].key);
			free(p[o->ndata].val);
			return HR_ENOMEM;
		}
		o->ndata++;
	}
	return 0;
}

int hr_k8s_decode_json(hr_k8s_object *out, const unsigned char *buf, size_t len, hr_error *err)
{
	hr_k8s_object o = HR_K8S_OBJECT_INIT;
	struct json_tokener *tok = NULL;
	struct json_object *root = NULL, *meta;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	if (len > INT32_MAX)
		return hr_error_set(err, HR_ETOOBIG, "JSON value of %zu bytes is too large", len);
	if (!(tok = json_tokener_new()))
		return hr_error_set(err, HR_ENOMEM, "out of memory");
	root = json_tokener_parse_ex(tok, (const char *)buf, (int)len);
	if (!root || !json_object_is_type(root, json_type_object)) {
		rc = hr_error_set(err, HR_EFORMAT, "JSON value: %s at byte %zu",
				  root ? "not an object" : json_tokener_error_desc(json_tokener_get_error(tok)),
				  json_tokener_get_parse_end(tok));
		goto out;
	}
	o.json = 1;
	if (json_str(&o.api_version, root, "apiVersion") || json_str(&o.kind, root, "kind"))
		goto oom;
	if (json_object_object_get_ex(root, "metadata", &meta) && json_object_is_type(meta, json_type_object)) {
		struct json_object *ts;
		if (json_str(&o.name, meta, "name") || json_str(&o.namespace, meta, "namespace") ||
		    json_str(&o.uid, meta, "uid") ||
		    json_pairs(&o.labels, &o.nlabels, &o.caplabels, meta, "labels") ||
		    json_pairs(&o.annotations, &o.nannotations, &o.capannotations, meta, "annotations"))
			goto oom;
		if (json_object_object_get_ex(meta, "creationTimestamp", &ts) &&
		    json_object_is_type(ts, json_type_string) && json_str(&o.created, meta, "creationTimestamp"))
			goto oom;
	}
	if (!o.kind) {
		rc = hr_error_set(err, HR_EFORMAT, "JSON value has no kind");
		goto out;
	}
	if (!strcmp(o.kind, "Secret")) {
		if (!(o.type = strdup("")) || json_str(&o.type, root, "type"))
			goto oom;
	}
	if ((!strcmp(o.kind, "Secret") || !strcmp(o.kind, "ConfigMap")) && json_data(&o, root))
		goto oom;
	*out = o;
	memset(&o, 0, sizeof(o));
	goto out;
oom:
	rc = hr_error_set(err, HR_ENOMEM, "out of memory");
out:
	hr_k8s_object_release(&o);
	json_object_put(root);
	json_tokener_free(tok);
	return rc;
}

int hr_k8s_decode(hr_k8s_object *out, const unsigned char *buf, size_t len, hr_error *err)
{
	size_t i = 0;

	if (len >= 4 && !memcmp(buf, "k8s\0", 4))
		return hr_k8s_decode_proto(out, buf, len, err);
	while (i < len && (buf[i] == ' ' || buf[i] == '\n' || buf[i] == '\r' || buf[i] == '\t'))
		i++;
	if (i < len && buf[i] == '{')
		return hr_k8s_decode_json(out, buf, len, err);
	memset(out, 0, sizeof(*out));
	if (len >= 8 && !memcmp(buf, "k8s:enc:", 8))
		return hr_error_set(err, HR_EUNSUPPORTED, "value is still encrypted");
	return hr_error_set(err, HR_EUNSUPPORTED,
			    "value is neither Kubernetes protobuf (k8s\\0) nor JSON (first byte 0x%02x)",
			    len ? buf[0] : 0);
}

void hr_k8s_object_release(hr_k8s_object *o)
{
	if (!o)
		return;
	free(o->api_version);
	free(o->kind);
	free(o->name);
	free(o->namespace);
	free(o->uid);
	free(o->created);
	free(o->type);
	hr_labels_free(o->labels, o->nlabels);
	hr_labels_free(o->annotations, o->nannotations);
	for (size_t i = 0; i < o->ndata; i++) {
		free(o->data[i].key);
		free(o->data[i].val);
	}
	free(o->data);
	memset(o, 0, sizeof(*o));
}

const hr_k8s_entry *hr_k8s_object_data(const hr_k8s_object *o, const char *key)
{
	for (size_t i = 0; i < o->ndata; i++)
		if (!strcmp(o->data[i].key, key))
			return &o->data[i];
	return NULL;
}

const char *hr_k8s_object_label(const hr_k8s_object *o, const char *key)
{
	for (size_t i = 0; i < o->nlabels; i++)
		if (!strcmp(o->labels[i].key, key))
			return o->labels[i].value;
	return NULL;
}

int hr_k8s_object_to_record(hr_record **out, const hr_k8s_object *o, hr_source_stats *stats, hr_error *err)
{
	const char *owner = hr_k8s_object_label(o, "owner");
	const char *tiller = hr_k8s_object_label(o, "OWNER");
	int secret = o->kind && !strcmp(o->kind, "Secret");
	int cm = o->kind && !strcmp(o->kind, "ConfigMap");
	const hr_k8s_entry *rel;
	hr_record *r = NULL;
	int rc, helm2 = (secret || cm) && tiller && !strcmp(tiller, "TILLER");

	*out = NULL;
	if (helm2) {
		stats->helm2++;   /* a Tiller record: yielded as HR_DRIVER_HELM2_* */
	} else if (!(secret && ((o->type && !strcmp(o->type, "helm.sh/release.v1")) || (owner && !strcmp(owner, "helm")))) &&
		   !(cm && owner && !strcmp(owner, "helm"))) {
		stats->skipped_other++;
		return 0;
	}
	if (!(rel = hr_k8s_object_data(o, "release")))
		return hr_error_set(err, HR_ESKIP, "%s %s/%s: Helm record without data.release",
				    secret ? "secret" : "configmap", o->namespace ? o->namespace : "",
				    o->name ? o->name : "");
	if (hr_record_new(&r) < 0)
		goto oom;
	if (helm2)
		r->driver = secret ? HR_DRIVER_HELM2_SECRET : HR_DRIVER_HELM2_CONFIGMAP;
	else
		r->driver = secret ? HR_DRIVER_SECRET : HR_DRIVER_CONFIGMAP;
	r->form = secret && o->json ? HR_PAYLOAD_K8S_B64 : HR_PAYLOAD_HELM;
	if (hr_record_set_str(&r->name, o->name ? o->name : "") < 0 ||
	    hr_record_set_str(&r->namespace, o->namespace ? o->namespace : "") < 0 ||
	    hr_record_set_str(&r->created, o->created) < 0 ||
	    hr_record_set_payload(r, (const char *)rel->val, rel->len) < 0)
		goto oom;
	for (size_t i = 0; i < o->nlabels; i++)
		if (hr_record_add_label(r, o->labels[i].key, o->labels[i].value) < 0)
			goto oom;
	for (size_t i = 0; i < o->nannotations; i++)
		if (hr_record_add_annotation(r, o->annotations[i].key, o->annotations[i].value) < 0)
			goto oom;
	*out = r;
	return 1;
oom:
	rc = hr_error_set(err, HR_ENOMEM, "out of memory");
	hr_record_free(r);
	return rc;
}
