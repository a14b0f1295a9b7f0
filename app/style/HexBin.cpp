#include "style/HexBin.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "model/Log.h"
#include "io/Projection.h"

namespace bcmap {

namespace {
const double kSqrt3 = std::sqrt(3.0);
}

// Axial coordinates from a point, rounded through cube coordinates (q + r + s = 0): the
// component that moved most in rounding is recomputed from the other two, which keeps the
// nearest hexagon centre.
HexCell hexCellAt(Vec2 p, double side) {
  const double qf = (2.0 / 3.0) * p.x / side;
  const double rf = (-p.x / 3.0 + kSqrt3 / 3.0 * p.y) / side;
  const double sf = -qf - rf;
  double q = std::round(qf), r = std::round(rf), s = std::round(sf);
  const double dq = std::abs(q - qf), dr = std::abs(r - rf), ds = std::abs(s - sf);
  if (dq > dr && dq > ds) q = -r - s;
  else if (dr > ds) r = -q - s;
  return HexCell{static_cast<int32_t>(q), static_cast<int32_t>(r)};
}

Vec2 hexCentre(HexCell c, double side) {
  return {side * 1.5 * c.q, side * kSqrt3 * (c.r + c.q / 2.0)};
}

std::optional<HexBins> hexBin(const FeatureTable& points, const std::string& pointsCrs, double sideM,
                              std::string* err) {
  auto fail = [&](const std::string& m) -> std::optional<HexBins> {
    if (err) *err = "hexagons: " + m;
    return std::nullopt;
  };
  if (!(sideM > 0)) return fail("the hexagon side must be positive");
  const Bounds b = points.geometry.bounds();
  if (b.empty()) return fail("the layer has no points");
  std::string e;
  auto toLonLat = Transformer::create(pointsCrs, kLonLatCrs, &e);
  if (!toLonLat) return fail(e);
  const Vec2 centre = toLonLat->forward({(b.minX + b.maxX) / 2, (b.minY + b.maxY) / 2});
  if (!std::isfinite(centre.x) || !std::isfinite(centre.y)) return fail("the points' centre has no lon/lat");
  // The frame's centre rounded to 0.1°, so reloading slightly different points keeps the grid.
  char crs[160];
  std::snprintf(crs, sizeof crs, "+proj=laea +lat_0=%.1f +lon_0=%.1f +datum=WGS84 +units=m +no_defs +type=crs",
                std::round(centre.y * 10) / 10, std::round(centre.x * 10) / 10);
  auto toFrame = Transformer::create(pointsCrs, crs, &e);
  if (!toFrame) return fail(e);
  std::vector<Vec2> xy = points.geometry.xy;
  size_t failed = 0;
  toFrame->transform(xy, &failed);
  if (failed) logWarning("hexagons: " + std::to_string(failed) + " points could not be placed and are not counted");

  std::map<std::pair<int32_t, int32_t>, int64_t> counts;  // ordered: rows come out sorted
  for (const Vec2& p : xy) {
    if (!std::isfinite(p.x) || !std::isfinite(p.y)) continue;
    const HexCell c = hexCellAt(p, sideM);
    ++counts[{c.q, c.r}];
  }

  HexBins out;
  out.crs = crs;
  out.sideM = sideM;
  FeatureTable& t = out.table;
  GeometryColumn& g = t.geometry;
  g.kind = GeometryKind::Polygon;
  AttributeColumn count;
  count.name = "count";
  count.type = FieldType::Integer;
  for (const auto& [cell, n] : counts) {
    const Vec2 c = hexCentre({cell.first, cell.second}, sideM);
    // Flat-topped: corners at 0°, 60°, … 300°; the ring closed as GeoJSON closes it.
    for (int i = 0; i <= 6; ++i) {
      const double a = M_PI / 3.0 * (i % 6);
      g.xy.push_back({c.x + sideM * std::cos(a), c.y + sideM * std::sin(a)});
    }
    g.ringVertices.push_back(static_cast<uint32_t>(g.xy.size()));
    g.partRings.push_back(static_cast<uint32_t>(g.ringVertices.size() - 1));
    g.featureParts.push_back(static_cast<uint32_t>(g.partRings.size() - 1));
    count.ints.push_back(n);
    count.isNull.push_back(0);
    t.ids.push_back(std::to_string(cell.first) + "," + std::to_string(cell.second));
  }
  t.columns.push_back(std::move(count));
  return out;
}

}  // namespace bcmap
