/*
 * gostrconv.h — Go's strconv number parsing and formatting, and
 * encoding/json's float64 text, as far as helmrec has to reproduce them
 * byte for byte (go-yaml's scalar resolution, ghodss map keys, Helm's JSON).
 *
 * Parsing works on (pointer, length) text that need not be NUL-terminated.
 * Every parser returns 0 on success, HR_EFORMAT for Go's ErrSyntax and
 * HR_ETOOBIG for Go's ErrRange; the output is written only on success.
 * Nothing here allocates except the hr_buf appends, and nothing depends on
 * the program's locale.
 */
#ifndef HR_UTIL_GOSTRCONV_H
#define HR_UTIL_GOSTRCONV_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

/*
 * strconv.ParseUint(s, base, 64) / strconv.ParseInt(s, base, 64).
 * base 0 reads Go's prefixes (0b, 0o, 0x, and a leading 0 for octal) and,
 * like Go, allows '_' between digits (strconv's underscoreOK); base 2..36
 * takes the digits alone.  ParseUint takes no sign; ParseInt takes '+'/'-'.
 */
int hr_go_parse_uint(const char *s, size_t n, int base, uint64_t *out);
int hr_go_parse_int(const char *s, size_t n, int base, int64_t *out);

/*
 * strconv.ParseFloat(s, 64) for decimal text (sign, digits with an
 * optional '.', optional exponent, '_' between digits as Go allows) and
 * Go's special words ("inf", "+Infinity", "NaN", any case).  Hexadecimal
 * floats are not read (HR_EFORMAT).  Overflow gives ±Inf in *out and
 * HR_ETOOBIG, as Go returns ±Inf with ErrRange; underflow is not an error.
 */
int hr_go_parse_float(const char *s, size_t n, double *out);

/* strconv's underscoreOK: are the '_' in s placed where Go allows them? */
int hr_go_underscore_ok(const char *s, size_t n);

/*
 * Shortest decimal digits of a finite |d| > 0 that read back as d at the
 * given precision (bits 64: double, 32: float, what strconv does for
 * precision -1): `digits` gets *nd ASCII digits, no trailing zeros
 * (NUL-terminated), and the value is 0.DIGITS * 10^*dp.
 */
void hr_go_shortest(double d, int bits, char digits[24], int *nd, int *dp);

/*
 * Append strconv.FormatFloat(f, fmt, -1, bits): fmt 'e', 'f' or 'g', bits
 * 64 or 32 (f is rounded to float first).  NaN, +Inf, -Inf print as Go
 * prints them.  Returns 0 or HR_ENOMEM.
 */
int hr_go_format_float(hr_buf *out, double f, char fmt, int bits);

/*
 * Append the text encoding/json writes for a float64: 'f' notation, or 'e'
 * with at least one exponent digit (1e-07 -> 1e-7) when |f| < 1e-6 or
 * |f| >= 1e21.  Returns 0, HR_ENOMEM, or HR_EINVAL for NaN and infinities
 * (json.Marshal refuses them).
 */
int hr_go_json_float(hr_buf *out, double f);

#endif
