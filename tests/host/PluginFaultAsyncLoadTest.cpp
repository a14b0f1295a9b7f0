// AsyncLoadTest: loading off the UI thread. A hanging entry function, a slow load() and a
// crash found by the probe never block the poll; their outcome arrives with the next one.
#include <gtest/gtest.h>

#include "PluginFaultTest.h"

namespace bcmap {
namespace {

using namespace plugin_fault;

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

}  // namespace
}  // namespace bcmap
