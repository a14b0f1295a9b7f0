// A test plugin that exercises every callback: declared fields, batches with ids and time
// spans, a per-feature style, legend, tooltip, settings. Three points in Baicheng.
#include <string>
#include <vector>

#include "bcmap_plugin.hpp"

namespace {

using bcmap::sdk::rgba;

class GoodPoints : public bcmap::sdk::Layer {
 public:
  bcmap::sdk::Info info() override {
    bcmap::sdk::Info i;
    i.id = "test_points";
    i.nameZh = "测试点";
    i.nameEn = "Test points";
    i.version = "0.1.0";
    i.geometryKind = BCMAP_GEOM_POINT;
    i.hasTime = true;
    i.isSample = true;
    i.attribution = "test fixture";
    return i;
  }
  std::vector<bcmap_setting_v1> settings() override {
    return {bcmap::sdk::numberSetting(BCMAP_SETTING_FLOAT, "size", "Size", "8", 1, 40)};
  }
  void update(const std::string& key, const std::string& value) override {
    if (key == "size") size_ = std::stof(value);
  }
  void load(const bcmap::sdk::Loader& loader) override {
    const std::vector<bcmap_field_v1> fields = {{sizeof(bcmap_field_v1), "name", BCMAP_FIELD_STRING},
                                                {sizeof(bcmap_field_v1), "people", BCMAP_FIELD_INTEGER}};
    loader.declareFields(fields);
    const double xy[] = {122.84, 45.62, 123.08, 44.81, 124.29, 45.50};
    const char* names[] = {"甲村", "乙村", "丙村"};
    const int64_t people[] = {120, 450, 80};
    std::vector<bcmap_value_v1> values;
    for (int i = 0; i < 3; ++i) {
      bcmap_value_v1 n{};
      n.struct_size = sizeof n;
      n.str_value = names[i];
      bcmap_value_v1 p{};
      p.struct_size = sizeof p;
      p.int_value = people[i];
      values.push_back(n);
      values.push_back(p);
    }
    const char* ids[] = {"a", "b", "c"};
    // 2017-01-01 = 17167, 2018-06-01 = 17683 days since 1970-01-01.
    const int32_t start[] = {17167, 17683, BCMAP_NO_DAY};
    const int32_t end[] = {BCMAP_NO_DAY, BCMAP_NO_DAY, BCMAP_NO_DAY};
    bcmap_batch_v1 b{};
    b.struct_size = sizeof b;
    b.feature_count = 3;
    b.xy = xy;
    b.values = values.data();
    b.ids = ids;
    b.start_day = start;
    b.end_day = end;
    loader.emit(b);
  }
  bcmap_style_v1 style() override {
    bcmap_style_v1 s = bcmap::sdk::singleStyle(rgba(200, 30, 30), rgba(20, 20, 20), 1.0f, size_);
    s.label_field = "name";
    return s;
  }
  bool hasStyleFeature() const override { return true; }
  bool styleFeature(uint64_t index, const bcmap_value_v1* values, uint32_t, bcmap_feature_style_v1& out) override {
    out.has_size = 1;
    out.point_size_px = 4.0f + static_cast<float>(values[1].int_value) / 50.0f;
    out.has_fill = index == 1;
    out.fill = rgba(0, 0, 255);
    return true;
  }
  std::vector<bcmap_legend_entry_v1> legend() override {
    bcmap_legend_entry_v1 e{};
    e.label = "测试点 test points";
    e.fill = rgba(200, 30, 30);
    e.geometry_kind = BCMAP_GEOM_POINT;
    return {e};
  }
  std::string describeFeature(uint64_t, const bcmap_field_v1*, const bcmap_value_v1* values, uint32_t) override {
    return std::string(values[0].str_value) + ": " + values[1].str_value + " people";
  }

 private:
  float size_ = 8;
};

}  // namespace

BCMAP_PLUGIN(GoodPoints)
