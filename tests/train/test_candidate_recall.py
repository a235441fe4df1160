#!/usr/bin/env python3
"""scripts/candidate_recall.py on a corpus made here: three villages of one
list, gold 2 km apart, and candidates that reach them in two ways. By default
one candidate near all three reaches all three; with --distinct each needs a
candidate place of its own. Standard library only."""
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPT = os.path.join(HERE, "..", "..", "scripts", "candidate_recall.py")


def write(path, rows):
    with open(path, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r) + "\n")


def last_line(args):
    out = subprocess.run([sys.executable, SCRIPT] + args, capture_output=True, text=True,
                         check=True).stdout
    return out.strip().splitlines()[-1]


def main():
    failed = 0
    with tempfile.TemporaryDirectory() as d:
        docs, gold, pairs = (os.path.join(d, n) for n in ("docs.jsonl", "gold.jsonl", "pairs.jsonl"))
        write(docs, [{"id": "a.txt", "lang": "en"}])
        write(gold, [{"doc": "a.txt", "type": "clash", "place": p, "lat": 39.50, "lon": 47.00 + k * 0.02,
                      "radius_km": 10} for k, p in enumerate(("X", "Y", "Z"))] +
              [{"doc": "a.txt", "type": "shelling", "place": "W", "lat": 40.0, "lon": 46.0,
                "optional": True}])
        # one candidate place (two pairs of it) near the three villages
        write(pairs, [{"doc": "a.txt", "type": "clash", "place": "X", "place_id": "p:x",
                       "lat": 39.50, "lon": 47.00}] * 2)
        cases = [([], "all=1.00 shelling=n/a clash=1.00"),
                 (["--distinct"], "all=0.33 shelling=n/a clash=0.33")]
        for extra, want in cases:
            got = last_line(["--pairs", pairs, "--gold", gold, "--docs-jsonl", docs] + extra)
            if want not in got:
                print(f"FAIL {extra}: {got!r} lacks {want!r}")
                failed += 1
        # then a place of its own for Y, at the same point (Z stays with none)
        write(pairs, [{"doc": "a.txt", "type": "clash", "place": "X", "place_id": "p:x",
                       "lat": 39.50, "lon": 47.00},
                      {"doc": "a.txt", "type": "clash", "place": "Y", "place_id": "unplaced:y",
                       "lat": 39.50, "lon": 47.00}])
        got = last_line(["--pairs", pairs, "--gold", gold, "--docs-jsonl", docs, "--distinct"])
        if "clash=0.67" not in got:
            print(f"FAIL two places: {got!r}")
            failed += 1
    print(f"{3 - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
