"""Viewer case of issue 12: tables without geometry.

table_layer: at 900x600, a GeoJSON whose features all have null geometry and a file where
one of three features has none are opened as FILEs. The first is a table layer: its row in
the layer panel says "3 行 rows · 无几何 no geometry", the legend says "无几何 no geometry"
instead of a swatch, it has no style section, and its attribute table lists the three rows
(a click selects one; there is no place to frame). The second draws its two points and says
in the legend that one feature has no geometry (its count: 2). Zoom to layer on the table says it has no
geometry. Run through viewer_test.py."""

import json
import os

from viewer_harness import check, click_at, centre_of

ROWS = {"type": "FeatureCollection", "features": [
    {"type": "Feature", "properties": {"name": f"村{i}", "people": 100 + i}, "geometry": None} for i in range(3)]}
MIXED = {"type": "FeatureCollection", "features": [
    {"type": "Feature", "properties": {"name": "well"}, "geometry": {"type": "Point", "coordinates": [122.9, 45.6]}},
    {"type": "Feature", "properties": {"name": "lost"}, "geometry": None},
    {"type": "Feature", "properties": {"name": "pump"}, "geometry": {"type": "Point", "coordinates": [123.1, 45.2]}}]}


def case_table_layer(v):
    data = os.path.join(v.work, "data")
    os.makedirs(data, exist_ok=True)
    rows, mixed = os.path.join(data, "rows.geojson"), os.path.join(data, "mixed.geojson")
    for path, fc in ((rows, ROWS), (mixed, MIXED)):
        with open(path, "w", encoding="utf-8") as f:
            json.dump(fc, f, ensure_ascii=False)
    s = v.start(args=["--window-size", "900x600", rows, mixed], extra_env={"BCMAP_DATA_CACHE": "0"})
    s = v.settled()
    by_id = {l["id"]: l for l in s["layers"]}
    tid, mid = "file:rows.geojson", "file:mixed.geojson"
    check(by_id.get(tid, {}).get("status") == "loaded", f"the table layer loads: {by_id.get(tid)}")
    check(by_id.get(mid, {}).get("status") == "loaded", f"the mixed layer loads: {by_id.get(mid)}")
    facts = s["facts"]
    check(facts.get(f"layer.geometry.{tid}") == "3 行 rows · 无几何 no geometry",
          f"the layer panel's row: {facts.get(f'layer.geometry.{tid}')!r}")
    check(facts.get(f"legend.geometry.{tid}") == "无几何 no geometry",
          f"the legend's line: {facts.get(f'legend.geometry.{tid}')!r}")
    check("1 个无几何 without geometry" in facts.get(f"legend.geometry.{mid}", ""),
          f"the mixed layer's legend line: {facts.get(f'legend.geometry.{mid}')!r}")
    # The legend counts what the map shows: the mixed layer (topmost, entry 0) two points.
    check(facts.get("legend.count.0") == "2", f"the mixed layer's count: {facts.get('legend.count.0')!r}")
    check(f"style.{tid}" not in s["named"], "a table layer has no style to edit")
    check(f"style.{mid}" in s["named"], "the mixed layer keeps its style section")
    v.screenshot("table-layer-900x600")

    click_at(v, s, s["named"][f"table.open.{tid}"])
    s = v.wait_state(lambda st: f"table.{tid}.row.2" in st["named"], "the table layer's attribute table")
    s = v.settled()
    check(s["facts"].get(f"table.{tid}.count") == "3 / 3", f"its count: {s['facts'].get(f'table.{tid}.count')!r}")
    check(s["facts"].get(f"table.{tid}.geometry") == "3 行 rows · 无几何 no geometry",
          f"the table says it has no geometry: {s['facts'].get(f'table.{tid}.geometry')!r}")
    v.screenshot("table-layer-table-900x600")
    view = s["view"] if "view" in s else None
    rx, ry = centre_of(s["named"][f"table.{tid}.row.1"])
    wx, wy = s["window"]["x"], s["window"]["y"]
    v.xdotool("mousemove", wx + rx, wy + ry, "click", 1)
    s = v.wait_state(lambda st: st["selection"] == [{"layer": tid, "feature": 1}], "a click on a row to select it")
    s = v.settled()
    if view is not None:
        check(s["view"] == view, "a row without geometry has no place to frame: the view stays")
    v.screenshot("table-layer-row-selected-900x600")
