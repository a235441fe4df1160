/* pool.c -- the gazetteer's read index for a run, and extraction on every
 * core. See pool.h. */
#include "pool.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cx_err.h"

void cli_gazetteer_index(gaz_db *db, cli_msgs *m)
{
    const char *off = getenv("INCIMAP_NO_INDEX"); /* benchmarks and tests: SQLite only */
    if (off && *off && strcmp(off, "0") != 0)
        return;
    char cache[4096];
    const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
    if (xdg && *xdg)
        snprintf(cache, sizeof cache, "%s/incimap", xdg);
    else if (home && *home)
        snprintf(cache, sizeof cache, "%s/.cache/incimap", home);
    else
        cache[0] = '\0';
    cx_err err;
    cx_err_clear(&err);
    if (gaz_use_index(db, cache[0] ? cache : NULL, &err) != 0)
        cli_notef(m, 1, "gazetteer index unavailable (%s: %s): look-ups go to SQLite",
                  err.source, err.msg);
}
