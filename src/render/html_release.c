/*
 * html_release.c — one release's data in the HTML report (html.c writes
 * the page around it): the <script type="application/json"> block the
 * page's script draws when the release's section is opened — per
 * revision, its
 * status, values, resources, hooks, notes and sightings.  Credential
 * values are masked in place or cut out of texts unless --show-secrets,
 * a text equal to the last one under the same key is written as 0, and a
 * large block is gzip'd and base64'd.
 */
#include "render/html.h"
#include "render/html_int.h"
#include "render/diff.h"
#include "render/yaml.h"
#include "audit/audit.h"
#include "index/report.h"
#include "codec/codec.h"
#include "codec/gojson.h"
#include "model/manifest.h"
#include "model/release.h"
#include "util/array.h"
#include "util/buf.h"

#include <stdlib.h>
#include <string.h>

/* Release data blocks at least this long are gzip'd + base64'd (the page inflates them with DecompressionStream). */
#define ZIP_AT 2048
/*
 * libdeflate's level for them: zlib's level 9 (Helm's own) spent minutes on a
 * 50 000-revision report for a few per cent of size (docs/performance.md).
 */
#define ZIP_LEVEL 6

/* ---- credential masking ---- */

typedef struct creds {
	char **s;
	size_t n, cap;
} creds;

static void creds_release(creds *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->s[i]);
	free(c->s);
	c->s = NULL;
	c->n = c->cap = 0;
}

static int creds_add(creds *c, const char *s)
{
	if (strlen(s) < 4)   /* too short to cut out of text without cutting everything */
		return 0;
	for (size_t i = 0; i < c->n; i++)
		if (!strcmp(c->s[i], s))
			return 0;
	if (HR_ARRAY_GROW(c->s, c->n + 1, c->cap) || !(c->s[c->n] = strdup(s)))
		return HR_ENOMEM;
	c->n++;
	return 0;
}

#define MASKED "••••• (masked; --show-secrets shows it)"

/*
 * Walk a values tree: every value the audit calls a credential is added to
 * `c` and, when `replace`, replaced in place by MASKED.
 */
static int mask_values(struct json_object *o, const char *key, creds *c, int replace)
{
	int rc = 0;

	if (json_object_is_type(o, json_type_object)) {
		json_object_object_foreach(o, k, v) {
			if (json_object_is_type(v, json_type_object) || json_object_is_type(v, json_type_array)) {
				rc = mask_values(v, k, c, replace);
			} else if (hr_audit_credential_kind(k, v)) {
				rc = creds_add(c, json_object_get_string(v));
				if (!rc && replace)
					rc = json_object_object_add(o, k, json_object_new_string(MASKED)) ? HR_ENOMEM : 0;
			}
			if (rc)
				break;
		}
	} else if (json_object_is_type(o, json_type_array)) {
		for (size_t i = 0; !rc && i < json_object_array_length(o); i++) {
			struct json_object *v = json_object_array_get_idx(o, i);

			if (json_object_is_type(v, json_type_object) || json_object_is_type(v, json_type_array)) {
				rc = mask_values(v, key, c, replace);
			} else if (hr_audit_credential_kind(key, v)) {
				rc = creds_add(c, json_object_get_string(v));
				if (!rc && replace)
					rc = json_object_array_put_idx(o, i, json_object_new_string(MASKED)) ? HR_ENOMEM : 0;
			}
		}
	}
	return rc;
}

/* Append `text` with every credential of `a` and `b` and every PEM private key body cut out. */
static int mask_text(hr_buf *out, const char *text, size_t len, const creds *a, const creds *b)
{
	const creds *sets[2] = { a, b };
	size_t pos = 0;
	int rc = 0;

	while (!rc && pos < len) {
		size_t best = len, blen = 0;
		const char *rep = "•••••";

		for (int k = 0; k < 2; k++)
			for (size_t i = 0; sets[k] && i < sets[k]->n; i++) {
				const char *s = sets[k]->s[i], *hit = strstr(text + pos, s);

				if (hit && (size_t)(hit - text) < best) {
					best = (size_t)(hit - text);
					blen = strlen(s);
				}
			}
		{
			const char *pem = strstr(text + pos, "PRIVATE KEY-----");

			if (pem && (size_t)(pem - text) + 16 < best) {
				const char *end = strstr(pem + 16, "-----END");

				best = (size_t)(pem - text) + 16;
				blen = (end ? (size_t)(end - text) : len) - best;
				rep = "\n(private key masked)\n";
			}
		}
		if (best > len)
			best = len;
		rc = hr_buf_put(out, text + pos, best - pos);
		if (!rc && blen)
			rc = hr_buf_puts(out, rep);
		pos = best + blen;
		if (!blen)
			break;
	}
	return rc;
}

/* ---- JSON building ---- */

static int jadd(struct json_object *o, const char *k, struct json_object *v)
{
	if (!v)
		return HR_ENOMEM;
	return json_object_object_add(o, k, v) ? HR_ENOMEM : 0;
}

static int jstr(struct json_object *o, const char *k, const char *s)
{
	return s ? jadd(o, k, json_object_new_string(s)) : 0;
}

static int jstrn(struct json_object *o, const char *k, const char *s, size_t n)
{
	return jadd(o, k, json_object_new_string_len(s, (int)n));
}

static int jpush(struct json_object *a, struct json_object *v)
{
	if (!v)
		return HR_ENOMEM;
	return json_object_array_add(a, v) ? HR_ENOMEM : 0;
}

/* ---- one revision ---- */

/*
 * What one revision's JSON refers back to.  A text (a resource's or hook's
 * document by kind/namespace/name/template, the notes) equal to the last
 * one written under the same key in this release is written as 0, "same as
 * before", which the script resolves with the same running map; most
 * revisions of a release repeat most documents.
 */
typedef struct rel_state {
	struct json_object *prev;  /* previous revision's tree (config masked) */
	creds prev_creds;
	struct json_object *texts;  /* key -> last text written under it in this release */
} rel_state;

/* Append `text` to `arr`, or 0 when the last text under `key` was the same; remember it under `key`. */
static int push_text(rel_state *st, struct json_object *arr, const char *key, const char *text, size_t len)
{
	struct json_object *old;

	if (!st->texts && !(st->texts = json_object_new_object()))
		return HR_ENOMEM;
	if (json_object_object_get_ex(st->texts, key, &old) && (size_t)json_object_get_string_len(old) == len &&
	    !memcmp(json_object_get_string(old), text, len))
		return jpush(arr, json_object_new_int(0));
	if (jadd(st->texts, key, json_object_new_string_len(text, (int)len)))
		return HR_ENOMEM;
	return jpush(arr, json_object_new_string_len(text, (int)len));
}

static int resources_json(rel_state *st, struct json_object *r, struct json_object *rel, const creds *c, int show,
			  hr_error *err)
{
	hr_buf key = HR_BUF_INIT;
	hr_resource_list res = HR_RESOURCE_LIST_INIT;
	hr_split_style style;
	hr_kind_order order;
	struct json_object *arr = json_object_new_array();
	const char *manifest = hr_release_str(rel, "manifest");
	hr_buf t = HR_BUF_INIT, m = HR_BUF_INIT;
	int rc;

	if ((rc = jadd(r, "res", arr)))
		goto out;
	if (!manifest)
		goto out;
	hr_manifest_style_for(rel, &style, &order);
	if ((rc = hr_manifest_resources(&res, manifest, strlen(manifest), style, order, err)))
		goto out;
	for (size_t i = 0; !rc && i < res.n; i++) {
		hr_resource *d = &res.items[i];
		struct json_object *row = json_object_new_array();

		hr_buf_clear(&t);
		hr_buf_clear(&m);
		if ((rc = jpush(arr, row)))
			break;
		if (show) {
			rc = hr_buf_put(&t, d->text, d->len);
		} else {
			rc = hr_diff_mask_secret(&m, d->text, d->len, NULL, 0, "REDACTED");
			rc = rc ? rc : mask_text(&t, hr_buf_cstr(&m), m.len, c, NULL);
		}
		rc = rc ? rc : jpush(row, json_object_new_string(d->kind));
		rc = rc ? rc : jpush(row, json_object_new_string(d->name));
		rc = rc ? rc : jpush(row, json_object_new_string(d->namespace));
		rc = rc ? rc : jpush(row, json_object_new_string(d->source));
		hr_buf_clear(&key);
		rc = rc ? rc : hr_buf_printf(&key, "r\t%s\t%s\t%s\t%s", d->kind, d->namespace, d->name, d->source);
		rc = rc ? rc : push_text(st, row, key.ptr, t.len ? t.ptr : "", t.len);
	}
out:
	hr_buf_free(&key);
	hr_resource_list_free(&res);
	hr_buf_free(&t);
	hr_buf_free(&m);
	return rc;
}

static int hooks_json(rel_state *st, struct json_object *r, struct json_object *rel, const creds *c, int show)
{
	hr_buf key = HR_BUF_INIT;
	struct json_object *hooks = hr_release_get(rel, "hooks"), *arr = json_object_new_array();
	hr_buf t = HR_BUF_INIT;
	int rc;

	if ((rc = jadd(r, "hooks", arr)) || !hooks || !json_object_is_type(hooks, json_type_array))
		return rc;
	for (size_t i = 0; !rc && i < json_object_array_length(hooks); i++) {
		struct json_object *h = json_object_array_get_idx(hooks, i), *o = json_object_new_object(), *ev;
		const char *man = hr_release_member_str(h, "manifest", "");
		hr_buf evs = HR_BUF_INIT;

		hr_buf_clear(&t);
		if ((rc = jpush(arr, o)))
			break;
		rc = jstr(o, "name", hr_release_member_str(h, "name", ""));
		rc = rc ? rc : jstr(o, "kind", hr_release_member_str(h, "kind", ""));
		rc = rc ? rc : jstr(o, "path", hr_release_member_str(h, "path", ""));
		rc = rc ? rc : jstr(o, "phase", hr_release_str(h, "last_run.phase"));
		if (!rc && json_object_object_get_ex(h, "events", &ev) && json_object_is_type(ev, json_type_array))
			for (size_t k = 0; !rc && k < json_object_array_length(ev); k++)
				rc = hr_buf_printf(&evs, "%s%s", k ? ", " : "",
						   json_object_get_string(json_object_array_get_idx(ev, k)));
		rc = rc ? rc : jstr(o, "events", hr_buf_cstr(&evs));
		rc = rc ? rc : jadd(o, "weight", json_object_new_int64(hr_release_int(h, "weight", 0)));
		if (!rc)
			rc = show ? hr_buf_puts(&t, man) : mask_text(&t, man, strlen(man), c, NULL);
		hr_buf_clear(&key);
		rc = rc ? rc : hr_buf_printf(&key, "h\t%s\t%s", hr_release_member_str(h, "name", ""),
					     hr_release_member_str(h, "path", ""));
		if (!rc) {
			struct json_object *one = json_object_new_array();

			rc = push_text(st, one, key.ptr, hr_buf_cstr(&t), t.len);
			rc = rc ? rc : jadd(o, "text", json_object_get(json_object_array_get_idx(one, 0)));
			json_object_put(one);
		}
		hr_buf_free(&evs);
	}
	hr_buf_free(&key);
	hr_buf_free(&t);
	return rc;
}

static int sightings_json(struct json_object *r, hr_index *idx, int64_t id, hr_report_rows *rows, hr_error *err)
{
	struct json_object *arr = json_object_new_array();
	int rc;

	if ((rc = jadd(r, "seen", arr)) || (rc = hr_report_sightings(idx, id, rows, err)))
		return rc;
	for (size_t i = 0; !rc && i < rows->n; i++) {
		struct json_object *row = json_object_new_array();

		if ((rc = jpush(arr, row)))
			break;
		for (size_t k = 0; !rc && k < rows->ncols; k++) {
			const char *s = hr_report_cell(rows, i, k);

			rc = jpush(row, json_object_new_string(s ? s : ""));
		}
	}
	return rc;
}

/* One revision into revs; `given`: its decoded body (a reference is taken; it is changed), NULL = decode it here. */
static int revision_json(struct json_object *revs, hr_index *idx, const hr_html_opts *o, const hr_rev_summary *s,
			 struct json_object *given, rel_state *st, hr_report_rows *rows, hr_error *err)
{
	struct json_object *r = json_object_new_object(), *rel = NULL, *cfg;
	hr_buf body = HR_BUF_INIT, t = HR_BUF_INIT, d = HR_BUF_INIT;
	creds c = { 0 };
	const char *notes;
	int rc, show = o->show_secrets;

	if ((rc = jpush(revs, r)))
		goto out;
	rc = jadd(r, "v", json_object_new_int64(s->version));
	rc = rc ? rc : jstr(r, "st", s->status ? s->status : "unknown");
	rc = rc ? rc : jstr(r, "ch", s->chart_name);
	rc = rc ? rc : jstr(r, "cv", s->chart_version);
	rc = rc ? rc : jstr(r, "av", s->app_version);
	rc = rc ? rc : jstr(r, "d", s->description);
	rc = rc ? rc : jstr(r, "t", s->last_deployed);
	rc = rc ? rc : jstr(r, "del", s->deleted);
	rc = rc ? rc : jstr(r, "drv", s->driver);
	rc = rc ? rc : jadd(r, "live", json_object_new_boolean(s->is_live));
	rc = rc ? rc : jadd(r, "conflict", json_object_new_boolean(s->conflict));
	if (rc)
		goto out;
	if (given)
		rel = json_object_get(given);
	else if ((rc = hr_index_body(idx, s->id, &body, err)) || (rc = hr_gojson_parse(&rel, body.ptr, body.len, err)))
		goto out;
	hr_buf_free(&body);
	/* credentials of the chart defaults are cut out of texts too; user values are masked in place */
	if (!show && (cfg = hr_release_get(rel, "chart.values")) && (rc = mask_values(cfg, NULL, &c, 0)))
		goto out;
	if (!show && (cfg = hr_release_get(rel, "config")) && (rc = mask_values(cfg, NULL, &c, 1)))
		goto out;
	cfg = hr_release_get(rel, "config");
	if (cfg && json_object_is_type(cfg, json_type_object) && json_object_object_length(cfg)) {
		if ((rc = hr_yaml_write(&t, cfg, err)) || (rc = jstrn(r, "vals", hr_buf_cstr(&t), t.len)))
			goto out;
	}
	if ((rc = resources_json(st, r, rel, &c, show, err)) || (rc = hooks_json(st, r, rel, &c, show)))
		goto out;
	if ((notes = hr_release_str_nonempty(rel, "info.notes"))) {
		hr_buf_clear(&t);
		rc = show ? hr_buf_puts(&t, notes) : mask_text(&t, notes, strlen(notes), &c, NULL);
		if (!rc) {
			struct json_object *one = json_object_new_array();

			rc = push_text(st, one, "notes", hr_buf_cstr(&t), t.len);
			rc = rc ? rc : jadd(r, "notes", json_object_get(json_object_array_get_idx(one, 0)));
			json_object_put(one);
		}
		if (rc)
			goto out;
	}
	if (st->prev) {
		hr_diff_opts dopt = { 3, show ? HR_DIFF_SHOW_SECRETS : 0, 0 };
		size_t nch = 0;

		hr_buf_clear(&t);
		if ((rc = hr_diff_releases(&d, st->prev, rel, &dopt, &nch, err)))
			goto out;
		rc = show ? hr_buf_put(&t, d.ptr ? d.ptr : "", d.len) : mask_text(&t, hr_buf_cstr(&d), d.len, &c,
										   &st->prev_creds);
		rc = rc ? rc : jstrn(r, "diff", hr_buf_cstr(&t), t.len);
		rc = rc ? rc : jadd(r, "nch", json_object_new_int64((int64_t)nch));
		if (rc)
			goto out;
	}
	if ((rc = sightings_json(r, idx, s->id, rows, err)))
		goto out;
	json_object_put(st->prev);
	st->prev = rel;
	rel = NULL;
	creds_release(&st->prev_creds);
	st->prev_creds = c;

	memset(&c, 0, sizeof(c));
out:
	if (rc == HR_ENOMEM && err && !err->code)
		hr_error_set(err, rc, "out of memory");
	json_object_put(rel);
	creds_release(&c);
	hr_buf_free(&body);
	hr_buf_free(&t);
	hr_buf_free(&d);
	return rc;
}

/* ---- one release ---- */

struct hr_html_rel {
	hr_html_page *p;
	hr_index *idx;
	const hr_html_opts *o;
	hr_report_rows *rows;
	size_t i;                  /* page index: data block "j-i" */
	struct json_object *j, *revs;
	const hr_rev_summary *h;   /* the release's history (borrowed) */
	size_t nh, k;              /* revisions; the next one to add */
	rel_state st;
};

static void rel_free(hr_html_rel *r)
{
	json_object_put(r->j);
	json_object_put(r->st.prev);
	creds_release(&r->st.prev_creds);
	json_object_put(r->st.texts);
	free(r);
}

int hr_html_rel_begin(hr_html_rel **out, hr_html_page *p, hr_index *idx, const hr_html_opts *o, size_t i,
		      const hr_rev_summary *h, size_t nh, hr_report_rows *rows, hr_error *err)
{
	hr_html_rel *r = calloc(1, sizeof(*r));
	int rc = HR_ENOMEM;

	*out = NULL;
	if (!r)
		goto fail;
	*r = (hr_html_rel){ .p = p, .idx = idx, .o = o, .rows = rows, .i = i, .h = h, .nh = nh };
	if (!(r->j = json_object_new_object()) || (rc = jstr(r->j, "ns", h[0].namespace)) ||
	    (rc = jstr(r->j, "name", h[0].name)) || (rc = jadd(r->j, "r", r->revs = json_object_new_array())))
		goto fail;
	*out = r;
	return 0;
fail:
	if (rc == HR_ENOMEM && err && !err->code)
		hr_error_set(err, rc, "out of memory");
	if (r)
		rel_free(r);
	return rc;
}

int hr_html_rel_add(hr_html_rel *r, int64_t id, struct json_object *rel, hr_error *err)
{
	size_t k = r->k;
	int rc = 0;

	while (k < r->nh && r->h[k].id != id)
		k++;
	if (k == r->nh)
		return 0;   /* not in the page's history of the release */
	for (; !rc && r->k < k; r->k++)
		rc = revision_json(r->revs, r->idx, r->o, &r->h[r->k], NULL, &r->st, r->rows, err);
	if (!rc) {
		rc = revision_json(r->revs, r->idx, r->o, &r->h[r->k], rel, &r->st, r->rows, err);
		r->k++;
	}
	return rc;
}

int hr_html_rel_end(hr_html_rel *r, hr_error *err)
{
	hr_buf *b = &r->p->b, js = HR_BUF_INIT, z = HR_BUF_INIT;
	int rc = 0;

	for (; !rc && r->k < r->nh; r->k++)
		rc = revision_json(r->revs, r->idx, r->o, &r->h[r->k], NULL, &r->st, r->rows, err);
	/* The <details> section itself is drawn by the script from the overview data (html.c). */
	rc = rc ? rc : hr_buf_printf(b, "<script type=\"application/json\" id=\"j-%zu\"", r->i);
	rc = rc ? rc : hr_gojson_write(&js, r->j, HR_GOJSON_COMPACT);
	if (!rc && js.len >= ZIP_AT) {
		rc = hr_gzip_deflate_level(&z, js.ptr, js.len, ZIP_LEVEL, err);
		rc = rc ? rc : hr_buf_puts(b, " data-z=\"gzip\">");
		rc = rc ? rc : hr_base64_encode(b, z.ptr, z.len);
	} else if (!rc) {
		rc = hr_buf_putc(b, '>');
		rc = rc ? rc : hr_buf_put(b, js.ptr, js.len);
	}
	rc = rc ? rc : hr_buf_puts(b, "</script>\n");
	rc = rc ? rc : hr_html_flush(r->p, 0);
	if (rc == HR_ENOMEM && err && !err->code)
		hr_error_set(err, rc, "out of memory");
	hr_buf_free(&js);
	hr_buf_free(&z);
	rel_free(r);
	return rc;
}

void hr_html_rel_abort(hr_html_rel *r)
{
	if (r)
		rel_free(r);
}
