// The hot-reload fixture, built three times into tests' reload_variants folder:
//   -DBCMAP_RELOAD_VERSION=1   version 1.0.0, one point
//   -DBCMAP_RELOAD_VERSION=2   version 2.0.0, two points
//   -DBCMAP_RELOAD_VERSION=3 -DBCMAP_RELOAD_BROKEN   load() throws
// A test copies one after another over the same file in a watched folder.
#include <stdexcept>
#include <string>
#include <vector>

#include "bcmap_plugin.hpp"

#ifndef BCMAP_RELOAD_VERSION
#error "build with -DBCMAP_RELOAD_VERSION=<n>"
#endif

namespace {
class ReloadProbe : public bcmap::sdk::Layer {
 public:
  bcmap::sdk::Info info() override {
    bcmap::sdk::Info i;
    i.id = "reload_probe";
    i.nameZh = "热重载";
    i.nameEn = "Hot reload probe";
    i.version = std::to_string(BCMAP_RELOAD_VERSION) + ".0.0";
    i.geometryKind = BCMAP_GEOM_POINT;
    return i;
  }
  std::vector<bcmap_setting_v1> settings() override {
    return {bcmap::sdk::numberSetting(BCMAP_SETTING_FLOAT, "size", "Size", "6", 1, 40)};
  }
  void update(const std::string& key, const std::string& value) override {
    if (key == "size") size_ = std::stof(value);
  }
  void load(const bcmap::sdk::Loader& loader) override {
#ifdef BCMAP_RELOAD_BROKEN
    (void)loader;
    throw std::runtime_error("planted failure in load() of the broken build");
#else
    const double xy[] = {122.8, 45.6, 123.1, 44.8, 123.5, 45.2};
    bcmap_batch_v1 b{};
    b.struct_size = sizeof b;
    b.feature_count = BCMAP_RELOAD_VERSION;  // version n gives n points
    b.xy = xy;
    loader.emit(b);
#endif
  }
  bcmap_style_v1 style() override { return bcmap::sdk::singleStyle({20, 120, 200, 255}, {0, 0, 0, 255}, 1.0f, size_); }

 private:
  float size_ = 6;
};
}  // namespace

BCMAP_PLUGIN(ReloadProbe)
