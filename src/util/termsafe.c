/*
 * termsafe.c — visible escapes for the characters of input text that would
 * steer a terminal (termsafe.h): a walk over the UTF-8 sequences as Go's
 * decoder reads them (util/goutf8.h), the controls among them and every
 * byte that does not start a valid sequence written as an escape: for
 * text, \xNN and \uNNNN; for JSON text, the JSON escape of the same rune.
 */
#include "util/termsafe.h"
#include "util/error.h"
#include "util/goutf8.h"

#include <stdio.h>
#include <string.h>

static int put_escape(hr_buf *out, const char *fmt, unsigned v)
{
	char e[8];
	int n = snprintf(e, sizeof(e), fmt, v);

	return hr_buf_put(out, e, (size_t)n);
}

/* A rune a terminal acts on: C0 but tab and newline, DEL, C1, bidi embeddings/overrides/isolates. */
static int steers(uint32_t r)
{
	return (r < 0x20 && r != '\t' && r != '\n') || (r >= 0x7f && r <= 0x9f) || (r >= 0x202a && r <= 0x202e) ||
	       (r >= 0x2066 && r <= 0x2069);
}

/* Copy s[0..len) to out with each steering rune and each byte outside UTF-8 escaped, for text or for JSON. */
static int put(hr_buf *out, const char *s, size_t len, int json)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, run = 0;
	int rc = 0;

	while (!rc && i < len) {
		uint32_t r;
		size_t n = hr_goutf8_valid_len(p + i, len - i, &r);

		if (n && !steers(r)) {
			i += n;
			continue;
		}
		rc = hr_buf_put(out, s + run, i - run);
		if (json)   /* the same rune; a byte outside UTF-8 as U+FFFD, as Go's encoding/json writes it */
			rc = rc ? rc : put_escape(out, "\\u%04x", n ? (unsigned)r : HR_GOUTF8_RUNE_ERROR);
		else if (!n)   /* the one byte, as \xNN */
			rc = rc ? rc : put_escape(out, "\\x%02x", p[i]);
		else
			rc = rc ? rc : put_escape(out, r < 0x80 ? "\\x%02x" : "\\u%04x", (unsigned)r);
		i += n ? n : 1;
		run = i;
	}
	if (!rc)
		rc = hr_buf_put(out, s + run, len - run);
	return rc ? HR_ENOMEM : 0;
}

int hr_termsafe_put(hr_buf *out, const char *s, size_t len)
{
	return put(out, s, len, 0);
}

int hr_termsafe_json(hr_buf *out, const char *json, size_t len)
{
	return put(out, json, len, 1);
}

const char *hr_termsafe_str(hr_buf *b, const char *s)
{
	hr_buf_clear(b);
	if (hr_termsafe_put(b, s ? s : "", s ? strlen(s) : 0))
		return NULL;
	return hr_buf_cstr(b);
}
