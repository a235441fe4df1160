/* fake_gazetteer.h -- a small in-memory gazetteer for the extraction unit
 * tests: a few places of the theatre, a namesake far away (Kut in Iraq), a
 * person's name that is also a French village (Michel), a capital, regions,
 * countries, and a common French word that is also a village (Chaque).
 * Include once per test program. */
#ifndef TEST_FAKE_GAZETTEER_H
#define TEST_FAKE_GAZETTEER_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cx_place.h"
#include "cx_text.h"
#include "extract.h"

/* ===== A small gazetteer ===== */

typedef struct fake_place {
    const char *names; /* '|'-separated */
    const char *id, *cc;
    int kind;
    double lat, lon, radius;
    long pop;
    const char *fcode;
} fake_place;

static const fake_place places[] = {
    {"Goris", "t:goris", "AM", CX_KIND_SETTLEMENT, 39.511, 46.342, 0, 20000, "PPLA"},
    {"Sotk", "t:sotk", "AM", CX_KIND_SETTLEMENT, 40.200, 45.870, 0, 2000, "PPL"},
    {"Kut", "t:kut-am", "AM", CX_KIND_SETTLEMENT, 40.197, 45.867, 0, 0, "PPL"},
    {"Kut|Al Kut", "t:kut-iq", "IQ", CX_KIND_SETTLEMENT, 32.51, 45.82, 0, 315000, "PPLA"},
    {"Vardenis", "t:vardenis", "AM", CX_KIND_SETTLEMENT, 40.183, 45.731, 0, 11000, "PPL"},
    {"Stepanakert|Khankendi|Xankandi", "t:stepanakert", "AZ", CX_KIND_SETTLEMENT, 39.818, 46.753, 0,
     53000, "PPL"},
    {"Terter|Tartar", "t:terter", "AZ", CX_KIND_SETTLEMENT, 40.342, 46.932, 0, 18000, "PPLA"},
    {"Bakou|Baku", "t:baku", "AZ", CX_KIND_SETTLEMENT, 40.38, 49.89, 0, 2000000, "PPLC"},
    {"Gegharkunik", "t:gegh", "AM", CX_KIND_ADMIN1, 40.3, 45.3, 60, 0, "ADM1"},
    {"Haut-Karabakh|Nagorno-Karabakh|Karabakh", "t:nk", "AZ", CX_KIND_REGION, 39.85, 46.7, 60, 0,
     "RGN"},
    {"Arménie|Armenia", "t:am", "AM", CX_KIND_COUNTRY, 40.0, 45.0, 0, 3000000, "PCLI"},
    {"Azerbaïdjan|Azerbaijan", "t:az", "AZ", CX_KIND_COUNTRY, 40.5, 47.5, 0, 10000000, "PCLI"},
    {"Michel", "t:michel", "FR", CX_KIND_SETTLEMENT, 45.0, 3.0, 0, 800, "PPL"},
    {"Chaque", "t:chaque", "AM", CX_KIND_SETTLEMENT, 40.05, 45.2, 0, 300, "PPL"},
    {"Syunik", "t:syunik", "AM", CX_KIND_ADMIN1, 39.5, 46.0, 50, 0, "ADM1"},
    /* a town that changed hands (conflict file control: Armenian-held until
     * 8 November 2020) */
    {"Shusha|Choucha|Chouchi", "t:shusha", "AZ", CX_KIND_SETTLEMENT, 39.760, 46.750, 0, 4000,
     "PPLA"},
    {"ligne de contact|line of contact", "t:loc", "AZ", CX_KIND_OTHER, 39.85, 46.85, 60, 0, ""},
    {"Lake Sevan|lac Sevan|lac de Sevan", "t:sevan", "AM", CX_KIND_WATER, 40.35, 45.3, 40, 0, "LK"},
    /* a town far from the theatre that a transliteration key confuses with
     * a village name (as a fuzzy key took Alibeyli for Örebro): ids
     * starting "t:far" match by transliteration key only */
    {"Zangibeyli", "t:far", "SE", CX_KIND_SETTLEMENT, 59.27, 15.21, 0, 150000, "PPLA"},
    /* inside the theatre's box but outside its focus countries (eastern
     * Turkey), met by a transliteration key only */
    {"Bashkendli", "t:far-tr", "TR", CX_KIND_SETTLEMENT, 38.65, 43.99, 0, 8000, "PPLA2"},
    /* in a focus country but far from the unit its text gives */
    {"Dzhafarli", "t:far-am", "AM", CX_KIND_SETTLEMENT, 40.04, 43.94, 0, 2000, "PPL"},
    /* common words and names no place, that a transliteration key meets
     * in a focus country */
    {"Plusieurs", "t:far-plusieurs", "AZ", CX_KIND_SETTLEMENT, 40.56, 50.04, 0, 500, "PPL"},
    {"Each", "t:far-each", "AZ", CX_KIND_SETTLEMENT, 40.9, 47.1, 0, 500, "PPL"},
    {"Belga", "t:far-belga", "AZ", CX_KIND_SETTLEMENT, 40.56, 50.04, 0, 500, "PPL"},
    {"Orient", "t:far-orient", "AM", CX_KIND_SETTLEMENT, 40.39, 43.97, 0, 500, "PPL"},
    /* the head of an Armenian village name ("Nor" = new), a name abroad */
    {"Nor", "t:nor-fr", "FR", CX_KIND_SETTLEMENT, 46.32, -0.46, 0, 54000, "PPLA2"},
    /* a name of three letters: exact abroad, met by a key in the theatre */
    {"Kos", "t:kos-gr", "GR", CX_KIND_SETTLEMENT, 36.89, 27.29, 0, 19000, "PPLA2"},
    {"Kos", "t:far-kos", "AZ", CX_KIND_SETTLEMENT, 39.76, 46.75, 0, 4000, "PPL"},
    /* a village's only namesake, far from the theatre's front */
    {"Sarnaghbyur", "t:sarn-shirak", "AM", CX_KIND_SETTLEMENT, 40.52, 43.91, 0, 1000, "PPL"},
    /* a first name that is a village abroad ("Armen Goris said") */
    {"Armen", "t:armen-al", "AL", CX_KIND_SETTLEMENT, 40.54, 19.60, 0, 0, "PPLA3"},
};
#define NPLACES (sizeof places / sizeof places[0])

static bool name_matches(const char *names, const char *key)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", names);
    cx_buf k = CX_BUF_INIT;
    bool hit = false;
    for (char *p = strtok(buf, "|"); p && !hit; p = strtok(NULL, "|")) {
        cx_fold_key(p, strlen(p), &k);
        hit = strcmp(k.data, key) == 0;
    }
    cx_buf_free(&k);
    return hit;
}

static int probe_count;

static int fake_probe(void *ctx, const char *key, size_t len)
{
    (void)ctx;
    probe_count++;
    int mask = 0;
    char k[256];
    snprintf(k, sizeof k, "%.*s", (int)len, key);
    for (size_t i = 0; i < NPLACES; i++) {
        char buf[256];
        snprintf(buf, sizeof buf, "%s", places[i].names);
        cx_buf f = CX_BUF_INIT;
        for (char *p = strtok(buf, "|"); p; p = strtok(NULL, "|")) {
            cx_fold_key(p, strlen(p), &f);
            if (strcmp(f.data, k) == 0)
                mask |= 1;
            else if (strncmp(f.data, k, len) == 0 && f.data[len] == ' ')
                mask |= 2;
        }
        cx_buf_free(&f);
    }
    return mask;
}

static int fake_lookup(void *ctx, const char *name, size_t len, cx_place *out, size_t max,
                       size_t *n_out)
{
    (void)ctx;
    cx_buf k = CX_BUF_INIT;
    cx_fold_key(name, len, &k);
    size_t n = 0;
    for (size_t i = 0; i < NPLACES && n < max; i++) {
        if (!name_matches(places[i].names, k.data))
            continue;
        cx_place *p = &out[n++];
        memset(p, 0, sizeof *p);
        snprintf(p->src_id, sizeof p->src_id, "%s", places[i].id);
        snprintf(p->name, sizeof p->name, "%.*s", (int)strcspn(places[i].names, "|"), places[i].names);
        snprintf(p->matched, sizeof p->matched, "%.*s", (int)len, name);
        snprintf(p->country, sizeof p->country, "%s", places[i].cc);
        snprintf(p->fcode, sizeof p->fcode, "%s", places[i].fcode);
        p->kind = places[i].kind;
        p->lat = places[i].lat;
        p->lon = places[i].lon;
        p->radius_km = places[i].radius;
        p->population = places[i].pop;
        p->match = strncmp(places[i].id, "t:far", 5) == 0 ? CX_MATCH_TRANSLIT : CX_MATCH_EXACT;
        p->score = 100 - (double)n;
    }
    cx_buf_free(&k);
    *n_out = n;
    return 0;
}

static const ext_gazetteer gaz = {NULL, fake_lookup, fake_probe};

#endif
