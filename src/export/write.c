/*
 * render.c — write an export set in one storage driver's format:
 *
 *   Secret / ConfigMap  the objects a `kubectl create -f` needs, nothing a
 *                       cluster assigns (uid, resourceVersion,
 *                       creationTimestamp, managedFields...): a YAML stream
 *                       (one document per object) or a JSON `kind: List`;
 *   SQL                 PostgreSQL statements for Helm's tables
 *                       (`releases_v1`, `custom_labels_v1`), preceded by the
 *                       schema Helm's migrations create and their
 *                       `gorp_migrations` bookkeeping, all idempotent, in
 *                       one transaction (docs/export.md explains why);
 *   memory              the JSON array of release bodies that
 *                       HELM_MEMORY_DRIVER_DATA reads
 *                       (formats/helm-memory-driver.md).
 */
#include "export/export.h"
#include "codec/codec.h"
#include "codec/gojson.h"

#include <string.h>

int hr_export_key(hr_buf *out, const char *name, int64_t version)
{
	return hr_buf_printf(out, "sh.helm.release.v1.%s.v%lld", name, (long long)version);
}

/* A string as a JSON / YAML double-quoted scalar (JSON escapes are valid YAML). */
static int qstr(hr_buf *b, const char *s)
{
	return hr_gojson_write_string(b, s, strlen(s), HR_GOJSON_NO_HTML_ESCAPE);
}

static int object_json(hr_buf *b, const hr_export_item *it, int secret)
{
	hr_buf key = HR_BUF_INIT;
	size_t nl = 0;
	int rc = hr_export_key(&key, it->name, it->version);

	rc = rc || hr_buf_printf(b, "{\"apiVersion\":\"v1\",\"kind\":\"%s\",\"metadata\":{\"name\":",
				 secret ? "Secret" : "ConfigMap");
	rc = rc || qstr(b, key.ptr);
	rc = rc || hr_buf_puts(b, ",\"namespace\":") || qstr(b, it->namespace);
	rc = rc || hr_buf_puts(b, ",\"labels\":{");
	{
		json_object_object_foreach(it->labels, k, v) {
			rc = rc || (nl++ && hr_buf_putc(b, ',')) || qstr(b, k) || hr_buf_putc(b, ':') ||
			     qstr(b, json_object_get_string(v));
		}
	}
	rc = rc || hr_buf_puts(b, "}}");
	if (secret)
		rc = rc || hr_buf_puts(b, ",\"type\":\"helm.sh/release.v1\"");
	rc = rc || hr_buf_puts(b, ",\"data\":{\"release\":\"");
	if (secret)
		rc = rc || hr_base64_encode(b, it->payload, it->payload_len);
	else
		rc = rc || hr_buf_put(b, it->payload, it->payload_len);
	rc = rc || hr_buf_puts(b, "\"}}");
	hr_buf_free(&key);
	return rc ? HR_ENOMEM : 0;
}

static int object_yaml(hr_buf *b, const hr_export_item *it, int secret)
{
	hr_buf key = HR_BUF_INIT;
	int rc = hr_export_key(&key, it->name, it->version);

	rc = rc || hr_buf_printf(b, "---\napiVersion: v1\nkind: %s\nmetadata:\n  name: ", secret ? "Secret" : "ConfigMap");
	rc = rc || qstr(b, key.ptr) || hr_buf_puts(b, "\n  namespace: ") || qstr(b, it->namespace);
	rc = rc || hr_buf_puts(b, "\n  labels:\n");
	{
		json_object_object_foreach(it->labels, k, v) {
			rc = rc || hr_buf_puts(b, "    ") || qstr(b, k) || hr_buf_puts(b, ": ") ||
			     qstr(b, json_object_get_string(v)) || hr_buf_putc(b, '\n');
		}
	}
	if (secret)
		rc = rc || hr_buf_puts(b, "type: helm.sh/release.v1\n");
	rc = rc || hr_buf_puts(b, "data:\n  release: ");
	if (secret)
		rc = rc || hr_base64_encode(b, it->payload, it->payload_len);
	else
		rc = rc || hr_buf_put(b, it->payload, it->payload_len);
	rc = rc || hr_buf_putc(b, '\n');
	hr_buf_free(&key);
	return rc ? HR_ENOMEM : 0;
}

/* A PostgreSQL string literal (standard_conforming_strings: only ' doubles). */
static int sqlstr(hr_buf *b, const char *s, size_t len)
{
	int rc = hr_buf_putc(b, '\'');

	for (size_t i = 0; !rc && i < len; i++) {
		if (s[i] == '\'')
			rc = hr_buf_putc(b, '\'');
		if (!rc)
			rc = hr_buf_putc(b, s[i]);
	}
	return rc || hr_buf_putc(b, '\'');
}

/*
 * The tables, indexes, grants and row-level security Helm's two SQL
 * migrations ("init", "custom_labels") create, plus their sql-migrate
 * records, so Helm finds its schema ready and skips migrating.  Every
 * statement is a no-op on a database Helm already uses.
 */
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

static int sql_item(hr_buf *b, const hr_export_item *it)
{
	hr_buf key = HR_BUF_INIT;
	int rc = hr_export_key(&key, it->name, it->version);

	rc = rc || hr_buf_puts(b, "INSERT INTO releases_v1 (key, type, body, name, namespace, version, status, owner,"
			       " createdAt, modifiedAt) VALUES (");
	rc = rc || sqlstr(b, key.ptr, key.len) || hr_buf_puts(b, ", 'helm.sh/release.v1', ");
	rc = rc || sqlstr(b, it->payload, it->payload_len) || hr_buf_puts(b, ", ");
	rc = rc || sqlstr(b, it->name, strlen(it->name)) || hr_buf_puts(b, ", ");
	rc = rc || sqlstr(b, it->namespace, strlen(it->namespace));
	rc = rc || hr_buf_printf(b, ", %lld, ", (long long)it->version);
	rc = rc || sqlstr(b, it->status, strlen(it->status));
	rc = rc || hr_buf_printf(b, ", 'helm', %lld, %lld);\n", (long long)it->created_at, (long long)it->modified_at);
	{
		json_object_object_foreach(it->labels, k, v) {
			const char *val = json_object_get_string(v);

			if (hr_export_is_system_label(k))
				continue;
			rc = rc || hr_buf_puts(b, "INSERT INTO custom_labels_v1 (releaseKey, releaseNamespace, key, value)"
					       " VALUES (");
			rc = rc || sqlstr(b, key.ptr, key.len) || hr_buf_puts(b, ", ");
			rc = rc || sqlstr(b, it->namespace, strlen(it->namespace)) || hr_buf_puts(b, ", ");
			rc = rc || sqlstr(b, k, strlen(k)) || hr_buf_puts(b, ", ");
			rc = rc || sqlstr(b, val, strlen(val)) || hr_buf_puts(b, ");\n");
		}
	}
	hr_buf_free(&key);
	return rc ? HR_ENOMEM : 0;
}

/*
 * Release JSON for the memory-driver file.  Helm reads the file with
 * sigs.k8s.io/yaml, whose YAML reader refuses some characters that Go's
 * JSON writer leaves raw inside strings: DEL, the C1 controls except NEL
 * (U+0080-U+009F but U+0085) and U+FFFE/U+FFFF.  They can only occur inside
 * string literals (JSON syntax is ASCII), so escaping them is safe.
 */
static int memory_json(hr_buf *b, const char *s, size_t len)
{
	int rc = 0;

	for (size_t i = 0; !rc && i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == 0x7f) {
			rc = hr_buf_puts(b, "\\u007f");
		} else if (c == 0xc2 && i + 1 < len && (unsigned char)s[i + 1] >= 0x80 &&
			   (unsigned char)s[i + 1] <= 0x9f && (unsigned char)s[i + 1] != 0x85) {
			rc = hr_buf_printf(b, "\\u%04x", (unsigned char)s[i + 1]);
			i++;
		} else if (c == 0xef && i + 2 < len && (unsigned char)s[i + 1] == 0xbf &&
			   ((unsigned char)s[i + 2] == 0xbe || (unsigned char)s[i + 2] == 0xbf)) {
			rc = hr_buf_puts(b, (unsigned char)s[i + 2] == 0xbe ? "\\ufffe" : "\\uffff");
			i += 2;
		} else {
			rc = hr_buf_putc(b, (char)c);
		}
	}
	return rc;
}

int hr_export_render_range(hr_buf *out, const hr_export_set *set, size_t from, size_t to,
			   const hr_export_opts *o, hr_error *err)
{
	int secret = o->driver == HR_EXPORT_SECRET, rc = 0;

	if (to > set->n)
		to = set->n;
	switch (o->driver) {
	case HR_EXPORT_SECRET:
	case HR_EXPORT_CONFIGMAP:
		if (o->format == HR_EXPORT_JSON)
			rc = hr_buf_puts(out, "{\"apiVersion\":\"v1\",\"kind\":\"List\",\"metadata\":{},\"items\":[");
		for (size_t i = from; !rc && i < to; i++) {
			if (o->format == HR_EXPORT_JSON)
				rc = hr_buf_puts(out, i > from ? ",\n" : "\n") || object_json(out, &set->items[i], secret);
			else
				rc = object_yaml(out, &set->items[i], secret);
		}
		if (!rc && o->format == HR_EXPORT_JSON)
			rc = hr_buf_puts(out, "\n]}\n");
		break;
	case HR_EXPORT_SQL:
		rc = hr_buf_printf(out, "-- Helm release records for HELM_DRIVER=sql (PostgreSQL), written by helmrec export.\n"
				   "-- %zu revision(s).  Load with: psql -v ON_ERROR_STOP=1 -f FILE\n"
				   "SET client_min_messages = warning;\n"
				   "BEGIN;\n", to > from ? to - from : 0);
		rc = rc || hr_buf_puts(out, sql_schema);
		for (size_t i = from; !rc && i < to; i++)
			rc = sql_item(out, &set->items[i]);
		rc = rc || hr_buf_puts(out, "COMMIT;\n");
		break;
	case HR_EXPORT_MEMORY:
		rc = hr_buf_putc(out, '[');
		for (size_t i = from; !rc && i < to; i++)
			rc = (i > from && hr_buf_puts(out, ",\n")) ||
			     memory_json(out, set->items[i].json, set->items[i].json_len);
		rc = rc || hr_buf_puts(out, "]\n");
		break;
	default:
		return hr_error_set(err, HR_EINVAL, "unknown export driver %d", (int)o->driver);
	}
	return rc ? hr_error_set(err, HR_ENOMEM, "out of memory") : 0;
}

int hr_export_render(hr_buf *out, const hr_export_set *set, const hr_export_opts *o, hr_error *err)
{
	return hr_export_render_range(out, set, 0, set->n, o, err);
}
