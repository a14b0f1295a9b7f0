// MapRenderer GL checks (label gl): a headless EGL context (llvmpipe without a GPU), an
// offscreen target, synthetic layers, and pixel checks at known positions.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "model/PreparedLayer.h"
#include "model/View.h"
#include "render/GlContext.h"
#include "render/MapRenderer.h"
#include "render/ShaderProgram.h"

namespace bcmap {
namespace {

constexpr Rgba kWhite{255, 255, 255, 255};
constexpr Rgba kRed{220, 30, 30, 255};
constexpr Rgba kBlack{0, 0, 0, 255};

// One context for the whole file: creating EGL displays repeatedly is slow on llvmpipe.
HeadlessContext* context() {
  static std::unique_ptr<HeadlessContext> ctx = [] {
    std::string err;
    auto c = HeadlessContext::create(&err);
    if (c)
      std::printf("GL context: %s\n", c->description().c_str());
    else
      std::printf("no GL context: %s\n", err.c_str());
    return c;
  }();
  return ctx.get();
}

struct Pixel {
  int r, g, b, a;
};

class MapRendererTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NE(context(), nullptr) << "HeadlessContext::create failed (see the log above)";
    ASSERT_TRUE(context()->makeCurrent());
    std::string err;
    ASSERT_TRUE(renderer_.init(&err)) << err;
  }

  // Renders `layers` (already uploaded) into a fresh w x h target.
  void render(const View& view, const std::vector<std::string>& ids,
              const LayerDrawOptions& options = {}, Rgba background = kWhite) {
    std::string err;
    target_ = OffscreenTarget::create(view.widthPx, view.heightPx, &err);
    ASSERT_TRUE(target_) << err;
    target_->bind();
    renderer_.beginFrame(view, background);
    for (const std::string& id : ids) renderer_.drawLayer(id, view, options);
    pixels_ = target_->readPixels();
    OffscreenTarget::unbind();
    ASSERT_EQ(glGetError(), GLenum(GL_NO_ERROR));
  }

  // The upload stats, or all zero (uploads == 0) for an unknown layer.
  LayerGpuStats stat(const std::string& id) const {
    const LayerGpuStats* s = renderer_.stats(id);
    return s ? *s : LayerGpuStats{};
  }

  Pixel at(int x, int y) const {
    const size_t i = (size_t(y) * size_t(target_->width()) + size_t(x)) * 4;
    return {pixels_[i], pixels_[i + 1], pixels_[i + 2], pixels_[i + 3]};
  }
  static bool same(Pixel p, Rgba c, int tolerance = 2) {
    return std::abs(p.r - c.r) <= tolerance && std::abs(p.g - c.g) <= tolerance &&
           std::abs(p.b - c.b) <= tolerance && std::abs(p.a - c.a) <= tolerance;
  }

  MapRenderer renderer_;
  std::unique_ptr<OffscreenTarget> target_;
  std::vector<uint8_t> pixels_;
};

std::string describe(Pixel p) {
  return "(" + std::to_string(p.r) + "," + std::to_string(p.g) + "," + std::to_string(p.b) +
         "," + std::to_string(p.a) + ")";
}

// A square of half-size `half` with a square hole of half-size `holeHalf`, centred on
// `c`. Rings are closed (last vertex repeats the first) as GDAL gives them; the triangles
// are the frame between the two squares, two per side.
PreparedLayer squareWithHole(const std::string& id, Vec2 c, double half, double holeHalf) {
  PreparedLayer l;
  l.layerId = id;
  l.kind = GeometryKind::Polygon;
  GeometryColumn& g = l.geometry;
  g.kind = GeometryKind::Polygon;
  const double corners[4][2] = {{-1, -1}, {1, -1}, {1, 1}, {-1, 1}};
  for (double s : {half, holeHalf}) {
    for (int k = 0; k <= 4; ++k)
      g.xy.push_back({c.x + corners[k % 4][0] * s, c.y + corners[k % 4][1] * s});
    g.ringVertices.push_back(uint32_t(g.xy.size()));
  }
  g.partRings.push_back(2);
  g.featureParts.push_back(1);
  for (uint32_t k = 0; k < 4; ++k) {
    const uint32_t o0 = k, o1 = (k + 1) % 4, h0 = 5 + k, h1 = 5 + (k + 1) % 4;
    for (uint32_t i : {o0, o1, h1, o0, h1, h0}) l.triangles.push_back(i);
  }
  l.featureTriangles = {0, uint32_t(l.triangles.size())};
  l.fill = {kRed};
  l.stroke = kBlack;
  l.strokeWidthPx = 2.0f;
  l.bounds = g.bounds();
  l.generation = 1;
  return l;
}

PreparedLayer points(const std::string& id, const std::vector<Vec2>& xy, float sizePx,
                     Rgba color) {
  PreparedLayer l;
  l.layerId = id;
  l.kind = GeometryKind::Point;
  l.geometry.kind = GeometryKind::Point;
  for (const Vec2& p : xy) {
    l.geometry.xy.push_back(p);
    l.geometry.ringVertices.push_back(uint32_t(l.geometry.xy.size()));
    l.geometry.partRings.push_back(uint32_t(l.geometry.ringVertices.size() - 1));
    l.geometry.featureParts.push_back(uint32_t(l.geometry.partRings.size() - 1));
    l.fill.push_back(color);
    l.pointSizePx.push_back(sizePx);
  }
  l.bounds = l.geometry.bounds();
  l.generation = 1;
  return l;
}

PreparedLayer polyline(const std::string& id, const std::vector<Vec2>& xy, float widthPx,
                       Rgba color) {
  PreparedLayer l;
  l.layerId = id;
  l.kind = GeometryKind::Line;
  l.geometry.kind = GeometryKind::Line;
  l.geometry.xy = xy;
  l.geometry.ringVertices.push_back(uint32_t(xy.size()));
  l.geometry.partRings.push_back(1);
  l.geometry.featureParts.push_back(1);
  l.fill = {color};
  l.strokeWidthPx = widthPx;
  l.bounds = l.geometry.bounds();
  l.generation = 1;
  return l;
}

View makeView(Vec2 center, double unitsPerPixel, int w, int h) {
  View v;
  v.center = center;
  v.unitsPerPixel = unitsPerPixel;
  v.widthPx = w;
  v.heightPx = h;
  return v;
}

TEST(ShaderProgramTest, MissingShaderNamesTheFile) {
  ASSERT_NE(context(), nullptr);
  ASSERT_TRUE(context()->makeCurrent());
  ShaderProgram p;
  std::string err;
  EXPECT_FALSE(p.build("nope.vert", "polygon.frag", &err));
  EXPECT_NE(err.find("nope.vert"), std::string::npos) << err;
  EXPECT_FALSE(p.valid());
  EXPECT_TRUE(p.build("polygon.vert", "polygon.frag", &err)) << err;
  EXPECT_TRUE(p.valid());
}

TEST(GlContextTest, DescribesPlatformAndRenderer) {
  ASSERT_NE(context(), nullptr);
  const std::string d = context()->description();
  EXPECT_NE(d.find("EGL"), std::string::npos) << d;
  EXPECT_NE(d.find("OpenGL"), std::string::npos) << d;
}

TEST(GlContextTest, OffscreenTargetRejectsBadSizes) {
  ASSERT_NE(context(), nullptr);
  std::string err;
  EXPECT_EQ(OffscreenTarget::create(0, 10, &err), nullptr);
  EXPECT_NE(err.find("OffscreenTarget"), std::string::npos) << err;
}

// The square spans world [-60, 60]; the view centre is off by 0.3 px so edges fall between
// pixel centres and the antialiased outline must produce intermediate values.
TEST_F(MapRendererTest, SquareWithHoleFillOutlineAndAntialiasedEdge) {
  renderer_.upload(squareWithHole("sq", {0, 0}, 60, 20));
  const View view = makeView({0.3, 0.3}, 1.0, 200, 200);
  render(view, {"sq"});
  const Vec2 c = view.toPixel({0, 0});
  const int cx = int(c.x), cy = int(c.y);
  EXPECT_TRUE(same(at(cx - 40, cy), kRed)) << describe(at(cx - 40, cy));   // frame, left
  EXPECT_TRUE(same(at(cx, cy + 40), kRed)) << describe(at(cx, cy + 40));   // frame, bottom
  EXPECT_TRUE(same(at(cx, cy), kWhite)) << describe(at(cx, cy));           // the hole
  EXPECT_TRUE(same(at(5, 5), kWhite)) << describe(at(5, 5));               // outside
  EXPECT_TRUE(same(at(cx - 75, cy), kWhite)) << describe(at(cx - 75, cy)); // outside, left
  // On the outer edge (x = -60): black, and an antialiased pixel beside it.
  const int edge = int(std::floor(view.toPixel({-60, 0}).x));
  EXPECT_TRUE(same(at(edge, cy), kBlack, 40)) << describe(at(edge, cy));
  bool intermediate = false;
  for (int x = edge - 3; x <= edge + 3; ++x) {
    const Pixel p = at(x, cy);
    if (p.g > 20 && p.g < 235) intermediate = true;  // neither black/red (g<=30) nor white
  }
  EXPECT_TRUE(intermediate) << "no antialiased pixel around x=" << edge;
  // The hole's edge is outlined too.
  const int holeEdge = int(std::floor(view.toPixel({-20, 0}).x));
  EXPECT_TRUE(same(at(holeEdge, cy), kBlack, 40)) << describe(at(holeEdge, cy));
}

TEST_F(MapRendererTest, FillOnlyAndOutlineOnly) {
  renderer_.upload(squareWithHole("sq", {0, 0}, 60, 20));
  const View view = makeView({0.3, 0.3}, 1.0, 200, 200);
  const int edge = int(std::floor(view.toPixel({-60, 0}).x));
  LayerDrawOptions fillOnly;
  fillOnly.drawOutline = false;
  render(view, {"sq"}, fillOnly);
  EXPECT_FALSE(same(at(edge, 100), kBlack, 40)) << describe(at(edge, 100));
  EXPECT_TRUE(same(at(60, 100), kRed)) << describe(at(60, 100));
  // The edge is at x = 39.7 px: pixel 39 (centre 39.5) is 0.2 px outside, so an
  // antialiased fill covers it by 0.3 (green 255 - 0.3 * 225 = 187); pixel 40 is inside.
  EXPECT_NEAR(at(39, 100).g, 187, 20) << describe(at(39, 100));
  EXPECT_TRUE(same(at(40, 100), kRed)) << describe(at(40, 100));
  EXPECT_TRUE(same(at(37, 100), kWhite)) << describe(at(37, 100));
  // A translucent fill keeps aliased edges (the fringe would darken a rim inside).
  PreparedLayer translucent = squareWithHole("sq2", {0, 0}, 60, 20);
  translucent.fill = {Rgba{220, 30, 30, 128}};
  renderer_.upload(translucent);
  render(view, {"sq2"}, fillOnly);
  EXPECT_TRUE(same(at(39, 100), kWhite)) << describe(at(39, 100));
  LayerDrawOptions outlineOnly;
  outlineOnly.drawFill = false;
  render(view, {"sq"}, outlineOnly);
  EXPECT_TRUE(same(at(edge, 100), kBlack, 40)) << describe(at(edge, 100));
  EXPECT_TRUE(same(at(60, 100), kWhite)) << describe(at(60, 100));
}

size_t differingBytes(const std::vector<uint8_t>& a, const std::vector<uint8_t>& b) {
  if (a.size() != b.size()) return std::max(a.size(), b.size());
  size_t n = 0;
  for (size_t i = 0; i < a.size(); ++i) n += a[i] != b[i];
  return n;
}

// The same square at EPSG:3857 magnitude (x ~ 1.37e7) at 1 m/px must give the same image
// as at the origin: coordinates become local before they become float.
TEST_F(MapRendererTest, LargeCoordinatesRenderLikeTheOrigin) {
  const Vec2 far{1.37e7, 5.6e6};
  renderer_.upload(squareWithHole("near", {0, 0}, 60.5, 20.25));
  renderer_.upload(squareWithHole("far", far, 60.5, 20.25));
  render(makeView({0.3, 0.7}, 1.0, 200, 200), {"near"});
  const std::vector<uint8_t> nearPixels = pixels_;
  render(makeView({far.x + 0.3, far.y + 0.7}, 1.0, 200, 200), {"far"});
  EXPECT_EQ(differingBytes(nearPixels, pixels_), 0u);
  // And zoomed in to 1 cm/px on a corner of the far square.
  render(makeView({-60.5 + 0.37, -60.5 + 0.21}, 0.01, 100, 100), {"near"});
  const std::vector<uint8_t> nearZoomed = pixels_;
  render(makeView({far.x - 60.5 + 0.37, far.y - 60.5 + 0.21}, 0.01, 100, 100), {"far"});
  EXPECT_EQ(differingBytes(nearZoomed, pixels_), 0u);
}

// Weighted centroid of pixels that differ from white, in a window around `expected`.
Vec2 centroid(const std::vector<uint8_t>& px, int w, Vec2 expected, int radius) {
  double sx = 0, sy = 0, sw = 0;
  for (int y = int(expected.y) - radius; y <= int(expected.y) + radius; ++y)
    for (int x = int(expected.x) - radius; x <= int(expected.x) + radius; ++x) {
      const size_t i = (size_t(y) * size_t(w) + size_t(x)) * 4;
      const double weight = (255 - px[i]) + (255 - px[i + 1]) + (255 - px[i + 2]);
      sx += (x + 0.5) * weight;
      sy += (y + 0.5) * weight;
      sw += weight;
    }
  return sw > 0 ? Vec2{sx / sw, sy / sw} : Vec2{-1, -1};
}

TEST_F(MapRendererTest, PointsLandWhereViewToPixelSays) {
  const std::vector<Vec2> xy{{-50, 30}, {0, 0}, {61.5, -40.25}};
  renderer_.upload(points("pts", xy, 10, Rgba{20, 90, 200, 255}));
  const View view = makeView({3, -2}, 1.0, 200, 200);
  render(view, {"pts"});
  for (const Vec2& p : xy) {
    const Vec2 expected = view.toPixel(p);
    const Vec2 got = centroid(pixels_, 200, expected, 9);
    EXPECT_NEAR(got.x, expected.x, 1.0) << "point " << p.x << "," << p.y;
    EXPECT_NEAR(got.y, expected.y, 1.0) << "point " << p.x << "," << p.y;
    // Inside: the fill colour; 7 px away (radius 5 + rim): background.
    EXPECT_TRUE(same(at(int(expected.x), int(expected.y)), Rgba{20, 90, 200, 255}, 3))
        << describe(at(int(expected.x), int(expected.y)));
    EXPECT_TRUE(same(at(int(expected.x) + 7, int(expected.y)), kWhite));
    EXPECT_TRUE(same(at(int(expected.x), int(expected.y) - 7), kWhite));
  }
  // pixelRatio 2 doubles the diameter: 7 px away is inside now.
  LayerDrawOptions hiDpi;
  hiDpi.pixelRatio = 2.0f;
  render(view, {"pts"}, hiDpi);
  const Vec2 e = view.toPixel(xy[1]);
  EXPECT_TRUE(same(at(int(e.x) + 7, int(e.y)), Rgba{20, 90, 200, 255}, 3))
      << describe(at(int(e.x) + 7, int(e.y)));
}

TEST_F(MapRendererTest, TimeFilterHidesFeaturesOutsideTheirSpan) {
  PreparedLayer l = points("t", {{-40, 0}, {40, 0}}, 12, kRed);
  l.startDay = {*parseDate("2017-01-01"), *parseDate("2016-01-01")};
  l.endDay = {kNoDay, *parseDate("2017-12-31")};
  renderer_.upload(l);
  const View view = makeView({0, 0}, 1.0, 200, 100);
  const Vec2 a = view.toPixel({-40, 0}), b = view.toPixel({40, 0});
  auto shown = [&](Vec2 p) { return same(at(int(p.x), int(p.y)), kRed, 3); };
  LayerDrawOptions o;
  o.day = *parseDate("2016-06-01");
  render(view, {"t"}, o);
  EXPECT_FALSE(shown(a));
  EXPECT_TRUE(shown(b));
  o.day = *parseDate("2018-03-01");
  render(view, {"t"}, o);
  EXPECT_TRUE(shown(a));
  EXPECT_FALSE(shown(b));
  o.day = *parseDate("2017-12-31");  // both ends inclusive
  render(view, {"t"}, o);
  EXPECT_TRUE(shown(a));
  EXPECT_TRUE(shown(b));
  o.day = kNoDay;
  render(view, {"t"}, o);
  EXPECT_TRUE(shown(a));
  EXPECT_TRUE(shown(b));
}

TEST_F(MapRendererTest, TimeFilterAppliesToPolygonsAndOutlines) {
  PreparedLayer l = squareWithHole("sq", {0, 0}, 60, 20);
  l.startDay = {*parseDate("2019-01-01")};
  l.endDay = {kNoDay};
  renderer_.upload(l);
  const View view = makeView({0.3, 0.3}, 1.0, 200, 200);
  LayerDrawOptions o;
  o.day = *parseDate("2018-01-01");
  render(view, {"sq"}, o);
  for (size_t i = 0; i < pixels_.size(); ++i) ASSERT_EQ(pixels_[i], 255) << "byte " << i;
  o.day = *parseDate("2019-01-01");
  render(view, {"sq"}, o);
  EXPECT_TRUE(same(at(60, 100), kRed));
}

// Two features whose triangles use the same vertices: each must keep its own colour.
TEST_F(MapRendererTest, FeaturesSharingVerticesKeepTheirColours) {
  PreparedLayer l;
  l.layerId = "shared";
  l.kind = GeometryKind::Polygon;
  GeometryColumn& g = l.geometry;
  g.kind = GeometryKind::Polygon;
  g.xy = {{-50, -50}, {50, -50}, {50, 50}, {-50, 50}};
  g.ringVertices = {0, 4};
  g.partRings = {0, 1};
  g.featureParts = {0, 1, 1};  // feature 1 owns no rings but has triangles on the same xy
  l.triangles = {0, 1, 2, 0, 2, 3};
  l.featureTriangles = {0, 3, 6};
  l.fill = {kRed, Rgba{0, 160, 0, 255}};
  l.strokeWidthPx = 0;
  l.generation = 1;
  renderer_.upload(l);
  EXPECT_EQ(stat("shared").fillVertices, 6u);
  const View view = makeView({0, 0}, 1.0, 120, 120);
  render(view, {"shared"});
  EXPECT_TRUE(same(at(90, 60), kRed)) << describe(at(90, 60));                   // lower right
  EXPECT_TRUE(same(at(30, 60), Rgba{0, 160, 0, 255})) << describe(at(30, 60));   // upper left
}

// The even-odd fill's corners live in fillXy, named by indices past geometry.xy: a bow-tie
// drawn from them fills both lobes and not the triangles above and below its crossing.
// Indices past both arrays are skipped, not read.
TEST_F(MapRendererTest, FillReadsTheEvenOddCornersPastTheGeometry) {
  PreparedLayer l;
  l.layerId = "bowtie";
  l.kind = GeometryKind::Polygon;
  GeometryColumn& g = l.geometry;
  g.kind = GeometryKind::Polygon;
  g.xy = {{-50, -50}, {50, 50}, {50, -50}, {-50, 50}};  // crossing at the origin
  g.ringVertices = {0, 4};
  g.partRings = {0, 1};
  g.featureParts = {0, 1};
  l.fillXy = {{-50, -50}, {0, 0}, {-50, 50}, {50, -50}, {50, 50}};
  l.triangles = {4, 5, 6, 7, 5, 8, 4, 5, 99};  // the lobes, then a triangle out of range
  l.featureTriangles = {0, 9};
  l.fill = {kRed};
  l.strokeWidthPx = 0;
  l.generation = 1;
  renderer_.upload(l);
  EXPECT_EQ(stat("bowtie").fillIndices, 6u);
  EXPECT_EQ(stat("bowtie").fillVertices, 5u);
  const View view = makeView({0, 0}, 1.0, 120, 120);
  render(view, {"bowtie"});
  EXPECT_TRUE(same(at(20, 60), kRed)) << describe(at(20, 60));     // left lobe
  EXPECT_TRUE(same(at(100, 60), kRed)) << describe(at(100, 60));   // right lobe
  EXPECT_TRUE(same(at(60, 25), kWhite)) << describe(at(60, 25));   // above the crossing
  EXPECT_TRUE(same(at(60, 95), kWhite)) << describe(at(60, 95));   // below it
}

TEST_F(MapRendererTest, UploadsOnlyWhenGenerationChanges) {
  PreparedLayer l = points("p", {{0, 0}}, 10, kRed);
  renderer_.upload(l);
  renderer_.upload(l);
  EXPECT_EQ(stat("p").uploads, 1u);
  l.generation = 2;
  l.geometry.xy[0] = {20, 0};
  renderer_.upload(l);
  EXPECT_EQ(stat("p").uploads, 2u);
  const View view = makeView({0, 0}, 1.0, 100, 100);
  render(view, {"p"});
  EXPECT_TRUE(same(at(70, 50), kRed));
  EXPECT_TRUE(same(at(50, 50), kWhite));
  renderer_.remove("p");
  EXPECT_FALSE(renderer_.hasLayer("p"));
  render(view, {"p"});  // unknown id: draws nothing
  EXPECT_TRUE(same(at(70, 50), kWhite));
}

TEST_F(MapRendererTest, EmptyDegenerateAndNanLayersDoNotCrash) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  PreparedLayer empty;
  empty.layerId = "empty";
  empty.kind = GeometryKind::Polygon;
  renderer_.upload(empty);

  PreparedLayer noTriangles = squareWithHole("notri", {0, 0}, 30, 10);
  noTriangles.triangles.clear();
  noTriangles.featureTriangles = {0};  // shorter than the feature count: tolerated
  renderer_.upload(noTriangles);
  EXPECT_EQ(stat("notri").fillIndices, 0u);
  EXPECT_GT(stat("notri").segments, 0u);

  PreparedLayer nanPoly = squareWithHole("nanpoly", {0, 0}, 30, 10);
  nanPoly.geometry.xy[6] = {nan, 5};  // a hole vertex used by two triangles
  renderer_.upload(nanPoly);
  EXPECT_EQ(stat("nanpoly").skippedVertices, 1u);
  EXPECT_LT(stat("nanpoly").fillIndices, 24u);

  PreparedLayer nanPoints = points("nanpts", {{nan, 0}, {0, 0}, {1, INFINITY}}, 8, kRed);
  renderer_.upload(nanPoints);
  EXPECT_EQ(stat("nanpts").points, 1u);

  PreparedLayer allNan = points("allnan", {{nan, nan}}, 8, kRed);
  renderer_.upload(allNan);
  EXPECT_EQ(stat("allnan").points, 0u);

  PreparedLayer nanLine = polyline("nanline", {{-40, 0}, {nan, 3}, {0, 0}, {0, 0}, {40, 10}}, 3, kBlack);
  renderer_.upload(nanLine);
  EXPECT_EQ(stat("nanline").segments, 2u);  // NaN and the duplicate dropped

  PreparedLayer oneVertexLine = polyline("onev", {{5, 5}}, 3, kBlack);
  renderer_.upload(oneVertexLine);
  EXPECT_EQ(stat("onev").segments, 0u);

  // Highlight indices past the end are ignored.
  LayerDrawOptions o;
  o.highlightedFeature = 99;
  render(makeView({0, 0}, 1.0, 100, 100),
         {"empty", "notri", "nanpoly", "allnan", "nanline", "onev", "nanpts"}, o);
  EXPECT_TRUE(same(at(50, 50), kRed, 3)) << describe(at(50, 50));  // the finite point
}

// At a join of a translucent wide line the pixel is drawn once: the straight parts and the
// corner have the same colour (no darker blob where the segments overlap).
TEST_F(MapRendererTest, TranslucentLineJoinsAreNotBlendedTwice) {
  const Rgba half{0, 0, 200, 128};
  renderer_.upload(polyline("l", {{-40, -30}, {0, 30.25}, {40, -30}}, 12, half));
  const View view = makeView({0, 0}, 1.0, 120, 120);
  render(view, {"l"});
  const Vec2 join = view.toPixel({0, 30.25});
  const Pixel corner = at(int(join.x), int(join.y) + 3);  // inside the stroke below the apex
  const Vec2 mid = view.toPixel({-20, 0.125});
  const Pixel straight = at(int(mid.x), int(mid.y));
  EXPECT_NEAR(corner.r, straight.r, 2) << describe(corner) << " vs " << describe(straight);
  EXPECT_NEAR(corner.b, straight.b, 2) << describe(corner) << " vs " << describe(straight);
  EXPECT_LT(straight.r, 140);  // it is the translucent blue, not the background
  // Round join: a pixel just outside the apex (within the half-width) is covered.
  const Pixel apex = at(int(join.x), int(join.y) - 4);
  EXPECT_LT(apex.r, 200) << describe(apex);
}

TEST_F(MapRendererTest, HighlightDrawsTheFeatureInTheHighlightColour) {
  renderer_.upload(points("pts", {{-30, 0}, {30, 0}}, 10, kRed));
  const View view = makeView({0, 0}, 1.0, 100, 60);
  LayerDrawOptions o;
  o.highlightedFeature = 1;
  o.highlightColor = Rgba{0, 200, 0, 255};
  render(view, {"pts"}, o);
  const Vec2 a = view.toPixel({-30, 0}), b = view.toPixel({30, 0});
  // The halo adds 6 px to the diameter: 6 px from the centre is halo for b only.
  EXPECT_TRUE(same(at(int(b.x) + 6, int(b.y)), Rgba{0, 200, 0, 255}, 3)) << describe(at(int(b.x) + 6, int(b.y)));
  EXPECT_TRUE(same(at(int(a.x) + 6, int(a.y)), kWhite)) << describe(at(int(a.x) + 6, int(a.y)));
  EXPECT_TRUE(same(at(int(b.x), int(b.y)), kRed, 3));
}

// A polygon's highlight is its outline: the fill keeps its own colour (a tint would turn it
// into another feature's colour).
TEST_F(MapRendererTest, PolygonHighlightIsAnOutlineFillUnchanged) {
  renderer_.upload(squareWithHole("sq", {0, 0}, 60, 20));
  const View view = makeView({0.3, 0.3}, 1.0, 200, 200);
  LayerDrawOptions o;
  o.highlightedFeature = 0;
  o.highlightColor = Rgba{0, 200, 0, 255};
  render(view, {"sq"}, o);
  EXPECT_TRUE(same(at(60, 100), kRed, 3)) << describe(at(60, 100));  // inside the fill
  const Vec2 edge = view.toPixel({-60, 0});
  EXPECT_TRUE(same(at(int(edge.x), int(edge.y)), Rgba{0, 200, 0, 255}, 40)) << describe(at(int(edge.x), int(edge.y)));
}

// WCAG's relative luminance and contrast ratio (1 .. 21) of two pixels.
double luminance(Pixel p) {
  auto lin = [](int v) {
    const double c = v / 255.0;
    return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
  };
  return 0.2126 * lin(p.r) + 0.7152 * lin(p.g) + 0.0722 * lin(p.b);
}
double contrast(Pixel a, Pixel b) {
  const double la = luminance(a), lb = luminance(b);
  return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

// Issue 10 (trial shots 28, 35): with Okabe-Ito a county turned yellow and the yellow
// selection ring of a village on it could not be seen. The highlight of a point and of a
// polygon's outline, drawn on a yellow fill, must have pixels around it that stand out from
// the fill (a contrast ratio of 3:1, WCAG's for graphics) and still the bright highlight
// colour itself (the ring is bright on dark, not replaced by a dark one).
TEST_F(MapRendererTest, HighlightReadsOnAYellowFill) {
  const Rgba yellow{240, 228, 66, 255};  // Okabe-Ito's yellow
  PreparedLayer field = squareWithHole("field", {0, 0}, 90, 4);
  field.fill = {yellow};
  field.stroke = Rgba{255, 255, 255, 255};
  field.strokeWidthPx = 1.0f;
  renderer_.upload(field);
  renderer_.upload(points("pt", {{40, 0}}, 12, Rgba{120, 40, 140, 255}));
  const View view = makeView({0.3, 0.3}, 1.0, 200, 200);
  const Pixel fill = [&] {
    render(view, {"field"});
    return at(100 - 40, 100);
  }();
  ASSERT_TRUE(same(fill, yellow, 3)) << describe(fill);
  const LayerDrawOptions plain;
  LayerDrawOptions hl;
  hl.highlightedFeature = 0;
  // Which of the pixels from `from` outward along (dx, dy), `steps` of them, stand out.
  auto look = [&](Vec2 from, int dx, int dy, int steps, double* best, bool* bright) {
    *best = 1;
    *bright = false;
    for (int k = 0; k <= steps; ++k) {
      const Pixel p = at(int(from.x) + dx * k, int(from.y) + dy * k);
      *best = std::max(*best, contrast(p, fill));
      *bright |= same(p, hl.highlightColor, 40);
    }
  };
  {  // the selected point on the yellow field
    std::string err;
    target_ = OffscreenTarget::create(view.widthPx, view.heightPx, &err);
    ASSERT_TRUE(target_) << err;
    target_->bind();
    renderer_.beginFrame(view, kWhite);
    renderer_.drawLayer("field", view, plain);
    renderer_.drawLayer("pt", view, hl);
    pixels_ = target_->readPixels();
    OffscreenTarget::unbind();
    const Vec2 c = view.toPixel({40, 0});
    for (auto [dx, dy] : std::initializer_list<std::pair<int, int>>{{1, 0}, {-1, 0}, {0, 1}, {0, -1}}) {
      double best = 0;
      bool bright = false;
      look({c.x + dx * 7.0, c.y + dy * 7.0}, dx, dy, 10, &best, &bright);  // past the disc's edge (6 px)
      EXPECT_GE(best, 3.0) << "the point's ring toward (" << dx << "," << dy << ") melts into the yellow";
      EXPECT_TRUE(bright) << "no highlight colour toward (" << dx << "," << dy << ")";
    }
  }
  {  // the selected yellow polygon: its outline, looked at from inside the fill
    render(view, {"field"}, hl);
    const Vec2 edge = view.toPixel({-90, 0});
    double best = 0;
    bool bright = false;
    look({edge.x, edge.y}, 1, 0, 8, &best, &bright);
    EXPECT_GE(best, 3.0) << "the polygon's outline melts into its yellow fill";
    EXPECT_TRUE(bright);
  }
}

TEST_F(MapRendererTest, OpacityAndInvisibleLayers) {
  renderer_.upload(squareWithHole("sq", {0, 0}, 60, 20));
  const View view = makeView({0.3, 0.3}, 1.0, 200, 200);
  LayerDrawOptions o;
  o.opacity = 0.5f;
  render(view, {"sq"}, o);
  const Pixel p = at(60, 100);
  EXPECT_NEAR(p.r, (220 + 255) / 2, 2);
  EXPECT_NEAR(p.g, (30 + 255) / 2, 2);
  o.visible = false;
  render(view, {"sq"}, o);
  EXPECT_TRUE(same(at(60, 100), kWhite));
}

// A transparent background reads back as straight alpha (PNG semantics).
TEST_F(MapRendererTest, TransparentBackgroundGivesStraightAlpha) {
  renderer_.upload(points("p", {{0, 0}}, 20, Rgba{200, 100, 50, 128}));
  render(makeView({0, 0}, 1.0, 40, 40), {"p"}, {}, Rgba{0, 0, 0, 0});
  const Pixel c = at(20, 20);
  EXPECT_NEAR(c.a, 128, 2);
  EXPECT_NEAR(c.r, 200, 3);
  EXPECT_NEAR(c.g, 100, 3);
  EXPECT_EQ(at(0, 0).a, 0);
}

// One million points in one instanced draw at 1920x1080. Prints upload and draw time (no
// timing assert: the numbers depend on the machine).
// Issue 11: in the viewer a big point layer is readied for the GPU (LOD order, run boxes,
// instances) on a worker: upload() returns without it (the earlier version, here none, is
// drawn), and once uploadReady() a later upload() installs what a synchronous upload makes.
TEST_F(MapRendererTest, BackgroundUploadOfBigPointLayerInstallsWhenReady) {
  const size_t count = kBackgroundUploadPoints + 1000;
  std::vector<Vec2> xy(count);
  for (size_t i = 0; i < count; ++i) xy[i] = {double(i % 700) * 0.1 - 35, double(i / 700) * 0.1 - 20};
  auto l = std::make_shared<PreparedLayer>(points("big", xy, 4, kRed));
  l->generation = 7;
  renderer_.setBackgroundUpload(true);
  renderer_.upload(std::shared_ptr<const PreparedLayer>(l));
  EXPECT_FALSE(renderer_.hasLayer("big"));  // not on this thread
  EXPECT_TRUE(renderer_.uploading());
  for (int i = 0; i < 30000 && !renderer_.uploadReady(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  ASSERT_TRUE(renderer_.uploadReady());
  // Copied to the GPU a piece a call (llvmpipe takes 200-300 ms for a 10M-point buffer):
  // 263144 positions of 8 bytes in pieces of 256 KiB, the layer installed by the last.
  renderer_.setUploadPieceBytes(256 << 10);
  int calls = 0;
  while (!renderer_.hasLayer("big") && calls < 100) {
    renderer_.upload(std::shared_ptr<const PreparedLayer>(l));
    ++calls;
    EXPECT_EQ(renderer_.uploading(), !renderer_.hasLayer("big"));
    EXPECT_EQ(renderer_.uploadReady(), !renderer_.hasLayer("big")) << "a piece is due at the next call";
  }
  EXPECT_EQ(calls, int((count * 8 + (256 << 10) - 1) / (256 << 10)));
  renderer_.setUploadPieceBytes(kUploadPieceBytes);
  EXPECT_FALSE(renderer_.uploading());
  ASSERT_TRUE(renderer_.hasLayer("big"));
  const LayerGpuStats background = stat("big");
  EXPECT_EQ(background.generation, 7u);
  EXPECT_EQ(background.uploads, 1u);
  EXPECT_EQ(background.points, count);
  const View view = makeView({0, 0}, 1.0, 100, 100);
  auto redPixels = [&] {
    size_t n = 0;
    for (int y = 0; y < 100; ++y)
      for (int x = 0; x < 100; ++x) n += same(at(x, y), kRed) ? 1 : 0;
    return n;
  };
  render(view, {"big"});
  const size_t red = redPixels();
  EXPECT_GT(red, 100u);  // drawn (thinned by the LOD: ~10 points a pixel)
  // The same as on this thread (small layers and the CLI: no worker).
  renderer_.setBackgroundUpload(false);
  l->generation = 8;
  renderer_.upload(std::shared_ptr<const PreparedLayer>(l));
  EXPECT_FALSE(renderer_.uploading());
  render(view, {"big"});
  EXPECT_EQ(redPixels(), red);
  EXPECT_EQ(stat("big").points, background.points);
  EXPECT_EQ(stat("big").pointBytes, background.pointBytes);
  EXPECT_EQ(stat("big").uploads, 2u);
  // A newer version while one is being readied: the older result is never installed.
  renderer_.setBackgroundUpload(true);
  l->generation = 9;
  renderer_.upload(std::shared_ptr<const PreparedLayer>(l));
  auto newer = std::make_shared<PreparedLayer>(*l);
  newer->generation = 10;
  renderer_.upload(std::shared_ptr<const PreparedLayer>(newer));
  for (int i = 0; i < 30000 && !renderer_.uploadReady(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  renderer_.upload(std::shared_ptr<const PreparedLayer>(newer));
  EXPECT_EQ(stat("big").generation, 10u);
  EXPECT_EQ(stat("big").uploads, 3u);
}

TEST_F(MapRendererTest, MillionPointsInOneDraw) {
  PreparedLayer l;
  l.layerId = "million";
  l.kind = GeometryKind::Point;
  GeometryColumn& g = l.geometry;
  g.kind = GeometryKind::Point;
  constexpr size_t kCount = 1'000'000;
  g.xy.reserve(kCount);
  g.ringVertices.reserve(kCount + 1);
  uint32_t seed = 12345;
  auto next = [&seed] {  // LCG (Numerical Recipes constants): deterministic, fast
    seed = seed * 1664525u + 1013904223u;
    return (seed >> 8) / double(1u << 24);
  };
  for (size_t i = 0; i < kCount; ++i) {
    g.xy.push_back({1.37e7 + next() * 1920.0, 5.6e6 + next() * 1080.0});
    g.ringVertices.push_back(uint32_t(i + 1));
  }
  g.partRings.resize(kCount + 1);
  g.featureParts.resize(kCount + 1);
  for (size_t i = 0; i <= kCount; ++i) {
    g.partRings.set(i, uint32_t(i));
    g.featureParts.set(i, uint32_t(i));
  }
  l.fill.assign(kCount, Rgba{200, 60, 30, 255});
  l.pointSizePx.assign(kCount, 4.0f);
  l.generation = 1;

  using Clock = std::chrono::steady_clock;
  const auto t0 = Clock::now();
  renderer_.upload(l);
  glFinish();
  const auto t1 = Clock::now();
  ASSERT_EQ(stat("million").points, kCount);
  const View view = makeView({1.37e7 + 960, 5.6e6 + 540}, 1.0, 1920, 1080);
  std::string err;
  target_ = OffscreenTarget::create(1920, 1080, &err);
  ASSERT_TRUE(target_) << err;
  target_->bind();
  double drawMs = 1e9;
  for (int run = 0; run < 2; ++run) {
    const auto d0 = Clock::now();
    renderer_.beginFrame(view, kWhite);
    renderer_.drawLayer("million", view, {});
    glFinish();
    drawMs = std::min(drawMs, std::chrono::duration<double, std::milli>(Clock::now() - d0).count());
  }
  pixels_ = target_->readPixels();
  std::printf("1M points, 4 px, 1920x1080 on %s: upload %.1f ms, draw %.1f ms (best of 2)\n",
              context()->description().c_str(),
              std::chrono::duration<double, std::milli>(t1 - t0).count(), drawMs);
  // About 1M * 12.6 px^2 over 2.07M px: most of the frame is covered.
  size_t covered = 0;
  for (size_t i = 0; i < pixels_.size(); i += 4) covered += pixels_[i + 1] < 200;
  EXPECT_GT(covered, pixels_.size() / 4 / 2);
}

}  // namespace
}  // namespace bcmap
