// Harness: the style and legend a plugin hands the host through the C ABI
// (plugins/sdk/include/bcmap/bcmap_plugin.h, section 5), read by the host's side of a load
// (host/PluginServices.h runLoad: struct sizes checked, copyStyle, the style evaluated over
// the table, style_feature, the legend entries). A fake plugin fills bcmap_style_v1, its
// categories and classes, the per-feature overrides and the legend entries from the bytes:
// struct sizes of every ABI version or any value, unknown enum values, counts, NaN and huge
// numbers, and strings that point anywhere into a byte arena (invalid UTF-8, running into
// the bytes after them; the arena ends in a NUL, as the C ABI's strings must). Pointers are
// otherwise valid: the host cannot check a pointer, and the ABI makes the plugin own them.
// runLoad must give the layer or a refusal that says why, and read nothing outside what the
// plugin handed over.
#include <algorithm>
#include <cstddef>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "FuzzSupport.h"
#include "host/PluginServices.h"

namespace {

using bcmap::fuzz::ByteReader;

// What the fake plugin returns; everything it points to lives here until the next input.
struct Script {
  explicit Script(const uint8_t* data, size_t size) : in(data, size) {}
  ByteReader in;
  std::string arena;  // string pool, NUL-terminated
  std::unique_ptr<char[]> categories, classes, legend;
  std::vector<std::unique_ptr<char[]>> keep;

  const char* text() {
    const uint8_t pick = in.byte();
    if (pick == 0) return nullptr;
    const uint16_t at = in.pod<uint16_t>();
    return arena.c_str() + at % (arena.size() + 1);
  }
  // A struct_size: this version's, an older one's, or any value.
  uint32_t structSize(std::initializer_list<uint32_t> versions) {
    const uint8_t pick = in.byte();
    if (pick < versions.size()) return *(versions.begin() + pick);
    if (pick < 0xf0) return *(versions.end() - 1);
    return in.pod<uint32_t>();
  }
  // An array of `count` structs T laid out `stride` bytes apart (the host's rule: the first
  // element's struct_size, at most sizeof(T)), in an allocation of exactly that many bytes,
  // so a read past the last element is a heap overflow ASan sees.
  template <class T>
  const T* array(std::unique_ptr<char[]>& store, const std::vector<T>& elems, size_t stride) {
    const size_t bytes = elems.empty() ? 0 : std::max(stride * elems.size(), sizeof(T));
    store.reset(new char[bytes + 1]);
    std::memset(store.get(), 0, bytes + 1);
    for (size_t i = 0; i < elems.size(); ++i) {
      const size_t at = i * stride;
      std::memcpy(store.get() + at, &elems[i], std::min(sizeof(T), bytes - at));
    }
    // One byte more than the layout needs keeps `new char[0]` apart from a null array.
    return reinterpret_cast<const T*>(store.get());
  }
};

// The host's stride for an array whose first element says `firstSize`, at least `size10`:
// below its 1.0 size the host refuses the first element without stepping further, and a
// shorter layout would write the second element over the first one's struct_size.
template <class T>
size_t strideOf(uint32_t firstSize, uint32_t size10) {
  return std::clamp<size_t>(firstSize, size10, sizeof(T));
}

Script* scriptOf(void* instance) { return static_cast<Script*>(instance); }

bcmap_status describe(void*, bcmap_layer_info_v1* info, char*, size_t) {
  info->struct_size = sizeof *info;
  info->id = "fuzz";
  info->geometry_kind = BCMAP_GEOM_POINT;
  return BCMAP_OK;
}

// Four points with a column of each type, for the style to classify.
bcmap_status load(void*, const bcmap_loader_v1* loader, char*, size_t) {
  static const bcmap_field_v1 fields[] = {{sizeof(bcmap_field_v1), "name", BCMAP_FIELD_STRING},
                                          {sizeof(bcmap_field_v1), "v", BCMAP_FIELD_REAL},
                                          {sizeof(bcmap_field_v1), "n", BCMAP_FIELD_INTEGER},
                                          {sizeof(bcmap_field_v1), "day", BCMAP_FIELD_DATE}};
  if (loader->declare_fields(loader->ctx, fields, 4) != BCMAP_OK) return BCMAP_ERROR;
  static const double xy[] = {122.8, 45.6, 123.0, 45.7, 123.2, 45.8, 123.4, 45.9};
  const char* names[] = {"a", "b", "通榆", nullptr};
  const double reals[] = {-1, 0, 2.5, 1e300};
  std::vector<bcmap_value_v1> values;
  for (int f = 0; f < 4; ++f) {
    values.push_back({sizeof(bcmap_value_v1), names[f] == nullptr, 0, 0, names[f]});
    values.push_back({sizeof(bcmap_value_v1), 0, 0, reals[f], nullptr});
    values.push_back({sizeof(bcmap_value_v1), f == 3, f * 100, 0, nullptr});
    values.push_back({sizeof(bcmap_value_v1), 0, 17000 + f, 0, nullptr});
  }
  bcmap_batch_v1 batch{};
  batch.struct_size = sizeof batch;
  batch.feature_count = 4;
  batch.xy = xy;
  batch.values = values.data();
  return loader->emit_batch(loader->ctx, &batch);
}

bcmap_status style(void* instance, bcmap_style_v1* out, char* err, size_t errSize) {
  Script& s = *scriptOf(instance);
  if (s.in.byte() == 0xff) {
    std::snprintf(err, errSize, "the fuzzer says no");
    return BCMAP_ERROR;
  }
  bcmap_style_v1 st{};
  st.struct_size = s.structSize({sizeof st, bcmap::abi10::kStyle,
                                 uint32_t(offsetof(bcmap_style_v1, label_max_scale)),
                                 uint32_t(offsetof(bcmap_style_v1, size_field))});
  st.kind = s.in.byte();
  st.field = s.text();
  st.fill = s.in.pod<bcmap_rgba>();
  st.stroke = s.in.pod<bcmap_rgba>();
  st.stroke_width_px = s.in.pod<float>();
  st.point_size_px = s.in.pod<float>();
  st.opacity = s.in.pod<float>();
  const uint8_t counts = s.in.byte();
  const size_t categoryCount = counts & 0x0f, classCount = counts >> 4;
  if (categoryCount) {
    std::vector<bcmap_category_v1> cats(categoryCount);
    for (bcmap_category_v1& c : cats) {
      c.struct_size = s.structSize({sizeof c});
      c.value = s.text();
      c.fill = s.in.pod<bcmap_rgba>();
      c.label = s.text();
    }
    // The host steps through categories and classes by sizeof (they never grew).
    st.categories = s.array(s.categories, cats, sizeof(bcmap_category_v1));
  }
  st.category_count = (s.in.byte() & 1) ? s.in.byte() % 16 : static_cast<uint32_t>(categoryCount);
  if (st.category_count > categoryCount && st.categories) st.category_count = static_cast<uint32_t>(categoryCount);
  if (classCount) {
    std::vector<bcmap_class_v1> classes(classCount);
    for (bcmap_class_v1& c : classes) {
      c.struct_size = s.structSize({sizeof c});
      c.lower = s.in.pod<double>();
      c.upper = s.in.pod<double>();
      c.fill = s.in.pod<bcmap_rgba>();
      c.label = s.text();
    }
    st.classes = s.array(s.classes, classes, sizeof(bcmap_class_v1));
  }
  st.class_count = static_cast<uint32_t>(classCount);
  st.label_field = s.text();
  st.label_secondary_field = s.text();
  st.point_symbol = s.in.byte();
  st.line_markers = s.in.byte();
  st.line_end_marker_px = s.in.pod<float>();
  st.label_max_scale = s.in.pod<double>();
  st.label_priority = s.in.pod<int32_t>();
  st.size_field = s.text();
  st.size_reference_value = s.in.pod<double>();
  st.size_reference_px = s.in.pod<float>();
  st.size_min_px = s.in.pod<float>();
  // A plugin writes only the part of the struct its headers know.
  std::memcpy(out, &st, std::min<size_t>(st.struct_size, sizeof st));
  out->struct_size = st.struct_size;
  return BCMAP_OK;
}

bcmap_status styleFeature(void* instance, uint64_t, const bcmap_value_v1*, uint32_t, bcmap_feature_style_v1* out, char*,
                          size_t) {
  Script& s = *scriptOf(instance);
  out->struct_size = s.structSize({sizeof *out});
  out->has_fill = s.in.byte() & 1;
  out->fill = s.in.pod<bcmap_rgba>();
  out->has_size = s.in.byte() & 1;
  out->point_size_px = s.in.pod<float>();
  return BCMAP_OK;
}

bcmap_status legend(void* instance, const bcmap_legend_entry_v1** entries, uint32_t* count, char*, size_t) {
  Script& s = *scriptOf(instance);
  const size_t n = s.in.byte() % 9;
  std::vector<bcmap_legend_entry_v1> list(n);
  for (bcmap_legend_entry_v1& e : list) {
    e.struct_size = s.structSize({sizeof e, bcmap::abi10::kLegendEntry});
    e.label = s.text();
    e.fill = s.in.pod<bcmap_rgba>();
    e.stroke = s.in.pod<bcmap_rgba>();
    e.geometry_kind = s.in.byte();
    e.size_px = s.in.pod<double>();
  }
  *entries = n ? s.array(s.legend, list, strideOf<bcmap_legend_entry_v1>(list[0].struct_size, bcmap::abi10::kLegendEntry)) : nullptr;
  *count = static_cast<uint32_t>(n);
  return BCMAP_OK;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // The first half of the input drives the callbacks, the second is the string arena.
  Script script(data, size / 2);
  script.arena.assign(reinterpret_cast<const char*>(data) + size / 2, size - size / 2);
  const uint8_t flags = script.in.byte();

  bcmap_plugin_v1 vt{};
  vt.struct_size = sizeof vt;
  vt.abi_major = BCMAP_ABI_MAJOR;
  vt.abi_minor = BCMAP_ABI_MINOR;
  vt.describe = &describe;
  vt.load = &load;
  vt.style = &style;
  if (flags & 1) vt.style_feature = &styleFeature;
  if (flags & 2) vt.legend = &legend;

  bcmap::LoadInput in;
  in.layerId = "fuzz";
  in.vtable = &vt;
  in.instance = &script;
  in.kind = bcmap::GeometryKind::Point;
  in.sourceCrs = "EPSG:4326";
  in.pluginFile = "bcmap_fuzz.so";
  const bcmap::LoadOutput out = bcmap::runLoad(in, std::string());
  if (out.error.empty()) {
    BCMAP_FUZZ_CHECK(out.table.featureCount() == 4);
    BCMAP_FUZZ_CHECK(out.fill.size() == 4 && out.pointSizePx.size() == 4);
    for (float px : out.pointSizePx) BCMAP_FUZZ_CHECK(px >= 0 && px <= 200);
  }
  return 0;
}
