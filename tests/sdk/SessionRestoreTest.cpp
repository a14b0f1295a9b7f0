// Restoring a session into a real layer store (the counties plugin and the good_points
// fixture): setting values reach the plugin and reload the layer, visibility, opacity and
// draw order come back, and what no longer exists is ignored.
#include <gtest/gtest.h>

#include <memory>

#include "core/LayerStore.h"
#include "core/PluginHost.h"
#include "core/Projection.h"
#include "core/VectorReader.h"
#include "ui/Session.h"

namespace bcmap {
namespace {

class SessionRestoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    initGdal();
    initProj();
    host_.open(std::string(BCMAP_PLUGIN_DIR) + "/bcmap_counties.so");
    host_.open(std::string(BCMAP_FIXTURE_PLUGIN_DIR) + "/bcmap_fixture_good_points.so");
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

  EXPECT_EQ(restoreLayers(s, *store_, true), 2);
  EXPECT_EQ(ids(), (std::vector<std::string>{"test_points", "counties"})) << "the saved draw order";
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
  EXPECT_EQ(restoreLayers(s, *store_, /*restoreVisibility=*/false), 1);
  EXPECT_EQ(counties.generation, gen);
  EXPECT_TRUE(counties.visible) << "--layers on the command line wins over the session";
  EXPECT_EQ(counties.opacity, 0.75f);
  EXPECT_EQ(ids(), (std::vector<std::string>{"counties", "test_points"})) << "a layer the session lacks keeps its place";
}

}  // namespace
}  // namespace bcmap
