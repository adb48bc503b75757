/*
 * error.h — error values for libhelmrec.
 *
 * Every library function that can fail returns 0 on success or a negative
 * HR_E* code, and fills the caller's `hr_error` (which may be NULL) with a
 * message that names what failed: the file, the object (namespace/name) and
 * a byte offset or YAML line where known.  There is no global error state:
 * the scan is multi-threaded, so each thread passes its own hr_error.
 *
 * Messages follow git's style: lower case, no trailing period, most
 * specific context first ("testdata/x.yaml: line 12: secret shop/foo: ...").
 */
#ifndef HR_UTIL_ERROR_H
#define HR_UTIL_ERROR_H

#include <stdarg.h>
#include <stddef.h>

enum {
	HR_OK = 0,
	HR_ENOMEM = -1,       /* allocation failed or a size overflowed */
	HR_EIO = -2,          /* read/write/open failure (errno text in message) */
	HR_EFORMAT = -3,      /* input is malformed: bad base64, bad gzip, bad YAML... */
	HR_ETOOBIG = -4,      /* a configured cap was exceeded (decompression, object size) */
	HR_ENOTFOUND = -5,    /* release / revision / file not found */
	HR_EINVAL = -6,       /* bad argument or usage */
	HR_EUNSUPPORTED = -7, /* recognised but not supported (Helm 2, chunked...) */
	HR_EDB = -8,          /* SQLite error */
	HR_ECONFLICT = -9,    /* two different payloads for one revision */
	HR_ECRYPTO = -10,     /* decryption failed (wrong key, bad tag) */
	HR_ESKIP = -11        /* this record is bad; the stream can go on */
};

#define HR_ERROR_MSG_MAX 1024

typedef struct hr_error {
	int code;                      /* last HR_E* code, 0 if none */
	char msg[HR_ERROR_MSG_MAX];    /* NUL-terminated message */
} hr_error;

#define HR_ERROR_INIT { 0, { 0 } }

/*
 * Set `err` (if not NULL) to `code` and the printf-style message; returns
 * `code` so that callers can write `return hr_error_set(err, HR_EFORMAT, ...)`.
 */
int hr_error_set(hr_error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Prefix the message already in `err` with more context ("file: " ...),
 * keeping the code.  Returns err->code (or `code` when err is NULL).
 */
int hr_error_prefix(hr_error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Reset to "no error". */
void hr_error_clear(hr_error *err);

/* Short name of a code, e.g. "format error". Static storage. */
const char *hr_error_name(int code);

#endif
