/* resolve.c -- toponym resolution with document context. See resolve.h.
 * Two passes: the first ranks each mention's candidates on their own
 * (theatre, focus countries, gazetteer rank, population, kind cues); the
 * second adds proximity to the places chosen for the other mentions, so that
 * "Kut" in a list of Gegharkunik villages is the Armenian village and not
 * the Iraqi city, and "Martuni" next to Askeran is the Karabakh town. */
#include "resolve.h"
#include "extract.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

double extp_distance_km(double lat1, double lon1, double lat2, double lon2)
{
    const double r = 6371.0088, k = M_PI / 180.0;
    double dp = (lat2 - lat1) * k, dl = (lon2 - lon1) * k;
    double a = sin(dp / 2) * sin(dp / 2) + cos(lat1 * k) * cos(lat2 * k) * sin(dl / 2) * sin(dl / 2);
    return 2 * r * asin(fmin(1.0, sqrt(a)));
}

bool extp_in_theatre(const struct ext_lexicon *lex, const cx_place *p)
{
    const double *t = lex->theatre;
    if (t[0] == 0 && t[1] == 0 && t[2] == 0 && t[3] == 0)
        return true;
    return p->lon >= t[0] && p->lat >= t[1] && p->lon <= t[2] && p->lat <= t[3];
}

bool extp_is_region(const cx_place *p)
{
    return p->kind == CX_KIND_ADMIN1 || p->kind == CX_KIND_ADMIN2 || p->kind == CX_KIND_REGION ||
           p->kind == CX_KIND_COUNTRY || p->radius_km > 5;
}

static bool in_focus(const struct ext_lexicon *lex, const cx_place *p)
{
    for (size_t i = 0; i < lex->n_focus; i++)
        if (strcmp(lex->focus[i], p->country) == 0)
            return true;
    return false;
}

bool extp_in_core(const struct ext_lexicon *lex, const cx_place *p)
{
    return extp_in_theatre(lex, p) && (lex->n_focus == 0 || in_focus(lex, p));
}

int ext_place_gate(const ext_lexicon *lex, const cx_place *p, bool *kept)
{
    int gate = !extp_in_theatre(lex, p) ? EXT_GATE_OUTSIDE
               : extp_in_core(lex, p)   ? EXT_GATE_CORE
                                        : EXT_GATE_BOX;
    if (kept)
        *kept = p->match == CX_MATCH_EXACT ? gate != EXT_GATE_OUTSIDE : gate == EXT_GATE_CORE;
    return gate;
}

static double base_score(const struct ext_lexicon *lex, const extp_mention *m, size_t c)
{
    const cx_place *p = &m->cand[c];
    double s = 0;
    if (extp_in_theatre(lex, p))
        s += 3;
    if (in_focus(lex, p))
        s += 1.5;
    s += 0.1 * log10((double)p->population + 1.0);
    if (p->match == CX_MATCH_EXACT)
        s += 2.5;
    s += 0.8 * (double)(m->n - c) / (double)m->n; /* the gazetteer's own ranking */
    bool region = extp_is_region(p);
    if (m->settlement_cue)
        s += region ? -1.0 : 1.0;
    /* "the district of X": ACLED-style, code the district's seat when a
     * settlement shares the name, else the district itself */
    bool seat = !region && (strncmp(p->fcode, "PPLA", 4) == 0 || strcmp(p->fcode, "PPLC") == 0);
    if (m->region_cue)
        s += region ? 1.0 : (seat ? 1.2 : 0.0);
    else if (region && p->kind != CX_KIND_COUNTRY && !m->settlement_cue)
        s -= 0.8; /* a bare name is the town more often than its district */
    if (m->water_cue)
        s += p->kind == CX_KIND_WATER ? 2.0 : -0.5;
    if (p->kind == CX_KIND_WATER && !m->water_cue)
        s -= 0.5;
    return s;
}

/* The places chosen so far: one entry per distinct place, with up to
 * MAX_OCC of its mentions, and what the distance needs precomputed. */
#define MAX_ANCHORS 256
#define MAX_OCC 4

typedef struct occ {
    size_t men, sent;
    int list;
} occ;

typedef struct anchor {
    const char *src_id;
    const char *surface;
    occ occ[MAX_OCC];
    size_t n_occ;
    double lat, lon, coslat, reach;
    bool region;
} anchor;

/* Equirectangular distance: ranking needs order, not geodesy. */
static double fast_km(double lat1, double lon1, double coslat, double lat2, double lon2)
{
    double x = (lon2 - lon1) * coslat, y = lat2 - lat1;
    return 111.195 * sqrt(x * x + y * y);
}

static size_t make_anchors(const struct ext_lexicon *lex, const extp_mention *men, size_t n,
                           anchor *out)
{
    size_t na = 0;
    for (size_t j = 0; j < n; j++) {
        if (men[j].chosen < 0)
            continue;
        const cx_place *q = &men[j].cand[men[j].chosen];
        if (!q->src_id[0] || q->kind == CX_KIND_COUNTRY || !extp_in_theatre(lex, q))
            continue;
        size_t k = 0;
        while (k < na && strcmp(out[k].src_id, q->src_id) != 0)
            k++;
        if (k == na) {
            if (na == MAX_ANCHORS)
                continue;
            out[na++] = (anchor){q->src_id, men[j].surface, {{0, 0, 0}}, 0, q->lat, q->lon,
                                 cos(q->lat * M_PI / 180.0),
                                 q->radius_km > 0 ? q->radius_km + 15 : 30, q->radius_km > 0};
        }
        if (out[k].n_occ < MAX_OCC)
            out[k].occ[out[k].n_occ++] = (occ){j, men[j].sent, men[j].list};
    }
    return na;
}

/* Each distinct place counts once, with the weight of its closest tie to
 * the mention: same list > same sentence > elsewhere; regions count half. */
static double proximity(const extp_mention *men, const anchor *an, size_t na, size_t self,
                        const cx_place *p)
{
    double bonus = 0;
    const extp_mention *m = &men[self];
    for (size_t j = 0; j < na; j++) {
        const anchor *a = &an[j];
        if (strcmp(a->src_id, p->src_id) == 0 || strcmp(a->surface, m->surface) == 0)
            continue;
        double best = 0;
        for (size_t k = 0; k < a->n_occ; k++) {
            const occ *o = &a->occ[k];
            double w = o->sent == m->sent ? 1.0 : 0.5;
            if ((m->list >= 0 && (o->list == m->list || (int)o->men == m->list)) ||
                (int)self == o->list)
                w = 1.5;
            if (w > best)
                best = w;
        }
        if (a->region)
            best *= 0.5;
        double d = fast_km(a->lat, a->lon, a->coslat, p->lat, p->lon);
        bonus += d <= a->reach ? best : (d <= 3 * a->reach ? 0.4 * best : 0);
        if (bonus >= 4.0)
            return 4.0;
    }
    return bonus;
}

static int cmp_surface(size_t i, size_t j, const extp_mention *men)
{
    int c = strcmp(men[i].surface, men[j].surface);
    return c ? c : (i < j ? -1 : i > j);
}

/* qsort has no context argument in C11: a small merge sort instead. */
static void sort_by_surface(size_t *idx, size_t *tmp, size_t n, const extp_mention *men)
{
    if (n < 2)
        return;
    size_t h = n / 2;
    sort_by_surface(idx, tmp, h, men);
    sort_by_surface(idx + h, tmp, n - h, men);
    size_t a = 0, b = h, k = 0;
    while (a < h && b < n)
        tmp[k++] = cmp_surface(idx[a], idx[b], men) <= 0 ? idx[a++] : idx[b++];
    while (a < h)
        tmp[k++] = idx[a++];
    while (b < n)
        tmp[k++] = idx[b++];
    memcpy(idx, tmp, n * sizeof *idx);
}

/* One sense per discourse: every mention of one name in a document gets the
 * same place, chosen on (at most MAX_OCC of) its mentions' contexts. */
void extp_resolve(const struct ext_lexicon *lex, extp_mention *men, size_t n)
{
    const size_t nc = sizeof men[0].cand / sizeof men[0].cand[0];
    double *base = malloc((n ? n : 1) * nc * sizeof *base); /* each candidate scored once */
    for (size_t i = 0; i < n; i++) {
        double best = -1e9;
        men[i].chosen = -1;
        for (size_t c = 0; c < men[i].n; c++) {
            double sc = base_score(lex, &men[i], c);
            if (base)
                base[i * nc + c] = sc;
            if (sc > best) {
                best = sc;
                men[i].chosen = (int)c;
            }
        }
    }
    size_t *idx = malloc((n ? n : 1) * sizeof *idx), *tmp = malloc((n ? n : 1) * sizeof *tmp);
    anchor *an = malloc(MAX_ANCHORS * sizeof *an);
    if (!idx || !tmp || !an || !base) { /* keep the context-free choice */
        free(idx);
        free(tmp);
        free(an);
        free(base);
        return;
    }
    for (size_t i = 0; i < n; i++)
        idx[i] = i;
    sort_by_surface(idx, tmp, n, men);
    for (int pass = 0; pass < 2; pass++) {
        size_t na = make_anchors(lex, men, n, an);
        for (size_t g = 0; g < n;) {
            size_t e = g + 1;
            while (e < n && strcmp(men[idx[e]].surface, men[idx[g]].surface) == 0)
                e++;
            const extp_mention *first = &men[idx[g]];
            if (first->n >= 2) {
                double best = -1e9;
                int choice = first->chosen;
                for (size_t c = 0; c < first->n; c++) {
                    double sc = -1e9;
                    bool theatre = extp_in_theatre(lex, &first->cand[c]);
                    for (size_t k = g; k < e && k < g + MAX_OCC; k++) {
                        const extp_mention *m = &men[idx[k]];
                        if (m->n != first->n)
                            continue;
                        double v = base[idx[k] * nc + c];
                        if (theatre)
                            v += proximity(men, an, na, idx[k], &first->cand[c]);
                        if (v > sc)
                            sc = v;
                    }
                    if (sc > best + 1e-9) {
                        best = sc;
                        choice = (int)c;
                    }
                }
                for (size_t k = g; k < e; k++)
                    if (men[idx[k]].n == first->n)
                        men[idx[k]].chosen = choice;
            }
            g = e;
        }
    }
    free(idx);
    free(tmp);
    free(an);
    free(base);
}
