// MapFrame: one complete map image — background, every visible layer in order, labels
// placed without overlap and clear of the decorations, then the decorations
// (MapDecorations.h: scale bar, attribution, title, date counter, north arrow, legend) —
// drawn the same way into the window and into headless PNGs, and recorded (FrameRecord.h)
// so Export can write the same frame as SVG.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "model/FeatureTable.h"
#include "model/PreparedLayer.h"
#include "model/View.h"
#include "render/FrameRecord.h"

namespace bcmap {

class LayerStore;

struct FrameOptions {
  Rgba background{242, 239, 233, 255};  // a light paper tone, so fills read as land
  int32_t day = kNoDay;                  // time filter; kNoDay: everything
  TimeMode timeMode = TimeMode::Span;    // how `day` selects features (FeatureTable.h)
  int32_t windowDays = 365;              // TimeMode::Window's length
  float pixelRatio = 1.0f;               // scales widths, sizes and text (HiDPI, export DPI)
  bool labels = true;
  bool scaleBar = true;
  bool attribution = true;  // always on in exports; the sample notice leads it
  // More lines than this (0: no limit) become one line with the sample notice and
  // "数据来源 Sources (i)"; the window shows the parts on hover (FrameRecord).
  int attributionMaxLines = 0;
  // Issue 4 decorations, drawn by the renderer so exports carry them too.
  bool legend = false;        // the layers' legend entries, following styles and time
  // Where a window's own panels leave room for the legend: its top no higher than this
  // (pixels from the map's top edge), at this size (the viewer's is smaller than an export's).
  double legendTopPx = 0;
  float legendScale = 1.0f;
  bool northArrow = false;
  std::string title;          // "" : none
  bool dateCounter = false;   // the filter day in large type (while the slider plays)
  // The selected features (layer id, feature): their labels are placed before every other
  // and at any scale, so a place found by search is named where it is (issue 10).
  std::vector<std::pair<std::string, size_t>> labelsFirst;
  std::string highlightLayer;            // the hovered feature, drawn highlighted
  long long highlightFeature = -1;
  // Points denser than pixels are drawn one per cell of half their diameter (MapRenderer.h);
  // tests/render/ExactRenderTest.cpp shows the frame is the same. False (or
  // $BCMAP_POINT_LOD=0): every point.
  bool pointLod = true;
  // With pointLod: also the points left out that would show (MapRenderer.h). A window may
  // turn it off for frames drawn during a gesture: the suffix alone, no CPU pass.
  bool pointLodExact = true;
  // drawSlice with a budget: the time a slice may spend on a layer's LOD fringe, in ms
  // (LayerDrawOptions::fringeSliceMs; 0: all of it in one slice). The viewer gives its
  // slices' target time.
  double fringeSliceMs = 0;
  // Pixels along the left of the bottom edge that a window's panel covers: the scale bar
  // and the attribution line stay clear of them.
  double insetLeftPx = 0;
  // Where a window's own panels over the map's top (an overview map, a search box) end: the
  // date counter's top no higher than this (pixels from the map's top edge; 0: at the top).
  double counterTopPx = 0;
};

// A label as placed on screen, for tests and picking.
struct PlacedLabel {
  std::string layerId;
  size_t feature = 0;
  std::string text;
  Bounds boxPx;  // pixels, y down
};

// Where the last init() and draw() spent their time, CPU side, in milliseconds (GL work is
// queued and runs at the driver's next flush, e.g. when pixels are read). For the
// benchmark's breakdown (bench/).
struct FrameTimings {
  double shadersMs = 0;  // init: the map and text shader programs
  double fontsMs = 0;    // init: waiting for the CJK faces (found through fontconfig on a worker)
  double uploadMs = 0;   // draw: layers made into GPU buffers (first draw of each)
  double atlasMs = 0;    // draw: glyph atlases built on first use of a font size
  double layersMs = 0;   // draw: layers' draw calls submitted
  double textMs = 0;     // draw: labels placed, scale bar and attribution, text submitted
  size_t pointsDrawn = 0;  // draw: point instances submitted (after LOD and view culling)
  size_t labelsMeasured = 0;  // draw: label sizes measured (not in the cache from earlier frames)
};

// Where a frame drawn in slices (MapFrame::drawSlice) has got to. A default one starts a
// new frame.
struct FrameSlice {
  bool started = false;
  size_t layer = 0;      // index in the store's layer list of the layer drawn next
  size_t pointFrom = 0;  // that layer's point instances already drawn
  size_t slices = 0;     // slices drawn so far
};

class MapFrame {
 public:
  MapFrame();
  ~MapFrame();
  MapFrame(const MapFrame&) = delete;
  MapFrame& operator=(const MapFrame&) = delete;

  // Needs a current OpenGL 3.3 core context. Finds the CJK font through fontconfig (on a
  // worker thread while this one compiles shaders).
  bool init(std::string* err);
  // Draws into the currently bound framebuffer of view.widthPx x view.heightPx.
  void draw(LayerStore& store, const std::string& displayCrs, const View& view, const FrameOptions& options);
  // draw() over several calls, each into the same bound framebuffer: the layers in order,
  // at most `pointBudget` point instances a call (a big point layer's instances in ranges,
  // MapRenderer's LayerDrawOptions::pointSliceFrom), then labels and decorations in the
  // call that ends it, which returns true. The slices give draw()'s picture: draw() is
  // this with no budget. The store, view and options must stay the same between the calls
  // (InteractiveRenderer starts again when they change).
  bool drawSlice(LayerStore& store, const std::string& displayCrs, const View& view, const FrameOptions& options,
                 FrameSlice& slice, size_t pointBudget);
  // The same with the slice state kept here (InteractiveRenderer's SliceFn): `first`
  // starts a new frame. draw() between the calls leaves it alone.
  bool drawSlice(LayerStore& store, const std::string& displayCrs, const View& view, const FrameOptions& options,
                 bool first, size_t pointBudget);
  // Draws only the highlighted feature (options.highlightLayer / highlightFeature) over what
  // the bound framebuffer holds — in the window, over InteractiveRenderer's cached frame,
  // so hovering does not redraw every layer (a million points take ~250 ms on llvmpipe).
  // No background, labels or decorations; nothing when no feature is highlighted.
  void drawHighlight(LayerStore& store, const std::string& displayCrs, const View& view, const FrameOptions& options);
  // Big point layers made ready for the GPU off this thread (MapRenderer::upload): the
  // viewer turns it on, wakes while uploading() and draws again when uploadReady() (the
  // layer shows then).
  void setBackgroundUpload(bool on);
  bool uploading() const;
  bool uploadReady() const;
  // A layer taken out of the store (LayerStore::remove): its buffers, its background upload
  // and its measured labels go. The ids that have buffers now (the test hook's fact).
  void forgetLayer(const std::string& layerId);
  std::vector<std::string> uploadedLayers() const;
  const std::vector<PlacedLabel>& placedLabels() const;
  // Ground metres per pixel at the view centre from the last draw (0 if unknown).
  double metresPerPixel() const;
  const FrameTimings& timings() const;
  // The last draw()'s text, decoration shapes and legend in pixels (FrameRecord.h): what
  // Export writes into SVG, and what tests check.
  const FrameRecord& lastRecord() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace bcmap
