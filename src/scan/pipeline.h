/*
 * pipeline.h — the scan's ordered, multi-threaded decode pipeline.
 *
 *   reader thread ──► ring of slots ──► decode workers ──► consumer (in input order)
 *   (hr_source_next)                     (inflate, parse)   (SQLite writer: the caller)
 *
 * One reader thread pulls records out of the source, `workers` threads
 * peel the payloads and parse the bodies, and the caller takes the results
 * back in exactly the order the source produced them, so the index is the
 * same whatever the thread count.  The ring holds a few records (below) at
 * most: memory stays bounded by a few records, not by the input.
 * With workers == 0 nothing runs in the background: hr_pipe_next() reads
 * and decodes itself (deterministic debugging; HELMREC_THREADS=0).
 *
 * Ownership: the pipe borrows `src` until hr_pipe_stop(); items returned by
 * hr_pipe_next() belong to the pipe and are valid until hr_pipe_release().
 */
#ifndef HR_SCAN_PIPELINE_H
#define HR_SCAN_PIPELINE_H

#include <json-c/json.h>
#include "codec/codec.h"
#include "sources/source.h"
#include "index/live.h"
#include "model/derived.h"

/*
 * The ring has two slots more than workers, and at least HR_PIPE_SLOTS:
 * that keeps the workers busy, and each slot keeps its decode buffers
 * record after record, so more slots only hold more memory (100M List, two
 * workers: 8 slots 84 MB peak, 6: 73 MB, 4: 62 MB, the same CPU and wall).
 */
#define HR_PIPE_SLOTS 4
/* (the item released last is kept as a possible duplicate's body: one slot
 * fewer in flight; an extra slot measured no faster, 20 MB more) */

typedef struct hr_pipe_item {
	hr_record *rec;          /* NULL when the source itself reported an error */
	hr_decoded dec;
	struct json_object *rel;
	hr_derived derived;      /* the body's resource/hook/value rows, built by the worker */
	int rc;                  /* 0 ok; HR_ESKIP bad record; other < 0: the source failed (last item) */
	char json_sha[65];       /* sha256 of dec.body, when rc == 0 */
	char payload_sha[65];    /* sha256 of dec.helm, "" when there is no Helm string */
	hr_live_object live;     /* rec->is_object: the live object decoded (hr_scan_decode_live) */
	hr_error err;
	/*
	 * The item whose dec, rel, derived, json_sha and payload_sha apply to
	 * this record (set by hr_pipe_next): the item itself, or the one before
	 * it when this record's payload is byte for byte the previous record's
	 * (Velero stores each object twice in a row) and that one decoded: the
	 * second copy is not decoded again.  Read the body from here.
	 */
	const struct hr_pipe_item *body;
	int dup;                 /* (pipeline) same payload as the previous record, not decoded */
} hr_pipe_item;

typedef struct hr_pipe hr_pipe;

/* workers < 0: choose from the machine ($HELMREC_THREADS, else the number of cores). */
int hr_pipe_start(hr_pipe **out, hr_source *src, size_t max_payload, int workers, hr_error *err);
/*
 * 1 with *item set, or 0 at the end of the input.  Release each item
 * before asking for the next: the pipe keeps the last released item until
 * then, as the body of a duplicate that follows it.
 */
int hr_pipe_next(hr_pipe *p, hr_pipe_item **item);
void hr_pipe_release(hr_pipe *p, hr_pipe_item *item);
/* A consistent copy of the source's counters (safe while the reader runs). */
void hr_pipe_stats(hr_pipe *p, hr_source_stats *out);
/* Stop the threads (if still running), free what is left. */
void hr_pipe_stop(hr_pipe *p);

#endif
