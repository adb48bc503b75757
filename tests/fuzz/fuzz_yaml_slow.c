/*
 * fuzz_yaml_slow.c — the kubectl YAML reader on libyaml alone
 * (HELMREC_YAML_SLOW set: the fast path is off).
 */
#include "fuzz_common.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	setenv("HELMREC_YAML_SLOW", "1", 1);
	fz_run_input_reader(hr_reader_yaml_open, data, size, NULL, NULL);
	unsetenv("HELMREC_YAML_SLOW");
	return 0;
}
