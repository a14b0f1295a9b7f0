// Sections: 1. a load's UI-thread half  2. loader threads  3. loading (on the calling
// thread, or queued)  4. off-thread jobs: load, open a new plugin, hot reload
#include "host/LayerLoader.h"

#include <malloc.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <mutex>
#include <optional>
#include <thread>

#include "host/LayerPrepare.h"
#include "host/LayerStore.h"
#include "host/LayerStyling.h"
#include "io/Projection.h"
#include "model/Log.h"

namespace fs = std::filesystem;

namespace bcmap {

namespace {

std::string normalPath(const std::string& p) {
  std::error_code ec;
  return fs::absolute(p, ec).lexically_normal().string();
}

// Destroys the instance a job made and nobody took.
void dropInstance(Layer* l) {
  if (l && l->vtable && l->instance) l->vtable->destroy(l->instance);
  if (l) l->instance = nullptr;
}

// The files a layer's last load read, by name, for a message ("a.geojson, a.dbf"); its
// display name when it read none through the host.
std::string reloadedFiles(const Layer& l) {
  std::string out;
  for (const std::string& f : l.inputFiles) out += (out.empty() ? "" : ", ") + fs::path(f).filename().string();
  return out.empty() ? l.displayName() : out;
}

// Loader threads: enough that one plugin hanging in load() does not hold up the others;
// they mostly wait on disk and GDAL, so more than the two cores of a small machine.
constexpr size_t kLoaderThreads = 3;

}  // namespace

// ---- 1. a load's UI-thread half ----------------------------------------------------------
void applyLoad(Layer& l, LoadOutput&& out) {
  l.prepared.clear();
  l.lonLatIndex.reset();
  l.pluginStyle.reset();  // both belong to the features being replaced
  l.hexes.reset();
  ++l.generation;
  if (!out.error.empty()) {
    l.status = LayerStatus::Failed;
    l.error = std::move(out.error);
    l.table = FeatureTable{};
    l.withoutGeometry = 0;
    // A callback's failure starts with the layer id already ("<id>: load failed: ...").
    // On stderr this is the command line's one report of the failure (AppSession.cpp).
    logError("layer " + (l.error.rfind(l.id + ": ", 0) == 0 ? l.error : l.id + ": " + l.error));
    return;
  }
  l.table = std::move(out.table);
  l.kind = out.kind;
  l.sourceCrs = std::move(out.sourceCrs);
  l.style = std::move(out.style);
  l.fill = std::move(out.fill);
  l.pointSizePx = std::move(out.pointSizePx);
  l.legend = std::move(out.legend);
  l.inputFiles = std::move(out.inputFiles);
  // The style's opacity is where a layer starts; after that the opacity is the user's.
  if (!l.everLoaded && !l.opacitySet) l.opacity = l.style.opacity;
  l.everLoaded = true;
  l.status = LayerStatus::Loaded;
  l.error.clear();
  // Issue 12: rows without geometry are kept (the table, search and export list them) and
  // said once a load: a table layer draws nothing, a mixed one draws the rest.
  l.withoutGeometry = countWithoutGeometry(l.table.geometry);
  if (l.tableOnly())
    logInfo("layer " + l.id + ": a table without geometry (" + layerFeatureSummary(l) +
            "): nothing to draw; its attribute table, search and export work");
  else if (l.withoutGeometry > 0)
    logWarning("layer " + l.id + ": " + layerFeatureSummary(l) + ": those are not drawn (the attribute table lists them)");
  applyFileLayerLook(l);  // a file's look follows what it holds (LayerStyling.h)
  // The new features get the user's style again (the plugin's stays beside it).
  l.userStyleError.clear();
  if (l.userStyle && !applyStyle(l, l.userStyle, &l.userStyleError))
    logWarning("layer " + l.id + ": the user's style no longer applies: " + l.userStyleError);
}

// ---- 2. loader threads ---------------------------------------------------------------------
// A job runs on a loader thread (run) and is applied on the UI thread (apply). A job that
// is never applied (the store goes first) frees what it made in its destructor.
struct LayerLoader::Job {
  virtual ~Job() = default;
  virtual void run() = 0;
  virtual void apply(LayerLoader& loader) = 0;
};

struct LayerLoader::Threads {
  std::mutex mutex;
  std::condition_variable workReady, resultReady;
  std::deque<std::unique_ptr<Job>> queue, finished;
  size_t running = 0;
  bool stopping = false;
  std::vector<std::thread> threads;
  std::function<void()> onResult;

  ~Threads() {
    {
      std::lock_guard lock(mutex);
      stopping = true;
      queue.clear();  // not started: nothing made yet
    }
    workReady.notify_all();
    for (std::thread& t : threads) t.join();
    finished.clear();
  }

  void post(std::unique_ptr<Job> job) {
    {
      std::lock_guard lock(mutex);
      queue.push_back(std::move(job));
      if (threads.size() < kLoaderThreads && queue.size() > threads.size() - running)
        threads.emplace_back([this] { work(); });
    }
    workReady.notify_one();
  }

  void work() {
    std::unique_lock lock(mutex);
    while (true) {
      workReady.wait(lock, [&] { return stopping || !queue.empty(); });
      if (stopping) return;
      std::unique_ptr<Job> job = std::move(queue.front());
      queue.pop_front();
      ++running;
      lock.unlock();
      job->run();
      lock.lock();
      --running;
      finished.push_back(std::move(job));
      const std::function<void()> wake = onResult;
      lock.unlock();
      resultReady.notify_all();
      if (wake) wake();
      lock.lock();
    }
  }

  bool idle() {
    std::lock_guard lock(mutex);
    return queue.empty() && running == 0 && finished.empty();
  }
};

LayerLoader::LayerLoader(LayerStore& store) : store_(store), threads_(std::make_unique<Threads>()) {}

LayerLoader::~LayerLoader() {
  // The threads first (a job may be in a removed layer's instance), then those instances.
  threads_.reset();
  for (auto& [key, l] : removed_) dropInstance(l.get());
}

void LayerLoader::removed(std::unique_ptr<Layer> l) {
  if (!l) return;
  if (l->work == LayerWork::Loading) {
    // A loader thread is in its load() (or the job is queued, or finished and not yet
    // applied): the instance is that thread's until the job is done (the plugin header's
    // one-thread promise), so it waits here, and the job's apply() finds no layer.
    const uint64_t key = l->key;
    removed_[key] = std::move(l);
    return;
  }
  // A reload in flight works on a fresh instance of its own (ReloadJob), which it drops
  // when it finds no layer; this one is the UI thread's.
  cancelled_.erase(l->key);
  dropInstance(l.get());
}

void LayerLoader::forget(uint64_t key) {
  cancelled_.erase(key);
  auto it = removed_.find(key);
  if (it == removed_.end()) return;
  dropInstance(it->second.get());
  removed_.erase(it);
}

void LayerLoader::post(std::unique_ptr<Job> job) { threads_->post(std::move(job)); }

void LayerLoader::setOnResultReady(std::function<void()> fn) {
  std::lock_guard lock(threads_->mutex);
  threads_->onResult = std::move(fn);
}

void LayerLoader::applyFinished() {
  std::deque<std::unique_ptr<Job>> done;
  {
    std::lock_guard lock(threads_->mutex);
    done.swap(threads_->finished);
  }
  for (auto& job : done) job->apply(*this);
  // The replaced tables were freed just now (applyLoad), on this thread but allocated on a
  // loader thread: give their pages back rather than keep them for the next load. That is
  // for glibc's malloc (the sanitizer builds); the bcmap executable's jemalloc returns freed
  // pages at once (app/Allocator.h), and glibc's trim then finds nothing to do.
  if (!done.empty()) {
    done.clear();
    malloc_trim(0);
  }
  // Reloads asked for while their plugin was busy.
  if (!reloadAgain_.empty()) {
    std::map<std::string, PluginHost*> again;
    again.swap(reloadAgain_);
    for (const auto& [path, host] : again) reloadPlugin(*host, path);
  }
}

std::vector<std::string> LayerLoader::pollLoaded() {
  applyFinished();
  std::vector<std::string> out;
  out.swap(changed_);
  return out;
}

bool LayerLoader::loading() const { return !threads_->idle() || !reloadAgain_.empty(); }

bool LayerLoader::waitIdle(int timeoutMs) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
  while (true) {
    applyFinished();
    if (!loading()) return true;
    std::unique_lock lock(threads_->mutex);
    if (!threads_->resultReady.wait_until(lock, deadline, [&] { return !threads_->finished.empty(); })) return false;
  }
}

// ---- 3. loading ------------------------------------------------------------------------------
void LayerLoader::load(Layer& l) {
  if (l.work == LayerWork::Loading) {
    // A loader thread has the instance: let it finish (its result is applied), then load here.
    const uint64_t key = l.key;
    while (true) {
      applyFinished();
      const Layer* now = store_.findByKey(key);
      if (!now || now->work != LayerWork::Loading) break;
      std::unique_lock lock(threads_->mutex);
      threads_->resultReady.wait(lock, [&] { return !threads_->finished.empty(); });
    }
  }
  if (l.refused || !l.vtable || !l.instance) return;  // failed before loading: keeps its reason
  applyLoad(l, runLoad(loadInputOf(l), store_.dataDir()));
}

// ---- 4. off-thread jobs --------------------------------------------------------------------------
struct LayerLoader::LoadJob : Job {
  uint64_t key = 0;
  LoadInput in;
  std::string dataDir;
  LoadOutput out;
  std::string displayCrs;  // the UI's when posted: prepared for it here
  PreparedGeometry prep;
  OnFailure onFailure = OnFailure::FailLayer;

  void run() override {
    out = runLoad(in, dataDir);
    // Projection, triangles and identify's index here, not on the UI thread (issue 11: at
    // 10M points they held the first frame after the load for seconds).
    if (out.error.empty() && !displayCrs.empty()) prep = prepareGeometry(out.table, out.kind, out.sourceCrs, displayCrs);
  }
  void apply(LayerLoader& loader) override {
    LayerStore& store = loader.store_;
    Layer* l = store.findByKey(key);
    if (!l) {
      // Removed while it loaded (LayerStore::remove): the result goes with the job, and the
      // instance it used with the layer.
      loader.forget(key);
      return;
    }
    l->work = LayerWork::None;
    if (loader.cancelled_.erase(key)) {
      // Cancelled while it read (cancel()): the layer keeps its "cancelled" state and the
      // result goes. A setting changed since asks for a fresh load.
      loader.changed_.push_back(l->id);
      if (l->loadAgain) {
        l->loadAgain = false;
        loader.loadAsync(*l);
      }
      return;
    }
    if (onFailure == OnFailure::KeepLoaded && l->status == LayerStatus::Loaded) {
      if (!out.error.empty()) {
        // A data reload that failed: the features read before stay, and the row says why.
        // The reason without what the row already says: "<id>: load failed: <path>: ".
        std::string why = out.error;
        for (const std::string& prefix : {l->id + ": ", std::string("load failed: ")})
          if (why.rfind(prefix, 0) == 0) why.erase(0, prefix.size());
        for (const std::string& f : l->inputFiles)
          if (why.rfind(f + ": ", 0) == 0) why.erase(0, f.size() + 2);
        l->reloadError = "reload of " + reloadedFiles(*l) + " failed: " + why + "; the data read before is kept";
        logError("layer " + l->id + ": " + l->reloadError);
        loader.changed_.push_back(l->id);
        if (l->loadAgain) {
          l->loadAgain = false;
          loader.loadAsync(*l);
        }
        return;
      }
      l->reloadError.clear();
    }
    applyLoad(*l, std::move(out));
    // The display CRS changed while it loaded: that form would only be memory.
    if (prep.displayCrs != loader.displayCrs_ && prep.displayCrs != kLonLatCrs) prep.display.reset();
    installPreparedGeometry(*l, std::move(prep));
    loader.changed_.push_back(l->id);
    if (l->loadAgain) {
      l->loadAgain = false;
      loader.loadAsync(*l);
    }
  }
};

void LayerLoader::loadAsync(Layer& l, OnFailure onFailure) {
  if (l.refused || !l.vtable || !l.instance) return;
  if (l.dbFeed) {
    // Fetched per view by its DbFeed (host/DbFeed.h): the plugin would read the table whole.
    // A setting changed: the feed's rows are styled again.
    l.dbRestyle = true;
    if (l.status != LayerStatus::Loaded) l.status = LayerStatus::Loading;
    return;
  }
  if (l.busy()) {
    l.loadAgain = true;
    return;
  }
  l.work = LayerWork::Loading;
  if (l.status != LayerStatus::Loaded) l.status = LayerStatus::Loading;
  auto job = std::make_unique<LoadJob>();
  job->key = l.key;
  job->in = loadInputOf(l);
  job->dataDir = store_.dataDir();
  job->displayCrs = displayCrs_;
  job->onFailure = onFailure;
  post(std::move(job));
}

bool LayerLoader::cancel(Layer& l) {
  if (l.work != LayerWork::Loading || l.status != LayerStatus::Loading) return false;
  // The read itself cannot be interrupted (a plugin's load() has no cancel; GDAL's readers
  // neither): the loader thread finishes it and apply() drops the result. The instance
  // stays the loader thread's until then (Layer::work), as the plugin header promises.
  cancelled_.insert(l.key);
  l.status = LayerStatus::Failed;
  l.error = l.displayName() + ": 已取消 cancelled while loading";
  l.visible = false;
  l.loadAgain = false;
  changed_.push_back(l.id);
  return true;
}

// A plugin library not seen before: opened, created and described on a loader thread into a
// detached Layer that apply() moves into the placeholder.
struct LayerLoader::OpenJob : Job {
  uint64_t key = 0;
  std::string path;
  PluginHost::OpenOptions options;
  PluginHost* host = nullptr;
  std::function<bool(const Layer&)> loadWhen;
  std::string dataDir;
  std::shared_ptr<PluginModule> module;
  std::unique_ptr<Layer> fresh;

  ~OpenJob() override { dropInstance(fresh.get()); }
  void run() override {
    module = PluginHost::openModule(path, options);
    fresh = std::make_unique<Layer>();
    initFromModule(*fresh, module, dataDir);
  }
  void apply(LayerLoader& loader) override {
    LayerStore& store = loader.store_;
    Layer* l = store.findByKey(key);
    if (!l) loader.forget(key);  // the placeholder was removed: `fresh` goes with the job
    if (!l || !fresh) return;
    host->adopt(module);
    const bool visible = l->visible;
    std::optional<StyleSpec> userStyle = std::move(l->userStyle);  // set (a session) before it opened
    *l = std::move(*fresh);
    fresh->instance = nullptr;  // now the layer's
    l->key = key;
    l->visible = visible;
    l->userStyle = std::move(userStyle);
    l->id.clear();
    if (l->refused) {
      l->id = store.uniqueId(module->fileName);
      logWarning("plugin " + l->error);
    } else {
      l->id = l->pluginId;
      store.refuseDuplicateId(*l);
    }
    loader.changed_.push_back(l->id);
    if (l->refused) return;
    if (!loadWhen || loadWhen(*l)) {
      loader.loadAsync(*l);
    } else {
      l->status = LayerStatus::Pending;
      l->visible = false;
    }
  }
};

Layer& LayerLoader::addPluginAsync(PluginHost& host, const std::string& path, std::function<bool(const Layer&)> loadWhen) {
  auto layer = std::make_unique<Layer>();
  layer->key = store_.nextKey_++;
  layer->pluginPath = normalPath(path);
  const std::string fileName = fs::path(layer->pluginPath).filename().string();
  layer->id = store_.uniqueId(fileName);
  layer->nameZh = fileName;
  layer->status = LayerStatus::Loading;
  layer->work = LayerWork::Loading;
  auto job = std::make_unique<OpenJob>();
  job->key = layer->key;
  job->path = layer->pluginPath;
  job->options = host.openOptions();
  job->host = &host;
  job->loadWhen = std::move(loadWhen);
  job->dataDir = store_.dataDir();
  store_.layers_.push_back(std::move(layer));
  post(std::move(job));
  return *store_.layers_.back();
}

// Hot reload of one library: opened once from a fresh private copy, then for each layer it
// made a new instance is created, described, given the old setting values and loaded — all
// on a loader thread, while the layers go on showing the old version.
struct LayerLoader::ReloadJob : Job {
  struct Item {
    uint64_t key = 0;
    std::string id;
    std::vector<LayerSetting> settings;
    std::unique_ptr<Layer> fresh;
    LoadOutput out;
    PreparedGeometry prep;  // as LoadJob's
    std::string error;
  };
  std::string displayCrs;
  std::string path, fileName;
  PluginHost::OpenOptions options;
  PluginHost* host = nullptr;
  std::string dataDir;
  std::vector<Item> items;
  std::shared_ptr<PluginModule> module;

  ~ReloadJob() override {
    for (Item& it : items) dropInstance(it.fresh.get());
  }
  void run() override {
    module = PluginHost::openModule(path, options);
    if (!module->ok()) return;
    for (Item& it : items) {
      it.fresh = std::make_unique<Layer>();
      initFromModule(*it.fresh, module, dataDir);
      if (it.fresh->refused) {
        it.error = it.fresh->error;
        continue;
      }
      carrySettings(it.fresh->settings, it.settings);
      it.fresh->id = it.id;  // messages name the layer as the user knows it
      it.out = runLoad(loadInputOf(*it.fresh), dataDir);
      if (!it.out.error.empty()) it.error = it.out.error;
      else if (!displayCrs.empty())
        it.prep = prepareGeometry(it.out.table, it.out.kind, it.out.sourceCrs, displayCrs);
    }
  }
  void apply(LayerLoader& loader) override {
    LayerStore& store = loader.store_;
    bool anyReloaded = false;
    for (Item& it : items) {
      Layer* l = store.findByKey(it.key);
      if (!l) continue;  // removed meanwhile: its fresh instance goes with the job
      l->work = LayerWork::None;
      std::string why = !module->ok() ? module->error : it.error;
      // A new version may not take an id another layer has (the duplicate rule).
      if (why.empty() && (l->refused || it.fresh->pluginId != l->pluginId))
        for (const auto& other : store.layers_)
          if (other.get() != l && other->pluginId == it.fresh->pluginId && !other->refused)
            why = "layer id '" + it.fresh->pluginId + "' is already used by " +
                  fs::path(other->pluginPath).filename().string() + "; shadowed by " + other->pluginPath;
      if (!why.empty()) {
        l->reloadError = "reload of " + fileName + " failed: " + why +
                         (l->status == LayerStatus::Loaded ? "; the version loaded before is kept" : "");
        // Nothing loaded to keep: the new reason is the layer's reason.
        if (l->status != LayerStatus::Loaded) l->error = l->reloadError;
        logError("layer " + l->id + ": " + l->reloadError);
      } else {
        Layer& f = *it.fresh;
        if (l->vtable && l->instance) l->vtable->destroy(l->instance);
        l->module = f.module;
        l->vtable = f.vtable;
        l->instance = f.instance;
        f.instance = nullptr;
        l->pluginId = f.pluginId;
        if (!l->isFileLayer) {
          l->nameZh = f.nameZh;
          l->nameEn = f.nameEn;
        }
        l->version = f.version;
        l->kind = f.kind;
        l->hasTime = f.hasTime;
        l->isSample = f.isSample;
        l->attribution = f.attribution;
        carrySettings(f.settings, l->settings);  // values set while the reload ran
        l->settings = std::move(f.settings);
        l->refused = false;
        l->reloadError.clear();
        applyLoad(*l, std::move(it.out));
        if (it.prep.displayCrs != loader.displayCrs_ && it.prep.displayCrs != kLonLatCrs) it.prep.display.reset();
        installPreparedGeometry(*l, std::move(it.prep));
        logInfo("layer " + l->id + ": reloaded " + fileName + " (version " + l->version + ")");
        anyReloaded = true;
      }
      loader.changed_.push_back(l->id);
      if (l->loadAgain) {
        l->loadAgain = false;
        loader.loadAsync(*l);
      }
    }
    // The host hands out the new version from now on (new FILE layers, later reloads);
    // layers still on the old one keep it loaded through their own reference.
    if (module->ok() && (anyReloaded || items.empty())) host->replace(module);
    loader.reloading_.erase(path);
  }
};

void LayerLoader::reloadPlugin(PluginHost& host, const std::string& pathIn) {
  const std::string path = normalPath(pathIn);
  std::vector<Layer*> mine;
  for (auto& l : store_.layers_)
    if (l->pluginPath == path) mine.push_back(l.get());
  // One job per library at a time, and never while a loader thread has one of its instances.
  if (reloading_.count(path) ||
      std::any_of(mine.begin(), mine.end(), [](const Layer* l) { return l->work == LayerWork::Loading; })) {
    reloadAgain_[path] = &host;
    return;
  }
  auto job = std::make_unique<ReloadJob>();
  job->path = path;
  job->fileName = fs::path(path).filename().string();
  job->options = host.openOptions(true);
  job->host = &host;
  job->dataDir = store_.dataDir();
  job->displayCrs = displayCrs_;
  for (Layer* l : mine) {
    ReloadJob::Item it;
    it.key = l->key;
    it.id = l->id;
    it.settings = l->settings;
    l->work = LayerWork::Reloading;
    job->items.push_back(std::move(it));
  }
  if (job->items.empty() && !host.findByPath(path)) return;
  reloading_[path] = &host;
  logInfo("plugin " + path + ": changed on disk; reloading");
  post(std::move(job));
}

void LayerLoader::pluginFileChanged(PluginHost& host, const std::string& pathIn) {
  const std::string path = normalPath(pathIn);
  std::error_code ec;
  if (!fs::exists(path, ec)) return;  // gone again (a build's temporary file)
  const bool known = host.findByPath(path) ||
                     std::any_of(store_.layers_.begin(), store_.layers_.end(), [&](const auto& l) { return l->pluginPath == path; });
  if (known) reloadPlugin(host, path);
  else addPluginAsync(host, path);
}

}  // namespace bcmap
