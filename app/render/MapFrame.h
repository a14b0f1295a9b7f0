// MapFrame: one complete map image — background, every visible layer in order, labels
// placed without overlap, a scale bar and the attribution line — drawn the same way into
// the window and into headless PNGs.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/FeatureTable.h"
#include "core/PreparedLayer.h"
#include "core/View.h"

namespace bcmap {

class LayerStore;

struct FrameOptions {
  Rgba background{242, 239, 233, 255};  // a light paper tone, so fills read as land
  int32_t day = kNoDay;                  // time filter; kNoDay: everything
  float pixelRatio = 1.0f;               // scales widths, sizes and text (HiDPI, export DPI)
  bool labels = true;
  bool scaleBar = true;
  bool attribution = true;
  std::string highlightLayer;            // the hovered feature, drawn highlighted
  long long highlightFeature = -1;
};

// A label as placed on screen, for tests and picking.
struct PlacedLabel {
  std::string layerId;
  size_t feature = 0;
  std::string text;
  Bounds boxPx;  // pixels, y down
};

class MapFrame {
 public:
  MapFrame();
  ~MapFrame();
  MapFrame(const MapFrame&) = delete;
  MapFrame& operator=(const MapFrame&) = delete;

  // Needs a current OpenGL 3.3 core context. Finds the CJK font through fontconfig.
  bool init(std::string* err);
  // Draws into the currently bound framebuffer of view.widthPx x view.heightPx.
  void draw(LayerStore& store, const std::string& displayCrs, const View& view, const FrameOptions& options);
  const std::vector<PlacedLabel>& placedLabels() const;
  // Ground metres per pixel at the view centre from the last draw (0 if unknown).
  double metresPerPixel() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace bcmap
