/*
 * fuzz_yaml_diff.c — differential: the YAML reader with the fast path and
 * with libyaml alone must give the same transcript (every record field,
 * offsets, skip messages, stats), as yaml_fast.h promises.  Base64 runs in
 * the input shorter than the fast path's threshold are widened so that the
 * fuzzer reaches the filtered lines: every '~' byte becomes 300 base64
 * characters.
 *
 * No difference is allowed, fatal errors included: libyaml decodes its
 * whole input buffer before parsing it, so a byte it refuses used to fail
 * documents before it depending on where the buffer boundaries fell (which
 * the fast path changes); the reader now finds such bytes itself and hands
 * libyaml only the text before them (kube_yaml.c, guard_text), so both
 * paths give the same objects and the same error (the seeds
 * crash-libyaml-readahead-*).
 */
#include "fuzz_common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sources/yaml_fast.h"
#include "util/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	hr_buf in = HR_BUF_INIT, fast = HR_BUF_INIT, slow = HR_BUF_INIT;

	if (size > (1u << 16))
		return 0;
	for (size_t i = 0; i < size; i++) {
		if (data[i] == '~') {
			for (int k = 0; k < HR_YAML_FAST_MIN + 44; k++)
				hr_buf_putc(&in, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"[(k * 7 + (int)i) % 64]);
		} else {
			hr_buf_putc(&in, (char)data[i]);
		}
	}
	unsetenv("HELMREC_YAML_SLOW");
	fz_run_input_reader(hr_reader_yaml_open, (const uint8_t *)in.ptr, in.len, NULL, &fast);
	setenv("HELMREC_YAML_SLOW", "1", 1);
	fz_run_input_reader(hr_reader_yaml_open, (const uint8_t *)in.ptr, in.len, NULL, &slow);
	unsetenv("HELMREC_YAML_SLOW");
	if (fast.len != slow.len || memcmp(fast.ptr, slow.ptr, fast.len))
		fz_fail("yaml fast path differs from libyaml alone", fast.ptr, fast.len, slow.ptr, slow.len);
	if (fast.len && memmem(fast.ptr, fast.len, "HRfp", 4) && !memmem(in.ptr, in.len, "HRfp", 4))
		fz_fail("fast path placeholder leaked", fast.ptr, fast.len, in.ptr, in.len);
	hr_buf_free(&in);
	hr_buf_free(&fast);
	hr_buf_free(&slow);
	return 0;
}
