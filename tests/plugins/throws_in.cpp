// A fault fixture built once per callback with -DBCMAP_THROW_IN=<callback>: that callback
// throws, every other one works. The wrapper turns the exception into BCMAP_ERROR with the
// message; the host must show it, naming the layer, and keep the other layers working.
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include "bcmap_plugin.hpp"

#ifndef BCMAP_THROW_IN
#error "build with -DBCMAP_THROW_IN=describe|settings|update|load|style|style_feature|legend|describe_feature"
#endif
#define BCMAP_STR2(x) #x
#define BCMAP_STR(x) BCMAP_STR2(x)

namespace {

constexpr const char* kThrowIn = BCMAP_STR(BCMAP_THROW_IN);

void maybeThrow(const char* callback) {
  if (std::strcmp(callback, kThrowIn) == 0) throw std::runtime_error(std::string("planted failure in ") + callback + "()");
}

class ThrowsIn : public bcmap::sdk::Layer {
 public:
  bcmap::sdk::Info info() override {
    maybeThrow("describe");
    bcmap::sdk::Info i;
    i.id = std::string("throws_in_") + kThrowIn;
    i.nameZh = "抛出异常";
    i.nameEn = std::string("Throws in ") + kThrowIn;
    i.geometryKind = BCMAP_GEOM_POINT;
    return i;
  }
  std::vector<bcmap_setting_v1> settings() override {
    maybeThrow("settings");
    return {bcmap::sdk::numberSetting(BCMAP_SETTING_INT, "count", "Count", "2", 1, 10)};
  }
  void update(const std::string&, const std::string&) override { maybeThrow("update"); }
  void load(const bcmap::sdk::Loader& loader) override {
    maybeThrow("load");
    loader.declareFields({{sizeof(bcmap_field_v1), "name", BCMAP_FIELD_STRING}});
    const double xy[] = {122.8, 45.6, 123.1, 44.8};
    bcmap_value_v1 values[2] = {};
    const char* names[] = {"甲", "乙"};
    for (int i = 0; i < 2; ++i) {
      values[i].struct_size = sizeof values[i];
      values[i].str_value = names[i];
    }
    bcmap_batch_v1 b{};
    b.struct_size = sizeof b;
    b.feature_count = 2;
    b.xy = xy;
    b.values = values;
    loader.emit(b);
  }
  bcmap_style_v1 style() override {
    maybeThrow("style");
    return bcmap::sdk::singleStyle({200, 60, 60, 255}, {0, 0, 0, 255});
  }
  bool hasStyleFeature() const override { return true; }
  bool styleFeature(uint64_t, const bcmap_value_v1*, uint32_t, bcmap_feature_style_v1&) override {
    maybeThrow("style_feature");
    return false;
  }
  std::vector<bcmap_legend_entry_v1> legend() override {
    maybeThrow("legend");
    bcmap_legend_entry_v1 e{};
    e.label = "throws";
    e.fill = {200, 60, 60, 255};
    e.geometry_kind = BCMAP_GEOM_POINT;
    return {e};
  }
  std::string describeFeature(uint64_t, const bcmap_field_v1*, const bcmap_value_v1* values, uint32_t) override {
    maybeThrow("describe_feature");
    return std::string("village ") + values[0].str_value;
  }
};

}  // namespace

BCMAP_PLUGIN(ThrowsIn)
