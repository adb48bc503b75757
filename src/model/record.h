/*
 * record.h — one release record as found in an input, with its provenance.
 *
 * A record is the storage object (Secret, ConfigMap, SQL row, datastore key
 * version, bare payload) that holds one revision of one release.  Sources
 * (src/sources/) produce records; the codec turns `payload` into release
 * JSON; the index stores record + release.
 *
 * Ownership: an hr_record owns every string and array in it.  Create with
 * hr_record_new(), free with hr_record_free().  Setters copy their input.
 */
#ifndef HR_MODEL_RECORD_H
#define HR_MODEL_RECORD_H

#include <stddef.h>
#include <stdint.h>

/*
 * Which Helm storage driver wrote the record (how the payload is wrapped),
 * or, for the commands that write records (export, rollback), which one
 * to write for.  The one driver enum of the project.
 */
typedef enum hr_driver {
	HR_DRIVER_UNKNOWN = 0,
	HR_DRIVER_SECRET,        /* Helm 3/4 Secret, type helm.sh/release.v1 */
	HR_DRIVER_CONFIGMAP,     /* Helm 3/4 ConfigMap, label owner=helm */
	HR_DRIVER_SQL,           /* Helm 3/4 SQL driver row (releases_v1) */
	HR_DRIVER_BARE,          /* a bare payload with no object around it */
	HR_DRIVER_HELM2_CONFIGMAP, /* Tiller ConfigMap, OWNER=TILLER */
	HR_DRIVER_HELM2_SECRET,  /* Tiller Secret, OWNER=TILLER */
	HR_DRIVER_MEMORY         /* Helm's memory driver (HELM_MEMORY_DRIVER_DATA); written by export, never read */
} hr_driver;

/* How `payload` is wrapped, as far as the source knows. */
typedef enum hr_payload_form {
	HR_PAYLOAD_SNIFF = 0,    /* unknown: let the codec detect the layers */
	HR_PAYLOAD_K8S_B64,      /* Secret .data value: base64 of the Helm string */
	HR_PAYLOAD_HELM          /* the Helm string itself (base64 of gzip of JSON) */
} hr_payload_form;

/* Where a record was seen. */
typedef enum hr_sighting_state {
	HR_STATE_LIVE = 0,       /* present at the head of the input */
	HR_STATE_HISTORICAL,     /* an older MVCC/kine revision of a live key */
	HR_STATE_DELETED,        /* the last value of a key that was later deleted */
	HR_STATE_CARVED          /* recovered from unreachable datastore pages */
} hr_sighting_state;

typedef struct hr_label {
	char *key;
	char *value;
} hr_label;

typedef struct hr_record {
	hr_driver driver;
	char *name;              /* object name / SQL key, e.g. sh.helm.release.v1.web.v3 */
	char *namespace;         /* object namespace ("" if none) */
	hr_label *labels;        /* object labels, in input order */
	size_t nlabels;
	hr_label *annotations;
	size_t nannotations;
	size_t labels_alloc, annotations_alloc; /* capacities (HR_ARRAY_GROW); 0 is always safe */
	char *created;           /* metadata.creationTimestamp as found, or NULL */

	/* provenance */
	char *source_path;       /* the input file */
	char *location;          /* e.g. "line 120", "entry resources/secrets/...", "key /registry/... rev 42" */
	uint64_t offset;         /* byte offset of the object in the input file, if known */
	hr_sighting_state state;
	int64_t ds_revision;     /* datastore (etcd/kine) revision of this value, 0 if none */
	int64_t ds_create_revision;
	int64_t ds_version;
	int64_t ds_until_revision; /* datastore revision at which this value stopped being the
				      key's value (superseded or deleted); 0 = still current */

	/* the payload as found */
	hr_payload_form form;
	char *payload;           /* NUL-terminated; not necessarily text for HR_PAYLOAD_SNIFF */
	size_t payload_len;

	/* SQL rows carry these instead of labels */
	int64_t sql_created_at, sql_modified_at;

	/* 1: not a release record but a live object of the dump (payload = its
	 * compact JSON), returned only with hr_source_opts.live_objects */
	int is_object;
} hr_record;

int hr_record_new(hr_record **out);
void hr_record_free(hr_record *r);

/* Copy helpers: each frees the previous value. Return 0 or HR_ENOMEM. */
int hr_record_set_str(char **field, const char *s);
int hr_record_set_payload(hr_record *r, const char *data, size_t len);
int hr_record_add_label(hr_record *r, const char *key, const char *value);
int hr_record_add_annotation(hr_record *r, const char *key, const char *value);

/*
 * Append a copy of key = value (NULL value -> "") to a label array of `*n`
 * used and `*cap` allocated elements (HR_ARRAY_GROW); 0 or HR_ENOMEM.
 */
int hr_labels_add(hr_label **arr, size_t *n, size_t *cap, const char *key, const char *value);

/* Free an array of `n` labels and their strings (as hr_record_free does). */
void hr_labels_free(hr_label *labels, size_t n);

/* Value of label `key`, or NULL. Borrowed. */
const char *hr_record_label(const hr_record *r, const char *key);

/* "secret", "configmap", "sql", "bare", "helm2-configmap", "helm2-secret", "memory". */
const char *hr_driver_name(hr_driver d);
/* Parse a driver name ("secret"/"secrets", "configmap"/"configmaps", "sql", ...); HR_DRIVER_UNKNOWN if none. */
hr_driver hr_driver_parse(const char *s);
const char *hr_state_name(hr_sighting_state s);

/*
 * Parse "sh.helm.release.v1.NAME.vN" splitting at the last ".v<digits>".
 * On success *name_out is malloc'd (caller frees) and *version_out set.
 * Returns 0, or HR_EFORMAT if the key does not have that shape.
 */
int hr_record_parse_key(const char *key, char **name_out, int64_t *version_out);

#endif
