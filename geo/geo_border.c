/* geo_border.c -- the international-border index: shared segments of country
 * rings, a regular grid over them, nearest-border distance and clipped border
 * lines. See geo.h for the method. It deliberately does not read files or
 * know any format: output/ feeds it rings. */
#include "geo.h"

#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>


#define FINE_DEG 0.5   /* the grid for near borders */
#define COARSE_DEG 5.0 /* the grid for points far from any border (seas) */
#define FINE_RINGS 8   /* fine-grid rings searched before the coarse grid */
#define QUANT 1e7 /* endpoints compared after rounding to 1e-7 degree */
#define KM_PER_DEG (6371.0088 * M_PI / 180.0)

typedef struct seg {
    double lon1, lat1, lon2, lat2;
} seg;

/* A regular lon/lat grid over the border segments, in compressed rows: the
 * segments of cell c are items[start[c] .. start[c+1]). */
typedef struct grid {
    double deg;
    int nx, ny;
    uint32_t *start; /* nx*ny+1 */
    uint32_t *items;
} grid;

struct geo_border_index {
    /* rings as added */
    double *pts; /* lon,lat pairs */
    size_t npts, cap_pts;
    size_t *ring_start, *ring_len;
    int *ring_country;
    size_t nrings, cap_rings;
    /* after build */
    int built;
    int *seg_other; /* per point index (segment start): other country, -1 none */
    seg *segs;      /* border segments, each shared segment once */
    size_t nsegs;
    grid fine, coarse;
};

/* ===== Distances ===== */

double geo_dist_km(double lat1, double lon1, double lat2, double lon2)
{
    if (!isfinite(lat1) || !isfinite(lon1) || !isfinite(lat2) || !isfinite(lon2))
        return NAN;
    return geo_geodesic_m(lat1, lon1, lat2, lon2) / 1000.0;
}

/* ===== Building ===== */

geo_border_index *geo_border_index_new(cx_err *err)
{
    geo_border_index *idx = calloc(1, sizeof *idx);
    if (!idx) {
        cx_err_set(err, CX_ENOMEM, NULL, 0, "out of memory (border index)");
        return NULL;
    }
    return idx;
}

void geo_border_index_free(geo_border_index *idx)
{
    if (!idx)
        return;
    free(idx->pts);
    free(idx->ring_start);
    free(idx->ring_len);
    free(idx->ring_country);
    free(idx->seg_other);
    free(idx->segs);
    free(idx->fine.start);
    free(idx->fine.items);
    free(idx->coarse.start);
    free(idx->coarse.items);
    free(idx);
}

static int grow(void **p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return 0;
    size_t n = *cap ? *cap : 64;
    while (n < need)
        n *= 2;
    void *q = realloc(*p, n * elem);
    if (!q)
        return CX_ENOMEM;
    *p = q;
    *cap = n;
    return 0;
}

int geo_border_index_add_ring(geo_border_index *idx, int country, const double *pts,
                              size_t n, cx_err *err)
{
    if (!idx || idx->built || country < 0 || (n && !pts))
        return cx_err_set(err, CX_EINVAL, NULL, 0, "bad ring for the border index");
    if (n < 2)
        return 0;
    bool closed = pts[0] == pts[2 * (n - 1)] && pts[1] == pts[2 * (n - 1) + 1];
    size_t total = n + (closed ? 0 : 1);
    size_t cap_pts = idx->cap_pts / 2;
    if (grow((void **)&idx->pts, &cap_pts, idx->npts + total, 2 * sizeof(double)))
        return cx_err_set(err, CX_ENOMEM, NULL, 0, "out of memory (border index)");
    idx->cap_pts = cap_pts * 2;
    size_t cr = idx->cap_rings, cr2 = idx->cap_rings, cr3 = idx->cap_rings;
    if (grow((void **)&idx->ring_start, &cr, idx->nrings + 1, sizeof(size_t)) ||
        grow((void **)&idx->ring_len, &cr2, idx->nrings + 1, sizeof(size_t)) ||
        grow((void **)&idx->ring_country, &cr3, idx->nrings + 1, sizeof(int)))
        return cx_err_set(err, CX_ENOMEM, NULL, 0, "out of memory (border index)");
    idx->cap_rings = cr;
    memcpy(idx->pts + 2 * idx->npts, pts, 2 * n * sizeof(double));
    if (!closed) {
        idx->pts[2 * (idx->npts + n)] = pts[0];
        idx->pts[2 * (idx->npts + n) + 1] = pts[1];
    }
    idx->ring_start[idx->nrings] = idx->npts;
    idx->ring_len[idx->nrings] = total;
    idx->ring_country[idx->nrings] = country;
    idx->nrings++;
    idx->npts += total;
    return 0;
}

typedef struct slot {
    uint64_t a, b; /* quantized endpoints, a < b */
    int16_t c1, c2; /* first owner, a second distinct owner or -1 */
    uint8_t used;   /* 24 bytes a slot: the table is the index's biggest block */
} slot;

/* llround, inline: half away from zero (exact for |v| < 2^52) */
static int64_t round_away(double v) { return (int64_t)(v < 0 ? v - 0.5 : v + 0.5); }

static uint64_t qpoint(double lon, double lat)
{
    int64_t x = round_away(lon * QUANT), y = round_away(lat * QUANT);
    return ((uint64_t)(uint32_t)(int32_t)x << 32) | (uint32_t)(int32_t)y;
}

static uint64_t mix(uint64_t a, uint64_t b)
{
    uint64_t h = a * 0x9E3779B97F4A7C15ull ^ (b + 0x632BE59BD9B4E019ull + (a << 6));
    h ^= h >> 31;
    h *= 0xBF58476D1CE4E5B9ull;
    h ^= h >> 29;
    return h;
}

/* Find or insert the slot of segment (a, b). */
static slot *lookup(slot *tab, size_t mask, uint64_t a, uint64_t b, bool insert)
{
    size_t i = (size_t)mix(a, b) & mask;
    for (;;) {
        slot *s = &tab[i];
        if (!s->used) {
            if (!insert)
                return NULL;
            s->used = 1;
            s->a = a;
            s->b = b;
            s->c1 = -1;
            s->c2 = -1;
            return s;
        }
        if (s->a == a && s->b == b)
            return s;
        i = (i + 1) & mask;
    }
}

static bool seg_key(const double *p, uint64_t *a, uint64_t *b)
{
    uint64_t u = qpoint(p[0], p[1]), v = qpoint(p[2], p[3]);
    if (u == v)
        return false;
    *a = u < v ? u : v;
    *b = u < v ? v : u;
    return true;
}

static int cell_x(const grid *g, double lon)
{
    int x = (int)floor((lon + 180.0) / g->deg);
    x %= g->nx;
    return x < 0 ? x + g->nx : x;
}

static int cell_y(const grid *g, double lat)
{
    int y = (int)floor((lat + 90.0) / g->deg);
    return y < 0 ? 0 : y >= g->ny ? g->ny - 1 : y;
}

/* The grid cells a segment's bounding box covers; false when it wraps the
 * antimeridian (Natural Earth never does: its rings are cut at 180). */
static bool seg_cells(const grid *g, const seg *s, int *x0, int *x1, int *y0, int *y1)
{
    double lo = fmin(s->lon1, s->lon2), hi = fmax(s->lon1, s->lon2);
    if (hi - lo > 180.0)
        return false;
    *x0 = cell_x(g, lo);
    *x1 = hi >= 180.0 ? g->nx - 1 : cell_x(g, hi);
    if (*x1 < *x0)
        *x1 = *x0;
    *y0 = cell_y(g, fmin(s->lat1, s->lat2));
    *y1 = cell_y(g, fmax(s->lat1, s->lat2));
    return true;
}

/* Two passes over the segments: count per cell, then fill. */
static int build_grid(geo_border_index *idx, grid *g, double deg)
{
    g->deg = deg;
    g->nx = (int)lround(360.0 / deg);
    g->ny = (int)lround(180.0 / deg);
    const size_t ncells = (size_t)g->nx * (size_t)g->ny;
    uint32_t *fill = NULL;
    g->start = calloc(ncells + 1, sizeof *g->start);
    if (!g->start)
        return CX_ENOMEM;
    int x0, x1, y0, y1;
    for (size_t s = 0; s < idx->nsegs; s++)
        if (seg_cells(g, &idx->segs[s], &x0, &x1, &y0, &y1))
            for (int y = y0; y <= y1; y++)
                for (int x = x0; x <= x1; x++)
                    g->start[(size_t)y * (size_t)g->nx + (size_t)x + 1]++;
    for (size_t c = 0; c < ncells; c++)
        g->start[c + 1] += g->start[c];
    size_t total = g->start[ncells];
    g->items = malloc((total ? total : 1) * sizeof *g->items);
    fill = malloc(ncells * sizeof *fill);
    if (!g->items || !fill) {
        free(fill);
        return CX_ENOMEM;
    }
    memcpy(fill, g->start, ncells * sizeof *fill);
    for (size_t s = 0; s < idx->nsegs; s++)
        if (seg_cells(g, &idx->segs[s], &x0, &x1, &y0, &y1))
            for (int y = y0; y <= y1; y++)
                for (int x = x0; x <= x1; x++)
                    g->items[fill[(size_t)y * (size_t)g->nx + (size_t)x]++] = (uint32_t)s;
    free(fill);
    return 0;
}

int geo_border_index_build(geo_border_index *idx, cx_err *err)
{
    int rc = CX_ENOMEM;
    slot *tab = NULL;
    if (!idx || idx->built)
        return cx_err_set(err, CX_EINVAL, NULL, 0, "border index already built");
    idx->built = 1;
    for (size_t r = 0; r < idx->nrings; r++)
        if (idx->ring_country[r] > INT16_MAX) {
            cx_err_set(err, CX_EINVAL, NULL, 0, "more than %d countries in the border index",
                       INT16_MAX);
            return CX_EINVAL;
        }
    size_t cap = 16; /* load at most 2/3 */
    while (cap < idx->npts + idx->npts / 2 + 16)
        cap *= 2;
    tab = calloc(cap, sizeof *tab);
    idx->seg_other = malloc((idx->npts ? idx->npts : 1) * sizeof *idx->seg_other);
    if (!tab || !idx->seg_other)
        goto done;
    /* seg_other holds each segment's slot (-1: none) until the second pass
     * reads it back, rather than quantizing and finding it again; a table
     * too large for an int's index finds it again */
    bool keep_slot = cap <= INT_MAX;
    for (size_t r = 0; r < idx->nrings; r++) {
        const double *p = idx->pts + 2 * idx->ring_start[r];
        int c = idx->ring_country[r];
        for (size_t j = 0; j + 1 < idx->ring_len[r]; j++) {
            uint64_t a, b;
            idx->seg_other[idx->ring_start[r] + j] = -1;
            if (!seg_key(p + 2 * j, &a, &b))
                continue;
            slot *s = lookup(tab, cap - 1, a, b, true);
            if (keep_slot)
                idx->seg_other[idx->ring_start[r] + j] = (int)(s - tab);
            if (s->c1 < 0)
                s->c1 = (int16_t)c;
            else if (s->c1 != c && s->c2 < 0)
                s->c2 = (int16_t)c;
        }
    }
    size_t nb = 0;
    for (size_t r = 0; r < idx->nrings; r++) {
        const double *p = idx->pts + 2 * idx->ring_start[r];
        int c = idx->ring_country[r];
        for (size_t j = 0; j < idx->ring_len[r]; j++) {
            int other = -1;
            const slot *s = NULL;
            if (j + 1 < idx->ring_len[r]) {
                uint64_t a, b;
                int at = idx->seg_other[idx->ring_start[r] + j];
                if (keep_slot)
                    s = at >= 0 ? &tab[at] : NULL;
                else if (seg_key(p + 2 * j, &a, &b))
                    s = lookup(tab, cap - 1, a, b, false);
            }
            if (s && s->c2 >= 0)
                other = s->c1 == c ? s->c2 : s->c1;
            idx->seg_other[idx->ring_start[r] + j] = other;
            if (other > c)
                nb++;
        }
    }
    idx->segs = malloc((nb ? nb : 1) * sizeof *idx->segs);
    if (!idx->segs)
        goto done;
    for (size_t r = 0; r < idx->nrings; r++) {
        const double *p = idx->pts + 2 * idx->ring_start[r];
        for (size_t j = 0; j + 1 < idx->ring_len[r]; j++)
            if (idx->seg_other[idx->ring_start[r] + j] > idx->ring_country[r])
                idx->segs[idx->nsegs++] =
                    (seg){p[2 * j], p[2 * j + 1], p[2 * j + 2], p[2 * j + 3]};
    }
    if (build_grid(idx, &idx->fine, FINE_DEG) != 0 ||
        build_grid(idx, &idx->coarse, COARSE_DEG) != 0)
        goto done;
    rc = 0;
done:
    free(tab);
    if (rc)
        cx_err_set(err, rc, NULL, 0, "out of memory (border index)");
    return rc;
}

size_t geo_border_index_count(const geo_border_index *idx)
{
    return idx ? idx->nsegs : 0;
}

/* ===== Queries ===== */

static double wrap180(double d)
{
    while (d > 180.0)
        d -= 360.0;
    while (d < -180.0)
        d += 360.0;
    return d;
}

/* Squared planar distance (km^2) from the origin (the query point) to the
 * segment in the local frame scaled by `k` (km per degree of longitude at the
 * query's latitude); *t gets the parameter of the nearest point. */
static double seg_dist2(const seg *g, double lat0, double lon0, double k, double *t)
{
    double x1 = wrap180(g->lon1 - lon0) * k, y1 = (g->lat1 - lat0) * KM_PER_DEG;
    double x2 = x1 + (g->lon2 - g->lon1) * k, y2 = (g->lat2 - lat0) * KM_PER_DEG;
    double dx = x2 - x1, dy = y2 - y1, l2 = dx * dx + dy * dy;
    double u = l2 > 0 ? -(x1 * dx + y1 * dy) / l2 : 0;
    u = u < 0 ? 0 : u > 1 ? 1 : u;
    double px = x1 + u * dx, py = y1 + u * dy;
    *t = u;
    return px * px + py * py;
}

typedef struct best {
    double d2, t;
    long s;
} best;

static void try_cell(const geo_border_index *idx, const grid *g, int x, int y, double lat,
                     double lon, double k, best *b)
{
    size_t c = (size_t)y * (size_t)g->nx + (size_t)x;
    for (uint32_t i = g->start[c]; i < g->start[c + 1]; i++) {
        double t, d2 = seg_dist2(&idx->segs[g->items[i]], lat, lon, k, &t);
        if (d2 < b->d2) {
            b->d2 = d2;
            b->t = t;
            b->s = g->items[i];
        }
    }
}

/* Visit the cells at Chebyshev distance r from (cx, cy), longitudes wrapping. */
static void try_ring(const geo_border_index *idx, const grid *g, int cx, int cy, int r,
                     double lat, double lon, double k, best *b)
{
    int xr = r < g->nx / 2 ? r : g->nx / 2; /* past half the globe, columns repeat */
    for (int dy = -r; dy <= r; dy++) {
        int y = cy + dy;
        if (y < 0 || y >= g->ny)
            continue;
        bool edge_row = dy == -r || dy == r;
        for (int dx = -xr; dx <= xr; dx++) {
            if (!edge_row && dx != -r && dx != r)
                continue;
            try_cell(idx, g, ((cx + dx) % g->nx + g->nx) % g->nx, y, lat, lon, k, b);
        }
    }
}

/* Ring search on one grid, from ring r0 to r1; true once no unseen segment
 * can beat the best (every unseen one is at least r cells away). */
static bool search(const geo_border_index *idx, const grid *g, int r0, int r1, double lat,
                   double lon, double k, best *b)
{
    int cx = cell_x(g, lon), cy = cell_y(g, lat);
    for (int r = r0; r <= r1; r++) {
        try_ring(idx, g, cx, cy, r, lat, lon, k, b);
        double bound = r * g->deg * k;
        if (b->s >= 0 && b->d2 <= bound * bound)
            return true;
    }
    return false;
}

/* Geodesic km to the planar-nearest point of segment s, or INFINITY when its
 * planar distance exceeds `lim` km. */
static double refine(const geo_border_index *idx, size_t s, double lat, double lon,
                     double k, double lim)
{
    double t, d2 = seg_dist2(&idx->segs[s], lat, lon, k, &t);
    if (d2 > lim * lim)
        return INFINITY;
    const seg *g = &idx->segs[s];
    double plon = g->lon1 + t * (g->lon2 - g->lon1), plat = g->lat1 + t * (g->lat2 - g->lat1);
    return geo_geodesic_m(lat, lon, plat, plon) / 1000.0;
}

double geo_border_distance_km(const geo_border_index *idx, double lat, double lon)
{
    if (!idx || !idx->built || !idx->nsegs || !isfinite(lat) || !isfinite(lon))
        return NAN;
    lon = wrap180(lon);
    double k = KM_PER_DEG * cos(lat * M_PI / 180.0);
    if (k < 1e-6)
        k = 1e-6;
    best b = {INFINITY, 0, -1};
    const grid *coarse = &idx->coarse;
    if (!search(idx, &idx->fine, 0, FINE_RINGS, lat, lon, k, &b))
        search(idx, coarse, 0, coarse->nx / 2 + coarse->ny, lat, lon, k, &b);
    /* The local frame distorts with distance (its x scale is that of the
     * query's latitude, off by about d/R * tan(lat) in relative terms), so
     * re-measure on the ellipsoid every segment whose planar distance is
     * within twice that margin of the planar best. */
    double d = sqrt(b.d2);
    double margin = 2.0 * (d / 6371.0) * (fabs(tan(lat * M_PI / 180.0)) + 0.2);
    double lim = d * (1.0 + fmin(margin, 0.1)) + 0.2, km = INFINITY;
    const grid *g = &idx->fine;
    int rmax = (int)ceil(lim / (g->deg * k)) + 1;
    if (rmax > FINE_RINGS) {
        g = coarse;
        rmax = (int)ceil(fmin(lim / (g->deg * k), 1e6)) + 1;
        if (rmax > g->nx / 2 + g->ny)
            rmax = g->nx / 2 + g->ny;
    }
    int cx = cell_x(g, lon), cy = cell_y(g, lat);
    int xr = rmax < g->nx / 2 ? rmax : g->nx / 2;
    for (int dy = -rmax; dy <= rmax; dy++) {
        int y = cy + dy;
        if (y < 0 || y >= g->ny)
            continue;
        for (int dx = -xr; dx <= xr; dx++) {
            size_t c = (size_t)y * (size_t)g->nx + (size_t)(((cx + dx) % g->nx + g->nx) % g->nx);
            for (uint32_t i = g->start[c]; i < g->start[c + 1]; i++)
                km = fmin(km, refine(idx, g->items[i], lat, lon, k, lim));
        }
    }
    return km;
}

/* ===== Lines ===== */

/* Clip segment p0-p1 to the box (Liang-Barsky). Returns false when outside. */
bool geo_clip_segment(const double box[4], double *x0, double *y0, double *x1, double *y1)
{
    double t0 = 0, t1 = 1, dx = *x1 - *x0, dy = *y1 - *y0;
    double p[4] = {-dx, dx, -dy, dy};
    double q[4] = {*x0 - box[0], box[2] - *x0, *y0 - box[1], box[3] - *y0};
    for (int i = 0; i < 4; i++) {
        if (p[i] == 0) {
            if (q[i] < 0)
                return false;
            continue;
        }
        double r = q[i] / p[i];
        if (p[i] < 0) {
            if (r > t1)
                return false;
            if (r > t0)
                t0 = r;
        } else {
            if (r < t0)
                return false;
            if (r < t1)
                t1 = r;
        }
    }
    double ax = *x0 + t0 * dx, ay = *y0 + t0 * dy, bx = *x0 + t1 * dx, by = *y0 + t1 * dy;
    *x0 = ax;
    *y0 = ay;
    *x1 = bx;
    *y1 = by;
    return true;
}

int geo_border_index_lines(const geo_border_index *idx, double minlon, double minlat,
                           double maxlon, double maxlat, geo_line_fn fn, void *ctx)
{
    if (!idx || !idx->built || !fn)
        return CX_EINVAL;
    double box[4] = {minlon, minlat, maxlon, maxlat};
    double *line = NULL;
    size_t n = 0, cap = 0;
    int rc = 0, cur_a = -1, cur_b = -1;
    for (size_t r = 0; r < idx->nrings && !rc; r++) {
        const double *p = idx->pts + 2 * idx->ring_start[r];
        int c = idx->ring_country[r];
        for (size_t j = 0; j + 1 < idx->ring_len[r] && !rc; j++) {
            int other = idx->seg_other[idx->ring_start[r] + j];
            double x0 = p[2 * j], y0 = p[2 * j + 1], x1 = p[2 * j + 2], y1 = p[2 * j + 3];
            bool keep = other > c && fabs(x1 - x0) <= 180.0 && geo_clip_segment(box, &x0, &y0, &x1, &y1);
            bool joins = keep && n >= 2 && other == cur_b && line[2 * n - 2] == x0 &&
                         line[2 * n - 1] == y0;
            if (!joins && n >= 2) {
                rc = fn(ctx, cur_a, cur_b, line, n);
                n = 0;
            }
            if (!keep || rc) {
                n = 0;
                continue;
            }
            if (grow((void **)&line, &cap, n + 2, 2 * sizeof(double))) {
                rc = CX_ENOMEM;
                break;
            }
            if (!joins) {
                n = 0;
                cur_a = c;
                cur_b = other;
                line[2 * n] = x0;
                line[2 * n + 1] = y0;
                n++;
            }
            line[2 * n] = x1;
            line[2 * n + 1] = y1;
            n++;
        }
        if (!rc && n >= 2)
            rc = fn(ctx, cur_a, cur_b, line, n);
        n = 0;
    }
    free(line);
    return rc;
}
