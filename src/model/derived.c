/*
 * derived.c — storage of the search rows derived from a release body (see
 * derived.h): the shared text buffer and reuse of the row arrays.
 */
#include "model/derived.h"
#include "util/error.h"

#include <stdlib.h>
#include <string.h>

int hr_derived_put(hr_derived *d, const char *s, size_t len, size_t *off)
{
	if (!s) {
		*off = HR_DERIVED_NULL;
		return 0;
	}
	*off = d->text.len;
	/* each string keeps its NUL: the next one starts after it */
	if (hr_buf_put(&d->text, s, len) || hr_buf_putc(&d->text, '\0'))
		return HR_ENOMEM;
	return 0;
}

void hr_derived_clear(hr_derived *d)
{
	d->built = 0;
	hr_buf_clear(&d->text);
	d->nresources = d->nhooks = d->nvalues = 0;
}

void hr_derived_free(hr_derived *d)
{
	if (!d)
		return;
	hr_buf_free(&d->text);
	free(d->resources);
	free(d->hooks);
	free(d->values);
	memset(d, 0, sizeof(*d));
}
