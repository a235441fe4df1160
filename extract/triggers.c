/* triggers.c -- the words that report an incident, per sentence: which
 * phrase of the lexicon, which type, and whether it is asserted (not denied,
 * not a threat or a plan) and supported (a weapon with an act, refugees with
 * a movement). It decides nothing about places: see pair_features.c. */
#include "triggers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cx_text.h"
#include "lexicon.h"
#include "resolve.h"
#include "state.h"

static int trigger_type_of(int cat)
{
    switch (cat) {
    case LX_SHELL_STRONG: case LX_SHELL_WEAK: case LX_SHELL_FIRE: return EXT_SHELLING;
    case LX_CLASH_STRONG: case LX_CLASH_WEAK: case LX_CLASH_CAPTURE: return EXT_CLASH;
    case LX_EVAC_STRONG: case LX_EVAC_WEAK: return EXT_EVACUATION;
    default: return -1;
    }
}

/* The first mention starting at or after token `tok` (mentions are in text
 * order); n_men when none. */
size_t extp_mention_at_or_after(const doc_state *s, size_t tok)
{
    size_t lo = 0, hi = s->n_men;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->men[mid].t0 < tok)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}


/* The longest movement verb (LX_EVAC_VERB) at token i, 0 when none;
 * *departure: it is a departure verb (triggers.evacuation.departures), which
 * needs a group of people before it */
static int move_verb(const doc_state *s, size_t i, bool *departure)
{
    int best = 0;
    *departure = false;
    if (!starts_cat(s, i, LX_EVAC_VERB))
        return 0;
    for (size_t k = 0; k < s->nm[i]; k++)
        if (s->mt[i][k].cat == LX_EVAC_VERB && s->mt[i][k].len > best) {
            best = s->mt[i][k].len;
            *departure = s->mt[i][k].val == EXTP_EVAC_DEPARTURE;
        }
    return best;
}

/* A group of people (triggers.evacuation.groups) at most eight words before
 * token i in its clause: "Residents of X left", "les habitants de X sont
 * partis", where "left" alone also tells casualties ("left two dead") */
static bool group_before(const doc_state *s, size_t si, size_t i)
{
    size_t ca, cb;
    clause_of(s, si, i, &ca, &cb);
    for (size_t k = i > ca + 8 ? i - 8 : ca; k < i; k++) {
        if (!starts_cat(s, k, LX_REGION_CTX))
            continue;
        for (size_t m = 0; m < s->nm[k]; m++)
            if (s->mt[k][m].cat == LX_REGION_CTX && s->mt[k][m].val == EXTP_RCTX_DISPLACED)
                return true;
    }
    return false;
}

/* Armed forces as the subject of a movement verb at token i: a military
 * word (military_targets) at most eight words before it in its clause, with
 * no people or group word after it ("Azerbaijani troops reached X", "les
 * forces sont entrées à X"): an advance, not people fleeing; "at the
 * checkpoint, 300 people arrived" stays one */
static bool forces_moving(const doc_state *s, size_t si, size_t i)
{
    size_t ca, cb;
    clause_of(s, si, i, &ca, &cb);
    bool forces = false;
    for (size_t k = i > ca + 8 ? i - 8 : ca; k < i; k++) {
        if (starts_cat(s, k, LX_MIL_TARGET))
            forces = true;
        else if (forces && (starts_cat(s, k, LX_PEOPLE) || starts_cat(s, k, LX_REGION_CTX)))
            forces = false;
    }
    return forces;
}

/* Is match m at token i usable? A fire noun (fire_nouns: "fire" alone)
 * only right after an actor: "Azerbaijani fire", "by Armenian fire", not
 * "a fire broke out" */
static bool match_ok(const doc_state *s, size_t i, const extp_match *m)
{
    if (m->cat != LX_SHELL_FIRE || m->val != EXTP_FIRE_NOUN)
        return true;
    for (size_t k = i > 4 ? i - 4 : 0; k < i; k++)
        for (size_t j = 0; j < s->nm[k]; j++)
            if (s->mt[k][j].cat == LX_ACTOR && k + (size_t)s->mt[k][j].len == i)
                return true;
    return false;
}

/* Does an irrealis_clauses phrase ("in case", "au cas où") start at k? */
static bool opens_irrealis_clause(const doc_state *s, size_t k)
{
    for (size_t m = 0; m < s->nm[k]; m++)
        if (s->mt[k][m].cat == LX_IRREALIS && s->mt[k][m].val == EXTP_IRREALIS_CLAUSE)
            return true;
    return false;
}

/* Is the trigger denied, negated or not real (a threat, a plan)? EXTP_MOD_*. */
static int modality_of(const doc_state *s, size_t si, const trigger *tr)
{
    size_t a, b;
    const extp_sentence *se = &s->t.sent[si];
    /* a question asks, it does not report (GUIDE.md): "Le Karabakh sera-t-il
     * bombardé ?", "Will Syunik be next?" */
    if (is_punct(s, se->end - 1, '?') &&
        !(se->end - se->first >= 2 && is_punct(s, se->end - 2, '.')))
        return EXTP_MOD_IRREALIS; /* ".?" is a scraping artefact, not a question */
    a = tr->ca;
    b = tr->cb;
    size_t from = tr->tok > se->first + 10 ? tr->tok - 10 : se->first;
    for (size_t k = from; k < tr->tok; k++) {
        if (starts_cat(s, k, LX_NEGATION)) {
            /* "a démenti ces informations et assuré que les combats..." : a
             * new statement between the denial and the trigger ends its scope */
            bool restated = false;
            for (size_t j = k + (size_t)match_len(s, k, LX_NEGATION); j < tr->tok; j++)
                restated |= starts_cat(s, j, LX_CLAIM_VERB);
            if (!restated)
                return EXTP_MOD_DENIAL;
        }
        if (k >= a && starts_cat(s, k, LX_NEG_PARTICLE) &&
            k + (size_t)match_len(s, k, LX_NEG_PARTICLE) + 2 >= tr->tok)
            return EXTP_MOD_NEG_PARTICLE;
        if (k >= a && k + 6 >= tr->tok && starts_cat(s, k, LX_IRREALIS))
            return EXTP_MOD_IRREALIS;
        /* "in case", "au cas où" (irrealis_clauses): the whole clause they
         * open, up to a comma, even past a clause word of their own ("où") */
        if (starts_cat(s, k, LX_IRREALIS) && opens_irrealis_clause(s, k)) {
            bool comma = false;
            for (size_t j = k; j < tr->tok && !comma; j++)
                comma = is_punct(s, j, ',') || is_punct(s, j, ';');
            if (!comma)
                return EXTP_MOD_IRREALIS;
        }
    }
    size_t to = tr->tok + tr->len + 8 < b ? tr->tok + tr->len + 8 : b;
    for (size_t k = tr->tok + tr->len; k < to; k++) {
        if (starts_cat(s, k, LX_NEGATION) && !starts_cat(s, k, LX_NEG_PARTICLE))
            return EXTP_MOD_DENIAL;
        /* a modal right after the trigger noun: "fighting could resume" */
        if (k < tr->tok + tr->len + 2 && starts_cat(s, k, LX_IRREALIS))
            return EXTP_MOD_IRREALIS;
    }
    return EXTP_MOD_NONE;
}

size_t extp_find_triggers(doc_state *s, size_t si, trigger *out, size_t max)
{
    const extp_sentence *se = &s->t.sent[si];
    size_t n = 0;
    /* "Lire aussi : ...", "Read more": links to other articles */
    if (starts_cat(s, se->first, LX_BOILERPLATE))
        return 0;
    /* weapons need an act (a strike, an attack, fire, fighting); fire needs a
     * weapon (otherwise it is small-arms fire, part of a clash) */
    int n_weapons = 0, n_fire = 0;
    bool strong_shell = false, attack = false, clash = false, shell_verb = false, evac_verb = false;
    bool any_shell = false;
    uint64_t cats = 0; /* categories that start at a token, outside non-triggers */
    for (size_t i = se->first; i < se->end; i++) {
        if (s->covers[i] & LX_BIT(LX_NOT_TRIGGER))
            continue;
        cats |= s->starts[i];
        if (starts_cat(s, i, LX_SHELL_WEAK))
            n_weapons++;
        if (starts_cat(s, i, LX_SHELL_FIRE))
            for (size_t k = 0; k < s->nm[i]; k++)
                if (s->mt[i][k].cat == LX_SHELL_FIRE && match_ok(s, i, &s->mt[i][k])) {
                    n_fire++;
                    break;
                }
    }
    const uint64_t trigger_cats =
        LX_BIT(LX_SHELL_STRONG) | LX_BIT(LX_SHELL_WEAK) | LX_BIT(LX_SHELL_FIRE) |
        LX_BIT(LX_SHELL_VERB) | LX_BIT(LX_CLASH_STRONG) | LX_BIT(LX_CLASH_WEAK) |
        LX_BIT(LX_CLASH_CAPTURE) |
        LX_BIT(LX_EVAC_STRONG) | LX_BIT(LX_EVAC_WEAK) | LX_BIT(LX_EVAC_VERB) | LX_BIT(LX_ATTACK);
    if (!(cats & trigger_cats))
        return 0; /* most sentences: nothing below can find a trigger */
    strong_shell = cats & LX_BIT(LX_SHELL_STRONG);
    attack = cats & LX_BIT(LX_ATTACK);
    clash = cats & LX_BIT(LX_CLASH_STRONG);
    shell_verb = cats & LX_BIT(LX_SHELL_VERB);
    /* a movement verb supports weak evacuation words; a departure verb
     * only with its group (below) */
    for (size_t i = se->first; i < se->end && (cats & LX_BIT(LX_EVAC_VERB)) && !evac_verb; i++) {
        bool dep;
        if (!(s->covers[i] & LX_BIT(LX_NOT_TRIGGER)) && move_verb(s, i, &dep) > 0)
            evac_verb = !dep || group_before(s, si, i);
    }
    any_shell = strong_shell || n_weapons > 0;
    /* "l'arrivée de 2906 personnes": a movement verb with a count of people */
    bool people_count = false;
    for (size_t i = se->first; i + 1 < se->end; i++)
        if ((s->t.tok[i].kind == TK_NUM || starts_cat(s, i, LX_NUMWORD)) &&
            (starts_cat(s, i + 1, LX_PEOPLE) ||
             (i + 2 < se->end && s->t.tok[i + 1].kind == TK_NUM && starts_cat(s, i + 2, LX_PEOPLE))))
            people_count = true;
    bool weapon_ok = strong_shell || attack || clash || shell_verb || n_fire > 0 || n_weapons > 1;
    bool fire_ok = strong_shell || n_weapons > 0;
    /* a capitalised trigger word inside a sentence is a name (the newspaper
     * Libération, an operation's name), unless the sentence is in title case */
    size_t words = 0, caps = 0;
    for (size_t i = se->first; i < se->end; i++)
        if (s->t.tok[i].kind == TK_WORD) {
            words++;
            caps += (s->t.tok[i].flags & TF_CAP) != 0;
        }
    bool title_case = words > 0 && caps * 5 >= words * 3;
    for (size_t i = se->first; i < se->end && n < max; i++) {
        if (s->covers[i] & LX_BIT(LX_NOT_TRIGGER))
            continue;
        /* ... but the word right after a dateline's or a lead's dash or
         * colon opens the sentence ("Goris, September 14 – Artillery fire
         * hit...", "KAPAN: Shelling resumed") */
        bool opens = i > se->first && s->t.tok[i - 1].kind == TK_PUNCT &&
                     (s->t.tok[i - 1].punct == 0x2013 || s->t.tok[i - 1].punct == 0x2014 ||
                      s->t.tok[i - 1].punct == ':');
        if (i > se->first && (s->t.tok[i].flags & TF_CAP) && !title_case && !opens)
            continue;
        int best_len = 0, type = -1, cat = -1;
        bool strong = false, is_attack = false;
        for (size_t k = 0; k < s->nm[i]; k++) {
            const extp_match *m = &s->mt[i][k];
            int ty = trigger_type_of(m->cat);
            bool att = m->cat == LX_ATTACK;
            if ((ty < 0 && !att) || m->len <= best_len || i + (size_t)m->len > se->end ||
                !match_ok(s, i, m))
                continue;
            best_len = m->len;
            type = ty;
            cat = m->cat;
            is_attack = att;
            strong = m->cat == LX_SHELL_STRONG || m->cat == LX_CLASH_STRONG ||
                     m->cat == LX_EVAC_STRONG;
        }
        /* a movement verb (arrivés, quitter, reached): with a count of people
         * it tells a displacement; alone ("des bus sont arrivés de X") only
         * where the story is one, which the model weighs */
        bool move_alone = false, departure = false;
        if (best_len == 0 && starts_cat(s, i, LX_EVAC_VERB)) {
            best_len = move_verb(s, i, &departure);
            if (departure && !group_before(s, si, i))
                continue; /* "left" with no group before it */
            if (forces_moving(s, si, i))
                continue; /* "troops reached X": an advance, not people fleeing */
            type = EXT_EVACUATION;
            cat = LX_EVAC_VERB;
            /* "Plusieurs familles ont quitté X": a group of people supports
             * the move as a count would */
            move_alone = !people_count && !departure && !group_before(s, si, i);
        }
        if (best_len == 0)
            continue;
        if (is_attack) {
            type = any_shell ? EXT_SHELLING : EXT_CLASH;
            strong = true;
        }
        trigger tr = {i, (size_t)best_len, type, strong, false, -1,
                      cat == LX_CLASH_WEAK || cat == LX_CLASH_CAPTURE, cat,
                      false, EXTP_MOD_NONE, any_shell, move_alone, false, 0, 0};
        if (cat == LX_SHELL_WEAK && !weapon_ok)
            tr.unsupported = true;
        if (cat == LX_SHELL_FIRE && !fire_ok)
            tr.unsupported = true;
        if (!strong && type == EXT_EVACUATION && !evac_verb) {
            /* "réfugiés du Karabakh", "refugees from X": a place right after */
            bool ok = false;
            size_t e = i + (size_t)best_len;
            size_t mi = extp_mention_at_or_after(s, e);
            if (mi < s->n_men && s->men[mi].sent == si && s->men[mi].t0 <= e + 3 &&
                (starts_cat(s, e, LX_GENITIVE) || starts_cat(s, e, LX_LOCATIVE)))
                ok = true;
            if (!ok)
                tr.unsupported = true;
        }
        /* "des positions, réfugiés et bastions": a noun among nouns, read
         * as an object, not an event; a comma or a list conjunction on each
         * side with a lower-case word beyond */
        {
            size_t e = i + (size_t)best_len;
            bool before = i > se->first + 1 &&
                          (is_punct(s, i - 1, ',') || ends_at(s, i, LX_LIST_CONJ, se->first) != (size_t)-1) &&
                          s->t.tok[i - 2].kind == TK_WORD && !(s->t.tok[i - 2].flags & TF_CAP);
            bool after = e + 1 < se->end && (is_punct(s, e, ',') || starts_cat(s, e, LX_LIST_CONJ)) &&
                         s->t.tok[e + 1].kind == TK_WORD && !(s->t.tok[e + 1].flags & TF_CAP);
            tr.in_list = before && after;
        }
        clause_of(s, si, tr.tok, &tr.ca, &tr.cb);
        tr.modality = modality_of(s, si, &tr);
        tr.dead = tr.unsupported || tr.modality != EXTP_MOD_NONE;
        out[n++] = tr;
        i += (size_t)best_len - 1;
    }
    return n;
}
