/* test_merge.c -- mrg_merge and mrg_compatible: which reports merge, what a
 * merged incident keeps, and that the input order does not matter. */
#include "check.h"
#include "merge.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Goris and a point 1 km east, 30 km east, 200 km east. */
#define GORIS_LON 46.3380
#define GORIS_LAT 39.5074

static ext_incident mk(int type, const char *date, int prec, const char *pid, double lon,
                       double lat, int geo_prec, const char *doc)
{
    ext_incident r;
    ext_incident_init(&r);
    r.type = type;
    snprintf(r.date, sizeof r.date, "%s", date);
    r.date_prec = prec;
    snprintf(r.place_id, sizeof r.place_id, "%s", pid);
    snprintf(r.place, sizeof r.place, "%s", pid);
    r.lon = lon;
    r.lat = lat;
    r.geo_prec = geo_prec;
    r.confidence = 0.5;
    ext_incident_add_doc(&r, doc);
    char ev[64];
    snprintf(ev, sizeof ev, "evidence of %s", doc);
    r.evidence = strdup(ev);
    return r;
}

static void free_all(ext_incident *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        ext_incident_clear(&v[i]);
}

/* Number of incidents the reports merge into. */
static size_t n_merged(const ext_incident *v, size_t n)
{
    mrg_result res = {0};
    cx_err err = {0};
    if (mrg_merge(v, n, NULL, &res, &err) != 0)
        return (size_t)-1;
    size_t k = res.n;
    mrg_result_free(&res);
    return k;
}

static void test_dates(void)
{
    ext_incident v[2];
    /* same day merges */
    v[0] = mk(EXT_SHELLING, "2020-10-04", EXT_PREC_DAY, "geonames:1", GORIS_LON, GORIS_LAT, 1, "a");
    v[1] = mk(EXT_SHELLING, "2020-10-04", EXT_PREC_DAY, "geonames:1", GORIS_LON, GORIS_LAT, 1, "b");
    CHECK(mrg_compatible(&v[0], &v[1], NULL));
    CHECK_INT_EQ(n_merged(v, 2), 1);
    /* different days do not */
    snprintf(v[1].date, sizeof v[1].date, "2020-10-05");
    CHECK(!mrg_compatible(&v[0], &v[1], NULL));
    CHECK_INT_EQ(n_merged(v, 2), 2);
    /* a month-precision report merges with a day inside the month */
    snprintf(v[1].date, sizeof v[1].date, "2020-10");
    v[1].date_prec = EXT_PREC_MONTH;
    CHECK(mrg_compatible(&v[0], &v[1], NULL));
    CHECK_INT_EQ(n_merged(v, 2), 1);
    /* ... but not with a day of another month */
    snprintf(v[1].date, sizeof v[1].date, "2020-11");
    CHECK(!mrg_compatible(&v[0], &v[1], NULL));
    CHECK_INT_EQ(n_merged(v, 2), 2);
    /* day precision with a month string counts as the month */
    snprintf(v[1].date, sizeof v[1].date, "2020-10");
    v[1].date_prec = EXT_PREC_DAY;
    CHECK(mrg_compatible(&v[0], &v[1], NULL));
    /* year precision: a day of that year */
    snprintf(v[1].date, sizeof v[1].date, "2020");
    v[1].date_prec = EXT_PREC_YEAR;
    CHECK(mrg_compatible(&v[0], &v[1], NULL));
    snprintf(v[1].date, sizeof v[1].date, "2021");
    CHECK(!mrg_compatible(&v[0], &v[1], NULL));
    /* a week: the 7 days from its date */
    snprintf(v[1].date, sizeof v[1].date, "2020-09-28");
    v[1].date_prec = EXT_PREC_WEEK;
    CHECK(mrg_compatible(&v[0], &v[1], NULL));
    CHECK_INT_EQ(n_merged(v, 2), 1);
    snprintf(v[1].date, sizeof v[1].date, "2020-09-27");
    CHECK(!mrg_compatible(&v[0], &v[1], NULL));
    CHECK_INT_EQ(n_merged(v, 2), 2);
    /* unknown merges only with unknown */
    v[1].date[0] = '\0';
    v[1].date_prec = EXT_PREC_UNKNOWN;
    CHECK(!mrg_compatible(&v[0], &v[1], NULL));
    CHECK_INT_EQ(n_merged(v, 2), 2);
    v[0].date[0] = '\0';
    v[0].date_prec = EXT_PREC_UNKNOWN;
    CHECK(mrg_compatible(&v[0], &v[1], NULL));
    CHECK_INT_EQ(n_merged(v, 2), 1);
    /* a malformed date is unknown */
    snprintf(v[1].date, sizeof v[1].date, "2020-02-30");
    v[1].date_prec = EXT_PREC_DAY;
    long lo, hi;
    CHECK(!mrg_date_span(&v[1], &lo, &hi));
    snprintf(v[1].date, sizeof v[1].date, "2020-02-29");
    CHECK(mrg_date_span(&v[1], &lo, &hi));
    CHECK_INT_EQ(lo, 18321);
    CHECK_INT_EQ(hi, 18321);
    free_all(v, 2);
}

static void test_types_places(void)
{
    ext_incident v[2];
    v[0] = mk(EXT_SHELLING, "2020-10-04", EXT_PREC_DAY, "geonames:1", GORIS_LON, GORIS_LAT, 1, "a");
    v[1] = mk(EXT_CLASH, "2020-10-04", EXT_PREC_DAY, "geonames:1", GORIS_LON, GORIS_LAT, 1, "b");
    CHECK(!mrg_compatible(&v[0], &v[1], NULL));
    CHECK_INT_EQ(n_merged(v, 2), 2);
    /* another place 1 km away, precision 1: within 2 km */
    v[1].type = EXT_SHELLING;
    snprintf(v[1].place_id, sizeof v[1].place_id, "geonames:2");
    v[1].lon = GORIS_LON + 0.0117; /* ~1.0 km at this latitude */
    CHECK(mrg_distance_km(v[0].lon, v[0].lat, v[1].lon, v[1].lat) < 1.1);
    CHECK(mrg_compatible(&v[0], &v[1], NULL));
    CHECK_INT_EQ(n_merged(v, 2), 1);
    /* 30 km away: not at geo_prec 1 */
    v[1].lon = GORIS_LON + 0.35;
    double d = mrg_distance_km(v[0].lon, v[0].lat, v[1].lon, v[1].lat);
    CHECK(d > 25 && d < 35);
    CHECK(!mrg_compatible(&v[0], &v[1], NULL));
    CHECK_INT_EQ(n_merged(v, 2), 2);
    /* a region centroid (geo_prec 3) is another incident than a named place,
     * unless it is the same place; two region reports merge within 50 km */
    v[1].geo_prec = 3;
    CHECK(!mrg_compatible(&v[0], &v[1], NULL));
    CHECK_INT_EQ(n_merged(v, 2), 2);
    v[0].geo_prec = 3;
    CHECK(mrg_compatible(&v[0], &v[1], NULL));
    CHECK_INT_EQ(n_merged(v, 2), 1);
    v[0].geo_prec = 1;
    v[1].geo_prec = 2;
    CHECK(!mrg_compatible(&v[0], &v[1], NULL)); /* 30 km > 10 km */
    /* two named places close together are two places (Sotk and Kut) */
    v[1].geo_prec = 1;
    v[1].lon = GORIS_LON + 0.005;
    snprintf(v[0].place_name, sizeof v[0].place_name, "Sotk");
    snprintf(v[1].place_name, sizeof v[1].place_name, "Kut");
    snprintf(v[0].place, sizeof v[0].place, "Sotk");
    snprintf(v[1].place, sizeof v[1].place, "Kut");
    CHECK(!mrg_compatible(&v[0], &v[1], NULL));
    snprintf(v[1].place_name, sizeof v[1].place_name, "SOTK"); /* one place, two entries */
    CHECK(mrg_compatible(&v[0], &v[1], NULL));
    v[0].place_name[0] = v[1].place_name[0] = '\0';
    snprintf(v[1].place, sizeof v[1].place, "%s", v[0].place);
    v[1].lon = GORIS_LON + 0.35;
    v[1].geo_prec = 3;
    /* far places never merge */
    v[1].lon = GORIS_LON + 2.5;
    CHECK(!mrg_compatible(&v[0], &v[1], NULL));
    CHECK_INT_EQ(n_merged(v, 2), 2);
    /* the same place_id merges whatever the coordinates say */
    snprintf(v[1].place_id, sizeof v[1].place_id, "geonames:1");
    CHECK(mrg_compatible(&v[0], &v[1], NULL));
    CHECK_INT_EQ(n_merged(v, 2), 1);
    /* thresholds are options */
    mrg_options o;
    mrg_options_init(&o);
    CHECK(mrg_radius_km(&o, 1, 1) == 2.0 && mrg_radius_km(&o, 2, 1) == 10.0 &&
          mrg_radius_km(NULL, 1, 3) == 50.0 && mrg_radius_km(NULL, 0, 1) == 50.0);
    snprintf(v[1].place_id, sizeof v[1].place_id, "geonames:2");
    v[1].lon = GORIS_LON + 0.0117;
    v[1].geo_prec = 1;
    o.km_prec1 = 0.5;
    CHECK(!mrg_compatible(&v[0], &v[1], &o));
    /* a bad threshold is an error with a message */
    o.km_prec2 = -1;
    mrg_result res = {0};
    cx_err err = {0};
    CHECK_INT_EQ(mrg_merge(v, 2, &o, &res, &err), CX_EINVAL);
    CHECK_STR_EQ(err.msg, "merge distance thresholds must be >= 0");
    CHECK_INT_EQ(res.n, 0);
    /* an unresolved place (geo_prec 0) merges only by place_id */
    v[0].geo_prec = v[1].geo_prec = 0;
    v[1].lon = v[0].lon;
    CHECK(!mrg_compatible(&v[0], &v[1], NULL));
    /* two villages the gazetteer lacks, pinned at their district's point
     * (geo_prec 3, "the villages of X and Y were captured"), stay two; the
     * same one reported twice is one */
    v[0].geo_prec = v[1].geo_prec = 3;
    snprintf(v[0].place_id, sizeof v[0].place_id, "unplaced:chaylu");
    snprintf(v[1].place_id, sizeof v[1].place_id, "unplaced:guzluk");
    CHECK(!mrg_compatible(&v[0], &v[1], NULL));
    CHECK_INT_EQ(n_merged(v, 2), 2);
    snprintf(v[1].place_id, sizeof v[1].place_id, "unplaced:chaylu");
    CHECK(mrg_compatible(&v[0], &v[1], NULL));
    CHECK_INT_EQ(n_merged(v, 2), 1);
    free_all(v, 2);
}

static void test_fields(void)
{
    ext_incident v[3];
    v[0] = mk(EXT_SHELLING, "2020-10", EXT_PREC_MONTH, "geonames:9", GORIS_LON, GORIS_LAT, 2, "doc-c");
    v[1] = mk(EXT_SHELLING, "2020-10-04", EXT_PREC_DAY, "geonames:1", GORIS_LON + 0.01,
              GORIS_LAT, 1, "doc-b");
    v[2] = mk(EXT_SHELLING, "2020-10-04", EXT_PREC_DAY, "geonames:1", GORIS_LON + 0.01,
              GORIS_LAT, 1, "doc-a");
    snprintf(v[0].actor1, sizeof v[0].actor1, "AZ");
    snprintf(v[1].actor1, sizeof v[1].actor1, "AM");
    snprintf(v[0].claimed_by, sizeof v[0].claimed_by, "Armenian MoD");
    snprintf(v[1].claimed_by, sizeof v[1].claimed_by, "Azerbaijani MoD; Armenian MoD");
    snprintf(v[2].claimed_by, sizeof v[2].claimed_by, "Artsakh ombudsman");
    v[0].fatalities = 3;
    v[1].fatalities = 1;
    v[2].fatalities = 5;
    v[2].injured = 4;
    v[0].injured = 2; /* two reports of the wounded: a range, like fatalities */
    v[1].confidence = 0.9;
    mrg_result res = {0};
    cx_err err = {0};
    CHECK_INT_EQ(mrg_merge(v, 3, NULL, &res, &err), 0);
    CHECK_INT_EQ(res.n, 1);
    CHECK_INT_EQ(res.n_components, 1);
    const ext_incident *m = &res.items[0];
    CHECK_INT_EQ(m->n_sources, 3);
    CHECK_INT_EQ(m->n_doc_ids, 3);
    CHECK_STR_EQ(m->doc_ids[0], "doc-a");
    CHECK_STR_EQ(m->doc_ids[2], "doc-c");
    CHECK_STR_EQ(m->claimed_by, "Armenian MoD; Artsakh ombudsman; Azerbaijani MoD");
    CHECK(m->contested);
    CHECK_INT_EQ(m->fatalities, 1);
    CHECK_INT_EQ(m->fatalities_max, 5);
    CHECK_INT_EQ(m->injured, 2);
    CHECK_INT_EQ(m->injured_max, 4);
    CHECK_STR_EQ(m->date, "2020-10-04"); /* day over month */
    CHECK_INT_EQ(m->date_prec, EXT_PREC_DAY);
    CHECK_STR_EQ(m->place_id, "geonames:1"); /* geo_prec 1 over 2 */
    CHECK_INT_EQ(m->geo_prec, 1);
    /* evidence: most precise, then the most confident */
    CHECK_STR_EQ(m->evidence, "evidence of doc-b");
    CHECK_STR_EQ(m->actor1, "AM");
    CHECK(fabs(m->confidence - 0.9) < 1e-12);
    for (int i = 0; i < 3; i++)
        CHECK_INT_EQ(res.of_input[i], 0);
    mrg_result_free(&res);
    /* equal confidence: the earliest document gives the evidence; same actor
     * is not contested */
    v[1].confidence = 0.5;
    snprintf(v[0].actor1, sizeof v[0].actor1, "AM");
    CHECK_INT_EQ(mrg_merge(v, 3, NULL, &res, &err), 0);
    CHECK_STR_EQ(res.items[0].evidence, "evidence of doc-a");
    CHECK(!res.items[0].contested);
    mrg_result_free(&res);
    /* all fatalities unknown stays unknown */
    v[0].fatalities = v[1].fatalities = v[2].fatalities = -1;
    CHECK_INT_EQ(mrg_merge(v, 3, NULL, &res, &err), 0);
    CHECK_INT_EQ(res.items[0].fatalities, -1);
    CHECK_INT_EQ(res.items[0].fatalities_max, -1);
    mrg_result_free(&res);
    free_all(v, 3);
}

/* A vague report does not chain two different days into one incident. */
static void test_no_chaining(void)
{
    ext_incident v[3];
    v[0] = mk(EXT_SHELLING, "2020-10-04", EXT_PREC_DAY, "geonames:1", GORIS_LON, GORIS_LAT, 1, "a");
    v[1] = mk(EXT_SHELLING, "2020-10", EXT_PREC_MONTH, "geonames:1", GORIS_LON, GORIS_LAT, 1, "b");
    v[2] = mk(EXT_SHELLING, "2020-10-09", EXT_PREC_DAY, "geonames:1", GORIS_LON, GORIS_LAT, 1, "c");
    mrg_result res = {0};
    CHECK_INT_EQ(mrg_merge(v, 3, NULL, &res, NULL), 0);
    CHECK_INT_EQ(res.n, 2);
    CHECK_INT_EQ(res.n_components, 1);
    CHECK_STR_EQ(res.items[0].date, "2020-10-04"); /* canonical order: by date */
    CHECK_INT_EQ(res.items[0].n_sources, 2);       /* the month report joins the first day */
    CHECK_INT_EQ(res.items[1].n_sources, 1);
    CHECK_INT_EQ(res.of_input[2], 1);
    mrg_result_free(&res);
    /* chains of nearby places do not merge beyond the anchor's radius */
    free_all(v, 3);
    for (int i = 0; i < 3; i++) {
        char doc[24];
        snprintf(doc, sizeof doc, "d%d", i);
        v[i] = mk(EXT_CLASH, "2021-05-12", EXT_PREC_DAY, "", GORIS_LON + 0.02 * i, GORIS_LAT, 1,
                  doc); /* 1.7 km apart */
    }
    CHECK_INT_EQ(mrg_merge(v, 3, NULL, &res, NULL), 0);
    CHECK_INT_EQ(res.n, 2);
    mrg_result_free(&res);
    free_all(v, 3);
}

/* Compare two results field by field through the canonical order. */
static int same_result(const mrg_result *a, const mrg_result *b)
{
    if (a->n != b->n)
        return 0;
    for (size_t i = 0; i < a->n; i++)
        if (mrg_cmp(&a->items[i], &b->items[i]) != 0)
            return 0;
    return 1;
}

static int cmp_incident(const void *a, const void *b) { return mrg_cmp(a, b); }

static unsigned long rng_state = 12345;
static unsigned rnd(unsigned n)
{
    rng_state = rng_state * 6364136223846793005ul + 1442695040888963407ul;
    return (unsigned)((rng_state >> 33) % n);
}

static void test_order_independence(void)
{
    enum { N = 400 };
    ext_incident *v = calloc(N, sizeof *v);
    static const char *const claims[] = {"", "MoD AM", "MoD AZ", "MoD AM; MoD AZ"};
    for (size_t i = 0; i < N; i++) {
        char date[16], doc[16], pid[24];
        int prec = rnd(10) == 0 ? EXT_PREC_MONTH : rnd(20) == 0 ? EXT_PREC_WEEK : EXT_PREC_DAY;
        if (prec == EXT_PREC_MONTH)
            snprintf(date, sizeof date, "2020-%02u", 9 + rnd(2));
        else
            snprintf(date, sizeof date, "2020-%02u-%02u", 9 + rnd(2), 1 + rnd(5));
        snprintf(doc, sizeof doc, "doc%03u", rnd(60));
        unsigned place = rnd(6);
        snprintf(pid, sizeof pid, "geonames:%u", place);
        v[i] = mk((int)rnd(2), date, prec, pid, GORIS_LON + 0.01 * place + 0.001 * rnd(3),
                  GORIS_LAT, 1 + (int)rnd(3), doc);
        v[i].offset = rnd(1000);
        v[i].fatalities = (int)rnd(5) - 1;
        v[i].confidence = 0.1 * rnd(10);
        snprintf(v[i].claimed_by, sizeof v[i].claimed_by, "%s", claims[rnd(4)]);
        snprintf(v[i].actor1, sizeof v[i].actor1, "%s", rnd(3) ? "AZ" : "AM");
    }
    mrg_result ref = {0}, res = {0};
    CHECK_INT_EQ(mrg_merge(v, N, NULL, &ref, NULL), 0);
    CHECK(ref.n > 10 && ref.n < N);
    /* every input is in an incident that lists its document */
    int ok = 1;
    for (size_t i = 0; i < N; i++) {
        const ext_incident *m = &ref.items[ref.of_input[i]];
        int found = 0;
        for (size_t j = 0; j < m->n_doc_ids; j++)
            found |= strcmp(m->doc_ids[j], v[i].doc_ids[0]) == 0;
        ok &= found && m->type == v[i].type;
    }
    CHECK(ok);
    /* canonical order: sorted by mrg_cmp */
    for (size_t i = 1; i < ref.n; i++)
        CHECK(mrg_cmp(&ref.items[i - 1], &ref.items[i]) <= 0);
    for (int round = 0; round < 5; round++) {
        for (size_t i = N - 1; i > 0; i--) {
            size_t j = rnd((unsigned)i + 1);
            ext_incident t = v[i];
            v[i] = v[j];
            v[j] = t;
        }
        CHECK_INT_EQ(mrg_merge(v, N, NULL, &res, NULL), 0);
        CHECK(same_result(&ref, &res));
        mrg_result_free(&res);
    }
    /* merging per component, then merging again what came out of a subset
     * union, gives the same as one pass: split the input in halves merged
     * into one set of reports is what the store does; here check the empty
     * and single cases */
    CHECK_INT_EQ(mrg_merge(v, 0, NULL, &res, NULL), 0);
    CHECK_INT_EQ(res.n, 0);
    CHECK_INT_EQ(mrg_merge(v, 1, NULL, &res, NULL), 0);
    CHECK_INT_EQ(res.n, 1);
    CHECK_INT_EQ(res.items[0].n_sources, 1);
    mrg_result_free(&res);
    mrg_result_free(&ref);
    free_all(v, N);
    free(v);
}

static void test_sort_key(void)
{
    ext_incident a = mk(EXT_CLASH, "2021-05", EXT_PREC_MONTH, "geonames:7", 45.5, 40.25, 2, "x");
    char key[512];
    mrg_sort_key(&a, key, sizeof key);
    CHECK(strncmp(key, "2021-05-01|2|1|geonames:7|", 26) == 0);
    a.date[0] = '\0';
    mrg_sort_key(&a, key, sizeof key);
    CHECK(strncmp(key, "9999-99-99|", 11) == 0);
    ext_incident_clear(&a);
}

/* A pool folds repeated reports (a wire story reprinted under many doc ids)
 * and mrg_merge of its items is exactly mrg_merge of every report. */
static void test_pool(void)
{
    enum { NB = 120, N = 900 };
    ext_incident *base = calloc(NB, sizeof *base), *v = calloc(N, sizeof *v);
    static const char *const claims[] = {"", "MoD AM", "MoD AZ"};
    for (size_t i = 0; i < NB; i++) {
        char date[16], pid[24];
        int prec = rnd(8) == 0 ? EXT_PREC_MONTH : EXT_PREC_DAY;
        if (prec == EXT_PREC_MONTH)
            snprintf(date, sizeof date, "2020-%02u", 9 + rnd(2));
        else
            snprintf(date, sizeof date, "2020-%02u-%02u", 9 + rnd(2), 1 + rnd(4));
        unsigned place = rnd(5);
        snprintf(pid, sizeof pid, "geonames:%u", place);
        base[i] = mk((int)rnd(2), date, prec, pid, GORIS_LON + 0.01 * place, GORIS_LAT,
                     1 + (int)rnd(3), "x");
        base[i].offset = rnd(500);
        base[i].fatalities = (int)rnd(4) - 1;
        base[i].confidence = 0.1 * rnd(10);
        snprintf(base[i].claimed_by, sizeof base[i].claimed_by, "%s", claims[rnd(3)]);
        snprintf(base[i].actor1, sizeof base[i].actor1, "%s", rnd(3) ? "AZ" : "AM");
    }
    mrg_pool pool = {0};
    for (size_t i = 0; i < N; i++) {
        char doc[16];
        snprintf(doc, sizeof doc, "doc%03u", rnd(400)); /* ids repeat too */
        ext_incident_init(&v[i]);
        CHECK_INT_EQ(ext_incident_copy(&v[i], &base[rnd(NB)]), 0);
        free(v[i].doc_ids[0]);
        v[i].doc_ids[0] = strdup(doc);
        ext_incident c;
        ext_incident_init(&c);
        CHECK_INT_EQ(ext_incident_copy(&c, &v[i]), 0);
        CHECK_INT_EQ(mrg_pool_add(&pool, &c), 0);
        CHECK(c.n_doc_ids == 0 && c.evidence == NULL);
    }
    CHECK_INT_EQ(pool.n_added, N);
    CHECK(pool.n <= NB && pool.n > NB / 2);
    for (size_t i = 0; i < pool.n; i++)
        for (size_t j = 1; j < pool.items[i].n_doc_ids; j++)
            CHECK(strcmp(pool.items[i].doc_ids[0], pool.items[i].doc_ids[j]) <= 0);
    mrg_result ref = {0}, res = {0};
    CHECK_INT_EQ(mrg_merge(v, N, NULL, &ref, NULL), 0);
    CHECK_INT_EQ(mrg_merge(pool.items, pool.n, NULL, &res, NULL), 0);
    CHECK(ref.n > 10);
    CHECK(same_result(&ref, &res));
    mrg_result_free(&res);
    mrg_result_free(&ref);
    mrg_pool_free(&pool);
    mrg_pool_free(NULL);
    free_all(v, N);
    free_all(base, NB);
    free(v);
    free(base);
}

/* Reports sorted for the sweep; ties kept in input order. */
static const ext_incident *sweep_base;
static int cmp_sweep_idx(const void *pa, const void *pb)
{
    size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
    int c = mrg_sweep_cmp(&sweep_base[a], &sweep_base[b]);
    return c ? c : (a > b) - (a < b);
}

/* A random report over six years: every date precision, unknown dates,
 * places with and without place_id, region-level points. */
static double place_spacing = 0.3; /* degrees of longitude between places */
static ext_incident random_report(size_t i)
{
    char date[16] = "", doc[24], pid[24] = "";
    int prec;
    unsigned y = 2018 + rnd(6), m = 1 + rnd(12), d = 1 + rnd(28), k = rnd(100);
    if (k < 3) {
        prec = EXT_PREC_UNKNOWN;
    } else if (k < 8) {
        prec = EXT_PREC_YEAR;
        snprintf(date, sizeof date, "%u", y);
    } else if (k < 20) {
        prec = EXT_PREC_MONTH;
        snprintf(date, sizeof date, "%u-%02u", y, m);
    } else {
        prec = k < 26 ? EXT_PREC_WEEK : EXT_PREC_DAY;
        snprintf(date, sizeof date, "%u-%02u-%02u", y, m, d);
    }
    unsigned place = rnd(40);
    if (place < 36)
        snprintf(pid, sizeof pid, "geonames:%u", place);
    snprintf(doc, sizeof doc, "d%05zu", i);
    ext_incident r = mk((int)rnd(3), date, prec, pid, GORIS_LON + place_spacing * place + 0.001 * rnd(3),
                        GORIS_LAT + 0.01 * rnd(2), 1 + (int)rnd(3), doc);
    if (!pid[0])
        snprintf(r.place, sizeof r.place, "place %u", rnd(3));
    r.offset = rnd(1000);
    r.confidence = 0.1 * rnd(10);
    /* issue 18: a publication year (keeps undated reports of different
     * years apart) and a source whose text may repeat another's */
    unsigned py = rnd(4);
    if (py)
        snprintf(r.published, sizeof r.published, "%u-06-01", 2019 + py);
    ext_incident_add_source(&r, doc, "https://example.org/x", "example.org", r.published,
                            r.evidence, "", 1 + rnd(50));
    return r;
}

/* The sweep hands out components whose merges make exactly mrg_merge of
 * everything: places `spacing` degrees apart (0.3: many small components;
 * 0.02: a few large ones, region-level reports linking neighbours). */
static void sweep_vs_merge(double spacing, size_t min_comps)
{
    enum { N = 12000 };
    place_spacing = spacing;
    ext_incident *v = calloc(N, sizeof *v);
    size_t *ord = malloc(N * sizeof *ord);
    for (size_t i = 0; i < N; i++) {
        v[i] = random_report(i);
        ord[i] = i;
    }
    sweep_base = v;
    qsort(ord, N, sizeof *ord, cmp_sweep_idx);
    mrg_result ref = {0};
    CHECK_INT_EQ(mrg_merge(v, N, NULL, &ref, NULL), 0);

    mrg_sweep *s = mrg_sweep_new(NULL);
    CHECK(s != NULL);
    ext_incident *all = calloc(ref.n + 1, sizeof *all);
    ext_incident *sub = calloc(N, sizeof *sub);
    size_t n_all = 0, n_comps = 0, max_held = 0, seen = 0;
    int ok = 1, part_ok = 1;
    for (size_t k = 0; k <= N && ok; k++) {
        cx_err err = {0};
        if (k < N) {
            CHECK_INT_EQ(mrg_sweep_add(s, &v[ord[k]], (int64_t)ord[k], &err), 0);
        } else {
            CHECK_INT_EQ(mrg_sweep_finish(s, &err), 0);
        }
        if (mrg_sweep_held(s) > max_held)
            max_held = mrg_sweep_held(s);
        const int64_t *ids;
        size_t n;
        while (mrg_sweep_next(s, &ids, &n)) {
            /* one of mrg_merge's components, whole */
            size_t c = ref.component[ids[0]], in_c = 0;
            for (size_t j = 0; j < n; j++) {
                sub[j] = v[ids[j]];
                part_ok &= ref.component[ids[j]] == c;
            }
            for (size_t j = 0; j < N; j++)
                in_c += ref.component[j] == c;
            part_ok &= in_c == n;
            seen += n;
            n_comps++;
            mrg_result res = {0};
            if (mrg_merge(sub, n, NULL, &res, NULL) != 0 || n_all + res.n > ref.n) {
                ok = 0;
                mrg_result_free(&res);
                break;
            }
            for (size_t j = 0; j < res.n; j++) {
                all[n_all++] = res.items[j];
                ext_incident_init(&res.items[j]);
            }
            mrg_result_free(&res);
        }
    }
    CHECK(ok && part_ok);
    CHECK_INT_EQ(seen, N);
    CHECK_INT_EQ(n_comps, ref.n_components);
    CHECK_INT_EQ(n_all, ref.n);
    qsort(all, n_all, sizeof *all, cmp_incident);
    int same = n_all == ref.n;
    for (size_t i = 0; same && i < n_all; i++)
        same = mrg_cmp(&all[i], &ref.items[i]) == 0;
    CHECK(same);
    CHECK(n_comps >= min_comps);
    CHECK_INT_EQ(mrg_sweep_held(s), 0);
    mrg_sweep_free(s);
    for (size_t i = 0; i < n_all; i++)
        ext_incident_clear(&all[i]);
    free(all);
    free(sub);
    mrg_result_free(&ref);
    free_all(v, N);
    free(v);
    free(ord);
}

/* The sweep holds the open components only, and refuses disorder. */
static void test_sweep(void)
{
    sweep_vs_merge(0.3, 1000);
    sweep_vs_merge(0.02, 10);
    mrg_sweep *s;
    size_t max_held;

    /* a feed of day and month reports over 3,000 days: the sweep holds a
     * month or so, whatever the length of the feed */
    s = mrg_sweep_new(NULL);
    max_held = 0;
    int64_t id = 0;
    for (long day = 0; day < 3000; day++) {
        char date[64];
        long yy = 2015 + day / 336, mm = 1 + (day % 336) / 28, dd = 1 + day % 28;
        cx_err e = {0};
        if (dd == 1) {
            snprintf(date, sizeof date, "%04ld-%02ld", yy, mm);
            ext_incident r = mk(EXT_SHELLING, date, EXT_PREC_MONTH, "geonames:1", GORIS_LON,
                                GORIS_LAT, 1, "m");
            CHECK_INT_EQ(mrg_sweep_add(s, &r, id++, &e), 0);
            ext_incident_clear(&r);
        }
        snprintf(date, sizeof date, "%04ld-%02ld-%02ld", yy, mm, dd);
        for (unsigned j = 0; j < 3; j++) {
            char pid[24];
            snprintf(pid, sizeof pid, "geonames:%u", 1 + rnd(5));
            ext_incident r = mk(EXT_SHELLING, date, EXT_PREC_DAY, pid, GORIS_LON, GORIS_LAT, 1,
                                "d");
            CHECK_INT_EQ(mrg_sweep_add(s, &r, id++, &e), 0);
            ext_incident_clear(&r);
        }
        if (mrg_sweep_held(s) > max_held)
            max_held = mrg_sweep_held(s);
        const int64_t *ids;
        size_t n;
        while (mrg_sweep_next(s, &ids, &n))
            ;
    }
    CHECK(max_held > 30 && max_held < 200);
    mrg_sweep_free(s);

    /* out of order: refused, nothing added */
    s = mrg_sweep_new(NULL);
    cx_err err = {0};
    ext_incident a = mk(EXT_SHELLING, "2021-05-02", EXT_PREC_DAY, "geonames:1", GORIS_LON,
                        GORIS_LAT, 1, "a");
    ext_incident b = mk(EXT_SHELLING, "2021-05-01", EXT_PREC_DAY, "geonames:1", GORIS_LON,
                        GORIS_LAT, 1, "b");
    ext_incident m = mk(EXT_SHELLING, "2021-05", EXT_PREC_MONTH, "geonames:1", GORIS_LON,
                        GORIS_LAT, 1, "m");
    ext_incident u = mk(EXT_SHELLING, "", EXT_PREC_UNKNOWN, "geonames:1", GORIS_LON, GORIS_LAT,
                        1, "u");
    CHECK_INT_EQ(mrg_sweep_add(s, &m, 1, &err), 0);
    CHECK_INT_EQ(mrg_sweep_add(s, &a, 2, &err), 0);
    CHECK_INT_EQ(mrg_sweep_add(s, &b, 3, &err), CX_EINVAL);
    CHECK(strstr(err.msg, "out of date order") != NULL);
    CHECK_INT_EQ(mrg_sweep_add(s, &u, 4, &err), 0);
    CHECK_INT_EQ(mrg_sweep_add(s, &a, 5, &err), CX_EINVAL);
    CHECK(mrg_sweep_cmp(&m, &a) < 0 && mrg_sweep_cmp(&b, &m) > 0 && mrg_sweep_cmp(&u, &a) > 0);
    CHECK_INT_EQ(mrg_sweep_finish(s, &err), 0);
    const int64_t *ids;
    size_t n, comps = 0, total = 0;
    while (mrg_sweep_next(s, &ids, &n))
        comps++, total += n;
    CHECK_INT_EQ(comps, 2); /* month + day; unknown */
    CHECK_INT_EQ(total, 3);
    mrg_sweep_free(s);
    mrg_sweep_free(NULL);
    CHECK(mrg_sweep_new(&(mrg_options){-1, 10, 50}) == NULL);
    ext_incident_clear(&a);
    ext_incident_clear(&b);
    ext_incident_clear(&m);
    ext_incident_clear(&u);
}

/* Issue 18: publication years, sources, reprints, stable ids, evidence. */
static ext_incident with_src(ext_incident r, const char *url, uint64_t fp, const char *pub)
{
    snprintf(r.published, sizeof r.published, "%s", pub);
    ext_incident_add_source(&r, r.doc_ids[0], url, "outlet", pub, r.evidence, "", fp);
    return r;
}

static void test_record(void)
{
    cx_err err = {0};
    /* undated reports: apart when published in different years */
    ext_incident u[3] = {
        with_src(mk(EXT_CLASH, "", EXT_PREC_UNKNOWN, "geonames:1", 46.7, 39.8, 3, "a"), NULL, 1,
                 "2020-10-01"),
        with_src(mk(EXT_CLASH, "", EXT_PREC_UNKNOWN, "geonames:1", 46.7, 39.8, 3, "b"), NULL, 2,
                 "2023-09"),
        with_src(mk(EXT_CLASH, "", EXT_PREC_UNKNOWN, "geonames:1", 46.7, 39.8, 3, "c"), NULL, 3,
                 "2020-11-02"),
    };
    CHECK(!mrg_compatible(&u[0], &u[1], NULL));
    CHECK(mrg_compatible(&u[0], &u[2], NULL));
    CHECK_INT_EQ(n_merged(u, 3), 2);
    u[1].published[0] = '\0'; /* unknown publication: as before */
    CHECK(mrg_compatible(&u[0], &u[1], NULL));
    free_all(u, 3);

    /* a report dated to a year or a month, in an article published more
     * than a year from the other's, recalls a period ("the war of 2020",
     * written in 2022): apart, although its span holds the other's day;
     * in an article of the same time, or both dated to the day, it joins */
    ext_incident y[4] = {
        with_src(mk(EXT_CLASH, "2020-09-28", EXT_PREC_DAY, "geonames:1", 46.7, 39.8, 3, "a"), NULL,
                 1, "2020-09-28"),
        with_src(mk(EXT_CLASH, "2020", EXT_PREC_YEAR, "geonames:1", 46.7, 39.8, 3, "b"), NULL, 2,
                 "2022-09-12"),
        with_src(mk(EXT_CLASH, "2020-09", EXT_PREC_MONTH, "geonames:1", 46.7, 39.8, 3, "c"), NULL, 3,
                 "2020-10-05"),
        with_src(mk(EXT_CLASH, "2020-09-28", EXT_PREC_DAY, "geonames:1", 46.7, 39.8, 3, "d"), NULL,
                 4, "2022-09-12"),
    };
    CHECK(!mrg_compatible(&y[0], &y[1], NULL));
    CHECK(mrg_compatible(&y[0], &y[2], NULL));
    CHECK(mrg_compatible(&y[0], &y[3], NULL));
    CHECK(mrg_compatible(&y[1], &y[3], NULL)); /* one article's time */
    CHECK(!mrg_compatible(&y[2], &y[3], NULL));
    CHECK_INT_EQ(n_merged(y, 2), 2);
    free_all(y, 4);

    /* the year is measured from every member's article, not only the
     * anchor's: a report of "the 2020 war" written in October 2021 joins
     * neither of two reports of one day of 2020 when one of them was
     * published more than a year before it (issue 18: no incident holds
     * reports published more than a year apart) */
    ext_incident w[3] = {
        with_src(mk(EXT_SHELLING, "2020-09-28", EXT_PREC_DAY, "geonames:1", 46.7, 39.8, 3, "a"),
                 NULL, 1, "2020-10-20"),
        with_src(mk(EXT_SHELLING, "2020-09-28", EXT_PREC_DAY, "geonames:1", 46.7, 39.8, 3, "b"),
                 NULL, 2, "2020-10-01"),
        with_src(mk(EXT_SHELLING, "2020", EXT_PREC_YEAR, "geonames:1", 46.7, 39.8, 3, "c"), NULL, 3,
                 "2021-10-10"),
    };
    CHECK(mrg_compatible(&w[0], &w[2], NULL)); /* 355 days: pairwise, it may */
    CHECK(!mrg_compatible(&w[1], &w[2], NULL));
    CHECK_INT_EQ(n_merged(w, 3), 2);
    free_all(w, 3);

    /* sources: one per document, sorted; a reprint counts once */
    ext_incident r[3] = {
        with_src(mk(EXT_SHELLING, "2022-09-13", EXT_PREC_DAY, "geonames:9", 45.4, 39.8, 1, "c"),
                 "https://c.example/1", 7, "2022-09-14"),
        with_src(mk(EXT_SHELLING, "2022-09-13", EXT_PREC_DAY, "geonames:9", 45.4, 39.8, 1, "a"),
                 "https://a.example/1", 7, "2022-09-14"),
        with_src(mk(EXT_SHELLING, "2022-09-13", EXT_PREC_DAY, "geonames:9", 45.4, 39.8, 1, "b"),
                 "https://b.example/1", 9, "2022-09-15"),
    };
    free(r[2].evidence);
    r[2].evidence = strdup("A much longer sentence of document b that says more about it.");
    mrg_result res = {0};
    CHECK_INT_EQ(mrg_merge(r, 3, NULL, &res, &err), 0);
    CHECK_INT_EQ(res.n, 1);
    char id[24] = "";
    if (res.n == 1) {
        const ext_incident *m = &res.items[0];
        CHECK_INT_EQ(m->n_sources, 2);
        CHECK_INT_EQ(m->n_reprints, 1);
        CHECK_INT_EQ(m->n_srcs, 3);
        if (m->n_srcs == 3) {
            CHECK_STR_EQ(m->srcs[0].doc_id, "a");
            CHECK_STR_EQ(m->srcs[0].url, "https://a.example/1");
            CHECK_STR_EQ(m->srcs[1].doc_id, "b");
            CHECK_STR_EQ(m->srcs[1].published, "2022-09-15");
        }
        CHECK_STR_EQ(m->published, "2022-09-14");
        CHECK_INT_EQ((int)strlen(m->incident_id), 16);
        CHECK(strstr(m->evidence, "much longer") != NULL); /* the informative one */
        snprintf(id, sizeof id, "%s", m->incident_id);
    }
    mrg_result_free(&res);
    /* the id does not depend on which reports of the incident are there */
    CHECK_INT_EQ(mrg_merge(r + 1, 1, NULL, &res, &err), 0);
    CHECK(res.n == 1 && strcmp(res.items[0].incident_id, id) == 0);
    mrg_result_free(&res);
    /* another day is another id */
    snprintf(r[0].date, sizeof r[0].date, "2022-09-12");
    CHECK_INT_EQ(mrg_merge(r, 1, NULL, &res, &err), 0);
    CHECK(res.n == 1 && strcmp(res.items[0].incident_id, id) != 0);
    mrg_result_free(&res);
    free_all(r, 3);

    /* the pool keeps each copy's source beside its doc id, the smallest
     * first; 300 copies of one text are one source and 299 reprints */
    mrg_pool pool = {0};
    for (int i = 299; i >= 0; i--) {
        char doc[16], url[48];
        snprintf(doc, sizeof doc, "w%03d", i);
        snprintf(url, sizeof url, "https://outlet%d.example/story", i);
        ext_incident c = with_src(mk(EXT_SHELLING, "2022-09-13", EXT_PREC_DAY, "geonames:9", 45.4,
                                     39.8, 1, doc),
                                  url, 42, "2022-09-14");
        free(c.evidence);
        c.evidence = strdup("The same wire story.");
        CHECK_INT_EQ(mrg_pool_add(&pool, &c), 0);
    }
    CHECK_INT_EQ(pool.n, 1);
    if (pool.n == 1) {
        const ext_incident *p = &pool.items[0];
        CHECK_INT_EQ(p->n_srcs, 300);
        CHECK_STR_EQ(p->doc_ids[0], "w000");
        for (size_t i = 0; i < p->n_srcs && i < p->n_doc_ids; i++)
            if (strcmp(p->srcs[i].doc_id, p->doc_ids[i]) != 0) {
                CHECK_STR_EQ(p->srcs[i].doc_id, p->doc_ids[i]);
                break;
            }
        CHECK_INT_EQ(mrg_merge(pool.items, pool.n, NULL, &res, &err), 0);
        CHECK(res.n == 1 && res.items[0].n_sources == 1 && res.items[0].n_reprints == 299);
        mrg_result_free(&res);
    }
    mrg_pool_free(&pool);
}

/* The doc ids of the incident holding doc `d`, joined ("a,b"), in `buf`. */
static const char *docs_with(const mrg_result *res, const char *d, char *buf, size_t size)
{
    buf[0] = '\0';
    for (size_t k = 0; k < res->n; k++) {
        const ext_incident *m = &res->items[k];
        bool has = false;
        for (size_t i = 0; i < m->n_doc_ids; i++)
            has |= !strcmp(m->doc_ids[i], d);
        if (!has)
            continue;
        for (size_t i = 0; i < m->n_doc_ids; i++) {
            size_t len = strlen(buf);
            snprintf(buf + len, size - len, "%s%s", i ? "," : "", m->doc_ids[i]);
        }
    }
    return buf;
}

/* Splits (mrg_merge_apart): the two sides never share an incident, a side
 * stays one, a report fitting both goes to the side whose first report
 * comes first in the merge order, whatever the input order; the part that
 * left gets its own incident_id. */
static void test_apart(void)
{
    ext_incident v[4];
    char buf[64], id_all[24];
    v[0] = mk(EXT_SHELLING, "2022-09-13", EXT_PREC_DAY, "geonames:9", GORIS_LON, GORIS_LAT, 1, "a");
    v[1] = mk(EXT_SHELLING, "2022-09-13", EXT_PREC_DAY, "geonames:9", GORIS_LON, GORIS_LAT, 1, "b");
    v[2] = mk(EXT_SHELLING, "2022-09-13", EXT_PREC_DAY, "geonames:9", GORIS_LON, GORIS_LAT, 1, "c");
    v[3] = mk(EXT_SHELLING, "2022-09-13", EXT_PREC_DAY, "geonames:9", GORIS_LON, GORIS_LAT, 1, "t");
    v[0].confidence = 0.9;
    v[1].confidence = 0.8;
    v[2].confidence = 0.7;
    v[3].confidence = 0.6;
    mrg_result res = {0};
    CHECK_INT_EQ(mrg_merge(v, 4, NULL, &res, NULL), 0);
    CHECK_INT_EQ(res.n, 1);
    snprintf(id_all, sizeof id_all, "%s", res.items[0].incident_id);
    mrg_result_free(&res);
    /* split 7: a and b stay (side 0), c leaves (side 1); t is new */
    const int64_t stay[1] = {14}, leave[1] = {15};
    mrg_apart ap[4] = {{stay, 1}, {stay, 1}, {leave, 1}, {NULL, 0}};
    CHECK_INT_EQ(mrg_merge_apart(v, ap, 4, NULL, &res, NULL), 0);
    CHECK_INT_EQ(res.n, 2);
    CHECK_INT_EQ(res.n_components, 1);
    CHECK_STR_EQ(docs_with(&res, "a", buf, sizeof buf), "a,b,t");
    CHECK_STR_EQ(docs_with(&res, "c", buf, sizeof buf), "c");
    for (size_t k = 0; k < res.n; k++) /* the part that stayed keeps the id */
        CHECK(strcmp(res.items[k].incident_id, id_all) == 0 ||
              (res.items[k].n_doc_ids == 1 && strlen(res.items[k].incident_id) == 16));
    CHECK(strcmp(res.items[0].incident_id, res.items[1].incident_id) != 0);
    mrg_result_free(&res);
    /* the same in reverse input order */
    ext_incident r[4] = {v[3], v[2], v[1], v[0]};
    mrg_apart rap[4] = {ap[3], ap[2], ap[1], ap[0]};
    CHECK_INT_EQ(mrg_merge_apart(r, rap, 4, NULL, &res, NULL), 0);
    CHECK_INT_EQ(res.n, 2);
    CHECK_STR_EQ(docs_with(&res, "a", buf, sizeof buf), "a,b,t");
    mrg_result_free(&res);
    /* c first in the merge order (most confident): t goes with c */
    v[2].confidence = 0.95;
    CHECK_INT_EQ(mrg_merge_apart(v, ap, 4, NULL, &res, NULL), 0);
    CHECK_INT_EQ(res.n, 2);
    CHECK_STR_EQ(docs_with(&res, "c", buf, sizeof buf), "c,t");
    CHECK_STR_EQ(docs_with(&res, "a", buf, sizeof buf), "a,b");
    mrg_result_free(&res);
    /* no keys: mrg_merge's answer */
    mrg_apart none[4] = {{NULL, 0}, {NULL, 0}, {NULL, 0}, {NULL, 0}};
    CHECK_INT_EQ(mrg_merge_apart(v, none, 4, NULL, &res, NULL), 0);
    CHECK_INT_EQ(res.n, 1);
    mrg_result_free(&res);
    free_all(v, 4);

    /* a side stays one: c and d (1.5 km west and east of a, 3 km apart,
     * each within 2 km of a but not of each other) left a together */
    ext_incident w[3];
    double dlon = 1.5 / (111.32 * cos(GORIS_LAT * 3.14159265358979 / 180.0));
    w[0] = mk(EXT_SHELLING, "2022-09-13", EXT_PREC_DAY, "", GORIS_LON, GORIS_LAT, 1, "a");
    w[1] = mk(EXT_SHELLING, "2022-09-13", EXT_PREC_DAY, "", GORIS_LON - dlon, GORIS_LAT, 1, "c");
    w[2] = mk(EXT_SHELLING, "2022-09-13", EXT_PREC_DAY, "", GORIS_LON + dlon, GORIS_LAT, 1, "d");
    w[0].confidence = 0.9;
    w[1].confidence = 0.8;
    w[2].confidence = 0.7;
    CHECK(!mrg_compatible(&w[1], &w[2], NULL));
    CHECK_INT_EQ(n_merged(w, 3), 1);
    mrg_apart wp[3] = {{stay, 1}, {leave, 1}, {leave, 1}};
    CHECK_INT_EQ(mrg_merge_apart(w, wp, 3, NULL, &res, NULL), 0);
    CHECK_INT_EQ(res.n, 2);
    CHECK_STR_EQ(docs_with(&res, "c", buf, sizeof buf), "c,d");
    mrg_result_free(&res);
    free_all(w, 3);
}

int main(void)
{
    test_record();
    test_dates();
    test_types_places();
    test_fields();
    test_no_chaining();
    test_order_independence();
    test_pool();
    test_sort_key();
    test_sweep();
    test_apart();
    CHECK_DONE();
}
