/*
 * input_hash.h — the content identity of a scan input: the sha256 of a
 * regular file, or for a directory the sha256 of its digest ("relative
 * path TAB sha256 LF" per regular file, sorted walk, excluded files left
 * out).  The scan takes a file's hash on a thread of its own while it
 * reads the file, instead of reading it twice in a row (issue 16).
 *
 * Ownership: hr_input_hash_start() copies the path; the caller frees the
 * handle with hr_input_hash_free() (which stops a hash still running).
 */
#ifndef HR_SCAN_INPUT_HASH_H
#define HR_SCAN_INPUT_HASH_H

#include <sys/stat.h>
#include "sources/source.h"

/* The hash now: 0 with hex set, or -1 (not a file or directory, unreadable). */
int hr_input_hash_now(const char *path, const struct stat *sb, const hr_source_opts *so, char hex[65]);

typedef struct hr_input_hash hr_input_hash;

/*
 * Start hashing `path` (sb: its stat) in the background.  0, or HR_ENOMEM;
 * when no thread can be started the hash is taken here and then.
 */
int hr_input_hash_start(hr_input_hash **out, const char *path, const struct stat *sb, const hr_source_opts *so);
/* Wait for the hash: the hex digest (owned by h), or NULL when there is none. */
const char *hr_input_hash_wait(hr_input_hash *h);
/* Stop (if running) and free; NULL is fine. */
void hr_input_hash_free(hr_input_hash *h);

#endif
