/* cmd_serve.c -- `incimap serve`: review a store's incidents in the browser.
 *
 *   --db FILE -> sto_open (read-write) -> srv_start (serve/) -> wait for
 *   SIGINT/SIGTERM -> srv_stop (the request in progress completes) ->
 *   sto_close (the store closes cleanly, WAL checkpointed).
 *
 * SIGINT and SIGTERM are blocked before the server thread starts, so that
 * thread inherits the mask and only sigwait() here receives them. */
#include "commands.h"
#include "exitcodes.h"
#include "msgs.h"
#include "options.h"
#include "paths.h"

#include "cx_err.h"
#include "gazetteer.h"
#include "serve.h"
#include "store.h"
#include "store_review.h"

#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

enum { G_INPUT, G_SERVER, G_DIAG, G_N };
enum { O_DB = 256, O_BIND, O_PORT, O_TOKEN, O_GAZ, O_TILES };

static const cli_opt opt_table[] = {
    {"db", O_DB, required_argument, "FILE", G_INPUT,
     "The incident store to review (written by incimap extract --db).\n"
     "Required. Verdicts are written into it."},
    {"gazetteer", O_GAZ, required_argument, "FILE", G_INPUT,
     "The gazetteer the place search reads (default: $INCIMAP_GAZETTEER,\n"
     "else $INCIMAP_HOME/gazetteer.sqlite). Without one, places are\n"
     "edited by clicking the map only."},
    {"bind", O_BIND, required_argument, "ADDR", G_SERVER,
     "The address to listen on (default 127.0.0.1, this machine only).\n"
     "Any other address needs --token."},
    {"port", O_PORT, required_argument, "N", G_SERVER, "The port (default 8765; 0: any free port)."},
    {"token", O_TOKEN, required_argument, "T", G_SERVER,
     "A secret every request must carry: open http://HOST:PORT/?token=T\n"
     "once (a cookie keeps it) or send Authorization: Bearer T.\n"
     "Required with a non-loopback --bind. Also read from $INCIMAP_TOKEN."},
    {"tiles", O_TILES, required_argument, "URL", G_SERVER,
     "A tile layer under the borders, e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png\n"
     "(default: none; the page needs no internet)."},
    {"quiet", 'q', no_argument, NULL, G_DIAG, "No notes; errors only."},
    {"help", 'h', no_argument, NULL, G_DIAG, "Show this help and exit."},
};
#define N_OPTS (sizeof opt_table / sizeof opt_table[0])
static const char *const group_names[G_N] = {"Input", "Server", "Diagnostics"};

static void print_help(FILE *f)
{
    fputs("NAME\n"
          "    incimap serve - review a store's incidents in the browser\n"
          "\n"
          "SYNOPSIS\n"
          "    incimap serve --db STORE [--bind 127.0.0.1] [--port 8765] [--token T]\n"
          "                  [--gazetteer FILE] [--tiles URL] [-q]\n"
          "\n"
          "DESCRIPTION\n"
          "    Serves a page at http://127.0.0.1:8765/ with the store's incidents\n"
          "    on a map and in a list (doubtful first), their sources, and the\n"
          "    actions accept (a), reject (r), edit (e), merge (m), split (s:\n"
          "    the checked sources leave for a new incident) and undo (u), j/k to\n"
          "    move. Every verdict is a row of the store (who, when,\n"
          "    before, after) and lasts across re-imports; export, map and\n"
          "    extract --db write the review field; export --reviewed keeps the\n"
          "    checked incidents only. SIGINT or SIGTERM stop it cleanly.\n"
          "\n"
          "OPTIONS\n",
          f);
    cli_opts_print(f, opt_table, N_OPTS, group_names, G_N, -1);
    fputs("\n"
          "EXIT STATUS\n"
          "    0  stopped by SIGINT or SIGTERM\n"
          "    2  usage: bad command line, non-loopback --bind without --token\n"
          "    3  the store is missing or not an incimap store\n"
          "    5  cannot listen (port in use), or a page file is missing\n"
          "\n"
          "EXAMPLES\n"
          "    incimap serve --db incidents.sqlite\n"
          "    incimap serve --db incidents.sqlite --bind 0.0.0.0 --token \"$(openssl rand -hex 16)\"\n",
          f);
}

int cli_cmd_serve(int argc, char **argv)
{
    cli_msgs m;
    cli_msgs_init(&m, "incimap", 0);
    struct option longs[N_OPTS + 1];
    char shorts[2 * N_OPTS + 2];
    cli_opts_getopt(opt_table, N_OPTS, longs, shorts);
    const char *db = NULL, *gaz_opt = NULL, *token = getenv("INCIMAP_TOKEN");
    srv_options so = {.bind = "127.0.0.1", .port = 8765};
    bool quiet = false;
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
        char *end;
        long v;
        switch (c) {
        case O_DB: db = optarg; break;
        case O_GAZ: gaz_opt = optarg; break;
        case O_BIND: so.bind = optarg; break;
        case O_TOKEN: token = optarg; break;
        case O_TILES: so.tile_url = optarg; break;
        case 'q': quiet = true; break;
        case O_PORT:
            v = strtol(optarg, &end, 10);
            if (end == optarg || *end || v < 0 || v > 65535) {
                cli_usagef(&m, "serve", "--port: '%s' is not a port (0 to 65535)", optarg);
                return CLI_EXIT_USAGE;
            }
            so.port = (int)v;
            break;
        case 'h': print_help(stdout); return CLI_EXIT_OK;
        case ':':
            cli_usagef(&m, "serve", "option %s needs an argument", argv[optind - 1]);
            return CLI_EXIT_USAGE;
        default:
            cli_usagef(&m, "serve", "unknown option '%s'", argv[optind - 1]);
            return CLI_EXIT_USAGE;
        }
    }
    if (optind < argc) {
        cli_usagef(&m, "serve", "unexpected argument '%s'", argv[optind]);
        return CLI_EXIT_USAGE;
    }
    if (!db) {
        cli_usagef(&m, "serve", "--db STORE is required");
        return CLI_EXIT_USAGE;
    }
    so.token = token && token[0] ? token : NULL;
    if (!srv_is_loopback(so.bind) && !so.token) {
        cli_usagef(&m, "serve", "--bind %s is not a loopback address: give a --token", so.bind);
        return CLI_EXIT_USAGE;
    }

    int status = CLI_EXIT_OK;
    cx_err err;
    cx_err_clear(&err);
    sto_store *st = NULL;
    gaz_db *gz = NULL;
    srv_server *srv = NULL;
    char www[4096], vendor[4096], gpath[4096], data[4096];
    so.www_dir = cli_path_www(www, sizeof www);
    so.data_dir = cli_path_data(data, sizeof data);
    so.vendor_dir = cli_path_vendor(vendor, sizeof vendor);

    if (!(st = sto_open(db, STO_OPEN_EXISTING, &err))) {
        cli_report(&m, &err);
        status = CLI_EXIT_INPUT;
        goto done;
    }
    cli_path_gazetteer(gaz_opt, gpath, sizeof gpath);
    if (!(gz = gaz_open(gpath, &err))) {
        if (gaz_opt) {
            cli_report(&m, &err);
            status = CLI_EXIT_GAZETTEER;
            goto done;
        }
        if (!quiet)
            cli_warnf(&m, gpath, 0, "no gazetteer: the place search is off (%s)", err.msg);
        cx_err_clear(&err);
    }

    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    if (!(srv = srv_start(&so, st, gz, &err))) {
        cli_report(&m, &err);
        status = err.code == CX_EINVAL ? CLI_EXIT_USAGE : CLI_EXIT_OUTPUT;
        goto done;
    }
    if (!quiet) {
        fprintf(stderr, "incimap: serving %s at http://%s%s%s:%d/%s\n", db,
                strchr(so.bind, ':') ? "[" : "", so.bind, strchr(so.bind, ':') ? "]" : "",
                srv_port(srv), so.token ? "?token=..." : "");
        fflush(stderr);
    }
    int sig = 0;
    sigwait(&set, &sig);
    if (!quiet)
        fprintf(stderr, "incimap: %s: stopping, the store is closed cleanly\n",
                sig == SIGTERM ? "SIGTERM" : "SIGINT");
done:
    srv_stop(srv);
    gaz_close(gz);
    sto_close(st);
    return status;
}

/* ===== map -o FILE.html ===== */

int cli_map_is_html(const char *path)
{
    size_t n = strlen(path);
    return (n > 5 && !strcasecmp(path + n - 5, ".html")) ||
           (n > 4 && !strcasecmp(path + n - 4, ".htm"));
}

static int add_one(void *ctx, const ext_incident *inc, const rev_info *info, cx_err *err)
{
    (void)info;
    return srv_map_add(ctx, inc) ? cx_err_set(err, CX_ENOMEM, NULL, 0, "out of memory") : 0;
}

int cli_map_html(const char *db, const char *input, const char *output, const char *title)
{
    cli_msgs m;
    cli_msgs_init(&m, "incimap", 0);
    cx_err err;
    cx_err_clear(&err);
    int status = CLI_EXIT_OK;
    sto_store *st = NULL;
    srv_map *page = srv_map_new();
    char www[4096], vendor[4096], layer[4200], data[4096];
    if (!page) {
        cli_errorf(&m, NULL, 0, "out of memory");
        return CLI_EXIT_NOMEM;
    }
    if (db) {
        if (!(st = sto_open(db, STO_OPEN_READONLY, &err)) ||
            rev_list(st, NULL, REV_LIST_ALL, add_one, page, NULL, &err)) {
            cli_report(&m, &err);
            status = err.code == CX_ENOMEM ? CLI_EXIT_NOMEM : CLI_EXIT_INPUT;
            goto done;
        }
    } else {
        struct stat sb;
        if (stat(input, &sb) == 0 && S_ISDIR(sb.st_mode))
            snprintf(layer, sizeof layer, "%s/incidents.geojson", input);
        else
            snprintf(layer, sizeof layer, "%s", input);
        if (srv_map_add_geojson(page, layer, &err)) {
            cli_report(&m, &err);
            status = CLI_EXIT_INPUT;
            goto done;
        }
    }
    srv_map_options mo = {.www_dir = cli_path_www(www, sizeof www),
                          .vendor_dir = cli_path_vendor(vendor, sizeof vendor),
                          .data_dir = cli_path_data(data, sizeof data),
                          .title = title};
    if (srv_map_write(page, &mo, output, &err)) {
        cli_report(&m, &err);
        status = err.code == CX_ENOMEM ? CLI_EXIT_NOMEM : CLI_EXIT_OUTPUT;
    }
done:
    sto_close(st);
    srv_map_free(page);
    return status;
}
