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
#include <json-c/json.h>
#include "util/buf.h"
#include "sources/reader.h"

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

/*
 * A JSON file parsed with json-c (the caller puts the result), or NULL when
 * it cannot be read or parsed.
 */
struct json_object *tu_load_json(const char *path);

/* ---- sha256, with the library's hr_sha256_hex() ---- */

/* Lower-case hex sha256 of a file's bytes into hex[65]; 0, or -1 if unreadable. */
int tu_sha256_file(const char *path, char hex[65]);
/*
 * sha256 of the Helm string a record carries (what records.tsv and
 * expected.json list): the payload itself for HR_PAYLOAD_HELM, its base64
 * decoding (hr_base64_decode) for HR_PAYLOAD_K8S_B64.  Records an assertion
 * failure and hashes the empty string if the base64 is bad.
 */
void tu_helm_sha256(const hr_record *r, char hex[65]);

/* ---- draining a reader or a source ---- */

/*
 * Everything a reader or source yielded, in order.  At most 10000 next()
 * steps are taken so that a looping reader fails the test instead of
 * hanging it.  Free with tu_drain_free().
 */
typedef struct tu_drain {
	hr_record **rec;         /* the records (owned) */
	size_t nrec;
	char **skips;            /* HR_ESKIP messages (owned) */
	size_t nskips;
	hr_source_stats stats;
	int open_rc;             /* result of the open call */
	int end_rc;              /* 0 at a clean end, else the fatal code */
	int rc;                  /* open_rc if the open failed, else end_rc */
	hr_error err;            /* the open or fatal error */
	size_t rec_alloc, skips_alloc;
} tu_drain;

/* Zero *d; call before handing &d->stats and &d->err to a reader's open. */
void tu_drain_init(tu_drain *d);
/*
 * Store `open_rc` (the result of opening `r` with &d->stats and &d->err)
 * and, if it is 0, read `r` to the end and close it:
 *
 *	tu_drain_init(&d);
 *	tu_drain_reader(&d, hr_reader_kine_open(&r, path, &o, &d.stats, &d.err), &r);
 */
void tu_drain_reader(tu_drain *d, int open_rc, hr_reader *r);
/* tu_drain_init, hr_source_open(path, opts) and read to the end; stats from hr_source_stats_get. */
void tu_drain_source(tu_drain *d, const char *path, const hr_source_opts *opts);
/* Skip message i, or "" when there are not that many. */
const char *tu_drain_skip(const tu_drain *d, size_t i);
void tu_drain_free(tu_drain *d);

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
