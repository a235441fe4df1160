#!/usr/bin/env python3
"""readme_fields.py -- the README's field table matches the layers (issue 18).

usage: readme_fields.py README OUT_FIXTURE WORKDIR

Writes the fixture incidents (tests/tools/out_fixture) in every file format,
reads the `incidents` layer's fields back with ogrinfo, and checks that they
are exactly the fields the README's table lists (first column), with the
table's exceptions: a field marked "GeoJSON only" is in GeoJSON alone, and
"Shapefile: `x`" names the field x in a Shapefile. Every row has a meaning,
and the ACLED column names an ACLED field or is empty."""
import os
import re
import shutil
import subprocess
import sys


def table(readme):
    rows, inside = [], False
    for line in open(readme, encoding="utf-8"):
        if line.startswith("| field | ACLED | meaning |"):
            inside = True
            continue
        if inside:
            if not line.startswith("|"):
                break
            if line.startswith("|---"):
                continue
            cells = [c.strip() for c in line.strip()[1:-1].split("|")]
            rows.append(cells)
    return rows


def fields_of(path, layer):
    out = subprocess.run(["ogrinfo", "-so", "-nomd", path, layer], capture_output=True,
                         text=True, check=True).stdout
    names = []
    for line in out.splitlines():
        m = re.match(r"^([A-Za-z_0-9]+): (\w+)", line)
        if m and m.group(1) not in ("INFO", "Layer", "Geometry", "Extent", "Data", "FID", "Feature",
                                    "Geometry Column"):
            names.append(m.group(1))
    return names


def main():
    readme, fixture, work = sys.argv[1:4]
    rows = table(readme)
    bad = []
    if len(rows) < 20:
        bad.append(f"the README's field table has {len(rows)} rows")
    want, geojson_only, shp_name = [], set(), {}
    for cells in rows:
        if len(cells) != 3 or not cells[2]:
            bad.append(f"row without three cells or a meaning: {cells}")
            continue
        names = re.findall(r"`([a-z_0-9]+)`", cells[0])
        if cells[0] != "geometry" and not names:
            bad.append(f"row without a field name: {cells}")
        if cells[1] and not re.fullmatch(r"(`[a-z_0-9]+`(, | / )?)+", cells[1]):
            bad.append(f"ACLED cell is not a list of field names: {cells[1]}")
        for n in names:
            want.append(n)
            if "GeoJSON only" in cells[2]:
                geojson_only.add(n)
        m = re.search(r"Shapefile: `([a-z_0-9]+)`", cells[2])
        if m and names:
            shp_name[names[0]] = m.group(1)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    d = os.path.join(work, "f")
    subprocess.run([fixture, d, "-f", "GeoJSON", "-f", "ESRI Shapefile", "-f", "CSV", "-f",
                    "FlatGeobuf"], check=True)
    subprocess.run([fixture, os.path.join(work, "x.gpkg"), "-f", "GPKG"], check=True)
    layers = {
        "GeoJSON": os.path.join(d, "incidents.geojson"),
        "ESRI Shapefile": os.path.join(d, "incidents.shp"),
        "CSV": os.path.join(d, "incidents.csv"),
        "FlatGeobuf": os.path.join(d, "incidents.fgb"),
        "GPKG": os.path.join(work, "x.gpkg"),
    }
    for fmt, path in layers.items():
        exp = [shp_name.get(n, n) if fmt == "ESRI Shapefile" else n for n in want
               if fmt == "GeoJSON" or n not in geojson_only]
        got = [n for n in fields_of(path, "incidents") if n != "WKT"]
        if sorted(exp) != sorted(got):
            bad.append(f"{fmt}: in the README, not the layer: {sorted(set(exp) - set(got))}; "
                       f"in the layer, not the README: {sorted(set(got) - set(exp))}")
    src = fields_of(layers["GPKG"], "sources")
    sources_row = " ".join(c[2] for c in rows if len(c) == 3 and c[0] == "`sources`")
    for n in ("incident_id", "doc_id", "url", "outlet", "published", "evidence", "claimed_by",
              "trigger_start", "trigger_end", "place_start", "place_end"):
        if n not in src:
            bad.append(f"GPKG sources table lacks {n}")
        elif f"`{n}`" not in sources_row:
            bad.append(f"the README's `sources` row does not name {n}")
    for b in bad:
        print("readme_fields: FAIL:", b, file=sys.stderr)
    if not bad:
        print(f"readme_fields: ok ({len(want)} fields, {len(layers)} formats)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
