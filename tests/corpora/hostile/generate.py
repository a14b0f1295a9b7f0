#!/usr/bin/env python3
"""Writes the generated half of bcmap's hostile corpus into OUT, with OUT/cases.json.

usage: generate.py OUT

Each case is a file (or a path: a URL, a FIFO made here) and what bcmap must do with it
(README.md, "Classes"). The committed half (files/, cases.json beside this script) is
appended to the manifest with its paths made absolute, so the driver reads one list.

The valid originals are written here by Python (GeoJSON) and by GDAL's ogr2ogr (GeoPackage,
FlatGeobuf, Shapefile); every damaged file derives from them deterministically (a fixed
random seed), so a failing case can be made again by name. Special files (a FIFO, a folder
named x.geojson, a symlink to /dev/zero, a socket) are made here, never committed.
"""
import gzip
import hashlib
import json
import math
import os
import random
import shutil
import socket
import struct
import subprocess
import sys
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
# A host that never resolves (RFC 6761); the driver's proxy would see a connection anyway.
REMOTE = "http://bcmap-hostile.invalid"

cases = []


def case(name, klass, group, note, **extra):
    """klass: drawn | partial | table | empty | refused | either (README.md)."""
    entry = {"name": name, "class": klass, "group": group, "note": note}
    entry.update(extra)
    cases.append(entry)


def write(out, name, data):
    path = os.path.join(out, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    mode = "wb" if isinstance(data, bytes) else "w"
    with open(path, mode, **({} if mode == "wb" else {"encoding": "utf-8"})) as f:
        f.write(data)
    return path


# ---- the valid originals -------------------------------------------------------------
# Around Baicheng (122.8 E, 45.6 N), where bcmap's own map is.
def points(n=12):
    return [{"type": "Feature", "id": i, "properties": {"name": f"p{i}", "n": i, "v": i * 0.5},
             "geometry": {"type": "Point", "coordinates": [122.0 + 0.1 * i, 45.0 + 0.07 * i]}}
            for i in range(n)]


def lines(n=6):
    return [{"type": "Feature", "properties": {"name": f"l{i}", "n": i},
             "geometry": {"type": "LineString",
                          "coordinates": [[122.0 + 0.2 * i, 45.0], [122.1 + 0.2 * i, 45.5], [122.0 + 0.2 * i, 46.0]]}}
            for i in range(n)]


def polygons(n=5):
    feats = []
    for i in range(n):
        x, y = 122.0 + 0.3 * i, 45.0 + 0.1 * i
        outer = [[x, y], [x + 0.25, y], [x + 0.25, y + 0.25], [x, y + 0.25], [x, y]]
        hole = [[x + 0.05, y + 0.05], [x + 0.05, y + 0.1], [x + 0.1, y + 0.1], [x + 0.1, y + 0.05], [x + 0.05, y + 0.05]]
        feats.append({"type": "Feature", "properties": {"name": f"a{i}", "n": i, "area": 0.0625},
                      "geometry": {"type": "Polygon", "coordinates": [outer, hole]}})
    return feats


def fc(features, **extra):
    d = {"type": "FeatureCollection"}
    d.update(extra)
    d["features"] = features
    return d


def dumps(obj):
    return json.dumps(obj, ensure_ascii=False, allow_nan=True)


def ogr2ogr(dst, src, fmt, *opts):
    if os.path.exists(dst):
        os.remove(dst)
    subprocess.run(["ogr2ogr", "-q", "-f", fmt, dst, src, *opts], check=True,
                   env={**os.environ, "GDAL_HTTP_TIMEOUT": "1"})


def shp_set(base):
    return [base + ext for ext in (".shp", ".shx", ".dbf", ".prj", ".cpg") if os.path.exists(base + ext)]


def copy_shp(out, src_base, dst_name, mutate=None):
    """Copies a Shapefile set to dst_name (.shp path); mutate(ext, bytes) -> bytes|None (None: leave out)."""
    dst_base = os.path.join(out, dst_name[:-4])
    for path in shp_set(src_base):
        ext = path[len(src_base):]
        with open(path, "rb") as f:
            data = f.read()
        if mutate is not None:
            data = mutate(ext, data)
        if data is not None:
            write(out, os.path.relpath(dst_base + ext, out), data)


# ---- 1. GeoJSON: valid files, then truncations -----------------------------------------
def gen_geojson(out):
    g = "geojson"
    write(out, "valid/points.geojson", dumps(fc(points())))
    case("valid/points.geojson", "drawn", g, "12 points", min_drawn=12)
    write(out, "valid/lines.geojson", dumps(fc(lines())))
    case("valid/lines.geojson", "drawn", g, "6 lines", min_drawn=6)
    poly = dumps(fc(polygons()))
    write(out, "valid/polygons.geojson", poly)
    case("valid/polygons.geojson", "drawn", g, "5 polygons with holes", min_drawn=5)
    write(out, "valid/polygons.json", poly)
    case("valid/polygons.json", "drawn", g, ".json extension", min_drawn=5)
    write(out, "valid/single_feature.geojson", dumps(polygons(1)[0]))
    case("valid/single_feature.geojson", "drawn", g, "a lone Feature at the top", min_drawn=1)
    write(out, "valid/bare_geometry.geojson", dumps(polygons(1)[0]["geometry"]))
    case("valid/bare_geometry.geojson", "drawn", g, "a lone Polygon at the top", min_drawn=1)
    write(out, "valid/bare_collection.geojson",
          dumps({"type": "GeometryCollection", "geometries": [p["geometry"] for p in points(3)]}))
    case("valid/bare_collection.geojson", "either", g, "a GeometryCollection of points at the top")
    write(out, "valid/multipolygon.geojson", dumps(fc([{"type": "Feature", "properties": {},
          "geometry": {"type": "MultiPolygon", "coordinates": [p["geometry"]["coordinates"] for p in polygons(3)]}}])))
    case("valid/multipolygon.geojson", "drawn", g, "a MultiPolygon", min_drawn=1)
    write(out, "valid/pointz.geojson", dumps(fc([{"type": "Feature", "properties": {},
          "geometry": {"type": "Point", "coordinates": [122.5, 45.5, 100.0, 7.0]}} for _ in range(2)])))
    case("valid/pointz.geojson", "drawn", g, "XYZM coordinates", min_drawn=2)
    write(out, "valid/rfc7946_bbox.geojson", dumps(fc(points(4), bbox=[122, 45, 123, 46])))
    case("valid/rfc7946_bbox.geojson", "drawn", g, "a bbox member", min_drawn=4)
    write(out, "valid/empty_collection.geojson", dumps(fc([])))
    case("valid/empty_collection.geojson", "empty", g, "no features")
    write(out, "valid/crlf_pretty.geojson", json.dumps(fc(points(3)), indent=4).replace("\n", "\r\n"))
    case("valid/crlf_pretty.geojson", "drawn", g, "pretty-printed with CRLF", min_drawn=3)
    write(out, "valid/long_string.geojson", dumps(fc([{"type": "Feature", "properties": {"s": "x" * 1_000_000, "": "empty key",
          "k" * 10000: 1}, "geometry": points(1)[0]["geometry"]}])))
    case("valid/long_string.geojson", "drawn", g, "a 1 MB string, an empty key, a 10 000-byte key", min_drawn=1)
    write(out, "valid/antimeridian.geojson", dumps(fc([{"type": "Feature", "properties": {}, "geometry": {"type": "Polygon",
          "coordinates": [[[179.5, 50], [-179.5, 50], [-179.5, 51], [179.5, 51], [179.5, 50]]]}}] + points(2))))
    case("valid/antimeridian.geojson", "either", g, "a polygon across the antimeridian (some readers drop the points: one kind a layer)")
    write(out, "valid/mixed_kinds.geojson", dumps(fc(points(3) + lines(2) + polygons(2))))
    case("valid/mixed_kinds.geojson", "drawn", g, "points, lines and polygons in one file: one kind drawn, the rest dropped with a warning",
         min_drawn=2)
    # Geometric oddities that are valid JSON: bcmap draws what it can.
    odd = {
        "unclosed_ring": [[[122, 45], [122.5, 45], [122.5, 45.5], [122, 45.5]]],
        "bowtie": [[[122, 45], [122.5, 45.5], [122.5, 45], [122, 45.5], [122, 45]]],
        "two_point_ring": [[[122, 45], [122.5, 45.5]]],
        "same_point_ring": [[[122, 45], [122, 45], [122, 45], [122, 45]]],
        "hole_outside": [[[122, 45], [122.2, 45], [122.2, 45.2], [122, 45]], [[123, 46], [123.1, 46], [123.1, 46.1], [123, 46]]],
        "zero_area": [[[122, 45], [122.5, 45], [123, 45], [122, 45]]],
        "dup_vertices": [[[122, 45]] * 5 + [[122.5, 45]] * 5 + [[122.5, 45.5]] * 5 + [[122, 45]]],
        "clockwise_outer": [[[122, 45], [122, 45.5], [122.5, 45.5], [122.5, 45], [122, 45]]],
    }
    for name, coords in odd.items():
        write(out, f"geometry/{name}.geojson", dumps(fc([{"type": "Feature", "properties": {"n": 1},
              "geometry": {"type": "Polygon", "coordinates": coords}}] + polygons(2))))
        case(f"geometry/{name}.geojson", "drawn", g, f"a polygon that is {name.replace('_', ' ')}, beside 2 good ones", min_drawn=2)
    write(out, "geometry/one_vertex_line.geojson", dumps(fc([{"type": "Feature", "properties": {},
          "geometry": {"type": "LineString", "coordinates": [[122, 45]]}}] + lines(2))))
    case("geometry/one_vertex_line.geojson", "drawn", g, "a line of one vertex beside 2 good ones", min_drawn=2)
    write(out, "geometry/poles_and_edges.geojson", dumps(fc([{"type": "Feature", "properties": {},
          "geometry": {"type": "Point", "coordinates": c}} for c in ([180, 90], [-180, -90], [180, -90], [-180, 90], [0, 0], [122.5, 45.5])])))
    case("geometry/poles_and_edges.geojson", "drawn", g, "points on ±180/±90 (Web Mercator cannot show the poles)", min_drawn=1)
    # Truncated at many offsets: never a complete document.
    data = poly.encode()
    rng = random.Random(12)
    offsets = sorted(set([0, 1, 2, 5, 10, 17, 18, 19, 20, 31, 32, 33, 64, 100, len(data) // 2, len(data) - 2, len(data) - 3]
                         + [rng.randrange(3, len(data) - 2) for _ in range(24)]))
    for off in offsets:
        name = f"truncated/polygons_at_{off}.geojson"
        write(out, name, data[:off])
        case(name, "refused", "truncated", f"polygons.geojson cut at byte {off} of {len(data)}")


# ---- 2. JSON syntax and types ------------------------------------------------------------
def gen_json(out):
    g = "json"
    base = fc(points(4))
    # Nesting: 10k and 100k deep, in the coordinates, the properties and at the top.
    for depth in (10_000, 100_000):
        k = depth // 1000
        write(out, f"nesting/coords_{k}k.geojson",
              '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":'
              + "[" * depth + "1" + "]" * depth + "}}]}")
        case(f"nesting/coords_{k}k.geojson", "refused", g, f"coordinates nested {depth} deep")
        write(out, f"nesting/props_{k}k.geojson",
              '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"deep":' + '{"a":' * depth + "1"
              + "}" * depth + '},"geometry":{"type":"Point","coordinates":[122.5,45.5]}}]}')
        case(f"nesting/props_{k}k.geojson", "either", g, f"a property nested {depth} deep (a reader may refuse or keep it)")
        write(out, f"nesting/top_{k}k.geojson", "[" * depth + "]" * depth)
        case(f"nesting/top_{k}k.geojson", "refused", g, f"an array nested {depth} deep, nothing else")
        write(out, f"nesting/unclosed_{k}k.geojson", "[" * depth)
        case(f"nesting/unclosed_{k}k.geojson", "refused", g, f"{depth} '[' and nothing else")
    # Wrong JSON types, one place at a time; the first of 4 features carries the fault.
    def with_first(mutate):
        d = json.loads(json.dumps(base))
        mutate(d)
        return dumps(d)
    wrong = {
        "type_number": lambda d: d.update(type=5),
        "type_null": lambda d: d.update(type=None),
        "type_unknown": lambda d: d.update(type="FeatureCollectionX"),
        "features_object": lambda d: d.update(features={"a": 1}),
        "features_string": lambda d: d.update(features="features"),
        "features_null": lambda d: d.update(features=None),
        "features_number": lambda d: d.update(features=3),
        "feature_number": lambda d: d["features"].__setitem__(0, 3),
        "feature_string": lambda d: d["features"].__setitem__(0, "Feature"),
        "feature_null": lambda d: d["features"].__setitem__(0, None),
        "feature_array": lambda d: d["features"].__setitem__(0, [1, 2]),
        "feature_type_missing": lambda d: d["features"][0].pop("type"),
        "feature_type_wrong": lambda d: d["features"][0].update(type="Point"),
        "geometry_string": lambda d: d["features"][0].update(geometry="POINT (1 2)"),
        "geometry_number": lambda d: d["features"][0].update(geometry=7),
        "geometry_array": lambda d: d["features"][0].update(geometry=[122, 45]),
        "geometry_type_missing": lambda d: d["features"][0]["geometry"].pop("type"),
        "geometry_type_number": lambda d: d["features"][0]["geometry"].update(type=1),
        "geometry_type_unknown": lambda d: d["features"][0]["geometry"].update(type="Circle"),
        "geometry_type_lowercase": lambda d: d["features"][0]["geometry"].update(type="point"),
        "coords_missing": lambda d: d["features"][0]["geometry"].pop("coordinates"),
        "coords_null": lambda d: d["features"][0]["geometry"].update(coordinates=None),
        "coords_string": lambda d: d["features"][0]["geometry"].update(coordinates="122,45"),
        "coords_strings": lambda d: d["features"][0]["geometry"].update(coordinates=["122", "45"]),
        "coords_bools": lambda d: d["features"][0]["geometry"].update(coordinates=[True, False]),
        "coords_object": lambda d: d["features"][0]["geometry"].update(coordinates={"x": 122, "y": 45}),
        "coords_one": lambda d: d["features"][0]["geometry"].update(coordinates=[122]),
        "coords_five": lambda d: d["features"][0]["geometry"].update(coordinates=[122, 45, 1, 2, 3]),
        "coords_too_deep": lambda d: d["features"][0]["geometry"].update(coordinates=[[122, 45]]),
        "coords_nulls": lambda d: d["features"][0]["geometry"].update(coordinates=[None, None]),
        "polygon_flat": lambda d: d["features"][0].update(geometry={"type": "Polygon", "coordinates": [122, 45, 123, 46]}),
        "polygon_ring_points": lambda d: d["features"][0].update(geometry={"type": "Polygon", "coordinates": [[122, 45], [123, 46]]}),
        "multipolygon_as_polygon": lambda d: d["features"][0].update(geometry={"type": "MultiPolygon",
                                                                                "coordinates": polygons(1)[0]["geometry"]["coordinates"]}),
        "collection_geometries_null": lambda d: d["features"][0].update(geometry={"type": "GeometryCollection", "geometries": None}),
        "collection_nested": lambda d: d["features"][0].update(geometry={"type": "GeometryCollection", "geometries": [
            {"type": "GeometryCollection", "geometries": [points(1)[0]["geometry"]]}]}),
        "properties_array": lambda d: d["features"][0].update(properties=[1, 2, 3]),
        "properties_string": lambda d: d["features"][0].update(properties="props"),
        "properties_number": lambda d: d["features"][0].update(properties=4),
        "property_type_changes": lambda d: [f["properties"].update(n=v) for f, v in zip(d["features"], ["a", 1.5, [1], {"x": 1}])],
        "id_object": lambda d: d["features"][0].update(id={"a": 1}),
        "id_float": lambda d: d["features"][0].update(id=1.5),
        "id_huge": lambda d: d["features"][0].update(id=2 ** 70),
        "id_negative": lambda d: d["features"][0].update(id=-(2 ** 63)),
        "bbox_string": lambda d: d.update(bbox="everywhere"),
        "bbox_short": lambda d: d["features"][0].update(bbox=[1]),
        "crs_number": lambda d: d.update(crs=4326),
        "crs_name_garbage": lambda d: d.update(crs={"type": "name", "properties": {"name": "not:a:crs"}}),
        "crs_name_object": lambda d: d.update(crs={"type": "name", "properties": {"name": {"a": 1}}}),
        "crs_epsg_projected": lambda d: d.update(crs={"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3857"}}),
    }
    for name, mutate in wrong.items():
        write(out, f"types/{name}.geojson", with_first(mutate))
        case(f"types/{name}.geojson", "either", g, f"wrong JSON type: {name.replace('_', ' ')}")
    # The top-level ones cannot leave the features readable; the per-feature ones leave 3.
    for c in cases:
        if c["group"] == g and c["name"].startswith("types/"):
            n = c["name"][6:-8]
            if n in ("type_number", "type_null", "type_unknown", "features_string", "features_number"):
                c["class"] = "refused"
            elif n in ("properties_array", "properties_string", "properties_number", "property_type_changes",
                       "id_float", "id_object", "id_huge", "id_negative", "bbox_string", "bbox_short"):
                c["class"], c["min_drawn"] = "drawn", 3
    # Duplicated keys: JSON leaves the meaning open; any outcome but a crash will do.
    p = '{"type":"Point","coordinates":[122.5,45.5]}'
    dups = {
        "dup_type": '{"type":"FeatureCollection","type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":%s}]}' % p,
        "dup_features": '{"type":"FeatureCollection","features":[],"features":[{"type":"Feature","properties":{},"geometry":%s}]}' % p,
        "dup_geometry": '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":%s,"geometry":null}]}' % p,
        "dup_coordinates": '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":'
                           '{"type":"Point","coordinates":[122.5,45.5],"coordinates":[122.6,45.6]}}]}',
        "dup_property": '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"a":1,"a":"x","A":2},"geometry":%s}]}' % p,
        "dup_property_many": '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{%s},"geometry":%s}]}'
                             % (",".join('"k":%d' % i for i in range(5000)), p),
        "dup_properties": '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"a":1},"properties":{"b":2},"geometry":%s}]}' % p,
    }
    for name, text in dups.items():
        write(out, f"keys/{name}.geojson", text)
        case(f"keys/{name}.geojson", "either", g, f"duplicated key: {name[4:].replace('_', ' ')}")
    # Encodings.
    text = dumps(fc(points(3)))
    enc = {
        "bom_utf8.geojson": ("\ufeff" + text).encode("utf-8"),
        "utf16le_bom.geojson": ("\ufeff" + text).encode("utf-16-le"),
        "utf16be_bom.geojson": ("\ufeff" + text).encode("utf-16-be"),
        "utf16le.geojson": text.encode("utf-16-le"),
        "utf32le_bom.geojson": ("\ufeff" + text).encode("utf-32-le"),
        "bom_twice.geojson": ("\ufeff\ufeff" + text).encode("utf-8"),
        "invalid_utf8_value.geojson": text.replace('"p0"', '"p\udcff\udcfe0"').encode("utf-8", "surrogateescape"),
        "invalid_utf8_key.geojson": text.replace('"name"', '"na\udcc3me"').encode("utf-8", "surrogateescape"),
        "overlong_utf8.geojson": text.replace('"p1"', '"p\udcc0\udcaf"').encode("utf-8", "surrogateescape"),
        "lone_surrogate_escape.geojson": text.replace('"p0"', '"\\ud800x\\udfff"').encode(),
        "nul_escape.geojson": text.replace('"p0"', '"a\\u0000b"').encode(),
        "raw_nul_in_string.geojson": text.replace('"p0"', '"a\x00b"').encode(),
        "latin1.geojson": text.replace('"p0"', '"caf\u00e9"').encode("latin-1"),
        "cjk.geojson": text.replace('"p0"', '"洮北区 ☃ 𝄞"').encode(),
        "trailing_garbage.geojson": (text + "\n}}]]garbage").encode(),
        "two_documents.geojson": (text + "\n" + text).encode(),
        "leading_nul.geojson": b"\x00" + text.encode(),
        "whitespace_only.geojson": b" \n\t\r " * 100,
        "comments.geojson": ("// a comment\n/* block */" + text).encode(),
        "trailing_commas.geojson": text.replace("}]}", "},]}").encode(),
        "single_quotes.geojson": text.replace('"', "'").encode(),
    }
    refused = {"trailing_garbage.geojson", "leading_nul.geojson", "whitespace_only.geojson", "single_quotes.geojson",
               "utf32le_bom.geojson"}
    drawn = {"bom_utf8.geojson", "invalid_utf8_value.geojson", "invalid_utf8_key.geojson", "overlong_utf8.geojson",
             "lone_surrogate_escape.geojson", "nul_escape.geojson", "latin1.geojson", "cjk.geojson"}
    for name, data in enc.items():
        write(out, "encoding/" + name, data)
        klass = "refused" if name in refused else "drawn" if name in drawn else "either"
        case("encoding/" + name, klass, g, "encoding: " + name[:-8].replace("_", " "), **({"min_drawn": 3} if klass == "drawn" else {}))


# ---- 3. numbers ------------------------------------------------------------------------
def gen_numbers(out):
    g = "numbers"
    good = [[122.1, 45.1], [122.3, 45.3], [122.6, 45.6]]
    vals = {
        "nan": "NaN", "inf": "Infinity", "neg_inf": "-Infinity", "big_1e308": "1e308", "overflow_1e309": "1e309",
        "neg_overflow": "-1e400", "denormal": "5e-324", "neg_zero": "-0.0", "lon_200": None, "lat_100": None,
        "lat_just_over": None, "lon_minus_540": None, "huge_int": "123456789012345678901234567890",
        "hex": "0x10", "leading_plus": "+122.5", "leading_zeros": "00122.5", "dot_only": ".5",
        "exponent_only": "1e", "long_mantissa": "122." + "5" * 2000,
    }
    pairs = {"lon_200": "200, 45", "lat_100": "122, 100", "lat_just_over": "122, 90.000001", "lon_minus_540": "-540, 45"}
    for name, v in vals.items():
        coord = pairs.get(name) or f"{v}, 45.5"
        feats = ['{"type":"Feature","properties":{"n":0},"geometry":{"type":"Point","coordinates":[%s]}}' % coord]
        feats += ['{"type":"Feature","properties":{"n":%d},"geometry":{"type":"Point","coordinates":[%r,%r]}}' % (i + 1, x, y)
                  for i, (x, y) in enumerate(good)]
        write(out, f"numbers/point_{name}.geojson", '{"type":"FeatureCollection","features":[%s]}' % ",".join(feats))
        # Non-JSON number syntax may make the whole file invalid: refused, or the point dropped.
        case(f"numbers/point_{name}.geojson", "either" if name in ("nan", "inf", "neg_inf", "hex", "leading_plus", "leading_zeros",
             "dot_only", "exponent_only") else "drawn", g, f"a point with {name.replace('_', ' ')} beside 3 good ones",
             min_drawn=3)
        # The same value in a polygon's ring and in a property.
        ring = "[[122,45],[%s],[122.5,45.5],[122,45]]" % coord
        write(out, f"numbers/ring_{name}.geojson", '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},'
              '"geometry":{"type":"Polygon","coordinates":[%s]}},%s]}' % (ring, ",".join(
                  '{"type":"Feature","properties":{},"geometry":%s}' % json.dumps(p["geometry"]) for p in polygons(2))))
        case(f"numbers/ring_{name}.geojson", "either" if name in ("nan", "inf", "neg_inf", "hex", "leading_plus", "leading_zeros",
             "dot_only", "exponent_only") else "drawn", g, f"a ring vertex {name.replace('_', ' ')} beside 2 good polygons",
             min_drawn=2)
        if name not in pairs:
            write(out, f"numbers/prop_{name}.geojson", '{"type":"FeatureCollection","features":[{"type":"Feature","properties":'
                  '{"v":%s},"geometry":{"type":"Point","coordinates":[122.5,45.5]}}]}' % v)
            case(f"numbers/prop_{name}.geojson", "either" if name in ("nan", "inf", "neg_inf", "hex", "leading_plus",
                 "leading_zeros", "dot_only", "exponent_only") else "drawn", g, f"a property {name.replace('_', ' ')}", min_drawn=1)
    write(out, "numbers/all_out_of_range.geojson", dumps(fc([{"type": "Feature", "properties": {},
          "geometry": {"type": "Point", "coordinates": [500 + i, 500]}} for i in range(3)])))
    case("numbers/all_out_of_range.geojson", "either", g, "every point outside ±180/±90: all dropped")


# ---- 4. empty and null geometries ---------------------------------------------------------
def gen_empty(out):
    g = "table"
    empties = {
        "null": None,
        "point": {"type": "Point", "coordinates": []},
        "linestring": {"type": "LineString", "coordinates": []},
        "polygon": {"type": "Polygon", "coordinates": []},
        "polygon_empty_ring": {"type": "Polygon", "coordinates": [[]]},
        "multipoint": {"type": "MultiPoint", "coordinates": []},
        "multilinestring": {"type": "MultiLineString", "coordinates": []},
        "multipolygon": {"type": "MultiPolygon", "coordinates": []},
        "geometrycollection": {"type": "GeometryCollection", "geometries": []},
        "collection_of_empties": {"type": "GeometryCollection", "geometries": [
            {"type": "Point", "coordinates": []}, {"type": "LineString", "coordinates": []}, {"type": "Polygon", "coordinates": []}]},
    }
    for name, geom in empties.items():
        feats = [{"type": "Feature", "properties": {"name": f"r{i}", "n": i}, "geometry": geom} for i in range(3)]
        write(out, f"empty/all_{name}.geojson", dumps(fc(feats)))
        case(f"empty/all_{name}.geojson", "table", g, f"every feature's geometry is {name.replace('_', ' ')}", rows=3)
        write(out, f"empty/some_{name}.geojson", dumps(fc(feats[:1] + polygons(3))))
        case(f"empty/some_{name}.geojson", "partial", g, f"one {name.replace('_', ' ')} geometry beside 3 polygons",
             min_drawn=3, rows=4)
    write(out, "empty/no_geometry_member.geojson", dumps(fc([{"type": "Feature", "properties": {"n": 1}}] + points(2))))
    case("empty/no_geometry_member.geojson", "partial", g, "a feature without a geometry member beside 2 points",
         min_drawn=2, rows=3)
    src = os.path.join(out, "empty/all_null.geojson")
    ogr2ogr(os.path.join(out, "empty/all_null.gpkg"), src, "GPKG")
    case("empty/all_null.gpkg", "table", g, "a GeoPackage table whose rows have no geometry", rows=3)
    ogr2ogr(os.path.join(out, "empty/all_null.csv"), src, "CSV")
    case("empty/all_null.csv", "table", g, "a CSV without coordinates", rows=3)
    ogr2ogr(os.path.join(out, "empty/some_null.fgb"), os.path.join(out, "empty/some_null.geojson"), "FlatGeobuf")
    case("empty/some_null.fgb", "partial", g, "a FlatGeobuf with one null geometry beside 3 polygons", min_drawn=3)


# ---- 5. GeoPackage, FlatGeobuf, Shapefile: truncated and corrupted ----------------------------
def gen_binary(out):
    src = os.path.join(out, "valid/polygons.geojson")
    many = os.path.join(out, "valid/many_polygons.geojson")
    feats = []
    for k in range(40):
        feats += polygons(5)
        for f in feats[-5:]:
            f["geometry"]["coordinates"] = [[[x + 0.01 * k, y + 0.02 * k] for x, y in r] for r in f["geometry"]["coordinates"]]
    write(out, "valid/many_polygons.geojson", dumps(fc(feats)))
    case("valid/many_polygons.geojson", "drawn", "geojson", "200 polygons", min_drawn=200)
    rng = random.Random(7)

    # GeoPackage
    gpkg = os.path.join(out, "valid/polygons.gpkg")
    ogr2ogr(gpkg, many, "GPKG", "-nln", "polygons")
    case("valid/polygons.gpkg", "drawn", "gpkg", "200 polygons", min_drawn=200)
    data = open(gpkg, "rb").read()
    page = struct.unpack(">H", data[16:18])[0] or 65536
    offsets = sorted(set([0, 1, 15, 16, 99, 100, 101, 512, page - 1, page, page + 1, 2 * page, len(data) // 2,
                          len(data) - page, len(data) - 1] + [rng.randrange(100, len(data) - 1) for _ in range(12)]))
    for off in offsets:
        name = f"gpkg/truncated_at_{off}.gpkg"
        write(out, name, data[:off])
        case(name, "refused", "gpkg", f"polygons.gpkg cut at byte {off} of {len(data)}")
    npages = len(data) // page
    for i in range(npages):
        for how in ("zeros", "random"):
            b = bytearray(data)
            b[i * page + (100 if i == 0 else 0):(i + 1) * page] = bytes(page - (100 if i == 0 else 0)) if how == "zeros" \
                else bytes(rng.randrange(256) for _ in range(page - (100 if i == 0 else 0)))
            name = f"gpkg/page_{i}_{how}.gpkg"
            write(out, name, bytes(b))
            case(name, "either", "gpkg", f"page {i} of {npages} overwritten with {how}")
    headers = {
        "magic": (0, b"SQLite format 4\x00"),
        "page_size_0": (16, b"\x00\x00"),
        "page_size_3": (16, b"\x00\x03"),
        "page_count_huge": (28, b"\xff\xff\xff\xff"),
        "schema_format_99": (44, b"\x00\x00\x00\x63"),
        "text_encoding_7": (56, b"\x00\x00\x00\x07"),
        "application_id": (68, b"XXXX"),
        "reserved_bytes": (20, b"\xff"),
    }
    for name, (off, patch) in headers.items():
        b = bytearray(data)
        b[off:off + len(patch)] = patch
        write(out, f"gpkg/header_{name}.gpkg", bytes(b))
        case(f"gpkg/header_{name}.gpkg", "either", "gpkg", f"SQLite header: {name.replace('_', ' ')}")

    # FlatGeobuf
    fgb = os.path.join(out, "valid/polygons.fgb")
    ogr2ogr(fgb, many, "FlatGeobuf")
    case("valid/polygons.fgb", "drawn", "fgb", "200 polygons with a spatial index", min_drawn=200)
    fgb_noidx = os.path.join(out, "valid/polygons_noindex.fgb")
    ogr2ogr(fgb_noidx, many, "FlatGeobuf", "-lco", "SPATIAL_INDEX=NO")
    case("valid/polygons_noindex.fgb", "drawn", "fgb", "200 polygons, no index", min_drawn=200)
    for label, blob in (("", open(fgb, "rb").read()), ("noindex_", open(fgb_noidx, "rb").read())):
        hsize = struct.unpack("<I", blob[8:12])[0]
        offs = sorted(set([0, 1, 4, 7, 8, 11, 12, 20, 12 + hsize - 1, 12 + hsize, 12 + hsize + 1, 12 + hsize + 8,
                           len(blob) // 2, len(blob) - 1] + [rng.randrange(12, len(blob) - 1) for _ in range(8)]))
        for off in offs:
            name = f"fgb/{label}truncated_at_{off}.fgb"
            write(out, name, blob[:off])
            case(name, "refused", "fgb", f"polygons{'_noindex' if label else ''}.fgb cut at byte {off} of {len(blob)}")
        patches = {
            "magic": (0, b"fgc\x03fgb\x00"),
            "version_9": (3, b"\x09"),
            "header_size_huge": (8, b"\xff\xff\xff\x7f"),
            "header_size_zero": (8, b"\x00\x00\x00\x00"),
            "header_size_past_end": (8, struct.pack("<I", len(blob))),
            "header_garbage": (12, bytes(rng.randrange(256) for _ in range(hsize))),
            "feature_size_huge": (12 + hsize + (0 if label else 0), b"\xff\xff\xff\x7f"),
            "features_garbage": (len(blob) // 2, bytes(rng.randrange(256) for _ in range(len(blob) // 2))),
        }
        for name, (off, patch) in patches.items():
            b = bytearray(blob)
            b[off:off + len(patch)] = patch
            write(out, f"fgb/{label}{name}.fgb", bytes(b[:len(blob)]))
            case(f"fgb/{label}{name}.fgb", "either", "fgb", f"FlatGeobuf {label.rstrip('_')} {name.replace('_', ' ')}")

    # Points go through GDAL's Arrow stream (io/ArrowReader), not feature by feature.
    ogr2ogr(os.path.join(out, "valid/points.fgb"), os.path.join(out, "valid/points.geojson"), "FlatGeobuf")
    case("valid/points.fgb", "drawn", "fgb", "12 points (read through the Arrow stream)", min_drawn=12)
    blob = open(os.path.join(out, "valid/points.fgb"), "rb").read()
    hsize = struct.unpack("<I", blob[8:12])[0]
    for off in (12 + hsize, 12 + hsize + 8, len(blob) - 10):
        write(out, f"fgb/points_truncated_at_{off}.fgb", blob[:off])
        case(f"fgb/points_truncated_at_{off}.fgb", "refused", "fgb",
             f"points.fgb cut at byte {off} of {len(blob)}")

    # Shapefile sets
    shp_dir = os.path.join(out, "valid")
    ogr2ogr(os.path.join(shp_dir, "polygons.shp"), many, "ESRI Shapefile")
    case("valid/polygons.shp", "drawn", "shp", "200 polygons, .shp .shx .dbf .prj .cpg", min_drawn=200)
    base = os.path.join(shp_dir, "polygons")
    write(out, "valid/polygons.cpg", "UTF-8")  # GDAL 3.6 writes none; the set has one, to damage
    ogr2ogr(os.path.join(shp_dir, "points.shp"), os.path.join(out, "valid/points.geojson"), "ESRI Shapefile")
    case("valid/points.shp", "drawn", "shp", "12 points", min_drawn=12)
    sizes = {ext: os.path.getsize(base + ext) for ext in (".shp", ".shx", ".dbf")}
    for ext, count in ((".shp", 14), (".shx", 8), (".dbf", 10)):
        n = sizes[ext]
        offs = sorted(set([0, 1, 50, 99, 100, 101, n // 2, n - 1] + ([31, 32, 33, 64, 65] if ext == ".dbf" else [])
                          + [rng.randrange(1, n - 1) for _ in range(count - 8)]))
        for off in offs:
            name = f"shp/trunc{ext[1:]}_at_{off}.shp"
            copy_shp(out, base, name, lambda e, d, ext=ext, off=off: d[:off] if e == ext else d)
            case(name, "either", "shp", f"polygons.shp with its {ext} cut at byte {off} of {n}")
    def patch_at(target, off, patch):
        def m(e, d):
            if e != target:
                return d
            b = bytearray(d)
            b[off:off + len(patch)] = patch
            return bytes(b)
        return m
    shp_patches = {
        "shp_file_code": (".shp", 0, b"\x00\x00\x00\x00"),
        "shp_length_huge": (".shp", 24, b"\x7f\xff\xff\xff"),
        "shp_type_31": (".shp", 32, struct.pack("<i", 31)),
        "shp_type_99": (".shp", 32, struct.pack("<i", 99)),
        "shp_bbox_nan": (".shp", 36, struct.pack("<dddd", math.nan, math.nan, math.inf, -math.inf)),
        "shp_record_length_huge": (".shp", 104, b"\x7f\xff\xff\xff"),
        "shp_record_type_wrong": (".shp", 108, struct.pack("<i", 1)),
        "shp_numparts_huge": (".shp", 144, struct.pack("<i", 0x7fffffff)),
        "shp_numpoints_huge": (".shp", 148, struct.pack("<i", 0x7fffffff)),
        "shp_numparts_negative": (".shp", 144, struct.pack("<i", -5)),
        "shp_part_index_wild": (".shp", 152, struct.pack("<i", 100000)),
        "shp_coords_nan": (".shp", 160, struct.pack("<dd", math.nan, math.inf)),
        "shx_offset_wild": (".shx", 100, struct.pack(">i", 0x7ffffff0)),
        "shx_offset_negative": (".shx", 108, struct.pack(">i", -100)),
        "shx_length_huge": (".shx", 104, struct.pack(">i", 0x7fffffff)),
        "dbf_records_huge": (".dbf", 4, struct.pack("<I", 0x7fffffff)),
        "dbf_header_len_small": (".dbf", 8, struct.pack("<H", 1)),
        "dbf_header_len_huge": (".dbf", 8, struct.pack("<H", 0xffff)),
        "dbf_record_len_zero": (".dbf", 10, struct.pack("<H", 0)),
        "dbf_field_len_zero": (".dbf", 32 + 16, b"\x00"),
        "dbf_field_len_255": (".dbf", 32 + 16, b"\xff"),
        "dbf_field_type_x": (".dbf", 32 + 11, b"X"),
        "dbf_no_terminator": (".dbf", 32 * 4, b"\x41"),
        "dbf_version_garbage": (".dbf", 0, b"\xff"),
        "cpg_garbage": (".cpg", 0, b"\xff\xfe\x00NOT-A-CODEPAGE" * 20),
        "prj_garbage": (".prj", 0, b"PROJCS[garbage" + b"[" * 5000),
    }
    for name, (ext, off, patch) in shp_patches.items():
        copy_shp(out, base, f"shp/{name}.shp", patch_at(ext, off, patch))
        case(f"shp/{name}.shp", "either", "shp", f"Shapefile: {name.replace('_', ' ')}")
    for missing in (".shx", ".dbf", ".prj"):
        name = f"shp/without_{missing[1:]}.shp"
        copy_shp(out, base, name, lambda e, d, m=missing: None if e == m else d)
        case(name, {".shx": "either", ".dbf": "either", ".prj": "drawn"}[missing], "shp",
             f"a Shapefile set without its {missing}", **({"min_drawn": 200} if missing == ".prj" else {}))
    # Sidecars alone.
    for ext, klass in ((".dbf", "table"), (".shx", "refused"), (".prj", "refused"), (".cpg", "refused")):
        name = f"sidecar/alone{ext}"
        os.makedirs(os.path.join(out, "sidecar"), exist_ok=True)
        shutil.copy(base + ext, os.path.join(out, name))
        case(name, klass, "table" if klass == "table" else "shp", f"a {ext} without its .shp", **({"rows": 200} if klass == "table" else {}))
    # Null shapes: a Shapefile whose records are all null.
    ogr2ogr(os.path.join(out, "empty/all_null.shp"), os.path.join(out, "empty/all_null.geojson"), "ESRI Shapefile",
            "-nlt", "POINT")
    case("empty/all_null.shp", "table", "table", "a Shapefile of null shapes", rows=3)


# ---- 6. special files, remote references, impostors ----------------------------------------
def gen_special(out):
    g = "special"
    sp = os.path.join(out, "special")
    if os.path.isdir(sp):
        shutil.rmtree(sp)
    os.makedirs(sp)
    os.mkfifo(os.path.join(sp, "fifo.geojson"))
    case("special/fifo.geojson", "refused", g, "a FIFO: opening it for reading blocks until a writer comes")
    os.mkfifo(os.path.join(sp, "fifo.gpkg"))
    case("special/fifo.gpkg", "refused", g, "a FIFO named .gpkg")
    os.makedirs(os.path.join(sp, "folder.geojson"))
    case("special/folder.geojson", "refused", g, "a folder named x.geojson")
    os.makedirs(os.path.join(sp, "folder.shp"))
    case("special/folder.shp", "refused", g, "a folder named x.shp")
    os.symlink("/dev/zero", os.path.join(sp, "zero.geojson"))
    case("special/zero.geojson", "refused", g, "a symlink to /dev/zero: endless zeros",
         says=["zero.geojson → /dev/zero: refused: it is a character device"])
    os.symlink("/dev/zero", os.path.join(sp, "zero.fgb"))
    case("special/zero.fgb", "refused", g, "a symlink to /dev/zero named .fgb")
    os.symlink("/dev/null", os.path.join(sp, "null.geojson"))
    case("special/null.geojson", "refused", g, "a symlink to /dev/null")
    os.symlink("/dev/urandom", os.path.join(sp, "urandom.shp"))
    case("special/urandom.shp", "refused", g, "a symlink to /dev/urandom named .shp")
    os.symlink("nowhere.geojson", os.path.join(sp, "dangling.geojson"))
    case("special/dangling.geojson", "refused", g, "a dangling symlink")
    os.symlink("loop_b.geojson", os.path.join(sp, "loop_a.geojson"))
    os.symlink("loop_a.geojson", os.path.join(sp, "loop_b.geojson"))
    case("special/loop_a.geojson", "refused", g, "a symlink loop")
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.bind(os.path.join(sp, "socket.geojson"))
    s.close()
    case("special/socket.geojson", "refused", g, "a Unix socket named .geojson")
    base = os.path.join(out, "valid/points")
    for ext in (".shp", ".shx", ".prj"):
        shutil.copy(base + ext, os.path.join(sp, "fifo_dbf" + ext))
    os.mkfifo(os.path.join(sp, "fifo_dbf.dbf"))
    case("special/fifo_dbf.shp", "refused", g, "a Shapefile whose .dbf is a FIFO")
    for ext in (".shp", ".dbf"):
        shutil.copy(base + ext, os.path.join(sp, "fifo_shx" + ext))
    os.mkfifo(os.path.join(sp, "fifo_shx.shx"))
    case("special/fifo_shx.shp", "refused", g, "a Shapefile whose .shx is a FIFO")
    for ext in (".shp", ".shx", ".dbf"):
        shutil.copy(base + ext, os.path.join(sp, "zero_prj" + ext))
    os.symlink("/dev/zero", os.path.join(sp, "zero_prj.prj"))
    case("special/zero_prj.shp", "refused", g, "a Shapefile whose .prj is /dev/zero",
         says=["zero_prj.prj → /dev/zero beside it is a character device"])
    case("special/does_not_exist.geojson", "refused", g, "no such file")


def gen_remote(out):
    g = "remote"
    pts = points(3)
    links = {
        "crs_link_http": {"type": "link", "properties": {"href": REMOTE + "/crs.wkt", "type": "ogcwkt"}},
        "crs_link_proj4": {"type": "link", "properties": {"href": REMOTE + "/crs.proj4", "type": "proj4"}},
        "crs_link_vsicurl": {"type": "link", "properties": {"href": "/vsicurl/" + REMOTE + "/crs.wkt", "type": "ogcwkt"}},
        "crs_name_url": {"type": "name", "properties": {"name": REMOTE + "/def/crs/EPSG/0/4326"}},
        "crs_name_opengis": {"type": "name", "properties": {"name": "http://www.opengis.net/def/crs/EPSG/0/4326"}},
    }
    for name, crs in links.items():
        write(out, f"remote/{name}.geojson", dumps(fc(pts, crs=crs)))
        case(f"remote/{name}.geojson", "either", g, f"a \"crs\" that points at the network: {name[4:].replace('_', ' ')}")
    write(out, "remote/url_only.geojson", REMOTE + "/data.geojson")
    case("remote/url_only.geojson", "refused", g, "a .geojson whose whole text is a URL")
    write(out, "remote/vsicurl_only.geojson", "/vsicurl/" + REMOTE + "/data.geojson")
    case("remote/vsicurl_only.geojson", "refused", g, "a .geojson whose whole text is a /vsicurl/ path")
    write(out, "remote/ref_members.geojson", dumps(fc([{"$ref": REMOTE + "/f.json"}] + pts)))
    case("remote/ref_members.geojson", "either", g, "a \"$ref\" feature")
    gml = ('<?xml version="1.0"?>\n<ogr:FeatureCollection xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
           'xsi:schemaLocation="http://ogr.maptools.org/ %s/schema.xsd" xmlns:ogr="http://ogr.maptools.org/" '
           'xmlns:gml="http://www.opengis.net/gml" xmlns:xlink="http://www.w3.org/1999/xlink">\n'
           '<gml:featureMember><ogr:p fid="p.0"><ogr:geometryProperty><gml:Point srsName="%s/crs/4326">'
           '<gml:coordinates>122.5,45.5</gml:coordinates></gml:Point></ogr:geometryProperty>'
           '<ogr:link xlink:href="%s/x.xml"/></ogr:p></gml:featureMember>\n</ogr:FeatureCollection>\n') % (REMOTE, REMOTE, REMOTE)
    write(out, "remote/schema_url.gml", gml)
    case("remote/schema_url.gml", "either", g, "a GML whose schemaLocation, srsName and xlink:href are URLs")
    kml = ('<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document>'
           '<NetworkLink><Link><href>%s/more.kml</href></Link></NetworkLink>'
           '<Placemark><name>a</name><Point><coordinates>122.5,45.5</coordinates></Point></Placemark>'
           '<Style><IconStyle><Icon><href>%s/icon.png</href></Icon></IconStyle></Style>'
           '</Document></kml>') % (REMOTE, REMOTE)
    write(out, "remote/network_link.kml", kml)
    case("remote/network_link.kml", "drawn", g, "a KML with a NetworkLink and a remote icon", min_drawn=1)
    base = os.path.join(out, "valid/points")
    for name, prj in (("prj_url", REMOTE + "/esri.prj"), ("prj_vsicurl", "/vsicurl/" + REMOTE + "/esri.prj"),
                      ("prj_urn", "urn:ogc:def:crs:EPSG::4326")):
        for ext in (".shp", ".shx", ".dbf"):
            shutil.copy(base + ext, os.path.join(out, f"remote/{name}{ext}"))
        write(out, f"remote/{name}.prj", prj)
        case(f"remote/{name}.shp", "either", g, f"a Shapefile whose .prj is {prj}")
    write(out, "remote/wkt_url_csv.csv", "WKT,name\n\"POINT (122.5 45.5)\",a\n\"%s/geom.wkt\",b\n" % REMOTE)
    case("remote/wkt_url_csv.csv", "either", g, "a CSV whose WKT column holds a URL")
    # Paths that are themselves remote: typed into the reader, never allowed here.
    for i, path in enumerate(["/vsicurl/" + REMOTE + "/x.geojson", REMOTE + "/x.geojson", "https://bcmap-hostile.invalid/x.gpkg",
                              "/vsizip//vsicurl/" + REMOTE + "/x.zip", "GeoJSON:" + REMOTE + "/x.geojson",
                              "/vsis3/bcmap-hostile/x.geojson", "/vsicurl?url=" + REMOTE + "/x.fgb",
                              "/VSICURL/" + REMOTE + "/x.shp", "ftp://bcmap-hostile.invalid/x.geojson"]):
        case(path, "refused", "remote", "a remote path typed as the file", path=True, render=False,
             render_note="render allows the network for a URL the user typed (host/AppSession)")


def gen_impostors(out):
    g = "impostor"
    png = b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    png += struct.pack(">I", zlib.crc32(png[12:29]))
    idat = zlib.compress(b"\x00\xff\x00\x00")
    png += struct.pack(">I", len(idat)) + b"IDAT" + idat + struct.pack(">I", zlib.crc32(b"IDAT" + idat))
    png += struct.pack(">I", 0) + b"IEND" + struct.pack(">I", zlib.crc32(b"IEND"))
    geo = dumps(fc(points(3))).encode()
    blobs = {
        "png": png, "gzip": gzip.compress(geo, mtime=0), "zip": None, "pdf": b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
        "elf": b"\x7fELF\x02\x01\x01" + bytes(57), "random": bytes(random.Random(3).randrange(256) for _ in range(4096)),
        "html": b"<!DOCTYPE html><html><body><h1>404 Not Found</h1></body></html>",
        "xml": b"<?xml version='1.0'?><root><a/></root>", "sqlite_empty": None,
        "zeros": bytes(8192), "text": b"hello, world\n" * 10,
    }
    import io
    import zipfile
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("points.geojson", geo)
    blobs["zip"] = buf.getvalue()
    sq = os.path.join(out, "impostor/_plain.sqlite")
    os.makedirs(os.path.dirname(sq), exist_ok=True)
    if os.path.exists(sq):
        os.remove(sq)
    import sqlite3
    con = sqlite3.connect(sq)
    con.execute("create table t(a int)")
    con.commit()
    con.close()
    blobs["sqlite_empty"] = open(sq, "rb").read()
    os.remove(sq)
    for kind, data in blobs.items():
        for ext in (".geojson", ".gpkg", ".shp", ".fgb", ".json", ".kml"):
            if kind in ("zeros", "text", "elf", "pdf", "xml") and ext in (".json", ".kml"):
                continue
            name = f"impostor/{kind}{ext}"
            write(out, name, data)
            # A plain SQLite database opens as a table of its own (SQLite driver), whatever its name.
            case(name, "either" if kind == "sqlite_empty" else "refused", g, f"a {kind} file named {ext}")
    write(out, "impostor/geojson.gpkg", geo)
    case("impostor/geojson.gpkg", "drawn", g, "a GeoJSON named .gpkg (GDAL picks the driver by content)", min_drawn=3)
    write(out, "impostor/geojson.shp", geo)
    case("impostor/geojson.shp", "drawn", g, "a GeoJSON named .shp", min_drawn=3)
    shutil.copy(os.path.join(out, "valid/polygons.gpkg"), os.path.join(out, "impostor/gpkg.geojson"))
    case("impostor/gpkg.geojson", "drawn", g, "a GeoPackage named .geojson", min_drawn=200)
    for ext in (".geojson", ".json", ".gpkg", ".shp", ".dbf", ".shx", ".fgb", ".kml", ".gml", ".gpx", ".csv", ".sqlite", ".tab"):
        name = f"zero_bytes/empty{ext}"
        write(out, name, b"")
        case(name, "refused", "impostor", f"a 0-byte {ext}", says=[f"empty{ext}: the file is empty (0 bytes)"])


# ---- 7. the big ones (issue 12: work per feature must be near-linear) -------------------------
def gen_big(out):
    g = "big"
    path = os.path.join(out, "big/ring_1m.geojson")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    rng = random.Random(1)
    n = 1_000_000
    # A coastline-like ring: a big circle, its radius wobbling at several scales plus noise of
    # about a third of the vertex spacing, so neighbouring vertices are dense and nearly
    # collinear; closed, no self-crossing.
    parts = []
    for i in range(n):
        t = 2 * math.pi * i / n
        r = 0.5 + 0.02 * math.sin(37 * t) + 0.005 * math.sin(411 * t) + 1.2e-6 * (rng.random() - 0.5)
        parts.append("[%.8f,%.8f]" % (122.5 + r * math.cos(t) * 1.4, 45.5 + r * math.sin(t)))
    parts.append(parts[0])
    with open(path, "w") as f:
        f.write('{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"coast"},'
                '"geometry":{"type":"Polygon","coordinates":[[' + ",".join(parts) + "]]}}]}")
    case("big/ring_1m.geojson", "drawn", g, "one polygon ring of 1 000 001 vertices, dense and nearly collinear", min_drawn=1)
    # The shore of a long, straight coast: 999 997 vertices along one edge, each off the line
    # by at most 1e-9 degree (nearly collinear, reflex and convex in turn), closed by three
    # corners. The ear clipper makes pass after pass over such a chain (issue 12).
    parts = ["[%.9f,%.9f]" % (122.0 + i / (n - 3), 45.5 + 2e-9 * (rng.random() - 0.5)) for i in range(n - 3)]
    parts += ["[123.0,45.5]", "[123.0,46.0]", "[122.0,46.0]", parts[0]]
    with open(os.path.join(out, "big/ring_1m_collinear.geojson"), "w") as f:
        f.write('{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"coast"},'
                '"geometry":{"type":"Polygon","coordinates":[[' + ",".join(parts) + "]]}}]}")
    case("big/ring_1m_collinear.geojson", "drawn", g, "one polygon ring of 1 000 001 vertices, 999 997 of them nearly collinear",
         min_drawn=1)
    props = ",".join('"field_%06d":%d' % (i, i) for i in range(100_000))
    write(out, "big/props_100k.geojson", '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{%s},'
          '"geometry":{"type":"Point","coordinates":[122.5,45.5]}}]}' % props)
    case("big/props_100k.geojson", "drawn", g, "one feature with 100 000 properties", min_drawn=1)


def main():
    out = os.path.abspath(sys.argv[1])
    # Always made afresh: every file derives from a fixed seed, and the whole run takes seconds.
    if os.path.isdir(out):
        shutil.rmtree(out)
    os.makedirs(out)
    for gen in (gen_geojson, gen_json, gen_numbers, gen_empty, gen_binary, gen_special, gen_remote, gen_impostors, gen_big):
        gen(out)
    for c in cases:
        c["file"] = c["name"] if c.get("path") else os.path.join(out, c["name"])
        c["source"] = "generated"
    with open(os.path.join(HERE, "cases.json"), encoding="utf-8") as f:
        for c in json.load(f)["cases"]:
            c["file"] = os.path.join(HERE, c["name"])
            cases.append(c)
    names = [c["name"] for c in cases]
    dup = {n for n in names if names.count(n) > 1}
    assert not dup, f"duplicate case names: {sorted(dup)}"
    with open(os.path.join(out, "cases.json"), "w", encoding="utf-8") as f:
        json.dump({"cases": cases}, f, indent=1)
    by = {}
    for c in cases:
        by[c["class"]] = by.get(c["class"], 0) + 1
    print(f"{len(cases)} cases in {out}: " + ", ".join(f"{k} {v}" for k, v in sorted(by.items())))


if __name__ == "__main__":
    main()
