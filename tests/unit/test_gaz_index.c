/* test_gaz_index.c -- the gazetteer's read index answers exactly as SQLite:
 * for every name of the small gazetteer (and its transliteration, prefixes
 * and a few words that are no name), gaz_lookup and gaz_probe give the same
 * candidates, fields and order with and without the index. Also: `gazetteer
 * build` writes it, a stale or damaged index is rewritten, not trusted, and
 * two handles can share one mapping.
 * usage: test_gaz_index SMALL_GAZETTEER WORK_DIR */
#include "check.h"

#include <math.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cx_buf.h"
#include "cx_text.h"
#include "gazetteer.h"
#include "gazp.h"

static int copy_file(const char *from, const char *to)
{
    FILE *a = fopen(from, "rb"), *b = fopen(to, "wb");
    char buf[65536];
    size_t n;
    int rc = a && b ? 0 : -1;
    while (rc == 0 && (n = fread(buf, 1, sizeof buf, a)) > 0)
        if (fwrite(buf, 1, n, b) != n)
            rc = -1;
    if (a)
        fclose(a);
    if (b && fclose(b) != 0)
        rc = -1;
    return rc;
}

/* Same answers for `name`: lookups (with the query extraction uses, and a
 * plain one) and the probe of its folded key and word prefixes. */
static int n_compared;
static void compare(gaz_db *sql, gaz_db *ix, const char *name, const char *key)
{
    gaz_query qs[2] = {{.translit = true, .has_near = true, .near_lat = 39.8, .near_lon = 46.7},
                       {.translit = false}};
    for (int k = 0; k < 2; k++) {
        cx_place a[8], b[8];
        memset(a, 0, sizeof a);
        memset(b, 0, sizeof b);
        size_t na = 0, nb = 0;
        cx_err e1, e2;
        cx_err_clear(&e1);
        cx_err_clear(&e2);
        /* 8 as extraction asks, and fewer than the candidates (the index
         * keeps the first few without sorting them all) */
        size_t max = k == 0 ? 8 : (size_t)n_compared % 3 + 1;
        int r1 = gaz_lookup(sql, name, strlen(name), &qs[k], a, max, &na, &e1);
        int r2 = gaz_lookup(ix, name, strlen(name), &qs[k], b, max, &nb, &e2);
        CHECK_INT_EQ(r1, r2);
        CHECK_INT_EQ((long)na, (long)nb);
        for (size_t i = 0; i < na && i < nb; i++) {
            CHECK_INT_EQ((long)a[i].id, (long)b[i].id);
            CHECK_STR_EQ(a[i].matched, b[i].matched);
            CHECK(a[i].score == b[i].score);
            CHECK(memcmp(&a[i], &b[i], sizeof a[i]) == 0);
        }
        n_compared++;
    }
    if (!key)
        return;
    size_t kl = strlen(key);
    for (size_t l = 1; l <= kl; l++) {
        if (l < kl && key[l] != ' ')
            continue;
        CHECK_INT_EQ(gaz_probe(sql, key, l, NULL), gaz_probe(ix, key, l, NULL));
    }
}

/* The same answers for `name` with every count asked for, 1 to 12, then 12
 * down to 1 (a transliteration key's best places kept from a larger count
 * serve a smaller one). */
static void compare_counts(gaz_db *sql, gaz_db *ix, const char *name)
{
    gaz_query qs[3] = {{.translit = true, .has_near = true, .near_lat = 39.8, .near_lon = 46.7},
                       {.translit = true},
                       {.translit = false}};
    for (int k = 0; k < 6; k++)
        for (size_t m = 1; m <= 12; m++) {
            size_t max = k < 3 ? m : 13 - m;
            cx_place a[12], b[12];
            memset(a, 0, sizeof a);
            memset(b, 0, sizeof b);
            size_t na = 0, nb = 0;
            cx_err e1, e2;
            cx_err_clear(&e1);
            cx_err_clear(&e2);
            CHECK_INT_EQ(gaz_lookup(sql, name, strlen(name), &qs[k % 3], a, max, &na, &e1), 0);
            CHECK_INT_EQ(gaz_lookup(ix, name, strlen(name), &qs[k % 3], b, max, &nb, &e2), 0);
            CHECK_INT_EQ((long)na, (long)nb);
            for (size_t i = 0; i < na && i < nb; i++)
                CHECK(memcmp(&a[i], &b[i], sizeof a[i]) == 0);
            n_compared++;
        }
}

/* The same answers for `name` ranked from one point, then another, then
 * the first again (the index keeps each place's nearness to the last point
 * asked). */
static void compare_points(gaz_db *sql, gaz_db *ix, const char *name)
{
    static const double pts[][2] = {{39.8, 46.7}, {48.85, 2.35}, {39.8, 46.7}, {-33.9, 151.2}};
    for (size_t k = 0; k < sizeof pts / sizeof pts[0]; k++) {
        gaz_query q = {.translit = true, .has_near = true, .near_lat = pts[k][0],
                       .near_lon = pts[k][1]};
        cx_place a[8], b[8];
        memset(a, 0, sizeof a);
        memset(b, 0, sizeof b);
        size_t na = 0, nb = 0;
        CHECK_INT_EQ(gaz_lookup(sql, name, strlen(name), &q, a, 8, &na, NULL), 0);
        CHECK_INT_EQ(gaz_lookup(ix, name, strlen(name), &q, b, 8, &nb, NULL), 0);
        CHECK_INT_EQ((long)na, (long)nb);
        for (size_t i = 0; i < na && i < nb; i++)
            CHECK(memcmp(&a[i], &b[i], sizeof a[i]) == 0);
    }
}

/* 30 places of one name in the copy (the small gazetteer has two at most):
 * ties of population and position, names of the same key with other flags
 * (one place, several entries), a transliteration-only spelling. */
static void add_namesakes(const char *gaz)
{
    sqlite3 *w = NULL;
    CHECK(sqlite3_open(gaz, &w) == SQLITE_OK);
    /* the geometry triggers call SpatiaLite, which this test does not load */
    CHECK(sqlite3_exec(w,
                       "DROP TRIGGER IF EXISTS ggi_places_geom;"
                       "DROP TRIGGER IF EXISTS tmi_places_geom;"
                       "DROP TRIGGER IF EXISTS gii_places_geom;",
                       NULL, NULL, NULL) == SQLITE_OK);
    cx_buf key = CX_BUF_INIT, tkey = CX_BUF_INIT;
    static const char *const spell[] = {"Samename", "Same-Name", "SAMENAME", "Samenamé",
                                        "Sammenamme"};
    static const char *const fcodes[] = {"PPL", "PPLA", "PPLX", "PPLA2", "PPLH"};
    sqlite3_stmt *pl = NULL, *nm = NULL;
    CHECK(sqlite3_prepare_v2(w,
                             "INSERT INTO places(id, src, src_id, name, fclass, fcode, kind,"
                             " country, population, lat, lon) VALUES (?1, 'test', ?2,"
                             " 'Samename', 'P', ?3, 0, ?4, ?5, ?6, ?7)",
                             -1, &pl, NULL) == SQLITE_OK);
    CHECK(sqlite3_prepare_v2(w,
                             "INSERT INTO names(place_id, name, lang, flags, key, tkey)"
                             " VALUES (?1, ?2, '', ?3, ?4, ?5)",
                             -1, &nm, NULL) == SQLITE_OK);
    sqlite3_exec(w, "BEGIN", NULL, NULL, NULL);
    for (int i = 0; i < 30; i++) {
        char src[32];
        snprintf(src, sizeof src, "test:%d", i);
        sqlite3_bind_int(pl, 1, 900000 + i);
        sqlite3_bind_text(pl, 2, src, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(pl, 3, fcodes[i % 5], -1, SQLITE_STATIC);
        sqlite3_bind_text(pl, 4, i % 4 ? "AM" : "AZ", -1, SQLITE_STATIC);
        sqlite3_bind_int(pl, 5, (i % 3) * 1000);
        sqlite3_bind_double(pl, 6, 39.0 + (i % 6) * 0.5);
        sqlite3_bind_double(pl, 7, 45.0 + (i % 6) * 0.5);
        CHECK(sqlite3_step(pl) == SQLITE_DONE);
        sqlite3_reset(pl);
        for (int j = 0; j <= i % 4; j++) {
            const char *n = spell[(i + j) % 5];
            CHECK_INT_EQ(cx_fold_key(n, strlen(n), &key), 0);
            CHECK_INT_EQ(cx_translit_key(n, strlen(n), &tkey), 0);
            sqlite3_bind_int(nm, 1, 900000 + i);
            sqlite3_bind_text(nm, 2, n, -1, SQLITE_STATIC);
            sqlite3_bind_int(nm, 3, (i + j) % 3 == 0 ? 1 : (i + j) % 3 == 1 ? 0 : 8);
            sqlite3_bind_text(nm, 4, key.data, (int)key.len, SQLITE_TRANSIENT);
            sqlite3_bind_text(nm, 5, tkey.data, (int)tkey.len, SQLITE_TRANSIENT);
            CHECK(sqlite3_step(nm) == SQLITE_DONE);
            sqlite3_reset(nm);
        }
    }
    /* places whose strings end around the candidate's eight-byte words and
     * its fields' sizes (src_id 48, name 128: cut as the SQL path cuts) */
    static const int lens[] = {1, 6, 7, 8, 9, 15, 16, 17, 46, 47, 48, 49, 127, 128, 200};
    for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
        char src[256], name[256];
        /* "t:" then digits, lens[i] bytes in all (at least 3) */
        int sl = lens[i] > 3 ? lens[i] : 3;
        src[0] = 't', src[1] = ':';
        for (int k = 2; k < sl; k++)
            src[k] = (char)('0' + (k + (int)i) % 10);
        src[sl] = '\0';
        for (int k = 0; k < lens[i]; k++)
            name[k] = (char)(k == 0 ? 'W' : 'a' + (k * 7 + (int)i) % 26);
        name[lens[i]] = '\0';
        sqlite3_bind_int(pl, 1, 900100 + (int)i);
        sqlite3_bind_text(pl, 2, src, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(pl, 3, i % 2 ? "PPLA" : "PPL", -1, SQLITE_STATIC);
        sqlite3_bind_text(pl, 4, "AM", -1, SQLITE_STATIC);
        sqlite3_bind_int(pl, 5, 100);
        sqlite3_bind_double(pl, 6, 40.0);
        sqlite3_bind_double(pl, 7, 45.0);
        CHECK(sqlite3_step(pl) == SQLITE_DONE);
        sqlite3_reset(pl);
        CHECK_INT_EQ(cx_fold_key(name, strlen(name), &key), 0);
        CHECK_INT_EQ(cx_translit_key(name, strlen(name), &tkey), 0);
        sqlite3_bind_int(nm, 1, 900100 + (int)i);
        sqlite3_bind_text(nm, 2, name, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int(nm, 3, 1);
        sqlite3_bind_text(nm, 4, key.data, (int)key.len, SQLITE_TRANSIENT);
        sqlite3_bind_text(nm, 5, tkey.data, (int)tkey.len, SQLITE_TRANSIENT);
        CHECK(sqlite3_step(nm) == SQLITE_DONE);
        sqlite3_reset(nm);
    }
    CHECK(sqlite3_exec(w, "COMMIT", NULL, NULL, NULL) == SQLITE_OK);
    sqlite3_finalize(pl);
    sqlite3_finalize(nm);
    sqlite3_close(w);
    cx_buf_free(&key);
    cx_buf_free(&tkey);
}

/* The nearness bound of the look-up's scoring: never above the distance,
 * and where it says the nearness term is negligible, adding that term
 * leaves the score's bits as they are. Deterministic pseudo-random points
 * over the whole sphere, and a few near the theatre. */
static void test_near_bound(void)
{
    unsigned long long x = 88172645463325252ULL;
    int n_neg = 0, n_not = 0;
    static const double scores[] = {32, 35, 47.5, 100, 113.25, 160.9, 255.99, 256, 1000};
    for (int i = 0; i < 200000; i++) {
        double v[4];
        for (int k = 0; k < 4; k++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            v[k] = (double)(x >> 11) / 9007199254740992.0;
        }
        double lat1 = i % 4 ? 39.8 + v[0] : v[0] * 180 - 90, lon1 = i % 4 ? 46.7 + v[1] : v[1] * 360 - 180;
        double lat2 = v[2] * 180 - 90, lon2 = v[3] * 360 - 180;
        if (i % 7 == 0) /* near the first point */
            lat2 = lat1 + (v[2] - 0.5) * 4, lon2 = lon1 + (v[3] - 0.5) * 4;
        double c = cos(lat1 * GAZP_D2R), d = gazp_distance_km_from(lat1, lon1, c, lat2, lon2);
        double lo = gazp_distance_km_lower(lat1, lon1, c, lat2, lon2);
        bool in_range = fabs(lat2) <= 90 && fabs(lat1) <= 90;
        if (!(lo <= d) || (in_range && !(lo >= 0.65 * d - 1e-3))) {
            CHECK(lo <= d);
            CHECK(lo >= 0.65 * d - 1e-3); /* and close to it */
            fprintf(stderr, "bound %.17g > %.17g at %g %g %g %g\n", lo, d, lat1, lon1, lat2, lon2);
            return;
        }
        double s = scores[i % (sizeof scores / sizeof scores[0])];
        if (gazp_near_negligible(s, lat1, lon1, c, lat2, lon2)) {
            n_neg++;
            double t = s + 25 * exp(-d / 150.0);
            CHECK(t == s);
            if (t != s)
                return;
        } else {
            n_not++;
        }
    }
    CHECK(n_neg > 10000 && n_not > 10000);
    /* Stepanakert to Buenos Aires: negligible; to Yerevan: not; a score
     * under 32 (whose last place is finer): never */
    double c = cos(39.815 * GAZP_D2R);
    CHECK(gazp_near_negligible(100, 39.815, 46.752, c, -34.6, -58.38));
    CHECK(!gazp_near_negligible(31.5, 39.815, 46.752, c, -34.6, -58.38));
    CHECK(!gazp_near_negligible(100, 39.815, 46.752, c, 40.18, 44.51));
    /* log10 of a population's 1 + p: bounds around libm's value, exact
     * below 64, within log10(33/32) above */
    for (unsigned long long k = 1; k < 5000000ULL; k = k < 300 ? k + 1 : k * 21 / 20 + 7) {
        double lo, hi, l = log10((double)k);
        gazp_log10_bounds(k, &lo, &hi);
        if (!(lo - 1e-12 <= l && l <= hi + 1e-12 && hi - lo <= 0.0134 &&
              (k >= 64 || hi == lo))) {
            CHECK(lo - 1e-12 <= l && l <= hi + 1e-12 && hi - lo <= 0.0134);
            fprintf(stderr, "log10 bounds of %llu: %.17g %.17g %.17g\n", k, lo, l, hi);
            return;
        }
    }
    /* the nearness bound: above 25 exp(-d / 150), and close to it where
     * it counts (25 at 0; under 0.01 past 1,200 km) */
    for (double d = 0; d < 20000; d += d < 100 ? 0.37 : d / 50) {
        double u = gazp_near_upper(d), e = 25 * exp(-d / 150.0);
        if (!(u >= e * (1 - 1e-12)) || (d > 1200 && !(u < 0.01))) {
            CHECK(u >= e * (1 - 1e-12));
            fprintf(stderr, "near bound at %g km: %.17g < %.17g\n", d, u, e);
            return;
        }
    }
    CHECK(gazp_near_upper(0) == 25 && gazp_near_upper(-3) == 25);
    /* the distance bound is close to the distance: at least 0.7 of it */
    CHECK(gazp_distance_km_lower(39.815, 46.752, c, -34.6, -58.38) >
          0.7 * gazp_distance_km_from(39.815, 46.752, c, -34.6, -58.38));
    CHECK(gazp_distance_km_lower(39.815, 46.752, c, 40.18, 44.51) >
          0.95 * gazp_distance_km_from(39.815, 46.752, c, 40.18, 44.51));
    /* out of range or NaN: no bound */
    CHECK(gazp_distance_km_lower(39.8, 46.7, c, NAN, 0) == 0);
    CHECK(gazp_distance_km_lower(39.8, 46.7, c, 95, 0) == 0);
    CHECK(gazp_distance_km_lower(39.8, 46.7, c, 10, 800) == 0);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: test_gaz_index SMALL_GAZETTEER WORK_DIR\n");
        return 2;
    }
    test_near_bound();
    char built_idx[4200], gaz[4000], idx[4200];
    snprintf(built_idx, sizeof built_idx, "%s.idx", argv[1]);
    struct stat st;
    /* `gazetteer build` wrote the index beside the gazetteer */
    CHECK(stat(built_idx, &st) == 0 && st.st_size > 0);

    /* a copy of the gazetteer without its index: written when first used */
    mkdir(argv[2], 0777);
    snprintf(gaz, sizeof gaz, "%s/index-test.sqlite", argv[2]);
    snprintf(idx, sizeof idx, "%s.idx", gaz);
    unlink(idx);
    CHECK(copy_file(argv[1], gaz) == 0);
    add_namesakes(gaz);
    cx_err err;
    cx_err_clear(&err);
    gaz_db *sql = gaz_open(gaz, &err), *ix = gaz_open(gaz, &err);
    CHECK(sql && ix);
    if (!sql || !ix)
        return 1;
    CHECK(!gaz_has_index(ix));
    CHECK_INT_EQ(gaz_use_index(ix, NULL, &err), 0);
    CHECK(gaz_has_index(ix));
    CHECK(stat(idx, &st) == 0 && st.st_size > 0);

    /* every name, as written and in capitals; its key's prefixes */
    sqlite3 *db = NULL;
    CHECK(sqlite3_open_v2(gaz, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK);
    sqlite3_stmt *q = NULL;
    CHECK(sqlite3_prepare_v2(db, "SELECT DISTINCT name, key FROM names ORDER BY name", -1, &q,
                             NULL) == SQLITE_OK);
    while (sqlite3_step(q) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(q, 0);
        const char *key = (const char *)sqlite3_column_text(q, 1);
        compare(sql, ix, name, key);
        char up[256];
        size_t n = strlen(name);
        if (n < sizeof up) {
            for (size_t i = 0; i <= n; i++)
                up[i] = (char)(name[i] >= 'a' && name[i] <= 'z' ? name[i] - 32 : name[i]);
            compare(sql, ix, up, NULL);
        }
    }
    sqlite3_finalize(q);
    sqlite3_close(db);
    CHECK(n_compared > 100);
    /* many candidates of one key: the index keeps the first few of them
     * without sorting them all, in SQLite's order */
    compare_counts(sql, ix, "Samename");
    compare_counts(sql, ix, "Sammenamme");
    compare_counts(sql, ix, "Same name");
    compare_points(sql, ix, "Samename");
    compare_points(sql, ix, "Sammenamme");
    static const char *const others[] = {"Latchine", "Chouchi", "Nowhereville", "Le", "a",
                                         "Stepanakert Xankandi", "Martouni", "Gandja"};
    for (size_t i = 0; i < sizeof others / sizeof others[0]; i++)
        compare(sql, ix, others[i], NULL);
    CHECK_INT_EQ(gaz_probe(sql, "martuni", 7, NULL), gaz_probe(ix, "martuni", 7, NULL));
    CHECK_INT_EQ(gaz_probe(ix, "nowhereville", 12, NULL), 0);

    /* a second handle shares the first one's mapping */
    gaz_db *shared = gaz_open(gaz, &err);
    CHECK(shared && gaz_share_index(shared, ix) == 0 && gaz_has_index(shared));
    compare(sql, shared, "Martouni", "martouni");
    gaz_close(shared);
    gaz_close(ix);

    /* a damaged index (cut short) is not trusted: rewritten */
    CHECK(truncate(idx, 1000) == 0);
    ix = gaz_open(gaz, &err);
    CHECK(ix && gaz_use_index(ix, NULL, &err) == 0);
    CHECK(stat(idx, &st) == 0 && st.st_size > 1000);
    compare(sql, ix, "Stepanakert", "stepanakert");
    gaz_close(ix);

    /* an index of another build of the gazetteer is not used: rewritten */
    char other[4000];
    snprintf(other, sizeof other, "%s/other.sqlite", argv[2]);
    CHECK(copy_file(gaz, other) == 0);
    sqlite3 *w = NULL;
    CHECK(sqlite3_open(other, &w) == SQLITE_OK);
    CHECK(sqlite3_exec(w, "UPDATE meta SET value = '2000-01-01T00:00:00Z' WHERE key = 'built'",
                       NULL, NULL, NULL) == SQLITE_OK);
    sqlite3_close(w);
    char other_idx[4300];
    snprintf(other_idx, sizeof other_idx, "%s.idx", other);
    CHECK(copy_file(idx, other_idx) == 0); /* the index of `gaz`, beside `other` */
    struct stat before;
    CHECK(stat(other_idx, &before) == 0);
    gaz_db *o = gaz_open(other, &err);
    CHECK(o && gaz_use_index(o, NULL, &err) == 0);
    compare(sql, o, "Lachin", "lachin");
    FILE *f = fopen(other_idx, "rb");
    char head[256] = "";
    CHECK(f && fread(head, 1, sizeof head, f) > 0);
    if (f)
        fclose(f);
    bool found = false;
    for (size_t i = 0; i + 20 <= sizeof head; i++)
        found |= memcmp(head + i, "2000-01-01T00:00:00Z", 20) == 0;
    CHECK(found); /* the index now carries the new build's identity */
    gaz_close(o);
    gaz_close(sql);
    unlink(other_idx);
    unlink(other);
    unlink(idx);
    unlink(gaz);
    CHECK_DONE();
}
