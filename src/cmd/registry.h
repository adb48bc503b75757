/*
 * registry.h — the command table (defined in src/main.c) and what lets
 * commands that describe other commands (help, completion) reach it: the
 * table itself, lookup by name or alias, and the build's version strings.
 */
#ifndef HR_CMD_REGISTRY_H
#define HR_CMD_REGISTRY_H

#include <stddef.h>

struct hr_ctx;

typedef struct hr_command {
	const char *name;
	int (*fn)(int argc, char **argv, struct hr_ctx *ctx);
	const char *summary;  /* NULL: hidden (not listed, not completed) */
	const char *alias;    /* helm's alias for the same command, or NULL */
} hr_command;

/* src/main.c: alphabetical, static storage. */
extern const hr_command hr_commands[];
extern const size_t hr_ncommands;

/* The command named `name` (or whose alias it is), or NULL.  Borrowed. */
const hr_command *hr_command_find(const char *name);

/* Generated at build time (scripts/version.cmake): "0.1.0", and the short
 * git commit of the source tree or "unknown" outside a checkout. */
extern const char hr_version[];
extern const char hr_git_commit[];

#endif
