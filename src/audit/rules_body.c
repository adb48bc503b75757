/*
 * rules_body.c — the audit rules that read one revision's release body:
 * size pressure, deprecated and removed Kubernetes APIs (manifest and
 * hooks), credentials in values and manifests, subcharts the record does
 * not store, and which helm major version wrote it (for helm4-readiness).
 *
 * A credential's value goes into a finding only with --show-secrets; the
 * message names the key path, the finding lists the revisions.
 */
#include "audit/audit_int.h"
#include "model/manifest.h"
#include "model/release.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OBJECT_LIMIT ((int64_t)1 << 20)   /* Kubernetes: 1 MiB of Secret/ConfigMap data */

static int64_t str_len(struct json_object *o)
{
	return o && json_object_is_type(o, json_type_string) ? (int64_t)json_object_get_string_len(o) : 0;
}

static int64_t json_len(struct json_object *o)
{
	return o ? (int64_t)strlen(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN)) : 0;
}

/* Sum of the `data` strings of an array of {name, data} (chart templates/files). */
static int64_t data_len(struct json_object *arr)
{
	int64_t t = 0;

	if (!arr || !json_object_is_type(arr, json_type_array))
		return 0;
	for (size_t i = 0; i < json_object_array_length(arr); i++) {
		struct json_object *d;

		if (json_object_object_get_ex(json_object_array_get_idx(arr, i), "data", &d))
			t += str_len(d);
	}
	return t;
}

static int size_rule(hr_audit_ctx *c, const hr_fact_rev *r, struct json_object *rel)
{
	struct json_object *hooks = hr_release_get(rel, "hooks");
	int64_t obj, hooks_len = 0;
	char msg[512], ev[1024], fix[512];
	hr_severity sev;
	int rc = 0;

	if (r->driver && !strcmp(r->driver, "secret"))
		obj = (r->payload_size + 2) / 3 * 4;   /* data.release is base64 of helm's string */
	else if (r->driver && !strcmp(r->driver, "configmap"))
		obj = r->payload_size;
	else
		return 0;   /* the SQL driver and bare payloads have no object limit */
	if (hooks && json_object_is_type(hooks, json_type_array))
		for (size_t i = 0; i < json_object_array_length(hooks); i++) {
			struct json_object *m;

			if (json_object_object_get_ex(json_object_array_get_idx(hooks, i), "manifest", &m))
				hooks_len += str_len(m);
		}
	if (obj * 10 > OBJECT_LIMIT * 8) {
		sev = obj > OBJECT_LIMIT ? HR_SEV_ERROR : HR_SEV_WARNING;
		snprintf(msg, sizeof(msg), "record %s is %lld KiB, %lld%% of the 1 MiB object limit",
			 r->object_name ? r->object_name : "?", (long long)(obj / 1024), (long long)(obj * 100 / OBJECT_LIMIT));
		snprintf(ev, sizeof(ev), "release JSON %lld KiB: templates %lld KiB, files %lld KiB, values %lld KiB, "
			 "manifest %lld KiB, hooks %lld KiB (base64 inside the JSON, before gzip)%s",
			 (long long)(r->json_size / 1024), (long long)(data_len(hr_release_get(rel, "chart.templates")) / 1024),
			 (long long)(data_len(hr_release_get(rel, "chart.files")) / 1024),
			 (long long)((json_len(hr_release_get(rel, "config")) + json_len(hr_release_get(rel, "chart.values"))) / 1024),
			 (long long)(str_len(hr_release_get(rel, "manifest")) / 1024), (long long)(hooks_len / 1024),
			 c->prev_size ? "" : "; first revision stored");
		if (c->prev_size) {
			size_t l = strlen(ev);

			snprintf(ev + l, sizeof(ev) - l, "; previous revision %lld KiB (%+lld KiB)",
				 (long long)(c->prev_size / 1024), (long long)((obj - c->prev_size) / 1024));
		}
		snprintf(fix, sizeof(fix), "shrink the chart before the next upgrade of %s -n %s: keep big files out "
			 "(.helmignore), move data to ConfigMaps of its own, or use HELM_DRIVER=sql", r->name, r->namespace);
		rc = hr_audit_emit(c->res, "size", sev, r->namespace, r->name, r->version, msg, ev, fix);
	}
	c->prev_size = obj;
	return rc;
}

static int api_check(hr_audit_ctx *c, const hr_fact_rev *r, const char *api, const char *kind, const char *name,
		     const char *where)
{
	const hr_deprecation *d = NULL;
	char msg[512], ev[512], fix[512];
	int removed, deprecated;

	for (size_t i = 0; i < c->ndeps; i++)
		if (!strcmp(c->deps[i].api_version, api) && !strcmp(c->deps[i].kind, kind)) {
			d = &c->deps[i];
			break;
		}
	if (!d)
		return 0;
	removed = d->rem_major < c->kube_major || (d->rem_major == c->kube_major && d->rem_minor <= c->kube_minor);
	deprecated = d->dep_major < c->kube_major || (d->dep_major == c->kube_major && d->dep_minor <= c->kube_minor);
	if (!removed && !deprecated)
		return 0;
	snprintf(msg, sizeof(msg), "%s %s %s is %s in Kubernetes %d.%d (target %d.%d)%s", api, kind, name,
		 removed ? "removed" : "deprecated", removed ? d->rem_major : d->dep_major,
		 removed ? d->rem_minor : d->dep_minor, c->kube_major, c->kube_minor,
		 removed ? ": upgrading from or rolling back to these revisions fails" : "");
	snprintf(ev, sizeof(ev), "%s; deprecated in %d.%d, removed in %d.%d", where, d->dep_major, d->dep_minor,
		 d->rem_major, d->rem_minor);
	if (d->replacement[0])
		snprintf(fix, sizeof(fix), "use apiVersion %s for %s in the chart and upgrade; rewrite the stored "
			 "records with helmrec repair %s -n %s --map-apis --kube-version %d.%d (docs/repair.md)",
			 d->replacement, kind, r->name, r->namespace, c->kube_major, c->kube_minor);
	else
		snprintf(fix, sizeof(fix), "%s has no replacement: remove it from the chart and upgrade; rewrite the "
			 "stored records with the helm mapkubeapis plugin", kind);
	return hr_audit_emit(c->res, "deprecated-api", removed ? HR_SEV_ERROR : HR_SEV_WARNING, r->namespace, r->name,
			     r->version, msg, ev, fix);
}

/* Does a manifest text hold a PEM private key block? */
static int has_pem_key(const char *s)
{
	const char *p = s;

	while (s && (p = strstr(p, "-----BEGIN "))) {
		const char *eol = strstr(p + 11, "-----");

		if (eol && eol - p < 64) {
			const char *k = strstr(p, "PRIVATE KEY");

			if (k && k < eol)
				return 1;
		}
		p += 11;
	}
	return 0;
}

static int manifest_rules(hr_audit_ctx *c, const hr_fact_rev *r, struct json_object *rel, hr_error *err)
{
	hr_resource_list res = HR_RESOURCE_LIST_INIT;
	hr_split_style style;
	hr_kind_order order;
	const char *manifest = hr_release_str(rel, "manifest");
	struct json_object *hooks = hr_release_get(rel, "hooks");
	int want_api = hr_audit_want(c->opts, "deprecated-api"), want_cred = hr_audit_want(c->opts, "credentials");
	char where[512], msg[512];
	int rc = 0;

	hr_manifest_style_for(rel, &style, &order);
	if (manifest && (rc = hr_manifest_resources_ex(&res, manifest, strlen(manifest), style, order,
						       HR_RESOURCES_UNCHECKED, err)))
		return rc;
	for (size_t i = 0; !rc && i < res.n; i++) {
		hr_resource *d = &res.items[i];

		snprintf(where, sizeof(where), "manifest, template %s", d->source[0] ? d->source : "?");
		if (want_api)
			rc = api_check(c, r, d->api_version, d->kind, d->name, where);
		if (!rc && want_cred && !strcmp(d->kind, "Secret") && !strcmp(d->api_version, "v1")) {
			snprintf(msg, sizeof(msg), "the manifest renders Secret %s: its data sits in the record in clear "
				 "once decoded", d->name);
			rc = hr_audit_emit(c->res, "credentials", HR_SEV_INFO, r->namespace, r->name, r->version, msg,
					   where, "protect the release records like the Secret itself (RBAC on Secrets, "
					   "encrypted backups), or create the Secret outside the chart");
		}
		if (!rc && want_cred && has_pem_key(d->text)) {
			snprintf(msg, sizeof(msg), "PEM private key in the manifest (%s %s)", d->kind, d->name);
			rc = hr_audit_emit(c->res, "credentials", HR_SEV_WARNING, r->namespace, r->name, r->version, msg,
					   where, "rotate the key; keep it out of the chart (external secret store)");
		}
	}
	hr_resource_list_free(&res);
	for (size_t i = 0; !rc && hooks && json_object_is_type(hooks, json_type_array) &&
			   i < json_object_array_length(hooks); i++) {
		struct json_object *h = json_object_array_get_idx(hooks, i), *m, *p;
		char *api = NULL, *kind = NULL, *ns = NULL, *name = NULL;
		const char *text;

		if (!json_object_object_get_ex(h, "manifest", &m) || !json_object_is_type(m, json_type_string))
			continue;
		text = json_object_get_string(m);
		snprintf(where, sizeof(where), "hook, template %s",
			 json_object_object_get_ex(h, "path", &p) ? json_object_get_string(p) : "?");
		rc = hr_manifest_head_sure(text, strlen(text), &api, &kind, &ns, &name);
		if (rc == 0 && hr_manifest_head(text, strlen(text), &api, &kind, &ns, &name, NULL) == HR_ENOMEM)
			rc = HR_ENOMEM;
		else if (rc == 1)
			rc = 0;
		if (!rc && want_api && api && kind)
			rc = api_check(c, r, api, kind, name ? name : "", where);
		if (!rc && want_cred && has_pem_key(text)) {
			snprintf(msg, sizeof(msg), "PEM private key in hook %s", name ? name : "?");
			rc = hr_audit_emit(c->res, "credentials", HR_SEV_WARNING, r->namespace, r->name, r->version, msg,
					   where, "rotate the key; keep it out of the chart (external secret store)");
		}
		free(api); free(kind); free(ns); free(name);
	}
	if (rc && err && !err->code)
		hr_error_set(err, rc, "out of memory");
	return rc;
}

/* Key names that hold credentials (compared lower-case, without '-' and '_'). */
static int credential_key(const char *key)
{
	static const char *const words[] = { "password", "passwd", "token", "secret", "apikey", "accesskey",
					     "privatekey", "clientsecret", "credential" };
	static const char *const names[] = { "secretname", "existingsecret", "secretref", "tokenpath", "secretkeyref" };
	char k[128];
	size_t n = 0;

	for (const char *p = key; *p && n + 1 < sizeof(k); p++)
		if (*p != '-' && *p != '_')
			k[n++] = (char)tolower((unsigned char)*p);
	k[n] = 0;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strstr(k, names[i]))
			return 0;
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strstr(k, words[i]))
			return 1;
	return 0;
}

/* "scheme://user:pass@host": a password in a connection string. */
static int conn_string_password(const char *s)
{
	const char *p = strstr(s, "://"), *at, *colon;

	if (!p)
		return 0;
	p += 3;
	at = strchr(p, '@');
	colon = strchr(p, ':');
	return at && colon && colon < at && !memchr(p, '/', (size_t)(at - p)) && colon + 1 < at;
}

typedef struct walk {
	hr_audit_ctx *c;
	const hr_fact_rev *r;
	const char *origin;    /* "user-supplied" or "chart default" */
	hr_severity sev;       /* warning for user-supplied values, info for the chart's defaults */
	hr_buf path;
} walk;

static int report_value(walk *w, const char *what, struct json_object *v)
{
	char msg[1024];
	hr_buf ev = HR_BUF_INIT;
	int rc;

	snprintf(msg, sizeof(msg), "%s value %s %s", w->origin, w->path.ptr, what);
	if (w->c->opts->show_secrets)
		rc = hr_buf_printf(&ev, "value: %s", json_object_get_string(v));
	else
		rc = hr_buf_puts(&ev, "value not shown (--show-secrets shows it)");
	if (!rc)
		rc = hr_audit_emit(w->c->res, "credentials", w->sev, w->r->namespace, w->r->name, w->r->version,
				   msg, ev.ptr, "move it to an external secret store or an existingSecret value, and "
				   "rotate it: every stored revision keeps it");
	hr_buf_free(&ev);
	return rc;
}

static int walk_values(walk *w, struct json_object *o, const char *key)
{
	size_t mark = w->path.len;
	int rc = 0;

	if (json_object_is_type(o, json_type_object)) {
		json_object_object_foreach(o, k, v) {
			/* (puts, not printf: this runs once per key of every values tree) */
			if ((w->path.len && (rc = hr_buf_putc(&w->path, '.'))) || (rc = hr_buf_puts(&w->path, k)))
				break;
			rc = walk_values(w, v, k);
			hr_buf_truncate(&w->path, mark);
			if (rc)
				break;
		}
	} else if (json_object_is_type(o, json_type_array)) {
		for (size_t i = 0; !rc && i < json_object_array_length(o); i++) {
			if ((rc = hr_buf_printf(&w->path, "[%zu]", i)))
				break;
			rc = walk_values(w, json_object_array_get_idx(o, i), key);
			hr_buf_truncate(&w->path, mark);
		}
	} else {
		const char *why = hr_audit_credential_kind(key, o);

		if (why)
			rc = report_value(w, why, o);
	}
	return rc;
}

const char *hr_audit_credential_kind(const char *key, struct json_object *o)
{
	if (json_object_is_type(o, json_type_string)) {
		const char *s = json_object_get_string(o);

		if (has_pem_key(s))
			return "holds a PEM private key";
		if (conn_string_password(s))
			return "is a connection string with a password (user:pass@)";
		if (*s && key && credential_key(key))
			return "looks like a credential";
	} else if (o && key && credential_key(key) && !json_object_is_type(o, json_type_boolean) &&
		   !json_object_is_type(o, json_type_object) && !json_object_is_type(o, json_type_array)) {
		return "looks like a credential";
	}
	return NULL;
}

static int values_rule(hr_audit_ctx *c, const hr_fact_rev *r, struct json_object *rel)
{
	walk w = { c, r, "user-supplied", HR_SEV_WARNING, HR_BUF_INIT };
	struct json_object *v;
	int rc = 0;

	if ((v = hr_release_get(rel, "config")))
		rc = walk_values(&w, v, NULL);
	hr_buf_clear(&w.path);
	w.origin = "chart default";
	w.sev = HR_SEV_INFO;
	if (!rc && (v = hr_release_get(rel, "chart.values")))
		rc = walk_values(&w, v, NULL);
	hr_buf_free(&w.path);
	return rc;
}

static int provenance_rule(hr_audit_ctx *c, const hr_fact_rev *r, struct json_object *rel)
{
	struct json_object *deps = hr_release_get(rel, "chart.metadata.dependencies");
	int rc = 0;

	if (!deps || !json_object_is_type(deps, json_type_array))
		return 0;
	for (size_t i = 0; !rc && i < json_object_array_length(deps); i++) {
		struct json_object *d = json_object_array_get_idx(deps, i), *v;
		const char *name = json_object_object_get_ex(d, "name", &v) ? json_object_get_string(v) : "?";
		const char *ver = json_object_object_get_ex(d, "version", &v) ? json_object_get_string(v) : "?";
		const char *repo = json_object_object_get_ex(d, "repository", &v) ? json_object_get_string(v) : "";
		char msg[512], fix[512];

		snprintf(msg, sizeof(msg), "subchart %s %s%s%s%s is named in Chart.yaml but not stored: a chart recovered "
			 "from this record lacks charts/%s", name, ver, *repo ? " (" : "", repo, *repo ? ")" : "", name);
		snprintf(fix, sizeof(fix), "fetch %s %s (helm dependency build) before installing a chart recovered with "
			 "helmrec chart %s -n %s", name, ver, r->name, r->namespace);
		rc = hr_audit_emit(c->res, "chart-provenance", HR_SEV_INFO, r->namespace, r->name, r->version, msg,
				   NULL, fix);
	}
	return rc;
}

int hr_audit_body_rules(hr_audit_ctx *c, const hr_fact_rev *r, struct json_object *rel, hr_error *err)
{
	int rc = 0;

	if (hr_release_writer_major(rel) == 4) {
		c->writers |= 0x10;
		rc = hr_buf_printf(&c->writer4, "%s%lld", c->writer4.len ? ", " : "", (long long)r->version);
	} else {
		c->writers |= 0x08;
		rc = hr_buf_printf(&c->writer3, "%s%lld", c->writer3.len ? ", " : "", (long long)r->version);
	}
	if (!rc && hr_audit_want(c->opts, "size"))
		rc = size_rule(c, r, rel);
	if (!rc && (hr_audit_want(c->opts, "deprecated-api") || hr_audit_want(c->opts, "credentials")))
		if ((rc = manifest_rules(c, r, rel, err)))
			return rc;
	if (!rc && hr_audit_want(c->opts, "credentials"))
		rc = values_rule(c, r, rel);
	if (!rc && hr_audit_want(c->opts, "chart-provenance"))
		rc = provenance_rule(c, r, rel);
	return rc ? hr_error_set(err, rc, "out of memory") : 0;
}
