// Point symbols and line end markers (label gl), pixel checks on a headless EGL context:
// symbol shapes by their geometry (equal area with the circle), the same shape whether a
// symbol is drawn as a point sprite or, when larger than the driver's largest point, as an
// instanced quad, and markers with their colours, time spans and highlight.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <bcmap/bcmap_plugin.h>
#include "model/PreparedLayer.h"
#include "model/View.h"
#include "render/GlContext.h"
#include "render/MapRenderer.h"

namespace bcmap {
namespace {

constexpr Rgba kWhite{255, 255, 255, 255};
constexpr Rgba kBlue{30, 90, 200, 255};
constexpr Rgba kOrange{230, 97, 1, 255};

HeadlessContext* context() {
  static std::unique_ptr<HeadlessContext> ctx = [] {
    std::string err;
    auto c = HeadlessContext::create(&err);
    std::printf("%s\n", c ? c->description().c_str() : err.c_str());
    return c;
  }();
  return ctx.get();
}

PreparedLayer point(const std::string& id, Vec2 at, float sizePx, uint8_t symbol, Rgba color) {
  PreparedLayer l;
  l.layerId = id;
  l.kind = l.geometry.kind = GeometryKind::Point;
  l.geometry.xy = {at};
  l.geometry.ringVertices = {0, 1};
  l.geometry.partRings = {0, 1};
  l.geometry.featureParts = {0, 1};
  l.fill = {color};
  l.pointSizePx = {sizePx};
  l.pointSymbol = symbol;
  l.bounds = l.geometry.bounds();
  l.generation = 1;
  return l;
}

class SymbolMarkerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NE(context(), nullptr);
    ASSERT_TRUE(context()->makeCurrent());
    std::string err;
    ASSERT_TRUE(renderer_.init(&err)) << err;
  }
  // Renders layer `id` in a w x h view centred on 0,0 at 1 unit a pixel.
  void render(const std::string& id, int w, int h, const LayerDrawOptions& o = {}) {
    view_.center = {0, 0};
    view_.unitsPerPixel = 1.0;
    view_.widthPx = w;
    view_.heightPx = h;
    std::string err;
    auto target = OffscreenTarget::create(w, h, &err);
    ASSERT_TRUE(target) << err;
    target->bind();
    renderer_.beginFrame(view_, kWhite);
    renderer_.drawLayer(id, view_, o);
    pixels_ = target->readPixels();
    width_ = w;
    OffscreenTarget::unbind();
  }
  // The colour at world point p (y up), as RGB.
  Rgba at(Vec2 p) const {
    const Vec2 px = view_.toPixel(p);
    const size_t i = (size_t(px.y) * size_t(width_) + size_t(px.x)) * 4;
    return {pixels_[i], pixels_[i + 1], pixels_[i + 2], pixels_[i + 3]};
  }
  static bool near(Rgba a, Rgba b, int tol = 4) {
    return std::abs(a.r - b.r) <= tol && std::abs(a.g - b.g) <= tol && std::abs(a.b - b.b) <= tol;
  }
  MapRenderer renderer_;
  View view_;
  std::vector<uint8_t> pixels_;
  int width_ = 0;
};

// A square's half side is sqrt(pi)/2 of the radius (equal area); its corners reach farther
// than the circle. Checked at 100 px (a sprite) and 300 px (beyond llvmpipe's largest point
// of 255 px with its extent: instanced quads) with the same relative positions.
TEST_F(SymbolMarkerTest, SquareHasTheCirclesAreaAsSpriteAndAsQuad) {
  for (float size : {100.0f, 300.0f}) {
    const std::string id = "sq" + std::to_string(int(size));
    renderer_.upload(point(id, {0.5, 0.5}, size, BCMAP_SYMBOL_SQUARE, kBlue));
    render(id, 480, 480);
    const double r = size / 2, half = r * std::sqrt(M_PI) / 2;  // 44.3 and 132.9 px
    EXPECT_TRUE(near(at({0.5, 0.5}), kBlue)) << size;
    // Inside near a corner (beyond the circle of the same area), outside past the side.
    EXPECT_TRUE(near(at({0.5 + half - 4, 0.5 + half - 4}), kBlue)) << size;
    EXPECT_TRUE(near(at({0.5 + half + 3, 0.5}), kWhite)) << size;
    EXPECT_TRUE(near(at({0.5, 0.5 - half - 3}), kWhite)) << size;
    // The darker rim just inside the edge.
    const Rgba rim = at({0.5 + half - 0.5, 0.5});
    EXPECT_LT(rim.b, kBlue.b - 40) << size;
    // The diamond's tips reach beyond the disc's box: the sprite or quad must cover them.
    renderer_.upload(point("di" + id, {0.5, 0.5}, size, BCMAP_SYMBOL_DIAMOND, kBlue));
    render("di" + id, 480, 480);
    EXPECT_TRUE(near(at({0.5 + half * std::sqrt(2.0) - 4, 0.5}), kBlue)) << size;
    EXPECT_TRUE(near(at({0.5, 0.5 - half * std::sqrt(2.0) + 4}), kBlue)) << size;
  }
}

// A diamond reaches further along the axes than the square does, and not at all into the
// square's corners; a triangle points up.
TEST_F(SymbolMarkerTest, DiamondAndTriangleHaveTheirShapes) {
  renderer_.upload(point("di", {0.5, 0.5}, 100, BCMAP_SYMBOL_DIAMOND, kBlue));
  render("di", 240, 240);
  const double r = 50, reach = r * std::sqrt(M_PI) / 2 * std::sqrt(2.0);  // 62.7 px
  EXPECT_TRUE(near(at({0.5 + reach - 4, 0.5}), kBlue));
  EXPECT_TRUE(near(at({0.5 + 40, 0.5 + 40}), kWhite));
  renderer_.upload(point("tri", {0.5, 0.5}, 100, BCMAP_SYMBOL_TRIANGLE, kBlue));
  render("tri", 240, 240);
  const double circumradius = r * 1.5551364;  // 77.8 px
  EXPECT_TRUE(near(at({0.5, 0.5 + circumradius - 6}), kBlue)) << "the tip, up";
  EXPECT_TRUE(near(at({0.5, 0.5 - circumradius / 2 - 4}), kWhite)) << "below the base";
  EXPECT_TRUE(near(at({0.5, 0.5 - circumradius / 2 + 4}), kBlue)) << "above the base";
}

// A line with START and END markers: a disc of the feature's size and fill at the first
// vertex of each part, the layer's symbol in the stroke colour at the last; both follow
// the feature's time span; the highlight rings them.
TEST_F(SymbolMarkerTest, LineMarkersTakeTheirColoursSizesAndTime) {
  PreparedLayer l;
  l.layerId = "flows";
  l.kind = l.geometry.kind = GeometryKind::Line;
  l.geometry.xy = {{-100, 0}, {100, 0}, {-100, 60}, {100, 60}};
  l.geometry.ringVertices = {0, 2, 4};
  l.geometry.partRings = {0, 1, 2};
  l.geometry.featureParts = {0, 1, 2};
  l.fill = {kBlue, kBlue};
  l.pointSizePx = {30, 12};
  l.stroke = kOrange;
  l.strokeWidthPx = 2;
  l.pointSymbol = BCMAP_SYMBOL_SQUARE;
  l.lineMarkers = BCMAP_LINE_MARKER_START | BCMAP_LINE_MARKER_END;
  l.lineEndMarkerPx = 20;
  l.startDay = {kNoDay, *parseDate("2019-01-01")};
  l.endDay = {kNoDay, kNoDay};
  l.bounds = l.geometry.bounds();
  l.generation = 1;
  renderer_.upload(l);
  ASSERT_NE(renderer_.stats("flows"), nullptr);
  EXPECT_EQ(renderer_.stats("flows")->markers, 4u);

  LayerDrawOptions o;
  o.day = *parseDate("2018-06-30");
  render("flows", 320, 200, o);
  EXPECT_TRUE(near(at({-100 + 12, 0}), kBlue)) << "12 px into the 30 px start disc";
  EXPECT_TRUE(near(at({100 + 6, 0}), kOrange)) << "6 px into the 20 px end square (half side 8.9 px)";
  EXPECT_TRUE(near(at({-100 + 12, 60}), kWhite)) << "the second flow starts in 2019: no disc";
  EXPECT_TRUE(near(at({100, 60}), kWhite)) << "nor its end marker";
  EXPECT_EQ(renderer_.lastDraw("flows").pointsDrawn, 4u) << "markers are submitted; the shader filters time";

  // Highlight of feature 0: a halo around its disc, 3 px outside the disc's edge.
  o.highlightedFeature = 0;
  render("flows", 320, 200, o);
  const Rgba halo = at({-100 - 17, 0});
  EXPECT_GT(halo.r, 200);
  EXPECT_GT(halo.g, 150);
  EXPECT_LT(halo.b, 80);
  EXPECT_TRUE(near(at({-100 + 12, 0}), kBlue)) << "the disc itself drawn again on top";

  // Without markers only the lines are drawn.
  l.lineMarkers = 0;
  l.generation = 2;
  renderer_.upload(l);
  EXPECT_EQ(renderer_.stats("flows")->markers, 0u);
  o.highlightedFeature.reset();
  render("flows", 320, 200, o);
  EXPECT_TRUE(near(at({-100 + 12, 8}), kWhite));
  EXPECT_TRUE(near(at({100 + 6, 0}), kWhite));
}

}  // namespace
}  // namespace bcmap
