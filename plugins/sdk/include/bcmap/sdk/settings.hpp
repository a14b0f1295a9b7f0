// bcmap plugin SDK, section 5: typed settings.
// Part of <bcmap/bcmap_plugin.hpp>, which includes the parts in order: include that, not
// this file. (The wrapper is split only to keep each file readable.)
#pragma once

#include "values.hpp"

namespace bcmap::sdk {

// ---- 5. typed settings -----------------------------------------------------------------
// A setting a MapLayer declares with addSetting<T>(); the layer keeps a reference to it and
// reads `*setting`. Empty text from the host means the default. A value that does not parse
// is an Error naming the setting; numbers are clamped to their range.
class SettingBase {
 public:
  virtual ~SettingBase() = default;
  virtual void set(const std::string& text) = 0;
  // A bundled() default names a file in the plugin's own folder: once the host has told the
  // layer that folder (attach, before settings() is asked), the default becomes its path
  // there. A host older than ABI 1.3 never attaches: the name stays as given.
  void resolveBundled(const std::string& pluginDir) {
    if (!bundled_ || pluginDir.empty() || default_.empty() || default_[0] == '/') return;
    default_ = pluginDir + (pluginDir.back() == '/' ? "" : "/") + default_;
    resetToDefault();
  }
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
  bool bundled_ = false;
  virtual void resetToDefault() = 0;
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
  // PATH: the default is a file that comes with the plugin, named relative to its own folder
  // (MapLayer::bundled()); e.g. pathSetting("path", "Data", "points.geojson").bundled().
  Setting& bundled() { bundled_ = true; return *this; }
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
  void resetToDefault() override { value_ = parse(default_); }
  T value_{};
  std::function<void(const T&)> onChange_;
  friend class MapLayer;
};

}  // namespace bcmap::sdk
