/*
 * fileio.c — write an output file so that readers see either the old file
 * or the complete new one, never a part: a temporary file in the target's
 * directory (mode 0600: outputs hold credentials), everything written,
 * fsync, then renamed over the target.
 */
#include "util/fileio.h"
#include "util/buf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int hr_file_write_atomic(const char *path, const void *data, size_t len, hr_error *err)
{
	hr_buf tmp = HR_BUF_INIT;
	const char *p = data;
	int fd = -1, rc;

	if ((rc = hr_buf_printf(&tmp, "%s.tmpXXXXXX", path)))
		return hr_error_set(err, rc, "out of memory");
	fd = mkstemp(tmp.ptr);
	if (fd < 0) {
		rc = hr_error_set(err, HR_EIO, "%s: cannot create temporary file: %s", path, strerror(errno));
		goto out;
	}
	while (len) {
		ssize_t w = write(fd, p, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			rc = hr_error_set(err, HR_EIO, "%s: write failed: %s", tmp.ptr, strerror(errno));
			goto fail;
		}
		p += w;
		len -= (size_t)w;
	}
	if (fsync(fd) < 0) {
		rc = hr_error_set(err, HR_EIO, "%s: fsync failed: %s", tmp.ptr, strerror(errno));
		goto fail;
	}
	if (close(fd) < 0) {
		fd = -1;
		rc = hr_error_set(err, HR_EIO, "%s: close failed: %s", tmp.ptr, strerror(errno));
		goto fail;
	}
	fd = -1;
	if (rename(tmp.ptr, path) < 0) {
		rc = hr_error_set(err, HR_EIO, "%s: cannot rename %s into place: %s", path, tmp.ptr, strerror(errno));
		goto fail;
	}
	goto out;
fail:
	if (fd >= 0)
		close(fd);
	unlink(tmp.ptr);
out:
	hr_buf_free(&tmp);
	return rc;
}
