#!/usr/bin/env bash
# retrain.sh -- fit the shipped pair model, data/model/pairs.json, the way it
# was fitted: the weights on every dev article but the lockbox
# (../shared/corpus/dev less data/model/lockbox.tsv, gold.jsonl) and on the
# project's own annotated articles (data/train), with scripts/train.py; the
# calibration of the confidence (Platt scaling) on out-of-fold predictions:
# the five fold models of data/model/folds.tsv, each fitted without its fold,
# extract their fold, and a and b are fitted on how right those held-out
# predictions were (scripts/crossval_util.py calibrate); the actor decision
# (scripts/train_actors.py) and the date choice (scripts/train_dates.py, also
# written to dates.json beside the model file) on the same articles as the
# weights. Deterministic: the
# same tree gives the same file, byte for byte (test model_retrain).
#
#   bash scripts/retrain.sh [-o FILE]      (default: data/model/pairs.json)
#
# Run it after changing a feature, a lexicon or the gazetteer, then
# scripts/crossval.sh for the figure that predicts unseen articles. For another
# conflict or language, see README ("Retrain the model").
# Environment: INCIMAP (default build/incimap), INCIMAP_GAZETTEER (default the
# installed one), SHARED (default ../shared beside the repo), L2 (default 1.0),
# The threshold (the calibrated confidence from which a pair is an incident)
# is fitted with the calibration: the cut with the best out-of-fold F1.
# Exit status 77 when the dev corpus or the gazetteer is absent.
set -euo pipefail
. "$(dirname "$0")/model_pairs.sh" retrain
out=$here/data/model/pairs.json
[ "${1:-}" = "-o" ] && out=${2:?-o needs a file}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
model_pairs "$work"
oof_fits "$work"
python3 "$here/scripts/train_actors.py" "${train_args[@]}" -o "$work/actors.json"
# the date choice: its own file beside the weights (data/model/dates.json, or
# dates.json beside -o FILE), embedded in the model file as "dates"
dates_out=$(dirname "$out")/dates.json
python3 "$here/scripts/train_dates.py" "${train_args[@]}" -o "$dates_out"
python3 "$here/scripts/train.py" "${train_args[@]}" --l2 "$L2" "${conj_args[@]}" \
    --calibration "$work/calib/calibration.json" --actors "$work/actors.json" \
    --dates "$dates_out" -o "$out"
