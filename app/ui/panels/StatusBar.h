// StatusBar: the strip along the bottom of the window — where the cursor is (lon/lat and
// display CRS), the map scale, the frame time and the feature under the cursor.
#pragma once

#include <cmath>
#include <string>
#include <string_view>

#include "model/FeatureTable.h"
#include "ui/testing/TestRects.h"

namespace bcmap {

// The strip's height in window units at this UI scale (the map is drawn above it).
float statusBarHeight(float uiScale);
// What the strip shows (ViewerState's cursor, display CRS and hovered feature).
struct StatusBarInput {
  bool cursorInMap = false;
  Vec2 cursorLonLat{NAN, NAN};  // degrees
  Vec2 cursorWorld{NAN, NAN};   // display CRS
  std::string_view displayCrs;
  bool displayIsGeographic = false;
  double metresPerPixel = NAN;  // ground metres per framebuffer pixel at the view's centre
  float contentScale = 1.0f;    // framebuffer pixels per logical pixel
  double frameMs = 0;
  std::string_view hoverLayer;  // "" when nothing is hovered
  std::string_view hoverFeatureId, hoverText;
  // A short-lived word of what just happened ("会话已保存 Session saved 18:50:12"), shown
  // after the frame time; `noticeIsError` draws it in red (a save that failed).
  std::string_view notice;
  bool noticeIsError = false;
};

// Draws the strip across the bottom of a window of windowW x windowH window units;
// reports its rectangle in rects.statusBar and the CRS label's as rects.named["status.crs"],
// and a notice as the fact "status.notice".
// True when the user clicked the CRS label (which opens the display CRS window).
bool drawStatusBar(const StatusBarInput& in, float uiScale, float windowW, float windowH, TestRects& rects);

// "1:1,230,000": the scale denominator rounded to three significant figures (map scales
// are read as round numbers; the fourth figure changes with every pixel of zoom).
std::string formatScale(double denominator);

}  // namespace bcmap
