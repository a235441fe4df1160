/* out_borders.c -- country polygons into geo/'s border index (borders.h).
 * The FlatGeobuf file incimap ships (vendor/countries-10m.fgb) is read here,
 * without GDAL: `extract` starts without loading it (issue 20). Any other
 * file, or a FlatGeobuf this reader does not take (a CRS other than WGS84
 * lon/lat), goes through OGR (out_borders_ogr.c; in the executable, through
 * the GDAL module). Both give the same rings, in the same order, and keep
 * the same countries for an `area`: tests/unit/test_output.c compares them.
 *
 * FlatGeobuf (flatgeobuf.org): magic "fgb\3fgb" + a version byte, the
 * header (a size-prefixed flatbuffer: columns, CRS, feature count, index
 * node size), a packed Hilbert R-tree of the features' envelopes, then the
 * features (each a size-prefixed flatbuffer: geometry, properties). */
#include "borders_p.h"

#include <fcntl.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#if !defined(OUT_GDAL) || OUT_GDAL
#define BORDERS_OGR(path, area, err) outp_borders_open_ogr(path, area, err)
#else
#include "out_module.h"
static out_borders *borders_ogr_module(const char *path, const double *area, cx_err *err)
{
    const out_module *m = out_module_get(err);
    return m ? m->borders_open(path, area, err) : NULL;
}
#define BORDERS_OGR(path, area, err) borders_ogr_module(path, area, err)
#endif

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

out_borders *outp_borders_new(cx_err *err)
{
    out_borders *b = calloc(1, sizeof *b);
    if (!b || !(b->idx = geo_border_index_new(err))) {
        free(b);
        cx_err_set(err, CX_ENOMEM, NULL, 0, "out of memory (borders)");
        return NULL;
    }
    return b;
}

int outp_borders_add_name(out_borders *b, const char *name, cx_err *err)
{
    if (b->n_names == b->cap_names) {
        size_t nc = b->cap_names ? 2 * b->cap_names : 256;
        char **p = realloc(b->names, nc * sizeof *p);
        if (!p)
            return cx_err_set(err, CX_ENOMEM, NULL, 0, "out of memory (borders)");
        b->names = p;
        b->cap_names = nc;
    }
    if (!(b->names[b->n_names] = strdup(name)))
        return cx_err_set(err, CX_ENOMEM, NULL, 0, "out of memory (borders)");
    b->n_names++;
    return 0;
}

/* ===== Flatbuffers, read in place (little-endian, bounds-checked) ===== */

typedef struct fb {
    const unsigned char *p;
    size_t n;
} fb;

/* A table: its position and its vtable's. 0 when out of bounds. */
typedef struct fb_table {
    size_t pos, vt;
    unsigned vt_size;
} fb_table;

static bool fb_has(const fb *b, size_t pos, size_t len)
{
    return pos <= b->n && len <= b->n - pos;
}

static uint32_t rd_u32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint16_t rd_u16(const unsigned char *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

static double rd_f64(const unsigned char *p)
{
    double d;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    memcpy(&d, p, sizeof d); /* the file's order: one load */
#else
    uint64_t u = 0;
    for (int i = 7; i >= 0; i--)
        u = u << 8 | p[i];
    memcpy(&d, &u, sizeof d);
#endif
    return d;
}

/* The table that an uoffset at `at` points to. */
static bool fb_table_at(const fb *b, size_t at, fb_table *t)
{
    if (!fb_has(b, at, 4))
        return false;
    size_t pos = at + rd_u32(b->p + at);
    if (!fb_has(b, pos, 4))
        return false;
    int32_t so = (int32_t)rd_u32(b->p + pos);
    int64_t vt = (int64_t)pos - so;
    if (vt < 0 || !fb_has(b, (size_t)vt, 4))
        return false;
    t->pos = pos;
    t->vt = (size_t)vt;
    t->vt_size = rd_u16(b->p + t->vt);
    return t->vt_size >= 4 && fb_has(b, t->vt, t->vt_size);
}

/* The position of field `i` of table `t`, 0 when absent. */
static size_t fb_field(const fb *b, const fb_table *t, unsigned i)
{
    unsigned o = 4 + 2 * i;
    if (o + 2 > t->vt_size)
        return 0;
    unsigned off = rd_u16(b->p + t->vt + o);
    return off && fb_has(b, t->pos + off, 1) ? t->pos + off : 0;
}

/* A vector field: its first element and length (elements of `esize`). */
static bool fb_vector(const fb *b, const fb_table *t, unsigned i, size_t esize, size_t *start,
                      size_t *len)
{
    size_t f = fb_field(b, t, i);
    *len = 0;
    if (!f)
        return false;
    if (!fb_has(b, f, 4))
        return false;
    size_t v = f + rd_u32(b->p + f);
    if (!fb_has(b, v, 4))
        return false;
    size_t n = rd_u32(b->p + v);
    if (esize && n > (b->n - v - 4) / esize)
        return false;
    *start = v + 4;
    *len = n;
    return true;
}

static unsigned fb_u8(const fb *b, const fb_table *t, unsigned i, unsigned dflt)
{
    size_t f = fb_field(b, t, i);
    return f ? b->p[f] : dflt;
}

/* ===== The FlatGeobuf file ===== */

enum { FGB_POLYGON = 3, FGB_MULTIPOLYGON = 6, FGB_COLLECTION = 7 };
enum { COL_INT = 5, COL_UINT = 6, COL_LONG = 7, COL_ULONG = 8, COL_STRING = 11 };
/* Bytes of a property value by column type (-1: a length-prefixed value). */
static int col_size(unsigned type)
{
    static const int sz[] = {1, 1, 1, 2, 2, 4, 4, 8, 8, 4, 8, -1, -1, -1, -1};
    return type < sizeof sz / sizeof sz[0] ? sz[type] : 0;
}

typedef struct fgb_col {
    char name[64];
    unsigned type;
} fgb_col;

typedef struct fgb_reader {
    fb b;
    fgb_col cols[64];
    size_t n_cols;
    int name_col; /* the column that names a country, -1 none */
    double area[4];
    bool has_area;
    double *buf; /* one ring's points, lon/lat */
    size_t cap;
} fgb_reader;

/* The column that names a feature: the first of these keys that the file
 * has, compared without case (as OGR_FD_GetFieldIndex does). */
static int name_column(const fgb_reader *r)
{
    static const char *const keys[] = {"name", "NAME", "ADMIN", "name_en", "id", NULL};
    for (int k = 0; keys[k]; k++)
        for (size_t c = 0; c < r->n_cols; c++)
            if (!strcasecmp(r->cols[c].name, keys[k]))
                return (int)c;
    return -1;
}

/* The feature's name (`out`, "" when the column is absent or null). False
 * when the properties are malformed. Only string and integer columns can
 * name a country (the caller made sure). */
static bool feature_name(const fgb_reader *r, const fb_table *ft, char *out, size_t size)
{
    const fb *b = &r->b;
    size_t at, len;
    out[0] = '\0';
    if (r->name_col < 0 || !fb_vector(b, ft, 1, 1, &at, &len))
        return true;
    for (size_t end = at + len; at < end;) {
        if (end - at < 2)
            return false;
        unsigned c = rd_u16(b->p + at);
        at += 2;
        if (c >= r->n_cols)
            return false;
        int sz = col_size(r->cols[c].type);
        size_t vlen = (size_t)sz;
        size_t vat = at;
        if (sz < 0) {
            if (end - at < 4)
                return false;
            vlen = rd_u32(b->p + at);
            vat = at + 4;
        } else if (sz == 0) {
            return false;
        }
        if (vlen > end - vat)
            return false;
        if ((int)c == r->name_col) {
            unsigned t = r->cols[c].type;
            if (t == COL_STRING) {
                size_t n = vlen < size - 1 ? vlen : size - 1;
                memcpy(out, b->p + vat, n);
                out[n] = '\0';
            } else if (t == COL_INT) {
                snprintf(out, size, "%d", (int)rd_u32(b->p + vat));
            } else if (t == COL_LONG) {
                uint64_t u = (uint64_t)rd_u32(b->p + vat) | (uint64_t)rd_u32(b->p + vat + 4) << 32;
                snprintf(out, size, "%lld", (long long)u);
            }
            return true;
        }
        at = vat + vlen;
    }
    return true;
}

/* The envelope of a geometry table and its parts; false when malformed. */
static bool geom_envelope(const fb *b, const fb_table *g, double env[4], int depth)
{
    size_t xy, nxy, parts, nparts;
    if (depth > 4)
        return false;
    if (fb_vector(b, g, 1, 8, &xy, &nxy))
        for (size_t i = 0; i + 1 < nxy; i += 2) {
            double x = rd_f64(b->p + xy + 8 * i), y = rd_f64(b->p + xy + 8 * i + 8);
            env[0] = fmin(env[0], x), env[1] = fmin(env[1], y);
            env[2] = fmax(env[2], x), env[3] = fmax(env[3], y);
        }
    if (fb_vector(b, g, 7, 4, &parts, &nparts))
        for (size_t i = 0; i < nparts; i++) {
            fb_table p;
            if (!fb_table_at(b, parts + 4 * i, &p) || !geom_envelope(b, &p, env, depth + 1))
                return false;
        }
    return true;
}

/* Calls `fn` on every ring of a polygon table (rings: `ends`, else one). */
typedef int (*ring_fn)(void *ctx, const fb *b, size_t xy, size_t npts);

static int polygon_rings(const fb *b, const fb_table *g, ring_fn fn, void *ctx)
{
    size_t xy, nxy, ends, nends;
    if (!fb_vector(b, g, 1, 8, &xy, &nxy))
        return 0;
    size_t npts = nxy / 2, from = 0;
    if (!fb_vector(b, g, 0, 4, &ends, &nends) || nends == 0)
        return fn(ctx, b, xy, npts);
    for (size_t i = 0; i < nends; i++) {
        size_t to = rd_u32(b->p + ends + 4 * i);
        if (to < from || to > npts)
            return CX_EFORMAT;
        int rc = fn(ctx, b, xy + 16 * from, to - from);
        if (rc)
            return rc;
        from = to;
    }
    return 0;
}

/* Every polygon of a geometry (a polygon, the parts of a multipolygon or a
 * collection), in order. */
static int each_polygon(const fb *b, const fb_table *g, unsigned type, ring_fn fn, void *ctx,
                        int depth)
{
    if (depth > 4)
        return CX_EFORMAT;
    if (type == FGB_POLYGON)
        return polygon_rings(b, g, fn, ctx);
    if (type != FGB_MULTIPOLYGON && type != FGB_COLLECTION)
        return 0;
    size_t parts, nparts;
    if (!fb_vector(b, g, 7, 4, &parts, &nparts))
        return 0;
    for (size_t i = 0; i < nparts; i++) {
        fb_table p;
        if (!fb_table_at(b, parts + 4 * i, &p))
            return CX_EFORMAT;
        unsigned pt = fb_u8(b, &p, 6, type == FGB_MULTIPOLYGON ? FGB_POLYGON : 0);
        int rc = each_polygon(b, &p, pt, fn, ctx, depth + 1);
        if (rc)
            return rc;
    }
    return 0;
}

/* ===== OGR's spatial filter, exactly ===== *
 * OGR keeps a feature whose envelope meets the area only when its geometry
 * intersects the area's rectangle (GEOS): a country whose envelope reaches
 * in but whose land does not (the United States' Aleutians) is dropped. */

typedef struct hit_ctx {
    const double *r; /* west, south, east, north */
    bool hit;        /* a vertex in, or an edge through, the rectangle */
    int crossings;   /* rings crossed by a ray from the rectangle's corner */
} hit_ctx;

/* Does segment p-q meet the closed rectangle? (geo's Liang-Barsky, on copies) */
static bool seg_meets_rect(double x0, double y0, double x1, double y1, const double *r)
{
    return geo_clip_segment(r, &x0, &y0, &x1, &y1);
}

static int ring_hits(void *ctx, const fb *b, size_t xy, size_t n)
{
    hit_ctx *h = ctx;
    const double cx = h->r[0], cy = h->r[1];
    bool inside = false;
    for (size_t i = 0; i < n; i++) {
        double x1 = rd_f64(b->p + xy + 16 * i), y1 = rd_f64(b->p + xy + 16 * i + 8);
        size_t j = i + 1 < n ? i + 1 : 0;
        double x2 = rd_f64(b->p + xy + 16 * j), y2 = rd_f64(b->p + xy + 16 * j + 8);
        /* both ends beyond one side: the segment cannot meet the rectangle */
        bool away = (x1 < h->r[0] && x2 < h->r[0]) || (x1 > h->r[2] && x2 > h->r[2]) ||
                    (y1 < h->r[1] && y2 < h->r[1]) || (y1 > h->r[3] && y2 > h->r[3]);
        if (!away && seg_meets_rect(x1, y1, x2, y2, h->r)) {
            h->hit = true;
            return 1; /* stops the walk: the geometry meets the rectangle */
        }
        if ((y1 > cy) != (y2 > cy) && cx < (x2 - x1) * (cy - y1) / (y2 - y1) + x1)
            inside = !inside;
    }
    h->crossings += inside;
    return 0;
}

static bool geometry_meets(const fb *b, const fb_table *g, unsigned type, const double *r)
{
    /* each polygon separately, so that holes count against their own shell */
    if (type == FGB_POLYGON) {
        hit_ctx h = {r, false, 0};
        polygon_rings(b, g, ring_hits, &h);
        return h.hit || (h.crossings & 1);
    }
    size_t parts, nparts;
    if (!fb_vector(b, g, 7, 4, &parts, &nparts))
        return false;
    for (size_t i = 0; i < nparts; i++) {
        fb_table p;
        if (!fb_table_at(b, parts + 4 * i, &p))
            return false;
        unsigned pt = fb_u8(b, &p, 6, type == FGB_MULTIPOLYGON ? FGB_POLYGON : 0);
        if ((pt == FGB_POLYGON || pt == FGB_MULTIPOLYGON || pt == FGB_COLLECTION) &&
            geometry_meets(b, &p, pt, r))
            return true;
    }
    return false;
}

/* ===== Rings into the index ===== */

typedef struct add_ctx {
    out_borders *bd;
    fgb_reader *r;
    int country;
    cx_err *err;
} add_ctx;

static bool little_endian(void)
{
    const uint16_t one = 1;
    unsigned char c;
    memcpy(&c, &one, 1);
    return c == 1;
}

static int add_ring(void *ctx, const fb *b, size_t xy, size_t n)
{
    add_ctx *a = ctx;
    if (n < 2)
        return 0;
    if (n > a->r->cap) {
        double *p = realloc(a->r->buf, n * 2 * sizeof *p);
        if (!p)
            return cx_err_set(a->err, CX_ENOMEM, NULL, 0, "out of memory (borders)");
        a->r->buf = p;
        a->r->cap = n;
    }
    if (little_endian())
        memcpy(a->r->buf, b->p + xy, n * 2 * sizeof(double));
    else
        for (size_t i = 0; i < 2 * n; i++)
            a->r->buf[i] = rd_f64(b->p + xy + 8 * i);
    return geo_border_index_add_ring(a->bd->idx, a->country, a->r->buf, n, a->err);
}

/* One feature at `at` (its size prefix): named, filtered, its rings added.
 * `env`: its envelope from the index, or NULL (computed when filtering). */
static int read_feature(fgb_reader *r, out_borders *bd, size_t at, const double *ienv,
                        unsigned hdr_type, const char *path, cx_err *err)
{
    const fb *b = &r->b;
    if (!fb_has(b, at, 4))
        return cx_err_set(err, CX_EFORMAT, path, 0, "truncated FlatGeobuf feature");
    size_t size = rd_u32(b->p + at);
    fb fe = {b->p + at + 4, size};
    if (!fb_has(b, at + 4, size))
        return cx_err_set(err, CX_EFORMAT, path, 0, "truncated FlatGeobuf feature");
    fb_table ft, g;
    if (!fb_table_at(&fe, 0, &ft))
        return cx_err_set(err, CX_EFORMAT, path, 0, "malformed FlatGeobuf feature");
    size_t gf = fb_field(&fe, &ft, 0);
    bool has_geom = gf && fb_table_at(&fe, gf, &g);
    unsigned type = has_geom ? fb_u8(&fe, &g, 6, hdr_type) : 0;
    if (r->has_area) {
        double env[4] = {INFINITY, INFINITY, -INFINITY, -INFINITY};
        if (!has_geom)
            return 0; /* OGR: a feature without geometry fails any filter */
        if (ienv)
            memcpy(env, ienv, sizeof env);
        else if (!geom_envelope(&fe, &g, env, 0))
            return 0;
        const double *a = r->area;
        if (!(env[0] <= env[2]) || env[2] < a[0] || env[3] < a[1] || a[2] < env[0] ||
            a[3] < env[1])
            return 0;
        bool within = env[0] >= a[0] && env[1] >= a[1] && env[2] <= a[2] && env[3] <= a[3];
        if (!within && !geometry_meets(&fe, &g, type, a))
            return 0;
    }
    char name[512];
    fgb_reader view = *r;
    view.b = fe;
    if (!feature_name(&view, &ft, name, sizeof name))
        return cx_err_set(err, CX_EFORMAT, path, 0, "malformed FlatGeobuf properties");
    int rc = outp_borders_add_name(bd, name, err);
    if (rc || !has_geom)
        return rc;
    add_ctx ac = {bd, r, (int)bd->n_names - 1, err};
    rc = each_polygon(&fe, &g, type, add_ring, &ac, 0);
    if (rc && err && !err->code)
        cx_err_set(err, rc, path, 0, "malformed FlatGeobuf geometry");
    return rc;
}

/* A leaf of the index: a feature's offset (first: cmp_size sorts by it)
 * and its envelope. */
typedef struct leaf_env {
    size_t at;
    double env[4];
} leaf_env;

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

/* 1: not a file for this reader (OGR reads it); 0: read; else an error. */
static int read_fgb(const char *path, const double *area, out_borders **out, cx_err *err)
{
    int rc = 1, fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    void *map = MAP_FAILED;
    leaf_env *envs = NULL;
    out_borders *bd = NULL;
    fgb_reader r = {.name_col = -1};
    if (fd < 0 || fstat(fd, &st) != 0 || st.st_size < 12)
        goto done;
    map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (map == MAP_FAILED)
        goto done;
    r.b = (fb){map, (size_t)st.st_size};
    static const unsigned char magic[7] = {'f', 'g', 'b', 3, 'f', 'g', 'b'};
    if (memcmp(r.b.p, magic, sizeof magic) != 0)
        goto done;
    size_t hsize = rd_u32(r.b.p + 8);
    fb hb = {r.b.p + 12, hsize};
    fb_table h, crs;
    if (!fb_has(&r.b, 12, hsize) || !fb_table_at(&hb, 0, &h))
        goto done;
    /* a CRS other than EPSG:4326 is transformed by OGR */
    size_t cf = fb_field(&hb, &h, 10);
    if (cf && fb_table_at(&hb, cf, &crs)) {
        size_t code = fb_field(&hb, &crs, 1);
        if (!code || !fb_has(&hb, code, 4) || rd_u32(hb.p + code) != 4326)
            goto done;
    }
    size_t cols, ncols;
    if (fb_vector(&hb, &h, 7, 4, &cols, &ncols)) {
        if (ncols > sizeof r.cols / sizeof r.cols[0])
            goto done;
        for (size_t i = 0; i < ncols; i++) {
            fb_table c;
            size_t s, slen;
            if (!fb_table_at(&hb, cols + 4 * i, &c) || !fb_vector(&hb, &c, 0, 1, &s, &slen))
                goto done;
            size_t n = slen < sizeof r.cols[i].name - 1 ? slen : sizeof r.cols[i].name - 1;
            memcpy(r.cols[i].name, hb.p + s, n);
            r.cols[i].name[n] = '\0';
            r.cols[i].type = fb_u8(&hb, &c, 1, 0);
        }
        r.n_cols = ncols;
    }
    r.name_col = name_column(&r);
    if (r.name_col >= 0) {
        unsigned t = r.cols[r.name_col].type;
        if (t != COL_STRING && t != COL_INT && t != COL_LONG)
            goto done; /* OGR formats other types */
    }
    unsigned hdr_type = fb_u8(&hb, &h, 2, 0);
    size_t ff = fb_field(&hb, &h, 8);
    uint64_t nfeat = ff && fb_has(&hb, ff, 8)
                         ? (uint64_t)rd_u32(hb.p + ff) | (uint64_t)rd_u32(hb.p + ff + 4) << 32
                         : 0;
    size_t nsf = fb_field(&hb, &h, 9);
    unsigned node_size = nsf && fb_has(&hb, nsf, 2) ? rd_u16(hb.p + nsf) : 16;
    /* the packed R-tree: its leaves are the features' envelopes and offsets,
     * in file order */
    size_t index_size = 0, n_nodes = 0;
    if (node_size > 0 && nfeat > 0) {
        if (node_size < 2 || nfeat > (uint64_t)(SIZE_MAX / 80))
            goto done;
        size_t n = (size_t)nfeat;
        n_nodes = n;
        do {
            n = (n + node_size - 1) / node_size;
            n_nodes += n;
        } while (n != 1);
        index_size = n_nodes * 40;
    }
    size_t data = 12 + hsize;
    if (!fb_has(&r.b, data, index_size))
        goto done;
    size_t feat0 = data + index_size;
    rc = 0;
    if (!(bd = outp_borders_new(err))) {
        rc = CX_ENOMEM;
        goto done;
    }
    if (area) {
        memcpy(r.area, area, sizeof r.area);
        r.has_area = true;
    }
    if (index_size) {
        size_t n = (size_t)nfeat, k = 0;
        if (!(envs = malloc(n * sizeof *envs))) {
            rc = cx_err_set(err, CX_ENOMEM, NULL, 0, "out of memory (borders)");
            goto done;
        }
        const unsigned char *leaf = r.b.p + data + (n_nodes - n) * 40;
        for (size_t i = 0; i < n; i++, leaf += 40) {
            double e[4] = {rd_f64(leaf), rd_f64(leaf + 8), rd_f64(leaf + 16), rd_f64(leaf + 24)};
            uint64_t off = (uint64_t)rd_u32(leaf + 32) | (uint64_t)rd_u32(leaf + 36) << 32;
            if (area && (e[2] < area[0] || e[3] < area[1] || area[2] < e[0] || area[3] < e[1]))
                continue;
            if (off > r.b.n - feat0) {
                rc = cx_err_set(err, CX_EFORMAT, path, 0, "bad FlatGeobuf index");
                goto done;
            }
            envs[k++] = (leaf_env){feat0 + (size_t)off, {e[0], e[1], e[2], e[3]}};
        }
        qsort(envs, k, sizeof *envs, cmp_size); /* file order, as OGR reads them */
        for (size_t i = 0; i < k && !rc; i++)
            rc = read_feature(&r, bd, envs[i].at, envs[i].env, hdr_type, path, err);
    } else {
        for (size_t at = feat0; at + 4 <= r.b.n && !rc;) {
            size_t size = rd_u32(r.b.p + at);
            rc = read_feature(&r, bd, at, NULL, hdr_type, path, err);
            at += 4 + size;
        }
    }
    if (!rc)
        rc = geo_border_index_build(bd->idx, err);
    if (!rc) {
        *out = bd;
        bd = NULL;
    }
done:
    out_borders_close(bd);
    free(envs);
    free(r.buf);
    if (map != MAP_FAILED)
        munmap(map, (size_t)st.st_size);
    if (fd >= 0)
        close(fd);
    return rc;
}

out_borders *out_borders_open(const char *path, const double *area, cx_err *err)
{
    if (!path || !*path) {
        cx_err_set(err, CX_EINVAL, NULL, 0, "no borders file given");
        return NULL;
    }
    out_borders *b = NULL;
    const char *ogr = getenv("INCIMAP_BORDERS_OGR"); /* tests compare the two readers */
    int rc = ogr && *ogr && strcmp(ogr, "0") ? 1 : read_fgb(path, area, &b, err);
    if (rc == 0)
        return b;
    if (rc != 1)
        return NULL;
    return BORDERS_OGR(path, area, err);
}
