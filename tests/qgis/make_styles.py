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
"""
import os
import sys

from qgis.core import (QgsApplication, QgsCategorizedSymbolRenderer, QgsInterval,
                       QgsLineSymbol, QgsMapLayer, QgsMarkerSymbol,
                       QgsPalLayerSettings, QgsRendererCategory,
                       QgsSingleSymbolRenderer, QgsTextBufferSettings,
                       QgsTextFormat, QgsUnitTypes, QgsVectorLayer,
                       QgsVectorLayerSimpleLabeling,
                       QgsVectorLayerTemporalProperties)
from qgis.PyQt.QtGui import QColor, QFont

TYPES = [  # (type value, layer, label, marker shape, fill colour, size mm)
    ("shelling", "shelling", "Shelling", "star", "#d7191c", 5.0),
    ("clash", "clashes", "Clashes", "diamond", "#f57c00", 4.2),
    ("evacuation", "evacuations", "Evacuations", "circle", "#2b83ba", 3.8),
]
FIELDS = ("field=type:string&field=date:date&field=date_prec:string&field=place:string"
          "&field=place_name:string&field=country:string&field=fatalities:integer")



PLACE = 'coalesce(nullif("place_id", \'\'), nullif("place_name", \'\'), "place")'
LABEL_EXPRESSION = (
    f'if($id = minimum($id, group_by:={PLACE}), '
    f'coalesce(nullif("place_name", \'\'), "place") || '
    f'if(count($id, group_by:={PLACE}) > 1, \' (\' || count($id, group_by:={PLACE}) || \')\', \'\'), '
    f'NULL)')

def marker(shape, colour, size):
    return QgsMarkerSymbol.createSimple({
        "name": shape, "color": colour, "size": str(size), "size_unit": "MM",
        "outline_color": "#222222", "outline_width": "0.3", "outline_width_unit": "MM"})


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
    print(path)


def main():
    out_dir = sys.argv[1] if len(sys.argv) > 1 else "data/styles"
    app = QgsApplication([], False)
    app.initQgis()
    for value, name, label, shape, colour, size in TYPES:
        lyr = QgsVectorLayer(f"Point?crs=EPSG:4326&{FIELDS}", name, "memory")
        lyr.setRenderer(QgsSingleSymbolRenderer(marker(shape, colour, size)))
        lyr.setLabeling(labels())
        lyr.setLabelsEnabled(True)
        temporal(lyr)
        save(lyr, out_dir, name)
    lyr = QgsVectorLayer(f"Point?crs=EPSG:4326&{FIELDS}", "incidents", "memory")
    cats = [QgsRendererCategory(value, marker(shape, colour, size), label)
            for value, _, label, shape, colour, size in TYPES]
    lyr.setRenderer(QgsCategorizedSymbolRenderer("type", cats))
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
