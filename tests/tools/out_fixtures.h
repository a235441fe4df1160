/* out_fixtures.h -- hand-made incidents for the output tests (written by us;
 * no corpus text). Header-only so the unit test and the out_fixture driver
 * share one definition. */
#ifndef OUT_FIXTURES_H
#define OUT_FIXTURES_H

#include "incident.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define OUTT_EVIDENCE_PREFIX                                                           \
    "Selon le ministère de la Défense, des tirs d’artillerie ont visé « le centre » de " \
    "Stepanakert – Khankendi –, touchant des immeubles"
#define OUTT_EVIDENCE_SHP_LEN 253 /* where the Shapefile must cut it (an é straddles 254) */

static inline void outt_copy(char *dst, size_t size, const char *s)
{
    size_t n = strlen(s);
    if (n >= size)
        n = size - 1;
    memcpy(dst, s, n);
    dst[n] = '\0';
}

/* A 401-byte evidence: the prefix, dots up to byte 253, then "é" (2 bytes
 * each) so that byte 254 falls inside a character. Caller frees. */
static inline char *outt_long_evidence(void)
{
    char *s = malloc(512);
    if (!s)
        return NULL;
    size_t n = strlen(OUTT_EVIDENCE_PREFIX);
    memcpy(s, OUTT_EVIDENCE_PREFIX, n);
    while (n < OUTT_EVIDENCE_SHP_LEN)
        s[n++] = '.';
    while (n < 400) {
        s[n++] = '\xC3';
        s[n++] = '\xA9';
    }
    s[n] = '\0';
    return s;
}

static inline void outt_set(ext_incident *e, int type, const char *date, int prec,
                            const char *place, const char *place_name, const char *cc,
                            const char *admin1, double lon, double lat)
{
    ext_incident_init(e);
    e->type = type;
    outt_copy(e->date, sizeof e->date, date);
    e->date_prec = prec;
    outt_copy(e->place, sizeof e->place, place);
    outt_copy(e->place_name, sizeof e->place_name, place_name);
    outt_copy(e->country, sizeof e->country, cc);
    outt_copy(e->admin1, sizeof e->admin1, admin1);
    e->lon = lon;
    e->lat = lat;
    e->geo_prec = 1;
    e->confidence = 0.8;
}

/* Fill up to `max` incidents of set `set` into `inc`; returns how many.
 * Each must be freed with ext_incident_clear(). */
static inline size_t outt_fixture_set(int set, ext_incident *inc, size_t max)
{
    size_t n = 0;
    if (max < 4)
        return 0;
    if (set == 0) {
        ext_incident *e = &inc[n++];
        outt_set(e, EXT_SHELLING, "2020-10-04", EXT_PREC_DAY, "Stepanakert", "Stepanakert", "AZ",
                 "Xankəndi", 46.7519, 39.8153);
        outt_copy(e->place_id, sizeof e->place_id, "geonames:174875");
        outt_copy(e->actor1, sizeof e->actor1, "Azerbaijani forces");
        outt_copy(e->actor2, sizeof e->actor2, "civilians");
        outt_copy(e->claimed_by, sizeof e->claimed_by, "Ministère de la Défense arménien");
        e->fatalities = 2;
        e->fatalities_max = 3;
        e->injured = 11;
        ext_incident_add_doc(e, "001_a27da");
        ext_incident_add_doc(e, "004_3e796");
        /* issue 18: its two sources (GeoJSON array, GPKG/PostGIS table) */
        ext_incident_add_source(e, "001_a27da", "https://www.example-news.am/a/1",
                                "example-news.am", "2020-10-04", "Martouni a été bombardée.",
                                "Arménie", 0x11);
        ext_incident_add_source(e, "004_3e796", "https://example.az/b", "example.az",
                                "2020-10-05", NULL, "", 0x22);
        e->n_sources = 2;
        e->evidence = outt_long_evidence();
        e->confidence = 0.9;
        e->border_km = 31.25;

        e = &inc[n++];
        outt_set(e, EXT_CLASH, "2021-05", EXT_PREC_MONTH, "Sotk’", "Sotk", "AM", "Gegharkunik",
                 45.9389, 40.2069);
        outt_copy(e->actor1, sizeof e->actor1, "Armenian forces");
        outt_copy(e->actor2, sizeof e->actor2, "Azerbaijani forces");
        ext_incident_add_doc(e, "002_890e5");
        e->evidence = strdup("Des affrontements ont éclaté près de Sotk’.");
        e->geo_prec = 2;
        e->contested = true;

        e = &inc[n++];
        outt_set(e, EXT_EVACUATION, "2023", EXT_PREC_YEAR, "Goris", "Goris", "AM", "Syunik",
                 46.3383, 39.5075);
        ext_incident_add_doc(e, "003_b59e0");
        e->evidence = strdup("Les réfugiés arrivent à Goris.");
        e->confidence = 0.5;

        e = &inc[n++];
        outt_set(e, EXT_SHELLING, "", EXT_PREC_UNKNOWN, "Tavush", "Tavush", "AM", "Tavush",
                 45.3, 40.95);
        ext_incident_add_doc(e, "005_unknown");
        e->geo_prec = 3;
        e->confidence = NAN;
    } else if (set == 1) {
        ext_incident *e = &inc[n++];
        outt_set(e, EXT_CLASH, "2022-09-13", EXT_PREC_DAY, "Jermuk", "Jermuk", "AM", "Vayots Dzor",
                 45.6694, 39.8411);
        ext_incident_add_doc(e, "010_x");
        e->fatalities = 49;
        e = &inc[n++];
        outt_set(e, EXT_EVACUATION, "2023-09-25", EXT_PREC_DAY, "Kornidzor", "Kornidzor", "AM",
                 "Syunik", 46.3194, 39.4947);
        ext_incident_add_doc(e, "011_y");
    } else if (set == 2) {
        ext_incident *e = &inc[n++];
        outt_set(e, EXT_SHELLING, "2020-10-10", EXT_PREC_DAY, "Point", "Point", "", "", 45.0,
                 40.0);
        ext_incident_add_doc(e, "020_z");
    }
    return n;
}

#endif
