// Sections: 1. set-up  2. layers  3. ground scale  4. labels  5. decorations (MapDecorations.h)
#include "render/MapFrame.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <future>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string_view>
#include <unordered_map>

#include "host/LayerStore.h"
#include "model/Log.h"
#include "io/Projection.h"
#include "render/FontAtlas.h"
#include "render/LabelPlacer.h"
#include "render/MapDecorations.h"
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
  // Section 4: fills `labels` and queues their text (between text.begin() and end()), none
  // over `keepClear` (the decorations' boxes, FrameRecord::keepClearPx).
  void placeLabels(const DrawnLayers& drawn, const View& view, const FrameOptions& o,
                   const std::vector<Bounds>& keepClear);
  // Label sizes kept between frames, per layer id, valid for the layer's generation and the
  // fonts they were measured in: measuring a string costs the atlas a look at every glyph it
  // holds, and a pan or zoom shows mostly the same labels again.
  struct LabelSizes {
    uint64_t generation = 0;
    int primaryFont = -1, secondaryFont = -1;
    std::unordered_map<size_t, LabelSize> byFeature;
  };
  std::map<std::string, LabelSizes> labelSizes;
  double metresPerPixel = 0;
  std::string overlayCrs;  // display CRS the cached lon/lat transformer is for
  std::optional<Transformer> toLonLat;
  MapDecorations decorations;
  FrameRecord record;  // of the last draw()
  FrameTimings timings;
  FrameSlice slice;  // drawSlice(..., first, ...)'s
};

namespace {

using Clock = std::chrono::steady_clock;
double msSince(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }

// $BCMAP_POINT_LOD=0 draws every point whatever FrameOptions::pointLod says: the exact
// render test (tests/render/ExactRenderTest.cpp) compares `bcmap render` both ways.
bool pointLodForcedOff() {
  static const bool off = [] {
    const char* v = std::getenv("BCMAP_POINT_LOD");
    return v != nullptr && std::string_view(v) == "0";
  }();
  return off;
}

}  // namespace

MapFrame::MapFrame() : impl_(std::make_unique<Impl>()) {}
MapFrame::~MapFrame() = default;

const std::vector<PlacedLabel>& MapFrame::placedLabels() const { return impl_->labels; }
double MapFrame::metresPerPixel() const { return impl_->metresPerPixel; }
void MapFrame::setBackgroundUpload(bool on) { impl_->renderer.setBackgroundUpload(on); }

bool MapFrame::uploading() const { return impl_->renderer.uploading(); }

bool MapFrame::uploadReady() const { return impl_->renderer.uploadReady(); }

void MapFrame::forgetLayer(const std::string& layerId) {
  impl_->renderer.remove(layerId);
  impl_->labelSizes.erase(layerId);
}

std::vector<std::string> MapFrame::uploadedLayers() const { return impl_->renderer.layerIds(); }

const FrameTimings& MapFrame::timings() const { return impl_->timings; }
const FrameRecord& MapFrame::lastRecord() const { return impl_->record; }

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
  impl_->renderer.upload(p);  // a no-op unless the layer changed
  glViewport(0, 0, view.widthPx, view.heightPx);
  LayerDrawOptions d;
  d.day = o.day;
  d.timeMode = o.timeMode;
  d.windowDays = o.windowDays;
  d.pixelRatio = o.pixelRatio;
  d.highlightOnly = true;
  d.highlightedFeature = static_cast<uint32_t>(o.highlightFeature);
  impl_->renderer.drawLayer(p->layerId, view, d);
}

// ---- 2. layers ----------------------------------------------------------------------------
void MapFrame::draw(LayerStore& store, const std::string& displayCrs, const View& view, const FrameOptions& o) {
  FrameSlice whole;
  drawSlice(store, displayCrs, view, o, whole, std::numeric_limits<size_t>::max());
}

bool MapFrame::drawSlice(LayerStore& store, const std::string& displayCrs, const View& view, const FrameOptions& o,
                         bool first, size_t pointBudget) {
  if (first) impl_->slice = {};
  return drawSlice(store, displayCrs, view, o, impl_->slice, pointBudget);
}

bool MapFrame::drawSlice(LayerStore& store, const std::string& displayCrs, const View& view, const FrameOptions& o,
                         FrameSlice& slice, size_t pointBudget) {
  Impl& m = *impl_;
  if (!slice.started) {
    const double shadersMs = m.timings.shadersMs, fontsMs = m.timings.fontsMs;
    m.timings = {};
    m.timings.shadersMs = shadersMs;
    m.timings.fontsMs = fontsMs;
  }
  const auto tLayers = Clock::now();
  const double uploadMsBefore = m.timings.uploadMs;
  if (!slice.started) {
    m.renderer.beginFrame(view, o.background);
    slice.started = true;
  } else {
    glViewport(0, 0, view.widthPx, view.heightPx);
  }
  ++slice.slices;
  size_t budget = pointBudget;
  const auto& layers = store.layers();
  for (; slice.layer < layers.size(); ++slice.layer, slice.pointFrom = 0) {
    Layer& l = *layers[slice.layer];
    if (l.status != LayerStatus::Loaded || !l.visible) continue;
    if (budget == 0) break;  // the next slice starts with this layer
    std::string err;
    auto p = store.prepare(l, displayCrs, &err);
    if (!p) {
      logWarning(err);
      continue;
    }
    const auto tUpload = Clock::now();
    m.renderer.upload(p);
    m.timings.uploadMs += msSince(tUpload);
    LayerDrawOptions d;
    d.opacity = l.opacity;
    d.day = o.day;
    d.timeMode = o.timeMode;
    d.windowDays = o.windowDays;
    d.pixelRatio = o.pixelRatio;
    d.pointLod = o.pointLod && !pointLodForcedOff();
    d.pointLodExact = o.pointLodExact;
    d.pointSliceFrom = slice.pointFrom;
    d.pointSliceCount = budget;
    d.fringeSliceMs = pointBudget == std::numeric_limits<size_t>::max() ? 0.0 : o.fringeSliceMs;
    if (o.highlightLayer == l.id && o.highlightFeature >= 0) d.highlightedFeature = static_cast<uint32_t>(o.highlightFeature);
    m.renderer.drawLayer(p->layerId, view, d);
    const LayerDrawStats drew = m.renderer.lastDraw(p->layerId);
    m.timings.pointsDrawn += drew.pointsDrawn;
    if (drew.fringePending) {
      // Its LOD fringe took this slice's share: the next slice goes on with the same layer.
      m.timings.layersMs += msSince(tLayers) - (m.timings.uploadMs - uploadMsBefore);
      return false;
    }
    budget -= std::min(budget, drew.pointsSliced);
    if (slice.pointFrom + drew.pointsSliced < drew.pointsPlanned) {
      slice.pointFrom += drew.pointsSliced;  // the rest of this layer in the next slice
      m.timings.layersMs += msSince(tLayers) - (m.timings.uploadMs - uploadMsBefore);
      return false;
    }
  }
  m.timings.layersMs += msSince(tLayers) - (m.timings.uploadMs - uploadMsBefore);
  if (slice.layer < layers.size()) return false;

  // The layers drawn, for labels and decorations.
  std::vector<std::pair<Layer*, std::shared_ptr<const PreparedLayer>>> drawn;
  for (auto& lp : layers) {
    Layer& l = *lp;
    if (l.status != LayerStatus::Loaded || !l.visible) continue;
    std::string err;
    if (auto p = store.prepare(l, displayCrs, &err)) drawn.emplace_back(&l, p);
  }

  const auto tText = Clock::now();

  // ---- 3. ground scale (the scale bar, labels' scale limits, metresPerPixel()) ---------
  if (m.overlayCrs != displayCrs) {
    m.toLonLat = Transformer::create(displayCrs, kLonLatCrs, nullptr);
    m.overlayCrs = displayCrs;
  }
  m.metresPerPixel = m.toLonLat ? groundMetresPerPixel(view, *m.toLonLat) : 0;

  // ---- 4. labels: greedy placement (LabelPlacer.h), no two boxes overlap ----------------
  // The decorations over the map's top (legend, title, date counter, north arrow) are laid
  // out first, their text thrown away, so the labels keep clear of them (keepClear).
  m.labels.clear();
  const float r = o.pixelRatio;
  auto font = [&m](bool bold, float sizePx) { return m.font(bold, sizePx); };
  std::vector<Bounds> keepClear;
  if (o.labels && (o.legend || !o.title.empty() || o.dateCounter || o.northArrow)) {
    FrameRecord furniture;
    m.text.begin(view.widthPx, view.heightPx);
    m.decorations.layout(drawn, displayCrs, view, o, m.metresPerPixel, m.text, font, &furniture);
    keepClear = std::move(furniture.keepClearPx);
  }
  m.text.begin(view.widthPx, view.heightPx);
  if (o.labels) m.placeLabels(drawn, view, o, keepClear);

  // ---- 5. decorations (MapDecorations.h): the labels go down first (clear of the panel,
  // section 4); then the panel, swatches, scale bar and arrow; then their text.
  m.text.end();
  m.record = FrameRecord{};
  m.record.widthPx = view.widthPx;
  m.record.heightPx = view.heightPx;
  m.record.background = o.background;
  m.record.labelTexts = m.text.record();
  m.text.begin(view.widthPx, view.heightPx);
  m.decorations.layout(drawn, displayCrs, view, o, m.metresPerPixel, m.text, font, &m.record);
  m.decorations.drawShapes(m.renderer, view, r, m.record.shapes);
  m.text.end();
  m.record.texts = m.text.record();
  m.timings.textMs = msSince(tText) - m.timings.atlasMs;
  return true;
}

// ---- 4. labels (from draw) -------------------------------------------------------------------
// Candidates: the labelled features of the drawn layers with their anchor in the frame,
// shown under the time filter, of layers whose labelMaxScale admits the current scale.
// They are tried in LabelRank order: an area's (or line's) label centred on its anchor, a
// point's at the first free spot around its symbol, its own size and shape apart
// (LabelPlacer's labelGapPx); a line's label anchored on its START disc likewise beside the
// disc. A point label needs its symbol's box free as well and takes it, so no later label
// covers a labelled point. The selected features' labels (FrameOptions::labelsFirst) go
// first, whatever their layer's priority and scale limit. No label goes over the bottom band
// (scale bar, attribution) or a decoration's box (keepClear): a label that would run under
// the legend panel takes another spot or is left out, as one crowded out by another label.
void MapFrame::Impl::placeLabels(const DrawnLayers& drawn, const View& view, const FrameOptions& o,
                                 const std::vector<Bounds>& keepClear) {
  const float r = o.pixelRatio;
  // The scale a reader sees, per logical pixel: an export at 2x DPI (pixelRatio 2) shows
  // the labels of the view it was made from.
  const double scale =
      metresPerPixel > 0 && std::isfinite(metresPerPixel) ? scaleDenominator(metresPerPixel * r) : 0.0;
  const TimeFilter time(o.day, o.timeMode, o.windowDays);
  const double W = view.widthPx, H = view.heightPx;
  // 8 bytes, not 48: a million labelled points in view make a million candidates (issue 11).
  // Their rank and pixel place are worked out again when needed (rankOf, pxOf).
  struct Candidate {
    uint32_t feature;
    uint32_t layer;  // index in `drawn`, with kSelected set for a selected feature
  };
  constexpr uint32_t kSelected = 0x80000000u;
  std::vector<Candidate> candidates;
  std::vector<int> priorities(drawn.size(), 0);
  // Each drawn layer's label columns, read in place (PreparedLayer::labelField).
  struct LabelColumns {
    const AttributeColumn* primary = nullptr;
    const AttributeColumn* secondary = nullptr;
    bool empty(size_t f) const {
      return !primary || f >= primary->size() || primary->isNull[f] ||
             (primary->type == FieldType::String && primary->strings[f].empty());
    }
    std::string first(size_t f) const { return primary && f < primary->size() ? primary->text(f) : std::string(); }
    std::string second(size_t f) const {
      return secondary && f < secondary->size() ? secondary->text(f) : std::string();
    }
  };
  std::vector<LabelColumns> columns(drawn.size());
  constexpr int kSelectedPriority = std::numeric_limits<int>::max();
  for (size_t i = 0; i < drawn.size(); ++i) {
    const Layer& l = *drawn[i].first;
    const PreparedLayer& p = *drawn[i].second;
    priorities[i] = l.style.labelPriority;
    if (!p.hasLabels()) continue;
    LabelColumns& cols = columns[i];
    cols.primary = l.table.column(p.labelField);
    if (!p.labelSecondaryField.empty()) cols.secondary = l.table.column(p.labelSecondaryField);
    if (!cols.primary) continue;
    std::vector<size_t> first;  // this layer's selected features
    for (const auto& [id, f] : o.labelsFirst)
      if (id == l.id) first.push_back(f);
    const bool inScale = !(l.style.labelMaxScale > 0 && scale > l.style.labelMaxScale);
    if (!inScale && first.empty()) continue;
    auto consider = [&](size_t f, bool selected) {
      if (f >= p.geometry.featureCount() || cols.empty(f)) return;
      const Vec2 a = p.labelAnchorAt(f);
      if (!std::isfinite(a.x) || !std::isfinite(a.y)) return;
      if (f < p.startDay.size() && !filterShows(p.startDay[f], p.endDay[f], time)) return;
      const Vec2 px = view.toPixel(a);
      if (!(px.x >= 0 && px.y >= 0 && px.x <= W && px.y <= H)) return;
      candidates.push_back({uint32_t(f), uint32_t(i) | (selected ? kSelected : 0u)});
    };
    for (size_t f : first) consider(f, true);
    if (!inScale) continue;
    for (size_t f = 0; f < p.geometry.featureCount(); ++f)
      if (std::find(first.begin(), first.end(), f) == first.end()) consider(f, false);
  }
  if (candidates.empty()) return;
  auto layerOf = [&](const Candidate& c) { return size_t(c.layer & ~kSelected); };
  auto rankOf = [&](const Candidate& c) {
    const size_t i = layerOf(c);
    return LabelRank{(c.layer & kSelected) ? kSelectedPriority : priorities[i], drawn.size() - 1 - i, c.feature};
  };
  auto pxOf = [&](const Candidate& c) { return view.toPixel(drawn[layerOf(c)].second->labelAnchorAt(c.feature)); };
  std::sort(candidates.begin(), candidates.end(),
            [&](const Candidate& a, const Candidate& b) { return rankedBefore(rankOf(a), rankOf(b)); });

  // Cells of about a label's width: a test then looks at a handful of boxes.
  CollisionGrid grid(W, H, 64.0 * r);
  // The scale bar and the attribution along the bottom edge are laid out after the labels
  // (section 5), so their room is kept here: 40 px for the bar with its text; for the
  // attribution at most a 14 px line per distinct " · " part of the layers' attributions
  // plus the sample notice (MapDecorations joins parts onto lines where they fit).
  double bottomPx = o.scaleBar ? 40.0 * r : 0.0;
  if (o.attribution) {
    std::set<std::string_view> parts;
    bool sample = false;
    for (const auto& d : drawn) {
      sample = sample || d.first->isSample;
      for (std::string_view rest = d.first->attribution; !rest.empty();) {
        const size_t cut = rest.find(" · ");
        parts.insert(rest.substr(0, cut));
        rest = cut == std::string_view::npos ? std::string_view() : rest.substr(cut + std::string_view(" · ").size());
      }
    }
    bottomPx = std::max(bottomPx, (6.0 + 14.0 * double(parts.size() + (sample ? 1 : 0))) * r);
  }
  if (bottomPx > 0) grid.insert({0, H - bottomPx, W, H + 1});
  for (const Bounds& b : keepClear) grid.insert(b);
  auto inFrame = [&](const Bounds& b) { return b.minX >= 0 && b.minY >= 0 && b.maxX <= W && b.maxY <= H; };

  // Per layer with candidates: its styles (areas 17 px bold, points 12 px, second lines 12 px
  // regular) and its size cache.
  TextStyle base;
  base.haloColor = Rgba{255, 255, 255, 230};
  base.haloWidthPx = 2.0f * r;
  struct LayerLabels {
    TextStyle primary, secondary;
    LabelSizes* sizes = nullptr;
  };
  std::vector<LayerLabels> per(drawn.size());
  for (const Candidate& c : candidates) {
    const PreparedLayer& p = *drawn[layerOf(c)].second;
    LayerLabels& lab = per[layerOf(c)];
    if (lab.sizes) continue;
    const bool point = p.kind == GeometryKind::Point;
    lab.primary = leftTop(base);
    lab.primary.color = point ? Rgba{45, 45, 45, 255} : Rgba{30, 30, 30, 255};
    lab.primary.font = point ? font(false, 12.0f * r) : font(true, 17.0f * r);
    lab.secondary = leftTop(base);
    lab.secondary.color = Rgba{70, 70, 70, 255};
    lab.secondary.font = font(false, 12.0f * r);
    lab.sizes = &labelSizes[p.layerId];
    // A layer's features change only with its generation; a cache grown past a few hundred
    // thousand labels (a huge layer panned end to end) starts again.
    if (lab.sizes->generation != p.generation || lab.sizes->primaryFont != lab.primary.font ||
        lab.sizes->secondaryFont != lab.secondary.font || lab.sizes->byFeature.size() > 200000)
      *lab.sizes = {p.generation, lab.primary.font, lab.secondary.font, {}};
  }
  // Drawn layers that left the frame's list take their sizes with them.
  for (auto it = labelSizes.begin(); it != labelSizes.end();)
    it = std::any_of(drawn.begin(), drawn.end(), [&](const auto& d) { return d.second->layerId == it->first; })
             ? std::next(it)
             : labelSizes.erase(it);

  // Where a candidate's label goes: beside its symbol (points, and a line labelled on its
  // START disc) or centred on its anchor (areas, other lines).
  struct Spot {
    bool besideSymbol = false;
    uint8_t shape = 0;
    float sizePx = 0;
    Bounds symbol;  // beside a symbol: the symbol's box, which the label must not cover
  };
  auto spotOf = [&](const Candidate& c, Vec2 px) {
    const PreparedLayer& p = *drawn[layerOf(c)].second;
    const size_t f = size_t{c.feature};
    Spot s;
    s.sizePx = p.pointSizeAt(f, kDefaultPointSizePx);
    s.besideSymbol = p.kind == GeometryKind::Point;
    s.shape = p.pointSymbol;
    if (!s.besideSymbol && p.kind == GeometryKind::Line && (p.lineMarkers & BCMAP_LINE_MARKER_START)) {
      const GeometryColumn& g = p.geometry;
      if (f + 1 < g.featureParts.size() && g.featureParts[f] < g.featureParts[f + 1]) {
        const uint32_t v = g.ringVertices[g.partRings[g.featureParts[f]]];
        if (v < g.xy.size() &&
            anchoredOnMarker(px, view.toPixel(g.xy[v]), symbolReachPx(s.sizePx, BCMAP_SYMBOL_CIRCLE, r))) {
          s.besideSymbol = true;
          s.shape = BCMAP_SYMBOL_CIRCLE;  // START markers are discs (MapRendererUpload)
        }
      }
    }
    if (s.besideSymbol) {
      const double radius = symbolReachPx(s.sizePx, s.shape, r);
      s.symbol = {px.x - radius, px.y - radius, px.x + radius, px.y + radius};
    }
    return s;
  };
  // A label whose symbol is covered is never placed, so it is never measured: a million
  // dense points measure only the few thousand that find room, and the size cache holds only
  // those (issue 11: a size per point was 90 MB at 1M points). Names not measured yet go
  // into their atlases in batches per font, read ahead among the candidates that could
  // still be placed, so a first frame of 900 new names rebuilds each atlas once, not per name.
  // The read-ahead starts short and doubles with each batch: the first labels of a dense
  // layer soon cover most symbols, so a long first batch would measure labels never placed.
  size_t measureAheadCount = 32;
  constexpr size_t kMeasureAheadMax = 4096;
  auto measureAhead = [&](size_t from) {
    const size_t kMeasureAhead = measureAheadCount;
    measureAheadCount = std::min(measureAheadCount * 2, kMeasureAheadMax);
    std::map<int, std::string> unmeasured;  // font id -> the texts to add to its atlas
    std::vector<size_t> batch;
    for (size_t j = from; j < candidates.size() && batch.size() < kMeasureAhead; ++j) {
      const Candidate& c = candidates[j];
      const LayerLabels& lab = per[layerOf(c)];
      const size_t f = size_t{c.feature};
      if (lab.sizes->byFeature.count(f)) continue;
      const Spot s = spotOf(c, pxOf(c));
      if (s.besideSymbol && grid.overlaps(s.symbol)) continue;
      unmeasured[lab.primary.font] += columns[layerOf(c)].first(f);
      if (columns[layerOf(c)].secondary) unmeasured[lab.secondary.font] += columns[layerOf(c)].second(f);
      batch.push_back(j);
    }
    for (const auto& [id, texts] : unmeasured)
      for (const auto& [key, fontId] : fontIds)
        if (fontId == id) {
          std::string err;
          if (!atlases.at(key)->addText(texts, &err)) logError("map labels: " + err);
        }
    for (size_t j : batch) {
      const Candidate& c = candidates[j];
      const LayerLabels& lab = per[layerOf(c)];
      const size_t f = size_t{c.feature};
      lab.sizes->byFeature.emplace(f, measureLabel(text, columns[layerOf(c)].first(f), lab.primary,
                                                   columns[layerOf(c)].second(f), lab.secondary));
      ++timings.labelsMeasured;
    }
  };

  for (size_t i = 0; i < candidates.size(); ++i) {
    const Candidate& c = candidates[i];
    const Layer& l = *drawn[layerOf(c)].first;
    const LayerLabels& lab = per[layerOf(c)];
    const size_t f = size_t{c.feature};
    const Vec2 px = pxOf(c);
    const Spot spot = spotOf(c, px);
    if (spot.besideSymbol && grid.overlaps(spot.symbol)) continue;
    auto known = lab.sizes->byFeature.find(f);
    if (known == lab.sizes->byFeature.end()) {
      measureAhead(i);
      known = lab.sizes->byFeature.find(f);
    }
    if (known == lab.sizes->byFeature.end()) continue;  // not reached: measureAhead(i) measures i
    const LabelBlock block(known->second, 1.0 * r);
    if (block.empty()) continue;
    std::optional<LabelPlacement> chosen;
    if (!spot.besideSymbol) {
      const LabelPlacement at = block.at(px, LabelSpot::Centre, 0);
      if (inFrame(at.box) && !grid.overlaps(at.box)) chosen = at;
    } else {
      for (LabelSpot ls : kPointLabelSpots) {
        const LabelPlacement at = block.at(px, ls, labelGapPx(spot.sizePx, spot.shape, r));
        if (inFrame(at.box) && !grid.overlaps(at.box)) {
          chosen = at;
          break;
        }
      }
    }
    if (!chosen) continue;
    grid.insert(chosen->box);
    grid.insert(spot.symbol);  // empty for areas: ignored
    const std::string first = columns[layerOf(c)].first(f);
    text.addText(first, chosen->primaryAt, lab.primary);
    if (block.hasSecondary()) text.addText(columns[layerOf(c)].second(f), chosen->secondaryAt, lab.secondary);
    labels.push_back({l.id, f, first, chosen->box});
  }
}

}  // namespace bcmap
