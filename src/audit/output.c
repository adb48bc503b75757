/*
 * output.c — audit findings as a table, as JSON, and as SARIF 2.1.0.
 *
 * The JSON field names are documented in docs/audit.md and stable.  SARIF:
 * one run whose tool.driver lists every rule (id, short and full
 * description, help, default level); each finding is a result with
 * ruleId/ruleIndex, level (info → note), message.text and one logical
 * location "namespace/release@revision" (kind "resource").
 */
#include "audit/audit.h"
#include "util/termsafe.h"

#include <json-c/json.h>
#include <string.h>

/* Add k: v to o; v NULL is JSON null.  Non-zero on allocation failure (v is consumed). */
static int add(struct json_object *o, const char *k, struct json_object *v, int want)
{
	if (want && !v)
		return -1;
	if (json_object_object_add(o, k, v)) {
		json_object_put(v);
		return -1;
	}
	return 0;
}

/* Once rc is 0, add *v to o under k; add() consumes it either way, so *v becomes NULL.  The new rc. */
static int adopt(int rc, struct json_object *o, const char *k, struct json_object **v)
{
	if (rc)
		return rc;
	rc = add(o, k, *v, 1);
	*v = NULL;
	return rc;
}

static struct json_object *str(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}

static int revs_text(hr_buf *b, const hr_finding *f)
{
	int rc = 0;

	for (size_t k = 0; !rc && k < f->nrev; k++)
		rc = hr_buf_printf(b, "%s%lld", k ? "," : "", (long long)f->revisions[k]);
	if (!rc && !f->nrev)
		rc = hr_buf_puts(b, "-");
	return rc;
}

/* `label`, then `text` with terminal controls made visible, then a newline.  0 or -1 (out of memory). */
static int put_safe_line(hr_buf *out, const char *label, const char *text)
{
	int rc = hr_buf_puts(out, label);

	rc = rc ? rc : hr_termsafe_put(out, text, strlen(text));
	return rc ? rc : hr_buf_putc(out, '\n');
}

/* The ANSI colour of a severity word in the table. */
static const char *sev_color(hr_severity s)
{
	return s >= HR_SEV_ERROR ? "\033[31m" : s == HR_SEV_WARNING ? "\033[33m" : "\033[36m";
}

int hr_audit_format_table(hr_buf *out, const hr_audit_result *r, int flags, hr_error *err)
{
	int explain = flags & HR_AUDIT_TABLE_EXPLAIN, color = flags & HR_AUDIT_TABLE_COLOR;
	size_t w_rule = 4, w_rel = 7;
	hr_buf revs = HR_BUF_INIT, rel = HR_BUF_INIT, t = HR_BUF_INIT;
	int rc = 0;

	/* Names, messages and evidence come from the inputs: terminal controls made visible (termsafe.h). */
	for (size_t i = 0; !rc && i < r->n; i++) {
		hr_buf_clear(&rel);
		rc = hr_buf_printf(&rel, "%s/%s", r->items[i].namespace, r->items[i].release);
		rc = rc ? rc : !hr_termsafe_str(&t, rel.ptr);
		if (strlen(r->items[i].rule) > w_rule)
			w_rule = strlen(r->items[i].rule);
		if (!rc && t.len > w_rel)
			w_rel = t.len;
	}
	rc = rc ? rc : hr_buf_printf(out, "%-8s %-*s %-*s %-9s %s\n", "SEVERITY", (int)w_rule, "RULE", (int)w_rel,
				     "RELEASE", "REVISIONS", "MESSAGE");
	for (size_t i = 0; !rc && i < r->n; i++) {
		const hr_finding *f = &r->items[i];

		hr_buf_clear(&revs);
		hr_buf_clear(&rel);
		rc = revs_text(&revs, f);
		rc = rc ? rc : hr_buf_printf(&rel, "%s/%s", f->namespace, f->release);
		rc = rc ? rc : !hr_termsafe_str(&t, rel.ptr);
		rc = rc ? rc : hr_buf_printf(out, "%s%s%s%*s %-*s %-*s %-9s ", color ? sev_color(f->severity) : "",
					     hr_severity_name(f->severity), color ? "\033[0m" : "",
					     (int)(8 - strnlen(hr_severity_name(f->severity), 8)), "", (int)w_rule, f->rule,
					     (int)w_rel, t.ptr, revs.ptr);
		rc = rc ? rc : put_safe_line(out, "", f->message);
		if (!rc && explain && f->evidence)
			rc = put_safe_line(out, "         evidence: ", f->evidence);
		if (!rc && explain && f->remedy)
			rc = put_safe_line(out, "         remedy:   ", f->remedy);
	}
	if (!rc)
		rc = hr_buf_printf(out, "%zu finding%s in %zu release%s (%zu revisions)\n", r->n, r->n == 1 ? "" : "s",
				   r->releases, r->releases == 1 ? "" : "s", r->revisions);
	hr_buf_free(&revs);
	hr_buf_free(&rel);
	hr_buf_free(&t);
	return rc ? hr_error_set(err, HR_ENOMEM, "out of memory") : 0;
}

static int emit_json(hr_buf *out, struct json_object *root, hr_error *err)
{
	const char *s = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
						       JSON_C_TO_STRING_NOSLASHESCAPE);
	/* DEL, C1 and bytes outside UTF-8 from the inputs as JSON escapes too (termsafe.h) */
	int rc = !s || hr_termsafe_json(out, s, strlen(s)) || hr_buf_putc(out, '\n');

	return rc ? hr_error_set(err, HR_ENOMEM, "out of memory") : 0;
}

static struct json_object *finding_json(const hr_finding *f)
{
	struct json_object *o = json_object_new_object(), *revs = json_object_new_array();
	int rc = !o || !revs;

	for (size_t k = 0; !rc && k < f->nrev; k++)
		rc = json_object_array_add(revs, json_object_new_int64(f->revisions[k]));
	if (rc) {
		json_object_put(o);
		json_object_put(revs);
		return NULL;
	}
	rc = add(o, "rule", str(f->rule), 1) || add(o, "severity", str(hr_severity_name(f->severity)), 1) ||
	     add(o, "namespace", str(f->namespace), 1) || add(o, "release", str(f->release), 1) ||
	     add(o, "revision", f->nrev ? json_object_new_int64(f->revisions[f->nrev - 1]) : NULL, f->nrev > 0) ||
	     add(o, "revisions", revs, 1) || add(o, "message", str(f->message), 1) ||
	     add(o, "evidence", str(f->evidence), !!f->evidence) || add(o, "remedy", str(f->remedy), !!f->remedy);
	if (rc) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

int hr_audit_format_json(hr_buf *out, const hr_audit_result *r, hr_error *err)
{
	struct json_object *arr = json_object_new_array();
	int rc = arr ? 0 : HR_ENOMEM;

	for (size_t i = 0; !rc && i < r->n; i++) {
		struct json_object *o = finding_json(&r->items[i]);

		if (!o || json_object_array_add(arr, o)) {
			json_object_put(o);
			rc = HR_ENOMEM;
		}
	}
	if (rc)
		rc = hr_error_set(err, HR_ENOMEM, "out of memory");
	else
		rc = emit_json(out, arr, err);
	json_object_put(arr);
	return rc;
}

static const char *sarif_level(hr_severity s)
{
	return s == HR_SEV_ERROR ? "error" : s == HR_SEV_WARNING ? "warning" : s == HR_SEV_INFO ? "note" : "none";
}

static struct json_object *text(const char *s)
{
	struct json_object *o = json_object_new_object();

	if (o && add(o, "text", str(s), 1)) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

static struct json_object *sarif_rule(const hr_audit_rule *ru)
{
	struct json_object *o = json_object_new_object(), *cfg = json_object_new_object();

	/* add() consumes its value whatever it returns, so cfg is o's (or gone) after it. */
	if (!o || !cfg || add(cfg, "level", str(sarif_level(ru->level)), 1) ||
	    add(o, "defaultConfiguration", cfg, 1)) {
		json_object_put(o);
		return NULL;
	}
	if (add(o, "id", str(ru->id), 1) || add(o, "name", str(ru->id), 1) ||
	    add(o, "shortDescription", text(ru->summary), 1) || add(o, "fullDescription", text(ru->description), 1) ||
	    add(o, "help", text(ru->help), 1)) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

static struct json_object *sarif_result(const hr_finding *f)
{
	struct json_object *o = json_object_new_object(), *locs = json_object_new_array();
	struct json_object *loc = json_object_new_object(), *logs = json_object_new_array();
	struct json_object *ll = json_object_new_object(), *props = json_object_new_object();
	size_t nrules, idx = 0;
	const hr_audit_rule *all = hr_audit_rules(&nrules);
	hr_buf fq = HR_BUF_INIT, msg = HR_BUF_INIT;
	int rc = !o || !locs || !loc || !logs || !ll || !props;

	for (size_t i = 0; i < nrules; i++)
		if (!strcmp(all[i].id, f->rule))
			idx = i;
	if (!rc)
		rc = hr_buf_printf(&fq, "%s/%s", f->namespace, f->release);
	if (!rc && f->nrev)
		rc = hr_buf_printf(&fq, "@%lld", (long long)f->revisions[f->nrev - 1]);
	if (!rc)
		rc = hr_buf_printf(&msg, "%s/%s: %s", f->namespace, f->release, f->message);
	if (!rc && f->remedy)
		rc = hr_buf_printf(&msg, " Remedy: %s", f->remedy);
	if (!rc)
		rc = add(ll, "fullyQualifiedName", str(fq.ptr), 1) || add(ll, "kind", str("resource"), 1) ||
		     json_object_array_add(logs, ll);
	if (!rc)
		ll = NULL;
	rc = adopt(rc, loc, "logicalLocations", &logs);
	if (!rc)
		rc = json_object_array_add(locs, loc);
	if (!rc)
		loc = NULL;
	if (!rc) {
		struct json_object *revs = json_object_new_array();

		for (size_t k = 0; revs && !rc && k < f->nrev; k++)
			rc = json_object_array_add(revs, json_object_new_int64(f->revisions[k]));
		rc = rc || add(props, "revisions", revs, 1) || add(props, "severity", str(hr_severity_name(f->severity)), 1) ||
		     add(props, "evidence", str(f->evidence), !!f->evidence) ||
		     add(props, "remedy", str(f->remedy), !!f->remedy);
	}
	if (!rc)
		rc = add(o, "ruleId", str(f->rule), 1) || add(o, "ruleIndex", json_object_new_int64((int64_t)idx), 1) ||
		     add(o, "level", str(sarif_level(f->severity)), 1) || add(o, "message", text(msg.ptr), 1);
	rc = adopt(rc, o, "locations", &locs);
	rc = adopt(rc, o, "properties", &props);
	json_object_put(locs);
	json_object_put(loc);
	json_object_put(logs);
	json_object_put(ll);
	json_object_put(props);
	hr_buf_free(&fq);
	hr_buf_free(&msg);
	if (rc) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

int hr_audit_format_sarif(hr_buf *out, const hr_audit_result *r, const char *version, hr_error *err)
{
	struct json_object *root = json_object_new_object(), *runs = json_object_new_array();
	struct json_object *run = json_object_new_object(), *tool = json_object_new_object();
	struct json_object *driver = json_object_new_object(), *rules = json_object_new_array();
	struct json_object *results = json_object_new_array();
	size_t nrules;
	const hr_audit_rule *all = hr_audit_rules(&nrules);
	int rc = !root || !runs || !run || !tool || !driver || !rules || !results;

	for (size_t i = 0; !rc && i < nrules; i++) {
		struct json_object *ru = sarif_rule(&all[i]);

		if (!ru || json_object_array_add(rules, ru)) {
			json_object_put(ru);
			rc = 1;
		}
	}
	for (size_t i = 0; !rc && i < r->n; i++) {
		struct json_object *res = sarif_result(&r->items[i]);

		if (!res || json_object_array_add(results, res)) {
			json_object_put(res);
			rc = 1;
		}
	}
	/* Assemble.  add() consumes its value whether it succeeds or not. */
	if (!rc)
		rc = add(driver, "name", str("helmrec"), 1) || add(driver, "version", str(version), 1);
	rc = adopt(rc, driver, "rules", &rules);
	rc = adopt(rc, tool, "driver", &driver);
	rc = adopt(rc, run, "tool", &tool);
	rc = adopt(rc, run, "results", &results);
	if (!rc && !(rc = json_object_array_add(runs, run)))
		run = NULL;
	if (!rc)
		rc = add(root, "version", str("2.1.0"), 1) ||
		     add(root, "$schema", str("https://json.schemastore.org/sarif-2.1.0.json"), 1);
	rc = adopt(rc, root, "runs", &runs);
	json_object_put(rules);
	json_object_put(driver);
	json_object_put(tool);
	json_object_put(results);
	json_object_put(run);
	json_object_put(runs);
	if (rc)
		rc = hr_error_set(err, HR_ENOMEM, "out of memory");
	else
		rc = emit_json(out, root, err);
	json_object_put(root);
	return rc;
}
