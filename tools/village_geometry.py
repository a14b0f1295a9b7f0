"""Sections 4 and 5 of tools/gen_villages.py: the placement geometry (a local kilometre
plane, county shapes with point-in-polygon and border-distance indexes, a point grid)
and the deterministic random source (Rng, largest_remainder) it samples with."""

import math


# --- 4. geometry -------------------------------------------------------------------------
# All sampling happens in a local equirectangular plane in kilometres, centred on Baicheng:
# over its 3 degrees of latitude the scale error is under 3 %, far below what sample
# positions need. Every accepted point is rounded to 1e-6 degrees first and tested as
# rounded, so what is written is what was tested.

LON0, LAT0 = 123.0, 45.0
KM_PER_DEG_LAT = 111.2          # mean, for 45 N (the meridian degree there is 111.13 km)
KM_PER_DEG_LON = KM_PER_DEG_LAT * math.cos(math.radians(LAT0))
COORD_DIGITS = 6


def to_km(lon, lat):
    return (lon - LON0) * KM_PER_DEG_LON, (lat - LAT0) * KM_PER_DEG_LAT


def to_lonlat(x, y):
    return (round(LON0 + x / KM_PER_DEG_LON, COORD_DIGITS),
            round(LAT0 + y / KM_PER_DEG_LAT, COORD_DIGITS))


def haversine_km(lon1, lat1, lon2, lat2):
    r = 6371.0088  # mean Earth radius (IUGG), km
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (math.sin((p2 - p1) / 2) ** 2
         + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2)
    return 2 * r * math.asin(math.sqrt(a))


class CountyShape:
    """A county polygon in the km plane, with two indexes over its edges: horizontal bands
    for the even-odd ray test, and square cells for "is the border within d km"."""

    BAND_KM = 1.0
    CELL_KM = 2.0

    def __init__(self, adcode, rings_lonlat):
        self.adcode = adcode
        self.edges = []
        xs, ys = [], []
        for ring in rings_lonlat:
            pts = [to_km(lon, lat) for lon, lat in ring]
            for i in range(len(pts)):
                a, b = pts[i - 1], pts[i]
                if a != b:
                    self.edges.append((a[0], a[1], b[0], b[1]))
            xs.extend(p[0] for p in pts)
            ys.extend(p[1] for p in pts)
        self.min_x, self.max_x, self.min_y, self.max_y = min(xs), max(xs), min(ys), max(ys)
        self.bands = {}
        self.cells = {}
        for e in self.edges:
            x1, y1, x2, y2 = e
            for band in range(math.floor(min(y1, y2) / self.BAND_KM),
                              math.floor(max(y1, y2) / self.BAND_KM) + 1):
                self.bands.setdefault(band, []).append(e)
            for cx in range(math.floor(min(x1, x2) / self.CELL_KM),
                            math.floor(max(x1, x2) / self.CELL_KM) + 1):
                for cy in range(math.floor(min(y1, y2) / self.CELL_KM),
                                math.floor(max(y1, y2) / self.CELL_KM) + 1):
                    self.cells.setdefault((cx, cy), []).append(e)

    def contains(self, x, y):
        """Even-odd rule (the source's rings touch themselves; points near a touch are
        kept away by the margin test anyway)."""
        inside = False
        for x1, y1, x2, y2 in self.bands.get(math.floor(y / self.BAND_KM), ()):
            if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
                inside = not inside
        return inside

    def border_farther_than(self, x, y, d):
        reach = math.ceil(d / self.CELL_KM)
        cx, cy = math.floor(x / self.CELL_KM), math.floor(y / self.CELL_KM)
        d2 = d * d
        for i in range(cx - reach, cx + reach + 1):
            for j in range(cy - reach, cy + reach + 1):
                for x1, y1, x2, y2 in self.cells.get((i, j), ()):
                    dx, dy = x2 - x1, y2 - y1
                    t = ((x - x1) * dx + (y - y1) * dy) / (dx * dx + dy * dy)
                    t = 0.0 if t < 0.0 else 1.0 if t > 1.0 else t
                    ex, ey = x1 + dx * t - x, y1 + dy * t - y
                    if ex * ex + ey * ey < d2:
                        return False
        return True

    def accepts(self, x, y, margin_km):
        """Whether the point, rounded as it will be written, lies inside with the margin.
        Returns the rounded (lon, lat) and its km position, or None."""
        lon, lat = to_lonlat(x, y)
        rx, ry = to_km(lon, lat)
        if self.contains(rx, ry) and self.border_farther_than(rx, ry, margin_km):
            return lon, lat, rx, ry
        return None


class PointGrid:
    """The points placed so far, hashed by cell, for nearest-distance queries."""

    def __init__(self, cell_km):
        self.cell = cell_km
        self.points = {}

    def add(self, x, y):
        self.points.setdefault((math.floor(x / self.cell), math.floor(y / self.cell)), []).append((x, y))

    def any_within(self, x, y, d):
        reach = math.ceil(d / self.cell)
        cx, cy = math.floor(x / self.cell), math.floor(y / self.cell)
        for i in range(cx - reach, cx + reach + 1):
            for j in range(cy - reach, cy + reach + 1):
                for px, py in self.points.get((i, j), ()):
                    if (px - x) ** 2 + (py - y) ** 2 < d * d:
                        return True
        return False

    def nearest(self, x, y, give_up_km):
        """Distance to the nearest point, or give_up_km when none is that close."""
        best = give_up_km
        reach = math.ceil(give_up_km / self.cell)
        cx, cy = math.floor(x / self.cell), math.floor(y / self.cell)
        for i in range(cx - reach, cx + reach + 1):
            for j in range(cy - reach, cy + reach + 1):
                for px, py in self.points.get((i, j), ()):
                    d = math.hypot(px - x, py - y)
                    if d < best:
                        best = d
        return best


# --- 5. a deterministic random source ----------------------------------------------------
# Only Random.random() is used (Mersenne Twister, seeded with an int: the same stream on
# every Python 3); sampling, shuffling and normal deviates are built on it here, because
# the library's own helpers have changed their algorithms between versions.


class Rng:
    def __init__(self, seed):
        import random
        self._r = random.Random(seed)

    def uniform(self, a, b):
        return a + (b - a) * self._r.random()

    def below(self, n):
        return min(int(self._r.random() * n), n - 1)

    def normal(self):
        # Box-Muller; 1 - random() is in (0, 1], so the log is finite.
        u1, u2 = 1.0 - self._r.random(), self._r.random()
        return math.sqrt(-2.0 * math.log(u1)) * math.cos(2.0 * math.pi * u2)

    def weighted_index(self, weights):
        total = sum(weights)
        t = self._r.random() * total
        for i, w in enumerate(weights):
            t -= w
            if t < 0.0:
                return i
        return len(weights) - 1

    def sample_weighted(self, items, weights, k):
        """k distinct items, each draw proportional to the remaining weights."""
        items, weights = list(items), list(weights)
        chosen = []
        for _ in range(k):
            i = self.weighted_index(weights)
            chosen.append(items.pop(i))
            weights.pop(i)
        return chosen

    def sample(self, items, k):
        return self.sample_weighted(items, [1.0] * len(items), k)


def largest_remainder(total, weights):
    """Integers proportional to weights that sum to exactly `total` (Hamilton's method;
    ties go to the earlier item, so the result is deterministic)."""
    s = sum(weights)
    quotas = [total * w / s for w in weights]
    counts = [math.floor(q) for q in quotas]
    order = sorted(range(len(weights)), key=lambda i: (-(quotas[i] - counts[i]), i))
    for i in order[:total - sum(counts)]:
        counts[i] += 1
    return counts
