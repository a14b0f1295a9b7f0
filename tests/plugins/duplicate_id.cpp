// A plugin claiming the id of another (test_points): the second one is refused.
#include "bcmap_plugin.hpp"

namespace {
class Duplicate : public bcmap::sdk::Layer {
 public:
  bcmap::sdk::Info info() override {
    bcmap::sdk::Info i;
    i.id = "test_points";
    i.nameZh = "重复";
    i.nameEn = "Duplicate id";
    i.geometryKind = BCMAP_GEOM_POINT;
    return i;
  }
  void load(const bcmap::sdk::Loader&) override {}
  bcmap_style_v1 style() override { return bcmap::sdk::singleStyle({1, 2, 3, 255}, {0, 0, 0, 255}); }
};
}  // namespace

BCMAP_PLUGIN(Duplicate)
