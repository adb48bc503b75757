/*
 * cmd_scan.c — `helmrec scan INPUT... [--db FILE]`: index inputs, with a
 * progress line on a terminal and a summary at the end.
 */
#include "cmd/common.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const hr_command_help help = {
	"scan", "scan INPUT... [--db FILE] [--quiet] [-o text|json]",
	"Index release records from dumps and backups",
	"Reads every INPUT (kubectl YAML/JSON dumps, gzip'd or not, directories,\n"
	"Velero tarballs, tar/zip files of such dumps, etcd snapshots, kine state.db,\n"
	"pg_dump files, bare payloads, or - for stdin) into the index (default\n"
	"./helmrec.db, created mode 0600).\n"
	"Re-scanning an input already indexed changes nothing; an interrupted scan is\n"
	"completed by the next one (Ctrl-C stops after the record in hand, keeps what\n"
	"was read and exits 130).  An input is identified by its content: touching or\n"
	"copying a file already indexed adds nothing.  In a directory, the index and\n"
	"its journal are skipped.  Bad records are reported and skipped; the exit\n"
	"status is then 3.  An input whose reading stops at an error (cut short,\n"
	"damaged, out of memory) keeps the records read before it, is reported with\n"
	"file and place, exits 3 and stays incomplete: the next scan of it reads it\n"
	"again.  --db must be a helmrec index (or a new file): other files, such as a\n"
	"kine state.db, are refused, never written."
};

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

/* SIGINT/SIGTERM finish the record in hand, commit, and leave the input incomplete. */
static void catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

/* An input that is the index itself would be read while written: refuse it. */
static int is_index(const char *input, const char *db)
{
	struct stat a, b;

	return strcmp(input, "-") && !stat(input, &a) && !stat(db, &b) && a.st_dev == b.st_dev &&
	       a.st_ino == b.st_ino;
}

int cmd_scan(int argc, char **argv, hr_ctx *ctx)
{
	const char *fmt = "text";
	int json = 0, rc;
	hr_option opts[] = {
		HR_OPT_BOOL_('q', NULL, &ctx->quiet, "same as --quiet: print nothing but warnings"),
		HR_OPT_BOOL_(0, "json", &json, "same as -o json"),
		HR_OPT_ENUM_('o', "output", &fmt, "FORMAT", "text|json", "the summary as text on stderr (default) or JSON on stdout"),
		HR_OPT_END_,
	};
	hr_error err = HR_ERROR_INIT;
	hr_scan_opts o = { 0 };
	hr_scan_summary sum;
	hr_index_counts cnt;
	hr_index *idx = NULL;
	hr_scan_ui ui = { 0 };
	hr_strlist pos;
	char journal[4096];
	const char *exclude[2];

	if ((rc = hr_cmd_start(argc, argv, &help, opts, ctx, &pos, 1, -1, "INPUT...")))
		return rc < 0 ? 0 : rc;
	json |= !strcmp(fmt, "json");
	for (int i = 0; i < pos.n; i++)
		if (is_index(pos.items[i], ctx->db)) {
			rc = hr_cmd_error(HR_EXIT_FAIL, "%s is the index being written (--db %s): scan it into another --db",
					  pos.items[i], ctx->db);
			goto out;
		}
	if (hr_index_open(&idx, ctx->db, HR_INDEX_CREATE, &err)) {
		rc = hr_cmd_error(HR_EXIT_FAIL, "%s", err.msg);
		goto out;
	}
	if (hr_index_set_cluster(idx, ctx->cluster ? ctx->cluster : "default", &err)) {
		rc = hr_cmd_fail(&err);
		goto out;
	}
	snprintf(journal, sizeof(journal), "%s-journal", ctx->db);
	exclude[0] = ctx->db;
	exclude[1] = journal;
	o.threads = -1;
	hr_ctx_source_opts(ctx, &o.source);
	o.source.exclude = exclude;
	o.source.nexclude = 2;
	hr_cmd_scan_ui_init(&ui, &o, ctx->quiet);
	o.stop = &interrupted;
	catch_signals();
	rc = hr_scan(idx, (const char *const *)pos.items, (size_t)pos.n, &o, &sum, &err);
	hr_cmd_scan_ui_clear(&ui);
	if (rc) {
		rc = hr_cmd_error(HR_EXIT_FAIL, "%s", err.msg);
		goto out;
	}
	if (sum.interrupted) {
		hr_cmd_note("interrupted: the records read from %s so far are in %s; run 'helmrec scan %s --db %s' "
			    "again to finish it\n", sum.interrupted_input, ctx->db, sum.interrupted_input, ctx->db);
		rc = HR_EXIT_INTERRUPTED;
		goto out;
	}
	if (hr_index_count(idx, &cnt, &err)) {
		rc = hr_cmd_error(HR_EXIT_FAIL, "%s", err.msg);
		goto out;
	}
	if (json) {
		printf("{\"inputs\":%llu,\"inputs_already_indexed\":%llu,\"inputs_failed\":%llu,"
		       "\"inputs_partly_read\":%llu,\"objects\":%llu,"
		       "\"records\":%llu,\"skipped_other\":%llu,\"helm2\":%llu,\"chunked\":%llu,\"errors\":%llu,"
		       "\"kms_encrypted\":%llu,\"bytes\":%llu,\"seconds\":%.3f,\"index\":{\"releases\":%lld,"
		       "\"revisions\":%lld,\"bodies\":%lld,\"sightings\":%lld,\"conflicts\":%lld}}\n",
		       (unsigned long long)sum.inputs, (unsigned long long)sum.inputs_skipped_already,
		       (unsigned long long)sum.inputs_failed, (unsigned long long)sum.inputs_partial,
		       (unsigned long long)sum.objects,
		       (unsigned long long)sum.records, (unsigned long long)sum.skipped_other,
		       (unsigned long long)sum.helm2, (unsigned long long)sum.chunked,
		       (unsigned long long)sum.errors, (unsigned long long)sum.kms,
		       (unsigned long long)sum.bytes, sum.seconds, (long long)cnt.releases,
		       (long long)cnt.revisions, (long long)cnt.bodies, (long long)cnt.sightings,
		       (long long)cnt.conflicts);
	} else if (!ctx->quiet) {
		fprintf(stderr, "scanned %llu input(s)%s in %.2fs: %llu objects, %llu release records",
			(unsigned long long)sum.inputs, sum.inputs_skipped_already ? " (some already indexed)" : "",
			sum.seconds, (unsigned long long)sum.objects, (unsigned long long)sum.records);
		if (sum.helm2)
			fprintf(stderr, " (%llu of them Helm 2, converted as helm-2to3 does)", (unsigned long long)sum.helm2);
		if (sum.skipped_other)
			fprintf(stderr, ", %llu other objects", (unsigned long long)sum.skipped_other);
		if (sum.chunked)
			fprintf(stderr, ", %llu chunked operator Secrets (not yet supported)", (unsigned long long)sum.chunked);
		if (sum.kms)
			fprintf(stderr, ", %llu KMS-encrypted values (skipped)", (unsigned long long)sum.kms);
		fprintf(stderr, "\nindex %s: %lld releases, %lld revisions, %lld sightings, %lld conflicts\n",
			ctx->db, (long long)cnt.releases, (long long)cnt.revisions, (long long)cnt.sightings,
			(long long)cnt.conflicts);
		if (sum.errors || sum.inputs_failed) {
			int first = 1;

			fprintf(stderr, "skipped: %llu bad records, %llu unreadable inputs (", (unsigned long long)sum.errors,
				(unsigned long long)sum.inputs_failed);
			for (int i = 0; i < 16; i++) {
				if (!ui.reasons[i])
					continue;
				fprintf(stderr, "%s%lu %s", first ? "" : ", ", ui.reasons[i], i ? hr_error_name(-i) : "other");
				first = 0;
			}
			fprintf(stderr, "; see warnings above)\n");
		}
		if (sum.inputs_partial)
			fprintf(stderr, "read only in part: %llu input(s) stopped at an error (see warnings above): what "
				"was read before it is kept; the input stays incomplete, and a scan of it reads it again\n",
				(unsigned long long)sum.inputs_partial);
	}
	rc = (sum.errors || sum.inputs_failed || sum.inputs_partial) ? HR_EXIT_PARTIAL : HR_EXIT_OK;
	/* An input named on the command line that cannot be read at all is a failure. */
	if (sum.inputs_failed)
		rc = HR_EXIT_FAIL;
out:
	hr_index_close(idx);
	hr_strlist_free(&pos);
	return rc;
}
