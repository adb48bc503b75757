/*
 * fuzz_yaml_diff.c — differential: the YAML reader with the fast path and
 * with libyaml alone must give the same transcript (every record field,
 * offsets, skip messages, stats), as yaml_fast.h promises.  Base64 runs in
 * the input shorter than the fast path's threshold are widened so that the
 * fuzzer reaches the filtered lines: every '~' byte becomes 300 base64
 * characters.
 *
 * One difference is allowed: when both stop at a fatal error (after the
 * same records), the error's text may differ.  libyaml reads ahead, so a
 * control character in its buffer is reported before a syntax error
 * earlier in the stream, and the fast path changes what the buffer holds
 * (docs/reliability.md, "libyaml reads ahead"); both refuse the input and
 * give the same objects.  Skip messages (HR_ESKIP) must still be the same.
 */
#include "fuzz_common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sources/yaml_fast.h"
#include "util/error.h"

/* The transcript with the text of fatal "rc N: message" lines dropped. */
static void drop_fatal_text(hr_buf *out, const hr_buf *t)
{
	char skip[32];
	size_t n = t->len;
	const char *p = t->ptr;

	snprintf(skip, sizeof(skip), "rc %d:", HR_ESKIP);
	while (n) {
		const char *nl = memchr(p, '\n', n);
		size_t len = nl ? (size_t)(nl - p) + 1 : n;
		const char *colon = memchr(p, ':', len);

		if (len > 3 && !memcmp(p, "rc ", 3) && colon && strncmp(p, skip, strlen(skip))) {
			hr_buf_put(out, p, (size_t)(colon - p));
			hr_buf_putc(out, '\n');
		} else {
			hr_buf_put(out, p, len);
		}
		p += len;
		n -= len;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	hr_buf in = HR_BUF_INIT, fast = HR_BUF_INIT, slow = HR_BUF_INIT, nf = HR_BUF_INIT, ns = HR_BUF_INIT;

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
	drop_fatal_text(&nf, &fast);
	drop_fatal_text(&ns, &slow);
	if (nf.len != ns.len || memcmp(nf.ptr, ns.ptr, nf.len))
		fz_fail("yaml fast path differs from libyaml alone", fast.ptr, fast.len, slow.ptr, slow.len);
	if (fast.len && memmem(fast.ptr, fast.len, "HRfp", 4) && !memmem(in.ptr, in.len, "HRfp", 4))
		fz_fail("fast path placeholder leaked", fast.ptr, fast.len, in.ptr, in.len);
	hr_buf_free(&in);
	hr_buf_free(&fast);
	hr_buf_free(&slow);
	hr_buf_free(&nf);
	hr_buf_free(&ns);
	return 0;
}
