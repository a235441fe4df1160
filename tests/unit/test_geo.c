/* test_geo.c -- geodesic distance, the border index (shared segments are
 * borders, coastlines are not), clipped border lines, PROJ transforms. */
#include "check.h"
#include "geo.h"

#include <math.h>
#include <stdlib.h>

#include <geodesic.h> /* PROJ's port of Karney's code: the reference */

#define NEAR(a, b, tol) CHECK(fabs((a) - (b)) <= (tol))

typedef struct lines {
    int n, a, b;
    double first[2], last[2];
    size_t npts;
} lines;

static int on_line(void *ctx, int a, int b, const double *pts, size_t n)
{
    lines *l = ctx;
    l->n++;
    l->a = a;
    l->b = b;
    l->first[0] = pts[0];
    l->first[1] = pts[1];
    l->last[0] = pts[2 * n - 2];
    l->last[1] = pts[2 * n - 1];
    l->npts = n;
    return 0;
}

static int stop_at_first(void *ctx, int a, int b, const double *pts, size_t n)
{
    (void)a, (void)b, (void)pts, (void)n;
    ++*(int *)ctx;
    return 42;
}

static void test_dist(void)
{
    /* Yerevan -> Baku, reference from `geod +ellps=WGS84 -I`: 457.064 km */
    NEAR(geo_dist_km(40.1792, 44.4991, 40.4093, 49.8671), 457.064, 0.001);
    NEAR(geo_dist_km(10, 20, 10, 20), 0.0, 1e-9);
    CHECK(isnan(geo_dist_km(NAN, 0, 0, 0)));
}

/* Two unit squares A (lon 0..1) and B (lon 1..2) share the edge lon=1,
 * lat 0..1; C is an island far away. Ring B is unclosed and reversed. */
static geo_border_index *squares(void)
{
    cx_err err = {0};
    const double a[] = {0, 0, 1, 0, 1, 1, 0, 1, 0, 0};
    const double b[] = {1, 0, 1, 1, 2, 1, 2, 0};
    const double c[] = {10, 10, 11, 10, 11, 11, 10, 10};
    geo_border_index *idx = geo_border_index_new(&err);
    CHECK(idx != NULL);
    CHECK_INT_EQ(geo_border_index_add_ring(idx, 0, a, 5, &err), 0);
    CHECK_INT_EQ(geo_border_index_add_ring(idx, 1, b, 4, &err), 0);
    CHECK_INT_EQ(geo_border_index_add_ring(idx, 2, c, 4, &err), 0);
    CHECK_INT_EQ(geo_border_index_build(idx, &err), 0);
    return idx;
}

/* GeographicLib (geo_geodesic.cpp) gives PROJ's geod_inverse to the bit:
 * border_km did not change when the executable stopped linking PROJ. */
static void test_dist_same_as_proj(void)
{
    struct geod_geodesic g;
    geod_init(&g, 6378137.0, 1 / 298.257223563);
    unsigned long x = 12345;
    int differ = 0;
    for (int i = 0; i < 20000; i++) {
        double v[4];
        for (int k = 0; k < 4; k++) {
            x = x * 6364136223846793005ul + 1442695040888963407ul;
            v[k] = (double)(x >> 11) / 9007199254740992.0;
        }
        double la1 = -80 + 160 * v[0], lo1 = -180 + 360 * v[1];
        double la2 = i % 2 ? -80 + 160 * v[2] : la1 + 4 * v[2] - 2;
        double lo2 = i % 2 ? -180 + 360 * v[3] : lo1 + 4 * v[3] - 2;
        double s12 = NAN;
        geod_inverse(&g, la1, lo1, la2, lo2, &s12, NULL, NULL);
        differ += geo_geodesic_m(la1, lo1, la2, lo2) != s12;
    }
    CHECK_INT_EQ(differ, 0);
}

static void test_border(void)
{
    cx_err err = {0};
    geo_border_index *idx = squares();
    CHECK_INT_EQ(geo_border_index_count(idx), 1); /* only the shared edge */
    /* reference from geod: (0.5N, 0.5E) -> (0.5N, 1E) = 55.658 km */
    NEAR(geo_border_distance_km(idx, 0.5, 0.5), 55.658, 0.01);
    /* beyond A's coast (lon 0 is a coastline, not a border): 122.447 km */
    NEAR(geo_border_distance_km(idx, 0.5, -0.1), 122.447, 0.01);
    /* on the border */
    NEAR(geo_border_distance_km(idx, 0.25, 1.0), 0.0, 1e-6);
    /* far away (grid search gives up, full scan): still the shared edge */
    double far = geo_border_distance_km(idx, 10.5, 10.5);
    NEAR(far, geo_dist_km(10.5, 10.5, 1.0, 1.0), 30.0);
    CHECK(far > 1000);
    CHECK(isnan(geo_border_distance_km(idx, NAN, 0)));

    /* lines: clipped to the box, countries ordered a < b */
    lines l = {0};
    CHECK_INT_EQ(geo_border_index_lines(idx, 0.5, 0.25, 1.5, 0.75, on_line, &l), 0);
    CHECK_INT_EQ(l.n, 1);
    CHECK_INT_EQ(l.a, 0);
    CHECK_INT_EQ(l.b, 1);
    CHECK_INT_EQ(l.npts, 2);
    NEAR(l.first[0], 1.0, 1e-12);
    NEAR(l.first[1], 0.25, 1e-12);
    NEAR(l.last[1], 0.75, 1e-12);
    lines none = {0};
    CHECK_INT_EQ(geo_border_index_lines(idx, 5, 5, 6, 6, on_line, &none), 0);
    CHECK_INT_EQ(none.n, 0);
    int calls = 0;
    CHECK_INT_EQ(geo_border_index_lines(idx, -5, -5, 5, 5, stop_at_first, &calls), 42);
    CHECK_INT_EQ(calls, 1);

    /* error paths */
    CHECK_INT_EQ(geo_border_index_build(idx, &err), CX_EINVAL);
    CHECK_STR_EQ(err.msg, "border index already built");
    cx_err_clear(&err);
    const double p[] = {0, 0, 1, 1};
    CHECK_INT_EQ(geo_border_index_add_ring(idx, 3, p, 2, &err), CX_EINVAL);
    geo_border_index_free(idx);
    geo_border_index_free(NULL);

    /* an index without any shared segment has no distance */
    geo_border_index *lone = geo_border_index_new(&err);
    const double c[] = {10, 10, 11, 10, 11, 11, 10, 10};
    CHECK_INT_EQ(geo_border_index_add_ring(lone, 0, c, 4, &err), 0);
    CHECK_INT_EQ(geo_border_index_add_ring(lone, 1, c, 1, &err), 0); /* ignored */
    CHECK_INT_EQ(geo_border_index_build(lone, &err), 0);
    CHECK_INT_EQ(geo_border_index_count(lone), 0);
    CHECK(isnan(geo_border_distance_km(lone, 10.5, 10.5)));
    geo_border_index_free(lone);
}

/* A long straight border with many segments, queried on a grid of points:
 * the grid search must agree with a brute-force minimum. */
static void test_border_bruteforce(void)
{
    cx_err err = {0};
    enum { N = 400 };
    double *a = malloc(sizeof(double) * 2 * (N + 3));
    double *b = malloc(sizeof(double) * 2 * (N + 3));
    CHECK(a && b);
    if (!a || !b) {
        free(a);
        free(b);
        return;
    }
    /* a wiggly shared line from (44, 38) to (48, 42) */
    for (int i = 0; i < N; i++) {
        double t = (double)i / (N - 1);
        a[2 * i] = 44 + 4 * t + 0.05 * sin(40 * t);
        a[2 * i + 1] = 38 + 4 * t;
        b[2 * (N - 1 - i)] = a[2 * i];
        b[2 * (N - 1 - i) + 1] = a[2 * i + 1];
    }
    a[2 * N] = 40, a[2 * N + 1] = 42, a[2 * N + 2] = 40, a[2 * N + 3] = 38;
    b[2 * N] = 52, b[2 * N + 1] = 38, b[2 * N + 2] = 52, b[2 * N + 3] = 42;
    geo_border_index *idx = geo_border_index_new(&err);
    CHECK_INT_EQ(geo_border_index_add_ring(idx, 7, a, N + 2, &err), 0);
    CHECK_INT_EQ(geo_border_index_add_ring(idx, 3, b, N + 2, &err), 0);
    CHECK_INT_EQ(geo_border_index_build(idx, &err), 0);
    CHECK_INT_EQ(geo_border_index_count(idx), N - 1);
    int bad = 0;
    for (double lat = 36; lat <= 44; lat += 0.37)
        for (double lon = 42; lon <= 50; lon += 0.41) {
            double got = geo_border_distance_km(idx, lat, lon), best = INFINITY;
            for (int i = 0; i < N; i++)
                best = fmin(best, geo_dist_km(lat, lon, a[2 * i + 1], a[2 * i]));
            /* vertices bound the true distance from above (up to the local
             * frame's choice of nearest point: 2e-5 relative, a few metres at
             * 500 km); segment interiors are closer by at most ~1.3 km */
            if (!(got <= best * (1 + 2e-5) + 1e-6 && got >= best - 2.0)) {
                bad++;
                fprintf(stderr, "  %g %g: got %.4f, vertices %.4f\n", lat, lon, got, best);
            }
        }
    CHECK_INT_EQ(bad, 0);
    geo_border_index_free(idx);
    free(a);
    free(b);
}

static void test_proj(void)
{
    cx_err err = {0};
    double x = 0, y = 0;
    /* references from `cs2cs EPSG:4326 EPSG:32638` and EPSG:3857 */
    geo_proj *utm = geo_proj_new("EPSG:32638", &err);
    CHECK(utm != NULL);
    CHECK_INT_EQ(geo_proj_fwd(utm, 45, 40, &x, &y), 0);
    NEAR(x, 500000.000, 0.01);
    NEAR(y, 4427757.219, 0.01);
    CHECK_INT_EQ(geo_proj_fwd(utm, NAN, 40, &x, &y), CX_EINVAL);
    geo_proj_free(utm);
    geo_proj *merc = geo_proj_new("EPSG:3857", &err);
    CHECK(merc != NULL);
    CHECK_INT_EQ(geo_proj_fwd(merc, 45, 40, &x, &y), 0);
    NEAR(x, 5009377.086, 0.01);
    NEAR(y, 4865942.280, 0.01);
    geo_proj_free(merc);
    geo_proj_free(NULL);
    CHECK(geo_proj_new("EPSG:999999", &err) == NULL);
    CHECK_INT_EQ(err.code, CX_EINVAL);
    CHECK_STR_EQ(err.source, "EPSG:999999");
    CHECK(strstr(err.msg, "unknown or unusable CRS") != NULL);
}

int main(void)
{
    test_dist();
    test_dist_same_as_proj();
    test_border();
    test_border_bruteforce();
    test_proj();
    CHECK_DONE();
}
