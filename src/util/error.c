/*
 * error.c — hr_error helpers: set, prefix with context, reset.
 */
#include "util/error.h"

#include <stdio.h>
#include <string.h>

int hr_error_set(hr_error *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return code;
	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return code;
}

int hr_error_prefix(hr_error *err, int code, const char *fmt, ...)
{
	char prefix[HR_ERROR_MSG_MAX], old[HR_ERROR_MSG_MAX];
	va_list ap;

	if (!err)
		return code;
	if (!err->code)
		err->code = code;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	memcpy(old, err->msg, sizeof(old));
	size_t plen = strnlen(prefix, sizeof(err->msg) - 1);
	memcpy(err->msg, prefix, plen);
	size_t olen = strnlen(old, sizeof(err->msg) - 1 - plen);
	memcpy(err->msg + plen, old, olen);
	err->msg[plen + olen] = '\0';
	return err->code;
}

void hr_error_clear(hr_error *err)
{
	if (err) {
		err->code = 0;
		err->msg[0] = '\0';
	}
}

const char *hr_error_name(int code)
{
	switch (code) {
	case HR_OK: return "ok";
	case HR_ENOMEM: return "out of memory";
	case HR_EIO: return "i/o error";
	case HR_EFORMAT: return "format error";
	case HR_ETOOBIG: return "too big";
	case HR_ENOTFOUND: return "not found";
	case HR_EINVAL: return "invalid argument";
	case HR_EUNSUPPORTED: return "unsupported";
	case HR_EDB: return "index error";
	case HR_ECONFLICT: return "conflict";
	case HR_ECRYPTO: return "decryption error";
	case HR_ESKIP: return "skipped";
	default: return "error";
	}
}
