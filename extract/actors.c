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

/* "shelling Azerbaijan's cities", "struck Armenia's positions": an actor
 * phrase followed by a possessive ("'s": a one-letter word glued by an
 * apostrophe) owns what follows it; right after a trigger (through
 * determiners) that is what was hit, not who acted. */
static bool possessor_of_object(const doc_state *s, size_t si, size_t i, size_t len)
{
    const extp_sentence *se = &s->t.sent[si];
    size_t k = i + len;
    if (k + 1 >= se->end || s->t.tok[k].kind != TK_WORD || !(s->t.tok[k].flags & TF_SEP_APOS) ||
        s->t.tok[k].len != 1)
        return false;
    size_t st = skip_dets_back(s, i, se->first);
    return st > se->first && trigger_token(s, st - 1);
}

/* "shelled Azerbaijani positions", "the shelling of Armenian villages",
 * "fired at enemy posts": an actor word right after a trigger (through
 * determiners and genitives) that qualifies the noun after it, a military
 * target or a settlement, names what was hit. (In French the noun comes
 * first, "bombardé des positions azerbaïdjanaises", and pick() sees the
 * noun between the trigger and the actor.) */
static bool adjective_of_object(const doc_state *s, size_t si, size_t i, size_t len)
{
    const extp_sentence *se = &s->t.sent[si];
    size_t k = i + len;
    if (k >= se->end || s->t.tok[k].kind != TK_WORD || (s->t.tok[k].flags & TF_CAP) ||
        !(starts_cat(s, k, LX_MIL_TARGET) || starts_cat(s, k, LX_SETTLEMENT_NOUN) ||
          starts_cat(s, k, LX_PLACE_NOUN)))
        return false;
    size_t st = i;
    for (int hop = 0; hop < 3 && st > se->first; hop++) {
        size_t b = ends_at(s, st, LX_DETERMINER, se->first);
        if (b == (size_t)-1)
            b = ends_at(s, st, LX_GENITIVE, se->first);
        if (b == (size_t)-1)
            break;
        st = b;
    }
    return st > se->first && trigger_token(s, st - 1);
}

/* The role of the actor phrase at [i, i + len) of sentence si (ROLE_*). */
static int actor_role(const doc_state *s, size_t si, size_t i, size_t len)
{
    const extp_sentence *se = &s->t.sent[si];
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
        return ROLE_CLAIMANT;
    if (ends_at(s, e, LX_AGENT, se->first) != (size_t)-1 ||
        ends_at(s, hd, LX_AGENT, se->first) != (size_t)-1)
        return ROLE_AGENT;
    if (object_of_trigger(s, i, se->first) || object_of_trigger(s, h, se->first) ||
        possessor_of_object(s, si, i, len) || adjective_of_object(s, si, i, len))
        return ROLE_TARGET;
    if ((ends_at(s, e, LX_LOCATIVE, se->first) != (size_t)-1 &&
         ends_at(s, e, LX_GENITIVE, se->first) == (size_t)-1) ||
        (ends_at(s, hd, LX_LOCATIVE, se->first) != (size_t)-1 &&
         ends_at(s, hd, LX_GENITIVE, se->first) == (size_t)-1))
        return ROLE_TARGET;
    for (size_t k = i + len; k < se->end && k <= i + len + 5; k++) {
        if (trigger_token(s, k) || is_punct(s, k, -1))
            break;
        if (starts_cat(s, k, LX_CLAIM_VERB) || starts_cat(s, k, LX_NEGATION))
            return ROLE_CLAIMANT; /* who says, or denies */
    }
    return ROLE_SUBJECT;
}

static bool is_civ(const doc_state *s, int actor);

/* The actor phrases of sentence si (LX_ACTOR), in text order, into out. */
static size_t named_actors(const doc_state *s, size_t si, actor_ref *out, size_t max)
{
    const extp_sentence *se = &s->t.sent[si];
    size_t n = 0;
    for (size_t i = se->first; i < se->end && n < max; i++) {
        int len = match_len(s, i, LX_ACTOR);
        if (!len)
            continue;
        if (i + (size_t)len > se->end)
            len = (int)(se->end - i);
        out[n++] = (actor_ref){i, (size_t)len, match_val(s, i, LX_ACTOR),
                               actor_role(s, si, i, (size_t)len)};
        i += (size_t)len - 1;
    }
    return n;
}

/* The first party (not civilians) that claims in actor phrases ar. */
static int first_claimant(const doc_state *s, const actor_ref *ar, size_t na)
{
    for (size_t k = 0; k < na; k++)
        if (ar[k].role == ROLE_CLAIMANT && !is_civ(s, ar[k].actor))
            return ar[k].actor;
    return -1;
}

/* The claimant of the sentences just before si in its paragraph (two at
 * most): wire copy names its source once, then goes on ("The ministry said
 * Terter was shelled. It added that Aghdam was also hit", "..., a-t-il
 * ajouté"). -1 when none. */
static int paragraph_claimant(const doc_state *s, size_t si)
{
    actor_ref ar[32];
    for (size_t sj = si; sj-- > 0 && si - sj <= 2 && s->t.sent[sj].para == s->t.sent[si].para &&
                         s->t.sent[sj].para > 0;) {
        int c = first_claimant(s, ar, named_actors(s, sj, ar, 32));
        if (c >= 0)
            return c;
    }
    return -1;
}

size_t extp_collect_actors(const doc_state *s, size_t si, actor_ref *out, size_t max)
{
    const extp_sentence *se = &s->t.sent[si];
    size_t n = named_actors(s, si, out, max);
    /* "the enemy", "l'adversaire": the party the claimant opposes (the
     * Armenian ministry's enemy is Azerbaijan), with the role its place in
     * the sentence gives; the claimant is the sentence's, else the
     * paragraph's. No claimant, no party. */
    int enemy = -1;
    bool looked = false;
    for (size_t i = se->first; i < se->end && n < max; i++) {
        int len = match_len(s, i, LX_ENEMY);
        if (!len || (s->covers[i] & LX_BIT(LX_ACTOR)))
            continue;
        if (!looked) {
            int c = first_claimant(s, out, n);
            enemy = extp_accused_actor(s, c >= 0 ? c : paragraph_claimant(s, si));
            looked = true;
        }
        if (enemy < 0)
            break;
        if (i + (size_t)len > se->end)
            len = (int)(se->end - i);
        size_t at = 0;
        while (at < n && out[at].tok < i)
            at++;
        memmove(&out[at + 1], &out[at], (n - at) * sizeof *out);
        out[at] = (actor_ref){i, (size_t)len, enemy, actor_role(s, si, i, (size_t)len)};
        n++;
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

/* The party an occupation word qualifies in sentence si: "de l'occupation
 * arménienne", "Armenian occupation", "forces d'occupation arméniennes",
 * "the Armenian occupiers" (an actor phrase right before the word, or
 * starting at most two words after it); -1 when none. The occupier held
 * the place: its capture is the other party's gain. */
static int occupier(const doc_state *s, size_t si, const actor_ref *ar, size_t na)
{
    const extp_sentence *se = &s->t.sent[si];
    for (size_t i = se->first; i < se->end; i++) {
        if (!starts_cat(s, i, LX_OCCUPATION))
            continue;
        size_t e = i + (size_t)match_len(s, i, LX_OCCUPATION);
        for (size_t k = 0; k < na; k++)
            if ((ar[k].tok >= e && ar[k].tok <= e + 2) || ar[k].tok + ar[k].len == i)
                return ar[k].actor;
    }
    return -1;
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
    if (tr && tr->cat == LX_CLASH_CAPTURE) {
        /* a party announces its own gains ("Aliyev said the villages of X
         * and Y were taken"): the claimant's forces, not the side it accuses */
        if (x[EXTA_claimant_own_forces] == 0)
            x[EXTA_claimant_own_forces] = party_sign(s, claim);
        x[EXTA_capture_from_occupier] = -party_sign(s, occupier(s, si, ar, na));
    } else {
        /* the claimant of the sentence, else of the paragraph's sentences
         * just before ("It said Aghdam was shelled overnight") */
        int cl = claim >= 0 ? claim : paragraph_claimant(s, si);
        x[EXTA_claimant_accuses] = party_sign(s, extp_accused_actor(s, cl));
    }
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



/* The LX_TOLL_SHAPE or LX_TOLL_SPAN role (EXTP_TOLL_*) of the phrase at k, or -1. */
static int role_at(const doc_state *s, size_t k, int cat)
{
    return k < s->t.n ? match_val(s, k, cat) : -1;
}

static bool day_or_month(const doc_state *s, size_t k)
{
    return starts_cat(s, k, LX_MONTH) || starts_cat(s, k, LX_WEEKDAY) ||
           (s->t.tok[k].kind == TK_NUM && s->t.tok[k].num >= 1 && s->t.tok[k].num <= 31);
}

/* A span of dates ("du 27 septembre au 13 octobre", "between September 27
 * and October 10", "from Monday to Wednesday") starting at k: a from-word,
 * a day or a month within four words, a to-word, a day or a month within
 * three more, and a month or a weekday among them. A night ("du 12 au 13
 * septembre", one day apart in one month) is one event's time, not a span. */
static bool date_span_at(const doc_state *s, size_t k, size_t end)
{
    if (role_at(s, k, LX_TOLL_SPAN) != EXTP_TOLL_FROM)
        return false;
    size_t j = k + (size_t)match_len(s, k, LX_TOLL_SPAN);
    long d1 = -1, d2 = -1;
    int m1 = -1, m2 = -1;
    bool named = false;
    size_t to = 0;
    for (; j < end && j <= k + 5; j++) {
        if (role_at(s, j, LX_TOLL_SPAN) == EXTP_TOLL_TO && (d1 >= 0 || m1 >= 0 || named)) {
            to = j;
            break;
        }
        if (is_punct(s, j, -1) || !(day_or_month(s, j) || starts_cat(s, j, LX_DETERMINER)))
            return false;
        if (starts_cat(s, j, LX_MONTH) && m1 < 0)
            m1 = match_val(s, j, LX_MONTH);
        else if (starts_cat(s, j, LX_WEEKDAY))
            named = true;
        else if (s->t.tok[j].kind == TK_NUM && d1 < 0)
            d1 = s->t.tok[j].num;
    }
    if (!to)
        return false;
    bool after = false;
    for (j = to + (size_t)match_len(s, to, LX_TOLL_SPAN); j < end && j <= to + 4; j++) {
        if (!day_or_month(s, j))
            continue;
        after = true;
        if (starts_cat(s, j, LX_MONTH) && m2 < 0)
            m2 = match_val(s, j, LX_MONTH);
        else if (starts_cat(s, j, LX_WEEKDAY))
            named = true;
        else if (s->t.tok[j].kind == TK_NUM && d2 < 0)
            d2 = s->t.tok[j].num;
        if (m2 >= 0 || named)
            break;
    }
    if (!after || (m1 < 0 && m2 < 0 && !named))
        return false;
    if (m1 < 0)
        m1 = m2;
    if (m2 < 0)
        m2 = m1;
    return !(m1 == m2 && d1 >= 0 && d2 >= 0 && d2 - d1 <= 1);
}

/* A time the toll was counted over ("en trois jours", "in just 24 hours",
 * "over two weeks"): a within-word, a number of at least two, a period. Hours
 * only after a within-word ("en 24 heures"): "for over three hours" is how
 * long one shelling lasted. */
static bool duration_at(const doc_state *s, size_t k, size_t end)
{
    int w = role_at(s, k, LX_TOLL_SPAN);
    if (w != EXTP_TOLL_WITHIN && w != EXTP_TOLL_OVER)
        return false;
    size_t j = k + (size_t)match_len(s, k, LX_TOLL_SPAN);
    while (j < end && starts_cat(s, j, LX_ABOUT) && j < k + 6)
        j += (size_t)match_len(s, j, LX_ABOUT);
    long v = -1;
    if (j < end && s->t.tok[j].kind == TK_NUM)
        v = s->t.tok[j++].num;
    else if (j < end && starts_cat(s, j, LX_NUMWORD)) {
        v = match_val(s, j, LX_NUMWORD);
        j += (size_t)match_len(s, j, LX_NUMWORD);
    }
    int p = j < end ? role_at(s, j, LX_TOLL_SPAN) : -1;
    return v >= 2 && (p == EXTP_TOLL_PERIOD || (p == EXTP_TOLL_HOURS && w == EXTP_TOLL_WITHIN));
}

/* Does a toll cue start at token k ("so far", "depuis le début", "death
 * toll", "since"/"depuis" with a month or a weekday within four words, a
 * span of dates, a duration)? */
static bool toll_cue_at(const doc_state *s, size_t k, size_t end)
{
    if (starts_cat(s, k, LX_TOLL_CUE) || date_span_at(s, k, end) || duration_at(s, k, end))
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

static bool cue_in(const doc_state *s, size_t a, size_t b, size_t end)
{
    for (size_t k = a; k < b; k++)
        if (toll_cue_at(s, k, end))
            return true;
    return false;
}

/* Is the first event word of tokens [a, b) a campaign's noun ("l'offensive",
 * "the war", "the military operation")? A trigger whose object is the
 * campaign ("launched an offensive", "a lancé une opération militaire")
 * stands for it; any other trigger ("shelled Terter during the offensive")
 * is the event, and the count is its. */
static bool campaign_first(const doc_state *s, size_t a, size_t b)
{
    for (size_t k = a; k < b; k++) {
        if (role_at(s, k, LX_TOLL_SHAPE) == EXTP_TOLL_CAMPAIGN)
            return true;
        if (!trigger_token(s, k))
            continue;
        size_t j = k + 1;
        while (j < b && j <= k + 5 && !is_punct(s, j, -1) &&
               role_at(s, j, LX_TOLL_SHAPE) != EXTP_TOLL_CAMPAIGN)
            j++;
        if (j < b && j <= k + 5 && role_at(s, j, LX_TOLL_SHAPE) == EXTP_TOLL_CAMPAIGN)
            return true;
        return false;
    }
    return false;
}

/* The part of the sentence before the break at `brk` (exclusive end `brk`,
 * a comma before it skipped when `skip_comma`): [*a, *b). */
static void part_before(const doc_state *s, const extp_sentence *se, size_t brk, bool skip_comma,
                        size_t *a, size_t *b)
{
    size_t hi = brk;
    if (skip_comma && hi > se->first && is_punct(s, hi - 1, ','))
        hi--;
    size_t lo = hi;
    while (lo > se->first && !toll_break(s, lo - 1))
        lo--;
    *a = lo;
    *b = hi;
}

/* Is the count at token `tok` of sentence `se` a toll over a period rather
 * than one incident's? The count's own part of the sentence is read, and
 * what governs it:
 *   - a cue in its part, or in the sentence's leading part when the count is
 *     in the second ("So far, 50 soldiers have been killed");
 *   - a relative clause's antecedent ("l'offensive, qui a fait 200 morts";
 *     "weeks of fighting which killed 200");
 *   - the main clause of a result participle ("launched an offensive on
 *     Karabakh, resulting in 200 dead"; "..., faisant 200 morts");
 *   - a span of dates or a duration in the part right after it ("42 civils
 *     tués dans les attaques, survenues du 27 septembre au 13 octobre");
 *   - a campaign (casualties.campaigns) as the first event word of its part
 *     or of the governing part ("L'offensive a fait 200 morts", "the war
 *     that left 200 dead"). */
static bool toll_is_cumulative(const doc_state *s, const extp_sentence *se, size_t tok)
{
    size_t lo = tok, hi = tok + 1;
    while (lo > se->first && !toll_break(s, lo - 1))
        lo--;
    while (hi < se->end && !toll_break(s, hi))
        hi++;
    if (cue_in(s, lo, hi, se->end) || campaign_first(s, lo, tok))
        return true;
    if (lo > se->first) {
        size_t brk = lo - 1, first_brk = se->first;
        while (first_brk < brk && !toll_break(s, first_brk))
            first_brk++;
        if (first_brk == brk && cue_in(s, se->first, brk, se->end))
            return true;
        size_t ga = 0, gb = 0;
        if (role_at(s, brk, LX_TOLL_SHAPE) == EXTP_TOLL_RELATIVE)
            part_before(s, se, brk, true, &ga, &gb);
        else if (role_at(s, lo, LX_TOLL_SHAPE) == EXTP_TOLL_RESULT &&
                 (is_punct(s, brk, ',') || is_punct(s, brk, 0x2013) || is_punct(s, brk, 0x2014)))
            part_before(s, se, brk, false, &ga, &gb);
        if (gb > ga && (cue_in(s, ga, gb, se->end) || campaign_first(s, ga, gb)))
            return true;
    }
    /* the span of the count's part told in the next one, after a comma */
    if (hi < se->end && is_punct(s, hi, ',') && !starts_cat(s, hi + 1, LX_CLAUSE_BREAK)) {
        size_t b = hi + 1;
        bool count = false;
        while (b < se->end && !toll_break(s, b)) {
            count |= starts_cat(s, b, LX_KILLED) || starts_cat(s, b, LX_INJURED);
            b++;
        }
        for (size_t k = hi + 1; k < b && !count; k++)
            if (date_span_at(s, k, b) || duration_at(s, k, b))
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
            /* "2,783": a comma between groups of three digits, no space */
            while (e + 1 < se->end && is_punct(s, e, ',') && !(s->t.tok[e].flags & TF_SEP_SPACE) &&
                   s->t.tok[e + 1].kind == TK_NUM && s->t.tok[e + 1].len == 3 &&
                   !(s->t.tok[e + 1].flags & TF_SEP_SPACE) && v < 1000000) {
                v = v * 1000 + s->t.tok[e + 1].num;
                e += 2;
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
            /* "an offensive which killed 200": the number counts the campaign */
            if (s->t.tok[k].kind == TK_NUM || role_at(s, k, LX_TOLL_SHAPE) == EXTP_TOLL_CAMPAIGN)
                break;
        }
        i = e - 1;
    }
    return n;
}
