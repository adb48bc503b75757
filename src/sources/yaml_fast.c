/*
 * yaml_fast.c — take long base64 values out of libyaml's way (see
 * yaml_fast.h for the contract).
 *
 * The filter works on whole input lines.  A line `SPACES KEY: VALUE\n`
 * (KEY of [A-Za-z0-9._/-], VALUE only base64 characters, at least
 * HR_YAML_FAST_MIN of them) becomes `SPACES KEY: PLACEHOLDER\n`, where the
 * placeholder is "HRfp" + a per-stream nonce + "x" + a 16-digit hex
 * sequence number: letters and digits, so libyaml parses the line exactly
 * as before — a plain scalar ending at the line end, the same line
 * numbers.  Base64 holds no character that is special anywhere in YAML
 * (no quotes, backslashes, '#', ': '), so wherever the line really sits —
 * a mapping value, inside a block or quoted scalar, a continuation line —
 * the value's bytes reach the scalar unchanged and putting them back by
 * text replacement gives exactly what libyaml would have produced.
 *
 * Placeholders are queued with the character index where they start in
 * the filtered stream; events arrive in stream order, so the queue is
 * consumed from the front.
 */
#include "sources/yaml_fast.h"
#include "util/buf.h"
#include "util/error.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define CHUNK 65536
#define PH_LEN 29  /* "HRfp" + 8 nonce + "x" + 16 id */

typedef struct stash {
	uint64_t pos;   /* character index of the placeholder in the filtered stream */
	char *val;
	size_t len;
} stash;

struct hr_yaml_fast {
	hr_input *in;
	size_t line_cap;
	hr_buf fin;             /* raw input not yet filtered */
	size_t fin_pos, scan;   /* consumed; how far a newline was searched */
	int eof, long_line;
	hr_buf fout;            /* filtered, not yet handed out */
	size_t fout_pos;
	uint64_t emitted;       /* characters of the filtered stream produced so far */
	char nonce[9];
	uint64_t next_id;
	stash *q;
	size_t qhead, qlen, qcap;
	size_t held, held_peak; /* bytes of the values in the queue; the most so far */
	uint64_t removed;
	int fail_rc;            /* a read failure held back until fout is handed out (0: none) */
	hr_error fail_err;
};

#define B64_ROW(c) ['A' + (c)] = 1, ['a' + (c)] = 1
static const unsigned char b64_class[256] = {
	B64_ROW(0), B64_ROW(1), B64_ROW(2), B64_ROW(3), B64_ROW(4), B64_ROW(5), B64_ROW(6),
	B64_ROW(7), B64_ROW(8), B64_ROW(9), B64_ROW(10), B64_ROW(11), B64_ROW(12), B64_ROW(13),
	B64_ROW(14), B64_ROW(15), B64_ROW(16), B64_ROW(17), B64_ROW(18), B64_ROW(19), B64_ROW(20),
	B64_ROW(21), B64_ROW(22), B64_ROW(23), B64_ROW(24), B64_ROW(25),
	['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1,
	['8'] = 1, ['9'] = 1, ['+'] = 1, ['/'] = 1, ['='] = 1,
};

/* Length of the run of base64 characters at p (at most n). */
static size_t b64_span(const unsigned char *p, size_t n)
{
	size_t i = 0;

	while (i + 4 <= n && b64_class[p[i]] & b64_class[p[i + 1]] & b64_class[p[i + 2]] & b64_class[p[i + 3]])
		i += 4;
	while (i < n && b64_class[p[i]])
		i++;
	return i;
}

static int is_keych(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '.' || c == '_' || c == '-' || c == '/';
}

static uint64_t count_chars(const unsigned char *p, size_t n)
{
	uint64_t c = 0;

	for (size_t i = 0; i < n; i++)
		c += (p[i] & 0xc0) != 0x80;
	return c;
}

int hr_yaml_fast_new(hr_yaml_fast **out, hr_input *in, size_t line_cap)
{
	hr_yaml_fast *f = calloc(1, sizeof(*f));
	struct timespec ts;

	*out = NULL;
	if (!f)
		return HR_ENOMEM;
	f->in = in;
	f->line_cap = line_cap;
	clock_gettime(CLOCK_REALTIME, &ts);
	snprintf(f->nonce, sizeof(f->nonce), "%08lx",
		 (unsigned long)(((uint64_t)ts.tv_nsec ^ (uint64_t)ts.tv_sec * 2654435761u ^
				  (uint64_t)getpid() * 40503u ^ (uint64_t)(uintptr_t)f) & 0xffffffffu));
	*out = f;
	return 0;
}

void hr_yaml_fast_free(hr_yaml_fast *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->qlen; i++)
		free(f->q[(f->qhead + i) % f->qcap].val);
	free(f->q);
	hr_buf_free(&f->fin);
	hr_buf_free(&f->fout);
	free(f);
}

static int enqueue(hr_yaml_fast *f, uint64_t pos, const char *val, size_t len)
{
	stash *s;

	if (f->qlen == f->qcap) {
		size_t ncap = f->qcap ? f->qcap * 2 : 16;
		stash *q = malloc(ncap * sizeof(*q));

		if (!q)
			return HR_ENOMEM;
		for (size_t i = 0; i < f->qlen; i++)
			q[i] = f->q[(f->qhead + i) % f->qcap];
		free(f->q);
		f->q = q;
		f->qcap = ncap;
		f->qhead = 0;
	}
	s = &f->q[(f->qhead + f->qlen) % f->qcap];
	s->val = malloc(len + 1);
	if (!s->val)
		return HR_ENOMEM;
	memcpy(s->val, val, len);
	s->val[len] = '\0';
	s->len = len;
	s->pos = pos;
	f->qlen++;
	f->held += len;
	if (f->held > f->held_peak)
		f->held_peak = f->held;
	return 0;
}

static void dequeue(hr_yaml_fast *f)
{
	stash *s = &f->q[f->qhead];

	f->removed += s->len - PH_LEN;
	f->held -= s->len;
	free(s->val);
	f->qhead = (f->qhead + 1) % f->qcap;
	f->qlen--;
}

static void placeholder(const hr_yaml_fast *f, uint64_t id, char out[PH_LEN + 1])
{
	snprintf(out, PH_LEN + 1, "HRfp%sx%016llx", f->nonce, (unsigned long long)id);
}

static int emit(hr_yaml_fast *f, const void *p, size_t n)
{
	int rc = hr_buf_put(&f->fout, p, n);

	if (!rc)
		f->emitted += count_chars(p, n);
	return rc;
}

/* Append one complete line (with its '\n') to fout, substituting if it matches. */
static int put_line(hr_yaml_fast *f, const unsigned char *p, size_t len)
{
	size_t i = 0, k, v, end = len - 1;
	int rc;

	if (len >= HR_YAML_FAST_MIN + 4) {
		while (i < end && p[i] == ' ')
			i++;
		for (k = i; i < end && is_keych(p[i]); i++)
			;
		if (i > k && i + 2 < end && p[i] == ':' && p[i + 1] == ' ') {
			v = i + 2;
			if (p[end - 1] == '\r')
				end--;
			if (end - v >= HR_YAML_FAST_MIN && b64_span(p + v, end - v) == end - v) {
				char ph[PH_LEN + 1];
				placeholder(f, f->next_id++, ph);
				if ((rc = emit(f, p, v)) ||
				    (rc = enqueue(f, f->emitted, (const char *)p + v, end - v)) ||
				    (rc = emit(f, ph, PH_LEN)) ||
				    (rc = emit(f, p + end, len - end)))
					return rc;
				return 0;
			}
		}
	}
	return emit(f, p, len);
}

/* Read more raw input into fin; returns 1 if bytes arrived, 0 at EOF, or a negative code. */
static int read_more(hr_yaml_fast *f, hr_error *err)
{
	long n;
	int rc;

	if (f->fin_pos && f->fin_pos >= f->fin.len / 2) {
		memmove(f->fin.ptr, f->fin.ptr + f->fin_pos, f->fin.len - f->fin_pos);
		f->scan -= f->fin_pos;
		hr_buf_truncate(&f->fin, f->fin.len - f->fin_pos);
		f->fin_pos = 0;
	}
	if ((rc = hr_buf_grow(&f->fin, CHUNK)))
		return hr_error_set(err, rc, "%s: out of memory", hr_input_path(f->in));
	n = hr_input_read(f->in, f->fin.ptr + f->fin.len, CHUNK, err);
	if (n < 0)
		return (int)n;
	if (n == 0) {
		f->eof = 1;
		return 0;
	}
	f->fin.len += (size_t)n;
	f->fin.ptr[f->fin.len] = '\0';
	return 1;
}

/*
 * Refill fout with at least one chunk of filtered text (or everything left).
 * When reading fails (a gzip stream cut short, an I/O error, no memory for
 * a long line), the text filtered so far and the start of the unfinished
 * last line are handed out first and the failure is returned by the next
 * call, so that libyaml sees what it sees without the filter (a partial
 * line can end the object before it, by its indent or `---`, but cannot
 * complete a scalar: its first CHUNK bytes are enough) and the objects
 * before the damage are returned.
 */
static int filter_more(hr_yaml_fast *f, hr_error *err)
{
	int rc = 0;

	if (f->fout_pos == f->fout.len) {
		hr_buf_clear(&f->fout);
		f->fout_pos = 0;
		if ((rc = f->fail_rc))
			goto out;
	}
	/* a chunk of filtered text, less when the values taken out of it pass
	 * HR_YAML_FAST_HOLD: a chunk of placeholder lines can stand for many MiB */
	while (f->fout.len - f->fout_pos < CHUNK && (f->held < HR_YAML_FAST_HOLD || f->fout.len == f->fout_pos)) {
		unsigned char *base = (unsigned char *)f->fin.ptr;
		size_t avail = f->fin.len - f->scan;
		unsigned char *nl = avail ? memchr(base + f->scan, '\n', avail) : NULL;

		if (nl) {
			size_t end = (size_t)(nl - base) + 1;

			if (f->long_line)
				rc = emit(f, base + f->fin_pos, end - f->fin_pos);
			else
				rc = put_line(f, base + f->fin_pos, end - f->fin_pos);
			if (rc) {
				rc = hr_error_set(&f->fail_err, rc, "%s: out of memory", hr_input_path(f->in));
				goto out;
			}
			f->long_line = 0;
			f->fin_pos = f->scan = end;
			continue;
		}
		f->scan = f->fin.len;
		if (f->long_line || f->fin.len - f->fin_pos > f->line_cap || f->eof) {
			/* a line too long to hold, or the last line without a newline: pass it on */
			if (f->fin.len > f->fin_pos &&
			    emit(f, base + f->fin_pos, f->fin.len - f->fin_pos)) {
				rc = hr_error_set(&f->fail_err, HR_ENOMEM, "%s: out of memory", hr_input_path(f->in));
				goto out;
			}
			f->long_line = !f->eof;
			f->fin_pos = f->scan = f->fin.len;
			if (f->eof)
				break;
		}
		rc = read_more(f, &f->fail_err);
		if (rc < 0)
			goto out;
	}
	rc = 0;
out:
	if (rc < 0) {
		size_t tail = f->fin.len - f->fin_pos;

		f->fail_rc = rc;
		if (tail && !emit(f, f->fin.ptr + f->fin_pos, tail < CHUNK ? tail : CHUNK))
			f->fin_pos = f->scan = f->fin.len;
		if (f->fout.len > f->fout_pos)
			return 0;
		if (err)
			*err = f->fail_err;
	}
	return rc;
}

long hr_yaml_fast_read(hr_yaml_fast *f, unsigned char *buf, size_t size, hr_error *err)
{
	size_t n;
	int rc;

	if (f->fout_pos == f->fout.len) {
		rc = filter_more(f, err);
		if (rc)
			return rc;
	}
	n = f->fout.len - f->fout_pos;
	if (n == 0)
		return 0;  /* end of input; fout.ptr may still be NULL (empty file) */
	if (n > size)
		n = size;
	memcpy(buf, f->fout.ptr + f->fout_pos, n);
	f->fout_pos += n;
	return (long)n;
}

int hr_yaml_fast_restore(hr_yaml_fast *f, yaml_event_t *ev)
{
	uint64_t start = ev->start_mark.index, end = ev->end_mark.index;
	hr_buf out = HR_BUF_INIT;
	const char *text, *p, *hit;
	size_t len, n = 0;

	while (f->qlen && f->q[f->qhead].pos < start)
		dequeue(f);
	if (ev->type != YAML_SCALAR_EVENT || !f->qlen || f->q[f->qhead].pos >= end)
		return 0;
	text = (const char *)ev->data.scalar.value;
	len = ev->data.scalar.length;
	/* Common case: the scalar is exactly one placeholder. */
	if (len == PH_LEN) {
		char ph[PH_LEN + 1];

		placeholder(f, f->next_id - f->qlen, ph);  /* id of the queue front */
		if (!memcmp(text, ph, PH_LEN)) {
			stash *s = &f->q[f->qhead];

			free(ev->data.scalar.value);
			ev->data.scalar.value = (yaml_char_t *)s->val;
			ev->data.scalar.length = s->len;
			s->val = NULL;
			f->removed += s->len - PH_LEN;
			f->held -= s->len;
			f->qhead = (f->qhead + 1) % f->qcap;
			f->qlen--;
			return 0;
		}
	}
	/* Placeholders inside a longer scalar (block, quoted, continued): replace each in order. */
	p = text;
	while (f->qlen && f->q[f->qhead].pos < end) {
		char ph[PH_LEN + 1];
		stash *s = &f->q[f->qhead];

		placeholder(f, f->next_id - f->qlen, ph);
		hit = memmem(p, len - (size_t)(p - text), ph, PH_LEN);
		if (!hit) {
			dequeue(f);  /* not in this scalar after all */
			continue;
		}
		if (hr_buf_put(&out, p, (size_t)(hit - p)) || hr_buf_put(&out, s->val, s->len)) {
			hr_buf_free(&out);
			return HR_ENOMEM;
		}
		p = hit + PH_LEN;
		dequeue(f);
		n++;
	}
	if (!n)
		return 0;
	if (hr_buf_put(&out, p, len - (size_t)(p - text))) {
		hr_buf_free(&out);
		return HR_ENOMEM;
	}
	free(ev->data.scalar.value);
	ev->data.scalar.length = out.len;
	ev->data.scalar.value = (yaml_char_t *)hr_buf_detach(&out, NULL);
	return 0;
}

uint64_t hr_yaml_fast_removed(const hr_yaml_fast *f)
{
	return f->removed;
}

size_t hr_yaml_fast_held_peak(const hr_yaml_fast *f)
{
	return f->held_peak;
}
