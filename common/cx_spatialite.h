/* cx_spatialite.h -- SpatiaLite's SQL functions on one SQLite connection,
 * loaded as the SQLite extension Debian ships (mod_spatialite, package
 * libsqlite3-mod-spatialite) instead of linking libspatialite: a connection
 * that needs no spatial SQL (the gazetteer's look-ups, a read-only store)
 * does not load it, nor PROJ, GEOS and the rest it pulls (issue 20).
 *
 * The extension's entry point does what spatialite_alloc_connection() +
 * spatialite_init_ex() did: it registers the functions on that connection
 * with a cache of its own, which SQLite frees when the connection closes. */
#ifndef CX_SPATIALITE_H
#define CX_SPATIALITE_H

#include "cx_err.h"

typedef struct sqlite3 sqlite3;

/** Load SpatiaLite into `db`: $INCIMAP_SPATIALITE (a file) when set, else
 *  "mod_spatialite" from the library path. Extension loading is enabled for
 *  this call only (the C API; SQL's load_extension() stays off). `what`
 *  names the file the connection is for, in the error. Returns 0, or CX_EDB
 *  with an error naming the extension and SQLite's reason. */
int cx_spatialite_load(sqlite3 *db, const char *what, cx_err *err);

#endif
