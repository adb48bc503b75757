/*
 * fuzz_yaml_emit.c — the helm YAML emitter (render/yaml.h) round trip: any
 * JSON value the Go parser accepts is written as YAML; when that succeeds,
 * libyaml must read the text back without error as exactly one document,
 * and writing the same tree again must give the same bytes.
 */
#include "fuzz_common.h"

#include <string.h>
#include <json-c/json.h>
#include <yaml.h>

#include "codec/gojson.h"
#include "render/yaml.h"

static void check_parses(const hr_buf *y)
{
	yaml_parser_t p;
	yaml_event_t ev;
	int docs = 0, done = 0;

	if (!yaml_parser_initialize(&p))
		return;
	yaml_parser_set_input_string(&p, (const unsigned char *)y->ptr, y->len);
	while (!done) {
		if (!yaml_parser_parse(&p, &ev))
			fz_fail("emitted YAML does not parse", p.problem ? p.problem : "?",
				p.problem ? strlen(p.problem) : 1, y->ptr, y->len);
		if (ev.type == YAML_DOCUMENT_START_EVENT)
			docs++;
		done = ev.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&p);
	if (docs != 1)
		fz_fail("emitted YAML is not one document", y->ptr, y->len, NULL, 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	hr_error err = HR_ERROR_INIT;
	hr_buf y1 = HR_BUF_INIT, y2 = HR_BUF_INIT;
	struct json_object *t = NULL;

	if (hr_gojson_parse(&t, (const char *)data, size, &err) < 0)
		return 0;
	if (hr_yaml_write(&y1, t, &err) == 0) {
		check_parses(&y1);
		if (hr_yaml_write(&y2, t, &err) < 0 || y1.len != y2.len || memcmp(y1.ptr, y2.ptr, y1.len))
			fz_fail("emitter is not deterministic", y1.ptr, y1.len, y2.ptr, y2.len);
	} else if (y1.len) {
		fz_fail("failed emit left bytes in the buffer", y1.ptr, y1.len, NULL, 0);
	}
	json_object_put(t);
	hr_buf_free(&y1);
	hr_buf_free(&y2);
	return 0;
}
