// LegendPanel: the legend in its dock on the right of the window (ui/Layout.h) — every
// visible layer's legend entries, top of the draw order first, a swatch beside each label.
// Long labels wrap to the dock's width. The same entries MapFrame draws on the map when
// the user puts the legend on the canvas (View menu) and into exports, with the same counts
// (the features each entry stands for under the time filter, render/MapDecorations.h), and
// a sample layer says "示例数据 / sample data" under its entries.
#pragma once

#include "model/FeatureTable.h"
#include "ui/UiRect.h"
#include "ui/testing/TestRects.h"

namespace bcmap {

class LayerStore;

// Draws the legend filling `dock` (window units), counting under `filter`. Reports
// "legend.window" and, for each entry drawn, "legend.entry.<n>" (n counts from 0 down the
// dock), its label as the fact "legend.entry.<n>", its count as "legend.count.<n>", and a
// sample layer's notice as "legend.sample.<layer id>".
void drawLegendPanel(LayerStore& store, const UiRect& dock, const TimeFilter& filter, float uiScale, TestRects& rects);

}  // namespace bcmap
