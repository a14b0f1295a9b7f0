#!/usr/bin/env python3
"""`bcmap check-plugin` on plugins good and bad (label `plugin`).

One case per run, named on the command line (CTest registers each as sdk.CheckPlugin.<case>):
  good               the check_none fixture passes every check (exit 0, one `ok` line each)
  <fault>            a check_<fault> fixture (tests/sdk/fixtures/check_fault.cpp) or a host
                     fault fixture exits 1 naming its problem and the fix
  fixture_option     --fixture points a shipped layer's path setting at another file
  fixture_no_path    --fixture on a layer without a path setting is a problem
  folder             PATH may be a plugin folder NAME/ holding NAME.so
  missing            a PATH that names nothing: exit 2
  version_mismatch   a plugin.json version that is not info()'s is a problem

Usage: check_plugin_test.py CASE --bcmap BIN --fixtures DIR --faults DIR --plugins DIR --work DIR
"""
import argparse
import json
import os
import shutil
import subprocess
import sys

# case -> (plugin file, in which folder, the text the problem list must hold)
FAULTS = {
    "legend_colour": ("bcmap_check_legend_colour.so", "fixtures", "has a colour nothing draws: remove the entry"),
    "empty_describe": ("bcmap_check_empty_describe.so", "fixtures",
                       "describe_feature returned empty text for 1 of 3 features (the first: feature 1): "
                       "return at least the feature's name"),
    "end_before_start": ("bcmap_check_end_before_start.so", "fixtures",
                         "1 features end before they start (the first: feature 2, 2018-06-01 to 2017-01-01)"),
    "no_spans": ("bcmap_check_no_spans.so", "fixtures", "the layer says it has time, but no feature has a start"),
    "bad_setting": ("bcmap_check_bad_setting.so", "fixtures",
                    "setting 'size' to 11 failed: check_bad_setting: update failed: only 10 will do (setting size)"),
    "no_size_legend": ("bcmap_check_no_size_legend.so", "fixtures",
                       "the style sizes discs by 'n' but no legend entry has a size: add the sized entries"),
    "throws_in_legend": ("bcmap_fault_throws_in_legend.so", "faults",
                         "throws_in_legend: legend failed: planted failure in legend()"),
    "throws_in_describe_feature": ("bcmap_fault_throws_in_describe_feature.so", "faults",
                                   "describe_feature failed for 2 of 2 features (the first: feature 0: "
                                   "planted failure in describe_feature())"),
    "crash_entry": ("bcmap_fault_crash_entry_segv.so", "faults", "crashed"),
}
CHECKS = ("probe", "load", "settings", "legend", "describe", "time", "render")


class Failure(Exception):
    pass


def check(cond, msg):
    if not cond:
        raise Failure(msg)


def run(a, *args):
    env = dict(os.environ, BCMAP_CACHE_DIR=os.path.join(a.work, "cache"))
    r = subprocess.run([a.bcmap, "check-plugin", *args], capture_output=True, text=True, timeout=120, env=env)
    print(f"$ bcmap check-plugin {' '.join(args)}  -> {r.returncode}\n{r.stdout}{r.stderr}")
    return r


def case_good(a):
    r = run(a, os.path.join(a.fixtures, "bcmap_check_none.so"))
    check(r.returncode == 0, f"exit {r.returncode}, not 0")
    for name in CHECKS:
        check(any(line.split()[:2] == ["ok", name] for line in r.stdout.splitlines()), f"no `ok {name}` line")
    check("every check passed" in r.stdout, "no summary line")


def case_fault(a, case):
    so, where, expected = FAULTS[case]
    r = run(a, os.path.join(a.fixtures if where == "fixtures" else a.faults, so))
    check(r.returncode == 1, f"exit {r.returncode}, not 1")
    problems = r.stdout.split("problem", 1)[-1]
    check(expected in problems, f"the problems do not say {expected!r}")


def case_fixture_option(a):
    # Two townships of our own instead of the derived file the layer reads by default.
    data = os.path.join(a.work, "two.geojson")
    features = []
    for i, (x, y) in enumerate([(122.8, 45.6), (123.3, 45.0)]):
        features.append({"type": "Feature", "properties": {"code": f"t{i}", "name_zh": f"乡{i}", "county_zh": "县",
                                                           "kind": "镇", "village_count": 3 + i},
                         "geometry": {"type": "Point", "coordinates": [x, y]}})
    with open(data, "w", encoding="utf-8") as f:
        json.dump({"type": "FeatureCollection", "features": features}, f, ensure_ascii=False)
    png = os.path.join(a.work, "kept.png")
    r = run(a, os.path.join(a.plugins, "bcmap_townships.so"), "--fixture", data, "--out", png)
    check(r.returncode == 0, f"exit {r.returncode}, not 0")
    check(f"townships: 2 features from {data}" in r.stdout, "the load line does not name the fixture's 2 features")
    with open(png, "rb") as f:
        check(f.read(8) == b"\x89PNG\r\n\x1a\n", "--out kept no PNG")


def case_fixture_no_path(a):
    r = run(a, os.path.join(a.fixtures, "bcmap_check_none.so"), "--fixture", "whatever.geojson")
    check(r.returncode == 1, f"exit {r.returncode}, not 1")
    check("--fixture needs a path setting" in r.stdout, "the problem is not named")


def case_folder(a):
    folder = os.path.join(a.work, "bcmap_check_none")
    os.makedirs(folder)
    shutil.copy(os.path.join(a.fixtures, "bcmap_check_none.so"), folder)
    r = run(a, folder)
    check(r.returncode == 0, f"exit {r.returncode}, not 0")
    check(f"checking {os.path.join(folder, 'bcmap_check_none.so')}" in r.stdout, "it did not check NAME/NAME.so")


def case_version_mismatch(a):
    """A folder plugin whose plugin.json gives another version than info(): a problem."""
    folder = os.path.join(a.work, "bcmap_check_none")
    os.makedirs(folder)
    shutil.copy(os.path.join(a.fixtures, "bcmap_check_none.so"), folder)
    with open(os.path.join(folder, "plugin.json"), "w", encoding="utf-8") as f:
        json.dump({"id": "check_none", "version": "9.9.9"}, f)
    r = run(a, folder)
    check(r.returncode == 1, f"exit {r.returncode}, not 1")
    check("plugin.json says version 9.9.9 but info() says 1.0.0" in r.stdout, "the version mismatch is not named")


def case_missing(a):
    r = run(a, os.path.join(a.work, "nothing.so"))
    check(r.returncode == 2 and "no such plugin" in r.stderr, f"exit {r.returncode}: {r.stderr}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("case")
    for opt in ("bcmap", "fixtures", "faults", "plugins", "work"):
        ap.add_argument("--" + opt, required=True)
    a = ap.parse_args()
    a.work = os.path.join(os.path.abspath(a.work), a.case)
    shutil.rmtree(a.work, ignore_errors=True)
    os.makedirs(a.work)
    cases = {"good": case_good, "fixture_option": case_fixture_option, "fixture_no_path": case_fixture_no_path,
             "folder": case_folder, "missing": case_missing, "version_mismatch": case_version_mismatch}
    try:
        if a.case in FAULTS:
            case_fault(a, a.case)
        else:
            cases[a.case](a)
    except Failure as e:
        print(f"FAIL: {e}")
        return 1
    print("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
