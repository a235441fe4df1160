/* out_borders_ogr.c -- country polygons in any format OGR reads, in any
 * CRS, into geo/'s border index (borders.h). Part of the GDAL module; the
 * executable reads the FlatGeobuf it ships itself (out_borders.c). */
#include "borders_p.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cpl_error.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

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

out_borders *outp_borders_open_ogr(const char *path, const double *area, cx_err *err)
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
    if (!(b = outp_borders_new(err)))
        goto done;
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(lyr);
    if (area && !ct)
        OGR_L_SetSpatialFilterRect(lyr, area[0], area[1], area[2], area[3]);
    OGR_L_ResetReading(lyr);
    while ((f = OGR_L_GetNextFeature(lyr)) != NULL) {
        if (outp_borders_add_name(b, feature_name(f, defn), err) != 0)
            goto done;
        int country = (int)b->n_names - 1;
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
