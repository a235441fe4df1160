/* map_view.c -- the map's projection (PROJ) and page geometry: which part of
 * the world the frame shows, and where a lon/lat lands on the page. Also
 * the geodesic length behind the scale bar. Draws nothing. */
#include "map_p.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MIN_SPAN_M 200000.0 /* an automatic extent is at least 200 km each way */
#define MARGIN 0.12         /* automatic extent: 12% of the span on each side */

/* ===== Parsing ===== */

int map_bbox_parse(const char *s, map_bbox *out, cx_err *err)
{
    double v[4];
    const char *p = s ? s : "";
    for (int i = 0; i < 4; i++) {
        char *end;
        v[i] = strtod(p, &end);
        if (end == p || !isfinite(v[i]) || (i < 3 && *end != ',') || (i == 3 && *end))
            return cx_err_set(err, CX_EINVAL, "--bbox", 0,
                              "expected W,S,E,N in degrees or 'auto', got '%s'", s ? s : "");
        p = end + 1;
    }
    if (v[0] < -180 || v[2] > 180 || v[1] < -90 || v[3] > 90)
        return cx_err_set(err, CX_EINVAL, "--bbox", 0,
                          "'%s' is outside -180..180 / -90..90", s);
    if (!(v[0] < v[2]) || !(v[1] < v[3]))
        return cx_err_set(err, CX_EINVAL, "--bbox", 0,
                          "'%s': west must be less than east and south less than north", s);
    *out = (map_bbox){v[0], v[1], v[2], v[3]};
    return 0;
}

/* ===== Projection ===== */

/* Forward-project n lon/lat pairs (degrees) in place to projected metres.
 * Points PROJ cannot project become HUGE_VAL. */
void mapp_forward(map_view *v, double *x, double *y, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        x[i] = proj_torad(x[i]);
        y[i] = proj_torad(y[i]);
    }
    proj_trans_generic(v->pj, PJ_FWD, x, sizeof *x, n, y, sizeof *y, n, NULL, 0, 0, NULL,
                       0, 0);
}

/* Projected metres to page units, in place. */
void mapp_to_page(const map_view *v, double *x, double *y, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        x[i] = (x[i] - v->minx) * v->scale;
        y[i] = v->top + (v->maxy - y[i]) * v->scale;
    }
}

static int page_to_lonlat(map_view *v, double px, double py, double *lon, double *lat)
{
    PJ_COORD c = proj_coord(v->minx + px / v->scale, v->maxy - (py - v->top) / v->scale, 0, 0);
    c = proj_trans(v->pj, PJ_INV, c);
    if (c.lp.lam == HUGE_VAL || !isfinite(c.lp.lam) || !isfinite(c.lp.phi))
        return CX_EINVAL;
    *lon = proj_todeg(c.lp.lam);
    *lat = proj_todeg(c.lp.phi);
    return 0;
}

int map_project(map_view *v, double lon, double lat, double *x, double *y)
{
    double px = lon, py = lat;
    mapp_forward(v, &px, &py, 1);
    if (px == HUGE_VAL || !isfinite(px) || !isfinite(py))
        return CX_EINVAL;
    mapp_to_page(v, &px, &py, 1);
    *x = px;
    *y = py;
    return 0;
}

const char *map_view_proj(const map_view *v)
{
    return v->proj;
}

void map_view_size(const map_view *v, int *width, int *height)
{
    *width = v->width;
    *height = v->height;
}

double map_view_km(map_view *v, double x, double y, double px)
{
    double lon0, lat0, lon1, lat1;
    if (page_to_lonlat(v, x, y, &lon0, &lat0) || page_to_lonlat(v, x + px, y, &lon1, &lat1))
        return -1;
    PJ_COORD a = proj_coord(proj_torad(lon0), proj_torad(lat0), 0, 0);
    PJ_COORD b = proj_coord(proj_torad(lon1), proj_torad(lat1), 0, 0);
    double m = proj_lp_dist(v->pj, a, b);
    return isfinite(m) ? m / 1000.0 : -1;
}

double map_nice_km(double max_km)
{
    if (!(max_km > 0))
        return 0;
    double p = pow(10, floor(log10(max_km)));
    static const double steps[] = {5, 2.5, 2, 1};
    for (int i = 0; i < 4; i++)
        if (steps[i] * p <= max_km * (1 + 1e-9))
            return steps[i] * p;
    return p; /* not reached: 1 * p <= max_km */
}

/* ===== The view ===== */

void map_view_free(map_view *v)
{
    if (!v)
        return;
    if (v->pj)
        proj_destroy(v->pj);
    if (v->ctx)
        proj_context_destroy(v->ctx);
    free(v);
}

/* Extend [min, max] with the finite projected points. */
static void extend(double *minx, double *miny, double *maxx, double *maxy, const double *x,
                   const double *y, size_t n, size_t *used)
{
    for (size_t i = 0; i < n; i++) {
        if (x[i] == HUGE_VAL || !isfinite(x[i]) || !isfinite(y[i]))
            continue;
        *minx = fmin(*minx, x[i]);
        *maxx = fmax(*maxx, x[i]);
        *miny = fmin(*miny, y[i]);
        *maxy = fmax(*maxy, y[i]);
        (*used)++;
    }
}

/* Grow [lo, hi] symmetrically to `span`. */
static void grow(double *lo, double *hi, double span)
{
    double c = (*lo + *hi) / 2;
    *lo = c - span / 2;
    *hi = c + span / 2;
}

map_view *map_view_new(const map_bbox *bbox, const map_list *incs, int width_px, double dpi,
                       cx_err *err)
{
    map_view *v = NULL;
    double *xs = NULL, *ys = NULL;
    if (width_px < 100 || width_px > 20000 || !(dpi >= 36 && dpi <= 1200)) {
        cx_err_set(err, CX_EINVAL, NULL, 0,
                   "map size out of range (width 100..20000 px, dpi 36..1200)");
        goto fail;
    }
    /* The lon/lat box the projection is centred on. */
    map_bbox ll;
    if (bbox) {
        ll = *bbox;
    } else {
        if (!incs || incs->n == 0) {
            cx_err_set(err, CX_EINVAL, NULL, 0,
                       "no incidents to map; give --bbox W,S,E,N to draw an empty map");
            goto fail;
        }
        ll = (map_bbox){180, 90, -180, -90};
        for (size_t i = 0; i < incs->n; i++) {
            ll.west = fmin(ll.west, incs->items[i].lon);
            ll.east = fmax(ll.east, incs->items[i].lon);
            ll.south = fmin(ll.south, incs->items[i].lat);
            ll.north = fmax(ll.north, incs->items[i].lat);
        }
    }
    v = calloc(1, sizeof *v);
    if (!v) {
        cx_err_set(err, CX_ENOMEM, NULL, 0, "out of memory");
        goto fail;
    }
    v->dpi = dpi;
    v->u = dpi / 96.0;
    v->width = width_px;
    double lon0 = (ll.west + ll.east) / 2, lat0 = (ll.south + ll.north) / 2;
    if (fabs(lat0) < 8) {
        snprintf(v->proj, sizeof v->proj,
                 "+proj=tmerc +lat_0=%.6f +lon_0=%.6f +k=1 +ellps=WGS84 +units=m +no_defs",
                 lat0, lon0);
    } else {
        double span = ll.north - ll.south;
        double lat1 = ll.south + span / 6, lat2 = ll.north - span / 6;
        if (lat1 * lat2 <= 0) /* straddling the equator: keep both on lat0's side */
            lat1 = lat2 = lat0;
        snprintf(v->proj, sizeof v->proj,
                 "+proj=lcc +lat_1=%.6f +lat_2=%.6f +lat_0=%.6f +lon_0=%.6f +ellps=WGS84 "
                 "+units=m +no_defs",
                 lat1, lat2, lat0, lon0);
    }
    v->ctx = proj_context_create();
    if (!v->ctx) {
        cx_err_set(err, CX_ENOMEM, NULL, 0, "out of memory (PROJ context)");
        goto fail;
    }
    proj_log_level(v->ctx, PJ_LOG_NONE);
    v->pj = proj_create(v->ctx, v->proj);
    if (!v->pj) {
        cx_err_set(err, CX_EIO, NULL, 0, "PROJ cannot build '%s': %s", v->proj,
                   proj_context_errno_string(v->ctx, proj_context_errno(v->ctx)));
        goto fail;
    }

    /* Projected extent: the incidents, or the densified bbox outline. */
    enum { EDGE = 32 };
    size_t n = bbox ? 4 * EDGE : incs->n;
    xs = malloc(n * sizeof *xs);
    ys = malloc(n * sizeof *ys);
    if (!xs || !ys) {
        cx_err_set(err, CX_ENOMEM, NULL, 0, "out of memory");
        goto fail;
    }
    if (bbox) {
        for (int i = 0; i < EDGE; i++) {
            double t = (double)i / EDGE;
            double lon = ll.west + t * (ll.east - ll.west);
            double lat = ll.south + t * (ll.north - ll.south);
            xs[i] = lon, ys[i] = ll.south;
            xs[EDGE + i] = lon + (ll.east - ll.west) / EDGE, ys[EDGE + i] = ll.north;
            xs[2 * EDGE + i] = ll.west, ys[2 * EDGE + i] = lat + (ll.north - ll.south) / EDGE;
            xs[3 * EDGE + i] = ll.east, ys[3 * EDGE + i] = lat;
        }
    } else {
        for (size_t i = 0; i < n; i++)
            xs[i] = incs->items[i].lon, ys[i] = incs->items[i].lat;
    }
    mapp_forward(v, xs, ys, n);
    double minx = HUGE_VAL, miny = HUGE_VAL, maxx = -HUGE_VAL, maxy = -HUGE_VAL;
    size_t used = 0;
    extend(&minx, &miny, &maxx, &maxy, xs, ys, n, &used);
    if (used == 0) {
        cx_err_set(err, CX_EINVAL, NULL, 0, "PROJ cannot project the extent with '%s'",
                   v->proj);
        goto fail;
    }
    double w = maxx - minx, h = maxy - miny;
    double rmin = 0.4, rmax = 2.0; /* page height / width limits */
    if (!bbox) {
        w += 2 * MARGIN * w;
        h += 2 * MARGIN * h;
        w = fmax(w, MIN_SPAN_M);
        h = fmax(h, MIN_SPAN_M);
        rmin = 0.62, rmax = 1.0;
    }
    /* Keep the aspect ratio printable: grow the short side. */
    if (h < rmin * w)
        h = rmin * w;
    if (h > rmax * w)
        w = h / rmax;
    grow(&minx, &maxx, w);
    grow(&miny, &maxy, h);
    v->scale = width_px / w;
    int map_h = (int)lround(h * v->scale);
    if (map_h < 50)
        map_h = 50;
    grow(&miny, &maxy, map_h / v->scale); /* whole pixels */
    v->minx = minx, v->miny = miny, v->maxx = maxx, v->maxy = maxy;
    v->top = round(MAPP_BAND * v->u);
    v->height = (int)v->top + map_h;

    /* The frame's lon/lat bounds (for filtering the basemap). */
    v->ll = (map_bbox){180, 90, -180, -90};
    for (int i = 0; i <= EDGE; i++) {
        double t = (double)i / EDGE;
        double pts[4][2] = {{t * width_px, v->top},
                            {t * width_px, v->height},
                            {0, v->top + t * map_h},
                            {width_px, v->top + t * map_h}};
        for (int k = 0; k < 4; k++) {
            double lon, lat;
            if (page_to_lonlat(v, pts[k][0], pts[k][1], &lon, &lat))
                continue;
            v->ll.west = fmin(v->ll.west, lon);
            v->ll.east = fmax(v->ll.east, lon);
            v->ll.south = fmin(v->ll.south, lat);
            v->ll.north = fmax(v->ll.north, lat);
        }
    }
    free(xs);
    free(ys);
    return v;
fail:
    free(xs);
    free(ys);
    map_view_free(v);
    return NULL;
}
