// LayerStore's own part, through the real store and the fixture plugins: the starting draw
// order, ids (the duplicate rule, unique ids for failed and missing layers), find and move,
// settings (to the plugin, kept while pending, an unknown key refused), the extent and
// "fit all" frame, which come from the coordinates without preparing any layer, and
// removing a layer (loaded, failed, missing, or with its load in flight on a loader thread).
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <thread>

#include "host/LayerStore.h"
#include "host/PluginHost.h"
#include "io/Projection.h"
#include "io/VectorReader.h"
#include "TestLayers.h"

namespace bcmap {
namespace {

const std::string kFixtures = BCMAP_FIXTURE_PLUGIN_DIR;
const std::string kVectorFile = std::string(BCMAP_PLUGIN_DIR) + "/bcmap_vector_file.so";
const std::string kPoints = std::string(BCMAP_TEST_DATA) + "/vector/points.geojson";
const std::string kLine = std::string(BCMAP_TEST_DATA) + "/vector/line.geojson";
constexpr int kWaitMs = 30000;  // a loaded CI machine (or the sanitizer build)

class LayerStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    initGdal();
    initProj();
  }
  std::vector<std::string> ids() {
    std::vector<std::string> out;
    for (const auto& l : store.layers()) out.push_back(l->id);
    return out;
  }
  size_t indexOf(const std::string& id) {
    const std::vector<std::string> all = ids();
    return static_cast<size_t>(std::find(all.begin(), all.end(), id) - all.begin());
  }
  PluginHost host;
  LayerStore store{BCMAP_GEODATA};
};

TEST_F(LayerStoreTest, PluginLayersStartPolygonsBelowPoints) {
  host.scan({kFixtures});
  store.addPluginLayers(host);
  // nan_coords draws polygons, good_points and rows_aggregate points: areas go below.
  const size_t polygons = indexOf("nan_coords"), points = indexOf("test_points");
  ASSERT_LT(polygons, store.layers().size());
  ASSERT_LT(points, store.layers().size());
  EXPECT_LT(polygons, points);
  EXPECT_LT(polygons, indexOf("rows_aggregate"));
  // Nothing loads until asked.
  EXPECT_EQ(store.find("test_points")->status, LayerStatus::Pending);
}

TEST_F(LayerStoreTest, SecondClaimantOfAnIdIsRefusedNamingBothFiles) {
  host.scan({kFixtures});
  store.addPluginLayers(host);
  Layer* second = store.find("test_points_2");
  ASSERT_NE(second, nullptr);
  EXPECT_EQ(second->status, LayerStatus::Failed);
  EXPECT_TRUE(second->refused);
  EXPECT_NE(second->error.find("bcmap_zz_duplicate_id.so"), std::string::npos) << second->error;
  EXPECT_NE(second->error.find("bcmap_fixture_good_points.so"), std::string::npos) << second->error;
  store.load(*second);  // refused: never loaded, keeps its reason
  EXPECT_EQ(second->status, LayerStatus::Failed);
  EXPECT_EQ(store.find("test_points")->status, LayerStatus::Pending);
}

TEST_F(LayerStoreTest, FindAndMove) {
  store.addMissingLayer("a", "gone");
  store.addMissingLayer("b", "gone");
  store.addMissingLayer("c", "gone");
  EXPECT_EQ(store.find("b"), store.layers()[1].get());
  EXPECT_EQ(store.find("d"), nullptr);
  store.move(0, 2);
  EXPECT_EQ(ids(), (std::vector<std::string>{"b", "c", "a"}));
  store.move(2, 1);
  EXPECT_EQ(ids(), (std::vector<std::string>{"b", "a", "c"}));
  // Out of range or in place: nothing moves.
  store.move(3, 0);
  store.move(0, 3);
  store.move(1, 1);
  EXPECT_EQ(ids(), (std::vector<std::string>{"b", "a", "c"}));
}

TEST_F(LayerStoreTest, MissingLayersAreKeptFailedHiddenWithUniqueIds) {
  Layer& a = store.addMissingLayer("roads", "roads: plugin bcmap_roads.so not found");
  Layer& b = store.addMissingLayer("roads", "again");
  EXPECT_EQ(a.id, "roads");
  EXPECT_EQ(b.id, "roads_2");
  EXPECT_EQ(a.status, LayerStatus::Failed);
  EXPECT_TRUE(a.refused);
  EXPECT_TRUE(a.missing);
  EXPECT_FALSE(a.visible);
  EXPECT_EQ(a.error, "roads: plugin bcmap_roads.so not found");
  store.loadAll();
  EXPECT_EQ(a.status, LayerStatus::Failed);
}

TEST_F(LayerStoreTest, FileLayerWithoutTheVectorFilePluginFailsWithTheReason) {
  Layer& l = store.addFileLayer(host, "/data/wells.geojson", false);
  EXPECT_EQ(l.id, "wells.geojson");
  EXPECT_TRUE(l.isFileLayer);
  EXPECT_EQ(l.status, LayerStatus::Failed);
  EXPECT_NE(l.error.find("bcmap_vector_file.so"), std::string::npos) << l.error;
}

// A file layer is named by its file name, once: not "wells.geojson wells.geojson" in the
// legend, the inspector, the table's title.
TEST_F(LayerStoreTest, AFileLayerIsNamedOnce) {
  Layer& l = store.addFileLayer(host, "/data/wells.geojson", false);
  EXPECT_EQ(l.displayName(), "wells.geojson");
  Layer named;
  named.nameZh = "县界";
  named.nameEn = "Counties";
  EXPECT_EQ(named.displayName(), "县界 Counties");
  named.nameEn.clear();
  EXPECT_EQ(named.displayName(), "县界");
  named.nameZh.clear();
  named.nameEn = "Counties";
  EXPECT_EQ(named.displayName(), "Counties");
}

TEST_F(LayerStoreTest, SettingsReachThePluginAndUnknownKeysAreRefused) {
  host.open(kFixtures + "/bcmap_fixture_good_points.so");
  store.addPluginLayers(host);
  Layer& l = *store.find("test_points");
  std::string err;
  // Pending: the value is kept for the load, nothing loads now.
  ASSERT_TRUE(store.setSettingAsync(l, "size", "12", &err)) << err;
  EXPECT_EQ(l.status, LayerStatus::Pending);
  EXPECT_FALSE(store.loading());
  store.load(l);
  ASSERT_EQ(l.status, LayerStatus::Loaded) << l.error;
  EXPECT_EQ(l.style.pointSizePx, 12.0f);
  // Loaded: update() then a load, on this thread.
  ASSERT_TRUE(store.setSetting(l, "size", "20", &err)) << err;
  EXPECT_EQ(l.settings[0].value, "20");
  EXPECT_EQ(l.style.pointSizePx, 20.0f);
  EXPECT_FALSE(store.setSetting(l, "colour", "red", &err));
  EXPECT_EQ(err, "layer test_points has no setting 'colour'");
  err.clear();
  EXPECT_FALSE(store.setSettingAsync(l, "colour", "red", &err));
  EXPECT_EQ(err, "layer test_points has no setting 'colour'");
}

TEST_F(LayerStoreTest, ExtentComesFromTheCoordinatesWithoutPreparing) {
  host.open(kFixtures + "/bcmap_fixture_good_points.so");
  store.addPluginLayers(host);
  store.loadAll();
  Layer& l = *store.find("test_points");
  ASSERT_EQ(l.status, LayerStatus::Loaded) << l.error;
  const Bounds b = store.extent(kLonLatCrs);
  EXPECT_DOUBLE_EQ(b.minX, 122.84);
  EXPECT_DOUBLE_EQ(b.maxX, 124.29);
  EXPECT_DOUBLE_EQ(b.minY, 44.81);
  EXPECT_DOUBLE_EQ(b.maxY, 45.62);
  const Bounds mercator = store.extent("EPSG:3857");
  EXPECT_FALSE(mercator.empty());
  // Framing the data prepared (and so triangulated) nothing.
  EXPECT_TRUE(l.prepared.empty());
  // The same numbers a prepared form carries.
  std::string err;
  auto p = store.prepare(l, "EPSG:3857", &err);
  ASSERT_NE(p, nullptr) << err;
  EXPECT_EQ(p->bounds.minX, mercator.minX);
  EXPECT_EQ(p->bounds.maxY, mercator.maxY);
  // Hidden layers count only when asked for.
  l.visible = false;
  EXPECT_TRUE(store.extent(kLonLatCrs).empty());
  EXPECT_FALSE(store.extent(kLonLatCrs, false).empty());
}

TEST_F(LayerStoreTest, HomeFramesTheDataElseBaicheng) {
  // Nothing to show: Baicheng's box.
  const Bounds empty = store.homeBounds(kLonLatCrs);
  EXPECT_NEAR(empty.minX, 121.6, 1e-9);
  EXPECT_NEAR(empty.maxY, 46.4, 1e-9);

  // One point: that point, at Baicheng's scale.
  auto one = fixtures::makeLayer("one", GeometryKind::Point);
  fixtures::addRing(*one, {{123.0, 45.0}});
  store.layers().push_back(std::move(one));
  const Bounds single = store.homeBounds(kLonLatCrs);
  EXPECT_NEAR((single.minX + single.maxX) / 2, 123.0, 1e-9);
  EXPECT_NEAR((single.minY + single.maxY) / 2, 45.0, 1e-9);
  EXPECT_NEAR(single.width(), empty.width(), 1e-9);

  // Data: its extent grown by kFitMargin a side.
  Layer& l = *store.layers().back();
  fixtures::addRing(l, {{124.0, 46.0}});
  const Bounds data = store.homeBounds(kLonLatCrs);
  EXPECT_NEAR(data.minX, 123.0 - kFitMargin, 1e-9);
  EXPECT_NEAR(data.maxY, 46.0 + kFitMargin, 1e-9);
  EXPECT_TRUE(l.prepared.empty());
}

// ---- remove (the viewer's 移除图层 Remove layer) ------------------------------------------------
TEST_F(LayerStoreTest, RemovingALoadedFileLayerTakesItOutAndItsIdIsNotGivenAgain) {
  host.open(kVectorFile);
  Layer& points = store.addFileLayer(host, kPoints, false);
  Layer& line = store.addFileLayer(host, kLine, false);
  store.loadAll();
  ASSERT_EQ(points.status, LayerStatus::Loaded) << points.error;
  ASSERT_EQ(line.status, LayerStatus::Loaded) << line.error;
  EXPECT_TRUE(userCanRemove(points));
  const uint64_t removedKey = points.key;
  const Bounds both = store.extent(kLonLatCrs);

  EXPECT_TRUE(store.remove("file:points.geojson"));
  EXPECT_EQ(ids(), (std::vector<std::string>{"file:line.geojson"}));
  EXPECT_EQ(store.find("file:points.geojson"), nullptr);
  EXPECT_FALSE(store.remove("file:points.geojson")) << "once";
  EXPECT_FALSE(store.remove("no_such_layer"));
  // What is shown and framed no longer counts it.
  const Bounds rest = store.extent(kLonLatCrs);
  EXPECT_FALSE(rest.empty());
  EXPECT_TRUE(rest.width() < both.width() || rest.height() < both.height());
  EXPECT_TRUE(store.identify({0, 0}, 1e9, {"file:points.geojson"}).empty());

  // The same file opened again is a new layer under a new id: nothing a caller kept by the
  // old id (the renderer's buffers, a selection, an undo step) is taken for it. (A plugin's
  // layer keeps its plugin's id: sessions name it so.)
  Layer& again = store.addFileLayer(host, kPoints, false);
  EXPECT_EQ(again.id, "file:points.geojson_2");
  EXPECT_GT(again.key, removedKey);
  EXPECT_EQ(again.displayName(), "points.geojson") << "the user still sees the file's name";
  store.load(again);
  EXPECT_EQ(again.status, LayerStatus::Loaded) << again.error;
  EXPECT_EQ(store.addMissingLayer("file:points.geojson", "gone").id, "file:points.geojson_3");
}

TEST_F(LayerStoreTest, FailedAndMissingLayersCanBeRemovedAPluginsLayerIsNotOffered) {
  host.open(kVectorFile);
  host.open(kFixtures + "/bcmap_fixture_good_points.so");
  store.addPluginLayers(host);
  // A folder opened as a file: a failed layer, never loaded again, kept with its reason.
  const std::string folder = ::testing::TempDir() + "bcmap_remove_folder_" + std::to_string(::getpid());
  std::filesystem::create_directories(folder);
  Layer& failed = store.addFileLayer(host, folder, false);
  store.load(failed);
  EXPECT_EQ(failed.status, LayerStatus::Failed);
  Layer& missing = store.addMissingLayer("roads", "roads: plugin bcmap_roads.so not found");
  Layer& plugin = *store.find("test_points");
  store.load(plugin);
  EXPECT_TRUE(userCanRemove(failed));
  EXPECT_TRUE(userCanRemove(missing));
  EXPECT_FALSE(userCanRemove(plugin)) << "the plugin would make it again at the next start";

  const std::string failedId = failed.id;
  EXPECT_TRUE(store.remove(failedId));
  EXPECT_TRUE(store.remove("roads"));
  EXPECT_EQ(ids(), (std::vector<std::string>{"test_points"}));
  EXPECT_EQ(plugin.status, LayerStatus::Loaded);
  store.loadAll();  // nothing left of them to load
  EXPECT_EQ(ids(), (std::vector<std::string>{"test_points"}));
  std::filesystem::remove_all(folder);
}

// A load on a loader thread is in the plugin's instance: the layer goes from the list at
// once, the instance stays until the load is done (the slow_load fixture reads its own
// member after sleeping: the sanitizer build catches an instance destroyed before), and the
// result is dropped, not installed anywhere. Another layer's load is untouched.
TEST_F(LayerStoreTest, ALoadInFlightIsDroppedWhenItsLayerIsRemoved) {
  host.open(std::string(BCMAP_FAULT_SLOW_PLUGIN_DIR) + "/bcmap_fault_slow_load.so");
  host.open(kFixtures + "/bcmap_fixture_good_points.so");
  store.addPluginLayers(host);
  Layer* slow = store.find("slow_load");
  Layer* good = store.find("test_points");
  ASSERT_NE(slow, nullptr);
  ASSERT_NE(good, nullptr);
  for (LayerSetting& s : slow->settings)
    if (s.key == "sleep_ms") s.value = "400";
  store.loadAsync(*slow);
  store.loadAsync(*good);
  ASSERT_EQ(slow->work, LayerWork::Loading);
  EXPECT_TRUE(store.remove("slow_load"));
  EXPECT_EQ(store.find("slow_load"), nullptr);
  EXPECT_TRUE(store.loading()) << "the removed layer's load is still running";

  std::vector<std::string> changed;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kWaitMs);
  while (store.loading() && std::chrono::steady_clock::now() < deadline) {
    for (std::string& id : store.pollLoaded()) changed.push_back(std::move(id));
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_FALSE(store.loading());
  EXPECT_EQ(std::count(changed.begin(), changed.end(), "slow_load"), 0) << "its result is dropped";
  EXPECT_EQ(ids(), (std::vector<std::string>{"test_points"}));
  EXPECT_EQ(good->status, LayerStatus::Loaded) << good->error;

  // A load cancelled, then its layer removed: the same, nothing waits for it.
  Layer& again = store.addPluginAsync(host, std::string(BCMAP_FAULT_SLOW_PLUGIN_DIR) + "/bcmap_fault_slow_load.so",
                                      [](const Layer&) { return false; });
  ASSERT_TRUE(store.waitIdle(kWaitMs));
  EXPECT_EQ(again.id, "slow_load") << "a plugin's layer takes its plugin's id, removed before or not";
  for (LayerSetting& s : again.settings)
    if (s.key == "sleep_ms") s.value = "200";
  store.loadAsync(again);
  ASSERT_TRUE(store.cancelLoad(again));
  EXPECT_TRUE(store.remove("slow_load"));
  ASSERT_TRUE(store.waitIdle(kWaitMs));
  EXPECT_EQ(ids(), (std::vector<std::string>{"test_points"}));
}

// The store going while a removed layer's load still runs: the loader thread is joined
// before the instance it is in is destroyed.
TEST_F(LayerStoreTest, AStoreDestroyedWhileARemovedLayerLoadsWaitsForTheLoad) {
  auto local = std::make_unique<LayerStore>(BCMAP_GEODATA);
  host.open(std::string(BCMAP_FAULT_SLOW_PLUGIN_DIR) + "/bcmap_fault_slow_load.so");
  local->addPluginLayers(host);
  Layer* slow = local->find("slow_load");
  ASSERT_NE(slow, nullptr);
  for (LayerSetting& s : slow->settings)
    if (s.key == "sleep_ms") s.value = "300";
  local->loadAsync(*slow);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // in its load() by now, mostly
  EXPECT_TRUE(local->remove("slow_load"));
  local.reset();  // joins the loader thread, then destroys the instance
  SUCCEED();
}

}  // namespace
}  // namespace bcmap
