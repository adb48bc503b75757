/*
 * index.h — the SQLite index every helmrec command reads.
 *
 * One file (or an in-memory database for `--from`) holding every record
 * seen in every input with its provenance: see schema/index.sql and
 * docs/index-schema.md.  Files are created with mode 0600 (values hold
 * credentials), use a rollback journal, and are written one transaction per batch, so a
 * killed scan leaves a consistent index that the next scan completes.
 *
 * Ownership: hr_index_open() returns an index to be closed with
 * hr_index_close().  Row arrays returned by the query functions are the
 * caller's: free with hr_revrows_free().
 */
#ifndef HR_INDEX_INDEX_H
#define HR_INDEX_INDEX_H

#include <stddef.h>
#include <stdint.h>
#include <json-c/json.h>
#include "model/record.h"
#include "codec/codec.h"
#include "util/error.h"

#define HR_INDEX_SCHEMA_VERSION 4

typedef struct hr_index hr_index;

enum {
	HR_INDEX_CREATE = 1u << 0,   /* create the file if missing */
	HR_INDEX_READONLY = 1u << 1  /* open read-only (queries) */
};

/* path NULL or ":memory:" = in-memory index. */
int hr_index_open(hr_index **out, const char *path, unsigned flags, hr_error *err);
void hr_index_close(hr_index *idx);
/* The underlying handle, for tests and the audit module. Borrowed. */
struct sqlite3 *hr_index_db(hr_index *idx);

int hr_index_begin(hr_index *idx, hr_error *err);
int hr_index_commit(hr_index *idx, hr_error *err);
void hr_index_rollback(hr_index *idx);

/* Input bookkeeping. */
typedef struct hr_source_row {
	const char *path, *kind, *sha256;
	int64_t size, mtime;
} hr_source_row;

/*
 * Register an input.  If a complete source with the same path, size and
 * mtime (or the same sha256) exists, *already is set to 1 and *id to it.
 */
int hr_index_source_begin(hr_index *idx, const hr_source_row *src, int64_t *id, int *already, hr_error *err);
/* Mark an input complete; `sha256` (hex, may be NULL) is its content hash. */
int hr_index_source_end(hr_index *idx, int64_t id, uint64_t records, uint64_t skipped,
			int64_t head_rev, int64_t compact_rev, const char *sha256, hr_error *err);

/*
 * Add one record: its decoded payload `dec` and parsed body `rel`.
 * Deduplicates by body; adds a sighting (idempotent).  `json_sha` and
 * `payload_sha` are the hex sha256 of dec->body and dec->helm when the
 * caller computed them already (the scan does, on its worker threads);
 * NULL means compute here.
 */
int hr_index_add(hr_index *idx, int64_t source_id, const hr_record *rec,
		 const hr_decoded *dec, struct json_object *rel,
		 const char *json_sha, const char *payload_sha, hr_error *err);

/*
 * Recompute is_live / is_current / conflict after adding records: for the
 * revision keys seen in source `source_id`, or for every key when it is 0.
 */
int hr_index_finish(hr_index *idx, int64_t source_id, hr_error *err);

/* One revision, as queries return it (all strings owned by the row). */
typedef struct hr_revrow {
	int64_t id;
	char *namespace, *name;
	int64_t version;
	char *status, *chart_name, *chart_version, *app_version, *description;
	int has_chart;
	char *first_deployed, *last_deployed, *deleted, *apply_method, *driver;
	int is_live, conflict;
	int64_t state_order;
} hr_revrow;

enum {
	HR_Q_INCLUDE_DELETED = 1u << 0, /* revisions seen only as deleted/historical too */
	HR_Q_LATEST = 1u << 1           /* hr_index_all: only the highest revision of each release */
};

/*
 * Time travel: answer the queries below as of datastore revision `at`
 * (etcd/kine revision; 0 = the head).  Only datastore sightings count then:
 * for each revision key, the body whose value was current at `at`.
 */
void hr_index_set_at(hr_index *idx, int64_t at);

/* Revisions of one release, oldest first. ns NULL = any namespace. */
int hr_index_history(hr_index *idx, const char *ns, const char *name, unsigned flags,
		     hr_revrow **rows, size_t *n, hr_error *err);
/* Every current revision of every release (ns NULL = all), by namespace, name, version. */
int hr_index_all(hr_index *idx, const char *ns, unsigned flags, hr_revrow **rows, size_t *n, hr_error *err);
void hr_revrows_free(hr_revrow *rows, size_t n);

/*
 * Namespaces in which release `name` has records (sorted); free each and the
 * array.  Used to resolve a release when -n is not given.
 */
int hr_index_namespaces_of(hr_index *idx, const char *name, char ***out, size_t *n, hr_error *err);

/* Release JSON of revision row `id` into `json` (decoded from the stored payload). */
int hr_index_body(hr_index *idx, int64_t id, hr_buf *json, hr_error *err);
/*
 * The payload of revision row `id` exactly as stored (the Helm string as
 * first found, or the release JSON when there was none) into `payload`;
 * *is_helm says which.  For byte-for-byte re-export of unchanged records.
 */
int hr_index_payload(hr_index *idx, int64_t id, hr_buf *payload, int *is_helm, hr_error *err);
/* Labels of the newest live sighting of row `id`, as a json-c object (caller puts). */
int hr_index_labels(hr_index *idx, int64_t id, struct json_object **out, hr_error *err);
/* Counts for the scan summary. */
typedef struct hr_index_counts {
	int64_t releases, revisions, bodies, sightings, conflicts;
} hr_index_counts;
int hr_index_count(hr_index *idx, hr_index_counts *out, hr_error *err);

#endif
