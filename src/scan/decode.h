/*
 * decode.h — one record's payload to a release, as the scan does it.
 *
 * Used by the pipeline's decode workers and by `helmrec decode`; it only
 * needs codec/ (hr_codec_release_json) and names the record in errors, so
 * it sits below both scan.c and pipeline.c (scan -> pipeline -> decode).
 */
#ifndef HR_SCAN_DECODE_H
#define HR_SCAN_DECODE_H

#include <stddef.h>
#include <json-c/json.h>
#include "codec/codec.h"
#include "model/record.h"
#include "index/live.h"
#include "util/error.h"

/*
 * Decode and parse one record's payload: hr_codec_release_json over
 * rec->payload in rec->form, capped at `max_payload` (0 = the codec's
 * default).  Fills dec (free with hr_decoded_free) and *rel (put it).
 * With `full` 0 the tree leaves out the chart's templates, files, schema
 * and values (HR_RELEASE_SCAN): enough to index, not to print or
 * re-encode.  A Helm 2 payload is converted as helm-2to3 does (see
 * hr_codec_release_json).  Errors are prefixed with where the record came
 * from ("FILE: LOCATION: NS/NAME: ..."); the code is the codec's (a bad
 * record: the caller skips it and goes on).
 */
int hr_scan_decode_record(const hr_record *rec, size_t max_payload, int full, hr_decoded *dec,
			  struct json_object **rel, hr_error *err);

/*
 * A live object (rec->is_object: payload = the object's JSON) to what the
 * index stores of it: identity, Helm ownership, managedFields managers with
 * the JSON pointers each owns (fieldsV1 resolved against the object: list
 * items by index), the newest timestamp in it, and the gzip'd body.  Fills
 * *o (clear with hr_live_object_clear).  HR_ESKIP (err names the record)
 * when the payload is not a JSON object with apiVersion, kind and name.
 */
int hr_scan_decode_live(const hr_record *rec, hr_live_object *o, hr_error *err);

#endif
