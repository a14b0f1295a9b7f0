// MapRendererGpu: MapRenderer's internals, shared by the units that make it up (not for
// other users of the render module):
//   MapRenderer.cpp        lifecycle, symbol reach and time bounds, drawLayer (which passes,
//                          the LOD suffix, view culling)
//   MapRendererUpload.cpp  upload: polygons, outlines and lines, points
//   MapRendererPasses.cpp  the draw passes: fill, segments, points, line markers
//   MapRendererGpu.cpp     vertex attribute layouts, uniforms, GL object lifetimes
//   PointLodOrder.cpp      the point order for level of detail
//
// Sections: GPU record layouts, constants shared by upload and drawing, GL helpers,
// MapRenderer's private types.
#pragma once

#include <epoxy/gl.h>

#include <bcmap/bcmap_plugin.h>  // bcmap_symbol

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <future>
#include <limits>
#include <memory>
#include <optional>
#include <vector>

#include "render/MapRenderer.h"
#include "render/PointLodOrder.h"
#include "render/ShaderProgram.h"

namespace bcmap::map_gpu {

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

// A layer whose points share size and colour but not time: positions and days (a point
// layer with a date field, drawn in one colour: two thirds of PointInstance).
struct PointPositionTime {
  float x, y;
  int32_t startDay, endDay;
};
static_assert(sizeof(PointPositionTime) == 16);

// What a point buffer holds per point; what it does not hold is PointSet::constant.
enum class PointLayout { Instances, Positions, PositionsTime };
size_t pointStride(PointLayout layout);

// ---- constants shared by upload and drawing --------------------------------------------------

// Points are culled against the view in runs of this many. LOD order is Morton order within
// each level, and a level holds a few per cent of the points, so a run of 256 covers about
// 1/200 of a level's area; 1M points make 4000 boxes, microseconds to test per frame.
// Zoomed in 8x on 1M points (4.5 % in view) this draws about 2x what is in view; runs of
// 4096 drew 10x (44 % of all).
constexpr size_t kPointRun = 256;
// Exact level of detail: how much of what lies under a stack of translucent points may
// show through it, as a share of the largest colour difference. 4/255 keeps a pixel
// within 8 levels of the full picture with room for rounding (ExactRenderTest checks it).
constexpr double kLodResidual = 4.0 / 255.0;

// ---- GL helpers (MapRendererGpu.cpp) ---------------------------------------------------------

inline const void* byteOffset(size_t bytes) { return reinterpret_cast<const void*>(bytes); }

inline void copyColor(uint8_t out[4], Rgba c) {
  out[0] = c.r;
  out[1] = c.g;
  out[2] = c.b;
  out[3] = c.a;
}

// The uniform locations of one program (-1 where it has no such uniform).
struct Locations {
  GLint scale = -1, offsetPx = -1, viewportPx = -1, viewportOriginPx = -1, startMin = -1,
        startMax = -1, endMin = -1, opacity = -1, useOverride = -1, overrideColor = -1, halfWidthPx = -1,
        widthAlpha = -1, opaqueOnly = -1, sizeScale = -1, sizeAddPx = -1, ringWidthPx = -1, sprite = -1,
        symbol = -1, symbolExtent = -1;
  void query(const ShaderProgram& p);
};

void setColorUniform(GLint location, Rgba c);
void setFrameUniforms(const Locations& loc, float scale, const float* offsetPx, const float* viewportPx,
                      const float* viewportOriginPx, const GpuTimeBounds& time);

void fillAttributes(size_t firstVertex);
// Instanced attributes can start at an instance (GL 3.3 has no base instance), which is
// how one feature's segments or points are drawn for the highlight.
void segmentAttributes(size_t firstInstance);
// Instanced quads: one record per instance (divisor 1), starting at `first`. Sprites
// (GL_POINTS): one record per vertex (divisor 0) from the start of the buffer.
void pointAttributes(size_t first, PointLayout layout, bool sprites = false);

template <typename T>
GLuint makeArrayBuffer(const std::vector<T>& data) {
  GLuint vbo = 0;
  glGenBuffers(1, &vbo);
  glBindBuffer(GL_ARRAY_BUFFER, vbo);
  glBufferData(GL_ARRAY_BUFFER, GLsizeiptr(data.size() * sizeof(T)), data.data(), GL_STATIC_DRAW);
  return vbo;
}

// A layer's LOD fringe for the last view it was asked for, worked out once for all the
// slices of a frame (LayerDrawOptions::pointSliceFrom). A sliced frame works it out over
// several UI frames, for LayerDrawOptions::fringeSliceMs each (MapRenderer.cpp,
// advanceFringe): at 10M points the whole of it takes ~150-200 ms of a 2-core machine's CPU.
struct FringeKey {
  float scale = 0, offsetX = 0, offsetY = 0, pixelRatio = 0;
  int width = 0, height = 0;
  size_t drawFirst = 0, stacked = 0;
  bool operator==(const FringeKey&) const = default;
};
struct FringeWork {
  enum class Phase { Cover, Sum, Below, Done };
  bool started = false;
  FringeKey key;
  Phase phase = Phase::Cover;
  size_t run = 0, at = 0;  // Cover / Below: the run and the point in it; Sum: the row
  std::vector<uint8_t> cover;      // per pixel: suffix discs over it, up to `stacked`
  std::vector<uint32_t> shortSum;  // summed-area table of the pixels short of `stacked`
  std::vector<uint32_t> fringe;    // the result: points below the suffix to draw
};

}  // namespace bcmap::map_gpu

namespace bcmap {

// ---- MapRenderer's private types -----------------------------------------------------------

struct MapRenderer::Programs {
  ShaderProgram polygon, line, point;  // point: built on first use (pointProgramReady)
  map_gpu::Locations polygonLoc, lineLoc, pointLoc;
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
  // Instances: all per point; else every point shares `constant` but its position (and
  // with PositionsTime its days).
  map_gpu::PointLayout layout = map_gpu::PointLayout::Instances;
  map_gpu::PointInstance constant{};
  float maxSizePx = 0;
  uint8_t symbol = BCMAP_SYMBOL_CIRCLE;
  // Markers: feature f's instances are [featureStart[f], featureStart[f+1]).
  std::vector<uint32_t> featureStart;
  PointSet() = default;
  PointSet(const PointSet&) = delete;
  PointSet& operator=(const PointSet&) = delete;
  ~PointSet();
  // Uploads full instances (size, colour and time each their own).
  void upload(const std::vector<map_gpu::PointInstance>& instances);
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
  // Points: LOD suffixes, per-run boxes for view culling.
  bool pointsHaveTime = false;
  float minPointSizePx = 0;
  float minPointAlpha = 1;  // of the resolved colours, 0..1
  std::vector<uint32_t> pointSlot;
  std::array<uint32_t, map_gpu::kLodLevels> lodSuffix{};
  double lodCellUnits = 1;
  uint32_t lodPerCell = 1;  // representatives per cell the order keeps (PointLodOrder.h)
  std::vector<std::array<float, 4>> runBounds;  // minX, minY, maxX, maxY of each kPointRun
  GLuint fringeIbo = 0;  // the points below the LOD suffix that still show (drawLayer)
  LayerDrawStats lastDraw;
  // The LOD fringe of the last view it was asked for, worked out once for all the slices of
  // a frame (map_gpu::FringeWork).
  map_gpu::FringeWork fringeWork;
  ~GpuLayer();
};

// A point layer's instances as pointsOnCpu leaves them for pointsToGpu, one of the three
// by PointSet::layout.
struct MapRenderer::PointBuffers {
  std::vector<map_gpu::PointPosition> positions;
  std::vector<map_gpu::PointPositionTime> positionsTime;
  std::vector<map_gpu::PointInstance> points;
};

// A background upload (upload(shared_ptr)): the worker's result, and the prepared form it
// reads (held so it outlives the worker).
struct MapRenderer::PendingUpload {
  struct Result {
    std::unique_ptr<GpuLayer> g;
    PointBuffers buffers;
  };
  uint64_t generation = 0;
  std::shared_ptr<const PreparedLayer> layer;
  std::future<Result> result;
  // The worker's result once taken, while its buffer is copied to the GPU piece by piece
  // (pointsToGpu), and how many bytes of it are there.
  std::optional<Result> taken;
  size_t copied = 0;
  bool ready() const { return taken || result.wait_for(std::chrono::seconds(0)) == std::future_status::ready; }
};

}  // namespace bcmap
