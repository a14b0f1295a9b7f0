// MapRenderer.cpp — sections: symbol reach and time bounds, lifecycle (programs), layer
// queries, drawing (beginFrame; drawLayer picks the passes, the LOD suffix and the point runs
// in view). Upload is in MapRendererUpload.cpp, the passes in MapRendererPasses.cpp, the GL
// helpers in MapRendererGpu.cpp, the LOD order in PointLodOrder.cpp (see MapRendererGpu.h).
#include "render/MapRenderer.h"

#include <algorithm>
#include <array>
#include <cmath>
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

void MapRenderer::remove(const std::string& layerId) { layers_.erase(layerId); }

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

  switch (g.kind) {
    case GeometryKind::Polygon: {
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
      g.lastDraw.pointsLod = count;
      // View culling by runs, margin: the largest symbol, its antialiasing and the halo.
      const Bounds wb = view.worldBounds();
      const double margin =
          ((g.points.maxSizePx * pr + (kHighlightHaloPx + 2 * kHighlightEdgePx) * pr) * 0.5 * symbolExtent(g.points.symbol) + 1.0) *
          view.unitsPerPixel;
      const double minX = wb.minX - g.stats.origin.x - margin, maxX = wb.maxX - g.stats.origin.x + margin;
      const double minY = wb.minY - g.stats.origin.y - margin, maxY = wb.maxY - g.stats.origin.y + margin;
      std::vector<PointRange> ranges;
      const size_t drawFirst = n - count;
      for (size_t r = drawFirst / kPointRun; r < g.runBounds.size(); ++r) {
        const auto& b = g.runBounds[r];
        if (b[2] < minX || b[0] > maxX || b[3] < minY || b[1] > maxY) continue;
        const size_t first = std::max(drawFirst, r * kPointRun), end = std::min(n, r * kPointRun + kPointRun);
        if (!ranges.empty() && ranges.back().first + ranges.back().count == first)
          ranges.back().count += end - first;
        else
          ranges.push_back({first, end - first});
      }
      if (main) drawPoints(g, g.points, u, options.opacity, pr, ranges, 0.0f, nullptr);
      if (hl) {
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
