/* test_map.c -- unit tests of map/ (issue 7).
 *
 *   test_map unit FIXTURE             parsing, filters, labels, reading, view
 *   test_map render LAYER COUNTRIES OUTDIR [WIDTH]
 *                                     render a layer (the fixture, or the e2e
 *                                     output) to PNG and find each incident's
 *                                     type colour where map_project puts it;
 *                                     render error paths
 *   test_map hollow LAYER COUNTRIES OUTDIR
 *                                     geo_precision 3 pins are hollow, others solid
 *   test_map bench N COUNTRIES OUTDIR a map of N incidents: read + render time
 *   test_map colours                  print "layer R,G,B" per type (for the
 *                                     check against data/styles/<layer>.qml)
 *   test_map pngcmp A.png B.png        same size, both non-blank, and under 3% of
 *                                     pixels differing visibly (the README map
 *                                     check: exact bytes vary with cairo and
 *                                     font versions)
 *
 * render and bench exit 77 (skip) when COUNTRIES does not exist. */
#include "check.h"
#include "map.h"

#include <cairo.h>
#include <gdal.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <time.h>
#include <unistd.h>

static bool file_exists(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0;
}

/* ===== unit ===== */

static void test_types(void)
{
    CHECK_INT_EQ(map_type_parse("shelling"), MAP_SHELLING);
    CHECK_INT_EQ(map_type_parse("Clashes"), MAP_CLASH);
    CHECK_INT_EQ(map_type_parse("evacuation"), MAP_EVACUATION);
    CHECK_INT_EQ(map_type_parse("riot"), -1);
    CHECK_INT_EQ(map_type_parse(NULL), -1);
    unsigned t = 0;
    cx_err err;
    cx_err_clear(&err);
    CHECK_INT_EQ(map_types_parse("shelling,evacuations", &t, &err), 0);
    CHECK_INT_EQ(t, (1u << MAP_SHELLING) | (1u << MAP_EVACUATION));
    CHECK_INT_EQ(map_types_parse("shelling,riot", &t, &err), CX_EINVAL);
    CHECK_STR_EQ(err.msg, "unknown type 'riot' (shelling, clash, evacuation)");
    cx_err_clear(&err);
    CHECK_INT_EQ(map_types_parse("shelling,", &t, &err), CX_EINVAL);
    CHECK(strstr(err.msg, "expected a list") != NULL);
    CHECK_STR_EQ(map_type_label(MAP_CLASH), "Clashes");
    CHECK_STR_EQ(map_type_label_lang(MAP_CLASH, "en"), "Clashes");
    CHECK_STR_EQ(map_type_label_lang(MAP_SHELLING, "fr"), "Bombardements");
    CHECK_STR_EQ(map_type_label_lang(MAP_EVACUATION, "fr"), "\xc3\x89vacuations");
    CHECK_STR_EQ(map_type_label_lang(MAP_CLASH, NULL), "Clashes");
    CHECK_INT_EQ(map_type_rgb(MAP_SHELLING), 0xd7191c);
    CHECK_INT_EQ(map_type_rgb(MAP_CLASH), 0xf57c00);
    CHECK_INT_EQ(map_type_rgb(MAP_EVACUATION), 0x2b83ba);
}

static void test_dates(void)
{
    char d[11];
    cx_err err;
    cx_err_clear(&err);
    CHECK_INT_EQ(map_date_parse("2022-09-13", d, &err), 0);
    CHECK_STR_EQ(d, "2022-09-13");
    CHECK_INT_EQ(map_date_parse("2022-09", d, &err), 0);
    CHECK_INT_EQ(map_date_parse("2022", d, &err), 0);
    CHECK_INT_EQ(map_date_parse("2022-02-30", d, &err), CX_EINVAL);
    CHECK_STR_EQ(err.msg, "expected a date YYYY-MM-DD (or YYYY-MM, YYYY), got '2022-02-30'");
    cx_err_clear(&err);
    CHECK_INT_EQ(map_date_parse("2022-13", d, &err), CX_EINVAL);
    cx_err_clear(&err);
    CHECK_INT_EQ(map_date_parse("13/09/2022", d, &err), CX_EINVAL);

    map_filter f = {.types = 0};
    map_incident inc = {.type = MAP_CLASH, .date = "2022-09-13"};
    CHECK(map_filter_match(&f, &inc));
    CHECK(map_filter_match(NULL, &inc));
    snprintf(f.from, sizeof f.from, "2022-09-13");
    CHECK(map_filter_match(&f, &inc));
    snprintf(f.from, sizeof f.from, "2022-09-14");
    CHECK(!map_filter_match(&f, &inc));
    snprintf(f.from, sizeof f.from, "2022-09"); /* a month bound starts on the 1st */
    snprintf(f.to, sizeof f.to, "2022-09");     /* and ends on the last day */
    CHECK(map_filter_match(&f, &inc));
    snprintf(f.to, sizeof f.to, "2022-09-12");
    CHECK(!map_filter_match(&f, &inc));
    /* A month-precise incident overlaps a day inside that month. */
    map_incident month = {.type = MAP_CLASH, .date = "2022-09"};
    snprintf(f.from, sizeof f.from, "2022-09-20");
    snprintf(f.to, sizeof f.to, "2022-09-21");
    CHECK(map_filter_match(&f, &month));
    snprintf(f.from, sizeof f.from, "2022-10-01");
    snprintf(f.to, sizeof f.to, "2022-10-31");
    CHECK(!map_filter_match(&f, &month));
    /* Undated incidents only pass without bounds. */
    map_incident undated = {.type = MAP_CLASH, .date = ""};
    CHECK(!map_filter_match(&f, &undated));
    map_filter open = {.types = 1u << MAP_SHELLING};
    CHECK(!map_filter_match(&open, &undated)); /* wrong type */
    undated.type = MAP_SHELLING;
    CHECK(map_filter_match(&open, &undated));
}

static void test_bbox(void)
{
    map_bbox b;
    cx_err err;
    cx_err_clear(&err);
    CHECK_INT_EQ(map_bbox_parse("44.5,38.5,47,41.5", &b, &err), 0);
    CHECK(b.west == 44.5 && b.south == 38.5 && b.east == 47 && b.north == 41.5);
    CHECK_INT_EQ(map_bbox_parse("44.5,38.5,47", &b, &err), CX_EINVAL);
    CHECK_STR_EQ(err.source, "--bbox");
    CHECK_STR_EQ(err.msg, "expected W,S,E,N in degrees or 'auto', got '44.5,38.5,47'");
    cx_err_clear(&err);
    CHECK_INT_EQ(map_bbox_parse("47,38.5,44,41.5", &b, &err), CX_EINVAL);
    CHECK(strstr(err.msg, "west must be less than east") != NULL);
    cx_err_clear(&err);
    CHECK_INT_EQ(map_bbox_parse("44,38,47,95", &b, &err), CX_EINVAL);
    CHECK(strstr(err.msg, "outside") != NULL);
    cx_err_clear(&err);
    CHECK_INT_EQ(map_bbox_parse("44,38,47,41x", &b, &err), CX_EINVAL);
    CHECK_INT_EQ(map_format_from_path("a.PNG"), MAP_FMT_PNG);
    CHECK_INT_EQ(map_format_from_path("dir/a.svg"), MAP_FMT_SVG);
    CHECK_INT_EQ(map_format_from_path("a.pdf"), MAP_FMT_PDF);
    CHECK_INT_EQ(map_format_from_path("a.jpg"), -1);
    CHECK_INT_EQ(map_format_from_path(".png"), -1);
}

static void test_nice(void)
{
    CHECK(map_nice_km(73) == 50);
    CHECK(map_nice_km(100) == 100);
    CHECK(map_nice_km(0.37) == 0.25);
    CHECK(map_nice_km(2.5) == 2.5);
    CHECK(map_nice_km(2.4) == 2);
    CHECK(map_nice_km(49.99) == 25);
    CHECK(map_nice_km(0) == 0);
}

static bool rects_overlap(map_rect a, map_rect b)
{
    return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
}

static void test_labels(void)
{
    /* Three labels at one spot: E, W, then NE... never overlapping. */
    map_label_req r[12];
    for (int i = 0; i < 12; i++)
        r[i] = (map_label_req){100, 100, 5, 40, 12};
    map_rect placed[12];
    bool ok[12];
    map_rect bounds = {0, 0, 400, 400};
    size_t n = map_labels_place(r, 12, NULL, 0, bounds, placed, ok);
    CHECK_INT_EQ(n, 6); /* E, W, NE, SE, NW, SW; N and S would overlap NE, SE; rest dropped */
    CHECK(ok[0] && placed[0].x0 > 105); /* first choice: east of the symbol */
    CHECK(ok[1] && placed[1].x1 < 95);  /* then west */
    CHECK(!ok[8] && !ok[11]);
    for (int i = 0; i < 12; i++)
        for (int j = 0; j < i; j++)
            if (ok[i] && ok[j])
                CHECK(!rects_overlap(placed[i], placed[j]));
    /* An obstacle east and the page edge north push the label elsewhere. */
    map_label_req q = {380, 8, 4, 30, 10};
    map_rect obst = {380, 0, 400, 30};
    map_rect p;
    bool k;
    CHECK_INT_EQ(map_labels_place(&q, 1, &obst, 1, bounds, &p, &k), 1);
    CHECK(k && p.x1 <= 380 && p.y0 >= 0 && !rects_overlap(p, obst));
    /* Nowhere to go: dropped. */
    map_rect wall = {0, 0, 400, 400};
    CHECK_INT_EQ(map_labels_place(&q, 1, &wall, 1, bounds, &p, &k), 0);
    CHECK(!k);
}

static void test_read(const char *fixture)
{
    map_list l = MAP_LIST_INIT;
    cx_err err;
    cx_err_clear(&err);
    size_t skipped = 0;
    CHECK_INT_EQ(map_read_layer(fixture, NULL, &l, &skipped, &err), 0);
    CHECK_INT_EQ(l.n, 11);
    CHECK_INT_EQ(skipped, 0);
    if (l.n == 11) {
        /* Dates come back ISO although GDAL types the column as Date. */
        CHECK_STR_EQ(l.items[0].date, "2022-09-13");
        CHECK_INT_EQ(l.items[0].type, MAP_SHELLING);
        CHECK_STR_EQ(l.items[0].place, "\xd5\x8b\xd5\xa5\xd6\x80\xd5\xb4\xd5\xb8\xd6\x82\xd5\xaf");
        CHECK_INT_EQ(l.items[0].n_sources, 3);
        CHECK_INT_EQ(l.items[0].fatalities, -1);
        CHECK_INT_EQ(l.items[1].fatalities, 2);
        CHECK(fabs(l.items[0].lon - 45.6694) < 1e-9 && fabs(l.items[0].lat - 39.8417) < 1e-9);
    }
    map_list_free(&l);

    /* Filters apply while reading. */
    map_filter f = {.types = 1u << MAP_EVACUATION};
    CHECK_INT_EQ(map_read_layer(fixture, &f, &l, NULL, &err), 0);
    CHECK_INT_EQ(l.n, 3);
    map_list_free(&l);
    map_filter g = {.from = "2022-09-13", .to = "2022-09-13"};
    CHECK_INT_EQ(map_read_layer(fixture, &g, &l, NULL, &err), 0);
    CHECK_INT_EQ(l.n, 4);
    map_list_free(&l);

    /* Errors: missing file, a file that is no layer, a folder without one. */
    CHECK_INT_EQ(map_read_layer("/nonexistent/x.geojson", NULL, &l, NULL, &err), CX_ENOTFOUND);
    CHECK_STR_EQ(err.source, "/nonexistent/x.geojson");
    CHECK_STR_EQ(err.msg, "no such file");
    char dir[] = "/tmp/test_map_XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char junk[256];
    snprintf(junk, sizeof junk, "%s/junk.txt", dir);
    FILE *fp = fopen(junk, "w");
    if (fp) {
        fputs("not a layer\n", fp);
        fclose(fp);
    }
    cx_err_clear(&err);
    CHECK_INT_EQ(map_read_layer(junk, NULL, &l, NULL, &err), CX_EIO);
    CHECK(strncmp(err.msg, "not a vector layer GDAL can read", 32) == 0);
    cx_err_clear(&err);
    CHECK_INT_EQ(map_read_layer(dir, NULL, &l, NULL, &err), CX_ENOTFOUND);
    CHECK_STR_EQ(err.source, dir);
    CHECK(strncmp(err.msg, "no incidents layer in this folder", 33) == 0);
    /* A folder with incidents.csv (lon/lat columns, plural type names). */
    char csv[256];
    snprintf(csv, sizeof csv, "%s/incidents.csv", dir);
    fp = fopen(csv, "w");
    if (fp) {
        fputs("type,date,place,lon,lat,n_sources,fatalities\n"
              "clashes,2022-09-13,Sotk,45.9386,40.2053,2,\n"
              "shelling,2022-09,Jermuk,45.6694,39.8417,,3\n"
              "protest,2022-09-13,Yerevan,44.5,40.18,1,\n",
              fp);
        fclose(fp);
    }
    cx_err_clear(&err);
    skipped = 0;
    CHECK_INT_EQ(map_read_layer(dir, NULL, &l, &skipped, &err), 0);
    CHECK_INT_EQ(l.n, 2);
    CHECK_INT_EQ(skipped, 1); /* the unknown type */
    if (l.n == 2) {
        CHECK_INT_EQ(l.items[0].type, MAP_CLASH);
        CHECK_INT_EQ(l.items[0].fatalities, -1);
        CHECK_INT_EQ(l.items[1].n_sources, 1);
        CHECK_INT_EQ(l.items[1].fatalities, 3);
        CHECK_STR_EQ(l.items[1].date, "2022-09");
        CHECK(fabs(l.items[1].lat - 39.8417) < 1e-9);
    }
    map_list_free(&l);
    unlink(csv);
    unlink(junk);
    rmdir(dir);
}

static void test_view(const char *fixture)
{
    cx_err err;
    cx_err_clear(&err);
    map_list empty = MAP_LIST_INIT;
    CHECK(map_view_new(NULL, &empty, 800, 96, &err) == NULL);
    CHECK_INT_EQ(err.code, CX_EINVAL);
    CHECK_STR_EQ(err.msg, "no incidents to map; give --bbox W,S,E,N to draw an empty map");
    cx_err_clear(&err);
    map_bbox b = {44, 38, 47, 41};
    CHECK(map_view_new(&b, NULL, 50, 96, &err) == NULL);
    CHECK_INT_EQ(err.code, CX_EINVAL);

    /* One incident: a regional map of at least 200 km, centred on it. */
    map_list one = MAP_LIST_INIT;
    map_incident inc = {.type = MAP_SHELLING, .lon = 45.6694, .lat = 39.8417, .n_sources = 1};
    map_list_add(&one, &inc);
    cx_err_clear(&err);
    map_view *v = map_view_new(NULL, &one, 1000, 96, &err);
    CHECK(v != NULL);
    if (v) {
        int w, h;
        map_view_size(v, &w, &h);
        CHECK_INT_EQ(w, 1000);
        CHECK(h > 600 && h < 1100);
        CHECK(strstr(map_view_proj(v), "+proj=lcc") != NULL);
        double x, y;
        CHECK_INT_EQ(map_project(v, inc.lon, inc.lat, &x, &y), 0);
        CHECK(fabs(x - 500) < 1);
        double km = map_view_km(v, 0, y, 1000);
        CHECK(km >= 199 && km < 240);
        /* North is up at the centre: a point further north is higher. */
        double x2, y2;
        CHECK_INT_EQ(map_project(v, inc.lon, inc.lat + 0.2, &x2, &y2), 0);
        CHECK(y2 < y && fabs(x2 - x) < 0.5);
        map_view_free(v);
    }
    map_list_free(&one);

    /* An explicit bbox stays inside the frame. */
    v = map_view_new(&b, NULL, 1200, 150, &err);
    CHECK(v != NULL);
    if (v) {
        int w, h;
        map_view_size(v, &w, &h);
        double corners[4][2] = {{44, 38}, {47, 38}, {44, 41}, {47, 41}};
        for (int i = 0; i < 4; i++) {
            double x, y;
            CHECK_INT_EQ(map_project(v, corners[i][0], corners[i][1], &x, &y), 0);
            CHECK(x >= -0.5 && x <= w + 0.5 && y >= 0 && y <= h + 0.5);
        }
        map_view_free(v);
    }
    /* Near the equator the view uses transverse Mercator. */
    map_bbox eq = {30, -2, 33, 2};
    v = map_view_new(&eq, NULL, 800, 96, &err);
    CHECK(v && strstr(map_view_proj(v), "+proj=tmerc") != NULL);
    map_view_free(v);
    map_view_free(NULL);

    /* The fixture fits with a margin. */
    map_list l = MAP_LIST_INIT;
    CHECK_INT_EQ(map_read_layer(fixture, NULL, &l, NULL, &err), 0);
    v = map_view_new(NULL, &l, 1600, 150, &err);
    CHECK(v != NULL);
    if (v) {
        int w, h;
        map_view_size(v, &w, &h);
        for (size_t i = 0; i < l.n; i++) {
            double x, y;
            CHECK_INT_EQ(map_project(v, l.items[i].lon, l.items[i].lat, &x, &y), 0);
            CHECK(x > 0.05 * w && x < 0.95 * w && y > 0.05 * h && y < 0.97 * h);
        }
        map_view_free(v);
    }
    map_list_free(&l);
}

/* ===== render ===== */

/* True when a pixel within `rad` of (x, y) has colour `rgb` (+- tol). */
static bool colour_near(cairo_surface_t *img, double x, double y, int rad, unsigned rgb,
                        int tol)
{
    int w = cairo_image_surface_get_width(img), h = cairo_image_surface_get_height(img);
    int stride = cairo_image_surface_get_stride(img);
    const unsigned char *d = cairo_image_surface_get_data(img);
    int cx = (int)lround(x), cy = (int)lround(y);
    for (int j = cy - rad; j <= cy + rad; j++) {
        for (int i = cx - rad; i <= cx + rad; i++) {
            if (i < 0 || j < 0 || i >= w || j >= h)
                continue;
            uint32_t p = *(const uint32_t *)(d + j * stride + 4 * i);
            int r = (p >> 16) & 255, g = (p >> 8) & 255, b = p & 255;
            if (abs(r - (int)(rgb >> 16)) <= tol && abs(g - (int)((rgb >> 8) & 255)) <= tol &&
                abs(b - (int)(rgb & 255)) <= tol)
                return true;
        }
    }
    return false;
}

static int do_render(const char *fixture, const char *countries, const char *outdir, int width)
{
    if (!file_exists(countries)) {
        printf("SKIP: %s not found (run scripts/fetch-data.sh or set INCIMAP_VENDOR)\n",
               countries);
        return 77;
    }
    cx_err err;
    cx_err_clear(&err);
    map_list l = MAP_LIST_INIT;
    CHECK_INT_EQ(map_read_layer(fixture, NULL, &l, NULL, &err), 0);
    map_view *v = map_view_new(NULL, &l, width, 120, &err);
    CHECK(v != NULL);
    if (!v) {
        map_list_free(&l);
        CHECK_DONE();
    }
    printf("render: %d px wide at 120 dpi\n", width);
    char png[1024];
    snprintf(png, sizeof png, "%s/test_map_fixture.png", outdir);
    map_report rep = {0};
    map_options o = {.output = png, .format = MAP_FMT_PNG, .title = "Fixture",
                     .countries = countries, .size_by = MAP_SIZE_SOURCES, .report = &rep};
    CHECK_INT_EQ(map_render(v, &l, &o, &err), 0);
    o.report = NULL;
    cairo_surface_t *img = cairo_image_surface_create_from_png(png);
    CHECK(cairo_surface_status(img) == CAIRO_STATUS_SUCCESS);
    if (cairo_surface_status(img) == CAIRO_STATUS_SUCCESS) {
        int w, h;
        map_view_size(v, &w, &h);
        CHECK_INT_EQ(cairo_image_surface_get_width(img), w);
        CHECK_INT_EQ(cairo_image_surface_get_height(img), h);
        /* Every symbol the renderer reports drawing must show: a symbol
         * whose centre another type's symbol covers is hidden. Symbols of one
         * type at one spot (a place reported on several dates) are one
         * symbol. Solid symbols show their colour around their centre;
         * hollow ones (geo_prec 3) on their dashed outline. */
        CHECK_INT_EQ(rep.n, l.n);
        size_t distinct = 0, visible = 0, stacked = 0, approx = 0;
        for (size_t i = 0; i < rep.n; i++) {
            const map_symbol *s = &rep.symbols[i];
            bool seen = false;
            for (size_t j = i + 1; j < rep.n && !seen; j++)
                seen = rep.symbols[j].type == s->type && fabs(rep.symbols[j].x - s->x) < 0.5 &&
                       fabs(rep.symbols[j].y - s->y) < 0.5 &&
                       rep.symbols[j].geo_prec == s->geo_prec;
            if (seen) { /* a later symbol of the same type is drawn on this one */
                stacked++;
                continue;
            }
            distinct++;
            unsigned want = map_type_rgb(s->type);
            bool found;
            if (s->geo_prec == 3) {
                approx++;
                found = colour_near(img, s->x, s->y, (int)ceil(1.35 * s->r), want, 12);
            } else {
                found = colour_near(img, s->x, s->y, (int)fmax(1, floor(0.35 * s->r)), want, 12);
            }
            if (found)
                visible++;
            else
                fprintf(stderr, "hidden: incident %zu (%s, %s) drawn at %.1f,%.1f r %.1f\n",
                        s->index, l.items[s->index].place, map_type_label(s->type), s->x, s->y,
                        s->r);
            /* different types at one place never overlap */
            for (size_t j = 0; j < rep.n; j++) {
                const map_symbol *t = &rep.symbols[j];
                if (t->type == s->type || fabs(t->ax - s->ax) > 0.01 || fabs(t->ay - s->ay) > 0.01)
                    continue;
                double fs = s->type == MAP_SHELLING ? 1.3 : s->type == MAP_CLASH ? 1.2 : 1.0;
                double ft = t->type == MAP_SHELLING ? 1.3 : t->type == MAP_CLASH ? 1.2 : 1.0;
                CHECK(hypot(t->x - s->x, t->y - s->y) >= fs * s->r + ft * t->r - 1);
            }
        }
        printf("render: %zu of %zu distinct symbols visible in their type colour (%zu incidents, "
               "%zu stacked on a same-type symbol, %zu moved apart at shared places, %zu "
               "hollow)\n",
               visible, distinct, l.n, stacked, rep.n_displaced, approx);
        CHECK_INT_EQ(visible, distinct);
        size_t checked = distinct;
        CHECK(checked > 0);
        /* A spot far from any incident has no incident colour (the sea or land). */
        double x, y;
        map_project(v, 45.0, 38.6, &x, &y); /* in Iran / Nakhchivan */
        bool empty = true;
        for (size_t i = 0; i < l.n; i++) {
            double x2, y2;
            if (!map_project(v, l.items[i].lon, l.items[i].lat, &x2, &y2) &&
                hypot(x2 - x, y2 - y) < 60)
                empty = false;
        }
        for (int t = 0; t < MAP_NTYPES && empty; t++)
            CHECK(!colour_near(img, x, y, 3, map_type_rgb(t), 12));
    }
    cairo_surface_destroy(img);
    map_report_free(&rep);

    /* Output not writable: CX_EOUT, and nothing left behind. */
    cx_err_clear(&err);
    o.output = "/nonexistent-dir/map.png";
    CHECK_INT_EQ(map_render(v, &l, &o, &err), CX_EOUT);
    CHECK_STR_EQ(err.source, "/nonexistent-dir/map.png");
    CHECK(strncmp(err.msg, "cannot write: ", 14) == 0);

    /* Countries unreadable: CX_EIO naming the file, the old map untouched. */
    struct stat before, after;
    stat(png, &before);
    cx_err_clear(&err);
    o.output = png;
    o.countries = fixture; /* a point layer: readable but no polygons */
    CHECK_INT_EQ(map_render(v, &l, &o, &err), 0);
    o.countries = "/nonexistent/countries.json";
    cx_err_clear(&err);
    CHECK_INT_EQ(map_render(v, &l, &o, &err), CX_EIO);
    CHECK_STR_EQ(err.source, "/nonexistent/countries.json");
    CHECK(strncmp(err.msg, "cannot read polygons", 20) == 0);
    stat(png, &after);
    CHECK(after.st_size > 0);
    (void)before;

    /* SVG and PDF render too (their validity is checked by tests/map/). */
    char svg[1024];
    snprintf(svg, sizeof svg, "%s/test_map_fixture.svg", outdir);
    o = (map_options){.output = svg, .format = MAP_FMT_SVG, .countries = countries};
    cx_err_clear(&err);
    CHECK_INT_EQ(map_render(v, &l, &o, &err), 0);
    map_view_free(v);
    map_list_free(&l);
    CHECK_DONE();
}

/* ===== hollow: geo_precision 3 pins look different ===== */

/* Render LAYER; every geo_prec 3 symbol that no later symbol covers is
 * hollow (its centre is not its type's solid colour) while its dashed
 * outline shows the colour; every other symbol is solid at its centre. */
static int do_hollow(const char *layer, const char *countries, const char *outdir)
{
    if (!file_exists(countries)) {
        printf("SKIP: %s not found\n", countries);
        return 77;
    }
    cx_err err;
    cx_err_clear(&err);
    map_list l = MAP_LIST_INIT;
    CHECK_INT_EQ(map_read_layer(layer, NULL, &l, NULL, &err), 0);
    map_view *v = map_view_new(NULL, &l, 1200, 120, &err);
    CHECK(v != NULL);
    char png[1024];
    snprintf(png, sizeof png, "%s/test_map_hollow.png", outdir);
    map_report rep = {0};
    map_options o = {.output = png, .format = MAP_FMT_PNG, .countries = countries,
                     .size_by = MAP_SIZE_SOURCES, .report = &rep};
    CHECK_INT_EQ(v ? map_render(v, &l, &o, &err) : -1, 0);
    cairo_surface_t *img = cairo_image_surface_create_from_png(png);
    size_t hollow = 0, solid = 0;
    for (size_t i = 0; i < rep.n && cairo_surface_status(img) == CAIRO_STATUS_SUCCESS; i++) {
        const map_symbol *s = &rep.symbols[i];
        bool covered = false; /* a later symbol reaching this one's centre */
        for (size_t j = i + 1; j < rep.n && !covered; j++)
            covered = hypot(rep.symbols[j].x - s->x, rep.symbols[j].y - s->y) <
                      1.3 * rep.symbols[j].r + 1;
        if (covered)
            continue;
        unsigned want = map_type_rgb(s->type);
        bool centre = colour_near(img, s->x, s->y, 0, want, 12);
        if (s->geo_prec == 3) {
            hollow++;
            if (centre)
                fprintf(stderr, "not hollow: incident %zu (%s)\n", s->index,
                        l.items[s->index].place);
            CHECK(!centre);
            CHECK(colour_near(img, s->x, s->y, (int)ceil(1.35 * s->r), want, 12));
        } else {
            solid++;
            CHECK(centre);
        }
    }
    printf("hollow: %zu geo_precision 3 symbols hollow with a dashed outline, %zu solid "
           "(uncovered ones checked)\n",
           hollow, solid);
    CHECK(hollow > 0);
    cairo_surface_destroy(img);
    map_report_free(&rep);
    map_view_free(v);
    map_list_free(&l);
    CHECK_DONE();
}

/* ===== bench ===== */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int do_bench(long n, const char *countries, const char *outdir)
{
    if (!file_exists(countries)) {
        printf("SKIP: %s not found (run scripts/fetch-data.sh or set INCIMAP_VENDOR)\n",
               countries);
        return 77;
    }
    /* n incidents scattered over the border region (fixed LCG: reproducible). */
    char path[1024], png[1024];
    snprintf(path, sizeof path, "%s/bench_%ld.geojson", outdir, n);
    snprintf(png, sizeof png, "%s/bench_%ld.png", outdir, n);
    FILE *fp = fopen(path, "w");
    CHECK(fp != NULL);
    if (!fp)
        CHECK_DONE();
    static const char *const types[] = {"shelling", "clash", "evacuation"};
    static const char *const places[] = {"Jermuk", "Sotk", "Goris", "Kapan", "Tegh",
                                         "Vardenis", "Berd", "Ijevan", "Sisian", "Lachin"};
    unsigned long s = 12345;
    fputs("{\"type\":\"FeatureCollection\",\"features\":[\n", fp);
    for (long i = 0; i < n; i++) {
        s = s * 6364136223846793005UL + 1442695040888963407UL;
        double lon = 44.8 + (double)((s >> 33) % 100000) / 100000 * 2.4;
        s = s * 6364136223846793005UL + 1442695040888963407UL;
        double lat = 38.9 + (double)((s >> 33) % 100000) / 100000 * 2.2;
        fprintf(fp,
                "%s{\"type\":\"Feature\",\"properties\":{\"type\":\"%s\",\"date\":"
                "\"2022-09-%02ld\",\"place\":\"%s %ld\",\"n_sources\":%ld},\"geometry\":"
                "{\"type\":\"Point\",\"coordinates\":[%.5f,%.5f]}}\n",
                i ? "," : "", types[i % 3], 1 + i % 28, places[i % 10], i, 1 + i % 4, lon,
                lat);
    }
    fputs("]}\n", fp);
    fclose(fp);

    /* CPU time, not wall time: the bar is about the renderer's cost, and a
     * loaded machine (CI shares its cores) must not fail it */
    double t0 = now_s();
    clock_t c0 = clock();
    cx_err err;
    cx_err_clear(&err);
    map_list l = MAP_LIST_INIT;
    CHECK_INT_EQ(map_read_layer(path, NULL, &l, NULL, &err), 0);
    CHECK_INT_EQ(l.n, n);
    map_view *v = map_view_new(NULL, &l, 1600, 150, &err);
    CHECK(v != NULL);
    map_options o = {.output = png, .format = MAP_FMT_PNG, .title = "Bench",
                     .countries = countries, .size_by = MAP_SIZE_SOURCES};
    if (v)
        CHECK_INT_EQ(map_render(v, &l, &o, &err), 0);
    double dt = now_s() - t0, cpu = (double)(clock() - c0) / CLOCKS_PER_SEC;
    printf("bench: %ld incidents read and rendered to PNG (1600 px) in %.3f s (%.3f s CPU)\n",
           n, dt, cpu);
#if defined(__SANITIZE_ADDRESS__)
    printf("bench: sanitizer build, time not checked\n");
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
    printf("bench: sanitizer build, time not checked\n");
#else
    CHECK(cpu < 2.0);
#endif
#else
    CHECK(cpu < 2.0);
#endif
    map_view_free(v);
    map_list_free(&l);
    unlink(path);
    CHECK_DONE();
}

/* ===== pngcmp ===== */

static int distinct_colours(cairo_surface_t *img)
{
    int w = cairo_image_surface_get_width(img), h = cairo_image_surface_get_height(img);
    int stride = cairo_image_surface_get_stride(img), n = 0;
    const unsigned char *d = cairo_image_surface_get_data(img);
    uint32_t seen[64];
    for (int j = 0; j < h && n < 64; j += 3)
        for (int i = 0; i < w && n < 64; i += 3) {
            uint32_t p = *(const uint32_t *)(d + j * stride + 4 * i);
            int k = 0;
            while (k < n && seen[k] != p)
                k++;
            if (k == n)
                seen[n++] = p;
        }
    return n;
}

static int do_pngcmp(const char *a, const char *b)
{
    cairo_surface_t *x = cairo_image_surface_create_from_png(a);
    cairo_surface_t *y = cairo_image_surface_create_from_png(b);
    CHECK(cairo_surface_status(x) == CAIRO_STATUS_SUCCESS);
    CHECK(cairo_surface_status(y) == CAIRO_STATUS_SUCCESS);
    if (cairo_surface_status(x) == CAIRO_STATUS_SUCCESS &&
        cairo_surface_status(y) == CAIRO_STATUS_SUCCESS) {
        int w = cairo_image_surface_get_width(x), h = cairo_image_surface_get_height(x);
        CHECK_INT_EQ(cairo_image_surface_get_width(y), w);
        CHECK_INT_EQ(cairo_image_surface_get_height(y), h);
        CHECK(distinct_colours(x) >= 20); /* non-blank: a drawing, not a flat page */
        CHECK(distinct_colours(y) >= 20);
        if (cairo_image_surface_get_width(y) == w && cairo_image_surface_get_height(y) == h) {
            const unsigned char *p = cairo_image_surface_get_data(x);
            const unsigned char *q = cairo_image_surface_get_data(y);
            int sp = cairo_image_surface_get_stride(x), sq = cairo_image_surface_get_stride(y);
            long differ = 0;
            for (int j = 0; j < h; j++)
                for (int i = 0; i < w; i++)
                    for (int c = 0; c < 3; c++)
                        if (abs(p[j * sp + 4 * i + c] - q[j * sq + 4 * i + c]) > 48) {
                            differ++;
                            break;
                        }
            double frac = (double)differ / ((double)w * h);
            printf("pngcmp: %dx%d, %.2f%% of pixels differ\n", w, h, 100 * frac);
            CHECK(frac < 0.03);
        }
    }
    cairo_surface_destroy(x);
    cairo_surface_destroy(y);
    CHECK_DONE();
}

static int run(int argc, char **argv)
{
    if (argc >= 3 && !strcmp(argv[1], "unit")) {
        test_types();
        test_dates();
        test_bbox();
        test_nice();
        test_labels();
        test_read(argv[2]);
        test_view(argv[2]);
        CHECK_DONE();
    }
    if (argc >= 5 && !strcmp(argv[1], "render"))
        return do_render(argv[2], argv[3], argv[4], argc >= 6 ? atoi(argv[5]) : 1200);
    if (argc >= 5 && !strcmp(argv[1], "hollow"))
        return do_hollow(argv[2], argv[3], argv[4]);
    if (argc >= 5 && !strcmp(argv[1], "bench"))
        return do_bench(strtol(argv[2], NULL, 10), argv[3], argv[4]);
    if (argc >= 2 && !strcmp(argv[1], "colours")) {
        static const char *const layers[] = {"shelling", "clashes", "evacuations"};
        for (int t = 0; t < MAP_NTYPES; t++) {
            unsigned c = map_type_rgb(t);
            printf("%s %u,%u,%u\n", layers[t], c >> 16, (c >> 8) & 255, c & 255);
        }
        return 0;
    }
    if (argc >= 4 && !strcmp(argv[1], "pngcmp"))
        return do_pngcmp(argv[2], argv[3]);
    fprintf(stderr, "usage: test_map unit FIXTURE | render FIXTURE COUNTRIES OUTDIR | hollow LAYER COUNTRIES OUTDIR | "
                    "bench N COUNTRIES OUTDIR | pngcmp A B\n");
    return 2;
}

int main(int argc, char **argv)
{
    GDALAllRegister();
    int rc = run(argc, argv);
    map_library_cleanup();
    GDALDestroyDriverManager();
    return rc;
}
