/*
 * cmd_audit.c — `helmrec audit`: parse flags, run the audit library
 * (src/audit/), store the findings in the index, print them.
 */
#include "cmd/common.h"
#include "audit/audit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const hr_command_help help = {
	"audit", "audit [--db FILE | --from INPUT...] [-n NS | -A] [-o table|json|sarif] [--explain]\n"
		"          [--fail-on info|warning|error] [--kube-version X.Y] [--rule ID]... [--show-secrets]",
	"Report what is wrong in the records, where, and the exact fix",
	"Runs every rule (or those named by --rule) over the revisions helm would see\n"
	"and prints findings worst first.  Findings are also stored in the index\n"
	"(table finding, view v_findings) when it is writable.  Credential values are\n"
	"never printed unless --show-secrets.  Exit status 5 when a finding at or above\n"
	"--fail-on exists.  Rules and examples: docs/audit.md."
};

int cmd_audit(int argc, char **argv, hr_ctx *ctx)
{
	hr_audit_opts ao = HR_AUDIT_OPTS_INIT;
	hr_audit_result res = HR_AUDIT_RESULT_INIT;
	const char *ns = NULL, *format = "table", *fail_on = NULL, *kube = NULL;
	int all_ns = 0, explain = 0, fail_level = HR_SEV_NONE;
	hr_strlist rules = { 0 }, pos = { 0 };
	hr_option opts[] = {
		HR_OPT_BOOL_('A', "all-namespaces", &all_ns, "audit every namespace"),
		HR_OPT_BOOL_(0, "explain", &explain, "table: print evidence and remedy under each finding"),
		HR_OPT_STR_(0, "fail-on", &fail_on, "LEVEL", "exit 5 if a finding is at or above LEVEL (info, warning, error)"),
		HR_OPT_BOOL_(0, "include-deleted", &ctx->include_deleted, "also audit revisions recovered from datastore history"),
		HR_OPT_STR_(0, "kube-version", &kube, "X.Y", "target Kubernetes for deprecated-api (default: newest in the table)"),
		HR_OPT_STR_('n', "namespace", &ns, "NS", "only this namespace (default: $HELM_NAMESPACE, else default)"),
		HR_OPT_ENUM_('o', "output", &format, "FORMAT", "table|json|sarif", "table (default), json or sarif"),
		HR_OPT_LIST_(0, "rule", &rules, "ID", "run only this rule (repeatable; see docs/audit.md)"),
		HR_OPT_BOOL_(0, "show-secrets", &ao.show_secrets, "print credential values in evidence"),
		HR_OPT_END_,
	};
	hr_error err = HR_ERROR_INIT;
	hr_index *idx = NULL;
	hr_buf out = HR_BUF_INIT;
	int rc;

	if ((rc = hr_cmd_start(argc, argv, &help, opts, ctx, &pos, 0, 0, NULL))) {
		rc = rc < 0 ? 0 : rc;
		goto out;
	}
	if (fail_on && ((fail_level = hr_severity_parse(fail_on)) < 0)) {
		rc = hr_cmd_error(HR_EXIT_USAGE, "--fail-on: \"%s\" is not none, info, warning or error", fail_on);
		goto out;
	}
	if (kube && hr_kube_version_parse(kube, &ao.kube_major, &ao.kube_minor)) {
		rc = hr_cmd_error(HR_EXIT_USAGE, "--kube-version: \"%s\" is not a version like 1.29", kube);
		goto out;
	}
	for (int i = 0; i < rules.n; i++)
		if (!hr_audit_rule_find(rules.items[i])) {
			rc = hr_cmd_error(HR_EXIT_USAGE, "unknown rule \"%s\" (see helmrec audit --help, docs/audit.md)",
					  rules.items[i]);
			goto out;
		}
	if (!all_ns)
		ao.namespace = hr_cmd_namespace(ns);
	ao.rules = (const char *const *)rules.items;
	ao.nrules = (size_t)rules.n;
	ao.include_deleted = ctx->include_deleted;
	/* A --db index is opened writable so the findings can be stored; read-only if that fails. */
	if (!ctx->from.n && !hr_index_open(&idx, ctx->db, 0, &err)) {
		if (hr_index_use_cluster(idx, ctx->cluster, &err)) {
			rc = hr_cmd_fail(&err);
			goto out;
		}
		hr_index_set_at(idx, ctx->at);
	} else if ((rc = hr_cmd_open_index(ctx, &idx))) {
		goto out;
	}
	if (hr_audit_run(idx, &ao, &res, &err)) {
		rc = hr_cmd_error(HR_EXIT_FAIL, "%s", err.msg);
		goto out;
	}
	if (!ao.show_secrets && hr_audit_store(idx, &ao, &res, &err))
		hr_cmd_note("warning: findings not stored in the index: %s\n", err.msg);
	if (!strcmp(format, "json"))
		rc = hr_audit_format_json(&out, &res, &err);
	else if (!strcmp(format, "sarif"))
		rc = hr_audit_format_sarif(&out, &res, "0.1.0", &err);
	else
		rc = hr_audit_format_table(&out, &res, (explain ? HR_AUDIT_TABLE_EXPLAIN : 0) |
						   (ctx->color_on ? HR_AUDIT_TABLE_COLOR : 0), &err);
	if (rc) {
		rc = hr_cmd_error(HR_EXIT_FAIL, "%s", err.msg);
		goto out;
	}
	rc = hr_cmd_write(out.ptr, out.len);
	if (!rc && fail_level > HR_SEV_NONE && (int)hr_audit_worst(&res) >= fail_level)
		rc = HR_EXIT_FINDINGS;
out:
	hr_audit_result_free(&res);
	hr_buf_free(&out);
	hr_index_close(idx);
	hr_strlist_free(&rules);
	hr_strlist_free(&pos);
	return rc;
}
