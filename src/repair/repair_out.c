/*
 * repair_out.c — a repair plan (repair.h) as what the user reviews and
 * applies: the record objects for `kubectl apply -f` or SQL statements for
 * Helm's PostgreSQL driver, both written by the one record writer
 * (codec/record_write.h), and the human plan that says what changes and
 * why.
 */
#include "repair/repair.h"
#include "codec/gojson.h"
#include "codec/record_write.h"
#include "model/release.h"

#include <string.h>

static hr_record_obj record_of(const hr_repair_plan *p, const hr_repair_rec *r, hr_driver drv)
{
	hr_record_obj o = {
		.driver = drv, .name = p->name, .namespace = p->namespace, .version = r->version,
		.labels = r->labels, .payload = r->payload, .payload_len = r->payload_len,
		.status = r->status,
	};
	struct json_object *v;

	if (json_object_object_get_ex(r->labels, "createdAt", &v))
		o.created_at = json_object_get_int64(v);
	if (json_object_object_get_ex(r->labels, "modifiedAt", &v))
		o.modified_at = json_object_get_int64(v);
	return o;
}

int hr_repair_render_records(hr_buf *out, const hr_repair_plan *p, hr_driver drv, int as_json, hr_error *err)
{
	struct json_object *list = NULL, *items = NULL, *o;
	hr_buf j = HR_BUF_INIT;
	int rc = 0;

	if (!as_json) {
		for (size_t i = 0; rc >= 0 && i < p->nrecs; i++) {
			hr_record_obj ro = record_of(p, &p->recs[i], drv);

			rc = hr_record_write_yaml(out, &ro, HR_RECORD_STYLE_SORTED, err);
		}
		return rc < 0 ? rc : 0;
	}
	if (!(list = json_object_new_object()) || !(items = json_object_new_array()) ||
	    json_object_object_add(list, "apiVersion", json_object_new_string("v1")) ||
	    json_object_object_add(list, "kind", json_object_new_string("List")) ||
	    json_object_object_add(list, "items", items)) {
		json_object_put(items);
		rc = hr_error_set(err, HR_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < p->nrecs; i++) {
		hr_record_obj ro = record_of(p, &p->recs[i], drv);

		if ((rc = hr_record_write_object(&o, &ro, HR_RECORD_STYLE_SORTED, err)) < 0)
			goto out;
		if (json_object_array_add(items, o)) {
			json_object_put(o);
			rc = hr_error_set(err, HR_ENOMEM, "out of memory");
			goto out;
		}
	}
	if ((rc = hr_gojson_write(&j, list, 0)) < 0 || (rc = hr_buf_put(out, j.ptr, j.len)) < 0 ||
	    (rc = hr_buf_putc(out, '\n')) < 0)
		rc = hr_error_set(err, rc, "rendering JSON: %s", hr_error_name(rc));
out:
	json_object_put(list);
	hr_buf_free(&j);
	return rc;
}

int hr_repair_render_sql(hr_buf *out, const hr_repair_plan *p, hr_error *err)
{
	int rc = hr_buf_puts(out, "BEGIN;\n");

	for (size_t i = 0; !rc && i < p->nrecs; i++) {
		hr_record_obj ro = record_of(p, &p->recs[i], HR_DRIVER_SECRET);

		rc = p->recs[i].added ? hr_record_write_sql(out, &ro) : hr_record_write_sql_update(out, &ro);
	}
	rc = rc ? rc : hr_buf_puts(out, "COMMIT;\n");
	return rc ? hr_error_set(err, HR_ENOMEM, "out of memory") : 0;
}

static const char *kind_name(hr_repair_kind k)
{
	return k == HR_REPAIR_UNLOCK ? "--unlock" : k == HR_REPAIR_MAP_APIS ? "--map-apis" : "--mark-deployed";
}

int hr_repair_render_plan(hr_buf *out, const hr_repair_plan *p, hr_driver drv, hr_error *err)
{
	const char *obj = drv == HR_DRIVER_CONFIGMAP ? "ConfigMap" : drv == HR_DRIVER_SQL ? "row" : "Secret";
	hr_buf key = HR_BUF_INIT;
	int rc;

	rc = hr_buf_printf(out, "repair %s of release %s in namespace %s: %zu record%s\n", kind_name(p->kind), p->name,
			   p->namespace, p->nrecs, p->nrecs == 1 ? "" : "s");
	for (size_t i = 0; !rc && i < p->nrecs; i++) {
		const hr_repair_rec *r = &p->recs[i];

		hr_buf_clear(&key);
		rc = hr_record_write_key(&key, p->name, r->version);
		if (!rc && r->added)
			rc = hr_buf_printf(out, "  add      %s %s: revision %lld, deployed, copy of revision %lld with "
					   "the apiVersions below, description \"%s\", last_deployed now\n", obj, key.ptr,
					   (long long)r->version, (long long)p->source, HR_REPAIR_MAP_DESCRIPTION);
		else if (!rc)
			rc = hr_buf_printf(out, "  replace  %s %s: revision %lld, %s -> %s (label and body: info.status%s)\n",
					   obj, key.ptr, (long long)r->version, r->was_status, r->status,
					   !strcmp(r->status, "superseded") ? "" :
					   p->kind == HR_REPAIR_MARK_DEPLOYED ? ", info.description, info.deleted cleared" :
					   ", info.description");
		if (!rc)
			rc = hr_buf_printf(out, "           body re-marshalled as Helm %d writes it%s; every other field kept\n",
					   r->writer_major,
					   hr_release_str(r->rel, "apply_method") ? " (apply_method kept)" : "");
	}
	for (size_t i = 0; !rc && i < p->nchanges; i++) {
		const hr_repair_change *c = &p->changes[i];

		rc = hr_buf_printf(out, "  map      %s: %s %s: apiVersion %s -> %s (%s)\n", c->where, c->kind, c->name,
				   c->from, c->to, c->removed ? "removed" : "deprecated");
	}
	if (!rc)
		rc = hr_buf_printf(out, "review: helmrec decode / diff the records before applying; apply with %s\n",
				   drv == HR_DRIVER_SQL ? "psql -v ON_ERROR_STOP=1 -f FILE" : "kubectl apply -f FILE");
	if (!rc && p->next)
		rc = hr_buf_printf(out, "next: %s\n", p->next);
	hr_buf_free(&key);
	return rc ? hr_error_set(err, HR_ENOMEM, "out of memory") : 0;
}
