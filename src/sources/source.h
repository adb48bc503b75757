/*
 * source.h — read release records out of any input, one at a time.
 *
 * An input is a path (file or directory, recursively) or "-" for stdin.
 * The kind is sniffed from the content, never from the file name: gzip,
 * tar/tar.gz/zip (Velero), bbolt (etcd snapshot), SQLite (kine, helm SQL),
 * pg_dump SQL text, YAML or JSON kubectl output, or a bare payload.
 *
 * Streaming: a source holds at most one object (plus read-ahead) in memory;
 * memory is bounded by the largest object, not by the input.
 *
 * Use:
 *     hr_source *src;
 *     if (hr_source_open(&src, path, &opts, &err) < 0) ...;
 *     while ((rc = hr_source_next(src, &rec, &err)) != 0) {
 *         if (rc == HR_ESKIP) { report err; continue; }   // one bad object
 *         if (rc < 0) { fatal for this input; break; }
 *         ... use rec ... hr_record_free(rec);
 *     }
 *     hr_source_stats_get(src, &st); hr_source_close(src);
 *
 * hr_source_next returns 1 with *out set (caller owns, free with
 * hr_record_free()), 0 at the end, HR_ESKIP when one object was bad (err
 * says which file, object and where; the next call continues), or another
 * negative code when the input cannot be read further.
 *
 * Ownership: free a source with hr_source_close().
 */
#ifndef HR_SOURCES_SOURCE_H
#define HR_SOURCES_SOURCE_H

#include <stdint.h>
#include <stdio.h>
#include "model/record.h"
#include "util/error.h"

typedef enum hr_source_kind {
	HR_SRC_UNKNOWN = 0,
	HR_SRC_YAML,          /* kubectl -o yaml: List, single object, multi-document */
	HR_SRC_JSON,          /* kubectl -o json: List or single object */
	HR_SRC_BARE,          /* a bare payload (Helm string, gzip'd JSON or JSON release) */
	HR_SRC_ARCHIVE,       /* tar, tar.gz, zip (Velero backups) */
	HR_SRC_ETCD,          /* bbolt file / etcd snapshot */
	HR_SRC_KINE,          /* k3s/kine SQLite datastore */
	HR_SRC_PGDUMP,        /* pg_dump of helm's SQL driver tables */
	HR_SRC_DIRECTORY,
	HR_SRC_MEMORY         /* JSON array of release bodies (HELM_MEMORY_DRIVER_DATA, export --driver memory) */
} hr_source_kind;

typedef struct hr_source_opts {
	size_t max_payload;            /* decompression cap (0 = default) */
	size_t max_object;             /* largest object accepted (0 = 1 GiB) */
	const char *encryption_config; /* EncryptionConfiguration YAML, or NULL */
	int carve;                     /* scan free bbolt pages too */
	/* Files a directory walk skips (the index being written and its journal); borrowed, may be NULL. */
	const char *const *exclude;
	size_t nexclude;
	int live_objects;              /* also return live objects Helm may own (hr_record.is_object) */
} hr_source_opts;

typedef struct hr_source_stats {
	uint64_t bytes_read;       /* input bytes consumed so far (for progress) */
	uint64_t bytes_total;      /* input size if known, else 0 */
	uint64_t objects;          /* objects seen */
	uint64_t records;          /* release records returned */
	uint64_t skipped_other;    /* objects that are not release records */
	uint64_t helm2;            /* Helm 2 (OWNER=TILLER) records */
	uint64_t chunked;          /* operator-framework chunked Secrets */
	uint64_t errors;           /* objects skipped because they were bad */
	uint64_t encrypted_kms;    /* values encrypted with KMS (not decryptable) */
	int64_t compact_revision;  /* datastore compaction revision, 0 if none */
	int64_t head_revision;     /* datastore head revision, 0 if none */
	uint64_t tombstones;       /* datastore deletions of Secret/ConfigMap keys seen (no record each) */
	uint64_t cut;              /* files whose reading stopped at an error (the records before it
				      were returned), or recognised but unreadable (a damaged etcd
				      file, checked whole first): the input was read only in part */
} hr_source_stats;

typedef struct hr_source hr_source;

int hr_source_open(hr_source **out, const char *path, const hr_source_opts *opts, hr_error *err);
int hr_source_next(hr_source *src, hr_record **out, hr_error *err);
void hr_source_stats_get(const hr_source *src, hr_source_stats *out);
hr_source_kind hr_source_kind_of(const hr_source *src);
const char *hr_source_kind_name(hr_source_kind k);
void hr_source_close(hr_source *src);

#endif
