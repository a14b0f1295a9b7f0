// HotReloadTest: a plugin rebuilt while the viewer runs reloads in place and keeps what the
// user changed; a broken build keeps the old one; a new file adds its layer; a plugin that
// crashed loads once fixed.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <functional>
#include <set>
#include <string>
#include <string_view>
#include <thread>

#include "PluginFaultTest.h"
#include "host/PluginWatcher.h"

namespace bcmap {
namespace {

using namespace plugin_fault;

// Polls the watcher and the store the way the viewer's loop does, until `done`.
bool pumpUntil(PluginWatcher& w, PluginHost& host, LayerStore& store, const std::function<bool()>& done) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kWaitMs);
  while (std::chrono::steady_clock::now() < deadline) {
    for (const std::string& p : w.poll()) store.pluginFileChanged(host, p);
    store.pollLoaded();
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

// How many different private copies of `fileName` this process has mapped (/proc/self/maps).
// A reload must unload the old copy, not just stop using it: a library pinned in memory
// (by dlclose refusing, or a handle kept) would add one mapping per rebuild.
size_t mappedCopiesOf(const std::string& fileName) {
  std::ifstream maps("/proc/self/maps");
  std::set<std::string> paths;
  for (std::string line; std::getline(maps, line);) {
    // A copy the host already removed from its folder reads "<path> (deleted)".
    constexpr std::string_view kDeleted = " (deleted)";
    if (line.ends_with(kDeleted)) line.resize(line.size() - kDeleted.size());
    const size_t slash = line.find('/');
    if (slash != std::string::npos && line.ends_with("-" + fileName)) paths.insert(line.substr(slash));
  }
  return paths.size();
}

size_t copiesOf(const std::string& fileName) {
  size_t n = 0;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(pluginCopyDir(), ec))
    n += e.path().filename().string().ends_with("-" + fileName);
  return n;
}

TEST(HotReloadTest, RebuiltPluginReloadsInPlaceAndAFailedBuildKeepsTheOldOne) {
  initGdal();
  TempDir tmp;
  const fs::path dir = tmp.sub("plugins");
  const fs::path target = dir / "bcmap_reload_probe.so";
  replaceByRename(kReloadDir + "/bcmap_reload_v1.so", target);
  replaceByRename(kFaultDir + "/bcmap_fault_good_points.so", dir / "bcmap_fault_good_points.so");
  PluginHost host;
  host.setProber(testProber(tmp));
  host.scan({dir.string()});
  LayerStore store(BCMAP_GEODATA);
  store.addPluginLayers(host);
  store.loadAll();
  Layer* l = store.find("reload_probe");
  ASSERT_NE(l, nullptr);
  ASSERT_EQ(l->status, LayerStatus::Loaded) << l->error;
  ASSERT_EQ(l->table.featureCount(), 1u);
  // What the user changed: order, visibility, opacity, a setting.
  ASSERT_EQ(store.layers()[1].get(), l);
  store.move(1, 0);
  l->visible = false;
  l->opacity = 0.25f;
  std::string err;
  ASSERT_TRUE(store.setSetting(*l, "size", "13", &err)) << err;

  PluginWatcher watcher;
  ASSERT_TRUE(watcher.watch(dir.string(), &err)) << err;
  replaceByRename(kReloadDir + "/bcmap_reload_v2.so", target);
  ASSERT_TRUE(pumpUntil(watcher, host, store, [&] { return l->version == "2.0.0"; }));
  EXPECT_EQ(l->table.featureCount(), 2u);
  EXPECT_EQ(l->status, LayerStatus::Loaded);
  EXPECT_EQ(store.layers()[0].get(), l);
  EXPECT_EQ(l->id, "reload_probe");
  EXPECT_FALSE(l->visible);
  EXPECT_FLOAT_EQ(l->opacity, 0.25f);
  ASSERT_EQ(l->settings.size(), 1u);
  EXPECT_EQ(l->settings[0].value, "13");
  EXPECT_FLOAT_EQ(l->style.pointSizePx, 13.0f);  // the new instance got the value
  EXPECT_TRUE(l->reloadError.empty());
  EXPECT_EQ(store.find("test_points")->status, LayerStatus::Loaded);

  // A build whose load() throws: the old version stays, and the panel says why.
  replaceByRename(kReloadDir + "/bcmap_reload_v3.so", target);
  ASSERT_TRUE(pumpUntil(watcher, host, store, [&] { return !l->reloadError.empty(); }));
  EXPECT_CONTAINS(l->reloadError, "reload of bcmap_reload_probe.so failed: reload_probe: load failed: planted failure in load() "
                                  "of the broken build");
  EXPECT_EQ(l->status, LayerStatus::Loaded);
  EXPECT_EQ(l->version, "2.0.0");
  EXPECT_EQ(l->table.featureCount(), 2u);
  EXPECT_TRUE(logHas("layer reload_probe: reload of bcmap_reload_probe.so failed", "planted failure"));
  const std::string tip = store.describeFeature(*l, 0);  // the old instance still answers

  // Fixed again: the error goes, and only the copy in use is left in the private folder.
  replaceByRename(kReloadDir + "/bcmap_reload_v1.so", target);
  ASSERT_TRUE(pumpUntil(watcher, host, store, [&] { return l->version == "1.0.0"; }));
  EXPECT_TRUE(l->reloadError.empty());
  EXPECT_EQ(l->table.featureCount(), 1u);
  EXPECT_EQ(copiesOf("bcmap_reload_probe.so"), 1u);
  // Three reloads, and only the copy in use is still mapped: the old ones were unloaded.
  EXPECT_EQ(mappedCopiesOf("bcmap_reload_probe.so"), 1u);
}

TEST(HotReloadTest, NewPluginInAWatchedFolderAddsItsLayer) {
  initGdal();
  TempDir tmp;
  const fs::path dir = tmp.sub("plugins");
  PluginHost host;
  host.setProber(testProber(tmp));
  LayerStore store(BCMAP_GEODATA);
  PluginWatcher watcher;
  std::string err;
  ASSERT_TRUE(watcher.watch(dir.string(), &err)) << err;
  replaceByRename(kFaultDir + "/bcmap_fault_good_points.so", dir / "bcmap_new_layer.so");
  ASSERT_TRUE(pumpUntil(watcher, host, store, [&] {
    Layer* l = store.find("test_points");
    return l && l->status == LayerStatus::Loaded;
  }));
  EXPECT_EQ(store.layers().size(), 1u);
  EXPECT_EQ(store.find("test_points")->table.featureCount(), 3u);
}

TEST(HotReloadTest, PluginThatCrashedLoadsOnceFixed) {
  initGdal();
  TempDir tmp;
  const fs::path dir = tmp.sub("plugins");
  const fs::path target = dir / "bcmap_flaky.so";
  replaceByRename(kFaultDir + "/bcmap_fault_crash_entry_segv.so", target);
  PluginHost host;
  host.setProber(testProber(tmp));
  host.scan({dir.string()});
  LayerStore store(BCMAP_GEODATA);
  store.addPluginLayers(host);
  Layer* l = store.layers()[0].get();
  ASSERT_EQ(l->status, LayerStatus::Failed);
  EXPECT_CONTAINS(l->error, "SIGSEGV");
  PluginWatcher watcher;
  std::string err;
  ASSERT_TRUE(watcher.watch(dir.string(), &err)) << err;
  replaceByRename(kReloadDir + "/bcmap_reload_v2.so", target);
  ASSERT_TRUE(pumpUntil(watcher, host, store, [&] { return l->status == LayerStatus::Loaded; }));
  EXPECT_EQ(l->pluginId, "reload_probe");
  EXPECT_EQ(l->table.featureCount(), 2u);
  EXPECT_FALSE(l->refused);
}

}  // namespace
}  // namespace bcmap
