// poor_villages through the real host (PluginHost + LayerStore): its fixture (three poor
// villages with a position, one not poor, one without geometry), the exited state, and the
// bundled sample data when it has been derived.
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>

#include "host/LayerStore.h"
#include "PluginLayerTest.h"
#include "host/PluginHost.h"
#include "io/Projection.h"
#include "io/VectorReader.h"

namespace bcmap {
namespace {

namespace fs = std::filesystem;
const std::string kFixture = std::string(BCMAP_SOURCE_DIR) + "/plugins/poor_villages/test/fixture.geojson";

class PoorVillagesTest : public PluginLayerTest {
 protected:
  PoorVillagesTest() : PluginLayerTest("poor_villages") {}
  bool loadFrom(const std::string& path, bool showExited = false) {
    setSettings({{"path", path}, {"show_exited", showExited ? "true" : "false"}});
    store_->load(*layer_);
    return layer_->status == LayerStatus::Loaded;
  }
  size_t shownOn(const std::string& date, const std::string& state = "poor") const {
    const int32_t day = *parseDate(date);
    const FeatureTable& t = layer_->table;
    size_t n = 0;
    for (size_t f = 0; f < t.featureCount(); ++f)
      n += t.column("state")->strings[f] == state && (t.startDay[f] == kNoDay || t.startDay[f] <= day) &&
           (t.endDay[f] == kNoDay || day <= t.endDay[f]);
    return n;
  }
};

TEST_F(PoorVillagesTest, FixturePoorVillagesShowUntilTheDayBeforeTheirExit) {
  ASSERT_TRUE(loadFrom(kFixture)) << layer_->error;
  EXPECT_EQ(layer_->kind, GeometryKind::Point);
  EXPECT_TRUE(layer_->hasTime);
  EXPECT_TRUE(layer_->isSample);
  ASSERT_EQ(layer_->table.featureCount(), 3u) << "乙村 is not poor; 戊村 has no position";
  EXPECT_EQ(layer_->table.column("name_zh")->strings, (std::vector<std::string>{"甲村", "丙村", "丁村"}));
  EXPECT_EQ(layer_->table.startDay, std::vector<int32_t>(3, kNoDay));
  EXPECT_EQ(layer_->table.endDay, (std::vector<int32_t>{*parseDate("2017-06-29"), *parseDate("2018-11-30"), kNoDay}));
  EXPECT_EQ(shownOn("2017-06-29"), 3u);
  EXPECT_EQ(shownOn("2017-06-30"), 2u);
  EXPECT_EQ(shownOn("2020-12-31"), 1u) << "丁村 never exited";
  EXPECT_EQ(layer_->style.pointSymbol, BCMAP_SYMBOL_CIRCLE);
  ASSERT_EQ(layer_->legend.size(), 1u);
  EXPECT_EQ(layer_->fill[0], layer_->legend[0].fill);
  const std::string tip = store_->describeFeature(*layer_, 1);
  for (const char* part : {"丙村", "西乡", "示例县", "2018-12-01", "示例数据"})
    EXPECT_NE(tip.find(part), std::string::npos) << part << " not in: " << tip;
  EXPECT_NE(store_->describeFeature(*layer_, 2).find("not exited"), std::string::npos);
}

TEST_F(PoorVillagesTest, ShowExitedAddsAGreenPointFromTheExitDay) {
  ASSERT_TRUE(loadFrom(kFixture, true)) << layer_->error;
  ASSERT_EQ(layer_->table.featureCount(), 5u);
  EXPECT_EQ(shownOn("2017-06-30", "poor"), 2u);
  EXPECT_EQ(shownOn("2017-06-30", "exited"), 1u);
  EXPECT_EQ(shownOn("2017-06-29", "exited"), 0u);
  EXPECT_EQ(shownOn("2019-01-01", "exited"), 2u);
  ASSERT_EQ(layer_->legend.size(), 2u);
  const FeatureTable& t = layer_->table;
  for (size_t f = 0; f < 5; ++f)
    EXPECT_EQ(layer_->fill[f], layer_->legend[t.column("state")->strings[f] == "poor" ? 0 : 1].fill);
  EXPECT_NE(layer_->legend[0].fill, layer_->legend[1].fill);
}

TEST_F(PoorVillagesTest, BundledDataHas384PoorVillagesAllExitedBy2020) {
  const std::string villages = std::string(BCMAP_GEODATA) + "/baicheng_villages.geojson";
  if (!fs::exists(villages)) GTEST_SKIP() << "sample data not derived yet";
  ASSERT_TRUE(loadFrom("baicheng_villages.geojson")) << layer_->error;
  ASSERT_EQ(layer_->table.featureCount(), 384u);
  EXPECT_EQ(shownOn("2015-12-31"), 384u);
  EXPECT_EQ(shownOn("2020-04-11"), 0u) << "every poor village exited by the last county exit";
  // On 2018-06-30, as many as the file says had not exited yet.
  VectorReadOptions o;
  o.path = villages;
  std::string err;
  auto all = readVector(o, &err);
  ASSERT_TRUE(all) << err;
  const AttributeColumn* poor = all->table.column("poor_village");
  const AttributeColumn* exit = all->table.column("poverty_exit_date");
  const int32_t day = *parseDate("2018-06-30");
  size_t expected = 0;
  for (size_t f = 0; f < all->table.featureCount(); ++f)
    expected += poor->ints[f] == 1 && (exit->isNull[f] || exit->ints[f] > day);
  EXPECT_EQ(shownOn("2018-06-30"), expected);
  EXPECT_GT(expected, 0u);
  EXPECT_LT(expected, 384u);
  ASSERT_TRUE(loadFrom("baicheng_villages.geojson", true)) << layer_->error;
  EXPECT_EQ(layer_->table.featureCount(), 768u);
  EXPECT_EQ(shownOn("2018-06-30", "poor") + shownOn("2018-06-30", "exited"), 384u);
}

}  // namespace
}  // namespace bcmap
