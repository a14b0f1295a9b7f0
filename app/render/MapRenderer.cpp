// MapRenderer.cpp — sections: GPU record layouts, upload (polygons, outlines and lines,
// points), GL buffers, drawing.
#include "render/MapRenderer.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <limits>
#include <utility>
#include <vector>

namespace bcmap {

namespace {

// ---- GPU record layouts (attribute locations match shaders/*.vert) -------------------------

struct FillVertex {
  float x, y;
  uint8_t rgba[4];
  int32_t startDay, endDay;
};
static_assert(sizeof(FillVertex) == 20);

struct SegmentInstance {
  float p0[2], p1[2], prev[2], next[2];
  uint8_t rgba[4];
  int32_t startDay, endDay;
};
static_assert(sizeof(SegmentInstance) == 44);

struct PointInstance {
  float x, y, size;
  uint8_t rgba[4];
  int32_t startDay, endDay;
};
static_assert(sizeof(PointInstance) == 24);

using Pt = std::array<float, 2>;

// Open ends become the extreme ints so the shaders test only start <= day <= end.
constexpr int32_t kOpenStart = std::numeric_limits<int32_t>::min();  // == kNoDay
constexpr int32_t kOpenEnd = std::numeric_limits<int32_t>::max();
// Neutral grey for features without a resolved colour (a layer whose style did not fill
// `fill`): visible on the light and dark backgrounds alike.
constexpr Rgba kMissingColor{128, 128, 128, 255};
// Diameter of a point whose layer has no pointSizePx entry, in px (the SDK's default).
constexpr float kDefaultPointSizePx = 8.0f;
// Highlight: tint alpha over the fill, extra outline / line width and point halo, in px.
constexpr float kHighlightTint = 0.35f;
constexpr float kHighlightExtraWidthPx = 2.0f;
constexpr float kHighlightHaloPx = 6.0f;

const void* byteOffset(size_t bytes) { return reinterpret_cast<const void*>(bytes); }

void copyColor(uint8_t out[4], Rgba c) {
  out[0] = c.r;
  out[1] = c.g;
  out[2] = c.b;
  out[3] = c.a;
}

bool finite(Vec2 p) { return std::isfinite(p.x) && std::isfinite(p.y); }

// Index ranges from GeometryColumn offsets, clamped so a malformed column cannot make us
// read past its arrays.
std::pair<size_t, size_t> range(const std::vector<uint32_t>& offsets, size_t i, size_t limit) {
  if (i + 1 >= offsets.size()) return {0, 0};
  size_t begin = std::min<size_t>(offsets[i], limit);
  size_t end = std::min<size_t>(offsets[i + 1], limit);
  if (end < begin) end = begin;
  return {begin, end};
}

// Appends the segments of one polyline (already deduplicated, finite) to `out`.
void appendPolyline(std::vector<SegmentInstance>& out, const std::vector<Pt>& pts, bool closed,
                    Rgba color, int32_t startDay, int32_t endDay) {
  const size_t n = pts.size();
  if (n < 2) return;
  if (n < 3) closed = false;  // a closed "ring" of two points is just a segment
  const size_t count = closed ? n : n - 1;
  for (size_t i = 0; i < count; ++i) {
    SegmentInstance s{};
    const Pt& a = pts[i];
    const Pt& b = pts[(i + 1) % n];
    // No neighbour: the neighbour point equals the segment's own end (line.vert tests that).
    const Pt& prev = (closed || i > 0) ? pts[(i + n - 1) % n] : a;
    const Pt& next = (closed || i + 2 < n) ? pts[(i + 2) % n] : b;
    s.p0[0] = a[0], s.p0[1] = a[1];
    s.p1[0] = b[0], s.p1[1] = b[1];
    s.prev[0] = prev[0], s.prev[1] = prev[1];
    s.next[0] = next[0], s.next[1] = next[1];
    copyColor(s.rgba, color);
    s.startDay = startDay;
    s.endDay = endDay;
    out.push_back(s);
  }
}

struct Locations {
  GLint scale = -1, offsetPx = -1, viewportPx = -1, viewportOriginPx = -1, filterDay = -1,
        day = -1, opacity = -1, useOverride = -1, overrideColor = -1, halfWidthPx = -1,
        widthAlpha = -1, opaqueOnly = -1, sizeScale = -1, sizeAddPx = -1, ringWidthPx = -1;
  void query(const ShaderProgram& p) {
    scale = p.uniform("u_scale");
    offsetPx = p.uniform("u_offsetPx");
    viewportPx = p.uniform("u_viewportPx");
    viewportOriginPx = p.uniform("u_viewportOriginPx");
    filterDay = p.uniform("u_filterDay");
    day = p.uniform("u_day");
    opacity = p.uniform("u_opacity");
    useOverride = p.uniform("u_useOverride");
    overrideColor = p.uniform("u_overrideColor");
    halfWidthPx = p.uniform("u_halfWidthPx");
    widthAlpha = p.uniform("u_widthAlpha");
    opaqueOnly = p.uniform("u_opaqueOnly");
    sizeScale = p.uniform("u_sizeScale");
    sizeAddPx = p.uniform("u_sizeAddPx");
    ringWidthPx = p.uniform("u_ringWidthPx");
  }
};

void setColorUniform(GLint location, Rgba c) {
  glUniform4f(location, c.r / 255.0f, c.g / 255.0f, c.b / 255.0f, c.a / 255.0f);
}

// ---- GL buffers -------------------------------------------------------------------------------

void fillAttributes(size_t firstVertex) {
  const GLsizei stride = sizeof(FillVertex);
  const size_t base = firstVertex * sizeof(FillVertex);
  glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, stride, byteOffset(base + offsetof(FillVertex, x)));
  glVertexAttribPointer(1, 4, GL_UNSIGNED_BYTE, GL_TRUE, stride,
                        byteOffset(base + offsetof(FillVertex, rgba)));
  glVertexAttribIPointer(2, 2, GL_INT, stride, byteOffset(base + offsetof(FillVertex, startDay)));
  for (GLuint i = 0; i < 3; ++i) glEnableVertexAttribArray(i);
}

// Instanced attributes can start at an instance (GL 3.3 has no base instance), which is
// how one feature's segments or points are drawn for the highlight.
void segmentAttributes(size_t firstInstance) {
  const GLsizei stride = sizeof(SegmentInstance);
  const size_t base = firstInstance * sizeof(SegmentInstance);
  glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, stride, byteOffset(base + offsetof(SegmentInstance, p0)));
  glVertexAttribPointer(1, 2, GL_FLOAT, GL_FALSE, stride, byteOffset(base + offsetof(SegmentInstance, p1)));
  glVertexAttribPointer(2, 2, GL_FLOAT, GL_FALSE, stride, byteOffset(base + offsetof(SegmentInstance, prev)));
  glVertexAttribPointer(3, 2, GL_FLOAT, GL_FALSE, stride, byteOffset(base + offsetof(SegmentInstance, next)));
  glVertexAttribPointer(4, 4, GL_UNSIGNED_BYTE, GL_TRUE, stride,
                        byteOffset(base + offsetof(SegmentInstance, rgba)));
  glVertexAttribIPointer(5, 2, GL_INT, stride, byteOffset(base + offsetof(SegmentInstance, startDay)));
  for (GLuint i = 0; i < 6; ++i) {
    glEnableVertexAttribArray(i);
    glVertexAttribDivisor(i, 1);
  }
}

void pointAttributes(size_t firstInstance) {
  const GLsizei stride = sizeof(PointInstance);
  const size_t base = firstInstance * sizeof(PointInstance);
  glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, stride, byteOffset(base + offsetof(PointInstance, x)));
  glVertexAttribPointer(1, 1, GL_FLOAT, GL_FALSE, stride, byteOffset(base + offsetof(PointInstance, size)));
  glVertexAttribPointer(2, 4, GL_UNSIGNED_BYTE, GL_TRUE, stride,
                        byteOffset(base + offsetof(PointInstance, rgba)));
  glVertexAttribIPointer(3, 2, GL_INT, stride, byteOffset(base + offsetof(PointInstance, startDay)));
  for (GLuint i = 0; i < 4; ++i) {
    glEnableVertexAttribArray(i);
    glVertexAttribDivisor(i, 1);
  }
}

template <typename T>
GLuint makeArrayBuffer(const std::vector<T>& data) {
  GLuint vbo = 0;
  glGenBuffers(1, &vbo);
  glBindBuffer(GL_ARRAY_BUFFER, vbo);
  glBufferData(GL_ARRAY_BUFFER, GLsizeiptr(data.size() * sizeof(T)), data.data(), GL_STATIC_DRAW);
  return vbo;
}

}  // namespace

struct MapRenderer::Programs {
  ShaderProgram polygon, line, point;
  Locations polygonLoc, lineLoc, pointLoc;
};

struct MapRenderer::FrameUniforms {
  float scale = 1;
  float offsetPx[2] = {0, 0};
  float viewportPx[2] = {1, 1};
  float viewportOriginPx[2] = {0, 0};
  int filterDay = 0;
  int day = 0;
};

struct MapRenderer::GpuLayer {
  LayerGpuStats stats;
  GeometryKind kind = GeometryKind::None;
  Rgba stroke;
  float strokeWidthPx = 1.0f;
  size_t featureCount = 0;
  GLuint fillVao = 0, fillVbo = 0, fillIbo = 0;
  GLuint segmentVao = 0, segmentVbo = 0;
  GLuint pointVao = 0, pointVbo = 0;
  // Per feature f: [start[f], start[f+1]) in the index / segment / point buffers.
  std::vector<uint32_t> featureIndexStart, featureSegmentStart, featurePointStart;
  ~GpuLayer() {
    const GLuint vaos[] = {fillVao, segmentVao, pointVao};
    const GLuint buffers[] = {fillVbo, fillIbo, segmentVbo, pointVbo};
    for (GLuint v : vaos)
      if (v) glDeleteVertexArrays(1, &v);
    for (GLuint b : buffers)
      if (b) glDeleteBuffers(1, &b);
  }
};

MapRenderer::MapRenderer() = default;

MapRenderer::~MapRenderer() { shutdown(); }

bool MapRenderer::init(std::string* err) {
  auto programs = std::make_unique<Programs>();
  if (!programs->polygon.build("polygon.vert", "polygon.frag", err)) return false;
  if (!programs->line.build("line.vert", "line.frag", err)) return false;
  if (!programs->point.build("point.vert", "point.frag", err)) return false;
  programs->polygonLoc.query(programs->polygon);
  programs->lineLoc.query(programs->line);
  programs->pointLoc.query(programs->point);
  programs_ = std::move(programs);
  return true;
}

void MapRenderer::shutdown() {
  layers_.clear();
  programs_.reset();
}

// ---- upload ---------------------------------------------------------------------------------

void MapRenderer::upload(const PreparedLayer& layer) {
  uint64_t previousUploads = 0;
  if (auto it = layers_.find(layer.layerId); it != layers_.end()) {
    if (it->second->stats.generation == layer.generation) return;
    previousUploads = it->second->stats.uploads;
  }

  auto g = std::make_unique<GpuLayer>();
  const GeometryColumn& geo = layer.geometry;
  g->kind = layer.kind != GeometryKind::None ? layer.kind : geo.kind;
  g->stroke = layer.stroke;
  g->strokeWidthPx = layer.strokeWidthPx;
  g->stats.generation = layer.generation;
  g->stats.uploads = previousUploads + 1;
  const size_t featureCount = geo.featureParts.empty() ? 0 : geo.featureParts.size() - 1;
  g->featureCount = featureCount;

  // Local origin: the centre of the finite coordinates.
  Bounds b;
  for (const Vec2& p : geo.xy) {
    if (finite(p))
      b.add(p);
    else
      ++g->stats.skippedVertices;
  }
  const Vec2 origin = b.empty() ? Vec2{} : Vec2{(b.minX + b.maxX) * 0.5, (b.minY + b.maxY) * 0.5};
  g->stats.origin = origin;
  auto local = [&](Vec2 p) { return Pt{float(p.x - origin.x), float(p.y - origin.y)}; };
  auto span = [&](size_t f) {
    int32_t start = f < layer.startDay.size() ? layer.startDay[f] : kNoDay;
    int32_t end = f < layer.endDay.size() ? layer.endDay[f] : kNoDay;
    return std::pair<int32_t, int32_t>{start == kNoDay ? kOpenStart : start,
                                       end == kNoDay ? kOpenEnd : end};
  };
  auto featureColor = [&](size_t f) { return f < layer.fill.size() ? layer.fill[f] : kMissingColor; };

  // Walks feature f's rings: visit(points) with the ring's finite layer-local points,
  // consecutive duplicates removed (a zero-length segment has no direction).
  std::vector<Pt> ring;
  auto forEachRing = [&](size_t f, auto&& visit) {
    const auto [p0, p1] = range(geo.featureParts, f, geo.partCount());
    for (size_t p = p0; p < p1; ++p) {
      const auto [r0, r1] = range(geo.partRings, p, geo.ringCount());
      for (size_t r = r0; r < r1; ++r) {
        const auto [v0, v1] = range(geo.ringVertices, r, geo.xy.size());
        ring.clear();
        for (size_t v = v0; v < v1; ++v) {
          if (!finite(geo.xy[v])) continue;
          const Pt q = local(geo.xy[v]);
          if (ring.empty() || ring.back() != q) ring.push_back(q);
        }
        visit(ring);
      }
    }
  };

  std::vector<SegmentInstance> segments;
  g->featureSegmentStart.assign(1, 0);

  if (g->kind == GeometryKind::Polygon) {
    // Fill: each feature gets its own copy of the vertices its triangles use, so that
    // colour and time span can be vertex attributes even where features share vertices.
    std::vector<FillVertex> vertices;
    std::vector<uint32_t> indices;
    std::vector<uint32_t> stamp(geo.xy.size(), std::numeric_limits<uint32_t>::max());
    std::vector<uint32_t> remap(geo.xy.size(), 0);
    g->featureIndexStart.assign(1, 0);
    for (size_t f = 0; f < featureCount; ++f) {
      const Rgba color = featureColor(f);
      const auto [start, end] = span(f);
      const auto [t0, t1] = range(layer.featureTriangles, f, layer.triangles.size());
      for (size_t t = t0; t + 3 <= t1; t += 3) {
        const uint32_t tri[3] = {layer.triangles[t], layer.triangles[t + 1], layer.triangles[t + 2]};
        bool ok = true;
        for (uint32_t i : tri) ok = ok && i < geo.xy.size() && finite(geo.xy[i]);
        if (!ok) continue;
        for (uint32_t i : tri) {
          if (stamp[i] != uint32_t(f)) {
            stamp[i] = uint32_t(f);
            remap[i] = uint32_t(vertices.size());
            FillVertex v{};
            const Pt q = local(geo.xy[i]);
            v.x = q[0];
            v.y = q[1];
            copyColor(v.rgba, color);
            v.startDay = start;
            v.endDay = end;
            vertices.push_back(v);
          }
          indices.push_back(remap[i]);
        }
      }
      g->featureIndexStart.push_back(uint32_t(indices.size()));
    }
    g->stats.fillVertices = vertices.size();
    g->stats.fillIndices = indices.size();
    if (!indices.empty()) {
      glGenVertexArrays(1, &g->fillVao);
      glBindVertexArray(g->fillVao);
      g->fillVbo = makeArrayBuffer(vertices);
      fillAttributes(0);
      glGenBuffers(1, &g->fillIbo);
      glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, g->fillIbo);
      glBufferData(GL_ELEMENT_ARRAY_BUFFER, GLsizeiptr(indices.size() * sizeof(uint32_t)),
                   indices.data(), GL_STATIC_DRAW);
      glBindVertexArray(0);
    }
    // Outlines: every ring, closed. The instances carry the fill colour for the fill's
    // antialiased fringe; the outline pass draws them in the stroke colour (an override).
    for (size_t f = 0; f < featureCount; ++f) {
      const auto [start, end] = span(f);
      forEachRing(f, [&](std::vector<Pt>& pts) {
        if (pts.size() > 1 && pts.front() == pts.back()) pts.pop_back();  // closing vertex
        appendPolyline(segments, pts, true, featureColor(f), start, end);
      });
      g->featureSegmentStart.push_back(uint32_t(segments.size()));
    }
  } else if (g->kind == GeometryKind::Line) {
    // Lines take the feature's resolved colour; a part whose ends meet is a closed loop
    // (joined at its start too).
    for (size_t f = 0; f < featureCount; ++f) {
      const auto [start, end] = span(f);
      const Rgba color = layer.fill.empty() ? layer.stroke : featureColor(f);
      forEachRing(f, [&](std::vector<Pt>& pts) {
        bool closed = pts.size() > 3 && pts.front() == pts.back();
        if (closed) pts.pop_back();
        appendPolyline(segments, pts, closed, color, start, end);
      });
      g->featureSegmentStart.push_back(uint32_t(segments.size()));
    }
  } else if (g->kind == GeometryKind::Point) {
    std::vector<PointInstance> points;
    g->featurePointStart.assign(1, 0);
    for (size_t f = 0; f < featureCount; ++f) {
      const auto [start, end] = span(f);
      const Rgba color = featureColor(f);
      const float size = f < layer.pointSizePx.size() && std::isfinite(layer.pointSizePx[f])
                             ? layer.pointSizePx[f]
                             : kDefaultPointSizePx;
      const auto [p0, p1] = range(geo.featureParts, f, geo.partCount());
      for (size_t p = p0; p < p1; ++p) {
        const auto [r0, r1] = range(geo.partRings, p, geo.ringCount());
        for (size_t r = r0; r < r1; ++r) {
          const auto [v0, v1] = range(geo.ringVertices, r, geo.xy.size());
          for (size_t v = v0; v < v1; ++v) {
            if (!finite(geo.xy[v])) continue;
            const Pt q = local(geo.xy[v]);
            PointInstance inst{};
            inst.x = q[0];
            inst.y = q[1];
            inst.size = size;
            copyColor(inst.rgba, color);
            inst.startDay = start;
            inst.endDay = end;
            points.push_back(inst);
          }
        }
      }
      g->featurePointStart.push_back(uint32_t(points.size()));
    }
    g->stats.points = points.size();
    if (!points.empty()) {
      glGenVertexArrays(1, &g->pointVao);
      glBindVertexArray(g->pointVao);
      g->pointVbo = makeArrayBuffer(points);
      pointAttributes(0);
      glBindVertexArray(0);
    }
  }

  g->stats.segments = segments.size();
  if (!segments.empty()) {
    glGenVertexArrays(1, &g->segmentVao);
    glBindVertexArray(g->segmentVao);
    g->segmentVbo = makeArrayBuffer(segments);
    segmentAttributes(0);
    glBindVertexArray(0);
  }
  glBindBuffer(GL_ARRAY_BUFFER, 0);
  layers_[layer.layerId] = std::move(g);
}

void MapRenderer::remove(const std::string& layerId) { layers_.erase(layerId); }

bool MapRenderer::hasLayer(const std::string& layerId) const { return layers_.count(layerId) > 0; }

const LayerGpuStats* MapRenderer::stats(const std::string& layerId) const {
  auto it = layers_.find(layerId);
  return it == layers_.end() ? nullptr : &it->second->stats;
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
  const GpuLayer& g = *it->second;
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
  u.filterDay = options.day == kNoDay ? 0 : 1;
  u.day = options.day;

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
  Rgba tint = options.highlightColor;
  tint.a = uint8_t(std::lround(tint.a * kHighlightTint));

  switch (g.kind) {
    case GeometryKind::Polygon: {
      const bool outline = options.drawOutline && g.stroke.a > 0 && g.strokeWidthPx > 0;
      // The fringe goes first: every fill then covers the fringes under it, so a fringe
      // shows only where its fill meets what lies below the layer, never as a ghost edge
      // across a feature drawn later (shared edges inside the layer stay aliased).
      if (options.drawFill && !outline && options.opacity >= 1.0f)
        drawSegments(g, u, 1.0f, std::nullopt, 0.0f, nullptr, SegmentPass::FillFringe);
      if (options.drawFill) drawFill(g, u, options.opacity, std::nullopt, nullptr);
      if (outline) drawSegments(g, u, options.opacity, std::nullopt, g.strokeWidthPx * pr, &g.stroke);
      if (hl) {
        drawFill(g, u, 1.0f, hl, &tint);
        drawSegments(g, u, 1.0f, hl, (std::max(g.strokeWidthPx, 1.0f) + kHighlightExtraWidthPx) * pr,
                     &options.highlightColor);
      }
      break;
    }
    case GeometryKind::Line:
      drawSegments(g, u, options.opacity, std::nullopt, g.strokeWidthPx * pr, nullptr);
      if (hl) {
        drawSegments(g, u, 1.0f, hl, (g.strokeWidthPx + 2 * kHighlightExtraWidthPx) * pr,
                     &options.highlightColor);
        drawSegments(g, u, 1.0f, hl, g.strokeWidthPx * pr, nullptr);
      }
      break;
    case GeometryKind::Point:
      drawPoints(g, u, options.opacity, pr, std::nullopt, 0.0f, nullptr);
      if (hl) {
        drawPoints(g, u, 1.0f, pr, hl, kHighlightHaloPx * pr, &options.highlightColor);
        drawPoints(g, u, 1.0f, pr, hl, 0.0f, nullptr);
      }
      break;
    case GeometryKind::None:
      break;
  }
  glBindVertexArray(0);
  glUseProgram(0);
}

namespace {

void setFrameUniforms(const Locations& loc, const float scale, const float* offsetPx,
                      const float* viewportPx, const float* viewportOriginPx, int filterDay,
                      int day) {
  glUniform1f(loc.scale, scale);
  glUniform2f(loc.offsetPx, offsetPx[0], offsetPx[1]);
  glUniform2f(loc.viewportPx, viewportPx[0], viewportPx[1]);
  glUniform2f(loc.viewportOriginPx, viewportOriginPx[0], viewportOriginPx[1]);
  glUniform1i(loc.filterDay, filterDay);
  glUniform1i(loc.day, day);
}

}  // namespace

void MapRenderer::drawFill(const GpuLayer& g, const FrameUniforms& u, float opacity,
                           std::optional<uint32_t> feature, const Rgba* overrideColor) {
  if (!g.fillVao) return;
  size_t first = 0, count = g.stats.fillIndices;
  if (feature) {
    first = g.featureIndexStart[*feature];
    count = g.featureIndexStart[*feature + 1] - first;
  }
  if (count == 0) return;
  const Locations& loc = programs_->polygonLoc;
  programs_->polygon.use();
  setFrameUniforms(loc, u.scale, u.offsetPx, u.viewportPx, u.viewportOriginPx, u.filterDay, u.day);
  glUniform1f(loc.opacity, opacity);
  glUniform1i(loc.useOverride, overrideColor ? 1 : 0);
  if (overrideColor) setColorUniform(loc.overrideColor, *overrideColor);
  glBindVertexArray(g.fillVao);
  glDrawElements(GL_TRIANGLES, GLsizei(count), GL_UNSIGNED_INT, byteOffset(first * sizeof(uint32_t)));
}

void MapRenderer::drawSegments(const GpuLayer& g, const FrameUniforms& u, float opacity,
                               std::optional<uint32_t> feature, float widthPx,
                               const Rgba* overrideColor, SegmentPass pass) {
  if (!g.segmentVao || !(widthPx > 0 || pass == SegmentPass::FillFringe)) return;
  size_t first = 0, count = g.stats.segments;
  if (feature) {
    first = g.featureSegmentStart[*feature];
    count = g.featureSegmentStart[*feature + 1] - first;
  }
  if (count == 0) return;
  const Locations& loc = programs_->lineLoc;
  programs_->line.use();
  setFrameUniforms(loc, u.scale, u.offsetPx, u.viewportPx, u.viewportOriginPx, u.filterDay, u.day);
  // Lines under 1 px keep a 1 px footprint and fade instead (a thinner coverage ramp would
  // break up into dashes).
  if (pass == SegmentPass::FillFringe) {
    // Zero width: coverage is 0.5 on the edge and falls to 0 half a pixel outside, which is
    // what the (aliased) fill is missing outside its edge; inside, the opaque fill drawn
    // next covers it. Translucent features are skipped in line.vert: the fill would not
    // hide the fringe inside the edge, which would show as a darker rim.
    glUniform1f(loc.halfWidthPx, 0.0f);
    glUniform1f(loc.widthAlpha, 1.0f);
  } else {
    glUniform1f(loc.halfWidthPx, std::max(widthPx, 1.0f) * 0.5f);
    glUniform1f(loc.widthAlpha, std::min(widthPx, 1.0f));
  }
  glUniform1i(loc.opaqueOnly, pass == SegmentPass::FillFringe ? 1 : 0);
  glUniform1f(loc.opacity, opacity);
  glUniform1i(loc.useOverride, overrideColor ? 1 : 0);
  if (overrideColor) setColorUniform(loc.overrideColor, *overrideColor);
  glBindVertexArray(g.segmentVao);
  if (first != 0) {
    glBindBuffer(GL_ARRAY_BUFFER, g.segmentVbo);
    segmentAttributes(first);
  }
  glDrawArraysInstanced(GL_TRIANGLE_STRIP, 0, 4, GLsizei(count));
  if (first != 0) segmentAttributes(0);
}

void MapRenderer::drawPoints(const GpuLayer& g, const FrameUniforms& u, float opacity,
                             float pixelRatio, std::optional<uint32_t> feature, float sizeAddPx,
                             const Rgba* overrideColor) {
  if (!g.pointVao) return;
  size_t first = 0, count = g.stats.points;
  if (feature) {
    first = g.featurePointStart[*feature];
    count = g.featurePointStart[*feature + 1] - first;
  }
  if (count == 0) return;
  const Locations& loc = programs_->pointLoc;
  programs_->point.use();
  setFrameUniforms(loc, u.scale, u.offsetPx, u.viewportPx, u.viewportOriginPx, u.filterDay, u.day);
  glUniform1f(loc.sizeScale, pixelRatio);
  glUniform1f(loc.sizeAddPx, sizeAddPx);
  glUniform1f(loc.ringWidthPx, pixelRatio);  // 1 px at pixelRatio 1
  glUniform1f(loc.opacity, opacity);
  glUniform1i(loc.useOverride, overrideColor ? 1 : 0);
  if (overrideColor) setColorUniform(loc.overrideColor, *overrideColor);
  glBindVertexArray(g.pointVao);
  if (first != 0) {
    glBindBuffer(GL_ARRAY_BUFFER, g.pointVbo);
    pointAttributes(first);
  }
  glDrawArraysInstanced(GL_TRIANGLE_STRIP, 0, 4, GLsizei(count));
  if (first != 0) pointAttributes(0);
}

}  // namespace bcmap
