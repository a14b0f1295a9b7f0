// safe_water through the real host (PluginHost + LayerStore): its fixture and the bundled
// sample data when it has been derived.
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <memory>

#include "host/LayerStore.h"
#include "PluginLayerTest.h"
#include "host/PluginHost.h"
#include "io/Projection.h"
#include "io/VectorReader.h"

namespace bcmap {
namespace {

namespace fs = std::filesystem;
const std::string kFixture = std::string(BCMAP_SOURCE_DIR) + "/plugins/safe_water/test/fixture.geojson";

class SafeWaterTest : public PluginLayerTest {
 protected:
  SafeWaterTest() : PluginLayerTest("safe_water") {}
  bool loadFrom(const std::string& path, const std::string& fields = "") {
    setSettings({{"path", path}, {"fields", fields}});
    store_->load(*layer_);
    return layer_->status == LayerStatus::Loaded;
  }
};

TEST_F(SafeWaterTest, FixtureColoursVillagesByYearFromTheirDay) {
  ASSERT_TRUE(loadFrom(kFixture)) << layer_->error;
  EXPECT_EQ(layer_->kind, GeometryKind::Point);
  EXPECT_TRUE(layer_->hasTime);
  EXPECT_TRUE(layer_->isSample);
  ASSERT_EQ(layer_->table.featureCount(), 5u);
  EXPECT_EQ(layer_->table.startDay[2], *parseDate("2018-06-01"));
  EXPECT_EQ(layer_->table.endDay[2], kNoDay);
  // A sequential ramp: each year its own colour, the earliest darkest.
  ASSERT_EQ(layer_->legend.size(), 5u);
  for (size_t f = 0; f < 5; ++f) {
    EXPECT_EQ(layer_->fill[f], layer_->legend[f].fill) << "feature " << f;
    if (f > 0) {
      const Rgba a = layer_->fill[f - 1], b = layer_->fill[f];
      EXPECT_LT(a.r + a.g + a.b, b.r + b.g + b.b) << "year " << 2016 + f << " is not lighter than the year before";
    }
  }
  const std::string tip = store_->describeFeature(*layer_, 3);
  for (const char* part : {"丁村", "西乡", "示例县", "2019-11-11", "示例数据"})
    EXPECT_NE(tip.find(part), std::string::npos) << part << " not in: " << tip;
}

TEST_F(SafeWaterTest, UnparseableDateNamesTheFeature) {
  const fs::path path = fs::temp_directory_path() / "bcmap_safe_water_bad_date.geojson";
  std::ofstream(path) << R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"1",
    "name_zh":"甲村","township_zh":"东镇","county_zh":"示例县","water_year":2016,"water_date":"spring 2016"},
    "geometry":{"type":"Point","coordinates":[122.0,45.0]}}]})";
  EXPECT_FALSE(loadFrom(path.string()));
  EXPECT_NE(layer_->error.find("spring 2016"), std::string::npos) << layer_->error;
  fs::remove(path);
}

TEST_F(SafeWaterTest, BundledDataReachesEveryVillageBy2020) {
  const std::string villages = std::string(BCMAP_GEODATA) + "/baicheng_villages.geojson";
  if (!fs::exists(villages)) GTEST_SKIP() << "sample data not derived yet";
  ASSERT_TRUE(loadFrom("baicheng_villages.geojson")) << layer_->error;
  ASSERT_EQ(layer_->table.featureCount(), 905u);
  const AttributeColumn* year = layer_->table.column("water_year");
  const int32_t day = *parseDate("2018-06-30");
  size_t shownMid = 0;
  for (size_t f = 0; f < 905; ++f) {
    EXPECT_GE(year->ints[f], 2016);
    EXPECT_LE(year->ints[f], 2020);
    EXPECT_LE(layer_->table.startDay[f], *parseDate("2020-12-31"));
    EXPECT_EQ(layer_->fill[f], layer_->legend[size_t(year->ints[f] - 2016)].fill);
    shownMid += layer_->table.startDay[f] <= day;
  }
  // Counted from the file itself.
  VectorReadOptions o;
  o.path = villages;
  std::string err;
  auto all = readVector(o, &err);
  ASSERT_TRUE(all) << err;
  const AttributeColumn* date = all->table.column("water_date");
  size_t expected = 0;
  for (size_t f = 0; f < all->table.featureCount(); ++f) expected += !date->isNull[f] && date->ints[f] <= day;
  EXPECT_EQ(shownMid, expected);
}

// The fixture's guard (PluginLayerTest::setSettings), here because it needs a plugin: a key
// the layer does not declare fails the test and names the keys it does declare.
TEST_F(SafeWaterTest, AMistypedSettingKeyFailsTheTest) {
  EXPECT_NONFATAL_FAILURE(setSettings({{"pth", kFixture}}),
                          "layer safe_water has no setting 'pth'; its settings: path, fields");
  // The declared keys around it are still set.
  EXPECT_NONFATAL_FAILURE(setSettings({{"path", kFixture}, {"feilds", "x"}, {"fields", "water_date=date_ok"}}),
                          "no setting 'feilds'");
  EXPECT_EQ(layer_->settings[0].value, kFixture);
  EXPECT_EQ(layer_->settings[1].value, "water_date=date_ok");
}

}  // namespace
}  // namespace bcmap
