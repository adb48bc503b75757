/*
 * list.c — `helm list` over all stored revisions: filter, newest revision
 * per release, state mask, sort, offset/max, then the table, json or yaml
 * output.  Follows helm v4.1.4 pkg/action/list.go + pkg/cmd/list.go and
 * v3.17.1 pkg/action/list.go + cmd/helm/list.go; helm.h states the rules.
 */
#include "render/helm.h"
#include "model/release.h"

#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include "render/table.h"
#include "util/gotime.h"

struct item {
	const hr_rev_summary *r;
	hr_gotime t;         /* last_deployed, parsed once: -d sorts by it, UPDATED prints it */
};

static const char *s0(const char *s)
{
	return s ? s : "";
}

static unsigned state_bit(const char *status)
{
	static const struct { const char *name; unsigned bit; } map[] = {
		{ "deployed", HR_LIST_DEPLOYED }, { "uninstalled", HR_LIST_UNINSTALLED },
		{ "superseded", HR_LIST_SUPERSEDED }, { "failed", HR_LIST_FAILED },
		{ "uninstalling", HR_LIST_UNINSTALLING }, { "pending-install", HR_LIST_PENDING_INSTALL },
		{ "pending-upgrade", HR_LIST_PENDING_UPGRADE },
		{ "pending-rollback", HR_LIST_PENDING_ROLLBACK },
	};

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(s0(status), map[i].name) == 0)
			return map[i].bit;
	return HR_LIST_UNKNOWN;
}

static unsigned state_mask(const hr_list_opts *o, int major)
{
	unsigned m = 0;

	if (o->all)
		return HR_LIST_ALL;
	if (o->deployed)
		m |= HR_LIST_DEPLOYED;
	if (o->uninstalled)
		m |= HR_LIST_UNINSTALLED;
	if (o->uninstalling)
		m |= HR_LIST_UNINSTALLING;
	if (o->pending)
		m |= HR_LIST_PENDING_INSTALL | HR_LIST_PENDING_ROLLBACK | HR_LIST_PENDING_UPGRADE;
	if (o->failed)
		m |= HR_LIST_FAILED;
	if (o->superseded)
		m |= HR_LIST_SUPERSEDED;
	if (m == 0)
		m = major == 3 ? (HR_LIST_DEPLOYED | HR_LIST_FAILED) : HR_LIST_ALL;
	return m;
}

static int cmp_key(const struct item *a, const struct item *b)
{
	int c = strcmp(s0(a->r->namespace), s0(b->r->namespace));

	if (c)
		return c;
	c = strcmp(s0(a->r->name), s0(b->r->name));
	if (c)
		return c;
	return a->r->version < b->r->version ? -1 : a->r->version > b->r->version;
}

/* Name order; equal names (helm: random) by namespace, then version. */
static int by_name(const void *pa, const void *pb)
{
	const struct item *a = pa, *b = pb;
	int c = strcmp(s0(a->r->name), s0(b->r->name));

	return c ? c : cmp_key(a, b);
}

static int by_date(const void *pa, const void *pb)
{
	const struct item *a = pa, *b = pb;

	if (a->t.unix != b->t.unix)
		return a->t.unix < b->t.unix ? -1 : 1;
	return by_name(pa, pb);
}

/* UPDATED: the time parsed by hr_render_list (step 4), in `layout` or Go's String form. */
static int updated_text(hr_buf *b, const hr_gotime *t, const char *layout)
{
	if (hr_gotime_is_zero(t))
		return hr_buf_putc(b, '-');
	return hr_gotime_format(b, t, layout && *layout ? layout : HR_GOTIME_STRING);
}

static int chart_text(hr_buf *b, const hr_rev_summary *r)
{
	if (!r->has_chart)
		return hr_buf_puts(b, "MISSING");
	return hr_buf_printf(b, "%s-%s", s0(r->chart_name), s0(r->chart_version));
}

/*
 * One entry of helm's releaseListWriter JSON/YAML (ctx: the items and
 * options); `paint`: two buffers for the coloured NAMESPACE and STATUS
 * cells of a table row (o->color).
 */
typedef struct list_ctx {
	const struct item *it;
	const hr_list_opts *o;
	hr_buf *paint;
} list_ctx;

/*
 * helm 4's list colours (pkg/cmd/list.go WriteTable with fatih/color v1.18):
 * the namespace cyan, the status by state, each closed by "\033[0m".  uitable
 * v0.0.4 measures and pads cells with the escapes stripped, so the table
 * keeps the colour-off layout (render/table.h).
 */
static int paint_row(const list_ctx *c, const hr_rev_summary *r, const char **cells)
{
	const char *st = hr_render__status_escape(s0(r->status));

	hr_buf_clear(&c->paint[0]);
	hr_buf_clear(&c->paint[1]);
	if (hr_buf_printf(&c->paint[0], "\033[36m%s\033[0m", s0(r->namespace)) ||
	    (*st && hr_buf_printf(&c->paint[1], "%s%s\033[0m", st, s0(r->status))))
		return HR_ENOMEM;
	cells[1] = hr_buf_cstr(&c->paint[0]);
	if (*st)
		cells[4] = hr_buf_cstr(&c->paint[1]);
	return 0;
}

static int list_row(const void *ctx, size_t i, const char **cells, hr_buf b[3], hr_error *err)
{
	const list_ctx *c = ctx;
	const hr_rev_summary *r = c->it[i].r;
	int rc;

	(void)err;
	if ((rc = updated_text(&b[1], &c->it[i].t, c->o->time_format)))
		return rc;
	if ((rc = hr_buf_printf(&b[0], "%lld", (long long)r->version)) || (rc = chart_text(&b[2], r)))
		return rc;
	cells[0] = s0(r->name);
	cells[1] = s0(r->namespace);
	cells[2] = hr_buf_cstr(&b[0]);
	cells[3] = hr_buf_cstr(&b[1]);
	cells[4] = s0(r->status);
	cells[5] = hr_buf_cstr(&b[2]);
	cells[6] = r->has_chart ? s0(r->app_version) : "MISSING";
	return c->paint ? paint_row(c, r, cells) : 0;
}

static int list_item(const void *ctx, size_t i, struct json_object **v, hr_buf *b, hr_error *err)
{
	const list_ctx *c = ctx;
	const hr_rev_summary *r = c->it[i].r;
	struct json_object *obj;
	int rc = 0;

	if (c->o->short_names)
		return (*v = json_object_new_string(s0(r->name))) ? 0 : HR_ENOMEM;
	if (!(obj = json_object_new_object()) || hr_release_add_str(obj, "name", r->name) ||
	    hr_release_add_str(obj, "namespace", r->namespace) || hr_buf_printf(b, "%lld", (long long)r->version) ||
	    hr_release_add_str(obj, "revision", hr_buf_cstr(b)))
		rc = HR_ENOMEM;
	hr_buf_clear(b);
	(void)err;
	if (!rc && !(rc = updated_text(b, &c->it[i].t, c->o->time_format)) &&
	    (hr_release_add_str(obj, "updated", hr_buf_cstr(b)) || hr_release_add_str(obj, "status", r->status)))
		rc = HR_ENOMEM;
	hr_buf_clear(b);
	if (!rc && (chart_text(b, r) || hr_release_add_str(obj, "chart", hr_buf_cstr(b)) ||
		    hr_release_add_str(obj, "app_version", r->has_chart ? r->app_version : "MISSING")))
		rc = HR_ENOMEM;
	if (rc)
		json_object_put(obj);
	else
		*v = obj;
	return rc;
}

int hr_render_list(hr_buf *out, const hr_rev_summary *revs, size_t n, const hr_list_opts *opts,
		   hr_error *err)
{
	static const hr_list_opts defaults = HR_LIST_OPTS_INIT;
	const hr_list_opts *o = opts ? opts : &defaults;
	struct item *it = NULL;
	hr_render__fmt fmt;
	hr_buf paint[2] = { HR_BUF_INIT, HR_BUF_INIT };
	regex_t re;
	int have_re = 0, major = o->helm_major ? o->helm_major : 4, rc, sorted = 0;
	size_t m = 0, k, i;
	unsigned mask;

	if ((rc = hr_render__parse_format(o->format, &fmt, err)))
		return rc;
	if (o->filter && *o->filter) {
		char msg[256];
		if ((rc = regcomp(&re, o->filter, REG_EXTENDED | REG_NOSUB))) {
			regerror(rc, &re, msg, sizeof(msg));
			return hr_error_set(err, HR_EINVAL, "error parsing regexp: %s: `%s`", msg, o->filter);
		}
		have_re = 1;
	}
	if (o->offset < 0) {
		rc = hr_error_set(err, HR_EINVAL, "negative offset %d", o->offset);
		goto done;
	}
	if (n && !(it = calloc(n, sizeof(*it)))) {
		rc = hr_error_set(err, HR_ENOMEM, "out of memory");
		goto done;
	}
	/* 1. name filter */
	for (i = 0; i < n; i++)
		if (!have_re || regexec(&re, s0(revs[i].name), 0, NULL, 0) == 0)
			it[m++].r = &revs[i];
	mask = state_mask(o, major);
	/*
	 * 2. newest revision of each namespace/name.  In name order (by_name)
	 * a release's revisions are adjacent, oldest first, and what is kept
	 * is already in step 4's order unless -d: one sort of the rows, not two.
	 */
	if (mask != HR_LIST_SUPERSEDED && m) {
		qsort(it, m, sizeof(*it), by_name);
		sorted = 1;
		for (i = 0, k = 0; i < m; i++) {
			if (i + 1 < m && strcmp(s0(it[i].r->namespace), s0(it[i + 1].r->namespace)) == 0 &&
			    strcmp(s0(it[i].r->name), s0(it[i + 1].r->name)) == 0)
				continue;
			it[k++] = it[i];
		}
		m = k;
	}
	/* 3. state mask */
	for (i = 0, k = 0; i < m; i++)
		if (state_bit(it[i].r->status) & mask)
			it[k++] = it[i];
	m = k;
	/* 4. sort */
	for (i = 0; i < m; i++) {
		if ((rc = hr_gotime_parse(&it[i].t, it[i].r->last_deployed, err))) {
			hr_error_prefix(err, rc, "release %s/%s revision %lld: last_deployed",
					s0(it[i].r->namespace), s0(it[i].r->name), (long long)it[i].r->version);
			goto done;
		}
	}
	if (m && (o->by_date || !sorted))
		qsort(it, m, sizeof(*it), o->by_date ? by_date : by_name);
	if (o->reverse) {
		for (i = 0; i < m / 2; i++) {
			struct item x = it[i];
			it[i] = it[m - 1 - i];
			it[m - 1 - i] = x;
		}
	}
	/* 5. offset and max */
	{
		size_t off = (size_t)o->offset, cnt;
		if (off >= m) {
			off = 0;
			cnt = 0;
		} else {
			cnt = m - off;
			if (o->max > 0 && (size_t)o->max < cnt)
				cnt = (size_t)o->max;
		}
		if (fmt == HR_RENDER__TABLE && o->short_names) {
			for (i = 0; i < cnt; i++)
				if ((rc = hr_buf_puts(out, s0(it[off + i].r->name))) ||
				    (rc = hr_buf_putc(out, '\n'))) {
					hr_error_set(err, rc, "out of memory");
					goto done;
				}
		} else {
			static const char *const head[] = { "NAME", "NAMESPACE", "REVISION", "UPDATED", "STATUS",
				"CHART", "APP VERSION" };
			/* helm 4's ColorizeHeader: bold, closed by fatih/color's ResetBold (22) */
			static const char *const bold[] = { "\033[1mNAME\033[22m", "\033[1mNAMESPACE\033[22m",
				"\033[1mREVISION\033[22m", "\033[1mUPDATED\033[22m", "\033[1mSTATUS\033[22m",
				"\033[1mCHART\033[22m", "\033[1mAPP VERSION\033[22m" };
			int color = o->color && major >= 4;
			list_ctx c = { it + off, o, color ? paint : NULL };

			if (fmt == HR_RENDER__TABLE)
				rc = hr_render__table(out, o->no_headers ? NULL : color ? bold : head, 7, cnt, list_row,
						      &c, "list", err);
			else
				rc = hr_render__items(out, fmt, cnt, list_item, &c, "list", err);
		}
	}
done:
	if (have_re)
		regfree(&re);
	hr_buf_free(&paint[0]);
	hr_buf_free(&paint[1]);
	free(it);
	return rc;
}
