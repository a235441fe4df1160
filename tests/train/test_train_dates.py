#!/usr/bin/env python3
"""Unit tests of scripts/train_dates.py on a tiny synthetic corpus written
here: the weights take the sign the data give them, training is
deterministic, and only choices matter (groups whose candidates are all right
or all wrong, optional gold and pairs matching no gold are left out).
Standard library only; prints 'N passed, N failed'."""
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPT = os.path.join(HERE, "..", "..", "scripts", "train_dates.py")

passed = failed = 0


def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print(f"FAILED: {what}")


def pair(doc, place, lat, lon, cands):
    return {"doc": doc, "type": "shelling", "place": place, "place_id": "t:" + place, "lat": lat,
            "lon": lon, "sentence": 1, "prob": 0.5, "features": {"bias": 1.0},
            "date_candidates": [{"date": d, "features": f} for d, f in cands]}


def write_jsonl(path, rows):
    with open(path, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r) + "\n")


def run(tmp, pairs, gold, name="dates.json"):
    pp, gp, out = (os.path.join(tmp, n) for n in ("p.jsonl", "g.jsonl", name))
    write_jsonl(pp, pairs)
    write_jsonl(gp, gold)
    r = subprocess.run([sys.executable, SCRIPT, "--pairs", pp, "--gold", gp, "-o", out],
                       capture_output=True, text=True)
    return r, out


def main():
    near = {"in_clause": 1, "nearest_in_clause": 1, "precision_day": 1}
    carried = {"carried": 1, "precision_day": 1}
    publication = {"publication": 1, "precision_day": 1}
    pairs, gold = [], []
    # ten stories: the clause's own date is right, the carried and the
    # publication day wrong; two where the carried date is right and the
    # clause has none
    for i in range(10):
        doc = f"d{i}.txt"
        pairs.append(pair(doc, "Sotk", 40.2, 45.87, [("2022-09-12", near),
                                                      ("2022-09-13", carried),
                                                      ("2022-09-14", publication)]))
        gold.append({"doc": doc, "type": "shelling", "place": "Sotk", "lat": 40.2, "lon": 45.87,
                     "radius_km": 10, "date": "2022-09-12"})
    for i in range(2):
        doc = f"c{i}.txt"
        pairs.append(pair(doc, "Goris", 39.51, 46.34, [("2022-09-13", carried),
                                                        ("2022-09-14", publication)]))
        gold.append({"doc": doc, "type": "shelling", "place": "Goris", "lat": 39.51, "lon": 46.34,
                     "radius_km": 10, "date": "2022-09-13"})
    # left out: a group whose candidates are all right, one matching only an
    # optional incident, one matching no gold
    pairs.append(pair("same.txt", "Sotk", 40.2, 45.87, [("2022-09-14", near),
                                                         ("2022-09-14", publication)]))
    gold.append({"doc": "same.txt", "type": "shelling", "place": "Sotk", "lat": 40.2,
                 "lon": 45.87, "radius_km": 10, "date": "2022-09-14"})
    pairs.append(pair("opt.txt", "Sotk", 40.2, 45.87, [("2022-09-12", near),
                                                        ("2022-09-14", publication)]))
    gold.append({"doc": "opt.txt", "type": "shelling", "place": "Sotk", "lat": 40.2,
                 "lon": 45.87, "radius_km": 10, "date": "2022-09-14", "optional": True})
    pairs.append(pair("far.txt", "Kapan", 39.2, 46.4, [("2022-09-12", near),
                                                        ("2022-09-14", publication)]))
    gold.append({"doc": "far.txt", "type": "shelling", "place": "Sotk", "lat": 40.2,
                 "lon": 45.87, "radius_km": 10, "date": "2022-09-14"})
    with tempfile.TemporaryDirectory() as tmp:
        r, out = run(tmp, pairs, gold)
        check(r.returncode == 0, f"train_dates.py runs ({r.stderr.strip()})")
        if r.returncode != 0:
            return
        with open(out, encoding="utf-8") as f:
            m = json.load(f)
        w = m["weights"]
        check(m["training"]["groups"] == 12, f"12 choices, the others left out ({m['training']})")
        check(m["training"]["candidates"] == 34, f"34 candidates ({m['training']})")
        check(w["nearest_in_clause"] + w["in_clause"] > w["carried"],
              "the clause's own date outweighs the carried one")
        check(w["carried"] > w["publication"], "the carried date outweighs publication")
        check(set(w) >= {"bias", "relative", "title", "clause_has_own"}, "every feature is named")
        r2, out2 = run(tmp, pairs, gold, "again.json")
        with open(out, "rb") as a, open(out2, "rb") as b:
            check(a.read() == b.read(), "training is deterministic, byte for byte")
        bad = [pair("x.txt", "Sotk", 40.2, 45.87, [("2022-09-12", {"phase_of_moon": 1}),
                                                    ("2022-09-14", publication)])]
        r3, _ = run(tmp, bad, [{"doc": "x.txt", "type": "shelling", "place": "Sotk", "lat": 40.2,
                                "lon": 45.87, "radius_km": 10, "date": "2022-09-12"}], "bad.json")
        check(r3.returncode != 0 and "phase_of_moon" in r3.stderr,
              "an unknown date feature is an error naming it")


main()
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
