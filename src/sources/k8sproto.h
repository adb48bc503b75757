/*
 * k8sproto.h — decode the Kubernetes objects kube-apiserver stores in etcd
 * or kine: the protobuf form (`k8s\0` + runtime.Unknown wrapping a v1
 * Secret or ConfigMap) and the JSON form (--storage-media-type
 * application/json).  Only the fields a Helm record needs are kept: kind,
 * apiVersion, metadata name/namespace/uid/creationTimestamp/labels/
 * annotations, Secret type and data, ConfigMap data.  Semi-private: used by
 * the etcd and kine readers and tests.  Layout: formats/etcd-snapshot.md.
 *
 * Ownership: an hr_k8s_object owns its strings and arrays; release with
 * hr_k8s_object_release() (the struct itself is the caller's).
 */
#ifndef HR_SOURCES_K8SPROTO_H
#define HR_SOURCES_K8SPROTO_H

#include <stddef.h>
#include <stdint.h>
#include "model/record.h"
#include "sources/source.h"
#include "util/error.h"

/* One data entry.  `val` is NUL-terminated (not counted in len). */
typedef struct hr_k8s_entry {
	char *key;
	unsigned char *val;
	size_t len;
} hr_k8s_entry;

typedef struct hr_k8s_object {
	char *api_version;
	char *kind;
	char *name;
	char *namespace;
	char *uid;
	char *created;          /* creationTimestamp as RFC 3339 UTC, NULL if unset */
	hr_label *labels;
	size_t nlabels, caplabels;
	hr_label *annotations;
	size_t nannotations, capannotations;
	char *type;             /* Secret type ("" if empty), NULL for other kinds */
	/*
	 * Secret data or ConfigMap data, in stored order.  Protobuf Secrets hold
	 * the raw bytes; JSON Secrets hold the base64 text as stored (see
	 * `json`); ConfigMap values are text in both forms.
	 */
	hr_k8s_entry *data;
	size_t ndata, capdata;
	int json;               /* 1 when decoded from the JSON form */
} hr_k8s_object;

#define HR_K8S_OBJECT_INIT { 0 }

/*
 * Decode a stored value: `k8s\0` + protobuf, or JSON starting with '{'
 * (leading whitespace allowed).  Kinds other than Secret and ConfigMap are
 * decoded as far as apiVersion, kind and metadata.  Malformed input is
 * HR_EFORMAT with the byte offset;
 * anything else (YAML media type, unknown prefix) HR_EUNSUPPORTED.
 */
int hr_k8s_decode(hr_k8s_object *out, const unsigned char *buf, size_t len, hr_error *err);
int hr_k8s_decode_proto(hr_k8s_object *out, const unsigned char *buf, size_t len, hr_error *err);
int hr_k8s_decode_json(hr_k8s_object *out, const unsigned char *buf, size_t len, hr_error *err);
void hr_k8s_object_release(hr_k8s_object *o);

/* Borrowed lookups; NULL when absent. */
const hr_k8s_entry *hr_k8s_object_data(const hr_k8s_object *o, const char *key);
const char *hr_k8s_object_label(const hr_k8s_object *o, const char *key);

/*
 * Classify a decoded object as kubectl dumps are classified and build the
 * record: a Secret with type helm.sh/release.v1 or label owner=helm, or a
 * ConfigMap with label owner=helm, is a Helm 3/4 record (1, *out set with
 * driver, name, namespace, labels, annotations, created and the payload:
 * protobuf Secret -> HR_PAYLOAD_HELM, JSON Secret -> HR_PAYLOAD_K8S_B64,
 * ConfigMap -> HR_PAYLOAD_HELM).  A ConfigMap/Secret labelled OWNER=TILLER
 * counts stats->helm2 and is a Helm 2 record (1, driver HR_DRIVER_HELM2_*);
 * anything else counts stats->skipped_other (0).  A Helm-looking object
 * without data.release is HR_ESKIP.  Provenance fields are the caller's.
 * Free *out with hr_record_free().
 */
int hr_k8s_object_to_record(hr_record **out, const hr_k8s_object *o, hr_source_stats *stats, hr_error *err);

/*
 * etcd's mvccpb.KeyValue {1 key, 2 create_revision, 3 mod_revision,
 * 4 version, 5 value, 6 lease}.  key and value point into the input
 * (borrowed); absent fields are zero/empty.  HR_EFORMAT on bad protobuf.
 */
typedef struct hr_mvcc_kv {
	const unsigned char *key;
	size_t klen;
	const unsigned char *value;
	size_t vlen;
	size_t value_off;       /* offset of value inside the KeyValue bytes */
	int64_t create_revision;
	int64_t mod_revision;
	int64_t version;
	int64_t lease;
} hr_mvcc_kv;

int hr_mvcc_kv_decode(hr_mvcc_kv *out, const unsigned char *buf, size_t len, hr_error *err);

#endif
