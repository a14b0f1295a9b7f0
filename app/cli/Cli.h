// The command line: `bcmap [options] [FILE...]` (the viewer) and the headless
// sub-commands `bcmap render`, `bcmap layers`, `bcmap identify`; `bcmap --version`
// (CliVersion.h); for plugin authors `bcmap check-plugin` (CliCheckPlugin.h) and
// `bcmap new-plugin` (CliNewPlugin.h); `bcmap data fetch` (CliData.h); `bcmap cache clear|info`
// (CliCache.h); `bcmap db prepare` (CliDb.h).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model/FeatureTable.h"
#include "host/AppSession.h"
#include "render/Export.h"

namespace bcmap {

enum class Command { Invalid = 0, View, Render, Layers, Identify, Help, Version, CheckPlugin, NewPlugin, DataFetch, Cache, Db };

// The command line: the shared set-up (AppOptions) and what the headless commands add.
struct CliOptions : AppOptions {
  Command command = Command::Invalid;
  Command helpTopic = Command::Help;    // Help: whose usage (`bcmap render --help`: Render)
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
  // check-plugin PATH (in files): the layer's path setting points at this file
  std::string fixture;                  // --fixture FILE
  // data fetch (CliData.h)
  std::string into;                     // --into DIR (default: --data, else the data folder)
  std::string cache;                    // --cache DIR (the npm tarballs)
  bool noDownload = false;              // --no-download
  // cache (CliCache.h)
  std::string cacheAction;              // clear | info
  bool noCache = false;                 // --no-cache (any command, the viewer too)
  // db prepare SOURCE (CliDb.h)
  std::string dbAction;                 // prepare
  std::string dbSchema = "bcmap";       // --schema NAME
};

// Parses argv. On a usage error returns nullopt and sets `err`.
std::optional<CliOptions> parseCommandLine(int argc, char** argv, std::string* err);
// What a usage error prints: "bcmap: <err>", the command's usage line (argv[1] names the
// command; else the viewer's) and "bcmap COMMAND --help for more".
std::string usageErrorText(int argc, char** argv, const std::string& err);
// The general usage (every command in brief), or with a command the command's own: each
// option on a line of its own.
std::string usageText();
std::string usageText(Command topic);

// The headless commands; each returns an exit code.
int runRender(const CliOptions& o);
int runLayers(const CliOptions& o);
int runIdentify(const CliOptions& o);

}  // namespace bcmap
