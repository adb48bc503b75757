/*
 * helm2_convert.c — a decoded Helm 2 release as the Helm 3 release JSON
 * helm-2to3 stores (pkg/v3/release.go CreateRelease, then helm 3's
 * storage driver json.Marshal of release.Release).
 *
 * The text is written directly, in Helm 3's struct order with its empty
 * rules (reference §5): info times always present ("" when zero), chart
 * lock/schema null, templates/files/values null when absent, metadata
 * type forced to "application", engine/tillerVersion/sub-charts/status
 * resources/hook delete_timeout and Helm 2's own hook last_run dropped,
 * hooks' last_run taken from the last test suite run.  Times are UTC RFC
 * 3339 with nanoseconds; strings go through hr_gojson_write_string (Go's
 * escaping with HTML escapes); bytes are standard base64.
 */
#include "codec/helm2.h"
#include "codec/codec.h"
#include "codec/gojson.h"
#include "util/gotime.h"

#include <stdlib.h>
#include <string.h>

/* Go's time.Time{} as Unix seconds, and the first second of year 10000. */
#define GO_ZERO_UNIX (-62135596800LL)
#define YEAR10000_UNIX 253402300800LL

static const char *const event_v3[] = {
	"unknown", "pre-install", "post-install", "pre-delete", "post-delete", "pre-upgrade",
	"post-upgrade", "pre-rollback", "post-rollback", "test", "test", "crd-install"
};
static const char *const policy_v3[] = { "hook-succeeded", "hook-failed", "before-hook-creation" };
static const char *const phase_v3[] = { "Unknown", "Succeeded", "Failed", "Running" };

static int conv_fail(hr_error *err, const char *msg)
{
	return hr_error_set(err, HR_ESKIP, "helm 2 conversion: %s", msg);
}

static int put_key(hr_buf *out, const char *key, int *first)
{
	int rc = 0;

	if (!*first)
		rc = hr_buf_putc(out, ',');
	*first = 0;
	return rc ? rc : hr_buf_printf(out, "\"%s\":", key);
}

static int put_str(hr_buf *out, hr_h2_str s)
{
	return hr_gojson_write_string(out, s.ptr ? s.ptr : "", s.len, 0);
}

/* "key":"value" when value is not empty (omitempty). */
static int opt_str(hr_buf *out, const char *key, hr_h2_str s, int *first)
{
	int rc;

	if (!s.len)
		return 0;
	if ((rc = put_key(out, key, first)))
		return rc;
	return put_str(out, s);
}

/* A Timestamp as helm's time.Time JSON: "" when absent or Go's zero time. */
static int put_time(hr_buf *out, const hr_h2_time *t, const char *what, hr_error *err)
{
	hr_gotime g;
	int rc;

	if (!t->present || (t->seconds == GO_ZERO_UNIX && t->nanos == 0))
		return hr_buf_puts(out, "\"\"");
	if (t->seconds < GO_ZERO_UNIX || t->seconds >= YEAR10000_UNIX || t->nanos < 0 || t->nanos >= 1000000000)
		return hr_error_set(err, HR_ESKIP, "helm 2 conversion: %s: timestamp (%lld s, %d ns) outside "
				    "0001-01-01..9999-12-31", what, (long long)t->seconds, (int)t->nanos);
	memset(&g, 0, sizeof(g));
	g.unix = t->seconds;
	g.nsec = t->nanos;
	g.zone = HR_GOTIME_UTC;
	memcpy(g.name, "UTC", sizeof("UTC"));
	if ((rc = hr_buf_putc(out, '"')) || (rc = hr_gotime_json(out, &g, err)))
		return rc;
	return hr_buf_putc(out, '"');
}

static int put_bytes(hr_buf *out, hr_h2_str b)
{
	int rc;

	if (!b.len)
		return hr_buf_puts(out, "null");
	if ((rc = hr_buf_putc(out, '"')) || (rc = hr_base64_encode(out, b.ptr, b.len)))
		return rc;
	return hr_buf_putc(out, '"');
}

/* [{"name":..,"data":..},...] or null when there are none. */
static int put_files(hr_buf *out, const hr_h2_pair *f, size_t n)
{
	int rc;

	if (!n)
		return hr_buf_puts(out, "null");
	if ((rc = hr_buf_putc(out, '[')))
		return rc;
	for (size_t i = 0; i < n; i++) {
		if ((i && (rc = hr_buf_putc(out, ','))) ||
		    (rc = hr_buf_puts(out, "{\"name\":")) || (rc = put_str(out, f[i].key)) ||
		    (rc = hr_buf_puts(out, ",\"data\":")) || (rc = put_bytes(out, f[i].value)) ||
		    (rc = hr_buf_putc(out, '}')))
			return rc;
	}
	return hr_buf_putc(out, ']');
}

static int put_str_array(hr_buf *out, const char *key, const hr_h2_str *s, size_t n, int *first)
{
	int rc;

	if (!n)
		return 0;
	if ((rc = put_key(out, key, first)) || (rc = hr_buf_putc(out, '[')))
		return rc;
	for (size_t i = 0; i < n; i++)
		if ((i && (rc = hr_buf_putc(out, ','))) || (rc = put_str(out, s[i])))
			return rc;
	return hr_buf_putc(out, ']');
}

static int str_cmp(hr_h2_str a, hr_h2_str b)
{
	size_t n = a.len < b.len ? a.len : b.len;
	int c = n ? memcmp(a.ptr, b.ptr, n) : 0;

	return c ? c : (a.len > b.len) - (a.len < b.len);
}

static int pair_cmp(const void *x, const void *y)
{
	const hr_h2_pair *a = *(const hr_h2_pair *const *)x, *b = *(const hr_h2_pair *const *)y;
	int c = str_cmp(a->key, b->key);

	return c ? c : (a > b) - (a < b);
}

/* map<string,string> as Go writes it: sorted keys, the last entry of a key wins. */
static int put_annotations(hr_buf *out, const hr_h2_pair *p, size_t n, int *first)
{
	const hr_h2_pair **ord;
	int rc, f2 = 1;

	if (!n)
		return 0;
	if (!(ord = malloc(n * sizeof(*ord))))
		return HR_ENOMEM;
	for (size_t i = 0; i < n; i++)
		ord[i] = &p[i];
	qsort(ord, n, sizeof(*ord), pair_cmp);
	rc = put_key(out, "annotations", first);
	if (!rc)
		rc = hr_buf_putc(out, '{');
	for (size_t i = 0; i < n && !rc; i++) {
		if (i + 1 < n && !str_cmp(ord[i]->key, ord[i + 1]->key))
			continue;
		if (!f2)
			rc = hr_buf_putc(out, ',');
		f2 = 0;
		if (!rc && !(rc = put_str(out, ord[i]->key)) && !(rc = hr_buf_putc(out, ':')))
			rc = put_str(out, ord[i]->value);
	}
	free(ord);
	return rc ? rc : hr_buf_putc(out, '}');
}

static int put_metadata(hr_buf *out, const hr_h2_metadata *md)
{
	int first = 1, rc;

	if ((rc = hr_buf_putc(out, '{')) ||
	    (rc = opt_str(out, "name", md->name, &first)) ||
	    (rc = opt_str(out, "home", md->home, &first)) ||
	    (rc = put_str_array(out, "sources", md->sources, md->nsources, &first)) ||
	    (rc = opt_str(out, "version", md->version, &first)) ||
	    (rc = opt_str(out, "description", md->description, &first)) ||
	    (rc = put_str_array(out, "keywords", md->keywords, md->nkeywords, &first)))
		return rc;
	if (md->nmaintainers) {
		if ((rc = put_key(out, "maintainers", &first)) || (rc = hr_buf_putc(out, '[')))
			return rc;
		for (size_t i = 0; i < md->nmaintainers; i++) {
			int f2 = 1;

			if ((i && (rc = hr_buf_putc(out, ','))) || (rc = hr_buf_putc(out, '{')) ||
			    (rc = opt_str(out, "name", md->maintainers[i].name, &f2)) ||
			    (rc = opt_str(out, "email", md->maintainers[i].email, &f2)) ||
			    (rc = opt_str(out, "url", md->maintainers[i].url, &f2)) ||
			    (rc = hr_buf_putc(out, '}')))
				return rc;
		}
		if ((rc = hr_buf_putc(out, ']')))
			return rc;
	}
	if ((rc = opt_str(out, "icon", md->icon, &first)) ||
	    (rc = opt_str(out, "apiVersion", md->api_version, &first)) ||
	    (rc = opt_str(out, "condition", md->condition, &first)) ||
	    (rc = opt_str(out, "tags", md->tags, &first)) ||
	    (rc = opt_str(out, "appVersion", md->app_version, &first)))
		return rc;
	if (md->deprecated && ((rc = put_key(out, "deprecated", &first)) || (rc = hr_buf_puts(out, "true"))))
		return rc;
	if ((rc = put_annotations(out, md->annotations, md->nannotations, &first)) ||
	    (rc = opt_str(out, "kubeVersion", md->kube_version, &first)) ||
	    (rc = put_key(out, "type", &first)) || (rc = hr_buf_puts(out, "\"application\"")))
		return rc;
	return hr_buf_putc(out, '}');
}

static int put_values(hr_buf *out, const hr_h2_config *cf, const char *what, hr_error *err)
{
	int rc = hr_helm2_values_json(out, cf->raw.ptr ? cf->raw.ptr : "", cf->raw.len, err);

	if (rc)
		hr_error_prefix(err, rc, "helm 2 conversion: %s: ", what);
	return rc;
}

/* Sub-charts are converted (their values must parse) but Helm 3 does not serialize them. */
static int check_subcharts(const hr_h2_chart *ch, hr_error *err)
{
	hr_buf scratch = HR_BUF_INIT;
	int rc = 0;

	for (size_t i = 0; i < ch->ndependencies && !rc; i++) {
		const hr_h2_chart *dep = &ch->dependencies[i];

		if (dep->has_values)
			rc = put_values(&scratch, &dep->values, "sub-chart values", err);
		hr_buf_clear(&scratch);
		if (!rc)
			rc = check_subcharts(dep, err);
	}
	hr_buf_free(&scratch);
	return rc;
}

static int put_chart(hr_buf *out, const hr_h2_chart *ch, hr_error *err)
{
	int rc;

	if ((rc = check_subcharts(ch, err)))
		return rc;
	if ((rc = hr_buf_puts(out, "{\"metadata\":")))
		return rc;
	if ((rc = ch->has_metadata ? put_metadata(out, &ch->metadata) : hr_buf_puts(out, "null")))
		return rc;
	if ((rc = hr_buf_puts(out, ",\"lock\":null,\"templates\":")) ||
	    (rc = put_files(out, ch->templates, ch->ntemplates)) ||
	    (rc = hr_buf_puts(out, ",\"values\":")))
		return rc;
	if ((rc = ch->has_values ? put_values(out, &ch->values, "chart values", err) : hr_buf_puts(out, "null")))
		return rc;
	if ((rc = hr_buf_puts(out, ",\"schema\":null,\"files\":")) || (rc = put_files(out, ch->files, ch->nfiles)))
		return rc;
	return hr_buf_putc(out, '}');
}

static int put_info(hr_buf *out, const hr_h2_info *in, hr_error *err)
{
	const char *status;
	int first = 0, rc;

	if ((rc = hr_buf_puts(out, "{\"first_deployed\":")) ||
	    (rc = put_time(out, &in->first_deployed, "info.first_deployed", err)) ||
	    (rc = hr_buf_puts(out, ",\"last_deployed\":")) ||
	    (rc = put_time(out, &in->last_deployed, "info.last_deployed", err)) ||
	    (rc = hr_buf_puts(out, ",\"deleted\":")) ||
	    (rc = put_time(out, &in->deleted, "info.deleted", err)))
		return rc;
	if (!in->has_status)
		return conv_fail(err, "release info has no status");
	if (!(status = hr_helm2_status_v3(in->status.code)))
		return hr_error_set(err, HR_ESKIP, "helm 2 conversion: Failed to get v2 status (code %d)",
				    (int)in->status.code);
	if ((rc = opt_str(out, "description", in->description, &first)) ||
	    (rc = put_key(out, "status", &first)) || (rc = hr_buf_printf(out, "\"%s\"", status)) ||
	    (rc = opt_str(out, "notes", in->status.notes, &first)))
		return rc;
	return hr_buf_putc(out, '}');
}

static int put_enum_list(hr_buf *out, const char *key, const int32_t *v, size_t n,
			 const char *const *names, size_t nnames, const char *what, int *first, hr_error *err)
{
	int rc;

	if (!n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (v[i] < 0 || (size_t)v[i] >= nnames)
			return hr_error_set(err, HR_ESKIP, "helm 2 conversion: Failed to get the v2 %s (value %d)",
					    what, (int)v[i]);
	if ((rc = put_key(out, key, first)) || (rc = hr_buf_putc(out, '[')))
		return rc;
	for (size_t i = 0; i < n; i++)
		if ((i && (rc = hr_buf_putc(out, ','))) || (rc = hr_buf_printf(out, "\"%s\"", names[v[i]])))
			return rc;
	return hr_buf_putc(out, ']');
}

/* last_run from the test suite result named like the hook, else empty. */
static int put_last_run(hr_buf *out, const hr_h2_hook *h, const hr_h2_status *st, hr_error *err)
{
	static const hr_h2_time none = { 0, 0, 0 };
	const hr_h2_testrun *run = NULL;
	int rc;

	for (size_t i = 0; st->has_suite && i < st->nresults && !run; i++)
		if (!str_cmp(st->results[i].name, h->name))
			run = &st->results[i];
	if ((rc = hr_buf_puts(out, "\"last_run\":{\"started_at\":")) ||
	    (rc = put_time(out, run ? &run->started_at : &none, "test run started_at", err)) ||
	    (rc = hr_buf_puts(out, ",\"completed_at\":")) ||
	    (rc = put_time(out, run ? &run->completed_at : &none, "test run completed_at", err)))
		return rc;
	if (run && (run->status < 0 || run->status > 3))
		return hr_error_set(err, HR_ESKIP, "helm 2 conversion: Failed to get the v2 test run status "
				    "(value %d)", (int)run->status);
	return hr_buf_printf(out, ",\"phase\":\"%s\"}", run ? phase_v3[run->status] : "");
}

static int put_hooks(hr_buf *out, const hr_helm2_release *r, hr_error *err)
{
	int rc;

	if ((rc = hr_buf_puts(out, ",\"hooks\":[")))
		return rc;
	for (size_t i = 0; i < r->nhooks; i++) {
		const hr_h2_hook *h = &r->hooks[i];
		int first = 1;

		if ((i && (rc = hr_buf_putc(out, ','))) || (rc = hr_buf_putc(out, '{')) ||
		    (rc = opt_str(out, "name", h->name, &first)) ||
		    (rc = opt_str(out, "kind", h->kind, &first)) ||
		    (rc = opt_str(out, "path", h->path, &first)) ||
		    (rc = opt_str(out, "manifest", h->manifest, &first)) ||
		    (rc = put_enum_list(out, "events", h->events, h->nevents, event_v3, 12, "hook event",
					&first, err)) ||
		    (!first && (rc = hr_buf_putc(out, ','))) ||
		    (rc = put_last_run(out, h, &r->info.status, err)))
			return rc;
		first = 0;
		if (h->weight && (rc = hr_buf_printf(out, ",\"weight\":%d", (int)h->weight)))
			return rc;
		if ((rc = put_enum_list(out, "delete_policies", h->delete_policies, h->npolicies, policy_v3, 3,
					"hook delete policy", &first, err)) ||
		    (rc = hr_buf_putc(out, '}')))
			return rc;
	}
	return hr_buf_putc(out, ']');
}

int hr_helm2_to_json(hr_buf *out, const hr_helm2_release *r, hr_error *err)
{
	size_t start = out->len, mark;
	int first = 1, rc;

	if (!r->has_chart || !r->has_info) {
		rc = conv_fail(err, "No v2 chart or info metadata");
		goto out;
	}
	if ((rc = hr_buf_putc(out, '{')) || (rc = opt_str(out, "name", r->name, &first)) ||
	    (rc = put_key(out, "info", &first)) || (rc = put_info(out, &r->info, err)) ||
	    (rc = hr_buf_puts(out, ",\"chart\":")) || (rc = put_chart(out, &r->chart, err)))
		goto out;
	if (r->has_config) {
		mark = out->len;
		if ((rc = hr_buf_puts(out, ",\"config\":")) || (rc = put_values(out, &r->config, "config", err)))
			goto out;
		if (out->len - mark == strlen(",\"config\":{}"))
			hr_buf_truncate(out, mark);    /* empty map: omitempty */
	}
	if ((rc = opt_str(out, "manifest", r->manifest, &first)))
		goto out;
	if (r->nhooks && (rc = put_hooks(out, r, err)))
		goto out;
	if (r->version && (rc = hr_buf_printf(out, ",\"version\":%d", (int)r->version)))
		goto out;
	if ((rc = opt_str(out, "namespace", r->namespace, &first)))
		goto out;
	rc = hr_buf_putc(out, '}');
out:
	if (rc == HR_ENOMEM)
		hr_error_set(err, HR_ENOMEM, "helm 2 conversion: out of memory");
	if (rc)
		hr_buf_truncate(out, start);
	return rc;
}

int hr_helm2_convert(hr_buf *out, const void *pb, size_t len, hr_error *err)
{
	hr_helm2_release *r = NULL;
	int rc = hr_helm2_decode(&r, pb, len, err);

	if (!rc)
		rc = hr_helm2_to_json(out, r, err);
	hr_helm2_release_free(r);
	return rc;
}
