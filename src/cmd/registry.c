/*
 * registry.c — lookup in the command table of src/main.c by name or by
 * helm's alias (`ls`, `hist`), shared by dispatch, `help CMD` and completion.
 */
#include "cmd/registry.h"

#include <string.h>

const hr_command *hr_command_find(const char *name)
{
	for (size_t i = 0; i < hr_ncommands; i++)
		if (!strcmp(hr_commands[i].name, name) || (hr_commands[i].alias && !strcmp(hr_commands[i].alias, name)))
			return &hr_commands[i];
	return NULL;
}
