/*
 * bbolt.c — read-only access to bbolt files (etcd's backend) for the etcd
 * reader: meta selection, page loading with bounds checks, a depth-first
 * cursor over a bucket's B+tree (branch, leaf and overflow pages, inline
 * buckets), the snapshot SHA-256 trailer check, and the reachability map
 * that lets the etcd reader carve leaf pages out of free space.
 *
 * Nothing here trusts the file: every page id, overflow run and element
 * offset is checked against the high-water mark, the file size and the page
 * it sits in before it is used, and a tree walk keeps a visited bitmap and a
 * depth limit so that loops in a hostile file end with an error.
 */
#include "sources/bbolt.h"

#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <openssl/evp.h>

#define PAGE_HDR 16
#define ELEM_SIZE 16
#define META_MAGIC 0xED0CDAEDu
#define META_VERSION 2
#define FNV_OFFSET 0xcbf29ce484222325ull
#define FNV_PRIME 0x100000001b3ull

struct hr_bbolt {
	int fd;
	char *path;
	hr_bbolt_info info;
	uint64_t npages;          /* pages that can be referenced: min(pgid, pages in file) */
	unsigned char *reachable; /* bitmap of npages bits */
};

/* A loaded page (or an inline bucket's page image, borrowed). */
typedef struct page {
	unsigned char *buf;
	size_t len;
	uint64_t id;              /* 0 for inline pages */
	uint16_t flags;
	uint16_t count;
	int owned;
	unsigned idx;             /* cursor position */
} page;

struct hr_bbolt_cursor {
	hr_bbolt *db;
	page stack[HR_BBOLT_MAX_DEPTH];
	int depth;
	unsigned char *visited;   /* own bitmap, or db->reachable when marking */
	int own_visited;
	int mark;                 /* also set bits in db->reachable */
	int done;
};

static uint16_t le16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t le64(const unsigned char *p)
{
	return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

static int bit_get(const unsigned char *map, uint64_t i)
{
	return map[i / 8] >> (i % 8) & 1;
}

static void bit_set(unsigned char *map, uint64_t i)
{
	map[i / 8] |= (unsigned char)(1u << (i % 8));
}

/* Read exactly len bytes at off; a short read is reported as truncation. */
static int read_at(hr_bbolt *db, void *buf, size_t len, uint64_t off, hr_error *err)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = pread(db->fd, (char *)buf + done, len - done, (off_t)(off + done));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return hr_error_set(err, HR_EIO, "%s: read at offset %llu: %s", db->path,
					    (unsigned long long)(off + done), strerror(errno));
		}
		if (n == 0)
			return hr_error_set(err, HR_EFORMAT, "%s: unexpected end of file at offset %llu (truncated?)",
					    db->path, (unsigned long long)(off + done));
		done += (size_t)n;
	}
	return 0;
}

static uint64_t fnv1a64(const unsigned char *p, size_t n)
{
	uint64_t h = FNV_OFFSET;

	for (size_t i = 0; i < n; i++) {
		h ^= p[i];
		h *= FNV_PRIME;
	}
	return h;
}

/* Meta block at `m` (page offset 16): 1 if magic, version and checksum match. */
static int meta_valid(const unsigned char *m)
{
	return le32(m) == META_MAGIC && le32(m + 4) == META_VERSION &&
	       fnv1a64(m, 56) == le64(m + 56);
}

static int pow2_size(uint32_t v)
{
	return v >= 512 && v <= (16u << 20) && (v & (v - 1)) == 0;
}

static int load_metas(hr_bbolt *db, hr_error *err)
{
	unsigned char m0[PAGE_HDR + 64], m1[PAGE_HDR + 64];
	int v0 = 0, v1 = 0, rc;
	uint32_t psz = 0;

	if (db->info.file_size < sizeof(m0))
		return hr_error_set(err, HR_EFORMAT, "%s: file of %llu bytes is too small for a bbolt database",
				    db->path, (unsigned long long)db->info.file_size);
	if ((rc = read_at(db, m0, sizeof(m0), 0, err)) < 0)
		return rc;
	if (meta_valid(m0 + PAGE_HDR) && pow2_size(le32(m0 + PAGE_HDR + 8))) {
		v0 = 1;
		psz = le32(m0 + PAGE_HDR + 8);
		if ((uint64_t)psz + sizeof(m1) <= db->info.file_size) {
			if ((rc = read_at(db, m1, sizeof(m1), psz, err)) < 0)
				return rc;
			v1 = meta_valid(m1 + PAGE_HDR) && le32(m1 + PAGE_HDR + 8) == psz;
		}
	} else {
		/* Meta 0 is bad: probe for meta 1 at 1 KiB .. 16 MiB as bbolt does. */
		for (int i = 0; i <= 14 && !v1; i++) {
			uint64_t off = 1024ull << i;
			if (off + sizeof(m1) > db->info.file_size)
				break;
			if ((rc = read_at(db, m1, sizeof(m1), off, err)) < 0)
				return rc;
			if (meta_valid(m1 + PAGE_HDR) && le32(m1 + PAGE_HDR + 8) == off) {
				v1 = 1;
				psz = (uint32_t)off;
			}
		}
	}
	if (!v0 && !v1)
		return hr_error_set(err, HR_EFORMAT,
				    "%s: no valid bbolt meta page (bad magic, version or checksum in both metas)",
				    db->path);
	const unsigned char *m;
	if (v0 && v1)
		m = le64(m1 + PAGE_HDR + 48) > le64(m0 + PAGE_HDR + 48) ? m1 + PAGE_HDR : m0 + PAGE_HDR;
	else
		m = v0 ? m0 + PAGE_HDR : m1 + PAGE_HDR;
	db->info.meta_used = m == m1 + PAGE_HDR;
	db->info.metas_valid = v0 | v1 << 1;
	db->info.page_size = psz;
	db->info.root = le64(m + 16);
	db->info.freelist = le64(m + 32);
	db->info.pgid = le64(m + 40);
	db->info.txid = le64(m + 48);
	uint64_t in_file = db->info.file_size / psz;
	db->npages = db->info.pgid < in_file ? db->info.pgid : in_file;
	if (db->info.pgid < 3 || db->info.root < 2 || db->info.root >= db->info.pgid)
		return hr_error_set(err, HR_EFORMAT,
				    "%s: meta %d: root page %llu out of range (high-water mark %llu)",
				    db->path, db->info.meta_used, (unsigned long long)db->info.root,
				    (unsigned long long)db->info.pgid);
	return 0;
}

int hr_bbolt_open(hr_bbolt **out, const char *path, hr_error *err)
{
	hr_bbolt *db = calloc(1, sizeof(*db));
	struct stat st;
	int rc;

	*out = NULL;
	if (!db || !(db->path = strdup(path))) {
		free(db);
		return hr_error_set(err, HR_ENOMEM, "%s: out of memory", path);
	}
	db->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (db->fd < 0) {
		rc = hr_error_set(err, HR_EIO, "%s: %s", path, strerror(errno));
		goto fail;
	}
	if (fstat(db->fd, &st) < 0) {
		rc = hr_error_set(err, HR_EIO, "%s: %s", path, strerror(errno));
		goto fail;
	}
	db->info.file_size = (uint64_t)st.st_size;
	if ((rc = load_metas(db, err)) < 0)
		goto fail;
	db->reachable = calloc(db->npages / 8 + 1, 1);
	if (!db->reachable) {
		rc = hr_error_set(err, HR_ENOMEM, "%s: out of memory", path);
		goto fail;
	}
	*out = db;
	return 0;
fail:
	hr_bbolt_close(db);
	return rc;
}

void hr_bbolt_close(hr_bbolt *db)
{
	if (!db)
		return;
	if (db->fd >= 0)
		close(db->fd);
	free(db->reachable);
	free(db->path);
	free(db);
}

const hr_bbolt_info *hr_bbolt_get_info(const hr_bbolt *db)
{
	return &db->info;
}

const char *hr_bbolt_path(const hr_bbolt *db)
{
	return db->path;
}

int hr_bbolt_verify_trailer(hr_bbolt *db, hr_error *err)
{
	uint64_t body = db->info.file_size - 32, off = 0;
	unsigned char want[32], got[EVP_MAX_MD_SIZE];
	unsigned char *chunk = NULL;
	EVP_MD_CTX *ctx = NULL;
	unsigned int glen = 0;
	int rc = 0;

	db->info.trailer = 0;
	if (db->info.file_size % db->info.page_size != 32)
		return 0;
	if (!(chunk = malloc(1 << 20)) || !(ctx = EVP_MD_CTX_new())) {
		rc = hr_error_set(err, HR_ENOMEM, "%s: out of memory", db->path);
		goto out;
	}
	if ((rc = read_at(db, want, 32, body, err)) < 0)
		goto out;
	EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
	while (off < body) {
		size_t n = body - off < (1u << 20) ? (size_t)(body - off) : (1u << 20);
		if ((rc = read_at(db, chunk, n, off, err)) < 0)
			goto out;
		EVP_DigestUpdate(ctx, chunk, n);
		off += n;
	}
	EVP_DigestFinal_ex(ctx, got, &glen);
	db->info.trailer = glen == 32 && !memcmp(got, want, 32) ? 1 : -1;
out:
	EVP_MD_CTX_free(ctx);
	free(chunk);
	return rc;
}

/* Check that every element of a branch/leaf page image lies inside it. */
static int page_elements_ok(const page *p, char *why, size_t whysz)
{
	uint64_t need = PAGE_HDR + (uint64_t)p->count * ELEM_SIZE;

	if (need > p->len) {
		snprintf(why, whysz, "%u elements do not fit in %zu bytes", p->count, p->len);
		return 0;
	}
	for (unsigned i = 0; i < p->count; i++) {
		const unsigned char *e = p->buf + PAGE_HDR + (size_t)i * ELEM_SIZE;
		uint64_t base = PAGE_HDR + (uint64_t)i * ELEM_SIZE, end;
		if (p->flags & HR_BBOLT_LEAF)
			end = base + le32(e + 4) + (uint64_t)le32(e + 8) + le32(e + 12);
		else
			end = base + le32(e) + (uint64_t)le32(e + 4);
		if (end > p->len) {
			snprintf(why, whysz, "element %u points past the page (to byte %llu of %zu)", i,
				 (unsigned long long)end, p->len);
			return 0;
		}
	}
	return 1;
}

/*
 * Load page `id` with its overflow run.  strict: every problem is an
 * HR_EFORMAT error; !strict (carving): returns 0 for an implausible leaf.
 */
static int load_page(hr_bbolt *db, uint64_t id, page *p, int strict, hr_error *err)
{
	unsigned char hdr[PAGE_HDR];
	uint64_t psz = db->info.page_size, off, runlen;
	char why[160];
	int rc;

	memset(p, 0, sizeof(*p));
	if (id < 2 || id >= db->info.pgid)
		return strict ? hr_error_set(err, HR_EFORMAT,
					     "%s: page id %llu out of range (high-water mark %llu)", db->path,
					     (unsigned long long)id, (unsigned long long)db->info.pgid) : 0;
	if (id >= db->npages || id > UINT64_MAX / psz)
		return strict ? hr_error_set(err, HR_EFORMAT,
					     "%s: page %llu lies past the end of the file (%llu bytes, truncated?)",
					     db->path, (unsigned long long)id,
					     (unsigned long long)db->info.file_size) : 0;
	off = id * psz;
	if ((rc = read_at(db, hdr, PAGE_HDR, off, err)) < 0)
		return rc;
	if (le64(hdr) != id) {
		if (!strict)
			return 0;
		return hr_error_set(err, HR_EFORMAT, "%s: page %llu at offset %llu: header says page %llu",
				    db->path, (unsigned long long)id, (unsigned long long)off,
				    (unsigned long long)le64(hdr));
	}
	p->flags = le16(hdr + 8);
	p->count = le16(hdr + 10);
	uint64_t ovf = le32(hdr + 12);
	if (p->flags != HR_BBOLT_BRANCH && p->flags != HR_BBOLT_LEAF) {
		if (!strict)
			return 0;
		return hr_error_set(err, HR_EFORMAT,
				    "%s: page %llu at offset %llu: flags 0x%x, expected a branch or leaf page",
				    db->path, (unsigned long long)id, (unsigned long long)off, p->flags);
	}
	if (id + ovf >= db->info.pgid || (ovf + 1) > db->info.file_size / psz ||
	    off + (ovf + 1) * psz > db->info.file_size) {
		if (!strict)
			return 0;
		return hr_error_set(err, HR_EFORMAT,
				    "%s: page %llu at offset %llu: overflow of %llu pages runs past the %s",
				    db->path, (unsigned long long)id, (unsigned long long)off,
				    (unsigned long long)ovf,
				    id + ovf >= db->info.pgid ? "high-water mark" : "end of the file");
	}
	runlen = (ovf + 1) * psz;
	if (runlen > SIZE_MAX || !(p->buf = malloc((size_t)runlen)))
		return hr_error_set(err, HR_ENOMEM, "%s: page %llu: out of memory for %llu bytes", db->path,
				    (unsigned long long)id, (unsigned long long)runlen);
	p->len = (size_t)runlen;
	p->id = id;
	p->owned = 1;
	if ((rc = read_at(db, p->buf, p->len, off, err)) < 0)
		goto fail;
	if (!page_elements_ok(p, why, sizeof(why))) {
		rc = strict ? hr_error_set(err, HR_EFORMAT, "%s: page %llu at offset %llu: %s", db->path,
					   (unsigned long long)id, (unsigned long long)off, why) : 0;
		goto fail;
	}
	return 1;
fail:
	free(p->buf);
	p->buf = NULL;
	return rc;
}

static int inline_page(const hr_bbolt *db, const hr_bbolt_bucket *b, page *p, hr_error *err)
{
	char why[160];

	memset(p, 0, sizeof(*p));
	if (b->inline_len < PAGE_HDR)
		return hr_error_set(err, HR_EFORMAT, "%s: inline bucket of %zu bytes has no page header",
				    db->path, b->inline_len);
	p->buf = b->inline_page;
	p->len = b->inline_len;
	p->flags = le16(p->buf + 8);
	p->count = le16(p->buf + 10);
	if (p->flags != HR_BBOLT_LEAF)
		return hr_error_set(err, HR_EFORMAT, "%s: inline bucket page has flags 0x%x, expected a leaf",
				    db->path, p->flags);
	if (!page_elements_ok(p, why, sizeof(why)))
		return hr_error_set(err, HR_EFORMAT, "%s: inline bucket page: %s", db->path, why);
	return 0;
}

void hr_bbolt_root(const hr_bbolt *db, hr_bbolt_bucket *out)
{
	out->root = db->info.root;
	out->inline_page = NULL;
	out->inline_len = 0;
}

void hr_bbolt_bucket_release(hr_bbolt_bucket *b)
{
	if (!b)
		return;
	free(b->inline_page);
	b->inline_page = NULL;
	b->inline_len = 0;
	b->root = 0;
}

static void cursor_pop(hr_bbolt_cursor *c)
{
	page *p = &c->stack[--c->depth];

	if (p->owned)
		free(p->buf);
	p->buf = NULL;
}

static int cursor_push_page(hr_bbolt_cursor *c, uint64_t id, hr_error *err)
{
	hr_bbolt *db = c->db;
	page p;
	int rc;

	if (c->depth >= HR_BBOLT_MAX_DEPTH)
		return hr_error_set(err, HR_EFORMAT, "%s: page %llu: tree deeper than %d levels (loop?)",
				    db->path, (unsigned long long)id, HR_BBOLT_MAX_DEPTH);
	if (id < db->npages && bit_get(c->visited, id))
		return hr_error_set(err, HR_EFORMAT,
				    "%s: page %llu is referenced twice (cycle of branch pages?)", db->path,
				    (unsigned long long)id);
	if ((rc = load_page(db, id, &p, 1, err)) < 0)
		return rc;
	bit_set(c->visited, id);
	if (c->mark) {
		uint64_t ovf = p.len / db->info.page_size - 1;
		for (uint64_t i = 0; i <= ovf && id + i < db->npages; i++)
			bit_set(db->reachable, id + i);
	}
	c->stack[c->depth++] = p;
	return 0;
}

static int cursor_new(hr_bbolt_cursor **out, hr_bbolt *db, int mark, hr_error *err)
{
	hr_bbolt_cursor *c = calloc(1, sizeof(*c));

	*out = NULL;
	if (!c)
		return hr_error_set(err, HR_ENOMEM, "%s: out of memory", db->path);
	c->db = db;
	c->mark = mark;
	if (mark) {
		c->visited = db->reachable;
	} else {
		c->visited = calloc(db->npages / 8 + 1, 1);
		c->own_visited = 1;
		if (!c->visited) {
			free(c);
			return hr_error_set(err, HR_ENOMEM, "%s: out of memory", db->path);
		}
	}
	*out = c;
	return 0;
}

static int cursor_open(hr_bbolt_cursor **out, hr_bbolt *db, const hr_bbolt_bucket *b, int mark,
		       hr_error *err)
{
	hr_bbolt_cursor *c;
	int rc;

	if ((rc = cursor_new(&c, db, mark, err)) < 0)
		return rc;
	if (b->root == 0) {
		if ((rc = inline_page(db, b, &c->stack[0], err)) < 0)
			goto fail;
		c->depth = 1;
	} else if ((rc = cursor_push_page(c, b->root, err)) < 0) {
		goto fail;
	}
	*out = c;
	return 0;
fail:
	hr_bbolt_cursor_free(c);
	return rc;
}

int hr_bbolt_cursor_open(hr_bbolt_cursor **out, hr_bbolt *db, const hr_bbolt_bucket *b, hr_error *err)
{
	return cursor_open(out, db, b, 0, err);
}

int hr_bbolt_cursor_open_page(hr_bbolt_cursor **out, hr_bbolt *db, uint64_t pgid,
			      uint32_t *overflow_out, hr_error *err)
{
	hr_bbolt_cursor *c;
	page p;
	int rc;

	*out = NULL;
	*overflow_out = 0;
	if ((rc = load_page(db, pgid, &p, 0, err)) <= 0)
		return rc;
	*overflow_out = (uint32_t)(p.len / db->info.page_size - 1);
	if (p.flags != HR_BBOLT_LEAF) {
		free(p.buf);
		return 0;
	}
	if ((rc = cursor_new(&c, db, 0, err)) < 0) {
		free(p.buf);
		return rc;
	}
	c->stack[0] = p;
	c->depth = 1;
	*out = c;
	return 1;
}

/* Turn "PATH: msg" into "PATH: branch page N element I: msg". */
static void branch_context(const hr_bbolt *db, hr_error *err, uint64_t id, unsigned idx)
{
	char rest[HR_ERROR_MSG_MAX];
	size_t pl = strlen(db->path);

	if (!err)
		return;
	if (!strncmp(err->msg, db->path, pl) && err->msg[pl] == ':' && err->msg[pl + 1] == ' ')
		snprintf(rest, sizeof(rest), "%s", err->msg + pl + 2);
	else
		snprintf(rest, sizeof(rest), "%s", err->msg);
	hr_error_set(err, err->code, "%s: branch page %llu element %u: %s", db->path,
		     (unsigned long long)id, idx, rest);
}

int hr_bbolt_cursor_next(hr_bbolt_cursor *c, hr_bbolt_kv *kv, hr_error *err)
{
	int rc;

	if (c->done)
		return 0;
	while (c->depth > 0) {
		page *p = &c->stack[c->depth - 1];
		if (p->idx >= p->count) {
			cursor_pop(c);
			continue;
		}
		size_t eoff = PAGE_HDR + (size_t)p->idx * ELEM_SIZE;
		const unsigned char *e = p->buf + eoff;
		p->idx++;
		if (p->flags & HR_BBOLT_BRANCH) {
			if ((rc = cursor_push_page(c, le64(e + 8), err)) < 0) {
				branch_context(c->db, err, p->id, p->idx - 1);
				c->done = 1;
				return rc;
			}
			continue;
		}
		uint32_t pos = le32(e + 4), ksz = le32(e + 8), vsz = le32(e + 12);
		kv->flags = le32(e);
		kv->key = e + pos;
		kv->klen = ksz;
		kv->val = e + pos + ksz;
		kv->vlen = vsz;
		kv->page = p->id;
		kv->val_offset = p->id ? p->id * c->db->info.page_size + eoff + pos + ksz : 0;
		return 1;
	}
	c->done = 1;
	return 0;
}

void hr_bbolt_cursor_free(hr_bbolt_cursor *c)
{
	if (!c)
		return;
	while (c->depth > 0)
		cursor_pop(c);
	if (c->own_visited)
		free(c->visited);
	free(c);
}

/* Turn a bucket-leaf value into a bucket. */
static int bucket_from_value(const hr_bbolt *db, const hr_bbolt_kv *kv, hr_bbolt_bucket *out, hr_error *err)
{
	out->root = 0;
	out->inline_page = NULL;
	out->inline_len = 0;
	if (kv->vlen < 16)
		return hr_error_set(err, HR_EFORMAT, "%s: bucket value of %zu bytes is shorter than its header",
				    db->path, kv->vlen);
	out->root = le64(kv->val);
	if (out->root != 0)
		return 0;
	out->inline_len = kv->vlen - 16;
	if (!(out->inline_page = malloc(out->inline_len + 1)))
		return hr_error_set(err, HR_ENOMEM, "%s: out of memory", db->path);
	memcpy(out->inline_page, kv->val + 16, out->inline_len);
	return 0;
}

/* Find `key` in bucket `b`: 1 with *kv pointing into the cursor's page, 0 absent. */
static int find(hr_bbolt_cursor **cout, hr_bbolt *db, const hr_bbolt_bucket *b, const void *key,
		size_t klen, hr_bbolt_kv *kv, hr_error *err)
{
	hr_bbolt_cursor *c;
	int rc;

	*cout = NULL;
	if ((rc = hr_bbolt_cursor_open(&c, db, b, err)) < 0)
		return rc;
	while ((rc = hr_bbolt_cursor_next(c, kv, err)) == 1) {
		if (kv->klen == klen && !memcmp(kv->key, key, klen)) {
			*cout = c;
			return 1;
		}
	}
	hr_bbolt_cursor_free(c);
	return rc;
}

int hr_bbolt_bucket_open(hr_bbolt *db, const hr_bbolt_bucket *parent, const void *name, size_t nlen,
			 hr_bbolt_bucket *out, hr_error *err)
{
	hr_bbolt_cursor *c;
	hr_bbolt_kv kv;
	int rc;

	out->root = 0;
	out->inline_page = NULL;
	out->inline_len = 0;
	if ((rc = find(&c, db, parent, name, nlen, &kv, err)) <= 0)
		return rc;
	if (!(kv.flags & HR_BBOLT_BUCKET_LEAF))
		rc = 0;
	else if ((rc = bucket_from_value(db, &kv, out, err)) == 0)
		rc = 1;
	hr_bbolt_cursor_free(c);
	return rc;
}

int hr_bbolt_get(hr_bbolt *db, const hr_bbolt_bucket *b, const void *key, size_t klen,
		 unsigned char **val, size_t *vlen, hr_error *err)
{
	hr_bbolt_cursor *c;
	hr_bbolt_kv kv;
	int rc;

	*val = NULL;
	*vlen = 0;
	if ((rc = find(&c, db, b, key, klen, &kv, err)) <= 0)
		return rc;
	if (kv.flags & HR_BBOLT_BUCKET_LEAF) {
		rc = 0;
	} else if (!(*val = malloc(kv.vlen + 1))) {
		rc = hr_error_set(err, HR_ENOMEM, "%s: out of memory", db->path);
	} else {
		memcpy(*val, kv.val, kv.vlen);
		(*val)[kv.vlen] = 0;
		*vlen = kv.vlen;
		rc = 1;
	}
	hr_bbolt_cursor_free(c);
	return rc;
}

static int mark_bucket(hr_bbolt *db, const hr_bbolt_bucket *b, int depth, hr_error *err)
{
	hr_bbolt_cursor *c;
	hr_bbolt_kv kv;
	int rc;

	if (depth > HR_BBOLT_MAX_DEPTH)
		return hr_error_set(err, HR_EFORMAT, "%s: buckets nested deeper than %d levels", db->path,
				    HR_BBOLT_MAX_DEPTH);
	if ((rc = cursor_open(&c, db, b, 1, err)) < 0)
		return rc;
	while ((rc = hr_bbolt_cursor_next(c, &kv, err)) == 1) {
		hr_bbolt_bucket sub;
		if (!(kv.flags & HR_BBOLT_BUCKET_LEAF))
			continue;
		if ((rc = bucket_from_value(db, &kv, &sub, err)) < 0)
			break;
		rc = mark_bucket(db, &sub, depth + 1, err);
		hr_bbolt_bucket_release(&sub);
		if (rc < 0)
			break;
	}
	hr_bbolt_cursor_free(c);
	return rc < 0 ? rc : 0;
}

int hr_bbolt_mark_reachable(hr_bbolt *db, hr_error *err)
{
	hr_bbolt_bucket root;

	memset(db->reachable, 0, db->npages / 8 + 1);
	hr_bbolt_root(db, &root);
	return mark_bucket(db, &root, 0, err);
}

int hr_bbolt_page_reachable(const hr_bbolt *db, uint64_t pgid)
{
	if (pgid < 2)
		return 1;
	if (pgid >= db->npages)
		return 0;
	return bit_get(db->reachable, pgid);
}
