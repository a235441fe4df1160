/* cmd_export.c -- placeholder until the subcommand lands. */
#include "commands.h"
#include "exitcodes.h"
#include <stdio.h>

int cli_cmd_export(int argc, char **argv)
{
    (void)argc;
    fprintf(stderr, "incimap: %s: not built yet\n", argv[0]);
    return CLI_EXIT_USAGE;
}
