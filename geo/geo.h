/* geo.h -- geometry on the ellipsoid: geodesic distances (GeographicLib,
 * WGS84), the international-border index that gives every incident
 * its distance to the nearest border, and the border lines of a region for
 * the `borders` layer. Pure C on arrays of lon/lat: no file I/O, no GDAL
 * (output/ reads the country polygons and hands the rings here). PROJ only
 * for geo_proj_* (geo_proj.c), which `map` uses: the executable links none.
 *
 * Borders are found topologically: a boundary segment that belongs to the
 * rings of two different countries is an international border; a segment
 * that belongs to one country only is a coastline (or the edge of the data)
 * and is ignored. This is exact for topologically consistent data such as
 * Natural Earth / world-atlas TopoJSON, where neighbours share vertices
 * bit for bit (endpoints are compared after rounding to 1e-7 degree). */
#ifndef GEO_GEO_H
#define GEO_GEO_H

#include <stdbool.h>
#include <stddef.h>

#include "cx_err.h"

typedef struct geo_point {
    double lon, lat; /* degrees, WGS84 */
} geo_point;

/** Geodesic distance in km between two WGS84 points (Karney's algorithm:
 *  GeographicLib, whose C port PROJ ships as geod_inverse). NaN inputs give
 *  NaN. Ownership: nothing allocated. */
double geo_dist_km(double lat1, double lon1, double lat2, double lon2);

/** The same in metres, without the NaN check (geo_geodesic.cpp). */
double geo_geodesic_m(double lat1, double lon1, double lat2, double lon2);

typedef struct geo_border_index geo_border_index; /* opaque */

/** A new, empty border index. Add the rings of every country with
 *  geo_border_index_add_ring(), then call geo_border_index_build().
 *  Returns NULL and fills `err` (CX_ENOMEM) on failure.
 *  Ownership: caller frees with geo_border_index_free(). */
geo_border_index *geo_border_index_new(cx_err *err);

/** Free `idx`; NULL is a no-op. */
void geo_border_index_free(geo_border_index *idx);

/** Add one ring (outer or inner, closed or not) of country `country`
 *  (any non-negative id chosen by the caller, e.g. its feature index):
 *  `pts` holds `n` points as lon,lat pairs (2*n doubles). Rings with fewer
 *  than 2 points are ignored. Not allowed after build. Returns 0, CX_EINVAL
 *  or CX_ENOMEM. Ownership: the points are copied. */
int geo_border_index_add_ring(geo_border_index *idx, int country, const double *pts,
                              size_t n, cx_err *err);

/** Find the shared (border) segments and build the spatial grid over them.
 *  Returns 0, CX_EINVAL (called twice) or CX_ENOMEM. */
int geo_border_index_build(geo_border_index *idx, cx_err *err);

/** Number of international border segments found by the build (each shared
 *  segment counted once). */
size_t geo_border_index_count(const geo_border_index *idx);

/** Geodesic distance in km from (lat, lon) to the nearest border segment.
 *  Candidates are found on a 0.5-degree grid (a 5-degree one far from any
 *  border) in a local equirectangular frame around the query point; every
 *  segment whose planar distance is near the best is then measured on the
 *  ellipsoid (Karney). Within a few hundred km of a border the result matches
 *  a brute-force geodesic minimum to metres; beyond ~1000 km it may
 *  overstate by up to ~1%. Returns NAN when the index has no border or the
 *  point is not finite. Thread-safe on a built index. */
double geo_border_distance_km(const geo_border_index *idx, double lat, double lon);

/** Called once per border polyline by geo_border_index_lines(): the two
 *  countries it separates (country_a < country_b) and `n` points as lon,lat
 *  pairs (borrowed; valid during the call). Return non-zero to stop. */
typedef int (*geo_line_fn)(void *ctx, int country_a, int country_b, const double *pts,
                           size_t n);

/** Emit the border lines inside the box [minlon,maxlon] x [minlat,maxlat],
 *  each segment clipped to the box (Liang-Barsky), consecutive segments of
 *  one ring joined into polylines. Deterministic: the order of the rings
 *  as added. Returns 0, the callback's non-zero value, or CX_ENOMEM. */
int geo_border_index_lines(const geo_border_index *idx, double minlon, double minlat,
                           double maxlon, double maxlat, geo_line_fn fn, void *ctx);

/** Liang-Barsky: clip the segment (x0,y0)-(x1,y1) to the closed box
 *  {minx, miny, maxx, maxy}. False when the segment misses the box (the
 *  points are then untouched); else true, the points moved to the clipped
 *  ends. A test of whether a segment meets a box passes copies. */
bool geo_clip_segment(const double box[4], double *x0, double *y0, double *x1, double *y1);

/* ===== Reference systems ===== */

typedef struct geo_proj geo_proj; /* opaque: one PROJ context + transform */

/** A transform from WGS84 lon/lat to `t_srs` (anything PROJ accepts:
 *  "EPSG:32638", a PROJ string, WKT), axis order lon/lat -> easting/northing
 *  whatever the CRS's official order. Returns NULL and fills `err`
 *  (CX_EINVAL with PROJ's message) on failure.
 *  Ownership: caller frees with geo_proj_free(). Not thread-safe per handle. */
geo_proj *geo_proj_new(const char *t_srs, cx_err *err);

/** Transform one point. Returns 0, or CX_EINVAL when PROJ cannot (the point
 *  is outside the projection's domain). */
int geo_proj_fwd(geo_proj *p, double lon, double lat, double *x, double *y);

/** Free `p`; NULL is a no-op. */
void geo_proj_free(geo_proj *p);

#endif
