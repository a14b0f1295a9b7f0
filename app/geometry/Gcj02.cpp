#include "geometry/Gcj02.h"

#include <cmath>
#include <numbers>

namespace bcmap {

namespace {

// The Krasovsky 1940 ellipsoid of the published formula.
constexpr double kKrasovskyA = 6378245.0;                  // semi-major axis, metres
constexpr double kKrasovskyEe = 0.00669342162296594323;    // first eccentricity squared
constexpr double kPi = std::numbers::pi;
// Agreement of forward(inverse(p)) with p; far below the source data's 1/1024° snapping.
constexpr double kInverseToleranceDeg = 1e-9;
constexpr int kInverseMaxIterations = 10;

// The formula's polynomial-plus-sines shifts, relative to (105 E, 35 N). Same operations
// in the same order as tools/fetch_counties.py, so both give the same bits on one libm.
double shiftLat(double x, double y) {
  double r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * std::sqrt(std::abs(x));
  r += (20.0 * std::sin(6.0 * x * kPi) + 20.0 * std::sin(2.0 * x * kPi)) * 2.0 / 3.0;
  r += (20.0 * std::sin(y * kPi) + 40.0 * std::sin(y / 3.0 * kPi)) * 2.0 / 3.0;
  r += (160.0 * std::sin(y / 12.0 * kPi) + 320.0 * std::sin(y * kPi / 30.0)) * 2.0 / 3.0;
  return r;
}

double shiftLon(double x, double y) {
  double r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * std::sqrt(std::abs(x));
  r += (20.0 * std::sin(6.0 * x * kPi) + 20.0 * std::sin(2.0 * x * kPi)) * 2.0 / 3.0;
  r += (20.0 * std::sin(x * kPi) + 40.0 * std::sin(x / 3.0 * kPi)) * 2.0 / 3.0;
  r += (150.0 * std::sin(x / 12.0 * kPi) + 300.0 * std::sin(x / 30.0 * kPi)) * 2.0 / 3.0;
  return r;
}

}  // namespace

bool isInsideChina(Vec2 lonLatDeg) {
  return lonLatDeg.x >= 72.004 && lonLatDeg.x <= 137.8347 && lonLatDeg.y >= 0.8293 &&
         lonLatDeg.y <= 55.8271;
}

Vec2 wgs84ToGcj02(Vec2 lonLatDeg) {
  if (!isInsideChina(lonLatDeg)) return lonLatDeg;
  const double lon = lonLatDeg.x;
  const double lat = lonLatDeg.y;
  double dLat = shiftLat(lon - 105.0, lat - 35.0);
  double dLon = shiftLon(lon - 105.0, lat - 35.0);
  const double radLat = lat / 180.0 * kPi;
  double magic = std::sin(radLat);
  magic = 1.0 - kKrasovskyEe * magic * magic;
  const double sqrtMagic = std::sqrt(magic);
  // Metres of shift to degrees: meridian and parallel radii of curvature on the ellipsoid.
  dLat = (dLat * 180.0) / ((kKrasovskyA * (1.0 - kKrasovskyEe)) / (magic * sqrtMagic) * kPi);
  dLon = (dLon * 180.0) / (kKrasovskyA / sqrtMagic * std::cos(radLat) * kPi);
  return {lon + dLon, lat + dLat};
}

Vec2 gcj02ToWgs84(Vec2 lonLatDeg) {
  if (!isInsideChina(lonLatDeg)) return lonLatDeg;
  // The offset's gradient is at most ~5e-3 (deg/deg), so subtracting the residual at the
  // current guess is a contraction that gains over two digits a step: 3–4 steps. The last
  // residual (< tolerance) is applied too, leaving an error ~200 times smaller.
  Vec2 g = wgs84ToGcj02(lonLatDeg);
  Vec2 w{lonLatDeg.x - (g.x - lonLatDeg.x), lonLatDeg.y - (g.y - lonLatDeg.y)};
  for (int i = 0; i < kInverseMaxIterations; ++i) {
    g = wgs84ToGcj02(w);
    const double eLon = g.x - lonLatDeg.x;
    const double eLat = g.y - lonLatDeg.y;
    w.x -= eLon;
    w.y -= eLat;
    if (std::abs(eLon) < kInverseToleranceDeg && std::abs(eLat) < kInverseToleranceDeg) break;
  }
  return w;
}

void gcj02ToWgs84InPlace(std::span<Vec2> lonLatDeg) {
  for (Vec2& p : lonLatDeg) p = gcj02ToWgs84(p);
}

}  // namespace bcmap
