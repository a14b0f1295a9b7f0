// HelpWindow: the shortcuts and mouse actions, on F1 or from the Help menu.
#pragma once

namespace bcmap {

// Draws the window while `*open` (PanelToggles::help) is on; its close box turns it off.
void drawHelpWindow(bool* open, float uiScale);

}  // namespace bcmap
