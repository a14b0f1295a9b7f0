// A bcmap layer: three made-up points read from a GeoJSON file through the host's GDAL
// service. Start a layer of your own with `bcmap new-plugin NAME`; plugins/sdk/README.md
// walks through every part of this file.
#include <string>
#include <vector>

#include <bcmap/bcmap_plugin.hpp>

namespace {

using namespace bcmap::sdk;

constexpr bcmap_rgba kOutline = rgba(60, 60, 60);

class TemplateLayer : public MapLayer {
 public:
  Info info() override {
    Info i;
    i.id = "template";  // unique, [a-z0-9_]+; sessions remember the layer by it
    i.nameZh = "示例图层";
    i.nameEn = "Template layer";
    i.version = "0.1.0";  // the same as plugin.json's (check-plugin compares them)
    i.geometryKind = BCMAP_GEOM_POINT;
    i.hasTime = true;   // each point exists from its `opened` date on
    i.isSample = true;  // made-up data: the viewer says "示例数据 / sample data"
    i.attribution = "Template layer: made-up sample points";
    return i;
  }

  void load(const Reader& reader) override {
    VectorRequest r = file_.request();  // the path and the layer's fields, after mapping
    r.startField = "opened";            // no endField: open-ended
    r.idField = "code";
    reader.read(r);  // throws with the host's message (file, reason) on failure
  }

  // Graduated by households: class i holds [lower, upper), the last one includes upper.
  Style style() override {
    return Style::single(rgba(150, 150, 150), kOutline, 1.0f, 11.0f)
        .graduated("households", {{0, 100, rgba(254, 178, 76), "< 100 户 households"},
                                  {100, 1e9, rgba(189, 0, 38), "≥ 100 户 households"}})
        .labels("name_zh", "name_en");
  }

  std::vector<LegendEntry> legend() override { return style().legend(BCMAP_GEOM_POINT); }

  // Values by field name; text() is every value's text form (dates as YYYY-MM-DD).
  std::string describeFeature(const Row& f) override {
    return f["name_zh"].text() + " " + f["name_en"].text() + "\n户数 households: " + f["households"].text() +
           "\n设立 opened: " + f["opened"].text();
  }

 private:
  // The `path` setting, and the layer's fields: exactly these, in this order. Give a
  // mappingLabel too and a `fields` setting maps them to other names in the file. The
  // default path is the file that comes with the layer, in the plugin's own folder.
  VectorFile file_{*this, "template",
                   {.bundledFile = "template_points.geojson",
                    .pathLabel = "数据文件 Data file",
                    .fields = {"name_zh", "name_en", "households", "opened"}}};
};

}  // namespace

BCMAP_PLUGIN(TemplateLayer)
