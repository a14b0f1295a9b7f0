// Render cases (label render): each folder tests/render/cases/<name>/ holds case.json
// (image size, view, background, time, tolerances and synthetic layers) and expected.png.
// The runner renders headless and compares; on failure it writes actual.png and diff.png to
// <build>/test-output/render/<name>/. BCMAP_UPDATE_EXPECTED=1 rewrites expected.png.
//
// case.json layers: {"id", "kind": "polygon"|"line"|"point", "stroke": [r,g,b,a],
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
// view (the box fitted into the image) instead of "view". Labels are not drawn (fonts differ
// between machines); the layer's own opacity applies.
// Only synthetic geometry belongs here: never commit images rendered from county data.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "host/LayerStore.h"
#include "host/PluginHost.h"
#include "model/PreparedLayer.h"
#include "io/Projection.h"
#include "io/VectorReader.h"
#include "model/View.h"
#include "render/GlContext.h"
#include "render/ImageIo.h"
#include "render/MapRenderer.h"

namespace bcmap {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const fs::path kCaseDir = fs::path(BCMAP_SOURCE_DIR) / "tests" / "render" / "cases";
const fs::path kOutputDir = fs::path(BCMAP_BINARY_DIR) / "test-output" / "render";

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

class RenderCaseTest : public ::testing::TestWithParam<std::string> {};

TEST_P(RenderCaseTest, MatchesExpected) {
  const std::string name = GetParam();
  const fs::path dir = kCaseDir / name;
  std::ifstream in(dir / "case.json");
  ASSERT_TRUE(in) << dir / "case.json" << ": cannot open";
  const json c = json::parse(in, nullptr, /*allow_exceptions=*/false);
  ASSERT_FALSE(c.is_discarded()) << dir / "case.json" << ": not valid JSON";

  ASSERT_NE(context(), nullptr) << "HeadlessContext::create failed";
  ASSERT_TRUE(context()->makeCurrent());
  View view;
  view.widthPx = c.at("size")[0].get<int>();
  view.heightPx = c.at("size")[1].get<int>();
  const std::string crs = c.value("crs", std::string("EPSG:3857"));
  if (c.contains("bboxLonLat")) {
    const json& b = c["bboxLonLat"];
    initProj();
    auto tr = Transformer::create(kLonLatCrs, crs, nullptr);
    ASSERT_TRUE(tr) << "cannot project to " << crs;
    const std::optional<Bounds> box =
        tr->transformBounds(Bounds{b[0].get<double>(), b[1].get<double>(), b[2].get<double>(), b[3].get<double>()});
    ASSERT_TRUE(box);
    view.center = {(box->minX + box->maxX) / 2, (box->minY + box->maxY) / 2};
    view.unitsPerPixel = std::max(box->width() / view.widthPx, box->height() / view.heightPx);
  } else {
    view.center = {c.at("view").at("center")[0].get<double>(), c.at("view").at("center")[1].get<double>()};
    view.unitsPerPixel = c.at("view").at("unitsPerPixel").get<double>();
  }
  const Rgba background = rgba(c.value("background", json()), Rgba{255, 255, 255, 255});
  const double maxDistance = c.at("tolerance").at("colorDistance").get<double>();
  const double maxFraction = c.at("tolerance").at("maxDifferingFraction").get<double>();

  std::string err;
  auto target = OffscreenTarget::create(view.widthPx, view.heightPx, &err);
  ASSERT_TRUE(target) << err;
  std::vector<uint8_t> actual;
  {
    MapRenderer renderer;
    ASSERT_TRUE(renderer.init(&err)) << err;
    target->bind();
    renderer.beginFrame(view, background);
    for (const json& jl : c.at("layers")) {
      std::shared_ptr<const PreparedLayer> fromPlugin;
      float opacity = jl.value("opacity", 1.0f);
      if (jl.contains("plugin")) {
        Layer* l = loadPluginLayer(jl, &err);
        ASSERT_TRUE(l) << name << ": " << err;
        fromPlugin = pluginStore().prepare(*l, crs, &err);
        ASSERT_TRUE(fromPlugin) << name << ": " << err;
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
    actual = target->readPixels();
    OffscreenTarget::unbind();
  }

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
