/*
 * bbolt.h — a small read-only reader for bbolt (BoltDB) files: etcd's
 * member/snap/db and `etcdctl snapshot save` output.  Semi-private: used by
 * src/sources/etcd.c and tests.  The format is described in
 * formats/etcd-snapshot.md.
 *
 * The file is read with pread(), one page (plus its overflow pages) at a
 * time; it is never loaded whole and never written.  Every page reference is
 * checked before it is followed: a page id beyond the high-water mark or the
 * end of the file, a page whose header id is not its own number, an overflow
 * run past the end of the file, an element pointing outside its page, a
 * branch loop or a page reached twice, and a tree deeper than
 * HR_BBOLT_MAX_DEPTH are all HR_EFORMAT errors naming the file, the page and
 * the byte offset.
 *
 * Use:
 *     hr_bbolt *db;  hr_bbolt_bucket root, key;  hr_bbolt_cursor *c;
 *     hr_bbolt_open(&db, path, &err);
 *     hr_bbolt_root(db, &root);
 *     hr_bbolt_bucket_open(db, &root, "key", 3, &key, &err);  (1 = found)
 *     hr_bbolt_cursor_open(&c, db, &key, &err);
 *     while ((rc = hr_bbolt_cursor_next(c, &kv, &err)) == 1) ... kv.key, kv.val
 *     hr_bbolt_cursor_free(c); hr_bbolt_bucket_release(&key); hr_bbolt_close(db);
 *
 * Ownership: hr_bbolt_close() frees a database, hr_bbolt_cursor_free() a
 * cursor, hr_bbolt_bucket_release() a bucket's inline page copy.  Key and
 * value pointers handed out by a cursor are borrowed and stay valid until
 * the next call on that cursor.
 */
#ifndef HR_SOURCES_BBOLT_H
#define HR_SOURCES_BBOLT_H

#include <stddef.h>
#include <stdint.h>
#include "util/error.h"

#define HR_BBOLT_MAX_DEPTH 32

/* Page flags. */
#define HR_BBOLT_BRANCH   0x01u
#define HR_BBOLT_LEAF     0x02u
#define HR_BBOLT_META     0x04u
#define HR_BBOLT_FREELIST 0x10u
/* Leaf element flag: the value is a nested bucket. */
#define HR_BBOLT_BUCKET_LEAF 0x01u

typedef struct hr_bbolt hr_bbolt;

/* What hr_bbolt_open() learned from the meta pages and the file size. */
typedef struct hr_bbolt_info {
	uint32_t page_size;
	uint64_t root;          /* root bucket's root page */
	uint64_t freelist;      /* freelist page, UINT64_MAX when not persisted */
	uint64_t pgid;          /* high-water mark: pages >= pgid are not in the db */
	uint64_t txid;          /* txid of the meta in use */
	int meta_used;          /* 0 or 1 */
	int metas_valid;        /* bit 0: meta 0 valid, bit 1: meta 1 valid */
	uint64_t file_size;
	/*
	 * Snapshot trailer: 0 = none (file_size % page_size != 32), 1 = present
	 * and the SHA-256 matches, -1 = present but the SHA-256 differs.  Only
	 * set after hr_bbolt_verify_trailer().
	 */
	int trailer;
} hr_bbolt_info;

/*
 * A bucket: either a page tree (root != 0) or an inline bucket whose page
 * image is copied into `inline_page` (owned; release with
 * hr_bbolt_bucket_release()).
 */
typedef struct hr_bbolt_bucket {
	uint64_t root;
	unsigned char *inline_page;
	size_t inline_len;
} hr_bbolt_bucket;

#define HR_BBOLT_BUCKET_INIT { 0, NULL, 0 }

/* One leaf element, as handed out by a cursor (pointers borrowed). */
typedef struct hr_bbolt_kv {
	const unsigned char *key;
	size_t klen;
	const unsigned char *val;
	size_t vlen;
	uint32_t flags;         /* leaf element flags (HR_BBOLT_BUCKET_LEAF) */
	uint64_t page;          /* page holding the element (0 for inline buckets) */
	uint64_t val_offset;    /* byte offset of the value in the file (0 inline) */
} hr_bbolt_kv;

/*
 * Open `path` read-only and select the meta page: a meta is valid when its
 * magic, version (2) and FNV-1a 64 checksum match; of two valid metas the
 * higher txid wins.  No valid meta, a page size that is not a power of two
 * in [512, 64 KiB*4], or a root page out of range is HR_EFORMAT; an
 * unreadable file HR_EIO.  Free with hr_bbolt_close().
 */
int hr_bbolt_open(hr_bbolt **out, const char *path, hr_error *err);
void hr_bbolt_close(hr_bbolt *db);
const hr_bbolt_info *hr_bbolt_get_info(const hr_bbolt *db);
const char *hr_bbolt_path(const hr_bbolt *db);

/*
 * If the file has an etcd snapshot trailer (size % page_size == 32), hash
 * everything before it and compare; sets info.trailer.  Returns 0 (also on a
 * mismatch: that is a finding, not a failure) or HR_EIO.
 */
int hr_bbolt_verify_trailer(hr_bbolt *db, hr_error *err);

/* The top-level bucket (the meta's root). */
void hr_bbolt_root(const hr_bbolt *db, hr_bbolt_bucket *out);

/*
 * Find the sub-bucket `name` of `parent`.  Returns 1 with *out filled, 0 if
 * there is no such bucket (or the key is not a bucket), or a negative HR_E*
 * code.
 */
int hr_bbolt_bucket_open(hr_bbolt *db, const hr_bbolt_bucket *parent,
			 const void *name, size_t nlen, hr_bbolt_bucket *out, hr_error *err);
void hr_bbolt_bucket_release(hr_bbolt_bucket *b);

/*
 * Look up `key` in bucket `b` (a plain value, not a sub-bucket).  Returns 1
 * with a malloc'd copy in *val / *vlen (NUL-terminated; free with free()),
 * 0 if absent, or a negative HR_E* code.
 */
int hr_bbolt_get(hr_bbolt *db, const hr_bbolt_bucket *b, const void *key, size_t klen,
		 unsigned char **val, size_t *vlen, hr_error *err);

/*
 * A depth-first cursor over every leaf element of a bucket in key order
 * (sub-bucket entries are returned too, with HR_BBOLT_BUCKET_LEAF set).
 * Pages the cursor visits are marked in the database's reachability map
 * (see hr_bbolt_page_reachable).  Free with hr_bbolt_cursor_free().
 */
typedef struct hr_bbolt_cursor hr_bbolt_cursor;
int hr_bbolt_cursor_open(hr_bbolt_cursor **out, hr_bbolt *db, const hr_bbolt_bucket *b, hr_error *err);
/* 1 with *kv filled, 0 at the end, or a negative HR_E* code (the cursor is then done). */
int hr_bbolt_cursor_next(hr_bbolt_cursor *c, hr_bbolt_kv *kv, hr_error *err);
void hr_bbolt_cursor_free(hr_bbolt_cursor *c);

/*
 * Mark every page reachable from the root (all buckets, nested and inline,
 * overflow runs included).  After this, hr_bbolt_page_reachable() tells
 * which pages in [2, pgid) are free.  Returns 0 or a negative HR_E* code.
 */
int hr_bbolt_mark_reachable(hr_bbolt *db, hr_error *err);
int hr_bbolt_page_reachable(const hr_bbolt *db, uint64_t pgid);

/*
 * Read page `pgid` for carving, without tree context: 1 when it passes the
 * leaf checks (header id == pgid, leaf flag, overflow within the high-water
 * mark and the file, every element in bounds) and *cursor iterates its
 * elements; 0 when it is not a plausible leaf; negative on I/O errors.
 * The cursor does not mark pages reachable.  *overflow_out gets the
 * page's overflow count (so the caller can skip the continuation pages).
 */
int hr_bbolt_cursor_open_page(hr_bbolt_cursor **out, hr_bbolt *db, uint64_t pgid,
			      uint32_t *overflow_out, hr_error *err);

#endif
