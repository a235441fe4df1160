#!/usr/bin/python3
"""Generate data/styles/<layer>.qml with PyQGIS, so the templates are QML
that the installed QGIS writes itself (run again after a QGIS upgrade or to
change a colour; commit the result):

    QT_QPA_PLATFORM=offscreen /usr/bin/python3 tests/qgis/make_styles.py data/styles

One symbol and colour per incident type (shelling: red star, clashes: orange
diamond, evacuations: blue circle), the `incidents` layer categorized by
`type` with the same symbols, labels from `place_name` (one per place), temporal properties
(one instant per feature from the `date` field, one day long) for QGIS's
Temporal Controller, and `borders` a dark dashed line.

Co-located incidents stay visible (issue 18): the `incidents` layer wraps its
categories in a point displacement renderer (features within 1 mm of each
other are spread on a ring around their place); clashes and evacuations are
drawn as thick outlines (a diamond, a ring) with an empty middle, so a
shelling star under them shows whichever per-type layer is on top. A pin whose geo_precision is 3 (a region's
or unit's centre, not the place itself) is hollow with a dashed outline in
every style. Labels are the place name only, the same text in every layer,
so that QGIS's label engine keeps one per place whichever layers are loaded.
"""
import os
import re
import sys

from qgis.core import (QgsApplication, QgsCategorizedSymbolRenderer, QgsInterval,
                       QgsLineSymbol, QgsMapLayer, QgsMarkerSymbol,
                       QgsPalLayerSettings, QgsPointDisplacementRenderer, QgsProperty,
                       QgsRendererCategory, QgsSymbolLayer,
                       QgsSingleSymbolRenderer, QgsTextBufferSettings,
                       QgsTextFormat, QgsUnitTypes, QgsVectorLayer,
                       QgsVectorLayerSimpleLabeling,
                       QgsVectorLayerTemporalProperties)
from qgis.PyQt.QtGui import QColor, QFont

TYPES = [  # (type value, layer, label, marker shape, colour, size mm, filled)
    ("shelling", "shelling", "Shelling", "star", "#d7191c", 5.0, True),
    ("clash", "clashes", "Clashes", "diamond", "#f57c00", 4.2, False),
    ("evacuation", "evacuations", "Evacuations", "circle", "#2b83ba", 3.8, False),
]
# geo_precision (ACLED's name) or geo_prec (the name before issue 18)
PREC = "coalesce(attribute('geo_precision'), attribute('geo_prec'))"
FIELDS = ("field=type:string&field=date:date&field=date_prec:string&field=place:string"
          "&field=place_name:string&field=country:string&field=fatalities:integer")



PLACE = 'coalesce(nullif("place_id", \'\'), nullif("place_name", \'\'), "place")'
# The place's name, once per layer (its first incident); no count, so that the
# same place gives the same text in every layer and QGIS keeps one label.
LABEL_EXPRESSION = (
    f'if($id = minimum($id, group_by:={PLACE}), '
    f'coalesce(nullif("place_name", \'\'), "place"), NULL)')


def marker(shape, colour, size, filled=True):
    """Shelling is a filled star; clashes and evacuations are outlines (a thick
    diamond, a thick ring) with an empty middle, so that whichever layer is on
    top a star under them shows whole. geo_precision 3: the outline is dashed
    (and the star hollow)."""
    c = QColor(colour)
    rgb = f"{c.red()},{c.green()},{c.blue()}"
    sym = QgsMarkerSymbol.createSimple({
        "name": shape, "color": f"{rgb},{255 if filled else 0}",
        "size": str(size), "size_unit": "MM",
        "outline_color": "#222222" if filled else f"{rgb},255",
        "outline_width": "0.3" if filled else "0.8", "outline_width_unit": "MM"})
    sl = sym.symbolLayer(0)
    props = sl.dataDefinedProperties()
    if filled:
        props.setProperty(QgsSymbolLayer.PropertyFillColor, QgsProperty.fromExpression(
            f"if({PREC} = 3, '255,255,255,170', '{rgb},255')"))
        props.setProperty(QgsSymbolLayer.PropertyStrokeColor, QgsProperty.fromExpression(
            f"if({PREC} = 3, '{rgb},255', '34,34,34,255')"))
        props.setProperty(QgsSymbolLayer.PropertyStrokeWidth, QgsProperty.fromExpression(
            f"if({PREC} = 3, 0.6, 0.3)"))
    props.setProperty(QgsSymbolLayer.PropertyStrokeStyle, QgsProperty.fromExpression(
        f"if({PREC} = 3, 'dash', 'solid')"))
    sl.setDataDefinedProperties(props)
    return sym


def labels():
    fmt = QgsTextFormat()
    fmt.setFont(QFont("Sans Serif"))
    fmt.setSize(8)
    fmt.setSizeUnit(QgsUnitTypes.RenderPoints)
    fmt.setColor(QColor("#202020"))
    buf = QgsTextBufferSettings()
    buf.setEnabled(True)
    buf.setSize(0.8)
    buf.setColor(QColor("#ffffff"))
    fmt.setBuffer(buf)
    s = QgsPalLayerSettings()
    # one label per place (issue 13): the first incident of each place, with
    # the count when several share it ("Goris (4)")
    s.fieldName = LABEL_EXPRESSION
    s.isExpression = True
    s.enabled = True
    s.setFormat(fmt)
    s.placement = QgsPalLayerSettings.OrderedPositionsAroundPoint
    # one position only: the same name from another layer at the same place
    # competes for the same spot, and QGIS keeps one of them
    s.predefinedPositionOrder = [QgsPalLayerSettings.TopRight]
    s.dist = 1.5
    return QgsVectorLayerSimpleLabeling(s)


def temporal(layer):
    t = layer.temporalProperties()
    t.setIsActive(True)
    t.setMode(QgsVectorLayerTemporalProperties.ModeFeatureDateTimeInstantFromField)
    t.setStartField("date")
    t.setFixedDuration(1)
    t.setDurationUnits(QgsUnitTypes.TemporalDays)


def save(layer, out_dir, name):
    cats = (QgsMapLayer.Symbology | QgsMapLayer.Labeling | QgsMapLayer.Temporal
            | QgsMapLayer.Rendering)
    path = os.path.join(out_dir, name + ".qml")
    msg, ok = layer.saveNamedStyle(path, categories=cats)
    if not ok:
        sys.exit(f"{path}: {msg}")
    # QGIS 3.22 writes its default position order whatever the settings say:
    # keep the one position (see labels())
    with open(path, encoding="utf-8") as f:
        qml = f.read()
    qml = re.sub(r'predefinedPositionOrder="[^"]*"', 'predefinedPositionOrder="TR"', qml)
    with open(path, "w", encoding="utf-8") as f:
        f.write(qml)
    print(path)


def main():
    out_dir = sys.argv[1] if len(sys.argv) > 1 else "data/styles"
    app = QgsApplication([], False)
    app.initQgis()
    for value, name, label, shape, colour, size, filled in TYPES:
        lyr = QgsVectorLayer(f"Point?crs=EPSG:4326&{FIELDS}", name, "memory")
        lyr.setRenderer(QgsSingleSymbolRenderer(marker(shape, colour, size, filled)))
        lyr.setLabeling(labels())
        lyr.setLabelsEnabled(True)
        temporal(lyr)
        save(lyr, out_dir, name)
    lyr = QgsVectorLayer(f"Point?crs=EPSG:4326&{FIELDS}", "incidents", "memory")
    cats = [QgsRendererCategory(value, marker(shape, colour, size, filled), label)
            for value, _, label, shape, colour, size, filled in TYPES]
    # co-located incidents (same place, any type) spread on a ring around it
    disp = QgsPointDisplacementRenderer("")
    disp.setEmbeddedRenderer(QgsCategorizedSymbolRenderer("type", cats))
    disp.setTolerance(1.0)
    disp.setToleranceUnit(QgsUnitTypes.RenderMillimeters)
    disp.setPlacement(QgsPointDisplacementRenderer.Ring)
    disp.setCircleColor(QColor("#555555"))
    disp.setCircleWidth(0.3)
    disp.setCircleRadiusAddition(0.5)
    disp.setCenterSymbol(QgsMarkerSymbol.createSimple({
        "name": "circle", "color": "#444444", "size": "1.0", "size_unit": "MM",
        "outline_style": "no"}))
    lyr.setRenderer(disp)
    lyr.setLabeling(labels())
    lyr.setLabelsEnabled(True)
    temporal(lyr)
    save(lyr, out_dir, "incidents")
    lyr = QgsVectorLayer("LineString?crs=EPSG:4326&field=country_a:string&field=country_b:string",
                         "borders", "memory")
    line = QgsLineSymbol.createSimple({
        "line_color": "#303030", "line_width": "0.6", "line_width_unit": "MM",
        "line_style": "dash", "capstyle": "round"})
    lyr.setRenderer(QgsSingleSymbolRenderer(line))
    save(lyr, out_dir, "borders")
    app.exitQgis()


if __name__ == "__main__":
    main()
