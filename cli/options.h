/* options.h -- one option table per command drives getopt_long and the
 * OPTIONS section of its --help (shared by extract and export). */
#ifndef CLI_OPTIONS_H
#define CLI_OPTIONS_H

#include <getopt.h>
#include <stddef.h>
#include <stdio.h>

typedef struct cli_opt {
    const char *lng;  /* long name (without "--") */
    int val;          /* short letter, or a value >= 256 for long-only options */
    int has_arg;      /* no_argument / required_argument */
    const char *arg;  /* argument name in --help, or NULL */
    int group;        /* index in the command's group names */
    const char *help; /* one or more lines, '\n'-separated */
} cli_opt;

/** Fill getopt_long's tables from `t[0..n)`: `longs` must hold n + 1
 *  entries, `shorts` 2n + 2 bytes (a leading ':' reports a missing argument
 *  as ':'). */
void cli_opts_getopt(const cli_opt *t, size_t n, struct option *longs, char *shorts);

/** Print the options grouped under `groups[0..n_groups)`. The option whose
 *  val is `single_dash_val` is shown as -NAME ARG (GDAL's -t_srs); pass -1
 *  for none. */
void cli_opts_print(FILE *f, const cli_opt *t, size_t n, const char *const *groups,
                    int n_groups, int single_dash_val);

/** A copy of argv for getopt_long (which permutes it) where GDAL's -t_srs
 *  reads as the long option --t_srs. NULL when out of memory.
 *  Ownership: one block; the caller frees it with free(). */
char **cli_opts_argv(int argc, char **argv);

/* ===== Output formats (-f and -o FILE.ext, as in ogr2ogr) ===== */

/** The formats -f accepts, for usage messages: "GeoJSON, \"ESRI Shapefile\",
 *  GPKG, CSV, FlatGeobuf, PostgreSQL". */
#define CLI_FORMATS_LIST "GeoJSON, \"ESRI Shapefile\", GPKG, CSV, FlatGeobuf, PostgreSQL"

/** The canonical OGR driver name of a -f value (any case; also Shapefile,
 *  SHP, FGB, PG, PostGIS), or NULL when it is not one incimap writes.
 *  Borrowed: a static string. */
const char *cli_format_name(const char *name);

/** The driver a file name's extension names, ogr2ogr's way: .geojson/.json
 *  GeoJSON, .shp ESRI Shapefile, .csv CSV, .fgb FlatGeobuf, .gpkg GPKG (any
 *  case). NULL for anything else (a folder, -, PG:...). Borrowed. */
const char *cli_format_from_ext(const char *path);

#endif
