/*
 * fuzz_bare.c — the bare payload reader (a Helm string, gzip'd JSON or a
 * JSON release given as a file).
 */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fz_run_input_reader(hr_reader_bare_open, data, size, NULL, NULL);
	return 0;
}
