// poverty_exit through the real host (PluginHost + LayerStore): its fixture (three square
// counties: exited in 2019, exited in 2020 as a multipolygon, not exited) and the real county
// file when it has been derived.
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
const std::string kFixture = std::string(BCMAP_SOURCE_DIR) + "/plugins/poverty_exit/test/fixture.geojson";

class PovertyExitTest : public PluginLayerTest {
 protected:
  PovertyExitTest() : PluginLayerTest("poverty_exit") {}
  bool loadFrom(const std::string& path, const std::string& fields = "") {
    setSettings({{"path", path}, {"fields", fields}});
    store_->load(*layer_);
    return layer_->status == LayerStatus::Loaded;
  }
  // The state of county `adcode` on `date` ("" when none shown; two shown fails).
  std::string stateOn(const std::string& adcode, const std::string& date) const {
    const int32_t day = *parseDate(date);
    const FeatureTable& t = layer_->table;
    std::string state;
    for (size_t f = 0; f < t.featureCount(); ++f) {
      if (t.column("adcode")->strings[f] != adcode) continue;
      if ((t.startDay[f] != kNoDay && day < t.startDay[f]) || (t.endDay[f] != kNoDay && day > t.endDay[f])) continue;
      EXPECT_EQ(state, "") << adcode << ": two states on " << date;
      state = t.column("state")->strings[f];
    }
    return state;
  }
};

TEST_F(PovertyExitTest, FixtureCountiesChangeStateOnTheirExitDay) {
  ASSERT_TRUE(loadFrom(kFixture)) << layer_->error;
  EXPECT_EQ(layer_->kind, GeometryKind::Polygon);
  EXPECT_TRUE(layer_->hasTime);
  EXPECT_FALSE(layer_->isSample) << "real data: no sample notice";
  EXPECT_TRUE(layer_->hiddenByDefault) << "opaque over all of Baicheng: off until asked for";
  EXPECT_NE(layer_->attribution.find("AMap"), std::string::npos);
  EXPECT_NE(layer_->attribution.find("exit dates"), std::string::npos);
  ASSERT_EQ(layer_->table.featureCount(), 5u) << "two states each for the exited counties, one for 丙县";
  EXPECT_EQ(stateOn("1", "2015-01-01"), "poverty");
  EXPECT_EQ(stateOn("1", "2019-04-27"), "poverty");
  EXPECT_EQ(stateOn("1", "2019-04-28"), "exited");
  EXPECT_EQ(stateOn("2", "2020-04-10"), "poverty");
  EXPECT_EQ(stateOn("2", "2020-04-11"), "exited");
  EXPECT_EQ(stateOn("3", "2020-12-31"), "poverty");
  // Colours: poverty and exited apart, the national key county darker than the provincial.
  ASSERT_EQ(layer_->legend.size(), 4u);
  const std::vector<std::string> classes = layer_->table.column("class")->strings.toVector();
  EXPECT_EQ(classes, (std::vector<std::string>{"poverty_national", "exited_national", "poverty_provincial",
                                               "exited_provincial", "poverty_national"}));
  for (size_t f = 0; f < 5; ++f) EXPECT_NE(layer_->fill[f], layer_->style.fill) << "feature " << f << " unmatched";
  EXPECT_NE(layer_->fill[0], layer_->fill[1]);
  auto lum = [](Rgba c) { return 0.2126 * c.r + 0.7152 * c.g + 0.0722 * c.b; };
  EXPECT_LT(lum(layer_->fill[0]), lum(layer_->fill[2]));
  EXPECT_LT(lum(layer_->fill[1]), lum(layer_->fill[3]));
  // The multipolygon keeps both parts in each copy; every copy is filled.
  const GeometryColumn& g = layer_->table.geometry;
  EXPECT_EQ(g.featureParts[3] - g.featureParts[2], 2u);
  std::string err;
  auto prepared = store_->prepare(*layer_, "EPSG:3857", &err);
  ASSERT_TRUE(prepared) << err;
  for (size_t f = 0; f < 5; ++f)
    EXPECT_GT(prepared->featureTriangles[f + 1], prepared->featureTriangles[f]) << "feature " << f << " has no fill";
  // Labels: name and state, at the county's label point (丙县: its box centre).
  // (The prepared form names the columns; the text is read from the layer's table.)
  auto labelText = [&](const std::string& field, size_t f) {
    const AttributeColumn* c = layer_->table.column(field);
    return c ? c->text(f) : std::string("<no column " + field + ">");
  };
  EXPECT_EQ(labelText(prepared->labelField, 1), "甲县");
  EXPECT_EQ(labelText(prepared->labelSecondaryField, 1), "已摘帽 exited 2019-04-28");
  EXPECT_EQ(labelText(prepared->labelSecondaryField, 0), "贫困县 poverty county");
  const std::string tip = store_->describeFeature(*layer_, 2);
  for (const char* part : {"乙县", "County B", "省级贫困县 provincial key county", "2020-04-11"})
    EXPECT_NE(tip.find(part), std::string::npos) << part << " not in: " << tip;
}

TEST_F(PovertyExitTest, MappedFieldNamesAndMissingOnes) {
  EXPECT_FALSE(loadFrom(kFixture, "poverty_exit_date=exit_day"));
  EXPECT_NE(layer_->error.find("exit_day"), std::string::npos) << layer_->error;
  EXPECT_FALSE(loadFrom(kFixture, "name_zh=name"));
  EXPECT_NE(layer_->error.find("no field 'name'"), std::string::npos) << layer_->error;
  EXPECT_NE(layer_->error.find("fixture.geojson"), std::string::npos) << layer_->error;
  // key_county is optional: mapped to a missing field, every county counts as provincial.
  ASSERT_TRUE(loadFrom(kFixture, "key_county=none")) << layer_->error;
  EXPECT_EQ(layer_->table.column("class")->strings[0], "poverty_provincial");
}

TEST_F(PovertyExitTest, RealCountiesExitOnTheAnnouncedDays) {
  if (!fs::exists(fs::path(BCMAP_GEODATA) / "baicheng_counties.geojson")) GTEST_SKIP() << "county data not derived yet";
  ASSERT_TRUE(loadFrom("baicheng_counties.geojson")) << layer_->error;
  ASSERT_EQ(layer_->table.featureCount(), 10u);
  // geodata/README.md: 镇赉县 2019-04-28; 洮南市 2019-08-16; 大安市, 通榆县, 洮北区 2020-04-11.
  const std::map<std::string, std::string> exits{{"220821", "2019-04-28"}, {"220881", "2019-08-16"},
                                                 {"220882", "2020-04-11"}, {"220822", "2020-04-11"},
                                                 {"220802", "2020-04-11"}};
  for (const auto& [code, date] : exits) {
    const int32_t day = *parseDate(date);
    EXPECT_EQ(stateOn(code, formatDate(day - 1)), "poverty") << code;
    EXPECT_EQ(stateOn(code, date), "exited") << code;
  }
  EXPECT_EQ(stateOn("220821", "2019-06-30"), "exited");
  EXPECT_EQ(stateOn("220822", "2019-06-30"), "poverty");
  // 通榆县 is a national key county, 洮北区 a provincial one.
  const FeatureTable& t = layer_->table;
  for (size_t f = 0; f < t.featureCount(); ++f) {
    const std::string code(t.column("adcode")->str(f));
    const std::string cls(t.column("class")->str(f));
    if (code == "220822") {
      EXPECT_NE(cls.find("national"), std::string::npos);
    }
    if (code == "220802") {
      EXPECT_NE(cls.find("provincial"), std::string::npos);
    }
  }
}

}  // namespace
}  // namespace bcmap
