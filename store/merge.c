/* merge.c -- reports of the same incident merged into one. See merge.h.
 *
 * Does: the compatibility predicate, bucketing (hash of type + date span +
 * grid cell or place_id), union-find components, greedy anchored clustering
 * inside a component, and the merged fields.
 * Does not: any I/O, or geodesy beyond a haversine distance (thresholds are
 * kilometres on a sphere, which is all a 2-50 km radius needs). */
#include "merge.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* geo_prec 0 (or less) means the place was not resolved: no usable point. */
static bool has_coords(const ext_incident *a)
{
    return a->geo_prec >= 1 && isfinite(a->lon) && isfinite(a->lat) && a->lat >= -90.0 && a->lat <= 90.0;
}

static bool same_place(const ext_incident *a, const ext_incident *b, const mrg_options *o)
{
    if (a->place_id[0] && strcmp(a->place_id, b->place_id) == 0)
        return true;
    if (!has_coords(a) || !has_coords(b))
        return false;
    return mrg_distance_km(a->lon, a->lat, b->lon, b->lat) <= mrg_radius_km(o, a->geo_prec,
                                                                             b->geo_prec);
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

static bool dates_compatible(const ext_incident *a, const ext_incident *b)
{
    long alo, ahi, blo, bhi;
    bool ka = mrg_date_span(a, &alo, &ahi), kb = mrg_date_span(b, &blo, &bhi);
    if (!ka || !kb)
        return ka == kb; /* unknown merges only with unknown */
    return nested(alo, ahi, blo, bhi);
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
        (c = cmp_int((long)a->n_doc_ids, (long)b->n_doc_ids)))
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
} report_info;

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

enum { KEY_CELL = 0, KEY_PID = 1 };
#define CELL_DEG 0.5

typedef struct bucket {
    uint64_t h;
    int kind, type, dkind;
    long dval;
    long cx, cy;      /* KEY_CELL */
    size_t rep;       /* a member; KEY_PID compares its place_id */
    size_t head;      /* first member, SIZE_MAX-terminated list through next[] */
    bool used;
} bucket;

typedef struct table {
    bucket *slots;
    size_t cap; /* power of two */
} table;

static uint64_t mix(uint64_t h, uint64_t v)
{
    h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
    return h * 0xff51afd7ed558ccdull;
}

static uint64_t hash_key(int kind, int type, int dkind, long dval, long cx, long cy,
                         const char *pid)
{
    uint64_t h = mix(mix(mix(mix(1469598103934665603ull, (uint64_t)kind), (uint64_t)type),
                         (uint64_t)dkind),
                     (uint64_t)dval);
    if (kind == KEY_CELL)
        return mix(mix(h, (uint64_t)cx), (uint64_t)cy);
    for (const unsigned char *p = (const unsigned char *)pid; *p; p++)
        h = (h ^ *p) * 1099511628211ull;
    return mix(h, 7);
}

/* Find the slot of a key: its bucket, or the empty slot where it would go. */
static bucket *find_slot(const table *t, const ext_incident *in, uint64_t h, int kind,
                         int type, int dkind, long dval, long cx, long cy, const char *pid)
{
    size_t mask = t->cap - 1;
    for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
        bucket *b = &t->slots[i];
        if (!b->used)
            return b;
        if (b->h == h && b->kind == kind && b->type == type && b->dkind == dkind &&
            b->dval == dval &&
            (kind == KEY_CELL ? b->cx == cx && b->cy == cy
                              : strcmp(in[b->rep].place_id, pid) == 0))
            return b;
    }
}

/* The date keys a report is filed under (its own span kind and value). */
static void own_key(const report_info *ri, const ext_incident *r, int *dkind, long *dval)
{
    long y, m, d;
    (void)effective_prec(r, &y, &m, &d);
    *dkind = ri->prec;
    switch (ri->prec) {
    case EXT_PREC_DAY:
    case EXT_PREC_WEEK:
        *dval = ri->lo;
        break;
    case EXT_PREC_MONTH:
        *dval = y * 12 + (m - 1);
        break;
    case EXT_PREC_YEAR:
        *dval = y;
        break;
    default:
        *dval = 0;
    }
}

static long cell_of(double deg) { return (long)floor(deg / CELL_DEG); }

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

/* Build the merged incident of the members `m` (sorted most precise first). */
static int merge_cluster(const ext_incident *in, const size_t *m, size_t k, ext_incident *out)
{
    const ext_incident *anchor = &in[m[0]];
    int rc = ext_incident_copy(out, anchor);
    char **claims = NULL;
    size_t n_claims = 0;
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
        out->geo_prec = pl->geo_prec;
        out->lon = pl->lon;
        out->lat = pl->lat;
        out->border_km = pl->border_km;
    }
    out->fatalities = out->fatalities_max = out->injured = -1;
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
        for (size_t j = 0; j < r->n_doc_ids; j++)
            if ((rc = ext_incident_add_doc(out, r->doc_ids[j])))
                goto done;
    }
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
    if (out->n_doc_ids > 1)
        qsort(out->doc_ids, out->n_doc_ids, sizeof *out->doc_ids, cmp_strp);
    out->n_sources = out->n_doc_ids ? (int)out->n_doc_ids : 1;
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
} outref;

static int cmp_outref(const void *pa, const void *pb)
{
    const outref *a = pa, *b = pb;
    int c = mrg_cmp(&a->items[a->i], &b->items[b->i]);
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

/* Look up one bucket and union `i` with each compatible member. */
static void link_bucket(const table *t, const ext_incident *in, size_t *parent,
                        const size_t *next, size_t i, int kind, int dkind, long dval, long cx,
                        long cy, const mrg_options *o)
{
    const ext_incident *r = &in[i];
    uint64_t h = hash_key(kind, r->type, dkind, dval, cx, cy, r->place_id);
    const bucket *b = find_slot(t, in, h, kind, r->type, dkind, dval, cx, cy, r->place_id);
    if (!b->used)
        return;
    size_t root = uf_find(parent, i);
    for (size_t j = b->head; j != SIZE_MAX; j = next[j]) {
        if (j == i || uf_find(parent, j) == root)
            continue;
        if (mrg_compatible(r, &in[j], o)) {
            uf_union(parent, i, j);
            root = uf_find(parent, i);
        }
    }
}

/* File report i in its own bucket (by cell and by place_id). */
static void file_report(table *t, const ext_incident *in, const report_info *info,
                        size_t *next_cell, size_t *next_pid, size_t i)
{
    const ext_incident *r = &in[i];
    int dkind;
    long dval;
    own_key(&info[i], r, &dkind, &dval);
    if (has_coords(r)) {
        long cx = cell_of(r->lon), cy = cell_of(r->lat);
        uint64_t h = hash_key(KEY_CELL, r->type, dkind, dval, cx, cy, "");
        bucket *b = find_slot(t, in, h, KEY_CELL, r->type, dkind, dval, cx, cy, "");
        if (!b->used)
            *b = (bucket){h, KEY_CELL, r->type, dkind, dval, cx, cy, i, SIZE_MAX, true};
        next_cell[i] = b->head;
        b->head = i;
    }
    if (r->place_id[0]) {
        uint64_t h = hash_key(KEY_PID, r->type, dkind, dval, 0, 0, r->place_id);
        bucket *b = find_slot(t, in, h, KEY_PID, r->type, dkind, dval, 0, 0, r->place_id);
        if (!b->used)
            *b = (bucket){h, KEY_PID, r->type, dkind, dval, 0, 0, i, SIZE_MAX, true};
        next_pid[i] = b->head;
        b->head = i;
    }
}

/* Link report i with the compatible reports of its own span or of a coarser
 * span containing it: the finer side of a pair finds it. */
static void link_report(const table *t, const ext_incident *in, const report_info *info,
                        const size_t *count_kind, size_t *parent, const size_t *next_cell,
                        const size_t *next_pid, size_t i, const mrg_options *o, double rmax)
{
    const ext_incident *r = &in[i];
    struct {
        int kind;
        long val;
    } keys[12];
    size_t nk = 0;
    long y, m, d;
    int p = effective_prec(r, &y, &m, &d);
    own_key(&info[i], r, &keys[0].kind, &keys[0].val);
    nk = 1;
    if (p == EXT_PREC_DAY && count_kind[EXT_PREC_WEEK])
        for (long s = info[i].lo - 6; s <= info[i].lo; s++) {
            keys[nk].kind = EXT_PREC_WEEK;
            keys[nk++].val = s;
        }
    if (p <= EXT_PREC_WEEK && count_kind[EXT_PREC_MONTH]) {
        long mlo = days_from_civil(y, m, 1), mhi = mlo + month_days(y, m) - 1;
        if (info[i].lo >= mlo && info[i].hi <= mhi) {
            keys[nk].kind = EXT_PREC_MONTH;
            keys[nk++].val = y * 12 + (m - 1);
        }
    }
    if (p <= EXT_PREC_MONTH && count_kind[EXT_PREC_YEAR] &&
        info[i].hi <= days_from_civil(y, 12, 31)) {
        keys[nk].kind = EXT_PREC_YEAR;
        keys[nk++].val = y;
    }
    for (size_t k = 0; k < nk; k++) {
        if (r->place_id[0])
            link_bucket(t, in, parent, next_pid, i, KEY_PID, keys[k].kind, keys[k].val, 0, 0,
                        o);
        if (!has_coords(r))
            continue;
        double dlat = rmax / 111.0;
        double clat = fabs(r->lat) + dlat;
        double dlon = clat >= 89.0 ? 360.0 : dlat / cos(clat * 3.14159265358979323846 / 180.0);
        if (dlon > 360.0)
            dlon = 360.0;
        long y0 = cell_of(r->lat - dlat), y1 = cell_of(r->lat + dlat);
        long x0 = cell_of(r->lon - dlon), x1 = cell_of(r->lon + dlon);
        for (long cy = y0; cy <= y1; cy++)
            for (long cx = x0; cx <= x1; cx++)
                link_bucket(t, in, parent, next_cell, i, KEY_CELL, keys[k].kind, keys[k].val,
                            cx, cy, o);
    }
}

int mrg_merge(const ext_incident *in, size_t n, const mrg_options *opts, mrg_result *out,
              cx_err *err)
{
    mrg_options o = options_or_default(opts);
    int rc = 0;
    report_info *info = NULL;
    size_t *parent = NULL, *next_cell = NULL, *next_pid = NULL, *comp_of = NULL;
    size_t *cluster_of = NULL, *anchor = NULL, *start = NULL, *fill = NULL, *perm = NULL;
    size_t *rank = NULL;
    long *clo = NULL, *chi = NULL;
    member *mem = NULL;
    outref *refs = NULL;
    ext_incident *sorted = NULL;
    table t = {NULL, 0};

    memset(out, 0, sizeof *out);
    if (!(o.km_prec1 >= 0) || !(o.km_prec2 >= 0) || !(o.km_prec3 >= 0))
        return cx_err_set(err, CX_EINVAL, NULL, 0, "merge distance thresholds must be >= 0");
    if (n == 0)
        return 0;

    for (t.cap = 16; t.cap < 4 * n; t.cap *= 2)
        ;
    info = calloc(n, sizeof *info);
    parent = malloc(n * sizeof *parent);
    next_cell = malloc(n * sizeof *next_cell);
    next_pid = malloc(n * sizeof *next_pid);
    comp_of = malloc(n * sizeof *comp_of);
    mem = malloc(n * sizeof *mem);
    cluster_of = malloc(n * sizeof *cluster_of);
    anchor = malloc(n * sizeof *anchor);
    clo = malloc(n * sizeof *clo);
    chi = malloc(n * sizeof *chi);
    perm = malloc(n * sizeof *perm);
    t.slots = calloc(t.cap, sizeof *t.slots);
    if (!info || !parent || !next_cell || !next_pid || !comp_of || !mem || !cluster_of ||
        !anchor || !clo || !chi || !perm || !t.slots)
        goto nomem;

    size_t count_kind[EXT_PREC_UNKNOWN + 1] = {0};
    for (size_t i = 0; i < n; i++) {
        info[i].known = span_of(&in[i], &info[i].prec, &info[i].lo, &info[i].hi);
        count_kind[info[i].prec]++;
        parent[i] = i;
        next_cell[i] = next_pid[i] = SIZE_MAX;
    }
    for (size_t i = 0; i < n; i++)
        file_report(&t, in, info, next_cell, next_pid, i);
    double rmax = o.km_prec1 > o.km_prec2 ? o.km_prec1 : o.km_prec2;
    if (o.km_prec3 > rmax)
        rmax = o.km_prec3;
    for (size_t i = 0; i < n; i++)
        link_report(&t, in, info, count_kind, parent, next_cell, next_pid, i, &o, rmax);

    /* Members grouped by component, most precise first inside each. */
    for (size_t i = 0; i < n; i++)
        mem[i] = (member){i, uf_find(parent, i), in, info};
    qsort(mem, n, sizeof *mem, cmp_member);

    /* Greedy anchored clusters inside each component. The cluster's date span
     * is the intersection of its members' spans. */
    size_t n_clusters = 0, n_comps = 0;
    for (size_t s = 0; s < n;) {
        size_t e = s;
        while (e < n && mem[e].comp == mem[s].comp)
            e++;
        size_t first_cluster = n_clusters;
        for (size_t q = s; q < e; q++) {
            size_t i = mem[q].idx;
            comp_of[i] = n_comps;
            size_t c = first_cluster;
            for (; c < n_clusters; c++) {
                size_t ai = mem[anchor[c]].idx;
                bool date_ok = info[i].known ? info[ai].known &&
                                                   nested(clo[c], chi[c], info[i].lo, info[i].hi)
                                             : !info[ai].known;
                if (date_ok && in[ai].type == in[i].type && same_place(&in[ai], &in[i], &o))
                    break;
            }
            if (c == n_clusters) {
                anchor[c] = q;
                clo[c] = info[i].lo;
                chi[c] = info[i].hi;
                n_clusters++;
            } else if (info[i].known) {
                if (info[i].lo > clo[c])
                    clo[c] = info[i].lo;
                if (info[i].hi < chi[c])
                    chi[c] = info[i].hi;
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
    refs = malloc(n_clusters * sizeof *refs);
    sorted = malloc(n_clusters * sizeof *sorted);
    rank = malloc(n_clusters * sizeof *rank);
    if (!start || !fill || !out->items || !out->of_input || !refs || !sorted || !rank)
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
        refs[c] = (outref){out->items, c};
    }

    /* Canonical output order, and the input -> output map. */
    qsort(refs, n_clusters, sizeof *refs, cmp_outref);
    for (size_t k = 0; k < n_clusters; k++) {
        sorted[k] = out->items[refs[k].i];
        rank[refs[k].i] = k;
    }
    free(out->items);
    out->items = sorted;
    sorted = NULL;
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
    free(rank);
    free(sorted);
    free(refs);
    free(fill);
    free(start);
    free(perm);
    free(chi);
    free(clo);
    free(anchor);
    free(cluster_of);
    free(mem);
    free(comp_of);
    free(t.slots);
    free(next_pid);
    free(next_cell);
    free(parent);
    free(info);
    return rc;
}
