/*
 * record_write.c — Helm v1 release records as helm's storage drivers write
 * them: the release key, the system labels over the custom ones, the
 * Secret / ConfigMap object (as a tree, YAML or JSON, in the two styles
 * record_write.h describes) and the SQL driver's schema and rows.  Export,
 * rollback and repair all write records through here.
 */
#include "codec/record_write.h"
#include "model/release.h"
#include "codec/codec.h"
#include "codec/gojson.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int hr_record_write_key(hr_buf *out, const char *name, int64_t version)
{
	return hr_buf_printf(out, "sh.helm.release.v1.%s.v%lld", name, (long long)version) ? HR_ENOMEM : 0;
}

static const char *const system_labels[] = { "name", "owner", "status", "version", "createdAt", "modifiedAt" };

int hr_record_write_is_system_label(const char *key)
{
	for (size_t i = 0; i < sizeof(system_labels) / sizeof(*system_labels); i++)
		if (!strcmp(key, system_labels[i]))
			return 1;
	return 0;
}

/* Labels a restore adds that do not belong to the record (Velero). */
static int is_restore_label(const char *key)
{
	return !strcmp(key, "velero.io/backup-name") || !strcmp(key, "velero.io/restore-name");
}

static int put_label_int(struct json_object *o, const char *k, int64_t x)
{
	char num[32];

	snprintf(num, sizeof(num), "%lld", (long long)x);
	return hr_release_add_str(o, k, num);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* A new object with the members of `o` re-inserted sorted by key. */
static struct json_object *sorted_copy(struct json_object *o)
{
	size_t n = (size_t)json_object_object_length(o), i = 0;
	const char **keys = calloc(n ? n : 1, sizeof(*keys));
	struct json_object *out = json_object_new_object();

	if (!keys || !out)
		goto fail;
	{
		json_object_object_foreach(o, k, v) {
			(void)v;
			keys[i++] = k;
		}
	}
	qsort(keys, n, sizeof(*keys), cmp_str);
	for (i = 0; i < n; i++) {
		struct json_object *v = NULL;

		json_object_object_get_ex(o, keys[i], &v);
		if (json_object_object_add(out, keys[i], json_object_get(v))) {
			json_object_put(v);
			goto fail;
		}
	}
	free(keys);
	return out;
fail:
	free(keys);
	json_object_put(out);
	return NULL;
}

struct json_object *hr_record_write_labels(struct json_object *orig, const char *name, const char *status,
					   int64_t version, hr_record_stamp stamp, int64_t when)
{
	struct json_object *tmp = json_object_new_object(), *out = NULL;
	int rc = tmp ? 0 : HR_ENOMEM;

	if (!rc && orig && json_object_is_type(orig, json_type_object)) {
		json_object_object_foreach(orig, k, v) {
			if (rc || !json_object_is_type(v, json_type_string))
				continue;
			if (stamp == HR_RECORD_STAMP_UPDATE ? hr_record_write_is_system_label(k)
			    : is_restore_label(k) || !strcmp(k, "name") || !strcmp(k, "owner") ||
				      !strcmp(k, "status") || !strcmp(k, "version"))
				continue;
			rc = hr_release_add_str(tmp, k, json_object_get_string(v));
		}
	}
	rc = rc ? rc : hr_release_add_str(tmp, "name", name ? name : "");
	rc = rc ? rc : hr_release_add_str(tmp, "owner", "helm");
	rc = rc ? rc : hr_release_add_str(tmp, "status", status ? status : "unknown");
	rc = rc ? rc : put_label_int(tmp, "version", version);
	if (!rc && stamp == HR_RECORD_STAMP_UPDATE)
		rc = put_label_int(tmp, "modifiedAt", when);
	else if (!rc && when > 0 && !json_object_object_get_ex(tmp, "createdAt", NULL) &&
		 !json_object_object_get_ex(tmp, "modifiedAt", NULL))
		rc = put_label_int(tmp, "createdAt", when);
	if (!rc)
		out = sorted_copy(tmp);
	json_object_put(tmp);
	return out;
}

/* ---- the Secret / ConfigMap object ---- */

static int add_str(struct json_object *o, const char *k, const char *s, size_t len)
{
	struct json_object *v = json_object_new_string_len(s, (int)len);

	if (!v || json_object_object_add(o, k, v)) {
		json_object_put(v);
		return HR_ENOMEM;
	}
	return 0;
}

static int add_cstr(struct json_object *o, const char *k, const char *s)
{
	return add_str(o, k, s, strlen(s));
}

static int add_obj(struct json_object *o, const char *k, struct json_object *v)
{
	if (json_object_object_add(o, k, v)) {
		json_object_put(v);
		return HR_ENOMEM;
	}
	return 0;
}

static int check_driver(const hr_record_obj *r, hr_error *err)
{
	if (r->driver != HR_DRIVER_SECRET && r->driver != HR_DRIVER_CONFIGMAP)
		return hr_error_set(err, HR_EINVAL, "cannot write a %s record as an object", hr_driver_name(r->driver));
	return 0;
}

int hr_record_write_object(struct json_object **out, const hr_record_obj *r, hr_record_style style, hr_error *err)
{
	int secret = r->driver == HR_DRIVER_SECRET, rc;
	struct json_object *o = NULL, *md = NULL, *data = NULL;
	hr_buf key = HR_BUF_INIT, enc = HR_BUF_INIT;

	*out = NULL;
	if ((rc = check_driver(r, err)))
		return rc;
	rc = HR_ENOMEM;
	if (!(o = json_object_new_object()) || !(md = json_object_new_object()) || !(data = json_object_new_object()))
		goto fail;
	if (hr_record_write_key(&key, r->name, r->version))
		goto fail;
	if (secret ? hr_base64_encode(&enc, r->payload, r->payload_len) : hr_buf_put(&enc, r->payload, r->payload_len))
		goto fail;
	if (style == HR_RECORD_STYLE_SORTED && add_obj(md, "labels", json_object_get(r->labels)))
		goto fail;
	if (add_str(md, "name", key.ptr, key.len) || add_cstr(md, "namespace", r->namespace))
		goto fail;
	if (style == HR_RECORD_STYLE_QUOTED && add_obj(md, "labels", json_object_get(r->labels)))
		goto fail;
	if (add_cstr(o, "apiVersion", "v1") || add_cstr(o, "kind", secret ? "Secret" : "ConfigMap"))
		goto fail;
	if (add_obj(o, "metadata", md)) {
		md = NULL;
		goto fail;
	}
	md = NULL;
	if (secret && add_cstr(o, "type", "helm.sh/release.v1"))
		goto fail;
	if (add_str(data, "release", enc.ptr ? enc.ptr : "", enc.len))
		goto fail;
	rc = add_obj(o, "data", data);
	data = NULL;
	if (rc)
		goto fail;
	*out = o;
	o = NULL;
fail:
	if (rc)
		hr_error_set(err, rc, "out of memory");
	json_object_put(o);
	json_object_put(md);
	json_object_put(data);
	hr_buf_free(&key);
	hr_buf_free(&enc);
	return rc;
}

int hr_record_write_json(hr_buf *out, const hr_record_obj *r, hr_record_style style, hr_error *err)
{
	struct json_object *o;
	int rc = hr_record_write_object(&o, r, style, err);

	if (rc)
		return rc;
	rc = hr_gojson_write(out, o, style == HR_RECORD_STYLE_QUOTED ? HR_GOJSON_NO_HTML_ESCAPE : 0);
	json_object_put(o);
	return rc ? hr_error_set(err, rc, "writing record JSON: %s", hr_error_name(rc)) : 0;
}

/* A string as a YAML double-quoted scalar (Go JSON escapes are valid YAML). */
static int yaml_quoted(hr_buf *out, const char *s, hr_record_style style)
{
	return hr_gojson_write_string(out, s, strlen(s), style == HR_RECORD_STYLE_QUOTED ? HR_GOJSON_NO_HTML_ESCAPE : 0);
}

/* SORTED style: a label key or namespace plain when it is a safe identifier, else quoted. */
static int yaml_key(hr_buf *out, const char *s, hr_record_style style)
{
	static const char *const reserved[] = { "true", "false", "null", "yes", "no", "on", "off", "y", "n" };
	int plain = style == HR_RECORD_STYLE_SORTED && ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z'));

	for (const char *c = s; plain && *c; c++)
		plain = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
			*c == '-' || *c == '.' || *c == '_' || *c == '/';
	for (size_t i = 0; plain && i < sizeof(reserved) / sizeof(*reserved); i++)
		plain = strcmp(s, reserved[i]) != 0;
	return plain ? hr_buf_puts(out, s) : yaml_quoted(out, s, style);
}

static int yaml_labels(hr_buf *out, const hr_record_obj *r, hr_record_style style)
{
	int rc = hr_buf_puts(out, "  labels:\n");

	json_object_object_foreach(r->labels, k, v) {
		rc = rc ? rc : hr_buf_puts(out, "    ");
		rc = rc ? rc : yaml_key(out, k, style);
		rc = rc ? rc : hr_buf_puts(out, ": ");
		rc = rc ? rc : yaml_quoted(out, json_object_get_string(v), style);
		rc = rc ? rc : hr_buf_putc(out, '\n');
	}
	return rc;
}

int hr_record_write_yaml(hr_buf *out, const hr_record_obj *r, hr_record_style style, hr_error *err)
{
	int secret = r->driver == HR_DRIVER_SECRET, rc;
	hr_buf key = HR_BUF_INIT;

	if ((rc = check_driver(r, err)))
		return rc;
	rc = hr_record_write_key(&key, r->name, r->version);
	rc = rc ? rc : hr_buf_printf(out, "---\napiVersion: v1\nkind: %s\nmetadata:\n", secret ? "Secret" : "ConfigMap");
	if (style == HR_RECORD_STYLE_SORTED) {
		rc = rc ? rc : yaml_labels(out, r, style);
		rc = rc ? rc : hr_buf_printf(out, "  name: %s\n", key.ptr);
	} else {
		rc = rc ? rc : hr_buf_puts(out, "  name: ");
		rc = rc ? rc : yaml_quoted(out, key.ptr, style);
		rc = rc ? rc : hr_buf_putc(out, '\n');
	}
	rc = rc ? rc : hr_buf_puts(out, "  namespace: ");
	rc = rc ? rc : yaml_key(out, r->namespace, style);
	rc = rc ? rc : hr_buf_putc(out, '\n');
	if (style == HR_RECORD_STYLE_QUOTED)
		rc = rc ? rc : yaml_labels(out, r, style);
	if (secret)
		rc = rc ? rc : hr_buf_puts(out, "type: helm.sh/release.v1\n");
	rc = rc ? rc : hr_buf_puts(out, "data:\n  release: ");
	if (secret)
		rc = rc ? rc : hr_base64_encode(out, r->payload, r->payload_len);
	else
		rc = rc ? rc : hr_buf_put(out, r->payload, r->payload_len);
	rc = rc ? rc : hr_buf_putc(out, '\n');
	hr_buf_free(&key);
	return rc ? hr_error_set(err, HR_ENOMEM, "out of memory") : 0;
}

/* ---- the SQL driver ---- */

static const char sql_schema[] =
	"CREATE TABLE IF NOT EXISTS releases_v1 (\n"
	"\tkey VARCHAR(90),\n"
	"\ttype VARCHAR(64) NOT NULL,\n"
	"\tbody TEXT NOT NULL,\n"
	"\tname VARCHAR(64) NOT NULL,\n"
	"\tnamespace VARCHAR(64) NOT NULL,\n"
	"\tversion INTEGER NOT NULL,\n"
	"\tstatus TEXT NOT NULL,\n"
	"\towner TEXT NOT NULL,\n"
	"\tcreatedAt INTEGER NOT NULL,\n"
	"\tmodifiedAt INTEGER NOT NULL DEFAULT 0,\n"
	"\tPRIMARY KEY(key, namespace)\n"
	");\n"
	"CREATE INDEX IF NOT EXISTS releases_v1_key_namespace_idx ON releases_v1 (key, namespace);\n"
	"CREATE INDEX IF NOT EXISTS releases_v1_version_idx ON releases_v1 (version);\n"
	"CREATE INDEX IF NOT EXISTS releases_v1_status_idx ON releases_v1 (status);\n"
	"CREATE INDEX IF NOT EXISTS releases_v1_owner_idx ON releases_v1 (owner);\n"
	"CREATE INDEX IF NOT EXISTS releases_v1_createdat_idx ON releases_v1 (createdAt);\n"
	"CREATE INDEX IF NOT EXISTS releases_v1_modifiedat_idx ON releases_v1 (modifiedAt);\n"
	"GRANT ALL ON releases_v1 TO PUBLIC;\n"
	"ALTER TABLE releases_v1 ENABLE ROW LEVEL SECURITY;\n"
	"CREATE TABLE IF NOT EXISTS custom_labels_v1 (\n"
	"\treleaseKey VARCHAR(64),\n"
	"\treleaseNamespace VARCHAR(67),\n"
	"\tkey VARCHAR(317),\n"
	"\tvalue VARCHAR(63)\n"
	");\n"
	"CREATE INDEX IF NOT EXISTS custom_labels_v1_releasekey_releasenamespace_idx\n"
	"\tON custom_labels_v1 (releaseKey, releaseNamespace);\n"
	"GRANT ALL ON custom_labels_v1 TO PUBLIC;\n"
	"ALTER TABLE custom_labels_v1 ENABLE ROW LEVEL SECURITY;\n"
	"CREATE TABLE IF NOT EXISTS gorp_migrations (id TEXT NOT NULL PRIMARY KEY, applied_at TIMESTAMP WITH TIME ZONE);\n"
	"INSERT INTO gorp_migrations (id, applied_at) VALUES ('init', now()) ON CONFLICT (id) DO NOTHING;\n"
	"INSERT INTO gorp_migrations (id, applied_at) VALUES ('custom_labels', now()) ON CONFLICT (id) DO NOTHING;\n";

int hr_record_write_sql_schema(hr_buf *out)
{
	return hr_buf_puts(out, sql_schema) ? HR_ENOMEM : 0;
}

/* A PostgreSQL string literal (standard_conforming_strings: only ' doubles). */
static int sqlstr(hr_buf *b, const char *s, size_t len)
{
	int rc = hr_buf_putc(b, '\'');

	for (size_t i = 0; !rc && i < len; i++) {
		if (s[i] == '\'')
			rc = hr_buf_putc(b, '\'');
		rc = rc ? rc : hr_buf_putc(b, s[i]);
	}
	return rc ? rc : hr_buf_putc(b, '\'');
}

static int sqlcstr(hr_buf *b, const char *s)
{
	return sqlstr(b, s, strlen(s));
}

int hr_record_write_sql(hr_buf *b, const hr_record_obj *r)
{
	hr_buf key = HR_BUF_INIT;
	int rc = hr_record_write_key(&key, r->name, r->version);

	rc = rc ? rc : hr_buf_puts(b, "INSERT INTO releases_v1 (key, type, body, name, namespace, version, status, owner,"
				   " createdAt, modifiedAt) VALUES (");
	rc = rc ? rc : sqlstr(b, key.ptr, key.len);
	rc = rc ? rc : hr_buf_puts(b, ", 'helm.sh/release.v1', ");
	rc = rc ? rc : sqlstr(b, r->payload, r->payload_len);
	rc = rc ? rc : hr_buf_puts(b, ", ");
	rc = rc ? rc : sqlcstr(b, r->name);
	rc = rc ? rc : hr_buf_puts(b, ", ");
	rc = rc ? rc : sqlcstr(b, r->namespace);
	rc = rc ? rc : hr_buf_printf(b, ", %lld, ", (long long)r->version);
	rc = rc ? rc : sqlcstr(b, r->status ? r->status : "unknown");
	rc = rc ? rc : hr_buf_printf(b, ", 'helm', %lld, %lld);\n", (long long)r->created_at, (long long)r->modified_at);
	if (!rc && r->labels) {
		json_object_object_foreach(r->labels, k, v) {
			if (rc || hr_record_write_is_system_label(k))
				continue;
			rc = hr_buf_puts(b, "INSERT INTO custom_labels_v1 (releaseKey, releaseNamespace, key, value) VALUES (");
			rc = rc ? rc : sqlstr(b, key.ptr, key.len);
			rc = rc ? rc : hr_buf_puts(b, ", ");
			rc = rc ? rc : sqlcstr(b, r->namespace);
			rc = rc ? rc : hr_buf_puts(b, ", ");
			rc = rc ? rc : sqlcstr(b, k);
			rc = rc ? rc : hr_buf_puts(b, ", ");
			rc = rc ? rc : sqlcstr(b, json_object_get_string(v));
			rc = rc ? rc : hr_buf_puts(b, ");\n");
		}
	}
	hr_buf_free(&key);
	return rc ? HR_ENOMEM : 0;
}

int hr_record_write_sql_update(hr_buf *b, const hr_record_obj *r)
{
	hr_buf key = HR_BUF_INIT;
	int rc = hr_record_write_key(&key, r->name, r->version);

	rc = rc ? rc : hr_buf_puts(b, "UPDATE releases_v1 SET body = ");
	rc = rc ? rc : sqlstr(b, r->payload, r->payload_len);
	rc = rc ? rc : hr_buf_puts(b, ", name = ");
	rc = rc ? rc : sqlcstr(b, r->name);
	rc = rc ? rc : hr_buf_printf(b, ", version = %lld, status = ", (long long)r->version);
	rc = rc ? rc : sqlcstr(b, r->status ? r->status : "unknown");
	rc = rc ? rc : hr_buf_printf(b, ", owner = 'helm', modifiedAt = %lld WHERE key = ", (long long)r->modified_at);
	rc = rc ? rc : sqlstr(b, key.ptr, key.len);
	rc = rc ? rc : hr_buf_puts(b, " AND namespace = ");
	rc = rc ? rc : sqlcstr(b, r->namespace);
	rc = rc ? rc : hr_buf_puts(b, ";\n");
	hr_buf_free(&key);
	return rc ? HR_ENOMEM : 0;
}
