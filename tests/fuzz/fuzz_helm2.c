/*
 * fuzz_helm2.c — Helm 2: the hapi.release.Release protobuf reader and the
 * helm-2to3 conversion into Helm 3 JSON; a converted body must parse as
 * JSON.
 */
#include "fuzz_common.h"

#include <string.h>
#include <json-c/json.h>

#include "codec/gojson.h"
#include "codec/helm2.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	hr_error err = HR_ERROR_INIT;
	hr_buf out = HR_BUF_INIT;
	struct json_object *o = NULL;

	if (hr_helm2_convert(&out, data, size, &err) == 0) {
		if (hr_gojson_parse(&o, out.ptr, out.len, &err) < 0)
			fz_fail("helm2 conversion wrote JSON that does not parse", err.msg, strlen(err.msg), out.ptr,
				out.len);
		json_object_put(o);
	}
	hr_buf_free(&out);
	return 0;
}
