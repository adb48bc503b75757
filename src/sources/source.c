/*
 * source.c — hr_source: records out of a file, a directory tree or stdin.
 *
 * This is the front door of src/sources/.  It opens the path, walks
 * directories (recursively, entries in byte order so a scan is
 * reproducible, following symlinks but never into a directory that is
 * already on the current path), sniffs each file's content with
 * hr_detect() and hands it to the matching reader behind the hr_reader
 * interface (reader.h).  Streaming readers get an hr_input (which also
 * gunzips); readers that need random access (archives, etcd snapshots,
 * kine databases) get the path.
 *
 * Failures are contained per file: a file that cannot be read, is not
 * recognised, or whose reader stops half-way is reported once with
 * HR_ESKIP and the walk goes on.  A single file (or stdin) reports a
 * reader's fatal error with its own code, as source.h says.
 */
#include "sources/reader.h"
#include "util/array.h"
#include "util/error.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct dir_frame {
	char *path;
	char **names;
	size_t n, i;
	dev_t dev;
	ino_t ino;
} dir_frame;

struct hr_source {
	char *path;
	hr_source_opts opts;
	hr_source_stats stats;
	hr_source_kind kind;
	int is_dir;
	dir_frame *dirs;
	size_t ndirs, capdirs;
	hr_input *in;            /* current streaming input, if any */
	hr_reader rd;
	int rd_open;
	uint64_t bytes_done;     /* raw bytes of inputs already closed */
	uint64_t path_size;      /* size of the file a path-based reader has open */
	int pending_rc;          /* single file: an open problem to report on the first next() */
	hr_error pending;
	int open_cut;            /* the last open_file() failure: recognised content that could not be read */
};

const char *hr_source_kind_name(hr_source_kind k)
{
	switch (k) {
	case HR_SRC_YAML: return "yaml";
	case HR_SRC_JSON: return "json";
	case HR_SRC_BARE: return "bare";
	case HR_SRC_ARCHIVE: return "archive";
	case HR_SRC_ETCD: return "etcd";
	case HR_SRC_KINE: return "kine";
	case HR_SRC_PGDUMP: return "pgdump";
	case HR_SRC_DIRECTORY: return "directory";
	case HR_SRC_MEMORY: return "memory";
	case HR_SRC_UNKNOWN: break;
	}
	return "unknown";
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void free_frame(dir_frame *f)
{
	for (size_t i = 0; i < f->n; i++)
		free(f->names[i]);
	free(f->names);
	free(f->path);
}

/* Read a directory's entry names, sorted, and push it on the walk stack. */
static int push_dir(hr_source *src, const char *path, const struct stat *st, hr_error *err)
{
	dir_frame f = { 0 };
	size_t cap = 0;
	struct dirent *de;
	DIR *d;
	int rc = 0;

	d = opendir(path);
	if (!d)
		return hr_error_set(err, HR_EIO, "%s: cannot read directory: %s", path, strerror(errno));
	f.path = strdup(path);
	f.dev = st->st_dev;
	f.ino = st->st_ino;
	if (!f.path)
		goto nomem;
	while ((errno = 0, de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (HR_ARRAY_GROW(f.names, f.n + 1, cap))
			goto nomem;
		if (!(f.names[f.n] = strdup(de->d_name)))
			goto nomem;
		f.n++;
	}
	if (errno) {
		rc = hr_error_set(err, HR_EIO, "%s: cannot read directory: %s", path, strerror(errno));
		goto fail;
	}
	if (f.n)
		qsort(f.names, f.n, sizeof(*f.names), cmp_names);
	if (HR_ARRAY_GROW(src->dirs, src->ndirs + 1, src->capdirs))
		goto nomem;
	src->dirs[src->ndirs++] = f;
	closedir(d);
	return 0;
nomem:
	rc = hr_error_set(err, HR_ENOMEM, "%s: out of memory", path);
fail:
	free_frame(&f);
	closedir(d);
	return rc;
}

static void close_file(hr_source *src)
{
	if (src->rd_open && src->rd.close)
		src->rd.close(src->rd.state);
	src->rd_open = 0;
	memset(&src->rd, 0, sizeof(src->rd));
	if (!src->in && src->path_size) {
		src->bytes_done += src->path_size;
		src->path_size = 0;
		src->stats.bytes_read = 0;
	}
	if (src->in) {
		src->bytes_done += hr_input_raw_consumed(src->in);
		hr_input_close(src->in);
		src->in = NULL;
	}
}

/*
 * Open `path`, sniff it and start its reader.  Returns 0 with a reader
 * running (or with none for an empty file), or a negative code with err
 * naming the file.
 */
/*
 * The reader for each kind of content: stream readers read the hr_input
 * (gunzipped, maybe stdin), file readers need the file itself.
 */
static const struct reader_kind {
	hr_source_kind kind;
	int (*stream)(hr_reader *, hr_input *, const hr_source_opts *, hr_source_stats *, hr_error *);
	int (*file)(hr_reader *, const char *, const hr_source_opts *, hr_source_stats *, hr_error *);
} readers[] = {
	{ HR_SRC_YAML, hr_reader_yaml_open, NULL },
	{ HR_SRC_JSON, hr_reader_json_open, NULL },
	{ HR_SRC_BARE, hr_reader_bare_open, NULL },
	{ HR_SRC_PGDUMP, hr_reader_pgdump_open, NULL },
	{ HR_SRC_MEMORY, hr_reader_memory_open, NULL },
	{ HR_SRC_ARCHIVE, NULL, hr_reader_archive_open },
	{ HR_SRC_ETCD, NULL, hr_reader_etcd_open },
	{ HR_SRC_KINE, NULL, hr_reader_kine_open },
};

static int open_file(hr_source *src, const char *path, hr_error *err)
{
	const struct reader_kind *rd = NULL;
	unsigned char head[4096];
	hr_source_kind kind;
	long n;
	int rc;

	src->open_cut = 0;
	rc = hr_input_open(&src->in, path, 0, err);
	if (rc)
		return rc;
	n = hr_input_peek(src->in, head, sizeof(head), err);
	if (n < 0) {
		rc = (int)n;
		src->open_cut = 1;  /* e.g. a gzip stream cut inside its first 4 KiB */
		goto fail;
	}
	kind = hr_detect(head, (size_t)n);
	if (!src->is_dir)
		src->kind = kind;
	/*
	 * Inside a directory walk, a text file that does not even mention
	 * apiVersion or kind in its first 4 KiB (a README, a script) is not a
	 * Kubernetes dump: count it as another object, without a warning.
	 * Files named on the command line are always read.
	 */
	if (src->is_dir && kind == HR_SRC_YAML && !memmem(head, (size_t)n, "apiVersion", 10) &&
	    !memmem(head, (size_t)n, "kind:", 5)) {
		src->stats.skipped_other++;
		close_file(src);
		return 0;
	}
	for (size_t i = 0; i < sizeof(readers) / sizeof(readers[0]) && !rd; i++)
		if (readers[i].kind == kind)
			rd = &readers[i];
	if (!rd) {
		if (n == 0) {
			/* An empty file holds no records; that is not an error. */
			close_file(src);
			return 0;
		}
		rc = hr_error_set(err, HR_EFORMAT,
				  "%s: unrecognised content (not YAML, JSON, a Helm payload, an archive or a datastore)",
				  path);
		goto fail;
	}
	if (rd->stream) {
		rc = rd->stream(&src->rd, src->in, &src->opts, &src->stats, err);
	} else {
		if (!strcmp(path, "-")) {
			rc = hr_error_set(err, HR_EUNSUPPORTED, "%s: %s input cannot be read from stdin; give the file itself",
					  path, hr_source_kind_name(kind));
			goto fail;
		}
		if (hr_input_is_gzip(src->in) && kind != HR_SRC_ARCHIVE) {
			rc = hr_error_set(err, HR_EUNSUPPORTED, "%s: gzip-compressed %s input: gunzip it first",
					  path, hr_source_kind_name(kind));
			goto fail;
		}
		src->path_size = hr_input_raw_size(src->in);
		src->stats.bytes_read = 0;  /* path readers report progress within their file here */
		hr_input_close(src->in);
		src->in = NULL;
		rc = rd->file(&src->rd, path, &src->opts, &src->stats, err);
	}
	if (rc) {
		/* a damaged datastore (checked whole before its first record), a cut archive... */
		src->open_cut = rc != HR_EUNSUPPORTED;
		goto fail;
	}
	src->rd_open = 1;
	return 0;
fail:
	memset(&src->rd, 0, sizeof(src->rd));
	close_file(src);
	return rc;
}

int hr_source_open(hr_source **out, const char *path, const hr_source_opts *opts, hr_error *err)
{
	hr_source *src;
	struct stat st;
	int rc;

	*out = NULL;
	src = calloc(1, sizeof(*src));
	if (!src)
		return hr_error_set(err, HR_ENOMEM, "%s: out of memory", path);
	if (opts)
		src->opts = *opts;
	src->path = strdup(path);
	if (!src->path) {
		rc = hr_error_set(err, HR_ENOMEM, "%s: out of memory", path);
		goto fail;
	}
	if (strcmp(path, "-") && stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		src->is_dir = 1;
		src->kind = HR_SRC_DIRECTORY;
		rc = push_dir(src, path, &st, err);
		if (rc)
			goto fail;
	} else {
		if (strcmp(path, "-") && stat(path, &st) == 0 && S_ISREG(st.st_mode))
			src->stats.bytes_total = (uint64_t)st.st_size;
		rc = open_file(src, path, err);
		if (rc == HR_EIO || rc == HR_ENOMEM || rc == HR_EINVAL)
			goto fail;  /* the path itself cannot be opened */
		if (rc) {
			/*
			 * Recognised but unreadable content: reported by the first
			 * next(); a kind that cannot be read this way at all (an
			 * archive on stdin) keeps its code, so the input counts as
			 * unreadable rather than as one bad record.
			 */
			src->pending_rc = rc == HR_EUNSUPPORTED ? rc : HR_ESKIP;
			if (err)
				src->pending = *err;
			hr_error_clear(err);
		}
	}
	*out = src;
	return 0;
fail:
	hr_source_close(src);
	return rc;
}

/* Is this file one the caller asked to skip (opts.exclude: the index itself)? */
static int excluded(const hr_source *src, const struct stat *st)
{
	struct stat x;

	for (size_t i = 0; i < src->opts.nexclude; i++)
		if (!stat(src->opts.exclude[i], &x) && x.st_dev == st->st_dev && x.st_ino == st->st_ino)
			return 1;
	return 0;
}

/*
 * The next regular file of the walk into *path_out (malloc'd), or NULL at
 * the end.  Returns 0, or a negative code for an entry that cannot be
 * looked at (the walk can go on).
 */
static int walk_next(hr_source *src, char **path_out, hr_error *err)
{
	*path_out = NULL;
	while (src->ndirs) {
		dir_frame *f = &src->dirs[src->ndirs - 1];
		struct stat st;
		char *full;
		int loop = 0;

		if (f->i == f->n) {
			free_frame(f);
			src->ndirs--;
			continue;
		}
		if (asprintf(&full, "%s/%s", f->path, f->names[f->i++]) < 0)
			return hr_error_set(err, HR_ENOMEM, "%s: out of memory", f->path);
		if (stat(full, &st)) {
			int rc = hr_error_set(err, HR_EIO, "%s: cannot open: %s", full, strerror(errno));

			free(full);
			return rc;
		}
		if (S_ISREG(st.st_mode) && excluded(src, &st)) {
			free(full);
			continue;
		}
		if (S_ISREG(st.st_mode)) {
			*path_out = full;
			return 0;
		}
		if (S_ISDIR(st.st_mode)) {
			for (size_t i = 0; i < src->ndirs; i++)
				if (src->dirs[i].dev == st.st_dev && src->dirs[i].ino == st.st_ino)
					loop = 1;
			if (!loop) {
				int rc = push_dir(src, full, &st, err);

				free(full);
				if (rc)
					return rc;
				continue;
			}
		}
		/* Symlink loops, sockets, FIFOs, devices: nothing to read. */
		free(full);
	}
	return 0;
}

int hr_source_next(hr_source *src, hr_record **out, hr_error *err)
{
	char *path;
	int rc;

	*out = NULL;
	for (;;) {
		if (src->rd_open) {
			rc = src->rd.next(src->rd.state, out, err);
			/* Readers count their records and skipped objects themselves. */
			if (rc == 1 || rc == HR_ESKIP)
				return rc;
			close_file(src);
			if (rc == 0) {
				if (!src->is_dir)
					return 0;
				continue;
			}
			src->stats.errors++;
			src->stats.cut++;
			return src->is_dir ? HR_ESKIP : rc;
		}
		if (src->pending_rc) {
			rc = src->pending_rc;
			src->pending_rc = 0;
			src->stats.errors++;
			src->stats.cut += src->open_cut;
			if (err)
				*err = src->pending;
			return rc;
		}
		if (!src->is_dir)
			return 0;
		rc = walk_next(src, &path, err);
		if (rc) {
			src->stats.errors++;
			return HR_ESKIP;
		}
		if (!path)
			return 0;
		rc = open_file(src, path, err);
		free(path);
		if (rc) {
			src->stats.errors++;
			src->stats.cut += src->open_cut;
			return HR_ESKIP;
		}
	}
}

void hr_source_stats_get(const hr_source *src, hr_source_stats *out)
{
	*out = src->stats;
	if (src->in)
		out->bytes_read = src->bytes_done + hr_input_raw_consumed(src->in);
	else if (src->path_size)
		out->bytes_read = src->bytes_done + (src->stats.bytes_read < src->path_size ? src->stats.bytes_read
											    : src->path_size);
	else
		out->bytes_read = src->bytes_done;
	if (src->is_dir)
		out->bytes_total = 0;  /* unknown until the walk ends */
}

hr_source_kind hr_source_kind_of(const hr_source *src)
{
	return src->kind;
}

void hr_source_close(hr_source *src)
{
	if (!src)
		return;
	close_file(src);
	while (src->ndirs)
		free_frame(&src->dirs[--src->ndirs]);
	free(src->dirs);
	free(src->path);
	free(src);
}
