/*
 * goutf8.c — the one UTF-8 decoder and encoder of helmrec, written to Go's
 * unicode/utf8 (the "accept ranges" of utf8.DecodeRune: the second byte of
 * E0, ED, F0 and F4 sequences is narrowed so overlongs, surrogates and
 * runes above U+10FFFF are invalid).  Callers that must match Go's JSON,
 * YAML or table output byte for byte decode through here.
 */
#include "util/goutf8.h"

/* The lead bytes of multi-byte sequences: their length and the bits they carry. */
static const struct {
	unsigned char first, last, len, mask;
} leads[] = {
	{ 0xC2, 0xDF, 2, 0x1F },
	{ 0xE0, 0xEF, 3, 0x0F },
	{ 0xF0, 0xF4, 4, 0x07 },
};

/* Go's acceptRanges: the lead bytes whose second byte is narrowed from 80..BF. */
static const struct {
	unsigned char lead, lo, hi;
} narrowed[] = {
	{ 0xE0, 0xA0, 0xBF },  /* overlong */
	{ 0xED, 0x80, 0x9F },  /* surrogates */
	{ 0xF0, 0x90, 0xBF },  /* overlong */
	{ 0xF4, 0x80, 0x8F },  /* above U+10FFFF */
};

size_t hr_goutf8_valid_len(const void *s, size_t n, uint32_t *r)
{
	const unsigned char *p = s;
	unsigned char c, lo = 0x80, hi = 0xBF;
	size_t len, k, i;
	uint32_t v;

	*r = HR_GOUTF8_RUNE_ERROR;
	if (!n)
		return 0;
	c = p[0];
	if (c < 0x80) {
		*r = c;
		return 1;
	}
	for (i = 0; i < sizeof(leads) / sizeof(leads[0]) && (c < leads[i].first || c > leads[i].last); i++)
		;
	if (i == sizeof(leads) / sizeof(leads[0]))
		return 0;
	len = leads[i].len;
	v = c & leads[i].mask;
	for (i = 0; i < sizeof(narrowed) / sizeof(narrowed[0]); i++)
		if (narrowed[i].lead == c) {
			lo = narrowed[i].lo;
			hi = narrowed[i].hi;
		}
	if (n < len || p[1] < lo || p[1] > hi)
		return 0;
	v = v << 6 | (p[1] & 0x3Fu);
	for (k = 2; k < len; k++) {
		if (p[k] < 0x80 || p[k] > 0xBF)
			return 0;
		v = v << 6 | (p[k] & 0x3Fu);
	}
	*r = v;
	return len;
}

size_t hr_goutf8_decode(const void *s, size_t n, uint32_t *r)
{
	size_t w = hr_goutf8_valid_len(s, n, r);

	return w ? w : n ? 1 : 0;
}

int hr_goutf8_valid(const void *s, size_t n)
{
	const unsigned char *p = s;
	size_t i = 0, w;
	uint32_t r;

	while (i < n) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		w = hr_goutf8_valid_len(p + i, n - i, &r);
		if (!w)
			return 0;
		i += w;
	}
	return 1;
}

size_t hr_goutf8_encode(char out[4], uint32_t r)
{
	if (r < 0x80) {
		out[0] = (char)r;
		return 1;
	}
	if (r < 0x800) {
		out[0] = (char)(0xC0 | r >> 6);
		out[1] = (char)(0x80 | (r & 0x3F));
		return 2;
	}
	if ((r >= 0xD800 && r <= 0xDFFF) || r > 0x10FFFF)
		r = HR_GOUTF8_RUNE_ERROR;
	if (r < 0x10000) {
		out[0] = (char)(0xE0 | r >> 12);
		out[1] = (char)(0x80 | ((r >> 6) & 0x3F));
		out[2] = (char)(0x80 | (r & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | r >> 18);
	out[1] = (char)(0x80 | ((r >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((r >> 6) & 0x3F));
	out[3] = (char)(0x80 | (r & 0x3F));
	return 4;
}

int hr_goutf8_put_rune(hr_buf *out, uint32_t r)
{
	char u[4];
	size_t w = hr_goutf8_encode(u, r);

	return hr_buf_put(out, u, w);
}

int hr_goutf8_put_fixed(hr_buf *out, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, start = 0, w;
	uint32_t r;
	int rc = 0;

	while (!rc && i < n) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		w = hr_goutf8_valid_len(p + i, n - i, &r);
		if (w) {
			i += w;
			continue;
		}
		rc = hr_buf_put(out, s + start, i - start);
		rc = rc ? rc : hr_buf_put(out, "\xEF\xBF\xBD", 3);
		start = ++i;
	}
	return rc ? rc : hr_buf_put(out, s + start, i - start);
}
