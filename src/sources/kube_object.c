/*
 * kube_object.c — recognise Helm release records among Kubernetes objects.
 *
 * The YAML and JSON readers (and later the Velero reader) parse one object
 * at a time into a json-c tree and hand it here.  Helm 3/4 keeps each
 * revision in a Secret of type helm.sh/release.v1 (or, with
 * HELM_DRIVER=configmap, a ConfigMap), both labelled owner=helm, with the
 * payload in data.release.  Tiller's Helm 2 records (label OWNER=TILLER)
 * are counted in stats->helm2 and returned as HR_DRIVER_HELM2_* records
 * (the index converts them as helm-2to3 would).  Everything else a dump
 * holds is counted and passed over: the operator-framework's chunked index
 * Secrets, and every ordinary object (kube-root-ca.crt, service-account
 * tokens, the charts' own Secrets) — unless the scan asks for live
 * objects: then hr_kube_object_to_live() hands on those Helm may own, for
 * drift and status (src/index/live.c).
 */
#include "sources/kube_object.h"
#include "model/release.h"
#include "util/error.h"

#include <string.h>

/* Text of a scalar (strings as they are, numbers/bools as JSON); NULL for null/absent/containers. */
static const char *scalar_text(struct json_object *v)
{
	if (!v)
		return NULL;
	switch (json_object_get_type(v)) {
	case json_type_string:
	case json_type_int:
	case json_type_double:
	case json_type_boolean:
		return json_object_get_string(v);
	default:
		return NULL;
	}
}

static const char *member_text(struct json_object *o, const char *key)
{
	return scalar_text(hr_release_member(o, key));
}

static const char *label(struct json_object *obj, const char *key)
{
	return member_text(hr_release_member(hr_release_member(obj, "metadata"), "labels"), key);
}

static int str_eq(const char *a, const char *b)
{
	return a && !strcmp(a, b);
}

int hr_kube_object_is_helm2(struct json_object *obj)
{
	const char *kind = member_text(obj, "kind");

	if (kind && strcmp(kind, "ConfigMap") && strcmp(kind, "Secret"))
		return 0;
	return str_eq(label(obj, "OWNER"), "TILLER");
}

static int copy_pairs(hr_record *r, struct json_object *map, int annotations)
{
	if (!map || !json_object_is_type(map, json_type_object))
		return 0;
	json_object_object_foreach(map, k, v) {
		const char *t = scalar_text(v);
		int rc = annotations ? hr_record_add_annotation(r, k, t ? t : "")
				     : hr_record_add_label(r, k, t ? t : "");
		if (rc)
			return rc;
	}
	return 0;
}

/*
 * Build the record common to Helm 2/3 objects; `what` names the object kind
 * in messages ("secret", "configmap").
 */
static int build_record(hr_record **out, struct json_object *obj, hr_driver driver,
			hr_payload_form form, const char *what, const char *path,
			const char *where, uint64_t offset, hr_error *err)
{
	struct json_object *meta = hr_release_member(obj, "metadata");
	const char *name = member_text(meta, "name");
	const char *ns = member_text(meta, "namespace");
	struct json_object *rel = hr_release_member(hr_release_member(obj, "data"), "release");
	hr_record *r = NULL;
	int rc;

	*out = NULL;
	if (!rel)
		return hr_error_set(err, HR_ESKIP, "%s: %s: %s %s/%s: no data.release", path, where, what,
				    ns ? ns : "", name ? name : "");
	if (!json_object_is_type(rel, json_type_string))
		return hr_error_set(err, HR_ESKIP, "%s: %s: %s %s/%s: data.release is not a string", path, where,
				    what, ns ? ns : "", name ? name : "");
	if (!name || !*name)
		return hr_error_set(err, HR_ESKIP, "%s: %s: %s without metadata.name", path, where, what);
	rc = hr_record_new(&r);
	if (rc)
		goto fail;
	r->driver = driver;
	r->form = form;
	r->offset = offset;
	if ((rc = hr_record_set_str(&r->name, name)) ||
	    (rc = hr_record_set_str(&r->namespace, ns ? ns : "")) ||
	    (rc = hr_record_set_str(&r->created, member_text(meta, "creationTimestamp"))) ||
	    (rc = hr_record_set_str(&r->source_path, path)) ||
	    (rc = hr_record_set_str(&r->location, where)) ||
	    (rc = copy_pairs(r, hr_release_member(meta, "labels"), 0)) ||
	    (rc = copy_pairs(r, hr_release_member(meta, "annotations"), 1)) ||
	    (rc = hr_record_set_payload(r, json_object_get_string(rel), (size_t)json_object_get_string_len(rel))))
		goto fail;
	*out = r;
	return 1;
fail:
	hr_record_free(r);
	return hr_error_set(err, HR_ENOMEM, "%s: %s: out of memory", path, where);
}

int hr_kube_object_to_helm2_record(hr_record **out, struct json_object *obj,
				   const char *path, const char *where, uint64_t offset,
				   hr_error *err)
{
	const char *kind = member_text(obj, "kind");
	int secret;

	*out = NULL;
	if (!hr_kube_object_is_helm2(obj))
		return 0;
	secret = str_eq(kind, "Secret") || (!kind && hr_release_member(obj, "type"));
	return build_record(out, obj, secret ? HR_DRIVER_HELM2_SECRET : HR_DRIVER_HELM2_CONFIGMAP,
			    secret ? HR_PAYLOAD_K8S_B64 : HR_PAYLOAD_HELM,
			    secret ? "secret" : "configmap", path, where, offset, err);
}

int hr_kube_object_to_record(hr_record **out, struct json_object *obj,
			     const char *path, const char *where, uint64_t offset,
			     hr_source_stats *stats, hr_error *err)
{
	const char *kind = member_text(obj, "kind");
	const char *type = member_text(obj, "type");
	int secret, configmap;

	*out = NULL;
	if (!obj || !json_object_is_type(obj, json_type_object)) {
		stats->skipped_other++;
		return 0;
	}
	secret = str_eq(kind, "Secret") || (!kind && type);
	configmap = str_eq(kind, "ConfigMap") || (!kind && !type);
	if ((secret || configmap) && str_eq(label(obj, "OWNER"), "TILLER")) {
		stats->helm2++;
		return hr_kube_object_to_helm2_record(out, obj, path, where, offset, err);
	}
	if (secret && str_eq(type, "operatorframework.io/index.v1")) {
		stats->chunked++;
		return 0;
	}
	if (secret && (str_eq(type, "helm.sh/release.v1") || str_eq(label(obj, "owner"), "helm")))
		return build_record(out, obj, HR_DRIVER_SECRET, HR_PAYLOAD_K8S_B64, "secret",
				    path, where, offset, err);
	if (configmap && str_eq(label(obj, "owner"), "helm"))
		return build_record(out, obj, HR_DRIVER_CONFIGMAP, HR_PAYLOAD_HELM, "configmap",
				    path, where, offset, err);
	stats->skipped_other++;
	return 0;
}

/* Kinds never named by a chart's manifest nor owned by Helm: not worth keeping. */
static int kind_ignored(const char *kind)
{
	static const char *const ignored[] = { "Event", "Endpoints", "EndpointSlice", "Lease",
					       "ControllerRevision", "Node", "List" };

	for (size_t i = 0; i < sizeof(ignored) / sizeof(ignored[0]); i++)
		if (!strcmp(kind, ignored[i]))
			return 1;
	return 0;
}

/* An ownerReference with controller: true (a ReplicaSet's Pods, a Deployment's ReplicaSets). */
static int controlled(struct json_object *meta)
{
	struct json_object *refs = hr_release_member(meta, "ownerReferences");
	size_t n = refs && json_object_is_type(refs, json_type_array) ? json_object_array_length(refs) : 0;

	for (size_t i = 0; i < n; i++) {
		struct json_object *c = hr_release_member(json_object_array_get_idx(refs, i), "controller");

		if (c && json_object_is_type(c, json_type_boolean) && json_object_get_boolean(c))
			return 1;
	}
	return 0;
}

int hr_kube_object_to_live(hr_record **out, struct json_object *obj, const char *path, const char *where,
			   uint64_t offset, hr_error *err)
{
	struct json_object *meta = hr_release_member(obj, "metadata");
	const char *kind = member_text(obj, "kind"), *api = member_text(obj, "apiVersion");
	const char *name = member_text(meta, "name"), *ns = member_text(meta, "namespace");
	const char *text;
	int helm;
	hr_record *r = NULL;

	*out = NULL;
	if (!kind || !api || !name || !*kind || !*name || kind_ignored(kind))
		return 0;
	helm = member_text(hr_release_member(meta, "annotations"), "meta.helm.sh/release-name") != NULL ||
	       str_eq(label(obj, "app.kubernetes.io/managed-by"), "Helm");
	if (!helm && controlled(meta))
		return 0;
	if (!helm && str_eq(kind, "Secret") && str_eq(member_text(obj, "type"), "kubernetes.io/service-account-token"))
		return 0;
	text = json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	if (!text || hr_record_new(&r))
		goto oom;
	r->is_object = 1;
	r->offset = offset;
	if (hr_record_set_str(&r->name, name) || hr_record_set_str(&r->namespace, ns ? ns : "") ||
	    hr_record_set_str(&r->created, member_text(meta, "creationTimestamp")) ||
	    hr_record_set_str(&r->source_path, path) || hr_record_set_str(&r->location, where) ||
	    hr_record_set_payload(r, text, strlen(text)))
		goto oom;
	*out = r;
	return 1;
oom:
	hr_record_free(r);
	return hr_error_set(err, HR_ENOMEM, "%s: %s: out of memory", path, where);
}

int hr_reader_emit_object(hr_reader_base *b, hr_record **out, struct json_object *obj, const char *where,
			  uint64_t offset, hr_error *err)
{
	int rc;

	b->stats->objects++;
	rc = hr_kube_object_to_record(out, obj, b->path, where, offset, b->stats, err);
	if (rc == 1)
		b->stats->records++;
	else if (rc == HR_ESKIP)
		b->stats->errors++;
	else if (rc == 0 && b->live_objects)
		rc = hr_kube_object_to_live(out, obj, b->path, where, offset, err);
	json_object_put(obj);
	return rc;
}
