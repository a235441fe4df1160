/* cx_spatialite.c -- see cx_spatialite.h. */
#include "cx_spatialite.h"

#include <sqlite3.h>
#include <stdlib.h>

int cx_spatialite_load(sqlite3 *db, const char *what, cx_err *err)
{
    const char *env = getenv("INCIMAP_SPATIALITE");
    const char *lib = env && *env ? env : "mod_spatialite";
    char *msg = NULL;
    int rc = sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 1, (int *)NULL);
    if (rc == SQLITE_OK) {
        rc = sqlite3_load_extension(db, lib, NULL, &msg);
        sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, (int *)NULL);
    }
    if (rc != SQLITE_OK) {
        cx_err_set(err, CX_EDB, what, 0,
                   "cannot load SpatiaLite's SQLite extension %s (Debian package "
                   "libsqlite3-mod-spatialite; or set INCIMAP_SPATIALITE to its file): %s",
                   lib, msg ? msg : sqlite3_errstr(rc));
        sqlite3_free(msg);
        return CX_EDB;
    }
    return 0;
}
