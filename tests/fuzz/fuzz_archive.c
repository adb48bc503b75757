/*
 * fuzz_archive.c — the archive reader (libarchive: tar, tar.gz, zip;
 * Velero backup layout) over a scratch file.
 */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	hr_source_opts o = { 0 };

	o.max_payload = 4u << 20;
	o.max_object = 16u << 20;
	fz_run_path_reader(hr_reader_archive_open, data, size, &o, NULL);
	return 0;
}
