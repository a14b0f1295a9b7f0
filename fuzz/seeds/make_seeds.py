#!/usr/bin/env python3
"""Writes the synthetic seed inputs of the harnesses into fuzz/corpus/<name>/ (seed-*.bin,
seed-*.txt, seed-*.json). Run once when a harness's input format changes; `-merge=1`
(fuzz/README.md) then keeps those that add coverage. Nothing here comes from geodata/."""
import json
import math
import os
import struct
import sys

here = os.path.dirname(os.path.abspath(__file__))
corpus = os.path.join(here, "..", "corpus")


def write(harness, name, data):
    folder = os.path.join(corpus, harness)
    os.makedirs(folder, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


# ---- triangulate: byte 0 = ring count - 1 | 4 (floats) | 0x80 (base near 2^32) ------------
def rings_bytes(rings, floats=False, high_base=False):
    head = (len(rings) - 1) | (4 if floats else 0) | (0x80 if high_base else 0)
    out = bytearray([head])
    if not high_base:
        out.append(0)  # base index
    for r in rings[:-1]:
        out.append(len(r))
    for r in rings:
        for x, y in r:
            if floats:
                out += struct.pack("<ff", x, y)
            else:  # the harness halves signed bytes
                out += struct.pack("<bb", int(x * 2), int(y * 2))
    return bytes(out)


square = [(0, 0), (10, 0), (10, 10), (0, 10)]
hole = [(3, 3), (3, 6), (6, 6), (6, 3)]
comb = [(0, 0), (40, 0), (40, 20)] + [(x, 20 if i % 2 else 2) for i, x in enumerate(range(38, 0, -2))] + [(0, 20)]
bowtie = [(0, 0), (10, 10), (10, 0), (0, 10)]
dupes = [(0, 0), (0, 0), (5, 0), (5, 0), (5, 5), (5, 5), (0, 5), (0, 0)]
collinear = [(x, 0) for x in range(0, 30)] + [(29, 1), (0, 1)]
star = [(30 * math.cos(a * math.pi / 10) * (1 if a % 2 else 0.4), 30 * math.sin(a * math.pi / 10) * (1 if a % 2 else 0.4)) for a in range(20)]
write("triangulate", "seed-square.bin", rings_bytes([square]))
write("triangulate", "seed-square-hole.bin", rings_bytes([square, hole]))
write("triangulate", "seed-hole-outside.bin", rings_bytes([hole, [(x + 20, y) for x, y in square]]))
write("triangulate", "seed-comb.bin", rings_bytes([comb]))
write("triangulate", "seed-bowtie.bin", rings_bytes([bowtie]))
write("triangulate", "seed-duplicates.bin", rings_bytes([dupes]))
write("triangulate", "seed-collinear.bin", rings_bytes([collinear]))
write("triangulate", "seed-star-floats.bin", rings_bytes([star], floats=True))
write("triangulate", "seed-nan.bin", rings_bytes([[(0, 0), (1, 0), (float("nan"), 1), (0, 1)]], floats=True))
write("triangulate", "seed-inf.bin", rings_bytes([[(0, 0), (float("inf"), 0), (1, 1), (0, 1e38)]], floats=True))
write("triangulate", "seed-three-holes.bin", rings_bytes([[(-60, -60), (60, -60), (60, 60), (-60, 60)], hole,
                                                        [(x - 20, y) for x, y in hole], [(x, y - 20) for x, y in hole]]))
write("triangulate", "seed-high-base.bin", rings_bytes([square], high_base=True))

# ---- session -------------------------------------------------------------------------------
full = {
    "version": 1, "displayCrs": "EPSG:3857",
    "view": {"centerX": 13746000.5, "centerY": 5716000.25, "unitsPerPixel": 152.87, "widthPx": 1280, "heightPx": 720},
    "time": {"all": False, "day": "2019-06-01", "speedDaysPerSec": 30, "mode": "window", "windowDays": 90,
             "dateCounter": True},
    "panels": {"legend": True, "inset": False, "search": True, "navigation": True, "chart": False, "log": True,
               "uiScale": 1.25, "legendOnCanvas": True,
               "dock": {"leftWidth": 320, "rightWidth": 260, "leftCollapsed": False, "rightCollapsed": True,
                        "bottomCollapsed": False}},
    "layers": [
        {"id": "counties", "visible": True, "opacity": 0.8, "order": 1, "settings": {"labels": "true", "year": "2020"},
         "style": {"kind": "categorized", "field": "name", "categories": [{"value": "a", "fill": "#ff0000"}]},
         "selected": ["12", 7]},
        {"id": "file:/tmp/x.geojson", "visible": False, "opacity": 1, "order": 0, "settings": {},
         "file": "/tmp/x.geojson", "gcj02": True},
    ],
}
write("session", "seed-full.json", json.dumps(full, indent=2, ensure_ascii=False))
write("session", "seed-minimal.json", "{}")
write("session", "seed-layers-only.json", json.dumps({"layers": [{"id": "villages"}]}))
write("session", "seed-wrong-type.json", json.dumps({"layers": [{"id": "v", "opacity": "high"}]}))
write("session", "seed-not-object.json", "[1, 2, 3]")
write("session", "seed-projected-crs.json", json.dumps({"displayCrs": "+proj=laea +lat_0=45 +lon_0=125 +type=crs"}))
write("session", "seed-time-cumulative.json", json.dumps({"time": {"mode": "cumulative", "day": "1970-01-01"}}))
write("session", "seed-big-numbers.json", '{"view": {"centerX": 1e308, "centerY": -1e308, "unitsPerPixel": 5e-324, '
      '"widthPx": 99999999999999999999}, "layers": [{"id": "a", "order": 4294967296, "opacity": 1e39}]}')
write("session", "seed-nested-style.json", '{"layers": [{"id": "a", "style": ' + '{"a":' * 40 + '1' + '}' * 40 + '}]}')
write("session", "seed-database.json", json.dumps({"layers": [{"id": "db", "file": "postgresql://h/db?table=t"}]}))

# ---- filter --------------------------------------------------------------------------------
for i, text in enumerate([
        "people > 300", "year >= 2018 and year < 2020", "name = 通榆县", 'name != "x y"',
        "name ~ 村 or code = 300", '"road km" <= 2.5', "(people > 100 or area < 0) and not_a_field = 1",
        "date >= 2018-01-01", "code = 0042", "village", "", "   ", '"unterminated', "people >", "(people > 1",
        "people > 1)", "area = -1e308", "people = 9223372036854775807", '"a ""b"" c" = 1', "name ~ \"\"",
        "AND or OR and", "people<>3", "通榆", "people > 3 and (area < 1 or (code ~ a and date != 2020-12-31))"]):
    write("filter", "seed-%02d.txt" % i, text)

# ---- coordinate ----------------------------------------------------------------------------
for i, text in enumerate([
        "123.5, 45.6", "123.5 45.6", "45.6, 123.5", "45.6N 123.5E", "N45.6 E123.5", "北纬45.6 东经123.5",
        "45°36'N 123°30'E", "45度36分 123度30分", "13746000 5716000", "123.500000, 45.600000 (EPSG:3857 1.5, 2.5)",
        "-123.5; -45.6", "123.5，45.6", "181 91", "45°61'N 123E", "-45.6S 123E", "1e308 1e308", "", "abc",
        "123.5", "1 2 3", "45°36′30″N 123°30′E", "W0.5 S0.25"]):
    write("coordinate", "seed-%02d.txt" % i, text)


# ---- plugin_style: the first half of an input drives the fake plugin, the second is the
# string arena (fuzz/plugin_style.cpp) -------------------------------------------------------
class Script:
    def __init__(self, arena):
        self.b = bytearray()
        self.arena = arena.encode("utf-8")

    def u8(self, v): self.b.append(v & 0xff); return self
    def u16(self, v): self.b += struct.pack("<H", v); return self
    def u32(self, v): self.b += struct.pack("<I", v); return self
    def i32(self, v): self.b += struct.pack("<i", v); return self
    def f32(self, v): self.b += struct.pack("<f", v); return self
    def f64(self, v): self.b += struct.pack("<d", v); return self
    def rgba(self, r, g, b, a=255): self.b += bytes([r, g, b, a]); return self

    def text(self, s):
        if s is None:
            return self.u8(0)
        at = self.arena.find(s.encode("utf-8") + b"\0")
        assert at >= 0, s
        return self.u8(1).u16(at)

    def data(self):
        body = bytes(self.b)
        # the harness splits at size/2: pad the script so the arena starts right after it
        pad = max(0, len(self.arena) - len(body))
        body += bytes(pad)
        arena = self.arena + bytes(len(body) - len(self.arena))
        return body + arena


def style(s, kind=0, field=None, cats=(), classes=(), label=None, size_field=None, symbol=0, markers=0):
    s.u8(0)       # not 0xff: the style call succeeds
    s.u8(0)       # struct_size: this version's
    s.u8(kind).text(field).rgba(200, 80, 40).rgba(20, 20, 20).f32(1.5).f32(6).f32(0.9)
    s.u8(len(cats) | (len(classes) << 4))
    for value, lab in cats:
        s.u8(0).text(value).rgba(10, 200, 10).text(lab)
    s.u8(0)       # category_count as laid out
    for lo, hi, lab in classes:
        s.u8(0).f64(lo).f64(hi).rgba(0, 0, 200).text(lab)
    s.text(label).text(None).u8(symbol).u8(markers).f32(8).f64(180000).i32(10)
    s.text(size_field).f64(100).f32(20).f32(2)


def feature_styles(s, n=4):
    for f in range(n):
        s.u8(0).u8(f & 1).rgba(f * 40, 0, 0).u8(f & 1).f32(3 + f)


def legend(s, entries, version_sizes=0):
    s.u8(len(entries))
    for lab, kind in entries:
        s.u8(version_sizes).text(lab).rgba(1, 2, 3).rgba(4, 5, 6).u8(kind).f64(12)


arena = "name\0v\0n\0day\0a\0b\0通榆\0县\0其他\0A\0B\0low\0"
s = Script(arena); s.u8(0); style(s); write("plugin_style", "seed-single.bin", s.data())
s = Script(arena); s.u8(3); style(s, 1, "name", [("a", "A"), ("b", None), ("通榆", "县")], label="name")
feature_styles(s); legend(s, [("A", 1), ("B", 1), ("其他", 3)]); write("plugin_style", "seed-categorized.bin", s.data())
s = Script(arena); s.u8(2); style(s, 2, "v", classes=[(-10, 0, "low"), (0, 10, None)])
legend(s, [("a", 1), ("b", 2)], version_sizes=1); write("plugin_style", "seed-graduated-legend10.bin", s.data())
s = Script(arena); s.u8(1); style(s, 0, size_field="v", symbol=4, markers=3); feature_styles(s)
write("plugin_style", "seed-size-field.bin", s.data())
s = Script(arena); s.u8(0); style(s, 1, "day", [("a", None)]); write("plugin_style", "seed-date-field.bin", s.data())
s = Script(arena); s.u8(0).u8(0xff); write("plugin_style", "seed-style-fails.bin", s.data())

# Findings kept as regression cases (fuzz/README.md): legend entries whose struct_size says
# more than the stride the first entry set (the last one read past the plugin's array), and a
# first entry whose struct_size is no multiple of the struct's alignment (misaligned reads).
def legend_sizes(sizes):
    s = Script(arena)
    s.u8(2)
    style(s)
    s.u8(len(sizes))
    for size in sizes:
        s.u8(0xf0).u32(size).text("A").rgba(1, 2, 3).rgba(4, 5, 6).u8(1).f64(12)
    return s.data()


write("plugin_style", "regression-legend-entry-larger-than-stride.bin", legend_sizes([32, 40, 40]))
write("plugin_style", "regression-legend-misaligned-stride.bin", legend_sizes([36, 36, 36]))
print("seeds written under", os.path.normpath(corpus))
