// MainMenu: the menu bar along the top of the window — every panel and tool can be found
// there without knowing a shortcut (each item shows its shortcut beside it).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "host/RecentFiles.h"
#include "ui/PanelState.h"
#include "ui/UiRect.h"
#include "ui/testing/TestRects.h"

namespace bcmap {

// What the menus grey out.
struct MainMenuInput {
  bool canUndo = false, canRedo = false;     // StyleHistory::canUndo / canRedo
  // The layer whose style Undo / Redo would change (its display name; "" unknown): the
  // items say what they undo.
  std::string undoLayer, redoLayer;
  bool canGoBack = false, canGoForward = false;  // ViewHistory::canBack/canForward
  // File ▸ Open Recent, most recent first (a missing file greyed out); null: none.
  const std::vector<RecentFile>* recentFiles = nullptr;
  // Where the File menu's items are, for the Xvfb tests ("menu.file", "menu.file.open",
  // "menu.file.recent", "menu.recent.<n>", "menu.file.save"); null: not reported.
  TestRects* rects = nullptr;
};

// What the user chose this frame (the main loop applies it), and the bar's height.
struct MainMenuRequests {
  float height = 0;  // window units; 0 when the bar is not drawn. The panels start below it.
  bool save = false, quit = false, undo = false, redo = false, fit = false, back = false, forward = false;
  MeasureRequest measure = MeasureRequest::None;
  UiRect viewMenu, crsItem;  // where the View menu and its CRS item are (for the UI tests)
  // Edit → Search: the search box takes the keyboard, as on Ctrl+F (SearchPanel::focusRequested).
  bool searchFocus = false;
  // For the test hook (TestRects::named): "menu.edit" (the Edit title, while closed),
  // "menu.edit.popup", "menu.edit.undo", "menu.edit.redo" and "menu.edit.search" (while open).
  std::map<std::string, UiRect> rects;
  std::optional<std::string> openRecent;  // File ▸ Open Recent ▸ a file: open it as a layer
};

// Draws the bar. Items that show a window or an overlay flip `panels` at once; the UI
// scale slider edits `userUiScale` (ViewerState::userUiScale) in place.
MainMenuRequests drawMainMenu(PanelToggles& panels, float& userUiScale, const MainMenuInput& in);

}  // namespace bcmap
