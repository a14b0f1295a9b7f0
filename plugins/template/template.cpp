// A bcmap layer: three made-up points read from a GeoJSON file through the host's GDAL
// service. Start a layer of your own with `tools/new-plugin NAME`; plugins/sdk/README.md
// walks through every part of this file.
#include <iterator>
#include <string>
#include <vector>

#include <bcmap/bcmap_plugin.hpp>

namespace {

using bcmap::sdk::rgba;

// The file that comes with the layer (CMakeLists.txt passes its absolute path).
constexpr const char* kBundledFile = TEMPLATE_DATA_FILE;

// Layer field <- field in the file. For a file whose names differ, change the right side.
constexpr bcmap_field_map_v1 kFieldMap[] = {
    {sizeof(bcmap_field_map_v1), "name_zh", "name_zh"},
    {sizeof(bcmap_field_map_v1), "name_en", "name_en"},
    {sizeof(bcmap_field_map_v1), "households", "households"},
    {sizeof(bcmap_field_map_v1), "opened", "opened"},
};

// Graduated by households: class i holds [lower, upper), the last one includes upper.
constexpr bcmap_rgba kOutline = rgba(60, 60, 60);
constexpr bcmap_class_v1 kClasses[] = {
    {sizeof(bcmap_class_v1), 0, 100, rgba(254, 178, 76), "< 100 户 households"},
    {sizeof(bcmap_class_v1), 100, 1e9, rgba(189, 0, 38), "≥ 100 户 households"},
};

class TemplateLayer : public bcmap::sdk::Layer {
 public:
  bcmap::sdk::Info info() override {
    bcmap::sdk::Info i;
    i.id = "template";  // unique, [a-z0-9_]+; sessions remember the layer by it
    i.nameZh = "示例图层";
    i.nameEn = "Template layer";
    i.geometryKind = BCMAP_GEOM_POINT;
    i.hasTime = true;   // each point exists from its `opened` date on
    i.isSample = true;  // made-up data: the viewer says "示例数据 / sample data"
    i.attribution = "Template layer: made-up sample points";
    return i;
  }

  std::vector<bcmap_setting_v1> settings() override {
    return {bcmap::sdk::pathSetting("path", "数据文件 Data file", kBundledFile)};
  }

  void update(const std::string& key, const std::string& value) override {
    if (key == "path") path_ = value.empty() ? kBundledFile : value;
  }

  void load(const bcmap::sdk::Loader& loader) override {
    bcmap_vector_request_v1 req{};
    req.struct_size = sizeof req;
    req.path = path_.c_str();  // relative paths are looked up in the host's geodata/
    req.field_map = kFieldMap;
    req.field_map_count = static_cast<uint32_t>(std::size(kFieldMap));
    req.start_field = "opened";  // no end_field: open-ended
    req.id_field = "code";
    loader.readVector(req);  // throws with the host's message (file, reason) on failure
  }

  bcmap_style_v1 style() override {
    bcmap_style_v1 s = bcmap::sdk::singleStyle(rgba(150, 150, 150), kOutline, 1.0f, 11.0f);
    s.kind = BCMAP_STYLE_GRADUATED;
    s.field = "households";
    s.classes = kClasses;
    s.class_count = static_cast<uint32_t>(std::size(kClasses));
    s.label_field = "name_zh";
    s.label_secondary_field = "name_en";
    return s;
  }

  std::vector<bcmap_legend_entry_v1> legend() override {
    std::vector<bcmap_legend_entry_v1> out;
    for (const bcmap_class_v1& c : kClasses)
      out.push_back({sizeof(bcmap_legend_entry_v1), c.label, c.fill, kOutline, BCMAP_GEOM_POINT});
    return out;
  }

  // values[i] belongs to fields[i], in field-map order; str_value holds every value as text.
  std::string describeFeature(uint64_t, const bcmap_field_v1*, const bcmap_value_v1* values,
                              uint32_t count) override {
    auto text = [&](uint32_t i) -> std::string {
      return i < count && !values[i].is_null && values[i].str_value ? values[i].str_value : "";
    };
    return text(0) + " " + text(1) + "\n户数 households: " + text(2) + "\n设立 opened: " + text(3);
  }

 private:
  std::string path_ = kBundledFile;
};

}  // namespace

BCMAP_PLUGIN(TemplateLayer)
