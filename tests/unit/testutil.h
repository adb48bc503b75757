/*
 * testutil.h — shared helpers for the CUnit programs in tests/unit/.
 *
 * Tests run with the repository root as working directory (ctest sets it),
 * so data paths are written "testdata/...".  Each test program defines its
 * suites with HR_TEST_MAIN (see below) and returns non-zero if any assertion
 * failed.
 */
#ifndef HR_TESTUTIL_H
#define HR_TESTUTIL_H

#include <CUnit/Basic.h>
#include <stddef.h>
#include "util/buf.h"

/* Read a whole file into `out` (cleared first). Returns 0 or -1. */
int tu_read_file(hr_buf *out, const char *path);
/* Write `len` bytes to path (truncating). Returns 0 or -1. */
int tu_write_file(const char *path, const void *data, size_t len);
/* A fresh temporary directory (mkdtemp under $TMPDIR or /tmp); static storage. */
const char *tu_tmpdir(void);
/*
 * Run a shell command line, capturing stdout into `out` (may be NULL) and
 * returning the exit status (or -1).  stderr is left alone unless redirected
 * in `cmd`.
 */
int tu_run(hr_buf *out, const char *cmd);
/* Path of the helmrec binary (from $HELMREC_BIN, else build/helmrec). */
const char *tu_bin(void);

typedef struct tu_test {
	const char *name;
	void (*fn)(void);
} tu_test;

/* Register one suite with its tests and run all; returns process exit code. */
int tu_run_suite(const char *suite, const tu_test *tests);

#define HR_TEST_MAIN(suite_name, ...)                                   \
	int main(void)                                                  \
	{                                                               \
		static const tu_test tests[] = { __VA_ARGS__, { NULL, NULL } }; \
		return tu_run_suite(suite_name, tests);                 \
	}

#endif
