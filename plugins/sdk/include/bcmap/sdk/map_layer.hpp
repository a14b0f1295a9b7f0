// bcmap plugin SDK, sections 8-9: the MapLayer base class and its C glue (and GlueFor, which picks a glue).
// Part of <bcmap/bcmap_plugin.hpp>, which includes the parts in order: include that, not
// this file. (The wrapper is split only to keep each file readable.)
#pragma once

#include "features.hpp"

namespace bcmap::sdk {

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
  // The plugin's own folder (as MapLayer::pluginDir()); "" under a host older than ABI 1.3.
  const char* pluginDir() const { return loader_.pluginDir(); }
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
      req.detect_time = r.detectTime ? 1u : 0u;
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

  // Called once the host has told the layer its folders (attach, ABI 1.3), before info():
  // e.g. check that a bundled file is there. Throwing refuses the layer.
  virtual void attached() {}
  // The plugin's own folder, absolute (for NAME/NAME.so: NAME/), where it was installed: the
  // host tells it right after create(), before info(), settings() or load() (ABI 1.3; empty
  // under an older host). Not the constructor: members are built before the host attaches.
  const std::string& pluginDir() const { return pluginDir_; }
  // The host's data folder (geodata/), absolute; empty under a host older than ABI 1.3.
  const std::string& hostDataDir() const { return hostDataDir_; }
  // A file that comes with the plugin: `fileName` in pluginDir(). Throws under a host
  // older than ABI 1.3, which does not say where the plugin lives.
  std::string bundled(const std::string& fileName) const {
    if (pluginDir_.empty()) throw Error("bundled(\"" + fileName + "\"): this bcmap is older than plugin ABI 1.3 and does not say where the plugin is installed");
    return pluginDir_ + (pluginDir_.back() == '/' ? "" : "/") + fileName;
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
  std::vector<unsigned char> legendPacked_;  // legendForHost(), for a host older than 1.3
  bool hostKnows13_ = false;                 // attach() was called: the host speaks ABI 1.3
  std::vector<bcmap_setting_v1> settingsOut_;
  std::vector<FieldDecl> declared_;
  std::vector<bcmap_field_v1> declaredOut_;
  std::string pluginDir_, hostDataDir_;
};

// The `path` and `fields` settings and the request of a layer that reads one vector file
// into the layer's own fields ("points from a file with these fields"). `fields` maps any
// of them to another source name ("water_year=year_ok,water_date=date_ok").
class VectorFile {
 public:
  struct Options {
    std::string defaultPath = {};
    std::string bundledFile = {};            // instead of defaultPath: a file in the plugin's folder
    std::string pathLabel = {};
    std::string mappingLabel = {};           // the `fields` setting's label; empty: none
    std::vector<std::string> fields = {};    // the layer's fields, read in order
  };
  template <class L>
  VectorFile(L& layer, std::string layerId, Options o) : id_(std::move(layerId)), o_(std::move(o)),
      path_(bundledIf(layer.pathSetting("path", o_.pathLabel, o_.bundledFile.empty() ? o_.defaultPath : o_.bundledFile),
                      !o_.bundledFile.empty())),
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
  static Setting<std::string>& bundledIf(Setting<std::string>& s, bool on) { return on ? s.bundled() : s; }
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
  static bcmap_status attach(void* instance, const bcmap_host_context_v1* context, char* err, size_t errSize) {
    return Glue<T>::guard(err, errSize, [&] {
      MapLayer* l = self(instance);
      auto str = [](const char* s) { return std::string(s ? s : ""); };
      l->pluginDir_ = str(context->plugin_dir);
      l->hostDataDir_ = str(context->data_dir);
      l->hostKnows13_ = true;
      for (const auto& s : l->settings_) s->resolveBundled(l->pluginDir_);
      l->attached();
    });
  }
  static bcmap_status describe(void* instance, bcmap_layer_info_v1* out, char* err, size_t errSize) {
    return Glue<T>::guard(err, errSize, [&] {
      MapLayer* l = self(instance);
      l->infoStore_ = l->info();
      writeInfo(l->infoStore_, out);
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
      st.writeSize(s);
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
        l->legendOut_.push_back(e.raw());
      *out = legendForHost(l->legendOut_, l->hostKnows13_, l->legendPacked_);
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
    static const bcmap_plugin_v1 v = pluginTable<MapGlue>(T().hasStyleFeature());
    return &v;
  }
};

template <class T>
using GlueFor = std::conditional_t<std::is_base_of_v<MapLayer, T>, MapGlue<T>, Glue<T>>;

}  // namespace bcmap::sdk
