/*
 * fileio.c — write an output file so that readers see either the old file
 * or the complete new one, never a part: a temporary file in the target's
 * directory (mode 0600: outputs hold credentials), everything written,
 * fsync, then renamed over the target.  Whole buffers (hr_file_write_atomic)
 * or in pieces (hr_atomic_open / _write / _commit / _abort).
 */
#include "util/fileio.h"
#include "util/buf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int hr_atomic_open(hr_atomic_file *f, const char *path, hr_error *err)
{
	hr_buf tmp = HR_BUF_INIT;
	int rc;

	f->fd = -1;
	f->tmp = f->path = NULL;
	if ((rc = hr_buf_printf(&tmp, "%s.tmpXXXXXX", path)) || !(f->path = strdup(path))) {
		rc = hr_error_set(err, HR_ENOMEM, "out of memory");
		goto out;
	}
	if ((f->fd = mkstemp(tmp.ptr)) < 0) {
		rc = hr_error_set(err, HR_EIO, "%s: cannot create temporary file: %s", path, strerror(errno));
		goto out;
	}
	f->tmp = tmp.ptr;
	tmp.ptr = NULL;
out:
	if (rc) {
		free(f->path);
		f->path = NULL;
	}
	hr_buf_free(&tmp);
	return rc;
}

int hr_fd_write_all(int fd, const void *data, size_t len, const char *name, hr_error *err)
{
	const char *p = data;

	while (len) {
		ssize_t w = write(fd, p, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return hr_error_set(err, HR_EIO, "%s: write failed: %s", name, strerror(errno));
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

int hr_atomic_write(hr_atomic_file *f, const void *data, size_t len, hr_error *err)
{
	/* Errors name the destination: the temporary file is removed by abort. */
	return hr_fd_write_all(f->fd, data, len, f->path, err);
}

int hr_atomic_commit(hr_atomic_file *f, hr_error *err)
{
	int fd = f->fd;

	if (fsync(fd) < 0)
		return hr_error_set(err, HR_EIO, "%s: fsync failed: %s", f->path, strerror(errno));
	f->fd = -1;
	if (close(fd) < 0)
		return hr_error_set(err, HR_EIO, "%s: close failed: %s", f->path, strerror(errno));
	if (rename(f->tmp, f->path) < 0)
		return hr_error_set(err, HR_EIO, "%s: cannot rename %s into place: %s", f->path, f->tmp,
				    strerror(errno));
	free(f->tmp);
	free(f->path);
	f->tmp = f->path = NULL;
	return 0;
}

void hr_atomic_abort(hr_atomic_file *f)
{
	if (f->fd >= 0)
		close(f->fd);
	if (f->tmp)
		unlink(f->tmp);
	free(f->tmp);
	free(f->path);
	f->fd = -1;
	f->tmp = f->path = NULL;
}

int hr_file_write_atomic(const char *path, const void *data, size_t len, hr_error *err)
{
	hr_atomic_file f = HR_ATOMIC_FILE_INIT;
	int rc;

	if ((rc = hr_atomic_open(&f, path, err)))
		return rc;
	if (!(rc = hr_atomic_write(&f, data, len, err)))
		rc = hr_atomic_commit(&f, err);
	hr_atomic_abort(&f);
	return rc;
}
