// Sections: 1. geodesics  2. the measurement  3. text
#include "geometry/Measure.h"

#include <geodesic.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string_view>

namespace bcmap {

namespace {

// WGS 84: a = 6378137 m, f = 1/298.257223563 (NIMA TR8350.2), as Projection.cpp uses.
const geod_geodesic& wgs84() {
  static const geod_geodesic g = [] {
    geod_geodesic e{};
    geod_init(&e, 6378137.0, 1.0 / 298.257223563);
    return e;
  }();
  return g;
}

bool finite(Vec2 p) { return std::isfinite(p.x) && std::isfinite(p.y); }

bool allFinite(std::span<const Vec2> pts) {
  for (const Vec2& p : pts)
    if (!finite(p)) return false;
  return true;
}

// Area (m², signed: counter-clockwise positive) and perimeter (m) of a ring.
void ringAreaPerimeter(std::span<const Vec2> ring, double* areaM2, double* perimeterM) {
  geod_polygon p{};
  geod_polygon_init(&p, 0);
  for (const Vec2& v : ring) geod_polygon_addpoint(&wgs84(), &p, v.y, v.x);
  // sign = 1: a clockwise ring gives a negative area, not the rest of the Earth.
  geod_polygon_compute(&wgs84(), &p, 0, 1, areaM2, perimeterM);
}

// A repeated closing vertex adds a zero-length edge; dropped so the counts stay honest.
std::span<const Vec2> openRing(std::span<const Vec2> ring) {
  if (ring.size() > 1 && ring.front().x == ring.back().x && ring.front().y == ring.back().y)
    return ring.first(ring.size() - 1);
  return ring;
}

}  // namespace

// ---- 1. geodesics --------------------------------------------------------------------------
double geodesicLengthKm(std::span<const Vec2> pts) {
  if (!allFinite(pts)) return NAN;
  double m = 0;
  for (size_t i = 1; i < pts.size(); ++i) {
    double s12 = 0;
    geod_inverse(&wgs84(), pts[i - 1].y, pts[i - 1].x, pts[i].y, pts[i].x, &s12, nullptr, nullptr);
    m += s12;
  }
  return m / 1000;
}

double geodesicAreaKm2(std::span<const Vec2> ring) {
  if (!allFinite(ring)) return NAN;
  ring = openRing(ring);
  if (ring.size() < 3) return 0;
  double area = 0;
  ringAreaPerimeter(ring, &area, nullptr);
  return std::abs(area) / 1e6;
}

double geodesicPerimeterKm(std::span<const Vec2> ring) {
  if (!allFinite(ring)) return NAN;
  ring = openRing(ring);
  if (ring.size() < 2) return 0;
  double perimeter = 0;
  ringAreaPerimeter(ring, nullptr, &perimeter);
  return perimeter / 1000;
}

double featureAreaKm2(const GeometryColumn& g, size_t feature) {
  if (g.kind != GeometryKind::Polygon || feature >= g.featureCount()) return 0;
  double km2 = 0;
  for (uint32_t part = g.featureParts[feature]; part < g.featureParts[feature + 1]; ++part)
    for (uint32_t r = g.partRings[part]; r < g.partRings[part + 1]; ++r) {
      const std::span<const Vec2> ring(g.xy.data() + g.ringVertices[r], g.ringVertices[r + 1] - g.ringVertices[r]);
      const double a = geodesicAreaKm2(ring);
      km2 += r == g.partRings[part] ? a : -a;  // ring 0 of a part is its outer ring
    }
  return km2;
}

std::vector<Vec2> geodesicPath(Vec2 a, Vec2 b, int pieces) {
  if (!finite(a) || !finite(b)) return {};
  if (pieces < 1) pieces = 1;
  geod_geodesicline line{};
  geod_inverseline(&line, &wgs84(), a.y, a.x, b.y, b.x, GEOD_DISTANCE_IN | GEOD_LATITUDE | GEOD_LONGITUDE);
  std::vector<Vec2> out;
  out.reserve(static_cast<size_t>(pieces) + 1);
  out.push_back(a);
  for (int i = 1; i < pieces; ++i) {
    double lat = 0, lon = 0;
    geod_position(&line, line.s13 * i / pieces, &lat, &lon, nullptr);
    out.push_back({lon, lat});
  }
  out.push_back(b);
  return out;
}

// ---- 2. the measurement --------------------------------------------------------------------
void Measurement::setMode(MeasureMode mode) {
  mode_ = mode;
  points_.clear();
  finished_ = false;
}

void Measurement::addPoint(Vec2 p) {
  if (mode_ == MeasureMode::None || !finite(p)) return;
  if (finished_) {
    points_.clear();
    finished_ = false;
  }
  if (!points_.empty() && points_.back().x == p.x && points_.back().y == p.y) return;
  points_.push_back(p);
}

bool Measurement::finish() {
  const size_t needed = mode_ == MeasureMode::Area ? 3 : 2;
  if (mode_ == MeasureMode::None || finished_ || points_.size() < needed) return false;
  finished_ = true;
  return true;
}

bool Measurement::cancel() {
  const bool had = !points_.empty();
  points_.clear();
  finished_ = false;
  return had;
}

std::vector<Vec2> Measurement::withHover(std::optional<Vec2> hover) const {
  std::vector<Vec2> pts = points_;
  if (!finished_ && hover && finite(*hover) && !pts.empty()) pts.push_back(*hover);
  return pts;
}

double Measurement::lengthKm(std::optional<Vec2> hover) const { return geodesicLengthKm(withHover(hover)); }
double Measurement::areaKm2(std::optional<Vec2> hover) const { return geodesicAreaKm2(withHover(hover)); }
double Measurement::perimeterKm(std::optional<Vec2> hover) const { return geodesicPerimeterKm(withHover(hover)); }

// ---- 3. text -------------------------------------------------------------------------------
namespace {

// Thousands separated by commas ("8,476.2"): large areas read at a glance.
std::string grouped(double value, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
  const std::string_view s = buf;
  const size_t intStart = s[0] == '-' ? 1 : 0;
  const size_t intEnd = std::min(s.find('.'), s.size());
  std::string out(s.substr(0, intStart));
  for (size_t k = intStart; k < intEnd; ++k) {
    if (k > intStart && (intEnd - k) % 3 == 0) out += ',';
    out += s[k];
  }
  out += s.substr(intEnd);
  return out;
}

}  // namespace

std::string formatDistanceKm(double km) {
  if (!std::isfinite(km)) return "—";
  if (km < 1) return grouped(km * 1000, 0) + " m";
  return grouped(km, km < 100 ? 2 : 1) + " km";
}

std::string formatAreaKm2(double km2) {
  if (!std::isfinite(km2)) return "—";
  if (km2 < 0.01) return grouped(km2 * 1e6, 0) + " m²";
  return grouped(km2, km2 < 1000 ? 2 : 1) + " km²";
}

}  // namespace bcmap
