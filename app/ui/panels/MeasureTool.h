// MeasureTool: the "测量 Measure" window (distance or area, the result, clear) and the
// measured line or polygon drawn over the map on ImGui's background draw list, with the
// running result beside the cursor. The state and the geodesic sums are core's
// Measurement (geometry/Measure.h); this file only draws it and takes the user's input.
#pragma once

#include <cmath>
#include <functional>
#include <optional>

#include <imgui.h>

#include "geometry/Measure.h"
#include "ui/UiRect.h"

namespace bcmap {

struct MeasureRects {
  UiRect window, distanceButton, areaButton, clearButton;
};

// lon/lat (degrees) -> window units; NaN where the point cannot be placed.
using LonLatToWindow = std::function<ImVec2(Vec2 lonLat)>;

class MeasureTool {
 public:
  // Taking map clicks: a mode is chosen. The main loop then sends clicks here instead of
  // its own click handling.
  bool active() const { return measurement_.mode() != MeasureMode::None; }
  void setMode(MeasureMode mode) { measurement_.setMode(mode); }
  const Measurement& measurement() const { return measurement_; }

  // A left click on the map (pressed and released without a drag), in lon/lat. The second
  // click of a double-click finishes instead of adding (its point is the first click's).
  void click(Vec2 lonLat, bool doubleClick);
  // Enter: finishes the measurement; true when it did.
  bool enter() { return active() && measurement_.finish(); }
  // Esc: drops the points; with none left, turns the tool off. True when the tool was
  // active (the key was used here).
  bool escape();

  // The window, top-right corner at (right, top) (window units). `open`: the panel toggle;
  // closing it turns the tool off. `cursorLonLat`: NaN off the map.
  void drawPanel(float uiScale, float right, float top, bool* open, Vec2 cursorLonLat);
  // The measured line or polygon and the running result, on ImGui's background draw list
  // (over the map, under the windows). Nothing while inactive or without points.
  void drawOverlay(const LonLatToWindow& toWindow, Vec2 cursorLonLat, float uiScale) const;

  const MeasureRects& rects() const { return rects_; }

 private:
  Measurement measurement_;
  MeasureRects rects_;
};

}  // namespace bcmap
