// MeasureTest: geodesic lengths and areas against values worked out by hand on the WGS 84
// ellipsoid, the real county areas against an equal-area projection, and the measure
// tool's state.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <numbers>

#include "host/LayerStore.h"
#include "geometry/Measure.h"
#include "host/PluginHost.h"
#include "io/Projection.h"
#include "io/VectorReader.h"

namespace bcmap {
namespace {

// WGS 84 (NIMA TR8350.2).
constexpr double kA = 6378137.0;
constexpr double kF = 1 / 298.257223563;
constexpr double kPi = std::numbers::pi;
double rad(double deg) { return deg * kPi / 180; }

// Area between the equator and latitude phi per radian of longitude on the ellipsoid
// (the authalic-latitude formula, e.g. Snyder 1987, eq. 3-12): b²/2 · q(phi).
double bandAreaPerRadian(double phi) {
  const double e2 = kF * (2 - kF), e = std::sqrt(e2), b = kA * (1 - kF), s = std::sin(phi);
  const double q = s / (1 - e2 * s * s) + std::log((1 + e * s) / (1 - e * s)) / (2 * e);
  return b * b / 2 * q;
}

// Meridian arc from the equator to phi: the integral of M = a(1-e²)/(1-e² sin²)^(3/2),
// by Simpson's rule (1000 steps: exact to far below a millimetre over a degree).
double meridianArcM(double phi) {
  const double e2 = kF * (2 - kF);
  const auto m = [&](double p) { return kA * (1 - e2) / std::pow(1 - e2 * std::sin(p) * std::sin(p), 1.5); };
  const int n = 1000;
  const double h = phi / n;
  double sum = m(0) + m(phi);
  for (int i = 1; i < n; ++i) sum += m(i * h) * (i % 2 ? 4 : 2);
  return sum * h / 3;
}

TEST(MeasureTest, LengthsAlongTheEquatorAndAMeridian) {
  // The equator is a geodesic for spans under (1-f)·180°: its length is a·Δλ.
  const std::vector<Vec2> equator = {{0, 0}, {1, 0}};
  EXPECT_NEAR(geodesicLengthKm(equator), kA * rad(1) / 1000, 1e-9);  // 111.3195 km
  EXPECT_NEAR(geodesicLengthKm(equator), 111.319, 0.001);
  const std::vector<Vec2> meridian = {{123, 0}, {123, 1}, {123, 2}};
  EXPECT_NEAR(geodesicLengthKm(meridian), meridianArcM(rad(2)) / 1000, 1e-6);
  // A polyline is the sum of its segments, whatever the order of the points.
  const std::vector<Vec2> back = {{0, 0}, {1, 0}, {0, 0}};
  EXPECT_NEAR(geodesicLengthKm(back), 2 * kA * rad(1) / 1000, 1e-9);
  EXPECT_EQ(geodesicLengthKm(std::vector<Vec2>{{1, 1}}), 0.0);
  EXPECT_TRUE(std::isnan(geodesicLengthKm(std::vector<Vec2>{{0, 0}, {NAN, 1}})));
  // Matches the scale bar's distance function (Projection.h) on Baicheng-sized spans.
  const Vec2 a{122.84, 45.62}, b{124.29, 45.51};
  EXPECT_NEAR(geodesicLengthKm(std::vector<Vec2>{a, b}), geodesicDistanceM(a, b) / 1000, 1e-9);
}

TEST(MeasureTest, AreaOfAOneDegreeCellAtTheEquator) {
  // The cell bounded by the equator, a parallel and two meridians is 12 308.46 km². The
  // measured polygon's top edge is a geodesic, which bows poleward of the 1° parallel by
  // about sin φ cos φ Δλ²/8 = 4.2 m at its middle: 2/3 · 4.2 m · 111 km = 0.31 km² more.
  const double cellKm2 = rad(1) * (bandAreaPerRadian(rad(1)) - bandAreaPerRadian(0)) / 1e6;
  EXPECT_NEAR(cellKm2, 12308.46, 0.01);
  const std::vector<Vec2> ccw = {{0, 0}, {1, 0}, {1, 1}, {0, 1}};
  const std::vector<Vec2> cw = {{0, 0}, {0, 1}, {1, 1}, {1, 0}};
  const std::vector<Vec2> closed = {{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}};
  EXPECT_NEAR(geodesicAreaKm2(ccw), cellKm2 + 0.31, 0.05);
  EXPECT_DOUBLE_EQ(geodesicAreaKm2(cw), geodesicAreaKm2(ccw));  // either winding
  EXPECT_DOUBLE_EQ(geodesicAreaKm2(closed), geodesicAreaKm2(ccw));  // a closing vertex changes nothing
  // Perimeter: the equator edge, two meridian arcs, and the top geodesic, shorter than the
  // parallel's arc N cos φ Δλ by about 8h²/(3L) = 0.4 mm (h = 4.2 m bow, L = 111 km).
  const double sides = kA * rad(1) + 2 * meridianArcM(rad(1));
  const double e2 = kF * (2 - kF);
  const double parallelM = kA * std::cos(rad(1)) / std::sqrt(1 - e2 * std::sin(rad(1)) * std::sin(rad(1))) * rad(1);
  EXPECT_NEAR(geodesicPerimeterKm(ccw) * 1000, sides + parallelM, 0.01);
  EXPECT_EQ(geodesicAreaKm2(std::vector<Vec2>{{0, 0}, {1, 0}}), 0.0);
}

TEST(MeasureTest, GeodesicPathEndsAtItsPointsAndStaysOnTheGeodesic) {
  const Vec2 a{122.5, 44.5}, b{124.3, 46.2};
  const std::vector<Vec2> path = geodesicPath(a, b, 8);
  ASSERT_EQ(path.size(), 9u);
  EXPECT_EQ(path.front().x, a.x);
  EXPECT_EQ(path.back().y, b.y);
  // Equal pieces, adding up to the whole.
  const double whole = geodesicDistanceM(a, b);
  for (size_t i = 1; i < path.size(); ++i) EXPECT_NEAR(geodesicDistanceM(path[i - 1], path[i]), whole / 8, 1e-3);
  EXPECT_NEAR(geodesicLengthKm(path), whole / 1000, 1e-6);
}

TEST(MeasureTest, CountyAreasMatchAnEqualAreaProjection) {
  if (!std::filesystem::exists(std::string(BCMAP_GEODATA) + "/baicheng_counties.geojson"))
    GTEST_SKIP() << "geodata/ has not been derived";
  initGdal();
  initProj();
  PluginHost host;
  host.open(std::string(BCMAP_PLUGIN_DIR) + "/bcmap_counties.so");
  LayerStore store(BCMAP_GEODATA);
  store.addPluginLayers(host);
  Layer* l = store.find("counties");
  ASSERT_NE(l, nullptr);
  store.load(*l);
  ASSERT_EQ(l->status, LayerStatus::Loaded) << l->error;
  std::string err;
  auto lonLat = store.prepare(*l, kLonLatCrs, &err);
  ASSERT_TRUE(lonLat) << err;
  // Lambert azimuthal equal-area centred on Baicheng keeps areas exactly; its straight edges
  // and the geodesic ones differ by far less than the 1e-6 allowed over ~100 m edges.
  auto laea = Transformer::create(kLonLatCrs, "+proj=laea +lat_0=45.3 +lon_0=123 +ellps=WGS84 +type=crs", &err);
  ASSERT_TRUE(laea) << err;
  const GeometryColumn& g = lonLat->geometry;
  double total = 0;
  for (size_t f = 0; f < g.featureCount(); ++f) {
    double planarM2 = 0;
    for (uint32_t part = g.featureParts[f]; part < g.featureParts[f + 1]; ++part)
      for (uint32_t r = g.partRings[part]; r < g.partRings[part + 1]; ++r) {
        std::vector<Vec2> ring(g.xy.begin() + g.ringVertices[r], g.xy.begin() + g.ringVertices[r + 1]);
        ASSERT_TRUE(laea->transform(ring));
        double twice = 0;
        for (size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++)
          twice += ring[j].x * ring[i].y - ring[i].x * ring[j].y;
        planarM2 += (r == g.partRings[part] ? 1 : -1) * std::abs(twice) / 2;
      }
    const double km2 = featureAreaKm2(g, f);
    const std::string name = l->table.column("name_zh")->text(f);
    EXPECT_NEAR(km2, planarM2 / 1e6, planarM2 / 1e6 * 1e-6) << name;
    std::printf("%s %.1f km²\n", name.c_str(), km2);
    // 通榆县's published area is 8 476 km² (1 % allowed, as below).
    if (name == "通榆县") {
      EXPECT_NEAR(km2, 8476, 8476 * 0.01);
    }
    total += km2;
  }
  // Baicheng's published area is 25 759 km². These boundaries are AMap's, simplified and
  // snapped to 1/1024° (geodata/README.md); they measure 25 758.6 km², but a boundary
  // snapped that coarsely is not owed more than 1 %.
  EXPECT_NEAR(total, 25759, 25759 * 0.01);
  std::printf("Baicheng: %.1f km²\n", total);
}

TEST(MeasurementTest, DistanceClicksFinishAndCancel) {
  Measurement m;
  m.addPoint({0, 0});  // no mode: ignored
  EXPECT_TRUE(m.points().empty());
  m.setMode(MeasureMode::Distance);
  m.addPoint({0, 0});
  EXPECT_FALSE(m.finish());  // one point is not a line
  // The cursor counts as the next point while drawing.
  EXPECT_NEAR(m.lengthKm(Vec2{1, 0}), 111.3195, 1e-4);
  EXPECT_EQ(m.lengthKm(), 0.0);
  m.addPoint({1, 0});
  m.addPoint({1, 0});  // the second press of a double-click
  EXPECT_EQ(m.points().size(), 2u);
  EXPECT_TRUE(m.finish());
  EXPECT_TRUE(m.finished());
  EXPECT_FALSE(m.finish());
  // Finished: the cursor no longer counts.
  EXPECT_NEAR(m.lengthKm(Vec2{5, 5}), 111.3195, 1e-4);
  // The next click starts a new line.
  m.addPoint({2, 0});
  EXPECT_FALSE(m.finished());
  EXPECT_EQ(m.points().size(), 1u);
  EXPECT_TRUE(m.cancel());
  EXPECT_TRUE(m.points().empty());
  EXPECT_FALSE(m.cancel());  // nothing left: the caller may switch the tool off
  EXPECT_EQ(m.mode(), MeasureMode::Distance);
}

TEST(MeasurementTest, AreaNeedsThreePoints) {
  Measurement m;
  m.setMode(MeasureMode::Area);
  m.addPoint({0, 0});
  m.addPoint({1, 0});
  EXPECT_FALSE(m.finish());
  EXPECT_NEAR(m.areaKm2(Vec2{1, 1}), geodesicAreaKm2(std::vector<Vec2>{{0, 0}, {1, 0}, {1, 1}}), 1e-9);
  m.addPoint({1, 1});
  m.addPoint({0, 1});
  EXPECT_TRUE(m.finish());
  EXPECT_NEAR(m.areaKm2(), 12308.77, 0.05);
  EXPECT_NEAR(m.perimeterKm(), geodesicPerimeterKm(m.points()), 1e-12);
  m.setMode(MeasureMode::Distance);  // a new mode starts afresh
  EXPECT_TRUE(m.points().empty());
  EXPECT_FALSE(m.finished());
  m.addPoint({NAN, 1});  // off the map
  EXPECT_TRUE(m.points().empty());
}

TEST(MeasureTextTest, UnitsAndDigits) {
  EXPECT_EQ(formatDistanceKm(0.85), "850 m");
  EXPECT_EQ(formatDistanceKm(12.346), "12.35 km");
  EXPECT_EQ(formatDistanceKm(245.84), "245.8 km");
  EXPECT_EQ(formatDistanceKm(1234.56), "1,234.6 km");
  EXPECT_EQ(formatAreaKm2(0.0052), "5,200 m²");
  EXPECT_EQ(formatAreaKm2(0.52), "0.52 km²");
  EXPECT_EQ(formatAreaKm2(8476.24), "8,476.2 km²");
  EXPECT_EQ(formatAreaKm2(1234567.0), "1,234,567.0 km²");
  EXPECT_EQ(formatAreaKm2(NAN), "—");
}

}  // namespace
}  // namespace bcmap
