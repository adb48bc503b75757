/*
 * gojson.h — serialize json-c values byte-for-byte as Go's encoding/json
 * (json.Marshal) wrote them in Helm's records.
 *
 * Rules reproduced: object keys in the order they are held (json-c keeps
 * insertion order, so a parsed record keeps Helm's struct order and sorted
 * map keys); strings escaped as Go does (\" \\ \n \r \t, other < 0x20 as
 * \u00xx lower-case hex, HTML escaping of < > & as \u003c \u003e \u0026,
 * U+2028/U+2029 escaped, invalid UTF-8 replaced by U+FFFD, everything else
 * raw); numbers as the input text when json-c kept it, else Go's shortest
 * float formatting ('%g'-like rules of strconv.FormatFloat(f, 'g'/'f')).
 *
 * Ownership: appends to the caller's hr_buf.
 */
#ifndef HR_CODEC_GOJSON_H
#define HR_CODEC_GOJSON_H

#include <json-c/json.h>
#include "util/buf.h"
#include "util/error.h"

enum {
	HR_GOJSON_COMPACT = 0,
	HR_GOJSON_NO_HTML_ESCAPE = 1u << 0  /* SetEscapeHTML(false) */
};

/* Append the Go encoding of `v` (NULL = null) to `out`. */
int hr_gojson_write(hr_buf *out, struct json_object *v, unsigned flags);

/* Append `s` (len bytes) as a Go JSON string literal with quotes. */
int hr_gojson_write_string(hr_buf *out, const char *s, size_t len, unsigned flags);

/* Go's strconv.FormatFloat(f, 'g', -1, 64) as encoding/json prints float64. */
int hr_gojson_write_float(hr_buf *out, double f);

/*
 * Parse JSON text into a json-c tree keeping number texts (so re-encoding is
 * exact).  Caller frees with json_object_put().  Errors name the byte offset.
 */
int hr_gojson_parse(struct json_object **out, const char *text, size_t len, hr_error *err);

#endif
