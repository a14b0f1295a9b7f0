// A test plugin declaring an invalid style (NaN stroke width): the layer fails with a reason.
#include <cmath>

#include "bcmap_plugin.hpp"

namespace {
class BadStyle : public bcmap::sdk::Layer {
 public:
  bcmap::sdk::Info info() override {
    bcmap::sdk::Info i;
    i.id = "bad_style";
    i.nameZh = "坏样式";
    i.nameEn = "Bad style";
    i.geometryKind = BCMAP_GEOM_POINT;
    return i;
  }
  void load(const bcmap::sdk::Loader&) override {}
  bcmap_style_v1 style() override {
    return bcmap::sdk::singleStyle({1, 2, 3, 255}, {0, 0, 0, 255}, std::nanf(""));
  }
};
}  // namespace

BCMAP_PLUGIN(BadStyle)
