/* out_geojson.h -- a streaming GeoJSON (RFC 7946) layer writer, private to
 * output/: one FeatureCollection per file (or standard output), features
 * written as text into a buffer flushed in large blocks. It writes the
 * bytes GDAL 3.6's GeoJSON driver writes with RFC7946=YES,
 * COORDINATE_PRECISION=6, WRITE_BBOX=NO (json-c's "spaced" layout, its
 * string escapes, GDAL's number formats), without building a json-c
 * object and printing it per feature. out_writer.c decides what goes in
 * (fields, order, nulls); the GDAL path stays for the other formats and
 * behind INCIMAP_GEOJSON_GDAL=1, and tests compare the two byte for byte. */
#ifndef OUT_GEOJSON_H
#define OUT_GEOJSON_H

#include <stdbool.h>
#include <stddef.h>

#include "cx_err.h"

typedef struct outp_gj outp_gj; /* opaque */

/** Create `path` (NULL: standard output, which is flushed but not closed)
 *  and write the FeatureCollection's head with its "name". NULL and `err`
 *  filled on failure. Ownership: outp_gj_close() or outp_gj_abort(). */
outp_gj *outp_gj_open(const char *path, const char *name, cx_err *err);

/** Start a feature and its "properties" object. */
void outp_gj_begin(outp_gj *g);

/* Properties, in the order called. A NULL or empty string is null. */
void outp_gj_str(outp_gj *g, const char *key, const char *s);
/** A string as it is, "" included (NULL is null). */
void outp_gj_text(outp_gj *g, const char *key, const char *s);
/** An integer; null when `v < null_below`. */
void outp_gj_int(outp_gj *g, const char *key, long long v, long long null_below);
/** A real (GDAL's 17 significant digits, shortened past a 999999 or 000000
 *  run); null when not finite. */
void outp_gj_real(outp_gj *g, const char *key, double v);
void outp_gj_bool(outp_gj *g, const char *key, bool v);
void outp_gj_null(outp_gj *g, const char *key);
/** An array of strings (a StringList). */
void outp_gj_str_array(outp_gj *g, const char *key, char *const *s, size_t n);

/* A nested object inside a property value: open an array with
 * outp_gj_array_begin, objects with outp_gj_object_begin/_end (their
 * members with the property calls above), close with outp_gj_array_end. */
void outp_gj_array_begin(outp_gj *g, const char *key);
void outp_gj_array_end(outp_gj *g);
void outp_gj_object_begin(outp_gj *g);
void outp_gj_object_end(outp_gj *g);

/** End the properties and the feature with a Point geometry (x = lon, y =
 *  lat, 6 decimals). */
void outp_gj_end_point(outp_gj *g, double x, double y);

/** End the properties and the feature with a LineString of `n` points
 *  (xy pairs). */
void outp_gj_end_line(outp_gj *g, const double *xy, size_t n);

/** Write again the feature `src` wrote last (the same incident in its
 *  type's layer and in `incidents`): formatted once, copied. Valid until
 *  `src`'s next outp_gj_begin. */
void outp_gj_copy_last(outp_gj *g, const outp_gj *src);

/** Features written so far. */
long outp_gj_count(const outp_gj *g);

/** Write the collection's end, flush and close the file. 0, or CX_EOUT
 *  (with the file named in `err`) when any write failed (a full disk). A
 *  write error on standard output is left to the caller's ferror(stdout).
 *  Frees `g`; NULL is a no-op returning 0. */
int outp_gj_close(outp_gj *g, cx_err *err);

/** Close without finishing the collection (the file is left to the caller
 *  to remove) and free `g`. NULL is a no-op. */
void outp_gj_abort(outp_gj *g);

/* The number formats, exposed for the unit test. `buf` holds 80 bytes. */
/** A property value: GDAL's OGR_json_double_with_significant_figures. */
size_t outp_gj_fmt_real(char *buf, double v);
/** A coordinate: GDAL's OGRFormatDouble with 6 decimals. */
size_t outp_gj_fmt_coord(char *buf, double v);

#endif
