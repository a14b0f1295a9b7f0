// Restoring a session into a real layer store (the counties plugin and the good_points
// fixture): setting values reach the plugin and reload the layer, visibility, opacity and
// draw order come back, and what no longer exists is ignored. A file layer the user
// removed leaves the viewer's state and the session written after.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <memory>

#include "host/AppSession.h"
#include "host/LayerStore.h"
#include "host/PluginHost.h"
#include "io/Projection.h"
#include "io/VectorReader.h"
#include "ui/Session.h"
#include "ui/ViewerState.h"

namespace bcmap {
namespace {

class SessionRestoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    initGdal();
    initProj();
    host_.open(std::string(BCMAP_PLUGIN_DIR) + "/bcmap_counties.so");
    host_.open(std::string(BCMAP_FIXTURE_PLUGIN_DIR) + "/bcmap_fixture_good_points.so");
    host_.open(std::string(BCMAP_PLUGIN_DIR) + "/bcmap_vector_file.so");  // serves FILE layers
    store_ = std::make_unique<LayerStore>(BCMAP_GEODATA);
    store_->addPluginLayers(host_);
    store_->loadAll();
    ASSERT_EQ(ids(), (std::vector<std::string>{"counties", "test_points"}));
    for (auto& l : store_->layers()) ASSERT_EQ(l->status, LayerStatus::Loaded) << l->error;
  }
  std::vector<std::string> ids() {
    std::vector<std::string> out;
    for (auto& l : store_->layers()) out.push_back(l->id);
    return out;
  }
  const std::string& value(const std::string& layer, const std::string& key) {
    for (const LayerSetting& s : store_->find(layer)->settings)
      if (s.key == key) return s.value;
    static const std::string none = "<none>";
    return none;
  }
  PluginHost host_;
  std::unique_ptr<LayerStore> store_;
};

TEST_F(SessionRestoreTest, SettingsVisibilityOpacityAndOrderComeBack) {
  Layer& counties = *store_->find("counties");
  Layer& points = *store_->find("test_points");
  const uint64_t countiesGen = counties.generation, pointsGen = points.generation;
  const double lonBefore = counties.table.geometry.xy[0].x;

  SessionData s;
  LayerSession p;
  p.id = "test_points";
  p.visible = false;
  p.opacity = 0.25f;
  p.order = 0;
  p.settings = {{"size", "20"}, {"no_such_key", "1"}};
  LayerSession c;
  c.id = "counties";
  c.visible = true;
  c.opacity = 0.5f;
  c.order = 1;
  c.settings = {{"gcj02", "true"}};  // the file read as GCJ-02: every vertex moves
  LayerSession gone;
  gone.id = "a_layer_that_was_removed";
  gone.order = 2;
  s.layers = {p, c, gone};

  EXPECT_EQ(restoreLayers(s, *store_, nullptr, true), 2);
  EXPECT_EQ(ids(), (std::vector<std::string>{"test_points", "counties", "a_layer_that_was_removed"}))
      << "the saved draw order; the layer whose plugin is gone stays in the list, marked";
  const Layer* missing = store_->find("a_layer_that_was_removed");
  ASSERT_NE(missing, nullptr);
  EXPECT_TRUE(missing->missing);
  EXPECT_EQ(missing->status, LayerStatus::Failed);
  EXPECT_FALSE(missing->visible);
  EXPECT_NE(missing->error.find("plugin missing"), std::string::npos) << missing->error;
  EXPECT_EQ(value("test_points", "size"), "20");
  EXPECT_EQ(value("counties", "gcj02"), "true");
  EXPECT_GT(points.generation, pointsGen) << "a changed setting reloads the layer";
  EXPECT_GT(counties.generation, countiesGen);
  ASSERT_EQ(counties.status, LayerStatus::Loaded) << counties.error;
  EXPECT_GT(std::abs(counties.table.geometry.xy[0].x - lonBefore), 1e-4)
      << "the plugin got gcj02=true: the boundary moved by the GCJ-02 offset";
  EXPECT_FALSE(points.visible);
  EXPECT_TRUE(counties.visible);
  EXPECT_EQ(points.opacity, 0.25f) << "the saved opacity, not the style's default after the reload";
  EXPECT_EQ(counties.opacity, 0.5f);
}

TEST_F(SessionRestoreTest, UnchangedSettingsDoNotReloadAndVisibilityCanBeLeftAlone) {
  Layer& counties = *store_->find("counties");
  const uint64_t gen = counties.generation;
  SessionData s;
  LayerSession c;
  c.id = "counties";
  c.visible = false;
  c.opacity = 0.75f;
  c.settings = {{"gcj02", "false"}};  // the value it already has
  s.layers = {c};
  EXPECT_EQ(restoreLayers(s, *store_, nullptr, /*restoreVisibility=*/false), 1);
  EXPECT_EQ(counties.generation, gen);
  EXPECT_TRUE(counties.visible) << "--layers on the command line wins over the session";
  EXPECT_EQ(counties.opacity, 0.75f);
  EXPECT_EQ(ids(), (std::vector<std::string>{"counties", "test_points"})) << "a layer the session lacks keeps its place";
}

TEST_F(SessionRestoreTest, StylesSelectionAndFilesComeBackAndMissingFilesAreMarked) {
  Layer& counties = *store_->find("counties");
  // A style the user set: categorized by name, through the session's JSON form.
  StyleSpec spec;
  spec.kind = StyleKind::Categorized;
  spec.field = "name_zh";
  spec.ramp = "Set2";
  SessionData s;
  LayerSession c;
  c.id = "counties";
  c.style = styleSpecToJson(spec);
  c.selected = {"220822", "220881"};  // 通榆县 and 洮南市 by feature id
  LayerSession gone;
  gone.id = "file:vanished.geojson";
  gone.file = "/nonexistent/folder/vanished.geojson";
  gone.order = 1;
  s.layers = {c, gone};
  restoreLayers(s, *store_, &host_, true);

  ASSERT_TRUE(counties.userStyle.has_value());
  EXPECT_EQ(*counties.userStyle, spec);
  EXPECT_EQ(counties.legend.size(), 5u) << "one legend entry per county name";

  const auto selected = restoreSelection(s, *store_);
  ASSERT_EQ(selected.size(), 2u);
  for (const auto& [layerId, feature] : selected) {
    EXPECT_EQ(layerId, "counties");
    const std::string id = counties.table.featureId(feature);
    EXPECT_TRUE(id == "220822" || id == "220881") << id;
  }

  const Layer* missing = store_->find("file:vanished.geojson");
  ASSERT_NE(missing, nullptr);
  EXPECT_TRUE(missing->missing && missing->isFileLayer);
  EXPECT_EQ(missing->status, LayerStatus::Failed);
  EXPECT_NE(missing->error.find("file missing"), std::string::npos) << missing->error;
  EXPECT_EQ(store_->find("test_points")->status, LayerStatus::Loaded) << "nothing else is lost";

  // A file that exists opens as a layer again, with its GCJ-02 flag.
  SessionData f;
  LayerSession file;
  file.id = "file:points.geojson";
  file.file = std::string(BCMAP_TEST_DATA) + "/vector/points.geojson";
  f.layers = {file};
  restoreLayers(f, *store_, &host_, true);
  bool opened = false;
  for (auto& l : store_->layers())
    if (l->isFileLayer && !l->missing) opened = l->status == LayerStatus::Loaded;
  EXPECT_TRUE(opened) << "the session's file is opened as a layer";
}

// The layer row's 移除图层 Remove layer (ViewerRequests: LayerStore::remove, then
// forgetRemovedLayer): the selection, the undo history, the drafts and the requests lose
// the layer, and the session written next has no such layer, so the next start does not
// open the file again.
TEST_F(SessionRestoreTest, ARemovedFileLayerLeavesTheStateAndTheSession) {
  Layer& file = store_->addFileLayer(host_, std::string(BCMAP_TEST_DATA) + "/vector/points.geojson", false);
  store_->load(file);
  ASSERT_EQ(file.status, LayerStatus::Loaded) << file.error;
  const std::string id = file.id;
  AppSession app;
  app.store = std::move(store_);
  ViewerState st;
  st.session = &app;
  st.selection.select(file, 0, SelectMode::Replace);
  st.selection.select(*app.store->find("counties"), 1, SelectMode::Add);
  StyleSpec spec;
  spec.kind = StyleKind::Single;
  std::string err;
  ASSERT_TRUE(applyStyleChange(*app.store, st.styleHistory, id, spec, false, &err)) << err;
  ASSERT_TRUE(st.styleHistory.canUndo());
  st.styleEditor.errors[id] = "an old refusal";
  st.layerSettings.drafts[settingKey(id, "color")] = "#ff0000";
  st.layerSettings.drafts[settingKey("counties", "gcj02")] = "true";
  st.layerSettings.lastEdited[id] = "color";
  st.requestedLoads = {id};
  st.hoverLayer = id;
  st.hoverFeature = 0;
  st.requestedRemoval = id;

  ASSERT_TRUE(app.store->remove(id));
  forgetRemovedLayer(st, id);
  EXPECT_EQ(st.selection.refs(), (std::vector<FeatureRef>{{"counties", 1}})) << "the other layer's pick stays";
  EXPECT_FALSE(st.styleHistory.canUndo()) << "Ctrl+Z has nothing of a layer that is gone";
  EXPECT_TRUE(st.styleEditor.errors.empty());
  EXPECT_EQ(st.layerSettings.drafts.size(), 1u);
  EXPECT_EQ(st.layerSettings.drafts.count(settingKey("counties", "gcj02")), 1u);
  EXPECT_TRUE(st.layerSettings.lastEdited.empty());
  EXPECT_TRUE(st.requestedLoads.empty());
  EXPECT_TRUE(st.hoverLayer.empty());
  EXPECT_EQ(st.hoverFeature, -1);
  EXPECT_TRUE(st.requestedRemoval.empty());
  EXPECT_TRUE(st.layersChanged);

  const SessionData saved = captureSession(st);
  for (const LayerSession& l : saved.layers) {
    EXPECT_NE(l.id, id);
    EXPECT_EQ(l.file.find("points.geojson"), std::string::npos) << l.id << ": " << l.file;
  }
  EXPECT_EQ(saved.layers.size(), 2u) << "counties and test_points";
  // Written and read back, then restored into a fresh store: the file is not opened again.
  const std::string path = ::testing::TempDir() + "bcmap_removed_session_" + std::to_string(::getpid()) + ".json";
  ASSERT_TRUE(saveSession(path, saved, &err)) << err;
  std::optional<SessionData> loaded = loadSession(path, &err);
  std::filesystem::remove(path);
  ASSERT_TRUE(loaded) << err;
  LayerStore next(BCMAP_GEODATA);
  next.addPluginLayers(host_);
  restoreLayers(*loaded, next, &host_, true);
  for (const auto& l : next.layers()) EXPECT_FALSE(l->isFileLayer) << l->id;
}

}  // namespace
}  // namespace bcmap
