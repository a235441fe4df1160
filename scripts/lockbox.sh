#!/usr/bin/env bash
# lockbox.sh -- score the lockbox, once, at the very end (issue 16): the pair
# model is fitted as scripts/retrain.sh fits it (weights on every dev article
# but the lockbox and on data/train, calibration out of fold), the 20
# articles of data/model/lockbox.tsv are extracted with it and scored with
# ../shared/eval/score.py. Nobody reads, tunes on or re-runs it to improve a
# figure; report its F1 beside scripts/crossval.sh's.
#
#   bash scripts/lockbox.sh [--keep DIR]
#
# Prints the scorer's summary (per type, dates, actors; no per-incident
# lines) and, last: lockbox: P=.. R=.. F1=.. dates=.. actor1=.. P@0.8=..
# Environment: as scripts/retrain.sh; LOCKBOX and FOLDS only to test this
# script on a fake lockbox. Exit status 77 without the corpus or gazetteer.
set -euo pipefail
. "$(dirname "$0")/model_pairs.sh" lockbox
keep=""
[ "${1:-}" = "--keep" ] && keep=${2:?--keep needs a folder}
work=${keep:-$(mktemp -d)}
mkdir -p "$work/locked"
[ -n "$keep" ] || trap 'rm -rf "$work"' EXIT
python3 "$here/scripts/crossval_util.py" lock "$LOCKBOX" "$dev" "$work/locked"
n=$(grep -c . "$work/locked/docs.jsonl" || true)
[ "$n" -gt 0 ] || { echo "lockbox: none of the articles of $LOCKBOX is in $dev" >&2; exit 1; }
INCIMAP=$INCIMAP INCIMAP_GAZETTEER=$GAZ SHARED=$SHARED LOCKBOX=$LOCKBOX FOLDS=$FOLDS \
    bash "$here/scripts/retrain.sh" -o "$work/model.json" 2>/dev/null
"$INCIMAP" extract "$work/locked/docs.jsonl" -o "$work/out" -f GeoJSON -q --overwrite \
    --gazetteer "$GAZ" --model "$work/model.json"
score=$SHARED/eval/score.py
echo "=== lockbox: $n articles, scored once"
python3 "$score" --gold "$work/locked/gold.jsonl" "$work/out/incidents.geojson" \
    | grep -v '^missed:\|^false positive:'
p8=$(python3 "$score" --gold "$work/locked/gold.jsonl" "$work/out/incidents.geojson" \
    --min-confidence 0.8 --json | python3 -c 'import json,sys; print("%.2f" % json.load(sys.stdin)["precision"])')
python3 "$score" --gold "$work/locked/gold.jsonl" "$work/out/incidents.geojson" --json \
    | python3 "$here/scripts/crossval_util.py" summary | sed "s/^crossval:/lockbox:/; s/\$/ P@0.8=$p8/"
