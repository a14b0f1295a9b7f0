// HelpWindow: the shortcuts and mouse actions, on F1 or from the Help menu.
#pragma once

#include "ui/ViewerState.h"

namespace bcmap {

// Draws the window while st.panels.help is on.
void drawHelpWindow(ViewerState& st, float uiScale);

}  // namespace bcmap
