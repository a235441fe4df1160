/* out_fixture.c -- write the hand-made test incidents through the layer writer.
 *
 *   out_fixture OUT [-f DRIVER]... [-t_srs SRS] [--overwrite|--append]
 *               [--styles DIR] [--borders FILE] [--set N]
 *
 * Set 0 (default) holds four incidents around the Armenia–Azerbaijan border
 * with accents, partial dates, null numbers and a 401-byte evidence string;
 * set 1 holds two other incidents (for --append/--overwrite checks); set 2 is
 * one point at 45E 40N (reprojection checks). Used by tests/postgis/run.sh,
 * tests/qgis/run.sh and by hand. Exit 0, or 1 with the error on stderr. */
#include "out_fixtures.h"
#include "writer.h"

#include <gdal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    const char *formats[8];
    out_options o = {.formats = formats};
    const char *out = NULL;
    int set = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool more = i + 1 < argc;
        if (!strcmp(a, "-f") && more && o.n_formats < 8)
            formats[o.n_formats++] = argv[++i];
        else if (!strcmp(a, "-t_srs") && more)
            o.t_srs = argv[++i];
        else if (!strcmp(a, "--overwrite"))
            o.mode = OUT_MODE_OVERWRITE;
        else if (!strcmp(a, "--append"))
            o.mode = OUT_MODE_APPEND;
        else if (!strcmp(a, "--styles") && more)
            o.styles_dir = argv[++i];
        else if (!strcmp(a, "--borders") && more)
            o.borders = argv[++i];
        else if (!strcmp(a, "--set") && more)
            set = (int)strtol(argv[++i], NULL, 10);
        else if (!out && (a[0] != '-' || !strcmp(a, "-")))
            out = a;
        else {
            fprintf(stderr, "usage: out_fixture OUT [-f DRIVER]... [-t_srs SRS] "
                            "[--overwrite|--append] [--styles DIR] [--borders FILE] [--set N]\n");
            return 2;
        }
    }
    if (!out) {
        fprintf(stderr, "out_fixture: no OUT\n");
        return 2;
    }
    GDALAllRegister();
    cx_err err = {0};
    int rc = 1;
    ext_incident inc[8];
    size_t n = outt_fixture_set(set, inc, 8);
    out_writer *w = out_writer_open(out, &o, &err);
    if (w) {
        rc = 0;
        for (size_t i = 0; i < n && !rc; i++)
            rc = out_writer_add(w, &inc[i], &err) != 0;
        if (rc)
            out_writer_abort(w);
        else
            rc = out_writer_close(w, &err) != 0;
    }
    if (rc) {
        char msg[1024];
        cx_err_format(&err, msg, sizeof msg);
        fprintf(stderr, "out_fixture: %s\n", msg);
    }
    for (size_t i = 0; i < n; i++)
        ext_incident_clear(&inc[i]);
    GDALDestroyDriverManager();
    return rc;
}
