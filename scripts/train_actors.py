#!/usr/bin/env python3
"""Fit incimap's actor decision: which of the conflict's two focus parties is
actor1 of a shelling or a clash.

Usage:
  train_actors.py --pairs PAIRS.jsonl --gold GOLD.jsonl [--pairs ... --gold ...]
                  [--exclude-docs ID,ID...] [--l2 1.0] [--focus AM,AZ] -o actors.json

PAIRS.jsonl is `incimap extract --dump-pairs` output: each shelling and clash
pair carries "actor_features" (extract/model.h, EXTA_LIST), each +1 when the
cue points to the first focus party, -1 to the second. A pair that matches
a gold incident of its document and type (as scripts/train.py matches, the
nearest required one) whose actor1 is one of the two parties is an example:
y = 1 for the first party. actor1 in the gold is a side code (AM, AZ) or a
name that says the side ("Azerbaijani forces"). Pairs with no cue say
nothing and are left out. L2-penalised logistic regression without an intercept
(the two parties are symmetric) by Newton's method: deterministic to the sixth decimal. Writes
{"weights": {"bias": .., feature: ..}, "training": {...}}, which
scripts/train.py --actors embeds in the model file. Standard library only.
"""
import argparse
import json
import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import train  # noqa: E402

NAMES = ("agent_or_adjective", "subject_in_clause", "subject_in_sentence", "claimant_own_forces",
         "claimant_accuses", "target_opposes", "controller_opposes", "controller_opposes_clash",
         "capture_from_occupier")


def side_of(actor):
    """A gold actor1 as a side code, as ../shared/eval/score.py reads it."""
    a = str(actor or "").lower()
    if a in ("az", "am", "ru"):
        return a.upper()
    if "azerbai" in a or "azéri" in a or "azeri" in a or "azərbay" in a:
        return "AZ"
    if "armen" in a or "armén" in a or "artsakh" in a or "karabakh" in a or "karabagh" in a:
        return "AM"
    return ""


def gold_side(pair, gold):
    """actor1 side of the nearest required gold incident the pair matches, or None."""
    g = train.nearest_gold(pair, gold)
    return side_of(g.get("actor1")) if g else None


def fit(xs, ys, l2, iters=100):
    """No intercept: the features are antisymmetric in the two parties, and
    a bias would carry which party attacked more often in the training
    corpus into every article."""
    n = len(NAMES)
    w = [0.0] * n
    for _ in range(iters):
        grad = [0.0] * n
        hess = [[0.0] * n for _ in range(n)]
        for x, y in zip(xs, ys):
            v = list(x)
            z = sum(wi * vi for wi, vi in zip(w, v))
            p = 1.0 / (1.0 + math.exp(-z)) if z > -30 else 0.0
            h = p * (1 - p)
            for i in range(n):
                if v[i]:
                    grad[i] += (p - y) * v[i]
                    for j in range(n):
                        if v[j]:
                            hess[i][j] += h * v[i] * v[j]
        for i in range(n):
            grad[i] += l2 * w[i]
            hess[i][i] += l2
        for i in range(n):
            hess[i][i] += 1e-9
        step = train.solve(hess, grad)
        w = [wi - si for wi, si in zip(w, step)]
        if max(abs(s) for s in step) < 1e-10:
            break
    return w


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pairs", required=True, action="append")
    ap.add_argument("--gold", required=True, action="append")
    ap.add_argument("--exclude-docs", help="leave these documents out (comma-separated ids)")
    ap.add_argument("--l2", type=float, default=1.0)
    ap.add_argument("--focus", default="AM,AZ",
                    help="the two focus parties, in the order of the conflict file (default AM,AZ)")
    ap.add_argument("-o", "--output", required=True)
    a = ap.parse_args()
    first, second = a.focus.split(",")
    drop = set(a.exclude_docs.split(",")) if a.exclude_docs else set()
    gold = train.load_gold(a.gold)
    xs, ys = [], []
    for path in a.pairs:
        for p in train.load_jsonl(path):
            if p["doc"] in drop or p["type"] == "evacuation":
                continue
            af = p.get("actor_features") or {}
            x = [float(af.get(n, 0.0)) for n in NAMES]
            if not any(x):
                continue
            side = gold_side(p, gold)
            if side not in (first, second):
                continue
            xs.append(x)
            ys.append(1 if side == first else 0)
    if not xs:
        sys.exit("train_actors.py: no pair with actor cues matches a gold incident with actor1")
    w = fit(xs, ys, a.l2)
    out = {
        "model": "incimap actor decision: logistic regression over the actor features of "
                 "extract/model.h (+1 for the first focus party, -1 for the second); "
                 "actor1 is the first when 1 / (1 + exp(-sum)) >= 0.5",
        "trained_by": "scripts/train_actors.py",
        "l2": a.l2,
        "training": {"examples": len(ys), "first_party": sum(ys)},
        "weights": {n: round(w[i], 6) + 0.0 for i, n in enumerate(NAMES)},
    }
    with open(a.output, "w", encoding="utf-8") as f:
        json.dump(out, f, indent=2)
        f.write("\n")
    print(f"train_actors.py: {len(ys)} examples ({sum(ys)} {first}) -> {a.output}", file=sys.stderr)


if __name__ == "__main__":
    main()
