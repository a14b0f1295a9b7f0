// bcmap plugin SDK, sections 1-3: helpers, the Layer base class (the old way) and its C glue.
// Part of <bcmap/bcmap_plugin.hpp>, which includes the parts in order: include that, not
// this file. (The wrapper is split only to keep each file readable.)
#pragma once

#include <algorithm>
#include <charconv>
#include <cmath>
#include <deque>
#include <map>
#include <optional>
#include <type_traits>
#include <utility>
#include <cstddef>
#include <iterator>
#include <cstdio>
#include <cstring>
#include <cstdlib>
#include <cctype>
#include <string_view>
#include <exception>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "../bcmap_plugin.h"

namespace bcmap::sdk {

// ---- 1. helpers ------------------------------------------------------------------------
inline void copyMessage(char* dst, size_t size, const char* msg) {
  if (!dst || size == 0) return;
  std::snprintf(dst, size, "%s", msg ? msg : "");
}

constexpr bcmap_rgba rgba(uint8_t r, uint8_t g, uint8_t b, uint8_t a = 255) {
  return bcmap_rgba{r, g, b, a};
}

// Thrown by layers to report an error; any std::exception works the same.
struct Error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// What a layer's describe() returns. Strings are copied into the layer's own storage.
struct Info {
  std::string id = {}, nameZh = {}, nameEn = {}, version = "1.0.0";
  bcmap_geometry_kind geometryKind = BCMAP_GEOM_POLYGON;
  std::string sourceCrs = "EPSG:4326";
  bool hasTime = false;
  bool isSample = false;
  bool hiddenByDefault = false;  // listed, but off until the user turns it on
  std::string attribution = {};
};

// The loader handed to load(): wraps bcmap_loader_v1 with exceptions on failure.
class Loader {
 public:
  explicit Loader(const bcmap_loader_v1* l) : l_(l) {}
  const char* dataDir() const { return l_->data_dir; }
  // ABI 1.3: the plugin's own folder; "" from an older host.
  const char* pluginDir() const {
    const bool has = l_->struct_size >= offsetof(bcmap_loader_v1, plugin_dir) + sizeof(l_->plugin_dir);
    return has && l_->plugin_dir ? l_->plugin_dir : "";
  }
  void declareFields(const std::vector<bcmap_field_v1>& fields) const {
    if (l_->declare_fields(l_->ctx, fields.data(), static_cast<uint32_t>(fields.size())) != BCMAP_OK)
      throw Error("declare_fields was refused by the host");
  }
  void emit(const bcmap_batch_v1& batch) const {
    if (l_->emit_batch(l_->ctx, &batch) != BCMAP_OK) throw Error("emit_batch was refused by the host");
  }
  // Reads a vector source through the host's GDAL service; throws with the host's message.
  void readVector(const bcmap_vector_request_v1& request) const {
    char err[1024] = {0};
    if (l_->read_vector(l_->ctx, &request, err, sizeof err) != BCMAP_OK) throw Error(err);
  }
  // Reads a vector source through the host's GDAL service and hands its rows to `onBatch`
  // (fields after mapping, then batches; geometry in the source CRS `crs`). Throws when
  // the host is older than ABI 1.1 or the read fails; exceptions from onBatch propagate.
  using RowsFn = std::function<void(const char* crs, const bcmap_field_v1* fields, uint32_t fieldCount,
                                    const bcmap_batch_v1& batch)>;
  void readVectorRows(const bcmap_vector_request_v1& request, const RowsFn& onBatch) const {
    if (l_->struct_size < offsetof(bcmap_loader_v1, read_vector_rows) + sizeof(l_->read_vector_rows) ||
        !l_->read_vector_rows)
      throw Error("this bcmap is older than plugin ABI 1.1 (no read_vector_rows)");
    struct Call {
      const RowsFn* fn;
      std::string error;
    } call{&onBatch, {}};
    auto trampoline = [](void* user, const char* crs, const bcmap_field_v1* fields, uint32_t count,
                         const bcmap_batch_v1* batch) -> bcmap_status {
      Call& c = *static_cast<Call*>(user);
      try {
        (*c.fn)(crs, fields, count, *batch);
        return BCMAP_OK;
      } catch (const std::exception& e) {
        c.error = e.what();
      } catch (...) {
        c.error = "unknown exception";
      }
      return BCMAP_ERROR;
    };
    char err[1024] = {0};
    if (l_->read_vector_rows(l_->ctx, &request, trampoline, &call, err, sizeof err) != BCMAP_OK)
      throw Error(call.error.empty() ? std::string(err) : call.error);
  }
  void log(bcmap_log_level level, const std::string& message) const {
    l_->log(l_->ctx, level, message.c_str());
  }

 private:
  const bcmap_loader_v1* l_;
};

// A legend array as the host that asked can read it. The host steps through the array by
// struct_size; a host older than ABI 1.3 never calls attach() and steps by the 1.0 entry
// (32 bytes on 64-bit: it knows no size_px), so for it the entries are packed at that size.
// `entries` keep their own struct_size for a 1.3 host.
inline const bcmap_legend_entry_v1* legendForHost(std::vector<bcmap_legend_entry_v1>& entries, bool hostKnows13,
                                                  std::vector<unsigned char>& packed) {
  for (auto& e : entries) e.struct_size = sizeof e;
  if (hostKnows13 || entries.empty()) return entries.data();
  constexpr size_t kEnd10 = offsetof(bcmap_legend_entry_v1, geometry_kind) + sizeof(uint32_t);
  constexpr size_t kSize10 = (kEnd10 + alignof(bcmap_legend_entry_v1) - 1) / alignof(bcmap_legend_entry_v1) *
                             alignof(bcmap_legend_entry_v1);
  packed.assign(entries.size() * kSize10, 0);  // operator new's alignment suits the struct
  for (size_t i = 0; i < entries.size(); ++i) {
    bcmap_legend_entry_v1 e = entries[i];
    e.struct_size = static_cast<uint32_t>(kSize10);
    std::memcpy(packed.data() + i * kSize10, &e, kSize10);
  }
  return reinterpret_cast<const bcmap_legend_entry_v1*>(packed.data());
}

// ---- 2. the Layer base class (the old way) ----------------------------------------------
// Every method is called by the host, one call at a time (loader thread while loading, UI
// thread otherwise). Throw to report an error.
class Layer {
 public:
  virtual ~Layer() = default;
  virtual Info info() = 0;
  virtual std::vector<bcmap_setting_v1> settings() { return {}; }
  // A setting changed (also called with the stored values before the first load).
  virtual void update(const std::string& /*key*/, const std::string& /*value*/) {}
  // Produce the features, through the loader. May take long.
  virtual void load(const Loader& loader) = 0;
  virtual bcmap_style_v1 style() = 0;
  // Optional per-feature override, called once per feature after load. Return false for
  // "no override". Only used when hasStyleFeature() is true.
  virtual bool hasStyleFeature() const { return false; }
  virtual bool styleFeature(uint64_t /*index*/, const bcmap_value_v1* /*values*/, uint32_t /*count*/,
                            bcmap_feature_style_v1& /*out*/) {
    return false;
  }
  virtual std::vector<bcmap_legend_entry_v1> legend() { return {}; }
  // Tooltip text; default: "<field>: <value>" lines are made by the host when this is empty.
  virtual std::string describeFeature(uint64_t /*index*/, const bcmap_field_v1* /*fields*/,
                                      const bcmap_value_v1* /*values*/, uint32_t /*count*/) {
    return {};
  }

  // Called once the host has told the layer its folder (attach, ABI 1.3), before info();
  // throwing refuses the layer.
  virtual void attached() {}
  // The plugin's own folder and a file in it (see MapLayer::pluginDir(), bundled()).
  const std::string& pluginDir() const { return pluginDir_; }
  std::string bundled(const std::string& fileName) const {
    if (pluginDir_.empty()) throw Error("bundled(\"" + fileName + "\"): this bcmap is older than plugin ABI 1.3 and does not say where the plugin is installed");
    return pluginDir_ + (pluginDir_.back() == '/' ? "" : "/") + fileName;
  }

  // Storage the glue uses to keep returned pointers valid until the next call.
  std::string pluginDir_;
  Info infoStore_;
  std::vector<bcmap_setting_v1> settingsStore_;
  std::vector<bcmap_legend_entry_v1> legendStore_;
  std::vector<unsigned char> legendPacked_;  // legendForHost(), for a host older than 1.3
  bool hostKnows13_ = false;                 // attach() was called: the host speaks ABI 1.3
};

// ---- 3. the glue ------------------------------------------------------------------------
// Writes `i` into the host's struct; the strings stay in `i` (the layer's infoStore_), which
// outlives the call as the ABI asks. The host may be older (a smaller struct): only what it
// has room for is copied.
inline void writeInfo(const Info& i, bcmap_layer_info_v1* out) {
  bcmap_layer_info_v1 v{};
  v.struct_size = sizeof v;
  v.id = i.id.c_str();
  v.name_zh = i.nameZh.c_str();
  v.name_en = i.nameEn.c_str();
  v.version = i.version.c_str();
  v.geometry_kind = i.geometryKind;
  v.source_crs = i.sourceCrs.c_str();
  v.has_time = i.hasTime;
  v.is_sample = i.isSample;
  v.hidden_by_default = i.hiddenByDefault;
  v.attribution = i.attribution.c_str();
  std::memcpy(out, &v, out->struct_size < sizeof v ? out->struct_size : sizeof v);
}

// The plugin table of glue G (Glue<T> or MapGlue<T>): its static callbacks, the ABI version
// this header is, and style_feature only for a layer that has one.
template <class G>
bcmap_plugin_v1 pluginTable(bool hasStyleFeature) {
  bcmap_plugin_v1 p{};
  p.struct_size = sizeof p;
  p.abi_major = BCMAP_ABI_MAJOR;
  p.abi_minor = BCMAP_ABI_MINOR;
  p.create = &G::create;
  p.destroy = &G::destroy;
  p.describe = &G::describe;
  p.settings = &G::settings;
  p.update = &G::update;
  p.load = &G::load;
  p.style = &G::style;
  p.style_feature = hasStyleFeature ? &G::styleFeature : nullptr;
  p.legend = &G::legend;
  p.describe_feature = &G::describeFeature;
  p.attach = &G::attach;
  return p;
}

template <class T>
struct Glue {
  template <class F>
  static bcmap_status guard(char* err, size_t errSize, F&& f) {
    try {
      f();
      return BCMAP_OK;
    } catch (const std::exception& e) {
      copyMessage(err, errSize, e.what());
    } catch (...) {
      copyMessage(err, errSize, "unknown exception");
    }
    return BCMAP_ERROR;
  }
  static Layer* self(void* instance) { return static_cast<Layer*>(instance); }

  static void* create() {
    try {
      return static_cast<Layer*>(new T());
    } catch (...) {
      return nullptr;
    }
  }
  static void destroy(void* instance) { delete self(instance); }

  static bcmap_status attach(void* instance, const bcmap_host_context_v1* context, char* err, size_t errSize) {
    return guard(err, errSize, [&] {
      self(instance)->pluginDir_ = context->plugin_dir ? context->plugin_dir : "";
      self(instance)->hostKnows13_ = true;
      self(instance)->attached();
    });
  }
  static bcmap_status describe(void* instance, bcmap_layer_info_v1* out, char* err, size_t errSize) {
    return guard(err, errSize, [&] {
      Layer* l = self(instance);
      l->infoStore_ = l->info();
      writeInfo(l->infoStore_, out);
    });
  }
  static bcmap_status settings(void* instance, const bcmap_setting_v1** out, uint32_t* count, char* err,
                               size_t errSize) {
    return guard(err, errSize, [&] {
      Layer* l = self(instance);
      l->settingsStore_ = l->settings();
      for (auto& s : l->settingsStore_) s.struct_size = sizeof s;
      *out = l->settingsStore_.data();
      *count = static_cast<uint32_t>(l->settingsStore_.size());
    });
  }
  static bcmap_status update(void* instance, const char* key, const char* value, char* err, size_t errSize) {
    return guard(err, errSize, [&] { self(instance)->update(key ? key : "", value ? value : ""); });
  }
  static bcmap_status load(void* instance, const bcmap_loader_v1* loader, char* err, size_t errSize) {
    return guard(err, errSize, [&] { self(instance)->load(Loader(loader)); });
  }
  static bcmap_status style(void* instance, bcmap_style_v1* out, char* err, size_t errSize) {
    return guard(err, errSize, [&] {
      bcmap_style_v1 s = self(instance)->style();
      s.struct_size = sizeof s;
      std::memcpy(out, &s, out->struct_size < sizeof s ? out->struct_size : sizeof s);
    });
  }
  static bcmap_status styleFeature(void* instance, uint64_t index, const bcmap_value_v1* values, uint32_t count,
                                   bcmap_feature_style_v1* out, char* err, size_t errSize) {
    return guard(err, errSize, [&] {
      bcmap_feature_style_v1 s{};
      s.struct_size = sizeof s;
      if (!self(instance)->styleFeature(index, values, count, s)) s.has_fill = s.has_size = 0;
      std::memcpy(out, &s, out->struct_size < sizeof s ? out->struct_size : sizeof s);
    });
  }
  static bcmap_status legend(void* instance, const bcmap_legend_entry_v1** out, uint32_t* count, char* err,
                             size_t errSize) {
    return guard(err, errSize, [&] {
      Layer* l = self(instance);
      l->legendStore_ = l->legend();
      *out = legendForHost(l->legendStore_, l->hostKnows13_, l->legendPacked_);
      *count = static_cast<uint32_t>(l->legendStore_.size());
    });
  }
  static bcmap_status describeFeature(void* instance, uint64_t index, const bcmap_field_v1* fields,
                                      const bcmap_value_v1* values, uint32_t count, char* text, size_t textSize,
                                      char* err, size_t errSize) {
    return guard(err, errSize, [&] {
      copyMessage(text, textSize, self(instance)->describeFeature(index, fields, values, count).c_str());
    });
  }

  static const bcmap_plugin_v1* vtable() {
    static const bcmap_plugin_v1 v = pluginTable<Glue>(T().hasStyleFeature());
    return &v;
  }
};

// The old way (Layer::settings()): setting declarations. `reload`: changing the value
// reloads the layer's features. Strings must outlive the layer (string literals, or members
// of the layer). A MapLayer declares typed Setting members instead (section 5).
inline bcmap_setting_v1 setting(bcmap_setting_type type, const char* key, const char* label,
                                const char* defaultValue, bool reload = false) {
  bcmap_setting_v1 s{};
  s.struct_size = sizeof s;
  s.key = key;
  s.label = label;
  s.type = type;
  s.default_value = defaultValue;
  s.reload = reload;
  return s;
}
inline bcmap_setting_v1 pathSetting(const char* key, const char* label, const char* defaultValue) {
  return setting(BCMAP_SETTING_PATH, key, label, defaultValue, true);
}
inline bcmap_setting_v1 boolSetting(const char* key, const char* label, bool defaultValue, bool reload = false) {
  return setting(BCMAP_SETTING_BOOL, key, label, defaultValue ? "true" : "false", reload);
}
inline bcmap_setting_v1 numberSetting(bcmap_setting_type type, const char* key, const char* label,
                                      const char* defaultValue, double minValue, double maxValue) {
  bcmap_setting_v1 s = setting(type, key, label, defaultValue);
  s.min_value = minValue;
  s.max_value = maxValue;
  return s;
}
inline bool isTrue(const std::string& value) { return value == "true" || value == "1"; }

// A `fields` setting, "layer_field=source_field, ...": the source name of each of the
// layer's fields in `layerFields` order (its own name unless mapped). Throws Error naming
// the layer on a pair that is not <layer field>=<source field>.
template <class Names>
std::vector<std::string> mapFieldNames(const std::string& spec, const Names& layerFields, const std::string& layerId) {
  std::vector<std::string> names(std::begin(layerFields), std::end(layerFields));
  auto trim = [](std::string t) {
    t.erase(0, t.find_first_not_of(' '));
    return t.erase(t.find_last_not_of(' ') + 1);
  };
  for (size_t at = 0; at < spec.size();) {
    const size_t end = std::min(spec.find(',', at), spec.size());
    const std::string pair = spec.substr(at, end - at);
    const size_t eq = pair.find('=');
    const std::string key = trim(pair.substr(0, eq));
    size_t k = 0;
    while (k < names.size() && key != std::string(*(std::begin(layerFields) + static_cast<std::ptrdiff_t>(k)))) ++k;
    if (eq == std::string::npos || k == names.size())
      throw Error(layerId + ": fields setting: '" + pair + "' is not <layer field>=<source field>");
    names[k] = trim(pair.substr(eq + 1));
    at = end + 1;
  }
  return names;
}

// The old way (Layer::style()): a bcmap_style_v1 with sensible defaults. Everything it
// points at must outlive the call; a MapLayer returns a Style value instead (section 6).
inline bcmap_style_v1 singleStyle(bcmap_rgba fill, bcmap_rgba stroke, float strokeWidthPx = 1.0f,
                                  float pointSizePx = 6.0f) {
  bcmap_style_v1 s{};
  s.struct_size = sizeof s;
  s.kind = BCMAP_STYLE_SINGLE;
  s.fill = fill;
  s.stroke = stroke;
  s.stroke_width_px = strokeWidthPx;
  s.point_size_px = pointSizePx;
  s.opacity = 1.0f;
  return s;
}

// Labels: one per feature from `field` (with `secondaryField` as a second line, or NULL).
// ABI 1.2: `priority` decides which labels win a place where they would overlap (higher
// first: counties 100, townships 50, villages 10), and they show only while the map's scale
// denominator is at most `maxScale` (0: at every scale). Field names must outlive the layer.
inline void setLabels(bcmap_style_v1& s, const char* field, const char* secondaryField, int32_t priority,
                      double maxScale = 0) {
  s.label_field = field;
  s.label_secondary_field = secondaryField;
  s.label_priority = priority;
  s.label_max_scale = maxScale;
}

}  // namespace bcmap::sdk
