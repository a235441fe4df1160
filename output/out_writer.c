/* out_writer.c -- incident layers through GDAL/OGR in several formats at once,
 * written under a staging folder and moved into place by out_writer_close().
 * See writer.h for the API and docs/output.md for the rules (file names,
 * field types per format, --overwrite/--append). It does not extract, sort or
 * merge incidents: it writes them in the order it is given. */
#include "writer.h"

/* This file is built twice (docs/modules.md):
 * - OUT_GDAL=1 (the default): every format, GDAL/OGR for all but the native
 *   GeoJSON. The `output` library (unit tests) and, with OUT_MODULE=1 and
 *   the entry points renamed, the GDAL module incimap-gdal.so.
 * - OUT_GDAL=0: the incimap executable's writer, which links no GDAL. It
 *   writes what needs no GDAL (GeoJSON by out_geojson.c, styles, borders,
 *   the staging and the swap) and hands every other output, whole, to the
 *   module's writer, loaded at that moment (out_module.h). */
#ifndef OUT_GDAL
#define OUT_GDAL 1
#endif
#if OUT_MODULE
#define out_writer_open outm_writer_open
#define out_writer_add outm_writer_add
#define out_writer_close outm_writer_close
#define out_writer_abort outm_writer_abort
out_writer *outm_writer_open(const char *path, const out_options *opts, cx_err *err);
int outm_writer_add(out_writer *w, const ext_incident *inc, cx_err *err);
int outm_writer_close(out_writer *w, cx_err *err);
void outm_writer_abort(out_writer *w);
#endif

#include "borders.h"
#include "out_geojson.h"
#include "geo_admin.h"
#include "out_fs.h"
#include "cx_cleanup.h"
#include "cx_lock.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include <ogr_core.h> /* field types (a header only: OUT_GDAL=0 calls no GDAL) */
#include <sqlite3.h>
#if OUT_GDAL
#include <cpl_error.h>
#include <cpl_string.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#else
#include "out_module.h"
typedef void *GDALDatasetH, *OGRLayerH, *OGRSpatialReferenceH, *OGRCoordinateTransformationH;
#define CPLPushErrorHandler(h) ((void)0)
#define CPLPopErrorHandler() ((void)0)
#define CPLErrorReset() ((void)0)
#endif

/* ===== Formats and layers ===== */

enum { F_GEOJSON, F_SHP, F_GPKG, F_CSV, F_FGB, F_PG, F_N };
enum { L_SHELLING, L_CLASHES, L_EVACUATIONS, L_INCIDENTS, L_BORDERS, L_N };

typedef struct fmt_info {
    const char *driver; /* OGR driver name */
    const char *ext;    /* file extension of a per-layer file, NULL for one dataset */
} fmt_info;

static const fmt_info FMTS[F_N] = {
    [F_GEOJSON] = {"GeoJSON", "geojson"}, [F_SHP] = {"ESRI Shapefile", "shp"},
    [F_GPKG] = {"GPKG", NULL},            [F_CSV] = {"CSV", "csv"},
    [F_FGB] = {"FlatGeobuf", "fgb"},      [F_PG] = {"PostgreSQL", NULL},
};

static const char *const LAYER_NAMES[L_N] = {"shelling", "clashes", "evacuations",
                                             "incidents", "borders"};

#define GPKG_DEFAULT_NAME "incimap.gpkg"
#define COORD_PRECISION "6" /* decimals of a degree in GeoJSON: ~0.1 m */

/* The incident fields, in this order in every format. `shp_width` is the
 * Shapefile width (bytes) of strings; UTF-8 text longer than that is cut on a
 * character boundary. */
enum {
    FLD_TYPE, FLD_DATE, FLD_DATE_PREC, FLD_DATE_TEXT, FLD_PLACE, FLD_PLACE_NAME,
    FLD_PLACE_ALT, FLD_PLACE_ID, FLD_COUNTRY, FLD_ADMIN1, FLD_GEO_PREC, FLD_ACTOR1, FLD_ACTOR2,
    FLD_CLAIMED_BY, FLD_FATALITIES, FLD_FATAL_MAX, FLD_INJURED, FLD_DOC_IDS, FLD_N_SOURCES,
    FLD_EVIDENCE, FLD_CONFIDENCE, FLD_BORDER_KM, FLD_CONTESTED, FLD_REVIEW,
    /* issue 18: ids, ACLED-style fields, provenance */
    FLD_INCIDENT_ID, FLD_TIME_PREC, FLD_SUB_TYPE, FLD_ADMIN2, FLD_PLACE_UNIT, FLD_INJ_MAX,
    FLD_N_REPRINTS, FLD_URL, FLD_OUTLET, FLD_LATITUDE, FLD_LONGITUDE,
    FLD_SOURCES, /* GeoJSON only: the sources as an array of objects */
    FLD_N
};

typedef struct field_info {
    const char *name;
    OGRFieldType type;
    OGRFieldSubType sub;
    int shp_width, shp_prec;
    const char *shp_name; /* the name in a Shapefile (10 bytes at most), NULL: `name` */
} field_info;

static const field_info FIELDS[FLD_N] = {
    {"type", OFTString, OFSTNone, 10, 0, NULL},
    {"date", OFTDate, OFSTNone, 0, 0, NULL},
    {"date_prec", OFTString, OFSTNone, 7, 0, NULL},
    {"date_text", OFTString, OFSTNone, 10, 0, NULL},
    {"place", OFTString, OFSTNone, 127, 0, NULL},
    {"place_name", OFTString, OFSTNone, 127, 0, NULL},
    {"place_alt", OFTString, OFSTNone, 127, 0, NULL},
    {"place_id", OFTString, OFSTNone, 47, 0, NULL},
    {"country", OFTString, OFSTNone, 2, 0, NULL},
    {"admin1", OFTString, OFSTNone, 95, 0, NULL},
    {"geo_prec", OFTInteger, OFSTNone, 1, 0, NULL},
    {"actor1", OFTString, OFSTNone, 63, 0, NULL},
    {"actor2", OFTString, OFSTNone, 63, 0, NULL},
    {"claimed_by", OFTString, OFSTNone, 127, 0, NULL},
    {"fatalities", OFTInteger, OFSTNone, 9, 0, NULL},
    {"fatal_max", OFTInteger, OFSTNone, 9, 0, NULL},
    {"injured", OFTInteger, OFSTNone, 9, 0, NULL},
    {"doc_ids", OFTString, OFSTNone, 254, 0, NULL}, /* OFTStringList in GeoJSON */
    {"n_sources", OFTInteger, OFSTNone, 6, 0, NULL},
    {"evidence", OFTString, OFSTNone, 254, 0, NULL},
    {"confidence", OFTReal, OFSTNone, 5, 3, NULL},
    {"border_km", OFTReal, OFSTNone, 10, 3, NULL},
    {"contested", OFTInteger, OFSTBoolean, 1, 0, NULL},
    {"review", OFTString, OFSTNone, 10, 0, NULL}, /* store_review.h: the analyst's verdict */
    {"incident_id", OFTString, OFSTNone, 16, 0, "incident_i"},
    {"time_prec", OFTInteger, OFSTNone, 1, 0, NULL},
    {"sub_type", OFTString, OFSTNone, 31, 0, NULL},
    {"admin2", OFTString, OFSTNone, 95, 0, NULL},
    {"place_unit", OFTString, OFSTNone, 127, 0, NULL},
    {"inj_max", OFTInteger, OFSTNone, 9, 0, NULL},
    {"n_reprints", OFTInteger, OFSTNone, 6, 0, NULL},
    {"url", OFTString, OFSTNone, 254, 0, NULL},
    {"outlet", OFTString, OFSTNone, 127, 0, NULL},
    {"latitude", OFTReal, OFSTNone, 10, 6, NULL},
    {"longitude", OFTReal, OFSTNone, 11, 6, NULL},
    {"sources", OFTString, OFSTJSON, 0, 0, NULL},
};

#if OUT_GDAL
/* The name of field k in format f. */
static const char *field_name(int f, int k)
{
    return f == F_SHP && FIELDS[k].shp_name ? FIELDS[k].shp_name : FIELDS[k].name;
}

/* Whether format f has field k: `sources` is GeoJSON's (GeoPackage and
 * PostGIS have a sources table; the flat formats the first URL and counts). */
static bool has_field(int f, int k) { return k != FLD_SOURCES || f == F_GEOJSON; }

/* The type of field k in format f: a CSV date is ISO text (GDAL writes a
 * Date as 2020/09/27), typed Date in its .csvt. */
static OGRFieldType field_type(int f, int k)
{
    if (k == FLD_DOC_IDS && f == F_GEOJSON)
        return OFTStringList;
    if (k == FLD_DATE && f == F_CSV)
        return OFTString;
    return FIELDS[k].type;
}

#endif

/* The sources table of GeoPackage and PostGIS: one row per source. */
enum { SFLD_INCIDENT_ID, SFLD_DOC_ID, SFLD_URL, SFLD_OUTLET, SFLD_PUBLISHED, SFLD_EVIDENCE,
       SFLD_CLAIMED_BY, SFLD_TRIGGER_START, SFLD_TRIGGER_END, SFLD_PLACE_START, SFLD_PLACE_END,
       SFLD_N };
#if OUT_GDAL
static const char *const SFIELDS[SFLD_N] = {"incident_id",   "doc_id",      "url",
                                            "outlet",        "published",   "evidence",
                                            "claimed_by",    "trigger_start", "trigger_end",
                                            "place_start",   "place_end"};
/* From SFLD_TRIGGER_START on, integers: characters of the evidence (issue 21). */
#endif
#define SOURCES_LAYER "sources"

/* The borders layer: one line feature per border polyline. */
enum { BFLD_COUNTRY_A, BFLD_COUNTRY_B, BFLD_N };
static const char *const BFIELDS[BFLD_N] = {"country_a", "country_b"};

/* ===== The writer ===== */

typedef struct target {
    bool used;
    long written[L_N];    /* features written (appended ones included) */
    GDALDatasetH ds[L_N]; /* per-layer files: one each; GPKG/PG/stdout: ds[0] */
    OGRLayerH lyr[L_N];
    int fld[L_N][FLD_N]; /* field index in each layer, -1 when absent (append) */
    OGRLayerH src_lyr;   /* GPKG/PG: the sources table, NULL otherwise */
    outp_gj *gj[L_N];    /* GeoJSON written by out_geojson.c instead of GDAL, or NULL */
    int sfld[SFLD_N];
} target;

struct out_writer {
    int mode;
    bool to_stdout, pg, gpkg_file; /* gpkg_file: OUT itself is the .gpkg */
    bool want[L_N];
    char out[4096];       /* OUT as given (folder, .gpkg file) */
    char stage[4096];     /* staging folder, "" when none */
    char gpkg_name[256];  /* file name of the GeoPackage inside stage/OUT */
    char gpkg_path[4096]; /* its final path: OUT itself, or OUT/<gpkg_name> */
    char *pg_conn;
    target tg[F_N];
    OGRSpatialReferenceH srs_wgs, srs_out;
    OGRCoordinateTransformationH ct;          /* WGS84 -> t_srs, NULL if none */
    OGRCoordinateTransformationH ct_inv;      /* t_srs -> WGS84, NULL if none */
    out_borders *borders;
    geo_admin *admin; /* one name per unit, or NULL */
    int admin_lang;
    char *qml[L_N]; /* style templates, NULL when no styles_dir */
    double ext[4];  /* lon/lat extent of the incidents written */
    bool have_ext;
    bool pg_txn;
    cx_lock *lock;     /* one run at a time per output (cx_lock.h) */
    int clean_slot;    /* the stage in the signal-cleanup table, or -1 */
    bool gpkg_inplace; /* the GeoPackage (OUT.gpkg or OUT/incimap.gpkg) updated in
                          place, in one transaction */
    bool gpkg_txn;
    bool gj_gdal; /* INCIMAP_GEOJSON_GDAL=1: GeoJSON through GDAL (tests compare) */
#if !OUT_GDAL
    const out_module *mod; /* an output that needs GDAL: the module's writer */
    out_writer *full;      /* ... which writes it all; everything above unused */
#endif
};

#if OUT_GDAL
static int gdal_fail(cx_err *err, const char *source, const char *what)
{
    const char *m = CPLGetLastErrorMsg();
    return cx_err_set(err, CX_EOUT, source, 0, "%s%s%s", what, *m ? ": " : "", m);
}

#endif

static bool ends_with_ci(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

static int parse_format(const char *name)
{
    for (int f = 0; f < F_N; f++)
        if (strcasecmp(name, FMTS[f].driver) == 0)
            return f;
    if (!strcasecmp(name, "Shapefile") || !strcasecmp(name, "SHP"))
        return F_SHP;
    if (!strcasecmp(name, "PG") || !strcasecmp(name, "PostGIS"))
        return F_PG;
    if (!strcasecmp(name, "FGB"))
        return F_FGB;
    return -1;
}

static char *read_file(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    char *buf = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (cap - len < 4096) {
            size_t nc = cap ? 2 * cap : 16384;
            char *p = realloc(buf, nc);
            if (!p) {
                free(buf);
                fclose(fp);
                return NULL;
            }
            buf = p;
            cap = nc;
        }
        size_t n = fread(buf + len, 1, cap - len - 1, fp);
        len += n;
        if (n == 0)
            break;
    }
    bool bad = ferror(fp);
    fclose(fp);
    if (bad) {
        free(buf);
        return NULL;
    }
    buf[len] = '\0';
    return buf;
}

/* ===== Layer creation ===== */

static bool is_folder_format(int f)
{
    return FMTS[f].ext != NULL;
}

#if OUT_GDAL
/* Layer creation options per format. Returned list is owned by the caller
 * (CSLDestroy). */
static char **layer_options(const out_writer *w, int f, int layer)
{
    char **o = NULL;
    switch (f) {
    case F_GEOJSON:
        o = CSLSetNameValue(o, "RFC7946", "YES");
        o = CSLSetNameValue(o, "COORDINATE_PRECISION", COORD_PRECISION);
        o = CSLSetNameValue(o, "WRITE_BBOX", "NO");
        break;
    case F_SHP:
        o = CSLSetNameValue(o, "ENCODING", "UTF-8");
        break;
    case F_GPKG:
        o = CSLSetNameValue(o, "GEOMETRY_NAME", "geom");
        o = CSLSetNameValue(o, "FID", "fid");
        o = CSLSetNameValue(o, "SPATIAL_INDEX", "YES");
        break;
    case F_CSV:
        o = CSLSetNameValue(o, "GEOMETRY", "AS_WKT");
        o = CSLSetNameValue(o, "CREATE_CSVT", "YES");
        o = CSLSetNameValue(o, "LINEFORMAT", "LF");
        break;
    case F_FGB:
        o = CSLSetNameValue(o, "SPATIAL_INDEX", "YES");
        break;
    case F_PG:
        o = CSLSetNameValue(o, "GEOMETRY_NAME", "geom");
        o = CSLSetNameValue(o, "FID", "fid");
        o = CSLSetNameValue(o, "LAUNDER", "YES");
        if (w->mode == OUT_MODE_OVERWRITE || layer == L_BORDERS)
            o = CSLSetNameValue(o, "OVERWRITE", "YES");
        break;
    default:
        break;
    }
    return o;
}

static int create_fields(OGRLayerH lyr, int f, int layer, cx_err *err)
{
    if (layer == L_BORDERS) {
        for (int i = 0; i < BFLD_N; i++) {
            OGRFieldDefnH fd = OGR_Fld_Create(BFIELDS[i], OFTString);
            if (f == F_SHP)
                OGR_Fld_SetWidth(fd, 100);
            OGRErr e = OGR_L_CreateField(lyr, fd, TRUE);
            OGR_Fld_Destroy(fd);
            if (e != OGRERR_NONE)
                return gdal_fail(err, BFIELDS[i], "cannot create the field");
        }
        return 0;
    }
    for (int i = 0; i < FLD_N; i++) {
        if (!has_field(f, i))
            continue;
        OGRFieldType t = field_type(f, i);
        OGRFieldDefnH fd = OGR_Fld_Create(field_name(f, i), t);
        if (t == FIELDS[i].type)
            OGR_Fld_SetSubType(fd, FIELDS[i].sub);
        if (f == F_SHP) {
            OGR_Fld_SetWidth(fd, FIELDS[i].shp_width);
            OGR_Fld_SetPrecision(fd, FIELDS[i].shp_prec);
        }
        OGRErr e = OGR_L_CreateField(lyr, fd, TRUE);
        OGR_Fld_Destroy(fd);
        if (e != OGRERR_NONE)
            return gdal_fail(err, FIELDS[i].name, "cannot create the field");
    }
    return 0;
}

static void map_fields(target *t, int f, int layer)
{
    OGRFeatureDefnH d = OGR_L_GetLayerDefn(t->lyr[layer]);
    for (int i = 0; i < FLD_N; i++)
        t->fld[layer][i] = layer == L_BORDERS || !has_field(f, i)
                               ? -1
                               : OGR_FD_GetFieldIndex(d, field_name(f, i));
}

/* GPKG/PG: open (append) or create the sources table in `ds`. */
static int open_sources(out_writer *w, int f, GDALDatasetH ds, cx_err *err)
{
    target *t = &w->tg[f];
    OGRLayerH lyr = NULL;
    if (w->mode == OUT_MODE_APPEND)
        lyr = GDALDatasetGetLayerByName(ds, SOURCES_LAYER);
    if (!lyr && f == F_PG && w->mode == OUT_MODE_CREATE &&
        GDALDatasetGetLayerByName(ds, SOURCES_LAYER))
        return cx_err_set(err, CX_EOUT, SOURCES_LAYER, 0,
                          "table exists in the database (use --overwrite or --append)");
    if (!lyr) {
        char **o = NULL;
        if (f == F_PG) {
            o = CSLSetNameValue(o, "FID", "fid");
            if (w->mode == OUT_MODE_OVERWRITE)
                o = CSLSetNameValue(o, "OVERWRITE", "YES");
        } else {
            o = CSLSetNameValue(o, "FID", "fid");
        }
        lyr = GDALDatasetCreateLayer(ds, SOURCES_LAYER, NULL, wkbNone, o);
        CSLDestroy(o);
        if (!lyr)
            return gdal_fail(err, SOURCES_LAYER, "cannot create the sources table");
    }
    OGRFeatureDefnH d = OGR_L_GetLayerDefn(lyr);
    for (int i = 0; i < SFLD_N; i++) {
        if (OGR_FD_GetFieldIndex(d, SFIELDS[i]) < 0) {
            OGRFieldDefnH fd =
                OGR_Fld_Create(SFIELDS[i], i >= SFLD_TRIGGER_START ? OFTInteger : OFTString);
            OGRErr e = OGR_L_CreateField(lyr, fd, TRUE);
            OGR_Fld_Destroy(fd);
            if (e != OGRERR_NONE)
                return gdal_fail(err, SFIELDS[i], "cannot create the field");
        }
    }
    d = OGR_L_GetLayerDefn(lyr);
    for (int i = 0; i < SFLD_N; i++)
        t->sfld[i] = OGR_FD_GetFieldIndex(d, SFIELDS[i]);
    t->src_lyr = lyr;
    return 0;
}

/* Open (or create) layer `layer` of format `f` in dataset `ds`. In APPEND mode
 * an existing layer is reused and missing fields are added. */
static int open_layer(out_writer *w, int f, int layer, GDALDatasetH ds, cx_err *err)
{
    target *t = &w->tg[f];
    const char *name = LAYER_NAMES[layer];
    OGRLayerH lyr = NULL;
    if (w->mode == OUT_MODE_APPEND && layer != L_BORDERS && (f == F_GPKG || f == F_PG))
        lyr = GDALDatasetGetLayerByName(ds, name);
    if (!lyr && f == F_GPKG && layer == L_BORDERS) { /* derived: replace it */
        for (int i = 0; i < GDALDatasetGetLayerCount(ds); i++)
            if (!strcmp(OGR_L_GetName(GDALDatasetGetLayer(ds, i)), name)) {
                if (GDALDatasetDeleteLayer(ds, i) != OGRERR_NONE)
                    return gdal_fail(err, name, "cannot replace the borders layer");
                break;
            }
    }
    if (!lyr && f == F_PG && w->mode == OUT_MODE_CREATE &&
        GDALDatasetGetLayerByName(ds, name))
        return cx_err_set(err, CX_EOUT, name, 0,
                          "table exists in the database (use --overwrite or --append)");
    if (lyr) {
        /* appending in place: the features already there count too */
        t->written[layer] = (long)OGR_L_GetFeatureCount(lyr, TRUE);
        OGRFeatureDefnH d = OGR_L_GetLayerDefn(lyr);
        for (int i = 0; i < FLD_N; i++)
            if (has_field(f, i) && OGR_FD_GetFieldIndex(d, field_name(f, i)) < 0) {
                OGRFieldDefnH fd = OGR_Fld_Create(field_name(f, i), field_type(f, i));
                OGR_Fld_SetSubType(fd, FIELDS[i].sub);
                OGRErr e = OGR_L_CreateField(lyr, fd, TRUE);
                OGR_Fld_Destroy(fd);
                if (e != OGRERR_NONE)
                    return gdal_fail(err, name, "cannot add a field to the existing layer");
            }
    } else {
        char **opts = layer_options(w, f, layer);
        lyr = GDALDatasetCreateLayer(ds, name, w->srs_out,
                                     layer == L_BORDERS ? wkbLineString : wkbPoint, opts);
        CSLDestroy(opts);
        if (!lyr)
            return gdal_fail(err, name, "cannot create the layer");
        int rc = create_fields(lyr, f, layer, err);
        if (rc)
            return rc;
    }
    t->lyr[layer] = lyr;
    map_fields(t, f, layer);
    return 0;
}

static GDALDatasetH create_ds(const char *driver, const char *path, cx_err *err)
{
    GDALDriverH drv = GDALGetDriverByName(driver);
    if (!drv) {
        cx_err_set(err, CX_ENOTFOUND, driver, 0, "GDAL has no such driver");
        return NULL;
    }
    GDALDatasetH ds = GDALCreate(drv, path, 0, 0, 0, GDT_Unknown, NULL);
    if (!ds)
        gdal_fail(err, path, "cannot create");
    return ds;
}

#endif

/* ===== Append: copy the features of an existing per-layer file ===== */

static void grow_ext(out_writer *w, double lon, double lat)
{
    if (!isfinite(lon) || !isfinite(lat))
        return;
    if (!w->have_ext) {
        w->ext[0] = w->ext[2] = lon;
        w->ext[1] = w->ext[3] = lat;
        w->have_ext = true;
        return;
    }
    w->ext[0] = fmin(w->ext[0], lon);
    w->ext[1] = fmin(w->ext[1], lat);
    w->ext[2] = fmax(w->ext[2], lon);
    w->ext[3] = fmax(w->ext[3], lat);
}

/* Grow the lon/lat extent with a point given in the output CRS. */
#if OUT_GDAL
static void grow_ext_out(out_writer *w, double x, double y)
{
    double z = 0;
    if (w->ct_inv && !OCTTransform(w->ct_inv, 1, &x, &y, &z))
        return;
    grow_ext(w, x, y);
}

static int copy_features(out_writer *w, int f, int layer, const char *old_path, cx_err *err)
{
    int rc = 0;
    OGRFeatureH src = NULL, dst = NULL;
    OGRCoordinateTransformationH ct = NULL;
    GDALDatasetH old = GDALOpenEx(old_path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
    if (!old)
        return gdal_fail(err, old_path, "cannot open the existing layer to append to");
    OGRLayerH in = GDALDatasetGetLayer(old, 0);
    OGRLayerH out = w->tg[f].lyr[layer];
    OGRSpatialReferenceH s = in ? OGR_L_GetSpatialRef(in) : NULL;
    if (!in) {
        rc = cx_err_set(err, CX_EOUT, old_path, 0, "the existing file has no layer");
        goto done;
    }
    if (s && !OSRIsSame(s, w->srs_out)) {
        OSRSetAxisMappingStrategy(s, OAMS_TRADITIONAL_GIS_ORDER);
        if (!(ct = OCTNewCoordinateTransformation(s, w->srs_out))) {
            rc = gdal_fail(err, old_path, "cannot reproject the existing layer");
            goto done;
        }
    }
    OGR_L_ResetReading(in);
    while ((src = OGR_L_GetNextFeature(in)) != NULL) {
        dst = OGR_F_Create(OGR_L_GetLayerDefn(out));
        if (!dst || OGR_F_SetFrom(dst, src, TRUE) != OGRERR_NONE) {
            rc = gdal_fail(err, old_path, "cannot copy an existing feature");
            goto done;
        }
        OGR_F_SetFID(dst, OGRNullFID);
        OGRGeometryH g = OGR_F_GetGeometryRef(dst);
        if (g && ct && OGR_G_Transform(g, ct) != OGRERR_NONE) {
            rc = gdal_fail(err, old_path, "cannot reproject an existing feature");
            goto done;
        }
        if (g && wkbFlatten(OGR_G_GetGeometryType(g)) == wkbPoint)
            grow_ext_out(w, OGR_G_GetX(g, 0), OGR_G_GetY(g, 0));
        if (OGR_L_CreateFeature(out, dst) != OGRERR_NONE) {
            rc = gdal_fail(err, old_path, "cannot append an existing feature");
            goto done;
        }
        w->tg[f].written[layer]++;
        OGR_F_Destroy(dst);
        OGR_F_Destroy(src);
        dst = src = NULL;
    }
done:
    OGR_F_Destroy(dst);
    OGR_F_Destroy(src);
    if (ct)
        OCTDestroyCoordinateTransformation(ct);
    GDALClose(old);
    return rc;
}

/* Extent of an existing layer (GPKG/PG append) into the lon/lat extent. */
static void grow_ext_layer(out_writer *w, OGRLayerH lyr)
{
    OGREnvelope e;
    if (OGR_L_GetFeatureCount(lyr, TRUE) > 0 && OGR_L_GetExtent(lyr, &e, TRUE) == OGRERR_NONE) {
        grow_ext_out(w, e.MinX, e.MinY);
        grow_ext_out(w, e.MaxX, e.MaxY);
    }
}

/* ===== Open ===== */

static int setup_srs(out_writer *w, const char *t_srs, cx_err *err)
{
    w->srs_wgs = OSRNewSpatialReference(NULL);
    if (!w->srs_wgs || OSRImportFromEPSG(w->srs_wgs, 4326) != OGRERR_NONE)
        return gdal_fail(err, "EPSG:4326", "cannot set up WGS84 (is PROJ's database installed?)");
    OSRSetAxisMappingStrategy(w->srs_wgs, OAMS_TRADITIONAL_GIS_ORDER);
    if (!t_srs || !*t_srs) {
        w->srs_out = OSRClone(w->srs_wgs);
        OSRSetAxisMappingStrategy(w->srs_out, OAMS_TRADITIONAL_GIS_ORDER);
        return 0;
    }
    w->srs_out = OSRNewSpatialReference(NULL);
    if (!w->srs_out || OSRSetFromUserInput(w->srs_out, t_srs) != OGRERR_NONE)
        return cx_err_set(err, CX_EINVAL, t_srs, 0, "unknown target CRS (-t_srs)%s%s",
                          *CPLGetLastErrorMsg() ? ": " : "", CPLGetLastErrorMsg());
    OSRSetAxisMappingStrategy(w->srs_out, OAMS_TRADITIONAL_GIS_ORDER);
    if (OSRIsSame(w->srs_out, w->srs_wgs))
        return 0;
    w->ct = OCTNewCoordinateTransformation(w->srs_wgs, w->srs_out);
    w->ct_inv = OCTNewCoordinateTransformation(w->srs_out, w->srs_wgs);
    if (!w->ct || !w->ct_inv)
        return gdal_fail(err, t_srs, "no transformation from WGS84 to the target CRS");
    return 0;
}

#endif

/* The final path of a per-layer file: OUT/<layer>.<ext>. */
static int final_file(const out_writer *w, int f, int layer, char *buf, size_t size,
                      cx_err *err)
{
    char name[64];
    snprintf(name, sizeof name, "%s.%s", LAYER_NAMES[layer], FMTS[f].ext);
    return outp_join(buf, size, w->out, name, err);
}

static int gpkg_final(const out_writer *w, char *buf, size_t size, cx_err *err)
{
    if (w->gpkg_file) {
        int n = snprintf(buf, size, "%s", w->out);
        return n < 0 || (size_t)n >= size ? cx_err_set(err, CX_EINVAL, NULL, 0, "path too long")
                                          : 0;
    }
    return outp_join(buf, size, w->out, w->gpkg_name, err);
}

/* Refuse an existing output in CREATE mode. */
static int check_existing(const out_writer *w, cx_err *err)
{
    char p[4096];
    if (w->mode != OUT_MODE_CREATE)
        return 0;
    for (int f = 0; f < F_N; f++) {
        if (!w->tg[f].used || f == F_PG)
            continue;
        if (f == F_GPKG) {
            if (gpkg_final(w, p, sizeof p, err))
                return CX_EINVAL;
            if (outp_exists(p))
                return cx_err_set(err, CX_EOUT, p, 0,
                                  "output exists (use --overwrite or --append)");
            continue;
        }
        for (int l = 0; l < L_N; l++) {
            if (!w->want[l])
                continue;
            if (final_file(w, f, l, p, sizeof p, err))
                return CX_EINVAL;
            if (outp_exists(p))
                return cx_err_set(err, CX_EOUT, p, 0,
                                  "output exists (use --overwrite or --append)");
        }
    }
    return 0;
}

static int make_stage(out_writer *w, cx_err *err)
{
    char tmpl[4096];
    char base[4096];
    int n = snprintf(base, sizeof base, "%s", w->out);
    if (n < 0 || (size_t)n >= sizeof base)
        return cx_err_set(err, CX_EINVAL, NULL, 0, "output path too long");
    while (n > 1 && base[n - 1] == '/')
        base[--n] = '\0';
    n = snprintf(tmpl, sizeof tmpl, "%s.tmp-%ld-XXXXXX", base, (long)getpid());
    if (n < 0 || (size_t)n >= sizeof tmpl)
        return cx_err_set(err, CX_EINVAL, NULL, 0, "output path too long");
    if (!mkdtemp(tmpl))
        return cx_err_set(err, CX_EOUT, w->out, 0,
                          "cannot write here (creating the temporary folder failed: %s)",
                          strerror(errno));
    memcpy(w->stage, tmpl, strlen(tmpl) + 1);
    w->clean_slot = cx_cleanup_add(w->stage);
    return 0;
}

static int load_styles(out_writer *w, const char *dir, cx_err *err)
{
    if (!dir)
        return 0;
    for (int l = 0; l < L_N; l++) {
        if (!w->want[l])
            continue;
        char name[64], path[4096];
        snprintf(name, sizeof name, "%s.qml", LAYER_NAMES[l]);
        if (outp_join(path, sizeof path, dir, name, err))
            return CX_EINVAL;
        if (!(w->qml[l] = read_file(path)))
            return cx_err_set(err, CX_ENOTFOUND, path, 0, "cannot read the style template: %s",
                              strerror(errno ? errno : EIO));
    }
    return 0;
}

/* Whether layer `l` of format `f` is written by out_geojson.c: every
 * GeoJSON layer, unless INCIMAP_GEOJSON_GDAL=1 or an existing file is
 * appended to (GDAL reads its features back; borders are never appended
 * but recomputed). */
static bool gj_native(const out_writer *w, int f, int l, const char *old)
{
    return f == F_GEOJSON && !w->gj_gdal &&
           (l == L_BORDERS || !(w->mode == OUT_MODE_APPEND && old && outp_exists(old)));
}

static int open_folder_format(out_writer *w, int f, cx_err *err)
{
    target *t = &w->tg[f];
    for (int l = 0; l < L_N; l++) {
        if (!w->want[l])
            continue;
        char name[64], path[4096], old[4096];
        snprintf(name, sizeof name, "%s.%s", LAYER_NAMES[l], FMTS[f].ext);
        if (outp_join(path, sizeof path, w->stage, name, err) ||
            final_file(w, f, l, old, sizeof old, err))
            return CX_EINVAL;
        if (gj_native(w, f, l, old)) {
            if (!(t->gj[l] = outp_gj_open(path, LAYER_NAMES[l], err)))
                return CX_EOUT;
            continue;
        }
#if OUT_GDAL
        if (!(t->ds[l] = create_ds(FMTS[f].driver, path, err)))
            return CX_EOUT;
        int rc = open_layer(w, f, l, t->ds[l], err);
        if (rc)
            return rc;
        if (w->mode == OUT_MODE_APPEND && l != L_BORDERS && outp_exists(old) &&
            (rc = copy_features(w, f, l, old, err)) != 0)
            return rc;
#else
        return cx_err_set(err, CX_EINVAL, path, 0, "internal error: a GDAL layer without GDAL");
#endif
    }
    return 0;
}

#if OUT_GDAL
static int open_gpkg(out_writer *w, cx_err *err)
{
    target *t = &w->tg[F_GPKG];
    char path[4096], old[4096];
    if (outp_join(path, sizeof path, w->stage, w->gpkg_name, err) ||
        gpkg_final(w, old, sizeof old, err))
        return CX_EINVAL;
    if (w->mode == OUT_MODE_APPEND && outp_exists(old)) {
        int rc = outp_copy_file(old, path, err);
        if (rc)
            return rc;
        const char *const drivers[] = {"GPKG", NULL};
        t->ds[0] = GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_UPDATE, drivers, NULL, NULL);
        if (!t->ds[0])
            return gdal_fail(err, old, "cannot open the GeoPackage to append to");
    } else if (!(t->ds[0] = create_ds("GPKG", path, err))) {
        return CX_EOUT;
    }
    for (int l = 0; l < L_N; l++) {
        if (!w->want[l])
            continue;
        int rc = open_layer(w, F_GPKG, l, t->ds[0], err);
        if (rc)
            return rc;
        if (w->mode == OUT_MODE_APPEND && l != L_BORDERS)
            grow_ext_layer(w, t->lyr[l]);
    }
    return open_sources(w, F_GPKG, t->ds[0], err);
}

static int open_pg(out_writer *w, cx_err *err)
{
    target *t = &w->tg[F_PG];
    const char *const drivers[] = {"PostgreSQL", NULL};
    if (!GDALGetDriverByName("PostgreSQL"))
        return cx_err_set(err, CX_ENOTFOUND, "PostgreSQL", 0, "GDAL has no such driver");
    t->ds[0] = GDALOpenEx(w->pg_conn, GDAL_OF_VECTOR | GDAL_OF_UPDATE, drivers, NULL, NULL);
    if (!t->ds[0])
        return gdal_fail(err, "PostgreSQL", "cannot connect");
    if (GDALDatasetStartTransaction(t->ds[0], FALSE) != OGRERR_NONE)
        return gdal_fail(err, "PostgreSQL", "cannot start a transaction");
    w->pg_txn = true;
    for (int l = 0; l < L_N; l++) {
        if (!w->want[l])
            continue;
        int rc = open_layer(w, F_PG, l, t->ds[0], err);
        if (rc)
            return rc;
        if (w->mode == OUT_MODE_APPEND && l != L_BORDERS)
            grow_ext_layer(w, t->lyr[l]);
    }
    return open_sources(w, F_PG, t->ds[0], err);
}

#endif

static int open_stdout(out_writer *w, cx_err *err)
{
    target *t = &w->tg[F_GEOJSON];
    if (gj_native(w, F_GEOJSON, L_INCIDENTS, NULL)) {
        t->gj[L_INCIDENTS] = outp_gj_open(NULL, LAYER_NAMES[L_INCIDENTS], err);
        return t->gj[L_INCIDENTS] ? 0 : CX_EOUT;
    }
#if OUT_GDAL
    if (!(t->ds[0] = create_ds("GeoJSON", "/vsistdout/", err)))
        return CX_EOUT;
    return open_layer(w, F_GEOJSON, L_INCIDENTS, t->ds[0], err);
#else
    return cx_err_set(err, CX_EINVAL, "-", 0, "internal error: a GDAL layer without GDAL");
#endif
}

/* ===== A GeoPackage updated in place =====
 *
 * --append and --overwrite of an existing GeoPackage (OUT.gpkg, or
 * OUT/incimap.gpkg beside other formats) open it through GDAL's
 * SQLite and change it in one transaction, instead of copying it and
 * renaming a new file over it: another program that holds it open (QGIS, a
 * script; in WAL mode or not) keeps a consistent file, a lock it holds is
 * waited for (a busy timeout), and a failure changes nothing. */

/* Milliseconds SQLite waits for another program's lock. */
static int busy_timeout_ms(void)
{
    const char *e = getenv("INCIMAP_LOCK_WAIT");
    char *end = NULL;
    double s = e && *e ? strtod(e, &end) : 10.0;
    if (!(s >= 0) || (end && *end))
        s = 10.0;
    return (int)(s * 1000);
}

#if OUT_GDAL
/* 0: the GeoPackage is open in place in a transaction; 1: not applicable (no
 * existing file; or --overwrite of a file that is not a GeoPackage and that
 * nobody holds): write aside and rename; or a CX_E* error. */
static int gpkg_try_inplace(out_writer *w, cx_err *err)
{
    target *t = &w->tg[F_GPKG];
    const char *path = w->gpkg_path;
    if (!t->used || w->mode == OUT_MODE_CREATE || !outp_exists(path))
        return 1;
    char pragma[64], why[4400] = "";
    snprintf(pragma, sizeof pragma, "busy_timeout=%d", busy_timeout_ms());
    CPLSetThreadLocalConfigOption("OGR_SQLITE_PRAGMA", pragma);
    const char *const drivers[] = {"GPKG", NULL};
    CPLErrorReset();
    GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_UPDATE, drivers, NULL, NULL);
    CPLSetThreadLocalConfigOption("OGR_SQLITE_PRAGMA", NULL);
    if (!ds) {
        bool busy = outp_db_in_use(path, why, sizeof why);
        if (w->mode == OUT_MODE_OVERWRITE && !busy && !strstr(CPLGetLastErrorMsg(), "locked"))
            return 1; /* not a GeoPackage: replaced by a new file */
        if (busy || strstr(CPLGetLastErrorMsg(), "locked"))
            return cx_err_set(err, CX_EOUT, path, 0,
                              "cannot open the GeoPackage: %s; "
                              "nothing was changed",
                              why[0] ? why : CPLGetLastErrorMsg());
        return gdal_fail(err, path,
                         w->mode == OUT_MODE_APPEND ? "cannot open the GeoPackage to append to"
                                                    : "cannot open the GeoPackage to replace");
    }
    t->ds[0] = ds;
    w->gpkg_inplace = true;
    if (GDALDatasetStartTransaction(ds, FALSE) != OGRERR_NONE)
        return gdal_fail(err, path,
                         "cannot start a transaction (another program holds the file?)");
    w->gpkg_txn = true;
    if (w->mode == OUT_MODE_OVERWRITE) {
        /* our layers are replaced, whatever else the file holds is kept */
        for (int i = GDALDatasetGetLayerCount(ds) - 1; i >= 0; i--) {
            const char *name = OGR_L_GetName(GDALDatasetGetLayer(ds, i));
            for (int l = 0; l < L_N; l++)
                if (w->want[l] && !strcmp(name, LAYER_NAMES[l])) {
                    if (GDALDatasetDeleteLayer(ds, i) != OGRERR_NONE)
                        return gdal_fail(err, path, "cannot replace a layer");
                    break;
                }
        }
    }
    for (int l = 0; l < L_N; l++) {
        if (!w->want[l])
            continue;
        int rc = open_layer(w, F_GPKG, l, ds, err);
        if (rc)
            return rc;
        if (w->mode == OUT_MODE_APPEND && l != L_BORDERS)
            grow_ext_layer(w, t->lyr[l]);
    }
    return 0;
}

/* Check the counts inside the transaction, then commit it. */
static int gpkg_commit_inplace(out_writer *w, cx_err *err)
{
    target *t = &w->tg[F_GPKG];
    GDALDatasetH ds = t->ds[0];
    for (int l = 0; l < L_N; l++) {
        if (!w->want[l] || l == L_BORDERS)
            continue;
        long got = (long)OGR_L_GetFeatureCount(t->lyr[l], TRUE);
        if (got != t->written[l])
            return cx_err_set(err, CX_EOUT, w->gpkg_path, 0,
                              "%ld features read back instead of %ld in layer %s; nothing was "
                              "changed",
                              got, t->written[l], LAYER_NAMES[l]);
    }
    CPLErrorReset();
    w->gpkg_txn = false;
    if (GDALDatasetCommitTransaction(ds) != OGRERR_NONE) {
        GDALDatasetRollbackTransaction(ds);
        return cx_err_set(err, CX_EOUT, w->gpkg_path, 0,
                          "cannot commit to the GeoPackage (%s); nothing was changed",
                          *CPLGetLastErrorMsg() ? CPLGetLastErrorMsg()
                                                : "another program holds it?");
    }
    return 0;
}

/* Commit the in-place transaction (rc == 0) or roll it back. */
static int gpkg_finish_inplace(out_writer *w, int rc, cx_err *err)
{
    if (!rc)
        rc = gpkg_commit_inplace(w, err);
    if (w->gpkg_txn) /* refused before the commit: nothing was changed */
        GDALDatasetRollbackTransaction(w->tg[F_GPKG].ds[0]);
    w->gpkg_txn = false;
    return rc;
}

#endif

/* A GeoPackage updated in place inside OUT goes with the folder's swap as a
 * hard link of the same file (and of its -wal and -shm). For the swap, a
 * connection of our own holds SQLite's write lock (BEGIN IMMEDIATE, waiting
 * busy_timeout_ms): no other program creates a journal, appends to the WAL
 * or, closing, deletes the WAL while the links are made and swapped. */
static int gpkg_guard_take(const out_writer *w, sqlite3 **guard, cx_err *err)
{
    sqlite3 *db = NULL;
    int rc = sqlite3_open_v2(w->gpkg_path, &db, SQLITE_OPEN_READWRITE, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_busy_timeout(db, busy_timeout_ms());
        rc = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    }
    if (rc != SQLITE_OK) {
        char why[4400] = "";
        if (!outp_db_in_use(w->gpkg_path, why, sizeof why))
            snprintf(why, sizeof why, "%s", db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
        sqlite3_close(db);
        return cx_err_set(err, CX_EOUT, w->gpkg_path, 0,
                          "the GeoPackage was updated, but the other files of %s were not: %s",
                          w->out, why);
    }
    *guard = db;
    return 0;
}

static void gpkg_guard_release(sqlite3 *guard)
{
    if (!guard)
        return;
    (void)sqlite3_exec(guard, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close(guard);
}

/* Whether every planned layer is written without GDAL: GeoJSON by
 * out_geojson.c. Such an output needs no SRS object either (RFC 7946 is
 * lon/lat WGS84, and plan() refuses any other -t_srs with GeoJSON), so PROJ
 * and its database are not touched (issue 20). */
static bool native_only(const out_writer *w)
{
    for (int f = 0; f < F_N; f++) {
        if (!w->tg[f].used)
            continue;
        if (f != F_GEOJSON)
            return false;
        if (w->to_stdout)
            return gj_native(w, f, L_INCIDENTS, NULL);
        for (int l = 0; l < L_N; l++) {
            char old[4096];
            if (w->want[l] && (final_file(w, f, l, old, sizeof old, NULL) != 0 ||
                               !gj_native(w, f, l, old)))
                return false;
        }
    }
    return true;
}

/* Decide formats, targets and layers from the path and options. */
static int plan(out_writer *w, const char *path, const out_options *o, cx_err *err)
{
    int n = snprintf(w->out, sizeof w->out, "%s", path);
    if (n <= 0 || (size_t)n >= sizeof w->out)
        return cx_err_set(err, CX_EINVAL, NULL, 0, "bad output path");
    w->mode = o->mode;
    if (o->mode < OUT_MODE_CREATE || o->mode > OUT_MODE_APPEND)
        return cx_err_set(err, CX_EINVAL, NULL, 0, "bad output mode %d", o->mode);
    bool any = false;
    for (size_t i = 0; i < o->n_formats && o->formats; i++) {
        int f = parse_format(o->formats[i]);
        if (f < 0)
            return cx_err_set(err, CX_ENOTFOUND, o->formats[i], 0,
                              "unknown output format (use an OGR driver name: GeoJSON, "
                              "\"ESRI Shapefile\", GPKG, CSV, FlatGeobuf, PostgreSQL)");
        w->tg[f].used = any = true;
    }
    w->to_stdout = !strcmp(path, "-");
    w->pg = !strncasecmp(path, "PG:", 3);
    w->gpkg_file = ends_with_ci(path, ".gpkg");
    if (!any) {
        if (w->to_stdout)
            w->tg[F_GEOJSON].used = true;
        else if (w->pg)
            w->tg[F_PG].used = true;
        else if (w->gpkg_file)
            w->tg[F_GPKG].used = true;
        else
            w->tg[F_GEOJSON].used = w->tg[F_SHP].used = true;
    }
    int nused = 0;
    for (int f = 0; f < F_N; f++)
        nused += w->tg[f].used;
    if (w->to_stdout && (nused != 1 || !w->tg[F_GEOJSON].used))
        return cx_err_set(err, CX_EINVAL, "-", 0, "standard output takes GeoJSON only");
    if (w->pg != w->tg[F_PG].used || (w->pg && nused != 1))
        return cx_err_set(err, CX_EINVAL, path, 0,
                          "PostgreSQL output needs a \"PG:...\" connection string, and a "
                          "connection string takes -f PostgreSQL only");
    if (w->gpkg_file && (nused != 1 || !w->tg[F_GPKG].used))
        return cx_err_set(err, CX_EINVAL, path, 0,
                          "a .gpkg path takes -f GPKG only; give a folder for several formats");
    if (o->t_srs && *o->t_srs && w->tg[F_GEOJSON].used && strcasecmp(o->t_srs, "EPSG:4326") &&
        strcasecmp(o->t_srs, "OGC:CRS84"))
        return cx_err_set(err, CX_EINVAL, o->t_srs, 0,
                          "-t_srs cannot be used with GeoJSON: RFC 7946 requires WGS84 "
                          "lon/lat; choose other formats with -f");
    if (w->to_stdout && o->mode != OUT_MODE_CREATE)
        return cx_err_set(err, CX_EINVAL, "-", 0,
                          "--overwrite and --append do not apply to standard output");
    unsigned layers = o->layers ? o->layers : (((1u << EXT_NTYPES) - 1) | OUT_LAYER_ALL);
    for (int t = 0; t < EXT_NTYPES; t++)
        w->want[t] = !w->to_stdout && (layers & (1u << t));
    w->want[L_INCIDENTS] = w->to_stdout || (layers & OUT_LAYER_ALL);
    w->want[L_BORDERS] = !w->to_stdout && o->borders != NULL;
    snprintf(w->gpkg_name, sizeof w->gpkg_name, "%s", GPKG_DEFAULT_NAME);
    if (w->gpkg_file) {
        const char *slash = strrchr(path, '/');
        n = snprintf(w->gpkg_name, sizeof w->gpkg_name, "%s", slash ? slash + 1 : path);
        if (n <= 0 || (size_t)n >= sizeof w->gpkg_name)
            return cx_err_set(err, CX_EINVAL, path, 0, "bad GeoPackage file name");
    }
    if (!w->to_stdout && !w->pg && gpkg_final(w, w->gpkg_path, sizeof w->gpkg_path, err))
        return CX_EINVAL;
    if (w->pg && !(w->pg_conn = strdup(path)))
        return cx_err_set(err, CX_ENOMEM, NULL, 0, "out of memory");
    if (!w->to_stdout && !w->pg && !w->gpkg_file && outp_exists(w->out) &&
        !outp_is_dir(w->out))
        return cx_err_set(err, CX_EOUT, w->out, 0, "output exists and is not a folder");
    return 0;
}

out_writer *out_writer_open(const char *path, const out_options *opts, cx_err *err)
{
    out_writer *w = NULL;
    out_options none = {0};
    int rc = CX_EINVAL;
    if (!opts)
        opts = &none;
    CPLPushErrorHandler(CPLQuietErrorHandler);
    CPLErrorReset();
    if (!path || !*path) {
        cx_err_set(err, CX_EINVAL, NULL, 0, "no output path");
        goto fail;
    }
    if (!(w = calloc(1, sizeof *w))) {
        rc = cx_err_set(err, CX_ENOMEM, NULL, 0, "out of memory");
        goto fail;
    }
    w->clean_slot = -1;
    const char *gj_env = getenv("INCIMAP_GEOJSON_GDAL");
    w->gj_gdal = gj_env && *gj_env && strcmp(gj_env, "0") != 0;
    if ((rc = plan(w, path, opts, err)) != 0)
        goto fail;
#if OUT_GDAL
    if (!native_only(w) && (rc = setup_srs(w, opts->t_srs, err)) != 0)
        goto fail;
#else
    if (!native_only(w)) { /* the whole output goes to the module's writer */
        if (!(w->mod = out_module_get(err)) || !(w->full = w->mod->writer_open(path, opts, err))) {
            rc = err && err->code ? err->code : CX_EOUT;
            goto fail;
        }
        goto opened;
    }
#endif
    /* one run at a time per output, from before the existing one is looked
     * at until after the new one is in place */
    if (!w->to_stdout && !w->pg && !(w->lock = cx_lock_take(w->out, -1, err))) {
        rc = err && err->code ? err->code : CX_EOUT;
        goto fail;
    }
    if ((rc = check_existing(w, err)) != 0)
        goto fail;
    if (!w->to_stdout && (rc = load_styles(w, opts->styles_dir, err)) != 0)
        goto fail;
    if (opts->admin_units && outp_exists(opts->admin_units)) {
        if (!(w->admin = geo_admin_load(opts->admin_units, err))) {
            rc = err->code ? err->code : CX_EINVAL;
            goto fail;
        }
        w->admin_lang = opts->admin_lang;
    }
    if (opts->borders && !(w->borders = out_borders_open(opts->borders, opts->borders_area, err))) {
        rc = CX_ENOTFOUND;
        goto fail;
    }
    if (w->to_stdout) {
        if ((rc = open_stdout(w, err)) != 0)
            goto fail;
    } else if (w->pg) {
#if OUT_GDAL
        if ((rc = open_pg(w, err)) != 0)
            goto fail;
#endif
    } else {
#if OUT_GDAL
        int ip = gpkg_try_inplace(w, err);
#else
        int ip = 1; /* native_only(): no GeoPackage */
#endif
        if (ip < 0) {
            rc = ip;
            goto fail;
        }
        if (ip == 0 && w->gpkg_file)
            goto opened;
        if (ip != 0 && w->tg[F_GPKG].used && outp_exists(w->gpkg_path)) {
            char why[4400];
            if (outp_db_in_use(w->gpkg_path, why, sizeof why)) {
                rc = cx_err_set(err, CX_EOUT, w->gpkg_path, 0,
                                "not replaced: %s (close it in the other program first)", why);
                goto fail;
            }
        }
        if ((rc = make_stage(w, err)) != 0)
            goto fail;
        /* Shapefile before CSV: both write <layer>.prj, and the CSV's (OGC
         * WKT with the EPSG code) must win: GDAL and QGIS identify the CRS
         * of both from it, not the CSV's from the Shapefile's ESRI WKT */
        static const int order[F_N] = {F_GEOJSON, F_SHP, F_GPKG, F_CSV, F_FGB, F_PG};
        for (int k = 0; k < F_N; k++) {
            int f = order[k];
            if (!w->tg[f].used || f == F_PG || (f == F_GPKG && w->gpkg_inplace))
                continue;
#if OUT_GDAL
            rc = f == F_GPKG ? open_gpkg(w, err) : open_folder_format(w, f, err);
#else
            rc = open_folder_format(w, f, err);
#endif
            if (rc)
                goto fail;
        }
    }
opened:
    CPLPopErrorHandler();
    return w;
fail:
    out_writer_abort(w);
    CPLPopErrorHandler();
    return NULL;
}

/* ===== Add ===== */

#if OUT_GDAL
static void set_str(OGRFeatureH ft, int i, const char *s, size_t max)
{
    if (i < 0)
        return;
    if (!s || !*s) {
        OGR_F_SetFieldNull(ft, i);
        return;
    }
    size_t len = strlen(s);
    if (max && len > max) {
        char buf[256];
        size_t n = outp_utf8_cut(s, len, max < sizeof buf - 1 ? max : sizeof buf - 1);
        memcpy(buf, s, n);
        buf[n] = '\0';
        OGR_F_SetFieldString(ft, i, buf);
        return;
    }
    OGR_F_SetFieldString(ft, i, s);
}

static void set_int(OGRFeatureH ft, int i, int v, int null_below)
{
    if (i < 0)
        return;
    if (v < null_below)
        OGR_F_SetFieldNull(ft, i);
    else
        OGR_F_SetFieldInteger(ft, i, v);
}

static void set_real(OGRFeatureH ft, int i, double v, double scale)
{
    if (i < 0)
        return;
    if (!isfinite(v))
        OGR_F_SetFieldNull(ft, i);
    else
        OGR_F_SetFieldDouble(ft, i, round(v * scale) / scale);
}

#endif

/* The first day of a date "YYYY", "YYYY-MM" or "YYYY-MM-DD" into *y, *m,
 * *day; false when unknown or malformed (%4d reads 4 characters at most:
 * y <= 9999). The one parse of set_date(), first_day() and the streaming
 * GeoJSON writer, so that every format writes the same dates. */
static bool parse_first_day(const char *d, int *y, int *m, int *day)
{
    *y = 0;
    *m = 1;
    *day = 1;
    size_t n = strlen(d);
    bool ok = (n == 4 && sscanf(d, "%4d", y) == 1) ||
              (n == 7 && sscanf(d, "%4d-%2d", y, m) == 2) ||
              (n == 10 && sscanf(d, "%4d-%2d-%2d", y, m, day) == 3);
    return ok && *y >= 1 && *m >= 1 && *m <= 12 && *day >= 1 && *day <= 31;
}

#if OUT_GDAL
/* `date` holds the first day of a partial date: "2020-10" -> 2020-10-01. */
static void set_date(OGRFeatureH ft, int i, const char *d)
{
    if (i < 0)
        return;
    int y, m, day;
    if (!parse_first_day(d, &y, &m, &day))
        OGR_F_SetFieldNull(ft, i);
    else
        OGR_F_SetFieldDateTime(ft, i, y, m, day, 0, 0, 0, 0);
}

#endif

/* The first day of a date as ISO text: "2020-10" -> "2020-10-01"; "" when
 * unknown or malformed. */
static void first_day(const char *d, char out[16])
{
    int y, m, day;
    out[0] = '\0';
    if (parse_first_day(d, &y, &m, &day))
        snprintf(out, 16, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u,
                 (unsigned)day % 100u); /* in range: the modulo only tells the compiler */
}

/* ACLED's time_precision: 1 the day is known, 2 a week or a few days, 3 a
 * month or more; 0 (null) when the date is unknown. */
static int time_precision(int date_prec)
{
    switch (date_prec) {
    case EXT_PREC_DAY: return 1;
    case EXT_PREC_WEEK: return 2;
    case EXT_PREC_MONTH:
    case EXT_PREC_YEAR: return 3;
    default: return 0;
    }
}

/* The incident's id: the merge's (store/merge.c, mrg_incident_id); a report
 * written unmerged (--no-merge) gets one from its document and offset. */
static void incident_id_of(const ext_incident *inc, char out[24])
{
    if (inc->incident_id[0]) {
        snprintf(out, 24, "%s", inc->incident_id);
        return;
    }
    uint64_t h = 1469598103934665603ull;
    char key[64];
    const char *doc = inc->n_doc_ids ? inc->doc_ids[0] : "";
    for (const unsigned char *p = (const unsigned char *)doc; *p; p++)
        h = (h ^ *p) * 1099511628211ull;
    snprintf(key, sizeof key, "|%d|%zu", inc->type, inc->offset);
    for (const unsigned char *p = (const unsigned char *)key; *p; p++)
        h = (h ^ *p) * 1099511628211ull;
    snprintf(out, 24, "%016llx", (unsigned long long)h);
}

#if OUT_GDAL
static json_t *jstr(const char *s) { return s && *s ? json_string(s) : json_null(); }

#endif

/* Span `sp` of `evidence` in characters (issue 21); both -1 when none or
 * not known (the writers make them null). */
static void span_chars(ext_span sp, const char *evidence, int out[2])
{
    sp = ext_span_check(sp, evidence);
    out[0] = sp.start < 0 ? -1 : ext_utf8_chars(evidence, sp.start);
    out[1] = sp.start < 0 ? -1 : ext_utf8_chars(evidence, sp.end);
}

#if OUT_GDAL
static json_t *jint(int v) { return v >= 0 ? json_integer(v) : json_null(); }

/* The sources of `inc` as a JSON array of objects (owned string). */
static char *sources_json(const ext_incident *inc, const char *id)
{
    (void)id;
    json_t *a = json_array();
    for (size_t i = 0; a && i < inc->n_srcs; i++) {
        const ext_source *src = &inc->srcs[i];
        int tr[2], pl[2];
        span_chars(src->trig_span, src->evidence, tr);
        span_chars(src->place_span, src->evidence, pl);
        json_t *o = json_object();
        if (!o || json_object_set_new(o, "doc_id", jstr(src->doc_id)) ||
            json_object_set_new(o, "url", jstr(src->url)) ||
            json_object_set_new(o, "outlet", jstr(src->outlet)) ||
            json_object_set_new(o, "published", jstr(src->published)) ||
            json_object_set_new(o, "evidence", jstr(src->evidence)) ||
            json_object_set_new(o, "claimed_by", jstr(src->claimed_by)) ||
            json_object_set_new(o, "trigger_start", jint(tr[0])) ||
            json_object_set_new(o, "trigger_end", jint(tr[1])) ||
            json_object_set_new(o, "place_start", jint(pl[0])) ||
            json_object_set_new(o, "place_end", jint(pl[1])) ||
            json_array_append_new(a, o)) {
            json_decref(o);
            json_decref(a);
            return NULL;
        }
    }
    char *s = a ? json_dumps(a, JSON_COMPACT) : NULL;
    json_decref(a);
    return s;
}

/* GPKG/PG: one row per source of `inc` in the sources table. */
static int write_sources(out_writer *w, int f, const ext_incident *inc, cx_err *err)
{
    target *t = &w->tg[f];
    if (!t->src_lyr)
        return 0;
    char id[24];
    incident_id_of(inc, id);
    for (size_t i = 0; i < inc->n_srcs; i++) {
        const ext_source *src = &inc->srcs[i];
        OGRFeatureH ft = OGR_F_Create(OGR_L_GetLayerDefn(t->src_lyr));
        if (!ft)
            return cx_err_set(err, CX_ENOMEM, NULL, 0, "out of memory");
        set_str(ft, t->sfld[SFLD_INCIDENT_ID], id, 0);
        set_str(ft, t->sfld[SFLD_DOC_ID], src->doc_id, 0);
        set_str(ft, t->sfld[SFLD_URL], src->url, 0);
        set_str(ft, t->sfld[SFLD_OUTLET], src->outlet, 0);
        set_str(ft, t->sfld[SFLD_PUBLISHED], src->published, 0);
        set_str(ft, t->sfld[SFLD_EVIDENCE], src->evidence, 0);
        set_str(ft, t->sfld[SFLD_CLAIMED_BY], src->claimed_by, 0);
        int tr[2], pl[2];
        span_chars(src->trig_span, src->evidence, tr);
        span_chars(src->place_span, src->evidence, pl);
        set_int(ft, t->sfld[SFLD_TRIGGER_START], tr[0], 0);
        set_int(ft, t->sfld[SFLD_TRIGGER_END], tr[1], 0);
        set_int(ft, t->sfld[SFLD_PLACE_START], pl[0], 0);
        set_int(ft, t->sfld[SFLD_PLACE_END], pl[1], 0);
        int rc = OGR_L_CreateFeature(t->src_lyr, ft) != OGRERR_NONE
                     ? gdal_fail(err, SOURCES_LAYER, "cannot write a source")
                     : 0;
        OGR_F_Destroy(ft);
        if (rc)
            return rc;
    }
    return 0;
}

/* `*js`: the incident's sources as JSON, made by the first feature that
 * needs them and kept for the others (its type's layer and incidents, every
 * format): the same string each time. */
static int fill_feature(const out_writer *w, int f, int layer, OGRFeatureH ft,
                        const ext_incident *inc, char **js, cx_err *err)
{
    const int *fld = w->tg[f].fld[layer];
    bool shp = f == F_SHP;
#define W(k) (shp ? (size_t)FIELDS[k].shp_width : 0)
    set_str(ft, fld[FLD_TYPE], ext_type_name(inc->type), W(FLD_TYPE));
    if (f == F_CSV) { /* ISO text, typed Date by the .csvt */
        char iso[16] = "";
        first_day(inc->date, iso);
        set_str(ft, fld[FLD_DATE], iso, 0);
    } else {
        set_date(ft, fld[FLD_DATE], inc->date);
    }
    set_str(ft, fld[FLD_DATE_PREC], ext_prec_name(inc->date_prec), W(FLD_DATE_PREC));
    set_str(ft, fld[FLD_DATE_TEXT], inc->date, W(FLD_DATE_TEXT));
    set_str(ft, fld[FLD_PLACE], inc->place, W(FLD_PLACE));
    set_str(ft, fld[FLD_PLACE_NAME], inc->place_name, W(FLD_PLACE_NAME));
    set_str(ft, fld[FLD_PLACE_ALT], inc->place_alt, W(FLD_PLACE_ALT));
    set_str(ft, fld[FLD_PLACE_ID], inc->place_id, W(FLD_PLACE_ID));
    set_str(ft, fld[FLD_COUNTRY], inc->country, W(FLD_COUNTRY));
    set_str(ft, fld[FLD_ADMIN1], inc->admin1, W(FLD_ADMIN1));
    set_int(ft, fld[FLD_GEO_PREC], inc->geo_prec, 1);
    set_str(ft, fld[FLD_ACTOR1], inc->actor1, W(FLD_ACTOR1));
    set_str(ft, fld[FLD_ACTOR2], inc->actor2, W(FLD_ACTOR2));
    set_str(ft, fld[FLD_CLAIMED_BY], inc->claimed_by, W(FLD_CLAIMED_BY));
    set_int(ft, fld[FLD_FATALITIES], inc->fatalities, 0);
    set_int(ft, fld[FLD_FATAL_MAX], inc->fatalities_max, 0);
    set_int(ft, fld[FLD_INJURED], inc->injured, 0);
    int di = fld[FLD_DOC_IDS];
    if (di >= 0 && inc->n_doc_ids == 0) {
        OGR_F_SetFieldNull(ft, di);
    } else if (di >= 0 && OGR_Fld_GetType(OGR_F_GetFieldDefnRef(ft, di)) == OFTStringList) {
        /* a NULL-terminated view of the ids (OGR copies it); CSLAddString
         * would be quadratic in the number of sources */
        char **list = malloc((inc->n_doc_ids + 1) * sizeof *list);
        if (!list)
            return cx_err_set(err, CX_ENOMEM, NULL, 0, "out of memory");
        for (size_t i = 0; i < inc->n_doc_ids; i++)
            list[i] = inc->doc_ids[i];
        list[inc->n_doc_ids] = NULL;
        OGR_F_SetFieldStringList(ft, di, list);
        free(list);
    } else if (di >= 0) {
        size_t len = 0;
        for (size_t i = 0; i < inc->n_doc_ids; i++)
            len += strlen(inc->doc_ids[i]) + 1;
        char *s = malloc(len + 1);
        if (!s)
            return cx_err_set(err, CX_ENOMEM, NULL, 0, "out of memory");
        size_t off = 0;
        for (size_t i = 0; i < inc->n_doc_ids; i++) {
            size_t n = strlen(inc->doc_ids[i]);
            if (i)
                s[off++] = ',';
            memcpy(s + off, inc->doc_ids[i], n);
            off += n;
        }
        s[off] = '\0';
        /* a Shapefile keeps whole ids only: drop the ids that do not fit */
        if (shp && off > (size_t)FIELDS[FLD_DOC_IDS].shp_width) {
            size_t cut = (size_t)FIELDS[FLD_DOC_IDS].shp_width;
            while (cut > 0 && s[cut] != ',')
                cut--;
            s[cut ? cut : outp_utf8_cut(s, off, (size_t)FIELDS[FLD_DOC_IDS].shp_width)] = '\0';
        }
        OGR_F_SetFieldString(ft, di, s);
        free(s);
    }
    set_int(ft, fld[FLD_N_SOURCES], inc->n_sources, 0);
    set_str(ft, fld[FLD_EVIDENCE], inc->evidence, W(FLD_EVIDENCE));
    set_real(ft, fld[FLD_CONFIDENCE], inc->confidence, 1000.0);
    set_real(ft, fld[FLD_BORDER_KM], inc->border_km, 1000.0);
    if (fld[FLD_CONTESTED] >= 0)
        OGR_F_SetFieldInteger(ft, fld[FLD_CONTESTED], inc->contested ? 1 : 0);
    set_str(ft, fld[FLD_REVIEW], ext_review_name(inc->review), W(FLD_REVIEW));
    char id[24];
    incident_id_of(inc, id);
    set_str(ft, fld[FLD_INCIDENT_ID], id, W(FLD_INCIDENT_ID));
    set_int(ft, fld[FLD_TIME_PREC], time_precision(inc->date_prec), 1);
    set_str(ft, fld[FLD_SUB_TYPE], inc->sub_event_type, W(FLD_SUB_TYPE));
    set_str(ft, fld[FLD_ADMIN2], inc->admin2, W(FLD_ADMIN2));
    set_str(ft, fld[FLD_PLACE_UNIT], inc->place_unit, W(FLD_PLACE_UNIT));
    set_int(ft, fld[FLD_INJ_MAX], inc->injured_max > inc->injured ? inc->injured_max
                                                                  : inc->injured, 0);
    set_int(ft, fld[FLD_N_REPRINTS], inc->n_reprints, 0);
    const ext_source *first = NULL; /* the first source with a URL */
    for (size_t i = 0; i < inc->n_srcs && !first; i++)
        if (inc->srcs[i].url && inc->srcs[i].url[0])
            first = &inc->srcs[i];
    set_str(ft, fld[FLD_URL], first ? first->url : NULL, W(FLD_URL));
    /* with no URL, a page or a feed may still name its outlet */
    for (size_t i = 0; i < inc->n_srcs && !first; i++)
        if (inc->srcs[i].outlet && inc->srcs[i].outlet[0])
            first = &inc->srcs[i];
    set_str(ft, fld[FLD_OUTLET], first ? first->outlet : NULL, W(FLD_OUTLET));
    set_real(ft, fld[FLD_LATITUDE], inc->lat, 1e6);
    set_real(ft, fld[FLD_LONGITUDE], inc->lon, 1e6);
    if (fld[FLD_SOURCES] >= 0) {
        if (!*js && !(*js = sources_json(inc, id)))
            return cx_err_set(err, CX_ENOMEM, NULL, 0, "out of memory");
        OGR_F_SetFieldString(ft, fld[FLD_SOURCES], *js);
    }
#undef W
    return 0;
}

#endif

/* One feature of a GeoJSON layer written by out_geojson.c: the fields of
 * fill_feature() for F_GEOJSON, in FIELDS order, with the same values and
 * nulls; `sources` as GDAL writes a JSON-subtype field (the array itself,
 * as json-c prints it), without building it in Jansson first. */
_Static_assert(FLD_N == 36, "gj_feature() writes every field of FIELDS in its order: a field "
                            "added there must be added here (unit_geojson compares the two)");
static void gj_feature(outp_gj *g, const ext_incident *inc, double x, double y)
{
    char date[16], id[24];
    outp_gj_begin(g);
    outp_gj_str(g, FIELDS[FLD_TYPE].name, ext_type_name(inc->type));
    first_day(inc->date, date); /* as GDAL writes a Date: "2020-10" -> "2020-10-01" */
    outp_gj_str(g, FIELDS[FLD_DATE].name, date);
    outp_gj_str(g, FIELDS[FLD_DATE_PREC].name, ext_prec_name(inc->date_prec));
    outp_gj_str(g, FIELDS[FLD_DATE_TEXT].name, inc->date);
    outp_gj_str(g, FIELDS[FLD_PLACE].name, inc->place);
    outp_gj_str(g, FIELDS[FLD_PLACE_NAME].name, inc->place_name);
    outp_gj_str(g, FIELDS[FLD_PLACE_ALT].name, inc->place_alt);
    outp_gj_str(g, FIELDS[FLD_PLACE_ID].name, inc->place_id);
    outp_gj_str(g, FIELDS[FLD_COUNTRY].name, inc->country);
    outp_gj_str(g, FIELDS[FLD_ADMIN1].name, inc->admin1);
    outp_gj_int(g, FIELDS[FLD_GEO_PREC].name, inc->geo_prec, 1);
    outp_gj_str(g, FIELDS[FLD_ACTOR1].name, inc->actor1);
    outp_gj_str(g, FIELDS[FLD_ACTOR2].name, inc->actor2);
    outp_gj_str(g, FIELDS[FLD_CLAIMED_BY].name, inc->claimed_by);
    outp_gj_int(g, FIELDS[FLD_FATALITIES].name, inc->fatalities, 0);
    outp_gj_int(g, FIELDS[FLD_FATAL_MAX].name, inc->fatalities_max, 0);
    outp_gj_int(g, FIELDS[FLD_INJURED].name, inc->injured, 0);
    if (inc->n_doc_ids)
        outp_gj_str_array(g, FIELDS[FLD_DOC_IDS].name, inc->doc_ids, inc->n_doc_ids);
    else
        outp_gj_null(g, FIELDS[FLD_DOC_IDS].name);
    outp_gj_int(g, FIELDS[FLD_N_SOURCES].name, inc->n_sources, 0);
    outp_gj_str(g, FIELDS[FLD_EVIDENCE].name, inc->evidence);
    outp_gj_real(g, FIELDS[FLD_CONFIDENCE].name, round(inc->confidence * 1000.0) / 1000.0);
    outp_gj_real(g, FIELDS[FLD_BORDER_KM].name, round(inc->border_km * 1000.0) / 1000.0);
    outp_gj_bool(g, FIELDS[FLD_CONTESTED].name, inc->contested);
    outp_gj_str(g, FIELDS[FLD_REVIEW].name, ext_review_name(inc->review));
    incident_id_of(inc, id);
    outp_gj_str(g, FIELDS[FLD_INCIDENT_ID].name, id);
    outp_gj_int(g, FIELDS[FLD_TIME_PREC].name, time_precision(inc->date_prec), 1);
    outp_gj_str(g, FIELDS[FLD_SUB_TYPE].name, inc->sub_event_type);
    outp_gj_str(g, FIELDS[FLD_ADMIN2].name, inc->admin2);
    outp_gj_str(g, FIELDS[FLD_PLACE_UNIT].name, inc->place_unit);
    outp_gj_int(g, FIELDS[FLD_INJ_MAX].name,
                inc->injured_max > inc->injured ? inc->injured_max : inc->injured, 0);
    outp_gj_int(g, FIELDS[FLD_N_REPRINTS].name, inc->n_reprints, 0);
    const ext_source *first = NULL; /* as fill_feature() */
    for (size_t i = 0; i < inc->n_srcs && !first; i++)
        if (inc->srcs[i].url && inc->srcs[i].url[0])
            first = &inc->srcs[i];
    outp_gj_str(g, FIELDS[FLD_URL].name, first ? first->url : NULL);
    for (size_t i = 0; i < inc->n_srcs && !first; i++)
        if (inc->srcs[i].outlet && inc->srcs[i].outlet[0])
            first = &inc->srcs[i];
    outp_gj_str(g, FIELDS[FLD_OUTLET].name, first ? first->outlet : NULL);
    outp_gj_real(g, FIELDS[FLD_LATITUDE].name, round(inc->lat * 1e6) / 1e6);
    outp_gj_real(g, FIELDS[FLD_LONGITUDE].name, round(inc->lon * 1e6) / 1e6);
    outp_gj_array_begin(g, FIELDS[FLD_SOURCES].name);
    for (size_t i = 0; i < inc->n_srcs; i++) {
        const ext_source *src = &inc->srcs[i];
        int tr[2], pl[2];
        span_chars(src->trig_span, src->evidence, tr);
        span_chars(src->place_span, src->evidence, pl);
        outp_gj_object_begin(g);
        outp_gj_str(g, "doc_id", src->doc_id);
        outp_gj_str(g, "url", src->url);
        outp_gj_str(g, "outlet", src->outlet);
        outp_gj_str(g, "published", src->published);
        outp_gj_str(g, "evidence", src->evidence);
        outp_gj_str(g, "claimed_by", src->claimed_by);
        outp_gj_int(g, "trigger_start", tr[0], 0);
        outp_gj_int(g, "trigger_end", tr[1], 0);
        outp_gj_int(g, "place_start", pl[0], 0);
        outp_gj_int(g, "place_end", pl[1], 0);
        outp_gj_object_end(g);
    }
    outp_gj_array_end(g);
    outp_gj_end_point(g, x, y);
}

/* `*gj_done`: the GeoJSON layer that already wrote this incident, whose
 * text the next layer copies (its type's layer, then incidents). */
static int write_to(out_writer *w, int f, int layer, const ext_incident *inc, double x, double y,
                    char **js, outp_gj **gj_done, cx_err *err)
{
    outp_gj *gj = w->tg[f].gj[layer];
    if (gj) {
        if (*gj_done) {
            outp_gj_copy_last(gj, *gj_done);
        } else {
            gj_feature(gj, inc, x, y);
            *gj_done = gj;
        }
        w->tg[f].written[layer]++;
        return 0;
    }
#if OUT_GDAL
    OGRLayerH lyr = w->tg[f].lyr[layer];
    OGRFeatureH ft = OGR_F_Create(OGR_L_GetLayerDefn(lyr));
    if (!ft)
        return cx_err_set(err, CX_ENOMEM, NULL, 0, "out of memory");
    int rc = fill_feature(w, f, layer, ft, inc, js, err);
    if (rc == 0) {
        OGRGeometryH g = OGR_G_CreateGeometry(wkbPoint);
        OGR_G_SetPoint_2D(g, 0, x, y);
        OGR_F_SetGeometryDirectly(ft, g);
        if (OGR_L_CreateFeature(lyr, ft) != OGRERR_NONE)
            rc = gdal_fail(err, LAYER_NAMES[layer], "cannot write the feature");
        else
            w->tg[f].written[layer]++;
    }
    OGR_F_Destroy(ft);
    return rc;
#else
    (void)js;
    return cx_err_set(err, CX_EINVAL, LAYER_NAMES[layer], 0,
                      "internal error: a GDAL layer without GDAL");
#endif
}

int out_writer_add(out_writer *w, const ext_incident *inc, cx_err *err)
{
    if (!w || !inc)
        return cx_err_set(err, CX_EINVAL, NULL, 0, "no writer or incident");
#if !OUT_GDAL
    if (w->full)
        return w->mod->writer_add(w->full, inc, err);
#endif
    if (!isfinite(inc->lon) || !isfinite(inc->lat) || fabs(inc->lat) > 90)
        return cx_err_set(err, CX_EINVAL, inc->place, 0, "incident without valid coordinates");
    ext_incident tmp = *inc;
    if (w->borders && isnan(tmp.border_km))
        tmp.border_km = out_borders_distance_km(w->borders, inc->lat, inc->lon);
    geo_admin_apply(w->admin, w->admin_lang, tmp.country, tmp.place_id, tmp.admin1,
                    sizeof tmp.admin1, tmp.admin2, sizeof tmp.admin2);
    double x = inc->lon, y = inc->lat, z = 0;
    int rc = 0;
    char *js = NULL;
    CPLPushErrorHandler(CPLQuietErrorHandler);
    CPLErrorReset();
#if OUT_GDAL
    if (w->ct && !OCTTransform(w->ct, 1, &x, &y, &z)) {
        rc = gdal_fail(err, inc->place, "cannot reproject the incident");
        goto done;
    }
#else
    (void)z;
#endif
    grow_ext(w, inc->lon, inc->lat);
    for (int f = 0; f < F_N && !rc; f++) {
        outp_gj *gj_done = NULL;
        if (!w->tg[f].used)
            continue;
        if (inc->type >= 0 && inc->type < EXT_NTYPES && w->want[inc->type])
            rc = write_to(w, f, inc->type, &tmp, x, y, &js, &gj_done, err);
        if (!rc && w->want[L_INCIDENTS])
            rc = write_to(w, f, L_INCIDENTS, &tmp, x, y, &js, &gj_done, err);
#if OUT_GDAL
        if (!rc)
            rc = write_sources(w, f, &tmp, err);
#endif
    }
#if OUT_GDAL
done:
#endif
    CPLPopErrorHandler();
    free(js);
    return rc;
}

/* ===== Borders and styles ===== */

typedef struct border_ctx {
    out_writer *w;
    cx_err *err;
    int rc;
} border_ctx;

static int on_border_line(void *ctx, int a, int b, const double *pts, size_t n)
{
    border_ctx *bc = ctx;
    out_writer *w = bc->w;
    for (int f = 0; f < F_N; f++) {
        outp_gj *gj = w->tg[f].gj[L_BORDERS];
        if (gj) { /* GeoJSON: lon/lat, never reprojected (RFC 7946) */
            const char *na = out_borders_country_name(w->borders, a);
            const char *nb = out_borders_country_name(w->borders, b);
            bool swap = strcmp(na, nb) > 0;
            outp_gj_begin(gj);
            outp_gj_text(gj, BFIELDS[BFLD_COUNTRY_A], swap ? nb : na);
            outp_gj_text(gj, BFIELDS[BFLD_COUNTRY_B], swap ? na : nb);
            outp_gj_end_line(gj, pts, n);
            continue;
        }
#if OUT_GDAL
        OGRLayerH lyr = w->tg[f].lyr[L_BORDERS];
        if (!w->tg[f].used || !lyr)
            continue;
        OGRFeatureH ft = OGR_F_Create(OGR_L_GetLayerDefn(lyr));
        OGRGeometryH g = OGR_G_CreateGeometry(wkbLineString);
        if (!ft || !g) {
            OGR_F_Destroy(ft);
            OGR_G_DestroyGeometry(g);
            return bc->rc = cx_err_set(bc->err, CX_ENOMEM, NULL, 0, "out of memory");
        }
        for (size_t i = 0; i < n; i++)
            OGR_G_SetPoint_2D(g, (int)i, pts[2 * i], pts[2 * i + 1]);
        /* the two names in alphabetical order: "Armenia", "Azerbaijan" */
        const char *na = out_borders_country_name(w->borders, a);
        const char *nb = out_borders_country_name(w->borders, b);
        bool swap = strcmp(na, nb) > 0;
        OGR_F_SetFieldString(ft, BFLD_COUNTRY_A, swap ? nb : na);
        OGR_F_SetFieldString(ft, BFLD_COUNTRY_B, swap ? na : nb);
        if (w->ct && OGR_G_Transform(g, w->ct) != OGRERR_NONE) {
            OGR_G_DestroyGeometry(g);
            OGR_F_Destroy(ft);
            return bc->rc = gdal_fail(bc->err, "borders", "cannot reproject a border line");
        }
        OGR_F_SetGeometryDirectly(ft, g);
        OGRErr e = OGR_L_CreateFeature(lyr, ft);
        OGR_F_Destroy(ft);
        if (e != OGRERR_NONE)
            return bc->rc = gdal_fail(bc->err, "borders", "cannot write a border line");
#endif
    }
    return 0;
}

/* The incidents' extent plus a margin of 20% of its size, at least 0.5
 * degree, so a map shows the border around them. */
static int write_borders(out_writer *w, cx_err *err)
{
    if (!w->want[L_BORDERS] || !w->borders || !w->have_ext)
        return 0;
    double mx = fmax(0.5, 0.2 * (w->ext[2] - w->ext[0]));
    double my = fmax(0.5, 0.2 * (w->ext[3] - w->ext[1]));
    border_ctx bc = {w, err, 0};
    int rc = geo_border_index_lines(out_borders_index(w->borders), w->ext[0] - mx,
                                    fmax(-90, w->ext[1] - my), w->ext[2] + mx,
                                    fmin(90, w->ext[3] + my), on_border_line, &bc);
    if (bc.rc)
        return bc.rc;
    return rc ? cx_err_set(err, rc, "borders", 0, "cannot compute the border lines") : 0;
}

#if OUT_GDAL
/* QGIS reads styles of a GeoPackage from its layer_styles table (the schema
 * QGIS itself creates); f_table_schema must be '' for QGIS to find them. */
static int write_gpkg_styles(out_writer *w, cx_err *err)
{
    target *t = &w->tg[F_GPKG];
    bool any = false;
    for (int l = 0; l < L_N; l++)
        any |= w->want[l] && w->qml[l];
    if (!t->used || !any)
        return 0;
    OGRLayerH st = GDALDatasetGetLayerByName(t->ds[0], "layer_styles");
    if (!st) {
        static const char *const cols[] = {"f_table_catalog", "f_table_schema", "f_table_name",
                                           "f_geometry_column", "styleName", "styleQML",
                                           "styleSLD", "useAsDefault", "description",
                                           "owner", "ui", "update_time", NULL};
        st = GDALDatasetCreateLayer(t->ds[0], "layer_styles", NULL, wkbNone, NULL);
        if (!st)
            return gdal_fail(err, "layer_styles", "cannot create the style table");
        for (int i = 0; cols[i]; i++) {
            OGRFieldType ty = !strcmp(cols[i], "useAsDefault") ? OFTInteger
                              : !strcmp(cols[i], "update_time") ? OFTDateTime
                                                                : OFTString;
            OGRFieldDefnH fd = OGR_Fld_Create(cols[i], ty);
            if (!strcmp(cols[i], "useAsDefault"))
                OGR_Fld_SetSubType(fd, OFSTBoolean);
            OGRErr e = OGR_L_CreateField(st, fd, TRUE);
            OGR_Fld_Destroy(fd);
            if (e != OGRERR_NONE)
                return gdal_fail(err, "layer_styles", "cannot create the style table");
        }
    }
    OGRFeatureDefnH d = OGR_L_GetLayerDefn(st);
    for (int l = 0; l < L_N; l++) {
        if (!w->want[l] || !w->qml[l])
            continue;
        /* replace our previous default style of this layer (append mode) */
        char filter[128];
        snprintf(filter, sizeof filter, "f_table_name = '%s' AND styleName = '%s'",
                 LAYER_NAMES[l], LAYER_NAMES[l]);
        OGR_L_SetAttributeFilter(st, filter);
        OGR_L_ResetReading(st);
        OGRFeatureH old;
        while ((old = OGR_L_GetNextFeature(st)) != NULL) {
            GIntBig fid = OGR_F_GetFID(old);
            OGR_F_Destroy(old);
            if (OGR_L_DeleteFeature(st, fid) != OGRERR_NONE) {
                OGR_L_SetAttributeFilter(st, NULL);
                return gdal_fail(err, "layer_styles", "cannot replace the old style");
            }
            OGR_L_ResetReading(st);
        }
        OGR_L_SetAttributeFilter(st, NULL);
        OGRFeatureH ft = OGR_F_Create(d);
        if (!ft)
            return cx_err_set(err, CX_ENOMEM, NULL, 0, "out of memory");
        OGR_F_SetFieldString(ft, OGR_FD_GetFieldIndex(d, "f_table_catalog"), "");
        OGR_F_SetFieldString(ft, OGR_FD_GetFieldIndex(d, "f_table_schema"), "");
        OGR_F_SetFieldString(ft, OGR_FD_GetFieldIndex(d, "f_table_name"), LAYER_NAMES[l]);
        OGR_F_SetFieldString(ft, OGR_FD_GetFieldIndex(d, "f_geometry_column"),
                             OGR_L_GetGeometryColumn(t->lyr[l]));
        OGR_F_SetFieldString(ft, OGR_FD_GetFieldIndex(d, "styleName"), LAYER_NAMES[l]);
        OGR_F_SetFieldString(ft, OGR_FD_GetFieldIndex(d, "styleQML"), w->qml[l]);
        OGR_F_SetFieldString(ft, OGR_FD_GetFieldIndex(d, "styleSLD"), "");
        OGR_F_SetFieldInteger(ft, OGR_FD_GetFieldIndex(d, "useAsDefault"), 1);
        OGR_F_SetFieldString(ft, OGR_FD_GetFieldIndex(d, "description"), "incimap default style");
        OGR_F_SetFieldString(ft, OGR_FD_GetFieldIndex(d, "owner"), "");
        OGR_F_SetFieldString(ft, OGR_FD_GetFieldIndex(d, "ui"), "");
        OGRErr e = OGR_L_CreateFeature(st, ft);
        OGR_F_Destroy(ft);
        if (e != OGRERR_NONE)
            return gdal_fail(err, "layer_styles", "cannot store the style");
    }
    return 0;
}

#endif

/* OUT/<layer>.qml beside the Shapefile, GeoJSON, CSV and FlatGeobuf files:
 * QGIS loads a same-named .qml as the layer's default style. */
static int write_qml_files(out_writer *w, cx_err *err)
{
    bool folder = false;
    for (int f = 0; f < F_N; f++)
        folder |= w->tg[f].used && is_folder_format(f);
    if (!folder)
        return 0;
    for (int l = 0; l < L_N; l++) {
        if (!w->want[l] || !w->qml[l])
            continue;
        char name[64], path[4096];
        snprintf(name, sizeof name, "%s.qml", LAYER_NAMES[l]);
        if (outp_join(path, sizeof path, w->stage, name, err))
            return CX_EINVAL;
        FILE *fp = fopen(path, "wb");
        size_t len = strlen(w->qml[l]);
        if (!fp)
            return cx_err_set(err, CX_EOUT, path, 0, "cannot write the style: %s",
                              strerror(errno));
        bool ok = fwrite(w->qml[l], 1, len, fp) == len;
        ok = fclose(fp) == 0 && ok;
        if (!ok)
            return cx_err_set(err, CX_EOUT, path, 0, "cannot write the style");
    }
    return 0;
}

/* ===== Close / abort ===== */

/* Close every dataset; a close is a write and may fail. */
static int close_datasets(out_writer *w, cx_err *err)
{
    int rc = 0;
    for (int f = 0; f < F_N; f++)
        for (int l = 0; l < L_N; l++) {
            outp_gj *gj = w->tg[f].gj[l];
            w->tg[f].gj[l] = NULL;
            int grc = outp_gj_close(gj, rc ? NULL : err);
            if (grc && !rc)
                rc = grc;
#if OUT_GDAL
            GDALDatasetH ds = w->tg[f].ds[l];
            if (!ds || (f == F_GPKG && w->gpkg_txn))
                continue; /* an in-place GeoPackage whose commit is to come */
            w->tg[f].ds[l] = NULL;
            CPLErrorReset();
            GDALClose(ds);
            if (CPLGetLastErrorType() >= CE_Failure && !rc)
                rc = gdal_fail(err, FMTS[f].driver, "error while closing the output");
#endif
        }
    return rc;
}

static void free_writer(out_writer *w)
{
#if OUT_GDAL
    if (w->ct)
        OCTDestroyCoordinateTransformation(w->ct);
    if (w->ct_inv)
        OCTDestroyCoordinateTransformation(w->ct_inv);
    if (w->srs_out)
        OSRDestroySpatialReference(w->srs_out);
    if (w->srs_wgs)
        OSRDestroySpatialReference(w->srs_wgs);
#endif
    out_borders_close(w->borders);
    geo_admin_free(w->admin);
    for (int l = 0; l < L_N; l++)
        free(w->qml[l]);
    free(w->pg_conn);
    cx_cleanup_forget(w->clean_slot);
    cx_lock_release(w->lock);
    free(w);
}

/* ===== Verification ===== */

/* Count `needle` in a file and give its last bytes (GeoJSON, CSV): a quick
 * read, no parse. Returns -1 when the file cannot be read. */
static long count_in_file(const char *path, const char *needle, char *tail, size_t tail_size)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return -1;
    size_t nl = strlen(needle), keep = nl - 1, have = 0;
    char *buf = malloc(65536 + nl);
    long count = 0;
    tail[0] = '\0';
    if (!buf) {
        fclose(fp);
        return -1;
    }
    for (;;) {
        size_t got = fread(buf + have, 1, 65536, fp);
        size_t len = have + got;
        for (const char *p = buf; (p = memchr(p, needle[0], (size_t)(buf + len - p)));) {
            if ((size_t)(buf + len - p) < nl)
                break;
            if (memcmp(p, needle, nl) == 0)
                count++;
            p++;
        }
        if (len >= tail_size - 1) {
            memcpy(tail, buf + len - (tail_size - 1), tail_size - 1);
            tail[tail_size - 1] = '\0';
        } else if (got) {
            memcpy(tail, buf, len);
            tail[len] = '\0';
        }
        if (got == 0)
            break;
        /* keep the last nl-1 bytes: a needle may straddle two reads */
        have = len < keep ? len : keep;
        memmove(buf, buf + len - have, have);
        /* bytes kept were already scanned as a prefix of a longer window only
         * if a full match fits; a full needle cannot lie inside `keep` bytes */
    }
    free(buf);
    bool bad = ferror(fp);
    fclose(fp);
    return bad ? -1 : count;
}

/* Records of a CSV file: newlines outside double quotes (a quoted field may
 * hold a newline: a document id or a file name can). -1 when unreadable, -2
 * when the file does not end with a complete record. */
static long count_csv_records(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return -1;
    char *buf = malloc(65536);
    if (!buf) {
        fclose(fp);
        return -1;
    }
    long n = 0;
    bool quoted = false;
    char last = '\0';
    size_t got;
    while ((got = fread(buf, 1, 65536, fp)) > 0) {
        for (size_t i = 0; i < got; i++) {
            if (buf[i] == '"')
                quoted = !quoted;
            else if (buf[i] == '\n' && !quoted)
                n++;
        }
        last = buf[got - 1];
    }
    free(buf);
    bool bad = ferror(fp);
    fclose(fp);
    if (bad)
        return -1;
    return quoted || last != '\n' ? -2 : n;
}

/* Read back what was written, before anything is moved into place: a full
 * disk or a file-size limit can make GDAL drop bytes without an error. */
static int verify_layer(const out_writer *w, int f, int layer, const char *path, cx_err *err)
{
    long want = w->tg[f].written[layer], got = -1;
    char tail[16];
    if (f == F_GEOJSON) {
        got = count_in_file(path, "\"type\": \"Feature\"", tail, sizeof tail);
        if (got >= 0 && !strstr(tail, "]"))
            got = -2;
    } else if (f == F_CSV) {
        got = count_csv_records(path);
        if (got >= 0)
            got--; /* the header */
    } else {
#if OUT_GDAL
        const char *const drivers[] = {FMTS[f].driver, NULL};
        GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, drivers, NULL, NULL);
        if (ds) {
            OGRLayerH lyr = f == F_GPKG ? GDALDatasetGetLayerByName(ds, LAYER_NAMES[layer])
                                        : GDALDatasetGetLayer(ds, 0);
            got = lyr ? (long)OGR_L_GetFeatureCount(lyr, TRUE) : -1;
            GDALClose(ds);
        }
#endif
    }
    if (got == want)
        return 0;
    return cx_err_set(err, CX_EOUT, path, 0,
                      got < 0 ? "the file written is incomplete or unreadable (disk full or a "
                                "file size limit?)"
                              : "%ld features read back instead of %ld (disk full or a file size "
                                "limit?)",
                      got, want);
}

static int verify_outputs(const out_writer *w, cx_err *err)
{
    for (int f = 0; f < F_N; f++) {
        if (!w->tg[f].used || f == F_PG || (f == F_GPKG && w->gpkg_inplace))
            continue; /* in place: counted inside its transaction */
        for (int l = 0; l < L_N; l++) {
            if (!w->want[l] || l == L_BORDERS)
                continue;
            char path[4096], name[300];
            if (f == F_GPKG)
                snprintf(name, sizeof name, "%s", w->gpkg_name);
            else
                snprintf(name, sizeof name, "%s.%s", LAYER_NAMES[l], FMTS[f].ext);
            if (outp_join(path, sizeof path, w->stage, name, err))
                return CX_EINVAL;
            int rc = verify_layer(w, f, l, path, err);
            if (rc)
                return rc;
        }
    }
    return 0;
}

static int commit(out_writer *w, cx_err *err)
{
    if (w->gpkg_file) {
        char staged[4096], aside[4096];
        if (outp_join(staged, sizeof staged, w->stage, w->gpkg_name, err) ||
            outp_join(aside, sizeof aside, w->stage, "old.gpkg", err))
            return CX_EINVAL;
        char why[4400];
        if (outp_exists(w->out) && outp_db_in_use(w->out, why, sizeof why))
            return cx_err_set(err, CX_EOUT, w->out, 0,
                              "not replaced: %s (close it in the other program first)", why);
        return outp_commit_file(staged, w->out, aside, err);
    }
    char why[4400];
    if (w->tg[F_GPKG].used && !w->gpkg_inplace && outp_exists(w->gpkg_path) &&
        outp_db_in_use(w->gpkg_path, why, sizeof why))
        return cx_err_set(err, CX_EOUT, w->gpkg_path, 0,
                          "not replaced: %s (close it in the other program first)", why);
    sqlite3 *guard = NULL;
    if (w->gpkg_inplace && outp_exists(w->gpkg_path) && gpkg_guard_take(w, &guard, err) != 0)
        return CX_EOUT;
    bool swapped = false;
    int rc = outp_commit_dir_atomic(w->stage, w->out, &swapped, err);
    gpkg_guard_release(guard);
    return rc;
}

/* A CSV's date column is written as ISO text (2020-09-27; GDAL writes a
 * Date as 2020/09/27): its .csvt says Date, so GDAL and QGIS read it as
 * one. The column is found by name in the header. */
static int patch_csvt(const out_writer *w, cx_err *err)
{
    if (!w->tg[F_CSV].used)
        return 0;
    for (int l = 0; l < L_N; l++) {
        if (!w->want[l] || l == L_BORDERS)
            continue;
        char name[64], csv[4096], csvt[4096];
        snprintf(name, sizeof name, "%s.csv", LAYER_NAMES[l]);
        if (outp_join(csv, sizeof csv, w->stage, name, err))
            return CX_EINVAL;
        snprintf(name, sizeof name, "%s.csvt", LAYER_NAMES[l]);
        if (outp_join(csvt, sizeof csvt, w->stage, name, err))
            return CX_EINVAL;
        char head[4096] = "";
        FILE *fp = fopen(csv, "rb");
        if (!fp)
            continue;
        bool got = fgets(head, sizeof head, fp) != NULL;
        fclose(fp);
        char *types = got ? read_file(csvt) : NULL;
        if (!types)
            continue;
        int col = -1, k = 0;
        for (char *tok = head; *tok; k++) {
            size_t n = strcspn(tok, ",\r\n");
            if (n == 4 && strncmp(tok, "date", 4) == 0) {
                col = k;
                break;
            }
            tok += n;
            if (*tok != ',')
                break;
            tok++;
        }
        int rc = 0;
        FILE *out = col >= 0 ? fopen(csvt, "wb") : NULL;
        if (col >= 0 && !out)
            rc = cx_err_set(err, CX_EOUT, csvt, 0, "cannot write: %s", strerror(errno));
        if (out) {
            char *tok = types;
            for (int c = 0; *tok; c++) {
                size_t n = strcspn(tok, ",\r\n");
                if (c == col)
                    fputs("Date", out);
                else
                    fwrite(tok, 1, n, out);
                tok += n;
                if (*tok != ',') {
                    fputs(tok, out);
                    break;
                }
                fputc(',', out);
                tok++;
            }
            if (fclose(out) != 0)
                rc = cx_err_set(err, CX_EOUT, csvt, 0, "cannot write: %s", strerror(errno));
        }
        free(types);
        if (rc)
            return rc;
    }
    return 0;
}

int out_writer_close(out_writer *w, cx_err *err)
{
    if (!w)
        return 0;
#if !OUT_GDAL
    if (w->full) {
        int frc = w->mod->writer_close(w->full, err);
        w->full = NULL;
        free_writer(w);
        return frc;
    }
#endif
    int rc = 0;
    CPLPushErrorHandler(CPLQuietErrorHandler);
    CPLErrorReset();
    if (!w->to_stdout) {
        rc = write_borders(w, err);
#if OUT_GDAL
        if (!rc)
            rc = write_gpkg_styles(w, err);
#endif
        if (!rc && !w->pg)
            rc = write_qml_files(w, err);
    }
#if OUT_GDAL
    if (w->pg_txn) {
        GDALDatasetH ds = w->tg[F_PG].ds[0];
        if (!rc && GDALDatasetCommitTransaction(ds) != OGRERR_NONE)
            rc = gdal_fail(err, "PostgreSQL", "cannot commit");
        else if (rc)
            GDALDatasetRollbackTransaction(ds);
        w->pg_txn = false;
    }
    /* OUT.gpkg commits now; a GeoPackage in a folder once the other files
     * are checked, just before the folder is swapped in */
    if (w->gpkg_txn && (rc || !w->stage[0]))
        rc = gpkg_finish_inplace(w, rc, err);
#endif
    int crc = close_datasets(w, err);
    if (!rc)
        rc = crc;
    if (!rc && w->to_stdout) {
        /* GDAL writes /vsistdout/ with stdio and does not look at the result:
         * a full disk or a closed pipe shows only here */
        errno = 0;
        if (fflush(stdout) != 0 || ferror(stdout))
            rc = cx_err_set(err, CX_EOUT, "standard output", 0, "write error: %s",
                            errno ? strerror(errno)
                                  : "data could not be written (disk full or pipe closed?)");
    }
    if (!rc && w->stage[0])
        rc = patch_csvt(w, err);
    if (!rc && w->stage[0])
        rc = verify_outputs(w, err);
#if OUT_GDAL
    if (w->gpkg_txn) {
        rc = gpkg_finish_inplace(w, rc, err);
        crc = close_datasets(w, err);
        if (!rc)
            rc = crc;
    }
#endif
    if (!rc && w->stage[0])
        rc = commit(w, err);
    if (w->stage[0])
        outp_rm_rf(w->stage);
    CPLPopErrorHandler();
    free_writer(w);
    return rc;
}

void out_writer_abort(out_writer *w)
{
    if (!w)
        return;
#if !OUT_GDAL
    if (w->full) {
        w->mod->writer_abort(w->full);
        w->full = NULL;
        free_writer(w);
        return;
    }
#endif
    CPLPushErrorHandler(CPLQuietErrorHandler);
#if OUT_GDAL
    if (w->pg_txn)
        GDALDatasetRollbackTransaction(w->tg[F_PG].ds[0]);
    if (w->gpkg_txn)
        GDALDatasetRollbackTransaction(w->tg[F_GPKG].ds[0]);
#endif
    w->gpkg_txn = false;
    close_datasets(w, NULL);
    if (w->stage[0])
        outp_rm_rf(w->stage);
    CPLPopErrorHandler();
    free_writer(w);
}
