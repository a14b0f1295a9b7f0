// PluginWatcherTest: the plugin folder watcher reports a changed plugin once, after a quiet
// time, ignores other files, and wakes a sleeping loop when a change is due.
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <fstream>
#include <mutex>
#include <thread>
#include <vector>

#include "PluginFaultTest.h"
#include "host/PluginWatcher.h"

namespace bcmap {
namespace {

using namespace plugin_fault;

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
  // A missing folder is waited for (PluginWatcherFoldersTest); a file cannot be watched.
  EXPECT_FALSE(PluginWatcher().watch((dir / "notes.txt").string(), &err));
  EXPECT_CONTAINS(err, "notes.txt");
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

}  // namespace
}  // namespace bcmap
