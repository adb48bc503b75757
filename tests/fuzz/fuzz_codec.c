/*
 * fuzz_codec.c — the payload codec, every layer: hr_codec_decode() with each
 * outer form (the first byte picks it), then, for a JSON body, the Go JSON
 * parser in both modes.  The inflate cap is small so that a gzip bomb is a
 * clean HR_ETOOBIG.
 */
#include "fuzz_common.h"

#include <json-c/json.h>

#include "codec/codec.h"
#include "codec/gojson.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	hr_decoded d = HR_DECODED_INIT;
	hr_error err = HR_ERROR_INIT;
	struct json_object *o = NULL;
	hr_payload_form form;

	if (size < 1)
		return 0;
	form = (hr_payload_form)(data[0] % 3);
	if (hr_codec_decode(&d, (const char *)data + 1, size - 1, form, 4u << 20, &err) == 0 &&
	    (d.layers & HR_LAYER_JSON)) {
		if (hr_gojson_parse_scan(&o, d.body.ptr, d.body.len, &err) == 0)
			json_object_put(o);
		o = NULL;
		if (hr_gojson_parse(&o, d.body.ptr, d.body.len, &err) == 0)
			json_object_put(o);
	}
	hr_decoded_free(&d);
	return 0;
}
