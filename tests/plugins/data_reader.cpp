// A fault fixture for bad data: reads a vector file through the host's GDAL service with
// settings the test changes — the file, the layer's geometry kind, the source field mapped
// to `name`, and a date field giving the start of each feature's time span.
#include <string>
#include <vector>

#include "bcmap_plugin.hpp"

namespace {

const char* const kKinds[] = {"point", "line", "polygon"};

class DataReader : public bcmap::sdk::Layer {
 public:
  bcmap::sdk::Info info() override {
    bcmap::sdk::Info i;
    i.id = "data_reader";
    i.nameZh = "数据读取";
    i.nameEn = "Data reader";
    i.geometryKind = kind_;
    i.hasTime = true;
    return i;
  }
  std::vector<bcmap_setting_v1> settings() override {
    bcmap_setting_v1 kind = bcmap::sdk::setting(BCMAP_SETTING_ENUM, "kind", "Geometry", "point", true);
    kind.options = kKinds;
    kind.option_count = 3;
    return {bcmap::sdk::pathSetting("path", "File", ""), kind,
            bcmap::sdk::setting(BCMAP_SETTING_TEXT, "name_field", "Name field", "name", true),
            bcmap::sdk::setting(BCMAP_SETTING_TEXT, "start_field", "Start date field", "", true)};
  }
  void update(const std::string& key, const std::string& value) override {
    if (key == "path") path_ = value;
    if (key == "name_field") nameField_ = value;
    if (key == "start_field") startField_ = value;
    if (key == "kind")
      kind_ = value == "line" ? BCMAP_GEOM_LINE : value == "polygon" ? BCMAP_GEOM_POLYGON : BCMAP_GEOM_POINT;
  }
  void load(const bcmap::sdk::Loader& loader) override {
    const bcmap_field_map_v1 map[] = {{sizeof(bcmap_field_map_v1), "name", nameField_.c_str()}};
    bcmap_vector_request_v1 r{};
    r.struct_size = sizeof r;
    r.path = path_.c_str();
    r.field_map = map;
    r.field_map_count = 1;
    r.start_field = startField_.empty() ? nullptr : startField_.c_str();
    loader.readVector(r);
  }
  bcmap_style_v1 style() override { return bcmap::sdk::singleStyle({30, 90, 160, 255}, {0, 0, 0, 255}); }

 private:
  std::string path_, nameField_ = "name", startField_;
  bcmap_geometry_kind kind_ = BCMAP_GEOM_POINT;
};

}  // namespace

BCMAP_PLUGIN(DataReader)
