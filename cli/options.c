/* options.c -- option tables. See options.h. */
#include "options.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

void cli_opts_getopt(const cli_opt *t, size_t n, struct option *longs, char *shorts)
{
    size_t ns = 0;
    shorts[ns++] = ':'; /* report a missing argument as ':' */
    for (size_t i = 0; i < n; i++) {
        longs[i] = (struct option){t[i].lng, t[i].has_arg, NULL, t[i].val};
        if (t[i].val < 256) {
            shorts[ns++] = (char)t[i].val;
            if (t[i].has_arg)
                shorts[ns++] = ':';
        }
    }
    shorts[ns] = '\0';
    longs[n] = (struct option){NULL, 0, NULL, 0};
}

void cli_opts_print(FILE *f, const cli_opt *t, size_t n, const char *const *groups,
                    int n_groups, int single_dash_val)
{
    for (int g = 0; g < n_groups; g++) {
        fprintf(f, "  %s\n", groups[g]);
        for (size_t i = 0; i < n; i++) {
            const cli_opt *o = &t[i];
            if (o->group != g)
                continue;
            const char *a = o->arg ? o->arg : "", *sp = o->arg ? " " : "";
            if (o->val == single_dash_val)
                fprintf(f, "    -%s%s%s\n", o->lng, sp, a);
            else if (o->val < 256)
                fprintf(f, "    -%c, --%s%s%s\n", o->val, o->lng, sp, a);
            else
                fprintf(f, "    --%s%s%s\n", o->lng, sp, a);
            for (const char *h = o->help; *h;) {
                const char *nl = strchr(h, '\n');
                int len = nl ? (int)(nl - h) : (int)strlen(h);
                fprintf(f, "        %.*s\n", len, h);
                h += len + (nl ? 1 : 0);
            }
        }
    }
}

char **cli_opts_argv(int argc, char **argv)
{
    static const char tsrs[] = "--t_srs";
    size_t ptrs = ((size_t)argc + 1) * sizeof(char *);
    char **av = calloc(1, ptrs + sizeof tsrs);
    if (!av)
        return NULL;
    char *s = (char *)av + ptrs;
    memcpy(s, tsrs, sizeof tsrs);
    for (int i = 0; i < argc; i++)
        av[i] = strcmp(argv[i], "-t_srs") == 0 ? s : argv[i];
    return av;
}

const char *cli_format_name(const char *name)
{
    static const struct {
        const char *alias, *driver;
    } names[] = {{"GeoJSON", "GeoJSON"},       {"ESRI Shapefile", "ESRI Shapefile"},
                 {"Shapefile", "ESRI Shapefile"}, {"SHP", "ESRI Shapefile"},
                 {"GPKG", "GPKG"},             {"CSV", "CSV"},
                 {"FlatGeobuf", "FlatGeobuf"}, {"FGB", "FlatGeobuf"},
                 {"PostgreSQL", "PostgreSQL"}, {"PG", "PostgreSQL"},
                 {"PostGIS", "PostgreSQL"}};
    for (size_t i = 0; name && i < sizeof names / sizeof names[0]; i++)
        if (!strcasecmp(name, names[i].alias))
            return names[i].driver;
    return NULL;
}

const char *cli_format_from_ext(const char *path)
{
    static const struct {
        const char *ext, *driver;
    } exts[] = {{".geojson", "GeoJSON"}, {".json", "GeoJSON"}, {".shp", "ESRI Shapefile"},
                {".csv", "CSV"},         {".fgb", "FlatGeobuf"}, {".gpkg", "GPKG"}};
    size_t n = path ? strlen(path) : 0;
    for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++) {
        size_t k = strlen(exts[i].ext);
        if (n > k && path[n - k - 1] != '/' && !strcasecmp(path + n - k, exts[i].ext))
            return exts[i].driver;
    }
    return NULL;
}
