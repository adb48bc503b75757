/*
 * fuzz_etcd.c — the etcd reader: bbolt pages, the MVCC `key` bucket, every
 * revision, the Kubernetes values inside; the first byte's low bit turns
 * carving of free pages on.  The rest of the input is the database file.
 */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	hr_source_opts o = { 0 };

	if (size < 1)
		return 0;
	o.max_payload = 4u << 20;
	o.carve = data[0] & 1;
	fz_run_path_reader(hr_reader_etcd_open, data + 1, size - 1, &o, NULL);
	return 0;
}
