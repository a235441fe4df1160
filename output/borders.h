/* borders.h -- country polygons read through OGR (TopoJSON, GeoJSON,
 * Shapefile, GPKG...) into geo/'s border index: the nearest international
 * border of a point, and the border lines the writer puts in the `borders`
 * layer. output/ reads the file because only output/ links GDAL; the
 * geometry itself is computed by geo/ (see geo.h for the method). */
#ifndef OUT_BORDERS_H
#define OUT_BORDERS_H

#include "cx_err.h"
#include "geo.h"

typedef struct out_borders out_borders; /* opaque */

/** Read the country polygons of `path`: the layer named "countries" when
 *  there is one (world-atlas TopoJSON), else the first layer. Each feature
 *  is one country, named by its "name" field (else "NAME", "ADMIN", "id", or
 *  its index). Coordinates are taken as WGS84 lon/lat unless the layer has
 *  another CRS, which is then transformed. GDAL drivers must be registered
 *  (GDALAllRegister) by the caller. Returns NULL and fills `err`
 *  (CX_ENOTFOUND / CX_EFORMAT with GDAL's message) on failure. `area`
 *  (west, south, east, north in degrees), when not NULL, loads only the
 *  countries that reach into it: distances are then right for points inside
 *  the area, which costs a fraction of the world's time and memory.
 *  Ownership: caller frees with out_borders_close(). */
out_borders *out_borders_open(const char *path, const double *area, cx_err *err);

/** Free `b`; NULL is a no-op. */
void out_borders_close(out_borders *b);

/** Geodesic km from (lat, lon) to the nearest international border, NAN
 *  when unknown. Thread-safe. */
double out_borders_distance_km(const out_borders *b, double lat, double lon);

/** The border index. Borrowed; valid until out_borders_close(). */
const geo_border_index *out_borders_index(const out_borders *b);

/** Name of country `i` (the id passed to geo), "" when out of range.
 *  Borrowed; valid until out_borders_close(). */
const char *out_borders_country_name(const out_borders *b, int i);

#endif
