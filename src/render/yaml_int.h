/*
 * yaml_int.h — semi-private helpers of the render module's YAML/JSON
 * printers (not part of the library's public interface; names carry a
 * double underscore).
 */
#ifndef HR_RENDER_YAML_INT_H
#define HR_RENDER_YAML_INT_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

struct hr_error;

/* Go's unicode.IsLetter / unicode.IsDigit (yaml_unicode.c). */
int hr_yaml__is_letter(uint32_t c);
int hr_yaml__is_digit(uint32_t c);

/* yaml_scalar.c */

/*
 * Append the plain scalar go-yaml prints for a float64 that went through
 * encoding/json: integral text that fits int64/uint64 prints as that
 * integer, anything else as strconv.FormatFloat(d, 'g', -1, 64).  NaN and
 * infinities fail with HR_EINVAL (encoding/json refuses them).
 */
int hr_yaml__number_text(hr_buf *out, double d, struct hr_error *err);

/*
 * Append the string go-yaml holds after reading encoding/json's text of
 * `s`; HR_EFORMAT for characters its reader refuses (see yaml.h).
 */
int hr_yaml__roundtrip_string(hr_buf *out, const char *s, size_t len, struct hr_error *err);

/*
 * 1 if `s` written as a plain scalar would read back as the same string
 * (go-yaml resolve() gives !!str and it is no YAML 1.1 base-60 number);
 * 0 if go-yaml must quote it.
 */
int hr_yaml__plain_is_string(const char *s, size_t n);

/* yaml_emit.c: emitterc.go's scalar analysis, style choice and writers */

#define BEST_WIDTH 80
#define BEST_INDENT 2

enum { CTX_ROOT = 1, CTX_SEQ = 2, CTX_MAP = 4, CTX_SIMPLE_KEY = 8 };
enum { ST_PLAIN, ST_SINGLE, ST_DOUBLE, ST_LITERAL };

typedef struct yemit {
	hr_buf *out;
	int column;      /* characters on the current line */
	int indent;      /* -1 before the root node */
	int whitespace;  /* the last thing written was whitespace */
	int indention;   /* only indentation written on this line so far */
	int depth;
	struct hr_error *err;
} yemit;

typedef struct yscan {
	int multiline, block_plain, single_ok, block_ok;
} yscan;

/* yaml_emitter_analyze_scalar: what styles the text `v` allows. */
void hr_yaml__analyze(yscan *sc, const unsigned char *v, size_t n);

/* yaml_emitter_write_indent: break the line if needed, then indent to e->indent. */
int hr_yaml__indent(yemit *e);

/* yaml_emitter_write_indicator: write `ind`, after a space when need_ws. */
int hr_yaml__indicator(yemit *e, const char *ind, int need_ws, int is_ws, int is_indention);

/*
 * Emit one scalar: `style` (ST_*) is what go-yaml's encoder asked for; the
 * emitter may downgrade it (select_scalar_style).  `ctx` is CTX_* bits.
 */
int hr_yaml__emit_scalar(yemit *e, const char *s, size_t n, int style, int ctx);

/*
 * The failure tail of a writer that appended to out from length n0 (the
 * YAML and JSON value writers): a nonzero rc cuts out back to n0, and
 * HR_ENOMEM is named "<what>: out of memory" in err.  Returns rc.
 */
int hr_yaml__undo(hr_buf *out, size_t n0, int rc, const char *what, struct hr_error *err);

#endif
