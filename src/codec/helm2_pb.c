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

#include <stddef.h>
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

/* ---- the messages, as tables ------------------------------------------ */

/*
 * Each message is a table of its known fields: number, kind, name (for
 * errors) and where the value goes, as offsets into the struct being
 * filled.  One reader (dec_msg) walks any message with its table.
 */
enum pb_kind {
	F_STR,      /* string/bytes -> hr_h2_str at off */
	F_STRS,     /* repeated string -> hr_h2_str array at off, count at aux */
	F_I32,      /* varint -> int32_t at off */
	F_I64,      /* varint -> int64_t at off */
	F_BOOL,     /* varint -> int (0/1) at off */
	F_ENUMS,    /* repeated enum, packed or not -> int32_t array at off, count at aux */
	F_MSG,      /* sub-message decoded into off; the int at aux is set to 1 */
	F_MSGS,     /* repeated sub-message -> array at off, count at aux */
	F_SKIP      /* length-delimited field that is checked and skipped */
};

typedef struct pb_type pb_type;

typedef struct pb_field {
	uint32_t num;
	enum pb_kind kind;
	const char *name;
	size_t off, aux;
	const pb_type *type;      /* F_MSG, F_MSGS */
} pb_field;

struct pb_type {
	const pb_field *fields;
	size_t nfields;
	size_t size;              /* sizeof the struct (an element of F_MSGS arrays) */
};

#define AT(obj, off, T) ((T *)(void *)((char *)(obj) + (off)))

/* Append one enum value read from `from` (a field of m at `at`). */
static int push_enum(pb_ctx *c, pb_msg *from, pb_msg *m, const unsigned char *at, int32_t **arr, size_t *n)
{
	uint64_t v;
	int32_t *slot;
	int rc;

	if ((rc = pb_varint(c, from, &v)))
		return rc;
	if (!(slot = push(c, (void **)arr, n, sizeof(*slot))))
		return push_fail(c, m, at);
	*slot = (int32_t)(uint32_t)v;
	return 0;
}

/* Repeated enum, packed (wire type 2) or one value (wire type 0). */
static int push_enums(pb_ctx *c, pb_msg *m, const unsigned char *at, int wt, const char *fieldname,
		      int32_t **arr, size_t *n)
{
	pb_msg sub;
	char w[160];
	int rc;

	if (wt == WT_VARINT)
		return push_enum(c, m, m, at, arr, n);
	if (wt != WT_LEN)
		return want(c, m, at, wt, WT_VARINT, fieldname);
	if ((rc = get_sub(c, m, at, wt, fieldname, &sub, w, sizeof(w))))
		return rc;
	while (!rc && sub.p < sub.end)
		rc = push_enum(c, &sub, m, at, arr, n);
	return rc;
}

static int dec_msg(pb_ctx *c, pb_msg *m, const pb_type *t, void *obj);

/* Read one known field `fd` of obj at `at` (its tag already read). */
static int dec_field(pb_ctx *c, pb_msg *m, const unsigned char *at, int wt, const pb_field *fd, void *obj)
{
	pb_msg sub;
	char w[160];
	hr_h2_str s = { NULL, 0 }, *slot;
	uint64_t v;
	void *elem;
	int rc;

	switch (fd->kind) {
	case F_STR:
		return get_str(c, m, at, wt, fd->name, AT(obj, fd->off, hr_h2_str));
	case F_STRS:
		if ((rc = get_str(c, m, at, wt, fd->name, &s)))
			return rc;
		if (!(slot = push(c, AT(obj, fd->off, void *), AT(obj, fd->aux, size_t), sizeof(*slot))))
			return push_fail(c, m, at);
		*slot = s;
		return 0;
	case F_I32:
	case F_I64:
	case F_BOOL:
		if ((rc = get_varint(c, m, at, wt, fd->name, &v)))
			return rc;
		if (fd->kind == F_I32)
			*AT(obj, fd->off, int32_t) = (int32_t)(uint32_t)v;
		else if (fd->kind == F_I64)
			*AT(obj, fd->off, int64_t) = (int64_t)v;
		else
			*AT(obj, fd->off, int) = v != 0;
		return 0;
	case F_ENUMS:
		return push_enums(c, m, at, wt, fd->name, AT(obj, fd->off, int32_t *), AT(obj, fd->aux, size_t));
	case F_MSG:
		if ((rc = get_sub(c, m, at, wt, fd->name, &sub, w, sizeof(w))))
			return rc;
		*AT(obj, fd->aux, int) = 1;
		return dec_msg(c, &sub, fd->type, AT(obj, fd->off, void));
	case F_MSGS:
		if ((rc = get_sub(c, m, at, wt, fd->name, &sub, w, sizeof(w))))
			return rc;
		if (!(elem = push(c, AT(obj, fd->off, void *), AT(obj, fd->aux, size_t), fd->type->size)))
			return push_fail(c, m, at);
		return dec_msg(c, &sub, fd->type, elem);
	case F_SKIP:
		return (rc = want(c, m, at, wt, WT_LEN, fd->name)) ? rc : pb_skip(c, m, wt);
	}
	return pb_skip(c, m, wt);
}

/* Walk message m, filling obj by table t; unknown fields are skipped. */
static int dec_msg(pb_ctx *c, pb_msg *m, const pb_type *t, void *obj)
{
	uint32_t f = 0;
	int wt = 0, rc = 0;

	while (!rc && m->p < m->end) {
		const unsigned char *at = m->p;
		const pb_field *fd = NULL;

		if ((rc = pb_tag(c, m, &f, &wt)))
			break;
		for (size_t i = 0; i < t->nfields && !fd; i++)
			if (t->fields[i].num == f)
				fd = &t->fields[i];
		rc = fd ? dec_field(c, m, at, wt, fd, obj) : pb_skip(c, m, wt);
	}
	return rc;
}

#define TYPE(name, T) static const pb_type name = { name##_f, sizeof(name##_f) / sizeof(name##_f[0]), sizeof(T) }
#define STR(n, S, mem) { n, F_STR, #mem, offsetof(S, mem), 0, NULL }
#define NAMED(n, k, nm, S, mem, aux, ty) { n, k, nm, offsetof(S, mem), aux, ty }
#define TIME(n, nm, S, mem) { n, F_MSG, nm, offsetof(S, mem), offsetof(S, mem) + offsetof(hr_h2_time, present), &t_time }

static const pb_field t_time_f[] = {
	NAMED(1, F_I64, "seconds", hr_h2_time, seconds, 0, NULL),
	NAMED(2, F_I32, "nanos", hr_h2_time, nanos, 0, NULL),
};
TYPE(t_time, hr_h2_time);

/* Messages with string/bytes fields 1 and 2: map<string,string> entry, Template, Any. */
static const pb_field t_kv_f[] = {
	NAMED(1, F_STR, "key", hr_h2_pair, key, 0, NULL), NAMED(2, F_STR, "value", hr_h2_pair, value, 0, NULL),
};
TYPE(t_kv, hr_h2_pair);
static const pb_field t_template_f[] = {
	NAMED(1, F_STR, "name", hr_h2_pair, key, 0, NULL), NAMED(2, F_STR, "data", hr_h2_pair, value, 0, NULL),
};
TYPE(t_template, hr_h2_pair);
static const pb_field t_any_f[] = {
	NAMED(1, F_STR, "type_url", hr_h2_pair, key, 0, NULL), NAMED(2, F_STR, "value", hr_h2_pair, value, 0, NULL),
};
TYPE(t_any, hr_h2_pair);

static const pb_field t_maintainer_f[] = {
	STR(1, hr_h2_maintainer, name), STR(2, hr_h2_maintainer, email), STR(3, hr_h2_maintainer, url),
};
TYPE(t_maintainer, hr_h2_maintainer);

#define MD hr_h2_metadata
static const pb_field t_metadata_f[] = {
	STR(1, MD, name), STR(2, MD, home),
	NAMED(3, F_STRS, "sources", MD, sources, offsetof(MD, nsources), NULL),
	STR(4, MD, version), STR(5, MD, description),
	NAMED(6, F_STRS, "keywords", MD, keywords, offsetof(MD, nkeywords), NULL),
	NAMED(7, F_MSGS, "maintainers", MD, maintainers, offsetof(MD, nmaintainers), &t_maintainer),
	STR(8, MD, engine), STR(9, MD, icon),
	NAMED(10, F_STR, "apiVersion", MD, api_version, 0, NULL),
	STR(11, MD, condition), STR(12, MD, tags),
	NAMED(13, F_STR, "appVersion", MD, app_version, 0, NULL),
	NAMED(14, F_BOOL, "deprecated", MD, deprecated, 0, NULL),
	NAMED(15, F_STR, "tillerVersion", MD, tiller_version, 0, NULL),
	NAMED(16, F_MSGS, "annotations", MD, annotations, offsetof(MD, nannotations), &t_kv),
	NAMED(17, F_STR, "kubeVersion", MD, kube_version, 0, NULL),
};
#undef MD
TYPE(t_metadata, hr_h2_metadata);

static const pb_field t_config_f[] = {
	STR(1, hr_h2_config, raw),
	{ 2, F_SKIP, "values", 0, 0, NULL },   /* map<string, Value>: helm-2to3 ignores it */
};
TYPE(t_config, hr_h2_config);

static const pb_type t_chart;
#define CH hr_h2_chart
static const pb_field t_chart_f[] = {
	NAMED(1, F_MSG, "metadata", CH, metadata, offsetof(CH, has_metadata), &t_metadata),
	NAMED(2, F_MSGS, "templates", CH, templates, offsetof(CH, ntemplates), &t_template),
	NAMED(3, F_MSGS, "dependencies", CH, dependencies, offsetof(CH, ndependencies), &t_chart),
	NAMED(4, F_MSG, "values", CH, values, offsetof(CH, has_values), &t_config),
	NAMED(5, F_MSGS, "files", CH, files, offsetof(CH, nfiles), &t_any),
};
#undef CH
static const pb_type t_chart = { t_chart_f, sizeof(t_chart_f) / sizeof(t_chart_f[0]), sizeof(hr_h2_chart) };

static const pb_field t_testrun_f[] = {
	STR(1, hr_h2_testrun, name),
	NAMED(2, F_I32, "status", hr_h2_testrun, status, 0, NULL),
	STR(3, hr_h2_testrun, info),
	TIME(4, "started_at", hr_h2_testrun, started_at),
	TIME(5, "completed_at", hr_h2_testrun, completed_at),
};
TYPE(t_testrun, hr_h2_testrun);

/* TestSuite fills the Status it hangs from (suite_*, results). */
static const pb_field t_suite_f[] = {
	TIME(1, "started_at", hr_h2_status, suite_started),
	TIME(2, "completed_at", hr_h2_status, suite_completed),
	NAMED(3, F_MSGS, "results", hr_h2_status, results, offsetof(hr_h2_status, nresults), &t_testrun),
};
TYPE(t_suite, hr_h2_status);

/* 2: details (Any), deprecated since 2.2, is skipped as unknown. */
static const pb_field t_status_f[] = {
	NAMED(1, F_I32, "code", hr_h2_status, code, 0, NULL),
	STR(3, hr_h2_status, resources), STR(4, hr_h2_status, notes),
	{ 5, F_MSG, "last_test_suite_run", 0, offsetof(hr_h2_status, has_suite), &t_suite },
};
TYPE(t_status, hr_h2_status);

static const pb_field t_info_f[] = {
	NAMED(1, F_MSG, "status", hr_h2_info, status, offsetof(hr_h2_info, has_status), &t_status),
	TIME(2, "first_deployed", hr_h2_info, first_deployed),
	TIME(3, "last_deployed", hr_h2_info, last_deployed),
	TIME(4, "deleted", hr_h2_info, deleted),
	NAMED(5, F_STR, "Description", hr_h2_info, description, 0, NULL),
};
TYPE(t_info, hr_h2_info);

static const pb_field t_hook_f[] = {
	STR(1, hr_h2_hook, name), STR(2, hr_h2_hook, kind), STR(3, hr_h2_hook, path), STR(4, hr_h2_hook, manifest),
	NAMED(5, F_ENUMS, "events", hr_h2_hook, events, offsetof(hr_h2_hook, nevents), NULL),
	TIME(6, "last_run", hr_h2_hook, last_run),
	NAMED(7, F_I32, "weight", hr_h2_hook, weight, 0, NULL),
	NAMED(8, F_ENUMS, "delete_policies", hr_h2_hook, delete_policies, offsetof(hr_h2_hook, npolicies), NULL),
	NAMED(9, F_I64, "delete_timeout", hr_h2_hook, delete_timeout, 0, NULL),
};
TYPE(t_hook, hr_h2_hook);

#define RL hr_helm2_release
static const pb_field t_release_f[] = {
	STR(1, RL, name),
	NAMED(2, F_MSG, "info", RL, info, offsetof(RL, has_info), &t_info),
	NAMED(3, F_MSG, "chart", RL, chart, offsetof(RL, has_chart), &t_chart),
	NAMED(4, F_MSG, "config", RL, config, offsetof(RL, has_config), &t_config),
	STR(5, RL, manifest),
	NAMED(6, F_MSGS, "hooks", RL, hooks, offsetof(RL, nhooks), &t_hook),
	NAMED(7, F_I32, "version", RL, version, 0, NULL),
	STR(8, RL, namespace),
};
#undef RL
TYPE(t_release, hr_helm2_release);

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
	rc = dec_msg(&c, &m, &t_release, r);
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
