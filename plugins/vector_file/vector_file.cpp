// A generic layer for any GDAL-readable vector file the user opens (`bcmap FILE...`, a
// dropped file). The host makes one instance per file and sets its `path` setting.
#include <string>
#include <vector>

#include <bcmap/bcmap_plugin.hpp>

namespace {

using namespace bcmap::sdk;

// The legend's label: a file's name; a database source's table, schema.name, as the host
// names the layer (postgresql://...?table=schema.name, PG:"... tables=schema.name"), not
// the text after the URL's last slash.
std::string label(const std::string& path) {
  const bool db = path.rfind("postgresql://", 0) == 0 || path.rfind("postgres://", 0) == 0 || path.rfind("PG:", 0) == 0;
  if (db) {
    for (const char* key : {"?table=", "&table=", "tables=", "table="}) {
      const size_t at = path.find(key);
      if (at == std::string::npos) continue;
      std::string t = path.substr(at + std::char_traits<char>::length(key));
      if (!t.empty() && t.front() == '\'') t = t.substr(1, t.find('\'', 1) - 1);  // a quoted conninfo value
      else t = t.substr(0, t.find_first_of(path[0] == 'P' ? " \"" : "&#"));
      if (t.empty()) break;
      return t.find('.') == std::string::npos ? "public." + t : t;
    }
  }
  return path.substr(path.find_last_of('/') + 1);
}

bool isNone(const std::string& v) { return v == "无" || v == "none" || v == "None" || v == "NONE"; }

class VectorFileLayer : public MapLayer {
 public:
  Info info() override {
    // Whatever geometry the file holds, in the file's own CRS.
    return {.id = "vector_file", .nameZh = "矢量文件", .nameEn = "Vector file", .geometryKind = BCMAP_GEOM_NONE,
            .sourceCrs = ""};
  }

  void load(const Reader& reader) override {
    if (path_->empty()) throw Error("no file given (the `path` setting is empty)");
    VectorRequest r;
    r.path = *path_;
    r.layerName = *layer_;
    r.gcj02 = *gcj02_;
    // Empty: the host finds the time fields (a date field, or one named date, 日期, ...);
    // "无" or "none" in either turns finding off (a named field is still used).
    r.startField = isNone(*start_) ? "" : *start_;
    r.endField = isNone(*end_) ? "" : *end_;
    r.detectTime = !isNone(*start_) && !isNone(*end_);
    reader.read(r);
  }

  Style style() override {
    // Translucent fill so what lies beneath stays readable; a darker outline of the same hue.
    bcmap_rgba fill = *colour_;
    fill.a = 150;
    const bcmap_rgba c = *colour_;
    return Style::single(fill, rgba(uint8_t(c.r * 0.6), uint8_t(c.g * 0.6), uint8_t(c.b * 0.6)), 1.2f, *pointSizePx_);
  }

  std::vector<LegendEntry> legend() override { return {{label(*path_), *colour_, style().stroke, BCMAP_GEOM_NONE}}; }

 private:
  Setting<std::string>& path_ = pathSetting("path", "File / 文件", "");
  Setting<std::string>& layer_ = textSetting("layer", "Layer in file / 图层").reloads();
  Setting<std::string>& start_ = textSetting("start_field", "时间字段 Start date field").reloads();
  Setting<std::string>& end_ = textSetting("end_field", "结束字段 End date field").reloads();
  Setting<bool>& gcj02_ = boolSetting("gcj02", "File is GCJ-02 / 火星坐标", false).reloads();
  Setting<bcmap_rgba>& colour_ = addSetting<bcmap_rgba>(BCMAP_SETTING_COLOR, "color", "Colour / 颜色", "#3a6fb0");
  Setting<float>& pointSizePx_ =
      addSetting<float>(BCMAP_SETTING_FLOAT, "point_size", "Point size (px) / 点大小", "8").range(1, 64);
};

}  // namespace

BCMAP_PLUGIN(VectorFileLayer)
