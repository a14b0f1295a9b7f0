#!/usr/bin/env python3
"""Issue 11's side-by-side figures, run by `make bench` after bcmap_bench: 10M points,
QGIS 3.22 headless, PostGIS 1M and 10M rows. Writes its section of bench/RESULTS.md (between
its markers; the rest of the file is kept) and prints it.

    python3 bench/issue11_bench.py --build BUILD [--out bench/RESULTS.md] [--runs 3]
                                   [--only tenm,qgis,pg] [--pg-rows 1000000,10000000]
    python3 bench/issue11_bench.py --build BUILD --out bench/RESULTS.md --only report
        (measures nothing: writes the section again from each part's last results)

Sections: helpers (processes, medians, load) · 1. 10M points · 2. QGIS side by side ·
3. PostGIS · report · main

Every time is a whole process (spawn to exit, wall), the median of --runs fresh processes;
memory is the process's peak resident set (ru_maxrss from wait4). The machine may be shared:
the load average (/proc/loadavg, 1 min) is recorded before every measured set and printed
beside it. Point files come from `bcmap_bench --generate` (the 1M sets' generator and seed)
into BUILD/bench/cache, never into the repository. bcmap's data cache goes to a folder of
its own there (XDG_CACHE_HOME), so a run neither reads nor evicts the user's cache.
"""
import argparse
import json
import os
import select
import shutil
import signal
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(SOURCE, "tests", "db"))

BEGIN = "<!-- issue11 round 4: written by bench/issue11_bench.py -->"
END = "<!-- end of issue11_bench.py's section -->"
SIZE = "1920x1080"
# Debian's python3-qgis is for Debian's Python: not a pyenv or virtualenv python3 on PATH.
QGIS_PYTHON = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable
TEN_M = 10_000_000
ONE_M = 1_000_000


# ---- helpers -----------------------------------------------------------------------------
def count_name(n):
    """10000000 -> "10m", 10000 -> "10k" (tags and file names)."""
    return f"{n // ONE_M}m" if n >= ONE_M and n % ONE_M == 0 else f"{n // 1000}k" if n % 1000 == 0 else str(n)


def load1():
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])


def run_measured(argv, env=None, timeout=1800):
    """(exit code, wall seconds, peak RSS MiB, output): fork/exec with output to a pipe read
    to the end, then wait4 for the child's own rusage (not the sum over all children). Linux
    keeps a process's peak across exec, so a peak is at least this script's own resident set
    at the fork (~12 MiB): every command measured here peaks well above it."""
    child_env = {**os.environ, **(env or {})}
    r, w = os.pipe()
    t0 = time.monotonic()
    pid = os.fork()
    if pid == 0:  # child
        os.close(r)
        os.dup2(w, 1)
        os.dup2(w, 2)
        try:
            os.execvpe(argv[0], argv, child_env)
        finally:
            os._exit(127)
    os.close(w)
    chunks = []
    deadline = t0 + timeout
    while True:
        # Waits a second at most, so a child that hangs silently is still killed at the deadline.
        if select.select([r], [], [], 1.0)[0]:
            b = os.read(r, 65536)
            if not b:
                break
            chunks.append(b)
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            break
    os.close(r)
    _, status, usage = os.wait4(pid, 0)
    wall = time.monotonic() - t0
    code = os.waitstatus_to_exitcode(status)
    return code, wall, usage.ru_maxrss / 1024.0, b"".join(chunks).decode(errors="replace")


class Set:
    """--runs fresh processes of one command, with the load before them."""

    def __init__(self, label, argv, runs, env=None, before=None):
        self.label, self.argv = label, argv
        self.load = load1()
        self.walls, self.peaks, self.failures, self.error = [], [], 0, ""
        for _ in range(runs):
            if before:
                before()
            code, wall, peak, out = run_measured(argv, env)
            if code != 0:
                self.failures += 1
                self.error = f"exit {code}: {' '.join(out.split())[-400:]}"  # one line: it goes in a table
                continue
            self.walls.append(wall)
            self.peaks.append(peak)
        self.load_after = load1()
        print(f"issue11_bench: {label}: {self.describe()}", file=sys.stderr)

    @classmethod
    def from_json(cls, j):
        """A set measured by an earlier run, read back from its part's results file."""
        st = cls.__new__(cls)
        st.label, st.argv, st.walls, st.peaks = j["label"], j["argv"], j["walls"], j["peaks"]
        st.load, st.load_after = j["load"]
        st.failures, st.error = j["failures"], j["error"]
        return st

    def wall(self):
        return statistics.median(self.walls) if self.walls else float("nan")

    def peak(self):
        return statistics.median(self.peaks) if self.peaks else float("nan")

    def describe(self):
        if not self.walls:
            return f"failed ({self.error})"
        return (f"{self.wall():.2f} s ({min(self.walls):.2f}–{max(self.walls):.2f}), {self.peak():.0f} MiB, "
                f"load {self.load:.1f}→{self.load_after:.1f}"
                + (f", {self.failures} failed: {self.error}" if self.failures else ""))

    def as_json(self):
        return {"label": self.label, "argv": self.argv, "walls": self.walls, "peaks": self.peaks,
                "load": [self.load, self.load_after], "failures": self.failures, "error": self.error}


def s(v):
    return "–" if v != v else f"{v:.2f} s"


def mib(v):
    return "–" if v != v else f"{v:.0f} MiB"


def spread(st):
    return f"{min(st.walls):.2f}–{max(st.walls):.2f}" if st.walls else "–"


def ratio(a, b):
    return "–" if not (a == a and b == b) or a <= 0 else f"{b / a:.1f}×"


def shorten(argv, ctx):
    """A command as the report shows it: no machine paths."""
    out = []
    for a in argv:
        for path, name in ctx.names.items():
            a = a.replace(path, name)
        out.append(a)
    return " ".join(out)


def counties_bbox(geodata):
    with open(os.path.join(geodata, "baicheng_counties.geojson"), encoding="utf-8") as f:
        fc = json.load(f)
    xs, ys = [], []

    def walk(c):
        if isinstance(c[0], (int, float)):
            xs.append(c[0])
            ys.append(c[1])
        else:
            for x in c:
                walk(x)
    for feat in fc["features"]:
        walk(feat["geometry"]["coordinates"])
    return f"{min(xs):.6f},{min(ys):.6f},{max(xs):.6f},{max(ys):.6f}"


class Ctx:
    def __init__(self, a):
        self.runs = a.runs
        self.build = os.path.abspath(a.build)
        self.bcmap = os.path.join(self.build, "bcmap")
        self.bench_exe = os.path.join(self.build, "bench", "bcmap_bench")
        self.cache = os.path.abspath(a.cache or os.path.join(self.build, "bench", "cache"))
        self.out_dir = os.path.join(self.cache, "issue11")
        os.makedirs(self.out_dir, exist_ok=True)
        self.geodata = os.path.join(SOURCE, "geodata")
        self.counties = os.path.join(self.geodata, "baicheng_counties.geojson")
        self.bbox = counties_bbox(self.geodata)
        # bcmap's own data cache, for this bench only.
        self.xdg = os.path.join(self.cache, "xdg")
        self.env = {"XDG_CACHE_HOME": os.path.join(self.xdg, "cache"),
                    "XDG_CONFIG_HOME": os.path.join(self.xdg, "config"),
                    "XDG_STATE_HOME": os.path.join(self.xdg, "state"),
                    "XDG_DATA_HOME": os.path.join(self.xdg, "data")}
        for d in self.env.values():
            os.makedirs(d, exist_ok=True)
        self.names = {self.bcmap: "bcmap", self.out_dir + "/": "", self.cache + "/": "",
                      self.counties: "geodata/baicheng_counties.geojson", HERE + "/": "bench/",
                      QGIS_PYTHON: "python3"}
        self.files = {}
        self.results = {}
        self.dates = {}  # part -> when it was measured

    def render(self, png, *sources, extra=(), bbox=None):
        return [self.bcmap, "render", "--layers", "counties", "--size", SIZE, "--bbox", bbox or self.bbox,
                "--point-size", "4", *extra, "--out", os.path.join(self.out_dir, png), *sources]

    def clear_data_cache(self):
        shutil.rmtree(os.path.join(self.env["XDG_CACHE_HOME"], "bcmap", "data"), ignore_errors=True)

    def point_file(self, n, ext):
        key = (n, ext)
        if key not in self.files:
            code, wall, _, out = run_measured([self.bench_exe, "--generate", str(n), "--formats", ext,
                                               "--cache", self.cache])
            if code != 0:
                sys.exit(f"issue11_bench: generating {n} points ({ext}) failed: {out}")
            _, path, secs = out.strip().splitlines()[-1].split("\t")
            self.files[key] = path
            self.names[path] = os.path.basename(path)
            # How long the file took when it was made (0 from --generate: made by an earlier run),
            # kept beside the files so the report can still say it.
            log = os.path.join(self.cache, "generation_times.json")
            times = json.load(open(log)) if os.path.exists(log) else {}
            name = os.path.basename(path)
            if float(secs) > 0:
                times[name] = {"seconds": float(secs), "load": load1(),
                               "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}
                with open(log, "w") as f:
                    json.dump(times, f, indent=1)
            made = times.get(name, {"seconds": float("nan"), "load": float("nan"),
                                    "when": "by an earlier bench run (time not kept)"})
            self.results.setdefault("generated", {})[name] = {**made, "bytes": os.path.getsize(path)}
        return self.files[key]


# ---- 1. 10M points --------------------------------------------------------------------------
def bench_tenm(ctx):
    r = ctx.results.setdefault("tenm", {})
    r["counties_render"] = Set("counties alone, render", ctx.render("counties.png"), ctx.runs, ctx.env)
    r["counties_layers"] = Set("counties alone, layers", [ctx.bcmap, "layers", "--layers", "counties"],
                               ctx.runs, ctx.env)
    for ext in ("fgb", "gpkg"):
        path = ctx.point_file(TEN_M, ext)
        r[f"{ext}_cold"] = Set(f"10M {ext} render --no-cache", ctx.render(f"10m_{ext}_cold.png", path,
                                                                          extra=("--no-cache",)), ctx.runs, ctx.env)
        ctx.clear_data_cache()
        r[f"{ext}_first"] = Set(f"10M {ext} render, first run (writes the cache entry)",
                                ctx.render(f"10m_{ext}_first.png", path), 1, ctx.env)
        r[f"{ext}_warm"] = Set(f"10M {ext} render, warm", ctx.render(f"10m_{ext}_warm.png", path), ctx.runs, ctx.env)
        r[f"{ext}_layers"] = Set(f"10M {ext} layers --no-cache (read, no draw)",
                                 [ctx.bcmap, "layers", "--layers", "counties", "--no-cache", path], ctx.runs, ctx.env)
        ctx.clear_data_cache()


# ---- 2. QGIS side by side ---------------------------------------------------------------------
def qgis_available():
    p = subprocess.run([QGIS_PYTHON, "-c", "import qgis.core; print(qgis.core.Qgis.QGIS_VERSION)"],
                       capture_output=True, text=True, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    return p.stdout.strip() if p.returncode == 0 else None


def bench_qgis(ctx):
    r = ctx.results.setdefault("qgis", {})
    version = qgis_available()
    r["version"] = version
    if not version:
        print("issue11_bench: QGIS not importable (python3-qgis); skipped", file=sys.stderr)
        return
    script = os.path.join(HERE, "qgis_render.py")
    env = {**ctx.env, "QT_QPA_PLATFORM": "offscreen"}
    cases = [(ONE_M, "gpkg"), (ONE_M, "fgb"), (ONE_M, "geojson"), (TEN_M, "fgb")]
    for n, ext in cases:
        path = ctx.point_file(n, ext)
        tag = f"{count_name(n)}_{ext}"
        r[f"{tag}_bcmap"] = Set(f"{tag} bcmap --no-cache", ctx.render(f"{tag}_bcmap.png", path, extra=("--no-cache",)),
                                ctx.runs, ctx.env)
        r[f"{tag}_qgis"] = Set(f"{tag} QGIS", [QGIS_PYTHON, script, "--out", os.path.join(ctx.out_dir, f"{tag}_qgis.png"),
                                               "--size", SIZE, "--bbox", ctx.bbox, "--counties", ctx.counties, path],
                               ctx.runs, env)


# ---- 3. PostGIS ------------------------------------------------------------------------------
def server_time(server):
    """The statements that took the server's time since the last reset, longest first: what a
    render waits for on the server, per statement (mean over the runs)."""
    import pg_fixture
    out = server.sql(pg_fixture.DBNAME,
                     "SELECT round(mean_exec_time::numeric, 1), calls, rows, "
                     "regexp_replace(left(query, 110), '[[:space:]|]+', ' ', 'g') FROM pg_stat_statements "
                     "WHERE query NOT ILIKE '%pg_stat_statements%' ORDER BY total_exec_time DESC LIMIT 4")
    rows = []
    for line in out.splitlines():
        mean, calls, nrows, query = line.split("|", 3)
        rows.append({"mean_ms": float(mean), "calls": int(calls), "rows": int(nrows), "query": query.strip()})
    return rows


def bench_pg(ctx, rows):
    import pg_fixture
    r = ctx.results.setdefault("pg", {})
    # Zoomed: a box of about 6 x 4 km around Baicheng's city centre (Taobei).
    zoom = "122.80,45.60,122.88,45.64"
    r["tags"] = [count_name(n) for n in rows]
    for n in rows:
        tag = count_name(n)
        server = pg_fixture.PgServer()
        try:
            server.start()
            load = load1()
            t0 = time.monotonic()
            pg_fixture.generate_points(server, "public.dense", n)
            r[f"{tag}_generate"] = {"seconds": time.monotonic() - t0, "load": load}
            url = (f"postgresql://{pg_fixture.SUPERUSER}@127.0.0.1:{server.port}/{pg_fixture.DBNAME}"
                   f"?table=public.dense")
            ctx.names[url] = "postgresql://bcmap@127.0.0.1:PORT/bcmap?table=public.dense"
            r[f"{tag}_prepare"] = Set(f"PG {tag} db prepare", [ctx.bcmap, "db", "prepare", url], 1, ctx.env)
            r[f"{tag}_prepare_again"] = Set(f"PG {tag} db prepare (current)", [ctx.bcmap, "db", "prepare", url], 1,
                                            ctx.env)
            # In public: the user's schema (bcmap, made by db prepare, dropped below) comes first otherwise.
            server.sql(pg_fixture.DBNAME, "CREATE EXTENSION IF NOT EXISTS pg_stat_statements SCHEMA public")

            def measured(key, label, argv):
                """The set, and where the server spent its time during it (pg_stat_statements)."""
                server.sql(pg_fixture.DBNAME, "SELECT pg_stat_statements_reset()")
                r[f"{tag}_{key}"] = Set(f"PG {tag} {label}", argv, ctx.runs, ctx.env)
                r[f"{tag}_{key}_sql"] = server_time(server)
            measured("overviews", "full view, overviews", ctx.render(f"pg_{tag}_ov.png", url))
            measured("zoom", "zoomed view, overviews present", ctx.render(f"pg_{tag}_zoom.png", url, bbox=zoom))
            server.sql(pg_fixture.DBNAME, "DROP SCHEMA bcmap CASCADE")
            measured("live", "full view, no overviews", ctx.render(f"pg_{tag}_live.png", url))
        except (pg_fixture.ServerUnavailable, OSError, subprocess.SubprocessError) as e:
            r[f"{tag}_error"] = str(e)
            print(f"issue11_bench: PostGIS {tag}: {e}", file=sys.stderr)
        finally:
            server.stop()


# ---- report -------------------------------------------------------------------------------
def report(ctx, started):
    R = ctx.results
    md = [BEGIN, "## Issue 11 round 4: 10M points, QGIS side by side, PostGIS 10M", ""]
    md.append(f"Written by `bench/issue11_bench.py` (run by `make bench` after `bcmap_bench`); each part says when "
              "it was measured (`--only PART` measures one again and keeps the others' last results). "
              f"Every time is a whole process, spawn to exit, the **median of {ctx.runs} runs** (range beside it), "
              "each a fresh process; memory is its peak resident set (`ru_maxrss` through `wait4`). 1920x1080 PNG, "
              f"EPSG:3857, the counties' box (`--bbox {ctx.bbox}`), points as 4 px discs. "
              "**The machine is shared** with other builds: the 1-minute load average before each set "
              "is in its row (2 cores: a load of 2 or more slows every figure).")
    md += ["", f"Machine: {machine()}; GL: Mesa's llvmpipe through EGL (as in the Machine table above); "
               "PostgreSQL 15 + PostGIS 3.3 (Debian)."]
    md.append("")
    gen = R.get("generated", {})
    if gen:
        md += ["Point files (`bcmap_bench --generate N --formats …`: the 1M sets' generator, seed and attributes; "
               "made once into `$(BUILD)/bench/cache`, never committed; the time it took when it was made):", "",
               "| file | size | generation (GDAL's C API, feature by feature) | load | made |",
               "|---|---:|---:|---:|---|"]
        for k, v in gen.items():
            made = "–" if v["seconds"] != v["seconds"] else f"{v['seconds']:.1f} s"
            load = "–" if v["load"] != v["load"] else f"{v['load']:.1f}"
            md.append(f"| {k} | {v['bytes'] / 2**20:.0f} MiB | {made} | {load} | {v['when']} |")
        md.append("")

    def row(label, st, extra=""):
        return (f"| {label} | {s(st.wall())} | {spread(st)} | {mib(st.peak())} | {st.load:.1f} |{extra}"
                + (f" **{st.failures} failed**: {st.error[:120]} |" if st.failures else ""))

    t = R.get("tenm")
    if t:
        base_r, base_l = t["counties_render"], t["counties_layers"]
        md += [f"### Counties + 10M points, `bcmap render` ({ctx.dates.get('tenm', started)})", "",
               f"`{shorten(t['fgb_cold'].argv, ctx)}`; warm: the same without `--no-cache` after one run that wrote "
               "the data cache entry; read only: `bcmap layers --layers counties --no-cache FILE` (reads the table, "
               "styles it, draws nothing).", "",
               "| run | median | range | peak RSS | load |", "|---|---:|---:|---:|---:|",
               row("counties alone, `render`", base_r), row("counties alone, `layers`", base_l)]
        for ext, name in (("fgb", "FlatGeobuf"), ("gpkg", "GeoPackage")):
            md += [row(f"10M {name}, cold (`--no-cache`)", t[f"{ext}_cold"]),
                   row(f"10M {name}, first run with the cache (reads, writes the entry)", t[f"{ext}_first"]),
                   row(f"10M {name}, warm (cache entry)", t[f"{ext}_warm"]),
                   row(f"10M {name}, `layers` (read only, no draw)", t[f"{ext}_layers"])]
        md += ["", "| memory added by 10M points | FlatGeobuf | GeoPackage |", "|---|---:|---:|"]

        def added(ext, key, base):
            return t[f"{ext}_{key}"].peak() - base.peak()
        md.append("| `render` cold, minus counties alone | " + " | ".join(
            f"{added(e, 'cold', base_r):.0f} MiB = {added(e, 'cold', base_r) * 2**20 / TEN_M:.0f} B/pt"
            for e in ("fgb", "gpkg")) + " |")
        md.append("| `render` warm, minus counties alone | " + " | ".join(
            f"{added(e, 'warm', base_r):.0f} MiB = {added(e, 'warm', base_r) * 2**20 / TEN_M:.0f} B/pt"
            for e in ("fgb", "gpkg")) + " |")
        md.append("| the table (`layers`, minus counties alone) | " + " | ".join(
            f"{added(e, 'layers', base_l):.0f} MiB = {added(e, 'layers', base_l) * 2**20 / TEN_M:.0f} B/pt"
            for e in ("fgb", "gpkg")) + " |")
        md.append("| drawing (render cold minus `layers`: display copy, labels, GL buffers in llvmpipe) | " + " | ".join(
            f"{t[e + '_cold'].peak() - t[e + '_layers'].peak() - (base_r.peak() - base_l.peak()):.0f} MiB"
            for e in ("fgb", "gpkg")) + " |")
        md.append("")

    q = R.get("qgis")
    if q is not None:
        md += [f"### QGIS 3.22 side by side ({ctx.dates.get('qgis', started)})", ""]
        if not q.get("version"):
            md += ["QGIS was not importable (`python3-qgis` missing): not run.", ""]
        else:
            md += [f"QGIS {q['version']} (Debian's `python3-qgis`), `QT_QPA_PLATFORM=offscreen python3 "
                   "bench/qgis_render.py --out X.png --size 1920x1080 --bbox BOX --counties "
                   "geodata/baicheng_counties.geojson FILE`: the same layers (counties by adcode in the counties "
                   "plugin's colours, 4 px discs) to a PNG through `QgsMapRendererParallelJob`, timed as a whole "
                   "process like bcmap. bcmap: `bcmap render … --no-cache FILE` (cold: no data cache; the OS file "
                   "cache as it is, both read the same files).", "",
                   "| points | bcmap | peak | load | QGIS 3.22 | peak | load | QGIS / bcmap |",
                   "|---|---:|---:|---:|---:|---:|---:|---:|"]
            for tag, name in (("1m_gpkg", "1M GeoPackage"), ("1m_fgb", "1M FlatGeobuf"), ("1m_geojson", "1M GeoJSON"),
                              ("10m_fgb", "10M FlatGeobuf")):
                b, g = q.get(f"{tag}_bcmap"), q.get(f"{tag}_qgis")
                if not b or not g:
                    continue
                md.append(f"| {name} | {s(b.wall())} ({spread(b)}) | {mib(b.peak())} | {b.load:.1f} | "
                          f"{s(g.wall())} ({spread(g)}) | {mib(g.peak())} | {g.load:.1f} | "
                          f"**{ratio(b.wall(), g.wall())}** |"
                          + (f" bcmap failed: {b.error[:100]} |" if b.failures else "")
                          + (f" QGIS failed: {g.error[:100]} |" if g.failures else ""))
            md.append("")

    p = R.get("pg")
    if p:
        md += [f"### PostGIS 1M and 10M rows ({ctx.dates.get('pg', started)})", "",
               "`tests/db/pg_fixture.py`'s `PgServer` (PostgreSQL 15 + PostGIS 3 in a temporary cluster, "
               "`fsync=off`, `shared_buffers=128MB`), the table made server-side by `pg_fixture.generate_points` "
               "(`generate_series`, `random()` over Baicheng, GiST index, `ANALYZE`). Then `bcmap db prepare URL`, "
               "renders of the full view (`--bbox` the counties' box) with the overviews, a zoomed view "
               "(`--bbox 122.80,45.60,122.88,45.64`, about 6 x 4 km) with the overviews present, and the full view "
               "again after `DROP SCHEMA bcmap CASCADE` (no overviews: live aggregation).", ""]
        md += ["| rows | work | median | range | peak RSS (bcmap) | load |", "|---|---|---:|---:|---:|---:|"]
        for tag in p.get("tags", []):
            if f"{tag}_error" in p:
                md.append(f"| {tag.upper()} | server failed: {' '.join(p[tag + '_error'].split())[:150]} | | | | |")
                continue
            if f"{tag}_generate" not in p:
                continue
            g = p[f"{tag}_generate"]
            md.append(f"| {tag.upper()} | table made on the server (`generate_series` + GiST + ANALYZE) | "
                      f"{g['seconds']:.1f} s | one run | | {g['load']:.1f} |")
            for key, label in (("prepare", "`bcmap db prepare` (overviews built)"),
                               ("prepare_again", "`bcmap db prepare` again (current: nothing to do)"),
                               ("overviews", "full view, overviews"), ("zoom", "zoomed view, overviews present"),
                               ("live", "full view, no overviews (live)")):
                st = p.get(f"{tag}_{key}")
                if st:
                    md.append(f"| {tag.upper()} | {label} | {s(st.wall())} | {spread(st)} | {mib(st.peak())} | "
                              f"{st.load:.1f} |" + (f" **{st.failures} failed**: {st.error[:150]} |" if st.failures else ""))
        md.append("")
        sql = [(tag, key) for tag in p.get("tags", []) for key in ("overviews", "live")
               if p.get(f"{tag}_{key}_sql")]
        if sql:
            md += ["Where the server's time goes during the full-view renders (`pg_stat_statements`, the longest "
                   "statements; mean per call over the runs):", "",
                   "| rows | view | statement (start) | calls | mean | rows returned (all calls) |",
                   "|---|---|---|---:|---:|---:|"]
            for tag, key in sql:
                for q in p[f"{tag}_{key}_sql"]:
                    md.append(f"| {tag.upper()} | {key} | `{q['query'][:100]}` | {q['calls']} | "
                              f"{q['mean_ms']:,.0f} ms | {q['rows']:,} |")
            md.append("")
    md.append(END)
    return "\n".join(md) + "\n"


def machine():
    """One line: CPU, cores, memory, OS (the GL renderer is the Machine table's, above)."""
    cpu = "?"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        mem_gib = int(f.readline().split()[1]) / 2**20
    os_name = "?"
    if os.path.exists("/etc/os-release"):
        with open("/etc/os-release") as f:
            for line in f:
                if line.startswith("PRETTY_NAME="):
                    os_name = line.split("=", 1)[1].strip().strip('"')
    return f"{cpu}, {os.cpu_count()} cores, {mem_gib:.1f} GiB, {os_name}"


def write_section(path, section):
    text = open(path, encoding="utf-8").read() if os.path.exists(path) else ""
    if BEGIN in text and END in text:
        a, b = text.index(BEGIN), text.index(END) + len(END) + 1
        text = text[:a] + section + text[b:]
    else:
        anchor = "## Issue 11: today's figures against its targets"
        at = text.find(anchor)
        text = text[:at] + section + "\n" + text[at:] if at >= 0 else text + "\n" + section
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


# ---- main ---------------------------------------------------------------------------------
def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default="build")
    ap.add_argument("--out", help="the results file to put the section in (bench/RESULTS.md)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--only", default="tenm,qgis,pg")
    ap.add_argument("--pg-rows", default="1000000,10000000")
    ap.add_argument("--cache", help="point files and outputs (default BUILD/bench/cache)")
    a = ap.parse_args()
    ctx = Ctx(a)
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    only = a.only.split(",")
    print(f"issue11_bench: load {open('/proc/loadavg').read().strip()}", file=sys.stderr)

    # Parts not run this time keep their last results (each part's own file, with its date),
    # so one part can be measured again without the others.
    parts = ("tenm", "qgis", "pg")
    for part in parts:
        path = os.path.join(ctx.out_dir, f"results_{part}.json")
        if part not in only and os.path.exists(path):
            with open(path) as f:
                saved = json.load(f)
            ctx.results[part] = {k: (Set.from_json(v) if isinstance(v, dict) and "walls" in v else v)
                                 for k, v in saved["results"].items()}
            ctx.results.setdefault("generated", {}).update(saved.get("generated", {}))
            ctx.dates[part] = saved["date"]

    def flush(part=None, last=False):
        """The section so far, written after every part: a later part that fails keeps the rest."""
        if part:
            ctx.dates[part] = started
            with open(os.path.join(ctx.out_dir, f"results_{part}.json"), "w") as f:
                json.dump({"date": started, "generated": ctx.results.get("generated", {}),
                           "results": {k: (v.as_json() if isinstance(v, Set) else v)
                                       for k, v in ctx.results.get(part, {}).items()}}, f, indent=1)
        section = report(ctx, started)
        if a.out:
            write_section(a.out, section)
        if last:
            print(section)
            if a.out:
                print(f"issue11_bench: wrote {a.out}", file=sys.stderr)

    if "tenm" in only:
        bench_tenm(ctx)
        flush("tenm")
    if "qgis" in only:
        bench_qgis(ctx)
        flush("qgis")
    if "pg" in only:
        bench_pg(ctx, [int(v) for v in a.pg_rows.split(",")])
        flush("pg")
    flush(last=True)


if __name__ == "__main__":
    main()
