// FeatureTooltip: the tooltip beside the cursor naming the feature under it and what its
// plugin says about it (LayerStore::describeFeature), and "示例数据 / sample data" when the
// layer shows sample data.
#pragma once

#include "ui/ViewerState.h"

namespace bcmap {

// Draws the tooltip when a feature is hovered on the map (not over a panel, not while
// dragging); records its rectangle in st.tooltipRect (empty when none is shown).
void drawFeatureTooltip(ViewerState& st);

}  // namespace bcmap
