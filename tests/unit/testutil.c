/*
 * testutil.c — file, JSON, sha256, reader-draining, process and
 * CUnit-runner helpers shared by the unit tests (one copy, not one per
 * test program).
 */
#include "testutil.h"
#include "codec/codec.h"
#include "sources/source.h"
#include "util/array.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

int tu_read_file(hr_buf *out, const char *path)
{
	FILE *f = fopen(path, "rb");
	char chunk[65536];
	size_t n;

	hr_buf_clear(out);
	if (!f)
		return -1;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (hr_buf_put(out, chunk, n)) {
			fclose(f);
			return -1;
		}
	if (!out->ptr)
		hr_buf_put(out, "", 0);
	fclose(f);
	return 0;
}

struct json_object *tu_load_json(const char *path)
{
	hr_buf b = HR_BUF_INIT;
	struct json_object *o = NULL;

	if (tu_read_file(&b, path) == 0)
		o = json_tokener_parse(hr_buf_cstr(&b));
	hr_buf_free(&b);
	return o;
}

int tu_sha256_file(const char *path, char hex[65])
{
	hr_buf b = HR_BUF_INIT;
	int rc = tu_read_file(&b, path);

	if (rc == 0)
		hr_sha256_hex(b.ptr, b.len, hex);
	hr_buf_free(&b);
	return rc;
}

void tu_helm_sha256(const hr_record *r, char hex[65])
{
	hr_buf dec = HR_BUF_INIT;
	hr_error err = HR_ERROR_INIT;

	if (r->form != HR_PAYLOAD_K8S_B64) {
		hr_sha256_hex(r->payload, r->payload_len, hex);
		return;
	}
	CU_ASSERT_EQUAL(hr_base64_decode(&dec, r->payload, r->payload_len, &err), 0);
	hr_sha256_hex(dec.ptr ? dec.ptr : "", dec.len, hex);
	hr_buf_free(&dec);
}

void tu_drain_init(tu_drain *d)
{
	memset(d, 0, sizeof(*d));
}

/* Read to the end (at most 10000 steps) through a next() of the reader contract. */
static void drain(tu_drain *d, int (*next)(void *, hr_record **, hr_error *), void *state)
{
	for (int steps = 0; steps < 10000; steps++) {
		hr_error e = HR_ERROR_INIT;
		hr_record *rec = NULL;
		int rc = next(state, &rec, &e);

		if (rc == 0)
			break;
		if (rc == HR_ESKIP) {
			char *msg = strdup(e.msg);

			CU_ASSERT_FATAL(msg && !HR_ARRAY_GROW(d->skips, d->nskips + 1, d->skips_alloc));
			d->skips[d->nskips++] = msg;
			continue;
		}
		if (rc < 0) {
			d->end_rc = d->rc = rc;
			d->err = e;
			break;
		}
		CU_ASSERT_PTR_NOT_NULL_FATAL(rec);
		CU_ASSERT_FATAL(!HR_ARRAY_GROW(d->rec, d->nrec + 1, d->rec_alloc));
		d->rec[d->nrec++] = rec;
	}
}

void tu_drain_reader(tu_drain *d, int open_rc, hr_reader *r)
{
	d->open_rc = d->rc = open_rc;
	if (open_rc < 0)
		return;
	drain(d, r->next, r->state);
	r->close(r->state);
}

static int source_next(void *src, hr_record **out, hr_error *err)
{
	return hr_source_next(src, out, err);
}

void tu_drain_source(tu_drain *d, const char *path, const hr_source_opts *opts)
{
	hr_source_opts none = { 0 };
	hr_source *src = NULL;

	tu_drain_init(d);
	d->open_rc = d->rc = hr_source_open(&src, path, opts ? opts : &none, &d->err);
	if (d->open_rc < 0)
		return;
	drain(d, source_next, src);
	hr_source_stats_get(src, &d->stats);
	hr_source_close(src);
}

const char *tu_drain_skip(const tu_drain *d, size_t i)
{
	return i < d->nskips ? d->skips[i] : "";
}

void tu_drain_free(tu_drain *d)
{
	for (size_t i = 0; i < d->nrec; i++)
		hr_record_free(d->rec[i]);
	for (size_t i = 0; i < d->nskips; i++)
		free(d->skips[i]);
	free(d->rec);
	free(d->skips);
	memset(d, 0, sizeof(*d));
}

int tu_write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (!f)
		return -1;
	if (len && fwrite(data, 1, len, f) != len) {
		fclose(f);
		return -1;
	}
	return fclose(f) ? -1 : 0;
}

const char *tu_tmpdir(void)
{
	static char dir[4096];
	const char *base = getenv("TMPDIR");

	snprintf(dir, sizeof(dir), "%s/hrtest.XXXXXX", base && *base ? base : "/tmp");
	if (!mkdtemp(dir))
		return NULL;
	return dir;
}

int tu_run(hr_buf *out, const char *cmd)
{
	FILE *p = popen(cmd, "r");
	char chunk[65536];
	size_t n;
	int st;

	if (out)
		hr_buf_clear(out);
	if (!p)
		return -1;
	while ((n = fread(chunk, 1, sizeof(chunk), p)) > 0)
		if (out && hr_buf_put(out, chunk, n))
			break;
	if (out && !out->ptr)
		hr_buf_put(out, "", 0);
	st = pclose(p);
	if (st == -1 || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

const char *tu_bin(void)
{
	const char *b = getenv("HELMREC_BIN");

	return b && *b ? b : "build/helmrec";
}

int tu_run_suite(const char *suite, const tu_test *tests)
{
	CU_pSuite s;
	unsigned failed;

	if (CU_initialize_registry() != CUE_SUCCESS)
		return 2;
	s = CU_add_suite(suite, NULL, NULL);
	if (!s)
		return 2;
	for (const tu_test *t = tests; t->name; t++)
		if (!CU_add_test(s, t->name, t->fn))
			return 2;
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	failed = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
	CU_cleanup_registry();
	return failed ? 1 : 0;
}
