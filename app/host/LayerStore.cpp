// Sections: 1. the list: plugin, file and missing layers  2. forwarded to the units beside
// the store (loading, styling, preparing, identify)  3. settings, extent, order
#include "host/LayerStore.h"

#include <algorithm>
#include <filesystem>
#include <iterator>
#include <optional>

#include "host/LayerLoader.h"
#include "host/LayerPrepare.h"
#include "host/LayerStyling.h"
#include "host/PluginServices.h"
#include "style/FileLayerStyle.h"
#include "io/DbSource.h"
#include "io/NetworkGuard.h"
#include "io/Projection.h"
#include "model/Log.h"

namespace fs = std::filesystem;

namespace bcmap {

const char* layerStatusName(LayerStatus s) {
  switch (s) {
    case LayerStatus::Pending: return "pending";
    case LayerStatus::Loaded: return "loaded";
    case LayerStatus::Failed: return "failed";
    case LayerStatus::Loading: return "loading";
  }
  return "?";
}

namespace {

// 1234567 -> "1,234,567".
std::string grouped(size_t n) {
  std::string digits = std::to_string(n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

}  // namespace

size_t countWithoutGeometry(const GeometryColumn& g) {
  size_t n = 0;
  for (size_t f = 0; f + 1 < g.featureParts.size(); ++f) n += g.featureParts[f + 1] == g.featureParts[f];
  return n;
}

std::string layerFeatureSummary(const Layer& l) {
  const size_t n = l.table.featureCount();
  if (l.tableOnly()) return grouped(n) + (n == 1 ? " row" : " rows") + ", no geometry";
  std::string s = grouped(n) + (n == 1 ? " feature" : " features");
  if (l.withoutGeometry > 0) s += ", " + grouped(l.withoutGeometry) + " without geometry";
  return s;
}

std::string layerFeatureSummaryZh(const Layer& l) {
  const size_t n = l.table.featureCount();
  if (l.tableOnly()) return grouped(n) + " 行 rows · 无几何 no geometry";
  std::string s = grouped(n) + " 个要素 features";
  if (l.withoutGeometry > 0) s += " · " + grouped(l.withoutGeometry) + " 个无几何 without geometry";
  return s;
}

// ---- 1. the list ---------------------------------------------------------------------------
LayerStore::LayerStore(std::string dataDir)
    : dataDir_(std::move(dataDir)), loader_(std::make_unique<LayerLoader>(*this)) {}

LayerStore::~LayerStore() {
  // Loader threads first: a running job may still be calling a layer's instance, and
  // results nobody applied destroy what they made while their library is still loaded.
  loader_.reset();
  for (auto& l : layers_)
    if (l->vtable && l->instance) l->vtable->destroy(l->instance);
}

std::string LayerStore::uniqueId(const std::string& wanted) const {
  auto taken = [&](const std::string& id) {
    return retiredIds_.count(id) ||
           std::any_of(layers_.begin(), layers_.end(), [&](const auto& l) { return l->id == id; });
  };
  if (!taken(wanted)) return wanted;
  for (int i = 2;; ++i)
    if (!taken(wanted + "_" + std::to_string(i))) return wanted + "_" + std::to_string(i);
}

Layer* LayerStore::findByKey(uint64_t key) {
  for (auto& l : layers_)
    if (l->key == key) return l.get();
  return nullptr;
}

Layer& LayerStore::createInstanceLayer(const std::shared_ptr<PluginModule>& mod) {
  auto layer = std::make_unique<Layer>();
  layer->key = nextKey_++;
  initFromModule(*layer, mod, dataDir_);
  if (!mod->ok()) layer->id = uniqueId(mod->fileName);
  layers_.push_back(std::move(layer));
  return *layers_.back();
}

void LayerStore::refuseDuplicateId(Layer& l) {
  // Two plugins claiming one id: the one found later in the search path (PluginSearchPath.h)
  // is refused as shadowed, named with both files and the winner's path, so a user who put
  // a newer copy in an earlier folder sees which copy is in use.
  for (const auto& other : layers_)
    if (other.get() != &l && other->id == l.id && other->status != LayerStatus::Failed) {
      l.status = LayerStatus::Failed;
      l.refused = true;
      l.error = fs::path(l.pluginPath).filename().string() + ": layer id '" + l.id + "' is already used by " +
                fs::path(other->pluginPath).filename().string() + "; shadowed by " + other->pluginPath;
      l.id = uniqueId(l.id);
      logWarning("plugin " + l.error);
      return;
    }
}

void LayerStore::addPluginLayers(PluginHost& host) {
  for (const auto& m : host.modules()) {
    if (m->ok() && m->fileName == "bcmap_vector_file.so") continue;
    Layer& l = createInstanceLayer(m);
    if (l.status == LayerStatus::Failed) {
      logWarning("plugin " + l.error);
      continue;
    }
    refuseDuplicateId(l);
  }
  // The starting draw order, bottom to top: polygons, lines, points (then layers of no
  // declared kind), each group in plugin-file order, so areas never hide the points on
  // them. The user reorders freely from there.
  auto rank = [](const Layer& l) {
    switch (l.kind) {
      case GeometryKind::Polygon: return 0;
      case GeometryKind::Line: return 1;
      case GeometryKind::Point: return 2;
      case GeometryKind::None: break;
    }
    return 3;
  };
  std::stable_sort(layers_.begin(), layers_.end(),
                   [&](const auto& a, const auto& b) { return rank(*a) < rank(*b); });
}

Layer& LayerStore::addFileLayer(PluginHost& host, const std::string& path, bool gcj02) {
  std::shared_ptr<PluginModule> mod = host.sharedByFileName("bcmap_vector_file.so");
  if (!mod) {
    auto layer = std::make_unique<Layer>();
    layer->key = nextKey_++;
    layer->id = uniqueId(fs::path(path).filename().string());
    layer->nameZh = layer->nameEn = fs::path(path).filename().string();
    layer->status = LayerStatus::Failed;
    layer->error = path + ": the vector_file plugin (bcmap_vector_file.so) is not available";
    layer->isFileLayer = true;
    layers_.push_back(std::move(layer));
    return *layers_.back();
  }
  Layer& l = createInstanceLayer(mod);
  // A database source is named by its table; its password stays in this process
  // (DbSource.h): the layer's path setting, the session and the log see display().
  const bool dbSource = isDbSource(path);
  std::optional<DbSource> db = dbSource ? parseDbSource(path, nullptr) : std::nullopt;
  const std::string name = db ? db->tableName() : fs::path(path).filename().string();
  l.id = uniqueId("file:" + name);
  l.nameZh = l.nameEn = name;
  l.isFileLayer = true;
  l.dbFeed = dbSource;
  // Each opened file gets its own colour (style/FileLayerStyle.h: they read over the counties).
  // It keeps apart from the colours the map already shows (the legends' fills).
  size_t nFiles = 0;
  std::vector<Rgba> taken;
  for (const auto& other : layers_) {
    nFiles += other->isFileLayer;
    if (other.get() != &l)
      for (const LegendEntry& e : other->legend) taken.push_back(e.fill);
  }
  for (LayerSetting& s : l.settings) {
    // One that does not parse is kept as typed, so reading it says why.
    // A URL or a remote /vsi path is kept as typed: made absolute it became a local path
    // ("/tmp/http://…: not a vector source") that the network guard never saw.
    if (s.key == "path")
      s.value = db                  ? rememberDbPassword(*db)
                : dbSource || isRemotePath(path) ? path
                                                 : fs::absolute(path).string();
    if (s.key == "gcj02") s.value = gcj02 ? "true" : "false";
    if (s.key == "color") s.value = fileLayerColourHex(pickFileLayerColour(taken, nFiles - 1));
  }
  return l;
}

Layer& LayerStore::addMissingLayer(const std::string& id, const std::string& why) {
  auto layer = std::make_unique<Layer>();
  layer->key = nextKey_++;
  Layer& l = *layer;
  l.id = uniqueId(id);
  l.nameZh = l.nameEn = id;
  l.status = LayerStatus::Failed;
  l.refused = true;  // nothing to load: the list shows it with the reason
  l.missing = true;
  l.visible = false;
  l.error = why;
  layers_.push_back(std::move(layer));
  return l;
}

// ---- 2. forwarded to the units beside the store ----------------------------------------------
void LayerStore::load(Layer& l) { loader_->load(l); }

void LayerStore::loadAll() {
  for (auto& l : layers_)
    load(*l);
}

void LayerStore::loadAsync(Layer& l) { loader_->loadAsync(l); }
void LayerStore::reloadData(Layer& l) { loader_->loadAsync(l, LayerLoader::OnFailure::KeepLoaded); }
bool LayerStore::cancelLoad(Layer& l) { return loader_->cancel(l); }

Layer& LayerStore::addPluginAsync(PluginHost& host, const std::string& path, std::function<bool(const Layer&)> loadWhen) {
  return loader_->addPluginAsync(host, path, std::move(loadWhen));
}

void LayerStore::reloadPlugin(PluginHost& host, const std::string& path) { loader_->reloadPlugin(host, path); }

void LayerStore::pluginFileChanged(PluginHost& host, const std::string& path) { loader_->pluginFileChanged(host, path); }

std::vector<std::string> LayerStore::pollLoaded() { return loader_->pollLoaded(); }

bool LayerStore::loading() const { return loader_->loading(); }

bool LayerStore::waitIdle(int timeoutMs) { return loader_->waitIdle(timeoutMs); }

void LayerStore::setOnResultReady(std::function<void()> fn) { loader_->setOnResultReady(std::move(fn)); }

void LayerStore::setDisplayCrs(std::string crs) { loader_->setDisplayCrs(std::move(crs)); }

bool LayerStore::setUserStyle(Layer& l, std::optional<StyleSpec> spec, std::string* err) {
  return setLayerUserStyle(l, std::move(spec), err);
}

std::shared_ptr<const PreparedLayer> LayerStore::prepare(Layer& l, const std::string& displayCrs, std::string* err) {
  return prepareLayer(l, displayCrs, err);
}

std::vector<IdentifyHit> LayerStore::identify(Vec2 q, double radiusM, const std::vector<std::string>& layerIds,
                                              const TimeFilter& day, const IdentifyOptions& options) {
  return identifyLayers(layers_, q, radiusM, layerIds, day, options);
}

std::string LayerStore::describeFeature(Layer& l, size_t feature) {
  return describeLayerFeature(l, feature, describeWarned_);
}

// ---- 3. settings, extent, order ------------------------------------------------------------
bool LayerStore::setSetting(Layer& l, const std::string& key, const std::string& value, std::string* err) {
  for (LayerSetting& s : l.settings) {
    if (s.key != key) continue;
    s.value = value;
    if (l.busy()) {
      l.loadAgain = true;  // the value reaches the plugin with the load after the current one
      return true;
    }
    if (s.reload) {
      load(l);
    } else if (l.vtable && l.instance) {
      char e[kPluginErrSize] = {0};
      if (l.vtable->update(l.instance, key.c_str(), value.c_str(), e, sizeof e) != BCMAP_OK) {
        if (err) *err = callbackFailed(l.id, "update", e, settingNamed(e, key));
        return false;
      }
      load(l);  // style may depend on it; loading is cheap for non-reload settings' layers
    }
    return l.status == LayerStatus::Loaded;
  }
  if (err) *err = "layer " + l.id + " has no setting '" + key + "'";
  return false;
}

bool LayerStore::setSettingAsync(Layer& l, const std::string& key, const std::string& value, std::string* err) {
  for (LayerSetting& s : l.settings) {
    if (s.key != key) continue;
    s.value = value;
    // loadAsync() calls update() with every value before load(), on the loader thread.
    if (l.status != LayerStatus::Pending) loadAsync(l);
    return true;
  }
  if (err) *err = "layer " + l.id + " has no setting '" + key + "'";
  return false;
}

Bounds LayerStore::extent(const std::string& displayCrs, bool visibleOnly) {
  Bounds b;
  for (auto& l : layers_) {
    if (l->status != LayerStatus::Loaded || (visibleOnly && !l->visible)) continue;
    // The projected coordinates' bounds: a layer is triangulated when it is drawn, not to
    // be framed (the viewer frames the data before its first frame).
    b.add(layerExtent(*l, displayCrs));
  }
  return b;
}

Bounds growBounds(Bounds b, double fraction) {
  if (b.empty()) return b;
  const double gx = b.width() * fraction, gy = b.height() * fraction;
  b.minX -= gx, b.maxX += gx, b.minY -= gy, b.maxY += gy;
  return b;
}

Bounds LayerStore::homeBounds(const std::string& displayCrs) {
  const Bounds data = extent(displayCrs);
  if (!data.empty() && data.width() > 0 && data.height() > 0) return growBounds(data);
  // Baicheng's lon/lat box (the five counties with a little room).
  Bounds baicheng;
  baicheng.add(121.6, 44.1);
  baicheng.add(124.6, 46.4);
  auto tr = Transformer::create(kLonLatCrs, displayCrs, nullptr);
  std::optional<Bounds> home = tr ? tr->transformBounds(baicheng) : std::nullopt;
  if (!home) return data;
  if (data.empty()) return *home;
  const Vec2 c{(data.minX + data.maxX) / 2, (data.minY + data.maxY) / 2};
  return Bounds{c.x - home->width() / 2, c.y - home->height() / 2, c.x + home->width() / 2, c.y + home->height() / 2};
}

Layer* LayerStore::find(const std::string& id) {
  for (auto& l : layers_)
    if (l->id == id) return l.get();
  return nullptr;
}

bool LayerStore::remove(const std::string& id) {
  auto it = std::find_if(layers_.begin(), layers_.end(), [&](const auto& l) { return l->id == id; });
  if (it == layers_.end()) return false;
  std::unique_ptr<Layer> gone = std::move(*it);
  layers_.erase(it);
  retiredIds_.insert(id);
  describeWarned_.erase(gone->key);
  // The loader finds its jobs' layers by key, which no layer in the list has now: a job
  // still running for it ends in nothing. It also knows whether a thread is in the
  // instance (LayerLoader::removed).
  loader_->removed(std::move(gone));
  return true;
}

void LayerStore::move(size_t from, size_t to) {
  if (from >= layers_.size() || to >= layers_.size() || from == to) return;
  auto l = std::move(layers_[from]);
  layers_.erase(layers_.begin() + static_cast<std::ptrdiff_t>(from));
  layers_.insert(layers_.begin() + static_cast<std::ptrdiff_t>(to), std::move(l));
}

}  // namespace bcmap