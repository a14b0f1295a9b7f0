// MapRenderer.cpp — sections: the LOD fringe (advanceFringe, at the top), symbol reach and time
// bounds, lifecycle (programs), layer queries, drawing (beginFrame; drawLayer picks the
// passes, the LOD suffix, its fringe and the point runs in view). Upload is in MapRendererUpload.cpp, the passes in MapRendererPasses.cpp, the GL
// helpers in MapRendererGpu.cpp, the LOD order in PointLodOrder.cpp (see MapRendererGpu.h).
#include "render/MapRenderer.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstring>
#include <limits>
#include <utility>
#include <vector>

#include "model/Log.h"
#include "render/MapRendererGpu.h"

namespace bcmap {

using map_gpu::kPointRun;

namespace {

// How far each symbol reaches from its centre, in radii of the circle of the same area
// (bcmap_symbol order; the shapes are in shaders/point.frag): circle 1; square and diamond
// sqrt(pi)/2 * sqrt(2) (half the diagonal of a square of area pi); equilateral triangle
// sqrt(4 pi / (3 sqrt 3)) (its circumradius); five-pointed star with inner radius half the
// outer, sqrt(pi / (5 sin 36deg / 2)) (its outer radius).
constexpr std::array<float, 5> kSymbolExtent = {1.0f, 1.2533141f, 1.2533141f, 1.5551364f, 1.4621915f};
// Highlight: extra outline / line width and point halo, in px. A polygon is highlighted by
// its outline only: tinting the fill would change its colour into another feature's.
constexpr float kHighlightExtraWidthPx = 2.0f;
constexpr float kHighlightHaloPx = 6.0f;
// Under the bright highlight, a dark edge this many px wide on each side (issue 10: the
// yellow ring vanished on a yellow fill, Okabe-Ito's 通榆县): bright on dark reads on every
// fill, light or dark, in every palette.
constexpr float kHighlightEdgePx = 2.0f;
constexpr Rgba kHighlightEdge{20, 20, 20, 230};
// A LOD suffix is drawn only when it leaves out at least this share of the points; above
// it the layer is not dense enough for the saving to matter and it is drawn whole.
constexpr double kLodMinSaving = 0.2;
// How far inside its nominal radius each symbol surely covers, in radii (its inscribed
// circle, a little less: square and diamond sqrt(pi)/2, triangle half its circumradius,
// the star its inner radius times cos 36deg, rounded down).
constexpr std::array<float, 5> kSymbolInside = {1.0f, 0.88f, 0.88f, 0.77f, 0.45f};
// The fringe asks this many suffix discs over a pixel at most (advanceFringe): 1 and 2 kept
// about the same points (1M points at 4 px, alpha 150: 679k of 1M either way).
constexpr uint32_t kFringeStacked = 2;

// The LOD fringe: which points before `drawFirst` (left out by the suffix) to draw anyway.
// The crowded-cell rule (PointLodOrder.h) keeps the inside of dense points exact, but
// along their edge a left-out disc may stick out past the suffix's: paper shows where the
// full picture has a point (1M 8 px points in a 1280x800 view: 0.7 % of the map). So: mark
// the pixels that `stacked` suffix discs cover at least half (centre within the radius),
// and keep each left-out point whose reach (its symbol, plus the 1 px ramp's outer half)
// boxes a pixel short of that, found in a summed-area table. Asking every pixel of a
// left-out point to be wholly covered `stacked` deep would be exact by construction but
// keeps nearly every point (the ramps of the suffix leave a little of most pixels open);
// this keeps about 1 % more, and ExactRenderTest measures under 0.01 % of pixels off.
// Positions are computed as point.vert does.
struct FringeInput {
  const uint8_t* data = nullptr;  // the point buffer, mapped
  size_t stride = 0;
  bool constantSize = true;
  float size = 0;             // px at pixelRatio 1, when constantSize
  float scale = 1, offsetX = 0, offsetY = 0, pixelRatio = 1;
  int width = 0, height = 0;
  float inside = 1, reach = 1;  // kSymbolInside, symbolExtent
  uint32_t stacked = 1;
};

// advanceFringe looks at the clock once per this many points (or rows of the table).
constexpr size_t kFringeClockEvery = 4096;

// Advances the fringe until `deadline` (looking at the clock every kFringeClockEvery points,
// so each call gets that far at least), in three phases: the suffix discs rasterised into
// `cover`, the table of the pixels short of `stacked`, the left-out points tested against
// it. Returns true when w.fringe is complete. The runs must be the same from call to call
// (the same view).
bool advanceFringe(map_gpu::FringeWork& w, const FringeInput& in, const std::vector<std::pair<size_t, size_t>>& suffixRuns,
                   const std::vector<std::pair<size_t, size_t>>& belowRuns, std::chrono::steady_clock::time_point deadline) {
  using Phase = map_gpu::FringeWork::Phase;
  const auto wpx = size_t(in.width), hpx = size_t(in.height);
  auto at = [&](size_t k, float& x, float& y, float& radius) {
    const uint8_t* p = in.data + k * in.stride;
    float q[3];
    std::memcpy(q, p, (in.constantSize ? 2 : 3) * sizeof(float));
    x = float(in.width) * 0.5f + (q[0] * in.scale + in.offsetX);
    y = float(in.height) * 0.5f - (q[1] * in.scale + in.offsetY);
    radius = std::max((in.constantSize ? in.size : q[2]) * in.pixelRatio, 1.0f) * 0.5f;
  };
  const auto cap = uint8_t(std::min<uint32_t>(in.stacked, 255));
  size_t spent = 0;
  auto timeUp = [&] { return ++spent % kFringeClockEvery == 0 && std::chrono::steady_clock::now() >= deadline; };
  if (w.phase == Phase::Cover) {
    if (w.cover.size() != wpx * hpx) w.cover.assign(wpx * hpx, 0);
    for (; w.run < suffixRuns.size(); ++w.run, w.at = 0) {
      const auto [first, end] = suffixRuns[w.run];
      for (size_t k = first + w.at; k < end; ++k, ++w.at) {
        if (timeUp()) return false;
        float x, y, radius;
        at(k, x, y, radius);
        const float r = radius * in.inside;
        if (!(r > 0)) continue;
        const int y0 = std::max(0, int(std::ceil(y - r - 0.5f))), y1 = std::min(int(hpx) - 1, int(std::floor(y + r - 0.5f)));
        for (int j = y0; j <= y1; ++j) {
          const float dy = float(j) + 0.5f - y;
          const float half = std::sqrt(std::max(0.0f, r * r - dy * dy));
          const int x0 = std::max(0, int(std::ceil(x - half - 0.5f))), x1 = std::min(int(wpx) - 1, int(std::floor(x + half - 0.5f)));
          uint8_t* row = w.cover.data() + size_t(j) * wpx;
          for (int i = x0; i <= x1; ++i) row[i] = uint8_t(std::min<int>(row[i] + 1, cap));
        }
      }
    }
    w.phase = Phase::Sum;
    w.run = w.at = 0;
    w.shortSum.assign((wpx + 1) * (hpx + 1), 0);
  }
  if (w.phase == Phase::Sum) {
    // shortSum[(j + 1) * (w + 1) + i + 1]: pixels short of `stacked` in [0, i] x [0, j].
    for (size_t& j = w.at; j < hpx; ++j) {
      if (timeUp()) return false;
      uint32_t rowSum = 0;
      for (size_t i = 0; i < wpx; ++i) {
        rowSum += w.cover[j * wpx + i] < cap;
        w.shortSum[(j + 1) * (wpx + 1) + i + 1] = w.shortSum[j * (wpx + 1) + i + 1] + rowSum;
      }
    }
    w.phase = Phase::Below;
    w.run = w.at = 0;
    std::vector<uint8_t>().swap(w.cover);
  }
  if (w.phase == Phase::Below) {
    const auto& sum = w.shortSum;
    for (; w.run < belowRuns.size(); ++w.run, w.at = 0) {
      const auto [first, end] = belowRuns[w.run];
      for (size_t k = first + w.at; k < end; ++k, ++w.at) {
        if (timeUp()) return false;
        float x, y, radius;
        at(k, x, y, radius);
        const float r = radius * in.reach + 0.5f;
        const int x0 = std::max(0, int(std::floor(x - r))), x1 = std::min(int(wpx) - 1, int(std::ceil(x + r)));
        const int y0 = std::max(0, int(std::floor(y - r))), y1 = std::min(int(hpx) - 1, int(std::ceil(y + r)));
        if (x0 > x1 || y0 > y1) continue;
        const uint32_t shortPixels = sum[size_t(y1 + 1) * (wpx + 1) + size_t(x1 + 1)] - sum[size_t(y0) * (wpx + 1) + size_t(x1 + 1)] -
                                     sum[size_t(y1 + 1) * (wpx + 1) + size_t(x0)] + sum[size_t(y0) * (wpx + 1) + size_t(x0)];
        if (shortPixels > 0) w.fringe.push_back(uint32_t(k));
      }
    }
    w.phase = Phase::Done;
    std::vector<uint32_t>().swap(w.shortSum);
  }
  return true;
}

}  // namespace

// ---- symbol reach and time bounds (declared in the header) --------------------------------

float symbolExtent(uint8_t symbol) { return symbol < kSymbolExtent.size() ? kSymbolExtent[symbol] : 1.0f; }

GpuTimeBounds gpuTimeBounds(const TimeFilter& f) {
  constexpr int32_t kMin = std::numeric_limits<int32_t>::min(), kMax = std::numeric_limits<int32_t>::max();
  if (f.day == kNoDay) return {kMin, kMax, kMin};
  switch (f.mode) {
    case TimeMode::Span: return {kMin, f.day, f.day};
    case TimeMode::Cumulative: return {kMin, f.day, kMin};
    case TimeMode::Window: {
      // start > day - windowDays, i.e. start >= day - windowDays + 1, in 64 bits. An open
      // start (INT_MIN) never started in a window: startMin is above it (a window reaching
      // back to INT_MIN starts one above). An empty window (windowDays <= 0) shows nothing.
      const int64_t first = int64_t(f.day) - f.windowDays + 1;
      if (first > f.day) return {kMax, kMin, kMin};
      return {int32_t(std::max<int64_t>(first, int64_t{kMin} + 1)), f.day, kMin};
    }
  }
  return {kMin, kMax, kMin};
}

bool gpuTimeShows(const GpuTimeBounds& b, int32_t start, int32_t end) {
  // As uploaded: open ends are the extreme ints (kNoDay is already INT_MIN).
  if (end == kNoDay) end = std::numeric_limits<int32_t>::max();
  // An open start is INT_MIN: below every startMin but the unfiltered modes' INT_MIN.
  return start >= b.startMin && start <= b.startMax && end >= b.endMin;
}

// ---- lifecycle -----------------------------------------------------------------------------

MapRenderer::MapRenderer() = default;

MapRenderer::~MapRenderer() { shutdown(); }

bool MapRenderer::init(std::string* err) {
  auto programs = std::make_unique<Programs>();
  if (!programs->polygon.build("polygon.vert", "polygon.frag", err)) return false;
  if (!programs->line.build("line.vert", "line.frag", err)) return false;
  programs->polygonLoc.query(programs->polygon);
  programs->lineLoc.query(programs->line);
  programs_ = std::move(programs);
  return true;
}

bool MapRenderer::pointProgramReady() {
  if (programs_->point.valid()) return true;
  if (programs_->pointFailed) return false;
  std::string err;
  if (!programs_->point.build("point.vert", "point.frag", &err)) {
    programs_->pointFailed = true;
    logError("map renderer: point layers are not drawn: " + err);
    return false;
  }
  programs_->pointLoc.query(programs_->point);
  GLfloat range[2] = {1, 1};
  glGetFloatv(GL_POINT_SIZE_RANGE, range);
  programs_->maxPointSizePx = range[1];
  return true;
}

void MapRenderer::shutdown() {
  layers_.clear();
  programs_.reset();
}

// ---- layer queries -----------------------------------------------------------------------------

void MapRenderer::remove(const std::string& layerId) {
  layers_.erase(layerId);
  // A background upload still running for it: left to finish off this thread, then dropped
  // (upload() clears retired_), never installed under the id.
  if (auto it = pending_.find(layerId); it != pending_.end()) {
    retired_.push_back(std::move(it->second));
    pending_.erase(it);
  }
}

std::vector<std::string> MapRenderer::layerIds() const {
  std::vector<std::string> out;
  out.reserve(layers_.size());
  for (const auto& [id, g] : layers_) out.push_back(id);
  return out;
}

bool MapRenderer::hasLayer(const std::string& layerId) const { return layers_.count(layerId) > 0; }

const LayerGpuStats* MapRenderer::stats(const std::string& layerId) const {
  auto it = layers_.find(layerId);
  return it == layers_.end() ? nullptr : &it->second->stats;
}

LayerDrawStats MapRenderer::lastDraw(const std::string& layerId) const {
  auto it = layers_.find(layerId);
  return it == layers_.end() ? LayerDrawStats{} : it->second->lastDraw;
}

// ---- drawing --------------------------------------------------------------------------------

void MapRenderer::beginFrame(const View& view, Rgba background) {
  glBindVertexArray(0);
  glViewport(0, 0, view.widthPx, view.heightPx);
  const float a = background.a / 255.0f;
  // The framebuffer holds premultiplied colour (see the blend function below).
  glClearColor(background.r / 255.0f * a, background.g / 255.0f * a, background.b / 255.0f * a, a);
  glClear(GL_COLOR_BUFFER_BIT);
}

void MapRenderer::drawLayer(const std::string& layerId, const View& view,
                            const LayerDrawOptions& options) {
  if (!programs_ || !options.visible || !(options.opacity > 0.0f)) return;
  auto it = layers_.find(layerId);
  if (it == layers_.end()) return;
  GpuLayer& g = *it->second;
  g.lastDraw = {};
  if (!(view.unitsPerPixel > 0) || !std::isfinite(view.unitsPerPixel) || view.widthPx < 1 ||
      view.heightPx < 1)
    return;

  FrameUniforms u;
  // The one place where large coordinates meet: in double, before anything becomes float.
  u.scale = float(1.0 / view.unitsPerPixel);
  u.offsetPx[0] = float((g.stats.origin.x - view.center.x) / view.unitsPerPixel);
  u.offsetPx[1] = float((g.stats.origin.y - view.center.y) / view.unitsPerPixel);
  u.viewportPx[0] = float(view.widthPx);
  u.viewportPx[1] = float(view.heightPx);
  GLint viewport[4] = {0, 0, 0, 0};
  glGetIntegerv(GL_VIEWPORT, viewport);
  u.viewportOriginPx[0] = float(viewport[0]);
  u.viewportOriginPx[1] = float(viewport[1]);
  u.time = gpuTimeBounds(options.timeFilter());

  glEnable(GL_BLEND);
  glBlendEquation(GL_FUNC_ADD);
  glBlendFunc(GL_ONE, GL_ONE_MINUS_SRC_ALPHA);  // premultiplied alpha
  glDisable(GL_DEPTH_TEST);
  glDisable(GL_CULL_FACE);

  const float pr = options.pixelRatio > 0 ? options.pixelRatio : 1.0f;
  const std::optional<uint32_t> hl =
      options.highlightedFeature && *options.highlightedFeature < g.featureCount
          ? options.highlightedFeature
          : std::nullopt;
  const bool main = !options.highlightOnly;
  // A slice after the first draws only points (LayerDrawOptions::pointSliceFrom).
  const bool firstSlice = options.pointSliceFrom == 0;

  switch (g.kind) {
    case GeometryKind::Polygon: {
      if (!firstSlice) break;
      const bool outline = options.drawOutline && g.stroke.a > 0 && g.strokeWidthPx > 0;
      // The fringe goes first: every fill then covers the fringes under it, so a fringe
      // shows only where its fill meets what lies below the layer, never as a ghost edge
      // across a feature drawn later (shared edges inside the layer stay aliased).
      if (main && options.drawFill && !outline && options.opacity >= 1.0f)
        drawSegments(g, u, 1.0f, std::nullopt, 0.0f, nullptr, SegmentPass::FillFringe);
      if (main && options.drawFill) drawFill(g, u, options.opacity, std::nullopt, nullptr);
      if (main && outline) drawSegments(g, u, options.opacity, std::nullopt, g.strokeWidthPx * pr, &g.stroke);
      if (hl) {
        const float w = std::max(g.strokeWidthPx, 1.0f) + kHighlightExtraWidthPx;
        drawSegments(g, u, 1.0f, hl, (w + 2 * kHighlightEdgePx) * pr, &kHighlightEdge);
        drawSegments(g, u, 1.0f, hl, w * pr, &options.highlightColor);
      }
      break;
    }
    case GeometryKind::Line:
      if (!firstSlice) break;
      if (main) {
        drawSegments(g, u, options.opacity, std::nullopt, g.strokeWidthPx * pr, nullptr);
        drawLineMarkers(g, u, options.opacity, pr, std::nullopt, 0.0f, nullptr);
      }
      if (hl) {
        const float w = g.strokeWidthPx + 2 * kHighlightExtraWidthPx;
        drawSegments(g, u, 1.0f, hl, (w + 2 * kHighlightEdgePx) * pr, &kHighlightEdge);
        drawLineMarkers(g, u, 1.0f, pr, hl, (kHighlightHaloPx + 2 * kHighlightEdgePx) * pr, &kHighlightEdge);
        drawSegments(g, u, 1.0f, hl, w * pr, &options.highlightColor);
        drawLineMarkers(g, u, 1.0f, pr, hl, kHighlightHaloPx * pr, &options.highlightColor);
        drawSegments(g, u, 1.0f, hl, g.strokeWidthPx * pr, nullptr);
        drawLineMarkers(g, u, 1.0f, pr, hl, 0.0f, nullptr);
      }
      break;
    case GeometryKind::Point: {
      if (!pointProgramReady()) break;
      const size_t n = main ? g.stats.points : 0;
      // Level of detail: the coarsest level whose cells are no wider than the factor times
      // the smallest diameter (cell side at level b: lodCellUnits * 2^(b/2)), drawn as the
      // suffix of the buffer, so what it draws is what lies on top of the full picture.
      // Each cell keeps lodPerCell representatives: enough stacked translucent points that
      // the points under them no longer show (lodPerCell). A layer made more translucent
      // (opacity) than its order was made for is drawn whole.
      size_t count = n;
      const double alpha = std::clamp(double(g.minPointAlpha) * options.opacity, 0.0, 1.0);
      if (options.pointLod && n > 0 && !(g.pointsHaveTime && options.day != kNoDay) &&
          map_gpu::lodPerCell(alpha, map_gpu::kLodResidual) <= g.lodPerCell) {
        const double cellPx = double(options.pointLodCellFactor) * g.minPointSizePx * pr;
        const double cellUnits = cellPx * view.unitsPerPixel;
        if (cellUnits > g.lodCellUnits) {
          const int level = std::min(32, int(std::floor(2.0 * std::log2(cellUnits / g.lodCellUnits))));
          const size_t suffix = g.lodSuffix[size_t(level + 1)];
          if (double(suffix) <= (1.0 - kLodMinSaving) * double(n)) count = suffix;
        }
      }
      // View culling by runs, margin: the largest symbol, its antialiasing and the halo.
      const Bounds wb = view.worldBounds();
      const double margin =
          ((g.points.maxSizePx * pr + (kHighlightHaloPx + 2 * kHighlightEdgePx) * pr) * 0.5 * symbolExtent(g.points.symbol) + 1.0) *
          view.unitsPerPixel;
      const double minX = wb.minX - g.stats.origin.x - margin, maxX = wb.maxX - g.stats.origin.x + margin;
      const double minY = wb.minY - g.stats.origin.y - margin, maxY = wb.maxY - g.stats.origin.y + margin;
      std::vector<PointRange> ranges;
      std::vector<std::pair<size_t, size_t>> suffixRuns, belowRuns;  // [first, end) in view
      size_t drawFirst = n - count;
      const bool fringe = drawFirst > 0 && options.pointLodExact && pointSprites(g.points, pr, 0.0f);
      if (drawFirst > 0 && !fringe && options.pointLodExact) drawFirst = 0;  // quads: no fringe, so every point
      g.lastDraw.pointsLod = n - drawFirst;
      for (size_t r = 0; r < g.runBounds.size() && r * kPointRun < n; ++r) {
        const auto& b = g.runBounds[r];
        if (b[2] < minX || b[0] > maxX || b[3] < minY || b[1] > maxY) continue;
        const size_t start = r * kPointRun, end = std::min(n, start + kPointRun);
        if (start < drawFirst && fringe) belowRuns.emplace_back(start, std::min(end, drawFirst));
        if (end <= drawFirst) continue;
        const size_t first = std::max(drawFirst, start);
        suffixRuns.emplace_back(first, end);
        if (!ranges.empty() && ranges.back().first + ranges.back().count == first)
          ranges.back().count += end - first;
        else
          ranges.push_back({first, end - first});
      }
      std::vector<uint32_t> below;
      if (fringe && !belowRuns.empty()) {
        // The suffix covers most pixels `stacked` deep; the points below it that reach a
        // pixel it does not are drawn first (advanceFringe), so the picture is every point's.
        FringeInput in;
        const PointSet& set = g.points;
        in.stride = map_gpu::pointStride(set.layout);
        in.constantSize = set.layout != map_gpu::PointLayout::Instances;
        in.size = set.constant.size;
        in.scale = u.scale;
        in.offsetX = u.offsetPx[0];
        in.offsetY = u.offsetPx[1];
        in.pixelRatio = pr;
        in.width = view.widthPx;
        in.height = view.heightPx;
        in.inside = set.symbol < kSymbolInside.size() ? kSymbolInside[set.symbol] : 0.45f;
        in.reach = symbolExtent(set.symbol);
        in.stacked = std::min(map_gpu::lodStacked(alpha, map_gpu::kLodResidual), kFringeStacked);
        const map_gpu::FringeKey key{in.scale, in.offsetX, in.offsetY, pr, in.width, in.height, drawFirst, in.stacked};
        map_gpu::FringeWork& work = g.fringeWork;
        if (!work.started || !(work.key == key)) {
          work = {};
          work.started = true;
          work.key = key;
        }
        if (work.phase != map_gpu::FringeWork::Phase::Done) {
          // An earlier slice of this frame may have done part of it; a whole draw does it all.
          const auto deadline = options.fringeSliceMs > 0
                                    ? std::chrono::steady_clock::now() +
                                          std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                              std::chrono::duration<double, std::milli>(options.fringeSliceMs))
                                    : std::chrono::steady_clock::time_point::max();
          glBindBuffer(GL_ARRAY_BUFFER, set.vbo);
          in.data = static_cast<const uint8_t*>(
              glMapBufferRange(GL_ARRAY_BUFFER, 0, GLsizeiptr(n * in.stride), GL_MAP_READ_BIT));
          if (in.data) {
            const bool done = advanceFringe(work, in, suffixRuns, belowRuns, deadline);
            glUnmapBuffer(GL_ARRAY_BUFFER);
            glBindBuffer(GL_ARRAY_BUFFER, 0);
            // A sliced draw that worked on the fringe draws nothing in the same call, even
            // when the fringe is done now: its time went to the fringe (the points' share
            // would make the UI frame twice as long). The next slice draws.
            if (!done || options.fringeSliceMs > 0) {
              g.lastDraw.fringePending = true;
              break;
            }
          } else {
            glBindBuffer(GL_ARRAY_BUFFER, 0);
            // Unreadable (it never was here): every point in view, as without LOD.
            work.fringe.clear();
            for (const auto& [first, end] : belowRuns)
              for (size_t k = first; k < end; ++k) work.fringe.push_back(uint32_t(k));
            work.phase = map_gpu::FringeWork::Phase::Done;
          }
        }
        below = work.fringe;
      }
      // The slice: the fringe, then the runs, counted as one sequence of instances.
      size_t planned = below.size();
      for (const PointRange& r : ranges) planned += r.count;
      g.lastDraw.pointsPlanned = planned;
      const size_t sliceFrom = std::min(options.pointSliceFrom, planned);
      const size_t sliceEnd = sliceFrom + std::min(options.pointSliceCount, planned - sliceFrom);
      g.lastDraw.pointsSliced = sliceEnd - sliceFrom;
      if (sliceFrom > 0 || sliceEnd < planned) {
        std::vector<uint32_t> belowSlice;
        if (sliceFrom < below.size())
          belowSlice.assign(below.begin() + std::ptrdiff_t(sliceFrom),
                            below.begin() + std::ptrdiff_t(std::min(sliceEnd, below.size())));
        std::vector<PointRange> rangesSlice;
        size_t at = below.size();  // where each range starts in the sequence
        for (const PointRange& r : ranges) {
          const size_t lo = std::max(at, sliceFrom), hi = std::min(at + r.count, sliceEnd);
          if (lo < hi) rangesSlice.push_back({r.first + (lo - at), hi - lo});
          at += r.count;
        }
        below = std::move(belowSlice);
        ranges = std::move(rangesSlice);
      }
      if (main) drawPoints(g, g.points, u, options.opacity, pr, ranges, 0.0f, nullptr, &below);
      if (hl && g.lastDraw.pointsSliced + options.pointSliceFrom >= g.lastDraw.pointsPlanned) {
        // The feature's points wherever LOD put them, each drawn on its own.
        std::vector<PointRange> mine;
        for (uint32_t v = g.featurePointStart[*hl]; v < g.featurePointStart[*hl + 1]; ++v)
          mine.push_back({g.pointSlot[v], 1});
        drawPoints(g, g.points, u, 1.0f, pr, mine, (kHighlightHaloPx + 2 * kHighlightEdgePx) * pr, &kHighlightEdge);
        drawPoints(g, g.points, u, 1.0f, pr, mine, kHighlightHaloPx * pr, &options.highlightColor);
        drawPoints(g, g.points, u, 1.0f, pr, mine, 0.0f, nullptr);
      }
      break;
    }
    case GeometryKind::None:
      break;
  }
  glBindVertexArray(0);
  glUseProgram(0);
}

}  // namespace bcmap
