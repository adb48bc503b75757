/*
 * kubeapi.h — the Kubernetes API deprecation table (formats/kube-deprecations.tsv,
 * embedded at build time): which apiVersion of which kind was deprecated and
 * removed in which Kubernetes release, and what replaces it.  Read by the
 * audit (deprecated-api) and by repair (--map-apis).
 *
 * Ownership: the table is static storage, parsed once on first use (the
 * first call is not thread-safe); entries are borrowed for the process.
 */
#ifndef HR_MODEL_KUBEAPI_H
#define HR_MODEL_KUBEAPI_H

#include <stddef.h>
#include "util/error.h"

/* One line of the table. */
typedef struct hr_deprecation {
	char api_version[64], kind[64], replacement[64]; /* replacement "" = none */
	int dep_major, dep_minor, rem_major, rem_minor;
} hr_deprecation;

/* Parse the embedded table once (thread-unsafe first call); *n rows, static storage. */
int hr_deprecations(const hr_deprecation **out, size_t *n, hr_error *err);
/* Parse "1.25" / "v1.25.3" into major/minor; HR_EINVAL if not a version. */
int hr_kube_version_parse(const char *s, int *major, int *minor);
/* The entry for apiVersion + kind, or NULL. */
const hr_deprecation *hr_deprecation_find(const char *api_version, const char *kind);

#endif
