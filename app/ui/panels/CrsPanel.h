// CrsPanel: the display CRS control — a list of the usual choices and a field for any CRS
// text PROJ takes (normalised by io/Projection's normalizeCrs when the switch is applied),
// with the reason the last switch was refused. Drawn in its own window, which the View
// menu and a click on the status bar's CRS label open, and inside the layer panel.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "ui/UiRect.h"
#include "ui/testing/TestRects.h"

namespace bcmap {

// What the control reads, and the field it edits in place (crsInput may not be null).
struct CrsControlInput {
  std::string_view displayCrs;
  std::string* crsInput = nullptr;  // ViewerState::crsInput, the typed CRS
  std::string_view crsError;        // why the last CRS switch was refused
};

// The control in the current window: returns the CRS the user chose or typed (as typed)
// this frame. Reports where its list and field are in `combo` and `field`.
std::optional<std::string> drawCrsControls(const CrsControlInput& in, UiRect& combo, UiRect& field);

// The "显示坐标系 Display CRS" window while *open; the user closes it with its ×. Reports
// the named rectangles "crs.window", "crs.combo", "crs.field" and the fact "crs.name"
// (PROJ's name of the display CRS). Returns what drawCrsControls does.
std::optional<std::string> drawCrsWindow(const CrsControlInput& in, bool* open, float uiScale, TestRects& rects);

}  // namespace bcmap
