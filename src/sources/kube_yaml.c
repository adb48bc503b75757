/*
 * kube_yaml.c — stream Kubernetes objects out of kubectl YAML output.
 *
 * kubectl writes three shapes: a `kind: List` whose `items:` sequence holds
 * every object (`get secrets -A -o yaml`), a single object, and several
 * documents separated by `---`.  A List of every Secret in a cluster can be
 * gigabytes, so this reader never loads a document: it pulls libyaml events
 * and builds a json-c tree for one object at a time.  The elements of a
 * top-level `items:` sequence (and of a top-level sequence) are objects of
 * their own and are handed to hr_kube_object_to_record() as soon as each
 * one ends; the List wrapper around them is dropped.  Memory is bounded by
 * the largest object (opts->max_object), including what libyaml buffers
 * for one scalar: the read handler refuses to feed libyaml more than
 * max_object characters past the last event.
 *
 * Plain scalars resolve the YAML 1.1 way kubectl's go-yaml v2 does (null,
 * bools including yes/no/on/off, ints in base 2/8/10/16, floats); quoted and
 * block scalars are strings.  Aliases are refused (an alias bomb must not
 * expand): the object holding one is skipped with HR_ESKIP, as is an object
 * with a complex mapping key; nesting deeper than MAX_DEPTH ends the file.  A libyaml
 * syntax error ends the file (YAML cannot be resynchronised), but every
 * object before it has already been returned; so does a failure of the
 * input under libyaml (a gzip stream cut short, an I/O error, no memory),
 * reported with the YAML line reached and the last complete object.
 */
#include "sources/reader.h"
#include "util/array.h"
#include "sources/yaml_fast.h"
#include "util/error.h"
#include "util/yaml11.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#define MAX_DEPTH 256
#define READ_SLACK 65536
#define FAST_LINE_CAP ((size_t)256 << 20)

enum frame_kind { F_MAP, F_SEQ, F_STREAM };

typedef struct frame {
	enum frame_kind kind;
	struct json_object *node;   /* owned only by root frames; borrowed otherwise */
	char *key;                  /* pending mapping key, or NULL when a key is expected */
	size_t root;                /* index of the object (emit root) this frame belongs to */
	unsigned is_root : 1, is_wrapper : 1, streamed : 1;
	size_t bytes;               /* root frames: scalar bytes so far */
	size_t line;                /* root frames: 1-based line of the object */
	uint64_t offset;            /* root frames: character offset of the object */
} frame;

typedef struct yaml_state {
	hr_reader_base b;           /* first */
	yaml_parser_t parser;
	int parser_ready;
	int done;
	hr_yaml_fast *fast;         /* base64 lines kept out of libyaml, or NULL */
	int cut;                    /* a sign of truncation was reported (counted once in stats->cut) */

	/* read handler */
	uint64_t fed_chars;         /* characters handed to libyaml */
	uint64_t fed_bytes, fed_lines;
	unsigned char last_byte;    /* the last byte handed on */
	uint64_t mark;              /* character index at the end of the last event */
	int read_rc;
	hr_error read_err;
	int bad_rc, utf16;          /* bytes libyaml would refuse, found ahead (read_err says where):
				       their error is handed on by the next read */
	unsigned char u8_carry[4];  /* a UTF-8 sequence cut by the end of the last read */
	size_t u8_ncarry;

	/* builder */
	frame *stack;
	size_t depth, cap;

	/* an object being skipped: count nested starts/ends until it closes */
	size_t skip_depth;
	int skip_silent;
	size_t skip_line;
	hr_error skip_err;

	/* the last complete object, for a truncation report: "line 12 (Secret shop/x)" */
	char last[200];
} yaml_state;

/*
 * Where the first character libyaml would refuse starts in p[0..n) (its
 * decoder's checks: UTF-8 form, surrogates, and its printable set: tab,
 * LF, CR, 0x20-0x7E, U+0085, U+00A0-U+D7FF, U+E000-U+FFFD,
 * U+10000-U+10FFFF), or n when there is none.  *problem names it in
 * libyaml's words.  A sequence cut by the end of p is not judged: *cut
 * gets its length.
 */
static size_t yaml_refused(const unsigned char *p, size_t n, const char **problem, size_t *cut)
{
	size_t i = 0;

	*cut = 0;
	while (i < n) {
		unsigned c = p[i], w, v;

		if (c >= 0x20 && c < 0x7f) {
			i++;
			continue;
		}
		if (c < 0x80) {
			if (c == 0x09 || c == 0x0a || c == 0x0d) {
				i++;
				continue;
			}
			*problem = "control characters are not allowed";
			return i;
		}
		w = (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 : (c & 0xf8) == 0xf0 ? 4 : 0;
		if (!w) {
			*problem = "invalid leading UTF-8 octet";
			return i;
		}
		v = c & (w == 2 ? 0x1f : w == 3 ? 0x0f : 0x07);
		for (unsigned k = 1; k < w; k++) {
			if (i + k >= n) {
				*cut = n - i;
				return n;
			}
			if ((p[i + k] & 0xc0) != 0x80) {
				*problem = "invalid trailing UTF-8 octet";
				return i;
			}
			v = v << 6 | (p[i + k] & 0x3f);
		}
		if ((w == 2 && v < 0x80) || (w == 3 && v < 0x800) || (w == 4 && v < 0x10000)) {
			*problem = "invalid length of a UTF-8 sequence";
			return i;
		}
		if ((v >= 0xd800 && v <= 0xdfff) || v > 0x10ffff) {
			*problem = "invalid Unicode character";
			return i;
		}
		if (!(v == 0x85 || (v >= 0xa0 && v <= 0xd7ff) || (v >= 0xe000 && v <= 0xfffd) || v >= 0x10000)) {
			*problem = "control characters are not allowed";
			return i;
		}
		i += w;
	}
	return n;
}

/*
 * libyaml decodes its whole input buffer (up to 16 KiB) before it parses
 * any of it, so a byte it refuses anywhere in the buffer failed every
 * document before it in that buffer, and where the buffer boundaries fall
 * (which the fast path changes) decided which documents came out.  The
 * handler finds such a byte itself and hands libyaml only the text before
 * it; the error follows when libyaml asks for more, so the documents
 * before the byte are read whatever the buffering.  (A UTF-16 stream,
 * which libyaml recognises by its BOM, is left to libyaml.)
 */
static size_t guard_text(yaml_state *st, unsigned char *buf, size_t n)
{
	const char *problem = NULL;
	size_t cut, k, from = 0;

	if (st->fed_bytes == 0 && n >= 2 && ((buf[0] == 0xff && buf[1] == 0xfe) || (buf[0] == 0xfe && buf[1] == 0xff)))
		st->utf16 = 1;
	if (st->utf16 || !n)
		return n;
	if (st->u8_ncarry) {
		/* the sequence the last read cut (already handed on): its width is known from its lead */
		unsigned char seq[4];
		unsigned lead = st->u8_carry[0];
		size_t w = (lead & 0xe0) == 0xc0 ? 2 : (lead & 0xf0) == 0xe0 ? 3 : 4, need = w - st->u8_ncarry;

		for (k = 0; k < need && k < n; k++)
			if ((buf[k] & 0xc0) != 0x80) {
				problem = "invalid trailing UTF-8 octet";
				n = 0;
				goto refused;
			}
		if (n < need) {
			memcpy(st->u8_carry + st->u8_ncarry, buf, n);
			st->u8_ncarry += n;
			return n;
		}
		memcpy(seq, st->u8_carry, st->u8_ncarry);
		memcpy(seq + st->u8_ncarry, buf, need);
		st->u8_ncarry = 0;
		if (yaml_refused(seq, w, &problem, &cut) == 0) {
			n = 0;
			goto refused;
		}
		from = need;
	}
	k = from + yaml_refused(buf + from, n - from, &problem, &cut);
	if (k == n) {
		memcpy(st->u8_carry, buf + n - cut, cut);
		st->u8_ncarry = cut;
		return n;
	}
	n = k;
refused:
	{
		uint64_t line = st->fed_lines + 1;

		for (size_t i = 0; i < n; i++)
			line += buf[i] == '\n';
		st->bad_rc = hr_error_set(&st->read_err, HR_EFORMAT, "%s: line %llu: YAML error: %s", st->b.path,
					  (unsigned long long)line, problem);
	}
	return n;
}

static int yaml_read(void *data, unsigned char *buf, size_t size, size_t *size_read)
{
	yaml_state *st = data;
	long n;

	*size_read = 0;
	if (st->bad_rc) {
		st->read_rc = st->bad_rc;
		return 0;
	}
	if (st->fed_chars - st->mark > st->b.max_object + READ_SLACK) {
		st->read_rc = hr_error_set(&st->read_err, HR_ETOOBIG,
					   "%s: line %zu: object larger than the limit of %zu bytes", st->b.path,
					   st->parser.mark.line + 1, st->b.max_object);
		return 0;
	}
	n = st->fast ? hr_yaml_fast_read(st->fast, buf, size, &st->read_err)
		     : hr_input_read(st->b.in, buf, size, &st->read_err);
	if (n < 0) {
		st->read_rc = (int)n;
		return 0;
	}
	n = (long)guard_text(st, buf, (size_t)n);
	if (n == 0 && st->bad_rc) {
		st->read_rc = st->bad_rc;
		return 0;
	}
	for (long i = 0; i < n; i++) {
		st->fed_chars += (buf[i] & 0xc0) != 0x80;
		st->fed_lines += buf[i] == '\n';
	}
	st->fed_bytes += (uint64_t)n;
	if (n > 0)
		st->last_byte = buf[n - 1];
	*size_read = (size_t)n;
	return 1;
}

/* ---- scalars ---------------------------------------------------------- */

/* Strict JSON number syntax, so a double keeps its YAML text only when that is valid JSON. */
static int is_json_number(const char *s)
{
	if (*s == '-')
		s++;
	if (*s == '0')
		s++;
	else if (*s >= '1' && *s <= '9')
		while (*s >= '0' && *s <= '9')
			s++;
	else
		return 0;
	if (*s == '.') {
		s++;
		if (!(*s >= '0' && *s <= '9'))
			return 0;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '+' || *s == '-')
			s++;
		if (!(*s >= '0' && *s <= '9'))
			return 0;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	return !*s;
}

/* The json-c value of a scalar event; NULL json (a valid result) is returned for YAML null. */
static int scalar_value(const yaml_event_t *ev, struct json_object **out)
{
	const char *text = (const char *)ev->data.scalar.value;
	size_t len = ev->data.scalar.length;
	const char *tag = (const char *)ev->data.scalar.tag;
	int plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
	hr_yaml11_value r;

	*out = NULL;
	if (tag && strcmp(tag, "!")) {
		if (!strcmp(tag, YAML_NULL_TAG))
			return 0;
		if (!strcmp(tag, YAML_BOOL_TAG) && len < 1024 && !hr_yaml11_resolve(text, len, &r) &&
		    r.kind == HR_YAML11_BOOL)
			return (*out = json_object_new_boolean(r.b)) ? 0 : HR_ENOMEM;
		if (!strcmp(tag, YAML_INT_TAG) || !strcmp(tag, YAML_FLOAT_TAG))
			plain = 1;  /* resolve like a plain scalar below */
		else
			plain = 0;  /* !!str, !!binary, unknown tags: keep the text */
	} else if (tag) {
		plain = 0;          /* "!" forces a string */
	}
	/* go-yaml v2's resolve (util/yaml11); only short scalars are tried */
	if (plain && len < 1024) {
		if (hr_yaml11_resolve(text, len, &r))
			return HR_ENOMEM;
		switch (r.kind) {
		case HR_YAML11_NULL:
			return 0;
		case HR_YAML11_BOOL:
			*out = json_object_new_boolean(r.b);
			break;
		case HR_YAML11_INT:
			*out = json_object_new_int64(r.i);
			break;
		case HR_YAML11_UINT:
			*out = json_object_new_uint64(r.u);
			break;
		case HR_YAML11_FLOAT:
			*out = is_json_number(text) ? json_object_new_double_s(r.f, text) : json_object_new_double(r.f);
			break;
		default:   /* strings, and timestamps kept as their text */
			break;
		}
		if (r.kind != HR_YAML11_STR && r.kind != HR_YAML11_TIMESTAMP)
			return *out ? 0 : HR_ENOMEM;
	}
	*out = json_object_new_string_len(text, (int)len);
	return *out ? 0 : HR_ENOMEM;
}

/* ---- builder ---------------------------------------------------------- */

static int push(yaml_state *st, const frame *f)
{
	if (HR_ARRAY_GROW(st->stack, st->depth + 1, st->cap))
		return HR_ENOMEM;
	st->stack[st->depth++] = *f;
	return 0;
}

/* Pop one frame, freeing what it owns (a root's node). */
static void drop_top(yaml_state *st)
{
	frame *f = &st->stack[--st->depth];

	free(f->key);
	if (f->is_root)
		json_object_put(f->node);
}

/*
 * The object rooted at `root` is bad: drop it and everything above it, and
 * skip events until its end, then report `err`.
 */
static void start_skip(yaml_state *st, size_t root, size_t line)
{
	size_t open = 0;

	while (st->depth > root) {
		drop_top(st);
		open++;
	}
	st->skip_depth = open;
	st->skip_silent = 0;
	st->skip_line = line;
}

static int attach(frame *top, struct json_object *v)
{
	int rc;

	if (top->kind == F_SEQ)
		return json_object_array_add(top->node, v) ? (json_object_put(v), HR_ENOMEM) : 0;
	rc = json_object_object_add(top->node, top->key, v);
	free(top->key);
	top->key = NULL;
	if (rc) {
		json_object_put(v);
		return HR_ENOMEM;
	}
	return 0;
}

static const char *str_at(struct json_object *o, const char *k1, const char *k2)
{
	struct json_object *v = NULL;

	if (!json_object_object_get_ex(o, k1, &v) || (k2 && !json_object_object_get_ex(v, k2, &v)) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

/*
 * The shape a cut dump leaves: kubectl writes `data` before `kind` and
 * `metadata`, and `type` last, after the name (which follows the labels
 * and annotations), so the object the file ends in holds `data.release`
 * and lacks its kind or metadata, or its name and type.  (A whole object
 * without a name but with its type is refused as such by the recogniser.)
 */
static int looks_truncated(struct json_object *obj)
{
	struct json_object *data = NULL, *meta = NULL;

	if (!json_object_object_get_ex(obj, "data", &data) || !json_object_is_type(data, json_type_object) ||
	    !json_object_object_get_ex(data, "release", NULL))
		return 0;
	if (!json_object_object_get_ex(obj, "kind", NULL) || !json_object_object_get_ex(obj, "metadata", &meta))
		return 1;
	if (!json_object_is_type(meta, json_type_object))
		return 1;  /* `metadata:` with nothing after it */
	return !json_object_object_get_ex(meta, "name", NULL) && !json_object_object_get_ex(obj, "type", NULL);
}

static const char *last_complete(const yaml_state *st)
{
	return st->last[0] ? st->last : "none (the file ends inside its first object)";
}

/* The dump looks truncated: its records are kept, the input stays incomplete (read again next time). */
static void mark_cut(yaml_state *st)
{
	st->b.stats->cut += !st->cut;
	st->cut = 1;
}

/* Hand a finished object to the record recogniser. Returns like next(). */
static int emit(yaml_state *st, struct json_object *obj, size_t line, uint64_t offset,
		hr_record **out, hr_error *err)
{
	const char *kind = str_at(obj, "kind", NULL), *ns = str_at(obj, "metadata", "namespace");
	const char *name = str_at(obj, "metadata", "name");
	char where[48];
	int rc;

	snprintf(where, sizeof(where), "line %zu", line);
	if (looks_truncated(obj)) {
		st->b.stats->objects++;
		rc = hr_error_set(err, HR_ESKIP, "%s: line %zu: object with data.release but no kind, metadata or name: "
				  "the dump looks truncated; last complete object: %s", st->b.path, line, last_complete(st));
		json_object_put(obj);
		st->b.stats->errors++;
		mark_cut(st);
		return rc;
	}
	snprintf(st->last, sizeof(st->last), "line %zu (%s %s%s%s)", line, kind ? kind : "object", ns ? ns : "",
		 ns ? "/" : "", name ? name : "?");
	return hr_reader_emit_object(&st->b, out, obj, where, offset, err);
}

static int begin_object(yaml_state *st, enum frame_kind kind, int wrapper, const yaml_event_t *ev,
			struct json_object *node)
{
	frame f = { 0 };

	f.kind = kind;
	f.node = node;
	f.root = st->depth;
	f.is_root = 1;
	f.is_wrapper = wrapper;
	f.line = ev->start_mark.line + 1;
	f.offset = ev->start_mark.index;
	if (push(st, &f)) {
		json_object_put(node);
		return HR_ENOMEM;
	}
	return 0;
}

/*
 * libyaml's scanner slows down with the square of the flow nesting depth,
 * so nesting beyond MAX_DEPTH (no Kubernetes object comes near) ends the
 * file instead of being skipped.
 */
static int too_deep(yaml_state *st, const yaml_event_t *ev, hr_error *err)
{
	return hr_error_set(err, HR_EFORMAT, "%s: line %zu: YAML nested deeper than %d levels; not reading further",
			    st->b.path, ev->start_mark.line + 1, MAX_DEPTH);
}

/*
 * Process one event.  Returns 0 to go on, 1 with *out set, HR_ESKIP for a
 * bad object, or a fatal negative code.
 */
static int on_event(yaml_state *st, const yaml_event_t *ev, hr_record **out, hr_error *err)
{
	frame *top = st->depth ? &st->stack[st->depth - 1] : NULL;
	struct json_object *node;
	int start = ev->type == YAML_MAPPING_START_EVENT || ev->type == YAML_SEQUENCE_START_EVENT;
	int end = ev->type == YAML_MAPPING_END_EVENT || ev->type == YAML_SEQUENCE_END_EVENT;
	int rc;

	if (st->skip_depth) {
		if (start && st->depth + ++st->skip_depth > MAX_DEPTH)
			return too_deep(st, ev, err);
		else if (end && --st->skip_depth == 0 && !st->skip_silent) {
			st->b.stats->objects++;
			st->b.stats->errors++;
			if (err)
				*err = st->skip_err;
			return HR_ESKIP;
		}
		return 0;
	}
	switch (ev->type) {
	case YAML_MAPPING_START_EVENT:
	case YAML_SEQUENCE_START_EVENT:
		if (!top) {
			if (ev->type == YAML_SEQUENCE_START_EVENT) {
				frame f = { .kind = F_STREAM, .root = 0 };
				return push(st, &f) ? hr_error_set(err, HR_ENOMEM, "%s: out of memory", st->b.path) : 0;
			}
			if (!(node = json_object_new_object()))
				return hr_error_set(err, HR_ENOMEM, "%s: out of memory", st->b.path);
			if (begin_object(st, F_MAP, 1, ev, node))
				return hr_error_set(err, HR_ENOMEM, "%s: out of memory", st->b.path);
			return 0;
		}
		if (top->kind == F_STREAM) {
			if (ev->type == YAML_SEQUENCE_START_EVENT) {
				st->skip_depth = 1;  /* not an object: pass over it quietly */
				st->skip_silent = 1;
				return 0;
			}
			if (!(node = json_object_new_object()))
				return hr_error_set(err, HR_ENOMEM, "%s: out of memory", st->b.path);
			if (begin_object(st, F_MAP, 0, ev, node))
				return hr_error_set(err, HR_ENOMEM, "%s: out of memory", st->b.path);
			return 0;
		}
		if (top->kind == F_MAP && !top->key) {
			frame *root = &st->stack[top->root];

			hr_error_set(&st->skip_err, HR_ESKIP, "%s: line %zu: object at line %zu has a complex mapping key",
				     st->b.path, ev->start_mark.line + 1, root->line);
			start_skip(st, top->root, root->line);
			st->skip_depth++;
			return 0;
		}
		if (top->is_wrapper && top->kind == F_MAP && ev->type == YAML_SEQUENCE_START_EVENT &&
		    !strcmp(top->key, "items")) {
			frame f = { .kind = F_STREAM, .root = top->root };

			free(top->key);
			top->key = NULL;
			top->streamed = 1;
			return push(st, &f) ? hr_error_set(err, HR_ENOMEM, "%s: out of memory", st->b.path) : 0;
		}
		if (st->depth >= MAX_DEPTH)
			return too_deep(st, ev, err);
		node = ev->type == YAML_MAPPING_START_EVENT ? json_object_new_object() : json_object_new_array();
		if (!node || attach(top, node))
			return hr_error_set(err, HR_ENOMEM, "%s: out of memory", st->b.path);
		{
			frame f = { .kind = ev->type == YAML_MAPPING_START_EVENT ? F_MAP : F_SEQ,
				    .node = node, .root = top->root };
			if (push(st, &f))
				return hr_error_set(err, HR_ENOMEM, "%s: out of memory", st->b.path);
		}
		return 0;

	case YAML_MAPPING_END_EVENT:
	case YAML_SEQUENCE_END_EVENT: {
		frame f;

		if (!top)
			return 0;
		f = *top;
		st->depth--;
		free(f.key);
		if (!f.is_root)
			return 0;
		if (f.is_wrapper && f.streamed) {
			/* kubectl closes a List with `kind: List` after its items: without it, the file was cut */
			int cut = !json_object_object_get_ex(f.node, "kind", NULL);

			json_object_put(f.node);
			if (cut) {
				st->b.stats->errors++;
				mark_cut(st);
				return hr_error_set(err, HR_ESKIP, "%s: the List ends without its closing \"kind: List\": "
						    "the dump looks truncated; last complete object: %s", st->b.path,
						    last_complete(st));
			}
			return 0;
		}
		return emit(st, f.node, f.line, f.offset, out, err);
	}

	case YAML_SCALAR_EVENT: {
		frame *root;
		struct json_object *v;

		if (!top || top->kind == F_STREAM)
			return 0;  /* a bare scalar document or list element: not an object */
		root = &st->stack[top->root];
		if (ev->data.scalar.length > st->b.max_object - root->bytes) {
			hr_error_set(&st->skip_err, HR_ESKIP, "%s: line %zu: object larger than the limit of %zu bytes",
				     st->b.path, root->line, st->b.max_object);
			start_skip(st, top->root, root->line);
			return 0;
		}
		root->bytes += ev->data.scalar.length;
		if (top->kind == F_MAP && !top->key) {
			top->key = strndup((const char *)ev->data.scalar.value, ev->data.scalar.length);
			return top->key ? 0 : hr_error_set(err, HR_ENOMEM, "%s: out of memory", st->b.path);
		}
		rc = scalar_value(ev, &v);
		if (rc || attach(top, v))
			return hr_error_set(err, HR_ENOMEM, "%s: out of memory", st->b.path);
		return 0;
	}

	case YAML_ALIAS_EVENT: {
		frame *root;

		if (!top || top->kind == F_STREAM)
			return 0;
		root = &st->stack[top->root];
		hr_error_set(&st->skip_err, HR_ESKIP, "%s: line %zu: object at line %zu uses YAML alias *%s (aliases are not supported)",
			     st->b.path, ev->start_mark.line + 1, root->line, (const char *)ev->data.alias.anchor);
		start_skip(st, top->root, root->line);
		return 0;
	}

	default:
		return 0;
	}
}

static int yaml_next(void *state, hr_record **out, hr_error *err)
{
	yaml_state *st = state;
	yaml_event_t ev;
	int rc;

	*out = NULL;
	while (!st->done) {
		if (!yaml_parser_parse(&st->parser, &ev)) {
			st->done = 1;
			if (st->read_rc)
				/* the input failed under libyaml: say how far the YAML got */
				return hr_error_set(err, st->read_rc, "%s (reading YAML line %zu; last complete object: %s)",
						    st->read_err.msg, st->parser.mark.line + 1, last_complete(st));
			if (st->parser.context)
				return hr_error_set(err, HR_EFORMAT, "%s: line %zu: YAML error: %s %s (line %zu)",
						    st->b.path, st->parser.problem_mark.line + 1,
						    st->parser.problem ? st->parser.problem : "syntax error",
						    st->parser.context, st->parser.context_mark.line + 1);
			return hr_error_set(err, HR_EFORMAT, "%s: line %zu: YAML error: %s", st->b.path,
					    st->parser.problem_mark.line + 1,
					    st->parser.problem ? st->parser.problem : "syntax error");
		}
		st->mark = ev.end_mark.index;
		if (st->fast) {
			if (hr_yaml_fast_restore(st->fast, &ev)) {
				yaml_event_delete(&ev);
				st->done = 1;
				return hr_error_set(err, HR_ENOMEM, "%s: out of memory", st->b.path);
			}
			ev.start_mark.index += hr_yaml_fast_removed(st->fast);
		}
		if (ev.type == YAML_STREAM_END_EVENT)
			st->done = 1;
		rc = on_event(st, &ev, out, err);
		yaml_event_delete(&ev);
		if (!rc && st->done && !st->cut && st->fed_bytes && st->last_byte != '\n' && !st->utf16) {
			/* kubectl ends its output with a newline: a file that stops inside a line was cut */
			st->b.stats->errors++;
			mark_cut(st);
			return hr_error_set(err, HR_ESKIP, "%s: line %llu: the file ends inside a line (no final newline): "
					    "the dump looks truncated; the last object, %s, may be cut short", st->b.path,
					    (unsigned long long)st->fed_lines + 1, last_complete(st));
		}
		if (rc) {
			if (rc < 0 && rc != HR_ESKIP)
				st->done = 1;
			return rc;
		}
	}
	return 0;
}

static void yaml_close(void *state)
{
	yaml_state *st = state;

	if (!st)
		return;
	while (st->depth)
		drop_top(st);
	free(st->stack);
	if (st->parser_ready)
		yaml_parser_delete(&st->parser);
	hr_yaml_fast_free(st->fast);
	free(st);
}

/* The input starts with a UTF-16 byte order mark (libyaml then decodes UTF-16). */
static int utf16_bom(hr_input *in)
{
	unsigned char h[2];
	hr_error e = HR_ERROR_INIT;

	return hr_input_peek(in, h, 2, &e) == 2 && ((h[0] == 0xff && h[1] == 0xfe) || (h[0] == 0xfe && h[1] == 0xff));
}

int hr_reader_yaml_open(hr_reader *r, hr_input *in, const hr_source_opts *o, hr_source_stats *stats, hr_error *err)
{
	yaml_state *st;
	int rc;

	if ((rc = hr_reader_base_new((void **)&st, sizeof(*st), in, o, stats, err)) < 0)
		return rc;
	if (!yaml_parser_initialize(&st->parser)) {
		free(st);
		return hr_error_set(err, HR_ENOMEM, "%s: cannot start the YAML parser", hr_input_path(in));
	}
	st->parser_ready = 1;
	/* the fast path filters UTF-8 lines: a UTF-16 stream (by its BOM) goes to libyaml whole */
	if (!getenv("HELMREC_YAML_SLOW") && !utf16_bom(in) &&
	    hr_yaml_fast_new(&st->fast, in, st->b.max_object < FAST_LINE_CAP ? st->b.max_object : FAST_LINE_CAP)) {
		yaml_close(st);
		return hr_error_set(err, HR_ENOMEM, "%s: out of memory", hr_input_path(in));
	}
	yaml_parser_set_input(&st->parser, yaml_read, st);
	*r = (hr_reader){ "yaml", st, yaml_next, yaml_close };
	return 0;
}
