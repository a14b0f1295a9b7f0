// PluginServices: the host side of the plugin C ABI for one layer. What a layer learns from
// its plugin before it loads (create, describe, settings: initFromModule), and one load
// (runLoad): the settings' values, the services handed to the plugin's load() —
// declare_fields, emit_batch, read_vector, read_vector_rows, log — then style,
// style_feature and legend. runLoad touches nothing but the instance it is given and what
// it returns, so it runs on any thread; LayerLoader applies its result on the UI thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <bcmap/bcmap_plugin.h>
#include "host/Layer.h"

namespace bcmap {

// The room given to a plugin for an error message (err_size of every callback).
inline constexpr size_t kPluginErrSize = 1024;

// Each struct's size as plugin ABI 1.0 compiled it (sizeof: its last 1.0 field's end,
// rounded up to the struct's alignment). A plugin's struct_size below it is refused: the
// host would read fields the plugin never wrote. Later minors only append, so every newer
// plugin passes; fields added after 1.0 are read only where struct_size covers them.
namespace abi10 {
constexpr uint32_t sizeOf(size_t endOfLastField, size_t align) {
  return static_cast<uint32_t>((endOfLastField + align - 1) / align * align);
}
#define BCMAP_ABI10_SIZE(T, last) sizeOf(offsetof(T, last) + sizeof(T::last), alignof(T))
inline constexpr uint32_t kField = BCMAP_ABI10_SIZE(bcmap_field_v1, type);
inline constexpr uint32_t kValue = BCMAP_ABI10_SIZE(bcmap_value_v1, str_value);
inline constexpr uint32_t kBatch = BCMAP_ABI10_SIZE(bcmap_batch_v1, end_day);
inline constexpr uint32_t kFieldMap = BCMAP_ABI10_SIZE(bcmap_field_map_v1, source_field);
inline constexpr uint32_t kVectorRequest = BCMAP_ABI10_SIZE(bcmap_vector_request_v1, id_field);
inline constexpr uint32_t kCategory = BCMAP_ABI10_SIZE(bcmap_category_v1, label);
inline constexpr uint32_t kClass = BCMAP_ABI10_SIZE(bcmap_class_v1, label);
inline constexpr uint32_t kStyle = BCMAP_ABI10_SIZE(bcmap_style_v1, label_secondary_field);
inline constexpr uint32_t kFeatureStyle = BCMAP_ABI10_SIZE(bcmap_feature_style_v1, point_size_px);
inline constexpr uint32_t kLegendEntry = BCMAP_ABI10_SIZE(bcmap_legend_entry_v1, geometry_kind);
inline constexpr uint32_t kSetting = BCMAP_ABI10_SIZE(bcmap_setting_v1, reload);
inline constexpr uint32_t kLayerInfo = BCMAP_ABI10_SIZE(bcmap_layer_info_v1, attribution);
#undef BCMAP_ABI10_SIZE
}  // namespace abi10

// The i-th struct of an array a plugin handed over, stepping by the plugin's struct_size (its
// first element's): a plugin built against older headers lays out shorter elements (ABI 1.3
// grew bcmap_legend_entry_v1 from 32 to 40 bytes, so a 1.0 plugin's legend steps 32). The
// caller has checked base[0].struct_size against the 1.0 size, and reads only the fields
// that each element's struct_size covers.
template <class T>
const T& abiElement(const T* base, uint32_t i) {
  const size_t stride = base[0].struct_size < sizeof(T) ? base[0].struct_size : sizeof(T);
  return *reinterpret_cast<const T*>(reinterpret_cast<const char*>(base) + i * stride);
}

// Empty when `structSize` covers the struct's 1.0 size; otherwise the refusal, naming the
// plugin file and the struct: "plugin bcmap_x.so: bcmap_style_v1.struct_size is 0, smaller
// than its 1.0 size 88".
std::string structSizeError(const std::string& pluginFile, const char* structName, uint32_t structSize,
                            uint32_t size10);

// The one shape of a plugin callback's failure: "<who>: <callback> failed: <what>", where
// `who` is the layer id, or the plugin's file name before describe() gave one, and `where`
// ("setting size", "feature 3"), if any, is appended in parentheses.
std::string callbackFailed(const std::string& who, const char* callback, const std::string& what,
                           const std::string& where = {});
// "setting KEY" for an update() failure, or "" when the plugin's message names the key.
std::string settingNamed(const std::string& what, const std::string& key);

// The SDK's geometry kind as ours; an unknown value is None.
GeometryKind geometryKindOf(uint32_t kind);

// What a load needs from the layer, copied on the UI thread.
struct LoadInput {
  std::string layerId;
  const bcmap_plugin_v1* vtable = nullptr;
  void* instance = nullptr;
  std::vector<LayerSetting> settings;
  GeometryKind kind = GeometryKind::None;
  std::string sourceCrs;
  std::string pluginFile;  // the library's file name, for messages
  std::string pluginDir;   // the plugin's own folder (bcmap_loader_v1.plugin_dir)
};

// What a load made; applied to the layer on the UI thread. `error` set: the load failed.
struct LoadOutput {
  std::string error;
  FeatureTable table;
  GeometryKind kind = GeometryKind::None;
  std::string sourceCrs;
  LayerStyle style;
  std::vector<Rgba> fill;
  std::vector<float> pointSizePx;
  std::vector<LegendEntry> legend;
  std::vector<std::string> inputFiles;  // the files the plugin had the host read (Layer::inputFiles)
};

LoadInput loadInputOf(const Layer& l);

// Every plugin call of a load — settings, features, style, per-feature style, legend — on
// the calling thread, touching nothing but `in`'s instance and what it returns. Relative
// paths the plugin asks read_vector for are taken from `dataDir`.
LoadOutput runLoad(const LoadInput& in, const std::string& dataDir);

// create, attach (ABI 1.3: the plugin's own folder and `dataDir`, empty: the default data
// folder), describe and settings: what a layer learns from its plugin before it loads. A
// failure marks `l` failed and refused, with a reason that names the file.
void initFromModule(Layer& l, const std::shared_ptr<PluginModule>& module, const std::string& dataDir = {});

// ABI 1.3: the table has attach() (a 1.2 table ends before it) and it is set.
bool hasAttach(const bcmap_plugin_v1& vt);
// Calls attach() on `instance` when the table has it: "" on success (or when there is none),
// else the plugin's reason.
std::string attachInstance(const bcmap_plugin_v1& vt, void* instance, const std::string& pluginDir,
                           const std::string& dataDir);

// A new version's settings take the old values where the key and type are the same (and,
// for a choice, the value is still offered).
void carrySettings(std::vector<LayerSetting>& fresh, const std::vector<LayerSetting>& old);

// One feature's values as the plugin's callbacks take them (style_feature,
// describe_feature), with a text form of every value, so plugins can read str_value alone.
// The pointers stay valid until the next fill().
struct ValueRow {
  std::vector<std::string> text;
  std::vector<bcmap_value_v1> values;
  std::vector<bcmap_field_v1> fields;
  void fill(const FeatureTable& t, size_t row);
};

}  // namespace bcmap
