// PluginProbeTest: the crash probe, the child process that opens a new plugin first: what
// it reports, a hanging entry function stopped, results remembered by size and time.
#include <gtest/gtest.h>

#include <chrono>

#include "PluginFaultTest.h"

namespace bcmap {
namespace {

using namespace plugin_fault;

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

}  // namespace
}  // namespace bcmap
