// Time modes in the renderer (label gl): fixture layers whose features carry hand-chosen
// spans, each in its own colour, drawn on one day in each TimeMode; every feature's pixel
// must show its colour exactly when filterShows says so — for polygons, lines and points
// (the three shaders), for a point layer uploaded as positions only (its span a constant
// attribute), and for line end markers. A dense timed point layer is drawn whole (no LOD)
// in every mode while a day is set.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "model/FeatureTable.h"
#include "model/PreparedLayer.h"
#include "model/View.h"
#include "render/GlContext.h"
#include "render/MapRenderer.h"
#include <bcmap/bcmap_plugin.h>

namespace bcmap {
namespace {

constexpr Rgba kWhite{255, 255, 255, 255};
constexpr int32_t kDay = 18000;   // 2019-04-14
constexpr int32_t kWindow = 30;

struct Span {
  int32_t start, end;
};
// Around the edges of each mode: the day itself, exactly a window before (out of the
// window), one day inside it, ended the day before / on the day, starts the day after,
// open ends, a long span.
const std::vector<Span> kSpans = {
    {kDay, kDay},          {kDay - kWindow, kNoDay}, {kDay - kWindow + 1, kDay - 5}, {kDay - 400, kDay - 1},
    {kDay - 400, kDay},    {kDay + 1, kNoDay},       {kNoDay, kDay - 1},             {kNoDay, kNoDay},
    {kDay - 900, kDay + 900},
};

HeadlessContext* context() {
  static std::unique_ptr<HeadlessContext> ctx = [] {
    std::string err;
    auto c = HeadlessContext::create(&err);
    if (!c) std::printf("no GL context: %s\n", err.c_str());
    return c;
  }();
  return ctx.get();
}

// Distinct, saturated colours, far from white and from each other.
Rgba colour(size_t i) {
  static const Rgba kColours[] = {{230, 25, 75, 255},  {60, 180, 75, 255},  {0, 130, 200, 255},
                                  {245, 130, 48, 255}, {145, 30, 180, 255}, {70, 70, 70, 255},
                                  {240, 50, 230, 255}, {128, 0, 0, 255},    {0, 0, 128, 255}};
  return kColours[i % std::size(kColours)];
}

constexpr double kStep = 40;  // units (= pixels) between features along x
double featureX(size_t i) { return (double(i) - 4.0) * kStep; }

void addTime(PreparedLayer& l) {
  for (const Span& s : kSpans) {
    l.startDay.push_back(s.start);
    l.endDay.push_back(s.end);
  }
}

void endFeature(GeometryColumn& g) {
  g.ringVertices.push_back(uint32_t(g.xy.size()));
  g.partRings.push_back(uint32_t(g.ringVertices.size() - 1));
  g.featureParts.push_back(uint32_t(g.partRings.size() - 1));
}

// One 16 x 16 square per span at y = ycentre; no outline.
PreparedLayer squares(double y) {
  PreparedLayer l;
  l.layerId = "squares";
  l.kind = l.geometry.kind = GeometryKind::Polygon;
  for (size_t i = 0; i < kSpans.size(); ++i) {
    const double x = featureX(i);
    const auto v0 = uint32_t(l.geometry.xy.size());
    for (Vec2 c : {Vec2{-8, -8}, Vec2{8, -8}, Vec2{8, 8}, Vec2{-8, 8}, Vec2{-8, -8}}) l.geometry.xy.push_back({x + c.x, y + c.y});
    endFeature(l.geometry);
    for (uint32_t k : {0u, 1u, 2u, 0u, 2u, 3u}) l.triangles.push_back(v0 + k);
    l.featureTriangles.push_back(uint32_t(l.triangles.size()));
    l.fill.push_back(colour(i));
  }
  l.stroke = {0, 0, 0, 0};
  l.strokeWidthPx = 0;
  addTime(l);
  l.bounds = l.geometry.bounds();
  l.generation = 1;
  return l;
}

// One vertical 6 px line per span, 20 units long, centred on y; optionally with START
// discs (the feature's colour, 16 px) on the first vertex.
PreparedLayer lines(double y, bool startMarkers) {
  PreparedLayer l;
  l.layerId = startMarkers ? "markers" : "lines";
  l.kind = l.geometry.kind = GeometryKind::Line;
  for (size_t i = 0; i < kSpans.size(); ++i) {
    l.geometry.xy.push_back({featureX(i), y - 10});
    l.geometry.xy.push_back({featureX(i), y + 10});
    endFeature(l.geometry);
    l.fill.push_back(colour(i));
    l.pointSizePx.push_back(16.0f);
  }
  l.strokeWidthPx = 6.0f;
  if (startMarkers) l.lineMarkers = BCMAP_LINE_MARKER_START;
  addTime(l);
  l.bounds = l.geometry.bounds();
  l.generation = 1;
  return l;
}

// One 12 px disc per span at y.
PreparedLayer points(const std::string& id, double y, size_t count, bool sameColour) {
  PreparedLayer l;
  l.layerId = id;
  l.kind = l.geometry.kind = GeometryKind::Point;
  for (size_t i = 0; i < count; ++i) {
    l.geometry.xy.push_back({featureX(i), y});
    endFeature(l.geometry);
    l.fill.push_back(sameColour ? colour(2) : colour(i));
    l.pointSizePx.push_back(12.0f);
  }
  l.bounds = l.geometry.bounds();
  l.generation = 1;
  return l;
}

class TimeModeRenderTest : public ::testing::Test {
 protected:
  static constexpr int kW = 400, kH = 240;
  void SetUp() override {
    ASSERT_NE(context(), nullptr) << "HeadlessContext::create failed (see the log above)";
    ASSERT_TRUE(context()->makeCurrent());
    std::string err;
    ASSERT_TRUE(renderer_.init(&err)) << err;
    target_ = OffscreenTarget::create(kW, kH, &err);
    ASSERT_TRUE(target_) << err;
    view_.center = {0, 0};
    view_.unitsPerPixel = 1;
    view_.widthPx = kW;
    view_.heightPx = kH;
  }

  void render(const std::vector<std::string>& ids, const LayerDrawOptions& o) {
    target_->bind();
    renderer_.beginFrame(view_, kWhite);
    for (const std::string& id : ids) renderer_.drawLayer(id, view_, o);
    pixels_ = target_->readPixels();
    OffscreenTarget::unbind();
    ASSERT_EQ(glGetError(), GLenum(GL_NO_ERROR));
  }

  // The colour at world point w: `c` (within 3 levels), white, or something else (-1).
  int state(Vec2 w, Rgba c) const {
    const Vec2 p = view_.toPixel(w);
    const size_t i = (size_t(p.y) * kW + size_t(p.x)) * 4;
    auto near = [&](Rgba k) {
      return std::abs(pixels_[i] - k.r) <= 3 && std::abs(pixels_[i + 1] - k.g) <= 3 && std::abs(pixels_[i + 2] - k.b) <= 3;
    };
    return near(c) ? 1 : near(kWhite) ? 0 : -1;
  }

  MapRenderer renderer_;
  std::unique_ptr<OffscreenTarget> target_;
  std::vector<uint8_t> pixels_;
  View view_;
};

TEST_F(TimeModeRenderTest, EachFeatureShowsExactlyWhenFilterShowsSays) {
  PreparedLayer sq = squares(70), ln = lines(30, false), pt = points("points", -20, kSpans.size(), false);
  addTime(pt);
  PreparedLayer mk = lines(-70, true);
  for (const PreparedLayer* l : {&sq, &ln, &pt, &mk}) renderer_.upload(*l);
  const std::vector<std::string> ids = {"squares", "lines", "points", "markers"};
  for (TimeMode mode : {TimeMode::Span, TimeMode::Cumulative, TimeMode::Window})
    for (int32_t day : {kDay, kNoDay}) {
      LayerDrawOptions o;
      o.day = day;
      o.timeMode = mode;
      o.windowDays = kWindow;
      render(ids, o);
      size_t shown = 0;
      for (size_t i = 0; i < kSpans.size(); ++i) {
        const bool want = filterShows(kSpans[i].start, kSpans[i].end, TimeFilter(day, mode, kWindow));
        shown += want;
        SCOPED_TRACE("mode " + std::to_string(int(mode)) + " day " + std::to_string(day) + " feature " +
                     std::to_string(i));
        EXPECT_EQ(state({featureX(i), 70}, colour(i)), want ? 1 : 0) << "polygon";
        EXPECT_EQ(state({featureX(i), 30}, colour(i)), want ? 1 : 0) << "line";
        EXPECT_EQ(state({featureX(i), -20}, colour(i)), want ? 1 : 0) << "point";
        // 5 px right of the line's first vertex: past the line (3 px), inside the disc's
        // flat colour (its darker rim is the outer 1 px of 8).
        EXPECT_EQ(state({featureX(i) + 5, -80}, colour(i)), want ? 1 : 0) << "start marker";
      }
      // The spans tell the modes apart: 5 of 9 in Span, 8 in Cumulative, 2 in Window (the
      // two open starts never started in a window).
      const size_t expected = day == kNoDay ? 9 : mode == TimeMode::Span ? 5 : mode == TimeMode::Cumulative ? 8 : 2;
      EXPECT_EQ(shown, expected);
    }
}

// Points sharing colour, size and span are uploaded as positions only; the span is then a
// constant attribute, filtered the same way.
TEST_F(TimeModeRenderTest, PositionsOnlyPointLayerFollowsTheMode) {
  for (size_t k = 0; k < kSpans.size(); ++k) {
    PreparedLayer l = points("same" + std::to_string(k), 0, 3, true);
    l.startDay.assign(3, kSpans[k].start);
    l.endDay.assign(3, kSpans[k].end);
    renderer_.upload(l);
    ASSERT_EQ(renderer_.stats(l.layerId)->pointBytes, 3u * 8u) << "not uploaded as positions only";
    for (TimeMode mode : {TimeMode::Span, TimeMode::Cumulative, TimeMode::Window}) {
      LayerDrawOptions o;
      o.day = kDay;
      o.timeMode = mode;
      o.windowDays = kWindow;
      render({l.layerId}, o);
      const bool want = filterShows(kSpans[k].start, kSpans[k].end, TimeFilter(kDay, mode, kWindow));
      EXPECT_EQ(state({featureX(1), 0}, colour(2)), want ? 1 : 0) << "span " << k << " mode " << int(mode);
    }
  }
}

// Points sharing colour and size but not their spans are uploaded as positions and days
// (16 bytes a point, not 24): each point still follows its own span in every mode.
TEST_F(TimeModeRenderTest, PositionsAndDaysPointLayerFollowsEachPointsSpan) {
  PreparedLayer l = points("days", 0, kSpans.size(), true);
  l.startDay.clear();
  l.endDay.clear();
  for (const auto& sp : kSpans) {
    l.startDay.push_back(sp.start);
    l.endDay.push_back(sp.end);
  }
  renderer_.upload(l);
  ASSERT_EQ(renderer_.stats(l.layerId)->pointBytes, kSpans.size() * 16u) << "not uploaded as positions and days";
  for (TimeMode mode : {TimeMode::Span, TimeMode::Cumulative, TimeMode::Window}) {
    LayerDrawOptions o;
    o.day = kDay;
    o.timeMode = mode;
    o.windowDays = kWindow;
    render({l.layerId}, o);
    size_t shown = 0;
    for (size_t k = 0; k < kSpans.size(); ++k) {
      const bool want = filterShows(kSpans[k].start, kSpans[k].end, TimeFilter(kDay, mode, kWindow));
      const int got = state({featureX(k), 0}, colour(2));
      EXPECT_EQ(got, want ? 1 : 0) << "span " << k << " mode " << int(mode);
      shown += got == 1;
    }
    EXPECT_EQ(shown, mode == TimeMode::Span ? 5u : mode == TimeMode::Cumulative ? 8u : 2u);
  }
}

// A layer dense enough for LOD is drawn whole whenever a day is set, in every mode (a cell's
// representative might be filtered out), and thinned without one.
TEST_F(TimeModeRenderTest, DenseTimedPointsAreDrawnWholeInEveryMode) {
  const size_t n = 70000;
  PreparedLayer l;
  l.layerId = "dense";
  l.kind = l.geometry.kind = GeometryKind::Point;
  for (size_t i = 0; i < n; ++i) {
    l.geometry.xy.push_back({double(i % 280) * 0.5 - 70, double(i / 280) * 0.4 - 50});
    endFeature(l.geometry);
  }
  l.fill.assign(n, colour(0));
  l.pointSizePx.assign(n, 4.0f);
  for (size_t i = 0; i < n; ++i) {
    l.startDay.push_back(kSpans[i % kSpans.size()].start);
    l.endDay.push_back(kSpans[i % kSpans.size()].end);
  }
  l.bounds = l.geometry.bounds();
  l.generation = 1;
  renderer_.upload(l);
  LayerDrawOptions o;
  o.pointLod = true;
  o.windowDays = kWindow;
  render({"dense"}, o);
  EXPECT_LT(renderer_.lastDraw("dense").pointsLod, n) << "the fixture is not dense enough for LOD";
  for (TimeMode mode : {TimeMode::Span, TimeMode::Cumulative, TimeMode::Window}) {
    o.day = kDay;
    o.timeMode = mode;
    render({"dense"}, o);
    EXPECT_EQ(renderer_.lastDraw("dense").pointsLod, n) << "mode " << int(mode);
  }
}

}  // namespace
}  // namespace bcmap
