// LayerPanel: the "图层 Layers" window on the left — one row per layer (visibility,
// name, opacity, order, failure reason, legend), the display CRS and "fit all".
#pragma once

#include "ui/ViewerState.h"

namespace bcmap {

// Draws the panel for this frame. Visibility and opacity change at once; moves, CRS
// switches, loads and fits are left in `st` as requests for the main loop.
// `uiScale`: window units per logical pixel (HiDPI); `maxHeight`: where the panel must end
// (window units from the top: the top of the status bar).
void drawLayerPanel(ViewerState& st, float uiScale, float maxHeight);

}  // namespace bcmap
