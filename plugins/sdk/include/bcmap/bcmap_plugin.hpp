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

#include "bcmap_plugin.h"

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

  // Storage the glue uses to keep returned pointers valid until the next call.
  Info infoStore_;
  std::vector<bcmap_setting_v1> settingsStore_;
  std::vector<bcmap_legend_entry_v1> legendStore_;
};

// ---- 3. the glue ------------------------------------------------------------------------
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

  static bcmap_status describe(void* instance, bcmap_layer_info_v1* out, char* err, size_t errSize) {
    return guard(err, errSize, [&] {
      Layer* l = self(instance);
      l->infoStore_ = l->info();
      const Info& i = l->infoStore_;
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
      // The host may be older (smaller struct): copy only what it has room for.
      std::memcpy(out, &v, out->struct_size < sizeof v ? out->struct_size : sizeof v);
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
      for (auto& e : l->legendStore_) e.struct_size = sizeof e;
      *out = l->legendStore_.data();
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
    static const bcmap_plugin_v1 v = [] {
      bcmap_plugin_v1 p{};
      p.struct_size = sizeof p;
      p.abi_major = BCMAP_ABI_MAJOR;
      p.abi_minor = BCMAP_ABI_MINOR;
      p.create = &create;
      p.destroy = &destroy;
      p.describe = &describe;
      p.settings = &settings;
      p.update = &update;
      p.load = &load;
      p.style = &style;
      p.style_feature = T().hasStyleFeature() ? &styleFeature : nullptr;
      p.legend = &legend;
      p.describe_feature = &describeFeature;
      return p;
    }();
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

// ======== The new way ======================================================================
namespace bcmap::sdk {

// ---- 4. dates, colours, values by name -------------------------------------------------
// A day: days since 1970-01-01 (the ABI's day numbers), with its proleptic Gregorian y/m/d.
struct Date {
  int32_t day = BCMAP_NO_DAY;
  static Date fromCivil(int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;  // years start in March so the leap day is last
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = unsigned(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return Date{int32_t(era * 146097 + int64_t(doe) - 719468)};
  }
  // "YYYY-MM-DD" (what the host passes as a date's text); nullopt if it is not one.
  static std::optional<Date> parse(std::string_view s) {
    int y = 0, m = 0, d = 0;
    auto num = [&](size_t at, size_t n, int& out) {
      const auto [end, ec] = std::from_chars(s.data() + at, s.data() + at + n, out);
      return ec == std::errc() && end == s.data() + at + n;
    };
    if (s.size() != 10 || s[4] != '-' || s[7] != '-' || !num(0, 4, y) || !num(5, 2, m) || !num(8, 2, d) || m < 1 ||
        m > 12 || d < 1 || d > 31)
      return std::nullopt;
    return fromCivil(y, unsigned(m), unsigned(d));
  }
  bool isOpen() const { return day == BCMAP_NO_DAY; }
  // The civil date (only for a real day).
  void civil(int& y, int& m, int& d) const {
    const int64_t z = int64_t(day) + 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const auto doe = unsigned(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    d = int(doy - (153 * mp + 2) / 5 + 1);
    m = int(mp < 10 ? mp + 3 : mp - 9);
    y = int(int64_t(yoe) + era * 400 + (m <= 2));
  }
  int year() const { int y, m, d; civil(y, m, d); return y; }
  int month() const { int y, m, d; civil(y, m, d); return m; }
  int dayOfMonth() const { int y, m, d; civil(y, m, d); return d; }
  std::string text() const {
    if (isOpen()) return {};
    int y, m, d;
    civil(y, m, d);
    char buf[40];  // room for any int, so no truncation warning
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
    return buf;
  }
  friend bool operator==(Date, Date) = default;
};

// "#rrggbb" or "#rrggbbaa" (alpha 255 when absent); nullopt for anything else.
inline std::optional<bcmap_rgba> parseColour(std::string_view hex) {
  if ((hex.size() != 7 && hex.size() != 9) || hex[0] != '#') return std::nullopt;
  uint32_t v = 0;
  const auto [end, ec] = std::from_chars(hex.data() + 1, hex.data() + hex.size(), v, 16);
  if (ec != std::errc() || end != hex.data() + hex.size()) return std::nullopt;
  if (hex.size() == 7) return rgba(uint8_t(v >> 16), uint8_t(v >> 8), uint8_t(v), 255);
  return rgba(uint8_t(v >> 24), uint8_t(v >> 16), uint8_t(v >> 8), uint8_t(v));
}

// One value of a row, read as the type the plugin wants. Non-owning: valid as long as the
// row it came from (the duration of the host's call).
class Value {
 public:
  Value(const char* name, uint32_t type, const bcmap_value_v1* v) : name_(name), type_(type), v_(v) {}
  bool isNull() const { return !v_ || v_->is_null; }
  // The text form (the host gives every value one; dates as YYYY-MM-DD); `ifNull` when null.
  std::string text(std::string_view ifNull = "") const {
    if (isNull()) return std::string(ifNull);
    if (v_->str_value) return v_->str_value;
    if (type_ == BCMAP_FIELD_DATE) return Date{int32_t(v_->int_value)}.text();
    if (type_ == BCMAP_FIELD_REAL) return std::to_string(v_->real_value);
    return std::to_string(v_->int_value);
  }
  int64_t asInt() const {
    need();
    if (type_ == BCMAP_FIELD_INTEGER || type_ == BCMAP_FIELD_DATE || !v_->str_value) {
      if (type_ == BCMAP_FIELD_REAL) return int64_t(std::llround(v_->real_value));
      return v_->int_value;
    }
    if (type_ == BCMAP_FIELD_REAL) return int64_t(std::llround(v_->real_value));
    int64_t out = 0;
    const std::string_view s = v_->str_value;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    if (ec != std::errc() || end != s.data() + s.size()) bad("an integer");
    return out;
  }
  double asDouble() const {
    need();
    if (type_ == BCMAP_FIELD_REAL) return v_->real_value;
    if (type_ == BCMAP_FIELD_INTEGER || type_ == BCMAP_FIELD_DATE || !v_->str_value) return double(v_->int_value);
    char* end = nullptr;
    const double out = std::strtod(v_->str_value, &end);
    if (end == v_->str_value || *end) bad("a number");
    return out;
  }
  // A date: the day number (Date::day), or y/m/d through Date. Null: an open date.
  Date asDate() const {
    if (isNull()) return Date{};
    if (type_ == BCMAP_FIELD_DATE || !v_->str_value) return Date{int32_t(v_->int_value)};
    if (auto d = Date::parse(v_->str_value)) return *d;
    bad("a date (YYYY-MM-DD)");
  }
  // 1/true/yes (any case) as from a Boolean, 0/1 integer or text field.
  bool asBool() const {
    if (isNull()) return false;
    std::string s = text();
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return s == "1" || s == "true" || s == "yes";
  }
  const bcmap_value_v1& raw() const { need(); return *v_; }

 private:
  void need() const {
    if (isNull()) throw Error(std::string("field '") + name_ + "' is null");
  }
  [[noreturn]] void bad(const char* what) const {
    throw Error(std::string("field '") + name_ + "': '" + v_->str_value + "' is not " + what);
  }
  const char* name_;
  uint32_t type_;
  const bcmap_value_v1* v_;
};

// A row of values with its field names: row["jobs"].asInt(). An unknown name throws an
// Error that lists the fields the row has.
class Row {
 public:
  Row(const bcmap_field_v1* fields, const bcmap_value_v1* values, uint32_t count)
      : fields_(fields), values_(values), count_(count) {}
  Value operator[](std::string_view name) const {
    const int k = find(name);
    if (k < 0) {
      std::string names;
      for (uint32_t i = 0; i < count_; ++i) names += std::string(i ? ", " : "") + fields_[i].name;
      throw Error("no field '" + std::string(name) + "'; the fields are: " + names);
    }
    return at(uint32_t(k));
  }
  bool has(std::string_view name) const { return find(name) >= 0; }
  // The value, or a null one when the row has no such field.
  Value get(std::string_view name) const {
    const int k = find(name);
    return k < 0 ? Value("", BCMAP_FIELD_INVALID, nullptr) : at(uint32_t(k));
  }
  uint32_t size() const { return count_; }
  Value at(uint32_t k) const { return Value(fields_[k].name, fields_[k].type, values_ + k); }
  std::string fieldName(uint32_t k) const { return fields_[k].name ? fields_[k].name : ""; }
  const bcmap_value_v1* raw() const { return values_; }

 private:
  int find(std::string_view name) const {
    for (uint32_t i = 0; i < count_; ++i)
      if (fields_[i].name && name == fields_[i].name) return int(i);
    return -1;
  }
  const bcmap_field_v1* fields_;
  const bcmap_value_v1* values_;
  uint32_t count_;
};

// ---- 5. typed settings -----------------------------------------------------------------
// A setting a MapLayer declares with addSetting<T>(); the layer keeps a reference to it and
// reads `*setting`. Empty text from the host means the default. A value that does not parse
// is an Error naming the setting; numbers are clamped to their range.
class SettingBase {
 public:
  virtual ~SettingBase() = default;
  virtual void set(const std::string& text) = 0;
  bcmap_setting_v1 declaration() const {
    bcmap_setting_v1 s{};
    s.struct_size = sizeof s;
    s.key = key_.c_str();
    s.label = label_.c_str();
    s.type = type_;
    s.default_value = default_.c_str();
    s.min_value = min_;
    s.max_value = max_;
    s.options = options_.empty() ? nullptr : options_.data();
    s.option_count = uint32_t(options_.size());
    s.reload = reload_;
    return s;
  }
  const std::string& key() const { return key_; }

 protected:
  std::string key_, label_, default_;
  bcmap_setting_type type_ = BCMAP_SETTING_TEXT;
  double min_ = 0, max_ = 0;
  std::vector<std::string> optionStore_;
  std::vector<const char*> options_;
  bool reload_ = false;
  friend class MapLayer;
};

// Date settings hold a Date; colours a bcmap_rgba; path, text and enum a std::string.
template <class T>
class Setting : public SettingBase {
 public:
  const T& operator*() const { return value_; }
  const T* operator->() const { return &value_; }
  const T& value() const { return value_; }
  // Changing it reloads the layer's features.
  Setting& reloads(bool on = true) { reload_ = on; return *this; }
  // INT/FLOAT: the range the UI offers and values are clamped to.
  Setting& range(double lo, double hi) { min_ = lo; max_ = hi; return *this; }
  // ENUM: the choices (the default must be one of them).
  Setting& options(std::vector<std::string> choices) {
    optionStore_ = std::move(choices);
    options_.clear();
    for (const std::string& o : optionStore_) options_.push_back(o.c_str());
    return *this;
  }
  // Called after each change, with the new value.
  Setting& onChange(std::function<void(const T&)> fn) { onChange_ = std::move(fn); return *this; }

  void set(const std::string& text) override {
    value_ = parse(text.empty() ? default_ : text);
    if (onChange_) onChange_(value_);
  }
  T parse(const std::string& t) const {
    auto fail = [&](const char* what) -> T { throw Error("setting '" + key_ + "': '" + t + "' is not " + what); };
    if constexpr (std::is_same_v<T, bool>) {
      return isTrue(t);
    } else if constexpr (std::is_integral_v<T>) {
      int64_t v = 0;
      const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
      if (ec != std::errc() || end != t.data() + t.size()) return fail("an integer");
      return T(max_ > min_ ? std::clamp(double(v), min_, max_) : double(v));
    } else if constexpr (std::is_floating_point_v<T>) {
      char* end = nullptr;
      const double v = std::strtod(t.c_str(), &end);
      if (end == t.c_str() || *end) return fail("a number");
      return T(max_ > min_ ? std::clamp(v, min_, max_) : v);
    } else if constexpr (std::is_same_v<T, bcmap_rgba>) {
      if (auto c = parseColour(t)) return *c;
      return fail("a colour (#rrggbb or #rrggbbaa)");
    } else if constexpr (std::is_same_v<T, Date>) {
      if (auto d = Date::parse(t)) return *d;
      return fail("a date (YYYY-MM-DD)");
    } else {
      if (type_ == BCMAP_SETTING_ENUM && !optionStore_.empty() &&
          std::find(optionStore_.begin(), optionStore_.end(), t) == optionStore_.end())
        return fail("one of the choices");
      return t;
    }
  }

 private:
  T value_{};
  std::function<void(const T&)> onChange_;
  friend class MapLayer;
};

// ---- 6. style and legend ---------------------------------------------------------------
struct Category {
  std::string value;  // the string form of the field's value
  bcmap_rgba fill;
  std::string label;  // legend text; empty: the value
};
struct Class {
  double lower, upper;  // [lower, upper); the last class includes upper
  bcmap_rgba fill;
  std::string label;
};
struct LegendEntry {
  std::string label;
  bcmap_rgba fill;
  bcmap_rgba stroke;
  bcmap_geometry_kind kind;
};

// The layer's style, built as a value: Style::single(...).categorized(...).labels(...).
struct Style {
  bcmap_rgba fill = rgba(200, 200, 200), stroke = rgba(255, 255, 255);
  float strokeWidthPx = 1.0f, pointSizePx = 6.0f, opacity = 1.0f;
  bcmap_symbol pointSymbol = BCMAP_SYMBOL_CIRCLE;
  uint32_t lineMarkers = 0;  // lines: BCMAP_LINE_MARKER_* bits
  float lineEndMarkerPx = 0;
  std::string field;  // CATEGORIZED/GRADUATED
  std::vector<Category> categories;
  std::vector<Class> classes;
  std::string labelField, labelSecondaryField;
  int32_t labelPriority = 0;
  double labelMaxScale = 0;

  static Style single(bcmap_rgba fill, bcmap_rgba stroke, float strokeWidthPx = 1.0f, float pointSizePx = 6.0f) {
    Style s;
    s.fill = fill, s.stroke = stroke, s.strokeWidthPx = strokeWidthPx, s.pointSizePx = pointSizePx;
    return s;
  }
  // Coloured by the string form of `byField`; fill (above) for unmatched values.
  Style& categorized(std::string byField, std::vector<Category> cats) {
    field = std::move(byField), categories = std::move(cats);
    return *this;
  }
  Style& graduated(std::string byField, std::vector<Class> cls) {
    field = std::move(byField), classes = std::move(cls);
    return *this;
  }
  // Labels from `primary` (and `secondary` as a second line); `priority`: higher wins a
  // place where labels would overlap (counties 100, townships 50, villages 10); shown while
  // the scale denominator is at most `maxScale` (0: always).
  Style& labels(std::string primary, std::string secondary = {}, int32_t priority = 0, double maxScale = 0) {
    labelField = std::move(primary), labelSecondaryField = std::move(secondary);
    labelPriority = priority, labelMaxScale = maxScale;
    return *this;
  }
  Style& symbol(bcmap_symbol s) { pointSymbol = s; return *this; }
  // One legend entry per category or class, in order; stroke: the style's, or each fill's.
  std::vector<LegendEntry> legend(bcmap_geometry_kind kind, bool strokeIsFill = false) const {
    std::vector<LegendEntry> out;
    for (const Category& c : categories)
      out.push_back({c.label.empty() ? c.value : c.label, c.fill, strokeIsFill ? c.fill : stroke, kind});
    for (const Class& c : classes) out.push_back({c.label, c.fill, strokeIsFill ? c.fill : stroke, kind});
    return out;
  }
};

// The diameter of a disc whose area is proportional to `amount` (pxPerSqrtUnit x sqrt),
// kept between minPx and maxPx: proportional symbols, e.g. people moved.
inline float proportionalDiscPx(double amount, double pxPerSqrtUnit, float minPx, float maxPx) {
  return std::clamp(float(pxPerSqrtUnit * std::sqrt(std::max(amount, 0.0))), minPx, maxPx);
}

// ---- 7. reading files and emitting features --------------------------------------------
// A request to read a vector file through the host's GDAL service; strings are owned.
struct VectorRequest {
  std::string path;                                        // relative: in the host's geodata/
  std::vector<std::pair<std::string, std::string>> fields;  // layer field, source field
  std::string layerName, filter, sourceCrs;                 // empty: first layer, all, the file's
  std::string startField, endField, idField;                // time span and ids (optional)
  bool gcj02 = false;
};

// Feature geometry, owned: parts of rings of vertices (xy pairs). A point: one vertex.
struct Geometry {
  std::vector<uint32_t> rings;     // rings per part
  std::vector<uint32_t> vertices;  // vertices per ring
  std::vector<double> xy;
  static Geometry point(double x, double y) { return Geometry{{1}, {1}, {x, y}}; }
  bool empty() const { return xy.empty(); }
  // Adds the parts of `g` (a feature made of several, e.g. a county in two pieces).
  Geometry& operator+=(const Geometry& g) {
    rings.insert(rings.end(), g.rings.begin(), g.rings.end());
    vertices.insert(vertices.end(), g.vertices.begin(), g.vertices.end());
    xy.insert(xy.end(), g.xy.begin(), g.xy.end());
    return *this;
  }
};

// The rows of one batch handed to the plugin by readRows: fields by name, geometry copied
// out by feature, the time span the host parsed.
class Rows {
 public:
  Rows(const char* crs, const bcmap_field_v1* fields, uint32_t count, const bcmap_batch_v1& b)
      : crs_(crs ? crs : ""), fields_(fields), count_(count), b_(b) {
    size_t part = 0, ring = 0, vertex = 0;
    for (uint32_t f = 0; f < b.feature_count; ++f) {
      first_.push_back({part, ring, vertex});
      const uint32_t parts = b.parts_per_feature ? b.parts_per_feature[f] : 1;
      for (uint32_t p = 0; p < parts; ++p, ++part) {
        const uint32_t rings = b.rings_per_part ? b.rings_per_part[part] : 1;
        for (uint32_t r = 0; r < rings; ++r, ++ring) vertex += b.vertices_per_ring ? b.vertices_per_ring[ring] : 1;
      }
    }
    first_.push_back({part, ring, vertex});
  }
  uint32_t size() const { return b_.feature_count; }
  const std::string& crs() const { return crs_; }
  // Throws unless the coordinates are WGS 84 longitude/latitude (`what`: the file).
  void requireLonLat(const std::string& what) const {
    if (crs_ != "EPSG:4326" && crs_ != "OGC:CRS84")
      throw Error(what + ": coordinates must be WGS 84 longitude/latitude, not " + crs_);
  }
  Row row(uint32_t f) const { return Row(fields_, b_.values + size_t(f) * count_, count_); }
  // Throws "<what>: no field 'x'; the fields are: ..." unless every name is a field.
  void require(std::initializer_list<std::string_view> names, const std::string& what) const {
    const Row r(fields_, nullptr, count_);
    for (std::string_view n : names)
      if (!r.has(n)) try {
          (void)r[n];
        } catch (const Error& e) {
          throw Error(what + ": " + e.what());
        }
  }
  // The feature's id as the host gives it ("" without).
  std::string id(uint32_t f) const { return b_.ids && b_.ids[f] ? b_.ids[f] : ""; }
  Date start(uint32_t f) const { return Date{b_.start_day ? b_.start_day[f] : BCMAP_NO_DAY}; }
  Date end(uint32_t f) const { return Date{b_.end_day ? b_.end_day[f] : BCMAP_NO_DAY}; }
  bool hasPosition(uint32_t f) const { return first_[f + 1].vertex > first_[f].vertex; }
  // The first vertex (a point's position, a line's origin).
  std::pair<double, double> firstVertex(uint32_t f) const {
    return {b_.xy[2 * first_[f].vertex], b_.xy[2 * first_[f].vertex + 1]};
  }
  // The first vertex as a point (a point layer's position, a line's origin).
  Geometry point(uint32_t f) const {
    const auto [x, y] = firstVertex(f);
    return Geometry::point(x, y);
  }
  Geometry geometry(uint32_t f) const {
    Geometry g;
    const Span &a = first_[f], &z = first_[f + 1];
    for (size_t p = a.part; p < z.part; ++p) g.rings.push_back(b_.rings_per_part ? b_.rings_per_part[p] : 1);
    for (size_t r = a.ring; r < z.ring; ++r) g.vertices.push_back(b_.vertices_per_ring ? b_.vertices_per_ring[r] : 1);
    g.xy.assign(b_.xy + 2 * a.vertex, b_.xy + 2 * z.vertex);
    return g;
  }

 private:
  struct Span {
    size_t part, ring, vertex;
  };
  std::string crs_;
  const bcmap_field_v1* fields_;
  uint32_t count_;
  const bcmap_batch_v1& b_;
  std::vector<Span> first_;
};

// A value the plugin emits, owned. Cell::text("x"), real(1.5) (NaN: null), integer(3),
// date(day) (BCMAP_NO_DAY: null), null(), or copy(row["x"]) to pass a read value on.
struct Cell {
  bcmap_value_v1 v{sizeof(bcmap_value_v1), 0, 0, 0, nullptr};
  std::optional<std::string> s;
  static Cell text(std::string t) { Cell c; c.s = std::move(t); return c; }
  static Cell real(double x) { Cell c; c.v.is_null = std::isnan(x); c.v.real_value = x; return c; }
  static Cell real(const Value& x) { return x.isNull() ? null() : real(x.asDouble()); }
  static Cell integer(int64_t i) { Cell c; c.v.int_value = i; return c; }
  static Cell date(Date d) { Cell c; c.v.is_null = d.isOpen(); c.v.int_value = d.day; return c; }
  static Cell null() { Cell c; c.v.is_null = 1; return c; }
  static Cell copy(const Value& from) {
    if (from.isNull()) return null();
    Cell c;
    c.v = from.raw();
    c.v.struct_size = sizeof c.v;
    if (c.v.str_value) c.s = c.v.str_value;
    c.v.str_value = nullptr;
    return c;
  }
};

// Every value of a row, owned, in field order (to pass a read row on).
inline std::vector<Cell> cellsOf(const Row& row) {
  std::vector<Cell> out;
  for (uint32_t k = 0; k < row.size(); ++k) out.push_back(Cell::copy(row.at(k)));
  return out;
}

// Where a running count changes class: `days` holds the day each thing happened (open: never),
// `classOf(n)` the class of a count of n. Returns (day, count) for the start (Date{}, 0) and
// each day the count enters another class, e.g. the share of villages that reached a
// standard passing 20 %, 40 %, ... per county. Feed the days to Features::addSpans.
template <class ClassOf>
std::vector<std::pair<Date, size_t>> classSteps(std::vector<Date> days, ClassOf classOf) {
  auto key = [](Date d) { return d.isOpen() ? INT64_MAX : int64_t(d.day); };  // open days last
  std::sort(days.begin(), days.end(), [&](Date a, Date b) { return key(a) < key(b); });
  std::vector<std::pair<Date, size_t>> steps{{Date{}, 0}};
  for (size_t i = 0; i < days.size() && !days[i].isOpen(); ++i)
    if ((i + 1 == days.size() || days[i + 1] != days[i]) && classOf(i + 1) != classOf(steps.back().second))
      steps.push_back({days[i], i + 1});
  return steps;
}

// Polygons grouped by a key field, the first step of "rows -> per-county state spans": a
// county in two pieces is one Region with both parts; its values are the last row's, by
// name; `days` collects whatever dates the layer gathers for it (e.g. from its villages).
struct Region {
  Geometry geometry;
  std::vector<std::string> names;
  std::vector<Cell> cells;
  std::vector<Date> days;
  // The value of field `name` (null when the file has no such field).
  Cell cell(std::string_view name) const {
    for (size_t k = 0; k < names.size(); ++k)
      if (names[k] == name) return cells[k];
    return Cell::null();
  }
  std::string text(std::string_view name) const {
    const Cell c = cell(name);
    return c.v.is_null || !c.s ? std::string() : *c.s;
  }
};
class Regions {
 public:
  // Adds a batch's rows, keyed by the text of field `key`.
  void add(const Rows& rows, const std::string& key) {
    for (uint32_t f = 0; f < rows.size(); ++f) {
      const Row row = rows.row(f);
      Region& r = regions_[row[key].text()];
      r.names.clear();
      for (uint32_t k = 0; k < row.size(); ++k) r.names.push_back(row.fieldName(k));
      r.cells = cellsOf(row);
      r.geometry += rows.geometry(f);
    }
  }
  Region* find(const std::string& key) {
    auto it = regions_.find(key);
    return it == regions_.end() ? nullptr : &it->second;
  }
  auto begin() const { return regions_.begin(); }
  auto end() const { return regions_.end(); }

 private:
  std::map<std::string, Region> regions_;
};

// Features the plugin makes, to hand to Loader::emit: geometry, values in the declared
// field order, and the time span. Owns everything until emitted.
class Features {
 public:
  // `id`: a stable id for identify and the selection; none given for every feature: the
  // host numbers them.
  void add(const Geometry& g, std::vector<Cell> values, Date start = {}, Date end = {}, std::string id = {}) {
    ids_.push_back(std::move(id));
    parts_.push_back(uint32_t(g.rings.size()));
    rings_.insert(rings_.end(), g.rings.begin(), g.rings.end());
    vertices_.insert(vertices_.end(), g.vertices.begin(), g.vertices.end());
    xy_.insert(xy_.end(), g.xy.begin(), g.xy.end());
    for (Cell& c : values) cells_.push_back(std::move(c));
    start_.push_back(start.day);
    end_.push_back(end.day);
  }
  // One feature per state a thing passes through: steps[i] holds from its day (the first:
  // BCMAP_NO_DAY, from the start) until the day before the next step's; a step without
  // values is a gap (nothing shown). The usual shape of "rows -> per-county state spans".
  void addSpans(const Geometry& g, const std::vector<std::pair<Date, std::optional<std::vector<Cell>>>>& steps) {
    for (size_t k = 0; k < steps.size(); ++k) {
      if (!steps[k].second) continue;
      const Date until = k + 1 < steps.size() ? Date{steps[k + 1].first.day - 1} : Date{};
      add(g, *steps[k].second, steps[k].first, until);
    }
  }
  // One feature per step of a timeline: steps[k] = (its first day, its state; the first
  // step's day open: from the start); each holds until the day before the next step, the
  // last open-ended. values(state, from, until) gives the feature's values.
  template <class State, class Values>
  void addSteps(const Geometry& g, const std::vector<std::pair<Date, State>>& steps, Values values) {
    for (size_t k = 0; k < steps.size(); ++k) {
      const Date from = steps[k].first, until{k + 1 < steps.size() ? steps[k + 1].first.day - 1 : BCMAP_NO_DAY};
      add(g, values(steps[k].second, from, until), from, until);
    }
  }
  // A thing that changes state once, on `day`: `before` until the day before, `after` (if
  // given) from `day` on; an open day: `before` throughout.
  void addChange(const Geometry& g, Date day, std::vector<Cell> before, std::optional<std::vector<Cell>> after) {
    if (day.isOpen()) return add(g, std::move(before));
    add(g, std::move(before), Date{}, Date{day.day - 1});
    if (after) add(g, std::move(*after), day);
  }
  size_t size() const { return start_.size(); }
  bcmap_batch_v1 batch() {
    values_.clear();
    for (Cell& c : cells_) {
      values_.push_back(c.v);
      if (c.s) values_.back().str_value = c.s->c_str();
    }
    bcmap_batch_v1 b{};
    b.struct_size = sizeof b;
    b.feature_count = uint32_t(start_.size());
    b.parts_per_feature = parts_.data();
    b.rings_per_part = rings_.data();
    b.vertices_per_ring = vertices_.data();
    b.xy = xy_.data();
    b.values = values_.data();
    b.start_day = start_.data();
    b.end_day = end_.data();
    idPtrs_.clear();
    for (const std::string& id : ids_) idPtrs_.push_back(id.c_str());
    const bool anyId = std::any_of(ids_.begin(), ids_.end(), [](const std::string& id) { return !id.empty(); });
    b.ids = anyId ? idPtrs_.data() : nullptr;
    return b;
  }

 private:
  std::deque<std::string> ids_;
  std::vector<const char*> idPtrs_;
  std::vector<uint32_t> parts_, rings_, vertices_;
  std::vector<double> xy_;
  std::deque<Cell> cells_;  // a deque never moves its strings
  std::vector<bcmap_value_v1> values_;
  std::vector<int32_t> start_, end_;
};

// ---- 8. the MapLayer base class --------------------------------------------------------
struct FieldDecl {
  std::string name;
  bcmap_field_type type = BCMAP_FIELD_STRING;
};

// The loader handed to MapLayer::load.
class Reader {
 public:
  Reader(const Loader& loader, std::vector<FieldDecl>& declared) : loader_(loader), declared_(declared) {}
  const char* dataDir() const { return loader_.dataDir(); }
  void log(bcmap_log_level level, const std::string& message) const { loader_.log(level, message); }
  // Reads the file straight into the layer.
  void read(const VectorRequest& r) const {
    Request c(r);
    loader_.readVector(c.req);
  }
  // Reads the file and hands its rows to `onRows`, batch by batch.
  void readRows(const VectorRequest& r, const std::function<void(const Rows&)>& onRows) const {
    Request c(r);
    loader_.readVectorRows(c.req, [&](const char* crs, const bcmap_field_v1* f, uint32_t n, const bcmap_batch_v1& b) {
      onRows(Rows(crs, f, n, b));
    });
  }
  // Declares the layer's own columns (before emitting); styleFeature's rows get these names.
  void declare(std::vector<FieldDecl> fields) const {
    declared_ = std::move(fields);
    std::vector<bcmap_field_v1> c;
    for (const FieldDecl& f : declared_) c.push_back({sizeof(bcmap_field_v1), f.name.c_str(), uint32_t(f.type)});
    loader_.declareFields(c);
  }
  void emit(Features& features) const { loader_.emit(features.batch()); }
  const Loader& raw() const { return loader_; }

 private:
  struct Request {
    explicit Request(const VectorRequest& r) {
      for (const auto& [layer, source] : r.fields) map.push_back({sizeof(bcmap_field_map_v1), layer.c_str(), source.c_str()});
      auto opt = [](const std::string& s) { return s.empty() ? nullptr : s.c_str(); };
      req.struct_size = sizeof req;
      req.path = r.path.c_str();
      req.layer_name = opt(r.layerName);
      req.attribute_filter = opt(r.filter);
      req.field_map = map.empty() ? nullptr : map.data();
      req.field_map_count = uint32_t(map.size());
      req.source_crs = opt(r.sourceCrs);
      req.gcj02 = r.gcj02;
      req.start_field = opt(r.startField);
      req.end_field = opt(r.endField);
      req.id_field = opt(r.idField);
    }
    std::vector<bcmap_field_map_v1> map;
    bcmap_vector_request_v1 req{};
  };
  const Loader& loader_;
  std::vector<FieldDecl>& declared_;
};

// Every method is called by the host, one call at a time. Throw to report an error.
class MapLayer {
 public:
  virtual ~MapLayer() = default;
  virtual Info info() = 0;
  virtual void load(const Reader& reader) = 0;
  virtual Style style() = 0;
  virtual std::vector<LegendEntry> legend() { return {}; }
  // Tooltip text from the feature's values by name; empty: the host's "<field>: <value>".
  virtual std::string describeFeature(const Row& /*feature*/) { return {}; }
  // Optional per-feature override (fields: those declared through Reader::declare).
  virtual bool hasStyleFeature() const { return false; }
  virtual bool styleFeature(const Row& /*feature*/, bcmap_feature_style_v1& /*out*/) { return false; }

  // Declares a setting; keep the reference as a member and read *it. T: bool, int, float
  // (or double), std::string (PATH, TEXT, ENUM), bcmap_rgba (COLOR), Date (DATE).
  template <class T>
  Setting<T>& addSetting(bcmap_setting_type type, std::string key, std::string label, std::string defaultValue) {
    auto s = std::make_unique<Setting<T>>();
    s->key_ = std::move(key), s->label_ = std::move(label), s->default_ = std::move(defaultValue);
    s->type_ = type;
    s->reload_ = type == BCMAP_SETTING_PATH;
    s->value_ = s->parse(s->default_);
    Setting<T>& out = *s;
    settings_.push_back(std::move(s));
    return out;
  }
  Setting<std::string>& pathSetting(std::string key, std::string label, std::string defaultValue) {
    return addSetting<std::string>(BCMAP_SETTING_PATH, std::move(key), std::move(label), std::move(defaultValue));
  }
  Setting<std::string>& textSetting(std::string key, std::string label, std::string defaultValue = {}) {
    return addSetting<std::string>(BCMAP_SETTING_TEXT, std::move(key), std::move(label), std::move(defaultValue));
  }
  Setting<bool>& boolSetting(std::string key, std::string label, bool defaultValue) {
    return addSetting<bool>(BCMAP_SETTING_BOOL, std::move(key), std::move(label), defaultValue ? "true" : "false");
  }

 public:
  // For the glue (and tests).
  std::vector<std::unique_ptr<SettingBase>> settings_;
  Info infoStore_;
  Style styleStore_;
  std::vector<LegendEntry> legendStore_;
  std::vector<bcmap_category_v1> categoryStore_;
  std::vector<bcmap_class_v1> classStore_;
  std::vector<bcmap_legend_entry_v1> legendOut_;
  std::vector<bcmap_setting_v1> settingsOut_;
  std::vector<FieldDecl> declared_;
  std::vector<bcmap_field_v1> declaredOut_;
};

// The `path` and `fields` settings and the request of a layer that reads one vector file
// into the layer's own fields ("points from a file with these fields"). `fields` maps any
// of them to another source name ("water_year=year_ok,water_date=date_ok").
class VectorFile {
 public:
  struct Options {
    std::string defaultPath = {}, pathLabel = {};
    std::string mappingLabel = {};           // the `fields` setting's label; empty: none
    std::vector<std::string> fields = {};    // the layer's fields, read in order
  };
  template <class L>
  VectorFile(L& layer, std::string layerId, Options o) : id_(std::move(layerId)), o_(std::move(o)),
      path_(layer.pathSetting("path", o_.pathLabel, o_.defaultPath)),
      mapping_(o_.mappingLabel.empty() ? nullptr : &layer.textSetting("fields", o_.mappingLabel).reloads()) {}
  const std::string& path() const { return *path_; }
  // The name in the file of the layer's field `layerField`, after the mapping.
  std::string sourceName(std::string_view layerField) const {
    const std::vector<std::string> names = mapFieldNames(mapping_ ? **mapping_ : "", o_.fields, id_);
    for (size_t k = 0; k < names.size(); ++k)
      if (o_.fields[k] == layerField) return names[k];
    throw Error(id_ + ": no field '" + std::string(layerField) + "'");
  }
  // Path and field map; set the time span, ids, filter on what it returns.
  VectorRequest request() const {
    VectorRequest r;
    r.path = *path_;
    const std::vector<std::string> names = mapFieldNames(mapping_ ? **mapping_ : "", o_.fields, id_);
    for (size_t k = 0; k < names.size(); ++k) r.fields.push_back({o_.fields[k], names[k]});
    return r;
  }

 private:
  std::string id_;
  Options o_;
  Setting<std::string>& path_;
  Setting<std::string>* mapping_;
};

// ---- 9. the MapLayer glue ---------------------------------------------------------------
template <class T>
struct MapGlue {
  static MapLayer* self(void* instance) { return static_cast<MapLayer*>(instance); }
  static void* create() {
    try {
      return static_cast<MapLayer*>(new T());
    } catch (...) {
      return nullptr;
    }
  }
  static void destroy(void* instance) { delete self(instance); }
  static bcmap_status describe(void* instance, bcmap_layer_info_v1* out, char* err, size_t errSize) {
    return Glue<T>::guard(err, errSize, [&] {
      MapLayer* l = self(instance);
      l->infoStore_ = l->info();
      const Info& i = l->infoStore_;
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
    });
  }
  static bcmap_status settings(void* instance, const bcmap_setting_v1** out, uint32_t* count, char* err,
                               size_t errSize) {
    return Glue<T>::guard(err, errSize, [&] {
      MapLayer* l = self(instance);
      l->settingsOut_.clear();
      for (const auto& s : l->settings_) l->settingsOut_.push_back(s->declaration());
      *out = l->settingsOut_.data();
      *count = uint32_t(l->settingsOut_.size());
    });
  }
  static bcmap_status update(void* instance, const char* key, const char* value, char* err, size_t errSize) {
    return Glue<T>::guard(err, errSize, [&] {
      for (const auto& s : self(instance)->settings_)
        if (s->key() == (key ? key : "")) s->set(value ? value : "");
    });
  }
  static bcmap_status load(void* instance, const bcmap_loader_v1* loader, char* err, size_t errSize) {
    return Glue<T>::guard(err, errSize, [&] {
      MapLayer* l = self(instance);
      const Loader raw(loader);
      l->load(Reader(raw, l->declared_));
      l->declaredOut_.clear();
      for (const FieldDecl& f : l->declared_)
        l->declaredOut_.push_back({sizeof(bcmap_field_v1), f.name.c_str(), uint32_t(f.type)});
    });
  }
  static bcmap_status style(void* instance, bcmap_style_v1* out, char* err, size_t errSize) {
    return Glue<T>::guard(err, errSize, [&] {
      MapLayer* l = self(instance);
      l->styleStore_ = l->style();
      const Style& st = l->styleStore_;
      auto opt = [](const std::string& s) { return s.empty() ? nullptr : s.c_str(); };
      l->categoryStore_.clear();
      for (const Category& c : st.categories)
        l->categoryStore_.push_back({sizeof(bcmap_category_v1), c.value.c_str(), c.fill, opt(c.label)});
      l->classStore_.clear();
      for (const Class& c : st.classes)
        l->classStore_.push_back({sizeof(bcmap_class_v1), c.lower, c.upper, c.fill, opt(c.label)});
      bcmap_style_v1 s{};
      s.struct_size = sizeof s;
      s.kind = !st.categories.empty() ? BCMAP_STYLE_CATEGORIZED
               : !st.classes.empty()  ? BCMAP_STYLE_GRADUATED
                                      : BCMAP_STYLE_SINGLE;
      s.field = opt(st.field);
      s.fill = st.fill;
      s.stroke = st.stroke;
      s.stroke_width_px = st.strokeWidthPx;
      s.point_size_px = st.pointSizePx;
      s.opacity = st.opacity;
      s.categories = l->categoryStore_.empty() ? nullptr : l->categoryStore_.data();
      s.category_count = uint32_t(l->categoryStore_.size());
      s.classes = l->classStore_.empty() ? nullptr : l->classStore_.data();
      s.class_count = uint32_t(l->classStore_.size());
      s.label_field = opt(st.labelField);
      s.label_secondary_field = opt(st.labelSecondaryField);
      s.point_symbol = st.pointSymbol;
      s.line_markers = st.lineMarkers;
      s.line_end_marker_px = st.lineEndMarkerPx;
      s.label_max_scale = st.labelMaxScale;
      s.label_priority = st.labelPriority;
      std::memcpy(out, &s, out->struct_size < sizeof s ? out->struct_size : sizeof s);
    });
  }
  static bcmap_status styleFeature(void* instance, uint64_t, const bcmap_value_v1* values, uint32_t count,
                                   bcmap_feature_style_v1* out, char* err, size_t errSize) {
    return Glue<T>::guard(err, errSize, [&] {
      MapLayer* l = self(instance);
      bcmap_feature_style_v1 s{};
      s.struct_size = sizeof s;
      const uint32_t n = std::min(count, uint32_t(l->declaredOut_.size()));
      if (!l->styleFeature(Row(l->declaredOut_.data(), values, n), s)) s.has_fill = s.has_size = 0;
      std::memcpy(out, &s, out->struct_size < sizeof s ? out->struct_size : sizeof s);
    });
  }
  static bcmap_status legend(void* instance, const bcmap_legend_entry_v1** out, uint32_t* count, char* err,
                             size_t errSize) {
    return Glue<T>::guard(err, errSize, [&] {
      MapLayer* l = self(instance);
      l->legendStore_ = l->legend();
      l->legendOut_.clear();
      for (const LegendEntry& e : l->legendStore_)
        l->legendOut_.push_back({sizeof(bcmap_legend_entry_v1), e.label.c_str(), e.fill, e.stroke, uint32_t(e.kind)});
      *out = l->legendOut_.data();
      *count = uint32_t(l->legendOut_.size());
    });
  }
  static bcmap_status describeFeature(void* instance, uint64_t, const bcmap_field_v1* fields,
                                      const bcmap_value_v1* values, uint32_t count, char* text, size_t textSize,
                                      char* err, size_t errSize) {
    return Glue<T>::guard(err, errSize, [&] {
      copyMessage(text, textSize, self(instance)->describeFeature(Row(fields, values, count)).c_str());
    });
  }
  static const bcmap_plugin_v1* vtable() {
    static const bcmap_plugin_v1 v = [] {
      bcmap_plugin_v1 p{};
      p.struct_size = sizeof p;
      p.abi_major = BCMAP_ABI_MAJOR;
      p.abi_minor = BCMAP_ABI_MINOR;
      p.create = &create;
      p.destroy = &destroy;
      p.describe = &describe;
      p.settings = &settings;
      p.update = &update;
      p.load = &load;
      p.style = &style;
      p.style_feature = T().hasStyleFeature() ? &styleFeature : nullptr;
      p.legend = &legend;
      p.describe_feature = &describeFeature;
      return p;
    }();
    return &v;
  }
};

template <class T>
using GlueFor = std::conditional_t<std::is_base_of_v<MapLayer, T>, MapGlue<T>, Glue<T>>;

}  // namespace bcmap::sdk


// ---- 10. BCMAP_PLUGIN --------------------------------------------------------------------
// Exports the entry function for layer class T. Use once per plugin, at namespace scope.
#define BCMAP_PLUGIN(T)                                                                      \
  extern "C" BCMAP_EXPORT const bcmap_plugin_v1* bcmap_plugin_entry_v1(uint32_t hostMajor,  \
                                                                       uint32_t hostMinor) { \
    (void)hostMajor;                                                                         \
    (void)hostMinor;                                                                         \
    return ::bcmap::sdk::GlueFor<T>::vtable();                                               \
  }
