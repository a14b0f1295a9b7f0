// TimeSlider: the window along the bottom of the map that picks the day every time-aware
// layer is filtered to (2015-01-01 .. 2020-12-31), with play/pause, the play speed and
// "全部 All" (no filter). It is shown while any loaded layer has time. The day goes to
// FrameOptions::day: MapRenderer draws a feature when start <= day <= end.
#pragma once

#include "ui/ViewerState.h"

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

// Draws the window over the map's bottom edge, between `left` and `right` (window units),
// its bottom `bottom`; records its rectangles in `st`. User changes set st.timeChanged.
void drawTimeSlider(ViewerState& st, float uiScale, float left, float right, float bottom, double nowSec);

}  // namespace bcmap
