/* date_choice.c -- the candidate dates of a trigger and their features. See
 * date_choice.h; the weights come from scripts/train_dates.py. */
#include "date_choice.h"

#include "incident.h"

#include <string.h>

static const char *const names[] = {
#define EXTD_NAME(name) #name,
    EXTD_LIST(EXTD_NAME)
#undef EXTD_NAME
};

const char *extp_date_feature_name(int i)
{
    return i >= 0 && i < EXTD_N ? names[i] : NULL;
}

static bool known(const ext_date *d)
{
    return d->prec != EXT_PREC_UNKNOWN;
}

/* Days since 1970 of the first day a date covers. */
static long first_day(const ext_date *d)
{
    return ext_days_from_civil(d->y, d->m ? d->m : 1, d->d ? d->d : 1);
}

static bool same_date(const ext_date *a, const ext_date *b)
{
    return a->prec == b->prec && a->y == b->y && a->m == b->m && a->d == b->d;
}

/* What a date says about its time against publication. */
static void time_features(const extp_date_ctx *c, const ext_date *d, float *x)
{
    x[EXTD_precision_day] = d->prec <= EXT_PREC_WEEK;
    x[EXTD_precision_month] = d->prec == EXT_PREC_MONTH;
    x[EXTD_precision_year] = d->prec == EXT_PREC_YEAR;
    x[EXTD_title] = c->title;
    if (c->pub.prec != EXT_PREC_DAY)
        return;
    long pz = ext_days_from_civil(c->pub.y, c->pub.m, c->pub.d);
    /* the last day a date covers, for "more than a year before" */
    long last = d->prec <= EXT_PREC_WEEK    ? first_day(d)
                : d->prec == EXT_PREC_MONTH ? ext_days_from_civil(d->y, d->m, 28)
                                            : ext_days_from_civil(d->y, 12, 31);
    x[EXTD_background] = last < pz - 365;
    x[EXTD_after_publication] = first_day(d) > pz + 1;
}

size_t extp_date_candidates(const extp_date_ctx *c, extp_date_cand *out, size_t max)
{
    size_t n = 0, nearest = (size_t)-1, best = (size_t)-1;
    for (size_t k = 0; k < c->ndx; k++) {
        size_t t = c->dx[k].tok;
        if (t >= c->ca && t < c->cb) {
            size_t d = t > c->tok ? t - c->tok : c->tok - t;
            if (d < best) {
                best = d;
                nearest = k;
            }
        }
    }
    for (size_t k = 0; k < c->ndx && n < max; k++) {
        const extp_datex *e = &c->dx[k];
        if (!known(&e->date))
            continue;
        extp_date_cand *o = &out[n++];
        memset(o, 0, sizeof *o);
        o->date = e->date;
        o->src = (int)k;
        float *x = o->x;
        bool in = e->tok >= c->ca && e->tok < c->cb;
        x[EXTD_in_clause] = in;
        x[EXTD_in_sentence_only] = !in;
        x[EXTD_nearest_in_clause] = k == nearest;
        bool before = e->tok < c->tok;
        x[EXTD_before_trigger] = before;
        /* tokens strictly between the expression and the trigger */
        size_t lo = before ? e->tok + e->len : c->tok + 1, hi = before ? c->tok : e->tok;
        size_t gap = hi > lo ? hi - lo : 0;
        x[EXTD_distance_0_3] = gap <= 3;
        x[EXTD_distance_4_10] = gap >= 4 && gap <= 10;
        x[EXTD_distance_11_plus] = gap > 10;
        for (size_t j = 0; j < c->n_others; j++)
            if (c->others[j] != c->tok && c->others[j] >= lo && c->others[j] < hi)
                x[EXTD_trigger_between] = 1;
        x[EXTD_relative] = e->rel;
        x[EXTD_agrees_with_carried] = known(&c->carry) && same_date(&e->date, &c->carry);
        x[EXTD_is_publication_day] = c->pub.prec == EXT_PREC_DAY && same_date(&e->date, &c->pub);
        time_features(c, &e->date, x);
    }
    bool own = nearest != (size_t)-1 && known(&c->dx[nearest].date);
    if (known(&c->carry) && n < max) {
        extp_date_cand *o = &out[n++];
        memset(o, 0, sizeof *o);
        o->date = c->carry;
        o->src = EXTD_SRC_CARRIED;
        o->x[EXTD_carried] = 1;
        o->x[EXTD_clause_has_own] = own;
        time_features(c, &c->carry, o->x);
    }
    if (c->pub.prec == EXT_PREC_DAY && !c->title && n < max) {
        extp_date_cand *o = &out[n++];
        memset(o, 0, sizeof *o);
        o->date = c->pub;
        o->src = EXTD_SRC_PUBLICATION;
        o->x[EXTD_publication] = 1;
        o->x[EXTD_clause_has_own] = own;
        o->x[EXTD_carried_exists] = known(&c->carry);
        o->x[EXTD_agrees_with_carried] = known(&c->carry) && same_date(&c->pub, &c->carry);
        time_features(c, &c->pub, o->x);
    }
    return n;
}

int extp_date_choose(double bias, const double *w, const extp_date_cand *cands, size_t n)
{
    int best = -1;
    double top = 0;
    for (size_t k = 0; k < n; k++) {
        double z = bias;
        for (int i = 0; i < EXTD_N; i++)
            z += w[i] * cands[k].x[i];
        if (best < 0 || z > top) {
            best = (int)k;
            top = z;
        }
    }
    return best;
}
