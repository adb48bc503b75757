/*
 * helm2_pb.c — a small protobuf wire reader for Tiller's hapi.release.Release
 * and the messages under it (hapi.release.*, hapi.chart.*, Timestamp, Any).
 *
 * Written by hand for just these messages: each decoder walks the fields of
 * one length-delimited message, checks the wire type of every known field,
 * and fills the structs of helm2.h with pointers into the input.  Unknown
 * fields are skipped; a message field seen twice is decoded again into the
 * same struct (protobuf's merge); repeated fields grow arrays.  Every length
 * is checked against the bytes left, nesting is limited, and the memory the
 * arrays take is budgeted against the input size, so hostile input ends in
 * an HR_ESKIP message naming the field and byte offset.
 */
#include "codec/helm2.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { WT_VARINT = 0, WT_I64 = 1, WT_LEN = 2, WT_SGROUP = 3, WT_EGROUP = 4, WT_I32 = 5 };

typedef struct pb_ctx {
	const unsigned char *base;
	size_t budget;            /* bytes the decoded arrays may still take */
	int over_budget;
	hr_error *err;
} pb_ctx;

/* One message being read: [p, end) inside ctx->base. */
typedef struct pb_msg {
	const unsigned char *p, *end;
	const char *what;         /* message name for errors, e.g. "Release.chart.metadata" */
	int depth;
} pb_msg;

static int pb_fail(pb_ctx *c, const unsigned char *at, const char *what, const char *why)
{
	return hr_error_set(c->err, HR_ESKIP, "helm 2 protobuf: %s: %s at byte %zu", what, why,
			    (size_t)(at - c->base));
}

static int pb_varint(pb_ctx *c, pb_msg *m, uint64_t *out)
{
	const unsigned char *start = m->p;
	uint64_t v = 0;

	for (int i = 0; i < 10; i++) {
		unsigned char b;

		if (m->p >= m->end)
			return pb_fail(c, start, m->what, "truncated varint");
		b = *m->p++;
		if (i == 9 && b > 1)
			return pb_fail(c, start, m->what, "varint overflows 64 bits");
		v |= (uint64_t)(b & 0x7f) << (7 * i);
		if (!(b & 0x80)) {
			*out = v;
			return 0;
		}
	}
	return pb_fail(c, start, m->what, "varint longer than 10 bytes");
}

/* Read a tag: *field (1..2^29-1) and *wt. */
static int pb_tag(pb_ctx *c, pb_msg *m, uint32_t *field, int *wt)
{
	const unsigned char *at = m->p;
	uint64_t t;
	int rc = pb_varint(c, m, &t);

	if (rc)
		return rc;
	if (t >> 32 || (t >> 3) == 0)
		return pb_fail(c, at, m->what, "invalid field number");
	*field = (uint32_t)(t >> 3);
	*wt = (int)(t & 7);
	if (*wt == WT_SGROUP || *wt == WT_EGROUP)
		return pb_fail(c, at, m->what, "group wire type (not used by Helm 2)");
	if (*wt > WT_I32)
		return pb_fail(c, at, m->what, "invalid wire type");
	return 0;
}

/* Body of a length-delimited field: *sub covers it, m->p moves past it. */
static int pb_len(pb_ctx *c, pb_msg *m, const unsigned char **data, size_t *len)
{
	const unsigned char *at = m->p;
	uint64_t n;
	int rc = pb_varint(c, m, &n);

	if (rc)
		return rc;
	if (n > (uint64_t)(m->end - m->p))
		return pb_fail(c, at, m->what, "length runs past the end of the message");
	*data = m->p;
	*len = (size_t)n;
	m->p += n;
	return 0;
}

static int pb_skip(pb_ctx *c, pb_msg *m, int wt)
{
	const unsigned char *d;
	size_t n;
	uint64_t v;

	switch (wt) {
	case WT_VARINT:
		return pb_varint(c, m, &v);
	case WT_I64:
	case WT_I32:
		n = wt == WT_I64 ? 8 : 4;
		if ((size_t)(m->end - m->p) < n)
			return pb_fail(c, m->p, m->what, "truncated fixed-size field");
		m->p += n;
		return 0;
	default:
		return pb_len(c, m, &d, &n);
	}
}

static int want(pb_ctx *c, pb_msg *m, const unsigned char *at, int wt, int expected, const char *field)
{
	char what[160];

	if (wt == expected)
		return 0;
	snprintf(what, sizeof(what), "%s.%s", m->what, field);
	return pb_fail(c, at, what, expected == WT_LEN ? "wrong wire type (want length-delimited)"
						  : "wrong wire type (want varint)");
}

static int get_str(pb_ctx *c, pb_msg *m, const unsigned char *at, int wt, const char *field, hr_h2_str *out)
{
	const unsigned char *d;
	size_t n;
	int rc = want(c, m, at, wt, WT_LEN, field);

	if (!rc && !(rc = pb_len(c, m, &d, &n))) {
		out->ptr = (const char *)d;
		out->len = n;
	}
	return rc;
}

static int get_varint(pb_ctx *c, pb_msg *m, const unsigned char *at, int wt, const char *field, uint64_t *out)
{
	int rc = want(c, m, at, wt, WT_VARINT, field);

	return rc ? rc : pb_varint(c, m, out);
}

/* Open a sub-message of field `field`: checks wire type, length and depth. */
static int get_sub(pb_ctx *c, pb_msg *m, const unsigned char *at, int wt, const char *field,
		   pb_msg *sub, char *what, size_t whatsz)
{
	const unsigned char *d;
	size_t n;
	int rc = want(c, m, at, wt, WT_LEN, field);

	if (rc || (rc = pb_len(c, m, &d, &n)))
		return rc;
	snprintf(what, whatsz, "%s.%s", m->what, field);
	if (m->depth + 1 > HR_HELM2_MAX_DEPTH)
		return pb_fail(c, at, what, "messages nested too deeply");
	sub->p = d;
	sub->end = d + n;
	sub->what = what;
	sub->depth = m->depth + 1;
	return 0;
}

/* Grow *arr (elements of size `sz`, *n used) by one zeroed element; returns it or NULL. */
static void *push(pb_ctx *c, void **arr, size_t *n, size_t sz)
{
	void *p;

	if (*n >= ((size_t)-1) / sz - 1 || c->budget < sz) {
		c->over_budget = 1;
		return NULL;
	}
	/* grow geometrically: capacity is the next power of two >= n+1 */
	if ((*n & (*n - 1)) == 0) {
		size_t cap = *n ? *n * 2 : 1;

		if (cap > ((size_t)-1) / sz)
			return NULL;
		p = realloc(*arr, cap * sz);
		if (!p)
			return NULL;
		*arr = p;
	}
	c->budget -= sz;
	p = (char *)*arr + *n * sz;
	memset(p, 0, sz);
	(*n)++;
	return p;
}

static int push_fail(pb_ctx *c, pb_msg *m, const unsigned char *at)
{
	if (c->over_budget)
		return pb_fail(c, at, m->what, "decoded size exceeds the budget for this input");
	return hr_error_set(c->err, HR_ENOMEM, "helm 2 protobuf: %s: out of memory", m->what);
}

static int dec_time(pb_ctx *c, pb_msg *m, hr_h2_time *t)
{
	uint32_t f;
	int wt, rc = 0;
	uint64_t v;

	t->present = 1;
	while (!rc && m->p < m->end) {
		const unsigned char *at = m->p;

		if ((rc = pb_tag(c, m, &f, &wt)))
			break;
		if (f == 1 && !(rc = get_varint(c, m, at, wt, "seconds", &v)))
			t->seconds = (int64_t)v;
		else if (f == 2 && !(rc = get_varint(c, m, at, wt, "nanos", &v)))
			t->nanos = (int32_t)(uint32_t)v;
		else if (f != 1 && f != 2)
			rc = pb_skip(c, m, wt);
	}
	return rc;
}

#define SUB_TIME(fieldname, dst)                                                         \
	do {                                                                             \
		pb_msg sub_;                                                             \
		char w_[160];                                                            \
		if (!(rc = get_sub(c, m, at, wt, fieldname, &sub_, w_, sizeof(w_))))     \
			rc = dec_time(c, &sub_, dst);                                    \
	} while (0)

/* A message with string/bytes fields 1 and 2 (Template, Any, map<string,string> entry, Maintainer-like). */
static int dec_pair(pb_ctx *c, pb_msg *m, hr_h2_pair *pr, const char *k, const char *v)
{
	uint32_t f;
	int wt, rc = 0;

	while (!rc && m->p < m->end) {
		const unsigned char *at = m->p;

		if ((rc = pb_tag(c, m, &f, &wt)))
			break;
		if (f == 1)
			rc = get_str(c, m, at, wt, k, &pr->key);
		else if (f == 2)
			rc = get_str(c, m, at, wt, v, &pr->value);
		else
			rc = pb_skip(c, m, wt);
	}
	return rc;
}

/* Open sub-message `fieldname` and decode it as a pair appended to *arr. */
static int push_pair(pb_ctx *c, pb_msg *m, const unsigned char *at, int wt, const char *fieldname,
		     hr_h2_pair **arr, size_t *n, const char *k, const char *v)
{
	pb_msg sub;
	char w[160];
	hr_h2_pair *pr;
	int rc = get_sub(c, m, at, wt, fieldname, &sub, w, sizeof(w));

	if (rc)
		return rc;
	if (!(pr = push(c, (void **)arr, n, sizeof(*pr))))
		return push_fail(c, m, at);
	return dec_pair(c, &sub, pr, k, v);
}

static int push_str(pb_ctx *c, pb_msg *m, const unsigned char *at, int wt, const char *fieldname,
		    hr_h2_str **arr, size_t *n)
{
	hr_h2_str s = { NULL, 0 }, *slot;
	int rc = get_str(c, m, at, wt, fieldname, &s);

	if (rc)
		return rc;
	if (!(slot = push(c, (void **)arr, n, sizeof(*slot))))
		return push_fail(c, m, at);
	*slot = s;
	return 0;
}

/* Repeated enum, packed (wire type 2) or one value (wire type 0). */
static int push_enums(pb_ctx *c, pb_msg *m, const unsigned char *at, int wt, const char *fieldname,
		      int32_t **arr, size_t *n)
{
	uint64_t v;
	int32_t *slot;
	int rc;

	if (wt == WT_VARINT) {
		if ((rc = pb_varint(c, m, &v)))
			return rc;
		if (!(slot = push(c, (void **)arr, n, sizeof(*slot))))
			return push_fail(c, m, at);
		*slot = (int32_t)(uint32_t)v;
		return 0;
	}
	if (wt == WT_LEN) {
		pb_msg sub;
		char w[160];

		if ((rc = get_sub(c, m, at, wt, fieldname, &sub, w, sizeof(w))))
			return rc;
		while (sub.p < sub.end) {
			if ((rc = pb_varint(c, &sub, &v)))
				return rc;
			if (!(slot = push(c, (void **)arr, n, sizeof(*slot))))
				return push_fail(c, m, at);
			*slot = (int32_t)(uint32_t)v;
		}
		return 0;
	}
	return want(c, m, at, wt, WT_VARINT, fieldname);
}

static int dec_maintainer(pb_ctx *c, pb_msg *m, hr_h2_maintainer *mt)
{
	uint32_t f;
	int wt, rc = 0;

	while (!rc && m->p < m->end) {
		const unsigned char *at = m->p;

		if ((rc = pb_tag(c, m, &f, &wt)))
			break;
		if (f == 1)
			rc = get_str(c, m, at, wt, "name", &mt->name);
		else if (f == 2)
			rc = get_str(c, m, at, wt, "email", &mt->email);
		else if (f == 3)
			rc = get_str(c, m, at, wt, "url", &mt->url);
		else
			rc = pb_skip(c, m, wt);
	}
	return rc;
}

static int dec_metadata(pb_ctx *c, pb_msg *m, hr_h2_metadata *md)
{
	static const char *const names[] = {
		NULL, "name", "home", "sources", "version", "description", "keywords", "maintainers",
		"engine", "icon", "apiVersion", "condition", "tags", "appVersion", "deprecated",
		"tillerVersion", "annotations", "kubeVersion"
	};
	hr_h2_str *strs[18] = {
		NULL, &md->name, &md->home, NULL, &md->version, &md->description, NULL, NULL,
		&md->engine, &md->icon, &md->api_version, &md->condition, &md->tags, &md->app_version,
		NULL, &md->tiller_version, NULL, &md->kube_version
	};
	uint32_t f;
	int wt, rc = 0;
	uint64_t v;

	while (!rc && m->p < m->end) {
		const unsigned char *at = m->p;

		if ((rc = pb_tag(c, m, &f, &wt)))
			break;
		if (f < 18 && strs[f]) {
			rc = get_str(c, m, at, wt, names[f], strs[f]);
		} else if (f == 3) {
			rc = push_str(c, m, at, wt, "sources", &md->sources, &md->nsources);
		} else if (f == 6) {
			rc = push_str(c, m, at, wt, "keywords", &md->keywords, &md->nkeywords);
		} else if (f == 7) {
			pb_msg sub;
			char w[160];
			hr_h2_maintainer *mt;

			if ((rc = get_sub(c, m, at, wt, "maintainers", &sub, w, sizeof(w))))
				break;
			if (!(mt = push(c, (void **)&md->maintainers, &md->nmaintainers, sizeof(*mt))))
				return push_fail(c, m, at);
			rc = dec_maintainer(c, &sub, mt);
		} else if (f == 14) {
			if (!(rc = get_varint(c, m, at, wt, "deprecated", &v)))
				md->deprecated = v != 0;
		} else if (f == 16) {
			rc = push_pair(c, m, at, wt, "annotations", &md->annotations, &md->nannotations, "key", "value");
		} else {
			rc = pb_skip(c, m, wt);
		}
	}
	return rc;
}

static int dec_config(pb_ctx *c, pb_msg *m, hr_h2_config *cf)
{
	uint32_t f;
	int wt, rc = 0;

	while (!rc && m->p < m->end) {
		const unsigned char *at = m->p;

		if ((rc = pb_tag(c, m, &f, &wt)))
			break;
		if (f == 1)
			rc = get_str(c, m, at, wt, "raw", &cf->raw);
		else if (f == 2 && !(rc = want(c, m, at, wt, WT_LEN, "values")))
			rc = pb_skip(c, m, wt);   /* map<string, Value>: helm-2to3 ignores it */
		else if (f != 2)
			rc = pb_skip(c, m, wt);
	}
	return rc;
}

static int dec_chart(pb_ctx *c, pb_msg *m, hr_h2_chart *ch)
{
	uint32_t f;
	int wt, rc = 0;

	while (!rc && m->p < m->end) {
		const unsigned char *at = m->p;
		pb_msg sub;
		char w[160];

		if ((rc = pb_tag(c, m, &f, &wt)))
			break;
		switch (f) {
		case 1:
			if (!(rc = get_sub(c, m, at, wt, "metadata", &sub, w, sizeof(w)))) {
				ch->has_metadata = 1;
				rc = dec_metadata(c, &sub, &ch->metadata);
			}
			break;
		case 2:
			rc = push_pair(c, m, at, wt, "templates", &ch->templates, &ch->ntemplates, "name", "data");
			break;
		case 3: {
			hr_h2_chart *dep;

			if ((rc = get_sub(c, m, at, wt, "dependencies", &sub, w, sizeof(w))))
				break;
			if (!(dep = push(c, (void **)&ch->dependencies, &ch->ndependencies, sizeof(*dep))))
				return push_fail(c, m, at);
			rc = dec_chart(c, &sub, dep);
			break;
		}
		case 4:
			if (!(rc = get_sub(c, m, at, wt, "values", &sub, w, sizeof(w)))) {
				ch->has_values = 1;
				rc = dec_config(c, &sub, &ch->values);
			}
			break;
		case 5:
			rc = push_pair(c, m, at, wt, "files", &ch->files, &ch->nfiles, "type_url", "value");
			break;
		default:
			rc = pb_skip(c, m, wt);
		}
	}
	return rc;
}

static int dec_testrun(pb_ctx *c, pb_msg *m, hr_h2_testrun *t)
{
	uint32_t f;
	int wt, rc = 0;
	uint64_t v;

	while (!rc && m->p < m->end) {
		const unsigned char *at = m->p;

		if ((rc = pb_tag(c, m, &f, &wt)))
			break;
		if (f == 1)
			rc = get_str(c, m, at, wt, "name", &t->name);
		else if (f == 2) {
			if (!(rc = get_varint(c, m, at, wt, "status", &v)))
				t->status = (int32_t)(uint32_t)v;
		} else if (f == 3)
			rc = get_str(c, m, at, wt, "info", &t->info);
		else if (f == 4)
			SUB_TIME("started_at", &t->started_at);
		else if (f == 5)
			SUB_TIME("completed_at", &t->completed_at);
		else
			rc = pb_skip(c, m, wt);
	}
	return rc;
}

static int dec_suite(pb_ctx *c, pb_msg *m, hr_h2_status *st)
{
	uint32_t f;
	int wt, rc = 0;

	st->has_suite = 1;
	while (!rc && m->p < m->end) {
		const unsigned char *at = m->p;

		if ((rc = pb_tag(c, m, &f, &wt)))
			break;
		if (f == 1)
			SUB_TIME("started_at", &st->suite_started);
		else if (f == 2)
			SUB_TIME("completed_at", &st->suite_completed);
		else if (f == 3) {
			pb_msg sub;
			char w[160];
			hr_h2_testrun *t;

			if ((rc = get_sub(c, m, at, wt, "results", &sub, w, sizeof(w))))
				break;
			if (!(t = push(c, (void **)&st->results, &st->nresults, sizeof(*t))))
				return push_fail(c, m, at);
			rc = dec_testrun(c, &sub, t);
		} else
			rc = pb_skip(c, m, wt);
	}
	return rc;
}

static int dec_status(pb_ctx *c, pb_msg *m, hr_h2_status *st)
{
	uint32_t f;
	int wt, rc = 0;
	uint64_t v;

	while (!rc && m->p < m->end) {
		const unsigned char *at = m->p;
		pb_msg sub;
		char w[160];

		if ((rc = pb_tag(c, m, &f, &wt)))
			break;
		if (f == 1) {
			if (!(rc = get_varint(c, m, at, wt, "code", &v)))
				st->code = (int32_t)(uint32_t)v;
		} else if (f == 3)
			rc = get_str(c, m, at, wt, "resources", &st->resources);
		else if (f == 4)
			rc = get_str(c, m, at, wt, "notes", &st->notes);
		else if (f == 5) {
			if (!(rc = get_sub(c, m, at, wt, "last_test_suite_run", &sub, w, sizeof(w))))
				rc = dec_suite(c, &sub, st);
		} else
			rc = pb_skip(c, m, wt);   /* 2: details (Any), deprecated since 2.2 */
	}
	return rc;
}

static int dec_info(pb_ctx *c, pb_msg *m, hr_h2_info *in)
{
	uint32_t f;
	int wt, rc = 0;

	while (!rc && m->p < m->end) {
		const unsigned char *at = m->p;
		pb_msg sub;
		char w[160];

		if ((rc = pb_tag(c, m, &f, &wt)))
			break;
		if (f == 1) {
			if (!(rc = get_sub(c, m, at, wt, "status", &sub, w, sizeof(w)))) {
				in->has_status = 1;
				rc = dec_status(c, &sub, &in->status);
			}
		} else if (f == 2)
			SUB_TIME("first_deployed", &in->first_deployed);
		else if (f == 3)
			SUB_TIME("last_deployed", &in->last_deployed);
		else if (f == 4)
			SUB_TIME("deleted", &in->deleted);
		else if (f == 5)
			rc = get_str(c, m, at, wt, "Description", &in->description);
		else
			rc = pb_skip(c, m, wt);
	}
	return rc;
}

static int dec_hook(pb_ctx *c, pb_msg *m, hr_h2_hook *h)
{
	uint32_t f;
	int wt, rc = 0;
	uint64_t v;

	while (!rc && m->p < m->end) {
		const unsigned char *at = m->p;

		if ((rc = pb_tag(c, m, &f, &wt)))
			break;
		switch (f) {
		case 1: rc = get_str(c, m, at, wt, "name", &h->name); break;
		case 2: rc = get_str(c, m, at, wt, "kind", &h->kind); break;
		case 3: rc = get_str(c, m, at, wt, "path", &h->path); break;
		case 4: rc = get_str(c, m, at, wt, "manifest", &h->manifest); break;
		case 5: rc = push_enums(c, m, at, wt, "events", &h->events, &h->nevents); break;
		case 6: SUB_TIME("last_run", &h->last_run); break;
		case 7:
			if (!(rc = get_varint(c, m, at, wt, "weight", &v)))
				h->weight = (int32_t)(uint32_t)v;
			break;
		case 8: rc = push_enums(c, m, at, wt, "delete_policies", &h->delete_policies, &h->npolicies); break;
		case 9:
			if (!(rc = get_varint(c, m, at, wt, "delete_timeout", &v)))
				h->delete_timeout = (int64_t)v;
			break;
		default: rc = pb_skip(c, m, wt);
		}
	}
	return rc;
}

static int dec_release(pb_ctx *c, pb_msg *m, hr_helm2_release *r)
{
	uint32_t f;
	int wt, rc = 0;
	uint64_t v;

	while (!rc && m->p < m->end) {
		const unsigned char *at = m->p;
		pb_msg sub;
		char w[160];

		if ((rc = pb_tag(c, m, &f, &wt)))
			break;
		switch (f) {
		case 1: rc = get_str(c, m, at, wt, "name", &r->name); break;
		case 2:
			if (!(rc = get_sub(c, m, at, wt, "info", &sub, w, sizeof(w)))) {
				r->has_info = 1;
				rc = dec_info(c, &sub, &r->info);
			}
			break;
		case 3:
			if (!(rc = get_sub(c, m, at, wt, "chart", &sub, w, sizeof(w)))) {
				r->has_chart = 1;
				rc = dec_chart(c, &sub, &r->chart);
			}
			break;
		case 4:
			if (!(rc = get_sub(c, m, at, wt, "config", &sub, w, sizeof(w)))) {
				r->has_config = 1;
				rc = dec_config(c, &sub, &r->config);
			}
			break;
		case 5: rc = get_str(c, m, at, wt, "manifest", &r->manifest); break;
		case 6: {
			hr_h2_hook *h;

			if ((rc = get_sub(c, m, at, wt, "hooks", &sub, w, sizeof(w))))
				break;
			if (!(h = push(c, (void **)&r->hooks, &r->nhooks, sizeof(*h))))
				return push_fail(c, m, at);
			rc = dec_hook(c, &sub, h);
			break;
		}
		case 7:
			if (!(rc = get_varint(c, m, at, wt, "version", &v)))
				r->version = (int32_t)(uint32_t)v;
			break;
		case 8: rc = get_str(c, m, at, wt, "namespace", &r->namespace); break;
		default: rc = pb_skip(c, m, wt);
		}
	}
	return rc;
}

static void free_chart(hr_h2_chart *ch)
{
	hr_h2_metadata *md = &ch->metadata;

	for (size_t i = 0; i < ch->ndependencies; i++)
		free_chart(&ch->dependencies[i]);
	free(ch->dependencies);
	free(md->sources);
	free(md->keywords);
	free(md->maintainers);
	free(md->annotations);
	free(ch->templates);
	free(ch->files);
}

void hr_helm2_release_free(hr_helm2_release *r)
{
	if (!r)
		return;
	free_chart(&r->chart);
	free(r->info.status.results);
	for (size_t i = 0; i < r->nhooks; i++) {
		free(r->hooks[i].events);
		free(r->hooks[i].delete_policies);
	}
	free(r->hooks);
	free(r);
}

int hr_helm2_decode(hr_helm2_release **out, const void *pb, size_t len, hr_error *err)
{
	hr_helm2_release *r = calloc(1, sizeof(*r));
	pb_ctx c;
	pb_msg m;
	int rc;

	*out = NULL;
	if (!r)
		return hr_error_set(err, HR_ENOMEM, "helm 2 protobuf: out of memory");
	c.base = pb;
	c.err = err;
	c.over_budget = 0;
	/* Arrays may take at most 64 bytes per input byte, plus some slack. */
	c.budget = len > ((size_t)-1 - (1u << 20)) / 64 ? (size_t)-1 : len * 64 + (1u << 20);
	m.p = pb;
	m.end = m.p + len;
	m.what = "Release";
	m.depth = 0;
	rc = dec_release(&c, &m, r);
	if (rc) {
		hr_helm2_release_free(r);
		return rc;
	}
	*out = r;
	return 0;
}

static const char *const status_names[] = {
	"UNKNOWN", "DEPLOYED", "DELETED", "SUPERSEDED", "FAILED", "DELETING",
	"PENDING_INSTALL", "PENDING_UPGRADE", "PENDING_ROLLBACK"
};
static const char *const status_v3[] = {
	"unknown", "deployed", "uninstalled", "superseded", "failed", "uninstalling",
	"pending-install", "pending-upgrade", "pending-rollback"
};

const char *hr_helm2_status_name(int32_t code)
{
	return code >= 0 && code < 9 ? status_names[code] : NULL;
}

const char *hr_helm2_status_v3(int32_t code)
{
	return code >= 0 && code < 9 ? status_v3[code] : NULL;
}
