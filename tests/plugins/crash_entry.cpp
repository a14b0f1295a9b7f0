// A fault fixture whose entry function crashes: a write through a null pointer (SIGSEGV),
// or abort() when built with -DBCMAP_CRASH_ABORT. Loaded in the viewer's process it would
// take the viewer down; the crash probe must catch it in a child and report the signal.
// Built without sanitizer instrumentation (tests/CMakeLists.txt), so the crash is a plain
// signal under the sanitizer build too.
#include <cstdint>
#include <cstdlib>

#include "bcmap_plugin.hpp"

namespace {
class CrashEntry : public bcmap::sdk::Layer {
 public:
  bcmap::sdk::Info info() override {
    bcmap::sdk::Info i;
    i.id = "crash_entry";
    i.nameZh = "入口崩溃";
    i.nameEn = "Crashes in its entry function";
    return i;
  }
  void load(const bcmap::sdk::Loader&) override {}
  bcmap_style_v1 style() override { return bcmap::sdk::singleStyle({1, 2, 3, 255}, {0, 0, 0, 255}); }
};
}  // namespace

extern "C" BCMAP_EXPORT const bcmap_plugin_v1* bcmap_plugin_entry_v1(uint32_t, uint32_t) {
#ifdef BCMAP_CRASH_ABORT
  std::abort();
#else
  volatile std::uintptr_t address = 0;  // volatile: the compiler cannot know it is null
  *reinterpret_cast<volatile int*>(address) = 1;
  return bcmap::sdk::Glue<CrashEntry>::vtable();
#endif
}
