/*
 * audit.c — the audit engine: rule table, finding values, ordering, storage.
 *
 * hr_audit_run() reads the revisions helm would see (index/facts.h), walks
 * them release by release, and hands each release's history to the history
 * rules (rules_history.c) and each revision's decoded body to the body
 * rules (rules_body.c).  A rule reports through hr_audit_emit(), which
 * merges a finding repeated over several revisions of one release (same
 * rule, same message) into one finding listing those revisions.
 */
#include "audit/audit_int.h"
#include "codec/gojson.h"
#include "util/array.h"

#include <stdlib.h>
#include <string.h>

static const hr_audit_rule rules[] = {
	{ "stuck-operation", "The newest revision is pending or uninstalling",
	  "Helm refuses any further install, upgrade or rollback of the release: \"another operation "
	  "(install/upgrade/rollback) is in progress\".",
	  "Delete (after backing it up) or mark failed the record of the pending revision; helmrec repair "
	  "NAME -n NS --unlock will do it.  Silence with --rule listing the other rules.", HR_SEV_ERROR },
	{ "no-deployed", "No revision of the release is deployed",
	  "Helm's next upgrade looks for the deployed revision (\"has no deployed releases\"); a release "
	  "whose newest revision is uninstalled (kept with --keep-history) is normal and only informational.",
	  "Roll back to the last revision that worked, or uninstall and install again.", HR_SEV_WARNING },
	{ "multiple-deployed", "More than one revision is deployed",
	  "Helm expects one deployed revision; several mean an operation was interrupted or records were "
	  "hand-edited, and tools disagree about which one is current.",
	  "Mark the older ones superseded (label status and info.status).", HR_SEV_WARNING },
	{ "revision-gap", "A revision is missing from the history",
	  "A revision missing from the middle of a history was lost (partial backup, hand deletion): it "
	  "can no longer be rolled back to.  The oldest revisions pruned by --history-max are normal (info).",
	  "Restore the missing record from another backup (scan both into one index).", HR_SEV_WARNING },
	{ "conflict", "Different bodies for the same revision",
	  "Two inputs hold different release bodies for one (namespace, release, revision): restoring both "
	  "would overwrite one with the other.",
	  "Decide which input is authoritative and restore only that one (compare with helmrec diff).",
	  HR_SEV_ERROR },
	{ "label-mismatch", "Storage labels disagree with the release body",
	  "Helm selects records by their labels (name, owner, status, version) but acts on the body: a hand "
	  "edit (\"patch the status label\") or tampering makes helm list and helm upgrade disagree.",
	  "Re-label the object so name/status/version match the body, with owner=helm.", HR_SEV_WARNING },
	{ "size", "Record close to the 1 MiB object limit",
	  "Kubernetes refuses Secrets and ConfigMaps above 1 MiB: the next upgrade of a release whose record "
	  "is near the limit fails to store its record.",
	  "Keep big files out of the chart (.helmignore), or use the SQL storage driver.", HR_SEV_ERROR },
	{ "history-growth", "The release keeps many revisions",
	  "helm's CLI keeps 10 revisions by default (--history-max); SDK callers default to unlimited.  Every "
	  "revision is a full copy of the chart and values.",
	  "Upgrade with --history-max 10 (or set MaxHistory in the SDK).", HR_SEV_WARNING },
	{ "deprecated-api", "Deprecated or removed Kubernetes API in a manifest or hook",
	  "A revision whose manifest or hooks use an API removed in the target Kubernetes cannot be upgraded "
	  "from or rolled back to there; every stored revision counts, not only the deployed one.",
	  "Move the chart to the replacement apiVersion and upgrade; rewrite stored records with the helm "
	  "mapkubeapis plugin.  Choose the target with --kube-version.", HR_SEV_ERROR },
	{ "credentials", "Credentials in values or manifests",
	  "Release records hold the values and the rendered manifest in clear once decoded: anyone who can "
	  "read the backup or the Secret reads the credentials.",
	  "Move credentials to an external secret store or existingSecret values; rotate the ones exposed.",
	  HR_SEV_WARNING },
	{ "helm4-readiness", "How Helm 4 will treat the release",
	  "Helm 4 upgrades and rolls back with the apply method recorded in the release (server-side when "
	  "apply_method is ssa); histories written by Helm 3 and Helm 4 mix.",
	  "Informational: review releases that switch to server-side apply.", HR_SEV_INFO },
	{ "chart-provenance", "Subcharts the record does not store",
	  "Helm never stores subcharts: a chart recovered from the record lacks the dependencies named in "
	  "its Chart.yaml.",
	  "Fetch the named dependencies (helm dependency build) before installing a recovered chart.",
	  HR_SEV_INFO },
	{ "drift", "A deployed resource differs from its manifest, or is missing",
	  "The backup's live object differs in a field the deployed manifest sets (a hand edit, an HPA, a "
	  "webhook: the managers are named), or the object is gone: the next helm upgrade overwrites or "
	  "fails on it.  Needs live objects in the inputs (docs/drift.md).",
	  "helm upgrade the release to reconcile, or move the change into the chart or values.",
	  HR_SEV_WARNING },
	{ "orphan", "An object owned by a release that does not hold it",
	  "The object carries Helm's ownership annotations for a release whose deployed manifest does not "
	  "list it (a failed upgrade, or a release that is gone): helm will never update or delete it, and a "
	  "later install of the same name fails on it.",
	  "Delete the object, or adopt it into the release's chart and upgrade.", HR_SEV_WARNING },
};

const hr_audit_rule *hr_audit_rules(size_t *n)
{
	*n = sizeof(rules) / sizeof(rules[0]);
	return rules;
}

const hr_audit_rule *hr_audit_rule_find(const char *id)
{
	for (size_t i = 0; id && i < sizeof(rules) / sizeof(rules[0]); i++)
		if (!strcmp(rules[i].id, id))
			return &rules[i];
	return NULL;
}

/* The severities' names, by hr_severity value: both ways of hr_severity_name and _parse. */
static const char *const severity_names[] = { "none", "info", "warning", "error" };
#define NSEVERITIES (sizeof(severity_names) / sizeof(severity_names[0]))

const char *hr_severity_name(hr_severity s)
{
	return (unsigned)s < NSEVERITIES ? severity_names[s] : "none";
}

int hr_severity_parse(const char *s)
{
	for (size_t i = 0; s && i < NSEVERITIES; i++)
		if (!strcmp(s, severity_names[i]))
			return (int)i;
	return -1;
}

int hr_audit_want(const hr_audit_opts *o, const char *rule)
{
	if (!o->nrules)
		return 1;
	for (size_t i = 0; i < o->nrules; i++)
		if (!strcmp(o->rules[i], rule))
			return 1;
	return 0;
}

static void finding_free(hr_finding *f)
{
	free(f->namespace);
	free(f->release);
	free(f->revisions);
	free(f->message);
	free(f->evidence);
	free(f->remedy);
}

void hr_audit_result_free(hr_audit_result *r)
{
	for (size_t i = 0; r && i < r->n; i++)
		finding_free(&r->items[i]);
	if (r) {
		free(r->items);
		r->items = NULL;
		r->n = r->cap = 0;
	}
}

static int add_rev(hr_finding *f, int64_t rev)
{
	size_t cap = f->nrev;
	size_t at = f->nrev;

	if (rev <= 0)
		return 0;
	for (size_t i = 0; i < f->nrev; i++) {
		if (f->revisions[i] == rev)
			return 0;
		if (f->revisions[i] > rev && at == f->nrev)
			at = i;
	}
	if (HR_ARRAY_GROW(f->revisions, f->nrev + 1, cap))
		return HR_ENOMEM;
	memmove(f->revisions + at + 1, f->revisions + at, (f->nrev - at) * sizeof(*f->revisions));
	f->revisions[at] = rev;
	f->nrev++;
	return 0;
}

static char *dup_opt(const char *s, int *oom)
{
	char *d;

	if (!s)
		return NULL;
	if (!(d = strdup(s)))
		*oom = 1;
	return d;
}

int hr_audit_emit(hr_audit_result *res, const char *rule, hr_severity sev, const char *ns, const char *release,
		  int64_t rev, const char *message, const char *evidence, const char *remedy)
{
	hr_finding *f;
	int oom = 0;

	/* Same rule and message earlier in this release: one finding, one more revision. */
	for (size_t i = res->n; i-- > 0;) {
		f = &res->items[i];
		if (strcmp(f->namespace, ns) || strcmp(f->release, release))
			break;
		if (f->rule == rule && f->severity == sev && !strcmp(f->message, message))
			return add_rev(f, rev);
	}
	if (HR_ARRAY_GROW(res->items, res->n + 1, res->cap))
		return HR_ENOMEM;
	f = &res->items[res->n];
	memset(f, 0, sizeof(*f));
	f->rule = rule;
	f->severity = sev;
	f->namespace = dup_opt(ns, &oom);
	f->release = dup_opt(release, &oom);
	f->message = dup_opt(message, &oom);
	f->evidence = dup_opt(evidence, &oom);
	f->remedy = dup_opt(remedy, &oom);
	if (oom || add_rev(f, rev)) {
		finding_free(f);
		return HR_ENOMEM;
	}
	res->n++;
	return 0;
}

static int cmp_finding(const void *pa, const void *pb)
{
	const hr_finding *a = pa, *b = pb;
	int c;

	if (a->severity != b->severity)
		return a->severity > b->severity ? -1 : 1;
	if ((c = strcmp(a->namespace, b->namespace)) || (c = strcmp(a->release, b->release)))
		return c;
	{
		int64_t ra = a->nrev ? a->revisions[0] : 0, rb = b->nrev ? b->revisions[0] : 0;

		if (ra != rb)
			return ra < rb ? -1 : 1;
	}
	if ((c = strcmp(a->rule, b->rule)))
		return c;
	return strcmp(a->message, b->message);
}

hr_severity hr_audit_worst(const hr_audit_result *r)
{
	hr_severity w = HR_SEV_NONE;

	for (size_t i = 0; i < r->n; i++)
		if (r->items[i].severity > w)
			w = r->items[i].severity;
	return w;
}

/* Parse a revision's body; *rel NULL (and 0 returned) when it cannot be read. */
static int load_body(hr_index *idx, int64_t id, struct json_object **rel, hr_error *err)
{
	hr_buf json = HR_BUF_INIT;
	hr_error perr = HR_ERROR_INIT;
	int rc;

	*rel = NULL;
	rc = hr_index_body(idx, id, &json, err);
	if (rc == HR_ENOMEM)
		goto out;
	if (!rc && hr_gojson_parse(rel, json.ptr ? json.ptr : "", json.len, &perr) == HR_ENOMEM)
		rc = hr_error_set(err, HR_ENOMEM, "out of memory");
	else
		rc = 0;
out:
	hr_buf_free(&json);
	return rc;
}

int hr_audit_run(hr_index *idx, const hr_audit_opts *o, hr_audit_result *res, hr_error *err)
{
	hr_fact_rev *revs = NULL;
	size_t nrevs = 0;
	hr_audit_ctx ctx;
	int rc = 0;

	memset(&ctx, 0, sizeof(ctx));
	for (size_t i = 0; i < o->nrules; i++)
		if (!hr_audit_rule_find(o->rules[i]))
			return hr_error_set(err, HR_EINVAL, "unknown rule \"%s\"", o->rules[i]);
	ctx.opts = o;
	ctx.res = res;
	ctx.idx = idx;
	if ((rc = hr_index_read_mostly(idx, err)))
		return rc;
	if ((rc = hr_deprecations(&ctx.deps, &ctx.ndeps, err)))
		return rc;
	ctx.kube_major = o->kube_major;
	ctx.kube_minor = o->kube_minor;
	if (!ctx.kube_major) {
		for (size_t i = 0; i < ctx.ndeps; i++)
			if (ctx.deps[i].rem_major > ctx.kube_major ||
			    (ctx.deps[i].rem_major == ctx.kube_major && ctx.deps[i].rem_minor > ctx.kube_minor)) {
				ctx.kube_major = ctx.deps[i].rem_major;
				ctx.kube_minor = ctx.deps[i].rem_minor;
			}
	}
	if ((rc = hr_facts_revisions(idx, o->namespace, o->include_deleted, &revs, &nrevs, err)))
		goto out;
	res->revisions = nrevs;
	for (size_t i = 0; i < nrevs;) {
		size_t j = i + 1;
		int want_body = hr_audit_want(o, "size") || hr_audit_want(o, "deprecated-api") ||
				hr_audit_want(o, "credentials") || hr_audit_want(o, "helm4-readiness") ||
				hr_audit_want(o, "chart-provenance") || o->on_body;

		while (j < nrevs && !strcmp(revs[j].namespace, revs[i].namespace) && !strcmp(revs[j].name, revs[i].name))
			j++;
		res->releases++;
		ctx.writers = 0;
		ctx.prev_size = 0;
		hr_buf_clear(&ctx.writer3);
		hr_buf_clear(&ctx.writer4);
		for (size_t k = i; want_body && k < j; k++) {
			struct json_object *rel;

			if ((rc = load_body(idx, revs[k].id, &rel, err)))
				goto out;
			if (rel)
				rc = hr_audit_body_rules(&ctx, &revs[k], rel, err);
			if (!rc && o->on_body)
				rc = o->on_body(o->on_body_user, &revs[k], rel, err);
			json_object_put(rel);
			if (rc)
				goto out;
		}
		if ((rc = hr_audit_history_rules(&ctx, revs + i, j - i, err)))
			goto out;
		i = j;
	}
	if ((rc = hr_audit_object_rules(&ctx, err)))
		goto out;
	if ((rc = hr_audit_live_rules(&ctx, err)))
		goto out;
	qsort(res->items, res->n, sizeof(*res->items), cmp_finding);
out:
	hr_buf_free(&ctx.writer3);
	hr_buf_free(&ctx.writer4);
	hr_fact_revs_free(revs, nrevs);
	if (rc)
		hr_audit_result_free(res);
	return rc;
}

int hr_audit_store(hr_index *idx, const hr_audit_opts *o, const hr_audit_result *r, hr_error *err)
{
	hr_finding_row *rows = calloc(r->n ? r->n : 1, sizeof(*rows));
	char **revs = calloc(r->n ? r->n : 1, sizeof(*revs));
	const char **ids = NULL;
	size_t nids = o->nrules;
	int rc = 0;

	if (!rows || !revs) {
		rc = hr_error_set(err, HR_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < r->n; i++) {
		const hr_finding *f = &r->items[i];
		hr_buf b = HR_BUF_INIT;

		for (size_t k = 0; k < f->nrev; k++)
			if (hr_buf_printf(&b, "%s%lld", k ? "," : "", (long long)f->revisions[k])) {
				hr_buf_free(&b);
				rc = hr_error_set(err, HR_ENOMEM, "out of memory");
				goto out;
			}
		revs[i] = hr_buf_detach(&b, NULL);
		rows[i].rule = f->rule;
		rows[i].severity = hr_severity_name(f->severity);
		rows[i].namespace = f->namespace;
		rows[i].name = f->release;
		rows[i].version = f->nrev ? f->revisions[f->nrev - 1] : 0;
		rows[i].revisions = revs[i];
		rows[i].message = f->message;
		rows[i].evidence = f->evidence;
		rows[i].remedy = f->remedy;
	}
	if (nids) {
		ids = (const char **)o->rules;
	} else {
		size_t n;
		const hr_audit_rule *all = hr_audit_rules(&n);

		if (!(ids = calloc(n, sizeof(*ids)))) {
			rc = hr_error_set(err, HR_ENOMEM, "out of memory");
			goto out;
		}
		for (size_t i = 0; i < n; i++)
			ids[i] = all[i].id;
		nids = n;
	}
	rc = hr_facts_store_findings(idx, o->namespace, ids, nids, rows, r->n, err);
out:
	if (!o->nrules)
		free(ids);
	for (size_t i = 0; revs && i < r->n; i++)
		free(revs[i]);
	free(revs);
	free(rows);
	return rc;
}
