/*
 * chart_write.c — put a recovered chart on disk, atomically: as a chart
 * directory (filled in a private temporary directory next to the target,
 * then renamed into place) and as a `helm package`-style .tgz (libarchive,
 * written to a temporary file and renamed).  Paths were validated when the
 * chart was built (chart.c); here every directory is still opened with
 * O_NOFOLLOW relative to its parent, so nothing can lead a write outside
 * the temporary directory.
 */
#include "chart/chart.h"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* The process umask, read without leaving it changed. */
static mode_t current_umask(void)
{
	mode_t m = umask(022);

	umask(m);
	return m;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return (flag == FTW_DP ? rmdir(path) : unlink(path)) ? -1 : 0;
}

/* Remove a tree we created (or moved aside); symbolic links are removed, never followed. */
static void rm_tree(const char *path)
{
	nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* Split `path` (trailing slashes ignored) into a malloc'd parent and base name. */
static int split_path(const char *path, char **parent, char **base, hr_error *err)
{
	char *a = strdup(path), *b = strdup(path);
	size_t n;

	*parent = *base = NULL;
	if (!a || !b) {
		free(a);
		free(b);
		return hr_error_set(err, HR_ENOMEM, "out of memory");
	}
	for (n = strlen(a); n > 1 && a[n - 1] == '/'; n--)
		a[n - 1] = b[n - 1] = 0;
	*parent = strdup(dirname(a));
	*base = strdup(basename(b));
	free(a);
	free(b);
	if (!*parent || !*base) {
		free(*parent);
		free(*base);
		*parent = *base = NULL;
		return hr_error_set(err, HR_ENOMEM, "out of memory");
	}
	if (!strcmp(*base, "/") || !strcmp(*base, ".") || !strcmp(*base, "..")) {
		free(*parent);
		free(*base);
		*parent = *base = NULL;
		return hr_error_set(err, HR_EINVAL, "%s: not usable as an output path", path);
	}
	return 0;
}

static int write_all(int fd, const unsigned char *p, size_t len)
{
	while (len) {
		ssize_t w = write(fd, p, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

/* Write one file under the directory `root` (an open fd), creating its parents. */
static int write_one(int root, const hr_chart_file *f, const char *shown, hr_error *err)
{
	char *p = strdup(f->path), *s, *slash;
	int dir = root, fd = -1, r = 0;

	if (!p)
		return hr_error_set(err, HR_ENOMEM, "out of memory");
	for (s = p; (slash = strchr(s, '/')); s = slash + 1) {
		int next;

		*slash = 0;
		if (mkdirat(dir, s, 0755) && errno != EEXIST) {
			r = hr_error_set(err, HR_EIO, "%s/%s: cannot create directory: %s", shown, f->path, strerror(errno));
			goto out;
		}
		next = openat(dir, s, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (next < 0) {
			r = hr_error_set(err, HR_EIO, "%s/%s: cannot open directory: %s", shown, f->path, strerror(errno));
			goto out;
		}
		if (dir != root)
			close(dir);
		dir = next;
	}
	fd = openat(dir, s, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0 || write_all(fd, f->data, f->len)) {
		r = hr_error_set(err, HR_EIO, "%s/%s: cannot write: %s", shown, f->path, strerror(errno));
		goto out;
	}
	if (f->has_mtime) {
		struct timespec ts[2] = { { (time_t)f->mtime, 0 }, { (time_t)f->mtime, 0 } };

		futimens(fd, ts);
	}
	if (close(fd)) {
		fd = -1;
		r = hr_error_set(err, HR_EIO, "%s/%s: cannot write: %s", shown, f->path, strerror(errno));
		goto out;
	}
	fd = -1;
out:
	if (fd >= 0)
		close(fd);
	if (dir != root)
		close(dir);
	free(p);
	return r;
}

/* 1 if `path` is an empty directory, 0 if not empty, -1 on error (errno). */
static int dir_is_empty(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	int empty = 1;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
			empty = 0;
			break;
		}
	closedir(d);
	return empty;
}

/* Does directory `dir` hold a regular file Chart.yaml (so --force may replace it)? */
static int has_chart_yaml(const char *dir)
{
	struct stat st;
	int d = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), ok;

	if (d < 0)
		return 0;
	ok = !fstatat(d, "Chart.yaml", &st, AT_SYMLINK_NOFOLLOW) && S_ISREG(st.st_mode);
	close(d);
	return ok;
}

/* Move the finished temporary directory `tmp` to `dir`, replacing what is there when allowed. */
/* *out = "PARENT/.BASE.TAG-XXXXXX", a template for mkdtemp()/mkstemp(); free it. */
static int temp_template(char **out, const char *parent, const char *base, const char *tag, hr_error *err)
{
	size_t len = strlen(parent) + strlen(base) + strlen(tag) + 12;

	if (!(*out = malloc(len)))
		return hr_error_set(err, HR_ENOMEM, "out of memory");
	snprintf(*out, len, "%s/.%s.%s-XXXXXX", parent, base, tag);
	return 0;
}

static int put_in_place(const char *tmp, const char *dir, const char *parent, const char *base, int force,
			hr_error *err)
{
	struct stat st;
	char *old = NULL;
	int r = 0, empty;

	if (lstat(dir, &st)) {
		if (errno != ENOENT)
			return hr_error_set(err, HR_EIO, "%s: %s", dir, strerror(errno));
		if (rename(tmp, dir))
			return hr_error_set(err, HR_EIO, "%s: cannot create: %s", dir, strerror(errno));
		return 0;
	}
	if (!S_ISDIR(st.st_mode))
		return hr_error_set(err, HR_EINVAL, "%s exists and is not a directory", dir);
	if ((empty = dir_is_empty(dir)) < 0)
		return hr_error_set(err, HR_EIO, "%s: %s", dir, strerror(errno));
	if (!empty && !force)
		return hr_error_set(err, HR_EINVAL, "%s exists and is not empty (use --force to replace it)", dir);
	if (!empty && !has_chart_yaml(dir))
		return hr_error_set(err, HR_EINVAL, "%s is not empty and holds no Chart.yaml: refusing to replace it, "
				    "even with --force", dir);
	/* rename() replaces an empty directory; a full one is swapped out first. */
	if (empty && !rename(tmp, dir))
		return 0;
	if (renameat2(AT_FDCWD, tmp, AT_FDCWD, dir, RENAME_EXCHANGE) == 0) {
		rm_tree(tmp); /* now holds the old content */
		return 0;
	}
	/* No atomic exchange here (filesystem or kernel): move the old tree aside, then rename. */
	if ((r = temp_template(&old, parent, base, "old", err)) < 0)
		return r;
	if (!mkdtemp(old)) {
		r = hr_error_set(err, HR_EIO, "%s: cannot make room for the old directory: %s", dir, strerror(errno));
		goto out;
	}
	if (rename(dir, old)) {
		r = hr_error_set(err, HR_EIO, "%s: cannot move the old directory aside: %s", dir, strerror(errno));
		rmdir(old);
		goto out;
	}
	if (rename(tmp, dir)) {
		r = hr_error_set(err, HR_EIO, "%s: cannot create: %s", dir, strerror(errno));
		rename(old, dir);
		goto out;
	}
	rm_tree(old);
out:
	free(old);
	return r;
}

/*
 * The end both writers share: after a failure (r nonzero) remove the
 * temporary copy at tmp (a directory when is_dir, else a file); free the
 * three paths.  Returns r.
 */
static int finish(int r, char *tmp, int is_dir, char *parent, char *base)
{
	if (r && tmp && is_dir)
		rm_tree(tmp);
	else if (r && tmp)
		unlink(tmp);
	free(tmp);
	free(parent);
	free(base);
	return r;
}

int hr_chart_write_dir(const hr_chart *c, const char *dir, int force, hr_error *err)
{
	char *parent = NULL, *base = NULL, *tmp = NULL;
	int root = -1, r;

	if ((r = split_path(dir, &parent, &base, err)))
		return r;
	if ((r = temp_template(&tmp, parent, base, "tmp", err)) < 0)
		goto out;
	if (!mkdtemp(tmp)) {
		r = hr_error_set(err, HR_EIO, "%s: cannot create a temporary directory in %s: %s", dir, parent,
				 strerror(errno));
		free(tmp);
		tmp = NULL;
		goto out;
	}
	if ((root = open(tmp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
		r = hr_error_set(err, HR_EIO, "%s: %s", tmp, strerror(errno));
		goto out;
	}
	for (size_t i = 0; i < c->nfiles && !r; i++)
		r = write_one(root, &c->files[i], dir, err);
	if (!r && fchmod(root, 0755 & ~current_umask()))
		r = hr_error_set(err, HR_EIO, "%s: %s", tmp, strerror(errno));
	if (!r)
		r = put_in_place(tmp, dir, parent, base, force, err);
out:
	if (root >= 0)
		close(root);
	return finish(r, tmp, 1, parent, base);
}

static int tar_fail(struct archive *a, const char *path, hr_error *err)
{
	const char *m = archive_error_string(a);

	return hr_error_set(err, HR_EIO, "%s: %s", path, m ? m : "archive error");
}

/* Write the entries NAME/<file> of `c` to the open archive `a`. */
static int tar_entries(struct archive *a, const hr_chart *c, const char *path, hr_error *err)
{
	time_t now = time(NULL);
	hr_buf name = HR_BUF_INIT;
	int r = 0;

	for (size_t i = 0; i < c->nfiles && !r; i++) {
		const hr_chart_file *f = &c->files[i];
		struct archive_entry *e = archive_entry_new();
		size_t done = 0;

		hr_buf_clear(&name);
		if (!e || hr_buf_printf(&name, "%s/%s", c->name, f->path)) {
			archive_entry_free(e);
			r = hr_error_set(err, HR_ENOMEM, "out of memory");
			break;
		}
		archive_entry_set_pathname(e, name.ptr);
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_perm(e, 0644);
		archive_entry_set_size(e, (la_int64_t)f->len);
		archive_entry_set_mtime(e, f->has_mtime ? (time_t)f->mtime : now, 0);
		archive_entry_set_uid(e, 0);
		archive_entry_set_gid(e, 0);
		if (archive_write_header(a, e) != ARCHIVE_OK)
			r = tar_fail(a, path, err);
		while (!r && done < f->len) {
			la_ssize_t w = archive_write_data(a, f->data + done, f->len - done);

			if (w <= 0)
				r = tar_fail(a, path, err);
			else
				done += (size_t)w;
		}
		archive_entry_free(e);
	}
	hr_buf_free(&name);
	return r;
}

int hr_chart_write_tgz(const hr_chart *c, const char *path, int force, hr_error *err)
{
	char *parent = NULL, *base = NULL, *tmp = NULL;
	struct archive *a = NULL;
	struct stat st;
	int fd = -1, r;

	if ((r = split_path(path, &parent, &base, err)))
		return r;
	if (!lstat(path, &st) && (!force || !S_ISREG(st.st_mode))) {
		r = hr_error_set(err, HR_EINVAL, S_ISREG(st.st_mode) ? "%s exists (use --force to replace it)"
							      : "%s exists and is not a regular file", path);
		goto out;
	}
	if ((r = temp_template(&tmp, parent, base, "tmp", err)) < 0)
		goto out;
	if ((fd = mkstemp(tmp)) < 0) {
		r = hr_error_set(err, HR_EIO, "%s: cannot create a temporary file in %s: %s", path, parent, strerror(errno));
		free(tmp);
		tmp = NULL;
		goto out;
	}
	if (!(a = archive_write_new())) {
		r = hr_error_set(err, HR_ENOMEM, "out of memory");
		goto out;
	}
	/*
	 * Names are written as the bytes they are (hdrcharset=BINARY), as Go's
	 * archive/tar does: libarchive would convert them through the locale's
	 * charset, refusing anything outside ASCII under the C locale and any
	 * byte outside UTF-8 in every locale.
	 */
	if (archive_write_add_filter_gzip(a) != ARCHIVE_OK || archive_write_set_format_pax_restricted(a) != ARCHIVE_OK ||
	    archive_write_set_format_option(a, "pax", "hdrcharset", "BINARY") != ARCHIVE_OK ||
	    archive_write_open_fd(a, fd) != ARCHIVE_OK) {
		r = tar_fail(a, path, err);
		goto out;
	}
	if ((r = tar_entries(a, c, path, err)))
		goto out;
	if (archive_write_close(a) != ARCHIVE_OK) {
		r = tar_fail(a, path, err);
		goto out;
	}
	if (fchmod(fd, 0644 & ~current_umask()) || close(fd)) {
		fd = -1;
		r = hr_error_set(err, HR_EIO, "%s: %s", path, strerror(errno));
		goto out;
	}
	fd = -1;
	if (rename(tmp, path))
		r = hr_error_set(err, HR_EIO, "%s: cannot create: %s", path, strerror(errno));
out:
	if (a)
		archive_write_free(a);
	if (fd >= 0)
		close(fd);
	return finish(r, tmp, 0, parent, base);
}
