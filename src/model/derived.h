/*
 * derived.h — the search rows derived from one release body: one per
 * manifest document (`resource`), per hook (`hook`) and per user value leaf
 * (`value`).  Built by the scan's decode workers (scan/derive_rows.h), so
 * that the single index writer only inserts them (index: hr_index_add).
 *
 * Every string lives in one text buffer, `text`; a row holds offsets into it
 * (HR_DERIVED_NULL for a NULL column; read them with hr_derived_str).  One
 * hr_derived is reused record after record: hr_derived_clear keeps the
 * allocations, hr_derived_free releases them.
 *
 * Ownership: everything is owned by the hr_derived.
 */
#ifndef HR_MODEL_DERIVED_H
#define HR_MODEL_DERIVED_H

#include "util/buf.h"

#include <stddef.h>
#include <stdint.h>

#define HR_DERIVED_NULL ((size_t)-1)

typedef struct hr_resource_row {
	int seq;                       /* order among the manifest's documents that have a kind or apiVersion */
	size_t api_version, kind, namespace, name, source_path;
	char sha256[65];               /* of the document (from its first non-blank byte to the next separator) */
} hr_resource_row;

typedef struct hr_hook_row {
	int seq;                       /* index in the body's hooks array */
	size_t name, kind, path, events, delete_policies;   /* events, policies: comma-joined */
	int64_t weight;
	size_t last_run_phase, last_run_started, last_run_completed;
} hr_hook_row;

typedef struct hr_value_row {
	size_t path, value;            /* dotted path (image.tag, hosts[0].name); the value's JSON text */
} hr_value_row;

typedef struct hr_derived {
	int built;                     /* 0: nothing built (the index must not take these rows) */
	hr_buf text;
	hr_resource_row *resources;
	size_t nresources, resources_alloc;
	hr_hook_row *hooks;
	size_t nhooks, hooks_alloc;
	hr_value_row *values;
	size_t nvalues, values_alloc;
} hr_derived;

#define HR_DERIVED_INIT { 0, HR_BUF_INIT, NULL, 0, 0, NULL, 0, 0, NULL, 0, 0 }

/* The string at offset `off` of d->text, or NULL for HR_DERIVED_NULL. */
static inline const char *hr_derived_str(const hr_derived *d, size_t off)
{
	return off == HR_DERIVED_NULL ? NULL : d->text.ptr + off;
}

/* Append `s` (NULL: no string) to d->text; *off = its offset or HR_DERIVED_NULL.  0 or HR_ENOMEM. */
int hr_derived_put(hr_derived *d, const char *s, size_t len, size_t *off);
/* Empty the rows, keeping the allocations. */
void hr_derived_clear(hr_derived *d);
void hr_derived_free(hr_derived *d);

#endif
