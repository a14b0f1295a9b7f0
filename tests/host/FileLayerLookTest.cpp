// The look of a layer opened from a file (bcmap FILE, File ▸ Open), through the real
// vector_file plugin and the real counties: a point file shows opaque circles about 8 px
// across, in a colour that stands apart from the map's paper and from every county fill,
// labelled from its name field, with a circle in the legend; a line file draws solid lines
// at least 2 px wide; a polygon file a fill with an outline. Every colour the opened files
// take in turn passes the same contrast checks.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "host/LayerStore.h"
#include "host/PluginHost.h"
#include "io/VectorReader.h"
#include "io/Projection.h"
#include "style/ColorRamps.h"
#include "style/FileLayerStyle.h"

namespace bcmap {
namespace {

namespace fs = std::filesystem;

// How far apart (OKLab) a file's symbols must be from a county fill beneath them: twice
// kMinMapContrast, as a symbol on a coloured area needs more than on the plain paper (the
// old default, Dark2's #1b9e77 over 洮北区's #66c2a5, is 0.13 and reads as one colour).
constexpr double kMinOverCountyContrast = 0.2;

class FileLayerLookTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    initGdal();
    initProj();
  }
  void SetUp() override {
    // One folder per test and process: ctest runs the cases side by side.
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::path(::testing::TempDir()) /
           ("bcmap_file_look_" + std::string(info->name()) + "_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    host_.scan({BCMAP_PLUGIN_DIR});
    store_ = std::make_unique<LayerStore>(BCMAP_GEODATA);
    store_->addPluginLayers(host_);
    if (Layer* c = store_->find("counties")) {
      store_->load(*c);
      for (const LegendEntry& e : c->legend) countyFills_.push_back(e.fill);
    }
  }
  void TearDown() override { fs::remove_all(dir_); }

  Layer& open(const std::string& name, const std::string& features) {
    const fs::path file = dir_ / name;
    std::ofstream(file) << R"({"type":"FeatureCollection","features":[)" << features << "]}";
    Layer& l = store_->addFileLayer(host_, file.string(), false);
    store_->load(l);
    EXPECT_EQ(l.status, LayerStatus::Loaded) << l.error;
    return l;
  }

  void expectStandsApart(Rgba c, const std::string& what) {
    EXPECT_GE(okLabDistance(c, kMapBackground), 2 * kMinMapContrast) << what << " on the paper";
    for (Rgba county : countyFills_)
      EXPECT_GE(okLabDistance(c, county), kMinOverCountyContrast)
          << what << " over county fill " << int(county.r) << "," << int(county.g) << "," << int(county.b);
  }

  fs::path dir_;
  PluginHost host_;
  std::unique_ptr<LayerStore> store_;
  std::vector<Rgba> countyFills_;
};

const std::string kPoints =
    R"({"type":"Feature","properties":{"code":"1","名称":"东村","pop":5},"geometry":{"type":"Point","coordinates":[122.80,45.60]}},)"
    R"({"type":"Feature","properties":{"code":"2","名称":"西村","pop":7},"geometry":{"type":"Point","coordinates":[122.84,45.62]}})";

TEST_F(FileLayerLookTest, AnOpenedPointFileIsSeenNamedAndLegendedAsCircles) {
  ASSERT_EQ(countyFills_.size(), 5u) << "the counties plugin and its data are needed";
  Layer& l = open("wells.geojson", kPoints);
  ASSERT_EQ(l.kind, GeometryKind::Point);
  ASSERT_EQ(l.fill.size(), 2u);
  for (size_t f = 0; f < l.fill.size(); ++f) {
    EXPECT_EQ(l.fill[f].a, 255) << "a translucent dot fades into the county beneath";
    expectStandsApart(l.fill[f], "the point fill");
    ASSERT_LT(f, l.pointSizePx.size());
    EXPECT_GE(l.pointSizePx[f], 7.0f);
    EXPECT_LE(l.pointSizePx[f], 10.0f);
  }
  EXPECT_EQ(l.style.pointSymbol, BCMAP_SYMBOL_CIRCLE);
  EXPECT_EQ(l.style.labelField, "名称") << "labelled from its name field";
  ASSERT_FALSE(l.legend.empty());
  EXPECT_EQ(l.legend[0].kind, GeometryKind::Point) << "the swatch is the layer's circle, not a square";
  EXPECT_EQ(l.legend[0].fill.a, 255);
}

TEST_F(FileLayerLookTest, LinesAreSolidAndPolygonsOutlined) {
  Layer& line = open("roads.geojson",
                     R"({"type":"Feature","properties":{"NAME":"G12"},"geometry":{"type":"LineString","coordinates":[[122.8,45.6],[122.9,45.7]]}})");
  ASSERT_EQ(line.kind, GeometryKind::Line);
  EXPECT_EQ(line.fill.at(0).a, 255);
  EXPECT_GE(line.style.strokeWidthPx, 2.0f);
  EXPECT_EQ(line.style.labelField, "NAME");
  EXPECT_EQ(line.legend.at(0).kind, GeometryKind::Line);
  Layer& area = open("fields.geojson",
                     R"({"type":"Feature","properties":{"id":1},"geometry":{"type":"Polygon","coordinates":[[[122.8,45.6],[122.9,45.6],[122.9,45.7],[122.8,45.6]]]}})");
  ASSERT_EQ(area.kind, GeometryKind::Polygon);
  EXPECT_GT(area.fill.at(0).a, 100) << "the fill reads";
  EXPECT_LT(area.fill.at(0).a, 255) << "and what lies beneath still shows";
  EXPECT_GE(area.style.strokeWidthPx, 1.0f);
  expectStandsApart(area.style.stroke, "the polygon outline");
  EXPECT_EQ(area.style.labelField, "") << "no name field, no label";
  EXPECT_EQ(area.legend.at(0).kind, GeometryKind::Polygon);
}

TEST_F(FileLayerLookTest, EveryColourAFileTakesStandsApart) {
  ASSERT_EQ(countyFills_.size(), 5u);
  for (size_t i = 0; i < kFileLayerPalette.size(); ++i) expectStandsApart(fileLayerColour(i), "colour " + std::to_string(i));
  EXPECT_EQ(fileLayerColour(kFileLayerPalette.size()), fileLayerColour(0)) << "the palette repeats";
}

// Issue 10 (third trial): 905 villages opened from a GeoPackage came in 贫困村's red and
// labelled every point at county scale. An opened file keeps apart from every colour on the
// map (the loaded layers' legend fills), and a large point file is labelled only close up.
TEST_F(FileLayerLookTest, AManyPointFileStandsApartFromEveryLayerAndLabelsCloseUp) {
  std::vector<Rgba> onMap;
  for (auto& l : store_->layers()) {
    if (l->status != LayerStatus::Loaded) store_->load(*l);
    for (const LegendEntry& e : l->legend) onMap.push_back(e.fill);
  }
  ASSERT_GT(onMap.size(), 10u) << "the thematic plugins and their data are needed";
  Layer& l = store_->addFileLayer(host_, std::string(BCMAP_GEODATA) + "/baicheng_villages.geojson", false);
  store_->load(l);
  ASSERT_EQ(l.status, LayerStatus::Loaded) << l.error;
  ASSERT_GT(l.table.featureCount(), kFileLabelAllScalesMax);
  ASSERT_FALSE(l.legend.empty());
  for (Rgba c : onMap)
    EXPECT_GE(okLabDistance(l.legend[0].fill, c), kFileColourApart)
        << "the file's colour is close to a layer's " << int(c.r) << "," << int(c.g) << "," << int(c.b);
  EXPECT_EQ(l.style.labelField, "name_zh");
  EXPECT_GT(l.style.labelMaxScale, 0) << "905 names at every scale flood the map";
  EXPECT_LE(l.style.labelMaxScale, 250000);
  // A few points are named at every scale.
  Layer& few = open("wells.geojson", kPoints);
  EXPECT_EQ(few.style.labelMaxScale, 0);
}

TEST_F(FileLayerLookTest, NameFieldsAreFoundByTheUsualNames) {
  auto table = [](std::vector<std::string> names) {
    FeatureTable t;
    for (const std::string& n : names) {
      AttributeColumn c;
      c.name = n;
      c.type = FieldType::String;
      t.columns.push_back(std::move(c));
    }
    return t;
  };
  EXPECT_EQ(nameField(table({"code", "name"})), "name");
  EXPECT_EQ(nameField(table({"OBJECTID", "NAME"})), "NAME");
  EXPECT_EQ(nameField(table({"code", "name_zh", "name_en"})), "name_zh");
  EXPECT_EQ(nameField(table({"名称", "name_en"})), "名称");
  EXPECT_EQ(nameField(table({"code", "pop"})), "");
}

}  // namespace
}  // namespace bcmap
