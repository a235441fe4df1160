/* test_store.c -- the incident store: documents read twice, same content
 * under a new id, reopening, filters, incremental merge equal to one merge,
 * and the error paths (bad files, read-only, locked store). */
#include "check.h"
#include "merge.h"
#include "store.h"

#include <math.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[256];

static void path_in(char *buf, size_t size, const char *name)
{
    snprintf(buf, size, "%s/%s", dir, name);
}

static rd_doc mkdoc(const char *id, const char *text)
{
    rd_doc d;
    memset(&d, 0, sizeof d);
    d.id = (char *)(uintptr_t)id; /* borrowed: never freed here */
    d.text = (char *)(uintptr_t)text;
    d.text_len = strlen(text);
    snprintf(d.source, sizeof d.source, "test");
    return d;
}

static ext_incident mkrep(int type, const char *date, int prec, const char *pid, double lon,
                          double lat, const char *country)
{
    ext_incident r;
    ext_incident_init(&r);
    r.type = type;
    snprintf(r.date, sizeof r.date, "%.10s", date);
    r.date_prec = prec;
    snprintf(r.place_id, sizeof r.place_id, "%s", pid);
    snprintf(r.place, sizeof r.place, "P%s", pid);
    snprintf(r.country, sizeof r.country, "%s", country);
    r.lon = lon;
    r.lat = lat;
    r.geo_prec = 1;
    r.confidence = 0.75;
    r.evidence = strdup("a sentence");
    return r;
}

/* Export collector. */
typedef struct bag {
    ext_incident *v;
    size_t n;
} bag;

static int collect(void *ctx, const ext_incident *inc, cx_err *err)
{
    (void)err;
    bag *b = ctx;
    b->v = realloc(b->v, (b->n + 1) * sizeof *b->v);
    ext_incident_init(&b->v[b->n]);
    ext_incident_copy(&b->v[b->n], inc);
    b->n++;
    return 0;
}

static void bag_free(bag *b)
{
    for (size_t i = 0; i < b->n; i++)
        ext_incident_clear(&b->v[i]);
    free(b->v);
    b->v = NULL;
    b->n = 0;
}

static size_t export_count(sto_store *st, const sto_filter *f)
{
    size_t n = 0;
    bag b = {0};
    cx_err err = {0};
    if (sto_export(st, f, collect, &b, &n, &err) != 0)
        n = (size_t)-1;
    bag_free(&b);
    return n;
}

static void test_documents(void)
{
    char path[512];
    path_in(path, sizeof path, "docs.sqlite");
    cx_err err = {0};
    sto_store *st = sto_open(path, STO_OPEN_CREATE, &err);
    CHECK(st != NULL);
    if (!st) {
        fprintf(stderr, "%s\n", err.msg);
        return;
    }
    ext_incident r[2];
    r[0] = mkrep(EXT_SHELLING, "2020-10-04", EXT_PREC_DAY, "geonames:1", 46.34, 39.51, "AM");
    r[1] = mkrep(EXT_EVACUATION, "2023-09", EXT_PREC_MONTH, "geonames:2", 46.75, 39.82, "AZ");
    rd_doc a = mkdoc("a.txt", "text of a");
    CHECK_INT_EQ(sto_has_doc(st, &a, &err), STO_DOC_NEW);
    CHECK_INT_EQ(sto_add_doc(st, &a, r, 2, &err), STO_DOC_NEW);
    CHECK_INT_EQ(sto_has_doc(st, &a, &err), STO_DOC_KNOWN);
    /* the same document again adds nothing */
    CHECK_INT_EQ(sto_add_doc(st, &a, r, 2, &err), STO_DOC_KNOWN);
    sto_counts c = {0};
    CHECK_INT_EQ(sto_count(st, &c, &err), 0);
    CHECK_INT_EQ(c.documents, 1);
    CHECK_INT_EQ(c.reports, 2);
    CHECK_INT_EQ(c.incidents, 2);
    /* the same id with other text is refused */
    rd_doc a2 = mkdoc("a.txt", "another text");
    CHECK_INT_EQ(sto_has_doc(st, &a2, &err), STO_DOC_CONFLICT);
    CHECK_INT_EQ(sto_add_doc(st, &a2, r, 1, &err), STO_DOC_CONFLICT);
    /* the same text under another id is another report */
    rd_doc b = mkdoc("b.txt", "text of a");
    CHECK_INT_EQ(sto_add_doc(st, &b, r, 2, &err), STO_DOC_NEW);
    CHECK_INT_EQ(sto_count(st, &c, &err), 0);
    CHECK_INT_EQ(c.documents, 2);
    CHECK_INT_EQ(c.reports, 4);
    CHECK_INT_EQ(c.incidents, 2);
    bag got = {0};
    size_t n = 0;
    CHECK_INT_EQ(sto_export(st, NULL, collect, &got, &n, &err), 0);
    CHECK_INT_EQ(n, 2);
    for (size_t i = 0; i < got.n; i++) {
        CHECK_INT_EQ(got.v[i].n_sources, 2);
        CHECK_INT_EQ(got.v[i].n_doc_ids, 2);
        CHECK_STR_EQ(got.v[i].doc_ids[0], "a.txt");
        CHECK_STR_EQ(got.v[i].doc_ids[1], "b.txt");
    }
    CHECK_STR_EQ(got.v[0].date, "2020-10-04"); /* by date */
    CHECK_STR_EQ(got.v[0].country, "AM");
    CHECK(fabs(got.v[0].lon - 46.34) < 1e-12 && isnan(got.v[0].border_km));
    CHECK_STR_EQ(got.v[0].evidence, "a sentence");
    char id0[24], id1[24];
    snprintf(id0, sizeof id0, "%s", got.n > 1 ? got.v[0].incident_id : "");
    snprintf(id1, sizeof id1, "%s", got.n > 1 ? got.v[1].incident_id : "");
    CHECK_INT_EQ((int)strlen(id0), 16);
    bag_free(&got);
    /* issue 18: a corrected a.txt replaces the stored one (sto_set_replace):
     * only the shelling, now with a toll; the evacuation keeps b.txt alone;
     * the ids stay */
    sto_set_replace(st, true);
    rd_doc a3 = mkdoc("a.txt", "corrected text of a");
    ext_incident r3 = mkrep(EXT_SHELLING, "2020-10-04", EXT_PREC_DAY, "geonames:1", 46.34,
                            39.51, "AM");
    r3.fatalities = r3.fatalities_max = 5;
    CHECK_INT_EQ(sto_add_doc(st, &a3, &r3, 1, &err), STO_DOC_REPLACED);
    CHECK_INT_EQ(sto_has_doc(st, &a3, &err), STO_DOC_KNOWN);
    CHECK_INT_EQ(sto_check(st, &err), 0);
    CHECK_INT_EQ(sto_count(st, &c, &err), 0);
    CHECK_INT_EQ(c.documents, 2);
    CHECK_INT_EQ(c.reports, 3);
    CHECK_INT_EQ(c.incidents, 2);
    CHECK_INT_EQ(sto_export(st, NULL, collect, &got, &n, &err), 0);
    CHECK_INT_EQ(got.n, 2);
    if (got.n == 2) {
        CHECK_STR_EQ(got.v[0].incident_id, id0);
        CHECK_STR_EQ(got.v[1].incident_id, id1);
        CHECK_INT_EQ(got.v[0].fatalities, 5);
        CHECK_INT_EQ((int)got.v[0].n_doc_ids, 2);
        CHECK_INT_EQ((int)got.v[1].n_doc_ids, 1);
        CHECK_STR_EQ(got.v[1].doc_ids[0], "b.txt");
    }
    bag_free(&got);
    /* a correction without reports leaves b.txt's alone */
    rd_doc a4 = mkdoc("a.txt", "a.txt withdrawn");
    CHECK_INT_EQ(sto_add_doc(st, &a4, NULL, 0, &err), STO_DOC_REPLACED);
    CHECK_INT_EQ(sto_check(st, &err), 0);
    CHECK_INT_EQ(sto_count(st, &c, &err), 0);
    CHECK_INT_EQ(c.reports, 2);
    CHECK_INT_EQ(c.incidents, 2);
    CHECK_INT_EQ(sto_export(st, NULL, collect, &got, &n, &err), 0);
    CHECK(got.n == 2 && got.v[0].fatalities == -1 && got.v[0].n_doc_ids == 1);
    bag_free(&got);
    ext_incident_clear(&r3);
    sto_set_replace(st, false);
    /* a document without reports is remembered */
    rd_doc e = mkdoc("empty.txt", "nothing happened");
    CHECK_INT_EQ(sto_add_doc(st, &e, NULL, 0, &err), STO_DOC_NEW);
    CHECK_INT_EQ(sto_has_doc(st, &e, &err), STO_DOC_KNOWN);
    CHECK_INT_EQ(sto_check(st, &err), 0);
    sto_close(st);

    /* reopening keeps everything */
    st = sto_open(path, STO_OPEN_EXISTING, &err);
    CHECK(st != NULL);
    CHECK_INT_EQ(sto_count(st, &c, &err), 0);
    CHECK_INT_EQ(c.documents, 3);
    CHECK_INT_EQ(c.incidents, 2);
    CHECK_INT_EQ(sto_has_doc(st, &b, &err), STO_DOC_KNOWN);

    /* filters */
    sto_filter f = {0};
    f.from = "2021-01-01";
    CHECK_INT_EQ(export_count(st, &f), 1);
    f.from = "2023-09-30"; /* the month span reaches it */
    CHECK_INT_EQ(export_count(st, &f), 1);
    f.from = "2023-10-01";
    CHECK_INT_EQ(export_count(st, &f), 0);
    f.from = NULL;
    f.to = "2020-10-04";
    CHECK_INT_EQ(export_count(st, &f), 1);
    f.to = "2020-10-03";
    CHECK_INT_EQ(export_count(st, &f), 0);
    memset(&f, 0, sizeof f);
    f.types = 1u << EXT_EVACUATION;
    CHECK_INT_EQ(export_count(st, &f), 1);
    f.types = 1u << EXT_CLASH;
    CHECK_INT_EQ(export_count(st, &f), 0);
    memset(&f, 0, sizeof f);
    f.has_bbox = true;
    f.west = 46.0, f.south = 39.0, f.east = 46.5, f.north = 40.0;
    CHECK_INT_EQ(export_count(st, &f), 1);
    f.west = 40.0, f.east = 50.0;
    CHECK_INT_EQ(export_count(st, &f), 2);
    memset(&f, 0, sizeof f);
    f.country = "az";
    CHECK_INT_EQ(export_count(st, &f), 1);
    f.country = "FR";
    CHECK_INT_EQ(export_count(st, &f), 0);
    /* a bad filter date is an error */
    memset(&f, 0, sizeof f);
    f.from = "2020-13-01";
    cx_err_clear(&err);
    CHECK_INT_EQ(sto_export(st, &f, collect, &got, NULL, &err), CX_EINVAL);
    CHECK_STR_EQ(err.msg, "bad date '2020-13-01' (want YYYY-MM-DD)");
    sto_close(st);

    /* read-only: exports, refuses writes */
    st = sto_open(path, STO_OPEN_READONLY, &err);
    CHECK(st != NULL);
    CHECK_INT_EQ(export_count(st, NULL), 2);
    rd_doc z = mkdoc("z.txt", "z");
    cx_err_clear(&err);
    CHECK_INT_EQ(sto_add_doc(st, &z, r, 1, &err), CX_EINVAL);
    CHECK(strstr(err.msg, "is open read-only") != NULL);
    sto_close(st);
    ext_incident_clear(&r[0]);
    ext_incident_clear(&r[1]);
}

static void test_open_errors(void)
{
    char path[512];
    cx_err err = {0};
    path_in(path, sizeof path, "missing.sqlite");
    CHECK(sto_open(path, STO_OPEN_READONLY, &err) == NULL);
    CHECK_INT_EQ(err.code, CX_ENOTFOUND);
    CHECK(strstr(err.msg, "cannot open store") != NULL);
    cx_err_clear(&err);
    CHECK(sto_open(path, STO_OPEN_EXISTING, &err) == NULL);
    CHECK_INT_EQ(err.code, CX_ENOTFOUND);
    CHECK(access(path, F_OK) != 0); /* not created */

    /* a text file */
    path_in(path, sizeof path, "text.sqlite");
    FILE *fp = fopen(path, "w");
    fputs("this is not a database, just some text that is long enough to be a header\n", fp);
    fclose(fp);
    cx_err_clear(&err);
    CHECK(sto_open(path, STO_OPEN_CREATE, &err) == NULL);
    CHECK_INT_EQ(err.code, CX_EDB);
    CHECK(strstr(err.msg, "is not an incimap store") != NULL);

    /* a SQLite file of something else */
    path_in(path, sizeof path, "other.sqlite");
    sqlite3 *db = NULL;
    sqlite3_open(path, &db);
    sqlite3_exec(db, "CREATE TABLE t(x)", NULL, NULL, NULL);
    sqlite3_close(db);
    cx_err_clear(&err);
    CHECK(sto_open(path, STO_OPEN_CREATE, &err) == NULL);
    CHECK_INT_EQ(err.code, CX_EDB);
    CHECK(strstr(err.msg, "is a SQLite database but not an incimap store") != NULL);

    /* another schema version */
    path_in(path, sizeof path, "v9.sqlite");
    sto_close(sto_open(path, STO_OPEN_CREATE, &err));
    sqlite3_open(path, &db);
    sqlite3_exec(db, "UPDATE meta SET value='9' WHERE key='schema_version'", NULL, NULL, NULL);
    sqlite3_close(db);
    cx_err_clear(&err);
    CHECK(sto_open(path, STO_OPEN_EXISTING, &err) == NULL);
    CHECK(strstr(err.msg, "has schema version 9; this incimap reads version 4") != NULL);

    /* a document without an id */
    path_in(path, sizeof path, "noid.sqlite");
    sto_store *st = sto_open(path, STO_OPEN_CREATE, &err);
    rd_doc d = mkdoc("", "x");
    cx_err_clear(&err);
    CHECK_INT_EQ(sto_add_doc(st, &d, NULL, 0, &err), CX_EINVAL);
    CHECK_STR_EQ(err.msg, "document without an id");
    sto_close(st);
}

static void test_locked(void)
{
    char path[512];
    cx_err err = {0};
    path_in(path, sizeof path, "locked.sqlite");
    sto_store *st = sto_open(path, STO_OPEN_CREATE, &err);
    CHECK(st != NULL);
    sqlite3 *db = NULL;
    sqlite3_open(path, &db);
    CHECK_INT_EQ(sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
    sto_set_busy_timeout(st, 200);
    rd_doc a = mkdoc("a.txt", "a");
    cx_err_clear(&err);
    CHECK_INT_EQ(sto_add_doc(st, &a, NULL, 0, &err), CX_EDB);
    char want[700];
    snprintf(want, sizeof want, "store %s is locked by another incimap process (waited 200 ms)",
             path);
    CHECK_STR_EQ(err.msg, want);
    /* readers still read */
    CHECK_INT_EQ(export_count(st, NULL), 0);
    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    sqlite3_close(db);
    cx_err_clear(&err);
    CHECK_INT_EQ(sto_add_doc(st, &a, NULL, 0, &err), STO_DOC_NEW);
    sto_close(st);
}

/* Feeding the store document by document, in any order, gives what one
 * mrg_merge of every report gives. */
static unsigned long rs = 99;
static unsigned rnd(unsigned n)
{
    rs = rs * 6364136223846793005ul + 1442695040888963407ul;
    return (unsigned)((rs >> 33) % n);
}

enum { NDOCS = 40, PER_DOC = 4 };

static void fill_reports(ext_incident *reps)
{
    for (size_t i = 0; i < NDOCS * PER_DOC; i++) {
        char date[16], pid[24];
        int prec = rnd(8) == 0 ? EXT_PREC_MONTH : EXT_PREC_DAY;
        if (prec == EXT_PREC_MONTH)
            snprintf(date, sizeof date, "2020-10");
        else
            snprintf(date, sizeof date, "2020-10-%02u", 1 + rnd(4));
        unsigned place = rnd(5);
        if (rnd(4))
            snprintf(pid, sizeof pid, "geonames:%u", place);
        else
            pid[0] = '\0';
        reps[i] = mkrep((int)rnd(2), date, prec, pid, 46.3 + 0.012 * place + 0.002 * rnd(2),
                        39.5, "AM");
        reps[i].geo_prec = 1 + (int)rnd(3);
        reps[i].fatalities = (int)rnd(4) - 1;
        reps[i].offset = rnd(500);
        snprintf(reps[i].actor1, sizeof reps[i].actor1, "%s", rnd(2) ? "AM" : "AZ");
        snprintf(reps[i].claimed_by, sizeof reps[i].claimed_by, "%s", rnd(2) ? "x" : "y; z");
    }
}

static void test_incremental(void)
{
    ext_incident *reps = calloc(NDOCS * PER_DOC, sizeof *reps);
    fill_reports(reps);
    char ids[NDOCS][24], texts[NDOCS][24];
    for (int d = 0; d < NDOCS; d++) {
        snprintf(ids[d], sizeof ids[d], "doc%02d", d);
        snprintf(texts[d], sizeof texts[d], "text %d", d);
    }
    /* one merge of everything */
    ext_incident *all = calloc(NDOCS * PER_DOC, sizeof *all);
    for (size_t i = 0; i < NDOCS * PER_DOC; i++) {
        ext_incident_init(&all[i]);
        ext_incident_copy(&all[i], &reps[i]);
        ext_incident_add_doc(&all[i], ids[i / PER_DOC]);
    }
    mrg_result ref = {0};
    CHECK_INT_EQ(mrg_merge(all, NDOCS * PER_DOC, NULL, &ref, NULL), 0);
    CHECK(ref.n > 5 && ref.n < NDOCS * PER_DOC / 2);

    /* orders 0-2 merge document by document; 3 is a scratch store, merged
     * once by sto_export (here twice: once before the last document); 4
     * the same made by sto_open_scratch (plain SQLite, what a run spills to) */
    static const char *const names[] = {"forward.sqlite", "backward.sqlite", "strided.sqlite",
                                        "scratch.sqlite", "plain-scratch.sqlite"};
    for (int order = 0; order < 5; order++) {
        char path[512];
        cx_err err = {0};
        path_in(path, sizeof path, names[order]);
        sto_store *st = order == 4 ? sto_open_scratch(path, &err)
                                   : sto_open(path, STO_OPEN_CREATE, &err);
        CHECK(st != NULL);
        if (!st)
            continue;
        if (order == 3)
            CHECK_INT_EQ(sto_set_scratch(st, &err), 0);
        for (int k = 0; k < NDOCS; k++) {
            int d = order == 0 ? k : order == 1 ? NDOCS - 1 - k : (k * 7) % NDOCS;
            rd_doc doc = mkdoc(ids[d], texts[d]);
            if (order >= 3 && k == NDOCS - 1) {
                bag early = {0};
                CHECK_INT_EQ(sto_export(st, NULL, collect, &early, NULL, &err), 0);
                CHECK(early.n > 0 && early.n <= ref.n);
                bag_free(&early);
            }
            int rc = sto_add_doc(st, &doc, &reps[d * PER_DOC], PER_DOC, &err);
            CHECK_INT_EQ(rc, STO_DOC_NEW);
            if (rc != STO_DOC_NEW)
                fprintf(stderr, "%s\n", err.msg);
        }
        if (order < 3)
            CHECK_INT_EQ(sto_check(st, &err), 0);
        bag got = {0};
        CHECK_INT_EQ(sto_export(st, NULL, collect, &got, NULL, &err), 0);
        CHECK_INT_EQ(got.n, ref.n);
        size_t same = 0;
        for (size_t i = 0; i < got.n && i < ref.n; i++)
            same += mrg_cmp(&got.v[i], &ref.items[i]) == 0;
        CHECK_INT_EQ(same, ref.n);
        bag_free(&got);
        CHECK_INT_EQ(sto_check(st, &err), 0); /* a scratch store too, once merged */
        sto_close(st);
    }
    {   /* a scratch store is new: an existing store is refused, and kept */
        char path[512];
        cx_err err = {0};
        path_in(path, sizeof path, names[0]);
        sto_store *st = sto_open_scratch(path, &err);
        CHECK(st == NULL);
        CHECK(strstr(err.msg, "must be new") != NULL);
        sto_close(st);
        CHECK((st = sto_open(path, STO_OPEN_EXISTING, &err)) != NULL);
        CHECK_INT_EQ(sto_check(st, &err), 0);
        sto_close(st);
    }
    mrg_result_free(&ref);
    for (size_t i = 0; i < NDOCS * PER_DOC; i++) {
        ext_incident_clear(&reps[i]);
        ext_incident_clear(&all[i]);
    }
    free(reps);
    free(all);
}

/* Run `sql` on the store at `path` through a raw connection; returns the
 * first column of its first row (0 when none). */
static long raw(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *s = NULL;
    long v = 0;
    sqlite3_open(path, &db);
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
        v = (long)sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(db);
    return v;
}

/* A document rewrites only the incidents it changes: the others keep their
 * row (a mark put in it survives); when it joins two components, the
 * incident it does not change stays and moves to the joined component. */
static void test_write_difference(void)
{
    char path[512];
    cx_err err = {0};
    path_in(path, sizeof path, "difference.sqlite");
    sto_store *st = sto_open(path, STO_OPEN_CREATE, &err);
    CHECK(st != NULL);
    static const struct {
        const char *id, *date, *pid;
        int prec;
    } docs[] = {
        {"a", "2021-05-02", "g:1", EXT_PREC_DAY},  {"b", "2021-05-03", "g:2", EXT_PREC_DAY},
        {"e", "2021-05-10", "g:3", EXT_PREC_DAY},  {"f", "2021-05-11", "g:3", EXT_PREC_DAY},
        {"c", "2021-05-03", "g:2", EXT_PREC_DAY},  {"g", "2021-05", "g:3", EXT_PREC_MONTH},
    };
    static const char *const marked =
        "SELECT count(*) FROM incidents WHERE admin1='mark' AND place_id=";
    char q[256];
    for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++) {
        if (i == 4) { /* every incident marked; c changes Jermuk's only */
            raw(path, "UPDATE incidents SET admin1='mark'");
            ext_incident r = mkrep(EXT_SHELLING, docs[i].date, docs[i].prec, docs[i].pid,
                                   46.0, 40.0, "AM");
            rd_doc d = mkdoc(docs[i].id, docs[i].id);
            CHECK_INT_EQ(sto_add_doc(st, &d, &r, 1, &err), STO_DOC_NEW);
            ext_incident_clear(&r);
            snprintf(q, sizeof q, "%s'g:1'", marked);
            CHECK_INT_EQ(raw(path, q), 1);
            snprintf(q, sizeof q, "%s'g:2'", marked);
            CHECK_INT_EQ(raw(path, q), 0);
            snprintf(q, sizeof q, "%s'g:3'", marked);
            CHECK_INT_EQ(raw(path, q), 2);
            continue;
        }
        ext_incident r = mkrep(EXT_SHELLING, docs[i].date, docs[i].prec, docs[i].pid,
                               45.0 + 0.5 * (docs[i].pid[2] - '0'), 40.0, "AM");
        rd_doc d = mkdoc(docs[i].id, docs[i].id);
        CHECK_INT_EQ(sto_add_doc(st, &d, &r, 1, &err), STO_DOC_NEW);
        ext_incident_clear(&r);
        CHECK_INT_EQ(sto_check(st, &err), 0);
    }
    /* g (May) joined the 10th and the 11th in one component and merged
     * with one of them: that one is rewritten, the other kept */
    snprintf(q, sizeof q, "%s'g:3'", marked);
    CHECK_INT_EQ(raw(path, q), 1);
    CHECK_INT_EQ(raw(path, "SELECT count(DISTINCT component) FROM incidents WHERE place_id='g:3'"),
                 1);
    CHECK_INT_EQ(sto_check(st, &err), 0);
    bag got = {0};
    CHECK_INT_EQ(sto_export(st, NULL, collect, &got, NULL, &err), 0);
    CHECK_INT_EQ(got.n, 4);
    int sources = 0;
    for (size_t i = 0; i < got.n; i++)
        sources += got.v[i].n_sources;
    CHECK_INT_EQ(sources, 6);
    bag_free(&got);
    sto_close(st);
}

/* A version-1 store (no report_span / report_pspan R*Trees) opens for
 * export as it is, and is upgraded when opened for writing: a new report
 * then finds the stored ones through the rebuilt trees. */
static void test_migrate_v1(void)
{
    char path[512];
    path_in(path, sizeof path, "v1.sqlite");
    cx_err err = {0};
    sto_store *st = sto_open(path, STO_OPEN_CREATE, &err);
    ext_incident r[2];
    r[0] = mkrep(EXT_SHELLING, "2020-10-04", EXT_PREC_DAY, "geonames:1", 46.34, 39.51, "AM");
    r[1] = mkrep(EXT_CLASH, "2020-10", EXT_PREC_MONTH, "", 46.75, 39.82, "AZ");
    rd_doc a = mkdoc("a.txt", "text of a"), b = mkdoc("b.txt", "text of b");
    CHECK_INT_EQ(sto_add_doc(st, &a, r, 2, &err), STO_DOC_NEW);
    sto_close(st);
    sqlite3 *db = NULL;
    sqlite3_open(path, &db);
    CHECK_INT_EQ(sqlite3_exec(db,
                              "DROP TABLE report_span; DROP TABLE report_pspan;"
                              "UPDATE meta SET value='1' WHERE key='schema_version'",
                              NULL, NULL, NULL),
                 SQLITE_OK);
    sqlite3_close(db);
    cx_err_clear(&err);
    st = sto_open(path, STO_OPEN_READONLY, &err);
    CHECK(st != NULL);
    CHECK_INT_EQ(export_count(st, NULL), 2);
    sto_close(st);
    st = sto_open(path, STO_OPEN_EXISTING, &err);
    CHECK(st != NULL);
    if (!st)
        return;
    /* the same place by place_id (elsewhere), and the clash by its point */
    r[0].lon += 1.0;
    CHECK_INT_EQ(sto_add_doc(st, &b, r, 2, &err), STO_DOC_NEW);
    bag got = {0};
    CHECK_INT_EQ(sto_export(st, NULL, collect, &got, NULL, &err), 0);
    CHECK_INT_EQ(got.n, 2);
    for (size_t i = 0; i < got.n; i++)
        CHECK_INT_EQ(got.v[i].n_sources, 2);
    bag_free(&got);
    sto_close(st);
    sqlite3_open(path, &db);
    sqlite3_stmt *q = NULL;
    sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key='schema_version'", -1, &q, NULL);
    CHECK(sqlite3_step(q) == SQLITE_ROW && sqlite3_column_int(q, 0) == STO_SCHEMA_VERSION);
    sqlite3_finalize(q);
    sqlite3_close(db);
    ext_incident_clear(&r[0]);
    ext_incident_clear(&r[1]);
}

/* A report with evidence `ev` whose trigger and place are the first
 * occurrences of `trig` and `place` in it (bytes), or EXT_SPAN_NONE for a
 * NULL one. */
static ext_incident mkspans(const char *pid, const char *ev, const char *trig, const char *place)
{
    ext_incident r = mkrep(EXT_SHELLING, "2022-09-15", EXT_PREC_DAY, pid, 45.7, 39.6, "AM");
    free(r.evidence);
    r.evidence = strdup(ev);
    const char *t = trig ? strstr(ev, trig) : NULL, *p = place ? strstr(ev, place) : NULL;
    r.trig_span = t ? (ext_span){(int)(t - ev), (int)(t - ev + (long)strlen(trig))}
                    : (ext_span){EXT_SPAN_NONE, EXT_SPAN_NONE};
    r.place_span = p ? (ext_span){(int)(p - ev), (int)(p - ev + (long)strlen(place))}
                     : (ext_span){EXT_SPAN_NONE, EXT_SPAN_NONE};
    return r;
}

/* The sources view's four offsets (characters; -9 for NULL) of doc `id`. */
static void view_offsets(const char *path, const char *id, int out[4])
{
    sqlite3 *db = NULL;
    sqlite3_stmt *q = NULL;
    for (int i = 0; i < 4; i++)
        out[i] = -99;
    sqlite3_open(path, &db);
    if (sqlite3_prepare_v2(db, "SELECT trigger_start, trigger_end, place_start, place_end"
                               " FROM sources WHERE doc_id=?", -1, &q, NULL) == SQLITE_OK) {
        sqlite3_bind_text(q, 1, id, -1, SQLITE_STATIC);
        if (sqlite3_step(q) == SQLITE_ROW)
            for (int i = 0; i < 4; i++)
                out[i] = sqlite3_column_type(q, i) == SQLITE_NULL ? -9 : sqlite3_column_int(q, i);
    }
    sqlite3_finalize(q);
    sqlite3_close(db);
}

/* The first source of doc `id` in an export (NULL when none). */
static const ext_source *source_of(const bag *b, const char *id)
{
    for (size_t i = 0; i < b->n; i++)
        for (size_t j = 0; j < b->v[i].n_srcs; j++)
            if (strcmp(b->v[i].srcs[j].doc_id, id) == 0)
                return &b->v[i].srcs[j];
    return NULL;
}

/* Issue 21: the store keeps where the evidence names the trigger and the
 * place, in characters (the accents make them differ from the bytes), and
 * gives them back as bytes; "none" (-1, NULL in the view) stays none. A
 * version-3 store (without the columns) opens for export, is upgraded
 * (schema 4, the old rows NULL: "not recorded"), and the new rows keep
 * their offsets beside the old ones. */
static void test_spans_v3(void)
{
    char path[512];
    path_in(path, sizeof path, "v3.sqlite");
    cx_err err = {0};
    sto_store *st = sto_open(path, STO_OPEN_CREATE, &err);
    CHECK(st != NULL);
    if (!st)
        return;
    /* "été", "arménienne": two-byte characters before both spans */
    ext_incident a = mkspans("geonames:1", "Le village de Tegh a été pilonné jeudi.", "pilonné",
                             "Tegh");
    ext_incident b = mkspans("geonames:2", "Des réfugiés arméniens sont arrivés à Goris.", NULL,
                             "Goris");
    b.lon += 1.0; /* another place */
    rd_doc da = mkdoc("a.txt", "text of a"), db_ = mkdoc("b.txt", "text of b");
    CHECK_INT_EQ(sto_add_doc(st, &da, &a, 1, &err), STO_DOC_NEW);
    CHECK_INT_EQ(sto_add_doc(st, &db_, &b, 1, &err), STO_DOC_NEW);
    bag got = {0};
    CHECK_INT_EQ(sto_export(st, NULL, collect, &got, NULL, &err), 0);
    const ext_source *sa = source_of(&got, "a.txt"), *sb = source_of(&got, "b.txt");
    CHECK(sa && sb);
    if (sa && sb) {
        CHECK_INT_EQ(sa->trig_span.start, a.trig_span.start);
        CHECK_INT_EQ(sa->trig_span.end, a.trig_span.end);
        CHECK_INT_EQ(sa->place_span.start, 14);
        CHECK_INT_EQ(sb->trig_span.start, EXT_SPAN_NONE);
        CHECK_INT_EQ(sb->place_span.start, b.place_span.start);
        CHECK_INT_EQ(sb->place_span.end, b.place_span.end);
    }
    /* the incident too (its evidence is its report's) */
    for (size_t i = 0; i < got.n; i++)
        if (strcmp(got.v[i].doc_ids[0], "a.txt") == 0)
            CHECK_INT_EQ(got.v[i].trig_span.start, a.trig_span.start);
    bag_free(&got);
    sto_close(st);
    int off[4];
    view_offsets(path, "a.txt", off);
    /* "Le village de Tegh a été " is 25 characters, 27 bytes */
    CHECK_INT_EQ(a.trig_span.start, 27);
    CHECK_INT_EQ(off[0], 25);
    CHECK_INT_EQ(off[1], 32);
    CHECK_INT_EQ(off[2], 14);
    CHECK_INT_EQ(off[3], 18);
    view_offsets(path, "b.txt", off);
    CHECK_INT_EQ(off[0], -9); /* no trigger: NULL in the view */
    CHECK_INT_EQ(off[2], 38); /* "Des réfugiés ... arrivés à ": 43 bytes, 38 characters */
    CHECK_INT_EQ(b.place_span.start, 43);

    /* back to version 3: no columns, the old view */
    sqlite3 *db = NULL;
    sqlite3_open(path, &db);
    const char *old =
        "DROP VIEW sources;"
        "ALTER TABLE report DROP COLUMN trig_start; ALTER TABLE report DROP COLUMN trig_end;"
        "ALTER TABLE report DROP COLUMN place_start; ALTER TABLE report DROP COLUMN place_end;"
        "ALTER TABLE incidents DROP COLUMN trig_start;"
        "ALTER TABLE incidents DROP COLUMN trig_end;"
        "ALTER TABLE incidents DROP COLUMN place_start;"
        "ALTER TABLE incidents DROP COLUMN place_end;"
        "CREATE VIEW sources AS SELECT i.uid AS incident_id, r.doc_id AS doc_id,"
        " r.src_url AS url, r.src_outlet AS outlet, r.published AS published,"
        " r.evidence AS evidence, r.claimed_by AS claimed_by"
        " FROM report r JOIN incidents i ON i.incident_id = r.incident_id;"
        "UPDATE meta SET value='3' WHERE key='schema_version'";
    CHECK_INT_EQ(sqlite3_exec(db, old, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);

    /* read-only: upgraded first, then read; the old rows say "not recorded" */
    cx_err_clear(&err);
    st = sto_open(path, STO_OPEN_READONLY, &err);
    CHECK(st != NULL);
    if (!st)
        return;
    CHECK_INT_EQ(sto_export(st, NULL, collect, &got, NULL, &err), 0);
    CHECK_INT_EQ(got.n, 2);
    sa = source_of(&got, "a.txt");
    CHECK(sa && sa->trig_span.start == EXT_SPAN_UNKNOWN && sa->place_span.start == EXT_SPAN_UNKNOWN);
    for (size_t i = 0; i < got.n; i++)
        CHECK_INT_EQ(got.v[i].trig_span.start, EXT_SPAN_UNKNOWN);
    bag_free(&got);
    sto_close(st);
    sqlite3_open(path, &db);
    sqlite3_stmt *q = NULL;
    sqlite3_prepare_v2(db, "SELECT (SELECT value FROM meta WHERE key='schema_version'),"
                           " (SELECT count(*) FROM report WHERE trig_start IS NULL"
                           "  AND place_start IS NULL)", -1, &q, NULL);
    CHECK(sqlite3_step(q) == SQLITE_ROW);
    CHECK_INT_EQ(sqlite3_column_int(q, 0), STO_SCHEMA_VERSION);
    CHECK_INT_EQ(sqlite3_column_int(q, 1), 2);
    sqlite3_finalize(q);
    sqlite3_close(db);

    /* a new report beside the old ones keeps its offsets */
    st = sto_open(path, STO_OPEN_EXISTING, &err);
    CHECK(st != NULL);
    if (!st)
        return;
    ext_incident c = mkspans("geonames:1", "Le village de Tegh a encore été pilonné vendredi.",
                             "pilonné", "Tegh");
    rd_doc dc = mkdoc("c.txt", "text of c");
    CHECK_INT_EQ(sto_add_doc(st, &dc, &c, 1, &err), STO_DOC_NEW);
    CHECK_INT_EQ(sto_export(st, NULL, collect, &got, NULL, &err), 0);
    CHECK_INT_EQ(got.n, 2); /* c joins a's incident */
    const ext_source *sc = source_of(&got, "c.txt");
    sa = source_of(&got, "a.txt");
    CHECK(sc && sc->trig_span.start == c.trig_span.start && sc->trig_span.end == c.trig_span.end);
    CHECK(sa && sa->trig_span.start == EXT_SPAN_UNKNOWN);
    bag_free(&got);
    CHECK_INT_EQ(sto_check(st, &err), 0);
    sto_close(st);
    view_offsets(path, "c.txt", off);
    CHECK_INT_EQ(off[0], 32); /* "Le village de Tegh a encore été " */
    CHECK_INT_EQ(off[1], 39);
    view_offsets(path, "a.txt", off);
    CHECK_INT_EQ(off[0], -9);
    CHECK_INT_EQ(off[2], -9);
    ext_incident_clear(&a);
    ext_incident_clear(&b);
    ext_incident_clear(&c);
}

int main(void)
{
    snprintf(dir, sizeof dir, "%s/test_store.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    test_documents();
    test_open_errors();
    test_locked();
    test_incremental();
    test_write_difference();
    test_migrate_v1();
    test_spans_v3();
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (check_failures_ == 0 && system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    CHECK_DONE();
}
