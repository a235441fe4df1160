#!/usr/bin/env python3
"""Fit incimap's date choice: which of the candidate dates of a report's
trigger (extract/date_choice.h) is the event's date.

Usage:
  train_dates.py --pairs PAIRS.jsonl --gold GOLD.jsonl [--pairs ... --gold ...]
                 [--exclude-docs ID,ID...] [--l2 1.0] -o dates.json

PAIRS.jsonl is `incimap extract --dump-pairs` output: each pair carries
"date_candidates", a list of {"date": .., "features": {..}} (every date
expression of the trigger's sentence, the carried narrative date, the
publication day). A pair that matches a gold incident of its document and
type (as scripts/train.py matches: the nearest required one) with a date is
an example group: each candidate is y = 1 when its date is the gold date (as
../shared/eval/score.py compares them), else 0. Groups whose candidates are
all right or all wrong say nothing about the choice and are left out.
L2-penalised logistic regression by Newton's method over the candidates
(scripts/train.py's fit: deterministic to the sixth decimal); the extractor
takes the candidate of highest score. Writes {"weights": {"bias": ..,
feature: ..}, "training": {...}}, which scripts/train.py --dates embeds in
the model file. Standard library only.
"""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import train  # noqa: E402

# extract/date_choice.h, EXTD_LIST, in its order
NAMES = ("in_clause", "in_sentence_only", "nearest_in_clause", "before_trigger", "distance_0_3",
         "distance_4_10", "distance_11_plus", "trigger_between", "precision_day",
         "precision_month", "precision_year", "relative", "carried", "publication",
         "agrees_with_carried", "is_publication_day", "title", "background",
         "after_publication", "clause_has_own", "carried_exists")


def gold_date(pair, gold):
    """Date of the nearest required gold incident the pair matches, or None."""
    g = train.nearest_gold(pair, gold, keep=lambda g: g.get("date"))
    return g["date"] if g else None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pairs", required=True, action="append")
    ap.add_argument("--gold", required=True, action="append")
    ap.add_argument("--exclude-docs", help="leave these documents out (comma-separated ids)")
    ap.add_argument("--l2", type=float, default=1.0)
    ap.add_argument("-o", "--output", required=True)
    a = ap.parse_args()
    drop = set(a.exclude_docs.split(",")) if a.exclude_docs else set()
    gold = train.load_gold(a.gold)
    index = {n: i + 1 for i, n in enumerate(NAMES)}  # 0 is the bias
    rows, ys = [], []
    groups = 0
    for path in a.pairs:
        for p in train.load_jsonl(path):
            cands = p.get("date_candidates") or []
            if p["doc"] in drop or len(cands) < 2:
                continue
            want = gold_date(p, gold)
            if not want:
                continue
            labels = [1 if c["date"][:10] == want else 0 for c in cands]
            if all(labels) or not any(labels):
                continue
            groups += 1
            for c, y in zip(cands, labels):
                f = c.get("features") or {}
                for k in f:
                    if k not in index:
                        sys.exit(f"train_dates.py: {path}: unknown date feature {k!r}")
                rows.append(sorted({index[k] for k, v in f.items() if v} | {0}))
                ys.append(y)
    if not ys:
        sys.exit("train_dates.py: no pair with a choice of dates matches a gold incident with a date")
    w = train.fit(rows, ys, len(NAMES) + 1, a.l2, 0)
    out = {
        "model": "incimap date choice: logistic regression over the features of a candidate "
                 "date (extract/date_choice.h); a report takes the candidate of highest "
                 "bias + sum(weight * feature)",
        "trained_by": "scripts/train_dates.py",
        "l2": a.l2,
        "training": {"groups": groups, "candidates": len(ys), "right": sum(ys)},
        "weights": {"bias": round(w[0], 6) + 0.0,
                    **{n: round(w[i + 1], 6) + 0.0 for i, n in enumerate(NAMES)}},
    }
    with open(a.output, "w", encoding="utf-8") as f:
        json.dump(out, f, indent=2)
        f.write("\n")
    print(f"train_dates.py: {groups} choices, {len(ys)} candidates ({sum(ys)} right) -> {a.output}",
          file=sys.stderr)


if __name__ == "__main__":
    main()
