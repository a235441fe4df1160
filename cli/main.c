/* main.c -- incimap's entry point: process-wide setup (SIGXFSZ, signal
 * cleanup), then dispatch to one subcommand. Everything else lives in the
 * cmd_*.c files; no global state is kept here. GDAL is not linked: `map`
 * runs in the GDAL module, loaded for it (out_module.h), and so do the
 * gazetteer build and fetch and any output format but GeoJSON. */
#include "commands.h"
#include "exitcodes.h"

#include "cx_cleanup.h"

#include "out_module.h"

#include <errno.h>
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
          "    extract     read articles, write incident layers\n"
          "    gazetteer   build or query the gazetteer\n"
          "    export      export stored incidents\n"
          "    map         draw a static map\n"
          "    watch       keep a store and its layers current as files arrive\n"
          "    text        print the documents as incimap reads them, JSON Lines\n"
          "    serve       review the incidents of a store in the browser\n"
          "    help CMD    the manual of CMD (the same as incimap CMD --help)\n"
          "\n"
          "    incimap --version | --help\n"
          "\n"
          "Exit status: 0 success, 1 partial (some documents failed, output written),\n"
          "2 usage, 3 input unreadable, 4 gazetteer, 5 output, 6 out of memory.\n",
          f);
}

typedef int (*cmd_fn)(int argc, char **argv);

/* `map` runs in the GDAL module. */
static int module_cmd(const char *name, int argc, char **argv)
{
    cx_err err = {0};
    const out_module *m = out_module_get(&err);
    if (!m) {
        char msg[sizeof err.msg + 64];
        cx_err_format(&err, msg, sizeof msg);
        fprintf(stderr, "incimap: %s: error: %s\n", name, msg);
        return CLI_EXIT_OUTPUT;
    }
    return m->cmd_map(argc, argv);
}

static int cmd_map(int argc, char **argv) { return module_cmd("map", argc, argv); }

static cmd_fn command(const char *name)
{
    static const struct {
        const char *name;
        cmd_fn fn;
    } cmds[] = {{"extract", cli_cmd_extract}, {"gazetteer", cli_cmd_gazetteer},
                {"export", cli_cmd_export},   {"map", cmd_map},
                {"watch", cli_cmd_watch},     {"text", cli_cmd_text},
                {"serve", cli_cmd_serve}};
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
        if (!strcmp(name, cmds[i].name))
            return cmds[i].fn;
    return NULL;
}

/* `incimap help CMD [SUB]`: run CMD [SUB] --help. */
static int help(int argc, char **argv)
{
    if (argc < 3) {
        usage(stdout);
        return CLI_EXIT_OK;
    }
    cmd_fn fn = command(argv[2]);
    if (!fn) {
        fprintf(stderr, "incimap: help: unknown command '%s' (extract, gazetteer, export, map, "
                        "watch, text)\n",
                argv[2]);
        return CLI_EXIT_USAGE;
    }
    char opt[] = "--help";
    char *av[4] = {argv[2], argc > 3 ? argv[3] : opt, argc > 3 ? opt : NULL, NULL};
    return fn(argc > 3 ? 3 : 2, av);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return CLI_EXIT_USAGE;
    }
    if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
        cx_err err = {0};
        const out_module *m = out_module_get(&err);
        printf("incimap %s (GDAL %s)\n", INCIMAP_VERSION, m ? m->gdal_version() : "missing");
        if (!m)
            fprintf(stderr, "incimap: %s\n", err.msg);
        out_module_shutdown();
        return m ? CLI_EXIT_OK : CLI_EXIT_USAGE;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        usage(stdout);
        return CLI_EXIT_OK;
    }
    /* A full disk or a file-size limit must be a write error we report and
     * clean up after, not a signal that kills us mid-file. */
    signal(SIGXFSZ, SIG_IGN);
    /* A closed pipe is a write error (EPIPE) we report with exit 5, not a
     * signal that ends the run as if nothing was wrong with its output. */
    signal(SIGPIPE, SIG_IGN);
    /* SIGINT, SIGTERM, SIGHUP: this run's temporaries are removed, then the
     * signal ends it (watch blocks them and stops between batches). */
    cx_cleanup_install();
    int rc;
    cmd_fn fn = command(argv[1]);
    if (!strcmp(argv[1], "help"))
        rc = help(argc, argv);
    else if (fn)
        rc = fn(argc - 1, argv + 1);
    else {
        fprintf(stderr, "incimap: unknown command '%s'\n", argv[1]);
        usage(stderr);
        rc = CLI_EXIT_USAGE;
    }
    out_module_shutdown(); /* GDAL's teardown, when it was loaded */
    /* Data written to stdout (GeoJSON of -o -, lookups, info) that did not
     * reach it is an output error, whatever the command thought. */
    errno = 0;
    if ((fflush(stdout) != 0 || ferror(stdout)) &&
        (rc == CLI_EXIT_OK || rc == CLI_EXIT_PARTIAL)) {
        fprintf(stderr, "incimap: standard output: error: write error: %s\n",
                errno ? strerror(errno) : "data could not be written (disk full or pipe closed?)");
        rc = CLI_EXIT_OUTPUT;
    }
    return rc;
}
