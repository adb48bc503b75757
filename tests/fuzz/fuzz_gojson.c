/*
 * fuzz_gojson.c — differential round trip of the Go JSON parser and writer:
 * for any x that parses, w = write(parse(x)) must parse; the tree of
 * parse(w) must equal parse(x) whenever w needed no UTF-8 repair; and a
 * Go-canonical text c (write of a parse of w) must give itself back byte
 * for byte through parse + write, in each writer mode.  The indexing parser
 * (hr_gojson_parse_scan) must accept whatever the full parser accepts.
 */
#include "fuzz_common.h"

#include <string.h>
#include <json-c/json.h>

#include "codec/gojson.h"

static void round_trip(struct json_object *t1, unsigned flags)
{
	hr_error err = HR_ERROR_INIT;
	hr_buf w1 = HR_BUF_INIT, w2 = HR_BUF_INIT, w3 = HR_BUF_INIT;
	struct json_object *t2 = NULL, *t3 = NULL;

	if (hr_gojson_write(&w1, t1, flags) < 0)
		goto done;  /* NaN/Inf cannot come from text; depth is bounded by the parser */
	if (hr_gojson_parse(&t2, w1.ptr, w1.len, &err) < 0)
		fz_fail("write(parse(x)) does not parse", err.msg, strlen(err.msg), w1.ptr, w1.len);
	if (hr_gojson_write(&w2, t2, flags) < 0)
		fz_fail("write(parse(w1)) failed", w1.ptr, w1.len, NULL, 0);
	/*
	 * Invalid UTF-8 in x is written as \ufffd escapes, which read back as a
	 * valid U+FFFD written raw (as Go does): w1 is canonical only when x held
	 * valid UTF-8.  w2 is always canonical.
	 */
	if (w1.len == w2.len && !memcmp(w1.ptr, w2.ptr, w1.len) && !json_object_equal(t1, t2))
		fz_fail("parse(write(parse(x))) != parse(x)", w1.ptr, w1.len, w2.ptr, w2.len);
	if (hr_gojson_parse(&t3, w2.ptr, w2.len, &err) < 0)
		fz_fail("canonical text does not parse", err.msg, strlen(err.msg), w2.ptr, w2.len);
	if (hr_gojson_write(&w3, t3, flags) < 0)
		fz_fail("write(parse(w2)) failed", w2.ptr, w2.len, NULL, 0);
	if (w2.len != w3.len || memcmp(w2.ptr, w3.ptr, w2.len))
		fz_fail("write(parse(w)) != w for canonical w", w2.ptr, w2.len, w3.ptr, w3.len);
	if (!json_object_equal(t2, t3))
		fz_fail("parse(w) trees differ for canonical w", w2.ptr, w2.len, w3.ptr, w3.len);
done:
	json_object_put(t2);
	json_object_put(t3);
	hr_buf_free(&w1);
	hr_buf_free(&w2);
	hr_buf_free(&w3);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	hr_error err = HR_ERROR_INIT;
	struct json_object *t1 = NULL, *s = NULL;
	int rc, rcs;

	rc = hr_gojson_parse(&t1, (const char *)data, size, &err);
	rcs = hr_gojson_parse_scan(&s, (const char *)data, size, &err);
	json_object_put(s);
	if (rc < 0)
		return 0;
	if (rcs < 0)
		fz_fail("parse_scan refuses what parse accepts", err.msg, strlen(err.msg), (const char *)data, size);
	round_trip(t1, HR_GOJSON_COMPACT);
	round_trip(t1, HR_GOJSON_NO_HTML_ESCAPE);
	round_trip(t1, HR_GOJSON_GO_PRE122);
	json_object_put(t1);
	return 0;
}
