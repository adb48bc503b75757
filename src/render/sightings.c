/*
 * sightings.c — prints the provenance rows of `helmrec sightings`: per
 * revision, every input, object or key, datastore revision and state it
 * was seen in, and which body it was when two bodies disagreed.  The
 * table uses the uitable layout of the other tables; JSON is one array.
 */
#include "render/sightings.h"
#include "render/table.h"
#include "codec/gojson.h"
#include "util/termsafe.h"

#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

static const char *body_note(const hr_sighting_row *r)
{
	if (r->conflict)
		return "conflict";
	return r->is_current ? "current" : "older";
}

static int write_table(hr_buf *out, const hr_sighting_row *rows, size_t n)
{
	static const char *const head[] = { "REVISION", "STATUS", "STATE", "BODY", "SOURCE", "OBJECT", "DS REVISION",
					    "LOCATION" };
	hr_table *t = NULL;
	hr_buf esc[8] = { HR_BUF_INIT, HR_BUF_INIT, HR_BUF_INIT, HR_BUF_INIT,
			  HR_BUF_INIT, HR_BUF_INIT, HR_BUF_INIT, HR_BUF_INIT };
	int rc;

	if ((rc = hr_table_new(&t)) || (rc = hr_table_add_row(t, 8, head)))
		goto out;
	for (size_t i = 0; i < n && !rc; i++) {
		const hr_sighting_row *r = &rows[i];
		char ver[24], dsrev[48], body[40];
		const char *cells[8];

		snprintf(ver, sizeof(ver), "%lld", (long long)r->version);
		dsrev[0] = '\0';
		if (r->ds_revision && r->ds_until)
			snprintf(dsrev, sizeof(dsrev), "%lld-%lld", (long long)r->ds_revision, (long long)r->ds_until);
		else if (r->ds_revision)
			snprintf(dsrev, sizeof(dsrev), "%lld", (long long)r->ds_revision);
		snprintf(body, sizeof(body), "%s (%s)", r->body ? r->body : "", body_note(r));
		cells[0] = ver;
		cells[1] = r->status;
		cells[2] = r->state;
		cells[3] = body;
		cells[4] = r->source;
		cells[5] = r->object;
		cells[6] = dsrev;
		cells[7] = r->location;
		/* sources, objects and locations come from the inputs: terminal controls made visible */
		for (size_t c = 0; c < 8 && !rc; c++)
			if (!(cells[c] = hr_termsafe_str(&esc[c], cells[c])))
				rc = HR_ENOMEM;
		rc = rc ? rc : hr_table_add_row(t, 8, cells);
	}
	if (!rc)
		rc = hr_table_write(out, t);
out:
	hr_table_free(t);
	for (size_t c = 0; c < 8; c++)
		hr_buf_free(&esc[c]);
	return rc;
}

static void add_str(struct json_object *o, const char *k, const char *v)
{
	json_object_object_add(o, k, v ? json_object_new_string(v) : NULL);
}

static int write_json(hr_buf *out, const hr_sighting_row *rows, size_t n)
{
	struct json_object *arr = json_object_new_array();
	int rc;

	if (!arr)
		return HR_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		const hr_sighting_row *r = &rows[i];
		struct json_object *o = json_object_new_object();

		if (!o) {
			json_object_put(arr);
			return HR_ENOMEM;
		}
		json_object_object_add(o, "revision", json_object_new_int64(r->version));
		add_str(o, "status", r->status);
		add_str(o, "state", r->state);
		add_str(o, "body", r->body);
		json_object_object_add(o, "current", json_object_new_boolean(r->is_current));
		json_object_object_add(o, "conflict", json_object_new_boolean(r->conflict));
		add_str(o, "source", r->source);
		add_str(o, "driver", r->driver);
		add_str(o, "object", r->object);
		add_str(o, "location", r->location);
		json_object_object_add(o, "ds_revision", json_object_new_int64(r->ds_revision));
		json_object_object_add(o, "ds_until", json_object_new_int64(r->ds_until));
		json_object_array_add(arr, o);
	}
	rc = hr_gojson_write(out, arr, 0);
	if (!rc)
		rc = hr_buf_putc(out, '\n');
	json_object_put(arr);
	return rc;
}

int hr_render_sightings(hr_buf *out, const hr_sighting_row *rows, size_t n, const char *format, hr_error *err)
{
	int rc;

	if (!format || !strcmp(format, "table"))
		rc = write_table(out, rows, n);
	else if (!strcmp(format, "json"))
		rc = write_json(out, rows, n);
	else
		return hr_error_set(err, HR_EINVAL, "invalid format type");
	return rc ? hr_error_set(err, rc, "out of memory") : 0;
}
