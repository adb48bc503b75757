/*
 * kube_object.h — semi-private helpers of kube_object.c beyond reader.h.
 * Only src/sources/ and tests include it.
 */
#ifndef HR_SOURCES_KUBE_OBJECT_H
#define HR_SOURCES_KUBE_OBJECT_H

#include "sources/reader.h"

/*
 * Turn a Helm 2 (Tiller) object — a ConfigMap or Secret labelled
 * OWNER=TILLER — into a record with driver HR_DRIVER_HELM2_CONFIGMAP or
 * HR_DRIVER_HELM2_SECRET and payload data.release (form HR_PAYLOAD_HELM for
 * ConfigMaps, HR_PAYLOAD_K8S_B64 for Secrets; the Helm string is
 * base64(gzip(protobuf))).  Returns 1 with *out set (free with
 * hr_record_free()), 0 when the object is not a Tiller record, HR_ESKIP
 * when it is one without a usable data.release.  Does not touch stats.
 */
int hr_kube_object_to_helm2_record(hr_record **out, struct json_object *obj,
				   const char *path, const char *where, uint64_t offset,
				   hr_error *err);

/* 1 if `obj` is a Tiller record (label OWNER=TILLER on a ConfigMap/Secret). */
int hr_kube_object_is_helm2(struct json_object *obj);

#endif
