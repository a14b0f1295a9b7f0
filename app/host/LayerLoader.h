// LayerLoader: the store's loading. load() calls the plugin on the calling thread (the
// CLI). The viewer uses loadAsync(), addPluginAsync() and reloadPlugin(): plugin code then
// runs on loader threads, and the UI thread picks up the results with pollLoaded(), once a
// frame. A layer's instance is used by one thread at a time (the header's promise to
// plugins): while a loader thread works on it (Layer::work == Loading) the UI thread does
// not call it. LayerStore owns one and forwards its calls here (see LayerStore.h for each).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "host/Layer.h"
#include "host/PluginServices.h"

namespace bcmap {

class LayerStore;

// The UI thread's half of a load: the features, style and legend `out` brings (or the
// failure it names) replace the layer's, and the user's style is applied to them again.
void applyLoad(Layer& l, LoadOutput&& out);

class LayerLoader {
 public:
  explicit LayerLoader(LayerStore& store);
  // Loader threads first: a running job may still be calling a layer's instance, and
  // results nobody applied destroy what they made while their library is still loaded.
  ~LayerLoader();
  LayerLoader(const LayerLoader&) = delete;
  LayerLoader& operator=(const LayerLoader&) = delete;

  void load(Layer& l);
  // What a failed load does to a layer that is loaded: fail it (a setting changed: the old
  // features answer another question), or keep them and say why in `reloadError` (its
  // files changed on disk: LayerStore::reloadData).
  enum class OnFailure { FailLayer, KeepLoaded };
  void loadAsync(Layer& l, OnFailure onFailure = OnFailure::FailLayer);
  // Stops waiting for a load running on a loader thread: the layer fails at once with
  // "cancelled" (the UI thread is free of it) and the result, when the thread is done, is
  // dropped. False when the layer is not loading.
  bool cancel(Layer& l);
  Layer& addPluginAsync(PluginHost& host, const std::string& path, std::function<bool(const Layer&)> loadWhen = {});
  void reloadPlugin(PluginHost& host, const std::string& path);
  void pluginFileChanged(PluginHost& host, const std::string& path);
  std::vector<std::string> pollLoaded();
  bool loading() const;
  bool waitIdle(int timeoutMs);
  void setOnResultReady(std::function<void()> fn);
  // The CRS the viewer displays in: a load posted from now on arrives prepared for it (and
  // for identify) by its loader thread, so the UI thread does no projection (LayerPrepare.h).
  // "" (the CLI): nothing is prepared ahead.
  void setDisplayCrs(std::string crs) { displayCrs_ = std::move(crs); }
  // A layer LayerStore::remove took out of the list. Its instance is destroyed now, or,
  // while a loader thread is in its load() (Layer::work == Loading), kept with the layer
  // until that job is done: the job finds no layer by its key, drops its result and
  // destroys the instance then (on the UI thread, as every instance is destroyed).
  void removed(std::unique_ptr<Layer> l);

 private:
  struct Job;
  struct LoadJob;
  struct OpenJob;
  struct ReloadJob;
  struct Threads;

  LayerStore& store_;
  std::unique_ptr<Threads> threads_;
  std::vector<std::string> changed_;                // ids for the next pollLoaded()
  std::map<std::string, PluginHost*> reloadAgain_;  // reload requested while one ran
  std::map<std::string, PluginHost*> reloading_;    // plugin paths with a reload job out
  std::set<uint64_t> cancelled_;                    // Layer::key of loads cancel() dropped
  std::string displayCrs_;                          // setDisplayCrs
  // Removed layers whose instance a loader thread still calls, by Layer::key (removed()).
  std::map<uint64_t, std::unique_ptr<Layer>> removed_;

  void post(std::unique_ptr<Job> job);
  void applyFinished();
  // A finished job found no layer with `key` (removed): what was kept for it goes.
  void forget(uint64_t key);
};

}  // namespace bcmap
