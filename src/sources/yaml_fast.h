/*
 * yaml_fast.h — the fast path of the YAML reader (semi-private to
 * src/sources/kube_yaml.c and tests).
 *
 * libyaml scans character by character; in a kubectl dump almost all bytes
 * are long base64 values on lines like `    release: SDRzSUFB...`.  The
 * filter sits between hr_input and libyaml: each such value (a line
 * `INDENT KEY: VALUE` whose VALUE is at least HR_YAML_FAST_MIN base64
 * characters) is set aside and replaced by a short placeholder of the same
 * character class, so libyaml sees the same structure with the same lines;
 * hr_yaml_fast_restore() puts the value back into the scalar event before
 * the reader looks at it.  Character offsets are translated back with
 * hr_yaml_fast_removed().  The result is identical to reading without the
 * filter (a test compares both on the corpus and on odd shapes); anything
 * not matching the line pattern passes through untouched.
 *
 * Ownership: free with hr_yaml_fast_free().
 */
#ifndef HR_SOURCES_YAML_FAST_H
#define HR_SOURCES_YAML_FAST_H

#include <yaml.h>
#include "sources/reader.h"

#define HR_YAML_FAST_MIN 256

typedef struct hr_yaml_fast hr_yaml_fast;

/* Lines longer than line_cap pass through unfiltered (bounds the memory). */
int hr_yaml_fast_new(hr_yaml_fast **out, hr_input *in, size_t line_cap);
/* Filtered bytes for libyaml: count read (0 at end) or a negative HR_E* code. */
long hr_yaml_fast_read(hr_yaml_fast *f, unsigned char *buf, size_t size, hr_error *err);
/*
 * Call for every event, in order, before using it: forgets placeholders
 * before the event and, for a scalar holding placeholders, swaps the
 * original text into ev->data.scalar.  Returns 0 or HR_ENOMEM.
 */
int hr_yaml_fast_restore(hr_yaml_fast *f, yaml_event_t *ev);
/* Characters removed before the last event seen by restore (add to its index). */
uint64_t hr_yaml_fast_removed(const hr_yaml_fast *f);
/*
 * The most bytes of set-aside values held at once so far.  The filter
 * stops running ahead of libyaml once it holds HR_YAML_FAST_HOLD (a chunk
 * of placeholder lines can stand for many MiB), so this stays under
 * HR_YAML_FAST_HOLD plus the longest value.
 */
#define HR_YAML_FAST_HOLD ((size_t)1 << 20)
size_t hr_yaml_fast_held_peak(const hr_yaml_fast *f);
void hr_yaml_fast_free(hr_yaml_fast *f);

#endif
