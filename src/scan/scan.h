/*
 * scan.h — read inputs into the index: sources -> codec -> index.
 *
 * Each input is registered as a `source`; an input already scanned
 * completely (same path, size and mtime, or same content hash) is skipped.
 * Records are committed in batches; the source is marked complete only at
 * the end, so an interrupted scan is redone (idempotently) next time.
 * One bad record is reported through the `on_error` callback and counted;
 * the scan goes on.
 *
 * Ownership: the caller owns `idx` and the summary.
 */
#ifndef HR_SCAN_SCAN_H
#define HR_SCAN_SCAN_H

#include <signal.h>
#include <stdint.h>
#include "index/index.h"
#include "sources/source.h"
#include "scan/decode.h"   /* hr_scan_decode_record, for `helmrec decode` */

typedef struct hr_scan_summary {
	uint64_t inputs, inputs_skipped_already, inputs_failed;
	uint64_t inputs_partial;    /* inputs read up to a fatal error (damage): their records before it kept */
	uint64_t objects, records, skipped_other, helm2, chunked, errors, kms;
	uint64_t bytes;
	uint64_t live_objects;      /* live objects stored (before pruning) */
	int64_t live_kept;          /* live objects in the index after pruning */
	int64_t compact_revision, head_revision;
	double seconds;
	int interrupted;            /* *opts->stop was set: the last input is left incomplete */
	const char *interrupted_input;  /* which one (borrowed from the inputs) */
} hr_scan_summary;

typedef struct hr_scan_opts {
	hr_source_opts source;
	size_t batch;               /* records per transaction (0 = 1000) */
	int threads;                /* decode workers: -1 = auto ($HELMREC_THREADS or cores), 0 = none */
	int no_live_objects;        /* 1: do not keep live objects (drift/status RESOURCES); default keeps them */
	/* Called for each skipped record / failed input; may be NULL. */
	void (*on_error)(void *ctx, const hr_error *err);
	/* Called now and then with progress; may be NULL. */
	void (*on_progress)(void *ctx, const char *input, const hr_source_stats *st, const hr_scan_summary *sum);
	/* Called with a note about one input ("no Helm release records in FILE"); may be NULL. */
	void (*on_note)(void *ctx, const char *msg);
	/*
	 * When non-NULL and set (by a signal handler), the scan stops after the
	 * record in hand: the batch so far is committed, the input stays
	 * incomplete (the next scan of it finishes it) and summary->interrupted
	 * is set.
	 */
	volatile sig_atomic_t *stop;
	void *ctx;
} hr_scan_opts;

/*
 * Scan `n` inputs into `idx`.  Returns 0 when every input was read (some
 * records may still have been skipped: see summary->errors), or a negative
 * code when the index itself failed (the inputs already committed stay).
 */
int hr_scan(hr_index *idx, const char *const *inputs, size_t n, const hr_scan_opts *opts,
	    hr_scan_summary *summary, hr_error *err);

#endif
