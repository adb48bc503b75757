/*
 * fuzz_pgdump.c — the pg_dump reader: COPY blocks and INSERT statements of
 * helm's SQL driver tables, with the pgsql.h lexer under it.
 */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fz_run_input_reader(hr_reader_pgdump_open, data, size, NULL, NULL);
	return 0;
}
