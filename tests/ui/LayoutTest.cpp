// The docked layout (ui/Layout.h): docks never overlap each other or the map canvas, the
// canvas is the window less the docks and keeps its share at small sizes and large UI
// scales, collapsing gives the room back.
#include <gtest/gtest.h>

#include <vector>

#include "ui/Layout.h"

namespace bcmap {
namespace {

constexpr float kMenuH = 22, kStatusH = 24;

LayoutInput windowOf(float w, float h, float scale = 1.0f) {
  LayoutInput in;
  in.width = w;
  in.height = h;
  in.top = kMenuH * scale;
  in.bottom = h - kStatusH * scale;
  in.scale = scale;
  in.bottomHeight = 60 * scale;
  return in;
}

float area(const UiRect& r) { return r.empty() ? 0 : (r.x1 - r.x0) * (r.y1 - r.y0); }

bool overlap(const UiRect& a, const UiRect& b) {
  return !a.empty() && !b.empty() && a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
}

void expectTiles(const LayoutInput& in, const LayoutRects& r) {
  const std::vector<UiRect> parts{r.left, r.right, r.bottom, r.canvas};
  for (size_t i = 0; i < parts.size(); ++i)
    for (size_t j = i + 1; j < parts.size(); ++j) EXPECT_FALSE(overlap(parts[i], parts[j])) << i << " and " << j;
  // Canvas = window between the bars less the docks: the areas add up.
  float sum = 0;
  for (const UiRect& p : parts) sum += area(p);
  EXPECT_NEAR(sum, in.width * (in.bottom - in.top), 1.0f);
  // The canvas keeps at least half the width and half the height between the bars.
  EXPECT_GE(r.canvas.x1 - r.canvas.x0, kCanvasMinShare * in.width - 0.5f);
  EXPECT_GE(r.canvas.y1 - r.canvas.y0, kCanvasMinShare * (in.bottom - in.top) - 0.5f);
  // The strips and contents lie inside their docks.
  auto inside = [](const UiRect& a, const UiRect& b) {
    return a.empty() || (a.x0 >= b.x0 && a.x1 <= b.x1 && a.y0 >= b.y0 && a.y1 <= b.y1);
  };
  EXPECT_TRUE(inside(r.leftStrip, r.left) && inside(r.leftContent, r.left));
  EXPECT_TRUE(inside(r.rightStrip, r.right) && inside(r.rightContent, r.right));
  EXPECT_TRUE(inside(r.bottomStrip, r.bottom) && inside(r.bottomContent, r.bottom));
}

TEST(Layout, tiles_the_window_at_every_size_and_scale) {
  for (auto [w, h] : {std::pair{1920.0f, 1080.0f}, {1280.0f, 800.0f}, {900.0f, 600.0f}, {640.0f, 400.0f}})
    for (float scale : {1.0f, 1.5f, 2.0f})
      for (int collapsed = 0; collapsed < 8; ++collapsed) {
        DockState d;
        d.leftCollapsed = collapsed & 1;
        d.rightCollapsed = collapsed & 2;
        d.bottomCollapsed = collapsed & 4;
        const LayoutInput in = windowOf(w, h, scale);
        SCOPED_TRACE(testing::Message() << w << "x" << h << " scale " << scale << " collapsed " << collapsed);
        expectTiles(in, computeLayout(in, d));
      }
}

TEST(Layout, default_docks_at_1280x800) {
  const LayoutInput in = windowOf(1280, 800);
  const LayoutRects r = computeLayout(in, DockState{});
  EXPECT_FLOAT_EQ(r.left.x1, 310 + kDockStripPx);
  EXPECT_FLOAT_EQ(r.right.x0, 1280 - 250 - kDockStripPx);
  EXPECT_FLOAT_EQ(r.canvas.x0, r.left.x1);
  EXPECT_FLOAT_EQ(r.canvas.x1, r.right.x0);
  EXPECT_FLOAT_EQ(r.canvas.y0, kMenuH);
  EXPECT_FLOAT_EQ(r.canvas.y1, r.bottom.y0);
  EXPECT_FLOAT_EQ(r.bottom.y1, 800 - kStatusH);
  EXPECT_FLOAT_EQ(r.bottom.y1 - r.bottom.y0, 60);
}

TEST(Layout, small_window_narrows_the_docks_but_keeps_them_usable) {
  const LayoutInput in = windowOf(900, 600);
  const LayoutRects r = computeLayout(in, DockState{});
  EXPECT_NEAR(r.canvas.x1 - r.canvas.x0, 450, 2.0f);  // the docks are whole window units
  // Both docks narrowed in proportion, each still wide enough to read an entry.
  EXPECT_GT(r.leftContent.x1 - r.leftContent.x0, 200);
  EXPECT_GT(r.rightContent.x1 - r.rightContent.x0, 150);
}

TEST(Layout, collapsing_gives_the_room_to_the_canvas) {
  const LayoutInput in = windowOf(1280, 800);
  DockState d;
  const LayoutRects open = computeLayout(in, d);
  d.leftCollapsed = d.rightCollapsed = d.bottomCollapsed = true;
  const LayoutRects shut = computeLayout(in, d);
  EXPECT_TRUE(shut.leftContent.empty() && shut.rightContent.empty() && shut.bottomContent.empty());
  EXPECT_FLOAT_EQ(shut.left.x1 - shut.left.x0, kDockStripPx);
  EXPECT_FLOAT_EQ(shut.right.x1 - shut.right.x0, kDockStripPx);
  EXPECT_FLOAT_EQ(shut.bottom.y1 - shut.bottom.y0, kDockStripPx);
  EXPECT_GT(area(shut.canvas), area(open.canvas));
  EXPECT_FLOAT_EQ(shut.canvas.x0, kDockStripPx);
}

TEST(Layout, nothing_docked_right_or_bottom) {
  LayoutInput in = windowOf(1280, 800);
  in.rightShown = in.bottomShown = false;
  const LayoutRects r = computeLayout(in, DockState{});
  EXPECT_TRUE(r.right.empty() && r.bottom.empty());
  EXPECT_FLOAT_EQ(r.canvas.x1, 1280);
  EXPECT_FLOAT_EQ(r.canvas.y1, 800 - kStatusH);
}

TEST(Layout, a_dock_wider_than_the_window_allows_is_narrowed) {
  const LayoutInput in = windowOf(1280, 800);
  DockState d;
  d.leftWidth = 5000;
  const LayoutRects r = computeLayout(in, d);
  EXPECT_GE(r.canvas.x1 - r.canvas.x0, 640 - 0.5f);
  d.leftWidth = 10;  // below the least width: held at it
  EXPECT_FLOAT_EQ(computeLayout(in, d).left.x1, kDockMinPx + kDockStripPx);
}

}  // namespace
}  // namespace bcmap
