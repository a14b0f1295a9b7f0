// FrameCache and InteractiveRenderer (label gl): the cached frame drawn for a panned view
// equals the full frame of that view where the two overlap; zooming places it where the
// view says; the interactive policy shows moved frames during a gesture and the full frame
// once input stops. Time is given to the policy, so these checks use a virtual clock.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "model/PreparedLayer.h"
#include "model/View.h"
#include "render/FrameCache.h"
#include "render/GlContext.h"
#include "render/MapRenderer.h"

namespace bcmap {
namespace {

constexpr Rgba kPaper{242, 239, 233, 255};

HeadlessContext* context() {
  static std::unique_ptr<HeadlessContext> ctx = [] {
    std::string err;
    auto c = HeadlessContext::create(&err);
    if (!c) std::printf("no GL context: %s\n", err.c_str());
    return c;
  }();
  return ctx.get();
}

// Polygons with outlines, and points: antialiased edges everywhere, so a half-pixel slip
// of the cached frame would show.
PreparedLayer squares() {
  PreparedLayer l;
  l.layerId = "squares";
  l.kind = GeometryKind::Polygon;
  GeometryColumn& g = l.geometry;
  g.kind = GeometryKind::Polygon;
  const Rgba colours[] = {{230, 120, 90, 255}, {90, 170, 120, 255}, {110, 120, 210, 255}};
  for (int i = 0; i < 3; ++i) {
    const double x = -300 + i * 220.0, y = -120 + i * 70.0, s = 160 + i * 15.0;
    for (Vec2 p : {Vec2{x, y}, Vec2{x + s, y + 13}, Vec2{x + s - 21, y + s}, Vec2{x + 7, y + s - 30}})
      g.xy.push_back(p);
    g.ringVertices.push_back(uint32_t(g.xy.size()));
    g.partRings.push_back(uint32_t(g.ringVertices.size() - 1));
    g.featureParts.push_back(uint32_t(g.partRings.size() - 1));
    const uint32_t b = uint32_t(4 * i);
    for (uint32_t t : {b, b + 1, b + 2, b, b + 2, b + 3}) l.triangles.push_back(t);
    l.featureTriangles.push_back(uint32_t(l.triangles.size()));
    l.fill.push_back(colours[i]);
  }
  l.stroke = {40, 40, 40, 255};
  l.strokeWidthPx = 1.5f;
  l.bounds = g.bounds();
  l.generation = 1;
  return l;
}

PreparedLayer dots() {
  PreparedLayer l;
  l.layerId = "dots";
  l.kind = GeometryKind::Point;
  GeometryColumn& g = l.geometry;
  g.kind = GeometryKind::Point;
  for (int i = 0; i < 200; ++i) {
    g.xy.push_back({-380 + (i * 37) % 760 + 0.3 * i, -230 + (i * 53) % 460 + 0.17 * i});
    g.ringVertices.push_back(uint32_t(g.xy.size()));
    g.partRings.push_back(uint32_t(g.ringVertices.size() - 1));
    g.featureParts.push_back(uint32_t(g.partRings.size() - 1));
    l.fill.push_back({20, 60, 140, 255});
    l.pointSizePx.push_back(7.0f);
  }
  l.bounds = g.bounds();
  l.generation = 1;
  return l;
}

// The layers are drawn around (0, 0); this puts them at Web Mercator scale under baseView().
PreparedLayer atCentre(PreparedLayer l) {
  for (Vec2& p : l.geometry.xy) p = {p.x * 0.5 + 1.37e7, p.y * 0.5 + 5.6e6};
  l.bounds = l.geometry.bounds();
  l.generation = 2;
  return l;
}

class FrameCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NE(context(), nullptr) << "HeadlessContext::create failed (see the log above)";
    ASSERT_TRUE(context()->makeCurrent());
    std::string err;
    ASSERT_TRUE(renderer_.init(&err)) << err;
    renderer_.upload(atCentre(squares()));
    renderer_.upload(atCentre(dots()));
    screen_ = OffscreenTarget::create(kW, kH, &err);
    ASSERT_TRUE(screen_) << err;
  }

  void drawMap(const View& v) {
    renderer_.beginFrame(v, kPaper);
    renderer_.drawLayer("squares", v, {});
    renderer_.drawLayer("dots", v, {});
  }

  View baseView() const {
    View v;
    v.center = {1.37e7, 5.6e6};  // Web Mercator scale: large coordinates, as in real use
    v.unitsPerPixel = 1.0;
    v.widthPx = kW;
    v.heightPx = kH;
    return v;
  }

  static constexpr int kW = 400, kH = 300;
  MapRenderer renderer_;
  std::unique_ptr<OffscreenTarget> screen_;
};

TEST_F(FrameCacheTest, PannedCacheEqualsFullFrameShifted) {
  FrameCache cache;
  std::string err;
  ASSERT_TRUE(cache.init(&err)) << err;
  EXPECT_FALSE(cache.valid());
  const View cached = baseView();
  screen_->bind();
  ASSERT_TRUE(cache.capture(cached, [&](const View& v) { drawMap(v); }, &err)) << err;
  EXPECT_TRUE(cache.valid());

  for (auto [dx, dy] : {std::pair{37, -21}, std::pair{-120, 64}, std::pair{0, 5}}) {
    View moved = cached;
    moved.panPixels(dx, dy);
    screen_->bind();
    drawMap(moved);
    const std::vector<uint8_t> full = screen_->readPixels();
    screen_->bind();
    cache.drawTransformed(moved, kPaper);
    const std::vector<uint8_t> fromCache = screen_->readPixels();
    ASSERT_EQ(glGetError(), GLenum(GL_NO_ERROR));

    size_t compared = 0, different = 0, notBackground = 0, outsideNotPaper = 0;
    for (int y = 0; y < kH; ++y) {
      for (int x = 0; x < kW; ++x) {
        const size_t i = (size_t(y) * kW + size_t(x)) * 4;
        const int sx = x - dx, sy = y - dy;  // where this pixel was in the cached frame
        const bool inside = sx >= 0 && sy >= 0 && sx < kW && sy < kH;
        if (!inside) {
          outsideNotPaper += fromCache[i] != kPaper.r || fromCache[i + 1] != kPaper.g || fromCache[i + 2] != kPaper.b;
          continue;
        }
        ++compared;
        notBackground += full[i] != kPaper.r || full[i + 1] != kPaper.g;
        for (size_t c = 0; c < 4; ++c)
          if (std::abs(full[i + c] - fromCache[i + c]) > 1) {
            ++different;
            break;
          }
      }
    }
    // Identical up to rounding: the full frame is rasterized from float offsets that differ
    // by a whole number of pixels, so an edge pixel may land one level apart.
    EXPECT_EQ(different, 0u) << "pan " << dx << "," << dy << ": " << different << " of " << compared;
    EXPECT_GT(notBackground, compared / 10) << "the comparison must cover drawn features";
    EXPECT_EQ(outsideNotPaper, 0u) << "uncovered areas show the background";
    EXPECT_NEAR(cache.coverage(moved), double(kW - std::abs(dx)) * double(kH - std::abs(dy)) / (kW * kH), 1e-9);
  }
}

TEST_F(FrameCacheTest, ZoomedCachePlacesFeaturesWhereTheViewSays) {
  // One dot at a known place; zoom the view 2x about a pixel and find the dot's centre.
  PreparedLayer l;
  l.layerId = "one";
  l.kind = GeometryKind::Point;
  l.geometry.kind = GeometryKind::Point;
  const Vec2 world{1.37e7 + 60, 5.6e6 - 40};
  l.geometry.xy = {world};
  l.geometry.ringVertices = {0, 1};
  l.geometry.partRings = {0, 1};
  l.geometry.featureParts = {0, 1};
  l.fill = {{200, 30, 30, 255}};
  l.pointSizePx = {9.0f};
  l.generation = 1;
  renderer_.upload(l);
  FrameCache cache;
  std::string err;
  ASSERT_TRUE(cache.init(&err)) << err;
  const View cached = baseView();
  screen_->bind();
  ASSERT_TRUE(cache.capture(cached, [&](const View& v) {
    renderer_.beginFrame(v, kPaper);
    renderer_.drawLayer("one", v, {});
  }, &err));
  View zoomed = cached;
  zoomed.zoomAbout({150, 100}, 2.0);
  screen_->bind();
  cache.drawTransformed(zoomed, kPaper);
  const std::vector<uint8_t> px = screen_->readPixels();
  double sx = 0, sy = 0, n = 0;
  for (int y = 0; y < kH; ++y)
    for (int x = 0; x < kW; ++x) {
      const size_t i = (size_t(y) * kW + size_t(x)) * 4;
      if (px[i] > 150 && px[i + 1] < 110) sx += x + 0.5, sy += y + 0.5, ++n;
    }
  ASSERT_GT(n, 0);
  const Vec2 expected = zoomed.toPixel(world);
  EXPECT_NEAR(sx / n, expected.x, 1.0);
  EXPECT_NEAR(sy / n, expected.y, 1.0);
  // Twice the size: the 9 px disc covers about four times the pixels it did.
  EXPECT_GT(n, 3.14 * 4.5 * 4.5 * 4 * 0.6);
  // Zoomed in, the cached frame covers the whole view; zoomed out 2x, a quarter of it.
  EXPECT_DOUBLE_EQ(cache.coverage(zoomed), 1.0);
  View out = cached;
  out.zoomAbout({200, 150}, 0.5);
  EXPECT_NEAR(cache.coverage(out), 0.25, 1e-9);
}

TEST_F(FrameCacheTest, InteractivePolicyMovesDuringGesturesAndRendersWhenTheyEnd) {
  InteractiveOptions o;
  o.settleSec = 0.15;
  o.refreshBelowCoverage = 0.5;
  InteractiveRenderer ir(o);
  std::string err;
  ASSERT_TRUE(ir.init(&err)) << err;
  int finals = 0, interactives = 0;
  auto render = [&](const View& v, FrameQuality q) {
    (q == FrameQuality::Final ? finals : interactives)++;
    drawMap(v);
  };
  View v = baseView();
  screen_->bind();
  double t = 0;
  EXPECT_EQ(ir.frame(t, v, false, render), FrameKind::Full);
  EXPECT_FALSE(ir.pending(v));
  // What was shown went to the caller's framebuffer (still bound) and is the map itself.
  GLint bound = 0;
  glGetIntegerv(GL_DRAW_FRAMEBUFFER_BINDING, &bound);
  EXPECT_EQ(GLuint(bound), screen_->framebuffer());
  const std::vector<uint8_t> shown = screen_->readPixels();
  screen_->bind();
  drawMap(v);
  EXPECT_EQ(shown, screen_->readPixels()) << "the full frame shown through the cache equals a direct draw";
  t += 0.016;
  EXPECT_EQ(ir.frame(t, v, false, render), FrameKind::Reused);

  // A pan: 10 frames, 8 px each, 16 ms apart. The moved frame shows the background where
  // the cached one does not reach (the top-left corner after a pan right and down).
  for (int i = 0; i < 10; ++i) {
    t += 0.016;
    v.panPixels(8, 3);
    screen_->bind();
    EXPECT_EQ(ir.frame(t, v, true, render), FrameKind::Moved) << "frame " << i;
    EXPECT_TRUE(ir.pending(v));
    const std::vector<uint8_t> px = screen_->readPixels();
    EXPECT_EQ(px[0], kPaper.r);
    EXPECT_EQ(px[1], kPaper.g);
    EXPECT_EQ(px[2], kPaper.b);
  }
  screen_->bind();
  EXPECT_EQ(finals, 1);
  // Input stops: still the moved frame until the settle time has passed...
  t += 0.1;
  EXPECT_EQ(ir.frame(t, v, false, render), FrameKind::Moved);
  EXPECT_NEAR(ir.nextFrameDueSec(), t - 0.1 + 0.15, 1e-12);
  // ...then the full frame, once.
  t += 0.06;
  EXPECT_EQ(ir.frame(t, v, false, render), FrameKind::Full);
  EXPECT_EQ(finals, 2);
  EXPECT_FALSE(ir.pending(v));
  t += 0.016;
  EXPECT_EQ(ir.frame(t, v, false, render), FrameKind::Reused);

  // Zooming out far mid-gesture: the moved frame would cover under half the view, so an
  // Interactive frame is drawn; the Final one follows when the gesture ends.
  t += 0.016;
  v.zoomAbout({200, 150}, 0.5);
  EXPECT_EQ(ir.frame(t, v, true, render), FrameKind::Refreshed);
  EXPECT_EQ(interactives, 1);
  EXPECT_TRUE(ir.pending(v));
  t += 0.2;
  EXPECT_EQ(ir.frame(t, v, false, render), FrameKind::Full);
  EXPECT_EQ(finals, 3);

  // Content changed: rendered again at once, even without moving.
  ir.invalidate();
  t += 0.016;
  EXPECT_EQ(ir.frame(t, v, false, render), FrameKind::Full);
  EXPECT_EQ(finals, 4);
  // A resize is new content too.
  View bigger = v;
  bigger.widthPx = 320;
  bigger.heightPx = 200;
  t += 0.016;
  EXPECT_EQ(ir.frame(t, bigger, false, render), FrameKind::Full);
  EXPECT_EQ(ir.cache().view().widthPx, 320);
}

}  // namespace
}  // namespace bcmap
