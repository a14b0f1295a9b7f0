"""Viewer case of issue 12 (nothing lost): a data file caught half-written.

data_reload_keeps: at 900x600 a GeoJSON of four squares is opened as a FILE. It is then cut
in half on disk; the bar "文件已在磁盘上更改 File changed on disk" comes, Reload is clicked
(real X input), and the read fails: the layer stays loaded with its four features drawn, and
its row says the reload failed and the previous version is kept. The file is then written
whole again with six squares: the bar comes back, Reload reads it, the six are drawn and the
reason is gone. Run through viewer_test.py."""

import json
import os

from viewer_harness import check, click_at


def squares(n):
    feats = []
    for i in range(n):
        x, y = 122.3 + 0.25 * i, 45.4
        ring = [[x, y], [x + 0.2, y], [x + 0.2, y + 0.2], [x, y + 0.2], [x, y]]
        feats.append({"type": "Feature", "properties": {"name": f"块{i}"},
                      "geometry": {"type": "Polygon", "coordinates": [ring]}})
    return json.dumps({"type": "FeatureCollection", "features": feats}, ensure_ascii=False)


def write(path, text):
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    # The watcher compares size and modification time; a rewrite within the same
    # second with another size is seen, and the size always differs here.


def layer(s, lid):
    return next(l for l in s["layers"] if l["id"] == lid)


def reload(v, what):
    """The bar's Reload clicked as a hand does it, once the bar has settled (an auto-sized
    window takes its place in its second frame)."""
    v.wait_state(lambda st: st["named"].get("reload.button"), f"the reload bar ({what})")
    s = v.settled()
    check(s["named"].get("reload.button"), f"the reload bar stays ({what})")
    click_at(v, s, s["named"]["reload.button"])
    return v.wait_state(lambda st: not st["named"].get("reload.button") and
                        layer(st, "file:live.geojson")["status"] not in ("pending", "loading"),
                        f"the reload to finish ({what})")


def case_data_reload_keeps(v):
    data = os.path.join(v.work, "data")
    os.makedirs(data, exist_ok=True)
    path = os.path.join(data, "live.geojson")
    write(path, squares(4))
    lid = "file:live.geojson"
    s = v.start(args=["--window-size", "900x600", path], extra_env={"BCMAP_DATA_CACHE": "0"})
    s = v.settled()
    check(layer(s, lid)["status"] == "loaded" and layer(s, lid)["features"] == 4, f"the file loads: {layer(s, lid)}")

    whole = squares(4)
    write(path, whole[:len(whole) // 2])
    s = reload(v, "the file cut in half")
    s = v.settled()
    l = layer(s, lid)
    check(l["status"] == "loaded", f"a failed reload keeps the layer loaded: {l}")
    check(l["features"] == 4, f"the four features read before are kept: {l['features']}")
    check("reload of live.geojson failed" in l["reloadError"] and "kept" in l["reloadError"],
          f"the row says why: {l['reloadError']!r}")
    v.screenshot("reload-failed-kept-900x600")

    write(path, squares(6))
    s = reload(v, "the file written whole again")
    s = v.settled()
    l = layer(s, lid)
    check(l["status"] == "loaded" and l["features"] == 6, f"the fixed file is read: {l}")
    check(l["reloadError"] == "", f"the reason is gone: {l['reloadError']!r}")
    v.screenshot("reload-fixed-900x600")
