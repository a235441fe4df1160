/* mentions.c -- toponyms in the text: capitalised words and place-noun
 * phrases probed against the gazetteer (longest name first, then by
 * transliteration key), what is not a place (a person, part of an actor's
 * name), and the cues around each mention that tell its role (locative,
 * blocked, near, kind nouns, lists, a place that speaks). */
#include "mentions.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cx_text.h"
#include "lexicon.h"
#include "resolve.h"
#include "state.h"

/* ===== Toponym spotting ===== */

static int push_mention(doc_state *s, const extp_mention *m)
{
    if (s->n_men == s->cap_men) {
        size_t cap = s->cap_men ? s->cap_men * 2 : 32;
        extp_mention *p = realloc(s->men, cap * sizeof *p);
        if (!p)
            return CX_ENOMEM;
        s->men = p;
        s->cap_men = cap;
    }
    /* the candidates in use only: a mention is 4 KB with all eight */
    memcpy(&s->men[s->n_men++], m, EXTP_MENTION_SIZE(m->n));
    return 0;
}

static bool joinable(const doc_state *s, size_t j)
{
    const extp_token *tk = &s->t.tok[j];
    if (tk->kind == TK_PUNCT || (tk->flags & TF_NL))
        return false;
    return (tk->flags & (TF_SEP_SPACE | TF_SEP_HYPHEN)) != 0;
}


static bool cap_word(const doc_state *s, size_t i)
{
    return i < s->t.n && s->t.tok[i].kind == TK_WORD && (s->t.tok[i].flags & TF_CAP);
}

/* The folded key of tokens [i, i+len) into s->key. */
static int build_key(doc_state *s, size_t i, size_t len)
{
    cx_buf_reset(&s->key);
    for (size_t k = i; k < i + len; k++) {
        if (k > i && cx_buf_putc(&s->key, ' ') != 0)
            return CX_ENOMEM;
        if (cx_buf_append(&s->key, extp_fold(&s->t, k), s->t.tok[k].fold_len) != 0)
            return CX_ENOMEM;
    }
    return 0;
}

/* A mention of tokens [t0, t1) of sentence si, with no candidate yet. */
static void mention_init(extp_mention *m, size_t si, size_t t0, size_t t1)
{
    memset(m, 0, EXTP_MENTION_SIZE(0));
    m->sent = si;
    m->t0 = t0;
    m->t1 = t1;
    m->chosen = -1;
    m->list = -1;
}

static int lookup_into(doc_state *s, size_t t0, size_t t1, extp_mention *m)
{
    char surface[sizeof m->surface];
    copy_surface(s, t0, t1, surface, sizeof surface);
    size_t n = 0;
    if (s->gaz->lookup(s->gaz->ctx, surface, strlen(surface), m->cand, MAX_CANDS, &n) != 0)
        n = 0;
    m->n = n;
    memcpy(m->surface, surface, sizeof surface);
    return 0;
}

/* The start of the list member before [t0, ..): over "," or a list
 * conjunction, a capitalised run; (size_t)-1 when none. */
static size_t prev_member(const doc_state *s, size_t lo, size_t t0)
{
    size_t k = t0;
    size_t g = ends_at(s, k, LX_GENITIVE, lo); /* "les villes de X, d'Y" */
    if (g != (size_t)-1 && k - g == 1)
        k = g;
    bool sep = false;
    if (k > lo && is_punct(s, k - 1, ',')) {
        k--;
        sep = true;
    }
    size_t c = ends_at(s, k, LX_LIST_CONJ, lo);
    if (c != (size_t)-1) {
        k = c;
        sep = true;
    }
    if (!sep)
        return (size_t)-1;
    if (k > lo && is_punct(s, k - 1, ',')) /* "X, and Y" */
        k--;
    if (k == lo || !cap_word(s, k - 1))
        return (size_t)-1;
    k--;
    while (k > lo && cap_word(s, k - 1) && joinable(s, k))
        k--;
    return k;
}

/* The first token of the list member after the one ending at k ("X, Y",
 * "X and Y", "X, et Y"), or (size_t)-1: no capitalised word follows a
 * comma or a conjunction there. */
static size_t next_member(const doc_state *s, const extp_sentence *se, size_t k)
{
    size_t j = k;
    if (j < se->end && is_punct(s, j, ','))
        j++;
    if (j < se->end && starts_cat(s, j, LX_LIST_CONJ))
        j += (size_t)match_len(s, j, LX_LIST_CONJ);
    if (j == k || j >= se->end || !cap_word(s, j))
        return (size_t)-1;
    return j;
}

/* Is the capitalised run [t0, t1) introduced as a place? A place noun
 * before it through a genitive or directly ("the village of X", "les
 * villages de X", "village X"), a settlement noun after it ("X village"),
 * the same for the head or the tail of the list it is in ("les villages de
 * X, Y et Z", "X, Y and Z villages"), or a unit right after it ("X, in the
 * Y district", "X (Y region)"). */
static bool introduced_as_place(const doc_state *s, size_t si, size_t t0, size_t t1)
{
    const extp_sentence *se = &s->t.sent[si];
    size_t lo = se->first;
    /* an apposition, not a list ("the town of Martakert, Vardan Petrosyan,
     * said"): a member joined by a bare comma must be followed by another
     * member, as lists end with a conjunction ("A, B and C") */
    if (t0 > lo && is_punct(s, t0 - 1, ',') && next_member(s, se, t1) == (size_t)-1)
        return false;
    /* the head of the list */
    size_t h = t0;
    for (int guard = 0; guard < 12; guard++) {
        size_t pm = prev_member(s, lo, h);
        if (pm == (size_t)-1)
            break;
        h = pm;
    }
    size_t end = skip_dets_back(s, h, lo);
    size_t g = ends_at(s, end, LX_GENITIVE, lo);
    if (g != (size_t)-1)
        end = skip_dets_back(s, g, lo);
    for (size_t b = (end > 3 ? end - 3 : 0); b < end; b++)
        if (b >= lo && (starts_cat(s, b, LX_SETTLEMENT_NOUN) || starts_cat(s, b, LX_REGION_NOUN)) &&
            b + (size_t)match_len(s, b, LX_PLACE_NOUN) == end)
            return true;
    /* the tail of the list, then a settlement noun */
    size_t k = t1;
    for (int guard = 0; guard < 12 && k < se->end; guard++) {
        if (starts_cat(s, k, LX_SETTLEMENT_NOUN))
            return true;
        size_t j = next_member(s, se, k);
        if (j == (size_t)-1)
            break;
        while (j < se->end && cap_word(s, j))
            j++;
        k = j;
    }
    /* "X, in the Y district", "X (Y region)" */
    bool comma = t1 + 1 < se->end && is_punct(s, t1, ',') && starts_cat(s, t1 + 1, LX_LOCATIVE) &&
                 !starts_cat(s, t1 + 1, LX_GENITIVE);
    if (comma || (t1 < se->end && is_punct(s, t1, '(')))
        for (size_t j = t1 + 1; j < se->end && j <= t1 + 5; j++) {
            if (starts_cat(s, j, LX_REGION_NOUN))
                return true;
            if (is_punct(s, j, -1))
                break;
        }
    return false;
}

/* Is [a, b) a name the gazetteer knows exactly as a settlement of the
 * theatre's core? */
static int known_village(doc_state *s, size_t a, size_t b, bool *yes)
{
    *yes = false;
    if (build_key(s, a, b - a) != 0)
        return CX_ENOMEM;
    int mask = s->gaz->probe(s->gaz->ctx, s->key.data, s->key.len);
    if (mask < 0 || !(mask & 1))
        return 0;
    extp_mention m;
    mention_init(&m, 0, a, b);
    lookup_into(s, a, b, &m);
    /* a capital in a list stands for its government more often than it
     * neighbours villages ("près d'X, Bakou accuse Erevan") */
    for (size_t c = 0; c < m.n && !*yes; c++)
        *yes = m.cand[c].match == CX_MATCH_EXACT && extp_in_core(s->lex, &m.cand[c]) &&
               !extp_is_region(&m.cand[c]) && strcmp(m.cand[c].fcode, "PPLC") != 0;
    return 0;
}

/* Is the capitalised run [t0, t1) a member of a list of places ("X, Y and
 * Sotk", "Sotk, X et Y") whose other member is a village of the theatre the
 * gazetteer knows by its exact name? Then the list is one of villages and
 * the run one of them, perhaps one the gazetteer lacks. */
static int listed_with_village(doc_state *s, size_t si, size_t t0, size_t t1, bool *yes)
{
    const extp_sentence *se = &s->t.sent[si];
    size_t lo = se->first;
    *yes = false;
    /* a list has a conjunction ("X, Y and Z"; "X, Y said" is no list) */
    size_t a = t0, b = t1;
    for (size_t h = t0, pm; (pm = prev_member(s, lo, h)) != (size_t)-1; h = pm)
        a = pm;
    for (size_t k = t1; k < se->end && k < t1 + 40; k++) {
        if (!cap_word(s, k) && !is_punct(s, k, ',') && !starts_cat(s, k, LX_LIST_CONJ))
            break;
        b = k + 1;
    }
    bool conj = false;
    for (size_t k = a; k < b && !conj; k++)
        conj = starts_cat(s, k, LX_LIST_CONJ) != 0;
    if (!conj)
        return 0;
    /* members before */
    size_t h = t0;
    for (int guard = 0; guard < 12 && !*yes; guard++) {
        size_t pm = prev_member(s, lo, h);
        if (pm == (size_t)-1)
            break;
        size_t e = pm;
        while (e < h && cap_word(s, e))
            e++;
        if (known_village(s, pm, e, yes) != 0)
            return CX_ENOMEM;
        h = pm;
    }
    /* members after */
    size_t k = t1;
    for (int guard = 0; guard < 12 && k < se->end && !*yes; guard++) {
        size_t j = next_member(s, se, k);
        if (j == (size_t)-1)
            break;
        size_t e = j;
        while (e < se->end && e - j < 4 && cap_word(s, e) && (e == j || joinable(s, e)))
            e++;
        if (known_village(s, j, e, yes) != 0)
            return CX_ENOMEM;
        k = e;
    }
    return 0;
}

int extp_spot_sentence(doc_state *s, size_t si)
{
    const extp_sentence *se = &s->t.sent[si];
    for (size_t i = se->first; i < se->end; i++) {
        const extp_token *tk = &s->t.tok[i];
        if (tk->kind != TK_WORD)
            continue;
        bool cap = (tk->flags & TF_CAP) != 0;
        bool lower_start = !cap && (starts_cat(s, i, LX_PLACE_NOUN) || starts_cat(s, i, LX_WATER_NOUN));
        if (!cap && !lower_start)
            continue;
        if (starts_cat(s, i, LX_NOT_PLACE)) {
            i += (size_t)match_len(s, i, LX_NOT_PLACE) - 1;
            continue;
        }
        /* longest gazetteer name starting here */
        size_t best = 0;
        for (size_t len = 1; len <= MAX_NGRAM && i + len <= se->end; len++) {
            size_t j = i + len - 1;
            if (len > 1 && !joinable(s, j))
                break;
            if (s->t.tok[j].kind == TK_PUNCT)
                break;
            if (build_key(s, i, len) != 0)
                return CX_ENOMEM;
            int mask = s->gaz->probe(s->gaz->ctx, s->key.data, s->key.len);
            if (mask < 0)
                mask = 0;
            if (mask & 1)
                best = len;
            if (!(mask & 2))
                break;
        }
        if (lower_start && best < 2)
            continue;
        /* the capitalised run this word belongs to */
        size_t run_end = i + 1;
        while (run_end < se->end && run_end - i <= 4 && cap_word(s, run_end) && joinable(s, run_end))
            run_end++;
        bool is_func = starts_cat(s, i, LX_FUNCTION) && match_len(s, i, LX_FUNCTION) == 1;
        if (best == 0) {
            /* not a known name: a transliteration may still meet one, for
             * a capitalised run that is not a function word or an actor */
            bool known_word = false;
            for (size_t k = i; k < run_end; k++)
                known_word |= s->nm[k] > 0 || s->covers[k] != 0;
            if (!cap || is_func || known_word || run_end - i > 4 || (tk->flags & TF_ALLCAP) ||
                s->t.tok[i].fold_len < 3)
                continue;
            extp_mention m;
            mention_init(&m, si, i, run_end);
            m.introduced = introduced_as_place(s, si, i, run_end);
            if (!m.introduced && s->t.tok[i].fold_len >= 4) {
                /* "Shelling hit X, Y and Sotk": listed with a known village */
                bool listed = false;
                if (listed_with_village(s, si, i, run_end, &listed) != 0)
                    return CX_ENOMEM;
                m.introduced = listed;
            }
            if (s->t.tok[i].fold_len < 4 && !m.introduced)
                continue;
            lookup_into(s, i, run_end, &m);
            size_t keep = 0;
            /* theatre first: a transliteration key never carries a match
             * outside the theatre's core (its focus countries) */
            for (size_t c = 0; c < m.n; c++)
                if (m.cand[c].match == CX_MATCH_TRANSLIT && extp_in_core(s->lex, &m.cand[c]))
                    m.cand[keep++] = m.cand[c];
            m.n = keep;
            m.translit = keep > 0;
            /* a place the gazetteer lacks: kept without candidates, placed
             * at its enclosing unit after resolution (extp_place_unplaced) */
            if ((keep || m.introduced) && push_mention(s, &m) != 0)
                return CX_ENOMEM;
            i = run_end - 1;
            continue;
        }
        /* a longer capitalised run introduced as a place whose head alone
         * is a known name ("le village de Nor Maragha": Nor is an alternate
         * name of Niort): the run is the place, one the gazetteer may lack */
        if (cap && !is_func && run_end > i + best && run_end - i <= 4) {
            bool known_word = false;
            for (size_t k = i + best; k < run_end; k++)
                known_word |= s->nm[k] > 0 || s->covers[k] != 0 || starts_cat(s, k, LX_PLACE_NOUN);
            if (!known_word && introduced_as_place(s, si, i, run_end)) {
                extp_mention m;
                mention_init(&m, si, i, run_end);
                m.introduced = true;
                lookup_into(s, i, run_end, &m);
                size_t keep = 0;
                for (size_t c = 0; c < m.n; c++) {
                    bool exact = m.cand[c].match == CX_MATCH_EXACT;
                    if (exact ? extp_in_theatre(s->lex, &m.cand[c]) : extp_in_core(s->lex, &m.cand[c]))
                        m.cand[keep++] = m.cand[c];
                }
                m.n = keep;
                m.translit = keep > 0 && m.cand[0].match != CX_MATCH_EXACT;
                if (push_mention(s, &m) != 0)
                    return CX_ENOMEM;
                i = run_end - 1;
                continue;
            }
        }
        if (is_func && best == 1)
            continue;
        extp_mention m;
        mention_init(&m, si, i, i + best);
        /* inside a longer capitalised name: a person or an organisation */
        if (i > se->first && cap_word(s, i - 1) && joinable(s, i) &&
            !(s->t.tok[i - 1].flags & TF_NL)) {
            /* a place of the theatre right before ("Goris Sotk" in a
             * headline); a name known only abroad is a first name ("Armen
             * Martuni said": Armen is a village of Albania) */
            bool prev_is_mention = false;
            if (s->n_men && s->men[s->n_men - 1].t1 == i) {
                const extp_mention *pm = &s->men[s->n_men - 1];
                prev_is_mention = pm->n == 0 && pm->introduced;
                for (size_t c = 0; c < pm->n && !prev_is_mention; c++)
                    prev_is_mention = extp_in_theatre(s->lex, &pm->cand[c]);
            }
            bool prev_func = starts_cat(s, i - 1, LX_FUNCTION);
            if (!prev_is_mention && !prev_func && !(s->covers[i - 1] & LX_BIT(LX_ACTOR)))
                m.person = true;
        }
        if (m.t1 < se->end && cap_word(s, m.t1) && joinable(s, m.t1) &&
            !(s->covers[m.t1] & LX_BIT(LX_ACTOR)) && !starts_cat(s, m.t1, LX_FUNCTION) &&
            !(s->t.tok[m.t1].flags & TF_SEP_HYPHEN) &&
            !starts_cat(s, m.t1, LX_PLACE_NOUN)) /* "Verin Shorzha Village" in a headline */
            m.person = true;
        if (i > se->first && ends_at(s, i, LX_PERSON_TITLE, se->first) != (size_t)-1)
            m.person = true;
        /* a lower-case word glued by a hyphen makes the name a modifier
         * ("the Stepanakert-based service", "a Moscow-brokered truce"): the
         * seat of an organisation, not a place of the map */
        m.modifier = m.t1 < se->end && s->t.tok[m.t1].kind == TK_WORD &&
                     (s->t.tok[m.t1].flags & TF_SEP_HYPHEN) && !(s->t.tok[m.t1].flags & TF_CAP);
        /* part of a multi-word actor name (an army, a ministry) */
        for (size_t st = (i >= 5 ? i - 5 : 0); st <= i; st++)
            for (size_t k = 0; k < s->nm[st]; k++)
                if (s->mt[st][k].cat == LX_ACTOR && s->mt[st][k].len >= 2 &&
                    st + (size_t)s->mt[st][k].len >= m.t1 && !(st == i && (size_t)s->mt[st][k].len == best))
                    m.in_actor = true;
        lookup_into(s, m.t0, m.t1, &m);
        /* theatre first: a match that is not exact never carries a place
         * outside the theatre's core (its focus countries); a name
         * introduced as a place whose only matches are outside the theatre
         * is a place the gazetteer lacks */
        {
            size_t keep = 0;
            bool inside = false;
            m.introduced = !m.person && !m.in_actor && introduced_as_place(s, si, m.t0, m.t1);
            /* a key of a name of three letters meets too much ("Sus" took
             * Shusha): as for a name the gazetteer lacks, only when the
             * text introduces it as a place */
            bool key_ok = m.introduced || m.t1 > m.t0 + 1 || s->t.tok[m.t0].fold_len >= 4;
            for (size_t c = 0; c < m.n; c++) {
                bool in = extp_in_theatre(s->lex, &m.cand[c]);
                bool exact = m.cand[c].match == CX_MATCH_EXACT;
                bool key = !exact && key_ok && extp_in_core(s->lex, &m.cand[c]);
                inside |= in && (exact || key);
                if (exact || key)
                    m.cand[keep++] = m.cand[c];
            }
            m.n = keep;
            if (!inside && m.introduced) {
                /* a namesake abroad by its exact name, not one a key met:
                 * then its unit must be in its own sentence (find_unit) */
                m.elsewhere = keep > 0;
                m.n = 0;
            }
        }
        if ((m.n || m.introduced) && push_mention(s, &m) != 0)
            return CX_ENOMEM;
        i = m.t1 - 1;
    }
    return 0;
}

/* ===== Cues around each toponym ===== */


static void set_noun_cues(const doc_state *s, size_t st, extp_mention *m)
{
    if (starts_cat(s, st, LX_REGION_NOUN))
        m->region_cue = true;
    if (starts_cat(s, st, LX_SETTLEMENT_NOUN))
        m->settlement_cue = true;
    if (starts_cat(s, st, LX_WATER_NOUN))
        m->water_cue = true;
}


void extp_compute_cues(doc_state *s, size_t mi)
{
    extp_mention *m = &s->men[mi];
    const extp_sentence *se = &s->t.sent[m->sent];
    size_t lo = se->first;
    m->status = ST_NEUTRAL;
    /* a list: "X, Y et Z" continues the previous mention's status */
    if (mi > 0) {
        extp_mention *pv = &s->men[mi - 1];
        if (pv->sent == m->sent && pv->t1 < m->t0 && m->t0 - pv->t1 <= 2) {
            bool sep = true;
            for (size_t k = pv->t1; k < m->t0; k++)
                if (!(is_punct(s, k, ',') || starts_cat(s, k, LX_LIST_CONJ) ||
                      starts_cat(s, k, LX_DETERMINER) || starts_cat(s, k, LX_GENITIVE)))
                    sep = false;
            if (sep && !is_punct(s, pv->t1, ',') ? sep : sep) {
                if (sep) {
                    m->list = pv->list >= 0 ? pv->list : (int)(mi - 1);
                    const extp_mention *head = &s->men[m->list];
                    m->status = head->status;
                    m->near = head->near;
                    m->region_cue = head->region_cue;
                    m->settlement_cue = head->settlement_cue;
                    if (m->status == ST_BLOCKED)
                        m->status = ST_BLOCKED;
                    return;
                }
            }
        }
    }
    size_t end = skip_dets_back(s, m->t0, lo);
    if (end == lo) {
        m->status = ST_NEUTRAL;
        goto after;
    }
    size_t st;
    if ((st = ends_at(s, end, LX_CLAIM_BEFORE, lo)) != (size_t)-1) {
        /* "according to Stepanakert", "selon Bakou": who says it, not where */
        m->status = ST_BLOCKED;
        m->claimant = true;
        goto after;
    }
    if ((st = ends_at(s, end, LX_NONLOC_HEAD, lo)) != (size_t)-1) {
        m->status = ST_BLOCKED;
        goto after;
    }
    if ((st = ends_at(s, end, LX_NEAR, lo)) != (size_t)-1) {
        m->status = ST_LOCATIVE;
        m->near = true;
        goto after;
    }
    if ((st = ends_at(s, end, LX_GENITIVE, lo)) != (size_t)-1) {
        /* "de X": locative when the head is a place noun or a trigger */
        size_t k = skip_dets_back(s, st, lo);
        for (int hop = 0; hop < 5 && k > lo; hop++) {
            size_t h;
            if ((h = ends_at(s, k, LX_NONLOC_HEAD, lo)) != (size_t)-1) {
                m->status = ST_BLOCKED;
                goto after;
            }
            for (size_t b = (k > 4 ? k - 4 : 0); b < k; b++) {
                if (b < lo)
                    continue;
                if (starts_cat(s, b, LX_PLACE_NOUN) && b + (size_t)match_len(s, b, LX_PLACE_NOUN) == k) {
                    m->status = ST_LOCATIVE;
                    set_noun_cues(s, b, m);
                    if (starts_cat(s, b, LX_NEAR)) /* "les abords de X" */
                        m->near = true;
                    if (starts_cat(s, b, LX_PLACE_NOUN) && s->t.tok[b].kind == TK_WORD) {
                        /* "capitale de X" names a city of X when X is a region */
                        const char *f = extp_fold(&s->t, b);
                        (void)f;
                    }
                    goto after;
                }
            }
            if (trigger_token(s, k - 1)) {
                m->status = ST_LOCATIVE;
                goto after;
            }
            if (is_punct(s, k - 1, -1))
                break;
            if (s->t.tok[k - 1].flags & TF_CAP)
                break;
            k--;
            if (ends_at(s, k, LX_LOCATIVE, lo) != (size_t)-1 && ends_at(s, k, LX_GENITIVE, lo) == (size_t)-1)
                break;
        }
        m->status = ST_NEUTRAL;
        goto after;
    }
    if ((st = ends_at(s, end, LX_LOCATIVE, lo)) != (size_t)-1) {
        /* "des sources à Bakou", "authorities in X": where a source sits; it
         * disqualifies a capital (see usable()) */
        size_t hb = skip_dets_back(s, st, lo);
        m->source_loc = ends_at(s, hb, LX_NONLOC_HEAD, lo) != (size_t)-1;
        m->status = ST_LOCATIVE;
        goto after;
    }
    /* adjectives between the cue and the name: "over the disputed X" */
    {
        size_t k = end;
        for (int hop = 0; hop < 2 && k > lo; hop++) {
            const extp_token *pt = &s->t.tok[k - 1];
            if (pt->kind != TK_WORD || (pt->flags & TF_CAP) || s->covers[k - 1] != 0)
                break;
            k = skip_dets_back(s, k - 1, lo);
            if (ends_at(s, k, LX_NONLOC_HEAD, lo) != (size_t)-1 ||
                ends_at(s, k, LX_AGENT, lo) != (size_t)-1 ||
                ends_at(s, k, LX_CLAIM_BEFORE, lo) != (size_t)-1) {
                m->status = ST_BLOCKED;
                goto after;
            }
            if (ends_at(s, k, LX_LOCATIVE, lo) != (size_t)-1 &&
                ends_at(s, k, LX_GENITIVE, lo) == (size_t)-1) {
                m->status = ST_LOCATIVE;
                goto after;
            }
        }
    }
    /* apposition: "sa capitale, Stepanakert" */
    if (is_punct(s, end - 1, ',') && end - 1 > lo) {
        size_t k = end - 1;
        for (size_t b = (k > 3 ? k - 3 : 0); b < k; b++)
            if (b >= lo && starts_cat(s, b, LX_PLACE_NOUN) &&
                b + (size_t)match_len(s, b, LX_PLACE_NOUN) == k) {
                m->status = ST_LOCATIVE;
                set_noun_cues(s, b, m);
                goto after;
            }
    }
    /* a place noun right before: "lac Sevan", "village Sotk" */
    for (size_t b = (end > 3 ? end - 3 : 0); b < end; b++)
        if (b >= lo && starts_cat(s, b, LX_PLACE_NOUN) &&
            b + (size_t)match_len(s, b, LX_PLACE_NOUN) == end) {
            m->status = ST_LOCATIVE;
            set_noun_cues(s, b, m);
            goto after;
        }
after:
    /* a noun right after: "Terter district", "Gegharkunik district" */
    if (m->t1 < se->end) {
        if (starts_cat(s, m->t1, LX_REGION_NOUN))
            m->region_cue = true;
        if (starts_cat(s, m->t1, LX_SETTLEMENT_NOUN))
            m->settlement_cue = true;
    }
    /* "capitale de X": X is where the capital is, not the place meant */
    size_t e2 = skip_dets_back(s, m->t0, lo);
    size_t g = ends_at(s, e2, LX_GENITIVE, lo);
    if (g != (size_t)-1) {
        size_t k = skip_dets_back(s, g, lo);
        for (size_t b = (k > 3 ? k - 3 : 0); b < k; b++)
            if (b >= lo && starts_cat(s, b, LX_PLACE_NOUN) &&
                b + (size_t)match_len(s, b, LX_PLACE_NOUN) == k && !starts_cat(s, b, LX_REGION_NOUN) &&
                !starts_cat(s, b, LX_SETTLEMENT_NOUN) && !starts_cat(s, b, LX_WATER_NOUN))
                m->capital_of = true;
    }
    /* a place that speaks: "Bakou a dénoncé", "Moscow said" (not an incise:
     * "évacués vers Vayk, a précisé la mairie") */
    for (size_t k = m->t1; k < se->end && k <= m->t1 + 3; k++) {
        if (is_punct(s, k, -1))
            break;
        if (starts_cat(s, k, LX_CLAIM_VERB)) {
            m->speaker = true;
            /* the name itself is the subject: the verb right after it, or
             * after one closed-class word ("Stepanakert has accused"), not
             * a group it qualifies ("Karabakh officials said") */
            m->speaks_subject = k == m->t1 || (k == m->t1 + 1 && starts_cat(s, m->t1, LX_FUNCTION) &&
                                               !(s->t.tok[m->t1].flags & TF_CAP));
            /* "the mayor of X said": the mayor speaks */
            if (ends_at(s, skip_dets_back(s, m->t0, lo), LX_GENITIVE, lo) != (size_t)-1)
                m->speaks_subject = false;
            break;
        }
    }
}

static uint64_t fold_hash(const char *f, size_t n)
{
    uint64_t h = 1469598103934665603u; /* FNV-1a */
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)f[i]) * 1099511628211u;
    return h;
}

/* The hashes of the document's lower-case words, in a hash set built once
 * (open addressing, at most half full; 0 marks an empty slot and the last
 * element says whether a word hashed to 0): asking for every
 * sentence-initial name by scanning the text cost the square of a long
 * text's length, and sorting the words cost more than the rest of the check. */
static int build_lower(doc_state *s)
{
    s->lower_ready = true;
    size_t n_words = 0;
    for (size_t i = 0; i < s->t.n; i++)
        n_words += s->t.tok[i].kind == TK_WORD && !(s->t.tok[i].flags & TF_CAP);
    size_t ns = 16;
    while (ns < 2 * n_words)
        ns <<= 1;
    s->lower = calloc(ns + 1, sizeof *s->lower);
    if (!s->lower)
        return CX_ENOMEM;
    s->n_lower = ns;
    for (size_t i = 0; i < s->t.n; i++) {
        const extp_token *tk = &s->t.tok[i];
        if (tk->kind != TK_WORD || (tk->flags & TF_CAP))
            continue;
        uint64_t h = fold_hash(extp_fold(&s->t, i), tk->fold_len);
        if (h == 0) {
            s->lower[ns] = 1;
            continue;
        }
        size_t j = (size_t)(h ^ (h >> 32)) & (ns - 1);
        while (s->lower[j] && s->lower[j] != h)
            j = (j + 1) & (ns - 1);
        s->lower[j] = h;
    }
    return 0;
}

bool extp_common_word(doc_state *s, const extp_mention *m)
{
    if (m->t1 != m->t0 + 1)
        return false;
    if (!s->lower_ready && build_lower(s) != 0)
        return false; /* out of memory: keep the name */
    uint64_t h = fold_hash(extp_fold(&s->t, m->t0), s->t.tok[m->t0].fold_len);
    size_t ns = s->n_lower;
    if (h == 0)
        return s->lower[ns] != 0;
    for (size_t j = (size_t)(h ^ (h >> 32)) & (ns - 1); s->lower[j]; j = (j + 1) & (ns - 1))
        if (s->lower[j] == h)
            return true;
    return false;
}

bool extp_is_dateline(const doc_state *s, const extp_mention *m)
{
    const extp_sentence *se = &s->t.sent[m->sent];
    if (m->t0 != se->first || se->para == 0 || m->t1 >= se->end)
        return false;
    if (m->sent > 0 && s->t.sent[m->sent - 1].para == se->para)
        return false;
    if (!is_punct(s, m->t1, ',') && !is_punct(s, m->t1, '('))
        return false;
    for (size_t k = m->t1; k < se->end && k < m->t1 + 12; k++) {
        const extp_token *tk = &s->t.tok[k];
        if (tk->kind == TK_PUNCT) {
            uint32_t c = tk->punct;
            if (c == 0x2014 || c == 0x2013 || c == '-')
                return k > m->t1;
            continue;
        }
        /* "Arménie", "AP", "14", "oct": names, agencies, dates; a verb or a
         * common word means the sentence has begun */
        if (tk->kind == TK_WORD && !(tk->flags & TF_CAP) && tk->fold_len > 4)
            return false;
    }
    return false;
}

/* ===== Places the gazetteer lacks ===== */

/* Can mention j stand for the unit enclosing another place: a region,
 * province or district of the theatre, or a district's seat named as the
 * district ("in the Goranboy region")? */
static bool unit_mention(const doc_state *s, const extp_mention *u)
{
    if (u->chosen < 0 || u->unplaced || u->person || u->in_actor)
        return false;
    const cx_place *p = &u->cand[u->chosen];
    if (!extp_in_theatre(s->lex, p) || p->kind == CX_KIND_COUNTRY || p->kind == CX_KIND_OTHER ||
        p->kind == CX_KIND_WATER)
        return false;
    return u->region_cue || p->kind == CX_KIND_ADMIN1 || p->kind == CX_KIND_ADMIN2 ||
           p->kind == CX_KIND_REGION;
}

static int list_of(const extp_mention *men, size_t k)
{
    return men[k].list >= 0 ? men[k].list : (int)k;
}

/* A village of the theatre listed with mention k and known by its own name
 * ("the villages of Hadrut, X and Y"), or -1: a sibling matched only by a
 * transliteration key is as uncertain as the village itself (not for
 * districts: "the districts of X, Y and Z" are distinct areas). */
static int known_sibling(const doc_state *s, size_t k)
{
    const extp_mention *m = &s->men[k];
    for (size_t j = 0; j < s->n_men && (m->settlement_cue || m->introduced) && !m->region_cue; j++) {
        const extp_mention *u = &s->men[j];
        if (u->sent == m->sent && j != k && list_of(s->men, j) == list_of(s->men, k) &&
            u->chosen >= 0 && !u->unplaced && !u->person && !u->in_actor && !u->translit &&
            u->cand[u->chosen].match == CX_MATCH_EXACT &&
            extp_in_theatre(s->lex, &u->cand[u->chosen]) &&
            !extp_is_region(&u->cand[u->chosen]))
            return (int)j;
    }
    return -1;
}

/* Is the sibling's point inside unit u's area (its radius, 30 km for a
 * district named by its seat, and 10 km of slack)? */
static bool sibling_inside(const doc_state *s, int sib, int u)
{
    const cx_place *sp = &s->men[sib].cand[s->men[sib].chosen];
    const cx_place *up = &s->men[u].cand[s->men[u].chosen];
    double reach = (up->radius_km > 0 ? up->radius_km : 30) + 10;
    return extp_distance_km(sp->lat, sp->lon, up->lat, up->lon) <= reach;
}

static int find_unit(const doc_state *s, size_t k)
{
    const extp_mention *m = &s->men[k];
    int before = -1, after = -1;
    for (size_t j = 0; j < s->n_men; j++) {
        const extp_mention *u = &s->men[j];
        /* a member of the same list is a sibling, not the unit ("les
         * districts de X, Y et Z") */
        if (u->sent != m->sent || j == k || !unit_mention(s, u) ||
            list_of(s->men, j) == list_of(s->men, k))
            continue;
        if (u->t0 >= m->t1) {
            after = (int)j; /* "X, in the Y district", "villages of Y district" */
            break;
        }
        before = (int)j;
    }
    int unit = after >= 0 ? after : before;
    if (m->elsewhere)
        return unit; /* a namesake abroad needs its unit in its own sentence */
    /* the smallest enclosure the text gives: a village listed with it that
     * the gazetteer knows, inside the unit ("Avetaranots, X and Y villages
     * ... of Artsakh" is Avetaranots' point, not Karabakh's centre), else
     * the unit, else that village */
    int sib = known_sibling(s, k);
    if (sib >= 0 && (unit < 0 || sibling_inside(s, sib, unit)))
        return sib;
    if (unit >= 0)
        return unit;
    const extp_sentence *se = &s->t.sent[m->sent];
    for (size_t j = k; j-- > 0;) {
        const extp_mention *u = &s->men[j];
        if (s->t.sent[u->sent].para != se->para)
            break;
        if (unit_mention(s, u))
            return (int)j;
    }
    return -1;
}

static int note_name(cx_buf *names, const char *name, const char *unit)
{
    char item[256];
    if (unit[0])
        snprintf(item, sizeof item, "%s (%s)", name, unit);
    else
        snprintf(item, sizeof item, "%s", name);
    /* once per document */
    size_t n = strlen(item);
    for (const char *p = names->data ? strstr(names->data, item) : NULL; p; p = strstr(p + 1, item))
        if ((p == names->data || p[-1] == ' ') && (p[n] == '\0' || p[n] == ';'))
            return 0;
    if (names->len && cx_buf_puts(names, "; ") != 0)
        return CX_ENOMEM;
    return cx_buf_puts(names, item);
}

/* "Sarnaghbyur, in the Askeran region", when the gazetteer's only
 * Sarnaghbyur lies hundreds of km from Askeran: the unit the sentence gives
 * after the name says the gazetteer does not hold the place meant. */
static bool contradicted_by_unit(const doc_state *s, size_t k)
{
    const extp_mention *m = &s->men[k];
    if (m->chosen < 0 || m->n == 0)
        return false;
    const cx_place *p = &m->cand[m->chosen];
    /* a village known only by a transliteration key ("les villages de
     * Djafarabad, ..." meeting an Armavir namesake): any unit its sentence
     * or paragraph gives outweighs it when far from it */
    if (p->match != CX_MATCH_EXACT && !extp_is_region(p) && m->settlement_cue && !m->region_cue) {
        int u = find_unit(s, k);
        if (u >= 0) {
            const cx_place *up = &s->men[u].cand[s->men[u].chosen];
            double reach = (up->radius_km > 0 ? up->radius_km : 30) + 40;
            return extp_distance_km(p->lat, p->lon, up->lat, up->lon) > reach;
        }
    }
    if (extp_is_region(p) || !m->settlement_cue || m->region_cue)
        return false;
    for (size_t j = k + 1; j < s->n_men && s->men[j].sent == m->sent; j++) {
        const extp_mention *u = &s->men[j];
        if (u->t0 > m->t1 + 4)
            break;
        /* a unit named as one right after: "in the Y region", "of Y district" */
        if (!unit_mention(s, u) || !u->region_cue || u->translit ||
            list_of(s->men, j) == list_of(s->men, k))
            continue;
        const cx_place *up = &u->cand[u->chosen];
        double reach = (up->radius_km > 0 ? up->radius_km : 30) + 40;
        return extp_distance_km(p->lat, p->lon, up->lat, up->lon) > reach;
    }
    return false;
}

/* A settlement of the theatre usable as a neighbour of another. */
static bool near_candidate(const doc_state *s, const extp_mention *u)
{
    return u->chosen >= 0 && !u->person && !u->in_actor && !u->unplaced &&
           extp_in_theatre(s->lex, &u->cand[u->chosen]) && !extp_is_region(&u->cand[u->chosen]);
}

#define FAR_KM 100.0

/* "the towns of Martuni and Askeran and several villages, including
 * Sarnaghbyur and Chartar", when the gazetteer's only Sarnaghbyur lies in
 * Shirak: a listed village (PPL, under 20,000 people) known by one exact
 * namesake more than FAR_KM
 * from every other place of its sentence, at least two of them and those
 * within FAR_KM of one another, is a namesake of the village meant. */
static bool far_from_its_sentence(const doc_state *s, size_t k)
{
    const extp_mention *m = &s->men[k];
    bool listed = m->list >= 0 || (k + 1 < s->n_men && s->men[k + 1].list == (int)k);
    if (!listed || m->n != 1 || !near_candidate(s, m) || m->translit ||
        m->cand[m->chosen].match != CX_MATCH_EXACT)
        return false;
    const cx_place *p = &m->cand[m->chosen];
    /* a village: no seat of a unit nor a town */
    if (strcmp(p->fcode, "PPL") != 0 || p->population >= 20000)
        return false;
    size_t others = 0;
    for (size_t j = 0; j < s->n_men; j++) {
        const extp_mention *u = &s->men[j];
        if (j == k || u->sent != m->sent || !near_candidate(s, u))
            continue;
        const cx_place *q = &u->cand[u->chosen];
        if (extp_distance_km(p->lat, p->lon, q->lat, q->lon) <= FAR_KM)
            return false;
        for (size_t i = 0; i < j; i++) {
            const extp_mention *v = &s->men[i];
            if (i == k || v->sent != m->sent || !near_candidate(s, v))
                continue;
            const cx_place *r = &v->cand[v->chosen];
            if (extp_distance_km(r->lat, r->lon, q->lat, q->lon) > FAR_KM)
                return false; /* the sentence itself spans the theatre */
        }
        others++;
    }
    return others >= 2;
}

int extp_place_unplaced(doc_state *s, cx_buf *names)
{
    for (size_t k = 0; k < s->n_men; k++) {
        extp_mention *m = &s->men[k];
        bool far = m->n > 0 && far_from_its_sentence(s, k);
        if (!m->introduced && !far)
            continue;
        if (m->n > 0) {
            if (!far && !contradicted_by_unit(s, k))
                continue;
            m->n = 0; /* placed at the unit below */
            m->chosen = -1;
            m->introduced = true;
        }
        int u = find_unit(s, k);
        if (u >= 0) {
            const extp_mention *um = &s->men[u];
            const cx_place *up = &um->cand[um->chosen];
            cx_place *p = &m->cand[0];
            *p = *up;
            cx_str_copy(m->unit, sizeof m->unit, up->name);
            cx_str_copy(p->name, sizeof p->name, m->surface);
            cx_str_copy(p->matched, sizeof p->matched, m->surface);
            /* its own id, so that two villages of one district stay two */
            cx_buf key = CX_BUF_INIT;
            if (cx_fold_key(m->surface, strlen(m->surface), &key) != 0) {
                cx_buf_free(&key);
                return CX_ENOMEM;
            }
            snprintf(p->src_id, sizeof p->src_id, "unplaced:%.38s", key.data);
            cx_buf_free(&key);
            p->kind = CX_KIND_SETTLEMENT;
            cx_str_copy(p->fcode, sizeof p->fcode, "PPL");
            /* in its unit: a region or first-level unit with no admin1 of
             * its own (Nagorno-Karabakh) is the village's admin1, which
             * geo_admin_apply then names as the unit table does */
            if (!p->admin1[0] && (up->kind == CX_KIND_ADMIN1 || up->kind == CX_KIND_ADMIN2 ||
                                  up->kind == CX_KIND_REGION))
                cx_str_copy(p->admin1, sizeof p->admin1, up->name);
            p->radius_km = 0;
            p->population = 0;
            p->match = CX_MATCH_EXACT;
            m->n = 1;
            m->chosen = 0;
            m->unplaced = true;
            m->translit = false; /* its own name, not a key's namesake */
        }
        if (note_name(names, m->surface, m->unit) != 0)
            return CX_ENOMEM;
    }
    /* one sense per discourse: the name's other mentions go where it went */
    for (size_t k = 0; k < s->n_men; k++) {
        extp_mention *m = &s->men[k];
        if (!m->unplaced)
            continue;
        for (size_t j = 0; j < s->n_men; j++) {
            extp_mention *o = &s->men[j];
            if (o->unplaced || o->n == 0 || strcmp(o->surface, m->surface) != 0)
                continue;
            o->cand[0] = m->cand[0];
            o->n = 1;
            o->chosen = 0;
            o->unplaced = true;
            o->translit = false;
            memcpy(o->unit, m->unit, sizeof o->unit);
        }
    }
    return 0;
}
