// Table layers (issue 12), through the real store and the vector_file plugin: a file whose
// features have no geometry (null geometries, a CSV without coordinates, a .dbf alone)
// loads as a table layer — attributes only, no kind, nothing to draw — and every unit
// beside the store passes it by: preparing gives no triangles, the extent and the "fit
// all" frame ignore it, identify and the nearest-feature hint find nothing in it, hexagons
// are refused with a clear reason, and export writes its rows (GeoJSON with null
// geometries, CSV without a geometry column). A file where some features have geometry
// draws those and counts the others.
#include <gdal.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>

#include "host/FeatureExport.h"
#include "host/LayerIdentify.h"
#include "host/LayerStore.h"
#include "host/PluginHost.h"
#include "io/Projection.h"
#include "io/VectorReader.h"
#include "model/Log.h"

namespace bcmap {
namespace {

namespace fs = std::filesystem;

const char* const kNullRows =
    R"({"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"name":"甲","n":1},"geometry":null},
{"type":"Feature","properties":{"name":"乙","n":2},"geometry":null},
{"type":"Feature","properties":{"name":"丙","n":3},"geometry":null}]})";

const char* const kMixed =
    R"({"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"name":"a"},"geometry":{"type":"Point","coordinates":[122.8,45.6]}},
{"type":"Feature","properties":{"name":"b"},"geometry":null},
{"type":"Feature","properties":{"name":"c"},"geometry":{"type":"Point","coordinates":[123.0,45.0]}}]})";

bool logHas(const std::string& needle) {
  for (const LogEntry& e : logSnapshot())
    if (e.message.find(needle) != std::string::npos) return true;
  return false;
}

class TableLayerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    initGdal();
    initProj();
  }
  void SetUp() override {
    // One folder per test and process: ctest runs the cases side by side.
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::path(::testing::TempDir()) / ("bcmap_table_" + std::string(info->name()) + "_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    host_.scan({BCMAP_PLUGIN_DIR});
    // The data cache stays out of the user's (each test reads its own files anyway).
    ::setenv("BCMAP_DATA_CACHE", "0", 1);
  }
  void TearDown() override { fs::remove_all(dir_); }

  Layer& open(const std::string& name, const std::string& text) {
    const fs::path file = dir_ / name;
    std::ofstream(file, std::ios::binary) << text;
    Layer& l = store_.addFileLayer(host_, file.string(), false);
    store_.load(l);
    EXPECT_EQ(l.status, LayerStatus::Loaded) << l.error;
    return l;
  }

  fs::path dir_;
  PluginHost host_;
  LayerStore store_{BCMAP_GEODATA};
};

TEST_F(TableLayerTest, NullGeometriesInstallAsATableLayer) {
  Layer& l = open("rows.geojson", kNullRows);
  ASSERT_EQ(l.status, LayerStatus::Loaded) << "refused as before issue 12: " << l.error;
  EXPECT_TRUE(l.tableOnly());
  EXPECT_EQ(l.kind, GeometryKind::None);
  EXPECT_EQ(l.table.featureCount(), 3u);
  EXPECT_EQ(l.withoutGeometry, 3u);
  EXPECT_EQ(l.table.column("name")->text(2), "丙");
  EXPECT_EQ(layerFeatureSummary(l), "3 rows, no geometry");
  EXPECT_EQ(layerFeatureSummaryZh(l), "3 行 rows · 无几何 no geometry");
  EXPECT_TRUE(logHas("a table without geometry (3 rows, no geometry): nothing to draw")) << "said in the log";
}

TEST_F(TableLayerTest, ACsvWithoutCoordinatesAndADbfAloneAreTableLayers) {
  Layer& csv = open("villages.csv", "name,people\n村A,120\n村B,300\n");
  EXPECT_TRUE(csv.tableOnly());
  EXPECT_EQ(csv.table.featureCount(), 2u);
  // The same rows as a .dbf with no .shp beside it (ogr2ogr's ESRI Shapefile driver writes one).
  GDALDatasetH in = GDALOpenEx((dir_ / "villages.csv").c_str(), GDAL_OF_VECTOR, nullptr, nullptr, nullptr);
  ASSERT_NE(in, nullptr);
  GDALDriverH shp = GDALGetDriverByName("ESRI Shapefile");
  ASSERT_NE(shp, nullptr);
  const fs::path dbf = dir_ / "alone.dbf";
  GDALDatasetH out = GDALCreate(shp, dbf.c_str(), 0, 0, 0, GDT_Unknown, nullptr);
  ASSERT_NE(out, nullptr);
  ASSERT_NE(GDALDatasetCopyLayer(out, GDALDatasetGetLayer(in, 0), "alone", nullptr), nullptr);
  GDALClose(out);
  GDALClose(in);
  ASSERT_TRUE(fs::exists(dbf));
  ASSERT_FALSE(fs::exists(dir_ / "alone.shp"));
  Layer& alone = store_.addFileLayer(host_, dbf.string(), false);
  store_.load(alone);
  ASSERT_EQ(alone.status, LayerStatus::Loaded) << alone.error;
  EXPECT_TRUE(alone.tableOnly());
  EXPECT_EQ(alone.table.featureCount(), 2u);
}

TEST_F(TableLayerTest, PreparingGivesNothingToDrawAndTheExtentIgnoresIt) {
  Layer& table = open("rows.geojson", kNullRows);
  std::string err;
  auto p = store_.prepare(table, "EPSG:3857", &err);
  ASSERT_NE(p, nullptr) << err;
  EXPECT_TRUE(p->geometry.xy.empty());
  EXPECT_TRUE(p->triangles.empty());
  EXPECT_TRUE(p->bounds.empty());
  EXPECT_TRUE(p->labelField.empty()) << "no place to put a label";
  EXPECT_TRUE(store_.extent("EPSG:3857").empty());
  // "Fit all" with only a table: Baicheng, as with nothing to show.
  const Bounds home = store_.homeBounds("EPSG:3857");
  ASSERT_FALSE(home.empty());
  EXPECT_GT(home.width(), 100e3);
  // Beside a layer that draws, the extent is that layer's alone.
  Layer& mixed = open("mixed.geojson", kMixed);
  const Bounds both = store_.extent(kLonLatCrs);
  table.visible = false;
  const Bounds alone = store_.extent(kLonLatCrs);
  EXPECT_EQ(both.minX, alone.minX);
  EXPECT_EQ(both.maxY, alone.maxY);
  EXPECT_NEAR(both.minX, 122.8, 1e-9);
  EXPECT_NEAR(both.maxY, 45.6, 1e-9);
  (void)mixed;
}

TEST_F(TableLayerTest, IdentifyAndTheNearestHintPassItBy) {
  Layer& table = open("rows.geojson", kNullRows);
  Layer& mixed = open("mixed.geojson", kMixed);
  const std::vector<IdentifyHit> hits = store_.identify({122.8, 45.6}, 500, {});
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].layerId, mixed.id);
  EXPECT_EQ(hits[0].feature, 0u);
  EXPECT_TRUE(store_.identify({122.8, 45.6}, 500, {table.id}).empty());
  EXPECT_FALSE(nearestLayerFeature(store_.layers(), {122.81, 45.6}, 5000, {table.id}).has_value());
}

TEST_F(TableLayerTest, HexagonsAreRefusedWithTheReason) {
  Layer& table = open("rows.geojson", kNullRows);
  StyleSpec hex;
  hex.aggregation = Aggregation::Hex;
  std::string err;
  EXPECT_FALSE(store_.setUserStyle(table, hex, &err));
  EXPECT_NE(err.find("is a table without geometry"), std::string::npos) << err;
  EXPECT_FALSE(table.hexes);
}

TEST_F(TableLayerTest, ExportWritesTheRows) {
  Layer& table = open("rows.geojson", kNullRows);
  std::string err;
  const std::optional<std::string> csv = featuresToCsv(table, {0, 2}, &err);
  ASSERT_TRUE(csv) << err;
  EXPECT_EQ(*csv, "name,n\r\n甲,1\r\n丙,3\r\n") << "no geometry column for a table";
  const std::optional<std::string> json = featuresToGeoJson(table, {1}, &err);
  ASSERT_TRUE(json) << err;
  EXPECT_NE(json->find(R"("properties":{"name":"乙","n":2},"geometry":null)"), std::string::npos) << *json;
}

TEST_F(TableLayerTest, AMixedFileDrawsWhatHasGeometryAndCountsTheRest) {
  Layer& l = open("mixed.geojson", kMixed);
  EXPECT_FALSE(l.tableOnly());
  EXPECT_EQ(l.kind, GeometryKind::Point);
  EXPECT_EQ(l.table.featureCount(), 3u);
  EXPECT_EQ(l.withoutGeometry, 1u);
  EXPECT_EQ(layerFeatureSummary(l), "3 features, 1 without geometry");
  EXPECT_TRUE(logHas("3 features, 1 without geometry: those are not drawn"));
  std::string err;
  auto p = store_.prepare(l, "EPSG:3857", &err);
  ASSERT_NE(p, nullptr) << err;
  EXPECT_EQ(p->geometry.xy.size(), 2u);
  // The label of the row without geometry has no anchor (it is not drawn).
  if (!p->labelAnchor.empty()) {
    ASSERT_EQ(p->labelAnchor.size(), 3u);
    EXPECT_TRUE(std::isnan(p->labelAnchor[1].x));
  }
  // The CSV of a point layer keeps lon,lat, empty for the row without geometry.
  const std::optional<std::string> csv = featuresToCsv(l, {0, 1}, &err);
  ASSERT_TRUE(csv) << err;
  EXPECT_EQ(*csv, "name,lon,lat\r\na,122.8,45.6\r\nb,,\r\n");
}

TEST(TableLayerSummary, GroupsThousands) {
  Layer l;
  l.status = LayerStatus::Loaded;
  l.kind = GeometryKind::Point;
  l.table.geometry.featureParts.assign(1235, 0);  // 1234 features, none with a part
  for (size_t f = 0; f < 1222; ++f) l.table.geometry.featureParts.set(f + 1, static_cast<uint32_t>(f + 1));
  for (size_t f = 1222; f < 1234; ++f) l.table.geometry.featureParts.set(f + 1, 1222);
  l.withoutGeometry = countWithoutGeometry(l.table.geometry);
  EXPECT_EQ(l.withoutGeometry, 12u);
  EXPECT_EQ(layerFeatureSummary(l), "1,234 features, 12 without geometry");
}

}  // namespace
}  // namespace bcmap