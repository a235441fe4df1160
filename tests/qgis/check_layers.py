#!/usr/bin/python3
"""Headless QGIS check of incimap's layers (PyQGIS, QT_QPA_PLATFORM=offscreen).

    check_layers.py OUT_FIXTURE STYLES_DIR WORKDIR [COUNTRIES_FILE]

Writes the fixture incidents with tests/tools/out_fixture in every file format
(GeoJSON, ESRI Shapefile, GPKG, CSV, FlatGeobuf; and Shapefile/GPKG/CSV/
FlatGeobuf again with -t_srs EPSG:32638), then loads every layer in QGIS:
valid, feature count, CRS, the style applied (renderer type and the symbol
colour/shape of our .qml, not QGIS's random default), labels on place_name and
temporal properties on `date`. Finally renders the incidents over the borders
to WORKDIR/map.png and checks the picture shows the incident colours and the
border line. Exit 0 ok, 1 failure, 77 when python3-qgis is not installed.
"""
import os
import shutil
import subprocess
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
try:
    from qgis.core import (NULL, QgsApplication, QgsExpression, QgsExpressionContext,
                           QgsExpressionContextUtils, QgsMapRendererSequentialJob,
                           QgsMapSettings, QgsRectangle, QgsVectorLayer)
    from qgis.PyQt.QtCore import QSize, QVariant
    from qgis.PyQt.QtGui import QColor
except ImportError as e:
    print(f"SKIP: PyQGIS is not available ({e}); apt-get install python3-qgis")
    sys.exit(77)

COUNTS = {"shelling": 2, "clashes": 1, "evacuations": 1, "incidents": 4}
COLOURS = {"shelling": "#d7191c", "clashes": "#f57c00", "evacuations": "#2b83ba"}
SHAPES = {"shelling": "star", "clashes": "diamond", "evacuations": "circle"}
FORMATS = {  # OGR driver -> file extension ("" = one GeoPackage)
    "GeoJSON": "geojson", "ESRI Shapefile": "shp", "GPKG": "", "CSV": "csv",
    "FlatGeobuf": "fgb"}
failures = []


def fail(msg):
    print("FAIL:", msg)
    failures.append(msg)


def uri(folder, ext, layer):
    if not ext:
        return f"{os.path.join(folder, 'incimap.gpkg')}|layername={layer}"
    return os.path.join(folder, f"{layer}.{ext}")


def check_layer(folder, fmt, ext, name, count, authid, with_borders):
    where = f"{fmt} {name}"
    lyr = QgsVectorLayer(uri(folder, ext, name), name, "ogr")
    if not lyr.isValid():
        fail(f"{where}: not a valid layer ({uri(folder, ext, name)})")
        return None
    if count is not None and lyr.featureCount() != count:
        fail(f"{where}: {lyr.featureCount()} features, expected {count}")
    if lyr.crs().authid() != authid:
        fail(f"{where}: CRS {lyr.crs().authid()!r}, expected {authid}")
    r = lyr.renderer()
    if name == "borders":
        sym = r.symbol() if r.type() == "singleSymbol" else None
        sl = sym.symbolLayer(0) if sym else None
        if not sl or sl.color().name() != "#303030" or sl.penStyle() != 2:  # Qt.DashLine
            fail(f"{where}: border style not applied ({r.type()})")
        return lyr
    if name == "incidents":
        # co-located incidents are spread around their place (issue 18)
        if r.type() != "pointDisplacement":
            fail(f"{where}: renderer {r.type()}, expected pointDisplacement")
        else:
            r = r.embeddedRenderer()
        if r.type() != "categorizedSymbol" or r.classAttribute() != "type":
            fail(f"{where}: renderer {r.type()}, expected categorizedSymbol on type")
        else:
            got = {c.value(): c.symbol().color().name() for c in r.categories()}
            want = {"shelling": COLOURS["shelling"], "clash": COLOURS["clashes"],
                    "evacuation": COLOURS["evacuations"]}
            if got != want:
                fail(f"{where}: categories {got}, expected {want}")
    else:
        sym = r.symbol() if r.type() == "singleSymbol" else None
        sl = sym.symbolLayer(0) if sym else None
        shape = sl.properties().get("name") if sl else None
        if not sl or sym.color().name() != COLOURS[name] or shape != SHAPES[name]:
            fail(f"{where}: style not applied ({r.type()}, "
                 f"{sym.color().name() if sym else None}, {shape})")
    ls = lyr.labeling().settings() if lyr.labelsEnabled() else None
    if not ls or not ls.isExpression or "place_name" not in ls.fieldName:
        fail(f"{where}: labels on place_name not enabled")
    # one label per place (issue 13): the expression labels the first
    # feature of each place only, with the place name alone (issue 18: the
    # same text in every layer, so QGIS keeps one label whichever are loaded)
    expr = QgsExpression(ls.fieldName)
    ctx = QgsExpressionContext(QgsExpressionContextUtils.globalProjectLayerScopes(lyr))
    per_place = {}
    for f in lyr.getFeatures():
        ctx.setFeature(f)
        v = expr.evaluate(ctx)
        if expr.hasEvalError():
            fail(f"{where}: label expression: {expr.evalErrorString()}")
        key = f["place_id"] or f["place_name"] or f["place"]
        per_place.setdefault(key, []).append(v)
    for key, labels in per_place.items():
        shown = [v for v in labels if v not in (None, NULL) and v != ""]
        if len(shown) != 1:
            fail(f"{where}: place {key}: {len(shown)} labels for {len(labels)} incidents")
        if shown and str(shown[0]).endswith(")"):
            fail(f"{where}: place {key}: label {shown[0]!r} is not the name alone")
    # QGIS 3.22 switches the temporal properties of a layer off when it
    # creates it, whatever its default style says; the style carries them,
    # and loading it again (Layer Properties > Style > Default) restores them.
    lyr.loadDefaultStyle()
    t = lyr.temporalProperties()
    if not t.isActive() or t.startField() != "date" or t.mode() != 1:
        fail(f"{where}: the style's temporal properties (instant from `date`) not applied")
    fields = lyr.fields()
    i = fields.indexOf("date")
    want_type = QVariant.DateTime if fmt == "FlatGeobuf" else QVariant.Date
    if i < 0 or fields.at(i).type() != want_type:
        fail(f"{where}: `date` is not a {QVariant.typeToName(want_type)} field")
    for f in ("type", "date_prec", "place", "place_name", "country", "admin1", "fatalities",
              "doc_ids", "evidence", "confidence", "border_km", "contested"):
        if fields.indexOf(f) < 0:
            fail(f"{where}: no field {f}")
    return lyr


def count_colour(img, colour, tol=40):
    c = QColor(colour)
    n = 0
    for y in range(0, img.height(), 1):
        for x in range(0, img.width(), 1):
            p = QColor(img.pixel(x, y))
            if (abs(p.red() - c.red()) <= tol and abs(p.green() - c.green()) <= tol
                    and abs(p.blue() - c.blue()) <= tol):
                n += 1
    return n


def render(incidents, borders, png):
    ms = QgsMapSettings()
    ms.setLayers([incidents, borders])  # first on top
    ms.setDestinationCrs(incidents.crs())
    ext = QgsRectangle(incidents.extent())
    ext.combineExtentWith(borders.extent())
    ext.grow(0.1)
    ms.setExtent(ext)
    ms.setOutputSize(QSize(640, 480))
    ms.setBackgroundColor(QColor("white"))
    job = QgsMapRendererSequentialJob(ms)
    job.start()
    job.waitForFinished()
    img = job.renderedImage()
    img.save(png, "PNG")
    counts = {name: count_colour(img, col) for name, col in COLOURS.items()}
    dark = count_colour(img, "#303030", 30)
    print(f"rendered {png}: incident pixels {counts}, border pixels {dark}")
    for name, n in counts.items():
        if n < 20:
            fail(f"map: too few {name} pixels ({n}) in {png}")
    if dark < 50:
        fail(f"map: the border line is missing ({dark} dark pixels) in {png}")


def main():
    if len(sys.argv) < 4:
        sys.exit("usage: check_layers.py OUT_FIXTURE STYLES_DIR WORKDIR [COUNTRIES_FILE]")
    fixture, styles, work = sys.argv[1:4]
    countries = sys.argv[4] if len(sys.argv) > 4 and os.path.exists(sys.argv[4]) else None
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    args = [fixture, os.path.join(work, "all"), "--styles", styles]
    for f in FORMATS:
        args += ["-f", f]
    if countries:
        args += ["--borders", countries]
    subprocess.run(args, check=True)
    utm = [fixture, os.path.join(work, "utm"), "--styles", styles, "-t_srs", "EPSG:32638"]
    for f in FORMATS:
        if f != "GeoJSON":
            utm += ["-f", f]
    subprocess.run(utm, check=True)

    runtime = os.path.join(work, "xdg-runtime")
    os.makedirs(runtime, mode=0o700)
    os.environ["XDG_RUNTIME_DIR"] = runtime
    app = QgsApplication([], False)
    app.initQgis()
    loaded = {}
    for folder, authid in ((os.path.join(work, "all"), "EPSG:4326"),
                           (os.path.join(work, "utm"), "EPSG:32638")):
        for fmt, ext in FORMATS.items():
            if authid != "EPSG:4326" and fmt == "GeoJSON":
                continue
            for name, count in COUNTS.items():
                lyr = check_layer(folder, fmt, ext, name, count, authid, countries)
                if lyr:
                    loaded[(authid, fmt, name)] = lyr
            if countries and authid == "EPSG:4326":
                lyr = check_layer(folder, fmt, ext, "borders", None, authid, countries)
                if lyr is not None and lyr.featureCount() < 1:
                    fail(f"{fmt} borders: empty")
                if lyr:
                    loaded[(authid, fmt, "borders")] = lyr
    n = len(loaded)
    print(f"loaded {n} layers")
    inc = bor = lyr = None
    if countries:
        for fmt in ("GPKG", "ESRI Shapefile"):
            inc = loaded.get(("EPSG:4326", fmt, "incidents"))
            bor = loaded.get(("EPSG:4326", fmt, "borders"))
            if inc and bor:
                render(inc, bor, os.path.join(work, f"map-{fmt.split()[-1].lower()}.png"))
            else:
                fail(f"{fmt}: cannot render, layers missing")
    else:
        print("note: no countries file, the borders layer and the render are not checked")
    # layers must die before QGIS shuts down, or the interpreter crashes at exit
    loaded.clear()
    inc = bor = lyr = None
    app.exitQgis()
    if failures:
        print(f"{len(failures)} failures")
        return 1
    print("QGIS check: OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
