#!/usr/bin/env python3
"""Candidate recall: the share of gold incidents that reach the pair model.

Usage:
  candidate_recall.py --pairs PAIRS.jsonl --gold GOLD.jsonl --docs-jsonl DOCS.jsonl
                      [--list-missed]

PAIRS.jsonl is what `incimap extract DOCS.jsonl --dump-pairs PAIRS.jsonl`
writes: every candidate (trigger, place) pair, whatever its probability.
GOLD.jsonl is in the scorer form (doc, type, lat, lon, radius_km, optional).
DOCS.jsonl gives each document's language (`lang`).

A non-optional gold incident is *reached* when at least one candidate pair of
its document and type lies within its radius_km. Whatever the model then
decides, an incident that is not reached cannot be found: this figure bounds
the recall of the extractor. Printed per type and per language, and as the
last line:
  candidate-recall: all=0.xx shelling=0.xx clash=0.xx evacuation=0.xx fr=0.xx en=0.xx
--list-missed prints every incident not reached (doc, type, place, and the
nearest candidate of its type in the document, if any) before the figures.
--distinct asks more: each incident needs a candidate place of its own, the
candidates' distinct places (place_id) matched one to one to the incidents
of their document and type, closest first, as the scorer matches pins: a
list of villages all pinned near one candidate counts once, not for each.
Standard library only.
"""
import argparse
import json
import math
import sys

TYPES = ("shelling", "clash", "evacuation")


def haversine_km(lat1, lon1, lat2, lon2):
    r = 6371.0088
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(min(1.0, math.sqrt(a)))


def load_jsonl(path):
    out = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError as e:
                sys.exit(f"candidate_recall: {path}:{n}: malformed JSON: {e}")
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pairs", required=True)
    ap.add_argument("--gold", required=True)
    ap.add_argument("--docs-jsonl", required=True)
    ap.add_argument("--list-missed", action="store_true")
    ap.add_argument("--distinct", action="store_true",
                    help="one candidate place per incident (matched one to one)")
    a = ap.parse_args(argv)

    lang = {}
    for d in load_jsonl(a.docs_jsonl):
        lang[d.get("id")] = (d.get("lang") or "?").lower()[:2]
    cands = {}
    for p in load_jsonl(a.pairs):
        if p.get("lat") is None or p.get("lon") is None:
            continue
        cands.setdefault((p["doc"], p["type"]), []).append(p)

    # (key) -> [reached, total]
    tally = {}

    def count(key, hit):
        t = tally.setdefault(key, [0, 0])
        t[0] += hit
        t[1] += 1

    # --distinct: the incidents a distinct candidate place is matched to,
    # one to one per document and type, closest pairs first
    own = None
    if a.distinct:
        own = set()
        golds = {}
        for g in load_jsonl(a.gold):
            if (not g.get("optional") and g.get("type") in TYPES and g.get("doc") in lang and
                    g.get("lat") is not None and g.get("lon") is not None):
                golds.setdefault((g["doc"], g["type"]), []).append(g)
        for key, gs in golds.items():
            places = {}
            for p in cands.get(key, []):
                places.setdefault(p.get("place_id") or (p["lat"], p["lon"]), p)
            ranked = sorted((haversine_km(p["lat"], p["lon"], g["lat"], g["lon"]), gi, pi)
                            for gi, g in enumerate(gs) for pi, p in enumerate(places.values()))
            used_g, used_p = set(), set()
            for d, gi, pi in ranked:
                if d > gs[gi].get("radius_km", 15) or gi in used_g or pi in used_p:
                    continue
                used_g.add(gi)
                used_p.add(pi)
                own.add(id(gs[gi]))
        gold_rows = [g for gs in golds.values() for g in gs]
    else:
        gold_rows = load_jsonl(a.gold)

    missed = []
    for g in gold_rows:
        if g.get("optional") or g.get("type") not in TYPES or g.get("doc") not in lang:
            continue
        if g.get("lat") is None or g.get("lon") is None:
            continue
        radius = g.get("radius_km", 15)
        best, best_d = None, None
        for p in cands.get((g["doc"], g["type"]), []):
            d = haversine_km(p["lat"], p["lon"], g["lat"], g["lon"])
            if best_d is None or d < best_d:
                best, best_d = p, d
        hit = best_d is not None and best_d <= radius
        if own is not None:
            hit = id(g) in own
        lg = lang[g["doc"]]
        for key in ("all", g["type"], lg, (lg, g["type"])):
            count(key, hit)
        if not hit:
            missed.append((g, best, best_d))

    if a.list_missed:
        for g, best, d in sorted(missed, key=lambda m: (m[0]["doc"], m[0]["type"])):
            near = (f"nearest {best['place']} at {d:.0f} km" if best else "no candidate of its type")
            print(f"missed: {g['doc']} {g['type']} {g.get('place', '?')} "
                  f"(r {g.get('radius_km', 15)} km): {near}")

    def share(key):
        t = tally.get(key)
        return "n/a" if not t or not t[1] else f"{t[0] / t[1]:.2f}"

    def counts(key):
        t = tally.get(key, [0, 0])
        return f"{t[0]}/{t[1]}"

    langs = sorted({k for k in tally if isinstance(k, str) and k not in TYPES and k != "all"})
    print(f"{'':12}" + "".join(f"{t:>14}" for t in TYPES) + f"{'all':>14}")
    for lg in langs:
        print(f"{lg:12}" + "".join(f"{share((lg, t)):>6} {counts((lg, t)):>7}" for t in TYPES) +
              f"{share(lg):>6} {counts(lg):>7}")
    print(f"{'all':12}" + "".join(f"{share(t):>6} {counts(t):>7}" for t in TYPES) +
          f"{share('all'):>6} {counts('all'):>7}")
    print(f"candidate-recall: all={share('all')} shelling={share('shelling')} "
          f"clash={share('clash')} evacuation={share('evacuation')} "
          f"fr={share('fr')} en={share('en')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
