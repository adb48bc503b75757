/*
 * main.c — helmrec's entry point: the command table, dispatch, and the
 * final flush of stdout (so a full disk is an error, not silent loss).
 * SIGXFSZ is ignored: past a file size limit (ulimit -f) a write then fails
 * with EFBIG and is reported like a full disk (transaction rolled back,
 * temporary output removed) instead of killing the process mid-write.
 *
 * Adding a command: see docs/adding-a-command.md.
 */
#include "cmd/common.h"
#include "cmd/registry.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Alphabetical; hr_command is in cmd/registry.h (summary NULL: hidden). */
const hr_command hr_commands[] = {
	{ "__complete", cmd_complete, NULL, NULL },
	{ "audit", cmd_audit, "report what is wrong in the records, where, and the exact fix", NULL },
	{ "chart", cmd_chart, "recover the chart stored in a revision as a chart directory (and .tgz)", NULL },
	{ "clusters", cmd_clusters, "list the clusters of a (fleet) index with their inputs, scan times and counts", NULL },
	{ "completion", cmd_completion, "print a shell completion script (bash, zsh or fish)", NULL },
	{ "decode", cmd_decode, "print the release JSON (or one part) of records in dumps or payloads", NULL },
	{ "diff", cmd_diff, "show what changed between two revisions (resources, hooks, values)", NULL },
	{ "drift", cmd_drift, "compare deployed manifests with the backup's live objects (drift, orphans)", NULL },
	{ "export", cmd_export, "re-encode release history for another cluster or storage driver", NULL },
	{ "get", cmd_get, "print values, manifest, hooks, notes, metadata or all of a revision (as helm get)", NULL },
	{ "history", cmd_history, "print the revision history of a release (as helm history)", "hist" },
	{ "index", cmd_index, "copy an index (a cluster or all) between SQLite and PostgreSQL", NULL },
	{ "list", cmd_list, "list releases (as helm list)", "ls" },
	{ "repair", cmd_repair, "write the records that un-stick a release or map removed APIs, offline", NULL },
	{ "report", cmd_report, "write one self-contained HTML page showing the whole backup", NULL },
	{ "rollback", cmd_rollback, "build what helm rollback would apply and store, offline (manifests, hooks, records)", NULL },
	{ "scan", cmd_scan, "index dumps and backups into an index file", NULL },
	{ "sightings", cmd_sightings, "show every place each revision of a release was seen (provenance)", NULL },
	{ "sql", cmd_sql, "query the index with SQL, read-only (table, json or csv)", NULL },
	{ "status", cmd_status, "print the status of a release (as helm status, offline)", NULL },
};
const size_t hr_ncommands = sizeof(hr_commands) / sizeof(hr_commands[0]);

static void usage(FILE *f)
{
	fprintf(f, "helmrec — offline forensics and migration for Helm release records\n\n"
		   "Usage:\n  helmrec COMMAND [flags]\n\nCommands:\n");
	for (size_t i = 0; i < hr_ncommands; i++)
		if (hr_commands[i].summary)
			fprintf(f, "  %-10s %s\n", hr_commands[i].name, hr_commands[i].summary);
	fprintf(f, "\nRun 'helmrec COMMAND --help' for a command's flags.\n"
		   "Exit status: 0 ok, 1 failure, 2 usage error, 3 some records skipped, 4 not found,\n"
		   "5 audit findings at or above --fail-on, 130 scan interrupted (what was read is kept).\n");
}

/* Edit distance of a and b, capped: enough to tell a typo from another word. */
static size_t distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), row[32];

	if (la >= 32 || lb >= 32)
		return 99;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];

		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j], best = diag + (a[i - 1] != b[j - 1]);

			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			diag = up;
			row[j] = best;
		}
	}
	return row[lb];
}

/*
 * "Error: unknown command ..." for `word`, then cobra's "Did you mean
 * this?" list (commands within two edits, or starting with the word), then
 * `tail`.  Returns HR_EXIT_USAGE.
 */
static int unknown_command(const char *word, const char *where, const char *tail)
{
	int shown = 0;

	fprintf(stderr, "Error: unknown command \"%s\" for \"%s\"\n", word, where);
	for (size_t i = 0; i < hr_ncommands; i++) {
		const hr_command *c = &hr_commands[i];

		if (!c->summary || (distance(word, c->name) > 2 && strncmp(c->name, word, strlen(word))))
			continue;
		fprintf(stderr, "%s\t%s\n", shown++ ? "" : "\nDid you mean this?\n", c->name);
	}
	fputs(tail, stderr);
	return HR_EXIT_USAGE;
}

/*
 * A reader that went away (EPIPE, SIGPIPE ignored) is not told: exit 1 in
 * silence, as with the default SIGPIPE.  A command that already failed
 * (rc != 0) has said why; errno is not looked at after it.
 */
static int finish_stdout(int rc)
{
	if (fflush(stdout) || ferror(stdout) || fclose(stdout)) {
		if (!rc && errno != EPIPE)
			fprintf(stderr, "Error: writing output: %s\n", strerror(errno));
		return rc ? rc : HR_EXIT_FAIL;
	}
	return rc;
}

/*
 * Global flags may come before the command (`helmrec --db x.db history web`):
 * move them after it, so each command's parser sees them.  Returns the index
 * of the command word in the reordered argv, or -1 if there is none.
 */
static int hoist_command(int argc, char **argv, hr_ctx *ctx)
{
	const hr_option *g = hr_global_options(ctx);
	int i = 1;

	while (i < argc && argv[i][0] == '-' && argv[i][1]) {
		const char *name = argv[i] + 2, *eq = strchr(name, '=');
		int takes_value = 0;

		/* -n NS is a persistent flag in helm (cobra): accepted before the command too. */
		if (!strcmp(argv[i], "-n") || !strcmp(argv[i], "--namespace")) {
			i += 2;
			continue;
		}
		if (!strncmp(argv[i], "-n", 2) || !strncmp(argv[i], "--namespace=", 12)) {
			i++;
			continue;
		}
		if (argv[i][1] != '-')
			return -1;
		for (const hr_option *o = g; o->type != HR_OPT_END; o++)
			if (o->long_name && strlen(o->long_name) == (eq ? (size_t)(eq - name) : strlen(name)) &&
			    !strncmp(o->long_name, name, strlen(o->long_name)))
				takes_value = o->type != HR_OPT_BOOL && !eq;
		i += takes_value ? 2 : 1;
	}
	if (i >= argc)
		return -1;
	if (i > 1) {
		char *cmd = argv[i];
		memmove(argv + 2, argv + 1, (size_t)(i - 1) * sizeof(*argv));
		argv[1] = cmd;
	}
	return 1;
}

int main(int argc, char **argv)
{
	hr_ctx ctx = { 0 };
	const hr_command *c;
	int rc;

	signal(SIGXFSZ, SIG_IGN);
	if (argc >= 2 && argv[1][0] == '-' && strcmp(argv[1], "--help") && strcmp(argv[1], "-h") &&
	    strcmp(argv[1], "--version") && hoist_command(argc, argv, &ctx) < 0) {
		usage(stderr);
		return HR_EXIT_USAGE;
	}

	if (argc < 2) {
		usage(stderr);
		return HR_EXIT_USAGE;
	}
	if (argc >= 3 && !strcmp(argv[1], "help")) {
		/* `helmrec help CMD` is `helmrec CMD --help`. */
		char *hv[] = { argv[2], "--help", NULL };

		if (!(c = hr_command_find(argv[2])) || !c->summary)
			return unknown_command(argv[2], "helmrec help", "\nRun 'helmrec help' for the list of commands.\n");
		return finish_stdout(c->fn(2, hv, &ctx));
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return finish_stdout(0);
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
		printf("helmrec %s (commit %s)\n", hr_version, hr_git_commit);
		return finish_stdout(0);
	}
	if ((c = hr_command_find(argv[1]))) {
		rc = c->fn(argc - 1, argv + 1, &ctx);
		if (!rc && ctx.partial)
			rc = HR_EXIT_PARTIAL;  /* --from skipped records: the output stands, the status says so */
		hr_strlist_free(&ctx.from);
		return finish_stdout(rc);
	}
	unknown_command(argv[1], "helmrec", "\n");
	usage(stderr);
	return HR_EXIT_USAGE;
}
