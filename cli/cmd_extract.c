/* cmd_extract.c -- `incimap extract`: documents in, incident layers out.
 *
 *   inputs (walk.c) -> rd_reader (read/) -> ext_extract (gazetteer
 *   adapter below, behind a cache) -> country and admin-1 filled by gaz_locate
 *   where empty -> either the incident store (--db: sto_add_docs per batch,
 *   then the whole store exported) or all reports merged across documents
 *   (mrg_merge; --no-merge keeps one feature per report, sorted by
 *   (doc_id, offset)) -> out_writer -> out_writer_close.
 *
 * One option table drives getopt_long and --help. Every message goes through
 * msgs.c. A bad document is reported and skipped; the run then ends with
 * status 1 (partial) if anything was written, 3 if no document was readable.
 */
#include "commands.h"
#include "exitcodes.h"
#include "msgs.h"
#include "names.h"
#include "options.h"
#include "outfile.h"
#include "paths.h"
#include "pool.h"
#include "walk.h"

#include "cx_buf.h"
#include "cx_cleanup.h"
#include "cx_err.h"
#include "cx_mem.h"
#include "read.h"
#include "extract.h"
#include "gazcache.h"
#include "gazetteer.h"
#include "merge.h"
#include "store.h"
#include "store_review.h"
#include "writer.h"

#include <ctype.h>
#ifdef __GLIBC__
#include <malloc.h> /* malloc_trim */
#endif
#include <errno.h>
#include <jansson.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_FORMATS      8
#define MAX_ERRORS_SHOWN 20 /* bad documents reported one by one per input file */
/* The gazetteer caches' entries, shared out among the workers: each
 * worker's cache repeats what the others hold, and a cached candidate list
 * is large (cx_place, about 0.5 KB a candidate): 65536 entries in each
 * worker's cache made up to 25 MB per worker. One cache of 65536 (-j 1)
 * stays: 16384 saved 20 MB but cost about 5% more CPU on 200 MB of fresh
 * text (more look-ups reach SQLite). */
#define GAZCACHE_ENTRIES 65536
/* The unplaced names kept for the closing note: the note is cut at 2 KB
 * (msgs.c), so a longer list is never printed. */
#define UNPLACED_KEPT 4096
/* Distinct reports held in memory (about 2.5 KB each, twice that with the
 * merge) before moving them to a temporary store, merged once at the end.
 * 20,000 held 50-85 MB at the spill; 4,096 hold about 10, at the same CPU
 * time (the reports stored are the same; only the batches are smaller). */
#define SPILL_REPORTS 4096

/* ===== Options ===== */

enum { G_INPUT, G_GAZ, G_OUTPUT, G_DIAG, G_N };

enum {
    O_DATE = 256,
    O_LANG,
    O_GAZ,
    O_TSRS,
    O_LAYERS,
    O_OVERWRITE,
    O_APPEND,
    O_NOMERGE,
    O_DB,
    O_CONFLICT,
    O_MODEL,
    O_MINCONF,
    O_DUMP,
    O_ENCODING,
    O_NAMES,
    O_HTML,
    O_REPLACE,
    O_HELP,
    O_JOBS
};

/* The single source of the options: getopt_long, --help and docs/cli.md. */
static const cli_opt opt_table[] = {
    {"date", O_DATE, required_argument, "YYYY-MM-DD", G_INPUT,
     "Publication date of documents that give none (.txt files, JSON\n"
     "without \"published\"). Relative dates (hier, mardi...) resolve\n"
     "against it; without any date they stay unknown."},
    {"lang", O_LANG, required_argument, "fr|en|auto", G_INPUT,
     "Language of documents that do not say (default: auto, detected\n"
     "from the text)."},
    {"encoding", O_ENCODING, required_argument, "NAME", G_INPUT,
     "Encoding of every input (any iconv name: windows-1252, latin1,\n"
     "UTF-16...). utf-8 refuses anything else. Default: a byte-order\n"
     "mark, else the page's declared charset, else UTF-8, else\n"
     "windows-1252 with a warning."},
    {"html", O_HTML, required_argument, "main|whole", G_INPUT,
     "How HTML pages (files, WARC responses) are read: main (default)\n"
     "keeps the article (body, title, subtitle) and leaves out menus,\n"
     "related headlines, comments and share buttons; whole keeps every\n"
     "text node but scripts and styles, for a site main gets wrong."},
    {"conflict", O_CONFLICT, required_argument, "ID", G_INPUT,
     "Conflict knowledge to read the documents with: actors, theatre,\n"
     "who held what (data/conflicts/ID.json; default\n"
     "armenia-azerbaijan)."},
    {"model", O_MODEL, required_argument, "FILE", G_INPUT,
     "Weights of the model that decides which (trigger, place) pairs\n"
     "are incidents (default: data/model/pairs.json; scripts/train.py\n"
     "fits new ones from annotated articles)."},
    {"gazetteer", O_GAZ, required_argument, "FILE", G_GAZ,
     "The gazetteer (default: $INCIMAP_GAZETTEER, else\n"
     "$INCIMAP_HOME/gazetteer.sqlite)."},
    {"output", 'o', required_argument, "OUT", G_OUTPUT,
     "Where the layers go: a folder (one file per layer and format),\n"
     "a .gpkg file (every layer), one file FILE.geojson, FILE.shp,\n"
     "FILE.csv or FILE.fgb (the incidents layer, or the one --layers\n"
     "names, in the format of the extension, as ogr2ogr does),\n"
     "PG:\"...\", or - for GeoJSON on stdout. Required."},
    {"format", 'f', required_argument, "FORMAT", G_OUTPUT,
     "OGR driver name: GeoJSON, \"ESRI Shapefile\", GPKG, CSV,\n"
     "FlatGeobuf, PostgreSQL. Repeat for several (default: the\n"
     "extension's format, else GeoJSON and ESRI Shapefile)."},
    {"t_srs", O_TSRS, required_argument, "SRS", G_OUTPUT,
     "Reproject to SRS (EPSG:N or any PROJ string); written -t_srs as\n"
     "in ogr2ogr. Refused with GeoJSON, which is WGS84 by RFC 7946."},
    {"layers", O_LAYERS, required_argument, "LIST", G_OUTPUT,
     "Comma-separated layers to write among shelling, clashes,\n"
     "evacuations and incidents (default: all four)."},
    {"overwrite", O_OVERWRITE, no_argument, NULL, G_OUTPUT,
     "Replace an existing output (only once the new one is complete)."},
    {"append", O_APPEND, no_argument, NULL, G_OUTPUT, "Add to the layers of an existing output."},
    {"no-merge", O_NOMERGE, no_argument, NULL, G_OUTPUT,
     "Write one feature per report instead of merging the reports of\n"
     "one incident across documents (same type, same place, compatible\n"
     "dates; see docs/store.md)."},
    {"db", O_DB, required_argument, "FILE", G_OUTPUT,
     "Keep documents and incidents in an incident store (created if\n"
     "missing): a document already stored adds nothing, a new report\n"
     "of a known incident raises its n_sources. The layers then hold\n"
     "the whole store."},
    {"replace", O_REPLACE, no_argument, NULL, G_OUTPUT,
     "With --db: a document whose id is stored with other content (a\n"
     "corrected article) replaces the stored one without a warning (by\n"
     "default it replaces it with one); its incidents are re-derived."},
    {"names", O_NAMES, required_argument, "en|fr|local", G_OUTPUT, CLI_NAMES_HELP},
    {"min-confidence", O_MINCONF, required_argument, "X", G_OUTPUT,
     "Keep incidents whose confidence (the model's probability that\n"
     "the pin is right) is at least X, between 0 and 1 (default: the\n"
     "model's threshold). Higher: fewer, surer pins."},
    {"dump-pairs", O_DUMP, required_argument, "FILE", G_DIAG,
     "Write every candidate (trigger, place) pair with its features\n"
     "and probability to FILE as JSON Lines: the input of\n"
     "scripts/train.py and of error analysis."},
    {"jobs", 'j', required_argument, "N", G_OUTPUT,
     "Extract with N worker threads (default: the number of cores).\n"
     "The output is the same for every N."},
    {"quiet", 'q', no_argument, NULL, G_DIAG,
     "No warnings, no progress, no summary line; errors only."},
    {"verbose", 'v', no_argument, NULL, G_DIAG,
     "Per-stage counts (documents, sentences, toponyms, incidents);\n"
     "twice for per-document details."},
    {"help", 'h', no_argument, NULL, G_DIAG, "Show this help and exit."},
};
#define N_OPTS (sizeof opt_table / sizeof opt_table[0])

static const char *const group_names[G_N] = {"Input", "Gazetteer", "Output", "Diagnostics"};

typedef struct extract_opts {
    char **inputs; /* borrowed from argv */
    size_t n_inputs;
    const char *out;
    const char *formats[MAX_FORMATS];
    size_t n_formats;
    const char *date; /* validated YYYY-MM-DD or NULL */
    const char *lang; /* "fr", "en" or NULL (auto) */
    const char *t_srs;
    const char *gazetteer;
    unsigned layers; /* out_options.layers */
    int mode;        /* OUT_MODE_* */
    bool no_merge;   /* one feature per report */
    bool replace;    /* --replace: corrected documents replace stored ones silently */
    const char *db;  /* incident store, or NULL */
    const char *conflict; /* data/conflicts/<id>.json */
    const char *model;    /* --model weights, or NULL */
    double min_confidence; /* 0: the model's threshold */
    const char *dump;     /* --dump-pairs FILE, or NULL */
    const char *encoding; /* --encoding NAME, or NULL (guess) */
    const char *html;     /* --html main|whole, or NULL (main) */
    int names;            /* --names: GAZ_NAMES_* */
    int verbosity;
    size_t jobs;          /* -j: worker threads, 0 = the number of cores */
    bool help;
} extract_opts;

static void print_help(FILE *f)
{
    fputs("NAME\n"
          "    incimap extract - read news articles, write layers of incidents\n"
          "\n"
          "SYNOPSIS\n"
          "    incimap extract INPUT... -o OUT [-f FORMAT]... [--date YYYY-MM-DD]\n"
          "                    [--lang fr|en|auto] [--encoding NAME] [--html main|whole] [-t_srs SRS]\n"
          "                    [--gazetteer FILE]\n"
          "                    [--layers LIST] [--overwrite|--append] [--no-merge]\n"
          "                    [--db FILE] [--conflict ID] [--model FILE]\n"
          "                    [--min-confidence X] [--names en|fr|local]\n"
          "                    [--dump-pairs FILE] [-j N] [-q] [-v] [-h]\n"
          "    incimap --version\n"
          "\n"
          "DESCRIPTION\n"
          "    Reads every INPUT (files; folders, walked recursively in name order\n"
          "    for .txt .json .jsonl .ndjson .html .htm .rss .atom .xml .warc, their\n"
          "    compressed forms .gz .bz2 .xz .zst, and .zip .tar .tgz archives; or\n"
          "    - for standard input),\n"
          "    finds the shelling, clashes and evacuations the articles report,\n"
          "    places them with the gazetteer and writes the layers shelling,\n"
          "    clashes, evacuations and incidents to OUT. A document that cannot\n"
          "    be read is reported (file, line, reason) and the others go on.\n"
          "    The run ends with a one-line summary on stderr (documents read and\n"
          "    skipped, incidents per type) unless -q.\n"
          "\n"
          "OPTIONS\n",
          f);
    cli_opts_print(f, opt_table, N_OPTS, group_names, G_N, O_TSRS);
    fputs("\n"
          "EXIT STATUS\n"
          "    0  success\n"
          "    1  partial: some documents failed, the output was written\n"
          "    2  usage: bad command line\n"
          "    3  input: no document could be read\n"
          "    4  gazetteer missing, unreadable or of the wrong schema\n"
          "    5  output could not be written or closed\n"
          "    6  out of memory\n"
          "\n"
          "EXAMPLES\n"
          "    incimap extract articles/ -o layers/\n"
          "    incimap extract docs.jsonl -o incidents.gpkg\n"
          "    incimap extract articles/ -o incidents.geojson\n"
          "    incimap extract a.txt --date 2020-09-27 -o out/ -f \"ESRI Shapefile\" -t_srs "
          "EPSG:32638\n"
          "    curl -s https://example.org/a.html | incimap extract - -o - > incidents.geojson\n",
          f);
}

/* YYYY-MM-DD that names a real day. */
static bool valid_date(const char *s)
{
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
            return false;
    long y = strtol(s, NULL, 10);
    long mo = strtol(s + 5, NULL, 10);
    long d = strtol(s + 8, NULL, 10);
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1 || mo < 1 || mo > 12 || d < 1)
        return false;
    int max = mdays[mo - 1];
    if (mo == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        max = 29;
    return d <= max;
}

/* "shelling,clashes" -> layer mask; 0 on an unknown name (written to *bad). */
static unsigned parse_layers(const char *list, char *bad, size_t bad_size)
{
    unsigned mask = 0;
    const char *p = list;
    while (*p) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        while (len && *p == ' ') {
            p++;
            len--;
        }
        while (len && p[len - 1] == ' ')
            len--;
        unsigned bit = 0;
        for (int t = 0; t < EXT_NTYPES; t++) {
            const char *layer = ext_type_layer(t), *type = ext_type_name(t);
            if ((strlen(layer) == len && !strncmp(p, layer, len)) ||
                (strlen(type) == len && !strncmp(p, type, len)))
                bit = 1u << t;
        }
        if (len == 9 && !strncmp(p, "incidents", 9))
            bit = OUT_LAYER_ALL;
        if (!bit) {
            snprintf(bad, bad_size, "%.*s", (int)len, p);
            return 0;
        }
        mask |= bit;
        p += len;
        while (*p == ' ')
            p++;
        if (*p == ',')
            p++;
    }
    if (!mask)
        snprintf(bad, bad_size, "%s", list);
    return mask;
}

/* Parse argv into `o`. Returns 0, or CLI_EXIT_USAGE after reporting. */
static int parse_args(int argc, char **argv, extract_opts *o, cli_msgs *m)
{
    struct option longs[N_OPTS + 1];
    char shorts[2 * N_OPTS + 2];
    cli_opts_getopt(opt_table, N_OPTS, longs, shorts);

    o->layers = 0;
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
        switch (c) {
        case 'o': o->out = optarg; break;
        case 'f':
            if (o->n_formats == MAX_FORMATS) {
                cli_usagef(m, "extract", "too many -f options (at most %d)", MAX_FORMATS);
                return CLI_EXIT_USAGE;
            }
            if (!cli_format_name(optarg)) {
                cli_usagef(m, "extract", "-f: unknown format '%s' (one of %s)", optarg,
                           CLI_FORMATS_LIST);
                return CLI_EXIT_USAGE;
            }
            o->formats[o->n_formats++] = optarg;
            break;
        case 'q': o->verbosity = -1; break;
        case 'v':
            if (o->verbosity >= 0)
                o->verbosity++;
            break;
        case O_DATE:
            if (!valid_date(optarg)) {
                cli_usagef(m, "extract", "--date: '%s' is not a valid date (expected YYYY-MM-DD)",
                           optarg);
                return CLI_EXIT_USAGE;
            }
            o->date = optarg;
            break;
        case O_LANG:
            if (strcmp(optarg, "fr") && strcmp(optarg, "en") && strcmp(optarg, "auto")) {
                cli_usagef(m, "extract", "--lang: '%s' is not one of fr, en, auto", optarg);
                return CLI_EXIT_USAGE;
            }
            o->lang = strcmp(optarg, "auto") ? optarg : NULL;
            break;
        case O_GAZ: o->gazetteer = optarg; break;
        case O_TSRS: o->t_srs = optarg; break;
        case O_LAYERS: {
            char bad[64] = "";
            o->layers = parse_layers(optarg, bad, sizeof bad);
            if (!o->layers) {
                cli_usagef(m, "extract",
                           "--layers: unknown layer '%s' (shelling, clashes, evacuations, "
                           "incidents)",
                           bad);
                return CLI_EXIT_USAGE;
            }
            break;
        }
        case O_OVERWRITE:
        case O_APPEND:
            if (o->mode != OUT_MODE_CREATE &&
                o->mode != (c == O_OVERWRITE ? OUT_MODE_OVERWRITE : OUT_MODE_APPEND)) {
                cli_usagef(m, "extract", "--overwrite and --append exclude each other");
                return CLI_EXIT_USAGE;
            }
            o->mode = c == O_OVERWRITE ? OUT_MODE_OVERWRITE : OUT_MODE_APPEND;
            break;
        case O_NOMERGE: o->no_merge = true; break;
        case O_DB: o->db = optarg; break;
        case O_REPLACE: o->replace = true; break;
        case O_CONFLICT:
            for (const char *c2 = optarg; *c2; c2++)
                if (!(isalnum((unsigned char)*c2) || *c2 == '-' || *c2 == '_')) {
                    cli_usagef(m, "extract", "--conflict: '%s' is not a conflict id", optarg);
                    return CLI_EXIT_USAGE;
                }
            o->conflict = optarg;
            break;
        case O_MODEL: o->model = optarg; break;
        case O_DUMP: o->dump = optarg; break;
        case O_ENCODING:
            if (!rd_encoding_known(optarg)) {
                cli_usagef(m, "extract", "--encoding: '%s' is not an encoding iconv knows",
                           optarg);
                return CLI_EXIT_USAGE;
            }
            o->encoding = optarg;
            break;
        case O_HTML:
            if (strcmp(optarg, "main") != 0 && strcmp(optarg, "whole") != 0) {
                cli_usagef(m, "extract", "--html: '%s' is not main or whole", optarg);
                return CLI_EXIT_USAGE;
            }
            o->html = optarg;
            break;
        case O_NAMES:
            if ((o->names = gaz_names_parse(optarg)) < 0) {
                cli_usagef(m, "extract", "--names: '%s' is not one of en, fr, local", optarg);
                return CLI_EXIT_USAGE;
            }
            break;
        case O_MINCONF: {
            char *end = NULL;
            double v = strtod(optarg, &end);
            if (!end || *end || end == optarg || !(v >= 0 && v <= 1)) {
                cli_usagef(m, "extract", "--min-confidence: '%s' is not a number between 0 and 1",
                           optarg);
                return CLI_EXIT_USAGE;
            }
            o->min_confidence = v;
            break;
        }
        case 'j': {
            char *end = NULL;
            long v = strtol(optarg, &end, 10);
            if (!end || *end || end == optarg || v < 1 || v > 256) {
                cli_usagef(m, "extract", "-j: '%s' is not a number of threads (1 to 256)",
                           optarg);
                return CLI_EXIT_USAGE;
            }
            o->jobs = (size_t)v;
            break;
        }
        case 'h': o->help = true; return 0;
        case ':':
            cli_usagef(m, "extract", "option '%s' needs an argument", argv[optind - 1]);
            return CLI_EXIT_USAGE;
        default:
            if (optopt && optopt < 256)
                cli_usagef(m, "extract", "unknown option '-%c'", optopt);
            else
                cli_usagef(m, "extract", "unknown option '%s'", argv[optind - 1]);
            return CLI_EXIT_USAGE;
        }
    }
    o->inputs = argv + optind;
    o->n_inputs = (size_t)(argc - optind);
    if (o->n_inputs == 0) {
        cli_usagef(m, "extract", "no INPUT given (files, folders or - for standard input)");
        return CLI_EXIT_USAGE;
    }
    size_t n_stdin = 0;
    for (size_t i = 0; i < o->n_inputs; i++)
        n_stdin += strcmp(o->inputs[i], "-") == 0;
    if (n_stdin > 1) {
        cli_usagef(m, "extract", "standard input (-) given more than once");
        return CLI_EXIT_USAGE;
    }
    if (!o->out) {
        cli_usagef(m, "extract", "no output given (-o OUT)");
        return CLI_EXIT_USAGE;
    }
    if (!o->layers)
        o->layers =
            (1u << EXT_SHELLING) | (1u << EXT_CLASH) | (1u << EXT_EVACUATION) | OUT_LAYER_ALL;
    return 0;
}

/* ===== Leftovers of killed runs ===== */

/* Remove the folder `path` and what it holds (the writer's stage: files,
 * at most one level of folders). */
static void remove_stage(const char *path, int depth)
{
    DIR *d = opendir(path);
    if (d) {
        struct dirent *de;
        char p[4200];
        while ((de = readdir(d)) != NULL) {
            if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
                continue;
            snprintf(p, sizeof p, "%s/%s", path, de->d_name);
            struct stat st;
            if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode) && depth < 2)
                remove_stage(p, depth + 1);
            else
                unlink(p);
        }
        closedir(d);
    }
    rmdir(path);
}

/* A run killed with SIGKILL leaves its stage, OUT.tmp-PID-XXXXXX (the
 * writer's mkdtemp), beside OUT. Remove those of our naming whose process
 * is gone (kill(PID, 0) says ESRCH) and that belong to us; a live PID, even
 * reused, keeps its folder. */
static void remove_leftovers(const char *out, cli_msgs *m)
{
    if (!strcmp(out, "-") || !strncmp(out, "PG:", 3))
        return;
    char base[4096];
    snprintf(base, sizeof base, "%s", out);
    size_t n = strlen(base);
    while (n > 1 && base[n - 1] == '/')
        base[--n] = '\0';
    char *slash = strrchr(base, '/');
    const char *dir = ".", *name = base;
    if (slash) {
        *slash = '\0';
        dir = slash == base ? "/" : base;
        name = slash + 1;
    }
    size_t nl = strlen(name);
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        const char *e = de->d_name;
        if (strncmp(e, name, nl) != 0 || strncmp(e + nl, ".tmp-", 5) != 0)
            continue;
        char *end = NULL;
        long pid = strtol(e + nl + 5, &end, 10);
        if (!end || end == e + nl + 5 || *end != '-' || strlen(end + 1) != 6 || pid <= 0)
            continue;
        if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
            continue; /* alive (or not ours to ask about) */
        char p[sizeof base + sizeof de->d_name + 1]; /* dir, '/', name: never cut */
        snprintf(p, sizeof p, "%s/%s", dir, e);
        struct stat st;
        if (lstat(p, &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != geteuid())
            continue;
        remove_stage(p, 0);
        cli_notef(m, 1, "removed %s, left by a run that was killed (process %ld is gone)", p,
                  pid);
    }
    closedir(d);
}

static void note_removed(void *ctx, const char *path, long pid)
{
    cli_notef(ctx, 1, "removed %s, left by a run that was killed (process %ld is gone)", path,
              pid);
}

/* ===== Gazetteer adapter ===== */

typedef struct gaz_adapter {
    gaz_db *db;
    bool has_near;
    double near_lat, near_lon;
    cx_err err; /* the first gazetteer error met during extraction */
    long n_lookups;
} gaz_adapter;

static int adapter_lookup(void *ctx, const char *name, size_t len, cx_place *out, size_t max,
                          size_t *n_out)
{
    gaz_adapter *a = ctx;
    /* candidates near the conflict's theatre first: the extractor keeps
     * only the best few */
    gaz_query q = {.translit = true, .has_near = a->has_near, .near_lat = a->near_lat,
                   .near_lon = a->near_lon};
    a->n_lookups++;
    return gaz_lookup(a->db, name, len, &q, out, max, n_out, &a->err);
}

static int adapter_probe(void *ctx, const char *key, size_t len)
{
    gaz_adapter *a = ctx;
    return gaz_probe(a->db, key, len, &a->err);
}

/* ===== Incidents ===== */

/* Move a document's reports into the pool (repeats fold into one record). */
static int take_incidents(mrg_pool *pool, ext_result *res)
{
    for (size_t i = 0; i < res->n; i++)
        if (mrg_pool_add(pool, &res->items[i]) != 0)
            return CX_ENOMEM;
    return 0;
}

/* A report of a spilled pool record under one of its doc ids: sorted by doc
 * id (then pool position), they give each document its reports. */
typedef struct spill_ref {
    char **doc; /* the id's slot in the pool record's doc_ids */
    size_t item;
} spill_ref;

static int cmp_spill_ref(const void *pa, const void *pb)
{
    const spill_ref *a = pa, *b = pb;
    int c = strcmp(*a->doc, *b->doc);
    return c ? c : (a->item > b->item) - (a->item < b->item);
}

/* The writer and the namer of --names: incidents are renamed as written. */
typedef struct named_writer {
    out_writer *w;
    gaz_namer *names;
    size_t by_type[EXT_NTYPES]; /* written, for the summary */
} named_writer;

static int export_to_writer(void *ctx, const ext_incident *inc, cx_err *err)
{
    named_writer *nw = ctx;
    if (inc->type >= 0 && inc->type < EXT_NTYPES)
        nw->by_type[inc->type]++;
    ext_incident copy = *inc; /* shallow: the writer only reads it */
    int rc = cli_names_apply(nw->names, &copy, err);
    return rc ? rc : out_writer_add(nw->w, &copy, err);
}

/* export_to_writer with the analyst's verdicts applied (store_review.h). */
static int export_reviewed(void *ctx, const ext_incident *inc, const rev_info *info,
                           cx_err *err)
{
    (void)info;
    return export_to_writer(ctx, inc, err);
}

/* The writer in a thread of its own (-j N > 1): the final export of the
 * store hands each incident over and reads the next while the writer
 * formats the last, so the serial end of a run uses two cores. The writer
 * gets the incidents in the same order, so the output is the same. */
static int relay_write(void *ctx, void *item, cx_err *err)
{
    return export_to_writer(ctx, item, err);
}

static void relay_drop(void *item)
{
    ext_incident_clear(item);
    free(item);
}

static int export_relayed(void *ctx, const ext_incident *inc, const rev_info *info, cx_err *err)
{
    (void)info;
    ext_incident *c = malloc(sizeof *c);
    if (!c)
        return cx_err_set(err, CX_ENOMEM, NULL, 0, "out of memory");
    ext_incident_init(c);
    if (ext_incident_copy(c, inc) != 0) {
        relay_drop(c);
        return cx_err_set(err, CX_ENOMEM, NULL, 0, "out of memory");
    }
    return cli_relay_put(ctx, c, err);
}

/* ===== The command ===== */

typedef struct counts {
    size_t docs_ok, docs_failed, docs_known, sentences, toponyms, triggers, reports, incidents;
    size_t by_type[EXT_NTYPES];
    cx_buf unplaced;   /* places the gazetteer lacks: "Name (Unit)", "; "-separated */
    size_t n_unplaced;
} counts;

static int exit_for(int code, int fallback)
{
    switch (code) {
    case CX_ENOMEM: return CLI_EXIT_NOMEM;
    case CX_EDB: return CLI_EXIT_GAZETTEER;
    case CX_EOUT: return CLI_EXIT_OUTPUT;
    default: return fallback;
    }
}

/* The conflict file DATA/conflicts/ID.json must exist: else name it and
 * the conflicts there. Returns 0 or -1 after reporting. */
static int check_conflict(const char *data_dir, const char *id, bool given, cli_msgs *m)
{
    char dir[4200], path[4400], have[1024];
    snprintf(dir, sizeof dir, "%s/conflicts", data_dir);
    snprintf(path, sizeof path, "%s/%s.json", dir, id);
    struct stat st;
    if (stat(path, &st) == 0)
        return 0;
    cli_path_list_json(dir, have, sizeof have);
    if (given)
        cli_usagef(m, "extract", "--conflict: no conflict '%s': %s does not exist (conflicts in "
                   "%s: %s)", id, path, dir, have[0] ? have : "none");
    else
        cli_errorf(m, path, 0, "no such conflict file (conflicts in %s: %s); the data folder "
                   "comes from INCIMAP_DATA, else INCIMAP_HOME/data, else the install prefix",
                   dir, have[0] ? have : "none");
    return -1;
}

/* The one line a run ends with (unless -q): what was read, what was
 * written, and how many places the documents name that the gazetteer lacks
 * (pinned at their unit, geo_precision 3; the note above lists them). */
static void print_summary(cli_msgs *m, const counts *c, size_t unreadable, const char *out)
{
    size_t skipped = c->docs_failed + unreadable;
    char known[64] = "";
    if (c->docs_known)
        snprintf(known, sizeof known, ", %zu already stored", c->docs_known);
    cli_summaryf(m,
            "%zu document%s read, %zu skipped%s; %zu incident%s (shelling %zu, clashes %zu, "
            "evacuations %zu) written to %s; %zu place%s without a pin of %s own",
            c->docs_ok, c->docs_ok == 1 ? "" : "s", skipped, known, c->incidents,
            c->incidents == 1 ? "" : "s", c->by_type[EXT_SHELLING], c->by_type[EXT_CLASH],
            c->by_type[EXT_EVACUATION], !strcmp(out, "-") ? "standard output" : out,
            c->n_unplaced, c->n_unplaced == 1 ? "" : "s", c->n_unplaced == 1 ? "its" : "their");
}

/* Copy `src` into err->source, cut to fit (the message says the rest). */
static void set_source(cx_err *err, const char *src)
{
    size_t n = strlen(src);
    if (n >= sizeof err->source)
        n = sizeof err->source - 1;
    memcpy(err->source, src, n);
    err->source[n] = '\0';
}

static bool file_exists(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0;
}

/* Read every document of one input; extract; collect. Returns 0, or a fatal
 * CX_E* code (out of memory, gazetteer failure) after reporting it. */
/* Country and admin-1 from the polygons where the gazetteer's place had none. */
static void locate_all(gaz_db *db, ext_result *res, cli_msgs *m)
{
    for (size_t i = 0; i < res->n; i++) {
        ext_incident *inc = &res->items[i];
        if (inc->country[0] || !isfinite(inc->lat) || !isfinite(inc->lon) ||
            (inc->lat == 0 && inc->lon == 0))
            continue;
        char cc[3] = "", a1[sizeof inc->admin1] = "";
        cx_err err;
        cx_err_clear(&err);
        if (gaz_locate(db, inc->lat, inc->lon, cc, a1, sizeof a1, &err) == 0) {
            memcpy(inc->country, cc, sizeof cc);
            if (!inc->admin1[0])
                snprintf(inc->admin1, sizeof inc->admin1, "%s", a1);
        } else {
            cli_warnf(m, err.source, err.line, "cannot locate an incident: %s", err.msg);
        }
    }
}

/* Each report's source: its document's id, URL, outlet (the one the
 * document names, else the URL's host),
 * publication date, text fingerprint (reprints), and the report's sentence
 * and claimant; and the publication date that keeps undated reports of
 * different years apart (store/merge.c). Returns 0 or CX_ENOMEM. */
static int attach_sources(ext_result *res, const rd_doc *doc)
{
    if (!res->n)
        return 0;
    char host[256];
    ext_url_host(doc->url, host, sizeof host);
    uint64_t fp = ext_text_fingerprint(doc->text ? doc->text : "", doc->text_len);
    for (size_t i = 0; i < res->n; i++) {
        ext_incident *inc = &res->items[i];
        memcpy(inc->published, doc->published, sizeof inc->published);
        /* an untitled text has no headline to give way (ext_extract reads
         * a separate title field as one, though) */
        bool headline = !doc->untitled || (doc->title && *doc->title);
        if (headline && ext_incident_prefer_body(inc, doc->title, doc->text, doc->text_len) != 0)
            return CX_ENOMEM;
        if (inc->n_srcs == 0) {
            if (ext_incident_add_source(inc, doc->id, doc->url,
                                        doc->outlet ? doc->outlet : host[0] ? host : NULL,
                                        doc->published, inc->evidence, inc->claimed_by, fp) != 0)
                return CX_ENOMEM;
            inc->srcs[0].trig_span = inc->trig_span; /* issue 21: in that sentence */
            inc->srcs[0].place_span = inc->place_span;
        }
    }
    return 0;
}

/* --db: documents extracted and waiting for one transaction (sto_add_docs),
 * so that the stored incidents their reports touch are re-merged once per
 * batch, not once per document (a vague report links a whole place-period,
 * and re-merging it for every document made a bulk import cost time in the
 * square of its size). A killed run loses at most the batch in progress;
 * the next run skips the documents already stored. */
#define DB_BATCH_DOCS 1000
#define DB_BATCH_REPORTS 4096
#define DB_BATCH_BYTES (16u * 1024u * 1024u)

typedef struct db_batch {
    rd_doc *docs;   /* owned, moved from the reader */
    ext_result *res; /* owned: each document's reports */
    size_t n, cap;
    size_t n_reports, n_bytes;
} db_batch;

static void batch_clear(db_batch *b)
{
    for (size_t i = 0; i < b->n; i++) {
        rd_doc_clear(&b->docs[i]);
        ext_result_free(&b->res[i]);
    }
    b->n = b->n_reports = b->n_bytes = 0;
}

static void batch_free(db_batch *b)
{
    batch_clear(b);
    free(b->docs);
    free(b->res);
    memset(b, 0, sizeof *b);
}

/* Move `doc` and `res` into the batch (both are left empty). */
static int batch_take(db_batch *b, rd_doc *doc, ext_result *res)
{
    size_t c1 = b->cap, c2 = b->cap; /* two parallel arrays, grown alike */
    rd_doc *d = cx_grow(b->docs, &c1, b->n + 1, sizeof *d, 64);
    if (!d)
        return CX_ENOMEM;
    b->docs = d;
    ext_result *r = cx_grow(b->res, &c2, b->n + 1, sizeof *r, 64);
    if (!r)
        return CX_ENOMEM;
    b->res = r;
    b->cap = c1;
    b->docs[b->n] = *doc;
    b->res[b->n] = *res;
    memset(doc, 0, sizeof *doc);
    memset(res, 0, sizeof *res);
    b->n_reports += b->res[b->n].n;
    b->n_bytes += b->docs[b->n].text_len;
    b->n++;
    return 0;
}

/* Where the reports of a document go. */
typedef struct sink {
    sto_store *st;       /* --db, or the spill store; NULL: in memory */
    bool spilled;        /* spill_dir is a temporary folder of ours; st, once open, its store */
    bool replace_quiet;  /* --replace: corrections replace stored documents without a warning */
    char spill_dir[4096];
    out_writer *w;       /* --no-merge: features written as they come */
    mrg_pool *all;       /* in memory, to be merged at the end */
    db_batch batch;      /* --db: documents waiting for their transaction */
    size_t spill_at;     /* reports held in memory before spilling */
    FILE *dump;          /* --dump-pairs, or NULL */
    gaz_namer *names;    /* --names (no-merge path: renamed before writing) */
    int clean_slot;      /* spill_dir in the signal-cleanup table, or -1 */
    /* INCIMAP_STAGE_CPU: CPU seconds by stage (the reading thread's, and
     * the workers'), printed at the end: what bounds -j N */
    bool stage;
    size_t n_spills;
    double cpu_spill, cpu_sink, cpu_workers;
} sink;

/* One line per candidate pair of `res`: the document, the pair, its
 * probability and the features that are set (scripts/train.py reads it). */
static int dump_pairs(FILE *f, const rd_doc *doc, const ext_result *res)
{
    static const char *const types[] = {"shelling", "clash", "evacuation"};
    for (size_t i = 0; i < res->n_pairs; i++) {
        const ext_pair *p = &res->pairs[i];
        json_t *feat = json_object();
        for (int k = 0; feat && k < ext_feature_count(); k++)
            if (p->x[k] != 0)
                json_object_set_new(feat, ext_feature_name(k), json_real(p->x[k]));
        json_t *act = json_object();
        for (int k = 0; act && ext_actor_feature_name(k); k++)
            if (p->ax[k] != 0)
                json_object_set_new(act, ext_actor_feature_name(k), json_real(p->ax[k]));
        json_t *dates = json_array(); /* candidate dates: [{"date":.., "features":{..}}] */
        for (size_t c = 0; dates && c < p->n_dates; c++) {
            json_t *df = json_object();
            for (int k = 0; df && ext_date_feature_name(k); k++)
                if (p->dates[c].x[k] != 0)
                    json_object_set_new(df, ext_date_feature_name(k), json_real(p->dates[c].x[k]));
            json_array_append_new(dates, json_pack("{s:s, s:o*}", "date", p->dates[c].date,
                                                   "features", df));
        }
        json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:f, s:f, s:I, s:f, s:o, s:o, s:o*}", "doc",
                              doc->id ? doc->id : "", "type", types[p->type], "place", p->place,
                              "place_id", p->place_id, "lat", p->lat, "lon", p->lon, "sentence",
                              (json_int_t)p->sentence, "prob", p->prob, "features", feat,
                              "actor_features", act, "date_candidates", dates);
        char *line = o ? json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(6)) : NULL;
        json_decref(o);
        if (!line)
            return CX_ENOMEM;
        int bad = fputs(line, f) < 0 || fputc('\n', f) < 0;
        free(line);
        if (bad)
            return CX_EIO;
    }
    return 0;
}

/* Too many distinct reports to hold in memory: move them to a temporary
 * store (created the first time) and empty the pool. At the end the store
 * merges everything once, in date order (sto_export): what mrg_merge of
 * everything gives, in memory that holds the open components only. */
static int spill(sink *k, cli_msgs *m, cx_err *err)
{
    if (k->spilled && !k->st) /* an earlier spill could not open it */
        return cx_err_set(err, CX_EIO, NULL, 0, "no temporary store to merge in");
    if (!k->st) {
        const char *tmp = getenv("TMPDIR");
        /* the process id in the name: a later run removes it if we are killed */
        snprintf(k->spill_dir, sizeof k->spill_dir, "%s/incimap-spill-%ld-XXXXXX",
                 tmp && *tmp ? tmp : "/tmp", (long)getpid());
        if (!mkdtemp(k->spill_dir)) {
            k->spill_dir[0] = '\0';
            return cx_err_set(err, CX_EIO, NULL, 0, "cannot create a temporary folder to merge in");
        }
        k->clean_slot = cx_cleanup_add(k->spill_dir);
        char path[4200];
        snprintf(path, sizeof path, "%s/spill.sqlite", k->spill_dir);
        k->spilled = true; /* ours to delete from now on, whatever happens */
        if (!(k->st = sto_open_scratch(path, err)))
            return err->code ? err->code : CX_EIO;
        cli_notef(m, 1, "%zu distinct reports: merging in a temporary store (%s)", k->all->n,
                  path);
    }
    /* each pool record stands for one report per doc id: the store gets
     * them back document by document */
    size_t n_refs = 0;
    for (size_t i = 0; i < k->all->n; i++)
        n_refs += k->all->items[i].n_doc_ids;
    spill_ref *refs = malloc((n_refs ? n_refs : 1) * sizeof *refs);
    ext_incident *group = malloc((n_refs ? n_refs : 1) * sizeof *group);
    if (!refs || !group) {
        free(refs);
        free(group);
        return cx_err_set(err, CX_ENOMEM, NULL, 0, "out of memory");
    }
    size_t r = 0;
    for (size_t i = 0; i < k->all->n; i++)
        for (size_t j = 0; j < k->all->items[i].n_doc_ids; j++)
            refs[r++] = (spill_ref){&k->all->items[i].doc_ids[j], i};
    qsort(refs, n_refs, sizeof *refs, cmp_spill_ref);
    int rc = 0;
    /* the documents, each with shallow copies of its reports that carry one
     * doc id each (the store copies them) */
    sto_batch_doc *docs = malloc((n_refs ? n_refs : 1) * sizeof *docs);
    rd_doc *bdocs = calloc(n_refs ? n_refs : 1, sizeof *bdocs);
    char empty[1] = "";
    if (!docs || !bdocs)
        rc = cx_err_set(err, CX_ENOMEM, NULL, 0, "out of memory");
    size_t nd = 0, ng = 0;
    for (size_t a = 0; a < n_refs && rc >= 0;) {
        size_t b = a, first = ng;
        for (; b < n_refs && strcmp(*refs[b].doc, *refs[a].doc) == 0; b++) {
            if (b > a && refs[b].item == refs[b - 1].item)
                continue; /* the same id twice on one record: one report */
            group[ng] = k->all->items[refs[b].item];
            group[ng].doc_ids = refs[b].doc;
            group[ng].n_doc_ids = 1;
            {   /* its source, when the record keeps one per doc id */
                const ext_incident *it = &k->all->items[refs[b].item];
                size_t at = (size_t)(refs[b].doc - it->doc_ids);
                group[ng].srcs = it->n_srcs == it->n_doc_ids ? &it->srcs[at] : NULL;
                group[ng].n_srcs = group[ng].srcs ? 1 : 0;
            }
            ng++;
        }
        bdocs[nd] = (rd_doc){.id = *refs[a].doc, .text = empty, .text_len = 0};
        docs[nd] = (sto_batch_doc){&bdocs[nd], group + first, ng - first, 0};
        nd++;
        a = b;
    }
    /* in one transaction: a scratch store only stores (it merges once, at
     * sto_export) */
    if (rc >= 0 && nd)
        rc = sto_add_docs(k->st, docs, nd, err);
    free(docs);
    free(bdocs);
    free(refs);
    free(group);
    if (rc < 0)
        return rc;
    mrg_pool_free(k->all);
#ifdef __GLIBC__
    /* the pool's records were allocated by the workers (their malloc
     * arenas) and freed here: give the arenas' free pages back, else each
     * arena keeps its high-water mark (RSS grew with the input on -j 2) */
    malloc_trim(0);
#endif
    return 0;
}

/* --db: store the batch in one transaction. A document that the batch
 * itself already holds (an id read twice in the run) is known or a
 * conflict, as it would have been one by one. Returns 0, or a negative
 * CX_E* code after reporting it (the batch is dropped either way). */
static int batch_flush(sink *k, counts *cnt, cli_msgs *m)
{
    db_batch *b = &k->batch;
    if (b->n == 0)
        return 0;
    sto_batch_doc *docs = malloc(b->n * sizeof *docs);
    cx_err err;
    cx_err_clear(&err);
    int rc = docs ? 0 : cx_err_set(&err, CX_ENOMEM, NULL, 0, "out of memory");
    for (size_t i = 0; rc == 0 && i < b->n; i++)
        docs[i] = (sto_batch_doc){&b->docs[i], b->res[i].items, b->res[i].n, 0};
    if (rc == 0)
        rc = sto_add_docs(k->st, docs, b->n, &err);
    if (rc < 0) {
        cli_report(m, &err);
    } else {
        for (size_t i = 0; i < b->n; i++) {
            const rd_doc *d = &b->docs[i];
            if (docs[i].state == STO_DOC_REPLACED && !k->replace_quiet)
                cli_warnf(m, d->source, d->line,
                          "document '%s' is stored with other content: the new text replaces "
                          "it and its incidents are re-derived (--replace: no warning)",
                          d->id);
            if (docs[i].state == STO_DOC_NEW || docs[i].state == STO_DOC_REPLACED)
                continue;
            cnt->docs_ok--;
            cnt->reports -= b->res[i].n;
            if (docs[i].state == STO_DOC_KNOWN) {
                cli_notef(m, 2, "%s: already in the store", d->id);
                cnt->docs_known++;
            } else {
                cli_warnf(m, d->source, d->line,
                          "document '%s' is stored with other content; skipped", d->id);
                cnt->docs_failed++;
            }
        }
    }
    free(docs);
    batch_clear(b);
    return rc < 0 ? rc : 0;
}

/* ===== Large documents: read in windows =====
 *
 * Extraction's working memory grows with the document (sentences, tokens,
 * toponym candidates, pairs: about 80 times its size). A document larger
 * than WINDOW_BYTES is extracted in windows cut at paragraph ends (else line
 * ends, else sentence ends), each like a document of its own with the same
 * id, title and date, so a 50 MB document needs the memory of one window.
 * What spans two windows is read in each half (a date or a scene set in one
 * paragraph is not carried to the next window). A text without any break
 * (one endless line) is not cut. */
#define WINDOW_BYTES (1024u * 1024u)

/* Where the window starting at `start` ends (<= start + max). */
static size_t window_end(const char *t, size_t len, size_t start, size_t max)
{
    if (len - start <= max)
        return len;
    size_t hi = start + max, lo = start + max / 2;
    static const char *const cuts[] = {"\n\n", "\n", ". "};
    for (size_t c = 0; c < sizeof cuts / sizeof cuts[0]; c++) {
        size_t k = strlen(cuts[c]);
        for (size_t i = hi - k; i > lo; i--)
            if (!memcmp(t + i, cuts[c], k))
                return i + k;
    }
    /* no break in the second half: the window runs on to the next break,
     * or to the end (one endless sentence is the extractor's to bound: it
     * reads such a text whole faster than in pieces) */
    for (size_t i = hi; i < len; i++) {
        if (t[i] == '\n')
            return i + 1;
        if (t[i] == '.' && i + 1 < len && t[i + 1] == ' ')
            return i + 2;
    }
    return len;
}

static int extract_windowed(const ext_lexicon *lex, const ext_gazetteer *gaz, rd_doc *doc,
                            const ext_options *eo, ext_result *res, cx_err *err)
{
    size_t max = WINDOW_BYTES;
    const char *env = getenv("INCIMAP_WINDOW_BYTES"); /* tests */
    if (env && *env && strtoul(env, NULL, 10) >= 64)
        max = strtoul(env, NULL, 10);
    if (doc->text_len <= max)
        return ext_extract(lex, gaz, doc, eo, res, err);
    char *text = doc->text;
    size_t len = doc->text_len;
    int rc = 0;
    for (size_t start = 0; start < len && rc == 0;) {
        size_t end = window_end(text, len, start, max);
        char keep = text[end];
        text[end] = '\0'; /* the window is a NUL-terminated text of its own */
        doc->text = text + start;
        doc->text_len = end - start;
        size_t first = res->n;
        rc = ext_extract(lex, gaz, doc, eo, res, err);
        text[end] = keep;
        for (size_t i = first; i < res->n; i++) {
            res->items[i].offset += start;
            if (res->items[i].body_trig_len)
                res->items[i].body_trig += start;
        }
        start = end;
    }
    doc->text = text;
    doc->text_len = len;
    return rc;
}

/* Entries of each of `n_workers` gazetteer caches (ext_gazcache_new): the
 * run's budget shared out, INCIMAP_GAZCACHE_ENTRIES (benchmarks) else
 * GAZCACHE_ENTRIES. */
static size_t cache_entries(size_t n_workers)
{
    size_t total = GAZCACHE_ENTRIES;
    const char *e = getenv("INCIMAP_GAZCACHE_ENTRIES");
    if (e && *e && strtoul(e, NULL, 10) > 0)
        total = strtoul(e, NULL, 10);
    size_t each = total / (n_workers ? n_workers : 1);
    return each < 1024 ? 1024 : each;
}

/* ===== Reading, extracting on every core, collecting in order =====
 *
 * The documents go through a pool of worker threads (cli/pool.c): this
 * thread reads them and checks the store, the workers extract, and this
 * thread takes the results back in input order (sink_job), so that -j N
 * writes what -j 1 writes, messages included. A job is a document or an
 * event of the input (a bad document, an input that cannot be opened, the
 * end of an input), kept in order with the documents. */

enum { JOB_DOC, JOB_BAD, JOB_OPEN_FAIL, JOB_END_INPUT };

typedef struct xjob {
    int kind;          /* JOB_* */
    int rc;            /* JOB_BAD: the reader's code */
    int known;         /* JOB_DOC: 0 or STO_DOC_KNOWN (not extracted), or < 0 */
    cx_err err;        /* JOB_BAD, JOB_OPEN_FAIL: the reader's error */
    const char *path;  /* JOB_END_INPUT, JOB_OPEN_FAIL: the input */
    size_t n_bad;      /* JOB_END_INPUT: bad documents of the input */
    rd_doc doc;
    ext_result res;
    int xrc;           /* ext_extract's code */
    int prc;           /* then the reports' doc ids and sources: 0 or CX_ENOMEM */
    cx_err xerr, gerr; /* its error, and the gazetteer's */
} xjob;

/* What one worker extracts with: its own gazetteer handle and cache. */
typedef struct xworker {
    const ext_lexicon *lex;
    gaz_db *db;              /* owned, except worker 0 of -j 1 (the run's) */
    gaz_adapter ga;
    gaz_adapter *gap;        /* &ga, or the run's adapter for -j 1 */
    ext_gazetteer gaz;
    ext_gazcache *cache;     /* owned */
    const ext_gazetteer *use;
    ext_options eo;
} xworker;

static void extract_one(xworker *w, xjob *j)
{
    if (j->kind != JOB_DOC || j->known)
        return;
    cx_err_clear(&j->xerr);
    cx_err_clear(&w->gap->err);
    rd_doc_trim(&j->doc); /* the reader left it to the workers */
    j->xrc = extract_windowed(w->lex, w->use, &j->doc, &w->eo, &j->res, &j->xerr);
    j->gerr = w->gap->err;
    if (j->xrc || j->gerr.code)
        return;
    /* What depends on this document alone is done here too, off the
     * reading thread: the reports without a doc id get the document's, and
     * every report its source (sink_job checks j->prc where it did this) */
    for (size_t i = 0; i < j->res.n && !j->prc; i++)
        if (j->res.items[i].n_doc_ids == 0 && ext_incident_add_doc(&j->res.items[i], j->doc.id) != 0)
            j->prc = CX_ENOMEM;
    if (!j->prc && attach_sources(&j->res, &j->doc) != 0) /* sources (issue 18) */
        j->prc = CX_ENOMEM;
}

/* What the pool hands a worker: a run of consecutive jobs, so that the
 * threads meet once per batch, not once per document (news articles are a
 * few KB: a document per hand-over spent a fifth of the reading thread in
 * the pool's locks and wake-ups). A batch is closed at XBATCH_JOBS jobs or
 * XBATCH_BYTES of text, so the text in flight stays about
 * depth x XBATCH_BYTES, and large documents travel alone. */
#define XBATCH_JOBS 32
#define XBATCH_BYTES (128u * 1024u)

typedef struct xbatch {
    xjob jobs[XBATCH_JOBS];
    size_t n;     /* jobs filled */
    size_t bytes; /* their text */
} xbatch;

static void extract_job(void *ctx, void *bp)
{
    xbatch *b = bp;
    for (size_t i = 0; i < b->n; i++)
        extract_one(ctx, &b->jobs[i]);
}

static void job_reset(xjob *j)
{
    rd_doc_clear(&j->doc);
    ext_result_free(&j->res);
    memset(j, 0, sizeof *j);
}

typedef struct sink_state {
    size_t n_bad;    /* bad documents of the current input */
    char warned_src[sizeof ((rd_doc *)0)->source]; /* the last source warned about its encoding */
} sink_state;

/* The rest of a document's way, in input order: messages, counts, the
 * store, the writer or the pool. Returns 0 or a fatal CX_E* code. */
static int sink_job(xjob *j, const extract_opts *o, gaz_adapter *ga, sink *k, counts *cnt,
                    sink_state *ss, cli_msgs *m)
{
    cx_err err;
    int fatal = 0;
    if (j->kind == JOB_OPEN_FAIL) {
        cli_report(m, &j->err);
        cnt->docs_failed++;
        ss->n_bad = 0;
        ss->warned_src[0] = '\0';
        return j->err.code == CX_ENOMEM ? CX_ENOMEM : 0;
    }
    if (j->kind == JOB_END_INPUT) {
        if (ss->n_bad > MAX_ERRORS_SHOWN && m->verbosity <= 0)
            cli_errorf(m, j->path, 0, "%zu more bad documents not shown (-v shows all)",
                       ss->n_bad - MAX_ERRORS_SHOWN);
        ss->n_bad = 0;
        ss->warned_src[0] = '\0';
        return 0;
    }
    if (j->kind == JOB_BAD) {
        if (++ss->n_bad <= MAX_ERRORS_SHOWN || m->verbosity > 0)
            cli_report(m, &j->err);
        cnt->docs_failed++;
        return j->rc == CX_ENOMEM ? CX_ENOMEM : 0;
    }
    rd_doc *dp = &j->doc;
    ext_result *rp = &j->res;
#define doc (*dp)
#define res (*rp)
    if (doc.encoding_guessed && strcmp(ss->warned_src, doc.source) != 0) {
        snprintf(ss->warned_src, sizeof ss->warned_src, "%s", doc.source);
        cli_warnf(m, doc.source, 0,
                  "not UTF-8 and no declared encoding: read as windows-1252 (--encoding "
                  "NAME to choose another)");
    }
    if (j->known < 0) {
        cli_report(m, &j->err);
        fatal = j->known == CX_ENOMEM ? CX_ENOMEM : CX_EOUT;
        goto out;
    }
    if (j->known == STO_DOC_KNOWN) {
        cli_notef(m, 2, "%s: already in the store", doc.id);
        cnt->docs_known++;
        goto out;
    }
    int rc = j->xrc;
    err = j->xerr;
    if (j->gerr.code) {
        cli_report(m, &j->gerr);
        fatal = j->gerr.code == CX_ENOMEM ? CX_ENOMEM : CX_EDB;
        goto out;
    }
    if (rc != 0) {
        if (!err.source[0])
            set_source(&err, doc.source);
        if (!err.line)
            err.line = doc.line;
        if (rc == CX_ENOMEM)
            cli_errorf(m, doc.source, doc.line,
                       "document '%s' (%zu bytes) needs more memory than is available; "
                       "skipped, the others are read",
                       doc.id ? doc.id : "", doc.text_len);
        else
            cli_report(m, &err);
        /* one document that cannot be read fails alone, out of memory
         * included: its memory is freed now (job_reset) */
        cnt->docs_failed++;
        goto out;
    }
    if (k->dump && dump_pairs(k->dump, &doc, &res) != 0) {
        cli_errorf(m, o->dump, 0, "cannot write the pairs: %s", strerror(errno));
        fatal = CX_EOUT;
        goto out;
    }
    cnt->docs_ok++;
    if (res.unplaced) {
        for (const char *p = res.unplaced; *p; p++)
            cnt->n_unplaced += p == res.unplaced || (p[0] == ';' && p[1] == ' ');
        /* counted all, kept as far as the note can print them */
        if (cnt->unplaced.len < UNPLACED_KEPT &&
            ((cnt->unplaced.len && cx_buf_puts(&cnt->unplaced, "; ") != 0) ||
             cx_buf_puts(&cnt->unplaced, res.unplaced) != 0))
            fatal = CX_ENOMEM;
    }
    cnt->sentences += res.n_sentences;
    cnt->toponyms += res.n_toponyms;
    cnt->triggers += res.n_triggers;
    cli_notef(m, 2, "%s: %zu sentences, %zu toponyms, %zu incidents", doc.id, res.n_sentences,
              res.n_toponyms, res.n);
    /* Documents without ids in the record got the document's, and every
     * report its source (issue 18), in extract_job. */
    if (!fatal && j->prc)
        fatal = j->prc;
    locate_all(ga->db, &res, m);
    cnt->reports += res.n;
    if (!fatal && k->st && !k->spilled) {
        db_batch *b = &k->batch;
        if (batch_take(b, &doc, &res) != 0) {
            fatal = CX_ENOMEM;
        } else if (b->n >= DB_BATCH_DOCS || b->n_reports >= DB_BATCH_REPORTS ||
                   b->n_bytes >= DB_BATCH_BYTES) {
            int rc2 = batch_flush(k, cnt, m);
            if (rc2 < 0)
                fatal = rc2 == CX_ENOMEM ? CX_ENOMEM : CX_EOUT;
        }
    } else if (!fatal && k->w) {
        /* --no-merge: in input order, each document's reports in text order */
        for (size_t i = 0; i < res.n && !fatal; i++) {
            cx_err_clear(&err);
            if (cli_names_apply(k->names, &res.items[i], &err) != 0 ||
                out_writer_add(k->w, &res.items[i], &err) != 0) {
                cli_report(m, &err);
                fatal = err.code == CX_ENOMEM ? CX_ENOMEM : CX_EOUT;
            } else if (res.items[i].type >= 0 && res.items[i].type < EXT_NTYPES) {
                cnt->by_type[res.items[i].type]++;
            }
        }
        cnt->incidents += res.n;
    } else if (!fatal && take_incidents(k->all, &res) != 0) {
        fatal = CX_ENOMEM;
    } else if (!fatal && k->all->n > k->spill_at) {
        cx_err_clear(&err);
        double t0 = k->stage ? cli_thread_cpu() : 0;
        int rc2 = spill(k, m, &err);
        if (k->stage) {
            k->cpu_spill += cli_thread_cpu() - t0;
            k->n_spills++;
        }
        if (rc2 < 0) {
            cli_report(m, &err);
            fatal = rc2 == CX_ENOMEM ? CX_ENOMEM : CX_EOUT;
        }
    }
    if (fatal && fatal != CX_EOUT)
        cli_errorf(m, doc.source, doc.line, "out of memory");
out:
#undef doc
#undef res
    job_reset(j);
    return fatal;
}

typedef struct feeder {
    cli_pool *pool;
    xbatch *batches;
    size_t n_batches, seq;
    size_t batch_jobs; /* jobs a batch takes: XBATCH_JOBS, or 1 */
    xbatch *cur;     /* the batch being filled, not yet submitted; NULL none */
    int fatal;       /* the first fatal code met while sinking */
    sink_state ss;
} feeder;

/* The jobs of a batch the pool gave back, in order; the batch is emptied. */
static void sink_batch(feeder *f, xbatch *b, const extract_opts *o, gaz_adapter *ga, sink *k,
                       counts *cnt, cli_msgs *m)
{
    for (size_t i = 0; i < b->n; i++) {
        xjob *j = &b->jobs[i];
        if (f->fatal) /* after a fatal error: dropped */
            job_reset(j);
        else
            f->fatal = sink_job(j, o, ga, k, cnt, &f->ss, m);
    }
    b->n = b->bytes = 0;
}

/* Collect the batches that are done (all of them with `wait`), in order. */
static void feed_collect(feeder *f, bool wait, const extract_opts *o, gaz_adapter *ga,
                         sink *k, counts *cnt, cli_msgs *m)
{
    xbatch *b;
    while ((b = cli_pool_next(f->pool, wait)) != NULL)
        sink_batch(f, b, o, ga, k, cnt, m);
}

/* Hand the batch being filled to the pool (a no-op when none or empty). */
static void feed_submit(feeder *f, const extract_opts *o, gaz_adapter *ga, sink *k,
                        counts *cnt, cli_msgs *m)
{
    xbatch *b = f->cur;
    if (!b || !b->n)
        return;
    f->cur = NULL;
    cli_pool_submit(f->pool, b);
    feed_collect(f, false, o, ga, k, cnt, m);
}

/* The next free job, in the batch being filled (collecting results to make
 * room for a new batch). */
static xjob *feed_job(feeder *f, const extract_opts *o, gaz_adapter *ga, sink *k, counts *cnt,
                      cli_msgs *m)
{
    if (f->cur && (f->cur->n >= f->batch_jobs || f->cur->bytes >= XBATCH_BYTES))
        feed_submit(f, o, ga, k, cnt, m);
    if (!f->cur) {
        while (cli_pool_full(f->pool)) {
            xbatch *b = cli_pool_next(f->pool, true);
            if (!b)
                break;
            sink_batch(f, b, o, ga, k, cnt, m);
        }
        f->cur = &f->batches[f->seq++ % f->n_batches];
        f->cur->n = f->cur->bytes = 0;
    }
    xjob *j = &f->cur->jobs[f->cur->n++];
    job_reset(j);
    return j;
}

/* The job feed_job gave last goes back unused. */
static void feed_unjob(feeder *f)
{
    job_reset(&f->cur->jobs[--f->cur->n]);
}

/* Read every document of one input into the pool. Returns 0, or a fatal
 * CX_E* code (out of memory, gazetteer or store failure) once reported. */
static int process_input(const char *path, const extract_opts *o, feeder *f, gaz_adapter *ga,
                         sink *k, counts *cnt, size_t idx, size_t total, cli_msgs *m)
{
    cx_err err;
    cx_err_clear(&err);
    rd_reader *r = rd_reader_open(path, &err);
    if (r && o->encoding)
        rd_reader_set_encoding(r, o->encoding, &err); /* checked by parse_args */
    if (r && o->html)
        rd_reader_set_html(r, o->html, &err); /* checked by parse_args */
    rd_reader_defer_trim(r, true); /* the workers trim (extract_job) */
    if (!r) {
        xjob *j = feed_job(f, o, ga, k, cnt, m);
        j->kind = JOB_OPEN_FAIL;
        j->err = err;
        j->path = path;
        return f->fatal;
    }
    bool stop = false;
    while (!stop && !f->fatal) {
        xjob *j = feed_job(f, o, ga, k, cnt, m);
        cx_err_clear(&j->err);
        int rc = f->fatal ? 0 : rd_reader_next(r, &j->doc, &j->err);
        if (rc == 0) {
            feed_unjob(f); /* not used: the slot is the next one's */
            break;
        }
        if (rc < 0) {
            j->kind = JOB_BAD;
            j->rc = rc;
            /* out of memory, or the stream itself failed: nothing more to read */
            stop = rc == CX_ENOMEM || rc == CX_EIO;
        } else {
            j->kind = JOB_DOC;
            cli_progress(m, idx, total, j->doc.id);
            if (!j->doc.published[0] && o->date)
                snprintf(j->doc.published, sizeof j->doc.published, "%s", o->date);
            if (k->st && !k->spilled) {
                /* the store is this thread's: checked before the document is
                 * extracted, on the text it stores (trimmed) */
                rd_doc_trim(&j->doc);
                int known = sto_has_doc(k->st, &j->doc, &j->err);
                /* STO_DOC_CONFLICT: a correction, extracted and replaced
                 * when its batch is stored (batch_flush warns) */
                if (known < 0 || known == STO_DOC_KNOWN)
                    j->known = known;
                stop = known < 0;
            }
            f->cur->bytes += j->doc.text_len;
        }
    }
    rd_reader_close(r);
    if (!f->fatal) {
        xjob *j = feed_job(f, o, ga, k, cnt, m);
        j->kind = JOB_END_INPUT;
        j->path = path;
    }
    return f->fatal;
}

/* Every input through `n_workers` workers (1: in this thread, as before).
 * Returns 0 or a fatal CX_E* code once reported. */
static int run_inputs(const cli_inputs *in, const extract_opts *o, const ext_lexicon *lex,
                      gaz_db *db, const char *gaz_path, gaz_adapter *ga, ext_gazcache *cache,
                      sink *k, counts *cnt, size_t *hits, size_t *misses, cli_msgs *m)
{
    size_t n_workers = o->jobs ? o->jobs : cli_pool_cores();
    xworker *w = calloc(n_workers, sizeof *w);
    void **ctx = calloc(n_workers, sizeof *ctx);
    feeder f = {0};
    int fatal = 0;
    ext_options eo = {.lang = o->lang, .date = o->date, .min_confidence = o->min_confidence,
                      .keep_pairs = k->dump != NULL};
    if (!w || !ctx) {
        fatal = CX_ENOMEM;
        goto done;
    }
    for (size_t i = 0; i < n_workers; i++) {
        xworker *x = &w[i];
        x->lex = lex;
        x->eo = eo;
        ctx[i] = x;
        if (n_workers == 1) { /* the run's own gazetteer and cache */
            x->gap = ga;
            x->use = ext_gazcache_gazetteer(cache);
            continue;
        }
        cx_err err;
        cx_err_clear(&err);
        if (!(x->db = gaz_open(gaz_path, &err))) {
            cli_report(m, &err);
            fatal = err.code == CX_ENOMEM ? CX_ENOMEM : CX_EDB;
            goto done;
        }
        if (gaz_has_index(db))
            gaz_share_index(x->db, db); /* one mapping for every thread */
        x->ga = *ga;
        x->ga.db = x->db;
        cx_err_clear(&x->ga.err);
        x->gap = &x->ga;
        x->gaz = (ext_gazetteer){.ctx = &x->ga, .lookup = adapter_lookup, .probe = adapter_probe};
        if (!(x->cache = ext_gazcache_new(&x->gaz, cache_entries(n_workers)))) {
            fatal = CX_ENOMEM;
            goto done;
        }
        if (gaz_has_index(x->db))
            ext_gazcache_bypass(x->cache, EXT_GAZCACHE_PROBES);
        x->use = ext_gazcache_gazetteer(x->cache);
    }
    f.n_batches = n_workers == 1 ? 1 : 4 * n_workers;
    /* --db: one document a batch, as before batches (sto_has_doc is asked
     * at reading, the store written at sinking: more documents in flight
     * would change which copy of a repeated id is "already stored") */
    f.batch_jobs = k->st ? 1 : XBATCH_JOBS;
    f.batches = calloc(f.n_batches, sizeof *f.batches);
    if (!f.batches || !(f.pool = cli_pool_new(n_workers, f.n_batches, extract_job, ctx))) {
        fatal = CX_ENOMEM;
        goto done;
    }
    cli_notef(m, 1, "extracting with %zu worker thread%s", n_workers, n_workers > 1 ? "s" : "");
    double t_par = k->stage ? cli_thread_cpu() : 0;
    for (size_t i = 0; i < in->n && !fatal; i++)
        fatal = process_input(in->paths[i], o, &f, ga, k, cnt, i + 1, in->n, m);
    feed_submit(&f, o, ga, k, cnt, m);
    feed_collect(&f, true, o, ga, k, cnt, m);
    if (k->stage) { /* -j 1: the jobs ran in this thread */
        k->cpu_workers = cli_pool_cpu(f.pool);
        k->cpu_sink = cli_thread_cpu() - t_par - (n_workers > 1 ? 0 : k->cpu_workers);
    }
    if (!fatal)
        fatal = f.fatal;
done:
    if (fatal == CX_ENOMEM && !f.fatal)
        cli_errorf(m, NULL, 0, "out of memory");
    cli_pool_free(f.pool);
    for (size_t i = 0; f.batches && i < f.n_batches; i++)
        for (size_t b = 0; b < XBATCH_JOBS; b++)
            job_reset(&f.batches[i].jobs[b]);
    free(f.batches);
    for (size_t i = 0; w && i < n_workers; i++) {
        if (w[i].cache) {
            size_t h = 0, mi = 0;
            ext_gazcache_stats(w[i].cache, &h, &mi);
            *hits += h;
            *misses += mi;
        }
        ext_gazcache_free(w[i].cache);
        gaz_close(w[i].db);
    }
    free(w);
    free(ctx);
    return fatal;
}

int cli_cmd_extract(int argc, char **argv)
{
    extract_opts o = {0};
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
    if (o.db && o.no_merge) {
        cli_usagef(&m, "extract", "--db merges reports: --no-merge does not apply to it");
        free(av);
        return CLI_EXIT_USAGE;
    }

    cli_inputs in = {0};
    cli_outfile of = {0};
    gaz_db *db = NULL;
    ext_gazcache *cache = NULL;
    sto_store *st = NULL;
    sink snk = {.clean_slot = -1};
    mrg_result merged = {0};
    ext_lexicon *lex = NULL;
    gaz_namer *names = NULL;
    out_writer *w = NULL;
    mrg_pool all = {0};
    counts cnt = {0};
    cx_err err;
    cx_err_clear(&err);
    char gaz_path[4096], data_dir[4096], vendor[4096], styles[4200], borders[4200];

    /* 1. Inputs: known before anything is opened, so a missing input costs nothing. */
    if (cli_inputs_collect(o.inputs, o.n_inputs, &in, &m) != 0) {
        cli_errorf(&m, NULL, 0, "out of memory");
        status = CLI_EXIT_NOMEM;
        goto done;
    }
    cli_notef(&m, 1, "inputs: %zu files (%zu unreadable, %zu skipped)", in.n, in.n_failed,
              in.n_skipped);
    if (in.n == 0) {
        cli_errorf(&m, NULL, 0, "no input to read%s",
                   in.n_failed ? "" : " (no document, feed, WARC, compressed file or archive found)");
        status = CLI_EXIT_INPUT;
        goto done;
    }

    /* 2. Gazetteer and lexicons. */
    cli_path_gazetteer(o.gazetteer, gaz_path, sizeof gaz_path);
    if (!(db = gaz_open(gaz_path, &err))) {
        if (!err.source[0])
            set_source(&err, gaz_path);
        cli_report(&m, &err);
        if (!o.gazetteer && !file_exists(gaz_path))
            cli_errorf(&m, NULL, 0,
                       "no gazetteer: build one with 'incimap gazetteer build -o %s' or give "
                       "--gazetteer FILE",
                       gaz_path);
        status = exit_for(err.code, CLI_EXIT_GAZETTEER);
        if (status != CLI_EXIT_NOMEM)
            status = CLI_EXIT_GAZETTEER;
        goto done;
    }
    cli_gazetteer_index(db, &m); /* cli/pool.c */
    cli_path_data(data_dir, sizeof data_dir);
    const char *conflict = o.conflict ? o.conflict : "armenia-azerbaijan";
    cli_notef(&m, 1, "data: %s", data_dir);
    if (check_conflict(data_dir, conflict, o.conflict != NULL, &m) != 0) {
        status = o.conflict ? CLI_EXIT_USAGE : CLI_EXIT_INPUT;
        goto done;
    }
    if (!(lex = ext_lexicon_open(data_dir, conflict, o.model, &err))) {
        cli_report(&m, &err);
        if (!o.model || !strstr(err.source, o.model)) {
            char dir[4200], have[1024];
            snprintf(dir, sizeof dir, "%s/lexicon", data_dir);
            cli_path_list_json(dir, have, sizeof have);
            cli_errorf(&m, NULL, 0,
                       "the lexicons are read from %s (lexicons there: %s); the data folder "
                       "comes from INCIMAP_DATA, else INCIMAP_HOME/data, else the install "
                       "prefix",
                       dir, have[0] ? have : "none");
        }
        status = exit_for(err.code, CLI_EXIT_INPUT);
        goto done;
    }
    if (!(names = cli_names_open(db, o.names, data_dir, conflict, &err))) {
        cli_report(&m, &err);
        status = exit_for(err.code, CLI_EXIT_INPUT);
        goto done;
    }
    if (o.dump && !(snk.dump = fopen(o.dump, "w"))) {
        cli_errorf(&m, o.dump, 0, "cannot write: %s", strerror(errno));
        status = CLI_EXIT_OUTPUT;
        goto done;
    }

    /* 3. Output: opened before the work, so a bad -o fails fast. */
    remove_leftovers(o.out, &m);
    {
        const char *tmp = getenv("TMPDIR");
        cx_cleanup_stale(tmp && *tmp ? tmp : "/tmp", "incimap-spill-", '-', note_removed, &m);
    }
    cli_path_vendor(vendor, sizeof vendor);
    char admin_units[4200];
    snprintf(admin_units, sizeof admin_units, "%s/regional/admin-units.csv", data_dir);
    snprintf(styles, sizeof styles, "%s/styles", data_dir);
    snprintf(borders, sizeof borders, "%s/countries-10m.fgb", vendor);
    if (!file_exists(borders))
        snprintf(borders, sizeof borders, "%s/countries-10m.json", vendor);
    /* borders: only the countries around the conflict's theatre (incidents
     * are never outside it) */
    double th_area[4];
    bool has_area = ext_lexicon_theatre(lex, th_area);
    if (has_area) {
        th_area[0] -= 3, th_area[1] -= 3, th_area[2] += 3, th_area[3] += 3;
    }
    out_options oo = {
        .formats = o.n_formats ? o.formats : NULL,
        .n_formats = o.n_formats,
        .t_srs = o.t_srs,
        .mode = o.mode,
        .layers = o.layers,
        .styles_dir = file_exists(styles) ? styles : NULL,
        .borders = file_exists(borders) ? borders : NULL,
        .borders_area = has_area ? th_area : NULL,
        .admin_units = admin_units,
        .admin_lang = o.names, /* GAZ_NAMES_* and GEO_ADMIN_* agree */
    };
    if (cli_outfile_plan(&of, o.out, &oo, &err) != 0 ||
        !(w = out_writer_open(of.path, &of.oo, &err))) {
        if (!err.source[0])
            set_source(&err, o.out);
        cli_report(&m, &err);
        status = err.code == CX_ENOMEM   ? CLI_EXIT_NOMEM
                 : err.code == CX_EINVAL ? CLI_EXIT_USAGE
                                         : CLI_EXIT_OUTPUT;
        goto done;
    }

    /* 4. The sink (store, writer or memory), then the documents. */
    snk.all = &all;
    snk.w = o.no_merge ? w : NULL;
    snk.names = names;
    snk.spill_at = SPILL_REPORTS;
    const char *sc = getenv("INCIMAP_STAGE_CPU"); /* measurements */
    snk.stage = sc && *sc && strcmp(sc, "0") != 0;
    double t_run = snk.stage ? cli_thread_cpu() : 0, t_after = 0, t_merged = 0;
    const char *sa = getenv("INCIMAP_SPILL_REPORTS"); /* tests */
    if (sa && *sa)
        snk.spill_at = strtoul(sa, NULL, 10);
    if (o.db && !(st = sto_open(o.db, STO_OPEN_CREATE, &err))) {
        if (!err.source[0])
            set_source(&err, o.db);
        cli_report(&m, &err);
        status = err.code == CX_ENOMEM ? CLI_EXIT_NOMEM : CLI_EXIT_OUTPUT;
        goto done;
    }
    sto_set_replace(st, true); /* corrections replace (issue 18); NULL-safe */
    if (st && rev_upgrade(st, &err)) { /* verdicts follow replaced reports */
        cli_report(&m, &err);
        status = CLI_EXIT_OUTPUT;
        goto done;
    }
    snk.replace_quiet = o.replace;
    snk.st = st;
    gaz_adapter ga = {.db = db};
    double th[4];
    if (ext_lexicon_theatre(lex, th)) {
        ga.has_near = true;
        ga.near_lat = (th[1] + th[3]) / 2;
        ga.near_lon = (th[0] + th[2]) / 2;
    }
    ext_gazetteer gaz = {.ctx = &ga, .lookup = adapter_lookup, .probe = adapter_probe};
    /* names repeat across articles: cache probes and lookups by key */
    if (!(cache = ext_gazcache_new(&gaz, cache_entries(1)))) {
        cli_errorf(&m, NULL, 0, "out of memory");
        status = CLI_EXIT_NOMEM;
        goto done;
    }
    if (gaz_has_index(db)) /* a probe of the index costs less than the cache's */
        ext_gazcache_bypass(cache, EXT_GAZCACHE_PROBES);
    size_t w_hits = 0, w_misses = 0;
    int rc_run = run_inputs(&in, &o, lex, db, gaz_path, &ga, cache, &snk, &cnt, &w_hits,
                            &w_misses, &m);
    if (rc_run != 0) {
        /* what was read before the failure still goes to the store */
        if (rc_run != CX_EOUT && snk.st && !snk.spilled)
            batch_flush(&snk, &cnt, &m);
        status = exit_for(rc_run, CLI_EXIT_GAZETTEER);
        goto done;
    }
    if (snk.st && !snk.spilled) {
        int rc = batch_flush(&snk, &cnt, &m);
        if (rc < 0) {
            status = rc == CX_ENOMEM ? CLI_EXIT_NOMEM : CLI_EXIT_OUTPUT;
            goto done;
        }
    }
    cli_progress_end(&m);
    if (cnt.docs_ok == 0 && cnt.docs_known == 0) {
        cli_errorf(&m, NULL, 0, "no document could be read (%zu failed)",
                   cnt.docs_failed + in.n_failed);
        status = CLI_EXIT_INPUT;
        goto done;
    }

    /* 5. Merge (or export the store), write. */
    t_after = snk.stage ? cli_thread_cpu() : 0;
    if (snk.spilled && all.n) {
        cx_err_clear(&err);
        if (spill(&snk, &m, &err) < 0) {
            cli_report(&m, &err);
            status = err.code == CX_ENOMEM ? CLI_EXIT_NOMEM : CLI_EXIT_OUTPUT;
            goto done;
        }
    }
    if (snk.st) {
        cx_err_clear(&err);
        size_t n_out = 0;
        named_writer nw = {w, names, {0}};
        /* -j N > 1: the writer in a thread of its own (export_relayed) */
        cli_relay *relay = (o.jobs ? o.jobs : cli_pool_cores()) > 1
                               ? cli_relay_new(0, relay_write, relay_drop, &nw)
                               : NULL;
        int rc_list = relay ? rev_list(snk.st, NULL, REV_LIST_ALL, export_relayed, relay, &n_out,
                                       &err)
                            : rev_list(snk.st, NULL, REV_LIST_ALL, export_reviewed, &nw, &n_out,
                                       &err);
        if (relay) {
            cx_err werr;
            cx_err_clear(&werr);
            if (cli_relay_finish(relay, &werr) != 0 && rc_list == 0) {
                rc_list = werr.code;
                err = werr;
            }
            cli_relay_free(relay);
        }
        if (rc_list != 0) {
            cli_report(&m, &err);
            /* a store that fails (disk full) is output that cannot be written */
            status = err.code == CX_ENOMEM ? CLI_EXIT_NOMEM : CLI_EXIT_OUTPUT;
            goto done;
        }
        cnt.incidents = n_out;
        memcpy(cnt.by_type, nw.by_type, sizeof cnt.by_type);
    } else if (!o.no_merge) {
        cx_err_clear(&err);
        if (mrg_merge(all.items, all.n, NULL, &merged, &err) != 0) {
            cli_report(&m, &err);
            status = exit_for(err.code, CLI_EXIT_NOMEM);
            goto done;
        }
        for (size_t i = 0; i < merged.n; i++) {
            cx_err_clear(&err);
            if (cli_names_apply(names, &merged.items[i], &err) != 0 ||
                out_writer_add(w, &merged.items[i], &err) != 0) {
                cli_report(&m, &err);
                status = exit_for(err.code, CLI_EXIT_OUTPUT);
                goto done;
            }
            if (merged.items[i].type >= 0 && merged.items[i].type < EXT_NTYPES)
                cnt.by_type[merged.items[i].type]++;
        }
        cnt.incidents = merged.n;
    }
    t_merged = snk.stage ? cli_thread_cpu() : 0;
    cx_err_clear(&err);
    out_writer *closing = w;
    w = NULL;
    if (out_writer_close(closing, &err) != 0 || cli_outfile_commit(&of, &err) != 0) {
        cli_report(&m, &err);
        status = exit_for(err.code, CLI_EXIT_OUTPUT);
        goto done;
    }
    size_t hits = 0, misses = 0;
    ext_gazcache_stats(cache, &hits, &misses);
    hits += w_hits;
    misses += w_misses;
    cli_notef(&m, 1,
              "documents: %zu read, %zu failed, %zu already stored; sentences: %zu; toponyms: %zu; "
              "triggers: %zu; reports: %zu; incidents written: %zu; gazetteer: %zu cached, %zu "
              "asked",
              cnt.docs_ok, cnt.docs_failed + in.n_failed, cnt.docs_known, cnt.sentences,
              cnt.toponyms, cnt.triggers, cnt.reports, cnt.incidents, hits, misses);
    if (cnt.n_unplaced) /* never dropped silently (docs/extraction.md) */
        cli_notef(&m, 0, "note: %zu places without a pin of their own (placed at their district "
                  "or region, geo_precision 3): %s; add them with gazetteer build --extra",
                  cnt.n_unplaced, cnt.unplaced.data);
    status = cnt.docs_failed + in.n_failed ? CLI_EXIT_PARTIAL : CLI_EXIT_OK;
    if (status == CLI_EXIT_PARTIAL)
        cli_warnf(&m, NULL, 0, "%zu of %zu documents could not be read; output written to %s",
                  cnt.docs_failed + in.n_failed, cnt.docs_ok + cnt.docs_failed + in.n_failed,
                  o.out);

    print_summary(&m, &cnt, in.n_failed, o.out);
    if (snk.stage) {
        double t_end = cli_thread_cpu();
        fprintf(stderr,
                "incimap: stage cpu (s): start-up %.3f; workers %.3f; reading thread while they "
                "run %.3f (spills %.3f in %zu); after them %.3f (merge and export %.3f, "
                "closing %.3f)\n",
                t_run, snk.cpu_workers, snk.cpu_sink, snk.cpu_spill, snk.n_spills,
                t_end - t_after, t_merged - t_after, t_end - t_merged);
    }

done:
    cx_buf_free(&cnt.unplaced);
    cli_progress_end(&m);
    out_writer_abort(w);
    cli_outfile_cleanup(&of);
    mrg_result_free(&merged);
    batch_free(&snk.batch);
    if (snk.dump && fclose(snk.dump) != 0 && status == 0) {
        cli_errorf(&m, o.dump, 0, "cannot write: %s", strerror(errno));
        status = CLI_EXIT_OUTPUT;
    }
    if (snk.spilled) {
        sto_close(snk.st);
        char p2[4200];
        static const char *const parts[] = {"spill.sqlite", "spill.sqlite-wal", "spill.sqlite-shm",
                                            "spill.sqlite-journal"};
        for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
            snprintf(p2, sizeof p2, "%s/%s", snk.spill_dir, parts[i]);
            unlink(p2);
        }
        rmdir(snk.spill_dir);
        cx_cleanup_forget(snk.clean_slot);
    }
    sto_close(st);
    mrg_pool_free(&all);
    ext_lexicon_free(lex);
    gaz_namer_free(names);
    ext_gazcache_free(cache);
    gaz_close(db);
    cli_inputs_free(&in);
    free(av);
    return status;
}

/* For `incimap watch`, which passes extract options on to every run: the
 * same checks as a run, before any is made. */
int cli_extract_check_args(int argc, char **argv)
{
    extract_opts o = {0};
    cli_msgs m;
    cli_msgs_init(&m, "incimap", 0);
    char **av = cli_opts_argv(argc, argv);
    if (!av)
        return CLI_EXIT_NOMEM;
    int status = parse_args(argc, av, &o, &m);
    free(av);
    return status;
}
