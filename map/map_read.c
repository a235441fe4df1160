/* map_read.c -- incidents for the map: the list, the filter, and reading a
 * layer through GDAL/OGR. It reads; it never writes layers (output/ does). */
#include "map.h"

#include <cpl_error.h>
#include <dirent.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

/* ===== The list ===== */

int map_list_add(map_list *l, const map_incident *inc)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        map_incident *p = realloc(l->items, cap * sizeof *p);
        if (!p)
            return CX_ENOMEM;
        l->items = p;
        l->cap = cap;
    }
    l->items[l->n++] = *inc;
    return 0;
}

void map_list_free(map_list *l)
{
    if (!l)
        return;
    free(l->items);
    l->items = NULL;
    l->n = l->cap = 0;
}

/* ===== Types and dates ===== */

static const char *const type_words[][2] = {
    {"shelling", "shellings"},
    {"clash", "clashes"},
    {"evacuation", "evacuations"},
};

int map_type_parse(const char *name)
{
    if (!name)
        return -1;
    for (int t = 0; t < MAP_NTYPES; t++)
        if (!strcasecmp(name, type_words[t][0]) || !strcasecmp(name, type_words[t][1]))
            return t;
    return -1;
}

const char *map_type_label_lang(int type, const char *lang)
{
    if (!lang || strcmp(lang, "fr") != 0)
        return map_type_label(type);
    switch (type) {
    case MAP_SHELLING: return "Bombardements";
    case MAP_CLASH: return "Affrontements";
    case MAP_EVACUATION: return "\xc3\x89vacuations";
    default: return "?";
    }
}

const char *map_type_label(int type)
{
    switch (type) {
    case MAP_SHELLING: return "Shelling";
    case MAP_CLASH: return "Clashes";
    case MAP_EVACUATION: return "Evacuations";
    default: return "?";
    }
}

int map_types_parse(const char *csv, unsigned *types, cx_err *err)
{
    unsigned bits = 0;
    const char *p = csv ? csv : "";
    for (;;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        char word[32];
        if (len == 0 || len >= sizeof word)
            return cx_err_set(err, CX_EINVAL, "--type", 0,
                              "expected a list of shelling, clash, evacuation, got '%s'",
                              csv ? csv : "");
        memcpy(word, p, len);
        word[len] = '\0';
        int t = map_type_parse(word);
        if (t < 0)
            return cx_err_set(err, CX_EINVAL, "--type", 0,
                              "unknown type '%s' (shelling, clash, evacuation)", word);
        bits |= 1u << t;
        if (!comma)
            break;
        p = comma + 1;
    }
    *types = bits;
    return 0;
}

static bool all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

/* 0 when `s` is "YYYY", "YYYY-MM" or "YYYY-MM-DD" with a real month/day. */
static int check_date(const char *s)
{
    size_t n = strlen(s);
    if (n != 4 && n != 7 && n != 10)
        return -1;
    if (!all_digits(s, 4))
        return -1;
    if (n >= 7) {
        if (s[4] != '-' || !all_digits(s + 5, 2))
            return -1;
        int m = (s[5] - '0') * 10 + (s[6] - '0');
        if (m < 1 || m > 12)
            return -1;
        if (n == 10) {
            if (s[7] != '-' || !all_digits(s + 8, 2))
                return -1;
            static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
            int d = (s[8] - '0') * 10 + (s[9] - '0');
            if (d < 1 || d > mdays[m - 1])
                return -1;
        }
    }
    return 0;
}

int map_date_parse(const char *s, char out[11], cx_err *err)
{
    if (!s || check_date(s) != 0)
        return cx_err_set(err, CX_EINVAL, NULL, 0,
                          "expected a date YYYY-MM-DD (or YYYY-MM, YYYY), got '%s'",
                          s ? s : "");
    snprintf(out, 11, "%s", s);
    return 0;
}

/* The first (end = false) or last day a partial date stands for, as a
 * comparable "YYYY-MM-DD" string ("2022-09" ends on "2022-09-31"). */
static void date_bound(const char *d, bool end, char out[11])
{
    memcpy(out, end ? "0000-12-31" : "0000-01-01", 11);
    size_t n = strnlen(d, 10);
    memcpy(out, d, n);
}

bool map_filter_match(const map_filter *f, const map_incident *inc)
{
    if (!f)
        return true;
    if (f->types && !(f->types & (1u << inc->type)))
        return false;
    if (!f->from[0] && !f->to[0])
        return true;
    if (!inc->date[0])
        return false;
    char a[11], b[11];
    if (f->from[0]) {
        date_bound(f->from, false, a);
        date_bound(inc->date, true, b);
        if (strcmp(b, a) < 0)
            return false;
    }
    if (f->to[0]) {
        date_bound(f->to, true, a);
        date_bound(inc->date, false, b);
        if (strcmp(b, a) > 0)
            return false;
    }
    return true;
}

/* ===== Reading through OGR ===== */

static bool is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The incidents layer file inside an OUT folder, in a fixed preference. */
static int find_in_folder(const char *dir, char *buf, size_t size, cx_err *err)
{
    static const char *const names[] = {"incidents.gpkg", "incidents.geojson",
                                        "incidents.json", "incidents.fgb",
                                        "incidents.shp", "incidents.csv"};
    struct stat st;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        snprintf(buf, size, "%s/%s", dir, names[i]);
        if (stat(buf, &st) == 0 && S_ISREG(st.st_mode))
            return 0;
    }
    /* A GeoPackage of any name (incimap writes OUT.gpkg with an incidents layer). */
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *e;
        int found = 0;
        while (!found && (e = readdir(d)) != NULL) {
            size_t n = strlen(e->d_name);
            if (n > 5 && !strcasecmp(e->d_name + n - 5, ".gpkg")) {
                snprintf(buf, size, "%s/%s", dir, e->d_name);
                found = 1;
            }
        }
        closedir(d);
        if (found)
            return 0;
    }
    return cx_err_set(err, CX_ENOTFOUND, dir, 0,
                      "no incidents layer in this folder (incidents.geojson, .gpkg, .shp, "
                      ".fgb or .csv)");
}

static bool has_suffix(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);
    return n >= m && !strcasecmp(s + n - m, suf);
}

static void copy_field(OGRFeatureH f, int idx, char *out, size_t size)
{
    out[0] = '\0';
    if (idx < 0 || !OGR_F_IsFieldSetAndNotNull(f, idx))
        return;
    snprintf(out, size, "%s", OGR_F_GetFieldAsString(f, idx));
}

/* An integer field, or `dflt` when unset, empty or not a number. */
static int int_field(OGRFeatureH f, int idx, int dflt)
{
    if (idx < 0 || !OGR_F_IsFieldSetAndNotNull(f, idx))
        return dflt;
    const char *s = OGR_F_GetFieldAsString(f, idx);
    char *end;
    long v = strtol(s, &end, 10);
    if (end == s || v < -1 || v > 1000000000L)
        return dflt;
    return (int)v;
}

static void date_field(OGRFeatureH f, OGRFeatureDefnH defn, int idx, char out[11])
{
    out[0] = '\0';
    if (idx < 0 || !OGR_F_IsFieldSetAndNotNull(f, idx))
        return;
    OGRFieldType ft = OGR_Fld_GetType(OGR_FD_GetFieldDefn(defn, idx));
    if (ft == OFTDate || ft == OFTDateTime) {
        int y, m, d, hh, mm, tz;
        float ss;
        if (OGR_F_GetFieldAsDateTimeEx(f, idx, &y, &m, &d, &hh, &mm, &ss, &tz) &&
            y > 0 && y < 10000 && m >= 1 && m <= 12 && d >= 1 && d <= 31)
            snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
        return;
    }
    char s[32];
    snprintf(s, sizeof s, "%s", OGR_F_GetFieldAsString(f, idx));
    /* Keep the longest valid prefix: "2022-09-13", "2022-09", "2022". */
    static const size_t lens[] = {10, 7, 4};
    for (size_t i = 0; i < 3; i++) {
        if (strlen(s) < lens[i])
            continue;
        char t[11];
        memcpy(t, s, lens[i]);
        t[lens[i]] = '\0';
        if (check_date(t) == 0) {
            memcpy(out, t, lens[i] + 1);
            return;
        }
    }
}

/* Read every point feature of `layer`. `hint` is the type the layer's name
 * implies, or -1. */
static int read_ogr_layer(OGRLayerH layer, const char *path, const map_filter *flt,
                          map_list *out, size_t *skipped, cx_err *err)
{
    int rc = 0;
    OGRCoordinateTransformationH ct = NULL;
    OGRSpatialReferenceH wgs84 = NULL;
    int hint = map_type_parse(OGR_L_GetName(layer));
    OGRSpatialReferenceH srs = OGR_L_GetSpatialRef(layer);
    if (srs) {
        wgs84 = OSRNewSpatialReference(NULL);
        if (!wgs84 || OSRImportFromEPSG(wgs84, 4326) != OGRERR_NONE) {
            rc = cx_err_set(err, CX_ENOMEM, path, 0, "cannot create WGS84");
            goto done;
        }
        OSRSetAxisMappingStrategy(wgs84, OAMS_TRADITIONAL_GIS_ORDER);
        if (!OSRIsSame(srs, wgs84)) {
            ct = OCTNewCoordinateTransformation(srs, wgs84);
            if (!ct) {
                rc = cx_err_set(err, CX_EIO, path, 0,
                                "cannot transform layer '%s' to WGS84: %s",
                                OGR_L_GetName(layer), CPLGetLastErrorMsg());
                goto done;
            }
        }
    }
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
    int i_type = OGR_FD_GetFieldIndex(defn, "type");
    int i_date = OGR_FD_GetFieldIndex(defn, "date");
    int i_pname = OGR_FD_GetFieldIndex(defn, "place_name");
    if (i_pname < 0)
        i_pname = OGR_FD_GetFieldIndex(defn, "place_nam"); /* a truncated DBF name */
    int i_place = OGR_FD_GetFieldIndex(defn, "place");
    int i_pid = OGR_FD_GetFieldIndex(defn, "place_id");
    int i_nsrc = OGR_FD_GetFieldIndex(defn, "n_sources");
    int i_fat = OGR_FD_GetFieldIndex(defn, "fatalities");
    int i_prec = OGR_FD_GetFieldIndex(defn, "geo_precision");
    if (i_prec < 0)
        i_prec = OGR_FD_GetFieldIndex(defn, "geo_prec");
    if (i_prec < 0)
        i_prec = OGR_FD_GetFieldIndex(defn, "geo_precis"); /* a truncated DBF name */

    OGR_L_ResetReading(layer);
    OGRFeatureH f;
    while ((f = OGR_L_GetNextFeature(layer)) != NULL) {
        map_incident inc = {.type = hint, .n_sources = 1, .fatalities = -1};
        char tname[32];
        copy_field(f, i_type, tname, sizeof tname);
        if (tname[0])
            inc.type = map_type_parse(tname);
        OGRGeometryH g = OGR_F_GetGeometryRef(f);
        if (g && wkbFlatten(OGR_G_GetGeometryType(g)) == wkbMultiPoint &&
            OGR_G_GetGeometryCount(g) > 0)
            g = OGR_G_GetGeometryRef(g, 0);
        bool usable = inc.type >= 0 && g && !OGR_G_IsEmpty(g) &&
                      wkbFlatten(OGR_G_GetGeometryType(g)) == wkbPoint;
        if (usable) {
            double x = OGR_G_GetX(g, 0), y = OGR_G_GetY(g, 0), z = 0;
            if (ct && !OCTTransform(ct, 1, &x, &y, &z))
                usable = false;
            inc.lon = x;
            inc.lat = y;
            if (!(x >= -180 && x <= 180 && y >= -90 && y <= 90))
                usable = false;
        }
        if (!usable) {
            if (skipped)
                (*skipped)++;
            OGR_F_Destroy(f);
            continue;
        }
        date_field(f, defn, i_date, inc.date);
        copy_field(f, i_pname, inc.place, sizeof inc.place);
        if (!inc.place[0])
            copy_field(f, i_place, inc.place, sizeof inc.place);
        copy_field(f, i_pid, inc.place_id, sizeof inc.place_id);
        inc.n_sources = int_field(f, i_nsrc, 1);
        if (inc.n_sources < 1)
            inc.n_sources = 1;
        inc.fatalities = int_field(f, i_fat, -1);
        inc.geo_prec = int_field(f, i_prec, 0);
        if (inc.geo_prec < 0 || inc.geo_prec > 3)
            inc.geo_prec = 0;
        OGR_F_Destroy(f);
        if (map_filter_match(flt, &inc) && map_list_add(out, &inc) != 0) {
            rc = cx_err_set(err, CX_ENOMEM, path, 0, "out of memory");
            goto done;
        }
    }
done:
    if (ct)
        OCTDestroyCoordinateTransformation(ct);
    if (wgs84)
        OSRDestroySpatialReference(wgs84);
    return rc;
}

int map_read_layer(const char *path, const map_filter *flt, map_list *out, size_t *skipped,
                   cx_err *err)
{
    int rc = 0;
    GDALDatasetH ds = NULL;
    char file[4096];
    CPLPushErrorHandler(CPLQuietErrorHandler);
    CPLErrorReset();
    if (is_dir(path)) {
        rc = find_in_folder(path, file, sizeof file, err);
        if (rc)
            goto done;
    } else {
        snprintf(file, sizeof file, "%s", path);
    }
    static const char *const csv_opts[] = {
        "X_POSSIBLE_NAMES=X,lon,longitude,lng", "Y_POSSIBLE_NAMES=Y,lat,latitude",
        "KEEP_GEOM_COLUMNS=NO", NULL};
    const char *const *opts = has_suffix(file, ".csv") ? csv_opts : NULL;
    ds = GDALOpenEx(file, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, opts, NULL);
    if (!ds) {
        struct stat st;
        if (stat(file, &st) != 0)
            rc = cx_err_set(err, CX_ENOTFOUND, file, 0, "no such file");
        else
            rc = cx_err_set(err, CX_EIO, file, 0, "not a vector layer GDAL can read%s%s",
                            CPLGetLastErrorMsg()[0] ? ": " : "", CPLGetLastErrorMsg());
        goto done;
    }
    OGRLayerH only = GDALDatasetGetLayerByName(ds, "incidents");
    if (only) {
        rc = read_ogr_layer(only, file, flt, out, skipped, err);
    } else {
        int n = GDALDatasetGetLayerCount(ds);
        if (n == 0) {
            rc = cx_err_set(err, CX_EIO, file, 0, "no layer");
            goto done;
        }
        for (int i = 0; i < n && rc == 0; i++)
            rc = read_ogr_layer(GDALDatasetGetLayer(ds, i), file, flt, out, skipped, err);
    }
done:
    if (ds)
        GDALClose(ds);
    CPLPopErrorHandler();
    return rc;
}
