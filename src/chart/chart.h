/*
 * chart.h — recover the chart stored in a Helm release record.
 *
 * A release record (helm-release-records.md §5.3–5.6) keeps the top-level
 * chart as helm's loader split it: Chart.yaml parsed into chart.metadata,
 * values.yaml parsed into chart.values, values.schema.json and every other
 * file as base64 bytes, Chart.lock (or requirements.lock) parsed into
 * chart.lock.  This module inverts helm's loader (pkg/chart/v2/loader/
 * load.go) the way helm's own SaveDir / writeTarContents would:
 *
 *   Chart.yaml          chart.metadata, printed as helm prints it (JSON keys,
 *                       sorted, hr_yaml_write); apiVersion v1 charts keep
 *                       their dependencies in requirements.yaml instead;
 *                       dependencies[].enabled is dropped (helm computes it
 *                       at install time and stores the result);
 *   values.yaml         chart.values (absent when the record has null);
 *   values.schema.json  chart.schema (base64), byte for byte;
 *   Chart.lock          chart.lock for apiVersion v2 charts;
 *   requirements.lock   chart.lock for v1 charts, unless chart.files has it;
 *   requirements.yaml   metadata.dependencies of a v1 chart, unless
 *                       chart.files has it;
 *   templates/...       chart.templates[].data, byte for byte;
 *   everything else     chart.files[] at its stored path (crds/, README,
 *                       .helmignore, charts/NAME.prov ...).
 *
 * Modification times come from the record where helm 4 stored them
 * (files[].modtime, chart.modtime for Chart.yaml, schemamodtime,
 * lock.generated); otherwise the time of writing.
 *
 * Paths in a record are untrusted.  A name that is empty, absolute, holds
 * a NUL, control character or backslash, is longer than HR_CHART_PATH_MAX
 * (or has a component longer than 255), has an empty, "." or ".." component, names a file
 * the chart writes itself (Chart.yaml...), repeats another file's path, or
 * is both a file and a directory of another file, fails with HR_EFORMAT
 * naming the file ("chart.templates[3] \"../../x\": ..."); nothing is
 * written.  The chart name must be a single path component as well.
 *
 * What helm never stored cannot be recovered; hr_chart_from_release lists
 * it in `notes` for the caller to show the user: sub-charts (charts/NAME-VERSION.tgz,
 * named from metadata.dependencies and chart.lock), values.yaml comments,
 * original dependency names replaced by their alias.
 */
#ifndef HR_CHART_CHART_H
#define HR_CHART_CHART_H

#include <stddef.h>
#include <stdint.h>
#include <json-c/json.h>

#include "util/buf.h"
#include "util/error.h"

/* Longest chart-relative path accepted from a record. */
#define HR_CHART_PATH_MAX 1024

typedef struct hr_chart_file {
	char *path;          /* chart-relative, '/'-separated, validated */
	unsigned char *data; /* the file's bytes (may hold NULs); NULL when len 0 */
	size_t len;
	int64_t mtime;       /* unix seconds, valid when has_mtime */
	int has_mtime;
} hr_chart_file;

typedef struct hr_chart {
	char *name;          /* metadata.name (validated: one path component) */
	char *version;       /* metadata.version ("" when absent) */
	char *api_version;   /* metadata.apiVersion ("v1" when absent, as helm's loader) */
	hr_chart_file *files; /* Chart.yaml first, then in the order helm packages them */
	size_t nfiles;
	char **notes;        /* user-facing sentences: what the record does not hold */
	size_t nnotes, capnotes;
	char **missing;      /* sub-charts the chart needs but the record lacks: "NAME VERSION" or "NAME" */
	size_t nmissing, capmissing;
} hr_chart;

/*
 * Build the chart held in release JSON `rel` (the whole release object, as
 * hr_gojson_parse returns it).  `what` names the record in error messages
 * ("shop/web revision 3"; NULL for none).  Fails with HR_EFORMAT when the
 * release has no chart or chart.metadata, a base64 field is bad, a path is
 * unsafe (see above), or a value cannot be printed as YAML.
 * Free *out with hr_chart_free().
 */
int hr_chart_from_release(hr_chart **out, struct json_object *rel, const char *what, hr_error *err);
void hr_chart_free(hr_chart *c);

/* The file at chart-relative `path`, or NULL.  Borrowed from c. */
const hr_chart_file *hr_chart_find(const hr_chart *c, const char *path);

/*
 * Write the chart as a directory at `dir`, atomically: the files go into a
 * fresh temporary directory next to `dir` (same parent, 0700 while being
 * filled, then 0755), which is then renamed to `dir`.  An existing empty
 * directory is replaced; a non-empty one only with `force` (it is removed
 * after the new one is in place); anything else at `dir` is an error.
 * A non-empty directory without a Chart.yaml is never replaced (so a typo
 * in --out cannot remove a home directory).  Files are 0644, directories
 * 0755 (less the umask).  On failure nothing is left behind and
 * `dir` is as it was.
 */
int hr_chart_write_dir(const hr_chart *c, const char *dir, int force, hr_error *err);

/*
 * Write the chart as a gzip'd tar archive at `path` as `helm package` lays
 * it out: entries NAME/<file>, regular files only (no directory entries),
 * mode 0644, uid/gid 0.  Written to a temporary file in the same directory
 * and renamed; an existing `path` is replaced only with `force`.
 */
int hr_chart_write_tgz(const hr_chart *c, const char *path, int force, hr_error *err);

/*
 * Append "NAME-VERSION.tgz" (helm package's file name) to the caller's buf;
 * HR_EFORMAT (buf unchanged) when the version would make it a path.
 */
int hr_chart_tgz_name(hr_buf *out, const hr_chart *c, hr_error *err);

#endif
