/*
 * release.c — a stored payload to release JSON (hr_codec_release_json):
 * peel the layers, convert a Helm 2 body as helm-2to3 does, and parse.
 * Every place that reads a release out of a payload (the scan's workers,
 * the index's body query, export, `decode`) goes through here, so the cap,
 * the Helm 2 conversion and the error messages are the same everywhere.
 */
#include "codec/codec.h"
#include "codec/gojson.h"
#include "codec/helm2.h"

#include <json-c/json.h>

int hr_codec_release_json(hr_decoded *dec, struct json_object **rel, const char *in, size_t len,
			  hr_payload_form form, size_t max_out, unsigned flags, hr_error *err)
{
	hr_buf json = HR_BUF_INIT;
	int rc;

	if (rel)
		*rel = NULL;
	if ((rc = hr_codec_decode(dec, in ? in : "", len, form, max_out, err)))
		goto out;
	if (dec->layers & HR_LAYER_PROTOBUF) {
		/* Helm 2: the body becomes the Helm 3 JSON helm-2to3 would store; dec->helm stays Tiller's string. */
		if ((rc = hr_helm2_convert(&json, dec->body.ptr, dec->body.len, err)))
			goto out;
		hr_buf_free(&dec->body);
		dec->body = json;
		json = (hr_buf)HR_BUF_INIT;
	}
	if (!rel)
		goto out;
	rc = (flags & HR_RELEASE_SCAN ? hr_gojson_parse_scan : hr_gojson_parse)(rel, dec->body.ptr ? dec->body.ptr : "",
										  dec->body.len, err);
	if (rc) {
		rc = hr_error_prefix(err, rc, "release JSON: ");
		goto out;
	}
	if (!json_object_is_type(*rel, json_type_object)) {
		json_object_put(*rel);
		*rel = NULL;
		rc = hr_error_set(err, HR_EFORMAT, "release JSON is not an object");
	}
out:
	hr_buf_free(&json);
	return rc;
}
