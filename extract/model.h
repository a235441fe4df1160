/* model.h -- the scored decision: a logistic regression over the features of
 * a candidate pair (pair_features.h). Its weights are data, in a readable JSON
 * file (data/model/pairs.json), fitted by scripts/train.py from annotated
 * articles; confidence is the model's probability. Private to extract/. */
#ifndef EXT_MODEL_H
#define EXT_MODEL_H

#include <stdbool.h>

#include "cx_err.h"
#include "date_choice.h"
#include "pair_features.h"

/* The actor decision (which party is actor1 of a shelling or a clash): a
 * logistic regression over cues that each point to one of the conflict's
 * two focus parties, +1 for the first of `focus_countries`, -1 for the
 * second, 0 when the cue is absent. Fitted by scripts/train_actors.py on the
 * same articles as the pair model; "actors" in the model file. */
#define EXTA_LIST(X)                                                                     \
    X(agent_or_adjective)    /* "par les forces X", "bombardements X" */                 \
    X(subject_in_clause)     /* the nearest actor before the trigger, its clause */      \
    X(subject_in_sentence)   /* the same, elsewhere in the sentence */                   \
    X(claimant_own_forces)   /* "the ministry said its forces shelled" */                \
    X(claimant_accuses)      /* the party opposing the claimant */                       \
    X(target_opposes)        /* the party opposing the target ("attaqué les troupes X") */ \
    X(controller_opposes)    /* the party opposing the place's controller at the date */ \
    X(controller_opposes_clash) /* the same, for a clash */                     \
    X(capture_from_occupier) /* a capture, the party opposing the occupier ("libérée de l'occupation arménienne") */
enum {
#define EXTA_ENUM(name) EXTA_##name,
    EXTA_LIST(EXTA_ENUM)
#undef EXTA_ENUM
    EXTA_N
};

/** The name of actor feature i (static), or NULL. */
const char *extp_actor_feature_name(int i);

/* the pair types a conjunction names, in the order of EXT_SHELLING.. */
#define EXTP_NTYPES 3

typedef struct extp_model {
    double w[EXTF_N];  /* weight of each feature; 0 for a feature the file does not name */
    /* type conjunctions: tw[t][i] weighs feature i in a pair of type t
     * (EXT_SHELLING..EXT_EVACUATION), "clash*place_region" in the file; 0
     * when the file does not name it */
    double tw[EXTP_NTYPES][EXTF_N];
    double threshold;  /* a pair is an incident from this (calibrated) probability on */
    double cal_a, cal_b; /* Platt scaling of the logit: p = 1 / (1 + exp(-(a z + b))) */
    double aw[EXTA_N];   /* actor decision weights */
    double abias;
    bool has_actors;     /* the file has "actors": the decision is fitted */
    double dw[EXTD_N];   /* date choice weights (date_choice.h) */
    double dbias;
    bool has_dates;      /* the file has "dates": the date choice is fitted */
    bool loaded;
} extp_model;

/** Read the weights of `path` into `m`:
 *    {"threshold": 0.5, "weights": {"bias": -1.2, "distance_0_2": 0.8, ...},
 *     "calibration": {"method": "platt", "a": 0.9, "b": -0.3}, ...}
 *  A key "TYPE*feature" (TYPE shelling, clash or evacuation) is a type
 *  conjunction: the weight of the feature in a pair of that type only,
 *  added to the feature's own weight (scripts/train.py fits both).
 *  "calibration" (optional) maps the regression's logit z to the confidence
 *  1 / (1 + exp(-(a z + b))), fitted on out-of-fold predictions
 *  (scripts/retrain.sh); `a` must be positive (the order of pairs stays).
 *  Without it a = 1, b = 0. "actors" (optional): {"weights": {"bias": B,
 *  "agent_or_adjective": W, ...}}, the actor decision (EXTA_LIST); without
 *  it actors are picked by the hand-set order. "dates" (optional): {"weights":
 *  {"bias": B, "in_clause": W, ...}}, the date choice (EXTD_LIST,
 *  scripts/train_dates.py); without it a report takes the nearest date of
 *  its clause, else the carried one. Other keys (how it was trained) are ignored. A weight for a feature this
 *  build does not know is an error naming it (the file is for another
 *  version); a feature the file does not name weighs 0. Returns 0 or CX_E*
 *  with `err` set (file, line, column for malformed JSON). */
int extp_model_load(const char *path, extp_model *m, cx_err *err);

/** The probability that actor1 is the first focus party, from the actor
 *  features `x`; only with m->has_actors. */
double extp_model_actor_prob(const extp_model *m, const float *x);

/** The logit z of the pair described by `x`: the sum of each feature's
 *  weight and, for the pair's type (the type_* feature set in `x`), of its
 *  type conjunction's weight, times the feature's value. */
double extp_model_logit(const extp_model *m, const float *x);

/** The calibrated probability that the pair described by `x` is an
 *  incident: 1 / (1 + exp(-(cal_a z + cal_b))) of extp_model_logit. */
double extp_model_prob(const extp_model *m, const float *x);

#endif
