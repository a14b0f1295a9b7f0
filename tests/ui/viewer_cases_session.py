"""Viewer cases: the session and the display CRS (issue 10, items 1, 2 and 4).

session_file: a FILE opened with a session keeps the session's display CRS and view (and
quitting does not write another CRS over it); a FILE outside that view moves the view to it.
session_selection: the selection saved by Ctrl+S is there again after a restart, once the
layers have loaded, and a second Ctrl+S writes it again.
bad_session (issue 12): a session file that cannot be read opens the viewer with the
defaults and a notice saying so; the file is kept beside as session.json.bad-<date>, and the
next save writes a good session without touching the kept one.
crs_text: a bare PROJ string typed into the CRS box is taken as the CRS it names; the CRS
window opens from the View menu and from the status bar's CRS label.
"""

import json
import os

from viewer_cases_explore import free_map_point
from viewer_harness import TIMEOUT_S, canvas_origin_px, centre_of, check

LAEA = "+proj=laea +lat_0=45 +lon_0=123"
LAEA_CRS = LAEA + " +type=crs"  # what io/Projection's normalizeCrs makes of it


def write_line(v, name, a, b):
    """A GeoJSON file with one line from lon/lat `a` to `b`, in WORK/data (start() keeps it)."""
    folder = os.path.join(v.work, "data")
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, name)
    with open(path, "w", encoding="utf-8") as f:
        json.dump({"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": {"name": name},
             "geometry": {"type": "LineString", "coordinates": [list(a), list(b)]}}]}, f)
    return path


def saved_session(v):
    with open(v.session_path, encoding="utf-8") as f:
        return json.load(f)


def file_layer_loaded(state):
    return any(l["id"].startswith("file:") and l["status"] == "loaded" for l in state["layers"])


def cursor_at_centre(v, s):
    """The cursor's report at the centre of the map canvas (the view is the canvas, which
    starts where the docked panels end)."""
    ratio = s["pixelRatio"]
    ox, oy = canvas_origin_px(s)
    centre = (round((ox + s["view"]["widthPx"] / 2) / ratio), round((oy + s["view"]["heightPx"] / 2) / ratio))
    v.move_to(s, *centre)
    return v.settled()["cursor"]


def case_session_file(v):
    # A session saved in a LAEA display CRS, zoomed in a step.
    s = v.start(args=["--crs", LAEA])
    s = v.settled()
    check(s["crs"] == LAEA_CRS, f"--crs gave {s['crs']!r}")
    v.move_to(s, 1100, 120)
    v.xdotool("key", "plus")
    s = v.settled()
    v.xdotool("key", "ctrl+s")
    s = v.wait_state(lambda st: st["session"]["saves"] == 1, "Ctrl+S to save the session")
    want = s["view"]
    check(saved_session(v)["displayCrs"] == LAEA_CRS, f"saved CRS {saved_session(v)['displayCrs']!r}")
    v.stop()

    # 1. A file inside the view: a layer is added, the CRS and the view stand.
    inside = write_line(v, "inside.geojson", (122.80, 45.60), (122.90, 45.66))
    s = v.start(args=[inside], keep_session=True)
    s = v.wait_state(file_layer_loaded, "the FILE layer")
    s = v.settled()
    v.screenshot("file_inside")
    print("with a FILE:", json.dumps({"crs": s["crs"], "view": s["view"]}))
    check(s["crs"] == LAEA_CRS, f"the session's CRS was thrown away: {s['crs']!r}")
    check(s["view"] == want, f"the session's view was thrown away: {s['view']} != {want}")
    v.move_to(s, 1100, 120)
    v.xdotool("key", "ctrl+q")
    code = v.app.wait(timeout=TIMEOUT_S)
    check(code == 0, f"Ctrl+Q exited {code}")
    saved = saved_session(v)
    check(saved["displayCrs"] == LAEA_CRS, f"quitting rewrote the session's CRS: {saved['displayCrs']!r}")
    check(any(l.get("file") == inside for l in saved["layers"]), "the FILE is a layer of the session")
    v.stop()

    # 2. A file outside the view (Beijing): the CRS stands, the view moves to the file, and
    # the log says why.
    outside = write_line(v, "outside.geojson", (116.30, 39.80), (116.50, 40.00))
    s = v.start(args=[outside], keep_session=True)
    s = v.wait_state(lambda st: any(l["id"] == "file:outside.geojson" and l["status"] == "loaded"
                                    for l in st["layers"]), "the Beijing FILE layer")
    s = v.settled()
    v.screenshot("file_outside")
    check(s["crs"] == LAEA_CRS, f"the session's CRS was thrown away: {s['crs']!r}")
    cursor = cursor_at_centre(v, s)
    print("centre of the view:", cursor)
    check(abs(cursor["lon"] - 116.40) < 0.05 and abs(cursor["lat"] - 39.90) < 0.05,
          f"the view was not moved to the file outside it: centre at {cursor}")
    check("outside.geojson lies outside the session's view" in v.log(), "the log does not say why the view moved")


def case_session_selection(v):
    s = v.start()
    s = v.settled()
    tongyu = free_map_point(s, 122.80, 44.65)  # inside 通榆县 (220822)
    v.move_to(s, *tongyu)
    v.xdotool("click", 1)
    s = v.wait_state(lambda st: len(st["selection"]) == 1, "a click to select 通榆县")
    selected = s["selection"]
    v.move_to(s, *tongyu)
    v.xdotool("key", "ctrl+s")
    s = v.wait_state(lambda st: st["session"]["saves"] == 1, "Ctrl+S to save the session")
    # The status bar says it was saved, and where (Ctrl+S gave no sign before).
    s = v.wait_state(lambda st: "Session saved" in st["facts"].get("status.notice", ""), "the status bar's notice")
    check(v.session_path in s["facts"]["status.notice"], f"the notice names no file: {s['facts']['status.notice']}")
    by_id = {l["id"]: l for l in saved_session(v)["layers"]}
    check(by_id["counties"].get("selected") == ["220822"], f"saved selection: {by_id['counties']}")
    v.stop()

    s = v.start(keep_session=True)
    s = v.wait_state(lambda st: st["selection"] == selected, f"the selection {selected} after the restart")
    v.screenshot("restored_selection")
    # Restored, not picked: the inspector stays closed (it opened over half the map).
    s = v.settled()
    check("inspector.window" not in s["named"], "the inspector opened by itself for the restored selection")
    v.move_to(s, *tongyu)
    v.xdotool("key", "ctrl+s")
    s = v.wait_state(lambda st: st["session"]["saves"] == 1, "the second Ctrl+S")
    by_id = {l["id"]: l for l in saved_session(v)["layers"]}
    check(by_id["counties"].get("selected") == ["220822"], f"the second save lost the selection: {by_id['counties']}")
    # A pick of the user's own (another county) opens the inspector as before.
    v.move_to(s, *free_map_point(s, 122.95, 45.75))  # inside 洮北区
    v.xdotool("click", 1)
    v.wait_state(lambda st: "inspector.window" in st["named"], "a click on 洮北区 to open the inspector")


def type_into(v, s, rect, text):
    v.move_to(s, *centre_of(rect))
    v.xdotool("click", 1)
    v.wait_state(lambda st: st["textInput"], "the CRS field to take the keyboard")
    v.xdotool("key", "ctrl+a", "BackSpace")
    v.xdotool("type", "--delay", 20, text)
    v.xdotool("key", "Return")


def wait_crs_window_focused(v, what):
    """The window is open and its field has the keyboard, with no click into it. The viewer
    reports ImGui's text-input flag a frame late and draws only after input, so the mouse
    moves onto the window's title (not the field) to have one more frame drawn."""
    s = v.wait_state(lambda st: "crs.window" in st["named"], what)
    w = s["named"]["crs.window"]
    v.move_to(s, round((w[0] + w[2]) / 2), round(w[1] + 8))
    return v.wait_state(lambda st: st["textInput"], what + ": its field to have the keyboard")


def case_crs_text(v):
    s = v.start()
    s = v.settled()
    # 1. The layer panel's CRS box, with the text.
    type_into(v, s, s["ui"]["crsField"], LAEA)
    s = v.wait_state(lambda st: st["crs"] == LAEA_CRS or st["crsError"], "the switch to LAEA")
    check(s["crs"] == LAEA_CRS and s["crsError"] == "", f"LAEA refused: {s['crsError']!r} (CRS {s['crs']!r})")
    v.screenshot("laea")

    # 2. View ▸ Display CRS… opens the window with the field ready for typing.
    v.move_to(s, *centre_of(s["named"]["menu.view"]))
    v.xdotool("click", 1)
    s = v.wait_state(lambda st: "menu.view.crs" in st["named"], "the View menu")
    v.move_to(s, *centre_of(s["named"]["menu.view.crs"]))
    v.xdotool("click", 1)
    s = wait_crs_window_focused(v, "the CRS window from the View menu")
    v.xdotool("key", "ctrl+a", "BackSpace")
    v.xdotool("type", "--delay", 20, " epsg:4550 ")
    v.xdotool("key", "Return")
    s = v.wait_state(lambda st: st["crs"] == "EPSG:4550", "the switch to EPSG:4550 from the window")
    s = v.wait_state(lambda st: "CGCS2000" in st["facts"].get("crs.name", ""), "the window naming EPSG:4550")
    v.screenshot("crs_window")
    v.move_to(s, *centre_of(s["named"]["menu.view"]))
    v.xdotool("click", 1)
    s = v.wait_state(lambda st: "menu.view.crs" in st["named"], "the View menu")
    v.move_to(s, *centre_of(s["named"]["menu.view.crs"]))
    v.xdotool("click", 1)
    s = v.wait_state(lambda st: "crs.window" not in st["named"], "the menu item closing the window")

    # 3. The status bar's CRS label opens it too.
    v.move_to(s, *centre_of(s["named"]["status.crs"]))
    v.xdotool("click", 1)
    s = wait_crs_window_focused(v, "the CRS window from the status bar")
    v.xdotool("key", "ctrl+a", "BackSpace")
    v.xdotool("type", "--delay", 20, "EPSG:999999")
    v.xdotool("key", "Return")
    s = v.wait_state(lambda st: st["crsError"] != "", "an error for an unknown CRS")
    print("refused:", s["crsError"])
    check(s["crs"] == "EPSG:4550", "a refused CRS changes nothing")
    check("+proj=laea" in s["crsError"], f"the error does not say what is taken: {s['crsError']!r}")
    v.screenshot("crs_refused")


def case_bad_session(v):
    folder = os.path.dirname(v.session_path)
    os.makedirs(folder, exist_ok=True)
    for n in os.listdir(folder):  # a run before this one's
        if n.startswith("session.json.bad-"):
            os.remove(os.path.join(folder, n))
    junk = '{"layers": [{"id": "counties", "opacity": "half"}], "view": '  # cut off, and a wrong type
    with open(v.session_path, "w", encoding="utf-8") as f:
        f.write(junk)
    s = v.start(keep_session=True)
    s = v.wait_state(lambda st: "could not be read" in st["facts"].get("status.notice", ""),
                     "the notice that the session could not be read")
    v.screenshot("bad_session")
    notice = s["facts"]["status.notice"]
    print("notice:", notice)
    kept = [n for n in os.listdir(folder) if n.startswith("session.json.bad-")]
    check(len(kept) == 1, f"the bad session was not kept beside: {os.listdir(folder)}")
    with open(os.path.join(folder, kept[0]), encoding="utf-8") as f:
        check(f.read() == junk, "the kept copy is not the bad file as it was")
    check(notice.index(kept[0]) < 110, f"the notice does not name the kept copy early on: {notice!r}")
    check(not os.path.exists(v.session_path), "the bad file is still under the session's name")
    # The defaults: every county shown, the view fitted (not the bad file's).
    check(any(l["id"] == "counties" and l["visible"] for l in s["layers"]), "the counties are not shown")
    v.xdotool("key", "ctrl+s")
    s = v.wait_state(lambda st: st["session"]["saves"] == 1, "Ctrl+S to save the session")
    saved = saved_session(v)
    check(isinstance(saved.get("layers"), list), f"the new session is not a good one: {saved}")
    with open(os.path.join(folder, kept[0]), encoding="utf-8") as f:
        check(f.read() == junk, "saving touched the kept copy")
