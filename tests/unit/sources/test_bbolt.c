/*
 * test_bbolt.c — the read-only bbolt reader on real etcd files, and on
 * copies of them patched into hostile shapes: truncated, bad meta
 * checksums, a branch pointing out of range or back at itself, an overflow
 * run past the end of the file, an element pointing out of its page, a
 * wrong snapshot trailer.  Offsets to patch are found by reading the file
 * (the key bucket's root page and its children), not assumed.
 */
#include "test_datastore_util.h"

#include <unistd.h>
#include "sources/bbolt.h"

#define SNAP DS_DIR "plain/etcd-snapshot.db"

static uint64_t rd_le(const unsigned char *p, int n)
{
	uint64_t v = 0;

	for (int i = n - 1; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static uint64_t fnv(const unsigned char *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 0x100000001b3ull;
	return h;
}

/* The key bucket's root page of the plain snapshot and its page size. */
static void key_root(uint64_t *root, uint32_t *psz)
{
	hr_error err = HR_ERROR_INIT;
	hr_bbolt *db;
	hr_bbolt_bucket r, kb;

	CU_ASSERT_EQUAL_FATAL(hr_bbolt_open(&db, SNAP, &err), 0);
	hr_bbolt_root(db, &r);
	CU_ASSERT_EQUAL_FATAL(hr_bbolt_bucket_open(db, &r, "key", 3, &kb, &err), 1);
	*root = kb.root;
	*psz = hr_bbolt_get_info(db)->page_size;
	hr_bbolt_bucket_release(&kb);
	hr_bbolt_close(db);
	CU_ASSERT_FATAL(*root >= 2);
}

static void test_meta_and_buckets(void)
{
	struct json_object *exp = ds_expected("plain");
	hr_error err = HR_ERROR_INIT;
	hr_bbolt *db;
	hr_bbolt_bucket r, kb;
	hr_bbolt_cursor *c;
	hr_bbolt_kv kv;
	size_t n = 0, want = 0;
	int saw_key = 0, saw_meta = 0;

	CU_ASSERT_EQUAL_FATAL(hr_bbolt_open(&db, SNAP, &err), 0);
	const hr_bbolt_info *in = hr_bbolt_get_info(db);
	CU_ASSERT_EQUAL(in->page_size, 4096);
	CU_ASSERT_EQUAL(in->metas_valid, 3);
	CU_ASSERT_EQUAL(in->freelist, UINT64_MAX);  /* etcd never persists it */
	CU_ASSERT_EQUAL(in->file_size % in->page_size, 32);
	CU_ASSERT_EQUAL(hr_bbolt_verify_trailer(db, &err), 0);
	CU_ASSERT_EQUAL(in->trailer, 1);
	hr_bbolt_root(db, &r);
	CU_ASSERT_EQUAL_FATAL(hr_bbolt_cursor_open(&c, db, &r, &err), 0);
	while (hr_bbolt_cursor_next(c, &kv, &err) == 1) {
		CU_ASSERT(kv.flags & HR_BBOLT_BUCKET_LEAF);
		saw_key |= kv.klen == 3 && !memcmp(kv.key, "key", 3);
		saw_meta |= kv.klen == 4 && !memcmp(kv.key, "meta", 4);
	}
	hr_bbolt_cursor_free(c);
	CU_ASSERT(saw_key && saw_meta);
	/* The key bucket holds exactly the revisions expected.json lists, tombstones included. */
	struct json_object *keys = ds_get(ds_get(exp, "etcd"), "keys");
	for (size_t i = 0; i < json_object_array_length(keys); i++)
		want += json_object_array_length(ds_get(json_object_array_get_idx(keys, i), "revisions"));
	CU_ASSERT_EQUAL_FATAL(hr_bbolt_bucket_open(db, &r, "key", 3, &kb, &err), 1);
	CU_ASSERT_EQUAL_FATAL(hr_bbolt_cursor_open(&c, db, &kb, &err), 0);
	while (hr_bbolt_cursor_next(c, &kv, &err) == 1) {
		CU_ASSERT(kv.klen == 17 || kv.klen == 18);
		n++;
	}
	CU_ASSERT_EQUAL(n, want);
	hr_bbolt_cursor_free(c);
	/* Inline buckets work as well: meta is inline in etcd files. */
	hr_bbolt_bucket meta;
	CU_ASSERT_EQUAL(hr_bbolt_bucket_open(db, &r, "meta", 4, &meta, &err), 1);
	CU_ASSERT_EQUAL(meta.root, 0);
	unsigned char *v;
	size_t vl;
	CU_ASSERT_EQUAL(hr_bbolt_get(db, &meta, "consistent_index", 16, &v, &vl, &err), 1);
	CU_ASSERT_EQUAL(vl, 8);
	free(v);
	CU_ASSERT_EQUAL(hr_bbolt_get(db, &meta, "nope", 4, &v, &vl, &err), 0);
	hr_bbolt_bucket_release(&meta);
	hr_bbolt_bucket_release(&kb);
	/* Reachability: everything the tree uses is marked, pages 0 and 1 count as used. */
	CU_ASSERT_EQUAL(hr_bbolt_mark_reachable(db, &err), 0);
	CU_ASSERT(hr_bbolt_page_reachable(db, in->root));
	hr_bbolt_close(db);

	CU_ASSERT_EQUAL_FATAL(hr_bbolt_open(&db, DS_DIR "plain/etcd-member-db.raw", &err), 0);
	CU_ASSERT_EQUAL(hr_bbolt_verify_trailer(db, &err), 0);
	CU_ASSERT_EQUAL(hr_bbolt_get_info(db)->trailer, 0);
	hr_bbolt_close(db);
	json_object_put(exp);
}

/* Write a patched copy of the plain snapshot, run the etcd reader on it. */
typedef void (*patch_fn)(hr_buf *b, uint64_t root, uint32_t psz);

static void run_patched_opts(tu_drain *run, patch_fn fn, char *path, size_t pathsz, const hr_source_opts *o)
{
	hr_buf b = HR_BUF_INIT;
	uint64_t root;
	uint32_t psz;

	key_root(&root, &psz);
	CU_ASSERT_EQUAL_FATAL(tu_read_file(&b, SNAP), 0);
	fn(&b, root, psz);
	snprintf(path, pathsz, "%s/snap.db", tu_tmpdir());
	CU_ASSERT_EQUAL_FATAL(tu_write_file(path, b.ptr, b.len), 0);
	ds_collect(run, hr_reader_etcd_open, path, o);
	hr_buf_free(&b);
}

static void run_patched(tu_drain *run, patch_fn fn, char *path, size_t pathsz)
{
	run_patched_opts(run, fn, path, pathsz, NULL);
}

static void done_patched(tu_drain *run, const char *path)
{
	char dir[600];

	tu_drain_free(run);
	unlink(path);
	snprintf(dir, sizeof(dir), "%s", path);
	*strrchr(dir, '/') = 0;
	rmdir(dir);
}

static void expect_fail(patch_fn fn, const char *needle)
{
	char path[600];
	tu_drain run;

	run_patched(&run, fn, path, sizeof(path));
	CU_ASSERT(run.open_rc < 0 || run.end_rc < 0);
	if (!strstr(run.err.msg, needle) || !strstr(run.err.msg, path)) {
		fprintf(stderr, "message: %s\n(wanted \"%s\")\n", run.err.msg, needle);
		CU_FAIL("error message");
	}
	done_patched(&run, path);
}

static unsigned char *P(hr_buf *b) { return (unsigned char *)b->ptr; }

static void p_truncate(hr_buf *b, uint64_t root, uint32_t psz) { hr_buf_truncate(b, (size_t)psz * (root / 2)); }
static void p_tiny(hr_buf *b, uint64_t root, uint32_t psz) { hr_buf_truncate(b, 50); }
static void p_both_metas(hr_buf *b, uint64_t root, uint32_t psz)
{
	P(b)[16 + 56] ^= 0xff;
	P(b)[psz + 16 + 56] ^= 0xff;
}
static void p_meta0(hr_buf *b, uint64_t root, uint32_t psz) { P(b)[16 + 56] ^= 0xff; }
static void p_range(hr_buf *b, uint64_t root, uint32_t psz)
{
	ds_put_le(P(b) + root * psz + 16 + 8, 100000, 8);   /* branch element 0's child */
}
static void p_cycle(hr_buf *b, uint64_t root, uint32_t psz)
{
	ds_put_le(P(b) + root * psz + 16 + 16 + 8, root, 8); /* element 1 points back at the branch */
}
static uint64_t first_leaf(hr_buf *b, uint64_t root, uint32_t psz)
{
	CU_ASSERT_EQUAL(rd_le(P(b) + root * psz + 8, 2), HR_BBOLT_BRANCH);
	return rd_le(P(b) + root * psz + 16 + 8, 8);
}
static void p_overflow(hr_buf *b, uint64_t root, uint32_t psz)
{
	ds_put_le(P(b) + first_leaf(b, root, psz) * psz + 12, 1000000, 4);
}
static void p_element(hr_buf *b, uint64_t root, uint32_t psz)
{
	ds_put_le(P(b) + first_leaf(b, root, psz) * psz + 16 + 12, 0x7fffffff, 4);  /* vsize */
}
static void p_root(hr_buf *b, uint64_t root, uint32_t psz)
{
	for (int m = 0; m < 2; m++) {
		unsigned char *meta = P(b) + (size_t)m * psz + 16;
		ds_put_le(meta + 16, 5000, 8);
		ds_put_le(meta + 56, fnv(meta, 56), 8);
	}
}
static void p_hwm(hr_buf *b, uint64_t root, uint32_t psz)
{
	for (int m = 0; m < 2; m++) {
		unsigned char *meta = P(b) + (size_t)m * psz + 16;
		ds_put_le(meta + 40, 1ull << 50, 8);
		ds_put_le(meta + 56, fnv(meta, 56), 8);
	}
}
static void p_trailer(hr_buf *b, uint64_t root, uint32_t psz) { P(b)[b->len - 1] ^= 1; }

static void test_truncated(void) { expect_fail(p_truncate, "past the end of the file"); }
static void test_tiny(void) { expect_fail(p_tiny, "too small for a bbolt database"); }
static void test_bad_metas(void) { expect_fail(p_both_metas, "no valid bbolt meta page"); }
static void test_page_out_of_range(void) { expect_fail(p_range, "page id 100000 out of range"); }
static void test_cycle(void) { expect_fail(p_cycle, "referenced twice"); }
static void test_overflow_past_eof(void) { expect_fail(p_overflow, "overflow of 1000000 pages runs past"); }
static void test_element_out_of_page(void) { expect_fail(p_element, "points past the page"); }
static void test_meta_root_out_of_range(void) { expect_fail(p_root, "root page 5000 out of range"); }

/* One bad meta: the other one is used and everything is still read; the trailer now differs. */
static void test_one_bad_meta(void)
{
	char path[600];
	tu_drain run, ref;
	hr_error err = HR_ERROR_INIT;
	hr_bbolt *db;

	run_patched(&run, p_meta0, path, sizeof(path));
	CU_ASSERT_EQUAL_FATAL(hr_bbolt_open(&db, path, &err), 0);
	CU_ASSERT_EQUAL(hr_bbolt_get_info(db)->metas_valid, 2);
	CU_ASSERT_EQUAL(hr_bbolt_get_info(db)->meta_used, 1);
	hr_bbolt_close(db);
	ds_collect(&ref, hr_reader_etcd_open, SNAP, NULL);
	CU_ASSERT_EQUAL(run.open_rc, 0);
	CU_ASSERT_EQUAL(run.end_rc, 0);
	CU_ASSERT_EQUAL(run.nrec, ref.nrec);
	CU_ASSERT_EQUAL(run.nskips, 1);
	CU_ASSERT(ds_any_skip_contains(&run, "SHA-256 trailer does not match"));
	tu_drain_free(&ref);
	done_patched(&run, path);
}

static void test_trailer_mismatch(void)
{
	char path[600];
	tu_drain run, ref;

	run_patched(&run, p_trailer, path, sizeof(path));
	ds_collect(&ref, hr_reader_etcd_open, SNAP, NULL);
	CU_ASSERT_EQUAL(ref.nskips, 0);
	CU_ASSERT_EQUAL(run.open_rc, 0);
	CU_ASSERT_EQUAL(run.nrec, ref.nrec);
	CU_ASSERT_EQUAL(run.nskips, 1);
	CU_ASSERT(ds_any_skip_contains(&run, path));
	CU_ASSERT(ds_any_skip_contains(&run, "SHA-256 trailer does not match"));
	tu_drain_free(&ref);
	done_patched(&run, path);
}

/* A huge high-water mark with a valid checksum: carving stops at the end of the file. */
static void test_huge_high_water_mark(void)
{
	hr_source_opts o = { 0 };
	char path[600];
	tu_drain run, ref;

	o.carve = 1;
	run_patched_opts(&run, p_hwm, path, sizeof(path), &o);
	ds_collect(&ref, hr_reader_etcd_open, SNAP, NULL);
	CU_ASSERT_EQUAL(run.open_rc, 0);
	CU_ASSERT_EQUAL(run.end_rc, 0);
	CU_ASSERT_EQUAL(run.nrec, ref.nrec);
	tu_drain_free(&ref);
	done_patched(&run, path);
}

HR_TEST_MAIN("bbolt",
	{ "huge high-water mark", test_huge_high_water_mark },
	{ "meta, buckets, key bucket, trailer", test_meta_and_buckets },
	{ "truncated snapshot", test_truncated },
	{ "tiny file", test_tiny },
	{ "both meta checksums bad", test_bad_metas },
	{ "one meta checksum bad", test_one_bad_meta },
	{ "meta root out of range", test_meta_root_out_of_range },
	{ "branch child out of range", test_page_out_of_range },
	{ "cycle of branch pages", test_cycle },
	{ "overflow past end of file", test_overflow_past_eof },
	{ "element out of its page", test_element_out_of_page },
	{ "snapshot trailer mismatch", test_trailer_mismatch })
