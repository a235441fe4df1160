/* fuzz_merge.c -- libFuzzer target for the merge: the input is read as a
 * list of reports (6 bytes each: type, date precision and date, place,
 * point, geo_prec), merged three ways that must agree exactly:
 *   1. mrg_merge of the reports as given;
 *   2. mrg_merge of the reports in reverse order (the merge ignores order);
 *   3. an mrg_sweep over the reports in date order, each component it hands
 *      out merged alone (what a scratch store does).
 * Also checks that the sweep's components are mrg_merge's, whole, and that
 * every report is handed out once. Any difference aborts. */
#include "merge.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { REC = 6, MAX_REPORTS = 300 };

/* Report i from 6 bytes. Dates fall in 2019-2021 (so spans nest and
 * cross months and years), places on a small grid of 16 (with and without
 * place_id), points jittered by up to ~40 km. */
static void decode(const uint8_t *b, size_t i, ext_incident *r)
{
    static const int precs[] = {EXT_PREC_DAY, EXT_PREC_DAY, EXT_PREC_DAY, EXT_PREC_WEEK,
                                EXT_PREC_MONTH, EXT_PREC_YEAR, EXT_PREC_UNKNOWN, EXT_PREC_DAY};
    ext_incident_init(r);
    r->type = b[0] % 3;
    r->date_prec = precs[(b[0] >> 2) & 7];
    unsigned y = 2019 + (b[1] % 3), m = 1 + (b[1] >> 2) % 12, d = 1 + b[2] % 31;
    if (r->date_prec == EXT_PREC_YEAR)
        snprintf(r->date, sizeof r->date, "%u", y);
    else if (r->date_prec == EXT_PREC_MONTH)
        snprintf(r->date, sizeof r->date, "%u-%02u", y, m);
    else if (r->date_prec != EXT_PREC_UNKNOWN) /* day 29-31 may not exist: unknown */
        snprintf(r->date, sizeof r->date, "%u-%02u-%02u", y, m, d);
    unsigned place = b[3] & 15;
    if (!(b[3] & 16))
        snprintf(r->place_id, sizeof r->place_id, "geonames:%u", place);
    snprintf(r->place, sizeof r->place, "P%u", (b[3] & 32) ? place : place / 2);
    snprintf(r->place_name, sizeof r->place_name, "Place %u", place);
    r->geo_prec = b[5] % 4; /* 0: unresolved */
    r->lon = 46.0 + 0.1 * (place & 3) + 0.004 * (int8_t)b[4];
    r->lat = 39.5 + 0.1 * (place >> 2) + 0.002 * (int8_t)b[5];
    r->confidence = (b[4] & 7) / 8.0;
    r->offset = i;
    char doc[24];
    snprintf(doc, sizeof doc, "d%03zu", i % 97);
    ext_incident_add_doc(r, doc);
}

static const ext_incident *base;
static int cmp_idx(const void *pa, const void *pb)
{
    size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
    int c = mrg_sweep_cmp(&base[a], &base[b]);
    return c ? c : (a > b) - (a < b);
}

/* Incidents sorted by mrg_cmp, with each sort key formatted once. */
typedef struct keyed {
    char key[512];
    const ext_incident *inc;
} keyed;

static int cmp_keyed(const void *pa, const void *pb)
{
    const keyed *a = pa, *b = pb;
    int c = strcmp(a->key, b->key);
    return c ? c : mrg_cmp(a->inc, b->inc);
}

static void check(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz_merge: %s\n", what);
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t n = size / REC;
    if (n == 0)
        return 0;
    if (n > MAX_REPORTS)
        n = MAX_REPORTS;
    ext_incident *v = calloc(n, sizeof *v), *rev = calloc(n, sizeof *rev);
    ext_incident *sub = calloc(n, sizeof *sub), *all = calloc(n, sizeof *all);
    size_t *ord = malloc(n * sizeof *ord);
    check(v && rev && sub && all && ord, "out of memory");
    for (size_t i = 0; i < n; i++) {
        decode(data + REC * i, i, &v[i]);
        rev[n - 1 - i] = v[i]; /* shallow: only read */
        ord[i] = i;
    }
    mrg_result ref = {0}, back = {0};
    check(mrg_merge(v, n, NULL, &ref, NULL) == 0, "mrg_merge failed");
    check(mrg_merge(rev, n, NULL, &back, NULL) == 0, "mrg_merge (reversed) failed");
    check(ref.n == back.n, "reversed input: another number of incidents");
    for (size_t i = 0; i < ref.n; i++)
        check(mrg_cmp(&ref.items[i], &back.items[i]) == 0, "reversed input: another incident");

    base = v;
    qsort(ord, n, sizeof *ord, cmp_idx);
    mrg_sweep *s = mrg_sweep_new(NULL);
    check(s != NULL, "mrg_sweep_new failed");
    size_t n_all = 0, seen = 0, comps = 0;
    for (size_t k = 0; k <= n; k++) {
        if (k < n)
            check(mrg_sweep_add(s, &v[ord[k]], (int64_t)ord[k], NULL) == 0, "sweep refused");
        else
            check(mrg_sweep_finish(s, NULL) == 0, "sweep finish failed");
        const int64_t *ids;
        size_t m;
        while (mrg_sweep_next(s, &ids, &m)) {
            size_t c = ref.component[ids[0]], in_c = 0;
            for (size_t j = 0; j < m; j++) {
                check(ids[j] >= 0 && (size_t)ids[j] < n, "sweep: bad id");
                check(ref.component[ids[j]] == c, "sweep: a component mrg_merge splits");
                sub[j] = v[ids[j]];
            }
            for (size_t j = 0; j < n; j++)
                in_c += ref.component[j] == c;
            check(in_c == m, "sweep: part of a component");
            seen += m;
            comps++;
            mrg_result res = {0};
            check(mrg_merge(sub, m, NULL, &res, NULL) == 0, "mrg_merge of a component failed");
            check(n_all + res.n <= ref.n, "sweep: more incidents than mrg_merge");
            for (size_t j = 0; j < res.n; j++) {
                all[n_all++] = res.items[j];
                ext_incident_init(&res.items[j]);
            }
            mrg_result_free(&res);
        }
    }
    check(seen == n && comps == ref.n_components, "sweep: reports lost or repeated");
    check(n_all == ref.n, "sweep: another number of incidents");
    keyed *ks = malloc((n_all ? n_all : 1) * sizeof *ks);
    check(ks != NULL, "out of memory");
    for (size_t i = 0; i < n_all; i++) {
        mrg_sort_key(&all[i], ks[i].key, sizeof ks[i].key);
        ks[i].inc = &all[i];
    }
    qsort(ks, n_all, sizeof *ks, cmp_keyed);
    for (size_t i = 0; i < n_all; i++)
        check(mrg_cmp(ks[i].inc, &ref.items[i]) == 0, "sweep: another incident");
    free(ks);

    mrg_sweep_free(s);
    for (size_t i = 0; i < n_all; i++)
        ext_incident_clear(&all[i]);
    for (size_t i = 0; i < n; i++)
        ext_incident_clear(&v[i]);
    mrg_result_free(&ref);
    mrg_result_free(&back);
    free(v);
    free(rev);
    free(sub);
    free(all);
    free(ord);
    return 0;
}
