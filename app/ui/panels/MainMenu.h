// MainMenu: the menu bar along the top of the window — every panel and tool can be found
// there without knowing a shortcut (each item shows its shortcut beside it).
#pragma once

#include "ui/ViewerState.h"

namespace bcmap {

// Draws the bar; records its height in st.menuBarHeight (window units). Menu items set
// ViewerState's panel toggles and requests; the main loop applies them.
void drawMainMenu(ViewerState& st, bool canUndo, bool canGoBack, bool canGoForward);

}  // namespace bcmap
