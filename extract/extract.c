/* extract.c -- text to incidents.
 *
 * One document at a time:
 *   1. annotate: phrase matches from the lexicon (triggers, cues, actors,
 *      dates, numbers) and toponyms spotted through the gazetteer callbacks,
 *      with the cues around each (compute_cues);
 *   2. resolve every toponym to one place using the whole document
 *      (resolve.c);
 *   3. candidates: every (trigger, place) pair of a sentence, of a sentence
 *      and its scene, of a casualty follow-up (collect_pairs), described by
 *      features (pair_features.c) and by what the whole document tells
 *      (document_features);
 *   4. decide: the model (model.c) gives each pair a probability; pairs from
 *      the threshold on become reports with their date, actors, claimant and
 *      casualties (decide, make_draft); reports of one incident within the
 *      document are folded together (merge_in_doc).
 * Everything language- or conflict-specific comes from ext_lexicon, and the
 * weights from data/model/pairs.json; this file names no place, actor or
 * word of any language. See docs/extraction.md. */
#include "extract.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cx_buf.h"
#include "cx_text.h"
#include "date_choice.h"
#include "dates.h"
#include "actors.h"
#include "mentions.h"
#include "pair_features.h"
#include "lexicon.h"
#include "model.h"
#include "resolve.h"
#include "state.h"
#include "tokens.h"
#include "triggers.h"

/* ===== Pass 1: annotate ===== */

static int annotate(doc_state *s)
{
    size_t n = s->t.n, cap = n + 16, used = 0;
    size_t *at = calloc(n + 1, sizeof *at);
    s->mflat = malloc(cap * sizeof *s->mflat);
    s->mt = calloc(n ? n : 1, sizeof *s->mt);
    s->nm = calloc(n ? n : 1, sizeof *s->nm);
    s->starts = calloc(n + 1, sizeof *s->starts);
    s->ends = calloc(n + 1, sizeof *s->ends);
    s->covers = calloc(n + 1, sizeof *s->covers);
    if (!at || !s->mflat || !s->mt || !s->nm || !s->starts || !s->ends || !s->covers) {
        free(at);
        return CX_ENOMEM;
    }
    /* matches are packed: most tokens start no phrase */
    for (size_t i = 0; i < n; i++) {
        if (cap - used < MAX_MATCH) {
            size_t nc = cap * 2 + MAX_MATCH;
            extp_match *p = realloc(s->mflat, nc * sizeof *p);
            if (!p) {
                free(at);
                return CX_ENOMEM;
            }
            s->mflat = p;
            cap = nc;
        }
        at[i] = used;
        s->nm[i] = extp_dict_match(s->lang->dict, s->t.words, s->t.lens, n, i, s->mflat + used,
                                   MAX_MATCH);
        used += s->nm[i];
    }
    for (size_t i = 0; i < n; i++) {
        s->mt[i] = s->mflat + at[i];
        for (size_t k = 0; k < s->nm[i]; k++) {
            const extp_match *m = &s->mt[i][k];
            s->starts[i] |= LX_BIT(m->cat);
            size_t e = i + (size_t)m->len;
            if (e <= n)
                s->ends[e] |= LX_BIT(m->cat);
            for (size_t j = i; j < e && j < n; j++)
                s->covers[j] |= LX_BIT(m->cat);
        }
    }
    free(at);
    return 0;
}

/* ===== Incidents ===== */

typedef struct draft {
    ext_incident inc;
    double radius_km;  /* extent of the place (0 for a point) */
    size_t trig;       /* token of the trigger it was read from, (size_t)-1 */
    size_t trig_at, trig_len; /* its bytes in the document's text (len 0: none) */
    int men;           /* mention index */
    size_t si;         /* sentence */
    bool actor_explicit;
    bool date_own;     /* the date was written in the trigger's clause, not carried */
    bool dead;
} draft;

typedef struct drafts {
    draft *d;
    size_t n, cap;
} drafts;

static int push_draft(drafts *ds, const draft *d)
{
    if (ds->n == ds->cap) {
        size_t cap = ds->cap ? ds->cap * 2 : 32;
        draft *p = realloc(ds->d, cap * sizeof *p);
        if (!p)
            return CX_ENOMEM;
        ds->d = p;
        ds->cap = cap;
    }
    ds->d[ds->n++] = *d;
    return 0;
}

static void drafts_free(drafts *ds)
{
    for (size_t i = 0; i < ds->n; i++)
        ext_incident_clear(&ds->d[i].inc);
    free(ds->d);
    ds->d = NULL;
    ds->n = ds->cap = 0;
}

/* Can mention mi be the place of an incident at all? Only what the map
 * cannot show is ruled out here (no place chosen, a person, part of an actor
 * name, outside the theatre, a whole country); everything
 * else is described by features and decided by the model. */
static bool candidate_place(doc_state *s, const extp_mention *m)
{
    if (m->chosen < 0 || m->person || m->in_actor)
        return false;
    if (m->t0 == s->t.sent[m->sent].first && (extp_common_word(s, m) || extp_is_dateline(s, m)))
        return false;
    const cx_place *p = &m->cand[m->chosen];
    if (!extp_in_theatre(s->lex, p))
        return false;
    /* a capital named without a locative cue stands for its government
     * ("Bakou affirme", "Baku claims"), and "des sources à Bakou" is where
     * the news came from (GUIDE.md, Places) */
    if (strcmp(p->fcode, "PPLC") == 0 && (m->status != ST_LOCATIVE || m->source_loc))
        return false;
    /* any place cited as a source ("according to Stepanakert", "selon
     * Bakou") or speaking as a subject ("Stepanakert said", "Erevan
     * accuse") stands for its authorities, not for a scene (GUIDE.md); so
     * does an organisation's seat ("the Stepanakert-based service") */
    if (m->claimant || m->modifier || (m->speaks_subject && m->status == ST_NEUTRAL))
        return false;
    /* a lake is a place of the map ("tirs ... du lac de Sevan jusqu'à
     * Kapan"): the model weighs place_water */
    return p->kind != CX_KIND_COUNTRY;
}

/* The evidence of sentence si is its text [a, a + n): line breaks and tabs
 * become spaces and a run of spaces one (evidence_range gives a and n).
 * Writes it to `e` (may be NULL) and returns its length up to byte `upto`
 * of the sentence: where that byte lands in the evidence. */
static size_t evidence_norm(const doc_state *s, size_t a, size_t n, char *e, size_t upto)
{
    size_t w = 0;
    char prev = 0;
    for (size_t k = 0; k < n && k < upto; k++) {
        char c = s->text[a + k];
        if (c == '\n' || c == '\r' || c == '\t')
            c = ' ';
        if (c == ' ' && w > 0 && prev == ' ')
            continue;
        if (e)
            e[w] = c;
        w++;
        prev = c;
    }
    return w;
}

static void evidence_range(const doc_state *s, size_t si, size_t *a, size_t *n)
{
    const extp_sentence *se = &s->t.sent[si];
    *a = s->t.tok[se->first].off;
    size_t b = s->t.tok[se->end - 1].off + s->t.tok[se->end - 1].len;
    *n = b - *a;
    if (*n > 1000) { /* keep evidence readable; cut on a character boundary */
        *n = 1000;
        while (*n > 0 && ((unsigned char)s->text[*a + *n] & 0xC0) == 0x80)
            (*n)--;
    }
}

static char *sentence_text(const doc_state *s, size_t si)
{
    size_t a, n;
    evidence_range(s, si, &a, &n);
    char *e = malloc(n + 1);
    if (!e)
        return NULL;
    e[evidence_norm(s, a, n, e, n)] = '\0';
    return e;
}

/* Tokens [t0, t1) of sentence si as bytes of its evidence (issue 21):
 * EXT_SPAN_NONE when they are in another sentence or past the cut. */
static ext_span evidence_span(const doc_state *s, size_t si, size_t t0, size_t t1)
{
    const extp_sentence *se = &s->t.sent[si];
    ext_span none = {EXT_SPAN_NONE, EXT_SPAN_NONE};
    if (t0 >= t1 || t0 < se->first || t1 > se->end)
        return none;
    size_t a, n;
    evidence_range(s, si, &a, &n);
    size_t p0 = s->t.tok[t0].off, p1 = s->t.tok[t1 - 1].off + s->t.tok[t1 - 1].len;
    if (p0 < a || p1 > a + n)
        return none;
    size_t b0 = evidence_norm(s, a, n, NULL, p0 - a), b1 = evidence_norm(s, a, n, NULL, p1 - a);
    return b1 > b0 ? (ext_span){(int)b0, (int)b1} : none;
}

static void copy_label(char *dst, size_t size, const doc_state *s, int actor)
{
    cx_str_copy(dst, size, actor >= 0 ? s->lex->actors[actor].label : "");
}

/* The party a claim is attributed to: the name of the actor's side
 * ("Armenia") when the conflict file names it, else the actor's label. */
static const char *side_name(const doc_state *s, int actor)
{
    if (actor < 0)
        return "";
    const char *side = s->lex->actors[actor].side;
    for (size_t i = 0; i < s->lex->n_sides; i++)
        if (strcmp(s->lex->sides[i][0], side) == 0)
            return s->lex->sides[i][1];
    return s->lex->actors[actor].label;
}

/* ===== Candidate pairs ===== */

#define MAX_PAIR_TRIGGERS 16 /* triggers of one sentence that make pairs */

/* A candidate incident: a trigger (or the report a casualty sentence
 * continues) and a place. Its features are all 0/1, kept as bits. */
typedef struct pair {
    int men;          /* the place's mention */
    size_t si;        /* the trigger's sentence */
    trigger tr;       /* a copy; has_tr false for a casualty follow-up */
    bool has_tr;
    int type, origin;
    ext_date date;
    bool date_own;    /* written in the trigger's clause, not carried */
    ext_date carry;   /* the narrative date when the pair was made (date_choice.h) */
    uint64_t bits[2]; /* feature i set when bit i % 64 of word i / 64 is */
    double p;
} pair;

_Static_assert(EXTF_N <= 128, "pair features are kept as the bits of two uint64_t");

static void set_bit(pair *p, int f)
{
    p->bits[f / 64] |= (uint64_t)1 << (f % 64);
}

static float bit_of(const pair *p, int f)
{
    return (float)((p->bits[f / 64] >> (f % 64)) & 1u);
}

typedef struct pairs {
    pair *p;
    size_t n, cap;
} pairs;

static int push_pair(pairs *ps, const pair *p)
{
    if (ps->n == ps->cap) {
        size_t cap = ps->cap ? ps->cap * 2 : 64;
        pair *q = realloc(ps->p, cap * sizeof *q);
        if (!q)
            return CX_ENOMEM;
        ps->p = q;
        ps->cap = cap;
    }
    ps->p[ps->n++] = *p;
    return 0;
}

static double pair_prob(const extp_model *m, const pair *p)
{
    float x[EXTF_N];
    for (int i = 0; i < EXTF_N; i++)
        x[i] = bit_of(p, i);
    return extp_model_prob(m, x);
}

/* The date of a trigger at `tok`: an expression in its clause [a, b)
 * (nearest), else the running date carried from earlier sentences (`carry`,
 * may be NULL). */
static ext_date date_for(size_t a, size_t b, size_t tok, const extp_datex *dx, size_t ndx,
                         const ext_date *carry)
{
    size_t best = (size_t)-1;
    ext_date r = {0, 0, 0, EXT_PREC_UNKNOWN};
    for (size_t k = 0; k < ndx; k++) {
        if (dx[k].tok < a || dx[k].tok >= b)
            continue;
        size_t d = dx[k].tok > tok ? dx[k].tok - tok : tok - dx[k].tok;
        if (d < best) {
            best = d;
            r = dx[k].date;
        }
    }
    if (r.prec == EXT_PREC_UNKNOWN && carry)
        r = *carry;
    return r;
}

_Static_assert(EXTD_N <= 24, "ext_pair.dates[].x holds 24 date features");

const char *ext_date_feature_name(int i)
{
    return extp_date_feature_name(i);
}

#define MAX_DATE_CANDS 18 /* a sentence's expressions (16), the carried date, publication */

/* The candidate dates of a trigger at `tok`, clause [ca, cb), of sentence
 * `si` (date_choice.h): `dx` its expressions, `trs` its triggers. */
static size_t date_candidates(const doc_state *s, size_t si, size_t tok, size_t ca, size_t cb,
                              const extp_datex *dx, size_t ndx, const trigger *trs, size_t ntr,
                              const ext_date *carry, extp_date_cand *out)
{
    size_t others[MAX_PAIR_TRIGGERS], no = 0;
    for (size_t k = 0; k < ntr && no < MAX_PAIR_TRIGGERS; k++)
        if (!trs[k].dead && trs[k].tok != tok)
            others[no++] = trs[k].tok;
    /* "have arrived since the war began": an English since-word is a clause
     * break, but before the start of the war it is that date's preposition
     * (as "depuis le début de la guerre"), and the date is the trigger's
     * clause's. (Not yet for "since 27 September", whose clause the fitted
     * choice has learnt as it is.) */
    for (size_t k = 0; k < ndx; k++)
        if (cb < s->t.sent[si].end && dx[k].tok == cb + 1 && dx[k].war == EXTP_WAR_START &&
            starts_cat(s, cb, LX_TOLL_SINCE))
            cb = dx[k].tok + dx[k].len;
    extp_date_ctx c = {tok, ca, cb, dx, ndx, others, no, *carry, s->pub, si == s->title_si};
    return extp_date_candidates(&c, out, MAX_DATE_CANDS);
}

/* A war named in the text (the conflict file's "wars"): its year, the
 * year it ended for a war of several ("pendant la guerre de 44 jours":
 * 2020; GUIDE.md dates a background event by its year), in an article
 * written more than two months after it ended; "since the start
 * of the war": the first day of the war going on at `rel` (or ended less
 * than a month before). False when it cannot be placed. */
static bool resolve_war(const ext_lexicon *lex, extp_datex *x, const ext_date *rel)
{
    ext_date from, to;
    if (x->war != EXTP_WAR_START) {
        if ((size_t)x->war >= lex->n_wars || !ext_date_parse_iso(lex->wars[x->war][1], &to) ||
            to.prec != EXT_PREC_DAY)
            return false;
        /* while it goes on, or just after, the text dates its days itself */
        if (rel->prec == EXT_PREC_DAY && ext_days_from_civil(rel->y, rel->m, rel->d) <=
                                             ext_days_from_civil(to.y, to.m, to.d) + 60)
            return false;
        if (rel->prec != EXT_PREC_DAY && rel->prec != EXT_PREC_UNKNOWN && rel->y <= to.y)
            return false;
        x->date = (ext_date){to.y, 0, 0, EXT_PREC_YEAR};
        return true;
    }
    if (rel->prec == EXT_PREC_UNKNOWN)
        return false;
    long at = ext_days_from_civil(rel->y, rel->m ? rel->m : 1, rel->d ? rel->d : 1);
    for (size_t w = 0; w < lex->n_wars; w++) {
        if (!ext_date_parse_iso(lex->wars[w][0], &from) || !ext_date_parse_iso(lex->wars[w][1], &to) ||
            from.prec != EXT_PREC_DAY || to.prec != EXT_PREC_DAY)
            continue;
        if (at >= ext_days_from_civil(from.y, from.m, from.d) &&
            at <= ext_days_from_civil(to.y, to.m, to.d) + 30) {
            x->date = from;
            return true;
        }
    }
    return false;
}

/* "Le lendemain", "the next day" with no day before them in their sentence
 * count from the narrative date `carry`; a day before ("la veille", "the
 * day before") without one counts from the day the article was written,
 * `rel` (the news of the day is the narrative's first day); others are
 * dropped. Returns the new count of `dx`. */
static size_t resolve_anaphors(const doc_state *s, extp_datex *dx, size_t ndx,
                               const ext_date *carry, const ext_date *rel)
{
    size_t n = 0;
    for (size_t k = 0; k < ndx; k++) {
        if (dx[k].war >= 0 && !resolve_war(s->lex, &dx[k], rel))
            continue;
        if (dx[k].anaphor && dx[k].date.prec == EXT_PREC_UNKNOWN) {
            const ext_date *from = carry->prec == EXT_PREC_DAY              ? carry
                                   : dx[k].anaphor < 0 && rel->prec == EXT_PREC_DAY ? rel
                                                                             : NULL;
            if (!from)
                continue;
            long z = ext_days_from_civil(from->y, from->m, from->d) + dx[k].anaphor;
            ext_civil_from_days(z, &dx[k].date.y, &dx[k].date.m, &dx[k].date.d);
            dx[k].date.prec = EXT_PREC_DAY;
        }
        dx[n++] = dx[k];
    }
    return n;
}

/* More than a year before publication: background, which the model weighs. */
static bool is_background(const doc_state *s, const ext_date *dt)
{
    if (s->pub.prec != EXT_PREC_DAY || dt->prec == EXT_PREC_UNKNOWN)
        return false;
    int m = dt->prec <= EXT_PREC_MONTH ? dt->m : 12;
    int d = dt->prec <= EXT_PREC_WEEK ? dt->d : 28;
    return ext_days_from_civil(dt->y, m, d) <
           ext_days_from_civil(s->pub.y, s->pub.m, s->pub.d) - 365;
}

/* What a sentence offers to the pairs made in it. */
typedef struct sentence_ctx {
    size_t si;
    const trigger *trs;
    size_t ntr;
    const extp_datex *dx;
    size_t ndx;
    const ext_date *carry;
    bool claimed, casualties;
    int context_types;  /* types of the paragraph's triggers so far (attacks aside) */
    const int *avail;   /* the sentence's candidate places */
    size_t navail;
} sentence_ctx;

static int add_pair(const doc_state *s, pairs *ps, const sentence_ctx *sc, const trigger *tr,
                    int type, int men, int origin)
{
    pair p = {0};
    p.men = men;
    p.si = sc->si;
    p.type = type;
    p.origin = origin;
    size_t at = tr ? tr->tok : s->t.sent[sc->si].first;
    if (tr) {
        p.tr = *tr;
        p.has_tr = true;
    }
    size_t ca, cb;
    if (tr) {
        ca = tr->ca;
        cb = tr->cb;
    } else {
        clause_of(s, sc->si, at, &ca, &cb);
    }
    ext_date own = date_for(ca, cb, at, sc->dx, sc->ndx, NULL);
    p.date_own = own.prec != EXT_PREC_UNKNOWN;
    p.date = p.date_own ? own : *sc->carry;
    extp_pair_ctx c = {sc->si, tr, sc->trs, sc->ntr, men, type, origin,
                       own.prec != EXT_PREC_UNKNOWN, is_background(s, &p.date), sc->claimed,
                       sc->casualties, sc->context_types, sc->avail, sc->navail};
    float x[EXTF_N];
    extp_pair_features(s, &c, x);
    for (int i = 0; i < EXTF_N; i++)
        if (x[i] != 0)
            set_bit(&p, i);
    p.carry = *sc->carry;
    const extp_model *model = s->lex->model;
    if (model->has_dates) {
        /* the fitted choice among the candidate dates (the pair's features
         * above keep the hand-set date: they do not depend on the choice) */
        extp_date_cand cands[MAX_DATE_CANDS];
        size_t nc = date_candidates(s, sc->si, at, ca, cb, sc->dx, sc->ndx, sc->trs, sc->ntr,
                                    sc->carry, cands);
        int k = extp_date_choose(model->dbias, model->dw, cands, nc);
        if (k >= 0) {
            p.date = cands[k].date;
            p.date_own = cands[k].src >= 0 && cands[k].x[EXTD_in_clause] != 0;
        }
    }
    return push_pair(ps, &p);
}

/* "combats en Arménie", "offensive sur toute la ligne de contact",
 * "hostilités, au Karabakh": a trigger followed by a locative cue and a place
 * is attached to it (tr->excl = the list head). Not for evacuations, which
 * link a place of departure and one of arrival. */
static void find_attachments(const doc_state *s, size_t mend, trigger *trs, size_t ntr)
{
    for (size_t k = 0; k < ntr; k++) {
        trigger *tr = &trs[k];
        if (tr->type == EXT_EVACUATION)
            continue;
        size_t e = tr->tok + tr->len;
        for (size_t mj = extp_mention_at_or_after(s, e); mj < mend; mj++) {
            const extp_mention *m = &s->men[mj];
            if (m->t0 > e + 7 || m->list >= 0)
                break;
            bool clean = true, loc = false;
            for (size_t j = e; j < m->t0; j++) {
                if (trigger_token(s, j) || (is_punct(s, j, -1) && !(j == e && is_punct(s, j, ','))))
                    clean = false;
                if (starts_cat(s, j, LX_LOCATIVE) && !starts_cat(s, j, LX_GENITIVE) &&
                    !starts_cat(s, j, LX_APPOSITION))
                    loc = true;
            }
            if (clean && loc && m->status != ST_BLOCKED)
                tr->excl = (int)mj;
            break;
        }
    }
}

/* ===== Walking the document ===== */

typedef struct scene {
    int men[3];
    size_t n;
    int para;
} scene;

/* Where the story is: the usable places of the last sentence that reported
 * something (not those blocked or speaking), at most three. */
static void scene_set(const doc_state *s, scene *sc, const int *avail, size_t n, int para)
{
    size_t k = 0;
    for (size_t i = 0; i < n && k < 3; i++) {
        const extp_mention *m = &s->men[avail[i]];
        if (m->status == ST_BLOCKED || m->speaker)
            continue;
        bool dup = false;
        for (size_t j = 0; j < k; j++)
            dup |= sc->men[j] == avail[i];
        if (!dup)
            sc->men[k++] = avail[i];
    }
    if (k) {
        sc->n = k;
        sc->para = para;
    }
}

typedef struct walk {
    ext_date carry;    /* narrative date */
    ext_date past;     /* a background event's own date, carried in its paragraph */
    int past_para;     /* that paragraph, -1 when none */
    int carry_para;    /* the paragraph where the narrative date was last set */
    scene para, title; /* the paragraph's and the title's scene */
    scene para_attack; /* the paragraph's last scene of shelling or fighting */
    int prev_types;    /* types with live triggers in the previous sentence */
    int types_para;    /* the paragraph of para_types */
    int para_types;    /* types of its live triggers so far, attacks aside */
} walk;

/* The day a statement was made, not an event's: a date expression right
 * after a speech verb, or one preposition after it ("the ministry said on
 * Wednesday that...", "a indiqué mercredi"), or right before one
 * ("mercredi, a annoncé le ministère"). */
static bool speech_date(const doc_state *s, const extp_datex *x)
{
    size_t t = x->tok, e = x->tok + x->len;
    if ((s->ends[t] & LX_BIT(LX_CLAIM_VERB)) ||
        (t > 0 && (s->ends[t - 1] & LX_BIT(LX_CLAIM_VERB)) && s->t.tok[t - 1].kind == TK_WORD &&
         starts_cat(s, t - 1, LX_LOCATIVE)))
        return true;
    if (e < s->t.n && is_punct(s, e, ','))
        e++;
    return e < s->t.n && starts_cat(s, e, LX_CLAIM_VERB);
}

/* Narrative time: the date of this sentence's first live trigger, else, in
 * a sentence without one, its last date expression, when it is recent (a
 * week before publication to the day after); background dates are not
 * carried past their paragraph: a live trigger's own background day
 * (written in its clause) is the narrative's date for the rest of its
 * paragraph only (w->past), unless that paragraph already told a recent
 * event (a digression), and a recent date ends it. */
static void carry_date(const doc_state *s, walk *w, const sentence_ctx *sc)
{
    int para = s->t.sent[sc->si].para;
    if (w->past_para != para)
        w->past_para = -1;
    ext_date cand = {0, 0, 0, EXT_PREC_UNKNOWN};
    bool live = false;
    for (size_t k = 0; k < sc->ntr && cand.prec == EXT_PREC_UNKNOWN; k++)
        if (!sc->trs[k].dead) {
            live = true;
            cand = date_for(sc->trs[k].ca, sc->trs[k].cb, sc->trs[k].tok, sc->dx, sc->ndx, NULL);
        }
    bool own = live && cand.prec != EXT_PREC_UNKNOWN;
    /* a sentence without an event sets the time of the narrative; in one
     * whose events have no date of their own, a date belongs to something
     * else ("le corps a été retrouvé aujourd'hui dans la zone où se sont
     * déroulés les combats") */
    if (cand.prec == EXT_PREC_UNKNOWN && !live)
        for (size_t k = 0; k < sc->ndx; k++)
            if (sc->dx[k].date.prec <= EXT_PREC_WEEK && !speech_date(s, &sc->dx[k]))
                cand = sc->dx[k].date;
    /* events whose clauses hold no date, in a sentence that dates another
     * clause ("Neuf civils ont été tués dans la nuit de samedi à dimanche,
     * quand un missile a frappé un immeuble"): the sentence's first day */
    for (size_t k = 0; k < sc->ndx && live && cand.prec == EXT_PREC_UNKNOWN; k++)
        if (sc->dx[k].date.prec == EXT_PREC_DAY && !speech_date(s, &sc->dx[k]))
            cand = sc->dx[k].date;
    /* a flashback ("La veille, des tirs avaient fait cinq morts", "the day
     * before"): a day counted back from the narrative's is a digression,
     * and the narrative's day goes on after it ("Le même jour, ...") */
    for (size_t k = 0; k < sc->ndx && cand.prec != EXT_PREC_UNKNOWN; k++)
        if (sc->dx[k].anaphor < 0 && sc->dx[k].date.prec == cand.prec && sc->dx[k].date.y == cand.y &&
            sc->dx[k].date.m == cand.m && sc->dx[k].date.d == cand.d)
            return;
    if (cand.prec == EXT_PREC_UNKNOWN)
        return;
    bool recent = cand.prec <= EXT_PREC_WEEK;
    if (recent && s->rel.prec == EXT_PREC_DAY) {
        long pz = ext_days_from_civil(s->rel.y, s->rel.m, s->rel.d);
        long cz = ext_days_from_civil(cand.y, cand.m, cand.d);
        recent = cz <= pz + 1 && cz >= pz - 7;
    }
    if (recent) {
        w->carry = cand;
        w->carry_para = para;
        w->past_para = -1;
    } else if (own && cand.prec == EXT_PREC_DAY && is_background(s, &cand) &&
               w->carry_para != para) {
        /* not a digression inside a paragraph that tells the day's news */
        w->past = cand;
        w->past_para = para;
    }
}

/* The types a trigger proposes: its own; an attack of no stated kind, and
 * fire (artillery fire or small-arms fire: the guide counts the latter in a
 * clash), both a shelling and a clash (the model weighs the weapons around
 * it). */
static bool pair_types_allow(const trigger *tr, int type)
{
    if (tr->cat == LX_ATTACK || tr->cat == LX_SHELL_FIRE)
        return type == EXT_SHELLING || type == EXT_CLASH;
    return type == tr->type;
}

/* The pairs of one sentence. `avail` are its candidate places. */
static int sentence_pairs(doc_state *s, walk *w, pairs *ps, const sentence_ctx *sc,
                          const int *avail, size_t navail, int *types_out)
{
    const extp_sentence *se = &s->t.sent[sc->si];
    int types = 0;
    size_t live = 0;
    for (size_t k = 0; k < sc->ntr; k++)
        live += !sc->trs[k].dead;
    if (sc->ntr && navail) {
        /* a sentence of more than MAX_PAIR_TRIGGERS triggers is a list or a
         * table: its first ones are enough, and the pairs of one sentence are
         * compared with each other (best_of_sentence), so their number is
         * bounded (16 triggers x 64 places x 2 types) */
        for (size_t k = 0; k < sc->ntr && k < MAX_PAIR_TRIGGERS; k++) {
            const trigger *tr = &sc->trs[k];
            /* denials, threats, plans, calls are not incidents (GUIDE.md) */
            if (tr->modality != EXTP_MOD_NONE)
                continue;
            for (int ty = 0; ty < EXT_NTYPES; ty++) {
                if (!pair_types_allow(tr, ty))
                    continue;
                for (size_t a = 0; a < navail; a++)
                    if (add_pair(s, ps, sc, tr, ty, avail[a], EXTP_FROM_SENTENCE) != 0)
                        return CX_ENOMEM;
            }
            if (!tr->dead)
                types |= 1 << tr->type;
        }
    } else if (live && !navail) {
        /* no place in the sentence: the paragraph's scene, else the title's.
         * An attack's scene is where the paragraph last told fighting or
         * shelling, not where people fled to ("réfugiées à Erevan. ... Mais
         * la frappe les a devancés"); a departure's is the last of any kind. */
        for (size_t k = 0; k < sc->ntr; k++) {
            const trigger *tr = &sc->trs[k];
            if (tr->dead || tr->own_place)
                continue;
            const scene *para = tr->type == EXT_EVACUATION ? &w->para : &w->para_attack;
            bool in_para = para->n && para->para == se->para;
            const scene *from = in_para ? para : w->title.n ? &w->title : NULL;
            int origin = in_para ? EXTP_FROM_PARAGRAPH : EXTP_FROM_TITLE;
            if (!from)
                continue;
            for (size_t a = 0; a < from->n; a++)
                for (int ty = 0; ty < EXT_NTYPES; ty++)
                    if (pair_types_allow(tr, ty) && !(types & (1 << ty)) &&
                        add_pair(s, ps, sc, tr, ty, from->men[a], origin) != 0)
                        return CX_ENOMEM;
            types |= 1 << tr->type;
        }
    } else if (!live && navail && w->prev_types && sc->casualties) {
        /* a follow-up giving casualties at places continues an attack */
        for (int ty = 0; ty < EXT_NTYPES; ty++) {
            if (!(w->prev_types & (1 << ty)) || ty == EXT_EVACUATION)
                continue;
            for (size_t a = 0; a < navail; a++)
                if (add_pair(s, ps, sc, NULL, ty, avail[a], EXTP_FROM_FOLLOWUP) != 0)
                    return CX_ENOMEM;
        }
    }
    *types_out = types;
    return 0;
}

/* Every candidate pair of the document, in text order. */
static int collect_pairs(doc_state *s, pairs *ps, ext_result *out)
{
    trigger trs[64];
    actor_ref ar[64];
    extp_datex dx[16];
    casualty cas[4];
    int avail[64];
    walk w = {{0, 0, 0, EXT_PREC_UNKNOWN}, {0, 0, 0, EXT_PREC_UNKNOWN}, -1, -1, {{0}, 0, -1},
              {{0}, 0, -1}, {{0}, 0, -1}, 0, -1, 0};
    size_t mi = 0;
    for (size_t si = 0; si < s->t.n_sent; si++) {
        const extp_sentence *se = &s->t.sent[si];
        size_t m0 = mi;
        while (mi < s->n_men && s->men[mi].sent == si)
            mi++;
        size_t navail = 0;
        for (size_t k = m0; k < mi && navail < 64; k++)
            if (candidate_place(s, &s->men[k]))
                avail[navail++] = (int)k;
        size_t ntr = extp_find_triggers(s, si, trs, 64);
        for (size_t k = 0; k < ntr; k++)
            out->n_triggers += !trs[k].dead;
        if (ntr && navail)
            find_attachments(s, mi, trs, ntr);
        if (se->para != w.types_para) {
            w.types_para = se->para;
            w.para_types = 0;
        }
        for (size_t k = 0; k < ntr; k++)
            if (!trs[k].dead && trs[k].cat != LX_ATTACK)
                w.para_types |= 1 << trs[k].type;
        /* the narrative's date; in a paragraph that tells a past event
         * with its own date, that date ("Le 4 octobre 2020, Bakou a
         * annoncé la libération de X. Les villages de Y et Z ont aussi été
         * libérés.") */
        const ext_date *carry = w.past_para == se->para ? &w.past : &w.carry;
        sentence_ctx sc = {si, trs, ntr, dx, 0, carry, false, false, w.para_types, avail, navail};
        sc.ndx = extp_dates_find(&s->t, se->first, se->end, &s->rel, s->mt, s->nm, dx, 16);
        sc.ndx = resolve_anaphors(s, dx, sc.ndx, carry, &s->rel);
        if (navail && (ntr || w.prev_types)) {
            size_t na = extp_collect_actors(s, si, ar, 64);
            for (size_t k = 0; k < na; k++)
                sc.claimed |= ar[k].role == ROLE_CLAIMANT;
            for (size_t k = se->first; k < se->end && !sc.claimed; k++)
                sc.claimed = starts_cat(s, k, LX_CLAIM_BEFORE) || starts_cat(s, k, LX_CLAIM_VERB);
            sc.casualties = extp_find_casualties(s, si, cas, 4) > 0;
        }
        int types = 0;
        if (sentence_pairs(s, &w, ps, &sc, avail, navail, &types) != 0)
            return CX_ENOMEM;
        if (navail && (types || si == s->title_si))
            scene_set(s, &w.para, avail, navail, se->para);
        if (navail && (types & ~(1 << EXT_EVACUATION)))
            scene_set(s, &w.para_attack, avail, navail, se->para);
        if (si == s->title_si && navail)
            scene_set(s, &w.title, avail, navail, 0);
        carry_date(s, &w, &sc);
        w.prev_types = types;
        out->n_sentences++;
    }
    return 0;
}

/* For an admin unit, the place must be in it by the gazetteer's admin-1 as
 * well as by distance (the radius is a rough extent). Names compared by
 * transliteration key: Tǝrtǝr and Tartar are one district. */
static bool same_admin_area(const cx_place *region, const cx_place *place)
{
    if ((region->kind != CX_KIND_ADMIN1 && region->kind != CX_KIND_ADMIN2) || !region->admin1[0] ||
        !place->admin1[0])
        return true;
    if (strcmp(region->admin1, place->admin1) == 0)
        return true;
    cx_buf a = CX_BUF_INIT, b = CX_BUF_INIT;
    bool same = cx_translit_key(region->admin1, strlen(region->admin1), &a) == 0 &&
                cx_translit_key(place->admin1, strlen(place->admin1), &b) == 0 &&
                strcmp(a.data, b.data) == 0;
    cx_buf_free(&a);
    cx_buf_free(&b);
    return same;
}

/* Does region `rp` hold place `qp`? An admin unit holds the places of its
 * admin-1 (by the gazetteer; its radius is a rough extent, often unknown);
 * another region the places within its radius. */
static bool region_holds(const cx_place *rp, const cx_place *qp)
{
    if (qp->country[0] && rp->country[0] && strcmp(qp->country, rp->country) != 0)
        return false;
    if (extp_is_region(qp) && qp->radius_km >= rp->radius_km)
        return false;
    bool admin = rp->kind == CX_KIND_ADMIN1 || rp->kind == CX_KIND_ADMIN2;
    if (admin && rp->admin1[0] && qp->admin1[0])
        return same_admin_area(rp, qp);
    double reach = (rp->radius_km > 0 ? rp->radius_km : 30) + 10;
    return extp_distance_km(rp->lat, rp->lon, qp->lat, qp->lon) <= reach;
}

/* Is `q` a settlement pair of a live trigger in its own sentence? */
static bool precise_pair(const doc_state *s, const pair *q)
{
    if (q->origin != EXTP_FROM_SENTENCE || !q->has_tr || q->tr.dead)
        return false;
    const extp_mention *qm = &s->men[q->men];
    return !extp_is_region(&qm->cand[qm->chosen]);
}

static int cmp_src_id(const void *a, const void *b)
{
    const cx_place *const *x = a, *const *y = b;
    return strcmp((*x)->src_id, (*y)->src_id);
}

/* place_named_again: a mention whose place another mention also names, by
 * sorting the mentions' places (n log n: a long text has many mentions). */
static int mark_named_again(const doc_state *s, bool *again)
{
    const cx_place **pl = malloc((s->n_men ? s->n_men : 1) * sizeof *pl);
    if (!pl)
        return CX_ENOMEM;
    size_t n = 0;
    for (size_t k = 0; k < s->n_men; k++)
        if (s->men[k].chosen >= 0)
            pl[n++] = &s->men[k].cand[s->men[k].chosen];
    qsort(pl, n, sizeof *pl, cmp_src_id);
    for (size_t k = 0; k < s->n_men; k++) {
        again[k] = false;
        if (s->men[k].chosen < 0)
            continue;
        const cx_place *key = &s->men[k].cand[s->men[k].chosen];
        const cx_place **hit = bsearch(&key, pl, n, sizeof *pl, cmp_src_id);
        if (!hit)
            continue;
        /* another entry with the same id beside the one found */
        again[k] = (hit > pl && strcmp(hit[-1]->src_id, key->src_id) == 0) ||
                   (hit + 1 < pl + n && strcmp(hit[1]->src_id, key->src_id) == 0);
    }
    free(pl);
    return 0;
}

/* Does a live, non-attack trigger of pair r's type report in another
 * sentence? Per type: how many such pairs in all and in r's sentence. */
static bool counts_elsewhere(const pair *q)
{
    return q->has_tr && !q->tr.dead && q->tr.cat != LX_ATTACK;
}

/* Features only the whole document tells: a place named again, a region
 * whose incident the document places more precisely, a type reported in
 * other sentences. Linear in the pairs, but for regions: each distinct
 * (region, type) is checked once against the document's precise places. */
static int document_features(const doc_state *s, pairs *ps)
{
    bool *again = malloc((s->n_men ? s->n_men : 1) * sizeof *again);
    if (!again || mark_named_again(s, again) != 0) {
        free(again);
        return CX_ENOMEM;
    }
    size_t total[EXT_NTYPES] = {0};
    int precise_types = 0, dated_types = 0;
    for (size_t j = 0; j < ps->n; j++) {
        total[ps->p[j].type] += counts_elsewhere(&ps->p[j]);
        if (precise_pair(s, &ps->p[j])) {
            precise_types |= 1 << ps->p[j].type;
            if (bit_of(&ps->p[j], EXTF_HAS_DATE))
                dated_types |= 1 << ps->p[j].type;
        }
    }
    /* (region src_id, type) already decided for REGION_HAS_PRECISE */
    struct memo { const char *id; int type; bool holds; } memo[32];
    size_t n_memo = 0;
    for (size_t i0 = 0; i0 < ps->n;) {
        size_t i1 = i0, here[EXT_NTYPES] = {0};
        while (i1 < ps->n && ps->p[i1].si == ps->p[i0].si)
            here[ps->p[i1].type] += counts_elsewhere(&ps->p[i1]), i1++;
        for (size_t i = i0; i < i1; i++) {
            pair *r = &ps->p[i];
            if (total[r->type] > here[r->type])
                set_bit(r, EXTF_TYPE_ELSEWHERE);
            if (again[r->men])
                set_bit(r, EXTF_PLACE_REPEATED);
            const extp_mention *rm = &s->men[r->men];
            const cx_place *rp = &rm->cand[rm->chosen];
            if (!extp_is_region(rp))
                continue;
            if (precise_types & (1 << r->type))
                set_bit(r, EXTF_REGION_DOC_PRECISE);
            /* a summary: no date, no toll, while the document dates precise reports */
            if ((dated_types & (1 << r->type)) && !bit_of(r, EXTF_HAS_DATE) &&
                !bit_of(r, EXTF_CASUALTIES))
                set_bit(r, EXTF_REGION_UNDATED_DOC_DATED);
            size_t k = 0;
            while (k < n_memo && !(memo[k].type == r->type && strcmp(memo[k].id, rp->src_id) == 0))
                k++;
            bool holds = false;
            if (k < n_memo) {
                holds = memo[k].holds;
            } else {
                for (size_t j = 0; j < ps->n && !holds; j++) {
                    const pair *q = &ps->p[j];
                    if (q->type == r->type && precise_pair(s, q))
                        holds = region_holds(rp, &s->men[q->men].cand[s->men[q->men].chosen]);
                }
                if (n_memo < sizeof memo / sizeof memo[0])
                    memo[n_memo++] = (struct memo){rp->src_id, r->type, holds};
            }
            if (holds)
                set_bit(r, EXTF_REGION_HAS_PRECISE);
        }
        i0 = i1;
    }
    free(again);
    return 0;
}

/* ===== From pairs to reports ===== */

/* "Stepanakert, au Haut-Karabakh, a été bombardée", "a skirmish at the X
 * border point in Armenia's Gegharkunik district": a region that holds the
 * place of a report of the same type in the same sentence only says where
 * that place is (GUIDE.md, Places); its own report goes. */
static void drop_contained_regions(const doc_state *s, drafts *ds)
{
    for (size_t i = 0; i < ds->n; i++) {
        draft *r = &ds->d[i];
        const extp_mention *rm = &s->men[r->men];
        if (r->dead || !extp_is_region(&rm->cand[rm->chosen]))
            continue;
        for (size_t j = 0; j < ds->n && !r->dead; j++) {
            const draft *q = &ds->d[j];
            if (j == i || q->dead || q->inc.type != r->inc.type || q->si != r->si)
                continue;
            const extp_mention *qm = &s->men[q->men];
            if (region_holds(&rm->cand[rm->chosen], &qm->cand[qm->chosen]))
                r->dead = true;
        }
    }
}

/* The actor phrases of the sentences drafts are made in, one sentence at a
 * time (pairs come in sentence order). */
typedef struct actor_cache {
    size_t si;
    actor_ref ar[64];
    size_t na;
} actor_cache;

/* The sub-event type the words of the trigger's clause give
 * (sub_event_types of the lexicon, for the incident's type): the phrase
 * nearest the trigger, the trigger itself first ("drone strike": air/drone
 * strike; "tirs d'artillerie": artillery/missile). "" when they say none. */
static void sub_event_of(const doc_state *s, const trigger *tr, int type, char *out, size_t size)
{
    size_t best = (size_t)-1;
    int val = -1;
    for (size_t k = tr->ca; k < tr->cb; k++) {
        if (!starts_cat(s, k, LX_SUBEVENT))
            continue;
        for (size_t j = 0; j < s->nm[k]; j++) {
            const extp_match *mt = &s->mt[k][j];
            if (mt->cat != LX_SUBEVENT || mt->val / 8 != type)
                continue;
            size_t e = k + (size_t)mt->len;
            size_t d = e <= tr->tok ? tr->tok - e + 1
                       : k >= tr->tok + tr->len ? k - (tr->tok + tr->len) + 1 : 0;
            if (d < best) {
                best = d;
                val = mt->val;
            }
        }
    }
    if (val >= 0 && (size_t)(val % 8) < s->lang->n_sub[type])
        cx_str_copy(out, size, s->lang->sub_label[type][val % 8]);
}

static int make_draft(doc_state *s, drafts *ds, const pair *pr, actor_cache *ac)
{
    const extp_mention *m = &s->men[pr->men];
    const cx_place *p = &m->cand[m->chosen];
    const trigger *tr = pr->has_tr ? &pr->tr : NULL;
    int type = pr->type;
    draft d = {0};
    ext_incident_init(&d.inc);
    d.men = pr->men;
    d.si = pr->si;
    d.trig = tr ? tr->tok : (size_t)-1;
    d.inc.type = type;
    if (pr->date.prec != EXT_PREC_UNKNOWN) {
        ext_date_format(&pr->date, d.inc.date);
        d.inc.date_prec = pr->date.prec;
        d.date_own = pr->date_own;
    }
    cx_str_copy(d.inc.place, sizeof d.inc.place, m->surface);
    cx_str_copy(d.inc.place_name, sizeof d.inc.place_name, p->name);
    cx_str_copy(d.inc.place_id, sizeof d.inc.place_id, p->src_id);
    cx_str_copy(d.inc.country, sizeof d.inc.country, p->country);
    cx_str_copy(d.inc.admin1, sizeof d.inc.admin1, p->admin1);
    d.inc.lat = p->lat;
    d.inc.lon = p->lon;
    d.radius_km = p->radius_km;
    d.inc.geo_prec = extp_is_region(p) ? 3 : (m->near || m->region_cue ? 2 : 1);
    if (tr)
        sub_event_of(s, tr, type, d.inc.sub_event_type, sizeof d.inc.sub_event_type);
    if (m->unplaced) { /* a place the gazetteer lacks, at its unit's point */
        d.inc.geo_prec = 3;
        cx_str_copy(d.inc.place_unit, sizeof d.inc.place_unit, m->unit);
    }
    if (tr && ac->si != pr->si) {
        ac->na = extp_collect_actors(s, pr->si, ac->ar, 64);
        ac->si = pr->si;
    }
    const actor_ref *ar = ac->ar;
    size_t na = tr ? ac->na : 0;
    int a1 = -1, a2 = -1, claim = -1;
    if (tr)
        extp_pick_actors(s, pr->si, tr, ar, na, &a1, &a2, &claim);
    d.actor_explicit = a1 >= 0;
    if (a1 < 0 && type == EXT_SHELLING)
        a1 = extp_accused_actor(s, claim);
    if (a1 < 0 && type != EXT_EVACUATION)
        a1 = extp_fallback_actor(s, p, d.inc.date);
    if (tr && type != EXT_EVACUATION && s->lex->model->has_actors) {
        float ax[EXTA_N];
        extp_actor_features(s, pr->si, tr, ar, na, p, d.inc.date, type, ax);
        a1 = extp_decide_actor(s, ax, a1);
    }
    if (type == EXT_EVACUATION) {
        /* who made people leave is only known from an explicit agent */
        a2 = extp_actor_of_side(s, "CIV");
        bool agent = false;
        for (size_t k = 0; k < na; k++)
            agent |= ar[k].role == ROLE_AGENT && ar[k].actor == a1;
        if (!agent)
            a1 = -1;
        d.actor_explicit = agent;
    }
    copy_label(d.inc.actor1, sizeof d.inc.actor1, s, a1);
    copy_label(d.inc.actor2, sizeof d.inc.actor2, s, a2);
    if (claim >= 0)
        cx_str_copy(d.inc.claimed_by, sizeof d.inc.claimed_by, side_name(s, claim));
    else
        extp_claim_text(s, pr->si, d.inc.claimed_by, sizeof d.inc.claimed_by);
    d.inc.evidence = sentence_text(s, pr->si);
    /* the trigger the model paired and the place's mention, where the
     * sentence has them: a follow-up has no trigger, a scene pair's place is
     * in an earlier sentence */
    d.inc.trig_span = tr ? evidence_span(s, pr->si, tr->tok, tr->tok + tr->len)
                         : (ext_span){EXT_SPAN_NONE, EXT_SPAN_NONE};
    d.inc.place_span = evidence_span(s, pr->si, m->t0, m->t1);
    if (tr && tr->len) {
        size_t t0 = s->t.tok[tr->tok].off, t1 = s->t.tok[tr->tok + tr->len - 1].off +
                                                 s->t.tok[tr->tok + tr->len - 1].len;
        if (t0 >= s->prefix) { /* not in a title read before the text */
            d.trig_at = t0 - s->prefix;
            d.trig_len = t1 - t0;
        }
    }
    if (!d.inc.evidence || ext_incident_add_doc(&d.inc, s->doc->id ? s->doc->id : "") != 0) {
        ext_incident_clear(&d.inc);
        return CX_ENOMEM;
    }
    /* offsets are in the document's text (the title, read first, is at 0) */
    size_t off = s->t.tok[m->t0].off;
    d.inc.offset = off >= s->prefix ? off - s->prefix : 0;
    d.inc.confidence = pr->p;
    return push_draft(ds, &d);
}

/* Casualties go to the nearest report of their sentence, or, in a sentence
 * with no report ("Quinze soldats ont été tués."), to the single report of
 * the sentence before in the same paragraph. A toll over a period ("so far",
 * "depuis le début de la guerre", "the death toll has risen to") belongs to
 * no one incident and is left off (lexicon casualties.cumulative). */
static void assign_casualties(const doc_state *s, drafts *ds)
{
    casualty cas[16];
    size_t k0 = 0; /* first draft of the current sentence (drafts are in sentence order) */
    size_t prev0 = 0, prev1 = 0; /* drafts of the last sentence that had some */
    for (size_t si = 0; si < s->t.n_sent; si++) {
        while (k0 < ds->n && ds->d[k0].si < si)
            k0++;
        size_t k1 = k0;
        while (k1 < ds->n && ds->d[k1].si == si)
            k1++;
        size_t nc = extp_find_casualties(s, si, cas, 16);
        for (size_t c = 0; c < nc; c++) {
            if (cas[c].cumulative)
                continue;
            draft *best = NULL;
            size_t bd = (size_t)-1;
            for (size_t k = k0; k < k1; k++) {
                draft *d = &ds->d[k];
                if (d->dead || d->inc.type == EXT_EVACUATION)
                    continue;
                size_t t0 = s->men[d->men].t0;
                size_t dd = t0 > cas[c].tok ? t0 - cas[c].tok : cas[c].tok - t0;
                if (dd < bd) {
                    bd = dd;
                    best = d;
                }
            }
            if (!best && k0 == k1 && prev1 > prev0 && ds->d[prev0].si + 1 == si) {
                size_t live = 0;
                for (size_t k = prev0; k < prev1; k++)
                    if (!ds->d[k].dead && ds->d[k].inc.type != EXT_EVACUATION) {
                        best = &ds->d[k];
                        live++;
                    }
                if (live != 1 || s->t.sent[best->si].para != s->t.sent[si].para)
                    best = NULL;
            }
            if (!best)
                continue;
            int *slot = cas[c].killed ? &best->inc.fatalities : &best->inc.injured;
            if (*slot < cas[c].value)
                *slot = (int)cas[c].value;
        }
        if (k1 > k0) {
            prev0 = k0;
            prev1 = k1;
        }
    }
}

/* A copy of the pair for ext_result.pairs (training, error analysis). */
static int keep_pair(doc_state *s, const pair *pr, ext_result *out)
{
    if (out->n_pairs == out->cap_pairs) {
        size_t cap = out->cap_pairs ? out->cap_pairs * 2 : 64;
        ext_pair *q = realloc(out->pairs, cap * sizeof *q);
        if (!q)
            return CX_ENOMEM;
        out->pairs = q;
        out->cap_pairs = cap;
    }
    const extp_mention *m = &s->men[pr->men];
    const cx_place *p = &m->cand[m->chosen];
    ext_pair *e = &out->pairs[out->n_pairs];
    memset(e, 0, sizeof *e);
    if (!(e->x = malloc(EXTF_N * sizeof *e->x)))
        return CX_ENOMEM;
    for (int i = 0; i < EXTF_N; i++)
        e->x[i] = bit_of(pr, i);
    e->type = pr->type;
    cx_str_copy(e->place, sizeof e->place, m->surface);
    cx_str_copy(e->place_id, sizeof e->place_id, p->src_id);
    e->lat = p->lat;
    e->lon = p->lon;
    e->sentence = pr->si;
    e->prob = pr->p;
    if (pr->has_tr && pr->type != EXT_EVACUATION) {
        actor_ref ar[64];
        size_t na = extp_collect_actors(s, pr->si, ar, 64);
        char date[11];
        ext_date_format(&pr->date, date);
        float ax[EXTA_N];
        extp_actor_features(s, pr->si, &pr->tr, ar, na, p, date, pr->type, ax);
        for (int i = 0; i < EXTA_N; i++)
            e->ax[i] = ax[i];
    }
    out->n_pairs++; /* from here e->x is freed with the result */
    /* the candidate dates, as the fitted choice sees them (train_dates.py) */
    const extp_sentence *se = &s->t.sent[pr->si];
    extp_datex dx[16];
    trigger trs[64];
    extp_date_cand cands[MAX_DATE_CANDS];
    size_t ndx = extp_dates_find(&s->t, se->first, se->end, &s->rel, s->mt, s->nm, dx, 16);
    ndx = resolve_anaphors(s, dx, ndx, &pr->carry, &s->rel);
    size_t ntr = extp_find_triggers(s, pr->si, trs, 64);
    size_t at = pr->has_tr ? pr->tr.tok : se->first, ca, cb;
    if (pr->has_tr) {
        ca = pr->tr.ca;
        cb = pr->tr.cb;
    } else {
        clause_of(s, pr->si, at, &ca, &cb);
    }
    size_t nc = date_candidates(s, pr->si, at, ca, cb, dx, ndx, trs, ntr, &pr->carry, cands);
    if (nc && !(e->dates = calloc(nc, sizeof *e->dates)))
        return CX_ENOMEM;
    for (size_t k = 0; k < nc; k++) {
        ext_date_format(&cands[k].date, e->dates[k].date);
        for (int i = 0; i < EXTD_N; i++)
            e->dates[k].x[i] = cands[k].x[i];
    }
    e->n_dates = nc;
    return 0;
}

/* An attack of no stated kind, or fire, is one event: it is a shelling or a clash of
 * its place, whichever the model finds likelier among the pairs of that place
 * in its sentence ("attacked X, targeting it with artillery strikes": the
 * strikes make it a shelling). A text that tells both an assault and
 * artillery has a trigger of each kind. */
static bool loses_to_sibling(const pairs *ps, size_t lo, size_t hi, size_t i)
{
    const pair *a = &ps->p[i];
    if (!a->has_tr || (a->tr.cat != LX_ATTACK && a->tr.cat != LX_SHELL_FIRE))
        return false;
    for (size_t j = lo; j < hi; j++) {
        const pair *b = &ps->p[j];
        if (j != i && b->men == a->men && b->type != a->type && b->type != EXT_EVACUATION &&
            (b->p > a->p || (b->p == a->p && b->type < a->type)))
            return true;
    }
    return false;
}

/* Of the pairs of one sentence that put one type at one place, the likeliest
 * makes the report (its trigger gives the date and the actors); the others
 * would fold into it. Ties go to the first. */
static bool best_of_sentence(const doc_state *s, const pairs *ps, size_t lo, size_t hi, size_t i)
{
    const pair *a = &ps->p[i];
    const char *id = s->men[a->men].cand[s->men[a->men].chosen].src_id;
    for (size_t j = lo; j < hi; j++) {
        const pair *b = &ps->p[j];
        if (j == i || b->type != a->type || !(b->p > a->p || (b->p == a->p && j < i)))
            continue;
        if (strcmp(s->men[b->men].cand[s->men[b->men].chosen].src_id, id) == 0)
            return false;
    }
    return true;
}

/* Score every pair, keep those the model accepts as reports. Pairs come in
 * sentence order; [lo, hi) are those of the current sentence. */
static int decide(doc_state *s, pairs *ps, const ext_options *opts, drafts *ds, ext_result *out)
{
    const extp_model *model = s->lex->model;
    double cut = opts && opts->min_confidence > 0 ? opts->min_confidence : model->threshold;
    for (size_t i = 0; i < ps->n; i++)
        ps->p[i].p = pair_prob(model, &ps->p[i]);
    actor_cache ac;
    ac.si = (size_t)-1;
    ac.na = 0;
    for (size_t lo = 0, hi = 0; lo < ps->n; lo = hi) {
        while (hi < ps->n && ps->p[hi].si == ps->p[lo].si)
            hi++;
        for (size_t i = lo; i < hi; i++) {
            pair *pr = &ps->p[i];
            if (opts && opts->keep_pairs && keep_pair(s, pr, out) != 0)
                return CX_ENOMEM;
            if (pr->p >= cut && !loses_to_sibling(ps, lo, hi, i) &&
                best_of_sentence(s, ps, lo, hi, i) && make_draft(s, ds, pr, &ac) != 0)
                return CX_ENOMEM;
        }
    }
    drop_contained_regions(s, ds);
    assign_casualties(s, ds);
    return 0;
}

/* A count's range [*lo, *hi] widened by another report's [blo, bhi]; -1 is
 * "none given", and *hi stays -1 while the reports agree. The lowest and the
 * highest, within a document as across documents (store/merge.c), as ACLED
 * keeps the most conservative figure. */
static void count_range(int *lo, int *hi, int blo, int bhi)
{
    if (blo < 0)
        return;
    int ahi = *hi > *lo ? *hi : *lo;
    if (bhi < blo)
        bhi = blo;
    if (*lo < 0 || blo < *lo)
        *lo = blo;
    int top = ahi > bhi ? ahi : bhi;
    *hi = top > *lo ? top : -1;
}

/* Fold reports of one incident within the document: same type, same place. */
static void merge_in_doc(drafts *ds)
{
    for (size_t i = 0; i < ds->n; i++) {
        draft *a = &ds->d[i];
        if (a->dead)
            continue;
        for (size_t j = i + 1; j < ds->n; j++) {
            draft *b = &ds->d[j];
            if (b->dead || b->inc.type != a->inc.type)
                continue;
            bool same = strcmp(a->inc.place_id, b->inc.place_id) == 0;
            if (!same && a->inc.geo_prec == 3 && b->inc.geo_prec == 3 && !a->inc.place_unit[0] &&
                !b->inc.place_unit[0]) {
                /* (two villages pinned at one unit's point stay two) */
                /* overlapping areas named for one kind of event in one text */
                double r = fmax(a->radius_km, b->radius_km);
                same = extp_distance_km(a->inc.lat, a->inc.lon, b->inc.lat, b->inc.lon) <= r;
            }
            if (!same)
                continue;
            /* the most precise date; at one precision, one written beside its
             * trigger over one carried from the narrative */
            if (b->inc.date_prec < a->inc.date_prec ||
                (b->inc.date_prec == a->inc.date_prec && b->date_own && !a->date_own)) {
                memcpy(a->inc.date, b->inc.date, sizeof a->inc.date);
                a->inc.date_prec = b->inc.date_prec;
                a->date_own = b->date_own;
            }
            if (b->actor_explicit && !a->actor_explicit) {
                memcpy(a->inc.actor1, b->inc.actor1, sizeof a->inc.actor1);
                a->actor_explicit = true;
            }
            if (!a->inc.actor2[0])
                memcpy(a->inc.actor2, b->inc.actor2, sizeof a->inc.actor2);
            if (!a->inc.sub_event_type[0])
                memcpy(a->inc.sub_event_type, b->inc.sub_event_type, sizeof a->inc.sub_event_type);
            if (!a->inc.claimed_by[0])
                memcpy(a->inc.claimed_by, b->inc.claimed_by, sizeof a->inc.claimed_by);
            count_range(&a->inc.fatalities, &a->inc.fatalities_max, b->inc.fatalities,
                        b->inc.fatalities_max);
            count_range(&a->inc.injured, &a->inc.injured_max, b->inc.injured, b->inc.injured_max);
            if (b->inc.geo_prec < a->inc.geo_prec)
                a->inc.geo_prec = b->inc.geo_prec;
            if (b->inc.confidence > a->inc.confidence)
                a->inc.confidence = b->inc.confidence;
            /* the first folded trigger, for a headline's evidence moved to a
             * body sentence (ext_incident_prefer_body) */
            if (!a->inc.body_trig_len && b->trig_len) {
                a->inc.body_trig = b->trig_at;
                a->inc.body_trig_len = b->trig_len;
            }
            b->dead = true;
        }
    }
}

static const extp_lang *pick_lang(const ext_lexicon *lex, const rd_doc *doc,
                                  const ext_options *opts)
{
    const extp_lang *L = NULL;
    if (doc->lang[0])
        L = extp_lang_find(lex, doc->lang);
    if (!L && opts && opts->lang && strcmp(opts->lang, "auto") != 0)
        L = extp_lang_find(lex, opts->lang);
    if (L)
        return L;
    /* detect on the article: each language's frequent words counted line by
     * line over the text (its first MB); lines of prose (eight words or more,
     * with a sentence's punctuation) outvote the rest, so menus and page
     * furniture before the article do not choose its language */
    size_t nl = lex->n_langs < 8 ? lex->n_langs : 8;
    size_t prose[8] = {0}, all[8] = {0};
    size_t lim = doc->text_len < (1u << 20) ? doc->text_len : (1u << 20);
    size_t i = 0;
    while (i < lim) {
        size_t eol = i;
        while (eol < lim && doc->text[eol] != '\n')
            eol++;
        size_t hits[8] = {0}, words = 0;
        bool punct = false;
        size_t j = i;
        while (j < eol) {
            while (j < eol && !((doc->text[j] | 0x20) >= 'a' && (doc->text[j] | 0x20) <= 'z') &&
                   !((unsigned char)doc->text[j] & 0x80)) {
                char c = doc->text[j];
                punct = punct || c == '.' || c == ',' || c == ';' || c == '?' || c == '!';
                j++;
            }
            size_t a = j;
            while (j < eol && (((doc->text[j] | 0x20) >= 'a' && (doc->text[j] | 0x20) <= 'z') ||
                               ((unsigned char)doc->text[j] & 0x80)))
                j++;
            size_t n = j - a;
            if (n == 0)
                continue;
            words++;
            if (n > 12)
                continue;
            char w[16];
            for (size_t k = 0; k < n; k++)
                w[k] = (char)(doc->text[a + k] >= 'A' && doc->text[a + k] <= 'Z' ? doc->text[a + k] + 32
                                                                                   : doc->text[a + k]);
            for (size_t li = 0; li < nl; li++)
                if (extp_is_in(lex->langs[li].detect, lex->langs[li].n_detect, w, n))
                    hits[li]++;
        }
        bool is_prose = words >= 8 && punct;
        for (size_t li = 0; li < nl; li++) {
            all[li] += hits[li];
            if (is_prose)
                prose[li] += hits[li];
        }
        i = eol + 1;
    }
    size_t any_prose = 0;
    for (size_t li = 0; li < nl; li++)
        any_prose += prose[li];
    const size_t *count = any_prose ? prose : all;
    size_t best = 0;
    L = &lex->langs[0];
    for (size_t li = 0; li < nl; li++)
        if (count[li] > best) {
            best = count[li];
            L = &lex->langs[li];
        }
    return L;
}

static int append_result(ext_result *out, const ext_incident *inc)
{
    if (out->n == out->cap) {
        size_t cap = out->cap ? out->cap * 2 : 16;
        ext_incident *p = realloc(out->items, cap * sizeof *p);
        if (!p)
            return CX_ENOMEM;
        out->items = p;
        out->cap = cap;
    }
    out->items[out->n++] = *inc;
    return 0;
}

int ext_extract(const ext_lexicon *lex, const ext_gazetteer *gaz, const rd_doc *doc,
                const ext_options *opts, ext_result *out, cx_err *err)
{
    if (!lex || !gaz || !doc || !out)
        return cx_err_set(err, CX_EINVAL, NULL, 0, "ext_extract: missing argument");
    doc_state s = {0};
    drafts ds = {0};
    pairs ps = {0};
    cx_buf with_title = CX_BUF_INIT, unplaced = CX_BUF_INIT;
    int rc = 0;
    s.lex = lex;
    s.gaz = gaz;
    s.doc = doc;
    s.lang = pick_lang(lex, doc, opts);
    s.pub.prec = EXT_PREC_UNKNOWN;
    if (!ext_date_parse_iso(doc->published, &s.pub) && opts && opts->date)
        ext_date_parse_iso(opts->date, &s.pub);
    /* A title given apart from the text (JSON "title", HTML <title>) is read
     * as the text's first line, unless the text already starts with it. */
    const char *text = doc->text ? doc->text : "";
    size_t text_len = doc->text_len;
    if (doc->title && *doc->title) {
        size_t tl = strlen(doc->title), k = 0;
        while (k < text_len && (text[k] == ' ' || text[k] == '\n' || text[k] == '\r' ||
                                text[k] == '\t'))
            k++;
        if (!(text_len - k >= tl && memcmp(text + k, doc->title, tl) == 0)) {
            if (cx_buf_append(&with_title, doc->title, tl) || cx_buf_puts(&with_title, "\n\n") ||
                cx_buf_append(&with_title, text, text_len)) {
                rc = CX_ENOMEM;
                goto done;
            }
            text = with_title.data;
            text_len = with_title.len;
            s.prefix = tl + 2;
        }
    }
    s.text = text;
    if ((rc = extp_text_build(&s.t, text, text_len, s.lang)) != 0)
        goto done;
    /* furniture over the first paragraph was dropped (read/boiler.c): no
     * line of the text is a title, and its first paragraph is the lead */
    s.title_si = 0;
    if (doc->untitled && !(doc->title && *doc->title)) {
        s.title_si = SIZE_MAX;
        for (size_t i = 0; i < s.t.n_sent; i++)
            s.t.sent[i].para++;
    }
    if ((rc = annotate(&s)) != 0)
        goto done;
    s.pub = extp_dates_reference(&s.t, &s.pub, s.mt, s.nm); /* a dateline's day */
    s.rel = extp_dates_anchor(&s.t, &s.pub, s.mt, s.nm);
    /* a mention starts at a capitalised word: room for an article's at once
     * (a mention is 4 KB; growing the array copies them again and again);
     * a text of thousands of capitals still grows it past 1,024 */
    size_t caps = 0;
    for (size_t i = 0; i < s.t.n; i++)
        caps += (s.t.tok[i].flags & TF_CAP) != 0;
    s.cap_men = caps < 1016 ? caps + 8 : 1024;
    if (!(s.men = malloc(s.cap_men * sizeof *s.men))) {
        rc = CX_ENOMEM;
        goto done;
    }
    for (size_t si = 0; si < s.t.n_sent && rc == 0; si++)
        rc = extp_spot_sentence(&s, si);
    if (rc)
        goto done;
    for (size_t k = 0; k < s.n_men; k++)
        extp_compute_cues(&s, k);
    /* a noun after a list names the kind of all its members: "the Dashkesan,
     * Kalbajar and Lachin districts" */
    for (size_t k = 0; k < s.n_men; k++) {
        extp_mention *m = &s.men[k];
        if (m->list < 0 || !(m->region_cue || m->settlement_cue))
            continue;
        for (size_t j = (size_t)m->list; j < k; j++)
            if (j == (size_t)m->list || s.men[j].list == m->list) {
                s.men[j].region_cue |= m->region_cue;
                s.men[j].settlement_cue |= m->settlement_cue;
            }
    }
    extp_resolve(lex, s.men, s.n_men);
    if ((rc = extp_place_unplaced(&s, &unplaced)) != 0)
        goto done;
    if (unplaced.len) {
        free(out->unplaced);
        if (!(out->unplaced = strdup(unplaced.data))) {
            rc = CX_ENOMEM;
            goto done;
        }
    }
    out->n_toponyms += s.n_men;
    if ((rc = collect_pairs(&s, &ps, out)) != 0)
        goto done;
    if ((rc = document_features(&s, &ps)) != 0)
        goto done;
    if ((rc = decide(&s, &ps, opts, &ds, out)) != 0)
        goto done;
    /* a title tells the lead's event: undated title reports take the date of
     * the body's first report whose date is written beside its trigger, else
     * of its first dated report */
    for (size_t i = 0; i < ds.n; i++) {
        draft *t = &ds.d[i];
        if (t->dead || t->si != s.title_si || t->inc.date[0])
            continue;
        const draft *from = NULL;
        for (size_t j = 0; j < ds.n && !(from && from->date_own); j++) {
            const draft *b = &ds.d[j];
            if (!b->dead && b->si != s.title_si && b->inc.date[0] && (!from || b->date_own))
                from = b;
        }
        if (from) {
            memcpy(t->inc.date, from->inc.date, sizeof t->inc.date);
            t->inc.date_prec = from->inc.date_prec;
        }
    }
    merge_in_doc(&ds);
    /* still without a date, in an article of known day: the news of the day
     * (GUIDE.md, Dates: "the artillery is firing" takes the publication date) */
    for (size_t i = 0; i < ds.n && s.pub.prec == EXT_PREC_DAY; i++)
        if (!ds.d[i].dead && !ds.d[i].inc.date[0]) {
            ext_date_format(&s.pub, ds.d[i].inc.date);
            ds.d[i].inc.date_prec = EXT_PREC_DAY;
        }
    for (size_t i = 0; i < ds.n && rc == 0; i++) {
        if (ds.d[i].dead)
            continue;
        rc = append_result(out, &ds.d[i].inc);
        if (rc == 0)
            ext_incident_init(&ds.d[i].inc); /* ownership moved */
    }
done:
    if (rc)
        cx_err_set(err, rc, doc->source, doc->line, "%s while extracting",
                   rc == CX_ENOMEM ? "out of memory" : cx_strerror(rc));
    drafts_free(&ds);
    free(ps.p);
    extp_text_free(&s.t);
    free(s.mflat);
    free(s.mt);
    free(s.nm);
    free(s.starts);
    free(s.ends);
    free(s.covers);
    free(s.men);
    cx_buf_free(&s.key);
    free(s.lower);
    cx_buf_free(&with_title);
    cx_buf_free(&unplaced);
    return rc;
}

void ext_result_free(ext_result *res)
{
    if (!res)
        return;
    for (size_t i = 0; i < res->n; i++)
        ext_incident_clear(&res->items[i]);
    free(res->items);
    for (size_t i = 0; i < res->n_pairs; i++) {
        free(res->pairs[i].x);
        free(res->pairs[i].dates);
    }
    free(res->pairs);
    free(res->unplaced);
    memset(res, 0, sizeof *res);
}
