// Simplify (Douglas–Peucker) on lines whose answer is worked out by hand.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <vector>

#include "geometry/Simplify.h"

namespace bcmap {
namespace {

bool same(const std::vector<Vec2>& a, const std::vector<Vec2>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (a[i].x != b[i].x || a[i].y != b[i].y) return false;
  return true;
}

// Planar distance from p to the segment a-b, computed independently of Simplify.cpp.
double distanceToSegment(Vec2 p, Vec2 a, Vec2 b) {
  const double dx = b.x - a.x, dy = b.y - a.y;
  const double t = std::fmax(0.0, std::fmin(1.0, ((p.x - a.x) * dx + (p.y - a.y) * dy) / (dx * dx + dy * dy)));
  return std::hypot(p.x - a.x - t * dx, p.y - a.y - t * dy);
}

TEST(Simplify, FewerThanThreePointsComeBackUnchanged) {
  EXPECT_TRUE(simplify({}, 1.0).empty());
  const std::vector<Vec2> one{{1, 2}};
  EXPECT_TRUE(same(simplify(one, 1.0), one));
  const std::vector<Vec2> two{{0, 0}, {5, 5}};
  EXPECT_TRUE(same(simplify(two, 100.0), two));
}

TEST(Simplify, CollinearPointsGoAndTheEndsStay) {
  const std::vector<Vec2> line{{0, 0}, {1, 0}, {2, 0}, {3, 0}, {4, 0}};
  EXPECT_TRUE(same(simplify(line, 0.0), {{0, 0}, {4, 0}}));
}

TEST(Simplify, APeakBeyondTheToleranceStays) {
  // The peak (2, 1) is 1 from the chord (0,0)-(4,0). Once it is kept, (1, 0.1) is
  // |2 * 0.1 - 1 * 1| / sqrt(5) = 0.358 from the chord (0,0)-(2,1), and (3, 0.1) as far
  // from (2,1)-(4,0).
  const std::vector<Vec2> line{{0, 0}, {1, 0.1}, {2, 1}, {3, 0.1}, {4, 0}};
  EXPECT_TRUE(same(simplify(line, 0.5), {{0, 0}, {2, 1}, {4, 0}}));
  EXPECT_TRUE(same(simplify(line, 0.3), line));  // 0.358 > 0.3: every point stays
  EXPECT_TRUE(same(simplify(line, 1.0), {{0, 0}, {4, 0}}));  // 1 is not more than 1
}

TEST(Simplify, DistanceIsToTheSegmentNotTheLine) {
  // (5, 0) lies on the line through (0,0) and (1,0) but 4 past the segment's end: it stays.
  const std::vector<Vec2> line{{0, 0}, {5, 0}, {1, 0}};
  EXPECT_TRUE(same(simplify(line, 3.9), line));
  EXPECT_TRUE(same(simplify(line, 4.0), {{0, 0}, {1, 0}}));
}

TEST(Simplify, AClosedRingStaysClosedAndWithinTolerance) {
  // A circle of radius 10 with 360 vertices, closed (the first point repeated).
  std::vector<Vec2> ring;
  for (int i = 0; i < 360; ++i) {
    const double a = i * std::numbers::pi / 180;
    ring.push_back({10 * std::cos(a), 10 * std::sin(a)});
  }
  ring.push_back(ring.front());
  const double tolerance = 0.05;
  const std::vector<Vec2> out = simplify(ring, tolerance);
  ASSERT_GE(out.size(), 4u);
  EXPECT_LT(out.size(), ring.size() / 4);
  EXPECT_EQ(out.front().x, out.back().x);
  EXPECT_EQ(out.front().y, out.back().y);
  // Every dropped point is within the tolerance of the kept polyline (the kept points are
  // a subsequence, so each dropped point lies between two consecutive kept ones).
  for (size_t i = 0, j = 0; i < ring.size(); ++i) {
    if (j < out.size() && ring[i].x == out[j].x && ring[i].y == out[j].y) {
      ++j;
      continue;
    }
    ASSERT_GT(j, 0u);
    ASSERT_LT(j, out.size());
    EXPECT_LE(distanceToSegment(ring[i], out[j - 1], out[j]), tolerance) << "vertex " << i;
  }
}

}  // namespace
}  // namespace bcmap
