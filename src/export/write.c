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
 * JSON List, the SQL transaction) and the memory driver's file.  Records
 * are made one at a time (hr_export_materialize) and handed to a sink, so
 * an export of any size holds one record: a file written atomically, a
 * file descriptor, or a buffer (hr_export_render).
 */
#include "export/export.h"
#include "codec/record_write.h"
#include "util/fileio.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The record writer's view of an item whose payload is `payload`. */
static hr_record_obj record_of(const hr_export_item *it, hr_driver driver, const hr_buf *payload)
{
	hr_record_obj r = {
		.driver = driver, .name = it->name, .namespace = it->namespace, .version = it->version,
		.labels = it->labels, .payload = payload->ptr ? payload->ptr : "", .payload_len = payload->len,
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
int hr_export_memory_json(hr_buf *b, const char *s, size_t len)
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

/* Hand chunk `b` to the sink and empty it. */
static int flush(hr_buf *b, hr_export_sink sink, void *ctx, hr_error *err)
{
	int rc = b->len ? sink(ctx, b->ptr, b->len, err) : 0;

	hr_buf_clear(b);
	return rc;
}

int hr_export_write(const hr_export_set *set, size_t from, size_t to, const hr_export_opts *o,
		    hr_export_sink sink, void *ctx, hr_error *err)
{
	hr_buf chunk = HR_BUF_INIT, payload = HR_BUF_INIT, json = HR_BUF_INIT;
	int fmt_json = o->format == HR_EXPORT_JSON, objects, rc = 0;

	if (to > set->n)
		to = set->n;
	objects = o->driver == HR_DRIVER_SECRET || o->driver == HR_DRIVER_CONFIGMAP;
	if (!objects && o->driver != HR_DRIVER_SQL && o->driver != HR_DRIVER_MEMORY)
		return hr_error_set(err, HR_EINVAL, "cannot export to the %s driver", hr_driver_name(o->driver));
	/* Opening framing. */
	if (objects && fmt_json)
		rc = hr_buf_puts(&chunk, "{\"apiVersion\":\"v1\",\"kind\":\"List\",\"metadata\":{},\"items\":[");
	else if (o->driver == HR_DRIVER_SQL)
		rc = hr_buf_printf(&chunk, "-- Helm release records for HELM_DRIVER=sql (PostgreSQL), written by helmrec export.\n"
				   "-- %zu revision(s).  Load with: psql -v ON_ERROR_STOP=1 -f FILE\n"
				   "SET client_min_messages = warning;\n"
				   "BEGIN;\n", to > from ? to - from : 0) || hr_record_write_sql_schema(&chunk);
	else if (o->driver == HR_DRIVER_MEMORY)
		rc = hr_buf_putc(&chunk, '[');
	if (rc)
		goto nomem;
	for (size_t i = from; i < to; i++) {
		const hr_export_item *it = &set->items[i];
		hr_record_obj r;

		if ((rc = hr_export_materialize(set, it, o, o->driver == HR_DRIVER_MEMORY, &payload, &json, err)))
			goto out;
		r = record_of(it, objects ? o->driver : HR_DRIVER_SQL, &payload);
		if (objects) {
			if (fmt_json && hr_buf_puts(&chunk, i > from ? ",\n" : "\n"))
				goto nomem;
			rc = fmt_json ? hr_record_write_json(&chunk, &r, HR_RECORD_STYLE_QUOTED, err)
				      : hr_record_write_yaml(&chunk, &r, HR_RECORD_STYLE_QUOTED, err);
			if (rc)
				goto out;
		} else if (o->driver == HR_DRIVER_SQL) {
			if (hr_record_write_sql(&chunk, &r))
				goto nomem;
		} else if ((i > from && hr_buf_puts(&chunk, ",\n")) || hr_export_memory_json(&chunk, json.ptr ? json.ptr : "", json.len)) {
			goto nomem;
		}
		if ((rc = flush(&chunk, sink, ctx, err)))
			goto out;
	}
	if (objects && fmt_json)
		rc = hr_buf_puts(&chunk, "\n]}\n");
	else if (o->driver == HR_DRIVER_SQL)
		rc = hr_buf_puts(&chunk, "COMMIT;\n");
	else if (o->driver == HR_DRIVER_MEMORY)
		rc = hr_buf_puts(&chunk, "]\n");
	if (rc)
		goto nomem;
	rc = flush(&chunk, sink, ctx, err);
	goto out;
nomem:
	rc = hr_error_set(err, HR_ENOMEM, "out of memory");
out:
	hr_buf_free(&chunk);
	hr_buf_free(&payload);
	hr_buf_free(&json);
	return rc;
}

static int sink_buf(void *ctx, const char *data, size_t len, hr_error *err)
{
	return hr_buf_put(ctx, data, len) ? hr_error_set(err, HR_ENOMEM, "out of memory") : 0;
}

typedef struct fd_sink {
	int fd;
	const char *name;
} fd_sink;

static int sink_fd(void *ctx, const char *data, size_t len, hr_error *err)
{
	const fd_sink *f = ctx;

	return hr_fd_write_all(f->fd, data, len, f->name, err);
}

int hr_export_write_fd(int fd, const hr_export_set *set, size_t from, size_t to, const hr_export_opts *o,
		       hr_error *err)
{
	fd_sink f = { fd, "output" };

	return hr_export_write(set, from, to, o, sink_fd, &f, err);
}

int hr_export_write_file(const char *path, const hr_export_set *set, size_t from, size_t to,
			 const hr_export_opts *o, hr_error *err)
{
	hr_atomic_file file = HR_ATOMIC_FILE_INIT;
	fd_sink f;
	int rc;

	if ((rc = hr_atomic_open(&file, path, err)))
		return rc;
	f = (fd_sink){ file.fd, file.path };     /* errors name the destination */
	if (!(rc = hr_export_write(set, from, to, o, sink_fd, &f, err)))
		rc = hr_atomic_commit(&file, err);
	hr_atomic_abort(&file);
	return rc;
}

int hr_export_render_range(hr_buf *out, const hr_export_set *set, size_t from, size_t to,
			   const hr_export_opts *o, hr_error *err)
{
	return hr_export_write(set, from, to, o, sink_buf, out, err);
}

int hr_export_render(hr_buf *out, const hr_export_set *set, const hr_export_opts *o, hr_error *err)
{
	return hr_export_render_range(out, set, 0, set->n, o, err);
}
