"""Viewer case of issue 10, item 7: opening a file from the File menu.

open_file: File ▸ Open… shows bcmap's own dialog (at 900x600, the laptop half-screen); the
path of a GeoJSON is typed into its field and Enter opens it as a layer, named once
("mine.geojson", not "mine.geojson mine.geojson") and framed; the file is then in the
recent files ($XDG_STATE_HOME/bcmap/recent-files.json). After a restart File ▸ Open Recent
lists it, and choosing it opens it again. Run through viewer_test.py."""

import json
import os
import shutil
import subprocess

from viewer_harness import TIMEOUT_S, check, click_at

POINTS = {"type": "FeatureCollection", "features": [
    {"type": "Feature", "properties": {"name": "well"}, "geometry": {"type": "Point", "coordinates": [122.9, 45.6]}},
    {"type": "Feature", "properties": {"name": "pump"}, "geometry": {"type": "Point", "coordinates": [123.1, 45.2]}}]}


def file_layer(state):
    """The layer opened from mine.geojson, None while there is none."""
    return next((l for l in state["layers"] if l["id"].startswith("file:mine.geojson")), None)


def menu_click(v, state, name, what):
    """Clicks the named menu rectangle once it is reported, and returns the state after."""
    state = v.wait_state(lambda st: st["named"].get(name), what)
    click_at(v, state, state["named"][name])
    return state


def resize(v, w, h):
    wid = subprocess.run(["xdotool", "search", "--name", "bcmap"], env=v.env(), capture_output=True, text=True,
                         timeout=TIMEOUT_S).stdout.split()
    check(wid, "no bcmap window found by name")
    v.xdotool("windowsize", wid[0], w, h)
    return v.wait_state(lambda st: st["window"]["width"] == w and st["window"]["height"] == h, "the resize")


def case_open_file(v):
    state_home = os.path.join(v.work, "xdg-state")
    shutil.rmtree(state_home, ignore_errors=True)
    data = os.path.join(v.work, "data")
    os.makedirs(data, exist_ok=True)
    path = os.path.join(data, "mine.geojson")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(POINTS, f)
    env = {"XDG_STATE_HOME": state_home}
    recent_json = os.path.join(state_home, "bcmap", "recent-files.json")

    s = v.start(extra_env=env)
    check(file_layer(s) is None, "no file layer before one is opened")
    s = resize(v, 900, 600)
    s = v.settled()
    s = menu_click(v, s, "menu.file", "the File menu in the bar")
    s = menu_click(v, s, "menu.file.open", "File ▸ Open… in the open menu")
    s = v.wait_state(lambda st: st["named"].get("files.window") and st["textInput"],
                     "the Open dialog, its path field holding the keyboard")
    v.settled()
    v.screenshot("open-dialog-900x600")
    v.xdotool("key", "ctrl+a")
    v.xdotool("type", "--delay", 20, path)
    v.xdotool("key", "Return")
    s = v.wait_state(lambda st: (file_layer(st) or {}).get("status") == "loaded", "mine.geojson to open as a layer")
    l = file_layer(s)
    check(l["name"] == "mine.geojson", f"the layer is named once: {l['name']!r}")
    check(l["visible"], "the opened layer is shown")
    check(not s["named"].get("files.window"), "the dialog closed once the file opened")
    v.settled()
    v.screenshot("opened-900x600")
    check(os.path.isfile(recent_json), "the recent files were written under $XDG_STATE_HOME/bcmap")
    with open(recent_json, encoding="utf-8") as f:
        check(json.load(f)["files"] == [path], "the opened file is the one recent file")

    # A restart: File ▸ Open Recent lists it; choosing it opens it again. The first run's
    # screenshots go into a folder of their own (a start clears the work folder's files).
    v.stop()
    first = os.path.join(v.work, "first-run")
    shutil.rmtree(first, ignore_errors=True)
    os.makedirs(first)
    for name in os.listdir(v.work):
        if name.endswith(".png"):
            os.rename(os.path.join(v.work, name), os.path.join(first, name))
    s = v.start(extra_env=env)
    check(file_layer(s) is None, "the file is not open after the restart (no session asked for it)")
    s = v.settled()
    s = menu_click(v, s, "menu.file", "the File menu in the bar")
    s = menu_click(v, s, "menu.file.recent", "File ▸ Open Recent, enabled")
    s = v.wait_state(lambda st: st["named"].get("menu.recent.0"), "the recent file in Open Recent")
    v.screenshot("open-recent")
    click_at(v, s, s["named"]["menu.recent.0"])
    s = v.wait_state(lambda st: (file_layer(st) or {}).get("status") == "loaded",
                     "mine.geojson to open again from Open Recent")
    check(file_layer(s)["name"] == "mine.geojson", "named once again")
