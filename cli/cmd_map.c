/* cmd_map.c -- `incimap map`: a static map of incidents (PNG, SVG, PDF).
 * Parses the options, reads the layer, builds the view and renders through
 * map/. Only this file prints. */
#include "commands.h"
#include "exitcodes.h"
#include "map.h"
#include "names.h"
#include "paths.h"
#include "store.h"
#include "store_review.h"

#include <getopt.h>
#include <stdbool.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char usage_text[] =
    "NAME\n"
    "    incimap map - draw incidents on a static map (PNG, SVG, PDF)\n"
    "\n"
    "SYNOPSIS\n"
    "    incimap map INPUT -o FILE.png|FILE.svg|FILE.pdf [options]\n"
    "\n"
    "DESCRIPTION\n"
    "    Draws the incidents of INPUT over the country polygons and borders of\n"
    "    Natural Earth, in a conformal projection centred on the map (Lambert\n"
    "    conic; transverse Mercator near the equator), with symbols by type\n"
    "    (shelling red star, clash orange diamond, evacuation blue circle),\n"
    "    place labels (one per place), a legend with counts, the title and date\n"
    "    range, a scale bar, a north arrow and the data attribution. The format\n"
    "    follows the extension of -o. Incidents of different types at one place\n"
    "    are drawn apart around it, joined to it by a short leader, so that none\n"
    "    hides another. A pin whose geo_precision is 3 (the centre of a region\n"
    "    or unit, not the place itself) is drawn hollow with a dashed outline.\n"
    "    The run ends with a one-line summary on stderr unless -q.\n"
    "\n"
    "    INPUT is a layer file GDAL reads (GeoJSON, GPKG, Shapefile, FlatGeobuf,\n"
    "    CSV with X/Y or lon/lat columns) or an OUT folder written by\n"
    "    `incimap extract` (its incidents layer is used); or, with --db, the\n"
    "    incident store.\n"
    "\n"
    "OPTIONS\n"
    "    -o, --output FILE     the map to write: .png, .svg or .pdf (required)\n"
    "    --overwrite           replace FILE if it exists (refused otherwise)\n"
    "    --bbox W,S,E,N|auto   the area in degrees; auto (default) fits the\n"
    "                          incidents with a margin, at least 200 km across\n"
    "    --from DATE           only incidents on or after DATE (YYYY[-MM[-DD]])\n"
    "    --to DATE             only incidents on or before DATE\n"
    "    --type T,...          only these types: shelling, clash, evacuation\n"
    "    --title TEXT          the title (default \"Incidents\")\n"
    "    --width PX            width in pixels (default 1600); SVG and PDF pages\n"
    "                          are PX/DPI inches wide\n"
    "    --dpi N               resolution (default 150): text and symbols are\n"
    "                          sized for it\n"
    "    --size BY             symbol size by sources (default), fatalities or none\n"
    "    --countries FILE      country polygons (default: countries-10m.json in\n"
    "                          the vendor directory, $INCIMAP_VENDOR)\n"
    "    --admin1 FILE|none    first-level units drawn as thin lines (default:\n"
    "                          admin1-caucasus.fgb in the vendor directory, from\n"
    "                          Natural Earth via scripts/fetch-data.sh, when there)\n"
    "    --db FILE             read the incidents of an incident store (written\n"
    "                          by incimap extract --db) instead of INPUT\n"
    "    --names en|fr|local   label places in this language (default: a layer's\n"
    "                          place_name as written; the store's in en); fr also\n"
    "                          writes the legend and attribution in French\n"
    "    --gazetteer FILE      the gazetteer that gives the names (default: as\n"
    "                          for extract)\n"
    "    -q, --quiet           no warnings, no summary line\n"
    "    -h, --help            show this help\n"
    "\n"
    "EXIT STATUS\n"
    "    0 map written; 2 bad command line; 3 input or country polygons\n"
    "    unreadable, or no incident to map; 4 the gazetteer asked for\n"
    "    (--names, --gazetteer) cannot be opened; 5 the map could not be\n"
    "    written; 6 out of memory.\n"
    "\n"
    "EXAMPLES\n"
    "    incimap map out/ -o border.png --from 2022-09-12 --to 2022-09-14 \\\n"
    "        --title \"Border clashes, September 2022\"\n"
    "    incimap map out/incidents.geojson -o shelling.pdf --type shelling\n";

enum {
    OPT_BBOX = 256,
    OPT_FROM,
    OPT_TO,
    OPT_TYPE,
    OPT_TITLE,
    OPT_WIDTH,
    OPT_DPI,
    OPT_COUNTRIES,
    OPT_DB,
    OPT_SIZE,
    OPT_NAMES,
    OPT_GAZ,
    OPT_ADMIN1,
    OPT_OVERWRITE
};

static const struct option long_opts[] = {
    {"output", required_argument, NULL, 'o'},
    {"bbox", required_argument, NULL, OPT_BBOX},
    {"from", required_argument, NULL, OPT_FROM},
    {"to", required_argument, NULL, OPT_TO},
    {"type", required_argument, NULL, OPT_TYPE},
    {"title", required_argument, NULL, OPT_TITLE},
    {"width", required_argument, NULL, OPT_WIDTH},
    {"dpi", required_argument, NULL, OPT_DPI},
    {"countries", required_argument, NULL, OPT_COUNTRIES},
    {"db", required_argument, NULL, OPT_DB},
    {"size", required_argument, NULL, OPT_SIZE},
    {"names", required_argument, NULL, OPT_NAMES},
    {"gazetteer", required_argument, NULL, OPT_GAZ},
    {"overwrite", no_argument, NULL, OPT_OVERWRITE},
    {"help", no_argument, NULL, 'h'},
    {"quiet", no_argument, NULL, 'q'},
    {"admin1", required_argument, NULL, OPT_ADMIN1},
    {NULL, 0, NULL, 0},
};

static int usage_error(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

static int usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "incimap: map: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n(see incimap map --help)\n");
    va_end(ap);
    return CLI_EXIT_USAGE;
}

static int parse_long(const char *s, long lo, long hi, long *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (end == s || *end || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

static int report(const cx_err *err, int status)
{
    char msg[1024];
    cx_err_format(err, msg, sizeof msg);
    fprintf(stderr, "incimap: %s\n", msg);
    return status;
}

/* ===== --db: incidents from the store ===== */

typedef struct db_ctx {
    map_list *out;
    const map_filter *filter;
} db_ctx;

static int take_incident(void *ctx, const ext_incident *inc, cx_err *err)
{
    db_ctx *c = ctx;
    map_incident m = {.lon = inc->lon, .lat = inc->lat, .n_sources = inc->n_sources,
                      .fatalities = inc->fatalities, .geo_prec = inc->geo_prec};
    switch (inc->type) {
    case EXT_SHELLING: m.type = MAP_SHELLING; break;
    case EXT_CLASH: m.type = MAP_CLASH; break;
    case EXT_EVACUATION: m.type = MAP_EVACUATION; break;
    default: return 0; /* a type the map does not draw */
    }
    if (m.n_sources < 1)
        m.n_sources = 1;
    snprintf(m.date, sizeof m.date, "%s", inc->date);
    snprintf(m.place, sizeof m.place, "%s", inc->place_name[0] ? inc->place_name : inc->place);
    snprintf(m.place_id, sizeof m.place_id, "%s", inc->place_id);
    if (!map_filter_match(c->filter, &m))
        return 0;
    if (map_list_add(c->out, &m))
        return cx_err_set(err, CX_ENOMEM, NULL, 0, "out of memory");
    return 0;
}

/* take_incident, leaving out what an analyst rejected (store_review.h). */
static int take_unrejected(void *ctx, const ext_incident *inc, const rev_info *info,
                           cx_err *err)
{
    (void)info;
    return inc->review == EXT_REVIEW_REJECTED ? 0 : take_incident(ctx, inc, err);
}

/* Append the store's incidents that pass `filter` (the map's own date
 * semantics, so --from 2022-09 works as for layers). */
static int read_store(const char *path, const map_filter *filter, map_list *out, cx_err *err)
{
    sto_store *st = sto_open(path, STO_OPEN_READONLY, err);
    if (!st)
        return err->code ? err->code : CX_EIO;
    db_ctx ctx = {out, filter};
    int rc = rev_list(st, NULL, REV_LIST_ALL, take_unrejected, &ctx, NULL, err);
    sto_close(st);
    return rc;
}

/* --names: relabel every incident that has a gazetteer id. */
static int rename_all(gaz_namer *n, map_list *l, cx_err *err)
{
    for (size_t i = 0; n && i < l->n; i++) {
        map_incident *m = &l->items[i];
        char name[sizeof m->place], alt[128];
        int rc = gaz_namer_name(n, m->place_id, name, sizeof name, alt, sizeof alt, err);
        if (rc)
            return rc;
        if (name[0])
            snprintf(m->place, sizeof m->place, "%s", name);
    }
    return 0;
}

static int exit_for(int code, int io_status)
{
    switch (code) {
    case CX_ENOMEM: return CLI_EXIT_NOMEM;
    case CX_EOUT: return CLI_EXIT_OUTPUT;
    default: return io_status;
    }
}

int cli_cmd_map(int argc, char **argv)
{
    const char *output = NULL, *bbox_arg = NULL, *title = NULL, *countries = NULL;
    const char *db = NULL, *from = NULL, *to = NULL, *gazetteer = NULL, *admin1 = NULL;
    int names = GAZ_NAMES_EN;
    bool names_given = false, overwrite = false;
    long width = 1600, dpi = 150;
    int size_by = MAP_SIZE_SOURCES;
    map_filter filter = {.types = 0};
    cx_err err;
    cx_err_clear(&err);

    optind = 1;
    opterr = 0;
    int c;
    bool quiet = false;
    while ((c = getopt_long(argc, argv, ":o:hq", long_opts, NULL)) != -1) {
        switch (c) {
        case 'o': output = optarg; break;
        case 'q': quiet = true; break;
        case OPT_BBOX: bbox_arg = optarg; break;
        case OPT_FROM: from = optarg; break;
        case OPT_TO: to = optarg; break;
        case OPT_TITLE: title = optarg; break;
        case OPT_COUNTRIES: countries = optarg; break;
        case OPT_ADMIN1: admin1 = optarg; break;
        case OPT_DB: db = optarg; break;
        case OPT_GAZ: gazetteer = optarg; break;
        case OPT_OVERWRITE: overwrite = true; break;
        case OPT_NAMES:
            if ((names = gaz_names_parse(optarg)) < 0)
                return usage_error("--names: '%s' is not one of en, fr, local", optarg);
            names_given = true;
            break;
        case OPT_TYPE:
            if (map_types_parse(optarg, &filter.types, &err))
                return usage_error("--type: %s", err.msg);
            break;
        case OPT_WIDTH:
            if (parse_long(optarg, 100, 20000, &width))
                return usage_error("--width: expected pixels 100..20000, got '%s'", optarg);
            break;
        case OPT_DPI:
            if (parse_long(optarg, 36, 1200, &dpi))
                return usage_error("--dpi: expected 36..1200, got '%s'", optarg);
            break;
        case OPT_SIZE:
            if (!strcmp(optarg, "sources"))
                size_by = MAP_SIZE_SOURCES;
            else if (!strcmp(optarg, "fatalities"))
                size_by = MAP_SIZE_FATALITIES;
            else if (!strcmp(optarg, "none"))
                size_by = MAP_SIZE_NONE;
            else
                return usage_error("--size: expected sources, fatalities or none, got '%s'",
                                   optarg);
            break;
        case 'h': fputs(usage_text, stdout); return CLI_EXIT_OK;
        case ':': return usage_error("%s needs a value", argv[optind - 1]);
        default:
            if (optopt && optopt < 256)
                return usage_error("unknown option '-%c'", optopt);
            return usage_error("unknown option '%s'", argv[optind - 1]);
        }
    }
    int n_inputs = argc - optind;
    if (db && n_inputs > 0)
        return usage_error("give INPUT or --db, not both");
    if (!db && n_inputs != 1)
        return n_inputs ? usage_error("one INPUT only (got %d)", n_inputs)
                        : usage_error("missing INPUT");
    if (!output)
        return usage_error("missing -o FILE.png|.svg|.pdf");
    if (cli_map_is_html(output)) /* the offline page: cmd_serve.c */
        return cli_map_html(db, db ? NULL : argv[optind], output, title);
    int format = map_format_from_path(output);
    if (format < 0)
        return usage_error("%s: the output must end in .png, .svg or .pdf", output);
    struct stat out_st;
    if (!overwrite && lstat(output, &out_st) == 0) {
        fprintf(stderr, "incimap: %s: error: output exists (use --overwrite)\n", output);
        return CLI_EXIT_OUTPUT;
    }
    map_bbox bbox;
    bool have_bbox = bbox_arg && strcmp(bbox_arg, "auto") != 0;
    if (have_bbox && map_bbox_parse(bbox_arg, &bbox, &err))
        return usage_error("--bbox: %s", err.msg);
    if (from && map_date_parse(from, filter.from, &err))
        return usage_error("--from: %s", err.msg);
    if (to && map_date_parse(to, filter.to, &err))
        return usage_error("--to: %s", err.msg);
    if (from && to) {
        /* Compare the first days each bound stands for. */
        if (strncmp(filter.from, filter.to, strlen(filter.to) < strlen(filter.from)
                                                 ? strlen(filter.to)
                                                 : strlen(filter.from)) > 0)
            return usage_error("--from %s is after --to %s", from, to);
    }
    /* Data files. */
    char vendor[4096], countries_buf[4200], data[4096], lakes[4200];
    if (!countries) {
        snprintf(countries_buf, sizeof countries_buf, "%s/countries-10m.json",
                 cli_path_vendor(vendor, sizeof vendor));
        countries = countries_buf;
    }
    struct stat st;
    if (stat(countries, &st) != 0) {
        fprintf(stderr, "incimap: %s: no such file (country polygons; run "
                        "scripts/fetch-data.sh, or give --countries)\n", countries);
        return CLI_EXIT_INPUT;
    }
    snprintf(lakes, sizeof lakes, "%s/regional/lakes.geojson", cli_path_data(data, sizeof data));
    bool have_lakes = stat(lakes, &st) == 0;
    char admin1_buf[4200];
    if (admin1 && !strcmp(admin1, "none")) {
        admin1 = NULL;
    } else if (admin1) {
        if (stat(admin1, &st) != 0) {
            fprintf(stderr, "incimap: %s: no such file (first-level units; or --admin1 none)\n",
                    admin1);
            return CLI_EXIT_INPUT;
        }
    } else {
        snprintf(admin1_buf, sizeof admin1_buf, "%s/admin1-caucasus.fgb",
                 cli_path_vendor(vendor, sizeof vendor));
        if (stat(admin1_buf, &st) == 0)
            admin1 = admin1_buf;
    }

    map_list incs = MAP_LIST_INIT;
    map_view *view = NULL;
    gaz_db *gz = NULL;
    gaz_namer *namer = NULL;
    int status = CLI_EXIT_OK;
    size_t skipped = 0;
    const char *input = db ? db : argv[optind];
    int rc = db ? read_store(db, &filter, &incs, &err)
                : map_read_layer(input, &filter, &incs, &skipped, &err);
    if (rc) {
        if (!err.source[0])
            snprintf(err.source, sizeof err.source, "%s", input);
        status = report(&err, exit_for(err.code, CLI_EXIT_INPUT));
        goto done;
    }
    if (skipped && !quiet)
        fprintf(stderr, "incimap: %s: warning: %zu feature%s skipped (no known type or no "
                        "point geometry)\n", input, skipped, skipped == 1 ? "" : "s");
    /* Labels: a layer keeps the names extract wrote unless --names asks for
     * others; the store holds the gazetteer's own, renamed by default (en). */
    if (names_given || gazetteer || db) {
        char gaz_path[4096];
        cli_path_gazetteer(gazetteer, gaz_path, sizeof gaz_path);
        if (!(gz = gaz_open(gaz_path, &err))) {
            if (names_given || gazetteer) {
                status = report(&err, exit_for(err.code, CLI_EXIT_GAZETTEER));
                goto done;
            }
            cx_err_clear(&err); /* --db without a gazetteer: the stored names */
        } else if (!(namer = cli_names_open(gz, names, data, NULL, &err)) ||
                   rename_all(namer, &incs, &err) != 0) {
            status = report(&err, exit_for(err.code, CLI_EXIT_INPUT));
            goto done;
        }
    }
    view = map_view_new(have_bbox ? &bbox : NULL, &incs, (int)width, (double)dpi, &err);
    if (!view) {
        if (!err.source[0])
            snprintf(err.source, sizeof err.source, "%s", input);
        status = report(&err, exit_for(err.code, CLI_EXIT_INPUT));
        goto done;
    }
    map_report rep = {0};
    map_options mo = {
        .output = output,
        .format = format,
        .title = title,
        .countries = countries,
        .lakes = have_lakes ? lakes : NULL,
        .admin1 = admin1,
        .from = filter.from,
        .to = filter.to,
        .size_by = size_by,
        .lang = names_given && names == GAZ_NAMES_FR ? "fr" : "en",
        .report = &rep,
    };
    if (map_render(view, &incs, &mo, &err))
        status = report(&err, exit_for(err.code, CLI_EXIT_INPUT));
    else if (!quiet)
        fprintf(stderr,
                "incimap: %s: %zu incident%s drawn (shelling %zu, clashes %zu, evacuations %zu); "
                "%zu moved apart from another type at their place, %zu approximate "
                "(geo_precision 3), %zu place labels\n",
                output, rep.n, rep.n == 1 ? "" : "s", rep.by_type[MAP_SHELLING],
                rep.by_type[MAP_CLASH], rep.by_type[MAP_EVACUATION], rep.n_displaced,
                rep.n_approx, rep.n_labels);
    map_report_free(&rep);
done:
    gaz_namer_free(namer);
    gaz_close(gz);
    map_view_free(view);
    map_list_free(&incs);
    map_library_cleanup(); /* the process exits after this command */
    return status;
}
