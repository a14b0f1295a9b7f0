// Gcj02: the GCJ-02 offset and its iterative inverse (app/geometry/Gcj02.h), checked against
// themselves, against the size of the offset in Baicheng, and against the values that
// tools/fetch_counties.py computes (the same algorithm in Python).
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <numbers>
#include <vector>

#include "geometry/Gcj02.h"

namespace bcmap {
namespace {

double haversineM(Vec2 a, Vec2 b) {
  constexpr double kEarthRadiusM = 6371008.8;  // IUGG mean radius
  constexpr double kRad = std::numbers::pi / 180.0;
  const double dLat = (b.y - a.y) * kRad;
  const double dLon = (b.x - a.x) * kRad;
  const double h = std::sin(dLat / 2) * std::sin(dLat / 2) +
                   std::cos(a.y * kRad) * std::cos(b.y * kRad) * std::sin(dLon / 2) * std::sin(dLon / 2);
  return 2 * kEarthRadiusM * std::asin(std::sqrt(h));
}

TEST(Gcj02, RoundTripOverJilinIsBelowNanodegree) {
  // Jilin province spans about 121.6–131.3 E, 40.9–46.3 N; a 1° margin around it.
  double worst = 0;
  for (double lon = 120.5; lon <= 132.0; lon += 0.173) {
    for (double lat = 40.0; lat <= 47.0; lat += 0.119) {
      const Vec2 wgs{lon, lat};
      const Vec2 back = gcj02ToWgs84(wgs84ToGcj02(wgs));
      worst = std::max({worst, std::abs(back.x - lon), std::abs(back.y - lat)});
    }
  }
  // The inverse stops when the forward transform reproduces its input to < 1e-9°.
  EXPECT_LT(worst, 1e-9);
}

TEST(Gcj02, InverseReproducesForward) {
  for (double lon = 121.0; lon <= 125.0; lon += 0.37) {
    for (double lat = 44.0; lat <= 47.0; lat += 0.29) {
      const Vec2 gcj{lon, lat};
      const Vec2 again = wgs84ToGcj02(gcj02ToWgs84(gcj));
      EXPECT_NEAR(again.x, lon, 1e-9);
      EXPECT_NEAR(again.y, lat, 1e-9);
    }
  }
}

TEST(Gcj02, ShiftInBaichengIsAFewHundredMetres) {
  const Vec2 wgs{123.0, 45.5};
  const Vec2 gcj = wgs84ToGcj02(wgs);
  const double shiftM = haversineM(wgs, gcj);
  // The published offset is of the order of 100–700 m across China; ~530 m here.
  EXPECT_GT(shiftM, 300.0);
  EXPECT_LT(shiftM, 900.0);
  // GCJ-02 lies to the north-east of WGS 84 in Baicheng.
  EXPECT_GT(gcj.x, wgs.x);
  EXPECT_GT(gcj.y, wgs.y);
  EXPECT_NEAR(haversineM(gcj02ToWgs84(gcj), wgs), 0.0, 1e-3);
}

TEST(Gcj02, IdentityOutsideChina) {
  const std::array<Vec2, 5> outside{{{2.35, 48.85}, {139.69, 35.69}, {-74.0, 40.7},
                                     {100.0, 60.0}, {70.0, 30.0}}};
  for (const Vec2 p : outside) {
    EXPECT_FALSE(isInsideChina(p)) << p.x << ", " << p.y;
    const Vec2 f = wgs84ToGcj02(p);
    const Vec2 i = gcj02ToWgs84(p);
    EXPECT_EQ(f.x, p.x);
    EXPECT_EQ(f.y, p.y);
    EXPECT_EQ(i.x, p.x);
    EXPECT_EQ(i.y, p.y);
  }
  EXPECT_TRUE(isInsideChina({123.0, 45.5}));
  EXPECT_TRUE(isInsideChina({116.39, 39.91}));
}

TEST(Gcj02, AgreesWithTheDataScript) {
  // Values printed by tools/fetch_counties.py's gcj02_to_wgs84() (Python floats, repr):
  // the first vertex of 220802 in the source, and the source's `cp` of 220802 and 220882.
  struct Case {
    Vec2 gcj;
    Vec2 wgs;
  };
  const std::array<Case, 3> cases{{
      {{123.2236328125, 45.5625}, {123.21725808429633, 45.56043856828001}},
      {{122.851029, 45.621716}, {122.8451686768031, 45.619818803425005}},
      {{124.292626, 45.506996}, {124.28620008222438, 45.50489576412359}},
  }};
  for (const Case& c : cases) {
    const Vec2 w = gcj02ToWgs84(c.gcj);
    // Same operations on the same libm give the same bits; 1e-11° (~1 µm) leaves room
    // for a different libm or compiler contraction, and is far below the file's 1e-7°.
    EXPECT_NEAR(w.x, c.wgs.x, 1e-11);
    EXPECT_NEAR(w.y, c.wgs.y, 1e-11);
  }
  // The forward transform too (wgs84_to_gcj02(123.0, 45.5) in the script).
  const Vec2 g = wgs84ToGcj02({123.0, 45.5});
  EXPECT_NEAR(g.x, 123.00615326837314, 1e-11);
  EXPECT_NEAR(g.y, 45.50204120116651, 1e-11);
}

TEST(Gcj02, InPlaceMatchesPointwise) {
  std::vector<Vec2> pts{{123.2236328125, 45.5625}, {2.35, 48.85}, {122.0, 44.5}};
  const std::vector<Vec2> orig = pts;
  gcj02ToWgs84InPlace(pts);
  ASSERT_EQ(pts.size(), orig.size());
  for (size_t i = 0; i < pts.size(); ++i) {
    const Vec2 w = gcj02ToWgs84(orig[i]);
    EXPECT_EQ(pts[i].x, w.x);
    EXPECT_EQ(pts[i].y, w.y);
  }
  gcj02ToWgs84InPlace({});  // an empty span is fine
}

}  // namespace
}  // namespace bcmap
