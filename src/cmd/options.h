/*
 * options.h — table-driven command-line parsing for helmrec's commands
 * (after git's parse-options): each command declares an array of
 * hr_option; the same table drives parsing, `--help` and the man page, so
 * they cannot drift apart.
 *
 * Supported forms: `-x`, `-x VALUE`, `-xVALUE`, `--long`, `--long VALUE`,
 * `--long=VALUE`, `--` (end of options).  Options and positional arguments
 * may be interleaved (as cobra allows for helm).
 */
#ifndef HR_CMD_OPTIONS_H
#define HR_CMD_OPTIONS_H

#include <stddef.h>
#include <stdio.h>

typedef enum hr_opt_type {
	HR_OPT_END = 0,
	HR_OPT_BOOL,     /* int *: set to 1 */
	HR_OPT_STRING,   /* const char **: argument */
	HR_OPT_INT,      /* long *: decimal argument */
	HR_OPT_LIST      /* hr_strlist *: repeatable, collected */
} hr_opt_type;

/* Zero-initialised ({ NULL, 0 } or memset) means empty; free with hr_strlist_free(). */
typedef struct hr_strlist {
	const char **items;
	int n;
	size_t alloc;           /* capacity of items (HR_ARRAY_GROW) */
} hr_strlist;

typedef struct hr_option {
	hr_opt_type type;
	char short_name;        /* 0 if none */
	const char *long_name;  /* NULL if none */
	void *value;
	const char *argh;       /* argument name in help, e.g. "NS" */
	const char *help;
	const char *choices;    /* "table|json|yaml": the values completion offers; NULL if free */
} hr_option;

#define HR_OPT_BOOL_(s, l, v, h) { HR_OPT_BOOL, (s), (l), (v), NULL, (h), NULL }
#define HR_OPT_STR_(s, l, v, a, h) { HR_OPT_STRING, (s), (l), (v), (a), (h), NULL }
/* A string option whose value is one of `c` ("a|b|c"); help is unchanged. */
#define HR_OPT_ENUM_(s, l, v, a, c, h) { HR_OPT_STRING, (s), (l), (v), (a), (h), (c) }
#define HR_OPT_INT_(s, l, v, a, h) { HR_OPT_INT, (s), (l), (v), (a), (h), NULL }
#define HR_OPT_LIST_(s, l, v, a, h) { HR_OPT_LIST, (s), (l), (v), (a), (h), NULL }
#define HR_OPT_END_ { HR_OPT_END, 0, NULL, NULL, NULL, NULL, NULL }

typedef struct hr_command_help {
	const char *name;      /* "history" */
	const char *usage;     /* "history RELEASE [flags]" */
	const char *summary;   /* one line */
	const char *description; /* paragraphs, may be NULL */
} hr_command_help;

/*
 * Parse argv[1..argc-1] against `opts` (the command's table followed by the
 * global table `global`, may be NULL).  Positional arguments are collected
 * in order into `pos` (argv-owned pointers; pos->items is malloc'd, free
 * with free()).  Returns 0, 1 if --help was asked (help printed to stdout),
 * or -1 after printing an error to stderr.
 */
int hr_opt_parse(int argc, char **argv, const hr_command_help *cmd,
		 const hr_option *opts, const hr_option *global, hr_strlist *pos);

/* Print the help text for a command to `f`. */
void hr_opt_usage(FILE *f, const hr_command_help *cmd, const hr_option *opts,
		  const hr_option *global);

void hr_strlist_free(hr_strlist *l);

/*
 * The values an option takes, "a|b|c": its `choices`, else its argument name
 * when that is an enumeration in lower case ("3|4", "secret|configmap").
 * NULL when the value is free.  Borrowed.
 */
const char *hr_opt_choices(const hr_option *o);

/*
 * Describe mode, so that completion (and anything else describing commands)
 * reaches a command's option table, which is local to the command's
 * function, without running the command: while a callback is set,
 * hr_opt_parse() parses nothing, hands the command's help and tables to the
 * callback and returns 1, as after --help, so the command returns 0 at once
 * with no side effect.  The tables are valid only during the call: copy what
 * you keep.  Pass NULL to leave describe mode.  Not thread-safe (main only).
 */
typedef void (*hr_opt_describe_fn)(void *user, const hr_command_help *cmd, const hr_option *opts,
				   const hr_option *global);
void hr_opt_set_describe(hr_opt_describe_fn fn, void *user);

#endif
