/*
 * helm.h — Helm-identical output of `helm history`, `helm list`,
 * `helm get manifest|hooks|notes|metadata` and `helm status` (offline).
 *
 * Every function appends exactly the bytes helm writes to stdout for the
 * same records (TZ and locale as helm would see them: times print with the
 * stored offset and a zone name resolved against the process TZ, see
 * util/gotime.h; table widths follow go-runewidth, see render/table.h).
 *
 * Common parameters:
 *   helm_major  4 (helm v4.x, the default when 0) or 3 (helm v3.x); the
 *               versions differ in JSON details and in some table lines.
 *   format      "table" (also NULL or ""), "json" or "yaml", as helm's
 *               `-o`.  Anything else gives HR_EINVAL with helm's message
 *               `invalid format type "x"`.
 * Errors: HR_EINVAL for bad options, HR_EFORMAT when a release lacks what
 * helm needs (helm would panic or fail there), HR_ENOMEM.  On error `out`
 * may hold a partial result; the caller discards it.
 *
 * Ownership: nothing is retained; all inputs are borrowed for the call.
 */
#ifndef HR_RENDER_HELM_H
#define HR_RENDER_HELM_H

#include <stddef.h>
#include <stdint.h>
#include <json-c/json.h>
#include "model/record.h"
#include "model/revision.h"
#include "util/buf.h"
#include "util/error.h"

/* hr_rev_summary (what `history` and `list` print) and hr_rev_summary_from_json: model/revision.h. */

/* ---- helm history ---- */

/*
 * `helm history NAME [--max N] [-o F]`: `revs` are all revisions of one
 * release in any order.  Helm sorts them by version, keeps the newest
 * `max` (helm's default 256; max <= 0 keeps none) and prints them oldest
 * first.  Table: REVISION UPDATED STATUS CHART "APP VERSION" DESCRIPTION,
 * UPDATED in time.ANSIC ("Mon Jan  1 00:00:00 0001" for a zero time);
 * json/yaml: objects revision, updated (RFC3339Nano; zero: "" in v3,
 * omitted in v4), status, chart, app_version, description.  With no
 * revisions the table is the header alone and json is "[]" (helm itself
 * reports "release: not found" before getting here; that is the caller's).
 */
int hr_render_history(hr_buf *out, const hr_rev_summary *revs, size_t n, int max,
		      int helm_major, const char *format, hr_error *err);

/* ---- helm list ---- */

/* State bits of `helm list` (pkg/action ListStates). */
enum {
	HR_LIST_DEPLOYED = 1u << 0,
	HR_LIST_UNINSTALLED = 1u << 1,
	HR_LIST_UNINSTALLING = 1u << 2,
	HR_LIST_PENDING_INSTALL = 1u << 3,
	HR_LIST_PENDING_UPGRADE = 1u << 4,
	HR_LIST_PENDING_ROLLBACK = 1u << 5,
	HR_LIST_SUPERSEDED = 1u << 6,
	HR_LIST_FAILED = 1u << 7,
	HR_LIST_UNKNOWN = 1u << 8
};
/* Helm's ListAll: note that it does NOT include HR_LIST_UNKNOWN. */
#define HR_LIST_ALL 0xFFu

typedef struct hr_list_opts {
	int helm_major;          /* 4 or 3 (0 = 4) */
	const char *format;      /* table/json/yaml */
	int all;                 /* -a/--all (helm 3 only; helm 4 always shows all) */
	int deployed, failed, pending, superseded, uninstalled, uninstalling; /* state flags */
	int by_date;             /* -d */
	int reverse;             /* -r */
	int short_names;         /* -q: names only */
	int no_headers;          /* --no-headers */
	int max;                 /* -m/--max, helm default 256; <= 0 = no limit */
	int offset;              /* --offset */
	const char *filter;      /* -f: regex on the release name (POSIX ERE here, RE2 in helm) */
	const char *time_format; /* --time-format: Go layout for UPDATED */
	int color;               /* table, helm 4 only: helm 4's escapes (bold headers, cyan
				  * NAMESPACE, STATUS by state); the caller decides (--color) */
} hr_list_opts;

#define HR_LIST_OPTS_INIT { 4, "table", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 256, 0, NULL, NULL, 0 }

/*
 * `helm list -A [flags]` over ALL revisions `revs` of all releases (any
 * order), exactly as helm's action.List does:
 *  1. drop releases whose name does not match `filter`;
 *  2. keep the newest revision per namespace/name — except when the state
 *     mask is exactly "superseded" (only --superseded given), then every
 *     revision stays;
 *  3. keep those whose status is in the state mask (the flags ORed; no
 *     flag: helm 4 = all states, helm 3 = deployed|failed; helm 3 -a = all;
 *     a status outside the known ones never shows, not even with -a);
 *  4. sort by name (-r: descending), or -d by last_deployed seconds, oldest
 *     first (helm's "ByDateDesc" sorts ascending; v4 breaks ties by name),
 *     -d -r newest first;
 *  5. skip `offset`, keep `max`.
 * Helm's order among equal names (same release name in two namespaces) is
 * random (Go map iteration before an unstable sort); here it is namespace
 * ascending (descending with -r), then version.
 * Output: table NAME NAMESPACE REVISION UPDATED STATUS CHART "APP VERSION",
 * UPDATED = Go Time.String() of last_deployed ("-" when zero) or the
 * --time-format layout; json/yaml: array of objects name, namespace,
 * revision (a string), updated, status, chart, app_version; with -q: names
 * one per line, or a json/yaml array of names.
 * The label selector (-l) is not supported here: filter before calling.
 */
int hr_render_list(hr_buf *out, const hr_rev_summary *revs, size_t n, const hr_list_opts *o,
		   hr_error *err);

/* ---- helm get manifest / hooks / notes / metadata ---- */

/* `helm get manifest`: the stored manifest and "\n". */
int hr_render_get_manifest(hr_buf *out, struct json_object *release, hr_error *err);

/* `helm get hooks`: "---\n# Source: PATH\nMANIFEST\n" per stored hook, in order. */
int hr_render_get_hooks(hr_buf *out, struct json_object *release, hr_error *err);

/* `helm get notes`: "NOTES:\n" NOTES "\n" when info.notes is non-empty, else nothing. */
int hr_render_get_notes(hr_buf *out, struct json_object *release, hr_error *err);

/*
 * `helm get metadata [--revision N] [-o F]`.
 * `labels` are the record's object labels (Secret/ConfigMap labels, or the
 * SQL custom labels); helm 4 shows them as LABELS / "labels".  Helm 4 gets
 * the release by a label query without --revision (all labels shown) but
 * by Get with --revision (system labels name, owner, status, version,
 * createdAt, modifiedAt removed): pass `system_labels` = 1 for the first
 * case, 0 for the second.  Helm 3 ignores labels.
 * Table lines: NAME CHART VERSION APP_VERSION ANNOTATIONS [LABELS]
 * DEPENDENCIES NAMESPACE REVISION STATUS DEPLOYED_AT [APPLY_METHOD].
 * Fails with HR_EFORMAT if the release has no chart metadata (helm panics).
 */
int hr_render_get_metadata(hr_buf *out, struct json_object *release, const hr_label *labels,
			   size_t nlabels, int system_labels, int helm_major, const char *format,
			   hr_error *err);

/* ---- helm status ---- */

/*
 * `helm status NAME [--revision N] [-o F]` without a cluster: no
 * RESOURCES section.  Table: NAME, LAST DEPLOYED (omitted when zero),
 * NAMESPACE, STATUS, REVISION, DESCRIPTION (helm 4 always; helm 3 only with
 * show_desc), TEST SUITE block, HOOKS/MANIFEST when the description is
 * "Dry run complete", NOTES (trimmed).  json/yaml: the release without its
 * chart, re-encoded in the helm_major's JSON shape (v3: info.first_deployed,
 * last_deployed, deleted always present, "" when zero; v4: omitted when zero).
 */
int hr_render_status(hr_buf *out, struct json_object *release, int show_desc, int helm_major,
		     const char *format, hr_error *err);

/*
 * hr_render_status with helm's RESOURCES section in the table form: after
 * DESCRIPTION, "RESOURCES:\n" + `resources` + "\n" as statusPrinter
 * writes it (`resources` is the groups' text, e.g. from
 * hr_drift_resources_text; NULL or "" = no section, exactly as
 * hr_render_status).  `color` (table, helm 4 only): colour NAMESPACE and
 * STATUS with helm 4's escapes (pkg/cli/output/color.go); the caller
 * decides (--color).  json/yaml ignore both.
 */
int hr_render_status_resources(hr_buf *out, struct json_object *release, int show_desc, int helm_major,
			       const char *format, const char *resources, int color, hr_error *err);

/* ---- semi-private helpers shared by the render files ---- */

/*
 * JSON members are read with the project's one set of member helpers,
 * hr_release_member* in model/release.h (which states the json-c
 * ownership rule).
 */

/*
 * helm's statusPrinter.WriteTable, shared by `status` and `get all` as in
 * helm (pkg/cmd/status.go): NAME, LAST DEPLOYED (omitted when zero),
 * NAMESPACE, STATUS, REVISION, [CHART, VERSION, APP_VERSION], [DESCRIPTION],
 * the TEST SUITE block, [USER-SUPPLIED and COMPUTED VALUES], HOOKS and
 * MANIFEST (with debug, or when the description is "Dry run complete"),
 * and the trimmed NOTES.  No RESOURCES (no cluster).
 */
typedef struct hr_render__status_opts {
	int show_desc;       /* the DESCRIPTION line */
	int show_metadata;   /* CHART / VERSION / APP_VERSION (get all) */
	int debug;           /* values blocks, hooks and manifest (get all) */
	int helm_major;      /* for the values blocks */
	const char *resources; /* RESOURCES section body, NULL = none (status from live objects) */
	int color;           /* helm 4's ANSI colours on NAMESPACE and STATUS */
} hr_render__status_opts;

int hr_render__status_table(hr_buf *out, struct json_object *rel, const hr_render__status_opts *o,
			    hr_error *err);

/*
 * helm 4's ColorizeStatus (internal/cli/output/color.go, fatih/color): the
 * escape that opens status word `s` — deployed green, failed and unknown
 * red, pending-* and uninstalling yellow — or "" (the rest stay plain).
 * A coloured word is closed by "\033[0m".
 */
const char *hr_render__status_escape(const char *s);

typedef enum hr_render__fmt { HR_RENDER__TABLE, HR_RENDER__JSON, HR_RENDER__YAML } hr_render__fmt;
int hr_render__parse_format(const char *format, hr_render__fmt *out, hr_error *err);
/*
 * Write a json-c tree as Go's json.Encoder does (HTML escaping, keys in
 * tree order, numbers as held) plus "\n" for JSON, or as helm's YAML.
 */
int hr_render__encode(hr_buf *out, struct json_object *v, hr_render__fmt fmt, hr_error *err);

/*
 * Make the i-th element of a rendered list: *v = a new json-c value (the
 * caller takes it), `scratch` an empty buffer to use.  0 or an HR_E* code
 * (err filled, except for HR_ENOMEM).
 */
typedef int (*hr_render__item_fn)(const void *ctx, size_t i, struct json_object **v, hr_buf *scratch,
				  hr_error *err);

/*
 * Encode the JSON array of item(ctx, 0..n-1) in `fmt` (json or yaml) to
 * `out`.  Out of memory reads "out of memory rendering WHAT".
 */
int hr_render__items(hr_buf *out, hr_render__fmt fmt, size_t n, hr_render__item_fn item, const void *ctx,
		     const char *what, hr_error *err);

/*
 * Fill cells[0..ncols) for row i of a table; the cells may point into the
 * three empty `scratch` buffers.  0 or an HR_E* code (err filled, except
 * for HR_ENOMEM).
 */
typedef int (*hr_render__row_fn)(const void *ctx, size_t i, const char **cells, hr_buf scratch[3], hr_error *err);

/*
 * Write helm's table (render/table.h): the `head` row unless NULL, then
 * row(ctx, 0..n-1), `ncols` cells each (at most 8).  Out of memory reads
 * "out of memory rendering WHAT".
 */
int hr_render__table(hr_buf *out, const char *const *head, size_t ncols, size_t n, hr_render__row_fn row,
		     const void *ctx, const char *what, hr_error *err);

#endif
