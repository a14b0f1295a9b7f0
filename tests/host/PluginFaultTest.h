// What the plugin fault tests share: the fixture folders, a private temporary folder, a
// probe with its own cache, file replacement the way linkers do it, log lookups, and the
// fault folder opened the way `bcmap layers` opens it.
//
// Plugins that misbehave, and data that is wrong: every case is reported with a message
// that names the layer and the reason, and the other layers keep working. One executable
// (PluginFaultTest), one file a suite:
//   PluginFaultFolderTest.cpp       FaultFolderTest: callbacks that throw or fail, crashes in
//                                   the entry function
//   PluginFaultProbeTest.cpp        PluginProbeTest: the crash probe and its cache
//   PluginFaultRefusedFileTest.cpp  PluginFolderTest: files refused before their code runs
//   PluginFaultDataTest.cpp         DataFaultTest: bad data
//   PluginFaultAsyncLoadTest.cpp    AsyncLoadTest: loading off the UI thread
//   PluginFaultHotReloadTest.cpp    HotReloadTest: hot reload
//   PluginFaultWatcherTest.cpp      PluginWatcherTest: the folder watcher
//   PluginFaultCliTest.cpp          CliFaultTest: `bcmap layers`
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "host/LayerStore.h"
#include "host/PluginHost.h"
#include "host/PluginProbe.h"
#include "io/Projection.h"
#include "io/VectorReader.h"
#include "model/Log.h"

namespace bcmap::plugin_fault {

namespace fs = std::filesystem;

inline const std::string kFaultDir = BCMAP_FAULT_PLUGIN_DIR;
inline const std::string kSlowDir = BCMAP_FAULT_SLOW_PLUGIN_DIR;
inline const std::string kReloadDir = BCMAP_RELOAD_VARIANT_DIR;
inline const std::string kData = BCMAP_FAULT_DATA;

// Generous: the tests only wait this long when something is broken. Under the sanitizer
// build a probe and a load take ~100 ms.
inline constexpr int kWaitMs = 30000;

// A private folder (mode 0700, so the world-writable checks pass), removed afterwards.
struct TempDir {
  fs::path path;
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "bcmap-fault-XXXXXX").string();
    if (mkdtemp(tmpl.data())) path = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    fs::permissions(path, fs::perms::owner_all, ec);
    fs::remove_all(path, ec);
  }
  fs::path sub(const std::string& name) const {
    fs::create_directories(path / name);
    fs::permissions(path / name, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                     fs::perms::others_read | fs::perms::others_exec);
    return path / name;
  }
};

// A probe with a private cache, so what one test remembers does not change another.
inline std::shared_ptr<PluginProber> testProber(const TempDir& tmp, int timeoutMs = kDefaultProbeTimeoutMs) {
  ProbeOptions o;
  o.probePath = ProbeOptions::defaultProbePath();
  o.timeoutMs = timeoutMs;
  o.cacheFile = (tmp.path / "probe-cache.tsv").string();
  return std::make_shared<PluginProber>(o);
}

// Copies `src` to `dst` the way linkers do: a new file, then a rename over the old one.
inline void replaceByRename(const fs::path& src, const fs::path& dst) {
  const fs::path tmp = dst.string() + ".partial";
  fs::copy_file(src, tmp, fs::copy_options::overwrite_existing);
  fs::permissions(tmp, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                           fs::perms::others_read | fs::perms::others_exec);
  fs::rename(tmp, dst);
}

inline Layer* byPlugin(LayerStore& store, const std::string& fileName) {
  for (auto& l : store.layers())
    if (fs::path(l->pluginPath).filename() == fileName) return l.get();
  return nullptr;
}

inline bool logHas(const std::string& a, const std::string& b) {
  const auto log = logSnapshot();
  return std::any_of(log.begin(), log.end(), [&](const LogEntry& e) {
    return e.message.find(a) != std::string::npos && e.message.find(b) != std::string::npos;
  });
}

#define EXPECT_CONTAINS(haystack, needle) \
  EXPECT_NE(std::string(haystack).find(needle), std::string::npos) << "expected \"" << (needle) << "\" in: " << (haystack)

// The fault folder opened and loaded the way `bcmap layers` does it.
class FaultFolderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    initGdal();
    initProj();
    host.setProber(testProber(tmp));
    host.scan({kFaultDir});
    store = std::make_unique<LayerStore>(BCMAP_GEODATA);
    store->addPluginLayers(host);
    store->loadAll();
  }
  void expectOthersWork() {
    Layer* good = store->find("test_points");
    ASSERT_NE(good, nullptr);
    EXPECT_EQ(good->status, LayerStatus::Loaded) << good->error;
    EXPECT_EQ(good->table.featureCount(), 3u);
  }
  TempDir tmp;
  PluginHost host;
  std::unique_ptr<LayerStore> store;
};

}  // namespace bcmap::plugin_fault
