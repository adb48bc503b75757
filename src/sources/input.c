/*
 * input.c — hr_input: one sequential byte stream over a file or stdin.
 *
 * Every streaming reader (YAML, JSON, bare payload, pg_dump) reads through
 * an hr_input, so gzip'd inputs work everywhere without the readers knowing:
 * when the first two bytes are the gzip magic 1f 8b the stream is inflated
 * (gunzip_stream.h: ISA-L when the build has it, else zlib), member after
 * member (`cat a.gz b.gz` is one valid gzip file).  The inflated size is capped so a
 * decompression bomb ends in HR_ETOOBIG instead of filling the disk or RAM.
 *
 * A small look-ahead buffer lets source.c sniff the content (hr_input_peek)
 * before deciding which reader to hand the stream to; peeked bytes are read
 * again by the reader.
 *
 * Large gzip inputs (a Velero tarball, a gzip'd dump) are inflated on a
 * thread of their own, a few MiB ahead of the reader, so gunzip and parsing
 * run on both cores; the reader sees the same bytes in the same order.
 */
#include "sources/gunzip_stream.h"
#include "sources/reader.h"
#include "util/error.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define RAW_CHUNK 65536
#define PEEK_MAX 4096
#define DEFAULT_MAX_INFLATE ((uint64_t)64 << 30)
#define BG_MIN_SIZE (8u << 20)   /* gzip inputs at least this big inflate in the background */
#define BG_CHUNK (1u << 20)
#define BG_NCHUNKS 4

/* One block of inflated bytes handed from the inflate thread to the reader. */
typedef struct bg_chunk {
	unsigned char *data;
	size_t len, pos;
	int rc;          /* < 0: the stream failed here (err says why) */
	int eof;         /* the stream ends after this chunk */
	hr_error err;
} bg_chunk;

struct hr_input {
	int fd;
	int own_fd;
	hr_input_read_fn fn;     /* hr_input_open_fn: the raw bytes come from fn(fn_ctx), not fd */
	void *fn_ctx;
	char *path;
	/* raw (on-disk) side */
	unsigned char raw[RAW_CHUNK];
	size_t raw_pos, raw_len;
	int raw_eof;
	uint64_t raw_consumed;   /* bytes read from fd */
	uint64_t raw_size;
	/* gzip side */
	int gzip;
	int z_done;              /* final member ended and nothing follows */
	hr_gunzip *gz;
	uint64_t inflated;
	uint64_t max_inflate;
	/* decoded look-ahead */
	unsigned char peek[PEEK_MAX];
	size_t peek_pos, peek_len;
	/* background inflate (bg set): the thread owns the raw and inflate fields */
	int bg;
	pthread_t bg_thread;
	pthread_mutex_t bg_mu;
	pthread_cond_t bg_cv;
	bg_chunk bg_ch[BG_NCHUNKS];
	unsigned bg_head, bg_tail;   /* chunks filled / consumed */
	int bg_stop;
};

static void bg_start(hr_input *in);

/* Up to len raw bytes from the file or the callback: bytes read, 0 at the end, or a negative code. */
static long raw_read(hr_input *in, void *buf, size_t len, hr_error *err)
{
	ssize_t n;

	if (in->fn)
		return in->fn(in->fn_ctx, buf, len, err);
	do
		n = read(in->fd, buf, len);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return hr_error_set(err, HR_EIO, "%s: read error: %s", in->path, strerror(errno));
	return (long)n;
}

/* Fill the raw buffer if it is empty; returns 0, or HR_EIO. */
static int raw_fill(hr_input *in, hr_error *err)
{
	long n;

	if (in->raw_pos < in->raw_len || in->raw_eof)
		return 0;
	in->raw_pos = in->raw_len = 0;
	n = raw_read(in, in->raw, sizeof(in->raw), err);
	if (n < 0)
		return (int)n;
	if (n == 0)
		in->raw_eof = 1;
	in->raw_len = (size_t)n;
	__atomic_add_fetch(&in->raw_consumed, (uint64_t)n, __ATOMIC_RELAXED);
	return 0;
}

/* Make at least `want` raw bytes available (or as many as remain); keeps unread bytes. */
static int raw_fill_at_least(hr_input *in, size_t want, hr_error *err)
{
	while (in->raw_len - in->raw_pos < want && !in->raw_eof) {
		long n;

		if (in->raw_pos) {
			memmove(in->raw, in->raw + in->raw_pos, in->raw_len - in->raw_pos);
			in->raw_len -= in->raw_pos;
			in->raw_pos = 0;
		}
		n = raw_read(in, in->raw + in->raw_len, sizeof(in->raw) - in->raw_len, err);
		if (n < 0)
			return (int)n;
		if (n == 0)
			in->raw_eof = 1;
		in->raw_len += (size_t)n;
		__atomic_add_fetch(&in->raw_consumed, (uint64_t)n, __ATOMIC_RELAXED);
	}
	return 0;
}

static hr_input *input_new(const char *path, size_t max_inflate, hr_error *err)
{
	hr_input *in = calloc(1, sizeof(*in));

	if (!in || !(in->path = strdup(path))) {
		free(in);
		hr_error_set(err, HR_ENOMEM, "%s: out of memory", path);
		return NULL;
	}
	in->fd = -1;
	in->max_inflate = max_inflate ? max_inflate : DEFAULT_MAX_INFLATE;
	return in;
}

/* After the source is set: look at the first bytes; gzip is inflated (in the background when `bg`). */
static int input_start(hr_input *in, int bg, hr_error *err)
{
	int rc = raw_fill_at_least(in, 2, err);

	if (rc)
		return rc;
	if (in->raw_len >= 2 && in->raw[0] == 0x1f && in->raw[1] == 0x8b) {
		in->gzip = 1;
		if (hr_gunzip_new(&in->gz) < 0)
			return hr_error_set(err, HR_ENOMEM, "%s: cannot start gunzip", in->path);
		if (bg)
			bg_start(in);
	}
	return 0;
}

int hr_input_open_fn(hr_input **out, const char *name, hr_input_read_fn fn, void *ctx, size_t max_inflate,
		     hr_error *err)
{
	hr_input *in = input_new(name, max_inflate, err);
	int rc;

	*out = NULL;
	if (!in)
		return HR_ENOMEM;
	in->fn = fn;
	in->fn_ctx = ctx;
	/* no inflate thread: the callback's own reader (libarchive) is not shared across threads */
	if ((rc = input_start(in, 0, err))) {
		hr_input_close(in);
		return rc;
	}
	*out = in;
	return 0;
}

int hr_input_open(hr_input **out, const char *path, size_t max_inflate, hr_error *err)
{
	hr_input *in;
	struct stat st;
	int rc;

	*out = NULL;
	if (!(in = input_new(path, max_inflate, err)))
		return HR_ENOMEM;
	if (!strcmp(path, "-")) {
		in->fd = 0;
	} else {
		in->fd = open(path, O_RDONLY | O_CLOEXEC);
		if (in->fd < 0) {
			rc = hr_error_set(err, HR_EIO, "%s: cannot open: %s", path, strerror(errno));
			goto fail;
		}
		in->own_fd = 1;
	}
	if (!fstat(in->fd, &st)) {
		if (S_ISDIR(st.st_mode)) {
			rc = hr_error_set(err, HR_EINVAL, "%s: is a directory", path);
			goto fail;
		}
		if (S_ISREG(st.st_mode))
			in->raw_size = (uint64_t)st.st_size;
	}
	if ((rc = input_start(in, !in->raw_size || in->raw_size >= BG_MIN_SIZE, err)))
		goto fail;
	*out = in;
	return 0;
fail:
	hr_input_close(in);
	return rc;
}

/* Inflate into buf; returns bytes produced (0 at end) or a negative code. */
static long gz_read(hr_input *in, unsigned char *buf, size_t len, hr_error *err)
{
	const char *why = NULL;
	int rc, member_end;

	if (len > (1u << 30))
		len = 1u << 30;
	while (!in->z_done) {
		size_t used, produced = len;

		rc = raw_fill(in, err);
		if (rc)
			return rc;
		/*
		 * At the end of the file the engine is still called: ISA-L may
		 * have taken the last bytes (the trailer) into its bit buffer
		 * while output it decoded waits for room.
		 */
		used = in->raw_len - in->raw_pos;
		rc = hr_gunzip_run(in->gz, in->raw + in->raw_pos, &used, buf, &produced, &member_end, &why);
		in->raw_pos += used;
		if (rc == 0 && !used && !produced && !member_end) {
			if (in->raw_eof)
				return hr_error_set(err, HR_EFORMAT, "%s: gzip data is truncated (after %llu compressed bytes)",
						    in->path, (unsigned long long)in->raw_consumed);
			rc = HR_EFORMAT;        /* no engine stalls with input and room left */
			why = "no progress";
		}
		if (rc < 0)
			return hr_error_set(err, HR_EFORMAT, "%s: gzip error near compressed offset %llu: %s", in->path,
					    (unsigned long long)(in->raw_consumed - (in->raw_len - in->raw_pos)), why);
		if (produced > in->max_inflate - in->inflated)
			return hr_error_set(err, HR_ETOOBIG, "%s: inflated content exceeds the cap of %llu bytes",
					    in->path, (unsigned long long)in->max_inflate);
		in->inflated += produced;
		if (member_end) {
			/* Another member may follow; anything else is an error. */
			rc = raw_fill_at_least(in, 2, err);
			if (rc)
				return rc;
			if (in->raw_pos == in->raw_len) {
				in->z_done = 1;
			} else if (in->raw_len - in->raw_pos >= 2 && in->raw[in->raw_pos] == 0x1f &&
				   in->raw[in->raw_pos + 1] == 0x8b) {
				hr_gunzip_reset(in->gz);
			} else {
				return hr_error_set(err, HR_EFORMAT, "%s: trailing garbage after gzip data at compressed offset %llu",
						    in->path,
						    (unsigned long long)(in->raw_consumed - (in->raw_len - in->raw_pos)));
			}
		}
		if (produced)
			return (long)produced;
	}
	return 0;
}

static void *bg_main(void *arg)
{
	hr_input *in = arg;

	for (;;) {
		bg_chunk *c;
		long r = 0;

		pthread_mutex_lock(&in->bg_mu);
		while (!in->bg_stop && in->bg_head - in->bg_tail == BG_NCHUNKS)
			pthread_cond_wait(&in->bg_cv, &in->bg_mu);
		if (in->bg_stop) {
			pthread_mutex_unlock(&in->bg_mu);
			return NULL;
		}
		c = &in->bg_ch[in->bg_head % BG_NCHUNKS];
		pthread_mutex_unlock(&in->bg_mu);

		c->len = c->pos = 0;
		c->rc = c->eof = 0;
		while (c->len < BG_CHUNK) {
			r = gz_read(in, c->data + c->len, BG_CHUNK - c->len, &c->err);
			if (r <= 0)
				break;
			c->len += (size_t)r;
		}
		if (r < 0)
			c->rc = (int)r;
		else if (r == 0)
			c->eof = 1;

		pthread_mutex_lock(&in->bg_mu);
		in->bg_head++;
		pthread_cond_broadcast(&in->bg_cv);
		pthread_mutex_unlock(&in->bg_mu);
		if (c->rc || c->eof)
			return NULL;
	}
}

/* Start the inflate thread; on any failure stay synchronous. */
static void bg_start(hr_input *in)
{
	for (int i = 0; i < BG_NCHUNKS; i++)
		if (!(in->bg_ch[i].data = malloc(BG_CHUNK)))
			goto undo;
	pthread_mutex_init(&in->bg_mu, NULL);
	pthread_cond_init(&in->bg_cv, NULL);
	if (pthread_create(&in->bg_thread, NULL, bg_main, in)) {
		pthread_mutex_destroy(&in->bg_mu);
		pthread_cond_destroy(&in->bg_cv);
		goto undo;
	}
	in->bg = 1;
	return;
undo:
	for (int i = 0; i < BG_NCHUNKS; i++) {
		free(in->bg_ch[i].data);
		in->bg_ch[i].data = NULL;
	}
}

static long bg_read(hr_input *in, unsigned char *buf, size_t len, hr_error *err)
{
	bg_chunk *c;
	size_t n;

	pthread_mutex_lock(&in->bg_mu);
	while (in->bg_head == in->bg_tail)
		pthread_cond_wait(&in->bg_cv, &in->bg_mu);
	c = &in->bg_ch[in->bg_tail % BG_NCHUNKS];
	pthread_mutex_unlock(&in->bg_mu);
	n = c->len - c->pos;
	if (n) {
		if (n > len)
			n = len;
		memcpy(buf, c->data + c->pos, n);
		c->pos += n;
	} else if (c->rc) {
		/* the failure stays: every later read reports it again */
		if (err)
			*err = c->err;
		return c->rc;
	} else if (c->eof) {
		return 0;
	}
	if (c->pos == c->len && !c->rc && !c->eof) {
		pthread_mutex_lock(&in->bg_mu);
		in->bg_tail++;
		pthread_cond_broadcast(&in->bg_cv);
		pthread_mutex_unlock(&in->bg_mu);
	}
	return (long)n;
}

/* Read from the underlying stream (raw or inflated), ignoring the peek buffer. */
static long stream_read(hr_input *in, unsigned char *buf, size_t len, hr_error *err)
{
	size_t n;
	int rc;

	if (!len)
		return 0;
	if (in->bg)
		return bg_read(in, buf, len, err);
	if (in->gzip)
		return gz_read(in, buf, len, err);
	if (in->raw_pos == in->raw_len) {
		if (len >= sizeof(in->raw) && !in->raw_eof) {
			/* Large reads bypass the buffer. */
			long r;

			if (len > (1u << 30))
				len = 1u << 30;
			r = raw_read(in, buf, len, err);
			if (r < 0)
				return r;
			if (r == 0)
				in->raw_eof = 1;
			in->raw_consumed += (uint64_t)r;
			return (long)r;
		}
		rc = raw_fill(in, err);
		if (rc)
			return rc;
	}
	n = in->raw_len - in->raw_pos;
	if (n > len)
		n = len;
	memcpy(buf, in->raw + in->raw_pos, n);
	in->raw_pos += n;
	return (long)n;
}

long hr_input_read(hr_input *in, void *buf, size_t len, hr_error *err)
{
	if (in->peek_pos < in->peek_len) {
		size_t n = in->peek_len - in->peek_pos;

		if (n > len)
			n = len;
		memcpy(buf, in->peek + in->peek_pos, n);
		in->peek_pos += n;
		return (long)n;
	}
	return stream_read(in, buf, len, err);
}

long hr_input_peek(hr_input *in, void *buf, size_t n, hr_error *err)
{
	if (n > PEEK_MAX)
		n = PEEK_MAX;
	if (in->peek_pos) {
		memmove(in->peek, in->peek + in->peek_pos, in->peek_len - in->peek_pos);
		in->peek_len -= in->peek_pos;
		in->peek_pos = 0;
	}
	while (in->peek_len < n) {
		long r = stream_read(in, in->peek + in->peek_len, n - in->peek_len, err);

		if (r < 0)
			return r;
		if (r == 0)
			break;
		in->peek_len += (size_t)r;
	}
	if (n > in->peek_len)
		n = in->peek_len;
	memcpy(buf, in->peek, n);
	return (long)n;
}

const char *hr_input_path(const hr_input *in)
{
	return in->path;
}

uint64_t hr_input_raw_consumed(const hr_input *in)
{
	return __atomic_load_n(&in->raw_consumed, __ATOMIC_RELAXED);
}

uint64_t hr_input_raw_size(const hr_input *in)
{
	return in->raw_size;
}

int hr_input_is_gzip(const hr_input *in)
{
	return in->gzip;
}

void hr_input_close(hr_input *in)
{
	if (!in)
		return;
	if (in->bg) {
		pthread_mutex_lock(&in->bg_mu);
		in->bg_stop = 1;
		pthread_cond_broadcast(&in->bg_cv);
		pthread_mutex_unlock(&in->bg_mu);
		pthread_join(in->bg_thread, NULL);
		pthread_mutex_destroy(&in->bg_mu);
		pthread_cond_destroy(&in->bg_cv);
		for (int i = 0; i < BG_NCHUNKS; i++)
			free(in->bg_ch[i].data);
	}
	hr_gunzip_free(in->gz);
	if (in->own_fd && in->fd >= 0)
		close(in->fd);
	free(in->path);
	free(in);
}

int hr_reader_base_new(void **out, size_t size, hr_input *in, const hr_source_opts *o, hr_source_stats *stats,
		       hr_error *err)
{
	hr_reader_base *b = calloc(1, size);

	*out = b;
	if (!b)
		return hr_error_set(err, HR_ENOMEM, "%s: out of memory", hr_input_path(in));
	b->in = in;
	b->path = hr_input_path(in);
	b->stats = stats;
	b->max_object = o && o->max_object ? o->max_object : HR_READER_MAX_OBJECT;
	b->live_objects = o && o->live_objects;
	return 0;
}
