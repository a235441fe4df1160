/* actors.h -- actors, claimants and casualties around a trigger. Private to
 * extract/. */
#ifndef EXT_ACTORS_H
#define EXT_ACTORS_H

#include <stdbool.h>
#include <stddef.h>

#include "cx_place.h"
#include "state.h"

/* The role of an actor phrase in its sentence. */
enum { ROLE_SUBJECT = 0, ROLE_AGENT = 1, ROLE_TARGET = 2, ROLE_CLAIMANT = 3 };

typedef struct casualty {
    size_t tok;
    long value;
    bool killed;
    bool cumulative; /* its clause tells a toll over a period ("so far", "depuis le début") */
} casualty;

/** The actor phrases of sentence `si` with their roles; at most `max`. */
size_t extp_collect_actors(const doc_state *s, size_t si, actor_ref *out, size_t max);

/** actor1, actor2 and the claimant of trigger `tr` (indices in lex->actors,
 *  -1 when none), from the sentence's actor phrases `ar`. */
void extp_pick_actors(const doc_state *s, size_t si, const trigger *tr, const actor_ref *ar,
                      size_t na, int *a1, int *a2, int *claim);

/** The actor features (model.h, EXTA_LIST) of trigger `tr` in sentence
 *  `si` at place `p` on `date` ("" when unknown), for a report of `type`,
 *  into `x` (EXTA_N values); returns actor1 as extp_pick_actors finds it. */
int extp_actor_features(const doc_state *s, size_t si, const trigger *tr, const actor_ref *ar,
                        size_t na, const cx_place *p, const char *date, int type, float *x);

/** actor1 of a shelling or a clash from its actor features `x`, by the
 *  fitted actor decision of the model (`has_actors`): the party it finds
 *  likelier, labelled as the text names it when `hand` (the hand-picked
 *  actor, or -1) is of that party. Without a cue, `hand`. */
int extp_decide_actor(const doc_state *s, const float *x, int hand);

/** The claimant as the text names it when it is no known actor ("selon
 *  Armenpress"), into `out` ("" when none). */
void extp_claim_text(const doc_state *s, size_t si, char *out, size_t size);

/** The first actor of side `side`, or -1. */
int extp_actor_of_side(const doc_state *s, const char *side);

/** A party that reports a shelling without naming its agent accuses the
 *  other ("Tartar was shelled, the Azerbaijani ministry said": Armenia's
 *  forces): the party opposing the claimant (conflict file `focus`), as an
 *  actor index, or -1 when the claimant is no focus party. */
int extp_accused_actor(const doc_state *s, int claimant);

/** The side opposing the controller of place `p` at `date` (conflict file
 *  `control`), as an actor index, or -1. */
int extp_fallback_actor(const doc_state *s, const cx_place *p, const char *date);

/** The casualty counts of sentence `si`, at most `max`. */
size_t extp_find_casualties(const doc_state *s, size_t si, casualty *out, size_t max);

#endif
