/*
 * kube_json.c — stream Kubernetes objects out of kubectl JSON output.
 *
 * `kubectl get secrets -A -o json` prints one List object whose "items"
 * array holds every Secret; on a big cluster that is gigabytes on one
 * document.  This reader walks the outermost structure itself with a tiny
 * scanner (braces, brackets, commas, colons, key strings) and hands every
 * *value* to json-c's incremental tokener, so at most one value is held:
 *
 *   - a top-level object is read key by key; when a key is "items" and its
 *     value is an array, each element is parsed and handed on as an object
 *     of its own, and the wrapper (the List) is dropped at its end; any
 *     other top-level object (a single Secret) is handed on whole;
 *   - a top-level array is treated like "items";
 *   - several top-level values may follow one another (concatenated JSON).
 *
 * Values larger than opts->max_object stop the file with HR_ETOOBIG; a
 * syntax error stops it with HR_EFORMAT naming the byte offset.  Objects
 * already returned stay returned.
 */
#include "sources/reader.h"
#include "util/buf.h"
#include "util/error.h"

#include <stdlib.h>
#include <string.h>

#define CHUNK 65536
#define MAX_DEPTH 256
#define MAX_KEY 65536

enum jstate {
	J_TOP,          /* between top-level values */
	J_WKEY,         /* in the wrapper: a key or '}' */
	J_WKEY_NEXT,    /* in the wrapper after ',': a key */
	J_WSEP,         /* in the wrapper after a value: ',' or '}' */
	J_ITEM_FIRST,   /* in a streamed array: an element or ']' */
	J_ITEM,         /* in a streamed array after ',': an element */
	J_ITEM_SEP,     /* in a streamed array after an element: ',' or ']' */
	J_DONE
};

typedef struct json_state {
	hr_reader_base b;            /* first */
	unsigned char buf[CHUNK];
	size_t pos, len;
	int eof;
	uint64_t base;               /* input offset of buf[0] */
	json_tokener *tok;
	enum jstate state;
	int in_wrapper;              /* the streamed array lives inside the wrapper */
	struct json_object *wrapper; /* top-level object being read key by key */
	uint64_t wrapper_off;
	size_t wrapper_bytes;
	int streamed;
	hr_buf key;
} json_state;

static uint64_t here(const json_state *st)
{
	return st->base + st->pos;
}

/* Make sure buf has unread bytes; returns 1 if so, 0 at EOF, or a negative code. */
static int fill(json_state *st, hr_error *err)
{
	long n;

	if (st->pos < st->len)
		return 1;
	if (st->eof)
		return 0;
	st->base += st->len;
	st->pos = st->len = 0;
	n = hr_input_read(st->b.in, st->buf, sizeof(st->buf), err);
	if (n < 0)
		return (int)n;
	if (n == 0) {
		st->eof = 1;
		return 0;
	}
	st->len = (size_t)n;
	return 1;
}

/* Skip whitespace and return the next byte without consuming it (-1 at EOF, or a negative code - 1). */
static int peek_nonws(json_state *st, int *c, hr_error *err)
{
	int rc;

	for (;;) {
		rc = fill(st, err);
		if (rc < 0)
			return rc;
		if (rc == 0) {
			*c = -1;
			return 0;
		}
		while (st->pos < st->len) {
			unsigned char b = st->buf[st->pos];

			if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
				*c = b;
				return 0;
			}
			st->pos++;
		}
	}
}

static int syntax(json_state *st, hr_error *err, const char *what)
{
	st->state = J_DONE;
	return hr_error_set(err, HR_EFORMAT, "%s: offset %llu: JSON error: %s", st->b.path,
			    (unsigned long long)here(st), what);
}

/* Parse one JSON value at the current position with the incremental tokener. */
static int parse_value(json_state *st, struct json_object **out, size_t *size_out, hr_error *err)
{
	uint64_t start = here(st);
	size_t total = 0;
	enum json_tokener_error jerr;
	struct json_object *v;
	int rc;

	*out = NULL;
	json_tokener_reset(st->tok);
	for (;;) {
		rc = fill(st, err);
		if (rc < 0)
			return rc;
		if (rc == 0) {
			st->state = J_DONE;
			return hr_error_set(err, HR_EFORMAT,
					    "%s: offset %llu: JSON error: input ends inside the value that starts at offset %llu",
					    st->b.path, (unsigned long long)here(st), (unsigned long long)start);
		}
		v = json_tokener_parse_ex(st->tok, (const char *)st->buf + st->pos, (int)(st->len - st->pos));
		jerr = json_tokener_get_error(st->tok);
		size_t used = json_tokener_get_parse_end(st->tok);
		st->pos += used;
		total += used;
		if (jerr == json_tokener_success) {
			*out = v;
			*size_out = total;
			return 0;
		}
		if (jerr != json_tokener_continue) {
			st->state = J_DONE;
			return hr_error_set(err, HR_EFORMAT, "%s: offset %llu: JSON error: %s (in the value at offset %llu)",
					    st->b.path, (unsigned long long)here(st), json_tokener_error_desc(jerr),
					    (unsigned long long)start);
		}
		if (total > st->b.max_object) {
			st->state = J_DONE;
			return hr_error_set(err, HR_ETOOBIG, "%s: offset %llu: object larger than the limit of %zu bytes",
					    st->b.path, (unsigned long long)start, st->b.max_object);
		}
	}
}

/* Read a key string (raw, with its quotes) and decode it into st->key. */
static int read_key(json_state *st, hr_error *err)
{
	int esc = 0, rc;
	struct json_object *s;

	hr_buf_clear(&st->key);
	st->key.max = MAX_KEY;
	if (hr_buf_putc(&st->key, '"'))
		return hr_error_set(err, HR_ENOMEM, "%s: out of memory", st->b.path);
	st->pos++;
	for (;;) {
		rc = fill(st, err);
		if (rc < 0)
			return rc;
		if (rc == 0)
			return syntax(st, err, "input ends inside a key");
		unsigned char c = st->buf[st->pos++];
		if (hr_buf_putc(&st->key, (char)c))
			return syntax(st, err, "key too long");
		if (esc)
			esc = 0;
		else if (c == '\\')
			esc = 1;
		else if (c == '"')
			break;
	}
	s = json_tokener_parse(st->key.ptr);
	if (!s || !json_object_is_type(s, json_type_string)) {
		json_object_put(s);
		return syntax(st, err, "bad key string");
	}
	hr_buf_clear(&st->key);
	rc = hr_buf_put(&st->key, json_object_get_string(s), (size_t)json_object_get_string_len(s));
	json_object_put(s);
	return rc ? hr_error_set(err, HR_ENOMEM, "%s: out of memory", st->b.path) : 0;
}

static int emit(json_state *st, struct json_object *obj, uint64_t off, hr_record **out, hr_error *err)
{
	char where[48];

	snprintf(where, sizeof(where), "offset %llu", (unsigned long long)off);
	return hr_reader_emit_object(&st->b, out, obj, where, off, err);
}

static int end_wrapper(json_state *st, hr_record **out, hr_error *err)
{
	struct json_object *w = st->wrapper;

	st->wrapper = NULL;
	st->state = J_TOP;
	if (st->streamed) {
		json_object_put(w);
		return 0;
	}
	return emit(st, w, st->wrapper_off, out, err);
}

/* One step of the outer scanner: 0 = go on, 1 = record, or a negative code. */
static int step(json_state *st, hr_record **out, hr_error *err)
{
	struct json_object *v;
	size_t vsize;
	uint64_t off;
	int c, rc;

	rc = peek_nonws(st, &c, err);
	if (rc < 0) {
		st->state = J_DONE;
		return rc;
	}
	switch (st->state) {
	case J_TOP:
		if (c < 0) {
			st->state = J_DONE;
			return 0;
		}
		if (c == '{') {
			st->pos++;
			st->wrapper = json_object_new_object();
			if (!st->wrapper)
				return hr_error_set(err, HR_ENOMEM, "%s: out of memory", st->b.path);
			st->wrapper_off = here(st) - 1;
			st->wrapper_bytes = 0;
			st->streamed = 0;
			st->state = J_WKEY;
			return 0;
		}
		if (c == '[') {
			st->pos++;
			st->in_wrapper = 0;
			st->state = J_ITEM_FIRST;
			return 0;
		}
		return syntax(st, err, "expected '{' or '[' at the top level");
	case J_WKEY:
	case J_WKEY_NEXT:
		if (c == '}' && st->state == J_WKEY) {
			st->pos++;
			return end_wrapper(st, out, err);
		}
		if (c != '"')
			return syntax(st, err, c < 0 ? "input ends inside an object" : "expected a key");
		if ((rc = read_key(st, err)) < 0)
			return rc;
		if ((rc = peek_nonws(st, &c, err)) < 0)
			return rc;
		if (c != ':')
			return syntax(st, err, "expected ':'");
		st->pos++;
		if ((rc = peek_nonws(st, &c, err)) < 0)
			return rc;
		if (c == '[' && !strcmp(st->key.ptr, "items")) {
			st->pos++;
			st->streamed = 1;
			st->in_wrapper = 1;
			st->state = J_ITEM_FIRST;
			return 0;
		}
		if ((rc = parse_value(st, &v, &vsize, err)) < 0)
			return rc;
		if (vsize > st->b.max_object - st->wrapper_bytes) {
			json_object_put(v);
			st->state = J_DONE;
			return hr_error_set(err, HR_ETOOBIG, "%s: offset %llu: object larger than the limit of %zu bytes",
					    st->b.path, (unsigned long long)st->wrapper_off, st->b.max_object);
		}
		st->wrapper_bytes += vsize;
		if (json_object_object_add(st->wrapper, st->key.ptr, v)) {
			json_object_put(v);
			return hr_error_set(err, HR_ENOMEM, "%s: out of memory", st->b.path);
		}
		st->state = J_WSEP;
		return 0;
	case J_WSEP:
		if (c == ',') {
			st->pos++;
			st->state = J_WKEY_NEXT;
			return 0;
		}
		if (c == '}') {
			st->pos++;
			return end_wrapper(st, out, err);
		}
		return syntax(st, err, c < 0 ? "input ends inside an object" : "expected ',' or '}'");
	case J_ITEM_FIRST:
	case J_ITEM:
		if (c == ']' && st->state == J_ITEM_FIRST)
			goto end_array;
		if (c < 0)
			return syntax(st, err, "input ends inside an array");
		off = here(st);
		if ((rc = parse_value(st, &v, &vsize, err)) < 0)
			return rc;
		st->state = J_ITEM_SEP;
		if (!v || !json_object_is_type(v, json_type_object)) {
			json_object_put(v);  /* not an object: nothing to read */
			return 0;
		}
		return emit(st, v, off, out, err);
	case J_ITEM_SEP:
		if (c == ',') {
			st->pos++;
			st->state = J_ITEM;
			return 0;
		}
		if (c == ']')
			goto end_array;
		return syntax(st, err, c < 0 ? "input ends inside an array" : "expected ',' or ']'");
	case J_DONE:
		return 0;
	}
	return 0;
end_array:
	st->pos++;
	st->state = st->in_wrapper ? J_WSEP : J_TOP;
	return 0;
}

static int json_next(void *state, hr_record **out, hr_error *err)
{
	json_state *st = state;
	int rc;

	*out = NULL;
	while (st->state != J_DONE) {
		rc = step(st, out, err);
		if (rc < 0 && rc != HR_ESKIP)
			st->state = J_DONE;
		if (rc)
			return rc;
	}
	return 0;
}

static void json_close(void *state)
{
	json_state *st = state;

	if (!st)
		return;
	json_object_put(st->wrapper);
	if (st->tok)
		json_tokener_free(st->tok);
	hr_buf_free(&st->key);
	free(st);
}

int hr_reader_json_open(hr_reader *r, hr_input *in, const hr_source_opts *o, hr_source_stats *stats, hr_error *err)
{
	json_state *st;
	int rc;

	if ((rc = hr_reader_base_new((void **)&st, sizeof(*st), in, o, stats, err)) < 0)
		return rc;
	st->tok = json_tokener_new_ex(MAX_DEPTH);
	if (!st->tok) {
		free(st);
		return hr_error_set(err, HR_ENOMEM, "%s: out of memory", hr_input_path(in));
	}
	json_tokener_set_flags(st->tok, JSON_TOKENER_STRICT | JSON_TOKENER_ALLOW_TRAILING_CHARS);
	*r = (hr_reader){ "json", st, json_next, json_close };
	return 0;
}
