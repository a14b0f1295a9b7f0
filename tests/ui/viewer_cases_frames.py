"""Viewer cases on the map's own frames: the full-quality frame (labels) comes by itself."""

from viewer_harness import check


def case_final_frame(v):
    """A view change shows a quick frame (no labels) at once and the full frame when the
    change has settled. With no input after it (a key pressed, the pointer resting on the
    status bar) the loop never woke to draw the full frame: the map stayed without labels
    until the mouse moved. The new user saw it at start and after every dock fold."""
    s = v.start(args=["--window-size", "1280x800"])
    # The pointer rests on the status bar: nothing there asks for frames.
    s = v.move_to(s, 600, s["window"]["height"] - 8) if "height" in s["window"] else v.move_to(s, 600, 792)
    s = v.wait_state(lambda st: st["facts"].get("map.quality") == "final", "the full frame before the key")
    frames = s["frameCount"]
    v.xdotool("key", "plus")  # zoom in: a view change without the mouse
    s = v.wait_state(lambda st: st["frameCount"] > frames and st["facts"].get("map.quality") == "final",
                     "the full-quality frame after the zoom, with no input to wake the viewer")
    v.screenshot("final-frame")
    check(s["facts"]["map.quality"] == "final", "the map shows the quick frame")
