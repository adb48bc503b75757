/*
 * array.c — HR_ARRAY_GROW's out-of-line part (see array.h).
 */
#include "util/array.h"

#include <stdint.h>
#include <stdlib.h>

int hr_array_grow(void **ptr, size_t elem, size_t need, size_t *cap)
{
	size_t ncap;
	void *p;

	if (need <= *cap)
		return 0;
	if (elem == 0)
		return HR_ENOMEM;
	ncap = *cap < (SIZE_MAX - 16) / 3 * 2 ? *cap / 2 * 3 + 16 : need;
	if (ncap < need)
		ncap = need;
	if (ncap > SIZE_MAX / elem)
		return HR_ENOMEM;
	p = realloc(*ptr, ncap * elem);
	if (!p)
		return HR_ENOMEM;
	*ptr = p;
	*cap = ncap;
	return 0;
}
