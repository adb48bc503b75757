/*
 * fileio.h — safe file output.
 */
#ifndef HR_UTIL_FILEIO_H
#define HR_UTIL_FILEIO_H

#include <stddef.h>
#include "util/error.h"

/*
 * Write `len` bytes to `path` atomically: a temporary file next to it
 * (mode 0600), fsync'd and renamed over `path`.  On failure nothing is left
 * behind and `path` is untouched.
 */
int hr_file_write_atomic(const char *path, const void *data, size_t len, hr_error *err);

#endif
