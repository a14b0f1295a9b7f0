// A fault fixture written against the C ABI alone (no C++ wrapper): load() returns
// BCMAP_ERROR with a message, the way a C plugin reports that its source is unavailable.
#include <cstdio>
#include <cstring>

#include "bcmap_plugin.h"

namespace {

int gInstance;  // the plugin keeps no state; any non-null pointer will do

void* create() { return &gInstance; }
void destroy(void*) {}

bcmap_status describe(void*, bcmap_layer_info_v1* info, char*, size_t) {
  bcmap_layer_info_v1 v{};
  v.struct_size = sizeof v;
  v.id = "error_status";
  v.name_zh = "返回错误";
  v.name_en = "Returns an error";
  v.version = "1.0.0";
  v.geometry_kind = BCMAP_GEOM_POINT;
  v.source_crs = "EPSG:4326";
  std::memcpy(info, &v, info->struct_size < sizeof v ? info->struct_size : sizeof v);
  return BCMAP_OK;
}

bcmap_status load(void*, const bcmap_loader_v1*, char* err, size_t errSize) {
  std::snprintf(err, errSize, "%s", "the survey server answered 503: planted error status");
  return BCMAP_ERROR;
}

bcmap_status style(void*, bcmap_style_v1* out, char*, size_t) {
  bcmap_style_v1 s{};
  s.struct_size = sizeof s;
  s.fill = {1, 2, 3, 255};
  s.stroke_width_px = 1;
  s.point_size_px = 6;
  s.opacity = 1;
  std::memcpy(out, &s, out->struct_size < sizeof s ? out->struct_size : sizeof s);
  return BCMAP_OK;
}

}  // namespace

extern "C" BCMAP_EXPORT const bcmap_plugin_v1* bcmap_plugin_entry_v1(uint32_t, uint32_t) {
  static const bcmap_plugin_v1 table = [] {
    bcmap_plugin_v1 t{};
    t.struct_size = sizeof t;
    t.abi_major = BCMAP_ABI_MAJOR;
    t.abi_minor = BCMAP_ABI_MINOR;
    t.create = &create;
    t.destroy = &destroy;
    t.describe = &describe;
    t.load = &load;
    t.style = &style;
    return t;
  }();
  return &table;
}
