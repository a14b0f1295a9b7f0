"""Viewer cases of issue 10 (what a new user tripped over while exploring): the attribute
table's first click, a row framed at a readable scale in the part of the map the table
leaves free, and a search that fits a county into the map. Run through viewer_test.py.

The canvas here is the map's area below the menu bar (window units); where the viewer
reports a canvas rectangle of its own (`canvas` in the state), that is used.
"""

import json
import math
import os

from viewer_cases_time import open_settings, setting
from viewer_harness import GEODATA, Failure, check, centre_of, click_at, layer, map_px_of_lonlat

# Three points around Baicheng, a file layer of their own: the feature index is the row.
POINTS = [("甲 east", 123.10, 45.30), ("乙 south", 122.85, 44.95), ("丙 north", 122.60, 45.60)]
# What a point is shown at: a village with its neighbours, not a field around one house
# (the table used to frame 500 m: 1:2,300 at 775 px). The default is 1:50,000.
SCALE_RANGE = (10000, 200000)


def canvas_of(s):
    """(x0, y0, x1, y1) in window units: the state's canvas if it reports one, else the map
    below the menu bar."""
    if s.get("canvas"):
        return tuple(s["canvas"])
    ratio = s["pixelRatio"]
    return (0, s["panels"].get("menuBarHeight", 0), s["window"]["width"], s["map"]["height"] / ratio)


def window_xy(s, lon, lat):
    px = map_px_of_lonlat(s, lon, lat)
    return px[0] / s["pixelRatio"], px[1] / s["pixelRatio"]


def scale_denominator(s, lat):
    """1:N at latitude `lat`: Web Mercator's ground metres per pixel, a pixel taken as 0.28 mm
    (the viewer's status bar does the same, with the geodesic; they agree within 0.5 %)."""
    metres_per_px = s["view"]["unitsPerPixel"] * math.cos(math.radians(lat))
    return metres_per_px * s["contentScale"] / 0.00028


def write_points(path):
    # Ids of their own: a reload finds a selected feature again by its id.
    feats = [{"type": "Feature", "id": f"p{i}", "properties": {"name": n},
              "geometry": {"type": "Point", "coordinates": [lon, lat]}} for i, (n, lon, lat) in enumerate(POINTS)]
    with open(path, "w", encoding="utf-8") as f:
        json.dump({"type": "FeatureCollection", "features": feats}, f, ensure_ascii=False)


def open_table_and_click_row(v, row):
    """Starts with the three points as a file layer, opens its table and clicks row `row`
    the moment the pointer gets there. Returns (state, layer id)."""
    os.makedirs(v.work, exist_ok=True)
    path = os.path.join(v.work, "points.geojson")
    write_points(path)
    s = v.start(args=[path])
    s = v.settled()
    ids = [l["id"] for l in s["layers"] if l["id"] != "counties"]
    check(len(ids) == 1, f"the file layer: {ids}")
    lid = ids[0]
    check(f"table.open.{lid}" in s["named"], f"no table button for {lid}")
    click_at(v, s, s["named"][f"table.open.{lid}"])
    s = v.wait_state(lambda st: f"table.{lid}.row.{row}" in st["named"], "the table's rows")
    v.screenshot("table-open")
    rx, ry = centre_of(s["named"][f"table.{lid}.row.{row}"])
    wx, wy = s["window"]["x"], s["window"]["y"]
    v.xdotool("mousemove", wx + rx, wy + ry, "click", 1)
    s = v.wait_state(lambda st: st["selection"] == [{"layer": lid, "feature": row}],
                     "the first click on a row of the fresh table to select it")
    return s, lid


def case_table_row(v):
    """Open a point layer's attribute table and click a row at once, the pointer arriving and
    pressing in one go (xdotool mousemove + click in one command, as a quick hand or a touch
    screen does): the first click selects the row. The point then lies inside the canvas and
    outside the table's window, at a scale between 1:10,000 and 1:200,000. Then the first
    click on a header of another fresh table sorts it."""
    s, lid = open_table_and_click_row(v, 1)
    s = v.settled()
    v.screenshot("table-row")
    name, lon, lat = POINTS[1]
    px, py = window_xy(s, lon, lat)
    canvas = canvas_of(s)
    table = s["named"][f"table.{lid}.window"]
    scale = scale_denominator(s, lat)
    print(f"{name} at ({px:.1f}, {py:.1f}); canvas {canvas}; table {table}; scale 1:{scale:,.0f}")
    check(canvas[0] <= px <= canvas[2] and canvas[1] <= py <= canvas[3], "the point is off the canvas")
    check(not (table[0] <= px <= table[2] and table[1] <= py <= table[3]), "the point is behind the table")
    check(SCALE_RANGE[0] <= scale <= SCALE_RANGE[1], f"1:{scale:,.0f} is no scale to see a point at")
    # A header of another fresh table, clicked the same way, sorts at the first click: the
    # counties by their English names (Da'an, Taobei, Taonan, Tongyu, Zhenlai), not in file
    # order.
    click_at(v, s, s["named"]["table.open.counties"])
    v.wait_state(lambda st: "table.counties.header.name_en" in st["named"], "the counties' table")
    # Where the header is once the table has laid out its columns (their widths follow the
    # content a frame or two after the window appears): a click at the first frame's place
    # could land on another column.
    s = v.settled("the counties' table to lay out its columns")
    hx, hy = centre_of(s["named"]["table.counties.header.name_en"])
    wx, wy = s["window"]["x"], s["window"]["y"]
    v.xdotool("mousemove", wx + hx, wy + hy, "click", 1)

    def row_order(st):
        rows = [k for k in st["named"] if k.startswith("table.counties.row.")]
        return [int(k.rsplit(".", 1)[1]) for k in sorted(rows, key=lambda k: st["named"][k][1])]
    s = v.wait_state(lambda st: row_order(st) == [4, 0, 3, 2, 1],
                     "the first click on a header of the fresh table to sort by name_en")
    v.screenshot("table-sorted")


def county_ring_points(adcode):
    path = os.path.join(GEODATA, "baicheng_counties.geojson")
    with open(path, encoding="utf-8") as f:
        for feat in json.load(f)["features"]:
            if str(feat["properties"].get("adcode")) == adcode:
                g = feat["geometry"]
                polys = g["coordinates"] if g["type"] == "MultiPolygon" else [g["coordinates"]]
                return [p for poly in polys for ring in poly for p in ring]
    raise Failure(f"no county {adcode} in {path}")


def case_search_fit(v):
    """Search 通榆 (pinyin tongyu), Enter: the whole of 通榆县 lies inside the canvas, and
    fills a good part of it (fitted, not a stamp in the middle)."""
    s = v.start()
    s = v.settled()
    v.move_to(s, 700, 400)
    v.xdotool("key", "ctrl+f")
    v.wait_state(lambda st: st["textInput"], "Ctrl+F to focus the search box")
    v.xdotool("type", "--delay", 40, "tongyu")
    s = v.wait_state(lambda st: "search.result.0" in st["named"], "results for 'tongyu'")
    v.screenshot("search-results")
    before = s["view"]
    v.xdotool("key", "Return")
    v.wait_state(lambda st: st["view"] != before, "the fly to 通榆县")
    v.xdotool("key", "Escape")
    s = v.settled()
    v.screenshot("search-fit")
    pts = [window_xy(s, lon, lat) for lon, lat in county_ring_points("220822")]
    x0, x1 = min(p[0] for p in pts), max(p[0] for p in pts)
    y0, y1 = min(p[1] for p in pts), max(p[1] for p in pts)
    canvas = canvas_of(s)
    print(f"通榆县 spans ({x0:.1f}, {y0:.1f})-({x1:.1f}, {y1:.1f}); canvas {canvas}")
    check(x0 >= canvas[0] and x1 <= canvas[2] and y0 >= canvas[1] and y1 <= canvas[3],
          "通榆县 is not entirely inside the canvas")
    fill = max((x1 - x0) / (canvas[2] - canvas[0]), (y1 - y0) / (canvas[3] - canvas[1]))
    check(fill > 0.7, f"通榆县 fills only {fill:.0%} of the canvas's width or height")


def case_inspector_closed(v):
    """A county picked in its attribute table opens the inspector; its close box closes it;
    the counties then reload (the GCJ-02 setting switched: the selection finds the county
    again by its id, as after a style change or Ctrl+Z) and the inspector stays closed, the
    county still selected."""
    s = v.start()
    s = v.settled()
    click_at(v, s, s["named"]["table.open.counties"])
    s = v.wait_state(lambda st: "table.counties.row.1" in st["named"], "the counties' table")
    click_at(v, s, s["named"]["table.counties.row.1"])
    s = v.wait_state(lambda st: st["selection"] == [{"layer": "counties", "feature": 1}] and
                     "inspector.close" in st["named"], "a row selects the county and opens the inspector")
    click_at(v, s, s["named"]["inspector.close"])
    s = v.wait_state(lambda st: "inspector.window" not in st["named"], "the inspector closed")
    click_at(v, s, s["named"]["table.counties.close"])  # the table away from the layer panel
    s = v.wait_state(lambda st: "table.counties.window" not in st["named"], "the table closed")
    s = open_settings(v, s, "counties")
    check(setting(s, "counties", "gcj02")["value"] == "false", "GCJ-02 starts off")
    click_at(v, s, setting(s, "counties", "gcj02")["widget"])
    s = v.wait_state(lambda st: setting(st, "counties", "gcj02")["value"] == "true" and
                     layer(st, "counties")["status"] == "loaded", "the counties reloaded in GCJ-02")
    v.move_to(s, 1100, 600)
    s = v.settled()
    v.screenshot("inspector-after-reload")
    check(s["selection"] == [{"layer": "counties", "feature": 1}], f"the selection after the reload: {s['selection']}")
    check("inspector.window" not in s["named"], "the inspector reopened by itself after the reload")
