/* test_borders_fgb.c -- the FlatGeobuf reader of out_borders.c (which lets
 * `extract` start without GDAL, issue 20) against OGR's reading of the same
 * file (out_borders_ogr.c): the same countries, names, rings, border
 * segments, distances and border lines, with and without an area, with and
 * without the file's spatial index. The fixtures are polygons written here
 * through OGR; the shipped vendor/countries-10m.fgb is compared too when
 * given (argv[2]). */
#include "borders_p.h"
#include "check.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gdal.h>
#include <ogr_api.h>

typedef struct lines {
    char buf[1 << 20];
    size_t len;
} lines;

static int on_line(void *ctx, int a, int b, const double *pts, size_t n)
{
    lines *l = ctx;
    int k = snprintf(l->buf + l->len, sizeof l->buf - l->len, "%d-%d:", a, b);
    if (k > 0 && (size_t)k < sizeof l->buf - l->len)
        l->len += (size_t)k;
    for (size_t i = 0; i < n; i++) {
        k = snprintf(l->buf + l->len, sizeof l->buf - l->len, "%.17g,%.17g;", pts[2 * i],
                     pts[2 * i + 1]);
        if (k > 0 && (size_t)k < sizeof l->buf - l->len)
            l->len += (size_t)k;
    }
    return 0;
}

/* Both readers on `path` (`area` or NULL): everything observable equal. */
static void compare(const char *path, const double *area, const double *box, size_t min_countries)
{
    cx_err e1 = {0}, e2 = {0};
    out_borders *own = out_borders_open(path, area, &e1);
    out_borders *ogr = outp_borders_open_ogr(path, area, &e2);
    CHECK(own != NULL);
    CHECK(ogr != NULL);
    if (!own || !ogr) {
        fprintf(stderr, "%s: %s / %s\n", path, e1.msg, e2.msg);
        goto done;
    }
    CHECK_INT_EQ(own->n_names, ogr->n_names);
    CHECK(own->n_names >= min_countries);
    for (size_t i = 0; i < own->n_names && i < ogr->n_names; i++)
        CHECK_STR_EQ(own->names[i], ogr->names[i]);
    CHECK_INT_EQ(geo_border_index_count(out_borders_index(own)),
                 geo_border_index_count(out_borders_index(ogr)));
    int differ = 0;
    for (double lat = box[1]; lat <= box[3]; lat += (box[3] - box[1]) / 23)
        for (double lon = box[0]; lon <= box[2]; lon += (box[2] - box[0]) / 29) {
            double a = out_borders_distance_km(own, lat, lon);
            double b = out_borders_distance_km(ogr, lat, lon);
            differ += !(a == b || (isnan(a) && isnan(b)));
        }
    CHECK_INT_EQ(differ, 0);
    static lines la, lb;
    la.len = lb.len = 0;
    geo_border_index_lines(out_borders_index(own), box[0], box[1], box[2], box[3], on_line, &la);
    geo_border_index_lines(out_borders_index(ogr), box[0], box[1], box[2], box[3], on_line, &lb);
    CHECK(la.len > 0 || geo_border_index_count(out_borders_index(own)) == 0);
    CHECK(la.len == lb.len && memcmp(la.buf, lb.buf, la.len) == 0);
done:
    out_borders_close(own);
    out_borders_close(ogr);
}

static void add(OGRLayerH lyr, const char *name, const char *wkt)
{
    OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(lyr));
    if (name)
        OGR_F_SetFieldString(f, 0, name);
    OGRGeometryH g = NULL;
    char *w = (char *)(size_t)wkt; /* OGR's API takes char** and reads only */
    CHECK(OGR_G_CreateFromWkt(&w, NULL, &g) == OGRERR_NONE);
    OGR_F_SetGeometryDirectly(f, g);
    CHECK(OGR_L_CreateFeature(lyr, f) == OGRERR_NONE);
    OGR_F_Destroy(f);
}

/* Countries of our own: two squares sharing an edge, one with a hole and a
 * far island, a C-shaped country whose envelope covers the area but whose
 * land does not reach it, a nameless one, one named by a second column. */
static void write_fixture(const char *path, bool index)
{
    GDALDriverH drv = GDALGetDriverByName("FlatGeobuf");
    CHECK(drv != NULL);
    GDALDatasetH ds = GDALCreate(drv, path, 0, 0, 0, GDT_Unknown, NULL);
    CHECK(ds != NULL);
    char *opts[] = {(char *)(size_t)(index ? "SPATIAL_INDEX=YES" : "SPATIAL_INDEX=NO"), NULL};
    OGRLayerH lyr = GDALDatasetCreateLayer(ds, "countries", NULL, wkbUnknown, opts);
    OGRFieldDefnH fd = OGR_Fld_Create("NAME", OFTString);
    OGR_L_CreateField(lyr, fd, TRUE);
    OGR_Fld_Destroy(fd);
    add(lyr, "Westland", "POLYGON ((0 0, 2 0, 2 2, 0 2, 0 0), (0.5 0.5, 1 0.5, 1 1, 0.5 0.5))");
    add(lyr, "Eastland",
        "MULTIPOLYGON (((2 0, 4 0, 4 2, 2 2, 2 0)), ((20 20, 21 20, 21 21, 20 20)))");
    add(lyr, "Northland", "POLYGON ((0 2, 2 2, 4 2, 4 3, 0 3, 0 2))");
    add(lyr, "Crescent",
        "POLYGON ((-5 -5, 9 -5, 9 -4, -4 -4, -4 8, 9 8, 9 9, -5 9, -5 -5))");
    add(lyr, NULL, "POLYGON ((4 0, 5 0, 5 1, 4 1, 4 0))");
    add(lyr, "Faraway", "POLYGON ((100 50, 101 50, 101 51, 100 50))");
    GDALClose(ds);
}

/* Damaged files (bytes flipped at random, seeded): an error or a result,
 * never a crash or a read out of bounds (ASan and valgrind run this). */
static void damaged(const char *from, const char *work)
{
    static unsigned char orig[1 << 16], buf[1 << 16];
    FILE *in = fopen(from, "rb");
    CHECK(in != NULL);
    if (!in)
        return;
    size_t n = fread(orig, 1, sizeof orig, in);
    fclose(in);
    char path[4096];
    snprintf(path, sizeof path, "%s/damaged.fgb", work);
    unsigned long x = 99;
    int opened = 0, refused = 0;
    const double area[4] = {-1, -1, 3, 2.5};
    for (int it = 0; it < 400; it++) {
        memcpy(buf, orig, n);
        int flips = 1 + it % 4;
        for (int k = 0; k < flips; k++) {
            x = x * 6364136223846793005ul + 1442695040888963407ul;
            size_t at = 12 + (size_t)(x >> 33) % (n - 12); /* the magic stays */
            buf[at] ^= (unsigned char)(1u << ((x >> 20) % 8));
        }
        FILE *out = fopen(path, "wb");
        if (!out)
            continue;
        fwrite(buf, 1, n, out);
        fclose(out);
        cx_err err = {0};
        out_borders *b = out_borders_open(path, it % 2 ? area : NULL, &err);
        opened += b != NULL;
        refused += b == NULL && err.code != 0;
        CHECK(b != NULL || err.code != 0); /* no failure without a reason */
        out_borders_close(b);
    }
    printf("damaged FlatGeobuf: %d read, %d refused with an error\n", opened, refused);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: test_borders_fgb WORKDIR [countries-10m.fgb]\n");
        return 2;
    }
    GDALAllRegister();
    char path[4096], path2[4096];
    snprintf(path, sizeof path, "%s/countries-index.fgb", argv[1]);
    snprintf(path2, sizeof path2, "%s/countries-scan.fgb", argv[1]);
    remove(path);
    remove(path2);
    write_fixture(path, true);
    write_fixture(path2, false);
    const double world[4] = {-10, -10, 30, 30};
    const double area[4] = {-1, -1, 3, 2.5}; /* Crescent's envelope covers it */
    const double far[4] = {19, 19, 22, 22};
    for (int k = 0; k < 2; k++) {
        const char *p = k ? path2 : path;
        compare(p, NULL, world, 6);
        compare(p, area, area, 3);
        compare(p, far, far, 1);
    }
    /* the area filter keeps exactly what OGR keeps: not the Crescent */
    cx_err err = {0};
    out_borders *b = out_borders_open(path, area, &err);
    CHECK(b != NULL);
    if (b) {
        CHECK_INT_EQ(b->n_names, 3); /* Westland, Eastland, Northland */
        for (size_t i = 0; i < b->n_names; i++)
            CHECK(strcmp(b->names[i], "Crescent") != 0);
        /* 0.5 degree of longitude from the Westland-Eastland border */
        CHECK(fabs(out_borders_distance_km(b, 1, 1.5) - 55.66) < 0.1);
        CHECK(geo_border_index_count(out_borders_index(b)) == 3);
        out_borders_close(b);
    }
    /* not a FlatGeobuf: OGR reads it (here, in-process) */
    char gj[4096];
    snprintf(gj, sizeof gj, "%s/countries.geojson", argv[1]);
    FILE *fp = fopen(gj, "w");
    CHECK(fp != NULL);
    if (fp) {
        fputs("{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":"
              "{\"name\":\"A\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],"
              "[1,1],[0,0]]]}}]}\n",
              fp);
        fclose(fp);
        out_borders *g = out_borders_open(gj, NULL, &err);
        CHECK(g != NULL && g->n_names == 1 && !strcmp(g->names[0], "A"));
        out_borders_close(g);
    }
    /* a FlatGeobuf cut inside its features: an error naming the file */
    char bad[4096];
    snprintf(bad, sizeof bad, "%s/truncated.fgb", argv[1]);
    FILE *in = fopen(path, "rb"), *out = fopen(bad, "wb");
    if (in && out) {
        static char buf[1 << 16];
        size_t n = fread(buf, 1, sizeof buf, in);
        fwrite(buf, 1, n > 40 ? n - 40 : 0, out);
    }
    if (in)
        fclose(in);
    if (out)
        fclose(out);
    cx_err e3 = {0};
    out_borders *t = out_borders_open(bad, NULL, &e3);
    CHECK(t == NULL);
    CHECK(e3.code != 0 && strstr(e3.source, "truncated.fgb") != NULL);
    out_borders_close(t);
    damaged(path, argv[1]);
    /* the shipped file, with the theatre's area (Armenia-Azerbaijan +-3) and
     * the world */
    if (argc > 2 && argv[2][0]) {
        const double th[4] = {40.5, 35.5, 53.5, 45.5};
        const double wl[4] = {-180, -85, 180, 85};
        compare(argv[2], th, th, 5);
        compare(argv[2], NULL, wl, 200);
    } else {
        printf("test_borders_fgb: no vendor countries-10m.fgb given: the fixtures only\n");
    }
    GDALDestroyDriverManager();
    CHECK_DONE();
}
