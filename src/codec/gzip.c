/*
 * gzip.c — whole-buffer gunzip with a size cap, and gzip writing with the
 * exact header Go's compress/gzip puts in Helm payloads.
 *
 * Inflate parses the gzip member header itself (so that header problems get
 * precise messages), inflates the raw deflate stream with libdeflate into a
 * buffer sized from the ISIZE trailer (bounded by the deflate ratio limit
 * and the cap, grown and retried when the hint was short), then checks
 * CRC-32 and ISIZE.  Several members are concatenated, as Go's reader does;
 * anything after the last member that is not another member is an error.
 * libdeflate cannot say *why* a stream is bad, so on failure the stream is
 * replayed through zlib only to word the message (truncated vs corrupt,
 * with the byte offset).
 *
 * Deflate uses zlib level 9 raw deflate (windowBits -15, memLevel 8) framed
 * by Go's 10-byte header 1f 8b 08 00 00000000 02 ff, CRC-32 and ISIZE.
 */
#include "codec/codec.h"

#include <libdeflate.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define GZ_FTEXT 0x01
#define GZ_FHCRC 0x02
#define GZ_FEXTRA 0x04
#define GZ_FNAME 0x08
#define GZ_FCOMMENT 0x10
#define GZ_FRESERVED 0xe0

/* Deflate cannot expand by more than 1032:1; used to bound the size hint. */
#define DEFLATE_MAX_RATIO 1032u

static uint32_t get_le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put_le32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

/*
 * Parse the member header at in[pos]; on success *hdr_len is its length.
 * Go's reader rejects a bad FHCRC, so do we.
 */
static int parse_header(const unsigned char *in, size_t len, size_t pos,
			size_t *hdr_len, hr_error *err)
{
	const unsigned char *p = in + pos;
	size_t n = len - pos, i = 10;
	unsigned flg;

	if (n < 10)
		return hr_error_set(err, HR_EFORMAT,
				    "gzip: truncated header at byte %zu (%zu of 10 bytes)", pos, n);
	if (p[0] != 0x1f || p[1] != 0x8b)
		return hr_error_set(err, HR_EFORMAT,
				    "gzip: bad magic 0x%02x%02x at byte %zu", p[0], p[1], pos);
	if (p[2] != 8)
		return hr_error_set(err, HR_EFORMAT,
				    "gzip: unsupported compression method %u at byte %zu", p[2], pos + 2);
	flg = p[3];
	if (flg & GZ_FRESERVED)
		return hr_error_set(err, HR_EFORMAT,
				    "gzip: reserved header flags 0x%02x set at byte %zu", flg, pos + 3);
	if (flg & GZ_FEXTRA) {
		size_t xlen;

		if (n - i < 2)
			goto truncated;
		xlen = (size_t)p[i] | (size_t)p[i + 1] << 8;
		i += 2;
		if (n - i < xlen)
			goto truncated;
		i += xlen;
	}
	if (flg & GZ_FNAME) {
		const unsigned char *z = memchr(p + i, 0, n - i);

		if (!z)
			goto truncated;
		i = (size_t)(z - p) + 1;
	}
	if (flg & GZ_FCOMMENT) {
		const unsigned char *z = memchr(p + i, 0, n - i);

		if (!z)
			goto truncated;
		i = (size_t)(z - p) + 1;
	}
	if (flg & GZ_FHCRC) {
		uint32_t want;

		if (n - i < 2)
			goto truncated;
		want = (uint32_t)p[i] | (uint32_t)p[i + 1] << 8;
		if ((libdeflate_crc32(0, p, i) & 0xffff) != want)
			return hr_error_set(err, HR_EFORMAT,
					    "gzip: header checksum mismatch at byte %zu", pos + i);
		i += 2;
	}
	*hdr_len = i;
	return 0;
truncated:
	return hr_error_set(err, HR_EFORMAT, "gzip: truncated header at byte %zu", pos);
}

/*
 * libdeflate refused the deflate stream at in[pos]; replay it through zlib
 * (output discarded, bounded by max_out) to say what is wrong and where.
 */
static int diagnose(const unsigned char *in, size_t len, size_t pos, size_t max_out,
		    hr_error *err)
{
	unsigned char scratch[16384];
	z_stream z;
	size_t total = 0;
	int zr;

	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, -15) != Z_OK)
		return hr_error_set(err, HR_EFORMAT, "gzip: corrupt deflate data after byte %zu", pos);
	z.next_in = (unsigned char *)(in + pos);
	z.avail_in = len - pos > UINT_MAX ? UINT_MAX : (unsigned)(len - pos);
	do {
		z.next_out = scratch;
		z.avail_out = sizeof(scratch);
		zr = inflate(&z, Z_NO_FLUSH);
		total += sizeof(scratch) - z.avail_out;
	} while (zr == Z_OK && total <= max_out && (z.avail_in > 0 || z.avail_out == 0));
	size_t at = pos + (size_t)z.total_in;
	const char *zmsg = z.msg ? z.msg : "invalid data";

	inflateEnd(&z);
	if (zr == Z_DATA_ERROR || zr == Z_NEED_DICT)
		return hr_error_set(err, HR_EFORMAT,
				    "gzip: corrupt deflate data near byte %zu: %s", at, zmsg);
	if (zr == Z_OK || zr == Z_BUF_ERROR)
		return hr_error_set(err, HR_EFORMAT,
				    "gzip: truncated: deflate stream ends early at byte %zu of %zu", at, len);
	return hr_error_set(err, HR_EFORMAT, "gzip: corrupt deflate data after byte %zu", pos);
}

/*
 * One libdeflate decompressor per thread, kept between calls (allocating
 * one per payload costs a third of the inflate time on typical records);
 * freed by the thread-key destructor when the thread ends.
 */
static pthread_key_t dec_key;
static pthread_once_t dec_once = PTHREAD_ONCE_INIT;
static int dec_key_ok;

static void free_decompressor(void *d)
{
	libdeflate_free_decompressor(d);
}

static void make_dec_key(void)
{
	dec_key_ok = pthread_key_create(&dec_key, free_decompressor) == 0;
}

static struct libdeflate_decompressor *get_decompressor(int *owned)
{
	struct libdeflate_decompressor *d;

	pthread_once(&dec_once, make_dec_key);
	*owned = 0;
	if (dec_key_ok && (d = pthread_getspecific(dec_key)))
		return d;
	d = libdeflate_alloc_decompressor();
	if (d && dec_key_ok && pthread_setspecific(dec_key, d) == 0)
		return d;
	*owned = 1;
	return d;
}

/* Make the buffer's allocation exactly `total` bytes (+ NUL) if smaller. */
static int reserve_exact(hr_buf *b, size_t total)
{
	char *p;

	if (total == SIZE_MAX)
		return HR_ENOMEM;
	if (total + 1 <= b->cap)
		return 0;
	p = realloc(b->ptr, total + 1);
	if (!p)
		return HR_ENOMEM;
	b->ptr = p;
	b->cap = total + 1;
	return 0;
}

int hr_gzip_inflate(hr_buf *out, const void *data, size_t len, size_t max_out, hr_error *err)
{
	const unsigned char *in = data;
	struct libdeflate_decompressor *d = NULL;
	size_t pos = 0, start = out->len, hdr = 0, avail, in_used = 0, got = 0;
	int rc = 0, member = 0, owned = 0;

	if (!max_out)
		max_out = HR_CODEC_DEFAULT_MAX;
	if (out->max) {
		size_t left = out->max > start ? out->max - start : 0;

		if (left < max_out)
			max_out = left;
	}
	if (len == 0)
		return hr_error_set(err, HR_EFORMAT, "gzip: empty input");
	d = get_decompressor(&owned);
	if (!d)
		return hr_error_set(err, HR_ENOMEM, "gzip: cannot allocate decompressor");

	while (pos < len) {
		size_t produced = out->len - start, room = max_out - produced, hint;
		enum libdeflate_result r;

		if (member > 0 && (len - pos < 2 || in[pos] != 0x1f || in[pos + 1] != 0x8b)) {
			rc = hr_error_set(err, HR_EFORMAT,
					  "gzip: trailing garbage at byte %zu after %d member%s",
					  pos, member, member == 1 ? "" : "s");
			goto done;
		}
		rc = parse_header(in, len, pos, &hdr, err);
		if (rc)
			goto done;
		pos += hdr;

		/* Size hint: the last ISIZE, bounded by what deflate can produce and the cap. */
		hint = len >= 4 ? get_le32(in + len - 4) : 0;
		if ((len - pos) <= SIZE_MAX / DEFLATE_MAX_RATIO &&
		    hint > (len - pos) * DEFLATE_MAX_RATIO)
			hint = (len - pos) * DEFLATE_MAX_RATIO;
		if (hint < 4096)
			hint = 4096;
		avail = hint < room ? hint : room;
		for (;;) {
			if (reserve_exact(out, out->len + avail)) {
				rc = hr_error_set(err, HR_ENOMEM,
						  "gzip: cannot allocate %zu bytes for inflated data",
						  out->len + avail);
				goto done;
			}
			r = libdeflate_deflate_decompress_ex(d, in + pos, len - pos,
							     out->ptr + out->len, avail,
							     &in_used, &got);
			if (r != LIBDEFLATE_INSUFFICIENT_SPACE)
				break;
			if (avail >= room) {
				rc = hr_error_set(err, HR_ETOOBIG,
						  "gzip: inflated size exceeds cap of %zu bytes (gzip bomb or raise the limit)",
						  max_out);
				goto done;
			}
			avail = avail > room / 2 ? room : avail * 2;
		}
		if (r != LIBDEFLATE_SUCCESS) {
			rc = diagnose(in, len, pos, max_out, err);
			goto done;
		}
		if (len - pos - in_used < 8) {
			rc = hr_error_set(err, HR_EFORMAT,
					  "gzip: truncated: missing CRC-32/ISIZE trailer at byte %zu",
					  pos + in_used);
			goto done;
		}
		uint32_t crc = libdeflate_crc32(0, out->ptr + out->len, got);
		uint32_t want = get_le32(in + pos + in_used);

		if (crc != want) {
			rc = hr_error_set(err, HR_EFORMAT,
					  "gzip: CRC-32 mismatch at byte %zu (stored %08x, data %08x)",
					  pos + in_used, want, crc);
			goto done;
		}
		want = get_le32(in + pos + in_used + 4);
		if ((uint32_t)got != want) {
			rc = hr_error_set(err, HR_EFORMAT,
					  "gzip: size mismatch at byte %zu (ISIZE %u, inflated %zu)",
					  pos + in_used + 4, want, got);
			goto done;
		}
		out->len += got;
		pos += in_used + 8;
		member++;
	}
done:
	if (owned)
		libdeflate_free_decompressor(d);
	if (rc)
		out->len = start;
	if (out->ptr)
		out->ptr[out->len] = '\0';
	return rc;
}

int hr_gzip_deflate_level(hr_buf *out, const void *in, size_t len, int level, hr_error *err)
{
	struct libdeflate_compressor *c;
	size_t bound, n;
	int rc = 0;

	if (level < 1 || level > 12)
		return hr_error_set(err, HR_EINVAL, "gzip: level %d is not 1 to 12", level);
	if (!(c = libdeflate_alloc_compressor(level)))
		return hr_error_set(err, HR_ENOMEM, "out of memory");
	bound = libdeflate_gzip_compress_bound(c, len);
	if (hr_buf_grow(out, bound))
		rc = hr_error_set(err, HR_ENOMEM, "out of memory");
	else if (!(n = libdeflate_gzip_compress(c, in, len, out->ptr + out->len, bound)))
		rc = hr_error_set(err, HR_ENOMEM, "gzip: output larger than its bound");
	else
		out->len += n;
	if (!rc)
		out->ptr[out->len] = '\0';
	libdeflate_free_compressor(c);
	return rc;
}

int hr_gzip_deflate(hr_buf *out, const void *data, size_t len, hr_error *err)
{
	static const unsigned char go_header[10] = {
		0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0xff
	};
	const unsigned char *in = data;
	size_t start = out->len, bound;
	z_stream z;
	int rc = 0, zr;

	memset(&z, 0, sizeof(z));
	if (deflateInit2(&z, 9, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return hr_error_set(err, HR_ENOMEM, "gzip: cannot initialise deflate");
	/* deflateBound takes uLong; add slack per 4 GiB chunk for huge inputs. */
	bound = len + len / 1000 + 64 + 18;
	if (bound < len || hr_buf_grow(out, bound)) {
		rc = hr_error_set(err, HR_ENOMEM, "gzip: cannot allocate %zu bytes", bound);
		goto done;
	}
	memcpy(out->ptr + out->len, go_header, sizeof(go_header));
	out->len += sizeof(go_header);

	z.next_in = (unsigned char *)in;
	do {
		size_t left_in = len - (size_t)((const unsigned char *)z.next_in - in);
		int flush;

		z.avail_in = left_in > UINT_MAX ? UINT_MAX : (unsigned)left_in;
		flush = left_in > UINT_MAX ? Z_NO_FLUSH : Z_FINISH;
		if (out->cap - out->len - 1 < 65536 && hr_buf_grow(out, 65536)) {
			rc = hr_error_set(err, HR_ENOMEM, "gzip: out of memory while compressing");
			goto done;
		}
		size_t room = out->cap - out->len - 1;

		z.next_out = (unsigned char *)out->ptr + out->len;
		z.avail_out = room > UINT_MAX ? UINT_MAX : (unsigned)room;
		zr = deflate(&z, flush);
		out->len += (room > UINT_MAX ? UINT_MAX : room) - z.avail_out;
		if (zr == Z_STREAM_ERROR) {
			rc = hr_error_set(err, HR_EFORMAT, "gzip: deflate failed");
			goto done;
		}
	} while (zr != Z_STREAM_END);

	if (hr_buf_grow(out, 8)) {
		rc = hr_error_set(err, HR_ENOMEM, "gzip: out of memory while compressing");
		goto done;
	}
	put_le32((unsigned char *)out->ptr + out->len, libdeflate_crc32(0, in, len));
	put_le32((unsigned char *)out->ptr + out->len + 4, (uint32_t)len);
	out->len += 8;
done:
	deflateEnd(&z);
	if (rc)
		out->len = start;
	if (out->ptr)
		out->ptr[out->len] = '\0';
	return rc;
}
