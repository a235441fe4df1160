/* map_draw.c -- draw the map with cairo: sea, country polygons, borders and
 * coasts, lakes, incident symbols, place labels, legend, title, scale bar,
 * north arrow and attribution; then write PNG, SVG or PDF atomically.
 *
 * Page units are PNG pixels; SVG and PDF scale them to points by 72/dpi.
 * Text goes through cairo's "toy" font API with fontconfig families: Latin
 * and Cyrillic in "Noto Sans", Armenian and Georgian runs in their Noto
 * families (cairo's toy API does no font fallback, so we split runs by
 * script ourselves). No shaping: Arabic-script names would not join. */
#include "map_p.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <cairo.h>
#include <cpl_error.h>
#include <errno.h>
#include <fontconfig/fontconfig.h>
#include <fcntl.h>
#include <gdal.h>
#include <math.h>
#include <ogr_api.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define CLAMP_PX 1.0e6 /* far-away vertices are clamped to this many units */
#define LINK 1.0 /* link two differing symbols when one's centre lies within the other's reach */

/* ===== Colours ===== */

typedef struct rgb {
    double r, g, b;
} rgb;

static rgb hex(unsigned v)
{
    return (rgb){((v >> 16) & 255) / 255.0, ((v >> 8) & 255) / 255.0, (v & 255) / 255.0};
}

static void set_rgb(cairo_t *cr, unsigned v)
{
    rgb c = hex(v);
    cairo_set_source_rgb(cr, c.r, c.g, c.b);
}

#define C_SEA 0xd4e6f1u
#define C_LAND 0xf4f1e9u
#define C_BORDER 0x7d6e68u
#define C_COAST 0x8fb2ccu
#define C_CASING 0xe3d9e6u
#define C_TEXT 0x222222u
#define C_MUTED 0x6b6b6bu
#define C_COUNTRY 0x9a8f86u
#define C_ADMIN1 0xb9adb3u

unsigned map_type_rgb(int type)
{
    switch (type) {
    case MAP_SHELLING: return 0xd7191cu;   /* QGIS style: red */
    case MAP_CLASH: return 0xf57c00u;      /* orange */
    case MAP_EVACUATION: return 0x2b83bau; /* blue */
    default: return 0x808080u;
    }
}

int map_format_from_path(const char *path)
{
    size_t n = path ? strlen(path) : 0;
    if (n < 5)
        return -1;
    const char *ext = path + n - 4;
    if (!strcasecmp(ext, ".png"))
        return MAP_FMT_PNG;
    if (!strcasecmp(ext, ".svg"))
        return MAP_FMT_SVG;
    if (!strcasecmp(ext, ".pdf"))
        return MAP_FMT_PDF;
    return -1;
}

/* ===== Text ===== */

static const char *family_of(uint32_t cp)
{
    if ((cp >= 0x0530 && cp <= 0x058f) || (cp >= 0xfb13 && cp <= 0xfb17))
        return "Noto Sans Armenian";
    if ((cp >= 0x10a0 && cp <= 0x10ff) || (cp >= 0x1c90 && cp <= 0x1cbf))
        return "Noto Sans Georgian";
    return "Noto Sans";
}

/* Decode one UTF-8 sequence at s (bytes left n); returns its length (>= 1,
 * invalid bytes count as one U+FFFD). */
static size_t utf8_next(const unsigned char *s, size_t n, uint32_t *cp)
{
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    size_t len = s[0] >= 0xf0 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc0 ? 2 : 0;
    if (len == 0 || len > n) {
        *cp = 0xfffd;
        return 1;
    }
    uint32_t c = s[0] & (0x7f >> len);
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80) {
            *cp = 0xfffd;
            return 1;
        }
        c = (c << 6) | (s[i] & 0x3f);
    }
    *cp = c;
    return len;
}

/* Lay out `s` in script runs from baseline (x, y): with `path` the glyph
 * outlines are added to the current path, else only measured. Returns the
 * advance width. */
static double text_runs(cairo_t *cr, const char *s, double x, double y, double size, bool bold,
                        bool path)
{
    size_t n = strlen(s), i = 0;
    double adv = 0;
    char small[256];
    while (i < n) {
        uint32_t cp;
        size_t start = i, k = utf8_next((const unsigned char *)s + i, n - i, &cp);
        const char *fam = family_of(cp);
        i += k;
        while (i < n) {
            k = utf8_next((const unsigned char *)s + i, n - i, &cp);
            if (family_of(cp) != fam && cp != ' ')
                break;
            i += k;
        }
        size_t len = i - start;
        char *run = len < sizeof small ? small : malloc(len + 1);
        if (!run)
            return adv;
        memcpy(run, s + start, len);
        run[len] = '\0';
        cairo_select_font_face(cr, fam, CAIRO_FONT_SLANT_NORMAL,
                               bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
        cairo_set_font_size(cr, size);
        cairo_text_extents_t te;
        cairo_text_extents(cr, run, &te);
        if (path) {
            cairo_move_to(cr, x + adv, y);
            cairo_text_path(cr, run);
        }
        adv += te.x_advance;
        if (run != small)
            free(run);
    }
    return adv;
}

static double text_width(cairo_t *cr, const char *s, double size, bool bold)
{
    return text_runs(cr, s, 0, 0, size, bold, false);
}

/* Fill text at baseline (x, y), with a white halo when halo > 0. */
static void draw_text(cairo_t *cr, const char *s, double x, double y, double size, bool bold,
                      unsigned colour, double halo)
{
    cairo_new_path(cr);
    text_runs(cr, s, x, y, size, bold, true);
    if (halo > 0) {
        cairo_set_source_rgba(cr, 1, 1, 1, 0.9);
        cairo_set_line_width(cr, halo);
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
        cairo_stroke_preserve(cr);
    }
    set_rgb(cr, colour);
    cairo_fill(cr);
}

/* ===== Basemap shapes ===== */

/* A polygon feature projected to page units: rings of points. */
typedef struct shape {
    char name[96];
    double *xy; /* x0 y0 x1 y1 ... */
    size_t n;   /* points */
    size_t *ends; /* ring i ends before point ends[i] */
    size_t n_rings;
} shape;

typedef struct shapes {
    shape *items;
    size_t n, cap;
} shapes;

static void shapes_free(shapes *s)
{
    for (size_t i = 0; i < s->n; i++) {
        free(s->items[i].xy);
        free(s->items[i].ends);
    }
    free(s->items);
    s->items = NULL;
    s->n = s->cap = 0;
}

typedef struct ring_buf {
    double *x, *y;
    size_t cap;
} ring_buf;

static bool env_hits(const OGREnvelope *e, const map_bbox *b)
{
    return e->MinX <= b->east && e->MaxX >= b->west && e->MinY <= b->north &&
           e->MaxY >= b->south;
}

/* Append ring `r` (projected, decimated to ~0.3 units) to `sh`. */
/* One Sutherland-Hodgman pass: keep the part of ring `in` (n points, xy
 * pairs) on the inner side of edge e (0: x >= lim, 1: x <= lim, 2: y >= lim,
 * 3: y <= lim). Writes at most 2n points to `out`; returns their count. */
static size_t clip_edge(const double *in, size_t n, double *out, int e, double lim)
{
    size_t m = 0;
    int axis = e / 2;
    bool keep_above = e % 2 == 0;
    for (size_t i = 0; i < n; i++) {
        const double *p = in + 2 * i, *q = in + 2 * ((i + 1) % n);
        bool pin = keep_above ? p[axis] >= lim : p[axis] <= lim;
        bool qin = keep_above ? q[axis] >= lim : q[axis] <= lim;
        if (pin) {
            out[2 * m] = p[0];
            out[2 * m + 1] = p[1];
            m++;
        }
        if (pin != qin) {
            double t = (lim - p[axis]) / (q[axis] - p[axis]);
            out[2 * m] = axis == 0 ? lim : p[0] + t * (q[0] - p[0]);
            out[2 * m + 1] = axis == 1 ? lim : p[1] + t * (q[1] - p[1]);
            m++;
        }
    }
    return m;
}

static int add_ring(map_view *v, OGRGeometryH r, shape *sh, ring_buf *rb)
{
    int np = OGR_G_GetPointCount(r);
    if (np < 3)
        return 0;
    if ((size_t)np > rb->cap) {
        double *x = realloc(rb->x, (size_t)np * sizeof *x);
        if (x)
            rb->x = x;
        double *y = realloc(rb->y, (size_t)np * sizeof *y);
        if (y)
            rb->y = y;
        if (!x || !y)
            return CX_ENOMEM;
        rb->cap = (size_t)np;
    }
    OGR_G_GetPoints(r, rb->x, sizeof(double), rb->y, sizeof(double), NULL, 0);
    mapp_forward(v, rb->x, rb->y, (size_t)np);
    mapp_to_page(v, rb->x, rb->y, (size_t)np);
    double *xy = realloc(sh->xy, (sh->n + (size_t)np) * 2 * sizeof *xy);
    if (!xy)
        return CX_ENOMEM;
    sh->xy = xy;
    size_t *ends = realloc(sh->ends, (sh->n_rings + 1) * sizeof *ends);
    if (!ends)
        return CX_ENOMEM;
    sh->ends = ends;
    size_t start = sh->n;
    double lx = HUGE_VAL, ly = HUGE_VAL;
    for (int i = 0; i < np; i++) {
        double x = rb->x[i], y = rb->y[i];
        if (!isfinite(x) || !isfinite(y) || x == HUGE_VAL)
            continue;
        x = fmax(-CLAMP_PX, fmin(CLAMP_PX, x));
        y = fmax(-CLAMP_PX, fmin(CLAMP_PX, y));
        if (i != np - 1 && fabs(x - lx) < 0.3 && fabs(y - ly) < 0.3)
            continue;
        sh->xy[2 * sh->n] = lx = x;
        sh->xy[2 * sh->n + 1] = ly = y;
        sh->n++;
    }
    if (sh->n - start < 3) {
        sh->n = start;
        return 0;
    }
    /* Clip to the frame plus a margin: SVG and PDF keep every path vertex,
     * and the whole of Russia is not needed for a map of the Caucasus. */
    double pad = 20 * v->u;
    double lim[4] = {-pad, v->width + pad, v->top - pad, v->height + pad};
    size_t m = sh->n - start, cap = 2 * m + 16;
    double *a = malloc(cap * 2 * sizeof *a), *b = malloc(cap * 2 * sizeof *b);
    if (!a || !b) {
        free(a);
        free(b);
        return CX_ENOMEM;
    }
    memcpy(a, sh->xy + 2 * start, m * 2 * sizeof *a);
    for (int e = 0; e < 4 && m > 0; e++) {
        if (2 * m + 8 > cap) { /* cannot happen: each pass adds at most m points */
            m = 0;
            break;
        }
        m = clip_edge(a, m, b, e, lim[e]);
        double *t = a;
        a = b;
        b = t;
    }
    sh->n = start;
    if (m >= 3) {
        xy = realloc(sh->xy, (start + m) * 2 * sizeof *xy);
        if (!xy) {
            free(a);
            free(b);
            return CX_ENOMEM;
        }
        sh->xy = xy;
        memcpy(sh->xy + 2 * start, a, m * 2 * sizeof *a);
        sh->n = start + m;
        sh->ends[sh->n_rings++] = sh->n;
    }
    free(a);
    free(b);
    return 0;
}

/* Add the polygon parts of `g` whose envelope meets `near`. */
static int add_geometry(map_view *v, OGRGeometryH g, const map_bbox *near, shape *sh,
                        ring_buf *rb)
{
    OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(g));
    OGREnvelope e;
    OGR_G_GetEnvelope(g, &e);
    if (!env_hits(&e, near))
        return 0;
    if (t == wkbPolygon) {
        for (int i = 0; i < OGR_G_GetGeometryCount(g); i++) {
            int rc = add_ring(v, OGR_G_GetGeometryRef(g, i), sh, rb);
            if (rc)
                return rc;
        }
        return 0;
    }
    if (t == wkbMultiPolygon || t == wkbGeometryCollection) {
        for (int i = 0; i < OGR_G_GetGeometryCount(g); i++) {
            int rc = add_geometry(v, OGR_G_GetGeometryRef(g, i), near, sh, rb);
            if (rc)
                return rc;
        }
    }
    return 0;
}

/* Load the polygons of `layer` near the view. */
static int load_layer(map_view *v, OGRLayerH layer, shapes *out, cx_err *err)
{
    int rc = 0;
    ring_buf rb = {NULL, NULL, 0};
    double mx = (v->ll.east - v->ll.west) * 0.5 + 1, my = (v->ll.north - v->ll.south) * 0.5 + 1;
    map_bbox near = {v->ll.west - mx, v->ll.south - my, v->ll.east + mx, v->ll.north + my};
    OGR_L_SetSpatialFilterRect(layer, near.west, near.south, near.east, near.north);
    int i_name = OGR_FD_GetFieldIndex(OGR_L_GetLayerDefn(layer), "name");
    OGR_L_ResetReading(layer);
    OGRFeatureH f;
    while ((f = OGR_L_GetNextFeature(layer)) != NULL) {
        OGRGeometryH g = OGR_F_GetGeometryRef(f);
        if (g) {
            if (out->n == out->cap) {
                size_t cap = out->cap ? out->cap * 2 : 32;
                shape *p = realloc(out->items, cap * sizeof *p);
                if (!p) {
                    OGR_F_Destroy(f);
                    rc = cx_err_set(err, CX_ENOMEM, NULL, 0, "out of memory");
                    goto done;
                }
                out->items = p;
                out->cap = cap;
            }
            shape *sh = &out->items[out->n];
            memset(sh, 0, sizeof *sh);
            if (i_name >= 0 && OGR_F_IsFieldSetAndNotNull(f, i_name))
                snprintf(sh->name, sizeof sh->name, "%s", OGR_F_GetFieldAsString(f, i_name));
            out->n++;
            rc = add_geometry(v, g, &near, sh, &rb);
            if (sh->n_rings == 0) {
                free(sh->xy);
                free(sh->ends);
                out->n--;
            }
        }
        OGR_F_Destroy(f);
        if (rc) {
            cx_err_set(err, rc, NULL, 0, "out of memory");
            goto done;
        }
    }
done:
    free(rb.x);
    free(rb.y);
    return rc;
}

/* Load the polygons of `path` near the view: the "countries" layer when
 * present, else the first; and into `land` (may be NULL) the "land" layer
 * when present (for coastlines). */
static int load_shapes(map_view *v, const char *path, shapes *out, shapes *land, cx_err *err)
{
    int rc = 0;
    CPLPushErrorHandler(CPLQuietErrorHandler);
    CPLErrorReset();
    GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
    if (!ds) {
        rc = cx_err_set(err, CX_EIO, path, 0, "cannot read polygons%s%s",
                        CPLGetLastErrorMsg()[0] ? ": " : "", CPLGetLastErrorMsg());
        goto done;
    }
    OGRLayerH layer = GDALDatasetGetLayerByName(ds, "countries");
    if (!layer)
        layer = GDALDatasetGetLayer(ds, 0);
    if (!layer) {
        rc = cx_err_set(err, CX_EIO, path, 0, "no layer");
        goto done;
    }
    rc = load_layer(v, layer, out, err);
    OGRLayerH land_layer = land ? GDALDatasetGetLayerByName(ds, "land") : NULL;
    if (!rc && land_layer && land_layer != layer)
        rc = load_layer(v, land_layer, land, err);
done:
    if (ds)
        GDALClose(ds);
    CPLPopErrorHandler();
    return rc;
}

static void shape_path(cairo_t *cr, const shape *sh)
{
    size_t start = 0;
    for (size_t r = 0; r < sh->n_rings; r++) {
        cairo_move_to(cr, sh->xy[2 * start], sh->xy[2 * start + 1]);
        for (size_t i = start + 1; i < sh->ends[r]; i++)
            cairo_line_to(cr, sh->xy[2 * i], sh->xy[2 * i + 1]);
        cairo_close_path(cr);
        start = sh->ends[r];
    }
}

/* ===== Symbols ===== */

static double symbol_radius(const map_view *v, const map_incident *inc, int size_by)
{
    double r0 = 5.5 * v->u;
    if (size_by == MAP_SIZE_SOURCES && inc->n_sources > 1)
        return fmin(r0 * (1 + 0.45 * log2(inc->n_sources)), 2.6 * r0);
    if (size_by == MAP_SIZE_FATALITIES && inc->fatalities > 0)
        return fmin(r0 * (1 + 0.4 * log2(1.0 + inc->fatalities)), 3.0 * r0);
    return r0;
}

static void symbol_path(cairo_t *cr, int type, double x, double y, double r)
{
    cairo_new_sub_path(cr);
    switch (type) {
    case MAP_SHELLING: /* five-pointed star */
        for (int i = 0; i < 10; i++) {
            double a = -M_PI / 2 + i * M_PI / 5, rr = (i % 2 ? 0.55 : 1.3) * r;
            if (i == 0)
                cairo_move_to(cr, x + rr * cos(a), y + rr * sin(a));
            else
                cairo_line_to(cr, x + rr * cos(a), y + rr * sin(a));
        }
        cairo_close_path(cr);
        break;
    case MAP_CLASH: /* diamond */
        cairo_move_to(cr, x, y - 1.2 * r);
        cairo_line_to(cr, x + 1.2 * r, y);
        cairo_line_to(cr, x, y + 1.2 * r);
        cairo_line_to(cr, x - 1.2 * r, y);
        cairo_close_path(cr);
        break;
    default: /* circle */
        cairo_arc(cr, x, y, r, 0, 2 * M_PI);
        cairo_close_path(cr);
        break;
    }
}

/* How far a symbol of radius r reaches from its centre. */
static double symbol_extent(int type, double r)
{
    return r * (type == MAP_SHELLING ? 1.3 : type == MAP_CLASH ? 1.2 : 1.0);
}

/* A symbol; geo_prec 3 (a region's or unit's centre, not the place itself)
 * is hollow: a pale fill and a dashed outline in the type's colour. */
static void draw_symbol(cairo_t *cr, const map_view *v, int type, int prec, double x, double y,
                        double r)
{
    cairo_new_path(cr);
    symbol_path(cr, type, x, y, r);
    rgb c = hex(map_type_rgb(type));
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_MITER);
    if (prec == 3) {
        cairo_set_source_rgba(cr, 1, 1, 1, 0.75);
        cairo_fill_preserve(cr);
        cairo_set_source_rgb(cr, c.r, c.g, c.b);
        double dash[2] = {2.6 * v->u, 1.6 * v->u};
        cairo_set_dash(cr, dash, 2, 0);
        cairo_set_line_width(cr, 1.8 * v->u);
        cairo_stroke(cr);
        cairo_set_dash(cr, NULL, 0, 0);
        return;
    }
    cairo_set_source_rgb(cr, c.r, c.g, c.b);
    cairo_fill_preserve(cr);
    set_rgb(cr, 0x222222u); /* the QGIS styles' outline */
    cairo_set_line_width(cr, 0.8 * v->u);
    cairo_stroke(cr);
}

/* ===== Output stream ===== */

typedef struct sink {
    FILE *fp;
    int failed;
} sink;

static cairo_status_t sink_write(void *closure, const unsigned char *data, unsigned int length)
{
    sink *s = closure;
    if (fwrite(data, 1, length, s->fp) != length) {
        s->failed = errno ? errno : EIO;
        return CAIRO_STATUS_WRITE_ERROR;
    }
    return CAIRO_STATUS_SUCCESS;
}

/* ===== Map furniture ===== */

typedef struct incident_px {
    double x, y, r;   /* as drawn */
    const map_incident *inc;
    double ax, ay;    /* the incident's own place */
    size_t index;     /* in the list */
    bool displaced;
} incident_px;

/* Biggest first so small ones stay visible; at equal size evacuations,
 * then clashes, then shelling on top; then input order (stable). */
static int cmp_radius_desc(const void *a, const void *b)
{
    const incident_px *p = a, *q = b;
    if (p->r != q->r)
        return (p->r < q->r) - (p->r > q->r);
    int tp = p->inc->type == MAP_SHELLING ? 2 : p->inc->type == MAP_CLASH ? 1 : 0;
    int tq = q->inc->type == MAP_SHELLING ? 2 : q->inc->type == MAP_CLASH ? 1 : 0;
    if (tp != tq)
        return tp - tq;
    return (p->index > q->index) - (p->index < q->index);
}

/* One symbol as it would stand: a type (and whether it is hollow) at one
 * spot. Incidents of one type at one spot share it (a stack). */
typedef struct sym_key {
    double ax, ay, e; /* its place and how far its biggest symbol reaches */
    int type;
    bool hollow;
    double x, y;      /* where it is drawn */
    double angle;     /* of its place seen from its cluster's centre */
} sym_key;

static size_t uf_find(size_t *par, size_t i)
{
    while (par[i] != i)
        i = par[i] = par[par[i]];
    return i;
}

static int cmp_angle(const void *a, const void *b)
{
    const sym_key *p = *(sym_key *const *)a, *q = *(sym_key *const *)b;
    return (p->angle > q->angle) - (p->angle < q->angle);
}

static void layout(sym_key *keys, size_t nk, size_t *par, size_t *count, sym_key **members);

/* Symbols that would overlap and differ (another type, or one hollow and
 * one solid) would hide each other: such symbols are clustered (single
 * linkage on "would overlap") and each cluster's symbols are spread on a
 * ring around the cluster's centre, in the directions of their own places,
 * far enough apart not to overlap; each is joined to its place by a leader
 * (drawn by the caller). The QGIS styles' point displacement does the same.
 * Symbols of one type at one spot stay stacked. Writes the number of
 * incidents moved to *n_disp. Returns 0 or CX_ENOMEM. */
static int displace(incident_px *ip, size_t m, size_t *n_disp)
{
    int rc = 0;
    *n_disp = 0;
    size_t *key_of = malloc((m ? m : 1) * sizeof *key_of);
    sym_key *keys = malloc((m ? m : 1) * sizeof *keys);
    size_t *par = malloc((m ? m : 1) * sizeof *par), *count = calloc(m ? m : 1, sizeof *count);
    sym_key **members = malloc((m ? m : 1) * sizeof *members);
    if (!key_of || !keys || !par || !count || !members) {
        rc = CX_ENOMEM;
        goto done;
    }
    size_t nk = 0;
    for (size_t i = 0; i < m; i++) {
        int t = ip[i].inc->type;
        bool hollow = ip[i].inc->geo_prec == 3;
        double e = symbol_extent(t, ip[i].r);
        size_t k = 0;
        while (k < nk && !(keys[k].type == t && keys[k].hollow == hollow &&
                           fabs(keys[k].ax - ip[i].ax) < 0.5 && fabs(keys[k].ay - ip[i].ay) < 0.5))
            k++;
        if (k == nk)
            keys[nk++] = (sym_key){ip[i].ax, ip[i].ay, e, t, hollow, ip[i].ax, ip[i].ay, 0};
        keys[k].e = fmax(keys[k].e, e);
        key_of[i] = k;
    }
    for (size_t k = 0; k < nk; k++)
        par[k] = k;
    for (size_t a = 0; a < nk; a++)
        for (size_t b = a + 1; b < nk; b++)
            if ((keys[a].type != keys[b].type || keys[a].hollow != keys[b].hollow) &&
                hypot(keys[a].ax - keys[b].ax, keys[a].ay - keys[b].ay) < LINK * fmax(keys[a].e, keys[b].e))
                par[uf_find(par, a)] = uf_find(par, b);
    /* One layout: rings of neighbouring clusters can still touch on a very
     * crowded map (merging them and laying out again grows rings that touch
     * more: tried, worse). */
    layout(keys, nk, par, count, members);
    /* ...then push apart, a little at a time, what still overlaps: each of
     * two differing symbols that overlap moves half the overlap away from
     * the other, until none does (symbols stay near their places). */
    for (int round = 0; round < 50; round++) {
        bool moved = false;
        for (size_t a = 0; a < nk; a++)
            for (size_t b = a + 1; b < nk; b++) {
                if (keys[a].type == keys[b].type && keys[a].hollow == keys[b].hollow)
                    continue;
                double dx = keys[b].x - keys[a].x, dy = keys[b].y - keys[a].y;
                double dist = hypot(dx, dy), need = keys[a].e + keys[b].e;
                if (dist >= need)
                    continue;
                if (dist < 1e-6) { /* head on: left and right */
                    dx = 1, dy = 0, dist = 1e-6;
                }
                double push = (need - dist) / 2 + 0.25;
                keys[a].x -= dx / dist * push;
                keys[a].y -= dy / dist * push;
                keys[b].x += dx / dist * push;
                keys[b].y += dy / dist * push;
                moved = true;
            }
        if (!moved)
            break;
    }
    for (size_t i = 0; i < m; i++) {
        const sym_key *k = &keys[key_of[i]];
        if (hypot(k->x - k->ax, k->y - k->ay) < 0.5)
            continue;
        ip[i].x = k->x;
        ip[i].y = k->y;
        ip[i].displaced = true;
        (*n_disp)++;
    }
done:
    free(key_of);
    free(keys);
    free(par);
    free(count);
    free(members);
    return rc;
}

/* Lay out every cluster of `keys` (roots in `par`) of two or more on its
 * ring; single ones stay at their place. `count` and `members` are scratch. */
static void layout(sym_key *keys, size_t nk, size_t *par, size_t *count, sym_key **members)
{
    for (size_t k = 0; k < nk; k++) {
        count[k] = 0;
        keys[k].x = keys[k].ax;
        keys[k].y = keys[k].ay;
    }
    for (size_t k = 0; k < nk; k++)
        count[uf_find(par, k)]++;
    for (size_t root = 0; root < nk; root++) {
        size_t n = count[root];
        if (n < 2 || uf_find(par, root) != root)
            continue;
        double cx = 0, cy = 0, emax = 0;
        size_t j = 0;
        for (size_t k = 0; k < nk; k++)
            if (uf_find(par, k) == root) {
                members[j++] = &keys[k];
                cx += keys[k].ax;
                cy += keys[k].ay;
                emax = fmax(emax, keys[k].e);
            }
        cx /= (double)n;
        cy /= (double)n;
        for (size_t q = 0; q < n; q++)
            members[q]->angle = atan2(members[q]->ay - cy, members[q]->ax - cx);
        qsort(members, n, sizeof *members, cmp_angle);
        /* neighbours on the ring are 2 d sin(pi / n) >= 2.1 emax apart */
        double d = n == 2 ? 1.05 * emax : 1.05 * emax / sin(M_PI / (double)n);
        /* two symbols that met head on (same spot) go left and right */
        double a0 = n == 2 && fabs(members[0]->angle - members[1]->angle) < 1e-9 ? M_PI
                                                                                 : members[0]->angle;
        for (size_t q = 0; q < n; q++) {
            double a = a0 + 2 * M_PI * (double)q / (double)n;
            members[q]->x = cx + d * cos(a);
            members[q]->y = cy + d * sin(a);
        }
    }
}

typedef struct place_label {
    const char *name; /* borrowed from the incident */
    double x, y, r;
    int count;
    char text[160]; /* "name" or "name (count)" */
} place_label;

static int cmp_label(const void *a, const void *b)
{
    const place_label *p = a, *q = b;
    if (p->count != q->count)
        return q->count - p->count;
    if (p->r != q->r)
        return (p->r < q->r) - (p->r > q->r);
    return strcmp(p->name, q->name);
}

static bool is_fr(const char *lang)
{
    return lang && !strcmp(lang, "fr");
}

/* "13 Sep 2022"-free ISO ranges keep the map language-neutral. */
static void date_range(const map_list *incs, const map_options *o, char *buf, size_t size)
{
    char lo[11] = "", hi[11] = "";
    for (size_t i = 0; i < incs->n; i++) {
        const char *d = incs->items[i].date;
        if (!d[0])
            continue;
        if (!lo[0] || strcmp(d, lo) < 0)
            snprintf(lo, sizeof lo, "%s", d);
        if (!hi[0] || strcmp(d, hi) > 0)
            snprintf(hi, sizeof hi, "%s", d);
    }
    if (o->from && o->from[0])
        snprintf(lo, sizeof lo, "%s", o->from);
    if (o->to && o->to[0])
        snprintf(hi, sizeof hi, "%s", o->to);
    const char *what = incs->n == 1 ? "incident" : "incidents";
    if (!lo[0] && !hi[0])
        snprintf(buf, size, "%zu %s, %s", incs->n, what,
                 is_fr(o->lang) ? "dates inconnues" : "dates unknown");
    else if (!strcmp(lo, hi))
        snprintf(buf, size, "%s \xc2\xb7 %zu %s", lo, incs->n, what);
    else
        snprintf(buf, size, "%s \xe2\x80\x93 %s \xc2\xb7 %zu %s", lo[0] ? lo : "\xe2\x80\xa6",
                 hi[0] ? hi : "\xe2\x80\xa6", incs->n, what);
}

static void draw_scale_bar(cairo_t *cr, map_view *v, double right, double base, map_rect *box)
{
    double u = v->u, target = fmin(0.25 * v->width, 260 * u), right0 = right;
    double km = map_view_km(v, right - target, base, target);
    double nice = map_nice_km(km);
    *box = (map_rect){right, base, right, base};
    if (!(nice > 0))
        return;
    double fs = 10.5 * u;
    bool metres = nice < 1;
    right -= text_width(cr, metres ? " m" : " km", fs, false); /* room for the unit */
    double len = target * nice / km, x0 = right - len, h = 5 * u;
    for (int i = 0; i < 4; i++) {
        cairo_rectangle(cr, x0 + i * len / 4, base - h, len / 4, h);
        set_rgb(cr, i % 2 ? 0xffffffu : C_TEXT);
        cairo_fill_preserve(cr);
        set_rgb(cr, C_TEXT);
        cairo_set_line_width(cr, 0.8 * u);
        cairo_stroke(cr);
    }
    char lab[32];
    for (int i = 0; i <= 2; i++) {
        snprintf(lab, sizeof lab, "%g", nice * i / 2 * (metres ? 1000 : 1));
        double w = text_width(cr, lab, fs, false); /* the number centres on its tick */
        if (i == 2) {
            size_t k = strlen(lab);
            snprintf(lab + k, sizeof lab - k, " %s", metres ? "m" : "km");
        }
        draw_text(cr, lab, x0 + len * i / 2 - w / 2, base - h - 4 * u, fs, false, C_TEXT,
                  3 * u);
    }
    *box = (map_rect){x0 - 10 * u, base - h - 4 * u - fs, right0 + 2 * u, base + 2 * u};
}

static void draw_north_arrow(cairo_t *cr, map_view *v, double x, double y, map_rect *box)
{
    double u = v->u;
    /* True north at (x, y): project a point a little north of it. */
    double s = v->scale, mx = v->minx + x / s, my = v->maxy - (y - v->top) / s;
    PJ_COORD c = proj_trans(v->pj, PJ_INV, proj_coord(mx, my, 0, 0));
    double ang = 0;
    if (isfinite(c.lp.lam) && c.lp.lam != HUGE_VAL) {
        double x2, y2;
        if (map_project(v, proj_todeg(c.lp.lam), proj_todeg(c.lp.phi) + 0.05, &x2, &y2) == 0)
            ang = atan2(x2 - x, -(y2 - y));
    }
    double L = 16 * u;
    cairo_save(cr);
    cairo_translate(cr, x, y);
    cairo_rotate(cr, ang);
    cairo_move_to(cr, 0, -L);
    cairo_line_to(cr, 0.45 * L, 0.6 * L);
    cairo_line_to(cr, 0, 0.3 * L);
    cairo_close_path(cr);
    set_rgb(cr, C_TEXT);
    cairo_fill(cr);
    cairo_move_to(cr, 0, -L);
    cairo_line_to(cr, -0.45 * L, 0.6 * L);
    cairo_line_to(cr, 0, 0.3 * L);
    cairo_close_path(cr);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_fill_preserve(cr);
    set_rgb(cr, C_TEXT);
    cairo_set_line_width(cr, 0.8 * u);
    cairo_stroke(cr);
    cairo_restore(cr);
    double fs = 11 * u, w = text_width(cr, "N", fs, true);
    draw_text(cr, "N", x - w / 2, y - L - 4 * u, fs, true, C_TEXT, 3 * u);
    *box = (map_rect){x - L, y - L - 4 * u - fs, x + L, y + L};
}

static void draw_legend(cairo_t *cr, map_view *v, const map_list *incs, const map_options *o,
                        double x, double bottom, map_rect *box)
{
    double u = v->u, fs = 12 * u, row = 21 * u, pad = 9 * u;
    size_t count[MAP_NTYPES] = {0};
    unsigned present = 0;
    int max_src = 1, max_fat = 0;
    for (size_t i = 0; i < incs->n; i++) {
        const map_incident *inc = &incs->items[i];
        count[inc->type]++;
        present |= 1u << inc->type;
        if (inc->n_sources > max_src)
            max_src = inc->n_sources;
        if (inc->fatalities > max_fat)
            max_fat = inc->fatalities;
    }
    char rows[MAP_NTYPES + 1][80];
    int types[MAP_NTYPES + 1], nrows = 0;
    double wmax = 0;
    for (int t = 0; t < MAP_NTYPES; t++) {
        if (!(present & (1u << t)) && incs->n > 0)
            continue;
        snprintf(rows[nrows], sizeof rows[0], "%s (%zu)", map_type_label_lang(t, o->lang),
                 count[t]);
        wmax = fmax(wmax, text_width(cr, rows[nrows], fs, false));
        types[nrows++] = t;
    }
    bool fr = is_fr(o->lang);
    size_t n_approx = 0;
    for (size_t i = 0; i < incs->n; i++)
        n_approx += incs->items[i].geo_prec == 3;
    if (n_approx) { /* a hollow, dashed symbol: the pin is a region's centre */
        snprintf(rows[nrows], sizeof rows[0], "%s (%zu)",
                 fr ? "Lieu approximatif : centre de r\xc3\xa9gion" : "Approximate: region centre",
                 n_approx);
        wmax = fmax(wmax, text_width(cr, rows[nrows], fs, false));
        types[nrows++] = -1;
    }
    char note[80] = "";
    if (o->size_by == MAP_SIZE_SOURCES && max_src > 1)
        snprintf(note, sizeof note, "%s (1\xe2\x80\x93%d)",
                 fr ? "Taille : nombre de sources" : "Size: number of sources", max_src);
    else if (o->size_by == MAP_SIZE_FATALITIES && max_fat > 0)
        snprintf(note, sizeof note, "%s (0\xe2\x80\x93%d)",
                 fr ? "Taille : nombre de morts" : "Size: fatalities", max_fat);
    double nfs = 10 * u;
    double w = 2 * pad + 24 * u + wmax;
    if (note[0])
        w = fmax(w, 2 * pad + text_width(cr, note, nfs, false));
    double h = 2 * pad + nrows * row + (note[0] ? row * 0.9 : 0);
    double y0 = bottom - h;
    cairo_rectangle(cr, x, y0, w, h);
    cairo_set_source_rgba(cr, 1, 1, 1, 0.92);
    cairo_fill_preserve(cr);
    set_rgb(cr, 0x999999u);
    cairo_set_line_width(cr, 0.8 * u);
    cairo_stroke(cr);
    for (int i = 0; i < nrows; i++) {
        double cy = y0 + pad + row * (i + 0.5);
        if (types[i] < 0) { /* the approximate-place key: a hollow grey circle */
            cairo_new_path(cr);
            cairo_arc(cr, x + pad + 8 * u, cy, 5.5 * u, 0, 2 * M_PI);
            set_rgb(cr, 0x555555u);
            double dash[2] = {2.6 * u, 1.6 * u};
            cairo_set_dash(cr, dash, 2, 0);
            cairo_set_line_width(cr, 1.8 * u);
            cairo_stroke(cr);
            cairo_set_dash(cr, NULL, 0, 0);
        } else {
            draw_symbol(cr, v, types[i], 0, x + pad + 8 * u, cy, 5.5 * u);
        }
        draw_text(cr, rows[i], x + pad + 24 * u, cy + fs * 0.36, fs, false, C_TEXT, 0);
    }
    if (note[0])
        draw_text(cr, note, x + pad, y0 + pad + nrows * row + nfs * 1.1, nfs, false, C_MUTED,
                  0);
    *box = (map_rect){x, y0, x + w, bottom};
}

/* A country's name in `lang` (Natural Earth gives English): the theatre's
 * countries and their neighbours in French; others as given. */
static const char *country_name(const char *name, const char *lang)
{
    static const char *const fr[][2] = {
        {"Armenia", "Arm\xc3\xa9nie"},     {"Azerbaijan", "Azerba\xc3\xaf""djan"},
        {"Georgia", "G\xc3\xa9orgie"},     {"Turkey", "Turquie"},
        {"Russia", "Russie"},               {"Iran", "Iran"},
        {"Iraq", "Irak"},                   {"Syria", "Syrie"},
        {"Kazakhstan", "Kazakhstan"},       {"Turkmenistan", "Turkm\xc3\xa9""nistan"},
        {"Ukraine", "Ukraine"},             {"Cyprus", "Chypre"},
        {"Lebanon", "Liban"},               {"Israel", "Isra\xc3\xab""l"},
        {"Jordan", "Jordanie"},             {"Saudi Arabia", "Arabie saoudite"}};
    if (!is_fr(lang))
        return name;
    for (size_t i = 0; i < sizeof fr / sizeof fr[0]; i++)
        if (!strcmp(name, fr[i][0]))
            return fr[i][1];
    return name;
}

/* Country names, centred in the visible part of each country: a coarse
 * raster of the shape picks the spot, the label must not hit `avoid`. */
static void draw_country_names(cairo_t *cr, map_view *v, const shapes *countries,
                               map_rect frame, map_rect *avoid, size_t n_avoid, const char *lang)
{
    enum { GW = 48, GH = 36 };
    double u = v->u, fs = 13 * u;
    double fw = frame.x1 - frame.x0, fh = frame.y1 - frame.y0;
    cairo_surface_t *grid = cairo_image_surface_create(CAIRO_FORMAT_A8, GW, GH);
    if (cairo_surface_status(grid) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(grid);
        return;
    }
    map_rect placed[64];
    size_t n_placed = 0;
    for (size_t c = 0; c < countries->n && n_placed < 64; c++) {
        const shape *sh = &countries->items[c];
        if (!sh->name[0])
            continue;
        cairo_t *g = cairo_create(grid);
        cairo_set_operator(g, CAIRO_OPERATOR_CLEAR);
        cairo_paint(g);
        cairo_set_operator(g, CAIRO_OPERATOR_OVER);
        cairo_scale(g, GW / fw, GH / fh);
        cairo_translate(g, -frame.x0, -frame.y0);
        cairo_set_fill_rule(g, CAIRO_FILL_RULE_EVEN_ODD);
        shape_path(g, sh);
        cairo_set_source_rgb(g, 0, 0, 0);
        cairo_fill(g);
        cairo_destroy(g);
        cairo_surface_flush(grid);
        const unsigned char *px = cairo_image_surface_get_data(grid);
        int stride = cairo_image_surface_get_stride(grid);
        double sx = 0, sy = 0;
        int in = 0;
        for (int j = 0; j < GH; j++)
            for (int i = 0; i < GW; i++)
                if (px[j * stride + i] > 200)
                    sx += i, sy += j, in++;
        if (in < 6)
            continue;
        const char *name = country_name(sh->name, lang);
        double w = text_width(cr, name, fs, false), h = fs;
        /* Try the inside cells nearest the centre of mass first. */
        double best = HUGE_VAL, bx = 0, by = 0;
        double mx = sx / in, my = sy / in;
        for (int pass = 0; pass < 1; pass++) {
            for (int j = 0; j < GH; j++) {
                for (int i = 0; i < GW; i++) {
                    if (px[j * stride + i] <= 200)
                        continue;
                    double d = (i - mx) * (i - mx) + (j - my) * (j - my);
                    if (d >= best)
                        continue;
                    double cx = frame.x0 + (i + 0.5) * fw / GW, cy = frame.y0 + (j + 0.5) * fh / GH;
                    map_rect r = {cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2};
                    if (r.x0 < frame.x0 || r.x1 > frame.x1 || r.y0 < frame.y0 || r.y1 > frame.y1)
                        continue;
                    bool hit = false;
                    for (size_t k = 0; k < n_avoid && !hit; k++)
                        hit = r.x0 < avoid[k].x1 && avoid[k].x0 < r.x1 && r.y0 < avoid[k].y1 &&
                              avoid[k].y0 < r.y1;
                    for (size_t k = 0; k < n_placed && !hit; k++)
                        hit = r.x0 < placed[k].x1 && placed[k].x0 < r.x1 &&
                              r.y0 < placed[k].y1 && placed[k].y0 < r.y1;
                    if (!hit)
                        best = d, bx = cx, by = cy;
                }
            }
        }
        if (best == HUGE_VAL)
            continue;
        placed[n_placed++] = (map_rect){bx - w / 2, by - h / 2, bx + w / 2, by + h / 2};
        draw_text(cr, name, bx - w / 2, by + fs * 0.36, fs, false, C_COUNTRY, 0);
    }
    cairo_surface_destroy(grid);
}

/* ===== The map ===== */

/* Legend, scale bar, north arrow and attribution; OUT: their boxes. */
static void draw_furniture(cairo_t *cr, map_view *v, const map_list *incs,
                           const map_options *o, double lx, double lbottom, map_rect *legend,
                           map_rect *scale, map_rect *north, map_rect *attr)
{
    double u = v->u, W = v->width, H = v->height;
    draw_legend(cr, v, incs, o, lx, lbottom, legend);
    draw_scale_bar(cr, v, W - 16 * u, H - 24 * u, scale);
    draw_north_arrow(cr, v, W - 24 * u, v->top + 34 * u, north);
    const char *text = is_fr(o->lang) ? "Donn\xc3\xa9""es : GeoNames, Natural Earth"
                                      : "Data: GeoNames, Natural Earth";
    double afs = 9.5 * u, aw = text_width(cr, text, afs, false);
    draw_text(cr, text, W - aw - 6 * u, H - 6 * u, afs, false, C_MUTED, 3 * u);
    *attr = (map_rect){W - aw - 8 * u, H - 6 * u - afs, W, H};
}

static int draw_map(cairo_t *cr, map_view *v, const map_list *incs, const map_options *o,
                    const shapes *countries, const shapes *land, const shapes *lakes,
                    const shapes *admin1, cx_err *err)
{
    int rc = 0;
    double u = v->u, W = v->width, H = v->height;
    incident_px *ip = NULL;
    place_label *pl = NULL;
    map_label_req *req = NULL;
    map_rect *obst = NULL, *placed = NULL;
    bool *ok = NULL;
    map_rect frame = {0, v->top, W, H};

    /* Page and sea. */
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_save(cr);
    cairo_rectangle(cr, frame.x0, frame.y0, W, H - v->top);
    cairo_clip(cr);
    set_rgb(cr, C_SEA);
    cairo_paint(cr);

    /* Countries, lakes, borders, coasts. */
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
    set_rgb(cr, C_LAND);
    for (size_t i = 0; i < countries->n; i++)
        shape_path(cr, &countries->items[i]);
    cairo_fill(cr);
    set_rgb(cr, C_SEA);
    for (size_t i = 0; i < lakes->n; i++)
        shape_path(cr, &lakes->items[i]);
    cairo_fill(cr);
    /* First-level units: thin pale lines under the country borders. */
    set_rgb(cr, C_ADMIN1);
    cairo_set_line_width(cr, 0.7 * u);
    for (size_t i = 0; i < admin1->n; i++) {
        shape_path(cr, &admin1->items[i]);
        cairo_stroke(cr);
    }
    /* Borders: a pale casing under a solid line. Each shared border is in two
     * country outlines, so dashes would not line up; solid lines do. */
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    for (int pass = 0; pass < 2; pass++) {
        set_rgb(cr, pass ? C_BORDER : C_CASING);
        cairo_set_line_width(cr, pass ? 1.1 * u : 4.5 * u);
        for (size_t i = 0; i < countries->n; i++) {
            shape_path(cr, &countries->items[i]);
            cairo_stroke(cr);
        }
    }
    /* Coasts: cover the border dashes along the sea, then a thin blue line. */
    for (int pass = 0; pass < 2; pass++) {
        set_rgb(cr, pass ? C_COAST : C_SEA);
        cairo_set_line_width(cr, pass ? 0.8 * u : 2.6 * u);
        for (size_t i = 0; i < land->n; i++)
            shape_path(cr, &land->items[i]);
        for (size_t i = 0; i < lakes->n; i++)
            shape_path(cr, &lakes->items[i]);
        cairo_stroke(cr);
    }

    /* Incident symbols, biggest first so small ones stay visible. */
    size_t n = incs->n;
    ip = calloc(n ? n : 1, sizeof *ip);
    pl = calloc(n ? n : 1, sizeof *pl);
    req = calloc(n ? n : 1, sizeof *req);
    placed = calloc(n ? n : 1, sizeof *placed);
    ok = calloc(n ? n : 1, sizeof *ok);
    obst = calloc(n + 8, sizeof *obst);
    if (!ip || !pl || !req || !placed || !ok || !obst) {
        rc = cx_err_set(err, CX_ENOMEM, NULL, 0, "out of memory");
        goto done;
    }
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        double x, y;
        if (map_project(v, incs->items[i].lon, incs->items[i].lat, &x, &y))
            continue;
        ip[m++] = (incident_px){x, y, symbol_radius(v, &incs->items[i], o->size_by),
                                &incs->items[i], x, y, i, false};
    }
    /* Symbols of different types that would overlap move apart. */
    size_t n_disp = 0;
    if (displace(ip, m, &n_disp) != 0) {
        rc = cx_err_set(err, CX_ENOMEM, NULL, 0, "out of memory");
        goto done;
    }
    qsort(ip, m, sizeof *ip, cmp_radius_desc);
    /* A leader from each displaced symbol to the place it stands for. */
    for (size_t i = 0; i < m; i++) {
        if (!ip[i].displaced)
            continue;
        cairo_move_to(cr, ip[i].ax, ip[i].ay);
        cairo_line_to(cr, ip[i].x, ip[i].y);
        set_rgb(cr, 0x444444u);
        cairo_set_line_width(cr, 0.9 * u);
        cairo_stroke(cr);
        cairo_arc(cr, ip[i].ax, ip[i].ay, 1.6 * u, 0, 2 * M_PI);
        cairo_fill(cr);
    }
    for (size_t i = 0; i < m; i++)
        draw_symbol(cr, v, ip[i].inc->type, ip[i].inc->geo_prec, ip[i].x, ip[i].y, ip[i].r);
    cairo_restore(cr);
    if (o->report) {
        map_report *rp = o->report;
        map_report_free(rp);
        if (m && !(rp->symbols = calloc(m, sizeof *rp->symbols))) {
            rc = cx_err_set(err, CX_ENOMEM, NULL, 0, "out of memory");
            goto done;
        }
        for (size_t i = 0; i < m; i++) {
            rp->symbols[i] = (map_symbol){ip[i].x, ip[i].y, ip[i].r, ip[i].ax, ip[i].ay,
                                          ip[i].inc->type, ip[i].inc->geo_prec, ip[i].index,
                                          ip[i].displaced};
            rp->by_type[ip[i].inc->type]++;
            rp->n_approx += ip[i].inc->geo_prec == 3;
        }
        rp->n = m;
        rp->n_displaced = n_disp;
    }

    /* Furniture first (labels avoid it), drawn on top at the end. */
    map_rect legend_box, scale_box, north_box, attr_box;
    /* A throw-away context measures the furniture (cairo groups would do,
     * but leak a pooled surface in cairo 1.16's SVG backend). */
    cairo_surface_t *scratch = cairo_image_surface_create(CAIRO_FORMAT_A8, 1, 1);
    cairo_t *mc = cairo_create(scratch);
    cairo_surface_destroy(scratch);
    /* The legend goes in the corner where it covers the fewest symbols
     * (bottom left first). */
    double lx = 10 * u, lb = H - 10 * u;
    draw_furniture(mc, v, incs, o, lx, lb, &legend_box, &scale_box, &north_box, &attr_box);
    {
        double lw = legend_box.x1 - legend_box.x0, lh = legend_box.y1 - legend_box.y0;
        const double cand[4][2] = {{10 * u, H - 10 * u},
                                   {10 * u, v->top + 10 * u + lh},
                                   {W - 56 * u - lw, v->top + 10 * u + lh},
                                   {W - 10 * u - lw, scale_box.y0 - 8 * u}};
        size_t best = (size_t)-1;
        for (int k = 0; k < 4; k++) {
            map_rect b = {cand[k][0], cand[k][1] - lh, cand[k][0] + lw, cand[k][1]};
            if (b.x0 < 0 || b.y0 < v->top)
                continue;
            size_t hits = 0;
            for (size_t i = 0; i < m; i++) {
                double e = symbol_extent(ip[i].inc->type, ip[i].r);
                hits += ip[i].x + e > b.x0 && ip[i].x - e < b.x1 && ip[i].y + e > b.y0 &&
                        ip[i].y - e < b.y1;
            }
            if (hits < best) {
                best = hits;
                lx = cand[k][0];
                lb = cand[k][1];
            }
        }
    }
    draw_furniture(mc, v, incs, o, lx, lb, &legend_box, &scale_box, &north_box, &attr_box);
    cairo_destroy(mc);

    /* Place labels: one per distinct name, most reported first. */
    size_t np = 0;
    for (size_t i = 0; i < m; i++) {
        const char *name = ip[i].inc->place;
        if (!name[0])
            continue;
        size_t k = 0;
        while (k < np && !(strcmp(pl[k].name, name) == 0 && fabs(pl[k].x - ip[i].ax) < 3 * u &&
                           fabs(pl[k].y - ip[i].ay) < 3 * u))
            k++;
        if (k == np)
            pl[np++] = (place_label){name, ip[i].ax, ip[i].ay, ip[i].r, 0, ""};
        pl[k].count++;
        /* the label sits by the place itself (a displaced symbol is joined
         * to it by its leader; symbols are obstacles to labels anyway) */
        pl[k].r = fmax(pl[k].r, ip[i].displaced ? 2 * u : ip[i].r);
    }
    qsort(pl, np, sizeof *pl, cmp_label);
    double lfs = 12 * u;
    for (size_t i = 0; i < np; i++) {
        /* Stacked symbols hide each other: say how many there are. */
        if (pl[i].count > 1)
            snprintf(pl[i].text, sizeof pl[i].text, "%.120s (%d)", pl[i].name, pl[i].count);
        else
            snprintf(pl[i].text, sizeof pl[i].text, "%s", pl[i].name);
        req[i] = (map_label_req){pl[i].x, pl[i].y, pl[i].r,
                                 text_width(cr, pl[i].text, lfs, false) + 2 * u, lfs * 1.25};
    }
    size_t no = 0;
    obst[no++] = legend_box;
    obst[no++] = scale_box;
    obst[no++] = north_box;
    obst[no++] = attr_box;
    for (size_t i = 0; i < m; i++)
        obst[no++] = (map_rect){ip[i].x - ip[i].r, ip[i].y - ip[i].r, ip[i].x + ip[i].r,
                                ip[i].y + ip[i].r};
    map_rect bounds = {frame.x0 + 3 * u, frame.y0 + 3 * u, frame.x1 - 3 * u, frame.y1 - 3 * u};
    size_t n_placed = map_labels_place(req, np, obst, no, bounds, placed, ok);
    if (o->report)
        o->report->n_labels = n_placed;

    /* Country names avoid symbols, furniture and place labels. */
    map_rect *avoid = realloc(obst, (no + np) * sizeof *avoid);
    if (!avoid) {
        rc = cx_err_set(err, CX_ENOMEM, NULL, 0, "out of memory");
        goto done;
    }
    obst = avoid;
    for (size_t i = 0; i < np; i++)
        if (ok[i])
            obst[no++] = placed[i];
    cairo_save(cr);
    cairo_rectangle(cr, frame.x0, frame.y0, W, H - v->top);
    cairo_clip(cr);
    draw_country_names(cr, v, countries, frame, obst, no, o->lang);
    cairo_restore(cr);
    /* Redraw symbols over country names? Names avoid symbols, so no need. */
    for (size_t i = 0; i < np; i++)
        if (ok[i])
            draw_text(cr, pl[i].text, placed[i].x0 + u, placed[i].y1 - lfs * 0.38, lfs, false,
                      C_TEXT, 3.2 * u);

    draw_furniture(cr, v, incs, o, lx, lb, &legend_box, &scale_box, &north_box, &attr_box);

    /* Frame and title band. */
    cairo_rectangle(cr, 0.5 * u, v->top, W - u, H - v->top - 0.5 * u);
    set_rgb(cr, 0x555555u);
    cairo_set_line_width(cr, u);
    cairo_stroke(cr);
    const char *title = o->title && o->title[0] ? o->title : "Incidents";
    draw_text(cr, title, 14 * u, 30 * u, 21 * u, true, C_TEXT, 0);
    char sub[128];
    date_range(incs, o, sub, sizeof sub);
    draw_text(cr, sub, 14 * u, 52 * u, 13 * u, false, C_MUTED, 0);
done:
    free(ip);
    free(pl);
    free(req);
    free(placed);
    free(ok);
    free(obst);
    return rc;
}

int map_render(map_view *v, const map_list *incs, const map_options *o, cx_err *err)
{
    int rc = 0;
    shapes countries = {0}, land = {0}, lakes = {0}, admin1 = {0};
    cairo_surface_t *surf = NULL;
    cairo_t *cr = NULL;
    char tmp[4096] = "";
    sink sk = {NULL, 0};
    int fd = -1;

    if (!o || !o->output || !o->countries || o->format < 0 || o->format > MAP_FMT_PDF)
        return cx_err_set(err, CX_EINVAL, NULL, 0, "map_render: missing output or countries");
    for (size_t i = 0; i < incs->n; i++)
        if (incs->items[i].type < 0 || incs->items[i].type >= MAP_NTYPES)
            return cx_err_set(err, CX_EINVAL, NULL, 0, "incident %zu has no valid type", i);
    rc = load_shapes(v, o->countries, &countries, &land, err);
    if (!rc && o->lakes)
        rc = load_shapes(v, o->lakes, &lakes, NULL, err);
    if (!rc && o->admin1)
        rc = load_shapes(v, o->admin1, &admin1, NULL, err);
    if (rc)
        goto done;

    /* Write beside the target, then rename: no half-written map replaces a good one. */
    if (strlen(o->output) + 32 > sizeof tmp) {
        rc = cx_err_set(err, CX_EOUT, o->output, 0, "path too long");
        goto done;
    }
    for (int attempt = 0; fd < 0 && attempt < 100; attempt++) {
        snprintf(tmp, sizeof tmp, "%s.tmp%ld.%d", o->output, (long)getpid(), attempt);
        fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0666); /* umask applies */
        if (fd < 0 && errno != EEXIST)
            break;
    }
    if (fd < 0 || !(sk.fp = fdopen(fd, "wb"))) {
        rc = cx_err_set(err, CX_EOUT, o->output, 0, "cannot write: %s", strerror(errno));
        if (fd < 0)
            tmp[0] = '\0';
        goto done;
    }
    fd = -1;
    double pt = 72.0 / v->dpi;
    if (o->format == MAP_FMT_PNG)
        surf = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, v->width, v->height);
    else if (o->format == MAP_FMT_SVG)
        surf = cairo_svg_surface_create_for_stream(sink_write, &sk, v->width * pt,
                                                   v->height * pt);
    else
        surf = cairo_pdf_surface_create_for_stream(sink_write, &sk, v->width * pt,
                                                   v->height * pt);
    if (cairo_surface_status(surf) != CAIRO_STATUS_SUCCESS) {
        rc = cx_err_set(err, CX_ENOMEM, o->output, 0, "cairo: %s",
                        cairo_status_to_string(cairo_surface_status(surf)));
        goto done;
    }
    if (o->format == MAP_FMT_PDF)
        cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_CREATOR, "incimap");
    cr = cairo_create(surf);
    if (o->format != MAP_FMT_PNG)
        cairo_scale(cr, pt, pt);
    rc = draw_map(cr, v, incs, o, &countries, &land, &lakes, &admin1, err);
    if (rc)
        goto done;
    cairo_status_t st = cairo_status(cr);
    cairo_destroy(cr);
    cr = NULL;
    if (st == CAIRO_STATUS_SUCCESS) {
        if (o->format == MAP_FMT_PNG)
            st = cairo_surface_write_to_png_stream(surf, sink_write, &sk);
        else {
            cairo_surface_finish(surf);
            st = cairo_surface_status(surf);
        }
    }
    if (st != CAIRO_STATUS_SUCCESS || sk.failed) {
        rc = cx_err_set(err, CX_EOUT, o->output, 0, "cannot write: %s",
                        sk.failed ? strerror(sk.failed) : cairo_status_to_string(st));
        goto done;
    }
    FILE *fp = sk.fp;
    sk.fp = NULL;
    if (fclose(fp) != 0) {
        rc = cx_err_set(err, CX_EOUT, o->output, 0, "cannot write: %s", strerror(errno));
        goto done;
    }
    if (rename(tmp, o->output) != 0) {
        rc = cx_err_set(err, CX_EOUT, o->output, 0, "cannot write: %s", strerror(errno));
        goto done;
    }
    tmp[0] = '\0';
done:
    if (cr)
        cairo_destroy(cr);
    if (surf)
        cairo_surface_destroy(surf);
    if (sk.fp)
        fclose(sk.fp);
    if (fd >= 0)
        close(fd);
    if (tmp[0])
        unlink(tmp);
    shapes_free(&countries);
    shapes_free(&land);
    shapes_free(&lakes);
    shapes_free(&admin1);
    return rc;
}

void map_report_free(map_report *r)
{
    if (!r)
        return;
    free(r->symbols);
    *r = (map_report){0};
}

void map_library_cleanup(void)
{
    cairo_debug_reset_static_data();
    FcFini();
}
