// Size by field through the real host (PluginHost + LayerStore) and a plugin built with the
// SDK (fixtures/sized_points.cpp): per-feature diameters from a 1.3 style, styleFeature's
// size winning, the size legend, and every style field the layer lacks — the plugin's size,
// label and category fields, and a user's style from the editor or a session — failing with
// the fields the layer has.
#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <string>
#include <utility>

#include "host/LayerStore.h"
#include "host/PluginHost.h"
#include "io/Projection.h"
#include "io/VectorReader.h"

namespace bcmap {
namespace {

const std::string kFixture = std::string(BCMAP_SOURCE_DIR) + "/tests/plugins/fixtures/sized_points.geojson";
const std::string kFields = "; fields: name, jobs, county";

class SizedPointsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    initGdal();
    initProj();
    host_.open(std::string(BCMAP_SIZED_PLUGIN_DIR) + "/bcmap_sized_points.so");
    store_ = std::make_unique<LayerStore>(BCMAP_GEODATA);
    store_->addPluginLayers(host_);
    layer_ = store_->find("sized_points");
    ASSERT_NE(layer_, nullptr);
    ASSERT_NE(layer_->status, LayerStatus::Failed) << layer_->error;
  }
  // Loads with these settings (the path always the fixture's); true when it loaded.
  bool loadWith(std::initializer_list<std::pair<std::string, std::string>> values) {
    for (LayerSetting& s : layer_->settings) {
      if (s.key == "path") s.value = kFixture;
      for (const auto& [key, value] : values)
        if (s.key == key) s.value = value;
    }
    store_->load(*layer_);
    return layer_->status == LayerStatus::Loaded;
  }

  PluginHost host_;
  std::unique_ptr<LayerStore> store_;
  Layer* layer_ = nullptr;
};

TEST_F(SizedPointsTest, DiscAreasFollowTheFieldAndStyleFeatureWins) {
  ASSERT_TRUE(loadWith({})) << layer_->error;
  EXPECT_EQ(layer_->style.sizeField, "jobs");
  // 100 jobs 10 px, 400 jobs 20 px (twice across, four times the area), null jobs the
  // smallest (3 px); 900 jobs would be 30 px but styleFeature gives "丁 workshop" 7 px.
  ASSERT_EQ(layer_->pointSizePx.size(), 4u);
  EXPECT_FLOAT_EQ(layer_->pointSizePx[0], 10.0f);
  EXPECT_FLOAT_EQ(layer_->pointSizePx[1], 20.0f);
  EXPECT_FLOAT_EQ(layer_->pointSizePx[2], 3.0f);
  EXPECT_FLOAT_EQ(layer_->pointSizePx[3], 7.0f);
  // The size legend: the same formula, sizes carried through the 1.3 legend entry.
  ASSERT_EQ(layer_->legend.size(), 2u);
  EXPECT_EQ(layer_->legend[0].label, "100 jobs");
  EXPECT_DOUBLE_EQ(layer_->legend[0].sizePx, 10.0);
  EXPECT_DOUBLE_EQ(layer_->legend[1].sizePx, 20.0);
  // No size field: every point the style's size (but the one styleFeature sizes).
  ASSERT_TRUE(loadWith({{"size_field", "none"}})) << layer_->error;
  EXPECT_EQ(layer_->pointSizePx, (std::vector<float>{6, 6, 6, 7}));
}

TEST_F(SizedPointsTest, ASizeFieldThatIsNotNumericFailsTheLoadListingTheNumericOnes) {
  EXPECT_FALSE(loadWith({{"size_field", "county"}}));
  EXPECT_NE(layer_->error.find("style: size field 'county' is not a numeric field of the layer; numeric fields: jobs"),
            std::string::npos)
      << layer_->error;
  EXPECT_FALSE(loadWith({{"size_field", "workers"}}));
  EXPECT_NE(layer_->error.find("style: size field 'workers' is not among the layer's fields" + kFields), std::string::npos)
      << layer_->error;
}

TEST_F(SizedPointsTest, ALabelOrCategoryFieldTheLayerLacksFailsTheLoadListingTheFields) {
  EXPECT_FALSE(loadWith({{"label_field", "name_zh"}}));
  EXPECT_NE(layer_->error.find("style: label field 'name_zh' is not among the layer's fields" + kFields),
            std::string::npos)
      << layer_->error;
  EXPECT_FALSE(loadWith({{"label_field", "name"}, {"category_field", "county_zh"}}));
  EXPECT_NE(layer_->error.find("style: style field 'county_zh' is not among the layer's fields" + kFields),
            std::string::npos)
      << layer_->error;
  EXPECT_TRUE(loadWith({{"category_field", "county"}})) << layer_->error;
}

TEST_F(SizedPointsTest, AUserStyleFieldTheLayerLacksListsTheFields) {
  ASSERT_TRUE(loadWith({})) << layer_->error;
  // From the style editor: refused, the layer unchanged.
  StyleSpec spec;
  spec.kind = StyleKind::Categorized;
  spec.field = "county_zh";
  std::string err;
  EXPECT_FALSE(store_->setUserStyle(*layer_, spec, &err));
  EXPECT_EQ(err, "style: field 'county_zh' is not among the layer's fields" + kFields);
  // From a session: the spec is kept for the layer and fails at its load, with the same words.
  layer_->userStyle = spec;
  store_->load(*layer_);
  ASSERT_EQ(layer_->status, LayerStatus::Loaded) << layer_->error;
  EXPECT_EQ(layer_->userStyleError, "style: field 'county_zh' is not among the layer's fields" + kFields);
  // A user's categories keep the plugin's proportional discs.
  spec.field = "county";
  ASSERT_TRUE(store_->setUserStyle(*layer_, spec, &err)) << err;
  EXPECT_EQ(layer_->pointSizePx, (std::vector<float>{10, 20, 3, 30}));
}

}  // namespace
}  // namespace bcmap
