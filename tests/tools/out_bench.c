/* out_bench.c -- timings for docs/output.md: loading the border index,
 * border_km for N points, and writing N incidents in the default formats.
 *
 *   out_bench COUNTRIES_FILE OUTDIR [N]        (N defaults to 100000)
 *
 * Points are pseudo-random (fixed seed) in a box around the South Caucasus
 * and, for the second figure, anywhere on land or sea between 60S and 70N. */
#include "borders.h"
#include "out_fixtures.h"
#include "writer.h"

#include <gdal.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static double rnd(unsigned long long *s)
{
    *s = *s * 6364136223846793005ull + 1442695040888963407ull;
    return (double)(*s >> 11) / 9007199254740992.0;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: out_bench COUNTRIES_FILE OUTDIR [N]\n");
        return 2;
    }
    long n = argc > 3 ? strtol(argv[3], NULL, 10) : 100000;
    GDALAllRegister();
    cx_err err = {0};
    double t0 = now();
    out_borders *b = out_borders_open(argv[1], NULL, &err);
    if (!b) {
        fprintf(stderr, "out_bench: %s: %s\n", err.source, err.msg);
        return 1;
    }
    double t1 = now();
    printf("border index: %zu border segments, loaded in %.2f s\n",
           geo_border_index_count(out_borders_index(b)), t1 - t0);
    unsigned long long seed = 42;
    double sum = 0;
    t0 = now();
    for (long i = 0; i < n; i++)
        sum += out_borders_distance_km(b, 38 + 4 * rnd(&seed), 43 + 8 * rnd(&seed));
    t1 = now();
    printf("border_km, %ld points in the South Caucasus: %.3f s (%.2f us/point, mean %.1f km)\n",
           n, t1 - t0, (t1 - t0) * 1e6 / (double)n, sum / (double)n);
    sum = 0;
    t0 = now();
    for (long i = 0; i < n; i++)
        sum += out_borders_distance_km(b, -60 + 130 * rnd(&seed), -180 + 360 * rnd(&seed));
    t1 = now();
    printf("border_km, %ld points world-wide: %.3f s (%.2f us/point, mean %.1f km)\n", n,
           t1 - t0, (t1 - t0) * 1e6 / (double)n, sum / (double)n);
    out_borders_close(b);

    out_options o = {.borders = argv[1]};
    t0 = now();
    out_writer *w = out_writer_open(argv[2], &o, &err);
    int rc = w ? 0 : 1;
    ext_incident inc[8];
    size_t k = outt_fixture_set(0, inc, 8);
    for (long i = 0; i < n && !rc; i++) {
        ext_incident *e = &inc[i % (long)k];
        e->lat = 38 + 4 * rnd(&seed);
        e->lon = 43 + 8 * rnd(&seed);
        e->border_km = NAN;
        rc = out_writer_add(w, e, &err);
    }
    if (w && rc)
        out_writer_abort(w);
    else if (w)
        rc = out_writer_close(w, &err);
    t1 = now();
    for (size_t i = 0; i < k; i++)
        ext_incident_clear(&inc[i]);
    if (rc) {
        fprintf(stderr, "out_bench: %s: %s\n", err.source, err.msg);
        return 1;
    }
    printf("write %ld incidents (GeoJSON + Shapefile, 4 layers + borders, border_km): %.2f s\n",
           n, t1 - t0);
    GDALDestroyDriverManager();
    return 0;
}
