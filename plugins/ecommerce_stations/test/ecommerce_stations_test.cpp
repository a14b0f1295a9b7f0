// ecommerce_stations through the real host (PluginHost + LayerStore): its fixture, the same
// fixture as a Shapefile (truncated field names mapped back), and the bundled sample data.
#include <gtest/gtest.h>

#include <gdal_utils.h>

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
const std::string kFixture = std::string(BCMAP_SOURCE_DIR) + "/plugins/ecommerce_stations/test/fixture.geojson";

class EcommerceStationsTest : public PluginLayerTest {
 protected:
  EcommerceStationsTest() : PluginLayerTest("ecommerce_stations") {}
  bool loadFrom(const std::string& path, const std::string& fields = "") {
    setSettings({{"path", path}, {"fields", fields}});
    store_->load(*layer_);
    return layer_->status == LayerStatus::Loaded;
  }
};

TEST_F(EcommerceStationsTest, FixtureGivesOneDiamondPerStationFromItsOpeningDay) {
  ASSERT_TRUE(loadFrom(kFixture)) << layer_->error;
  EXPECT_EQ(layer_->kind, GeometryKind::Point);
  EXPECT_TRUE(layer_->hasTime);
  EXPECT_TRUE(layer_->isSample);
  ASSERT_EQ(layer_->table.featureCount(), 3u) << "乙村 has no station";
  EXPECT_EQ(layer_->table.ids, (std::vector<std::string>{"220822100201", "220822100203", "220822100204"}));
  EXPECT_EQ(layer_->table.startDay, (std::vector<int32_t>{*parseDate("2016-05-01"), *parseDate("2017-08-15"),
                                                          *parseDate("2019-03-20")}));
  EXPECT_EQ(layer_->table.endDay, std::vector<int32_t>(3, kNoDay));
  EXPECT_EQ(layer_->style.pointSymbol, BCMAP_SYMBOL_DIAMOND);
  ASSERT_EQ(layer_->legend.size(), 1u);
  EXPECT_EQ(layer_->legend[0].kind, GeometryKind::Point);
  const std::string tip = store_->describeFeature(*layer_, 1);
  for (const char* part : {"丙村", "西乡", "示例县", "2017-08-15", "示例数据"})
    EXPECT_NE(tip.find(part), std::string::npos) << part << " not in: " << tip;
  EXPECT_TRUE(layer_->style.labelField.empty()) << "384 labels would crowd out the county names";
}

TEST_F(EcommerceStationsTest, ShapefileWithTruncatedNamesLoadsThroughTheMapping) {
  const fs::path dir = fs::temp_directory_path() / "bcmap_stations_shp";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string out = (dir / "stations.shp").string();
  GDALDatasetH src = GDALOpenEx(kFixture.c_str(), GDAL_OF_VECTOR, nullptr, nullptr, nullptr);
  ASSERT_NE(src, nullptr);
  // The driver writes ISO-8859-1 unless told (the names would come back as "??").
  const char* args[] = {"-f", "ESRI Shapefile", "-lco", "ENCODING=UTF-8", nullptr};
  GDALVectorTranslateOptions* o = GDALVectorTranslateOptionsNew(const_cast<char**>(args), nullptr);
  GDALDatasetH dst = GDALVectorTranslate(out.c_str(), nullptr, 1, &src, o, nullptr);
  GDALVectorTranslateOptionsFree(o);
  GDALClose(src);
  ASSERT_NE(dst, nullptr);
  GDALClose(dst);
  // Shapefile names are at most 10 characters: station_op, township_z.
  EXPECT_FALSE(loadFrom(out));
  EXPECT_NE(layer_->error.find("station_open_date"), std::string::npos) << layer_->error;
  ASSERT_TRUE(loadFrom(out, "station_open_date=station_op, township_zh=township_z")) << layer_->error;
  ASSERT_EQ(layer_->table.featureCount(), 3u);
  EXPECT_EQ(layer_->table.startDay[1], *parseDate("2017-08-15"));
  EXPECT_EQ(layer_->table.column("township_zh")->strings[2], "西乡");
  fs::remove_all(dir);
}

TEST_F(EcommerceStationsTest, BundledDataHasAStationInEveryPoorVillage) {
  const std::string villages = std::string(BCMAP_GEODATA) + "/baicheng_villages.geojson";
  if (!fs::exists(villages)) GTEST_SKIP() << "sample data not derived yet";
  ASSERT_TRUE(loadFrom("baicheng_villages.geojson")) << layer_->error;
  ASSERT_EQ(layer_->table.featureCount(), 384u);
  // No station before the first opening (2016-03-01, geodata/README.md); on 2017-06-30 the
  // layer shows as many as the file has opened by then, counted here from the file itself.
  VectorReadOptions o;
  o.path = villages;
  std::string err;
  auto all = readVector(o, &err);
  ASSERT_TRUE(all) << err;
  const AttributeColumn* station = all->table.column("station");
  const AttributeColumn* opened = all->table.column("station_open_date");
  const int32_t day = *parseDate("2017-06-30");
  size_t expected = 0;
  for (size_t f = 0; f < all->table.featureCount(); ++f)
    expected += station->ints[f] == 1 && !opened->isNull[f] && opened->ints[f] <= day;
  size_t shown = 0;
  for (size_t f = 0; f < 384; ++f) {
    EXPECT_GE(layer_->table.startDay[f], *parseDate("2016-03-01"));
    shown += layer_->table.startDay[f] <= day;
  }
  EXPECT_EQ(shown, expected);
  EXPECT_GT(shown, 0u);
  EXPECT_LT(shown, 384u);
}

}  // namespace
}  // namespace bcmap
