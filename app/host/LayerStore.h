// LayerStore: the host's layers — one per plugin instance — with their features in the
// source CRS, their resolved style, legend and settings, and their prepared (projected,
// triangulated, indexed) forms per display CRS. Reprojection happens once per
// (layer, display CRS); panning and zooming never come back here.
//
// Two ways to load. load()/loadAll() call the plugin on the calling thread (the CLI). The
// viewer uses loadAsync(), addPluginAsync() and reloadPlugin(): plugin code then runs on
// loader threads, and the UI thread picks up the results with pollLoaded(), once a frame.
// A layer's instance is used by one thread at a time (the header's promise to plugins):
// while a loader thread works on it (Layer::work == Loading) the UI thread does not call it.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <bcmap/bcmap_plugin.h>
#include "model/FeatureTable.h"
#include "style/HexBin.h"
#include "host/PluginHost.h"
#include "model/PreparedLayer.h"
#include "geometry/SpatialIndex.h"
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
  std::string displayName() const { return nameZh + " " + nameEn; }

  // Bookkeeping of the store.
  uint64_t key = 0;          // unique in the store, never reused (finds the layer for results)
  bool loadAgain = false;    // a setting changed while busy: load once more when done
  bool everLoaded = false;   // the style's opacity is taken at the first load only
};

struct IdentifyHit {
  std::string layerId;
  size_t feature = 0;
  std::string featureId;
  double distanceM = 0;  // 0 for polygons containing the place
  std::vector<std::pair<std::string, std::string>> attributes;
};

// How much identify() returns. The hover and a click want only the top hit, and building
// every hit's attribute text is most of a pick's cost where thousands of points lie within
// the radius (bench/RESULTS.md, "Picking").
struct IdentifyOptions {
  size_t maxHits = SIZE_MAX;  // the first maxHits hits in identify's order
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
  // A layer a session names that cannot be made (its plugin or file is gone): failed, with
  // `why`, kept in the list so nothing the session said is silently dropped.
  Layer& addMissingLayer(const std::string& id, const std::string& why);

  // Loads (or reloads) a layer: settings, features, style, legend. Failures mark the
  // layer failed with the reason; nothing is thrown. On the calling thread; a layer busy on
  // a loader thread is waited for first.
  void load(Layer& layer);
  void loadAll();

  // ---- off the UI thread (the viewer) ----
  // Loads on a loader thread. A layer never loaded shows LayerStatus::Loading; a loaded one
  // keeps showing its features until the new ones arrive. Refused layers are left alone.
  void loadAsync(Layer& layer);
  // A plugin library not seen before (a new .so in a watched folder, or every plugin at
  // the viewer's start): probe, open, create, describe, settings and (when `loadWhen` says
  // so, by default always) load all happen on a loader thread. Its layer is added now, at
  // the end of the list, as a placeholder named after the file with status Loading.
  Layer& addPluginAsync(PluginHost& host, const std::string& path,
                        std::function<bool(const Layer&)> loadWhen = {});
  // Hot reload: each layer made by the plugin at `path` gets a new instance from a fresh
  // private copy of the library (probed first). It keeps its id, setting values (where the
  // new version declares the same key and type), visibility, opacity and place in the list.
  // If the new version fails anywhere (probe, open, create, describe, settings, load, style)
  // the layer keeps its old module and instance and `reloadError` says why.
  void reloadPlugin(PluginHost& host, const std::string& path);
  // What PluginWatcher::poll() reports: a plugin in use is reloaded, a new one added.
  void pluginFileChanged(PluginHost& host, const std::string& path);
  // UI thread, once a frame: applies what the loader threads finished (loads, reloads, new
  // plugins), in the order they finished. Returns the ids of the layers that changed. Never
  // waits for a plugin.
  std::vector<std::string> pollLoaded();
  // Work queued, running or finished but not yet applied.
  bool loading() const;
  // Applies results until no work is left (tests, scripts). False if `timeoutMs` passed first.
  bool waitIdle(int timeoutMs);
  // Called on a loader thread each time a result is ready, e.g. glfwPostEmptyEvent to wake
  // the UI loop. Must be thread-safe and quick. Set it before any asynchronous work.
  void setOnResultReady(std::function<void()> fn);
  // The layer made ready for one display CRS (cached). nullptr on failure, with err set.
  // The user's style for a layer (issue 4): resolved over its features now (a layer not
  // loaded keeps it for its load), and again after every load. nullopt: back to the
  // plugin's style exactly. The prepared forms are re-made (new generation: the renderer
  // re-uploads), the legend follows, Layer::generation moves on. False, with the reason and
  // the layer unchanged, for an invalid spec, a missing or non-numeric field, or
  // hexagons for a layer that is not of points. UI thread.
  bool setUserStyle(Layer& layer, std::optional<StyleSpec> spec, std::string* err = nullptr);

  std::shared_ptr<const PreparedLayer> prepare(Layer& layer, const std::string& displayCrs,
                                               std::string* err);

  // Features at a lon/lat (WGS 84): polygons containing it, points and lines within
  // radiusM. Layers in draw order, topmost first. layerIds empty: all loaded layers.
  // day: only features the time filter shows (a plain day: the Span rule; kNoDay: all).
  // Order: by layer (topmost first), then by distance, then by feature index.
  std::vector<IdentifyHit> identify(Vec2 lonLatDeg, double radiusM,
                                    const std::vector<std::string>& layerIds, const TimeFilter& day = {},
                                    const IdentifyOptions& options = {});

  // Tooltip text from the plugin (falls back to "field: value" lines).
  std::string describeFeature(Layer& layer, size_t feature);

  // Settings changes go to the plugin; a reload setting reloads the layer. While the layer
  // is busy on a loader thread the value is kept and applied by a load when that finishes.
  bool setSetting(Layer& layer, const std::string& key, const std::string& value, std::string* err);
  // The viewer's form: the value is kept and a layer that is loaded (or loading) loads again
  // on a loader thread; pollLoaded() reports it. A pending layer only keeps the value. False
  // (with err) only for a key the layer does not have.
  bool setSettingAsync(Layer& layer, const std::string& key, const std::string& value, std::string* err);

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
  struct Job;
  struct LoadJob;
  struct OpenJob;
  struct ReloadJob;
  struct Loader;

  std::string dataDir_;
  std::vector<std::unique_ptr<Layer>> layers_;
  uint64_t nextKey_ = 1;
  std::unique_ptr<Loader> loader_;
  std::vector<std::string> changed_;              // ids for the next pollLoaded()
  std::map<std::string, PluginHost*> reloadAgain_;  // reload requested while one ran
  std::map<std::string, PluginHost*> reloading_;    // plugin paths with a reload job out
  std::set<uint64_t> describeWarned_;               // layers whose describe_feature failure is logged

  Layer& createInstanceLayer(const std::shared_ptr<PluginModule>& mod);
  Layer& newLayer();
  std::string uniqueId(const std::string& wanted) const;
  Layer* findByKey(uint64_t key);
  void post(std::unique_ptr<Job> job);
  void applyFinished();
  void refuseDuplicateId(Layer& l);
};

}  // namespace bcmap
