// LegendPanel: the legend in its dock on the right of the window (ui/Layout.h) — every
// visible layer's legend entries, top of the draw order first, a swatch beside each label.
// Long labels wrap to the dock's width. The same entries MapFrame draws on the map when
// the user puts the legend on the canvas (View menu) and into exports.
#pragma once

#include "ui/UiRect.h"
#include "ui/testing/TestRects.h"

namespace bcmap {

class LayerStore;

// Draws the legend filling `dock` (window units). Reports "legend.window" and, for each
// entry drawn, "legend.entry.<n>" (n counts from 0 down the dock) and its label as the
// fact "legend.entry.<n>".
void drawLegendPanel(LayerStore& store, const UiRect& dock, float uiScale, TestRects& rects);

}  // namespace bcmap
