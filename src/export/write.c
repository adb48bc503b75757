/*
 * write.c — write an export set in one storage driver's format:
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
 *
 * The objects, the SQL schema and rows come from the one record writer,
 * codec/record_write.h (its quoted style); this file adds the framing (the
 * JSON List, the SQL transaction) and the memory driver's file.
 */
#include "export/export.h"
#include "codec/record_write.h"

#include <string.h>

/* The record writer's view of an item. */
static hr_record_obj record_of(const hr_export_item *it, hr_driver driver)
{
	hr_record_obj r = {
		.driver = driver, .name = it->name, .namespace = it->namespace, .version = it->version,
		.labels = it->labels, .payload = it->payload, .payload_len = it->payload_len,
		.status = it->status, .created_at = it->created_at, .modified_at = it->modified_at,
	};

	return r;
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
	int json = o->format == HR_EXPORT_JSON, rc = 0;

	if (to > set->n)
		to = set->n;
	switch (o->driver) {
	case HR_DRIVER_SECRET:
	case HR_DRIVER_CONFIGMAP:
		if (json)
			rc = hr_buf_puts(out, "{\"apiVersion\":\"v1\",\"kind\":\"List\",\"metadata\":{},\"items\":[");
		for (size_t i = from; !rc && i < to; i++) {
			hr_record_obj r = record_of(&set->items[i], o->driver);

			if (json && (rc = hr_buf_puts(out, i > from ? ",\n" : "\n")))
				break;
			rc = json ? hr_record_write_json(out, &r, HR_RECORD_STYLE_QUOTED, err)
				  : hr_record_write_yaml(out, &r, HR_RECORD_STYLE_QUOTED, err);
			if (rc)
				return rc;
		}
		if (!rc && json)
			rc = hr_buf_puts(out, "\n]}\n");
		break;
	case HR_DRIVER_SQL:
		rc = hr_buf_printf(out, "-- Helm release records for HELM_DRIVER=sql (PostgreSQL), written by helmrec export.\n"
				   "-- %zu revision(s).  Load with: psql -v ON_ERROR_STOP=1 -f FILE\n"
				   "SET client_min_messages = warning;\n"
				   "BEGIN;\n", to > from ? to - from : 0);
		rc = rc ? rc : hr_record_write_sql_schema(out);
		for (size_t i = from; !rc && i < to; i++) {
			hr_record_obj r = record_of(&set->items[i], HR_DRIVER_SQL);

			rc = hr_record_write_sql(out, &r);
		}
		rc = rc ? rc : hr_buf_puts(out, "COMMIT;\n");
		break;
	case HR_DRIVER_MEMORY:
		rc = hr_buf_putc(out, '[');
		for (size_t i = from; !rc && i < to; i++) {
			rc = i > from ? hr_buf_puts(out, ",\n") : 0;
			rc = rc ? rc : memory_json(out, set->items[i].json, set->items[i].json_len);
		}
		rc = rc ? rc : hr_buf_puts(out, "]\n");
		break;
	default:
		return hr_error_set(err, HR_EINVAL, "cannot export to the %s driver", hr_driver_name(o->driver));
	}
	return rc ? hr_error_set(err, HR_ENOMEM, "out of memory") : 0;
}

int hr_export_render(hr_buf *out, const hr_export_set *set, const hr_export_opts *o, hr_error *err)
{
	return hr_export_render_range(out, set, 0, set->n, o, err);
}
