// Where bcmap finds its plugins, probe and data: beside the executable, in an installed
// prefix (moved or not), in the build tree above a test executable; each laid out in a
// scratch folder.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "host/InstallLayout.h"
#include "host/PluginHost.h"
#include "host/PluginProbe.h"

namespace fs = std::filesystem;

namespace bcmap {
namespace {

class InstallLayoutTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "bcmap-layout-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    root = tmpl;
    env.xdgDataHome = (root / "xdg").string();
    env.home = (root / "home").string();
  }
  void TearDown() override { fs::remove_all(root); }

  static void touch(const fs::path& p, bool executable = false) {
    fs::create_directories(p.parent_path());
    std::ofstream(p) << "#!/bin/sh\n";
    chmod(p.c_str(), executable ? 0755 : 0644);
  }
  // A build folder as CMake makes it: the marker, bcmap, bcmap-probe, plugins/, geodata/.
  static void makeBuildTree(const fs::path& b) {
    touch(b / kBuildTreeMarker);
    touch(b / "bcmap", true);
    touch(b / "bcmap-probe", true);
    fs::create_directories(b / "plugins");
    fs::create_directories(b / "geodata");
  }
  // An installed prefix: bin/bcmap, libexec/bcmap/bcmap-probe, lib/bcmap/plugins/.
  static void makePrefix(const fs::path& p) {
    touch(p / "bin" / "bcmap", true);
    touch(p / kInstalledProbeSubdir / "bcmap-probe", true);
    fs::create_directories(p / kInstalledPluginSubdir);
  }

  fs::path root;
  LayoutEnvironment env;
};

TEST_F(InstallLayoutTest, BuildTreeFindsEverythingBesideTheExecutable) {
  const fs::path b = root / "build";
  makeBuildTree(b);
  const InstallLayout l = installLayoutFor(b / "bcmap", env);
  EXPECT_EQ(l.kind, InstallLayout::Kind::BesideExecutable);
  EXPECT_EQ(l.pluginDir, (b / "plugins").string());
  EXPECT_EQ(l.probePath, (b / "bcmap-probe").string());
  EXPECT_EQ(l.dataDir, (b / "geodata").string());
}

TEST_F(InstallLayoutTest, TestExecutablesFindTheBuildTreeAboveThem) {
  const fs::path b = root / "build";
  makeBuildTree(b);
  const InstallLayout l = installLayoutFor(b / "tests" / "host" / "SomeTest", env);
  EXPECT_EQ(l.kind, InstallLayout::Kind::BuildTree);
  EXPECT_EQ(l.pluginDir, (b / "plugins").string());
  EXPECT_EQ(l.probePath, (b / "bcmap-probe").string());
  EXPECT_EQ(l.dataDir, (b / "geodata").string());
}

TEST_F(InstallLayoutTest, PrivateCopyUsesItsOwnPluginsAndTheBuildTreesData) {
  // The viewer tests' copy of bcmap: its own plugins/ and probe, the build's data.
  const fs::path b = root / "build";
  makeBuildTree(b);
  const fs::path bin = b / "tests" / "ui" / "case" / "bin";
  touch(bin / "bcmap", true);
  touch(bin / "bcmap-probe", true);
  fs::create_directories(bin / "plugins");
  const InstallLayout l = installLayoutFor(bin / "bcmap", env);
  EXPECT_EQ(l.kind, InstallLayout::Kind::BesideExecutable);
  EXPECT_EQ(l.pluginDir, (bin / "plugins").string());
  EXPECT_EQ(l.probePath, (bin / "bcmap-probe").string());
  EXPECT_EQ(l.dataDir, (b / "geodata").string());
}

TEST_F(InstallLayoutTest, InstalledPrefixUsesLibLibexecAndTheUsersDataFolder) {
  const fs::path p = root / "usr";
  makePrefix(p);
  const InstallLayout l = installLayoutFor(p / "bin" / "bcmap", env);
  EXPECT_EQ(l.kind, InstallLayout::Kind::Installed);
  EXPECT_EQ(l.pluginDir, (p / kInstalledPluginSubdir).string());
  EXPECT_EQ(l.probePath, (p / kInstalledProbeSubdir / "bcmap-probe").string());
  EXPECT_EQ(l.dataDir, (root / "xdg" / "bcmap").string());
}

TEST_F(InstallLayoutTest, MovedPrefixStillFindsItsParts) {
  const fs::path before = root / "opt" / "bcmap";
  makePrefix(before);
  ASSERT_EQ(installLayoutFor(before / "bin" / "bcmap", env).pluginDir, (before / kInstalledPluginSubdir).string());
  const fs::path after = root / "elsewhere" / "bcmap-2";
  fs::create_directories(after.parent_path());
  fs::rename(before, after);
  const InstallLayout l = installLayoutFor(after / "bin" / "bcmap", env);
  EXPECT_EQ(l.pluginDir, (after / kInstalledPluginSubdir).string());
  EXPECT_EQ(l.probePath, (after / kInstalledProbeSubdir / "bcmap-probe").string());
}

TEST_F(InstallLayoutTest, PrefixInstalledInsideABuildTreeIgnoresTheBuildTree) {
  const fs::path b = root / "build";
  makeBuildTree(b);
  const fs::path p = b / "stage";
  makePrefix(p);
  const InstallLayout l = installLayoutFor(p / "bin" / "bcmap", env);
  EXPECT_EQ(l.kind, InstallLayout::Kind::Installed);
  EXPECT_EQ(l.pluginDir, (p / kInstalledPluginSubdir).string());
  EXPECT_EQ(l.probePath, (p / kInstalledProbeSubdir / "bcmap-probe").string());
  EXPECT_EQ(l.dataDir, (root / "xdg" / "bcmap").string());
}

TEST_F(InstallLayoutTest, NothingFoundReportsTheInstalledPlacesAndNoProbe) {
  const InstallLayout l = installLayoutFor(root / "loose" / "bcmap", env);
  EXPECT_EQ(l.kind, InstallLayout::Kind::Installed);
  EXPECT_EQ(l.pluginDir, (root / kInstalledPluginSubdir).string());
  EXPECT_EQ(l.probePath, "");
  EXPECT_EQ(l.dataDir, (root / "xdg" / "bcmap").string());
}

TEST_F(InstallLayoutTest, ProbeThatIsNotExecutableIsNotUsed) {
  const fs::path p = root / "usr";
  makePrefix(p);
  chmod((p / kInstalledProbeSubdir / "bcmap-probe").c_str(), 0644);
  EXPECT_EQ(installLayoutFor(p / "bin" / "bcmap", env).probePath, "");
}

TEST_F(InstallLayoutTest, DataDirFromTheEnvironmentWins) {
  const fs::path b = root / "build";
  makeBuildTree(b);
  env.dataDir = "/somewhere/else";
  EXPECT_EQ(installLayoutFor(b / "bcmap", env).dataDir, "/somewhere/else");
}

TEST_F(InstallLayoutTest, UserDataDirFollowsXdg) {
  EXPECT_EQ(userDataDir({"", "/x/data", "/home/u"}), "/x/data/bcmap");
  // A relative XDG_DATA_HOME is invalid (the XDG spec): HOME's default instead.
  EXPECT_EQ(userDataDir({"", "relative/data", "/home/u"}), "/home/u/.local/share/bcmap");
  EXPECT_EQ(userDataDir({"", "", "/home/u"}), "/home/u/.local/share/bcmap");
  EXPECT_EQ(userDataDir({"", "", ""}), "");
}

TEST_F(InstallLayoutTest, ThisTestFindsTheRealBuildTree) {
  // This executable sits in a sub-folder of the build: the build's marker is above it.
  const char* data = std::getenv("BCMAP_DATA_DIR");
  const InstallLayout l = currentInstallLayout();
  EXPECT_EQ(l.kind, InstallLayout::Kind::BuildTree);
  EXPECT_TRUE(fs::equivalent(l.pluginDir, BCMAP_PLUGIN_DIR)) << l.pluginDir;
  EXPECT_TRUE(fs::equivalent(l.probePath, fs::path(BCMAP_BINARY_DIR) / "bcmap-probe")) << l.probePath;
  EXPECT_EQ(PluginHost::defaultPluginDir(), l.pluginDir);
  EXPECT_EQ(ProbeOptions::defaultProbePath(), l.probePath);
  if (!data || !*data) {
    EXPECT_EQ(fs::path(l.dataDir).filename(), "geodata");
    EXPECT_TRUE(fs::equivalent(fs::path(l.dataDir).parent_path(), BCMAP_BINARY_DIR)) << l.dataDir;
    // The build's geodata link leads to the source tree's folder.
    EXPECT_TRUE(fs::equivalent(l.dataDir, BCMAP_GEODATA));
  }
}

}  // namespace
}  // namespace bcmap
