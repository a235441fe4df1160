/* main.c -- incimap's entry point: dispatch to a subcommand. */
#include "commands.h"
#include "exitcodes.h"

#include <gdal.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: incimap {extract|gazetteer|export|map} ... (--help)\n");
        return CLI_EXIT_USAGE;
    }
    GDALAllRegister();
    int rc;
    if (!strcmp(argv[1], "extract"))
        rc = cli_cmd_extract(argc - 1, argv + 1);
    else if (!strcmp(argv[1], "gazetteer"))
        rc = cli_cmd_gazetteer(argc - 1, argv + 1);
    else if (!strcmp(argv[1], "export"))
        rc = cli_cmd_export(argc - 1, argv + 1);
    else if (!strcmp(argv[1], "map"))
        rc = cli_cmd_map(argc - 1, argv + 1);
    else {
        fprintf(stderr, "incimap: unknown command '%s'\n", argv[1]);
        rc = CLI_EXIT_USAGE;
    }
    GDALDestroyDriverManager();
    return rc;
}
