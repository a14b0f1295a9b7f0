#include "io/FileChangeWatcher.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

namespace bcmap {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

class FileChangeWatcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("bcmap-fcw-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    a_ = (dir_ / "a.geojson").string();
    b_ = (dir_ / "b.geojson").string();
    std::ofstream(a_) << "one";
    std::ofstream(b_) << "two";
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
  std::string a_, b_;
};

TEST_F(FileChangeWatcherTest, ReportsAChangeOnceAfterItSettles) {
  FileChangeWatcher w;
  w.setFiles({a_, b_});
  auto t = std::chrono::steady_clock::now();
  EXPECT_TRUE(w.poll(t + 1s).empty()) << "nothing changed yet";
  std::ofstream(a_, std::ios::trunc) << "one, longer now";
  EXPECT_TRUE(w.poll(t + 2s).empty()) << "just changed: not settled";
  EXPECT_TRUE(w.poll(t + 2s + 100ms).empty()) << "still within the settle time";
  EXPECT_EQ(w.poll(t + 3s), std::vector<std::string>{a_});
  EXPECT_TRUE(w.poll(t + 4s).empty()) << "reported once";
}

TEST_F(FileChangeWatcherTest, ARenameOverTheFileAndADeletionAreChanges) {
  FileChangeWatcher w;
  w.setFiles({a_, b_});
  auto t = std::chrono::steady_clock::now();
  const std::string tmp = (dir_ / "a.tmp").string();
  std::ofstream(tmp) << "replacement with another size";
  fs::rename(tmp, a_);
  fs::remove(b_);
  w.poll(t + 1s);
  auto changed = w.poll(t + 2s);
  std::sort(changed.begin(), changed.end());
  EXPECT_EQ(changed, (std::vector<std::string>{a_, b_}));
}

TEST_F(FileChangeWatcherTest, ResettingTheListKeepsWhatWasSeen) {
  FileChangeWatcher w;
  w.setFiles({a_});
  auto t = std::chrono::steady_clock::now();
  std::ofstream(a_, std::ios::trunc) << "changed contents";
  w.setFiles({a_, b_});  // same file again: its last-seen state stays, so the change shows
  w.poll(t + 1s);
  EXPECT_EQ(w.poll(t + 2s), std::vector<std::string>{a_});
}

}  // namespace
}  // namespace bcmap
