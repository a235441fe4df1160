/* bench_lookup.c -- lookups and probes per second on a warm gazetteer.
 * usage: bench_lookup GAZETTEER [SECONDS]
 * Cycles through a fixed list of names (hits, misses, transliterations,
 * French exonyms) for SECONDS (default 2) after one warm-up pass. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cx_buf.h"
#include "cx_text.h"
#include "gazetteer.h"

static const char *const names[] = {
    "Martuni", "Vardenis", "Stepanakert", "Khankendi", "Haut-Karabakh", "Latchine",
    "Chouchi", "Gandja", "Erevan", "Bakou", "Moscou", "Tbilissi", "Syounik", "Tavouch",
    "Gegharkounik", "Djebraïl", "Fizouli", "Agdam", "Martakert", "Askeran", "Hadrout",
    "Kapan", "Goris", "Jermuk", "Sotk", "Paris", "London", "Berlin", "Springfield",
    "Alexandria", "Nowhereville", "Lundi", "Selon", "Mardi", "Armenia", "Azerbaïdjan",
    "Kelbadjar", "Tərtər", "Şuşa", "Ստեփանակերտ", "Степанакерт", "lac Sevan", "Ijevan",
    "Berd", "Chambarak", "Tegh", "Kornidzor", "Meghri", "Nakhitchevan", "Tovouz"};
#define N_NAMES (sizeof names / sizeof names[0])

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_lookup GAZETTEER [SECONDS]\n");
        return 2;
    }
    double secs = argc > 2 ? atof(argv[2]) : 2.0;
    cx_err err;
    cx_err_clear(&err);
    gaz_db *g = gaz_open(argv[1], &err);
    if (!g) {
        fprintf(stderr, "bench_lookup: %s: %s\n", err.source, err.msg);
        return 4;
    }
    gaz_query q = {NULL, false, 0, 0, true, false};
    cx_place out[10];
    size_t n, found = 0;
    /* fold keys for the probes (words as the extractor sees them) */
    cx_buf keys[N_NAMES];
    for (size_t i = 0; i < N_NAMES; i++) {
        keys[i] = (cx_buf)CX_BUF_INIT;
        cx_fold_key(names[i], strlen(names[i]), &keys[i]);
    }
    for (size_t i = 0; i < N_NAMES; i++) /* warm-up */
        gaz_lookup(g, names[i], strlen(names[i]), &q, out, 10, &n, &err);

    long lookups = 0;
    double t0 = now(), t;
    do {
        for (size_t i = 0; i < N_NAMES; i++) {
            if (gaz_lookup(g, names[i], strlen(names[i]), &q, out, 10, &n, &err) != 0) {
                fprintf(stderr, "bench_lookup: %s\n", err.msg);
                return 1;
            }
            found += n > 0;
        }
        lookups += (long)N_NAMES;
    } while ((t = now()) - t0 < secs);
    double lps = (double)lookups / (t - t0);

    gaz_query qe = q;
    qe.translit = false;
    long exact = 0;
    t0 = now();
    do {
        for (size_t i = 0; i < N_NAMES; i++)
            gaz_lookup(g, names[i], strlen(names[i]), &qe, out, 10, &n, &err);
        exact += (long)N_NAMES;
    } while ((t = now()) - t0 < secs);
    double eps = (double)exact / (t - t0);

    long probes = 0;
    int hits = 0;
    t0 = now();
    do {
        for (size_t i = 0; i < N_NAMES; i++)
            hits += gaz_probe(g, keys[i].data, keys[i].len, &err) > 0;
        probes += (long)N_NAMES;
    } while ((t = now()) - t0 < secs);
    double pps = (double)probes / (t - t0);

    printf("lookups (translit on): %.0f names/s (%ld in %.1f s, %zu with candidates)\n", lps,
           lookups, secs, found);
    printf("lookups (exact only):  %.0f names/s\n", eps);
    printf("probes:                %.0f probes/s (%d hits)\n", pps, hits);
    for (size_t i = 0; i < N_NAMES; i++)
        cx_buf_free(&keys[i]);
    gaz_close(g);
    return 0;
}
