// LayerStore: the host's layers — one per plugin instance — in draw order, with their
// settings. Reprojection happens once per (layer, display CRS); panning and zooming never
// come back here. The store keeps the list, its order and the settings; the rest is done by
// the units beside it, which the calls below forward to:
//   LayerLoader     loading: on the calling thread (the CLI) or on loader threads (the
//                   viewer: loadAsync, addPluginAsync, reloadPlugin, then pollLoaded once a
//                   frame), and hot reload; PluginServices makes the plugin's calls
//   LayerStyling    the user's style and hexagon aggregation
//   LayerPrepare    a layer made ready for a display CRS, and its extent there
//   LayerIdentify   what is at a place, and tooltips
// A layer's instance is used by one thread at a time (the header's promise to plugins):
// while a loader thread works on it (Layer::work == Loading) the UI thread does not call it.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "host/Layer.h"
#include "host/LayerIdentify.h"
#include "host/PluginHost.h"

namespace bcmap {

class LayerLoader;

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
  // Its data files changed on disk (the viewer's reload bar): loads again as loadAsync, but a
  // loaded layer whose new read fails keeps the features it had, and `reloadError` says why
  // (a file caught half-written, or broken, must not cost the user the layer). A layer that
  // had failed simply loads again.
  void reloadData(Layer& layer);
  // A load on a loader thread, given up: the layer fails with "cancelled" (LayerLoader::cancel).
  bool cancelLoad(Layer& layer);
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
  // The viewer's display CRS: loads posted from now on arrive prepared for it (LayerLoader.h).
  void setDisplayCrs(std::string crs);

  // The user's style for a layer (issue 4): resolved over its features now (a layer not
  // loaded keeps it for its load), and again after every load. nullopt: back to the
  // plugin's style exactly. The prepared forms are re-made (new generation: the renderer
  // re-uploads), the legend follows, Layer::generation moves on. False, with the reason and
  // the layer unchanged, for an invalid spec, a missing or non-numeric field, or
  // hexagons for a layer that is not of points. UI thread.
  bool setUserStyle(Layer& layer, std::optional<StyleSpec> spec, std::string* err = nullptr);

  // The layer made ready for one display CRS (cached). nullptr on failure, with err set.
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

  // Extent of the loaded, visible layers in a display CRS (empty if none): their projected
  // coordinates' bounds. Prepares nothing (no triangulation), caches nothing.
  Bounds extent(const std::string& displayCrs, bool visibleOnly = true);
  // What "fit all" frames: the visible extent grown by kFitMargin a side; with nothing to
  // show, Baicheng itself; for a single point, that point at Baicheng's scale.
  Bounds homeBounds(const std::string& displayCrs);

  std::vector<std::unique_ptr<Layer>>& layers() { return layers_; }
  const std::vector<std::unique_ptr<Layer>>& layers() const { return layers_; }
  Layer* find(const std::string& id);
  void move(size_t from, size_t to);
  // Takes layer `id` out of the list (the viewer's 移除图层 Remove layer, offered for the
  // layers userCanRemove() names; the store itself takes any). Whatever it is doing: a
  // load on a loader thread still has its instance, so the instance is destroyed when that
  // load is done and its result dropped, never installed; a reload or the open of a new
  // plugin in flight for it is dropped likewise; otherwise the instance goes now. The id is
  // retired: the store never makes it again for a file or a missing layer (uniqueId), so
  // nothing a caller keeps by id (the renderer's buffers, a selection, an undo step, a table
  // window) can be taken for another file's. (A plugin's layer is named by its plugin, so a
  // plugin added again gets its id back.) False for an id not in the list. UI thread.
  bool remove(const std::string& id);
  const std::string& dataDir() const { return dataDir_; }

 private:
  // The loader works on the list (placeholders, results found by key, the duplicate rule).
  friend class LayerLoader;

  std::string dataDir_;
  std::vector<std::unique_ptr<Layer>> layers_;
  uint64_t nextKey_ = 1;
  std::unique_ptr<LayerLoader> loader_;
  std::set<uint64_t> describeWarned_;  // layers whose describe_feature failure is logged
  std::set<std::string> retiredIds_;   // ids of removed layers: never given again (remove)

  Layer& createInstanceLayer(const std::shared_ptr<PluginModule>& mod);
  std::string uniqueId(const std::string& wanted) const;
  Layer* findByKey(uint64_t key);
  void refuseDuplicateId(Layer& l);
};

}  // namespace bcmap
