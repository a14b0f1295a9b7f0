// The plugin search path: --plugins, $BCMAP_PLUGIN_PATH, the remembered folders, the user's
// folder (whether or not it exists yet), the installed folder, in that order; empty and
// relative BCMAP_PLUGIN_PATH entries ignored; a folder named twice searched once, where it
// first appears; missing remembered and user folders not scanned. Laid out in a scratch
// folder.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "host/PluginSearchPath.h"

namespace fs = std::filesystem;

namespace bcmap {
namespace {

class PluginSearchPathTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "bcmap-searchpath-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    root = tmpl;
    env.xdgDataHome = (root / "xdg").string();
    env.home = (root / "home").string();
    installed = (root / "prefix/lib/bcmap/plugins").string();
  }
  void TearDown() override { fs::remove_all(root); }

  std::string dir(const std::string& rel) const { return (root / rel).string(); }
  std::vector<std::string> folders(const std::vector<std::string>& cli = {}) const {
    return searchPathFolders(pluginSearchPathFor(cli, env, installed));
  }

  fs::path root;
  PluginPathEnvironment env;
  std::string installed;
};

TEST_F(PluginSearchPathTest, WithNoEnvironmentOnlyTheInstalledFolder) {
  env = {};
  const auto path = pluginSearchPathFor({}, env, installed);
  ASSERT_EQ(path.size(), 1u);
  EXPECT_EQ(path[0].path, installed);
  EXPECT_EQ(path[0].source, kSourceInstalled);
}

TEST_F(PluginSearchPathTest, OrderIsCommandLineThenEnvironmentThenRememberedThenUserThenInstalled) {
  fs::create_directories(root / "xdg/bcmap/plugins");
  env.pluginPath = dir("env1") + ":" + dir("env2");
  env.remembered = {dir("added1"), "relative/ignored", dir("added2/")};
  const auto path = pluginSearchPathFor({dir("cli1"), dir("cli2")}, env, installed);
  const std::vector<std::string> want{dir("cli1"),   dir("cli2"),   dir("env1"),
                                      dir("env2"),   dir("added1"), dir("added2"),
                                      dir("xdg/bcmap/plugins"), installed};
  EXPECT_EQ(searchPathFolders(path), want);
  const std::vector<std::string> sources{kSourceCommandLine, kSourceCommandLine, kSourcePluginPath,
                                         kSourcePluginPath,  kSourceConfig,      kSourceConfig,
                                         kSourceUser,        kSourceInstalled};
  for (size_t i = 0; i < path.size(); ++i) EXPECT_EQ(path[i].source, sources[i]) << path[i].path;
}

TEST_F(PluginSearchPathTest, EmptyAndRelativeEnvironmentEntriesAreIgnored) {
  env.pluginPath = ":relative/plugins::" + dir("a") + ":./b:";
  EXPECT_EQ(folders(), (std::vector<std::string>{dir("a"), dir("xdg/bcmap/plugins"), installed}));
}

TEST_F(PluginSearchPathTest, UserFolderFromXdgDataHomeElseHomeEvenBeforeItExists) {
  // Not made yet: still in the path, so the viewer watches for it.
  EXPECT_EQ(folders(), (std::vector<std::string>{dir("xdg/bcmap/plugins"), installed}));
  env.xdgDataHome.clear();
  EXPECT_EQ(folders(), (std::vector<std::string>{dir("home/.local/share/bcmap/plugins"), installed}));
  env.xdgDataHome = "relative/xdg";  // the XDG spec: a relative value is ignored
  EXPECT_EQ(folders(), (std::vector<std::string>{dir("home/.local/share/bcmap/plugins"), installed}));
  env.home.clear();  // nowhere to put one
  EXPECT_EQ(folders(), std::vector<std::string>{installed});
}

TEST_F(PluginSearchPathTest, MissingRememberedAndUserFoldersAreNotScannedOtherMissingOnesAre) {
  env.pluginPath = dir("env-missing");
  env.remembered = {dir("added-missing"), dir("added")};
  fs::create_directories(root / "added");
  const auto path = pluginSearchPathFor({dir("cli-missing")}, env, installed);
  EXPECT_EQ(searchPathFolders(path).size(), 6u);
  // A typo in --plugins or BCMAP_PLUGIN_PATH is scanned, so the host's warning names it; a
  // remembered folder on a drive not plugged in, or no user folder yet, is quiet.
  EXPECT_EQ(foldersToScan(path), (std::vector<std::string>{dir("cli-missing"), dir("env-missing"), dir("added"), installed}));
  fs::create_directories(root / "xdg/bcmap/plugins");
  EXPECT_EQ(foldersToScan(pluginSearchPathFor({}, env, installed)),
            (std::vector<std::string>{dir("env-missing"), dir("added"), dir("xdg/bcmap/plugins"), installed}));
}

TEST_F(PluginSearchPathTest, AFolderNamedTwiceIsSearchedOnceWhereItFirstAppears) {
  fs::create_directories(root / "xdg/bcmap/plugins");
  env.pluginPath = dir("a") + ":" + dir("b/") + ":" + installed + ":" + dir("xdg/bcmap/plugins");
  const auto path = pluginSearchPathFor({dir("b"), dir("a/../b")}, env, installed);
  EXPECT_EQ(searchPathFolders(path), (std::vector<std::string>{dir("b"), dir("a"), installed, dir("xdg/bcmap/plugins")}));
  EXPECT_EQ(path.size(), 4u);  // the user folder and the installed one are not named again
  EXPECT_EQ(path[0].source, kSourceCommandLine);
  EXPECT_EQ(path[2].source, kSourcePluginPath);  // the installed folder, named earlier
  EXPECT_EQ(path[3].source, kSourcePluginPath);
}

TEST_F(PluginSearchPathTest, RelativeCommandLineFoldersAreMadeAbsolute) {
  const auto path = pluginSearchPathFor({"some/plugins/"}, env, installed);
  ASSERT_EQ(path.size(), 3u);
  EXPECT_EQ(path[0].path, (fs::current_path() / "some/plugins").string());
}

TEST_F(PluginSearchPathTest, APluginsSourceIsTheEntryOfItsFolder) {
  env.pluginPath = dir("env");
  env.remembered = {dir("added")};
  const auto path = pluginSearchPathFor({dir("cli")}, env, installed);
  EXPECT_EQ(pluginSourceOf(dir("cli/bcmap_a.so"), path), kSourceCommandLine);
  EXPECT_EQ(pluginSourceOf(dir("env/bcmap_a.so"), path), kSourcePluginPath);
  EXPECT_EQ(pluginSourceOf(dir("added/bcmap_a.so"), path), kSourceConfig);
  EXPECT_EQ(pluginSourceOf(dir("xdg/bcmap/plugins/bcmap_a.so"), path), kSourceUser);
  EXPECT_EQ(pluginSourceOf(installed + "/bcmap_a.so", path), kSourceInstalled);
  EXPECT_EQ(pluginSourceOf(dir("elsewhere/bcmap_a.so"), path), "");
  EXPECT_EQ(pluginSourceOf("", path), "");
}

TEST_F(PluginSearchPathTest, CurrentReadsTheEnvironment) {
  const char* oldXdg = std::getenv("XDG_DATA_HOME");
  const std::string savedXdg = oldXdg ? oldXdg : "";
  setenv("BCMAP_PLUGIN_PATH", "/x:/y", 1);
  setenv("XDG_DATA_HOME", "/xdg", 1);
  const PluginPathEnvironment e = PluginPathEnvironment::current();
  EXPECT_EQ(e.pluginPath, "/x:/y");
  EXPECT_EQ(e.xdgDataHome, "/xdg");
  unsetenv("BCMAP_PLUGIN_PATH");
  EXPECT_EQ(PluginPathEnvironment::current().pluginPath, "");
  const auto path = pluginSearchPath({});
  ASSERT_FALSE(path.empty());
  EXPECT_EQ(path.back().source, kSourceInstalled);
  if (oldXdg) setenv("XDG_DATA_HOME", savedXdg.c_str(), 1);
  else unsetenv("XDG_DATA_HOME");
}

}  // namespace
}  // namespace bcmap
