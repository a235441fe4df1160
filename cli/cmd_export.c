/* cmd_export.c -- `incimap export`: layers from the incident store.
 *
 *   --db FILE -> sto_open (read-only) -> sto_export with the filters, in the
 *   store's canonical order -> out_writer_add -> out_writer_close.
 *
 * One option table drives getopt_long and --help. Every argument is checked
 * before the store or the output is opened; a bad one is a usage error (2).
 * Every message goes through msgs.c. */
#include "commands.h"
#include "exitcodes.h"
#include "msgs.h"
#include "names.h"
#include "options.h"
#include "outfile.h"
#include "paths.h"

#include "cx_err.h"
#include "incident.h"
#include "store.h"
#include "store_review.h"
#include "writer.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_FORMATS 8

/* ===== Options ===== */

enum { G_INPUT, G_FILTER, G_OUTPUT, G_DIAG, G_N };

enum {
    O_DB = 256, O_FROM, O_TO, O_TYPE, O_BBOX, O_COUNTRY, O_TSRS, O_OVERWRITE, O_APPEND, O_HELP,
    O_NAMES, O_GAZ, O_CONFLICT, O_REVIEWED
};

static const cli_opt opt_table[] = {
    {"db", O_DB, required_argument, "FILE", G_INPUT,
     "The incident store to read (written by incimap extract --db).\n"
     "Required."},
    {"from", O_FROM, required_argument, "DATE", G_FILTER,
     "Only incidents whose date reaches DATE or later: YYYY-MM-DD,\n"
     "YYYY-MM (its first day) or YYYY. Incidents of unknown date are\n"
     "left out when --from or --to is given."},
    {"to", O_TO, required_argument, "DATE", G_FILTER,
     "Only incidents whose date starts on DATE or earlier (YYYY-MM and\n"
     "YYYY mean their last day)."},
    {"type", O_TYPE, required_argument, "T[,T]", G_FILTER,
     "Only these types: shelling, clash, evacuation (or the layer\n"
     "names shelling, clashes, evacuations)."},
    {"bbox", O_BBOX, required_argument, "W,S,E,N", G_FILTER,
     "Only incidents inside this box, in degrees (WGS84):\n"
     "-180 <= W < E <= 180, -90 <= S < N <= 90."},
    {"country", O_COUNTRY, required_argument, "CC", G_FILTER,
     "Only incidents in this country (ISO 3166-1 alpha-2, e.g. AM)."},
    {"reviewed", O_REVIEWED, no_argument, NULL, G_FILTER,
     "Only the incidents an analyst checked and kept (review accepted or\n"
     "edited, in incimap serve); rejected and unreviewed ones are left out."},
    {"output", 'o', required_argument, "OUT", G_OUTPUT,
     "Where the layers go: a folder (one file per layer and format),\n"
     "a .gpkg file (every layer), one file FILE.geojson, FILE.shp,\n"
     "FILE.csv or FILE.fgb (the incidents layer, in the format of the\n"
     "extension, as ogr2ogr does), PG:\"...\", or - for GeoJSON on\n"
     "stdout. Required."},
    {"format", 'f', required_argument, "FORMAT", G_OUTPUT,
     "OGR driver name: GeoJSON, \"ESRI Shapefile\", GPKG, CSV,\n"
     "FlatGeobuf, PostgreSQL. Repeat for several (default: the\n"
     "extension's format, else GeoJSON and ESRI Shapefile)."},
    {"t_srs", O_TSRS, required_argument, "SRS", G_OUTPUT,
     "Reproject to SRS (EPSG:N or any PROJ string); written -t_srs as\n"
     "in ogr2ogr. Refused with GeoJSON, which is WGS84 by RFC 7946."},
    {"overwrite", O_OVERWRITE, no_argument, NULL, G_OUTPUT,
     "Replace an existing output (only once the new one is complete)."},
    {"names", O_NAMES, required_argument, "en|fr|local", G_OUTPUT, CLI_NAMES_HELP},
    {"gazetteer", O_GAZ, required_argument, "FILE", G_OUTPUT,
     "The gazetteer that gives the names (default: as for extract).\n"
     "Without one, place_name is written as stored (a warning; an\n"
     "error when --names or --gazetteer is given)."},
    {"conflict", O_CONFLICT, required_argument, "ID", G_OUTPUT,
     "Conflict file whose two-sided names apply (default\n"
     "armenia-azerbaijan)."},
    {"append", O_APPEND, no_argument, NULL, G_OUTPUT, "Add to the layers of an existing output."},
    {"quiet", 'q', no_argument, NULL, G_DIAG, "No warnings, no summary line; errors only."},
    {"verbose", 'v', no_argument, NULL, G_DIAG, "Counts of the store and of what was written."},
    {"help", 'h', no_argument, NULL, G_DIAG, "Show this help and exit."},
};
#define N_OPTS (sizeof opt_table / sizeof opt_table[0])

static const char *const group_names[G_N] = {"Input", "Filters", "Output", "Diagnostics"};

typedef struct export_opts {
    const char *db;
    const char *out;
    const char *formats[MAX_FORMATS];
    size_t n_formats;
    const char *t_srs;
    int mode; /* OUT_MODE_* */
    char from[11], to[11];
    unsigned types; /* bit per EXT_* type; 0 = all */
    bool has_bbox;
    double bbox[4];
    char country[3];
    int names;            /* GAZ_NAMES_* */
    bool names_given;     /* --names on the command line */
    const char *gazetteer, *conflict;
    int verbosity;
    bool help;
    bool reviewed; /* --reviewed */
} export_opts;

static void print_help(FILE *f)
{
    fputs("NAME\n"
          "    incimap export - write layers of incidents from an incident store\n"
          "\n"
          "SYNOPSIS\n"
          "    incimap export --db FILE -o OUT [-f FORMAT]... [--from DATE] [--to DATE]\n"
          "                   [--type T[,T]] [--bbox W,S,E,N] [--country CC]\n"
          "                   [-t_srs SRS] [--overwrite|--append] [--names en|fr|local]\n"
          "                   [--gazetteer FILE] [--conflict ID] [--reviewed] [-q] [-v] [-h]\n"
          "\n"
          "DESCRIPTION\n"
          "    Reads the incidents that incimap extract --db merged into the store\n"
          "    FILE over one or more runs, keeps those matching the filters, and\n"
          "    writes the layers shelling, clashes, evacuations and incidents to\n"
          "    OUT, in the same formats and with the same fields as incimap\n"
          "    extract. The order of the features is fixed (date, type, place),\n"
          "    so the same store always gives the same layers. The store is\n"
          "    opened read-only: an export can run while another incimap writes.\n"
          "    The run ends with a one-line summary on stderr unless -q.\n"
          "\n"
          "OPTIONS\n",
          f);
    cli_opts_print(f, opt_table, N_OPTS, group_names, G_N, O_TSRS);
    fputs("\n"
          "EXIT STATUS\n"
          "    0  success (also when no incident matches: the layers are empty)\n"
          "    2  usage: bad command line\n"
          "    3  the store is missing, unreadable or not an incimap store\n"
          "    4  the gazetteer given (--gazetteer, --names) cannot be opened\n"
          "    5  output could not be written or closed\n"
          "    6  out of memory\n"
          "\n"
          "EXAMPLES\n"
          "    incimap export --db incidents.sqlite -o layers/\n"
          "    incimap export --db incidents.sqlite -o sept.gpkg \\\n"
          "        --from 2023-09-19 --to 2023-09-30 --type shelling,evacuation\n"
          "    incimap export --db incidents.sqlite -o - --bbox 45.5,39,47,40.5 --country AM\n"
          "    incimap export --db incidents.sqlite -o incidents.csv\n",
          f);
}

/* ===== Argument checks ===== */

static int days_in_month(long y, long m)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return mdays[m - 1];
}

/* YYYY, YYYY-MM or YYYY-MM-DD naming a real period, as the first (or, with
 * `end`, the last) day of it in `out`. */
static bool parse_date(const char *s, bool end, char out[11])
{
    size_t n = strlen(s);
    if (n != 4 && n != 7 && n != 10)
        return false;
    for (size_t i = 0; i < n; i++)
        if ((i == 4 || i == 7) ? s[i] != '-' : !isdigit((unsigned char)s[i]))
            return false;
    long y = strtol(s, NULL, 10), m = n > 4 ? strtol(s + 5, NULL, 10) : (end ? 12 : 1);
    if (y < 1 || m < 1 || m > 12)
        return false;
    long d = n > 7 ? strtol(s + 8, NULL, 10) : (end ? days_in_month(y, m) : 1);
    if (d < 1 || d > days_in_month(y, m))
        return false;
    snprintf(out, 11, "%04ld-%02ld-%02ld", y % 10000, m % 100, d % 100);
    return true;
}

static int type_of(const char *name, size_t len)
{
    static const struct {
        const char *name;
        int type;
    } names[] = {{"shelling", EXT_SHELLING},     {"clash", EXT_CLASH},
                 {"clashes", EXT_CLASH},         {"evacuation", EXT_EVACUATION},
                 {"evacuations", EXT_EVACUATION}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strlen(names[i].name) == len && strncmp(names[i].name, name, len) == 0)
            return names[i].type;
    return -1;
}

static bool parse_types(const char *s, unsigned *mask)
{
    *mask = 0;
    while (true) {
        size_t len = strcspn(s, ",");
        int t = type_of(s, len);
        if (t < 0)
            return false;
        *mask |= 1u << t;
        if (!s[len])
            return true;
        s += len + 1;
    }
}

/* W,S,E,N; returns NULL or the reason it is bad. */
static const char *parse_bbox(const char *s, double v[4])
{
    const char *p = s;
    for (int i = 0; i < 4; i++) {
        char *end = NULL;
        errno = 0;
        v[i] = strtod(p, &end);
        if (end == p || errno || !isfinite(v[i]))
            return "expected four numbers W,S,E,N";
        if (i < 3 && *end != ',')
            return "expected four numbers W,S,E,N";
        if (i == 3 && *end)
            return "expected four numbers W,S,E,N";
        p = end + 1;
    }
    if (v[0] < -180 || v[0] > 180 || v[2] < -180 || v[2] > 180)
        return "longitudes must be within -180..180";
    if (v[1] < -90 || v[1] > 90 || v[3] < -90 || v[3] > 90)
        return "latitudes must be within -90..90";
    if (v[0] >= v[2])
        return "west must be less than east";
    if (v[1] >= v[3])
        return "south must be less than north";
    return NULL;
}

static int parse_args(int argc, char **argv, export_opts *o, cli_msgs *m)
{
    struct option longs[N_OPTS + 1];
    char shorts[2 * N_OPTS + 2];
    cli_opts_getopt(opt_table, N_OPTS, longs, shorts);

    optind = 1;
    opterr = 0;
    int c;
    const char *why;
    while ((c = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
        switch (c) {
        case O_DB:
            o->db = optarg;
            break;
        case O_REVIEWED:
            o->reviewed = true;
            break;
        case 'o':
            o->out = optarg;
            break;
        case 'f':
            if (o->n_formats == MAX_FORMATS) {
                cli_usagef(m, "export", "too many -f options (at most %d)", MAX_FORMATS);
                return CLI_EXIT_USAGE;
            }
            if (!cli_format_name(optarg)) {
                cli_usagef(m, "export", "-f: unknown format '%s' (one of %s)", optarg,
                           CLI_FORMATS_LIST);
                return CLI_EXIT_USAGE;
            }
            o->formats[o->n_formats++] = optarg;
            break;
        case O_FROM:
        case O_TO:
            if (!parse_date(optarg, c == O_TO, c == O_FROM ? o->from : o->to)) {
                cli_usagef(m, "export",
                           "--%s: '%s' is not a valid date (expected YYYY-MM-DD, YYYY-MM or "
                           "YYYY)",
                           c == O_FROM ? "from" : "to", optarg);
                return CLI_EXIT_USAGE;
            }
            break;
        case O_TYPE:
            if (!parse_types(optarg, &o->types)) {
                cli_usagef(m, "export",
                           "--type: '%s' is not a list of shelling, clash, evacuation (or "
                           "shelling, clashes, evacuations)",
                           optarg);
                return CLI_EXIT_USAGE;
            }
            break;
        case O_BBOX:
            if ((why = parse_bbox(optarg, o->bbox))) {
                cli_usagef(m, "export", "--bbox: '%s': %s", optarg, why);
                return CLI_EXIT_USAGE;
            }
            o->has_bbox = true;
            break;
        case O_COUNTRY:
            if (strlen(optarg) != 2 || !isalpha((unsigned char)optarg[0]) ||
                !isalpha((unsigned char)optarg[1])) {
                cli_usagef(m, "export",
                           "--country: '%s' is not a two-letter country code (ISO 3166-1)",
                           optarg);
                return CLI_EXIT_USAGE;
            }
            o->country[0] = (char)toupper((unsigned char)optarg[0]);
            o->country[1] = (char)toupper((unsigned char)optarg[1]);
            o->country[2] = '\0';
            break;
        case O_TSRS:
            o->t_srs = optarg;
            break;
        case O_NAMES:
            if ((o->names = gaz_names_parse(optarg)) < 0) {
                cli_usagef(m, "export", "--names: '%s' is not one of en, fr, local", optarg);
                return CLI_EXIT_USAGE;
            }
            o->names_given = true;
            break;
        case O_GAZ:
            o->gazetteer = optarg;
            break;
        case O_CONFLICT:
            o->conflict = optarg;
            break;
        case O_OVERWRITE:
        case O_APPEND:
            if (o->mode != OUT_MODE_CREATE) {
                cli_usagef(m, "export", "--overwrite and --append exclude each other");
                return CLI_EXIT_USAGE;
            }
            o->mode = c == O_OVERWRITE ? OUT_MODE_OVERWRITE : OUT_MODE_APPEND;
            break;
        case 'q':
            o->verbosity = -1;
            break;
        case 'v':
            if (o->verbosity >= 0)
                o->verbosity++;
            break;
        case 'h':
            o->help = true;
            return 0;
        case ':':
            cli_usagef(m, "export", "option '%s' needs an argument", argv[optind - 1]);
            return CLI_EXIT_USAGE;
        default:
            if (optopt && optopt < 256)
                cli_usagef(m, "export", "unknown option '-%c'", optopt);
            else
                cli_usagef(m, "export", "unknown option '%s'", argv[optind - 1]);
            return CLI_EXIT_USAGE;
        }
    }
    if (optind < argc) {
        cli_usagef(m, "export", "unexpected argument '%s' (the input is --db FILE)",
                   argv[optind]);
        return CLI_EXIT_USAGE;
    }
    if (!o->db) {
        cli_usagef(m, "export", "--db FILE is required");
        return CLI_EXIT_USAGE;
    }
    if (!o->out) {
        cli_usagef(m, "export", "-o OUT is required");
        return CLI_EXIT_USAGE;
    }
    if (o->from[0] && o->to[0] && strcmp(o->from, o->to) > 0) {
        cli_usagef(m, "export", "--from %s is after --to %s", o->from, o->to);
        return CLI_EXIT_USAGE;
    }
    return 0;
}

/* ===== Export ===== */

static bool file_exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0;
}

static int exit_for(int code, int otherwise)
{
    return code == CX_ENOMEM ? CLI_EXIT_NOMEM : otherwise;
}

typedef struct sink {
    out_writer *w;
    gaz_namer *names; /* NULL: place_name as stored */
    size_t by_type[EXT_NTYPES];
} sink;

static int write_one(void *ctx, const ext_incident *inc, cx_err *err)
{
    sink *s = ctx;
    if (inc->type >= 0 && inc->type < EXT_NTYPES)
        s->by_type[inc->type]++;
    ext_incident copy = *inc; /* shallow: the writer only reads it */
    int rc = cli_names_apply(s->names, &copy, err);
    return rc ? rc : out_writer_add(s->w, &copy, err);
}

/* write_one with the review applied (rev_list). */
static int write_reviewed(void *ctx, const ext_incident *inc, const rev_info *info, cx_err *err)
{
    (void)info;
    return write_one(ctx, inc, err);
}

int cli_cmd_export(int argc, char **argv)
{
    export_opts o = {0};
    cli_msgs m;
    cli_msgs_init(&m, "incimap", 0);
    /* GDAL spelling: -t_srs is a long option with one dash; getopt_long
     * permutes argv, so it works on a copy that lives as long as `o`. */
    char **av = cli_opts_argv(argc, argv);
    if (!av) {
        cli_errorf(&m, NULL, 0, "out of memory");
        return CLI_EXIT_NOMEM;
    }
    int status = parse_args(argc, av, &o, &m);
    if (status != 0 || o.help) {
        if (o.help && status == 0)
            print_help(stdout);
        free(av);
        return status;
    }
    cli_msgs_init(&m, "incimap", o.verbosity);

    sto_store *st = NULL;
    cli_outfile of = {0};
    gaz_db *gz = NULL;
    sink out = {0};
    cx_err err;
    cx_err_clear(&err);
    char data_dir[4096], vendor[4096], styles[4200], borders[4200];

    /* 1. The store: read-only, so it must exist. */
    if (!(st = sto_open(o.db, STO_OPEN_READONLY, &err))) {
        cli_report(&m, &err);
        status = exit_for(err.code, CLI_EXIT_INPUT);
        goto done;
    }
    sto_counts cnt = {0};
    if (sto_count(st, &cnt, &err) != 0) {
        cli_report(&m, &err);
        status = exit_for(err.code, CLI_EXIT_INPUT);
        goto done;
    }
    cli_notef(&m, 1, "store %s: %ld documents, %ld reports, %ld incidents", o.db, cnt.documents,
              cnt.reports, cnt.incidents);

    /* 2. The names (--names): the gazetteer renames what the store holds. */
    cli_path_data(data_dir, sizeof data_dir);
    char gaz_path[4096];
    cli_path_gazetteer(o.gazetteer, gaz_path, sizeof gaz_path);
    if (!(gz = gaz_open(gaz_path, &err))) {
        if (o.names_given || o.gazetteer) {
            cli_report(&m, &err);
            status = exit_for(err.code, CLI_EXIT_GAZETTEER);
            goto done;
        }
        cli_warnf(&m, gaz_path, 0, "no gazetteer: place_name is written as stored");
        cx_err_clear(&err);
    } else if (!(out.names = cli_names_open(gz, o.names, data_dir, o.conflict, &err))) {
        cli_report(&m, &err);
        status = exit_for(err.code, CLI_EXIT_INPUT);
        goto done;
    }

    /* 3. The output, with every type's layer unless --type narrows it. */
    cli_path_vendor(vendor, sizeof vendor);
    char admin_units[4200];
    snprintf(admin_units, sizeof admin_units, "%s/regional/admin-units.csv", data_dir);
    snprintf(styles, sizeof styles, "%s/styles", data_dir);
    snprintf(borders, sizeof borders, "%s/countries-10m.json", vendor);
    unsigned types = o.types ? o.types : (1u << EXT_NTYPES) - 1;
    out_options oo = {
        .formats = o.n_formats ? o.formats : NULL,
        .n_formats = o.n_formats,
        .t_srs = o.t_srs,
        .mode = o.mode,
        .layers = types | OUT_LAYER_ALL,
        .styles_dir = file_exists(styles) ? styles : NULL,
        .borders = file_exists(borders) ? borders : NULL,
        .admin_units = admin_units,
        .admin_lang = o.names, /* GAZ_NAMES_* and GEO_ADMIN_* agree */
    };
    if (cli_outfile_plan(&of, o.out, &oo, &err) != 0 ||
        !(out.w = out_writer_open(of.path, &of.oo, &err))) {
        cli_report(&m, &err);
        status = err.code == CX_ENOMEM   ? CLI_EXIT_NOMEM
                 : err.code == CX_EINVAL ? CLI_EXIT_USAGE
                                         : CLI_EXIT_OUTPUT;
        goto done;
    }

    /* 4. The incidents, filtered, in the store's canonical order. */
    sto_filter f = {
        .from = o.from[0] ? o.from : NULL,
        .to = o.to[0] ? o.to : NULL,
        .types = o.types,
        .has_bbox = o.has_bbox,
        .west = o.bbox[0],
        .south = o.bbox[1],
        .east = o.bbox[2],
        .north = o.bbox[3],
        .country = o.country[0] ? o.country : NULL,
    };
    size_t n = 0;
    if (rev_list(st, &f, o.reviewed ? REV_LIST_REVIEWED : REV_LIST_ALL, write_reviewed, &out, &n,
                 &err) != 0) {
        cli_report(&m, &err);
        status = exit_for(err.code, err.code == CX_EDB ? CLI_EXIT_INPUT : CLI_EXIT_OUTPUT);
        goto done;
    }
    out_writer *closing = out.w;
    out.w = NULL;
    if (out_writer_close(closing, &err) != 0 || cli_outfile_commit(&of, &err) != 0) {
        cli_report(&m, &err);
        status = exit_for(err.code, CLI_EXIT_OUTPUT);
        goto done;
    }
    if (n == 0 && cnt.incidents > 0)
        cli_warnf(&m, o.db, 0, "no incident matches the filters; the layers are empty");
    cli_notef(&m, 1, "exported %zu incidents (shelling %zu, clashes %zu, evacuations %zu)", n,
              out.by_type[EXT_SHELLING], out.by_type[EXT_CLASH], out.by_type[EXT_EVACUATION]);
    cli_summaryf(&m,
                 "%zu incident%s (shelling %zu, clashes %zu, evacuations %zu) of %ld in %s "
                 "written to %s",
                 n, n == 1 ? "" : "s", out.by_type[EXT_SHELLING], out.by_type[EXT_CLASH],
                 out.by_type[EXT_EVACUATION], cnt.incidents, o.db,
                 !strcmp(o.out, "-") ? "standard output" : o.out);
    status = CLI_EXIT_OK;
done:
    out_writer_abort(out.w);
    cli_outfile_cleanup(&of);
    gaz_namer_free(out.names);
    gaz_close(gz);
    sto_close(st);
    free(av);
    return status;
}
