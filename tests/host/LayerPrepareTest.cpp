// LayerPrepare on layers made in the test: a layer projected, triangulated and cached per
// display CRS; label anchors; a restyle that keeps the geometry; and the extent, which is
// the prepared bounds to the last bit but prepares (and triangulates) nothing.
#include <gtest/gtest.h>

#include <cmath>

#include "geometry/HitTest.h"
#include "host/LayerPrepare.h"
#include "io/Projection.h"
#include "TestLayers.h"

namespace bcmap {
namespace {

using fixtures::addRing;
using fixtures::addStringColumn;
using fixtures::addRealColumn;
using fixtures::box;
using fixtures::makeLayer;

constexpr const char* kMercator = "EPSG:3857";

// Two boxes in Baicheng and a concave U (its box centre lies in the notch).
std::unique_ptr<Layer> polygons() {
  auto l = makeLayer("poly", GeometryKind::Polygon);
  addRing(*l, box(122.8, 45.6, 122.9, 45.65), {10, 20, 30, 255});
  addRing(*l, box(123.0, 44.9, 123.2, 45.0), {40, 50, 60, 255});
  addRing(*l, {{124.0, 45.0}, {124.3, 45.0}, {124.3, 45.3}, {124.2, 45.3}, {124.2, 45.05}, {124.1, 45.05},
               {124.1, 45.3}, {124.0, 45.3}, {124.0, 45.0}});
  return l;
}

class LayerPrepareTest : public ::testing::Test {
 protected:
  void SetUp() override { initProj(); }
};

TEST_F(LayerPrepareTest, ProjectsTriangulatesAndCachesPerCrs) {
  auto l = polygons();
  std::string err;
  auto p = prepareLayer(*l, kMercator, &err);
  ASSERT_NE(p, nullptr) << err;
  EXPECT_EQ(p->layerId, "poly");
  EXPECT_EQ(p->displayCrs, kMercator);
  EXPECT_EQ(p->kind, GeometryKind::Polygon);
  // Every vertex as the transformer itself puts it.
  auto tr = Transformer::create(kLonLatCrs, kMercator, &err);
  ASSERT_TRUE(tr) << err;
  ASSERT_EQ(p->geometry.xy.size(), l->table.geometry.xy.size());
  for (size_t v = 0; v < p->geometry.xy.size(); ++v) {
    const Vec2 want = tr->forward(l->table.geometry.xy[v]);
    EXPECT_EQ(p->geometry.xy[v].x, want.x);
    EXPECT_EQ(p->geometry.xy[v].y, want.y);
  }
  EXPECT_EQ(p->bounds.minX, p->geometry.bounds().minX);
  EXPECT_EQ(p->bounds.maxY, p->geometry.bounds().maxY);
  // A box is two triangles; the U (8 corners) six.
  ASSERT_EQ(p->featureTriangles.size(), 4u);
  EXPECT_EQ(p->featureTriangles[1] - p->featureTriangles[0], 6u);
  EXPECT_EQ(p->featureTriangles[2] - p->featureTriangles[1], 6u);
  EXPECT_EQ(p->featureTriangles[3] - p->featureTriangles[2], 18u);
  for (size_t f = 0; f < 3; ++f) {
    ASSERT_NE(p->fillAt(f), nullptr);
    EXPECT_EQ(*p->fillAt(f), l->fill[f]);
  }
  EXPECT_GT(p->generation, 0u);

  // Cached: the same form again; another CRS is another form, with its own generation.
  EXPECT_EQ(prepareLayer(*l, kMercator, &err), p);
  auto ll = prepareLayer(*l, kLonLatCrs, &err);
  ASSERT_NE(ll, nullptr) << err;
  EXPECT_NE(ll, p);
  EXPECT_NE(ll->generation, p->generation);
  EXPECT_EQ(l->prepared.size(), 2u);
}

TEST_F(LayerPrepareTest, NotLoadedOrUnreachableCrsFailsWithTheReason) {
  auto l = polygons();
  l->status = LayerStatus::Pending;
  std::string err;
  EXPECT_EQ(prepareLayer(*l, kMercator, &err), nullptr);
  EXPECT_NE(err.find("poly is not loaded"), std::string::npos) << err;
  l->status = LayerStatus::Loaded;
  err.clear();
  EXPECT_EQ(prepareLayer(*l, "EPSG:999999", &err), nullptr);
  EXPECT_NE(err.find("cannot project"), std::string::npos) << err;
  EXPECT_TRUE(l->prepared.empty());
}

TEST_F(LayerPrepareTest, LabelAnchorsFromTheDataElseInsideThePolygon) {
  auto l = polygons();
  l->style.labelField = "name";
  addStringColumn(*l, "name", {"甲", "乙", "U"});
  std::string err;
  auto p = prepareLayer(*l, kLonLatCrs, &err);
  ASSERT_NE(p, nullptr) << err;
  ASSERT_EQ(p->labelAnchor.size(), 3u);
  EXPECT_EQ(p->labelField, "name");
  // The U's anchor is inside it, not in its notch (where the box centre, 124.15, lies).
  EXPECT_TRUE(featureContains(p->geometry, 2, p->labelAnchor[2]));

  // label_lon/label_lat, where the data has them, win.
  auto withAnchors = polygons();
  withAnchors->style.labelField = "name";
  addStringColumn(*withAnchors, "name", {"甲", "乙", "U"});
  addRealColumn(*withAnchors, "label_lon", {122.81, 123.01, 124.05});
  addRealColumn(*withAnchors, "label_lat", {45.61, 44.91, 45.25});
  p = prepareLayer(*withAnchors, kLonLatCrs, &err);
  ASSERT_NE(p, nullptr) << err;
  EXPECT_NEAR(p->labelAnchor[1].x, 123.01, 1e-9);
  EXPECT_NEAR(p->labelAnchor[1].y, 44.91, 1e-9);

  // Points: their own place.
  auto pts = makeLayer("pts", GeometryKind::Point);
  addRing(*pts, {{122.84, 45.62}});
  pts->style.labelField = "name";
  addStringColumn(*pts, "name", {"村"});
  p = prepareLayer(*pts, kLonLatCrs, &err);
  ASSERT_NE(p, nullptr) << err;
  EXPECT_NEAR(p->labelAnchorAt(0).x, 122.84, 1e-12);
  EXPECT_NEAR(p->labelAnchorAt(0).y, 45.62, 1e-12);
}

// A million points drawn alike, labelled by a field (issue 11): the prepared form keeps one
// fill and one size for all, no anchors (each point is its own) and no copy of the texts —
// nothing per point but the projected coordinates. Each point's anchor is still its place.
TEST_F(LayerPrepareTest, UniformPointsKeepNothingPerPointButTheirCoordinates) {
  auto pts = makeLayer("pts", GeometryKind::Point);
  std::vector<std::string> names;
  for (int i = 0; i < 1000; ++i) {
    addRing(*pts, {{122.0 + i * 1e-3, 45.0 + i * 1e-4}}, {10, 20, 30, 255});
    names.push_back("测点 " + std::to_string(i));
  }
  pts->pointSizePx.assign(1000, 4.0f);
  pts->style.labelField = "name";
  addStringColumn(*pts, "name", names);
  std::string err;
  auto p = prepareLayer(*pts, kMercator, &err);
  ASSERT_NE(p, nullptr) << err;
  EXPECT_EQ(p->fill.size(), 1u);
  EXPECT_EQ(p->pointSizePx.size(), 1u);
  EXPECT_TRUE(p->labelAnchor.empty());
  for (size_t f : {size_t{0}, size_t{517}, size_t{999}}) {
    EXPECT_EQ(p->labelAnchorAt(f).x, p->geometry.xy[f].x);
    EXPECT_EQ(p->labelAnchorAt(f).y, p->geometry.xy[f].y);
    ASSERT_NE(p->fillAt(f), nullptr);
    EXPECT_EQ(*p->fillAt(f), (Rgba{10, 20, 30, 255}));
    EXPECT_EQ(p->pointSizeAt(f, 1.0f), 4.0f);
  }
  // Styles that vary keep one entry per feature.
  pts->prepared.clear();
  pts->fill[5] = Rgba{1, 1, 1, 255};
  pts->pointSizePx[7] = 9.0f;
  p = prepareLayer(*pts, kMercator, &err);
  ASSERT_NE(p, nullptr) << err;
  EXPECT_EQ(p->fill.size(), 1000u);
  EXPECT_EQ(p->pointSizePx.size(), 1000u);
  EXPECT_EQ(*p->fillAt(5), (Rgba{1, 1, 1, 255}));
  EXPECT_EQ(p->pointSizeAt(7, 1.0f), 9.0f);
}

// A layer without a second label field keeps no second line per feature: an empty string
// per feature was 32 B a point (issue 11). With the field, every feature has its line.
TEST_F(LayerPrepareTest, SecondLabelLinesOnlyWhenTheStyleNamesAField) {
  auto l = polygons();
  l->style.labelField = "name";
  addStringColumn(*l, "name", {"甲", "乙", "U"});
  addStringColumn(*l, "note", {"一", "", "三"});
  std::string err;
  auto p = prepareLayer(*l, kLonLatCrs, &err);
  ASSERT_NE(p, nullptr) << err;
  EXPECT_EQ(p->labelField, "name");
  EXPECT_TRUE(p->labelSecondaryField.empty());

  l->prepared.clear();
  l->style.labelSecondaryField = "note";
  p = prepareLayer(*l, kLonLatCrs, &err);
  ASSERT_NE(p, nullptr) << err;
  EXPECT_EQ(p->labelSecondaryField, "note");
}

TEST_F(LayerPrepareTest, RestyleKeepsTheGeometryAndMovesTheGeneration) {
  auto l = polygons();
  std::string err;
  auto before = prepareLayer(*l, kMercator, &err);
  ASSERT_NE(before, nullptr) << err;
  l->fill.assign(3, Rgba{1, 2, 3, 255});
  l->style.strokeWidthPx = 3;
  restylePrepared(*l);
  auto after = prepareLayer(*l, kMercator, &err);
  ASSERT_NE(after, before);
  for (size_t f = 0; f < 3; ++f) EXPECT_EQ(*after->fillAt(f), (Rgba{1, 2, 3, 255}));
  EXPECT_EQ(after->strokeWidthPx, 3);
  EXPECT_EQ(after->triangles, before->triangles);
  EXPECT_EQ(after->geometry.xy.size(), before->geometry.xy.size());
  EXPECT_GT(after->generation, before->generation);
}

TEST_F(LayerPrepareTest, ExtentIsThePreparedBoundsWithoutPreparing) {
  auto l = polygons();
  std::string err;
  const Bounds extent = layerExtent(*l, kMercator, &err);
  ASSERT_FALSE(extent.empty()) << err;
  // Nothing was prepared, so nothing was triangulated.
  EXPECT_TRUE(l->prepared.empty());
  // The same numbers the prepared form gives (the same vertices, projected the same way).
  auto p = prepareLayer(*l, kMercator, &err);
  ASSERT_NE(p, nullptr) << err;
  EXPECT_EQ(extent.minX, p->bounds.minX);
  EXPECT_EQ(extent.minY, p->bounds.minY);
  EXPECT_EQ(extent.maxX, p->bounds.maxX);
  EXPECT_EQ(extent.maxY, p->bounds.maxY);
  // Once prepared, the cached bounds are used.
  const Bounds again = layerExtent(*l, kMercator, &err);
  EXPECT_EQ(again.minX, extent.minX);
  EXPECT_EQ(again.maxY, extent.maxY);

  // More vertices than one projection slice (4096): every slice counts.
  auto many = makeLayer("many", GeometryKind::Point);
  for (int i = 0; i < 10000; ++i) addRing(*many, {{122.0 + i * 1e-4, 45.0 + (i % 7) * 1e-3}});
  const Bounds b = layerExtent(*many, kLonLatCrs, &err);
  EXPECT_NEAR(b.minX, 122.0, 1e-12);
  EXPECT_NEAR(b.maxX, 122.0 + 9999 * 1e-4, 1e-9);
  EXPECT_NEAR(b.maxY, 45.006, 1e-12);
  EXPECT_TRUE(many->prepared.empty());

  l->status = LayerStatus::Failed;
  EXPECT_TRUE(layerExtent(*l, kMercator, &err).empty());
}

}  // namespace
}  // namespace bcmap
