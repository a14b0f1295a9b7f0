// The full-quality frame drawn in slices (label gl; issue 11: no UI frame over 50 ms with
// 10M points). Sections: a point layer and its view; MapRenderer's slices of a layer's
// instances (each within its budget, together the one-go picture); MapFrame::drawSlice
// through InteractiveRenderer (the earlier frame shown until the last slice, then the
// picture of MapFrame::draw).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "host/LayerStore.h"
#include "host/PluginHost.h"
#include "io/VectorReader.h"
#include "io/Projection.h"
#include "model/PreparedLayer.h"
#include "model/View.h"
#include "render/FrameCache.h"
#include "render/GlContext.h"
#include "render/MapFrame.h"
#include "render/MapRenderer.h"
#include "GlUnavailable.h"

namespace bcmap {
namespace {

namespace fs = std::filesystem;

constexpr int kW = 320, kH = 240;
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

// ---- a point layer and its view ------------------------------------------------------------
// 120000 translucent points (enough for the LOD order, kLodCrowded cells), dense in a disc
// and sparse around it, so the LOD suffix, its fringe and the culled runs all take part.
PreparedLayer cloud() {
  PreparedLayer l;
  l.layerId = "cloud";
  l.kind = GeometryKind::Point;
  GeometryColumn& g = l.geometry;
  g.kind = GeometryKind::Point;
  uint32_t seed = 12345;
  auto next = [&] {
    seed = seed * 1664525u + 1013904223u;
    return double(seed >> 8) / double(1u << 24);
  };
  for (int i = 0; i < 120000; ++i) {
    const double spread = i % 5 == 0 ? 400.0 : 90.0;
    g.xy.push_back({1.37e7 + (next() - 0.5) * spread, 5.6e6 + (next() - 0.5) * spread});
    g.ringVertices.push_back(uint32_t(g.xy.size()));
    g.partRings.push_back(uint32_t(g.ringVertices.size() - 1));
    g.featureParts.push_back(uint32_t(g.partRings.size() - 1));
    l.fill.push_back(i % 3 == 0 ? Rgba{200, 60, 40, 150} : Rgba{30, 90, 170, 150});
    l.pointSizePx.push_back(i % 7 == 0 ? 6.0f : 4.0f);
  }
  l.bounds = g.bounds();
  l.generation = 1;
  return l;
}

View cloudView() {
  View v;
  v.center = {1.37e7, 5.6e6};
  v.unitsPerPixel = 1.0;
  v.widthPx = kW;
  v.heightPx = kH;
  return v;
}

// ---- MapRenderer's slices ------------------------------------------------------------------

class SlicedFrameTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!context()) BCMAP_GL_UNAVAILABLE("HeadlessContext::create failed (see the log above)");
    ASSERT_TRUE(context()->makeCurrent());
  }
};

TEST_F(SlicedFrameTest, SlicesOfALayerDrawItsPictureEachWithinItsBudget) {
  MapRenderer renderer;
  std::string err;
  ASSERT_TRUE(renderer.init(&err)) << err;
  renderer.upload(cloud());
  auto whole = OffscreenTarget::create(kW, kH, &err);
  auto sliced = OffscreenTarget::create(kW, kH, &err);
  ASSERT_TRUE(whole && sliced) << err;
  const View v = cloudView();
  LayerDrawOptions d;
  d.pointLod = true;
  d.pointLodExact = true;

  whole->bind();
  renderer.beginFrame(v, kPaper);
  renderer.drawLayer("cloud", v, d);
  const LayerDrawStats one = renderer.lastDraw("cloud");
  ASSERT_GT(one.pointsPlanned, 20000u);
  EXPECT_EQ(one.pointsSliced, one.pointsPlanned);
  EXPECT_LT(one.pointsLod, 120000u) << "the view should draw a LOD suffix, so the fringe takes part";
  const std::vector<uint8_t> expected = whole->readPixels();

  // A renderer of its own, so the fringe the whole draw worked out is not reused.
  MapRenderer slicer;
  ASSERT_TRUE(slicer.init(&err)) << err;
  slicer.upload(cloud());
  constexpr size_t kBudget = 7000;
  sliced->bind();
  slicer.beginFrame(v, kPaper);
  size_t from = 0, slices = 0, fringeSlices = 0;
  while (slices < 1000) {
    d.pointSliceFrom = from;
    d.pointSliceCount = kBudget;
    d.fringeSliceMs = 1e-6;  // as good as none: a share of kFringeClockEvery points a call
    slicer.drawLayer("cloud", v, d);
    const LayerDrawStats s = slicer.lastDraw("cloud");
    if (s.fringePending) {
      // A share of the LOD fringe (MapRenderer.cpp: the clock is read every 4096 points),
      // nothing drawn; the same slice is asked again.
      EXPECT_EQ(from, 0u) << "the fringe is worked out before any point is drawn";
      EXPECT_EQ(s.pointsDrawn, 0u);
      ++fringeSlices;
      ++slices;
      continue;
    }
    EXPECT_EQ(s.pointsPlanned, one.pointsPlanned);
    EXPECT_LE(s.pointsSliced, kBudget);
    EXPECT_LE(s.pointsDrawn, kBudget) << "slice " << slices;
    ++slices;
    from += s.pointsSliced;
    if (from >= s.pointsPlanned || s.pointsSliced == 0) break;
  }
  EXPECT_EQ(from, one.pointsPlanned);
  EXPECT_GE(slices, one.pointsPlanned / kBudget);
  // ~120k points of fringe work (the suffix's and those below it), 4096 a call.
  EXPECT_GE(fringeSlices, 10u) << "the LOD fringe was worked out in one go, not in shares";
  EXPECT_LE(fringeSlices, 40u);
  const std::vector<uint8_t> got = sliced->readPixels();
  ASSERT_EQ(got.size(), expected.size());
  size_t differing = 0;
  for (size_t i = 0; i < got.size(); ++i) differing += got[i] != expected[i];
  EXPECT_EQ(differing, 0u) << "the slices drawn one after another differ from one draw";
  slicer.shutdown();
  renderer.shutdown();
}

// ---- MapFrame::drawSlice through InteractiveRenderer ---------------------------------------

// A GeoJSON file of named points (labels take part: they go with the last slice).
fs::path writePoints(const fs::path& dir) {
  fs::create_directories(dir);
  const fs::path file = dir / "points.geojson";
  std::ofstream out(file);
  out << R"({"type":"FeatureCollection","features":[)";
  constexpr int kSide = 300;  // 90000 points
  for (int i = 0; i < kSide * kSide; ++i)
    out << (i ? "," : "") << R"({"type":"Feature","properties":{"name":"点)" << i
        << R"("},"geometry":{"type":"Point","coordinates":[)" << 122.5 + 0.6 * (i % kSide) / kSide << ","
        << 45.3 + 0.5 * (i / kSide) / kSide << "]}}";
  out << "]}";
  return file;
}

TEST_F(SlicedFrameTest, InteractiveRendererShowsTheEarlierFrameUntilTheLastSliceThenTheOneGoPicture) {
  initGdal();
  initProj();
  PluginHost host;
  host.scan({BCMAP_PLUGIN_DIR});
  const fs::path dir = fs::path(::testing::TempDir()) / "bcmap_sliced_frame";
  LayerStore store(BCMAP_GEODATA);
  Layer& points = store.addFileLayer(host, writePoints(dir).string(), false);
  store.load(points);
  ASSERT_EQ(points.status, LayerStatus::Loaded) << points.error;
  points.style.labelField = "name";
  points.style.labelMaxScale = 0;
  const std::string crs = "EPSG:3857";

  std::string err;
  MapFrame map;
  ASSERT_TRUE(map.init(&err)) << err;
  InteractiveOptions io;
  io.slicePoints = 4000;
  io.sliceTargetMs = 0;  // a fixed budget: each slice's points are checked against it
  InteractiveRenderer interactive(io);
  ASSERT_TRUE(interactive.init(&err)) << err;
  auto screen = OffscreenTarget::create(kW, kH, &err);
  auto reference = OffscreenTarget::create(kW, kH, &err);
  ASSERT_TRUE(screen && reference) << err;
  View v;
  v.widthPx = kW;
  v.heightPx = kH;
  v.fit(growBounds(store.extent(crs), 1.0));
  FrameOptions fo;
  fo.fringeSliceMs = 1e-6;  // drawSlice: the LOD fringe (if the view has one) in shares

  // One go: the picture the slices must give.
  reference->bind();
  map.draw(store, crs, v, fo);
  const std::vector<uint8_t> oneGo = reference->readPixels();
  const size_t labels = map.placedLabels().size();
  EXPECT_GT(labels, 5u);

  size_t slicesCalled = 0;
  size_t pointsBefore = 0;
  auto render = [&](const View& view, FrameQuality) { map.draw(store, crs, view, fo); };
  auto slice = [&](const View& view, bool first, size_t budget) {
    ++slicesCalled;
    EXPECT_EQ(budget, 4000u);
    if (first) pointsBefore = 0;
    const bool done = map.drawSlice(store, crs, view, fo, first, budget);
    if (!done) {
      EXPECT_LE(map.timings().pointsDrawn - pointsBefore, budget);
    }
    pointsBefore = map.timings().pointsDrawn;
    return done;
  };
  // Settle the first frame (no gesture), slice by slice.
  double now = 10.0;
  screen->bind();
  FrameKind kind = FrameKind::None;
  int frames = 0;
  while (frames < 1000) {
    kind = interactive.frame(now, v, false, render, slice);
    ++frames;
    now += 0.016;
    if (kind != FrameKind::Sliced) break;
    EXPECT_TRUE(interactive.pending(v)) << "slices are under way: the caller must keep drawing";
  }
  EXPECT_EQ(kind, FrameKind::Full);
  EXPECT_GT(frames, 3) << "a frame of " << map.timings().pointsDrawn << " points took one slice";
  EXPECT_FALSE(interactive.pending(v));
  std::vector<uint8_t> shown = screen->readPixels();
  ASSERT_EQ(shown.size(), oneGo.size());
  size_t differing = 0;
  for (size_t i = 0; i < shown.size(); ++i) differing += shown[i] != oneGo[i];
  EXPECT_EQ(differing, 0u) << "the sliced frame differs from MapFrame::draw's";
  EXPECT_EQ(map.placedLabels().size(), labels);

  // New content: while the new frame is sliced, the screen shows the earlier frame as it was
  // (never a half-drawn one); a gesture abandons the slices.
  points.opacity = 0.5f;
  interactive.invalidate();
  kind = interactive.frame(now, v, false, render, slice);
  EXPECT_EQ(kind, FrameKind::Sliced);
  shown = screen->readPixels();
  differing = 0;
  for (size_t i = 0; i < shown.size(); ++i) differing += shown[i] != oneGo[i];
  EXPECT_EQ(differing, 0u) << "a half-drawn frame was shown";
  View panned = v;
  panned.center.x += 10 * v.unitsPerPixel;
  kind = interactive.frame(now + 0.01, panned, true, render, slice);
  EXPECT_EQ(kind, FrameKind::Refreshed) << "a gesture abandons the slices (the new content drawn quickly)";
  EXPECT_FALSE(interactive.slicing());
  fs::remove_all(dir);
}

}  // namespace
}  // namespace bcmap
