// MapRenderer: draws PreparedLayers (polygons, lines, points) in a View with OpenGL 3.3
// core. The same code serves the window (a GLFW context made by app/ui) and headless
// rendering (HeadlessContext + OffscreenTarget); it needs only a current 3.3 core context.
//
// Sections: GpuTimeBounds, LayerDrawOptions, LayerGpuStats, MapRenderer.
// The implementation is split over MapRenderer*.cpp and PointLodOrder.cpp; MapRendererGpu.h
// (their shared internals) says which holds what.
//
// Precision: geometry stays double on the CPU. On upload each layer's coordinates are made
// relative to a local origin (the centre of its bounds) and stored as floats; every frame
// the offset (origin - view centre) / unitsPerPixel is computed in double and passed as a
// uniform, so the GPU never sees a large coordinate.
//
// Antialiasing is by shader coverage (no MSAA): lines, outlines and point discs have a 1 px
// ramp. Polygon fills are rasterized aliased; the outline covers their edges. A fill drawn
// without an outline gets a zero-width line pass in the feature's colour, drawn before the
// fills, that adds the missing coverage outside the edge where it meets what is below the
// layer; edges shared by features of the layer stay aliased, and so do translucent fills
// (or layer opacity < 1), where the fringe would show through as a darker rim.
//
// Time: a feature is drawn when filterShows (FeatureTable.h) says so for the options' day,
// mode and window — Span: startDay <= d <= endDay (both ends inclusive, kNoDay = open end);
// Cumulative: started on or before d (or open); Window: started in (d - windowDays, d]. The shaders
// test three bounds made on the CPU (GpuTimeBounds below), so every mode costs the same.
// Layers with no time are always drawn.
//
// Points are drawn as GL_POINTS sprites (one vertex a point; llvmpipe's vertex stage is
// serial, and quads cost it four vertices) unless a disc is larger than the driver's
// largest point, then as instanced quads; both shade the same antialiased disc.
//
// Points denser than pixels (level of detail, exact: issue 11): on upload a point layer
// of 65536 points or more (smaller ones keep their data order and are drawn whole) is put
// in a nested order — every point gets a fixed pseudo-random priority, and for each
// Morton-code cell size (in steps of sqrt(2)) the m points of highest priority in each
// crowded cell (more than kLodCrowded points) come after the others (PointLodOrder.h). Drawing a suffix of that order
// shows up to m points per cell of that size, spread like the data (no lattice, no shift
// towards a cell corner), and since the representatives of coarse cells are drawn last,
// they are what lies on top when every point is drawn: wherever they cover a pixel, the
// suffix and the whole layer give it the same colour, whichever colour each point has.
// m comes from how many translucent discs must stack before what lies under them shows by
// at most kLodResidual (lodPerCell: 3 at alpha 150/255, 1 for opaque points); a cell of a
// few points keeps them all, so thin areas and the fringes of dense ones stay as they are. With LayerDrawOptions::pointLod
// on, drawLayer picks the coarsest cell no wider than pointLodCellFactor x the smallest
// diameter and draws that suffix when it leaves out at least a fifth of the points; a
// layer drawn more translucent than its order was made for (opacity) is drawn whole.
// Along the edges of dense points a left-out disc can stick out past the suffix's, so
// before the suffix drawLayer draws the left-out points that reach a pixel the suffix
// leaves open (the fringe: a CPU pass over the points in view, 40-60 ms for 1M, keeping
// about 1 % of them; LayerDrawOptions::pointLodExact, off during a window's gestures;
// instanced quads have no fringe pass and draw every point instead).
// tests/render/ExactRenderTest.cpp renders 1M points both ways through `bcmap render`.
// Points are also culled by view in runs of 256 (Morton-ordered, so compact): zooming in
// does not pay for what is off screen. A layer with time spans is drawn whole while a day
// filter is on (a cell's representative might be filtered out).
//
// Point symbols (PreparedLayer::pointSymbol, one for all points of a layer): circle,
// square, diamond, triangle, star, each shaded in point.frag from its signed distance, with
// the same 1 px coverage ramp and darker rim as the disc. A point's size is the diameter of
// the circle of the same area (the cartographic rule for proportional symbols: a value
// reads as the same amount whatever the symbol), so a square of size 10 has sides of
// 8.9 px and a triangle of size 10 is 13.7 px wide; kSymbolExtent (MapRenderer.cpp) is how
// far each reaches beyond the circle.
//
// Line end markers (PreparedLayer::lineMarkers): START puts a disc on the first vertex of
// every part of a line, its diameter pointSizePx[f] and its colour the feature's fill;
// END puts the layer's pointSymbol on the last vertex, lineEndMarkerPx across (8 px when 0)
// in the layer's stroke colour (line layers draw their lines in the fill colour, so the
// stroke colour is free to tell the two ends apart). Markers carry their feature's time
// span and are drawn after all the lines: start discs, then end symbols on top (the end
// symbol is usually the smaller). The highlight rings a feature's markers as well.
#pragma once

#include <epoxy/gl.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model/PreparedLayer.h"
#include "model/View.h"
#include "render/ShaderProgram.h"

namespace bcmap {

// The time filter as the shaders test it: a feature with span [start, end] shows when
// startMin <= start <= startMax and end >= endMin, with open ends uploaded as INT_MIN /
// INT_MAX (an open start passes only the modes whose startMin is INT_MIN). gpuTimeBounds makes the bounds so that this equals
// filterShows for every mode; gpuTimeShows is the shaders' test on the CPU (for tests).
struct GpuTimeBounds {
  int32_t startMin, startMax, endMin;
};
GpuTimeBounds gpuTimeBounds(const TimeFilter& filter);
bool gpuTimeShows(const GpuTimeBounds& bounds, int32_t startDay, int32_t endDay);

struct LayerDrawOptions {
  float opacity = 1.0f;        // multiplies every colour's alpha
  bool visible = true;         // false: drawLayer draws nothing
  int32_t day = kNoDay;        // time filter; kNoDay: show all features
  TimeMode timeMode = TimeMode::Span;  // how `day` selects features (filterShows)
  int32_t windowDays = 365;    // TimeMode::Window's length in days
  bool drawFill = true;        // polygon layers: the fill
  bool drawOutline = true;     // polygon layers: the outline (stroke colour and width)
  float pixelRatio = 1.0f;     // DPI scale for line widths and point sizes
  std::optional<uint32_t> highlightedFeature;  // feature index in the PreparedLayer
  Rgba highlightColor{255, 200, 0, 255};
  // Draw only the highlight (over a cached frame, so hovering does not redraw the layer).
  bool highlightOnly = false;
  // Points denser than pixels: draw the points on top of each cell (see the header
  // comment); the picture is the same. Off: every point, always.
  bool pointLod = false;
  // With pointLod: also draw the points left out that would show (the fringe; see the
  // header comment). False (a window's frames during a gesture): the suffix alone.
  bool pointLodExact = true;
  // Largest LOD cell side as a fraction of the smallest point diameter. 0.5 gives the
  // picture of every point (1M points: under 0.1 % of the pixels differ by more than 8/255,
  // along the edge of the points; tests/render/ExactRenderTest.cpp). Measured with one
  // point a cell before cells had to be crowded: 0.7 gave 0.2 %, 1.0 gave 2 %.
  float pointLodCellFactor = 0.5f;
  // A slice of the point instances (InteractiveRenderer draws a big layer's final frame over
  // several UI frames, MapFrame::drawSlice): of the instances this draw would submit (the
  // LOD fringe first, then the runs in view, in that order), only those from
  // pointSliceFrom on, at most pointSliceCount of them; drawn one after another, the
  // slices give the picture of one whole draw. Other passes (fills, lines, the highlight)
  // go with the slice that starts at 0, the highlight with the one that ends the layer.
  size_t pointSliceFrom = 0;
  size_t pointSliceCount = SIZE_MAX;
  // A sliced draw's time for the LOD fringe, in ms (0: all of it in this call). The fringe
  // is a CPU pass over the points in view (~150-200 ms at 10M points on a 2-core machine):
  // a call that runs out of time draws nothing and says so (LayerDrawStats::fringePending),
  // the next goes on where it stopped.
  double fringeSliceMs = 0;

  TimeFilter timeFilter() const { return {day, timeMode, windowDays}; }
};

// What an upload produced (for tests and the status bar).
struct LayerGpuStats {
  uint64_t generation = 0;
  uint64_t uploads = 0;       // how many times this layer id was uploaded
  size_t fillVertices = 0;    // polygon vertices (duplicated per feature)
  size_t fillIndices = 0;     // 3 a triangle
  size_t segments = 0;        // outline / line segment instances
  size_t points = 0;          // point instances
  size_t markers = 0;         // line layers: START and END marker instances
  size_t skippedVertices = 0; // non-finite coordinates left out
  Vec2 origin;                // local origin (display CRS)
  size_t pointBytes = 0;      // GPU bytes of the point instances (8 a point when size,
                              // colour and time are the same for all, 16 when only the
                              // time differs, else 24)
};

// What the last drawLayer of a layer drew (for the benchmark and the LOD tests).
struct LayerDrawStats {
  size_t pointsDrawn = 0;     // point instances submitted (after LOD and view culling),
                              // line markers included
  size_t pointsLod = 0;       // the LOD suffix length (== stats.points when drawn whole)
  size_t drawCalls = 0;
  size_t pointsPlanned = 0;   // point instances the whole draw submits (fringe and runs)
  size_t pointsSliced = 0;    // of them, drawn by this call (its slice)
  // A sliced draw (LayerDrawOptions::fringeSliceMs) spent its time on the LOD fringe:
  // nothing was drawn; the same slice is asked again (MapFrame::drawSlice), and draws once
  // the fringe is complete.
  bool fringePending = false;
};

// Diameter of a point whose layer has no pointSizePx entry, in px (the SDK's default); also
// the END marker's size when a line layer gives none.
inline constexpr float kDefaultPointSizePx = 8.0f;

// How far point symbol `symbol` (bcmap_symbol) reaches from its centre, in radii of the
// circle of the same area (1 for a circle): labels keep clear of the whole symbol.
float symbolExtent(uint8_t symbol);

// Point layers from this size are made ready for the GPU off the UI thread when the
// renderer allows it (MapRenderer::setBackgroundUpload): about 0.3 s of LOD ordering and
// copying a million points, 20-60 ms for the 65k-200k rows of a database layer's view.
inline constexpr size_t kBackgroundUploadPoints = 65536;
// A background upload's instances go to the GPU this many bytes a draw (a UI frame):
// llvmpipe copies ~1 MB a millisecond here, so a piece costs ~16 ms; 10M points with their
// own colours or days (24 bytes each) take 15 frames.
inline constexpr size_t kUploadPieceBytes = size_t(16) << 20;

class MapRenderer {
 public:
  MapRenderer();
  // Frees GL objects: destroy (or call shutdown()) while the context is still current.
  ~MapRenderer();
  MapRenderer(const MapRenderer&) = delete;
  MapRenderer& operator=(const MapRenderer&) = delete;

  // Compiles the polygon and line shaders; the point shader is compiled on the first draw
  // of a point layer (a frame without points does not pay for it). False and `err`
  // ("shaders/<file>: ...") on failure; a point shader that fails later is logged once and
  // its layers are not drawn.
  bool init(std::string* err);
  // Frees every layer's buffers and the programs. Safe to call twice.
  void shutdown();

  // Uploads `layer` under layer.layerId. Does nothing when that id was last uploaded with
  // the same generation. Features or vertices with non-finite coordinates are skipped.
  void upload(const PreparedLayer& layer);
  // As upload(layer), but with background uploads on (the viewer) a point layer of at
  // least kBackgroundUploadPoints points is made ready for the GPU (LOD order, run boxes,
  // instances: seconds at 10M points) on a worker thread: until it is, the layer's earlier
  // upload, or nothing, is drawn, and later calls once uploadReady() copy it to the GPU,
  // kUploadPieceBytes a call, the last installing it. Off (the CLI, exact renders):
  // upload(*layer).
  void upload(const std::shared_ptr<const PreparedLayer>& layer);
  void setBackgroundUpload(bool on) { backgroundUpload_ = on; }
  // The bytes a background upload copies a call (kUploadPieceBytes; tests use less).
  void setUploadPieceBytes(size_t bytes) { uploadPieceBytes_ = std::max<size_t>(bytes, 1); }
  // A background upload is running (uploading) or done and waiting for the next draw's
  // upload() call to install it (uploadReady: draw again).
  bool uploading() const { return !pending_.empty(); }
  bool uploadReady() const;
  // Frees the layer's buffers and drops a background upload of it still in progress.
  void remove(const std::string& layerId);
  bool hasLayer(const std::string& layerId) const;
  // The ids with buffers here, sorted.
  std::vector<std::string> layerIds() const;
  // nullptr when the layer was never uploaded.
  const LayerGpuStats* stats(const std::string& layerId) const;
  // What the last drawLayer(layerId, ...) submitted; zeros when it was never drawn.
  LayerDrawStats lastDraw(const std::string& layerId) const;

  // Sets the viewport to (0, 0, view.widthPx, view.heightPx) of the bound framebuffer,
  // clears it to `background` and sets the blend state (premultiplied alpha).
  void beginFrame(const View& view, Rgba background);
  // Draws one layer: fill, then outline / lines, then points, then the highlight. Unknown
  // ids draw nothing. Call after beginFrame with the same view.
  void drawLayer(const std::string& layerId, const View& view, const LayerDrawOptions& options);

 private:
  struct GpuLayer;
  struct Programs;
  struct FrameUniforms;
  void drawFill(const GpuLayer& g, const FrameUniforms& u, float opacity,
                std::optional<uint32_t> feature, const Rgba* overrideColor);
  enum class SegmentPass : uint8_t { Stroke, FillFringe };
  void drawSegments(const GpuLayer& g, const FrameUniforms& u, float opacity,
                    std::optional<uint32_t> feature, float widthPx, const Rgba* overrideColor,
                    SegmentPass pass = SegmentPass::Stroke);
  struct PointRange;
  struct PointSet;
  // `below` (sprites only): single points drawn before the ranges, by their position in
  // the buffer (the LOD fringe, drawLayer).
  void drawPoints(GpuLayer& g, const PointSet& set, const FrameUniforms& u, float opacity, float pixelRatio,
                  const std::vector<PointRange>& ranges, float sizeAddPx, const Rgba* overrideColor,
                  const std::vector<uint32_t>* below = nullptr);
  // Whether drawPoints draws `set` as sprites (else as instanced quads).
  bool pointSprites(const PointSet& set, float pixelRatio, float sizeAddPx) const;
  // A line layer's START and END markers (all of them, or feature `feature`'s).
  void drawLineMarkers(GpuLayer& g, const FrameUniforms& u, float opacity, float pixelRatio,
                       std::optional<uint32_t> feature, float sizeAddPx, const Rgba* overrideColor);
  bool pointProgramReady();

  // Upload split in two for points: what needs no GL (any thread), then the buffers.
  struct PointBuffers;
  struct PendingUpload;
  // A GpuLayer with `layer`'s kind, stroke, generation and feature count, and its local
  // origin: the centre of the finite coordinates (stats.origin; the others are skipped).
  static std::unique_ptr<GpuLayer> newGpuLayer(const PreparedLayer& layer);
  static std::unique_ptr<GpuLayer> pointsOnCpu(const PreparedLayer& layer, PointBuffers& out);
  // Copies the instances into the layer's point buffer from byte `copied` on, at most
  // maxBytes; true when all are there (then the vertex array is made and `buffers` freed).
  static bool pointsToGpu(GpuLayer& g, PointBuffers& buffers, size_t& copied, size_t maxBytes);

  std::unique_ptr<Programs> programs_;
  std::map<std::string, std::unique_ptr<GpuLayer>> layers_;
  bool backgroundUpload_ = false;
  size_t uploadPieceBytes_ = kUploadPieceBytes;
  std::map<std::string, std::unique_ptr<PendingUpload>> pending_;  // by layer id
  std::vector<std::unique_ptr<PendingUpload>> retired_;  // outdated, left to finish off this thread
};

}  // namespace bcmap
