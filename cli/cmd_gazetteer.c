/* cmd_gazetteer.c -- `incimap gazetteer build|lookup|fetch|info`: build the
 * SpatiaLite gazetteer, query it, download GeoNames dumps. Thin: parses the
 * command line, calls gazetteer/, prints. */
#include "commands.h"
#include "cx_buf.h"
#include "cx_text.h"
#include "exitcodes.h"
#include "paths.h"

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cx_err.h"
#include "extract.h" /* the theatre gate of extraction, shown by lookup */
#include "gazetteer.h"
#include "out_module.h" /* the build and fetch run in the GDAL module */

#define MAX_FILES 64

static void print_err(const cx_err *e)
{
    char buf[1024];
    cx_err_format(e, buf, sizeof buf);
    fprintf(stderr, "incimap: %s\n", buf);
}

static int exit_for(int code)
{
    switch (code) {
    case CX_ENOMEM: return CLI_EXIT_NOMEM;
    case CX_EINVAL: return CLI_EXIT_USAGE;
    default: return CLI_EXIT_GAZETTEER;
    }
}

/* ===== build ===== */

static const char build_help[] =
    "NAME\n"
    "    incimap gazetteer build - build the SpatiaLite gazetteer\n"
    "\n"
    "SYNOPSIS\n"
    "    incimap gazetteer build [SOURCES] [--no-defaults] [--overwrite] -o FILE\n"
    "\n"
    "DESCRIPTION\n"
    "    With no source option, builds the default gazetteer from the vendor\n"
    "    packages (cities500.txt, state.json, country.json, countries-10m.json;\n"
    "    fetched by scripts/fetch-data.sh) and the regional supplement in\n"
    "    data/regional. Source options add to the defaults; --no-defaults uses\n"
    "    only the named sources. The file is written beside FILE and renamed\n"
    "    into place when complete. Malformed rows are reported as FILE:LINE and\n"
    "    skipped; a missing or truncated source is an error.\n"
    "\n"
    "OPTIONS\n"
    "    -o, --output FILE         the gazetteer to write (required)\n"
    "    --overwrite               replace FILE if it exists (refused otherwise)\n"
    "    --geonames FILE           a GeoNames 19-column dump (cities500.txt, AM.txt,\n"
    "                              allCountries.txt); repeatable\n"
    "    --alternate-names FILE    GeoNames alternateNamesV2.txt\n"
    "    --admin1 FILE             GeoNames admin1CodesASCII.txt\n"
    "    --extra FILE              CSV or GeoJSON of extra places (docs/gazetteer.md);\n"
    "                              repeatable\n"
    "    --extra-columns MAP       map your columns: name=locality_en,name:fr=...\n"
    "    --countries FILE          country polygons (world-atlas TopoJSON, GeoJSON)\n"
    "    --states FILE             country-state-city state.json\n"
    "    --no-defaults             do not add the default sources\n"
    "    -q, --quiet               no progress or warnings\n"
    "    -h, --help                this help\n"
    "\n"
    "EXIT STATUS\n"
    "    0 built; 2 usage; 4 a source or the output failed; 6 out of memory\n";

typedef struct build_ui {
    bool tty, quiet;
    long warnings;
} build_ui;

static void on_progress(void *ctx, const char *source, long rows)
{
    build_ui *ui = ctx;
    if (!ui->tty || ui->quiet)
        return;
    const char *base = strrchr(source, '/');
    fprintf(stderr, "\rincimap: %s: %ld rows   ", base ? base + 1 : source, rows);
    fflush(stderr);
}

static void on_warn(void *ctx, const char *source, long line, const char *msg)
{
    build_ui *ui = ctx;
    ui->warnings++;
    if (ui->quiet)
        return;
    if (ui->warnings > 50) {
        if (ui->warnings == 51)
            fprintf(stderr, "incimap: (more warnings not shown)\n");
        return;
    }
    if (ui->tty)
        fputc('\r', stderr);
    fprintf(stderr, "incimap: %s:%ld: warning: %s; row skipped\n", source, line, msg);
}

static int cmd_build(int argc, char **argv)
{
    enum { O_GEONAMES = 256, O_ALT, O_ADMIN1, O_EXTRA, O_EXTRA_COLS, O_COUNTRIES, O_STATES,
           O_NODEF, O_OVERWRITE };
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'},
        {"geonames", required_argument, NULL, O_GEONAMES},
        {"alternate-names", required_argument, NULL, O_ALT},
        {"admin1", required_argument, NULL, O_ADMIN1},
        {"extra", required_argument, NULL, O_EXTRA},
        {"extra-columns", required_argument, NULL, O_EXTRA_COLS},
        {"countries", required_argument, NULL, O_COUNTRIES},
        {"states", required_argument, NULL, O_STATES},
        {"no-defaults", no_argument, NULL, O_NODEF},
        {"overwrite", no_argument, NULL, O_OVERWRITE},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    const char *geonames[MAX_FILES], *extra[MAX_FILES];
    gaz_build_opts o;
    memset(&o, 0, sizeof o);
    o.defaults = true;
    const char *out = NULL;
    bool overwrite = false;
    build_ui ui = {isatty(2) != 0, false, 0};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:qh", opts, NULL)) != -1) {
        switch (c) {
        case 'o': out = optarg; break;
        case 'q': ui.quiet = true; break;
        case 'h': fputs(build_help, stdout); return CLI_EXIT_OK;
        case O_GEONAMES:
        case O_EXTRA: {
            size_t *n = c == O_GEONAMES ? &o.n_geonames : &o.n_extra;
            const char **v = c == O_GEONAMES ? geonames : extra;
            if (*n == MAX_FILES) {
                fprintf(stderr, "incimap: gazetteer build: at most %d files per option\n",
                        MAX_FILES);
                return CLI_EXIT_USAGE;
            }
            v[(*n)++] = optarg;
            break;
        }
        case O_ALT: o.alternate_names = optarg; break;
        case O_ADMIN1: o.admin1 = optarg; break;
        case O_EXTRA_COLS: o.extra_columns = optarg; break;
        case O_COUNTRIES: o.countries = optarg; break;
        case O_STATES: o.states = optarg; break;
        case O_NODEF: o.defaults = false; break;
        case O_OVERWRITE: overwrite = true; break;
        default:
            fprintf(stderr, "usage: incimap gazetteer build [SOURCES] -o FILE (--help)\n");
            return CLI_EXIT_USAGE;
        }
    }
    if (!out || optind < argc) {
        fprintf(stderr, "incimap: gazetteer build: %s\n",
                out ? "unexpected argument" : "-o FILE is required");
        return CLI_EXIT_USAGE;
    }
    struct stat out_st;
    if (!overwrite && lstat(out, &out_st) == 0) {
        fprintf(stderr, "incimap: %s: error: output exists (use --overwrite)\n", out);
        return CLI_EXIT_OUTPUT;
    }
    o.geonames = geonames;
    o.extra = extra;
    char vendor[4096], data[4096];
    o.vendor_dir = cli_path_vendor(vendor, sizeof vendor);
    o.data_dir = cli_path_data(data, sizeof data);
    o.progress = on_progress;
    o.progress_ctx = &ui;
    o.warn = on_warn;
    o.warn_ctx = &ui;
    gaz_build_stats st;
    cx_err err;
    cx_err_clear(&err);
    const out_module *mod = out_module_get(&err);
    int rc = mod ? mod->gaz_build(out, &o, &st, &err) : err.code;
    if (ui.tty && !ui.quiet)
        fputs("\r\033[K", stderr);
    if (rc) {
        print_err(&err);
        return exit_for(rc);
    }
    if (!ui.quiet)
        fprintf(stderr,
                "incimap: %s: %ld rows read, %ld kept, %ld rejected; %ld places, %ld names, "
                "%ld regions; %ld rows merged into another source's place; admin-1 outside "
                "their country: %ld repaired, %ld dropped; %ld villages named like their "
                "province renamed\n",
                out, st.rows_read, st.rows_kept, st.rows_rejected, st.places, st.names,
                st.regions, st.merged, st.outside_repaired, st.outside_dropped, st.homonyms);
    return CLI_EXIT_OK;
}

/* ===== lookup ===== */

static const char lookup_help[] =
    "NAME\n"
    "    incimap gazetteer lookup - ranked candidates for a place name\n"
    "\n"
    "SYNOPSIS\n"
    "    incimap gazetteer lookup NAME [--country CC] [--near LAT,LON] [--json]\n"
    "                                  [--exact] [-n N] [--gazetteer FILE]\n"
    "                                  [--conflict ID]\n"
    "\n"
    "OPTIONS\n"
    "    --country CC       prefer places of this ISO alpha-2 country\n"
    "    --only-country     with --country: drop the other countries\n"
    "    --near LAT,LON     prefer places near this point\n"
    "    --exact            no transliteration matches\n"
    "    -n N               at most N candidates (default 10)\n"
    "    --json             JSON array instead of a table\n"
    "    --conflict ID      the theatre gate of data/conflicts/ID.json (default\n"
    "                       armenia-azerbaijan), as extraction applies it: column\n"
    "                       theatre is core (in the theatre's box and a focus\n"
    "                       country), box (in the box only) or outside; extract\n"
    "                       says whether extraction keeps the row as a candidate\n"
    "                       (an exact name in the box; a transliteration or fuzzy\n"
    "                       key, marked ~, only in the core); none: no gate shown\n"
    "    --gazetteer FILE   the gazetteer (default: $INCIMAP_GAZETTEER, then\n"
    "                       $INCIMAP_HOME/gazetteer.sqlite)\n"
    "\n"
    "EXIT STATUS\n"
    "    0 found; 1 no candidate; 2 usage; 4 gazetteer error\n";

/* `s` with its control characters escaped (cx_escape_controls), cut to fit
 * `buf`: names from a gazetteer or a command line never reach the terminal
 * raw (an ESC]0;...BEL would retitle it). Returns `buf`. */
static const char *safe(const char *s, char *buf, size_t size)
{
    cx_buf b = CX_BUF_INIT;
    if (!s)
        s = "";
    if (cx_escape_controls(s, strlen(s), &b) == 0 && b.data)
        snprintf(buf, size, "%.*s", (int)b.len, b.data);
    else
        snprintf(buf, size, "%s", cx_has_controls(s, strlen(s)) ? "(unprintable)" : s);
    cx_buf_free(&b);
    return buf;
}

static const char *kind_name(int k)
{
    static const char *const n[] = {"settlement", "admin1", "admin2", "region",
                                    "country",    "water",  "other"};
    return k >= 0 && k <= 6 ? n[k] : "?";
}

static int cmd_lookup(int argc, char **argv)
{
    enum { O_COUNTRY = 256, O_NEAR, O_JSON, O_GAZ, O_EXACT, O_ONLY, O_CONFLICT };
    static const struct option opts[] = {{"country", required_argument, NULL, O_COUNTRY},
                                         {"near", required_argument, NULL, O_NEAR},
                                         {"json", no_argument, NULL, O_JSON},
                                         {"gazetteer", required_argument, NULL, O_GAZ},
                                         {"exact", no_argument, NULL, O_EXACT},
                                         {"only-country", no_argument, NULL, O_ONLY},
                                         {"conflict", required_argument, NULL, O_CONFLICT},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    gaz_query q = {NULL, false, 0, 0, true, false};
    bool json = false;
    const char *gaz_opt = NULL;
    const char *conflict = "armenia-azerbaijan";
    bool conflict_given = false;
    long max = 10;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "n:h", opts, NULL)) != -1) {
        switch (c) {
        case O_COUNTRY:
            if (strlen(optarg) != 2) {
                fprintf(stderr, "incimap: --country: expected an ISO alpha-2 code\n");
                return CLI_EXIT_USAGE;
            }
            q.country = optarg;
            break;
        case O_NEAR: {
            char *end;
            q.near_lat = strtod(optarg, &end);
            if (*end != ',') {
                fprintf(stderr, "incimap: --near: expected LAT,LON\n");
                return CLI_EXIT_USAGE;
            }
            q.near_lon = strtod(end + 1, &end);
            if (*end || q.near_lat < -90 || q.near_lat > 90 || q.near_lon < -180 ||
                q.near_lon > 180) {
                fprintf(stderr, "incimap: --near: expected LAT,LON\n");
                return CLI_EXIT_USAGE;
            }
            q.has_near = true;
            break;
        }
        case O_JSON: json = true; break;
        case O_GAZ: gaz_opt = optarg; break;
        case O_EXACT: q.translit = false; break;
        case O_ONLY: q.only_country = true; break;
        case O_CONFLICT:
            conflict = optarg;
            conflict_given = true;
            if (!*conflict || strpbrk(conflict, "/\\") || !strcmp(conflict, "..") ||
                !strcmp(conflict, ".")) {
                fprintf(stderr, "incimap: --conflict: '%s' is not a conflict id\n", conflict);
                return CLI_EXIT_USAGE;
            }
            break;
        case 'n': {
            char *end;
            max = strtol(optarg, &end, 10);
            if (*end || max < 1 || max > 1000) {
                fprintf(stderr, "incimap: -n: expected a number from 1 to 1000\n");
                return CLI_EXIT_USAGE;
            }
            break;
        }
        case 'h': fputs(lookup_help, stdout); return CLI_EXIT_OK;
        default:
            fprintf(stderr, "usage: incimap gazetteer lookup NAME [options] (--help)\n");
            return CLI_EXIT_USAGE;
        }
    }
    if (optind + 1 != argc) {
        fprintf(stderr, "usage: incimap gazetteer lookup NAME [options] (--help)\n");
        return CLI_EXIT_USAGE;
    }
    const char *name = argv[optind];
    char path[4096];
    cli_path_gazetteer(gaz_opt, path, sizeof path);
    cx_err err;
    cx_err_clear(&err);
    gaz_db *g = gaz_open(path, &err);
    if (!g) {
        print_err(&err);
        return exit_for(err.code == CX_ENOMEM ? CX_ENOMEM : CX_EDB);
    }
    cx_place *res = calloc((size_t)max, sizeof *res);
    size_t n = 0;
    int rc = res ? gaz_lookup(g, name, strlen(name), &q, res, (size_t)max, &n, &err)
                 : cx_err_set(&err, CX_ENOMEM, NULL, 0, "out of memory");
    gaz_close(g);
    if (rc) {
        free(res);
        print_err(&err);
        return rc == CX_EFORMAT ? CLI_EXIT_USAGE : exit_for(rc);
    }
    /* the theatre gate extraction applies (resolve.c): "none" shows none */
    ext_lexicon *lex = NULL;
    if (n && strcmp(conflict, "none") != 0) {
        char data_dir[4096];
        cli_path_data(data_dir, sizeof data_dir);
        cx_err lerr;
        cx_err_clear(&lerr);
        lex = ext_lexicon_load(data_dir, conflict, &lerr);
        if (!lex) {
            /* the look-up still answers; say why the gate is missing */
            fprintf(stderr, "incimap: note: no theatre gate shown: ");
            print_err(&lerr);
            if (conflict_given) {
                free(res);
                return CLI_EXIT_USAGE;
            }
        }
    }
    const char *gate_names[] = {"core", "box", "outside"};
    if (json) {
        json_t *arr = json_array();
        for (size_t i = 0; i < n && arr; i++) {
            const cx_place *p = &res[i];
            json_t *o = json_pack(
                "{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:f, s:f, s:f, s:s,"
                " s:f}",
                "id", (json_int_t)p->id, "src_id", p->src_id, "name", p->name, "matched",
                p->matched, "lang", p->lang, "class", p->fclass, "code", p->fcode, "kind",
                kind_name(p->kind), "country", p->country, "admin1", p->admin1, "population",
                (json_int_t)p->population, "lat", p->lat, "lon", p->lon, "radius_km",
                p->radius_km, "match", p->match == CX_MATCH_EXACT ? "exact" : "translit",
                "score", p->score);
            if (o && lex) {
                bool kept = false;
                int gate = ext_place_gate(lex, p, &kept);
                json_object_set_new(o, "theatre", json_string(gate_names[gate]));
                json_object_set_new(o, "extract", json_boolean(kept));
            }
            if (o)
                json_array_append_new(arr, o);
        }
        char *s = arr ? json_dumps(arr, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
                                            JSON_REAL_PRECISION(8))
                      : NULL;
        if (s)
            printf("%s\n", s);
        free(s);
        json_decref(arr);
    } else {
        if (n)
            printf("%-10s %-24s %-24s %-6s %-10s %-2s %-20s %10s %9s %9s %6s%s\n", "id", "name",
                   "matched", "code", "kind", "cc", "admin1", "population", "lat", "lon",
                   "score", lex ? "   theatre extract" : "");
        for (size_t i = 0; i < n; i++) {
            const cx_place *p = &res[i];
            char nm[256], mt[256], a1[256], gate[40] = "";
            if (lex) {
                bool kept = false;
                int gi = ext_place_gate(lex, p, &kept);
                snprintf(gate, sizeof gate, " %-7s %s", gate_names[gi], kept ? "kept" : "dropped");
            }
            printf("%-10lld %-24s %-24s %-6s %-10s %-2s %-20s %10ld %9.5f %9.5f %6.1f%s%s\n",
                   p->id, safe(p->name, nm, sizeof nm), safe(p->matched, mt, sizeof mt),
                   p->fcode, kind_name(p->kind), p->country, safe(p->admin1, a1, sizeof a1),
                   p->population, p->lat, p->lon, p->score,
                   p->match == CX_MATCH_TRANSLIT ? " ~" : "  ", gate);
        }
    }
    ext_lexicon_free(lex);
    free(res);
    if (n == 0) {
        char nm[256];
        fprintf(stderr, "incimap: no gazetteer match for \"%s\"\n", safe(name, nm, sizeof nm));
        return CLI_EXIT_PARTIAL;
    }
    return CLI_EXIT_OK;
}

/* ===== fetch ===== */

static const char fetch_help[] =
    "NAME\n"
    "    incimap gazetteer fetch - download GeoNames dumps\n"
    "\n"
    "SYNOPSIS\n"
    "    incimap gazetteer fetch CC... [--alternate-names] [--base-url URL] [-o DIR]\n"
    "\n"
    "DESCRIPTION\n"
    "    Downloads CC.zip (a country code, allCountries or cities500) from the\n"
    "    GeoNames dump site and extracts CC.txt into DIR (default: .). A name\n"
    "    ending in .txt (admin1CodesASCII.txt) is downloaded as is.\n"
    "    --alternate-names also fetches alternateNamesV2.zip. Use the files with\n"
    "    `incimap gazetteer build --geonames DIR/CC.txt ...`.\n"
    "\n"
    "OPTIONS\n"
    "    --base-url URL       default https://download.geonames.org/export/dump\n"
    "                         (file:// URLs work too)\n"
    "    --alternate-names    also alternateNamesV2\n"
    "    -o, --output DIR     where to write (must exist)\n"
    "    --timeout SECONDS    give up a download after this long (default 3600)\n"
    "    --stall SECONDS      give up when under 1 KB/s for this long (default 60)\n"
    "    --max-size MB        refuse a download or an extracted file larger than\n"
    "                         this (default 4096); a zip member may also not\n"
    "                         inflate more than 200 times\n"
    "\n"
    "    What arrives is checked before it is renamed into place: a zip must be\n"
    "    one (an HTML error page is refused) and the text must be GeoNames\n"
    "    tab-separated rows (no NUL byte; 19 columns, 10 for alternateNamesV2,\n"
    "    4 for admin1CodesASCII.txt).\n"
    "\n"
    "EXIT STATUS\n"
    "    0 done; 2 usage; 4 download or unzip failed\n";

static void on_fetched(void *ctx, const char *path, long long bytes)
{
    (void)ctx;
    fprintf(stderr, "incimap: %s: %lld bytes\n", path, bytes);
}

static int cmd_fetch(int argc, char **argv)
{
    enum { O_BASE = 256, O_ALT, O_TIMEOUT, O_STALL, O_MAXSIZE };
    static const struct option opts[] = {{"base-url", required_argument, NULL, O_BASE},
                                         {"alternate-names", no_argument, NULL, O_ALT},
                                         {"timeout", required_argument, NULL, O_TIMEOUT},
                                         {"stall", required_argument, NULL, O_STALL},
                                         {"max-size", required_argument, NULL, O_MAXSIZE},
                                         {"output", required_argument, NULL, 'o'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    gaz_fetch_opts o;
    memset(&o, 0, sizeof o);
    o.out_dir = ".";
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
        switch (c) {
        case O_BASE: o.base_url = optarg; break;
        case O_ALT: o.alternate_names = true; break;
        case 'o': o.out_dir = optarg; break;
        case O_TIMEOUT:
        case O_STALL:
        case O_MAXSIZE: {
            char *end = NULL;
            double v = strtod(optarg, &end);
            if (!end || end == optarg || *end || !(v > 0 && v < 1e9)) {
                fprintf(stderr, "incimap: gazetteer fetch: --%s: '%s' is not a positive number\n",
                        c == O_TIMEOUT ? "timeout" : c == O_STALL ? "stall" : "max-size", optarg);
                return CLI_EXIT_USAGE;
            }
            if (c == O_TIMEOUT)
                o.timeout_s = v;
            else if (c == O_STALL)
                o.stall_s = v;
            else
                o.max_bytes = (long long)(v * 1048576.0);
            break;
        }
        case 'h': fputs(fetch_help, stdout); return CLI_EXIT_OK;
        default:
            fprintf(stderr, "usage: incimap gazetteer fetch CC... [options] (--help)\n");
            return CLI_EXIT_USAGE;
        }
    }
    if (optind >= argc && !o.alternate_names) {
        fprintf(stderr, "usage: incimap gazetteer fetch CC... [options] (--help)\n");
        return CLI_EXIT_USAGE;
    }
    o.names = (const char *const *)(argv + optind);
    o.n_names = (size_t)(argc - optind);
    o.done = on_fetched;
    cx_err err;
    cx_err_clear(&err);
    const out_module *mod = out_module_get(&err);
    int rc = mod ? mod->gaz_fetch(&o, &err) : err.code;
    if (rc) {
        print_err(&err);
        return exit_for(rc);
    }
    return CLI_EXIT_OK;
}

/* ===== info ===== */

static int cmd_info(int argc, char **argv)
{
    static const struct option opts[] = {{"gazetteer", required_argument, NULL, 'g'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *gaz_opt = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (c == 'g')
            gaz_opt = optarg;
        else if (c == 'h') {
            puts("usage: incimap gazetteer info [--gazetteer FILE]: the meta table");
            return CLI_EXIT_OK;
        } else
            return CLI_EXIT_USAGE;
    }
    char path[4096];
    cli_path_gazetteer(gaz_opt, path, sizeof path);
    cx_err err;
    cx_err_clear(&err);
    gaz_db *g = gaz_open(path, &err);
    if (!g) {
        print_err(&err);
        return CLI_EXIT_GAZETTEER;
    }
    static const char *const keys[] = {"schema_version", "built", "places", "names",
                                       "regions", "rows_read", "rows_kept", "rows_rejected",
                                       "country_mismatch", "sources", NULL};
    printf("path: %s\n", path);
    for (size_t i = 0; keys[i]; i++) {
        char v[1024];
        if (gaz_meta(g, keys[i], v, sizeof v, NULL) == 0)
            printf("%s: %s\n", keys[i], v);
    }
    gaz_close(g);
    return CLI_EXIT_OK;
}

int cli_cmd_gazetteer(int argc, char **argv)
{
    static const char usage[] =
        "NAME\n"
        "    incimap gazetteer - build, fill or query the place-name gazetteer\n"
        "\n"
        "SYNOPSIS\n"
        "    incimap gazetteer build [SOURCES] -o FILE    build a gazetteer\n"
        "    incimap gazetteer lookup NAME [options]      look a name up\n"
        "    incimap gazetteer fetch CC... [options]      download GeoNames extracts\n"
        "    incimap gazetteer info [--gazetteer FILE]    what a gazetteer holds\n"
        "\n"
        "    Each subcommand takes -h/--help (or: incimap help gazetteer SUB).\n"
        "\n"
        "EXIT STATUS\n"
        "    0 success; 2 bad command line; 3 a source is unreadable; 4 the\n"
        "    gazetteer cannot be opened or is of the wrong schema; 5 the output\n"
        "    cannot be written; 6 out of memory.\n";
    if (argc < 2) {
        fputs("incimap: gazetteer: missing subcommand (build, lookup, fetch, info)\n", stderr);
        fputs("Try 'incimap gazetteer --help' for more information.\n", stderr);
        return CLI_EXIT_USAGE;
    }
    const char *sub = argv[1];
    if (!strcmp(sub, "--help") || !strcmp(sub, "-h")) {
        fputs(usage, stdout);
        return CLI_EXIT_OK;
    }
    if (!strcmp(sub, "build"))
        return cmd_build(argc - 1, argv + 1);
    if (!strcmp(sub, "lookup"))
        return cmd_lookup(argc - 1, argv + 1);
    if (!strcmp(sub, "fetch"))
        return cmd_fetch(argc - 1, argv + 1);
    if (!strcmp(sub, "info"))
        return cmd_info(argc - 1, argv + 1);
    fprintf(stderr, "incimap: gazetteer: unknown subcommand '%s' (build, lookup, fetch, info)\n",
            sub);
    fputs("Try 'incimap gazetteer --help' for more information.\n", stderr);
    return CLI_EXIT_USAGE;
}
