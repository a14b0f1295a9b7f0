// The even-odd fill of polygons the ear clipper cannot fill correctly (geometry/
// EvenOddFill.h, reached through triangulatePolygon with AddedVertices): rings crossing
// themselves, holes crossing their shell. Each case checks the area against the rule's,
// computed by hand, and samples a grid of points: each must be covered by exactly as many
// triangles as the rule says (1 inside, 0 outside), so nothing is left out, filled twice or
// filled outside. Valid polygons must keep the ear clipper's triangles.
//
// Sections: 1. helpers  2. crossing rings  3. valid rings keep the old path  4. big rings

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numbers>
#include <random>
#include <span>
#include <vector>

#include "geometry/EvenOddFill.h"
#include "geometry/Triangulate.h"

namespace bcmap {
namespace {

// ---------------------------------------------------------------------------------------
// 1. Helpers

using Rings = std::vector<std::vector<Vec2>>;

struct Fill {
  std::vector<Vec2> xy;  // the rings laid end to end, then the added corners
  std::vector<uint32_t> triangles;
  size_t added = 0;      // how many corners the even-odd fill added (0: the ear clipper's)
};

// Triangulates with room for added vertices, indexed after the rings' own.
Fill fillOf(const Rings& rings) {
  Fill f;
  for (const auto& ring : rings) f.xy.insert(f.xy.end(), ring.begin(), ring.end());
  const std::vector<std::span<const Vec2>> spans(rings.begin(), rings.end());
  std::vector<Vec2> added;
  EXPECT_TRUE(triangulatePolygon(spans, 0, f.triangles,
                                 {&added, static_cast<uint32_t>(f.xy.size())}));
  EXPECT_EQ(f.triangles.size() % 3, 0u);
  f.added = added.size();
  f.xy.insert(f.xy.end(), added.begin(), added.end());
  for (uint32_t i : f.triangles) {
    EXPECT_LT(i, f.xy.size());
    if (i < f.xy.size()) {
      EXPECT_TRUE(std::isfinite(f.xy[i].x) && std::isfinite(f.xy[i].y)) << "vertex " << i;
    }
  }
  return f;
}

std::vector<uint32_t> earTriangles(const Rings& rings) {
  const std::vector<std::span<const Vec2>> spans(rings.begin(), rings.end());
  std::vector<uint32_t> out;
  EXPECT_TRUE(triangulatePolygon(spans, 0, out));
  return out;
}

double twiceArea(Vec2 a, Vec2 b, Vec2 c) { return (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x); }

double trianglesArea(const Fill& f) {
  double area = 0;
  for (size_t t = 0; t + 2 < f.triangles.size(); t += 3) {
    area += std::abs(twiceArea(f.xy[f.triangles[t]], f.xy[f.triangles[t + 1]],
                               f.xy[f.triangles[t + 2]])) / 2;
  }
  return area;
}

// Even-odd test of p against one ring (non-finite vertices left out, as the fill does).
bool insideRing(const std::vector<Vec2>& ring, Vec2 p) {
  std::vector<Vec2> pts;
  for (const Vec2& v : ring) {
    if (std::isfinite(v.x) && std::isfinite(v.y)) pts.push_back(v);
  }
  bool inside = false;
  for (size_t i = 0, j = pts.size() - 1; i < pts.size(); j = i++) {
    const Vec2 a = pts[j], b = pts[i];
    if ((a.y > p.y) != (b.y > p.y) && p.x < a.x + (p.y - a.y) * (b.x - a.x) / (b.y - a.y)) {
      inside = !inside;
    }
  }
  return inside;
}

// The rule: inside the outer ring by its own parity, inside no hole by that hole's.
bool ruleInside(const Rings& rings, Vec2 p) {
  if (!insideRing(rings[0], p)) return false;
  for (size_t r = 1; r < rings.size(); ++r) {
    if (insideRing(rings[r], p)) return false;
  }
  return true;
}

int coverage(const Fill& f, Vec2 p) {
  int count = 0;
  for (size_t t = 0; t + 2 < f.triangles.size(); t += 3) {
    const Vec2 a = f.xy[f.triangles[t]], b = f.xy[f.triangles[t + 1]], c = f.xy[f.triangles[t + 2]];
    const double d1 = twiceArea(a, b, p), d2 = twiceArea(b, c, p), d3 = twiceArea(c, a, p);
    const bool neg = d1 < 0 || d2 < 0 || d3 < 0;
    const bool pos = d1 > 0 || d2 > 0 || d3 > 0;
    if (!(neg && pos) && (d1 != 0 || d2 != 0 || d3 != 0)) ++count;
  }
  return count;
}

// Samples a grid over [x0, x1] x [y0, y1], offset by odd fractions so no sample lies on an
// edge of these hand-made shapes (their coordinates are multiples of 1/10 or irrational).
void expectCoverageFollowsRule(const Rings& rings, const Fill& all, double x0, double y0, double x1,
                               double y1, int steps = 97) {
  // Only the triangles whose boxes meet the window: a big fill's others cannot cover it.
  Fill f{all.xy, {}, all.added};
  for (size_t t = 0; t + 2 < all.triangles.size(); t += 3) {
    Bounds box;
    for (size_t k = 0; k < 3; ++k) box.add(all.xy[all.triangles[t + k]]);
    if (box.maxX >= x0 && box.minX <= x1 && box.maxY >= y0 && box.minY <= y1) {
      f.triangles.insert(f.triangles.end(), all.triangles.begin() + t, all.triangles.begin() + t + 3);
    }
  }
  int wrong = 0;
  for (int i = 0; i < steps; ++i) {
    for (int j = 0; j < steps; ++j) {
      const Vec2 p{x0 + (x1 - x0) * (i + 0.5123) / steps, y0 + (y1 - y0) * (j + 0.4871) / steps};
      const int want = ruleInside(rings, p) ? 1 : 0;
      const int got = coverage(f, p);
      if (got != want && ++wrong <= 5) {
        ADD_FAILURE() << "at (" << p.x << ", " << p.y << "): covered " << got << " times, the rule says " << want;
      }
    }
  }
  EXPECT_EQ(wrong, 0);
}

// ---------------------------------------------------------------------------------------
// 2. Crossing rings

TEST(TriangulateEvenOdd, BowTieFillsBothLobes) {
  // Lobes (0,0)-(1,1)-(0,2) and (2,0)-(1,1)-(2,2), one unit each, wound opposite ways: the
  // ear clipper filled the triangle above the crossing and left the left lobe empty.
  const Rings rings{{{0, 0}, {2, 2}, {2, 0}, {0, 2}, {0, 0}}};
  const Fill f = fillOf(rings);
  EXPECT_GT(f.added, 0u);
  EXPECT_NEAR(trianglesArea(f), 2.0, 1e-12);
  expectCoverageFollowsRule(rings, f, -0.5, -0.5, 2.5, 2.5);
}

TEST(TriangulateEvenOdd, PentagramFillsItsPointsOnceAndNotItsCentre) {
  // Five points on a circle joined every second one: the centre winds twice, so the clipper's
  // triangles overlapped there (their area still matched the ring's). By the rule the inner
  // pentagon is outside: the fill is the star's outline less it, the five points.
  constexpr double kR = 1;
  const double pi = std::numbers::pi;
  Rings rings(1);
  for (int k = 0; k < 5; ++k) {
    const double angle = pi / 2 + 2 * pi * (2 * k % 5) / 5;
    rings[0].push_back({kR * std::cos(angle), kR * std::sin(angle)});
  }
  const double r = kR * std::cos(2 * pi / 5) / std::cos(pi / 5);  // the inner pentagon's radius
  const double outline = 10 * 0.5 * kR * r * std::sin(pi / 5);
  const double pentagon = 2.5 * r * r * std::sin(2 * pi / 5);
  const Fill f = fillOf(rings);
  EXPECT_GT(f.added, 0u);
  EXPECT_NEAR(trianglesArea(f), outline - pentagon, 1e-12);
  expectCoverageFollowsRule(rings, f, -1.1, -1.1, 1.1, 1.1);
}

TEST(TriangulateEvenOdd, HoleAcrossTheShellCutsOutOnlyWhatItCovers) {
  // A 4 x 4 square with a hole from x 3 to 6: only its 1 x 2 inside the square is cut out,
  // and nothing is filled at the part of the hole outside.
  const Rings rings{{{0, 0}, {4, 0}, {4, 4}, {0, 4}}, {{3, 1}, {3, 3}, {6, 3}, {6, 1}}};
  const Fill f = fillOf(rings);
  EXPECT_GT(f.added, 0u);
  EXPECT_NEAR(trianglesArea(f), 16.0 - 2.0, 1e-12);
  expectCoverageFollowsRule(rings, f, -0.5, -0.5, 6.5, 4.5);
}

TEST(TriangulateEvenOdd, FigureEightWithAHoleOverItsCrossing) {
  // A bow-tie of two 4-unit lobes and a unit square hole centred on the crossing: the hole
  // covers half of itself inside the lobes (the two wedges left and right of the crossing).
  const Rings rings{{{0, 0}, {4, 4}, {4, 0}, {0, 4}},
                    {{1.5, 1.5}, {2.5, 1.5}, {2.5, 2.5}, {1.5, 2.5}}};
  const Fill f = fillOf(rings);
  EXPECT_GT(f.added, 0u);
  EXPECT_NEAR(trianglesArea(f), 8.0 - 0.5, 1e-12);
  expectCoverageFollowsRule(rings, f, -0.5, -0.5, 4.5, 4.5);
  // And a hole in one lobe only, crossing nothing: the bow-tie alone sends it to the rule.
  const Rings lobeHole{{{0, 0}, {4, 4}, {4, 0}, {0, 4}},
                       {{2.8, 1.8}, {3.2, 1.8}, {3.2, 2.2}, {2.8, 2.2}}};
  const Fill g = fillOf(lobeHole);
  EXPECT_NEAR(trianglesArea(g), 8.0 - 0.16, 1e-12);
  expectCoverageFollowsRule(lobeHole, g, -0.5, -0.5, 4.5, 4.5);
}

TEST(TriangulateEvenOdd, NonFiniteVerticesAreLeftOut) {
  // The bow-tie again with a NaN and an infinite vertex between its corners: they are
  // skipped (the ring closes around them), and no added corner is non-finite (fillOf checks).
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  const Rings rings{{{0, 0}, {nan, 1}, {2, 2}, {2, 0}, {inf, 3}, {0, 2}}};
  const Fill f = fillOf(rings);
  EXPECT_GT(f.added, 0u);
  for (uint32_t i : f.triangles) EXPECT_TRUE(i != 1 && i != 4) << "a non-finite vertex was used";
  EXPECT_NEAR(trianglesArea(f), 2.0, 1e-12);
  expectCoverageFollowsRule(rings, f, -0.5, -0.5, 2.5, 2.5);
  // Coordinates whose differences overflow: no even-odd fill (its products would be
  // infinite), the clipper's triangles stay.
  const Rings huge{{{-1e308, -1e308}, {1e308, 1e308}, {1e308, -1e308}, {-1e308, 1e308}}};
  EXPECT_EQ(fillOf(huge).added, 0u);
}

TEST(TriangulateEvenOdd, CrossingSearchIgnoresTouches) {
  const auto crossingsOf = [](const Rings& rings) {
    const std::vector<std::span<const Vec2>> spans(rings.begin(), rings.end());
    return EvenOddFill(spans, 1'000'000).crossings();
  };
  EXPECT_EQ(crossingsOf({{{0, 0}, {2, 2}, {2, 0}, {0, 2}}}), EdgeCrossings::Some);
  // A ring touching itself at a vertex, a hole touching its shell along an edge, a spike
  // running back along itself: no crossing.
  EXPECT_EQ(crossingsOf({{{0, 0}, {1, 0}, {1, 1}, {2, 1}, {2, 2}, {1, 2}, {1, 1}, {0, 1}}}),
            EdgeCrossings::None);
  EXPECT_EQ(crossingsOf({{{0, 0}, {4, 0}, {4, 4}, {0, 4}}, {{0, 1}, {2, 1}, {2, 3}, {0, 3}}}),
            EdgeCrossings::None);
  EXPECT_EQ(crossingsOf({{{0, 0}, {4, 0}, {4, 2}, {6, 2}, {4, 2}, {4, 4}, {0, 4}}}),
            EdgeCrossings::None);
  // Out of budget before it can tell.
  const Rings bowTie{{{0, 0}, {2, 2}, {2, 0}, {0, 2}}};
  const std::vector<std::span<const Vec2>> spans(bowTie.begin(), bowTie.end());
  EXPECT_EQ(EvenOddFill(spans, 3).crossings(), EdgeCrossings::OverBudget);
}

TEST(TriangulateEvenOdd, ColumnPutsTheCornersInFillXy) {
  GeometryColumn geom;
  geom.kind = GeometryKind::Polygon;
  auto addRing = [&](std::initializer_list<Vec2> pts) {
    geom.xy.insert(geom.xy.end(), pts);
    geom.ringVertices.push_back(static_cast<uint32_t>(geom.xy.size()));
  };
  // Feature 0: a square (ear clipped). Feature 1: a bow-tie (even-odd). Feature 2: a square.
  addRing({{10, 0}, {11, 0}, {11, 1}, {10, 1}});
  geom.partRings.push_back(1);
  geom.featureParts.push_back(1);
  addRing({{0, 0}, {2, 2}, {2, 0}, {0, 2}, {0, 0}});
  geom.partRings.push_back(2);
  geom.featureParts.push_back(2);
  addRing({{20, 0}, {22, 0}, {22, 2}, {20, 2}});
  geom.partRings.push_back(3);
  geom.featureParts.push_back(3);

  std::vector<uint32_t> triangles, featureTriangles;
  std::vector<Vec2> fillXy{{99, 99}};  // replaced
  triangulateColumn(geom, triangles, featureTriangles, &fillXy);
  ASSERT_EQ(featureTriangles.size(), 4u);
  EXPECT_FALSE(fillXy.empty());
  auto at = [&](uint32_t i) { return i < geom.xy.size() ? geom.xy[i] : fillXy.at(i - geom.xy.size()); };
  auto areaOf = [&](size_t f) {
    double area = 0;
    for (uint32_t t = featureTriangles[f]; t + 2 < featureTriangles[f + 1]; t += 3) {
      area += std::abs(twiceArea(at(triangles[t]), at(triangles[t + 1]), at(triangles[t + 2]))) / 2;
    }
    return area;
  };
  EXPECT_DOUBLE_EQ(areaOf(0), 1.0);
  EXPECT_NEAR(areaOf(1), 2.0, 1e-12);
  EXPECT_DOUBLE_EQ(areaOf(2), 4.0);
  for (uint32_t t = featureTriangles[1]; t < featureTriangles[2]; ++t) {
    EXPECT_GE(triangles[t], geom.xy.size()) << "the bow-tie's corners are its own";
  }
  for (uint32_t t = featureTriangles[2]; t < featureTriangles[3]; ++t) EXPECT_LT(triangles[t], geom.xy.size());

  // Without fillXy: indices into geom.xy only, as before.
  triangulateColumn(geom, triangles, featureTriangles);
  for (uint32_t i : triangles) EXPECT_LT(i, geom.xy.size());
}

// ---------------------------------------------------------------------------------------
// 3. Valid rings keep the ear clipper's triangles

TEST(TriangulateEvenOdd, ValidPolygonsKeepTheEarClippersTriangles) {
  const Rings cases[] = {
      {{{0, 0}, {4, 0}, {4, 4}, {0, 4}}, {{1, 1}, {1, 3}, {3, 3}, {3, 1}}},
      // two holes, one touching the shell at a vertex, one outside it (left out)
      {{{0, 0}, {10, 0}, {10, 10}, {0, 10}},
       {{0, 5}, {3, 4}, {3, 6}},
       {{6, 6}, {8, 6}, {8, 8}, {6, 8}},
       {{20, 20}, {21, 20}, {21, 21}}},
      // self-touching figure-eight, and a ring repeating its corners
      {{{0, 0}, {1, 0}, {1, 1}, {2, 1}, {2, 2}, {1, 2}, {1, 1}, {0, 1}}},
      {{{0, 0}, {0, 0}, {10, 0}, {10, 0}, {10, 0}, {10, 5}, {0, 5}, {0, 5}, {0, 0}}},
      // a hole touching the shell from inside along an edge
      {{{0, 0}, {4, 0}, {4, 4}, {0, 4}}, {{0, 1}, {2, 1}, {2, 3}, {0, 3}}},
  };
  for (const Rings& rings : cases) {
    const Fill f = fillOf(rings);
    EXPECT_EQ(f.added, 0u);
    EXPECT_EQ(f.triangles, earTriangles(rings));
  }
  // Random star-shaped rings (simple whatever the radii), far from the origin as projected
  // coordinates are, with repeats: the area check must hold them all.
  std::mt19937 rng(20240602);
  std::uniform_real_distribution<double> radius(1e3, 1e5);
  for (int round = 0; round < 100; ++round) {
    const int n = 3 + static_cast<int>(rng() % 2000);
    Rings rings(1);
    for (int i = 0; i < n; ++i) {
      const double angle = 2 * std::numbers::pi * i / n;
      const double rr = radius(rng);
      rings[0].push_back({1.3e7 + rr * std::cos(angle), 5.6e6 + rr * std::sin(angle)});
      if (rng() % 5 == 0) rings[0].push_back(rings[0].back());
    }
    const Fill f = fillOf(rings);
    EXPECT_EQ(f.added, 0u) << "round " << round;
  }
}

// ---------------------------------------------------------------------------------------
// 4. Big rings

TEST(TriangulateEvenOdd, BigLadderOfBowTiesIsFilledByTheRule) {
  // 100,000 vertices: a zigzag out along y = +-1 and its mirror image back, crossing at
  // every half unit: 50,000 bow-ties in a row whose lobes wind alternately. The rule fills
  // everything between the two zigzags: two half-unit triangles of height 2 a unit.
  constexpr int kUnits = 50'000;
  Rings rings(1);
  for (int i = 0; i <= kUnits; ++i) rings[0].push_back({double(i), i % 2 ? 1.0 : -1.0});
  for (int i = kUnits; i >= 0; --i) rings[0].push_back({double(i), i % 2 ? -1.0 : 1.0});
  const auto start = std::chrono::steady_clock::now();
  const Fill f = fillOf(rings);
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  std::printf("[even-odd] ladder of %zu vertices: %zu triangles, %zu added corners in %.1f ms\n",
              rings[0].size(), f.triangles.size() / 3, f.added, ms);
  EXPECT_GT(f.added, 0u);
  EXPECT_NEAR(trianglesArea(f), double(kUnits), 1e-9 * kUnits);
  // A window of it, sampled coarsely (each sample reads the whole ring).
  expectCoverageFollowsRule(rings, f, 100.03, -1.2, 103.07, 1.2, 23);
}

TEST(TriangulateEvenOdd, RingOfLongCrossingEdgesOverBudgetKeepsTheClippersFill) {
  // 4,000 vertices alternating between x = 0 and x = 1 at random heights: every edge spans
  // the whole width and crosses most others (millions of crossings), past the linear budget.
  // The polygon keeps the clipper's (wrong but bounded) fill, and the call returns.
  std::mt19937 rng(5);
  std::uniform_real_distribution<double> height(0, 1000);
  Rings rings(1);
  for (int i = 0; i < 4000; ++i) rings[0].push_back({double(i % 2), height(rng)});
  const Fill f = fillOf(rings);
  EXPECT_EQ(f.added, 0u);
}

}  // namespace
}  // namespace bcmap
