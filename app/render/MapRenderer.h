// MapRenderer: draws PreparedLayers (polygons, lines, points) in a View with OpenGL 3.3
// core. The same code serves the window (a GLFW context made by app/ui) and headless
// rendering (HeadlessContext + OffscreenTarget); it needs only a current 3.3 core context.
//
// Sections: LayerDrawOptions, LayerGpuStats, MapRenderer.
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
// Time: a feature is drawn on day d when startDay <= d <= endDay (both ends inclusive;
// kNoDay = open end). Layers with no time are always drawn.
#pragma once

#include <epoxy/gl.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "core/PreparedLayer.h"
#include "core/View.h"
#include "render/ShaderProgram.h"

namespace bcmap {

struct LayerDrawOptions {
  float opacity = 1.0f;        // multiplies every colour's alpha
  bool visible = true;         // false: drawLayer draws nothing
  int32_t day = kNoDay;        // time filter; kNoDay: show all features
  bool drawFill = true;        // polygon layers: the fill
  bool drawOutline = true;     // polygon layers: the outline (stroke colour and width)
  float pixelRatio = 1.0f;     // DPI scale for line widths and point sizes
  std::optional<uint32_t> highlightedFeature;  // feature index in the PreparedLayer
  Rgba highlightColor{255, 200, 0, 255};
};

// What an upload produced (for tests and the status bar).
struct LayerGpuStats {
  uint64_t generation = 0;
  uint64_t uploads = 0;       // how many times this layer id was uploaded
  size_t fillVertices = 0;    // polygon vertices (duplicated per feature)
  size_t fillIndices = 0;     // 3 a triangle
  size_t segments = 0;        // outline / line segment instances
  size_t points = 0;          // point instances
  size_t skippedVertices = 0; // non-finite coordinates left out
  Vec2 origin;                // local origin (display CRS)
};

class MapRenderer {
 public:
  MapRenderer();
  // Frees GL objects: destroy (or call shutdown()) while the context is still current.
  ~MapRenderer();
  MapRenderer(const MapRenderer&) = delete;
  MapRenderer& operator=(const MapRenderer&) = delete;

  // Compiles the shaders. False and `err` ("shaders/<file>: ...") on failure.
  bool init(std::string* err);
  // Frees every layer's buffers and the programs. Safe to call twice.
  void shutdown();

  // Uploads `layer` under layer.layerId. Does nothing when that id was last uploaded with
  // the same generation. Features or vertices with non-finite coordinates are skipped.
  void upload(const PreparedLayer& layer);
  void remove(const std::string& layerId);
  bool hasLayer(const std::string& layerId) const;
  // nullptr when the layer was never uploaded.
  const LayerGpuStats* stats(const std::string& layerId) const;

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
  void drawPoints(const GpuLayer& g, const FrameUniforms& u, float opacity, float pixelRatio,
                  std::optional<uint32_t> feature, float sizeAddPx, const Rgba* overrideColor);

  std::unique_ptr<Programs> programs_;
  std::map<std::string, std::unique_ptr<GpuLayer>> layers_;
};

}  // namespace bcmap
