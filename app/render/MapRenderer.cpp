// MapRenderer.cpp — sections: GPU record layouts, symbol reach and time bounds, point order
// for level of detail, GL buffers, upload (polygons, outlines and lines, points), drawing.
#include "render/MapRenderer.h"

#include <bcmap/bcmap_plugin.h>  // bcmap_symbol, BCMAP_LINE_MARKER_*

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <bit>
#include <limits>
#include <tuple>
#include "model/Log.h"
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

// A layer whose points share size, colour and time uploads positions only; the other
// attributes become constants (glVertexAttrib*), a third of the memory and of the fetches.
struct PointPosition {
  float x, y;
};
static_assert(sizeof(PointPosition) == 8);

using Pt = std::array<float, 2>;

// Open ends become the extreme ints so the shaders need no test for them (GpuTimeBounds).
constexpr int32_t kOpenStart = std::numeric_limits<int32_t>::min();  // == kNoDay
constexpr int32_t kOpenEnd = std::numeric_limits<int32_t>::max();
// Neutral grey for features without a resolved colour (a layer whose style did not fill
// `fill`): visible on the light and dark backgrounds alike.
constexpr Rgba kMissingColor{128, 128, 128, 255};
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
// Points are culled against the view in runs of this many. LOD order is Morton order within
// each level, and a level holds a few per cent of the points, so a run of 256 covers about
// 1/200 of a level's area; 1M points make 4000 boxes, microseconds to test per frame.
// Zoomed in 8x on 1M points (4.5 % in view) this draws about 2x what is in view; runs of
// 4096 drew 10x (44 % of all).
constexpr size_t kPointRun = 256;
// A LOD prefix is drawn only when it leaves out at least this share of the points; above
// it the layer is not dense enough for the saving to matter and it is drawn whole.
constexpr double kLodMinSaving = 0.2;
// Layers with fewer points keep their order and are drawn whole: 65536 4 px points take
// about 15 ms on llvmpipe, not worth changing which point lands on top.
constexpr size_t kLodMinPoints = 65536;
// How much background may show through translucent points LOD thins out: 3 %, about the
// colour step a person notices on a flat area (the LOD test measures the result).
constexpr double kLodAlphaResidual = 0.03;

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

namespace {

// ---- point order for level of detail -------------------------------------------------------

// Morton codes: 16 bits a coordinate, x in the even bits. Cells of one code prefix are
// contiguous in code order, so "the points of a cell" is a run of the sorted array.
uint32_t spreadBits(uint32_t v) {
  v &= 0xffff;
  v = (v | (v << 8)) & 0x00ff00ff;
  v = (v | (v << 4)) & 0x0f0f0f0f;
  v = (v | (v << 2)) & 0x33333333;
  v = (v | (v << 1)) & 0x55555555;
  return v;
}

// A fixed pseudo-random priority per point (splitmix32 finaliser of its upload index):
// which point stands for a cell must not depend on the run or the machine.
uint32_t pointPriority(uint32_t i) {
  uint32_t z = i + 0x9e3779b9u;
  z = (z ^ (z >> 16)) * 0x85ebca6bu;
  z = (z ^ (z >> 13)) * 0xc2b2ae35u;
  return z ^ (z >> 16);
}

// Highest set bit of x, -1 for 0.
int highBit(uint32_t x) { return x == 0 ? -1 : 31 - std::countl_zero(x); }

// LOD cells: level b groups codes by code >> b, a cell of 2^(b/2) finest cells a side
// (odd b: a 2:1 rectangle of the same area). Levels 0..32; -1 marks a second point in the
// same finest cell.
constexpr int kLodLevels = 34;  // b = -1 .. 32

struct PointOrder {
  std::vector<uint32_t> order;                 // draw position -> upload index
  std::array<uint32_t, kLodLevels> prefix{};   // prefix[b + 1]: points of level >= b
  double cellUnits = 1;                        // side of the finest cell, layer units
};

// Sorts points (layer-local xy) so that for every level b the representatives of that
// level's cells come first: a cell's representative is its point of highest priority,
// and a point that represents a cell at level b represents its cell at every finer level
// too (it is the highest of a sub-range), so each level is a prefix of the next.
PointOrder lodOrder(const std::vector<Pt>& xy) {
  PointOrder out;
  const size_t n = xy.size();
  out.order.assign(n, 0);
  if (n == 0) return out;
  float minX = xy[0][0], minY = xy[0][1], maxX = minX, maxY = minY;
  for (const Pt& p : xy) {
    minX = std::min(minX, p[0]), maxX = std::max(maxX, p[0]);
    minY = std::min(minY, p[1]), maxY = std::max(maxY, p[1]);
  }
  const double extent = std::max(double(maxX) - minX, double(maxY) - minY);
  out.cellUnits = extent > 0 ? extent / 65535.0 : 1.0;
  // (code << 32 | upload index), radix-sorted on the code in two passes of 16 bits: the
  // pairs travel together, so every pass reads and writes sequentially.
  std::vector<uint64_t> a(n), b(n);
  for (size_t i = 0; i < n; ++i) {
    const auto qx = uint32_t(std::clamp((xy[i][0] - minX) / out.cellUnits, 0.0, 65535.0));
    const auto qy = uint32_t(std::clamp((xy[i][1] - minY) / out.cellUnits, 0.0, 65535.0));
    a[i] = uint64_t(spreadBits(qx) | (spreadBits(qy) << 1)) << 32 | i;
  }
  for (int shift : {32, 48}) {
    std::vector<uint32_t> count(65537, 0);
    for (uint64_t v : a) ++count[((v >> shift) & 0xffff) + 1];
    for (size_t d = 1; d < count.size(); ++d) count[d] += count[d - 1];
    for (uint64_t v : a) b[count[(v >> shift) & 0xffff]++] = v;
    a.swap(b);
  }
  b.clear();
  b.shrink_to_fit();
  auto code = [&](size_t j) { return uint32_t(a[j] >> 32); };
  auto index = [&](size_t j) { return uint32_t(a[j]); };
  std::vector<uint32_t> priority(n);
  for (size_t j = 0; j < n; ++j) priority[j] = pointPriority(index(j));
  // Nearest point of higher priority on each side (monotonic stack); a point represents
  // its cell at level b exactly when neither of them is in that cell. Ties (equal hashes)
  // go to the lower upload index.
  auto higher = [&](size_t j, size_t k) {
    return priority[j] != priority[k] ? priority[j] > priority[k] : index(j) < index(k);
  };
  std::vector<int8_t> level(n, 32);
  std::vector<uint32_t> stack;
  for (int pass = 0; pass < 2; ++pass) {
    stack.clear();
    for (size_t step = 0; step < n; ++step) {
      const size_t j = pass == 0 ? step : n - 1 - step;
      while (!stack.empty() && higher(j, stack.back())) stack.pop_back();
      if (!stack.empty()) level[j] = int8_t(std::min(int(level[j]), highBit(code(j) ^ code(stack.back()))));
      stack.push_back(uint32_t(j));
    }
  }
  // Stable counting sort by level, coarsest first: Morton order survives inside a level.
  std::array<uint32_t, kLodLevels> count{};
  for (int8_t lv : level) ++count[size_t(lv + 1)];
  std::array<uint32_t, kLodLevels> start{};
  uint32_t acc = 0;
  for (int lv = 32; lv >= -1; --lv) {
    start[size_t(lv + 1)] = acc;
    acc += count[size_t(lv + 1)];
    out.prefix[size_t(lv + 1)] = acc;
  }
  for (size_t j = 0; j < n; ++j) out.order[start[size_t(level[j] + 1)]++] = index(j);
  return out;
}

struct Locations {
  GLint scale = -1, offsetPx = -1, viewportPx = -1, viewportOriginPx = -1, startMin = -1,
        startMax = -1, endMin = -1, opacity = -1, useOverride = -1, overrideColor = -1, halfWidthPx = -1,
        widthAlpha = -1, opaqueOnly = -1, sizeScale = -1, sizeAddPx = -1, ringWidthPx = -1, sprite = -1,
        symbol = -1, symbolExtent = -1;
  void query(const ShaderProgram& p) {
    scale = p.uniform("u_scale");
    offsetPx = p.uniform("u_offsetPx");
    viewportPx = p.uniform("u_viewportPx");
    viewportOriginPx = p.uniform("u_viewportOriginPx");
    startMin = p.uniform("u_startMin");
    startMax = p.uniform("u_startMax");
    endMin = p.uniform("u_endMin");
    opacity = p.uniform("u_opacity");
    useOverride = p.uniform("u_useOverride");
    overrideColor = p.uniform("u_overrideColor");
    halfWidthPx = p.uniform("u_halfWidthPx");
    widthAlpha = p.uniform("u_widthAlpha");
    opaqueOnly = p.uniform("u_opaqueOnly");
    sizeScale = p.uniform("u_sizeScale");
    sizeAddPx = p.uniform("u_sizeAddPx");
    ringWidthPx = p.uniform("u_ringWidthPx");
    sprite = p.uniform("u_sprite");
    symbol = p.uniform("u_symbol");
    symbolExtent = p.uniform("u_symbolExtent");
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

// Instanced quads: one record per instance (divisor 1), starting at `first`. Sprites
// (GL_POINTS): one record per vertex (divisor 0) from the start of the buffer.
void pointAttributes(size_t first, bool positionsOnly, bool sprites = false) {
  const GLuint divisor = sprites ? 0 : 1;
  if (positionsOnly) {
    glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, sizeof(PointPosition),
                          byteOffset(first * sizeof(PointPosition)));
    glEnableVertexAttribArray(0);
    glVertexAttribDivisor(0, divisor);
    for (GLuint i = 1; i < 4; ++i) glDisableVertexAttribArray(i);
    return;
  }
  const GLsizei stride = sizeof(PointInstance);
  const size_t base = first * sizeof(PointInstance);
  glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, stride, byteOffset(base + offsetof(PointInstance, x)));
  glVertexAttribPointer(1, 1, GL_FLOAT, GL_FALSE, stride, byteOffset(base + offsetof(PointInstance, size)));
  glVertexAttribPointer(2, 4, GL_UNSIGNED_BYTE, GL_TRUE, stride,
                        byteOffset(base + offsetof(PointInstance, rgba)));
  glVertexAttribIPointer(3, 2, GL_INT, stride, byteOffset(base + offsetof(PointInstance, startDay)));
  for (GLuint i = 0; i < 4; ++i) {
    glEnableVertexAttribArray(i);
    glVertexAttribDivisor(i, divisor);
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
  ShaderProgram polygon, line, point;  // point: built on first use (pointProgramReady)
  Locations polygonLoc, lineLoc, pointLoc;
  bool pointFailed = false;
  float maxPointSizePx = 1;  // the driver's largest GL_POINTS size (llvmpipe: 255)
};

struct MapRenderer::PointRange {
  size_t first = 0, count = 0;
};

// Point instances drawn with one symbol: a point layer's points, or one kind of a line
// layer's end markers.
struct MapRenderer::PointSet {
  GLuint vao = 0, vbo = 0;
  size_t count = 0;
  bool positionsOnly = false;  // every instance shares `constant` but its position
  PointInstance constant{};
  float maxSizePx = 0;
  uint8_t symbol = BCMAP_SYMBOL_CIRCLE;
  // Markers: feature f's instances are [featureStart[f], featureStart[f+1]).
  std::vector<uint32_t> featureStart;
  PointSet() = default;
  PointSet(const PointSet&) = delete;
  PointSet& operator=(const PointSet&) = delete;
  ~PointSet() {
    if (vao) glDeleteVertexArrays(1, &vao);
    if (vbo) glDeleteBuffers(1, &vbo);
  }
  // Uploads full instances (size, colour and time each their own).
  void upload(const std::vector<PointInstance>& instances) {
    count = instances.size();
    if (instances.empty()) return;
    glGenVertexArrays(1, &vao);
    glBindVertexArray(vao);
    vbo = makeArrayBuffer(instances);
    pointAttributes(0, false);
    glBindVertexArray(0);
    for (const PointInstance& p : instances) maxSizePx = std::max(maxSizePx, p.size);
  }
};

struct MapRenderer::FrameUniforms {
  float scale = 1;
  float offsetPx[2] = {0, 0};
  float viewportPx[2] = {1, 1};
  float viewportOriginPx[2] = {0, 0};
  GpuTimeBounds time{std::numeric_limits<int32_t>::min(), std::numeric_limits<int32_t>::max(),
                     std::numeric_limits<int32_t>::min()};
};

struct MapRenderer::GpuLayer {
  LayerGpuStats stats;
  GeometryKind kind = GeometryKind::None;
  Rgba stroke;
  float strokeWidthPx = 1.0f;
  size_t featureCount = 0;
  GLuint fillVao = 0, fillVbo = 0, fillIbo = 0;
  GLuint segmentVao = 0, segmentVbo = 0;
  PointSet points;                     // point layers
  PointSet startMarkers, endMarkers;  // line layers (lineMarkers)
  // Per feature f: [start[f], start[f+1]) in the index / segment buffers; for points, in
  // upload order, which pointSlot maps to the position in the (LOD-sorted) buffer.
  std::vector<uint32_t> featureIndexStart, featureSegmentStart, featurePointStart;
  // Points: LOD prefixes, per-run boxes for view culling.
  bool pointsHaveTime = false;
  float minPointSizePx = 0;
  float minPointAlpha = 1;  // of the resolved colours, 0..1
  std::vector<uint32_t> pointSlot;
  std::array<uint32_t, kLodLevels> lodPrefix{};
  double lodCellUnits = 1;
  std::vector<std::array<float, 4>> runBounds;  // minX, minY, maxX, maxY of each kPointRun
  LayerDrawStats lastDraw;
  ~GpuLayer() {
    const GLuint vaos[] = {fillVao, segmentVao};
    const GLuint buffers[] = {fillVbo, fillIbo, segmentVbo};
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
  auto sizeOf = [&](size_t f) {
    return f < layer.pointSizePx.size() && std::isfinite(layer.pointSizePx[f]) ? layer.pointSizePx[f]
                                                                               : kDefaultPointSizePx;
  };

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
  } else if (g->kind == GeometryKind::Point) {
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
    // Do all features share size, colour and time? Then only positions go to the GPU.
    bool uniform = true;
    PointSet& set = g->points;
    set.symbol = layer.pointSymbol;
    g->minPointSizePx = std::numeric_limits<float>::max();
    for (size_t f = 0; f < featureCount; ++f) {
      const float sz = sizeOf(f);
      g->minPointSizePx = std::min(g->minPointSizePx, sz);
      set.maxSizePx = std::max(set.maxSizePx, sz);
      if (f > 0 && (sz != sizeOf(0) || !(featureColor(f) == featureColor(0)) || span(f) != span(0))) uniform = false;
      if (span(f) != std::pair<int32_t, int32_t>{kOpenStart, kOpenEnd}) g->pointsHaveTime = true;
      g->minPointAlpha = std::min(g->minPointAlpha, featureColor(f).a / 255.0f);
    }
    if (featureCount == 0) g->minPointSizePx = 0;

    // Small layers keep their data order (what is drawn last is on top, as the plugin gave
    // it) and are always drawn whole: LOD would save a few milliseconds at most.
    PointOrder order;
    if (n >= kLodMinPoints) {
      order = lodOrder(xy);
    } else {
      order.order.resize(n);
      for (size_t k = 0; k < n; ++k) order.order[k] = uint32_t(k);
      order.prefix.fill(uint32_t(n));
    }
    g->lodPrefix = order.prefix;
    g->lodCellUnits = order.cellUnits;
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
    if (n > 0) {
      glGenVertexArrays(1, &set.vao);
      glBindVertexArray(set.vao);
      set.positionsOnly = uniform && featureCount > 0;
      if (set.positionsOnly) {
        PointInstance& c = set.constant;
        c.size = sizeOf(0);
        copyColor(c.rgba, featureColor(0));
        std::tie(c.startDay, c.endDay) = span(0);
        set.vbo = makeArrayBuffer(positions);
        g->stats.pointBytes = n * sizeof(PointPosition);
      } else {
        std::vector<PointInstance> points(n);
        for (size_t k = 0; k < n; ++k) {
          const uint32_t i = order.order[k];
          const size_t f = featureOf[i];
          PointInstance& inst = points[k];
          inst.x = positions[k].x;
          inst.y = positions[k].y;
          inst.size = sizeOf(f);
          copyColor(inst.rgba, featureColor(f));
          std::tie(inst.startDay, inst.endDay) = span(f);
        }
        set.vbo = makeArrayBuffer(points);
        g->stats.pointBytes = n * sizeof(PointInstance);
      }
      pointAttributes(0, set.positionsOnly);
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
        drawSegments(g, u, 1.0f, hl, (std::max(g.strokeWidthPx, 1.0f) + kHighlightExtraWidthPx) * pr,
                     &options.highlightColor);
      }
      break;
    }
    case GeometryKind::Line:
      if (main) {
        drawSegments(g, u, options.opacity, std::nullopt, g.strokeWidthPx * pr, nullptr);
        drawLineMarkers(g, u, options.opacity, pr, std::nullopt, 0.0f, nullptr);
      }
      if (hl) {
        drawSegments(g, u, 1.0f, hl, (g.strokeWidthPx + 2 * kHighlightExtraWidthPx) * pr,
                     &options.highlightColor);
        drawLineMarkers(g, u, 1.0f, pr, hl, kHighlightHaloPx * pr, &options.highlightColor);
        drawSegments(g, u, 1.0f, hl, g.strokeWidthPx * pr, nullptr);
        drawLineMarkers(g, u, 1.0f, pr, hl, 0.0f, nullptr);
      }
      break;
    case GeometryKind::Point: {
      if (!pointProgramReady()) break;
      const size_t n = main ? g.stats.points : 0;
      // Level of detail: the coarsest level whose cells are no wider than the factor times
      // the smallest diameter (cell side at level b: lodCellUnits * 2^(b/2)).
      size_t count = n;
      if (options.pointLod && n > 0 && !(g.pointsHaveTime && options.day != kNoDay)) {
        // Translucent points darken where they overlap; fewer points overlap less and would
        // look lighter. Keep enough discs over a pixel (k on average) that the background
        // shows through by at most kLodAlphaResidual. Disc counts over a pixel are about
        // Poisson(k), and E[(1 - alpha)^K] = exp(-k alpha) for K ~ Poisson(k).
        const double diameterPx = g.minPointSizePx * pr;
        double cellPx = options.pointLodCellFactor * diameterPx;
        const double alpha = std::clamp(double(g.minPointAlpha) * options.opacity, 0.0, 1.0);
        if (alpha < 1.0) {
          const double overlaps = alpha > 0 ? -std::log(kLodAlphaResidual) / alpha : 1e9;
          cellPx = std::min(cellPx, std::sqrt(M_PI * diameterPx * diameterPx / 4.0 / overlaps));
        }
        const double cellUnits = cellPx * view.unitsPerPixel;
        if (cellUnits > g.lodCellUnits) {
          const int level = std::min(32, int(std::floor(2.0 * std::log2(cellUnits / g.lodCellUnits))));
          const size_t prefix = g.lodPrefix[size_t(level + 1)];
          if (double(prefix) <= (1.0 - kLodMinSaving) * double(n)) count = prefix;
        }
      }
      g.lastDraw.pointsLod = count;
      // View culling by runs, margin: the largest symbol, its antialiasing and the halo.
      const Bounds wb = view.worldBounds();
      const double margin =
          ((g.points.maxSizePx * pr + kHighlightHaloPx * pr) * 0.5 * symbolExtent(g.points.symbol) + 1.0) *
          view.unitsPerPixel;
      const double minX = wb.minX - g.stats.origin.x - margin, maxX = wb.maxX - g.stats.origin.x + margin;
      const double minY = wb.minY - g.stats.origin.y - margin, maxY = wb.maxY - g.stats.origin.y + margin;
      std::vector<PointRange> ranges;
      for (size_t r = 0; r < g.runBounds.size() && r * kPointRun < count; ++r) {
        const auto& b = g.runBounds[r];
        if (b[2] < minX || b[0] > maxX || b[3] < minY || b[1] > maxY) continue;
        const size_t first = r * kPointRun, end = std::min(count, first + kPointRun);
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

namespace {

void setFrameUniforms(const Locations& loc, const float scale, const float* offsetPx,
                      const float* viewportPx, const float* viewportOriginPx, const GpuTimeBounds& time) {
  glUniform1f(loc.scale, scale);
  glUniform2f(loc.offsetPx, offsetPx[0], offsetPx[1]);
  glUniform2f(loc.viewportPx, viewportPx[0], viewportPx[1]);
  glUniform2f(loc.viewportOriginPx, viewportOriginPx[0], viewportOriginPx[1]);
  glUniform1i(loc.startMin, time.startMin);
  glUniform1i(loc.startMax, time.startMax);
  glUniform1i(loc.endMin, time.endMin);
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
  setFrameUniforms(loc, u.scale, u.offsetPx, u.viewportPx, u.viewportOriginPx, u.time);
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
  setFrameUniforms(loc, u.scale, u.offsetPx, u.viewportPx, u.viewportOriginPx, u.time);
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

void MapRenderer::drawLineMarkers(GpuLayer& g, const FrameUniforms& u, float opacity, float pixelRatio,
                                  std::optional<uint32_t> feature, float sizeAddPx, const Rgba* overrideColor) {
  if (g.stats.markers == 0 || !pointProgramReady()) return;
  for (const PointSet* set : {&g.startMarkers, &g.endMarkers}) {
    PointRange r{0, set->count};
    if (feature) {
      if (*feature + 1 >= set->featureStart.size()) continue;
      r = {set->featureStart[*feature], set->featureStart[*feature + 1] - set->featureStart[*feature]};
    }
    drawPoints(g, *set, u, opacity, pixelRatio, {r}, sizeAddPx, overrideColor);
  }
}

void MapRenderer::drawPoints(GpuLayer& g, const PointSet& set, const FrameUniforms& u, float opacity,
                             float pixelRatio, const std::vector<PointRange>& ranges, float sizeAddPx,
                             const Rgba* overrideColor) {
  if (!set.vao || ranges.empty()) return;
  const Locations& loc = programs_->pointLoc;
  programs_->point.use();
  // Sprites when the largest symbol (with its antialiasing ramp) fits the driver's points.
  const float extent = symbolExtent(set.symbol);
  const float largestRadiusPx = (set.maxSizePx * pixelRatio + sizeAddPx) * 0.5f * extent + 0.5f;
  const bool sprites = 2.0f * largestRadiusPx <= programs_->maxPointSizePx;
  GLint viewport[4] = {0, 0, 0, 0};
  glGetIntegerv(GL_VIEWPORT, viewport);
  const GLboolean scissorWasOn = glIsEnabled(GL_SCISSOR_TEST);
  if (sprites) {
    // Points are clipped by their centre, so a disc whose centre is just off screen would
    // vanish: widen the viewport by the largest radius and scissor to the real one. The
    // viewport centre stays put, so pixel positions do not change.
    const auto m = GLint(std::ceil(largestRadiusPx)) + 1;
    if (!scissorWasOn) {
      glEnable(GL_SCISSOR_TEST);
      glScissor(viewport[0], viewport[1], viewport[2], viewport[3]);
    }
    glViewport(viewport[0] - m, viewport[1] - m, viewport[2] + 2 * m, viewport[3] + 2 * m);
    glEnable(GL_PROGRAM_POINT_SIZE);
    const float vp[2] = {float(viewport[2] + 2 * m), float(viewport[3] + 2 * m)};
    const float origin[2] = {float(viewport[0] - m), float(viewport[1] - m)};
    setFrameUniforms(loc, u.scale, u.offsetPx, vp, origin, u.time);
  } else {
    setFrameUniforms(loc, u.scale, u.offsetPx, u.viewportPx, u.viewportOriginPx, u.time);
  }
  glUniform1i(loc.sprite, sprites ? 1 : 0);
  glUniform1i(loc.symbol, set.symbol);
  glUniform1f(loc.symbolExtent, extent);
  glUniform1f(loc.sizeScale, pixelRatio);
  glUniform1f(loc.sizeAddPx, sizeAddPx);
  glUniform1f(loc.ringWidthPx, pixelRatio);  // 1 px at pixelRatio 1
  glUniform1f(loc.opacity, opacity);
  glUniform1i(loc.useOverride, overrideColor ? 1 : 0);
  if (overrideColor) setColorUniform(loc.overrideColor, *overrideColor);
  glBindVertexArray(set.vao);
  glBindBuffer(GL_ARRAY_BUFFER, set.vbo);
  if (set.positionsOnly) {
    // Generic attribute values are context state, not VAO state: set them for every draw.
    const PointInstance& c = set.constant;
    glVertexAttrib1f(1, c.size);
    glVertexAttrib4f(2, c.rgba[0] / 255.0f, c.rgba[1] / 255.0f, c.rgba[2] / 255.0f, c.rgba[3] / 255.0f);
    glVertexAttribI4i(3, c.startDay, c.endDay, 0, 0);
  }
  if (sprites) {
    pointAttributes(0, set.positionsOnly, true);
    for (const PointRange& r : ranges) {
      if (r.count == 0) continue;
      glDrawArrays(GL_POINTS, GLint(r.first), GLsizei(r.count));
      g.lastDraw.pointsDrawn += r.count;
      ++g.lastDraw.drawCalls;
    }
    pointAttributes(0, set.positionsOnly, false);
    glViewport(viewport[0], viewport[1], viewport[2], viewport[3]);
    if (!scissorWasOn) glDisable(GL_SCISSOR_TEST);
    return;
  }
  // GL 3.3 has no base instance: a range that does not start at 0 re-points the attributes.
  for (const PointRange& r : ranges) {
    if (r.count == 0) continue;
    if (r.first != 0) pointAttributes(r.first, set.positionsOnly);
    glDrawArraysInstanced(GL_TRIANGLE_STRIP, 0, 4, GLsizei(r.count));
    if (r.first != 0) pointAttributes(0, set.positionsOnly);
    g.lastDraw.pointsDrawn += r.count;
    ++g.lastDraw.drawCalls;
  }
}

}  // namespace bcmap
