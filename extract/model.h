/* model.h -- the scored decision: a logistic regression over the features of
 * a candidate pair (pair_features.h). Its weights are data, in a readable JSON
 * file (data/model/pairs.json), fitted by scripts/train.py from annotated
 * articles; confidence is the model's probability. Private to extract/. */
#ifndef EXT_MODEL_H
#define EXT_MODEL_H

#include <stdbool.h>

#include "cx_err.h"
#include "pair_features.h"

typedef struct extp_model {
    double w[EXTF_N];  /* weight of each feature; 0 for a feature the file does not name */
    double threshold;  /* a pair is an incident from this (calibrated) probability on */
    double cal_a, cal_b; /* Platt scaling of the logit: p = 1 / (1 + exp(-(a z + b))) */
    bool loaded;
} extp_model;

/** Read the weights of `path` into `m`:
 *    {"threshold": 0.5, "weights": {"bias": -1.2, "distance_0_2": 0.8, ...},
 *     "calibration": {"method": "platt", "a": 0.9, "b": -0.3}, ...}
 *  "calibration" (optional) maps the regression's logit z to the confidence
 *  1 / (1 + exp(-(a z + b))), fitted on out-of-fold predictions
 *  (scripts/retrain.sh); `a` must be positive (the order of pairs stays).
 *  Without it a = 1, b = 0. Other keys (how it was trained) are ignored. A weight for a feature this
 *  build does not know is an error naming it (the file is for another
 *  version); a feature the file does not name weighs 0. Returns 0 or CX_E*
 *  with `err` set (file, line, column for malformed JSON). */
int extp_model_load(const char *path, extp_model *m, cx_err *err);

/** The calibrated probability that the pair described by `x` is an incident. */
double extp_model_prob(const extp_model *m, const float *x);

#endif
