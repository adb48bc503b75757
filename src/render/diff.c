/*
 * diff.c — line diffs (Myers' greedy O(ND) shortest edit script, with the
 * common prefix/suffix stripped first) and the per-resource, per-hook and
 * values comparison of two release revisions that `helmrec diff` prints
 * (names and values from the inputs with terminal controls made visible,
 * util/termsafe.h).  Secret masking is diff_secret.c's.
 */
#include "render/diff.h"
#include "model/manifest.h"
#include "codec/codec.h"
#include "codec/gojson.h"
#include "model/release.h"
#include "util/array.h"
#include "util/termsafe.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_D 2000   /* beyond this edit distance: remove-all/add-all */

typedef struct line {
	const char *p;
	size_t n;
	uint64_t h;
} line;

typedef struct op {
	char t;          /* ' ', '-', '+' */
	size_t a, b;     /* line index in a (for ' ' and '-') and b (for ' ' and '+') */
} op;

static uint64_t fnv(const char *p, size_t n)
{
	uint64_t h = 1469598103934665603ull;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)p[i]) * 1099511628211ull;
	return h;
}

static line *split_lines(const char *s, size_t len, size_t *n)
{
	size_t cnt = 0, k = 0, st = 0;
	line *v;

	for (size_t i = 0; i < len; i++)
		cnt += s[i] == '\n';
	cnt += len && s[len - 1] != '\n';
	v = calloc(cnt ? cnt : 1, sizeof(*v));
	if (!v)
		return NULL;
	for (size_t i = 0; i <= len && k < cnt; i++) {
		if (i == len || s[i] == '\n') {
			v[k].p = s + st;
			v[k].n = i - st;
			v[k].h = fnv(v[k].p, v[k].n);
			k++;
			st = i + 1;
		}
	}
	*n = cnt;
	return v;
}

static int eq(const line *a, const line *b)
{
	return a->h == b->h && a->n == b->n && !memcmp(a->p, b->p, a->n);
}

static int push(op **v, size_t *n, size_t *cap, char t, size_t a, size_t b)
{
	if (HR_ARRAY_GROW(*v, *n + 1, *cap))
		return HR_ENOMEM;
	(*v)[*n].t = t;
	(*v)[*n].a = a;
	(*v)[*n].b = b;
	(*n)++;
	return 0;
}

/*
 * Edit script of A[0..N) -> B[0..M) (already without common ends), in
 * reverse order, appended to ops.  Returns 1 if the distance is over MAX_D.
 */
static int myers(const line *A, size_t N, const line *B, size_t M, size_t a0, size_t b0, op **ops, size_t *n,
		 size_t *cap, int *rc)
{
	long max = (long)(N + M), D = -1;
	long off = max + 1;
	long *V = calloc((size_t)(2 * max + 3), sizeof(long));
	long **trace = NULL;
	long x, y;

	*rc = 0;
	if (!V) {
		*rc = HR_ENOMEM;
		return 0;
	}
	trace = calloc((size_t)(MAX_D + 1), sizeof(*trace));
	if (!trace) {
		free(V);
		*rc = HR_ENOMEM;
		return 0;
	}
	for (long d = 0; d <= max && d <= MAX_D; d++) {
		long lo = -d - 1, hi = d + 1;

		trace[d] = malloc((size_t)(hi - lo + 1) * sizeof(long));
		if (!trace[d]) {
			*rc = HR_ENOMEM;
			goto out;
		}
		for (long k = lo; k <= hi; k++)
			trace[d][k - lo] = (k + off >= 0 && k + off <= 2 * max + 2) ? V[k + off] : -1;
		for (long k = -d; k <= d; k += 2) {
			if (k == -d || (k != d && V[k - 1 + off] < V[k + 1 + off]))
				x = V[k + 1 + off];
			else
				x = V[k - 1 + off] + 1;
			y = x - k;
			while (x < (long)N && y < (long)M && eq(&A[x], &B[y]))
				x++, y++;
			V[k + off] = x;
			if (x >= (long)N && y >= (long)M) {
				D = d;
				goto found;
			}
		}
	}
	goto out;   /* over MAX_D */
found:
	x = (long)N;
	y = (long)M;
	for (long d = D; d > 0; d--) {
		long lo = -d - 1, k = x - y, pk, px, py;
		long *P = trace[d];

		if (k == -d || (k != d && P[k - 1 - lo] < P[k + 1 - lo]))
			pk = k + 1;
		else
			pk = k - 1;
		px = P[pk - lo];
		py = px - pk;
		while (x > px && y > py) {
			x--, y--;
			if ((*rc = push(ops, n, cap, ' ', a0 + (size_t)x, b0 + (size_t)y)))
				goto out;
		}
		if (x == px)
			*rc = push(ops, n, cap, '+', a0 + (size_t)x, b0 + (size_t)(--y));
		else
			*rc = push(ops, n, cap, '-', a0 + (size_t)(--x), b0 + (size_t)y);
		if (*rc)
			goto out;
	}
	while (x > 0 && y > 0) {
		x--, y--;
		if ((*rc = push(ops, n, cap, ' ', a0 + (size_t)x, b0 + (size_t)y)))
			goto out;
	}
out:
	for (long d = 0; d <= MAX_D && trace[d]; d++)
		free(trace[d]);
	free(trace);
	free(V);
	return D < 0 && !*rc;
}

static const char *col(unsigned flags, char t)
{
	if (!(flags & HR_DIFF_COLOR))
		return "";
	return t == '-' ? "\033[31m" : t == '+' ? "\033[32m" : t == '@' ? "\033[36m" : "";
}

static int emit_hunks(hr_buf *out, const op *ops, size_t n, const line *A, const line *B, int context,
		      unsigned flags)
{
	size_t i = 0;
	int rc = 0;
	const char *reset = flags & HR_DIFF_COLOR ? "\033[0m" : "";

	while (i < n && !rc) {
		size_t first, last, s, e, as = 0, bs = 0, al = 0, bl = 0;

		while (i < n && ops[i].t == ' ')
			i++;
		if (i == n)
			break;
		first = i;
		last = i;
		/* extend over changes separated by at most 2*context equal lines */
		for (size_t j = i + 1; j < n; j++) {
			if (ops[j].t == ' ')
				continue;
			if (context >= 0 && j - last > (size_t)(2 * context))
				break;
			last = j;
		}
		s = context < 0 || first < (size_t)context ? 0 : first - (size_t)context;
		e = context < 0 || last + (size_t)context + 1 > n ? n : last + (size_t)context + 1;
		for (size_t j = s; j < e; j++) {
			if (ops[j].t != '+') {
				if (!al)
					as = ops[j].a + 1;
				al++;
			}
			if (ops[j].t != '-') {
				if (!bl)
					bs = ops[j].b + 1;
				bl++;
			}
		}
		if (!al)
			as = s < n && ops[s].t == '+' ? ops[s].a : 0;
		if (!bl)
			bs = s < n && ops[s].t == '-' ? ops[s].b : 0;
		rc = hr_buf_printf(out, "%s@@ -%zu,%zu +%zu,%zu @@%s\n", col(flags, '@'), as, al, bs, bl,
				   *col(flags, '@') ? reset : "");
		for (size_t j = s; !rc && j < e; j++) {
			const line *L = ops[j].t == '+' ? &B[ops[j].b] : &A[ops[j].a];

			rc = hr_buf_printf(out, "%s%c", col(flags, ops[j].t), ops[j].t);
			if (!rc)
				rc = flags & HR_DIFF_TERMSAFE ? hr_termsafe_put(out, L->p, L->n) : hr_buf_put(out, L->p, L->n);
			rc = rc ? rc : hr_buf_printf(out, "%s\n", *col(flags, ops[j].t) ? reset : "");
		}
		i = e;
	}
	return rc;
}

int hr_diff_text(hr_buf *out, const char *a, size_t alen, const char *b, size_t blen, int context,
		 unsigned flags, int *changed)
{
	size_t na = 0, nb = 0, pre = 0, suf = 0, n = 0, cap = 0;
	line *A = split_lines(a, alen, &na), *B = split_lines(b, blen, &nb);
	op *ops = NULL;
	int rc = 0, r;

	if (changed)
		*changed = 0;
	if (!A || !B) {
		rc = HR_ENOMEM;
		goto out;
	}
	while (pre < na && pre < nb && eq(&A[pre], &B[pre]))
		pre++;
	while (suf < na - pre && suf < nb - pre && eq(&A[na - 1 - suf], &B[nb - 1 - suf]))
		suf++;
	if (pre == na && pre == nb)
		goto out;
	if (changed)
		*changed = 1;
	/* ops are built backwards: the common suffix, the middle, the prefix */
	for (size_t i = 0; i < suf && !rc; i++)
		rc = push(&ops, &n, &cap, ' ', na - 1 - i, nb - 1 - i);
	if (rc)
		goto out;
	if (myers(A + pre, na - pre - suf, B + pre, nb - pre - suf, pre, pre, &ops, &n, &cap, &r)) {
		for (size_t i = nb - suf; i-- > pre && !rc;)
			rc = push(&ops, &n, &cap, '+', na - suf, i);
		for (size_t i = na - suf; i-- > pre && !rc;)
			rc = push(&ops, &n, &cap, '-', i, pre);
	} else {
		rc = r;
	}
	for (size_t i = pre; i-- > 0 && !rc;)
		rc = push(&ops, &n, &cap, ' ', i, i);
	if (rc)
		goto out;
	for (size_t i = 0; i < n / 2; i++) {
		op t = ops[i];

		ops[i] = ops[n - 1 - i];
		ops[n - 1 - i] = t;
	}
	rc = emit_hunks(out, ops, n, A, B, context, flags);
out:
	free(A);
	free(B);
	free(ops);
	return rc;
}

/* ---- release comparison ---- */

typedef struct entry {
	char *key;             /* sort/match key */
	char *title;           /* "shop, web-webapp, Deployment (apps)" */
	const char *api_version, *kind, *ns, *name;
	const char *text;
	size_t len;
	int hook;
} entry;

typedef struct side {
	hr_resource_list res;
	hr_hook_ref *hooks;
	size_t nhooks;
	entry *e;
	size_t n, alloc;
} side;

static void side_free(side *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->e[i].key);
		free(s->e[i].title);
	}
	free(s->e);
	free(s->hooks);
	hr_resource_list_free(&s->res);
}

static int add_entry(side *s, const char *av, const char *kind, const char *ns, const char *name, const char *text,
		     size_t len, int hook)
{
	hr_buf k = HR_BUF_INIT, t = HR_BUF_INIT, g = HR_BUF_INIT;
	entry *e;
	int rc;

	if (HR_ARRAY_GROW(s->e, s->n + 1, s->alloc))
		return HR_ENOMEM;
	e = &s->e[s->n];
	rc = hr_api_group(&g, av);
	rc = rc ? rc : hr_buf_printf(&k, "%s%s/%s/%s/%s", hook ? "hook:" : "", g.ptr, kind, ns, name);
	rc = rc ? rc : hr_buf_printf(&t, "%s, %s, %s%s%s%s%s", ns, name, kind, *g.ptr ? " (" : "", g.ptr,
				     *g.ptr ? ")" : "", hook ? " [hook]" : "");
	if (rc) {
		hr_buf_free(&k);
		hr_buf_free(&t);
		hr_buf_free(&g);
		return HR_ENOMEM;
	}
	e->key = hr_buf_detach(&k, NULL);
	e->title = hr_buf_detach(&t, NULL);
	e->api_version = av;
	e->kind = kind;
	e->ns = ns;
	e->name = name;
	e->text = text;
	e->len = len;
	e->hook = hook;
	s->n++;
	hr_buf_free(&g);
	return 0;
}

static int side_load(side *s, struct json_object *rel, hr_error *err)
{
	const char *m = hr_release_str(rel, "manifest"), *rns = hr_release_namespace(rel);
	hr_split_style st;
	hr_kind_order ord;
	int rc;

	rns = rns ? rns : "default";
	hr_manifest_style_for(rel, &st, &ord);
	if ((rc = hr_manifest_resources(&s->res, m, m ? strlen(m) : 0, st, ord, err)) ||
	    (rc = hr_manifest_hooks(rel, NULL, &s->hooks, &s->nhooks, err)))
		return rc;
	for (size_t i = 0; i < s->res.n; i++) {
		hr_resource *r = &s->res.items[i];

		if (add_entry(s, r->api_version, r->kind, *r->namespace ? r->namespace : rns, r->name, r->text, r->len, 0))
			return hr_error_set(err, HR_ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < s->nhooks; i++) {
		hr_hook_ref *h = &s->hooks[i];
		struct json_object *av = NULL;

		(void)av;
		if (add_entry(s, "", h->kind, rns, h->name, h->manifest, h->manifest_len, 1))
			return hr_error_set(err, HR_ENOMEM, "out of memory");
	}
	return 0;
}

static const entry *find(const side *s, const char *key)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->e[i].key, key))
			return &s->e[i];
	return NULL;
}

static int report(hr_buf *out, struct json_object *arr, const hr_diff_opts *o, const char *title, const char *what,
		  const char *a, size_t al, const char *b, size_t bl, const entry *e)
{
	hr_buf d = HR_BUF_INIT;
	int rc = hr_diff_text(&d, a, al, b, bl, o->context, o->as_json ? 0 : o->flags | HR_DIFF_TERMSAFE, NULL);

	if (rc)
		goto out;
	if (o->as_json) {
		struct json_object *j = json_object_new_object();

		if (!j) {
			rc = HR_ENOMEM;
			goto out;
		}
		json_object_object_add(j, "change", json_object_new_string(what));
		if (e) {
			json_object_object_add(j, "kind", json_object_new_string(e->kind));
			json_object_object_add(j, "apiVersion", json_object_new_string(e->api_version));
			json_object_object_add(j, "namespace", json_object_new_string(e->ns));
			json_object_object_add(j, "name", json_object_new_string(e->name));
			json_object_object_add(j, "hook", json_object_new_boolean(e->hook));
		} else {
			json_object_object_add(j, "values", json_object_new_boolean(1));
		}
		json_object_object_add(j, "diff", json_object_new_string_len(d.ptr ? d.ptr : "", (int)d.len));
		json_object_array_add(arr, j);
	} else {
		const char *y = o->flags & HR_DIFF_COLOR ? "\033[33m" : "", *z = o->flags & HR_DIFF_COLOR ? "\033[0m" : "";

		/* the title names the object (from the inputs): terminal controls made visible */
		rc = hr_buf_puts(out, y) || hr_termsafe_put(out, title, strlen(title)) ? HR_ENOMEM
		     : hr_buf_printf(out, " has %s:%s\n", what, z);
		rc = rc ? rc : hr_buf_put(out, d.ptr ? d.ptr : "", d.len);
		rc = rc ? rc : hr_buf_putc(out, '\n');
	}
out:
	hr_buf_free(&d);
	return rc;
}

static int masked(hr_buf *out, const entry *e, const entry *other, const char *mark, unsigned flags)
{
	if (!e)
		return 0;
	if (flags & HR_DIFF_SHOW_SECRETS)
		return hr_buf_put(out, e->text, e->len);
	return hr_diff_mask_secret(out, e->text, e->len, other ? other->text : NULL, other ? other->len : 0, mark);
}

int hr_diff_releases(hr_buf *out, struct json_object *a, struct json_object *b, const hr_diff_opts *o,
		     size_t *nchanges, hr_error *err)
{
	side A = { 0 }, B = { 0 };
	hr_buf ta = HR_BUF_INIT, tb = HR_BUF_INIT;
	struct json_object *arr = NULL;
	size_t changes = 0;
	int rc;

	if ((rc = side_load(&A, a, err)) || (rc = side_load(&B, b, err)))
		goto out;
	if (o->as_json && !(arr = json_object_new_array()))
		goto nomem;
	/* in B's order: changed and added; then what only A has: removed */
	for (size_t i = 0; i < B.n; i++) {
		const entry *eb = &B.e[i], *ea = find(&A, eb->key);

		hr_buf_clear(&ta);
		hr_buf_clear(&tb);
		if (masked(&ta, ea, eb, "--------", o->flags) || masked(&tb, eb, ea, "++++++++", o->flags))
			goto nomem;
		if (ea && ta.len == tb.len && !memcmp(ta.ptr, tb.ptr, ta.len) && ea->len == eb->len &&
		    !memcmp(ea->text, eb->text, ea->len))
			continue;
		changes++;
		if ((rc = report(out, arr, o, eb->title, ea ? "changed" : "been added", ta.ptr ? ta.ptr : "", ta.len,
				 tb.ptr, tb.len, eb)))
			goto nomem;
	}
	for (size_t i = 0; i < A.n; i++) {
		const entry *ea = &A.e[i];

		if (find(&B, ea->key))
			continue;
		hr_buf_clear(&ta);
		if (masked(&ta, ea, NULL, "--------", o->flags))
			goto nomem;
		changes++;
		if ((rc = report(out, arr, o, ea->title, "been removed", ta.ptr, ta.len, "", 0, ea)))
			goto nomem;
	}
	/* user-supplied values */
	hr_buf_clear(&ta);
	hr_buf_clear(&tb);
	if (hr_buf_puts(&ta, "") || hr_buf_puts(&tb, ""))
		goto nomem;
	if (hr_diff_values_lines(&ta, hr_release_get(a, "config"), hr_release_get(b, "config"), "--------", o->flags) ||
	    hr_diff_values_lines(&tb, hr_release_get(b, "config"), hr_release_get(a, "config"), "++++++++", o->flags))
		goto nomem;
	if (ta.len != tb.len || memcmp(ta.ptr, tb.ptr, ta.len)) {
		changes++;
		if ((rc = report(out, arr, o, "user-supplied values", "changed", ta.ptr, ta.len, tb.ptr, tb.len, NULL)))
			goto nomem;
	}
	if (o->as_json) {
		struct json_object *doc = json_object_new_object();
		hr_buf c = HR_BUF_INIT;

		if (!doc)
			goto nomem;
		json_object_object_add(doc, "release", json_object_new_string(hr_release_name(b) ? hr_release_name(b) : ""));
		json_object_object_add(doc, "from", json_object_new_int64(hr_release_version(a)));
		json_object_object_add(doc, "to", json_object_new_int64(hr_release_version(b)));
		json_object_object_add(doc, "changes", arr);
		arr = NULL;
		rc = hr_gojson_write(&c, doc, HR_GOJSON_NO_HTML_ESCAPE);
		rc = rc ? rc : hr_termsafe_json(out, c.ptr, c.len);   /* DEL, C1 as JSON escapes too */
		rc = rc ? rc : hr_buf_putc(out, '\n');
		hr_buf_free(&c);
		json_object_put(doc);
		if (rc)
			goto nomem;
	}
	if (nchanges)
		*nchanges = changes;
	rc = 0;
	goto out;
nomem:
	rc = hr_error_set(err, HR_ENOMEM, "out of memory");
out:
	json_object_put(arr);
	side_free(&A);
	side_free(&B);
	hr_buf_free(&ta);
	hr_buf_free(&tb);
	return rc;
}
