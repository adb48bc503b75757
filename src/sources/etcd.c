/*
 * etcd.c — the etcd reader: every Helm record in every surviving MVCC
 * revision of an etcd v3 backend file (an `etcdctl snapshot save` file or a
 * raw member/snap/db), including values of keys that were later deleted.
 *
 * The `key` bucket maps revisions (8-byte main BE, '_', 8-byte sub BE,
 * optional 't' for a tombstone) to mvccpb.KeyValue messages, in revision
 * order.  The reader walks it twice: the first walk reads only the etcd key
 * of each revision and works out, per key, which value is the newest
 * (live), which are older (historical) and which was the last one before a
 * tombstone (deleted); the second walk decodes values one at a time as
 * next() is called, so memory holds one value plus one small entry per
 * revision.  With opts->carve, unreachable leaf pages that still hold
 * revisions of the key bucket are read afterwards (HR_STATE_CARVED).
 */
#include "sources/reader.h"
#include "util/array.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "sources/bbolt.h"
#include "sources/dsvalue.h"
#include "sources/encryption.h"
#include "sources/k8sproto.h"

typedef struct rev_ent {
	uint64_t main, sub;
	int32_t keyid;          /* -1: not a Secret/ConfigMap key, or unreadable */
	uint8_t tomb;
	uint8_t bad;            /* revision key or KeyValue malformed */
	uint8_t state;          /* hr_sighting_state */
	uint64_t deleted_at;    /* tombstone revision that ended this value's key generation */
} rev_ent;

typedef struct etcd_state {
	char *path;
	hr_bbolt *db;
	hr_bbolt_bucket keyb;
	hr_bbolt_cursor *cur;
	hr_enc_config *enc;
	hr_source_stats *stats;
	int carve;
	rev_ent *ent;
	size_t nent, pos;
	char **keys;            /* interned etcd keys, by keyid */
	size_t nkeys, capkeys;
	int32_t *hash;          /* open addressing over keys, -1 = empty */
	size_t hcap;
	hr_buf scratch;
	int trailer_bad;        /* report once */
	/* carving */
	int carving;
	uint64_t carve_next;    /* next page to look at */
	hr_bbolt_cursor *ccur;
	uint64_t ccur_page;
	uint64_t *carved;       /* carved revisions as sorted (main, sub) pairs */
	size_t ncarved, capcarved;  /* capcarved counts uint64_t (two per pair) */
} etcd_state;

static uint64_t be64(const unsigned char *p)
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

/* Parse a revision key; 0 on success. */
static int parse_rev(const unsigned char *k, size_t n, uint64_t *main, uint64_t *sub, int *tomb)
{
	if ((n != 17 && n != 18) || k[8] != '_' || (n == 18 && k[17] != 't'))
		return -1;
	*main = be64(k);
	*sub = be64(k + 9);
	*tomb = n == 18;
	return 0;
}

static uint64_t fnv(const unsigned char *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 0x100000001b3ull;
	return h;
}

/* Intern an etcd key; returns its id or HR_ENOMEM. */
static int32_t intern(etcd_state *s, const unsigned char *k, size_t n)
{
	if (s->nkeys * 2 >= s->hcap) {
		size_t ncap = s->hcap ? s->hcap * 2 : 256;
		int32_t *nh = malloc(ncap * sizeof(*nh));
		if (!nh)
			return HR_ENOMEM;
		for (size_t i = 0; i < ncap; i++)
			nh[i] = -1;
		for (size_t i = 0; i < s->nkeys; i++) {
			size_t j = fnv((unsigned char *)s->keys[i], strlen(s->keys[i])) & (ncap - 1);
			while (nh[j] >= 0)
				j = (j + 1) & (ncap - 1);
			nh[j] = (int32_t)i;
		}
		free(s->hash);
		s->hash = nh;
		s->hcap = ncap;
	}
	size_t j = fnv(k, n) & (s->hcap - 1);
	for (; s->hash[j] >= 0; j = (j + 1) & (s->hcap - 1)) {
		const char *e = s->keys[s->hash[j]];
		if (strlen(e) == n && !memcmp(e, k, n))
			return s->hash[j];
	}
	if (s->nkeys >= INT32_MAX)
		return HR_ENOMEM;
	if (HR_ARRAY_GROW(s->keys, s->nkeys + 1, s->capkeys))
		return HR_ENOMEM;
	char **nk = s->keys;
	if (!(nk[s->nkeys] = malloc(n + 1)))
		return HR_ENOMEM;
	memcpy(nk[s->nkeys], k, n);
	nk[s->nkeys][n] = 0;
	s->hash[j] = (int32_t)s->nkeys;
	return (int32_t)s->nkeys++;
}

static int read_meta_rev(etcd_state *s, const hr_bbolt_bucket *meta, const char *name, int64_t *out, hr_error *err)
{
	unsigned char *v;
	size_t n;
	int rc;

	*out = 0;
	if ((rc = hr_bbolt_get(s->db, meta, name, strlen(name), &v, &n, err)) <= 0)
		return rc;
	if (n >= 8)
		*out = (int64_t)be64(v);
	free(v);
	return 0;
}

static int load_compaction(etcd_state *s, hr_error *err)
{
	hr_bbolt_bucket root, meta = HR_BBOLT_BUCKET_INIT;
	int64_t sched = 0, fin = 0;
	int rc;

	hr_bbolt_root(s->db, &root);
	if ((rc = hr_bbolt_bucket_open(s->db, &root, "meta", 4, &meta, err)) <= 0)
		return rc;
	if ((rc = read_meta_rev(s, &meta, "scheduledCompactRev", &sched, err)) == 0)
		rc = read_meta_rev(s, &meta, "finishedCompactRev", &fin, err);
	hr_bbolt_bucket_release(&meta);
	/* An interrupted compaction (scheduled > finished) may already have removed revisions up to `sched`. */
	s->stats->compact_revision = sched > fin ? sched : fin;
	return rc;
}

/* First walk: one rev_ent per revision, then the state of each. */
static int index_revisions(etcd_state *s, hr_error *err)
{
	hr_bbolt_cursor *c = NULL;
	hr_bbolt_kv kv;
	size_t cap = 0;
	int32_t *next = NULL;
	int rc;

	if ((rc = hr_bbolt_cursor_open(&c, s->db, &s->keyb, err)) < 0)
		return rc;
	while ((rc = hr_bbolt_cursor_next(c, &kv, err)) == 1) {
		rev_ent e = { 0 };
		hr_mvcc_kv m;
		int tomb = 0;
		if (HR_ARRAY_GROW(s->ent, s->nent + 1, cap)) {
			rc = hr_error_set(err, HR_ENOMEM, "%s: out of memory", s->path);
			goto out;
		}
		e.keyid = -1;
		if ((kv.flags & HR_BBOLT_BUCKET_LEAF) || parse_rev(kv.key, kv.klen, &e.main, &e.sub, &tomb) < 0 ||
		    hr_mvcc_kv_decode(&m, kv.val, kv.vlen, NULL) < 0) {
			e.bad = 1;
		} else {
			e.tomb = (uint8_t)tomb;
			if (e.main > (uint64_t)s->stats->head_revision && e.main <= INT64_MAX)
				s->stats->head_revision = (int64_t)e.main;
			if (hr_ds_key_kind(m.key, m.klen) != HR_DSKEY_OTHER) {
				if ((e.keyid = intern(s, m.key, m.klen)) < 0) {
					rc = hr_error_set(err, HR_ENOMEM, "%s: out of memory", s->path);
					goto out;
				}
				if (tomb)
					s->stats->tombstones++;
			}
		}
		s->ent[s->nent++] = e;
	}
	if (rc < 0)
		goto out;
	if (s->stats->compact_revision > s->stats->head_revision)
		s->stats->head_revision = s->stats->compact_revision;
	/* States, newest first: the first value seen per key is live unless a tombstone follows it. */
	if (!(next = malloc((s->nkeys + 1) * sizeof(*next)))) {
		rc = hr_error_set(err, HR_ENOMEM, "%s: out of memory", s->path);
		goto out;
	}
	for (size_t i = 0; i < s->nkeys; i++)
		next[i] = -1;
	for (size_t i = s->nent; i-- > 0;) {
		rev_ent *e = &s->ent[i];
		if (e->keyid < 0)
			continue;
		int32_t n = next[e->keyid];
		if (!e->tomb) {
			if (n < 0) {
				e->state = HR_STATE_LIVE;
			} else if (s->ent[n].tomb) {
				e->state = HR_STATE_DELETED;
				e->deleted_at = s->ent[n].main;
			} else {
				e->state = HR_STATE_HISTORICAL;
				e->deleted_at = s->ent[n].main;  /* superseded at */
			}
		}
		next[e->keyid] = (int32_t)i;
	}
	rc = 0;
out:
	free(next);
	hr_bbolt_cursor_free(c);
	return rc;
}

static void etcd_close(void *state)
{
	etcd_state *s = state;

	if (!s)
		return;
	hr_bbolt_cursor_free(s->cur);
	hr_bbolt_cursor_free(s->ccur);
	hr_bbolt_bucket_release(&s->keyb);
	hr_bbolt_close(s->db);
	hr_enc_config_free(s->enc);
	for (size_t i = 0; i < s->nkeys; i++)
		free(s->keys[i]);
	free(s->keys);
	free(s->hash);
	free(s->ent);
	free(s->carved);
	hr_buf_free(&s->scratch);
	free(s->path);
	free(s);
}

/* Decode one KeyValue into a record with provenance; same contract as next(). */
static int make_record(etcd_state *s, hr_record **out, const hr_bbolt_kv *kv, uint64_t main,
		       hr_sighting_state state, uint64_t deleted_at, hr_error *err)
{
	hr_mvcc_kv m;
	hr_record *r = NULL;
	hr_buf loc = HR_BUF_INIT;
	char *key = NULL;
	int rc;

	*out = NULL;
	if ((rc = hr_mvcc_kv_decode(&m, kv->val, kv->vlen, err)) < 0) {
		s->stats->errors++;
		hr_error_prefix(err, HR_ESKIP, "%s: revision %" PRIu64 " at offset %" PRIu64 ": KeyValue: ",
				s->path, main, kv->val_offset);
		return HR_ESKIP;
	}
	if (!(key = malloc(m.klen + 1)))
		return hr_error_set(err, HR_ENOMEM, "%s: out of memory", s->path);
	memcpy(key, m.key, m.klen);
	key[m.klen] = 0;
	s->stats->objects++;
	rc = hr_ds_value_to_record(&r, key, m.value, m.vlen, s->enc, &s->scratch, s->stats, err);
	if (rc == HR_ESKIP) {
		s->stats->errors++;
		hr_error_prefix(err, HR_ESKIP, "%s: key %s rev %" PRIu64 ": ", s->path, key, main);
		goto out;
	}
	if (rc <= 0)
		goto out;
	r->state = state;
	r->ds_revision = m.mod_revision ? m.mod_revision : (int64_t)main;
	r->ds_create_revision = m.create_revision;
	r->ds_version = m.version;
	if (state == HR_STATE_DELETED || state == HR_STATE_HISTORICAL)
		r->ds_until_revision = (int64_t)deleted_at;
	r->offset = kv->val_offset ? kv->val_offset + m.value_off : 0;
	if (hr_buf_printf(&loc, "key %s rev %" PRIu64, key, main) < 0 ||
	    (state == HR_STATE_DELETED && hr_buf_printf(&loc, " (deleted at rev %" PRIu64 ")", deleted_at) < 0) ||
	    (state == HR_STATE_CARVED && hr_buf_printf(&loc, " (carved from free page %" PRIu64 ")", kv->page) < 0) ||
	    hr_record_set_str(&r->location, hr_buf_cstr(&loc)) < 0 ||
	    hr_record_set_str(&r->source_path, s->path) < 0) {
		rc = hr_error_set(err, HR_ENOMEM, "%s: out of memory", s->path);
		goto out;
	}
	s->stats->records++;
	*out = r;
	r = NULL;
	rc = 1;
out:
	hr_record_free(r);
	hr_buf_free(&loc);
	free(key);
	return rc;
}

static int live_rev(const etcd_state *s, uint64_t main, uint64_t sub, int tomb)
{
	size_t lo = 0, hi = s->nent;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const rev_ent *e = &s->ent[mid];
		if (e->main == main && e->sub == sub && e->tomb == tomb)
			return 1;
		if (e->main < main || (e->main == main && (e->sub < sub || (e->sub == sub && e->tomb < tomb))))
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/* Remember a carved revision; 0 if it was already carved. */
static int carved_add(etcd_state *s, uint64_t main, uint64_t sub)
{
	size_t lo = 0, hi = s->ncarved;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		uint64_t m = s->carved[2 * mid], sb = s->carved[2 * mid + 1];
		if (m == main && sb == sub)
			return 0;
		if (m < main || (m == main && sb < sub))
			lo = mid + 1;
		else
			hi = mid;
	}
	if (HR_ARRAY_GROW(s->carved, (s->ncarved + 1) * 2, s->capcarved))
		return HR_ENOMEM;
	uint64_t *p = s->carved;
	memmove(p + 2 * lo + 2, p + 2 * lo, (s->ncarved - lo) * 2 * sizeof(*p));
	p[2 * lo] = main;
	p[2 * lo + 1] = sub;
	s->ncarved++;
	return 1;
}

/* The carving walk: next record from unreachable leaf pages of the key bucket. */
static int carve_next(etcd_state *s, hr_record **out, hr_error *err)
{
	const hr_bbolt_info *info = hr_bbolt_get_info(s->db);
	hr_bbolt_kv kv;
	int rc;

	for (;;) {
		if (!s->ccur) {
			uint32_t ovf = 0;
			/* Bounded by the file too: a hostile high-water mark must not make this loop endless. */
			if (s->carve_next >= info->pgid || s->carve_next >= info->file_size / info->page_size)
				return 0;
			uint64_t pg = s->carve_next++;
			if (hr_bbolt_page_reachable(s->db, pg))
				continue;
			if ((rc = hr_bbolt_cursor_open_page(&s->ccur, s->db, pg, &ovf, err)) < 0)
				return rc;
			if (rc == 0)
				continue;
			s->carve_next += ovf;
			s->ccur_page = pg;
			s->stats->bytes_read = pg * info->page_size;
		}
		rc = hr_bbolt_cursor_next(s->ccur, &kv, err);
		if (rc <= 0) {
			hr_bbolt_cursor_free(s->ccur);
			s->ccur = NULL;
			if (rc < 0)
				return rc;
			continue;
		}
		uint64_t main, sub;
		int tomb;
		hr_mvcc_kv m;
		if (kv.flags || parse_rev(kv.key, kv.klen, &main, &sub, &tomb) < 0) {
			/* Not a key-bucket leaf: drop the rest of the page. */
			hr_bbolt_cursor_free(s->ccur);
			s->ccur = NULL;
			continue;
		}
		if (tomb || live_rev(s, main, sub, 0) || hr_mvcc_kv_decode(&m, kv.val, kv.vlen, NULL) < 0 ||
		    (uint64_t)m.mod_revision != main || hr_ds_key_kind(m.key, m.klen) == HR_DSKEY_OTHER)
			continue;
		if ((rc = carved_add(s, main, sub)) < 0)
			return hr_error_set(err, HR_ENOMEM, "%s: out of memory", s->path);
		if (rc == 0)
			continue;
		if ((rc = make_record(s, out, &kv, main, HR_STATE_CARVED, 0, err)) != 0)
			return rc;
	}
}

static int etcd_next(void *state, hr_record **out, hr_error *err)
{
	etcd_state *s = state;
	hr_bbolt_kv kv;
	int rc;

	*out = NULL;
	if (s->trailer_bad) {
		s->trailer_bad = 0;
		s->stats->errors++;
		return hr_error_set(err, HR_ESKIP,
				    "%s: warning: the snapshot's SHA-256 trailer does not match its content "
				    "(modified or corrupt file); reading on", s->path);
	}
	while (!s->carving) {
		if ((rc = hr_bbolt_cursor_next(s->cur, &kv, err)) < 0)
			return rc;
		if (rc == 0) {
			s->stats->bytes_read = s->stats->bytes_total;
			if (!s->carve)
				return 0;
			if ((rc = hr_bbolt_mark_reachable(s->db, err)) < 0)
				return rc;
			s->carving = 1;
			s->carve_next = 2;
			break;
		}
		if (s->pos >= s->nent)
			return hr_error_set(err, HR_EFORMAT, "%s: the key bucket changed between two walks", s->path);
		const rev_ent *e = &s->ent[s->pos++];
		s->stats->bytes_read = kv.page * hr_bbolt_get_info(s->db)->page_size;
		if (e->bad) {
			s->stats->errors++;
			return hr_error_set(err, HR_ESKIP,
					    "%s: key bucket entry %zu on page %" PRIu64 ": malformed revision key or KeyValue",
					    s->path, s->pos - 1, kv.page);
		}
		if (e->keyid < 0 || e->tomb)
			continue;
		if ((rc = make_record(s, out, &kv, e->main, (hr_sighting_state)e->state, e->deleted_at, err)) != 0)
			return rc;
	}
	return carve_next(s, out, err);
}

int hr_reader_etcd_open(hr_reader *r, const char *path, const hr_source_opts *o, hr_source_stats *stats,
			hr_error *err)
{
	etcd_state *s = calloc(1, sizeof(*s));
	hr_bbolt_bucket root;
	int rc;

	if (!s || !(s->path = strdup(path))) {
		free(s);
		return hr_error_set(err, HR_ENOMEM, "%s: out of memory", path);
	}
	s->stats = stats;
	s->carve = o && o->carve;
	if ((rc = hr_bbolt_open(&s->db, path, err)) < 0)
		goto fail;
	stats->bytes_total = hr_bbolt_get_info(s->db)->file_size;
	if ((rc = hr_bbolt_verify_trailer(s->db, err)) < 0)
		goto fail;
	s->trailer_bad = hr_bbolt_get_info(s->db)->trailer < 0;
	hr_bbolt_root(s->db, &root);
	if ((rc = hr_bbolt_bucket_open(s->db, &root, "key", 3, &s->keyb, err)) < 0)
		goto fail;
	if (rc == 0) {
		rc = hr_error_set(err, HR_EFORMAT, "%s: bbolt file without a \"key\" bucket: not an etcd v3 backend", path);
		goto fail;
	}
	if ((rc = load_compaction(s, err)) < 0 || (rc = index_revisions(s, err)) < 0)
		goto fail;
	if (o && o->encryption_config && (rc = hr_enc_config_load(&s->enc, o->encryption_config, err)) < 0)
		goto fail;
	if ((rc = hr_bbolt_cursor_open(&s->cur, s->db, &s->keyb, err)) < 0)
		goto fail;
	*r = (hr_reader){ "etcd", s, etcd_next, etcd_close };
	return 0;
fail:
	etcd_close(s);
	return rc;
}
