// water_coverage through the real host (PluginHost + LayerStore): its two-file fixture (two
// square counties, eight villages), and the bundled data when it has been derived.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <memory>

#include "host/LayerStore.h"
#include "PluginLayerTest.h"
#include "host/PluginHost.h"
#include "io/Projection.h"
#include "io/VectorReader.h"

namespace bcmap {
namespace {

namespace fs = std::filesystem;
const std::string kTestDir = std::string(BCMAP_SOURCE_DIR) + "/plugins/water_coverage/test/";

class WaterCoverageTest : public PluginLayerTest {
 protected:
  WaterCoverageTest() : PluginLayerTest("water_coverage") {}
  bool load(const std::string& counties, const std::string& villages, const std::string& fields = "") {
    setSettings({{"counties", counties}, {"villages", villages}, {"fields", fields}});
    store_->load(*layer_);
    return layer_->status == LayerStatus::Loaded;
  }
  // The feature of `adcode` shown on `day` (-1: none); fails the test if more than one is.
  int shownOn(const std::string& adcode, int32_t day) const {
    int found = -1;
    const FeatureTable& t = layer_->table;
    for (size_t f = 0; f < t.featureCount(); ++f) {
      if (t.column("adcode")->strings[f] != adcode) continue;
      const bool shown = (t.startDay[f] == kNoDay || t.startDay[f] <= day) && (t.endDay[f] == kNoDay || day <= t.endDay[f]);
      if (!shown) continue;
      EXPECT_EQ(found, -1) << adcode << ": two features shown on day " << day;
      found = int(f);
    }
    return found;
  }
  double coverageOn(const std::string& adcode, const std::string& date) const {
    const int f = shownOn(adcode, *parseDate(date));
    return f < 0 ? -1 : layer_->table.column("coverage")->reals[size_t(f)];
  }
};

TEST_F(WaterCoverageTest, FixtureStepsThroughTheClassesItReaches) {
  ASSERT_TRUE(load(kTestDir + "counties.geojson", kTestDir + "villages.geojson")) << layer_->error;
  EXPECT_EQ(layer_->kind, GeometryKind::Polygon);
  EXPECT_TRUE(layer_->hasTime);
  EXPECT_TRUE(layer_->hiddenByDefault) << "opaque over all of Baicheng: off until asked for";
  // County 1: 0 % until 2016-02-29, 40 % (two villages on one day: 20-40 is skipped), 60 %,
  // then 80 % from 2018-07-01 on (100 % in 2019 stays in the last class). County 2: 0 %,
  // then 50 % (its second village never reached the standard). Village of county 9: ignored.
  ASSERT_EQ(layer_->table.featureCount(), 6u);
  EXPECT_DOUBLE_EQ(coverageOn("1", "2015-06-01"), 0.0);
  EXPECT_DOUBLE_EQ(coverageOn("1", "2016-02-29"), 0.0);
  EXPECT_DOUBLE_EQ(coverageOn("1", "2016-03-01"), 40.0);
  EXPECT_DOUBLE_EQ(coverageOn("1", "2017-04-30"), 40.0);
  EXPECT_DOUBLE_EQ(coverageOn("1", "2017-06-30"), 60.0);
  EXPECT_DOUBLE_EQ(coverageOn("1", "2018-07-01"), 80.0);
  EXPECT_DOUBLE_EQ(coverageOn("1", "2025-01-01"), 80.0);
  EXPECT_DOUBLE_EQ(coverageOn("2", "2016-05-31"), 0.0);
  EXPECT_DOUBLE_EQ(coverageOn("2", "2020-12-31"), 50.0);
  // Graduated fill: the feature's class colour is the legend's.
  ASSERT_EQ(layer_->legend.size(), 5u);
  EXPECT_EQ(layer_->fill[size_t(shownOn("1", *parseDate("2017-06-30")))], layer_->legend[3].fill);
  EXPECT_EQ(layer_->fill[size_t(shownOn("2", *parseDate("2017-06-30")))], layer_->legend[2].fill);
  // Emitted polygons are filled: the host triangulates them (every copy of a county).
  std::string err;
  auto prepared = store_->prepare(*layer_, "EPSG:3857", &err);
  ASSERT_TRUE(prepared) << err;
  for (size_t f = 0; f < 6; ++f)
    EXPECT_GT(prepared->featureTriangles[f + 1], prepared->featureTriangles[f]) << "feature " << f << " has no fill";
  // County 2 keeps its hole in every copy.
  const FeatureTable& t = layer_->table;
  const size_t b = size_t(shownOn("2", *parseDate("2017-06-30")));
  EXPECT_EQ(t.geometry.partRings[t.geometry.featureParts[b] + 1] - t.geometry.partRings[t.geometry.featureParts[b]], 2u);
  const std::string tip = store_->describeFeature(*layer_, size_t(shownOn("1", *parseDate("2017-06-30"))));
  for (const char* part : {"甲县", "County A", "60–80 %", "2017-05-01 – 2018-06-30", "3 / 5 (60 %)", "示例数据"})
    EXPECT_NE(tip.find(part), std::string::npos) << part << " not in: " << tip;
}

TEST_F(WaterCoverageTest, MissingFieldAndFileAreNamed) {
  EXPECT_FALSE(load(kTestDir + "counties.geojson", kTestDir + "villages.geojson", "water_date=ok_date"));
  EXPECT_NE(layer_->error.find("ok_date"), std::string::npos) << layer_->error;
  EXPECT_FALSE(load(kTestDir + "counties.geojson", kTestDir + "no_such_file.geojson"));
  EXPECT_NE(layer_->error.find("no_such_file.geojson"), std::string::npos) << layer_->error;
  EXPECT_FALSE(load(kTestDir + "counties.geojson", kTestDir + "villages.geojson", "adcode=code"));
  EXPECT_NE(layer_->error.find("no field 'code'"), std::string::npos) << layer_->error;
}

TEST_F(WaterCoverageTest, BundledDataReachesFullCoverageIn2020) {
  if (!fs::exists(fs::path(BCMAP_GEODATA) / "baicheng_villages.geojson") ||
      !fs::exists(fs::path(BCMAP_GEODATA) / "baicheng_counties.geojson"))
    GTEST_SKIP() << "data not derived yet";
  ASSERT_TRUE(load("baicheng_counties.geojson", "baicheng_villages.geojson")) << layer_->error;
  std::map<std::string, size_t> perCounty;
  for (const std::string_view code : layer_->table.column("adcode")->strings) ++perCounty[std::string(code)];
  ASSERT_EQ(perCounty.size(), 5u);
  for (const auto& [code, n] : perCounty) {
    EXPECT_GE(n, 2u) << code;
    EXPECT_LE(n, 5u) << code;
    EXPECT_DOUBLE_EQ(coverageOn(code, "2015-12-31"), 0.0) << code;
    EXPECT_GE(coverageOn(code, "2020-12-31"), 80.0) << code;
  }
  // Each county's share on a day, recomputed from the village file.
  VectorReadOptions o;
  o.path = std::string(BCMAP_GEODATA) + "/baicheng_villages.geojson";
  std::string err;
  auto villages = readVector(o, &err);
  ASSERT_TRUE(villages) << err;
  const int32_t day = *parseDate("2018-06-30");
  std::map<std::string, std::pair<int, int>> share;  // compliant, all
  const AttributeColumn* county = villages->table.column("county_adcode");
  const AttributeColumn* date = villages->table.column("water_date");
  for (size_t f = 0; f < villages->table.featureCount(); ++f) {
    auto& [ok, all] = share[std::string(county->str(f))];
    ok += !date->isNull[f] && date->ints[f] <= day;
    ++all;
  }
  for (const auto& [code, s] : share) {
    const int f = shownOn(code, day);
    ASSERT_GE(f, 0) << code;
    const double truth = 100.0 * s.first / s.second;
    const double lower = layer_->table.column("coverage")->reals[size_t(f)];
    EXPECT_EQ(std::min(4, int(truth / 20)), std::min(4, int(lower / 20))) << code << ": class on 2018-06-30";
    EXPECT_LE(lower, truth) << code;
    EXPECT_EQ(layer_->table.column("villages")->ints[size_t(f)], s.second) << code;
  }
}

}  // namespace
}  // namespace bcmap
