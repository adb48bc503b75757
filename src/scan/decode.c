/*
 * decode.c — hr_scan_decode_record: a scanned record's payload through
 * hr_codec_release_json, with the record's provenance in the error.
 */
#include "scan/decode.h"

int hr_scan_decode_record(const hr_record *rec, size_t max_payload, int full, hr_decoded *dec,
			  struct json_object **rel, hr_error *err)
{
	const char *where = rec->location ? rec->location : "";
	int rc;

	rc = hr_codec_release_json(dec, rel, rec->payload, rec->payload_len, rec->form, max_payload,
				   full ? HR_RELEASE_FULL : HR_RELEASE_SCAN, err);
	if (rc)
		return hr_error_prefix(err, rc, "%s: %s%s%s/%s: ", rec->source_path ? rec->source_path : "-", where,
				       *where ? ": " : "", rec->namespace ? rec->namespace : "",
				       rec->name ? rec->name : "(bare payload)");
	return 0;
}
