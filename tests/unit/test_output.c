/* test_output.c -- the layer writer in every file format, read back with
 * ogrinfo (field names and types) and with OGR (values): Shapefile limits,
 * RFC 7946 GeoJSON, byte-identical GeoJSON/CSV, -t_srs, --overwrite/--append,
 * safe writes (errors leave nothing), styles, the borders layer and border_km
 * on the real world-atlas polygons (skipped when the vendor file is absent).
 *
 * Usage: test_output WORKDIR [STYLES_DIR] [COUNTRIES_FILE] */
#include "borders.h"
#include "check.h"
#include "cx_text.h"
#include "out_fixtures.h"
#include "writer.h"

#include <errno.h>
#include <fcntl.h>
#include <gdal.h>
#include <math.h>
#include <ogr_api.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *g_styles;    /* test inputs, set once in main */
static const char *g_countries; /* NULL when absent */
static char g_work[1024];

#define NEAR(a, b, tol) CHECK(fabs((a) - (b)) <= (tol))

/* ===== Helpers ===== */

static void path_in(char *buf, size_t size, const char *name)
{
    snprintf(buf, size, "%s/%s", g_work, name);
}

static bool exists(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    if (s && fread(s, 1, (size_t)n, fp) != (size_t)n) {
        free(s);
        s = NULL;
    }
    fclose(fp);
    if (s) {
        s[n] = '\0';
        if (len)
            *len = (size_t)n;
    }
    return s;
}

static bool same_file(const char *a, const char *b)
{
    size_t la = 0, lb = 0;
    char *x = slurp(a, &la), *y = slurp(b, &lb);
    bool same = x && y && la == lb && memcmp(x, y, la) == 0;
    free(x);
    free(y);
    return same;
}

/* Entries of `dir` whose name contains ".tmp-" (leftover staging folders). */
static int count_tmp(const char *dir)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "ls -a '%s' | grep -c '\\.tmp-'", dir);
    FILE *p = popen(cmd, "r");
    int n = -1;
    if (p) {
        if (fscanf(p, "%d", &n) != 1)
            n = -1;
        pclose(p);
    }
    return n;
}

typedef struct run_opts {
    const char *const *formats;
    size_t n_formats;
    const char *t_srs;
    int mode;
    int set;
    bool styles, borders;
    unsigned layers;
} run_opts;

static int run(const char *out, const run_opts *r, cx_err *err)
{
    out_options o = {.formats = r->formats,
                     .n_formats = r->n_formats,
                     .t_srs = r->t_srs,
                     .mode = r->mode,
                     .layers = r->layers,
                     .styles_dir = r->styles ? g_styles : NULL,
                     .borders = r->borders ? g_countries : NULL};
    ext_incident inc[8];
    size_t n = outt_fixture_set(r->set, inc, 8);
    cx_err_clear(err);
    out_writer *w = out_writer_open(out, &o, err);
    int rc = err->code ? err->code : CX_EOUT;
    if (w) {
        rc = 0;
        for (size_t i = 0; i < n && !rc; i++)
            rc = out_writer_add(w, &inc[i], err);
        if (rc)
            out_writer_abort(w);
        else
            rc = out_writer_close(w, err);
    }
    for (size_t i = 0; i < n; i++)
        ext_incident_clear(&inc[i]);
    return rc;
}

/* ogrinfo -so output of one layer. Caller frees. */
static char *ogrinfo(const char *path, const char *layer)
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "ogrinfo -ro -so '%s' '%s' 2>&1", path, layer);
    FILE *p = popen(cmd, "r");
    if (!p)
        return NULL;
    size_t cap = 65536, len = 0;
    char *s = malloc(cap);
    size_t n;
    while (s && (n = fread(s + len, 1, cap - len - 1, p)) > 0)
        len += n;
    pclose(p);
    if (s)
        s[len] = '\0';
    return s;
}

/* Check that ogrinfo shows `field: TYPE (` for every pair. */
static void check_fields(const char *path, const char *layer, const char *const *pairs)
{
    char *info = ogrinfo(path, layer);
    CHECK(info != NULL);
    if (!info)
        return;
    for (size_t i = 0; pairs[i]; i += 2) {
        char want[128];
        snprintf(want, sizeof want, "\n%s: %s (", pairs[i], pairs[i + 1]);
        if (!strstr(info, want)) {
            fprintf(stderr, "  %s %s: no \"%s: %s\"\n", path, layer, pairs[i], pairs[i + 1]);
            CHECK(strstr(info, want) != NULL);
        }
    }
    free(info);
}

static GDALDatasetH open_ro(const char *path)
{
    return GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
}

static long count_features(const char *path, const char *layer)
{
    GDALDatasetH ds = open_ro(path);
    if (!ds)
        return -1;
    OGRLayerH l = layer ? GDALDatasetGetLayerByName(ds, layer) : GDALDatasetGetLayer(ds, 0);
    long n = l ? (long)OGR_L_GetFeatureCount(l, TRUE) : -1;
    GDALClose(ds);
    return n;
}

/* The common part of the expected schema (types that every format keeps). */
#define COMMON_FIELDS COMMON_FIELDS_NO_BOOL, "contested", "Integer(Boolean)"
/* GDAL 3.6 writes no Logical field in a Shapefile: 0/1 in an Integer(1) */
#define COMMON_FIELDS_NO_BOOL                                                           \
    "type", "String", "date_prec", "String", "date_text", "String", "place", "String",   \
        "place_name", "String", "place_id", "String", "country", "String", "admin1",   \
        "String", "geo_prec", "Integer", "actor1", "String", "actor2", "String",       \
        "claimed_by", "String", "fatalities", "Integer", "fatal_max", "Integer",       \
        "injured", "Integer", "n_sources", "Integer", "evidence", "String",            \
        "confidence", "Real", "border_km", "Real"

/* ===== Every format ===== */

static void test_all_formats(void)
{
    static const char *const fmts[] = {"GeoJSON", "ESRI Shapefile", "GPKG", "CSV",
                                       "FlatGeobuf"};
    run_opts r = {.formats = fmts, .n_formats = 5, .styles = true, .borders = g_countries != NULL};
    char out[1100], p[1200];
    cx_err err;
    path_in(out, sizeof out, "all");
    CHECK_INT_EQ(run(out, &r, &err), 0);
    if (err.code)
        fprintf(stderr, "  %s: %s\n", err.source, err.msg);
    CHECK_INT_EQ(count_tmp(g_work), 0);

    static const char *const layers[] = {"shelling", "clashes", "evacuations", "incidents"};
    static const long counts[] = {2, 1, 1, 4};
    static const char *const exts[] = {"geojson", "shp", "csv", "fgb"};
    for (int e = 0; e < 4; e++)
        for (int l = 0; l < 4; l++) {
            snprintf(p, sizeof p, "%s/%s.%s", out, layers[l], exts[e]);
            CHECK(exists(p));
            CHECK_INT_EQ(count_features(p, NULL), counts[l]);
        }
    snprintf(p, sizeof p, "%s/incimap.gpkg", out);
    for (int l = 0; l < 4; l++)
        CHECK_INT_EQ(count_features(p, layers[l]), counts[l]);
    static const char *const shp_parts[] = {"shp", "shx", "dbf", "prj", "cpg"};
    for (int i = 0; i < 5; i++) {
        snprintf(p, sizeof p, "%s/incidents.%s", out, shp_parts[i]);
        CHECK(exists(p));
    }
    snprintf(p, sizeof p, "%s/incidents.cpg", out);
    char *cpg = slurp(p, NULL);
    CHECK(cpg && strncmp(cpg, "UTF-8", 5) == 0);
    free(cpg);
    for (int l = 0; l < 4; l++) {
        snprintf(p, sizeof p, "%s/%s.qml", out, layers[l]);
        CHECK(exists(p));
    }

    /* field names and types, as ogrinfo shows them */
    static const char *const geojson[] = {COMMON_FIELDS, "date", "Date", "doc_ids", "StringList",
                                          NULL};
    static const char *const typed[] = {COMMON_FIELDS, "date", "Date", "doc_ids", "String", NULL};
    static const char *const shp[] = {COMMON_FIELDS_NO_BOOL, "contested", "Integer", "date",
                                      "Date", "doc_ids", "String", NULL};
    static const char *const fgb[] = {COMMON_FIELDS, "date", "DateTime", "doc_ids", "String",
                                      NULL};
    snprintf(p, sizeof p, "%s/incidents.geojson", out);
    check_fields(p, "incidents", geojson);
    snprintf(p, sizeof p, "%s/incidents.shp", out);
    check_fields(p, "incidents", shp);
    snprintf(p, sizeof p, "%s/incidents.csv", out);
    check_fields(p, "incidents", typed);
    snprintf(p, sizeof p, "%s/incidents.fgb", out);
    check_fields(p, "incidents", fgb);
    snprintf(p, sizeof p, "%s/incimap.gpkg", out);
    for (int l = 0; l < 4; l++)
        check_fields(p, layers[l], typed);
    char *info = ogrinfo(p, "incidents");
    CHECK(info && strstr(info, "Geometry: Point") && strstr(info, "EPSG\",4326"));
    free(info);

    /* GeoJSON: RFC 7946, no crs member, lon/lat order, JSON array of ids */
    snprintf(p, sizeof p, "%s/incidents.geojson", out);
    char *gj = slurp(p, NULL);
    CHECK(gj != NULL);
    if (gj) {
        CHECK(strstr(gj, "\"crs\"") == NULL);
        CHECK(strstr(gj, "\"coordinates\": [ 46.7519, 39.8153 ]") != NULL);
        CHECK(strstr(gj, "\"doc_ids\": [ \"001_a27da\", \"004_3e796\" ]") != NULL);
        CHECK(strstr(gj, "\"date\": \"2021-05-01\", \"date_prec\": \"month\", \"date_text\": "
                         "\"2021-05\"") != NULL);
        CHECK(strstr(gj, "\"fatalities\": null") != NULL);
        CHECK(strstr(gj, "\"contested\": true") != NULL);
        CHECK(strstr(gj, "\"place\": \"Sotk’\"") != NULL);
        /* fields in the fixed order */
        const char *t = strstr(gj, "\"type\": \"shelling\", \"date\"");
        CHECK(t != NULL);
    }
    free(gj);

    /* CSV: geometry as WKT, doc ids comma-separated */
    snprintf(p, sizeof p, "%s/incidents.csv", out);
    char *csv = slurp(p, NULL);
    CHECK(csv && strncmp(csv, "WKT,type,date,date_prec,date_text,place,", 40) == 0);
    CHECK(csv && strstr(csv, "\"POINT (46.7519 39.8153)\",shelling,2020-10-04,day,2020-10-04,"));
    CHECK(csv && strstr(csv, "\"001_a27da,004_3e796\""));
    free(csv);

    /* Shapefile: evidence cut at a character boundary, valid UTF-8 */
    snprintf(p, sizeof p, "%s/incidents.shp", out);
    GDALDatasetH ds = open_ro(p);
    CHECK(ds != NULL);
    if (ds) {
        OGRLayerH l = GDALDatasetGetLayer(ds, 0);
        OGRFeatureH f = OGR_L_GetNextFeature(l);
        CHECK(f != NULL);
        if (f) {
            int ei = OGR_F_GetFieldIndex(f, "evidence");
            const char *ev = OGR_F_GetFieldAsString(f, ei);
            CHECK_INT_EQ(strlen(ev), OUTT_EVIDENCE_SHP_LEN);
            CHECK(cx_utf8_valid(ev, strlen(ev), NULL));
            CHECK(strncmp(ev, OUTT_EVIDENCE_PREFIX, strlen(OUTT_EVIDENCE_PREFIX)) == 0);
            CHECK_STR_EQ(OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "admin1")), "Xankəndi");
            CHECK_STR_EQ(OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "doc_ids")),
                         "001_a27da,004_3e796");
            int y = 0, m = 0, d = 0, hh, mm, tz;
            float ss;
            CHECK(OGR_F_GetFieldAsDateTimeEx(f, OGR_F_GetFieldIndex(f, "date"), &y, &m, &d, &hh,
                                             &mm, &ss, &tz));
            CHECK(y == 2020 && m == 10 && d == 4);
            OGR_F_Destroy(f);
        }
        /* every string of every feature is valid UTF-8 and <= 254 bytes */
        OGR_L_ResetReading(l);
        int bad = 0;
        while ((f = OGR_L_GetNextFeature(l)) != NULL) {
            for (int i = 0; i < OGR_F_GetFieldCount(f); i++) {
                const char *s = OGR_F_GetFieldAsString(f, i);
                if (strlen(s) > 254 || !cx_utf8_valid(s, strlen(s), NULL))
                    bad++;
            }
            /* unknown numbers are null */
            if (!strcmp(OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "place")), "Goris"))
                CHECK(!OGR_F_IsFieldSetAndNotNull(f, OGR_F_GetFieldIndex(f, "fatalities")));
            OGR_F_Destroy(f);
        }
        CHECK_INT_EQ(bad, 0);
        GDALClose(ds);
    }

    /* GPKG: dates are dates, styles in layer_styles (default) */
    snprintf(p, sizeof p, "%s/incimap.gpkg", out);
    ds = open_ro(p);
    CHECK(ds != NULL);
    if (ds) {
        OGRLayerH st = GDALDatasetExecuteSQL(
            ds,
            "SELECT f_table_name, useAsDefault, f_geometry_column, f_table_schema, "
            "length(styleQML) > 100 AS ok FROM layer_styles ORDER BY f_table_name",
            NULL, NULL);
        CHECK(st != NULL);
        int n = 0;
        OGRFeatureH f;
        while (st && (f = OGR_L_GetNextFeature(st)) != NULL) {
            n++;
            CHECK_INT_EQ(OGR_F_GetFieldAsInteger(f, 1), 1);
            CHECK_STR_EQ(OGR_F_GetFieldAsString(f, 2), "geom");
            CHECK_STR_EQ(OGR_F_GetFieldAsString(f, 3), "");
            CHECK_INT_EQ(OGR_F_GetFieldAsInteger(f, 4), 1);
            OGR_F_Destroy(f);
        }
        CHECK_INT_EQ(n, g_countries ? 5 : 4);
        if (st)
            GDALDatasetReleaseResultSet(ds, st);
        GDALClose(ds);
    }

    /* borders layer: lines between two named countries near the incidents */
    if (g_countries) {
        snprintf(p, sizeof p, "%s/borders.geojson", out);
        long nb = count_features(p, NULL);
        CHECK(nb > 0);
        char *b = slurp(p, NULL);
        CHECK(b && strstr(b, "\"country_a\": \"Armenia\"") && strstr(b, "\"LineString\""));
        free(b);
        snprintf(p, sizeof p, "%s/borders.shp", out);
        CHECK_INT_EQ(count_features(p, NULL), nb);
        snprintf(p, sizeof p, "%s/incimap.gpkg", out);
        CHECK_INT_EQ(count_features(p, "borders"), nb);
        static const char *const bf[] = {"country_a", "String", "country_b", "String", NULL};
        snprintf(p, sizeof p, "%s/borders.shp", out);
        check_fields(p, "borders", bf);
    }
}

/* ===== Determinism ===== */

static void test_deterministic(void)
{
    static const char *const fmts[] = {"GeoJSON", "CSV"};
    run_opts r = {.formats = fmts, .n_formats = 2, .borders = g_countries != NULL};
    char a[1100], b[1100], pa[1200], pb[1200];
    cx_err err;
    path_in(a, sizeof a, "det1");
    path_in(b, sizeof b, "det2");
    CHECK_INT_EQ(run(a, &r, &err), 0);
    CHECK_INT_EQ(run(b, &r, &err), 0);
    static const char *const files[] = {"incidents.geojson", "shelling.geojson",
                                        "incidents.csv",     "incidents.csvt",
                                        "clashes.csv",       NULL};
    for (int i = 0; files[i]; i++) {
        snprintf(pa, sizeof pa, "%s/%s", a, files[i]);
        snprintf(pb, sizeof pb, "%s/%s", b, files[i]);
        CHECK(exists(pa));
        CHECK(same_file(pa, pb));
    }
    if (g_countries) {
        snprintf(pa, sizeof pa, "%s/borders.geojson", a);
        snprintf(pb, sizeof pb, "%s/borders.geojson", b);
        CHECK(same_file(pa, pb));
    }
}

/* ===== -t_srs ===== */

static bool first_point(const char *path, const char *layer, double *x, double *y)
{
    GDALDatasetH ds = open_ro(path);
    bool ok = false;
    if (!ds)
        return false;
    OGRLayerH l = layer ? GDALDatasetGetLayerByName(ds, layer) : GDALDatasetGetLayer(ds, 0);
    OGRFeatureH f = l ? OGR_L_GetNextFeature(l) : NULL;
    OGRGeometryH g = f ? OGR_F_GetGeometryRef(f) : NULL;
    if (g) {
        *x = OGR_G_GetX(g, 0);
        *y = OGR_G_GetY(g, 0);
        ok = true;
    }
    OGR_F_Destroy(f);
    GDALClose(ds);
    return ok;
}

static void test_t_srs(void)
{
    static const char *const fmts[] = {"ESRI Shapefile", "GPKG", "CSV", "FlatGeobuf"};
    static const struct {
        const char *srs, *dir, *epsg;
        double x, y; /* 45E 40N, from cs2cs */
    } cases[] = {{"EPSG:32638", "utm", "32638", 500000.000, 4427757.219},
                 {"EPSG:3857", "merc", "3857", 5009377.086, 4865942.280}};
    cx_err err;
    char out[1100], p[1200];
    for (size_t c = 0; c < 2; c++) {
        run_opts r = {.formats = fmts, .n_formats = 4, .t_srs = cases[c].srs, .set = 2,
                      .borders = g_countries != NULL};
        path_in(out, sizeof out, cases[c].dir);
        CHECK_INT_EQ(run(out, &r, &err), 0);
        if (err.code)
            fprintf(stderr, "  %s: %s\n", err.source, err.msg);
        static const char *const files[] = {"incidents.shp", "incimap.gpkg", "incidents.csv",
                                            "incidents.fgb"};
        for (int i = 0; i < 4; i++) {
            double x = 0, y = 0;
            snprintf(p, sizeof p, "%s/%s", out, files[i]);
            CHECK(first_point(p, "incidents", &x, &y));
            NEAR(x, cases[c].x, 0.01);
            NEAR(y, cases[c].y, 0.01);
            char *info = ogrinfo(p, "incidents");
            char want[64];
            snprintf(want, sizeof want, "\"EPSG\",%s]]", cases[c].epsg);
            CHECK(info && strstr(info, want));
            free(info);
        }
    }
    /* GeoJSON refuses -t_srs (also the default formats, which include it) */
    run_opts r = {.t_srs = "EPSG:32638", .set = 2};
    path_in(out, sizeof out, "utm_geojson");
    CHECK_INT_EQ(run(out, &r, &err), CX_EINVAL);
    CHECK_STR_EQ(err.source, "EPSG:32638");
    CHECK(strstr(err.msg, "-t_srs cannot be used with GeoJSON") != NULL);
    CHECK(!exists(out));
    /* a bad CRS */
    static const char *const shp[] = {"ESRI Shapefile"};
    run_opts bad = {.formats = shp, .n_formats = 1, .t_srs = "EPSG:999999", .set = 2};
    CHECK_INT_EQ(run(out, &bad, &err), CX_EINVAL);
    CHECK(strstr(err.msg, "unknown target CRS") != NULL);
    CHECK(!exists(out));
    CHECK_INT_EQ(count_tmp(g_work), 0);
}

/* ===== --overwrite / --append ===== */

static void test_modes(void)
{
    static const char *const fmts[] = {"GeoJSON", "ESRI Shapefile", "GPKG", "CSV", "FlatGeobuf"};
    static const char *const files[] = {"incidents.geojson", "incidents.shp", "incimap.gpkg",
                                        "incidents.csv", "incidents.fgb"};
    cx_err err;
    char out[1100], p[1200], keep[1200];
    path_in(out, sizeof out, "modes");
    run_opts r = {.formats = fmts, .n_formats = 5, .styles = true};
    CHECK_INT_EQ(run(out, &r, &err), 0);

    /* create again: refused, the old output untouched */
    snprintf(p, sizeof p, "%s/incidents.geojson", out);
    snprintf(keep, sizeof keep, "%s/keep.geojson", g_work);
    char cmd[2600];
    snprintf(cmd, sizeof cmd, "cp '%s' '%s'", p, keep);
    CHECK(system(cmd) == 0);
    r.set = 1;
    CHECK_INT_EQ(run(out, &r, &err), CX_EOUT);
    CHECK(strstr(err.msg, "output exists (use --overwrite or --append)") != NULL);
    CHECK(strstr(err.source, "modes/") != NULL);
    CHECK(same_file(p, keep));
    CHECK_INT_EQ(count_tmp(g_work), 0);

    /* overwrite: replaced by set 1 (2 incidents) */
    r.mode = OUT_MODE_OVERWRITE;
    CHECK_INT_EQ(run(out, &r, &err), 0);
    for (int i = 0; i < 5; i++) {
        snprintf(p, sizeof p, "%s/%s", out, files[i]);
        CHECK_INT_EQ(count_features(p, "incidents"), 2);
    }
    snprintf(p, sizeof p, "%s/shelling.geojson", out);
    CHECK_INT_EQ(count_features(p, NULL), 0);

    /* append: set 0 (4 incidents) after the 2 */
    r.mode = OUT_MODE_APPEND;
    r.set = 0;
    CHECK_INT_EQ(run(out, &r, &err), 0);
    if (err.code)
        fprintf(stderr, "  %s: %s\n", err.source, err.msg);
    for (int i = 0; i < 5; i++) {
        snprintf(p, sizeof p, "%s/%s", out, files[i]);
        CHECK_INT_EQ(count_features(p, "incidents"), 6);
    }
    snprintf(p, sizeof p, "%s/clashes.shp", out);
    CHECK_INT_EQ(count_features(p, NULL), 2);
    /* the appended GeoJSON keeps its fields: first the old ones, then the new */
    snprintf(p, sizeof p, "%s/incidents.geojson", out);
    char *gj = slurp(p, NULL);
    const char *jer = gj ? strstr(gj, "Jermuk") : NULL, *ste = gj ? strstr(gj, "Stepanakert") : NULL;
    CHECK(jer && ste && jer < ste);
    CHECK(gj && strstr(gj, "\"doc_ids\": [ \"001_a27da\", \"004_3e796\" ]"));
    free(gj);
    snprintf(p, sizeof p, "%s/incimap.gpkg", out);
    static const char *const typed[] = {COMMON_FIELDS, "date", "Date", "doc_ids", "String", NULL};
    check_fields(p, "incidents", typed);
    /* one default style per layer after the append */
    GDALDatasetH ds = open_ro(p);
    if (ds) {
        OGRLayerH st = GDALDatasetExecuteSQL(
            ds, "SELECT count(*) FROM layer_styles WHERE f_table_name = 'incidents'", NULL, NULL);
        OGRFeatureH f = st ? OGR_L_GetNextFeature(st) : NULL;
        CHECK(f && OGR_F_GetFieldAsInteger(f, 0) == 1);
        OGR_F_Destroy(f);
        if (st)
            GDALDatasetReleaseResultSet(ds, st);
        GDALClose(ds);
    }
    CHECK_INT_EQ(count_tmp(g_work), 0);

    /* a single .gpkg file as OUT */
    char gpkg[1100];
    path_in(gpkg, sizeof gpkg, "single.gpkg");
    run_opts g = {.styles = true};
    CHECK_INT_EQ(run(gpkg, &g, &err), 0);
    CHECK_INT_EQ(count_features(gpkg, "incidents"), 4);
    CHECK_INT_EQ(run(gpkg, &g, &err), CX_EOUT);
    g.mode = OUT_MODE_APPEND;
    CHECK_INT_EQ(run(gpkg, &g, &err), 0);
    CHECK_INT_EQ(count_features(gpkg, "incidents"), 8);
    g.mode = OUT_MODE_OVERWRITE;
    g.set = 1;
    CHECK_INT_EQ(run(gpkg, &g, &err), 0);
    CHECK_INT_EQ(count_features(gpkg, "incidents"), 2);
    CHECK_INT_EQ(count_tmp(g_work), 0);
}

/* ===== Errors leave nothing ===== */

static void test_errors(void)
{
    cx_err err;
    char out[1300], p[1200];
    run_opts r = {0};

    /* an unwritable place: below a regular file, and in /proc */
    path_in(p, sizeof p, "plainfile");
    FILE *fp = fopen(p, "w");
    CHECK(fp != NULL);
    if (fp)
        fclose(fp);
    snprintf(out, sizeof out, "%s/out", p);
    CHECK_INT_EQ(run(out, &r, &err), CX_EOUT);
    CHECK_STR_EQ(err.source, out);
    CHECK(strstr(err.msg, "cannot write here") != NULL);
    CHECK(strstr(err.msg, "Not a directory") != NULL);
    CHECK_INT_EQ(run("/proc/incimap-out", &r, &err), CX_EOUT);
    CHECK(strstr(err.msg, "cannot write here") != NULL);
    CHECK(!exists("/proc/incimap-out"));
    path_in(out, sizeof out, "missing/deeper/out");
    CHECK_INT_EQ(run(out, &r, &err), CX_EOUT);
    CHECK(strstr(err.msg, "No such file or directory") != NULL);

    /* OUT is a file */
    CHECK_INT_EQ(run(p, &r, &err), CX_EOUT);
    CHECK(strstr(err.msg, "not a folder") != NULL);

    /* option errors */
    static const char *const nope[] = {"NoSuchDriver"};
    run_opts bad = {.formats = nope, .n_formats = 1};
    path_in(out, sizeof out, "err");
    CHECK_INT_EQ(run(out, &bad, &err), CX_ENOTFOUND);
    CHECK_STR_EQ(err.source, "NoSuchDriver");
    CHECK(strstr(err.msg, "unknown output format") != NULL);
    static const char *const shp[] = {"ESRI Shapefile"};
    bad.formats = shp;
    path_in(out, sizeof out, "x.gpkg");
    CHECK_INT_EQ(run(out, &bad, &err), CX_EINVAL);
    CHECK(strstr(err.msg, "a .gpkg path takes -f GPKG only") != NULL);
    CHECK_INT_EQ(run("PG:dbname=none", &bad, &err), CX_EINVAL);
    CHECK(strstr(err.msg, "connection string") != NULL);
    static const char *const pg[] = {"PostgreSQL"};
    bad.formats = pg;
    path_in(out, sizeof out, "err");
    CHECK_INT_EQ(run(out, &bad, &err), CX_EINVAL);
    CHECK_INT_EQ(run("-", &bad, &err), CX_EINVAL);
    CHECK(strstr(err.msg, "standard output takes GeoJSON only") != NULL);
    run_opts sty = {.styles = true};
    const char *saved = g_styles;
    g_styles = "/nonexistent-styles";
    CHECK_INT_EQ(run(out, &sty, &err), CX_ENOTFOUND);
    CHECK_STR_EQ(err.source, "/nonexistent-styles/shelling.qml");
    g_styles = saved;
    out_options o = {0};
    o.borders = "/nonexistent/countries.json";
    cx_err_clear(&err);
    CHECK(out_writer_open(out, &o, &err) == NULL);
    CHECK_INT_EQ(err.code, CX_ENOTFOUND);
    CHECK(strstr(err.msg, "cannot open the country polygons") != NULL);
    CHECK(!exists(out));

    /* abort drops everything */
    cx_err_clear(&err);
    o.borders = NULL;
    out_writer *w = out_writer_open(out, &o, &err);
    CHECK(w != NULL);
    ext_incident inc[8];
    size_t n = outt_fixture_set(0, inc, 8);
    CHECK_INT_EQ(out_writer_add(w, &inc[0], &err), 0);
    inc[1].lat = NAN;
    CHECK_INT_EQ(out_writer_add(w, &inc[1], &err), CX_EINVAL);
    CHECK(strstr(err.msg, "without valid coordinates") != NULL);
    out_writer_abort(w);
    for (size_t i = 0; i < n; i++)
        ext_incident_clear(&inc[i]);
    CHECK(!exists(out));
    CHECK_INT_EQ(count_tmp(g_work), 0);
    out_writer_abort(NULL);
    CHECK_INT_EQ(out_writer_close(NULL, &err), 0);
}

/* ===== stdout ===== */

static void test_stdout(void)
{
    char p[1200];
    path_in(p, sizeof p, "stdout.geojson");
    fflush(stdout);
    int saved = dup(1);
    int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    CHECK(saved >= 0 && fd >= 0);
    dup2(fd, 1);
    close(fd);
    cx_err err;
    run_opts r = {0};
    int rc = run("-", &r, &err);
    fflush(stdout);
    dup2(saved, 1);
    close(saved);
    CHECK_INT_EQ(rc, 0);
    char *s = slurp(p, NULL);
    CHECK(s && strstr(s, "\"name\": \"incidents\"") && strstr(s, "\"Goris\""));
    free(s);
    CHECK_INT_EQ(count_features(p, NULL), 4);
}

/* ===== border_km on the real polygons ===== */

typedef struct vmin {
    double lat, lon, best;
} vmin;

static int min_vertex(void *ctx, int a, int b, const double *pts, size_t n)
{
    vmin *v = ctx;
    (void)a, (void)b;
    for (size_t i = 0; i < n; i++)
        v->best = fmin(v->best, geo_dist_km(v->lat, v->lon, pts[2 * i + 1], pts[2 * i]));
    return 0;
}

static void test_border_km(void)
{
    if (!g_countries) {
        printf("SKIP border_km: no countries-10m.json (run scripts/fetch-data.sh)\n");
        return;
    }
    cx_err err = {0};
    out_borders *b = out_borders_open(g_countries, NULL, &err);
    CHECK(b != NULL);
    if (!b)
        return;
    CHECK(geo_border_index_count(out_borders_index(b)) > 10000);
    /* points around the Caucasus: the index agrees with a brute-force minimum
     * over all border vertices of a wide box (vertices bound from above;
     * segment interiors are at most a few hundred metres closer) */
    static const double pts[][2] = {{39.8153, 46.7519}, {39.5075, 46.3383}, {40.2069, 45.9389},
                                    {40.1792, 44.4991}, {40.4093, 49.8671}, {41.7151, 44.8271},
                                    {38.5, 48.9}};
    for (size_t i = 0; i < sizeof pts / sizeof pts[0]; i++) {
        double km = out_borders_distance_km(b, pts[i][0], pts[i][1]);
        vmin v = {pts[i][0], pts[i][1], INFINITY};
        geo_border_index_lines(out_borders_index(b), 30, 30, 65, 50, min_vertex, &v);
        if (!(km <= v.best + 1e-6 && km >= v.best - 1.0))
            fprintf(stderr, "  (%g, %g): index %.3f km, vertices %.3f km\n", pts[i][0],
                    pts[i][1], km, v.best);
        CHECK(km <= v.best + 1e-6 && km >= v.best - 1.0);
    }
    /* Goris is near the Armenia-Azerbaijan border; Baku is not near any */
    CHECK(out_borders_distance_km(b, 39.5075, 46.3383) < 15);
    CHECK(out_borders_distance_km(b, 40.4093, 49.8671) > 150);
    CHECK_STR_EQ(out_borders_country_name(b, -1), "");
    /* loading only the countries around an area gives the same distances in it */
    static const double area[4] = {43.0, 38.3, 50.5, 41.9};
    cx_err err2 = {0};
    out_borders *ba = out_borders_open(g_countries, area, &err2);
    CHECK(ba != NULL);
    if (ba) {
        CHECK(geo_border_index_count(out_borders_index(ba)) <
              geo_border_index_count(out_borders_index(b)));
        for (size_t i = 0; i + 1 < sizeof pts / sizeof pts[0]; i++) {
            double d1 = out_borders_distance_km(b, pts[i][0], pts[i][1]);
            double d2 = out_borders_distance_km(ba, pts[i][0], pts[i][1]);
            CHECK(fabs(d1 - d2) < 1e-6);
        }
        out_borders_close(ba);
    }
    out_borders_close(b);

    /* the writer fills border_km when the incident has none */
    static const char *const fmts[] = {"GeoJSON"};
    run_opts r = {.formats = fmts, .n_formats = 1, .borders = true};
    char out[1100], p[1200];
    path_in(out, sizeof out, "bkm");
    CHECK_INT_EQ(run(out, &r, &err), 0);
    snprintf(p, sizeof p, "%s/incidents.geojson", out);
    char *s = slurp(p, NULL);
    CHECK(s && strstr(s, "\"border_km\": 31.25")); /* given: kept */
    CHECK(s && !strstr(s, "\"border_km\": null")); /* computed for the others */
    free(s);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: test_output WORKDIR [STYLES_DIR] [COUNTRIES_FILE]\n");
        return 2;
    }
    snprintf(g_work, sizeof g_work, "%s", argv[1]);
    char cmd[2200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s' && mkdir -p '%s'", g_work, g_work);
    if (system(cmd) != 0)
        return 2;
    g_styles = argc > 2 ? argv[2] : NULL;
    g_countries = argc > 3 && exists(argv[3]) ? argv[3] : NULL;
    GDALAllRegister();
    test_all_formats();
    test_deterministic();
    test_t_srs();
    test_modes();
    test_errors();
    test_stdout();
    test_border_km();
    GDALDestroyDriverManager();
    CHECK_DONE();
}
