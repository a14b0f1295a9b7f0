// A test plugin emitting one good polygon and one with NaN coordinates, and an invalid
// per-feature size: the NaN feature is dropped with a warning, the layer still loads.
#include <cmath>

#include "bcmap_plugin.hpp"

namespace {
class NanCoords : public bcmap::sdk::Layer {
 public:
  bcmap::sdk::Info info() override {
    bcmap::sdk::Info i;
    i.id = "nan_coords";
    i.nameZh = "坏坐标";
    i.nameEn = "NaN coordinates";
    i.geometryKind = BCMAP_GEOM_POLYGON;
    return i;
  }
  void load(const bcmap::sdk::Loader& loader) override {
    const double nan = std::nan("");
    const double xy[] = {122.0, 45.0, 123.0, 45.0, 123.0, 46.0, 122.0, 45.0,
                         nan,   45.0, 123.0, 45.0, 123.0, 46.0, nan,   45.0};
    const uint32_t verts[] = {4, 4};
    bcmap_batch_v1 b{};
    b.struct_size = sizeof b;
    b.feature_count = 2;
    b.vertices_per_ring = verts;
    b.xy = xy;
    loader.emit(b);
  }
  bcmap_style_v1 style() override { return bcmap::sdk::singleStyle({10, 200, 10, 255}, {0, 0, 0, 255}); }
};
}  // namespace

BCMAP_PLUGIN(NanCoords)
