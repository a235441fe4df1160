#!/usr/bin/env python3
"""Unit tests of scripts/train.py on a tiny synthetic corpus written here:
weights learn the sign the data give them, training is deterministic, and
pairs are labelled as documented (scorer form, annotated form, optional
incidents, regions against towns). Standard library only; prints
'N passed, N failed'."""
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TRAIN = os.path.join(HERE, "..", "..", "scripts", "train.py")
sys.path.insert(0, os.path.dirname(TRAIN))
import train  # noqa: E402

passed = failed = 0


def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print(f"FAILED: {what}")


def pair(doc, typ, place, lat, lon, feats):
    return {"doc": doc, "type": typ, "place": place, "place_id": "t:" + place, "lat": lat,
            "lon": lon, "sentence": 1, "prob": 0.5, "features": dict({"bias": 1.0}, **feats)}


def write_jsonl(path, rows):
    with open(path, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r) + "\n")


def run_train(tmp, pairs, gold, out, *extra):
    pp, gp = os.path.join(tmp, "pairs.jsonl"), os.path.join(tmp, "gold.jsonl")
    write_jsonl(pp, pairs)
    write_jsonl(gp, gold)
    subprocess.run([sys.executable, TRAIN, "--pairs", pp, "--gold", gp, "-o", out, *extra],
                   check=True, capture_output=True)
    with open(out, encoding="utf-8") as f:
        return f.read()


def test_signs(tmp):
    # 'locative' pairs are incidents, 'blocked' pairs are not; 'noise' (every
    # other document, on both) says nothing
    pairs, gold = [], []
    for i in range(40):
        doc = f"d{i}.txt"
        lat = 40.0 + i * 0.5  # far apart: one gold point never matches another pair
        noise = {"noise": 1.0} if i % 2 else {}
        pairs.append(pair(doc, "shelling", "Good", lat, 45.0, dict({"locative": 1.0}, **noise)))
        pairs.append(pair(doc, "shelling", "Bad", lat, 47.0, dict({"blocked": 1.0}, **noise)))
        if i % 5 == 0:  # a few of each the other way, so no weight runs off
            pairs.append(pair(doc, "clash", "Odd", lat, 49.0, {"locative": 1.0}))
        gold.append({"doc": doc, "type": "shelling", "lat": lat, "lon": 45.0, "radius_km": 15})
    out = os.path.join(tmp, "w.json")
    text = run_train(tmp, pairs, gold, out)
    w = json.loads(text)["weights"]
    check(w["locative"] > 0.5, f"locative weight positive ({w['locative']})")
    check(w["blocked"] < -0.5, f"blocked weight negative ({w['blocked']})")
    check(abs(w["noise"]) < abs(w["locative"]), "a feature present everywhere weighs less")
    check(list(w)[0] == "bias", "bias comes first")
    again = run_train(tmp, pairs, gold, os.path.join(tmp, "w2.json"))
    check(text == again, "the same pairs give the same file, byte for byte")
    # the model is what the C side reads: threshold and weights by name
    m = json.loads(text)
    check(m["threshold"] == 0.5 and m["training"]["pairs"] == len(pairs), "summary fields")


def test_labels():
    gold = {}
    rows = [
        {"doc": "a", "type": "shelling", "place": "Stepanakert", "lat": 39.8177, "lon": 46.7528,
         "radius_km": 15},
        {"doc": "a", "type": "clash", "place": "Haut-Karabakh", "lat": 39.85, "lon": 46.7,
         "radius_km": 60},
        {"doc": "a", "type": "evacuation", "place": "Goris", "lat": 39.51, "lon": 46.34,
         "radius_km": 15, "optional": True},
        {"file": "b", "type": "shelling", "place": "Chouchi", "place_en": "Shusha"},
    ]
    for g in rows:
        gold.setdefault((g.get("doc") or g.get("file"), g["type"]), []).append(g)
    town = {"place_region": 0}
    region = {"place_region": 1.0}
    lab = train.label
    check(lab(pair("a", "shelling", "Stepanakert", 39.8177, 46.7528, town), gold) == 1,
          "a town at the gold point is positive")
    check(lab(pair("a", "shelling", "Karabakh", 39.85, 46.70, region), gold) == 0,
          "a region 6 km from a gold town is not that town")
    check(lab(pair("a", "clash", "Stepanakert", 39.8177, 46.7528, town), gold) == 0,
          "a town inside a region-level incident is not it")
    check(lab(pair("a", "clash", "Nagorny Karabakh", 39.85, 46.70, region), gold) == 1,
          "a region matches the region-level incident")
    check(lab(pair("a", "evacuation", "Goris", 39.51, 46.34, town), gold) is None,
          "a pair matching only an optional incident is left out")
    check(lab(pair("b", "shelling", "Shusha", 0, 0, town), gold) == 1,
          "annotated form: the English name matches, folded")
    check(lab(pair("b", "shelling", "CHOUCHI", 0, 0, town), gold) == 1,
          "annotated form: the name as written matches, folded")
    check(lab(pair("b", "clash", "Chouchi", 0, 0, town), gold) == 0, "another type does not")


def test_actors(tmp):
    """train_actors.py: the cue that agrees with the gold's actor1 gets the
    larger weight, the gold's side names are read, the fit is deterministic,
    evacuations and pairs without a cue are left out."""
    ta = os.path.join(HERE, "..", "..", "scripts", "train_actors.py")
    pairs, gold = [], []
    for i in range(24):
        doc = f"act{i}.txt"
        # the controller's opponent is right every time, the subject one time in three
        first = i % 2 == 0  # actor1 is the first party (AM)
        c = 1.0 if first else -1.0
        subj = c if i % 3 == 0 else -c
        p = pair(doc, "shelling", "Sotk", 40.2, 45.9, {})
        p["actor_features"] = {"controller_opposes": c, "subject_in_clause": subj}
        pairs.append(p)
        q = pair(doc, "evacuation", "Sotk", 40.2, 45.9, {})
        q["actor_features"] = {"controller_opposes": -c}
        pairs.append(q)
        pairs.append(dict(pair(doc, "shelling", "Sotk", 40.2, 45.9, {}), actor_features={}))
        gold.append({"doc": doc, "type": "shelling", "lat": 40.2, "lon": 45.9, "radius_km": 15,
                     "actor1": "AM" if first else "Azerbaijani forces"})
        gold.append({"doc": doc, "type": "evacuation", "lat": 40.2, "lon": 45.9, "radius_km": 15,
                     "actor1": ""})
    pp, gp = os.path.join(tmp, "apairs.jsonl"), os.path.join(tmp, "agold.jsonl")
    write_jsonl(pp, pairs)
    write_jsonl(gp, gold)
    outs = []
    for k in range(2):
        out = os.path.join(tmp, f"actors{k}.json")
        subprocess.run([sys.executable, ta, "--pairs", pp, "--gold", gp, "-o", out],
                       check=True, capture_output=True)
        with open(out, encoding="utf-8") as f:
            outs.append(f.read())
    check(outs[0] == outs[1], "train_actors.py is deterministic")
    m = json.loads(outs[0])
    w = m["weights"]
    check(m["training"]["examples"] == 24, "one example per shelling pair with a cue (no evacuation)")
    check(m["training"]["first_party"] == 12, "AM and 'Azerbaijani forces' read as sides")
    check(w["controller_opposes"] > 0.5, "the reliable cue gets a positive weight")
    check(w["controller_opposes"] > w["subject_in_clause"], "the reliable cue outweighs the noisy one")
    check("bias" not in w, "no intercept: the parties are symmetric")


def main():
    with tempfile.TemporaryDirectory() as tmp:
        test_signs(tmp)
        test_actors(tmp)
    test_labels()
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
