/*
 * fuzz_yaml.c — the kubectl YAML reader with the fast path (yaml_fast.c)
 * in front of libyaml, as a scan runs it.
 */
#include "fuzz_common.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsetenv("HELMREC_YAML_SLOW");
	fz_run_input_reader(hr_reader_yaml_open, data, size, NULL, NULL);
	return 0;
}
