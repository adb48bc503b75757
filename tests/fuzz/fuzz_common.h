/*
 * fuzz_common.h — helpers shared by the fuzz targets in tests/fuzz/.
 *
 * Each target is one file defining LLVMFuzzerTestOneInput(); it is linked
 * either with libFuzzer (clang -fsanitize=fuzzer, HELMREC_FUZZ=ON, see
 * scripts/fuzz.sh) or with replay.c, a plain main() that feeds it every file
 * of the committed corpus (ctest label `fuzz`).  A target must never leak,
 * crash or print; a broken invariant (a differential mismatch) calls
 * fz_fail(), which aborts so both drivers report it.
 *
 * Ownership: fz_tmpfile() returns a path owned by this module (one file per
 * process, rewritten on every call, removed at exit).
 */
#ifndef HR_FUZZ_COMMON_H
#define HR_FUZZ_COMMON_H
#include <stddef.h>
#include <stdint.h>
#include "sources/reader.h"
#include "util/buf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Write data to this process's scratch file and return its path (NULL on I/O failure). */
const char *fz_tmpfile(const uint8_t *data, size_t size);

/* Print what differed and abort. */
void fz_fail(const char *what, const char *a, size_t alen, const char *b, size_t blen);

typedef int (*fz_input_open_fn)(hr_reader *r, hr_input *in, const hr_source_opts *o, hr_source_stats *stats,
				hr_error *err);
typedef int (*fz_path_open_fn)(hr_reader *r, const char *path, const hr_source_opts *o,
			       hr_source_stats *stats, hr_error *err);

/*
 * Run a stream reader (yaml, json, bare, pgdump) over the data; when `log`
 * is not NULL, append a transcript of every record, skip and stat to it.
 */
void fz_run_input_reader(fz_input_open_fn open, const uint8_t *data, size_t size, const hr_source_opts *o,
			 hr_buf *log);
/* The same for a reader that takes a path (archive, etcd, kine). */
void fz_run_path_reader(fz_path_open_fn open, const uint8_t *data, size_t size, const hr_source_opts *o,
			hr_buf *log);
#endif
