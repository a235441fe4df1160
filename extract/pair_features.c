/* pair_features.c -- the features of a candidate pair (trigger, place): the
 * measurable description that the model (model.c) weighs. This file decides
 * nothing: it only describes. Every feature is documented in pair_features.h. */
#include "pair_features.h"
#include "triggers.h"

#include <string.h>

#include "incident.h"

static const char *const names[EXTF_N] = {
#define EXTF_NAME(id, name, doc) name,
    EXTF_LIST(EXTF_NAME)
#undef EXTF_NAME
};

const char *extp_feature_name(int i)
{
    return i >= 0 && i < EXTF_N ? names[i] : "";
}

int ext_feature_count(void)
{
    return EXTF_N;
}

const char *ext_feature_name(int i)
{
    return extp_feature_name(i);
}

int extp_feature_index(const char *name, size_t len)
{
    for (int i = 0; i < EXTF_N; i++)
        if (strlen(names[i]) == len && memcmp(names[i], name, len) == 0)
            return i;
    return -1;
}

/* The mention heading the list `mi` belongs to (itself when alone). */
static int list_head(const doc_state *s, int mi)
{
    return s->men[mi].list >= 0 ? s->men[mi].list : mi;
}

/* Tokens strictly between spans [a0,a1) and [b0,b1); 0 when they touch. */
static size_t gap(size_t a0, size_t a1, size_t b0, size_t b1)
{
    if (a1 <= b0)
        return b0 - a1;
    if (b1 <= a0)
        return a0 - b1;
    return 0;
}

/* The member of mi's list nearest to the trigger span, and the gap to it. */
static size_t list_gap(const doc_state *s, int mi, size_t t0, size_t t1, int *nearest)
{
    int head = list_head(s, mi);
    size_t best = (size_t)-1;
    *nearest = mi;
    /* a list's members follow its head (compute_cues links each to the one
     * before): stop at the first mention that is not one */
    for (size_t j = (size_t)head; j < s->n_men && s->men[j].sent == s->men[mi].sent; j++) {
        if ((int)j != head && s->men[j].list != head)
            break;
        size_t g = gap(t0, t1, s->men[j].t0, s->men[j].t1);
        if (g < best) {
            best = g;
            *nearest = (int)j;
        }
    }
    return best;
}

static bool dash_or_paren(const doc_state *s, size_t i)
{
    if (s->t.tok[i].kind != TK_PUNCT)
        return false;
    uint32_t c = s->t.tok[i].punct;
    return c == '(' || c == 0x2014 || c == 0x2013 || c == '-';
}

/* "KAPAN, Arménie (AP) —", "Erevan, 14 oct. (AFP) -": the place opens a
 * paragraph and a parenthesis or a dash follows within a few tokens (or it is
 * in capitals before a comma). */
static bool dateline(const doc_state *s, const extp_mention *m)
{
    const extp_sentence *se = &s->t.sent[m->sent];
    if (m->t0 != se->first || se->para == 0)
        return false;
    if (m->sent > 0 && s->t.sent[m->sent - 1].para == se->para)
        return false;
    if ((s->t.tok[m->t0].flags & TF_ALLCAP) && m->t1 < se->end && is_punct(s, m->t1, ','))
        return true;
    for (size_t k = m->t1; k < se->end && k < m->t1 + 8; k++)
        if (dash_or_paren(s, k))
            return true;
    return false;
}

static bool between_has(const doc_state *s, size_t a, size_t b, long cp)
{
    for (size_t k = a; k < b; k++)
        if (is_punct(s, k, cp))
            return true;
    return false;
}

static void trigger_features(const extp_pair_ctx *c, float *x)
{
    const trigger *tr = c->tr;
    if (!tr)
        return;
    switch (tr->cat) {
    case LX_SHELL_STRONG: case LX_CLASH_STRONG: case LX_EVAC_STRONG: x[EXTF_TRIG_STRONG] = 1; break;
    case LX_SHELL_WEAK: x[EXTF_TRIG_WEAPON] = 1; break;
    case LX_SHELL_FIRE: x[EXTF_TRIG_FIRE] = 1; break;
    case LX_ATTACK: x[EXTF_TRIG_ATTACK] = 1; break;
    case LX_CLASH_WEAK: x[EXTF_TRIG_NEEDS_PLACE] = 1; break;
    case LX_CLASH_CAPTURE: x[EXTF_TRIG_CAPTURE] = 1; break;
    case LX_EVAC_WEAK: x[EXTF_TRIG_EVAC_WEAK] = 1; break;
    case LX_EVAC_VERB: x[tr->move_alone ? EXTF_TRIG_MOVE_ALONE : EXTF_TRIG_EVAC_MOVE] = 1; break;
    default: break;
    }
    x[EXTF_TRIG_UNSUPPORTED] = tr->unsupported;
    x[EXTF_TRIG_IN_NOUN_LIST] = tr->in_list;
    if (tr->cat == LX_SHELL_FIRE) {
        /* fire with no weapon is small-arms fire: unsupported as a shelling,
         * what a clash is made of */
        x[EXTF_FIRE_NO_WEAPON] = !tr->weapons;
        x[EXTF_FIRE_AS_CLASH] = c->type == EXT_CLASH;
        if (c->type == EXT_CLASH)
            x[EXTF_TRIG_UNSUPPORTED] = 0;
    }
    for (size_t k = 0; k < c->ntr; k++)
        if (&c->trs[k] != tr && c->trs[k].type == c->type && !c->trs[k].dead)
            x[EXTF_TRIG_SHARED_TYPE] = 1;
    if (tr->cat == LX_ATTACK) {
        x[EXTF_ATTACK_AS_SHELLING] = c->type == EXT_SHELLING;
        x[EXTF_ATTACK_WEAPONS_AGREE] = tr->weapons == (c->type == EXT_SHELLING);
        x[EXTF_ATTACK_FITS_CONTEXT] = (c->context_types >> c->type) & 1;
    }
}

static void place_features(const doc_state *s, const extp_mention *m, float *x)
{
    const cx_place *p = &m->cand[m->chosen];
    bool region = extp_is_region(p);
    x[EXTF_PLACE_REGION] = region && p->kind != CX_KIND_OTHER;
    x[EXTF_PLACE_LINE] = p->kind == CX_KIND_OTHER;
    bool capital = strcmp(p->fcode, "PPLC") == 0;
    x[EXTF_PLACE_CAPITAL] = capital;
    x[EXTF_PLACE_LOCATIVE] = m->status == ST_LOCATIVE && !m->near;
    x[EXTF_PLACE_NEAR] = m->near;
    x[EXTF_PLACE_BLOCKED] = m->status == ST_BLOCKED;
    x[EXTF_PLACE_NO_CUE] = m->status == ST_NEUTRAL;
    x[EXTF_PLACE_SOURCE] = m->source_loc;
    x[EXTF_PLACE_SPEAKS] = m->speaker;
    x[EXTF_PLACE_CAPITAL_OF] = m->capital_of && region;
    x[EXTF_PLACE_KIND_NOUN] = m->region_cue || m->settlement_cue;
    x[EXTF_PLACE_TRANSLIT] = m->translit || p->match != CX_MATCH_EXACT;
    x[EXTF_PLACE_AMBIGUOUS] = m->n > 1;
    size_t mi = (size_t)(m - s->men);
    x[EXTF_PLACE_IN_LIST] = m->list >= 0 || (mi + 1 < s->n_men && m[1].list == (int)mi);
    x[EXTF_PLACE_DATELINE] = dateline(s, m);
    x[EXTF_PLACE_ALL_CAPS] = (s->t.tok[m->t0].flags & TF_ALLCAP) != 0;
    x[EXTF_PLACE_UNPLACED] = m->unplaced;
    x[EXTF_PLACE_WATER] = p->kind == CX_KIND_WATER;
    /* "the Nagorno-Karabakh conflict", "la guerre du Karabakh", "conflict
     * over Karabakh": a conflict noun right after, or before through one
     * preposition or determiner */
    const extp_sentence *se = &s->t.sent[m->sent];
    bool conflict = m->t1 < se->end && starts_cat(s, m->t1, LX_CONFLICT_NOUN);
    int adjectives = 0; /* "the war over the disputed X region" */
    for (size_t k = m->t0; !conflict && k > se->first && k + 4 >= m->t0; k--) {
        size_t st = ends_at(s, k, LX_CONFLICT_NOUN, se->first);
        if (st != (size_t)-1) {
            conflict = true;
            break;
        }
        const extp_token *pt = &s->t.tok[k - 1];
        if (pt->kind != TK_WORD || (pt->flags & TF_CAP))
            break;
        if (starts_cat(s, k - 1, LX_FUNCTION) || starts_cat(s, k - 1, LX_DETERMINER) ||
            starts_cat(s, k - 1, LX_GENITIVE) || starts_cat(s, k - 1, LX_LOCATIVE))
            continue;
        /* one word of no lexicon class between: an adjective */
        if (s->nm[k - 1] > 0 || s->covers[k - 1] != 0 || ++adjectives > 1)
            break;
    }
    x[EXTF_PLACE_NAMES_CONFLICT] = conflict;
}

/* "les forces d'occupation ont quitté la région de X", "the troops left X":
 * a military word at most eight words before the movement in its clause,
 * and no people right after it ("the army evacuated civilians" is an
 * evacuation whose agent is the army). */
static bool moved_by_forces(const doc_state *s, const trigger *tr)
{
    bool forces = false;
    for (size_t k = tr->tok; k-- > tr->ca && k + 8 >= tr->tok && !forces;)
        forces = starts_cat(s, k, LX_MIL_TARGET);
    if (!forces)
        return false;
    size_t e = tr->tok + tr->len;
    for (size_t k = e; k < tr->cb && k < e + 4; k++)
        if (starts_cat(s, k, LX_PEOPLE) && !starts_cat(s, k, LX_MIL_TARGET))
            return false;
    return true;
}

/* Distances, order and what lies between the trigger and the place. */
static void pair_geometry(const doc_state *s, const extp_pair_ctx *c, float *x)
{
    const trigger *tr = c->tr;
    const extp_mention *m = &s->men[c->men];
    int near_m;
    size_t d = list_gap(s, c->men, tr->tok, tr->tok + tr->len, &near_m);
    const extp_mention *nm = &s->men[near_m];
    x[d <= 2 ? EXTF_DIST_0_2 : d <= 6 ? EXTF_DIST_3_6 : d <= 12 ? EXTF_DIST_7_12 : EXTF_DIST_13_PLUS] = 1;
    x[EXTF_PLACE_BEFORE] = nm->t1 <= tr->tok;
    size_t ca = tr->ca, cb = tr->cb;
    x[EXTF_SAME_CLAUSE] = nm->t0 >= ca && nm->t1 <= cb;
    size_t a = nm->t1 <= tr->tok ? nm->t1 : tr->tok + tr->len;
    size_t b = nm->t1 <= tr->tok ? tr->tok : nm->t0;
    x[EXTF_COMMA_BETWEEN] = between_has(s, a, b, ',');
    bool nearest = true, other_nearer = false;
    for (size_t k = 0; k < c->ntr; k++) {
        const trigger *o = &c->trs[k];
        if (o == tr || o->dead)
            continue;
        if (o->tok >= a && o->tok < b)
            x[EXTF_TRIGGER_BETWEEN] = 1;
        int om;
        size_t od = list_gap(s, c->men, o->tok, o->tok + o->len, &om);
        if (od < d) {
            nearest = false;
            if (o->type != c->type)
                other_nearer = true;
        }
    }
    x[EXTF_NEAREST] = nearest;
    bool nearest_place = true;
    int head = list_head(s, c->men);
    for (size_t k = 0; k < c->nplaces; k++) {
        int o = c->places[k], om;
        if (list_head(s, o) != head && list_gap(s, o, tr->tok, tr->tok + tr->len, &om) < d)
            nearest_place = false;
    }
    x[EXTF_NEAREST_PLACE] = nearest_place;
    x[EXTF_OTHER_TYPE_NEARER] = other_nearer;
    x[EXTF_DIRECT] = tr->excl == head;
    x[EXTF_ATTACHED_ELSEWHERE] = tr->excl >= 0 && tr->excl != head;
    /* "the fighting continued, ... missile attacks on the cities of X": X
     * is the place of the other event (an attack or fire, which proposes
     * both types, claims it for neither) */
    for (size_t k = 0; k < c->ntr; k++) {
        const trigger *o = &c->trs[k];
        if (o != tr && !o->dead && o->excl == head && o->type != c->type &&
            o->cat != LX_ATTACK && o->cat != LX_SHELL_FIRE)
            x[EXTF_PLACE_TAKEN_BY_OTHER_TYPE] = 1;
    }
    if (c->type == EXT_EVACUATION) {
        x[EXTF_EVAC_LOCATIVE] = m->status == ST_LOCATIVE;
        x[EXTF_EVAC_FAR] = d > 6;
        x[EXTF_EVAC_BY_FORCES] = moved_by_forces(s, tr);
    }
}

/* Does a region_context phrase of value `val` (EXTP_RCTX_*) start at token i? */
static bool starts_rctx(const doc_state *s, size_t i, int val)
{
    if (!starts_cat(s, i, LX_REGION_CTX))
        return false;
    for (size_t k = 0; k < s->nm[i]; k++)
        if (s->mt[i][k].cat == LX_REGION_CTX && s->mt[i][k].val == val)
            return true;
    return false;
}

/* A region named as what qualifies a group or an authority: "the
 * authorities of X", "les villageois d'origine arménienne du X" (a group
 * word, at most four words, a genitive, the name) or "X men", "X's
 * officials" (the name, then the group word). */
static bool region_of_group(const doc_state *s, const extp_mention *m)
{
    if (m->t1 < s->t.n) {
        size_t a = m->t1;
        if (a + 1 < s->t.n && s->t.tok[a].kind == TK_WORD && s->t.lens[a] == 1 &&
            s->t.words[a][0] == 's')
            a++; /* "X's" */
        if (s->t.tok[a].kind == TK_WORD && starts_rctx(s, a, EXTP_RCTX_GROUP))
            return true;
    }
    if (m->t0 < 2)
        return false;
    size_t g = m->t0 - 1;
    if (!starts_cat(s, g, LX_GENITIVE) && g > 0 && starts_cat(s, g, LX_DETERMINER))
        g--; /* "of the X" */
    if (!starts_cat(s, g, LX_GENITIVE))
        return false;
    for (size_t k = g; k-- > 0 && k + 5 > g;) {
        if (s->t.tok[k].kind != TK_WORD)
            return false;
        if (starts_rctx(s, k, EXTP_RCTX_GROUP))
            return true;
    }
    return false;
}

/* What a sentence naming a region tells besides an event there: a past war
 * or a period recalled, a continuing state, a group the region qualifies. */
static void region_context(const doc_state *s, const extp_pair_ctx *c, const extp_mention *m, float *x)
{
    const extp_sentence *se = &s->t.sent[c->si];
    for (size_t k = se->first; k < se->end; k++) {
        if (starts_rctx(s, k, EXTP_RCTX_BACKGROUND))
            x[EXTF_REGION_BACKGROUND] = 1;
        if (starts_rctx(s, k, EXTP_RCTX_ONGOING))
            x[EXTF_REGION_ONGOING] = 1;
    }
    x[EXTF_REGION_OF_GROUP] = c->type != EXT_EVACUATION && region_of_group(s, m);
}

void extp_pair_features(const doc_state *s, const extp_pair_ctx *c, float *x)
{
    memset(x, 0, EXTF_N * sizeof *x);
    const extp_mention *m = &s->men[c->men];
    const extp_sentence *se = &s->t.sent[c->si];
    x[EXTF_BIAS] = 1;
    x[c->type == EXT_SHELLING ? EXTF_TYPE_SHELLING
      : c->type == EXT_CLASH  ? EXTF_TYPE_CLASH
                              : EXTF_TYPE_EVACUATION] = 1;
    trigger_features(c, x);
    place_features(s, m, x);
    switch (c->origin) {
    case EXTP_FROM_SENTENCE:
        if (c->tr)
            pair_geometry(s, c, x);
        break;
    case EXTP_FROM_PARAGRAPH: x[EXTF_FROM_PARAGRAPH] = 1; break;
    case EXTP_FROM_TITLE: x[EXTF_FROM_TITLE] = 1; break;
    default: x[EXTF_FROM_FOLLOWUP] = 1; break;
    }
    x[EXTF_IN_TITLE] = c->si == s->title_si;
    bool region = x[EXTF_PLACE_REGION] != 0 || x[EXTF_PLACE_LINE] != 0;
    x[EXTF_REGION_IN_TITLE] = region && c->si == s->title_si;
    x[EXTF_REGION_FROM_SCENE] = region && (c->origin == EXTP_FROM_PARAGRAPH || c->origin == EXTP_FROM_TITLE);
    x[EXTF_LEAD] = se->para == 1;
    /* "opened fire at the positions of", "tenté d'attaquer les troupes":
     * an attack on positions is a clash (GUIDE.md) */
    if (c->tr && c->type == EXT_CLASH &&
        (c->tr->cat == LX_ATTACK || c->tr->cat == LX_SHELL_FIRE)) {
        /* its object: the words after it, up to a punctuation mark or a
         * place ("attaqué Sotk, puis les troupes" attacks a place) */
        size_t e = c->tr->tok + c->tr->len;
        size_t mj = extp_mention_at_or_after(s, e);
        size_t stop = mj < s->n_men && s->men[mj].t0 < c->tr->cb ? s->men[mj].t0 : c->tr->cb;
        for (size_t k = e; k < stop && k < e + 6 && s->t.tok[k].kind == TK_WORD &&
                           !x[EXTF_ATTACK_ON_FORCES];
             k++)
            x[EXTF_ATTACK_ON_FORCES] = starts_cat(s, k, LX_MIL_TARGET);
    }
    x[EXTF_HAS_DATE] = c->has_date;
    x[EXTF_BACKGROUND] = c->background;
    x[EXTF_CLAIMED] = c->claimed;
    x[EXTF_CASUALTIES] = c->casualties;
    for (size_t k = se->first; k < se->end && !x[EXTF_ADVISORY]; k++)
        x[EXTF_ADVISORY] = starts_cat(s, k, LX_ADVISORY);
    if (region)
        region_context(s, c, m, x);
}
