// LogPanel: every message the process logged (GDAL, PROJ, plugins, the viewer), newest at
// the bottom, filtered by level and text (View → 日志 Log, Ctrl+L), so nothing the program
// says is lost in a terminal nobody watches.
#pragma once

#include <cstddef>
#include <string>

namespace bcmap {

struct LogPanelState {
  bool showInfo = true, showWarnings = true, showErrors = true;
  std::string filter;
  size_t clearedBefore = 0;  // entries before this index are hidden ("清除 Clear")
  size_t seenCount = 0;      // entries the user has had on screen
  bool scrollToBottom = true;
};

// Draws the window while `*open` (PanelToggles::log) is on; its close box turns it off.
void drawLogPanel(bool* open, LogPanelState& panel, float uiScale);

}  // namespace bcmap
