// Plugins that misbehave, and data that is wrong: every case is reported with a message that
// names the layer and the reason, and the other layers keep working. Also the machinery
// that makes that possible: the crash probe (a child process, with a cache), the folder
// checks, loading off the UI thread, and hot reload.
//
// Sections: 1. helpers  2. callbacks that throw or fail  3. crashes and hangs (the probe)
// 4. refused files  5. bad data  6. loading off the UI thread  7. hot reload  8. bcmap layers
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "host/LayerStore.h"
#include "model/Log.h"
#include "host/PluginHost.h"
#include "host/PluginProbe.h"
#include "host/PluginWatcher.h"
#include "io/Projection.h"
#include "io/VectorReader.h"

namespace fs = std::filesystem;

namespace bcmap {
namespace {

// ---- 1. helpers ---------------------------------------------------------------------------------
const std::string kFaultDir = BCMAP_FAULT_PLUGIN_DIR;
const std::string kSlowDir = BCMAP_FAULT_SLOW_PLUGIN_DIR;
const std::string kReloadDir = BCMAP_RELOAD_VARIANT_DIR;
const std::string kData = BCMAP_FAULT_DATA;

// Generous: the tests only wait this long when something is broken. Under the sanitizer
// build a probe and a load take ~100 ms.
constexpr int kWaitMs = 30000;

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
std::shared_ptr<PluginProber> testProber(const TempDir& tmp, int timeoutMs = kDefaultProbeTimeoutMs) {
  ProbeOptions o;
  o.probePath = ProbeOptions::defaultProbePath();
  o.timeoutMs = timeoutMs;
  o.cacheFile = (tmp.path / "probe-cache.tsv").string();
  return std::make_shared<PluginProber>(o);
}

// Copies `src` to `dst` the way linkers do: a new file, then a rename over the old one.
void replaceByRename(const fs::path& src, const fs::path& dst) {
  const fs::path tmp = dst.string() + ".partial";
  fs::copy_file(src, tmp, fs::copy_options::overwrite_existing);
  fs::permissions(tmp, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                           fs::perms::others_read | fs::perms::others_exec);
  fs::rename(tmp, dst);
}

Layer* byPlugin(LayerStore& store, const std::string& fileName) {
  for (auto& l : store.layers())
    if (fs::path(l->pluginPath).filename() == fileName) return l.get();
  return nullptr;
}

bool logHas(const std::string& a, const std::string& b) {
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

// ---- 2. callbacks that throw or fail ------------------------------------------------------------
TEST_F(FaultFolderTest, ThrowFromDescribeOrSettingsRefusesTheLayer) {
  for (const std::string cb : {"describe", "settings"}) {
    const std::string file = "bcmap_fault_throws_in_" + cb + ".so";
    Layer* l = byPlugin(*store, file);
    ASSERT_NE(l, nullptr) << file;
    EXPECT_EQ(l->status, LayerStatus::Failed);
    EXPECT_TRUE(l->refused);
    EXPECT_CONTAINS(l->error, file);  // the layer has no name yet: the file names it
    EXPECT_CONTAINS(l->error, cb + "() failed: planted failure in " + cb + "()");
  }
  expectOthersWork();
}

TEST_F(FaultFolderTest, ThrowFromALoadCallbackFailsTheLayerWithItsMessage) {
  const std::pair<std::string, std::string> cases[] = {
      {"update", "update(count) failed: planted failure in update()"},
      {"load", "load failed: planted failure in load()"},
      {"style", "style failed: planted failure in style()"},
      {"style_feature", "style_feature(0) failed: planted failure in style_feature()"}};
  for (const auto& [cb, message] : cases) {
    const std::string id = "throws_in_" + cb;
    Layer* l = store->find(id);
    ASSERT_NE(l, nullptr) << id;
    EXPECT_EQ(l->status, LayerStatus::Failed) << id;
    EXPECT_CONTAINS(l->error, message);
    EXPECT_EQ(l->table.featureCount(), 0u);
    EXPECT_TRUE(logHas("layer " + id + ": ", message)) << id;
  }
  expectOthersWork();
}

TEST_F(FaultFolderTest, ThrowFromLegendOrTooltipKeepsTheLayerAndSaysWhy) {
  Layer* legend = store->find("throws_in_legend");
  ASSERT_NE(legend, nullptr);
  EXPECT_EQ(legend->status, LayerStatus::Loaded) << legend->error;
  EXPECT_TRUE(legend->legend.empty());
  EXPECT_TRUE(logHas("layer throws_in_legend: ", "legend() failed: planted failure in legend()"));

  Layer* tip = store->find("throws_in_describe_feature");
  ASSERT_NE(tip, nullptr);
  ASSERT_EQ(tip->status, LayerStatus::Loaded) << tip->error;
  EXPECT_EQ(store->describeFeature(*tip, 1), "name: 乙");  // the host's own tooltip
  EXPECT_TRUE(logHas("layer throws_in_describe_feature: ",
                     "describe_feature(1) failed: planted failure in describe_feature()"));
  expectOthersWork();
}

TEST_F(FaultFolderTest, ErrorStatusFromACPluginIsShown) {
  Layer* l = store->find("error_status");
  ASSERT_NE(l, nullptr);
  EXPECT_EQ(l->status, LayerStatus::Failed);
  EXPECT_CONTAINS(l->error, "load failed: the survey server answered 503: planted error status");
  EXPECT_TRUE(logHas("layer error_status: ", "planted error status"));
  expectOthersWork();
}

TEST_F(FaultFolderTest, NanCoordinatesAreDroppedAndAnInvalidStyleFails) {
  Layer* nan = store->find("nan_coords");
  ASSERT_NE(nan, nullptr);
  ASSERT_EQ(nan->status, LayerStatus::Loaded) << nan->error;
  EXPECT_EQ(nan->table.featureCount(), 1u);
  EXPECT_TRUE(logHas("layer nan_coords: ", "NaN or infinite coordinates"));
  Layer* style = store->find("bad_style");
  ASSERT_NE(style, nullptr);
  EXPECT_EQ(style->status, LayerStatus::Failed);
  EXPECT_CONTAINS(style->error, "stroke width");
  EXPECT_TRUE(logHas("layer bad_style: ", "stroke width"));
  expectOthersWork();
}

TEST_F(FaultFolderTest, DuplicateIdIsRefusedNamingBothFiles) {
  Layer* dup = byPlugin(*store, "bcmap_fault_zz_duplicate_id.so");
  ASSERT_NE(dup, nullptr);
  EXPECT_EQ(dup->status, LayerStatus::Failed);
  EXPECT_CONTAINS(dup->error, "bcmap_fault_zz_duplicate_id.so: layer id 'test_points' is already used by "
                              "bcmap_fault_good_points.so");
  expectOthersWork();
}

// ---- 3. crashes and hangs (the probe) -------------------------------------------------------------
TEST_F(FaultFolderTest, CrashInTheEntryFunctionIsCaughtByTheProbe) {
  // Had either been loaded into this process, the test would have died in SetUp.
  Layer* segv = byPlugin(*store, "bcmap_fault_crash_entry_segv.so");
  ASSERT_NE(segv, nullptr);
  EXPECT_EQ(segv->status, LayerStatus::Failed);
  EXPECT_CONTAINS(segv->error, "bcmap_fault_crash_entry_segv.so: crashed in its entry function");
  EXPECT_CONTAINS(segv->error, "(signal 11: SIGSEGV)");
  Layer* abrt = byPlugin(*store, "bcmap_fault_crash_entry_abort.so");
  ASSERT_NE(abrt, nullptr);
  EXPECT_EQ(abrt->status, LayerStatus::Failed);
  EXPECT_CONTAINS(abrt->error, "(signal 6: SIGABRT)");
  expectOthersWork();
}

TEST(PluginProbeTest, ResultsAreRememberedBySizeAndModificationTime) {
  TempDir tmp;
  const fs::path dir = tmp.sub("plugins");
  const fs::path plugin = dir / "bcmap_good.so";
  fs::copy_file(kFaultDir + "/bcmap_fault_good_points.so", plugin);
  const fs::path crash = dir / "bcmap_crash.so";
  fs::copy_file(kFaultDir + "/bcmap_fault_crash_entry_segv.so", crash);
  {
    PluginHost host;
    host.setProber(testProber(tmp));
    host.scan({dir.string()});
    EXPECT_EQ(host.prober()->probesRun(), 2u);
    EXPECT_EQ(host.findByPath(plugin.string())->probe.outcome, ProbeOutcome::Ok);
    EXPECT_EQ(host.findByPath(plugin.string())->probe.id, "test_points");
  }
  {
    // A second start: nothing is probed again, and the crash is still known.
    PluginHost host;
    host.setProber(testProber(tmp));
    host.scan({dir.string()});
    EXPECT_EQ(host.prober()->probesRun(), 0u);
    EXPECT_EQ(host.prober()->cacheHits(), 2u);
    auto c = host.findByPath(crash.string());
    EXPECT_TRUE(c->probe.fromCache);
    EXPECT_CONTAINS(c->error, "SIGSEGV");
  }
  {
    // A rebuild (new modification time): probed again.
    fs::last_write_time(plugin, fs::last_write_time(plugin) + std::chrono::seconds(5));
    PluginHost host;
    host.setProber(testProber(tmp));
    host.scan({dir.string()});
    EXPECT_EQ(host.prober()->probesRun(), 1u);
    EXPECT_TRUE(host.findByPath(plugin.string())->ok());
  }
}

TEST(PluginProbeTest, EntryFunctionThatHangsIsStoppedAndRefused) {
  TempDir tmp;
  // The plugin sleeps 10 s; the probe gives up after 1 s and kills it.
  const ProbeResult r = runProbe(ProbeOptions::defaultProbePath(), kSlowDir + "/bcmap_fault_slow_entry.so", 1000);
  EXPECT_EQ(r.outcome, ProbeOutcome::TimedOut);
  EXPECT_EQ(r.step, "entry");
  EXPECT_CONTAINS(r.message, "did not answer within 1 s (stuck in its entry function");
}

TEST(PluginProbeTest, ProbeReportsWhatThePluginIs) {
  const ProbeResult r = runProbe(ProbeOptions::defaultProbePath(), kFaultDir + "/bcmap_fault_good_points.so", 5000);
  ASSERT_EQ(r.outcome, ProbeOutcome::Ok) << r.message;
  EXPECT_EQ(r.id, "test_points");
  EXPECT_EQ(r.nameZh, "测试点");
  EXPECT_EQ(r.version, "0.1.0");
  const ProbeResult refused = runProbe(ProbeOptions::defaultProbePath(), kFaultDir + "/bcmap_fault_throws_in_describe.so", 5000);
  EXPECT_EQ(refused.outcome, ProbeOutcome::Refused);
  EXPECT_FALSE(refused.blocksLoading());  // the host's own describe() call reports it
  EXPECT_CONTAINS(refused.message, "planted failure in describe()");
}

// ---- 4. refused files ---------------------------------------------------------------------------------
TEST(PluginFolderTest, SymlinkLeadingOutOfTheFolderIsRefused) {
  TempDir tmp;
  const fs::path elsewhere = tmp.sub("elsewhere"), dir = tmp.sub("plugins");
  fs::copy_file(kFaultDir + "/bcmap_fault_good_points.so", elsewhere / "bcmap_good.so");
  fs::create_symlink("../elsewhere/bcmap_good.so", dir / "bcmap_link.so");
  PluginHost host;
  host.setProber(testProber(tmp));
  host.scan({dir.string()});
  ASSERT_EQ(host.modules().size(), 1u);
  const PluginModule& m = *host.modules()[0];
  EXPECT_FALSE(m.ok());
  EXPECT_CONTAINS(m.error, "refused: a symlink leading out of the plugin folder " + dir.string());
  EXPECT_EQ(host.prober()->probesRun(), 0u);  // not even the probe runs its code
  LayerStore store(BCMAP_GEODATA);
  store.addPluginLayers(host);
  EXPECT_CONTAINS(store.layers()[0]->error, "bcmap_link.so: refused: a symlink");
}

TEST(PluginFolderTest, SymlinkWithinTheFolderIsFine) {
  TempDir tmp;
  const fs::path dir = tmp.sub("plugins");
  fs::copy_file(kFaultDir + "/bcmap_fault_good_points.so", dir / "bcmap_good.so.1");
  fs::create_symlink("bcmap_good.so.1", dir / "bcmap_good.so");
  PluginHost host;
  host.setProber(testProber(tmp));
  host.scan({dir.string()});
  ASSERT_EQ(host.modules().size(), 1u);
  EXPECT_TRUE(host.modules()[0]->ok()) << host.modules()[0]->error;
}

TEST(PluginFolderTest, PluginWritableByOthersIsRefused) {
  TempDir tmp;
  const fs::path dir = tmp.sub("plugins");
  fs::copy_file(kFaultDir + "/bcmap_fault_good_points.so", dir / "bcmap_good.so");
  fs::permissions(dir / "bcmap_good.so", fs::perms::others_write, fs::perm_options::add);
  PluginHost host;
  host.setProber(testProber(tmp));
  host.scan({dir.string()});
  ASSERT_EQ(host.modules().size(), 1u);
  EXPECT_CONTAINS(host.modules()[0]->error, "refused: writable by other users (mode 07");
  EXPECT_EQ(host.prober()->probesRun(), 0u);
  // Mode bits decide, whoever runs the test (root included).
  fs::permissions(dir / "bcmap_good.so", fs::perms::others_write, fs::perm_options::remove);
  PluginHost again;
  again.setProber(testProber(tmp));
  again.scan({dir.string()});
  EXPECT_TRUE(again.modules()[0]->ok()) << again.modules()[0]->error;
}

TEST(PluginFolderTest, PluginInAFolderWritableByOthersIsRefused) {
  TempDir tmp;
  const fs::path dir = tmp.sub("plugins");
  fs::copy_file(kFaultDir + "/bcmap_fault_good_points.so", dir / "bcmap_good.so");
  fs::permissions(dir, fs::perms::others_write, fs::perm_options::add);
  PluginHost host;
  host.setProber(testProber(tmp));
  host.scan({dir.string()});
  ASSERT_EQ(host.modules().size(), 1u);
  EXPECT_CONTAINS(host.modules()[0]->error, "refused: its folder " + dir.string() + " is writable by other users");
  EXPECT_EQ(host.prober()->probesRun(), 0u);
}

// ---- 5. bad data ------------------------------------------------------------------------------------------
class DataFaultTest : public FaultFolderTest {
 protected:
  Layer& reader() { return *store->find("data_reader"); }
  // Sets the settings (no load in between) and loads once.
  void loadWith(const std::vector<std::pair<std::string, std::string>>& values) {
    Layer& l = reader();
    for (const auto& [k, v] : values)
      for (LayerSetting& s : l.settings)
        if (s.key == k) s.value = v;
    store->load(l);
  }
};

TEST_F(DataFaultTest, GoodFileLoads) {
  loadWith({{"path", kData + "/points.geojson"}, {"start_field", "opened"}});
  ASSERT_EQ(reader().status, LayerStatus::Loaded) << reader().error;
  EXPECT_EQ(reader().table.featureCount(), 2u);
  EXPECT_EQ(formatDate(reader().table.startDay[1]), "2018-06-01");
}

TEST_F(DataFaultTest, MissingFile) {
  loadWith({{"path", kData + "/no_such_file.geojson"}});
  EXPECT_EQ(reader().status, LayerStatus::Failed);
  EXPECT_CONTAINS(reader().error, kData + "/no_such_file.geojson");
  EXPECT_TRUE(logHas("layer data_reader: ", "no_such_file.geojson"));
  expectOthersWork();
}

TEST_F(DataFaultTest, WrongGeometryTypeForTheLayer) {
  loadWith({{"path", kData + "/polygon.geojson"}, {"kind", "point"}});
  EXPECT_EQ(reader().status, LayerStatus::Failed);
  EXPECT_CONTAINS(reader().error, "polygon.geojson");
  EXPECT_CONTAINS(reader().error, "point");
  EXPECT_TRUE(logHas("layer data_reader: ", "polygon.geojson"));
  // The same file is fine for a polygon layer.
  loadWith({{"kind", "polygon"}});
  EXPECT_EQ(reader().status, LayerStatus::Loaded) << reader().error;
  expectOthersWork();
}

TEST_F(DataFaultTest, MappedFieldThatIsMissing) {
  loadWith({{"path", kData + "/points.geojson"}, {"name_field", "village_name"}});
  EXPECT_EQ(reader().status, LayerStatus::Failed);
  EXPECT_CONTAINS(reader().error, "points.geojson");
  EXPECT_CONTAINS(reader().error, "village_name");
  EXPECT_TRUE(logHas("layer data_reader: ", "village_name"));
  expectOthersWork();
}

TEST_F(DataFaultTest, DatesThatDoNotParse) {
  loadWith({{"path", kData + "/bad_dates.geojson"}, {"start_field", "opened"}});
  EXPECT_EQ(reader().status, LayerStatus::Failed);
  EXPECT_CONTAINS(reader().error, "bad_dates.geojson");
  EXPECT_CONTAINS(reader().error, "unparseable date in field 'opened'");
  EXPECT_CONTAINS(reader().error, "sometime in 2018");
  EXPECT_TRUE(logHas("layer data_reader: ", "unparseable date"));
  expectOthersWork();
}

// ---- 6. loading off the UI thread ------------------------------------------------------------------------
TEST(AsyncLoadTest, HangingEntryFunctionNeverBlocksThePoll) {
  initGdal();
  TempDir tmp;
  PluginHost host;
  host.setProber(testProber(tmp, 1000));
  LayerStore store(BCMAP_GEODATA);
  Layer& slow = store.addPluginAsync(host, kSlowDir + "/bcmap_fault_slow_entry.so");
  Layer& good = store.addPluginAsync(host, kFaultDir + "/bcmap_fault_good_points.so");
  // The probe of the slow plugin takes its full second: now, it is certainly still out.
  EXPECT_EQ(slow.status, LayerStatus::Loading);
  store.pollLoaded();
  EXPECT_EQ(slow.status, LayerStatus::Loading);
  EXPECT_STREQ(layerStatusName(slow.status), "loading");
  ASSERT_TRUE(store.waitIdle(kWaitMs));
  EXPECT_EQ(slow.status, LayerStatus::Failed);
  EXPECT_CONTAINS(slow.error, "bcmap_fault_slow_entry.so: did not answer within 1 s (stuck in its entry function");
  EXPECT_EQ(good.status, LayerStatus::Loaded) << good.error;
  EXPECT_EQ(good.id, "test_points");
}

TEST(AsyncLoadTest, SlowLoadRunsOnALoaderThread) {
  initGdal();
  TempDir tmp;
  PluginHost host;
  host.setProber(testProber(tmp));
  LayerStore store(BCMAP_GEODATA);
  Layer& slow = store.addPluginAsync(host, kSlowDir + "/bcmap_fault_slow_load.so",
                                     [](const Layer&) { return false; });  // opened, not loaded yet
  ASSERT_TRUE(store.waitIdle(kWaitMs));
  ASSERT_EQ(slow.id, "slow_load");
  ASSERT_EQ(slow.status, LayerStatus::Pending) << slow.error;
  store.pollLoaded();  // what the open changed
  for (LayerSetting& s : slow.settings)
    if (s.key == "sleep_ms") s.value = "1500";
  store.loadAsync(slow);
  // Whatever the UI thread asks now is answered at once, without the plugin.
  EXPECT_TRUE(store.pollLoaded().empty());
  EXPECT_EQ(slow.status, LayerStatus::Loading);
  EXPECT_EQ(slow.work, LayerWork::Loading);
  std::string err;
  EXPECT_TRUE(store.setSetting(slow, "sleep_ms", "0", &err)) << err;  // kept for the next load
  EXPECT_TRUE(store.loading());
  ASSERT_TRUE(store.waitIdle(kWaitMs));
  EXPECT_EQ(slow.status, LayerStatus::Loaded) << slow.error;
  EXPECT_EQ(slow.table.featureCount(), 1u);
  EXPECT_FALSE(slow.busy());
}

TEST(AsyncLoadTest, CrashFoundOffThreadIsTheLayersReason) {
  TempDir tmp;
  PluginHost host;
  host.setProber(testProber(tmp));
  LayerStore store(BCMAP_GEODATA);
  Layer& l = store.addPluginAsync(host, kFaultDir + "/bcmap_fault_crash_entry_abort.so");
  ASSERT_TRUE(store.waitIdle(kWaitMs));
  EXPECT_EQ(l.status, LayerStatus::Failed);
  EXPECT_CONTAINS(l.error, "bcmap_fault_crash_entry_abort.so: crashed in its entry function");
  EXPECT_CONTAINS(l.error, "SIGABRT");
}

// ---- 7. hot reload --------------------------------------------------------------------------------------
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
  EXPECT_CONTAINS(l->reloadError, "reload of bcmap_reload_probe.so failed: load failed: planted failure in load() "
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

TEST(PluginWatcherTest, ReportsOnceAfterQuietAndIgnoresOtherFiles) {
  TempDir tmp;
  const fs::path dir = tmp.sub("plugins");
  PluginWatcher watcher(50);
  std::string err;
  ASSERT_TRUE(watcher.watch(dir.string(), &err)) << err;
  EXPECT_EQ(watcher.msUntilDue(), -1);
  std::ofstream(dir / "notes.txt") << "not a plugin";
  replaceByRename(kFaultDir + "/bcmap_fault_good_points.so", dir / "bcmap_a.so");
  std::vector<std::string> got;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kWaitMs);
  while (got.empty() && std::chrono::steady_clock::now() < deadline) {
    got = watcher.poll();
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_EQ(got, std::vector<std::string>{(dir / "bcmap_a.so").string()});
  // Nothing changed since: nothing more to report, even after the quiet time.
  std::this_thread::sleep_for(std::chrono::milliseconds(120));
  EXPECT_TRUE(watcher.poll().empty());
  EXPECT_FALSE(PluginWatcher().watch((tmp.path / "absent").string(), &err));
  EXPECT_CONTAINS(err, "absent");
}

TEST(PluginWatcherTest, WakesASleepingLoopWhenAChangeIsDue) {
  TempDir tmp;
  const fs::path dir = tmp.sub("plugins");
  PluginWatcher watcher(50);
  std::string err;
  ASSERT_TRUE(watcher.watch(dir.string(), &err)) << err;
  std::mutex m;
  std::condition_variable cv;
  int wakes = 0;
  watcher.startWaking([&] {
    std::lock_guard lock(m);
    ++wakes;
    cv.notify_all();
  });
  replaceByRename(kFaultDir + "/bcmap_fault_good_points.so", dir / "bcmap_b.so");
  {
    // The loop sleeps until woken, as the viewer does in glfwWaitEvents().
    std::unique_lock lock(m);
    ASSERT_TRUE(cv.wait_for(lock, std::chrono::milliseconds(kWaitMs), [&] { return wakes > 0; }));
  }
  EXPECT_EQ(watcher.poll(), std::vector<std::string>{(dir / "bcmap_b.so").string()});
  EXPECT_EQ(watcher.msUntilDue(), -1);
}

// ---- 8. bcmap layers --------------------------------------------------------------------------------------
TEST(CliFaultTest, BcmapLayersReportsTheCrashes) {
  TempDir tmp;
  const std::string cmd = "BCMAP_CACHE_DIR=" + tmp.path.string() + " " + BCMAP_EXE + " layers --plugins " +
                          kFaultDir + " 2>/dev/null";
  FILE* p = popen(cmd.c_str(), "r");
  ASSERT_NE(p, nullptr);
  std::string out;
  char buf[4096];
  for (size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
  EXPECT_EQ(pclose(p), 0) << out;
  EXPECT_CONTAINS(out, "bcmap_fault_crash_entry_segv.so: crashed in its entry function bcmap_plugin_entry_v1 "
                       "(signal 11: SIGSEGV); not loaded");
  EXPECT_CONTAINS(out, "bcmap_fault_crash_entry_abort.so: crashed in its entry function bcmap_plugin_entry_v1 "
                       "(signal 6: SIGABRT); not loaded");
  EXPECT_CONTAINS(out, "planted failure in load()");
  EXPECT_NE(out.find("test_points"), std::string::npos);
}

}  // namespace
}  // namespace bcmap
