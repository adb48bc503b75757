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
 * zlib parses the gzip header itself; for ISA-L it is parsed here (FEXTRA,
 * FNAME, FCOMMENT, FHCRC, the same checks and messages as zlib).  Both stop
 * exactly after the member's 8-byte trailer (ISA-L takes the bytes it
 * buffered ahead as trailer; zlib never reads past it) and check its CRC-32
 * and length, so input.c's member loop, truncation and trailing-garbage checks
 * and the inflate cap behave the same with either.
 */
#include "sources/gunzip_stream.h"
#include "util/error.h"

#include <stdint.h>
#include <stdlib.h>

#include <string.h>
#include <zlib.h>
#ifdef HELMREC_HAVE_ISAL
#include <isa-l/igzip_lib.h>
#endif

/* Each call hands an engine at most this much (both count in 32 bits). */
#define GZ_MAX_CALL ((size_t)1 << 30)

#ifdef HELMREC_HAVE_ISAL

/* Where in the member we are: header fields (RFC 1952 order), then the deflate body. */
enum { H_FIXED, H_XLEN, H_EXTRA, H_NAME, H_COMMENT, H_HCRC, H_BODY };

struct hr_gunzip {
	struct inflate_state st;   /* ~130 KiB: history and a look-ahead window */
	int phase;
	unsigned flags;            /* FLG of the header */
	unsigned char field[10];   /* the fixed-size field being read */
	size_t have;               /* bytes of it so far */
	size_t extra_left;         /* FEXTRA bytes still to skip */
	uLong hcrc;                /* CRC-32 of the header so far (FHCRC) */
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
	case ISAL_INCORRECT_CHECKSUM:
		return "incorrect data check";
	default:
		return "corrupt data";
	}
}

/* The phase after `ph`, skipping fields the header's flags leave out. */
static int next_phase(const hr_gunzip *g, int ph)
{
	for (ph++; ph < H_BODY; ph++)
		if ((ph == H_XLEN && (g->flags & 4)) || (ph == H_EXTRA && g->extra_left) ||
		    (ph == H_NAME && (g->flags & 8)) || (ph == H_COMMENT && (g->flags & 16)) ||
		    (ph == H_HCRC && (g->flags & 2)))
			return ph;
	return H_BODY;
}

/* A fixed-size field is complete in g->field: check it and move on. */
static int field_done(hr_gunzip *g, const char **why)
{
	const unsigned char *f = g->field;

	g->have = 0;
	if (g->phase == H_FIXED) {
		if (f[0] != 0x1f || f[1] != 0x8b)
			*why = "incorrect header check";
		else if (f[2] != 8)
			*why = "unknown compression method";
		else if (f[3] & 0xe0)
			*why = "unknown header flags set";
		else
			g->flags = f[3];
	} else if (g->phase == H_XLEN) {
		g->extra_left = (size_t)f[0] | (size_t)f[1] << 8;
	} else if (((unsigned)f[0] | (unsigned)f[1] << 8) != (g->hcrc & 0xffff)) {
		*why = "header crc mismatch";
	}
	g->phase = next_phase(g, g->phase);
	return *why ? HR_EFORMAT : 0;
}

/*
 * Take header bytes from in[*pos..len).  ISA-L parses gzip headers itself,
 * but (2.30) checks FHCRC wrongly when the header arrives in pieces, so the
 * header is read here, as zlib reads it, and ISA-L gets the raw deflate
 * data and checks the trailer (ISAL_GZIP_NO_HDR_VER).
 */
static int read_header(hr_gunzip *g, const unsigned char *in, size_t len, size_t *pos, const char **why)
{
	while (g->phase != H_BODY && *pos < len) {
		const unsigned char *p = in + *pos, *nul;
		size_t n = len - *pos, take;
		int covered = g->phase != H_HCRC;  /* FHCRC covers every header byte before it */

		if (g->phase == H_EXTRA) {
			take = n < g->extra_left ? n : g->extra_left;
			g->extra_left -= take;
			if (!g->extra_left)
				g->phase = next_phase(g, g->phase);
		} else if (g->phase == H_NAME || g->phase == H_COMMENT) {
			nul = memchr(p, 0, n);
			take = nul ? (size_t)(nul - p) + 1 : n;
			if (nul)
				g->phase = next_phase(g, g->phase);
		} else {
			size_t need = g->phase == H_FIXED ? 10 : 2;

			take = n < need - g->have ? n : need - g->have;
			memcpy(g->field + g->have, p, take);
			g->have += take;
		}
		if (covered)
			g->hcrc = crc32(g->hcrc, p, (uInt)take);
		*pos += take;
		if ((g->phase == H_FIXED && g->have == 10) || ((g->phase == H_XLEN || g->phase == H_HCRC) && g->have == 2))
			if (field_done(g, why) < 0)
				return HR_EFORMAT;
	}
	return 0;
}

int hr_gunzip_new(hr_gunzip **out)
{
	hr_gunzip *g = malloc(sizeof(*g));

	*out = g;
	if (!g)
		return HR_ENOMEM;
	isal_inflate_init(&g->st);
	hr_gunzip_reset(g);
	return 0;
}

int hr_gunzip_run(hr_gunzip *g, const unsigned char *in, size_t *in_len, unsigned char *out, size_t *out_len,
		  int *member_end, const char **why)
{
	size_t ilen = *in_len < GZ_MAX_CALL ? *in_len : GZ_MAX_CALL;
	size_t olen = *out_len < GZ_MAX_CALL ? *out_len : GZ_MAX_CALL;
	size_t pos = 0;
	int rc;

	*member_end = 0;
	*why = NULL;
	*out_len = 0;
	rc = read_header(g, in, ilen, &pos, why);
	if (rc < 0 || g->phase != H_BODY) {
		*in_len = pos;
		return rc;
	}
	g->st.next_in = (uint8_t *)in + pos;  /* isal_inflate does not write its input */
	g->st.avail_in = (uint32_t)(ilen - pos);
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
	isal_inflate_reset(&g->st);
	g->st.crc_flag = ISAL_GZIP_NO_HDR_VER;   /* raw deflate, then the CRC-32 and length checked */
	g->phase = H_FIXED;
	g->flags = 0;
	g->have = g->extra_left = 0;
	g->hcrc = crc32(0, NULL, 0);
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
