/* out_module.h -- the GDAL module (incimap-gdal.so), loaded with dlopen()
 * when a command or a format needs GDAL/OGR, PROJ, cairo or curl. The
 * incimap executable links none of them, so `extract` to GeoJSON starts
 * without loading them (issue 20, docs/modules.md).
 *
 * The module is built from the sources that call those libraries (the OGR
 * writer formats, the OGR country-polygon reader, map/ and the `map`
 * command, the gazetteer build and fetch). Everything else it calls
 * (cx_*, ext_*, gaz_* queries, the cleanup and lock tables) it takes from
 * the executable, which exports its symbols: one copy of each table. */
#ifndef OUT_MODULE_H
#define OUT_MODULE_H

#include "borders.h"
#include "cx_err.h"
#include "writer.h"

/* gazetteer.h's, for the build and fetch entry points */
typedef struct gaz_build_opts gaz_build_opts;
typedef struct gaz_build_stats gaz_build_stats;
typedef struct gaz_fetch_opts gaz_fetch_opts;

/* Bumped whenever the table below changes: a module of another version is
 * refused with an error naming both. */
#define OUT_MODULE_ABI 1

typedef struct out_module {
    int abi;
    /* GDALAllRegister(): called once by out_module_get() */
    void (*init)(void);
    /* GDAL's release name ("3.10.3") */
    const char *(*gdal_version)(void);
    /* the complete writer (every format): out_writer_* of writer.h */
    out_writer *(*writer_open)(const char *path, const out_options *opts, cx_err *err);
    int (*writer_add)(out_writer *w, const ext_incident *inc, cx_err *err);
    int (*writer_close)(out_writer *w, cx_err *err);
    void (*writer_abort)(out_writer *w);
    /* country polygons in any format OGR reads (borders.h) */
    out_borders *(*borders_open)(const char *path, const double *area, cx_err *err);
    /* `incimap map` (cairo, GDAL, PROJ) */
    int (*cmd_map)(int argc, char **argv);
    /* gaz_build (OGR polygon sources) and gaz_fetch (curl) of gazetteer.h */
    int (*gaz_build)(const char *out_path, const gaz_build_opts *opts, gaz_build_stats *stats,
                     cx_err *err);
    int (*gaz_fetch)(const gaz_fetch_opts *opts, cx_err *err);
    /* GDAL's teardown (GDALDestroyDriverManager) */
    void (*shutdown)(void);
} out_module;

/* The symbol the module exports (a `const out_module`). */
#define OUT_MODULE_SYMBOL "incimap_gdal_module"

/** The module, loaded on the first call (GDAL drivers registered), or NULL
 *  with `err` naming the file tried and the loader's reason. Where it is
 *  looked for: $INCIMAP_MODULE (a file), else incimap-gdal.so beside the
 *  executable (a build tree), else the install path fixed at build time
 *  (<libdir>/incimap/incimap-gdal.so). Thread-safe. */
const out_module *out_module_get(cx_err *err);

/** GDAL's teardown when the module was loaded; else nothing. Call once at
 *  the end of main(). */
void out_module_shutdown(void);

#endif
