// AppSession: what every command and the viewer start from — the plugins found, the layers
// made, the FILEs opened — and AppOptions, the part of the command line that says how.
// main assembles it; the viewer (ui) and the headless commands (cli) both use it, so the
// UI never needs the command line.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "host/LayerStore.h"
#include "host/PluginHost.h"
#include "host/PluginSearchPath.h"
#include "host/SessionFile.h"

namespace bcmap {

// Exit codes shared by every command and the viewer.
inline constexpr int kExitOk = 0;
inline constexpr int kExitUsage = 1;
inline constexpr int kExitFailed = 2;

struct AppOptions {
  std::vector<std::string> pluginDirs;  // --plugins DIR (searched first: PluginSearchPath.h)
  std::string dataDir;                  // --data DIR (default: the build's geodata/)
  std::string crs = "EPSG:3857";        // --crs
  bool crsGiven = false;                // --crs given (it wins over a session's CRS)
  std::string sessionPath;              // --session FILE (viewer, render): read only when given
  bool gcj02 = false;                   // --gcj02: FILEs are GCJ-02
  std::optional<float> pointSizePx;     // --point-size PX: point size of the FILE layers
  std::vector<std::string> files;       // FILE... opened as extra layers
  bool layersGiven = false;             // --layers given
  std::vector<std::string> layers;      // --layers id,id ("none": only the FILEs)
  int windowWidth = 1280, windowHeight = 800;  // --window-size WxH (viewer), window units
};

struct AppSession {
  PluginHost host;
  std::unique_ptr<LayerStore> store;
  std::vector<Layer*> shown;  // what the command works on, in draw order
  std::vector<PluginSearchDir> searchPath;  // the plugin folders scanned, in order
};

// Initialises GDAL and PROJ, scans the plugin folders, opens FILEs, and loads the layers
// the command needs (all when loadEverything). Returns false (exit 2) when a requested
// layer or a FILE failed; unrequested failures are printed as warnings.
bool openSession(const AppOptions& o, AppSession& s, bool loadEverything);

// What a session given at start (the viewer's own, or --session) decides of the display:
// its CRS unless --crs was given, and with the CRS its view. FILE arguments add layers and
// change neither (they once threw both away, and quitting then saved EPSG:3857 over the
// user's CRS); a FILE that lies outside the restored view is shown by fitting to it
// (fileOutsideView), and the log says so.
struct SessionStart {
  bool crs = false;   // restore the session's display CRS
  bool view = false;  // restore its view (only in the CRS it was saved in)
};
SessionStart sessionStart(const AppOptions& o, const SessionData& s);
// True when nothing of `file` (a FILE layer's extent) is inside `view`, both in the display
// CRS; an empty extent (nothing to show) is never outside.
bool fileOutsideView(const Bounds& file, const Bounds& view);

// The viewer's "Add plugin folder…": remembers what the user typed (PluginFolders.h: it must
// be an existing folder), reads the search path again, and takes the folder's plugins in at
// once, each as a plugin installed while the viewer runs (opened and loaded on the loader
// threads; one whose layer id is taken is shadowed). Plugins already known are left alone.
// Returns the folder, or "" with the reason. The caller also watches it (PluginWatcher).
std::string addRememberedPluginFolder(const AppOptions& o, AppSession& s, const std::string& typed, std::string* err);
// Forgets a remembered folder and reads the search path again. Its layers stay until the
// next start (unloading native code under a running layer is not worth the risk).
bool removeRememberedPluginFolder(const AppOptions& o, AppSession& s, const std::string& folder, std::string* err);

}  // namespace bcmap
