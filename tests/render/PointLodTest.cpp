// Points (label gl): level of detail for points denser than pixels — one million 4 px
// points drawn whole and through MapRenderer's LOD suffix must give the same picture
// (issue 11: at most 0.5 % of the pixels differ by more than 8/255; ExactRenderTest checks
// the same through `bcmap render`), translucent and opaque, while LOD draws far fewer where
// points are dense enough; sparse layers are drawn whole; zooming in draws more and culls
// what is off screen; the highlight finds a point wherever LOD sorted it; a time filter
// turns LOD off. And the sprite path: discs straddling the frame's edge are kept, and a
// draw into a sub-viewport stays inside it.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "model/FeatureTable.h"
#include "model/PreparedLayer.h"
#include "model/View.h"
#include "render/GlContext.h"
#include "render/ImageIo.h"
#include "render/MapRenderer.h"

namespace bcmap {
namespace {

constexpr Rgba kPaper{242, 239, 233, 255};  // MapFrame's default background
// vector_file's default point colour: #3a6fb0 at alpha 150 (translucent, so overlaps darken).
constexpr Rgba kBlue{58, 111, 176, 150};

HeadlessContext* context() {
  static std::unique_ptr<HeadlessContext> ctx = [] {
    std::string err;
    auto c = HeadlessContext::create(&err);
    if (!c) std::printf("no GL context: %s\n", err.c_str());
    return c;
  }();
  return ctx.get();
}

// `count` points uniform in an ellipse (an irregular edge matters less than density here)
// plus a sparse scatter, deterministic (LCG, Numerical Recipes constants).
PreparedLayer densePoints(const std::string& id, size_t count, Vec2 centre, double rx, double ry,
                          float sizePx, Rgba color) {
  PreparedLayer l;
  l.layerId = id;
  l.kind = GeometryKind::Point;
  GeometryColumn& g = l.geometry;
  g.kind = GeometryKind::Point;
  uint32_t seed = 2024;
  auto next = [&seed] {
    seed = seed * 1664525u + 1013904223u;
    return (seed >> 8) / double(1u << 24);
  };
  while (g.xy.size() < count) {
    const double u = next() * 2 - 1, v = next() * 2 - 1;
    if (u * u + v * v > 1) continue;
    g.xy.push_back({centre.x + u * rx, centre.y + v * ry});
    g.ringVertices.push_back(uint32_t(g.xy.size()));
  }
  g.partRings.resize(count + 1);
  g.featureParts.resize(count + 1);
  for (size_t i = 0; i <= count; ++i) {
    g.partRings.set(i, uint32_t(i));
    g.featureParts.set(i, uint32_t(i));
  }
  l.fill.assign(count, color);
  l.pointSizePx.assign(count, sizePx);
  l.bounds = g.bounds();
  l.generation = 1;
  return l;
}

View makeView(Vec2 centre, double unitsPerPixel, int w, int h) {
  View v;
  v.center = centre;
  v.unitsPerPixel = unitsPerPixel;
  v.widthPx = w;
  v.heightPx = h;
  return v;
}

class PointLodTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NE(context(), nullptr) << "HeadlessContext::create failed (see the log above)";
    ASSERT_TRUE(context()->makeCurrent());
    std::string err;
    ASSERT_TRUE(renderer_.init(&err)) << err;
  }

  std::vector<uint8_t> render(const std::string& id, const View& view, const LayerDrawOptions& o) {
    std::string err;
    auto target = OffscreenTarget::create(view.widthPx, view.heightPx, &err);
    EXPECT_TRUE(target) << err;
    if (!target) return {};
    target->bind();
    renderer_.beginFrame(view, kPaper);
    renderer_.drawLayer(id, view, o);
    std::vector<uint8_t> px = target->readPixels();
    OffscreenTarget::unbind();
    EXPECT_EQ(glGetError(), GLenum(GL_NO_ERROR));
    return px;
  }

  MapRenderer renderer_;
};

// A pixel is covered when it differs from the background by more than 8 levels in some
// channel (the antialiased rim of a lone disc fades below that; a third of a disc is more).
bool covered(const std::vector<uint8_t>& px, size_t i) {
  return std::abs(px[i] - kPaper.r) > 8 || std::abs(px[i + 1] - kPaper.g) > 8 || std::abs(px[i + 2] - kPaper.b) > 8;
}

struct Comparison {
  size_t pixels = 0, coveredFull = 0;
  size_t differ = 0;  // pixels with some channel more than 8 levels apart (the measure)
  double share() const { return pixels ? double(differ) / double(pixels) : 1.0; }
};

Comparison compare(const std::vector<uint8_t>& full, const std::vector<uint8_t>& lod) {
  Comparison c;
  c.pixels = full.size() / 4;
  for (size_t i = 0; i < full.size(); i += 4) {
    c.coveredFull += covered(full, i);
    int d = 0;
    for (size_t k = 0; k < 3; ++k) d = std::max(d, std::abs(full[i + k] - lod[i + k]));
    c.differ += d > 8;
  }
  return c;
}

// The bar for an exact render: at most 0.5 % of the pixels differ by more than 8/255.
constexpr double kMaxDifferingShare = 0.005;

TEST_F(PointLodTest, MillionDensePointsLookTheSameWithLod) {
  // 1M points in an ellipse of 1280 x 720 px in a 1920x1080 frame: about 1.4 points a
  // pixel, each a 4 px disc — 1M points over the counties fitted to that frame. Then the
  // same from twice as far (5.5 points a pixel, like 4M points over the counties).
  constexpr size_t kCount = 1'000'000;
  const Vec2 c{1.37e7, 5.6e6};
  renderer_.upload(densePoints("dense", kCount, c, 640 * 10.0, 360 * 10.0, 4.0f, kBlue));
  LayerDrawOptions full;
  LayerDrawOptions lod;
  lod.pointLod = true;
  size_t drawnFar = 0;
  for (double unitsPerPixel : {10.0, 20.0}) {
    const View view = makeView(c, unitsPerPixel, 1920, 1080);
    const std::vector<uint8_t> a = render("dense", view, full);
    EXPECT_EQ(renderer_.lastDraw("dense").pointsDrawn, kCount);
    const std::vector<uint8_t> b = render("dense", view, lod);
    const LayerDrawStats s = renderer_.lastDraw("dense");
    const Comparison cmp = compare(a, b);
    std::printf("translucent, %.0f units/px: LOD drew %zu of %zu points; %zu pixels differ (%.3f %%)\n", unitsPerPixel,
                s.pointsDrawn, kCount, cmp.differ, 100.0 * cmp.share());
    EXPECT_GT(cmp.coveredFull, size_t(1920 * 1080) / (unitsPerPixel > 10 ? 12 : 3));
    EXPECT_LE(cmp.share(), kMaxDifferingShare);
    if (unitsPerPixel > 10) drawnFar = s.pointsDrawn;
    if (const char* dir = std::getenv("BCMAP_LOD_PNG_DIR")) {
      const std::string tag = std::to_string(int(unitsPerPixel));
      writePng(std::string(dir) + "/lod_full_" + tag + ".png", 1920, 1080, a, nullptr);
      writePng(std::string(dir) + "/lod_lod_" + tag + ".png", 1920, 1080, b, nullptr);
    }
  }
  // Translucent points need enough of them stacked that the paper no longer shows: at 1.4
  // a pixel LOD cannot leave out enough to be worth it, at 5.5 it leaves out most.
  EXPECT_LT(drawnFar, kCount / 2) << "LOD should leave out most points at this density";

  // Opaque points need only what is on top: LOD thins them at 1.4 a pixel already.
  const View view = makeView(c, 10.0, 1920, 1080);
  renderer_.upload(densePoints("opaque", kCount, c, 640 * 10.0, 360 * 10.0, 4.0f, {58, 111, 176, 255}));
  const std::vector<uint8_t> fullOpaque = render("opaque", view, full);
  const std::vector<uint8_t> lodOpaque = render("opaque", view, lod);
  const size_t opaqueDrawn = renderer_.lastDraw("opaque").pointsDrawn;
  const Comparison o = compare(fullOpaque, lodOpaque);
  std::printf("opaque: LOD drew %zu; %.3f %% of the pixels differ\n", opaqueDrawn, 100.0 * o.share());
  EXPECT_LT(opaqueDrawn, kCount * 3 / 4);
  EXPECT_LE(o.share(), kMaxDifferingShare);

  // Zoomed in 8x on the middle: a finer level, and most points are off screen and culled.
  render("dense", makeView(c, 20.0, 1920, 1080), lod);
  const LayerDrawStats s = renderer_.lastDraw("dense");
  View close = makeView(c, 10.0 / 8, 1920, 1080);
  render("dense", close, lod);
  const LayerDrawStats z = renderer_.lastDraw("dense");
  EXPECT_GT(z.pointsLod, s.pointsLod);
  // Culling is by runs of points, so some off-screen points are drawn, but far from all.
  size_t inView = 0;
  const Bounds wb = close.worldBounds();
  uint32_t seed = 2024;  // the same stream densePoints used
  auto next = [&seed] {
    seed = seed * 1664525u + 1013904223u;
    return (seed >> 8) / double(1u << 24);
  };
  for (size_t n = 0; n < kCount;) {
    const double u = next() * 2 - 1, v = next() * 2 - 1;
    if (u * u + v * v > 1) continue;
    ++n;
    const double x = c.x + u * 6400, y = c.y + v * 3600;
    inView += x >= wb.minX && x <= wb.maxX && y >= wb.minY && y <= wb.maxY;
  }
  std::printf("zoomed in: LOD suffix %zu, %zu points in view, drawn %zu in %zu calls\n", z.pointsLod, inView,
              z.pointsDrawn, z.drawCalls);
  EXPECT_LT(z.pointsDrawn, 4 * inView);
  EXPECT_LT(z.pointsDrawn, z.pointsLod / 5);
  // Every point in view is drawn (LOD keeps all of them at this zoom, culling none).
  EXPECT_EQ(z.pointsLod, kCount);
  EXPECT_GE(z.pointsDrawn, inView);
}

TEST_F(PointLodTest, SparseLayersAreDrawnWhole) {
  // 100k points over the whole frame: one per 14 px, not dense (and above the size from
  // which layers are sorted for LOD at all).
  renderer_.upload(densePoints("sparse", 100000, {0, 0}, 900, 500, 4.0f, kBlue));
  LayerDrawOptions lod;
  lod.pointLod = true;
  render("sparse", makeView({0, 0}, 1.0, 1920, 1080), lod);
  EXPECT_EQ(renderer_.lastDraw("sparse").pointsDrawn, 100000u);
  EXPECT_EQ(renderer_.lastDraw("sparse").pointsLod, 100000u);
  // The same layer seen from 8x further out is dense (4.5 points a pixel): LOD thins it.
  render("sparse", makeView({0, 0}, 8.0, 1920, 1080), lod);
  EXPECT_LT(renderer_.lastDraw("sparse").pointsDrawn, 80000u);
}

TEST_F(PointLodTest, TimeFilterDrawsEveryPoint) {
  // A representative might be filtered out by day, so LOD is off while a day is set.
  PreparedLayer l = densePoints("timed", 200000, {0, 0}, 200, 120, 4.0f, kBlue);
  l.startDay.assign(200000, *parseDate("2016-01-01"));
  l.endDay.assign(200000, kNoDay);
  renderer_.upload(l);
  LayerDrawOptions lod;
  lod.pointLod = true;
  const View view = makeView({0, 0}, 1.0, 1920, 1080);
  render("timed", view, lod);
  EXPECT_LT(renderer_.lastDraw("timed").pointsDrawn, 200000u);
  lod.day = *parseDate("2018-01-01");
  render("timed", view, lod);
  EXPECT_EQ(renderer_.lastDraw("timed").pointsDrawn, 200000u);
}

TEST_F(PointLodTest, HighlightFindsTheFeatureWhereverLodSortedIt) {
  PreparedLayer l = densePoints("hl", 100000, {0, 0}, 640, 360, 4.0f, kBlue);
  const size_t pick = 31337;
  const Vec2 at = l.geometry.xy[pick];
  renderer_.upload(l);
  LayerDrawOptions o;
  o.pointLod = true;
  o.highlightedFeature = uint32_t(pick);
  const View view = makeView({0, 0}, 1.0, 1920, 1080);
  const std::vector<uint8_t> px = render("hl", view, o);
  const Vec2 p = view.toPixel(at);
  const size_t i = (size_t(p.y) * 1920 + size_t(p.x)) * 4;
  // The highlight halo (255, 200, 0) around the feature, the point itself on top.
  const size_t j = (size_t(p.y) * 1920 + size_t(p.x + 4)) * 4;
  EXPECT_GT(px[j], 200) << int(px[j]) << "," << int(px[j + 1]) << "," << int(px[j + 2]);
  EXPECT_GT(px[j + 1], 150);
  EXPECT_LT(px[j + 2], 80);
  EXPECT_LT(px[i], 160);  // the point's own (translucent) blue in the middle
  EXPECT_GT(px[i + 2], 60);

  // highlightOnly: the highlight and nothing else (drawn over a cached frame in the window).
  o.highlightOnly = true;
  const std::vector<uint8_t> only = render("hl", view, o);
  EXPECT_EQ(renderer_.lastDraw("hl").pointsDrawn, 3u) << "dark edge, halo and point, of that feature only";
  EXPECT_GT(only[j], 200);
  size_t touched = 0;
  for (size_t k = 0; k < only.size(); k += 4) touched += only[k] != kPaper.r || only[k + 1] != kPaper.g;
  EXPECT_GT(touched, 50u);
  EXPECT_LT(touched, 200u) << "a 10 px halo, not the layer";
}

TEST_F(PointLodTest, DiscsAcrossTheEdgeAreKeptAndSubViewportsRespected) {
  // Centres 1.5 px outside the left and bottom edges: half of each 12 px disc is inside.
  PreparedLayer l;
  l.layerId = "edge";
  l.kind = GeometryKind::Point;
  l.geometry.kind = GeometryKind::Point;
  l.geometry.xy = {{-101.5, 0}, {0, -51.5}};
  l.geometry.ringVertices = {0, 1, 2};
  l.geometry.partRings = {0, 1, 2};
  l.geometry.featureParts = {0, 1, 2};
  l.fill.assign(2, {200, 30, 30, 255});
  l.pointSizePx.assign(2, 12.0f);
  l.generation = 1;
  renderer_.upload(l);
  const View view = makeView({0, 0}, 1.0, 200, 100);
  std::vector<uint8_t> px = render("edge", view, {});
  auto red = [&](int x, int y) {
    const size_t i = (size_t(y) * 200 + size_t(x)) * 4;
    return px[i] > 150 && px[i + 1] < 100;
  };
  EXPECT_TRUE(red(1, 50)) << "left disc";
  EXPECT_TRUE(red(3, 50));
  EXPECT_TRUE(red(100, 98)) << "bottom disc";

  // The same frame drawn into the right half of a 400 x 100 target: nothing may land in
  // the left half, though the left disc reaches over the sub-viewport's edge.
  std::string err;
  auto target = OffscreenTarget::create(400, 100, &err);
  ASSERT_TRUE(target) << err;
  target->bind();
  glClearColor(0, 0, 0, 0);
  glClear(GL_COLOR_BUFFER_BIT);
  glViewport(200, 0, 200, 100);
  renderer_.drawLayer("edge", view, {});
  px = target->readPixels();
  OffscreenTarget::unbind();
  size_t leaked = 0;
  for (int y = 0; y < 100; ++y)
    for (int x = 0; x < 200; ++x) leaked += px[(size_t(y) * 400 + size_t(x)) * 4 + 3] != 0;
  EXPECT_EQ(leaked, 0u);
  EXPECT_GT(px[(size_t(50) * 400 + 201) * 4], 150) << "the left disc's inner half, in the sub-viewport";
  GLint vp[4];
  glGetIntegerv(GL_VIEWPORT, vp);
  EXPECT_EQ(vp[0], 200) << "the viewport is restored";
  EXPECT_EQ(vp[2], 200);
  EXPECT_FALSE(glIsEnabled(GL_SCISSOR_TEST));
}

}  // namespace
}  // namespace bcmap
