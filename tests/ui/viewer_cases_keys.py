"""Viewer cases of issue 10, item 11 (keys and menus): Esc closes an open menu and leaves
the map's keys working; Edit → Search gives the search box the keyboard, as Ctrl+F does.
Run through viewer_test.py."""

from viewer_cases_explore import county_label_point, free_map_point
from viewer_harness import check, click_at


def open_edit_menu(v, s):
    """Clicks the Edit menu's title; returns the state with the menu open."""
    check("menu.edit" in s["named"], "the menu bar does not report the Edit title")
    click_at(v, s, s["named"]["menu.edit"])
    return v.wait_state(lambda st: st["facts"].get("popup.open") == "1" and "menu.edit.popup" in st["named"],
                        "the Edit menu to open")


def case_menu_escape(v):
    """A county selected, the Edit menu opened by a click: Esc closes the menu and keeps the
    selection; then + still zooms the map and Esc (nothing open) clears the selection."""
    s = v.start()
    s = v.settled()
    x, y = free_map_point(s, *county_label_point("220822"))
    click_at(v, s, (x, y))
    s = v.wait_state(lambda st: st["selection"], "a click to select 通榆县")
    s = v.settled()
    s = open_edit_menu(v, s)
    s = v.settled()
    v.screenshot("edit-menu-open")
    v.xdotool("key", "Escape")
    s = v.wait_state(lambda st: st["facts"].get("popup.open") == "0", "Esc to close the Edit menu")
    s = v.settled()
    check("menu.edit.popup" not in s["named"], "the Edit menu is still drawn after Esc")
    check(s["selection"], "Esc with a menu open cleared the selection instead of only closing the menu")
    v.screenshot("edit-menu-closed")
    # The map's keys still work.
    v.move_to(s, 700, 450)
    upp = s["view"]["unitsPerPixel"]
    v.xdotool("key", "plus")
    s = v.wait_state(lambda st: st["view"]["unitsPerPixel"] < upp, "+ to zoom in after the menu closed")
    v.xdotool("key", "Escape")
    v.wait_state(lambda st: not st["selection"], "Esc with nothing open to clear the selection")


def case_edit_search(v):
    """Edit → Search: the search box has the keyboard; typed text lands in it and lists 通榆县."""
    s = v.start()
    s = v.settled()
    view = s["view"]
    s = open_edit_menu(v, s)
    s = v.settled()
    check("menu.edit.search" in s["named"], "the Edit menu does not report its Search item")
    click_at(v, s, s["named"]["menu.edit.search"])
    s = v.wait_state(lambda st: st["panels"]["search"] and st["facts"].get("popup.open") == "0",
                     "Edit → Search to close the menu and show the search box")
    s = v.wait_state(lambda st: st["textInput"], "Edit → Search to give the search box the keyboard")
    v.xdotool("type", "--delay", 40, "tongyu")
    s = v.wait_state(lambda st: "search.result.0" in st["named"], "the typed 'tongyu' to list results")
    v.screenshot("edit-search-typed")
    check(s["view"] == view, "typing into the search box moved the map")
