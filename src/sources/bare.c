/*
 * bare.c — an input that is one release payload and nothing else.
 *
 * People save payloads by hand: `kubectl get secret ... -o
 * jsonpath='{.data.release}' > rel.b64`, the Helm string after one base64
 * -d, a gunzipped release JSON.  Such a file is one record with no object
 * around it: driver HR_DRIVER_BARE, form HR_PAYLOAD_SNIFF (the codec finds
 * the layers), name and namespace unknown ("" — the caller fills them from
 * the release body).  Surrounding whitespace (the newline `echo` adds) is
 * not part of the payload.  The whole input is read, up to max_object
 * (gzip'd files arrive here already inflated by hr_input).
 */
#include "sources/reader.h"
#include "util/buf.h"
#include "util/error.h"

#include <stdlib.h>
#include <string.h>


typedef struct bare_state {
	hr_reader_base b;       /* first */
	int done;
} bare_state;

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int bare_next(void *state, hr_record **out, hr_error *err)
{
	bare_state *st = state;
	const char *path = hr_input_path(st->b.in);
	hr_buf b = HR_BUF_INIT;
	hr_record *r = NULL;
	char chunk[65536];
	size_t start = 0, end;
	long n;
	int rc;

	*out = NULL;
	if (st->done)
		return 0;
	st->done = 1;
	b.max = st->b.max_object;
	while ((n = hr_input_read(st->b.in, chunk, sizeof(chunk), err)) > 0) {
		rc = hr_buf_put(&b, chunk, (size_t)n);
		if (rc == HR_ETOOBIG) {
			rc = hr_error_set(err, HR_ETOOBIG, "%s: payload larger than the limit of %zu bytes",
					  path, st->b.max_object);
			goto done;
		}
		if (rc) {
			rc = hr_error_set(err, rc, "%s: out of memory", path);
			goto done;
		}
	}
	if (n < 0) {
		rc = (int)n;
		goto done;
	}
	end = b.len;
	while (start < end && is_space(b.ptr[start]))
		start++;
	while (end > start && is_space(b.ptr[end - 1]))
		end--;
	st->b.stats->objects++;
	if (start == end) {
		st->b.stats->errors++;
		rc = hr_error_set(err, HR_ESKIP, "%s: empty payload", path);
		goto done;
	}
	if ((rc = hr_record_new(&r)) ||
	    (rc = hr_record_set_str(&r->name, "")) ||
	    (rc = hr_record_set_str(&r->namespace, "")) ||
	    (rc = hr_record_set_str(&r->source_path, path)) ||
	    (rc = hr_record_set_str(&r->location, "whole file")) ||
	    (rc = hr_record_set_payload(r, b.ptr + start, end - start))) {
		rc = hr_error_set(err, HR_ENOMEM, "%s: out of memory", path);
		goto done;
	}
	r->driver = HR_DRIVER_BARE;
	r->form = HR_PAYLOAD_SNIFF;
	r->offset = start;
	*out = r;
	r = NULL;
	st->b.stats->records++;
	rc = 1;
done:
	hr_record_free(r);
	hr_buf_free(&b);
	return rc;
}

static void bare_close(void *state)
{
	free(state);
}

int hr_reader_bare_open(hr_reader *r, hr_input *in, const hr_source_opts *o, hr_source_stats *stats, hr_error *err)
{
	bare_state *st;
	int rc;

	if ((rc = hr_reader_base_new((void **)&st, sizeof(*st), in, o, stats, err)) < 0)
		return rc;
	*r = (hr_reader){ "bare", st, bare_next, bare_close };
	return 0;
}
