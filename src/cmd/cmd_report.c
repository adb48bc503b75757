/*
 * cmd_report.c — `helmrec report --html FILE`: parse flags, write the
 * self-contained HTML report (render/html.h) atomically (mode 0600).
 */
#include "cmd/common.h"
#include "cmd/registry.h"
#include "audit/audit.h"
#include "render/html.h"
#include "util/buf.h"
#include "util/fileio.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const hr_command_help help = {
	"report", "report --html FILE [--db FILE | --from INPUT...] [-n NS | -A] [--kube-version X.Y]\n"
		"          [--show-secrets] [--title TEXT]",
	"Write one self-contained HTML page showing the whole backup",
	"The page shows the inputs, counts and worst audit findings, a sortable and\n"
	"searchable table of releases, and per release (opened on click) a timeline\n"
	"of revisions with rollbacks, findings, values, manifest resources, hooks,\n"
	"notes, the diff to the previous revision and where each revision was seen.\n"
	"It loads nothing from the network.  Every namespace unless -n.  Credential\n"
	"values are masked unless --show-secrets.  Written atomically, mode 0600.\n"
	"What the page shows: docs/report.md."
};

static int write_file(void *ctx, const char *data, size_t len, hr_error *err)
{
	return hr_atomic_write(ctx, data, len, err);
}

/* The command line as typed (/proc/self/cmdline), each word shell-quoted when it needs it. */
static int command_line(hr_buf *out, int argc, char **argv)
{
	hr_buf raw = HR_BUF_INIT;
	FILE *f = fopen("/proc/self/cmdline", "rb");
	char chunk[4096];
	size_t n;
	int rc = 0;

	while (f && !rc && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		rc = hr_buf_put(&raw, chunk, n);
	if (f)
		fclose(f);
	if (!rc && !raw.len) {   /* no /proc: what the command saw */
		rc = hr_buf_puts(&raw, "helmrec");
		for (int i = 0; !rc && i < argc; i++)
			rc = hr_buf_putc(&raw, 0) ? HR_ENOMEM : hr_buf_puts(&raw, argv[i]);
		rc = rc ? rc : hr_buf_putc(&raw, 0);
	}
	for (size_t p = 0; !rc && p < raw.len; p += strlen(raw.ptr + p) + 1) {
		const char *w = raw.ptr + p;

		if (p && (rc = hr_buf_putc(out, ' ')))
			break;
		if (*w && !w[strspn(w, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,@+%")]) {
			rc = hr_buf_puts(out, w);
			continue;
		}
		rc = hr_buf_putc(out, '\'');
		for (; !rc && *w; w++)
			rc = *w == '\'' ? hr_buf_puts(out, "'\\''") : hr_buf_putc(out, *w);
		rc = rc ? rc : hr_buf_putc(out, '\'');
	}
	hr_buf_free(&raw);
	return rc;
}

int cmd_report(int argc, char **argv, hr_ctx *ctx)
{
	hr_html_opts ho = HR_HTML_OPTS_INIT;
	const char *html = NULL, *ns = NULL, *kube = NULL, *title = NULL;
	int all_ns = 0, show = 0;
	hr_strlist pos = { 0 };
	hr_option opts[] = {
		HR_OPT_BOOL_('A', "all-namespaces", &all_ns, "every namespace (the default)"),
		HR_OPT_STR_(0, "html", &html, "FILE", "write the HTML page to FILE (required)"),
		HR_OPT_BOOL_(0, "include-deleted", &ctx->include_deleted, "also show revisions recovered from datastore history"),
		HR_OPT_STR_(0, "kube-version", &kube, "X.Y", "target Kubernetes for deprecated-api findings"),
		HR_OPT_STR_('n', "namespace", &ns, "NS", "only this namespace"),
		HR_OPT_BOOL_(0, "show-secrets", &show, "show credential values (the page then needs the backup's protection)"),
		HR_OPT_STR_(0, "title", &title, "TEXT", "page title (default: helmrec report)"),
		HR_OPT_END_,
	};
	hr_atomic_file out = HR_ATOMIC_FILE_INIT;
	hr_error err = HR_ERROR_INIT;
	hr_index *idx = NULL;
	hr_buf cmd = HR_BUF_INIT;
	int rc;

	if ((rc = hr_cmd_start(argc, argv, &help, opts, ctx, &pos, 0, 0, NULL)))
		return rc < 0 ? 0 : rc;
	if (!html || !*html) {
		rc = hr_cmd_error(HR_EXIT_USAGE, "\"helmrec report\" needs --html FILE");
		goto out;
	}
	if (ns && all_ns) {
		rc = hr_cmd_error(HR_EXIT_USAGE, "-n and -A exclude each other");
		goto out;
	}
	if (kube && hr_kube_version_parse(kube, &ho.kube_major, &ho.kube_minor)) {
		rc = hr_cmd_error(HR_EXIT_USAGE, "--kube-version: \"%s\" is not a version like 1.29", kube);
		goto out;
	}
	if (command_line(&cmd, argc, argv)) {
		rc = hr_cmd_error(HR_EXIT_FAIL, "out of memory");
		goto out;
	}
	ho.namespace = ns;
	ho.flags = ctx->include_deleted ? HR_Q_INCLUDE_DELETED : 0;
	ho.show_secrets = show;
	ho.title = title;
	ho.version = hr_version;
	ho.command = cmd.ptr;
	if ((rc = hr_cmd_open_index(ctx, &idx)))
		goto out;
	if (hr_atomic_open(&out, html, &err) || hr_html_report(idx, &ho, write_file, &out, &err) ||
	    hr_atomic_commit(&out, &err)) {
		rc = hr_cmd_error(HR_EXIT_FAIL, "%s", err.msg);
		goto out;
	}
out:
	hr_atomic_abort(&out);
	hr_index_close(idx);
	hr_buf_free(&cmd);
	hr_strlist_free(&pos);
	return rc;
}
