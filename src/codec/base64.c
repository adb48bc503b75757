/*
 * base64.c — standard base64 (RFC 4648 alphabet, '=' padding) as Go's
 * encoding/base64.StdEncoding reads and writes it.
 *
 * The decoder is table driven: a fast loop takes four alphabet characters
 * at a time and falls back to a careful per-character path only near line
 * breaks, padding or an error.  Like Go, it skips '\r' and '\n' anywhere,
 * accepts non-zero trailing bits (StdEncoding is not Strict), requires the
 * padding to complete the last quantum, and rejects anything after it.
 * Errors give the byte offset of the offending character in the input.
 */
#include "codec/codec.h"

#include <stdint.h>
#include <string.h>

static const char b64_alphabet[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/*
 * The decoder's tables, built at compile time from the alphabet: B64V(c)
 * is character c's value (0..63) or -1.
 */
#define B64V(c) ((c) >= 'A' && (c) <= 'Z' ? (c) - 'A' : (c) >= 'a' && (c) <= 'z' ? (c) - 'a' + 26 : \
		 (c) >= '0' && (c) <= '9' ? (c) - '0' + 52 : (c) == '+' ? 62 : (c) == '/' ? 63 : -1)
#define ROW(W, r) W(r), W(r + 1), W(r + 2), W(r + 3), W(r + 4), W(r + 5), W(r + 6), W(r + 7), \
		  W(r + 8), W(r + 9), W(r + 10), W(r + 11), W(r + 12), W(r + 13), W(r + 14), W(r + 15)
#define TABLE(W) { ROW(W, 0), ROW(W, 16), ROW(W, 32), ROW(W, 48), ROW(W, 64), ROW(W, 80), ROW(W, 96), \
		   ROW(W, 112), ROW(W, 128), ROW(W, 144), ROW(W, 160), ROW(W, 176), ROW(W, 192),      \
		   ROW(W, 208), ROW(W, 224), ROW(W, 240) }

/* 0..63 for alphabet characters; the markers below for everything else. */
#define B64_BAD 0xff
#define B64_PAD 0xfe
#define B64_NL  0xfd
#define T(c) (B64V(c) >= 0 ? B64V(c) : (c) == '\n' || (c) == '\r' ? B64_NL : (c) == '=' ? B64_PAD : B64_BAD)

static const uint8_t b64_table[256] = TABLE(T);

/*
 * The fast loop's tables (little-endian machines): each alphabet character
 * already shifted to its bits of the three output bytes, so a quantum is
 * d0[a] | d1[b] | d2[c] | d3[d], stored as one 4-byte word of which three
 * bytes count.  Anything else carries B64W_BAD (bit 24, above them).
 */
#define B64W_BAD 0x01000000u
#define W0(c) (B64V(c) < 0 ? B64W_BAD : (uint32_t)B64V(c) << 2)
#define W1(c) (B64V(c) < 0 ? B64W_BAD : (uint32_t)B64V(c) >> 4 | ((uint32_t)B64V(c) & 15) << 12)
#define W2(c) (B64V(c) < 0 ? B64W_BAD : ((uint32_t)B64V(c) >> 2) << 8 | ((uint32_t)B64V(c) & 3) << 22)
#define W3(c) (B64V(c) < 0 ? B64W_BAD : (uint32_t)B64V(c) << 16)
static const uint32_t b64_w[4][256] = { TABLE(W0), TABLE(W1), TABLE(W2), TABLE(W3) };
#undef TABLE
#undef ROW

int hr_base64_encode(hr_buf *out, const void *data, size_t len)
{
	const unsigned char *p = data;
	size_t groups = len / 3 + (len % 3 != 0), i;
	char *o;
	int rc;

	if (groups > (SIZE_MAX - 1) / 4)
		return HR_ENOMEM;
	rc = hr_buf_grow(out, groups * 4);
	if (rc)
		return rc;
	o = out->ptr + out->len;
	for (i = 0; i + 3 <= len; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];

		*o++ = b64_alphabet[v >> 18];
		*o++ = b64_alphabet[(v >> 12) & 63];
		*o++ = b64_alphabet[(v >> 6) & 63];
		*o++ = b64_alphabet[v & 63];
	}
	if (len - i == 1) {
		uint32_t v = (uint32_t)p[i] << 16;

		*o++ = b64_alphabet[v >> 18];
		*o++ = b64_alphabet[(v >> 12) & 63];
		*o++ = '=';
		*o++ = '=';
	} else if (len - i == 2) {
		uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8;

		*o++ = b64_alphabet[v >> 18];
		*o++ = b64_alphabet[(v >> 12) & 63];
		*o++ = b64_alphabet[(v >> 6) & 63];
		*o++ = '=';
	}
	out->len = (size_t)(o - out->ptr);
	out->ptr[out->len] = '\0';
	return 0;
}

/* Describe the byte at `off` for an error message. */
static int bad_char(hr_error *err, const char *in, size_t off)
{
	unsigned char c = (unsigned char)in[off];

	if (c >= 0x20 && c < 0x7f)
		return hr_error_set(err, HR_EFORMAT,
				    "bad base64 at byte %zu: unexpected character '%c'", off, c);
	return hr_error_set(err, HR_EFORMAT,
			    "bad base64 at byte %zu: unexpected byte 0x%02x", off, c);
}

/* Record an error and leave through the cleanup label. */
#define FAIL(expr) do { rc = (expr); goto fail; } while (0)

int hr_base64_decode(hr_buf *out, const char *in, size_t len, hr_error *err)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t i = 0, start = out->len;
	unsigned char *o;
	uint32_t q[4];
	size_t qoff[4];
	int nq = 0, rc;

	/* Upper bound on the output: 3 bytes per 4 characters. */
	rc = hr_buf_grow(out, len / 4 * 3 + 3);
	if (rc)
		return hr_error_set(err, rc, "base64: cannot allocate %zu bytes", len / 4 * 3 + 3);
	o = (unsigned char *)out->ptr + out->len;

	while (i < len) {
		/* Fast path: whole quanta of alphabet characters. */
		if (nq == 0) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
			/* two quanta a turn, each stored as a word (one byte of slack:
			 * the output was grown by 3 more than the data needs) */
			while (i + 8 <= len) {
				uint32_t x = b64_w[0][s[i]] | b64_w[1][s[i + 1]] | b64_w[2][s[i + 2]] | b64_w[3][s[i + 3]];
				uint32_t y = b64_w[0][s[i + 4]] | b64_w[1][s[i + 5]] | b64_w[2][s[i + 6]] |
					     b64_w[3][s[i + 7]];

				if ((x | y) & B64W_BAD)
					break;
				memcpy(o, &x, 4);
				memcpy(o + 3, &y, 4);
				o += 6;
				i += 8;
			}
#endif
			while (i + 4 <= len) {
				uint8_t a = b64_table[s[i]], b = b64_table[s[i + 1]];
				uint8_t c = b64_table[s[i + 2]], d = b64_table[s[i + 3]];

				if ((a | b | c | d) & 0xc0)
					break;
				uint32_t v = (uint32_t)a << 18 | (uint32_t)b << 12 |
					     (uint32_t)c << 6 | d;
				o[0] = (unsigned char)(v >> 16);
				o[1] = (unsigned char)(v >> 8);
				o[2] = (unsigned char)v;
				o += 3;
				i += 4;
			}
			if (i >= len)
				break;
		}
		uint8_t t = b64_table[s[i]];

		if (t == B64_NL) {
			i++;
			continue;
		}
		if (t == B64_BAD)
			FAIL(bad_char(err, in, i));
		if (t == B64_PAD) {
			/* '=' may only end a quantum of 2 or 3 characters. */
			size_t j;

			if (nq < 2)
				FAIL(hr_error_set(err, HR_EFORMAT,
						    "bad base64 at byte %zu: misplaced padding '='", i));
			if (nq == 2) {
				/* a second '=' must follow (newlines allowed between) */
				for (j = i + 1; j < len && b64_table[s[j]] == B64_NL; j++)
					;
				if (j >= len)
					FAIL(hr_error_set(err, HR_EFORMAT,
							    "bad base64 at byte %zu: incomplete padding (expected '==')", i));
				if (b64_table[s[j]] != B64_PAD)
					FAIL(bad_char(err, in, j));
				i = j;
				*o++ = (unsigned char)(q[0] << 2 | q[1] >> 4);
			} else {
				*o++ = (unsigned char)(q[0] << 2 | q[1] >> 4);
				*o++ = (unsigned char)(q[1] << 4 | q[2] >> 2);
			}
			nq = 0;
			/* only line breaks may follow the padding */
			for (j = i + 1; j < len; j++)
				if (b64_table[s[j]] != B64_NL)
					FAIL(hr_error_set(err, HR_EFORMAT,
							    "bad base64 at byte %zu: data after padding", j));
			i = len;
			break;
		}
		q[nq] = t;
		qoff[nq] = i;
		nq++;
		i++;
		if (nq == 4) {
			uint32_t v = q[0] << 18 | q[1] << 12 | q[2] << 6 | q[3];

			o[0] = (unsigned char)(v >> 16);
			o[1] = (unsigned char)(v >> 8);
			o[2] = (unsigned char)v;
			o += 3;
			nq = 0;
		}
	}
	if (nq != 0)
		FAIL(hr_error_set(err, HR_EFORMAT,
				    "bad base64 at byte %zu: input ends inside a quantum (truncated or missing padding)",
				    qoff[0]));
	out->len = (size_t)((char *)o - out->ptr);
	out->ptr[out->len] = '\0';
	return 0;
fail:
	out->len = start;
	out->ptr[start] = '\0';
	return rc;
}
