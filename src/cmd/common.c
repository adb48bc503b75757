/*
 * common.c — global flags, index opening, checked output, and the thin
 * wrappers that turn the index's lookups (index/lookup.c) into helm's
 * error messages and exit codes.
 */
#include "cmd/common.h"
#include "util/gotime.h"
#include "util/termsafe.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

const hr_option *hr_global_options(hr_ctx *ctx)
{
	static hr_option t[12];

	hr_option tmp[] = {
		HR_OPT_STR_(0, "db", &ctx->db, "FILE|URL",
			    "index file (default ./helmrec.db, or $HELMREC_DB), or postgresql://... (docs/fleet.md)"),
		HR_OPT_STR_(0, "cluster", &ctx->cluster, "NAME",
			    "cluster a scan records; the cluster a query answers for (default: the only one)"),
		HR_OPT_LIST_(0, "from", &ctx->from, "INPUT", "scan INPUT into a temporary in-memory index first (repeatable)"),
		HR_OPT_STR_(0, "helm-compat", &ctx->compat, "3|4", "print as Helm 4 (default) or Helm 3 (or $HELMREC_HELM_COMPAT)"),
		HR_OPT_INT_(0, "max-payload", &ctx->max_payload_mb, "MiB", "cap on one decompressed payload (default 256)"),
		HR_OPT_STR_(0, "encryption-config", &ctx->encryption_config, "FILE",
			    "Kubernetes EncryptionConfiguration to decrypt datastore values"),
		HR_OPT_INT_(0, "at", &ctx->at, "REV", "answer as of this etcd/kine revision (time travel in datastore backups)"),
		HR_OPT_BOOL_(0, "carve", &ctx->carve, "also recover values from free etcd pages (marked carved)"),
		HR_OPT_BOOL_(0, "quiet", &ctx->quiet, "print no notes or progress on stderr (warnings and errors stay)"),
		HR_OPT_ENUM_(0, "color", &ctx->color, "WHEN", "auto|always|never",
			     "colour output: auto (a terminal, NO_COLOR unset), always, never"),
		HR_OPT_END_,
	};
	memcpy(t, tmp, sizeof(tmp));
	return t;
}

/*
 * --color (else $HELMREC_COLOR, else auto) into ctx->color_on.  auto colours
 * only a terminal on stdout, without NO_COLOR (https://no-color.org) and
 * with TERM not "dumb" (as helm 4's fatih/color); always and never win over
 * NO_COLOR, as an explicit request.  0 or HR_EXIT_USAGE (printed).
 */
static int color_finish(hr_ctx *ctx)
{
	const char *m = ctx->color ? ctx->color : getenv("HELMREC_COLOR"), *nc = getenv("NO_COLOR");
	const char *term = getenv("TERM");

	/* A bad $HELMREC_COLOR is ignored (auto), as helm ignores a bad HELM_COLOR; a bad flag is an error. */
	if (!ctx->color && m && strcmp(m, "always") && strcmp(m, "never"))
		m = NULL;
	if (!m || !strcmp(m, "auto"))
		ctx->color_on = isatty(STDOUT_FILENO) && !(nc && *nc) && !(term && !strcmp(term, "dumb"));
	else if (!strcmp(m, "always"))
		ctx->color_on = 1;
	else if (!strcmp(m, "never"))
		ctx->color_on = 0;
	else
		return hr_cmd_error(HR_EXIT_USAGE, "--color must be auto, always or never, not \"%s\"", m);
	return 0;
}

int hr_ctx_finish(hr_ctx *ctx)
{
	const char *c = ctx->compat;

	if (!c)
		c = getenv("HELMREC_HELM_COMPAT");
	ctx->helm_major = 4;
	if (c && *c) {
		if (!strcmp(c, "3") || !strcmp(c, "v3"))
			ctx->helm_major = 3;
		else if (strcmp(c, "4") && strcmp(c, "v4"))
			return hr_cmd_error(HR_EXIT_USAGE, "--helm-compat must be 3 or 4, not \"%s\"", c);
	}
	if (!ctx->db)
		ctx->db = getenv("HELMREC_DB");
	if (!ctx->db || !*ctx->db)
		ctx->db = "helmrec.db";
	if (ctx->at < 0)
		return hr_cmd_error(HR_EXIT_USAGE, "--at must be a datastore revision (a positive number)");
	if (ctx->max_payload_mb < 0 || ctx->max_payload_mb > 1L << 20)
		return hr_cmd_error(HR_EXIT_USAGE, "--max-payload must be between 1 and 1048576 MiB");
	return color_finish(ctx);
}

void hr_ctx_source_opts(const hr_ctx *ctx, hr_source_opts *out)
{
	memset(out, 0, sizeof(*out));
	if (ctx->max_payload_mb > 0)
		out->max_payload = (size_t)ctx->max_payload_mb << 20;
	out->encryption_config = ctx->encryption_config;
	out->carve = ctx->carve;
}

/* stderr text that can hold input names: terminal controls made visible (util/termsafe.h). */
static void put_safe(const char *prefix, const char *msg)
{
	hr_buf b = HR_BUF_INIT;

	fprintf(stderr, "%s%s\n", prefix, hr_termsafe_put(&b, msg, strlen(msg)) ? msg : hr_buf_cstr(&b));
	hr_buf_free(&b);
}

void hr_cmd_note(const char *fmt, ...)
{
	hr_buf b = HR_BUF_INIT, e = HR_BUF_INIT;
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = hr_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	if (!rc && !hr_termsafe_put(&e, b.ptr, b.len))
		fwrite(e.ptr, 1, e.len, stderr);
	hr_buf_free(&b);
	hr_buf_free(&e);
}

int hr_cmd_error(int code, const char *fmt, ...)
{
	hr_buf b = HR_BUF_INIT;
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = hr_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	put_safe("Error: ", rc ? "out of memory" : hr_buf_cstr(&b));
	hr_buf_free(&b);
	return code;
}

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void hr_cmd_scan_ui_clear(hr_scan_ui *ui)
{
	if (ui->drew)
		fputs("\r\033[K", stderr);
	ui->drew = 0;
}

static void ui_error(void *ctx, const hr_error *e)
{
	hr_scan_ui *ui = ctx;

	hr_cmd_scan_ui_clear(ui);
	put_safe("warning: ", e->msg);
	if (e->code < 0 && -e->code < 16)
		ui->reasons[-e->code]++;
	else
		ui->reasons[0]++;
}

static void ui_note(void *ctx, const char *msg)
{
	hr_scan_ui *ui = ctx;

	if (ui->quiet)
		return;
	hr_cmd_scan_ui_clear(ui);
	put_safe("", msg);
}

static void ui_progress(void *ctx, const char *input_raw, const hr_source_stats *st, const hr_scan_summary *sum)
{
	hr_scan_ui *ui = ctx;
	hr_buf esc = HR_BUF_INIT;
	const char *input;
	double mb = (double)st->bytes_read / 1e6, t = now_seconds() - ui->t0, rate = t > 0 ? mb / t : 0;
	struct winsize ws;
	size_t width = 80;
	char line[512];
	int n;

	if (!ui->tty || ui->quiet || !(input = hr_termsafe_str(&esc, input_raw)))
		goto out;
	if (!ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) && ws.ws_col > 1)
		width = ws.ws_col;
	if (st->bytes_total && st->bytes_read <= st->bytes_total) {
		double pct = 100.0 * (double)st->bytes_read / (double)st->bytes_total;
		double eta = rate > 0 ? ((double)(st->bytes_total - st->bytes_read) / 1e6) / rate : 0;
		n = snprintf(line, sizeof(line), "%s: %5.1f%% %.1f/%.1f MB, %llu records, %.1f MB/s, %.0f rec/s, ETA %.0fs",
			     input, pct, mb, (double)st->bytes_total / 1e6, (unsigned long long)sum->records, rate,
			     t > 0 ? (double)sum->records / t : 0, eta);
	} else {
		n = snprintf(line, sizeof(line), "%s: %.1f MB, %llu records, %.1f MB/s", input, mb,
			     (unsigned long long)sum->records, rate);
	}
	if (n < 0)
		goto out;
	/* One cell short of the width: a line filling the last column wraps on some terminals. */
	if ((size_t)n >= width)
		n = (int)width - 1;
	if ((size_t)n >= sizeof(line))
		n = (int)sizeof(line) - 1;
	fprintf(stderr, "\r\033[K%.*s", n, line);
	ui->drew = 1;
out:
	hr_buf_free(&esc);
}

void hr_cmd_scan_ui_init(hr_scan_ui *ui, hr_scan_opts *o, int quiet)
{
	ui->tty = isatty(STDERR_FILENO);
	ui->quiet = quiet;
	ui->t0 = now_seconds();
	o->on_error = ui_error;
	o->on_note = ui_note;
	o->on_progress = ui_progress;
	o->ctx = ui;
}

int hr_cmd_start(int argc, char **argv, const hr_command_help *help, const hr_option *opts, hr_ctx *ctx,
		 hr_strlist *pos, int min_args, int max_args, const char *args)
{
	int rc = hr_opt_parse(argc, argv, help, opts, hr_global_options(ctx), pos);

	if (rc) {
		hr_strlist_free(pos);
		return rc > 0 ? HR_CMD_HELP_SHOWN : HR_EXIT_USAGE;
	}
	if ((rc = hr_ctx_finish(ctx)))
		goto fail;
	if (pos->n < min_args || (max_args >= 0 && pos->n > max_args)) {
		if (!max_args)
			rc = hr_cmd_error(HR_EXIT_USAGE, "\"helmrec %s\" accepts no arguments", help->name);
		else if (max_args < 0)
			rc = hr_cmd_error(HR_EXIT_USAGE, "\"helmrec %s\" requires at least %d argument%s (%s)",
					  help->name, min_args, min_args == 1 ? "" : "s", args);
		else if (!min_args)
			rc = hr_cmd_error(HR_EXIT_USAGE, "\"helmrec %s\" accepts at most %d argument%s (%s)", help->name,
					  max_args, max_args == 1 ? "" : "s", args);
		else if (min_args == max_args)
			rc = hr_cmd_error(HR_EXIT_USAGE, "\"helmrec %s\" requires %d argument%s (%s)", help->name,
					  min_args, min_args == 1 ? "" : "s", args);
		else
			rc = hr_cmd_error(HR_EXIT_USAGE, "\"helmrec %s\" requires %d to %d arguments (%s)", help->name,
					  min_args, max_args, args);
		goto fail;
	}
	return 0;
fail:
	hr_strlist_free(pos);
	return rc;
}

int hr_cmd_fail(const hr_error *err)
{
	return hr_cmd_error(err->code == HR_EINVAL ? HR_EXIT_USAGE : HR_EXIT_FAIL, "%s", err->msg);
}

/*
 * The one-line warning for each input whose scan into this index was
 * interrupted (`damaged` 0) or stopped at an error in the input (1).
 */
static void warn_incomplete(hr_ctx *ctx, hr_index *idx, int damaged)
{
	hr_error err = HR_ERROR_INIT;
	char **paths = NULL;
	size_t n = 0;

	if (hr_index_incomplete_sources(idx, damaged, &paths, &n, &err))
		return;
	for (size_t i = 0; i < n; i++) {
		if (damaged)
			hr_cmd_note("warning: %s was read into %s only in part (its scan stopped at an error): "
				    "answers may be incomplete\n", paths[i], ctx->db);
		else
			hr_cmd_note("warning: the scan of %s into %s was interrupted: answers may be incomplete; "
				    "run 'helmrec scan %s --db %s' again to finish it\n", paths[i], ctx->db, paths[i],
				    ctx->db);
		free(paths[i]);
	}
	free(paths);
}

int hr_cmd_open_index(hr_ctx *ctx, hr_index **out)
{
	hr_error err = HR_ERROR_INIT;
	int rc;

	*out = NULL;
	if (ctx->from.n) {
		hr_scan_opts o = { 0 };
		hr_scan_ui ui = { 0 };
		hr_scan_summary sum;

		o.threads = -1;
		hr_ctx_source_opts(ctx, &o.source);
		hr_cmd_scan_ui_init(&ui, &o, ctx->quiet);
		if (hr_index_open(out, NULL, HR_INDEX_CREATE, &err))
			return hr_cmd_error(HR_EXIT_FAIL, "%s", err.msg);
		if (ctx->cluster && hr_index_set_cluster(*out, ctx->cluster, &err)) {
			hr_index_close(*out);
			*out = NULL;
			return hr_cmd_fail(&err);
		}
		rc = hr_scan(*out, ctx->from.items, (size_t)ctx->from.n, &o, &sum, &err);
		hr_cmd_scan_ui_clear(&ui);
		if (!rc && sum.inputs_failed)
			rc = hr_error_set(&err, HR_EIO, "%llu of the --from inputs could not be read (see warnings above)",
					  (unsigned long long)sum.inputs_failed);
		if (rc) {
			hr_index_close(*out);
			*out = NULL;
			return hr_cmd_error(HR_EXIT_FAIL, "%s", err.msg);
		}
		ctx->partial |= sum.errors > 0;
		hr_index_set_at(*out, ctx->at);
		return 0;
	}
	if (hr_index_open(out, ctx->db, HR_INDEX_READONLY, &err))
		return hr_cmd_error(HR_EXIT_FAIL, "%s", err.msg);
	if (hr_index_use_cluster(*out, ctx->cluster, &err)) {
		hr_index_close(*out);
		*out = NULL;
		return hr_cmd_fail(&err);
	}
	warn_incomplete(ctx, *out, 0);
	warn_incomplete(ctx, *out, 1);
	hr_index_set_at(*out, ctx->at);
	return 0;
}

const char *hr_cmd_namespace(const char *flag_ns)
{
	const char *env = getenv("HELM_NAMESPACE");

	if (flag_ns)
		return flag_ns;
	return env && *env ? env : "default";
}

int hr_cmd_open_release(hr_ctx *ctx, const char *name, hr_index **idx, const char **ns, char **owned)
{
	int rc;

	*owned = NULL;
	if ((rc = hr_cmd_open_index(ctx, idx)))
		return rc;
	return hr_cmd_resolve_ns(*idx, name, *ns, ns, owned);
}

int hr_cmd_query_start(hr_cmd_query *q, int argc, char **argv, const hr_command_help *help, const hr_option *opts,
		       hr_ctx *ctx, int min_args, int max_args, const char *args)
{
	return hr_cmd_start(argc, argv, help, opts, ctx, &q->pos, min_args, max_args, args);
}

int hr_cmd_query_open(hr_cmd_query *q, hr_ctx *ctx, const char *name)
{
	return hr_cmd_open_release(ctx, name, &q->idx, &q->ns, &q->owned);
}

int hr_cmd_query_release(hr_cmd_query *q, int argc, char **argv, const hr_command_help *help,
			 const hr_option *opts, hr_ctx *ctx)
{
	int rc;

	if ((rc = hr_cmd_query_start(q, argc, argv, help, opts, ctx, 1, 1, "RELEASE")))
		return rc;
	if ((rc = hr_cmd_query_open(q, ctx, q->pos.items[0])))
		hr_cmd_query_free(q, rc);
	return rc;
}

int hr_cmd_query_free(hr_cmd_query *q, int rc)
{
	hr_buf_free(&q->out);
	free(q->owned);
	q->owned = NULL;
	hr_index_close(q->idx);
	q->idx = NULL;
	hr_strlist_free(&q->pos);
	return rc;
}

int hr_cmd_resolve_ns(hr_index *idx, const char *name, const char *flag_ns, const char **ns, char **owned)
{
	hr_error err = HR_ERROR_INIT;
	int rc;

	const char *env = getenv("HELM_NAMESPACE");

	*owned = NULL;
	if (flag_ns || (env && *env)) {
		*ns = flag_ns ? flag_ns : env;
		return 0;
	}
	if ((rc = hr_index_resolve_ns(idx, name, owned, &err)))
		return hr_cmd_error(rc == HR_ECONFLICT ? HR_EXIT_USAGE : HR_EXIT_FAIL, "%s", err.msg);
	*ns = *owned;
	return 0;
}

int hr_cmd_write(const char *data, size_t len)
{
	if (len && fwrite(data, 1, len, stdout) != len)
		return errno == EPIPE ? HR_EXIT_FAIL : hr_cmd_error(HR_EXIT_FAIL, "writing output: %s", strerror(errno));
	return 0;
}

int hr_cmd_write_safe(const char *data, size_t len)
{
	hr_buf e = HR_BUF_INIT;
	int rc = hr_termsafe_put(&e, data, len) ? hr_cmd_error(HR_EXIT_FAIL, "out of memory") : hr_cmd_write(e.ptr, e.len);

	hr_buf_free(&e);
	return rc;
}

int hr_cmd_emit(int r, const hr_error *err, const hr_buf *out)
{
	return r ? hr_cmd_fail(err) : hr_cmd_write(out->ptr, out->len);
}

int hr_cmd_parse_now(const char *now, int64_t *unix_out)
{
	hr_error err = HR_ERROR_INIT;
	hr_gotime t;

	if (hr_gotime_parse(&t, now, &err))
		return hr_cmd_error(HR_EXIT_USAGE, "--now: %s", err.msg);
	*unix_out = t.unix;
	return 0;
}

int hr_cmd_load_revision(hr_ctx *ctx, hr_index *idx, const char *ns, const char *name, long revision,
			 struct json_object **rel, struct json_object **labels)
{
	hr_error err = HR_ERROR_INIT;
	int rc;

	rc = hr_index_load_revision(idx, ns, name, revision, ctx->include_deleted ? HR_Q_INCLUDE_DELETED : 0, rel,
				    labels, &err);
	if (rc)
		return hr_cmd_error(rc == HR_ENOTFOUND ? HR_EXIT_NOTFOUND : HR_EXIT_FAIL, "%s", err.msg);
	return 0;
}

hr_label *hr_cmd_label_array(struct json_object *labels, size_t *n)
{
	size_t cnt = labels ? (size_t)json_object_object_length(labels) : 0, i = 0;
	hr_label *arr = calloc(cnt ? cnt : 1, sizeof(*arr));

	*n = 0;
	if (!arr)
		return NULL;
	if (labels) {
		json_object_object_foreach(labels, k, v) {
			arr[i].key = k;
			arr[i].value = (char *)json_object_get_string(v);
			i++;
		}
	}
	*n = i;
	return arr;
}

/* The option of `tables` (NULL-separated list) named by short `c` or long `name` (len bytes); NULL if none. */
static const hr_option *find_opt(const hr_option *const *tables, char c, const char *name, size_t len)
{
	for (size_t t = 0; tables[t]; t++)
		for (const hr_option *o = tables[t]; o->type != HR_OPT_END; o++)
			if (c ? o->short_name == c
			      : o->long_name && strlen(o->long_name) == len && !memcmp(o->long_name, name, len))
				return o;
	return NULL;
}

int hr_cmd_helm3_only(hr_ctx *ctx, int argc, char **argv, const hr_option *opts, char short_name,
		      const char *long_name)
{
	const hr_option *tables[] = { opts, hr_global_options(ctx), NULL };

	if (ctx->helm_major < 4)
		return 0;
	/* Walk argv as the parser did: values of options are not options. */
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--"))
			break;
		if (a[0] != '-' || !a[1])
			continue;
		if (a[1] == '-') {
			const char *eq = strchr(a + 2, '=');
			size_t len = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
			const hr_option *o = find_opt(tables, 0, a + 2, len);

			if (long_name && strlen(long_name) == len && !memcmp(long_name, a + 2, len))
				return hr_cmd_error(HR_EXIT_USAGE, "unknown flag: --%s", long_name);
			if (o && o->type != HR_OPT_BOOL && !eq)
				i++;
			continue;
		}
		for (const char *p = a + 1; *p; p++) {
			const hr_option *o = find_opt(tables, *p, NULL, 0);

			/* pflag names the shorthands left from the unknown one: -qa gives "in -a". */
			if (short_name && *p == short_name)
				return hr_cmd_error(HR_EXIT_USAGE, "unknown shorthand flag: '%c' in -%s", *p, p);
			if (o && o->type != HR_OPT_BOOL) {
				if (!p[1])
					i++;
				break;
			}
		}
	}
	return 0;
}
