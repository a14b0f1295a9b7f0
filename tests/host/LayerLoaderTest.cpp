// LayerLoader through the store, with the fixture plugin good_points: a load on a loader
// thread (Loading, then the result applied by pollLoaded/waitIdle), a setting changed
// meanwhile loading once more, a load on the calling thread waiting for the loader, a new
// plugin opened off the UI thread behind a placeholder; and applyLoad on a layer made in
// the test (a failure, the user's style applied to new features).
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include <unistd.h>

#include "host/LayerLoader.h"
#include "host/LayerStore.h"
#include "host/PluginHost.h"
#include "io/Projection.h"
#include "io/VectorReader.h"
#include "TestLayers.h"

namespace bcmap {
namespace {

namespace fs = std::filesystem;

const std::string kGoodPoints = std::string(BCMAP_FIXTURE_PLUGIN_DIR) + "/bcmap_fixture_good_points.so";
constexpr int kWaitMs = 30000;  // a loaded CI machine; the fixture itself loads in microseconds

class LayerLoaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    initGdal();
    initProj();
  }
  // The store with good_points opened and its layer made (not loaded).
  Layer& goodPoints() {
    host.open(kGoodPoints);
    store.addPluginLayers(host);
    Layer* l = store.find("test_points");
    EXPECT_NE(l, nullptr);
    return *l;
  }
  PluginHost host;
  LayerStore store{BCMAP_GEODATA};
};

TEST_F(LayerLoaderTest, AsyncLoadShowsLoadingThenPollReportsTheLayer) {
  Layer& l = goodPoints();
  EXPECT_EQ(l.status, LayerStatus::Pending);
  std::atomic<int> woken{0};
  store.setOnResultReady([&] { ++woken; });
  store.loadAsync(l);
  EXPECT_EQ(l.status, LayerStatus::Loading);
  EXPECT_EQ(l.work, LayerWork::Loading);
  EXPECT_TRUE(store.loading());
  ASSERT_TRUE(store.waitIdle(kWaitMs));
  EXPECT_FALSE(store.loading());
  EXPECT_EQ(l.status, LayerStatus::Loaded) << l.error;
  EXPECT_FALSE(l.busy());
  EXPECT_EQ(l.table.featureCount(), 3u);
  // The loader thread wakes the UI after making the result visible, so waitIdle may have
  // applied it before the call: wait for the call itself.
  for (int i = 0; i < kWaitMs && woken.load() == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  EXPECT_GE(woken.load(), 1);
  EXPECT_EQ(store.pollLoaded(), std::vector<std::string>{"test_points"});
  EXPECT_TRUE(store.pollLoaded().empty());
}

// Issue 11: a finished load arrives prepared for the display CRS the viewer had when it was
// posted (projected, bounded) and for identify (lon/lat form and its index), all made on
// the loader thread; the UI thread's pollLoaded only installs them. Before, the first frame
// after a 10M-point load projected them on the UI thread for seconds.
TEST_F(LayerLoaderTest, FinishedLoadArrivesPreparedForTheDisplayCrs) {
  Layer& l = goodPoints();
  store.setDisplayCrs("EPSG:3857");
  store.loadAsync(l);
  ASSERT_TRUE(store.waitIdle(kWaitMs));
  ASSERT_EQ(l.status, LayerStatus::Loaded) << l.error;
  // Installed by the load, not made by a call here: the cache is filled already.
  ASSERT_EQ(l.prepared.count("EPSG:3857"), 1u);
  ASSERT_EQ(l.prepared.count(kLonLatCrs), 1u);
  ASSERT_NE(l.lonLatIndex, nullptr);
  const std::shared_ptr<PreparedLayer> p = l.prepared.at("EPSG:3857");
  // What prepare would give, and the form prepare returns from now on (no second projection).
  EXPECT_EQ(store.prepare(l, "EPSG:3857", nullptr).get(), p.get());
  EXPECT_EQ(p->layerId, "test_points");
  EXPECT_EQ(p->geometry.featureCount(), l.table.featureCount());
  EXPECT_NE(p->generation, 0u);
  ASSERT_FALSE(l.fill.empty());  // the layer's style, set on the UI thread
  const Rgba* fill = p->fillAt(0);
  ASSERT_NE(fill, nullptr);
  if (fill) {
    EXPECT_TRUE(*fill == l.fill[0]);
  }
  auto tr = Transformer::create(l.sourceCrs, "EPSG:3857", nullptr);
  ASSERT_TRUE(tr);
  const Vec2 want = tr->forward(l.table.geometry.xy[0]);
  EXPECT_NEAR(p->geometry.xy[0].x, want.x, 1e-6);
  EXPECT_NEAR(p->geometry.xy[0].y, want.y, 1e-6);
  EXPECT_EQ(store.extent("EPSG:3857", false).minX, p->bounds.minX);
  // Identify finds a feature through the index the load brought.
  const Vec2 ll = l.prepared.at(kLonLatCrs)->geometry.xy[0];
  const SpatialIndex* index = l.lonLatIndex.get();
  EXPECT_FALSE(store.identify(ll, 50, {}, {}, {}).empty());
  EXPECT_EQ(l.lonLatIndex.get(), index);
}

// Without a display CRS (the CLI) nothing is prepared ahead: made when asked.
TEST_F(LayerLoaderTest, LoadWithoutDisplayCrsPreparesNothingAhead) {
  Layer& l = goodPoints();
  store.loadAsync(l);
  ASSERT_TRUE(store.waitIdle(kWaitMs));
  ASSERT_EQ(l.status, LayerStatus::Loaded) << l.error;
  EXPECT_TRUE(l.prepared.empty());
  EXPECT_EQ(l.lonLatIndex, nullptr);
}

// Cancel (issue 11: a 10M-point file reads for many seconds): the layer fails at once with
// the reason, the instance stays the loader thread's until it is done, and its result is
// dropped; a setting changed afterwards loads it again.
TEST_F(LayerLoaderTest, CancelFailsTheLayerAtOnceAndDropsTheResult) {
  Layer& l = goodPoints();
  store.loadAsync(l);
  ASSERT_TRUE(store.cancelLoad(l));
  EXPECT_EQ(l.status, LayerStatus::Failed);
  EXPECT_NE(l.error.find("cancelled"), std::string::npos) << l.error;
  EXPECT_FALSE(l.visible);
  EXPECT_EQ(l.work, LayerWork::Loading);  // the loader thread may still be in the plugin
  EXPECT_FALSE(store.cancelLoad(l));      // once
  ASSERT_TRUE(store.waitIdle(kWaitMs));
  EXPECT_FALSE(l.busy());
  EXPECT_EQ(l.status, LayerStatus::Failed);
  EXPECT_EQ(l.table.featureCount(), 0u);  // the result was dropped
  std::string err;
  ASSERT_TRUE(store.setSettingAsync(l, "size", "20", &err)) << err;
  ASSERT_TRUE(store.waitIdle(kWaitMs));
  EXPECT_EQ(l.status, LayerStatus::Loaded) << l.error;
  EXPECT_EQ(l.table.featureCount(), 3u);
}

TEST_F(LayerLoaderTest, SettingChangedWhileLoadingLoadsOnceMore) {
  Layer& l = goodPoints();
  store.loadAsync(l);
  std::string err;
  ASSERT_TRUE(store.setSettingAsync(l, "size", "20", &err)) << err;
  EXPECT_TRUE(l.loadAgain);
  ASSERT_TRUE(store.waitIdle(kWaitMs));
  EXPECT_FALSE(l.loadAgain);
  EXPECT_EQ(l.status, LayerStatus::Loaded) << l.error;
  EXPECT_EQ(l.style.pointSizePx, 20.0f);  // the second load saw the new value
  EXPECT_EQ(store.pollLoaded(), (std::vector<std::string>{"test_points", "test_points"}));
}

TEST_F(LayerLoaderTest, LoadOnTheCallingThreadWaitsForTheLoader) {
  Layer& l = goodPoints();
  store.loadAsync(l);
  store.load(l);
  EXPECT_FALSE(l.busy());
  EXPECT_EQ(l.status, LayerStatus::Loaded) << l.error;
  EXPECT_EQ(l.table.featureCount(), 3u);
}

TEST_F(LayerLoaderTest, NewPluginOpensBehindAPlaceholder) {
  Layer& placeholder = store.addPluginAsync(host, kGoodPoints);
  EXPECT_EQ(placeholder.id, "bcmap_fixture_good_points.so");
  EXPECT_EQ(placeholder.status, LayerStatus::Loading);
  ASSERT_EQ(store.layers().size(), 1u);
  ASSERT_TRUE(store.waitIdle(kWaitMs));
  Layer* l = store.find("test_points");
  ASSERT_NE(l, nullptr);
  EXPECT_EQ(l, store.layers()[0].get());  // the placeholder became the layer, in its place
  EXPECT_EQ(l->status, LayerStatus::Loaded) << l->error;
  EXPECT_EQ(l->nameEn, "Test points");
  EXPECT_NE(host.findByPath(kGoodPoints), nullptr);  // the host keeps the module
}

TEST_F(LayerLoaderTest, NewPluginNotWantedStaysPendingAndHidden) {
  store.addPluginAsync(host, kGoodPoints, [](const Layer&) { return false; });
  ASSERT_TRUE(store.waitIdle(kWaitMs));
  Layer* l = store.find("test_points");
  ASSERT_NE(l, nullptr);
  EXPECT_EQ(l->status, LayerStatus::Pending);
  EXPECT_FALSE(l->visible);
  EXPECT_EQ(l->table.featureCount(), 0u);
}

TEST_F(LayerLoaderTest, ChangeOfAFileThatIsGoneIsIgnored) {
  store.pluginFileChanged(host, std::string(BCMAP_FIXTURE_PLUGIN_DIR) + "/bcmap_not_there.so");
  EXPECT_TRUE(store.layers().empty());
  EXPECT_FALSE(store.loading());
}

// A data file changed on disk and the reload bar's Reload pressed (LayerStore::reloadData):
// a read that fails (the file caught half-written) keeps the features read before and says
// why in reloadError, instead of failing the layer with nothing to show; a later good read
// replaces them and clears the reason. A plain load (a setting changed) still fails it.
TEST_F(LayerLoaderTest, FailedDataReloadKeepsTheFeaturesReadBefore) {
  const fs::path dir = fs::temp_directory_path() / ("bcmap_data_reload_" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const fs::path file = dir / "live.geojson";
  auto write = [&](const std::string& text) { std::ofstream(file, std::ios::trunc) << text; };
  auto points = [](int n) {
    std::string feats;
    for (int i = 0; i < n; ++i)
      feats += std::string(i ? "," : "") + R"({"type":"Feature","properties":{"n":)" + std::to_string(i) +
               R"(},"geometry":{"type":"Point","coordinates":[122.)" + std::to_string(i) + R"(,45.5]}})";
    return R"({"type":"FeatureCollection","features":[)" + feats + "]}";
  };
  write(points(4));
  host.scan({BCMAP_PLUGIN_DIR});
  Layer& l = store.addFileLayer(host, file.string(), false);
  store.loadAsync(l);
  ASSERT_TRUE(store.waitIdle(kWaitMs));
  ASSERT_EQ(l.status, LayerStatus::Loaded) << l.error;
  ASSERT_EQ(l.table.featureCount(), 4u);
  store.pollLoaded();

  const std::string good = points(4);
  write(good.substr(0, good.size() / 2));  // cut mid-write
  store.reloadData(l);
  ASSERT_TRUE(store.waitIdle(kWaitMs));
  EXPECT_EQ(l.status, LayerStatus::Loaded) << l.error;
  EXPECT_EQ(l.table.featureCount(), 4u) << "the features read before are kept";
  EXPECT_NE(l.reloadError.find("reload of live.geojson failed: "), std::string::npos) << l.reloadError;
  EXPECT_NE(l.reloadError.find("the data read before is kept"), std::string::npos) << l.reloadError;
  EXPECT_TRUE(l.error.empty()) << l.error;
  EXPECT_EQ(store.pollLoaded(), std::vector<std::string>{l.id});  // the row redraws with the reason

  write(points(6));  // fixed
  store.reloadData(l);
  ASSERT_TRUE(store.waitIdle(kWaitMs));
  EXPECT_EQ(l.status, LayerStatus::Loaded) << l.error;
  EXPECT_EQ(l.table.featureCount(), 6u);
  EXPECT_TRUE(l.reloadError.empty()) << l.reloadError;

  // A load for another reason (a setting changed) that fails does fail the layer: its old
  // features would answer another question.
  write("not json");
  store.loadAsync(l);
  ASSERT_TRUE(store.waitIdle(kWaitMs));
  EXPECT_EQ(l.status, LayerStatus::Failed);
  EXPECT_EQ(l.table.featureCount(), 0u);

  // A failed layer reloaded after its file is fixed loads again.
  write(points(2));
  store.reloadData(l);
  ASSERT_TRUE(store.waitIdle(kWaitMs));
  EXPECT_EQ(l.status, LayerStatus::Loaded) << l.error;
  EXPECT_EQ(l.table.featureCount(), 2u);
  fs::remove_all(dir);
}

TEST_F(LayerLoaderTest, ApplyLoadFailureLeavesTheLayerFailedAndEmpty) {
  auto l = fixtures::makeLayer("pts", GeometryKind::Point);
  fixtures::addRing(*l, {{122.84, 45.62}});
  std::string err;
  l->prepared["EPSG:3857"] = std::make_shared<PreparedLayer>();
  const uint64_t generation = l->generation;
  LoadOutput out;
  out.error = "load failed: no disk";
  applyLoad(*l, std::move(out));
  EXPECT_EQ(l->status, LayerStatus::Failed);
  EXPECT_EQ(l->error, "load failed: no disk");
  EXPECT_EQ(l->table.featureCount(), 0u);
  EXPECT_TRUE(l->prepared.empty());
  EXPECT_GT(l->generation, generation);
}

TEST_F(LayerLoaderTest, ApplyLoadGivesNewFeaturesTheUsersStyle) {
  auto l = fixtures::makeLayer("pts", GeometryKind::Point);
  l->status = LayerStatus::Pending;
  l->style.opacity = 0.5f;
  StyleSpec spec;
  spec.kind = StyleKind::Categorized;
  spec.field = "people";
  spec.ramp = "Set1";
  l->userStyle = spec;
  // What a load brings: two points, the plugin's red, opacity 0.7.
  auto made = fixtures::makeLayer("made", GeometryKind::Point);
  fixtures::addRing(*made, {{122.84, 45.62}});
  fixtures::addRing(*made, {{122.85, 45.62}});
  fixtures::addIntColumn(*made, "people", {1, 2});
  LoadOutput out;
  out.table = made->table;
  out.kind = GeometryKind::Point;
  out.sourceCrs = kLonLatCrs;
  out.style.opacity = 0.7f;
  out.fill = made->fill;
  out.pointSizePx = made->pointSizePx;
  applyLoad(*l, std::move(out));
  EXPECT_EQ(l->status, LayerStatus::Loaded);
  EXPECT_TRUE(l->userStyleError.empty()) << l->userStyleError;
  EXPECT_EQ(l->opacity, 0.7f);  // a first load takes the style's opacity
  ASSERT_TRUE(l->pluginStyle);
  EXPECT_EQ(l->pluginStyle->fill, made->fill);
  ASSERT_EQ(l->fill.size(), 2u);
  EXPECT_NE(l->fill[0], l->fill[1]);  // two categories, two colours
}

}  // namespace
}  // namespace bcmap
