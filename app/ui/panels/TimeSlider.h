// TimeSlider: the window along the bottom of the map that picks the day every time-aware
// layer is filtered to (2015-01-01 .. 2020-12-31), with play/pause, the play speed and
// "全部 All" (no filter). It is shown while any loaded layer has time. The day goes to
// FrameOptions::day: MapRenderer draws a feature when start <= day <= end.
#pragma once

#include "ui/PanelState.h"
#include "ui/testing/TestRects.h"

namespace bcmap {

class LayerStore;

// True when a loaded layer has time (it says so, or its features carry time spans).
bool anyLayerHasTime(LayerStore& store);

// Starts playing from the slider's day (from the first day when it stands at the last) or
// pauses. Playing turns "All" off. `nowSec`: glfwGetTime().
void togglePlay(TimeState& t, double nowSec);
// Moves a playing slider on to `nowSec`; true when the day changed. Stops at the last day.
// Afterwards t.nextStepSec says when the next day is due (at most kPlayFps frames a second).
bool advanceTime(TimeState& t, double nowSec);

// What the slider drew this frame.
struct TimeSliderResult {
  bool changed = false;  // the user changed the day, "All", the mode or the window
  UiRect window;         // empty when not shown
};

// Draws the window over the map's bottom edge, between `left` and `right` (window units),
// its bottom `bottom`, while t.shown; edits `t` in place, and `chartShown`
// (PanelToggles::chart) with its "图表 Chart" box. Records its rectangles in rects.time*.
TimeSliderResult drawTimeSlider(TimeState& t, bool& chartShown, float uiScale, float left, float right, float bottom,
                                double nowSec, TestRects& rects);

}  // namespace bcmap
