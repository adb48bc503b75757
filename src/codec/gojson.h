/*
 * gojson.h — serialize json-c values byte-for-byte as Go's encoding/json
 * (json.Marshal) wrote them in Helm's records.
 *
 * Rules reproduced: object keys in the order they are held (json-c keeps
 * insertion order, so a parsed record keeps Helm's struct order and sorted
 * map keys); strings escaped as Go does (\" \\ \n \r \t \b \f, other
 * < 0x20 as \u00xx lower-case hex, HTML escaping of < > & as \u003c \u003e
 * \u0026, U+2028/U+2029 escaped, each invalid UTF-8 byte written as the
 * escape \ufffd, everything else raw); numbers as the input text when the
 * parser kept it, else Go's shortest float formatting (encoding/json's
 * floatEncoder over strconv.FormatFloat(f, 'f'/'e', -1, 64)).
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
	HR_GOJSON_NO_HTML_ESCAPE = 1u << 0, /* SetEscapeHTML(false) */
	/*
	 * Go before 1.22 wrote \b and \f as \u0008 and \u000c (Go 1.22 release
	 * notes, encoding/json).  Which one a record has depends on the Go
	 * toolchain that built the helm binary (`helm version` shows it).
	 * Default: the Go >= 1.22 form.
	 */
	HR_GOJSON_GO_PRE122 = 1u << 1
};

/* Nesting limit of the parser and the writer (Go's decoder uses 10000 too). */
#define HR_GOJSON_MAX_DEPTH 10000

/*
 * Append the Go encoding of `v` (NULL = null) to `out`: compact, no
 * trailing newline.  Integers print as int64 (or uint64); doubles print
 * their source text when the parser kept it (json-c userdata of
 * json_object_new_double_s), else hr_gojson_write_float.  Returns 0,
 * HR_ENOMEM, or HR_EINVAL for NaN/Inf (Go refuses them too) or nesting
 * deeper than HR_GOJSON_MAX_DEPTH.  On error `out` may hold a partial
 * value; truncate to the previous length if that matters.
 */
int hr_gojson_write(hr_buf *out, struct json_object *v, unsigned flags);

/*
 * The writer flags that reproduce the escapes of `json` (a body as found):
 * HR_GOJSON_GO_PRE122 when it writes \b and \f as \u0008 and \u000c
 * (Go < 1.22, Helm <= 3.14), HR_GOJSON_NO_HTML_ESCAPE when it holds a raw
 * `<` `>` or `&`; 0 (Go >= 1.22, json.Marshal) otherwise.  Pass them to
 * hr_gojson_write when re-serializing an edited body, so that only the
 * edited fields differ.  Formats table: formats/helm-payload.md.
 */
unsigned hr_gojson_dialect(const char *json, size_t len);

/* Append `s` (len bytes) as a Go JSON string literal with quotes. */
int hr_gojson_write_string(hr_buf *out, const char *s, size_t len, unsigned flags);

/*
 * float64 as encoding/json prints it: shortest digits that read back to
 * the same double; plain decimal when 1e-6 <= |f| < 1e21 (or f is 0,
 * "-0" for negative zero), else exponent form with "e+NN"/"e-N"
 * ("1e+21", "1e-7").  HR_EINVAL for NaN/Inf.
 */
int hr_gojson_write_float(hr_buf *out, double f);

/*
 * Parse JSON text (strict RFC 8259, one value, surrounding whitespace
 * allowed) into a json-c tree keeping number texts, so re-encoding is
 * exact: integers that fit int64 become int64 objects, every other number
 * (fractions, exponents, "-0", integers beyond int64) a double holding its
 * source text.  Object key order is kept; a duplicate key keeps its first
 * position and its last value.  Strings may hold NUL (\u0000; read them
 * with json_object_get_string_len); a key holding NUL is HR_EUNSUPPORTED.
 * Nesting beyond HR_GOJSON_MAX_DEPTH is HR_EFORMAT.  JSON null is a NULL
 * json_object (so *out may be NULL on success for the text "null").
 * Caller frees with json_object_put().  Errors name the byte offset.
 */
int hr_gojson_parse(struct json_object **out, const char *text, size_t len, hr_error *err);

/*
 * Like hr_gojson_parse, for a release body being indexed: the chart's bulk
 * (chart.templates, chart.files, chart.schema, chart.values) is skipped
 * without being built (checked for string/bracket balance only), which
 * halves the scan's parse time.  Never re-encode such a tree.
 */
int hr_gojson_parse_scan(struct json_object **out, const char *text, size_t len, hr_error *err);

#endif
