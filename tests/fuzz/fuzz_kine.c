/*
 * fuzz_kine.c — the kine reader (k3s SQLite datastore) over a scratch file.
 * SQLite itself is fuzzed upstream; what this reaches is our handling of
 * whatever rows a damaged database yields.
 */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	hr_source_opts o = { 0 };

	o.max_payload = 4u << 20;
	fz_run_path_reader(hr_reader_kine_open, data, size, &o, NULL);
	return 0;
}
