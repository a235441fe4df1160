#!/usr/bin/env python3
"""toll_changes.py -- which incidents' fatalities and injured differ between
two runs of `incimap extract` on the same articles (issue 18: tolls over a
period kept off incidents), with each source's sentence, so that each change
can be judged against the article.

    python3 scripts/toll_changes.py BEFORE.geojson AFTER.geojson [--verdicts FILE]

Incidents are matched by incident_id (a hash of type, place and date span),
then by (type, place_id, date). Prints one block per incident whose
fatalities, fatal_max, injured or inj_max changed (or that is in one run
only and has a count), and a summary line:
    toll_changes: N incidents, C changed (fatalities F, injured I)
With --verdicts FILE (TSV: incident_id, the expected fatalities or '-' for
none, the expected injured or '-'; '#' comments), also the accuracy of both
runs on those incidents:
    toll_accuracy: before F=a/n I=b/m  after F=c/n I=d/m
The gold of the dev corpus has no casualty fields, so the verdicts are a
reader's, written from the articles; run it on the corpus without the
lockbox (scripts/crossval_util.py unlock)."""
import argparse
import json
import sys

FIELDS = ("fatalities", "fatal_max", "injured", "inj_max")


def load(path):
    with open(path, encoding="utf-8") as f:
        feats = json.load(f)["features"]
    out = {}
    for ft in feats:
        p = ft["properties"]
        out[p.get("incident_id") or (p["type"], p["place_id"], p["date"])] = p
    return out


def counts(p):
    return tuple(p.get(k) for k in FIELDS) if p else (None,) * 4


def show(v):
    return "-" if v is None else str(v)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("before")
    ap.add_argument("after")
    ap.add_argument("--verdicts")
    a = ap.parse_args()
    b, c = load(a.before), load(a.after)
    keys = sorted(set(b) | set(c), key=str)
    changed = nf = ni = 0
    for k in keys:
        pb, pc = b.get(k), c.get(k)
        cb, cc = counts(pb), counts(pc)
        if cb == cc:
            continue
        if (pb is None or pc is None) and not any(v is not None for v in cb + cc):
            continue
        changed += 1
        nf += cb[:2] != cc[:2]
        ni += cb[2:] != cc[2:]
        p = pc or pb
        print(f"{k}\t{p['type']}\t{p['place']}\t{p['date']}\tdocs {','.join(p['doc_ids'])}")
        print(f"    before F {show(cb[0])}..{show(cb[1])} I {show(cb[2])}..{show(cb[3])}"
              f"   after F {show(cc[0])}..{show(cc[1])} I {show(cc[2])}..{show(cc[3])}"
              + ("" if pb and pc else "   (in one run only)"))
        for s in p.get("sources") or []:
            print(f"    {s['doc_id']}: {(s.get('evidence') or '')[:300]}")
    print(f"toll_changes: {len(keys)} incidents, {changed} changed (fatalities {nf}, injured {ni})")
    if a.verdicts:
        tot = {"F": 0, "I": 0}
        ok = {("b", "F"): 0, ("b", "I"): 0, ("a", "F"): 0, ("a", "I"): 0}
        with open(a.verdicts, encoding="utf-8") as f:
            for line in f:
                if not line.strip() or line.startswith("#"):
                    continue
                iid, ef, ei = line.rstrip("\n").split("\t")[:3]
                ef = None if ef == "-" else int(ef)
                ei = None if ei == "-" else int(ei)
                tot["F"] += 1
                tot["I"] += 1
                for tag, run in (("b", b), ("a", c)):
                    p = run.get(iid)
                    ok[(tag, "F")] += (p.get("fatalities") if p else None) == ef
                    ok[(tag, "I")] += (p.get("injured") if p else None) == ei
        n = tot["F"]
        print(f"toll_accuracy: before F={ok[('b', 'F')]}/{n} I={ok[('b', 'I')]}/{n}"
              f"  after F={ok[('a', 'F')]}/{n} I={ok[('a', 'I')]}/{n}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
