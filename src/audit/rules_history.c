/*
 * rules_history.c — the audit rules that look at a release's history as a
 * whole (stuck operations, deployed revisions, gaps, growth, Helm 4
 * readiness) and at storage objects across every release (conflicting
 * bodies, labels that disagree with the body).
 *
 * Messages use Helm's own wording where Helm has one, and remedies name
 * the exact storage object to change.
 */
#include "audit/audit_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HISTORY_DEFAULT 10
#define HISTORY_WARN 50

static int is_pending(const char *s)
{
	return s && (!strcmp(s, "pending-install") || !strcmp(s, "pending-upgrade") ||
		     !strcmp(s, "pending-rollback") || !strcmp(s, "uninstalling"));
}

static int is(const char *s, const char *want)
{
	return s && !strcmp(s, want);
}

/* How to delete / back up the record of `r` with the tools of its driver, into b. */
static int record_commands(hr_buf *b, const hr_fact_rev *r)
{
	const char *obj = r->object_name ? r->object_name : "(unknown object)";

	if (is(r->driver, "sql"))
		return hr_buf_printf(b, "DELETE FROM releases_v1 WHERE key = '%s' AND namespace = '%s' (HELM_DRIVER=sql)",
				     obj, r->namespace);
	return hr_buf_printf(b, "kubectl -n %s get %s %s -o yaml > %s.yaml && kubectl -n %s delete %s %s",
			     r->namespace, is(r->driver, "configmap") ? "configmap" : "secret", obj, obj,
			     r->namespace, is(r->driver, "configmap") ? "configmap" : "secret", obj);
}

static int stuck(hr_audit_ctx *c, const hr_fact_rev *revs, size_t n)
{
	const hr_fact_rev *last = &revs[n - 1], *good = NULL;
	hr_buf msg = HR_BUF_INIT, ev = HR_BUF_INIT, fix = HR_BUF_INIT;
	int rc;

	if (!is_pending(last->status))
		return 0;
	for (size_t i = n - 1; i-- > 0;)
		if (is(revs[i].status, "deployed")) {
			good = &revs[i];
			break;
		}
	rc = hr_buf_printf(&msg, "another operation (install/upgrade/rollback) is in progress: revision %lld is %s",
			   (long long)last->version, last->status);
	if (!rc)
		rc = hr_buf_printf(&ev, "%s %s/%s, info.status %s; seen in %s", last->driver ? last->driver : "record",
				   last->namespace, last->object_name ? last->object_name : "?", last->status,
				   last->sources ? last->sources : "?");
	if (!rc)
		rc = hr_buf_printf(&fix, "helmrec repair %s -n %s --unlock > repair.yaml, review it and kubectl apply -f "
				   "repair.yaml (docs/repair.md); or back up and delete the record %s of revision %lld: ", last->name, last->namespace,
				   last->object_name ? last->object_name : "?", (long long)last->version);
	if (!rc)
		rc = record_commands(&fix, last);
	if (!rc && good)
		rc = hr_buf_printf(&fix, "; revision %lld (deployed) is then the newest and helm upgrade/rollback work again",
				   (long long)good->version);
	else if (!rc)
		rc = hr_buf_printf(&fix, "; then install again");
	if (!rc)
		rc = hr_audit_emit(c->res, "stuck-operation", HR_SEV_ERROR, last->namespace, last->name, last->version,
				   msg.ptr, ev.ptr, fix.ptr);
	hr_buf_free(&msg);
	hr_buf_free(&ev);
	hr_buf_free(&fix);
	return rc;
}

static int deployed(hr_audit_ctx *c, const hr_fact_rev *revs, size_t n)
{
	const hr_fact_rev *last = &revs[n - 1];
	hr_buf msg = HR_BUF_INIT, ev = HR_BUF_INIT, fix = HR_BUF_INIT;
	size_t ndep = 0;
	int rc = 0;

	for (size_t i = 0; i < n; i++)
		if (is(revs[i].status, "deployed")) {
			rc |= hr_buf_printf(&ev, "%s%lld (%s)", ndep ? ", " : "", (long long)revs[i].version,
					    revs[i].object_name ? revs[i].object_name : "?");
			ndep++;
		}
	if (rc)
		goto out;
	if (ndep == 0 && hr_audit_want(c->opts, "no-deployed") && !is_pending(last->status)) {
		if (is(last->status, "uninstalled")) {
			rc = hr_buf_printf(&msg, "\"%s\" has no deployed releases: uninstalled with --keep-history (revision %lld)",
					   last->name, (long long)last->version);
			if (!rc)
				rc = hr_buf_printf(&fix, "none needed; helm install %s -n %s --replace reuses the name, "
						   "helm uninstall %s -n %s removes the history", last->name, last->namespace,
						   last->name, last->namespace);
			if (!rc)
				rc = hr_audit_emit(c->res, "no-deployed", HR_SEV_INFO, last->namespace, last->name,
						   last->version, msg.ptr, NULL, fix.ptr);
		} else {
			const hr_fact_rev *target = NULL;

			for (size_t i = n - 1; i-- > 0;)
				if (is(revs[i].status, "superseded")) {
					target = &revs[i];
					break;
				}
			rc = hr_buf_printf(&msg, "\"%s\" has no deployed releases: the newest revision %lld is %s",
					   last->name, (long long)last->version, last->status ? last->status : "?");
			if (!rc && target)
				rc = hr_buf_printf(&fix, "helm rollback %s %lld -n %s (the newest revision that was deployed)",
						   last->name, (long long)target->version, last->namespace);
			else if (!rc)
				rc = hr_buf_printf(&fix, "helm uninstall %s -n %s, then install again", last->name,
						   last->namespace);
			if (!rc)
				rc = hr_audit_emit(c->res, "no-deployed", HR_SEV_WARNING, last->namespace, last->name,
						   last->version, msg.ptr, NULL, fix.ptr);
		}
	} else if (ndep > 1 && hr_audit_want(c->opts, "multiple-deployed")) {
		int uninstalled = is(last->status, "uninstalled");

		rc = hr_buf_printf(&msg, "%zu revisions are deployed%s", ndep,
				   uninstalled ? " under an uninstalled one (uninstall --keep-history before Helm 3.20.1 / 4.1)" : "");
		if (!rc)
			rc = hr_buf_printf(&fix, "mark every deployed revision but the newest superseded: label status=superseded "
					   "and info.status \"superseded\" in their records");
		for (size_t i = 0; !rc && i < n; i++)
			if (is(revs[i].status, "deployed"))
				rc = hr_audit_emit(c->res, "multiple-deployed", uninstalled ? HR_SEV_INFO : HR_SEV_WARNING,
						   last->namespace, last->name, revs[i].version, msg.ptr, ev.ptr, fix.ptr);
	}
out:
	hr_buf_free(&msg);
	hr_buf_free(&ev);
	hr_buf_free(&fix);
	return rc;
}

static int gaps(hr_audit_ctx *c, const hr_fact_rev *revs, size_t n)
{
	const hr_fact_rev *first = &revs[0];
	char msg[256], fix[512];
	int rc = 0;

	if (first->version > 1) {
		snprintf(msg, sizeof(msg), "revisions 1 to %lld are not stored (the oldest, pruned by --history-max)",
			 (long long)first->version - 1);
		rc = hr_audit_emit(c->res, "revision-gap", HR_SEV_INFO, first->namespace, first->name, 0, msg, NULL,
				   "none needed: helm prunes the oldest revisions; they cannot be rolled back to");
	}
	for (size_t i = 1; !rc && i < n; i++) {
		int64_t a = revs[i - 1].version, b = revs[i].version;

		if (b <= a + 1)
			continue;
		if (b == a + 2)
			snprintf(msg, sizeof(msg), "revision %lld is missing between %lld and %lld", (long long)a + 1,
				 (long long)a, (long long)b);
		else
			snprintf(msg, sizeof(msg), "revisions %lld to %lld are missing between %lld and %lld",
				 (long long)a + 1, (long long)b - 1, (long long)a, (long long)b);
		snprintf(fix, sizeof(fix), "restore sh.helm.release.v1.%s.v%lld from another backup (helmrec scan it "
			 "together with this one); until then helm rollback %s %lld -n %s fails", first->name,
			 (long long)a + 1, first->name, (long long)a + 1, first->namespace);
		rc = hr_audit_emit(c->res, "revision-gap", HR_SEV_WARNING, first->namespace, first->name, a + 1, msg,
				   NULL, fix);
	}
	return rc;
}

static int growth(hr_audit_ctx *c, const hr_fact_rev *revs, size_t n)
{
	char msg[256], ev[256], fix[512];
	int64_t total = 0;

	if (n <= HISTORY_DEFAULT)
		return 0;
	for (size_t i = 0; i < n; i++)
		total += revs[i].payload_size;
	snprintf(msg, sizeof(msg), "keeps %zu revisions (helm's CLI default --history-max is %d)", n, HISTORY_DEFAULT);
	snprintf(ev, sizeof(ev), "%lld bytes of stored payloads (revisions %lld to %lld)", (long long)total,
		 (long long)revs[0].version, (long long)revs[n - 1].version);
	snprintf(fix, sizeof(fix), "helm upgrade %s -n %s ... --history-max %d prunes the oldest on the next upgrade "
		 "(SDK callers: action.Upgrade.MaxHistory)", revs[0].name, revs[0].namespace, HISTORY_DEFAULT);
	return hr_audit_emit(c->res, "history-growth", n >= HISTORY_WARN ? HR_SEV_WARNING : HR_SEV_INFO,
			     revs[0].namespace, revs[0].name, 0, msg, ev, fix);
}

static int helm4(hr_audit_ctx *c, const hr_fact_rev *revs, size_t n)
{
	const hr_fact_rev *rel = &revs[n - 1];
	char msg[512];
	int rc = 0;

	for (size_t i = n; i-- > 0;)
		if (is(revs[i].status, "deployed")) {
			rel = &revs[i];
			break;
		}
	if ((c->writers & 0x18) == 0x18) {
		snprintf(msg, sizeof(msg), "history mixes Helm 3-written revisions (%s) and Helm 4-written ones (%s)",
			 hr_buf_cstr(&c->writer3), hr_buf_cstr(&c->writer4));
		rc = hr_audit_emit(c->res, "helm4-readiness", HR_SEV_INFO, rel->namespace, rel->name, 0, msg,
				   "Helm 3 writes zero times as \"\" (info.deleted), Helm 4 omits them and adds apply_method",
				   "none needed; upgrade with Helm 4 only from now on");
	}
	if (!rc && is(rel->apply_method, "ssa")) {
		snprintf(msg, sizeof(msg), "the next Helm 4 upgrade/rollback uses server-side apply (apply_method ssa "
			 "of revision %lld)", (long long)rel->version);
		rc = hr_audit_emit(c->res, "helm4-readiness", HR_SEV_INFO, rel->namespace, rel->name, rel->version, msg,
				   NULL, "none needed; pass --server-side=false to keep client-side apply");
	}
	return rc;
}

int hr_audit_history_rules(hr_audit_ctx *c, const hr_fact_rev *revs, size_t n, hr_error *err)
{
	int rc = 0;

	if (!n)
		return 0;
	if (hr_audit_want(c->opts, "stuck-operation"))
		rc = stuck(c, revs, n);
	if (!rc && (hr_audit_want(c->opts, "no-deployed") || hr_audit_want(c->opts, "multiple-deployed")))
		rc = deployed(c, revs, n);
	if (!rc && hr_audit_want(c->opts, "revision-gap"))
		rc = gaps(c, revs, n);
	if (!rc && hr_audit_want(c->opts, "history-growth"))
		rc = growth(c, revs, n);
	if (!rc && hr_audit_want(c->opts, "helm4-readiness"))
		rc = helm4(c, revs, n);
	return rc ? hr_error_set(err, rc, "out of memory") : 0;
}

static const char *label(struct json_object *labels, const char *key)
{
	struct json_object *v;

	if (!labels || !json_object_object_get_ex(labels, key, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

static int labels_rule(hr_audit_ctx *c, hr_error *err)
{
	hr_fact_sighting *s = NULL;
	size_t n = 0;
	int rc;

	if ((rc = hr_facts_live_objects(c->idx, c->opts->namespace, &s, &n, err)))
		return rc;
	for (size_t i = 0; !rc && i < n; i++) {
		struct json_object *labels = s[i].labels ? json_tokener_parse(s[i].labels) : NULL;
		const char *obj = s[i].object_name ? s[i].object_name : "", *kind = s[i].driver, *l;
		char msg[1024], ev[1024], fix[1024];

		snprintf(ev, sizeof(ev), "%s %s/%s in %s%s%s", kind, s[i].namespace, obj, s[i].source ? s[i].source : "?",
			 s[i].location ? ": " : "", s[i].location ? s[i].location : "");
		if ((l = label(labels, "status")) && s[i].status && strcmp(l, s[i].status)) {
			snprintf(msg, sizeof(msg), "%s: status label \"%s\" but the release body says \"%s\"", obj, l,
				 s[i].status);
			snprintf(fix, sizeof(fix), "kubectl -n %s label %s %s status=%s --overwrite", s[i].namespace, kind,
				 obj, s[i].status);
			rc = hr_audit_emit(c->res, "label-mismatch", HR_SEV_WARNING, s[i].namespace, s[i].name,
					   s[i].version, msg, ev, fix);
		}
		if (!rc && (l = label(labels, "name")) && strcmp(l, s[i].body_name)) {
			snprintf(msg, sizeof(msg), "%s: name label \"%s\" but the release body says \"%s\"", obj, l,
				 s[i].body_name);
			snprintf(fix, sizeof(fix), "kubectl -n %s label %s %s name=%s --overwrite", s[i].namespace, kind,
				 obj, s[i].body_name);
			rc = hr_audit_emit(c->res, "label-mismatch", HR_SEV_WARNING, s[i].namespace, s[i].name,
					   s[i].version, msg, ev, fix);
		}
		if (!rc && (l = label(labels, "version")) && strtoll(l, NULL, 10) != s[i].version) {
			snprintf(msg, sizeof(msg), "%s: version label \"%s\" but the release body says %lld", obj, l,
				 (long long)s[i].version);
			snprintf(fix, sizeof(fix), "kubectl -n %s label %s %s version=%lld --overwrite", s[i].namespace,
				 kind, obj, (long long)s[i].version);
			rc = hr_audit_emit(c->res, "label-mismatch", HR_SEV_WARNING, s[i].namespace, s[i].name,
					   s[i].version, msg, ev, fix);
		}
		if (!rc && (!(l = label(labels, "owner")) || strcmp(l, "helm"))) {
			snprintf(msg, sizeof(msg), "%s: no owner=helm label: helm list/history will not see this record", obj);
			snprintf(fix, sizeof(fix), "kubectl -n %s label %s %s owner=helm --overwrite", s[i].namespace, kind,
				 obj);
			rc = hr_audit_emit(c->res, "label-mismatch", HR_SEV_WARNING, s[i].namespace, s[i].name,
					   s[i].version, msg, ev, fix);
		}
		if (!rc && strcmp(s[i].body_name, s[i].name) == 0 && s[i].object_name) {
			char want[512];

			snprintf(want, sizeof(want), "sh.helm.release.v1.%s.v%lld", s[i].body_name, (long long)s[i].version);
			if (strcmp(want, obj)) {
				snprintf(msg, sizeof(msg), "object name %s does not match the release body (%s)", obj, want);
				snprintf(fix, sizeof(fix), "recreate the record under the name %s (helm reads it by that key)",
					 want);
				rc = hr_audit_emit(c->res, "label-mismatch", HR_SEV_WARNING, s[i].namespace, s[i].name,
						   s[i].version, msg, ev, fix);
			}
		}
		json_object_put(labels);
		if (rc)
			rc = hr_error_set(err, rc, "out of memory");
	}
	hr_fact_sightings_free(s, n);
	return rc;
}

static int conflicts_rule(hr_audit_ctx *c, hr_error *err)
{
	hr_fact_conflict *cf = NULL;
	size_t n = 0;
	int rc;

	if ((rc = hr_facts_conflicts(c->idx, c->opts->namespace, &cf, &n, err)))
		return rc;
	for (size_t i = 0; !rc && i < n; i++) {
		char msg[512], ev[1024], fix[512];

		snprintf(msg, sizeof(msg), "revision %lld has %lld different bodies in the inputs (statuses: %s)",
			 (long long)cf[i].version, (long long)cf[i].bodies, cf[i].statuses ? cf[i].statuses : "?");
		snprintf(ev, sizeof(ev), "seen live in %s", cf[i].sources ? cf[i].sources : "?");
		snprintf(fix, sizeof(fix), "decide which input is authoritative and restore only that one; compare the "
			 "bodies with helmrec get all %s -n %s --revision %lld --from INPUT for each input", cf[i].name,
			 cf[i].namespace, (long long)cf[i].version);
		rc = hr_audit_emit(c->res, "conflict", HR_SEV_ERROR, cf[i].namespace, cf[i].name, cf[i].version, msg, ev,
				   fix);
		if (rc)
			rc = hr_error_set(err, rc, "out of memory");
	}
	hr_fact_conflicts_free(cf, n);
	return rc;
}

int hr_audit_object_rules(hr_audit_ctx *c, hr_error *err)
{
	int rc = 0;

	if (hr_audit_want(c->opts, "conflict"))
		rc = conflicts_rule(c, err);
	if (!rc && hr_audit_want(c->opts, "label-mismatch"))
		rc = labels_rule(c, err);
	return rc;
}
