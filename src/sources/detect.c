/*
 * detect.c — decide what an input is from its first bytes, never its name.
 *
 * source.c peeks at up to 4 KiB of a file (already gunzipped by hr_input
 * when it was gzip'd) and asks hr_detect() which reader to use.  Binary
 * formats are recognised by their magic numbers (tar, zip, SQLite, bbolt);
 * text formats by their first significant characters: a pg_dump script, a
 * JSON document, a bare Helm payload, an array of release JSON (the memory
 * driver's data), and YAML as the fallback for text.
 * Binary content that matches nothing is HR_SRC_UNKNOWN.
 */
#include "sources/reader.h"

#include <string.h>

static int has_prefix(const unsigned char *h, size_t n, const char *p)
{
	size_t l = strlen(p);

	return n >= l && !memcmp(h, p, l);
}

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* bbolt page 0: page header flags 0x04 (meta) at 8, meta magic at 16, version 2 at 20. */
static int is_bbolt(const unsigned char *h, size_t n)
{
	return n >= 24 && h[8] == 0x04 && h[9] == 0 && le32(h + 16) == 0xED0CDAEDu && le32(h + 20) == 2;
}

static int is_tar(const unsigned char *h, size_t n)
{
	return n >= 262 && !memcmp(h + 257, "ustar", 5);
}

/* Text has no NUL or C0 control bytes other than tab, CR, LF (and FF/ESC are not expected either). */
static int is_text(const unsigned char *h, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((h[i] < 0x20 && h[i] != '\t' && h[i] != '\n' && h[i] != '\r') || h[i] == 0x7f)
			return 0;
	return 1;
}

static int is_b64(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '+' || c == '/' || c == '=';
}

/* A bare Helm payload: one base64 token (Helm string, or k8s base64 of it, or base64 JSON). */
static int is_bare_b64(const unsigned char *h, size_t n)
{
	size_t i;

	if (!has_prefix(h, n, "H4sI") && !has_prefix(h, n, "SDRzSU") && !has_prefix(h, n, "eyJ"))
		return 0;
	for (i = 0; i < n && is_b64(h[i]); i++)
		;
	if (i == n)
		return 1;
	/* Only whitespace may follow the token (and then nothing else in the head). */
	for (; i < n; i++)
		if (h[i] != '\n' && h[i] != '\r' && h[i] != ' ' && h[i] != '\t')
			return 0;
	return 1;
}

static int contains(const unsigned char *h, size_t n, const char *s)
{
	return memmem(h, n, s, strlen(s)) != NULL;
}

hr_source_kind hr_detect(const unsigned char *head, size_t n)
{
	const unsigned char *h = head;

	if (!n)
		return HR_SRC_UNKNOWN;
	if (is_bbolt(h, n))
		return HR_SRC_ETCD;
	if (has_prefix(h, n, "SQLite format 3") && n >= 16 && h[15] == 0)
		return HR_SRC_KINE;
	if (has_prefix(h, n, "PK\3\4") || has_prefix(h, n, "PK\5\6"))
		return HR_SRC_ARCHIVE;
	if (is_tar(h, n))
		return HR_SRC_ARCHIVE;
	if (!is_text(h, n))
		return HR_SRC_UNKNOWN;
	if (has_prefix(h, n, "\xef\xbb\xbf")) {
		h += 3;
		n -= 3;
	}
	if (has_prefix(h, n, "--\n-- PostgreSQL database dump") ||
	    has_prefix(h, n, "--\r\n-- PostgreSQL database dump") ||
	    contains(h, n, "COPY public.releases_v1 ") || contains(h, n, "INSERT INTO public.releases_v1 ") ||
	    contains(h, n, "\nCREATE TABLE IF NOT EXISTS releases_v1 (") || contains(h, n, "\nINSERT INTO releases_v1 ("))
		return HR_SRC_PGDUMP;   /* pg_dump, or `helmrec export --driver sql` (the schema comes first) */
	while (n && (*h == ' ' || *h == '\t' || *h == '\r' || *h == '\n')) {
		h++;
		n--;
	}
	if (!n)
		return HR_SRC_YAML;  /* only whitespace: an empty YAML stream */
	if (has_prefix(h, n, "{\"name\":\"") && contains(h, n, "\",\"info\":{\""))
		return HR_SRC_BARE;  /* a release JSON as Helm writes it (compact, name then info) */
	if (*h == '[' && has_prefix(h + 1, n - 1, "{\"name\":\"") && contains(h, n, "\",\"info\":{\""))
		return HR_SRC_MEMORY;   /* an array of release JSON: Helm's memory driver data (helmrec export) */
	if (*h == '{' || *h == '[')
		return HR_SRC_JSON;
	if (is_bare_b64(h, n))
		return HR_SRC_BARE;
	return HR_SRC_YAML;
}
