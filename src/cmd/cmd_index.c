/*
 * cmd_index.c — `helmrec index copy`: copy one or every cluster of an
 * index into another, SQLite or PostgreSQL either way, from the rows
 * already indexed (the backups are not read again).
 */
#include "cmd/common.h"

#include <stdio.h>
#include <string.h>

static const hr_command_help help = {
	"index", "index copy --from-db FILE|URL --to-db FILE|URL [--cluster NAME]",
	"Copy an index (one cluster or all) to another index, SQLite or PostgreSQL",
	"Copies the sources, releases, revisions, payloads, sightings, derived rows\n"
	"and live objects of every cluster (or only --cluster NAME) from --from-db\n"
	"into --to-db, created when missing.  Rows already there are kept, so a\n"
	"second copy changes nothing; the target commits every few hundred rows.\n"
	"\n"
	"Examples:\n"
	"  helmrec index copy --from-db prod-eu.db --to-db postgresql://helmrec@db/fleet --cluster default\n"
	"  helmrec index copy --from-db postgresql://helmrec@db/fleet --to-db prod-eu.db --cluster prod-eu"
};

int cmd_index(int argc, char **argv, hr_ctx *ctx)
{
	const char *from_db = NULL, *to_db = NULL;
	hr_option opts[] = {
		HR_OPT_STR_(0, "from-db", &from_db, "FILE|URL", "the index to copy from"),
		HR_OPT_STR_(0, "to-db", &to_db, "FILE|URL", "the index to copy into (created when missing)"),
		HR_OPT_END_,
	};
	hr_error err = HR_ERROR_INIT;
	hr_index *from = NULL, *to = NULL;
	hr_strlist pos;
	int rc;

	if ((rc = hr_cmd_start(argc, argv, &help, opts, ctx, &pos, 1, 1, "copy")))
		return rc < 0 ? 0 : rc;
	if (strcmp(pos.items[0], "copy")) {
		rc = hr_cmd_error(HR_EXIT_USAGE, "unknown index command \"%s\" (the only one is copy)", pos.items[0]);
		goto out;
	}
	if (!from_db || !to_db) {
		rc = hr_cmd_error(HR_EXIT_USAGE, "index copy needs --from-db and --to-db");
		goto out;
	}
	if (!strcmp(from_db, to_db)) {
		rc = hr_cmd_error(HR_EXIT_USAGE, "--from-db and --to-db are the same index");
		goto out;
	}
	if (hr_index_open(&from, from_db, HR_INDEX_READONLY, &err) || hr_index_open(&to, to_db, HR_INDEX_CREATE, &err) ||
	    hr_index_copy(from, to, ctx->cluster, &err)) {
		rc = hr_cmd_fail(&err);
		goto out;
	}
	if (!ctx->quiet)
		fprintf(stderr, "copied %s%s from %s to %s\n", ctx->cluster ? "cluster " : "every cluster",
			ctx->cluster ? ctx->cluster : "", from_db, to_db);
out:
	hr_index_close(from);
	hr_index_close(to);
	hr_strlist_free(&pos);
	return rc;
}
