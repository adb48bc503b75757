/*
 * yaml.c — Helm's YAML output (sigs.k8s.io/yaml.Marshal) for json-c trees.
 *
 * Helm marshals a Go value to JSON, reads the JSON back with go-yaml v2 and
 * prints it with go-yaml v2's emitter (a Go port of libyaml's).  This file
 * reproduces the three stages without building Go values:
 *
 *  1. what the JSON round trip does to scalars: numbers become the int or
 *     float go-yaml resolves from encoding/json's text; strings get invalid
 *     UTF-8 replaced, raw NEL characters folded by the YAML scanner, and
 *     characters the YAML reader rejects turn into an error;
 *  2. go-yaml's encoder choices: map keys in its sorter's order, the scalar
 *     style it asks for (plain if the text resolves back to a string, a
 *     literal block if it holds "\n", else double-quoted);
 *  3. the emitter's state machine, reduced to the block-style subset this
 *     input can produce (flow style only for {} and []), with its column
 *     bookkeeping so that line folding at best_width 80 and the choice
 *     between plain, single-quoted, double-quoted and literal scalars come
 *     out byte for byte.
 *
 * Stage 1 and the resolve() question of stage 2 live in yaml_scalar.c.
 *
 * Upstream references: go-yaml v2.4 encode.go (stringv), sorter.go
 * (keyList.Less), emitterc.go (analyze_scalar, select_scalar_style, the
 * write_* functions).
 */
#include "render/yaml.h"
#include "render/yaml_int.h"
#include "util/goutf8.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define BEST_WIDTH 80
#define BEST_INDENT 2
#define SIMPLE_KEY_MAX 128

/* ---- key order (sorter.go keyList.Less for string keys) ----------------- */

typedef struct ykey {
	const char *key;          /* original json-c key */
	struct json_object *val;
	char *text;               /* round-tripped key text */
	size_t len;
	uint32_t *runes;
	size_t nrunes;
} ykey;

static int key_less(const ykey *a, const ykey *b)
{
	const uint32_t *ar = a->runes, *br = b->runes;
	size_t i, ai, bi;

	for (i = 0; i < a->nrunes && i < b->nrunes; i++) {
		int al, bl;
		uint64_t an = 0, bn = 0;

		if (ar[i] == br[i])
			continue;
		al = hr_yaml__is_letter(ar[i]);
		bl = hr_yaml__is_letter(br[i]);
		if (al && bl)
			return ar[i] < br[i];
		if (al || bl)
			return bl;
		if (ar[i] == '0' || br[i] == '0') {
			size_t j;

			for (j = i; j-- > 0 && hr_yaml__is_digit(ar[j]);) {
				if (ar[j] != '0') {
					an = bn = 1;
					break;
				}
			}
		}
		for (ai = i; ai < a->nrunes && hr_yaml__is_digit(ar[ai]); ai++)
			an = an * 10 + (uint64_t)((int64_t)ar[ai] - '0');
		for (bi = i; bi < b->nrunes && hr_yaml__is_digit(br[bi]); bi++)
			bn = bn * 10 + (uint64_t)((int64_t)br[bi] - '0');
		if (an != bn)
			return (int64_t)an < (int64_t)bn;
		if (ai != bi)
			return ai < bi;
		return ar[i] < br[i];
	}
	return a->nrunes < b->nrunes;
}

static int key_cmp(const void *x, const void *y)
{
	const ykey *a = x, *b = y;

	if (key_less(a, b))
		return -1;
	if (key_less(b, a))
		return 1;
	return 0;
}

/* ---- the emitter -------------------------------------------------------- */

enum { CTX_ROOT = 1, CTX_SEQ = 2, CTX_MAP = 4, CTX_SIMPLE_KEY = 8 };
enum { ST_PLAIN, ST_SINGLE, ST_DOUBLE, ST_LITERAL };

typedef struct yemit {
	hr_buf *out;
	int column;      /* characters on the current line */
	int indent;      /* -1 before the root node */
	int whitespace;  /* the last thing written was whitespace */
	int indention;   /* only indentation written on this line so far */
	int depth;
	hr_error *err;
} yemit;

typedef struct yscan {
	int multiline, block_plain, single_ok, block_ok;
} yscan;

#define MAX_DEPTH 1000

static int u8w(unsigned char c)
{
	if (c < 0x80)
		return 1;
	if ((c & 0xE0) == 0xC0)
		return 2;
	if ((c & 0xF0) == 0xE0)
		return 3;
	return 4;
}

static int at(const unsigned char *v, size_t n, size_t i)
{
	return i < n ? v[i] : 0;
}

static int is_space_at(const unsigned char *v, size_t n, size_t i)
{
	return at(v, n, i) == ' ';
}

static int is_blank_at(const unsigned char *v, size_t n, size_t i)
{
	return at(v, n, i) == ' ' || at(v, n, i) == '\t';
}

static int is_break_at(const unsigned char *v, size_t n, size_t i)
{
	int c = at(v, n, i);

	return c == '\r' || c == '\n' ||
	       (c == 0xC2 && at(v, n, i + 1) == 0x85) ||
	       (c == 0xE2 && at(v, n, i + 1) == 0x80 &&
		(at(v, n, i + 2) == 0xA8 || at(v, n, i + 2) == 0xA9));
}

static int is_blankz_at(const unsigned char *v, size_t n, size_t i)
{
	return i >= n || at(v, n, i) == 0 || is_blank_at(v, n, i) || is_break_at(v, n, i);
}

static int is_printable_at(const unsigned char *v, size_t n, size_t i)
{
	int b = at(v, n, i), b1 = at(v, n, i + 1), b2 = at(v, n, i + 2);

	return b == 0x0A || (b >= 0x20 && b <= 0x7E) || (b == 0xC2 && b1 >= 0xA0) ||
	       (b > 0xC2 && b < 0xED) || (b == 0xED && b1 < 0xA0) || b == 0xEE ||
	       (b == 0xEF && !(b1 == 0xBB && b2 == 0xBF) &&
		!(b1 == 0xBF && (b2 == 0xBE || b2 == 0xBF)));
}

/* emitterc.go yaml_emitter_analyze_scalar (unicode output on). */
static void analyze(yscan *sc, const unsigned char *v, size_t n)
{
	int block_ind = 0, flow_ind = 0, line_breaks = 0, special = 0;
	int leading_space = 0, leading_break = 0, trailing_space = 0, trailing_break = 0;
	int break_space = 0, space_break = 0, prev_space = 0, prev_break = 0;
	int preceded_ws = 1, followed_ws;
	size_t i, w;

	if (!n) {
		sc->multiline = 0;
		sc->block_plain = 1;
		sc->single_ok = 1;
		sc->block_ok = 0;
		return;
	}
	if (n >= 3 && ((v[0] == '-' && v[1] == '-' && v[2] == '-') ||
		       (v[0] == '.' && v[1] == '.' && v[2] == '.')))
		block_ind = flow_ind = 1;
	for (i = 0; i < n; i += w) {
		w = (size_t)u8w(v[i]);
		followed_ws = i + w >= n || is_blank_at(v, n, i + w);
		if (i == 0) {
			switch (v[i]) {
			case '#': case ',': case '[': case ']': case '{': case '}':
			case '&': case '*': case '!': case '|': case '>': case '\'':
			case '"': case '%': case '@': case '`':
				flow_ind = block_ind = 1;
				break;
			case '?': case ':':
				flow_ind = 1;
				if (followed_ws)
					block_ind = 1;
				break;
			case '-':
				if (followed_ws)
					flow_ind = block_ind = 1;
				break;
			}
		} else {
			switch (v[i]) {
			case ',': case '?': case '[': case ']': case '{': case '}':
				flow_ind = 1;
				break;
			case ':':
				flow_ind = 1;
				if (followed_ws)
					block_ind = 1;
				break;
			case '#':
				if (preceded_ws)
					flow_ind = block_ind = 1;
				break;
			}
		}
		if (!is_printable_at(v, n, i))
			special = 1;
		if (is_space_at(v, n, i)) {
			if (i == 0)
				leading_space = 1;
			if (i + w == n)
				trailing_space = 1;
			if (prev_break)
				break_space = 1;
			prev_space = 1;
			prev_break = 0;
		} else if (is_break_at(v, n, i)) {
			line_breaks = 1;
			if (i == 0)
				leading_break = 1;
			if (i + w == n)
				trailing_break = 1;
			if (prev_space)
				space_break = 1;
			prev_space = 0;
			prev_break = 1;
		} else {
			prev_space = prev_break = 0;
		}
		preceded_ws = is_blankz_at(v, n, i);
	}
	(void)flow_ind;
	sc->multiline = line_breaks;
	sc->block_plain = 1;
	sc->single_ok = 1;
	sc->block_ok = 1;
	if (leading_space || leading_break || trailing_space || trailing_break)
		sc->block_plain = 0;
	if (trailing_space)
		sc->block_ok = 0;
	if (break_space)
		sc->block_plain = sc->single_ok = 0;
	if (space_break || special)
		sc->block_plain = sc->single_ok = sc->block_ok = 0;
	if (line_breaks || block_ind)
		sc->block_plain = 0;
}

static int e_put(yemit *e, char c)
{
	e->column++;
	return hr_buf_putc(e->out, c);
}

static int e_break(yemit *e)
{
	e->column = 0;
	return hr_buf_putc(e->out, '\n');
}

/* copy one character */
static int e_write(yemit *e, const unsigned char *v, size_t n, size_t *i)
{
	size_t w = (size_t)u8w(v[*i]);

	if (*i + w > n)
		w = n - *i;
	e->column++;
	*i += w;
	return hr_buf_put(e->out, v + *i - w, w);
}

static int e_write_break(yemit *e, const unsigned char *v, size_t n, size_t *i)
{
	int rc;

	if (v[*i] == '\n') {
		(*i)++;
		return e_break(e);
	}
	rc = e_write(e, v, n, i);
	e->column = 0;
	return rc;
}

static int e_indent(yemit *e)
{
	int ind = e->indent < 0 ? 0 : e->indent, rc = 0;

	if (!e->indention || e->column > ind || (e->column == ind && !e->whitespace))
		rc = e_break(e);
	while (!rc && e->column < ind)
		rc = e_put(e, ' ');
	e->whitespace = e->indention = 1;
	return rc;
}

static int e_indicator(yemit *e, const char *ind, int need_ws, int is_ws, int is_indention)
{
	int rc = 0;

	if (need_ws && !e->whitespace)
		rc = e_put(e, ' ');
	if (!rc) {
		rc = hr_buf_puts(e->out, ind);
		e->column += (int)strlen(ind);
	}
	e->whitespace = is_ws;
	e->indention = e->indention && is_indention;
	return rc;
}

static int write_plain(yemit *e, const unsigned char *v, size_t n, int allow_breaks)
{
	int spaces = 0, breaks = 0, rc = 0;
	size_t i = 0;

	if (!e->whitespace)
		rc = e_put(e, ' ');
	while (!rc && i < n) {
		if (is_space_at(v, n, i)) {
			if (allow_breaks && !spaces && e->column > BEST_WIDTH && !is_space_at(v, n, i + 1)) {
				rc = e_indent(e);
				i++;
			} else {
				rc = e_write(e, v, n, &i);
			}
			spaces = 1;
		} else if (is_break_at(v, n, i)) {
			if (!breaks && v[i] == '\n')
				rc = e_break(e);
			rc = rc ? rc : e_write_break(e, v, n, &i);
			e->indention = 1;
			breaks = 1;
		} else {
			if (breaks)
				rc = e_indent(e);
			rc = rc ? rc : e_write(e, v, n, &i);
			e->indention = 0;
			spaces = breaks = 0;
		}
	}
	e->whitespace = e->indention = 0;
	return rc;
}

static int write_single(yemit *e, const unsigned char *v, size_t n, int allow_breaks)
{
	int spaces = 0, breaks = 0, rc;
	size_t i = 0;

	rc = e_indicator(e, "'", 1, 0, 0);
	while (!rc && i < n) {
		if (is_space_at(v, n, i)) {
			if (allow_breaks && !spaces && e->column > BEST_WIDTH && i > 0 && i < n - 1 &&
			    !is_space_at(v, n, i + 1)) {
				rc = e_indent(e);
				i++;
			} else {
				rc = e_write(e, v, n, &i);
			}
			spaces = 1;
		} else if (is_break_at(v, n, i)) {
			if (!breaks && v[i] == '\n')
				rc = e_break(e);
			rc = rc ? rc : e_write_break(e, v, n, &i);
			e->indention = 1;
			breaks = 1;
		} else {
			if (breaks)
				rc = e_indent(e);
			if (!rc && v[i] == '\'')
				rc = e_put(e, '\'');
			rc = rc ? rc : e_write(e, v, n, &i);
			e->indention = 0;
			spaces = breaks = 0;
		}
	}
	rc = rc ? rc : e_indicator(e, "'", 0, 0, 0);
	e->whitespace = e->indention = 0;
	return rc;
}

static int write_escape(yemit *e, uint32_t c)
{
	static const char hex[] = "0123456789ABCDEF";
	int rc = e_put(e, '\\'), digits, k;
	char x;

	switch (c) {
	case 0x00: x = '0'; break;
	case 0x07: x = 'a'; break;
	case 0x08: x = 'b'; break;
	case 0x09: x = 't'; break;
	case 0x0A: x = 'n'; break;
	case 0x0B: x = 'v'; break;
	case 0x0C: x = 'f'; break;
	case 0x0D: x = 'r'; break;
	case 0x1B: x = 'e'; break;
	case 0x22: x = '"'; break;
	case 0x5C: x = '\\'; break;
	case 0x85: x = 'N'; break;
	case 0xA0: x = '_'; break;
	case 0x2028: x = 'L'; break;
	case 0x2029: x = 'P'; break;
	default: x = 0; break;
	}
	if (x)
		return rc ? rc : e_put(e, x);
	if (c <= 0xFF)
		x = 'x', digits = 2;
	else if (c <= 0xFFFF)
		x = 'u', digits = 4;
	else
		x = 'U', digits = 8;
	rc = rc ? rc : e_put(e, x);
	for (k = (digits - 1) * 4; !rc && k >= 0; k -= 4)
		rc = e_put(e, hex[(c >> k) & 0xF]);
	return rc;
}

static int write_double(yemit *e, const unsigned char *v, size_t n, int allow_breaks)
{
	int spaces = 0, rc;
	int bom = n >= 3 && v[0] == 0xEF && v[1] == 0xBB && v[2] == 0xBF;
	size_t i = 0;

	rc = e_indicator(e, "\"", 1, 0, 0);
	while (!rc && i < n) {
		if (!is_printable_at(v, n, i) || bom || is_break_at(v, n, i) ||
		    v[i] == '"' || v[i] == '\\') {
			uint32_t c;
			size_t w = hr_goutf8_valid_len(v + i, n - i, &c);

			if (!w) {
				c = v[i];
				w = 1;
			}
			i += w;
			rc = write_escape(e, c);
			spaces = 0;
		} else if (is_space_at(v, n, i)) {
			if (allow_breaks && !spaces && e->column > BEST_WIDTH && i > 0 && i < n - 1) {
				rc = e_indent(e);
				if (!rc && is_space_at(v, n, i + 1))
					rc = e_put(e, '\\');
				i++;
			} else {
				rc = e_write(e, v, n, &i);
			}
			spaces = 1;
		} else {
			rc = e_write(e, v, n, &i);
			spaces = 0;
		}
	}
	rc = rc ? rc : e_indicator(e, "\"", 0, 0, 0);
	e->whitespace = e->indention = 0;
	return rc;
}

static int write_literal(yemit *e, const unsigned char *v, size_t n)
{
	int breaks = 1, rc;
	size_t i, last;
	char hint[3] = { 0 };

	rc = e_indicator(e, "|", 1, 0, 0);
	/* block scalar hints: indentation digit, chomping */
	if (!rc && (is_space_at(v, n, 0) || is_break_at(v, n, 0))) {
		hint[0] = '0' + BEST_INDENT;
		rc = e_indicator(e, hint, 0, 0, 0);
	}
	if (!rc) {
		last = n - 1;
		while (last > 0 && (v[last] & 0xC0) == 0x80)
			last--;
		hint[0] = 0;
		if (!is_break_at(v, n, last)) {
			hint[0] = '-';
		} else if (last == 0) {
			hint[0] = '+';
		} else {
			size_t p = last - 1;

			while (p > 0 && (v[p] & 0xC0) == 0x80)
				p--;
			if (is_break_at(v, n, p))
				hint[0] = '+';
		}
		hint[1] = 0;
		if (hint[0])
			rc = e_indicator(e, hint, 0, 0, 0);
	}
	rc = rc ? rc : e_break(e);
	e->indention = e->whitespace = 1;
	for (i = 0; !rc && i < n;) {
		if (is_break_at(v, n, i)) {
			rc = e_write_break(e, v, n, &i);
			e->indention = 1;
			breaks = 1;
		} else {
			if (breaks)
				rc = e_indent(e);
			rc = rc ? rc : e_write(e, v, n, &i);
			e->indention = 0;
			breaks = 0;
		}
	}
	return rc;
}

/*
 * Emit one scalar: `style` is what go-yaml's encoder asked for; the
 * emitter may downgrade it (select_scalar_style).
 */
static int emit_scalar(yemit *e, const char *s, size_t n, int style, int ctx)
{
	const unsigned char *v = (const unsigned char *)s;
	int saved = e->indent, rc;
	yscan sc;

	analyze(&sc, v, n);
	if ((ctx & CTX_SIMPLE_KEY) && sc.multiline)
		style = ST_DOUBLE;
	if (style == ST_PLAIN && !sc.block_plain)
		style = ST_SINGLE;
	if (style == ST_PLAIN && n == 0 && (ctx & CTX_SIMPLE_KEY))
		style = ST_SINGLE;
	if (style == ST_SINGLE && !sc.single_ok)
		style = ST_DOUBLE;
	if (style == ST_LITERAL && (!sc.block_ok || (ctx & CTX_SIMPLE_KEY)))
		style = ST_DOUBLE;

	e->indent = e->indent < 0 ? BEST_INDENT : e->indent + BEST_INDENT;
	switch (style) {
	case ST_PLAIN:
		rc = write_plain(e, v, n, !(ctx & CTX_SIMPLE_KEY));
		break;
	case ST_SINGLE:
		rc = write_single(e, v, n, !(ctx & CTX_SIMPLE_KEY));
		break;
	case ST_DOUBLE:
		rc = write_double(e, v, n, !(ctx & CTX_SIMPLE_KEY));
		break;
	default:
		rc = write_literal(e, v, n);
		break;
	}
	e->indent = saved;
	return rc;
}

/* encode.go stringv: the style go-yaml requests for a string. */
static int string_style(const char *s, size_t n)
{
	if (memchr(s, '\n', n))
		return ST_LITERAL;
	if (hr_yaml__plain_is_string(s, n))
		return ST_PLAIN;
	return ST_DOUBLE;
}

static int emit_string(yemit *e, const char *s, size_t n, int ctx)
{
	return emit_scalar(e, s, n, string_style(s, n), ctx);
}

static int emit_node(yemit *e, struct json_object *v, int ctx);

static void free_keys(ykey *keys, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(keys[i].text);
		free(keys[i].runes);
	}
	free(keys);
}

static int load_key(ykey *k, const char *key, struct json_object *val, hr_error *err)
{
	hr_buf t = HR_BUF_INIT;
	size_t i, w, n = 0;
	uint32_t cp;
	int rc;

	k->key = key;
	k->val = val;
	rc = hr_yaml__roundtrip_string(&t, key, strlen(key), err);
	if (rc)
		goto fail;
	k->text = hr_buf_detach(&t, &k->len);
	k->runes = malloc((k->len + 1) * sizeof(uint32_t));
	if (!k->runes)
		return HR_ENOMEM;
	for (i = 0; i < k->len; i += w) {
		w = hr_goutf8_valid_len((const unsigned char *)k->text + i, k->len - i, &cp);
		if (!w) {
			cp = 0xFFFD;
			w = 1;
		}
		k->runes[n++] = cp;
	}
	k->nrunes = n;
	return 0;
fail:
	hr_buf_free(&t);
	return rc;
}

static int emit_mapping(yemit *e, struct json_object *v, int ctx)
{
	size_t n = (size_t)json_object_object_length(v), i = 0;
	int saved = e->indent, rc = 0;
	ykey *keys;

	(void)ctx;
	if (n == 0) {
		rc = e_indicator(e, "{", 1, 1, 0);
		return rc ? rc : e_indicator(e, "}", 0, 0, 0);
	}
	keys = calloc(n, sizeof(*keys));
	if (!keys)
		return HR_ENOMEM;
	{
		json_object_object_foreach(v, key, val) {
			if (i >= n)
				break;
			rc = load_key(&keys[i++], key, val, e->err);
			if (rc)
				goto done;
		}
	}
	n = i;
	qsort(keys, n, sizeof(*keys), key_cmp);

	e->indent = e->indent < 0 ? 0 : e->indent + BEST_INDENT;
	for (i = 0; !rc && i < n; i++) {
		yscan sc;
		ykey *k = &keys[i];

		rc = e_indent(e);
		if (rc)
			break;
		analyze(&sc, (const unsigned char *)k->text, k->len);
		if (!sc.multiline && k->len <= SIMPLE_KEY_MAX) {
			rc = emit_string(e, k->text, k->len, CTX_MAP | CTX_SIMPLE_KEY);
			rc = rc ? rc : e_indicator(e, ":", 0, 0, 0);
		} else {
			rc = e_indicator(e, "?", 1, 0, 1);
			rc = rc ? rc : emit_string(e, k->text, k->len, CTX_MAP);
			rc = rc ? rc : e_indent(e);
			rc = rc ? rc : e_indicator(e, ":", 1, 0, 1);
		}
		rc = rc ? rc : emit_node(e, k->val, CTX_MAP);
	}
	e->indent = saved;
done:
	free_keys(keys, n);
	return rc;
}

static int emit_sequence(yemit *e, struct json_object *v, int ctx)
{
	size_t n = json_object_array_length(v), i;
	int saved = e->indent, rc = 0;

	if (n == 0) {
		rc = e_indicator(e, "[", 1, 1, 0);
		return rc ? rc : e_indicator(e, "]", 0, 0, 0);
	}
	if (e->indent < 0)
		e->indent = 0;
	else if (!((ctx & CTX_MAP) && !e->indention))
		e->indent += BEST_INDENT;
	for (i = 0; !rc && i < n; i++) {
		rc = e_indent(e);
		rc = rc ? rc : e_indicator(e, "-", 1, 0, 1);
		rc = rc ? rc : emit_node(e, json_object_array_get_idx(v, i), CTX_SEQ);
	}
	e->indent = saved;
	return rc;
}

static int emit_node(yemit *e, struct json_object *v, int ctx)
{
	hr_buf t = HR_BUF_INIT;
	int rc;

	if (++e->depth > MAX_DEPTH) {
		rc = hr_error_set(e->err, HR_EINVAL, "yaml: value nested deeper than %d levels",
				  MAX_DEPTH);
		goto done;
	}
	switch (json_object_get_type(v)) {
	case json_type_null:
		rc = emit_scalar(e, "null", 4, ST_PLAIN, ctx);
		break;
	case json_type_boolean:
		rc = json_object_get_boolean(v) ? emit_scalar(e, "true", 4, ST_PLAIN, ctx)
						: emit_scalar(e, "false", 5, ST_PLAIN, ctx);
		break;
	case json_type_int:
	case json_type_double:
		rc = hr_yaml__number_text(&t, json_object_get_double(v), e->err);
		rc = rc ? rc : emit_scalar(e, t.ptr, t.len, ST_PLAIN, ctx);
		break;
	case json_type_string:
		rc = hr_yaml__roundtrip_string(&t, json_object_get_string(v),
				      (size_t)json_object_get_string_len(v), e->err);
		rc = rc ? rc : emit_string(e, t.ptr ? t.ptr : "", t.len, ctx);
		break;
	case json_type_object:
		rc = emit_mapping(e, v, ctx);
		break;
	case json_type_array:
		rc = emit_sequence(e, v, ctx);
		break;
	default:
		rc = hr_error_set(e->err, HR_EINVAL, "yaml: unsupported json-c type");
		break;
	}
done:
	e->depth--;
	hr_buf_free(&t);
	return rc;
}

int hr_yaml_write(hr_buf *out, struct json_object *v, hr_error *err)
{
	yemit e = { out, 0, -1, 1, 1, 0, err };
	size_t n0 = out->len;
	int rc;

	rc = emit_node(&e, v, CTX_ROOT);
	/* document end: yaml_emitter_write_indent at indent -1 */
	if (!rc)
		rc = e_indent(&e);
	if (rc) {
		if (rc == HR_ENOMEM)
			hr_error_set(err, rc, "yaml: out of memory");
		if (out->ptr)
			hr_buf_truncate(out, n0);
	}
	return rc;
}
