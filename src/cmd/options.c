/*
 * options.c — the option-table parser and help printer (see options.h).
 */
#include "cmd/options.h"
#include "util/array.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const hr_option *find_long(const hr_option *t, const char *name, size_t len)
{
	for (; t && t->type != HR_OPT_END; t++)
		if (t->long_name && strlen(t->long_name) == len && !strncmp(t->long_name, name, len))
			return t;
	return NULL;
}

static const hr_option *find_short(const hr_option *t, char c)
{
	for (; t && t->type != HR_OPT_END; t++)
		if (t->short_name == c)
			return t;
	return NULL;
}

static int list_push(hr_strlist *l, const char *s)
{
	if (HR_ARRAY_GROW(l->items, (size_t)l->n + 1, l->alloc))
		return -1;
	l->items[l->n++] = s;
	return 0;
}

/* Is `arg` one of "a|b|c"? */
static int has_choice(const char *choices, const char *arg)
{
	size_t len = strlen(arg);

	for (const char *p = choices; *p;) {
		const char *bar = strchr(p, '|');
		size_t n = bar ? (size_t)(bar - p) : strlen(p);

		if (n == len && !strncmp(p, arg, n))
			return 1;
		p += n + (bar ? 1 : 0);
	}
	return 0;
}

static int set_value(const hr_command_help *cmd, const hr_option *o, const char *arg, const char *spelled)
{
	char *end;
	long v;

	switch (o->type) {
	case HR_OPT_BOOL:
		*(int *)o->value = 1;
		return 0;
	case HR_OPT_STRING:
		if (o->choices && o->long_name && !strcmp(o->long_name, "output") && !has_choice(o->choices, arg)) {
			/* helm's (pflag's) words for an unsupported -o value: a usage error */
			if (o->short_name)
				fprintf(stderr, "Error: invalid argument \"%s\" for \"-%c, --output\" flag: invalid format type\n",
					arg, o->short_name);
			else
				fprintf(stderr, "Error: invalid argument \"%s\" for \"--output\" flag: invalid format type\n", arg);
			return -1;
		}
		*(const char **)o->value = arg;
		return 0;
	case HR_OPT_INT:
		errno = 0;
		v = strtol(arg, &end, 10);
		if (errno || end == arg || *end) {
			fprintf(stderr, "Error: invalid argument \"%s\" for \"%s\" flag: not an integer\n", arg, spelled);
			return -1;
		}
		*(long *)o->value = v;
		return 0;
	case HR_OPT_LIST:
		return list_push(o->value, arg);
	default:
		return -1;
	}
}

static hr_opt_describe_fn describe_fn;
static void *describe_user;

void hr_opt_set_describe(hr_opt_describe_fn fn, void *user)
{
	describe_fn = fn;
	describe_user = user;
}

const char *hr_opt_choices(const hr_option *o)
{
	if (o->choices)
		return o->choices;
	if (!o->argh || !strchr(o->argh, '|'))
		return NULL;
	for (const char *p = o->argh; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '|' || *p == '-'))
			return NULL;
	return o->argh;
}

int hr_opt_parse(int argc, char **argv, const hr_command_help *cmd,
		 const hr_option *opts, const hr_option *global, hr_strlist *pos)
{
	int only_pos = 0;

	memset(pos, 0, sizeof(*pos));
	if (describe_fn) {
		describe_fn(describe_user, cmd, opts, global);
		return 1;
	}
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const hr_option *o;

		if (only_pos || a[0] != '-' || !a[1]) {
			if (list_push(pos, a))
				return -1;
			continue;
		}
		if (!strcmp(a, "--")) {
			only_pos = 1;
			continue;
		}
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			hr_opt_usage(stdout, cmd, opts, global);
			return 1;
		}
		if (a[1] == '-') {
			const char *name = a + 2, *eq = strchr(name, '=');
			size_t len = eq ? (size_t)(eq - name) : strlen(name);

			o = find_long(opts, name, len);
			if (!o)
				o = find_long(global, name, len);
			if (!o) {
				fprintf(stderr, "Error: unknown flag: --%.*s\nRun 'helmrec %s --help' for usage.\n",
					(int)len, name, cmd->name);
				return -1;
			}
			if (o->type == HR_OPT_BOOL) {
				if (eq && strcmp(eq + 1, "true") && strcmp(eq + 1, "false")) {
					fprintf(stderr, "Error: --%s takes no value\n", o->long_name);
					return -1;
				}
				*(int *)o->value = !(eq && !strcmp(eq + 1, "false"));
				continue;
			}
			if (!eq && i + 1 >= argc) {
				fprintf(stderr, "Error: flag needs an argument: --%s\n", o->long_name);
				return -1;
			}
			if (set_value(cmd, o, eq ? eq + 1 : argv[++i], a))
				return -1;
			continue;
		}
		/* short options, possibly bundled: -aq, -nNS, -n NS */
		for (const char *p = a + 1; *p; p++) {
			char spelled[3] = { '-', *p, 0 };

			o = find_short(opts, *p);
			if (!o)
				o = find_short(global, *p);
			if (!o) {
				fprintf(stderr, "Error: unknown shorthand flag: '%c' in %s\nRun 'helmrec %s --help' for usage.\n",
					*p, a, cmd->name);
				return -1;
			}
			if (o->type == HR_OPT_BOOL) {
				*(int *)o->value = 1;
				continue;
			}
			if (p[1]) {
				if (set_value(cmd, o, p[1] == '=' ? p + 2 : p + 1, spelled))
					return -1;
			} else if (i + 1 < argc) {
				if (set_value(cmd, o, argv[++i], spelled))
					return -1;
			} else {
				fprintf(stderr, "Error: flag needs an argument: '%c' in %s\n", *p, a);
				return -1;
			}
			break;
		}
	}
	return 0;
}

static void print_table(FILE *f, const hr_option *t)
{
	for (; t && t->type != HR_OPT_END; t++) {
		char left[80];
		int n = 0;

		if (t->short_name)
			n = snprintf(left, sizeof(left), "  -%c%s", t->short_name, t->long_name ? ", " : "");
		else
			n = snprintf(left, sizeof(left), "      ");
		if (t->long_name && n < (int)sizeof(left))
			n += snprintf(left + n, sizeof(left) - (size_t)n, "--%s", t->long_name);
		if (t->argh && n < (int)sizeof(left))
			snprintf(left + n, sizeof(left) - (size_t)n, " %s", t->argh);
		fprintf(f, "%-30s %s\n", left, t->help);
	}
}

void hr_opt_usage(FILE *f, const hr_command_help *cmd, const hr_option *opts,
		  const hr_option *global)
{
	fprintf(f, "%s\n\nUsage:\n  helmrec %s\n", cmd->summary, cmd->usage);
	if (cmd->description)
		fprintf(f, "\n%s\n", cmd->description);
	if (opts) {  /* an empty table still gets -h */
		fprintf(f, "\nFlags:\n");
		print_table(f, opts);
		fprintf(f, "  -h, --help                     help for %s\n", cmd->name);
	}
	if (global && global->type != HR_OPT_END) {
		fprintf(f, "\nGlobal Flags:\n");
		print_table(f, global);
	}
}

void hr_strlist_free(hr_strlist *l)
{
	free(l->items);
	l->items = NULL;
	l->n = 0;
	l->alloc = 0;
}
