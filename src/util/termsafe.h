/*
 * termsafe.h — text from the inputs made harmless for a terminal in
 * helmrec's own output (audit table, errors, warnings, notes): the
 * characters that steer a terminal or reorder what is shown are written
 * as visible escapes, the rest byte for byte.  Escaped: C0 controls except
 * \t and \n (ESC as \x1b, BEL as \x07, ...), DEL (\x7f), the C1 controls
 * U+0080..U+009F (\u0080; CSI as \u009b) and the bidi embeddings,
 * overrides and isolates U+202A..U+202E, U+2066..U+2069 (\u202e), and
 * each byte that is not part of valid UTF-8 (Go's rules, util/goutf8.h:
 * a lone 0x9b, which some terminals take as CSI, shows as \x9b).
 * Outputs that must stay byte-identical with Helm (list, history, status,
 * get) do not use it; YAML outputs escape controls by their own rules,
 * helmrec's JSON outputs by hr_termsafe_json (JSON's own escapes).  See
 * docs/reliability.md § Control characters.
 */
#ifndef HR_UTIL_TERMSAFE_H
#define HR_UTIL_TERMSAFE_H

#include <stddef.h>
#include "util/buf.h"

/* Append `len` bytes of `s`, escaped as above.  Returns 0 or HR_ENOMEM. */
int hr_termsafe_put(hr_buf *out, const char *s, size_t len);

/*
 * Append the JSON text `json` (`len` bytes, as json-c writes it) with the
 * same characters written as JSON escapes (\u001b, \u007f, \u009b,
 * \u202e) and each byte outside valid UTF-8 as \ufffd (what Go's
 * encoding/json writes for it): the document means the same and holds no
 * raw control.  For helmrec's own JSON outputs (drift, audit, clusters).
 * Returns 0 or HR_ENOMEM.
 */
int hr_termsafe_json(hr_buf *out, const char *json, size_t len);

/* Clear `b`, put NUL-terminated `s` escaped, return b's text ("" on NULL s; NULL when out of memory). */
const char *hr_termsafe_str(hr_buf *b, const char *s);

#endif
