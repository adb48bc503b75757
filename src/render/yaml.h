/*
 * yaml.h — YAML text exactly as Helm prints it.
 *
 * Helm prints YAML with sigs.k8s.io/yaml.Marshal: the Go value is first
 * written as JSON (encoding/json), the JSON is read back by go-yaml v2 into
 * generic maps, lists and scalars, and that is written by go-yaml v2's
 * emitter.  hr_yaml_write() reproduces the whole chain for a json-c tree
 * holding what Helm held (release config, chart values, coalesced values):
 *
 *  - numbers are float64 as in Helm (json-c ints are converted), written as
 *    encoding/json writes them and resolved by go-yaml: integral values that
 *    fit int64/uint64 print as integers, everything else with
 *    strconv.FormatFloat(f, 'g', -1, 64) (so 1234567.5 prints 1.2345675e+06);
 *  - map keys are sorted with go-yaml's key order (runs of digits compare
 *    numerically, non-letters sort before letters);
 *  - strings are plain when they would read back as the same string, else
 *    single-quoted, else double-quoted with escapes; strings holding "\n"
 *    use a literal block (|, |-, |+, with an indentation digit when the text
 *    starts with a space or a break); plain and quoted scalars are folded at
 *    spaces once the line is past column 80;
 *  - 2-space indentation, "- " items at the indentation of their parent
 *    key, empty maps/lists as {} and [], null as null, non-ASCII printable
 *    text raw, one final "\n".
 *
 * Strings holding characters go-yaml's reader rejects after the JSON round
 * trip (DEL, C1 controls other than NEL, U+FFFE, U+FFFF) make Helm fail
 * with "yaml: control characters are not allowed"; hr_yaml_write fails with
 * HR_EFORMAT and that message.  NaN and infinities fail with HR_EINVAL
 * (encoding/json refuses them).
 *
 * `v` NULL is JSON null.  Ownership: appends to the caller's hr_buf; on
 * failure the buffer is left at its original length.
 */
#ifndef HR_RENDER_YAML_H
#define HR_RENDER_YAML_H

#include <json-c/json.h>

#include "util/buf.h"
#include "util/error.h"

int hr_yaml_write(hr_buf *out, struct json_object *v, hr_error *err);

#endif
