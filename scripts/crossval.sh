#!/usr/bin/env bash
# crossval.sh -- the accuracy figure that predicts unseen articles: 5-fold
# cross-validation by article on the dev corpus, less the lockbox
# (data/model/lockbox.tsv), whose articles never train or score here.
#
#   bash scripts/crossval.sh [--keep DIR]
#
# For each fold of data/model/folds.tsv: fit the pair model (scripts/train.py)
# on the pairs of the other four folds' articles (and of the project's own
# annotated articles in data/train, when present), extract the fold's articles
# with those weights, and keep the layer. The five held-out layers are pooled
# and scored with ../shared/eval/score.py against the whole gold. Prints the
# scorer's report, the confidence curve, the in-sample figure (weights fitted
# on every article, which says little) and, as its last line:
#   crossval: P=0.xx R=0.xx F1=0.xx dates=0.xx actor1=0.xx
# Environment: INCIMAP (default build/incimap), INCIMAP_GAZETTEER (default the
# installed one), SHARED (default ../shared beside the repo), L2 (train.py's
# penalty, default 1.0), DROP (features to leave out, comma-separated: an
# ablation). Exit status 77 when the corpus or the gazetteer is
# absent, 1 on a failure. Deterministic: the same tree gives the same figures.
set -euo pipefail
. "$(dirname "$0")/model_pairs.sh" crossval
DROP=${DROP:-}
keep=""
[ "${1:-}" = "--keep" ] && keep=${2:?--keep needs a folder}
work=${keep:-$(mktemp -d)}
mkdir -p "$work"
[ -n "$keep" ] || trap 'rm -rf "$work"' EXIT
folds=$here/data/model/folds.tsv
py=$here/scripts/crossval_util.py
model_pairs "$work"
for f in 0 1 2 3 4; do
    python3 "$py" split "$folds" "$f" "$dev/docs.jsonl" "$work/fold$f.jsonl" "$work/fold$f.ids"
    python3 "$here/scripts/train.py" "${train_args[@]}" --exclude-docs "$(cat "$work/fold$f.ids")" --l2 "$L2" \
        --drop-features "$DROP" \
        -o "$work/weights$f.json" 2>/dev/null
    for mode in cut curve; do
        cut=()
        [ "$mode" = curve ] && cut=(--min-confidence 0.01)
        "$INCIMAP" extract "$work/fold$f.jsonl" -o "$work/$mode$f" -f GeoJSON -q --overwrite \
            --gazetteer "$GAZ" --model "$work/weights$f.json" "${cut[@]}"
    done
done
python3 "$py" pool "$work/pooled.geojson" "$work"/cut?/incidents.geojson
python3 "$py" pool "$work/pooled-curve.geojson" "$work"/curve?/incidents.geojson
python3 "$here/scripts/train.py" "${train_args[@]}" --l2 "$L2" --drop-features "$DROP" -o "$work/weights-all.json" 2>/dev/null
"$INCIMAP" extract "$dev/docs.jsonl" -o "$work/insample" -f GeoJSON -q --overwrite \
    --gazetteer "$GAZ" --model "$work/weights-all.json"

score=$SHARED/eval/score.py
gold=$dev/gold.jsonl
echo "=== cross-validated (5 folds of data/model/folds.tsv), pooled"
python3 "$score" --gold "$gold" "$work/pooled.geojson"
echo "=== confidence curve (cross-validated)"
python3 "$score" --gold "$gold" "$work/pooled-curve.geojson" --curve | sed -n '/min_confidence/,$p'
echo "=== in-sample (weights fitted on every article but the lockbox)"
python3 "$score" --gold "$gold" "$work/insample/incidents.geojson" | tail -n 1
python3 "$score" --gold "$gold" "$work/pooled.geojson" --json | python3 "$py" summary
