#!/usr/bin/env python3
"""Soak benchmark of the viewer (issue 12, part 6): bcmap under Xvfb at 1280x800 with every
shipped layer plugin, the bundled Baicheng data, a generated FlatGeobuf of N points (with a
date, so the time bar plays) and a small GeoJSON that gets rewritten, driven for --minutes
by real X input through xdotool: drags (pan), wheel zooms in and out, keys (+, -, arrows,
Home), time play and the slider, layer check boxes, style changes in the layer panel
(single / categorised / graduated, undo and redo), data hot reloads (a file rewritten or
touched, then the reload bar's button) and plugin hot reloads (a plugin's .so replaced in
the viewer's plugin folder).

Before the first minute, every layer that starts hidden is shown once and hidden again (a
layer's first draw makes its draw data: a one-off cost, not growth).

Memory is read from /proc/PID/status (VmRSS, VmHWM, RssAnon, RssFile) two ways:
- every second, by a thread of its own, whatever the viewer is doing: each minute's
  minimum, median and maximum of those samples are in the table (the maxima are the moments
  a reload holds the old and the new table at once, or a frame's buffers are being built);
- at the end of each minute, quiet: the input pauses, the script waits until no layer is
  pending or loading, no point layer's GPU copy is being made (the state's
  map.uploading fact) and the state file has not changed for half a second (time play
  pauses if it plays, and resumes after), then reads it. That is the memory the viewer
  keeps, the figure growth is judged on: one sample taken mid-reload or mid-step would count
  a transient as growth.
It also records the viewer's threads and open files and the frame times it printed with
BCMAP_FRAME_LOG=1 ("frame N MS ms KIND upload .. layers ..") in that minute: count, median,
p95 and max. At the end it prints a table and writes soak.csv, soak.json and the per-second
samples (rss.csv) into --out.

Exit status: 0 when the viewer lived through the run, quit cleanly on Ctrl+Q, and its quiet
RSS at the end is within --max-growth % (default 5) of its quiet RSS after the first minute;
1 otherwise; 77 when Xvfb, xdotool or ImageMagick is missing. (The per-second medians are
printed beside it but not judged: they follow the minute's mix of input — a minute of
rereads or of time play over the 200k points sits higher — not what the viewer keeps.)

It is a benchmark, not a test: `make soak` runs it, `make test` does not.

Usage: bench/soak.py [--build build] [--minutes 10] [--points 200000] [--out DIR] [--seed 1]
                     [--max-growth 5] [--only KIND[,KIND]] [--reload-points-every 3] [--no-shots]
"""

import argparse
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "tests", "ui"))

import viewer_harness as vh  # noqa: E402  (the UI tests' harness: Xvfb, the private build, the state file)

ACTION_KINDS = ("pan", "zoom", "keys", "time", "toggle", "style", "reload", "plugin")
# How often each kind is picked (pans and zooms are what a user does most).
WEIGHTS = {"pan": 8, "zoom": 7, "keys": 3, "time": 3, "toggle": 3, "style": 3, "reload": 1, "plugin": 1}
WAIT_S = 15.0  # a bound for each wait inside an action; a soak does not stop on one slow answer
FRAME_RE = re.compile(r"^frame (\d+) ([0-9.]+) ms (\S*)")
# The Baicheng prefecture's box (lon0, lat0, lon1, lat1), where the generated points lie.
BAICHENG_BOX = (121.65, 44.25, 124.55, 46.25)
POINT_KINDS = ("村 village", "站 station", "校 school", "医 clinic", "井 well", "仓 depot")


# ---- data ------------------------------------------------------------------------------------
def generate_points(path, n, seed):
    """N points in the Baicheng box as FlatGeobuf (ogr2ogr from a CSV with a .csvt): a kind
    (6 values, so 分类 Categorised stays small), a value, an id, a name and a date in
    2015..2020 (so the layer has time). Kept between runs: made again only when missing."""
    if os.path.exists(path):
        return
    rng = random.Random(seed)
    csv = path[:-4] + ".csv"
    centres = [(rng.uniform(BAICHENG_BOX[0], BAICHENG_BOX[2]), rng.uniform(BAICHENG_BOX[1], BAICHENG_BOX[3]))
               for _ in range(40)]
    with open(csv, "w", encoding="utf-8") as f:
        f.write("kind,value,id,name,date,lon,lat\n")
        for i in range(n):
            if rng.random() < 0.5:
                lon, lat = rng.uniform(BAICHENG_BOX[0], BAICHENG_BOX[2]), rng.uniform(BAICHENG_BOX[1], BAICHENG_BOX[3])
            else:
                cx, cy = centres[rng.randrange(len(centres))]
                lon, lat = rng.gauss(cx, 0.08), rng.gauss(cy, 0.06)
            day = 16436 + rng.randrange(2192)  # 2015-01-01 + up to 6 years
            d = time.gmtime(day * 86400)
            f.write(f"{POINT_KINDS[i % len(POINT_KINDS)]},{rng.random() * 1000:.2f},{i + 1},点 {i + 1},"
                    f"{d.tm_year:04d}-{d.tm_mon:02d}-{d.tm_mday:02d},{lon:.6f},{lat:.6f}\n")
    with open(csv + "t", "w", encoding="utf-8") as f:
        f.write("String,Real,Integer,String,Date,Real,Real\n")
    tmp = path + ".tmp.fgb"
    subprocess.run(["ogr2ogr", "-f", "FlatGeobuf", tmp, csv, "-a_srs", "EPSG:4326", "-nln", "points",
                    "-oo", "X_POSSIBLE_NAMES=lon", "-oo", "Y_POSSIBLE_NAMES=lat", "-oo", "KEEP_GEOM_COLUMNS=NO"],
                   check=True)
    os.replace(tmp, path)
    os.remove(csv)
    os.remove(csv + "t")


def write_sites(path, version):
    """The small GeoJSON the soak rewrites for the data hot reload: 60 squares around the
    prefecture whose size and names change with `version`. Written to a temporary file and
    renamed, as an editor saving it would."""
    rng = random.Random(version)
    feats = []
    for i in range(60):
        lon = BAICHENG_BOX[0] + (i % 10 + 0.5) * (BAICHENG_BOX[2] - BAICHENG_BOX[0]) / 10
        lat = BAICHENG_BOX[1] + (i // 10 + 0.5) * (BAICHENG_BOX[3] - BAICHENG_BOX[1]) / 6
        h = 0.02 + 0.05 * rng.random()
        ring = [[lon - h, lat - h], [lon + h, lat - h], [lon + h, lat + h], [lon - h, lat + h], [lon - h, lat - h]]
        feats.append({"type": "Feature", "properties": {"name": f"场地 {i} v{version}", "score": rng.randrange(100)},
                      "geometry": {"type": "Polygon", "coordinates": [ring]}})
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump({"type": "FeatureCollection", "features": feats}, f, ensure_ascii=False)
    os.replace(tmp, path)


# ---- the process -----------------------------------------------------------------------------
def proc_status(pid):
    out = {}
    with open(f"/proc/{pid}/status", encoding="utf-8") as f:
        for line in f:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM", "RssAnon", "RssFile", "RssShmem", "VmSize"):
                out[key] = int(value.split()[0])  # kB
            elif key == "Threads":
                out[key] = int(value)
    try:
        out["fds"] = len(os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        out["fds"] = -1
    return out


class RssSampler(threading.Thread):
    """Reads the viewer's VmRSS and RssAnon every second until stopped; take() hands over the
    samples since the last take()."""

    def __init__(self, pid, t0, period=1.0):
        super().__init__(daemon=True)
        self.pid, self.t0, self.period = pid, t0, period
        self.lock = threading.Lock()
        self.pending, self.all = [], []
        self.stop_event = threading.Event()

    def run(self):
        while not self.stop_event.wait(self.period):
            try:
                st = proc_status(self.pid)
            except OSError:
                return  # the viewer is gone
            sample = (round(time.monotonic() - self.t0, 1), st.get("VmRSS", 0) / 1024, st.get("RssAnon", 0) / 1024)
            with self.lock:
                self.pending.append(sample)
                self.all.append(sample)

    def take(self):
        with self.lock:
            out, self.pending = self.pending, []
        return out

    def stop(self):
        self.stop_event.set()
        self.join(timeout=5)


def percentile(values, q):
    if not values:
        return float("nan")
    s = sorted(values)
    k = (len(s) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


class FrameLog:
    """Reads the frame lines bcmap appended to its log since the last read."""

    def __init__(self, path):
        self.path = path
        self.offset = 0
        self.partial = ""

    def new_frames(self):
        try:
            with open(self.path, "rb") as f:
                f.seek(self.offset)
                data = f.read()
        except FileNotFoundError:
            return []
        self.offset += len(data)
        text = self.partial + data.decode("utf-8", errors="replace")
        lines = text.split("\n")
        self.partial = lines.pop()
        frames = []
        for line in lines:
            m = FRAME_RE.match(line)
            if m:
                frames.append((float(m.group(2)), m.group(3)))
        return frames


# ---- the driver ------------------------------------------------------------------------------
class Soak:
    def __init__(self, args, viewer, data_dir, plugin_dir):
        self.args = args
        self.v = viewer
        self.data_dir = data_dir
        self.plugin_dir = plugin_dir
        self.rng = random.Random(args.seed)
        self.counts = {k: 0 for k in ACTION_KINDS}  # this minute's
        self.totals = {k: 0 for k in ACTION_KINDS}
        self.errors = {k: 0 for k in ACTION_KINDS}
        self.error_log = []
        self.zoom_net = 0  # wheel steps in minus out since the last Home
        self.playing = False
        self.play_since = 0.0
        self.sites_version = 0
        self.t0 = time.monotonic()  # set again when the input starts
        self.shots = []
        self.shots_dir = os.path.join(args.out, "shots")
        self.kinds = [k for k in ACTION_KINDS if not args.only or k in args.only]

    # -- helpers --
    def alive(self):
        return self.v.app.poll() is None

    def state(self):
        return self.v.state()

    def wait_state(self, pred, what, timeout=WAIT_S):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.alive():
                raise vh.Failure(f"bcmap exited ({self.v.app.returncode}) while waiting for {what}")
            s = self.state()
            if s is not None:
                try:
                    if pred(s):
                        return s
                except (KeyError, TypeError, IndexError):
                    pass
            time.sleep(0.05)
        raise vh.Failure(f"timed out after {timeout:.0f} s waiting for {what}")

    def xdo(self, *args):
        subprocess.run(["xdotool", *[str(a) for a in args]], env=self.v.env(), check=True, timeout=WAIT_S,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def screen(self, s, x, y):
        return round(s["window"]["x"] + x), round(s["window"]["y"] + y)

    def map_point(self, s, margin=60):
        """A random point of the map canvas (window units) that no panel covers."""
        c = s["named"].get("canvas") or [0, 0, s["window"]["width"], s["window"]["height"]]
        rects = vh.ui_rects(s)
        for _ in range(50):
            x = self.rng.uniform(c[0] + margin, c[2] - margin)
            y = self.rng.uniform(c[1] + margin, c[3] - margin)
            if not vh.in_rects(x, y, rects, pad=8):
                return round(x), round(y)
        return round((c[0] + c[2]) / 2), round((c[1] + c[3]) / 2)

    def pointer_on_map(self, s):
        x, y = self.map_point(s)
        self.xdo("mousemove", *self.screen(s, x, y))
        return x, y

    def click(self, s, rect):
        """A click on a widget as a hand makes it: the pointer there first (waiting until the
        viewer saw it there, as the UI tests do), then the button pressed and let go."""
        x, y = vh.centre_of(rect)
        self.xdo("mousemove", *self.screen(s, x, y))
        try:
            self.wait_state(lambda st: st["cursor"]["windowX"] == x and st["cursor"]["windowY"] == y,
                            f"the pointer at ({x}, {y})", timeout=5)
        except vh.Failure:
            pass  # the state file is written on frames that change it; go on and click
        self.xdo("mousedown", 1, "sleep", 0.08, "mouseup", 1)

    def visible(self, s, rect):
        """A rectangle that lies inside the window and inside the layer panel's rows."""
        if not rect:
            return False
        w = s["window"]
        if rect[0] < 0 or rect[1] < 0 or rect[2] > w["width"] or rect[3] > w["height"]:
            return False
        panel = s["ui"].get("layerPanel")
        if panel and rect[0] >= panel[0] and rect[2] <= panel[2]:
            # Below the panel's title bar, above its bottom edge: rows scrolled out are
            # still reported, at places the title bar or the edge covers.
            title = 24 * s.get("contentScale", 1)
            return rect[1] >= panel[1] + title and rect[3] <= panel[3] - 6
        return True

    def screenshot(self, name):
        os.makedirs(self.shots_dir, exist_ok=True)
        png = os.path.join(self.shots_dir, f"{len(self.shots) + 1:03d}-{name}.png")
        subprocess.run(["import", "-display", self.v.display, "-window", "root", "-depth", "8", png],
                       timeout=WAIT_S, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.shots.append(png)
        return png

    # -- the actions --
    def act_pan(self, s):
        x, y = self.map_point(s, margin=150)
        dx, dy = self.rng.randint(-180, 180), self.rng.randint(-140, 140)
        steps = 10
        chain = ["mousemove", *self.screen(s, x, y), "sleep", 0.05, "mousedown", 1]
        for i in range(1, steps + 1):
            chain += ["sleep", 0.03, "mousemove", *self.screen(s, x + dx * i / steps, y + dy * i / steps)]
        chain += ["sleep", 0.05, "mouseup", 1]
        self.xdo(*chain)
        return f"drag ({x},{y}) by ({dx},{dy})"

    def act_zoom(self, s):
        x, y = self.map_point(s)
        # Wander in and out around the prefecture's view: from 3 steps out to 9 in.
        if self.zoom_net >= 9:
            inward = False
        elif self.zoom_net <= -3:
            inward = True
        else:
            inward = self.rng.random() < 0.55
        n = self.rng.randint(1, 4)
        self.xdo("mousemove", *self.screen(s, x, y), "sleep", 0.05, "click", "--repeat", n, "--delay", 60,
                 4 if inward else 5)
        self.zoom_net += n if inward else -n
        return f"wheel {'in' if inward else 'out'} x{n} at ({x},{y})"

    def act_keys(self, s):
        self.pointer_on_map(s)
        r = self.rng.random()
        if r < 0.25 or abs(self.zoom_net) > 6:
            self.xdo("key", "Home")
            self.zoom_net = 0
            return "Home"
        if r < 0.5:
            key = self.rng.choice(["plus", "minus"])
            self.xdo("key", key)
            self.zoom_net += 1 if key == "plus" else -1
            return key
        if r < 0.6:
            self.xdo("key", "Escape")  # a click that picked a feature: its selection cleared
            return "Escape"
        keys = [self.rng.choice(["Left", "Right", "Up", "Down"]) for _ in range(3)]
        self.xdo("key", "--delay", 80, *keys)
        return " ".join(keys)

    def act_time(self, s):
        t = s["time"]
        if not t.get("shown"):
            return "no time bar"
        r = self.rng.random()
        # From the state, not from what was pressed: play stops by itself at the last day,
        # and a click on the slider or on All stops it too.
        playing = t.get("playing", False)
        if playing and not self.playing:
            self.playing, self.play_since = True, time.monotonic()
        if playing and (r < 0.6 or time.monotonic() - self.play_since > 25):
            self.pointer_on_map(s)
            self.xdo("key", "space")
            self.wait_state(lambda st: not st["time"]["playing"], "Space to pause")
            self.playing = False
            return "pause (Space)"
        if not playing and r < 0.5:
            self.pointer_on_map(s)
            self.xdo("key", "space")
            self.wait_state(lambda st: st["time"]["playing"], "Space to play")
            self.playing, self.play_since = True, time.monotonic()
            return "play (Space)"
        if r < 0.8 and t.get("slider") and t.get("xLast", 0) > t.get("xFirst", 0):
            x = self.rng.uniform(t["xFirst"], t["xLast"])
            y = (t["slider"][1] + t["slider"][3]) / 2
            self.click(s, [x, y, x, y])
            return f"slider click at x={x:.0f}"
        if t.get("allToggle"):
            self.click(s, t["allToggle"])
            return "全部 All toggled"
        return "nothing"

    def scroll_panel(self, s):
        """The wheel over the layer panel: its rows scroll (a user looking for a layer)."""
        panel = s["ui"].get("layerPanel")
        if not panel:
            return "no layer panel"
        x, y = round((panel[0] + panel[2]) / 2), round((panel[1] + panel[3]) / 2)
        n = self.rng.randint(2, 6)
        up = self.rng.random() < 0.5
        self.xdo("mousemove", *self.screen(s, x, y), "sleep", 0.05, "click", "--repeat", n, "--delay", 60,
                 4 if up else 5)
        return f"layer panel scrolled {'up' if up else 'down'} x{n}"

    def act_toggle(self, s):
        if self.rng.random() < 0.2:
            return self.scroll_panel(s)
        rows = [l for l in s["layers"]
                if self.visible(s, l.get("checkbox")) and l["status"] not in ("pending", "loading")]
        if not rows:
            return "no check box in view; " + self.scroll_panel(s)
        # Mostly one that is off back on, so the map keeps most layers drawn.
        off = [l for l in rows if not l["visible"]]
        l = self.rng.choice(off) if off and self.rng.random() < 0.6 else self.rng.choice(rows)
        was = l["visible"]
        self.click(s, l["checkbox"])
        try:
            self.wait_state(lambda st: vh.layer(st, l["id"])["visible"] != was, f"{l['id']} to toggle", timeout=5)
            tries = ""
        except vh.Failure:
            # Once more where the row is now (the panel may have moved under the pointer).
            s = self.state()
            self.click(s, vh.layer(s, l["id"])["checkbox"])
            self.wait_state(lambda st: vh.layer(st, l["id"])["visible"] != was, f"{l['id']} to toggle")
            tries = " (second click)"
        return f"{l['id']} {'off' if was else 'on'}{tries}"

    def warm_up(self):
        """Every layer that starts hidden is shown once and hidden again before the first
        minute: the first draw of a layer makes its draw data (showing 贫困县退出 poverty exit
        the first time adds about 35 MiB, kept while it is loaded; showing it again adds
        nothing), a one-off cost that is not growth. Returns the layers shown."""
        shown = []
        s = self.state()
        for l in [l for l in s["layers"] if not l["visible"]]:
            lid = l["id"]
            for want in (True, False):
                for _ in range(12):  # the panel scrolled down until its check box is in view
                    s = self.state()
                    if self.visible(s, vh.layer(s, lid)["checkbox"]):
                        break
                    panel = s["ui"]["layerPanel"]
                    self.xdo("mousemove", *self.screen(s, (panel[0] + panel[2]) / 2, (panel[1] + panel[3]) / 2),
                             "sleep", 0.05, "click", "--repeat", 3, "--delay", 60, 5)
                    time.sleep(0.3)
                self.click(s, vh.layer(s, lid)["checkbox"])
                self.wait_state(lambda st: vh.layer(st, lid)["visible"] == want, f"{lid} to be {want and 'shown' or 'hidden'}")
                if want:
                    self.v.settled()
            shown.append(lid)
        return shown

    def style_layers(self, s):
        return [l["id"] for l in s["layers"] if l["status"] == "loaded" and l["visible"]
                and s["named"].get("style." + l["id"])]

    def act_style(self, s):
        r = self.rng.random()
        if r < 0.25:
            self.pointer_on_map(s)
            key = self.rng.choice(["ctrl+z", "ctrl+y"])
            self.xdo("key", key)
            return key
        ids = [i for i in self.style_layers(s) if self.visible(s, s["named"]["style." + i])]
        if not ids:
            return "no style node in view"
        lid = self.rng.choice(ids)
        self.click(s, s["named"]["style." + lid])
        s = self.wait_state(lambda st: "style.kind.0" in st["named"], f"{lid}'s style editor")
        before = s["facts"].get("style." + lid)
        kinds = [k for k in range(3) if self.visible(s, s["named"].get(f"style.kind.{k}"))]
        msg = f"{lid}: editor opened, no kind button in view"
        if kinds:
            k = self.rng.choice(kinds)
            self.click(s, s["named"][f"style.kind.{k}"])
            try:
                s = self.wait_state(lambda st: st["facts"].get("style." + lid) != before, f"{lid}'s style to change",
                                    timeout=4)
                msg = f"{lid}: kind {k}"
            except vh.Failure:
                msg = f"{lid}: kind {k} (was already)"
        # Closed again, so the layer list stays short enough for the check boxes.
        s = self.state()
        if s and s["named"].get("style." + lid):
            self.click(s, s["named"]["style." + lid])
            self.wait_state(lambda st: "style.kind.0" not in st["named"], f"{lid}'s style editor to close")
        return msg

    def act_reload(self, s):
        """A data file changes on disk: the sites rewritten (every time) and the points touched
        (every --reload-points-every'th time, a reread of all N), then the reload bar's button,
        until the bar goes."""
        self.sites_version += 1
        write_sites(os.path.join(self.data_dir, "soak_sites.geojson"), self.sites_version)
        what = "sites rewritten"
        every = self.args.reload_points_every
        if every and self.sites_version % every == 0:
            os.utime(os.path.join(self.data_dir, "soak_points.fgb"))
            what += ", points touched"
        clicks = 0
        deadline = time.monotonic() + WAIT_S
        while time.monotonic() < deadline:
            s = self.wait_state(lambda st: st["named"].get("reload.button"), "the reload bar")
            self.click(s, s["named"]["reload.button"])
            clicks += 1
            time.sleep(0.7)  # the files are polled every 0.5 s: a second change shows in the same bar
            s = self.state()
            if s and not s["named"].get("reload.button"):
                break
        self.wait_state(lambda st: all(l["status"] not in ("pending", "loading") for l in st["layers"]),
                        "the reloaded layers", timeout=60)
        return f"{what}; Reload clicked {clicks}x"

    def act_plugin(self, s):
        """A plugin rebuilt while the viewer runs: its .so replaced (a new file renamed over it)."""
        names = sorted(n for n in os.listdir(self.plugin_dir) if n.endswith(".so") and n != "bcmap_vector_file.so")
        name = self.rng.choice(names)
        path = os.path.join(self.plugin_dir, name)
        tmp = os.path.join(self.plugin_dir, "." + name + ".new")
        shutil.copy2(path, tmp)
        os.utime(tmp)  # copy2 keeps the old time: a rebuild gives a new one
        os.replace(tmp, path)
        lid = name[len("bcmap_"):-3]
        try:
            self.wait_state(lambda st: vh.layer(st, lid)["status"] in ("pending", "loading"), f"{lid} to reload",
                            timeout=6)
        except vh.Failure:
            pass  # a reload quicker than the polling, or a layer that is off
        self.wait_state(lambda st: all(l["status"] not in ("pending", "loading") for l in st["layers"]),
                        f"{lid} reloaded", timeout=60)
        return f"{name} replaced"

    def quiet(self):
        """Input paused, time play paused, until no layer is pending or loading and the state
        has been still for half a second; play resumes afterwards. Returns the pause's
        seconds. What the memory holds then is what the viewer keeps: a sample taken in the
        middle of a reload or a play step counts a transient buffer as growth."""
        t0 = time.monotonic()
        resume = False
        try:
            s = self.wait_state(lambda st: all(l["status"] not in ("pending", "loading") for l in st["layers"]),
                                "the layers to finish loading", timeout=60)
            if s["time"].get("playing"):
                self.pointer_on_map(s)
                self.xdo("key", "space")
                self.wait_state(lambda st: not st["time"]["playing"], "Space to pause for the quiet sample")
                resume = True
            self.v.settled()
            # A big point layer's GPU copy is made on a worker after its load (the state file
            # does not change meanwhile): the old and the new copies are both held until the
            # new one is installed. Seed 2's minute 5 sampled +54 MiB of that, gone by minute 6.
            if (self.state() or {}).get("facts", {}).get("map.uploading") == "1":
                self.wait_state(lambda st: st.get("facts", {}).get("map.uploading") != "1",
                                "the background upload to finish", timeout=60)
                self.v.settled()
        except vh.Failure as e:
            self.error_log.append(f"quiet sample: {e}")
        self.resume_play = resume
        return time.monotonic() - t0

    def after_quiet(self):
        if getattr(self, "resume_play", False):
            s = self.state()
            if s:
                self.pointer_on_map(s)
                self.xdo("key", "space")
            self.resume_play = False

    def pick(self):
        total = sum(WEIGHTS[k] for k in self.kinds)
        r = self.rng.uniform(0, total)
        for k in self.kinds:
            r -= WEIGHTS[k]
            if r <= 0:
                return k
        return self.kinds[-1]

    def step(self, log):
        kind = self.pick()
        s = self.state()
        if s is None:
            time.sleep(0.1)
            return
        shot = not self.args.no_shots and self.totals[kind] < 2
        if shot:
            self.screenshot(f"{kind}{self.totals[kind] + 1}-before")
        try:
            msg = getattr(self, "act_" + kind)(s)
            self.counts[kind] += 1
            self.totals[kind] += 1
        except (vh.Failure, subprocess.SubprocessError, OSError, KeyError) as e:
            self.errors[kind] += 1
            msg = f"ERROR {type(e).__name__}: {e}"
            self.error_log.append(f"{kind}: {msg}")
        if shot:
            time.sleep(0.6)
            self.screenshot(f"{kind}{self.totals[kind]}-after")
        log.write(f"{time.monotonic() - self.t0:8.2f} {kind:7s} {msg}\n")
        log.flush()
        time.sleep(self.rng.uniform(0.1, 0.4))


# ---- the run ---------------------------------------------------------------------------------
def machine():
    info = {"nproc": os.cpu_count()}
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            info["cpu"] = next((l.split(":", 1)[1].strip() for l in f if l.startswith("model name")), "?")
        with open("/proc/meminfo", encoding="utf-8") as f:
            info["memTotalMiB"] = int(next(l for l in f if l.startswith("MemTotal")).split()[1]) // 1024
    except (OSError, StopIteration):
        pass
    return info


def loadavg():
    with open("/proc/loadavg", encoding="utf-8") as f:
        return " ".join(f.read().split()[:3])


def summarise(minute, elapsed, status, frames, counts, load, samples):
    ms = [f[0] for f in frames]
    rss = [r for _, r, _ in samples]
    return {
        "minute": minute,
        "elapsedS": round(elapsed, 1),
        "rssMiB": round(status.get("VmRSS", 0) / 1024, 1),
        "rssMinMiB": round(min(rss), 1) if rss else None,
        "rssMedianMiB": round(statistics.median(rss), 1) if rss else None,
        "rssMaxMiB": round(max(rss), 1) if rss else None,
        "samples": len(rss),
        "hwmMiB": round(status.get("VmHWM", 0) / 1024, 1),
        "anonMiB": round(status.get("RssAnon", 0) / 1024, 1),
        "fileMiB": round(status.get("RssFile", 0) / 1024, 1),
        "threads": status.get("Threads", 0),
        "fds": status.get("fds", 0),
        "frames": len(ms),
        "medianMs": round(statistics.median(ms), 2) if ms else None,
        "p95Ms": round(percentile(ms, 0.95), 2) if ms else None,
        "maxMs": round(max(ms), 2) if ms else None,
        "frameKinds": {k: sum(1 for f in frames if f[1] == k) for k in sorted({f[1] for f in frames})},
        "actions": dict(counts),
        "load": load,
    }


def table(rows):
    out = ["| minute | quiet RSS MiB | quiet anon MiB | RSS min / median / max MiB (1 s samples) | HWM MiB | "
           "threads | fds | frames | median ms | p95 ms | max ms |",
           "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        def f(v):
            return "–" if v is None else f"{v:.1f}" if isinstance(v, float) else str(v)
        spread = f"{f(r['rssMinMiB'])} / {f(r['rssMedianMiB'])} / {f(r['rssMaxMiB'])}"
        out.append(f"| {r['minute']} | {r['rssMiB']:.1f} | {r['anonMiB']:.1f} | {spread} | {r['hwmMiB']:.1f} | "
                   f"{r['threads']} | {r['fds']} | {r['frames']} | {f(r['medianMs'])} | {f(r['p95Ms'])} | "
                   f"{f(r['maxMs'])} |")
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--build", default=os.path.join(ROOT, "build"), help="the build folder (default: build)")
    ap.add_argument("--minutes", type=float, default=10, help="how long to drive the viewer (default 10)")
    ap.add_argument("--points", type=int, default=200_000, help="points in the generated file (default 200000)")
    ap.add_argument("--out", help="where the results go (default BUILD/soak)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--max-growth", type=float, default=5.0,
                    help="the most RSS may grow from the end of the first minute to the end, in %% (default 5)")
    ap.add_argument("--only", help="drive only these kinds of input, comma-separated: " + ",".join(ACTION_KINDS))
    ap.add_argument("--reload-points-every", type=int, default=3, metavar="N",
                    help="every Nth data reload touches the points file too, so all of them are read again "
                    "(default 3; 0: never)")
    ap.add_argument("--no-shots", action="store_true", help="no screenshots (else one a minute and the first "
                    "two actions of each kind, before and after)")
    args = ap.parse_args()
    args.build = os.path.abspath(args.build)
    args.out = os.path.abspath(args.out or os.path.join(args.build, "soak"))
    args.only = [k.strip() for k in args.only.split(",")] if args.only else []
    for k in args.only:
        if k not in ACTION_KINDS:
            ap.error(f"--only: unknown kind {k}")

    missing = vh.missing_tools() + ([] if shutil.which("ogr2ogr") else ["ogr2ogr"])
    code, message = vh.tools_verdict(missing)
    if code is not None:
        print("soak: " + message, file=sys.stderr)
        return code
    bcmap = os.path.join(args.build, "bcmap")
    if not os.path.exists(bcmap):
        print(f"soak: {bcmap} not found; build first (make build)", file=sys.stderr)
        return 2

    work = os.path.join(args.out, "work")
    data_dir = os.path.join(work, "data")
    os.makedirs(data_dir, exist_ok=True)
    shutil.rmtree(os.path.join(args.out, "shots"), ignore_errors=True)
    gen_dir = os.path.join(args.out, "gen")
    os.makedirs(gen_dir, exist_ok=True)
    gen = os.path.join(gen_dir, f"points_{args.points}_seed{args.seed}.fgb")
    t = time.monotonic()
    generate_points(gen, args.points, args.seed)
    print(f"soak: points file {gen} ({os.path.getsize(gen) / 2**20:.1f} MiB, {time.monotonic() - t:.1f} s)")
    points = os.path.join(data_dir, "soak_points.fgb")
    shutil.copy2(gen, points)  # a copy of its own: the run touches it
    sites = os.path.join(data_dir, "soak_sites.geojson")
    write_sites(sites, 0)
    xdg = os.path.join(args.out, "xdg")
    shutil.rmtree(xdg, ignore_errors=True)
    # The bundled data by name, so --out may lie outside the build tree.
    env = {"BCMAP_FRAME_LOG": "1", "BCMAP_DATA_DIR": os.path.realpath(os.path.join(args.build, "geodata"))}
    for name in ("config", "data", "cache", "state"):
        os.makedirs(os.path.join(xdg, name))
        env[f"XDG_{name.upper()}_HOME"] = os.path.join(xdg, name)

    plugins = sorted(os.path.join(args.build, "plugins", n) for n in os.listdir(os.path.join(args.build, "plugins"))
                     if n.endswith(".so") and n[:-3][len("bcmap_"):] not in vh.SHIPPED_PLUGINS)
    v = vh.Viewer(bcmap, work)
    soak = None
    sampler = None
    rows, events = [], []
    died = None
    quit_rc = None
    info = machine()
    # An allocator setting in the environment changes the memory curve: kept with the results.
    info["allocatorEnv"] = {k: v for k, v in os.environ.items() if k.startswith("MALLOC_") or k == "GLIBC_TUNABLES"}
    info["loadStart"] = loadavg()
    t_start = time.monotonic()
    try:
        state = v.start(["--window-size", "1280x800", points, sites], extra_plugins=plugins, extra_env=env)
        load_s = time.monotonic() - t_start
        pid = v.app.pid
        print(f"soak: bcmap {pid} up with {len(state['layers'])} layers in {load_s:.1f} s; "
              f"driving it for {args.minutes:g} min (load average {loadavg()})")
        soak = Soak(args, v, data_dir, os.path.join(work, "bin", "plugins"))
        frames = FrameLog(os.path.join(work, "bcmap.log"))
        log = open(os.path.join(args.out, "actions.log"), "w", encoding="utf-8")
        v.settled()
        try:
            print(f"soak: shown once and hidden again: {', '.join(soak.warm_up()) or 'none'}")
        except vh.Failure as e:
            print(f"soak: the warm-up did not finish ({e}); going on")
        v.settled()
        soak.t0 = time.monotonic()
        sampler = RssSampler(pid, soak.t0)
        sampler.start()
        st0 = proc_status(pid)
        rows.append(summarise(0, 0.0, st0, frames.new_frames(), soak.counts, loadavg(),
                              [(0.0, st0.get("VmRSS", 0) / 1024, st0.get("RssAnon", 0) / 1024)]))
        if not args.no_shots:
            soak.screenshot("minute00")
        print(table(rows))
        # Input time: --minutes of it, in minutes of input each followed by the quiet sample
        # (the pause for it is not counted as input).
        input_left = args.minutes * 60
        minute = 0
        while input_left > 0 and died is None:
            span = min(60.0, input_left)
            input_left -= span
            stop_at = time.monotonic() + span
            while time.monotonic() < stop_at:
                if not soak.alive():
                    died = f"bcmap exited with {v.app.returncode} after {time.monotonic() - soak.t0:.0f} s"
                    break
                soak.step(log)
            if died:
                break
            minute += 1
            samples = sampler.take()  # the minute's, before the pause
            soak.quiet()
            elapsed = time.monotonic() - soak.t0
            rows.append(summarise(minute, elapsed, proc_status(pid), frames.new_frames(), soak.counts, loadavg(),
                                  samples))
            soak.counts = {k: 0 for k in ACTION_KINDS}
            if not args.no_shots:
                soak.screenshot(f"minute{minute:02d}")
            soak.after_quiet()
            print(table(rows).split("\n")[-1], flush=True)
        sampler.stop()
        log.close()
        events = soak.error_log
        if died is None:
            # Quit as a user does (Ctrl+Q over the map): the session is saved, threads joined.
            s = v.state()
            if s and s["time"].get("playing"):
                soak.pointer_on_map(s)
                soak.xdo("key", "space")
            soak.pointer_on_map(s)
            soak.xdo("key", "ctrl+q")
            try:
                quit_rc = v.app.wait(timeout=30)
            except subprocess.TimeoutExpired:
                quit_rc = "hung"
    except vh.Failure as e:
        died = died or str(e)
    finally:
        v.stop()
    info["loadEnd"] = loadavg()

    if not rows:
        print(f"soak: FAIL: {died}", file=sys.stderr)
        return 1
    base = rows[1] if len(rows) > 1 else rows[0]
    last = rows[-1]

    def pct(a, b):
        return (b - a) / a * 100 if a else 0.0

    growth = pct(base["rssMiB"], last["rssMiB"])
    median_growth = pct(base["rssMedianMiB"] or 0, last["rssMedianMiB"] or 0)
    peak_after = max((r["rssMaxMiB"] or r["rssMiB"]) for r in rows[1:]) if len(rows) > 1 else base["rssMiB"]
    print()
    print(table(rows))
    print(f"\nQuiet RSS after minute 1: {base['rssMiB']:.1f} MiB; at the end: {last['rssMiB']:.1f} MiB "
          f"({growth:+.1f} %). Median of the per-second samples, minute 1 -> last: {base['rssMedianMiB']} -> "
          f"{last['rssMedianMiB']} MiB ({median_growth:+.1f} %); the most after minute 1: {peak_after:.1f} MiB. "
          f"Load average {info['loadStart']} -> {info['loadEnd']}.")
    if events:
        print(f"{len(events)} actions did not finish (the run went on):")
        for e in events[:20]:
            print("  " + e)
    failures = []
    if died:
        failures.append(f"the viewer died: {died}")
    elif quit_rc != 0:
        failures.append(f"Ctrl+Q: bcmap exited with {quit_rc}")
    if len(rows) > 2 and growth > args.max_growth:
        failures.append(f"quiet RSS grew {growth:.1f} % after the first minute (limit {args.max_growth:g} %)")

    result = {"machine": info, "minutes": args.minutes, "points": args.points, "seed": args.seed,
              "only": args.only or list(ACTION_KINDS), "samples": rows, "rssGrowthPercent": round(growth, 2),
              "rssMedianGrowthPercent": round(median_growth, 2),
              "rssPeakAfterMinute1MiB": peak_after, "quitExit": quit_rc, "died": died, "actionErrors": events,
              "failures": failures, "screenshots": [os.path.relpath(p, args.out) for p in (soak.shots if soak else [])]}
    with open(os.path.join(args.out, "soak.json"), "w", encoding="utf-8") as f:
        json.dump(result, f, indent=1, ensure_ascii=False)
    cols = ["minute", "elapsedS", "rssMiB", "anonMiB", "rssMinMiB", "rssMedianMiB", "rssMaxMiB", "samples", "hwmMiB",
            "fileMiB", "threads", "fds", "frames", "medianMs", "p95Ms", "maxMs", "load"]
    with open(os.path.join(args.out, "soak.csv"), "w", encoding="utf-8") as f:
        f.write(",".join(cols) + "\n")
        for r in rows:
            f.write(",".join("" if r[c] is None else str(r[c]) for c in cols) + "\n")
    if sampler is not None:
        with open(os.path.join(args.out, "rss.csv"), "w", encoding="utf-8") as f:
            f.write("seconds,rssMiB,anonMiB\n")
            for t, rss, anon in sampler.all:
                f.write(f"{t},{rss:.1f},{anon:.1f}\n")
    print(f"results: {os.path.join(args.out, 'soak.csv')}, soak.json, rss.csv; shots in {os.path.join(args.out, 'shots')}")
    if failures:
        print("soak: FAIL: " + "; ".join(failures), file=sys.stderr)
        return 1
    print("soak: PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
