// A fault fixture whose load() takes `sleep_ms` (10 s by default): loading off the UI
// thread must keep the UI's poll returning at once meanwhile.
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "bcmap_plugin.hpp"

namespace {
class SlowLoad : public bcmap::sdk::Layer {
 public:
  bcmap::sdk::Info info() override {
    bcmap::sdk::Info i;
    i.id = "slow_load";
    i.nameZh = "加载缓慢";
    i.nameEn = "Slow load";
    i.geometryKind = BCMAP_GEOM_POINT;
    return i;
  }
  std::vector<bcmap_setting_v1> settings() override {
    return {bcmap::sdk::numberSetting(BCMAP_SETTING_INT, "sleep_ms", "Sleep (ms)", "10000", 0, 60000)};
  }
  void update(const std::string& key, const std::string& value) override {
    if (key == "sleep_ms") sleepMs_ = std::stoi(value);
  }
  void load(const bcmap::sdk::Loader& loader) override {
    std::this_thread::sleep_for(std::chrono::milliseconds(sleepMs_));
    const double xy[] = {123.0, 45.0};
    bcmap_batch_v1 b{};
    b.struct_size = sizeof b;
    b.feature_count = 1;
    b.xy = xy;
    loader.emit(b);
  }
  bcmap_style_v1 style() override { return bcmap::sdk::singleStyle({1, 2, 3, 255}, {0, 0, 0, 255}); }

 private:
  int sleepMs_ = 10000;
};
}  // namespace

BCMAP_PLUGIN(SlowLoad)
