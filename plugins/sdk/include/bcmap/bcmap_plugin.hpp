// bcmap layer plugin — header-only C++ wrapper over bcmap_plugin.h.
//
// A layer derives from bcmap::sdk::MapLayer, overrides what it needs, and ends its source
// file with BCMAP_PLUGIN(MyLayer). The macro writes the C glue: the exported entry
// function, the static vtable, and try/catch around every call so no exception crosses
// the boundary (an exception becomes BCMAP_ERROR with its what() as the message).
//
// Two ways to write a layer:
//   - the new way (sections 4-9): derive from bcmap::sdk::MapLayer. Everything handed to
//     the host (style, categories, classes, legend, settings, field maps) is built from
//     ordinary C++ values, temporaries included; the wrapper owns the storage for as long as
//     bcmap_plugin.h lets the host read it, and fills struct_size and the counts. Values
//     come by field name (row["jobs"].asInt()), settings are typed members.
//   - the old way (sections 1-3): derive from bcmap::sdk::Layer and fill the C structs by
//     hand. It still works, so older plugins keep compiling; new code should not use it.
//
// Sections:
//   1. helpers  2. the Layer base class (old way)  3. its glue
//   4. dates, colours, values by name  5. typed settings  6. style and legend
//   7. reading files and emitting features  8. the MapLayer base class  9. its glue
//   10. BCMAP_PLUGIN (picks the glue for either base class)
//
// The sections live in sdk/*.hpp beside this file (legacy, values, settings, style,
// features, map_layer), included here in order; section 10 is below.
#pragma once

#include "sdk/map_layer.hpp"

// ---- 10. BCMAP_PLUGIN --------------------------------------------------------------------
// Exports the entry function for layer class T. Use once per plugin, at namespace scope.
#define BCMAP_PLUGIN(T)                                                                      \
  extern "C" BCMAP_EXPORT const bcmap_plugin_v1* bcmap_plugin_entry_v1(uint32_t hostMajor,  \
                                                                       uint32_t hostMinor) { \
    (void)hostMajor;                                                                         \
    (void)hostMinor;                                                                         \
    return ::bcmap::sdk::GlueFor<T>::vtable();                                               \
  }
