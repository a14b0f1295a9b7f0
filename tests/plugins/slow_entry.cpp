// A fault fixture whose entry function takes 10 s (a plugin that waits on the network at
// start-up, say). The probe must give up after its timeout and the plugin is refused; the
// viewer's UI thread never waits for it.
#include <chrono>
#include <thread>

#include "bcmap_plugin.hpp"

namespace {
class SlowEntry : public bcmap::sdk::Layer {
 public:
  bcmap::sdk::Info info() override {
    bcmap::sdk::Info i;
    i.id = "slow_entry";
    i.nameZh = "入口缓慢";
    i.nameEn = "Slow entry function";
    return i;
  }
  void load(const bcmap::sdk::Loader&) override {}
  bcmap_style_v1 style() override { return bcmap::sdk::singleStyle({1, 2, 3, 255}, {0, 0, 0, 255}); }
};
}  // namespace

extern "C" BCMAP_EXPORT const bcmap_plugin_v1* bcmap_plugin_entry_v1(uint32_t, uint32_t) {
  std::this_thread::sleep_for(std::chrono::seconds(10));
  return bcmap::sdk::Glue<SlowEntry>::vtable();
}
