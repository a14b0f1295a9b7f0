"""Viewer cases of issue 10's third new-user trial: a village found by search is selected
(outlined, described, its name placed first), and the inspector opens inside the map canvas,
below the search box, clear of the docked legend. Run through viewer_test.py.

Sections: 1. a village found by search, 2. where the inspector opens.
"""

import os

from viewer_harness import GEODATA, check, click_at, map_px_of_lonlat

VILLAGES = os.path.join(GEODATA, "baicheng_villages.geojson")
VILLAGES_ID = "file:baicheng_villages.geojson"


def inside(rect, outer, what):
    check(rect[0] >= outer[0] - 1 and rect[1] >= outer[1] - 1 and rect[2] <= outer[2] + 1 and rect[3] <= outer[3] + 1,
          f"{what} {rect} is not inside {outer}")


def overlap(a, b):
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def check_inspector_placed(s):
    """The inspector inside the canvas, below the search box (which it must not cover)."""
    ins = s["named"]["inspector.window"]
    canvas = s["named"]["canvas"]
    inside(ins, canvas, "the inspector")
    box = s["named"].get("search.window") or s["named"].get("search.input")
    if box:
        check(not overlap(ins, box), f"the inspector {ins} covers the search box {box}")
    return ins


# ---- 1. a village found by search -----------------------------------------------------------
def case_search_village(v):
    """The villages opened as a file; search 炭窑村 by its pinyin, Enter: the view flies to it,
    and the village is selected (outlined in the highlight colour, its label placed first), as
    a click on it would select it, without an inspector popping over the map."""
    s = v.start([VILLAGES])
    s = v.settled()
    check(any(l["id"] == VILLAGES_ID and l["status"] == "loaded" for l in s["layers"]),
          f"the villages file did not load: {[l['id'] for l in s['layers']]}")
    v.move_to(s, 700, 400)
    v.xdotool("key", "ctrl+f")
    v.wait_state(lambda st: st["textInput"], "Ctrl+F to focus the search box")
    v.xdotool("type", "--delay", 40, "tanyaocun")
    s = v.wait_state(lambda st: "search.result.0" in st["named"], "results for 'tanyaocun'")
    before = s["view"]
    v.xdotool("key", "Return")
    s = v.wait_state(lambda st: "炭窑村" in st["facts"].get("search.flewTo", "") or st["view"] != before,
                     "the fly to 炭窑村")
    s = v.wait_state(lambda st: len(st["selection"]) == 1, "炭窑村 selected after the search")
    check(s["selection"][0]["layer"] == VILLAGES_ID, f"selected {s['selection']}, not a village of {VILLAGES_ID}")
    s = v.settled()
    shot = v.screenshot("search-village")
    check("inspector.window" not in s["named"], "the inspector opened over the map the village was framed in")
    # The village is on the canvas, ringed in the highlight colour (MapRenderer's 255,200,0).
    r = s["pixelRatio"]
    x, y = (c / r for c in map_px_of_lonlat(s, 122.663728, 45.119803))
    canvas = s["named"]["canvas"]
    print(f"炭窑村 at ({x:.0f}, {y:.0f}); canvas {canvas}")
    check(canvas[0] <= x <= canvas[2] and canvas[1] <= y <= canvas[3], "炭窑村 is off the canvas")
    ringed = [(dx, dy) for dx in range(-9, 10) for dy in range(-9, 10)
              if all(abs(a - b) <= 40 for a, b in zip(shot.at(round(x) + dx + s["window"]["x"],
                                                               round(y) + dy + s["window"]["y"]), (255, 200, 0)))]
    check(len(ringed) >= 4, f"炭窑村 at ({x:.0f}, {y:.0f}) is not ringed in the highlight colour")


# ---- 2. where the inspector opens -----------------------------------------------------------
def case_inspector_place(v):
    """A row of the counties' table selects the county: the inspector opens in the right
    dock above the legend (which keeps the rest of the dock), covering no map; with the
    right dock folded it floats inside the canvas, below the search box."""
    s = v.start()
    s = v.settled()
    click_at(v, s, s["named"]["table.open.counties"])
    s = v.wait_state(lambda st: "table.counties.row.1" in st["named"], "the counties' table")
    click_at(v, s, s["named"]["table.counties.row.1"])
    s = v.wait_state(lambda st: st["selection"] == [{"layer": "counties", "feature": 1}] and
                     "inspector.window" in st["named"], "a row selects the county and opens the inspector")
    s = v.settled()
    v.screenshot("inspector-docked")
    ins, dock, canvas = s["named"]["inspector.window"], s["named"]["dock.right"], s["named"]["canvas"]
    check(s["facts"].get("inspector.docked") == "1", "the inspector is not in the right dock")
    inside(ins, dock, "the docked inspector")
    check(not overlap(ins, canvas), f"the docked inspector {ins} covers the canvas {canvas}")
    legend = s["named"].get("legend.window")
    check(legend is not None and legend[1] >= ins[3] - 0.5, f"the legend {legend} is not below the inspector {ins}")
    # The right dock folded: the inspector floats in the canvas, clear of the search box.
    click_at(v, s, s["named"]["dock.right.toggle"])
    s = v.wait_state(lambda st: "dock.right" not in st["named"] or st["facts"].get("inspector.docked") == "0",
                     "the right dock to fold")
    s = v.settled()
    check(s["facts"].get("inspector.docked") == "0", "the inspector stayed docked in a folded dock")
    check_inspector_placed(s)
    # Closed, the legend has the whole dock again.
    click_at(v, s, s["named"]["dock.right.toggle"])
    s = v.wait_state(lambda st: st["facts"].get("inspector.docked") == "1", "the dock to open with the inspector")
    click_at(v, s, s["named"]["inspector.close"])
    s = v.wait_state(lambda st: "inspector.window" not in st["named"], "the inspector to close")
    s = v.settled()
    legend, dock = s["named"]["legend.window"], s["named"]["dock.right"]
    check(abs(legend[1] - dock[1]) < 30, f"the legend {legend} does not take the dock {dock} again")
