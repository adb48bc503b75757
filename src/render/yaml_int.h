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

/* yaml_scalar.c */

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
