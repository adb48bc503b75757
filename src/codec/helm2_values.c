/*
 * helm2_values.c — Helm 2 values YAML (Config.raw) to the JSON text Helm 3
 * stores after helm-2to3, reproducing the chain helm 2's
 * chartutil.ReadValues runs: ghodss/yaml.Unmarshal = go-yaml v2 decoding
 * into interface{}, map keys turned into strings, json.Marshal, then
 * json.Unmarshal into map[string]interface{}; helm 3 finally writes that
 * map with encoding/json (keys sorted, every number a float64).
 *
 * libyaml gives the events (go-yaml v2 is a port of it); this file builds
 * the node tree go-yaml builds (anchors bound when seen, first document
 * only), then decodes it with go-yaml v2's rules: YAML 1.1 resolution of
 * plain scalars (y/yes/on/off booleans, 0644 octal, 0x hex, 0b binary,
 * underscores, .inf/.nan), explicit tags, !!binary, merge keys (<<) that
 * overwrite in order, aliases expanded with v2's self-reference and
 * excessive-aliasing checks.  Keys become strings as ghodss does (ints in
 * decimal, floats with %g at float32 precision, bools "true"/"false").
 */
#include "codec/helm2.h"
#include "codec/codec.h"
#include "codec/gojson.h"
#include "util/array.h"
#include "util/gostrconv.h"
#include "util/goutf8.h"
#include "util/yaml11.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#define TAG_PREFIX "tag:yaml.org,2002:"

/* ---- node tree (go-yaml's parser.go) ---- */

enum { N_SCALAR, N_SEQ, N_MAP, N_ALIAS };

typedef struct ynode {
	int kind;
	int implicit;             /* plain scalar (plain_implicit) */
	char *tag;                /* NULL = none */
	char *value;              /* scalar text / alias name */
	size_t len;
	size_t line;
	struct ynode **kids;
	size_t n, cap;
	struct ynode *alias;      /* N_ALIAS: the anchored node */
	int busy;                 /* N_ALIAS being expanded */
} ynode;

typedef struct anchor {
	char *name;
	ynode *node;
} anchor;

typedef struct ytree {
	ynode **all;              /* every node, for freeing */
	size_t nall, capall;
	anchor *anchors;          /* open-addressing hash table */
	size_t acap, acount;
	ynode *root;
} ytree;

/* ---- value tree (what json.Unmarshal gives: nil, bool, float64, string, []interface{}, map) ---- */

enum { V_NULL, V_BOOL, V_NUM, V_STR, V_ARR, V_OBJ };

typedef struct jv jv;
typedef struct jkv jkv;

struct jv {
	int t;
	int b;
	double num;
	char *s;
	size_t slen;
	jv *items;                /* V_ARR */
	jkv *kv;                  /* V_OBJ, in insertion order (last write of a key wins) */
	size_t n, cap;
};

struct jkv {
	char *key;
	size_t klen;
	jv val;
};

typedef struct ydec {
	ytree *tree;
	long decode_count, alias_count, alias_depth;
	int depth;
	hr_error *err;
} ydec;

static int yfail(hr_error *err, const char *fmt, const char *a, size_t line)
{
	char msg[600];

	snprintf(msg, sizeof(msg), fmt, a ? a : "");
	if (line)
		return hr_error_set(err, HR_ESKIP, "values YAML: yaml: line %zu: %s", line, msg);
	return hr_error_set(err, HR_ESKIP, "values YAML: %s", msg);
}

static void jv_free(jv *v)
{
	free(v->s);
	for (size_t i = 0; v->t == V_ARR && i < v->n; i++)
		jv_free(&v->items[i]);
	for (size_t i = 0; v->t == V_OBJ && i < v->n; i++) {
		free(v->kv[i].key);
		jv_free(&v->kv[i].val);
	}
	free(v->items);
	free(v->kv);
	memset(v, 0, sizeof(*v));
}

static char *dupmem(const char *s, size_t n)
{
	char *p = malloc(n + 1);

	if (p) {
		if (n)
			memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

/* ---- building the tree ---- */

static void tree_free(ytree *t)
{
	for (size_t i = 0; i < t->nall; i++) {
		free(t->all[i]->tag);
		free(t->all[i]->value);
		free(t->all[i]->kids);
		free(t->all[i]);
	}
	free(t->all);
	for (size_t i = 0; i < t->acap; i++)
		free(t->anchors[i].name);
	free(t->anchors);
}

static size_t hash_str(const char *s)
{
	size_t h = 1469598103934665603ull;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ull;
	return h;
}

static anchor *anchor_slot(ytree *t, const char *name)
{
	size_t i = hash_str(name) & (t->acap - 1);

	while (t->anchors[i].name && strcmp(t->anchors[i].name, name))
		i = (i + 1) & (t->acap - 1);
	return &t->anchors[i];
}

static int anchor_set(ytree *t, const char *name, ynode *n)
{
	anchor *a;

	if (t->acount * 2 >= t->acap) {
		size_t ncap = t->acap ? t->acap * 2 : 64;
		anchor *old = t->anchors;
		size_t ocap = t->acap;

		if (!(t->anchors = calloc(ncap, sizeof(*t->anchors)))) {
			t->anchors = old;
			return HR_ENOMEM;
		}
		t->acap = ncap;
		for (size_t i = 0; i < ocap; i++)
			if (old[i].name)
				*anchor_slot(t, old[i].name) = old[i];
		free(old);
	}
	a = anchor_slot(t, name);
	if (!a->name) {
		if (!(a->name = strdup(name)))
			return HR_ENOMEM;
		t->acount++;
	}
	a->node = n;
	return 0;
}

static ynode *anchor_get(ytree *t, const char *name)
{
	anchor *a;

	if (!t->acap)
		return NULL;
	a = anchor_slot(t, name);
	return a->name ? a->node : NULL;
}

static ynode *node_new(ytree *t, int kind, const yaml_event_t *ev)
{
	ynode *n;

	if (HR_ARRAY_GROW(t->all, t->nall + 1, t->capall) || !(n = calloc(1, sizeof(*n))))
		return NULL;
	t->all[t->nall++] = n;
	n->kind = kind;
	n->line = ev->start_mark.line + 1;
	return n;
}

static int add_kid(ynode *parent, ynode *kid)
{
	if (HR_ARRAY_GROW(parent->kids, parent->n + 1, parent->cap))
		return HR_ENOMEM;
	parent->kids[parent->n++] = kid;
	return 0;
}

static int parse_error(yaml_parser_t *p, hr_error *err)
{
	size_t line = p->problem_mark.line;

	if (line && p->error == YAML_SCANNER_ERROR)
		line++;
	if (!line)
		line = p->context_mark.line;
	return yfail(err, "%s", p->problem ? p->problem : "unknown problem parsing YAML content", line);
}

/* Events of the first document into t->root (NULL for an empty stream). */
static int build_tree(ytree *t, const char *yaml, size_t len, hr_error *err)
{
	yaml_parser_t p;
	yaml_event_t ev;
	ynode **stack = NULL;
	size_t depth = 0, scap = 0;
	int rc = 0, done = 0;

	if (!yaml_parser_initialize(&p))
		return hr_error_set(err, HR_ENOMEM, "values YAML: out of memory");
	yaml_parser_set_input_string(&p, (const unsigned char *)yaml, len);
	while (!done && !rc) {
		ynode *n = NULL;
		const char *anch = NULL, *tag = NULL;

		if (!yaml_parser_parse(&p, &ev)) {
			rc = parse_error(&p, err);
			break;
		}
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
		case YAML_DOCUMENT_END_EVENT:
			done = 1;
			break;
		case YAML_SCALAR_EVENT:
			if (!(n = node_new(t, N_SCALAR, &ev)) ||
			    !(n->value = dupmem((const char *)ev.data.scalar.value, ev.data.scalar.length))) {
				rc = HR_ENOMEM;
				break;
			}
			n->len = ev.data.scalar.length;
			n->implicit = ev.data.scalar.plain_implicit;
			anch = (const char *)ev.data.scalar.anchor;
			tag = (const char *)ev.data.scalar.tag;
			break;
		case YAML_ALIAS_EVENT:
			if (!(n = node_new(t, N_ALIAS, &ev)) || !(n->value = strdup((const char *)ev.data.alias.anchor))) {
				rc = HR_ENOMEM;
				break;
			}
			if (!(n->alias = anchor_get(t, n->value)))
				rc = yfail(err, "unknown anchor '%s' referenced", n->value, 0);
			break;
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			if (!(n = node_new(t, ev.type == YAML_SEQUENCE_START_EVENT ? N_SEQ : N_MAP, &ev))) {
				rc = HR_ENOMEM;
				break;
			}
			anch = (const char *)(ev.type == YAML_SEQUENCE_START_EVENT ? ev.data.sequence_start.anchor
										: ev.data.mapping_start.anchor);
			tag = (const char *)(ev.type == YAML_SEQUENCE_START_EVENT ? ev.data.sequence_start.tag
										: ev.data.mapping_start.tag);
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			if (depth)
				depth--;
			break;
		default:
			break;
		}
		if (!rc && n) {
			if ((tag && !(n->tag = strdup(tag))) || (anch && anchor_set(t, anch, n)))
				rc = HR_ENOMEM;
			else if (depth)
				rc = add_kid(stack[depth - 1], n);
			else if (!t->root)
				t->root = n;
			if (!rc && (n->kind == N_SEQ || n->kind == N_MAP)) {
				if (depth >= HR_HELM2_MAX_YAML_DEPTH)
					rc = yfail(err, "%s", "exceeded max nesting depth", n->line);
				else if (!(rc = HR_ARRAY_GROW(stack, depth + 1, scap)))
					stack[depth++] = n;
			}
		}
		yaml_event_delete(&ev);
	}
	if (rc == HR_ENOMEM)
		hr_error_set(err, HR_ENOMEM, "values YAML: out of memory");
	free(stack);
	yaml_parser_delete(&p);
	return rc;
}

/* ---- scalars (go-yaml v2 decoder.scalar over util/yaml11's resolve) ---- */

#define R_NULL HR_YAML11_NULL
#define R_BOOL HR_YAML11_BOOL
#define R_INT HR_YAML11_INT
#define R_UINT HR_YAML11_UINT
#define R_FLOAT HR_YAML11_FLOAT
#define R_STR HR_YAML11_STR
#define R_TIMESTAMP HR_YAML11_TIMESTAMP

/* !!binary: base64.StdEncoding.DecodeString (newlines skipped) into a new string. */
static int b64_decode(const char *in, size_t len, char **out, size_t *olen)
{
	hr_buf b = HR_BUF_INIT;
	int rc = hr_base64_decode(&b, in, len, NULL);

	if (!rc && !(*out = hr_buf_detach(&b, olen)))
		rc = HR_ENOMEM;
	hr_buf_free(&b);
	return rc;
}

static const char *short_tag(const char *tag, char *buf, size_t bufsz)
{
	if (!strncmp(tag, TAG_PREFIX, strlen(TAG_PREFIX))) {
		snprintf(buf, bufsz, "!!%s", tag + strlen(TAG_PREFIX));
		return buf;
	}
	return tag;
}

/* Decode one scalar node into v (go-yaml v2 decoder.scalar with an interface{} target). */
static int dec_scalar(ydec *d, ynode *n, jv *v)
{
	const char *tag = n->tag;
	hr_yaml11_value r = { 0 };
	int rc;

	memset(v, 0, sizeof(*v));
	if (!tag && !n->implicit) {
		r.kind = R_STR;
	} else if (tag && !strcmp(tag, TAG_PREFIX "binary")) {
		if (b64_decode(n->value, n->len, &v->s, &v->slen))
			return yfail(d->err, "%s", "!!binary value contains invalid base64 data", 0);
		v->t = V_STR;
		return 0;
	} else if (tag && strcmp(tag, TAG_PREFIX "str") && strcmp(tag, TAG_PREFIX "bool") &&
		   strcmp(tag, TAG_PREFIX "int") && strcmp(tag, TAG_PREFIX "float") &&
		   strcmp(tag, TAG_PREFIX "null") && strcmp(tag, TAG_PREFIX "timestamp")) {
		r.kind = R_STR;      /* not a resolvable tag: the text as it is */
	} else if (tag && !strcmp(tag, TAG_PREFIX "str")) {
		r.kind = R_STR;
	} else {
		if ((rc = hr_yaml11_resolve(n->value, n->len, &r)))
			return rc;
		/* timestamps are tried only untagged or under !!timestamp, and
		 * reach interface{} as their text; !!timestamp also takes a string */
		if (r.kind == R_TIMESTAMP && (!tag || strcmp(tag, TAG_PREFIX "timestamp")))
			r.kind = R_STR;
		else if (r.kind == R_STR && tag && !strcmp(tag, TAG_PREFIX "timestamp"))
			r.kind = R_TIMESTAMP;
		if (tag) {
			static const struct { const char *tag; int t; } want[] = {
				{ TAG_PREFIX "bool", R_BOOL }, { TAG_PREFIX "int", R_INT }, { TAG_PREFIX "float", R_FLOAT },
				{ TAG_PREFIX "null", R_NULL }, { TAG_PREFIX "timestamp", R_TIMESTAMP },
			};
			int rt = r.kind == R_UINT ? R_INT : r.kind, ok = 0;

			for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
				if (!strcmp(tag, want[i].tag))
					ok = want[i].t == rt || (want[i].t == R_FLOAT && r.kind == R_INT);
			if (!ok) {
				static const char *const names[] = { "!!null", "!!bool", "!!int", "!!int", "!!float",
								     "!!str", "!!timestamp" };
				char sb[128], msg[400];

				snprintf(msg, sizeof(msg), "cannot decode %s `%.200s` as a %s", names[r.kind], n->value,
					 short_tag(tag, sb, sizeof(sb)));
				return yfail(d->err, "%s", msg, 0);
			}
			if (r.kind == R_INT && !strcmp(tag, TAG_PREFIX "float")) {
				r.kind = R_FLOAT;
				r.f = (double)r.i;
			}
		}
	}
	switch (r.kind) {
	case R_NULL:
		v->t = V_NULL;
		return 0;
	case R_BOOL:
		v->t = V_BOOL;
		v->b = r.b;
		return 0;
	case R_INT:
		v->t = V_NUM;
		v->num = (double)r.i;
		return 0;
	case R_UINT:
		v->t = V_NUM;
		v->num = (double)r.u;
		return 0;
	case R_FLOAT:
		v->t = V_NUM;
		v->num = r.f;
		return 0;
	default:   /* strings and timestamps */
		v->t = V_STR;
		if (!(v->s = dupmem(n->value, n->len)))
			return HR_ENOMEM;
		v->slen = n->len;
		return 0;
	}
}

/* ---- map keys as ghodss/yaml turns them into strings ---- */

/* The key node as ghodss's string key (owned), or an error for null/uint64/containers. */
static int dec_node(ydec *d, ynode *n, jv *v);

static int key_string(ydec *d, ynode *kn, char **key, size_t *klen)
{
	ynode *n = kn;
	hr_buf kb = HR_BUF_INIT;
	jv kv = { 0 };
	hr_yaml11_value r = { 0 };
	int rc;

	while (n->kind == N_ALIAS)
		n = n->alias;
	if (n->kind != N_SCALAR) {
		/* go-yaml: "invalid map key"; decode first so aliasing errors come first as in Go */
		if ((rc = dec_node(d, kn, &kv)))
			return rc;
		jv_free(&kv);
		return yfail(d->err, "invalid map key: %s", n->kind == N_MAP ? "map[interface {}]interface {}" :
				 "[]interface {}", 0);
	}
	if ((rc = dec_node(d, kn, &kv)))
		return rc;
	/* Re-resolve to learn the Go type of the key (int vs uint64 vs float). */
	if (kv.t == V_NUM) {
		if ((rc = hr_yaml11_resolve(n->value, n->len, &r)))
			goto num_done;
		if (n->tag && !strcmp(n->tag, TAG_PREFIX "float"))
			r.kind = R_FLOAT, r.f = kv.num;
		if (r.kind == R_INT) {
			rc = hr_buf_printf(&kb, "%lld", (long long)r.i);
		} else if (r.kind == R_UINT) {
			rc = yfail(d->err, "error converting YAML to JSON: Unsupported map key of type: uint64, key: %s",
				   n->value, 0);
		} else if (isnan((float)kv.num) || isinf((float)kv.num)) {
			/* ghodss prints the YAML spelling of the float32 specials */
			rc = hr_buf_puts(&kb, isnan(kv.num) ? ".nan" : kv.num > 0 ? ".inf" : "-.inf");
		} else {
			rc = hr_go_format_float(&kb, kv.num, 'g', 32);
		}
		if (!rc && !(*key = hr_buf_detach(&kb, klen)))
			rc = HR_ENOMEM;
num_done:
		hr_buf_free(&kb);
		jv_free(&kv);
		return rc;
	}
	if (kv.t == V_BOOL) {
		*key = strdup(kv.b ? "true" : "false");
		*klen = strlen(*key ? *key : "");
		return *key ? 0 : HR_ENOMEM;
	}
	if (kv.t == V_NULL)
		return yfail(d->err, "%s", "error converting YAML to JSON: Unsupported map key of type: <nil>", 0);
	*key = kv.s;
	*klen = kv.slen;
	return 0;
}

/* ---- decoding (go-yaml v2 decoder) ---- */

static double allowed_alias_ratio(long count)
{
	if (count <= 400000)
		return 0.99;
	if (count >= 4000000)
		return 0.10;
	return 0.99 - 0.89 * ((double)(count - 400000) / 3600000.0);
}

static int count_node(ydec *d)
{
	d->decode_count++;
	if (d->alias_depth > 0)
		d->alias_count++;
	if (d->alias_count > 100 && d->decode_count > 1000 &&
	    (double)d->alias_count / (double)d->decode_count > allowed_alias_ratio(d->decode_count))
		return yfail(d->err, "%s", "document contains excessive aliasing", 0);
	return 0;
}

static int obj_set(jv *obj, char *key, size_t klen, jv *val)
{
	if (HR_ARRAY_GROW(obj->kv, obj->n + 1, obj->cap)) {
		free(key);
		jv_free(val);
		return HR_ENOMEM;
	}
	obj->kv[obj->n].key = key;
	obj->kv[obj->n].klen = klen;
	obj->kv[obj->n].val = *val;
	obj->n++;
	return 0;
}

static int dec_into_map(ydec *d, ynode *n, jv *obj);

static int is_merge(ynode *k)
{
	return k->kind == N_SCALAR && k->len == 2 && !strcmp(k->value, "<<") &&
	       (k->implicit || (k->tag && !strcmp(k->tag, TAG_PREFIX "merge")));
}

static int want_map_fail(ydec *d)
{
	return yfail(d->err, "%s", "map merge requires map or sequence of maps as the value", 0);
}

/* Unmarshal node n (counted, aliases followed) into the existing map obj. */
static int unmarshal_into_map(ydec *d, ynode *n, jv *obj)
{
	int rc;

	if ((rc = count_node(d)))
		return rc;
	if (n->kind == N_ALIAS) {
		if (n->busy)
			return yfail(d->err, "anchor '%s' value contains itself", n->value, 0);
		n->busy = 1;
		d->alias_depth++;
		rc = unmarshal_into_map(d, n->alias, obj);
		d->alias_depth--;
		n->busy = 0;
		return rc;
	}
	if (n->kind != N_MAP)
		return want_map_fail(d);
	return dec_into_map(d, n, obj);
}

static int merge(ydec *d, ynode *n, jv *obj)
{
	if (n->kind == N_MAP)
		return unmarshal_into_map(d, n, obj);
	if (n->kind == N_ALIAS) {
		if (n->alias->kind != N_MAP)
			return want_map_fail(d);
		return unmarshal_into_map(d, n, obj);
	}
	if (n->kind == N_SEQ) {
		for (size_t i = n->n; i-- > 0;) {
			ynode *k = n->kids[i];
			int rc;

			if ((k->kind == N_ALIAS && k->alias->kind != N_MAP) || (k->kind != N_ALIAS && k->kind != N_MAP))
				return want_map_fail(d);
			if ((rc = unmarshal_into_map(d, k, obj)))
				return rc;
		}
		return 0;
	}
	return want_map_fail(d);
}

static int dec_into_map(ydec *d, ynode *n, jv *obj)
{
	int rc = 0;

	if (++d->depth > HR_HELM2_MAX_YAML_DEPTH)
		return yfail(d->err, "%s", "values nested too deeply", n->line);
	for (size_t i = 0; i + 1 < n->n && !rc; i += 2) {
		char *key = NULL;
		size_t klen = 0;
		jv val;

		if (is_merge(n->kids[i])) {
			rc = merge(d, n->kids[i + 1], obj);
			continue;
		}
		if ((rc = key_string(d, n->kids[i], &key, &klen)))
			break;
		if ((rc = dec_node(d, n->kids[i + 1], &val))) {
			free(key);
			break;
		}
		rc = obj_set(obj, key, klen, &val);
	}
	d->depth--;
	return rc;
}

static int dec_node(ydec *d, ynode *n, jv *v)
{
	int rc;

	memset(v, 0, sizeof(*v));
	if ((rc = count_node(d)))
		return rc;
	switch (n->kind) {
	case N_ALIAS:
		if (n->busy)
			return yfail(d->err, "anchor '%s' value contains itself", n->value, 0);
		if (++d->depth > HR_HELM2_MAX_YAML_DEPTH)
			return yfail(d->err, "%s", "values nested too deeply", n->line);
		n->busy = 1;
		d->alias_depth++;
		rc = dec_node(d, n->alias, v);
		d->alias_depth--;
		n->busy = 0;
		d->depth--;
		return rc;
	case N_SCALAR:
		return dec_scalar(d, n, v);
	case N_MAP:
		v->t = V_OBJ;
		if ((rc = dec_into_map(d, n, v)))
			jv_free(v);
		return rc;
	default:
		v->t = V_ARR;
		if (++d->depth > HR_HELM2_MAX_YAML_DEPTH)
			return yfail(d->err, "%s", "values nested too deeply", n->line);
		for (size_t i = 0; i < n->n; i++) {
			if (HR_ARRAY_GROW(v->items, v->n + 1, v->cap)) {
				rc = HR_ENOMEM;
				break;
			}
			if ((rc = dec_node(d, n->kids[i], &v->items[v->n])))
				break;
			v->n++;
		}
		d->depth--;
		if (rc)
			jv_free(v);
		return rc;
	}
}

/* ---- JSON output: Go's encoding/json over map[string]interface{} ---- */

/* A string after a json.Marshal/Unmarshal round trip: each invalid byte becomes U+FFFD. */
static int put_string(hr_buf *out, const char *s, size_t len)
{
	hr_buf fixed = HR_BUF_INIT;
	int rc;

	if (hr_goutf8_valid(s, len))
		return hr_gojson_write_string(out, s, len, 0);
	rc = hr_goutf8_put_fixed(&fixed, s, len);
	rc = rc ? rc : hr_gojson_write_string(out, fixed.ptr, fixed.len, 0);
	hr_buf_free(&fixed);
	return rc;
}

static int key_cmp(const void *a, const void *b)
{
	const jkv *x = *(const jkv *const *)a, *y = *(const jkv *const *)b;
	size_t n = x->klen < y->klen ? x->klen : y->klen;
	int c = memcmp(x->key, y->key, n);

	if (c)
		return c;
	if (x->klen != y->klen)
		return x->klen < y->klen ? -1 : 1;
	return x < y ? -1 : x > y;   /* insertion order among equal keys */
}

static int write_jv(hr_buf *out, const jv *v, hr_error *err)
{
	int rc = 0;

	switch (v->t) {
	case V_NULL:
		return hr_buf_puts(out, "null");
	case V_BOOL:
		return hr_buf_puts(out, v->b ? "true" : "false");
	case V_NUM:
		if (isnan(v->num) || isinf(v->num))
			return hr_error_set(err, HR_ESKIP, "values YAML: error converting YAML to JSON: "
					    "json: unsupported value: %s", isnan(v->num) ? "NaN" : v->num > 0 ? "+Inf" : "-Inf");
		return hr_gojson_write_float(out, v->num);
	case V_STR:
		return put_string(out, v->s, v->slen);
	case V_ARR:
		if ((rc = hr_buf_putc(out, '[')))
			return rc;
		for (size_t i = 0; i < v->n && !rc; i++) {
			if (i)
				rc = hr_buf_putc(out, ',');
			if (!rc)
				rc = write_jv(out, &v->items[i], err);
		}
		return rc ? rc : hr_buf_putc(out, ']');
	default: {
		const jkv **ord = NULL;
		int first = 1;

		if (v->n && !(ord = malloc(v->n * sizeof(*ord))))
			return HR_ENOMEM;
		for (size_t i = 0; i < v->n; i++)
			ord[i] = &v->kv[i];
		if (v->n)
			qsort(ord, v->n, sizeof(*ord), key_cmp);
		rc = hr_buf_putc(out, '{');
		for (size_t i = 0; i < v->n && !rc; i++) {
			/* of equal keys the last written wins */
			if (i + 1 < v->n && ord[i + 1]->klen == ord[i]->klen &&
			    !memcmp(ord[i + 1]->key, ord[i]->key, ord[i]->klen))
				continue;
			if (!first)
				rc = hr_buf_putc(out, ',');
			first = 0;
			if (!rc)
				rc = put_string(out, ord[i]->key, ord[i]->klen);
			if (!rc)
				rc = hr_buf_putc(out, ':');
			if (!rc)
				rc = write_jv(out, &ord[i]->val, err);
		}
		free(ord);
		return rc ? rc : hr_buf_putc(out, '}');
	}
	}
}

int hr_helm2_values_json(hr_buf *out, const char *yaml, size_t len, hr_error *err)
{
	ytree t = { 0 };
	ydec d = { 0 };
	jv root = { 0 };
	size_t start = out->len;
	int rc;

	d.tree = &t;
	d.err = err;
	if ((rc = build_tree(&t, yaml, len, err)))
		goto done;
	if (!t.root) {
		rc = hr_buf_puts(out, "{}");
		goto done;
	}
	d.decode_count = 1;   /* the document node */
	if ((rc = dec_node(&d, t.root, &root)))
		goto done;
	if (root.t == V_NULL || (root.t == V_OBJ && !root.n)) {
		rc = hr_buf_puts(out, "{}");
	} else if (root.t != V_OBJ) {
		static const char *const what[] = { "null", "bool", "number", "string", "array", "object" };

		rc = hr_error_set(err, HR_ESKIP, "values YAML: error unmarshaling JSON: json: cannot unmarshal %s "
				  "into Go value of type chartutil.Values", what[root.t]);
	} else {
		rc = write_jv(out, &root, err);
	}
done:
	if (rc == HR_ENOMEM)
		hr_error_set(err, HR_ENOMEM, "values YAML: out of memory");
	if (rc)
		hr_buf_truncate(out, start);
	jv_free(&root);
	tree_free(&t);
	return rc;
}
