// FeatureTooltip: the tooltip beside the cursor naming the feature under it and what its
// plugin says about it (LayerStore::describeFeature), and "示例数据 / sample data" when the
// layer shows sample data.
#pragma once

#include <string>

#include "ui/testing/TestRects.h"

namespace bcmap {

struct Layer;

// Draws the tooltip for feature `featureId` of `layer`, described by `text` (its id alone
// when ""), unless the mouse is over a panel. `layer`: the hovered layer, null when nothing
// is hovered on the map (or the cursor is off it, or dragging). Records its rectangle in
// rects.tooltip (empty when none is shown).
void drawFeatureTooltip(const Layer* layer, const std::string& featureId, const std::string& text, TestRects& rects);

}  // namespace bcmap
