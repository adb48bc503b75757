/*
 * diff_secret.c — the masking of a Secret document's data and stringData
 * values in `helmrec diff` (render/diff.h, hr_diff_mask_secret): each
 * value compared with the other side's and written as helm-diff writes it
 * (REDACTED, or "--------"/"++++++++" with its size in bytes).  Split out
 * of diff.c.
 */
#include "render/diff.h"
#include "model/manifest.h"
#include "codec/codec.h"

#include <stdlib.h>
#include <string.h>

/* Entries of the top-level data/stringData maps: key -> raw value text (with continuation lines). */
typedef struct sentry {
	const char *k;
	size_t kl;
	const char *v;   /* value text after "key:" up to end of entry */
	size_t vl;
	int string_data;
} sentry;

static size_t secret_entries(const char *d, size_t len, sentry *ent, size_t max)
{
	size_t n = 0, i = 0, entry_ind = 0;
	int in = 0, sd = 0;

	while (i < len) {
		size_t e = i, ind = 0;

		while (e < len && d[e] != '\n')
			e++;
		while (i + ind < e && d[i + ind] == ' ')
			ind++;
		if (ind == 0 && e > i && d[i] != '#') {
			in = (e - i >= 5 && !memcmp(d + i, "data:", 5) && (e - i == 5 || d[i + 5] == ' ')) ||
			     (e - i >= 11 && !memcmp(d + i, "stringData:", 11) && (e - i == 11 || d[i + 11] == ' '));
			sd = d[i] == 's';
			entry_ind = 0;
		} else if (in && ind > 0 && i + ind < e) {
			const char *c = memchr(d + i + ind, ':', e - i - ind);

			if (!entry_ind)
				entry_ind = ind;
			if (ind == entry_ind && c && n < max) {
				ent[n].k = d + i + ind;
				ent[n].kl = (size_t)(c - (d + i + ind));
				ent[n].v = c + 1;
				ent[n].vl = (size_t)(d + e - (c + 1));
				ent[n].string_data = sd;
				n++;
			} else if (ind > entry_ind && n) {
				/* continuation of a block scalar: part of the previous value */
				ent[n - 1].vl = (size_t)(d + e - ent[n - 1].v);
			}
		}
		i = e + 1;
	}
	return n;
}

static size_t value_bytes(const sentry *s)
{
	const char *v = s->v;
	size_t n = s->vl;
	hr_buf dec = HR_BUF_INIT;
	size_t r;

	while (n && (*v == ' ' || *v == '\t'))
		v++, n--;
	while (n && (v[n - 1] == ' ' || v[n - 1] == '\r'))
		n--;
	if (n >= 2 && (v[0] == '"' || v[0] == '\'') && v[n - 1] == v[0])
		v++, n -= 2;
	if (s->string_data)
		return n;
	if (hr_base64_decode(&dec, v, n, NULL))
		r = n;
	else
		r = dec.len;
	hr_buf_free(&dec);
	return r;
}

static int is_secret(const char *doc, size_t len)
{
	char *av = NULL, *k = NULL, *ns = NULL, *name = NULL;
	int r = 0;

	if (hr_manifest_head(doc, len, &av, &k, &ns, &name, NULL) == 0)
		r = k && !strcmp(k, "Secret");
	free(av), free(k), free(ns), free(name);
	return r;
}

int hr_diff_mask_secret(hr_buf *out, const char *doc, size_t len, const char *other, size_t olen, const char *mark)
{
	sentry me[256], ot[256];
	size_t n, on = 0, pos = 0;
	int rc = 0;

	if (!is_secret(doc, len))
		return hr_buf_put(out, doc, len);
	n = secret_entries(doc, len, me, 256);
	if (other)
		on = secret_entries(other, olen, ot, 256);
	for (size_t i = 0; i < n && !rc; i++) {
		const char *m = mark;
		size_t vend = (size_t)(me[i].v - doc) + me[i].vl;

		for (size_t j = 0; j < on; j++)
			if (ot[j].kl == me[i].kl && !memcmp(ot[j].k, me[i].k, me[i].kl) &&
			    ot[j].string_data == me[i].string_data && ot[j].vl == me[i].vl &&
			    !memcmp(ot[j].v, me[i].v, me[i].vl))
				m = "REDACTED";
		rc = hr_buf_put(out, doc + pos, (size_t)(me[i].v - doc) - pos);
		rc = rc ? rc : hr_buf_printf(out, " '%s # (%zu bytes)'", m, value_bytes(&me[i]));
		pos = vend;
	}
	return rc ? rc : hr_buf_put(out, doc + pos, len - pos);
}
