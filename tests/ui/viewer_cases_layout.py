"""Viewer cases: the docked layout (issue 10, "The layout"). The panels dock to the window's
edges and the map has a canvas of its own: after Home every county lies inside the canvas,
no dock overlaps it, and at 900x600 the layer list, the legend and the time bar are each
usable. The dock state survives a restart; --window-size refuses sizes out of range."""
import json
import os
import subprocess

from viewer_cases_explore import all_layer_plugins
from viewer_cases_time import days, drag_time_slider, good_points
from viewer_harness import GEODATA, TIMEOUT_S, check, click_at, mercator

# The canvas is snapped to whole framebuffer pixels and the docks are not: they may meet it
# within a pixel's fraction.
EDGE_TOLERANCE = 0.5


def county_boxes():
    """Each county's lon/lat bounding box, from the counties file itself."""
    with open(os.path.join(GEODATA, "baicheng_counties.geojson"), encoding="utf-8") as f:
        fc = json.load(f)
    boxes = {}
    for feat in fc["features"]:
        pts = []

        def walk(c):
            if isinstance(c[0], (int, float)):
                pts.append(c)
            else:
                for x in c:
                    walk(x)
        walk(feat["geometry"]["coordinates"])
        lons, lats = [p[0] for p in pts], [p[1] for p in pts]
        boxes[feat["properties"].get("name", str(len(boxes)))] = (min(lons), min(lats), max(lons), max(lats))
    return boxes


def window_of(state, lon, lat):
    """Window units of (lon, lat) from the reported view and canvas (EPSG:3857)."""
    v, c, r = state["view"], state["named"]["canvas"], state["pixelRatio"]
    x, y = mercator(lon, lat)
    return (c[0] + ((x - v["centerX"]) / v["unitsPerPixel"] + v["widthPx"] / 2) / r,
            c[1] + (v["heightPx"] / 2 - (y - v["centerY"]) / v["unitsPerPixel"]) / r)


def overlaps(a, b, tol=EDGE_TOLERANCE):
    return a[0] < b[2] - tol and b[0] < a[2] - tol and a[1] < b[3] - tol and b[1] < a[3] - tol


def check_home_in_canvas(v, s):
    """Home, then every county's box inside the canvas and no dock over the canvas."""
    v.xdotool("key", "Home")
    s = v.settled()
    c = s["named"]["canvas"]
    w = s["window"]
    print("window", w["width"], "x", w["height"], "canvas", c)
    for name, (lon0, lat0, lon1, lat1) in county_boxes().items():
        x0, y1 = window_of(s, lon0, lat0)
        x1, y0 = window_of(s, lon1, lat1)
        check(c[0] <= x0 and x1 <= c[2] and c[1] <= y0 and y1 <= c[3],
              f"after Home {name} ({x0:.0f},{y0:.0f})-({x1:.0f},{y1:.0f}) is not inside the canvas {c}")
    # Clear of the map's own overlays too: the search box over the top, the attribution
    # along the bottom, and the overview map (which stays away while the whole map shows).
    check(s["facts"].get("inset.shown") == "0", "the overview map covers a corner of the whole map after Home")
    for overlay in ("search.input", "attribution"):
        r = s["named"].get(overlay)
        for name, (lon0, lat0, lon1, lat1) in county_boxes().items():
            x0, y1 = window_of(s, lon0, lat0)
            x1, y0 = window_of(s, lon1, lat1)
            check(r is None or not overlaps(r, (x0, y0, x1, y1)),
                  f"after Home {name} ({x0:.0f},{y0:.0f})-({x1:.0f},{y1:.0f}) lies under the {overlay} {r}")
    for dock in ("dock.left", "dock.right", "dock.bottom"):
        r = s["named"].get(dock)
        check(r is None or not overlaps(r, c), f"{dock} {r} overlaps the canvas {c}")
    for dock in ("left", "right", "bottom"):  # the strips' own windows stay in their docks
        r = s["named"].get(f"dock.{dock}.strip")
        check(r is None or not overlaps(r, c), f"the {dock} dock's strip {r} overlaps the canvas {c}")
    for panel in ("layerPanel", "timeWindow", "legend.window"):
        r = s["ui"].get(panel) or s["named"].get(panel)
        check(not r or not overlaps(r, c), f"the {panel} {r} overlaps the canvas {c}")
    check((c[2] - c[0]) >= 0.5 * w["width"] - 1, f"the canvas {c} is less than half the window's width")
    return s


def case_layout_1280(v):
    s = v.start(["--window-size", "1280x800"], extra_plugins=good_points(v))
    s = v.wait_state(lambda st: st["time"]["shown"] and st["time"]["slider"], "the time slider")
    s = v.settled()
    check(s["window"]["width"] == 1280 and s["window"]["height"] == 800, "--window-size 1280x800 not honoured")
    check_home_in_canvas(v, s)
    v.screenshot("layout-1280x800")


def case_layout_900(v):
    # The good_points fixture has time: the time bar is docked at the bottom.
    s = v.start(["--window-size", "900x600"], extra_plugins=good_points(v))
    s = v.wait_state(lambda st: st["time"]["shown"] and st["time"]["slider"], "the time slider")
    s = v.settled()
    check(s["window"]["width"] == 900 and s["window"]["height"] == 600, "--window-size 900x600 not honoured")
    s = check_home_in_canvas(v, s)
    v.screenshot("layout-900x600")
    w = s["window"]
    inside = lambda r: r and r[0] >= 0 and r[1] >= 0 and r[2] <= w["width"] + 0.5 and r[3] <= w["height"] + 0.5
    # The layer list: fold it away and open it again, then read an entry (its checkbox is on
    # screen, and ticking it hides the layer).
    click_at(v, s, s["named"]["dock.left.toggle"])
    s = v.wait_state(lambda st: not st["ui"]["layerPanel"], "the layer list to fold away")
    click_at(v, s, s["named"]["dock.left.toggle"])
    s = v.wait_state(lambda st: st["ui"]["layerPanel"], "the layer list to open again")
    s = v.settled()
    top = next(l for l in reversed(s["layers"]) if l["checkbox"])
    check(inside(top["checkbox"]), f"the first entry's checkbox {top['checkbox']} is off the window")
    click_at(v, s, top["checkbox"])
    s = v.wait_state(lambda st: not next(l for l in st["layers"] if l["id"] == top["id"])["visible"],
                     f"unticking {top['id']} in the layer list")
    click_at(v, s, top["checkbox"])
    s = v.wait_state(lambda st: next(l for l in st["layers"] if l["id"] == top["id"])["visible"], "ticking it again")
    # The legend: fold, open, read an entry that lies wholly in the window.
    click_at(v, s, s["named"]["dock.right.toggle"])
    s = v.wait_state(lambda st: "legend.window" not in st["named"], "the legend to fold away")
    click_at(v, s, s["named"]["dock.right.toggle"])
    s = v.wait_state(lambda st: "legend.entry.0" in st["named"], "the legend to open again")
    entry = s["named"]["legend.entry.0"]
    check(inside(entry) and s["facts"]["legend.entry.0"], f"the legend's first entry {entry} is not readable")
    check(entry[2] <= s["named"]["legend.window"][2] + 0.5, "the legend's entry runs past its dock")
    # The time bar: move the slider.
    check(s["time"]["shown"] and inside(s["time"]["slider"]), "the time slider is not in the window")
    s = drag_time_slider(v, s, round((s["time"]["xFirst"] + s["time"]["xLast"]) / 2))
    s = v.settled()
    check(not s["time"]["all"] and days(s["time"]["firstDay"]) < days(s["time"]["day"]) < days(s["time"]["lastDay"]),
          f"the slider did not move to a day in between: {s['time']}")
    v.screenshot("layout-900x600-used")


def case_layout_session(v):
    """A folded legend and a widened layer dock come back after a restart, and
    --window-size out of range is a usage error."""
    r = subprocess.run([v.bcmap, "--window-size", "100x50"], capture_output=True, text=True, timeout=TIMEOUT_S)
    check(r.returncode == 1 and "--window-size 100x50" in r.stderr and "640" in r.stderr,
          f"--window-size 100x50: exit {r.returncode}, {r.stderr!r}")
    s = v.start(["--window-size", "1280x800"])
    s = v.settled()
    left0 = s["named"]["dock.left"][2]
    sp = s["named"]["dock.left.splitter"]
    x, y = round((sp[0] + sp[2]) / 2), round((sp[1] + sp[3]) / 2)
    v.move_to(s, x, y)
    v.xdotool("mousedown", 1)
    v.wait_state(lambda st: "dock.left.held" in st["facts"], "the splitter to be held")
    for i in range(1, 7):
        v.move_to(s, x + 10 * i, y)
    v.xdotool("mouseup", 1)
    s = v.settled()
    left1 = s["named"]["dock.left"][2]
    check(left1 > left0 + 40, f"dragging the splitter 60 px widened the layer dock from {left0} to {left1}")
    click_at(v, s, s["named"]["dock.right.toggle"])
    s = v.wait_state(lambda st: "legend.window" not in st["named"], "the legend to fold away")
    s = v.settled()
    c1, left2 = s["named"]["canvas"], s["named"]["dock.left"][2]
    v.xdotool("key", "ctrl+s")
    s = v.wait_state(lambda st: st["session"]["saves"] >= 1, "Ctrl+S to save the session")
    v.stop()
    s = v.start(["--window-size", "1280x800"], keep_session=True)
    s = v.settled()
    check(abs(s["named"]["dock.left"][2] - left2) <= 1, f"the layer dock came back {s['named']['dock.left']}, not {left2}")
    check("legend.window" not in s["named"], "the legend dock came back open")
    check(abs(s["named"]["canvas"][2] - c1[2]) <= 1, "the canvas is not the one saved")


def case_attribution_hover(v):
    """At 900x600 the sources took five lines over 通榆县: the map shows one line, and the
    pointer on it shows every source; the overview map comes once the view is closer than
    the whole map, and goes again at Home."""
    s = v.start(["--window-size", "900x600"], extra_plugins=all_layer_plugins(v))
    s = v.settled()
    check(s["facts"].get("attribution.compact") == "1", f"the attribution is not one line at 900x600: {s['facts']}")
    a = s["named"]["attribution"]
    check(a[3] - a[1] < 20, f"the attribution {a} is more than a line")
    check("attribution.tooltip" not in s["named"], "the sources show before the pointer is on them")
    v.move_to(s, round(a[2] - 20), round((a[1] + a[3]) / 2))
    s = v.wait_state(lambda st: "attribution.tooltip" in st["named"], "the sources to show on hover")
    t = s["named"]["attribution.tooltip"]
    check(t[3] <= a[1] + 0.5 and t[0] >= 0 and t[1] >= 0, f"the sources {t} are not above the line {a} in the window")
    shot = v.screenshot("attribution-hover")
    del shot
    # Zoom in at the canvas's centre: the overview map shows where the view is.
    c = s["named"]["canvas"]
    v.move_to(s, round((c[0] + c[2]) / 2), round((c[1] + c[3]) / 2))
    for _ in range(4):
        v.xdotool("click", 4)
    s = v.wait_state(lambda st: st["facts"].get("inset.shown") == "1" and "inset" in st["named"],
                     "the overview map once the view is closer")
    i = s["named"]["inset"]
    # A fifth of the canvas for the map in it, plus its frame.
    check(i[2] - i[0] <= (c[2] - c[0]) / 5 + 16, f"the overview {i} is wider than a fifth of the canvas {c}")
    v.xdotool("key", "Home")
    s = v.wait_state(lambda st: st["facts"].get("inset.shown") == "0", "the overview map to go at Home")
