/* geo_proj.c -- WGS84 lon/lat to any CRS through PROJ, one context per handle
 * (no global PROJ state). The writer reprojects through OGR; this is for
 * callers that need coordinates without GDAL (tests, the map module). */
#include "geo.h"

#include <math.h>
#include <stdlib.h>

#include <proj.h>

struct geo_proj {
    PJ_CONTEXT *ctx;
    PJ *pj;
};

geo_proj *geo_proj_new(const char *t_srs, cx_err *err)
{
    geo_proj *p = calloc(1, sizeof *p);
    PJ *raw = NULL;
    if (!p) {
        cx_err_set(err, CX_ENOMEM, NULL, 0, "out of memory (PROJ)");
        return NULL;
    }
    if (!t_srs || !*t_srs) {
        cx_err_set(err, CX_EINVAL, NULL, 0, "empty target CRS");
        goto fail;
    }
    if (!(p->ctx = proj_context_create())) {
        cx_err_set(err, CX_ENOMEM, NULL, 0, "cannot create a PROJ context");
        goto fail;
    }
    proj_log_level(p->ctx, PJ_LOG_NONE);
    raw = proj_create_crs_to_crs(p->ctx, "EPSG:4326", t_srs, NULL);
    if (!raw) {
        int e = proj_context_errno(p->ctx);
        cx_err_set(err, CX_EINVAL, t_srs, 0, "unknown or unusable CRS: %s",
                   e ? proj_context_errno_string(p->ctx, e) : "no transformation");
        goto fail;
    }
    p->pj = proj_normalize_for_visualization(p->ctx, raw);
    proj_destroy(raw);
    if (!p->pj) {
        cx_err_set(err, CX_EINVAL, t_srs, 0, "cannot normalise the axis order of this CRS");
        goto fail;
    }
    return p;
fail:
    geo_proj_free(p);
    return NULL;
}

int geo_proj_fwd(geo_proj *p, double lon, double lat, double *x, double *y)
{
    if (!p || !isfinite(lon) || !isfinite(lat))
        return CX_EINVAL;
    PJ_COORD c = proj_coord(lon, lat, 0, 0);
    c = proj_trans(p->pj, PJ_FWD, c);
    if (!isfinite(c.xy.x) || !isfinite(c.xy.y) || c.xy.x == HUGE_VAL)
        return CX_EINVAL;
    *x = c.xy.x;
    *y = c.xy.y;
    return 0;
}

void geo_proj_free(geo_proj *p)
{
    if (!p)
        return;
    proj_destroy(p->pj);
    if (p->ctx)
        proj_context_destroy(p->ctx);
    free(p);
}
