// LayerStore: the host's layers — one per plugin instance — with their features in the
// source CRS, their resolved style, legend and settings, and their prepared (projected,
// triangulated, indexed) forms per display CRS. Reprojection happens once per
// (layer, display CRS); panning and zooming never come back here.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bcmap_plugin.h"
#include "core/FeatureTable.h"
#include "core/PluginHost.h"
#include "core/PreparedLayer.h"
#include "core/SpatialIndex.h"
#include "core/Style.h"

namespace bcmap {

enum class LayerStatus { Pending = 0, Loaded = 1, Failed = 2 };
const char* layerStatusName(LayerStatus s);

struct LayerSetting {
  std::string key, label;
  bcmap_setting_type type = BCMAP_SETTING_TEXT;
  std::string value, defaultValue;
  double minValue = 0, maxValue = 0;
  std::vector<std::string> options;
  bool reload = false;
};

struct LegendEntry {
  std::string label;
  Rgba fill, stroke;
  GeometryKind kind = GeometryKind::None;
};

struct Layer {
  std::string id;  // unique in the store
  std::string pluginId, nameZh, nameEn, version, attribution;
  std::string pluginPath;
  GeometryKind kind = GeometryKind::None;
  std::string sourceCrs;  // CRS of `table`
  bool hasTime = false;
  bool isSample = false;
  bool isFileLayer = false;  // opened from a FILE argument, always shown

  LayerStatus status = LayerStatus::Pending;
  std::string error;  // why it failed: names the layer's file or callback and the reason
  bool refused = false;  // failed before loading (open, describe, settings, duplicate id): never loaded

  bool visible = true;
  float opacity = 1.0f;

  std::vector<LayerSetting> settings;
  FeatureTable table;
  LayerStyle style;
  std::vector<Rgba> fill;          // per feature
  std::vector<float> pointSizePx;  // per feature
  std::vector<LegendEntry> legend;

  const bcmap_plugin_v1* vtable = nullptr;
  void* instance = nullptr;

  std::map<std::string, std::shared_ptr<PreparedLayer>> prepared;  // by display CRS
  std::unique_ptr<SpatialIndex> lonLatIndex;                       // for identify
  uint64_t generation = 0;
  std::string displayName() const { return nameZh + " " + nameEn; }
};

struct IdentifyHit {
  std::string layerId;
  size_t feature = 0;
  std::string featureId;
  double distanceM = 0;  // 0 for polygons containing the place
  std::vector<std::pair<std::string, std::string>> attributes;
};

// Margin left around the data when fitting a view: 5 % of the extent a side.
inline constexpr double kFitMargin = 0.05;
Bounds growBounds(Bounds b, double fraction = kFitMargin);

class LayerStore {
 public:
  explicit LayerStore(std::string dataDir);
  ~LayerStore();
  LayerStore(const LayerStore&) = delete;
  LayerStore& operator=(const LayerStore&) = delete;

  // One layer per plugin module. Modules that failed to open become failed layers (id =
  // file name) so they can be shown with their reason. The generic vector_file plugin
  // makes no layer of its own; it serves addFileLayer().
  void addPluginLayers(PluginHost& host);
  // A layer for a user's vector file through the vector_file plugin.
  Layer& addFileLayer(PluginHost& host, const std::string& path, bool gcj02);

  // Loads (or reloads) a layer: settings, features, style, legend. Failures mark the
  // layer failed with the reason; nothing is thrown.
  void load(Layer& layer);
  void loadAll();

  // The layer made ready for one display CRS (cached). nullptr on failure, with err set.
  std::shared_ptr<const PreparedLayer> prepare(Layer& layer, const std::string& displayCrs,
                                               std::string* err);

  // Features at a lon/lat (WGS 84): polygons containing it, points and lines within
  // radiusM. Layers in draw order, topmost first. layerIds empty: all loaded layers.
  std::vector<IdentifyHit> identify(Vec2 lonLatDeg, double radiusM,
                                    const std::vector<std::string>& layerIds);

  // Tooltip text from the plugin (falls back to "field: value" lines).
  std::string describeFeature(Layer& layer, size_t feature);

  // Settings changes go to the plugin; a reload setting reloads the layer.
  bool setSetting(Layer& layer, const std::string& key, const std::string& value, std::string* err);

  // Extent of the loaded, visible layers in a display CRS (empty if none).
  Bounds extent(const std::string& displayCrs, bool visibleOnly = true);
  // What "fit all" frames: the visible extent grown by kFitMargin a side; with nothing to
  // show, Baicheng itself; for a single point, that point at Baicheng's scale.
  Bounds homeBounds(const std::string& displayCrs);

  std::vector<std::unique_ptr<Layer>>& layers() { return layers_; }
  Layer* find(const std::string& id);
  void move(size_t from, size_t to);
  const std::string& dataDir() const { return dataDir_; }

 private:
  std::string dataDir_;
  std::vector<std::unique_ptr<Layer>> layers_;
  Layer& createInstanceLayer(PluginModule& mod);
  std::string uniqueId(const std::string& wanted) const;
};

}  // namespace bcmap
