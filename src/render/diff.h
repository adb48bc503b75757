/*
 * diff.h — what changed between two revisions of a release: per resource
 * (helm's identity: group, kind, namespace, name), per hook, and in the
 * user-supplied values, each with a unified line diff (Myers' O(ND)
 * algorithm).  The text form follows helm-diff's `revision` output
 * ("NS, NAME, KIND (GROUP) has changed:" then the lines); Secret data and
 * stringData values are masked unless asked otherwise, the way helm-diff
 * masks them ("REDACTED # (N bytes)", "-------- # (N bytes)" /
 * "++++++++ # (N bytes)" for a changed value).
 *
 * Ownership: appends to the caller's hr_buf; inputs are borrowed.
 */
#ifndef HR_RENDER_DIFF_H
#define HR_RENDER_DIFF_H

#include <stddef.h>
#include <json-c/json.h>
#include "util/buf.h"
#include "util/error.h"

enum {
	HR_DIFF_COLOR = 1u << 0,        /* ANSI colours (callers decide: a tty, NO_COLOR unset) */
	HR_DIFF_SHOW_SECRETS = 1u << 1, /* do not mask Secret data */
	HR_DIFF_TERMSAFE = 1u << 2      /* hr_diff_text: terminal controls in the lines made visible (termsafe.h) */
};

/*
 * Unified diff of two texts split at '\n' (a final line without '\n'
 * counts as a line), `context` lines around changes (< 0: the whole
 * text).  Appends hunks "@@ -a,n +b,m @@" and lines prefixed ' ', '-',
 * '+'.  *changed (may be NULL) = 1 if the texts differ.  Returns 0 or
 * HR_ENOMEM.  When the edit distance exceeds a large bound the diff is
 * given as "all removed, all added" (still correct, just not minimal).
 */
int hr_diff_text(hr_buf *out, const char *a, size_t alen, const char *b, size_t blen, int context,
		 unsigned flags, int *changed);

typedef struct hr_diff_opts {
	int context;        /* lines of context (default 3 when the struct is zeroed: use -1 for all) */
	unsigned flags;     /* HR_DIFF_* */
	int as_json;        /* one JSON document instead of text */
} hr_diff_opts;

/*
 * Compare release trees `a` and `b` (any two revisions, possibly from two
 * different indexes).  Appends the report; *nchanges (may be NULL) counts
 * changed/added/removed entries.  Returns 0, HR_ENOMEM.
 */
int hr_diff_releases(hr_buf *out, struct json_object *a, struct json_object *b, const hr_diff_opts *o,
		     size_t *nchanges, hr_error *err);

/*
 * Mask the values of a Secret document's data/stringData against the
 * other side's document (`other`, may be NULL): same value -> REDACTED,
 * different or absent on the other side -> `mark` ("--------" for the old
 * side, "++++++++" for the new).  Non-Secret documents are copied as is.
 */
int hr_diff_mask_secret(hr_buf *out, const char *doc, size_t len, const char *other, size_t olen, const char *mark);

/*
 * Append the user-supplied values `cfg` (a revision's config; nothing when
 * NULL, not an object or empty) as sorted "path: JSON" lines.  Unless
 * `flags` has HR_DIFF_SHOW_SECRETS, credential values are masked against
 * the same path in `other` (the other side's config, may be NULL) as
 * hr_diff_mask_secret masks Secret data.  Returns 0 or HR_ENOMEM.
 */
int hr_diff_values_lines(hr_buf *out, struct json_object *cfg, struct json_object *other, const char *mark,
			 unsigned flags);

#endif
