// PluginWatcherFoldersTest: the plugin watcher with a real inotify in a scratch folder:
// a search folder made after watching began (one level at a time, and by one mkdir -p with
// the plugin copied in at once), folder plugins NAME/ (replaced by rename, a data file
// changed, a new one copied in), and a search folder deleted and made again. The "plugins"
// here are bytes: the watcher never opens them.
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "host/PluginWatcher.h"

namespace fs = std::filesystem;

namespace bcmap {
namespace {

// Short, so the tests are quick; the waits are long, and only reached when broken.
constexpr int kQuietMs = 40;
constexpr int kWaitMs = 10000;

using Paths = std::vector<std::string>;

class PluginWatcherFoldersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "bcmap-watch-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    root = tmpl;
  }
  void TearDown() override { fs::remove_all(root); }

  std::string at(const std::string& rel) const { return (root / rel).string(); }

  static void write(const fs::path& p, const std::string& bytes) { std::ofstream(p, std::ios::binary) << bytes; }
  // A new file, then a rename over the old one (linkers, `cmake --install`).
  static void replaceByRename(const fs::path& p, const std::string& bytes) {
    write(p.string() + ".partial", bytes);
    fs::rename(p.string() + ".partial", p);
  }

  // What the watcher reports, polled until something is due (or the wait runs out), then
  // until it has been quiet for three quiet times: on a loaded machine a file's creation
  // and the close of its last write can fall into two debounce windows, and the same path
  // comes twice (harmless: the host reloads what is already loaded). Each path once.
  Paths waitForReport() {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kWaitMs);
    Paths all;
    while (std::chrono::steady_clock::now() < deadline) {
      if (Paths got = watcher.poll(); !got.empty()) {
        all.insert(all.end(), got.begin(), got.end());
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    if (all.empty()) return all;
    for (auto quietSince = std::chrono::steady_clock::now();
         std::chrono::steady_clock::now() - quietSince < std::chrono::milliseconds(3 * kQuietMs);) {
      if (Paths got = watcher.poll(); !got.empty()) {
        all.insert(all.end(), got.begin(), got.end());
        quietSince = std::chrono::steady_clock::now();
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    std::sort(all.begin(), all.end());
    all.erase(std::unique(all.begin(), all.end()), all.end());
    return all;
  }
  // Nothing is reported after the quiet time has passed twice over.
  void expectQuiet() {
    std::this_thread::sleep_for(std::chrono::milliseconds(3 * kQuietMs));
    EXPECT_EQ(watcher.poll(), Paths{});
  }

  fs::path root;
  PluginWatcher watcher{kQuietMs};
};

TEST_F(PluginWatcherFoldersTest, AFolderMadeLevelByLevelAfterWatchingBeganIsWatched) {
  const std::string user = at("xdg/bcmap/plugins");
  std::string err;
  ASSERT_TRUE(watcher.watch(user, &err)) << err;
  EXPECT_EQ(watcher.watchedFolders(), Paths{root.string()});  // the nearest existing ancestor
  for (const char* level : {"xdg", "xdg/bcmap", "xdg/bcmap/plugins"}) {
    fs::create_directory(root / level);
    // Each level is picked up from its event before the next is made.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kWaitMs);
    while (watcher.watchedFolders().back() != at(level) && std::chrono::steady_clock::now() < deadline) {
      EXPECT_EQ(watcher.poll(), Paths{});
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    EXPECT_EQ(watcher.watchedFolders().back(), at(level));
  }
  EXPECT_EQ(watcher.watchedFolders(), Paths{user});
  write(user + "/bcmap_a.so", "a");
  EXPECT_EQ(waitForReport(), Paths{user + "/bcmap_a.so"});
  expectQuiet();
}

TEST_F(PluginWatcherFoldersTest, OneMkdirPWithAPluginCopiedInAtOnceIsPickedUp) {
  const std::string user = at("xdg/bcmap/plugins");
  std::string err;
  ASSERT_TRUE(watcher.watch(user, &err)) << err;
  // The whole chain and the plugin before the watcher reads a single event: the events of
  // the deeper levels were sent before those levels were watched.
  fs::create_directories(user + "/bcmap_b");
  write(user + "/bcmap_a.so", "a");
  write(user + "/bcmap_b/plugin.json", "{\"id\": \"b\"}");
  write(user + "/bcmap_b/bcmap_b.so", "b");
  EXPECT_EQ(waitForReport(), (Paths{user + "/bcmap_a.so", user + "/bcmap_b/bcmap_b.so"}));
  expectQuiet();
  // The ancestors were only watched while the folder was missing.
  EXPECT_EQ(watcher.watchedFolders(), (Paths{user, user + "/bcmap_b"}));
}

TEST_F(PluginWatcherFoldersTest, AFolderPluginReplacedByRenameIsReportedAsItsLibrary) {
  const std::string dir = at("plugins");
  fs::create_directories(dir + "/bcmap_c");
  write(dir + "/bcmap_c/bcmap_c.so", "c1");
  write(dir + "/bcmap_c/plugin.json", "{}");
  write(dir + "/bcmap_c/villages.geojson", "{}");
  std::string err;
  ASSERT_TRUE(watcher.watch(dir, &err)) << err;
  expectQuiet();  // what was there when watching began is not a change

  replaceByRename(dir + "/bcmap_c/bcmap_c.so", "c2");
  EXPECT_EQ(waitForReport(), Paths{dir + "/bcmap_c/bcmap_c.so"});
  // Its data is part of the plugin: a change there reloads it too.
  write(dir + "/bcmap_c/villages.geojson", "{\"type\": \"FeatureCollection\"}");
  EXPECT_EQ(waitForReport(), Paths{dir + "/bcmap_c/bcmap_c.so"});
  expectQuiet();
}

TEST_F(PluginWatcherFoldersTest, ANewFolderPluginIsReportedOnceItsLibraryIsThere) {
  const std::string dir = at("plugins");
  fs::create_directories(dir);
  std::string err;
  ASSERT_TRUE(watcher.watch(dir, &err)) << err;
  fs::create_directory(dir + "/bcmap_d");
  write(dir + "/bcmap_d/plugin.json", "{}");
  write(dir + "/bcmap_d/data.csv", "x");
  expectQuiet();  // no library yet: nothing to load
  write(dir + "/bcmap_d/bcmap_d.so", "d");
  EXPECT_EQ(waitForReport(), Paths{dir + "/bcmap_d/bcmap_d.so"});
  // A folder two levels down is not a plugin's: one level is searched.
  fs::create_directories(dir + "/bcmap_d/sub");
  write(dir + "/bcmap_d/sub/bcmap_e.so", "e");
  expectQuiet();
  // Files beside plugins that are not libraries are not plugins.
  write(dir + "/README.txt", "r");
  expectQuiet();
}

TEST_F(PluginWatcherFoldersTest, ASearchFolderDeletedAndMadeAgainIsWatchedAgain) {
  const std::string dir = at("share/plugins");
  fs::create_directories(dir);
  std::string err;
  ASSERT_TRUE(watcher.watch(dir, &err)) << err;
  fs::remove_all(at("share"));
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kWaitMs);
  while (watcher.watchedFolders() != Paths{root.string()} && std::chrono::steady_clock::now() < deadline) {
    watcher.poll();
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  EXPECT_EQ(watcher.watchedFolders(), Paths{root.string()});
  fs::create_directories(dir);
  write(dir + "/bcmap_f.so", "f");
  EXPECT_EQ(waitForReport(), Paths{dir + "/bcmap_f.so"});
}

TEST_F(PluginWatcherFoldersTest, AFileCannotBeWatched) {
  write(root / "file", "x");
  std::string err;
  EXPECT_FALSE(watcher.watch(at("file"), &err));
  EXPECT_NE(err.find("not a folder"), std::string::npos) << err;
}

}  // namespace
}  // namespace bcmap
