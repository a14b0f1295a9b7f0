// HelpWindow: the shortcuts and mouse actions, on F1 or from the Help menu.
#pragma once

#include "ui/testing/TestRects.h"

namespace bcmap {

// Draws the window while `*open` (PanelToggles::help) is on; its close box turns it off.
// `rects` (tests): the window ("help.window") and each row's text ("help.row.N").
void drawHelpWindow(bool* open, float uiScale, TestRects* rects = nullptr);

}  // namespace bcmap
