/* gazetteer.c -- open a built gazetteer read-only and answer lookups,
 * probes, point-in-region and meta queries. Every query uses bound
 * parameters and a statement prepared once per handle. Ranking is
 * documented in docs/gazetteer.md ("Ranking"). The build is gaz_build.c. */
#include "gazetteer.h"

#include <errno.h>
#include <stdio.h>
#include <math.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cx_buf.h"
#include "cx_spatialite.h"
#include "cx_text.h"
#include "gaz_index.h"
#include "gazp.h"

/* A candidate while ranking. */
typedef struct cand {
    cx_place p;
    int flags;
} cand;

/* A two-way set-associative cache of lookup results (about 10 MB, allocated
 * on the first lookup): articles repeat the same names, and a
 * transliteration lookup can scan hundreds of rows. The key is the folded
 * name plus the query options; up to CACHE_KEEP results are kept. */
#define CACHE_SETS 1024
#define CACHE_SLOTS (2 * CACHE_SETS)
#define CACHE_KEEP 10
typedef struct cache_slot {
    char key[200];  /* "" when empty */
    size_t n;       /* results stored (all of them when < CACHE_KEEP) */
    size_t total;   /* candidates the lookup found */
    unsigned long used; /* lookup counter at the last use (LRU within a set) */
    cx_place res[CACHE_KEEP];
} cache_slot;

struct gaz_db {
    sqlite3 *db;
    bool splite; /* SpatiaLite loaded into db (gaz_locate) */
    char path[512];
    sqlite3_stmt *by_key, *by_tkey, *probe_eq, *probe_pre, *locate, *admin1_near, *meta;
    cx_buf key, tkey, tmp;
    cand *cands;
    size_t n_cands, cap_cands;
    cache_slot *cache; /* CACHE_SLOTS, allocated on first lookup */
    unsigned long clock;
    gazp_index *ix;    /* the read index (gaz_use_index), or NULL: SQLite answers */
    bool ix_borrowed;  /* ix is another handle's (gaz_share_index) */
    struct icand *icands; /* look-ups from the index: the candidates being ranked */
    size_t n_icands, cap_icands;
    double *ubs; /* collect_index: each row's score bound, or NAN to skip it */
    size_t cap_ubs;
    struct place_memo *memo; /* PLACE_MEMO, allocated on first use */
    double memo_lat, memo_lon; /* the point of the memo's nearness terms (NAN: none) */
    struct tkey_slot *tkeys; /* TKEY_SLOTS, allocated on first use */
    unsigned long tkey_clock; /* transliteration look-ups through the slots */
    double cos_of, cos_val;  /* near_cos of the last latitude asked (cos_of NAN: none) */
};

/* ===== Open / close ===== */

static int db_fail(gaz_db *g, cx_err *err, const char *what)
{
    return cx_err_set(err, CX_EDB, g->path, 0, "%s: %s", what, sqlite3_errmsg(g->db));
}

static int prep(gaz_db *g, const char *sql, sqlite3_stmt **st, cx_err *err)
{
    if (sqlite3_prepare_v3(g->db, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL) != SQLITE_OK)
        return db_fail(g, err, "preparing a query");
    return 0;
}

#define PLACE_COLS                                                                        \
    "p.id, p.src_id, p.name, n.name, n.lang, p.fclass, p.fcode, p.kind, p.country,"     \
    " p.admin1_name, p.population, p.lat, p.lon, p.radius_km, n.flags"

static int check_schema(gaz_db *g, cx_err *err)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(g->db, "SELECT value FROM meta WHERE key = 'schema_version'",
                                -1, &st, NULL);
    if (rc != SQLITE_OK) {
        int ec = sqlite3_extended_errcode(g->db);
        const char *m = sqlite3_errmsg(g->db);
        if (ec == SQLITE_NOTADB || ec == SQLITE_CORRUPT)
            rc = cx_err_set(err, CX_EDB, g->path, 0,
                            "not a gazetteer: not an SQLite database (%s)", m);
        else if (strstr(m, "no such table"))
            rc = cx_err_set(err, CX_EDB, g->path, 0,
                            "not an incimap gazetteer: SQLite file without a meta table "
                            "(build one with `incimap gazetteer build`)");
        else
            rc = cx_err_set(err, CX_EDB, g->path, 0, "cannot read the gazetteer: %s", m);
        sqlite3_finalize(st);
        return rc;
    }
    int s = sqlite3_step(st);
    if (s != SQLITE_ROW) {
        rc = s == SQLITE_DONE
                 ? cx_err_set(err, CX_EDB, g->path, 0,
                              "not an incimap gazetteer: no schema_version in meta")
                 : db_fail(g, err, "reading meta");
        sqlite3_finalize(st);
        return rc;
    }
    int ver = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    if (ver != GAZ_SCHEMA_VERSION)
        return cx_err_set(err, CX_EDB, g->path, 0,
                          "gazetteer schema version %d, this incimap reads version %d: "
                          "rebuild it with `incimap gazetteer build`",
                          ver, GAZ_SCHEMA_VERSION);
    return 0;
}

gaz_db *gaz_open(const char *path, cx_err *err)
{
    if (!path || !*path) {
        cx_err_set(err, CX_EINVAL, NULL, 0, "no gazetteer path");
        return NULL;
    }
    struct stat st;
    if (stat(path, &st) != 0) {
        cx_err_set(err, errno == ENOENT ? CX_ENOTFOUND : CX_EDB, path, 0,
                   "gazetteer not found (%s); build it with `incimap gazetteer build` or "
                   "give --gazetteer",
                   strerror(errno));
        return NULL;
    }
    if (!S_ISREG(st.st_mode)) {
        cx_err_set(err, CX_EDB, path, 0, "gazetteer is not a regular file");
        return NULL;
    }
    if (access(path, R_OK) != 0) {
        cx_err_set(err, CX_EDB, path, 0, "gazetteer unreadable: %s", strerror(errno));
        return NULL;
    }
    gaz_db *g = calloc(1, sizeof *g);
    if (!g) {
        cx_err_set(err, CX_ENOMEM, path, 0, "out of memory");
        return NULL;
    }
    g->cos_of = NAN;
    g->memo_lat = g->memo_lon = NAN;
    snprintf(g->path, sizeof g->path, "%s", path);
    if (sqlite3_open_v2(path, &g->db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        cx_err_set(err, CX_EDB, path, 0, "cannot open the gazetteer: %s",
                   g->db ? sqlite3_errmsg(g->db) : "out of memory");
        goto fail;
    }
    /* a tool that opens the file for writing (the spatialite shell adds its
     * metadata) holds a lock for a moment: wait for it rather than fail */
    sqlite3_busy_timeout(g->db, 5000);
    if (check_schema(g, err))
        goto fail;
    /* SpatiaLite (its functions and the SpatialIndex table) is loaded by the
     * first gaz_locate: only that query needs it, and a connection costs a
     * PROJ context and its database (a third of a worker's start). */
    /* EXCLUSIVE on a read-only connection keeps the shared lock once taken,
     * so a lookup does not re-lock the file and re-validate the page cache
     * (other readers are not blocked; the builder never writes in place).
     * The page cache stays at SQLite's 2 MB: the extractor caches lookups
     * itself, and a bigger cache only costs a run its first page faults
     * (measured: 32 MB made a 10 MB extraction 2-3% slower). */
    sqlite3_exec(g->db, "PRAGMA query_only=1; PRAGMA locking_mode=EXCLUSIVE", NULL, NULL, NULL);
    if (prep(g, "SELECT " PLACE_COLS " FROM names n JOIN places p ON p.id = n.place_id"
                " WHERE n.key = ?1",
             &g->by_key, err) ||
        prep(g, "SELECT " PLACE_COLS " FROM names n JOIN places p ON p.id = n.place_id"
                " WHERE n.tkey = ?1",
             &g->by_tkey, err) ||
        prep(g, "SELECT 1 FROM names WHERE key = ?1 LIMIT 1", &g->probe_eq, err) ||
        prep(g, "SELECT 1 FROM names WHERE key >= ?1 AND key < ?2 LIMIT 1", &g->probe_pre,
             err) ||
        prep(g, "SELECT value FROM meta WHERE key = ?1", &g->meta, err))
        goto fail;
    return g;
fail:
    gaz_close(g);
    return NULL;
}

void gaz_close(gaz_db *g)
{
    if (!g)
        return;
    sqlite3_finalize(g->by_key);
    sqlite3_finalize(g->by_tkey);
    sqlite3_finalize(g->probe_eq);
    sqlite3_finalize(g->probe_pre);
    sqlite3_finalize(g->locate);
    sqlite3_finalize(g->admin1_near);
    sqlite3_finalize(g->meta);
    if (g->db)
        sqlite3_close(g->db);
    cx_buf_free(&g->key);
    cx_buf_free(&g->tkey);
    cx_buf_free(&g->tmp);
    free(g->cands);
    free(g->cache);
    if (!g->ix_borrowed)
        gazp_index_close(g->ix);
    free(g->icands);
    free(g->ubs);
    free(g->tkeys);
    free(g->memo);
    free(g);
}

sqlite3 *gazp_db_handle(gaz_db *g)
{
    return g ? g->db : NULL;
}

const char *gazp_db_path(const gaz_db *g)
{
    return g ? g->path : "";
}

/* ===== Lookup ===== */

static void copy_col(char *dst, size_t size, sqlite3_stmt *st, int i)
{
    const unsigned char *s = sqlite3_column_text(st, i);
    cx_str_copy(dst, size, s ? (const char *)s : "");
}

/* Haversine km (gazp.h); here, not in gaz_build.c, so that the executable,
 * which queries, does not link the build (and OGR with it). */
double gazp_distance_km_from(double lat1, double lon1, double cos_lat1, double lat2, double lon2)
{
    const double r = 6371.0088, d2r = GAZP_D2R;
    double dlat = (lat2 - lat1) * d2r, dlon = (lon2 - lon1) * d2r;
    double sa = sin(dlat / 2), so = sin(dlon / 2);
    double a = sa * sa + cos_lat1 * cos(lat2 * d2r) * so * so;
    return 2 * r * asin(sqrt(a < 1 ? a : 1));
}

double gazp_distance_km(double lat1, double lon1, double lat2, double lon2)
{
    return gazp_distance_km_from(lat1, lon1, cos(lat1 * GAZP_D2R), lat2, lon2);
}

/* A lower bound of sin x on [0, pi/2]: Jordan's 2x/pi (tight near pi/2)
 * or x - x^3/6 (tight near 0; sin x >= it for every x >= 0). */
static inline double sin_lower(double x)
{
    const double pi = 3.14159265358979323846;
    double j = x * (2 / pi), t = x - x * x * x / 6;
    return t > j ? t : j;
}

static inline double distance_km_lower(double lat1, double lon1, double cos_lat1, double lat2,
                                       double lon2)
{
    const double pi = 3.14159265358979323846, r = 6371.0088;
    double hlat = fabs(lat2 - lat1) * (GAZP_D2R / 2), hlon = fabs(lon2 - lon1) * (GAZP_D2R / 2);
    if (!(hlat <= pi / 2) || !(hlon <= pi) || !(cos_lat1 >= 0) || !(fabs(lat2) <= 90))
        return 0; /* out of range or NaN: no bound */
    if (hlon > pi / 2)
        hlon = pi - hlon; /* sin^2 is symmetric about pi/2 */
    /* cos lat2 = sin(pi/2 - |lat2|) */
    double slat = sin_lower(hlat), slon = sin_lower(hlon),
           cos2 = sin_lower((90 - fabs(lat2)) * GAZP_D2R);
    double a = slat * slat + cos_lat1 * cos2 * slon * slon;
    if (a > 1)
        a = 1;
    /* asin y >= y + y^3/6 (its series has no negative term); a margin far
     * above the rounding of either computation */
    double y = sqrt(a);
    return 2 * r * (y + y * y * y / 6) * (1 - 1e-9) - 1e-6;
}

double gazp_distance_km_lower(double lat1, double lon1, double cos_lat1, double lat2, double lon2)
{
    return distance_km_lower(lat1, lon1, cos_lat1, lat2, lon2);
}

/* log10 k for k = 0..64 (0 for 0) */
static const double log10_small[65] = {
    0, 0, 0.3010299956639812, 0.47712125471966244,
    0.6020599913279624, 0.69897000433601886, 0.77815125038364363, 0.84509804001425681,
    0.90308998699194354, 0.95424250943932487, 1, 1.0413926851582249,
    1.0791812460476249, 1.1139433523068367, 1.146128035678238, 1.1760912590556813,
    1.2041199826559248, 1.2304489213782739, 1.255272505103306, 1.2787536009528289,
    1.3010299956639813, 1.3222192947339193, 1.3424226808222062, 1.3617278360175928,
    1.3802112417116059, 1.3979400086720377, 1.414973347970818, 1.4313637641589874,
    1.4471580313422192, 1.4623979978989561, 1.4771212547196624, 1.4913616938342726,
    1.505149978319906, 1.5185139398778875, 1.5314789170422551, 1.5440680443502757,
    1.5563025007672873, 1.568201724066995, 1.5797835966168101, 1.5910646070264991,
    1.6020599913279625, 1.6127838567197355, 1.6232492903979006, 1.6334684555795866,
    1.6434526764861874, 1.6532125137753437, 1.6627578316815741, 1.6720978579357175,
    1.6812412373755872, 1.6901960800285136, 1.6989700043360187, 1.7075701760979363,
    1.7160033436347992, 1.7242758696007892, 1.7323937598229686, 1.7403626894942439,
    1.7481880270062005, 1.7558748556724915, 1.7634279935629373, 1.7708520116421442,
    1.7781512503836436, 1.7853298350107671, 1.7923916894982539, 1.7993405494535817,
    1.8061799739838871};

#define LOG10_2 0.30102999566398119521
void gazp_log10_bounds(unsigned long long k, double *lo, double *hi)
{
    if (k < 64) {
        *lo = *hi = log10_small[k];
        return;
    }
    /* 32 <= k >> sh < 64: k lies in [m, m + 1) * 2^sh */
    int sh = 64 - __builtin_clzll(k) - 6;
    unsigned long long m = k >> sh;
    *lo = log10_small[m] + sh * LOG10_2;
    *hi = log10_small[m + 1] + sh * LOG10_2;
}

double gazp_near_upper(double d)
{
    /* e^x >= (1 + x/16)^16 for x >= 0 */
    double y = 1 + (d > 0 ? d : 0) / (150.0 * 16);
    y *= y;
    y *= y;
    y *= y;
    y *= y;
    return 25 / y;
}

bool gazp_near_negligible(double s, double lat1, double lon1, double cos_lat1, double lat2,
                          double lon2)
{
    /* past 5,800 km, 25 * exp(-d / 150) < 4e-16, under a quarter of the
     * half unit in the last place of any s >= 32 (2^-48): s + it is s */
    return s >= 32 && gazp_distance_km_lower(lat1, lon1, cos_lat1, lat2, lon2) > 5800;
}

/* Ranking: see docs/gazetteer.md. */
double gazp_fcode_bonus(const char *c, int kind)
{
    if (!strcmp(c, "PPLC"))
        return 20;
    if (!strcmp(c, "PPLA"))
        return 12;
    if (!strcmp(c, "PPLA2"))
        return 6;
    if (!strcmp(c, "PPLA3") || !strcmp(c, "PPLA4"))
        return 3;
    if (!strcmp(c, "PPLX"))
        return -3;
    if (!strcmp(c, "PPLH") || !strcmp(c, "PPLQ") || !strcmp(c, "PPLW"))
        return -15;
    switch (kind) {
    case CX_KIND_COUNTRY: return 45;
    case CX_KIND_ADMIN1: return 15;
    case CX_KIND_REGION: return 15;
    case CX_KIND_ADMIN2: return 10;
    case CX_KIND_WATER: return 8;
    default: return 0;
    }
}

/* The score of a candidate from its fields (both look-up paths), less the
 * nearness term: score_near adds it (at most 25). The population term
 * 4 * log10(1 + population) is given (a memo keeps it per place), read
 * only when the population is above 0. */
static double score_base_with(int match, int flags, long population, double pop_term,
                              double bonus, bool incimap, const char *country, const gaz_query *q)
{
    double s = match == CX_MATCH_EXACT ? 100 : 60;
    if (flags & GAZP_NAME_MAIN)
        s += 10;
    else if (flags & GAZP_NAME_ASCII)
        s += 8;
    else if (flags & GAZP_NAME_PREFERRED)
        s += 6;
    if (flags & GAZP_NAME_HISTORIC)
        s -= 10;
    if (population > 0)
        s += pop_term;
    s += bonus;
    if (incimap)
        s += 5;
    if (q && q->country && *q->country && !strcmp(q->country, country))
        s += 25;
    return s;
}

static double score_base(int match, int flags, long population, double bonus, bool incimap,
                         const char *country, const gaz_query *q)
{
    /* no population: log10(1) is 0, and s + 0 is s (s is never -0): the
     * term is not read */
    return score_base_with(match, flags, population,
                           population > 0 ? 4 * log10(1.0 + (double)population) : 0, bonus,
                           incimap, country, q);
}

/* score_near, the cosine of q->near_lat given (near_cos(q)): a look-up
 * scores many candidates against one point */
static double score_near_cos(double s, double lat, double lon, const gaz_query *q, double cos_near)
{
    if (q && q->has_near) {
        if (gazp_near_negligible(s, q->near_lat, q->near_lon, cos_near, lat, lon))
            return s; /* the bits s + 25 * exp(-d / 150) has */
        double d = gazp_distance_km_from(q->near_lat, q->near_lon, cos_near, lat, lon);
        s += 25 * exp(-d / 150.0);
    }
    return s;
}

static double near_cos(const gaz_query *q)
{
    return q && q->has_near ? cos(q->near_lat * GAZP_D2R) : 0;
}

static double score_near(double s, double lat, double lon, const gaz_query *q)
{
    return score_near_cos(s, lat, lon, q, near_cos(q));
}

static double score_fields(int match, int flags, long population, double bonus, bool incimap,
                           const char *country, double lat, double lon, const gaz_query *q)
{
    return score_near(score_base(match, flags, population, bonus, incimap, country, q), lat, lon,
                      q);
}

static double score_of(const cx_place *p, int flags, const gaz_query *q)
{
    return score_fields(p->match, flags, p->population, gazp_fcode_bonus(p->fcode, p->kind),
                        !strncmp(p->src_id, "incimap:", 8), p->country, p->lat, p->lon, q);
}

static int collect(gaz_db *g, sqlite3_stmt *st, const char *key, size_t klen, int match,
                   const gaz_query *q, cx_err *err)
{
    sqlite3_bind_text(st, 1, key, (int)klen, SQLITE_STATIC);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        long long id = sqlite3_column_int64(st, 0);
        int flags = sqlite3_column_int(st, 14);
        cand c;
        memset(&c, 0, sizeof c);
        cx_place *p = &c.p;
        p->id = id;
        copy_col(p->src_id, sizeof p->src_id, st, 1);
        copy_col(p->name, sizeof p->name, st, 2);
        copy_col(p->matched, sizeof p->matched, st, 3);
        copy_col(p->lang, sizeof p->lang, st, 4);
        copy_col(p->fclass, sizeof p->fclass, st, 5);
        copy_col(p->fcode, sizeof p->fcode, st, 6);
        p->kind = sqlite3_column_int(st, 7);
        copy_col(p->country, sizeof p->country, st, 8);
        copy_col(p->admin1, sizeof p->admin1, st, 9);
        p->population = (long)sqlite3_column_int64(st, 10);
        p->lat = sqlite3_column_double(st, 11);
        p->lon = sqlite3_column_double(st, 12);
        p->radius_km = sqlite3_column_double(st, 13);
        p->match = match;
        c.flags = flags;
        if (q && q->only_country && q->country && *q->country &&
            strcmp(q->country, p->country))
            continue;
        p->score = score_of(p, flags, q);
        if (g->n_cands == g->cap_cands) {
            size_t nc = g->cap_cands ? g->cap_cands * 2 : 32;
            cand *nv = realloc(g->cands, nc * sizeof *nv);
            if (!nv) {
                sqlite3_reset(st);
                return cx_err_set(err, CX_ENOMEM, g->path, 0, "out of memory");
            }
            g->cands = nv;
            g->cap_cands = nc;
        }
        g->cands[g->n_cands++] = c;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return db_fail(g, err, "lookup");
    return 0;
}

/* A candidate of the read index while ranking: the fields the order needs,
 * strings borrowed from the index; the full record is made for the kept. */
typedef struct icand {
    const gazp_ix_rec *rec;
    int match;
    long long id;
    long population;
    double score;
    const char *matched; /* borrowed from the index */
} icand;

/* cmp_cand and cmp_by_place on icands */
static int cmp_icand(const void *a, const void *b)
{
    const icand *x = a, *y = b;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    if (x->population != y->population)
        return x->population > y->population ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

static int cmp_icand_by_place(const void *a, const void *b)
{
    const icand *x = a, *y = b;
    if (x->id != y->id)
        return x->id < y->id ? -1 : 1;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    if (x->match != y->match)
        return x->match < y->match ? -1 : 1;
    return strcmp(x->matched, y->matched);
}

/* The first `max` candidates without sorting them all: what sorting them
 * by place, keeping each place's first (its best entry: score, then exact
 * before translit, then the name, then the earlier), then sorting by
 * cmp_icand gives, since a place's rank depends only on its best score (its
 * population and id are its own). The list a[0..*k) stays sorted by
 * cmp_icand; `t` is offered in the candidates' order. A place pushed out of
 * the list cannot come back with an entry it beat: the list's last only
 * gets better. */
static void offer_icand(icand *a, size_t *k, size_t max, const icand *t)
{
    size_t j = 0;
    while (j < *k && a[j].id != t->id)
        j++;
    if (j < *k) { /* its place is kept: the better entry stays */
        if (cmp_icand_by_place(t, &a[j]) >= 0)
            return;
        memmove(&a[j], &a[j + 1], (*k - j - 1) * sizeof *a);
        (*k)--;
    } else if (*k == max) {
        if (max == 0 || cmp_icand(t, &a[*k - 1]) >= 0)
            return;
        (*k)--; /* the last goes */
    }
    size_t p = *k;
    while (p > 0 && cmp_icand(&a[p - 1], t) > 0) {
        a[p] = a[p - 1];
        p--;
    }
    a[p] = *t;
    (*k)++;
}

/* Bounds of score_base without log10, far wider than its rounding (the
 * scores are near 100; the rounding near 1e-13): 4 log10(1 + pop) from a
 * table of log10 over the six leading bits of 1 + pop. The nearness term
 * (score_near_cos) is bounded apart: at least 0, at most
 * gazp_near_upper() of a lower bound of the distance. */
static void score_bounds(int match, int flags, long population, double bonus, bool incimap,
                         const char *country, const gaz_query *q, double *lo, double *hi)
{
    double s = score_base(match, flags, 0, bonus, incimap, country, q);
    double l = s, h = s;
    if (population > 0) {
        double a, b;
        gazp_log10_bounds((unsigned long long)population + 1, &a, &b);
        l += 4 * a;
        h += 4 * b;
    }
    *lo = l - 1e-6;
    *hi = h + 1e-6;
}

/* The best `max` places' lower bounds, each place once (its best): a[0..*k)
 * by value, highest first. */
typedef struct place_lb {
    long long id;
    double lb;
} place_lb;

static void offer_lb(place_lb *a, size_t *k, size_t max, long long id, double lb)
{
    if (*k == max && (max == 0 || lb <= a[*k - 1].lb))
        return; /* below the last: its place's entry, if kept, is better */
    size_t j = 0;
    while (j < *k && a[j].id != id)
        j++;
    if (j < *k) {
        if (lb <= a[j].lb)
            return;
        memmove(&a[j], &a[j + 1], (*k - j - 1) * sizeof *a);
        (*k)--;
    } else if (*k == max) {
        if (max == 0 || lb <= a[*k - 1].lb)
            return;
        (*k)--;
    }
    size_t p = *k;
    while (p > 0 && a[p - 1].lb < lb) {
        a[p] = a[p - 1];
        p--;
    }
    a[p] = (place_lb){id, lb};
    (*k)++;
}

/* The population and nearness terms of the places scored lately, per
 * handle (direct-mapped on the place's index, about 1.3 MB, allocated on
 * first use): the nearness and the distance's bound are those to the memo's
 * point, and they go when a look-up asks for another point. */
#define PLACE_MEMO 32768
typedef struct place_memo {
    uint32_t place1; /* the place's index + 1; 0: empty */
    uint32_t has;    /* 1: pop, 2: near, 4: dlow and near_hi */
    double pop, near, dlow, near_hi;
} place_memo;

/* The memo of place `place` (emptied when it held another), or NULL when
 * it cannot be allocated. */
static place_memo *memo_of(gaz_db *g, uint32_t place)
{
    if (!g->memo)
        return NULL;
    place_memo *m = &g->memo[place & (PLACE_MEMO - 1)];
    if (m->place1 != place + 1) {
        m->place1 = place + 1;
        m->has = 0;
    }
    return m;
}

/* The memo, ready for a look-up of query q (its nearness point). */
static void memo_for(gaz_db *g, const gaz_query *q)
{
    if (!g->memo) { /* empty: no term to clear (nor pages to touch) */
        if (!(g->memo = calloc(PLACE_MEMO, sizeof *g->memo)))
            return;
        if (q && q->has_near) {
            g->memo_lat = q->near_lat;
            g->memo_lon = q->near_lon;
        }
        return;
    }
    if (q && q->has_near && !(g->memo_lat == q->near_lat && g->memo_lon == q->near_lon)) {
        for (size_t i = 0; i < PLACE_MEMO; i++)
            g->memo[i].has &= 1u; /* another point: the nearness terms go */
        g->memo_lat = q->near_lat;
        g->memo_lon = q->near_lon;
    }
}

/* collect() from the read index: the same candidates, offered in the same
 * order to the list of the best `max` (g->icands), less those that cannot
 * be among them. With more rows than `max`, a first pass bounds each row's
 * score before nearness cheaply (score_bounds) and finds the max-th best
 * lower bound of distinct places (the list's entries count with their
 * scores): a row whose upper bound, with the most nearness can add at its
 * distance's lower bound, is below it is beaten by `max` other places, or
 * by its own place's better entry, so the list's end is the same without
 * it, and its exact score (log10, distance, exp) is never computed. A
 * candidate whose score cannot reach the full list's last (its score
 * before nearness plus the most nearness can add) is left without
 * computing its distance the same way. */
static int collect_index(gaz_db *g, const gazp_ix_rec *recs, size_t n, int match,
                         const gaz_query *q, size_t max, cx_err *err)
{
    if (g->cap_icands < max + 1) {
        icand *nv = realloc(g->icands, (max + 1) * sizeof *nv);
        if (!nv)
            return cx_err_set(err, CX_ENOMEM, g->path, 0, "out of memory");
        g->icands = nv;
        g->cap_icands = max + 1;
    }
    bool by_country = q && q->country && *q->country;
    bool has_near = q && q->has_near;
    double cos_near = 0;
    if (n && has_near) { /* the same point, look-up after look-up */
        if (!(g->cos_of == q->near_lat)) {
            g->cos_of = q->near_lat;
            g->cos_val = near_cos(q);
        }
        cos_near = g->cos_val;
    }
    const char *strings = gazp_index_strings(g->ix);
    /* first pass: bounds, when some rows can be left out */
    bool bounded = max > 0 && max <= 64 && n > max;
    if (bounded && g->cap_ubs < n) {
        double *nv = realloc(g->ubs, n * sizeof *nv);
        if (!nv)
            return cx_err_set(err, CX_ENOMEM, g->path, 0, "out of memory");
        g->ubs = nv;
        g->cap_ubs = n;
    }
    double floor_lb = -INFINITY;
    if (bounded) {
        place_lb top[64];
        size_t k = 0;
        for (size_t i = 0; i < g->n_icands; i++)
            offer_lb(top, &k, max, g->icands[i].id, g->icands[i].score);
        for (size_t i = 0; i < n; i++) {
            const gazp_ix_rec *row = &recs[i];
            const char *cc = by_country ? gazp_index_country(g->ix, row) : "";
            if (by_country && q->only_country && strcmp(q->country, cc)) {
                g->ubs[i] = NAN;
                continue;
            }
            double lo, hi;
            score_bounds(match, row->flags, (long)row->population, row->bonus,
                         row->incimap != 0, cc, q, &lo, &hi);
            g->ubs[i] = hi;
            offer_lb(top, &k, max, row->id, lo);
        }
        if (k == max)
            floor_lb = top[max - 1].lb;
    }
    for (size_t i = 0; i < n; i++) {
        /* filtered out, or beaten by `max` places even at no distance */
        if (bounded && !(g->ubs[i] + (has_near ? 25 + 1e-6 : 0) >= floor_lb))
            continue;
        const gazp_ix_rec *row = &recs[i];
        /* the place's terms (its distance's bound, population, nearness) as
         * computed before for it, the same doubles: a place comes again
         * under the exact and the transliteration keys and other names */
        place_memo *pm = memo_of(g, row->place);
        double dlow = 0, near_hi = 0;
        if (has_near) {
            if (pm && (pm->has & 4)) {
                dlow = pm->dlow;
                near_hi = pm->near_hi;
            } else {
                dlow = distance_km_lower(q->near_lat, q->near_lon, cos_near, row->lat, row->lon);
                near_hi = gazp_near_upper(dlow) + 1e-6;
                if (pm) {
                    pm->dlow = dlow;
                    pm->near_hi = near_hi;
                    pm->has |= 4;
                }
            }
        }
        if (bounded && !(g->ubs[i] + near_hi >= floor_lb))
            continue; /* beaten by `max` places at its distance */
        gazp_ix_view v;
        gazp_index_view(row, strings, &v);
        const char *cc = by_country ? gazp_index_country(g->ix, row) : "";
        if (!bounded && by_country && q->only_country && strcmp(q->country, cc))
            continue;
        double pop_term = 0;
        if (v.population > 0) {
            if (pm && (pm->has & 1)) {
                pop_term = pm->pop;
            } else {
                pop_term = 4 * log10(1.0 + (double)v.population);
                if (pm) {
                    pm->pop = pop_term;
                    pm->has |= 1;
                }
            }
        }
        double s = score_base_with(match, v.flags, v.population, pop_term, v.bonus, v.incimap,
                                   cc, q);
        if (has_near && max > 0 && g->n_icands == max && s + near_hi < g->icands[max - 1].score)
            continue; /* cannot reach the full list's last */
        if (has_near && !(s >= 32 && dlow > 5800)) {
            /* else negligible: gazp_near_negligible, from the bound at hand */
            double near_term;
            if (pm && (pm->has & 2)) {
                near_term = pm->near;
            } else {
                double d = gazp_distance_km_from(q->near_lat, q->near_lon, cos_near, v.lat, v.lon);
                near_term = 25 * exp(-d / 150.0);
                if (pm) {
                    pm->near = near_term;
                    pm->has |= 2;
                }
            }
            s += near_term;
        }
        icand t = {row, match, v.id, v.population, s, v.matched};
        offer_icand(g->icands, &g->n_icands, max, &t);
    }
    return 0;
}

/* The best places of a transliteration key that many names share (the
 * skeleton "KaLa" of Kala, Kalla, Qala, Gala...: hundreds of rows), kept
 * per handle: fresh text asks for the same skeletons under many names. The
 * best `max` places of the exact and the transliteration rows together are
 * the best of the exact rows and of the transliteration key's own best
 * `max` (a place below those is beaten by `max` others either way), so the
 * key's list is computed alone, once, and offered to each look-up's exact
 * list. A slot is kept for one query (country, filter, point) and serves
 * a `max` up to its own. */
#define TKEY_SLOTS 8192   /* two-way sets on the key's hash (about 4 MB, allocated on first
                             use): the default gazetteer has 4,233 keys of 16 rows or more */
#define TKEY_MIN_ROWS 16  /* keys with fewer rows are read again */
#define TKEY_KEEP 8       /* the most places a slot keeps */
typedef struct tkey_slot {
    char key[48];         /* "" when empty */
    size_t klen, max, n;
    unsigned long used;   /* the handle's clock at its last use (0: empty) */
    char country[8];      /* the query's */
    bool only_country, has_near;
    double near_lat, near_lon;
    icand top[TKEY_KEEP];
} tkey_slot;

static bool tkey_query_is(const tkey_slot *t, const gaz_query *q)
{
    const char *c = q && q->country ? q->country : "";
    return !strcmp(t->country, c) && t->only_country == (q && q->only_country) &&
           t->has_near == (q && q->has_near) &&
           (!t->has_near || (t->near_lat == q->near_lat && t->near_lon == q->near_lon));
}

/* collect_index of the transliteration key g->tkey into the list the exact
 * key left in g->icands, through the handle's slots. */
static int collect_tkey(gaz_db *g, const gaz_query *q, size_t max, cx_err *err)
{
    const char *key = g->tkey.data;
    size_t klen = g->tkey.len, n = 0;
    const char *c = q && q->country ? q->country : "";
    const gazp_ix_rec *recs = gazp_index_find(g->ix, GAZP_IX_TKEY, key, klen, &n);
    if (n < TKEY_MIN_ROWS || max == 0 || max > TKEY_KEEP ||
        klen >= sizeof((tkey_slot *)0)->key || strlen(c) >= sizeof((tkey_slot *)0)->country ||
        (!g->tkeys && !(g->tkeys = calloc(TKEY_SLOTS, sizeof *g->tkeys))))
        return collect_index(g, recs, n, CX_MATCH_TRANSLIT, q, max, err);
    unsigned long h = 5381;
    for (size_t i = 0; i < klen; i++)
        h = h * 33 + (unsigned char)key[i];
    tkey_slot *set = &g->tkeys[2 * (h % (TKEY_SLOTS / 2))], *t = NULL;
    for (int w = 0; w < 2 && !t; w++)
        if (set[w].used && set[w].klen == klen && !memcmp(set[w].key, key, klen) &&
            set[w].max >= max && tkey_query_is(&set[w], q))
            t = &set[w];
    if (!t) {
        t = set[0].used <= set[1].used ? &set[0] : &set[1];
        /* the key's own best, the exact list set aside */
        icand exact[TKEY_KEEP];
        size_t n_exact = g->n_icands;
        memcpy(exact, g->icands, n_exact * sizeof *exact);
        g->n_icands = 0;
        int rc = collect_index(g, recs, n, CX_MATCH_TRANSLIT, q, max, err);
        if (rc) {
            t->klen = 0;
            t->key[0] = '\0';
            t->used = 0;
            return rc;
        }
        memcpy(t->key, key, klen);
        t->key[klen] = '\0';
        t->klen = klen;
        t->max = max;
        t->n = g->n_icands;
        memcpy(t->top, g->icands, t->n * sizeof *t->top);
        memcpy(t->country, c, strlen(c) + 1); /* shorter than the field (checked above) */
        t->only_country = q && q->only_country;
        t->has_near = q && q->has_near;
        t->near_lat = t->has_near ? q->near_lat : 0;
        t->near_lon = t->has_near ? q->near_lon : 0;
        memcpy(g->icands, exact, n_exact * sizeof *exact);
        g->n_icands = n_exact;
    }
    t->used = ++g->tkey_clock;
    for (size_t i = 0; i < t->n; i++)
        offer_icand(g->icands, &g->n_icands, max, &t->top[i]);
    return 0;
}

/* gaz_lookup from the read index, once the key is folded into g->key. */
static int lookup_index(gaz_db *g, const char *name, size_t len, const gaz_query *q,
                        cx_place *out, size_t max, size_t *n_out, cx_err *err)
{
    g->n_icands = 0;
    memo_for(g, q);
    size_t n_rows = 0;
    const gazp_ix_rec *recs = gazp_index_find(g->ix, GAZP_IX_KEY, g->key.data, g->key.len,
                                              &n_rows);
    int rc = collect_index(g, recs, n_rows, CX_MATCH_EXACT, q, max, err);
    if (rc)
        return rc;
    if (q && q->translit) {
        rc = cx_translit_key_folded(name, len, g->key.data, g->key.len, &g->tkey);
        if (rc)
            return cx_err_set(err, rc, NULL, 0, "cannot transliterate the lookup name");
        bool same = g->tkey.len == g->key.len && !memcmp(g->tkey.data, g->key.data, g->key.len);
        if (!same && g->tkey.len) {
            rc = collect_tkey(g, q, max, err);
            if (rc)
                return rc;
        }
    }
    size_t n = g->n_icands < max ? g->n_icands : max;
    for (size_t i = 0; i < n; i++) {
        int flags;
        memset(&out[i], 0, sizeof out[i]);
        gazp_index_candidate(g->ix, g->icands[i].rec, &out[i], &flags);
        out[i].match = g->icands[i].match;
        out[i].score = g->icands[i].score;
    }
    *n_out = n;
    return 0;
}

static int cmp_cand(const void *a, const void *b)
{
    const cx_place *x = &((const cand *)a)->p, *y = &((const cand *)b)->p;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    if (x->population != y->population)
        return x->population > y->population ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

/* by place, best score first (ties: exact before translit, then the name) */
static int cmp_by_place(const void *a, const void *b)
{
    const cx_place *x = &((const cand *)a)->p, *y = &((const cand *)b)->p;
    if (x->id != y->id)
        return x->id < y->id ? -1 : 1;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    if (x->match != y->match)
        return x->match < y->match ? -1 : 1;
    return strcmp(x->matched, y->matched);
}

int gaz_lookup(gaz_db *g, const char *name, size_t len, const gaz_query *q, cx_place *out,
               size_t max, size_t *n_out, cx_err *err)
{
    if (n_out)
        *n_out = 0;
    if (!g || !name || !n_out || (max && !out))
        return cx_err_set(err, CX_EINVAL, NULL, 0, "gaz_lookup: bad arguments");
    if (!cx_utf8_valid(name, len, NULL))
        return cx_err_set(err, CX_EFORMAT, NULL, 0, "lookup name is not valid UTF-8");
    int rc = cx_fold_key(name, len, &g->key);
    if (rc)
        return cx_err_set(err, rc, NULL, 0, "cannot fold the lookup name");
    if (g->key.len == 0)
        return 0;
    if (g->ix)
        return lookup_index(g, name, len, q, out, max, n_out, err);
    /* the cache */
    char ckey[200];
    cache_slot *slot = NULL;
    int kl = snprintf(ckey, sizeof ckey, "%s\x1f%s\x1f%d%d%d\x1f%.5f,%.5f", g->key.data,
                      q && q->country ? q->country : "", q && q->translit,
                      q && q->only_country, q && q->has_near, q && q->has_near ? q->near_lat : 0,
                      q && q->has_near ? q->near_lon : 0);
    if (kl > 0 && (size_t)kl < sizeof ckey) {
        if (!g->cache)
            g->cache = calloc(CACHE_SLOTS, sizeof *g->cache);
        if (g->cache) {
            unsigned long h = 5381;
            for (int i = 0; i < kl; i++)
                h = h * 33 + (unsigned char)ckey[i];
            cache_slot *set = &g->cache[2 * (h % CACHE_SETS)];
            g->clock++;
            for (int w = 0; w < 2; w++) {
                cache_slot *c = &set[w];
                if (!strcmp(c->key, ckey) && (max <= c->n || c->n == c->total)) {
                    size_t n = c->n < max ? c->n : max;
                    memcpy(out, c->res, n * sizeof *out);
                    c->used = g->clock;
                    *n_out = n;
                    return 0;
                }
            }
            slot = set[0].used <= set[1].used ? &set[0] : &set[1];
        }
    }
    g->n_cands = 0;
    rc = collect(g, g->by_key, g->key.data, g->key.len, CX_MATCH_EXACT, q, err);
    if (rc)
        return rc;
    if (q && q->translit) {
        rc = cx_translit_key_folded(name, len, g->key.data, g->key.len, &g->tkey);
        if (rc)
            return cx_err_set(err, rc, NULL, 0, "cannot transliterate the lookup name");
        bool same = g->tkey.len == g->key.len && !memcmp(g->tkey.data, g->key.data, g->key.len);
        if (!same && g->tkey.len) {
            rc = collect(g, g->by_tkey, g->tkey.data, g->tkey.len, CX_MATCH_TRANSLIT, q, err);
            if (rc)
                return rc;
        }
    }
    /* one candidate per place, with its best-scoring name */
    if (g->n_cands > 1) {
        qsort(g->cands, g->n_cands, sizeof *g->cands, cmp_by_place);
        size_t w = 0;
        for (size_t i = 0; i < g->n_cands; i++)
            if (w == 0 || g->cands[w - 1].p.id != g->cands[i].p.id)
                g->cands[w++] = g->cands[i];
        g->n_cands = w;
        qsort(g->cands, g->n_cands, sizeof *g->cands, cmp_cand);
    }
    size_t n = g->n_cands < max ? g->n_cands : max;
    for (size_t i = 0; i < n; i++)
        out[i] = g->cands[i].p;
    *n_out = n;
    if (slot) {
        snprintf(slot->key, sizeof slot->key, "%s", ckey);
        slot->used = g->clock;
        slot->total = g->n_cands;
        slot->n = g->n_cands < CACHE_KEEP ? g->n_cands : CACHE_KEEP;
        for (size_t i = 0; i < slot->n; i++)
            slot->res[i] = g->cands[i].p;
    }
    return 0;
}

/* ===== Probe ===== */

int gaz_probe(gaz_db *g, const char *key, size_t len, cx_err *err)
{
    if (!g || !key)
        return cx_err_set(err, CX_EINVAL, NULL, 0, "gaz_probe: bad arguments");
    if (len == 0)
        return 0;
    if (g->ix)
        return gazp_index_probe(g->ix, key, len);
    int mask = 0;
    sqlite3_bind_text(g->probe_eq, 1, key, (int)len, SQLITE_STATIC);
    int rc = sqlite3_step(g->probe_eq);
    sqlite3_reset(g->probe_eq);
    if (rc == SQLITE_ROW)
        mask |= GAZ_PROBE_NAME;
    else if (rc != SQLITE_DONE)
        return db_fail(g, err, "probe");
    /* key + " " <= k < key + "!" : the multi-word names starting with key */
    cx_buf_reset(&g->tmp);
    if (cx_buf_append(&g->tmp, key, len) || cx_buf_putc(&g->tmp, ' ') ||
        cx_buf_append(&g->tmp, key, len) || cx_buf_putc(&g->tmp, '!'))
        return cx_err_set(err, CX_ENOMEM, NULL, 0, "out of memory");
    sqlite3_bind_text(g->probe_pre, 1, g->tmp.data, (int)len + 1, SQLITE_STATIC);
    sqlite3_bind_text(g->probe_pre, 2, g->tmp.data + len + 1, (int)len + 1, SQLITE_STATIC);
    rc = sqlite3_step(g->probe_pre);
    sqlite3_reset(g->probe_pre);
    if (rc == SQLITE_ROW)
        mask |= GAZ_PROBE_PREFIX;
    else if (rc != SQLITE_DONE)
        return db_fail(g, err, "probe");
    return mask;
}

/* ===== Locate ===== */

int gaz_locate(gaz_db *g, double lat, double lon, char country[3], char *admin1,
               size_t admin1_size, cx_err *err)
{
    if (country)
        country[0] = '\0';
    if (admin1 && admin1_size)
        admin1[0] = '\0';
    if (!g || !isfinite(lat) || !isfinite(lon))
        return cx_err_set(err, CX_EINVAL, NULL, 0, "gaz_locate: bad arguments");
    if (!g->splite) { /* the first spatial query of this connection */
        if (cx_spatialite_load(g->db, g->path, err) != 0)
            return CX_EDB;
        g->splite = true;
    }
    if (!g->locate &&
        prep(g,
             "SELECT country, name, kind FROM regions WHERE ROWID IN ("
             " SELECT ROWID FROM SpatialIndex WHERE f_table_name = 'regions'"
             " AND f_geometry_column = 'geom' AND search_frame = MakePoint(?2, ?1, 4326))"
             " AND ST_Contains(geom, MakePoint(?2, ?1, 4326)) ORDER BY kind",
             &g->locate, err))
        return CX_EDB;
    sqlite3_bind_double(g->locate, 1, lat);
    sqlite3_bind_double(g->locate, 2, lon);
    char cc[3] = "";
    bool have_admin1 = false;
    int rc;
    while ((rc = sqlite3_step(g->locate)) == SQLITE_ROW) {
        int kind = sqlite3_column_int(g->locate, 2);
        const unsigned char *c = sqlite3_column_text(g->locate, 0);
        if (kind == CX_KIND_COUNTRY && !cc[0] && c && strlen((const char *)c) == 2)
            memcpy(cc, c, 3);
        if (kind == CX_KIND_ADMIN1 && !have_admin1 && admin1 && admin1_size) {
            copy_col(admin1, admin1_size, g->locate, 1);
            have_admin1 = true;
            if (!cc[0] && c && strlen((const char *)c) == 2)
                memcpy(cc, c, 3);
        }
    }
    sqlite3_reset(g->locate);
    if (rc != SQLITE_DONE)
        return db_fail(g, err, "locate");
    /* No admin-1 polygon: the nearest admin-1 centre of that country whose
     * radius covers the point. */
    if (cc[0] && !have_admin1 && admin1 && admin1_size) {
        if (!g->admin1_near &&
            prep(g,
                 "SELECT coalesce(admin1_name, name), lat, lon, radius_km FROM places"
                 " WHERE kind = 1 AND country = ?1",
                 &g->admin1_near, err))
            return CX_EDB;
        sqlite3_bind_text(g->admin1_near, 1, cc, 2, SQLITE_STATIC);
        double best = INFINITY;
        while ((rc = sqlite3_step(g->admin1_near)) == SQLITE_ROW) {
            double d = gazp_distance_km(lat, lon, sqlite3_column_double(g->admin1_near, 1),
                                        sqlite3_column_double(g->admin1_near, 2));
            double r = sqlite3_column_double(g->admin1_near, 3);
            if (d <= (r > 0 ? r : GAZP_ADMIN1_RADIUS_KM) && d < best) {
                best = d;
                copy_col(admin1, admin1_size, g->admin1_near, 0);
            }
        }
        sqlite3_reset(g->admin1_near);
        if (rc != SQLITE_DONE)
            return db_fail(g, err, "locate admin-1");
    }
    if (country)
        memcpy(country, cc, 3);
    return 0;
}

/* ===== Meta ===== */

int gaz_meta(gaz_db *g, const char *key, char *buf, size_t size, cx_err *err)
{
    if (!g || !key || !buf || !size)
        return cx_err_set(err, CX_EINVAL, NULL, 0, "gaz_meta: bad arguments");
    buf[0] = '\0';
    sqlite3_bind_text(g->meta, 1, key, -1, SQLITE_STATIC);
    int rc = sqlite3_step(g->meta);
    if (rc == SQLITE_ROW) {
        copy_col(buf, size, g->meta, 0);
        sqlite3_reset(g->meta);
        return 0;
    }
    sqlite3_reset(g->meta);
    if (rc == SQLITE_DONE)
        return cx_err_set(err, CX_ENOTFOUND, g->path, 0, "no meta value \"%s\"", key);
    return db_fail(g, err, "meta");
}

/* ===== The read index (gaz_index.c) ===== */

/* PATH.idx beside the gazetteer, or DIR/NAME-HASH.idx in `cache_dir`. */
static void index_path(const gaz_db *g, const char *cache_dir, char *buf, size_t size)
{
    if (!cache_dir) {
        snprintf(buf, size, "%s.idx", g->path);
        return;
    }
    char real[4096];
    const char *p = realpath(g->path, real) ? real : g->path;
    unsigned long h = 5381;
    for (const char *c = p; *c; c++)
        h = h * 33 + (unsigned char)*c;
    const char *base = strrchr(p, '/');
    snprintf(buf, size, "%s/%s-%08lx.idx", cache_dir, base ? base + 1 : p, h & 0xffffffffUL);
}

int gaz_use_index(gaz_db *g, const char *cache_dir, cx_err *err)
{
    if (!g)
        return cx_err_set(err, CX_EINVAL, NULL, 0, "gaz_use_index: bad arguments");
    if (g->ix)
        return 0;
    char ident[128], path[4400];
    if (gazp_index_ident(g->db, ident, sizeof ident) != 0)
        return db_fail(g, err, "reading meta");
    cx_err e2;
    cx_err_clear(&e2);
    /* beside the gazetteer, else in the cache folder; written where missing
     * or stale */
    for (int where = 0; where < (cache_dir ? 2 : 1); where++) {
        index_path(g, where ? cache_dir : NULL, path, sizeof path);
        cx_err_clear(&e2);
        if ((g->ix = gazp_index_open(path, ident, &e2)))
            return 0;
        if (where == 1)
            mkdir(cache_dir, 0777);
        cx_err_clear(&e2);
        if (gazp_index_write(g->db, path, &e2) == 0 &&
            (g->ix = gazp_index_open(path, ident, &e2)))
            return 0;
        if (e2.code == CX_ENOMEM)
            break;
    }
    return cx_err_set(err, e2.code ? e2.code : CX_EIO, e2.source, e2.line, "%s", e2.msg);
}

int gaz_share_index(gaz_db *g, const gaz_db *from)
{
    if (!g || !from || !from->ix || g->ix)
        return CX_EINVAL;
    g->ix = from->ix;
    g->ix_borrowed = true;
    return 0;
}

bool gaz_has_index(const gaz_db *g)
{
    return g && g->ix;
}

int gaz_write_index(const char *path, cx_err *err)
{
    gaz_db *g = gaz_open(path, err);
    if (!g)
        return err && err->code ? err->code : CX_EDB;
    char ipath[4400];
    index_path(g, NULL, ipath, sizeof ipath);
    int rc = gazp_index_write(g->db, ipath, err);
    gaz_close(g);
    return rc;
}
