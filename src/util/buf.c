/*
 * buf.c — growable byte buffers; see buf.h for the contract.
 *
 * Growth doubles the capacity (at least 64 bytes) so that appending n bytes
 * one at a time costs O(n).  The cap in `max` is checked against the size
 * requested, not the capacity, so a buffer may be allocated a little beyond
 * its cap but never holds more than `max` bytes.
 */
#include "util/buf.h"
#include "util/error.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int hr_buf_grow(hr_buf *b, size_t extra)
{
	size_t need, cap;
	char *p;

	if (extra > SIZE_MAX - b->len - 1)
		return HR_ENOMEM;
	need = b->len + extra + 1;
	if (b->max && need - 1 > b->max)
		return HR_ETOOBIG;
	if (need <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 64;
	while (cap < need) {
		if (cap > SIZE_MAX / 2) {
			cap = need;
			break;
		}
		cap *= 2;
	}
	p = realloc(b->ptr, cap);
	if (!p)
		return HR_ENOMEM;
	b->ptr = p;
	b->cap = cap;
	return 0;
}

int hr_buf_put(hr_buf *b, const void *data, size_t len)
{
	int rc = hr_buf_grow(b, len);

	if (rc)
		return rc;
	if (len)
		memcpy(b->ptr + b->len, data, len);
	b->len += len;
	b->ptr[b->len] = '\0';
	return 0;
}

int hr_buf_puts(hr_buf *b, const char *s)
{
	return hr_buf_put(b, s, strlen(s));
}

int hr_buf_putc(hr_buf *b, char c)
{
	if (b->len + 1 < b->cap) {
		b->ptr[b->len++] = c;
		b->ptr[b->len] = '\0';
		return 0;
	}
	return hr_buf_put(b, &c, 1);
}

int hr_buf_vprintf(hr_buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	int n, rc;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return HR_EINVAL;
	rc = hr_buf_grow(b, (size_t)n);
	if (rc)
		return rc;
	vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

int hr_buf_printf(hr_buf *b, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = hr_buf_vprintf(b, fmt, ap);
	va_end(ap);
	return rc;
}

void hr_buf_clear(hr_buf *b)
{
	b->len = 0;
	if (b->ptr)
		b->ptr[0] = '\0';
}

void hr_buf_truncate(hr_buf *b, size_t len)
{
	if (len < b->len) {
		b->len = len;
		b->ptr[len] = '\0';
	}
}

void hr_buf_free(hr_buf *b)
{
	size_t max = b->max;

	free(b->ptr);
	b->ptr = NULL;
	b->len = b->cap = 0;
	b->max = max;
}

char *hr_buf_detach(hr_buf *b, size_t *len_out)
{
	char *p = b->ptr;

	if (!p) {
		p = malloc(1);
		if (p)
			p[0] = '\0';
	}
	if (len_out)
		*len_out = b->len;
	b->ptr = NULL;
	b->len = b->cap = 0;
	return p;
}

const char *hr_buf_cstr(const hr_buf *b)
{
	return b->ptr ? b->ptr : "";
}
