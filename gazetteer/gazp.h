/* gazp.h -- private interface between the gazetteer's build files
 * (gaz_build.c: database and merging; gaz_sources.c: file readers).
 * Not installed, not for other modules. */
#ifndef GAZ_GAZP_H
#define GAZ_GAZP_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>

#include "cx_buf.h"
#include "gazetteer.h"

/* Flags of a name (names.flags). */
enum {
    GAZP_NAME_MAIN = 1,       /* the place's canonical name */
    GAZP_NAME_PREFERRED = 2,  /* alternateNames isPreferredName, or a supplement name */
    GAZP_NAME_SHORT = 4,
    GAZP_NAME_COLLOQUIAL = 8,
    GAZP_NAME_HISTORIC = 16,
    GAZP_NAME_ASCII = 32,     /* GeoNames asciiname */
    GAZP_NAME_CURATED = 64    /* a name:LL of the regional supplement or an --extra file */
};

/* Settlements of two sources that share a name merge within this distance
 * (same country); 5 km when either country is unknown. */
#define GAZP_SETTLEMENT_MERGE_KM 10.0
/* An admin-1 centre farther than this from its own country's polygon is on
 * the wrong continent (the tolerance covers coasts, islands and borders). */
#define GAZP_OUTSIDE_TOLERANCE_KM 50.0

/* Default radius of an admin-1 region from state.json, km. */
#define GAZP_ADMIN1_RADIUS_KM 50.0
/* Default radius of a country place, km. */
#define GAZP_COUNTRY_RADIUS_KM 300.0

/* One place to add (values borrowed for the call). */
typedef struct gazp_place {
    const char *src;      /* "geonames", "csc", "incimap", "extra" */
    const char *src_id;   /* "geonames:616108" */
    long long gid;        /* GeoNames id or 0 */
    const char *name;
    const char *fclass, *fcode;
    int kind;
    const char *country;  /* alpha-2 or "" */
    const char *admin1;   /* admin-1 code (GeoNames) or "" */
    const char *admin1_name;
    long population;
    double radius_km;
    double lat, lon;
} gazp_place;

/* The build state shared by the readers. */
typedef struct gazp_builder {
    sqlite3 *db;
    const gaz_build_opts *opts;
    gaz_build_stats *stats;
    cx_err *err;
    bool indexed;                   /* indexes exist: names are merged, not bulk added */
    long pending;                   /* rows since the last commit */
    sqlite3_stmt *ins_place, *ins_name, *ins_region, *find_gid, *find_key, *has_name,
        *upd_place, *ins_admin1, *ins_link;
    cx_buf key, tkey, scratch;
    char sources[1024];             /* "cities500.txt,state.json,..." for meta */
} gazp_builder;

/* ===== gaz_build.c ===== */

/** Insert a place; writes its row id to *id. Returns 0 or CX_EDB. */
int gazp_add_place(gazp_builder *b, const gazp_place *p, long long *id);

/** Add a name to place `id` with language `lang` ("" unknown) and GAZP_NAME_*
 *  flags. Names with an empty folded key are skipped. Returns 0 or CX_E*. */
int gazp_add_name(gazp_builder *b, long long id, const char *name, const char *lang,
                  int flags);

/** Add a region polygon (WKB, EPSG:4326) for place `place_id` (0 for none),
 *  country `cc` and `name`. Returns 0 or CX_EDB. */
int gazp_add_region(gazp_builder *b, long long place_id, const char *cc, const char *name,
                    int kind, const unsigned char *wkb, size_t wkb_len);

/** Record that place `id` also stands for `src_id` (a source row merged
 *  into it). Returns 0 or CX_EDB. */
int gazp_add_link(gazp_builder *b, long long id, const char *src_id);

/** Find an existing place that `names` (n of them) designate near lat/lon and
 *  that is of a kind compatible with `kind` (settlements with settlements,
 *  regions with admin units and countries). *id = 0 when none; *dist_km is
 *  the distance to it. */
int gazp_find_match(gazp_builder *b, const char *const *names, size_t n, int kind,
                    const char *country, double lat, double lon, double radius_km,
                    long long *id, double *dist_km);

/** Commit and reopen the transaction every so many rows. */
int gazp_tick(gazp_builder *b);

/** Record a source in the meta "sources" list. */
void gazp_note_source(gazp_builder *b, const char *path, const char *what);

/** Report a skipped row through the warn callback and count it. */
void gazp_reject(gazp_builder *b, const char *path, long line, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/** Set err from the connection's last message. Returns CX_EDB. */
int gazp_db_error(gazp_builder *b, const char *what);

/** Great-circle distance in km. */
#define GAZP_D2R (3.14159265358979323846 / 180.0)
double gazp_distance_km(double lat1, double lon1, double lat2, double lon2);
/* The same distance, the cosine of lat1 (in degrees) given: cos(lat1 *
 * GAZP_D2R), computed once for many points. The same bits as
 * gazp_distance_km. */
double gazp_distance_km_from(double lat1, double lon1, double cos_lat1, double lat2, double lon2);
/* A lower bound of gazp_distance_km_from without libm's trigonometry (0
 * when it has none, for coordinates out of range). */
double gazp_distance_km_lower(double lat1, double lon1, double cos_lat1, double lat2, double lon2);
/* Bounds of log10 k (within 4e-16 of log10's; 0 for k = 0) without libm:
 * exact below 64, else within log10(33/32) of each other. */
void gazp_log10_bounds(unsigned long long k, double *lo, double *hi);
/* An upper bound of the nearness term 25 * exp(-d / 150) without exp (d < 0
 * counts as 0). */
double gazp_near_upper(double d);
/* True when the nearness term of a look-up's score, 25 * exp(-d / 150) for
 * the distance d between the two points, cannot change the bits of the score
 * s it is added to (the points are far apart): the caller skips the
 * distance and exp. */
bool gazp_near_negligible(double s, double lat1, double lon1, double cos_lat1, double lat2,
                          double lon2);

/** Kind for a GeoNames feature class and code. */
int gazp_kind_of(const char *fclass, const char *fcode);

/* ===== gazetteer.c (for gaz_names.c) ===== */

/** The read-only connection and the path of an open gazetteer. Borrowed. */
sqlite3 *gazp_db_handle(gaz_db *g);
const char *gazp_db_path(const gaz_db *g);

/* ===== gaz_sources.c ===== */

int gazp_load_geonames(gazp_builder *b, const char *path);
int gazp_load_altnames(gazp_builder *b, const char *path);
int gazp_load_admin1(gazp_builder *b, const char *path);
int gazp_load_states(gazp_builder *b, const char *path, const char *countries_json);
int gazp_load_extra(gazp_builder *b, const char *path, const char *columns);
/** Load country polygons into regions and fill places.geo_country (and
 *  places.country where empty). `iso_table` maps numeric ids to alpha-2. */
int gazp_load_countries(gazp_builder *b, const char *path, const char *iso_table);

#endif
