/*
 * gostrings.c — unicode.IsSpace and strings.TrimSpace as Go applies them to
 * UTF-8 text.  Only the valid encodings of the space runes match (Go
 * decodes before it asks IsSpace, and an invalid byte is RuneError, which
 * is no space), so the table compares exact byte sequences.
 */
#include "util/gostrings.h"

size_t hr_go_space_len(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;

	if (!n)
		return 0;
	if (s[0] == ' ' || (s[0] >= '\t' && s[0] <= '\r'))
		return 1;
	if (n >= 2 && s[0] == 0xC2 && (s[1] == 0x85 || s[1] == 0xA0))
		return 2;   /* U+0085, U+00A0 */
	if (n >= 3 && s[0] == 0xE1 && s[1] == 0x9A && s[2] == 0x80)
		return 3;   /* U+1680 */
	if (n >= 3 && s[0] == 0xE2 && s[1] == 0x80 &&
	    ((s[2] >= 0x80 && s[2] <= 0x8A) || s[2] == 0xA8 || s[2] == 0xA9 || s[2] == 0xAF))
		return 3;   /* U+2000..U+200A, U+2028, U+2029, U+202F */
	if (n >= 3 && s[0] == 0xE2 && s[1] == 0x81 && s[2] == 0x9F)
		return 3;   /* U+205F */
	if (n >= 3 && s[0] == 0xE3 && s[1] == 0x80 && s[2] == 0x80)
		return 3;   /* U+3000 */
	return 0;
}

size_t hr_go_space_len_before(const char *s, size_t n)
{
	for (size_t k = 1; k <= 3 && k <= n; k++)
		if (hr_go_space_len(s + n - k, k) == k)
			return k;
	return 0;
}

const char *hr_go_trim_space(const char *s, size_t n, size_t *len)
{
	size_t k;

	while (n && (k = hr_go_space_len(s, n))) {
		s += k;
		n -= k;
	}
	while (n && (k = hr_go_space_len_before(s, n)))
		n -= k;
	*len = n;
	return s;
}
