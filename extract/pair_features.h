/* pair_features.h -- what the extractor knows about one candidate pair (a trigger
 * and a place it may be the incident place of), as numbers a model weighs.
 *
 * A feature is a property any article in any language can have, named by
 * what it means; the words that reveal it come from the lexicons. Values are
 * 0 or 1 except where the comment says otherwise. The list below is the
 * single source: the enum, the names in data/model/pairs.json and the names in a
 * candidate dump all come from it. To add a feature: add a line here (at the
 * end of its group), compute it in extp_pair_features() (pair_features.c) or in the
 * document pass of extract.c, write a unit test with a sentence of your own
 * (tests/unit/test_features.c), retrain (scripts/train.py) and run
 * scripts/crossval.sh. See docs/extraction.md. Private to extract/. */
#ifndef EXT_PAIR_FEATURES_H
#define EXT_PAIR_FEATURES_H

#include <stdbool.h>
#include <stddef.h>

#include "state.h"

/* X(ID, "name", "meaning") */
#define EXTF_LIST(X)                                                                             \
    X(BIAS, "bias", "always 1")                                                                  \
    X(TYPE_SHELLING, "type_shelling", "the pair would be a shelling")                           \
    X(TYPE_CLASH, "type_clash", "the pair would be a clash")                                    \
    X(TYPE_EVACUATION, "type_evacuation", "the pair would be an evacuation")                    \
    /* the trigger */                                                                            \
    X(TRIG_STRONG, "trigger_strong", "a word that names the event itself (bombardment, fighting)") \
    X(TRIG_WEAPON, "trigger_weapon", "a weapon word (drones, artillery)")                      \
    X(TRIG_FIRE, "trigger_fire", "a firing word (tirs, fire)")                                  \
    X(TRIG_ATTACK, "trigger_attack_vague", "an attack of no stated kind")                       \
    X(TRIG_NEEDS_PLACE, "trigger_accusation", "an accusation word (provocation) that needs its own place") \
    X(TRIG_CAPTURE, "trigger_capture", "a change of hands (captured, liberated, tombée aux mains): fighting for that place") \
    X(TRIG_EVAC_WEAK, "trigger_displaced_people", "a word for displaced people (refugees)")     \
    X(TRIG_EVAC_MOVE, "trigger_movement_with_count", "a movement verb with a count of people")  \
    X(TRIG_MOVE_ALONE, "trigger_movement_alone", "a movement verb (arrived, left) with no count of people") \
    X(TRIG_UNSUPPORTED, "trigger_unsupported", "a weapon with no act, fire with no weapon, refugees with no move") \
    X(ATTACK_AS_SHELLING, "attack_as_shelling", "an attack of no stated kind, proposed as a shelling") \
    X(ATTACK_WEAPONS_AGREE, "attack_type_fits_weapons", "an attack proposed as a shelling in a sentence naming weapons, or as a clash in one naming none") \
    X(ATTACK_FITS_CONTEXT, "attack_type_fits_paragraph", "an attack proposed as a type the paragraph's other triggers report") \
    X(FIRE_AS_CLASH, "fire_as_clash", "fire (tirs, opened fire) proposed as a clash: small-arms fire") \
    X(FIRE_NO_WEAPON, "fire_without_weapon", "fire with no weapon named in its sentence") \
    X(ATTACK_ON_FORCES, "attack_on_forces", "an attack or fire at armed forces (positions, troops) right after it, proposed as a clash") \
    X(TRIG_IN_NOUN_LIST, "trigger_in_noun_list", "the trigger word is a member of a list of nouns (positions, refugees and bastions)") \
    X(TRIG_SHARED_TYPE, "trigger_same_type_again", "another trigger of the same type in the sentence") \
    /* the place */                                                                              \
    X(PLACE_REGION, "place_region", "a region, province or district, not a settlement")         \
    X(PLACE_LINE, "place_line_or_feature", "a line, corridor or other non-settlement feature")  \
    X(PLACE_CAPITAL, "place_capital", "a national capital")                                     \
    X(PLACE_LOCATIVE, "place_locative_cue", "a locative cue before it (a, dans, in, near)")    \
    X(PLACE_NEAR, "place_near_cue", "a proximity cue (pres de, near)")                          \
    X(PLACE_BLOCKED, "place_blocked_cue", "a cue that makes it something else than where (selon, government of, 20 km from)") \
    X(PLACE_NO_CUE, "place_no_cue", "no cue before it (a subject, a headline word)")           \
    X(PLACE_SOURCE, "place_source_location", "where a source sits (sources in X)")              \
    X(PLACE_SPEAKS, "place_speaks", "followed by a speech verb (X said)")                       \
    X(PLACE_CAPITAL_OF, "place_holds_a_capital", "after 'capital of': the place holding the capital") \
    X(PLACE_KIND_NOUN, "place_kind_noun", "a noun says its kind (village of X, X district)")    \
    X(PLACE_TRANSLIT, "place_transliteration_match", "known only by transliteration key")      \
    X(PLACE_AMBIGUOUS, "place_ambiguous", "the name has several gazetteer candidates")           \
    X(PLACE_IN_LIST, "place_in_list", "a member of a list of places (X, Y et Z)")               \
    X(PLACE_DATELINE, "place_dateline", "opens a paragraph and is followed by a parenthesis, a dash or a comma (KAPAN, Armenia (AP) -)") \
    X(PLACE_ALL_CAPS, "place_all_caps", "written in capitals")                                  \
    X(PLACE_WATER, "place_water", "a lake or a river") \
    X(PLACE_NAMES_CONFLICT, "place_names_the_conflict", "the place names a conflict, not where: the Karabakh conflict, la guerre du Karabakh, conflict over X") \
    X(PLACE_UNPLACED, "place_unplaced", "introduced as a place (the village of X) but unknown to the gazetteer: pinned at its enclosing unit") \
    X(PLACE_REPEATED, "place_named_again", "the document names the place more than once")      \
    /* the pair */                                                                               \
    X(DIST_0_2, "distance_0_2", "0 to 2 tokens between trigger and place (or its list)")       \
    X(DIST_3_6, "distance_3_6", "3 to 6 tokens between")                                        \
    X(DIST_7_12, "distance_7_12", "7 to 12 tokens between")                                     \
    X(DIST_13_PLUS, "distance_13_plus", "13 tokens or more between")                            \
    X(PLACE_BEFORE, "place_before_trigger", "the place comes before the trigger")               \
    X(SAME_CLAUSE, "same_clause", "no clause break between them")                               \
    X(COMMA_BETWEEN, "comma_between", "a comma between them")                                   \
    X(TRIGGER_BETWEEN, "other_trigger_between", "another live trigger between them")            \
    X(NEAREST, "nearest_trigger", "the nearest live trigger to the place")                     \
    X(NEAREST_PLACE, "nearest_place", "the nearest candidate place to the trigger (through lists)") \
    X(OTHER_TYPE_NEARER, "other_type_nearer", "a live trigger of another type is nearer to the place") \
    X(DIRECT, "direct_attachment", "trigger, then a locative cue, then the place: combats en X")  \
    X(ATTACHED_ELSEWHERE, "trigger_attached_elsewhere", "the trigger is directly attached to another place") \
    X(PLACE_TAKEN_BY_OTHER_TYPE, "place_attached_to_other_type", "a trigger of another type is directly attached to the place (missile attacks on X, after fighting elsewhere)") \
    /* where the pair comes from */                                                              \
    X(FROM_PARAGRAPH, "from_paragraph_scene", "no place in the sentence: the paragraph's last place") \
    X(FROM_TITLE, "from_title_scene", "no place in the sentence: the title's place")           \
    X(FROM_FOLLOWUP, "from_casualty_followup", "a sentence of casualties after a report")       \
    X(IN_TITLE, "in_title", "the pair is in the title")                                          \
    X(LEAD, "in_lead", "the pair is in the first paragraph after the title")                    \
    /* the sentence and the document */                                                          \
    X(HAS_DATE, "date_in_clause", "a date expression in the trigger's clause")                  \
    X(BACKGROUND, "date_background", "its date is more than a year before publication")         \
    X(CLAIMED, "claimant_in_sentence", "the sentence says who says it: a claimant, selon, according to, a speech verb")                        \
    X(CASUALTIES, "casualties_in_sentence", "the sentence counts dead or wounded")              \
    X(ADVISORY, "advisory_sentence", "the sentence advises or warns (not to travel to X): no event told") \
    X(REGION_HAS_PRECISE, "region_with_precise_place", "a region, while a settlement inside it has a pair of the same type") \
    X(REGION_DOC_PRECISE, "region_while_document_precise", "a region, while the document has a settlement pair of the same type from a live trigger in its own sentence") \
    X(REGION_IN_TITLE, "region_in_title", "a region named in the title")                        \
    X(REGION_FROM_SCENE, "region_from_scene", "a region reached through the paragraph's or the title's scene") \
    X(REGION_BACKGROUND, "region_background_sentence", "a region in a sentence that recalls a past war or a period (since, the 44-day war, depuis la guerre de)") \
    X(REGION_ONGOING, "region_ongoing_sentence", "a region in a sentence that tells a continuing state (fighting continues, les combats font rage): a summary") \
    X(REGION_OF_GROUP, "region_qualifies_group", "a region that qualifies a group or an authority (the authorities of X, X men), in a shelling or a clash pair") \
    X(REGION_UNDATED_DOC_DATED, "region_undated_while_document_dated", "a region with no date in its clause and no casualties in its sentence, while the document has a dated settlement pair of the same type from a live trigger") \
    X(TYPE_ELSEWHERE, "type_reported_elsewhere", "another sentence of the document has a live trigger of this type") \
    X(EVAC_LOCATIVE, "evacuation_locative", "an evacuation pair whose place has a locative cue") \
    X(EVAC_FAR, "evacuation_far", "an evacuation pair 7 tokens apart or more") \
    X(EVAC_BY_FORCES, "evacuation_by_forces", "an evacuation pair whose movement armed forces make: a military word (forces, troops) at most eight words before the trigger in its clause, and no people right after it (troops left X: a withdrawal, not people fleeing)")

enum {
#define EXTF_ENUM(id, name, doc) EXTF_##id,
    EXTF_LIST(EXTF_ENUM)
#undef EXTF_ENUM
    EXTF_N
};

/* Where a pair comes from. */
enum { EXTP_FROM_SENTENCE = 0, EXTP_FROM_PARAGRAPH, EXTP_FROM_TITLE, EXTP_FROM_FOLLOWUP };

/* What extp_pair_features needs to know of a pair beyond the document. */
typedef struct extp_pair_ctx {
    size_t si;              /* the sentence of the trigger */
    const trigger *tr;      /* the trigger (NULL for a casualty follow-up) */
    const trigger *trs;     /* every trigger of the sentence */
    size_t ntr;
    int men;                /* the place's mention */
    int type;               /* EXT_* */
    int origin;             /* EXTP_FROM_* */
    bool has_date;          /* a date expression in the trigger's clause */
    bool background;        /* dated more than a year before publication */
    bool claimed, casualties;
    int context_types;      /* bits of EXT_* told by the paragraph's other triggers so far */
    const int *places;      /* the candidate places of the sentence (mention indices) */
    size_t nplaces;
} extp_pair_ctx;

/** The name of feature `i` (0 <= i < EXTF_N). Borrowed, static. */
const char *extp_feature_name(int i);

/** The index of the feature called `name` (`len` bytes), or -1. */
int extp_feature_index(const char *name, size_t len);

/** Fill `x[0..EXTF_N)` with the features of one pair that the sentence and the
 *  mention tell; document-level features (REGION_HAS_PRECISE, PLACE_REPEATED)
 *  are left 0 for the caller. */
void extp_pair_features(const doc_state *s, const extp_pair_ctx *c, float *x);

#endif
