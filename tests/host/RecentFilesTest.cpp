// RecentFilesTest: the recent files (recent-files.json under $XDG_STATE_HOME/bcmap): where
// the file is, saved and read back in order, most recent first without duplicates, at most
// ten, written crash-safe (the folder made, no temporary left), a damaged file ignored with
// a warning and replaced by the next save, a missing file marked so.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "host/RecentFiles.h"

namespace fs = std::filesystem;

namespace bcmap {
namespace {

using Paths = std::vector<std::string>;

class RecentFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "bcmap-recent-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    root = tmpl;
    file = (root / "state/bcmap/recent-files.json").string();
  }
  void TearDown() override { fs::remove_all(root); }
  std::string at(const std::string& rel) const { return (root / rel).string(); }

  fs::path root;
  std::string file;
};

TEST_F(RecentFilesTest, LivesInTheXdgStateFolder) {
  const char* old = std::getenv("XDG_STATE_HOME");
  const std::string saved = old ? old : "";
  setenv("XDG_STATE_HOME", at("state").c_str(), 1);
  EXPECT_EQ(recentFilesFile(), file);
  if (old) setenv("XDG_STATE_HOME", saved.c_str(), 1);
  else unsetenv("XDG_STATE_HOME");
}

TEST_F(RecentFilesTest, RoundTripMostRecentFirstOnce) {
  std::string err, warning;
  ASSERT_TRUE(addRecentFile(file, "/data/a.geojson", &err)) << err;
  ASSERT_TRUE(addRecentFile(file, "/data/b.gpkg", &err)) << err;
  ASSERT_TRUE(addRecentFile(file, "/data/x/../a.geojson", &err)) << err;  // the same file again
  EXPECT_EQ(loadRecentFiles(file, &warning), (Paths{"/data/a.geojson", "/data/b.gpkg"}));
  EXPECT_EQ(warning, "");
  // Crash-safe: only the list itself in the folder, no temporary left behind.
  size_t n = 0;
  for (const auto& e : fs::directory_iterator(fs::path(file).parent_path())) n += e.is_regular_file();
  EXPECT_EQ(n, 1u);
}

TEST_F(RecentFilesTest, KeepsTheTenMostRecent) {
  Paths list;
  for (int i = 0; i < 12; ++i) list = withRecentFile(list, "/data/f" + std::to_string(i) + ".csv");
  ASSERT_EQ(list.size(), kMaxRecentFiles);
  EXPECT_EQ(list.front(), "/data/f11.csv");
  EXPECT_EQ(list.back(), "/data/f2.csv");
  std::string err;
  ASSERT_TRUE(saveRecentFiles(file, list, &err)) << err;
  ASSERT_TRUE(addRecentFile(file, "/data/new.fgb", &err)) << err;
  const Paths back = loadRecentFiles(file, nullptr);
  ASSERT_EQ(back.size(), kMaxRecentFiles);
  EXPECT_EQ(back.front(), "/data/new.fgb");
  EXPECT_EQ(back.back(), "/data/f3.csv");
}

TEST_F(RecentFilesTest, ADamagedFileIsIgnoredWithAWarningAndReplaced) {
  fs::create_directories(fs::path(file).parent_path());
  std::ofstream(file) << "{\"files\": [\"/data/a.geojson\"";  // cut short
  std::string warning, err;
  EXPECT_TRUE(loadRecentFiles(file, &warning).empty());
  EXPECT_NE(warning.find(file), std::string::npos) << warning;
  std::ofstream(file) << "[1, 2]";  // JSON, but not the list
  EXPECT_TRUE(loadRecentFiles(file, &warning).empty());
  EXPECT_NE(warning.find("ignored"), std::string::npos) << warning;
  ASSERT_TRUE(addRecentFile(file, "/data/b.gpkg", &err)) << err;
  EXPECT_EQ(loadRecentFiles(file, &warning), Paths{"/data/b.gpkg"});
  EXPECT_EQ(warning, "");
  // Entries that are not absolute paths are skipped, not fatal.
  std::ofstream(file) << R"({"version": 1, "files": ["rel.csv", 3, "/data/c.kml"]})";
  EXPECT_EQ(loadRecentFiles(file, &warning), Paths{"/data/c.kml"});
  // No file yet: empty, no warning.
  EXPECT_TRUE(loadRecentFiles(at("none.json"), &warning).empty());
  EXPECT_EQ(warning, "");
}

TEST_F(RecentFilesTest, AMissingFileIsMarked) {
  std::ofstream(at("here.geojson")) << "{}";
  const std::vector<RecentFile> r = recentFilesWithState({at("here.geojson"), at("gone.geojson")});
  ASSERT_EQ(r.size(), 2u);
  EXPECT_TRUE(r[0].exists);
  EXPECT_FALSE(r[1].exists);
}

}  // namespace
}  // namespace bcmap
