/*
 * archive.c — reader for tar, tar.gz (any libarchive filter) and zip files,
 * first of all Velero backup tarballs.
 *
 * The archive is streamed with libarchive, one entry at a time; nothing is
 * extracted to disk, so entry names are only names: an absolute name or one
 * with ".." components cannot do harm here, it is just reported as
 * suspicious in the record's location and in error messages.  Memory is
 * bounded by one entry (capped at max_object; a bigger entry is one HR_ESKIP
 * and the scan goes on).
 *
 * Which entries are read:
 *  - Velero layout: resources/secrets/[VERSION/]namespaces/NS/NAME.json and
 *    the same under resources/configmaps (VERSION is a folder such as
 *    v1-preferredversion).  Velero 1.1 format writes each object twice, in
 *    the plain and in the preferred-version folder: both are returned (the
 *    index keeps one revision with two sightings).
 *  - Everything else under resources/ and metadata/ (namespaces, the format
 *    version, other kinds) is counted in skipped_other without being read,
 *    unless live objects are asked for (hr_source_opts.live_objects): then
 *    every resources/R/[V/](namespaces/NS|cluster)/NAME.json is read and
 *    handed to hr_kube_object_to_live() too.
 *  - Any other regular entry whose content starts with '{' or '[' is read as
 *    JSON: one object, a kubectl List (its items) or an array of objects.
 *  - A gzip'd entry, or one named *.yaml, *.yml or *.sql, is a dump of its
 *    own (kubectl dumps and pg_dumps tarred up by hand): it is streamed
 *    through an hr_input (gunzipped, capped) to the YAML, JSON or pg_dump
 *    reader its content calls for (hr_detect), whatever its size.  YAML
 *    must look like Kubernetes objects (apiVersion:, no "{{" in its first
 *    4 KiB — a chart's templates are not objects).  A member that fails part way
 *    (bad YAML, gzip cut short) is one HR_ESKIP after its good objects, and
 *    the entries after it are read.
 *    Other entries (binaries, charts' YAML) are counted in skipped_other.
 * Each object goes through hr_kube_object_to_record() with the location
 * "entry PATH" ("entry PATH item N" inside a List, "entry PATH: line N" in
 * a member dump).
 *
 * A truncated or damaged archive yields the records before the damage, then
 * a fatal HR_EFORMAT naming the last good entry.
 *
 * Counting: the reader counts objects (JSON objects examined), records
 * returned, skipped_other (entries not read, objects that are not release
 * records), errors (entries or objects skipped as bad) and progress
 * (bytes_read: compressed bytes of the file consumed so far).
 */
#include "sources/reader.h"
#include "codec/gojson.h"
#include "util/buf.h"

#include <archive.h>
#include <archive_entry.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define AR_BLOCK (64 * 1024)
#define AR_DEFAULT_MAX_ENTRY ((size_t)1 << 30)
#define AR_MAX_BAD_HEADERS 16
#define AR_KEEP_BUF (4 * 1024 * 1024)

enum entry_kind {
	ENTRY_RECORD,           /* Velero secrets/configmaps item: must be JSON */
	ENTRY_SKIP,             /* other Velero content: counted, not read */
	ENTRY_MAYBE_JSON        /* not Velero: read if the content looks like JSON */
};

typedef struct ar_state {
	struct archive *a;
	hr_input *in;           /* gzip'd archives: inflated by hr_input, not libarchive */
	hr_error in_err;
	char *iblock;
	char *path;
	hr_source_stats *stats;
	size_t max_entry;
	int live_objects;       /* read every Velero resource, hand on live objects */
	char *block;

	hr_buf name;            /* current entry name, escaped for messages */
	int suspicious;
	hr_buf where;           /* location text handed to the records */
	uint64_t offset;        /* header position of the current entry */
	hr_buf data;            /* current entry content */
	hr_buf prev;            /* the last parsed entry's content and tree (a reference) */
	json_object *prev_doc;

	unsigned char tail[1024]; /* last bytes of the archive stream (gzip'd archives), for the end check */
	uint64_t streamed;      /* bytes of the archive stream seen through in_read */

	/* a member read as a dump of its own (see above): its stream and reader */
	hr_source_opts opts;
	hr_input *sub_in;
	hr_reader sub;          /* sub.state NULL when no member is open */
	hr_buf sub_name;        /* "ARCHIVE: entry NAME", the member's name in messages */
	size_t head_pos;        /* bytes of s->data (read to sniff) handed to the member's stream so far */
	int sub_failed;         /* libarchive failed under the member's stream: fatal for the archive */

	json_object *doc;       /* parsed content of the current entry */
	json_object *items;     /* the array iterated, or NULL for one object */
	size_t item, nitems;

	int done;
	int bad_headers;
} ar_state;

/* Append `name` to b with non-printable bytes as \xHH. */
static int escape_name(hr_buf *b, const char *name)
{
	int rc = 0;

	for (const unsigned char *c = (const unsigned char *)name; *c && !rc; c++)
		rc = (*c < 0x20 || *c == 0x7f) ? hr_buf_printf(b, "\\x%02x", *c) : hr_buf_putc(b, (char)*c);
	return rc;
}

/* An absolute name, a ".." component, or control characters. */
static int name_suspicious(const char *name)
{
	const char *c;

	if (name[0] == '/')
		return 1;
	for (c = name; *c; c++)
		if ((unsigned char)*c < 0x20)
			return 1;
	for (c = name; (c = strstr(c, "..")); c++)
		if ((c == name || c[-1] == '/' || c[-1] == '\\') && (c[2] == '\0' || c[2] == '/' || c[2] == '\\'))
			return 1;
	return 0;
}

/* Split "a/b/c" into at most max components (pointers into buf, which is modified). */
static size_t split_path(char *buf, char **comp, size_t max)
{
	size_t n = 0;
	char *p = buf;

	/* empty components ("a//b", leading or trailing '/') are skipped */
	while (n < max) {
		while (*p == '/')
			p++;
		if (!*p)
			break;
		comp[n++] = p;
		p += strcspn(p, "/");
		if (*p)
			*p++ = '\0';
	}
	return n;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

static enum entry_kind classify(const char *name, int live)
{
	char buf[1024], *comp[8];
	size_t n;

	while (name[0] == '.' && name[1] == '/')
		name += 2;
	if (!strncmp(name, "metadata/", 9))
		return ENTRY_SKIP;
	if (strncmp(name, "resources/", 10))
		return ENTRY_MAYBE_JSON;
	if (strlen(name) >= sizeof(buf))
		return ENTRY_SKIP;
	memcpy(buf, name, strlen(name) + 1);
	n = split_path(buf, comp, 8);
	/*
	 * With live objects asked for, every resource kind is read, also
	 * cluster-scoped ones: resources/R/[V/]cluster/NAME.json.
	 */
	if (live && n == 4 && !strcmp(comp[2], "cluster") && ends_with(comp[3], ".json"))
		return ENTRY_RECORD;
	if (live && n == 5 && !strcmp(comp[3], "cluster") && ends_with(comp[4], ".json"))
		return ENTRY_RECORD;
	/* resources/R/[V/]namespaces/NS/NAME.json */
	if (n < 5 || (!live && strcmp(comp[1], "secrets") && strcmp(comp[1], "configmaps")))
		return ENTRY_SKIP;
	if (n == 5 && !strcmp(comp[2], "namespaces") && ends_with(comp[4], ".json"))
		return ENTRY_RECORD;
	if (n == 6 && !strcmp(comp[3], "namespaces") && ends_with(comp[5], ".json"))
		return ENTRY_RECORD;
	return ENTRY_SKIP;
}

static void drop_doc(ar_state *s)
{
	if (s->doc)
		json_object_put(s->doc);
	s->doc = s->items = NULL;
	s->item = s->nitems = 0;
}

/* A fatal archive error: no more entries after this. */
static int fail(ar_state *s, hr_error *err, const char *what)
{
	const char *why = archive_error_string(s->a);

	s->done = 1;
	if (s->name.len)
		return hr_error_set(err, HR_EFORMAT, "%s: entry %s: %s: %s (the archive is truncated or damaged)",
				    s->path, s->name.ptr, what, why ? why : "unknown error");
	return hr_error_set(err, HR_EFORMAT, "%s: %s: %s (not a readable tar or zip archive)",
			    s->path, what, why ? why : "unknown error");
}

static int skip_entry(ar_state *s, hr_error *err)
{
	if (archive_read_data_skip(s->a) == ARCHIVE_FATAL)
		return fail(s, err, "cannot skip data");
	return 0;
}

/* An entry not JSON that may be a dump of its own: gzip'd, or named like a YAML or SQL file. */
static int member_candidate(const ar_state *s)
{
	const unsigned char *d = (const unsigned char *)s->data.ptr;
	const char *n = s->name.ptr;

	return (s->data.len >= 2 && d[0] == 0x1f && d[1] == 0x8b) || ends_with(n, ".yaml") || ends_with(n, ".yml") ||
	       ends_with(n, ".sql");
}

/*
 * Read the current entry's data into s->data (capped).  For ENTRY_MAYBE_JSON
 * stop after the first block when the content does not look like JSON and
 * return 0 with *json = 0 (the entry skipped), or *json = 2 when it may be
 * a dump of its own (member_candidate: s->data holds its first bytes, the
 * rest is unread).  Returns 0, HR_ESKIP (too big), or a fatal code.
 */
static int read_data(ar_state *s, enum entry_kind kind, int *json, hr_error *err)
{
	int sniffed = kind != ENTRY_MAYBE_JSON;
	int rc;

	*json = 1;
	hr_buf_clear(&s->data);
	s->data.max = s->max_entry;
	for (;;) {
		la_ssize_t n = archive_read_data(s->a, s->block, AR_BLOCK);

		if (n == 0)
			break;
		if (n < 0) {
			if (n == ARCHIVE_FATAL)
				return fail(s, err, "cannot read data");
			if ((rc = skip_entry(s, err)) < 0)
				return rc;
			return hr_error_set(err, HR_ESKIP, "%s: entry %s: %s", s->path, s->name.ptr,
					    archive_error_string(s->a) ? archive_error_string(s->a) : "read error");
		}
		rc = hr_buf_put(&s->data, s->block, (size_t)n);
		if (rc == HR_ETOOBIG) {
			hr_buf_clear(&s->data);
			if ((rc = skip_entry(s, err)) < 0)
				return rc;
			return hr_error_set(err, HR_ESKIP, "%s: entry %s: larger than the %zu-byte object limit, skipped",
					    s->path, s->name.ptr, s->max_entry);
		}
		if (rc < 0)
			return hr_error_set(err, rc, "%s: entry %s: out of memory", s->path, s->name.ptr);
		if (!sniffed) {
			const char *c = s->data.ptr, *end = c + s->data.len;

			while (c < end && isspace((unsigned char)*c))
				c++;
			if (c == end)
				continue;       /* only blanks so far */
			sniffed = 1;
			if (*c != '{' && *c != '[') {
				*json = member_candidate(s) ? 2 : 0;
				return *json ? 0 : skip_entry(s, err);
			}
		}
	}
	if (!sniffed)
		*json = 0;
	return 0;
}

/*
 * Parse s->data as one JSON text into *out; HR_ESKIP if bad.  The strict
 * parser of codec/gojson (RFC 8259, as Go wrote the entry; strings are
 * scanned a word at a time, which matters here: the reader thread is the
 * tarball's critical path, and an entry is mostly one long base64 string).
 */
static int parse_json(ar_state *s, json_object **out, hr_error *err)
{
	hr_error e = HR_ERROR_INIT;
	int rc = hr_gojson_parse(out, s->data.ptr, s->data.len, &e);

	if (rc == HR_ENOMEM)
		return hr_error_set(err, HR_ENOMEM, "%s: entry %s: out of memory", s->path, s->name.ptr);
	if (rc)
		return hr_error_set(err, HR_ESKIP, "%s: entry %s: invalid JSON: %s", s->path, s->name.ptr,
				    e.msg + (strncmp(e.msg, "json: ", 6) ? 0 : 6));
	if (!*out)
		return hr_error_set(err, HR_ESKIP, "%s: entry %s: invalid JSON: null, not an object", s->path,
				    s->name.ptr);
	return 0;
}

/* Parse s->data, or share the previous (small) entry's tree when the bytes are the same:
 * Velero's preferred-version copy follows each object.  A parsed tree is never changed. */
static int parse_entry(ar_state *s, hr_error *err)
{
	json_object *doc = NULL, *items;
	int rc = 0;

	if (s->prev_doc && s->data.len == s->prev.len && !memcmp(s->data.ptr, s->prev.ptr, s->data.len)) {
		doc = json_object_get(s->prev_doc);
	} else {
		json_object_put(s->prev_doc);
		s->prev_doc = NULL;
		if ((rc = parse_json(s, &doc, err)) == 0 && s->data.len <= AR_KEEP_BUF) {
			hr_buf t = s->prev;     /* keep the content; data reuses prev's memory */

			s->prev = s->data;
			s->data = t;
			s->prev_doc = json_object_get(doc);
		}
	}
	if (s->data.cap > AR_KEEP_BUF)
		hr_buf_free(&s->data);  /* do not hold a rare big entry's memory */
	if (rc < 0)
		return rc;
	s->doc = doc;
	if (json_object_is_type(doc, json_type_array)) {
		s->items = doc;
	} else if (json_object_is_type(doc, json_type_object) &&
		   json_object_object_get_ex(doc, "items", &items) &&
		   json_object_is_type(items, json_type_array)) {
		s->items = items;       /* a kubectl List */
	}
	s->nitems = s->items ? json_object_array_length(s->items) : 1;
	s->item = 0;
	return 0;
}

static int check_end(ar_state *s, hr_error *err);

/* The member's stream: first the bytes read to sniff it, then the rest of the entry. */
static long member_read(void *ctx, void *buf, size_t len, hr_error *err)
{
	ar_state *s = ctx;
	la_ssize_t n;

	if (s->head_pos < s->data.len) {
		size_t k = s->data.len - s->head_pos;

		if (k > len)
			k = len;
		memcpy(buf, s->data.ptr + s->head_pos, k);
		s->head_pos += k;
		return (long)k;
	}
	n = archive_read_data(s->a, buf, len);
	s->stats->bytes_read = s->in ? hr_input_raw_consumed(s->in) : (uint64_t)archive_filter_bytes(s->a, -1);
	if (n >= 0)
		return (long)n;
	s->sub_failed = n == ARCHIVE_FATAL;
	if (s->sub_failed)
		return fail(s, err, "cannot read data");
	return hr_error_set(err, HR_EIO, "%s: entry %s: %s", s->path, s->name.ptr,
			    archive_error_string(s->a) ? archive_error_string(s->a) : "read error");
}

static void member_close(ar_state *s)
{
	if (s->sub.state)
		s->sub.close(s->sub.state);
	s->sub.state = NULL;
	hr_input_close(s->sub_in);
	s->sub_in = NULL;
	hr_buf_clear(&s->data);
	s->head_pos = 0;
}

/*
 * YAML that holds Kubernetes objects, not a chart's templates or values: an
 * `apiVersion:` key and no template action in its first bytes (`kind:` may
 * come only after a long `data:`, kubectl sorts the keys).
 */
static int kube_yaml_head(const char *h, size_t n)
{
	return memmem(h, n, "apiVersion:", 11) && !memmem(h, n, "{{", 2);
}

/*
 * Open the current entry (a member_candidate, its first bytes in s->data)
 * as a dump of its own.  1 with s->sub open, 0 when its content is no dump
 * (the entry is skipped), HR_ESKIP when it cannot be read, or a fatal code.
 */
static int member_open(ar_state *s, hr_error *err)
{
	char head[4096];
	long n;
	int rc;

	hr_buf_clear(&s->sub_name);
	if (hr_buf_printf(&s->sub_name, "%s: entry %s", s->path, s->name.ptr) < 0)
		return hr_error_set(err, HR_ENOMEM, "%s: out of memory", s->path);
	s->head_pos = 0;
	s->sub_failed = 0;
	rc = hr_input_open_fn(&s->sub_in, s->sub_name.ptr, member_read, s, 0, err);  /* hr_input's inflate cap */
	if (!rc && (n = hr_input_peek(s->sub_in, head, sizeof(head), err)) < 0)
		rc = (int)n;
	if (!rc) {
		switch (hr_detect((const unsigned char *)head, (size_t)n)) {
		case HR_SRC_YAML:
			rc = kube_yaml_head(head, (size_t)n) ? hr_reader_yaml_open(&s->sub, s->sub_in, &s->opts, s->stats, err) : 1;
			break;
		case HR_SRC_JSON:
			rc = hr_reader_json_open(&s->sub, s->sub_in, &s->opts, s->stats, err);
			break;
		case HR_SRC_PGDUMP:
			rc = hr_reader_pgdump_open(&s->sub, s->sub_in, &s->opts, s->stats, err);
			break;
		default:
			rc = 1;         /* not a dump */
			break;
		}
		if (rc == 0)
			return 1;
		if (rc == 1) {
			member_close(s);
			return skip_entry(s, err);
		}
	}
	member_close(s);
	if (s->sub_failed || rc == HR_ENOMEM)
		return rc;
	{
		hr_error e = HR_ERROR_INIT;
		int skip = skip_entry(s, &e);

		if (skip < 0) {
			*err = e;
			return skip;
		}
	}
	err->code = HR_ESKIP;
	return HR_ESKIP;
}

/*
 * The next record of the open member: 1 (a record, its place rewritten to
 * "entry NAME: line N" of the archive), HR_ESKIP (a bad object, or the
 * member failed part way: it is closed and the archive read on), 0 at its
 * end (closed), or a fatal code when the archive itself cannot be read on.
 */
static int member_next(ar_state *s, hr_record **out, hr_error *err)
{
	hr_record *r;
	int rc = s->sub.next(s->sub.state, out, err);

	if (rc == HR_ESKIP)
		return rc;
	if (rc == 1) {
		hr_buf loc = HR_BUF_INIT;
		char *path;

		r = *out;
		path = strdup(s->path);
		if (!path || hr_buf_printf(&loc, "entry %s%s%s", s->name.ptr, r->location ? ": " : "",
					   r->location ? r->location : "") < 0) {
			hr_buf_free(&loc);
			free(path);
			hr_record_free(r);
			*out = NULL;
			return hr_error_set(err, HR_ENOMEM, "%s: out of memory", s->path);
		}
		free(r->location);
		free(r->source_path);
		r->location = hr_buf_detach(&loc, NULL);
		r->source_path = path;
		r->offset = s->offset;
		return 1;
	}
	member_close(s);
	if (rc == 0 || s->sub_failed || rc == HR_ENOMEM)
		return rc;
	{
		hr_error e = HR_ERROR_INIT;
		int skip = skip_entry(s, &e);

		if (skip < 0) {
			*err = e;
			return skip;
		}
	}
	s->stats->errors++;
	err->code = HR_ESKIP;
	return HR_ESKIP;
}

/*
 * Move to the next entry that yields JSON.  Returns 1 with s->doc set, 0 at
 * the end, HR_ESKIP for a bad entry, or a fatal code.
 */
static int next_entry(ar_state *s, hr_error *err)
{
	for (;;) {
		struct archive_entry *ent;
		enum entry_kind kind;
		const char *name;
		int r, rc, json;

		r = archive_read_next_header(s->a, &ent);
		if (r == ARCHIVE_EOF) {
			s->done = 1;
			return check_end(s, err);
		}
		if (r == ARCHIVE_FATAL)
			return fail(s, err, s->name.len ? "cannot read the next header" : "cannot read the first header");
		if (r < ARCHIVE_WARN) {         /* ARCHIVE_FAILED / RETRY: this header only */
			if (++s->bad_headers > AR_MAX_BAD_HEADERS)
				return fail(s, err, "too many bad headers");
			return hr_error_set(err, HR_ESKIP, "%s: after entry %s: bad header: %s", s->path,
					    s->name.len ? s->name.ptr : "(none)",
					    archive_error_string(s->a) ? archive_error_string(s->a) : "unknown");
		}
		s->bad_headers = 0;
		name = archive_entry_pathname(ent);
		if (!name)
			name = archive_entry_pathname_utf8(ent);
		if (!name)
			name = "";
		hr_buf_clear(&s->name);
		hr_buf_clear(&s->where);
		s->suspicious = name_suspicious(name);
		if ((rc = escape_name(&s->name, name)) < 0 ||
		    (s->suspicious && (rc = hr_buf_puts(&s->name, " (suspicious name)")) < 0) ||
		    (rc = hr_buf_printf(&s->where, "entry %s", s->name.ptr)) < 0)
			return hr_error_set(err, rc, "%s: out of memory", s->path);
		s->offset = (uint64_t)archive_read_header_position(s->a);

		if (archive_entry_filetype(ent) == AE_IFDIR)
			continue;
		kind = archive_entry_filetype(ent) == AE_IFREG ? classify(name, s->live_objects) : ENTRY_SKIP;
		if (kind == ENTRY_SKIP) {
			s->stats->skipped_other++;
			continue;       /* libarchive skips unread data itself */
		}
		if (archive_entry_size_is_set(ent) && archive_entry_size(ent) >= 0 &&
		    (uint64_t)archive_entry_size(ent) > s->max_entry) {
			return hr_error_set(err, HR_ESKIP, "%s: entry %s: %" PRId64 " bytes, over the %zu-byte object limit, skipped",
					    s->path, s->name.ptr, (int64_t)archive_entry_size(ent), s->max_entry);
		}
		if ((rc = read_data(s, kind, &json, err)) < 0)
			return rc;
		if (json == 2 && (rc = member_open(s, err)) != 0)
			return rc;      /* a member open, HR_ESKIP, or fatal */
		if (!json || json == 2) {
			s->stats->skipped_other++;
			continue;
		}
		rc = parse_entry(s, err);
		return rc < 0 ? rc : 1;
	}
}

static int ar_next(void *state, hr_record **out, hr_error *err)
{
	ar_state *s = state;
	int rc;

	*out = NULL;
	for (;;) {
		if (s->sub.state && (rc = member_next(s, out, err)) != 0)
			return rc;
		while (s->doc && s->item < s->nitems) {
			size_t i = s->item++, base = s->where.len;
			json_object *obj = s->items ? json_object_array_get_idx(s->items, i) : s->doc;

			if (s->items && (rc = hr_buf_printf(&s->where, " item %zu", i)) < 0)
				return hr_error_set(err, rc, "%s: out of memory", s->path);
			s->stats->objects++;
			rc = hr_kube_object_to_record(out, obj, s->path, s->where.ptr, s->offset, s->stats, err);
			hr_buf_truncate(&s->where, base);
			if (rc == 1)
				s->stats->records++;
			else if (rc == HR_ESKIP)
				s->stats->errors++;
			else if (rc == 0 && s->live_objects)
				rc = hr_kube_object_to_live(out, obj, s->path, s->where.ptr, s->offset, err);
			if (rc != 0)
				return rc;      /* a record, a bad object, or fatal */
		}
		drop_doc(s);
		if (s->done)
			return 0;
		rc = next_entry(s, err);
		s->stats->bytes_read = s->in ? hr_input_raw_consumed(s->in) : (uint64_t)archive_filter_bytes(s->a, -1);
		if (rc == HR_ESKIP)
			s->stats->errors++;
		if (rc <= 0)
			return rc;
	}
}

static void ar_close(void *state)
{
	ar_state *s = state;

	if (!s)
		return;
	drop_doc(s);
	member_close(s);
	hr_buf_free(&s->sub_name);
	if (s->a)
		archive_read_free(s->a);
	hr_input_close(s->in);
	free(s->iblock);
	hr_buf_free(&s->name);
	hr_buf_free(&s->where);
	hr_buf_free(&s->data);
	hr_buf_free(&s->prev);
	json_object_put(s->prev_doc);
	free(s->block);
	free(s->path);
	free(s);
}

/* Remember the last sizeof(s->tail) bytes of the archive stream. */
static void keep_tail(ar_state *s, const unsigned char *p, size_t n)
{
	size_t keep = sizeof(s->tail);

	if (n >= keep) {
		memcpy(s->tail, p + n - keep, keep);
	} else {
		memmove(s->tail, s->tail + n, keep - n);
		memcpy(s->tail + keep - n, p, n);
	}
	s->streamed += n;
}

/*
 * At libarchive's end of the archive: a tar ends with two 512-byte blocks
 * of zeros (POSIX), and a gzip'd archive with the gzip trailer.  libarchive
 * stops at the end blocks without reading on, and takes a tar that simply
 * ends between two entries as complete; this says when either is missing.
 * Returns 0, or HR_ESKIP with a warning naming the last complete entry.
 */
/*
 * A warning that the archive was cut short: the records before it are
 * kept, and the input stays incomplete (stats->cut), to be read again.
 */
static int cut_short(ar_state *s, int rc)
{
	s->stats->cut++;
	return rc;
}

static int check_end(ar_state *s, hr_error *err)
{
	const char *last = s->name.len ? s->name.ptr : "(none)";
	int tar = (archive_format(s->a) & ARCHIVE_FORMAT_BASE_MASK) == ARCHIVE_FORMAT_TAR;
	unsigned char tail[sizeof(s->tail)];
	size_t have = 0;
	uint64_t total = 0;     /* length of the tar stream: always a multiple of 512 */

	if (s->in) {
		long n;

		/* Read what libarchive left: the rest of the tar padding, then the gzip trailer. */
		while ((n = hr_input_read(s->in, s->iblock, AR_BLOCK, &s->in_err)) > 0)
			keep_tail(s, (const unsigned char *)s->iblock, (size_t)n);
		if (n < 0)
			return cut_short(s, hr_error_set(err, HR_ESKIP, "%s: the archive looks truncated; last complete entry: %s",
					    s->in_err.msg, last));  /* in_err names the file */
		memcpy(tail, s->tail, sizeof(tail));
		have = s->streamed < sizeof(tail) ? (size_t)s->streamed : sizeof(tail);
		memmove(tail, tail + sizeof(tail) - have, have);
		total = s->streamed;
	} else if (tar) {
		FILE *f = fopen(s->path, "rb");
		off_t end;

		if (f && fseeko(f, 0, SEEK_END) == 0 && (end = ftello(f)) >= 0) {
			total = (uint64_t)end;
			if (fseeko(f, -(off_t)sizeof(tail), SEEK_END) == 0)
				have = fread(tail, 1, sizeof(tail), f);
		}
		if (f)
			fclose(f);
	}
	if (!tar)
		return 0;
	for (size_t i = 0; i < have; i++)
		if (tail[i])
			have = 0;
	if (have < sizeof(tail) || total % 512)
		return cut_short(s, hr_error_set(err, HR_ESKIP, "%s: the tar archive ends without its end-of-archive blocks: "
				    "it looks truncated; last complete entry: %s", s->path, last));
	return 0;
}

/* libarchive read callback over hr_input (gzip'd archives). */
static la_ssize_t in_read(struct archive *a, void *data, const void **buf)
{
	ar_state *s = data;
	long n = hr_input_read(s->in, s->iblock, AR_BLOCK, &s->in_err);

	if (n < 0) {
		archive_set_error(a, EIO, "%s", s->in_err.msg);
		return -1;
	}
	keep_tail(s, (const unsigned char *)s->iblock, (size_t)n);
	*buf = s->iblock;
	return n;
}

/*
 * Start libarchive on the file.  A gzip'd file is inflated by hr_input and
 * fed to libarchive: libarchive's own gzip filter drops the last block it was
 * inflating when the input is cut, which would lose the entries just before
 * the damage; hr_input hands over every byte it could inflate.  Returns 0,
 * 1 when libarchive cannot start (its error string says why), or HR_ENOMEM.
 */
static int start(ar_state *s, hr_error *err)
{
	hr_error e = HR_ERROR_INIT;

	if (hr_input_open(&s->in, s->path, 0, &e) == 0 && hr_input_is_gzip(s->in)) {
		if (!(s->iblock = malloc(AR_BLOCK)))
			return hr_error_set(err, HR_ENOMEM, "%s: out of memory", s->path);
		return archive_read_open(s->a, s, NULL, in_read, NULL) == ARCHIVE_OK ? 0 : 1;
	}
	hr_input_close(s->in);
	s->in = NULL;
	return archive_read_open_filename(s->a, s->path, AR_BLOCK) == ARCHIVE_OK ? 0 : 1;
}

int hr_reader_archive_open(hr_reader *r, const char *path, const hr_source_opts *o, hr_source_stats *stats, hr_error *err)
{
	ar_state *s = calloc(1, sizeof(*s));
	int rc;

	if (!s || !(s->block = malloc(AR_BLOCK)) || !(s->path = strdup(path)) || !(s->a = archive_read_new())) {
		rc = hr_error_set(err, HR_ENOMEM, "%s: out of memory", path);
		goto fail;
	}
	s->stats = stats;
	if (o)
		s->opts = *o;
	s->opts.exclude = NULL;
	s->opts.nexclude = 0;
	s->opts.encryption_config = NULL;
	s->max_entry = o && o->max_object ? o->max_object : AR_DEFAULT_MAX_ENTRY;
	s->live_objects = o && o->live_objects;
	archive_read_support_filter_all(s->a);
	archive_read_support_format_tar(s->a);
	archive_read_support_format_gnutar(s->a);
	archive_read_support_format_zip(s->a);
	if ((rc = start(s, err)) < 0)
		goto fail;
	if (rc > 0) {
		const char *why = archive_error_string(s->a) ? archive_error_string(s->a) : "cannot open";
		FILE *f = fopen(path, "rb");     /* tell an unreadable file from a bad format */

		if (!f) {
			rc = hr_error_set(err, HR_EIO, "%s: %s", path, strerror(errno));
		} else {
			fclose(f);
			rc = hr_error_set(err, HR_EFORMAT, "%s: %s (not a readable tar or zip archive)", path, why);
		}
		goto fail;
	}
	*r = (hr_reader){ "archive", s, ar_next, ar_close };
	return 0;
fail:
	ar_close(s);
	return rc;
}
