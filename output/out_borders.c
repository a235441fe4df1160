/* out_borders.c -- read country polygons with OGR and hand their rings to
 * geo/'s border index. See borders.h. Does not compute anything itself. */
#include "borders.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cpl_error.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

struct out_borders {
    geo_border_index *idx;
    char **names;
    size_t n_names;
};

void out_borders_close(out_borders *b)
{
    if (!b)
        return;
    geo_border_index_free(b->idx);
    for (size_t i = 0; i < b->n_names; i++)
        free(b->names[i]);
    free(b->names);
    free(b);
}

double out_borders_distance_km(const out_borders *b, double lat, double lon)
{
    return b ? geo_border_distance_km(b->idx, lat, lon) : NAN;
}

const geo_border_index *out_borders_index(const out_borders *b)
{
    return b ? b->idx : NULL;
}

const char *out_borders_country_name(const out_borders *b, int i)
{
    return b && i >= 0 && (size_t)i < b->n_names ? b->names[i] : "";
}

static char *dup_str(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p)
        memcpy(p, s, n);
    return p;
}

/* Add every ring of a (multi)polygon or collection to the index. */
static int add_geometry(out_borders *b, OGRGeometryH g, int country, double **buf,
                        size_t *cap, cx_err *err)
{
    OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(g));
    if (t == wkbPolygon || t == wkbMultiPolygon || t == wkbGeometryCollection) {
        for (int i = 0; i < OGR_G_GetGeometryCount(g); i++) {
            int rc = add_geometry(b, OGR_G_GetGeometryRef(g, i), country, buf, cap, err);
            if (rc)
                return rc;
        }
        return 0;
    }
    if (t != wkbLineString && t != wkbLinearRing)
        return 0;
    int n = OGR_G_GetPointCount(g);
    if (n < 2)
        return 0;
    if ((size_t)n > *cap) {
        double *p = realloc(*buf, (size_t)n * 2 * sizeof *p);
        if (!p)
            return cx_err_set(err, CX_ENOMEM, NULL, 0, "out of memory (borders)");
        *buf = p;
        *cap = (size_t)n;
    }
    for (int i = 0; i < n; i++) {
        (*buf)[2 * i] = OGR_G_GetX(g, i);
        (*buf)[2 * i + 1] = OGR_G_GetY(g, i);
    }
    return geo_border_index_add_ring(b->idx, country, *buf, (size_t)n, err);
}

static const char *feature_name(OGRFeatureH f, OGRFeatureDefnH defn)
{
    static const char *const keys[] = {"name", "NAME", "ADMIN", "name_en", "id", NULL};
    for (int k = 0; keys[k]; k++) {
        int i = OGR_FD_GetFieldIndex(defn, keys[k]);
        if (i >= 0 && OGR_F_IsFieldSetAndNotNull(f, i))
            return OGR_F_GetFieldAsString(f, i);
    }
    return "";
}

out_borders *out_borders_open(const char *path, const double *area, cx_err *err)
{
    out_borders *b = NULL, *ret = NULL;
    GDALDatasetH ds = NULL;
    OGRFeatureH f = NULL;
    OGRSpatialReferenceH wgs = NULL;
    OGRCoordinateTransformationH ct = NULL;
    double *buf = NULL;
    size_t cap = 0;

    CPLPushErrorHandler(CPLQuietErrorHandler);
    CPLErrorReset();
    if (!path || !*path) {
        cx_err_set(err, CX_EINVAL, NULL, 0, "no borders file given");
        goto done;
    }
    ds = GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
    if (!ds) {
        const char *m = CPLGetLastErrorMsg();
        cx_err_set(err, CX_ENOTFOUND, path, 0, "cannot open the country polygons: %s",
                   *m ? m : "not a vector dataset");
        goto done;
    }
    OGRLayerH lyr = GDALDatasetGetLayerByName(ds, "countries");
    if (!lyr)
        lyr = GDALDatasetGetLayer(ds, 0);
    if (!lyr) {
        cx_err_set(err, CX_EFORMAT, path, 0, "no layer with country polygons");
        goto done;
    }
    OGRSpatialReferenceH src = OGR_L_GetSpatialRef(lyr);
    if (src) {
        wgs = OSRNewSpatialReference(NULL);
        if (!wgs || OSRImportFromEPSG(wgs, 4326) != OGRERR_NONE) {
            cx_err_set(err, CX_EFORMAT, path, 0, "cannot set up WGS84: %s",
                       CPLGetLastErrorMsg());
            goto done;
        }
        OSRSetAxisMappingStrategy(wgs, OAMS_TRADITIONAL_GIS_ORDER);
        if (!OSRIsSame(src, wgs) && !(ct = OCTNewCoordinateTransformation(src, wgs))) {
            cx_err_set(err, CX_EFORMAT, path, 0, "cannot transform the polygons to WGS84: %s",
                       CPLGetLastErrorMsg());
            goto done;
        }
    }
    if (!(b = calloc(1, sizeof *b)) || !(b->idx = geo_border_index_new(err))) {
        cx_err_set(err, CX_ENOMEM, NULL, 0, "out of memory (borders)");
        goto done;
    }
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(lyr);
    if (area && !ct)
        OGR_L_SetSpatialFilterRect(lyr, area[0], area[1], area[2], area[3]);
    OGR_L_ResetReading(lyr);
    size_t cap_names = 0;
    while ((f = OGR_L_GetNextFeature(lyr)) != NULL) {
        if (b->n_names == cap_names) {
            size_t nc = cap_names ? 2 * cap_names : 256;
            char **p = realloc(b->names, nc * sizeof *p);
            if (!p) {
                cx_err_set(err, CX_ENOMEM, NULL, 0, "out of memory (borders)");
                goto done;
            }
            b->names = p;
            cap_names = nc;
        }
        if (!(b->names[b->n_names] = dup_str(feature_name(f, defn)))) {
            cx_err_set(err, CX_ENOMEM, NULL, 0, "out of memory (borders)");
            goto done;
        }
        int country = (int)b->n_names++;
        OGRGeometryH g = OGR_F_GetGeometryRef(f);
        if (g && ct && OGR_G_Transform(g, ct) != OGRERR_NONE)
            g = NULL;
        if (g && add_geometry(b, g, country, &buf, &cap, err) != 0)
            goto done;
        OGR_F_Destroy(f);
        f = NULL;
    }
    if (geo_border_index_build(b->idx, err) != 0)
        goto done;
    ret = b;
    b = NULL;
done:
    OGR_F_Destroy(f);
    free(buf);
    out_borders_close(b);
    if (ct)
        OCTDestroyCoordinateTransformation(ct);
    if (wgs)
        OSRDestroySpatialReference(wgs);
    if (ds)
        GDALClose(ds);
    CPLPopErrorHandler();
    return ret;
}
