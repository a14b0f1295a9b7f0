#!/usr/bin/env python3
"""Interactive tests of the bcmap viewer: the real window, driven by real input under Xvfb.

Each case starts its own X server (Xvfb picks a free display number itself through
-displayfd), starts bcmap with BCMAP_TEST_STATE so the viewer reports its view, cursor and
panel rectangles after every frame that changed them, drives it with xdotool and checks
the state file and `import -window root` screenshots. Nothing is timed: every wait is for
a condition, bounded by a generous timeout.

Usage: viewer_test.py --bcmap BUILD/bcmap --work DIR CASE   (CASE: see CASES below)
Exit codes: 0 pass, 1 fail, 77 skipped (no Xvfb/xdotool/import on this machine; with CI set,
that is a failure: 1).

The harness (X server, window, xdotool, screenshots) is viewer_harness.py; the cases are
viewer_cases_map.py (the map and the layer panel), viewer_cases_time.py (time, settings,
session), viewer_cases_explore.py (search, history, inspector, help, the walk-through),
viewer_cases_keys.py (Esc and menus, Edit → Search), viewer_cases_plugins.py (a plugin
installed into a user folder made while the viewer runs), viewer_cases_data.py (started
without the map data), viewer_cases_layout.py (the docks around the map canvas,
--window-size), viewer_cases_session.py (sessions with FILEs, the restored selection,
CRS text and the CRS window), viewer_cases_files.py (File ▸ Open… and Open Recent),
viewer_cases_frames.py (the full-quality frame comes without input) and
viewer_cases_explore2.py (the table's first click, a row or search result framed in the canvas)
viewer_cases_ui10.py (Redo, the Open button, dock widths kept, a relocated village's row)
viewer_cases_fix10.py (a village found by search is selected; where the inspector opens)
viewer_cases_scale.py (a million points: frames while they load, search, cancelling a load),
viewer_cases_table12.py (a table layer without geometry: its row, legend and table),
viewer_cases_reload12.py (a data file caught half-written: a failed reload keeps the layer)
and viewer_cases_layermenu.py (a layer row's right-click menu: zoom to it, remove it).
"""

import argparse
import os
import sys
import traceback

from viewer_cases_data import case_missing_data
from viewer_cases_layermenu import case_layer_menu, case_layer_menu_1280
from viewer_cases_layout import case_attribution_hover, case_layout_900, case_layout_1280, case_layout_session
from viewer_cases_files import case_open_file
from viewer_cases_frames import case_final_frame
from viewer_cases_explore import case_back, case_help, case_inspect, case_search, case_story
from viewer_cases_explore2 import case_inspector_closed, case_search_fit, case_table_row
from viewer_cases_keys import case_edit_search, case_menu_escape
from viewer_cases_map import (case_crs, case_drag, case_hover, case_keys, case_layers, case_no_display,
                              case_resize, case_untick, case_wheel)
from viewer_cases_plugins import case_user_plugin_folder
from viewer_cases_session import case_bad_session, case_crs_text, case_session_file, case_session_selection
from viewer_cases_time import case_session, case_settings, case_time
from viewer_cases_time11 import case_file_time
from viewer_cases_table12 import case_table_layer
from viewer_cases_reload12 import case_data_reload_keeps
from viewer_cases_ui10 import case_dock_width, case_open_button, case_redo, case_relocated_row, case_time_typed, case_typed_glyphs
from viewer_cases_fix10 import case_inspector_place, case_search_village
from viewer_cases_scale import case_cancel_load, case_million_points
from viewer_harness import Failure, Viewer, missing_tools, tools_verdict


CASES = {
    "layout_1280": case_layout_1280,
    "million_points": case_million_points,
    "cancel_load": case_cancel_load,
    "layout_900": case_layout_900,
    "layout_session": case_layout_session,
    "attribution_hover": case_attribution_hover,
    "crs": case_crs,
    "session": case_session,
    "bad_session": case_bad_session,
    "settings": case_settings,
    "time": case_time,
    "file_time": case_file_time,
    "table_layer": case_table_layer,
    "data_reload_keeps": case_data_reload_keeps,
    "layers": case_layers,
    "layer_menu": case_layer_menu,
    "layer_menu_1280": case_layer_menu_1280,
    "hover": case_hover,
    "drag": case_drag,
    "wheel": case_wheel,
    "untick": case_untick,
    "keys": case_keys,
    "resize": case_resize,
    "no_display": case_no_display,
    "search": case_search,
    "back": case_back,
    "inspect": case_inspect,
    "help": case_help,
    "story": case_story,
    "table_row": case_table_row,
    "search_fit": case_search_fit,
    "inspector_closed": case_inspector_closed,
    "user_plugin_folder": case_user_plugin_folder,
    "missing_data": case_missing_data,
    "session_file": case_session_file,
    "session_selection": case_session_selection,
    "crs_text": case_crs_text,
    "menu_escape": case_menu_escape,
    "edit_search": case_edit_search,
    "open_file": case_open_file,
    "final_frame": case_final_frame,
    "redo": case_redo,
    "open_button": case_open_button,
    "dock_width": case_dock_width,
    "relocated_row": case_relocated_row,
    "typed_glyphs": case_typed_glyphs,
    "time_typed": case_time_typed,
    "search_village": case_search_village,
    "inspector_place": case_inspector_place,
}
# Every case but no_display drives an X server (Xvfb, xdotool, import).
NEEDS_X = set(CASES) - {"no_display"}
NEEDS_FIXTURES = {"layout_1280", "layout_900", "session", "time", "user_plugin_folder"}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bcmap", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--fixtures", help="the fixture plugin folder (tests/fixture_plugins in the build)")
    ap.add_argument("case", choices=sorted(CASES))
    a = ap.parse_args()
    if a.case in NEEDS_FIXTURES and not a.fixtures:
        ap.error(f"{a.case} needs --fixtures")
    if a.case in NEEDS_X:
        code, message = tools_verdict(missing_tools())
        if code is not None:
            print(message)
            return code
    v = Viewer(os.path.abspath(a.bcmap), os.path.abspath(a.work))
    v.fixtures = os.path.abspath(a.fixtures) if a.fixtures else None
    try:
        CASES[a.case](v)
    except Failure as e:
        print(f"FAIL {a.case}: {e}")
        print("bcmap log:\n" + v.log())
        return 1
    except Exception:  # a bug in the test itself: say where
        traceback.print_exc()
        print("bcmap log:\n" + v.log())
        return 1
    finally:
        v.stop()
    print(f"PASS {a.case} (files in {a.work})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
