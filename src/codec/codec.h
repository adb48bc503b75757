/*
 * codec.h — Helm release payloads: peel the layers a user hands us, and
 * encode JSON back into a payload exactly as Helm does.
 *
 * Layers (outermost first):
 *   K8S_B64   Kubernetes base64 of a Secret's data value (Secrets only)
 *   HELM_B64  Helm's base64 (StdEncoding) of the compressed body
 *   GZIP      gzip; Helm gunzips only when the bytes start 1f 8b 08
 *             (and there are more than 3 bytes), else takes them as JSON
 *   JSON      the release JSON itself (Helm 3/4); Helm 2 has protobuf here
 *
 * The decoder accepts any suffix of that stack: a Secret value, a ConfigMap
 * value / SQL body (Helm string), raw gzip, or plain JSON.  It reports which
 * layers it peeled.  Inflation is capped (`max_out`); exceeding the cap is
 * HR_ETOOBIG, never an OOM.
 *
 * Ownership: output buffers are the caller's hr_buf (cleared, then filled);
 * free with hr_buf_free().  No function here reads files.
 */
#ifndef HR_CODEC_CODEC_H
#define HR_CODEC_CODEC_H

#include <stddef.h>
#include "util/buf.h"
#include "util/error.h"
#include "model/record.h"

struct json_object;

enum {
	HR_LAYER_K8S_B64 = 1u << 0,
	HR_LAYER_HELM_B64 = 1u << 1,
	HR_LAYER_GZIP = 1u << 2,
	HR_LAYER_JSON = 1u << 3,
	HR_LAYER_PROTOBUF = 1u << 4   /* Helm 2 body (not JSON) */
};

#define HR_CODEC_DEFAULT_MAX (256u * 1024 * 1024)

typedef struct hr_decoded {
	unsigned layers;     /* HR_LAYER_* bits that were found */
	hr_buf helm;         /* the Helm-level string (base64 of gzip), when present */
	hr_buf body;         /* the decompressed body: release JSON (or H2 protobuf) */
	hr_buf raw;          /* scratch (the gzip bytes under the Helm base64), kept for reuse */
} hr_decoded;

#define HR_DECODED_INIT { 0, HR_BUF_INIT, HR_BUF_INIT, HR_BUF_INIT }

/*
 * Decode `in` (len bytes) whose outer form is `form`:
 *   HR_PAYLOAD_K8S_B64  base64 of a Helm string (a Secret's data value);
 *   HR_PAYLOAD_HELM     the Helm string (ConfigMap value, SQL body);
 *   HR_PAYLOAD_SNIFF    decide from content: '{' after JSON whitespace is
 *                       JSON, 1f 8b 08 is gzip, base64 text is decoded and
 *                       looked at again (at most two base64 layers).
 * Under the Helm base64 the bytes are gunzipped only when longer than 3 and
 * starting 1f 8b 08 (Helm's rule), else taken as the body.  The body is
 * HR_LAYER_JSON when it starts with '{' (not validated further: parse it
 * with hr_gojson_parse), HR_LAYER_PROTOBUF when it is not JSON but has the
 * shape of a protobuf hapi.release.Release under a base64/gzip layer
 * (Helm 2), else an error.  `out->helm` receives the Helm string whenever
 * one was present (its SHA-256 is the index's payload_sha256), else it is
 * empty; `out->body` the body (NUL-terminated).  `max_out` caps the body
 * size (0 = HR_CODEC_DEFAULT_MAX): HR_ETOOBIG beyond it.  Errors are
 * HR_EFORMAT with the layer and byte offset ("helm base64 layer: bad
 * base64 at byte 1234: ...", "gzip: CRC-32 mismatch at byte N ...",
 * "payload body is not JSON ..."); on error `out` is emptied (layers 0).
 * `out` must be initialised (HR_DECODED_INIT) and can be reused: a reused
 * `out` keeps its allocations, so decoding record after record into one
 * hr_decoded allocates (and page-faults) nothing once it has grown.
 */
int hr_codec_decode(hr_decoded *out, const char *in, size_t len,
		    hr_payload_form form, size_t max_out, hr_error *err);
void hr_decoded_free(hr_decoded *d);

/* How hr_codec_release_json parses the body. */
enum {
	HR_RELEASE_FULL = 0,        /* the whole tree (hr_gojson_parse): to print or re-encode */
	HR_RELEASE_SCAN = 1u << 0   /* leave out the chart's bulk (hr_gojson_parse_scan): to index */
};

/*
 * Stored payload -> release JSON: the one way every caller (scan, index,
 * export, commands) turns a payload into a release.  hr_codec_decode(dec,
 * in, len, form, max_out), then for a Helm 2 body (HR_LAYER_PROTOBUF) the
 * helm-2to3 conversion (hr_helm2_convert, codec/helm2.h): dec->body is then
 * the Helm 3 release JSON helm-2to3 would store, dec->helm still Tiller's
 * Helm string, and HR_LAYER_PROTOBUF stays set in dec->layers.
 * With `rel` non-NULL the body is also parsed (`flags`: HR_RELEASE_FULL or
 * HR_RELEASE_SCAN) into *rel (the caller's: json_object_put), which must be
 * a JSON object.  Errors: those of hr_codec_decode and hr_helm2_convert as
 * they are; a parse error prefixed "release JSON: "; HR_EFORMAT "release
 * JSON is not an object".  On error *rel is NULL and `dec` may hold part of
 * the result (free it with hr_decoded_free as on success).
 */
int hr_codec_release_json(hr_decoded *dec, struct json_object **rel, const char *in, size_t len,
			  hr_payload_form form, size_t max_out, unsigned flags, hr_error *err);

/* "k8s-base64+helm-base64+gzip+json" description of `layers` ("none" for 0) into the caller's buf. */
void hr_codec_layers_str(unsigned layers, char *buf, size_t bufsz);

/*
 * Encode release JSON as Helm stores it: gzip (Go's 10-byte header
 * 1f8b 0800 00000000 02ff, raw deflate level 9 by zlib, CRC32, ISIZE), then
 * base64 StdEncoding.  Output is the Helm string (ConfigMap value / SQL body).
 */
int hr_codec_encode(hr_buf *helm_out, const char *json, size_t len, hr_error *err);

/* Standard base64 (with padding) of `len` bytes appended to `out`. */
int hr_base64_encode(hr_buf *out, const void *data, size_t len);
/*
 * Decode standard base64 appended to `out`, skipping \r and \n (as Go's
 * StdEncoding does); any other non-alphabet byte or bad padding is
 * HR_EFORMAT with the byte offset in the message.
 */
int hr_base64_decode(hr_buf *out, const char *in, size_t len, hr_error *err);

/*
 * Gunzip `len` bytes appending the inflated data to `out`.  Reads one or
 * more concatenated gzip members as Go's gzip.Reader does (FEXTRA, FNAME,
 * FCOMMENT, FHCRC honoured; CRC-32 and ISIZE checked; trailing bytes that
 * are not another member are an error).  At most `max_out` bytes are
 * produced (0 = HR_CODEC_DEFAULT_MAX, also bounded by out->max): beyond
 * that HR_ETOOBIG.  Bad input is HR_EFORMAT with a byte offset.  On error
 * `out` is left as it was.
 */
int hr_gzip_inflate(hr_buf *out, const void *in, size_t len, size_t max_out, hr_error *err);

/*
 * Gzip `len` bytes appending to `out`: Go's 10-byte header
 * (1f 8b 08 00 00000000 02 ff), zlib raw deflate level 9, CRC-32, ISIZE.
 */
int hr_gzip_deflate(hr_buf *out, const void *in, size_t len, hr_error *err);

/*
 * Gzip `len` bytes appending to `out` at libdeflate's `level` (1 fastest ..
 * 12 smallest; 6 is about zlib's 9 in size at many times its speed): for
 * data only read back by a gunzip (the HTML report's blocks), never for
 * Helm's exact payload bytes (hr_gzip_deflate).  0, HR_ENOMEM or HR_EINVAL
 * (a level out of range).
 */
int hr_gzip_deflate_level(hr_buf *out, const void *in, size_t len, int level, hr_error *err);

/* Lower-case hex SHA-256 of data into hex[65]. */
void hr_sha256_hex(const void *data, size_t len, char hex[65]);

/*
 * The same over data given in pieces: hr_sha256_begin (NULL when out of
 * memory), any number of hr_sha256_update, then hr_sha256_end, which
 * writes the hex digest (0, or -1 on failure) and frees the context in
 * either case.  A context is used by one thread at a time.
 */
typedef struct hr_sha256 hr_sha256;
hr_sha256 *hr_sha256_begin(void);
void hr_sha256_update(hr_sha256 *h, const void *data, size_t len);
int hr_sha256_end(hr_sha256 *h, char hex[65]);

#endif
