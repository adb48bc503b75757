/*
 * scan.c — the scan: for each input, register it as a source, run the
 * decode pipeline over it (pipeline.c: reader -> decode workers, which use
 * decode.c) and add each decoded record to the index in batched
 * transactions.  Dependencies run one way: scan.c -> pipeline.c -> decode.c.
 */
#include "scan/scan.h"
#include "scan/pipeline.h"
#include "index/live.h"

#include "util/array.h"
#include "util/buf.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* sha256 of a regular file's content, or NULL for anything else. */
static int file_sha256(const char *path, char hex[65])
{
	static const char digits[] = "0123456789abcdef";
	unsigned char md[32], buf[1 << 16];
	EVP_MD_CTX *ctx;
	unsigned mdlen = 0;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	ctx = EVP_MD_CTX_new();
	if (!ctx || !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL)) {
		close(fd);
		EVP_MD_CTX_free(ctx);
		return -1;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		EVP_DigestUpdate(ctx, buf, (size_t)n);
	close(fd);
	EVP_DigestFinal_ex(ctx, md, &mdlen);
	EVP_MD_CTX_free(ctx);
	if (n < 0)
		return -1;
	for (int i = 0; i < 32; i++) {
		hex[2 * i] = digits[md[i] >> 4];
		hex[2 * i + 1] = digits[md[i] & 15];
	}
	hex[64] = '\0';
	return 0;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int is_excluded(const hr_source_opts *so, const struct stat *st)
{
	struct stat x;

	for (size_t i = 0; i < so->nexclude; i++)
		if (!stat(so->exclude[i], &x) && x.st_dev == st->st_dev && x.st_ino == st->st_ino)
			return 1;
	return 0;
}

/*
 * Content of a directory tree, for its source identity: "relative path TAB
 * sha256 LF" for every regular file, in the walk's (sorted) order, the
 * excluded files (the index) left out.  Symlinked directories are followed
 * to a bounded depth.
 */
static int dir_digest(const char *dir, const char *rel, int depth, const hr_source_opts *so, hr_buf *acc)
{
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	DIR *d;
	int rc = 0;

	if (depth > 32 || !(d = opendir(dir)))
		return hr_buf_printf(acc, "%s/\t-\n", rel);
	while (!rc && (de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (HR_ARRAY_GROW(names, n + 1, cap) || !(names[n] = strdup(de->d_name)))
			rc = HR_ENOMEM;
		else
			n++;
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), cmp_names);
	for (size_t i = 0; !rc && i < n; i++) {
		hr_buf full = HR_BUF_INIT, sub = HR_BUF_INIT;
		struct stat st;
		char hex[65];

		if (hr_buf_printf(&full, "%s/%s", dir, names[i]) || hr_buf_printf(&sub, "%s/%s", rel, names[i]))
			rc = HR_ENOMEM;
		else if (stat(full.ptr, &st) || is_excluded(so, &st))
			;
		else if (S_ISDIR(st.st_mode))
			rc = dir_digest(full.ptr, sub.ptr, depth + 1, so, acc);
		else if (S_ISREG(st.st_mode))
			rc = hr_buf_printf(acc, "%s\t%s\n", sub.ptr, file_sha256(full.ptr, hex) ? "-" : hex);
		hr_buf_free(&full);
		hr_buf_free(&sub);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

/* The content hash of an input: a file's sha256, or a directory's digest's. */
static int input_sha256(const char *path, const struct stat *sb, const hr_source_opts *so, char hex[65])
{
	hr_buf acc = HR_BUF_INIT;
	int rc;

	if (S_ISREG(sb->st_mode))
		return file_sha256(path, hex);
	if (!S_ISDIR(sb->st_mode))
		return -1;
	if (!(rc = dir_digest(path, ".", 0, so, &acc)))
		hr_sha256_hex(acc.ptr ? acc.ptr : "", acc.len, hex);
	hr_buf_free(&acc);
	return rc ? -1 : 0;
}

static void report(const hr_scan_opts *o, const hr_error *e)
{
	if (o->on_error)
		o->on_error(o->ctx, e);
}

static int scan_one(hr_index *idx, const char *input, const hr_scan_opts *o, hr_scan_summary *sum, hr_error *err)
{
	hr_source_row row = { 0 };
	hr_source_stats st;
	hr_source *src = NULL;
	struct stat sb = { 0 };
	char sha[65];
	int64_t source_id;
	int already, complete, rc, in_tx = 0, unreadable = 0, cut;
	size_t batch = o->batch ? o->batch : 1000, pending = 0, pending_objects = 0;
	double last_progress = 0;
	uint64_t skipped = 0, got = 0;
	hr_pipe *pipe = NULL;
	hr_source_opts source_opts;

	row.path = input;
	if (strcmp(input, "-") && stat(input, &sb) == 0) {
		row.size = (int64_t)sb.st_size;
		row.mtime = (int64_t)sb.st_mtime;
	}
	source_opts = o->source;
	source_opts.live_objects = !o->no_live_objects;
	rc = hr_source_open(&src, input, &source_opts, err);
	if (rc) {
		sum->inputs_failed++;
		report(o, err);
		return 0;
	}
	row.kind = hr_source_kind_name(hr_source_kind_of(src));
	/*
	 * A source is its content: the same path, size and mtime skips the
	 * hashing; otherwise the file is hashed first, so that a touched or
	 * copied input already indexed is recognised (and not sighted twice).
	 */
	rc = 0;
	complete = 0;
	/* (a directory's mtime says nothing about its files' content: always digested) */
	if (S_ISREG(sb.st_mode) && (rc = hr_index_source_known(idx, &row, &complete, err)) < 0)
		goto out;
	if (rc && complete) {
		rc = 0;
		sum->inputs_skipped_already++;
		goto out;
	}
	if (strcmp(input, "-") && !input_sha256(input, &sb, &o->source, sha))
		row.sha256 = sha;
	if ((rc = hr_index_begin(idx, err)))
		goto out;
	in_tx = 1;
	if ((rc = hr_index_source_begin(idx, &row, &source_id, &already, err)))
		goto out;
	if (already) {
		sum->inputs_skipped_already++;
		goto out;
	}
	if ((rc = hr_pipe_start(&pipe, src, o->source.max_payload, o->threads, err)))
		goto out;
	for (;;) {
		hr_pipe_item *it;
		int was_object = 0;

		if (!hr_pipe_next(pipe, &it))
			break;
		rc = it->rc;
		if (!rc && it->rec->is_object)
			rc = hr_index_live_add(idx, source_id, &it->live, &it->err);
		else if (!rc)
			rc = hr_index_add(idx, source_id, it->rec, &it->body->dec, it->body->rel, &it->body->derived,
					  it->body->json_sha, it->body->payload_sha[0] ? it->body->payload_sha : NULL,
					  &it->err);
		if (rc == HR_EDB) {
			*err = it->err;
			hr_pipe_release(pipe, it);
			goto out;
		}
		if ((rc == HR_EUNSUPPORTED || rc == HR_EIO) && !it->rec && !got && !skipped) {
			/* the reader failed before anything was read: the input cannot be read at all */
			sum->inputs_failed++;
			unreadable = 1;
			report(o, &it->err);
		} else if (rc) {
			/* HR_ESKIP: one bad record; other codes: the input cannot be read further. */
			skipped++;
			sum->errors++;
			report(o, &it->err);
		} else if (it->rec->is_object) {
			sum->live_objects++;
			was_object = 1;
		} else {
			sum->records++;
			got++;
		}
		hr_pipe_release(pipe, it);
		rc = 0;
		if (o->stop && *o->stop) {
			/* Interrupted: keep what was read, leave the source incomplete. */
			sum->interrupted = 1;
			sum->interrupted_input = input;
			if (!(rc = hr_index_finish(idx, source_id, err)))
				rc = hr_index_commit(idx, err);
			in_tx = 0;
			goto out;
		}
		/* a live object is a small row: ten of them weigh one record in a batch */
		if ((!was_object || ++pending_objects % 10 == 0) && ++pending >= batch) {
			if ((rc = hr_index_commit(idx, err)) || (rc = hr_index_begin(idx, err)))
				goto out;
			pending = 0;
		}
		if (o->on_progress) {
			double t = now_seconds();
			if (t - last_progress > 0.2) {
				hr_pipe_stats(pipe, &st);
				o->on_progress(o->ctx, input, &st, sum);
				last_progress = t;
			}
		}
	}
	hr_pipe_stop(pipe);
	pipe = NULL;
	hr_source_stats_get(src, &st);
	sum->objects += st.objects;
	sum->skipped_other += st.skipped_other;
	sum->helm2 += st.helm2;
	sum->chunked += st.chunked;
	sum->kms += st.encrypted_kms;
	sum->bytes += st.bytes_read;
	if (st.compact_revision)
		sum->compact_revision = st.compact_revision;
	if (st.head_revision)
		sum->head_revision = st.head_revision;
	/*
	 * An input (or a file of a folder) whose reading stopped at an error
	 * stays incomplete, the records read before it kept: the next scan of
	 * it reads it again.  (One that could not be read at all is done, as
	 * one of junk is.)
	 */
	cut = st.cut && !unreadable;
	sum->inputs_partial += cut;
	if ((rc = hr_index_source_end(idx, source_id, !cut, st.records, skipped, st.head_revision,
				      st.compact_revision, row.sha256, err)))
		goto out;
	if (!st.records && !unreadable && o->on_note) {
		char note[600];

		snprintf(note, sizeof(note), "note: no Helm release records in %s (%llu other objects read)", input,
			 (unsigned long long)(st.objects > st.errors ? st.objects - st.errors : 0));
		o->on_note(o->ctx, note);
	}
	if ((rc = hr_index_finish(idx, source_id, err)))
		goto out;
	rc = hr_index_commit(idx, err);
	in_tx = 0;
out:
	if (in_tx) {
		if (rc)
			hr_index_rollback(idx);
		else
			rc = hr_index_commit(idx, err);
	}
	hr_pipe_stop(pipe);
	hr_source_close(src);
	return rc;
}

int hr_scan(hr_index *idx, const char *const *inputs, size_t n, const hr_scan_opts *opts,
	    hr_scan_summary *summary, hr_error *err)
{
	double t0 = now_seconds();
	int rc = 0;

	memset(summary, 0, sizeof(*summary));
	for (size_t i = 0; i < n && !rc && !summary->interrupted; i++) {
		summary->inputs++;
		rc = scan_one(idx, inputs[i], opts, summary, err);
	}
	/* Keep only the live objects Helm owns or a stored manifest names.  Also
	 * when this run added none: a scan killed between an input's commit and
	 * this step left candidates that the re-scan, skipping that complete
	 * input, must still prune (tests/cli/test_kill.sh). */
	if (!rc) {
		if (!(rc = hr_index_begin(idx, err)) && !(rc = hr_index_live_prune(idx, &summary->live_kept, err)))
			rc = hr_index_commit(idx, err);
		else if (rc)
			hr_index_rollback(idx);
	}
	summary->seconds = now_seconds() - t0;
	return rc;
}
