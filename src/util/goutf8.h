/*
 * goutf8.h — Go's unicode/utf8 rules: what counts as valid UTF-8 (no
 * overlong forms, no surrogates U+D800..U+DFFF, nothing above U+10FFFF)
 * and what a decoder does with bytes that are not (utf8.RuneError, one
 * byte at a time).  encoding/json, go-yaml and Helm's table printer all
 * follow these rules, so helmrec decides them here once.
 *
 * Functions take (pointer, length) bytes, need no NUL, keep no state and
 * allocate only through the hr_buf they append to.
 */
#ifndef HR_UTIL_GOUTF8_H
#define HR_UTIL_GOUTF8_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

#define HR_GOUTF8_RUNE_ERROR 0xFFFDu   /* utf8.RuneError */

/*
 * utf8.DecodeRune: the rune at s[0..n) and its width.  Empty input gives
 * (RuneError, 0); bytes that do not start a valid sequence give
 * (RuneError, 1).  An encoded U+FFFD is (RuneError, 3).
 */
size_t hr_goutf8_decode(const void *s, size_t n, uint32_t *r);

/*
 * Width of the valid sequence at s[0..n) with its rune in *r, or 0 when the
 * bytes do not start one (or n is 0); *r is then RuneError.
 */
size_t hr_goutf8_valid_len(const void *s, size_t n, uint32_t *r);

/* utf8.Valid: 1 if all of s[0..n) is valid UTF-8. */
int hr_goutf8_valid(const void *s, size_t n);

/*
 * utf8.EncodeRune into out (up to 4 bytes, no NUL); returns the width.
 * Surrogates and values above U+10FFFF encode as RuneError.
 */
size_t hr_goutf8_encode(char out[4], uint32_t r);

/* Append utf8.AppendRune(r).  0 or HR_ENOMEM. */
int hr_goutf8_put_rune(hr_buf *out, uint32_t r);

/*
 * Append s[0..n) with every byte that does not start a valid sequence
 * replaced by U+FFFD ("\xEF\xBF\xBD"), as encoding/json does when it
 * writes a string.  0 or HR_ENOMEM.
 */
int hr_goutf8_put_fixed(hr_buf *out, const char *s, size_t n);

#endif
