/* lexicon.h -- language and conflict knowledge loaded from data files
 * (data/lexicon/<lang>.json, data/conflicts/<id>.json), compiled into one
 * phrase dictionary per language. Private to extract/ (prefix extp_). */
#ifndef EXT_LEXICON_H
#define EXT_LEXICON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cx_buf.h"
#include "cx_err.h"

/* Phrase categories. A phrase may carry several (one entry each). */
enum {
    LX_FUNCTION = 0, LX_SHELL_STRONG, LX_SHELL_WEAK, LX_SHELL_FIRE, LX_SHELL_VERB, LX_CLASH_STRONG,
    LX_CLASH_WEAK,
    LX_EVAC_STRONG, LX_EVAC_WEAK, LX_EVAC_VERB, LX_ATTACK, LX_NOT_TRIGGER, LX_NEGATION,
    LX_NEG_PARTICLE, LX_IRREALIS, LX_LOCATIVE, LX_NEAR, LX_GENITIVE, LX_DETERMINER,
    LX_PLACE_NOUN, LX_REGION_NOUN, LX_SETTLEMENT_NOUN, LX_WATER_NOUN, LX_NONLOC_HEAD,
    LX_PERSON_TITLE, LX_CLAUSE_BREAK, LX_LIST_CONJ, LX_APPOSITION, LX_CLAIM_BEFORE,
    LX_CLAIM_VERB, LX_KILLED, LX_INJURED, LX_ABOUT, LX_NUMWORD, LX_PEOPLE, LX_MONTH,
    LX_WEEKDAY, LX_RELDAY, LX_RELWEEK, LX_ORDINAL, LX_YEAR_CUE, LX_MONTH_CUE,
    LX_PAST_MARKER, LX_AGENT, LX_BOILERPLATE, LX_ACTOR, LX_NOT_PLACE, LX_OWN_FORCES, LX_SUBEVENT,
    LX_CONFLICT_NOUN, LX_ADVISORY, LX_CLASH_CAPTURE, LX_CLAIM_ORG, LX_NOT_CLAIMANT, LX_TOLL_CUE, LX_TOLL_SINCE,
    LX_TOLL_SHAPE, LX_TOLL_SPAN, LX_NIGHT, LX_ANAPHOR_DAY, LX_MIL_TARGET, LX_REGION_CTX, LX_OCCUPATION, LX_ENEMY, LX_NCATS
};
#define LX_BIT(c) ((uint64_t)1 << (c))
_Static_assert(LX_NCATS <= 64, "a token's categories are one 64-bit mask");

/* Wars share LX_ANAPHOR_DAY (a date the caller resolves; no category is
 * left in the 64-bit mask): a war's name (conflict file "wars") has the
 * value EXTP_WAR_BASE + its index in ext_lexicon.wars, a phrase that names
 * the start of the war going on at publication (dates.war_start: "since the
 * start of the war") EXTP_WAR_BASE + EXTP_WAR_START. */
#define EXTP_WAR_BASE 1000
#define EXTP_WAR_START 100

/* The values of LX_TOLL_SHAPE and LX_TOLL_SPAN phrases (casualties.campaigns,
 * relatives, results; range_from, range_to, within, over, periods, hours): what part a
 * word plays in a toll over a period (extract/actors.c) */
enum {
    EXTP_TOLL_CAMPAIGN = 1, EXTP_TOLL_RELATIVE, EXTP_TOLL_RESULT,
    EXTP_TOLL_FROM, EXTP_TOLL_TO, EXTP_TOLL_WITHIN, EXTP_TOLL_OVER, EXTP_TOLL_PERIOD,
    EXTP_TOLL_HOURS
};

/* The values of LX_REGION_CTX phrases (region_context): what a sentence naming a
 * region may be instead of a report of an event there (pair_features.c) */
enum { EXTP_RCTX_BACKGROUND = 1, EXTP_RCTX_ONGOING, EXTP_RCTX_GROUP };

/* triggers.evacuation "departures" (LX_EVAC_VERB) and "groups" (LX_REGION_CTX):
 * a departure verb reports an evacuation only after a group of people
 * ("residents of X left"), triggers.c */
enum { EXTP_EVAC_DEPARTURE = 1, EXTP_RCTX_DISPLACED = 8 };
/* irrealis_clauses (LX_IRREALIS): cues that make their whole clause unreal */
enum { EXTP_IRREALIS_CLAUSE = 1 };
/* triggers.shelling.fire_nouns (LX_SHELL_FIRE): "fire" alone, fire only
 * right after an actor ("Azerbaijani fire", "by Armenian fire"), triggers.c */
enum { EXTP_FIRE_NOUN = 1 };

typedef struct extp_dict extp_dict; /* opaque phrase dictionary */

/* One match of a phrase starting at a token. */
typedef struct extp_match {
    int cat;
    int len; /* in tokens */
    int val;
} extp_match;

typedef struct extp_lang {
    char code[8];
    extp_dict *dict;
    char **abbrev; size_t n_abbrev;   /* folded, without the dot */
    char **elision; size_t n_elision; /* folded */
    char **detect; size_t n_detect;   /* folded */
    char **sensitive; size_t n_sensitive; /* accented words kept apart from their
                                             folded twin ("à" vs "a"), lower case */
    char **sensitive_folded;              /* their folded twins ("a"), same order */
    /* sub_event_types: the ACLED-style labels a trigger's words give, per
     * incident type; an LX_SUBEVENT match's val is type * 8 + label index */
    char sub_label[3][8][32];
    size_t n_sub[3];
} extp_lang;

/** The folded form of one word, as the tokenizer and the phrase compiler
 *  both make it: accents stripped, except for the language's
 *  accent-sensitive words. Appends to `out` after resetting it. */
int extp_fold_word(const extp_lang *lang, const char *s, size_t len, cx_buf *out);

typedef struct extp_actor {
    char id[16];
    char label[64];
    char side[8];
} extp_actor;

typedef struct extp_control {
    double lat, lon, radius_km;
    char from[11], to[11];
    char side[8];
} extp_control;

struct ext_lexicon {
    extp_lang *langs; size_t n_langs;
    extp_actor *actors; size_t n_actors;
    extp_control *control; size_t n_control;
    char wars[8][2][11]; size_t n_wars; /* a named war's first and last day (LX_WAR value) */
    char ctrl_country[8][2][8]; size_t n_ctrl_country; /* country code -> side */
    double theatre[4];  /* west, south, east, north; all 0 = no theatre */
    char focus[8][3]; size_t n_focus;
    char sides[8][2][48]; size_t n_sides; /* side code -> name */
    char conflict[64];
    struct extp_model *model; /* owned: data/model/pairs.json, or --model */
};

/** Find the language by code; NULL when absent. */
const extp_lang *extp_lang_find(const struct ext_lexicon *lex, const char *code);

/** Matches of phrases starting at word `i` of `words` (folded, `n` words).
 *  Writes at most `max` into `out`, returns how many. `words[k]` may be NULL
 *  for punctuation (never matched). */
size_t extp_dict_match(const extp_dict *d, const char *const *words, const size_t *lens,
                       size_t n, size_t i, extp_match *out, size_t max);

/** Fold a phrase word list from a string the same way as the tokenizer. */
bool extp_is_in(char *const *list, size_t n, const char *w, size_t len);

#endif
