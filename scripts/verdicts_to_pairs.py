#!/usr/bin/env python3
"""Turn an analyst's verdicts (incimap serve) into training pairs and gold
that scripts/train.py reads, beside the annotated articles.

Usage:
  verdicts_to_pairs.py --db STORE --articles INPUT [INPUT...] -o OUT_DIR
                       [--incimap BIN] [--gazetteer FILE] [--date YYYY-MM-DD]
                       [--extract-arg ARG ...]

Writes OUT_DIR/pairs.jsonl (the candidate pairs of every reviewed document,
from `incimap extract INPUT... --dump-pairs`) and OUT_DIR/gold.jsonl (scorer
form), then prints the train.py arguments to add:
  --pairs OUT_DIR/pairs.jsonl --gold OUT_DIR/gold.jsonl

INPUT are the articles the store was filled from (the store keeps their
hashes, not their text); only the documents with a verdict are kept.

What a verdict says, per document of the incident it was given for:
  accepted   the incident is right: a gold incident of its type at its point
  edited     the incident, corrected: the edited type, date and point
  rejected   not an incident there: no gold, so its pairs are negatives
  merged     (rejected as a duplicate into another incident) an incident at
             the other incident's point and type (optional while that one is
             unreviewed; none when it is rejected)
The incidents of a reviewed document that nobody reviewed become optional
gold (their pairs are left out, neither positive nor negative). The radius
of a gold point follows its geo_prec: 5 km (1), 15 km (2), 50 km (3, a
region: only a region matches it, as train.py says).

Documents listed in data/model/lockbox.tsv are never used. Standard library
only; the store is opened read-only.
"""
import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile

STATES = {0: "unreviewed", 1: "accepted", 2: "edited", 3: "rejected"}
TYPES = ("shelling", "clash", "evacuation")
RADIUS = {1: 5.0, 2: 15.0, 3: 50.0}


def read_lockbox(repo):
    path = os.path.join(repo, "data", "model", "lockbox.tsv")
    if not os.path.exists(path):
        return set()
    with open(path, encoding="utf-8") as f:
        return {ln.split("\t")[0].strip() for ln in f if ln.strip() and not ln.startswith("#")}


def load_items(db):
    """Every reviewed item: its state, edits, merge target and reports."""
    items = {}
    for item_id, state, reason, edits, merged in db.execute(
            "SELECT item_id, state, reason, edits, merged_into FROM review_item"):
        items[item_id] = {"state": STATES.get(state, "unreviewed"), "reason": reason,
                          "edits": json.loads(edits or "{}"), "merged_into": merged, "reports": []}
    for item_id, doc, typ, lon, lat, prec, place in db.execute(
            "SELECT m.item_id, r.doc_id, r.type, r.lon, r.lat, r.geo_prec, r.place"
            " FROM review_member m JOIN report r ON r.report_id=m.report_id ORDER BY r.report_id"):
        if item_id in items:
            items[item_id]["reports"].append({"doc": doc, "type": TYPES[typ], "lon": lon, "lat": lat,
                                              "geo_prec": prec, "place": place})
    return items


def truth(item):
    """(type, lon, lat, geo_prec, place) of an accepted or edited item."""
    r = item["reports"][0]
    e = item["edits"]
    typ = e.get("type", r["type"])
    lon, lat = e.get("lon", r["lon"]), e.get("lat", r["lat"])
    prec = int(e.get("geo_prec", 1 if "lon" in e else r["geo_prec"]))
    return typ, lon, lat, prec, e.get("place_name", r["place"])


def build_gold(db, items, lockbox):
    gold, reviewed_docs = [], set()
    for iid, it in items.items():
        if not it["reports"] or it["state"] == "unreviewed":
            continue  # an item made only as a merge target
        docs = sorted({r["doc"] for r in it["reports"]} - lockbox)
        reviewed_docs.update(docs)
        target, optional = None, False
        if it["state"] in ("accepted", "edited"):
            target = it
        elif it["merged_into"] and it["merged_into"] in items and items[it["merged_into"]]["reports"]:
            # a duplicate: an event at the other incident's point, as sure
            # as that incident is (unreviewed: optional; rejected: none)
            target = items[it["merged_into"]]
            if target["state"] == "rejected":
                target = None
            optional = target is not None and target["state"] == "unreviewed"
        if target is None:
            continue  # rejected: its pairs stay negatives
        typ, lon, lat, prec, place = truth(target)
        if lon is None or lat is None:
            continue
        for d in docs:
            g = {"doc": d, "type": typ, "lat": lat, "lon": lon,
                 "radius_km": RADIUS.get(prec, 15.0), "place": place,
                 "source": "verdict", "item": iid, "review": it["state"]}
            if optional:
                g["optional"] = True
            gold.append(g)
    # the unreviewed incidents of reviewed documents: optional
    members = {rid for (rid,) in db.execute(
        "SELECT m.report_id FROM review_member m JOIN review_item i ON i.item_id=m.item_id"
        " WHERE i.state<>0")}
    for rid, doc, typ, lon, lat, prec, place in db.execute(
            "SELECT report_id, doc_id, type, lon, lat, geo_prec, place FROM report"):
        if doc in reviewed_docs and rid not in members and lon is not None and lat is not None:
            gold.append({"doc": doc, "type": TYPES[typ], "lat": lat, "lon": lon,
                         "radius_km": RADIUS.get(prec, 15.0), "place": place, "optional": True,
                         "source": "unreviewed"})
    return gold, reviewed_docs


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", required=True)
    ap.add_argument("--articles", nargs="+", required=True)
    ap.add_argument("-o", "--out", required=True)
    ap.add_argument("--incimap", default="incimap")
    ap.add_argument("--gazetteer")
    ap.add_argument("--date")
    ap.add_argument("--extract-arg", action="append", default=[])
    a = ap.parse_args()
    if not os.path.exists(a.db):
        sys.exit(f"verdicts_to_pairs: {a.db}: no such store")
    db = sqlite3.connect(f"file:{a.db}?mode=ro", uri=True)
    try:
        db.execute("SELECT 1 FROM review_item LIMIT 1")
    except sqlite3.OperationalError:
        sys.exit(f"verdicts_to_pairs: {a.db}: no verdicts (review it with incimap serve first)")
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    items = load_items(db)
    gold, docs = build_gold(db, items, read_lockbox(repo))
    db.close()
    if not docs:
        sys.exit(f"verdicts_to_pairs: {a.db}: no reviewed incident")
    os.makedirs(a.out, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        dump = os.path.join(tmp, "pairs.jsonl")
        cmd = [a.incimap, "extract", *a.articles, "-o", "-", "-q", "--dump-pairs", dump]
        if a.gazetteer:
            cmd += ["--gazetteer", a.gazetteer]
        if a.date:
            cmd += ["--date", a.date]
        cmd += a.extract_arg
        r = subprocess.run(cmd, stdout=subprocess.DEVNULL)
        if r.returncode not in (0, 1):
            sys.exit(f"verdicts_to_pairs: {' '.join(cmd)}: exit status {r.returncode}")
        n_pairs = 0
        with open(dump, encoding="utf-8") as f, \
                open(os.path.join(a.out, "pairs.jsonl"), "w", encoding="utf-8") as out:
            for line in f:
                if json.loads(line)["doc"] in docs:
                    out.write(line)
                    n_pairs += 1
    with open(os.path.join(a.out, "gold.jsonl"), "w", encoding="utf-8") as out:
        for g in gold:
            out.write(json.dumps(g, ensure_ascii=False) + "\n")
    counts = {}
    for it in items.values():
        if it["state"] == "unreviewed":
            continue
        counts[it["state"]] = counts.get(it["state"], 0) + 1
    print(f"verdicts_to_pairs: {len(docs)} reviewed documents, {n_pairs} pairs, "
          f"{sum(1 for g in gold if not g.get('optional'))} gold incidents "
          f"({sum(1 for g in gold if g.get('optional'))} optional); items {counts}", file=sys.stderr)
    print(f"--pairs {os.path.join(a.out, 'pairs.jsonl')} --gold {os.path.join(a.out, 'gold.jsonl')}")


if __name__ == "__main__":
    main()
