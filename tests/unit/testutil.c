/*
 * testutil.c — file, process and CUnit-runner helpers for the unit tests.
 */
#include "testutil.h"

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
