/*
 * gunzip_stream.h — a streaming inflater for one gzip member at a time.
 *
 * hr_input (input.c) inflates gzip'd inputs — a Velero tarball, a gzip'd
 * dump — through this interface.  With ISA-L (Debian `libisal-dev`, found
 * at build time) it uses `isal_inflate`, two to three times as fast as
 * zlib on the high-entropy contents of release records; without it, zlib.
 * Both give the same bytes and both verify each member's CRC-32 and length.
 *
 * The caller owns the member framing: it feeds compressed bytes until
 * hr_gunzip_run reports the end of a member, then decides whether another
 * member follows (the gzip magic) and calls hr_gunzip_reset, and it owns
 * the inflate cap (it counts what comes out).
 *
 * Ownership: hr_gunzip_new gives a state the caller frees with
 * hr_gunzip_free.  Not thread-safe: one state per stream, used by one
 * thread at a time.
 */
#ifndef HR_SOURCES_GUNZIP_STREAM_H
#define HR_SOURCES_GUNZIP_STREAM_H

#include <stddef.h>

typedef struct hr_gunzip hr_gunzip;

/* A state ready for the first member; 0 or HR_ENOMEM (no err: the caller names the file). */
int hr_gunzip_new(hr_gunzip **out);

/*
 * Inflate from in[0..*in_len) into out[0..*out_len).  On return *in_len is
 * the number of input bytes consumed and *out_len the bytes produced; input
 * not consumed must be offered again.  *member_end is set to 1 when the
 * member (trailer included, checked) ended: input after it was not
 * consumed.  Returns 0, or HR_EFORMAT with *why set to a static
 * description of the damage ("invalid block type", "incorrect data check").
 */
int hr_gunzip_run(hr_gunzip *g, const unsigned char *in, size_t *in_len, unsigned char *out, size_t *out_len,
		  int *member_end, const char **why);

/* Ready the state for the next member. */
void hr_gunzip_reset(hr_gunzip *g);

void hr_gunzip_free(hr_gunzip *g);

/* "isa-l" or "zlib": the engine this build inflates with (for docs and benchmarks). */
const char *hr_gunzip_engine(void);

#endif
