/* outfile.h -- `-o FILE.ext` as ogr2ogr reads it: a file whose extension
 * names a one-layer format (.geojson/.json, .shp, .csv, .fgb) is that file,
 * not a folder. The writer (output/) still writes a folder of layers; this
 * module points it at a private stage beside FILE and moves the one layer
 * it asked for into place once the writer has closed. Anything else (a
 * folder, a .gpkg file, -, PG:...) passes through unchanged. */
#ifndef CLI_OUTFILE_H
#define CLI_OUTFILE_H

#include <stdbool.h>

#include "cx_err.h"
#include "writer.h"

typedef struct cli_outfile {
    bool single;           /* FILE.ext: one layer staged, then moved */
    const char *path;      /* what to give out_writer_open (FILE itself, or the stage) */
    out_options oo;        /* the options to give it */
    const char *driver;    /* the extension's OGR driver, or NULL */
    const char *layer;     /* the layer written to FILE: incidents, shelling, ... */
    const char *format[1]; /* oo.formats when single */
    char target[4096];     /* FILE as given */
    char stage[4096];      /* FILE.tmp-PID-XXXXXX (a run killed leaves it; extract removes it) */
    char inner[4200];      /* stage/layers: the writer's output folder */
} cli_outfile;

/** Plan the output `path` for the writer options `in` (borrowed; copied into
 *  of->oo). For FILE.ext: -f must be absent or name the extension's format,
 *  --append is refused, an existing FILE needs --overwrite, and --layers may
 *  name one layer (default: the incidents layer, every type). Creates the
 *  stage. Returns 0, or CX_EINVAL (a usage error), CX_EOUT with `err` set.
 *  Ownership: call cli_outfile_cleanup() in every case. */
int cli_outfile_plan(cli_outfile *of, const char *path, const out_options *in, cx_err *err);

/** After out_writer_close() succeeded: move the layer's file (and its
 *  sidecars .shx .dbf .prj .cpg .qml, renamed after FILE) into place and
 *  remove the stage. Nothing to do when !single. Returns 0 or CX_EOUT. */
int cli_outfile_commit(cli_outfile *of, cx_err *err);

/** Remove the stage if it is still there (failure paths). */
void cli_outfile_cleanup(cli_outfile *of);

#endif
