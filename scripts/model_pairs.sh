#!/usr/bin/env bash
# model_pairs.sh -- sourced by scripts/crossval.sh and scripts/retrain.sh:
# their settings and the candidate pairs both start from.
#
#   . scripts/model_pairs.sh NAME      (NAME prefixes the messages)
#   model_pairs WORK                   dump the pairs of the dev corpus to
#                                      WORK/pairs.jsonl and, when data/train
#                                      exists, of the project's own articles
#                                      to WORK/pairs-train.jsonl; sets
#                                      train_args=(--pairs ... --gold ...)
#                                      for every annotated set
#   oof_fits WORK                      after model_pairs: for each fold K of
#                                      data/model/folds.tsv, uncalibrated
#                                      weights fitted on the other folds
#                                      (WORK/weightsK.json), fold K extracted
#                                      with them at --min-confidence 0.01
#                                      (the actor decision, fitted by
#                                      scripts/train_actors.py on the other
#                                      folds too, is in the weights)
#                                      (WORK/curveK/); so is the date
#                                      choice (scripts/train_dates.py;
#                                      DATES_OFF=1: the hand-set rule), and the Platt
#                                      calibration of the confidence fitted
#                                      on these out-of-fold predictions:
#                                      WORK/calib/calibration.json (all folds)
#                                      and calibration-K.json (all but K)
# Environment: INCIMAP (default build/incimap), SHARED (default ../shared
# beside the repo), INCIMAP_GAZETTEER (default the installed one), L2
# (train.py's penalty, default 1.0), CONJ=1 (fit the type conjunctions,
# train.py --type-conjunctions: an experiment, off in the shipped model),
# L2_TYPE (their penalty, default train.py's), CONJOIN (join only these
# features to the type), LOCKBOX and FOLDS (default
# data/model/lockbox.tsv and folds.tsv). Exits 77 when the dev corpus or the
# gazetteer is absent.
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
INCIMAP=${INCIMAP:-$here/build/incimap}
SHARED=${SHARED:-$here/../shared}
GAZ=${INCIMAP_GAZETTEER:-/usr/local/share/incimap/gazetteer.sqlite}
L2=${L2:-1.0}
# the lockbox and the folds (another pair only to test scripts/lockbox.sh)
LOCKBOX=${LOCKBOX:-$here/data/model/lockbox.tsv}
FOLDS=${FOLDS:-$here/data/model/folds.tsv}
dev=$SHARED/corpus/dev
if [ ! -f "$dev/docs.jsonl" ] || [ ! -f "$dev/gold.jsonl" ] || [ ! -f "$SHARED/eval/score.py" ]; then
    echo "$1: skipped: the dev corpus ($dev) or $SHARED/eval/score.py is absent"
    exit 77
fi
if [ ! -f "$GAZ" ]; then
    echo "$1: skipped: no gazetteer at $GAZ (run scripts/setup.sh)"
    exit 77
fi
# the type conjunctions of train.py, the same in every fit
conj_args=(${CONJ:+--type-conjunctions} ${L2_TYPE:+--l2-type "$L2_TYPE"}
           ${CONJOIN:+--conjoin "$CONJOIN"})
[ -x "$INCIMAP" ] || { echo "$1: $INCIMAP is not built" >&2; exit 1; }

# The pairs do not depend on the weights: they are dumped once, with empty
# weights, so that a feature added since data/model/pairs.json was fitted does
# not stop the run.
model_pairs() {
    local work=$1
    # The lockbox (data/model/lockbox.tsv) never trains, folds or scores here:
    # from now on $dev is a copy of the corpus without its articles.
    mkdir -p "$work/dev"
    python3 "$here/scripts/crossval_util.py" unlock "$LOCKBOX" "$dev" "$work/dev"
    dev=$work/dev
    echo '{"weights": {}}' >"$work/empty.json"
    "$INCIMAP" extract "$dev/docs.jsonl" -o "$work/all" -f GeoJSON -q --overwrite \
        --gazetteer "$GAZ" --model "$work/empty.json" --dump-pairs "$work/pairs.jsonl"
    train_args=(--pairs "$work/pairs.jsonl" --gold "$dev/gold.jsonl")
    # the project's own annotated articles (data/train) join every training
    # set and no test fold
    if [ -f "$here/data/train/articles.jsonl" ]; then
        "$INCIMAP" extract "$here/data/train/articles.jsonl" -o "$work/train" -f GeoJSON -q \
            --overwrite --gazetteer "$GAZ" --model "$work/empty.json" \
            --dump-pairs "$work/pairs-train.jsonl"
        train_args+=(--pairs "$work/pairs-train.jsonl" --gold "$here/data/train/gold.annotated.jsonl")
    fi
}

oof_fits() {
    local work=$1 f
    local py=$here/scripts/crossval_util.py
    local ids=() layers=()
    for f in 0 1 2 3 4; do
        python3 "$py" split "$FOLDS" "$f" "$dev/docs.jsonl" \
            "$work/fold$f.jsonl" "$work/fold$f.ids"
        python3 "$here/scripts/train_actors.py" "${train_args[@]}" \
            --exclude-docs "$(cat "$work/fold$f.ids")" -o "$work/actors$f.json" 2>/dev/null
        python3 "$here/scripts/train_dates.py" "${train_args[@]}" \
            --exclude-docs "$(cat "$work/fold$f.ids")" -o "$work/dates$f.json" 2>/dev/null
        python3 "$here/scripts/train.py" "${train_args[@]}" --exclude-docs "$(cat "$work/fold$f.ids")" \
            --l2 "$L2" "${conj_args[@]}" --drop-features "${DROP:-}" ${ACTORS_OFF:+--no-actors} \
            ${DATES_OFF:+--no-dates} --dates "$work/dates$f.json" \
            --actors "$work/actors$f.json" -o "$work/weights$f.json" 2>/dev/null
        "$INCIMAP" extract "$work/fold$f.jsonl" -o "$work/curve$f" -f GeoJSON -q --overwrite \
            --gazetteer "$GAZ" --model "$work/weights$f.json" --min-confidence 0.01
        ids+=("$work/fold$f.ids")
        layers+=("$work/curve$f/incidents.geojson")
    done
    mkdir -p "$work/calib"
    python3 "$py" calibrate "$SHARED/eval/score.py" "$dev/gold.jsonl" "$work/calib" \
        "${ids[@]}" -- "${layers[@]}"
}
