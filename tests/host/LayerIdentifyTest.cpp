// LayerIdentify on a plain list of layers (no store): polygons contain, lines and points lie
// within the radius, layers not loaded or not asked about are passed over; and the tooltip
// text: the plugin's, its fallback of "field: value" lines (a failing describe_feature is
// logged once), a hexagon's count.
#include <gtest/gtest.h>

#include <set>
#include <stdexcept>

#include <bcmap/bcmap_plugin.hpp>

#include "host/LayerIdentify.h"
#include "host/LayerStyling.h"
#include "io/Projection.h"
#include "TestLayers.h"

namespace bcmap {
namespace {

using fixtures::addIntColumn;
using fixtures::addRing;
using fixtures::addStringColumn;
using fixtures::box;
using fixtures::makeLayer;

// In Baicheng (Taobei district).
constexpr Vec2 kQ{122.84, 45.62};

// A plugin whose describe_feature answers "<name> (<index>)", or throws when told to.
class Describer : public sdk::Layer {
 public:
  static inline bool fail = false;
  sdk::Info info() override { return {}; }
  void load(const sdk::Loader&) override {}
  bcmap_style_v1 style() override { return {}; }
  std::string describeFeature(uint64_t index, const bcmap_field_v1*, const bcmap_value_v1* values,
                              uint32_t) override {
    if (fail) throw std::runtime_error("no text today");
    return std::string(values[0].str_value) + " (" + std::to_string(index) + ")";
  }
};

class LayerIdentifyTest : public ::testing::Test {
 protected:
  void SetUp() override { initProj(); }
  void TearDown() override {
    for (auto& l : layers)
      if (l->vtable && l->instance) l->vtable->destroy(l->instance);
  }
  std::vector<std::unique_ptr<Layer>> layers;
};

TEST_F(LayerIdentifyTest, PolygonsLinesAndPointsTopmostFirst) {
  layers.push_back(makeLayer("poly", GeometryKind::Polygon));
  addRing(*layers.back(), box(122.8, 45.6, 122.9, 45.65));
  addRing(*layers.back(), box(123.0, 45.6, 123.1, 45.65));  // elsewhere
  // A line passing ~111 m north of the place (0.001 degree of latitude).
  layers.push_back(makeLayer("line", GeometryKind::Line));
  addRing(*layers.back(), {{122.83, 45.621}, {122.85, 45.621}});
  layers.push_back(makeLayer("pts", GeometryKind::Point));
  addRing(*layers.back(), {{122.84, 45.62}});
  addRing(*layers.back(), {{122.9, 45.7}});  // ~10 km away

  const auto hits = identifyLayers(layers, kQ, 200, {});
  ASSERT_EQ(hits.size(), 3u);
  EXPECT_EQ(hits[0].layerId, "pts");
  EXPECT_EQ(hits[0].feature, 0u);
  EXPECT_NEAR(hits[0].distanceM, 0, 1e-9);
  EXPECT_EQ(hits[1].layerId, "line");
  EXPECT_NEAR(hits[1].distanceM, 111.2, 0.5);
  EXPECT_EQ(hits[2].layerId, "poly");
  EXPECT_EQ(hits[2].feature, 0u);
  EXPECT_EQ(hits[2].distanceM, 0);

  // A smaller radius leaves the line out; the polygon still contains the place.
  const auto close = identifyLayers(layers, kQ, 50, {});
  ASSERT_EQ(close.size(), 2u);
  EXPECT_EQ(close[1].layerId, "poly");

  // Only the layers asked about; a layer not loaded is passed over.
  EXPECT_EQ(identifyLayers(layers, kQ, 200, {"line"}).size(), 1u);
  layers[2]->status = LayerStatus::Failed;
  const auto noPoints = identifyLayers(layers, kQ, 200, {});
  ASSERT_EQ(noPoints.size(), 2u);
  EXPECT_EQ(noPoints[0].layerId, "line");
}

TEST_F(LayerIdentifyTest, IdentifyPreparesForLonLatAndIndexes) {
  layers.push_back(makeLayer("poly", GeometryKind::Polygon));
  addRing(*layers.back(), box(122.8, 45.6, 122.9, 45.65));
  EXPECT_FALSE(layers[0]->lonLatIndex);
  identifyLayers(layers, kQ, 10, {});
  EXPECT_TRUE(layers[0]->lonLatIndex);
  EXPECT_EQ(layers[0]->prepared.count(kLonLatCrs), 1u);
}

TEST_F(LayerIdentifyTest, TooltipFallsBackToTheAttributes) {
  layers.push_back(makeLayer("pts", GeometryKind::Point));
  Layer& l = *layers.back();
  addRing(l, {{122.84, 45.62}});
  addStringColumn(l, "name", {"甲村"});
  addIntColumn(l, "people", {120});
  std::set<uint64_t> warned;
  EXPECT_EQ(describeLayerFeature(l, 0, warned), "name: 甲村\npeople: 120");
  EXPECT_EQ(describeLayerFeature(l, 1, warned), "");  // no such feature
}

TEST_F(LayerIdentifyTest, TooltipFromThePluginAndItsFailureLoggedOnce) {
  layers.push_back(makeLayer("pts", GeometryKind::Point));
  Layer& l = *layers.back();
  l.key = 7;
  l.vtable = sdk::Glue<Describer>::vtable();
  l.instance = l.vtable->create();
  addRing(l, {{122.84, 45.62}});
  addRing(l, {{122.85, 45.62}});
  addStringColumn(l, "name", {"甲村", "乙村"});
  std::set<uint64_t> warned;
  Describer::fail = false;
  EXPECT_EQ(describeLayerFeature(l, 1, warned), "乙村 (1)");
  // While a loader thread has the instance the plugin is not asked.
  l.work = LayerWork::Loading;
  EXPECT_EQ(describeLayerFeature(l, 1, warned), "name: 乙村");
  l.work = LayerWork::None;
  Describer::fail = true;
  EXPECT_EQ(describeLayerFeature(l, 0, warned), "name: 甲村");
  EXPECT_EQ(warned, std::set<uint64_t>{7});
  EXPECT_EQ(describeLayerFeature(l, 1, warned), "name: 乙村");
  EXPECT_EQ(warned.size(), 1u);
  Describer::fail = false;
}

TEST_F(LayerIdentifyTest, HexagonTooltipIsItsCount) {
  layers.push_back(makeLayer("pts", GeometryKind::Point));
  Layer& l = *layers.back();
  l.nameZh = "村";
  l.nameEn = "villages";
  for (int i = 0; i < 3; ++i) addRing(l, {{122.84 + i * 1e-4, 45.62}});
  StyleSpec hex;
  hex.aggregation = Aggregation::Hex;
  hex.hexSizeM = 5000;
  hex.ramp = "Blues";
  std::string err;
  ASSERT_TRUE(setLayerUserStyle(l, hex, &err)) << err;
  ASSERT_EQ(l.shownTable().featureCount(), 1u);
  std::set<uint64_t> warned;
  EXPECT_EQ(describeLayerFeature(l, 0, warned), "村 villages\n六边形内的点 points in this hexagon: 3");
  // identify sees the hexagon, not the points.
  const auto hits = identifyLayers(layers, kQ, 10, {});
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].featureId, l.shownTable().featureId(0));
  EXPECT_EQ(hits[0].attributes[0].first, "count");
}

}  // namespace
}  // namespace bcmap
