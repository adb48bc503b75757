/*
 * scan.c — the scan: for each input, register it as a source, run the
 * decode pipeline over it (pipeline.c: reader -> decode workers, which use
 * decode.c) and add each decoded record to the index in batched
 * transactions.  Dependencies run one way: scan.c -> pipeline.c -> decode.c.
 */
#include "scan/scan.h"
#include "scan/input_hash.h"
#include "scan/pipeline.h"
#include "index/live.h"

#include "util/array.h"
#include "util/buf.h"

#include <errno.h>
#include <stdlib.h>
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

static void report(const hr_scan_opts *o, const hr_error *e)
{
	if (o->on_error)
		o->on_error(o->ctx, e);
}

/*
 * Before the first commit of an input registered without its content hash
 * (*identified 0): wait for the hash and let the index compare it
 * (hr_index_source_identify); later calls return 0 at once.  0 to go on;
 * 1 with *drop set when this scan must be dropped: *retry then says
 * whether to scan the input again with the hash taken first (an
 * interrupted scan of the same content, to resume under its id), else it
 * is a copy of an input already indexed.  Negative: an index error.
 */
static int identify(hr_index *idx, int64_t source_id, hr_source_row *row, hr_input_hash *hash, int *identified,
		    int *drop, int *retry, hr_error *err)
{
	int64_t same;
	int complete, rc;

	if (*identified)
		return 0;
	row->sha256 = hr_input_hash_wait(hash);
	if ((rc = hr_index_source_identify(idx, source_id, row, &same, &complete, err)))
		return rc;
	*identified = 1;
	*retry = same && !complete;
	*drop = same != 0;
	return *drop;
}

/*
 * Scan one input.  A regular file is hashed on a thread of its own while
 * it is read (hash_first 0): it is registered by path, size and mtime and
 * identified by content before its first commit; hash_first 1 hashes it
 * before anything else, as directories always are.
 */
static int scan_input(hr_index *idx, const char *input, const hr_scan_opts *o, hr_scan_summary *sum, int hash_first,
		      hr_error *err)
{
	hr_source_row row = { 0 };
	hr_source_stats st;
	hr_source *src = NULL;
	struct stat sb = { 0 };
	char sha[65];
	int64_t source_id;
	int already, complete, rc, in_tx = 0, unreadable = 0, cut, identified = 1, drop = 0, retry = 0;
	size_t batch = o->batch ? o->batch : 1000, pending = 0, pending_objects = 0;
	double last_progress = 0;
	uint64_t skipped = 0, got = 0, objects = 0;
	hr_pipe *pipe = NULL;
	hr_input_hash *hash = NULL;
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
	if (strcmp(input, "-")) {
		if (!hash_first && S_ISREG(sb.st_mode) && !hr_input_hash_start(&hash, input, &sb, &o->source))
			identified = 0;  /* checked before the first commit */
		else if (!hr_input_hash_now(input, &sb, &o->source, sha))
			row.sha256 = sha;
	}
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
			objects++;
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
			if ((rc = identify(idx, source_id, &row, hash, &identified, &drop, &retry, err))) {
				retry = 0;  /* interrupted: nothing is resumed now */
				goto out;
			}
			if (!(rc = hr_index_finish(idx, source_id, err)))
				rc = hr_index_commit(idx, err);
			in_tx = 0;
			goto out;
		}
		/* a live object is a small row: ten of them weigh one record in a batch */
		if ((!was_object || ++pending_objects % 10 == 0) && ++pending >= batch) {
			if ((rc = identify(idx, source_id, &row, hash, &identified, &drop, &retry, err)))
				goto out;
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
	if ((rc = identify(idx, source_id, &row, hash, &identified, &drop, &retry, err)))
		goto out;
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
	if (drop) {
		/* the content is indexed already (a copy), or is resumed below: this scan's rows go */
		rc = 0;
		sum->records -= got;
		sum->errors -= skipped;
		sum->live_objects -= objects;
		sum->inputs_failed -= (uint64_t)unreadable;
		if (!retry && !sum->interrupted)
			sum->inputs_skipped_already++;
	}
	if (in_tx) {
		if (rc || drop)
			hr_index_rollback(idx);
		else
			rc = hr_index_commit(idx, err);
	}
	hr_pipe_stop(pipe);
	hr_source_close(src);
	hr_input_hash_free(hash);
	if (drop && retry)
		return scan_input(idx, input, o, sum, 1, err);
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
		rc = scan_input(idx, inputs[i], opts, summary, 0, err);
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
