/*
 * termsafe.c — visible escapes for the characters of input text that would
 * steer a terminal (termsafe.h): a byte scan, with the two- and three-byte
 * UTF-8 forms of the C1 and bidi controls recognised; invalid UTF-8 is
 * copied as is (it cannot form an escape sequence by itself).
 */
#include "util/termsafe.h"
#include "util/error.h"

#include <stdio.h>
#include <string.h>

static int put_escape(hr_buf *out, const char *fmt, unsigned v)
{
	char e[8];
	int n = snprintf(e, sizeof(e), fmt, v);

	return hr_buf_put(out, e, (size_t)n);
}

int hr_termsafe_put(hr_buf *out, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, run = 0;
	int rc = 0;

	while (!rc && i < len) {
		unsigned c = p[i], cp = 0;
		size_t n = 0;

		if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f) {
			cp = c;
			n = 1;
		} else if (c == 0xc2 && i + 1 < len && p[i + 1] >= 0x80 && p[i + 1] <= 0x9f) {
			cp = p[i + 1];
			n = 2;
		} else if (c == 0xe2 && i + 2 < len && ((p[i + 1] == 0x80 && p[i + 2] >= 0xaa && p[i + 2] <= 0xae) ||
							(p[i + 1] == 0x81 && p[i + 2] >= 0xa6 && p[i + 2] <= 0xa9))) {
			cp = 0x2000 | ((p[i + 1] & 0x3fu) << 6) | (p[i + 2] & 0x3fu);
			n = 3;
		}
		if (!n) {
			i++;
			continue;
		}
		rc = hr_buf_put(out, s + run, i - run);
		rc = rc ? rc : put_escape(out, cp < 0x80 ? "\\x%02x" : "\\u%04x", cp);
		i += n;
		run = i;
	}
	if (!rc)
		rc = hr_buf_put(out, s + run, len - run);
	return rc ? HR_ENOMEM : 0;
}

const char *hr_termsafe_str(hr_buf *b, const char *s)
{
	hr_buf_clear(b);
	if (hr_termsafe_put(b, s ? s : "", s ? strlen(s) : 0))
		return NULL;
	return hr_buf_cstr(b);
}
