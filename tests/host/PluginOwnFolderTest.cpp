// A plugin's own folder (ABI 1.3): the host lists folder plugins (NAME/NAME.so) beside lone
// ones, tells each instance its original folder through attach() and the loader (never the
// private copy the viewer loads), and a bundled default path follows the folder wherever
// it is copied. attach() failing refuses the layer; a 1.2 table (no attach) still loads.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "host/LayerStore.h"
#include "host/PluginHost.h"
#include "host/PluginProbe.h"
#include "host/PluginSearchPath.h"
#include "io/Projection.h"
#include "io/VectorReader.h"

namespace bcmap {
namespace {

namespace fs = std::filesystem;

const fs::path kFolderPlugins = BCMAP_FOLDER_PLUGIN_DIR;  // bcmap_bundled_points/
const fs::path kAttachPlugins = BCMAP_ATTACH_PLUGIN_DIR;  // attach_throws, abi_1_2_points
const fs::path kBundledData = BCMAP_BUNDLED_DATA_DIR;     // the fixture's data file

// A private folder (mode 0700: the host refuses plugins in folders others may write).
struct TempDir {
  fs::path path;
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "bcmap-folder-XXXXXX").string();
    if (mkdtemp(tmpl.data())) path = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

class PluginOwnFolderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    initGdal();
    initProj();
  }
  // Scans `dirs` with no crash probe; the data folder holds no bundled file, so a layer
  // that loads found its own.
  Layer& loadOne(PluginHost& host, const std::vector<std::string>& dirs, const std::string& id,
                 const std::string& dataDir) {
    host.setProber(nullptr);
    host.scan(dirs);
    store = std::make_unique<LayerStore>(dataDir);
    store->addPluginLayers(host);
    store->loadAll();
    Layer* l = store->find(id);
    EXPECT_NE(l, nullptr) << id;
    return l ? *l : *store->layers().front();
  }
  std::unique_ptr<LayerStore> store;
};

TEST_F(PluginOwnFolderTest, ListsLoneAndFolderPlugins) {
  TempDir tmp;
  const fs::path d = tmp.path;
  auto touch = [](const fs::path& p) {
    fs::create_directories(p.parent_path());
    std::FILE* f = std::fopen(p.c_str(), "w");
    if (f) std::fclose(f);
  };
  touch(d / "a.so");                   // lone
  touch(d / "b" / "b.so");             // folder plugin
  touch(d / "b" / "plugin.json");
  touch(d / "c" / "other.so");         // a folder whose .so is not named after it
  fs::create_directories(d / "e");     // an empty folder
  touch(d / "f" / "f" / "f.so");       // not one level down
  touch(d / "notes.txt");
  const std::vector<std::string> found = PluginHost::listPlugins({d.string()});
  EXPECT_EQ(found, (std::vector<std::string>{(d / "a.so").string(), (d / "b" / "b.so").string()}));
}

TEST_F(PluginOwnFolderTest, CopiedFolderStillFindsItsBundledFile) {
  TempDir tmp;
  const fs::path elsewhere = tmp.path / "elsewhere";
  fs::create_directories(elsewhere);
  fs::copy(kFolderPlugins / "bcmap_bundled_points", elsewhere / "bcmap_bundled_points");
  fs::create_directories(tmp.path / "nodata");
  PluginHost host;
  Layer& l = loadOne(host, {elsewhere.string()}, "bundled_points", (tmp.path / "nodata").string());
  const std::string own = (elsewhere / "bcmap_bundled_points").string();
  ASSERT_EQ(l.status, LayerStatus::Loaded) << l.error;
  EXPECT_EQ(l.table.featureCount(), 3u);
  EXPECT_EQ(l.attribution, "plugin_dir=" + own);
  ASSERT_EQ(l.settings.size(), 1u);
  EXPECT_EQ(l.settings[0].defaultValue, own + "/bundled_points.geojson");
}

TEST_F(PluginOwnFolderTest, PrivateCopyDoesNotChangeThePluginFolder) {
  TempDir tmp;
  fs::create_directories(tmp.path / "nodata");
  PluginHost host;
  host.setInteractive(true);  // the viewer: every library is loaded from a private copy
  Layer& l = loadOne(host, {kFolderPlugins.string()}, "bundled_points", (tmp.path / "nodata").string());
  ASSERT_TRUE(l.module);
  ASSERT_FALSE(l.module->loadedFrom.empty());
  EXPECT_NE(fs::path(l.module->loadedFrom).parent_path(), kFolderPlugins / "bcmap_bundled_points");
  ASSERT_EQ(l.status, LayerStatus::Loaded) << l.error;  // load() checks loader.plugin_dir too
  EXPECT_EQ(l.attribution, "plugin_dir=" + (kFolderPlugins / "bcmap_bundled_points").string());
}

TEST_F(PluginOwnFolderTest, AttachFailureRefusesTheLayer) {
  PluginHost host;
  host.setProber(nullptr);
  host.scan({kAttachPlugins.string()});
  LayerStore s(kBundledData.string());
  s.addPluginLayers(host);
  const Layer* l = nullptr;
  for (const auto& x : s.layers())
    if (fs::path(x->pluginPath).filename() == "bcmap_attach_throws.so") l = x.get();
  ASSERT_NE(l, nullptr);
  EXPECT_EQ(l->status, LayerStatus::Failed);
  EXPECT_TRUE(l->refused);
  EXPECT_EQ(l->error, "bcmap_attach_throws.so: attach failed: planted failure in attach()");
}

TEST_F(PluginOwnFolderTest, Abi12TableWithoutAttachStillLoads) {
  // attach's slot holds a function that fails; the host must not read past struct_size.
  // Never attached, the default path stays the bare file name, read from the data folder.
  PluginHost host;
  Layer& l = loadOne(host, {kAttachPlugins.string()}, "abi_1_2_points", kBundledData.string());
  ASSERT_EQ(l.status, LayerStatus::Loaded) << l.error;
  EXPECT_EQ(l.table.featureCount(), 3u);
  EXPECT_EQ(l.attribution, "plugin_dir=");
}

TEST_F(PluginOwnFolderTest, ProbeAttachesWithTheOriginalFolder) {
  const std::string probe = ProbeOptions::defaultProbePath();
  ASSERT_TRUE(fs::exists(probe)) << probe;
  // The probe opens a copy (as for hot reload) and is told the original folder.
  TempDir tmp;
  const fs::path copy = tmp.path / "copy.so";
  fs::copy_file(kFolderPlugins / "bcmap_bundled_points" / "bcmap_bundled_points.so", copy);
  ProbeResult ok = runProbe(probe, copy.string(), 5000, (kFolderPlugins / "bcmap_bundled_points").string());
  EXPECT_EQ(ok.outcome, ProbeOutcome::Ok) << ok.message;
  EXPECT_EQ(ok.id, "bundled_points");
  const ProbeResult refused = runProbe(probe, (kAttachPlugins / "bcmap_attach_throws.so").string(), 5000);
  EXPECT_EQ(refused.outcome, ProbeOutcome::Refused);
  EXPECT_EQ(refused.step, "attach");
  EXPECT_EQ(refused.message, "attach failed: planted failure in attach()");
  const ProbeResult old = runProbe(probe, (kAttachPlugins / "bcmap_abi_1_2_points.so").string(), 5000);
  EXPECT_EQ(old.outcome, ProbeOutcome::Ok) << old.message;
}

// The fixture folder copied to `parent`, with `json` as its plugin.json; its .so path.
std::string copyWithPluginJson(const fs::path& parent, const std::string& json) {
  const fs::path folder = parent / "bcmap_bundled_points";
  fs::create_directories(parent);
  fs::copy(kFolderPlugins / "bcmap_bundled_points", folder);
  std::ofstream(folder / "plugin.json") << json;
  return (folder / "bcmap_bundled_points.so").string();
}

TEST_F(PluginOwnFolderTest, PluginJsonThatAgreesLoadsAndIsKept) {
  TempDir tmp;
  const std::string so = copyWithPluginJson(
      tmp.path / "p", R"({"id": "bundled_points", "name_en": "Bundled points", "version": "2.0", "authors": ["A"]})");
  PluginHost host;
  Layer& l = loadOne(host, {(tmp.path / "p").string()}, "bundled_points", tmp.path.string());
  ASSERT_EQ(l.status, LayerStatus::Loaded) << l.error;
  ASSERT_TRUE(l.module->metadata);
  EXPECT_EQ(l.module->metadata->version, "2.0");
  EXPECT_EQ(l.module->metadata->path, (fs::path(so).parent_path() / "plugin.json").string());
}

TEST_F(PluginOwnFolderTest, IdMismatchIsRefusedNamingBothAndTheFile) {
  TempDir tmp;
  const std::string so = copyWithPluginJson(tmp.path / "p", R"({"id": "other_id", "name_zh": "别的"})");
  const std::string json = (fs::path(so).parent_path() / "plugin.json").string();
  const std::string want = "bcmap_bundled_points.so: plugin.json says id \"other_id\" but describe() says "
                           "\"bundled_points\" (" + json + ")";
  {  // In this process (describe()), and listed with what plugin.json says.
    PluginHost host;
    host.setProber(nullptr);
    host.scan({(tmp.path / "p").string()});
    LayerStore s(tmp.path.string());
    s.addPluginLayers(host);
    ASSERT_EQ(s.layers().size(), 1u);
    const Layer& l = *s.layers().front();
    EXPECT_EQ(l.status, LayerStatus::Failed);
    EXPECT_TRUE(l.refused);
    EXPECT_EQ(l.error, want);
    ASSERT_TRUE(l.module && l.module->metadata);
    EXPECT_EQ(l.module->metadata->id, "other_id");
  }
  {  // Through the probe: refused before the library is loaded here, with its names kept.
    PluginHost host;
    ProbeOptions o;
    o.probePath = ProbeOptions::defaultProbePath();
    host.setProber(std::make_shared<PluginProber>(o));
    host.scan({(tmp.path / "p").string()});
    LayerStore s(tmp.path.string());
    s.addPluginLayers(host);
    ASSERT_EQ(s.layers().size(), 1u);
    const Layer& l = *s.layers().front();
    EXPECT_EQ(l.error, want);
    EXPECT_EQ(l.module->handle, nullptr);
    EXPECT_EQ(l.nameZh, "别的");
  }
}

TEST_F(PluginOwnFolderTest, BadPluginJsonIsRefusedBeforeAnyCodeRuns) {
  TempDir tmp;
  const std::string so = copyWithPluginJson(tmp.path / "p", R"({"id": "bundled_points", "min_abi": "1.99"})");
  PluginHost host;
  host.setProber(nullptr);
  const PluginModule& m = host.open(so);
  EXPECT_EQ(m.handle, nullptr);
  EXPECT_EQ(m.error.rfind((fs::path(so).parent_path() / "plugin.json").string() + ": \"min_abi\" is 1.99", 0), 0u)
      << m.error;
}

TEST_F(PluginOwnFolderTest, FolderPluginBelongsToItsSearchFolder) {
  const std::vector<PluginSearchDir> path = {{"/a", kSourceCommandLine}, {"/b", kSourceUser}};
  EXPECT_EQ(pluginSourceOf("/a/bcmap_x.so", path), kSourceCommandLine);
  EXPECT_EQ(pluginSourceOf("/b/bcmap_x/bcmap_x.so", path), kSourceUser);
  EXPECT_EQ(pluginSourceOf("/b/other/bcmap_x.so", path), "");  // not NAME/NAME.so
}

}  // namespace
}  // namespace bcmap
