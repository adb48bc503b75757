/*
 * common.h — what every subcommand shares: the global flags, opening the
 * index (--db FILE, or --from INPUT... into memory), resolving a release's
 * namespace, and checked output to stdout.
 */
#ifndef HR_CMD_COMMON_H
#define HR_CMD_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include "cmd/options.h"
#include "cmd/exitcodes.h"
#include "index/index.h"
#include "render/helm.h"
#include "scan/scan.h"

typedef struct hr_ctx {
	const char *db;             /* --db, default ./helmrec.db (or $HELMREC_DB); or a PostgreSQL URL */
	const char *cluster;        /* --cluster: scan writes it (default "default"); queries answer for it */
	hr_strlist from;            /* --from INPUT (repeatable) */
	const char *compat;         /* --helm-compat 3|4 (or $HELMREC_HELM_COMPAT) */
	int helm_major;             /* 4 or 3 */
	long max_payload_mb;        /* --max-payload (MiB) */
	const char *encryption_config;
	int include_deleted;
	long at;                    /* --at REV: time travel (0 = head) */
	int carve;                  /* --carve: scan free etcd pages */
	int quiet;                  /* --quiet: no notes or progress on stderr */
	int partial;                /* --from skipped records: exit 3 after the command's output */
	const char *color;          /* --color auto|always|never (or $HELMREC_COLOR; default auto) */
	int color_on;               /* hr_ctx_finish: colour stdout (always; auto: a terminal, NO_COLOR unset) */
} hr_ctx;

/* The global option table (points into *ctx); terminated by HR_OPT_END_. */
const hr_option *hr_global_options(hr_ctx *ctx);
/* Validate globals after parsing (compat value...). 0 or an exit code. */
int hr_ctx_finish(hr_ctx *ctx);
void hr_ctx_source_opts(const hr_ctx *ctx, hr_source_opts *out);

/* hr_cmd_start's answer after --help: the command returns 0 at once. */
#define HR_CMD_HELP_SHOWN (-1)
/*
 * The start every command shares: parse argv against `opts` and the global
 * table, validate the globals (hr_ctx_finish) and check that between
 * `min_args` and `max_args` (-1: no limit) positional arguments, named
 * `args` in messages ("RELEASE"), were given.  Returns 0 to go on,
 * HR_CMD_HELP_SHOWN after --help, or an exit code after printing the error;
 * on any non-zero return *pos is already freed.  Typical use:
 *
 *	if ((rc = hr_cmd_start(argc, argv, &help, opts, ctx, &pos, 1, 1, "RELEASE")))
 *		return rc < 0 ? 0 : rc;
 */
int hr_cmd_start(int argc, char **argv, const hr_command_help *help, const hr_option *opts, hr_ctx *ctx,
		 hr_strlist *pos, int min_args, int max_args, const char *args);

/*
 * Open the index for a query command: --db FILE read-only (warning on
 * stderr when a scan of it was interrupted), or --from INPUT... scanned into
 * memory (an unreadable input fails the command, exit 1; skipped records set
 * ctx->partial, exit 3 after the output).  Prints errors; returns 0 or an
 * exit code.
 */
int hr_cmd_open_index(hr_ctx *ctx, hr_index **out);
/*
 * The namespace of a command without a release argument (list, audit): -n
 * (`flag_ns`), else $HELM_NAMESPACE, else "default", as helm.  Borrowed.
 */
const char *hr_cmd_namespace(const char *flag_ns);
/*
 * The start of every single-release command: hr_cmd_open_index, then the
 * release's namespace: *ns on entry is -n (may be NULL); on return the
 * namespace to use (-n, else $HELM_NAMESPACE, else hr_index_resolve_ns),
 * borrowed or malloc'd into *owned (free it).  0 or an exit code (printed).
 */
int hr_cmd_open_release(hr_ctx *ctx, const char *name, hr_index **idx, const char **ns, char **owned);
/*
 * What a query command (history, status, get, sightings, drift...) holds
 * from its start to its end: the options they share (-n NS, -o FORMAT,
 * --revision N: the one place to add another such option), the positional
 * arguments, the
 * open index, the namespace in use and the output.  Set it with
 * HR_CMD_QUERY_INIT(default format), point the option table at it with
 * HR_CMD_OPT_NAMESPACE_ and HR_CMD_OPT_OUTPUT_, free it with
 * hr_cmd_query_free().
 */
typedef struct hr_cmd_query {
	const char *ns;         /* -n NS; after hr_cmd_query_open, the namespace in use */
	const char *fmt;        /* -o FORMAT */
	long revision;          /* --revision N (0: the highest) */
	hr_strlist pos;         /* positional arguments (hr_cmd_query_start) */
	hr_index *idx;          /* hr_cmd_query_open */
	char *owned;            /* ns, when resolved from the index (malloc'd) */
	hr_buf out;             /* what the command prints */
	hr_error err;
} hr_cmd_query;
#define HR_CMD_QUERY_INIT(fmt) { NULL, (fmt), 0, { 0 }, NULL, NULL, HR_BUF_INIT, HR_ERROR_INIT }
#define HR_CMD_OPT_NAMESPACE_(q, h) HR_OPT_STR_('n', "namespace", &(q)->ns, "NS", (h))
#define HR_CMD_OPT_OUTPUT_(q, c, h) HR_OPT_ENUM_('o', "output", &(q)->fmt, "FORMAT", (c), (h))
#define HR_CMD_OPT_REVISION_(q, h) HR_OPT_INT_(0, "revision", &(q)->revision, "N", (h))
/* hr_cmd_start into q->pos. */
int hr_cmd_query_start(hr_cmd_query *q, int argc, char **argv, const hr_command_help *help, const hr_option *opts,
		       hr_ctx *ctx, int min_args, int max_args, const char *args);
/* hr_cmd_open_release for release `name` into q->idx, q->ns and q->owned.  0 or an exit code (printed). */
int hr_cmd_query_open(hr_cmd_query *q, hr_ctx *ctx, const char *name);
/*
 * The start of a command on one RELEASE (q->pos.items[0]):
 * hr_cmd_query_start, then hr_cmd_query_open.  0 to go on,
 * HR_CMD_HELP_SHOWN after --help (return 0), or an exit code; on a nonzero
 * return q is already freed.
 */
int hr_cmd_query_release(hr_cmd_query *q, int argc, char **argv, const hr_command_help *help,
			 const hr_option *opts, hr_ctx *ctx);
/* Free what q holds (keeps the option values); returns rc, so `return hr_cmd_query_free(&q, rc);`. */
int hr_cmd_query_free(hr_cmd_query *q, int rc);
/* Print err's message; exit code HR_EXIT_USAGE for HR_EINVAL (a format or value), else HR_EXIT_FAIL. */
int hr_cmd_fail(const hr_error *err);
/*
 * Pick the namespace for release `name`: -n (`flag_ns`) if given, else
 * $HELM_NAMESPACE, else hr_index_resolve_ns.  Prints the error and returns an exit code when
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

/*
 * Progress line and warnings of a scan on stderr (scan, and --from inputs):
 * the line is cut to the terminal's width so it never wraps, and erased
 * before a warning.  Set `ui` to zero, then hr_cmd_scan_ui_init().
 */
typedef struct hr_scan_ui {
	int tty, quiet, drew;
	unsigned long reasons[16];   /* skipped records by -HR_E* code */
	double t0;
} hr_scan_ui;
void hr_cmd_scan_ui_init(hr_scan_ui *ui, hr_scan_opts *o, int quiet);
/* Erase the progress line, if drawn. */
void hr_cmd_scan_ui_clear(hr_scan_ui *ui);

/* Write all of buf to stdout; print an error and return HR_EXIT_FAIL on failure. */
int hr_cmd_write(const char *data, size_t len);
/*
 * helmrec's own text naming records (summaries, plans, notes): the same
 * with every terminal control and invalid UTF-8 byte made a visible escape
 * (util/termsafe.h; tab and newline kept).  Never for data (manifests,
 * records, files) nor for the outputs that reproduce helm's.
 */
int hr_cmd_write_safe(const char *data, size_t len);
/* printf to stderr, escaped as hr_cmd_write_safe (the caller writes the newline); nothing when out of memory. */
void hr_cmd_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/*
 * The tail of a rendering command: `r` is the renderer's answer; nonzero
 * prints err (hr_cmd_fail), else out is written (hr_cmd_write).  The exit code.
 */
int hr_cmd_emit(int r, const hr_error *err, const hr_buf *out);
/*
 * Parse --now (Go's RFC 3339 time): 0 with *unix_out set, or prints
 * "--now: <why>" and returns HR_EXIT_USAGE.
 */
int hr_cmd_parse_now(const char *now, int64_t *unix_out);
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
int cmd_clusters(int argc, char **argv, hr_ctx *ctx);
int cmd_complete(int argc, char **argv, hr_ctx *ctx);
int cmd_completion(int argc, char **argv, hr_ctx *ctx);
int cmd_chart(int argc, char **argv, hr_ctx *ctx);
int cmd_decode(int argc, char **argv, hr_ctx *ctx);
int cmd_diff(int argc, char **argv, hr_ctx *ctx);
int cmd_drift(int argc, char **argv, hr_ctx *ctx);
int cmd_export(int argc, char **argv, hr_ctx *ctx);
int cmd_get(int argc, char **argv, hr_ctx *ctx);
int cmd_history(int argc, char **argv, hr_ctx *ctx);
int cmd_index(int argc, char **argv, hr_ctx *ctx);
int cmd_list(int argc, char **argv, hr_ctx *ctx);
int cmd_repair(int argc, char **argv, hr_ctx *ctx);
int cmd_report(int argc, char **argv, hr_ctx *ctx);
int cmd_rollback(int argc, char **argv, hr_ctx *ctx);
int cmd_scan(int argc, char **argv, hr_ctx *ctx);
int cmd_sightings(int argc, char **argv, hr_ctx *ctx);
int cmd_sql(int argc, char **argv, hr_ctx *ctx);
int cmd_status(int argc, char **argv, hr_ctx *ctx);

#endif
