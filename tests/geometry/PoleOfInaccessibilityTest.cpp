// PoleOfInaccessibility on shapes whose answer is worked out by hand (in the comments).
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "geometry/PoleOfInaccessibility.h"

namespace bcmap {
namespace {

using Ring = std::vector<Vec2>;
using Part = std::vector<Ring>;  // outer ring, then holes

// One feature per entry; rings are closed (the first vertex repeated) as GeoJSON has them.
GeometryColumn column(const std::vector<std::vector<Part>>& features) {
  GeometryColumn g;
  g.kind = GeometryKind::Polygon;
  for (const auto& parts : features) {
    for (const Part& part : parts) {
      for (const Ring& ring : part) {
        for (Vec2 v : ring) g.xy.push_back(v);
        g.xy.push_back(ring.front());
        g.ringVertices.push_back(uint32_t(g.xy.size()));
      }
      g.partRings.push_back(uint32_t(g.ringVertices.size() - 1));
    }
    g.featureParts.push_back(uint32_t(g.partRings.size() - 1));
  }
  return g;
}

Ring square(double x0, double y0, double x1, double y1) { return {{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}}; }

// Wide enough for the search's tolerance (the point may sit anywhere its distance is within
// the tolerance of the best, which near a unique optimum is within a few tolerances of it).
constexpr double kTolerance = 1e-3;

TEST(PoleOfInaccessibilityTest, SquareIsItsCentre) {
  const GeometryColumn g = column({{{square(0, 0, 10, 10)}}});
  const Pole p = poleOfInaccessibility(g, 0, kTolerance);
  EXPECT_NEAR(p.distance, 5.0, kTolerance);
  EXPECT_NEAR(p.point.x, 5.0, 4 * kTolerance);
  EXPECT_NEAR(p.point.y, 5.0, 4 * kTolerance);
}

// An L of two arms 4 wide: (0,0) (10,0) (10,4) (4,4) (4,10) (0,10). An arm alone fits a
// circle of radius 2; the corner square does better. There, by symmetry the centre is
// (t, t): distance t to the outer walls and sqrt(2) (4 - t) to the reflex vertex (4, 4);
// equal at t = 4 sqrt2 / (1 + sqrt2) = 4 (2 - sqrt2) = 2.34315. The box centre (5, 5) is
// outside the L.
TEST(PoleOfInaccessibilityTest, LShapeIsInTheCornerAtTheKnownDistance) {
  const GeometryColumn g = column({{{{{0, 0}, {10, 0}, {10, 4}, {4, 4}, {4, 10}, {0, 10}}}}});
  const Pole p = poleOfInaccessibility(g, 0, kTolerance);
  const double t = 4 * (2 - std::sqrt(2.0));
  EXPECT_NEAR(p.distance, t, kTolerance);
  // Inside the L: in the corner square, not in the notch where the box centre lies.
  EXPECT_TRUE(p.point.x < 4 || p.point.y < 4) << p.point.x << ", " << p.point.y;
  EXPECT_NEAR(p.point.x, t, 0.02);
  EXPECT_NEAR(p.point.y, t, 0.02);
}

// A 10 x 10 square with a 4 x 4 hole in the middle: a frame 3 wide. Along a side the
// frame fits radius 1.5; in a corner, at (t, t), the walls are t away and the hole's corner
// (3, 3) is sqrt(2) (3 - t): equal at t = 3 (2 - sqrt2) = 1.75736. Four corners tie.
TEST(PoleOfInaccessibilityTest, FrameAroundAHoleIsInACornerNotInTheHole) {
  const GeometryColumn g = column({{{square(0, 0, 10, 10), square(3, 3, 7, 7)}}});
  const Pole p = poleOfInaccessibility(g, 0, kTolerance);
  const double t = 3 * (2 - std::sqrt(2.0));
  EXPECT_NEAR(p.distance, t, kTolerance);
  const bool inHole = p.point.x > 3 && p.point.x < 7 && p.point.y > 3 && p.point.y < 7;
  EXPECT_FALSE(inHole) << p.point.x << ", " << p.point.y;
  const double cx = p.point.x < 5 ? t : 10 - t, cy = p.point.y < 5 ? t : 10 - t;
  EXPECT_NEAR(p.point.x, cx, 0.02);
  EXPECT_NEAR(p.point.y, cy, 0.02);
}

// Two parts: the wider one holds the pole. Features are independent.
// A frame of 200,000 vertices (the L above, its sides traced finely): every cell read every
// edge, so such a feature's label took seconds; the rings are now thinned to a step of at
// most half the tolerance, and the answer is the L's within the tolerance and the step.
TEST(PoleOfInaccessibilityTest, FinelyTracedLShapeGivesTheSameAnswer) {
  const Ring corners{{0, 0}, {10, 0}, {10, 4}, {4, 4}, {4, 10}, {0, 10}};
  Ring fine;
  for (size_t i = 0; i < corners.size(); ++i) {
    const Vec2 a = corners[i], b = corners[(i + 1) % corners.size()];
    for (int k = 0; k < 40'000 / 1.2; ++k) {
      const double t = k / (40'000 / 1.2);
      fine.push_back({a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t});
    }
  }
  ASSERT_GT(fine.size(), 190'000u);
  const GeometryColumn g = column({{{fine}}});
  const Pole p = poleOfInaccessibility(g, 0, kTolerance);
  const double t = 4 * (2 - std::sqrt(2.0));
  EXPECT_NEAR(p.distance, t, 2 * kTolerance);
  EXPECT_NEAR(p.point.x, t, 0.02);
  EXPECT_NEAR(p.point.y, t, 0.02);
}

TEST(PoleOfInaccessibilityTest, MultiPartUsesTheWidestPartAndFeaturesAreSeparate) {
  const GeometryColumn g = column({{{square(0, 0, 2, 2)}, {square(10, 10, 20, 20)}}, {{square(-4, -4, -2, -2)}}});
  const Pole p = poleOfInaccessibility(g, 0, kTolerance);
  EXPECT_NEAR(p.distance, 5.0, kTolerance);
  EXPECT_NEAR(p.point.x, 15.0, 4 * kTolerance);
  EXPECT_NEAR(p.point.y, 15.0, 4 * kTolerance);
  const Pole q = poleOfInaccessibility(g, 1, kTolerance);
  EXPECT_NEAR(q.distance, 1.0, kTolerance);
  EXPECT_NEAR(q.point.x, -3.0, 4 * kTolerance);
  EXPECT_NEAR(q.point.y, -3.0, 4 * kTolerance);
}

// Large projected coordinates (Web Mercator near Baicheng) and a long thin rectangle: the
// answer is the midline, half the width from both long sides.
TEST(PoleOfInaccessibilityTest, ThinRectangleAtProjectedCoordinates) {
  const double x0 = 13.6e6, y0 = 5.68e6;
  const GeometryColumn g = column({{{square(x0, y0, x0 + 5000, y0 + 100)}}});
  const Pole p = poleOfInaccessibility(g, 0, 0.1);
  EXPECT_NEAR(p.distance, 50.0, 0.1);
  EXPECT_NEAR(p.point.y, y0 + 50, 0.5);
  EXPECT_GE(p.point.x, x0 + 50 - 0.5);
  EXPECT_LE(p.point.x, x0 + 5000 - 50 + 0.5);
}

TEST(PoleOfInaccessibilityTest, DegenerateFeatures) {
  // No area: a vertex of its own, distance 0.
  const GeometryColumn flat = column({{{{{1, 1}, {5, 1}, {9, 1}}}}});
  const Pole p = poleOfInaccessibility(flat, 0, kTolerance);
  EXPECT_EQ(p.distance, 0.0);
  EXPECT_EQ(p.point.y, 1.0);
  // No finite vertex: NaN. A feature index out of range: NaN.
  const double nan = std::nan("");
  const GeometryColumn bad = column({{{{{nan, 0}, {1, nan}, {nan, nan}}}}});
  EXPECT_TRUE(std::isnan(poleOfInaccessibility(bad, 0, kTolerance).point.x));
  EXPECT_TRUE(std::isnan(poleOfInaccessibility(bad, 3, kTolerance).point.x));
}

}  // namespace
}  // namespace bcmap
