// A test plugin whose load() throws: the host must show the message and carry on.
#include <stdexcept>

#include "bcmap_plugin.hpp"

namespace {
class Throws : public bcmap::sdk::Layer {
 public:
  bcmap::sdk::Info info() override {
    bcmap::sdk::Info i;
    i.id = "throws_on_load";
    i.nameZh = "抛出异常";
    i.nameEn = "Throws on load";
    return i;
  }
  void load(const bcmap::sdk::Loader&) override { throw std::runtime_error("planted failure in load()"); }
  bcmap_style_v1 style() override { return bcmap::sdk::singleStyle({1, 2, 3, 255}, {0, 0, 0, 255}); }
};
}  // namespace

BCMAP_PLUGIN(Throws)
