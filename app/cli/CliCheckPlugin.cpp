// Sections: 1. the report  2. probe and load  3. settings round trip  4. style and legend
// 5. features described  6. time spans  7. the render  8. runCheckPlugin
#include "cli/CliCheckPlugin.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "cli/Cli.h"
#include "host/LayerStore.h"
#include "host/PluginHost.h"
#include "host/PluginProbe.h"
#include "host/PluginServices.h"
#include "io/Projection.h"
#include "model/Log.h"
#include "io/VectorReader.h"
#include "render/Export.h"
#include "render/GlContext.h"
#include "render/ImageIo.h"
#include "render/MapFrame.h"

namespace fs = std::filesystem;

namespace bcmap {

namespace {

// ---- 1. the report ----------------------------------------------------------------------
// One line per check as it runs; the problems again at the end, each with its fix.
class Report {
 public:
  void pass(const std::string& check, const std::string& detail) { line("ok  ", check, detail); }
  void note(const std::string& check, const std::string& detail) { line("--  ", check, detail); }
  // `problem` says what is wrong, `fix` what to do about it (one sentence each).
  void fail(const std::string& check, const std::string& problem, const std::string& fix) {
    line("FAIL", check, problem);
    problems_.push_back(problem + ": " + fix);
  }
  bool ok() const { return problems_.empty(); }
  int finish() const {
    if (problems_.empty()) {
      std::printf("every check passed\n");
      return 0;
    }
    std::printf("\n%zu problem%s:\n", problems_.size(), problems_.size() == 1 ? "" : "s");
    for (const std::string& p : problems_) std::printf("  - %s\n", p.c_str());
    return 1;
  }

 private:
  static void line(const char* mark, const std::string& check, const std::string& detail) {
    std::printf("%s %-10s %s\n", mark, check.c_str(), detail.c_str());
    std::fflush(stdout);
  }
  std::vector<std::string> problems_;
};

std::string rgbaText(Rgba c) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "#%02x%02x%02x%02x", c.r, c.g, c.b, c.a);
  return buf;
}

bool sameRgba(Rgba a, Rgba b) { return a.r == b.r && a.g == b.g && a.b == b.b && a.a == b.a; }
uint32_t rgbaKey(Rgba c) { return uint32_t(c.r) << 24 | uint32_t(c.g) << 16 | uint32_t(c.b) << 8 | c.a; }

// ---- 2. probe and load ------------------------------------------------------------------
bool checkProbe(const std::string& so, Report& r) {
  const std::string probe = ProbeOptions::defaultProbePath();
  if (probe.empty()) {
    r.fail("probe", "bcmap-probe was not found beside bcmap", "reinstall bcmap (the probe is part of it)");
    return false;
  }
  const ProbeResult p = runProbe(probe, so, kDefaultProbeTimeoutMs);
  if (p.outcome == ProbeOutcome::Ok) {
    r.pass("probe", "opened in a child process: " + p.id + " (" + p.nameZh + " / " + p.nameEn + ")");
    return true;
  }
  if (p.outcome == ProbeOutcome::Crashed || p.outcome == ProbeOutcome::TimedOut || p.outcome == ProbeOutcome::Exited) {
    r.fail("probe", p.message,
           "run the plugin's entry function, create() and describe() under a debugger: they must return "
           "without crashing, exiting or waiting");
    return false;
  }
  r.fail("probe", p.message.empty() ? probeOutcomeName(p.outcome) : p.message,
         "export the entry point with BCMAP_PLUGIN(YourLayer) and build against this bcmap's SDK");
  return false;
}

// The path setting --fixture points at: the wrapper's VectorFile calls it `path`; else the
// only path setting there is.
LayerSetting* pathSetting(Layer& l) {
  LayerSetting* only = nullptr;
  int paths = 0;
  for (LayerSetting& s : l.settings) {
    if (s.type != BCMAP_SETTING_PATH) continue;
    if (s.key == "path") return &s;
    only = &s;
    ++paths;
  }
  return paths == 1 ? only : nullptr;
}

// ---- 3. settings round trip ---------------------------------------------------------------
// A valid value other than `current` for the setting, or "" when none can be made up (a
// path or free text: only the author knows what else is valid).
std::string otherValue(const LayerSetting& s) {
  const bool ranged = s.maxValue > s.minValue;
  auto number = [&](double v) {
    char buf[32];
    if (s.type == BCMAP_SETTING_INT) std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(v));
    else std::snprintf(buf, sizeof buf, "%g", v);
    return std::string(buf);
  };
  switch (s.type) {
    case BCMAP_SETTING_BOOL: {
      const bool on = s.value == "1" || s.value == "true" || s.value == "yes" || s.value == "on";
      return on ? "false" : "true";
    }
    case BCMAP_SETTING_INT:
    case BCMAP_SETTING_FLOAT: {
      double v = std::atof(s.value.c_str());
      const double step = s.type == BCMAP_SETTING_INT ? 1 : (ranged ? (s.maxValue - s.minValue) / 4 : 1);
      double next = v + step;
      if (ranged && next > s.maxValue) next = v - step;
      if (ranged && next < s.minValue) next = s.minValue;
      return number(next) == s.value ? "" : number(next);
    }
    case BCMAP_SETTING_ENUM:
      for (const std::string& o : s.options)
        if (o != s.value) return o;
      return "";
    case BCMAP_SETTING_COLOR: return s.value == "#336699" ? "#993366" : "#336699";
    case BCMAP_SETTING_DATE: return s.value == "2001-01-01" ? "2002-02-02" : "2001-01-01";
    default: return "";
  }
}

void checkSettings(LayerStore& store, Layer& l, Report& r) {
  const size_t features = l.table.featureCount();
  int varied = 0, failed = 0;
  std::vector<std::string> skipped;
  for (size_t k = 0; k < l.settings.size(); ++k) {
    const LayerSetting s = l.settings[k];  // a copy: loads may rebuild the list
    const std::string other = otherValue(s);
    if (other.empty()) {
      skipped.push_back(s.key);
      continue;
    }
    std::string err;
    if (!store.setSetting(l, s.key, other, &err)) {
      r.fail("settings", "setting '" + s.key + "' to " + other + " failed: " + (err.empty() ? l.error : err),
             "accept every value the setting declares valid (its range, options or type)");
      store.setSetting(l, s.key, s.value, nullptr);
      ++failed;
      continue;
    }
    if (!store.setSetting(l, s.key, s.value, &err)) {
      r.fail("settings", "setting '" + s.key + "' back to " + s.value + " failed: " + (err.empty() ? l.error : err),
             "make update() accept the setting's own default again");
      ++failed;
      continue;
    }
    if (l.table.featureCount() != features) {
      r.fail("settings",
             "after '" + s.key + "' went to " + other + " and back the layer has " +
                 std::to_string(l.table.featureCount()) + " features, not " + std::to_string(features),
             "make load() depend only on the settings' current values, not on earlier ones");
      ++failed;
      continue;
    }
    ++varied;
  }
  if (l.settings.empty()) {
    r.note("settings", "the layer declares no settings");
    return;
  }
  std::string detail = std::to_string(varied) + " of " + std::to_string(l.settings.size()) +
                       " settings set to another value and back";
  if (!skipped.empty()) {
    detail += " (paths and texts are not varied: ";
    for (size_t i = 0; i < skipped.size(); ++i) detail += (i ? ", " : "") + skipped[i];
    detail += ")";
  }
  if (!failed) r.pass("settings", detail);
}

// ---- 4. style and legend ------------------------------------------------------------------
void checkLegend(const Layer& l, Report& r) {
  if (l.legend.empty()) {
    r.fail("legend", "the legend is empty", "return at least one legend entry (style().legend(kind) makes them)");
    return;
  }
  std::set<uint32_t> featureFills;
  for (Rgba c : l.fill) featureFills.insert(rgbaKey(c));
  // Each category or class of the style that some feature takes must be in the legend (one
  // no feature takes, e.g. switched off by a setting, may be left out).
  std::vector<std::pair<std::string, Rgba>> wanted;
  for (const StyleCategory& c : l.style.categories) wanted.push_back({"category '" + c.value + "'", c.fill});
  for (const StyleClass& c : l.style.classes) wanted.push_back({"class '" + c.label + "'", c.fill});
  bool ok = true;
  for (const auto& [what, fill] : wanted) {
    if (!featureFills.count(rgbaKey(fill))) continue;
    const bool listed = std::any_of(l.legend.begin(), l.legend.end(), [&](const LegendEntry& e) {
      return sameRgba(e.fill, fill);
    });
    if (!listed) {
      r.fail("legend", "the style's " + what + " (" + rgbaText(fill) + ") has no legend entry of its colour",
             "add a legend entry with that colour, or build the legend from the style (style().legend(kind))");
      ok = false;
    }
  }
  // Every legend colour must be drawn by something: the style or some feature.
  std::vector<Rgba> drawn = {l.style.fill, l.style.stroke};
  for (const auto& [what, fill] : wanted) drawn.push_back(fill);
  for (const LegendEntry& e : l.legend) {
    const bool used = featureFills.count(rgbaKey(e.fill)) ||
                      std::any_of(drawn.begin(), drawn.end(), [&](Rgba c) { return sameRgba(c, e.fill); });
    if (!used) {
      r.fail("legend", "legend entry '" + e.label + "' (" + rgbaText(e.fill) + ") has a colour nothing draws",
             "remove the entry, or give it the colour of the style class or category it stands for");
      ok = false;
    }
  }
  // Discs sized by a field say nothing without a size legend: which disc means how much.
  if (!l.style.sizeField.empty() &&
      std::none_of(l.legend.begin(), l.legend.end(), [](const LegendEntry& e) { return e.sizePx > 0; })) {
    r.fail("legend", "the style sizes discs by '" + l.style.sizeField + "' but no legend entry has a size",
           "add the sized entries to legend(): e.g. legend() returns style().legend(kind) plus "
           "style().sizeLegend({10, 50, 100}, \"unit\")");
    ok = false;
  }
  if (ok)
    r.pass("legend", std::to_string(l.legend.size()) + " entries; every colour drawn by category or class is listed");
}

// ---- 5. features described --------------------------------------------------------------
void checkDescribe(Layer& l, Report& r) {
  if (!l.vtable || !l.vtable->describe_feature) {
    r.fail("describe", "the plugin has no describe_feature", "implement describeFeature() for the tooltip");
    return;
  }
  const size_t n = l.table.featureCount();
  size_t empty = 0, failed = 0;
  long long firstEmpty = -1, firstFailed = -1;
  std::string firstError;
  ValueRow row;
  for (size_t i = 0; i < n; ++i) {
    row.fill(l.table, i);
    char text[4096] = {0};
    char err[kPluginErrSize] = {0};
    const bcmap_status st = l.vtable->describe_feature(l.instance, i, row.fields.data(), row.values.data(),
                                                       static_cast<uint32_t>(row.values.size()), text,
                                                       sizeof text, err, sizeof err);
    if (st != BCMAP_OK) {
      if (failed++ == 0) firstFailed = static_cast<long long>(i), firstError = err;
    } else if (!*text) {
      if (empty++ == 0) firstEmpty = static_cast<long long>(i);
    }
  }
  if (failed)
    r.fail("describe",
           "describe_feature failed for " + std::to_string(failed) + " of " + std::to_string(n) +
               " features (the first: feature " + std::to_string(firstFailed) + ": " + firstError + ")",
           "make describeFeature() handle every feature, null values included");
  if (empty)
    r.fail("describe",
           "describe_feature returned empty text for " + std::to_string(empty) + " of " + std::to_string(n) +
               " features (the first: feature " + std::to_string(firstEmpty) + ")",
           "return at least the feature's name");
  if (!failed && !empty) r.pass("describe", "all " + std::to_string(n) + " features described");
}

// ---- 6. time spans ----------------------------------------------------------------------
void checkTime(const Layer& l, Report& r) {
  const FeatureTable& t = l.table;
  const int32_t earliest = *parseDate("1900-01-01"), latest = *parseDate("2100-12-31");
  size_t withSpan = 0, reversed = 0, outside = 0;
  long long firstReversed = -1, firstOutside = -1;
  for (size_t i = 0; t.hasTime() && i < t.featureCount(); ++i) {
    const int32_t s = t.startDay[i], e = t.endDay[i];
    if (s != kNoDay || e != kNoDay) ++withSpan;
    if (s != kNoDay && e != kNoDay && e < s && reversed++ == 0) firstReversed = static_cast<long long>(i);
    for (int32_t d : {s, e})
      if (d != kNoDay && (d < earliest || d > latest)) {
        if (outside++ == 0) firstOutside = static_cast<long long>(i);
        break;
      }
  }
  const bool ok = !reversed && !outside && (!l.hasTime || withSpan);
  if (reversed)
    r.fail("time",
           std::to_string(reversed) + " features end before they start (the first: feature " +
               std::to_string(firstReversed) + ", " + formatDate(t.startDay[size_t(firstReversed)]) + " to " +
               formatDate(t.endDay[size_t(firstReversed)]) + ")",
           "check the start and end fields of the request (they may be swapped) and the data");
  if (outside)
    r.fail("time",
           std::to_string(outside) + " features have dates outside 1900-2100 (the first: feature " +
               std::to_string(firstOutside) + ")",
           "read the dates as YYYY-MM-DD, or as days since 1970-01-01 when emitting them yourself");
  if (l.hasTime && !withSpan)
    r.fail("time", "the layer says it has time, but no feature has a start or end date",
           "set startField (and endField) in the request, or clear hasTime in info()");
  if (ok)
    r.pass("time", l.hasTime ? std::to_string(withSpan) + " of " + std::to_string(t.featureCount()) +
                                   " features have time spans, all within 1900-2100 and in order"
                             : "the layer has no time (hasTime is off)");
}

// ---- 7. the render ----------------------------------------------------------------------
// Draws the layer's extent twice, with and without the layer, and counts the pixels that
// differ: a layer that draws nothing there (outside the view, transparent, size 0) fails.
void checkRender(LayerStore& store, Layer& l, const std::string& keepPng, Report& r) {
  const std::string crs = "EPSG:3857";
  std::string err;
  auto ctx = HeadlessContext::create(&err);
  MapFrame frame;
  if (!ctx || !frame.init(&err)) {
    r.fail("render", "no OpenGL context to render with: " + err,
           "run where EGL works (Mesa's llvmpipe is enough), e.g. with EGL_PLATFORM=surfaceless");
    return;
  }
  View view;
  view.widthPx = 800;
  view.heightPx = 600;
  // The layer's extent with a margin: a point at the very edge would lie under nothing but
  // would be cut in half (and its label dropped).
  Bounds extent = store.homeBounds(crs);
  if (!extent.empty()) {
    const double mx = std::max((extent.maxX - extent.minX) * 0.08, 500.0);
    const double my = std::max((extent.maxY - extent.minY) * 0.08, 500.0);
    extent.add(extent.minX - mx, extent.minY - my);
    extent.add(extent.maxX + mx, extent.maxY + my);
  }
  view.fit(extent);
  FrameOptions fo;
  fo.scaleBar = false;
  fo.attribution = false;  // the attribution names the layer: with it, every layer "draws"
  const fs::path tmp = fs::temp_directory_path() / ("bcmap-check-" + std::to_string(::getpid()));
  fs::create_directories(tmp);
  const std::string with = keepPng.empty() ? (tmp / "with.png").string() : keepPng;
  const std::string without = (tmp / "without.png").string();
  l.visible = true;
  bool ok = exportPng(frame, store, crs, view, fo, 1.0 * kBaseDpi, with, &err);
  l.visible = false;
  ok = ok && exportPng(frame, store, crs, view, fo, kBaseDpi, without, &err);
  l.visible = true;
  std::optional<RgbaImage> a, b;
  if (ok) a = readPng(with, &err);
  if (a) b = readPng(without, &err);
  std::error_code ec;
  fs::remove(without, ec);
  if (keepPng.empty()) fs::remove(with, ec);
  fs::remove(tmp, ec);
  if (!a || !b) {
    r.fail("render", "rendering failed: " + err, "check the layer's style (sizes, widths) and its geometry");
    return;
  }
  size_t differ = 0;
  for (size_t i = 0; i + 3 < a->rgba.size() && i + 3 < b->rgba.size(); i += 4)
    if (!std::equal(a->rgba.begin() + long(i), a->rgba.begin() + long(i) + 4, b->rgba.begin() + long(i))) ++differ;
  if (!differ) {
    r.fail("render", "the layer draws no pixel in an 800x600 render of its own extent",
           "check that the features have coordinates in the source CRS and that the style's opacity, sizes and "
           "colours are not zero or transparent");
    return;
  }
  r.pass("render", std::to_string(differ) + " pixels of an 800x600 PNG drawn by the layer" +
                       (keepPng.empty() ? "" : " (kept as " + keepPng + ")"));
}

}  // namespace

std::string pluginLibraryOf(const std::string& path, std::string* err) {
  std::error_code ec;
  const fs::path p = fs::absolute(path, ec).lexically_normal();
  if (fs::is_directory(p, ec)) {
    const fs::path dir = p.has_filename() ? p : p.parent_path();
    const fs::path so = dir / (dir.filename().string() + ".so");
    if (fs::is_regular_file(so, ec)) return so.string();
    if (err) *err = path + ": a plugin folder holds NAME.so named after the folder; " + so.string() + " is missing";
    return {};
  }
  if (fs::is_regular_file(p, ec)) return p.string();
  if (err) *err = path + ": no such plugin (give a .so or a plugin folder)";
  return {};
}

// ---- 8. runCheckPlugin ----------------------------------------------------------------------
int runCheckPlugin(const CliOptions& o) {
  std::string err;
  const std::string so = pluginLibraryOf(o.files.front(), &err);
  if (so.empty()) {
    std::fprintf(stderr, "bcmap: check-plugin: %s\n", err.c_str());
    return kExitFailed;
  }
  std::printf("checking %s\n", so.c_str());
  initGdal();
  initProj();
  Report r;
  if (!checkProbe(so, r)) return r.finish();

  PluginHost host;
  host.setProber(nullptr);  // probed above, without the cache
  PluginModule& module = host.open(so);
  if (!module.ok()) {
    r.fail("load", module.error, "build the plugin against this bcmap's SDK (the ABI major must match)");
    return r.finish();
  }
  LayerStore store(o.dataDir.empty() ? PluginHost::defaultDataDir() : o.dataDir);
  store.addPluginLayers(host);
  Layer* layer = nullptr;
  for (auto& l : store.layers())
    if (l->pluginPath == so) layer = l.get();
  if (!layer) {
    r.fail("load", "the plugin makes no layer", "a layer plugin's describe() must return a layer id");
    return r.finish();
  }
  if (!o.fixture.empty()) {
    LayerSetting* path = pathSetting(*layer);
    if (!path) {
      r.fail("load", "--fixture needs a path setting, and the layer has none (or several, none called 'path')",
             "read the data through a VectorFile (its setting is 'path'), or leave --fixture out");
      return r.finish();
    }
    path->value = fs::absolute(o.fixture).string();
  }
  std::vector<LogEntry> log = logSnapshot();
  const size_t logStart = log.size();
  store.load(*layer);
  if (layer->status != LayerStatus::Loaded) {
    r.fail("load", layer->error, "fix what the message names (the file, the field or the callback)");
    return r.finish();
  }
  if (layer->table.featureCount() == 0) {
    r.fail("load", "the layer loaded no features", "check the data file and the request's fields");
    return r.finish();
  }
  // What the host only warns about while loading (a legend or a style feature that
  // failed) is a problem here.
  std::set<std::string> warned;
  log = logSnapshot();
  for (size_t i = logStart; i < log.size(); ++i)
    if (log[i].level >= LogLevel::Warning &&
        (log[i].message.rfind(layer->id + ": ", 0) == 0 || log[i].message.find("layer " + layer->id + ":") != std::string::npos) &&
        warned.insert(log[i].message).second)
      r.fail("load", log[i].message, "make that callback succeed: the viewer shows the layer without it");
  if (warned.empty())
    r.pass("load", layer->id + ": " + std::to_string(layer->table.featureCount()) + " features" +
                       (o.fixture.empty() ? "" : " from " + o.fixture));
  // plugin.json and info() name one plugin: the host refuses a different id or name; a
  // different version is the author's slip, which `bcmap layers` would show twice.
  if (module.metadata && !module.metadata->version.empty() && module.metadata->version != layer->version)
    r.fail("load", "plugin.json says version " + module.metadata->version + " but info() says " + layer->version,
           "give info().version the version in " + module.metadata->path);
  checkSettings(store, *layer, r);
  if (layer->status != LayerStatus::Loaded) return r.finish();
  checkLegend(*layer, r);
  checkDescribe(*layer, r);
  checkTime(*layer, r);
  // Only this layer on the map.
  for (auto& l : store.layers()) l->visible = l.get() == layer;
  checkRender(store, *layer, o.out, r);
  return r.finish();
}

}  // namespace bcmap
