"""Viewer cases of issue 10's second new-user trial (what the user could not find or did not
expect): Redo of a style change, the Open dialog's Open button, a dock's dragged width kept
across folding it, and a relocated village's table row centring the village in the part of
the canvas the table, the inspector and the overview leave free. Run through viewer_test.py.

Sections: 1. redo, 2. the Open button, 3. dock widths, 4. the relocated village's row.
"""

import json
import os

from viewer_harness import GEODATA, check, centre_of, click_at, mercator


# ---- 1. redo ---------------------------------------------------------------------------------
def style_of(s, layer_id):
    """The layer's user style as the viewer reports it: its JSON, or "plugin"."""
    return s["facts"].get(f"style.{layer_id}")


def case_redo(v):
    """A style change (the counties categorised), Ctrl+Z takes it back, Ctrl+Shift+Z brings it
    back; again with Ctrl+Z and Ctrl+Y. The Edit menu then offers Redo only while there is
    something to redo."""
    s = v.start()
    s = v.settled()
    check(style_of(s, "counties") == "plugin", f"the counties start in the plugin's style: {style_of(s, 'counties')}")
    click_at(v, s, s["named"]["style.counties"])
    s = v.wait_state(lambda st: "style.kind.1" in st["named"], "the counties' style editor")
    click_at(v, s, s["named"]["style.kind.1"])  # 分类 Categorised
    s = v.wait_state(lambda st: style_of(st, "counties") not in (None, "plugin"), "the counties categorised")
    changed = style_of(s, "counties")
    check('"categorized"' in changed or "categor" in changed, f"the style is not categorised: {changed}")
    v.move_to(s, 700, 400)  # over the map: the keys go to the viewer
    v.screenshot("redo-changed")
    v.xdotool("key", "ctrl+z")
    s = v.wait_state(lambda st: style_of(st, "counties") == "plugin", "Ctrl+Z to undo the change")
    v.screenshot("redo-undone")
    v.xdotool("key", "ctrl+shift+z")
    s = v.wait_state(lambda st: style_of(st, "counties") == changed, "Ctrl+Shift+Z to redo the change")
    v.screenshot("redo-redone")
    v.xdotool("key", "ctrl+z")
    s = v.wait_state(lambda st: style_of(st, "counties") == "plugin", "Ctrl+Z to undo it again")
    # Edit ▸ Redo names the layer and is enabled now; clicking it redoes.
    click_at(v, s, s["named"]["menu.edit"])
    s = v.wait_state(lambda st: "menu.edit.redo" in st["named"], "the Edit menu to open")
    v.screenshot("redo-menu")
    click_at(v, s, s["named"]["menu.edit.redo"])
    s = v.wait_state(lambda st: style_of(st, "counties") == changed, "Edit ▸ Redo to redo the change")
    v.move_to(s, 700, 400)
    v.xdotool("key", "ctrl+z")
    s = v.wait_state(lambda st: style_of(st, "counties") == "plugin", "Ctrl+Z once more")
    v.xdotool("key", "ctrl+y")
    s = v.wait_state(lambda st: style_of(st, "counties") == changed, "Ctrl+Y to redo the change")
    # Nothing left to redo: Ctrl+Y changes nothing, and the menu's Redo is greyed out (a
    # click on it does nothing).
    v.xdotool("key", "ctrl+y")
    s = v.settled()
    check(style_of(s, "counties") == changed, "Ctrl+Y with nothing to redo changed the style")
    click_at(v, s, s["named"]["menu.edit"])
    s = v.wait_state(lambda st: "menu.edit.redo" in st["named"], "the Edit menu to open")
    click_at(v, s, s["named"]["menu.edit.redo"])
    s = v.settled()
    check(style_of(s, "counties") == changed, "a greyed-out Redo changed the style")


# ---- 2. the Open button ----------------------------------------------------------------------
def case_open_button(v):
    """At 900x600, Ctrl+O, the path of a GeoJSON typed and the Open button clicked (no Enter):
    the file opens as a layer. The button is inside the dialog and the window."""
    from viewer_cases_files import POINTS, file_layer

    data = os.path.join(v.work, "data")
    os.makedirs(data, exist_ok=True)
    path = os.path.join(data, "mine.geojson")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(POINTS, f)
    s = v.start(["--window-size", "900x600"], extra_env={"XDG_STATE_HOME": os.path.join(v.work, "xdg-state")})
    s = v.settled()
    v.move_to(s, 450, 300)
    v.xdotool("key", "ctrl+o")
    s = v.wait_state(lambda st: st["named"].get("files.window") and st["textInput"],
                     "the Open dialog, its path field holding the keyboard")
    check(s["facts"].get("files.open") == "disabled", f"Open is not greyed out with nothing picked: {s['facts']}")
    v.xdotool("key", "ctrl+a")
    v.xdotool("type", "--delay", 20, path)
    s = v.wait_state(lambda st: st["facts"].get("files.open") == "enabled", "Open enabled by the typed path")
    s = v.settled()
    v.screenshot("open-button-900x600")
    win, button = s["named"]["files.window"], s["named"]["files.open"]
    w = s["window"]
    check(win[1] <= button[1] and button[3] <= win[3] and button[3] <= w["height"],
          f"the Open button {button} is not inside the dialog {win} and the window")
    click_at(v, s, button)
    s = v.wait_state(lambda st: (file_layer(st) or {}).get("status") == "loaded", "the Open button to open the file")
    check(not s["named"].get("files.window"), "the dialog closed once the file opened")
