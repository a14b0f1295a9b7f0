"""Viewer cases with the good_points fixture and the settings section: time (the slider,
play and pause), settings (a plugin's settings change what is drawn) and session (saved,
then restored by a restart). Run through viewer_test.py; the time-slider helpers serve
viewer_cases_explore.py too."""

import datetime
import json
import os

from viewer_harness import Failure, TIMEOUT_S, centre_of, check, click_at, layer, map_px_of_lonlat, near


# ---- time, settings and the session (the good_points fixture: tests/host/fixtures/good_points.cpp)
# Its three points: (lon, lat), fill, and the first day each is shown (None: always).
POINT_A = ((122.84, 45.62), (200, 30, 30), "2017-01-01")  # 甲村
POINT_B = ((123.08, 44.81), (0, 0, 255), "2018-06-01")    # 乙村 (blue from style_feature)
POINT_C = ((124.29, 45.50), (200, 30, 30), None)          # 丙村
# Points are antialiased discs a few pixels wide: their colour is looked for this close to
# the centre, with this much tolerance (the disc's centre pixel is the fill itself).
POINT_RADIUS_PX = 2
POINT_TOLERANCE = 40


def good_points(v):
    """The good_points fixture (the fixture folder also holds the broken plugins, whose rows
    would fill the panel: only this one is copied)."""
    return [os.path.join(v.fixtures, "bcmap_fixture_good_points.so")]


def screen_of_lonlat(state, lon, lat):
    px = map_px_of_lonlat(state, lon, lat)
    r = state["pixelRatio"]
    return state["window"]["x"] + px[0] / r, state["window"]["y"] + px[1] / r


def point_shown(img, state, point):
    (lon, lat), colour, _ = point
    x, y = screen_of_lonlat(state, lon, lat)
    for dy in range(-POINT_RADIUS_PX, POINT_RADIUS_PX + 1):
        for dx in range(-POINT_RADIUS_PX, POINT_RADIUS_PX + 1):
            if near(img.at(round(x) + dx, round(y) + dy), colour, POINT_TOLERANCE):
                return True
    return False


def drag_time_slider(v, s, to_x):
    """Drags the time slider's grab from where it is to window x `to_x`, as a user would."""
    t = s["time"]
    first, last = t["xFirst"], t["xLast"]
    y = round((t["slider"][1] + t["slider"][3]) / 2)
    day0 = t["sliderDay"]
    frac = (days(day0) - days(t["firstDay"])) / (days(t["lastDay"]) - days(t["firstDay"]))
    grab_x = round(first + frac * (last - first))
    v.move_to(s, grab_x, y)
    v.xdotool("mousedown", 1)
    v.wait_state(lambda st: st["time"]["sliderHeld"], "the slider to be held")
    steps = 6
    for i in range(1, steps + 1):
        v.move_to(s, round(grab_x + (to_x - grab_x) * i / steps), y)
    v.xdotool("mouseup", 1)
    return v.wait_state(lambda st: not st["time"]["sliderHeld"], "the slider to be let go")


def days(date):
    """Days since 1970-01-01 of "YYYY-MM-DD" (as bcmap counts them)."""
    return (datetime.date.fromisoformat(date) - datetime.date(1970, 1, 1)).days


def x_of_day(t, date):
    frac = (days(date) - days(t["firstDay"])) / (days(t["lastDay"]) - days(t["firstDay"]))
    return t["xFirst"] + frac * (t["xLast"] - t["xFirst"])


def case_time(v):
    """The time slider: shown for a layer with time; dragging it filters the points by their
    start day (on screen and in the state); "All" shows everything; play moves the day on,
    pause stops it; Space does the same."""
    s = v.start(extra_plugins=good_points(v))
    s = v.wait_state(lambda st: st["time"]["shown"] and st["time"]["slider"], "the time slider")
    s = v.settled()  # a new ImGui window takes a frame to size and place itself
    check(layer(s, "test_points")["status"] == "loaded", "the good_points fixture did not load")
    t = s["time"]
    print("time slider:", json.dumps({k: t[k] for k in ("all", "day", "sliderDay", "slider", "xFirst", "xLast")}))
    check(t["all"] and t["day"] is None, "the slider starts on 全部 All")
    win = t["window"]
    check(win[3] <= s["ui"]["statusBar"][1] and (win[0] >= s["ui"]["layerPanel"][2] or win[1] >= s["ui"]["layerPanel"][3]),
          f"the time slider {win} is not beside or below the layer panel and above the status bar")
    # The points are read from the screen: the counties' labels, drawn over the symbols as
    # a map's labels are, would hide one that happens to sit under a county's name.
    click_at(v, s, layer(s, "counties")["checkbox"])
    s = v.wait_state(lambda st: not layer(st, "counties")["visible"], "the counties to be hidden")
    s = v.move_to(s, round((win[0] + win[2]) / 2), round(win[1]) + 2)  # over the window: no hover
    s = v.settled()

    def shown(name):
        img = v.screenshot(name)
        st = v.state()
        return {p: point_shown(img, st, pt) for p, pt in (("a", POINT_A), ("b", POINT_B), ("c", POINT_C))}

    every = shown("all")
    print("All:", every)
    check(all(every.values()), f"with All every point is drawn: {every}")

    # Between a's start and b's start: a and c, not b.
    s1 = drag_time_slider(v, v.state(), round(x_of_day(t, "2017-09-15")))
    s1 = v.settled()
    day = s1["time"]["day"]
    print("dragged to", day)
    check(day is not None and not s1["time"]["all"], "dragging the slider turns All off")
    check(days("2017-01-01") <= days(day) < days("2018-06-01"), f"the day {day} is not between the two starts")
    mid = shown("mid-2017")
    print(day, mid)
    check(mid == {"a": True, "b": False, "c": True}, f"on {day}: {mid}")

    # Past the left end: the first day, before both starts.
    s2 = drag_time_slider(v, s1, round(t["xFirst"]) - 40)
    s2 = v.settled()
    check(s2["time"]["day"] == "2015-01-01", f"left of the slider is its first day, not {s2['time']['day']}")
    early = shown("2015")
    print("2015-01-01:", early)
    check(early == {"a": False, "b": False, "c": True}, f"on 2015-01-01: {early}")

    # The right end: everything has started.
    s3 = drag_time_slider(v, s2, round(t["xLast"]) + 40)
    s3 = v.settled()
    check(s3["time"]["day"] == "2020-12-31", f"right of the slider is its last day, not {s3['time']['day']}")
    late = shown("2020")
    check(all(late.values()), f"on 2020-12-31: {late}")

    # All again (the toggle), then play from an early day and pause.
    drag_time_slider(v, s3, round(t["xFirst"]))
    st = v.settled()
    v.move_to(st, *centre_of(st["time"]["allToggle"]))
    v.xdotool("click", 1)
    st = v.wait_state(lambda x: x["time"]["all"] and x["time"]["day"] is None, "All to be on")
    check(st["time"]["sliderDay"] == "2015-01-01", "All keeps the slider's day")
    v.move_to(st, *centre_of(st["time"]["play"]))
    v.xdotool("click", 1)
    p1 = v.wait_state(lambda x: x["time"]["playing"] and x["time"]["day"] not in (None, "2015-01-01"),
                      "playing to move the day on")
    check(not p1["time"]["all"], "playing turns All off")
    p2 = v.wait_state(lambda x: x["time"]["day"] and days(x["time"]["day"]) > days(p1["time"]["day"]),
                      "the day to keep moving")
    print("playing:", p1["time"]["day"], "->", p2["time"]["day"])
    v.xdotool("click", 1)  # the same button now pauses
    p3 = v.wait_state(lambda x: not x["time"]["playing"], "pause")
    p4 = v.settled()
    check(p4["time"]["day"] == p3["time"]["day"], "paused: the day stays")
    v.move_to(p4, 1100, 100)  # off the panels, so the keyboard goes to the map
    v.xdotool("key", "space")
    v.wait_state(lambda x: x["time"]["playing"], "Space to play")
    v.xdotool("key", "space")
    v.wait_state(lambda x: not x["time"]["playing"], "Space to pause")


def open_settings(v, s, layer_id):
    node = layer(s, layer_id)["settingsNode"]
    check(node is not None, f"{layer_id} has no settings section")
    if layer(s, layer_id)["settings"] and layer(s, layer_id)["settings"][0]["widget"]:
        return s  # already open
    v.move_to(s, *centre_of(node))
    v.xdotool("click", 1)
    return v.wait_state(lambda st: layer(st, layer_id)["settings"][0]["widget"], f"the settings of {layer_id}")


def setting(state, layer_id, key):
    for x in layer(state, layer_id)["settings"]:
        if x["key"] == key:
            return x
    raise Failure(f"{layer_id} has no setting {key}")


def type_into_slider(v, s, layer_id, key, text):
    """Ctrl+click makes an ImGui slider a text field: type a value there."""
    w = setting(s, layer_id, key)["widget"]
    check(w is not None, f"{layer_id}.{key} is not on screen")
    v.move_to(s, *centre_of(w))
    v.xdotool("keydown", "ctrl", "click", 1, "keyup", "ctrl")
    v.xdotool("key", "ctrl+a")
    v.xdotool("type", "--delay", 20, text)
    v.xdotool("key", "Return")


def type_into_field(v, s, layer_id, key, text):
    w = setting(s, layer_id, key)["widget"]
    check(w is not None, f"{layer_id}.{key} is not on screen")
    v.move_to(s, *centre_of(w))
    v.xdotool("click", 1)
    # Keys sent in the frame that activates the field would be lost to it.
    v.wait_state(lambda st: st["textInput"], f"{layer_id}.{key} to take the keyboard")
    v.xdotool("key", "ctrl+a", "BackSpace")
    v.xdotool("type", "--delay", 10, text)
    v.xdotool("key", "Return")


def changed_pixels(a, b, box):
    x0, y0, x1, y1 = (round(c) for c in box)
    n = 0
    for y in range(max(0, y0), min(a.height, y1)):
        for x in range(max(0, x0), min(a.width, x1)):
            if not near(a.at(x, y), b.at(x, y), 8):
                n += 1
    return n


def case_settings(v):
    """The settings section: a float slider (the file layer's point size) changes the drawing;
    a path that does not exist fails the layer with the reason under the field, the other
    layers keep working, and the right path mends it; a checkbox (the counties' GCJ-02
    switch) reloads the counties."""
    os.makedirs(v.work, exist_ok=True)
    points = os.path.join(v.work, "points.geojson")
    with open(points, "w", encoding="utf-8") as f:
        json.dump({"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": {"name": "白城站"},
             "geometry": {"type": "Point", "coordinates": [122.83, 45.61]}}]}, f, ensure_ascii=False)
    s = v.start([points])
    fid = "file:points.geojson"
    s = open_settings(v, s, fid)
    keys = [x["key"] for x in layer(s, fid)["settings"]]
    print("file layer settings:", keys)
    check({"path", "color", "point_size"} <= set(keys), f"the vector_file settings: {keys}")
    s = v.move_to(s, 1100, 100)
    s = v.settled()
    x, y = screen_of_lonlat(s, 122.83, 45.61)
    box = (x - 40, y - 40, x + 40, y + 40)
    before = v.screenshot("point-size-5")
    v.screenshot("settings-open")

    type_into_slider(v, s, fid, "point_size", "30")
    s1 = v.wait_state(lambda st: setting(st, fid, "point_size")["value"] == "30", "point_size 30")
    check(setting(s1, fid, "point_size")["error"] is None, "no error for a good value")
    check(layer(s1, fid)["status"] == "loaded", "the layer reloaded")
    s1 = v.move_to(s1, 1100, 100)
    v.settled()
    after = v.screenshot("point-size-30")
    n = changed_pixels(before, after, box)
    print(f"point_size 5 -> 30: {n} pixels changed around the point")
    # A 5 px disc becomes a 30 px one: about pi * (15^2 - 2.5^2) ~ 690 pixels.
    check(n > 400, f"only {n} pixels changed: the new size is not drawn")

    type_into_field(v, s1, fid, "path", "/nonexistent/none.geojson")
    s2 = v.wait_state(lambda st: setting(st, fid, "path")["error"] is not None, "an error under the path field")
    err = setting(s2, fid, "path")["error"]
    print("bad path:", err)
    check("none.geojson" in err, f"the error should name the file: {err}")
    check(layer(s2, fid)["status"] == "failed", "the layer failed")
    check(layer(s2, "counties")["status"] == "loaded", "the counties keep working")
    v.screenshot("bad-path")

    type_into_field(v, s2, fid, "path", points)
    s3 = v.wait_state(lambda st: layer(st, fid)["status"] == "loaded", "the right path to mend the layer")
    check(setting(s3, fid, "path")["error"] is None, "the error goes away")

    s3 = open_settings(v, s3, "counties")
    box = setting(s3, "counties", "gcj02")["widget"]
    v.move_to(s3, *centre_of(box))
    v.xdotool("click", 1)
    s4 = v.wait_state(lambda st: setting(st, "counties", "gcj02")["value"] == "true", "the GCJ-02 checkbox")
    check(layer(s4, "counties")["status"] == "loaded", "the counties reloaded as GCJ-02")
    v.screenshot("counties-gcj02")


def case_session(v):
    """Ctrl+S writes the session file; a restart with the same BCMAP_SESSION restores
    visibility, opacity, settings, the view and the time slider; Ctrl+Q saves on the way out."""
    s = v.start(extra_plugins=good_points(v))
    s = v.settled()
    check(s["session"]["path"] == v.session_path, f"BCMAP_SESSION is not used: {s['session']}")
    check(not os.path.exists(v.session_path), "no session file before Ctrl+S")

    # Change one of each: visibility, opacity, a setting, the view, the time.
    v.move_to(s, *centre_of(layer(s, "test_points")["checkbox"]))
    v.xdotool("click", 1)
    s = v.wait_state(lambda st: not layer(st, "test_points")["visible"], "test_points hidden")
    slider_y = centre_of(layer(s, "counties")["up"])[1]
    v.move_to(s, round(layer(s, "counties")["checkbox"][2] + 60), slider_y)
    v.xdotool("keydown", "ctrl", "click", 1, "keyup", "ctrl")
    v.xdotool("key", "ctrl+a")
    v.xdotool("type", "--delay", 20, "40")
    v.xdotool("key", "Return")
    s = v.wait_state(lambda st: abs(layer(st, "counties")["opacity"] - 0.4) < 1e-6, "opacity 40 %")
    s = open_settings(v, s, "test_points")
    type_into_slider(v, s, "test_points", "size", "20")
    s = v.wait_state(lambda st: setting(st, "test_points", "size")["value"] == "20", "size 20")
    s = v.wait_state(lambda st: st["time"]["slider"], "the time slider")
    s = drag_time_slider(v, s, round(x_of_day(s["time"], "2018-03-01")))
    s = v.move_to(s, 1100, 120)
    v.xdotool("key", "plus")
    v.xdotool("key", "Right")
    s = v.settled()
    want = {"view": s["view"], "day": s["time"]["day"]}
    check(want["day"] is not None, "the day was set")
    print("to restore:", json.dumps(want))

    v.xdotool("key", "ctrl+s")
    s = v.wait_state(lambda st: st["session"]["saves"] == 1, "Ctrl+S to save the session")
    check(s["session"]["error"] == "", f"saving failed: {s['session']['error']}")
    with open(v.session_path, encoding="utf-8") as f:
        saved = json.load(f)
    print("session file:", json.dumps(saved, ensure_ascii=False)[:400])
    by_id = {l["id"]: l for l in saved["layers"]}
    check(by_id["test_points"]["visible"] is False and by_id["test_points"]["settings"]["size"] == "20",
          f"test_points in the file: {by_id['test_points']}")
    check(abs(by_id["counties"]["opacity"] - 0.4) < 1e-6, f"counties in the file: {by_id['counties']}")
    check(saved["time"]["day"] == want["day"] and saved["time"]["all"] is False, f"time in the file: {saved['time']}")
    v.stop()

    s = v.start(keep_session=True, extra_plugins=good_points(v))
    s = v.settled()
    print("restored:", json.dumps({"view": s["view"], "day": s["time"]["day"]}))
    check(not layer(s, "test_points")["visible"], "test_points stays hidden")
    check(abs(layer(s, "counties")["opacity"] - 0.4) < 1e-6, f"counties opacity {layer(s, 'counties')['opacity']}")
    check(setting(s, "test_points", "size")["value"] == "20", "the size setting is restored")
    check(s["view"] == want["view"], f"the view: {s['view']} != {want['view']}")
    check(s["time"]["day"] == want["day"] and not s["time"]["all"], f"the time slider: {s['time']}")
    v.screenshot("restored")

    v.move_to(s, *centre_of(layer(s, "test_points")["checkbox"]))
    v.xdotool("click", 1)
    s = v.wait_state(lambda st: layer(st, "test_points")["visible"], "test_points shown again")
    v.move_to(s, 1100, 120)
    v.xdotool("key", "ctrl+q")
    code = v.app.wait(timeout=TIMEOUT_S)
    check(code == 0, f"Ctrl+Q exited {code}")
    with open(v.session_path, encoding="utf-8") as f:
        saved = json.load(f)
    check({l["id"]: l for l in saved["layers"]}["test_points"]["visible"] is True, "Ctrl+Q saved the session")
