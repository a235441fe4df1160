/* merge.c -- reports of the same incident merged into one. See merge.h.
 *
 * Does: the compatibility predicate, bucketing (hash of type + date span +
 * grid cell or place_id), union-find components, greedy anchored clustering
 * inside a component, and the merged fields.
 * Does not: any I/O, or geodesy beyond a haversine distance (thresholds are
 * kilometres on a sphere, which is all a 2-50 km radius needs). */
#include "merge.h"

#include "cx_mem.h"
#include "sha256.h"

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ===== Options and geometry ===== */

void mrg_options_init(mrg_options *opts)
{
    opts->km_prec1 = MRG_KM_PREC1;
    opts->km_prec2 = MRG_KM_PREC2;
    opts->km_prec3 = MRG_KM_PREC3;
}

static mrg_options options_or_default(const mrg_options *opts)
{
    mrg_options o;
    if (opts)
        return *opts;
    mrg_options_init(&o);
    return o;
}

static double prec_km(const mrg_options *o, int p)
{
    return p == 1 ? o->km_prec1 : p == 2 ? o->km_prec2 : o->km_prec3;
}

double mrg_radius_km(const mrg_options *opts, int pa, int pb)
{
    mrg_options o = options_or_default(opts);
    double ra = prec_km(&o, pa), rb = prec_km(&o, pb);
    return ra > rb ? ra : rb;
}

double mrg_distance_km(double lon1, double lat1, double lon2, double lat2)
{
    const double rad = 3.14159265358979323846 / 180.0;
    double dlat = (lat2 - lat1) * rad, dlon = (lon2 - lon1) * rad;
    double s1 = sin(dlat / 2), s2 = sin(dlon / 2);
    double h = s1 * s1 + cos(lat1 * rad) * cos(lat2 * rad) * s2 * s2;
    if (h > 1.0)
        h = 1.0;
    return 2.0 * 6371.0088 * asin(sqrt(h));
}

/* What the place rule reads of a report. The streaming merge (mrg_sweep)
 * keeps only this of the reports it holds, with interned strings. */
typedef struct place_view {
    const char *pid, *name, *place; /* place_id, place_name, place */
    int geo_prec;
    double lon, lat;
} place_view;

static place_view view_of(const ext_incident *r)
{
    return (place_view){r->place_id, r->place_name, r->place, r->geo_prec, r->lon, r->lat};
}

/* geo_prec 0 (or less) means the place was not resolved: no usable point. */
static bool view_coords(const place_view *a)
{
    return a->geo_prec >= 1 && isfinite(a->lon) && isfinite(a->lat) && a->lat >= -90.0 &&
           a->lat <= 90.0;
}

static bool same_place_view(const place_view *a, const place_view *b, const mrg_options *o)
{
    if (a->pid[0] && strcmp(a->pid, b->pid) == 0)
        return true;
    if (!view_coords(a) || !view_coords(b))
        return false;
    /* a region-level report is not the same incident as one at a named
     * place inside the region: only the same region merges with it */
    if ((a->geo_prec == 3) != (b->geo_prec == 3))
        return false;
    /* two villages the gazetteer lacks, pinned at one unit's point, are two
     * places ("the villages of X and Y, Z district"): their ids differ */
    if (strncmp(a->pid, "unplaced:", 9) == 0 && strncmp(b->pid, "unplaced:", 9) == 0)
        return false;
    /* two differently named places are two places, however close (Sotk and
     * Kut are 400 m apart); the distance rule is for one place known under
     * two gazetteer entries */
    if (a->geo_prec == 1 && b->geo_prec == 1 && strcasecmp(a->name, b->name) != 0 &&
        strcasecmp(a->place, b->place) != 0)
        return false;
    return mrg_distance_km(a->lon, a->lat, b->lon, b->lat) <= mrg_radius_km(o, a->geo_prec,
                                                                             b->geo_prec);
}

static bool same_place(const ext_incident *a, const ext_incident *b, const mrg_options *o)
{
    place_view va = view_of(a), vb = view_of(b);
    return same_place_view(&va, &vb, o);
}

/* Whether a report is compatible with itself, so that its copies (equal in
 * every field the rules read) are always compatible: it has a place_id or
 * a usable point. */
static bool self_compatible(const place_view *v)
{
    return v->pid[0] || view_coords(v);
}

/* ===== Dates ===== */

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm). */
static long days_from_civil(long y, long m, long d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int month_days(long y, long m)
{
    static const int len[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : len[m - 1];
}

/* Parse "YYYY", "YYYY-MM" or "YYYY-MM-DD"; returns how many parts (0 bad). */
static int parse_date(const char *s, long *y, long *m, long *d)
{
    size_t n = strnlen(s, 11);
    for (size_t i = 0; i < n; i++) {
        bool dash = i == 4 || i == 7;
        if (dash ? s[i] != '-' : (s[i] < '0' || s[i] > '9'))
            return 0;
    }
    if (n != 4 && n != 7 && n != 10)
        return 0;
    *y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    *m = *d = 1;
    if (n == 4)
        return 1;
    *m = (s[5] - '0') * 10 + (s[6] - '0');
    if (*m < 1 || *m > 12)
        return 0;
    if (n == 7)
        return 2;
    *d = (s[8] - '0') * 10 + (s[9] - '0');
    if (*d < 1 || *d > month_days(*y, *m))
        return 0;
    return 3;
}

/* The effective precision of a date: date_prec, coarsened to what the string
 * holds. EXT_PREC_UNKNOWN when the string is empty or malformed. */
static int effective_prec(const ext_incident *inc, long *y, long *m, long *d)
{
    int parts = parse_date(inc->date, y, m, d);
    int p = inc->date_prec;
    if (parts == 0 || p < EXT_PREC_DAY || p >= EXT_PREC_UNKNOWN)
        return EXT_PREC_UNKNOWN;
    if ((p == EXT_PREC_DAY || p == EXT_PREC_WEEK) && parts < 3)
        p = parts == 2 ? EXT_PREC_MONTH : EXT_PREC_YEAR;
    if (p == EXT_PREC_MONTH && parts < 2)
        p = EXT_PREC_YEAR;
    return p;
}

static bool span_of(const ext_incident *inc, int *prec, long *lo, long *hi)
{
    long y, m, d;
    int p = effective_prec(inc, &y, &m, &d);
    *prec = p;
    *lo = *hi = 0;
    switch (p) {
    case EXT_PREC_DAY:
        *lo = *hi = days_from_civil(y, m, d);
        return true;
    case EXT_PREC_WEEK:
        *lo = days_from_civil(y, m, d);
        *hi = *lo + 6;
        return true;
    case EXT_PREC_MONTH:
        *lo = days_from_civil(y, m, 1);
        *hi = *lo + month_days(y, m) - 1;
        return true;
    case EXT_PREC_YEAR:
        *lo = days_from_civil(y, 1, 1);
        *hi = days_from_civil(y, 12, 31);
        return true;
    default:
        return false;
    }
}

bool mrg_date_span(const ext_incident *inc, long *lo, long *hi)
{
    int p;
    return span_of(inc, &p, lo, hi);
}

static bool nested(long alo, long ahi, long blo, long bhi)
{
    return (alo <= blo && bhi <= ahi) || (blo <= alo && ahi <= bhi);
}

/* The year of a report's publication date, 0 when unknown. */
static int pub_year(const ext_incident *r)
{
    const char *p = r->published;
    for (int i = 0; i < 4; i++)
        if (p[i] < '0' || p[i] > '9')
            return 0;
    return (p[0] - '0') * 1000 + (p[1] - '0') * 100 + (p[2] - '0') * 10 + (p[3] - '0');
}

/* Two undated reports: the same year of publication, or one unknown. An
 * undated report of 2020 and one of 2023 are not one incident (the war and
 * the offensive three years later at the same town). */
static bool pub_ok(int a, int b) { return !a || !b || a == b; }

/* The day a report's article was published (a month-only date: its first
 * day), false when unknown. */
static bool pub_day(const ext_incident *r, long *day)
{
    long y, m, d;
    int parts = parse_date(r->published, &y, &m, &d);
    if (parts < 2)
        return false;
    *day = days_from_civil(y, m, parts == 3 ? d : 1);
    return true;
}

/* A report dated only to a month or a year, told in an article published
 * more than a year from the other report's ("the war of 2020", written in
 * 2022), recalls a period: it is not one incident with a report of that
 * time, whose span happens to contain it. */
static bool recalled(int pa, long da, int pb, long db)
{
    if ((pa <= EXT_PREC_WEEK && pb <= EXT_PREC_WEEK) || da == LONG_MIN || db == LONG_MIN)
        return false;
    return labs(da - db) > 366;
}

static long pub_day_or_none(const ext_incident *r)
{
    long d;
    return pub_day(r, &d) ? d : LONG_MIN;
}

static bool dates_compatible(const ext_incident *a, const ext_incident *b)
{
    long alo, ahi, blo, bhi;
    int pa, pb;
    bool ka = span_of(a, &pa, &alo, &ahi), kb = span_of(b, &pb, &blo, &bhi);
    if (!ka && !kb)
        return pub_ok(pub_year(a), pub_year(b));
    if (!ka || !kb)
        return false; /* unknown merges only with unknown */
    return nested(alo, ahi, blo, bhi) &&
           !recalled(pa, pub_day_or_none(a), pb, pub_day_or_none(b));
}

bool mrg_compatible(const ext_incident *a, const ext_incident *b, const mrg_options *opts)
{
    mrg_options o = options_or_default(opts);
    return a->type == b->type && dates_compatible(a, b) && same_place(a, b, &o);
}

/* ===== Canonical orders ===== */

static int cmp_int(long a, long b) { return (a > b) - (a < b); }

/* NaN sorts last; -0.0 equals 0.0. */
static int cmp_double(double a, double b)
{
    if (isnan(a) || isnan(b))
        return isnan(a) - isnan(b);
    return (a > b) - (a < b);
}

static int geo_rank(int geo_prec) { return geo_prec >= 1 && geo_prec <= 3 ? geo_prec : 9; }

static const char *first_doc(const ext_incident *a)
{
    return a->n_doc_ids ? a->doc_ids[0] : "";
}

static int cmp_str(const char *a, const char *b) { return strcmp(a ? a : "", b ? b : ""); }

/* Unknown, none, then by position (as SQLite orders NULL, -1, offsets). */
static int cmp_span(ext_span a, ext_span b)
{
    int c = cmp_int(a.start, b.start);
    return c ? c : cmp_int(a.end, b.end);
}

/* Every field that reaches the output, after the leading keys of the caller. */
static int cmp_rest(const ext_incident *a, const ext_incident *b)
{
    int c;
    if ((c = cmp_str(a->evidence, b->evidence)) || (c = strcmp(a->actor1, b->actor1)) ||
        (c = strcmp(a->actor2, b->actor2)) || (c = strcmp(a->claimed_by, b->claimed_by)) ||
        (c = cmp_int(a->fatalities, b->fatalities)) ||
        (c = cmp_int(a->fatalities_max, b->fatalities_max)) ||
        (c = cmp_int(a->injured, b->injured)) || (c = strcmp(a->place, b->place)) ||
        (c = strcmp(a->place_name, b->place_name)) || (c = strcmp(a->country, b->country)) ||
        (c = strcmp(a->admin1, b->admin1)) || (c = cmp_int(a->geo_prec, b->geo_prec)) ||
        (c = cmp_int(a->date_prec, b->date_prec)) || (c = strcmp(a->date, b->date)) ||
        (c = cmp_double(a->confidence, b->confidence)) ||
        (c = cmp_double(a->border_km, b->border_km)) ||
        (c = cmp_int(a->contested, b->contested)) || (c = cmp_int(a->n_sources, b->n_sources)) ||
        (c = cmp_int((long)a->n_doc_ids, (long)b->n_doc_ids)) ||
        (c = cmp_span(a->trig_span, b->trig_span)) || (c = cmp_span(a->place_span, b->place_span)))
        return c;
    for (size_t i = 0; i < a->n_doc_ids; i++)
        if ((c = strcmp(a->doc_ids[i], b->doc_ids[i])))
            return c;
    return 0;
}

/* The order of reports inside a component: most precise first (date, then
 * place), then most confident, then earliest (doc id, offset), then all. */
typedef struct report_info {
    int prec;      /* effective date precision */
    bool known;    /* date span known */
    long lo, hi;   /* date span */
    int pub;       /* year of publication (pub_year), 0 unknown */
    long pday;     /* day of publication (pub_day), LONG_MIN unknown */
} report_info;

/* The publication day as far as linking reads it (recalled): for a report
 * dated to a month or a year; LONG_MIN otherwise. Equal link fields must
 * include it, or a class of interchangeable reports would not be. */
static long link_pday(const report_info *ri)
{
    return ri->known && ri->prec > EXT_PREC_WEEK ? ri->pday : LONG_MIN;
}

static int cmp_report(const ext_incident *a, const report_info *ia, const ext_incident *b,
                      const report_info *ib)
{
    int c;
    if ((c = cmp_int(ia->prec, ib->prec)) || (c = cmp_int(geo_rank(a->geo_prec),
                                                          geo_rank(b->geo_prec))) ||
        (c = cmp_double(b->confidence, a->confidence)) ||
        (c = strcmp(first_doc(a), first_doc(b))) ||
        (c = (a->offset > b->offset) - (a->offset < b->offset)) ||
        (c = cmp_int(ia->lo, ib->lo)) || (c = strcmp(a->place_id, b->place_id)) ||
        (c = cmp_double(a->lon, b->lon)) || (c = cmp_double(a->lat, b->lat)))
        return c;
    return cmp_rest(a, b);
}

void mrg_sort_key(const ext_incident *inc, char *buf, size_t size)
{
    long lo, hi;
    char day[64] = "9999-99-99";
    if (mrg_date_span(inc, &lo, &hi)) {
        /* civil_from_days, inverse of days_from_civil */
        long z = lo + 719468;
        long era = (z >= 0 ? z : z - 146096) / 146097;
        long doe = z - era * 146097;
        long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        long d = doy - (153 * mp + 2) / 5 + 1;
        long m = mp < 10 ? mp + 3 : mp - 9;
        long y = yoe + era * 400 + (m <= 2);
        snprintf(day, sizeof day, "%04ld-%02ld-%02ld", y, m, d);
    }
    if (size == 0)
        return;
    snprintf(buf, size, "%s|%d|%d|%s|%012.7f|%011.7f|%s|%010lu|%s", day, inc->date_prec,
             inc->type, inc->place_id, inc->lon + 180.0, inc->lat + 90.0, first_doc(inc),
             (unsigned long)inc->offset, inc->evidence ? inc->evidence : "");
}

int mrg_cmp(const ext_incident *a, const ext_incident *b)
{
    char ka[512], kb[512];
    mrg_sort_key(a, ka, sizeof ka);
    mrg_sort_key(b, kb, sizeof kb);
    int c = strcmp(ka, kb);
    return c ? c : cmp_rest(a, b);
}

/* ===== Buckets ===== */

/* A multimap from keys (type, date span, grid cell or place_id) to indices:
 * reports when linking components, cluster anchors when clustering. The
 * nodes are allocated once (their most is known); the slots grow with the
 * distinct keys. */
enum { KEY_CELL = 0, KEY_PID = 1 };
/* Date key kinds: EXT_PREC_* for a span itself, plus the containers an
 * anchor is also filed under, so that a vaguer report finds it. */
enum { DK_IN_MONTH = 10, DK_IN_YEAR = 11 };
#define CELL_DEG 0.5

typedef struct key {
    int kind, type, dkind;
    long dval;
    long cx, cy;     /* KEY_CELL */
    const char *pid; /* KEY_PID: borrowed from an input report */
} key;

typedef struct bucket {
    uint64_t h;
    key k;
    size_t head; /* first node, SIZE_MAX when none */
    bool used;
} bucket;

typedef struct node {
    size_t val, next;
} node;

typedef struct multimap {
    bucket *slots;
    size_t cap;    /* power of two, at least twice the keys */
    size_t n_keys;
    node *nodes;
    size_t n_nodes, max_nodes;
} multimap;

static int mm_init(multimap *m, size_t max_nodes)
{
    /* slots grow with the keys (mm_add): most reports share their keys, and
     * a small merge (one component of a store) starts small */
    m->cap = 16;
    while (m->cap < 2 * max_nodes && m->cap < 1024)
        m->cap *= 2;
    m->n_keys = 0;
    m->slots = calloc(m->cap, sizeof *m->slots);
    m->nodes = malloc((max_nodes ? max_nodes : 1) * sizeof *m->nodes);
    m->n_nodes = 0;
    m->max_nodes = max_nodes;
    return m->slots && m->nodes ? 0 : CX_ENOMEM;
}

static void mm_free(multimap *m)
{
    free(m->slots);
    free(m->nodes);
}

static uint64_t mix(uint64_t h, uint64_t v)
{
    h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
    return h * 0xff51afd7ed558ccdull;
}

/* MurmurHash3's finaliser: every input bit reaches the low bits used as
 * the slot index. */
static uint64_t fmix(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 33;
    return h;
}

static uint64_t hash_bytes(uint64_t h, const void *p, size_t n)
{
    const unsigned char *c = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ c[i]) * 1099511628211ull;
    return h;
}

static uint64_t hash_str(uint64_t h, const char *s)
{
    return hash_bytes(h, s ? s : "", s ? strlen(s) + 1 : 1);
}

static uint64_t key_hash(const key *k)
{
    uint64_t h = mix(mix(mix(mix(1469598103934665603ull, (uint64_t)k->kind), (uint64_t)k->type),
                         (uint64_t)k->dkind),
                     (uint64_t)k->dval);
    if (k->kind == KEY_CELL)
        return fmix(mix(mix(h, (uint64_t)k->cx), (uint64_t)k->cy));
    for (const unsigned char *p = (const unsigned char *)k->pid; *p; p++)
        h = (h ^ *p) * 1099511628211ull;
    return fmix(mix(h, 7));
}

static bool key_eq(const key *a, const key *b)
{
    if (a->kind != b->kind || a->type != b->type || a->dkind != b->dkind || a->dval != b->dval)
        return false;
    return a->kind == KEY_CELL ? a->cx == b->cx && a->cy == b->cy : strcmp(a->pid, b->pid) == 0;
}

/* The slot of `k`: its bucket, or the empty slot where it would go. */
static bucket *mm_slot(const multimap *m, const key *k, uint64_t h)
{
    size_t mask = m->cap - 1;
    for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
        bucket *b = &m->slots[i];
        if (!b->used || (b->h == h && key_eq(&b->k, k)))
            return b;
    }
}

static int mm_add(multimap *m, const key *k, size_t val)
{
    uint64_t h = key_hash(k);
    bucket *b = mm_slot(m, k, h);
    if (!b->used && 2 * (m->n_keys + 1) > m->cap) {
        size_t cap = 2 * m->cap;
        bucket *grown = calloc(cap, sizeof *grown);
        if (!grown)
            return CX_ENOMEM;
        for (size_t i = 0; i < m->cap; i++) {
            if (!m->slots[i].used)
                continue;
            size_t j = (size_t)m->slots[i].h & (cap - 1);
            while (grown[j].used)
                j = (j + 1) & (cap - 1);
            grown[j] = m->slots[i];
        }
        free(m->slots);
        m->slots = grown;
        m->cap = cap;
        b = mm_slot(m, k, h);
    }
    if (!b->used) {
        b->used = true;
        b->h = h;
        b->k = *k;
        b->head = SIZE_MAX;
        m->n_keys++;
    }
    node *g = cx_grow(m->nodes, &m->max_nodes, m->n_nodes + 1, sizeof *g, 64);
    if (!g) /* only the sweep's multimap grows */
        return CX_ENOMEM;
    m->nodes = g;
    m->nodes[m->n_nodes] = (node){val, b->head};
    b->head = m->n_nodes++;
    return 0;
}

static size_t mm_head(const multimap *m, const key *k)
{
    const bucket *b = mm_slot(m, k, key_hash(k));
    return b->used ? b->head : SIZE_MAX;
}

static long cell_of(double deg) { return (long)floor(deg / CELL_DEG); }

/* Date keys of a report, each a (kind, value) pair. */
typedef struct dkey {
    int kind;
    long val;
} dkey;

/* The key of a span itself. */
static dkey own_dkey(const report_info *ri, const ext_incident *r)
{
    long y, m, d;
    (void)effective_prec(r, &y, &m, &d);
    dkey k = {ri->prec, 0};
    if (ri->prec == EXT_PREC_DAY || ri->prec == EXT_PREC_WEEK)
        k.val = ri->lo;
    else if (ri->prec == EXT_PREC_MONTH)
        k.val = y * 12 + (m - 1);
    else if (ri->prec == EXT_PREC_YEAR)
        k.val = y;
    return k;
}

/* Keys of the spans that may contain r's span (its own included). `weeks`:
 * whether any week-precision span exists (7 more keys for a day). */
static size_t coarser_dkeys(const report_info *ri, const ext_incident *r, bool weeks,
                            dkey *out)
{
    long y, m, d;
    int p = effective_prec(r, &y, &m, &d);
    size_t n = 0;
    out[n++] = own_dkey(ri, r);
    if (p == EXT_PREC_DAY && weeks)
        for (long s = ri->lo - 6; s <= ri->lo; s++)
            out[n++] = (dkey){EXT_PREC_WEEK, s};
    if (p <= EXT_PREC_WEEK) {
        long mlo = days_from_civil(y, m, 1), mhi = mlo + month_days(y, m) - 1;
        if (ri->lo >= mlo && ri->hi <= mhi)
            out[n++] = (dkey){EXT_PREC_MONTH, y * 12 + (m - 1)};
    }
    if (p <= EXT_PREC_MONTH && ri->hi <= days_from_civil(y, 12, 31))
        out[n++] = (dkey){EXT_PREC_YEAR, y};
    return n;
}

/* Keys under which an anchor is filed: its own, and the month and year
 * containers it lies in (for vaguer reports looking for finer anchors). */
static size_t filed_dkeys(const report_info *ri, const ext_incident *r, dkey *out)
{
    long y, m, d;
    int p = effective_prec(r, &y, &m, &d);
    size_t n = 0;
    out[n++] = own_dkey(ri, r);
    if (p <= EXT_PREC_WEEK) {
        long mlo = days_from_civil(y, m, 1), mhi = mlo + month_days(y, m) - 1;
        if (ri->lo >= mlo && ri->hi <= mhi)
            out[n++] = (dkey){DK_IN_MONTH, y * 12 + (m - 1)};
    }
    if (p <= EXT_PREC_MONTH && ri->hi <= days_from_civil(y, 12, 31))
        out[n++] = (dkey){DK_IN_YEAR, y};
    return n;
}

/* Keys of the finer spans r's span may contain (looked up among anchors). */
static size_t finer_dkeys(const report_info *ri, const ext_incident *r, dkey *out)
{
    long y, m, d;
    int p = effective_prec(r, &y, &m, &d);
    size_t n = 0;
    if (p == EXT_PREC_WEEK)
        for (long day = ri->lo; day <= ri->hi; day++)
            out[n++] = (dkey){EXT_PREC_DAY, day};
    else if (p == EXT_PREC_MONTH)
        out[n++] = (dkey){DK_IN_MONTH, y * 12 + (m - 1)};
    else if (p == EXT_PREC_YEAR)
        out[n++] = (dkey){DK_IN_YEAR, y};
    return n;
}

typedef void (*visit_fn)(void *ctx, size_t val);

/* Call `visit` for every value filed under one of the date keys `dk` and
 * v's place_id, or under one of the grid cells within `rmax` km of v. */
static void near_view(const multimap *m, int type, const place_view *v, const dkey *dk,
                      size_t ndk, double rmax, visit_fn visit, void *ctx)
{
    bool coords = view_coords(v);
    long x0 = 0, x1 = -1, y0 = 0, y1 = -1;
    if (coords) {
        double dlat = rmax / 111.0;
        double clat = fabs(v->lat) + dlat;
        double dlon = clat >= 89.0 ? 360.0 : dlat / cos(clat * 3.14159265358979323846 / 180.0);
        if (dlon > 360.0)
            dlon = 360.0;
        y0 = cell_of(v->lat - dlat), y1 = cell_of(v->lat + dlat);
        x0 = cell_of(v->lon - dlon), x1 = cell_of(v->lon + dlon);
    }
    for (size_t k = 0; k < ndk; k++) {
        key q = {KEY_PID, type, dk[k].kind, dk[k].val, 0, 0, v->pid};
        if (v->pid[0])
            for (size_t j = mm_head(m, &q); j != SIZE_MAX; j = m->nodes[j].next)
                visit(ctx, m->nodes[j].val);
        q.kind = KEY_CELL;
        q.pid = "";
        for (long cy = y0; cy <= y1; cy++)
            for (long cx = x0; cx <= x1; cx++) {
                q.cx = cx;
                q.cy = cy;
                for (size_t j = mm_head(m, &q); j != SIZE_MAX; j = m->nodes[j].next)
                    visit(ctx, m->nodes[j].val);
            }
    }
}

static void for_each_near(const multimap *m, const ext_incident *r, const dkey *dk, size_t ndk,
                          double rmax, visit_fn visit, void *ctx)
{
    place_view v = view_of(r);
    near_view(m, r->type, &v, dk, ndk, rmax, visit, ctx);
}

/* File `val` under the date keys `dk` of v, by cell and by place_id (the
 * multimap keeps the v->pid pointer: it must outlive it). */
static int file_view(multimap *m, int type, const place_view *v, const dkey *dk, size_t ndk,
                     size_t val)
{
    for (size_t k = 0; k < ndk; k++) {
        key q = {KEY_CELL, type, dk[k].kind, dk[k].val, 0, 0, ""};
        if (view_coords(v)) {
            q.cx = cell_of(v->lon);
            q.cy = cell_of(v->lat);
            if (mm_add(m, &q, val))
                return CX_ENOMEM;
        }
        if (v->pid[0]) {
            q.kind = KEY_PID;
            q.cx = q.cy = 0;
            q.pid = v->pid;
            if (mm_add(m, &q, val))
                return CX_ENOMEM;
        }
    }
    return 0;
}

static int file_near(multimap *m, const ext_incident *r, const dkey *dk, size_t ndk, size_t val)
{
    place_view v = view_of(r);
    return file_view(m, r->type, &v, dk, ndk, val);
}

/* ===== Union-find ===== */

static size_t uf_find(size_t *parent, size_t i)
{
    while (parent[i] != i) {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    return i;
}

static void uf_union(size_t *parent, size_t a, size_t b)
{
    a = uf_find(parent, a);
    b = uf_find(parent, b);
    /* the smaller index becomes the root: deterministic, and cheap enough */
    if (a < b)
        parent[b] = a;
    else if (b < a)
        parent[a] = b;
}

/* ===== Merged fields ===== */

/* Add each "; "-separated claimant of `s` to the sorted set `set`. */
static int add_claimants(char ***set, size_t *n, const char *s)
{
    while (*s) {
        const char *end = strstr(s, "; ");
        size_t len = end ? (size_t)(end - s) : strlen(s);
        while (len && s[len - 1] == ' ')
            len--;
        while (len && *s == ' ') {
            s++;
            len--;
        }
        if (len) {
            size_t pos = 0;
            int c = 1;
            for (; pos < *n; pos++) {
                c = strncmp((*set)[pos], s, len);
                if (c == 0 && (*set)[pos][len] != '\0')
                    c = 1;
                if (c >= 0)
                    break;
            }
            if (pos == *n || c != 0) {
                char **grown = realloc(*set, (*n + 1) * sizeof *grown);
                if (!grown)
                    return CX_ENOMEM;
                *set = grown;
                char *copy = malloc(len + 1);
                if (!copy)
                    return CX_ENOMEM;
                memcpy(copy, s, len);
                copy[len] = '\0';
                memmove(&grown[pos + 1], &grown[pos], (*n - pos) * sizeof *grown);
                grown[pos] = copy;
                (*n)++;
            }
        }
        if (!end)
            break;
        s = end + 2;
    }
    return 0;
}

static int cmp_strp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Replace out's doc ids with the sorted set of the `k` members' ids. */
static int collect_doc_ids(const ext_incident *in, const size_t *m, size_t k, size_t n_ids,
                           ext_incident *out)
{
    const char **ids = malloc((n_ids ? n_ids : 1) * sizeof *ids);
    if (!ids)
        return CX_ENOMEM;
    size_t n = 0;
    for (size_t i = 0; i < k; i++)
        for (size_t j = 0; j < in[m[i]].n_doc_ids; j++)
            ids[n++] = in[m[i]].doc_ids[j];
    qsort(ids, n, sizeof *ids, cmp_strp);
    size_t u = 0;
    for (size_t i = 0; i < n; i++)
        if (u == 0 || strcmp(ids[u - 1], ids[i]) != 0)
            ids[u++] = ids[i];
    char **own = calloc(u ? u : 1, sizeof *own);
    int rc = own ? 0 : CX_ENOMEM;
    for (size_t i = 0; i < u && rc == 0; i++)
        if (!(own[i] = strdup(ids[i])))
            rc = CX_ENOMEM;
    free(ids);
    if (rc) {
        for (size_t i = 0; own && i < u; i++)
            free(own[i]);
        free(own);
        return rc;
    }
    for (size_t i = 0; i < out->n_doc_ids; i++)
        free(out->doc_ids[i]);
    free(out->doc_ids);
    out->doc_ids = own;
    out->n_doc_ids = u;
    return 0;
}

static int cmp_srcp(const void *pa, const void *pb)
{
    const ext_source *a = *(const ext_source *const *)pa, *b = *(const ext_source *const *)pb;
    int c = strcmp(a->doc_id ? a->doc_id : "", b->doc_id ? b->doc_id : "");
    if (c)
        return c;
    /* the longest evidence of a document first: the body over its headline */
    size_t la = a->evidence ? strlen(a->evidence) : 0, lb = b->evidence ? strlen(b->evidence) : 0;
    if (la != lb)
        return la > lb ? -1 : 1;
    if ((c = cmp_str(a->evidence, b->evidence)))
        return c;
    return (c = cmp_span(a->trig_span, b->trig_span)) ? c : cmp_span(a->place_span, b->place_span);
}

static int cmp_u64(const void *pa, const void *pb)
{
    uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;
    return (a > b) - (a < b);
}

/* out's sources: every member's, one per document (sorted by doc id, the
 * longest evidence of the document kept); n_sources the distinct texts
 * among them (a text of unknown fingerprint counts alone), n_reprints the
 * other documents. Without any source, n_sources is the number of doc ids. */
static int collect_sources(const ext_incident *in, const size_t *m, size_t k, ext_incident *out)
{
    size_t n = 0;
    for (size_t i = 0; i < k; i++)
        n += in[m[i]].n_srcs;
    for (size_t i = 0; i < out->n_srcs; i++)
        ext_source_clear(&out->srcs[i]);
    free(out->srcs);
    out->srcs = NULL;
    out->n_srcs = 0;
    out->n_reprints = 0;
    if (n == 0) {
        out->n_sources = out->n_doc_ids ? (int)out->n_doc_ids : 1;
        return 0;
    }
    const ext_source **ps = malloc(n * sizeof *ps);
    uint64_t *fps = malloc(n * sizeof *fps);
    ext_source *own = calloc(n, sizeof *own);
    int rc = ps && fps && own ? 0 : CX_ENOMEM;
    size_t u = 0, nf = 0, unknown = 0;
    if (rc)
        goto done;
    n = 0;
    for (size_t i = 0; i < k; i++)
        for (size_t j = 0; j < in[m[i]].n_srcs; j++)
            ps[n++] = &in[m[i]].srcs[j];
    qsort(ps, n, sizeof *ps, cmp_srcp);
    for (size_t i = 0; i < n && !rc; i++) {
        if (u && strcmp(own[u - 1].doc_id, ps[i]->doc_id ? ps[i]->doc_id : "") == 0)
            continue;
        if (ext_source_copy(&own[u], ps[i]) != 0) {
            rc = CX_ENOMEM;
            break;
        }
        if (!own[u].doc_id && !(own[u].doc_id = strdup(""))) {
            rc = CX_ENOMEM;
            break;
        }
        if (own[u].text_fp)
            fps[nf++] = own[u].text_fp;
        else
            unknown++;
        u++;
    }
    if (rc)
        goto done;
    qsort(fps, nf, sizeof *fps, cmp_u64);
    size_t distinct = unknown;
    for (size_t i = 0; i < nf; i++)
        if (i == 0 || fps[i] != fps[i - 1])
            distinct++;
    out->srcs = own;
    out->n_srcs = u;
    own = NULL;
    out->n_sources = (int)distinct;
    /* documents known only by id (no source record) count as sources */
    if (out->n_doc_ids > u)
        out->n_sources += (int)(out->n_doc_ids - u);
    out->n_reprints = (int)(u - distinct);
done:
    if (own)
        for (size_t i = 0; i < u; i++)
            ext_source_clear(&own[i]);
    free(own);
    free(ps);
    free(fps);
    return rc;
}

void mrg_incident_id(ext_incident *inc)
{
    char buf[512], hex[65];
    long lo, hi;
    int n;
    if (inc->place_id[0])
        n = snprintf(buf, sizeof buf, "%d|%s|", inc->type, inc->place_id);
    else
        n = snprintf(buf, sizeof buf, "%d|%.4f,%.4f|%s|", inc->type, inc->lon, inc->lat,
                     inc->place);
    if (n < 0 || (size_t)n >= sizeof buf)
        n = (int)strlen(buf);
    if (mrg_date_span(inc, &lo, &hi))
        snprintf(buf + n, sizeof buf - (size_t)n, "%ld-%ld", lo, hi);
    else
        snprintf(buf + n, sizeof buf - (size_t)n, "undated:%.4s", inc->published);
    stop_sha256_hex(buf, strlen(buf), hex);
    snprintf(inc->incident_id, sizeof inc->incident_id, "%.16s", hex);
}

/* Build the merged incident of the members `m` (sorted most precise first). */
static int merge_cluster(const ext_incident *in, const size_t *m, size_t k, ext_incident *out)
{
    const ext_incident *anchor = &in[m[0]];
    int rc = ext_incident_copy(out, anchor);
    char **claims = NULL;
    size_t n_claims = 0, n_ids = 0;
    if (rc)
        goto done;
    /* place: lowest geo_prec, first in order among equals */
    const ext_incident *pl = anchor;
    for (size_t i = 1; i < k; i++)
        if (geo_rank(in[m[i]].geo_prec) < geo_rank(pl->geo_prec))
            pl = &in[m[i]];
    if (pl != anchor) {
        memcpy(out->place, pl->place, sizeof out->place);
        memcpy(out->place_name, pl->place_name, sizeof out->place_name);
        memcpy(out->place_id, pl->place_id, sizeof out->place_id);
        memcpy(out->country, pl->country, sizeof out->country);
        memcpy(out->admin1, pl->admin1, sizeof out->admin1);
        memcpy(out->admin2, pl->admin2, sizeof out->admin2);
        memcpy(out->place_unit, pl->place_unit, sizeof out->place_unit);
        memcpy(out->place_alt, pl->place_alt, sizeof out->place_alt);
        out->geo_prec = pl->geo_prec;
        out->lon = pl->lon;
        out->lat = pl->lat;
        out->border_km = pl->border_km;
    }
    out->fatalities = out->fatalities_max = out->injured = out->injured_max = -1;
    /* evidence: the longest sentence among the reports as precise as the
     * anchor at the incident's place (a body sentence says more than the
     * headline "Shelling at Jermuk"); the anchor's among equals */
    {
        const ext_incident *best = anchor;
        size_t best_len = anchor->evidence ? strlen(anchor->evidence) : 0;
        for (size_t i = 1; i < k; i++) {
            const ext_incident *r = &in[m[i]];
            size_t len = r->evidence ? strlen(r->evidence) : 0;
            if (len > best_len && r->date_prec == anchor->date_prec &&
                r->geo_prec == out->geo_prec && strcmp(r->place_id, out->place_id) == 0) {
                best = r;
                best_len = len;
            }
        }
        if (best != anchor) {
            char *ev = strdup(best->evidence);
            if (!ev) {
                rc = CX_ENOMEM;
                goto done;
            }
            free(out->evidence);
            out->evidence = ev;
            out->offset = best->offset;
            out->trig_span = best->trig_span; /* they point into that sentence */
            out->place_span = best->place_span;
        }
    }
    out->contested = false;
    out->claimed_by[0] = '\0';
    const char *act1 = NULL;
    for (size_t i = 0; i < k; i++) {
        const ext_incident *r = &in[m[i]];
        if (r->fatalities >= 0 && (out->fatalities < 0 || r->fatalities < out->fatalities))
            out->fatalities = r->fatalities;
        int hi = r->fatalities_max > r->fatalities ? r->fatalities_max : r->fatalities;
        if (hi > out->fatalities_max)
            out->fatalities_max = hi;
        if (r->injured >= 0 && (out->injured < 0 || r->injured < out->injured))
            out->injured = r->injured;
        int ihi = r->injured_max > r->injured ? r->injured_max : r->injured;
        if (ihi > out->injured_max)
            out->injured_max = ihi;
        if (r->published[0] && (!out->published[0] || strcmp(r->published, out->published) < 0))
            memcpy(out->published, r->published, sizeof out->published);
        if (!out->sub_event_type[0] && r->sub_event_type[0])
            memcpy(out->sub_event_type, r->sub_event_type, sizeof out->sub_event_type);
        if (r->confidence > out->confidence)
            out->confidence = r->confidence;
        if (r->contested)
            out->contested = true;
        if (r->actor1[0]) {
            if (!act1)
                act1 = r->actor1;
            else if (strcmp(act1, r->actor1) != 0)
                out->contested = true;
        }
        if (!out->actor1[0] && r->actor1[0])
            memcpy(out->actor1, r->actor1, sizeof out->actor1);
        if (!out->actor2[0] && r->actor2[0])
            memcpy(out->actor2, r->actor2, sizeof out->actor2);
        if ((rc = add_claimants(&claims, &n_claims, r->claimed_by)))
            goto done;
        n_ids += r->n_doc_ids;
    }
    /* doc ids: all members', sorted, each once (a sort, not a search per id:
     * a wire story reprinted by thousands of outlets is one cluster) */
    if ((rc = collect_doc_ids(in, m, k, n_ids, out)))
        goto done;
    /* claimants in alphabetical order; those that do not fit are dropped */
    size_t used = 0;
    for (size_t i = 0; i < n_claims; i++) {
        size_t len = strlen(claims[i]), sep = used ? 2 : 0;
        if (used + sep + len + 1 > sizeof out->claimed_by)
            continue;
        if (sep)
            memcpy(out->claimed_by + used, "; ", 2);
        memcpy(out->claimed_by + used + sep, claims[i], len + 1);
        used += sep + len;
    }
    if ((rc = collect_sources(in, m, k, out)))
        goto done;
    mrg_incident_id(out);
done:
    for (size_t i = 0; i < n_claims; i++)
        free(claims[i]);
    free(claims);
    return rc;
}

/* ===== mrg_merge ===== */

typedef struct member {
    size_t idx;  /* input index */
    size_t comp; /* union-find root */
    const ext_incident *in;
    const report_info *info;
} member;

static int cmp_member(const void *pa, const void *pb)
{
    const member *a = pa, *b = pb;
    if (a->comp != b->comp)
        return a->comp < b->comp ? -1 : 1;
    int c = cmp_report(&a->in[a->idx], &a->info[a->idx], &b->in[b->idx], &b->info[b->idx]);
    if (c)
        return c;
    return (a->idx > b->idx) - (a->idx < b->idx);
}

typedef struct outref {
    const ext_incident *items;
    size_t i;
    char *key; /* mrg_sort_key, computed once */
} outref;

/* mrg_cmp with the sort keys computed once. */
static int cmp_outref(const void *pa, const void *pb)
{
    const outref *a = pa, *b = pb;
    int c = strcmp(a->key, b->key);
    if (!c)
        c = cmp_rest(&a->items[a->i], &b->items[b->i]);
    return c ? c : (a->i > b->i) - (a->i < b->i);
}

void mrg_result_free(mrg_result *res)
{
    if (!res)
        return;
    for (size_t i = 0; i < res->n; i++)
        ext_incident_clear(&res->items[i]);
    free(res->items);
    free(res->of_input);
    free(res->component);
    memset(res, 0, sizeof *res);
}

/* Linking: union report i with each compatible report found. */
typedef struct link_ctx {
    const ext_incident *in;
    const report_info *info;
    size_t *parent;
    size_t i;
    const mrg_options *o;
} link_ctx;

static void link_visit(void *ctx, size_t j)
{
    link_ctx *c = ctx;
    if (j == c->i || uf_find(c->parent, j) == uf_find(c->parent, c->i))
        return;
    /* mrg_compatible, with the date spans computed once */
    const report_info *a = &c->info[c->i], *b = &c->info[j];
    if (c->in[c->i].type != c->in[j].type || a->known != b->known)
        return;
    if (a->known ? !nested(a->lo, a->hi, b->lo, b->hi) || recalled(a->prec, a->pday, b->prec, b->pday)
                 : !pub_ok(a->pub, b->pub))
        return;
    if (same_place(&c->in[c->i], &c->in[j], c->o))
        uf_union(c->parent, c->i, j);
}

/* Clustering: the first cluster of the current component that report i may
 * join (anchor place matches, date span nests with the cluster's). */
typedef struct join_ctx {
    const ext_incident *in;
    const report_info *info;
    const size_t *anchor_idx; /* cluster -> input index of its anchor */
    const long *clo, *chi;    /* cluster date span */
    const long *cpmin, *cpmax; /* cluster's first and last publication day */
    size_t first, best;       /* clusters >= first belong to this component */
    size_t i;
    const mrg_options *o;
    const mrg_apart *apart;   /* report i's split keys, or NULL */
    const struct keyset *ckeys; /* cluster -> its members' split keys, or NULL */
} join_ctx;

/* A cluster's split keys (owned, sorted, unique). */
typedef struct keyset {
    int64_t *keys;
    size_t n;
} keyset;

/* Whether keys `a` and `b` hold the two sides of one split. */
static bool apart_conflict(const mrg_apart *a, const keyset *b)
{
    for (size_t x = 0; a && b && x < a->n; x++)
        for (size_t y = 0; y < b->n; y++)
            if (a->keys[x] / 2 == b->keys[y] / 2 && a->keys[x] != b->keys[y])
                return true;
    return false;
}

/* Whether keys `a` and `b` share one split and side. */
static bool apart_shared(const mrg_apart *a, const keyset *b)
{
    for (size_t x = 0; a && b && x < a->n; x++)
        for (size_t y = 0; y < b->n; y++)
            if (a->keys[x] == b->keys[y])
                return true;
    return false;
}

/* Add keys `add` to the cluster's sorted, unique keys `to` (owned). */
static int apart_add(keyset *to, const mrg_apart *add)
{
    for (size_t x = 0; x < add->n; x++) {
        size_t k = 0;
        while (k < to->n && to->keys[k] < add->keys[x])
            k++;
        if (k < to->n && to->keys[k] == add->keys[x])
            continue;
        int64_t *g = realloc(to->keys, (to->n + 1) * sizeof *g);
        if (!g)
            return CX_ENOMEM;
        memmove(g + k + 1, g + k, (to->n - k) * sizeof *g);
        g[k] = add->keys[x];
        to->keys = g;
        to->n++;
    }
    return 0;
}

/* The id of a part that left an incident (side-1 keys): the usual id
 * hashed with those keys, so the two parts of one place and date differ. */
static void apart_id(ext_incident *inc, const keyset *k)
{
    char buf[512], hex[65];
    int n = snprintf(buf, sizeof buf, "%s", inc->incident_id), left = 0;
    for (size_t x = 0; x < k->n && n > 0 && (size_t)n < sizeof buf - 32; x++)
        if (k->keys[x] % 2 == 1) {
            n += snprintf(buf + n, sizeof buf - (size_t)n, "|split:%lld",
                          (long long)(k->keys[x] / 2));
            left = 1;
        }
    if (!left)
        return;
    stop_sha256_hex(buf, strlen(buf), hex);
    snprintf(inc->incident_id, sizeof inc->incident_id, "%.16s", hex);
}

static void join_visit(void *ctx, size_t c)
{
    join_ctx *j = ctx;
    if (c < j->first || c >= j->best)
        return;
    size_t ai = j->anchor_idx[c], i = j->i;
    const report_info *ia = &j->info[ai], *ii = &j->info[i];
    bool date_ok = ii->known ? ia->known && nested(j->clo[c], j->chi[c], ii->lo, ii->hi) &&
                                   !recalled(ia->prec, ia->pday, ii->prec, ii->pday)
                             : !ia->known && pub_ok(ia->pub, ii->pub);
    /* a report that recalls a period is a year from every member's
     * article, not only the anchor's: an incident never holds reports
     * published more than a year apart through one that recalls (the
     * anchor 364 days from it, another member 378) */
    if (date_ok && ii->known && ii->prec > EXT_PREC_WEEK && ii->pday != LONG_MIN &&
        j->cpmin[c] != LONG_MIN && (ii->pday - j->cpmin[c] > 366 || j->cpmax[c] - ii->pday > 366))
        date_ok = false;
    if (date_ok && j->in[ai].type == j->in[i].type && same_place(&j->in[ai], &j->in[i], j->o) &&
        !(j->ckeys && apart_conflict(j->apart, &j->ckeys[c])))
        j->best = c;
}

static long link_pday_of(const ext_incident *r)
{
    report_info ri;
    ri.known = span_of(r, &ri.prec, &ri.lo, &ri.hi);
    ri.pday = pub_day_or_none(r);
    return link_pday(&ri);
}

/* Reports that are interchangeable for merging (same type, place, names,
 * point, precisions and date) share one representative in the linking
 * step: the news repeats an event many times, and linking each copy with
 * every other would be quadratic. Such reports are compatible when they
 * have a place_id or a point (self_compatible), so this changes no
 * component; the others stay alone.
 * rep[i] is the lowest index of i's class. Returns 0 or CX_ENOMEM. */
static int find_representatives(const ext_incident *in, size_t n, size_t *rep)
{
    size_t nb = 16;
    while (nb < 2 * n)
        nb <<= 1;
    size_t *slot = malloc(nb * sizeof *slot);
    uint64_t *hs = malloc(n * sizeof *hs);
    if (!slot || !hs) {
        free(slot);
        free(hs);
        return CX_ENOMEM;
    }
    for (size_t b = 0; b < nb; b++)
        slot[b] = SIZE_MAX;
    for (size_t i = 0; i < n; i++) {
        const ext_incident *r = &in[i];
        int v3[3] = {r->type, r->geo_prec, r->date_prec};
        double pt[2] = {r->lon, r->lat}; /* equal points have equal bits, but 0 and -0 */
        uint64_t h = hash_bytes(1469598103934665603ull, v3, sizeof v3);
        h = hash_bytes(h, pt, sizeof pt);
        h = hash_str(hash_str(h, r->place_id), r->date);
        hs[i] = fmix(h);
        rep[i] = i;
        place_view v = view_of(r);
        if (!self_compatible(&v))
            continue; /* compatible with nothing equal to it: never a class */
        for (size_t b = (size_t)hs[i] & (nb - 1);; b = (b + 1) & (nb - 1)) {
            size_t j = slot[b];
            if (j == SIZE_MAX) {
                slot[b] = i;
                break;
            }
            const ext_incident *q = &in[j];
            if (hs[j] == hs[i] && q->type == r->type && q->geo_prec == r->geo_prec &&
                q->date_prec == r->date_prec && strcmp(q->place_id, r->place_id) == 0 &&
                strcmp(q->date, r->date) == 0 && q->lon == r->lon && q->lat == r->lat &&
                pub_year(q) == pub_year(r) && link_pday_of(q) == link_pday_of(r) &&
                strcmp(q->place_name, r->place_name) == 0 && strcmp(q->place, r->place) == 0) {
                rep[i] = j;
                break;
            }
        }
    }
    free(slot);
    free(hs);
    return 0;
}

int mrg_merge(const ext_incident *in, size_t n, const mrg_options *opts, mrg_result *out,
              cx_err *err)
{
    return mrg_merge_apart(in, NULL, n, opts, out, err);
}

int mrg_merge_apart(const ext_incident *in, const mrg_apart *apart, size_t n,
                    const mrg_options *opts, mrg_result *out, cx_err *err)
{
    mrg_options o = options_or_default(opts);
    int rc = 0;
    report_info *info = NULL;
    size_t *parent = NULL, *comp_of = NULL;
    size_t *cluster_of = NULL, *anchor = NULL, *start = NULL, *fill = NULL, *perm = NULL;
    size_t *rank = NULL, *rep = NULL;
    long *clo = NULL, *chi = NULL, *cpmin = NULL, *cpmax = NULL;
    member *mem = NULL;
    outref *refs = NULL;
    keyset *ckeys = NULL; /* with `apart`: each cluster's keys */
    multimap reports = {0}, anchors = {0};
    dkey dk[24];
    size_t n_clusters = 0, n_comps = 0;

    memset(out, 0, sizeof *out);
    if (!(o.km_prec1 >= 0) || !(o.km_prec2 >= 0) || !(o.km_prec3 >= 0))
        return cx_err_set(err, CX_EINVAL, NULL, 0, "merge distance thresholds must be >= 0");
    if (n == 0)
        return 0;

    info = calloc(n, sizeof *info);
    parent = malloc(n * sizeof *parent);
    comp_of = malloc(n * sizeof *comp_of);
    mem = malloc(n * sizeof *mem);
    cluster_of = malloc(n * sizeof *cluster_of);
    anchor = malloc(n * sizeof *anchor);
    clo = malloc(n * sizeof *clo);
    chi = malloc(n * sizeof *chi);
    cpmin = malloc(n * sizeof *cpmin);
    cpmax = malloc(n * sizeof *cpmax);
    perm = malloc(n * sizeof *perm);
    rep = malloc(n * sizeof *rep);
    if (!info || !parent || !comp_of || !mem || !cluster_of || !anchor || !clo || !chi ||
        !cpmin || !cpmax || !perm || !rep || mm_init(&reports, 2 * n) || mm_init(&anchors, 6 * n) ||
        find_representatives(in, n, rep) || (apart && !(ckeys = calloc(n, sizeof *ckeys))))
        goto nomem;

    bool weeks = false;
    for (size_t i = 0; i < n; i++) {
        info[i].known = span_of(&in[i], &info[i].prec, &info[i].lo, &info[i].hi);
        info[i].pub = pub_year(&in[i]);
        info[i].pday = pub_day_or_none(&in[i]);
        weeks |= info[i].prec == EXT_PREC_WEEK;
        parent[i] = i;
    }
    double rmax = o.km_prec1 > o.km_prec2 ? o.km_prec1 : o.km_prec2;
    if (o.km_prec3 > rmax)
        rmax = o.km_prec3;

    /* 1. Components: each report filed under its own span; each report looks
     * up the spans containing it, so the finer side of a pair finds it. */
    for (size_t i = 0; i < n; i++) {
        if (rep[i] != i)
            continue;
        dkey own = own_dkey(&info[i], &in[i]);
        if (file_near(&reports, &in[i], &own, 1, i))
            goto nomem;
    }
    for (size_t i = 0; i < n; i++) {
        if (rep[i] != i)
            continue;
        link_ctx lc = {in, info, parent, i, &o};
        size_t nk = coarser_dkeys(&info[i], &in[i], weeks, dk);
        for_each_near(&reports, &in[i], dk, nk, rmax, link_visit, &lc);
    }
    for (size_t i = 0; i < n; i++)
        if (rep[i] != i)
            uf_union(parent, rep[i], i);

    /* Members grouped by component, most precise first inside each. */
    for (size_t i = 0; i < n; i++)
        mem[i] = (member){i, uf_find(parent, i), in, info};
    qsort(mem, n, sizeof *mem, cmp_member);

    /* 2. Greedy anchored clusters inside each component. The cluster's date
     * span is the intersection of its members' spans. Anchors are filed in a
     * multimap so a report only looks at the clusters near it. */
    for (size_t s = 0; s < n;) {
        size_t e = s;
        while (e < n && mem[e].comp == mem[s].comp)
            e++;
        size_t first_cluster = n_clusters;
        for (size_t q = s; q < e; q++) {
            size_t i = mem[q].idx;
            comp_of[i] = n_comps;
            const mrg_apart *ak = apart && apart[i].n ? &apart[i] : NULL;
            join_ctx jc = {in,    info,         anchor,     clo, chi, cpmin, cpmax,
                           first_cluster, n_clusters, i,   &o,  ak,    ckeys};
            size_t c = n_clusters;
            /* a split part stays one: the first cluster holding its side */
            for (size_t h = first_cluster; ak && h < n_clusters && c == n_clusters; h++)
                if (apart_shared(ak, &ckeys[h]) && !apart_conflict(ak, &ckeys[h]))
                    c = h;
            bool home = c < n_clusters;
            if (!home) {
                size_t nk = coarser_dkeys(&info[i], &in[i], weeks, dk);
                nk += finer_dkeys(&info[i], &in[i], dk + nk);
                for_each_near(&anchors, &in[i], dk, nk, rmax, join_visit, &jc);
                c = jc.best;
            }
            if (ak && apart_add(&ckeys[c], ak))
                goto nomem;
            if (c == n_clusters) {
                size_t nk;
                anchor[c] = i;
                clo[c] = info[i].lo;
                chi[c] = info[i].hi;
                cpmin[c] = cpmax[c] = info[i].pday;
                n_clusters++;
                nk = filed_dkeys(&info[i], &in[i], dk);
                if (file_near(&anchors, &in[i], dk, nk, c))
                    goto nomem;
            } else if (info[i].known && info[anchor[c]].known &&
                       (!home || (info[i].lo <= chi[c] && info[i].hi >= clo[c]))) {
                /* (a part's report joined without nesting leaves the span) */
                if (info[i].lo > clo[c])
                    clo[c] = info[i].lo;
                if (info[i].hi < chi[c])
                    chi[c] = info[i].hi;
            }
            if (c < n_clusters && info[i].pday != LONG_MIN) {
                if (cpmin[c] == LONG_MIN || info[i].pday < cpmin[c])
                    cpmin[c] = info[i].pday;
                if (cpmax[c] == LONG_MIN || info[i].pday > cpmax[c])
                    cpmax[c] = info[i].pday;
            }
            cluster_of[q] = c;
        }
        n_comps++;
        s = e;
    }

    /* Members of each cluster, in mem order (a counting sort). */
    start = calloc(n_clusters + 1, sizeof *start);
    fill = malloc((n_clusters + 1) * sizeof *fill);
    out->items = calloc(n_clusters, sizeof *out->items);
    out->of_input = malloc(n * sizeof *out->of_input);
    refs = calloc(n_clusters, sizeof *refs);
    rank = malloc(n_clusters * sizeof *rank);
    if (!start || !fill || !out->items || !out->of_input || !refs || !rank)
        goto nomem;
    for (size_t q = 0; q < n; q++)
        start[cluster_of[q] + 1]++;
    for (size_t c = 0; c < n_clusters; c++)
        start[c + 1] += start[c];
    memcpy(fill, start, (n_clusters + 1) * sizeof *fill);
    for (size_t q = 0; q < n; q++)
        perm[fill[cluster_of[q]]++] = mem[q].idx;

    for (size_t c = 0; c < n_clusters; c++) {
        ext_incident_init(&out->items[c]);
        out->n = c + 1;
        if ((rc = merge_cluster(in, perm + start[c], start[c + 1] - start[c], &out->items[c])))
            goto nomem;
        if (ckeys && ckeys[c].n)
            apart_id(&out->items[c], &ckeys[c]);
        char kbuf[512];
        mrg_sort_key(&out->items[c], kbuf, sizeof kbuf);
        refs[c] = (outref){out->items, c, strdup(kbuf)};
        if (!refs[c].key)
            goto nomem;
    }

    /* Canonical output order, and the input -> output map. */
    qsort(refs, n_clusters, sizeof *refs, cmp_outref);
    for (size_t k = 0; k < n_clusters; k++) {
        rank[refs[k].i] = k;
        free(refs[k].key);
        refs[k].key = NULL;
    }
    /* put each incident at its rank, in place (cycles of the permutation;
     * `fill` is free by now and holds where each slot's item goes) */
    memcpy(fill, rank, n_clusters * sizeof *fill);
    for (size_t c = 0; c < n_clusters; c++) {
        while (fill[c] != c) {
            size_t d = fill[c];
            ext_incident t = out->items[d];
            out->items[d] = out->items[c];
            out->items[c] = t;
            fill[c] = fill[d];
            fill[d] = d;
        }
    }
    for (size_t c = 0; c < n_clusters; c++)
        for (size_t q = start[c]; q < start[c + 1]; q++)
            out->of_input[perm[q]] = rank[c];
    out->component = comp_of;
    comp_of = NULL;
    out->n_components = n_comps;
    goto done;

nomem:
    mrg_result_free(out);
    rc = cx_err_set(err, CX_ENOMEM, NULL, 0, "out of memory while merging %zu reports", n);
done:
    for (size_t c = 0; ckeys && c < n; c++)
        free(ckeys[c].keys);
    free(ckeys);
    free(rep);
    mm_free(&anchors);
    mm_free(&reports);
    for (size_t k = 0; refs && k < n_clusters; k++)
        free(refs[k].key);
    free(rank);
    free(refs);
    free(fill);
    free(start);
    free(perm);
    free(cpmax);
    free(cpmin);
    free(chi);
    free(clo);
    free(anchor);
    free(cluster_of);
    free(mem);
    free(comp_of);
    free(parent);
    free(info);
    return rc;
}

/* ===== The pool ===== */

bool mrg_same_report(const ext_incident *a, const ext_incident *b)
{
    return a->type == b->type && a->offset == b->offset && cmp_double(a->lon, b->lon) == 0 &&
           cmp_double(a->lat, b->lat) == 0 && strcmp(a->place_id, b->place_id) == 0 &&
           cmp_str(a->evidence, b->evidence) == 0 && strcmp(a->actor1, b->actor1) == 0 &&
           strcmp(a->actor2, b->actor2) == 0 && strcmp(a->claimed_by, b->claimed_by) == 0 &&
           a->fatalities == b->fatalities && a->fatalities_max == b->fatalities_max &&
           a->injured == b->injured && strcmp(a->place, b->place) == 0 &&
           strcmp(a->place_name, b->place_name) == 0 && strcmp(a->country, b->country) == 0 &&
           strcmp(a->admin1, b->admin1) == 0 && a->geo_prec == b->geo_prec &&
           a->date_prec == b->date_prec && strcmp(a->date, b->date) == 0 &&
           cmp_double(a->confidence, b->confidence) == 0 &&
           cmp_double(a->border_km, b->border_km) == 0 && a->contested == b->contested &&
           strcmp(a->published, b->published) == 0 && strcmp(a->admin2, b->admin2) == 0 &&
           strcmp(a->place_unit, b->place_unit) == 0 &&
           strcmp(a->sub_event_type, b->sub_event_type) == 0 &&
           strcmp(a->place_alt, b->place_alt) == 0 && a->injured_max == b->injured_max &&
           cmp_span(a->trig_span, b->trig_span) == 0 && cmp_span(a->place_span, b->place_span) == 0;
}

/* A hash of the fields mrg_same_report compares that tell reports apart
 * (the others only ever confirm). */
static uint64_t report_hash(const ext_incident *r)
{
    uint64_t h = 1469598103934665603ull;
    long v[4] = {r->type, (long)r->offset, r->fatalities, r->injured};
    h = hash_bytes(h, v, sizeof v);
    h = hash_str(h, r->date);
    h = hash_str(h, r->place_id);
    h = hash_str(h, r->place);
    h = hash_str(h, r->actor1);
    h = hash_str(h, r->evidence);
    return fmix(h);
}

static int pool_grow(mrg_pool *p)
{
    /* two parallel arrays, grown alike from the same capacity */
    size_t cap = p->cap, hcap = p->cap;
    ext_incident *it = cx_grow(p->items, &cap, p->n + 1, sizeof *it, 256);
    if (!it)
        return CX_ENOMEM;
    p->items = it;
    uint64_t *hs = cx_grow(p->hash, &hcap, p->n + 1, sizeof *hs, 256);
    if (!hs)
        return CX_ENOMEM;
    p->hash = hs;
    p->cap = cap;
    if (2 * (p->n + 1) < p->n_slots)
        return 0;
    size_t ns = p->n_slots ? 2 * p->n_slots : 1024;
    size_t *sl = malloc(ns * sizeof *sl);
    if (!sl)
        return CX_ENOMEM;
    for (size_t i = 0; i < ns; i++)
        sl[i] = SIZE_MAX;
    for (size_t i = 0; i < p->n; i++) {
        size_t b = (size_t)p->hash[i] & (ns - 1);
        while (sl[b] != SIZE_MAX)
            b = (b + 1) & (ns - 1);
        sl[b] = i;
    }
    free(p->slots);
    p->slots = sl;
    p->n_slots = ns;
    return 0;
}

/* Append the doc ids of `from` to `to`, the smallest first. The id array
 * grows by doubling (its capacity is the next power of two of its count). */
static int grow_pow2(void **arr, size_t n, size_t elem)
{
    if (n == 0 || (n & (n - 1)) == 0) {
        void *g = realloc(*arr, (n ? 2 * n : 1) * elem);
        if (!g)
            return CX_ENOMEM;
        *arr = g;
    }
    return 0;
}

static int pool_fold(ext_incident *to, ext_incident *from)
{
    /* sources follow their doc ids (one per id, in the same places) when
     * both records are aligned; else they are appended */
    bool aligned = to->n_srcs == to->n_doc_ids && from->n_srcs == from->n_doc_ids;
    for (size_t j = 0; j < from->n_doc_ids; j++) {
        size_t n = to->n_doc_ids;
        if (grow_pow2((void **)&to->doc_ids, n, sizeof *to->doc_ids) ||
            (aligned && grow_pow2((void **)&to->srcs, n, sizeof *to->srcs)))
            return CX_ENOMEM;
        char *id = from->doc_ids[j];
        from->doc_ids[j] = NULL;
        ext_source sj = {0};
        if (aligned) {
            sj = from->srcs[j];
            memset(&from->srcs[j], 0, sizeof sj);
        }
        if (n && strcmp(id, to->doc_ids[0]) < 0) {
            to->doc_ids[n] = to->doc_ids[0];
            to->doc_ids[0] = id;
            if (aligned) {
                to->srcs[n] = to->srcs[0];
                to->srcs[0] = sj;
            }
        } else {
            to->doc_ids[n] = id;
            if (aligned)
                to->srcs[n] = sj;
        }
        to->n_doc_ids = n + 1;
        if (aligned)
            to->n_srcs = n + 1;
    }
    if (!aligned)
        for (size_t j = 0; j < from->n_srcs; j++) {
            size_t n = to->n_srcs;
            if (grow_pow2((void **)&to->srcs, n, sizeof *to->srcs))
                return CX_ENOMEM;
            to->srcs[n] = from->srcs[j];
            memset(&from->srcs[j], 0, sizeof from->srcs[j]);
            to->n_srcs = n + 1;
        }
    return 0;
}

int mrg_pool_add(mrg_pool *p, ext_incident *inc)
{
    if (pool_grow(p))
        return CX_ENOMEM;
    uint64_t h = report_hash(inc);
    size_t b = (size_t)h & (p->n_slots - 1);
    for (; p->slots[b] != SIZE_MAX; b = (b + 1) & (p->n_slots - 1)) {
        ext_incident *q = &p->items[p->slots[b]];
        if (p->hash[p->slots[b]] == h && mrg_same_report(q, inc)) {
            if (pool_fold(q, inc))
                return CX_ENOMEM;
            p->n_added++;
            ext_incident_clear(inc);
            return 0;
        }
    }
    /* pool_fold's capacity rule: a power of two at least the count */
    size_t n = inc->n_doc_ids, cap = 1;
    while (cap < n)
        cap *= 2;
    if (n && cap != n) {
        char **ids = realloc(inc->doc_ids, cap * sizeof *ids);
        if (!ids)
            return CX_ENOMEM;
        inc->doc_ids = ids;
    }
    size_t ns = inc->n_srcs, scap = 1;
    while (scap < ns)
        scap *= 2;
    if (ns && scap != ns) {
        ext_source *g = realloc(inc->srcs, scap * sizeof *g);
        if (!g)
            return CX_ENOMEM;
        inc->srcs = g;
    }
    p->items[p->n] = *inc;
    p->hash[p->n] = h;
    p->slots[b] = p->n++;
    p->n_added++;
    ext_incident_init(inc);
    return 0;
}

void mrg_pool_free(mrg_pool *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->n; i++)
        ext_incident_clear(&p->items[i]);
    free(p->items);
    free(p->hash);
    free(p->slots);
    memset(p, 0, sizeof *p);
}

/* ===== The sweep: components in date order, in bounded memory =====
 *
 * Reports come sorted by date span (first day ascending, then last day
 * descending; unknown dates last). Of two nested spans the containing one
 * then always comes first, so a report only looks up the spans that contain
 * its own (coarser_dkeys), among the reports held: exactly the links
 * mrg_merge finds. A component is complete once the next report starts
 * after the last day of all its members: nothing later can nest with them.
 * It is handed out (its ids) and forgotten. What is held per report is the
 * place_view (interned strings), the span and the union-find links. */

typedef struct sw_rec {
    int64_t id;
    place_view pv;       /* strings interned in the sweep */
    report_info ri;
    dkey own;            /* the key it is filed under, when filed */
    int type;
    bool filed, dead;    /* in the multimap (a representative); handed out */
    size_t parent, next; /* union-find (the root is the smallest index); next member */
    size_t tail, size;   /* root only: last member, number of members */
    long max_hi;         /* root only: last day of its members, LONG_MAX when unknown */
} sw_rec;

typedef struct sw_ent {
    long hi;
    size_t rec;
} sw_ent;

struct mrg_sweep {
    mrg_options o;
    double rmax;
    sw_rec *recs;
    size_t n, cap, n_dead;
    multimap mm;            /* filed records by own date key, cell and place_id */
    size_t *reps;           /* open addressing: filed record by link fields, SIZE_MAX empty */
    size_t n_reps, n_rep_slots;
    sw_ent *heap;           /* min-heap of (last day, root); stale entries skipped */
    size_t n_heap, cap_heap;
    char **strs;            /* interned strings, open addressing */
    size_t n_strs, n_str_slots;
    bool weeks, any, unknown;
    long last_lo, last_hi;
    int64_t *ready;         /* ids of complete components, back to back */
    size_t n_ready, cap_ready, ready_pos;
    size_t *ready_end;      /* where each complete component ends in `ready` */
    size_t n_ready_end, cap_ready_end, ready_comp;
};

static uint64_t str_hash(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return fmix(h);
}

/* The sweep's copy of `str`, or NULL when out of memory. */
static const char *intern(mrg_sweep *s, const char *str)
{
    if (2 * (s->n_strs + 1) > s->n_str_slots) {
        size_t ns = s->n_str_slots ? 2 * s->n_str_slots : 256;
        char **g = calloc(ns, sizeof *g);
        if (!g)
            return NULL;
        for (size_t i = 0; i < s->n_str_slots; i++) {
            if (!s->strs[i])
                continue;
            size_t b = (size_t)str_hash(s->strs[i]) & (ns - 1);
            while (g[b])
                b = (b + 1) & (ns - 1);
            g[b] = s->strs[i];
        }
        free(s->strs);
        s->strs = g;
        s->n_str_slots = ns;
    }
    size_t b = (size_t)str_hash(str) & (s->n_str_slots - 1);
    for (; s->strs[b]; b = (b + 1) & (s->n_str_slots - 1))
        if (strcmp(s->strs[b], str) == 0)
            return s->strs[b];
    if (!(s->strs[b] = strdup(str)))
        return NULL;
    s->n_strs++;
    return s->strs[b];
}

/* Link fields of a record (interned strings compare as pointers). */
static uint64_t rep_hash(const sw_rec *r)
{
    uint64_t h = mix(mix(mix(mix(mix(7, (uint64_t)r->type), (uint64_t)r->ri.prec),
                             (uint64_t)r->ri.lo),
                         (uint64_t)r->ri.hi),
                     (uint64_t)r->ri.pub);
    h = mix(h, (uint64_t)link_pday(&r->ri));
    h = mix(mix(mix(h, (uint64_t)(uintptr_t)r->pv.pid), (uint64_t)(uintptr_t)r->pv.name),
            (uint64_t)(uintptr_t)r->pv.place);
    uint64_t lon, lat;
    memcpy(&lon, &r->pv.lon, sizeof lon);
    memcpy(&lat, &r->pv.lat, sizeof lat);
    return fmix(mix(mix(mix(h, (uint64_t)r->pv.geo_prec), lon), lat));
}

static bool rep_eq(const sw_rec *a, const sw_rec *b)
{
    return a->type == b->type && a->ri.prec == b->ri.prec && a->ri.known == b->ri.known &&
           a->ri.lo == b->ri.lo && a->ri.hi == b->ri.hi && a->ri.pub == b->ri.pub &&
           link_pday(&a->ri) == link_pday(&b->ri) && a->pv.pid == b->pv.pid &&
           a->pv.name == b->pv.name && a->pv.place == b->pv.place &&
           a->pv.geo_prec == b->pv.geo_prec && a->pv.lon == b->pv.lon && a->pv.lat == b->pv.lat;
}

/* The slot of record i's link fields: a live record equal to it, or where
 * i would go (an empty slot, or one whose record is handed out). */
static size_t *rep_slot(mrg_sweep *s, size_t i)
{
    size_t mask = s->n_rep_slots - 1, *reuse = NULL;
    for (size_t b = (size_t)rep_hash(&s->recs[i]) & mask;; b = (b + 1) & mask) {
        size_t j = s->reps[b];
        if (j == SIZE_MAX)
            return reuse ? reuse : &s->reps[b];
        if (s->recs[j].dead) {
            if (!reuse)
                reuse = &s->reps[b];
        } else if (rep_eq(&s->recs[j], &s->recs[i])) {
            return &s->reps[b];
        }
    }
}

/* Rebuild the representative table for the filed live records. */
static int reps_rebuild(mrg_sweep *s, size_t want)
{
    size_t ns = 1024;
    while (ns < 2 * want)
        ns *= 2;
    size_t *g = malloc(ns * sizeof *g);
    if (!g)
        return CX_ENOMEM;
    for (size_t b = 0; b < ns; b++)
        g[b] = SIZE_MAX;
    free(s->reps);
    s->reps = g;
    s->n_rep_slots = ns;
    s->n_reps = 0;
    for (size_t i = 0; i < s->n; i++)
        if (s->recs[i].filed && !s->recs[i].dead) {
            *rep_slot(s, i) = i;
            s->n_reps++;
        }
    return 0;
}

static size_t sw_find(sw_rec *r, size_t i)
{
    while (r[i].parent != i) {
        r[i].parent = r[r[i].parent].parent;
        i = r[i].parent;
    }
    return i;
}

static void sw_union(sw_rec *r, size_t a, size_t b)
{
    a = sw_find(r, a);
    b = sw_find(r, b);
    if (a == b)
        return;
    if (b < a) {
        size_t t = a;
        a = b;
        b = t;
    }
    r[b].parent = a;
    r[r[a].tail].next = b; /* b heads its own list */
    r[a].tail = r[b].tail;
    r[a].size += r[b].size;
    if (r[b].max_hi > r[a].max_hi)
        r[a].max_hi = r[b].max_hi;
}

static int heap_push(mrg_sweep *s, long hi, size_t rec)
{
    sw_ent *g = cx_grow(s->heap, &s->cap_heap, s->n_heap + 1, sizeof *g, 256);
    if (!g)
        return CX_ENOMEM;
    s->heap = g;
    size_t k = s->n_heap++;
    while (k > 0 && s->heap[(k - 1) / 2].hi > hi) {
        s->heap[k] = s->heap[(k - 1) / 2];
        k = (k - 1) / 2;
    }
    s->heap[k] = (sw_ent){hi, rec};
    return 0;
}

static sw_ent heap_pop(mrg_sweep *s)
{
    sw_ent top = s->heap[0], last = s->heap[--s->n_heap];
    size_t k = 0;
    for (;;) {
        size_t c = 2 * k + 1;
        if (c >= s->n_heap)
            break;
        if (c + 1 < s->n_heap && s->heap[c + 1].hi < s->heap[c].hi)
            c++;
        if (s->heap[c].hi >= last.hi)
            break;
        s->heap[k] = s->heap[c];
        k = c;
    }
    if (s->n_heap)
        s->heap[k] = last;
    return top;
}

/* Hand out the component whose root is `root`: its ids go to `ready`. */
static int close_component(mrg_sweep *s, size_t root)
{
    sw_rec *r = s->recs;
    int64_t *ids = cx_grow(s->ready, &s->cap_ready, s->n_ready + r[root].size, sizeof *ids, 256);
    if (!ids)
        return CX_ENOMEM;
    s->ready = ids;
    size_t *ends = cx_grow(s->ready_end, &s->cap_ready_end, s->n_ready_end + 1, sizeof *ends, 64);
    if (!ends)
        return CX_ENOMEM;
    s->ready_end = ends;
    for (size_t i = root; i != SIZE_MAX; i = r[i].next) {
        s->ready[s->n_ready++] = r[i].id;
        r[i].dead = true;
    }
    s->ready_end[s->n_ready_end++] = s->n_ready;
    s->n_dead += r[root].size;
    return 0;
}

/* Hand out every component whose members all end before day `day`. */
static int close_before(mrg_sweep *s, long day)
{
    while (s->n_heap && s->heap[0].hi < day) {
        sw_ent e = heap_pop(s);
        sw_rec *r = &s->recs[e.rec];
        if (r->dead || r->parent != e.rec || r->max_hi != e.hi)
            continue; /* stale: merged into another root, or grown since */
        if (close_component(s, e.rec))
            return CX_ENOMEM;
    }
    return 0;
}

/* Drop the handed-out records: renumber the live ones (order kept, so a
 * root stays the smallest index of its component) and rebuild the indexes. */
static int compact(mrg_sweep *s)
{
    sw_rec *r = s->recs;
    for (size_t i = 0; i < s->n; i++) /* parents point lower: roots in one pass */
        r[i].parent = r[r[i].parent].parent;
    size_t *map = malloc((s->n ? s->n : 1) * sizeof *map), k = 0;
    if (!map)
        return CX_ENOMEM;
    for (size_t i = 0; i < s->n; i++)
        map[i] = r[i].dead ? SIZE_MAX : k++;
    for (size_t i = 0; i < s->n; i++) {
        if (r[i].dead)
            continue;
        sw_rec x = r[i];
        x.parent = map[x.parent];
        x.next = x.next == SIZE_MAX ? SIZE_MAX : map[x.next];
        x.tail = map[x.tail];
        r[map[i]] = x;
    }
    free(map);
    s->n = k;
    s->n_dead = 0;
    mm_free(&s->mm);
    s->n_heap = 0;
    if (mm_init(&s->mm, k + 64) || reps_rebuild(s, k))
        return CX_ENOMEM;
    for (size_t i = 0; i < k; i++) {
        if (r[i].filed && file_view(&s->mm, r[i].type, &r[i].pv, &r[i].own, 1, i))
            return CX_ENOMEM;
        if (r[i].parent == i && r[i].max_hi != LONG_MAX && heap_push(s, r[i].max_hi, i))
            return CX_ENOMEM;
    }
    return 0;
}

mrg_sweep *mrg_sweep_new(const mrg_options *opts)
{
    mrg_options o = options_or_default(opts);
    if (!(o.km_prec1 >= 0) || !(o.km_prec2 >= 0) || !(o.km_prec3 >= 0))
        return NULL;
    mrg_sweep *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->o = o;
    s->rmax = o.km_prec1 > o.km_prec2 ? o.km_prec1 : o.km_prec2;
    if (o.km_prec3 > s->rmax)
        s->rmax = o.km_prec3;
    if (mm_init(&s->mm, 1024) || reps_rebuild(s, 0)) {
        mrg_sweep_free(s);
        return NULL;
    }
    return s;
}

void mrg_sweep_free(mrg_sweep *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n_str_slots; i++)
        free(s->strs[i]);
    free(s->strs);
    free(s->recs);
    mm_free(&s->mm);
    free(s->reps);
    free(s->heap);
    free(s->ready);
    free(s->ready_end);
    free(s);
}

/* Linking a new record with the held ones it nests in. */
typedef struct sweep_ctx {
    mrg_sweep *s;
    size_t i;
} sweep_ctx;

static void sweep_visit(void *ctx, size_t j)
{
    sweep_ctx *c = ctx;
    sw_rec *r = c->s->recs;
    const sw_rec *a = &r[c->i], *b = &r[j];
    if (b->dead || a->type != b->type || a->ri.known != b->ri.known)
        return;
    if (a->ri.known ? !nested(a->ri.lo, a->ri.hi, b->ri.lo, b->ri.hi) ||
                          recalled(a->ri.prec, a->ri.pday, b->ri.prec, b->ri.pday)
                    : !pub_ok(a->ri.pub, b->ri.pub))
        return;
    if (sw_find(r, c->i) == sw_find(r, j))
        return;
    if (same_place_view(&a->pv, &b->pv, &c->s->o))
        sw_union(r, c->i, j);
}

int mrg_sweep_add(mrg_sweep *s, const ext_incident *in, int64_t id, cx_err *err)
{
    report_info ri;
    ri.known = span_of(in, &ri.prec, &ri.lo, &ri.hi);
    ri.pub = pub_year(in);
    ri.pday = pub_day_or_none(in);
    if (ri.known) {
        if (s->unknown || (s->any && (ri.lo < s->last_lo ||
                                      (ri.lo == s->last_lo && ri.hi > s->last_hi))))
            return cx_err_set(err, CX_EINVAL, NULL, 0,
                              "report %lld is out of date order for the merge",
                              (long long)id);
        if (close_before(s, ri.lo))
            goto nomem;
        s->last_lo = ri.lo;
        s->last_hi = ri.hi;
    } else {
        s->unknown = true;
    }
    s->any = true;
    if (s->n_dead > 4096 && 2 * s->n_dead > s->n && compact(s))
        goto nomem;
    sw_rec *g = cx_grow(s->recs, &s->cap, s->n + 1, sizeof *g, 1024);
    if (!g)
        goto nomem;
    s->recs = g;
    size_t i = s->n;
    sw_rec *r = &s->recs[i];
    memset(r, 0, sizeof *r);
    r->id = id;
    r->ri = ri;
    r->type = in->type;
    r->pv = view_of(in);
    if (!(r->pv.pid = intern(s, in->place_id)) || !(r->pv.name = intern(s, in->place_name)) ||
        !(r->pv.place = intern(s, in->place)))
        goto nomem;
    r->own = own_dkey(&ri, in);
    r->parent = r->tail = i;
    r->next = SIZE_MAX;
    r->size = 1;
    r->max_hi = ri.known ? ri.hi : LONG_MAX;
    s->n++;
    s->weeks |= ri.prec == EXT_PREC_WEEK;

    /* a copy of a held report joins it and is not filed */
    size_t *slot = NULL;
    if (self_compatible(&r->pv)) {
        if (2 * (s->n_reps + 1) > s->n_rep_slots && reps_rebuild(s, s->n_reps + 1))
            goto nomem;
        slot = rep_slot(s, i);
        if (*slot != SIZE_MAX && !s->recs[*slot].dead) {
            sw_union(s->recs, *slot, i);
            size_t root = sw_find(s->recs, i);
            if (ri.known && heap_push(s, s->recs[root].max_hi, root))
                goto nomem;
            return 0;
        }
    }
    dkey dk[24];
    size_t nk = coarser_dkeys(&ri, in, s->weeks, dk);
    sweep_ctx ctx = {s, i};
    near_view(&s->mm, r->type, &r->pv, dk, nk, s->rmax, sweep_visit, &ctx);
    r = &s->recs[i];
    if (file_view(&s->mm, r->type, &r->pv, &r->own, 1, i))
        goto nomem;
    r->filed = true;
    if (slot) {
        if (*slot == SIZE_MAX)
            s->n_reps++;
        *slot = i;
    }
    size_t root = sw_find(s->recs, i);
    if (ri.known && heap_push(s, s->recs[root].max_hi, root))
        goto nomem;
    return 0;
nomem:
    return cx_err_set(err, CX_ENOMEM, NULL, 0, "out of memory while merging");
}

int mrg_sweep_finish(mrg_sweep *s, cx_err *err)
{
    for (size_t i = 0; i < s->n; i++)
        if (!s->recs[i].dead && s->recs[i].parent == i && close_component(s, i))
            return cx_err_set(err, CX_ENOMEM, NULL, 0, "out of memory while merging");
    s->n_heap = 0;
    return 0;
}

bool mrg_sweep_next(mrg_sweep *s, const int64_t **ids, size_t *n)
{
    if (s->ready_comp == s->n_ready_end) {
        s->n_ready = s->ready_pos = s->n_ready_end = s->ready_comp = 0;
        return false;
    }
    size_t end = s->ready_end[s->ready_comp++];
    *ids = s->ready + s->ready_pos;
    *n = end - s->ready_pos;
    s->ready_pos = end;
    return true;
}

size_t mrg_sweep_held(const mrg_sweep *s) { return s->n - s->n_dead; }

int mrg_sweep_cmp(const ext_incident *a, const ext_incident *b)
{
    report_info x, y;
    x.known = span_of(a, &x.prec, &x.lo, &x.hi);
    y.known = span_of(b, &y.prec, &y.lo, &y.hi);
    if (x.known != y.known)
        return x.known ? -1 : 1;
    if (!x.known)
        return 0;
    int c = cmp_int(x.lo, y.lo);
    return c ? c : cmp_int(y.hi, x.hi);
}
