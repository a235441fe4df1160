/* bench_merge.c -- time mrg_merge on synthetic reports.
 *
 * usage: bench_merge [N_REPORTS [MAX_SECONDS]]   (default 100000, no limit)
 *
 * Reports are generated from about N/4 synthetic events over three years
 * and N/50 places spread over a 3-degree band of latitude whose width grows
 * with N (4 degrees of longitude per 100,000 reports, so the density of
 * reports stays that of 100,000 in the Caucasus), each event reported by 1 to 7
 * documents; 10% of reports give only the month, 3% only the year, 30% are
 * "near" the place (geo_prec 2) and 10% a region centroid (geo_prec 3). The
 * generator is a fixed LCG, so runs are comparable. Prints two lines:
 *   merged N reports into M incidents (C components) in S s (CPU s)
 *   sweep: N reports in date order into M incidents in S s (CPU s), ...
 * the second for the streaming merge of a temporary store (mrg_sweep, each
 * component it hands out merged alone; sorting not counted), which must
 * give as many incidents. Exits 1 when MAX_SECONDS is given and the CPU
 * time of mrg_merge exceeds it (CPU time, so a loaded machine does not fail
 * the bar), or when the two merges disagree. */
#include "merge.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static unsigned long long state = 0x853c49e6748fea9bull;

static unsigned rnd(unsigned n)
{
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return (unsigned)((state >> 33) % n);
}

static const ext_incident *sort_base;
static int cmp_sweep(const void *pa, const void *pb)
{
    size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
    int c = mrg_sweep_cmp(&sort_base[a], &sort_base[b]);
    return c ? c : (a > b) - (a < b);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    char *end = NULL;
    long n = argc > 1 ? strtol(argv[1], &end, 10) : 100000;
    if (argc > 1 && (*end || n <= 0)) {
        fprintf(stderr, "usage: bench_merge [N_REPORTS [MAX_SECONDS]]\n");
        return 2;
    }
    double max_s = argc > 2 ? strtod(argv[2], &end) : 0;
    if (argc > 2 && (*end || max_s <= 0)) {
        fprintf(stderr, "bench_merge: bad MAX_SECONDS '%s'\n", argv[2]);
        return 2;
    }
    unsigned nplaces = n / 50 > 10 ? (unsigned)(n / 50) : 10;
    double width = 4.0 * (double)n / 100000.0;
    double *plon = malloc(nplaces * sizeof *plon), *plat = malloc(nplaces * sizeof *plat);
    ext_incident *v = calloc((size_t)n, sizeof *v);
    if (!v || !plon || !plat)
        return 6;
    for (unsigned p = 0; p < nplaces; p++) {
        plon[p] = 44.0 + width * rnd(1000000) / 1000000.0;
        plat[p] = 38.5 + rnd(300000) / 100000.0;
    }
    static const char *const actors[] = {"AM", "AZ", ""};
    static const char *const claims[] = {"", "MoD AM", "MoD AZ", "Artsakh"};
    long i = 0;
    for (long ev = 0; i < n; ev++) {
        unsigned place = rnd(nplaces), type = rnd(3);
        int y = 2020 + (int)rnd(3), m = 1 + (int)rnd(12), d = 1 + (int)rnd(28);
        int copies = 1 + (int)rnd(7);
        for (int c = 0; c < copies && i < n; c++, i++) {
            ext_incident *r = &v[i];
            ext_incident_init(r);
            r->type = (int)type;
            unsigned u = rnd(100);
            if (u < 3) {
                snprintf(r->date, sizeof r->date, "%04d", y);
                r->date_prec = EXT_PREC_YEAR;
            } else if (u < 13) {
                snprintf(r->date, sizeof r->date, "%04d-%02d", y, m);
                r->date_prec = EXT_PREC_MONTH;
            } else {
                snprintf(r->date, sizeof r->date, "%04d-%02d-%02d", y, m, d);
                r->date_prec = EXT_PREC_DAY;
            }
            unsigned g = rnd(10);
            r->geo_prec = g < 6 ? 1 : g < 9 ? 2 : 3;
            snprintf(r->place_id, sizeof r->place_id, "geonames:%u", 100000 + place);
            r->lon = plon[place] + (rnd(100) - 50) / 20000.0;
            r->lat = plat[place] + (rnd(100) - 50) / 20000.0;
            snprintf(r->actor1, sizeof r->actor1, "%s", actors[rnd(3)]);
            snprintf(r->claimed_by, sizeof r->claimed_by, "%s", claims[rnd(4)]);
            r->fatalities = (int)rnd(6) - 1;
            r->confidence = rnd(100) / 100.0;
            r->offset = rnd(20000);
            char doc[32];
            snprintf(doc, sizeof doc, "doc%07ld", ev * 8 + c);
            if (ext_incident_add_doc(r, doc))
                return 6;
            r->evidence = malloc(32);
            if (!r->evidence)
                return 6;
            snprintf(r->evidence, 32, "sentence %ld", i);
        }
    }
    mrg_result res = {0};
    cx_err err = {0};
    double t0 = now();
    clock_t c0 = clock();
    int rc = mrg_merge(v, (size_t)n, NULL, &res, &err);
    double dt = now() - t0, cpu = (double)(clock() - c0) / CLOCKS_PER_SEC;
    if (rc) {
        fprintf(stderr, "bench_merge: %s\n", err.msg);
        return 1;
    }
    printf("merged %ld reports into %zu incidents (%zu components) in %.3f s (CPU %.3f s)\n",
           n, res.n, res.n_components, dt, cpu);

    /* the same reports through the sweep, in date order */
    size_t *ord = malloc((size_t)n * sizeof *ord);
    ext_incident *sub = malloc((size_t)n * sizeof *sub);
    mrg_sweep *sw = mrg_sweep_new(NULL);
    if (!ord || !sub || !sw)
        return 6;
    for (long k = 0; k < n; k++)
        ord[k] = (size_t)k;
    sort_base = v;
    qsort(ord, (size_t)n, sizeof *ord, cmp_sweep);
    size_t n_inc = 0, held = 0, biggest = 0;
    t0 = now();
    c0 = clock();
    for (long k = 0; k <= n; k++) {
        rc = k < n ? mrg_sweep_add(sw, &v[ord[k]], (int64_t)ord[k], &err)
                   : mrg_sweep_finish(sw, &err);
        if (rc) {
            fprintf(stderr, "bench_merge: sweep: %s\n", err.msg);
            return 1;
        }
        if (mrg_sweep_held(sw) > held)
            held = mrg_sweep_held(sw);
        const int64_t *ids;
        size_t m;
        while (mrg_sweep_next(sw, &ids, &m)) {
            for (size_t j = 0; j < m; j++)
                sub[j] = v[ids[j]];
            if (m > biggest)
                biggest = m;
            mrg_result part = {0};
            if (mrg_merge(sub, m, NULL, &part, &err))
                return 1;
            n_inc += part.n;
            mrg_result_free(&part);
        }
    }
    dt = now() - t0;
    double cpu_sweep = (double)(clock() - c0) / CLOCKS_PER_SEC;
    printf("sweep: %ld reports in date order into %zu incidents in %.3f s (CPU %.3f s), "
           "holding at most %zu reports, largest component %zu\n",
           n, n_inc, dt, cpu_sweep, held, biggest);
    mrg_sweep_free(sw);
    free(sub);
    free(ord);
    if (n_inc != res.n) {
        fprintf(stderr, "bench_merge: the sweep gave %zu incidents, mrg_merge %zu\n", n_inc,
                res.n);
        return 1;
    }
    mrg_result_free(&res);
    for (long k = 0; k < n; k++)
        ext_incident_clear(&v[k]);
    free(v);
    free(plon);
    free(plat);
    if (max_s > 0 && cpu > max_s) {
        fprintf(stderr, "bench_merge: CPU %.3f s is over the %.3f s limit\n", cpu, max_s);
        return 1;
    }
    return 0;
}
