// The command line: `bcmap [options] [FILE...]` (the viewer) and the headless
// sub-commands `bcmap render`, `bcmap layers`, `bcmap identify`.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/FeatureTable.h"
#include "core/LayerStore.h"
#include "core/PluginHost.h"
#include "render/Export.h"

namespace bcmap {

enum class Command { Invalid = 0, View, Render, Layers, Identify, Help };

// Exit codes shared by every command.
inline constexpr int kExitOk = 0;
inline constexpr int kExitUsage = 1;
inline constexpr int kExitFailed = 2;

struct CliOptions {
  Command command = Command::Invalid;
  std::vector<std::string> pluginDirs;  // --plugins DIR (added to the default folder)
  std::string dataDir;                  // --data DIR (default: the build's geodata/)
  std::string crs = "EPSG:3857";        // --crs
  bool crsGiven = false;                // --crs given (it wins over a session's CRS)
  std::string sessionPath;              // --session FILE (viewer, render): read only when given
  bool gcj02 = false;                   // --gcj02: FILEs are GCJ-02
  std::optional<float> pointSizePx;     // --point-size PX: point size of the FILE layers
  std::vector<std::string> files;       // FILE... opened as extra layers
  bool layersGiven = false;             // --layers given
  std::vector<std::string> layers;      // --layers id,id ("none": only the FILEs)
  bool json = false;                    // --json
  // render
  std::string out;                      // --out FILE.png
  int widthPx = 1600, heightPx = 1000;  // --size WxH
  std::optional<Bounds> bboxLonLat;     // --bbox lon0,lat0,lon1,lat1
  std::optional<int32_t> day;           // --time YYYY-MM-DD
  TimeMode timeMode = TimeMode::Span;   // --time-mode span|cumulative|window
  int32_t windowDays = 365;             // --window-days N (window mode)
  // render: decorations and output (the attribution and sample notice are always on)
  bool legend = false;                  // --legend
  bool scaleBar = true;                 // --scalebar (default) / --no-scalebar
  bool northArrow = false;              // --north-arrow
  std::string title;                    // --title TEXT
  bool dateCounter = false;             // --date-counter (needs --time)
  double dpi = 96;                      // --dpi N: scales text and symbols, not the size
  ImageFormat format = ImageFormat::Invalid;  // --format png|svg (Invalid: from --out)
  // identify
  std::optional<Vec2> lonLat;           // --lonlat LON,LAT
  double radiusM = 500;                 // --radius-m
};

// Parses argv. On a usage error returns nullopt and sets `err`.
std::optional<CliOptions> parseCommandLine(int argc, char** argv, std::string* err);
std::string usageText();

// Plugins found, layers made, FILEs opened: what every command (and the viewer) starts from.
struct AppSession {
  PluginHost host;
  std::unique_ptr<LayerStore> store;
  std::vector<Layer*> shown;  // what the command works on, in draw order
};

// Initialises GDAL and PROJ, scans the plugin folders, opens FILEs, and loads the layers
// the command needs (all when loadEverything). Returns false (exit 2) when a requested
// layer or a FILE failed; unrequested failures are printed as warnings.
bool openSession(const CliOptions& o, AppSession& s, bool loadEverything);

// The headless commands; each returns an exit code.
int runRender(const CliOptions& o);
int runLayers(const CliOptions& o);
int runIdentify(const CliOptions& o);

}  // namespace bcmap
