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
 * Stage 1 and the resolve() question of stage 2 live in yaml_scalar.c,
 * stage 3's scalar analysis and writers in yaml_emit.c.
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

#define MAX_DEPTH 1000

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
	return hr_yaml__emit_scalar(e, s, n, string_style(s, n), ctx);
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
		rc = hr_yaml__indicator(e, "{", 1, 1, 0);
		return rc ? rc : hr_yaml__indicator(e, "}", 0, 0, 0);
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

		rc = hr_yaml__indent(e);
		if (rc)
			break;
		hr_yaml__analyze(&sc, (const unsigned char *)k->text, k->len);
		if (!sc.multiline && k->len <= SIMPLE_KEY_MAX) {
			rc = emit_string(e, k->text, k->len, CTX_MAP | CTX_SIMPLE_KEY);
			rc = rc ? rc : hr_yaml__indicator(e, ":", 0, 0, 0);
		} else {
			rc = hr_yaml__indicator(e, "?", 1, 0, 1);
			rc = rc ? rc : emit_string(e, k->text, k->len, CTX_MAP);
			rc = rc ? rc : hr_yaml__indent(e);
			rc = rc ? rc : hr_yaml__indicator(e, ":", 1, 0, 1);
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
		rc = hr_yaml__indicator(e, "[", 1, 1, 0);
		return rc ? rc : hr_yaml__indicator(e, "]", 0, 0, 0);
	}
	if (e->indent < 0)
		e->indent = 0;
	else if (!((ctx & CTX_MAP) && !e->indention))
		e->indent += BEST_INDENT;
	for (i = 0; !rc && i < n; i++) {
		rc = hr_yaml__indent(e);
		rc = rc ? rc : hr_yaml__indicator(e, "-", 1, 0, 1);
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
		rc = hr_yaml__emit_scalar(e, "null", 4, ST_PLAIN, ctx);
		break;
	case json_type_boolean:
		rc = json_object_get_boolean(v) ? hr_yaml__emit_scalar(e, "true", 4, ST_PLAIN, ctx)
						: hr_yaml__emit_scalar(e, "false", 5, ST_PLAIN, ctx);
		break;
	case json_type_int:
	case json_type_double:
		rc = hr_yaml__number_text(&t, json_object_get_double(v), e->err);
		rc = rc ? rc : hr_yaml__emit_scalar(e, t.ptr, t.len, ST_PLAIN, ctx);
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
		rc = hr_yaml__indent(&e);
	return hr_yaml__undo(out, n0, rc, "yaml", err);
}

int hr_yaml__undo(hr_buf *out, size_t n0, int rc, const char *what, struct hr_error *err)
{
	if (rc == HR_ENOMEM)
		hr_error_set(err, rc, "%s: out of memory", what);
	if (rc && out->ptr)
		hr_buf_truncate(out, n0);
	return rc;
}
