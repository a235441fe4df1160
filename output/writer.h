/* writer.h -- incident layers through GDAL/OGR: GeoJSON (RFC 7946), ESRI
 * Shapefile, GPKG, CSV, FlatGeobuf, PostgreSQL. Knows each format's limits
 * and writes QGIS styles beside (or inside) the data. The only module that
 * includes GDAL headers for writing. */
#ifndef OUT_WRITER_H
#define OUT_WRITER_H

#include <stdbool.h>
#include <stddef.h>

#include "cx_err.h"
#include "incident.h"

typedef struct out_writer out_writer; /* opaque */

enum { OUT_MODE_CREATE = 0, OUT_MODE_OVERWRITE = 1, OUT_MODE_APPEND = 2 };

typedef struct out_options {
    const char *const *formats; /* OGR driver names; NULL/0 = default GeoJSON + ESRI Shapefile */
    size_t n_formats;
    const char *t_srs;          /* "EPSG:N" or any PROJ/OGR SRS string, NULL = EPSG:4326 */
    int mode;                   /* OUT_MODE_* */
    unsigned layers;            /* bit i set = write layer of type i; plus OUT_LAYER_ALL */
    const char *styles_dir;     /* data/styles with the .qml templates, NULL = none */
    const char *borders;        /* country polygons (TopoJSON/GeoJSON) for the borders layer, or NULL */
    const double *borders_area; /* west, south, east, north: load only the countries reaching
                                   into it (NULL = the world); border_km is right inside it */
    const char *admin_units;    /* data/regional/admin-units.csv: admin1/admin2 get one name per
                                   unit (geo_admin.h); NULL or a missing file: written as given */
    int admin_lang;             /* GEO_ADMIN_EN, _FR, _LOCAL (the --names language) */
} out_options;

#define OUT_LAYER_ALL (1u << 8) /* the `incidents` layer with every type */

/** Open the output `path` (a folder for GeoJSON/Shapefile/CSV/FlatGeobuf,
 *  a .gpkg file for GPKG, "PG:..." for PostgreSQL, "-" for GeoJSON on stdout).
 *  Everything is written under temporary names and moved into place by
 *  out_writer_close(). Returns NULL and fills `err` on failure (unknown
 *  driver, -t_srs with GeoJSON, existing output without --overwrite/--append).
 *  Ownership: caller closes with out_writer_close(). */
out_writer *out_writer_open(const char *path, const out_options *opts, cx_err *err);

/** Write one incident to every layer it belongs to. Returns 0 or a CX_E* code. */
int out_writer_add(out_writer *w, const ext_incident *inc, cx_err *err);

/** Finish: close the datasets (a close is a write and may fail), write the
 *  styles and borders, and rename the temporary outputs into place. On
 *  failure nothing replaces an existing output. Frees `w` in every case.
 *  NULL is a no-op returning 0. */
int out_writer_close(out_writer *w, cx_err *err);

/** Drop everything written so far (temporary files removed) and free `w`. */
void out_writer_abort(out_writer *w);

#endif
