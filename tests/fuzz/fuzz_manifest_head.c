/*
 * fuzz_manifest_head.c — the sure head against libyaml (model/manifest.h):
 * the input is a manifest, split as helm 3 does; for each document that
 * hr_manifest_head_sure claims to read, hr_manifest_head (libyaml) must
 * give the same apiVersion, kind, namespace and name whenever libyaml
 * reads the whole document.  (The audit reads heads the sure way.)
 */
#include "fuzz_common.h"

#include <stdlib.h>
#include <string.h>

#include "model/manifest.h"

static void check_doc(const char *d, size_t n)
{
	char *s[4], *y[4];
	static const char *const what[4] = { "apiVersion differs", "kind differs", "namespace differs", "name differs" };
	hr_error err = HR_ERROR_INIT;
	int sure = hr_manifest_head_sure(d, n, &s[0], &s[1], &s[2], &s[3]);

	if (sure != 1)
		return;
	if (hr_manifest_head(d, n, &y[0], &y[1], &y[2], &y[3], &err) == 0) {
		for (int i = 0; i < 4; i++)
			if (strcmp(s[i], y[i]))
				fz_fail(what[i], s[i], strlen(s[i]), y[i], strlen(y[i]));
	}
	for (int i = 0; i < 4; i++) {
		free(s[i]);
		free(y[i]);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	hr_error err = HR_ERROR_INIT;
	hr_span *docs = NULL;
	size_t n = 0;
	const char *m = (const char *)data;

	if (hr_manifest_split(m, size, HR_SPLIT_OLD, &docs, &n, &err))
		return 0;
	for (size_t i = 0; i < n; i++)
		check_doc(m + docs[i].off, docs[i].len);
	free(docs);
	return 0;
}
