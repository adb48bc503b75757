/*
 * yaml_int.h — semi-private helpers of the render module's YAML/JSON
 * printers (not part of the library's public interface; names carry a
 * double underscore).
 */
#ifndef HR_RENDER_YAML_INT_H
#define HR_RENDER_YAML_INT_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

struct hr_error;

/* Go's unicode.IsLetter / unicode.IsDigit (yaml_unicode.c). */
int hr_yaml__is_letter(uint32_t c);
int hr_yaml__is_digit(uint32_t c);

/*
 * Shortest decimal digits of a finite double d > 0 that read back as d
 * (what Go's strconv uses for precision -1): `digits` gets nd ASCII digits
 * (no trailing zeros, at most 17) and the value is 0.DIGITS * 10^dp.
 */
void hr_yaml__shortest(double d, char digits[24], int *nd, int *dp);

/*
 * Append the text Go's encoding/json writes for a float64: 'f' notation,
 * or 'e' notation (exponent without a leading zero) when |d| < 1e-6 or
 * |d| >= 1e21.  Returns 0, HR_ENOMEM, or HR_EINVAL for NaN and infinities
 * (json.Marshal refuses them too).
 */
int hr_yaml__go_json_float(hr_buf *out, double d);

/*
 * Append `s` with invalid UTF-8 replaced the way encoding/json does it:
 * every byte that does not start a valid sequence (Go's utf8 rules:
 * no overlongs, no surrogates, nothing above U+10FFFF) becomes U+FFFD.
 */
int hr_yaml__go_utf8(hr_buf *out, const char *s, size_t len);

/* yaml_scalar.c */

/* Length of the valid UTF-8 sequence at s (Go's rules) and its code
 * point; 0 if the bytes do not start one. */
size_t hr_yaml__utf8_len(const unsigned char *s, size_t n, uint32_t *cp);

/*
 * Append the plain scalar go-yaml prints for a float64 that went through
 * encoding/json: integral text that fits int64/uint64 prints as that
 * integer, anything else as strconv.FormatFloat(d, 'g', -1, 64).  NaN and
 * infinities fail with HR_EINVAL (encoding/json refuses them).
 */
int hr_yaml__number_text(hr_buf *out, double d, struct hr_error *err);

/*
 * Append the string go-yaml holds after reading encoding/json's text of
 * `s`; HR_EFORMAT for characters its reader refuses (see yaml.h).
 */
int hr_yaml__roundtrip_string(hr_buf *out, const char *s, size_t len, struct hr_error *err);

/*
 * 1 if `s` written as a plain scalar would read back as the same string
 * (go-yaml resolve() gives !!str and it is no YAML 1.1 base-60 number);
 * 0 if go-yaml must quote it.
 */
int hr_yaml__plain_is_string(const char *s, size_t n);

#endif
