#!/usr/bin/env python3
"""Derive data/regional/places-am-settlements.csv (incimap --extra format)
from ../shared/data/geonames/am_settlements_election_atlas.csv.

Run by hand when the source changes; the output is committed (it is data:
GeoNames CC BY 4.0 coordinates and names, see SOURCES.md). Kept: locality
names (hy, en, fr), marz, lat, lon. The Armenian name is the reference: the
atlas's English label is replaced by a romanisation of the Armenian one when
the two do not look alike (the atlas labels Geghamabak "Vardenis")."""
import csv, difflib, re, sys, os

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    HERE, '..', '..', '..', 'shared', 'data', 'geonames', 'am_settlements_election_atlas.csv')
OUT = os.path.join(HERE, 'places-am-settlements.csv')

ROM = {'ա': 'a', 'բ': 'b', 'գ': 'g', 'դ': 'd', 'ե': 'e', 'զ': 'z', 'է': 'e', 'ը': 'y',
       'թ': 't', 'ժ': 'zh', 'ի': 'i', 'լ': 'l', 'խ': 'kh', 'ծ': 'ts', 'կ': 'k', 'հ': 'h',
       'ձ': 'dz', 'ղ': 'gh', 'ճ': 'ch', 'մ': 'm', 'յ': 'y', 'ն': 'n', 'շ': 'sh', 'ո': 'o',
       'չ': 'ch', 'պ': 'p', 'ջ': 'j', 'ռ': 'r', 'ս': 's', 'վ': 'v', 'տ': 't', 'ր': 'r',
       'ց': 'ts', 'ւ': 'v', 'փ': 'p', 'ք': 'k', 'և': 'ev', 'օ': 'o', 'ֆ': 'f'}

def romanize(hy):
    s = hy.lower().replace('ու', 'u')
    out = []
    for i, ch in enumerate(s):
        r = ROM.get(ch, ch)
        start = i == 0 or not s[i - 1].isalpha()
        if ch == 'ե' and start:
            r = 'ye'
        elif ch == 'ո' and start:
            r = 'vo'
        out.append(r)
    w = ''.join(out)
    return ' '.join(p[:1].upper() + p[1:] for p in w.split(' '))

def main():
    rows = list(csv.DictReader(open(SRC, encoding='utf-8')))
    seen = set()
    out = []
    fixed = 0
    for r in rows:
        hy = re.sub(r'\s+(գյուղ|քաղաք|ավան)$', '', r['locality_hy'].strip())
        town = r['locality_hy'].strip().endswith('քաղաք')
        en, fr = r['locality_en'].strip(), r['locality_fr'].strip()
        rom = romanize(hy)
        if difflib.SequenceMatcher(None, rom.lower(), en.lower()).ratio() < 0.5:
            en = fr = rom
            fixed += 1
        key = (hy, r['marz_iso'], round(float(r['lat']), 3), round(float(r['lon']), 3))
        if key in seen:
            continue
        seen.add(key)
        slug = re.sub(r'[^a-z0-9]+', '-', en.lower()).strip('-')
        out.append({'id': 'am-%s-%s-%d' % (r['marz_iso'][3:].lower(), slug, len(out) + 1),
                    'name': en, 'name:en': en, 'name:fr': fr, 'name:hy': hy,
                    'lat': r['lat'], 'lon': r['lon'], 'kind': 'settlement',
                    'fcode': 'PPL', 'country': 'AM', 'admin1': r['marz_en'],
                    'source': 'GeoNames via armenia-election-atlas' + (' (town)' if town else '')})
    with open(OUT, 'w', encoding='utf-8', newline='') as f:
        w = csv.DictWriter(f, fieldnames=list(out[0].keys()), lineterminator='\n')
        w.writeheader()
        w.writerows(out)
    print('%s: %d places (%d English labels replaced by the romanised Armenian name)'
          % (OUT, len(out), fixed), file=sys.stderr)

main()
