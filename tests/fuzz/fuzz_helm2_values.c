/*
 * fuzz_helm2_values.c — Helm 2 values YAML (chartutil.ReadValues rules)
 * into the JSON helm 3 stores; the result must parse as a JSON object.
 * One refusal is allowed: a key holding NUL ("\0" in a double-quoted YAML
 * key) is valid Go JSON that the parser declines as not representable
 * (HR_EUNSUPPORTED, json-c keys are C strings): a clear error, not a crash.
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

	if (hr_helm2_values_json(&out, (const char *)data, size, &err) == 0) {
		int rc = hr_gojson_parse(&o, out.ptr, out.len, &err);

		if ((rc < 0 && rc != HR_EUNSUPPORTED) || (rc == 0 && !json_object_is_type(o, json_type_object)))
			fz_fail("helm2 values wrote JSON that is not an object", err.msg, strlen(err.msg), out.ptr,
				out.len);
		json_object_put(o);
	}
	hr_buf_free(&out);
	return 0;
}
