/* test_gazetteer.c -- gazetteer build, lookup ranking, transliteration,
 * probe, locate, meta, fetch, and the error paths (missing, non-SQLite,
 * foreign and wrong-version files; malformed rows with file:line; missing
 * and truncated sources leave no file at the target).
 * usage: test_gazetteer FIXTURE_DIR WORK_DIR */
#include "check.h"

#include <cpl_vsi.h>
#include <gdal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gazetteer.h"

static const char *fix, *work;

typedef struct warnings {
    char text[4096];
    int n;
} warnings;

static void on_warn(void *ctx, const char *source, long line, const char *msg)
{
    warnings *w = ctx;
    size_t l = strlen(w->text);
    const char *base = strrchr(source, '/');
    snprintf(w->text + l, sizeof w->text - l, "%s:%ld: %s\n", base ? base + 1 : source, line,
             msg);
    w->n++;
}

static char *fpath(char *buf, size_t size, const char *dir, const char *name)
{
    snprintf(buf, size, "%s/%s", dir, name);
    return buf;
}

static bool exists(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0;
}

static int build_small(const char *out, warnings *w, gaz_build_stats *st, cx_err *err)
{
    char g[1024], alt[1024], a1[1024], ex[1024], rg[1024], co[1024];
    const char *geonames[] = {fpath(g, sizeof g, fix, "geonames.txt")};
    const char *extra[] = {fpath(ex, sizeof ex, fix, "extra.csv"),
                           fpath(rg, sizeof rg, fix, "regions.geojson")};
    gaz_build_opts o;
    memset(&o, 0, sizeof o);
    o.geonames = geonames;
    o.n_geonames = 1;
    o.alternate_names = fpath(alt, sizeof alt, fix, "altnames.txt");
    o.admin1 = fpath(a1, sizeof a1, fix, "admin1.txt");
    o.extra = extra;
    o.n_extra = 2;
    o.extra_columns = "name=locality_en,name:fr=locality_fr,name:hy=locality_hy,admin1=marz,"
                      "lat=latitude,lon=longitude,radius_km=radius";
    o.countries = fpath(co, sizeof co, fix, "countries.geojson");
    o.warn = on_warn;
    o.warn_ctx = w;
    return gaz_build(out, &o, st, err);
}

static size_t find(const cx_place *v, size_t n, const char *src_id)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(v[i].src_id, src_id))
            return i;
    return (size_t)-1;
}

static void test_build_and_lookup(const char *gz)
{
    warnings w = {"", 0};
    gaz_build_stats st;
    cx_err err;
    cx_err_clear(&err);
    int rc = build_small(gz, &w, &st, &err);
    CHECK_INT_EQ(rc, 0);
    if (rc)
        fprintf(stderr, "build: %s: %s\n", err.source, err.msg);
    /* malformed rows: reported with file:line and skipped */
    CHECK(strstr(w.text, "geonames.txt:6: bad latitude/longitude") != NULL);
    CHECK(strstr(w.text, "geonames.txt:11: expected 19 tab-separated columns") != NULL);
    CHECK(strstr(w.text, "altnames.txt:6: expected 8 to 10") != NULL);
    CHECK(strstr(w.text, "extra.csv:4: bad or missing lat/lon for \"Badrow\"") != NULL);
    CHECK_INT_EQ(st.rows_rejected, w.n);
    if (st.rows_rejected != w.n)
        fprintf(stderr, "warnings:\n%s", w.text);
    CHECK(st.rows_read > st.rows_kept);
    CHECK_INT_EQ(st.regions, 3); /* 2 countries + Gegharkunik */

    gaz_db *g = gaz_open(gz, &err);
    CHECK(g != NULL);
    if (!g)
        return;
    cx_place r[10];
    size_t n = 0;
    gaz_query q = {NULL, false, 0, 0, true, false};

    /* Vardenis: the Gegharkunik town before the Aragatsotn village */
    CHECK_INT_EQ(gaz_lookup(g, "Vardenis", 8, &q, r, 10, &n, &err), 0);
    CHECK_INT_EQ(n, 2);
    CHECK_STR_EQ(r[0].src_id, "geonames:616108");
    CHECK_STR_EQ(r[0].admin1, "Gegharkunik");
    CHECK_STR_EQ(r[1].src_id, "geonames:900001");
    CHECK_STR_EQ(r[1].admin1, "Aragatsotn");
    CHECK(r[0].score > r[1].score);
    CHECK_INT_EQ(r[0].kind, CX_KIND_SETTLEMENT);
    CHECK_STR_EQ(r[0].country, "AM");

    /* Martuni: both towns */
    CHECK_INT_EQ(gaz_lookup(g, "Martuni", 7, &q, r, 10, &n, &err), 0);
    CHECK(find(r, n, "geonames:616438") != (size_t)-1);
    CHECK(find(r, n, "geonames:146969") != (size_t)-1);
    /* country preference reorders */
    gaz_query qaz = q;
    qaz.country = "AZ";
    CHECK_INT_EQ(gaz_lookup(g, "Martuni", 7, &qaz, r, 10, &n, &err), 0);
    CHECK(n >= 2 && !strcmp(r[0].src_id, "geonames:146969"));
    qaz.only_country = true;
    CHECK_INT_EQ(gaz_lookup(g, "Martuni", 7, &qaz, r, 10, &n, &err), 0);
    CHECK_INT_EQ(n, 1);
    /* near preference */
    gaz_query qn = q;
    qn.has_near = true;
    qn.near_lat = 40.1;
    qn.near_lon = 45.3;
    CHECK_INT_EQ(gaz_lookup(g, "Martuni", 7, &qn, r, 10, &n, &err), 0);
    CHECK(n >= 2 && !strcmp(r[0].src_id, "geonames:616438"));

    /* Stepanakert and Khankendi: one place; an Armenian-script alternate name too */
    long long id1 = 0, id2 = 0;
    CHECK_INT_EQ(gaz_lookup(g, "Stepanakert", 11, &q, r, 10, &n, &err), 0);
    if (n)
        id1 = r[0].id;
    CHECK_INT_EQ(gaz_lookup(g, "Khankendi", 9, &q, r, 10, &n, &err), 0);
    if (n)
        id2 = r[0].id;
    CHECK(id1 != 0 && id1 == id2);
    const char *hy = "Ստեփանակերտ";
    CHECK_INT_EQ(gaz_lookup(g, hy, strlen(hy), &q, r, 10, &n, &err), 0);
    CHECK(n == 1 && r[0].id == id1 && !strcmp(r[0].lang, "hy"));

    /* alternate names (French) and the extra file's mapped columns */
    CHECK_INT_EQ(gaz_lookup(g, "Bakou", 5, &q, r, 10, &n, &err), 0);
    CHECK(n == 1 && !strcmp(r[0].name, "Baku") && !strcmp(r[0].lang, "fr"));
    CHECK_INT_EQ(gaz_lookup(g, "https://en.wikipedia.org/wiki/Baku", 34, &q, r, 10, &n, &err),
                 0);
    CHECK_INT_EQ(n, 0);
    CHECK_INT_EQ(gaz_lookup(g, "HAUT KARABAKH", 13, &q, r, 10, &n, &err), 0);
    CHECK(n == 1 && r[0].kind == CX_KIND_REGION && r[0].radius_km == 60);
    CHECK_INT_EQ(gaz_lookup(g, "Sotk", 4, &q, r, 10, &n, &err), 0);
    CHECK(n == 1 && !strcmp(r[0].country, "AM")); /* country by geometry */

    /* transliteration: rules, not a list */
    const char *pairs[][2] = {{"Latchine", "geonames:147625"}, {"Chouchi", "geonames:147105"},
                              {"Gandja", "geonames:586523"},   {"Şuşa", "geonames:147105"},
                              {"Choucha", "geonames:147105"},  {"Gyanja", "geonames:586523"}};
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        CHECK_INT_EQ(gaz_lookup(g, pairs[i][0], strlen(pairs[i][0]), &q, r, 10, &n, &err), 0);
        CHECK(n >= 1 && !strcmp(r[0].src_id, pairs[i][1]));
    }
    CHECK_INT_EQ(gaz_lookup(g, "Latchine", 8, &q, r, 10, &n, &err), 0);
    CHECK(n >= 1 && r[0].match == CX_MATCH_TRANSLIT && r[0].score < 100);
    gaz_query qe = q;
    qe.translit = false;
    CHECK_INT_EQ(gaz_lookup(g, "Latchine", 8, &qe, r, 10, &n, &err), 0);
    CHECK_INT_EQ(n, 0);
    /* max bounds the output; empty and invalid names */
    CHECK_INT_EQ(gaz_lookup(g, "Vardenis", 8, &q, r, 1, &n, &err), 0);
    CHECK_INT_EQ(n, 1);
    CHECK_INT_EQ(gaz_lookup(g, " - ", 3, &q, r, 10, &n, &err), 0);
    CHECK_INT_EQ(n, 0);
    cx_err e2;
    cx_err_clear(&e2);
    CHECK_INT_EQ(gaz_lookup(g, "\xff\xfe", 2, &q, r, 10, &n, &e2), CX_EFORMAT);

    /* probe */
    CHECK_INT_EQ(gaz_probe(g, "vardenis", 8, &err), GAZ_PROBE_NAME);
    CHECK_INT_EQ(gaz_probe(g, "nerkin", 6, &err), GAZ_PROBE_PREFIX);
    CHECK_INT_EQ(gaz_probe(g, "haut", 4, &err), GAZ_PROBE_PREFIX);
    CHECK_INT_EQ(gaz_probe(g, "sevan", 5, &err), GAZ_PROBE_NAME);
    CHECK_INT_EQ(gaz_probe(g, "zzzz", 4, &err), 0);
    CHECK_INT_EQ(gaz_probe(g, "", 0, &err), 0);

    /* locate: country polygons, admin-1 polygon, sea */
    char cc[3], a1[96];
    CHECK_INT_EQ(gaz_locate(g, 40.18, 45.73, cc, a1, sizeof a1, &err), 0);
    CHECK_STR_EQ(cc, "AM");
    CHECK_STR_EQ(a1, "Gegharkunik");
    CHECK_INT_EQ(gaz_locate(g, 40.37, 49.89, cc, a1, sizeof a1, &err), 0);
    CHECK_STR_EQ(cc, "AZ");
    CHECK_INT_EQ(gaz_locate(g, 0.0, 0.0, cc, a1, sizeof a1, &err), 0);
    CHECK_STR_EQ(cc, "");
    CHECK_STR_EQ(a1, "");

    /* meta */
    char v[256];
    CHECK_INT_EQ(gaz_meta(g, "schema_version", v, sizeof v, &err), 0);
    CHECK_STR_EQ(v, "1");
    CHECK_INT_EQ(gaz_meta(g, "places", v, sizeof v, &err), 0);
    CHECK_INT_EQ(atol(v), st.places);
    CHECK_INT_EQ(gaz_meta(g, "sources", v, sizeof v, &err), 0);
    CHECK(strstr(v, "geonames.txt (GeoNames)") != NULL);
    cx_err_clear(&e2);
    CHECK_INT_EQ(gaz_meta(g, "no-such-key", v, sizeof v, &e2), CX_ENOTFOUND);
    CHECK(strstr(e2.msg, "no-such-key") != NULL);
    gaz_close(g);
    gaz_close(NULL);
}

static void expect_open_error(const char *path, int code, const char *text)
{
    cx_err err;
    cx_err_clear(&err);
    gaz_db *g = gaz_open(path, &err);
    CHECK(g == NULL);
    gaz_close(g);
    CHECK_INT_EQ(err.code, code);
    CHECK_STR_EQ(err.source, path);
    CHECK(strstr(err.msg, text) != NULL);
    if (!strstr(err.msg, text))
        fprintf(stderr, "  message was: %s\n", err.msg);
}

static void test_open_errors(const char *gz)
{
    char p[1024], bad[1024];
    expect_open_error(fpath(p, sizeof p, work, "no-such-gazetteer.sqlite"), CX_ENOTFOUND,
                      "gazetteer not found");
    expect_open_error(fpath(p, sizeof p, fix, "not-sqlite.sqlite"), CX_EDB,
                      "not an SQLite database");
    /* a foreign SQLite file */
    fpath(p, sizeof p, work, "foreign.sqlite");
    unlink(p);
    sqlite3 *db = NULL;
    CHECK_INT_EQ(sqlite3_open(p, &db), SQLITE_OK);
    CHECK_INT_EQ(sqlite3_exec(db, "CREATE TABLE t(x); INSERT INTO t VALUES(1)", NULL, NULL,
                              NULL),
                 SQLITE_OK);
    sqlite3_close(db);
    expect_open_error(p, CX_EDB, "without a meta table");
    /* another schema version */
    fpath(bad, sizeof bad, work, "wrong-version.sqlite");
    {
        FILE *in = fopen(gz, "rb"), *out = fopen(bad, "wb");
        CHECK(in && out);
        char buf[65536];
        size_t n;
        while (in && out && (n = fread(buf, 1, sizeof buf, in)) > 0)
            fwrite(buf, 1, n, out);
        if (in)
            fclose(in);
        if (out)
            fclose(out);
    }
    db = NULL;
    CHECK_INT_EQ(sqlite3_open(bad, &db), SQLITE_OK);
    CHECK_INT_EQ(sqlite3_exec(db, "UPDATE meta SET value = '99' WHERE key = 'schema_version'",
                              NULL, NULL, NULL),
                 SQLITE_OK);
    sqlite3_close(db);
    expect_open_error(bad, CX_EDB, "schema version 99");
    expect_open_error(work, CX_EDB, "not a regular file");
}

static void test_build_errors(void)
{
    char out[1024], src[1024], tmp[1100];
    fpath(out, sizeof out, work, "failed-build.sqlite");
    unlink(out);
    gaz_build_opts o;
    cx_err err;
    gaz_build_stats st;

    /* missing source: an error naming it; nothing at the target */
    const char *missing[] = {fpath(src, sizeof src, fix, "no-such-file.txt")};
    memset(&o, 0, sizeof o);
    o.geonames = missing;
    o.n_geonames = 1;
    cx_err_clear(&err);
    CHECK_INT_EQ(gaz_build(out, &o, &st, &err), CX_ENOTFOUND);
    CHECK_STR_EQ(err.source, src);
    CHECK(!exists(out));
    snprintf(tmp, sizeof tmp, "%s.tmp-%ld", out, (long)getpid());
    CHECK(!exists(tmp));

    /* truncated source: an error naming it and the line */
    const char *trunc[] = {fpath(src, sizeof src, fix, "truncated.txt")};
    o.geonames = trunc;
    cx_err_clear(&err);
    CHECK_INT_EQ(gaz_build(out, &o, &st, &err), CX_EFORMAT);
    CHECK_STR_EQ(err.source, src);
    CHECK_INT_EQ(err.line, 2);
    CHECK(strstr(err.msg, "truncated") != NULL);
    CHECK(!exists(out));
    CHECK(!exists(tmp));

    /* an --extra-columns mapping naming a column the file lacks */
    char g[1024], ex[1024];
    const char *geonames[] = {fpath(g, sizeof g, fix, "geonames.txt")};
    const char *extra[] = {fpath(ex, sizeof ex, fix, "extra.csv")};
    memset(&o, 0, sizeof o);
    o.geonames = geonames;
    o.n_geonames = 1;
    o.extra = extra;
    o.n_extra = 1;
    o.extra_columns = "name=no_such_column,lat=latitude,lon=longitude";
    warnings w = {"", 0};
    o.warn = on_warn;
    o.warn_ctx = &w;
    cx_err_clear(&err);
    CHECK_INT_EQ(gaz_build(out, &o, &st, &err), CX_EFORMAT);
    CHECK(strstr(err.msg, "needs name") != NULL);
    CHECK_INT_EQ(err.line, 1);
    CHECK(strstr(w.text, "extra.csv:1: --extra-columns: no column \"no_such_column\" (for name)") != NULL);
    CHECK(!exists(out));
    o.extra_columns = "name";
    cx_err_clear(&err);
    CHECK_INT_EQ(gaz_build(out, &o, &st, &err), CX_EINVAL);
    CHECK(strstr(err.msg, "is not FIELD=COLUMN") != NULL);
    CHECK(!exists(out));

    /* no sources at all */
    memset(&o, 0, sizeof o);
    cx_err_clear(&err);
    CHECK_INT_EQ(gaz_build(out, &o, &st, &err), CX_EINVAL);

    /* defaults without vendor files: tells to run fetch-data.sh */
    memset(&o, 0, sizeof o);
    o.defaults = true;
    o.vendor_dir = work;
    o.data_dir = work;
    cx_err_clear(&err);
    CHECK_INT_EQ(gaz_build(out, &o, &st, &err), CX_ENOTFOUND);
    CHECK(strstr(err.msg, "fetch-data.sh") != NULL);
    CHECK(!exists(out));
}

static void test_fetch(void)
{
    /* a GeoNames-like zip made with GDAL's /vsizip/ writer, fetched over file:// */
    char dir[1024], zip[1200], vsi[1400], url[1300], txt[1200];
    fpath(dir, sizeof dir, work, "fetch-src");
    mkdir(dir, 0755);
    snprintf(zip, sizeof zip, "%s/XX.zip", dir);
    unlink(zip);
    snprintf(vsi, sizeof vsi, "/vsizip/%s/XX.txt", zip);
    VSILFILE *f = VSIFOpenL(vsi, "wb");
    CHECK(f != NULL);
    if (!f)
        return;
    const char row[] = "1\tTestville\tTestville\t\t40.0\t45.0\tP\tPPL\tAM\t\t04\t\t\t\t10\t\t0\t"
                       "Asia/Yerevan\t2020-01-01\n";
    VSIFWriteL(row, 1, sizeof row - 1, f);
    VSIFCloseL(f);
    char out[1024];
    fpath(out, sizeof out, work, "fetch-out");
    mkdir(out, 0755);
    snprintf(txt, sizeof txt, "%s/XX.txt", out);
    unlink(txt);
    snprintf(url, sizeof url, "file://%s", dir);
    const char *names[] = {"XX"};
    gaz_fetch_opts o;
    memset(&o, 0, sizeof o);
    o.base_url = url;
    o.names = names;
    o.n_names = 1;
    o.out_dir = out;
    cx_err err;
    cx_err_clear(&err);
    CHECK_INT_EQ(gaz_fetch(&o, &err), 0);
    FILE *in = fopen(txt, "r");
    CHECK(in != NULL);
    if (in) {
        char buf[256] = "";
        CHECK(fgets(buf, sizeof buf, in) != NULL);
        CHECK_STR_EQ(buf, row);
        fclose(in);
    }
    /* a missing dump: an error naming the URL */
    const char *none[] = {"YY"};
    o.names = none;
    cx_err_clear(&err);
    CHECK_INT_EQ(gaz_fetch(&o, &err), CX_ENOTFOUND);
    CHECK(strstr(err.source, "YY.zip") != NULL);
    snprintf(txt, sizeof txt, "%s/YY.txt", out);
    CHECK(!exists(txt));
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: test_gazetteer FIXTURE_DIR WORK_DIR\n");
        return 2;
    }
    fix = argv[1];
    work = argv[2];
    GDALAllRegister();
    char gz[1024];
    fpath(gz, sizeof gz, work, "unit-gazetteer.sqlite");
    unlink(gz);
    test_build_and_lookup(gz);
    test_open_errors(gz);
    test_build_errors();
    test_fetch();
    GDALDestroyDriverManager();
    CHECK_DONE();
}
