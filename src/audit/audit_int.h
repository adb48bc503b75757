/*
 * audit_int.h — internals shared by the files of src/audit/ (not public).
 */
#ifndef HR_AUDIT_INT_H
#define HR_AUDIT_INT_H

#include <json-c/json.h>
#include "audit/audit.h"
#include "index/facts.h"
#include "util/buf.h"

typedef struct hr_audit_ctx {
	const hr_audit_opts *opts;
	hr_audit_result *res;
	hr_index *idx;
	const hr_deprecation *deps;
	size_t ndeps;
	int kube_major, kube_minor;   /* target */
	/* per release, filled by the body rules for the history rules */
	unsigned writers;             /* bit 3: a Helm 3-written revision, bit 4: Helm 4 */
	hr_buf writer3, writer4;      /* their revisions, "1, 2" */
	int64_t prev_size;            /* object size of the previous revision (size trend) */
} hr_audit_ctx;

/* Is `rule` selected by the options? */
int hr_audit_want(const hr_audit_opts *o, const char *rule);
/* Add a finding (or a revision to the same finding of this release); strings are copied. */
int hr_audit_emit(hr_audit_result *res, const char *rule, hr_severity sev, const char *ns, const char *release,
		  int64_t rev, const char *message, const char *evidence, const char *remedy);

/* rules_body.c: size, deprecated-api, credentials, chart-provenance; Helm 4 writer bookkeeping. */
int hr_audit_body_rules(hr_audit_ctx *c, const hr_fact_rev *rev, struct json_object *rel, hr_error *err);
/* rules_history.c: stuck, no-deployed, multiple-deployed, gaps, history growth, helm4-readiness (one release). */
int hr_audit_history_rules(hr_audit_ctx *c, const hr_fact_rev *revs, size_t n, hr_error *err);
/* rules_history.c: conflicts and label-mismatch (over every release at once). */
int hr_audit_object_rules(hr_audit_ctx *c, hr_error *err);
/* rules_live.c: drift and orphan, over the backup's live objects (src/drift/). */
int hr_audit_live_rules(hr_audit_ctx *c, hr_error *err);

#endif
