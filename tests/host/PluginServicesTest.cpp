// PluginServices with plugins compiled into the test (the SDK's glue, no library to open):
// a load's settings, batches (a feature with NaN coordinates dropped), ids, per-feature
// style and legend; read_vector relative to the data folder and read_vector_rows; a failing
// load named; what a layer learns before it loads (initFromModule); settings carried over a
// reload; a feature's values as the callbacks see them.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <memory>
#include <stdexcept>

#include <bcmap/bcmap_plugin.hpp>

#include "host/PluginServices.h"
#include "io/Projection.h"
#include "io/VectorReader.h"
#include "TestLayers.h"

namespace bcmap {
namespace {

// Emits `count` points (a setting), the second with a NaN coordinate; ids, a name field,
// a per-feature size and a legend entry. Mode "read" reads the fixture points through
// read_vector instead; "rows" through read_vector_rows; "throw" fails in load().
class Emitter : public sdk::Layer {
 public:
  sdk::Info info() override {
    sdk::Info i;
    i.id = "emitter";
    i.nameZh = "发射";
    i.nameEn = "Emitter";
    i.version = "2.1.0";
    i.geometryKind = BCMAP_GEOM_POINT;
    i.hasTime = true;
    return i;
  }
  std::vector<bcmap_setting_v1> settings() override {
    return {sdk::numberSetting(BCMAP_SETTING_INT, "count", "Count", "3", 1, 10),
            sdk::setting(BCMAP_SETTING_TEXT, "mode", "Mode", "emit", true)};
  }
  void update(const std::string& key, const std::string& value) override {
    if (key == "count") count_ = std::stoi(value);
    if (key == "mode") mode_ = value;
  }
  void load(const sdk::Loader& loader) override {
    if (mode_ == "throw") throw std::runtime_error("the disk is on fire");
    bcmap_vector_request_v1 req{};
    req.struct_size = sizeof req;
    req.path = "points.geojson";  // relative: the host's data folder
    if (mode_ == "read") return loader.readVector(req);
    if (mode_ == "rows") {
      loader.readVectorRows(req, [&](const char*, const bcmap_field_v1*, uint32_t, const bcmap_batch_v1& b) {
        rowsSeen_ += b.feature_count;
      });
      return;
    }
    loader.declareFields({{sizeof(bcmap_field_v1), "name", BCMAP_FIELD_STRING}});
    std::vector<double> xy;
    std::vector<bcmap_value_v1> values;
    names_.clear();
    ids_.clear();
    for (int i = 0; i < count_; ++i) {
      xy.push_back(i == 1 ? std::numeric_limits<double>::quiet_NaN() : 122.8 + i * 0.01);
      xy.push_back(45.6);
      names_.push_back("v" + std::to_string(i));
      ids_.push_back("id" + std::to_string(i));
    }
    std::vector<const char*> idPtrs;
    for (int i = 0; i < count_; ++i) {
      bcmap_value_v1 v{};
      v.struct_size = sizeof v;
      v.str_value = names_[static_cast<size_t>(i)].c_str();
      values.push_back(v);
      idPtrs.push_back(ids_[static_cast<size_t>(i)].c_str());
    }
    bcmap_batch_v1 b{};
    b.struct_size = sizeof b;
    b.feature_count = static_cast<uint32_t>(count_);
    b.xy = xy.data();
    b.values = values.data();
    b.ids = idPtrs.data();
    loader.emit(b);
  }
  bcmap_style_v1 style() override { return sdk::singleStyle(sdk::rgba(200, 30, 30), sdk::rgba(20, 20, 20), 1.0f, 5); }
  bool hasStyleFeature() const override { return true; }
  bool styleFeature(uint64_t index, const bcmap_value_v1*, uint32_t, bcmap_feature_style_v1& out) override {
    out.has_size = 1;
    out.point_size_px = 10.0f + static_cast<float>(index);
    return true;
  }
  std::vector<bcmap_legend_entry_v1> legend() override {
    bcmap_legend_entry_v1 e{};
    e.label = "点 points";
    e.fill = sdk::rgba(200, 30, 30);
    e.geometry_kind = BCMAP_GEOM_POINT;
    return {e};
  }
  static inline size_t rowsSeen_ = 0;

 private:
  int count_ = 3;
  std::string mode_ = "emit";
  std::vector<std::string> names_, ids_;
};

class PluginServicesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    initGdal();
    initProj();
    module_ = std::make_shared<PluginModule>();
    module_->path = "/plugins/bcmap_emitter.so";
    module_->fileName = "bcmap_emitter.so";
    module_->vtable = sdk::Glue<Emitter>::vtable();
    initFromModule(layer_, module_);
  }
  void TearDown() override {
    if (layer_.instance) layer_.vtable->destroy(layer_.instance);
  }
  LayerSetting& setting(const std::string& key) {
    for (LayerSetting& s : layer_.settings)
      if (s.key == key) return s;
    throw std::logic_error("no setting " + key);
  }
  LoadOutput load() { return runLoad(loadInputOf(layer_), BCMAP_SOURCE_DIR "/tests/host/fixtures/data"); }

  std::shared_ptr<PluginModule> module_;
  Layer layer_;
};

TEST_F(PluginServicesTest, InitFromModuleTakesWhatThePluginDescribes) {
  EXPECT_EQ(layer_.status, LayerStatus::Pending);
  EXPECT_FALSE(layer_.refused);
  EXPECT_EQ(layer_.id, "emitter");
  EXPECT_EQ(layer_.pluginId, "emitter");
  EXPECT_EQ(layer_.nameZh, "发射");
  EXPECT_EQ(layer_.version, "2.1.0");
  EXPECT_EQ(layer_.kind, GeometryKind::Point);
  EXPECT_TRUE(layer_.hasTime);
  EXPECT_EQ(layer_.pluginPath, "/plugins/bcmap_emitter.so");
  ASSERT_EQ(layer_.settings.size(), 2u);
  EXPECT_EQ(layer_.settings[0].key, "count");
  EXPECT_EQ(layer_.settings[0].value, "3");
  EXPECT_EQ(layer_.settings[0].maxValue, 10);
  EXPECT_TRUE(layer_.settings[1].reload);
}

TEST_F(PluginServicesTest, ModuleThatFailedToOpenRefusesTheLayerNamingTheFile) {
  auto broken = std::make_shared<PluginModule>();
  broken->fileName = "bcmap_broken.so";
  broken->error = "not a shared library";
  Layer l;
  initFromModule(l, broken);
  EXPECT_EQ(l.status, LayerStatus::Failed);
  EXPECT_TRUE(l.refused);
  EXPECT_EQ(l.error, "bcmap_broken.so: not a shared library");
  EXPECT_EQ(l.instance, nullptr);
}

TEST_F(PluginServicesTest, LoadDropsNanFeaturesAndStylesEachFeature) {
  setting("count").value = "4";  // reaches the plugin through update() before load()
  const LoadOutput out = load();
  ASSERT_TRUE(out.error.empty()) << out.error;
  EXPECT_EQ(out.kind, GeometryKind::Point);
  EXPECT_EQ(out.table.geometry.kind, GeometryKind::Point);
  EXPECT_EQ(out.sourceCrs, "EPSG:4326");
  // Four emitted, the second with NaN: three kept, their ids and names in order.
  ASSERT_EQ(out.table.featureCount(), 3u);
  EXPECT_EQ(out.table.featureId(0), "id0");
  EXPECT_EQ(out.table.featureId(1), "id2");
  EXPECT_EQ(out.table.column("name")->text(2), "v3");
  ASSERT_EQ(out.fill.size(), 3u);
  EXPECT_EQ(out.fill[0], (Rgba{200, 30, 30, 255}));
  ASSERT_EQ(out.pointSizePx.size(), 3u);
  EXPECT_EQ(out.pointSizePx[1], 11.0f);  // style_feature sees the kept features' indices
  ASSERT_EQ(out.legend.size(), 1u);
  EXPECT_EQ(out.legend[0].label, "点 points");
}

TEST_F(PluginServicesTest, ReadVectorTakesRelativePathsFromTheDataFolder) {
  setting("mode").value = "read";
  const LoadOutput out = load();
  ASSERT_TRUE(out.error.empty()) << out.error;
  ASSERT_EQ(out.table.featureCount(), 2u);
  ASSERT_NE(out.table.column("name"), nullptr);
  EXPECT_EQ(out.table.column("name")->text(1), "乙村");

  setting("mode").value = "rows";
  Emitter::rowsSeen_ = 0;
  const LoadOutput rows = load();
  ASSERT_TRUE(rows.error.empty()) << rows.error;
  EXPECT_EQ(Emitter::rowsSeen_, 2u);
  EXPECT_EQ(rows.table.featureCount(), 0u);  // the plugin kept the rows to itself
}

TEST_F(PluginServicesTest, FailingLoadIsNamed) {
  setting("mode").value = "throw";
  const LoadOutput out = load();
  EXPECT_NE(out.error.find("load failed: "), std::string::npos) << out.error;
  EXPECT_NE(out.error.find("the disk is on fire"), std::string::npos) << out.error;
}

TEST_F(PluginServicesTest, CarrySettingsKeepsValuesOfTheSameKeyAndType) {
  auto make = [](const char* key, bcmap_setting_type type, const char* value) {
    LayerSetting s;
    s.key = key;
    s.type = type;
    s.value = value;
    return s;
  };
  std::vector<LayerSetting> old{make("count", BCMAP_SETTING_INT, "7"), make("mode", BCMAP_SETTING_TEXT, "read"),
                                make("colour", BCMAP_SETTING_ENUM, "mauve")};
  std::vector<LayerSetting> fresh{make("count", BCMAP_SETTING_INT, "3"),
                                  make("mode", BCMAP_SETTING_INT, "1"),  // another type: its own value
                                  make("colour", BCMAP_SETTING_ENUM, "red")};
  fresh[2].options = {"red", "blue"};  // mauve is no longer offered
  carrySettings(fresh, old);
  EXPECT_EQ(fresh[0].value, "7");
  EXPECT_EQ(fresh[1].value, "1");
  EXPECT_EQ(fresh[2].value, "red");
  old[2].value = "blue";
  carrySettings(fresh, old);
  EXPECT_EQ(fresh[2].value, "blue");
}

TEST_F(PluginServicesTest, ValueRowGivesEveryValueAsText) {
  Layer l;
  fixtures::addStringColumn(l, "name", {"甲村"});
  fixtures::addIntColumn(l, "people", {120});
  fixtures::addRealColumn(l, "share", {0.5});
  ValueRow row;
  row.fill(l.table, 0);
  ASSERT_EQ(row.values.size(), 3u);
  EXPECT_STREQ(row.fields[1].name, "people");
  EXPECT_EQ(row.fields[1].type, static_cast<uint32_t>(FieldType::Integer));
  EXPECT_EQ(row.values[1].int_value, 120);
  EXPECT_STREQ(row.values[1].str_value, "120");
  EXPECT_EQ(row.values[2].real_value, 0.5);
  EXPECT_STREQ(row.values[0].str_value, "甲村");
}

}  // namespace
}  // namespace bcmap
