/* test_geojson.c -- the streaming GeoJSON writer (output/out_geojson.c)
 * against GDAL's GeoJSON driver: the same incidents written through
 * out_writer twice, once with INCIMAP_GEOJSON_GDAL=1 (GDAL) and once
 * without (ours), must give byte-identical files for every layer, in a
 * folder and on standard output. The incidents are hostile: quotes,
 * backslashes, "/", every control character U+0001-U+001F, DEL, U+2028,
 * U+2029, 4-byte characters, a 300 kB evidence, empty strings, a thousand
 * document ids, odd dates, extreme integers, NaN and infinite reals, and
 * thousands of pseudo-random coordinates and reals (number formats).
 *
 * With the countries file, the borders layer too, world-wide (the random
 * points span the globe: every border line, those near the antimeridian).
 *
 *   test_geojson WORKDIR [COUNTRIES] */
#include "check.h"
#include "out_geojson.h"
#include "writer.h"

#include <gdal.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    char *buf = NULL;
    size_t n = 0, cap = 0, got;
    do {
        if (cap - n < 65536) {
            cap = cap ? cap * 2 : 1 << 20;
            char *p = realloc(buf, cap);
            if (!p) {
                free(buf);
                fclose(fp);
                return NULL;
            }
            buf = p;
        }
        got = fread(buf + n, 1, cap - n, fp);
        n += got;
    } while (got > 0);
    fclose(fp);
    *len = n;
    return buf;
}

/* Byte-identical, or the first difference printed with its context. */
static bool same_file(const char *a, const char *b)
{
    size_t na = 0, nb = 0;
    char *x = slurp(a, &na), *y = slurp(b, &nb);
    bool same = x && y && na == nb && memcmp(x, y, na) == 0;
    if (!same && x && y) {
        size_t i = 0;
        while (i < na && i < nb && x[i] == y[i])
            i++;
        size_t from = i > 80 ? i - 80 : 0;
        fprintf(stderr,
                "%s and %s differ at byte %zu (sizes %zu, %zu):\n  gdal: %.160s\n  ours: %.160s\n",
                a, b, i, na, nb, x + from, y + from);
    } else if (!same) {
        fprintf(stderr, "cannot read %s or %s\n", a, b);
    }
    free(x);
    free(y);
    return same;
}

static uint64_t rng = 88172645463325252ull;
static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}
static double uniform(double lo, double hi)
{
    return lo + (hi - lo) * (double)(next() >> 11) / 9007199254740992.0;
}

static void copy(char *dst, size_t size, const char *s)
{
    snprintf(dst, size, "%s", s);
}

/* Every control character, quotes, backslashes, "/", DEL, U+2028/2029, a
 * 4-byte character, Armenian and Azerbaijani letters. */
static void hostile(char *out, size_t size, int k)
{
    char b[256];
    size_t n = 0;
    for (int c = 1; c < 32; c++)
        b[n++] = (char)c;
    b[n] = '\0';
    const char *parts[] = {"\"q\" \\b\\ /s/ </script>",
                           b,
                           "\x7f",
                           "\xe2\x80\xa8\xe2\x80\xa9",
                           "\xf0\x9f\x92\xa5",
                           "Ստեփանակերտ Xankəndi",
                           "\\u0000 \\\"",
                           "\xc2\xa0"};
    size_t np = sizeof parts / sizeof *parts;
    out[0] = '\0';
    size_t len = 0;
    for (size_t i = 0; i < np; i++) {
        const char *p = parts[(i + (size_t)k) % np];
        size_t pl = strlen(p);
        if (len + pl + 1 >= size)
            break;
        memcpy(out + len, p, pl + 1);
        len += pl;
    }
}

#define N_INC 2500

static int make_incidents(ext_incident *inc)
{
    static const char *const dates[] = {"",           "2020",       "2020-10", "2020-10-04",
                                        "2021-02-31", "0999-01-02", "2020-13", "20x0",
                                        "2021-5",     "9999-12-31", "0001",    "2020-00-10"};
    static const double coords[][2] = {{45.0, 40.0},
                                       {46.7519, 39.8153},
                                       {-0.0000004, 0.0000004},
                                       {-100.0000001, -89.9999999},
                                       {-179.9999995, 89.9999995},
                                       {179.9999999, -0.5},
                                       {-123.456789012, 12.3456785},
                                       {-150.0000049, 0.0000051},
                                       {0.1, 0.7},
                                       {1e-7, -1e-7},
                                       {180.0, 90.0},
                                       {-180.0, -90.0},
                                       {-100.1000005, 33.3333333333},
                                       {-109.99999951, 45.00000049},
                                       {-111.0000001, 44.9999999},
                                       {190.5, 10.0},
                                       {-190.25, -10.0},
                                       {370.25, 1.0},
                                       {-550.5, 2.0},
                                       {540.0, 3.0}};
    static const double reals[] = {NAN,       INFINITY, -INFINITY, 0.0,    -0.0,   -0.0001,
                                   0.0004999, 1e-4,     0.001,     0.1,    0.3,    0.7,
                                   0.9,       1.0,      2.675,     31.25,  1e9,    123456789.123,
                                   1e15,      1e17,     1e22,      -1e300, 5e-324, 0.1 + 0.2};
    size_t nc = sizeof coords / sizeof *coords, nr = sizeof reals / sizeof *reals;
    size_t nd = sizeof dates / sizeof *dates;
    for (int i = 0; i < N_INC; i++) {
        ext_incident *e = &inc[i];
        ext_incident_init(e);
        e->type = i % EXT_NTYPES;
        if (i == 7) /* every layer but `clashes` gets... nothing more than the others */
            e->type = EXT_SHELLING;
        copy(e->date, sizeof e->date, dates[(size_t)i % nd]);
        e->date_prec = i % 5;
        char h[512];
        hostile(h, sizeof h, i);
        copy(e->place, sizeof e->place, i % 3 ? h : "");
        copy(e->place_name, sizeof e->place_name, i % 4 ? "Goris/Գորիս" : h);
        copy(e->place_alt, sizeof e->place_alt, i % 5 ? "" : h);
        copy(e->place_id, sizeof e->place_id, "geonames:174875");
        copy(e->country, sizeof e->country, i % 2 ? "AM" : "");
        copy(e->admin1, sizeof e->admin1, h);
        copy(e->admin2, sizeof e->admin2, i % 6 ? "" : h);
        copy(e->place_unit, sizeof e->place_unit, i % 7 ? "" : h);
        copy(e->sub_event_type, sizeof e->sub_event_type, "air/drone strike");
        copy(e->actor1, sizeof e->actor1, h);
        copy(e->claimed_by, sizeof e->claimed_by, i % 2 ? h : "");
        e->geo_prec = i % 4;
        e->fatalities = i % 9 == 0 ? INT_MAX : (int)(i % 5) - 1;
        e->fatalities_max = i % 11 == 0 ? INT_MIN : (int)(i % 7) - 1;
        e->injured = (int)(i % 3) - 1;
        e->injured_max = (int)(i % 4) - 1;
        e->n_sources = i % 13 == 0 ? INT_MAX : i % 4;
        e->n_reprints = i % 3;
        e->contested = i % 2;
        e->review = i % 4;
        if (i < (int)nc) {
            e->lon = coords[i][0];
            e->lat = coords[i][1];
        } else if (i % 5 == 0) { /* on the 1e-6 grid, and half-way between */
            e->lon = round(uniform(-180, 180) * 1e6) / 1e6 + (i % 10 ? 0 : 5e-7);
            e->lat = round(uniform(-90, 90) * 1e6) / 1e6;
        } else {
            e->lon = uniform(-180, 180);
            e->lat = uniform(-90, 90);
        }
        e->confidence = i < (int)(nr * 2) ? reals[(size_t)i % nr] : uniform(0, 1);
        e->border_km = i < (int)(nr * 2) ? reals[(size_t)(i + 5) % nr] : uniform(0, 3000);
        if (i == 3)
            copy(e->incident_id, sizeof e->incident_id, "00c0ffee00c0ffee");
        /* doc ids: none, one, or a thousand */
        int ndoc = i == 11 ? 1000 : i % 3;
        for (int d = 0; d < ndoc; d++) {
            char id[64];
            snprintf(id, sizeof id, "%05d_%s", d, d % 2 ? "a/b\"c\\" : "x\x01y\xe2\x80\xa8");
            if (ext_incident_add_doc(e, id))
                return -1;
        }
        for (int d = 0; d < ndoc && d < 50; d++) {
            char id[64];
            snprintf(id, sizeof id, "%05d_src", d);
            if (ext_incident_add_source(e, id, d % 2 ? "https://example.am/a?b=1&c=\"2\"" : NULL,
                                        d % 3 ? h : "", d % 2 ? "2020-10-04" : "", d % 4 ? h : NULL,
                                        d % 5 ? "Arménie" : "", 0))
                return -1;
            ext_source *s = &e->srcs[e->n_srcs - 1];
            if (s->evidence && d % 2) {
                s->trig_span = (ext_span){2, 9};
                s->place_span = (ext_span){10, 30};
            }
        }
        if (i == 12) { /* a 300 kB evidence */
            size_t big = 300000;
            e->evidence = malloc(big + 1);
            if (!e->evidence)
                return -1;
            for (size_t k = 0; k < big; k++)
                e->evidence[k] = "ab\"\\/\n\x1f\xc3\xa9"[k % 7];
            e->evidence[big - 1] = '.';
            e->evidence[big] = '\0';
        } else if (i % 2) {
            e->evidence = strdup(h);
        }
    }
    return 0;
}

static const char *countries; /* the borders layer's polygons, or NULL */

static int write_set_mode(const char *out, bool gdal, const ext_incident *inc, size_t n,
                          unsigned layers, int mode)
{
    if (gdal)
        setenv("INCIMAP_GEOJSON_GDAL", "1", 1);
    else
        unsetenv("INCIMAP_GEOJSON_GDAL");
    const char *fmts[] = {"GeoJSON"};
    out_options o = {.formats = fmts, .n_formats = 1, .layers = layers, .mode = mode,
                     .borders = mode == OUT_MODE_CREATE && strcmp(out, "-") ? countries : NULL};
    cx_err err = {0};
    out_writer *w = out_writer_open(out, &o, &err);
    if (!w) {
        fprintf(stderr, "open %s: %s\n", out, err.msg);
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        if (out_writer_add(w, &inc[i], &err)) {
            fprintf(stderr, "add %zu: %s\n", i, err.msg);
            out_writer_abort(w);
            return -1;
        }
    int rc = out_writer_close(w, &err);
    if (rc)
        fprintf(stderr, "close %s: %s\n", out, err.msg);
    unsetenv("INCIMAP_GEOJSON_GDAL");
    return rc;
}

static int write_set(const char *out, bool gdal, const ext_incident *inc, size_t n, unsigned layers)
{
    return write_set_mode(out, gdal, inc, n, layers, OUT_MODE_CREATE);
}

/* Standard output redirected to `file` while `out_writer` writes "-". */
static int write_stdout(const char *file, bool gdal, const ext_incident *inc, size_t n)
{
    fflush(stdout);
    int saved = dup(1);
    int fd = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (saved < 0 || fd < 0 || dup2(fd, 1) < 0)
        return -1;
    close(fd);
    int rc = write_set("-", gdal, inc, n, 0);
    fflush(stdout);
    dup2(saved, 1);
    close(saved);
    return rc;
}

static void compare_layers(const char *work, const char *tag)
{
    static const char *const layers[] = {"shelling", "clashes", "evacuations", "incidents",
                                         "borders"};
    for (size_t l = 0; l < (countries ? 5u : 4u); l++) {
        char a[4096], b[4096];
        snprintf(a, sizeof a, "%s/%s-gdal/%s.geojson", work, tag, layers[l]);
        snprintf(b, sizeof b, "%s/%s-ours/%s.geojson", work, tag, layers[l]);
        CHECK(same_file(a, b));
    }
}

/* GDAL's OGR_json_double_with_significant_figures_to_string, written
 * again here with snprintf only: the reference of the writer's fast path
 * for values on a 1e-3 or 1e-6 grid. */
static void ref_real(char *buf, double v)
{
    int n = snprintf(buf, 80, "%.17g", v);
    const char *dot = strchr(buf, '.');
    if (dot && (strstr(dot, "999999") || strstr(dot, "000000"))) {
        bool ok = false;
        for (int i = 1; i <= 3 && !ok; i++) {
            n = snprintf(buf, 80, "%.*g", 17 - i, v);
            dot = strchr(buf, '.');
            ok = dot && !strstr(dot, "999999") && !strstr(dot, "000000");
        }
        if (!ok)
            n = snprintf(buf, 80, "%.17g", v);
    }
    if (!strchr(buf, '.') && !strchr(buf, 'e'))
        snprintf(buf + n, 80 - (size_t)n, ".0");
}

/* Millions of values on the grids the writer rounds to, and around them:
 * the fast paths give the text of the snprintf path. */
static void test_grid_formats(void)
{
    char a[80], b[80];
    long bad = 0;
    for (long i = 0; i < 2000000; i++) {
        double scale = i % 2 ? 1e3 : 1e6;
        double mag = i % 3 == 0 ? 1.0 : i % 3 == 1 ? 200.0 : 2e6;
        double v = round(uniform(-mag, mag) * scale) / scale;
        if (i % 7 == 0)
            v = nextafter(v, 1e300); /* off the grid by one ulp */
        outp_gj_fmt_real(a, v);
        ref_real(b, v);
        if (strcmp(a, b) && bad++ < 5)
            fprintf(stderr, "real %.17g: %s, expected %s\n", v, a, b);
        double c = round(uniform(-180, 180) * 1e6) / 1e6;
        if (i % 5 == 0)
            c = nextafter(c, -1e300);
        outp_gj_fmt_coord(a, c);
        char ref[80];
        int n = snprintf(ref, sizeof ref, "%.6f", c);
        if (n <= 10) { /* intelliround leaves short strings alone */
            while (n > 2 && ref[n - 1] == '0' && ref[n - 2] != '.')
                ref[--n] = '\0';
            if (strcmp(a, ref) && bad++ < 5)
                fprintf(stderr, "coord %.17g: %s, expected %s\n", c, a, ref);
        }
    }
    CHECK_INT_EQ(bad, 0);
}

/* The number formats alone, on values GDAL's own tests print. */
static void test_formats(void)
{
    char b[80];
    outp_gj_fmt_real(b, 0.9);
    CHECK_STR_EQ(b, "0.9");
    outp_gj_fmt_real(b, 2.0);
    CHECK_STR_EQ(b, "2.0");
    outp_gj_fmt_real(b, 0.1 + 0.2);
    CHECK_STR_EQ(b, "0.3"); /* %.17g has a 000000 run: %.16g */
    outp_gj_fmt_coord(b, 44.8);
    CHECK_STR_EQ(b, "44.8");
    outp_gj_fmt_coord(b, 41.317423);
    CHECK_STR_EQ(b, "41.317423");
    outp_gj_fmt_coord(b, 45.0);
    CHECK_STR_EQ(b, "45.0");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: test_geojson WORKDIR\n");
        return 2;
    }
    const char *work = argv[1];
    countries = argc > 2 && access(argv[2], R_OK) == 0 ? argv[2] : NULL;
    if (!countries)
        fprintf(stderr, "no countries file: the borders layer is not compared\n");
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s' && mkdir -p '%s'", work, work);
    if (system(cmd) != 0)
        return 2;
    GDALAllRegister();
    test_formats();
    test_grid_formats();

    ext_incident *inc = calloc(N_INC, sizeof *inc);
    CHECK(inc && make_incidents(inc) == 0);
    if (!inc)
        return 1;

    char a[4096], b[4096];
    /* every layer, all the hostile incidents */
    snprintf(a, sizeof a, "%s/all-gdal", work);
    snprintf(b, sizeof b, "%s/all-ours", work);
    CHECK_INT_EQ(write_set(a, true, inc, N_INC, 0), 0);
    CHECK_INT_EQ(write_set(b, false, inc, N_INC, 0), 0);
    compare_layers(work, "all");

    /* empty layers: no incident at all */
    snprintf(a, sizeof a, "%s/empty-gdal", work);
    snprintf(b, sizeof b, "%s/empty-ours", work);
    CHECK_INT_EQ(write_set(a, true, inc, 0, 0), 0);
    CHECK_INT_EQ(write_set(b, false, inc, 0, 0), 0);
    compare_layers(work, "empty");

    /* one incident: the separators of a single feature */
    snprintf(a, sizeof a, "%s/one-gdal", work);
    snprintf(b, sizeof b, "%s/one-ours", work);
    CHECK_INT_EQ(write_set(a, true, inc + 1, 1, 0), 0);
    CHECK_INT_EQ(write_set(b, false, inc + 1, 1, 0), 0);
    compare_layers(work, "one");

    /* --append: GDAL reads the old features back (from our file, or from
     * its own) and writes old and new: the same bytes */
    CHECK_INT_EQ(write_set_mode(a, true, inc + 2, 40, 0, OUT_MODE_APPEND), 0);
    CHECK_INT_EQ(write_set_mode(b, false, inc + 2, 40, 0, OUT_MODE_APPEND), 0);
    compare_layers(work, "one");

    /* standard output */
    snprintf(a, sizeof a, "%s/stdout-gdal.geojson", work);
    snprintf(b, sizeof b, "%s/stdout-ours.geojson", work);
    CHECK_INT_EQ(write_stdout(a, true, inc, 200), 0);
    CHECK_INT_EQ(write_stdout(b, false, inc, 200), 0);
    CHECK(same_file(a, b));
    size_t n = 0;
    char *s = slurp(b, &n);
    CHECK(s && n > 1000 &&
          strncmp(s, "{\n\"type\": \"FeatureCollection\",\n\"name\": \"incidents\"", 50) == 0);
    free(s);

    /* ogrinfo reads what we wrote, with every feature */
    snprintf(cmd, sizeof cmd,
             "ogrinfo -ro -so -al '%s/all-ours/incidents.geojson' | grep -q 'Feature Count: %d'",
             work, N_INC);
    CHECK(system(cmd) == 0);

    for (int i = 0; i < N_INC; i++)
        ext_incident_clear(&inc[i]);
    free(inc);
    CHECK_DONE();
}
