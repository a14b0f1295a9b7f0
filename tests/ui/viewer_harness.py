"""The harness of the viewer tests (viewer_test.py): one bcmap under one Xvfb, driven
with xdotool and watched through its BCMAP_TEST_STATE file and `import` screenshots; the
colours and geometry the cases check against; helpers over the reported state.

Sections: constants and checks, the tools a case needs (skip, or fail under CI),
screenshots, one viewer under one X server, helpers over states, input helpers.
"""

import contextlib
import fcntl
import json
import math
import os
import shutil
import signal
import subprocess
import tempfile
import time

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


# ---- the tools a case needs ---------------------------------------------------------------
# Xvfb and xdotool drive the window; xdpyinfo waits for the server; ImageMagick's import and
# Xvfb servers started at the same moment with -displayfd now and then broke each other (a
# viewer then found no server at the number it was given): tests that run in parallel start
# their servers one at a time, each holding this lock until its server accepts clients.
XVFB_START_LOCK = os.path.join(tempfile.gettempdir(), "bcmap-xvfb-start.lock")


@contextlib.contextmanager
def xvfb_start_lock():
    with open(XVFB_START_LOCK, "a") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


# convert take the screenshots.
TOOLS = ("Xvfb", "xdotool", "xdpyinfo", "import", "convert")


def in_ci(env=None):
    """True where CI is set (CI systems set CI=true): there a missing tool is the machine's
    fault, and a case that would be skipped fails instead, so it cannot pass unseen."""
    value = (os.environ if env is None else env).get("CI", "").strip().lower()
    return value not in ("", "0", "false", "no")


def missing_tools(which=shutil.which):
    return [t for t in TOOLS if not which(t)]


def tools_verdict(missing, env=None):
    """(exit code, message) for a case that needs `missing` and lacks them: skipped (77)
    normally, failed (1) under CI; (None, "") when nothing is missing."""
    if not missing:
        return None, ""
    if in_ci(env):
        return 1, "FAIL: not installed: " + " ".join(missing) + " (CI is set: missing tools fail, not skip)"
    return SKIP, "skipped: not installed: " + " ".join(missing)


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

    def start(self, args=(), keep_session=False, extra_plugins=(), extra_env=None, wait_loaded=True):
        """Starts Xvfb and bcmap (private_build: the counties, FILE layers and
        `extra_plugins`). A session file left by an earlier start is removed unless
        keep_session (a restart that should restore it). `extra_env`: variables for bcmap
        (e.g. XDG_DATA_HOME, so a case has a user plugin folder of its own). Returns at the
        first frame with every visible layer loaded; without wait_loaded, at the first frame
        (a case that watches a layer load)."""
        self.app = None  # a viewer stopped before must not look like this one exiting
        os.makedirs(self.work, exist_ok=True)
        if not keep_session and os.path.exists(self.session_path):
            os.remove(self.session_path)
        for f in os.listdir(self.work):
            p = os.path.join(self.work, f)
            if os.path.isfile(p) and p not in args:
                os.remove(p)
        shutil.rmtree(self.shots, ignore_errors=True)
        with xvfb_start_lock():
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
        env.update(extra_env or {})
        exe = self.private_build(extra_plugins)
        self.app = subprocess.Popen([exe, *args], env=env, stdout=open(os.path.join(self.work, "bcmap.log"), "wb"),
                                    stderr=subprocess.STDOUT, start_new_session=True)
        if not wait_loaded:
            return self.wait_state(lambda s: s["frameCount"] >= 1, "the first frame")
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
    report (search, inspector, overview, the docks, ...) and the menu bar along the top."""
    rects = [r for r in state["ui"].values() if r]
    # Every named rectangle but the map canvas itself (the part of the window no dock covers).
    rects += [r for name, r in state.get("named", {}).items() if r and name != "canvas"]
    bar = state.get("panels", {}).get("menuBarHeight", 0)
    if bar:
        rects.append([0, 0, state["window"]["width"], bar])
    return rects


def in_rects(x, y, rects, pad=2):
    return any(r[0] - pad <= x <= r[2] + pad and r[1] - pad <= y <= r[3] + pad for r in rects)


def canvas_origin_px(state):
    """The map canvas's top-left corner in framebuffer pixels from the window's: the map
    is drawn into the part of the window the docked panels leave (named rect "canvas")."""
    c = state.get("named", {}).get("canvas")
    return (c[0] * state["pixelRatio"], c[1] * state["pixelRatio"]) if c else (0, 0)


def map_px_of_lonlat(state, lon, lat):
    """Where (lon, lat) is, in framebuffer pixels from the window's top-left corner (the
    canvas's offset added), from the reported view (EPSG:3857 only). Divided by pixelRatio:
    window units."""
    check(state["crs"] == "EPSG:3857", "these checks compute Web Mercator themselves")
    v = state["view"]
    x, y = mercator(lon, lat)
    ox, oy = canvas_origin_px(state)
    return ((x - v["centerX"]) / v["unitsPerPixel"] + v["widthPx"] / 2 + ox,
            v["heightPx"] / 2 - (y - v["centerY"]) / v["unitsPerPixel"] + oy)


# ---- input helpers ---------------------------------------------------------------------------
def centre_of(rect):
    return round((rect[0] + rect[2]) / 2), round((rect[1] + rect[3]) / 2)


def click_at(v, state, rect_or_point, button=1):
    x, y = centre_of(rect_or_point) if len(rect_or_point) == 4 else rect_or_point
    v.move_to(state, x, y)
    v.xdotool("click", button)
