/*
 * record_write.h — the one writer of Helm v1 release records: what helm's
 * storage drivers put around a payload (formats/ and docs/export.md).
 *
 * Used by every command that writes records — export (re-encoding for
 * another cluster or driver), rollback (the new revision and the
 * superseded ones) and repair — so the object shape, the release key and
 * Helm's system labels are written in exactly one place:
 *
 *   hr_record_write_key()     the object name / SQL key
 *                             "sh.helm.release.v1.NAME.vN";
 *   hr_record_write_labels()  Helm's six system labels (name, owner,
 *                             status, version, createdAt, modifiedAt) over
 *                             the record's custom labels, sorted by key;
 *   hr_record_write_object()  a Secret or ConfigMap as a json-c tree;
 *   hr_record_write_yaml()    ... as one YAML document ("---" first);
 *   hr_record_write_json()    ... as one compact JSON object;
 *   hr_record_write_sql*()    Helm's PostgreSQL schema and the rows of one
 *                             record (releases_v1, custom_labels_v1), or the
 *                             UPDATE that re-saves one.
 *
 * A Secret carries `type: helm.sh/release.v1` and data.release = base64 of
 * the Helm string; a ConfigMap carries the Helm string itself.  Nothing a
 * cluster assigns (uid, resourceVersion, creationTimestamp, ...) is
 * written.
 *
 * Two styles exist because export and rollback published different bytes
 * before they shared this writer and their output is fixed by tests; the
 * fields are the same, only key order and quoting differ:
 *
 *   HR_RECORD_STYLE_QUOTED  metadata name, namespace, labels in that
 *                           order; every string a double-quoted scalar
 *                           (Go JSON escapes, no HTML escaping).  JSON:
 *                           the same order.  (export)
 *   HR_RECORD_STYLE_SORTED  keys sorted as `kubectl get -o yaml` prints
 *                           them (labels before name); label keys and the
 *                           namespace plain when they are safe YAML
 *                           identifiers, values quoted with Go's HTML
 *                           escaping.  (rollback)
 *
 * Ownership: writers append to the caller's hr_buf; trees and label
 * objects returned are the caller's (json_object_put).  Inputs are
 * borrowed for the call; hr_record_write_object() takes a reference on
 * r->labels (json_object_get) instead of copying it.
 */
#ifndef HR_CODEC_RECORD_WRITE_H
#define HR_CODEC_RECORD_WRITE_H

#include <stddef.h>
#include <stdint.h>
#include <json-c/json.h>
#include "model/record.h"
#include "util/buf.h"
#include "util/error.h"

typedef enum hr_record_style {
	HR_RECORD_STYLE_QUOTED = 0,
	HR_RECORD_STYLE_SORTED
} hr_record_style;

/* One record to write.  Everything borrowed. */
typedef struct hr_record_obj {
	hr_driver driver;            /* HR_DRIVER_SECRET or HR_DRIVER_CONFIGMAP (SQL rows ignore it) */
	const char *name;            /* release name */
	const char *namespace;
	int64_t version;
	struct json_object *labels;  /* object labels, written in the order held */
	const char *payload;         /* the Helm string: base64 of gzip of the release JSON */
	size_t payload_len;
	/* SQL columns only */
	const char *status;          /* info.status */
	int64_t created_at, modified_at; /* Unix seconds; modified 0 = never */
} hr_record_obj;

/* Append the release key "sh.helm.release.v1.NAME.vN".  0 or HR_ENOMEM. */
int hr_record_write_key(hr_buf *out, const char *name, int64_t version);

/* Is `key` one of Helm's six system labels? */
int hr_record_write_is_system_label(const char *key);

/* How hr_record_write_labels stamps the time labels. */
typedef enum hr_record_stamp {
	/*
	 * The record moves as it is (export): createdAt / modifiedAt found in
	 * the original labels are kept; with neither, createdAt = `when` (as
	 * helm's Create writes it) unless `when` <= 0.  Velero's restore
	 * labels (velero.io/backup-name, velero.io/restore-name) are dropped.
	 */
	HR_RECORD_STAMP_KEEP = 0,
	/*
	 * helm's Update (rollback, repair): every system label of the original
	 * dropped, createdAt too; modifiedAt = `when`.
	 */
	HR_RECORD_STAMP_UPDATE
} hr_record_stamp;

/*
 * Labels of a written record: the custom labels of `orig` (an object of
 * string values, may be NULL; non-string values are skipped) plus name,
 * owner=helm, status (NULL = "unknown"), version, and the time labels as
 * `stamp` says.  Returns a new object sorted by key (as the API server
 * returns a label map), or NULL when out of memory.
 */
struct json_object *hr_record_write_labels(struct json_object *orig, const char *name, const char *status,
					   int64_t version, hr_record_stamp stamp, int64_t when);

/*
 * The Secret / ConfigMap object of `r` as a new tree in `style`'s key
 * order.  HR_EINVAL for a driver other than Secret/ConfigMap, HR_ENOMEM.
 */
int hr_record_write_object(struct json_object **out, const hr_record_obj *r, hr_record_style style,
			   hr_error *err);

/* Append the object as a YAML document: "---\n" then the object, ending in "\n". */
int hr_record_write_yaml(hr_buf *out, const hr_record_obj *r, hr_record_style style, hr_error *err);

/*
 * Append the object as compact JSON (no newline).  QUOTED style writes
 * without HTML escaping, SORTED with it (Go's json.Marshal default).
 */
int hr_record_write_json(hr_buf *out, const hr_record_obj *r, hr_record_style style, hr_error *err);

/*
 * Append the tables, indexes, grants and row-level security Helm's two
 * SQL migrations ("init", "custom_labels") create, plus their sql-migrate
 * records, so Helm finds its schema ready; every statement is a no-op on
 * a database Helm already uses.  0 or HR_ENOMEM.
 */
int hr_record_write_sql_schema(hr_buf *out);

/*
 * Append the INSERT of `r` into releases_v1 and one INSERT into
 * custom_labels_v1 per custom (non-system) label, as PostgreSQL string
 * literals (standard_conforming_strings).  0 or HR_ENOMEM.
 */
int hr_record_write_sql(hr_buf *out, const hr_record_obj *r);

/*
 * Append the UPDATE helm's SQL driver runs to re-save `r` (body, name,
 * version, status, owner, modifiedAt of the row keyed by key + namespace;
 * custom labels and createdAt untouched, as helm's Update).  0 or HR_ENOMEM.
 */
int hr_record_write_sql_update(hr_buf *out, const hr_record_obj *r);

#endif
