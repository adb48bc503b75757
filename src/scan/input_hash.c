/*
 * input_hash.c — see input_hash.h.  A file is hashed a window at a time
 * (below); the background hash is one thread that a cancel flag, checked
 * between windows, stops early.
 */
#include "scan/input_hash.h"
#include "codec/codec.h"
#include "util/array.h"
#include "util/buf.h"

#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

struct hr_input_hash {
	pthread_t thread;
	int started, ok;
	atomic_int cancel;
	char *path;
	char hex[65];
};

/*
 * A regular file is hashed through read-only mappings of HASH_WINDOW bytes
 * at a time, pre-faulted (MAP_POPULATE) and unmapped behind: the pages come
 * straight from the page cache, without read()'s copy of every byte (on
 * this hardware the copy cost three times the hash), and at most one
 * window is resident.  As with SQLite's mmap I/O, a file truncated by
 * another process while it is hashed can raise SIGBUS; the size is checked
 * before each window to keep that window small.  A file that cannot be
 * mapped (some FUSE files) or reports a size of 0 (proc files) is read.
 */
#define HASH_WINDOW ((size_t)4 << 20)

static int cancelled(const atomic_int *cancel)
{
	return cancel && atomic_load(cancel);
}

static int hash_mapped(int fd, hr_sha256 *h, const atomic_int *cancel)
{
	struct stat st;
	off_t off = 0;

	while (!cancelled(cancel)) {
		size_t len;
		void *p;

		if (fstat(fd, &st))
			return -1;
		if (st.st_size == 0 && off == 0)
			return 1;  /* proc-like files report no size: read them */
		if (st.st_size <= off)
			return st.st_size == off ? 0 : -1;
		len = (size_t)(st.st_size - off) < HASH_WINDOW ? (size_t)(st.st_size - off) : HASH_WINDOW;
		p = mmap(NULL, len, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, off);
		if (p == MAP_FAILED)
			return off ? -1 : 1;  /* 1: not mappable, read it */
		hr_sha256_update(h, p, len);
		munmap(p, len);
		off += (off_t)len;
	}
	return -1;
}

/* sha256 of a regular file's content into hex; -1 if it cannot be read (or on cancel). */
static int file_sha256(const char *path, char hex[65], const atomic_int *cancel)
{
	unsigned char buf[1 << 16];
	hr_sha256 *h;
	ssize_t n = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc;

	if (fd < 0)
		return -1;
	if (!(h = hr_sha256_begin())) {
		close(fd);
		return -1;
	}
	rc = hash_mapped(fd, h, cancel);
	if (rc == 1) {
		while (!cancelled(cancel) && (n = read(fd, buf, sizeof(buf))) > 0)
			hr_sha256_update(h, buf, (size_t)n);
		rc = n < 0 || cancelled(cancel) ? -1 : 0;
	}
	close(fd);
	if (hr_sha256_end(h, hex) || rc)
		return -1;
	return 0;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int is_excluded(const hr_source_opts *so, const struct stat *st)
{
	struct stat x;

	for (size_t i = 0; i < so->nexclude; i++)
		if (!stat(so->exclude[i], &x) && x.st_dev == st->st_dev && x.st_ino == st->st_ino)
			return 1;
	return 0;
}

/*
 * Content of a directory tree, for its source identity: "relative path TAB
 * sha256 LF" for every regular file, in the walk's (sorted) order, the
 * excluded files (the index) left out.  Symlinked directories are followed
 * to a bounded depth.
 */
static int dir_digest(const char *dir, const char *rel, int depth, const hr_source_opts *so, hr_buf *acc)
{
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	DIR *d;
	int rc = 0;

	if (depth > 32 || !(d = opendir(dir)))
		return hr_buf_printf(acc, "%s/\t-\n", rel);
	while (!rc && (de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (HR_ARRAY_GROW(names, n + 1, cap) || !(names[n] = strdup(de->d_name)))
			rc = HR_ENOMEM;
		else
			n++;
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), cmp_names);
	for (size_t i = 0; !rc && i < n; i++) {
		hr_buf full = HR_BUF_INIT, sub = HR_BUF_INIT;
		struct stat st;
		char hex[65];

		if (hr_buf_printf(&full, "%s/%s", dir, names[i]) || hr_buf_printf(&sub, "%s/%s", rel, names[i]))
			rc = HR_ENOMEM;
		else if (stat(full.ptr, &st) || is_excluded(so, &st))
			;
		else if (S_ISDIR(st.st_mode))
			rc = dir_digest(full.ptr, sub.ptr, depth + 1, so, acc);
		else if (S_ISREG(st.st_mode))
			rc = hr_buf_printf(acc, "%s\t%s\n", sub.ptr, file_sha256(full.ptr, hex, NULL) ? "-" : hex);
		hr_buf_free(&full);
		hr_buf_free(&sub);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

int hr_input_hash_now(const char *path, const struct stat *sb, const hr_source_opts *so, char hex[65])
{
	hr_buf acc = HR_BUF_INIT;
	int rc;

	if (S_ISREG(sb->st_mode))
		return file_sha256(path, hex, NULL);
	if (!S_ISDIR(sb->st_mode))
		return -1;
	if (!(rc = dir_digest(path, ".", 0, so, &acc)))
		hr_sha256_hex(acc.ptr ? acc.ptr : "", acc.len, hex);
	hr_buf_free(&acc);
	return rc ? -1 : 0;
}

static void *hash_main(void *arg)
{
	hr_input_hash *h = arg;

	h->ok = !file_sha256(h->path, h->hex, &h->cancel);
	return NULL;
}

int hr_input_hash_start(hr_input_hash **out, const char *path, const struct stat *sb, const hr_source_opts *so)
{
	hr_input_hash *h = calloc(1, sizeof(*h));

	*out = NULL;
	if (!h || !(h->path = strdup(path))) {
		free(h);
		return HR_ENOMEM;
	}
	if (S_ISREG(sb->st_mode) && !pthread_create(&h->thread, NULL, hash_main, h))
		h->started = 1;
	else
		h->ok = !hr_input_hash_now(path, sb, so, h->hex);
	*out = h;
	return 0;
}

const char *hr_input_hash_wait(hr_input_hash *h)
{
	if (h->started) {
		pthread_join(h->thread, NULL);
		h->started = 0;
	}
	return h->ok ? h->hex : NULL;
}

void hr_input_hash_free(hr_input_hash *h)
{
	if (!h)
		return;
	atomic_store(&h->cancel, 1);
	hr_input_hash_wait(h);
	free(h->path);
	free(h);
}
