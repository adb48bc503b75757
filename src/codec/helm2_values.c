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
#include "codec/gojson.h"

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

static int grow(void **arr, size_t *cap, size_t n, size_t sz)
{
	size_t nc;
	void *p;

	if (n < *cap)
		return 0;
	nc = *cap ? *cap * 2 : 4;
	if (nc < *cap || nc > ((size_t)-1) / sz)
		return HR_ENOMEM;
	p = realloc(*arr, nc * sz);
	if (!p)
		return HR_ENOMEM;
	*arr = p;
	*cap = nc;
	return 0;
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

	if (grow((void **)&t->all, &t->capall, t->nall, sizeof(*t->all)) || !(n = calloc(1, sizeof(*n))))
		return NULL;
	t->all[t->nall++] = n;
	n->kind = kind;
	n->line = ev->start_mark.line + 1;
	return n;
}

static int add_kid(ynode *parent, ynode *kid)
{
	if (grow((void **)&parent->kids, &parent->cap, parent->n, sizeof(*parent->kids)))
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
				else if (!(rc = grow((void **)&stack, &scap, depth, sizeof(*stack))))
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

/* ---- scalar resolution (go-yaml v2 resolve.go) ---- */

enum { R_NULL, R_BOOL, R_INT, R_UINT, R_FLOAT, R_STR, R_TIMESTAMP };

typedef struct rval {
	int t;
	int b;
	int64_t i;
	uint64_t u;
	double f;
} rval;

/* strconv.ParseUint(s, 0, 64) of an unsigned literal (no sign). */
static int go_parse_uint0(const char *s, uint64_t *out)
{
	int base = 10;
	uint64_t v = 0;

	if (!*s)
		return -1;
	if (s[0] == '0' && s[1]) {
		char c = s[1];

		if (c == 'x' || c == 'X')
			base = 16, s += 2;
		else if (c == 'o' || c == 'O')
			base = 8, s += 2;
		else if (c == 'b' || c == 'B')
			base = 2, s += 2;
		else
			base = 8, s += 1;
		if (!*s && base != 8)
			return -1;
	}
	for (; *s; s++) {
		int d;

		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (*s >= 'a' && *s <= 'z')
			d = *s - 'a' + 10;
		else if (*s >= 'A' && *s <= 'Z')
			d = *s - 'A' + 10;
		else
			return -1;
		if (d >= base)
			return -1;
		if (v > (UINT64_MAX - (uint64_t)d) / (uint64_t)base)
			return -2;     /* range */
		v = v * (uint64_t)base + (uint64_t)d;
	}
	*out = v;
	return 0;
}

/* strconv.ParseInt(s, 0, 64). */
static int go_parse_int0(const char *s, int64_t *out)
{
	int neg = 0;
	uint64_t u;

	if (*s == '+' || *s == '-')
		neg = *s++ == '-';
	if (go_parse_uint0(s, &u))
		return -1;
	if (!neg && u > (uint64_t)INT64_MAX)
		return -1;
	if (neg && u > (uint64_t)INT64_MAX + 1)
		return -1;
	*out = neg ? (int64_t)(0 - u) : (int64_t)u;
	return 0;
}

/* ^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$ */
static int yaml_style_float(const char *s)
{
	int digits = 0;

	if (*s == '-' || *s == '+')
		s++;
	if (*s == '.') {
		s++;
		while (*s >= '0' && *s <= '9')
			s++, digits++;
		if (!digits)
			return 0;
	} else {
		while (*s >= '0' && *s <= '9')
			s++, digits++;
		if (!digits)
			return 0;
		if (*s == '.') {
			s++;
			while (*s >= '0' && *s <= '9')
				s++;
		}
	}
	if (*s == 'e' || *s == 'E') {
		s++;
		digits = 0;
		if (*s == '-' || *s == '+')
			s++;
		while (*s >= '0' && *s <= '9')
			s++, digits++;
		if (!digits)
			return 0;
	}
	return *s == '\0';
}

/* strconv.ParseFloat for the decimal forms above: 0 ok, -1 out of range. */
static int parse_float(const char *s, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(s, &end);
	if (*end)
		return -1;
	if (errno == ERANGE && isinf(*out))
		return -1;
	return 0;
}

/* Rough check of go-yaml v2's timestamp formats (only used with an explicit !!timestamp tag). */
static int looks_timestamp(const char *s)
{
	int i;

	for (i = 0; s[i] >= '0' && s[i] <= '9'; i++)
		;
	return i == 4 && s[4] == '-';
}

static int in_list(const char *s, const char *const *l)
{
	for (; *l; l++)
		if (!strcmp(s, *l))
			return 1;
	return 0;
}

/* resolve(tag="", in) for a plain scalar: the hint table and the lookups. */
static void resolve_plain(const char *in, rval *r)
{
	static const char *const yes[] = { "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON", NULL };
	static const char *const no[] = { "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF", NULL };
	static const char *const nul[] = { "", "~", "null", "Null", "NULL", NULL };
	static const char *const nan[] = { ".nan", ".NaN", ".NAN", NULL };
	static const char *const pinf[] = { ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", NULL };
	static const char *const ninf[] = { "-.inf", "-.Inf", "-.INF", NULL };
	char c = in[0];
	char *plain;

	r->t = R_STR;
	if (c && !strchr("+-0123456789yYnNtTfFoO~.", c))
		return;
	if (in_list(in, yes) || in_list(in, no)) {
		r->t = R_BOOL;
		r->b = in_list(in, yes);
		return;
	}
	if (in_list(in, nul)) {
		r->t = R_NULL;
		return;
	}
	if (in_list(in, nan) || in_list(in, pinf) || in_list(in, ninf)) {
		r->t = R_FLOAT;
		r->f = in_list(in, nan) ? NAN : in_list(in, pinf) ? INFINITY : -INFINITY;
		return;
	}
	if (c == '.') {
		/* strconv.ParseFloat(in): digits after the dot, optional exponent */
		if (yaml_style_float(in) && !parse_float(in, &r->f))
			r->t = R_FLOAT;
		return;
	}
	if (!(c == '+' || c == '-' || (c >= '0' && c <= '9')))
		return;
	if (looks_timestamp(in) && strchr(in + 5, '-'))
		return;   /* a timestamp: v2 hands it to interface{} as the string */
	if (!(plain = malloc(strlen(in) + 1)))
		return;
	{
		size_t k = 0;

		for (const char *q = in; *q; q++)
			if (*q != '_')
				plain[k++] = *q;
		plain[k] = '\0';
	}
	if (!go_parse_int0(plain, &r->i))
		r->t = R_INT;
	else if (plain[0] != '+' && plain[0] != '-' && !go_parse_uint0(plain, &r->u))
		r->t = R_UINT;
	else if (yaml_style_float(plain) && !parse_float(plain, &r->f))
		r->t = R_FLOAT;
	free(plain);
	/* "0b..." and "-0b..." are covered by ParseInt's base prefix already. */
}

static int b64val(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	return c == '+' ? 62 : c == '/' ? 63 : -1;
}

/* base64.StdEncoding.DecodeString (newlines skipped) into a new string. */
static int b64_decode(const char *in, size_t len, char **out, size_t *olen)
{
	char *o = malloc(len / 4 * 3 + 4);
	unsigned acc = 0;
	size_t k = 0, nd = 0, pad = 0;

	if (!o)
		return HR_ENOMEM;
	for (size_t i = 0; i < len; i++) {
		int c = (unsigned char)in[i], d;

		if (c == '\r' || c == '\n')
			continue;
		if (c == '=') {
			pad++;
			continue;
		}
		if (pad || (d = b64val(c)) < 0)
			goto bad;
		acc = acc << 6 | (unsigned)d;
		if (++nd % 4 == 0) {
			o[k++] = (char)(acc >> 16);
			o[k++] = (char)(acc >> 8);
			o[k++] = (char)acc;
			acc = 0;
		}
	}
	if ((nd + pad) % 4 || pad > 2 || (pad && nd % 4 != 4 - pad) || nd % 4 == 1)
		goto bad;
	if (nd % 4 == 2)
		o[k++] = (char)(acc >> 4);
	else if (nd % 4 == 3) {
		o[k++] = (char)(acc >> 10);
		o[k++] = (char)(acc >> 2);
	}
	o[k] = '\0';
	*out = o;
	*olen = k;
	return 0;
bad:
	free(o);
	return HR_EFORMAT;
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
	rval r = { 0 };

	memset(v, 0, sizeof(*v));
	if (!tag && !n->implicit) {
		r.t = R_STR;
	} else if (tag && !strcmp(tag, TAG_PREFIX "binary")) {
		if (b64_decode(n->value, n->len, &v->s, &v->slen))
			return yfail(d->err, "%s", "!!binary value contains invalid base64 data", 0);
		v->t = V_STR;
		return 0;
	} else if (tag && strcmp(tag, TAG_PREFIX "str") && strcmp(tag, TAG_PREFIX "bool") &&
		   strcmp(tag, TAG_PREFIX "int") && strcmp(tag, TAG_PREFIX "float") &&
		   strcmp(tag, TAG_PREFIX "null") && strcmp(tag, TAG_PREFIX "timestamp")) {
		r.t = R_STR;      /* not a resolvable tag: the text as it is */
	} else if (tag && !strcmp(tag, TAG_PREFIX "str")) {
		r.t = R_STR;
	} else {
		resolve_plain(strlen(n->value) == n->len ? n->value : "\x01", &r);
		if (tag && !strcmp(tag, TAG_PREFIX "timestamp") && r.t == R_STR && looks_timestamp(n->value))
			r.t = R_TIMESTAMP;
		if (tag) {
			static const struct { const char *tag; int t; } want[] = {
				{ TAG_PREFIX "bool", R_BOOL }, { TAG_PREFIX "int", R_INT }, { TAG_PREFIX "float", R_FLOAT },
				{ TAG_PREFIX "null", R_NULL }, { TAG_PREFIX "timestamp", R_TIMESTAMP },
			};
			int rt = r.t == R_UINT ? R_INT : r.t, ok = 0;

			for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
				if (!strcmp(tag, want[i].tag))
					ok = want[i].t == rt || (want[i].t == R_FLOAT && r.t == R_INT);
			if (!ok) {
				static const char *const names[] = { "!!null", "!!bool", "!!int", "!!int", "!!float",
								     "!!str", "!!timestamp" };
				char sb[128], msg[400];

				snprintf(msg, sizeof(msg), "cannot decode %s `%.200s` as a %s", names[r.t], n->value,
					 short_tag(tag, sb, sizeof(sb)));
				return yfail(d->err, "%s", msg, 0);
			}
			if (r.t == R_INT && !strcmp(tag, TAG_PREFIX "float")) {
				r.t = R_FLOAT;
				r.f = (double)r.i;
			}
		}
	}
	switch (r.t) {
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
	default:
		v->t = V_STR;
		if (!(v->s = dupmem(n->value, n->len)))
			return HR_ENOMEM;
		v->slen = n->len;
		return 0;
	}
}

/* ---- map keys as ghodss/yaml turns them into strings ---- */

/* strconv.FormatFloat(f, 'g', -1, 32). */
static void format_g32(double f, char *out, size_t outsz)
{
	float x = (float)f;
	char buf[64], digits[32];
	int prec, exp, nd = 0, neg;
	char *e;

	if (isnan(x)) {
		snprintf(out, outsz, "NaN");
		return;
	}
	if (isinf(x)) {
		snprintf(out, outsz, x > 0 ? "+Inf" : "-Inf");
		return;
	}
	if (x == 0) {
		snprintf(out, outsz, signbit(x) ? "-0" : "0");
		return;
	}
	for (prec = 1; prec <= 9; prec++) {
		snprintf(buf, sizeof(buf), "%.*e", prec - 1, (double)x);
		if (strtof(buf, NULL) == x)
			break;
	}
	neg = buf[0] == '-';
	for (const char *p = buf + neg; *p && *p != 'e'; p++)
		if (*p != '.')
			digits[nd++] = *p;
	while (nd > 1 && digits[nd - 1] == '0')
		nd--;
	digits[nd] = '\0';
	e = strchr(buf, 'e');
	exp = e ? atoi(e + 1) : 0;
	if (exp < -4 || exp >= 6) {
		snprintf(out, outsz, "%s%c%s%s%se%c%02d", neg ? "-" : "", digits[0], nd > 1 ? "." : "",
			 nd > 1 ? digits + 1 : "", "", exp < 0 ? '-' : '+', exp < 0 ? -exp : exp);
	} else if (exp >= 0) {
		int intd = exp + 1;
		size_t k = 0;

		if (neg)
			out[k++] = '-';
		for (int i = 0; i < intd; i++)
			out[k++] = i < nd ? digits[i] : '0';
		if (nd > intd) {
			out[k++] = '.';
			for (int i = intd; i < nd; i++)
				out[k++] = digits[i];
		}
		out[k] = '\0';
	} else {
		size_t k = 0;

		if (neg)
			out[k++] = '-';
		out[k++] = '0';
		out[k++] = '.';
		for (int i = 0; i < -exp - 1; i++)
			out[k++] = '0';
		for (int i = 0; i < nd; i++)
			out[k++] = digits[i];
		out[k] = '\0';
	}
}

/* The key node as ghodss's string key (owned), or an error for null/uint64/containers. */
static int dec_node(ydec *d, ynode *n, jv *v);

static int key_string(ydec *d, ynode *kn, char **key, size_t *klen)
{
	ynode *n = kn;
	char buf[64];
	jv kv = { 0 };
	rval r = { 0 };
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
		resolve_plain(n->value, &r);
		if (n->tag && !strcmp(n->tag, TAG_PREFIX "float"))
			r.t = R_FLOAT, r.f = kv.num;
		if (r.t == R_INT) {
			snprintf(buf, sizeof(buf), "%lld", (long long)r.i);
		} else if (r.t == R_UINT) {
			jv_free(&kv);
			return yfail(d->err, "error converting YAML to JSON: Unsupported map key of type: uint64, key: %s",
				     n->value, 0);
		} else {
			format_g32(kv.num, buf, sizeof(buf));
			if (!strcmp(buf, "+Inf"))
				strcpy(buf, ".inf");
			else if (!strcmp(buf, "-Inf"))
				strcpy(buf, "-.inf");
			else if (!strcmp(buf, "NaN"))
				strcpy(buf, ".nan");
		}
		jv_free(&kv);
		*klen = strlen(buf);
		return (*key = strdup(buf)) ? 0 : HR_ENOMEM;
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
	if (grow((void **)&obj->kv, &obj->cap, obj->n, sizeof(*obj->kv))) {
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
			if (grow((void **)&v->items, &v->cap, v->n, sizeof(*v->items))) {
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

/* Length of the valid UTF-8 sequence at p as Go's utf8.DecodeRune judges it, 0 if invalid. */
static size_t utf8_len(const unsigned char *p, size_t n)
{
	unsigned char c = p[0], lo = 0x80, hi = 0xbf;
	size_t len;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		len = 2;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3, lo = c == 0xe0 ? 0xa0 : 0x80, hi = c == 0xed ? 0x9f : 0xbf;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4, lo = c == 0xf0 ? 0x90 : 0x80, hi = c == 0xf4 ? 0x8f : 0xbf;
	else
		return 0;
	if (n < len || p[1] < lo || p[1] > hi)
		return 0;
	for (size_t k = 2; k < len; k++)
		if (p[k] < 0x80 || p[k] > 0xbf)
			return 0;
	return len;
}

/* A string after a json.Marshal/Unmarshal round trip: each invalid byte becomes U+FFFD. */
static int put_string(hr_buf *out, const char *s, size_t len)
{
	hr_buf fixed = HR_BUF_INIT;
	size_t i = 0;
	int rc, clean = 1;

	while (i < len) {
		size_t l = utf8_len((const unsigned char *)s + i, len - i);

		if (!l) {
			clean = 0;
			break;
		}
		i += l;
	}
	if (clean)
		return hr_gojson_write_string(out, s, len, 0);
	for (i = 0; i < len;) {
		size_t l = utf8_len((const unsigned char *)s + i, len - i);

		if ((rc = l ? hr_buf_put(&fixed, s + i, l) : hr_buf_put(&fixed, "\xef\xbf\xbd", 3))) {
			hr_buf_free(&fixed);
			return rc;
		}
		i += l ? l : 1;
	}
	rc = hr_gojson_write_string(out, fixed.ptr, fixed.len, 0);
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
