/*
 * audit.h — what is wrong in a set of Helm release records, where, and the
 * exact fix (`helmrec audit`, docs/audit.md).
 *
 * hr_audit_run() applies the rules below to the index (read through the
 * query functions of index/facts.h, and each revision's body) and returns
 * finding values: rule id, severity, release, the revisions concerned, a
 * message (Helm's own wording where Helm has one), evidence, and a remedy.
 * Nothing here prints.  Credential values never appear in a finding unless
 * opts.show_secrets is set: the credentials rule names key paths and
 * revisions only.
 *
 * Ownership: hr_audit_run() fills an hr_audit_result the caller frees with
 * hr_audit_result_free(); every string in it is owned by the result.  The
 * rule table (hr_audit_rules) and the deprecation table are static.
 */
#ifndef HR_AUDIT_AUDIT_H
#define HR_AUDIT_AUDIT_H

#include <stddef.h>
#include <stdint.h>
#include "index/index.h"
#include <json-c/json.h>
#include "model/kubeapi.h"
#include "util/buf.h"

typedef enum hr_severity {
	HR_SEV_NONE = 0,   /* only as a --fail-on threshold: never fail */
	HR_SEV_INFO = 1,
	HR_SEV_WARNING = 2,
	HR_SEV_ERROR = 3
} hr_severity;

/* "info", "warning", "error" ("none" for HR_SEV_NONE). Static. */
const char *hr_severity_name(hr_severity s);
/* Parse a severity name; -1 if unknown. */
int hr_severity_parse(const char *s);

/* A rule: its id, one-line description, why it matters, and its highest severity. */
typedef struct hr_audit_rule {
	const char *id;
	const char *summary;      /* short description */
	const char *description;  /* why it matters */
	const char *help;         /* how to fix or silence */
	hr_severity level;        /* default (highest) severity */
} hr_audit_rule;

/* Every rule, in documentation order (static). */
const hr_audit_rule *hr_audit_rules(size_t *n);
/* The rule with this id, or NULL. */
const hr_audit_rule *hr_audit_rule_find(const char *id);

typedef struct hr_finding {
	const char *rule;          /* id (static) */
	hr_severity severity;
	char *namespace, *release;
	int64_t *revisions;        /* ascending; nrev may be 0 (the release as a whole) */
	size_t nrev;
	char *message, *evidence, *remedy;   /* evidence and remedy may be NULL */
} hr_finding;

typedef struct hr_audit_result {
	hr_finding *items;
	size_t n, cap;
	size_t releases, revisions;   /* how much was audited */
} hr_audit_result;

#define HR_AUDIT_RESULT_INIT { NULL, 0, 0, 0, 0 }

struct hr_fact_rev;
/*
 * Called by hr_audit_run with each audited revision's decoded body, after
 * the body rules ran on it, so that a caller needing every body too (the
 * HTML report) decodes each once: releases in namespace, name order,
 * revisions oldest first.  `rel` is borrowed (take a reference to keep it;
 * it is not read by the audit afterwards, so the caller may change it) and
 * NULL when the body could not be read.  A non-zero return stops the audit
 * with that code (err filled).
 */
typedef int (*hr_audit_body_fn)(void *user, const struct hr_fact_rev *rev, struct json_object *rel, hr_error *err);

typedef struct hr_audit_opts {
	const char *namespace;        /* NULL = every namespace */
	const char *const *rules;     /* rule ids to run (NULL/0 = all) */
	size_t nrules;
	int kube_major, kube_minor;   /* target Kubernetes (0.0 = newest in the deprecation table) */
	int show_secrets;             /* put credential values into evidence */
	int include_deleted;          /* audit revisions seen only as deleted/historical too */
	hr_audit_body_fn on_body;     /* NULL, or see hr_audit_body_fn (every body is then decoded) */
	void *on_body_user;
} hr_audit_opts;

#define HR_AUDIT_OPTS_INIT { NULL, NULL, 0, 0, 0, 0, 0, NULL, NULL }

/*
 * Run the selected rules.  Findings come out sorted: severity (worst
 * first), namespace, release, first revision, rule, message.  An unknown
 * rule id in opts->rules is HR_EINVAL.
 */
int hr_audit_run(hr_index *idx, const hr_audit_opts *opts, hr_audit_result *out, hr_error *err);
void hr_audit_result_free(hr_audit_result *r);

/*
 * The audit's credential test for one value (the credentials rule uses it
 * while walking user and chart values; the HTML report uses it to mask):
 * `v` under map key `key` (the nearest key above it, NULL at the top or
 * when unknown).  A string holding a PEM private key, a connection string
 * with a password (user:pass@host), or a non-empty scalar (not a boolean)
 * under a key whose name says password, token, secret, api/access/private
 * key or credential (not secretName, existingSecret and the like).  Returns
 * NULL when the value does not look like one, else a static phrase saying
 * why ("looks like a credential", ...).  Containers are never credentials.
 */
const char *hr_audit_credential_kind(const char *key, struct json_object *v);

/* Store the findings into the index's `finding` table (replacing those of the rules run). */
int hr_audit_store(hr_index *idx, const hr_audit_opts *opts, const hr_audit_result *r, hr_error *err);

/* Highest severity among the findings (HR_SEV_NONE when there are none). */
hr_severity hr_audit_worst(const hr_audit_result *r);

/*
 * Output (output.c), appended to `out`:
 *   table: one line per finding (severity, rule, namespace/release,
 *          revisions, message); `flags`: HR_AUDIT_TABLE_EXPLAIN adds the
 *          evidence and remedy lines, HR_AUDIT_TABLE_COLOR colours the
 *          severity word (ANSI: error red, warning yellow, info cyan;
 *          the caller decides, e.g. a terminal);
 *   json:  an array of finding objects (fields in docs/audit.md);
 *   sarif: a SARIF 2.1.0 log with one run, every rule in tool.driver.rules
 *          and one result per finding (logical location ns/release@rev).
 * `version` is helmrec's version for the SARIF driver.  0 or HR_ENOMEM.
 */
enum { HR_AUDIT_TABLE_EXPLAIN = 1, HR_AUDIT_TABLE_COLOR = 2 };
int hr_audit_format_table(hr_buf *out, const hr_audit_result *r, int flags, hr_error *err);
int hr_audit_format_json(hr_buf *out, const hr_audit_result *r, hr_error *err);
int hr_audit_format_sarif(hr_buf *out, const hr_audit_result *r, const char *version, hr_error *err);

#endif
