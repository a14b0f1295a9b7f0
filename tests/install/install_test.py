#!/usr/bin/env python3
"""bcmap installed like real software, then moved: the prefix must still work.

Sections:
1. install into a temporary prefix and move it elsewhere
2. the tree: the files every install has, nothing that must not be there, no build paths
3. the moved bcmap: --version, layers (its plugins from the moved prefix), render
4. the SDK: the template built against only the installed package, loaded by bcmap
5. a plugin author's project: the moved `bcmap new-plugin` writes it, it builds against only
   the moved prefix, its own ctest passes (check-plugin), `cmake --install` puts it into a
   temporary XDG_DATA_HOME, and the moved bcmap lists it from there, renders it and passes
   `check-plugin` on the installed folder

Usage: install_test.py --build BUILD --source SRC --cmake CMAKE --cxx CXX --version X.Y.Z
                       --bindir bin --libdir lib --libexecdir libexec --includedir include
                       --datadir share --mandir share/man
(the folders are GNUInstallDirs', relative to the prefix, as the build configured them).
"""
import argparse
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile


class Failure(Exception):
    pass


def check(cond, msg):
    if not cond:
        raise Failure(msg)


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, timeout=240, **kw)


def clean_env(tmp):
    """An environment that points bcmap at nothing of this machine's user: no data folder,
    its own probe cache and session, its own XDG data home (empty until check_binary fetches the data into it)."""
    env = dict(os.environ)
    for var in ("BCMAP_DATA_DIR", "BCMAP_PROBE", "BCMAP_SESSION", "BCMAP_PROBE_TIMEOUT_MS"):
        env.pop(var, None)
    env["HOME"] = os.path.join(tmp, "home")
    env["XDG_DATA_HOME"] = os.path.join(tmp, "xdg-data")
    env["XDG_CONFIG_HOME"] = os.path.join(tmp, "xdg-config")
    env["BCMAP_CACHE_DIR"] = os.path.join(tmp, "cache")
    for d in ("HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "BCMAP_CACHE_DIR"):
        os.makedirs(env[d], exist_ok=True)
    return env


# ---- 1. install and move ------------------------------------------------------------------
def install_and_move(a, tmp):
    stage = os.path.join(tmp, "stage")
    env = dict(os.environ)
    env.pop("DESTDIR", None)
    r = run([a.cmake, "--install", a.build, "--prefix", stage], env=env)
    check(r.returncode == 0, f"cmake --install failed ({r.returncode}):\n{r.stdout}{r.stderr}")
    moved = os.path.join(tmp, "elsewhere", "bcmap-moved")
    os.makedirs(os.path.dirname(moved))
    os.rename(stage, moved)
    print(f"installed into {stage}, moved to {moved}")
    return moved


# ---- 2. the tree --------------------------------------------------------------------------
def shipped_plugins(build):
    return sorted(os.path.basename(p) for p in glob.glob(os.path.join(build, "plugins", "bcmap_*.so")))


def check_tree(a, prefix):
    d = a
    must = [
        f"{d.bindir}/bcmap",
        f"{d.libexecdir}/bcmap/bcmap-probe",
        f"{d.includedir}/bcmap/bcmap_plugin.h",
        f"{d.includedir}/bcmap/bcmap_plugin.hpp",
        f"{d.libdir}/cmake/bcmap/bcmapConfig.cmake",
        f"{d.libdir}/cmake/bcmap/bcmapConfigVersion.cmake",
        f"{d.libdir}/cmake/bcmap/BcmapPlugin.cmake",
        f"{d.libdir}/pkgconfig/bcmap-plugin.pc",
        f"{d.datadir}/applications/bcmap.desktop",
        f"{d.datadir}/icons/hicolor/scalable/apps/bcmap.svg",
        f"{d.mandir}/man1/bcmap.1.gz",
        f"{d.datadir}/bash-completion/completions/bcmap",
    ] + [f"{d.datadir}/bcmap/plugin-template/{f}" for f in TEMPLATE_FILES]
    for rel in must:
        check(os.path.isfile(os.path.join(prefix, rel)), f"the install lacks {rel}")
    for rel in (f"{d.bindir}/bcmap", f"{d.libexecdir}/bcmap/bcmap-probe"):
        check(os.access(os.path.join(prefix, rel), os.X_OK), f"{rel} is not executable")

    plugin_dir = os.path.join(prefix, d.libdir, "bcmap", "plugins")
    installed = sorted(f for f in os.listdir(plugin_dir) if f.endswith(".so"))
    expected = shipped_plugins(a.build)
    check(expected, f"the build has no plugins in {a.build}/plugins")
    check(installed == expected, f"installed plugins {installed}, shipped {expected}")
    print(f"{len(installed)} plugins in {d.libdir}/bcmap/plugins")

    # Nothing derived (the county geometry is AMap's and is never shipped), no tests,
    # fixtures or bench.
    files = []
    for root, dirs, names in os.walk(prefix):
        check("geodata" not in dirs, f"a geodata folder in the install: {root}")
        files += [os.path.relpath(os.path.join(root, n), prefix) for n in names]
    for f in files:
        base = os.path.basename(f)
        if f.startswith(os.path.join(d.datadir, "bcmap", "plugin-template") + os.sep):
            continue  # new-plugin's project: three made-up sample points
        check(not base.endswith(".geojson") and "counties.geo" not in base, f"data in the install: {f}")
        check(not re.search(r"test|fixture|fault|bench", base, re.I), f"a test or bench file in the install: {f}")
    check(sorted(os.listdir(os.path.join(prefix, d.bindir))) == ["bcmap"],
          f"{d.bindir} holds {os.listdir(os.path.join(prefix, d.bindir))}")
    # The probe and the scripts of `bcmap data fetch` (never the data they make).
    data_scripts = ["fetch_counties.py", "fetch_data.py", "fetch_jilin_context.py", "gen_pinyin.mjs",
                    "gen_pinyin.py", "gen_villages.py", "pinned_npm.py", "village_geometry.py",
                    "village_params.py"]
    check(sorted(os.listdir(os.path.join(prefix, d.libexecdir, "bcmap"))) == ["bcmap-probe"] + data_scripts,
          f"{d.libexecdir}/bcmap holds {os.listdir(os.path.join(prefix, d.libexecdir, 'bcmap'))}")
    print(f"{len(files)} files, none of them data, tests or fixtures")

    # No build path compiled in (nor left in debug information).
    banned = {a.source, os.path.realpath(a.source), a.build, os.path.realpath(a.build)}
    for rel in (f"{d.bindir}/bcmap", f"{d.libexecdir}/bcmap/bcmap-probe"):
        r = run(["strings", "-a", os.path.join(prefix, rel)])
        check(r.returncode == 0, f"strings {rel}: {r.stderr}")
        for path in banned:
            hits = [line for line in r.stdout.splitlines() if path in line]
            check(not hits, f"{rel} names {path}: {hits[:3]}")
    print("bcmap and bcmap-probe name neither the source nor the build folder")

    # The .pc file finds the moved prefix's headers.
    if shutil.which("pkg-config"):
        env = dict(os.environ, PKG_CONFIG_PATH=os.path.join(prefix, d.libdir, "pkgconfig"))
        r = run(["pkg-config", "--cflags", "bcmap-plugin"], env=env)
        check(r.returncode == 0, f"pkg-config --cflags bcmap-plugin: {r.stderr}")
        flags = r.stdout.split()
        incs = [f[2:] for f in flags if f.startswith("-I")]
        check(len(incs) == 1 and os.path.realpath(incs[0]) == os.path.realpath(os.path.join(prefix, d.includedir)),
              f"bcmap-plugin.pc gives {r.stdout.strip()!r}, not the moved prefix's {d.includedir}")
        print(f"pkg-config --cflags bcmap-plugin: {r.stdout.strip()}")


TEMPLATE_FILES = ["CMakeLists.txt", "README.md", "plugin.json", "template.cpp", "template_points.geojson"]


def abi_version(a):
    """The plugin ABI the headers speak: the SDK package's version."""
    with open(os.path.join(a.source, "plugins", "sdk", "include", "bcmap", "bcmap_plugin.h"), encoding="utf-8") as f:
        text = f.read()
    major = re.search(r"#define BCMAP_ABI_MAJOR (\d+)u", text).group(1)
    minor = re.search(r"#define BCMAP_ABI_MINOR (\d+)u", text).group(1)
    return f"{major}.{minor}"


# ---- 3. the moved bcmap -------------------------------------------------------------------
def check_binary(a, prefix, tmp):
    bcmap = os.path.join(prefix, a.bindir, "bcmap")
    env = clean_env(tmp)

    r = run([bcmap, "--version"], env=env)
    check(r.returncode == 0, f"bcmap --version exited {r.returncode}: {r.stderr}")
    lines = r.stdout.splitlines()
    print("bcmap --version:\n  " + "\n  ".join(lines))
    check(lines and lines[0] == f"bcmap {a.version}", f"--version starts {lines[:1]}, not 'bcmap {a.version}'")
    for name in ("plugin ABI", "GDAL", "PROJ", "GLFW", "Dear ImGui"):
        check(any(re.match(re.escape(name) + r" \d+\.\d+", line) for line in lines), f"--version lacks {name}")

    r = run([bcmap, "layers", "--json"], env=env)
    check(r.returncode == 0, f"bcmap layers --json exited {r.returncode}: {r.stderr}")
    layers = json.loads(r.stdout)
    plugin_dir = os.path.join(prefix, a.libdir, "bcmap", "plugins")
    # The same layers as the build tree's bcmap lists (vector_file opens FILEs: no layer).
    r = run([os.path.join(a.build, "bcmap"), "layers", "--json"], env=env)
    check(r.returncode == 0, f"the build's bcmap layers --json exited {r.returncode}: {r.stderr}")
    built = sorted((l["id"], os.path.basename(l["plugin"])) for l in json.loads(r.stdout))
    listed = sorted((l["id"], os.path.basename(l["plugin"])) for l in layers)
    check(listed and listed == built, f"the moved bcmap lists {listed}, the build's {built}")
    for l in layers:
        check(os.path.dirname(l["plugin"]) == plugin_dir, f"{l['id']} came from {l['plugin']}, not {plugin_dir}")
    # The moved prefix's bcmap-probe opened them first (its cache names each one, "ok").
    with open(os.path.join(env["BCMAP_CACHE_DIR"], "probe-cache.tsv"), encoding="utf-8") as f:
        probed = [line.split("\t") for line in f if not line.startswith("#")]
    for l in layers:
        check(any(p[0] == l["plugin"] and p[5] == "ok" for p in probed), f"bcmap-probe did not open {l['plugin']}")
    # No data here: the message names where it was looked for (the user's data folder).
    counties = [l for l in layers if l["id"] == "counties"]
    check(counties and counties[0]["status"] == "failed", f"counties without data: {counties}")
    wanted = "The map data is not in " + os.path.join(env["XDG_DATA_HOME"], "bcmap") + ":"
    check(wanted in counties[0]["reason"] and "`bcmap data fetch`" in counties[0]["reason"],
          f"the counties' reason does not name {wanted} and the command: {counties[0]['reason']}")
    print(f"layers: {len(layers)} plugins from the moved prefix; without data: {counties[0]['reason']}")

    # `bcmap data fetch` runs the moved prefix's libexec/bcmap/ scripts into the user's data
    # folder (offline: the tarballs the set-up cached), and the layers then load.
    cache = os.path.join(a.source, "geodata", ".cache")
    if os.path.isdir(cache):
        r = run([bcmap, "data", "fetch", "--cache", cache, "--no-download"], env=env)
        check(r.returncode == 0, f"bcmap data fetch exited {r.returncode}: {r.stdout}{r.stderr}")
        scripts = os.path.join(prefix, a.libexecdir, "bcmap")
        check(f"scripts: {scripts}\n" in r.stdout, f"bcmap data fetch did not run {scripts}' scripts: {r.stdout}")
        r = run([bcmap, "layers", "--json"], env=env)
        counties = [l for l in json.loads(r.stdout) if l["id"] == "counties"]
        check(counties and counties[0]["status"] == "loaded", f"counties after data fetch: {counties}")
        print("data fetch: the moved prefix's scripts filled the user's data folder; counties loaded")

    out = os.path.join(tmp, "x.png")
    r = run([bcmap, "render", "--data", os.path.join(a.source, "geodata"), "--out", out], env=env)
    check(r.returncode == 0, f"bcmap render exited {r.returncode}: {r.stderr}")
    with open(out, "rb") as f:
        check(f.read(8) == b"\x89PNG\r\n\x1a\n", f"{out} is not a PNG")
    print(f"render: {os.path.getsize(out)} bytes of PNG")


# ---- 4. the SDK ---------------------------------------------------------------------------
PROJECT = """cmake_minimum_required(VERSION 3.16)
project(installed_sdk_check LANGUAGES CXX)
set(CMAKE_CXX_STANDARD 20)
set(CMAKE_CXX_STANDARD_REQUIRED ON)
find_package(bcmap {version} REQUIRED)
get_target_property(inc bcmap::sdk INTERFACE_INCLUDE_DIRECTORIES)
message(STATUS "bcmap::sdk includes ${{inc}}")
add_subdirectory(template)
"""


def check_sdk(a, prefix, tmp):
    project = os.path.join(tmp, "plugin_project")
    # A copy of the template, so that nothing of the source tree is near the build.
    shutil.copytree(os.path.join(a.source, "plugins", "template"), os.path.join(project, "template"))
    with open(os.path.join(project, "CMakeLists.txt"), "w", encoding="utf-8") as f:
        f.write(PROJECT.format(version=abi_version(a)))
    build = os.path.join(tmp, "plugin_build")
    r = run([a.cmake, "-S", project, "-B", build, f"-DCMAKE_PREFIX_PATH={prefix}",
             f"-DCMAKE_CXX_COMPILER={a.cxx}", "-DCMAKE_BUILD_TYPE=RelWithDebInfo"])
    check(r.returncode == 0, f"configuring against the installed package failed:\n{r.stdout}{r.stderr}")
    m = re.search(r"bcmap::sdk includes (.*)", r.stdout)
    inc = os.path.join(prefix, a.includedir)
    check(m and os.path.realpath(m.group(1).strip()) == os.path.realpath(inc),
          f"bcmap::sdk does not point at the moved prefix's {inc}: {m.group(1) if m else r.stdout}")
    r = run([a.cmake, "--build", build, "-j", "2"])
    check(r.returncode == 0, f"building the template against the installed package failed:\n{r.stdout}{r.stderr}")
    out = os.path.join(build, "plugins")
    # The template ships a data file (DATA): a folder plugin, bcmap_template/bcmap_template.so.
    check(os.path.isfile(os.path.join(out, "bcmap_template", "bcmap_template.so")),
          f"bcmap_add_plugin did not write {out}/bcmap_template/bcmap_template.so")

    bcmap = os.path.join(prefix, a.bindir, "bcmap")
    r = run([bcmap, "layers", "--plugins", out, "--json"], env=clean_env(tmp))
    check(r.returncode == 0, f"bcmap layers --plugins exited {r.returncode}: {r.stderr}")
    layers = {l["id"]: l for l in json.loads(r.stdout)}
    t = layers.get("template")
    check(t is not None, f"bcmap layers does not list the template: {sorted(layers)}")
    check(t["status"] == "loaded" and t["features"] == 3, f"the template: {t}")
    check(os.path.dirname(os.path.dirname(t["plugin"])) == out, f"the template came from {t['plugin']}, not {out}")
    print(f"template: built with the installed package, {t['status']}, {t['features']} features")


# ---- 5. a plugin author's project -------------------------------------------------------------
def check_new_plugin(a, prefix, tmp):
    name = "demo_wells"
    bcmap = os.path.join(prefix, a.bindir, "bcmap")
    env = clean_env(tmp)
    author = os.path.join(tmp, "author")
    os.makedirs(author)
    r = run([bcmap, "new-plugin", name, author], env=env)
    check(r.returncode == 0, f"the moved bcmap new-plugin failed ({r.returncode}): {r.stdout}{r.stderr}")
    # It names its own (moved) prefix in the configure step it prints: a user whose bcmap is
    # not under /usr need not look it up.
    check(f"-DCMAKE_PREFIX_PATH={os.path.realpath(prefix)}" in r.stdout or f"-DCMAKE_PREFIX_PATH={prefix}" in r.stdout,
          f"new-plugin does not print the prefix {prefix}:\n{r.stdout}")
    check(os.listdir(author) == [name], f"new-plugin left more than the project: {os.listdir(author)}")
    project = os.path.join(author, name)
    build = os.path.join(project, "build")
    # Only the moved prefix: nothing of the source or build tree is named.
    r = run([a.cmake, "-S", project, "-B", build, f"-DCMAKE_PREFIX_PATH={prefix}", f"-DCMAKE_CXX_COMPILER={a.cxx}"],
            env=env)
    check(r.returncode == 0, f"configuring {name} against the moved prefix failed:\n{r.stdout}{r.stderr}")
    with open(os.path.join(build, "CMakeCache.txt"), encoding="utf-8") as f:
        cache = f.read()
    for path in (a.source, a.build):
        check(path not in cache, f"{name}'s build names {path}")
    r = run([a.cmake, "--build", build, "-j", "2"], env=env)
    check(r.returncode == 0, f"building {name} failed:\n{r.stdout}{r.stderr}")
    r = run(["ctest", "--test-dir", build, "--output-on-failure"], env=env)
    check(r.returncode == 0, f"{name}'s own ctest failed:\n{r.stdout}{r.stderr}")
    print(f"{name}: made by new-plugin, built against the moved prefix, its ctest passes")

    r = run([a.cmake, "--install", build], env=env)
    check(r.returncode == 0, f"cmake --install {name} failed:\n{r.stdout}{r.stderr}")
    folder = os.path.join(env["XDG_DATA_HOME"], "bcmap", "plugins", f"bcmap_{name}")
    for f in (f"bcmap_{name}.so", "plugin.json", f"{name}_points.geojson"):
        check(os.path.isfile(os.path.join(folder, f)), f"cmake --install did not put {f} into {folder}")

    r = run([bcmap, "layers", "--json"], env=env)
    check(r.returncode == 0, f"bcmap layers --json exited {r.returncode}: {r.stderr}")
    layers = {l["id"]: l for l in json.loads(r.stdout)}
    l = layers.get(name)
    check(l is not None, f"the moved bcmap does not list {name}: {sorted(layers)}")
    check(l["status"] == "loaded" and l["features"] == 3, f"{name}: {l}")
    check(l["source"] == "user", f"{name} is listed from {l['source']}, not the user's folder")
    check(l["plugin"].startswith(folder + os.sep), f"{name} came from {l['plugin']}, not {folder}")
    if "folder" in l:
        check(os.path.realpath(l["folder"]) == os.path.realpath(folder), f"{name}'s folder is {l['folder']}")
    print(f"{name}: listed from the user's folder, {l['status']}, {l['features']} features")

    pngs = {}
    for layers_arg in (name, "none"):
        out = os.path.join(tmp, f"{name}_{layers_arg}.png")
        r = run([bcmap, "render", "--layers", layers_arg, "--bbox", "122.5,44.5,124,46", "--out", out], env=env)
        check(r.returncode == 0, f"bcmap render --layers {layers_arg} exited {r.returncode}: {r.stderr}")
        with open(out, "rb") as f:
            pngs[layers_arg] = f.read()
        check(pngs[layers_arg][:8] == b"\x89PNG\r\n\x1a\n", f"{out} is not a PNG")
    check(pngs[name] != pngs["none"], f"the render with {name} is the render without it")

    r = run([bcmap, "check-plugin", folder], env=env)
    check(r.returncode == 0, f"check-plugin on the installed {name} failed ({r.returncode}):\n{r.stdout}{r.stderr}")
    check("ok   render" in r.stdout, f"check-plugin did not see {name} draw:\n{r.stdout}")
    print(f"{name}: rendered, and check-plugin passes on the installed folder")


def main():
    ap = argparse.ArgumentParser()
    for opt in ("build", "source", "cmake", "cxx", "version", "bindir", "libdir", "libexecdir",
                "includedir", "datadir", "mandir"):
        ap.add_argument("--" + opt, required=True)
    a = ap.parse_args()
    a.source = os.path.abspath(a.source)
    a.build = os.path.abspath(a.build)
    # Outside the source and build folders, so that nothing there can be found by accident.
    with tempfile.TemporaryDirectory(prefix="bcmap-install-") as tmp:
        tmp = os.path.realpath(tmp)
        check(not tmp.startswith(a.build + os.sep) and not tmp.startswith(a.source + os.sep),
              f"the temporary folder {tmp} is inside the tree; set TMPDIR elsewhere")
        try:
            prefix = install_and_move(a, tmp)
            check_tree(a, prefix)
            check_binary(a, prefix, tmp)
            check_sdk(a, prefix, tmp)
            check_new_plugin(a, prefix, tmp)
        except Failure as e:
            print(f"FAIL: {e}", file=sys.stderr)
            return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
