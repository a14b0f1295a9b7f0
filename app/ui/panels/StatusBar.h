// StatusBar: the strip along the bottom of the window — where the cursor is (lon/lat and
// display CRS), the map scale, the frame time and the feature under the cursor.
#pragma once

#include "ui/ViewerState.h"

namespace bcmap {

// The strip's height in window units at this UI scale (the map is drawn above it).
float statusBarHeight(float uiScale);
// Draws the strip across the bottom of a window of windowW x windowH window units.
void drawStatusBar(ViewerState& st, float uiScale, float windowW, float windowH);

// "1:1,230,000": the scale denominator rounded to three significant figures (map scales
// are read as round numbers; the fourth figure changes with every pixel of zoom).
std::string formatScale(double denominator);

}  // namespace bcmap
