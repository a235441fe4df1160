/* state.h -- the working state of one document's extraction, shared by the
 * files of extract/ (extract.c reads the text into it, features.c describes
 * candidate pairs from it). Private to extract/: nothing outside includes it.
 * Token-level helpers are inline: they run for every token of every text. */
#ifndef EXT_STATE_H
#define EXT_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "cx_buf.h"
#include "lexicon.h"
#include "tokens.h"
#include "dates.h"
#include "read.h"
#include "extract.h"
#include "resolve.h"

/* What negated() found around a trigger. */
enum { EXTP_MOD_NONE = 0, EXTP_MOD_DENIAL, EXTP_MOD_NEG_PARTICLE, EXTP_MOD_IRREALIS };

#define MAX_MATCH 12  /* phrase matches kept per token */
#define MAX_CANDS 8   /* gazetteer candidates per toponym */
#define MAX_NGRAM 6   /* words in a place name */

enum { ST_NEUTRAL = 0, ST_LOCATIVE = 1, ST_BLOCKED = 2 };

/* ===== Per-document working state ===== */

typedef struct trigger {
    size_t tok, len;
    int type;     /* EXT_* */
    bool strong;
    bool dead;    /* negated, hypothetical, unsupported */
    int excl;     /* first mention of an exclusively attached group, or -1 */
    bool own_place; /* counts only with a place of its own sentence (no scene) */
    int cat;        /* LX_* of the matched phrase */
    bool unsupported; /* a weapon without an act, fire without a weapon, refugees without a move */
    int modality;   /* EXTP_MOD_*: what modality_of() found around it */
    bool weapons;   /* the sentence names a weapon or a strike */
    bool move_alone; /* a movement verb with no count of people */
    bool in_list;   /* a member of a list of nouns: "positions, réfugiés et bastions" */
    size_t ca, cb;  /* its clause [ca, cb): computed once, read by every pair */
} trigger;

typedef struct actor_ref {
    size_t tok, len;
    int actor;    /* index in lex->actors */
    int role;     /* 0 candidate, 1 agent, 2 target, 3 claimant */
} actor_ref;

typedef struct doc_state {
    const ext_lexicon *lex;
    const extp_lang *lang;
    const ext_gazetteer *gaz;
    const rd_doc *doc;
    const char *text;   /* what is read: the document's text, its title first */
    size_t prefix;      /* bytes of title put before the document's text */
    size_t title_si;    /* the title's sentence: 0, or SIZE_MAX for a text that opens
                         * on its body (rd_doc.untitled), whose paragraphs count from 1 */
    ext_date pub;
    ext_date rel;       /* what relative dates resolve against (extp_dates_anchor) */
    extp_text t;
    extp_match *mflat;  /* MAX_MATCH per token */
    const extp_match **mt;
    size_t *nm;
    uint64_t *starts;   /* categories starting at a token */
    uint64_t *ends;     /* categories of phrases ending just before token i (exclusive end) */
    uint64_t *covers;   /* categories of phrases covering the token */
    extp_mention *men;
    size_t n_men, cap_men;
    cx_buf key;
    uint64_t *lower;    /* hashes of the folded lower-case words, a hash set (extp_common_word) */
    size_t n_lower;     /* its slots */
    bool lower_ready;   /* `lower` built (once per document, when first asked) */
} doc_state;

static inline bool starts_cat(const doc_state *s, size_t i, int cat)
{
    return i < s->t.n && (s->starts[i] & LX_BIT(cat));
}

static inline int match_len(const doc_state *s, size_t i, int cat)
{
    if (!(s->starts[i] & LX_BIT(cat)))
        return 0; /* most tokens start no phrase of the category */
    int best = 0;
    for (size_t k = 0; k < s->nm[i]; k++)
        if (s->mt[i][k].cat == cat && s->mt[i][k].len > best)
            best = s->mt[i][k].len;
    return best;
}

static inline int match_val(const doc_state *s, size_t i, int cat)
{
    if (!(s->starts[i] & LX_BIT(cat)))
        return -1;
    int best = -1, bl = 0;
    for (size_t k = 0; k < s->nm[i]; k++)
        if (s->mt[i][k].cat == cat && s->mt[i][k].len > bl) {
            bl = s->mt[i][k].len;
            best = s->mt[i][k].val;
        }
    return best;
}

/* Does a phrase of category `cat` end exactly at token `end` (exclusive)
 * and start at or after `lo`? Returns its start, or (size_t)-1. */
static inline size_t ends_at(const doc_state *s, size_t end, int cat, size_t lo)
{
    if (end == 0 || !(s->ends[end] & LX_BIT(cat)))
        return (size_t)-1;
    for (size_t st = end; st-- > lo;) {
        for (size_t k = 0; k < s->nm[st]; k++)
            if (s->mt[st][k].cat == cat && st + (size_t)s->mt[st][k].len == end)
                return st;
        if (end - st >= MAX_NGRAM)
            break;
    }
    return (size_t)-1;
}

static inline bool is_punct(const doc_state *s, size_t i, long cp)
{
    return s->t.tok[i].kind == TK_PUNCT && (cp < 0 || s->t.tok[i].punct == (uint32_t)cp);
}


/* Skip determiners backwards from `end` (exclusive); returns the new end. */
static inline size_t skip_dets_back(const doc_state *s, size_t end, size_t lo)
{
    for (int guard = 0; guard < 3 && end > lo; guard++) {
        size_t st = ends_at(s, end, LX_DETERMINER, lo);
        if (st == (size_t)-1)
            break;
        end = st;
    }
    return end;
}

static inline bool trigger_token(const doc_state *s, size_t i)
{
    uint64_t trig = LX_BIT(LX_SHELL_STRONG) | LX_BIT(LX_SHELL_WEAK) | LX_BIT(LX_SHELL_FIRE) |
                    LX_BIT(LX_CLASH_STRONG) | LX_BIT(LX_CLASH_WEAK) | LX_BIT(LX_CLASH_CAPTURE) |
                    LX_BIT(LX_EVAC_STRONG) | LX_BIT(LX_EVAC_WEAK) | LX_BIT(LX_ATTACK);
    return (s->covers[i] & trig) != 0;
}

/* Clause bounds around token i: clause breaks and ; : « » " do not cross. */
static inline void clause_of(const doc_state *s, size_t si, size_t i, size_t *a, size_t *b)
{
    const extp_sentence *se = &s->t.sent[si];
    size_t lo = se->first, hi = se->end;
    for (size_t k = i; k > se->first; k--) {
        size_t j = k - 1;
        if (starts_cat(s, j, LX_CLAUSE_BREAK) || is_punct(s, j, ';') || is_punct(s, j, 0xAB) ||
            is_punct(s, j, 0xBB) || is_punct(s, j, 0x201C) || is_punct(s, j, 0x201D)) {
            lo = j + 1;
            break;
        }
    }
    for (size_t k = i + 1; k < se->end; k++) {
        if (starts_cat(s, k, LX_CLAUSE_BREAK) || is_punct(s, k, ';') || is_punct(s, k, 0xAB) ||
            is_punct(s, k, 0xBB) || is_punct(s, k, 0x201C) || is_punct(s, k, 0x201D)) {
            hi = k;
            break;
        }
    }
    *a = lo;
    *b = hi;
}

static inline void copy_surface(const doc_state *s, size_t t0, size_t t1, char *out, size_t size)
{
    size_t a = s->t.tok[t0].off, b = s->t.tok[t1 - 1].off + s->t.tok[t1 - 1].len;
    size_t n = b - a;
    if (n >= size) {
        n = size - 1;
        while (n > 0 && ((unsigned char)s->text[a + n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(out, s->text + a, n);
    out[n] = '\0';
}

#endif
