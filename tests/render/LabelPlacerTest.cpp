// The non-drawing parts of label placement (render/LabelPlacer.h): the order labels are
// tried in, the collision grid (against a brute-force list) and a block's spots. No GL.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include <bcmap/bcmap_plugin.h>
#include "render/LabelPlacer.h"

namespace bcmap {
namespace {

Bounds box(double x0, double y0, double x1, double y1) { return {x0, y0, x1, y1}; }

TEST(LabelPlacerTest, RankOrdersByPriorityThenTopLayerThenFeature) {
  std::vector<LabelRank> ranks = {{0, 0, 5}, {10, 3, 9}, {0, 1, 0}, {10, 3, 2}, {10, 0, 7}, {-5, 0, 0}, {0, 0, 1}};
  std::sort(ranks.begin(), ranks.end(), rankedBefore);
  const std::vector<LabelRank> want = {{10, 0, 7}, {10, 3, 2}, {10, 3, 9}, {0, 0, 1}, {0, 0, 5}, {0, 1, 0}, {-5, 0, 0}};
  ASSERT_EQ(ranks.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(ranks[i].priority, want[i].priority) << i;
    EXPECT_EQ(ranks[i].layerFromTop, want[i].layerFromTop) << i;
    EXPECT_EQ(ranks[i].feature, want[i].feature) << i;
  }
}

TEST(LabelPlacerTest, BoxesOverlapOnlyWithSharedInterior) {
  EXPECT_TRUE(boxesOverlap(box(0, 0, 10, 10), box(9, 9, 20, 20)));
  EXPECT_TRUE(boxesOverlap(box(0, 0, 10, 10), box(2, 2, 3, 3)));  // inside
  EXPECT_FALSE(boxesOverlap(box(0, 0, 10, 10), box(10, 0, 20, 10)));  // touching edge
  EXPECT_FALSE(boxesOverlap(box(0, 0, 10, 10), box(0, 11, 10, 20)));
}

TEST(LabelPlacerTest, GridFindsExactlyTheOverlapsABruteForceListFinds) {
  // Random boxes of label sizes over a 1000 x 800 frame and 200 px beyond it (the grid
  // buckets those in its border cells), some wider than a cell.
  std::mt19937 rng(42);
  std::uniform_real_distribution<double> x(-200, 1200), y(-200, 1000), w(4, 180), h(4, 40);
  CollisionGrid grid(1000, 800, 64);
  std::vector<Bounds> taken;
  size_t accepted = 0, refused = 0;
  for (int i = 0; i < 3000; ++i) {
    const double x0 = x(rng), y0 = y(rng);
    const Bounds b = box(x0, y0, x0 + w(rng), y0 + h(rng));
    const bool brute = std::any_of(taken.begin(), taken.end(), [&](const Bounds& t) { return boxesOverlap(b, t); });
    ASSERT_EQ(grid.overlaps(b), brute) << "box " << i;
    if (!brute) {
      grid.insert(b);
      taken.push_back(b);
      ++accepted;
    } else {
      ++refused;
    }
  }
  EXPECT_EQ(grid.size(), taken.size());
  // Both outcomes were exercised many times.
  EXPECT_GT(accepted, 100u);
  EXPECT_GT(refused, 100u);
}

TEST(LabelPlacerTest, GridIgnoresEmptyBoxes) {
  CollisionGrid grid(100, 100, 32);
  grid.insert(Bounds{});
  EXPECT_EQ(grid.size(), 0u);
  EXPECT_FALSE(grid.overlaps(Bounds{}));
  grid.insert(box(0, 0, 100, 100));
  EXPECT_FALSE(grid.overlaps(Bounds{}));
  EXPECT_TRUE(grid.overlaps(box(50, 50, 51, 51)));
}

// LabelBlock positions by arithmetic on measured boxes. Primary 40 x 16 and secondary 30 x 12
// (measured with a halo reaching 2-3 px left of and above the anchor), 1 px apart: a block
// 40 x 29. Worked out by hand for each spot around (100, 100), 6 px away.
TEST(LabelPlacerTest, BlockSpotsAroundAnAnchor) {
  const LabelSize size{box(-2, -3, 38, 13), box(-2, -2, 28, 10)};
  const LabelBlock block(size, 1.0);
  ASSERT_TRUE(block.hasSecondary());
  struct Want {
    LabelSpot spot;
    Bounds box;
    double secondLeft;  // where the second line's box starts: aligned towards the anchor
  };
  // Centre: left 80, top 85.5, whole pixels: primary at y 86, the second line at 103 (102.5
  // rounded away from zero), centred 5 px in. Right: left 106. Left: right edges at 94.
  // Above: bottom at 94. Below: top at 106.
  const Want wants[] = {
      {LabelSpot::Centre, box(80, 86, 120, 115), 85},
      {LabelSpot::Right, box(106, 86, 146, 115), 106},
      {LabelSpot::Left, box(54, 86, 94, 115), 64},
      {LabelSpot::Above, box(80, 65, 120, 94), 85},
      {LabelSpot::Below, box(80, 106, 120, 135), 85},
  };
  for (const Want& w : wants) {
    const LabelPlacement p = block.at({100, 100}, w.spot, 6.0);
    SCOPED_TRACE(int(w.spot));
    EXPECT_EQ(p.box.minX, w.box.minX);
    EXPECT_EQ(p.box.minY, w.box.minY);
    EXPECT_EQ(p.box.maxX, w.box.maxX);
    EXPECT_EQ(p.box.maxY, w.box.maxY);
    // The anchors are whole pixels and put each measured line where the box says.
    EXPECT_EQ(p.primaryAt.x, std::round(p.primaryAt.x));
    EXPECT_EQ(p.primaryAt.y + size.primary.minY, w.box.minY);
    EXPECT_EQ(p.secondaryAt.x + size.secondary.minX, w.secondLeft);
    EXPECT_EQ(p.secondaryAt.y + size.secondary.maxY, w.box.maxY);
  }
  // One line: the block is the primary alone, centred on the anchor.
  const LabelPlacement one = LabelBlock({box(0, 0, 40, 16), Bounds{}}, 1.0).at({100, 100}, LabelSpot::Centre, 0);
  EXPECT_EQ(one.box.minX, 80);
  EXPECT_EQ(one.box.minY, 92);
  EXPECT_EQ(one.box.maxY, 108);
}


// A sized point's label at every side spot clears the symbol it is placed around: the gap
// is the symbol's drawn reach (its size, its shape's extent, the pixel ratio) plus a margin.
TEST(LabelPlacerTest, ASidePlacedLabelClearsItsSizedSymbol) {
  const LabelBlock block({box(-2, -3, 38, 13), Bounds{}}, 1.0);
  const Vec2 at{200, 200};
  for (float sizePx : {6.0f, 8.5f, 22.0f, 60.0f})
    for (uint8_t symbol : {uint8_t(BCMAP_SYMBOL_CIRCLE), uint8_t(BCMAP_SYMBOL_SQUARE), uint8_t(BCMAP_SYMBOL_STAR)})
      for (double ratio : {1.0, 2.0}) {
        const double reach = symbolReachPx(sizePx, symbol, ratio);
        EXPECT_GE(reach, sizePx * ratio / 2) << "a symbol reaches at least its radius";
        for (LabelSpot spot : kPointLabelSpots) {
          const Bounds b = block.at(at, spot, labelGapPx(sizePx, symbol, ratio)).box;
          const double x = std::clamp(at.x, b.minX, b.maxX), y = std::clamp(at.y, b.minY, b.maxY);
          EXPECT_GE(std::hypot(x - at.x, y - at.y), reach + kLabelSymbolGapPx * ratio - 1)
              << "size " << sizePx << " symbol " << int(symbol) << " ratio " << ratio << " spot " << int(spot);
        }
      }
  // A line's label is beside its START disc only when anchored on it.
  EXPECT_TRUE(anchoredOnMarker({100, 100}, {103, 104}, 5));
  EXPECT_FALSE(anchoredOnMarker({100, 100}, {110, 100}, 5));
}

}  // namespace
}  // namespace bcmap
