/*
 * gunzip_stream.c — the streaming inflater behind hr_input's gzip side.
 *
 * A gzip'd Velero tarball is one long deflate stream of mostly base64 text
 * (the release payloads, themselves gzip'd): high entropy, few matches, so
 * inflate is Huffman decoding almost byte by byte and zlib manages only
 * ~130 MB/s of output here.  ISA-L's `isal_inflate` decodes several symbols
 * per table lookup and is two to three times as fast on the same bytes; it
 * is used when the build found it (HELMREC_HAVE_ISAL, CMake's optional
 * `libisal` check), zlib otherwise.  libdeflate, used for the payloads
 * themselves, cannot stream.
 *
 * Both engines parse the gzip header (FEXTRA, FNAME, FCOMMENT, FHCRC), stop
 * exactly after the member's 8-byte trailer (ISA-L puts back the bytes it
 * buffered ahead; zlib never reads past it) and check its CRC-32 and
 * length, so input.c's member loop, truncation and trailing-garbage checks
 * and the inflate cap behave the same with either.
 */
#include "sources/gunzip_stream.h"
#include "util/error.h"

#include <stdint.h>
#include <stdlib.h>

#ifdef HELMREC_HAVE_ISAL
#include <isa-l/igzip_lib.h>
#else
#include <zlib.h>
#endif

/* Each call hands an engine at most this much (both count in 32 bits). */
#define GZ_MAX_CALL ((size_t)1 << 30)

#ifdef HELMREC_HAVE_ISAL

struct hr_gunzip {
	struct inflate_state st;   /* ~130 KiB: history and a look-ahead window */
};

static const char *isal_why(int rc)
{
	switch (rc) {
	case ISAL_INVALID_BLOCK:
		return "invalid block type";
	case ISAL_INVALID_SYMBOL:
		return "invalid code";
	case ISAL_INVALID_LOOKBACK:
		return "invalid distance too far back";
	case ISAL_INVALID_WRAPPER:
		return "incorrect header check";
	case ISAL_UNSUPPORTED_METHOD:
		return "unknown compression method";
	case ISAL_INCORRECT_CHECKSUM:
		return "incorrect data check";
	default:
		return "corrupt data";
	}
}

int hr_gunzip_new(hr_gunzip **out)
{
	hr_gunzip *g = malloc(sizeof(*g));

	*out = g;
	if (!g)
		return HR_ENOMEM;
	isal_inflate_init(&g->st);
	g->st.crc_flag = ISAL_GZIP;
	return 0;
}

int hr_gunzip_run(hr_gunzip *g, const unsigned char *in, size_t *in_len, unsigned char *out, size_t *out_len,
		  int *member_end, const char **why)
{
	size_t ilen = *in_len < GZ_MAX_CALL ? *in_len : GZ_MAX_CALL;
	size_t olen = *out_len < GZ_MAX_CALL ? *out_len : GZ_MAX_CALL;
	int rc;

	*member_end = 0;
	g->st.next_in = (uint8_t *)in;      /* isal_inflate does not write its input */
	g->st.avail_in = (uint32_t)ilen;
	g->st.next_out = out;
	g->st.avail_out = (uint32_t)olen;
	rc = isal_inflate(&g->st);
	*in_len = ilen - g->st.avail_in;
	*out_len = olen - g->st.avail_out;
	if (rc < 0) {
		*why = isal_why(rc);
		return HR_EFORMAT;
	}
	*member_end = g->st.block_state == ISAL_BLOCK_FINISH;
	return 0;
}

void hr_gunzip_reset(hr_gunzip *g)
{
	isal_inflate_reset(&g->st);        /* keeps crc_flag: the next member's header is parsed too */
}

void hr_gunzip_free(hr_gunzip *g)
{
	free(g);
}

const char *hr_gunzip_engine(void)
{
	return "isa-l";
}

#else /* zlib */

struct hr_gunzip {
	z_stream zs;
};

int hr_gunzip_new(hr_gunzip **out)
{
	hr_gunzip *g = calloc(1, sizeof(*g));

	*out = g;
	if (!g)
		return HR_ENOMEM;
	if (inflateInit2(&g->zs, 15 + 32) != Z_OK) {
		free(g);
		*out = NULL;
		return HR_ENOMEM;
	}
	return 0;
}

int hr_gunzip_run(hr_gunzip *g, const unsigned char *in, size_t *in_len, unsigned char *out, size_t *out_len,
		  int *member_end, const char **why)
{
	size_t ilen = *in_len < GZ_MAX_CALL ? *in_len : GZ_MAX_CALL;
	size_t olen = *out_len < GZ_MAX_CALL ? *out_len : GZ_MAX_CALL;
	int zrc;

	*member_end = 0;
	g->zs.next_in = (Bytef *)in;        /* inflate does not write its input */
	g->zs.avail_in = (uInt)ilen;
	g->zs.next_out = out;
	g->zs.avail_out = (uInt)olen;
	zrc = inflate(&g->zs, Z_NO_FLUSH);
	*in_len = ilen - g->zs.avail_in;
	*out_len = olen - g->zs.avail_out;
	if (zrc != Z_OK && zrc != Z_STREAM_END && zrc != Z_BUF_ERROR) {
		*why = g->zs.msg ? g->zs.msg : "corrupt data";
		return HR_EFORMAT;
	}
	*member_end = zrc == Z_STREAM_END;
	return 0;
}

void hr_gunzip_reset(hr_gunzip *g)
{
	inflateReset(&g->zs);
}

void hr_gunzip_free(hr_gunzip *g)
{
	if (!g)
		return;
	inflateEnd(&g->zs);
	free(g);
}

const char *hr_gunzip_engine(void)
{
	return "zlib";
}

#endif
