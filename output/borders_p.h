/* borders_p.h -- what out_borders.c (the FlatGeobuf reader of our own) and
 * out_borders_ogr.c (any format, through OGR) share. Private to output/. */
#ifndef OUT_BORDERS_P_H
#define OUT_BORDERS_P_H

#include "borders.h"

struct out_borders {
    geo_border_index *idx;
    char **names;
    size_t n_names, cap_names;
};

/** A new, empty set of borders (its index not built), or NULL (CX_ENOMEM). */
out_borders *outp_borders_new(cx_err *err);

/** Append the name of the next country; its id is the count before. */
int outp_borders_add_name(out_borders *b, const char *name, cx_err *err);

/** out_borders_open() through OGR: every vector format GDAL reads, a CRS
 *  transformed to WGS84 (out_borders_ogr.c, in the GDAL module). GDAL
 *  drivers must be registered. */
out_borders *outp_borders_open_ogr(const char *path, const double *area, cx_err *err);

#endif
