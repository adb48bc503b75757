/*
 * fuzz_json.c — the kubectl JSON reader (own outer scanner, json-c per List
 * item) and the kube object classification behind it.
 */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fz_run_input_reader(hr_reader_json_open, data, size, NULL, NULL);
	return 0;
}
