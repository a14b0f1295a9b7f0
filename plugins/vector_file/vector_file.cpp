// A generic layer for any GDAL-readable vector file the user opens (`bcmap FILE...`, a
// dropped file). The host makes one instance per file and sets its `path` setting.
#include <cstdlib>
#include <string>
#include <vector>

#include <bcmap/bcmap_plugin.hpp>

namespace {

using bcmap::sdk::rgba;

bcmap_rgba parseColour(const std::string& hex, bcmap_rgba fallback) {
  if (hex.size() != 7 && hex.size() != 9) return fallback;
  if (hex[0] != '#') return fallback;
  char* end = nullptr;
  const unsigned long v = std::strtoul(hex.c_str() + 1, &end, 16);
  if (*end != '\0') return fallback;
  if (hex.size() == 7)
    return rgba(uint8_t(v >> 16), uint8_t(v >> 8), uint8_t(v), 255);
  return rgba(uint8_t(v >> 24), uint8_t(v >> 16), uint8_t(v >> 8), uint8_t(v));
}

class VectorFileLayer : public bcmap::sdk::Layer {
 public:
  bcmap::sdk::Info info() override {
    bcmap::sdk::Info i;
    i.id = "vector_file";
    i.nameZh = "矢量文件";
    i.nameEn = "Vector file";
    i.version = "1.0.0";
    i.geometryKind = BCMAP_GEOM_NONE;  // whatever the file holds
    i.sourceCrs = "";                  // the file's own
    i.attribution = "";
    return i;
  }

  std::vector<bcmap_setting_v1> settings() override {
    using namespace bcmap::sdk;
    return {pathSetting("path", "File / 文件", ""),
            setting(BCMAP_SETTING_TEXT, "layer", "Layer in file / 图层", "", true),
            boolSetting("gcj02", "File is GCJ-02 / 火星坐标", false, true),
            setting(BCMAP_SETTING_COLOR, "color", "Colour / 颜色", "#3a6fb0"),
            numberSetting(BCMAP_SETTING_FLOAT, "point_size", "Point size (px) / 点大小", "5", 1, 64)};
  }

  void update(const std::string& key, const std::string& value) override {
    if (key == "path") path_ = value;
    if (key == "layer") layer_ = value;
    if (key == "gcj02") gcj02_ = bcmap::sdk::isTrue(value);
    if (key == "color") colour_ = parseColour(value, colour_);
    if (key == "point_size") pointSizePx_ = std::strtof(value.c_str(), nullptr);
  }

  void load(const bcmap::sdk::Loader& loader) override {
    if (path_.empty()) throw bcmap::sdk::Error("no file given (the `path` setting is empty)");
    bcmap_vector_request_v1 req{};
    req.struct_size = sizeof req;
    req.path = path_.c_str();
    req.layer_name = layer_.empty() ? nullptr : layer_.c_str();
    req.gcj02 = gcj02_;
    loader.readVector(req);
  }

  bcmap_style_v1 style() override {
    // Translucent fill so what lies beneath stays readable; a darker outline of the same hue.
    bcmap_rgba fill = colour_;
    fill.a = 150;
    const bcmap_rgba stroke = rgba(uint8_t(colour_.r * 0.6), uint8_t(colour_.g * 0.6), uint8_t(colour_.b * 0.6));
    return bcmap::sdk::singleStyle(fill, stroke, 1.2f, pointSizePx_);
  }

  std::vector<bcmap_legend_entry_v1> legend() override {
    label_ = path_.substr(path_.find_last_of('/') + 1);
    bcmap_legend_entry_v1 e{};
    e.label = label_.c_str();
    e.fill = colour_;
    e.stroke = style().stroke;
    e.geometry_kind = BCMAP_GEOM_NONE;
    return {e};
  }

 private:
  std::string path_, layer_, label_;
  bool gcj02_ = false;
  float pointSizePx_ = 5.0f;
  bcmap_rgba colour_ = rgba(58, 111, 176);
};

}  // namespace

BCMAP_PLUGIN(VectorFileLayer)
