// MapRendererUpload.cpp — MapRenderer::upload: a PreparedLayer into GL buffers. Sections:
// helpers (offsets, polylines), upload (polygons: fill and outlines; lines and their end
// markers; points in LOD order with their run boxes); points on the CPU (any thread) and
// into buffers, and the background upload of big point layers.
#include "render/MapRendererGpu.h"

#include <bcmap/bcmap_plugin.h>  // BCMAP_LINE_MARKER_*, BCMAP_SYMBOL_CIRCLE

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <tuple>
#include <utility>
#include <vector>

namespace bcmap {

using map_gpu::FillVertex;
using map_gpu::PointOrder;
using map_gpu::PointInstance;
using map_gpu::PointPosition;
using map_gpu::SegmentInstance;
using map_gpu::copyColor;
using map_gpu::fillAttributes;
using map_gpu::kPointRun;
using map_gpu::lodOrder;
using map_gpu::makeArrayBuffer;
using map_gpu::pointAttributes;
using map_gpu::segmentAttributes;

namespace {

// ---- helpers ---------------------------------------------------------------------------------

using Pt = std::array<float, 2>;

// Open ends become the extreme ints so the shaders need no test for them (GpuTimeBounds).
constexpr int32_t kOpenStart = std::numeric_limits<int32_t>::min();  // == kNoDay
constexpr int32_t kOpenEnd = std::numeric_limits<int32_t>::max();
// Neutral grey for features without a resolved colour (a layer whose style did not fill
// `fill`): visible on the light and dark backgrounds alike.
constexpr Rgba kMissingColor{128, 128, 128, 255};
// Layers with fewer points keep their order and are drawn whole: 65536 4 px points take
// about 15 ms on llvmpipe, not worth changing which point lands on top.
constexpr size_t kLodMinPoints = 65536;

bool finite(Vec2 p) { return std::isfinite(p.x) && std::isfinite(p.y); }

// Index ranges from GeometryColumn offsets, clamped so a malformed column cannot make us
// read past its arrays.
template <class Offsets>  // OffsetColumn, or the triangles' plain vector
std::pair<size_t, size_t> range(const Offsets& offsets, size_t i, size_t limit) {
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

}  // namespace

// ---- upload ---------------------------------------------------------------------------------

void MapRenderer::upload(const PreparedLayer& layer) {
  uint64_t previousUploads = 0;
  if (auto it = layers_.find(layer.layerId); it != layers_.end()) {
    if (it->second->stats.generation == layer.generation) return;
    previousUploads = it->second->stats.uploads;
  }

  if ((layer.kind != GeometryKind::None ? layer.kind : layer.geometry.kind) == GeometryKind::Point) {
    PointBuffers buffers;
    std::unique_ptr<GpuLayer> g = pointsOnCpu(layer, buffers);
    size_t copied = 0;
    pointsToGpu(*g, buffers, copied, SIZE_MAX);
    g->stats.uploads = previousUploads + 1;
    layers_[layer.layerId] = std::move(g);
    return;
  }
  std::unique_ptr<GpuLayer> g = newGpuLayer(layer);
  const GeometryColumn& geo = layer.geometry;
  g->stats.uploads = previousUploads + 1;
  const size_t featureCount = g->featureCount;
  const Vec2 origin = g->stats.origin;
  auto local = [&](Vec2 p) { return Pt{float(p.x - origin.x), float(p.y - origin.y)}; };
  auto span = [&](size_t f) {
    int32_t start = f < layer.startDay.size() ? layer.startDay[f] : kNoDay;
    int32_t end = f < layer.endDay.size() ? layer.endDay[f] : kNoDay;
    return std::pair<int32_t, int32_t>{start == kNoDay ? kOpenStart : start,
                                       end == kNoDay ? kOpenEnd : end};
  };
  auto featureColor = [&](size_t f) {
    const Rgba* c = layer.fillAt(f);
    return c ? *c : kMissingColor;
  };
  auto sizeOf = [&](size_t f) { return layer.pointSizeAt(f, kDefaultPointSizePx); };

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
    // The indices name geometry.xy, then the even-odd fill's own corners (fillXy).
    std::vector<FillVertex> vertices;
    std::vector<uint32_t> indices;
    const size_t fillVertexCount = geo.xy.size() + layer.fillXy.size();
    auto fillVertex = [&](uint32_t i) { return i < geo.xy.size() ? geo.xy[i] : layer.fillXy[i - geo.xy.size()]; };
    std::vector<uint32_t> stamp(fillVertexCount, std::numeric_limits<uint32_t>::max());
    std::vector<uint32_t> remap(fillVertexCount, 0);
    g->featureIndexStart.assign(1, 0);
    for (size_t f = 0; f < featureCount; ++f) {
      const Rgba color = featureColor(f);
      const auto [start, end] = span(f);
      const auto [t0, t1] = range(layer.featureTriangles, f, layer.triangles.size());
      for (size_t t = t0; t + 3 <= t1; t += 3) {
        const uint32_t tri[3] = {layer.triangles[t], layer.triangles[t + 1], layer.triangles[t + 2]};
        bool ok = true;
        for (uint32_t i : tri) ok = ok && i < fillVertexCount && finite(fillVertex(i));
        if (!ok) continue;
        for (uint32_t i : tri) {
          if (stamp[i] != uint32_t(f)) {
            stamp[i] = uint32_t(f);
            remap[i] = uint32_t(vertices.size());
            FillVertex v{};
            const Pt q = local(fillVertex(i));
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
    // Markers: one a part at its first (START) and last (END) vertex.
    const bool startMarkers = (layer.lineMarkers & BCMAP_LINE_MARKER_START) != 0;
    const bool endMarkers = (layer.lineMarkers & BCMAP_LINE_MARKER_END) != 0;
    const float endSizePx = layer.lineEndMarkerPx > 0 ? layer.lineEndMarkerPx : kDefaultPointSizePx;
    std::vector<PointInstance> starts, ends;
    g->startMarkers.featureStart.assign(1, 0);
    g->endMarkers.featureStart.assign(1, 0);
    auto marker = [](const Pt& at, float sizePx, Rgba color, std::pair<int32_t, int32_t> time) {
      PointInstance m{};
      m.x = at[0];
      m.y = at[1];
      m.size = sizePx;
      copyColor(m.rgba, color);
      std::tie(m.startDay, m.endDay) = time;
      return m;
    };
    for (size_t f = 0; f < featureCount; ++f) {
      const auto [start, end] = span(f);
      const Rgba color = layer.fill.empty() ? layer.stroke : featureColor(f);
      forEachRing(f, [&](std::vector<Pt>& pts) {
        if (!pts.empty() && startMarkers) starts.push_back(marker(pts.front(), sizeOf(f), color, span(f)));
        if (!pts.empty() && endMarkers) ends.push_back(marker(pts.back(), endSizePx, layer.stroke, span(f)));
        bool closed = pts.size() > 3 && pts.front() == pts.back();
        if (closed) pts.pop_back();
        appendPolyline(segments, pts, closed, color, start, end);
      });
      g->featureSegmentStart.push_back(uint32_t(segments.size()));
      g->startMarkers.featureStart.push_back(uint32_t(starts.size()));
      g->endMarkers.featureStart.push_back(uint32_t(ends.size()));
    }
    g->startMarkers.symbol = BCMAP_SYMBOL_CIRCLE;
    g->endMarkers.symbol = layer.pointSymbol;
    g->startMarkers.upload(starts);
    g->endMarkers.upload(ends);
    g->stats.markers = starts.size() + ends.size();
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


// ---- points: on the CPU (any thread), then into buffers ---------------------------------------

std::unique_ptr<MapRenderer::GpuLayer> MapRenderer::newGpuLayer(const PreparedLayer& layer) {
  auto g = std::make_unique<GpuLayer>();
  const GeometryColumn& geo = layer.geometry;
  g->kind = layer.kind != GeometryKind::None ? layer.kind : geo.kind;
  g->stroke = layer.stroke;
  g->strokeWidthPx = layer.strokeWidthPx;
  g->stats.generation = layer.generation;
  g->featureCount = geo.featureParts.empty() ? 0 : geo.featureParts.size() - 1;
  Bounds b;
  for (const Vec2& p : geo.xy) {
    if (finite(p))
      b.add(p);
    else
      ++g->stats.skippedVertices;
  }
  g->stats.origin = b.empty() ? Vec2{} : Vec2{(b.minX + b.maxX) * 0.5, (b.minY + b.maxY) * 0.5};
  return g;
}

// Everything a point layer needs but GL: LOD order, run boxes, slots, the instances. Reads
// only `layer`, so a worker can run it (upload(shared_ptr)).
std::unique_ptr<MapRenderer::GpuLayer> MapRenderer::pointsOnCpu(const PreparedLayer& layer, PointBuffers& out) {
  std::unique_ptr<GpuLayer> g = newGpuLayer(layer);
  const GeometryColumn& geo = layer.geometry;
  const size_t featureCount = g->featureCount;
  const Vec2 origin = g->stats.origin;
  auto local = [&](Vec2 p) { return Pt{float(p.x - origin.x), float(p.y - origin.y)}; };
  auto span = [&](size_t f) {
    int32_t start = f < layer.startDay.size() ? layer.startDay[f] : kNoDay;
    int32_t end = f < layer.endDay.size() ? layer.endDay[f] : kNoDay;
    return std::pair<int32_t, int32_t>{start == kNoDay ? kOpenStart : start,
                                       end == kNoDay ? kOpenEnd : end};
  };
  auto featureColor = [&](size_t f) {
    const Rgba* c = layer.fillAt(f);
    return c ? *c : kMissingColor;
  };
  auto sizeOf = [&](size_t f) { return layer.pointSizeAt(f, kDefaultPointSizePx); };
  // Finite points in upload order, with the feature each came from.
  std::vector<Pt> xy;
  std::vector<uint32_t> featureOf;
  xy.reserve(geo.xy.size());
  featureOf.reserve(geo.xy.size());
  g->featurePointStart.assign(1, 0);
  for (size_t f = 0; f < featureCount; ++f) {
    const auto [p0, p1] = range(geo.featureParts, f, geo.partCount());
    for (size_t p = p0; p < p1; ++p) {
      const auto [r0, r1] = range(geo.partRings, p, geo.ringCount());
      for (size_t r = r0; r < r1; ++r) {
        const auto [v0, v1] = range(geo.ringVertices, r, geo.xy.size());
        for (size_t v = v0; v < v1; ++v) {
          if (!finite(geo.xy[v])) continue;
          xy.push_back(local(geo.xy[v]));
          featureOf.push_back(uint32_t(f));
        }
      }
    }
    g->featurePointStart.push_back(uint32_t(xy.size()));
  }
  const size_t n = xy.size();
  // Do all features share size, colour and time? Then only positions go to the GPU; size
  // and colour, then positions and days.
  bool uniform = true, uniformLook = true;
  PointSet& set = g->points;
  set.count = 0;
  set.symbol = layer.pointSymbol;
  g->minPointSizePx = std::numeric_limits<float>::max();
  for (size_t f = 0; f < featureCount; ++f) {
    const float sz = sizeOf(f);
    g->minPointSizePx = std::min(g->minPointSizePx, sz);
    set.maxSizePx = std::max(set.maxSizePx, sz);
    if (f > 0 && (sz != sizeOf(0) || !(featureColor(f) == featureColor(0)))) uniformLook = false;
    if (f > 0 && span(f) != span(0)) uniform = false;
    if (span(f) != std::pair<int32_t, int32_t>{kOpenStart, kOpenEnd}) g->pointsHaveTime = true;
    g->minPointAlpha = std::min(g->minPointAlpha, featureColor(f).a / 255.0f);
  }
  if (featureCount == 0) g->minPointSizePx = 0;

  // Small layers keep their data order (what is drawn last is on top, as the plugin gave
  // it) and are always drawn whole: LOD would save a few milliseconds at most.
  PointOrder order;
  if (n >= kLodMinPoints) {
    order = lodOrder(xy, std::min(map_gpu::kLodMaxPerCell, map_gpu::lodPerCell(g->minPointAlpha, map_gpu::kLodResidual)));
  } else {
    order.order.resize(n);
    for (size_t k = 0; k < n; ++k) order.order[k] = uint32_t(k);
    order.suffix.fill(uint32_t(n));
  }
  g->lodSuffix = order.suffix;
  g->lodCellUnits = order.cellUnits;
  g->lodPerCell = order.perCell;
  g->pointSlot.resize(n);
  for (size_t k = 0; k < n; ++k) g->pointSlot[order.order[k]] = uint32_t(k);
  // Positions in draw order (one gather), then the run boxes from them in sequence.
  std::vector<PointPosition> positions(n);
  for (size_t k = 0; k < n; ++k) positions[k] = {xy[order.order[k]][0], xy[order.order[k]][1]};
  for (size_t k = 0; k < n; k += kPointRun) {
    std::array<float, 4> box{positions[k].x, positions[k].y, positions[k].x, positions[k].y};
    for (size_t j = k; j < std::min(n, k + kPointRun); ++j) {
      const PointPosition& q = positions[j];
      box = {std::min(box[0], q.x), std::min(box[1], q.y), std::max(box[2], q.x), std::max(box[3], q.y)};
    }
    g->runBounds.push_back(box);
  }

  g->stats.points = n;
  set.count = n;
  // The instances: positions alone when every point is drawn alike, positions and days
  // when only their times differ, else whole ones.
  using map_gpu::PointLayout;
  set.layout = featureCount == 0 || !uniformLook ? PointLayout::Instances
               : uniform                         ? PointLayout::Positions
                                                 : PointLayout::PositionsTime;
  if (set.layout != PointLayout::Instances) {
    PointInstance& c = set.constant;
    c.size = sizeOf(0);
    copyColor(c.rgba, featureColor(0));
    std::tie(c.startDay, c.endDay) = span(0);
  }
  g->stats.pointBytes = n * map_gpu::pointStride(set.layout);
  if (set.layout == PointLayout::Positions) {
    out.positions = std::move(positions);
  } else if (set.layout == PointLayout::PositionsTime) {
    out.positionsTime.resize(n);
    for (size_t k = 0; k < n; ++k) {
      map_gpu::PointPositionTime& p = out.positionsTime[k];
      p.x = positions[k].x;
      p.y = positions[k].y;
      std::tie(p.startDay, p.endDay) = span(featureOf[order.order[k]]);
    }
  } else {
    out.points.resize(n);
    for (size_t k = 0; k < n; ++k) {
      const uint32_t i = order.order[k];
      const size_t f = featureOf[i];
      PointInstance& inst = out.points[k];
      inst.x = positions[k].x;
      inst.y = positions[k].y;
      inst.size = sizeOf(f);
      copyColor(inst.rgba, featureColor(f));
      std::tie(inst.startDay, inst.endDay) = span(f);
    }
  }
  return g;
}

bool MapRenderer::pointsToGpu(GpuLayer& g, PointBuffers& buffers, size_t& copied, size_t maxBytes) {
  PointSet& set = g.points;
  if (set.count > 0) {
    const void* data = set.layout == map_gpu::PointLayout::Positions       ? static_cast<const void*>(buffers.positions.data())
                       : set.layout == map_gpu::PointLayout::PositionsTime ? static_cast<const void*>(buffers.positionsTime.data())
                                                                            : static_cast<const void*>(buffers.points.data());
    const size_t bytes = set.count * map_gpu::pointStride(set.layout);
    if (!set.vbo) {
      // The buffer made at its size, then filled in pieces (a background upload: one piece
      // a UI frame, since llvmpipe's copy of a 10M-point buffer takes 200-300 ms).
      glGenBuffers(1, &set.vbo);
      glBindBuffer(GL_ARRAY_BUFFER, set.vbo);
      glBufferData(GL_ARRAY_BUFFER, GLsizeiptr(bytes), nullptr, GL_STATIC_DRAW);
      copied = 0;
    } else {
      glBindBuffer(GL_ARRAY_BUFFER, set.vbo);
    }
    const size_t piece = std::min(maxBytes, bytes - copied);
    if (piece > 0)
      glBufferSubData(GL_ARRAY_BUFFER, GLintptr(copied), GLsizeiptr(piece), static_cast<const uint8_t*>(data) + copied);
    copied += piece;
    if (copied < bytes) {
      glBindBuffer(GL_ARRAY_BUFFER, 0);
      return false;
    }
    glGenVertexArrays(1, &set.vao);
    glBindVertexArray(set.vao);
    pointAttributes(0, set.layout);
    glBindVertexArray(0);
  }
  glBindBuffer(GL_ARRAY_BUFFER, 0);
  buffers = {};
  return true;
}

bool MapRenderer::uploadReady() const {
  return std::any_of(pending_.begin(), pending_.end(), [](const auto& p) { return p.second->ready(); });
}

void MapRenderer::upload(const std::shared_ptr<const PreparedLayer>& layer) {
  // Outdated background uploads go once their worker is done (a future from std::async
  // waits for it when destroyed: never on this thread).
  std::erase_if(retired_, [](const auto& r) { return r->ready(); });
  const std::string& id = layer->layerId;
  auto pit = pending_.find(id);
  if (pit != pending_.end() && pit->second->generation != layer->generation) {
    retired_.push_back(std::move(pit->second));
    pending_.erase(pit);
    pit = pending_.end();
  }
  const bool points = (layer->kind != GeometryKind::None ? layer->kind : layer->geometry.kind) == GeometryKind::Point;
  auto it = layers_.find(id);
  const bool current = it != layers_.end() && it->second->stats.generation == layer->generation;
  if (current || !backgroundUpload_ || !points || layer->geometry.xy.size() < kBackgroundUploadPoints) {
    if (pit != pending_.end()) {
      retired_.push_back(std::move(pit->second));
      pending_.erase(pit);
    }
    upload(*layer);
    return;
  }
  if (pit == pending_.end()) {
    auto job = std::make_unique<PendingUpload>();
    job->generation = layer->generation;
    job->layer = layer;
    job->result = std::async(std::launch::async, [layer] {
      PendingUpload::Result r;
      r.g = pointsOnCpu(*layer, r.buffers);
      return r;
    });
    pending_[id] = std::move(job);
    return;
  }
  PendingUpload& job = *pit->second;
  if (!job.ready()) return;  // the earlier upload, if any, is drawn meanwhile
  if (!job.taken) job.taken = job.result.get();
  // One piece a call: the viewer draws again while uploadReady() (MapRenderer.h).
  if (!pointsToGpu(*job.taken->g, job.taken->buffers, job.copied, uploadPieceBytes_)) return;
  std::unique_ptr<GpuLayer> g = std::move(job.taken->g);
  pending_.erase(pit);
  g->stats.uploads = (it != layers_.end() ? it->second->stats.uploads : 0) + 1;
  layers_[id] = std::move(g);
}

}  // namespace bcmap
