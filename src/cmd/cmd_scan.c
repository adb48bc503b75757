/*
 * cmd_scan.c — `helmrec scan INPUT... [--db FILE]`: index inputs, with a
 * progress line on a terminal and a summary at the end.
 */
#include "cmd/common.h"

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const hr_command_help help = {
	"scan", "scan INPUT... [--db FILE] [--quiet] [--json]",
	"Index release records from dumps and backups",
	"Reads every INPUT (kubectl YAML/JSON dumps, gzip'd or not, directories,\n"
	"Velero tarballs, etcd snapshots, kine state.db, pg_dump files, bare payloads,\n"
	"or - for stdin) into the index (default ./helmrec.db, created mode 0600).\n"
	"Re-scanning an input already indexed changes nothing; an interrupted scan is\n"
	"completed by the next one.  Bad records are reported and skipped; the exit\n"
	"status is then 3."
};

typedef struct scan_ui {
	int tty, quiet;
	int drew;
	unsigned long reasons[16];   /* skipped records by -HR_E* code */
	struct timespec t0;
} scan_ui;

static double elapsed(const scan_ui *ui)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - ui->t0.tv_sec) + (double)(now.tv_nsec - ui->t0.tv_nsec) / 1e9;
}

static void on_error(void *ctx, const hr_error *e)
{
	scan_ui *ui = ctx;

	if (ui->drew) {
		fputs("\r\033[K", stderr);
		ui->drew = 0;
	}
	fprintf(stderr, "warning: %s\n", e->msg);
	if (e->code < 0 && -e->code < 16)
		ui->reasons[-e->code]++;
	else
		ui->reasons[0]++;
}

static void on_progress(void *ctx, const char *input, const hr_source_stats *st, const hr_scan_summary *sum)
{
	scan_ui *ui = ctx;
	double mb = (double)st->bytes_read / 1e6, t = elapsed(ui), rate = t > 0 ? mb / t : 0;

	if (!ui->tty || ui->quiet)
		return;
	if (st->bytes_total && st->bytes_read <= st->bytes_total) {
		double pct = 100.0 * (double)st->bytes_read / (double)st->bytes_total;
		double eta = rate > 0 ? ((double)(st->bytes_total - st->bytes_read) / 1e6) / rate : 0;
		fprintf(stderr, "\r\033[K%s: %5.1f%% %.1f/%.1f MB, %llu records, %.1f MB/s, %.0f rec/s, ETA %.0fs",
			input, pct, mb, (double)st->bytes_total / 1e6, (unsigned long long)sum->records, rate,
			t > 0 ? (double)sum->records / t : 0, eta);
	} else {
		fprintf(stderr, "\r\033[K%s: %.1f MB, %llu records, %.1f MB/s", input, mb,
			(unsigned long long)sum->records, rate);
	}
	ui->drew = 1;
}

int cmd_scan(int argc, char **argv, hr_ctx *ctx)
{
	int quiet = 0, json = 0, rc;
	hr_option opts[] = {
		HR_OPT_BOOL_('q', "quiet", &quiet, "print nothing but warnings"),
		HR_OPT_BOOL_(0, "json", &json, "print the summary as JSON on stdout"),
		HR_OPT_END_,
	};
	hr_error err = HR_ERROR_INIT;
	hr_scan_opts o = { 0 };
	o.threads = -1;
	hr_scan_summary sum;
	hr_index_counts cnt;
	hr_index *idx = NULL;
	scan_ui ui = { 0 };
	hr_strlist pos;

	rc = hr_opt_parse(argc, argv, &help, opts, hr_global_options(ctx), &pos);
	if (rc)
		return rc > 0 ? 0 : HR_EXIT_USAGE;
	if ((rc = hr_ctx_finish(ctx)))
		goto out;
	if (!pos.n) {
		rc = hr_cmd_error(HR_EXIT_USAGE, "scan needs at least one INPUT");
		goto out;
	}
	if (hr_index_open(&idx, ctx->db, HR_INDEX_CREATE, &err)) {
		rc = hr_cmd_error(HR_EXIT_FAIL, "%s", err.msg);
		goto out;
	}
	ui.tty = isatty(2);
	clock_gettime(CLOCK_MONOTONIC, &ui.t0);
	ui.quiet = quiet;
	hr_ctx_source_opts(ctx, &o.source);
	o.on_error = on_error;
	o.on_progress = on_progress;
	o.ctx = &ui;
	rc = hr_scan(idx, (const char *const *)pos.items, (size_t)pos.n, &o, &sum, &err);
	if (ui.drew)
		fputs("\r\033[K", stderr);
	if (rc) {
		rc = hr_cmd_error(HR_EXIT_FAIL, "%s", err.msg);
		goto out;
	}
	if (hr_index_count(idx, &cnt, &err)) {
		rc = hr_cmd_error(HR_EXIT_FAIL, "%s", err.msg);
		goto out;
	}
	if (json) {
		printf("{\"inputs\":%llu,\"inputs_already_indexed\":%llu,\"inputs_failed\":%llu,\"objects\":%llu,"
		       "\"records\":%llu,\"skipped_other\":%llu,\"helm2\":%llu,\"chunked\":%llu,\"errors\":%llu,"
		       "\"kms_encrypted\":%llu,\"bytes\":%llu,\"seconds\":%.3f,\"index\":{\"releases\":%lld,"
		       "\"revisions\":%lld,\"bodies\":%lld,\"sightings\":%lld,\"conflicts\":%lld}}\n",
		       (unsigned long long)sum.inputs, (unsigned long long)sum.inputs_skipped_already,
		       (unsigned long long)sum.inputs_failed, (unsigned long long)sum.objects,
		       (unsigned long long)sum.records, (unsigned long long)sum.skipped_other,
		       (unsigned long long)sum.helm2, (unsigned long long)sum.chunked,
		       (unsigned long long)sum.errors, (unsigned long long)sum.kms,
		       (unsigned long long)sum.bytes, sum.seconds, (long long)cnt.releases,
		       (long long)cnt.revisions, (long long)cnt.bodies, (long long)cnt.sightings,
		       (long long)cnt.conflicts);
	} else if (!quiet) {
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
	}
	rc = (sum.errors || sum.inputs_failed) ? HR_EXIT_PARTIAL : HR_EXIT_OK;
out:
	hr_index_close(idx);
	hr_strlist_free(&pos);
	return rc;
}
