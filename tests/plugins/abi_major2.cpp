// A plugin built for a future ABI major (2): the host must refuse it and name both versions.
#include "bcmap_plugin.h"

extern "C" BCMAP_EXPORT const bcmap_plugin_v1* bcmap_plugin_entry_v1(uint32_t, uint32_t) {
  static bcmap_plugin_v1 table = [] {
    bcmap_plugin_v1 t{};
    t.struct_size = sizeof t;
    t.abi_major = 2;
    t.abi_minor = 0;
    return t;
  }();
  return &table;
}
