#!/usr/bin/env bash
# crossval.sh -- the accuracy figure that predicts unseen articles: 5-fold
# cross-validation by story on the dev corpus, less the lockbox
# (data/model/lockbox.tsv), whose articles never train or score here.
#
#   bash scripts/crossval.sh [--keep DIR]
#
# For each fold of data/model/folds.tsv (articles of one publication day stay
# in one fold): fit the pair model (scripts/train.py) on the pairs of the
# other four folds' articles and of the project's synthetic articles
# (data/train, which only ever train), extract the fold's articles with those
# weights, and keep the layer. The confidence is calibrated (Platt scaling)
# on out-of-fold predictions: fold K's calibration is fitted on the other
# four folds' held-out predictions only, so the reliability table is honest
# too. The five held-out layers are pooled and scored with
# ../shared/eval/score.py against the gold. Prints:
#   - the scorer's report (per type, misses, false positives);
#   - the same per language of the articles (index.tsv);
#   - candidate recall, when scripts/candidate_recall.py exists, and the
#     same with one candidate place per incident (--distinct);
#   - the confidence curve and the reliability table (confidence band, n,
#     mean predicted confidence, observed precision);
#   - as its last line: crossval: P=0.xx R=0.xx F1=0.xx dates=0.xx actor1=0.xx
# Environment: INCIMAP (default build/incimap), INCIMAP_GAZETTEER (default the
# installed one), SHARED (default ../shared beside the repo), L2 (train.py's
# penalty, default 1.0), THRESHOLD (the calibrated confidence from which a
# pair is an incident, default "fitted": the cut with the best F1 on the
# other folds' out-of-fold predictions), DROP (features to leave out,
# comma-separated: an ablation), CONJ=1 with L2_TYPE and CONJOIN (the type
# conjunctions of train.py, scripts/model_pairs.sh: an experiment). Exit status 77 when the corpus or the
# gazetteer is absent, 1 on a failure. Deterministic: the same tree gives the
# same figures.
set -euo pipefail
. "$(dirname "$0")/model_pairs.sh" crossval
DROP=${DROP:-}
THRESHOLD=${THRESHOLD:-fitted}
keep=""
[ "${1:-}" = "--keep" ] && keep=${2:?--keep needs a folder}
work=${keep:-$(mktemp -d)}
mkdir -p "$work"
[ -n "$keep" ] || trap 'rm -rf "$work"' EXIT
py=$here/scripts/crossval_util.py
score=$SHARED/eval/score.py
model_pairs "$work"
oof_fits "$work"
for f in 0 1 2 3 4; do
    python3 "$py" attach "$work/weights$f.json" "$work/calib/calibration-$f.json" "$THRESHOLD" \
        "$work/cweights$f.json"
    "$INCIMAP" extract "$work/fold$f.jsonl" -o "$work/cut$f" -f GeoJSON -q --overwrite \
        --gazetteer "$GAZ" --model "$work/cweights$f.json"
    python3 "$py" recalibrate "$work/calib/calibration-$f.json" "$work/curve$f/incidents.geojson" \
        "$work/ccurve$f.geojson"
done
python3 "$py" pool "$work/pooled.geojson" "$work"/cut?/incidents.geojson
python3 "$py" pool "$work/pooled-curve.geojson" "$work"/ccurve?.geojson

gold=$dev/gold.jsonl
echo "=== cross-validated (5 folds by story of data/model/folds.tsv), pooled"
python3 "$score" --gold "$gold" "$work/pooled.geojson"
echo "=== per language (cross-validated)"
python3 "$py" bylang "$score" "$gold" "$dev/docs.jsonl" "$SHARED/corpus/dev/index.tsv" \
    "$work/pooled.geojson"
if [ -f "$here/scripts/candidate_recall.py" ]; then
    echo "=== candidate recall (gold incidents with a candidate pair of their type at their place)"
    python3 "$here/scripts/candidate_recall.py" --pairs "$work/pairs.jsonl" --gold "$gold" \
        --docs-jsonl "$dev/docs.jsonl"
    echo "=== candidate recall, one candidate place per incident (--distinct)"
    python3 "$here/scripts/candidate_recall.py" --pairs "$work/pairs.jsonl" --gold "$gold" \
        --docs-jsonl "$dev/docs.jsonl" --distinct | sed 's/^candidate-recall:/candidate-recall-distinct:/'
fi
echo "=== confidence curve (cross-validated, calibrated out of fold)"
python3 "$score" --gold "$gold" "$work/pooled-curve.geojson" --curve | sed -n '/min_confidence/,$p'
echo "=== reliability (out-of-fold predictions, each fold calibrated on the other four)"
python3 "$py" reliability "$score" "$gold" "$work/pooled-curve.geojson"
echo "=== precision at --min-confidence 0.8 (cross-validated)"
python3 "$score" --gold "$gold" "$work/pooled.geojson" --min-confidence 0.8 | tail -n 1
python3 "$score" --gold "$gold" "$work/pooled.geojson" --json | python3 "$py" summary
