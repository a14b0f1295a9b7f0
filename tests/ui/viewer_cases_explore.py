"""Viewer cases of issue 4, exploring the map: search, back, inspect, help and story (the
walk-through over every layer plugin of the build). Run through viewer_test.py."""

import json
import os
import shutil

from viewer_cases_time import drag_time_slider, x_of_day
from viewer_harness import (Failure, GEODATA, SHIPPED_PLUGINS, check, click_at, in_rects, layer,
                            canvas_origin_px, map_px_of_lonlat, mercator, ui_rects)


# ---- issue 4: exploring the map -------------------------------------------------------------
def county_label_point(adcode):
    """The label point (pole of inaccessibility) tools/fetch_counties.py stored for a county."""
    path = os.path.join(GEODATA, "baicheng_counties.geojson")
    with open(path, encoding="utf-8") as f:
        for feat in json.load(f)["features"]:
            p = feat["properties"]
            if str(p.get("adcode")) == adcode:
                return p["label_lon"], p["label_lat"]
    raise Failure(f"no county {adcode} in {path}")


def free_map_point(state, lon, lat):
    """Window coordinates of (lon, lat), checked to be on the map and off every panel."""
    ratio = state["pixelRatio"]
    px = map_px_of_lonlat(state, lon, lat)
    x, y = round(px[0] / ratio), round(px[1] / ratio)
    c = state["named"]["canvas"]
    check(c[0] <= x < c[2] and c[1] <= y < c[3], f"({lon}, {lat}) is off the map canvas at ({x}, {y})")
    check(not in_rects(x, y, ui_rects(state), pad=6), f"({x}, {y}) is under a panel")
    return x, y


def case_search(v):
    """Ctrl+F focuses the search box; typing pinyin lists 通榆县; Enter flies there, the county
    fitted into the map (viewer_cases_explore2.case_search_fit checks the fit), its label point
    on the map; Alt+Left goes back to where we were."""
    s = v.start()
    s = v.settled()
    before = s["view"]
    v.move_to(s, 700, 400)
    v.xdotool("key", "ctrl+f")
    s = v.wait_state(lambda st: st["textInput"], "Ctrl+F to focus the search box")
    v.xdotool("type", "--delay", 40, "tongyu")
    s = v.wait_state(lambda st: "search.result.0" in st["named"], "results for 'tongyu'")
    v.screenshot("search-results")
    v.xdotool("key", "Return")
    s = v.wait_state(lambda st: "通榆县" in st["facts"].get("search.flewTo", "") or st["view"] != before,
                     "the jump to 通榆县")
    s = v.settled()
    lon, lat = county_label_point("220822")
    px = map_px_of_lonlat(s, lon, lat)
    ox, oy = canvas_origin_px(s)
    cx, cy = s["view"]["widthPx"] / 2 + ox, s["view"]["heightPx"] / 2 + oy
    print(f"通榆县 label point at ({px[0]:.2f}, {px[1]:.2f}), map centre ({cx}, {cy})")
    check(0 <= px[0] <= 2 * cx and 0 <= px[1] <= 2 * cy, "通榆县's label point is off the map")
    check(s["view"]["unitsPerPixel"] < before["unitsPerPixel"], "the jump did not zoom in on the county")
    v.screenshot("search-flew")
    # Back: the view before the jump (the history recorded both once they settled).
    v.xdotool("key", "Escape")  # the search box lets go of the keyboard
    v.move_to(s, 700, 400)
    v.xdotool("key", "alt+Left")
    s = v.wait_state(lambda st: abs(st["view"]["unitsPerPixel"] - before["unitsPerPixel"]) < 1e-6 * before["unitsPerPixel"]
                     and abs(st["view"]["centerX"] - before["centerX"]) < 1e-3 and
                     abs(st["view"]["centerY"] - before["centerY"]) < 1e-3, "Alt+Left back to the first view")


def case_back(v):
    """Back and forward through past views: zoom, pan, then Alt+Left twice and Alt+Right, and
    the mouse's back button; each step lands exactly on the view recorded."""
    s = v.start()
    s0 = v.settled()
    v.move_to(s0, 700, 450)
    v.xdotool("key", "plus")
    s1 = v.settled()
    check(s1["view"]["unitsPerPixel"] < s0["view"]["unitsPerPixel"], "+ zoomed in")
    v.xdotool("key", "Right")
    s2 = v.settled()
    check(s2["view"]["centerX"] != s1["view"]["centerX"], "Right panned")

    def at(view):
        return lambda st: all(abs(st["view"][k] - view[k]) <= 1e-6 * max(1.0, abs(view[k]))
                              for k in ("centerX", "centerY", "unitsPerPixel"))
    v.xdotool("key", "alt+Left")
    v.wait_state(at(s1["view"]), "back to the zoomed view")
    v.xdotool("key", "alt+Left")
    v.wait_state(at(s0["view"]), "back to the first view")
    v.xdotool("key", "alt+Right")
    v.wait_state(at(s1["view"]), "forward to the zoomed view")
    v.xdotool("click", 9)  # X11 button 9: the mouse's forward button
    v.wait_state(at(s2["view"]), "the mouse's forward button to the panned view")
    v.xdotool("click", 8)  # button 8: back
    v.wait_state(at(s1["view"]), "the mouse's back button")


def case_inspect(v):
    """A click on a county selects it and opens the inspector with its attributes; Shift-click
    adds a second county; Esc clears the selection."""
    s = v.start()
    s = v.settled()
    tongyu = free_map_point(s, 122.80, 44.65)   # inside 通榆县, south of its label
    taonan = free_map_point(s, 122.55, 45.25)   # inside 洮南市
    v.move_to(s, *tongyu)
    v.xdotool("click", 1)
    s = v.wait_state(lambda st: len(st["selection"]) == 1 and "inspector.window" in st["named"],
                     "the inspector after a click on 通榆县")
    sel = s["selection"][0]
    check(sel["layer"] == "counties", f"selected {sel}")
    title = s["facts"].get("inspector.title.0", "")
    check("220822" in title, f"the inspector shows {title!r}, not 通榆县 (220822)")
    shot = v.screenshot("inspector")
    ins = s["named"]["inspector.window"]
    # The inspector is drawn: its area differs from the map around it (a plain panel colour).
    inside = shot.at(round((ins[0] + ins[2]) / 2) + s["window"]["x"], round(ins[1] + 40) + s["window"]["y"])
    print("inspector window", ins, "pixel", inside)
    v.move_to(s, *taonan)
    v.xdotool("keydown", "shift", "click", 1, "keyup", "shift")
    s = v.wait_state(lambda st: len(st["selection"]) == 2, "Shift-click adds 洮南市")
    v.move_to(s, 700, 450)
    v.xdotool("key", "Escape")
    v.wait_state(lambda st: len(st["selection"]) == 0 and "inspector.window" not in st["named"],
                 "Esc clears the selection")


def case_help(v):
    """F1 opens the shortcuts window, F1 again closes it; Ctrl+L opens the log panel."""
    s = v.start()
    s = v.settled()
    v.move_to(s, 700, 450)
    v.xdotool("key", "F1")
    s = v.wait_state(lambda st: st["panels"]["help"], "F1 to open the help window")
    v.screenshot("help")
    v.xdotool("key", "F1")
    v.wait_state(lambda st: not st["panels"]["help"], "F1 to close it")
    v.xdotool("key", "ctrl+l")
    v.wait_state(lambda st: st["panels"]["log"], "Ctrl+L to open the log")


def all_layer_plugins(v):
    """Every layer plugin the build made, for cases that browse the real thematic layers."""
    folder = os.path.join(os.path.dirname(v.bcmap), "plugins")
    return [os.path.join(folder, f) for f in sorted(os.listdir(folder))
            if f.endswith(".so") and f[len("bcmap_"):-3] not in SHIPPED_PLUGINS]



def case_story(v):
    """The issue's walk-through, as a newcomer would do it: find 通榆县, list its relocated
    villages in the attribute table and read one's attributes, watch the stations appear from
    2016 to 2019, and export the map with a legend."""
    s = v.start(extra_plugins=all_layer_plugins(v))
    s = v.settled()
    # 1. Find 通榆县 (search box, pinyin).
    v.move_to(s, 700, 400)
    v.xdotool("key", "ctrl+f")
    v.wait_state(lambda st: st["textInput"], "the search box")
    v.xdotool("type", "--delay", 40, "tongyu")
    v.wait_state(lambda st: "search.result.0" in st["named"], "search results")
    v.xdotool("key", "Return")
    # The fact lasts one frame (the state file may skip it); the view moving is what stays:
    # zoomed in, 通榆县's label point on the map.
    lon, lat = county_label_point("220822")

    def at_tongyu(st):
        px = map_px_of_lonlat(st, lon, lat)
        return (st["view"]["unitsPerPixel"] < s["view"]["unitsPerPixel"] and 0 <= px[0] <= st["view"]["widthPx"]
                and 0 <= px[1] <= st["view"]["heightPx"])
    s = v.wait_state(at_tongyu, "the jump to 通榆县")
    v.xdotool("key", "Escape")
    s = s_county = v.settled()
    v.screenshot("story-1-tongyu")
    # 2. Its relocated villages: the attribute table, filtered to the county.
    check(layer(s, "relocated_villages")["visible"], "the relocated villages are shown by default")
    click_at(v, s, s["named"]["table.open.relocated_villages"])
    s = v.wait_state(lambda st: "table.relocated_villages.filter" in st["named"], "the attribute table")
    click_at(v, s, s["named"]["table.relocated_villages.filter"])
    # xdotool cannot type Chinese into the window, so the filter picks the south of Baicheng,
    # which is 通榆县: the expected rows come from the data file itself.
    with open(os.path.join(GEODATA, "baicheng_relocation.geojson"), encoding="utf-8") as f:
        south = [ft["properties"] for ft in json.load(f)["features"] if ft["properties"]["origin_lat"] < 45.1]
    check(south and {p["county_zh"] for p in south} == {"通榆县"}, "the data's southern villages are 通榆县's")
    v.xdotool("type", "--delay", 30, "label_lat < 45.1")
    want = f"{len(south)} / "
    s = v.wait_state(lambda st: st["facts"].get("table.relocated_villages.count", "").startswith(want),
                     f"{len(south)} relocated villages of 通榆县 in the table")
    print("table count:", s["facts"]["table.relocated_villages.count"])
    rows = sorted((k for k in s["named"] if k.startswith("table.relocated_villages.row.")),
                  key=lambda k: s["named"][k][1])
    check(rows, "the table shows rows")
    click_at(v, s, s["named"][rows[0]])
    s = v.wait_state(lambda st: any(x["layer"] == "relocated_villages" for x in st["selection"]) and
                     "inspector.window" in st["named"], "a row selects the village and opens the inspector")
    s = v.settled()
    v.screenshot("story-2-relocated")
    # Back to the whole county (the row zoomed in on the village): Esc lets go of the filter
    # field, Alt+Left steps back through the views.
    county_view = s_county["view"]
    v.xdotool("key", "Escape")
    click_at(v, s, s["named"]["table.relocated_villages.close"])  # the table's close box
    s = v.wait_state(lambda st: "table.relocated_villages.window" not in st["named"], "the table closed")
    v.move_to(s, 700, 200)
    v.xdotool("key", "alt+Left")
    s = v.wait_state(lambda st: abs(st["view"]["unitsPerPixel"] - county_view["unitsPerPixel"]) < 1e-6 * county_view["unitsPerPixel"],
                     "Alt+Left back to the county")
    # 3. Stations from 2016 to 2019: the slider at two dates, the map differs where they open.
    s = v.wait_state(lambda st: st["time"]["slider"], "the time slider")
    s = drag_time_slider(v, s, round(x_of_day(s["time"], "2016-02-01")))
    s = v.settled()
    early = v.screenshot("story-3-2016")
    s = drag_time_slider(v, s, round(x_of_day(s["time"], "2019-12-31")))
    s = v.settled()
    late = v.screenshot("story-4-2019")
    m = s["map"]
    changed = sum(1 for y in range(40, round(m["height"] / s["pixelRatio"]) - 60, 3)
                  for x in range(0, s["window"]["width"], 3)
                  if not in_rects(x, y, ui_rects(s), pad=4) and early.at(x + s["window"]["x"], y + s["window"]["y"]) !=
                  late.at(x + s["window"]["x"], y + s["window"]["y"]))
    print("map pixels changed between 2016-02 and 2019-12 (every 3rd):", changed)
    check(changed > 200, "the stations (and villages) opened by 2019 are not drawn")
    # 4. Export with a legend (File → Export, Ctrl+E).
    v.move_to(s, 700, 400)
    v.xdotool("key", "ctrl+e")
    s = v.wait_state(lambda st: "export.button" in st["named"], "the export dialog")
    out = os.path.join(v.work, "report-map.png")
    click_at(v, s, s["named"]["export.path"])
    v.xdotool("key", "ctrl+a")
    v.xdotool("type", "--delay", 10, out)
    s = v.wait_state(lambda st: st["facts"].get("export.path") == out, "the path typed in full")
    click_at(v, s, s["named"]["export.button"])
    s = v.wait_state(lambda st: st["facts"].get("export.result"), "the export to finish")
    check(not s["facts"]["export.result"].startswith("error"), s["facts"]["export.result"])
    check(os.path.exists(out), f"no {out}")
    shutil.copy2(out, os.path.join(v.work, "story-5-export.png"))
    v.screenshot("story-5-dialog")
