/*
 * rollback.c — the release records `helm rollback` writes, rebuilt offline:
 * the new revision copied from the target the way pkg/action/rollback.go
 * does, the deployed revisions re-saved as superseded, each re-marshalled
 * in the JSON shape of the helm that writes it (hr_release_reshape,
 * model/release.h), encoded as helm encodes (codec.h) and labelled as
 * helm's Update labels (codec/record_write.h); plus the plan of what is
 * applied and deleted.  Rendering and writing the bundle is rollback_out.c.
 */
#include "rollback/rollback.h"
#include "codec/codec.h"
#include "codec/gojson.h"
#include "codec/record_write.h"
#include "model/release.h"
#include "util/array.h"
#include "util/gotime.h"
#include "util/goutf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- the new revision ---- */

/* Add `v` (borrowed; NULL = nothing) to `dst` under `k`, sharing it. */
static int put(struct json_object *dst, const char *k, struct json_object *v)
{
	if (!v)
		return 0;
	if (json_object_object_add(dst, k, json_object_get(v))) {
		json_object_put(v);
		return HR_ENOMEM;
	}
	return 0;
}

static int put_str(struct json_object *dst, const char *k, const char *s)
{
	struct json_object *v = json_object_new_string(s);
	int rc = v ? put(dst, k, v) : HR_ENOMEM;

	json_object_put(v);
	return rc;
}

/*
 * What helm's rollback copies, as a release tree that borrows the parts of
 * `last` and `target` (pkg/action/rollback.go): from the target chart,
 * config, manifest, hooks, info.notes; from the last namespace and
 * info.first_deployed; set name, version last+1, info.last_deployed `now`,
 * description and status, apply_method `am`.  Reshaping it for the writer
 * gives the stored record.
 */
static int copied_release(struct json_object **out, struct json_object *last, struct json_object *target,
			  const char *now, const char *desc, const char *status, const char *am)
{
	struct json_object *rel = json_object_new_object(), *info = json_object_new_object(), *v;
	struct json_object *lastinfo = hr_release_member(last, "info"), *tinfo = hr_release_member(target, "info");
	int rc = rel && info ? 0 : HR_ENOMEM;

	rc = rc ? rc : put(info, "first_deployed", hr_release_member(lastinfo, "first_deployed"));
	rc = rc ? rc : put_str(info, "last_deployed", now);
	rc = rc ? rc : put_str(info, "description", desc);
	rc = rc ? rc : put_str(info, "status", status);
	rc = rc ? rc : put(info, "notes", hr_release_member(tinfo, "notes"));
	rc = rc ? rc : put_str(rel, "name", hr_release_name(last));
	rc = rc ? rc : put(rel, "info", info);
	rc = rc ? rc : put(rel, "chart", hr_release_member(target, "chart"));
	rc = rc ? rc : put(rel, "config", hr_release_member(target, "config"));
	rc = rc ? rc : put(rel, "manifest", hr_release_member(target, "manifest"));
	rc = rc ? rc : put(rel, "hooks", hr_release_member(target, "hooks"));
	if (!rc) {
		v = json_object_new_int64(hr_release_version(last) + 1);
		rc = v ? put(rel, "version", v) : HR_ENOMEM;
		json_object_put(v);
	}
	rc = rc ? rc : put(rel, "namespace", hr_release_member(last, "namespace"));
	if (!rc && am)
		rc = put_str(rel, "apply_method", am);
	json_object_put(info);
	if (rc)
		json_object_put(rel);
	*out = rc ? NULL : rel;
	return rc;
}

int hr_rollback_record(struct json_object **out, struct json_object *last, struct json_object *target,
		       const char *status, const hr_rollback_opts *o, hr_error *err)
{
	static const hr_rollback_opts dflt = { 0 };
	struct json_object *rel = NULL;
	const char *ss, *am = NULL, *name;
	int major, rc;
	int64_t tv, lv;
	hr_buf now = HR_BUF_INIT, desc = HR_BUF_INIT;

	*out = NULL;
	o = o ? o : &dflt;
	major = o->writer_major ? o->writer_major : 4;
	ss = o->server_side ? o->server_side : "auto";
	name = hr_release_name(last);
	tv = hr_release_version(target);
	lv = hr_release_version(last);
	if (!name || !*name || tv <= 0 || lv <= 0)
		return hr_error_set(err, HR_EINVAL, "rollback: release name or version missing");
	if (major >= 4) {
		if (!strcmp(ss, "auto")) {
			const char *t = hr_release_str(target, "apply_method");

			am = t && !strcmp(t, "ssa") ? "ssa" : "csa";
		} else if (!strcmp(ss, "true")) {
			am = "ssa";
		} else if (!strcmp(ss, "false")) {
			am = "csa";
		} else {
			return hr_error_set(err, HR_EINVAL, "invalid/unknown release server-side apply method: %s", ss);
		}
	}
	if (o->now) {
		rc = hr_buf_puts(&now, o->now) ? hr_error_set(err, HR_ENOMEM, "out of memory") : 0;
	} else {
		hr_gotime t;

		hr_gotime_now_utc(&t);
		rc = hr_gotime_json(&now, &t, err);
	}
	if (rc)
		goto out;
	if (o->description ? hr_buf_puts(&desc, o->description) : hr_buf_printf(&desc, "Rollback to %lld", (long long)tv)) {
		rc = hr_error_set(err, HR_ENOMEM, "out of memory");
		goto out;
	}
	if ((rc = copied_release(&rel, last, target, now.ptr, desc.ptr, status ? status : "deployed", am))) {
		rc = hr_error_set(err, rc, "out of memory");
		goto out;
	}
	rc = hr_release_reshape(out, rel, major, HR_RESHAPE_ROLLBACK_HOOKS, err);
out:
	json_object_put(rel);
	hr_buf_free(&now);
	hr_buf_free(&desc);
	return rc;
}

/* ---- the plan ---- */

static void rec_free(hr_rollback_rec *r)
{
	json_object_put(r->rel);
	json_object_put(r->labels);
	free(r->json);
	free(r->payload);
	memset(r, 0, sizeof(*r));
}

void hr_rollback_bundle_free(hr_rollback_bundle *b)
{
	if (!b)
		return;
	free(b->name);
	free(b->namespace);
	rec_free(&b->record);
	for (size_t i = 0; i < b->nsuperseded; i++)
		rec_free(&b->superseded[i]);
	free(b->superseded);
	hr_resource_list_free(&b->resources);
	hr_resource_list_free(&b->current);
	free(b->removed);
	free(b->pre);
	free(b->post);
	memset(b, 0, sizeof(*b));
}

/* Fill json and payload of r from r->rel; labels from orig. */
static int rec_encode(hr_rollback_rec *r, struct json_object *orig_labels, const char *name, const char *status,
		      int64_t modified, hr_error *err)
{
	hr_buf j = HR_BUF_INIT, p = HR_BUF_INIT;
	int rc;

	if ((rc = hr_gojson_write(&j, r->rel, 0)))
		goto out;
	if ((rc = hr_codec_encode(&p, j.ptr, j.len, err)))
		goto out;
	r->labels = hr_record_write_labels(orig_labels, name, status, r->version, HR_RECORD_STAMP_UPDATE, modified);
	if (!r->labels) {
		rc = HR_ENOMEM;
		goto out;
	}
	r->json = hr_buf_detach(&j, &r->json_len);
	r->payload = hr_buf_detach(&p, &r->payload_len);
out:
	hr_buf_free(&j);
	hr_buf_free(&p);
	if (rc == HR_ENOMEM || rc == HR_EINVAL)
		hr_error_set(err, rc, "encoding revision %lld: %s", (long long)r->version,
			     rc == HR_ENOMEM ? "out of memory" : "value Go cannot marshal");
	return rc;
}

/* The status helm's DeployedAll sees: the object label if known, else the body. */
static const char *label_status(const hr_rollback_rev *r)
{
	struct json_object *s = hr_release_member(r->labels, "status");

	if (s && json_object_is_type(s, json_type_string))
		return json_object_get_string(s);
	return hr_release_status(r->rel);
}

/*
 * Scope of a built-in kind: 1 namespaced, -1 cluster-scoped, 0 unknown (a
 * custom resource: its CRD says, and the records do not hold it).
 */
static int kind_scope(const char *kind)
{
	static const char *const namespaced[] = {
		"ConfigMap", "ControllerRevision", "CronJob", "CSIStorageCapacity", "DaemonSet", "Deployment",
		"Endpoints", "EndpointSlice", "Event", "HorizontalPodAutoscaler", "Ingress", "Job", "Lease",
		"LimitRange", "NetworkPolicy", "PersistentVolumeClaim", "Pod", "PodDisruptionBudget", "PodTemplate",
		"ReplicaSet", "ReplicationController", "ResourceQuota", "Role", "RoleBinding", "Secret", "Service",
		"ServiceAccount", "StatefulSet", NULL
	};
	static const char *const cluster[] = {
		"APIService", "CertificateSigningRequest", "ClusterRole", "ClusterRoleBinding", "CSIDriver", "CSINode",
		"CustomResourceDefinition", "FlowSchema", "IngressClass", "MutatingWebhookConfiguration", "Namespace",
		"Node", "PersistentVolume", "PodSecurityPolicy", "PriorityClass", "PriorityLevelConfiguration",
		"RuntimeClass", "StorageClass", "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding",
		"ValidatingWebhookConfiguration", "VolumeAttachment", NULL
	};

	for (size_t i = 0; namespaced[i]; i++)
		if (!strcmp(kind, namespaced[i]))
			return 1;
	for (size_t i = 0; cluster[i]; i++)
		if (!strcmp(kind, cluster[i]))
			return -1;
	return 0;
}

/*
 * A namespace as a YAML scalar: plain when it is a DNS label (all that
 * Kubernetes accepts), else double-quoted, with C0, DEL and C1 as YAML
 * \uXXXX escapes and bytes outside UTF-8 as \ufffd, so that a damaged name
 * can neither break the document nor carry raw controls into it.
 */
static int put_namespace(hr_buf *out, const char *ns)
{
	size_t n = strlen(ns), i, w;
	uint32_t r;

	for (i = 0; i < n; i++) {
		char c = ns[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c == '-' && i && i + 1 < n)))
			break;
	}
	if (n && i == n)
		return hr_buf_put(out, ns, n);
	if (hr_buf_putc(out, '"'))
		return HR_ENOMEM;
	for (i = 0; i < n; i += w) {
		w = hr_goutf8_valid_len(ns + i, n - i, &r);
		if (!w) {
			w = 1;
			if (hr_buf_puts(out, "\\ufffd"))
				return HR_ENOMEM;
		} else if (r < 0x20 || (r >= 0x7f && r <= 0x9f)) {
			if (hr_buf_printf(out, "\\u%04x", (unsigned)r))
				return HR_ENOMEM;
		} else if ((r == '"' || r == '\\') ? hr_buf_putc(out, '\\') || hr_buf_putc(out, (char)r)
						     : hr_buf_put(out, ns + i, w)) {
			return HR_ENOMEM;
		}
	}
	return hr_buf_putc(out, '"') ? HR_ENOMEM : 0;
}

/*
 * Give a namespaced resource written without metadata.namespace the
 * release's, as helm's client does when it creates it: a line
 * "namespace: NS" is inserted as the first child of a block-style
 * top-level "metadata:".  HR_EFORMAT when there is no such block (left
 * as is), HR_ENOMEM.
 */
static int set_namespace(hr_resource *r, const char *ns)
{
	const char *t = r->text, *end = t + r->len, *line = t, *child, *p;
	hr_buf out = HR_BUF_INIT;
	char *nsdup;
	size_t indent = 0;

	for (;;) {
		const char *eol = memchr(line, '\n', (size_t)(end - line));

		if (!eol)
			return HR_EFORMAT;
		if ((size_t)(eol - line) >= 9 && !memcmp(line, "metadata:", 9)) {
			for (p = line + 9; p < eol && (*p == ' ' || *p == '\r'); p++)
				;
			if (p == eol)
				break;
			return HR_EFORMAT;   /* flow style: metadata: {...} */
		}
		line = eol + 1;
	}
	child = memchr(line, '\n', (size_t)(end - line)) + 1;
	/* the indentation of the block's first child (comments and blank lines skipped) */
	for (p = child; p < end;) {
		const char *q = p;

		while (q < end && *q == ' ')
			q++;
		if (q < end && *q != '\n' && *q != '#') {
			indent = (size_t)(q - p);
			break;
		}
		q = memchr(q, '\n', (size_t)(end - q));
		if (!q)
			break;
		p = q + 1;
	}
	if (!indent)
		return HR_EFORMAT;
	if (hr_buf_put(&out, t, (size_t)(child - t)))
		goto nomem;
	for (size_t i = 0; i < indent; i++)
		if (hr_buf_putc(&out, ' '))
			goto nomem;
	if (hr_buf_puts(&out, "namespace: ") || put_namespace(&out, ns) || hr_buf_putc(&out, '\n') ||
	    hr_buf_put(&out, child, (size_t)(end - child)) || !(nsdup = strdup(ns)))
		goto nomem;
	free(r->text);
	free(r->namespace);
	r->text = hr_buf_detach(&out, &r->len);
	r->namespace = nsdup;
	return 0;
nomem:
	hr_buf_free(&out);
	return HR_ENOMEM;
}

int hr_rollback_plan(hr_rollback_bundle *out, const hr_rollback_rev *revs, size_t n, int64_t target,
		     const hr_rollback_opts *o, hr_error *err)
{
	static const hr_rollback_opts dflt = { 0 };
	const hr_rollback_rev *last = NULL, *tgt = NULL;
	hr_split_style st;
	hr_kind_order ord;
	int64_t modified;
	const char *m;
	hr_buf k1 = HR_BUF_INIT, k2 = HR_BUF_INIT;
	size_t supcap = 0;
	int rc, major;

	memset(out, 0, sizeof(*out));
	o = o ? o : &dflt;
	major = o->writer_major ? o->writer_major : 4;
	modified = o->now_unix ? o->now_unix : (int64_t)time(NULL);
	for (size_t i = 0; i < n; i++)
		if (!last || hr_release_version(revs[i].rel) > hr_release_version(last->rel))
			last = &revs[i];
	if (!last)
		return hr_error_set(err, HR_ENOTFOUND, "release: not found");
	if (target == 0)
		target = hr_release_version(last->rel) - 1;
	if (target < 0)
		return hr_error_set(err, HR_EINVAL, "invalid release revision");
	for (size_t i = 0; i < n; i++)
		if (hr_release_version(revs[i].rel) == target)
			tgt = &revs[i];
	if (!tgt)
		return hr_error_set(err, HR_ENOTFOUND, "release has no %lld version", (long long)target);
	out->name = strdup(hr_release_name(last->rel) ? hr_release_name(last->rel) : "");
	out->namespace = strdup(hr_release_namespace(last->rel) ? hr_release_namespace(last->rel) : "");
	if (!out->name || !out->namespace)
		goto nomem;
	out->target = target;
	out->last = hr_release_version(last->rel);
	out->version = out->last + 1;

	/* the new revision */
	if ((rc = hr_rollback_record(&out->record.rel, last->rel, tgt->rel, "deployed", o, err)))
		goto fail;
	out->record.version = out->version;
	if ((rc = rec_encode(&out->record, tgt->labels, out->name, "deployed", modified, err)))
		goto fail;

	/* DeployedAll -> superseded, re-saved by the writer */
	for (size_t i = 0; i < n; i++) {
		const char *s = label_status(&revs[i]);
		hr_rollback_rec *r;
		struct json_object *info, *sv;

		if (!s || strcmp(s, "deployed"))
			continue;
		if (HR_ARRAY_GROW(out->superseded, out->nsuperseded + 1, supcap))
			goto nomem;
		r = &out->superseded[out->nsuperseded++];
		memset(r, 0, sizeof(*r));
		r->version = hr_release_version(revs[i].rel);
		r->was_status = s;
		if ((rc = hr_release_reshape(&r->rel, revs[i].rel, major, 0, err)))
			goto fail;
		info = hr_release_member(r->rel, "info");
		if (info && !(sv = json_object_new_string("superseded")))
			goto nomem;
		if (info)
			json_object_object_add(info, "status", sv);
		if ((rc = rec_encode(r, revs[i].labels, out->name, "superseded", modified, err)))
			goto fail;
	}

	/* what is applied: T's manifest; what helm deletes: last's resources not in T */
	hr_manifest_style_for(tgt->rel, &st, &ord);
	m = hr_release_str(tgt->rel, "manifest");
	if ((rc = hr_manifest_resources(&out->resources, m, m ? strlen(m) : 0, st, ord, err)))
		goto fail;
	for (size_t i = 0; i < out->resources.n; i++) {
		hr_resource *r = &out->resources.items[i];
		int scope = kind_scope(r->kind);

		if (*r->namespace || r->bad_yaml || scope < 0)
			continue;
		rc = scope ? set_namespace(r, out->namespace) : HR_EFORMAT;
		if (rc == HR_ENOMEM)
			goto nomem;
		out->unscoped += rc == HR_EFORMAT;
		rc = 0;
	}
	hr_manifest_style_for(last->rel, &st, &ord);
	m = hr_release_str(last->rel, "manifest");
	if ((rc = hr_manifest_resources(&out->current, m, m ? strlen(m) : 0, st, ord, err)))
		goto fail;
	if (out->current.n && !(out->removed = calloc(out->current.n, sizeof(*out->removed))))
		goto nomem;
	for (size_t i = 0; i < out->current.n; i++) {
		int found = 0;

		if (hr_resource_key(&k1, &out->current.items[i], out->namespace))
			goto nomem;
		for (size_t j = 0; j < out->resources.n && !found; j++) {
			if (hr_resource_key(&k2, &out->resources.items[j], out->namespace))
				goto nomem;
			found = !strcmp(k1.ptr, k2.ptr);
		}
		if (!found)
			out->removed[out->nremoved++] = i;
	}
	if ((rc = hr_manifest_hooks(out->record.rel, "pre-rollback", &out->pre, &out->npre, err)) ||
	    (rc = hr_manifest_hooks(out->record.rel, "post-rollback", &out->post, &out->npost, err)))
		goto fail;
	hr_buf_free(&k1);
	hr_buf_free(&k2);
	return 0;
nomem:
	rc = hr_error_set(err, HR_ENOMEM, "out of memory");
fail:
	hr_buf_free(&k1);
	hr_buf_free(&k2);
	hr_rollback_bundle_free(out);
	return rc;
}
