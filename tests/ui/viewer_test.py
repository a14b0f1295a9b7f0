#!/usr/bin/env python3
"""Interactive tests of the bcmap viewer: the real window, driven by real input under Xvfb.

Each case starts its own X server (Xvfb picks a free display number itself through
-displayfd), starts bcmap with BCMAP_TEST_STATE so the viewer reports its view, cursor and
panel rectangles after every frame that changed them, drives it with xdotool and checks
the state file and `import -window root` screenshots. Nothing is timed: every wait is for
a condition, bounded by a generous timeout.

Usage: viewer_test.py --bcmap BUILD/bcmap --work DIR CASE   (CASE: see CASES at the end)
Exit codes: 0 pass, 1 fail, 77 skipped (no Xvfb/xdotool/import on this machine).
"""

import argparse
import datetime
import json
import math
import os
import shutil
import signal
import subprocess
import sys
import time
import traceback

TIMEOUT_S = 60.0  # a bound for every wait; the viewer normally answers in well under a second
POLL_S = 0.05
SKIP = 77

BACKGROUND = (242, 239, 233)  # FrameOptions::background
# ColorBrewer Set2 fills of plugins/counties, drawn at the layer's default opacity 0.9.
COUNTY_FILLS = {
    "洮北区": (102, 194, 165),
    "镇赉县": (252, 141, 98),
    "通榆县": (141, 160, 203),
    "洮南市": (231, 138, 195),
    "大安市": (166, 216, 84),
}
OPACITY = 0.9
# Blending is done in 8-bit colour, so a fill can land a unit or two from the exact blend.
COLOUR_TOLERANCE = 4
# Pixel tolerance of the drag and wheel checks: the view is exact in doubles, but the
# cursor reaches the viewer in whole window units.
PX_TOLERANCE = 2.0
WHEEL_PX_TOLERANCE = 1.0

WEB_MERCATOR_R = 6378137.0

# The layer plugins every case runs with (Viewer.private_build); the build's other plugins
# (the thematic layers) would draw over the counties these cases look at.
SHIPPED_PLUGINS = ("counties", "vector_file")
# The bundled data the build derives at set-up (the viewer reads it from here by default).
GEODATA = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "geodata"))


def blended(c, alpha=OPACITY, bg=BACKGROUND):
    return tuple(round(alpha * c[i] + (1 - alpha) * bg[i]) for i in range(3))


COUNTY_COLOURS = {name: blended(c) for name, c in COUNTY_FILLS.items()}


def mercator(lon, lat):
    return (WEB_MERCATOR_R * math.radians(lon),
            WEB_MERCATOR_R * math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)))


def inverse_mercator(x, y):
    return (math.degrees(x / WEB_MERCATOR_R),
            math.degrees(2 * math.atan(math.exp(y / WEB_MERCATOR_R)) - math.pi / 2))


class Failure(Exception):
    pass


def check(cond, message):
    if not cond:
        raise Failure(message)


# ---- screenshots ------------------------------------------------------------------------
class Image:
    """An RGB screenshot read from a binary PPM (what `import ... ppm:FILE` writes)."""

    def __init__(self, path):
        with open(path, "rb") as f:
            data = f.read()
        fields, pos = [], 0
        while len(fields) < 4:
            while data[pos:pos + 1].isspace():
                pos += 1
            if data[pos:pos + 1] == b"#":
                pos = data.index(b"\n", pos) + 1
                continue
            end = pos
            while not data[end:end + 1].isspace():
                end += 1
            fields.append(data[pos:end])
            pos = end
        check(fields[0] == b"P6" and fields[3] == b"255", f"{path}: not an 8-bit binary PPM")
        self.width, self.height = int(fields[1]), int(fields[2])
        self.pixels = data[pos + 1:]
        self.path = path

    def at(self, x, y):
        i = (y * self.width + x) * 3
        return self.pixels[i], self.pixels[i + 1], self.pixels[i + 2]


def near(a, b, tol=COLOUR_TOLERANCE):
    return abs(a[0] - b[0]) <= tol and abs(a[1] - b[1]) <= tol and abs(a[2] - b[2]) <= tol


def county_at(img, x, y):
    p = img.at(x, y)
    for name, c in COUNTY_COLOURS.items():
        if near(p, c):
            return name
    return None


def count_county_pixels(img, step=2):
    counts = {name: 0 for name in COUNTY_COLOURS}
    for y in range(0, img.height, step):
        for x in range(0, img.width, step):
            name = county_at(img, x, y)
            if name:
                counts[name] += 1
    return counts


# ---- one viewer under one X server --------------------------------------------------------
class Viewer:
    def __init__(self, bcmap, work):
        self.bcmap = bcmap
        self.work = work
        self.state_path = os.path.join(work, "state.json")
        # Every case has its own session file, so no case reads another's (or the user's).
        self.session_path = os.path.join(work, "session", "session.json")
        self.shots = os.path.join(work, "shots")
        self.xvfb = None
        self.app = None
        self.display = None
        self.screens = 0

    # -- processes --
    def private_build(self, extra_plugins=()):
        """bcmap with a plugin folder of its own: the executable hard-linked (or copied) into
        WORK/bin, so it takes WORK/bin/plugins as its default folder, holding copies of the
        counties and vector_file plugins and `extra_plugins`. Whatever other layer plugins the
        build has cannot change what a case sees. Returns the executable's path."""
        build = os.path.dirname(self.bcmap)
        bin_dir = os.path.join(self.work, "bin")
        plugins = os.path.join(bin_dir, "plugins")
        shutil.rmtree(bin_dir, ignore_errors=True)
        os.makedirs(plugins)

        def link(src, dst):
            try:
                os.link(src, dst)
            except OSError:  # another file system
                shutil.copy2(src, dst)

        exe = os.path.join(bin_dir, os.path.basename(self.bcmap))
        link(self.bcmap, exe)
        probe = os.path.join(build, "bcmap-probe")  # the crash probe runs beside bcmap
        if os.path.exists(probe):
            link(probe, os.path.join(bin_dir, "bcmap-probe"))
        for name in SHIPPED_PLUGINS:
            shutil.copy2(os.path.join(build, "plugins", f"bcmap_{name}.so"), plugins)
        for path in extra_plugins:
            shutil.copy2(path, plugins)
        return exe

    def start(self, args=(), keep_session=False, extra_plugins=()):
        """Starts Xvfb and bcmap (private_build: the counties, FILE layers and
        `extra_plugins`). A session file left by an earlier start is removed unless
        keep_session (a restart that should restore it)."""
        self.app = None  # a viewer stopped before must not look like this one exiting
        os.makedirs(self.work, exist_ok=True)
        if not keep_session and os.path.exists(self.session_path):
            os.remove(self.session_path)
        for f in os.listdir(self.work):
            p = os.path.join(self.work, f)
            if os.path.isfile(p) and p not in args:
                os.remove(p)
        shutil.rmtree(self.shots, ignore_errors=True)
        read_fd, write_fd = os.pipe()
        self.xvfb = subprocess.Popen(
            ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
            pass_fds=(write_fd,), stdout=subprocess.DEVNULL,
            stderr=open(os.path.join(self.work, "xvfb.log"), "wb"), start_new_session=True)
        os.close(write_fd)
        number = b""
        with os.fdopen(read_fd, "rb") as r:  # Xvfb writes the number once it listens
            number = r.readline().strip()
        check(number.isdigit(), "Xvfb did not report a display number (see xvfb.log)")
        self.display = ":" + number.decode()
        self.wait(lambda: subprocess.run(["xdpyinfo"], env=self.env(), stdout=subprocess.DEVNULL,
                                         stderr=subprocess.DEVNULL).returncode == 0,
                  "Xvfb " + self.display + " to accept clients")
        env = self.env()
        env["BCMAP_TEST_STATE"] = self.state_path
        env["BCMAP_TEST_SCREENSHOT_DIR"] = self.shots
        env["BCMAP_SESSION"] = self.session_path
        exe = self.private_build(extra_plugins)
        self.app = subprocess.Popen([exe, *args], env=env, stdout=open(os.path.join(self.work, "bcmap.log"), "wb"),
                                    stderr=subprocess.STDOUT, start_new_session=True)
        state = self.wait_state(lambda s: s["frameCount"] >= 1 and all(l["status"] not in ("pending", "loading")
                                                                        for l in s["layers"] if l["visible"]) and
                                all(l["checkbox"] for l in s["layers"]), "the first frame")
        check(any(l["id"] == "counties" and l["status"] == "loaded" for l in state["layers"]),
              "the counties layer did not load: " + json.dumps(state["layers"]))
        return state

    def stop(self):
        for proc in (self.app, self.xvfb):
            if proc is None:
                continue
            if proc.poll() is None:
                try:
                    os.killpg(proc.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait(timeout=10)

    def env(self):
        env = dict(os.environ)
        env["DISPLAY"] = self.display
        env.pop("WAYLAND_DISPLAY", None)
        return env

    # -- waiting --
    def wait(self, predicate, what):
        deadline = time.monotonic() + TIMEOUT_S
        while time.monotonic() < deadline:
            if self.app is not None and self.app.poll() is not None:
                raise Failure(f"bcmap exited with {self.app.returncode} while waiting for {what}; "
                              f"log:\n{self.log()}")
            result = predicate()
            if result:
                return result
            time.sleep(POLL_S)
        raise Failure(f"timed out after {TIMEOUT_S:.0f} s waiting for {what}")

    def state(self):
        try:
            with open(self.state_path, encoding="utf-8") as f:
                return json.load(f)
        except (FileNotFoundError, json.JSONDecodeError):
            return None

    def wait_state(self, predicate, what):
        def probe():
            s = self.state()
            return s if s is not None and predicate(s) else None
        return self.wait(probe, what)

    def settled(self, what="the viewer to settle"):
        """Waits until no frame has changed the state for a while, so the screen shows it."""
        quiet_s = 0.5
        last = {"text": None, "since": time.monotonic()}

        def probe():
            try:
                with open(self.state_path, encoding="utf-8") as f:
                    text = f.read()
            except FileNotFoundError:
                return None
            now = time.monotonic()
            if text != last["text"]:
                last["text"], last["since"] = text, now
                return None
            return json.loads(text) if now - last["since"] >= quiet_s else None
        return self.wait(probe, what)

    def log(self):
        try:
            with open(os.path.join(self.work, "bcmap.log"), encoding="utf-8", errors="replace") as f:
                return f.read()[-4000:]
        except FileNotFoundError:
            return ""

    # -- input and screen --
    def xdotool(self, *args):
        subprocess.run(["xdotool", *[str(a) for a in args]], env=self.env(), check=True, timeout=TIMEOUT_S)

    def move_to(self, state, x, y):
        """Moves the pointer to window coordinates (x, y) and waits until the viewer saw it."""
        wx, wy = state["window"]["x"], state["window"]["y"]
        self.xdotool("mousemove", wx + x, wy + y)
        return self.wait_state(lambda s: s["cursor"]["windowX"] == x and s["cursor"]["windowY"] == y,
                               f"the cursor to reach ({x}, {y})")

    def screenshot(self, name):
        """The whole X screen, as the user would see it."""
        self.screens += 1
        ppm = os.path.join(self.work, f"{self.screens:02d}-{name}.ppm")
        subprocess.run(["import", "-display", self.display, "-window", "root", "-depth", "8", "ppm:" + ppm],
                       check=True, timeout=TIMEOUT_S, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        # A PNG beside it for people looking at a failure.
        subprocess.run(["convert", ppm, ppm[:-4] + ".png"], timeout=TIMEOUT_S,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return Image(ppm)


# ---- helpers over states ------------------------------------------------------------------
def layer(state, layer_id):
    for l in state["layers"]:
        if l["id"] == layer_id:
            return l
    raise Failure(f"no layer {layer_id} in the state")


def ui_rects(state):
    """Every panel's rectangle (window units): the fixed ones, the named ones other panels
    report (search, inspector, overview, ...) and the menu bar along the top."""
    rects = [r for r in state["ui"].values() if r]
    rects += [r for r in state.get("named", {}).values() if r]
    bar = state.get("panels", {}).get("menuBarHeight", 0)
    if bar:
        rects.append([0, 0, state["window"]["width"], bar])
    return rects


def in_rects(x, y, rects, pad=2):
    return any(r[0] - pad <= x <= r[2] + pad and r[1] - pad <= y <= r[3] + pad for r in rects)


def map_px_of_lonlat(state, lon, lat):
    """Where (lon, lat) is in the map, from the reported view (EPSG:3857 only)."""
    check(state["crs"] == "EPSG:3857", "these checks compute Web Mercator themselves")
    v = state["view"]
    x, y = mercator(lon, lat)
    return ((x - v["centerX"]) / v["unitsPerPixel"] + v["widthPx"] / 2,
            v["heightPx"] / 2 - (y - v["centerY"]) / v["unitsPerPixel"])


# ---- the cases ------------------------------------------------------------------------------
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
    home = s["view"]
    s = v.move_to(s, 900, 650)
    s = v.settled()
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
    check(s1["view"]["widthPx"] == 1000 * s1["pixelRatio"], "the view follows the framebuffer")
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
    centre = (round(s["view"]["widthPx"] / 2 / ratio), round(s["view"]["heightPx"] / 2 / ratio))
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


def centre_of(rect):
    return round((rect[0] + rect[2]) / 2), round((rect[1] + rect[3]) / 2)


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
    check(win[3] <= s["ui"]["statusBar"][1] and win[0] >= s["ui"]["layerPanel"][2],
          f"the time slider {win} is not over the map, right of the panel and above the status bar")
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


# ---- issue 4: exploring the map -------------------------------------------------------------
def county_label_point(adcode):
    """The label point (pole of inaccessibility) tools/fetch_counties.py stored for a county."""
    path = os.path.join(GEODATA, "baicheng_counties.geojson")
    with open(path, encoding="utf-8") as f:
        for feat in json.load(f)["features"]:
            p = feat["properties"]
            if str(p.get("adcode")) == adcode:
                return p["label_lon"], p["label_lat"]
    raise Failure(f"no county {adcode} in {path}")


def free_map_point(state, lon, lat):
    """Window coordinates of (lon, lat), checked to be on the map and off every panel."""
    ratio = state["pixelRatio"]
    px = map_px_of_lonlat(state, lon, lat)
    x, y = round(px[0] / ratio), round(px[1] / ratio)
    check(0 <= x < state["window"]["width"] and 0 <= y < state["map"]["height"] / ratio,
          f"({lon}, {lat}) is off the map at ({x}, {y})")
    check(not in_rects(x, y, ui_rects(state), pad=6), f"({x}, {y}) is under a panel")
    return x, y


def case_search(v):
    """Ctrl+F focuses the search box; typing pinyin lists 通榆县; Enter flies there, its label
    point ending at the centre of the map within 2 px; Alt+Left goes back to where we were."""
    s = v.start()
    s = v.settled()
    before = s["view"]
    v.move_to(s, 700, 400)
    v.xdotool("key", "ctrl+f")
    s = v.wait_state(lambda st: st["textInput"], "Ctrl+F to focus the search box")
    v.xdotool("type", "--delay", 40, "tongyu")
    s = v.wait_state(lambda st: "search.result.0" in st["named"], "results for 'tongyu'")
    v.screenshot("search-results")
    v.xdotool("key", "Return")
    s = v.wait_state(lambda st: "通榆县" in st["facts"].get("search.flewTo", "") or st["view"] != before,
                     "the jump to 通榆县")
    s = v.settled()
    lon, lat = county_label_point("220822")
    px = map_px_of_lonlat(s, lon, lat)
    cx, cy = s["view"]["widthPx"] / 2, s["view"]["heightPx"] / 2
    print(f"通榆县 label point at ({px[0]:.2f}, {px[1]:.2f}), map centre ({cx}, {cy})")
    check(abs(px[0] - cx) <= 2 and abs(px[1] - cy) <= 2, "通榆县 is not at the centre of the map")
    check(s["view"]["unitsPerPixel"] < before["unitsPerPixel"], "the jump did not zoom in on the county")
    v.screenshot("search-flew")
    # Back: the view before the jump (the history recorded both once they settled).
    v.xdotool("key", "Escape")  # the search box lets go of the keyboard
    v.move_to(s, 700, 400)
    v.xdotool("key", "alt+Left")
    s = v.wait_state(lambda st: abs(st["view"]["unitsPerPixel"] - before["unitsPerPixel"]) < 1e-6 * before["unitsPerPixel"]
                     and abs(st["view"]["centerX"] - before["centerX"]) < 1e-3 and
                     abs(st["view"]["centerY"] - before["centerY"]) < 1e-3, "Alt+Left back to the first view")


def case_back(v):
    """Back and forward through past views: zoom, pan, then Alt+Left twice and Alt+Right, and
    the mouse's back button; each step lands exactly on the view recorded."""
    s = v.start()
    s0 = v.settled()
    v.move_to(s0, 700, 450)
    v.xdotool("key", "plus")
    s1 = v.settled()
    check(s1["view"]["unitsPerPixel"] < s0["view"]["unitsPerPixel"], "+ zoomed in")
    v.xdotool("key", "Right")
    s2 = v.settled()
    check(s2["view"]["centerX"] != s1["view"]["centerX"], "Right panned")

    def at(view):
        return lambda st: all(abs(st["view"][k] - view[k]) <= 1e-6 * max(1.0, abs(view[k]))
                              for k in ("centerX", "centerY", "unitsPerPixel"))
    v.xdotool("key", "alt+Left")
    v.wait_state(at(s1["view"]), "back to the zoomed view")
    v.xdotool("key", "alt+Left")
    v.wait_state(at(s0["view"]), "back to the first view")
    v.xdotool("key", "alt+Right")
    v.wait_state(at(s1["view"]), "forward to the zoomed view")
    v.xdotool("click", 9)  # X11 button 9: the mouse's forward button
    v.wait_state(at(s2["view"]), "the mouse's forward button to the panned view")
    v.xdotool("click", 8)  # button 8: back
    v.wait_state(at(s1["view"]), "the mouse's back button")


def case_inspect(v):
    """A click on a county selects it and opens the inspector with its attributes; Shift-click
    adds a second county; Esc clears the selection."""
    s = v.start()
    s = v.settled()
    tongyu = free_map_point(s, 122.80, 44.65)   # inside 通榆县, south of its label
    taonan = free_map_point(s, 122.55, 45.25)   # inside 洮南市
    v.move_to(s, *tongyu)
    v.xdotool("click", 1)
    s = v.wait_state(lambda st: len(st["selection"]) == 1 and "inspector.window" in st["named"],
                     "the inspector after a click on 通榆县")
    sel = s["selection"][0]
    check(sel["layer"] == "counties", f"selected {sel}")
    title = s["facts"].get("inspector.title.0", "")
    check("220822" in title, f"the inspector shows {title!r}, not 通榆县 (220822)")
    shot = v.screenshot("inspector")
    ins = s["named"]["inspector.window"]
    # The inspector is drawn: its area differs from the map around it (a plain panel colour).
    inside = shot.at(round((ins[0] + ins[2]) / 2) + s["window"]["x"], round(ins[1] + 40) + s["window"]["y"])
    print("inspector window", ins, "pixel", inside)
    v.move_to(s, *taonan)
    v.xdotool("keydown", "shift", "click", 1, "keyup", "shift")
    s = v.wait_state(lambda st: len(st["selection"]) == 2, "Shift-click adds 洮南市")
    v.move_to(s, 700, 450)
    v.xdotool("key", "Escape")
    v.wait_state(lambda st: len(st["selection"]) == 0 and "inspector.window" not in st["named"],
                 "Esc clears the selection")


def case_help(v):
    """F1 opens the shortcuts window, F1 again closes it; Ctrl+L opens the log panel."""
    s = v.start()
    s = v.settled()
    v.move_to(s, 700, 450)
    v.xdotool("key", "F1")
    s = v.wait_state(lambda st: st["panels"]["help"], "F1 to open the help window")
    v.screenshot("help")
    v.xdotool("key", "F1")
    v.wait_state(lambda st: not st["panels"]["help"], "F1 to close it")
    v.xdotool("key", "ctrl+l")
    v.wait_state(lambda st: st["panels"]["log"], "Ctrl+L to open the log")


def all_layer_plugins(v):
    """Every layer plugin the build made, for cases that browse the real thematic layers."""
    folder = os.path.join(os.path.dirname(v.bcmap), "plugins")
    return [os.path.join(folder, f) for f in sorted(os.listdir(folder))
            if f.endswith(".so") and f[len("bcmap_"):-3] not in SHIPPED_PLUGINS]


def click_at(v, state, rect_or_point, button=1):
    x, y = centre_of(rect_or_point) if len(rect_or_point) == 4 else rect_or_point
    v.move_to(state, x, y)
    v.xdotool("click", button)


def case_story(v):
    """The issue's walk-through, as a newcomer would do it: find 通榆县, list its relocated
    villages in the attribute table and read one's attributes, watch the stations appear from
    2016 to 2019, and export the map with a legend."""
    s = v.start(extra_plugins=all_layer_plugins(v))
    s = v.settled()
    # 1. Find 通榆县 (search box, pinyin).
    v.move_to(s, 700, 400)
    v.xdotool("key", "ctrl+f")
    v.wait_state(lambda st: st["textInput"], "the search box")
    v.xdotool("type", "--delay", 40, "tongyu")
    v.wait_state(lambda st: "search.result.0" in st["named"], "search results")
    v.xdotool("key", "Return")
    # The fact lasts one frame (the state file may skip it); the view moving is what stays.
    lon, lat = county_label_point("220822")
    mx, my = mercator(lon, lat)
    s = v.wait_state(lambda st: abs(st["view"]["centerX"] - mx) < 1 and abs(st["view"]["centerY"] - my) < 1,
                     "the jump to 通榆县")
    v.xdotool("key", "Escape")
    s = s_county = v.settled()
    v.screenshot("story-1-tongyu")
    # 2. Its relocated villages: the attribute table, filtered to the county.
    check(layer(s, "relocated_villages")["visible"], "the relocated villages are shown by default")
    click_at(v, s, s["named"]["table.open.relocated_villages"])
    s = v.wait_state(lambda st: "table.relocated_villages.filter" in st["named"], "the attribute table")
    click_at(v, s, s["named"]["table.relocated_villages.filter"])
    # xdotool cannot type Chinese into the window, so the filter picks the south of Baicheng,
    # which is 通榆县: the expected rows come from the data file itself.
    with open(os.path.join(GEODATA, "baicheng_relocation.geojson"), encoding="utf-8") as f:
        south = [ft["properties"] for ft in json.load(f)["features"] if ft["properties"]["origin_lat"] < 45.1]
    check(south and {p["county_zh"] for p in south} == {"通榆县"}, "the data's southern villages are 通榆县's")
    v.xdotool("type", "--delay", 30, "label_lat < 45.1")
    want = f"{len(south)} / "
    s = v.wait_state(lambda st: st["facts"].get("table.relocated_villages.count", "").startswith(want),
                     f"{len(south)} relocated villages of 通榆县 in the table")
    print("table count:", s["facts"]["table.relocated_villages.count"])
    rows = sorted((k for k in s["named"] if k.startswith("table.relocated_villages.row.")),
                  key=lambda k: s["named"][k][1])
    check(rows, "the table shows rows")
    click_at(v, s, s["named"][rows[0]])
    s = v.wait_state(lambda st: any(x["layer"] == "relocated_villages" for x in st["selection"]) and
                     "inspector.window" in st["named"], "a row selects the village and opens the inspector")
    s = v.settled()
    v.screenshot("story-2-relocated")
    # Back to the whole county (the row zoomed in on the village): Esc lets go of the filter
    # field, Alt+Left steps back through the views.
    county_view = s_county["view"]
    v.xdotool("key", "Escape")
    click_at(v, s, s["named"]["table.relocated_villages.close"])  # the table's close box
    s = v.wait_state(lambda st: "table.relocated_villages.window" not in st["named"], "the table closed")
    v.move_to(s, 700, 200)
    v.xdotool("key", "alt+Left")
    s = v.wait_state(lambda st: abs(st["view"]["unitsPerPixel"] - county_view["unitsPerPixel"]) < 1e-6 * county_view["unitsPerPixel"],
                     "Alt+Left back to the county")
    # 3. Stations from 2016 to 2019: the slider at two dates, the map differs where they open.
    s = v.wait_state(lambda st: st["time"]["slider"], "the time slider")
    s = drag_time_slider(v, s, round(x_of_day(s["time"], "2016-02-01")))
    s = v.settled()
    early = v.screenshot("story-3-2016")
    s = drag_time_slider(v, s, round(x_of_day(s["time"], "2019-12-31")))
    s = v.settled()
    late = v.screenshot("story-4-2019")
    m = s["map"]
    changed = sum(1 for y in range(40, round(m["height"] / s["pixelRatio"]) - 60, 3)
                  for x in range(0, s["window"]["width"], 3)
                  if not in_rects(x, y, ui_rects(s), pad=4) and early.at(x + s["window"]["x"], y + s["window"]["y"]) !=
                  late.at(x + s["window"]["x"], y + s["window"]["y"]))
    print("map pixels changed between 2016-02 and 2019-12 (every 3rd):", changed)
    check(changed > 200, "the stations (and villages) opened by 2019 are not drawn")
    # 4. Export with a legend (File → Export, Ctrl+E).
    v.move_to(s, 700, 400)
    v.xdotool("key", "ctrl+e")
    s = v.wait_state(lambda st: "export.button" in st["named"], "the export dialog")
    out = os.path.join(v.work, "report-map.png")
    click_at(v, s, s["named"]["export.path"])
    v.xdotool("key", "ctrl+a")
    v.xdotool("type", "--delay", 10, out)
    s = v.wait_state(lambda st: st["facts"].get("export.path") == out, "the path typed in full")
    click_at(v, s, s["named"]["export.button"])
    s = v.wait_state(lambda st: st["facts"].get("export.result"), "the export to finish")
    check(not s["facts"]["export.result"].startswith("error"), s["facts"]["export.result"])
    check(os.path.exists(out), f"no {out}")
    shutil.copy2(out, os.path.join(v.work, "story-5-export.png"))
    v.screenshot("story-5-dialog")


CASES = {
    "crs": case_crs,
    "session": case_session,
    "settings": case_settings,
    "time": case_time,
    "layers": case_layers,
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
}
NEEDS_X = {"story", "search", "back", "inspect", "help", "crs", "hover", "layers", "drag", "wheel", "untick", "keys", "resize", "session", "settings", "time"}
NEEDS_FIXTURES = {"session", "time"}


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
        missing = [t for t in ("Xvfb", "xdotool", "xdpyinfo", "import", "convert") if not shutil.which(t)]
        if missing:
            print("skipped: not installed:", " ".join(missing))
            return SKIP
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
