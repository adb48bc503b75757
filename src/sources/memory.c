/*
 * memory.c — reader for Helm's memory-driver data: a JSON array of release
 * bodies, as HELM_MEMORY_DRIVER_DATA reads it and `helmrec export --driver
 * memory` writes it (formats/helm-memory-driver.md).
 *
 * Each element is one release JSON; its bytes are cut out of the array as
 * found (a small scanner tracks strings, escapes and nesting) and become
 * one record: driver HR_DRIVER_MEMORY, form HR_PAYLOAD_SNIFF (the codec
 * sees the JSON), name and namespace "" (the memory driver has no objects:
 * the caller takes both from the body, as helm's memory driver does).  At
 * most one element is held (capped by max_object); the file is streamed.
 */
#include "sources/reader.h"
#include "util/buf.h"
#include "util/error.h"

#include <stdlib.h>
#include <string.h>

#define DEFAULT_MAX_OBJECT ((size_t)1 << 30)
#define CHUNK 65536

typedef struct memory_state {
	hr_input *in;
	hr_source_stats *stats;
	size_t max_object;
	unsigned char buf[CHUNK];
	size_t pos, len;
	uint64_t base;           /* input offset of buf[0] */
	int started, done;       /* '[' seen; ']' or end seen */
	size_t index;            /* elements returned */
} memory_state;

/* Next byte of the input, or -1 at the end (*rc < 0 on a read error). */
static int get_byte(memory_state *st, int *rc, hr_error *err)
{
	if (st->pos == st->len) {
		long n = hr_input_read(st->in, st->buf, sizeof(st->buf), err);

		st->base += st->len;
		st->pos = st->len = 0;
		if (n < 0)
			*rc = (int)n;
		if (n <= 0)
			return -1;
		st->len = (size_t)n;
	}
	return st->buf[st->pos++];
}

static int is_ws(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int syntax(memory_state *st, hr_error *err, const char *what)
{
	st->done = 1;
	return hr_error_set(err, HR_EFORMAT, "%s: memory-driver data: %s at byte %llu", hr_input_path(st->in), what,
			    (unsigned long long)(st->base + st->pos));
}

/* Cut the element starting with '{' (already read) into b. */
static int read_element(memory_state *st, hr_buf *b, hr_error *err)
{
	int depth = 1, in_str = 0, esc = 0, c, rc = 0;

	if (hr_buf_putc(b, '{'))
		return hr_error_set(err, HR_ENOMEM, "out of memory");
	while (depth > 0) {
		if ((c = get_byte(st, &rc, err)) < 0)
			return rc < 0 ? rc : syntax(st, err, "unterminated release");
		if ((rc = hr_buf_putc(b, (char)c))) {
			st->done = 1;
			return rc == HR_ETOOBIG ? hr_error_set(err, HR_ETOOBIG, "%s: release larger than the limit of"
							       " %zu bytes", hr_input_path(st->in), st->max_object)
						: hr_error_set(err, HR_ENOMEM, "out of memory");
		}
		if (in_str) {
			if (esc)
				esc = 0;
			else if (c == '\\')
				esc = 1;
			else if (c == '"')
				in_str = 0;
		} else if (c == '"') {
			in_str = 1;
		} else if (c == '{' || c == '[') {
			depth++;
		} else if (c == '}' || c == ']') {
			depth--;
		}
	}
	return 0;
}

static int memory_next(void *state, hr_record **out, hr_error *err)
{
	memory_state *st = state;
	const char *path = hr_input_path(st->in);
	hr_buf b = HR_BUF_INIT;
	hr_record *r = NULL;
	hr_buf where = HR_BUF_INIT;
	uint64_t off;
	int c, rc = 0;

	*out = NULL;
	if (st->done)
		return 0;
	/* Skip whitespace, the opening '[' and separating commas up to the next element. */
	for (;;) {
		if ((c = get_byte(st, &rc, err)) < 0) {
			st->done = 1;
			if (rc < 0 || !st->started)
				return rc < 0 ? rc : syntax(st, err, "no array");
			return syntax(st, err, "unterminated array");
		}
		if (is_ws(c) || (c == ',' && st->started && st->index))
			continue;
		if (c == '[' && !st->started) {
			st->started = 1;
			continue;
		}
		if (c == ']' && st->started) {
			st->done = 1;
			return 0;
		}
		if (c == '{' && st->started)
			break;
		return syntax(st, err, "unexpected character");
	}
	off = st->base + st->pos - 1;
	b.max = st->max_object;
	if ((rc = read_element(st, &b, err)))
		goto done;
	st->stats->objects++;
	if (hr_buf_printf(&where, "element %zu", st->index) ||
	    hr_record_new(&r) || hr_record_set_str(&r->name, "") || hr_record_set_str(&r->namespace, "") ||
	    hr_record_set_str(&r->source_path, path) || hr_record_set_str(&r->location, hr_buf_cstr(&where)) ||
	    hr_record_set_payload(r, b.ptr, b.len)) {
		rc = hr_error_set(err, HR_ENOMEM, "%s: out of memory", path);
		goto done;
	}
	st->index++;
	r->driver = HR_DRIVER_MEMORY;
	r->form = HR_PAYLOAD_SNIFF;
	r->offset = off;
	*out = r;
	r = NULL;
	st->stats->records++;
	rc = 1;
done:
	hr_record_free(r);
	hr_buf_free(&b);
	hr_buf_free(&where);
	return rc;
}

int hr_reader_memory_open(hr_reader *r, hr_input *in, const hr_source_opts *o, hr_source_stats *stats, hr_error *err)
{
	memory_state *st = calloc(1, sizeof(*st));

	if (!st)
		return hr_error_set(err, HR_ENOMEM, "%s: out of memory", hr_input_path(in));
	st->in = in;
	st->stats = stats;
	st->max_object = o && o->max_object ? o->max_object : DEFAULT_MAX_OBJECT;
	r->name = "memory";
	r->state = st;
	r->next = memory_next;
	r->close = free;   /* the state owns nothing else */
	return 0;
}
