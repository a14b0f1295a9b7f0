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
};

LoadInput loadInputOf(const Layer& l);

// Every plugin call of a load — settings, features, style, per-feature style, legend — on
// the calling thread, touching nothing but `in`'s instance and what it returns. Relative
// paths the plugin asks read_vector for are taken from `dataDir`.
LoadOutput runLoad(const LoadInput& in, const std::string& dataDir);

// create, describe and settings: what a layer learns from its plugin before it loads. A
// failure marks `l` failed and refused, with a reason that names the file.
void initFromModule(Layer& l, const std::shared_ptr<PluginModule>& module);

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
