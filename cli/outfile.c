/* outfile.c -- `-o FILE.ext` (one layer in one file). See outfile.h. */
#include "outfile.h"

#include "incident.h"
#include "options.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* The layer a one-layer file holds: the only type layer --layers names,
 * else the incidents layer (every type). NULL when --layers names several
 * type layers and not incidents. */
static const char *one_layer(unsigned layers, unsigned *mask)
{
    if (!layers || (layers & OUT_LAYER_ALL)) {
        *mask = OUT_LAYER_ALL;
        return "incidents";
    }
    int only = -1, n = 0;
    for (int t = 0; t < EXT_NTYPES; t++)
        if (layers & (1u << t))
            only = t, n++;
    if (n != 1)
        return NULL;
    *mask = 1u << only;
    return ext_type_layer(only);
}

static void rm_tree(const char *path, int depth)
{
    DIR *d = opendir(path);
    if (d) {
        struct dirent *de;
        char p[4400];
        while ((de = readdir(d)) != NULL) {
            if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
                continue;
            snprintf(p, sizeof p, "%s/%s", path, de->d_name);
            struct stat st;
            if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode) && depth < 3)
                rm_tree(p, depth + 1);
            else
                unlink(p);
        }
        closedir(d);
    }
    rmdir(path);
}

int cli_outfile_plan(cli_outfile *of, const char *path, const out_options *in, cx_err *err)
{
    memset(of, 0, sizeof *of);
    of->path = path;
    of->oo = *in;
    of->driver = cli_format_from_ext(path);
    if (!of->driver || !strcmp(of->driver, "GPKG") || !strcmp(path, "-") ||
        !strncasecmp(path, "PG:", 3))
        return 0; /* the writer's own cases */
    for (size_t i = 0; i < in->n_formats; i++) {
        const char *f = cli_format_name(in->formats[i]);
        if (!f || strcmp(f, of->driver))
            return cx_err_set(err, CX_EINVAL, path, 0,
                              "a .%s file is written as %s: -f %s does not apply (give a "
                              "folder, or a .gpkg file, for other or several formats)",
                              strrchr(path, '.') + 1, of->driver, in->formats[i]);
    }
    if (in->mode == OUT_MODE_APPEND)
        return cx_err_set(err, CX_EINVAL, path, 0,
                          "--append adds to a folder of layers or a .gpkg file, not to one "
                          "%s file",
                          of->driver);
    unsigned mask = 0;
    if (!(of->layer = one_layer(in->layers, &mask)))
        return cx_err_set(err, CX_EINVAL, path, 0,
                          "a .%s file holds one layer: --layers names several (give one, or "
                          "incidents, or write to a folder or a .gpkg file)",
                          strrchr(path, '.') + 1);
    struct stat st;
    if (stat(path, &st) == 0) {
        if (S_ISDIR(st.st_mode))
            return cx_err_set(err, CX_EOUT, path, 0, "output exists and is a folder");
        if (in->mode != OUT_MODE_OVERWRITE)
            return cx_err_set(err, CX_EOUT, path, 0, "output exists (use --overwrite)");
    }
    int n = snprintf(of->target, sizeof of->target, "%s", path);
    if (n <= 0 || (size_t)n >= sizeof of->target ||
        (size_t)snprintf(of->stage, sizeof of->stage, "%s.tmp-%ld-XXXXXX", path,
                         (long)getpid()) >= sizeof of->stage)
        return cx_err_set(err, CX_EINVAL, path, 0, "output path too long");
    if (!mkdtemp(of->stage)) {
        int e = errno;
        of->stage[0] = '\0';
        return cx_err_set(err, CX_EOUT, path, 0, "cannot write here: %s", strerror(e));
    }
    snprintf(of->inner, sizeof of->inner, "%s/layers", of->stage);
    of->single = true;
    of->format[0] = of->driver;
    of->path = of->inner;
    of->oo.formats = of->format;
    of->oo.n_formats = 1;
    of->oo.mode = OUT_MODE_CREATE;
    of->oo.layers = mask;
    of->oo.borders = NULL; /* one file, one layer */
    of->oo.borders_area = NULL;
    return 0;
}

int cli_outfile_commit(cli_outfile *of, cx_err *err)
{
    if (!of->single)
        return 0;
    /* FILE's base (without the extension) names the sidecars: t.shp, t.dbf, t.qml */
    char base[4096];
    snprintf(base, sizeof base, "%s", of->target);
    char *dot = strrchr(base, '.');
    if (dot)
        *dot = '\0';
    size_t ll = strlen(of->layer);
    /* the writer names the layer's file after the driver: incidents.geojson */
    const char *main_ext = !strcmp(of->driver, "GeoJSON")          ? "geojson"
                           : !strcmp(of->driver, "ESRI Shapefile") ? "shp"
                           : !strcmp(of->driver, "CSV")            ? "csv"
                                                                   : "fgb";
    DIR *d = opendir(of->inner);
    if (!d)
        return cx_err_set(err, CX_EOUT, of->inner, 0, "cannot read: %s", strerror(errno));
    struct dirent *de;
    int rc = 0;
    bool moved_main = false;
    char src[4600], dst[4400];
    /* sidecars first, the data file last: FILE appears when it is whole */
    for (int pass = 0; pass < 2 && !rc; pass++) {
        rewinddir(d);
        while ((de = readdir(d)) != NULL) {
            const char *e = de->d_name;
            if (strncmp(e, of->layer, ll) != 0 || e[ll] != '.')
                continue;
            const char *ext = e + ll + 1;
            bool is_main = !strcmp(ext, main_ext);
            if (is_main != (pass == 1))
                continue;
            snprintf(src, sizeof src, "%s/%s", of->inner, e);
            if (is_main)
                snprintf(dst, sizeof dst, "%s", of->target);
            else
                snprintf(dst, sizeof dst, "%s.%s", base, ext);
            if (rename(src, dst) != 0) {
                rc = cx_err_set(err, CX_EOUT, dst, 0, "cannot write: %s", strerror(errno));
                break;
            }
            moved_main |= is_main;
        }
    }
    closedir(d);
    if (!rc && !moved_main)
        rc = cx_err_set(err, CX_EOUT, of->target, 0, "the %s layer was not written",
                        of->layer);
    if (!rc)
        cli_outfile_cleanup(of);
    return rc;
}

void cli_outfile_cleanup(cli_outfile *of)
{
    if (of && of->stage[0]) {
        rm_tree(of->stage, 0);
        of->stage[0] = '\0';
    }
}
