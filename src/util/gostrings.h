/*
 * gostrings.h — Go's unicode.IsSpace and strings.TrimSpace over UTF-8
 * bytes, for the places where Helm trims text (notes, manifest documents)
 * and helmrec must trim exactly the same characters: ASCII \t \n \v \f \r
 * and space, U+0085, U+00A0, U+1680, U+2000..U+200A, U+2028, U+2029,
 * U+202F, U+205F, U+3000.  No allocation; results point into the input.
 */
#ifndef HR_UTIL_GOSTRINGS_H
#define HR_UTIL_GOSTRINGS_H

#include <stddef.h>

/* Width of the unicode.IsSpace rune starting at s[0..n), 0 if there is none. */
size_t hr_go_space_len(const char *s, size_t n);

/* Width of the unicode.IsSpace rune ending at s[n-1], 0 if there is none. */
size_t hr_go_space_len_before(const char *s, size_t n);

/*
 * strings.TrimSpace of s[0..n): returns the first kept byte (inside s) and
 * sets *len to the kept length.
 */
const char *hr_go_trim_space(const char *s, size_t n, size_t *len);

#endif
