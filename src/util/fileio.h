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

/*
 * Write all `len` bytes to `fd`, again after EINTR or a short write: 0, or
 * HR_EIO "<name>: write failed: <why>".
 */
int hr_fd_write_all(int fd, const void *data, size_t len, const char *name, hr_error *err);

/*
 * The same, written in pieces (an output too large to hold in memory, such
 * as the HTML report): open creates the temporary file (mode 0600) next to
 * `path`; write appends; commit fsyncs, closes and renames it over `path`;
 * abort (also after a failed write or commit; a no-op on a committed or
 * never-opened file) closes and removes the temporary file.  Each returns 0
 * or HR_ENOMEM / HR_EIO with the file named in `err`.
 */
typedef struct hr_atomic_file {
	int fd;          /* -1 when not open */
	char *tmp;       /* temporary file path (owned) */
	char *path;      /* target path (owned) */
} hr_atomic_file;

#define HR_ATOMIC_FILE_INIT { -1, NULL, NULL }

int hr_atomic_open(hr_atomic_file *f, const char *path, hr_error *err);
int hr_atomic_write(hr_atomic_file *f, const void *data, size_t len, hr_error *err);
int hr_atomic_commit(hr_atomic_file *f, hr_error *err);
void hr_atomic_abort(hr_atomic_file *f);

#endif
