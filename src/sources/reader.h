/*
 * reader.h — the plug-in interface between source.c (open a path, walk
 * directories, sniff) and the per-format readers.  Semi-private: only
 * src/sources/ and tests include it.
 *
 * A reader is opened on one file (or an in-memory buffer) and yields records
 * through the same next() contract as hr_source_next() (1 / 0 / HR_ESKIP /
 * fatal).  Readers update the hr_source_stats they are handed.
 */
#ifndef HR_SOURCES_READER_H
#define HR_SOURCES_READER_H

#include <stdio.h>
#include <json-c/json.h>
#include "sources/source.h"

typedef struct hr_reader {
	const char *name;                              /* "yaml", "json", "velero", ... */
	void *state;
	int (*next)(void *state, hr_record **out, hr_error *err);
	void (*close)(void *state);
} hr_reader;

/*
 * hr_input — a sequential byte stream over a file or stdin, transparently
 * gunzipping when the content starts with the gzip magic (multi-member gzip
 * supported; inflated bytes are capped by max_inflate, default 64 GiB for
 * whole dumps).  Ownership: free with hr_input_close().
 */
typedef struct hr_input hr_input;

/* path "-" = stdin. */
int hr_input_open(hr_input **out, const char *path, size_t max_inflate, hr_error *err);
/*
 * The same over bytes that `fn` hands out (an archive member): up to len
 * bytes into buf, 0 at the end, or a negative HR_E* code with err filled.
 * `name` stands for the path in messages; `ctx` is borrowed.
 */
typedef long (*hr_input_read_fn)(void *ctx, void *buf, size_t len, hr_error *err);
int hr_input_open_fn(hr_input **out, const char *name, hr_input_read_fn fn, void *ctx, size_t max_inflate,
		     hr_error *err);
/* Read up to len bytes; returns bytes read (0 at EOF) or a negative HR_E* code. */
long hr_input_read(hr_input *in, void *buf, size_t len, hr_error *err);
/* Look at the first bytes without consuming them (after gunzip). n <= 4096. */
long hr_input_peek(hr_input *in, void *buf, size_t n, hr_error *err);
const char *hr_input_path(const hr_input *in);
uint64_t hr_input_raw_consumed(const hr_input *in);  /* compressed bytes read from disk */
uint64_t hr_input_raw_size(const hr_input *in);      /* file size, 0 if unknown (stdin) */
int hr_input_is_gzip(const hr_input *in);
void hr_input_close(hr_input *in);

/* Content sniffing over the first bytes of a file (after gunzip where noted). */
hr_source_kind hr_detect(const unsigned char *head, size_t n);

/*
 * Turn one parsed Kubernetes object into a release record, or say why not.
 * Returns 1 with *out set for a Helm 3/4 record or a Helm 2 (Tiller) record
 * (driver HR_DRIVER_HELM2_*, also counted in stats->helm2); 0 when the
 * object is not a release record (stats updated: skipped_other, chunked); HR_ESKIP
 * (err filled) when it looks like a record but is malformed.  `where` is the
 * provenance location text ("line 12", "entry x.json"); `path` the file.
 */
int hr_kube_object_to_record(hr_record **out, struct json_object *obj,
			     const char *path, const char *where, uint64_t offset,
			     hr_source_stats *stats, hr_error *err);

/*
 * A live object worth keeping for drift/status (hr_source_opts.live_objects):
 * one Helm owns (meta.helm.sh annotations, managed-by=Helm label) or one a
 * manifest may name (not an Event, not controlled by another object).
 * Returns 1 with *out set (is_object = 1, payload = the compact JSON,
 * name/namespace/created filled), 0 when the object is not kept.  Call it
 * only for objects hr_kube_object_to_record() passed over (returned 0);
 * it does not touch stats.
 */
int hr_kube_object_to_live(hr_record **out, struct json_object *obj, const char *path, const char *where,
			   uint64_t offset, hr_error *err);

/*
 * What every stream reader (yaml, json, bare) keeps: its input (borrowed),
 * the input's path, the stats it updates and the byte limit for one object.
 * A reader's state embeds it as its first member, named `b`.
 */
typedef struct hr_reader_base {
	hr_input *in;
	const char *path;             /* hr_input_path(in) */
	hr_source_stats *stats;
	size_t max_object;            /* opts->max_object, or HR_READER_MAX_OBJECT */
	int live_objects;             /* opts->live_objects: also hand on live objects */
} hr_reader_base;

#define HR_READER_MAX_OBJECT ((size_t)1 << 30)

/*
 * Allocate a zeroed reader state of `size` bytes (an hr_reader_base first)
 * and fill its base.  *out is the caller's (free()); HR_ENOMEM with err
 * filled on failure.
 */
int hr_reader_base_new(void **out, size_t size, hr_input *in, const hr_source_opts *o, hr_source_stats *stats,
		       hr_error *err);

/*
 * Finish one parsed object for reader `b`: count it, recognise it with
 * hr_kube_object_to_record() and drop `obj` (always); counts a record on 1
 * and an error on HR_ESKIP.  With live_objects, an object that is not a
 * record may come back as a live object (hr_kube_object_to_live).  Returns
 * like hr_kube_object_to_record().
 */
int hr_reader_emit_object(hr_reader_base *b, hr_record **out, struct json_object *obj, const char *where,
			  uint64_t offset, hr_error *err);

/* Readers.  Each takes ownership of nothing it is not given; `stats` is borrowed for the reader's life. */
int hr_reader_yaml_open(hr_reader *r, hr_input *in, const hr_source_opts *o, hr_source_stats *stats, hr_error *err);
int hr_reader_json_open(hr_reader *r, hr_input *in, const hr_source_opts *o, hr_source_stats *stats, hr_error *err);
int hr_reader_bare_open(hr_reader *r, hr_input *in, const hr_source_opts *o, hr_source_stats *stats, hr_error *err);
int hr_reader_pgdump_open(hr_reader *r, hr_input *in, const hr_source_opts *o, hr_source_stats *stats, hr_error *err);
int hr_reader_memory_open(hr_reader *r, hr_input *in, const hr_source_opts *o, hr_source_stats *stats, hr_error *err);
/* Readers that need the file itself (random access or a library of their own). */
int hr_reader_archive_open(hr_reader *r, const char *path, const hr_source_opts *o, hr_source_stats *stats, hr_error *err);
int hr_reader_etcd_open(hr_reader *r, const char *path, const hr_source_opts *o, hr_source_stats *stats, hr_error *err);
int hr_reader_kine_open(hr_reader *r, const char *path, const hr_source_opts *o, hr_source_stats *stats, hr_error *err);

#endif
