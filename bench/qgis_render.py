#!/usr/bin/env python3
"""QGIS 3.22, headless, rendering what `bcmap render` renders: the counties (geodata's GeoJSON,
one Set2 colour per county as the counties plugin draws them, white 1.5 px outlines) and a
point file (4 px discs in the file layer's first colour, ringed darker), 1920x1080 PNG in EPSG:3857, the view
fitted to a lon/lat box as `bcmap render --bbox` fits it. bench/issue11_bench.py runs it as a
whole process (start-up, reading, drawing, PNG) beside bcmap, so the two are timed alike.

    QT_QPA_PLATFORM=offscreen python3 bench/qgis_render.py --out x.png --size 1920x1080 \\
        --bbox LON0,LAT0,LON1,LAT1 --counties geodata/baicheng_counties.geojson [POINTS_FILE]

The map is drawn by QgsMapRendererParallelJob (QGIS's own threads, as the desktop draws). Not
drawn here, drawn by bcmap: the counties' labels, the scale bar and the attribution line.
"""
import argparse
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qgis.core import (  # noqa: E402  (the platform must be set before Qt loads)
    QgsApplication, QgsCategorizedSymbolRenderer, QgsCoordinateReferenceSystem,
    QgsCoordinateTransform, QgsFillSymbol, QgsMapRendererParallelJob, QgsMapSettings,
    QgsMarkerSymbol, QgsProject, QgsRectangle, QgsRendererCategory, QgsUnitTypes,
    QgsVectorLayer)
from qgis.PyQt.QtCore import QSize  # noqa: E402
from qgis.PyQt.QtGui import QColor  # noqa: E402

# The counties plugin's colours (plugins/counties): ColorBrewer Set2 by adcode.
COUNTY_FILLS = {"220802": "#66c2a5", "220821": "#fc8d62", "220822": "#8da0cb",
                "220881": "#e78ac3", "220882": "#a6d854"}
POINT_FILL = "#b2182b"  # kFileLayerPalette[0] (app/style/FileLayerStyle.h)
POINT_RING = "#620d18"  # the fill at 0.55, as shaders/point.frag rings a point
PAPER = "#f2efe9"       # bcmap's map background


def counties_layer(path):
    layer = QgsVectorLayer(path, "counties", "ogr")
    if not layer.isValid():
        sys.exit(f"qgis_render: cannot open {path}")
    cats = []
    for code, fill in COUNTY_FILLS.items():
        sym = QgsFillSymbol.createSimple({"color": fill, "outline_color": "#ffffff",
                                          "outline_width": "1.5", "outline_width_unit": "Pixel"})
        cats.append(QgsRendererCategory(code, sym, code))
    layer.setRenderer(QgsCategorizedSymbolRenderer("adcode", cats))
    return layer


def points_layer(path):
    layer = QgsVectorLayer(path, "points", "ogr")
    if not layer.isValid():
        sys.exit(f"qgis_render: cannot open {path}")
    sym = QgsMarkerSymbol.createSimple({"name": "circle", "color": POINT_FILL, "size": "3",
                                        "outline_color": POINT_RING, "outline_width": "1",
                                        "outline_width_unit": "Pixel"})
    # 3 px across the centre of a 1 px ring: 4 px in all, as bcmap's --point-size 4.
    sym.setSizeUnit(QgsUnitTypes.RenderPixels)
    layer.renderer().setSymbol(sym)
    return layer


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--size", default="1920x1080")
    ap.add_argument("--bbox", required=True, help="lon0,lat0,lon1,lat1")
    ap.add_argument("--counties", required=True)
    ap.add_argument("points", nargs="?")
    a = ap.parse_args()
    w, h = (int(v) for v in a.size.split("x"))
    lon0, lat0, lon1, lat1 = (float(v) for v in a.bbox.split(","))

    QgsApplication.setPrefixPath("/usr", True)
    app = QgsApplication([], False)
    app.initQgis()
    layers = [counties_layer(a.counties)]
    if a.points:
        layers.insert(0, points_layer(a.points))  # drawn last: on top
    for layer in layers:
        QgsProject.instance().addMapLayer(layer, False)

    mercator = QgsCoordinateReferenceSystem("EPSG:3857")
    to_mercator = QgsCoordinateTransform(QgsCoordinateReferenceSystem("EPSG:4326"), mercator,
                                         QgsProject.instance())
    settings = QgsMapSettings()
    settings.setLayers(layers)
    settings.setDestinationCrs(mercator)
    settings.setOutputSize(QSize(w, h))
    settings.setBackgroundColor(QColor(PAPER))
    # The box fitted into the picture (QgsMapSettings keeps the aspect, as bcmap does).
    settings.setExtent(to_mercator.transformBoundingBox(QgsRectangle(lon0, lat0, lon1, lat1)))

    job = QgsMapRendererParallelJob(settings)
    job.start()
    job.waitForFinished()
    if not job.renderedImage().save(a.out, "PNG"):
        sys.exit(f"qgis_render: cannot write {a.out}")
    errors = job.errors()
    for e in errors:
        print(f"qgis_render: {e.layerID}: {e.message}", file=sys.stderr)
    QgsProject.instance().removeAllMapLayers()
    app.exitQgis()
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
