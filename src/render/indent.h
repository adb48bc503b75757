/*
 * indent.h — re-indent compact JSON text as Go's json.Indent does
 * (prefix "", indent as given): one element per line, "key": value with a
 * single space, empty objects/arrays kept as {} and [].
 *
 * Ownership: appends to the caller's hr_buf.
 */
#ifndef HR_RENDER_INDENT_H
#define HR_RENDER_INDENT_H

#include <stddef.h>
#include "util/buf.h"

int hr_json_indent(hr_buf *out, const char *json, size_t len, const char *indent);

#endif
