/* actors.c -- who did it, who was hit, who says so, and how many were
 * killed or wounded, read around a trigger; and the side a place's
 * controller makes the default agent. Conflict knowledge (actors, sides,
 * control) comes from the conflict file through ext_lexicon. */
#include "actors.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cx_text.h"
#include "incident.h"
#include "lexicon.h"
#include "model.h"
#include "resolve.h"
#include "state.h"

/* "a attaqué les troupes azerbaïdjanaises", "attacked the Armenian
 * positions": an actor after a trigger and a determiner that is not a
 * genitive is what was hit. ("tirs des forces arméniennes", where the
 * determiner is also a genitive, stays the agent.) `at` is where the actor
 * phrase, with its head noun, starts. */
static bool object_of_trigger(const doc_state *s, size_t at, size_t lo)
{
    /* the actor phrase may hold its determiner: "a attaqué l'Arménie" */
    if (at > lo && starts_cat(s, at, LX_DETERMINER) && !starts_cat(s, at, LX_GENITIVE) &&
        trigger_token(s, at - 1))
        return true;
    size_t st = ends_at(s, at, LX_DETERMINER, lo);
    if (st == (size_t)-1 || st == lo || ends_at(s, at, LX_GENITIVE, lo) != (size_t)-1)
        return false;
    return trigger_token(s, st - 1);
}

size_t extp_collect_actors(const doc_state *s, size_t si, actor_ref *out, size_t max)
{
    const extp_sentence *se = &s->t.sent[si];
    size_t n = 0;
    for (size_t i = se->first; i < se->end && n < max; i++) {
        int len = match_len(s, i, LX_ACTOR);
        if (!len)
            continue;
        if (i + (size_t)len > se->end)
            len = (int)(se->end - i);
        actor_ref a = {i, (size_t)len, match_val(s, i, LX_ACTOR), ROLE_SUBJECT};
        size_t e = skip_dets_back(s, i, se->first);
        /* adjectives of a head noun: "les forces armées azerbaïdjanaises" */
        size_t h = e;
        while (h > se->first && s->t.tok[h - 1].kind == TK_WORD && !(s->t.tok[h - 1].flags & TF_CAP) &&
               e - h < 3 && !starts_cat(s, h - 1, LX_CLAIM_BEFORE) && !starts_cat(s, h - 1, LX_AGENT) &&
               !starts_cat(s, h - 1, LX_LOCATIVE) && !trigger_token(s, h - 1))
            h--;
        size_t hd = skip_dets_back(s, h, se->first);
        /* inside a source phrase: "selon le ministère de la Défense de l'Artsakh" */
        bool in_source = false;
        for (size_t k = i; k > se->first && i - k < 8; k--) {
            if (is_punct(s, k - 1, -1) || trigger_token(s, k - 1))
                break;
            if (starts_cat(s, k - 1, LX_CLAIM_BEFORE)) {
                in_source = true;
                break;
            }
        }
        /* an inverted speaker after an incise comma: ", a annoncé le parquet
         * azerbaïdjanais" (not "a annoncé que les forces ...") */
        for (size_t k = i; k > se->first && i - k < 5 && !in_source; k--) {
            if (is_punct(s, k - 1, -1) || trigger_token(s, k - 1))
                break;
            if (!(s->ends[k] & LX_BIT(LX_CLAIM_VERB)))
                continue;
            for (size_t v = k; v-- > se->first + 1 && k - v < MAX_NGRAM;)
                for (size_t q = 0; q < s->nm[v]; q++)
                    if (s->mt[v][q].cat == LX_CLAIM_VERB && v + (size_t)s->mt[v][q].len == k &&
                        is_punct(s, v - 1, ','))
                        in_source = true;
        }
        if (in_source || ends_at(s, e, LX_CLAIM_BEFORE, se->first) != (size_t)-1 ||
            ends_at(s, hd, LX_CLAIM_BEFORE, se->first) != (size_t)-1)
            a.role = ROLE_CLAIMANT;
        else if (ends_at(s, e, LX_AGENT, se->first) != (size_t)-1 ||
                 ends_at(s, hd, LX_AGENT, se->first) != (size_t)-1)
            a.role = ROLE_AGENT;
        else if (object_of_trigger(s, i, se->first) || object_of_trigger(s, h, se->first))
            a.role = ROLE_TARGET;
        else if ((ends_at(s, e, LX_LOCATIVE, se->first) != (size_t)-1 &&
                  ends_at(s, e, LX_GENITIVE, se->first) == (size_t)-1) ||
                 (ends_at(s, hd, LX_LOCATIVE, se->first) != (size_t)-1 &&
                  ends_at(s, hd, LX_GENITIVE, se->first) == (size_t)-1))
            a.role = ROLE_TARGET;
        else {
            for (size_t k = i + (size_t)len; k < se->end && k <= i + (size_t)len + 5; k++) {
                if (trigger_token(s, k) || is_punct(s, k, -1))
                    break;
                if (starts_cat(s, k, LX_CLAIM_VERB) || starts_cat(s, k, LX_NEGATION)) {
                    a.role = ROLE_CLAIMANT; /* who says, or denies */
                    break;
                }
            }
        }
        out[n++] = a;
        i += (size_t)len - 1;
    }
    return n;
}

static bool is_civ(const doc_state *s, int actor)
{
    return actor >= 0 && strcmp(s->lex->actors[actor].side, "CIV") == 0;
}

/* Does an own-forces phrase ("ses forces", "its troops") name the subject of
 * trigger `tr`: before it in its clause, or as its agent ("par ses unités")? */
static bool own_forces_act(const doc_state *s, const trigger *tr)
{
    size_t ca = tr->ca, cb = tr->cb;
    for (size_t k = ca; k < tr->tok; k++)
        if (starts_cat(s, k, LX_OWN_FORCES))
            return true;
    size_t e = tr->tok + tr->len;
    size_t ag = e < cb && starts_cat(s, e, LX_AGENT) ? e + (size_t)match_len(s, e, LX_AGENT) : 0;
    return ag && ag < cb && starts_cat(s, ag, LX_OWN_FORCES);
}

/* "shelling Azerbaijani Terter", "shelling Azerbaijan's Tartar region": an
 * actor word right before a place's name (or its possessive) qualifies the
 * place, which is what was hit; it is not who acted. */
static bool qualifies_place(const doc_state *s, size_t si, const actor_ref *a)
{
    size_t k = a->tok + a->len, end = s->t.sent[si].end;
    if (k + 1 < end && s->t.tok[k].kind == TK_WORD && (s->t.tok[k].flags & TF_SEP_APOS) &&
        s->t.tok[k].len == 1)
        k++; /* 's */
    if (k >= end || !(s->t.tok[k].flags & TF_CAP))
        return false;
    for (size_t m = 0; m < s->n_men; m++)
        if (s->men[m].t0 == k && s->men[m].chosen >= 0)
            return true;
    return false;
}

/* extp_pick_actors, and how actor1 was found (`how`: HOW_*) */
enum { HOW_NONE, HOW_AGENT, HOW_SUBJ_CLAUSE, HOW_SUBJ_SENT, HOW_OWN };
static void pick(const doc_state *s, size_t si, const trigger *tr, const actor_ref *ar, size_t na,
                 int *a1, int *a2, int *claim, int *how)
{
    *a1 = *a2 = *claim = -1;
    *how = HOW_NONE;
    size_t ca, cb;
    clause_of(s, si, tr->tok, &ca, &cb);
    size_t best_d = (size_t)-1;
    /* agents and adjectives right after the trigger */
    for (size_t k = 0; k < na; k++) {
        const actor_ref *a = &ar[k];
        if (is_civ(s, a->actor))
            continue;
        size_t d = a->tok > tr->tok ? a->tok - tr->tok : tr->tok - a->tok;
        /* "bombardements azerbaïdjanais", "tirs des forces arméniennes": an
         * actor word right after the trigger, through determiners only (not
         * "bombardé des positions azerbaïdjanaises": the positions are hit) */
        bool right_after = a->tok >= tr->tok + tr->len && a->tok <= tr->tok + tr->len + 4 &&
                           a->role == ROLE_SUBJECT;
        if (qualifies_place(s, si, a))
            right_after = false;
        if (right_after) {
            for (size_t j = tr->tok + tr->len; j < a->tok; j++)
                if (!(starts_cat(s, j, LX_GENITIVE) || starts_cat(s, j, LX_DETERMINER) ||
                      (s->covers[j] & LX_BIT(LX_ACTOR))))
                    right_after = false;
        }
        bool near_agent = a->role == ROLE_AGENT && a->tok >= tr->tok && a->tok <= tr->tok + tr->len + 8;
        if ((near_agent || right_after) && d < best_d) {
            best_d = d;
            *a1 = a->actor;
            *how = HOW_AGENT;
        }
    }
    if (*a1 < 0) {
        /* the subject: the nearest actor before the trigger in its clause,
         * else in the sentence */
        for (int pass = 0; pass < 2 && *a1 < 0; pass++)
            for (size_t k = na; k-- > 0;) {
                const actor_ref *a = &ar[k];
                if (a->tok >= tr->tok || a->role != ROLE_SUBJECT || is_civ(s, a->actor) ||
                    qualifies_place(s, si, a))
                    continue;
                if (pass == 0 && a->tok < ca)
                    continue;
                *a1 = a->actor;
                *how = pass == 0 ? HOW_SUBJ_CLAUSE : HOW_SUBJ_SENT;
                break;
            }
    }
    for (size_t k = 0; k < na; k++) {
        const actor_ref *a = &ar[k];
        if (a->role == ROLE_TARGET && a->actor != *a1 && *a2 < 0)
            *a2 = a->actor;
        if (a->role == ROLE_CLAIMANT && *claim < 0)
            *claim = a->actor;
    }
    /* "le ministère azerbaïdjanais a affirmé que ses forces avaient frappé X",
     * "the ministry said its troops repelled an attack": the claimant's own
     * forces acted */
    if (*a1 < 0 && *claim >= 0 && !is_civ(s, *claim) && own_forces_act(s, tr))
    {
        *a1 = *claim;
        *how = HOW_OWN;
    }
    if (*a2 < 0)
        for (size_t k = 0; k < na; k++)
            if (is_civ(s, ar[k].actor)) {
                *a2 = ar[k].actor;
                break;
            }
    if (*a1 >= 0 && *a2 >= 0 &&
        strcmp(s->lex->actors[*a1].side, s->lex->actors[*a2].side) == 0)
        *a2 = -1;
}

void extp_pick_actors(const doc_state *s, size_t si, const trigger *tr, const actor_ref *ar,
                      size_t na, int *a1, int *a2, int *claim)
{
    int how;
    pick(s, si, tr, ar, na, a1, a2, claim, &how);
}

/* +1 when actor `a` is of the first focus party, -1 of the second, else 0 */
static float party_sign(const doc_state *s, int a)
{
    if (a < 0 || s->lex->n_focus != 2)
        return 0;
    const char *side = s->lex->actors[a].side;
    return strcmp(side, s->lex->focus[0]) == 0 ? 1.0f : strcmp(side, s->lex->focus[1]) == 0 ? -1.0f : 0;
}

int extp_actor_features(const doc_state *s, size_t si, const trigger *tr, const actor_ref *ar,
                        size_t na, const cx_place *p, const char *date, int type, float *x)
{
    int a1, a2, claim, how;
    for (int i = 0; i < EXTA_N; i++)
        x[i] = 0;
    pick(s, si, tr, ar, na, &a1, &a2, &claim, &how);
    float sa = party_sign(s, a1);
    if (how == HOW_AGENT)
        x[EXTA_agent_or_adjective] = sa;
    else if (how == HOW_SUBJ_CLAUSE)
        x[EXTA_subject_in_clause] = sa;
    else if (how == HOW_SUBJ_SENT)
        x[EXTA_subject_in_sentence] = sa;
    else if (how == HOW_OWN)
        x[EXTA_claimant_own_forces] = sa;
    x[EXTA_claimant_accuses] = party_sign(s, extp_accused_actor(s, claim));
    if (a2 >= 0 && strcmp(s->lex->actors[a2].side, "CIV") != 0)
        x[EXTA_target_opposes] = -party_sign(s, a2);
    float c = party_sign(s, extp_fallback_actor(s, p, date));
    x[type == EXT_CLASH ? EXTA_controller_opposes_clash : EXTA_controller_opposes] = c;
    return a1;
}

int extp_decide_actor(const doc_state *s, const float *x, int hand)
{
    const extp_model *m = s->lex->model;
    bool any = false;
    for (int i = 0; i < EXTA_N; i++)
        any |= x[i] != 0;
    if (!any || s->lex->n_focus != 2)
        return hand;
    const char *side = extp_model_actor_prob(m, x) >= 0.5 ? s->lex->focus[0] : s->lex->focus[1];
    if (hand >= 0 && strcmp(s->lex->actors[hand].side, side) == 0)
        return hand; /* the party the text names, with its own label */
    return extp_actor_of_side(s, side);
}

/* The claimant as the text names it when it is not a known actor:
 * "selon Armenpress", "according to Human Rights Watch", "selon le
 * ministère de la Défense de l'Artsakh". Only a name is kept: a run of
 * capitalised words (with the function words between them), or an
 * organisation noun of the lexicon (claim_cues.organisations) followed by
 * one; it ends at its last capitalised word ("selon Armenpress il y a au
 * moins" is Armenpress). Not a claimant: what claim_cues.not_claimants
 * lists (the page's furniture, "d'après l'URL"; unnamed sources), a phrase
 * with no name ("selon nos sources locales"), a cue glued to the next word
 * by a hyphen ("l'après-midi"). */
static bool name_word(const doc_state *s, size_t k)
{
    return s->t.tok[k].kind == TK_WORD && (s->t.tok[k].flags & TF_CAP);
}

void extp_claim_text(const doc_state *s, size_t si, char *out, size_t size)
{
    const extp_sentence *se = &s->t.sent[si];
    out[0] = '\0';
    for (size_t i = se->first; i < se->end; i++) {
        int l = match_len(s, i, LX_CLAIM_BEFORE);
        if (!l)
            continue;
        size_t a = i + (size_t)l;
        if (a >= se->end || (s->t.tok[a].flags & TF_SEP_HYPHEN))
            continue;
        while (a < se->end && starts_cat(s, a, LX_DETERMINER) && !name_word(s, a))
            a += (size_t)match_len(s, a, LX_DETERMINER);
        if (a >= se->end || starts_cat(s, a, LX_NOT_CLAIMANT))
            return;
        size_t k = a, last = (size_t)-1;
        if (starts_cat(s, a, LX_CLAIM_ORG) && !name_word(s, a))
            k = a + (size_t)match_len(s, a, LX_CLAIM_ORG);
        else if (!name_word(s, a))
            return;
        /* the name: capitalised words, and lower-case words between them */
        for (; k < se->end && k < a + 10; k++) {
            if (is_punct(s, k, -1) || starts_cat(s, k, LX_CLAUSE_BREAK) ||
                starts_cat(s, k, LX_CLAIM_VERB) || trigger_token(s, k))
                break;
            if (name_word(s, k)) {
                last = k;
                continue;
            }
            if (s->t.tok[k].kind != TK_WORD || k > (last == (size_t)-1 ? a : last) + 3)
                break;
        }
        if (last != (size_t)-1 && !starts_cat(s, last, LX_NOT_CLAIMANT))
            copy_surface(s, a, last + 1, out, size);
        return;
    }
}

/* Which side controls a place at a date, from the conflict file. */
static const char *control_side(const doc_state *s, const cx_place *p, const char *date)
{
    const ext_lexicon *lex = s->lex;
    for (size_t i = 0; i < lex->n_control; i++) {
        const extp_control *c = &lex->control[i];
        if (extp_distance_km(p->lat, p->lon, c->lat, c->lon) > c->radius_km)
            continue;
        if (date[0] && (strcmp(date, c->from) < 0 || strcmp(date, c->to) > 0))
            continue;
        if (!date[0] && strcmp(s->doc->published, c->from) < 0)
            continue;
        if (!date[0] && s->doc->published[0] && strcmp(s->doc->published, c->to) > 0)
            continue;
        return c->side;
    }
    for (size_t i = 0; i < lex->n_ctrl_country; i++)
        if (strcmp(lex->ctrl_country[i][0], p->country) == 0)
            return lex->ctrl_country[i][1];
    return NULL;
}

int extp_actor_of_side(const doc_state *s, const char *side)
{
    for (size_t i = 0; i < s->lex->n_actors; i++)
        if (strcmp(s->lex->actors[i].side, side) == 0)
            return (int)i;
    return -1;
}

/* The other focus side than `side`, as an actor index, or -1. */
static int other_focus(const doc_state *s, const char *side)
{
    if (!side || s->lex->n_focus != 2)
        return -1;
    const char *other = NULL;
    if (strcmp(side, s->lex->focus[0]) == 0)
        other = s->lex->focus[1];
    else if (strcmp(side, s->lex->focus[1]) == 0)
        other = s->lex->focus[0];
    return other ? extp_actor_of_side(s, other) : -1;
}

int extp_accused_actor(const doc_state *s, int claimant)
{
    if (claimant < 0)
        return -1;
    return other_focus(s, s->lex->actors[claimant].side);
}

/* The side opposing the controller of the place, when the conflict has two
 * focus sides. */
int extp_fallback_actor(const doc_state *s, const cx_place *p, const char *date)
{
    return other_focus(s, control_side(s, p, date));
}



/* Does a toll cue start at token k ("so far", "depuis le début", "death
 * toll", or "since"/"depuis" with a month or a weekday within four words)? */
static bool toll_cue_at(const doc_state *s, size_t k, size_t end)
{
    if (starts_cat(s, k, LX_TOLL_CUE))
        return true;
    if (!starts_cat(s, k, LX_TOLL_SINCE))
        return false;
    for (size_t j = k + 1; j < end && j <= k + 4; j++)
        if (starts_cat(s, j, LX_MONTH) || starts_cat(s, j, LX_WEEKDAY))
            return true;
    return false;
}

/* A break between the parts of a sentence a toll cue governs: commas,
 * colons, brackets, dashes, quotes, and clause words that start no cue. */
static bool toll_break(const doc_state *s, size_t k)
{
    static const long cps[] = {',', ';', ':', '(', ')', 0x2013, 0x2014, 0xAB, 0xBB, 0x201C, 0x201D, '"'};
    for (size_t c = 0; c < sizeof cps / sizeof cps[0]; c++)
        if (is_punct(s, k, cps[c]))
            return true;
    /* a clause word inside a cue ("la guerre qui a fait") does not cut it */
    return starts_cat(s, k, LX_CLAUSE_BREAK) &&
           !(s->covers[k] & (LX_BIT(LX_TOLL_CUE) | LX_BIT(LX_TOLL_SINCE)));
}

/* Is the count at token `tok` of sentence `se` a toll over a period rather
 * than one incident's? A cue in its own part of the sentence, or in the
 * sentence's leading part when the count is in the second ("So far, 50
 * soldiers have been killed"; "Depuis le début du conflit, ..."). */
static bool toll_is_cumulative(const doc_state *s, const extp_sentence *se, size_t tok)
{
    size_t lo = tok, hi = tok + 1;
    while (lo > se->first && !toll_break(s, lo - 1))
        lo--;
    while (hi < se->end && !toll_break(s, hi))
        hi++;
    for (size_t k = lo; k < hi; k++)
        if (toll_cue_at(s, k, se->end))
            return true;
    if (lo > se->first) {
        size_t brk = lo - 1, first_brk = se->first;
        while (first_brk < brk && !toll_break(s, first_brk))
            first_brk++;
        if (first_brk == brk)
            for (size_t k = se->first; k < brk; k++)
                if (toll_cue_at(s, k, se->end))
                    return true;
    }
    return false;
}

size_t extp_find_casualties(const doc_state *s, size_t si, casualty *out, size_t max)
{
    const extp_sentence *se = &s->t.sent[si];
    size_t n = 0;
    for (size_t i = se->first; i < se->end && n < max; i++) {
        long v = -1;
        size_t e = i + 1;
        if (s->t.tok[i].kind == TK_NUM && s->t.tok[i].num >= 0) {
            v = s->t.tok[i].num;
            /* "2 500" */
            while (e < se->end && s->t.tok[e].kind == TK_NUM && s->t.tok[e].len == 3 &&
                   (s->t.tok[e].flags & TF_SEP_SPACE) && v < 1000000) {
                v = v * 1000 + s->t.tok[e].num;
                e++;
            }
        } else if (starts_cat(s, i, LX_NUMWORD)) {
            v = match_val(s, i, LX_NUMWORD);
            e = i + (size_t)match_len(s, i, LX_NUMWORD);
        }
        if (v <= 0 || v > 1000000)
            continue;
        /* "killing one civilian and wounding 32", "tuant deux soldats" */
        if (i > se->first) {
            size_t k = i;
            while (k > se->first && i - k < 3 && starts_cat(s, k - 1, LX_ABOUT))
                k--;
            if (k > se->first && !is_punct(s, k - 1, -1)) {
                bool kw = s->ends[k] & LX_BIT(LX_KILLED), iw = s->ends[k] & LX_BIT(LX_INJURED);
                if (kw || iw) {
                    out[n++] = (casualty){i, v, kw && !iw, toll_is_cumulative(s, se, i)};
                    i = e - 1;
                    continue;
                }
            }
        }
        for (size_t k = e; k < se->end && k < e + 5; k++) {
            if (is_punct(s, k, -1) && !is_punct(s, k, '('))
                break;
            if (starts_cat(s, k, LX_KILLED) || starts_cat(s, k, LX_INJURED)) {
                out[n++] = (casualty){i, v, starts_cat(s, k, LX_KILLED),
                                      toll_is_cumulative(s, se, i)};
                break;
            }
            if (s->t.tok[k].kind == TK_NUM)
                break;
        }
        i = e - 1;
    }
    return n;
}
