/*
 * common.h — what every subcommand shares: the global flags, opening the
 * index (--db FILE, or --from INPUT... into memory), resolving a release's
 * namespace, and checked output to stdout.
 */
#ifndef HR_CMD_COMMON_H
#define HR_CMD_COMMON_H

#include <stddef.h>
#include "cmd/options.h"
#include "cmd/exitcodes.h"
#include "index/index.h"
#include "render/helm.h"
#include "scan/scan.h"

typedef struct hr_ctx {
	const char *db;             /* --db, default ./helmrec.db (or $HELMREC_DB) */
	hr_strlist from;            /* --from INPUT (repeatable) */
	const char *compat;         /* --helm-compat 3|4 (or $HELMREC_HELM_COMPAT) */
	int helm_major;             /* 4 or 3 */
	long max_payload_mb;        /* --max-payload (MiB) */
	const char *encryption_config;
	int include_deleted;
	long at;                    /* --at REV: time travel (0 = head) */
	int carve;                  /* --carve: scan free etcd pages */
} hr_ctx;

/* The global option table (points into *ctx); terminated by HR_OPT_END_. */
const hr_option *hr_global_options(hr_ctx *ctx);
/* Validate globals after parsing (compat value...). 0 or an exit code. */
int hr_ctx_finish(hr_ctx *ctx);
void hr_ctx_source_opts(const hr_ctx *ctx, hr_source_opts *out);

/* Open the index for a query command; prints errors; returns 0 or an exit code. */
int hr_cmd_open_index(hr_ctx *ctx, hr_index **out);
/*
 * Pick the namespace for release `name`: -n (`flag_ns`) if given, else
 * hr_index_resolve_ns.  Prints the error and returns an exit code when
 * ambiguous (HR_EXIT_USAGE) or when the index fails.  *ns is borrowed from
 * flag_ns or malloc'd into *owned (free it).
 */
int hr_cmd_resolve_ns(hr_index *idx, const char *name, const char *flag_ns, const char **ns, char **owned);
/*
 * hr_index_load_revision with the context's flags (--include-deleted):
 * `revision` 0 = the highest one.  Prints helm's error ("Error: release:
 * not found", exit HR_EXIT_NOTFOUND) or the failure (HR_EXIT_FAIL) and
 * returns the exit code.  *rel and *labels: put them.
 */
int hr_cmd_load_revision(hr_ctx *ctx, hr_index *idx, const char *ns, const char *name, long revision,
			 struct json_object **rel, struct json_object **labels);
/* Turn a json-c object of labels into an hr_label array (borrowed strings; free the array). */
hr_label *hr_cmd_label_array(struct json_object *labels, size_t *n);

/* Write all of buf to stdout; print an error and return HR_EXIT_FAIL on failure. */
int hr_cmd_write(const char *data, size_t len);
/* Print "Error: <msg>" to stderr (helm's style) and return `code`. */
int hr_cmd_error(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/*
 * Under Helm 4 compatibility, refuse a Helm-3-only flag (short_name, may be
 * 0; long_name, may be NULL) found in argv as helm 4 does: "unknown
 * shorthand flag: 'a' in -a" / "unknown flag: --all" (HR_EXIT_USAGE).  0
 * under Helm 3 or when the flag is not given.
 */
int hr_cmd_helm3_only(hr_ctx *ctx, int argc, char **argv, const hr_option *opts, char short_name,
		      const char *long_name);

/* The subcommands (src/cmd/cmd_*.c). */
int cmd_audit(int argc, char **argv, hr_ctx *ctx);
int cmd_complete(int argc, char **argv, hr_ctx *ctx);
int cmd_completion(int argc, char **argv, hr_ctx *ctx);
int cmd_chart(int argc, char **argv, hr_ctx *ctx);
int cmd_decode(int argc, char **argv, hr_ctx *ctx);
int cmd_diff(int argc, char **argv, hr_ctx *ctx);
int cmd_export(int argc, char **argv, hr_ctx *ctx);
int cmd_get(int argc, char **argv, hr_ctx *ctx);
int cmd_history(int argc, char **argv, hr_ctx *ctx);
int cmd_list(int argc, char **argv, hr_ctx *ctx);
int cmd_rollback(int argc, char **argv, hr_ctx *ctx);
int cmd_scan(int argc, char **argv, hr_ctx *ctx);
int cmd_sql(int argc, char **argv, hr_ctx *ctx);
int cmd_status(int argc, char **argv, hr_ctx *ctx);

#endif
