// Layer: one layer of the store — one plugin instance, or a file, or a name a session gave
// that cannot be made — with its features in the source CRS, its resolved style, legend and
// settings, and its prepared forms per display CRS. The store (LayerStore.h) keeps the list;
// the units beside it work on one layer each: PluginServices (the plugin's calls),
// LayerLoader (loader threads, hot reload), LayerStyling (the user's style, hexagons),
// LayerPrepare (a display CRS), LayerIdentify (what is at a place).
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <bcmap/bcmap_plugin.h>
#include "geometry/SpatialIndex.h"
#include "host/PluginHost.h"
#include "model/FeatureTable.h"
#include "model/PreparedLayer.h"
#include "style/HexBin.h"
#include "style/Style.h"

namespace bcmap {

// Pending: not loaded yet (not wanted so far); Loading: a loader thread is on it.
enum class LayerStatus { Pending = 0, Loaded = 1, Failed = 2, Loading = 3 };
const char* layerStatusName(LayerStatus s);

// Work a loader thread is doing for a layer. Loading: its instance is in use there (the UI
// thread leaves it alone); Reloading: a new version is being made from a fresh copy of the
// library (the instance here is still the UI thread's).
enum class LayerWork : uint8_t { None = 0, Loading = 1, Reloading = 2 };

struct LayerSetting {
  std::string key, label;
  bcmap_setting_type type = BCMAP_SETTING_TEXT;
  std::string value, defaultValue;
  double minValue = 0, maxValue = 0;
  std::vector<std::string> options;
  bool reload = false;
};

struct Layer {
  std::string id;  // unique in the store
  std::string pluginId, nameZh, nameEn, version, attribution;
  std::string pluginPath;
  GeometryKind kind = GeometryKind::None;
  std::string sourceCrs;  // CRS of `table`
  // The data files the last load read through the host (read_vector): exports refuse to
  // write over them (FeatureExport.h: inputFileAt).
  std::vector<std::string> inputFiles;
  bool hasTime = false;
  bool isSample = false;
  bool hiddenByDefault = false;  // the plugin asks to start switched off
  bool isFileLayer = false;  // opened from a FILE argument, always shown
  bool missing = false;      // a session named it, but its plugin or file is gone

  LayerStatus status = LayerStatus::Pending;
  std::string error;  // why it failed: names the layer's file or callback and the reason
  bool refused = false;  // failed before loading (open, describe, settings, duplicate id): never loaded
  // The last hot reload failed: why. The layer keeps the version it had (still loaded).
  // Cleared by a reload that succeeds.
  std::string reloadError;
  LayerWork work = LayerWork::None;
  bool busy() const { return work != LayerWork::None; }

  bool visible = true;
  float opacity = 1.0f;
  bool opacitySet = false;  // the user or a session chose `opacity`: loads keep it

  std::vector<LayerSetting> settings;
  FeatureTable table;
  LayerStyle style;
  std::vector<Rgba> fill;          // per feature
  std::vector<float> pointSizePx;  // per feature
  std::vector<LegendEntry> legend;
  // Features of `table` without geometry (a null or empty one: zero parts), counted by each
  // load (applyLoad). They are listed, searched and exported but never drawn or picked.
  size_t withoutGeometry = 0;
  // A table layer (issue 12): loaded with rows but no geometry kind, as a .dbf alone, a CSV
  // without coordinates or a GeoJSON of null geometries load — attributes only. Nothing is
  // drawn; extent, zoom, identify, time and hexagons pass it by; its table, filter and export
  // work. (An empty file, no rows and no kind, is just an empty layer.)
  bool tableOnly() const {
    return status == LayerStatus::Loaded && kind == GeometryKind::None && table.featureCount() > 0;
  }

  // ---- the user's style (issue 4; LayerStore::setUserStyle) --------------------------------
  // What the user chose in the style editor; nullopt: the plugin's style. Every load
  // re-applies it to the new features.
  std::optional<StyleSpec> userStyle;
  // Why the user style could not be applied to the last load ("" when it was): the
  // plugin's style shows meanwhile.
  std::string userStyleError;
  // The plugin's own style, evaluated, kept while a user style shows (to go back to).
  std::optional<ResolvedStyle> pluginStyle;
  // A point layer aggregated into hexagons: the hexagons and their fills. The prepared
  // forms draw these instead of the points; style and legend describe them; fill and
  // pointSizePx stay the points' (the plugin's).
  struct HexAggregate {
    HexBins bins;
    std::vector<Rgba> fill;  // per hexagon
  };
  std::unique_ptr<HexAggregate> hexes;
  // What the map shows of the layer, as identify and tooltips should see it: the hexagons
  // (ids "q,r", column "count") while aggregated, else the features.
  const FeatureTable& shownTable() const { return hexes ? hexes->bins.table : table; }
  GeometryKind shownKind() const { return hexes ? GeometryKind::Polygon : kind; }

  const bcmap_plugin_v1* vtable = nullptr;
  void* instance = nullptr;
  std::shared_ptr<PluginModule> module;  // keeps the library loaded while the instance lives

  std::map<std::string, std::shared_ptr<PreparedLayer>> prepared;  // by display CRS
  std::unique_ptr<SpatialIndex> lonLatIndex;                       // for identify
  uint64_t generation = 0;
  // "中文 English"; a name that is one either way (a file layer's file name, a plugin that
  // gives only one) once, not "mine.gpkg mine.gpkg".
  std::string displayName() const {
    if (nameEn.empty() || nameEn == nameZh) return nameZh.empty() ? nameEn : nameZh;
    return nameZh.empty() ? nameEn : nameZh + " " + nameEn;
  }

  // Bookkeeping of the store.
  uint64_t key = 0;          // unique in the store, never reused (finds the layer for results)
  bool loadAgain = false;    // a setting changed while busy: load once more when done
  bool everLoaded = false;   // the style's opacity is taken at the first load only

  // A table on a database server (io/DbSource.h): in the viewer it is fetched per settled
  // view by its DbFeed (host/DbFeed.h), never read whole; loadAsync only asks for the new
  // look (dbRestyle). dbState: the feed's "connecting", "fetching", "server unreachable: …",
  // or "" (idle), shown in the layer panel.
  bool dbFeed = false;
  bool dbRestyle = false;
  std::string dbState;
};

// Whether the viewer offers to remove the layer (LayerStore::remove): a file the user
// opened, loaded or failed or loading, or a layer a session names that cannot be made. A
// plugin's layer is hidden (its box unticked, remembered in the session), not removed: the
// plugin makes it again at every start, so removing it would only forget its settings.
inline bool userCanRemove(const Layer& l) { return l.isFileLayer || l.missing; }

// The features of `g` without geometry (zero parts: a null or empty geometry).
size_t countWithoutGeometry(const GeometryColumn& g);

// What a loaded layer holds, in English for the log and the command line: "1,234 features",
// "1,234 features, 12 without geometry", or for a table layer "3 rows, no geometry".
std::string layerFeatureSummary(const Layer& l);
// The same for the viewer, Chinese first: "1,234 个要素 features，12 个无几何 without
// geometry", "3 行 rows · 无几何 no geometry".
std::string layerFeatureSummaryZh(const Layer& l);

}  // namespace bcmap
