// Sections: 1. set-up  2. layers  3. labels  4. scale bar  5. attribution
#include "render/MapFrame.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <future>
#include <map>
#include <optional>

#include "core/LayerStore.h"
#include "core/Log.h"
#include "core/Projection.h"
#include "render/FontAtlas.h"
#include "render/MapRenderer.h"
#include "render/TextRenderer.h"

namespace bcmap {

struct MapFrame::Impl {
  MapRenderer renderer;
  TextRenderer text;
  std::optional<FontFace> regularFace, boldFace;
  // One atlas per (weight, pixel size): text drawn at its atlas size is crisp, scaled
  // text is soft. Sizes depend on the pixel ratio, so atlases are made on first use.
  std::map<std::pair<bool, int>, std::unique_ptr<FontAtlas>> atlases;
  std::map<std::pair<bool, int>, int> fontIds;
  int font(bool bold, float sizePx);
  std::vector<PlacedLabel> labels;
  double metresPerPixel = 0;
  std::string overlayCrs;  // display CRS the cached lon/lat transformer is for
  std::optional<Transformer> toLonLat;
  uint64_t overlayGeneration = 0;
  FrameTimings timings;
};

namespace {

using Clock = std::chrono::steady_clock;
double msSince(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }

}  // namespace

MapFrame::MapFrame() : impl_(std::make_unique<Impl>()) {}
MapFrame::~MapFrame() = default;

const std::vector<PlacedLabel>& MapFrame::placedLabels() const { return impl_->labels; }
double MapFrame::metresPerPixel() const { return impl_->metresPerPixel; }
const FrameTimings& MapFrame::timings() const { return impl_->timings; }

// ---- 1. set-up --------------------------------------------------------------------------
bool MapFrame::init(std::string* err) {
  // fontconfig reads its configuration and cache (5-10 ms here); that overlaps with the
  // shader compiles, which must stay on this thread (the context is current here).
  struct Faces {
    std::optional<FontFace> regular, bold;
    std::string err;
  };
  std::future<Faces> faces = std::async(std::launch::async, [] {
    Faces f;
    f.regular = FontAtlas::findCjkFont(&f.err, FontWeight::Regular);
    if (f.regular) f.bold = FontAtlas::findCjkFont(nullptr, FontWeight::Bold);
    return f;
  });
  impl_->timings = {};
  const auto t0 = Clock::now();
  const bool shadersOk = impl_->renderer.init(err) && impl_->text.init(err);
  impl_->timings.shadersMs = msSince(t0);
  const auto t1 = Clock::now();
  Faces found = faces.get();
  impl_->timings.fontsMs = msSince(t1);
  if (!shadersOk) return false;
  if (!found.regular) {
    if (err) *err = found.err;
    return false;
  }
  impl_->regularFace = found.regular;
  impl_->boldFace = found.bold ? found.bold : found.regular;
  return true;
}

int MapFrame::Impl::font(bool bold, float sizePx) {
  const std::pair<bool, int> key{bold, std::max(6, static_cast<int>(std::lround(sizePx)))};
  if (auto it = fontIds.find(key); it != fontIds.end()) return it->second;
  const auto t0 = Clock::now();
  auto atlas = std::make_unique<FontAtlas>();
  std::string err;
  const bool built = atlas->build(bold ? *boldFace : *regularFace, static_cast<float>(key.second),
                                  FontAtlas::baseCodepoints(), &err);
  timings.atlasMs += msSince(t0);
  if (!built) {
    logError("map text: " + err);
    return fontIds.empty() ? 0 : fontIds.begin()->second;
  }
  const int id = text.addFont(atlas.get());
  atlases[key] = std::move(atlas);
  fontIds[key] = id;
  return id;
}

void MapFrame::drawHighlight(LayerStore& store, const std::string& displayCrs, const View& view,
                             const FrameOptions& o) {
  if (o.highlightLayer.empty() || o.highlightFeature < 0) return;
  Layer* l = store.find(o.highlightLayer);
  if (!l || l->status != LayerStatus::Loaded || !l->visible) return;
  std::string err;
  auto p = store.prepare(*l, displayCrs, &err);
  if (!p) return;
  impl_->renderer.upload(*p);  // a no-op unless the layer changed
  glViewport(0, 0, view.widthPx, view.heightPx);
  LayerDrawOptions d;
  d.day = o.day;
  d.pixelRatio = o.pixelRatio;
  d.highlightOnly = true;
  d.highlightedFeature = static_cast<uint32_t>(o.highlightFeature);
  impl_->renderer.drawLayer(p->layerId, view, d);
}

// ---- 2. layers ----------------------------------------------------------------------------
void MapFrame::draw(LayerStore& store, const std::string& displayCrs, const View& view, const FrameOptions& o) {
  Impl& m = *impl_;
  const double shadersMs = m.timings.shadersMs, fontsMs = m.timings.fontsMs;
  m.timings = {};
  m.timings.shadersMs = shadersMs;
  m.timings.fontsMs = fontsMs;
  const auto tLayers = Clock::now();
  m.renderer.beginFrame(view, o.background);
  std::vector<std::pair<Layer*, std::shared_ptr<const PreparedLayer>>> drawn;
  for (auto& lp : store.layers()) {
    Layer& l = *lp;
    if (l.status != LayerStatus::Loaded || !l.visible) continue;
    std::string err;
    auto p = store.prepare(l, displayCrs, &err);
    if (!p) {
      logWarning(err);
      continue;
    }
    const auto tUpload = Clock::now();
    m.renderer.upload(*p);
    m.timings.uploadMs += msSince(tUpload);
    LayerDrawOptions d;
    d.opacity = l.opacity;
    d.day = o.day;
    d.pixelRatio = o.pixelRatio;
    d.pointLod = o.pointLod;
    if (o.highlightLayer == l.id && o.highlightFeature >= 0) d.highlightedFeature = static_cast<uint32_t>(o.highlightFeature);
    m.renderer.drawLayer(p->layerId, view, d);
    m.timings.pointsDrawn += m.renderer.lastDraw(p->layerId).pointsDrawn;
    drawn.emplace_back(&l, p);
  }

  m.timings.layersMs = msSince(tLayers) - m.timings.uploadMs;
  const auto tText = Clock::now();

  // ---- 3. labels: greedy placement, layers on top first, no two boxes overlap ----------
  m.labels.clear();
  const float r = o.pixelRatio;
  m.text.begin(view.widthPx, view.heightPx);
  std::vector<Bounds> taken;
  auto overlaps = [&](const Bounds& b) {
    return std::any_of(taken.begin(), taken.end(), [&](const Bounds& t) {
      return !(b.maxX < t.minX || b.minX > t.maxX || b.maxY < t.minY || b.minY > t.maxY);
    });
  };
  if (o.labels) {
    for (auto it = drawn.rbegin(); it != drawn.rend(); ++it) {
      const PreparedLayer& p = *it->second;
      const Layer& l = *it->first;
      const bool polygons = p.kind == GeometryKind::Polygon;
      for (size_t f = 0; f < p.labelAnchor.size(); ++f) {
        const Vec2 a = p.labelAnchor[f];
        if (!std::isfinite(a.x) || !std::isfinite(a.y) || p.labelPrimary[f].empty()) continue;
        if (!p.startDay.empty() && !spanShows(p.startDay[f], p.endDay[f], o.day)) continue;
        const Vec2 px = view.toPixel(a);
        if (px.x < -200 || px.y < -200 || px.x > view.widthPx + 200 || px.y > view.heightPx + 200) continue;
        TextStyle main;
        main.font = m.font(polygons, (polygons ? 17.0f : 12.0f) * r);
        main.color = polygons ? Rgba{30, 30, 30, 255} : Rgba{45, 45, 45, 255};
        main.haloColor = Rgba{255, 255, 255, 230};
        main.haloWidthPx = 2.0f * r;
        main.anchorX = TextAnchorX::Center;
        main.anchorY = polygons ? TextAnchorY::Bottom : TextAnchorY::Middle;
        Vec2 mainAt = polygons ? Vec2{px.x, px.y + 2 * r} : Vec2{px.x + 8 * r, px.y};
        if (!polygons) main.anchorX = TextAnchorX::Left;
        TextStyle second = main;
        second.font = m.font(false, 12.0f * r);
        second.color = Rgba{70, 70, 70, 255};
        second.anchorY = TextAnchorY::Top;
        const std::string& secondText = p.labelSecondary.empty() ? std::string() : p.labelSecondary[f];
        Bounds box = m.text.measureBox(p.labelPrimary[f], mainAt, main);
        if (!secondText.empty()) box.add(m.text.measureBox(secondText, {mainAt.x, mainAt.y + 1 * r}, second));
        if (box.empty() || overlaps(box)) continue;
        taken.push_back(box);
        m.text.addText(p.labelPrimary[f], mainAt, main);
        if (!secondText.empty()) m.text.addText(secondText, {mainAt.x, mainAt.y + 1 * r}, second);
        m.labels.push_back({l.id, f, p.labelPrimary[f], box});
      }
    }
  }

  // ---- 4. scale bar --------------------------------------------------------------------------
  if (m.overlayCrs != displayCrs) {
    m.toLonLat = Transformer::create(displayCrs, kLonLatCrs, nullptr);
    m.overlayCrs = displayCrs;
  }
  m.metresPerPixel = m.toLonLat ? groundMetresPerPixel(view, *m.toLonLat) : 0;
  PreparedLayer overlay;
  overlay.layerId = "__overlay";
  overlay.kind = GeometryKind::Line;
  overlay.stroke = Rgba{40, 40, 40, 255};
  overlay.strokeWidthPx = 2.0f;
  if (o.scaleBar && m.metresPerPixel > 0 && std::isfinite(m.metresPerPixel)) {
    // The longest 1-2-5 × 10^k ground length that fits in about 120 px.
    const double maxM = 120.0 * r * m.metresPerPixel;
    double len = std::pow(10.0, std::floor(std::log10(maxM)));
    for (double step : {5.0, 2.0})
      if (len * step <= maxM) {
        len *= step;
        break;
      }
    const double barPx = len / m.metresPerPixel;
    const double x0 = o.insetLeftPx + 16 * r, y0 = view.heightPx - 20 * r, tick = 6 * r;
    // Overlay geometry lives in "pixel world": x right, y up from the bottom edge.
    auto P = [&](double x, double y) { return Vec2{x, view.heightPx - y}; };
    const Vec2 pts[] = {P(x0, y0 - tick), P(x0, y0), P(x0 + barPx, y0), P(x0 + barPx, y0 - tick)};
    for (const Vec2& v : pts) overlay.geometry.xy.push_back(v);
    overlay.geometry.kind = GeometryKind::Line;
    overlay.geometry.ringVertices.push_back(4);
    overlay.geometry.partRings.push_back(1);
    overlay.geometry.featureParts.push_back(1);
    overlay.fill = {overlay.stroke};
    overlay.bounds = overlay.geometry.bounds();
    overlay.generation = ++m.overlayGeneration;
    m.renderer.upload(overlay);
    View pixelView;
    pixelView.widthPx = view.widthPx;
    pixelView.heightPx = view.heightPx;
    pixelView.unitsPerPixel = 1;
    pixelView.center = {view.widthPx / 2.0, view.heightPx / 2.0};
    LayerDrawOptions d;
    d.pixelRatio = r;
    m.renderer.drawLayer(overlay.layerId, pixelView, d);
    char label[64];
    if (len >= 1000)
      std::snprintf(label, sizeof label, "%g km", len / 1000);
    else
      std::snprintf(label, sizeof label, "%g m", len);
    TextStyle s;
    s.font = m.font(false, 12.0f * r);
    s.haloWidthPx = 2.0f * r;
    s.anchorX = TextAnchorX::Center;
    s.anchorY = TextAnchorY::Bottom;
    m.text.addText(label, {x0 + barPx / 2, y0 - 3 * r}, s);
  }

  // ---- 5. attribution ---------------------------------------------------------------------
  // Each layer's attribution split at " · " into parts, each part once; the sample notice
  // leads whenever a sample layer is shown. Lines wrap (right-aligned, bottom up) so a
  // narrow image never loses the notice off its left edge.
  if (o.attribution) {
    static constexpr std::string_view kSampleNotice = "示例数据 / sample data";
    std::vector<std::string> parts;
    bool sample = false;
    for (auto& [l, p] : drawn) {
      sample = sample || l->isSample;
      std::string_view rest = l->attribution;
      while (!rest.empty()) {
        const size_t cut = rest.find(" · ");
        std::string part(rest.substr(0, cut));
        rest = cut == std::string_view::npos ? std::string_view() : rest.substr(cut + 3);
        const bool notice = part.find("示例数据") != std::string::npos && part.size() < 40;
        if (part.empty() || notice || std::find(parts.begin(), parts.end(), part) != parts.end()) continue;
        parts.push_back(std::move(part));
      }
    }
    if (sample) parts.insert(parts.begin(), std::string(kSampleNotice));
    TextStyle s;
    s.font = m.font(false, 11.0f * r);
    s.color = Rgba{60, 60, 60, 255};
    s.haloWidthPx = 2.0f * r;
    s.anchorX = TextAnchorX::Right;
    s.anchorY = TextAnchorY::Bottom;
    const double maxWidth = view.widthPx - o.insetLeftPx - 12.0 * r;
    std::vector<std::string> lines;
    for (const std::string& part : parts) {
      const std::string joined = lines.empty() ? part : lines.back() + " · " + part;
      if (!lines.empty() && m.text.measureBox(joined, {0, 0}, s).width() <= maxWidth)
        lines.back() = joined;
      else
        lines.push_back(part);
    }
    const double lineStep = 14.0 * r;
    double y = view.heightPx - 4.0 * r;
    for (auto it = lines.rbegin(); it != lines.rend(); ++it, y -= lineStep)
      m.text.addText(*it, {view.widthPx - 6.0 * r, y}, s);
  }
  m.text.end();
  m.timings.textMs = msSince(tText) - m.timings.atlasMs;
}

}  // namespace bcmap
