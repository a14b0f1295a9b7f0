"""Viewer cases of a layer row's menu (a right click on its name in the layer panel).

layer_menu (900x600) and layer_menu_1280 (1280x800): a small square opened as a FILE. A
right click (button 3) on its name opens the menu; 缩放到图层 Zoom to layer frames the square
(the view's centre moves onto it and its scale grows); a second right click and 移除图层
Remove layer take the row away: the map draws the county under the square again, the
renderer holds no buffers for it, the status bar says "已移除 removed: square.geojson",
and after Ctrl+Q the session file names no such layer. A folder opened as a FILE fails and
is removed the same way. The counties' row offers no removal (a plugin's layer is hidden,
not removed: the item is disabled and says so). Screenshots: the row's tooltip, each menu
open, the view zoomed, the list after the removals. Run through viewer_test.py."""

import json
import os

from viewer_harness import TIMEOUT_S, centre_of, check, click_at, county_at, map_px_of_lonlat

FILE_ID = "file:square.geojson"
FOLDER_ID = "file:folder.geojson"  # a folder named like a data file: a failed layer
# A square of about 8 x 9 km inside 洮北区, far smaller than Baicheng: framing it zooms in.
LON0, LAT0, LON1, LAT1 = 122.90, 45.40, 123.00, 45.48
# Where the map is checked for the square (and, once removed, for the county under it).
SAMPLES = [(LON0 + (LON1 - LON0) * fx, LAT0 + (LAT1 - LAT0) * fy)
           for fx, fy in ((0.25, 0.25), (0.75, 0.25), (0.5, 0.5), (0.25, 0.75), (0.75, 0.75))]


def write_square(v):
    data = os.path.join(v.work, "data")
    os.makedirs(data, exist_ok=True)
    path = os.path.join(data, "square.geojson")
    ring = [[LON0, LAT0], [LON1, LAT0], [LON1, LAT1], [LON0, LAT1], [LON0, LAT0]]
    with open(path, "w", encoding="utf-8") as f:
        json.dump({"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": {"name": "方块 square"},
             "geometry": {"type": "Polygon", "coordinates": [ring]}}]}, f, ensure_ascii=False)
    return path


def counties_seen(v, s, name):
    """How many of the sample places show a county's own colour (not the square's)."""
    img = v.screenshot(name)
    wx, wy = s["window"]["x"], s["window"]["y"]
    seen = 0
    for lon, lat in SAMPLES:
        x, y = map_px_of_lonlat(s, lon, lat)
        r = s["pixelRatio"]
        seen += county_at(img, round(wx + x / r), round(wy + y / r)) is not None
    return seen


def open_menu(v, s, layer_id):
    click_at(v, s, s["named"][f"layer.name.{layer_id}"], button=3)
    v.wait_state(lambda st: st["facts"].get("layer.menu") == layer_id and "layer.menu.remove" in st["named"],
                 f"the menu of {layer_id}")
    return v.settled()


def run(v, width, height):
    size = f"{width}x{height}"
    path = write_square(v)
    folder = os.path.join(v.work, "data", "folder.geojson")
    os.makedirs(folder, exist_ok=True)
    s = v.start(args=["--window-size", size, path, folder], extra_env={"BCMAP_DATA_CACHE": "0"})
    s = v.wait_state(lambda st: any(l["id"] == FOLDER_ID and l["status"] == "failed" for l in st["layers"]),
                     "the folder to fail")
    s = v.settled()
    check(s["window"]["width"] == width and s["window"]["height"] == height, f"the window is {s['window']}")
    ids = [l["id"] for l in s["layers"]]
    check(FILE_ID in ids, f"the square did not open: {ids}")
    check(f"layer.name.{FILE_ID}" in s["named"], "the square's row reports no name to right-click")

    # The row's tooltip says where the menu is.
    v.move_to(s, *centre_of(s["named"][f"layer.name.{FILE_ID}"]))
    s = v.settled()
    v.screenshot(f"row-tooltip-{size}")

    # The counties' menu: Remove is there, disabled (clicking it removes nothing), and says why.
    s = open_menu(v, s, "counties")
    click_at(v, s, s["named"]["layer.menu.remove"])
    s = v.settled()
    v.screenshot(f"plugin-menu-{size}")
    v.xdotool("key", "Escape")
    s = v.wait_state(lambda st: "layer.menu" not in st["facts"], "the counties' menu to close")
    s = v.settled()
    check(any(l["id"] == "counties" for l in s["layers"]), "a plugin's layer was removed")

    # The failed folder: removed from its menu.
    s = open_menu(v, s, FOLDER_ID)
    v.screenshot(f"failed-menu-{size}")
    click_at(v, s, s["named"]["layer.menu.remove"])
    s = v.wait_state(lambda st: all(l["id"] != FOLDER_ID for l in st["layers"]), "the failed row to go")
    s = v.settled()

    # 1. Zoom to layer.
    before = s["view"]
    s = open_menu(v, s, FILE_ID)
    v.screenshot(f"menu-open-{size}")
    click_at(v, s, s["named"]["layer.menu.zoom"])
    s = v.wait_state(lambda st: st["view"]["unitsPerPixel"] != before["unitsPerPixel"], "Zoom to layer to frame it")
    s = v.settled()
    view = s["view"]
    print("view before:", before, "after:", view)
    check(view["unitsPerPixel"] < before["unitsPerPixel"] / 4,
          f"the square was not framed closer: {before['unitsPerPixel']} -> {view['unitsPerPixel']}")
    r = s["pixelRatio"]
    for lon, lat in ((LON0, LAT0), (LON1, LAT1)):
        x, y = map_px_of_lonlat(s, lon, lat)
        c = s["named"]["canvas"]
        check(c[0] * r <= x <= c[2] * r and c[1] * r <= y <= c[3] * r, f"corner {lon},{lat} is off the map: {x},{y}")
    check(FILE_ID in s["facts"].get("map.uploaded", "").split("\n"), "the square was never uploaded")
    shown = counties_seen(v, s, f"zoomed-{size}")
    check(shown <= 1, f"the square is not drawn over the county ({shown} of {len(SAMPLES)} places show the county)")

    # 2. Remove layer.
    s = open_menu(v, s, FILE_ID)
    v.screenshot(f"menu-again-{size}")
    click_at(v, s, s["named"]["layer.menu.remove"])
    s = v.wait_state(lambda st: all(l["id"] != FILE_ID for l in st["layers"]), "the square's row to go")
    s = v.settled()
    check(f"layer.name.{FILE_ID}" not in s["named"], "the row is still drawn")
    check(FILE_ID not in s["facts"].get("map.uploaded", "").split("\n"),
          f"the renderer still holds the square: {s['facts'].get('map.uploaded')!r}")
    notice = s["facts"].get("status.notice", "")
    check("已移除 removed: square.geojson" in notice, f"the status bar says {notice!r}")
    check(s["view"] == view, "removing the layer moved the view")
    shown = counties_seen(v, s, f"removed-{size}")
    check(shown >= len(SAMPLES) - 1, f"the map still draws the square ({shown} of {len(SAMPLES)} places show the county)")

    # 3. Quit: the session names no such layer.
    c = s["named"]["canvas"]
    v.move_to(s, round((c[0] + c[2]) / 2), round((c[1] + c[3]) / 2))
    v.xdotool("key", "ctrl+q")
    code = v.app.wait(timeout=TIMEOUT_S)
    check(code == 0, f"Ctrl+Q exited {code}")
    with open(v.session_path, encoding="utf-8") as f:
        saved = json.load(f)
    names = [(l.get("id"), l.get("file")) for l in saved.get("layers", [])]
    print("session layers:", names)
    check(all(i not in (FILE_ID, FOLDER_ID) and (not f or "square.geojson" not in f and "folder" not in f)
              for i, f in names), f"the session still names a removed layer: {names}")
    check(any(i == "counties" for i, _ in names), f"the session lost the counties: {names}")


def case_layer_menu(v):
    run(v, 900, 600)


def case_layer_menu_1280(v):
    run(v, 1280, 800)
