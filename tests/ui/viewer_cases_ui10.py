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


# ---- 3. dock widths ----------------------------------------------------------------------------
def drag_splitter(v, s, side, dx):
    """Drags the side dock's splitter by dx window units, in steps the viewer sees."""
    sp = s["named"][f"dock.{side}.splitter"]
    x, y = round((sp[0] + sp[2]) / 2), round((sp[1] + sp[3]) / 2)
    v.move_to(s, x, y)
    v.xdotool("mousedown", 1)
    v.wait_state(lambda st: f"dock.{side}.held" in st["facts"], f"the {side} splitter to be held")
    steps = 6
    for i in range(1, steps + 1):
        v.move_to(s, x + round(dx * i / steps), y)
    v.xdotool("mouseup", 1)
    return v.settled()


def dock_width(s, side):
    r = s["named"][f"dock.{side}"]
    return r[2] - r[0]


def fold_and_unfold(v, s, side, content):
    """Folds the dock with its toggle, then unfolds it; `content`: a named rect present only
    while the dock is open."""
    click_at(v, s, s["named"][f"dock.{side}.toggle"])
    s = v.wait_state(lambda st: content(st) is None, f"the {side} dock to fold")
    v.settled()
    click_at(v, s, s["named"][f"dock.{side}.toggle"])
    v.wait_state(lambda st: content(st) is not None, f"the {side} dock to unfold")
    return v.settled()


def case_dock_width(v):
    """The legend dock dragged wider, folded and unfolded comes back at the dragged width; the
    same for the layer dock. A splitter moves its own dock only, and each dock keeps the
    width it was shown at when the other one is dragged (the layout used to narrow wide
    docks on screen while keeping their wider widths, which came back later)."""
    s = v.start(["--window-size", "1280x800"])
    s = v.settled()
    right0, left0 = dock_width(s, "right"), dock_width(s, "left")
    s = drag_splitter(v, s, "right", -80)
    right1 = dock_width(s, "right")
    check(right1 > right0 + 30, f"dragging the legend's splitter 80 px left widened its dock from {right0} to {right1}")
    left1 = dock_width(s, "left")  # narrowed, if the legend took its room
    v.screenshot("legend-dragged")
    # Folding the legend gives the canvas its room; the layer dock stays as it was shown.
    click_at(v, s, s["named"]["dock.right.toggle"])
    s = v.wait_state(lambda st: st["named"].get("legend.window") is None, "the legend to fold")
    s = v.settled()
    check(abs(dock_width(s, "left") - left1) <= 1,
          f"folding the legend changed the layer dock from {left1} to {dock_width(s, 'left')}")
    click_at(v, s, s["named"]["dock.right.toggle"])
    s = v.wait_state(lambda st: st["named"].get("legend.window") is not None, "the legend to unfold")
    s = v.settled()
    s = fold_and_unfold(v, s, "right", lambda st: st["named"].get("legend.window"))
    v.screenshot("legend-unfolded")
    right2 = dock_width(s, "right")
    print(f"legend dock: default {right0}, dragged {right1}, after fold and unfold {right2}")
    check(abs(right2 - right1) <= 1, f"after folding and unfolding, the legend dock is {right2} wide, not the dragged {right1}")

    left0 = dock_width(s, "left")
    s = drag_splitter(v, s, "left", -70)  # narrower: the default is wide
    left1 = dock_width(s, "left")
    check(left1 < left0 - 30, f"dragging the layer dock's splitter 70 px left narrowed it from {left0} to {left1}")
    s = fold_and_unfold(v, s, "left", lambda st: st["ui"].get("layerPanel"))
    left2 = dock_width(s, "left")
    print(f"layer dock: default {left0}, dragged {left1}, after fold and unfold {left2}")
    check(abs(left2 - left1) <= 1, f"after folding and unfolding, the layer dock is {left2} wide, not the dragged {left1}")
    check(abs(dock_width(s, "right") - right1) <= 1, "the legend dock's width changed with the layer dock's")


# ---- 4. the relocated village's row ------------------------------------------------------------
def free_part_of(canvas, cover):
    """nav/ViewFraming's freePartOf in window units: the largest strip beside `cover`."""
    if not cover or cover[2] <= canvas[0] or cover[0] >= canvas[2] or cover[3] <= canvas[1] or cover[1] >= canvas[3]:
        return canvas
    strips = [(canvas[0], canvas[1], max(canvas[0], cover[0]), canvas[3]),
              (min(canvas[2], cover[2]), canvas[1], canvas[2], canvas[3]),
              (canvas[0], canvas[1], canvas[2], max(canvas[1], cover[1])),
              (canvas[0], min(canvas[3], cover[3]), canvas[2], canvas[3])]
    w, h = canvas[2] - canvas[0], canvas[3] - canvas[1]
    fit = [s for s in strips if s[2] - s[0] >= w / 4 and s[3] - s[1] >= h / 4]
    return max(fit, key=lambda s: (s[2] - s[0]) * (s[3] - s[1])) if fit else canvas


def window_xy(s, lon, lat):
    v, c, r = s["view"], s["named"]["canvas"], s["pixelRatio"]
    x, y = mercator(lon, lat)
    return (c[0] + ((x - v["centerX"]) / v["unitsPerPixel"] + v["widthPx"] / 2) / r,
            c[1] + (v["heightPx"] / 2 - (y - v["centerY"]) / v["unitsPerPixel"]) / r)


def inside(p, r, pad=0):
    return r is not None and r[0] - pad <= p[0] <= r[2] + pad and r[1] - pad <= p[1] <= r[3] + pad


def case_relocated_row(v):
    """A row of 易地扶贫搬迁 Relocated villages clicked in its table: the view centres the
    origin village (the line's first vertex, where its disc is drawn), not the line, in the
    part of the canvas the table and the inspector (opened by the same click) leave free;
    the village is under none of them nor the overview map."""
    with open(os.path.join(GEODATA, "baicheng_relocation.geojson"), encoding="utf-8") as f:
        feats = json.load(f)["features"]
    row = 0
    (olon, olat), (slon, slat) = feats[row]["geometry"]["coordinates"][0], feats[row]["geometry"]["coordinates"][-1]
    plugin = os.path.join(os.path.dirname(v.bcmap), "plugins", "bcmap_relocated_villages.so")
    s = v.start(["--window-size", "1280x800"], extra_plugins=[plugin])
    s = v.settled()
    lid = next(l["id"] for l in s["layers"] if "reloc" in l["id"])
    click_at(v, s, s["named"][f"table.open.{lid}"])
    s = v.wait_state(lambda st: f"table.{lid}.row.{row}" in st["named"], "the relocated villages' table")
    click_at(v, s, s["named"][f"table.{lid}.row.{row}"])
    s = v.wait_state(lambda st: st["selection"] == [{"layer": lid, "feature": row}] and "inspector.window" in st["named"],
                     "the row selected and the inspector open")
    v.move_to(s, 5, 790)  # off the map: no hover changes what is drawn
    s = v.settled()
    v.screenshot("relocated-row")
    canvas = s["named"]["canvas"]
    table, inspector, inset = (s["named"].get(k) for k in (f"table.{lid}.window", "inspector.window", "inset"))
    village, site = window_xy(s, olon, olat), window_xy(s, slon, slat)
    free = free_part_of(free_part_of(canvas, table), inspector)
    centre = ((free[0] + free[2]) / 2, (free[1] + free[3]) / 2)
    print(f"village {village}, site {site}; canvas {canvas}; table {table}; inspector {inspector}; inset {inset}; "
          f"free {free}")
    check(inside(village, canvas), "the village is off the canvas")
    for name, r in (("table", table), ("inspector", inspector), ("overview map", inset)):
        check(not inside(village, r), f"the village {village} is under the {name} {r}")
    d = ((village[0] - centre[0]) ** 2 + (village[1] - centre[1]) ** 2) ** 0.5
    check(d <= 3, f"the village {village} is {d:.0f} px from the centre {centre} of the free part {free}")


# ---- 5. typed text gets its glyphs ----------------------------------------------------------------
def case_typed_glyphs(v):
    """Typing the campaign's name into the export title showed "白城市脱贫??": the UI font
    had only the characters the program and its layers use. Typed characters are added to
    the font before the frame that shows them. (The characters typed here are in no source
    file and no layer, so the build's glyph collector cannot have baked them.)"""
    s = v.start()
    s = v.settled()
    v.move_to(s, 700, 400)
    v.xdotool("key", "ctrl+e")
    s = v.wait_state(lambda st: "export.button" in st["named"], "the export dialog")
    if "export.title" not in s["named"]:
        click_at(v, s, s["named"]["export.withTitle"])
    s = v.wait_state(lambda st: "export.title" in st["named"], "the title field")
    click_at(v, s, s["named"]["export.title"])
    v.xdotool("key", "ctrl+a")
    # Slowly: xdotool types a CJK character by remapping a spare keycode, which a quick next
    # character remaps before the viewer has read the first.
    v.xdotool("type", "--delay", 400, "鑫淼犇")
    s = v.wait_state(lambda st: st["facts"].get("export.title") == "鑫淼犇", "the title typed in full")
    s = v.settled()
    check(s["facts"].get("export.titleMissingGlyphs") == "0",
          f"the title field cannot draw {s['facts'].get('export.titleMissingGlyphs')} of its characters")
    v.screenshot("typed-glyphs")


# ---- 6. a typed date --------------------------------------------------------------------------
def case_time_typed(v):
    """The trial could not type a date: a click on the time bar's date makes it a field;
    Enter takes a date in the campaign's years, a date outside them stays marked in the
    field, Esc leaves it."""
    from viewer_cases_time import good_points
    s = v.start(extra_plugins=good_points(v))
    s = v.wait_state(lambda st: st["time"]["shown"] and "time.date" in st["named"], "the time bar's date")
    s = v.settled()  # the bar takes a frame or two to find its dock
    click_at(v, s, s["named"]["time.date"])
    s = v.wait_state(lambda st: "time.dateInput" in st["named"] and st["textInput"], "the date to become a field")
    v.xdotool("key", "ctrl+a")
    v.xdotool("type", "--delay", 30, "2018-06-01")
    v.xdotool("key", "Return")
    # The day is taken on Enter and the field goes the frame after: wait for both (a state
    # written between them showed the day with the field still open).
    v.wait_state(lambda st: st["time"]["day"] == "2018-06-01" and not st["time"]["all"], "the typed day")
    s = v.wait_state(lambda st: "time.dateInput" not in st["named"], "the field to go after a good date")
    click_at(v, s, s["named"]["time.date"])
    s = v.wait_state(lambda st: "time.dateInput" in st["named"] and st["textInput"], "the field again")
    v.xdotool("key", "ctrl+a")
    v.xdotool("type", "--delay", 30, "2030-01-01")
    v.xdotool("key", "Return")
    s = v.settled()
    check("time.dateInput" in s["named"] and s["time"]["day"] == "2018-06-01",
          f"a date outside 2015-2020 was taken: {s['time']['day']}")
    v.xdotool("key", "Escape")
    s = v.wait_state(lambda st: "time.dateInput" not in st["named"], "Esc to leave the field")
    check(s["time"]["day"] == "2018-06-01", "Esc changed the day")
