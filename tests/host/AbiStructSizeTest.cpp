// The plugin ABI's struct_size rules on the host side. Sections:
//   1. the host's 1.0 sizes against the 1.0 header from git history (abi_1_0/)
//   2. every struct the host reads from a plugin is refused below its 1.0 size, with a
//      message naming the struct and the plugin (plugins compiled into the test)
//   3. plugin libraries through the real host (PluginHost + LayerStore): a read request
//      with struct_size 0, a short style struct, and a plugin built against the 1.0 header
//      alone that keeps loading
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>

#include <bcmap/bcmap_plugin.hpp>

#include "host/LayerStore.h"
#include "host/PluginHost.h"
#include "host/PluginServices.h"
#include "io/Projection.h"
#include "io/VectorReader.h"

namespace bcmap {

std::map<std::string, uint32_t> abi10Sizeofs();  // Abi10Sizes.cpp

namespace {

// ---- 1. the host's 1.0 sizes ---------------------------------------------------------------
TEST(AbiStructSizeTest, HostsOneZeroSizesAreTheOneZeroHeadersSizeofs) {
  const std::map<std::string, uint32_t> v10 = abi10Sizeofs();
  EXPECT_EQ(abi10::kField, v10.at("bcmap_field_v1"));
  EXPECT_EQ(abi10::kValue, v10.at("bcmap_value_v1"));
  EXPECT_EQ(abi10::kBatch, v10.at("bcmap_batch_v1"));
  EXPECT_EQ(abi10::kFieldMap, v10.at("bcmap_field_map_v1"));
  EXPECT_EQ(abi10::kVectorRequest, v10.at("bcmap_vector_request_v1"));
  EXPECT_EQ(abi10::kCategory, v10.at("bcmap_category_v1"));
  EXPECT_EQ(abi10::kClass, v10.at("bcmap_class_v1"));
  EXPECT_EQ(abi10::kStyle, v10.at("bcmap_style_v1"));
  EXPECT_EQ(abi10::kFeatureStyle, v10.at("bcmap_feature_style_v1"));
  EXPECT_EQ(abi10::kLegendEntry, v10.at("bcmap_legend_entry_v1"));
  EXPECT_EQ(abi10::kSetting, v10.at("bcmap_setting_v1"));
  EXPECT_EQ(abi10::kLayerInfo, v10.at("bcmap_layer_info_v1"));
  // The plugin table has not grown since 1.0: PluginHost's check (every callback up to
  // describe_feature must fit) is its 1.0 size.
  EXPECT_EQ(offsetof(bcmap_plugin_v1, describe_feature) + sizeof(void*), v10.at("bcmap_plugin_v1"));
  // Structs that grew keep their 1.0 prefix where it was.
  EXPECT_GT(sizeof(bcmap_style_v1), abi10::kStyle);
  EXPECT_GT(sizeof(bcmap_layer_info_v1), abi10::kLayerInfo);
  EXPECT_EQ(offsetof(bcmap_style_v1, point_symbol), abi10::kStyle);
}

TEST(AbiStructSizeTest, MessageNamesPluginStructAndSizes) {
  EXPECT_EQ(structSizeError("bcmap_x.so", "bcmap_vector_request_v1", 0, 96),
            "plugin bcmap_x.so: bcmap_vector_request_v1.struct_size is 0, smaller than its 1.0 size 96");
  EXPECT_EQ(structSizeError("bcmap_x.so", "bcmap_vector_request_v1", 96, 96), "");
  EXPECT_EQ(structSizeError("bcmap_x.so", "bcmap_vector_request_v1", 200, 96), "");  // a newer minor
}

// ---- 2. every struct the host reads, one at a time --------------------------------------
// Which struct the Shrinker leaves at struct_size 0 (the rest are filled right).
std::string gShrink;

class Shrinker : public sdk::Layer {
 public:
  sdk::Info info() override {
    sdk::Info i;
    i.id = "shrinker";
    i.geometryKind = BCMAP_GEOM_POINT;
    return i;
  }
  std::vector<bcmap_setting_v1> settings() override {
    return {sdk::numberSetting(BCMAP_SETTING_INT, "count", "Count", "1", 1, 10)};
  }
  void load(const sdk::Loader& loader) override {
    if (gShrink == "bcmap_vector_request_v1" || gShrink == "bcmap_field_map_v1") {
      const bcmap_field_map_v1 map{gShrink == "bcmap_field_map_v1" ? 0u : uint32_t(sizeof(bcmap_field_map_v1)),
                                   "label", "name"};
      bcmap_vector_request_v1 req{};
      req.struct_size = gShrink == "bcmap_vector_request_v1" ? 0 : sizeof req;
      req.path = "points.geojson";
      req.field_map = &map;
      req.field_map_count = 1;
      return loader.readVector(req);
    }
    loader.declareFields({{gShrink == "bcmap_field_v1" ? 0u : uint32_t(sizeof(bcmap_field_v1)), "kind",
                           BCMAP_FIELD_STRING}});
    const double xy[] = {122.84, 45.62};
    bcmap_value_v1 v{};
    v.struct_size = gShrink == "bcmap_value_v1" ? 0 : sizeof v;
    v.str_value = "a";
    bcmap_batch_v1 b{};
    b.struct_size = gShrink == "bcmap_batch_v1" ? 0 : sizeof b;
    b.feature_count = 1;
    b.xy = xy;
    b.values = &v;
    loader.emit(b);
  }
  bcmap_style_v1 style() override {
    bcmap_style_v1 s = sdk::singleStyle(sdk::rgba(1, 2, 3), sdk::rgba(4, 5, 6));
    s.field = "kind";
    category_ = {gShrink == "bcmap_category_v1" ? 0u : uint32_t(sizeof(bcmap_category_v1)), "a",
                 sdk::rgba(7, 8, 9), "A"};
    class_ = {gShrink == "bcmap_class_v1" ? 0u : uint32_t(sizeof(bcmap_class_v1)), 0, 1, sdk::rgba(7, 8, 9), "0-1"};
    s.categories = &category_;
    s.category_count = 1;
    s.classes = &class_;
    s.class_count = 1;
    return s;
  }
  bool hasStyleFeature() const override { return true; }
  bool styleFeature(uint64_t, const bcmap_value_v1*, uint32_t, bcmap_feature_style_v1& out) override {
    if (gShrink == "bcmap_feature_style_v1") out.struct_size = 0;
    return true;
  }
  std::vector<bcmap_legend_entry_v1> legend() override {
    bcmap_legend_entry_v1 e{};
    e.label = "a";
    return {e};  // the glue sets struct_size; shrinkLegend may undo it
  }

 private:
  bcmap_category_v1 category_{};
  bcmap_class_v1 class_{};
};

using Glue = sdk::Glue<Shrinker>;

// The glue fills describe's, settings' and legend's struct_size itself: these undo it.
bcmap_status shrinkDescribe(void* instance, bcmap_layer_info_v1* info, char* err, size_t errSize) {
  const bcmap_status st = Glue::vtable()->describe(instance, info, err, errSize);
  if (gShrink == "bcmap_layer_info_v1") info->struct_size = 0;
  return st;
}
bcmap_status shrinkSettings(void* instance, const bcmap_setting_v1** out, uint32_t* count, char* err,
                            size_t errSize) {
  const bcmap_status st = Glue::vtable()->settings(instance, out, count, err, errSize);
  if (gShrink == "bcmap_setting_v1" && *count) const_cast<bcmap_setting_v1*>(*out)->struct_size = 0;
  return st;
}
bcmap_status shrinkLegend(void* instance, const bcmap_legend_entry_v1** out, uint32_t* count, char* err,
                          size_t errSize) {
  const bcmap_status st = Glue::vtable()->legend(instance, out, count, err, errSize);
  if (gShrink == "bcmap_legend_entry_v1" && *count) const_cast<bcmap_legend_entry_v1*>(*out)->struct_size = 0;
  return st;
}

const bcmap_plugin_v1* shrinkerTable() {
  static const bcmap_plugin_v1 table = [] {
    bcmap_plugin_v1 t = *Glue::vtable();
    t.describe = &shrinkDescribe;
    t.settings = &shrinkSettings;
    t.legend = &shrinkLegend;
    return t;
  }();
  return &table;
}

std::string refusal(const std::string& structName, uint32_t size10) {
  return "plugin bcmap_shrinker.so: " + structName + ".struct_size is 0, smaller than its 1.0 size " +
         std::to_string(size10);
}

class AbiStructSizeLoadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    initGdal();
    initProj();
    module_ = std::make_shared<PluginModule>();
    module_->path = "/plugins/bcmap_shrinker.so";
    module_->fileName = "bcmap_shrinker.so";
    module_->vtable = shrinkerTable();
  }
  void TearDown() override {
    if (layer_.instance) layer_.vtable->destroy(layer_.instance);
    gShrink.clear();
  }
  // The error of initFromModule, or else of a load: "" when both succeed.
  std::string errorWith(const std::string& shrink) {
    gShrink = shrink;
    initFromModule(layer_, module_);
    if (layer_.status == LayerStatus::Failed) return layer_.error;
    return runLoad(loadInputOf(layer_), BCMAP_SOURCE_DIR "/tests/host/fixtures/data").error;
  }
  std::shared_ptr<PluginModule> module_;
  Layer layer_;
};

TEST_F(AbiStructSizeLoadTest, EveryStructFilledRightLoads) { EXPECT_EQ(errorWith(""), ""); }

TEST_F(AbiStructSizeLoadTest, LayerInfoBelowOneZeroIsRefused) {
  EXPECT_EQ(errorWith("bcmap_layer_info_v1"), refusal("bcmap_layer_info_v1", abi10::kLayerInfo));
  EXPECT_TRUE(layer_.refused);
}

TEST_F(AbiStructSizeLoadTest, SettingBelowOneZeroIsRefused) {
  EXPECT_EQ(errorWith("bcmap_setting_v1"), refusal("bcmap_setting_v1", abi10::kSetting));
  EXPECT_TRUE(layer_.refused);
  EXPECT_TRUE(layer_.settings.empty());
}

// The loader's services refuse the struct; the glue turns the refusal into a failed
// load(), whose message carries the host's reason.
TEST_F(AbiStructSizeLoadTest, LoaderStructsBelowOneZeroAreRefused) {
  const std::map<std::string, uint32_t> cases = {
      {"bcmap_vector_request_v1", abi10::kVectorRequest}, {"bcmap_field_map_v1", abi10::kFieldMap},
      {"bcmap_field_v1", abi10::kField},                  {"bcmap_batch_v1", abi10::kBatch},
      {"bcmap_value_v1", abi10::kValue}};
  for (const auto& [name, size10] : cases) {
    const std::string e = errorWith(name);
    EXPECT_NE(e.find("load failed: "), std::string::npos) << e;
    EXPECT_NE(e.find(refusal(name, size10)), std::string::npos) << name << ": " << e;
    if (layer_.instance) layer_.vtable->destroy(layer_.instance);
    layer_ = Layer{};
  }
}

TEST_F(AbiStructSizeLoadTest, StyleStructsBelowOneZeroAreRefused) {
  const std::map<std::string, uint32_t> cases = {{"bcmap_category_v1", abi10::kCategory},
                                                 {"bcmap_class_v1", abi10::kClass},
                                                 {"bcmap_feature_style_v1", abi10::kFeatureStyle},
                                                 {"bcmap_legend_entry_v1", abi10::kLegendEntry}};
  for (const auto& [name, size10] : cases) {
    EXPECT_EQ(errorWith(name), refusal(name, size10)) << name;
    if (layer_.instance) layer_.vtable->destroy(layer_.instance);
    layer_ = Layer{};
  }
}

// ---- 3. plugin libraries through the real host -------------------------------------------
class AbiPluginTest : public ::testing::Test {
 protected:
  void SetUp() override {
    initGdal();
    initProj();
    host.scan({BCMAP_ABI_PLUGIN_DIR});
    store = std::make_unique<LayerStore>(BCMAP_SOURCE_DIR "/tests/host/fixtures/data");
    store->addPluginLayers(host);
    store->loadAll();
  }
  Layer& byPlugin(const std::string& fileName) {
    for (auto& l : store->layers())
      if (l->pluginPath.size() > fileName.size() &&
          l->pluginPath.compare(l->pluginPath.size() - fileName.size(), fileName.size(), fileName) == 0)
        return *l;
    throw std::logic_error("no layer from " + fileName);
  }
  PluginHost host;
  std::unique_ptr<LayerStore> store;
};

TEST_F(AbiPluginTest, ReadRequestWithStructSizeZeroIsRefusedNamingPluginAndStruct) {
  const Layer& l = byPlugin("/bcmap_abi_request_size0.so");
  EXPECT_EQ(l.status, LayerStatus::Failed);
  EXPECT_NE(l.error.find("plugin bcmap_abi_request_size0.so: bcmap_vector_request_v1.struct_size is 0, "
                         "smaller than its 1.0 size " + std::to_string(abi10::kVectorRequest)),
            std::string::npos)
      << l.error;
  EXPECT_EQ(l.table.featureCount(), 0u);
}

TEST_F(AbiPluginTest, ShortStyleStructIsRefusedNamingPluginAndStruct) {
  const Layer& l = byPlugin("/bcmap_abi_short_style.so");
  EXPECT_EQ(l.status, LayerStatus::Failed);
  EXPECT_EQ(l.error, "plugin bcmap_abi_short_style.so: bcmap_style_v1.struct_size is 16, smaller than its 1.0 size " +
                         std::to_string(abi10::kStyle));
}

TEST_F(AbiPluginTest, PluginBuiltAgainstTheOneZeroHeaderKeepsLoading) {
  Layer& l = byPlugin("/bcmap_abi_1_0_points.so");
  ASSERT_EQ(l.status, LayerStatus::Loaded) << l.error;
  EXPECT_EQ(l.id, "abi_1_0_points");
  EXPECT_EQ(l.nameZh, "旧点");
  EXPECT_EQ(l.version, "1.0.0");
  EXPECT_EQ(l.attribution, "test fixture (ABI 1.0)");
  EXPECT_FALSE(l.hiddenByDefault);  // a 1.1 field: past the 1.0 struct_size
  ASSERT_EQ(l.settings.size(), 1u);
  EXPECT_EQ(l.settings[0].key, "size");
  EXPECT_EQ(l.settings[0].maxValue, 40);
  // Features: both points, their ids and values.
  ASSERT_EQ(l.table.featureCount(), 2u);
  EXPECT_EQ(l.kind, GeometryKind::Point);
  EXPECT_EQ(l.table.featureId(1), "p2");
  ASSERT_NE(l.table.column("name"), nullptr);
  EXPECT_EQ(l.table.column("name")->text(0), "甲村");
  EXPECT_DOUBLE_EQ(l.table.geometry.xy[1].x, 123.08);
  // Style: categorized by kind, with its labels; the 1.1 and 1.2 fields take their defaults.
  EXPECT_EQ(l.style.kind, StyleKind::Categorized);
  EXPECT_EQ(l.style.labelField, "name");
  EXPECT_EQ(l.style.pointSizePx, 9.0f);
  EXPECT_EQ(l.style.pointSymbol, BCMAP_SYMBOL_CIRCLE);
  EXPECT_EQ(l.style.lineMarkers, 0u);
  EXPECT_EQ(l.style.labelPriority, 0);
  ASSERT_EQ(l.fill.size(), 2u);
  EXPECT_EQ(l.fill[0], (Rgba{10, 20, 30, 255}));
  EXPECT_EQ(l.fill[1], (Rgba{40, 50, 60, 255}));
  // Legend and tooltip.
  ASSERT_EQ(l.legend.size(), 2u);
  EXPECT_EQ(l.legend[0].label, "旧 old");
  EXPECT_EQ(l.legend[1].fill, (Rgba{40, 50, 60, 255}));
  EXPECT_EQ(store->describeFeature(l, 1), "乙村");
}

}  // namespace
}  // namespace bcmap
