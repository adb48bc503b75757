/*
 * array.h — growing a typed array, with the size arithmetic checked.
 *
 * The one way an hr_ module grows a `T *items; size_t n, cap;` array
 * (after git's ALLOC_GROW):
 *
 *	if (HR_ARRAY_GROW(set->items, set->n + 1, set->cap))
 *		return HR_ENOMEM;
 *	set->items[set->n++] = item;
 *
 * HR_ARRAY_GROW(ptr, need, cap) makes room for at least `need` elements:
 * when `need` > `cap` the capacity becomes max(need, cap * 3/2 + 16) and
 * `ptr` is realloc'd; `need * sizeof *ptr` overflowing size_t or realloc
 * failing leaves ptr and cap untouched and yields HR_ENOMEM.  New
 * elements are not initialised.  Evaluates to 0 or HR_ENOMEM.
 *
 * Ownership: the array stays the caller's (free(ptr)).
 */
#ifndef HR_UTIL_ARRAY_H
#define HR_UTIL_ARRAY_H

#include <stddef.h>
#include "util/error.h"

/* Grow *ptr (elements of `elem` bytes, capacity *cap) to hold `need`. */
int hr_array_grow(void **ptr, size_t elem, size_t need, size_t *cap);

#define HR_ARRAY_GROW(ptr, need, cap) \
	hr_array_grow((void **)&(ptr), sizeof *(ptr), (need), &(cap))

#endif
