/*
 * fuzz_common.c — scratch files, reader draining and transcripts for the
 * fuzz targets (see fuzz_common.h).  Readers are driven exactly as
 * src/sources/source.c drives them: open, next until 0 or a fatal code,
 * close; every record is freed.
 */
#include "fuzz_common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model/record.h"

static char tmp_path[4096];

static void tmp_remove(void)
{
	if (tmp_path[0])
		unlink(tmp_path);
}

const char *fz_tmpfile(const uint8_t *data, size_t size)
{
	FILE *f;

	if (!tmp_path[0]) {
		const char *dir = getenv("TMPDIR");
		int fd;

		snprintf(tmp_path, sizeof(tmp_path), "%s/helmrec-fuzz-XXXXXX", dir && *dir ? dir : "/tmp");
		fd = mkstemp(tmp_path);
		if (fd < 0) {
			tmp_path[0] = 0;
			return NULL;
		}
		close(fd);
		atexit(tmp_remove);
	}
	f = fopen(tmp_path, "wb");
	if (!f)
		return NULL;
	if (size && fwrite(data, 1, size, f) != size) {
		fclose(f);
		return NULL;
	}
	if (fclose(f))
		return NULL;
	return tmp_path;
}

void fz_fail(const char *what, const char *a, size_t alen, const char *b, size_t blen)
{
	fprintf(stderr, "fuzz invariant broken: %s\n--- a (%zu bytes)\n%.*s\n--- b (%zu bytes)\n%.*s\n", what, alen,
		(int)(alen > 4000 ? 4000 : alen), a ? a : "", blen, (int)(blen > 4000 ? 4000 : blen), b ? b : "");
	abort();
}

static void log_record(hr_buf *log, const hr_record *r)
{
	hr_buf_printf(log, "%s %s/%s created=%s at %s offset=%llu form=%d\n", hr_driver_name(r->driver),
		      r->namespace ? r->namespace : "-", r->name ? r->name : "-", r->created ? r->created : "-",
		      r->location ? r->location : "-", (unsigned long long)r->offset, r->form);
	for (size_t i = 0; i < r->nlabels; i++)
		hr_buf_printf(log, " label %s=%s\n", r->labels[i].key, r->labels[i].value);
	for (size_t i = 0; i < r->nannotations; i++)
		hr_buf_printf(log, " annotation %s=%s|\n", r->annotations[i].key, r->annotations[i].value);
	hr_buf_printf(log, " payload %zu ", r->payload_len);
	hr_buf_put(log, r->payload, r->payload_len);
	hr_buf_puts(log, "\n");
}

static void drain(hr_reader *rd, const hr_source_stats *st, hr_buf *log)
{
	hr_error err = HR_ERROR_INIT;
	hr_record *r;
	int rc;

	/* A reader that neither advances nor ends would hang: bound the calls. */
	for (long n = 0; n < 1000000; n++) {
		rc = rd->next(rd->state, &r, &err);
		if (rc == 0)
			break;
		if (rc != 1) {
			if (log)
				hr_buf_printf(log, "rc %d: %s\n", rc, err.msg);
			if (rc != HR_ESKIP)
				break;
			continue;
		}
		if (log)
			log_record(log, r);
		hr_record_free(r);
	}
	if (log)
		hr_buf_printf(log, "objects %llu records %llu other %llu errors %llu\n",
			      (unsigned long long)st->objects, (unsigned long long)st->records,
			      (unsigned long long)st->skipped_other, (unsigned long long)st->errors);
	rd->close(rd->state);
}

void fz_run_input_reader(fz_input_open_fn open, const uint8_t *data, size_t size, const hr_source_opts *o,
			 hr_buf *log)
{
	hr_error err = HR_ERROR_INIT;
	hr_source_stats st;
	hr_reader rd;
	hr_input *in = NULL;
	const char *path = fz_tmpfile(data, size);

	if (!path)
		return;
	memset(&st, 0, sizeof(st));
	memset(&rd, 0, sizeof(rd));
	/* a small inflate cap keeps gzip'd inputs from growing without bound */
	if (hr_input_open(&in, path, 64u << 20, &err) < 0) {
		if (log)
			hr_buf_printf(log, "open: %s\n", err.msg);
		return;
	}
	if (open(&rd, in, o, &st, &err) < 0) {
		if (log)
			hr_buf_printf(log, "reader open: %s\n", err.msg);
	} else {
		drain(&rd, &st, log);
	}
	hr_input_close(in);
}

void fz_run_path_reader(fz_path_open_fn open, const uint8_t *data, size_t size, const hr_source_opts *o,
			hr_buf *log)
{
	hr_error err = HR_ERROR_INIT;
	hr_source_stats st;
	hr_reader rd;
	const char *path = fz_tmpfile(data, size);

	if (!path)
		return;
	memset(&st, 0, sizeof(st));
	memset(&rd, 0, sizeof(rd));
	if (open(&rd, path, o, &st, &err) < 0) {
		if (log)
			hr_buf_printf(log, "reader open: %s\n", err.msg);
		return;
	}
	drain(&rd, &st, log);
}
