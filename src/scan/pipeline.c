/*
 * pipeline.c — see pipeline.h.  One mutex guards the ring indices and slot
 * states; slot contents are written only by the thread that owns the slot
 * in its current state (reader: EMPTY, worker: DECODING, consumer: READY),
 * and published by the state change under the mutex.
 */
#include "scan/pipeline.h"
#include "scan/decode.h"
#include "scan/derive_rows.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { SLOT_EMPTY, SLOT_READ, SLOT_DECODING, SLOT_READY };

typedef struct slot {
	int state;
	hr_pipe_item item;
} slot;

struct hr_pipe {
	hr_source *src;
	size_t max_payload;
	int nworkers;
	pthread_t reader, *workers;
	int reader_started, workers_started;
	pthread_mutex_t mu;
	pthread_cond_t space, work, done;
	slot *ring;
	size_t nslots;
	/* head: next to fill; next: next to hand out; tail: oldest slot not yet emptied
	 * (tail == next - 1 while the consumer's last released item is kept) */
	unsigned long head, next, tail, next_decode;
	int eof, stop;
	hr_source_stats stats;
};

static void decode_item(hr_pipe *p, hr_pipe_item *it)
{
	if (it->rec->is_object) {
		it->rc = hr_scan_decode_live(it->rec, &it->live, &it->err);
		return;
	}
	it->rc = hr_scan_decode_record(it->rec, p->max_payload, 0, &it->dec, &it->rel, &it->err);
	if (it->rc)
		return;
	hr_sha256_hex(it->dec.body.ptr, it->dec.body.len, it->json_sha);
	if (it->dec.helm.len)
		hr_sha256_hex(it->dec.helm.ptr, it->dec.helm.len, it->payload_sha);
	/* the search rows here, in parallel, not in the single index writer */
	it->rc = hr_scan_derive_rows(&it->derived, it->rel, &it->err);
}

/*
 * Empty a slot's item for the next record.  Its decode buffers stay
 * allocated: a slot decodes record after record into the same memory
 * instead of returning 1-3 MB to the kernel and faulting it in again for
 * each one (hr_pipe_stop frees them).
 */
static void clear_item(hr_pipe_item *it)
{
	hr_decoded keep = it->dec;
	hr_derived keep_rows = it->derived;

	hr_record_free(it->rec);
	json_object_put(it->rel);
	hr_live_object_clear(&it->live);
	memset(it, 0, sizeof(*it));
	keep.layers = 0;
	hr_buf_clear(&keep.helm);
	hr_buf_clear(&keep.body);
	hr_buf_clear(&keep.raw);
	it->dec = keep;
	hr_derived_clear(&keep_rows);
	it->derived = keep_rows;
}

/* Read one record into `it` (emptied by clear_item); returns 1 (item), 0 (end). */
static int read_item(hr_pipe *p, hr_pipe_item *it, int *needs_decode)
{
	int rc;

	rc = hr_source_next(p->src, &it->rec, &it->err);
	*needs_decode = 0;
	if (rc == 0)
		return 0;
	if (rc < 0) {
		it->rc = rc;
		return 1;
	}
	*needs_decode = 1;
	return 1;
}

/*
 * 1 when `it` (just read) carries byte for byte the payload of `prev`, the
 * record read before it, so that its decode would be the same: both
 * release records of the same form, `prev` decoded itself (not a
 * duplicate: no chains).  Only the reader calls this, before publishing
 * `it`; `prev` is not emptied before `it` is released.
 */
static int same_payload(const hr_pipe_item *prev, const hr_pipe_item *it)
{
	const hr_record *a = prev->rec, *b = it->rec;

	return a && b && !prev->dup && !a->is_object && !b->is_object && a->form == b->form &&
	       a->payload_len == b->payload_len && a->payload_len &&
	       !memcmp(a->payload, b->payload, a->payload_len);
}

static void *reader_main(void *arg)
{
	hr_pipe *p = arg;

	for (;;) {
		slot *s;
		int more, needs_decode, fatal;

		pthread_mutex_lock(&p->mu);
		while (!p->stop && p->ring[p->head % p->nslots].state != SLOT_EMPTY)
			pthread_cond_wait(&p->space, &p->mu);
		if (p->stop) {
			pthread_mutex_unlock(&p->mu);
			break;
		}
		s = &p->ring[p->head % p->nslots];
		pthread_mutex_unlock(&p->mu);

		more = read_item(p, &s->item, &needs_decode);
		fatal = more && s->item.rc < 0 && s->item.rc != HR_ESKIP;
		/* the previous item stays allocated until this one is released (hr_pipe_release) */
		if (needs_decode && p->head && same_payload(&p->ring[(p->head - 1) % p->nslots].item, &s->item)) {
			s->item.dup = 1;
			needs_decode = 0;
		}

		pthread_mutex_lock(&p->mu);
		hr_source_stats_get(p->src, &p->stats);
		if (more) {
			s->state = needs_decode ? SLOT_READ : SLOT_READY;
			p->head++;
		}
		/* a wake for whoever has work now: one worker per record to decode,
		 * the consumer for a record ready as read; all at the end */
		if (!more || fatal) {
			p->eof = 1;
			pthread_cond_broadcast(&p->work);
			pthread_cond_signal(&p->done);
		} else if (needs_decode) {
			pthread_cond_signal(&p->work);
		} else {
			pthread_cond_signal(&p->done);
		}
		pthread_mutex_unlock(&p->mu);
		if (!more || fatal)
			break;
	}
	return NULL;
}

static void *worker_main(void *arg)
{
	hr_pipe *p = arg;

	pthread_mutex_lock(&p->mu);
	for (;;) {
		slot *s;

		while (!p->stop && p->next_decode == p->head && !p->eof)
			pthread_cond_wait(&p->work, &p->mu);
		if (p->stop || (p->next_decode == p->head && p->eof))
			break;
		s = &p->ring[p->next_decode++ % p->nslots];
		if (s->state != SLOT_READ)
			continue;
		s->state = SLOT_DECODING;
		pthread_mutex_unlock(&p->mu);
		decode_item(p, &s->item);
		pthread_mutex_lock(&p->mu);
		s->state = SLOT_READY;
		pthread_cond_signal(&p->done);  /* only the consumer waits for it */
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

static int default_workers(void)
{
	const char *env = getenv("HELMREC_THREADS");
	long n;

	if (env && *env)
		return (int)strtol(env, NULL, 10);
	n = sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : (n > 16 ? 16 : (int)n);
}

/* Stop the workers and wait for them. */
static void join_workers(hr_pipe *p)
{
	pthread_mutex_lock(&p->mu);
	p->stop = 1;
	pthread_cond_broadcast(&p->work);
	pthread_mutex_unlock(&p->mu);
	for (int i = 0; i < p->workers_started; i++)
		pthread_join(p->workers[i], NULL);
	p->workers_started = 0;
}

int hr_pipe_start(hr_pipe **out, hr_source *src, size_t max_payload, int workers, hr_error *err)
{
	hr_pipe *p = calloc(1, sizeof(*p));

	*out = NULL;
	if (!p)
		return hr_error_set(err, HR_ENOMEM, "out of memory");
	p->src = src;
	p->max_payload = max_payload;
	p->nworkers = workers < 0 ? default_workers() : workers;
	if (p->nworkers < 0)
		p->nworkers = 0;
	p->nslots = (size_t)p->nworkers + 2 < HR_PIPE_SLOTS ? HR_PIPE_SLOTS : (size_t)p->nworkers + 2;
	if (!(p->ring = calloc(p->nslots, sizeof(*p->ring)))) {
		free(p);
		return hr_error_set(err, HR_ENOMEM, "out of memory");
	}
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->space, NULL);
	pthread_cond_init(&p->work, NULL);
	pthread_cond_init(&p->done, NULL);
	*out = p;
	if (!p->nworkers)
		return 0;
	/*
	 * Workers first, then the reader: the reader wakes a worker, not the
	 * consumer, for a record to decode, so a pipe runs with at least one
	 * worker or synchronously (no threads at all).
	 */
	p->workers = calloc((size_t)p->nworkers, sizeof(*p->workers));
	for (int i = 0; p->workers && i < p->nworkers; i++) {
		if (pthread_create(&p->workers[i], NULL, worker_main, p))
			break;
		p->workers_started++;
	}
	if (!p->workers_started || pthread_create(&p->reader, NULL, reader_main, p)) {
		join_workers(p);
		p->stop = 0;
		p->nworkers = 0;   /* fall back to synchronous operation */
		return 0;
	}
	p->reader_started = 1;
	return 0;
}

int hr_pipe_next(hr_pipe *p, hr_pipe_item **item)
{
	slot *s;
	hr_pipe_item *prev;

	if (!p->reader_started) {
		int needs_decode;

		s = &p->ring[0];
		if (p->eof || !read_item(p, &s->item, &needs_decode))
			return 0;
		hr_source_stats_get(p->src, &p->stats);
		if (s->item.rc < 0 && s->item.rc != HR_ESKIP)
			p->eof = 1;
		if (needs_decode)
			decode_item(p, &s->item);
		s->item.body = &s->item;
		*item = &s->item;
		return 1;
	}
	pthread_mutex_lock(&p->mu);
	while (p->next == p->head && !p->eof)
		pthread_cond_wait(&p->done, &p->mu);
	if (p->next == p->head) {
		pthread_mutex_unlock(&p->mu);
		return 0;
	}
	s = &p->ring[p->next % p->nslots];
	while (s->state != SLOT_READY)
		pthread_cond_wait(&p->done, &p->mu);
	prev = p->next ? &p->ring[(p->next - 1) % p->nslots].item : NULL;
	p->next++;
	pthread_mutex_unlock(&p->mu);
	s->item.body = &s->item;
	if (s->item.dup) {
		/* the previous item is the one released last, kept: borrow its decode if it has one */
		if (prev && prev->rc == 0)
			s->item.body = prev;
		else
			decode_item(p, &s->item);
	}
	*item = &s->item;
	return 1;
}

void hr_pipe_release(hr_pipe *p, hr_pipe_item *item)
{
	slot *old = NULL;

	if (!p->reader_started) {
		clear_item(item);
		return;
	}
	/*
	 * Keep `item` (p->next - 1) until the next one is released, as the
	 * body of a duplicate that may follow; empty the one kept before.  The
	 * reader touches neither slot (it compares with p->head - 1 >= p->next - 1).
	 */
	pthread_mutex_lock(&p->mu);
	if (p->tail + 1 < p->next)
		old = &p->ring[p->tail % p->nslots];
	pthread_mutex_unlock(&p->mu);
	if (!old)
		return;
	clear_item(&old->item);
	pthread_mutex_lock(&p->mu);
	old->state = SLOT_EMPTY;
	p->tail++;
	pthread_cond_signal(&p->space);  /* only the reader waits for it */
	pthread_mutex_unlock(&p->mu);
}

void hr_pipe_stats(hr_pipe *p, hr_source_stats *out)
{
	pthread_mutex_lock(&p->mu);
	*out = p->stats;
	pthread_mutex_unlock(&p->mu);
}

void hr_pipe_stop(hr_pipe *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->mu);
	p->stop = 1;
	pthread_cond_broadcast(&p->space);
	pthread_cond_broadcast(&p->work);
	pthread_cond_broadcast(&p->done);
	pthread_mutex_unlock(&p->mu);
	if (p->reader_started)
		pthread_join(p->reader, NULL);
	join_workers(p);
	for (size_t i = 0; p->ring && i < p->nslots; i++) {
		clear_item(&p->ring[i].item);
		hr_decoded_free(&p->ring[i].item.dec);
		hr_derived_free(&p->ring[i].item.derived);
	}
	if (!p->reader_started || p->eof)
		hr_source_stats_get(p->src, &p->stats);
	free(p->workers);
	free(p->ring);
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->space);
	pthread_cond_destroy(&p->work);
	pthread_cond_destroy(&p->done);
	free(p);
}
