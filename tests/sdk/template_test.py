#!/usr/bin/env python3
"""Keeps the plugin SDK's tutorial true (label `plugin`).

1. plugins/template/template.cpp has fewer than 60 lines of code (not counting blank and
   comment lines), and every code block of plugins/sdk/README.md marked
   `<!-- check: plugins/template/template.cpp -->` appears in it verbatim.
2. `bcmap new-plugin`, run in a scratch folder, writes the standalone project (CMakeLists.txt
   with find_package(bcmap 1.3), the source = plugins/template/template.cpp renamed and at most
   60 lines of code, plugin.json, the sample fixture, a README), and refuses bad names and an
   existing folder without writing anything. (Building it against the installed SDK is
   tests/install's part.)
3. The template and the generated plugin's source build as a plugin author's project would
   build them (tests/sdk/template_project, bcmap's warnings as errors), and `bcmap layers
   --json --plugins <that folder>` shows both loaded with their three features;
   `bcmap identify` finds a point with its mapped fields and id.

Usage: template_test.py --bcmap BIN --source SRC --work DIR --cmake CMAKE --cxx CXX
Exit codes: 0 pass, 1 fail.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys

MAX_LINES = 60  # the promise: a layer from the template in at most 60 lines
GENERATED = "demo_layer"
TIMEOUT_S = 300  # a bound on each step; a configure and build take ~10 s here


class Failure(Exception):
    pass


def check(cond, message):
    if not cond:
        raise Failure(message)


def code_lines(path):
    """Lines of C++ that are neither blank nor only a comment."""
    count, in_block = 0, False
    with open(path, encoding="utf-8") as f:
        for line in f:
            s = line.strip()
            if in_block:
                if "*/" in s:
                    in_block = False
                    s = s.split("*/", 1)[1].strip()
                else:
                    continue
            if not s or s.startswith("//"):
                continue
            if s.startswith("/*"):
                if "*/" not in s:
                    in_block = True
                continue
            count += 1
    return count


def checked_blocks(readme):
    """(file, block) for every fenced block right after a `<!-- check: FILE -->` line."""
    with open(readme, encoding="utf-8") as f:
        lines = f.read().splitlines()
    out = []
    for i, line in enumerate(lines):
        m = re.fullmatch(r"<!-- check: (\S+) -->", line.strip())
        if not m:
            continue
        check(i + 1 < len(lines) and lines[i + 1].startswith("```"), f"README line {i + 1}: no code block follows")
        end = next((k for k in range(i + 2, len(lines)) if lines[k].startswith("```")), None)
        check(end is not None, f"README line {i + 2}: the code block is not closed")
        out.append((m.group(1), "\n".join(lines[i + 2:end])))
    return out


def run(cmd, **kw):
    r = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, timeout=TIMEOUT_S, **kw)
    return r


def test_template_source(src):
    template = os.path.join(src, "plugins", "template", "template.cpp")
    n = code_lines(template)
    print(f"plugins/template/template.cpp: {n} lines of code (limit {MAX_LINES})")
    check(n <= MAX_LINES, f"the template has {n} lines of code; the SDK promises a layer in at most {MAX_LINES}")
    blocks = checked_blocks(os.path.join(src, "plugins", "sdk", "README.md"))
    check(len(blocks) >= 8, f"only {len(blocks)} checked code blocks in plugins/sdk/README.md")
    for rel, block in blocks:
        with open(os.path.join(src, rel), encoding="utf-8") as f:
            text = f.read()
        check(block in text, f"plugins/sdk/README.md quotes {rel} but it no longer says:\n{block}")
    print(f"plugins/sdk/README.md: {len(blocks)} code blocks match the template")


def test_new_plugin(src, bcmap, tree):
    """`bcmap new-plugin` into a scratch folder: the project, the renamed template, refusals."""
    os.makedirs(tree)
    for bad in ("Bad", "9lives", "with-dash", "template", "sdk", ""):
        r = run([bcmap, "new-plugin", bad, tree])
        check(r.returncode == 1, f"new-plugin accepted the name {bad!r} ({r.returncode})")
        check(os.listdir(tree) == [], f"new-plugin {bad!r} wrote something: {os.listdir(tree)}")

    r = run([bcmap, "new-plugin", GENERATED, tree])
    check(r.returncode == 0, f"new-plugin {GENERATED} failed ({r.returncode}): {r.stdout}{r.stderr}")
    print(r.stdout.rstrip())
    made = os.path.join(tree, GENERATED)
    # Made in a staging folder and renamed into place: nothing else is left beside it.
    check(os.listdir(tree) == [GENERATED], f"new-plugin left more than the project: {os.listdir(tree)}")
    expected = ["CMakeLists.txt", "README.md", "plugin.json", f"{GENERATED}.cpp", f"{GENERATED}_points.geojson"]
    check(sorted(os.listdir(made)) == sorted(expected), f"unexpected files: {os.listdir(made)}")

    # The source is the template's, renamed: one source, so they cannot drift apart.
    with open(os.path.join(src, "plugins", "template", "template.cpp"), encoding="utf-8") as f:
        template = f.read()
    with open(os.path.join(made, f"{GENERATED}.cpp"), encoding="utf-8") as f:
        cpp = f.read()
    renamed = template.replace("TEMPLATE", GENERATED.upper()).replace("Template", "DemoLayer").replace(
        "template", GENERATED)
    check(cpp == renamed, "the generated source is not plugins/template/template.cpp renamed")
    check(f'i.id = "{GENERATED}";' in cpp and "BCMAP_PLUGIN(DemoLayerLayer)" in cpp, "no new id and class name")
    check("template" not in cpp.lower(), "the generated source still says 'template'")
    check("bundled" in cpp, "the generated source does not find its data with bundled()")
    n = code_lines(os.path.join(made, f"{GENERATED}.cpp"))
    check(n <= MAX_LINES, f"the generated source has {n} lines of code (limit {MAX_LINES})")

    with open(os.path.join(made, "plugin.json"), encoding="utf-8") as f:
        meta = json.load(f)
    for key in ("id", "name_zh", "name_en", "version", "authors", "description", "homepage", "license", "min_abi"):
        check(key in meta, f"plugin.json lacks {key}")
    check(meta["id"] == GENERATED and meta["min_abi"] == "1.3", f"plugin.json: {meta}")
    with open(os.path.join(made, "CMakeLists.txt"), encoding="utf-8") as f:
        cmake = f.read()
    for line in ("find_package(bcmap 1.3 REQUIRED)",
                 f"bcmap_add_plugin({GENERATED} SOURCES {GENERATED}.cpp DATA {GENERATED}_points.geojson "
                 "METADATA plugin.json)", "enable_testing()", "check-plugin"):
        check(line in cmake, f"the project's CMakeLists.txt lacks {line!r}")
    with open(os.path.join(made, f"{GENERATED}_points.geojson"), encoding="utf-8") as f:
        points = json.load(f)["features"]
    check(len(points) == 3 and all(p["properties"].get("sample") for p in points), "the fixture is not 3 sample points")

    # The project's README and the SDK README name the same steps.
    with open(os.path.join(made, "README.md"), encoding="utf-8") as f:
        readme = f.read()
    for step in ("cmake -S . -B build", "cmake --build build", "ctest --test-dir build", "cmake --install build"):
        check(step in readme, f"the project's README lacks {step!r}")

    r = run([bcmap, "new-plugin", GENERATED, tree])
    check(r.returncode == 1 and "exists" in r.stderr, "new-plugin must refuse a folder that exists")
    return [os.path.join(src, "plugins", "template"), made]


def test_build_and_load(src, tree, plugin_dirs, bcmap, cmake, cxx):
    build = os.path.join(tree, "build")
    r = run([cmake, "-S", os.path.join(src, "tests", "sdk", "template_project"), "-B", build,
             f"-DCMAKE_CXX_COMPILER={cxx}", "-DCMAKE_BUILD_TYPE=RelWithDebInfo",
             f"-DBCMAP_SDK_DIR={os.path.join(src, 'plugins', 'sdk')}",
             f"-DBCMAP_COMPILER_OPTIONS={os.path.join(src, 'cmake', 'CompilerOptions.cmake')}",
             "-DBCMAP_PLUGIN_SOURCE_DIRS=" + ";".join(plugin_dirs)])
    check(r.returncode == 0, f"configuring the plugin project failed:\n{r.stdout}{r.stderr}")
    r = run([cmake, "--build", build, "-j", "2"])
    check(r.returncode == 0, f"building the template and {GENERATED} failed:\n{r.stdout}{r.stderr}")
    out = os.path.join(build, "plugins")
    built = sorted(os.path.relpath(os.path.join(d, f), out) for d, _, fs in os.walk(out) for f in fs
                   if f.endswith(".so"))
    check([os.path.basename(b) for b in built] == sorted(["bcmap_template.so", f"bcmap_{GENERATED}.so"]),
          f"unexpected plugins in {out}: {built}")

    r = run([bcmap, "layers", "--json", "--plugins", out])
    check(r.returncode == 0, f"bcmap layers exited {r.returncode}: {r.stderr}")
    layers = {l["id"]: l for l in json.loads(r.stdout)}
    for lid in ("template", GENERATED):
        check(lid in layers, f"bcmap layers does not list {lid}: {sorted(layers)}")
        l = layers[lid]
        print(f"{lid}: {l['status']}, {l['features']} features, sample={l['sample']} ({l['plugin']})")
        check(l["status"] == "loaded", f"{lid} did not load: {l['reason']}")
        check(l["features"] == 3 and l["geometry"] == "point" and l["sample"], f"{lid}: {l}")
        check(l["plugin"] == os.path.join(out, f"bcmap_{lid}", f"bcmap_{lid}.so"),
              f"{lid} came from {l['plugin']}, not {out}/bcmap_{lid}/")

    # 示例点 A, through the field map and the id field.
    r = run([bcmap, "identify", "--lonlat", "122.839,45.619", "--radius-m", "50", "--layers", GENERATED, "--json",
             "--plugins", out])
    check(r.returncode == 0, f"bcmap identify exited {r.returncode}: {r.stderr}")
    hits = json.loads(r.stdout)
    check(len(hits) == 1 and hits[0]["id"] == "A", f"identify: {hits}")
    attrs = hits[0]["attributes"]
    check(list(attrs) == ["name_zh", "name_en", "households", "opened"], f"mapped fields: {list(attrs)}")
    check(attrs["name_zh"] == "示例点 A" and attrs["opened"] == "2016-03-01", f"attributes: {attrs}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bcmap", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--cmake", required=True)
    ap.add_argument("--cxx", required=True)
    a = ap.parse_args()
    src, work = os.path.abspath(a.source), os.path.abspath(a.work)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    try:
        test_template_source(src)
        dirs = test_new_plugin(src, os.path.abspath(a.bcmap), os.path.join(work, "src"))
        test_build_and_load(src, os.path.join(work, "src"), dirs, os.path.abspath(a.bcmap), a.cmake, a.cxx)
    except Failure as e:
        print(f"FAIL: {e}")
        return 1
    print("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
