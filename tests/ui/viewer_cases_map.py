"""Viewer cases on the map itself: drag, wheel, untick, keys, resize, no_display, crs, hover
and layers (the counties plugin and files opened beside it). Run through viewer_test.py."""

import json
import math
import os
import subprocess

from viewer_harness import (COUNTY_COLOURS, COUNTY_FILLS, PX_TOLERANCE, TIMEOUT_S, WHEEL_PX_TOLERANCE,
                            blended, centre_of, check, count_county_pixels, county_at, in_rects, layer,
                            map_px_of_lonlat, near, ui_rects)


def case_drag(v):
    """A left-drag of (dx, dy) moves the view centre and the map's pixels by (dx, dy)."""
    s = v.start()
    start = (820, 560)
    dx, dy = -170, -110
    s0 = v.move_to(s, *start)
    s0 = v.settled()
    before = v.screenshot("before-drag")
    v.xdotool("mousedown", 1)
    steps = 10
    for i in range(1, steps + 1):  # several moves: a drag the viewer sees as it happens
        v.move_to(s0, start[0] + dx * i // steps, start[1] + dy * i // steps)
    v.xdotool("mouseup", 1)
    s1 = v.wait_state(lambda s: not s["dragging"], "the drag to end")
    s1 = v.settled()
    after = v.screenshot("after-drag")

    upp = s0["view"]["unitsPerPixel"]
    check(s1["view"]["unitsPerPixel"] == upp, "a drag must not zoom")
    ratio = s0["pixelRatio"]
    shift_x = (s0["view"]["centerX"] - s1["view"]["centerX"]) / upp
    shift_y = (s1["view"]["centerY"] - s0["view"]["centerY"]) / upp
    print(f"view centre moved by ({shift_x:.2f}, {shift_y:.2f}) px for a drag of ({dx}, {dy})")
    check(abs(shift_x - dx * ratio) <= PX_TOLERANCE and abs(shift_y - dy * ratio) <= PX_TOLERANCE,
          f"the view moved ({shift_x:.2f}, {shift_y:.2f}) px, expected ({dx}, {dy}) +- {PX_TOLERANCE}")

    # The pixels: every county-coloured pixel of `before` is the same county in `after`,
    # moved by (dx, dy) — where both places are open map (not under a panel or tooltip).
    map_h = s0["map"]["height"] / ratio
    blocked0, blocked1 = ui_rects(s0), ui_rects(s1)
    moved_ok = moved_total = still_ok = 0
    per_county = {name: 0 for name in COUNTY_COLOURS}
    for y in range(0, int(map_h), 3):
        for x in range(0, before.width, 3):
            name = county_at(before, x, y)
            if not name or in_rects(x, y, blocked0):
                continue
            tx, ty = x + dx, y + dy
            if not (0 <= tx < after.width and 0 <= ty < map_h) or in_rects(tx, ty, blocked1):
                continue
            moved_total += 1
            per_county[name] += 1
            if county_at(after, tx, ty) == name:
                moved_ok += 1
            if county_at(after, x, y) == name:
                still_ok += 1
    print(f"county pixels compared: {moved_total} {per_county}; same county after the move: {moved_ok}; "
          f"at the old place: {still_ok}")
    check(sum(1 for n in per_county.values() if n >= 100) >= 4,
          f"too few county pixels to compare: {per_county} (see {before.path})")
    # Labels move with the map, so nearly all should match; a few pixels at antialiased
    # edges may differ by rounding.
    check(moved_ok >= 0.98 * moved_total,
          f"only {moved_ok}/{moved_total} county pixels moved by ({dx}, {dy}) (see {before.path}, {after.path})")
    check(still_ok < 0.9 * moved_total, "the map did not move on screen")


def case_wheel(v):
    """One wheel step zooms by 1.25 about the cursor: the lon/lat under it stays within 1 px."""
    s = v.start()
    at = (700, 430)
    s0 = v.move_to(s, *at)
    s0 = v.settled()
    lon, lat = s0["cursor"]["lon"], s0["cursor"]["lat"]
    # The viewer's lon/lat agrees with the view it reports (Web Mercator computed here).
    px0 = map_px_of_lonlat(s0, lon, lat)
    ratio = s0["pixelRatio"]
    cursor_px = (at[0] * ratio, at[1] * ratio)
    check(math.hypot(px0[0] - cursor_px[0], px0[1] - cursor_px[1]) <= WHEEL_PX_TOLERANCE,
          f"the reported lon/lat {lon}, {lat} is at {px0}, not under the cursor {cursor_px}")
    # Three steps in, then three out, each checked against the place first under the cursor:
    # an error in where the zoom is anchored adds up, so even a one-pixel slip shows.
    for button, factor in [(4, 1.25)] * 3 + [(5, 1 / 1.25)] * 3:
        before = s0["view"]["unitsPerPixel"]
        v.xdotool("click", button)
        s1 = v.wait_state(lambda s: s["view"]["unitsPerPixel"] != before, f"the wheel (button {button}) to zoom")
        s1 = v.settled()
        got = before / s1["view"]["unitsPerPixel"]
        check(abs(got - factor) < 1e-9, f"one wheel step zoomed by {got}, expected {factor}")
        px1 = map_px_of_lonlat(s1, lon, lat)
        err = math.hypot(px1[0] - cursor_px[0], px1[1] - cursor_px[1])
        print(f"wheel button {button}: zoom x{got:.4f}; {lon:.6f}, {lat:.6f} now {err:.4f} px from the cursor")
        check(err <= WHEEL_PX_TOLERANCE, f"after the wheel step the place under the cursor moved {err:.3f} px")
        s0 = s1


def case_untick(v):
    """Unticking the counties layer in the panel leaves none of the county colours on screen."""
    s = v.start()
    s = v.move_to(s, 1100, 700)  # off the counties: no tooltip, no highlight
    s = v.settled()
    shown = count_county_pixels(v.screenshot("counties-on"))
    print("county pixels before:", shown)
    check(all(n > 500 for n in shown.values()), f"not every county is on screen before: {shown}")
    box = layer(s, "counties")["checkbox"]
    check(box is not None, "the state has no checkbox rectangle for the counties layer")
    cx, cy = round((box[0] + box[2]) / 2), round((box[1] + box[3]) / 2)
    v.move_to(s, cx, cy)
    v.xdotool("click", 1)
    s1 = v.wait_state(lambda s: not layer(s, "counties")["visible"], "the counties layer to be hidden")
    check(s1["view"] == s["view"], "clicking the checkbox must not move the map")
    v.settled()
    hidden = count_county_pixels(v.screenshot("counties-off"), step=1)
    print("county pixels after unticking:", hidden)
    check(sum(hidden.values()) == 0, f"county colours still on screen: {hidden}")
    v.xdotool("click", 1)
    v.wait_state(lambda s: layer(s, "counties")["visible"], "the counties layer to be shown again")
    v.settled()
    again = count_county_pixels(v.screenshot("counties-on-again"))
    check(again == shown, f"ticking it again should restore the map: {again} != {shown}")


def case_keys(v):
    """+, -, arrows, Home, double-click, F12 (screenshot) and Ctrl+Q (quit, exit code 0)."""
    s = v.start()
    s = v.move_to(s, 900, 650)
    s = v.settled()
    home = s["view"]  # once the first frames measured the overlays Home keeps clear of
    upp = s["view"]["unitsPerPixel"]

    def after_key(key, what):
        before = json.dumps(v.state()["view"])
        v.xdotool("key", key)
        v.wait_state(lambda s: json.dumps(s["view"]) != before, what)
        return v.settled()

    s1 = after_key("plus", "+ to zoom in")
    check(abs(upp / s1["view"]["unitsPerPixel"] - 2) < 1e-9, "+ zooms in x2")
    check(abs(s1["view"]["centerX"] - s["view"]["centerX"]) < 1e-6 * upp, "+ zooms about the centre")
    s2 = after_key("minus", "- to zoom out")
    check(abs(s2["view"]["unitsPerPixel"] - upp) < 1e-9 * upp, "- undoes +")
    s3 = after_key("Right", "Right to pan")
    moved = (s3["view"]["centerX"] - s2["view"]["centerX"]) / upp
    check(abs(moved - 100 * s["contentScale"]) < 1e-6, f"Right moves the view 100 px east, not {moved}")
    s4 = after_key("Home", "Home to fit all")
    check(s4["view"] == home, f"Home restores the initial view: {s4['view']} != {home}")

    at = (760, 400)
    s5 = v.move_to(s4, *at)
    lon, lat = s5["cursor"]["lon"], s5["cursor"]["lat"]
    v.xdotool("click", "--repeat", 2, "--delay", 80, 1)
    s6 = v.wait_state(lambda s: s["view"]["unitsPerPixel"] < s5["view"]["unitsPerPixel"], "a double-click to zoom")
    s6 = v.settled()
    check(abs(s5["view"]["unitsPerPixel"] / s6["view"]["unitsPerPixel"] - 2) < 1e-9, "a double-click zooms x2")
    px = map_px_of_lonlat(s6, lon, lat)
    check(math.hypot(px[0] - at[0] * s6["pixelRatio"], px[1] - at[1] * s6["pixelRatio"]) <= WHEEL_PX_TOLERANCE,
          "a double-click zooms about the cursor")

    v.xdotool("key", "F12")
    s7 = v.wait_state(lambda s: s["lastScreenshot"], "F12 to save a screenshot")
    path = s7["lastScreenshot"]
    check(os.path.dirname(path) == v.shots and os.path.getsize(path) > 10000, f"screenshot {path}")
    with open(path, "rb") as f:
        head = f.read(24)
    check(head[:8] == b"\x89PNG\r\n\x1a\n", "the screenshot is a PNG")
    w, h = int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")
    check((w, h) == (s7["framebuffer"]["width"], s7["framebuffer"]["height"]), f"screenshot size {w}x{h}")
    print("F12 wrote", path)

    v.xdotool("key", "ctrl+q")
    code = v.app.wait(timeout=TIMEOUT_S)
    check(code == 0, f"Ctrl+Q should close the viewer with exit code 0, got {code}")


def case_resize(v):
    """Resizing the window keeps the centre and the scale."""
    s = v.start()
    s = v.settled()
    wid = subprocess.run(["xdotool", "search", "--name", "bcmap"], env=v.env(), capture_output=True, text=True,
                         timeout=TIMEOUT_S).stdout.split()
    check(wid, "no bcmap window found by name")
    v.xdotool("windowsize", wid[0], 1000, 640)
    s1 = v.wait_state(lambda s: s["window"]["width"] == 1000 and s["window"]["height"] == 640, "the resize")
    s1 = v.settled()
    check(s1["view"]["centerX"] == s["view"]["centerX"] and s1["view"]["centerY"] == s["view"]["centerY"],
          "the centre stays on resize")
    check(s1["view"]["unitsPerPixel"] == s["view"]["unitsPerPixel"], "the scale stays on resize")
    c = s1["named"]["canvas"]
    check(abs(s1["view"]["widthPx"] - (c[2] - c[0]) * s1["pixelRatio"]) < 1 and c[2] <= 1000,
          "the view follows the map canvas in the resized window")
    check(s1["ui"]["statusBar"][3] <= 640 + 0.5, "the status bar stays at the bottom of the window")


def case_no_display(v):
    """Without a display the viewer says so in one line and exits 2; make run renders a PNG."""
    env = dict(os.environ)
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    r = subprocess.run([v.bcmap], env=env, capture_output=True, text=True, timeout=TIMEOUT_S)
    check(r.returncode == 2, f"bcmap without a display exited {r.returncode}")
    lines = r.stderr.strip().splitlines()
    check(len(lines) == 1 and "display" in lines[0], f"expected one line about the display, got {r.stderr!r}")
    os.makedirs(v.work, exist_ok=True)
    out = os.path.join(v.work, "baicheng.png")
    if os.path.exists(out):
        os.remove(out)
    script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools", "run-viewer.sh")
    r = subprocess.run(["sh", script, os.path.dirname(v.bcmap)], env=env, cwd=v.work, capture_output=True,
                       text=True, timeout=TIMEOUT_S)
    check(r.returncode == 0, f"run-viewer.sh exited {r.returncode}: {r.stdout}{r.stderr}")
    lines = r.stdout.strip().splitlines()
    check(lines[0] == "bcmap: no display available; rendering baicheng.png with bcmap render instead",
          f"first line: {lines[0]!r}")
    check(lines[-1] == os.path.realpath(out) or lines[-1] == out, f"last line names the PNG: {lines[-1]!r}")
    check(os.path.getsize(out) > 10000, "baicheng.png was written")


def ground_distance_m(lon0, lat0, lon1, lat1):
    """Metres between two nearby places (equirectangular; ample for a pixel or two)."""
    k = math.cos(math.radians((lat0 + lat1) / 2))
    return math.hypot((lon1 - lon0) * k, lat1 - lat0) * 111195.0


def case_crs(v):
    """Typing a CRS into the panel re-projects the map keeping the centre and ground resolution;
    a CRS PROJ does not know is refused with a message and changes nothing."""
    s = v.start()
    s = v.settled()
    ratio = s["pixelRatio"]
    c = s["named"]["canvas"]
    centre = (round((c[0] + c[2]) / 2), round((c[1] + c[3]) / 2))
    s0 = v.move_to(s, *centre)
    s0 = v.settled()

    def type_crs(text):
        field = v.state()["ui"]["crsField"]
        check(field is not None, "the state has no rectangle for the CRS field")
        v.move_to(s0, round((field[0] + field[2]) / 2), round((field[1] + field[3]) / 2))
        v.xdotool("click", 1)
        # Keys sent in the frame that activates the field would be lost to it.
        v.wait_state(lambda st: st["textInput"], "the CRS field to take the keyboard")
        v.xdotool("key", "ctrl+a", "BackSpace")
        v.xdotool("type", "--delay", 20, text)
        v.screenshot("typed")
        v.xdotool("key", "Return")

    type_crs("EPSG:32651")
    v.wait_state(lambda s: s["crs"] == "EPSG:32651", "the switch to UTM 51N")
    s1 = v.move_to(v.state(), *centre)
    s1 = v.settled()
    v.screenshot("utm51n")
    moved_m = ground_distance_m(s0["cursor"]["lon"], s0["cursor"]["lat"], s1["cursor"]["lon"], s1["cursor"]["lat"])
    mpp0, mpp1 = s0["metresPerPixel"], s1["metresPerPixel"]
    print(f"EPSG:3857 -> EPSG:32651: centre moved {moved_m:.1f} m on the ground "
          f"({moved_m / mpp0:.3f} px); metres per pixel {mpp0:.3f} -> {mpp1:.3f}")
    # Within a pixel: the cursor sits half a pixel off the exact centre, and the two
    # projections turn that half pixel by their (small) grid convergence.
    check(moved_m <= 1.0 * mpp0, f"the centre moved {moved_m:.1f} m on the ground")
    check(abs(mpp1 / mpp0 - 1) < 1e-3, f"the ground resolution changed: {mpp0} -> {mpp1}")
    check(s1["crsError"] == "", "no error for a valid CRS")

    type_crs("EPSG:999999")
    s2 = v.wait_state(lambda s: s["crsError"] != "", "an error for an unknown CRS")
    print("refused:", s2["crsError"])
    check(s2["crs"] == "EPSG:32651" and s2["view"] == s1["view"], "a refused CRS changes nothing")


def case_hover(v):
    """The feature under the cursor is identified, described and shown in a tooltip; off the
    counties, or over a panel, nothing is."""
    s = v.start()
    s = v.settled()
    ratio = s["pixelRatio"]
    # Baicheng's city centre, in Taobei District (洮北区, adcode 220802).
    px = map_px_of_lonlat(s, 122.84, 45.62)
    taobei = (round(px[0] / ratio), round(px[1] / ratio))

    def hovering_taobei(st):
        h = st["hover"]
        return h["layer"] == "counties" and h["id"] == "220802" and "洮北区" in h["text"] and st["ui"]["tooltip"]

    s1 = v.move_to(s, *taobei)
    s1 = v.wait_state(hovering_taobei, "the tooltip for 洮北区")
    tip = s1["ui"]["tooltip"]
    check(abs(tip[0] - taobei[0]) < 60 and abs(tip[1] - taobei[1]) < 60, f"the tooltip {tip} is not by the cursor")
    print("hover text:", s1["hover"]["text"].replace("\n", " / "))
    panel = s1["ui"]["layerPanel"]
    v.move_to(s1, round((panel[0] + panel[2]) / 2), round((panel[1] + panel[3]) / 2))
    v.wait_state(lambda st: st["hover"]["layer"] is None and st["ui"]["tooltip"] is None,
                 "no hover over the panel")
    v.move_to(s1, *taobei)
    v.wait_state(hovering_taobei, "the same tooltip again")
    v.move_to(s1, s1["window"]["width"] - 40, 60)  # the north-east corner: no county there
    v.wait_state(lambda st: st["hover"]["layer"] is None and st["ui"]["tooltip"] is None,
                 "no hover off the counties")



def case_layers(v):
    """The layer panel: files opened beside the counties, a failed one with its reason, the
    list top drawn last, reordering with the arrows, opacity typed into the slider."""
    os.makedirs(v.work, exist_ok=True)
    points = os.path.join(v.work, "points.geojson")
    with open(points, "w", encoding="utf-8") as f:
        json.dump({"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": {"name": "白城站"},
             "geometry": {"type": "Point", "coordinates": [122.83, 45.61]}}]}, f, ensure_ascii=False)
    broken = os.path.join(v.work, "broken.geojson")
    with open(broken, "w", encoding="utf-8") as f:
        f.write('{"type": "FeatureCollection", "features": [')
    s = v.start([points, broken])
    s = v.settled()
    ids = [l["id"] for l in s["layers"]]
    print("layers in draw order:", ids)
    check(len(ids) == 3 and ids[0] == "counties", f"expected the counties and two files: {ids}")
    pts, bad = s["layers"][1], s["layers"][2]
    check(pts["status"] == "loaded" and pts["visible"], f"points.geojson: {pts}")
    check(bad["status"] == "failed" and not bad["visible"], f"broken.geojson should have failed: {bad}")
    check(bad["up"] is None, "a failed layer has no order buttons")
    # The list's top is the layer drawn last.
    rows = sorted(s["layers"], key=lambda l: l["checkbox"][1])
    check([l["id"] for l in rows] == ids[::-1], f"panel order {[l['id'] for l in rows]} is not draw order reversed")

    v.move_to(s, *centre_of(layer(s, "counties")["up"]))
    v.xdotool("click", 1)
    s1 = v.wait_state(lambda st: st["layers"][1]["id"] == "counties", "the counties to move up")
    s1 = v.settled()
    check([l["id"] for l in s1["layers"]] == [ids[1], "counties", ids[2]], f"order after moving up: {s1['layers']}")
    rows = sorted(s1["layers"], key=lambda l: l["checkbox"][1])
    check([l["id"] for l in rows] == [ids[2], "counties", ids[1]], "the panel follows the new order")

    # Ctrl+click turns an ImGui slider into a text field: type 50 % there.
    slider_y = centre_of(layer(s1, "counties")["up"])[1]
    slider_x = round(layer(s1, "counties")["checkbox"][2] + 60)
    v.move_to(s1, slider_x, slider_y)
    v.xdotool("keydown", "ctrl", "click", 1, "keyup", "ctrl")
    v.xdotool("key", "ctrl+a")
    v.xdotool("type", "--delay", 20, "50")
    v.xdotool("key", "Return")
    s2 = v.wait_state(lambda st: abs(layer(st, "counties")["opacity"] - 0.5) < 1e-6, "opacity 50 %")
    v.move_to(s2, s2["window"]["width"] - 40, 60)  # off the map's features and the panel
    v.settled()
    img = v.screenshot("opacity-50")
    half = {name: blended(c, 0.5) for name, c in COUNTY_FILLS.items()}
    counts = {name: 0 for name in half}
    stale = 0
    for y in range(0, img.height, 2):
        for x in range(0, img.width, 2):
            p = img.at(x, y)
            for name, c in half.items():
                if near(p, c):
                    counts[name] += 1
            if county_at(img, x, y):
                stale += 1
    print("county pixels at 50 % opacity:", counts, "at 90 %:", stale)
    check(all(n > 500 for n in counts.values()), f"not every county shows at 50 %: {counts}")
    check(stale == 0, f"{stale} pixels still have the 90 % county colours")
