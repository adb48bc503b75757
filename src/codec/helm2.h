/*
 * helm2.h — Helm 2 (Tiller) release records: decode the protobuf body of
 * hapi.release.Release and convert it into the Helm 3 release JSON that
 * helm-2to3 (`helm 2to3 convert`) would store for it.
 *
 * The codec (codec.h) peels base64 and gzip and hands over the protobuf
 * body with HR_LAYER_PROTOBUF set.  hr_helm2_decode() reads that body into
 * the structs below (field tables: formats/helm2-record.md and reference
 * §15.2); hr_helm2_to_json() writes the Helm 3 JSON byte for byte as
 * helm 3 (encoding/json over release.Release) writes the converted release:
 * key order and empty rules of §5, times in UTC RFC 3339 with nanoseconds,
 * status/hook/delete-policy/test-phase names as helm-2to3 maps them, values
 * YAML read as helm 2's chartutil.ReadValues does (ghodss/yaml over
 * go-yaml v2, then JSON: every number a float64).  hr_helm2_convert() does
 * both.
 *
 * Decoding follows proto3 as Go's protobuf runtime reads it: fields in any
 * order, unknown fields skipped, a scalar seen twice keeps the last value,
 * a message seen twice is merged, repeated enums packed or not.  What Go
 * would tolerate but no Tiller ever wrote is refused with HR_ESKIP and a
 * message naming the field and byte offset: a known field with the wrong
 * wire type, groups, truncated varints/lengths, lengths past the end,
 * nesting deeper than HR_HELM2_MAX_DEPTH, a decoded size beyond a budget
 * proportional to the input.  Strings are not checked for UTF-8 (Go's
 * proto3 decoder would refuse invalid UTF-8; we keep the bytes, and the
 * JSON writer turns each bad byte into \ufffd as encoding/json does).
 *
 * Ownership: an hr_helm2_release borrows the protobuf buffer (its strings
 * point into it): keep the buffer alive while using the release; free the
 * release with hr_helm2_release_free().  JSON is appended to the caller's
 * hr_buf.
 */
#ifndef HR_CODEC_HELM2_H
#define HR_CODEC_HELM2_H

#include <stddef.h>
#include <stdint.h>
#include "util/buf.h"
#include "util/error.h"

/* Nesting limit for protobuf messages (sub-charts) and values YAML. */
#define HR_HELM2_MAX_DEPTH 100
#define HR_HELM2_MAX_YAML_DEPTH 2000   /* go-yaml allows 10000; C stacks are smaller */

/* A string or bytes field: points into the protobuf buffer, not NUL-terminated. */
typedef struct hr_h2_str {
	const char *ptr;
	size_t len;
} hr_h2_str;

/* google.protobuf.Timestamp; `present` = the field was on the wire. */
typedef struct hr_h2_time {
	int present;
	int64_t seconds;
	int32_t nanos;
} hr_h2_time;

typedef struct hr_h2_pair {      /* map<string,string> entry, Any, Template */
	hr_h2_str key;            /* Template.name / Any.type_url / map key */
	hr_h2_str value;          /* Template.data / Any.value / map value */
} hr_h2_pair;

typedef struct hr_h2_maintainer {
	hr_h2_str name, email, url;
} hr_h2_maintainer;

typedef struct hr_h2_metadata {
	hr_h2_str name, home, version, description, engine, icon, api_version;
	hr_h2_str condition, tags, app_version, tiller_version, kube_version;
	hr_h2_str *sources, *keywords;
	size_t nsources, nkeywords;
	hr_h2_maintainer *maintainers;
	size_t nmaintainers;
	hr_h2_pair *annotations;  /* in wire order; duplicates kept (last wins on output) */
	size_t nannotations;
	int deprecated;
} hr_h2_metadata;

typedef struct hr_h2_config {    /* hapi.chart.Config (the values map, field 2, is skipped) */
	hr_h2_str raw;
} hr_h2_config;

typedef struct hr_h2_chart {
	int has_metadata, has_values;
	hr_h2_metadata metadata;
	hr_h2_pair *templates;     /* name, data */
	size_t ntemplates;
	struct hr_h2_chart *dependencies;  /* sub-charts, recursively */
	size_t ndependencies;
	hr_h2_config values;
	hr_h2_pair *files;         /* Any: type_url (the path), value */
	size_t nfiles;
} hr_h2_chart;

typedef struct hr_h2_testrun {
	hr_h2_str name, info;
	int32_t status;            /* 0 UNKNOWN, 1 SUCCESS, 2 FAILURE, 3 RUNNING */
	hr_h2_time started_at, completed_at;
} hr_h2_testrun;

typedef struct hr_h2_status {
	int32_t code;              /* Status.Code: 0 UNKNOWN .. 8 PENDING_ROLLBACK */
	hr_h2_str resources, notes;
	int has_suite;
	hr_h2_time suite_started, suite_completed;
	hr_h2_testrun *results;
	size_t nresults;
} hr_h2_status;

typedef struct hr_h2_info {
	int has_status;
	hr_h2_status status;
	hr_h2_time first_deployed, last_deployed, deleted;
	hr_h2_str description;
} hr_h2_info;

typedef struct hr_h2_hook {
	hr_h2_str name, kind, path, manifest;
	int32_t *events;           /* Hook.Event values */
	size_t nevents;
	hr_h2_time last_run;
	int32_t weight;
	int32_t *delete_policies;  /* Hook.DeletePolicy values */
	size_t npolicies;
	int64_t delete_timeout;
} hr_h2_hook;

typedef struct hr_helm2_release {
	hr_h2_str name, namespace, manifest;
	int has_info, has_chart, has_config;
	hr_h2_info info;
	hr_h2_chart chart;
	hr_h2_config config;
	hr_h2_hook *hooks;
	size_t nhooks;
	int32_t version;
} hr_helm2_release;

/*
 * Decode `len` bytes of hapi.release.Release protobuf.  On success *out is
 * a new release borrowing `pb` (free with hr_helm2_release_free()).
 * Errors: HR_ESKIP with "helm 2 protobuf: FIELD: what at byte N", or
 * HR_ENOMEM.
 */
int hr_helm2_decode(hr_helm2_release **out, const void *pb, size_t len, hr_error *err);
void hr_helm2_release_free(hr_helm2_release *r);

/* Helm 2 Status.Code name ("DEPLOYED", ...), or NULL for an unknown code. */
const char *hr_helm2_status_name(int32_t code);
/* The Helm 3 status helm-2to3 maps `code` to ("deployed", "uninstalled", "pending-install", ...), or NULL. */
const char *hr_helm2_status_v3(int32_t code);

/*
 * Append the Helm 3 release JSON (compact, no newline) helm-2to3 produces
 * for `r`.  Fails (HR_ESKIP, message saying why; `out` then keeps only
 * what it had) where helm-2to3 fails: no chart or no info ("No v2 chart or
 * info metadata"), no info.status, an unknown status code / hook event /
 * delete policy / test status, a timestamp outside 0001-01-01..9999-12-31
 * or with nanos outside 0..999999999, values YAML that does not parse or
 * is not a mapping (also in sub-charts, which are converted and then lost
 * as in Helm 3), NaN/Inf or unsupported map keys in values.
 */
int hr_helm2_to_json(hr_buf *out, const hr_helm2_release *r, hr_error *err);

/* hr_helm2_decode() + hr_helm2_to_json(): protobuf body -> Helm 3 JSON appended to `out`. */
int hr_helm2_convert(hr_buf *out, const void *pb, size_t len, hr_error *err);

/*
 * Values YAML (Config.raw) as helm 2's chartutil.ReadValues reads it, then
 * as encoding/json writes the map[string]interface{} helm 3 stores: JSON
 * object with sorted keys, numbers as float64.  Appends the object text to
 * `out` ("{}" for empty / comment-only / null YAML).  Errors (HR_ESKIP):
 * YAML syntax ("yaml: line N: ..."), a top level that is not a mapping,
 * unknown anchors, aliases that contain themselves, excessive aliasing,
 * nesting beyond HR_HELM2_MAX_YAML_DEPTH, NaN/Inf, unsupported map keys
 * (null, sequences, mappings, integers beyond int64).
 */
int hr_helm2_values_json(hr_buf *out, const char *yaml, size_t len, hr_error *err);

#endif
