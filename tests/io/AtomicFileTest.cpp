// io/AtomicFile: a small file written through a temporary file, synced and renamed, so a
// crash mid-write leaves the old file or the new one, never a part.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "io/AtomicFile.h"

namespace bcmap {
namespace {

namespace fs = std::filesystem;

struct AtomicFileTest : ::testing::Test {
  fs::path dir = fs::temp_directory_path() / ("bcmap-atomic-" + std::to_string(::getpid()));
  void SetUp() override { fs::remove_all(dir); }
  void TearDown() override {
    std::error_code ec;
    fs::permissions(dir, fs::perms::owner_all, ec);
    fs::remove_all(dir, ec);
  }
  static std::string read(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  size_t entries() const { return static_cast<size_t>(std::distance(fs::directory_iterator(dir), fs::directory_iterator())); }
};

TEST_F(AtomicFileTest, WritesReplacesAndLeavesOnlyTheFile) {
  const fs::path file = dir / "state" / "list.json";  // the folder is made
  std::string why;
  ASSERT_TRUE(writeFileAtomically(file.string(), "first\n", &why)) << why;
  EXPECT_EQ(read(file), "first\n");
  ASSERT_TRUE(writeFileAtomically(file.string(), std::string(100000, 'x'), &why)) << why;
  EXPECT_EQ(read(file), std::string(100000, 'x'));
  EXPECT_EQ(std::distance(fs::directory_iterator(file.parent_path()), fs::directory_iterator()), 1)
      << "no temporary file stays beside it";
}

TEST_F(AtomicFileTest, AFileWhereTheFolderShouldBeIsRefused) {
  fs::create_directories(dir);
  std::ofstream(dir / "plain") << "a file, not a folder";
  std::string why;
  EXPECT_FALSE(writeFileAtomically((dir / "plain" / "list.json").string(), "x", &why));
  EXPECT_NE(why.find("folder"), std::string::npos) << why;
  EXPECT_EQ(read(dir / "plain"), "a file, not a folder");
}

TEST_F(AtomicFileTest, AFolderInTheWayIsRefusedAndKept) {
  const fs::path file = dir / "taken";
  fs::create_directories(file / "inside");
  std::string why;
  EXPECT_FALSE(writeFileAtomically(file.string(), "x", &why));
  EXPECT_NE(why.find("rename"), std::string::npos) << why;
  EXPECT_TRUE(fs::is_directory(file / "inside"));
  EXPECT_EQ(entries(), 1u) << "the temporary file is removed";
}

}  // namespace
}  // namespace bcmap
