// Render cases (label render): each folder tests/render/cases/<name>/ holds case.json
// (image size, view, background, time, tolerances and synthetic layers) and expected.png.
// The runner renders headless and compares; on failure it writes actual.png and diff.png to
// <build>/test-output/render/<name>/. BCMAP_UPDATE_EXPECTED=1 rewrites expected.png.
// Every case.json says in "description" what its picture must show, and its tolerance's
// "why" why the tolerance is that wide.
//
// Sections: 1. the case list  2. layers drawn directly (MapRenderer)  3. plugin layers
// 4. whole frames (MapFrame, as `bcmap render` draws them)  5. the comparison
//
// Two kinds of case:
//
// A. Layers drawn directly by MapRenderer (no "frame" key). case.json layers: {"id",
// "kind": "polygon"|"line"|"point", "stroke": [r,g,b,a],
// "strokeWidth", "opacity", "drawFill", "drawOutline", "highlight": feature,
// "features": [{"rings": [[[x,y],...],...]} or {"parts": [rings,...]} or
// {"points": [[x,y],...]}, "fill": [r,g,b,a], "size": px, "start"/"end": "YYYY-MM-DD",
// "triangles": [[i,j,k],...] (indices into the feature's vertices, rings concatenated;
// without it each part's outer ring is fanned, which is right for convex rings only)}],
// "pointSymbol": "circle"|"square"|"diamond"|"triangle"|"star", "lineMarkers": ["start",
// "end"], "lineEndMarkerPx"}.
//
// A layer may instead come from a plugin: {"plugin": "<layer id>", "settings": {key: value}}
// ("{source}" in a value is the source tree, so a fixture is named by its place in it). It
// is loaded through PluginHost + LayerStore from the build's plugin folder and prepared in
// the case's "crs" (default EPSG:3857); "bboxLonLat": [lon0, lat0, lon1, lat1] then sets the
// view (the box fitted into the image) instead of "view". Labels are not drawn here; the
// layer's own opacity applies.
//
// B. Whole frames ("frame": {...}): what `bcmap render` draws. Each layer is a synthetic
// GeoJSON file opened as a file layer (LayerStore::addFileLayer: the vector_file plugin,
// the GeoJSON reader, the display CRS's projection, the triangulator, FileLayerStyle's
// look), and the frame is drawn by MapFrame through exportPng at the case's "dpi" (default
// 96), so labels, legend, scale bar, north arrow, title, date counter and attribution are
// the ones a user gets. Keys:
//   "crs" (display CRS, default EPSG:3857), "dpi", "view" {"center" (display CRS units),
//   "unitsPerPixel"} or "bboxLonLat" (fitted as `bcmap render --bbox` fits it, left of the
//   legend when there is one), "background", "day", "timeMode": "span"|"cumulative"|
//   "window", "windowDays";
//   "frame": {"labels" (default true), "legend", "northArrow", "scaleBar" (default false),
//   "title", "dateCounter", "pointLod" (default true)}: FrameOptions;
//   layers: {"plugin": "<layer id>" (a plugin's layer, loaded from the build's plugin folder,
//   "{source}" in a setting being the source tree: a plugin's own test fixture) or
//   {"id", "geojson": a FeatureCollection (written to <build>/test-output/render/
//   <case>/input/<id>.geojson, so the legend names the layer "<id>.geojson") or "file": a
//   path in the case folder; "settings": the vector_file plugin's settings ("color",
//   "point_size", "start_field", "end_field"); "userStyle": a style editor spec
//   (styleSpecFromJson: single, categorized, graduated, a size field, hexagons), applied
//   with LayerStore::setUserStyle; "style": what a plugin's style declares and a file does
//   not ("pointSymbol", "lineMarkers", "lineEndMarkerPx", "labelField",
//   "labelSecondaryField", "labelPriority", "labelMaxScale", "strokeWidth", "stroke"),
//   set on the loaded layer as a plugin's style would set it; "opacity"; "expectLoaded"
//   (default true: a layer that fails to load fails the case)}.
// "knownBug": "<what is wrong>" skips a case (of either kind) whose right picture the code
// does not draw yet; it has no expected.png until the bug is fixed.
// Text needs the CJK face the expected images were drawn with (fonts-noto-cjk, a declared
// dependency: tools/setup-deps.sh); another face skips a frame case, or fails it under CI.
// Only synthetic geometry belongs here: never commit images rendered from county data.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "host/LayerStore.h"
#include "host/PluginHost.h"
#include "model/PreparedLayer.h"
#include "io/Projection.h"
#include "io/VectorReader.h"
#include "model/View.h"
#include "render/Export.h"
#include "render/FontAtlas.h"
#include "render/GlContext.h"
#include "render/ImageIo.h"
#include "render/MapFrame.h"
#include "render/MapRenderer.h"
#include "style/Style.h"
#include "GlUnavailable.h"

namespace bcmap {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const fs::path kCaseDir = fs::path(BCMAP_SOURCE_DIR) / "tests" / "render" / "cases";
const fs::path kOutputDir = fs::path(BCMAP_BINARY_DIR) / "test-output" / "render";

// ---- 1. the case list ------------------------------------------------------------------------
std::vector<std::string> listCases() {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(kCaseDir, ec))
    if (entry.is_directory() && fs::exists(entry.path() / "case.json"))
      names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

Rgba rgba(const json& j, Rgba fallback) {
  if (!j.is_array() || j.size() < 3) return fallback;
  Rgba c;
  c.r = j[0].get<uint8_t>();
  c.g = j[1].get<uint8_t>();
  c.b = j[2].get<uint8_t>();
  c.a = j.size() > 3 ? j[3].get<uint8_t>() : uint8_t(255);
  return c;
}

int32_t day(const json& j) {
  if (!j.is_string()) return kNoDay;
  const auto d = parseDate(j.get<std::string>());
  return d ? *d : kNoDay;
}

GeometryKind kindOf(const std::string& s) {
  if (s == "polygon") return GeometryKind::Polygon;
  if (s == "line") return GeometryKind::Line;
  if (s == "point") return GeometryKind::Point;
  return GeometryKind::None;
}

uint8_t symbolOf(const json& j) {
  static const char* const kNames[] = {"circle", "square", "diamond", "triangle", "star"};
  for (uint8_t i = 0; i < 5; ++i)
    if (j.is_string() && j.get<std::string>() == kNames[i]) return i;
  return BCMAP_SYMBOL_CIRCLE;
}

// ---- 2. layers drawn directly (MapRenderer) -------------------------------------------------
// Builds one PreparedLayer from its case.json object.
PreparedLayer buildLayer(const json& jl, uint64_t generation) {
  PreparedLayer l;
  l.layerId = jl.at("id").get<std::string>();
  l.kind = kindOf(jl.at("kind").get<std::string>());
  l.geometry.kind = l.kind;
  l.stroke = rgba(jl.value("stroke", json()), l.stroke);
  l.strokeWidthPx = jl.value("strokeWidth", l.strokeWidthPx);
  l.pointSymbol = symbolOf(jl.value("pointSymbol", json()));
  for (const json& m : jl.value("lineMarkers", json::array())) {
    if (m == "start") l.lineMarkers |= BCMAP_LINE_MARKER_START;
    if (m == "end") l.lineMarkers |= BCMAP_LINE_MARKER_END;
  }
  l.lineEndMarkerPx = jl.value("lineEndMarkerPx", 0.0f);
  l.generation = generation;
  GeometryColumn& g = l.geometry;
  bool hasTime = false;
  for (const json& f : jl.at("features")) {
    std::vector<json> parts;
    if (f.contains("parts"))
      for (const json& p : f["parts"]) parts.push_back(p);
    else if (f.contains("rings"))
      parts.push_back(f["rings"]);
    else
      for (const json& p : f.at("points")) parts.push_back(json::array({json::array({p})}));
    const uint32_t firstVertex = uint32_t(g.xy.size());
    for (const json& rings : parts) {
      for (const json& ring : rings) {
        const uint32_t ringStart = uint32_t(g.xy.size());
        for (const json& v : ring) g.xy.push_back({v[0].get<double>(), v[1].get<double>()});
        g.ringVertices.push_back(uint32_t(g.xy.size()));
        // Fan over the part's outer ring (convex rings only) when no triangles are given.
        if (l.kind == GeometryKind::Polygon && !f.contains("triangles") &&
            &ring == &rings.front())
          for (uint32_t k = ringStart + 1; k + 1 < uint32_t(g.xy.size()); ++k)
            for (uint32_t i : {ringStart, k, k + 1}) l.triangles.push_back(i);
      }
      g.partRings.push_back(uint32_t(g.ringVertices.size() - 1));
    }
    g.featureParts.push_back(uint32_t(g.partRings.size() - 1));
    if (f.contains("triangles"))
      for (const json& t : f["triangles"])
        for (const json& i : t) l.triangles.push_back(firstVertex + i.get<uint32_t>());
    l.featureTriangles.push_back(uint32_t(l.triangles.size()));
    l.fill.push_back(rgba(f.value("fill", json()), Rgba{128, 128, 128, 255}));
    l.pointSizePx.push_back(f.value("size", 8.0f));
    l.startDay.push_back(day(f.value("start", json())));
    l.endDay.push_back(day(f.value("end", json())));
    hasTime = hasTime || f.contains("start") || f.contains("end");
  }
  if (!hasTime) {
    l.startDay.clear();
    l.endDay.clear();
  }
  l.bounds = g.bounds();
  return l;
}

HeadlessContext* context() {
  static std::unique_ptr<HeadlessContext> ctx = [] {
    std::string err;
    auto c = HeadlessContext::create(&err);
    std::printf("%s\n", c ? c->description().c_str() : err.c_str());
    return c;
  }();
  return ctx.get();
}

// ---- 3. plugin layers -------------------------------------------------------------------------
// The plugin layers: one host and store for the run, every plugin of the build.
LayerStore& pluginStore() {
  static PluginHost host;
  static std::unique_ptr<LayerStore> store = [] {
    initGdal();
    initProj();
    host.scan({BCMAP_PLUGIN_DIR});
    auto s = std::make_unique<LayerStore>(BCMAP_GEODATA);
    s->addPluginLayers(host);
    return s;
  }();
  return *store;
}

// Loads plugin layer jl["plugin"] with jl["settings"]; nullptr and `err` on failure.
Layer* loadPluginLayer(const json& jl, std::string* err) {
  LayerStore& store = pluginStore();
  Layer* l = store.find(jl.at("plugin").get<std::string>());
  if (!l) {
    *err = "no plugin layer " + jl.at("plugin").get<std::string>() + " in " + BCMAP_PLUGIN_DIR;
    return nullptr;
  }
  for (LayerSetting& s : l->settings) s.value = s.defaultValue;
  const json settings = jl.value("settings", json::object());  // items() must not outlive it
  for (const auto& [key, value] : settings.items()) {
    std::string v = value.get<std::string>();
    if (const size_t at = v.find("{source}"); at != std::string::npos) v.replace(at, 8, BCMAP_SOURCE_DIR);
    for (LayerSetting& s : l->settings)
      if (s.key == key) s.value = v;
  }
  store.load(*l);
  if (l->status != LayerStatus::Loaded) {
    *err = "layer " + l->id + ": " + l->error;
    return nullptr;
  }
  return l;
}

// Draws a case of kind A (layers straight into MapRenderer) into `pixels`; a message on
// failure.
std::string renderDirectCase(const json& c, View view, std::vector<uint8_t>* pixels) {
  const std::string crs = c.value("crs", std::string("EPSG:3857"));
  std::string err;
  if (c.contains("bboxLonLat")) {
    const json& b = c["bboxLonLat"];
    initProj();
    auto tr = Transformer::create(kLonLatCrs, crs, nullptr);
    if (!tr) return "cannot project to " + crs;
    const std::optional<Bounds> box =
        tr->transformBounds(Bounds{b[0].get<double>(), b[1].get<double>(), b[2].get<double>(), b[3].get<double>()});
    if (!box) return "bboxLonLat cannot be projected to " + crs;
    view.center = {(box->minX + box->maxX) / 2, (box->minY + box->maxY) / 2};
    view.unitsPerPixel = std::max(box->width() / view.widthPx, box->height() / view.heightPx);
  }
  const Rgba background = rgba(c.value("background", json()), Rgba{255, 255, 255, 255});
  auto target = OffscreenTarget::create(view.widthPx, view.heightPx, &err);
  if (!target) return err;
  MapRenderer renderer;
  if (!renderer.init(&err)) return err;
  target->bind();
  renderer.beginFrame(view, background);
  for (const json& jl : c.at("layers")) {
    std::shared_ptr<const PreparedLayer> fromPlugin;
    float opacity = jl.value("opacity", 1.0f);
    if (jl.contains("plugin")) {
      Layer* l = loadPluginLayer(jl, &err);
      if (!l) return err;
      fromPlugin = pluginStore().prepare(*l, crs, &err);
      if (!fromPlugin) return err;
      opacity = jl.value("opacity", l->opacity);
    }
    const PreparedLayer layer = fromPlugin ? *fromPlugin : buildLayer(jl, 1);
    renderer.upload(layer);
    LayerDrawOptions o;
    o.opacity = opacity;
    o.drawFill = jl.value("drawFill", true);
    o.drawOutline = jl.value("drawOutline", true);
    o.pixelRatio = c.value("pixelRatio", 1.0f);
    o.day = day(c.value("day", json()));
    if (jl.contains("highlight")) o.highlightedFeature = jl["highlight"].get<uint32_t>();
    renderer.drawLayer(layer.layerId, view, o);
  }
  *pixels = target->readPixels();
  OffscreenTarget::unbind();
  return {};
}

// ---- 4. whole frames (MapFrame, as `bcmap render` draws them) ------------------------------
// The face every expected image with text was drawn in (fonts-noto-cjk's Simplified Chinese
// face, which FontAtlas::findCjkFont prefers).
constexpr const char* kExpectedCjkFamily = "Noto Sans CJK SC";

// The host whose vector_file plugin opens the frame cases' files: one scan for the run.
PluginHost& fileHost() {
  static PluginHost host;
  static const bool scanned = [] {
    initGdal();
    initProj();
    host.scan({BCMAP_PLUGIN_DIR});
    return true;
  }();
  (void)scanned;
  return host;
}

std::optional<TimeMode> timeModeOf(const json& j) {
  if (!j.is_string()) return TimeMode::Span;
  const std::string s = j.get<std::string>();
  if (s == "span") return TimeMode::Span;
  if (s == "cumulative") return TimeMode::Cumulative;
  if (s == "window") return TimeMode::Window;
  return std::nullopt;
}

// What a plugin's style declares and a file layer's does not, set as a plugin would.
void applyStyleOverrides(const json& js, LayerStyle& s) {
  if (js.contains("pointSymbol")) s.pointSymbol = symbolOf(js["pointSymbol"]);
  if (js.contains("lineMarkers")) {
    s.lineMarkers = 0;
    for (const json& m : js["lineMarkers"]) {
      if (m == "start") s.lineMarkers |= BCMAP_LINE_MARKER_START;
      if (m == "end") s.lineMarkers |= BCMAP_LINE_MARKER_END;
    }
  }
  s.lineEndMarkerPx = js.value("lineEndMarkerPx", s.lineEndMarkerPx);
  s.labelField = js.value("labelField", s.labelField);
  s.labelSecondaryField = js.value("labelSecondaryField", s.labelSecondaryField);
  s.labelPriority = js.value("labelPriority", s.labelPriority);
  s.labelMaxScale = js.value("labelMaxScale", s.labelMaxScale);
  s.strokeWidthPx = js.value("strokeWidth", s.strokeWidthPx);
  s.stroke = rgba(js.value("stroke", json()), s.stroke);
}

// Renders a frame case into `pixels`; a message on failure, "skip: ..." when the machine
// cannot draw it as the expected image was drawn.
std::string renderFrameCase(const json& c, const std::string& name, const View& given, std::vector<uint8_t>* pixels) {
  const std::string crs = c.value("crs", std::string("EPSG:3857"));
  const std::optional<FontFace> face = FontAtlas::findCjkFont(nullptr);
  if (!face || face->family != kExpectedCjkFamily)
    return "skip: the expected images' text is drawn in " + std::string(kExpectedCjkFamily) + ", this machine has " +
           (face ? face->family : std::string("no CJK face"));
  const fs::path out = kOutputDir / name;
  fs::create_directories(out / "input");
  LayerStore store(BCMAP_GEODATA);
  std::vector<Layer*> order;  // the case's layers, bottom first
  for (const json& jl : c.at("layers")) {
    Layer* lp = nullptr;
    const json settings = jl.value("settings", json::object());  // items() must not outlive it
    if (jl.contains("plugin")) {
      // Every plugin's layer is made (LayerStore makes them all at once), hidden and not
      // loaded; the case's are loaded and shown.
      if (std::none_of(store.layers().begin(), store.layers().end(), [](const auto& l) { return !l->isFileLayer; })) {
        store.addPluginLayers(fileHost());
        for (auto& l : store.layers())
          if (!l->isFileLayer) l->visible = false;
      }
      lp = store.find(jl["plugin"].get<std::string>());
      if (!lp) return "no plugin layer " + jl["plugin"].get<std::string>() + " in " + BCMAP_PLUGIN_DIR;
    } else {
      std::string path;
      if (jl.contains("geojson")) {
        path = (out / "input" / (jl.at("id").get<std::string>() + ".geojson")).string();
        std::ofstream f(path, std::ios::trunc);
        f << jl["geojson"].dump();
        if (!f) return path + ": cannot write";
      } else {
        path = (kCaseDir / name / jl.at("file").get<std::string>()).string();
      }
      lp = &store.addFileLayer(fileHost(), path, false);
    }
    Layer& l = *lp;
    for (const auto& [key, value] : settings.items()) {
      std::string v = value.get<std::string>();
      if (const size_t at = v.find("{source}"); at != std::string::npos) v.replace(at, 8, BCMAP_SOURCE_DIR);
      for (LayerSetting& s : l.settings)
        if (s.key == key) s.value = v;
    }
    store.load(l);
    l.visible = true;
    order.push_back(&l);
    const std::string id = jl.contains("plugin") ? jl["plugin"].get<std::string>() : jl.at("id").get<std::string>();
    if (l.status != LayerStatus::Loaded) {
      if (jl.value("expectLoaded", true)) return "layer " + id + ": " + l.error;
      continue;
    }
    if (!jl.value("expectLoaded", true)) return "layer " + id + " loaded, expected to fail";
    std::string err;
    if (jl.contains("userStyle")) {
      std::optional<StyleSpec> spec = styleSpecFromJson(jl["userStyle"].dump(), &err);
      if (!spec) return "layer " + id + ": userStyle: " + err;
      if (!store.setUserStyle(l, spec, &err)) return "layer " + id + ": " + err;
    }
    if (jl.contains("style")) {
      applyStyleOverrides(jl["style"], l.style);
      l.prepared.clear();  // labels and symbols are taken from the style in prepare
    }
    l.opacity = jl.value("opacity", l.opacity);
  }
  // Drawn in the case's order, the first at the bottom.
  for (size_t i = 0; i < order.size(); ++i)
    for (size_t at = 0; at < store.layers().size(); ++at)
      if (store.layers()[at].get() == order[i]) store.move(at, i);

  View view = given;
  const json fj = c.at("frame");
  FrameOptions fo;
  fo.background = rgba(c.value("background", json()), fo.background);
  fo.day = day(c.value("day", json()));
  const std::optional<TimeMode> mode = timeModeOf(c.value("timeMode", json()));
  if (!mode) return "timeMode: span, cumulative or window";
  fo.timeMode = *mode;
  fo.windowDays = c.value("windowDays", fo.windowDays);
  fo.labels = fj.value("labels", true);
  fo.legend = fj.value("legend", false);
  fo.northArrow = fj.value("northArrow", false);
  fo.scaleBar = fj.value("scaleBar", false);
  fo.title = fj.value("title", std::string());
  fo.dateCounter = fj.value("dateCounter", false);
  fo.pointLod = fj.value("pointLod", true);
  const double dpi = c.value("dpi", kBaseDpi);
  std::string err;
  if (c.contains("bboxLonLat")) {
    const json& b = c["bboxLonLat"];
    auto tr = Transformer::create(kLonLatCrs, crs, &err);
    if (!tr) return "cannot project to " + crs + ": " + err;
    const std::optional<Bounds> box =
        tr->transformBounds(Bounds{b[0].get<double>(), b[1].get<double>(), b[2].get<double>(), b[3].get<double>()});
    if (!box) return "bboxLonLat cannot be projected to " + crs;
    view.fit(*box);
    if (fo.legend) view = fitLeftOfLegend(view, *box, dpi / kBaseDpi);
  }
  MapFrame frame;
  if (!frame.init(&err)) return err;
  const std::string png = (out / "render.png").string();
  if (!exportPng(frame, store, crs, view, fo, dpi, png, &err)) return err;
  std::optional<RgbaImage> drawn = readPng(png, &err);
  if (!drawn) return err;
  fs::remove(png);
  *pixels = std::move(drawn->rgba);
  return {};
}

class RenderCaseTest : public ::testing::TestWithParam<std::string> {};

// ---- 5. the comparison ------------------------------------------------------------------------
TEST_P(RenderCaseTest, MatchesExpected) {
  const std::string name = GetParam();
  const fs::path dir = kCaseDir / name;
  std::ifstream in(dir / "case.json");
  ASSERT_TRUE(in) << dir / "case.json" << ": cannot open";
  const json c = json::parse(in, nullptr, /*allow_exceptions=*/false);
  ASSERT_FALSE(c.is_discarded()) << dir / "case.json" << ": not valid JSON";
  ASSERT_TRUE(c.contains("description")) << name << ": say in \"description\" what the picture must show";
  ASSERT_TRUE(c.at("tolerance").contains("why")) << name << ": say in tolerance.why why it is that wide";

  // A case whose correct picture the code cannot draw yet: its fixture is kept, with the
  // bug, and it runs again (and gets its expected image) once "knownBug" is removed.
  if (c.contains("knownBug")) GTEST_SKIP() << name << ": known bug: " << c["knownBug"].get<std::string>();
  if (!context()) BCMAP_GL_UNAVAILABLE("HeadlessContext::create failed");
  ASSERT_TRUE(context()->makeCurrent());
  View view;
  view.widthPx = c.at("size")[0].get<int>();
  view.heightPx = c.at("size")[1].get<int>();
  if (c.contains("view")) {
    view.center = {c.at("view").at("center")[0].get<double>(), c.at("view").at("center")[1].get<double>()};
    view.unitsPerPixel = c.at("view").at("unitsPerPixel").get<double>();
  }
  const double maxDistance = c.at("tolerance").at("colorDistance").get<double>();
  const double maxFraction = c.at("tolerance").at("maxDifferingFraction").get<double>();

  std::vector<uint8_t> actual;
  if (c.contains("frame")) {
    const std::string why = renderFrameCase(c, name, view, &actual);
    if (why.rfind("skip: ", 0) == 0) {
      if (runningInCi()) GTEST_FAIL() << name << ": CI is set, so this does not skip: " << why;
      GTEST_SKIP() << name << ": " << why.substr(6);
    }
    ASSERT_TRUE(why.empty()) << name << ": " << why;
  } else {
    const std::string why = renderDirectCase(c, view, &actual);
    ASSERT_TRUE(why.empty()) << name << ": " << why;
  }
  ASSERT_EQ(actual.size(), size_t(view.widthPx) * size_t(view.heightPx) * 4);

  std::string err;
  const fs::path expectedPath = dir / "expected.png";
  const char* update = std::getenv("BCMAP_UPDATE_EXPECTED");
  if (update && std::string(update) == "1") {
    ASSERT_TRUE(writePng(expectedPath.string(), view.widthPx, view.heightPx, actual, &err)) << err;
    std::printf("updated %s\n", expectedPath.c_str());
    return;
  }
  const auto expected = readPng(expectedPath.string(), &err);
  ASSERT_TRUE(expected) << err << " (BCMAP_UPDATE_EXPECTED=1 writes it)";
  ASSERT_EQ(expected->width, view.widthPx);
  ASSERT_EQ(expected->height, view.heightPx);

  // Diff: differing pixels red, the rest a faded copy of the expected image.
  std::vector<uint8_t> diff(actual.size());
  size_t differing = 0;
  double worst = 0;
  for (size_t i = 0; i < actual.size(); i += 4) {
    double d2 = 0;
    for (size_t k = 0; k < 4; ++k) {
      const double d = double(actual[i + k]) - double(expected->rgba[i + k]);
      d2 += d * d;
    }
    const double d = std::sqrt(d2);
    worst = std::max(worst, d);
    const bool bad = d > maxDistance;
    differing += bad;
    const uint8_t grey = uint8_t(
        191 + (expected->rgba[i] + expected->rgba[i + 1] + expected->rgba[i + 2]) / 12);
    diff[i] = bad ? 255 : grey;
    diff[i + 1] = bad ? 0 : grey;
    diff[i + 2] = bad ? 0 : grey;
    diff[i + 3] = 255;
  }
  const double fraction = double(differing) / double(actual.size() / 4);
  const bool pass = fraction <= maxFraction;
  // The margin a tolerance leaves, for choosing one (run-to-run on llvmpipe this is 0).
  std::printf("%s: worst colour distance %.1f, %zu pixels over %.0f\n", name.c_str(), worst, differing, maxDistance);
  if (!pass) {
    const fs::path out = kOutputDir / name;
    fs::create_directories(out);
    writePng((out / "actual.png").string(), view.widthPx, view.heightPx, actual, nullptr);
    writePng((out / "diff.png").string(), view.widthPx, view.heightPx, diff, nullptr);
  }
  EXPECT_TRUE(pass) << name << ": " << differing << " pixels (" << fraction * 100
                    << "%) differ by more than " << maxDistance << " (worst " << worst
                    << "); allowed " << maxFraction * 100 << "%. See "
                    << (kOutputDir / name).string() << "/{actual,diff}.png";
}

INSTANTIATE_TEST_SUITE_P(Cases, RenderCaseTest, ::testing::ValuesIn(listCases()),
                         [](const ::testing::TestParamInfo<std::string>& p) {
                           return p.param;
                         });
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(RenderCaseTest);

}  // namespace
}  // namespace bcmap
