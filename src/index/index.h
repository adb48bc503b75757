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
 * caller's: free with hr_rev_summaries_free() (model/revision.h).
 */
#ifndef HR_INDEX_INDEX_H
#define HR_INDEX_INDEX_H

#include <stddef.h>
#include <stdint.h>
#include <json-c/json.h>
#include "model/record.h"
#include "model/derived.h"
#include "model/revision.h"
#include "codec/codec.h"
#include "util/error.h"

#define HR_INDEX_SCHEMA_VERSION 8

typedef struct hr_index hr_index;

enum {
	HR_INDEX_CREATE = 1u << 0,   /* create the file if missing */
	HR_INDEX_READONLY = 1u << 1  /* open read-only (queries) */
};

/* path NULL or ":memory:" = in-memory index. */
int hr_index_open(hr_index **out, const char *path, unsigned flags, hr_error *err);
void hr_index_close(hr_index *idx);
/*
 * A writable index about to be read far more than written (audit: every
 * release's head, manifest and live objects, then a few findings): its
 * pages are read through a memory map, as read-only opens do, instead of
 * pread() copies into a 4 MiB cache.  Not for scans (their RSS stays flat).
 * No-op for PostgreSQL and in-memory indexes.  0, or an error.
 */
int hr_index_read_mostly(hr_index *idx, hr_error *err);
/* The underlying connection (index/db.h), for tests and the audit module. Borrowed. */
struct hr_db *hr_index_db(hr_index *idx);

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
 * mtime, or the same sha256, exists, *already is set to 1 and *id to it; an
 * interrupted one (same path and size/mtime or sha256) is resumed (*id
 * set, *already 0).  A hash match under the same path records the new
 * size and mtime.
 */
int hr_index_source_begin(hr_index *idx, const hr_source_row *src, int64_t *id, int *already, hr_error *err);
/*
 * The content check of hr_index_source_begin, made late: a scan may
 * register an input by path, size and mtime, read it while its sha256 is
 * taken, and call this before its first commit.  When another source of
 * the cluster has src->sha256 and is complete, or is an interrupted scan
 * of the same path, *same is its id and *complete its state (the caller
 * rolls back: a copy already indexed, or a scan to resume under that id);
 * else the hash is recorded on source `id` and *same is 0.
 */
int hr_index_source_identify(hr_index *idx, int64_t id, const hr_source_row *src, int64_t *same, int *complete,
			      hr_error *err);
/*
 * The cheap shortcut before hashing an input: 1 if a source with the same
 * path, size and mtime exists (*complete says whether its scan finished),
 * 0 if not, or a negative code.
 */
int hr_index_source_known(hr_index *idx, const hr_source_row *src, int *complete, hr_error *err);
/*
 * Paths of the inputs of this index that are not complete, oldest first:
 * with `damaged` 0 those whose scan was interrupted (never ended), with 1
 * those whose reading stopped at a fatal error (ended, not complete, with
 * the error counted in `skipped`) and whose path was not read to the end
 * by a later scan (the input repaired).  *paths malloc'd, free each and the
 * array.  HR_EDB, HR_ENOMEM.
 */
int hr_index_incomplete_sources(hr_index *idx, int damaged, char ***paths, size_t *n, hr_error *err);
/*
 * End the scan of an input: its counts, and `sha256` (hex, may be NULL),
 * its content hash.  `complete` 1: every record was read, the input is
 * done (the next scan of the same content skips it); 0: reading stopped
 * at a fatal error, so the records read before it stay but the input
 * stays incomplete, and the next scan of it reads it again (resuming the
 * same source: no sighting twice).
 */
int hr_index_source_end(hr_index *idx, int64_t id, int complete, uint64_t records, uint64_t skipped,
			int64_t head_rev, int64_t compact_rev, const char *sha256, hr_error *err);

/*
 * Add one record: its decoded payload `dec` and parsed body `rel`.
 * Deduplicates by body; adds a sighting (idempotent).  `json_sha` and
 * `payload_sha` are the hex sha256 of dec->body and dec->helm when the
 * caller computed them already (the scan does, on its worker threads);
 * NULL means compute here.  `derived`: the body's resource, hook and value
 * rows (built from `rel` by the caller: the scan's workers build them in
 * parallel), inserted when the body is new.
 */
int hr_index_add(hr_index *idx, int64_t source_id, const hr_record *rec,
		 const hr_decoded *dec, struct json_object *rel, const hr_derived *derived,
		 const char *json_sha, const char *payload_sha, hr_error *err);

/*
 * Recompute is_live / is_current / conflict after adding records: for the
 * revision keys seen in source `source_id`, or for every key when it is 0.
 */
int hr_index_finish(hr_index *idx, int64_t source_id, hr_error *err);

enum {
	HR_Q_INCLUDE_DELETED = 1u << 0, /* revisions seen only as deleted/historical too */
	HR_Q_LATEST = 1u << 1,          /* hr_index_all: only the highest revision of each release */
	/*
	 * helm list's identity: rows selected by the namespace of their object,
	 * then keyed (and answered) by the name and namespace inside the body.
	 */
	HR_Q_BODY_ID = 1u << 2,
	/* helm history's: one row per live object holding the body (a body held twice prints twice). */
	HR_Q_PER_OBJECT = 1u << 3
};

/*
 * Time travel: answer the queries below as of datastore revision `at`
 * (etcd/kine revision; 0 = the head).  Only datastore sightings count then:
 * for each revision key, the body whose value was current at `at`.
 */
void hr_index_set_at(hr_index *idx, int64_t at);

/* Revisions of one release, oldest first. ns NULL = any namespace. */
int hr_index_history(hr_index *idx, const char *ns, const char *name, unsigned flags,
		     hr_rev_summary **rows, size_t *n, hr_error *err);
/*
 * Every current revision of every release (ns NULL = all), by namespace,
 * name, version; with HR_Q_BODY_ID | HR_Q_LATEST at the head (one row per
 * release: helm list, which sorts them itself) in no particular order.
 */
int hr_index_all(hr_index *idx, const char *ns, unsigned flags, hr_rev_summary **rows, size_t *n, hr_error *err);

/*
 * Namespaces in which release `name` has records (sorted); free each and the
 * array.  Used to resolve a release when -n is not given.
 */
int hr_index_namespaces_of(hr_index *idx, const char *name, char ***out, size_t *n, hr_error *err);

/*
 * Release JSON of revision row `id` into `json` (cleared first): the stored
 * payload through hr_codec_release_json (a Helm 2 record gives its
 * helm-2to3 conversion).
 */
int hr_index_body(hr_index *idx, int64_t id, hr_buf *json, hr_error *err);
/*
 * The payload of revision row `id` exactly as stored (the Helm string as
 * first found, or the release JSON when there was none) into `payload`;
 * *is_helm says which.  For byte-for-byte re-export of unchanged records.
 */
int hr_index_payload(hr_index *idx, int64_t id, hr_buf *payload, int *is_helm, hr_error *err);
/*
 * helm's key lookup (storage Get): *id = the current revision row held by
 * the object sh.helm.release.v1.NAME.vVERSION in `ns` (0 = none); *keyed = 1
 * when no such object exists but revision (ns, name, version) is held by
 * objects under other keys.  Time travel (hr_index_set_at) finds nothing
 * here.  HR_EDB, HR_ENOMEM.
 */
int hr_index_by_key(hr_index *idx, const char *ns, const char *name, int64_t version, unsigned flags,
		    int64_t *id, int *keyed, hr_error *err);
/*
 * The name and namespace inside the body of row `id` (malloc'd, free them;
 * the record's own when they agree) and whether its payload is a Helm
 * string (*is_helm), without decoding it.  HR_ENOTFOUND, HR_EDB, HR_ENOMEM.
 */
int hr_index_identity(hr_index *idx, int64_t id, char **body_ns, char **body_name, int *is_helm, hr_error *err);
/* Labels of the newest live sighting of row `id`, as a json-c object (caller puts). */
int hr_index_labels(hr_index *idx, int64_t id, struct json_object **out, hr_error *err);
/* ---- lookups the commands share (lookup.c) ---- */

/*
 * The namespace of release `name` when the user gave none: "default" if
 * the release is there; else the only namespace that has it; else
 * "default" (the lookups that follow then find nothing, as helm).  *ns is
 * malloc'd (free it).  HR_ECONFLICT with `release "NAME" exists in several
 * namespaces (a, b); pick one with -n` when more than one has it and none
 * is "default"; HR_EDB, HR_ENOMEM.
 */
int hr_index_resolve_ns(hr_index *idx, const char *name, char **ns, hr_error *err);

/*
 * Load one revision of release ns/name: `version` 0 = the highest one
 * (helm's Last), else exactly that version; `flags` as hr_index_history
 * (HR_Q_INCLUDE_DELETED).  Fills *rel (the release tree, hr_gojson_parse of
 * hr_index_body) and *labels (hr_index_labels); put both.  HR_ENOTFOUND
 * "release: not found" (helm's words) when there is no such revision;
 * other failures "NS/NAME revision N: ..." with the cause's code.  On
 * error both outputs are NULL.
 */
int hr_index_load_revision(hr_index *idx, const char *ns, const char *name, int64_t version, unsigned flags,
			   struct json_object **rel, struct json_object **labels, hr_error *err);

/*
 * Load every revision of release ns/name, oldest first (hr_index_history
 * with `flags`), each with its summary, release tree and labels.  *out is
 * the caller's: free with hr_revisions_free(*out, *n).  HR_ENOTFOUND
 * "release: not found" when there is none; other failures "NS/NAME
 * revision N: ..." with the cause's code.  On error *out is NULL, *n 0.
 */
int hr_index_load_history(hr_index *idx, const char *ns, const char *name, unsigned flags,
			  hr_revision **out, size_t *n, hr_error *err);

/* ---- clusters (cluster.c) ---- */

/*
 * The cluster the scans through this handle write to (`scan --cluster`;
 * "default" until set).  Names are letters, digits, '.', '_' and '-'
 * (HR_EINVAL otherwise).  Copied.
 */
int hr_index_set_cluster(hr_index *idx, const char *name, hr_error *err);
/* The cluster set or chosen (borrowed; "default" when none was). */
const char *hr_index_cluster(const hr_index *idx);
/*
 * Answer every query through this handle for one cluster: `name`, or when
 * NULL the only cluster the index holds.  HR_EINVAL "… holds N clusters (a,
 * b): pick one with --cluster NAME" when name is NULL and there are
 * several (answers never mix clusters); HR_ENOTFOUND for an unknown name.
 * Call it once, right after hr_index_open.
 */
int hr_index_use_cluster(hr_index *idx, const char *name, hr_error *err);

typedef struct hr_cluster_row {
	char *name;
	int64_t inputs, complete;    /* inputs scanned, and how many completely */
	char *first_scan, *last_scan;  /* RFC 3339 UTC */
	int64_t releases, revisions; /* current ones */
	int64_t records, skipped;
} hr_cluster_row;
/* Every cluster of the index, by name; free with hr_cluster_rows_free.  HR_EDB, HR_ENOMEM. */
int hr_index_clusters(hr_index *idx, hr_cluster_row **rows, size_t *n, hr_error *err);
void hr_cluster_rows_free(hr_cluster_row *rows, size_t n);

/*
 * Copy cluster `cluster` (NULL: every cluster) of `from` into `to` (opened
 * for writing; either engine each), with its sources, sightings, payloads
 * and live objects, without the inputs.  Rows already in `to` (same
 * identity) are kept, so a second copy changes nothing.  Commits on `to`
 * every few hundred rows; recomputes its flags at the end (copy.c).
 * HR_ENOTFOUND for an unknown cluster, HR_EDB, HR_ENOMEM.
 */
int hr_index_copy(hr_index *from, hr_index *to, const char *cluster, hr_error *err);

/* Counts for the scan summary. */
typedef struct hr_index_counts {
	int64_t releases, revisions, bodies, sightings, conflicts;
} hr_index_counts;
int hr_index_count(hr_index *idx, hr_index_counts *out, hr_error *err);

#endif
