// HitTest: the distance to a segment (inside it, past either end, a degenerate segment) and
// even-odd point in polygon (a square, a concave ring, a hole, a multipolygon, rings too
// short to enclose anything).
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "geometry/HitTest.h"

namespace bcmap {
namespace {

// Appends one part of `rings` (the first outer, the rest holes) to the last feature.
void addPart(GeometryColumn& g, const std::vector<std::vector<Vec2>>& rings) {
  for (const auto& ring : rings) {
    g.xy.insert(g.xy.end(), ring.begin(), ring.end());
    g.ringVertices.push_back(static_cast<uint32_t>(g.xy.size()));
  }
  g.partRings.push_back(static_cast<uint32_t>(g.ringCount()));
}

void endFeature(GeometryColumn& g) { g.featureParts.push_back(static_cast<uint32_t>(g.partCount())); }

const std::vector<Vec2> kSquare{{0, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 0}};

TEST(HitTestTest, SegmentDistanceIsPerpendicularInsideTheSegment) {
  EXPECT_DOUBLE_EQ(segmentDistance({5, 3}, {0, 0}, {10, 0}), 3);
  EXPECT_DOUBLE_EQ(segmentDistance({5, -3}, {0, 0}, {10, 0}), 3);
  EXPECT_DOUBLE_EQ(segmentDistance({5, 0}, {0, 0}, {10, 0}), 0);
  // A diagonal: (0, 2) is sqrt(2) from the line y = x, nearest at (1, 1).
  EXPECT_NEAR(segmentDistance({0, 2}, {0, 0}, {4, 4}), std::sqrt(2.0), 1e-15);
}

TEST(HitTestTest, SegmentDistancePastAnEndIsToThatEnd) {
  EXPECT_DOUBLE_EQ(segmentDistance({-3, 4}, {0, 0}, {10, 0}), 5);
  EXPECT_DOUBLE_EQ(segmentDistance({13, 4}, {0, 0}, {10, 0}), 5);
  // The direction of the segment does not matter.
  EXPECT_DOUBLE_EQ(segmentDistance({13, 4}, {10, 0}, {0, 0}), 5);
}

TEST(HitTestTest, DegenerateSegmentIsItsPoint) {
  EXPECT_DOUBLE_EQ(segmentDistance({3, 4}, {0, 0}, {0, 0}), 5);
  EXPECT_DOUBLE_EQ(segmentDistance({1, 1}, {1, 1}, {1, 1}), 0);
}

TEST(HitTestTest, PointInSquare) {
  GeometryColumn g;
  addPart(g, {kSquare});
  endFeature(g);
  EXPECT_TRUE(partContains(g, 0, {5, 5}));
  EXPECT_TRUE(partContains(g, 0, {0.001, 9.999}));
  EXPECT_FALSE(partContains(g, 0, {-1, 5}));
  EXPECT_FALSE(partContains(g, 0, {5, 10.5}));
  EXPECT_TRUE(featureContains(g, 0, {5, 5}));
  EXPECT_FALSE(featureContains(g, 0, {11, 5}));
}

TEST(HitTestTest, ConcaveRingLeavesItsNotchOut) {
  // A U: the notch (4..6, 3..10) is outside.
  GeometryColumn g;
  addPart(g, {{{0, 0}, {10, 0}, {10, 10}, {6, 10}, {6, 3}, {4, 3}, {4, 10}, {0, 10}, {0, 0}}});
  endFeature(g);
  EXPECT_FALSE(partContains(g, 0, {5, 6}));
  EXPECT_TRUE(partContains(g, 0, {5, 1}));
  EXPECT_TRUE(partContains(g, 0, {2, 8}));
  EXPECT_TRUE(partContains(g, 0, {8, 8}));
}

TEST(HitTestTest, HoleIsOutside) {
  GeometryColumn g;
  addPart(g, {kSquare, {{4, 4}, {6, 4}, {6, 6}, {4, 6}, {4, 4}}});
  endFeature(g);
  EXPECT_FALSE(partContains(g, 0, {5, 5}));
  EXPECT_TRUE(partContains(g, 0, {2, 2}));
}

TEST(HitTestTest, MultipolygonContainsWhatAnyPartContains) {
  // Feature 0: two squares apart; feature 1: a square further on.
  GeometryColumn g;
  addPart(g, {kSquare});
  addPart(g, {{{20, 0}, {30, 0}, {30, 10}, {20, 10}, {20, 0}}});
  endFeature(g);
  addPart(g, {{{40, 0}, {50, 0}, {50, 10}, {40, 10}, {40, 0}}});
  endFeature(g);
  EXPECT_TRUE(featureContains(g, 0, {5, 5}));
  EXPECT_TRUE(featureContains(g, 0, {25, 5}));
  EXPECT_FALSE(featureContains(g, 0, {15, 5}));
  EXPECT_FALSE(featureContains(g, 0, {45, 5}));
  EXPECT_TRUE(featureContains(g, 1, {45, 5}));
  EXPECT_FALSE(partContains(g, 0, {25, 5}));
  EXPECT_TRUE(partContains(g, 1, {25, 5}));
}

TEST(HitTestTest, RingsOfFewerThanThreeVerticesEncloseNothing) {
  GeometryColumn g;
  addPart(g, {{{0, 0}, {10, 10}}});
  endFeature(g);
  EXPECT_FALSE(partContains(g, 0, {5, 5}));
}

}  // namespace
}  // namespace bcmap
