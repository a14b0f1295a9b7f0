// Sections: the shared set-up of every command and the viewer (openSession); plugin folders
// the user adds or removes while the viewer runs.
#include "host/AppSession.h"

#include <algorithm>
#include <cstdio>
#include <optional>
#include <string>

#include "host/LayerStore.h"
#include "host/PluginFolders.h"
#include "host/PluginHost.h"
#include "host/PluginSearchPath.h"
#include "io/DbSource.h"
#include "io/NetworkGuard.h"
#include "io/Projection.h"
#include "io/VectorReader.h"

namespace bcmap {

bool openSession(const AppOptions& o, AppSession& s, bool loadEverything) {
  initGdal();
  initProj();
  // --plugins, $BCMAP_PLUGIN_PATH, the remembered folders, the user's folder, the installed
  // one (PluginSearchPath.h): of two plugins with one layer id, the one found first wins.
  s.searchPath = pluginSearchPath(o.pluginDirs);
  // Every plugin new since the last run is first opened in a child process (bcmap-probe,
  // several at once): one that crashes or hangs there is refused with the reason (e.g.
  // "crashed in its entry function (signal 11: SIGSEGV)"), and `bcmap layers` lists it.
  s.host.scan(foldersToScan(s.searchPath));
  s.store = std::make_unique<LayerStore>(o.dataDir.empty() ? PluginHost::defaultDataDir() : o.dataDir);
  // The viewer's loads arrive prepared for the CRS it shows (a session's may replace it).
  if (s.host.interactive()) s.store->setDisplayCrs(o.crs);
  s.store->addPluginLayers(s.host);
  for (const std::string& f : o.files) {
    if (isRemotePath(f)) allowNetwork(true);  // the user typed a URL
    // A database source the user typed: its hosts join the database allow-list
    // (NetworkGuard.h); HTTP stays refused.
    if (isDbSource(f))
      if (std::optional<DbSource> db = parseDbSource(f, nullptr)) allowDbSource(*db);
    Layer& l = s.store->addFileLayer(s.host, f, o.gcj02);
    if (o.pointSizePx)
      for (LayerSetting& setting : l.settings)
        if (setting.key == "point_size") setting.value = std::to_string(*o.pointSizePx);
  }

  bool ok = true;
  for (const std::string& id : o.layers)
    if (!s.store->find(id)) {
      std::fprintf(stderr, "bcmap: layer '%s': no such layer (see `bcmap layers`)\n", id.c_str());
      ok = false;
    }
  for (auto& l : s.store->layers()) {
    const bool requested = std::find(o.layers.begin(), o.layers.end(), l->id) != o.layers.end();
    // Without --layers, what the plugins show by default; the viewer loads the others
    // too so they can be switched on.
    const bool visible = l->isFileLayer || (o.layersGiven ? requested : !l->hiddenByDefault);
    const bool wanted = loadEverything || visible || (s.host.interactive() && !o.layersGiven);
    l->visible = visible;
    if (!wanted) continue;
    if (s.host.interactive() && l->status != LayerStatus::Failed) {
      // The viewer: features load on loader threads; LayerStore::pollLoaded() brings them in.
      s.store->loadAsync(*l);
      if (visible) s.shown.push_back(l.get());
      continue;
    }
    const bool failedBefore = l->status == LayerStatus::Failed;  // refused: load() does not run
    s.store->load(*l);
    if (l->status == LayerStatus::Failed) {
      // Said once: a load that failed logged it on stderr ("bcmap: error: layer <id>: ...",
      // LayerLoader.cpp); a layer failed before loading is said here.
      // Plugin failures already read "<layer>: <callback> failed: <what>".
      const std::string why = l->error.rfind(l->id + ": ", 0) == 0 ? "layer " + l->error
                                                                    : "layer " + l->id + " failed: " + l->error;
      if (l->isFileLayer || requested) {
        if (failedBefore) std::fprintf(stderr, "bcmap: %s\n", why.c_str());
        ok = false;
      } else if (failedBefore) {
        std::fprintf(stderr, "bcmap: warning: %s\n", why.c_str());
      }
      l->visible = false;
      continue;
    }
    if (visible) s.shown.push_back(l.get());
  }
  return ok;
}

SessionStart sessionStart(const AppOptions& o, const SessionData& s) {
  SessionStart start;
  start.crs = !o.crsGiven && !s.displayCrs.empty();
  start.view = !o.crsGiven && s.hasView;
  return start;
}

bool fileOutsideView(const Bounds& file, const Bounds& view) {
  if (file.empty() || view.empty()) return false;
  return file.maxX < view.minX || file.minX > view.maxX || file.maxY < view.minY || file.minY > view.maxY;
}

std::string addRememberedPluginFolder(const AppOptions& o, AppSession& s, const std::string& typed, std::string* err) {
  const std::string folder = pluginFolderFromInput(typed, err);
  if (folder.empty()) return {};
  if (!addPluginFolder(pluginFoldersFile(), folder, err)) return {};
  s.searchPath = pluginSearchPath(o.pluginDirs);
  for (const std::string& p : PluginHost::listPlugins({folder})) {
    const bool known = s.host.findByPath(p) != nullptr ||
                       std::any_of(s.store->layers().begin(), s.store->layers().end(),
                                   [&](const auto& l) { return l->pluginPath == p; });
    if (!known) s.store->pluginFileChanged(s.host, p);
  }
  return folder;
}

bool removeRememberedPluginFolder(const AppOptions& o, AppSession& s, const std::string& folder, std::string* err) {
  if (!removePluginFolder(pluginFoldersFile(), folder, err)) return false;
  s.searchPath = pluginSearchPath(o.pluginDirs);
  return true;
}

}  // namespace bcmap
