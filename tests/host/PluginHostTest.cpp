// The plugin host with good and deliberately broken plugins: every failure is reported
// with its reason, and the other layers keep working.
#include <gtest/gtest.h>

#include <filesystem>

#include <algorithm>
#include <cmath>

#include "host/LayerStore.h"
#include "model/Log.h"
#include "host/PluginHost.h"
#include "io/Projection.h"
#include "io/VectorReader.h"

namespace bcmap {
namespace {

class PluginHostTest : public ::testing::Test {
 protected:
  void SetUp() override {
    initGdal();
    initProj();
    host.scan({BCMAP_FIXTURE_PLUGIN_DIR, BCMAP_PLUGIN_DIR});
    store = std::make_unique<LayerStore>(BCMAP_GEODATA);
    store->addPluginLayers(host);
    store->loadAll();
  }
  Layer* byPlugin(const std::string& fileName) {
    for (auto& l : store->layers())
      if (l->pluginPath.size() >= fileName.size() &&
          l->pluginPath.compare(l->pluginPath.size() - fileName.size(), fileName.size(), fileName) == 0)
        return l.get();
    return nullptr;
  }
  PluginHost host;
  std::unique_ptr<LayerStore> store;
};

TEST_F(PluginHostTest, TextFileNamedSoIsRefusedWithReason) {
  Layer* l = byPlugin("/x.so");
  ASSERT_NE(l, nullptr);
  EXPECT_EQ(l->status, LayerStatus::Failed);
  EXPECT_NE(l->error.find("not a shared library"), std::string::npos) << l->error;
  EXPECT_NE(l->error.find("x.so"), std::string::npos) << l->error;
}

TEST_F(PluginHostTest, LibraryWithoutEntryPointIsRefused) {
  Layer* l = byPlugin("bcmap_fixture_no_entry.so");
  ASSERT_NE(l, nullptr);
  EXPECT_EQ(l->status, LayerStatus::Failed);
  EXPECT_NE(l->error.find("no entry point bcmap_plugin_entry_v1"), std::string::npos) << l->error;
}

TEST_F(PluginHostTest, OtherAbiMajorIsRefusedNamingBothVersions) {
  Layer* l = byPlugin("bcmap_fixture_abi_major2.so");
  ASSERT_NE(l, nullptr);
  EXPECT_EQ(l->status, LayerStatus::Failed);
  EXPECT_NE(l->error.find("ABI 2.0"), std::string::npos) << l->error;
  const std::string ours = "ABI " + std::to_string(BCMAP_ABI_MAJOR) + "." + std::to_string(BCMAP_ABI_MINOR);
  EXPECT_NE(l->error.find(ours), std::string::npos) << l->error;
}

TEST_F(PluginHostTest, ThrowingLoadFailsWithItsMessage) {
  Layer* l = store->find("throws_on_load");
  ASSERT_NE(l, nullptr);
  EXPECT_EQ(l->status, LayerStatus::Failed);
  EXPECT_NE(l->error.find("planted failure in load()"), std::string::npos) << l->error;
}

TEST_F(PluginHostTest, InvalidStyleFailsWithReason) {
  Layer* l = store->find("bad_style");
  ASSERT_NE(l, nullptr);
  EXPECT_EQ(l->status, LayerStatus::Failed);
  EXPECT_NE(l->error.find("stroke width"), std::string::npos) << l->error;
}

TEST_F(PluginHostTest, NanFeatureIsDroppedOthersKept) {
  Layer* l = store->find("nan_coords");
  ASSERT_NE(l, nullptr);
  ASSERT_EQ(l->status, LayerStatus::Loaded) << l->error;
  EXPECT_EQ(l->table.featureCount(), 1u);
  const auto log = logSnapshot();
  EXPECT_TRUE(std::any_of(log.begin(), log.end(), [](const LogEntry& e) {
    return e.message.find("nan_coords") != std::string::npos && e.message.find("NaN") != std::string::npos;
  }));
}

TEST_F(PluginHostTest, DuplicateIdIsRefusedNamingBothFiles) {
  Layer* l = byPlugin("bcmap_zz_duplicate_id.so");
  ASSERT_NE(l, nullptr);
  EXPECT_EQ(l->status, LayerStatus::Failed);
  EXPECT_NE(l->error.find("already used by bcmap_fixture_good_points.so"), std::string::npos) << l->error;
  Layer* first = store->find("test_points");
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(first->status, LayerStatus::Loaded);
}

TEST_F(PluginHostTest, GoodPluginEveryCallback) {
  Layer* l = store->find("test_points");
  ASSERT_NE(l, nullptr);
  ASSERT_EQ(l->status, LayerStatus::Loaded) << l->error;
  EXPECT_EQ(l->nameZh, "测试点");
  EXPECT_TRUE(l->hasTime);
  EXPECT_TRUE(l->isSample);
  ASSERT_EQ(l->table.featureCount(), 3u);
  EXPECT_EQ(l->table.featureId(1), "b");
  ASSERT_EQ(l->table.startDay.size(), 3u);
  EXPECT_EQ(formatDate(l->table.startDay[1]), "2018-06-01");
  EXPECT_EQ(l->table.startDay[2], kNoDay);
  // style_feature: size from people, fill override on feature 1 only.
  EXPECT_FLOAT_EQ(l->pointSizePx[1], 4.0f + 450.0f / 50.0f);
  EXPECT_EQ(l->fill[0], (Rgba{200, 30, 30, 255}));
  EXPECT_EQ(l->fill[1], (Rgba{0, 0, 255, 255}));
  ASSERT_EQ(l->legend.size(), 1u);
  EXPECT_EQ(l->legend[0].label, "测试点 test points");
  EXPECT_EQ(store->describeFeature(*l, 1), "乙村: 450 people");
  ASSERT_EQ(l->settings.size(), 1u);
  std::string err;
  ASSERT_TRUE(store->setSetting(*l, "size", "20", &err)) << err;
  EXPECT_FLOAT_EQ(l->style.pointSizePx, 20.0f);
}

TEST_F(PluginHostTest, CountiesLoadBesideBrokenPlugins) {
  Layer* l = store->find("counties");
  ASSERT_NE(l, nullptr);
  // Skip only on a machine without the derived boundaries; with them, a failure is a failure.
  if (!std::filesystem::exists(std::string(BCMAP_GEODATA) + "/baicheng_counties.geojson"))
    GTEST_SKIP() << "geodata/baicheng_counties.geojson not derived on this machine";
  ASSERT_EQ(l->status, LayerStatus::Loaded) << l->error;
  EXPECT_EQ(l->table.featureCount(), 5u);
  EXPECT_EQ(l->kind, GeometryKind::Polygon);
  // Categorized fill: five distinct colours.
  std::vector<Rgba> colours = l->fill;
  std::sort(colours.begin(), colours.end(), [](Rgba a, Rgba b) {
    return std::tie(a.r, a.g, a.b) < std::tie(b.r, b.g, b.b);
  });
  EXPECT_EQ(std::unique(colours.begin(), colours.end()) - colours.begin(), 5);
}

TEST_F(PluginHostTest, ReadVectorRowsHandsTheRowsToThePlugin) {
  Layer* l = store->find("rows_aggregate");
  ASSERT_NE(l, nullptr);
  // Skip only on a machine without the derived boundaries; with them, a failure is a failure.
  if (!std::filesystem::exists(std::string(BCMAP_GEODATA) + "/baicheng_counties.geojson"))
    GTEST_SKIP() << "geodata/baicheng_counties.geojson not derived on this machine";
  ASSERT_EQ(l->status, LayerStatus::Loaded) << l->error;
  ASSERT_EQ(l->table.featureCount(), 5u);
  int64_t total = 0;
  for (size_t f = 0; f < 5; ++f) total += l->table.column("vertices")->ints[f];
  EXPECT_EQ(total, 17523);  // every vertex of the five rings (geodata/README.md)
  EXPECT_EQ(l->style.pointSymbol, BCMAP_SYMBOL_DIAMOND);
  // The label points are inside their counties: identify there finds the same county.
  Layer* counties = store->find("counties");
  ASSERT_NE(counties, nullptr);
  const Vec2 p = l->table.geometry.xy[0];
  auto hits = store->identify(p, 1, {"counties"});
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].attributes[counties->table.columnIndex("name_zh")].second, l->table.column("name_zh")->strings[0]);
}

TEST_F(PluginHostTest, IdentifyFindsPointsWithinRadius) {
  // 甲村 sits at 122.84, 45.62; 300 m east is ~0.00385 degrees of longitude there.
  auto hits = store->identify({122.84 + 0.00385, 45.62}, 500, {"test_points"});
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].featureId, "a");
  EXPECT_NEAR(hits[0].distanceM, 300, 5);
  EXPECT_TRUE(store->identify({122.84 + 0.00385, 45.62}, 200, {"test_points"}).empty());
}

TEST_F(PluginHostTest, IdentifyFollowsTheTimeFilter) {
  // 乙村 (b) at 123.08, 44.81 starts 2018-06-01 (inclusive); 丙村 (c) has no span.
  const Vec2 b{123.08, 44.81};
  EXPECT_TRUE(store->identify(b, 50, {"test_points"}, *parseDate("2018-05-31")).empty());
  auto hits = store->identify(b, 50, {"test_points"}, *parseDate("2018-06-01"));
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].featureId, "b");
  EXPECT_EQ(store->identify(b, 50, {"test_points"}).size(), 1u);  // no filter: shown
  EXPECT_EQ(store->identify({124.29, 45.50}, 50, {"test_points"}, *parseDate("2015-01-01")).size(), 1u);
  EXPECT_TRUE(spanShows(10, 20, 10) && spanShows(10, 20, 20) && !spanShows(10, 20, 21) && !spanShows(10, 20, 9));
  EXPECT_TRUE(spanShows(kNoDay, kNoDay, 5) && spanShows(10, 20, kNoDay));
}

TEST_F(PluginHostTest, PrepareProjectsOncePerCrs) {
  Layer* l = store->find("test_points");
  ASSERT_NE(l, nullptr);
  std::string err;
  auto a = store->prepare(*l, "EPSG:3857", &err);
  ASSERT_TRUE(a) << err;
  auto b = store->prepare(*l, "EPSG:3857", &err);
  EXPECT_EQ(a.get(), b.get());
  // Web Mercator x = R * lon in radians.
  EXPECT_NEAR(a->geometry.xy[0].x, 6378137.0 * 122.84 * M_PI / 180.0, 1e-3);
}

}  // namespace
}  // namespace bcmap
