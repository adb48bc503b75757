/*
 * manifest.c — helm's SplitManifests (three historical behaviours), the
 * install kind order, per-resource heads read with libyaml, and hooks in
 * execution order.  This is what rollback and diff see of a manifest: the
 * same documents, in the same order, that helm's kube client would build
 * from the stored string.
 */
#include "model/manifest.h"
#include "util/array.h"
#include "model/release.h"
#include "util/gostrings.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

/* ---- whitespace as Go sees it ---- */

/* RE2's \s: [\t\n\f\r ] (no \v). */
static int re_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}

static void trim_left(const char *t, size_t *off, size_t *len)
{
	size_t k;

	while (*len && (k = hr_go_space_len(t + *off, *len))) {
		*off += k;
		*len -= k;
	}
}

static void trim_right(const char *t, size_t off, size_t *len)
{
	size_t k;

	while (*len && (k = hr_go_space_len_before(t + off, *len)))
		*len -= k;
}

/* ---- the two separator regexes ---- */

/*
 * Leftmost match of `(?:^|\s*\n)---\s*` in t[from..n) (`^` = offset 0).
 * A match starting at p needs a run of \s from p ending in "\n" right
 * before "---"; the first "\n---" at or after `from` gives the leftmost p.
 */
static int find_old(const char *t, size_t n, size_t from, size_t *ms, size_t *me)
{
	size_t k, p, e;

	if (from == 0 && n >= 3 && !memcmp(t, "---", 3)) {
		p = 0;
		e = 3;
		goto tail;
	}
	for (k = from; k + 4 <= n; k++) {
		if (t[k] != '\n' || memcmp(t + k + 1, "---", 3))
			continue;
		p = k;
		while (p > from && re_space((unsigned char)t[p - 1]))
			p--;
		e = k + 4;
		goto tail;
	}
	return 0;
tail:
	while (e < n && re_space((unsigned char)t[e]))
		e++;
	*ms = p;
	*me = e;
	return 1;
}

/* Leftmost match of `(?m)^---[ \t]*` in t[from..n); only line starts can match, so hop by line. */
static int find_new(const char *t, size_t n, size_t from, size_t *ms, size_t *me)
{
	size_t p = from;

	while (p + 3 <= n) {
		const char *nl;

		if ((p == 0 || t[p - 1] == '\n') && !memcmp(t + p, "---", 3)) {
			size_t e = p + 3;

			while (e < n && (t[e] == ' ' || t[e] == '\t'))
				e++;
			*ms = p;
			*me = e;
			return 1;
		}
		if (!(nl = memchr(t + p, '\n', n - p)))
			break;
		p = (size_t)(nl - t) + 1;
	}
	return 0;
}

static int push_span(hr_span **v, size_t *n, size_t *cap, size_t off, size_t len)
{
	if (HR_ARRAY_GROW(*v, *n + 1, *cap))
		return HR_ENOMEM;
	(*v)[*n].off = off;
	(*v)[*n].len = len;
	(*n)++;
	return 0;
}

/* Keep piece t[off..off+len) as SplitManifests would (after Go's Split). */
static int keep_piece(const char *t, size_t off, size_t len, hr_split_style style, hr_span **v, size_t *n,
		      size_t *cap)
{
	if (style == HR_SPLIT_OLD) {
		if (!len)
			return 0;
		trim_left(t, &off, &len);
		trim_right(t, off, &len);
		return push_span(v, n, cap, off, len);
	}
	trim_left(t, &off, &len);
	if (!len)   /* whitespace-only */
		return 0;
	return push_span(v, n, cap, off, len);
}

int hr_manifest_split(const char *text, size_t len, hr_split_style style, hr_span **docs, size_t *n,
		      hr_error *err)
{
	size_t off = 0, blen = len, cap = 0, beg, pos, ms, me;
	hr_span *v = NULL;
	int rc = 0;

	*docs = NULL;
	*n = 0;
	trim_left(text, &off, &blen);
	if (style == HR_SPLIT_OLD)
		trim_right(text, off, &blen);
	text += off;
	/* Go's Regexp.Split(s, -1) over text[0..blen) */
	beg = pos = 0;
	while (pos <= blen) {
		int found = style == HR_SPLIT_H424 ? find_new(text, blen, pos, &ms, &me)
						   : find_old(text, blen, pos, &ms, &me);
		if (!found)
			break;
		if (me != 0 && (rc = keep_piece(text, beg, ms - beg, style, &v, n, &cap)))
			goto fail;
		beg = pos = me;
	}
	if ((rc = keep_piece(text, beg, blen - beg, style, &v, n, &cap)))
		goto fail;
	for (size_t i = 0; i < *n; i++)
		v[i].off += off;
	*docs = v;
	return 0;
fail:
	free(v);
	*n = 0;
	return hr_error_set(err, rc, "splitting manifest: out of memory");
}

/* ---- kind orders ---- */

static const char *const kinds_h4[] = {
	"PriorityClass", "Namespace", "NetworkPolicy", "ResourceQuota", "LimitRange", "PodSecurityPolicy",
	"PodDisruptionBudget", "ServiceAccount", "Secret", "SecretList", "ConfigMap", "StorageClass",
	"PersistentVolume", "PersistentVolumeClaim", "CustomResourceDefinition", "ClusterRole",
	"ClusterRoleList", "ClusterRoleBinding", "ClusterRoleBindingList", "Role", "RoleList", "RoleBinding",
	"RoleBindingList", "Service", "DaemonSet", "Pod", "ReplicationController", "ReplicaSet", "Deployment",
	"HorizontalPodAutoscaler", "StatefulSet", "Job", "CronJob", "IngressClass", "Ingress", "APIService",
	"MutatingWebhookConfiguration", "ValidatingWebhookConfiguration", NULL
};

int hr_kind_rank(hr_kind_order order, const char *kind)
{
	/* H3 (3.13+) is the H4 list without the two webhook kinds; 3.9-3.12 also lacks PriorityClass */
	size_t first = order == HR_KINDS_H3_OLD ? 1 : 0;
	size_t last = order == HR_KINDS_H4 ? 38 : 36;

	if (!kind)
		return -1;
	for (size_t i = first; i < last; i++)
		if (!strcmp(kinds_h4[i], kind))
			return (int)(i - first);
	return -1;
}

int hr_kind_less(hr_kind_order order, const char *a, const char *b)
{
	int ra = hr_kind_rank(order, a), rb = hr_kind_rank(order, b);

	if (ra < 0 && rb < 0)
		return strcmp(a ? a : "", b ? b : "") < 0;
	if (ra < 0)
		return 0;
	if (rb < 0)
		return 1;
	return ra < rb;
}

/* ---- document heads ---- */

static char *dup_n(const char *s, size_t n)
{
	char *p = malloc(n + 1);

	if (p) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

/* One open collection while walking a document head. */
typedef struct head_frame {
	int is_map, expect_key, as_key;
	int role;          /* 1: the top mapping, 2: its metadata mapping */
	char **target;     /* value slot of the pending key (NULL = ignore) */
	int meta_pending;  /* the pending key is top-level "metadata" */
} head_frame;

#define HEAD_MAX_DEPTH 64

/* After a node in frame f: a key was consumed (value next) or a value (key next). */
static void head_node_done(head_frame *f)
{
	if (f->is_map) {
		if (!f->expect_key) {
			f->target = NULL;
			f->meta_pending = 0;
		}
		f->expect_key = !f->expect_key;
	}
}

/*
 * Walk the events of one document: record scalar values of the top-level
 * keys apiVersion / kind and of metadata.name / metadata.namespace.
 * Deeper nesting than HEAD_MAX_DEPTH is only counted, never looked into.
 */
int hr_manifest_head(const char *doc, size_t len, char **api_version, char **kind, char **ns, char **name,
		     hr_error *err)
{
	head_frame st[HEAD_MAX_DEPTH];
	yaml_parser_t p;
	yaml_event_t ev;
	int depth = 0, deep = 0, done = 0, rc = 0;

	*api_version = strdup("");
	*kind = strdup("");
	*ns = strdup("");
	*name = strdup("");
	if (!*api_version || !*kind || !*ns || !*name)
		return hr_error_set(err, HR_ENOMEM, "out of memory");
	if (!yaml_parser_initialize(&p))
		return hr_error_set(err, HR_ENOMEM, "out of memory");
	yaml_parser_set_input_string(&p, (const unsigned char *)doc, len);
	while (!done) {
		if (!yaml_parser_parse(&p, &ev)) {
			rc = hr_error_set(err, HR_EFORMAT, "YAML: %s at line %lu", p.problem ? p.problem : "error",
					  (unsigned long)p.problem_mark.line + 1);
			break;
		}
		switch (ev.type) {
		case YAML_MAPPING_START_EVENT:
		case YAML_SEQUENCE_START_EVENT:
			if (deep || depth == HEAD_MAX_DEPTH) {
				deep++;
				break;
			}
			st[depth].is_map = ev.type == YAML_MAPPING_START_EVENT;
			st[depth].expect_key = 1;
			st[depth].target = NULL;
			st[depth].meta_pending = 0;
			st[depth].role = 0;
			st[depth].as_key = depth > 0 && st[depth - 1].is_map && st[depth - 1].expect_key;
			if (depth == 0 && st[0].is_map)
				st[0].role = 1;
			else if (depth == 1 && st[1].is_map && !st[1].as_key && st[0].meta_pending)
				st[1].role = 2;
			depth++;
			break;
		case YAML_MAPPING_END_EVENT:
		case YAML_SEQUENCE_END_EVENT:
			if (deep) {
				deep--;
				break;
			}
			if (depth > 0)
				depth--;
			if (depth == 0)
				done = 1;
			else
				head_node_done(&st[depth - 1]);
			break;
		case YAML_SCALAR_EVENT:
		case YAML_ALIAS_EVENT: {
			head_frame *f;

			if (deep || depth == 0)
				break;
			f = &st[depth - 1];
			if (f->is_map && f->expect_key && ev.type == YAML_SCALAR_EVENT) {
				const char *v = (const char *)ev.data.scalar.value;
				size_t vl = ev.data.scalar.length;

				if (f->role == 1) {
					if (vl == 10 && !memcmp(v, "apiVersion", 10))
						f->target = api_version;
					else if (vl == 4 && !memcmp(v, "kind", 4))
						f->target = kind;
					else if (vl == 8 && !memcmp(v, "metadata", 8))
						f->meta_pending = 1;
				} else if (f->role == 2) {
					if (vl == 4 && !memcmp(v, "name", 4))
						f->target = name;
					else if (vl == 9 && !memcmp(v, "namespace", 9))
						f->target = ns;
				}
			} else if (f->is_map && !f->expect_key && f->target && ev.type == YAML_SCALAR_EVENT) {
				char *c = dup_n((const char *)ev.data.scalar.value, ev.data.scalar.length);

				if (!c) {
					yaml_event_delete(&ev);
					rc = hr_error_set(err, HR_ENOMEM, "out of memory");
					goto out;
				}
				free(*f->target);
				*f->target = c;
			}
			head_node_done(f);
			break;
		}
		case YAML_DOCUMENT_END_EVENT:
		case YAML_STREAM_END_EVENT:
			done = 1;
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
	}
out:
	yaml_parser_delete(&p);
	return rc;
}

int hr_api_group(hr_buf *out, const char *api_version)
{
	const char *slash = api_version ? strchr(api_version, '/') : NULL;

	hr_buf_clear(out);
	if (!slash)
		return hr_buf_puts(out, "");
	return hr_buf_put(out, api_version, (size_t)(slash - api_version));
}

int hr_resource_key(hr_buf *out, const hr_resource *r, const char *default_ns)
{
	const char *slash = strchr(r->api_version, '/');
	int rc;

	hr_buf_clear(out);
	if (slash)
		rc = hr_buf_put(out, r->api_version, (size_t)(slash - r->api_version));
	else
		rc = hr_buf_puts(out, "");
	if (!rc)
		rc = hr_buf_printf(out, "/%s/%s/%s", r->kind, *r->namespace ? r->namespace : (default_ns ? default_ns : ""),
				   r->name);
	return rc;
}

void hr_manifest_style_for(struct json_object *rel, hr_split_style *style, hr_kind_order *order)
{
	int major = hr_release_writer_major(rel);

	*style = HR_SPLIT_OLD;
	*order = major >= 4 ? HR_KINDS_H4 : HR_KINDS_H3;
}

/* ---- the quick head (indexing) ---- */

/* Copy of s[0..n) without surrounding blanks and one pair of quotes. */
static char *dup_trim(const char *s, size_t n)
{
	while (n && (*s == ' ' || *s == '\t'))
		s++, n--;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		n--;
	if (n >= 2 && ((s[0] == '"' && s[n - 1] == '"') || (s[0] == '\'' && s[n - 1] == '\'')))
		s++, n -= 2;
	return dup_n(s, n);
}

void hr_doc_head_release(hr_doc_head *h)
{
	free(h->api_version);
	free(h->kind);
	free(h->name);
	free(h->namespace);
	free(h->source);
	memset(h, 0, sizeof(*h));
}

int hr_manifest_head_quick(hr_doc_head *h, const char *doc, size_t len)
{
	const char *p = doc, *end = doc + len;
	int in_meta = 0;

	memset(h, 0, sizeof(*h));
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		size_t n = eol ? (size_t)(eol - p) : (size_t)(end - p);
		char **slot = NULL;
		size_t skip = 0;

#define KEY(lit) (n > sizeof(lit) - 1 && !memcmp(p, lit, sizeof(lit) - 1))
		/* by the first byte: most lines of a document are indented and
		 * none of the keys looked for outside metadata */
		switch (n ? (unsigned char)p[0] : -1) {
		case '#':
			if (KEY("# Source: ") && !h->source)
				slot = &h->source, skip = 10;
			break;
		case ' ':
			if (in_meta) {
				if (KEY("  name:") && !h->name)
					slot = &h->name, skip = 7;
				else if (KEY("  namespace:") && !h->namespace)
					slot = &h->namespace, skip = 12;
			}
			break;
		case -1:
			break;
		default:
			if (KEY("apiVersion:") && !h->api_version)
				slot = &h->api_version, skip = 11;
			else if (KEY("kind:") && !h->kind)
				slot = &h->kind, skip = 5;
			else if (n >= 9 && !memcmp(p, "metadata:", 9))
				in_meta = 1;
			else
				in_meta = 0;
		}
#undef KEY
		if (slot && !(*slot = dup_trim(p + skip, n - skip))) {
			hr_doc_head_release(h);
			return HR_ENOMEM;
		}
		p += n + 1;
	}
	return 0;
}

/* ---- the sure head (libyaml's answer without libyaml, when certain) ---- */

/* A key at the start of s[0..n): [A-Za-z0-9_][A-Za-z0-9_./-]* then ':' and a blank or the end; its length, else 0. */
static size_t plain_key(const char *s, size_t n)
{
	size_t k = 0;

	while (k < n && (isalnum((unsigned char)s[k]) || s[k] == '_' ||
			 (k && (s[k] == '.' || s[k] == '/' || s[k] == '-'))))
		k++;
	if (!k || k >= n || s[k] != ':' || (k + 1 < n && s[k + 1] != ' '))
		return 0;
	return k;
}

/* A value libyaml reads as the same text: [A-Za-z0-9._/-] and inner ':', bare or in one pair of quotes. */
static int plain_value(const char *v, size_t n, const char **out, size_t *out_n)
{
	if (n >= 2 && (v[0] == '"' || v[0] == '\'') && v[n - 1] == v[0])
		v++, n -= 2;
	if (!n || v[0] == ':' || v[n - 1] == ':')
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)v[i]) && !strchr("._/-:", v[i]))
			return 0;
	*out = v;
	*out_n = n;
	return 1;
}

/* The value after "key:" (v[0..n)), blanks trimmed, when plain_value takes it. */
static int take_value(const char *v, size_t n, const char **out, size_t *out_n)
{
	while (n && *v == ' ')
		v++, n--;
	while (n && v[n - 1] == ' ')
		n--;
	return plain_value(v, n, out, out_n);
}

/*
 * A line that cannot carry structure past its end: a value (after
 * "- " and "key: ") that opens a quote or a flow collection closes it on
 * the same line.  Anything else (a multi-line quoted or flow scalar could
 * hold lines that look like keys) makes the document unsure.
 */
static int line_closed(const char *s, size_t n)
{
	int depth = 0;
	size_t k;

	for (;;) {
		if (n >= 2 && s[0] == '-' && s[1] == ' ')
			s += 2, n -= 2;
		else if (n == 1 && s[0] == '-')
			return 1;
		else
			break;
		while (n && *s == ' ')
			s++, n--;
	}
	if (n && (s[0] == '"' || s[0] == '\'')) {
		/* a quoted key ("helm.sh/hook": x) or a quoted scalar */
		for (k = 1; k < n && s[k] != s[0]; k++)
			if (s[0] == '"' && s[k] == '\\')
				k++;
		if (k >= n)
			return 0;
		k++;
		if (k == n)
			return 1;
		if (s[k] != ':' || (k + 1 < n && s[k + 1] != ' '))
			return 0;
	} else {
		/* (a plain key may hold blanks: "tar image: \"x" opens a quote too) */
		for (k = 0; k < n && s[k] != '"' && s[k] != '\'' && s[k] != '{' && s[k] != '['; k++)
			if (s[k] == ':' && (k + 1 == n || s[k + 1] == ' '))
				break;
	}
	if (k < n && s[k] == ':') {
		s += k + 1, n -= k + 1;
		while (n && *s == ' ')
			s++, n--;
	}
	if (n && (s[0] == '"' || s[0] == '\''))
		return n >= 2 && s[n - 1] == s[0];
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '{' || s[i] == '[')
			depth++;
		else if (s[i] == '}' || s[i] == ']')
			depth--;
	}
	return depth == 0;
}

int hr_manifest_head_sure(const char *doc, size_t len, char **api_version, char **kind, char **ns, char **name)
{
	const char *p = doc, *end = doc + len, *val[4] = { NULL, NULL, NULL, NULL };
	size_t vlen[4] = { 0, 0, 0, 0 };
	char **out[4] = { api_version, kind, ns, name };
	int in_meta = 0, meta_seen = 0, top_seen = 0, taken = -1;   /* indentation of a value just taken */

	*api_version = *kind = *ns = *name = NULL;
	/* libyaml also breaks lines at CR, NEL, LS and PS: anywhere, even in a comment, they end a line */
	if (memchr(doc, '\r', len) || memmem(doc, len, "\xc2\x85", 2) || memmem(doc, len, "\xe2\x80\xa8", 3) ||
	    memmem(doc, len, "\xe2\x80\xa9", 3))
		return 0;
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		size_t n = eol ? (size_t)(eol - p) : (size_t)(end - p), ind = 0, k;
		const char *line = p;

		p += n + 1;
		while (ind < n && line[ind] == ' ')
			ind++;
		if (ind == n || line[ind] == '#')
			continue;               /* blank or comment: no structure */
		if (line[ind] == '\t' || !line_closed(line + ind, n - ind))
			return 0;
		/* a line deeper than the value just taken continues that (plain) scalar */
		if (taken >= 0 && ind > (size_t)taken)
			return 0;
		taken = -1;
		if (ind == 0) {
			int slot = -1;

			if (!(k = plain_key(line, n)))
				return 0;       /* a root that is no plain block mapping */
			top_seen = 1;
			in_meta = 0;
			if (k == 10 && !memcmp(line, "apiVersion", 10))
				slot = 0;
			else if (k == 4 && !memcmp(line, "kind", 4))
				slot = 1;
			else if (k == 8 && !memcmp(line, "metadata", 8)) {
				for (size_t i = k + 1; i < n; i++)
					if (line[i] != ' ')
						return 0;       /* inline or anchored metadata */
				if (meta_seen++)
					return 0;
				in_meta = 1;
				continue;
			}
			if (slot >= 0 && (val[slot] || !take_value(line + k + 1, n - k - 1, &val[slot], &vlen[slot])))
				return 0;       /* a duplicate, or not plain */
			if (slot >= 0)
				taken = 0;
			continue;
		}
		if (!top_seen)
			return 0;               /* an indented root */
		if (in_meta == 1 && ind != 2)
			return 0;               /* metadata's keys not at two spaces */
		if (in_meta)
			in_meta = 2;            /* its first key seen: its keys are at two */
		if (!in_meta || ind > 2)
			continue;               /* deeper than the keys looked for */
		if (ind != 2 || !(k = plain_key(line + 2, n - 2)))
			return 0;               /* metadata's keys not at two spaces, or not plain */
		if ((k == 4 && !memcmp(line + 2, "name", 4)) || (k == 9 && !memcmp(line + 2, "namespace", 9))) {
			int slot = k == 4 ? 3 : 2;

			if (val[slot] || !take_value(line + 2 + k + 1, n - 2 - k - 1, &val[slot], &vlen[slot]))
				return 0;
			taken = 2;
		}
	}
	for (int i = 0; i < 4; i++)
		if (!(*out[i] = val[i] ? dup_n(val[i], vlen[i]) : strdup(""))) {
			for (int j = 0; j < 4; j++) {
				free(*out[j]);
				*out[j] = NULL;
			}
			return HR_ENOMEM;
		}
	return 1;
}

/* ---- resources ---- */

void hr_resource_list_free(hr_resource_list *l)
{
	for (size_t i = 0; l && i < l->n; i++) {
		hr_resource *r = &l->items[i];

		free(r->source);
		free(r->api_version);
		free(r->kind);
		free(r->namespace);
		free(r->name);
		free(r->text);
	}
	if (l) {
		free(l->items);
		l->items = NULL;
		l->n = 0;
	}
}

/* The path of a leading "# Source: PATH" line, "" if the document has none. */
static char *source_of(const char *doc, size_t len)
{
	static const char tag[] = "# Source: ";
	size_t tl = sizeof(tag) - 1, e;

	if (len < tl || memcmp(doc, tag, tl))
		return strdup("");
	for (e = tl; e < len && doc[e] != '\n'; e++)
		;
	if (e > tl && doc[e - 1] == '\r')
		e--;
	return dup_n(doc + tl, e - tl);
}

/* Stable insertion sort by kind (manifests are small; keeps input order for ties). */
static void sort_by_kind(hr_resource *v, size_t n, hr_kind_order order)
{
	for (size_t i = 1; i < n; i++) {
		hr_resource x = v[i];
		size_t j = i;

		while (j > 0 && hr_kind_less(order, x.kind, v[j - 1].kind)) {
			v[j] = v[j - 1];
			j--;
		}
		v[j] = x;
	}
}

int hr_manifest_resources(hr_resource_list *out, const char *manifest, size_t len, hr_split_style style,
			  hr_kind_order order, hr_error *err)
{
	return hr_manifest_resources_ex(out, manifest, len, style, order, 0, err);
}

int hr_manifest_resources_ex(hr_resource_list *out, const char *manifest, size_t len, hr_split_style style,
			     hr_kind_order order, unsigned flags, hr_error *err)
{
	hr_span *docs = NULL;
	size_t n = 0;
	int rc;

	out->items = NULL;
	out->n = 0;
	if ((rc = hr_manifest_split(manifest ? manifest : "", manifest ? len : 0, style, &docs, &n, err)))
		return rc;
	if (n) {
		out->items = calloc(n, sizeof(*out->items));
		if (!out->items) {
			rc = hr_error_set(err, HR_ENOMEM, "out of memory");
			goto fail;
		}
	}
	for (size_t i = 0; i < n; i++) {
		hr_resource *r = &out->items[i];
		const char *d = manifest + docs[i].off;
		hr_error e2 = HR_ERROR_INIT;

		out->n = i + 1;
		r->index = i;
		r->len = docs[i].len;
		r->text = dup_n(d, r->len);
		r->source = source_of(d, r->len);
		if (!r->text || !r->source) {
			rc = hr_error_set(err, HR_ENOMEM, "out of memory");
			goto fail;
		}
		rc = flags & HR_RESOURCES_UNCHECKED ? hr_manifest_head_sure(d, r->len, &r->api_version, &r->kind,
									    &r->namespace, &r->name) : 0;
		if (rc == 1)
			rc = 0;         /* the same heads, the document not checked */
		else if (rc == 0)
			rc = hr_manifest_head(d, r->len, &r->api_version, &r->kind, &r->namespace, &r->name, &e2);
		if (rc == HR_ENOMEM || !r->api_version || !r->kind || !r->namespace || !r->name) {
			rc = hr_error_set(err, HR_ENOMEM, "out of memory");
			goto fail;
		}
		r->bad_yaml = rc != 0;
		rc = 0;
	}
	free(docs);
	sort_by_kind(out->items, out->n, order);
	return 0;
fail:
	free(docs);
	hr_resource_list_free(out);
	return rc;
}

/* ---- hooks ---- */

int hr_hook_has_event(struct json_object *h, const char *event)
{
	struct json_object *ev;

	if (!json_object_object_get_ex(h, "events", &ev) || !json_object_is_type(ev, json_type_array))
		return 0;
	for (size_t i = 0; i < json_object_array_length(ev); i++) {
		const char *s = json_object_get_string(json_object_array_get_idx(ev, i));

		if (s && !strcmp(s, event))
			return 1;
	}
	return 0;
}

static int hook_before(const hr_hook_ref *a, const hr_hook_ref *b)
{
	if (a->weight != b->weight)
		return a->weight < b->weight;
	return strcmp(a->name, b->name) < 0;
}

int hr_manifest_hooks(struct json_object *rel, const char *event, hr_hook_ref **out, size_t *n, hr_error *err)
{
	struct json_object *hooks = hr_release_get(rel, "hooks");
	size_t cnt, k = 0;
	hr_hook_ref *v;

	*out = NULL;
	*n = 0;
	cnt = hooks && json_object_is_type(hooks, json_type_array) ? json_object_array_length(hooks) : 0;
	v = calloc(cnt ? cnt : 1, sizeof(*v));
	if (!v)
		return hr_error_set(err, HR_ENOMEM, "out of memory");
	for (size_t i = 0; i < cnt; i++) {
		struct json_object *h = json_object_array_get_idx(hooks, i), *m;
		hr_hook_ref *r = &v[k];

		if (!h || !json_object_is_type(h, json_type_object))
			continue;
		if (event && !hr_hook_has_event(h, event))
			continue;
		r->hook = h;
		r->index = i;
		r->name = hr_release_str(h, "name");
		r->kind = hr_release_str(h, "kind");
		r->path = hr_release_str(h, "path");
		r->name = r->name ? r->name : "";
		r->kind = r->kind ? r->kind : "";
		r->path = r->path ? r->path : "";
		r->weight = hr_release_int(h, "weight", 0);
		if (json_object_object_get_ex(h, "manifest", &m) && json_object_is_type(m, json_type_string)) {
			r->manifest = json_object_get_string(m);
			r->manifest_len = (size_t)json_object_get_string_len(m);
		} else {
			r->manifest = "";
		}
		k++;
	}
	if (event) {
		/* sort.Stable(hookByWeight): insertion sort is stable */
		for (size_t i = 1; i < k; i++) {
			hr_hook_ref x = v[i];
			size_t j = i;

			while (j > 0 && hook_before(&x, &v[j - 1])) {
				v[j] = v[j - 1];
				j--;
			}
			v[j] = x;
		}
	}
	*out = v;
	*n = k;
	return 0;
}
