// PluginFoldersTest: the remembered plugin folders (plugin-folders.json under
// $XDG_CONFIG_HOME/bcmap): saved and read back in order, written crash-safe (no temporary
// left, the folder made), a damaged file ignored with a warning and kept aside when the list
// is next saved, what the user types turned into a folder, the search path reading them
// from the environment's configuration folder, a folder added while the viewer runs taking
// effect at once, and a session file that names plugin folders loading no code from them.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "host/AppSession.h"
#include "host/LayerStore.h"
#include "host/PluginFolders.h"
#include "host/PluginHost.h"
#include "host/PluginSearchPath.h"
#include "host/SessionFile.h"

namespace fs = std::filesystem;

namespace bcmap {
namespace {

using Paths = std::vector<std::string>;

// Sets an environment variable for one test, and puts the old value back.
struct ScopedEnv {
  std::string name, old;
  bool had;
  ScopedEnv(const char* n, const std::string& value) : name(n) {
    const char* v = std::getenv(n);
    had = v != nullptr;
    old = v ? v : "";
    setenv(n, value.c_str(), 1);
  }
  ~ScopedEnv() {
    if (had) setenv(name.c_str(), old.c_str(), 1);
    else unsetenv(name.c_str());
  }
};

class PluginFoldersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "bcmap-folders-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    root = tmpl;
    file = (root / "config/bcmap/plugin-folders.json").string();
  }
  void TearDown() override { fs::remove_all(root); }

  std::string at(const std::string& rel) const { return (root / rel).string(); }
  static std::string read(const std::string& path) {
    std::ifstream in(path);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
  }
  static void write(const std::string& path, const std::string& text) {
    fs::create_directories(fs::path(path).parent_path());
    std::ofstream(path) << text;
  }

  fs::path root;
  std::string file;
};

TEST_F(PluginFoldersTest, SavedFoldersComeBackInOrderAndTheWriteLeavesNoTemporary) {
  std::string warning = "stale";
  EXPECT_EQ(loadPluginFolders(file, &warning), Paths{});  // no file yet: nothing, quietly
  EXPECT_EQ(warning, "");
  std::string err;
  ASSERT_TRUE(savePluginFolders(file, {"/b/plugins", "/a/plugins"}, &err)) << err;
  EXPECT_EQ(loadPluginFolders(file, &warning), (Paths{"/b/plugins", "/a/plugins"}));
  EXPECT_EQ(warning, "");
  // Only the list in its folder: the temporary file was renamed over it.
  Paths names;
  for (const auto& e : fs::directory_iterator(fs::path(file).parent_path())) names.push_back(e.path().filename().string());
  EXPECT_EQ(names, Paths{"plugin-folders.json"});
  EXPECT_NE(read(file).find("\"folders\""), std::string::npos) << read(file);

  fs::create_directories(root / "mine");
  const std::string mine = at("mine");
  ASSERT_TRUE(addPluginFolder(file, mine, &err)) << err;
  ASSERT_TRUE(addPluginFolder(file, mine, &err)) << err;  // once
  EXPECT_EQ(loadPluginFolders(file, &warning), (Paths{"/b/plugins", "/a/plugins", mine}));
  ASSERT_TRUE(removePluginFolder(file, "/b/plugins", &err)) << err;
  EXPECT_EQ(loadPluginFolders(file, &warning), (Paths{"/a/plugins", mine}));
}

TEST_F(PluginFoldersTest, ADamagedFileIsIgnoredWithAWarningAndKeptAsideWhenTheListIsSaved) {
  for (const char* damaged : {"{\"folders\": [\"/a\",", "[\"/a\"]", "{\"folders\": \"/a\"}", ""}) {
    write(file, damaged);
    std::string warning;
    EXPECT_EQ(loadPluginFolders(file, &warning), Paths{}) << damaged;
    EXPECT_NE(warning.find(file), std::string::npos) << warning;
    EXPECT_NE(warning.find("ignored"), std::string::npos) << warning;
  }
  // Entries that are not absolute paths are skipped; the others stay.
  write(file, R"({"folders": ["/good", "relative", 3, "/good/", "/other"]})");
  std::string warning;
  EXPECT_EQ(loadPluginFolders(file, &warning), (Paths{"/good", "/other"}));
  EXPECT_NE(warning.find("\"relative\""), std::string::npos) << warning;

  write(file, "{ broken by hand");
  fs::create_directories(root / "mine");
  std::string err;
  ASSERT_TRUE(addPluginFolder(file, at("mine"), &err)) << err;
  EXPECT_EQ(loadPluginFolders(file, &warning), Paths{at("mine")});
  EXPECT_EQ(read(file + ".damaged"), "{ broken by hand");
}

TEST_F(PluginFoldersTest, WhatTheUserTypesBecomesAnExistingAbsoluteFolder) {
  fs::create_directories(root / "home/my plugins");
  ScopedEnv home("HOME", at("home"));
  std::string err;
  EXPECT_EQ(pluginFolderFromInput("  ~/my plugins/ ", &err), at("home/my plugins"));
  EXPECT_EQ(pluginFolderFromInput(at("home/./my plugins"), &err), at("home/my plugins"));
  EXPECT_EQ(pluginFolderFromInput("my plugins", &err), "");
  EXPECT_NE(err.find("full path"), std::string::npos) << err;
  EXPECT_EQ(pluginFolderFromInput(at("nowhere"), &err), "");
  EXPECT_NE(err.find("no such folder"), std::string::npos) << err;
  EXPECT_EQ(pluginFolderFromInput("", &err), "");
  EXPECT_FALSE(err.empty());
}

TEST_F(PluginFoldersTest, TheSearchPathReadsThemFromTheConfigurationFolder) {
  ScopedEnv config("XDG_CONFIG_HOME", at("config"));
  ScopedEnv data("XDG_DATA_HOME", at("data"));
  ScopedEnv pluginPath("BCMAP_PLUGIN_PATH", at("env"));
  EXPECT_EQ(pluginFoldersFile(), file);
  std::string err;
  ASSERT_TRUE(savePluginFolders(file, {at("added")}, &err)) << err;
  const auto path = pluginSearchPath({at("cli")});
  ASSERT_GE(path.size(), 5u);
  EXPECT_EQ(searchPathFolders(path)[2], at("added"));
  EXPECT_EQ(path[2].source, kSourceConfig);
  EXPECT_EQ(path[3].path, at("data/bcmap/plugins"));

  write(file, "not json");  // damaged: the search path goes on without it
  const auto without = pluginSearchPath({});
  for (const PluginSearchDir& d : without) EXPECT_NE(d.source, kSourceConfig) << d.path;
}

TEST_F(PluginFoldersTest, AFolderAddedWhileTheViewerRunsIsRememberedAndLoadedAtOnce) {
  ScopedEnv config("XDG_CONFIG_HOME", at("config"));
  ScopedEnv data("XDG_DATA_HOME", at("data"));
  const fs::path added = root / "added";
  fs::create_directories(added);
  fs::permissions(added, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                             fs::perms::others_read | fs::perms::others_exec);
  fs::copy_file(std::string(BCMAP_FIXTURE_PLUGIN_DIR) + "/bcmap_fixture_good_points.so",
                added / "bcmap_fixture_good_points.so");
  AppOptions o;
  AppSession s;
  s.host.setInteractive(true);  // as the viewer: loaded on the loader threads
  s.store = std::make_unique<LayerStore>(BCMAP_GEODATA);
  std::string err;
  EXPECT_EQ(addRememberedPluginFolder(o, s, at("nowhere"), &err), "");
  EXPECT_NE(err.find("no such folder"), std::string::npos) << err;

  ASSERT_EQ(addRememberedPluginFolder(o, s, added.string() + "/", &err), added.string()) << err;
  EXPECT_EQ(loadPluginFolders(file, &err), Paths{added.string()});
  EXPECT_EQ(pluginSourceOf((added / "bcmap_fixture_good_points.so").string(), s.searchPath), kSourceConfig);
  ASSERT_TRUE(s.store->waitIdle(30000));
  s.store->pollLoaded();
  const Layer* l = s.store->find("test_points");
  ASSERT_NE(l, nullptr);
  EXPECT_EQ(l->status, LayerStatus::Loaded) << l->error;
  // Added again: nothing is loaded twice.
  ASSERT_EQ(addRememberedPluginFolder(o, s, added.string(), &err), added.string()) << err;
  EXPECT_EQ(s.store->layers().size(), 1u);

  ASSERT_TRUE(removeRememberedPluginFolder(o, s, added.string(), &err)) << err;
  EXPECT_EQ(loadPluginFolders(file, &err), Paths{});
  EXPECT_EQ(pluginSourceOf((added / "bcmap_fixture_good_points.so").string(), s.searchPath), "");
}

TEST_F(PluginFoldersTest, ASessionNamingPluginFoldersLoadsNoCodeFromThem) {
  // A plugin in a folder that a session someone sent names in every way it could.
  const fs::path evil = root / "sent";
  fs::create_directories(evil);
  const std::string so = (evil / "bcmap_fixture_good_points.so").string();
  fs::copy_file(std::string(BCMAP_FIXTURE_PLUGIN_DIR) + "/bcmap_fixture_good_points.so", so);
  const std::string text = R"({"version": 1, "plugin_folders": [")" + evil.string() + R"("],
    "plugin_path": ")" + evil.string() + R"(", "plugins": [")" + so + R"("],
    "layers": [{"id": "test_points", "plugin": ")" + so + R"(", "visible": true},
               {"id": "file:x", "file": ")" + so + R"(", "visible": true}]})";
  std::string err;
  const std::optional<SessionData> s = sessionFromJson(text, &err);
  ASSERT_TRUE(s.has_value()) << err;  // unknown keys are ignored, not fatal

  // The session is stored where the viewer keeps its own: the plugin folders file beside it
  // is the only list of folders read.
  ScopedEnv config("XDG_CONFIG_HOME", at("config"));
  std::string saveErr;
  ASSERT_TRUE(saveSession(at("config/bcmap/session.json"), *s, &saveErr)) << saveErr;
  for (const PluginSearchDir& d : pluginSearchPath({})) EXPECT_NE(d.path, evil.string()) << d.source;

  PluginHost host;
  LayerStore store(BCMAP_GEODATA);
  restoreLayers(*s, store, &host, true);
  for (const auto& m : host.modules()) EXPECT_NE(fs::path(m->path).parent_path(), evil) << m->path;
  for (const auto& l : store.layers()) {
    EXPECT_NE(l->pluginPath, so) << l->id;
    EXPECT_NE(l->status, LayerStatus::Loaded) << l->id;
  }
  const Layer* named = store.find("test_points");
  ASSERT_NE(named, nullptr);
  EXPECT_TRUE(named->missing) << "a layer only the session names is missing, not loaded";
}

}  // namespace
}  // namespace bcmap
