/*
 * codec.c — peel a Helm release payload down to its body, and build a
 * payload from release JSON the way Helm does.
 *
 * Decoding follows Helm's own reader (pkg/storage/driver/util.go): base64,
 * then gunzip only when the bytes start 1f 8b 08 and there are more than
 * three of them, else the bytes are the body.  Around that sits the
 * Kubernetes base64 of a Secret value.  When the caller does not know the
 * outer form (HR_PAYLOAD_SNIFF) the layers are recognised from content:
 * '{' starts JSON, 1f 8b 08 starts gzip, base64 text is decoded and looked
 * at again (at most two base64 layers).  A body that is not JSON but walks
 * like a protobuf hapi.release.Release is reported as a Helm 2 body.
 */
#include "codec/codec.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Fields of hapi.release.Release are numbered 1..8. */
#define H2_RELEASE_MAX_FIELD 8

static int is_json_ws(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int starts_json(const unsigned char *p, size_t n)
{
	size_t i = 0;

	while (i < n && is_json_ws(p[i]))
		i++;
	return i < n && p[i] == '{';
}

/* Helm's test: more than three bytes and the gzip magic with method 8. */
static int starts_gzip(const unsigned char *p, size_t n)
{
	return n > 3 && p[0] == 0x1f && p[1] == 0x8b && p[2] == 0x08;
}

/* 1 for base64 alphabet and '=', 2 for '\r' '\n', 0 for anything else. */
static unsigned char b64_class[256];
static pthread_once_t b64_class_once = PTHREAD_ONCE_INIT;

static void init_b64_class(void)
{
	static const char set[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=";
	size_t i;

	for (i = 0; i < sizeof(set) - 1; i++)
		b64_class[(unsigned char)set[i]] = 1;
	b64_class['\r'] = b64_class['\n'] = 2;
}

/* Only base64 alphabet, '=' and line breaks, and at least one character. */
static int looks_base64(const unsigned char *p, size_t n)
{
	unsigned char all = 3, any = 0;
	size_t i;

	pthread_once(&b64_class_once, init_b64_class);
	for (i = 0; i < n; i++) {
		all &= b64_class[p[i]] ? 3 : 0;
		any |= b64_class[p[i]];
	}
	return all && (any & 1);
}

/* Is `c` a base64 alphabet character (not '=' or a line break)? */
static int is_b64_char(unsigned char c)
{
	pthread_once(&b64_class_once, init_b64_class);
	return b64_class[c] == 1 && c != '=';
}

static int read_varint(const unsigned char *p, size_t n, size_t *i, uint64_t *v)
{
	uint64_t x = 0;
	int shift;

	for (shift = 0; shift < 64 && *i < n; shift += 7) {
		unsigned char b = p[(*i)++];

		x |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80)) {
			*v = x;
			return 0;
		}
	}
	return -1;
}

/*
 * Does `p` parse as a sequence of top-level protobuf fields numbered like
 * hapi.release.Release (1..8), every length inside the buffer?  This is a
 * shape check, not a decode: it tells a Helm 2 body from junk.
 */
static int looks_h2_protobuf(const unsigned char *p, size_t n)
{
	size_t i = 0;

	if (n == 0)
		return 0;
	while (i < n) {
		uint64_t tag, v;

		if (read_varint(p, n, &i, &tag))
			return 0;
		if ((tag >> 3) < 1 || (tag >> 3) > H2_RELEASE_MAX_FIELD)
			return 0;
		switch (tag & 7) {
		case 0:
			if (read_varint(p, n, &i, &v))
				return 0;
			break;
		case 1:
			if (n - i < 8)
				return 0;
			i += 8;
			break;
		case 2:
			if (read_varint(p, n, &i, &v) || v > n - i)
				return 0;
			i += (size_t)v;
			break;
		case 5:
			if (n - i < 4)
				return 0;
			i += 4;
			break;
		default:
			return 0;
		}
	}
	return 1;
}

/* Decide what the body is; sets JSON or PROTOBUF or fails. */
static int classify_body(hr_decoded *out, hr_error *err)
{
	const unsigned char *p = (const unsigned char *)out->body.ptr;
	size_t n = out->body.len;

	if (n == 0)
		return hr_error_set(err, HR_EFORMAT, "payload body is empty");
	if (starts_json(p, n)) {
		out->layers |= HR_LAYER_JSON;
		return 0;
	}
	if ((out->layers & (HR_LAYER_HELM_B64 | HR_LAYER_GZIP)) && looks_h2_protobuf(p, n)) {
		out->layers |= HR_LAYER_PROTOBUF;
		return 0;
	}
	if (p[0] >= 0x20 && p[0] < 0x7f)
		return hr_error_set(err, HR_EFORMAT,
				    "payload body is not JSON (starts with '%c') nor a Helm 2 protobuf release",
				    p[0]);
	return hr_error_set(err, HR_EFORMAT,
			    "payload body is not JSON (starts with byte 0x%02x) nor a Helm 2 protobuf release",
			    p[0]);
}

/* Copy into a cleared buffer, honouring the body cap. */
static int set_buf(hr_buf *b, const char *p, size_t n, size_t cap, hr_error *err, const char *what)
{
	hr_buf_clear(b);
	if (n > cap)
		return hr_error_set(err, HR_ETOOBIG, "%s of %zu bytes exceeds cap of %zu bytes",
				    what, n, cap);
	if (hr_buf_put(b, p, n))
		return hr_error_set(err, HR_ENOMEM, "cannot allocate %zu bytes for %s", n, what);
	return 0;
}

/* Body from already base64-decoded Helm bytes in `raw`: gunzip or take as is. */
static int helm_bytes_to_body(hr_decoded *out, hr_buf *raw, size_t cap, hr_error *err)
{
	int rc;

	if (starts_gzip((const unsigned char *)raw->ptr, raw->len)) {
		hr_buf_clear(&out->body);
		rc = hr_gzip_inflate(&out->body, raw->ptr, raw->len, cap, err);
		if (rc)
			return rc;
		out->layers |= HR_LAYER_GZIP;
	} else {
		hr_buf t;

		if (raw->len > cap)
			return hr_error_set(err, HR_ETOOBIG,
					    "payload body of %zu bytes exceeds cap of %zu bytes",
					    raw->len, cap);
		/* hand the bytes over; the caller's cap setting stays with out->body */
		t = out->body;
		out->body = *raw;
		out->body.max = t.max;
		t.max = 0;
		*raw = t;
	}
	return classify_body(out, err);
}

/* out->helm holds the Helm string and `raw` its base64 decoding: record the layer, decode the body. */
static int helm_layer_to_body(hr_decoded *out, hr_buf *raw, size_t cap, hr_error *err)
{
	out->layers |= HR_LAYER_HELM_B64;
	return helm_bytes_to_body(out, raw, cap, err);
}

/* out->helm holds the Helm string: decode it and go on. */
static int decode_helm_string(hr_decoded *out, size_t cap, hr_error *err)
{
	int rc;

	hr_buf_clear(&out->raw);
	if (out->helm.len == 0)
		return hr_error_set(err, HR_EFORMAT, "helm payload string is empty");
	if ((rc = hr_base64_decode(&out->raw, out->helm.ptr, out->helm.len, err)) < 0)
		return hr_error_prefix(err, rc, "helm base64 layer: ");
	return helm_layer_to_body(out, &out->raw, cap, err);
}

static int sniff(hr_decoded *out, const char *in, size_t len, size_t cap, hr_error *err)
{
	const unsigned char *p = (const unsigned char *)in;
	hr_buf *raw = &out->raw;
	size_t i = 0;
	int rc;

	if (starts_json(p, len)) {
		rc = set_buf(&out->body, in, len, cap, err, "payload body");
		if (!rc)
			out->layers |= HR_LAYER_JSON;
		goto done;
	}
	if (starts_gzip(p, len)) {
		rc = hr_gzip_inflate(&out->body, in, len, cap, err);
		if (rc)
			goto done;
		out->layers |= HR_LAYER_GZIP;
		rc = classify_body(out, err);
		goto done;
	}
	/* the base64 decoder checks every byte; here only the first one */
	while (i < len && is_json_ws(p[i]))
		i++;
	if (i == len) {
		rc = hr_error_set(err, HR_EFORMAT, "empty payload (only whitespace)");
		goto done;
	}
	if (!is_b64_char(p[i])) {
		rc = hr_error_set(err, HR_EFORMAT,
				  "not a Helm payload: byte 0x%02x at %zu is neither base64, gzip nor JSON",
				  p[i], i);
		goto done;
	}
	hr_buf_clear(raw);
	rc = hr_base64_decode(raw, in, len, err);
	if (rc) {
		hr_error_prefix(err, rc, "base64 layer: ");
		goto done;
	}
	if (!starts_gzip((const unsigned char *)raw->ptr, raw->len) &&
	    !starts_json((const unsigned char *)raw->ptr, raw->len) &&
	    looks_base64((const unsigned char *)raw->ptr, raw->len)) {
		/* base64 of base64: the outer layer was Kubernetes' (swap: both allocations are kept) */
		hr_buf t = out->helm;
		size_t m = out->helm.max;

		out->layers |= HR_LAYER_K8S_B64;
		out->helm = *raw;
		out->helm.max = m;
		t.max = 0;
		*raw = t;
		rc = decode_helm_string(out, cap, err);
		goto done;
	}
	/* the input itself was the Helm string */
	if (!(rc = set_buf(&out->helm, in, len, SIZE_MAX - 1, err, "helm payload string")))
		rc = helm_layer_to_body(out, raw, cap, err);
done:
	hr_buf_clear(raw);
	return rc;
}

int hr_codec_decode(hr_decoded *out, const char *in, size_t len,
		    hr_payload_form form, size_t max_out, hr_error *err)
{
	size_t cap = max_out ? max_out : HR_CODEC_DEFAULT_MAX;
	int rc;

	out->layers = 0;
	hr_buf_clear(&out->helm);
	hr_buf_clear(&out->body);
	if (len == 0 || !in)
		return hr_error_set(err, HR_EFORMAT, "empty payload");

	switch (form) {
	case HR_PAYLOAD_SNIFF:
		rc = sniff(out, in, len, cap, err);
		break;
	case HR_PAYLOAD_K8S_B64:
		rc = hr_base64_decode(&out->helm, in, len, err);
		if (rc) {
			hr_error_prefix(err, rc, "kubernetes base64 layer: ");
			break;
		}
		out->layers |= HR_LAYER_K8S_B64;
		rc = decode_helm_string(out, cap, err);
		break;
	case HR_PAYLOAD_HELM:
		rc = set_buf(&out->helm, in, len, SIZE_MAX - 1, err, "helm payload string");
		if (!rc)
			rc = decode_helm_string(out, cap, err);
		break;
	default:
		rc = hr_error_set(err, HR_EINVAL, "unknown payload form %d", (int)form);
		break;
	}
	if (rc) {
		out->layers = 0;
		hr_buf_clear(&out->helm);
		hr_buf_clear(&out->body);
	}
	return rc;
}

void hr_decoded_free(hr_decoded *d)
{
	if (!d)
		return;
	hr_buf_free(&d->helm);
	hr_buf_free(&d->body);
	hr_buf_free(&d->raw);
	d->layers = 0;
}

void hr_codec_layers_str(unsigned layers, char *buf, size_t bufsz)
{
	static const struct {
		unsigned bit;
		const char *name;
	} names[] = {
		{ HR_LAYER_K8S_B64, "k8s-base64" },
		{ HR_LAYER_HELM_B64, "helm-base64" },
		{ HR_LAYER_GZIP, "gzip" },
		{ HR_LAYER_JSON, "json" },
		{ HR_LAYER_PROTOBUF, "protobuf" },
	};
	size_t used = 0, i;

	if (!bufsz)
		return;
	buf[0] = '\0';
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		int n;

		if (!(layers & names[i].bit))
			continue;
		n = snprintf(buf + used, bufsz - used, "%s%s", used ? "+" : "", names[i].name);
		if (n < 0 || (size_t)n >= bufsz - used)
			return;
		used += (size_t)n;
	}
	if (!used)
		snprintf(buf, bufsz, "none");
}

int hr_codec_encode(hr_buf *helm_out, const char *json, size_t len, hr_error *err)
{
	hr_buf gz = HR_BUF_INIT;
	int rc;

	hr_buf_clear(helm_out);
	rc = hr_gzip_deflate(&gz, json, len, err);
	if (rc)
		goto done;
	rc = hr_base64_encode(helm_out, gz.ptr, gz.len);
	if (rc)
		hr_error_set(err, rc, "base64: cannot encode %zu bytes", gz.len);
done:
	hr_buf_free(&gz);
	return rc;
}
