// The plugin search path: --plugins, $BCMAP_PLUGIN_PATH, the user's folder, the installed
// folder, in that order; empty and relative BCMAP_PLUGIN_PATH entries ignored; a folder named
// twice searched once, where it first appears. Laid out in a scratch folder.
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

TEST_F(PluginSearchPathTest, WithNothingSetOnlyTheInstalledFolder) {
  env = {};
  const auto path = pluginSearchPathFor({}, env, installed);
  ASSERT_EQ(path.size(), 1u);
  EXPECT_EQ(path[0].path, installed);
  EXPECT_EQ(path[0].source, kSourceInstalled);
}

TEST_F(PluginSearchPathTest, OrderIsCommandLineThenEnvironmentThenUserThenInstalled) {
  fs::create_directories(root / "xdg/bcmap/plugins");
  env.pluginPath = dir("env1") + ":" + dir("env2");
  const auto path = pluginSearchPathFor({dir("cli1"), dir("cli2")}, env, installed);
  const std::vector<std::string> want{dir("cli1"), dir("cli2"), dir("env1"), dir("env2"),
                                      dir("xdg/bcmap/plugins"), installed};
  EXPECT_EQ(searchPathFolders(path), want);
  const std::vector<std::string> sources{kSourceCommandLine, kSourceCommandLine, kSourcePluginPath,
                                         kSourcePluginPath,  kSourceUser,        kSourceInstalled};
  for (size_t i = 0; i < path.size(); ++i) EXPECT_EQ(path[i].source, sources[i]) << path[i].path;
}

TEST_F(PluginSearchPathTest, EmptyAndRelativeEnvironmentEntriesAreIgnored) {
  env.pluginPath = ":relative/plugins::" + dir("a") + ":./b:";
  EXPECT_EQ(folders(), (std::vector<std::string>{dir("a"), installed}));
}

TEST_F(PluginSearchPathTest, UserFolderFromXdgDataHomeElseHomeOnlyWhenItExists) {
  EXPECT_EQ(folders(), std::vector<std::string>{installed});  // no user folder yet
  fs::create_directories(root / "home/.local/share/bcmap/plugins");
  EXPECT_EQ(folders(), std::vector<std::string>{installed});  // XDG_DATA_HOME is set: HOME is not used
  env.xdgDataHome.clear();
  EXPECT_EQ(folders(), (std::vector<std::string>{dir("home/.local/share/bcmap/plugins"), installed}));
  env.xdgDataHome = "relative/xdg";  // the XDG spec: a relative value is ignored
  EXPECT_EQ(folders(), (std::vector<std::string>{dir("home/.local/share/bcmap/plugins"), installed}));
  fs::create_directories(root / "xdg/bcmap/plugins");
  env.xdgDataHome = dir("xdg");
  EXPECT_EQ(folders(), (std::vector<std::string>{dir("xdg/bcmap/plugins"), installed}));
}

TEST_F(PluginSearchPathTest, AFolderNamedTwiceIsSearchedOnceWhereItFirstAppears) {
  fs::create_directories(root / "xdg/bcmap/plugins");
  env.pluginPath = dir("a") + ":" + dir("b/") + ":" + installed + ":" + dir("xdg/bcmap/plugins");
  const auto path = pluginSearchPathFor({dir("b"), dir("a/../b")}, env, installed);
  EXPECT_EQ(searchPathFolders(path), (std::vector<std::string>{dir("b"), dir("a"), installed, dir("xdg/bcmap/plugins")}));
  EXPECT_EQ(path[0].source, kSourceCommandLine);
  EXPECT_EQ(path[2].source, kSourcePluginPath);  // the installed folder, named earlier
  EXPECT_EQ(path[3].source, kSourcePluginPath);
}

TEST_F(PluginSearchPathTest, RelativeCommandLineFoldersAreMadeAbsolute) {
  const auto path = pluginSearchPathFor({"some/plugins/"}, env, installed);
  ASSERT_EQ(path.size(), 2u);
  EXPECT_EQ(path[0].path, (fs::current_path() / "some/plugins").string());
}

TEST_F(PluginSearchPathTest, APluginsSourceIsTheEntryOfItsFolder) {
  env.pluginPath = dir("env");
  const auto path = pluginSearchPathFor({dir("cli")}, env, installed);
  EXPECT_EQ(pluginSourceOf(dir("cli/bcmap_a.so"), path), kSourceCommandLine);
  EXPECT_EQ(pluginSourceOf(dir("env/bcmap_a.so"), path), kSourcePluginPath);
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
