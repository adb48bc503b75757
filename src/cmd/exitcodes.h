/*
 * exitcodes.h — helmrec's exit statuses, in one place (documented in
 * README.md and docs/cli.md).
 */
#ifndef HR_CMD_EXITCODES_H
#define HR_CMD_EXITCODES_H

enum {
	HR_EXIT_OK = 0,        /* everything asked was done */
	HR_EXIT_FAIL = 1,      /* could not do what was asked (I/O, bad index, not found...) */
	HR_EXIT_USAGE = 2,     /* bad command line */
	HR_EXIT_PARTIAL = 3,   /* done, but some inputs or records were skipped as bad, or read only in part */
	HR_EXIT_NOTFOUND = 4,  /* the release or revision asked for is not in the index */
	HR_EXIT_FINDINGS = 5,  /* helmrec audit: a finding at or above --fail-on */
	HR_EXIT_INTERRUPTED = 130 /* scan stopped by SIGINT/SIGTERM (128 + SIGINT), what was read is kept */
};

#endif
