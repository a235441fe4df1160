/* resolve.c -- toponym resolution with document context. See resolve.h.
 * Two passes: the first ranks each mention's candidates on their own
 * (theatre, focus countries, gazetteer rank, population, kind cues); the
 * second adds proximity to the places chosen for the other mentions, so that
 * "Kut" in a list of Gegharkunik villages is the Armenian village and not
 * the Iraqi city, and "Martuni" next to Askeran is the Karabakh town. */
#include "resolve.h"

#include <math.h>
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

/* The places chosen so far, one entry per distinct place, with what the
 * proximity score needs precomputed. */
typedef struct anchor {
    const char *src_id;
    const char *surface;
    size_t men, sent;
    int list;
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
                           anchor *out, size_t max)
{
    size_t na = 0;
    for (size_t j = 0; j < n && na < max; j++) {
        if (men[j].chosen < 0)
            continue;
        const cx_place *q = &men[j].cand[men[j].chosen];
        if (!q->src_id[0] || q->kind == CX_KIND_COUNTRY || !extp_in_theatre(lex, q))
            continue;
        out[na++] = (anchor){q->src_id, men[j].surface, j, men[j].sent, men[j].list, q->lat, q->lon,
                             cos(q->lat * M_PI / 180.0),
                             q->radius_km > 0 ? q->radius_km + 15 : 30, q->radius_km > 0};
    }
    return na;
}

/* Each distinct place counts once, with the weight of its closest tie:
 * same list > same sentence > elsewhere; regions count half. */
static double proximity(const extp_mention *men, const anchor *an, size_t na, size_t self,
                        const cx_place *p)
{
    double bonus = 0;
    for (size_t j = 0; j < na; j++) {
        const anchor *a = &an[j];
        if (a->men == self || strcmp(a->src_id, p->src_id) == 0 ||
            strcmp(a->surface, men[self].surface) == 0)
            continue;
        /* the strongest tie to this place among its mentions */
        bool first = true;
        for (size_t k = 0; k < j; k++)
            if (strcmp(an[k].src_id, a->src_id) == 0)
                first = false;
        if (!first)
            continue;
        double best = 0;
        for (size_t k = j; k < na; k++) {
            const anchor *b = &an[k];
            if (b->men == self || strcmp(b->src_id, a->src_id) != 0)
                continue;
            double w = b->sent == men[self].sent ? 1.0 : 0.5;
            if ((men[self].list >= 0 && (b->list == men[self].list || (int)b->men == men[self].list)) ||
                (int)self == b->list)
                w = 1.5;
            if (b->region)
                w *= 0.5;
            if (w > best)
                best = w;
        }
        double d = fast_km(a->lat, a->lon, a->coslat, p->lat, p->lon);
        bonus += d <= a->reach ? best : (d <= 3 * a->reach ? 0.4 * best : 0);
    }
    return fmin(bonus, 4.0);
}

void extp_resolve(const struct ext_lexicon *lex, extp_mention *men, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        double best = -1e9;
        men[i].chosen = -1;
        for (size_t c = 0; c < men[i].n; c++) {
            double s = base_score(lex, &men[i], c);
            if (s > best) {
                best = s;
                men[i].chosen = (int)c;
            }
        }
    }
    anchor an[256];
    for (int pass = 0; pass < 2; pass++) {
        size_t na = make_anchors(lex, men, n, an, 256);
        for (size_t i = 0; i < n; i++) {
            if (men[i].n < 2)
                continue;
            double best = -1e9;
            int choice = men[i].chosen;
            for (size_t c = 0; c < men[i].n; c++) {
                double sc = base_score(lex, &men[i], c);
                if (extp_in_theatre(lex, &men[i].cand[c]))
                    sc += proximity(men, an, na, i, &men[i].cand[c]);
                if (sc > best + 1e-9) {
                    best = sc;
                    choice = (int)c;
                }
            }
            men[i].chosen = choice;
        }
    }
}
