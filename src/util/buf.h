/*
 * buf.h — growable byte buffers (after git's strbuf and curl's dynbuf).
 *
 * An hr_buf owns `ptr`; `len` bytes are used, `cap` allocated.  `ptr` is
 * always NUL-terminated once anything was added (ptr[len] == 0), so text
 * can be passed to C string functions; the content may hold NULs too.
 * All size arithmetic is overflow-checked; every function returns 0 or
 * HR_ENOMEM.  An hr_buf may also carry a cap on its size (`max`, 0 = none):
 * growth past it returns HR_ETOOBIG, which is how decompression is bounded.
 *
 * Ownership: free with hr_buf_free(); hr_buf_detach() hands the memory to
 * the caller (free with free()).
 */
#ifndef HR_UTIL_BUF_H
#define HR_UTIL_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct hr_buf {
	char *ptr;
	size_t len;
	size_t cap;
	size_t max;  /* 0 = unbounded, else growth beyond max fails with HR_ETOOBIG */
} hr_buf;

#define HR_BUF_INIT { NULL, 0, 0, 0 }

/* Make room for `extra` more bytes (plus the NUL). */
int hr_buf_grow(hr_buf *b, size_t extra);
int hr_buf_put(hr_buf *b, const void *data, size_t len);
int hr_buf_puts(hr_buf *b, const char *s);
int hr_buf_putc(hr_buf *b, char c);
int hr_buf_printf(hr_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int hr_buf_vprintf(hr_buf *b, const char *fmt, va_list ap);
/* Set len to 0, keeping the allocation. */
void hr_buf_clear(hr_buf *b);
/* Shrink to `len` bytes (len <= b->len). */
void hr_buf_truncate(hr_buf *b, size_t len);
/* Release the memory; the buffer is reusable afterwards (HR_BUF_INIT state). */
void hr_buf_free(hr_buf *b);
/* Return the content (never NULL: an empty buffer yields ""); caller frees. */
char *hr_buf_detach(hr_buf *b, size_t *len_out);
/* Return a C string view, "" for an empty buffer. Borrowed. */
const char *hr_buf_cstr(const hr_buf *b);

#endif
