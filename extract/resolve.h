/* resolve.h -- choosing one place per toponym using the whole document:
 * the conflict's theatre and countries in focus, proximity to the other
 * places the document names, containment cues, kind cues, population.
 * Private to extract/ (prefix extp_). */
#ifndef EXT_RESOLVE_H
#define EXT_RESOLVE_H

#include <stdbool.h>
#include <stddef.h>

#include "cx_place.h"
#include "lexicon.h"

typedef struct extp_mention {
    size_t sent, t0, t1;     /* sentence, token range */
    char surface[128];       /* as written */
    size_t n;
    int chosen;              /* index in cand, -1 when none */
    int status;              /* ST_* of extract.c */
    bool near, region_cue, settlement_cue, water_cue, capital_of;
    bool person, in_actor, translit, speaker;
    bool source_loc;         /* after "sources à", "authorities in": where news came from */
    bool claimant;           /* right after a claim cue ("according to X", "selon X"): a source */
    bool speaks_subject;     /* the subject of a speech verb ("X said", "X accuse") */
    bool modifier;           /* the head of a compound adjective ("X-based", "X-brokered") */
    int list;                /* index of the mention heading its list, -1 */
    bool introduced;         /* introduced as a place ("the village of X", "X village",
                              * "les villages de X, Y et Z", "X, in the Y district") */
    bool elsewhere;          /* the gazetteer knows the name only outside the theatre */
    bool unplaced;           /* the gazetteer lacks it (or only knows namesakes outside
                              * the theatre): cand[0] is its enclosing unit's point */
    char unit[96];           /* with unplaced: the name of that unit */
    cx_place cand[8];        /* last: only the first n are set, and copied (EXTP_MENTION_SIZE) */
} extp_mention;

/* The bytes of a mention with n candidates: its fields and cand[0..n). */
#define EXTP_MENTION_SIZE(n) (offsetof(extp_mention, cand) + (size_t)(n) * sizeof(cx_place))

/** Great-circle distance in km (spherical; ranking only, not reporting). */
double extp_distance_km(double lat1, double lon1, double lat2, double lon2);

/** Is the candidate inside the conflict's theatre (true when none is set)? */
bool extp_in_theatre(const struct ext_lexicon *lex, const cx_place *p);

/** Is the candidate in the theatre's core: inside the theatre and in one
 * of its focus countries (when the conflict lists any)? A name matched only
 * by a transliteration or fuzzy key is kept only there: the theatre's box
 * also holds eastern Turkey, northern Iran and Georgia, whose namesakes such
 * a key meets by chance. */
bool extp_in_core(const struct ext_lexicon *lex, const cx_place *p);

/** True for region-like kinds (admin areas, named regions, countries). */
bool extp_is_region(const cx_place *p);

/** Choose a candidate for every mention (sets `chosen`). */
void extp_resolve(const struct ext_lexicon *lex, extp_mention *men, size_t n);

#endif
