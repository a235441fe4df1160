#!/usr/bin/python3
"""QGIS render of the September 2022 reports (issue 18's bar), headless.

    check_sept2022.py INCIMAP SHARED SRC WORK [STYLES_DIR]

Takes the dev articles published 2022-09-12..16 without the lockbox
(scripts/crossval_util.py unlock), extracts them with INCIMAP into
WORK/layers (the .qml styles beside each layer), loads the layers in QGIS
with those styles and renders them as an analyst would stack them:
  1. the per-type layers with evacuations on top, then clashes, then
     shelling (the order in which a circle could hide a star);
  2. the incidents layer alone (its point displacement);
  3. every layer at once (and once more with labels).
Checks: every shelling feature has its star's red within its symbol (or,
displaced, within the displacement ring) in each render; in the shelling
layer alone, geo_precision 3 pins are hollow (no solid red at the centre)
while the others are solid; each place name is labelled once in render 3.
With STYLES_DIR, those .qml replace the written ones (to compare styles).
Exit 0 ok, 1 failure, 77 when PyQGIS or the corpus is missing.
"""
import json
import os
import shutil
import subprocess
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
try:
    from qgis.core import (QgsApplication, QgsMapRendererSequentialJob, QgsMapSettings,
                           QgsPointXY, QgsRectangle, QgsVectorLayer)
    from qgis.PyQt.QtCore import QSize
    from qgis.PyQt.QtGui import QColor
except ImportError as e:
    print(f"SKIP: PyQGIS is not available ({e}); apt-get install python3-qgis")
    sys.exit(77)

RED = QColor("#d7191c")
W, H = 1400, 1000
failures = []


def fail(msg):
    print("FAIL:", msg)
    failures.append(msg)


def prepare(incimap, shared, src, work):
    dev = os.path.join(shared, "corpus", "dev")
    if not os.path.exists(os.path.join(dev, "docs.jsonl")):
        print(f"SKIP: {dev}/docs.jsonl not found")
        sys.exit(77)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(os.path.join(work, "dev"))
    subprocess.run(["python3", os.path.join(src, "scripts", "crossval_util.py"), "unlock",
                    os.path.join(src, "data", "model", "lockbox.tsv"), dev,
                    os.path.join(work, "dev")], check=True)
    n = 0
    sept = os.path.join(work, "sept.jsonl")
    with open(os.path.join(work, "dev", "docs.jsonl"), encoding="utf-8") as f, \
            open(sept, "w", encoding="utf-8") as out:
        for line in f:
            if line.strip() and "2022-09-12" <= (json.loads(line).get("published") or "")[:10] \
                    <= "2022-09-16":
                out.write(line)
                n += 1
    print(f"sept2022: {n} articles published 2022-09-12..16 (lockbox left out)")
    if n == 0:
        fail("no article of 2022-09-12..16")
    subprocess.run([incimap, "extract", sept, "-o", os.path.join(work, "layers")], check=True)
    return os.path.join(work, "layers")


def layer(folder, name, styles):
    lyr = QgsVectorLayer(os.path.join(folder, f"{name}.geojson"), name, "ogr")
    if not lyr.isValid():
        fail(f"{name}: not a valid layer")
        return None
    if lyr.featureCount() == 0:  # no geometry type to style: nothing drawn either
        print(f"note: {name} is empty")
        return lyr
    qml = os.path.join(styles or folder, f"{name}.qml")
    msg, ok = lyr.loadNamedStyle(qml)
    if not ok:
        fail(f"{name}: style {qml} not loaded: {msg}")
    return lyr


def render(layers, extent, png, labels=False):
    ms = QgsMapSettings()
    # symbols hiding symbols are checked without labels; the labels on their own
    ms.setFlag(QgsMapSettings.DrawLabeling, labels)
    ms.setLayers(layers)  # first on top
    ms.setDestinationCrs(layers[0].crs())
    ms.setExtent(extent)
    ms.setOutputSize(QSize(W, H))
    ms.setOutputDpi(96)
    ms.setBackgroundColor(QColor("white"))
    job = QgsMapRendererSequentialJob(ms)
    job.start()
    job.waitForFinished()
    img = job.renderedImage()
    img.save(png, "PNG")
    return ms, img, job.takeLabelingResults()


def is_red(img, x, y, tol=40):
    if not (0 <= x < img.width() and 0 <= y < img.height()):
        return False
    p = QColor(img.pixel(x, y))
    return (abs(p.red() - RED.red()) <= tol and abs(p.green() - RED.green()) <= tol
            and abs(p.blue() - RED.blue()) <= tol)


def red_near(img, x, y, rad):
    n = 0
    for j in range(int(y) - rad, int(y) + rad + 1):
        for i in range(int(x) - rad, int(x) + rad + 1):
            if (i - x) ** 2 + (j - y) ** 2 <= rad * rad and is_red(img, i, j):
                n += 1
    return n


def stars_visible(what, ms, img, shelling, rad):
    m2p = ms.mapToPixel()
    seen = total = 0
    for f in shelling.getFeatures():
        p = m2p.transform(QgsPointXY(f.geometry().asPoint()))
        total += 1
        if red_near(img, p.x(), p.y(), rad) >= 4:
            seen += 1
        else:
            fail(f"{what}: the shelling star of {f['place_name']} ({f['date']}) is not visible")
    print(f"{what}: {seen} of {total} shelling stars visible")


def prec(f):
    names = f.fields().names()
    for n in ("geo_precision", "geo_prec"):
        if n in names and f[n] is not None:
            return f[n]
    return None


def main():
    if len(sys.argv) < 5:
        sys.exit(__doc__)
    incimap, shared, src, work = sys.argv[1:5]
    styles = sys.argv[5] if len(sys.argv) > 5 else None
    folder = prepare(incimap, shared, src, work)
    runtime = os.path.join(work, "xdg-runtime")
    os.makedirs(runtime, mode=0o700, exist_ok=True)
    os.environ["XDG_RUNTIME_DIR"] = runtime
    app = QgsApplication([], False)
    app.initQgis()
    L = {n: layer(folder, n, styles) for n in ("shelling", "clashes", "evacuations", "incidents")}
    if all(L.values()):
        ext = QgsRectangle(L["incidents"].extent())
        ext.grow(0.3)
        # the star is 5 mm wide at 96 dpi: about 9 px from its centre to a tip
        ms, img, _ = render([L["evacuations"], L["clashes"], L["shelling"]], ext,
                            os.path.join(work, "per-type.png"))
        stars_visible("per-type layers, evacuations on top", ms, img, L["shelling"], 9)
        ms, img, _ = render([L["incidents"]], ext, os.path.join(work, "incidents.png"))
        # displaced on a ring around the place: up to ~25 px away
        stars_visible("incidents layer", ms, img, L["shelling"], 26)
        ms, img, _ = render([L["incidents"], L["evacuations"], L["clashes"],
                             L["shelling"]], ext, os.path.join(work, "all.png"))
        stars_visible("all layers", ms, img, L["shelling"], 26)
        ms, img, labels = render([L["incidents"], L["evacuations"], L["clashes"],
                                  L["shelling"]], ext, os.path.join(work, "all-labels.png"),
                                 labels=True)
        texts = [lab.labelText for lab in labels.allLabels()]
        dup = sorted({t for t in texts if texts.count(t) > 1})
        print(f"all layers: {len(texts)} labels, {len(set(texts))} distinct")
        if dup:
            fail(f"all layers: places labelled more than once: {dup}")
        # geo_precision 3 looks different: hollow where the others are solid
        ms, img, _ = render([L["shelling"]], ext, os.path.join(work, "shelling.png"))
        m2p = ms.mapToPixel()
        hollow = solid = 0
        pts = [(m2p.transform(QgsPointXY(f.geometry().asPoint())), prec(f), f["place_name"])
               for f in L["shelling"].getFeatures()]
        for p, pr, name in pts:
            centre = sum(is_red(img, int(round(p.x())) + dx, int(round(p.y())) + dy)
                         for dx in (-1, 0, 1) for dy in (-1, 0, 1))
            if pr == 3:
                # another solid star over its centre would hide it: skip those
                if any(q[1] != 3 and abs(q[0].x() - p.x()) < 10 and abs(q[0].y() - p.y()) < 10
                       for q in pts):
                    continue
                hollow += 1
                if centre > 2:
                    fail(f"shelling layer: the geo_precision 3 pin of {name} is not hollow")
                if red_near(img, p.x(), p.y(), 11) < 4:
                    fail(f"shelling layer: the geo_precision 3 pin of {name} has no red outline")
            else:
                solid += 1
                if centre < 5:
                    fail(f"shelling layer: the pin of {name} is not solid red at its centre")
        print(f"shelling layer: {hollow} geo_precision 3 pins hollow, {solid} solid")
        if hollow == 0:
            fail("no geo_precision 3 shelling pin to check (the data changed?)")
    L.clear()
    app.exitQgis()
    if failures:
        print(f"{len(failures)} failures")
        return 1
    print("QGIS September 2022 check: OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
