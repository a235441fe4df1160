/* names.c -- see names.h. */
#include "names.h"

#include <stdio.h>
#include <string.h>

#include "cx_text.h"

gaz_namer *cli_names_open(gaz_db *db, int names, const char *data_dir, const char *conflict,
                          cx_err *err)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/conflicts/%s.json", data_dir,
             conflict ? conflict : "armenia-azerbaijan");
    FILE *f = fopen(path, "rb");
    if (f)
        fclose(f);
    /* no conflict file: language names only */
    return gaz_namer_new(db, names, f ? path : NULL, err);
}

int cli_names_apply(gaz_namer *n, ext_incident *inc, cx_err *err)
{
    if (!n || !inc->place_id[0])
        return 0;
    char name[sizeof inc->place_name], alt[sizeof inc->place_alt];
    int rc = gaz_namer_name(n, inc->place_id, name, sizeof name, alt, sizeof alt, err);
    if (rc)
        return rc;
    if (name[0])
        cx_str_copy(inc->place_name, sizeof inc->place_name, name);
    cx_str_copy(inc->place_alt, sizeof inc->place_alt, alt);
    return 0;
}
