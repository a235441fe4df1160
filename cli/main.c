/* main.c -- incimap's entry point: process-wide setup (GDAL drivers,
 * SIGXFSZ), then dispatch to one subcommand. Everything else lives in the
 * cmd_*.c files; no global state is kept here. */
#include "commands.h"
#include "exitcodes.h"

#include <gdal.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#ifndef INCIMAP_VERSION
#define INCIMAP_VERSION "0.0.0"
#endif

static void usage(FILE *f)
{
    fputs("usage: incimap COMMAND [OPTIONS] ...\n"
          "\n"
          "Commands:\n"
          "    extract     read articles, write incident layers (incimap extract --help)\n"
          "    gazetteer   build or query the gazetteer (incimap gazetteer --help)\n"
          "    export      export stored incidents (incimap export --help)\n"
          "    map         draw a static map (incimap map --help)\n"
          "    watch       keep a store and its layers current as files arrive\n"
          "                (incimap watch --help)\n"
          "\n"
          "    incimap --version | --help\n",
          f);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return CLI_EXIT_USAGE;
    }
    if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
        printf("incimap %s (GDAL %s)\n", INCIMAP_VERSION, GDALVersionInfo("RELEASE_NAME"));
        return CLI_EXIT_OK;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return CLI_EXIT_OK;
    }
    /* A full disk or a file-size limit must be a write error we report and
     * clean up after, not a signal that kills us mid-file. */
    signal(SIGXFSZ, SIG_IGN);
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
    else if (!strcmp(argv[1], "watch"))
        rc = cli_cmd_watch(argc - 1, argv + 1);
    else {
        fprintf(stderr, "incimap: unknown command '%s'\n", argv[1]);
        usage(stderr);
        rc = CLI_EXIT_USAGE;
    }
    GDALDestroyDriverManager();
    return rc;
}
