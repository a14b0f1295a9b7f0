// relocated_villages through the real host (PluginHost + LayerStore): its fixture, a field
// mapping, bad input, and the bundled sample data when it has been derived.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <utility>
#include <vector>

#include "host/LayerStore.h"
#include "PluginLayerTest.h"
#include "host/PluginHost.h"
#include "io/Projection.h"
#include "io/VectorReader.h"

namespace bcmap {
namespace {

namespace fs = std::filesystem;
const std::string kFixture = std::string(BCMAP_SOURCE_DIR) + "/plugins/relocated_villages/test/fixture.geojson";

// The fixture's text with every `from` replaced by `to` (no <regex>: GCC 12 warns inside it
// under the sanitizers).
std::string fixtureWith(const std::vector<std::pair<std::string, std::string>>& replacements) {
  std::ifstream in(kFixture);
  std::stringstream text;
  text << in.rdbuf();
  std::string s = text.str();
  for (const auto& [from, to] : replacements)
    for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) s.replace(at, from.size(), to);
  return s;
}

class RelocatedVillagesTest : public PluginLayerTest {
 protected:
  RelocatedVillagesTest() : PluginLayerTest("relocated_villages") {}
  // Loads `path` (with a field mapping); true when the layer loaded.
  bool loadFrom(const std::string& path, const std::string& fields = "") {
    setSettings({{"path", path}, {"fields", fields}});
    store_->load(*layer_);
    return layer_->status == LayerStatus::Loaded;
  }
  int64_t sum(const char* field) const {
    int64_t total = 0;
    for (int64_t v : layer_->table.column(field)->ints) total += v;
    return total;
  }
};

TEST_F(RelocatedVillagesTest, FixtureGivesLinesWithTimeSizesAndMarkers) {
  ASSERT_TRUE(loadFrom(kFixture)) << layer_->error;
  EXPECT_EQ(layer_->kind, GeometryKind::Line);
  EXPECT_TRUE(layer_->hasTime);
  EXPECT_TRUE(layer_->isSample);
  EXPECT_NE(layer_->attribution.find("示例数据 sample data"), std::string::npos);
  ASSERT_EQ(layer_->table.featureCount(), 3u);
  EXPECT_EQ(layer_->table.startDay, (std::vector<int32_t>{*parseDate("2016-01-01"), *parseDate("2017-01-01"),
                                                          *parseDate("2018-01-01")}));
  EXPECT_EQ(layer_->table.endDay, std::vector<int32_t>(3, kNoDay));
  // Disc area proportional to people: 0.85 px x sqrt(people), at least 6 px.
  EXPECT_FLOAT_EQ(layer_->pointSizePx[0], 8.5f);
  EXPECT_NEAR(layer_->pointSizePx[1], 19.01f, 0.01f);
  EXPECT_FLOAT_EQ(layer_->pointSizePx[2], 6.0f);
  EXPECT_EQ(layer_->style.lineMarkers, uint32_t(BCMAP_LINE_MARKER_START | BCMAP_LINE_MARKER_END));
  EXPECT_EQ(layer_->style.pointSymbol, BCMAP_SYMBOL_SQUARE);
  EXPECT_GT(layer_->style.lineEndMarkerPx, 0.0f);
  EXPECT_EQ(layer_->style.sizeField, "people");
  // The legend: the origin, a size legend of 100, 300 and 600 people (discs by the same
  // formula as the map's: 8.5 px x sqrt(people / 100)), the site, the line.
  ASSERT_EQ(layer_->legend.size(), 6u);
  EXPECT_EQ(layer_->legend[0].kind, GeometryKind::Point);
  EXPECT_EQ(layer_->legend[0].sizePx, 0.0);
  for (size_t i = 1; i <= 3; ++i) {
    const double people = i == 1 ? 100 : i == 2 ? 300 : 600;
    EXPECT_EQ(layer_->legend[i].kind, GeometryKind::Point);
    EXPECT_NEAR(layer_->legend[i].sizePx, 8.5 * std::sqrt(people / 100), 1e-4) << i;
    EXPECT_EQ(layer_->legend[i].label, std::to_string(int(people)) + " 人 people moved");
  }
  EXPECT_EQ(layer_->legend[4].sizePx, 0.0);
  EXPECT_EQ(layer_->legend[5].kind, GeometryKind::Line);
  const std::string tip = store_->describeFeature(*layer_, 1);
  for (const char* part : {"乙村", "东镇", "示例县", "260 户", "500 人", "2017", "东镇安置区", "示例数据"})
    EXPECT_NE(tip.find(part), std::string::npos) << part << " not in: " << tip;
  // The lines keep their ends: origin first, site last.
  const GeometryColumn& g = layer_->table.geometry;
  EXPECT_DOUBLE_EQ(g.xy[2].x, 122.18);
  EXPECT_DOUBLE_EQ(g.xy[3].x, 122.10);
}

TEST_F(RelocatedVillagesTest, FieldMappingReadsOtherNames) {
  const fs::path path = fs::temp_directory_path() / "bcmap_relocated_renamed.geojson";
  std::ofstream(path) << fixtureWith({{"\"people\"", "\"PEOPLE\""}, {"\"households\"", "\"HH\""}});
  ASSERT_TRUE(loadFrom(path.string(), "people=PEOPLE, households=HH")) << layer_->error;
  EXPECT_EQ(sum("people"), 620);
  EXPECT_EQ(sum("households"), 320);
  // Without the mapping the file lacks `households` and `people`: the error names the file
  // and the field.
  EXPECT_FALSE(loadFrom(path.string()));
  EXPECT_NE(layer_->error.find("'households' is not a field"), std::string::npos) << layer_->error;
  EXPECT_NE(layer_->error.find("bcmap_relocated_renamed.geojson"), std::string::npos) << layer_->error;
  // A malformed mapping is refused with the layer's name.
  EXPECT_FALSE(loadFrom(kFixture, "people"));
  EXPECT_NE(layer_->error.find("relocated_villages: fields setting"), std::string::npos) << layer_->error;
  fs::remove(path);
}

TEST_F(RelocatedVillagesTest, MissingFileAndBadYearAreNamed) {
  EXPECT_FALSE(loadFrom("/nonexistent/relocation.gpkg"));
  EXPECT_NE(layer_->error.find("/nonexistent/relocation.gpkg"), std::string::npos) << layer_->error;
  const fs::path path = fs::temp_directory_path() / "bcmap_relocated_bad_year.geojson";
  std::ofstream(path) << fixtureWith({{"\"year\":2017", "\"year\":\"soon\""}});
  EXPECT_FALSE(loadFrom(path.string()));
  EXPECT_NE(layer_->error.find("feature 1: year 'soon' is not a year"), std::string::npos) << layer_->error;
  fs::remove(path);
}

TEST_F(RelocatedVillagesTest, BundledDataHoldsThePublishedTotals) {
  store_->load(*layer_);
  if (layer_->status == LayerStatus::Failed && !fs::exists(fs::path(BCMAP_GEODATA) / "baicheng_relocation.geojson"))
    GTEST_SKIP() << "sample data not derived yet: " << layer_->error;
  ASSERT_EQ(layer_->status, LayerStatus::Loaded) << layer_->error;
  ASSERT_EQ(layer_->table.featureCount(), 31u);
  EXPECT_EQ(sum("people"), 9559);
  EXPECT_EQ(sum("households"), 5222);
  // Each relocation is shown from 1 January of its year; on 2017-06-30 exactly those of
  // 2016 and 2017 are.
  const AttributeColumn* year = layer_->table.column("year");
  const int32_t day = *parseDate("2017-06-30");
  size_t shown = 0, expected = 0;
  for (size_t f = 0; f < 31; ++f) {
    EXPECT_EQ(layer_->table.startDay[f], *parseDate(std::to_string(year->ints[f]) + "-01-01"));
    shown += layer_->table.startDay[f] <= day;
    expected += year->ints[f] <= 2017;
    EXPECT_GE(layer_->pointSizePx[f], 6.0f);
    EXPECT_LE(layer_->pointSizePx[f], 30.0f);
  }
  EXPECT_EQ(shown, expected);
  EXPECT_GT(shown, 0u);
  EXPECT_LT(shown, 31u);
}

}  // namespace
}  // namespace bcmap
